//! The dashboard browser (`/`): provisioned dashboards grouped by folder, searchable by title and tag.

use super::catalogue::{Progress, need_catalogue, use_catalogue, use_imported};
use super::location::Link;
use crate::provisioning::{CatalogueEntry, group_by_folder};
use crate::route::dashboard_path;
use crate::sorting;
use crate::time;
use leptos::prelude::*;

/// One folder of the list; `fingerprint` changes when any of its items does, so only the folders
/// that changed are drawn again while the catalogue fills in.
#[derive(Debug, Clone, PartialEq)]
struct FolderGroup {
    folder: String,
    members: Vec<ListItem>,
    fingerprint: u64,
}

#[derive(Debug, Clone, PartialEq, Hash)]
struct ListItem {
    entry: CatalogueEntry,
    /// Listed, not read yet.
    pending: bool,
    /// Changed in this browser (it has a draft).
    modified: bool,
}

#[component]
pub fn DashboardBrowser() -> impl IntoView {
    let catalogue = use_catalogue();
    let imported = use_imported();
    // The list needs every file read; leaving it lets the reads wait (see `need_catalogue`).
    need_catalogue("list", true);
    on_cleanup(|| need_catalogue("list", false));
    let (search, set_search) = signal(String::new());
    // Dashboards changed in this browser: their drafts, newest first.
    let mut drafts = super::editing::stored_drafts();
    sorting::sort_by_key(&mut drafts, |d| std::cmp::Reverse(d.saved_at_ms));
    let modified: Vec<String> = drafts.iter().map(|d| d.uid.clone()).collect();
    let groups = Memo::new(move |_| {
        let search = search.get();
        catalogue.with(|catalogue| {
            imported.0.with(|imported| {
                let read = catalogue.dashboards.iter().chain(imported.iter()).map(|d| (&d.entry, false));
                let items: Vec<ListItem> = read
                    .chain(catalogue.pending.iter().map(|entry| (entry, true)))
                    .filter(|(entry, _)| entry.matches(&search))
                    .map(|(entry, pending)| ListItem {
                        entry: entry.clone(),
                        pending,
                        modified: !pending && modified.contains(&entry.uid),
                    })
                    .collect();
                folder_groups(items)
            })
        })
    });
    let progress = move || {
        catalogue.with(|c| match &c.progress {
            Progress::Reading if !c.pending.is_empty() => {
                let total = c.pending.len() + c.dashboards.len();
                Some(format!("Reading dashboards: {} of {total}…", c.dashboards.len()))
            }
            _ => None,
        })
    };
    let drafts_view = (!drafts.is_empty()).then(|| view! {
        <section class="drafts">
            <h2>"Drafts"</h2>
            <ul>
                {drafts.into_iter().map(|draft| {
                    let title = draft.document.get("title").and_then(serde_json::Value::as_str).unwrap_or(&draft.uid).to_string();
                    let saved = time::format_local_datetime(draft.saved_at_ms, -(js_sys::Date::new_0().get_timezone_offset() as i32));
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
    let listing = move || {
        let (state, problems) = catalogue.with(|c| {
            let state = match &c.progress {
                Progress::Failed(message) => return (Err(message.clone()), Vec::new()),
                Progress::Listing => "loading",
                Progress::Reading => "reading",
                Progress::Complete => "drawn",
            };
            (Ok(state), c.problems.clone())
        });
        match state {
            Err(message) => view! {
                <p class="error-banner" data-state="error">"Cannot list dashboards: " {message}</p>
            }
            .into_any(),
            Ok("loading") => {
                view! { <p class="muted" data-state="loading">"Loading dashboards…"</p> }.into_any()
            }
            Ok(state) => view! {
                <div data-state=state>
                    {problems.into_iter().map(|p| view! { <p class="error-banner">{p}</p> }).collect_view()}
                </div>
            }
            .into_any(),
        }
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
            {move || progress().map(|text| view! { <p class="muted catalogue-progress">{text}</p> })}
            {drafts_view}
            {move || {
                let listed = catalogue.with(|c| !matches!(c.progress, Progress::Listing | Progress::Failed(_)));
                (listed && groups.with(Vec::is_empty)).then(|| view! { <p class="muted">"No dashboard matches."</p> })
            }}
            <For
                each=move || groups.get()
                key=|group| (group.folder.clone(), group.fingerprint)
                children=|group| view! {
                    <section class="folder" data-folder=group.folder.clone()>
                        <h2>{group.folder.clone()}</h2>
                        <ul>{group.members.into_iter().map(dashboard_item).collect_view()}</ul>
                    </section>
                }
            />
        </section>
    }
}

/// Groups the items by folder as [`group_by_folder`] orders them (pending files sort by name).
fn folder_groups(items: Vec<ListItem>) -> Vec<FolderGroup> {
    use std::hash::{Hash, Hasher};
    let entries: Vec<CatalogueEntry> = items.iter().map(|item| item.entry.clone()).collect();
    let mut by_path: std::collections::HashMap<&str, &ListItem> =
        items.iter().map(|item| (item.entry.url_path.as_str(), item)).collect();
    group_by_folder(&entries)
        .into_iter()
        .map(|(folder, members)| {
            let members: Vec<ListItem> = members
                .into_iter()
                .map(|entry| match by_path.remove(entry.url_path.as_str()) {
                    // Imported dashboards have a path of their own; the entry is the item then.
                    Some(item) if item.entry == *entry => item.clone(),
                    _ => ListItem { entry: entry.clone(), pending: false, modified: false },
                })
                .collect();
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            members.hash(&mut hasher);
            FolderGroup { folder, members, fingerprint: hasher.finish() }
        })
        .collect()
}

fn dashboard_item(item: ListItem) -> impl IntoView {
    let ListItem { entry, pending, modified } = item;
    if pending {
        return view! {
            <li class="dashboard-item pending" data-path=entry.url_path.clone()>
                <span class="pending-title">{entry.title.clone()}</span>
                <span class="muted">" reading…"</span>
            </li>
        }
        .into_any();
    }
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
    .into_any()
}
