//! The panel menu (view full screen, inspect) and the inspector: the panel's data as a table with
//! a CSV download, each query as sent (interpolated, with its step and range), the raw response,
//! and the panel's JSON as the file has it. State lives in the URL (`viewPanel`, `inspect`), as in
//! Grafana, so a view or an inspector can be linked and survives a reload.

use super::location::use_url_state;
use super::panel_data::PanelData;
use crate::app::catalogue;
use crate::edit::layout;
use crate::field::units;
use crate::json;
use crate::panels::inspect::{joined_by_time, json_path_pointer, to_csv};
use crate::prom::client;
use crate::route;
use crate::route::{param, with_params};
use crate::time;
use leptos::prelude::*;

/// Rows the data tab shows at most (the CSV has them all).
const SHOWN_ROWS: usize = 500;
/// Characters of a raw response shown at most.
const SHOWN_RAW_CHARS: usize = 200_000;

/// The menu beside a panel's title.
#[component]
pub fn PanelMenu(
    id: i64,
    /// Where "Explore" opens this panel's queries, for a panel that queries.
    #[prop(optional)]
    explore: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let url = use_url_state();
    let open = RwSignal::new(false);
    let set = move |key: &'static str, value: Option<String>| {
        open.set(false);
        let search = url.search.get_untracked();
        url.set_query(&with_params(&search, &[(key, value.as_deref())]));
    };
    let viewing = move || url.query_param(param::VIEW_PANEL).as_deref() == Some(&id.to_string());
    view! {
        <span class="panel-menu">
            <button class="panel-menu-button" title="Panel menu" aria-label="Panel menu" on:click=move |_| open.update(|o| *o = !*o)>"\u{22ee}"</button>
            <Show when=move || open.get()>
                <span class="panel-menu-items" role="menu">
                    {move || if viewing() {
                        view! { <button role="menuitem" class="menu-view" on:click=move |_| set(param::VIEW_PANEL, None)>"Back to dashboard"</button> }.into_any()
                    } else {
                        view! { <button role="menuitem" class="menu-view" on:click=move |_| set(param::VIEW_PANEL, Some(id.to_string()))>"View"</button> }.into_any()
                    }}
                    <button role="menuitem" class="menu-inspect" on:click=move |_| set(param::INSPECT, Some(id.to_string()))>"Inspect"</button>
                    {move || explore.and_then(|href| href.get()).map(|href| view! {
                        <super::location::Link href=href class="menu-explore">"Explore"</super::location::Link>
                    })}
                    {super::editing::use_editing().map(|editing| view! {
                        <button role="menuitem" class="menu-edit" on:click=move |_| set(param::EDIT_PANEL, Some(id.to_string()))>"Edit"</button>
                        <button role="menuitem" class="menu-duplicate" on:click=move |_| { open.set(false); super::edit_bar::duplicate(editing, id) }>"Duplicate"</button>
                        <button role="menuitem" class="menu-copy" on:click=move |_| { open.set(false); super::edit_bar::copy_panel(editing, id) }>"Copy"</button>
                        <button role="menuitem" class="menu-remove" on:click=move |_| { open.set(false); super::edit_bar::remove(editing, id) }>"Remove"</button>
                    })}
                </span>
            </Show>
        </span>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Data,
    Query,
    Raw,
    Json,
}

