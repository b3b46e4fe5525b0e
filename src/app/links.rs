//! The dashboard's link bar: its `links` as anchors, a `dashboards` link as the tagged dashboards
//! (or one menu of them). The URLs come from [`crate::view::links`]; this only renders them with
//! the current time range and variable values.

use super::location::Link;
use super::variables::{VariableState, lookup_from};
use crate::route::{build_query_string, param};
use crate::variables::{ALL_VALUE, VariableKind, interpolate};
use crate::view::links::{DashboardLink, LinkTarget, link_href, tagged_dashboards};
use leptos::prelude::*;

/// A dashboard a link may point at: uid, title, tags.
pub type LinkCandidate = (String, String, Vec<String>);

#[component]
pub fn DashboardLinks(
    links: Vec<DashboardLink>,
    current_uid: Option<String>,
    candidates: Signal<Vec<LinkCandidate>>,
    from: Memo<String>,
    to: Memo<String>,
    variables: Signal<Option<Vec<VariableState>>>,
) -> impl IntoView {
    if links.is_empty() {
        return None;
    }
    // Tagged-dashboard links list every provisioned dashboard with the tags: read them all.
    if links.iter().any(|link| matches!(link.target, LinkTarget::Dashboards { .. })) {
        super::catalogue::need_catalogue("dashboard links", true);
        on_cleanup(|| super::catalogue::need_catalogue("dashboard links", false));
    }
    let links = StoredValue::new(links);
    let current_uid = StoredValue::new(current_uid);
    Some(move || {
        let states = variables.get().unwrap_or_default();
        let time_query = query_without_mark(&[(param::FROM, &from.get()), (param::TO, &to.get())]);
        let variables_query = variables_query(&states);
        let lookup = lookup_from(&states);
        let href =
            |url: &str, link: &DashboardLink| link_href(url, link, &time_query, &variables_query, &lookup);
        let anchors = links.with_value(|links| {
            links
                .iter()
                .map(|link| match &link.target {
                    // Grafana interpolates a link's title as well as its URL.
                    LinkTarget::Url(url) => {
                        anchor(href(url, link), interpolate(&link.title, &lookup), link).into_any()
                    }
                    LinkTarget::Dashboards { tags, as_dropdown } => {
                        let found = candidates.with(|all| {
                            tagged_dashboards(
                                tags,
                                current_uid.with_value(|uid| uid.clone()).as_deref(),
                                all.iter().map(|(uid, title, tags)| {
                                    (uid.as_str(), title.as_str(), tags.as_slice())
                                }),
                            )
                        });
                        let items = found
                            .into_iter()
                            .map(|d| anchor(href(&d.path, link), d.title, link))
                            .collect_view();
                        if *as_dropdown {
                            let title = if link.title.is_empty() {
                                "Dashboards".to_string()
                            } else {
                                link.title.clone()
                            };
                            view! {
                                <details class="dashboard-link-menu">
                                    <summary>{title}</summary>
                                    <div class="dashboard-link-items">{items}</div>
                                </details>
                            }
                            .into_any()
                        } else {
                            items.into_any()
                        }
                    }
                })
                .collect_view()
        });
        view! { <nav class="dashboard-links" aria-label="Dashboard links">{anchors}</nav> }
    })
}

/// The dashboard's time range as its URL writes it (`from`, `to`), for links that keep the time.
/// Provided by the dashboard page.
#[derive(Clone, Copy)]
pub struct LinkTimeRange {
    pub from: Memo<String>,
    pub to: Memo<String>,
}

