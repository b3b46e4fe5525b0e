//! Explore (`/explore`): PromQL queries of any Prometheus-compatible datasource, drawn as a graph
//! and a table of the latest values by the dashboards' own panels, over a time range of its own.
//! The state is the URL's, in Grafana's form ([`crate::explore`]), one pane or two side by side
//! (Split); a panel's menu and the rules view open it on their queries, and "Add to dashboard"
//! copies the graph as a panel to paste.

use super::grid::use_element_width;
use super::location::use_url_state;
use super::panel::{PanelFrame, PanelGeometry};
use super::timezone::Zone;
use super::toolbar::Toolbar;
use crate::app::catalogue;
use crate::datasource;
use crate::explore::{EXPLORE_PATH, ExplorePanes, ExploreState, queries_of, ref_id_for};
use crate::route::param;
use crate::time::TimeRange;
use crate::view::DashboardView;
use crate::view::PanelView;
use leptos::html::Div;
use leptos::prelude::*;
use serde_json::{Value, json};

/// The graph's and the table's height, in CSS px.
const GRAPH_PX: f64 = 380.0;
const TABLE_PX: f64 = 260.0;

/// The link that opens Explore on these queries (ref id, expression) of a datasource.
pub fn explore_href(datasource: Option<&str>, queries: &[(String, String)], from: &str, to: &str) -> String {
    format!("{EXPLORE_PATH}{}", ExploreState::for_queries(datasource, queries).to_search(from, to))
}

/// The panel view of one panel's JSON.
fn panel_view(panel: Value) -> Option<PanelView> {
    let document = json!({ "panels": [panel] });
    DashboardView::from_upgraded(document.as_object()?).panels.into_iter().next()
}

#[component]
pub fn ExplorePage() -> impl IntoView {
    let url = use_url_state();
    let panes = Memo::new(move |_| ExplorePanes::from_search(&url.search.get()));
    let first_range = move |pick: fn(&ExploreState) -> Option<String>| {
        panes.with(|p| p.0.first().and_then(|(_, s)| pick(s)))
    };
    let from = Memo::new(move |_| {
        url.query_param(param::FROM)
            .or_else(|| first_range(|s| s.from.clone()))
            .unwrap_or_else(|| "now-1h".into())
    });
    let to = Memo::new(move |_| {
        url.query_param(param::TO).or_else(|| first_range(|s| s.to.clone())).unwrap_or_else(|| "now".into())
    });
    let zone = Memo::new(move |_| {
        Zone::parse(&url.query_param(param::TIMEZONE).unwrap_or_else(|| "browser".into()))
    });
    let refresh_count = RwSignal::new(0_u64);
    let (range, utc_offset) = super::timezone::use_time_range(from, to, zone, refresh_count);
    provide_context(super::links::LinkTimeRange { from, to });
    // A pane's new state (`None`: closed), written into the URL with the others as they are.
    let write_pane = Callback::new(move |(index, next): (usize, Option<ExploreState>)| {
        let mut all = panes.get_untracked();
        match next {
            Some(state) if index < all.0.len() => all.0[index].1 = state,
            None if all.0.len() > 1 && index < all.0.len() => {
                all.0.remove(index);
            }
            _ => return,
        }
        url.set_query(&all.to_search(&from.get_untracked(), &to.get_untracked()));
        refresh_count.update(|n| *n += 1);
    });
    let split = Callback::new(move |()| {
        let all = panes.get_untracked().split();
        url.set_query(&all.to_search(&from.get_untracked(), &to.get_untracked()));
    });
    let count = Memo::new(move |_| panes.with(|p| p.0.len()));
    view! {
        <section class="explore-page" data-page="explore">
            <Toolbar title="Explore".to_string() from=from to=to refresh=Signal::derive(|| None::<String>)
                range_error=Signal::derive(move || range.get().err()) range=range utc_offset_minutes=utc_offset
                on_refresh=Callback::new(move |()| refresh_count.update(|n| *n += 1)) refresh_intervals=Vec::new() />
            <div class="explore-panes" class:split=move || { count.get() > 1 }>
                {move || (0..count.get()).map(|index| {
                    let state = Memo::new(move |_| panes.with(|p| p.0.get(index).map(|(_, s)| s.clone()).unwrap_or_default()));
                    view! {
                        <ExplorePane index=index state=state range=range zone=zone refresh_count=refresh_count
                            panes=count on_change=write_pane on_split=split />
                    }
                }).collect_view()}
            </div>
        </section>
    }
}

