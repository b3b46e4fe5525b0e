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
        view! {
            <div data-state="drawn">
                {problems.into_iter().map(|p| view! { <p class="error-banner">{p}</p> }).collect_view()}
                {empty.then(|| view! { <p class="muted">"No dashboard matches."</p> })}
                {groups.into_iter().map(|(folder, members)| view! {
                    <section class="folder" data-folder=folder.clone()>
                        <h2>{folder.clone()}</h2>
                        <ul>{members.into_iter().map(dashboard_item).collect_view()}</ul>
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

fn dashboard_item(entry: CatalogueEntry) -> impl IntoView {
    let href = dashboard_path(&entry.uid, &entry.title);
    view! {
        <li class="dashboard-item" data-uid=entry.uid.clone()>
            <Link href=href class="dashboard-link">{entry.title.clone()}</Link>
            {entry.tags.iter().map(|tag| view! { <span class="tag">{tag.clone()}</span> }).collect_view()}
            {entry.error.map(|error| view! { <span class="error-text">{error}</span> })}
        </li>
    }
}
