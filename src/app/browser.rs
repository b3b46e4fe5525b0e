//! The dashboard browser (`/`): provisioned dashboards grouped by folder, searchable by title and tag.

use super::catalogue::{use_catalogue, use_imported};
use super::location::Link;
use crate::provisioning::{CatalogueEntry, group_by_folder};
use crate::route::dashboard_path;
use leptos::prelude::*;

#[component]
pub fn DashboardBrowser() -> impl IntoView {
    let catalogue = use_catalogue();
    let imported = use_imported();
    let (search, set_search) = signal(String::new());
    let listing = move || {
        let Some(result) = catalogue.get() else {
            return view! { <p class="muted" data-state="loading">"Loading dashboards…"</p> }.into_any();
        };
        let catalogue = match result {
            Ok(catalogue) => catalogue,
            Err(message) => {
                return view! {
                    <p class="error-banner" data-state="error">"Cannot list dashboards: " {message}</p>
                }
                .into_any();
            }
        };
        let search = search.get();
        let entries: Vec<CatalogueEntry> = catalogue
            .dashboards
            .iter()
            .chain(imported.0.get().iter())
            .map(|d| d.entry.clone())
            .filter(|e| e.matches(&search))
            .collect();
        let groups: Vec<(String, Vec<CatalogueEntry>)> = group_by_folder(&entries)
            .into_iter()
            .map(|(folder, members)| (folder, members.into_iter().cloned().collect()))
            .collect();
        let problems = catalogue.problems.clone();
        let empty = groups.is_empty();
        // Dashboards changed in this browser: their drafts, newest first.
        let mut drafts = super::editing::stored_drafts();
        drafts.sort_by_key(|d| std::cmp::Reverse(d.saved_at_ms));
        let modified: Vec<String> = drafts.iter().map(|d| d.uid.clone()).collect();
        let drafts_view = (!drafts.is_empty()).then(|| view! {
            <section class="drafts">
                <h2>"Drafts"</h2>
                <ul>
                    {drafts.into_iter().map(|draft| {
                        let title = draft.document.get("title").and_then(serde_json::Value::as_str).unwrap_or(&draft.uid).to_string();
                        let saved = crate::time::format_local_datetime(draft.saved_at_ms, -(js_sys::Date::new_0().get_timezone_offset() as i32));
                        view! {
                            <li class="draft-item" data-uid=draft.uid.clone()>
                                <Link href=dashboard_path(&draft.uid, &title) class="dashboard-link">{title.clone()}</Link>
                                <span class="muted">{format!(" changed, saved {saved}")}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        });
        view! {
            <div data-state="drawn">
                {problems.into_iter().map(|p| view! { <p class="error-banner">{p}</p> }).collect_view()}
                {drafts_view}
                {empty.then(|| view! { <p class="muted">"No dashboard matches."</p> })}
                {groups.into_iter().map(|(folder, members)| view! {
                    <section class="folder" data-folder=folder.clone()>
                        <h2>{folder.clone()}</h2>
                        <ul>{members.into_iter().map(|entry| { let is_modified = modified.contains(&entry.uid); dashboard_item(entry, is_modified) }).collect_view()}</ul>
                    </section>
                }).collect_view()}
            </div>
        }
        .into_any()
    };
    view! {
        <section class="browser">
            <h1>"Dashboards"</h1>
            <input
                type="search"
                class="search"
                placeholder="Search by title or tag"
                prop:value=search
                on:input=move |event| set_search.set(event_target_value(&event))
            />
            {listing}
        </section>
    }
}

fn dashboard_item(entry: CatalogueEntry, modified: bool) -> impl IntoView {
    let href = dashboard_path(&entry.uid, &entry.title);
    view! {
        <li class="dashboard-item" data-uid=entry.uid.clone()>
            <Link href=href class="dashboard-link">{entry.title.clone()}</Link>
            {modified.then(|| view! { <span class="modified-badge" title="Changed in this browser (a draft)">"modified"</span> })}
            {entry.tags.iter().map(|tag| view! { <span class="tag">{tag.clone()}</span> }).collect_view()}
            {entry.error.map(|error| view! { <span class="error-text">{error}</span> })}
            {entry.note.map(|note| view! { <span class="catalogue-note warning-text">{note}</span> })}
        </li>
    }
}
