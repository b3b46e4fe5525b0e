//! The operations views: Prometheus's alerts (`/alerting/list`), scrape targets (`/targets`) and
//! rule groups (`/rules`) of the default datasource, or of the one `?datasource=` names (a picker
//! lists the Prometheus-compatible ones), and on the alerts view each Alertmanager datasource's
//! alerts (silenced and inhibited ones too), asked through the data layer ([`crate::prom::client`]
//! over `prom::api`) and read by [`crate::operations`]. Each page re-reads on Refresh and every
//! 30 seconds.

use super::location::use_url_state;
use crate::app::catalogue;
use crate::datasource::ALERTMANAGER_TYPE;
use crate::datasource::Datasource;
use crate::interval;
use crate::operations::{
    AlertGroup, ScrapePool, filter_targets, format_seconds, group_alerts, read_alertmanager_alerts,
    read_alerts, read_rules, read_targets,
};
use crate::prom::client;
use crate::route::with_params;
use crate::safe_url;
use leptos::prelude::*;
use std::time::Duration;

/// How often the views re-read while open.
const REFRESH_EVERY: Duration = Duration::from_secs(30);

/// The URL parameter naming the datasource a view reads (uid or name; the default without it).
const DATASOURCE_PARAM: &str = "datasource";

/// The Prometheus-compatible datasource the view reads: `?datasource=` (uid or name), else the
/// default.
fn use_view_datasource() -> Memo<Datasource> {
    let url = use_url_state();
    Memo::new(move |_| {
        let registry = catalogue::datasources();
        url.query_param(DATASOURCE_PARAM)
            .and_then(|wanted| registry.find(&wanted).filter(|d| d.is_prometheus()).cloned())
            .unwrap_or_else(|| registry.default_datasource().clone())
    })
}

/// A GET to the datasource's API, re-run when the datasource or `refresh` changes.
fn use_api_data(
    refresh: RwSignal<u64>,
    datasource: Memo<Datasource>,
    path: &'static str,
    description: &'static str,
) -> LocalResource<Result<serde_json::Value, String>> {
    // Re-read every REFRESH_EVERY while the page is open.
    if let Ok(handle) = set_interval_with_handle(move || refresh.update(|n| *n += 1), REFRESH_EVERY) {
        on_cleanup(move || handle.clear());
    }
    LocalResource::new(move || {
        refresh.track();
        let datasource = datasource.get();
        async move { client::get_api_data(&datasource, path, &[], description).await.map_err(|e| e.to_string()) }
    })
}

/// Which datasource the view reads, when there is more than one Prometheus-compatible one.
#[component]
fn DatasourcePicker(datasource: Memo<Datasource>) -> impl IntoView {
    let url = use_url_state();
    let choices: Vec<(String, String)> = catalogue::datasources()
        .datasources()
        .iter()
        .filter(|d| d.is_prometheus())
        .map(|d| (d.uid.clone(), d.name.clone()))
        .collect();
    (choices.len() > 1).then(|| {
        view! {
            <select class="ops-datasource" aria-label="Datasource"
                on:change=move |e| {
                    let uid = event_target_value(&e);
                    url.set_query(&with_params(&url.search.get_untracked(), &[(DATASOURCE_PARAM, Some(uid.as_str()))]));
                }>
                {choices.into_iter().map(|(uid, name)| {
                    let selected = datasource.with_untracked(|d| d.uid == uid);
                    view! { <option value=uid selected=selected>{name}</option> }
                }).collect_view()}
            </select>
        }
    })
}

/// A rule file's durations as written there (`1m`, `1h`).
fn prometheus_duration(seconds: f64) -> String {
    let ms = (seconds * 1000.0).round() as i64;
    let short = interval::format_interval(ms);
    // `1m` for 60 s, but `1m30s` for 90 s (the short form would round it down).
    if interval::parse_duration_ms(&short) == Some(ms) { short } else { interval::format_go_duration(ms) }
}

fn labels_text(labels: &std::collections::BTreeMap<String, String>) -> String {
    labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect::<Vec<_>>().join(", ")
}

