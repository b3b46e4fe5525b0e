//! The dashboard list panel: the groups of [`crate::panels::dashlist`] from the catalogue (read
//! whole while the panel is shown), this browser's drafts and its recently viewed dashboards, as
//! links that keep the time range and variables when the panel says so.

use super::frame::PanelHeader;
use crate::app::catalogue;
use crate::app::catalogue::local_storage;
use crate::app::editing;
use crate::app::links::LinkTimeRange;
use crate::app::location::Link;
use crate::app::variables::{VariableState, lookup_from};
use crate::panels::dashlist::{DashlistOptions, ListedDashboard, dashlist_groups};
use crate::route::{build_query_string, param, slugify};
use crate::variables;
use crate::variables::ALL_VALUE;
use crate::view::PanelView;
use leptos::prelude::*;

/// Where this browser keeps the dashboards it opened, most recent first.
const RECENT_KEY: &str = "promboard.recent";
/// How many it keeps.
const RECENT_KEPT: usize = 50;

/// This browser's recently viewed dashboards (uids), most recent first.
pub fn recently_viewed() -> Vec<String> {
    local_storage()
        .and_then(|s| s.get_item(RECENT_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str::<Vec<String>>(&text).ok())
        .unwrap_or_default()
}

/// Records that the dashboard `uid` was opened.
pub fn remember_viewed(uid: &str) {
    let mut recent = recently_viewed();
    recent.retain(|known| known != uid);
    recent.insert(0, uid.to_string());
    recent.truncate(RECENT_KEPT);
    if let (Some(storage), Ok(text)) = (local_storage(), serde_json::to_string(&recent)) {
        let _ = storage.set_item(RECENT_KEY, &text);
    }
}

#[component]
pub(super) fn DashListPanel(
    panel: PanelView,
    style: Signal<String>,
    variables: Signal<Option<Vec<VariableState>>>,
) -> impl IntoView {
    let id = panel.id;
    let options = DashlistOptions::read(&panel.options);
    // The search and the other groups need every dashboard: read the whole listing.
    catalogue::need_catalogue("dashboard list", true);
    on_cleanup(|| catalogue::need_catalogue("dashboard list", false));
    let catalogue = catalogue::use_catalogue();
    let imported = catalogue::use_imported();
    let time = use_context::<LinkTimeRange>();
    let options = StoredValue::new(options);
    let body = move || {
        let listed: Vec<ListedDashboard> = catalogue.with(|c| {
            c.dashboards
                .iter()
                .filter(|d| d.entry.error.is_none())
                .map(|d| &d.entry)
                .chain(
                    imported.0.with(|list| list.iter().map(|d| d.entry.clone()).collect::<Vec<_>>()).iter(),
                )
                .map(|e| ListedDashboard {
                    uid: e.uid.clone(),
                    title: e.title.clone(),
                    folder: e.folder.clone(),
                    tags: e.tags.clone(),
                })
                .collect()
        });
        let drafts: Vec<String> = editing::stored_drafts().into_iter().map(|d| d.uid).collect();
        let states = variables.get().unwrap_or_default();
        let lookup = lookup_from(&states);
        let interpolate = |text: &str| variables::interpolate(text, &lookup);
        let options = options.get_value();
        let groups = dashlist_groups(&options, &listed, &drafts, &recently_viewed(), &interpolate);
        // What each link carries: the time range (`keepTime`) and the variables (`includeVars`).
        let mut carried: Vec<(String, String)> = Vec::new();
        if options.keep_time
            && let Some(time) = time
        {
            carried.push((param::FROM.into(), time.from.get()));
            carried.push((param::TO.into(), time.to.get()));
        }
        if options.include_vars {
            for state in &states {
                let key = format!("{}{}", param::VARIABLE_PREFIX, state.variable.name);
                let values = if state.selection.is_all {
                    vec![ALL_VALUE.to_string()]
                } else {
                    state.selection.values.clone()
                };
                carried.extend(values.into_iter().map(|value| (key.clone(), value)));
            }
        }
        let pairs: Vec<(&str, &str)> = carried.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let query = build_query_string(&pairs);
        let show_headings = options.show_headings;
        groups
            .into_iter()
            .map(|group| {
                let items = group
                    .dashboards
                    .into_iter()
                    .map(|d| {
                        let href = format!("/d/{}/{}{query}", d.uid, slugify(&d.title));
                        view! {
                            <li class="dashlist-item">
                                <Link href=href class="dashlist-link">{d.title.clone()}</Link>
                                <span class="dashlist-folder muted">{d.folder}</span>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <section class="dashlist-group" data-group=group.header>
                        {show_headings.then(|| view! { <h6 class="dashlist-heading">{group.header}</h6> })}
                        <ul>{items}</ul>
                    </section>
                }
            })
            .collect_view()
    };
    view! {
        <div class="panel" data-panel-id=id data-state="drawn" style=style>
            <PanelHeader title=panel.title.clone() links=panel.links.clone() variables=variables />
            <div class="panel-body dashlist">{body}</div>
        </div>
    }
}