/// A panel's links: one menu in the panel header, as Grafana shows them, each URL interpolated
/// with the current time range and variable values (`$__url_time_range`, `$__all_variables` and
/// variables, which schema migration 19 writes into old links).
#[component]
pub fn PanelLinks(links: Vec<DashboardLink>, variables: Signal<Option<Vec<VariableState>>>) -> impl IntoView {
    let time = use_context::<LinkTimeRange>();
    if links.is_empty() {
        return None;
    }
    let links = StoredValue::new(links);
    let items = move || {
        let states = variables.get().unwrap_or_default();
        let time_query = time
            .map(|t| query_without_mark(&[(param::FROM, &t.from.get()), (param::TO, &t.to.get())]))
            .unwrap_or_default();
        let variables_query = variables_query(&states);
        let lookup = lookup_from(&states);
        links.with_value(|links| {
            links
                .iter()
                .filter_map(|link| match &link.target {
                    LinkTarget::Url(url) => {
                        let href = link_href(url, link, &time_query, &variables_query, &lookup);
                        Some(anchor(href, interpolate(&link.title, &lookup), link))
                    }
                    LinkTarget::Dashboards { .. } => None,
                })
                .collect_view()
        })
    };
    Some(view! {
        <details class="panel-links">
            <summary title="Panel links" aria-label="Panel links">"\u{1f517}"</summary>
            <div class="panel-link-items">{items}</div>
        </details>
    })
}

/// A URL link's href with the current time range and variable values, as a panel link's (data
/// links too, after their data references are filled in).
pub fn resolve_link(
    link: &DashboardLink,
    states: &[VariableState],
    time: Option<LinkTimeRange>,
) -> Option<String> {
    let LinkTarget::Url(url) = &link.target else { return None };
    let time_query = time
        .map(|t| {
            query_without_mark(&[(param::FROM, &t.from.get_untracked()), (param::TO, &t.to.get_untracked())])
        })
        .unwrap_or_default();
    Some(link_href(url, link, &time_query, &variables_query(states), &lookup_from(states)))
}

/// A data link: the anchor of a table cell (its text is the cell's; the link's title is the tooltip).
pub fn data_link_anchor(href: String, link: &DashboardLink, text: String) -> impl IntoView + use<> {
    let tooltip = if link.title.is_empty() { href.clone() } else { link.title.clone() };
    link_anchor(href, text, tooltip, link.target_blank, "data-link")
}

/// One link: in-app paths navigate in place unless the link opens a new tab.
fn anchor(href: String, title: String, link: &DashboardLink) -> impl IntoView + use<> {
    let text = if title.is_empty() { href.clone() } else { title };
    link_anchor(href, text, link.tooltip.clone(), link.target_blank, "dashboard-link")
}

/// The anchor every kind of link renders as: a new tab, an in-app path (navigated in place), or a
/// plain link.
fn link_anchor(
    href: String,
    text: String,
    tooltip: String,
    target_blank: bool,
    class: &'static str,
) -> AnyView {
    if target_blank {
        view! { <a class=class href=href title=tooltip target="_blank" rel="noopener noreferrer">{text}</a> }
            .into_any()
    } else if href.starts_with('/') {
        view! { <span class=class title=tooltip><Link href=href class="">{text}</Link></span> }.into_any()
    } else {
        view! { <a class=class href=href title=tooltip>{text}</a> }.into_any()
    }
}

/// `$__all_variables`: every variable's `var-NAME` pairs as the URL carries them (All as `$__all`);
/// constants and ad hoc filters stay out, as Grafana leaves out what it does not sync to the URL.
fn variables_query(states: &[VariableState]) -> String {
    let names: Vec<(String, String)> = states
        .iter()
        .filter(|s| !matches!(s.variable.kind, VariableKind::Constant { .. } | VariableKind::Adhoc { .. }))
        .flat_map(|s| {
            let key = format!("{}{}", param::VARIABLE_PREFIX, s.variable.name);
            let values =
                if s.selection.is_all { vec![ALL_VALUE.to_string()] } else { s.selection.values.clone() };
            values.into_iter().map(move |value| (key.clone(), value))
        })
        .collect();
    let pairs: Vec<(&str, &str)> = names.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    query_without_mark(&pairs)
}

fn query_without_mark(pairs: &[(&str, &str)]) -> String {
    build_query_string(pairs).trim_start_matches('?').to_string()
}