/// One pane: its datasource and queries (edited until "Run query"), the graph and the table of
/// its results, and Split (one pane) or Close (two).
#[component]
fn ExplorePane(
    index: usize,
    state: Memo<ExploreState>,
    range: Memo<Result<TimeRange, String>>,
    zone: Memo<(Zone, Option<String>)>,
    refresh_count: RwSignal<u64>,
    panes: Memo<usize>,
    on_change: Callback<(usize, Option<ExploreState>)>,
    on_split: Callback<()>,
) -> impl IntoView {
    // The queries being edited: the URL's until "Run query" writes them back.
    let working = RwSignal::new(Value::Null);
    Effect::new(move |_| {
        let targets: Vec<Value> = state.with(|s| {
            s.queries
                .iter()
                .map(|q| json!({ "refId": q.ref_id, "expr": q.expr, "instant": q.instant }))
                .collect()
        });
        working.set(json!({ "targets": targets }));
    });
    let datasources: Vec<(String, String)> = catalogue::datasources()
        .datasources()
        .iter()
        .filter(|d| datasource::speaks_promql(&d.type_name))
        .map(|d| (d.uid.clone(), d.name.clone()))
        .collect();
    let chosen_datasource = RwSignal::new(None::<String>);
    Effect::new(move |_| chosen_datasource.set(state.with(|s| s.datasource.clone())));
    let run = move || {
        let queries = working.with_untracked(|w| {
            queries_of(w.get("targets").and_then(Value::as_array).map_or(&[][..], Vec::as_slice))
        });
        let next =
            ExploreState { datasource: chosen_datasource.get_untracked(), queries, from: None, to: None };
        on_change.run((index, Some(next)));
    };
    let add_query = move |_| {
        working.update(|w| {
            if let Some(Value::Array(targets)) = w.get_mut("targets") {
                let used: Vec<String> =
                    targets.iter().filter_map(|t| t.get("refId")?.as_str().map(str::to_string)).collect();
                let ref_id = (0..).map(ref_id_for).find(|r| !used.contains(r)).unwrap_or_default();
                targets.push(json!({ "refId": ref_id, "expr": "", "instant": false }));
            }
        })
    };
    let status = RwSignal::new(None::<String>);
    let add_to_dashboard = move |_| {
        let panel = state.with_untracked(|s| s.panel("timeseries", 1));
        status.set(Some(if super::edit_bar::store_copied_panel(&panel) {
            "The graph is copied as a panel: open a dashboard and use Add → Paste panel".into()
        } else {
            "Cannot copy: the browser's storage is unavailable".into()
        }));
    };
    let results_ref = NodeRef::<Div>::new();
    let width = use_element_width(results_ref);
    let variables: Signal<Option<Vec<super::variables::VariableState>>> = Signal::derive(|| Some(Vec::new()));
    let query_rows = move || {
        let count = working.with(|w| w.get("targets").and_then(Value::as_array).map_or(0, Vec::len));
        (0..count)
            .map(|index| {
                let ref_id = working.with_untracked(|w| {
                    w["targets"][index].get("refId").and_then(Value::as_str).unwrap_or("").to_string()
                });
                let instant = working.with_untracked(|w| w["targets"][index].get("instant").and_then(Value::as_bool) == Some(true));
                let label = ref_id.clone();
                view! {
                    <div class="explore-query" data-ref=ref_id>
                        <span class="explore-ref">{label}</span>
                        <super::promql_field::PromqlEditor working=working index=index />
                        <label class="explore-instant"><input type="checkbox" prop:checked=instant on:change=move |event| {
                            let checked = event_target_checked(&event);
                            working.update(|w| w["targets"][index]["instant"] = json!(checked));
                        } />"Instant"</label>
                        <button class="explore-remove" title="Remove query" on:click=move |_| working.update(|w| {
                            if let Some(Value::Array(targets)) = w.get_mut("targets") && targets.len() > 1 {
                                targets.remove(index);
                            }
                        })>"\u{2715}"</button>
                    </div>
                }
            })
            .collect_view()
    };
    // Each pane's panels have ids of their own (1 and 2 in the first pane).
    let (graph_id, table_id) = (index as i64 * 2 + 1, index as i64 * 2 + 2);
    let results = move || {
        let width = width.get();
        if width <= 0.0 {
            return ().into_any();
        }
        let (graph, table) = state
            .with(|s| (panel_view(s.panel("timeseries", graph_id)), panel_view(s.panel("table", table_id))));
        let (Some(graph), Some(table)) = (graph, table) else { return ().into_any() };
        if graph.targets.is_empty() {
            return view! { <p class="muted explore-empty">"Write a PromQL query and run it."</p> }
                .into_any();
        }
        let graph_box = PanelGeometry { left: 0.0, top: 0.0, width, height: GRAPH_PX };
        let table_box = PanelGeometry { left: 0.0, top: GRAPH_PX + 8.0, width, height: TABLE_PX };
        view! {
            <PanelFrame panel=graph geometry=graph_box range=range zone=zone variables=variables
                refresh_count=Signal::derive(move || refresh_count.get()) collapsed=false on_toggle_row=Callback::new(|_| ()) />
            <PanelFrame panel=table geometry=table_box range=range zone=zone variables=variables
                refresh_count=Signal::derive(move || refresh_count.get()) collapsed=false on_toggle_row=Callback::new(|_| ()) />
        }
        .into_any()
    };
    view! {
        <div class="explore-pane" data-pane=index>
            <div class="explore-bar">
                <select class="explore-datasource" aria-label="Datasource" on:change=move |event| {
                    let uid = event_target_value(&event);
                    chosen_datasource.set((!uid.is_empty()).then_some(uid));
                }>
                    <option value="">"Default datasource"</option>
                    {datasources.into_iter().map(|(uid, name)| {
                        let value = uid.clone();
                        let selected = move || chosen_datasource.get().as_deref() == Some(uid.as_str());
                        view! { <option value=value selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
                <button class="explore-run primary" on:click=move |_| run()>"Run query"</button>
                <button class="explore-add-query" on:click=add_query>"Add query"</button>
                <button class="explore-to-dashboard" on:click=add_to_dashboard>"Add to dashboard"</button>
                {move || if panes.get() >= 2 {
                    view! { <button class="explore-close" title="Close this pane" on:click=move |_| on_change.run((index, None))>"Close"</button> }.into_any()
                } else {
                    view! { <button class="explore-split" title="Split: a second pane beside this one" on:click=move |_| on_split.run(())>"Split"</button> }.into_any()
                }}
                {move || status.get().map(|s| view! { <span class="explore-status muted" role="status">{s}</span> })}
            </div>
            <div class="explore-queries" on:keydown=move |event: leptos::ev::KeyboardEvent| {
                // Shift+Enter runs the queries, as in Grafana (after the field hands its text over).
                if event.key() == "Enter" && event.shift_key() {
                    event.prevent_default();
                    if let Some(element) = document().active_element().and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()) {
                        let _ = element.blur();
                    }
                    run();
                }
            }>{query_rows}</div>
            <div class="explore-results grid" node_ref=results_ref style=format!("height:{}px", GRAPH_PX + TABLE_PX + 16.0)>{results}</div>
        </div>
    }
}