/// The inspector drawer, shown while the URL's `inspect` names this panel.
#[component]
pub fn Inspector(
    id: i64,
    title: String,
    json_path: String,
    #[prop(into)] data: Signal<Option<Result<PanelData, String>>>,
    #[prop(into)] utc_offset_minutes: Signal<i32>,
) -> impl IntoView {
    let url = use_url_state();
    let open = move || url.query_param(param::INSPECT).as_deref() == Some(&id.to_string());
    let close = move |_| {
        let search = url.search.get_untracked();
        url.set_query(&with_params(&search, &[(param::INSPECT, None)]));
    };
    let tab = RwSignal::new(Tab::Data);
    // The document being edited (the file, or the draft on it).
    let editing = super::editing::use_editing();
    let (title, json_path) = (StoredValue::new(title), StoredValue::new(json_path));
    let panel_json = move || {
        // By id first: the panel may have moved in the file since this page showed it (editing).
        editing?.session.with_untracked(|s| {
            layout::panel_json(&s.current, id)
                .or_else(|| json::pointer(&s.current, &json_path_pointer(&json_path.get_value())).cloned())
                .map(|v| serde_json::to_string_pretty(&v).unwrap_or_default())
        })
    };
    let raw = RwSignal::new(None::<Vec<String>>);
    let fetch_raw = move |_| {
        let Some(Ok(panel_data)) = data.get_untracked() else { return };
        raw.set(Some(vec!["Asking again…".into()]));
        leptos::task::spawn_local(async move {
            let mut bodies = Vec::new();
            for query in &panel_data.queries {
                bodies.push(match client::raw_answer(&catalogue::datasources(), query).await {
                    Ok((status, body)) => {
                        let shown: String = body.chars().take(SHOWN_RAW_CHARS).collect();
                        let cut = if shown.len() < body.len() { "\n… (cut)" } else { "" };
                        format!("{} — HTTP {status}\n{shown}{cut}", query.ref_id)
                    }
                    Err(error) => format!("{} — {error}", query.ref_id),
                });
            }
            raw.set(Some(bodies));
        });
    };
    let tab_button = move |which: Tab, label: &'static str, class: &'static str| {
        view! { <button class=class class:active=move || tab.get() == which on:click=move |_| tab.set(which)>{label}</button> }
    };
    let body = move || {
        match (tab.get(), data.get()) {
        (_, None) => view! { <p class="muted">"Loading…"</p> }.into_any(),
        (Tab::Json, _) => view! { <pre class="inspect-json">{panel_json().unwrap_or_else(|| "(not found)".into())}</pre> }.into_any(),
        (_, Some(Err(message))) => view! { <p class="panel-error">{message}</p> }.into_any(),
        (Tab::Data, Some(Ok(panel_data))) => {
            let table = joined_by_time(&panel_data.series);
            let offset = utc_offset_minutes.get_untracked();
            let csv_url = super::exporter::blob_url_of(&to_csv(&table, offset), "text/csv");
            let file_name = format!("{}-data.csv", route::slugify(&title.get_value()));
            let total = table.rows.len();
            view! {
                <div class="inspect-data">
                    <p class="inspect-summary">{format!("{} series, {total} rows", table.headers.len() - 1)}
                        " " <a class="button inspect-csv" href=csv_url.unwrap_or_default() download=file_name>"Download CSV"</a>
                    </p>
                    <table class="data-table inspect-table">
                        <thead><tr>{table.headers.iter().map(|h| view! { <th>{h.clone()}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {table.rows.iter().take(SHOWN_ROWS).map(|(time, values)| view! {
                                <tr>
                                    <td>{time::format_local_datetime(*time as i64, offset)}</td>
                                    {values.iter().map(|v| view! { <td>{v.map(units::js_number_to_string).unwrap_or_default()}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    {(total > SHOWN_ROWS).then(|| view! { <p class="muted">{format!("First {SHOWN_ROWS} of {total} rows shown; the CSV has them all.")}</p> })}
                </div>
            }
            .into_any()
        }
        (Tab::Query, Some(Ok(panel_data))) => view! {
            <div class="inspect-queries">
                {panel_data.queries.iter().map(|query| {
                    let (method, request_url, form) = client::request_summary(&catalogue::datasources(), query);
                    let kind = if query.instant_at.is_some() { "instant" } else { "range" };
                    view! {
                        <div class="inspect-query" data-ref-id=query.ref_id.clone() data-step=query.step_s>
                            <h4>{format!("{} ({kind})", query.ref_id)}</h4>
                            <pre class="inspect-expr">{query.expr.clone()}</pre>
                            <p>{format!("step {} s, from {} to {} (seconds since the epoch)", query.step_s, query.start_s, query.end_s)}</p>
                            <pre class="inspect-request">{format!("{method} {request_url}\n{form}")}</pre>
                        </div>
                    }
                }).collect_view()}
            </div>
        }
        .into_any(),
        (Tab::Raw, Some(Ok(_))) => view! {
            <div class="inspect-raw">
                <button class="button inspect-fetch" on:click=fetch_raw>"Fetch the response"</button>
                {move || raw.get().map(|bodies| bodies.into_iter().map(|b| view! { <pre class="inspect-raw-body">{b}</pre> }).collect_view())}
            </div>
        }
        .into_any(),
    }
    };
    view! {
        <Show when=open>
            <aside class="inspector" role="dialog" aria-label="Inspect panel" data-inspect=id>
                <div class="inspector-header">
                    <strong>"Inspect"</strong>
                    {tab_button(Tab::Data, "Data", "tab-data")}
                    {tab_button(Tab::Query, "Query", "tab-query")}
                    {tab_button(Tab::Raw, "Response", "tab-raw")}
                    {tab_button(Tab::Json, "Panel JSON", "tab-json")}
                    <span class="spacer"></span>
                    <button class="inspector-close" on:click=close>"Close"</button>
                </div>
                <div class="inspector-body">{body}</div>
            </aside>
        </Show>
    }
}