#[component]
pub fn TargetsPage() -> impl IntoView {
    let refresh = RwSignal::new(0_u64);
    let datasource = use_view_datasource();
    let answer = use_api_data(refresh, datasource, "/api/v1/targets", "scrape targets");
    let search = RwSignal::new(String::new());
    let down_only = RwSignal::new(false);
    let pools = move || answer.get().map(|a| a.map(|data| read_targets(&data)));
    let shown =
        move || pools().map(|p| p.map(|pools| filter_targets(&pools, &search.get(), down_only.get())));
    let pool_view = |pool: ScrapePool| {
        let summary = format!("{} of {} up", pool.up, pool.targets.len());
        view! {
            <section class="ops-group" data-pool=pool.name.clone()>
                <h2>{pool.name.clone()} " " <span class="ops-summary" class:ops-bad={pool.up < pool.targets.len()}>{summary}</span></h2>
                <table class="ops-table">
                    <thead><tr><th>"Endpoint"</th><th>"State"</th><th>"Labels"</th><th>"Last scrape"</th><th>"Duration"</th><th>"Error"</th></tr></thead>
                    <tbody>
                        {pool.targets.into_iter().map(|target| view! {
                            <tr data-health=target.health.clone()>
                                <td>{target.scrape_url}</td>
                                <td class=format!("ops-health ops-{}", target.health)>{target.health.clone()}</td>
                                <td class="ops-labels">{labels_text(&target.labels)}</td>
                                <td>{target.last_scrape}</td>
                                <td>{target.last_scrape_duration_s.map(format_seconds).unwrap_or_default()}</td>
                                <td class="ops-error">{target.last_error}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        }
    };
    view! {
        <section class="ops-page" data-page="targets">
            <div class="ops-header">
                <h1>"Targets"</h1>
                <input class="search" type="search" placeholder="Filter by job, instance or label" prop:value=move || search.get()
                    on:input=move |e| search.set(event_target_value(&e)) />
                <label><input type="checkbox" prop:checked=move || down_only.get() on:change=move |_| down_only.update(|d| *d = !*d) />" Not up only"</label>
                <DatasourcePicker datasource=datasource />
                <button on:click=move |_| refresh.update(|n| *n += 1)>"Refresh"</button>
            </div>
            {move || match pools() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(message)) => view! { <p class="panel-error" role="alert">{message}</p> }.into_any(),
                Some(Ok(all)) => {
                    let (up, total) = all.iter().fold((0, 0), |(up, total), p| (up + p.up, total + p.targets.len()));
                    view! { <p class="ops-total" data-up=up data-total=total>{format!("{up} of {total} targets up in {} jobs", all.len())}</p> }.into_any()
                }
            }}
            {move || shown().and_then(Result::ok).map(|pools| {
                if pools.is_empty() {
                    view! { <p class="muted ops-empty">"No targets to show."</p> }.into_any()
                } else {
                    pools.into_iter().map(pool_view).collect_view().into_any()
                }
            })}
        </section>
    }
}

#[component]
pub fn RulesPage() -> impl IntoView {
    let refresh = RwSignal::new(0_u64);
    let datasource = use_view_datasource();
    let answer = use_api_data(refresh, datasource, "/api/v1/rules", "rule groups");
    view! {
        <section class="ops-page" data-page="rules">
            <div class="ops-header">
                <h1>"Rules"</h1>
                <DatasourcePicker datasource=datasource />
                <button on:click=move |_| refresh.update(|n| *n += 1)>"Refresh"</button>
            </div>
            {move || match answer.get().map(|a| a.map(|data| read_rules(&data))) {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(message)) => view! { <p class="panel-error" role="alert">{message}</p> }.into_any(),
                Some(Ok(groups)) if groups.is_empty() => view! { <p class="muted ops-empty">"No rule groups."</p> }.into_any(),
                Some(Ok(groups)) => groups.into_iter().map(|group| {
                    let failing = group.failing();
                    let summary = format!(
                        "{} rules{}, every {}, last evaluation took {}",
                        group.rules.len(),
                        if failing > 0 { format!(", {failing} failing") } else { String::new() },
                        group.interval_s.map(prometheus_duration).unwrap_or_default(),
                        group.evaluation_time_s.map(format_seconds).unwrap_or_default(),
                    );
                    view! {
                        <section class="ops-group" data-group=group.name.clone()>
                            <h2>{group.name.clone()} " " <span class="ops-summary" class:ops-bad={failing > 0}>{summary}</span></h2>
                            <p class="muted">{group.file.clone()}</p>
                            <table class="ops-table">
                                <thead><tr><th>"Rule"</th><th>"Health"</th><th>"State"</th><th>"Query"</th><th>"Labels"</th><th>"Evaluation"</th><th>"Error"</th></tr></thead>
                                <tbody>
                                    {group.rules.into_iter().map(|rule| {
                                        let state = match (rule.kind.as_str(), rule.state.as_str()) {
                                            ("recording", _) => "recording".to_string(),
                                            (_, "") => String::new(),
                                            (_, state) if rule.active_alerts > 0 => format!("{state} ({})", rule.active_alerts),
                                            (_, state) => state.to_string(),
                                        };
                                        let for_text = rule.for_s.map(|s| format!(" for {}", prometheus_duration(s))).unwrap_or_default();
                                        // The rule's query in Explore, on the datasource this view reads.
                                        let uid = datasource.with_untracked(|d| d.uid.clone());
                                        let explore = super::explore::explore_href(Some(&uid), &[("A".into(), rule.query.clone())], "now-1h", "now");
                                        view! {
                                            <tr data-rule=rule.name.clone() data-health=rule.health.clone() data-state=rule.state.clone()>
                                                <td>{rule.name.clone()}</td>
                                                <td class=format!("ops-health ops-{}", rule.health)>{rule.health.clone()}</td>
                                                <td>{state}</td>
                                                <td><code>{rule.query}</code>{for_text} <super::location::Link href=explore class="ops-explore">"Explore"</super::location::Link></td>
                                                <td class="ops-labels">{labels_text(&rule.labels)}</td>
                                                <td>{rule.evaluation_time_s.map(format_seconds).unwrap_or_default()}</td>
                                                <td class="ops-error">{rule.last_error}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    }
                }).collect_view().into_any(),
            }}
        </section>
    }
}

/// An annotation's value as a link when it is one a link may be (`runbook_url`), else as text.
fn annotation_view(name: String, value: String) -> impl IntoView {
    let link =
        (name.ends_with("_url") || name.ends_with("url")).then(|| safe_url::checked_link(&value)).flatten();
    view! {
        <div class="ops-annotation" data-annotation-name=name.clone()>
            <span class="muted">{format!("{name}: ")}</span>
            {match link {
                Some(href) => view! { <a href=href target="_blank" rel="noopener noreferrer">{value}</a> }.into_any(),
                None => view! { <span>{value}</span> }.into_any(),
            }}
        </div>
    }
}

/// Groups of alerts as the alerts view shows them (Prometheus's and an Alertmanager's alike).
fn alert_groups_view(groups: Vec<AlertGroup>) -> impl IntoView {
    groups
        .into_iter()
        .map(|group| {
            // Counts by state, in the order people look for them.
            let summary = ["firing", "pending", "silenced", "inhibited", "unprocessed"]
                .into_iter()
                .map(|state| (state, group.alerts.iter().filter(|a| a.state == state).count()))
                .filter(|(state, count)| *count > 0 || *state == "firing")
                .map(|(state, count)| format!("{count} {state}"))
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <section class="ops-group" data-alertname=group.name.clone()>
                    <h2>{group.name.clone()} " " <span class="ops-summary" class:ops-bad={group.firing > 0}>{summary}</span></h2>
                    <table class="ops-table">
                        <thead><tr><th>"State"</th><th>"Labels and annotations"</th><th>"Active since"</th><th>"Value"</th></tr></thead>
                        <tbody>
                            {group.alerts.into_iter().map(|alert| {
                                // An Alertmanager's alert says what mutes it where Prometheus's gives a value.
                                let muted = [("silenced by", &alert.silenced_by), ("inhibited by", &alert.inhibited_by)]
                                    .into_iter()
                                    .filter(|(_, ids)| !ids.is_empty())
                                    .map(|(what, ids)| format!("{what} {}", ids.join(", ")))
                                    .collect::<Vec<_>>()
                                    .join("; ");
                                view! {
                                    <tr data-alert-state=alert.state.clone()>
                                        <td class=format!("ops-{}", alert.state)>{alert.state.clone()}</td>
                                        <td>
                                            <div class="ops-labels">{labels_text(&alert.labels)}</div>
                                            <div class="ops-annotations">
                                                {alert.annotations.into_iter().map(|(name, value)| annotation_view(name, value)).collect_view()}
                                            </div>
                                        </td>
                                        <td>{alert.active_at}</td>
                                        <td>{alert.value}{muted}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
            }
        })
        .collect_view()
}

/// What a section of the alerts view shows for its answer: loading, the error, "No alerts." or the
/// groups.
fn alerts_body(groups: Option<Result<Vec<AlertGroup>, String>>) -> AnyView {
    match groups {
        None => view! { <p class="muted">"Loading…"</p> }.into_any(),
        Some(Err(message)) => view! { <p class="panel-error" role="alert">{message}</p> }.into_any(),
        Some(Ok(groups)) if groups.is_empty() => {
            view! { <p class="muted ops-empty">"No alerts."</p> }.into_any()
        }
        Some(Ok(groups)) => alert_groups_view(groups).into_any(),
    }
}

/// The alerts of one Alertmanager datasource (`type: alertmanager`), under Prometheus's, with the
/// same filters; re-read with them.
#[component]
fn AlertmanagerAlerts(
    datasource: Datasource,
    refresh: RwSignal<u64>,
    state: RwSignal<String>,
    matchers: RwSignal<String>,
) -> impl IntoView {
    let (uid, name) = (datasource.uid.clone(), datasource.name.clone());
    let answer = LocalResource::new(move || {
        refresh.track();
        let datasource = datasource.clone();
        async move { client::alertmanager_alerts(&datasource).await }
    });
    let groups = move || {
        answer.get().map(|a| {
            a.and_then(|data| group_alerts(&read_alertmanager_alerts(&data), &state.get(), &matchers.get()))
        })
    };
    view! {
        <section class="ops-alertmanager" data-alertmanager=uid>
            <h2 class="ops-source">"Alertmanager: " {name}</h2>
            {move || alerts_body(groups())}
        </section>
    }
}

#[component]
pub fn AlertsPage() -> impl IntoView {
    let refresh = RwSignal::new(0_u64);
    let datasource = use_view_datasource();
    let answer = use_api_data(refresh, datasource, "/api/v1/alerts", "alerts");
    let state = RwSignal::new(String::new());
    let matchers = RwSignal::new(String::new());
    let groups = move || {
        answer
            .get()
            .map(|a| a.and_then(|data| group_alerts(&read_alerts(&data), &state.get(), &matchers.get())))
    };
    let alertmanagers: Vec<Datasource> = catalogue::datasources()
        .datasources()
        .iter()
        .filter(|d| d.type_name == ALERTMANAGER_TYPE)
        .cloned()
        .collect();
    view! {
        <section class="ops-page" data-page="alerts">
            <div class="ops-header">
                <h1>"Alerts"</h1>
                <select class="ops-state" on:change=move |e| state.set(event_target_value(&e))>
                    <option value="" selected=true>"Every state"</option>
                    <option value="firing">"Firing"</option>
                    <option value="pending">"Pending"</option>
                    <option value="silenced">"Silenced"</option>
                    <option value="inhibited">"Inhibited"</option>
                </select>
                <input class="search ops-matchers" type="search" placeholder="Label matchers: severity=\"critical\", job=~\"api.*\""
                    prop:value=move || matchers.get() on:input=move |e| matchers.set(event_target_value(&e)) />
                <DatasourcePicker datasource=datasource />
                <button class="ops-refresh" on:click=move |_| refresh.update(|n| *n += 1)>"Refresh"</button>
            </div>
            <section class="ops-prometheus">
                {move || alerts_body(groups())}
            </section>
            {alertmanagers.into_iter().map(|datasource| view! {
                <AlertmanagerAlerts datasource=datasource refresh=refresh state=state matchers=matchers />
            }).collect_view()}
        </section>
    }
}
