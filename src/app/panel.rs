//! A panel frame on the grid: title, state, and the panel body. For time series it runs the
//! panel's queries (through [`crate::prom::client`]) and hands the results to the chart; the chart
//! itself only draws what it is given.
//!
//! `data-state` on the frame is the contract tests and benchmarks wait on:
//! `loading | drawn | nodata | error | unsupported`. Time-series frames also carry the first query's
//! `data-expr` (interpolated), `data-start`, `data-end` and `data-step`, and each legend item its
//! series' `data-last` (raw `lastNotNull`), so tools can check what was asked and what is shown.

use super::canvas::draw_chart;
use super::links::PanelLinks;
use super::panel_data::{PanelQueries, use_panel_queries};
use super::timezone::Zone;
use super::variables::{VariableState, lookup_from};
use crate::chart::{ChartLayout, ChartSeries, ChartSpec, time_at, time_px, value_at};
use crate::field::display::{ColorMode, FieldConfig};
use crate::field::{DisplaySeries, Rgb};
use crate::panels::gauge::{arc_path, scaled_values};
use crate::panels::pie::pie_view;
use crate::panels::stat::{StatColorMode, stat_view};
use crate::panels::table::{sort_rows, table_view};
use crate::panels::text::{markdown_to_html, sanitize_html};
use crate::panels::timeseries::{
    LEGEND_NAME_COLUMN, LegendMode, LegendOptions, LegendSort, TooltipRow, calc_title, legend_options,
    legend_order, legend_values, series_options, stack_series, thresholds_display, toggle_legend_sort,
    tooltip_rows,
};
use crate::time::TimeRange;
use crate::view::links::DashboardLink;
use crate::view::{PanelKind, PanelView};
use leptos::html::Canvas;
use leptos::prelude::*;

/// Where a panel sits on the grid, in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PanelGeometry {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

impl PanelGeometry {
    pub fn style(&self) -> String {
        format!("left:{}px;top:{}px;width:{}px;height:{}px", self.left, self.top, self.width, self.height)
    }
}

#[component]
pub fn PanelFrame(
    panel: PanelView,
    #[prop(into)] geometry: Signal<PanelGeometry>,
    /// The dashboard's resolved time range, or why it has none.
    range: Memo<Result<TimeRange, String>>,
    /// The dashboard's time zone (and a notice when it fell back).
    zone: Memo<(Zone, Option<String>)>,
    /// The dashboard's evaluated template variables (present once evaluated).
    #[prop(into)]
    variables: Signal<Option<Vec<VariableState>>>,
    /// Bumped by the refresh button and auto-refresh: queries run again even when the range is
    /// absolute and so resolves to the same instants.
    #[prop(into)]
    refresh_count: Signal<u64>,
    /// Whether this panel, if it is a row, is collapsed now.
    #[prop(into)]
    collapsed: Signal<bool>,
    on_toggle_row: Callback<i64>,
) -> impl IntoView {
    let id = panel.id;
    let style = move || geometry.get().style();
    match panel.kind.clone() {
        PanelKind::Row { .. } => {
            // A row's title interpolates variables too (a repeated row's copy sees its own value).
            let title = panel.title.clone();
            let shown_title = move || {
                let states = variables.get().unwrap_or_default();
                crate::variables::interpolate(&title, &lookup_from(&states))
            };
            view! {
                <div class="row-panel" data-panel-id=id data-state="drawn" style=style>
                    <button class="row-toggle" on:click=move |_| on_toggle_row.run(id)>
                        <span class="chevron">{move || if collapsed.get() { "▸" } else { "▾" }}</span>
                        <span class="row-title">{shown_title}</span>
                    </button>
                </div>
            }
            .into_any()
        }
        PanelKind::TimeSeries => view! { <TimeSeriesPanel panel=panel geometry=geometry range=range zone=zone variables=variables refresh_count=refresh_count /> }.into_any(),
        PanelKind::Stat | PanelKind::Gauge | PanelKind::BarGauge | PanelKind::Pie | PanelKind::Table | PanelKind::Heatmap => view! { <ReducedPanel panel=panel geometry=geometry range=range zone=zone variables=variables refresh_count=refresh_count /> }.into_any(),
        PanelKind::Text { content, mode } => {
            // Variables are interpolated in the content, as Grafana does; the HTML is safe by
            // construction (see panels::text).
            let html = move || {
                let states = variables.get().unwrap_or_default();
                let content = crate::variables::interpolate(&content, &lookup_from(&states));
                match mode.as_str() {
                    "html" => sanitize_html(&content),
                    "code" => format!("<pre><code>{}</code></pre>", content.replace('&', "&amp;").replace('<', "&lt;")),
                    _ => markdown_to_html(&content),
                }
            };
            view! {
                <div class="panel" data-panel-id=id data-state="drawn" style=style>
                    <PanelHeader title=panel.title.clone() links=panel.links.clone() variables=variables />
                    <div class="panel-body text-panel" inner_html=html></div>
                </div>
            }
            .into_any()
        }
        PanelKind::AlertList => view! { <AlertListPanel panel=panel geometry=geometry variables=variables refresh_count=refresh_count /> }.into_any(),
        PanelKind::Other(type_name) => {
            let message = if type_name.is_empty() {
                "This panel has no type.".to_string()
            } else {
                format!("Panel type \u{201c}{type_name}\u{201d} is not supported yet; it is kept unchanged in the dashboard.")
            };
            view! {
                <div class="panel" data-panel-id=id data-state="unsupported" style=style>
                    <PanelHeader title=panel.title.clone() links=panel.links.clone() variables=variables />
                    <div class="panel-message">{message}</div>
                </div>
            }
            .into_any()
        }
    }
}

/// The alert list: Prometheus's firing and pending alerts (`/api/v1/alerts` of the default
/// datasource), re-read on refresh.
#[component]
fn AlertListPanel(
    panel: PanelView,
    geometry: Signal<PanelGeometry>,
    variables: Signal<Option<Vec<VariableState>>>,
    refresh_count: Signal<u64>,
) -> impl IntoView {
    let id = panel.id;
    let options = panel.options.clone();
    let alerts = LocalResource::new(move || {
        refresh_count.track();
        let options = options.clone();
        async move {
            let datasource = crate::datasource::current().default_datasource().clone();
            let data = crate::prom::client::get_api_data(&datasource, "/api/v1/alerts", &[], "alerts")
                .await
                .map_err(|error| error.to_string())?;
            Ok::<_, String>(crate::panels::alertlist::shown_alerts(
                crate::panels::alertlist::read_alerts(&data),
                &options,
            ))
        }
    });
    let state = move || match alerts.get() {
        None => "loading",
        Some(Err(_)) => "error",
        Some(Ok(list)) if list.is_empty() => "nodata",
        Some(Ok(_)) => "drawn",
    };
    let body = move || match alerts.get() {
        None => view! { <div class="panel-message muted">"Loading…"</div> }.into_any(),
        Some(Err(message)) => view! { <div class="panel-error" role="alert">{message}</div> }.into_any(),
        Some(Ok(list)) if list.is_empty() => {
            view! { <div class="panel-message muted">"No alerts"</div> }.into_any()
        }
        Some(Ok(list)) => view! {
            <ul class="alert-list">
                {list.into_iter().map(|alert| {
                    let labels = alert
                        .labels
                        .iter()
                        .filter(|(k, _)| k.as_str() != "alertname")
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let (name, state) = (alert.name.clone(), alert.state.clone());
                    let state_class = format!("alert-state alert-{state}");
                    let (name_attribute, state_attribute) = (name.clone(), state.clone());
                    view! {
                        <li class="alert-item" data-alert=name_attribute data-alert-state=state_attribute>
                            <span class=state_class>{state}</span>
                            <span class="alert-name">{name}</span>
                            <span class="alert-labels">{labels}</span>
                            <span class="alert-since" title="active since">{alert.active_at}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any(),
    };
    view! {
        <div class="panel" data-panel-id=id data-state=state style=move || geometry.get().style()>
            <PanelHeader title=panel.title.clone() links=panel.links.clone() variables=variables />
            <div class="panel-body">{body}</div>
        </div>
    }
}

/// The frame of a panel that queries: the state and first query as data attributes (the contract
/// tests and tools rely on), the title, the panel's own time note, and the body.
#[component]
fn QueryPanelFrame(
    id: i64,
    panel_ref: NodeRef<leptos::html::Div>,
    state: Signal<&'static str>,
    queries: PanelQueries,
    geometry: Signal<PanelGeometry>,
    title: String,
    links: Vec<DashboardLink>,
    variables: Signal<Option<Vec<VariableState>>>,
    /// Where the panel is in the dashboard's JSON, and the dashboard's zone: for the inspector.
    json_path: String,
    zone: Memo<(Zone, Option<String>)>,
    children: Children,
) -> impl IntoView {
    let time_info = queries.time_info;
    let data = Signal::derive(move || queries.result());
    let utc_offset_minutes = Signal::derive(move || {
        let now = queries.range.get().map_or(0, |r| r.to_ms);
        zone.with(|(zone, _)| zone.offset_minutes(now))
    });
    let inspector_title = title.clone();
    // A User Timing mark each time the panel settles (drawn, nodata, error): the benchmark reads
    // them to time a dashboard's load from navigation to pixels; they cost nothing otherwise.
    Effect::new(move |previous: Option<&'static str>| {
        let now = state.get();
        if now != "loading"
            && previous != Some(now)
            && let Some(performance) = window().performance()
        {
            let _ = performance.mark(&format!("promboard:settled:{id}:{now}"));
        }
        now
    });
    view! {
        <div
            class="panel"
            node_ref=panel_ref
            data-panel-id=id
            data-state=move || state.get()
            data-step=move || queries.first_query(|q| q.step_s)
            data-start=move || queries.first_query(|q| q.start_s)
            data-end=move || queries.first_query(|q| q.end_s)
            data-expr=move || queries.first_expr()
            data-datasource=move || queries.datasources()
            style=move || geometry.get().style()
        >
            <PanelHeader title=title links=links variables=variables>
                <super::inspect::PanelMenu id=id />
            </PanelHeader>
            <super::inspect::Inspector id=id title=inspector_title json_path=json_path data=data utc_offset_minutes=utc_offset_minutes />
            {move || time_info.get().map(|info| view! { <span class="panel-time-info">{info}</span> })}
            {move || queries.query_errors().map(|error| {
                let title = error.clone();
                view! { <span class="panel-query-error" role="alert" title=title>{format!("\u{2716} {error}")}</span> }
            })}
            {move || queries.answer_notices().map(|notice| {
                let title = notice.clone();
                view! { <span class="panel-answer-notice" role="status" title=title>{format!("\u{26a0} {notice}")}</span> }
            })}
            {move || queries.datasource_notes().map(|note| {
                let title = note.clone();
                view! { <span class="panel-datasource-note" title=title>{note}</span> }
            })}
            <div class="panel-body">{children()}</div>
        </div>
    }
}

/// The title line; `$variables` in the title are interpolated, as Grafana does. The panel's links
/// open from a menu beside the title.
#[component]
fn PanelHeader(
    title: String,
    links: Vec<DashboardLink>,
    #[prop(into, optional)] variables: Option<Signal<Option<Vec<VariableState>>>>,
    /// The panel menu, for panels that have one.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let shown = move || match variables.and_then(|v| v.get()) {
        Some(states) => crate::variables::interpolate(&title, &lookup_from(&states)),
        None => title.clone(),
    };
    let states = Signal::derive(move || variables.and_then(|v| v.get()));
    view! {
        <div class="panel-header">
            <span class="panel-title">{shown}</span>
            <PanelLinks links=links variables=states />
            {children.map(|menu| menu())}
        </div>
    }
}

#[derive(Debug, Clone, PartialEq)]
enum DrawOutcome {
    NotYet,
    Drawn,
    Failed(String),
}

/// What a querying panel's body shows.
#[derive(Clone, PartialEq)]
enum BodyKind {
    Loading,
    Error(String),
    NoData,
    Data,
}

/// Elements waiting to come near the screen, with what to set when they do.
type Watched = Vec<(web_sys::Element, WriteSignal<bool>)>;

thread_local! {
    /// One observer for every panel, so that panels appearing together are told in one callback and
    /// their identical queries start together (and are shared by the client).
    static NEAR_SCREEN: std::cell::RefCell<Option<web_sys::IntersectionObserver>> = const { std::cell::RefCell::new(None) };
    static WATCHED: std::cell::RefCell<Watched> = const { std::cell::RefCell::new(Vec::new()) };
}

fn near_screen_observer() -> Option<web_sys::IntersectionObserver> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    NEAR_SCREEN.with(|slot| {
        if let Some(observer) = slot.borrow().as_ref() {
            return Some(observer.clone());
        }
        let callback = Closure::<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>::new(
            |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
                for entry in
                    entries.iter().filter_map(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
                {
                    if !entry.is_intersecting() {
                        continue;
                    }
                    let target = entry.target();
                    observer.unobserve(&target);
                    let setter = WATCHED.with(|watched| {
                        let mut watched = watched.borrow_mut();
                        let index = watched.iter().position(|(element, _)| *element == target)?;
                        Some(watched.swap_remove(index).1)
                    });
                    if let Some(set_seen) = setter {
                        set_seen.set(true);
                    }
                }
            },
        );
        let options = web_sys::IntersectionObserverInit::new();
        // Query a screen ahead, so scrolling finds panels drawn.
        options.set_root_margin("100% 0px 100% 0px");
        let observer =
            web_sys::IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &options)
                .ok()?;
        // The page-wide observer lives as long as the page.
        callback.forget();
        *slot.borrow_mut() = Some(observer.clone());
        Some(observer)
    })
}

/// Whether the element has come within a screen's height of the viewport (and stays true after).
fn use_seen(node: NodeRef<leptos::html::Div>) -> ReadSignal<bool> {
    let (seen, set_seen) = signal(false);
    Effect::new(move |_| {
        let Some(element) = node.get() else { return };
        if seen.get_untracked() {
            return;
        }
        let element: web_sys::Element = element.into();
        match near_screen_observer() {
            Some(observer) => {
                WATCHED.with(|watched| watched.borrow_mut().push((element.clone(), set_seen)));
                observer.observe(&element);
            }
            // Without IntersectionObserver, query at once.
            None => set_seen.set(true),
        }
    });
    on_cleanup(move || {
        if let Some(element) = node.get_untracked() {
            let element: web_sys::Element = element.into();
            WATCHED.with(|watched| watched.borrow_mut().retain(|(e, _)| *e != element));
            if let Some(observer) = NEAR_SCREEN.with(|slot| slot.borrow().clone()) {
                observer.unobserve(&element);
            }
        }
    });
    seen
}

#[component]
fn TimeSeriesPanel(
    panel: PanelView,
    geometry: Signal<PanelGeometry>,
    range: Memo<Result<TimeRange, String>>,
    zone: Memo<(Zone, Option<String>)>,
    variables: Signal<Option<Vec<VariableState>>>,
    refresh_count: Signal<u64>,
) -> impl IntoView {
    let id = panel.id;
    let title = panel.title.clone();
    let links = panel.links.clone();
    let json_path = panel.json_path.clone();
    let (unit, decimals) = (panel.unit.clone(), panel.decimals);
    let field_config = StoredValue::new(panel.field_config.clone());
    let legend = legend_options(&panel.options);
    // Header clicks re-sort a table legend for this view only; the dashboard is not edited.
    let legend_sort = RwSignal::new(legend.sort.clone());
    // Legend clicks isolate or toggle series for this view only (`None`: all shown).
    let shown_series = RwSignal::new(None::<Vec<String>>);
    // What the last drawing used, for hover and zoom maths.
    let drawn: StoredValue<Option<(ChartSpec, ChartLayout, f64)>> = StoredValue::new(None);
    // A drag across the chart selects a time range to zoom to: (start, current) in CSS pixels.
    let selecting = RwSignal::new(None::<(f64, f64)>);
    let url = super::location::use_url_state();
    let custom = panel.field_defaults.get("custom");
    let axis_label =
        custom.and_then(|c| c.get("axisLabel")).and_then(serde_json::Value::as_str).unwrap_or("").to_string();
    let axis_hidden =
        custom.and_then(|c| c.get("axisPlacement")).and_then(serde_json::Value::as_str) == Some("hidden");
    let log_base = crate::panels::timeseries::log_base(custom);
    let time_axis_hidden = crate::panels::timeseries::time_axis_hidden(&panel.field_config);
    let tooltip_mode = panel
        .options
        .get("tooltip")
        .and_then(|t| t.get("mode"))
        .and_then(serde_json::Value::as_str)
        .unwrap_or("single")
        .to_string();
    // What is hovered now.
    let hover = RwSignal::new(None::<Hover>);
    let shared_cursor = use_context::<SharedCursor>();
    // Grafana's shared crosshair (graphTooltip 1, or 2 with tooltips): where another panel's
    // pointer is, in this chart's CSS pixels.
    let shared_crosshair_x = move || {
        let cursor = shared_cursor?;
        let (time, from_panel) = cursor.time.get()?;
        if from_panel == id || cursor.mode == 0 {
            return None;
        }
        drawn.with_value(|drawn| {
            let (spec, layout, dpr) = drawn.as_ref()?;
            (time >= spec.from_ms && time <= spec.to_ms).then(|| time_px(spec, layout, time) / dpr)
        })
    };
    let panel_ref = NodeRef::<leptos::html::Div>::new();
    let seen = use_seen(panel_ref);
    let queries = use_panel_queries(
        &panel,
        seen,
        Signal::derive(move || geometry.get().width),
        range,
        zone,
        variables,
        refresh_count,
    );
    let range = queries.range;
    // A click (no drag) on a series with data links pins them beside the pointer.
    let pinned_links = RwSignal::new(None::<(f64, f64, Vec<(String, String, bool)>)>);
    let link_time = use_context::<super::links::LinkTimeRange>();
    let pin_links = move |x: f64, y: f64| {
        let Some(hovered) = hover.get_untracked() else { return pinned_links.set(None) };
        let Some(Ok(panel_data)) = queries.result_untracked() else { return };
        let options = series_options(&panel_data.series, &field_config.get_value());
        // The series the click is nearest to, in value: the tooltip's rows are those at its time.
        let pointer_value =
            drawn.with_value(|d| d.as_ref().map(|(_, layout, dpr)| value_at(layout, y * dpr)));
        let Some(row) = hovered.rows.iter().min_by(|a, b| {
            let distance = |r: &TooltipRow| pointer_value.map_or(0.0, |p| (r.value - p).abs());
            distance(a).total_cmp(&distance(b))
        }) else {
            return;
        };
        let Some((series, option)) =
            panel_data.series.iter().zip(&options).find(|(_, o)| o.display_name == row.name)
        else {
            return;
        };
        let states = variables.get_untracked().unwrap_or_default();
        let reference = |name: &str| {
            crate::panels::timeseries::series_data_reference(
                name,
                series,
                &option.display_name,
                (hovered.time, row.value, &row.text),
            )
        };
        let links: Vec<(String, String, bool)> = option
            .links
            .iter()
            .filter_map(|link| {
                let crate::view::links::LinkTarget::Url(url) = &link.target else { return None };
                let filled = crate::view::links::DashboardLink {
                    target: crate::view::links::LinkTarget::Url(crate::view::links::with_data_references(
                        url.as_str(),
                        &reference,
                    )),
                    ..link.clone()
                };
                let href = super::links::resolve_link(&filled, &states, link_time)?;
                let title = if link.title.is_empty() { href.clone() } else { link.title.clone() };
                Some((title, href, link.target_blank))
            })
            .collect();
        pinned_links.set((!links.is_empty()).then_some((x, y, links)));
    };
    let zoom_to_selection = move |end_x: f64, end_y: f64| {
        let Some((start_x, _)) = selecting.get_untracked() else { return };
        selecting.set(None);
        if (end_x - start_x).abs() < 4.0 {
            pin_links(end_x, end_y);
            return;
        }
        let times = drawn.with_value(|drawn| {
            let (spec, layout, dpr) = drawn.as_ref()?;
            let clamp = |x: f64| (x * dpr).clamp(layout.plot.left, layout.plot.right());
            let (a, b) = (time_at(spec, layout, clamp(start_x))?, time_at(spec, layout, clamp(end_x))?);
            Some((a.min(b).round() as i64, a.max(b).round() as i64))
        });
        if let Some((from, to)) = times.filter(|(from, to)| to > from) {
            let search = url.search.get_untracked();
            let (from, to) = (from.to_string(), to.to_string());
            url.set_query(&crate::route::with_params(
                &search,
                &[(crate::route::param::FROM, Some(&from)), (crate::route::param::TO, Some(&to))],
            ));
        }
    };

    let canvas_ref = NodeRef::<Canvas>::new();
    let outcome = RwSignal::new(DrawOutcome::NotYet);
    // The value-axis labels of the last drawing, for tools and tests (canvas text is not in the DOM).
    let y_tick_labels = RwSignal::new(String::new());
    let right_tick_labels = RwSignal::new(String::new());
    Effect::new(move |_| {
        geometry.track();
        let Some(canvas) = canvas_ref.get() else { return };
        let Some(Ok(panel_data)) = queries.result() else { return };
        let Ok(range) = range.get_untracked() else { return };
        let step_ms = panel_data.queries.iter().map(|q| q.step_s).max().unwrap_or(15) as f64 * 1000.0;
        // Each series' options, once per drawing (they are read for the axes and the series).
        let options = series_options(&panel_data.series, &field_config.get_value());
        // Percent stacking shows shares: Grafana's axis then reads 0–100 % whatever the unit.
        let percent_stacked = crate::panels::timeseries::percent_stacked(&options);
        let right_axis = crate::panels::timeseries::right_axis(&options);
        let mut bounds = crate::panels::timeseries::left_axis_bounds(&field_config.get_value());
        if percent_stacked {
            bounds = crate::chart::AxisBounds { min: Some(0.0), max: Some(1.0), ..bounds };
        }
        let spec = ChartSpec {
            from_ms: range.from_ms as f64,
            to_ms: range.to_ms as f64,
            gap_threshold_ms: step_ms,
            series: with_legend_visibility(
                chart_series(&panel_data.series, options),
                shown_series.get().as_deref(),
            ),
            utc_offset_minutes: zone.with_untracked(|(zone, _)| zone.offset_minutes(range.to_ms)),
            unit: if percent_stacked { "percentunit".to_string() } else { unit.clone() },
            decimals,
            thresholds: thresholds_display(&field_config.get_value()),
            axis_label: axis_label.clone(),
            axis_hidden,
            time_axis_hidden,
            right_axis,
            log_base,
            bounds,
            light_theme: crate::field::display::light_theme(),
        };
        match draw_chart(&canvas, &spec) {
            Ok(Some(layout)) => {
                y_tick_labels.set(
                    layout.y_ticks.iter().map(|(_, label)| label.as_str()).collect::<Vec<_>>().join("|"),
                );
                right_tick_labels.set(layout.right.as_ref().map_or(String::new(), |right| {
                    right.ticks.iter().map(|(_, label)| label.as_str()).collect::<Vec<_>>().join("|")
                }));
                // Kept for the hover tooltip and crosshair; moved, not copied (it holds every sample).
                drawn.set_value(Some((spec, layout, window().device_pixel_ratio().max(1.0))));
                outcome.set(DrawOutcome::Drawn)
            }
            Ok(None) => outcome.set(DrawOutcome::NotYet),
            Err(message) => outcome.set(DrawOutcome::Failed(message)),
        }
    });

    let state = move || match queries.result() {
        None => "loading",
        Some(Err(_)) => "error",
        Some(Ok(d)) if d.series.iter().all(|s| s.points_ms.is_empty()) => "nodata",
        Some(Ok(_)) => match outcome.get() {
            DrawOutcome::NotYet => "loading",
            DrawOutcome::Drawn => "drawn",
            DrawOutcome::Failed(_) => "error",
        },
    };
    // What the body shows, by kind: the chart's elements are built when data first arrives and
    // kept across refreshes (the drawing effect and the legend follow the data), not rebuilt.
    let body_kind = Memo::new(move |_| {
        queries.data.with(|data| match data.as_ref().and_then(Option::as_ref) {
            None => BodyKind::Loading,
            Some(Err(message)) => BodyKind::Error(message.clone()),
            Some(Ok(d)) if d.series.iter().all(|s| s.points_ms.is_empty()) => BodyKind::NoData,
            Some(Ok(_)) => BodyKind::Data,
        })
    });
    let body = move || {
        match body_kind.get() {
        BodyKind::Loading => view! { <div class="panel-message muted">"Loading…"</div> }.into_any(),
        BodyKind::Error(message) => view! { <div class="panel-error" role="alert">{message}</div> }.into_any(),
        BodyKind::NoData => view! { <div class="panel-message muted">"No data"</div> }.into_any(),
        BodyKind::Data => view! {
            <div class="timeseries" class:legend-right=legend.right>
                <div
                    class="chart"
                    data-y-ticks=move || y_tick_labels.get()
                    data-right-y-ticks=move || right_tick_labels.get()
                    on:mousemove={
                        let tooltip_mode = tooltip_mode.clone();
                        move |event: leptos::ev::MouseEvent| {
                            if selecting.get_untracked().is_some() {
                                let x = f64::from(event.offset_x());
                                selecting.update(|s| if let Some((_, current)) = s { *current = x });
                            }
                            let Some(Ok(panel_data)) = queries.result_untracked() else { return };
                            let options = series_options(&panel_data.series, &field_config.get_value());
                            let next = drawn.with_value(|drawn| {
                                let (spec, layout, dpr) = drawn.as_ref()?;
                                let (x, y) = (f64::from(event.offset_x()), f64::from(event.offset_y()));
                                let t = time_at(spec, layout, x * dpr)?;
                                let (time, rows) = tooltip_rows(&panel_data.series, &options, t, spec.gap_threshold_ms, &tooltip_mode, value_at(layout, y * dpr))?;
                                let label = crate::time::format_local_datetime(time as i64, spec.utc_offset_minutes);
                                let crosshair_x = time_px(spec, layout, time) / dpr;
                                Some(Hover { x, y, crosshair_x, label, rows, time })
                            });
                            if let Some(cursor) = shared_cursor {
                                cursor.time.set(next.as_ref().map(|h| (h.time, id)));
                            }
                            hover.set(next);
                        }
                    }
                    on:mousedown=move |event: leptos::ev::MouseEvent| {
                        if event.button() == 0 {
                            event.prevent_default();
                            let x = f64::from(event.offset_x());
                            selecting.set(Some((x, x)));
                        }
                    }
                    on:mouseup=move |event: leptos::ev::MouseEvent| zoom_to_selection(f64::from(event.offset_x()), f64::from(event.offset_y()))
                    on:mouseleave=move |_| {
                        selecting.set(None);
                        hover.set(None);
                        if let Some(cursor) = shared_cursor {
                            cursor.time.set(None);
                        }
                    }
                >
                    <canvas node_ref=canvas_ref></canvas>
                    {move || selecting.get().filter(|(a, b)| (a - b).abs() >= 1.0).map(|(a, b)| view! {
                        <div class="zoom-selection" style=format!("left:{:.1}px;width:{:.1}px", a.min(b), (a - b).abs())></div>
                    })}
                    {move || shared_crosshair_x().map(|x| view! {
                        <div class="crosshair shared-crosshair" style=format!("left:{x:.1}px")></div>
                    })}
                    {move || pinned_links.get().map(|(x, y, links)| view! {
                        <div class="data-links-menu" style=format!("left:{x:.1}px;top:{y:.1}px") on:mousedown=|e| e.stop_propagation() on:mouseup=|e| e.stop_propagation()>
                            {links.into_iter().map(|(title, href, blank)| if blank {
                                view! { <a class="data-link" href=href target="_blank" rel="noopener noreferrer">{title}</a> }.into_any()
                            } else {
                                view! { <a class="data-link" href=href>{title}</a> }.into_any()
                            }).collect_view()}
                            <button class="data-links-close" aria-label="Close" on:click=move |_| pinned_links.set(None)>"\u{2715}"</button>
                        </div>
                    })}
                    {move || hover.get().map(|h| {
                        view! {
                            <div class="crosshair" style=format!("left:{:.1}px", h.crosshair_x)></div>
                            {tooltip_box(h.x, h.y, h.label, h.rows, "tooltip")}
                        }
                    })}
                    {
                        // graphTooltip 2: the other panels' pointer time also opens this panel's
                        // tooltip, with every series (there is no pointer height here to pick one).
                        let tooltip_mode = tooltip_mode.clone();
                        move || {
                            let cursor = shared_cursor.filter(|c| c.mode == 2)?;
                            let (time, from_panel) = cursor.time.get()?;
                            if from_panel == id || tooltip_mode == "none" {
                                return None;
                            }
                            let series = queries.result_untracked()?.ok()?.series;
                            let options = series_options(&series, &field_config.get_value());
                            let (x, label, rows) = drawn.with_value(|drawn| {
                                let (spec, layout, dpr) = drawn.as_ref()?;
                                if time < spec.from_ms || time > spec.to_ms {
                                    return None;
                                }
                                let (sample, rows) = tooltip_rows(&series, &options, time, spec.gap_threshold_ms, "multi", f64::NAN)?;
                                let x = time_px(spec, layout, time) / dpr;
                                Some((x, crate::time::format_local_datetime(sample as i64, spec.utc_offset_minutes), rows))
                            })?;
                            Some(tooltip_box(x, 8.0, label, rows, "tooltip shared-tooltip"))
                        }
                    }
                </div>
                {move || match outcome.get() {
                    DrawOutcome::Failed(message) => Some(view! { <div class="panel-error" role="alert">{message}</div> }),
                    _ => None,
                }}
                {
                    let legend = legend.clone();
                    move || queries.result().and_then(Result::ok).map(|d| legend_view(&d.series, &field_config.get_value(), &legend, legend_sort, shown_series))
                }
            </div>
        }
        .into_any(),
    }
    };
    view! {
        <QueryPanelFrame
            id=id
            panel_ref=panel_ref
            state=Signal::derive(state)
            queries=queries
            geometry=geometry
            title=title
            links=links.clone()
            variables=variables
            json_path=json_path.clone()
            zone=zone
        >
            {body}
        </QueryPanelFrame>
    }
}

/// What the pointer hovers: its position (CSS px in the chart), the sample's x, and the tooltip.
#[derive(Debug, Clone, PartialEq)]
struct Hover {
    x: f64,
    y: f64,
    crosshair_x: f64,
    label: String,
    rows: Vec<TooltipRow>,
    /// The sample time under the pointer (epoch ms), shared with other panels.
    time: f64,
}

/// A hover tooltip at (`x`, `y`) CSS pixels in the chart, flipped to the pointer's left when it
/// would run off a narrow chart.
fn tooltip_box(x: f64, y: f64, label: String, rows: Vec<TooltipRow>, class: &'static str) -> impl IntoView {
    let position = if x > 220.0 {
        format!("right:calc(100% - {}px);top:{}px", x - 12.0, y + 12.0)
    } else {
        format!("left:{}px;top:{}px", x + 12.0, y + 12.0)
    };
    view! {
        <div class=class style=position>
            <div class="tooltip-time">{label}</div>
            {rows.into_iter().map(|row| {
                let name = row.name.clone();
                view! {
                    <div class="tooltip-row" data-series=row.name>
                        <span class="swatch" style=format!("background:{}", row.color)></span>
                        <span class="tooltip-name">{name}</span>
                        <span class="tooltip-value">{row.text}</span>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

/// The dashboard's shared crosshair: the time under the pointer and the panel it is over; `mode`
/// is the dashboard's `graphTooltip` (0 off, 1 shared crosshair, 2 shared crosshair and tooltip).
#[derive(Clone, Copy)]
pub struct SharedCursor {
    pub time: RwSignal<Option<(f64, i64)>>,
    pub mode: i64,
}

/// The series as the chart draws them: styled by the field config, stacked and transformed.
fn chart_series(
    series: &[DisplaySeries],
    options: Vec<crate::panels::timeseries::SeriesOptions>,
) -> Vec<ChartSeries> {
    let points: Vec<_> = series.iter().map(|s| std::sync::Arc::clone(&s.points_ms)).collect();
    let styles: Vec<_> = options.iter().map(|o| o.style.clone()).collect();
    series
        .iter()
        .zip(options)
        .zip(stack_series(points, &styles))
        .map(|((s, option), (points, baseline))| ChartSeries {
            name: option.display_name,
            color: Rgb::from_css(&option.color).unwrap_or(s.color),
            points,
            style: option.style,
            baseline,
        })
        .collect()
}

/// Series a legend click left out are drawn as hidden.
fn with_legend_visibility(mut series: Vec<ChartSeries>, shown: Option<&[String]>) -> Vec<ChartSeries> {
    if let Some(shown) = shown {
        for s in series.iter_mut().filter(|s| !shown.contains(&s.name)) {
            s.style.hidden = true;
        }
    }
    series
}

/// The legend: a list or a table, with the calcs the panel asks for, Grafana-formatted. Each item
/// carries the raw `lastNotNull` in `data-last` for tools and tests; clicking it isolates its
/// series, ctrl- or shift-clicking toggles it.
fn legend_view(
    series: &[DisplaySeries],
    field_config: &serde_json::Value,
    legend: &LegendOptions,
    sort: RwSignal<Option<LegendSort>>,
    shown: RwSignal<Option<Vec<String>>>,
) -> Option<AnyView> {
    if legend.mode == LegendMode::Hidden {
        return None;
    }
    let options = series_options(series, field_config);
    let rows: Vec<(DisplaySeries, String, String, Vec<String>)> = series
        .iter()
        .zip(&options)
        .map(|(s, o)| {
            (s.clone(), o.display_name.clone(), o.color.clone(), legend_values(s, o, &legend.calcs))
        })
        .collect();
    let calcs = legend.calcs.clone();
    let all_names = StoredValue::new(rows.iter().map(|row| row.1.clone()).collect::<Vec<String>>());
    let item = move |(s, name, color, values): (DisplaySeries, String, String, Vec<String>), table: bool| {
        let last = s.last_not_null.map(|v| v.to_string()).unwrap_or_default();
        let (clicked, hidden_name) = (name.clone(), name.clone());
        let on_click = move |event: leptos::ev::MouseEvent| {
            let additive = event.ctrl_key() || event.shift_key() || event.meta_key();
            let next = all_names.with_value(|all| {
                crate::panels::timeseries::toggle_series_visibility(
                    shown.get_untracked().as_deref(),
                    all,
                    &clicked,
                    additive,
                )
            });
            shown.set(next);
        };
        let is_hidden = move || shown.with(|s| s.as_ref().is_some_and(|names| !names.contains(&hidden_name)));
        let swatch = format!("background:{color}");
        let label = name.clone();
        let cells = values
            .into_iter()
            .zip(calcs.iter())
            .map(|(value, calc)| {
                if table {
                    view! { <td class="legend-value">{value}</td> }.into_any()
                } else {
                    view! { <span class="legend-value">{format!("{}: {value}", calc_title(calc))}</span> }
                        .into_any()
                }
            })
            .collect_view();
        if table {
            view! {
                <tr class="legend-item" class:legend-hidden=is_hidden on:click=on_click data-series=name.clone() data-ref-id=s.ref_id.clone() data-last=last>
                    <td><span class="swatch" style=swatch></span>" "<span class="legend-name">{label}</span></td>
                    {cells}
                </tr>
            }.into_any()
        } else {
            view! {
                <li class="legend-item" class:legend-hidden=is_hidden on:click=on_click data-series=name.clone() data-ref-id=s.ref_id.clone() data-last=last>
                    <span class="swatch" style=swatch></span>
                    <span class="legend-name">{label}</span>
                    {cells}
                </li>
            }
            .into_any()
        }
    };
    Some(match legend.mode {
        LegendMode::Table => {
            let (series, calcs) = (series.to_vec(), legend.calcs.clone());
            let names: Vec<String> = rows.iter().map(|row| row.1.clone()).collect();
            // Grafana sorts only the table legend; the list keeps the query order.
            let sorted_rows = move || {
                let order = match sort.get() {
                    Some(by) => legend_order(&series, &names, &calcs, &by),
                    None => (0..rows.len()).collect(),
                };
                order.into_iter().map(|i| item(rows[i].clone(), true)).collect_view()
            };
            let header = move |column: String| {
                let (title, sorted_column) = (column.clone(), column.clone());
                // Some(true) when this column sorts descending, Some(false) ascending.
                let sorted_column = StoredValue::new(sorted_column);
                let descending = move || {
                    sort.with(|s| {
                        s.as_ref().filter(|s| sorted_column.with_value(|c| &s.by == c)).map(|s| s.desc)
                    })
                };
                let arrow = move || descending().map(|desc| if desc { " ▼" } else { " ▲" }).unwrap_or("");
                let aria_sort = move || {
                    descending().map(|desc| if desc { "descending" } else { "ascending" }).unwrap_or("none")
                };
                view! {
                    <th class="legend-sortable" aria-sort=aria_sort data-column=title.clone()
                        on:click=move |_| sort.update(|current| *current = toggle_legend_sort(current.as_ref(), &title))>
                        {column.clone()}{arrow}
                    </th>
                }
            };
            let columns: Vec<String> = std::iter::once(LEGEND_NAME_COLUMN.to_string())
                .chain(legend.calcs.iter().map(|c| calc_title(c).to_string()))
                .collect();
            view! {
                <div class="legend legend-table">
                    <table>
                        <thead><tr>{columns.into_iter().map(header).collect_view()}</tr></thead>
                        <tbody>{sorted_rows}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }
        _ => view! { <ul class="legend">{rows.into_iter().map(|row| item(row, false)).collect_view()}</ul> }
            .into_any(),
    })
}

/// Panels that reduce each series to one value: stat, gauge, bar gauge and table.
#[component]
fn ReducedPanel(
    panel: PanelView,
    geometry: Signal<PanelGeometry>,
    range: Memo<Result<TimeRange, String>>,
    zone: Memo<(Zone, Option<String>)>,
    variables: Signal<Option<Vec<VariableState>>>,
    refresh_count: Signal<u64>,
) -> impl IntoView {
    let id = panel.id;
    let title = panel.title.clone();
    let links = panel.links.clone();
    let json_path = panel.json_path.clone();
    let kind = panel.kind.clone();
    // Grafana's Prometheus datasource turns cumulative buckets into per-bucket counts for `format:
    // heatmap`; other formats are shown as they come.
    let heatmap_cumulative = panel.targets.iter().any(|t| t.format == "heatmap");
    let (options, field_config, transformations) =
        (panel.options.clone(), panel.field_config.clone(), panel.transformations.clone());
    let panel_ref = NodeRef::<leptos::html::Div>::new();
    let seen = use_seen(panel_ref);
    let queries = use_panel_queries(
        &panel,
        seen,
        Signal::derive(move || geometry.get().width),
        range,
        zone,
        variables,
        refresh_count,
    );
    let sort = RwSignal::new(None::<(usize, bool)>);
    let link_time = use_context::<super::links::LinkTimeRange>();
    let state = move || match queries.result() {
        None => "loading",
        Some(Err(_)) => "error",
        Some(Ok(d)) if d.series.iter().all(|s| s.points_ms.is_empty()) => "nodata",
        Some(Ok(_)) => "drawn",
    };
    let body = move || match queries.result() {
        None => view! { <div class="panel-message muted">"Loading…"</div> }.into_any(),
        Some(Err(message)) => view! { <div class="panel-error" role="alert">{message}</div> }.into_any(),
        Some(Ok(d)) => match kind {
            PanelKind::Gauge => gauges(&d.series, &options, &field_config).into_any(),
            PanelKind::BarGauge => bar_gauges(&d.series, &options, &field_config, geometry.get()).into_any(),
            PanelKind::Table => {
                let states = variables.get().unwrap_or_default();
                let href = |link: &DashboardLink| super::links::resolve_link(link, &states, link_time);
                table(&d.series, &transformations, &field_config, sort, &href).into_any()
            }
            PanelKind::Pie => pie(&d.series, &options, &field_config).into_any(),
            PanelKind::Heatmap => heatmap(&d.series, &options, heatmap_cumulative, geometry.get()).into_any(),
            _ => stat_cells(&d.series, &options, &field_config, geometry.get()).into_any(),
        },
    };
    view! {
        <QueryPanelFrame
            id=id
            panel_ref=panel_ref
            state=Signal::derive(state)
            queries=queries
            geometry=geometry
            title=title
            links=links.clone()
            variables=variables
            json_path=json_path.clone()
            zone=zone
        >
            {body}
        </QueryPanelFrame>
    }
}

fn stat_cells(
    series: &[DisplaySeries],
    options: &serde_json::Value,
    field_config: &serde_json::Value,
    size: PanelGeometry,
) -> impl IntoView {
    let stat = stat_view(series, options, field_config);
    let cells = stat.values.len().max(1) as f64;
    let horizontal = stat.horizontal || size.width >= size.height;
    // Grafana scales the value to the cell; this keeps it within width and height.
    let (cell_width, cell_height) = if horizontal {
        (size.width / cells, size.height - 40.0)
    } else {
        (size.width, (size.height - 40.0) / cells)
    };
    let color_mode = stat.color_mode;
    let stat_sparkline = stat.sparkline;
    view! {
        <div class="stat" class:stat-vertical=!horizontal>
            {stat.values.into_iter().map(|value| {
                let text = value.display.formatted.to_string();
                let length = text.chars().count().max(2) as f64;
                let font = (cell_height * 0.55).min(cell_width / (length * 0.62)).clamp(10.0, 120.0);
                let color = value.display.color.clone();
                let style = match color_mode {
                    StatColorMode::Value => format!("color:{color}"),
                    StatColorMode::Background => {
                        // Grafana's background mode is a gentle gradient of the colour.
                        let faded = if color.len() == 7 && color.starts_with('#') { format!("{color}bb") } else { color.clone() };
                        format!("background:linear-gradient(120deg, {faded}, {color});color:#fff")
                    }
                    StatColorMode::BackgroundSolid => format!("background:{color};color:#fff"),
                    StatColorMode::None => String::new(),
                };
                let sparkline = (stat_sparkline && !value.sparkline.is_empty()).then(|| {
                    let stroke = if color_mode == StatColorMode::Value { color.clone() } else { "rgba(255,255,255,0.8)".to_string() };
                    view! {
                        <svg class="stat-sparkline" viewBox="0 0 100 100" preserveAspectRatio="none">
                            <path d=value.sparkline.clone() fill=stroke.clone() fill-opacity="0.18" stroke=stroke stroke-width="1.5" vector-effect="non-scaling-stroke" />
                        </svg>
                    }
                });
                view! {
                    <div class="stat-cell" style=style data-color=color data-series=value.name.clone()>
                        {sparkline}
                        {value.show_name.then(|| view! { <div class="stat-name">{value.name.clone()}</div> })}
                        {value.show_value.then(|| view! {
                            <div class="stat-value" style=format!("font-size:{font:.0}px")>{text.clone()}</div>
                        })}
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

/// Gauges as SVG arcs: the unfilled track, the value in its threshold colour, and threshold
/// markers outside (Grafana's defaults).
fn gauges(
    series: &[DisplaySeries],
    options: &serde_json::Value,
    field_config: &serde_json::Value,
) -> impl IntoView {
    let show_markers =
        options.get("showThresholdMarkers").and_then(serde_json::Value::as_bool).unwrap_or(true);
    let values = scaled_values(series, options, field_config);
    let several = values.len() > 1;
    view! {
        <div class="gauges">
            {values.into_iter().map(|gauge| {
                let text = gauge.display.formatted.to_string();
                let font = (22.0 / (text.chars().count().max(3) as f64 / 4.0)).min(17.0);
                let value_arc = (gauge.fraction > 0.0).then(|| arc_path(50.0, 52.0, 36.0, 0.0, gauge.fraction));
                view! {
                    <div class="gauge" data-color=gauge.display.color.clone() data-fraction=format!("{:.4}", gauge.fraction) data-series=gauge.name.clone()>
                        <svg viewBox="0 0 100 90" preserveAspectRatio="xMidYMid meet">
                            <path d=arc_path(50.0, 52.0, 36.0, 0.0, 1.0) class="gauge-track" />
                            {value_arc.map(|d| view! { <path d=d stroke=gauge.display.color.clone() class="gauge-value" /> })}
                            {show_markers.then(|| gauge.bands.iter().map(|(from, to, color)| view! {
                                <path d=arc_path(50.0, 52.0, 44.0, *from, *to) stroke=color.clone() class="gauge-marker" />
                            }).collect_view())}
                            <text x="50" y="58" text-anchor="middle" class="gauge-text" style=format!("font-size:{font:.1}px") fill=gauge.display.color.clone()>{text}</text>
                            {several.then(|| view! { <text x="50" y="86" text-anchor="middle" class="gauge-name">{gauge.name.clone()}</text> })}
                        </svg>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

/// Bar gauges: one bar per series, filled to the value, in its threshold colour.
fn bar_gauges(
    series: &[DisplaySeries],
    options: &serde_json::Value,
    field_config: &serde_json::Value,
    geometry: PanelGeometry,
) -> impl IntoView {
    use crate::panels::gauge::{BarMode, bar_look};
    let vertical = options.get("orientation").and_then(serde_json::Value::as_str) == Some("vertical");
    let mode = BarMode::from_name(options.get("displayMode").and_then(serde_json::Value::as_str));
    let field = FieldConfig::from_defaults(field_config.get("defaults"), ColorMode::Thresholds);
    let values = scaled_values(series, options, field_config);
    // The track's length: the panel less the name and value columns (horizontal), or less the
    // header, name and value rows (vertical).
    let length = if vertical { geometry.height - 90.0 } else { geometry.width - 160.0 }.max(20.0);
    view! {
        <div class="bar-gauges" class:bar-gauges-vertical=vertical data-mode=format!("{mode:?}").to_lowercase()>
            {values.into_iter().map(|bar| {
                let color = bar.display.color.clone();
                let percent = bar.fraction * 100.0;
                let (fill, lcd) = bar_look(&field, &bar, mode, vertical, length);
                let size = if vertical { format!("height:{percent:.2}%") } else { format!("width:{percent:.2}%") };
                let track = match lcd {
                    Some(cells) => view! {
                        <div class="bar-track bar-lcd">
                            {cells.into_iter().map(|(cell_color, lit)| {
                                let style = if lit {
                                    format!("background:{cell_color};box-shadow:0 0 4px {cell_color}")
                                } else {
                                    format!("background:{cell_color};opacity:0.18")
                                };
                                view! { <div class="lcd-cell" class:lit=lit style=style></div> }
                            }).collect_view()}
                        </div>
                    }.into_any(),
                    None => view! {
                        <div class="bar-track"><div class="bar-fill" style=format!("background:{fill};{size}")></div></div>
                    }.into_any(),
                };
                view! {
                    <div class="bar-gauge" data-color=color.clone() data-fraction=format!("{:.4}", bar.fraction) data-series=bar.name.clone()>
                        <span class="bar-name">{bar.name.clone()}</span>
                        {track}
                        <span class="bar-value" style=format!("color:{color}")>{bar.display.formatted.to_string()}</span>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

/// A table: one row per series, label and value columns; a click on a header sorts by it.
fn table(
    series: &[DisplaySeries],
    transformations: &serde_json::Value,
    field_config: &serde_json::Value,
    sort: RwSignal<Option<(usize, bool)>>,
    href: &dyn Fn(&DashboardLink) -> Option<String>,
) -> impl IntoView {
    let mut view = table_view(series, transformations, field_config);
    if let Some((column, descending)) = sort.get() {
        sort_rows(&mut view.rows, column, descending);
    }
    let on_header = move |column: usize| {
        sort.update(|s| {
            *s = match *s {
                Some((current, false)) if current == column => Some((column, true)),
                Some((current, true)) if current == column => None,
                _ => Some((column, false)),
            }
        })
    };
    let sorted = sort.get_untracked();
    let aligns = view.aligns.clone();
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <thead><tr>
                    {view.columns.into_iter().zip(view.widths).zip(view.aligns).enumerate().map(|(index, ((name, width), align))| {
                        let marker = match sorted {
                            Some((c, false)) if c == index => " ↑",
                            Some((c, true)) if c == index => " ↓",
                            _ => "",
                        };
                        let style = match width {
                            Some(w) => format!("text-align:{align};width:{w}px;min-width:{w}px;max-width:{w}px"),
                            None => format!("text-align:{align}"),
                        };
                        view! { <th style=style on:click=move |_| on_header(index)>{name}{marker}</th> }
                    }).collect_view()}
                </tr></thead>
                <tbody>
                    {view.rows.into_iter().map(|row| view! {
                        <tr>{row.into_iter().zip(aligns.iter()).map(|(cell, align)| {
                            let link = cell.links.first().and_then(|l| href(l).map(|h| (h, l.clone())));
                            table_cell(cell, align, link)
                        }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// One table cell in its column's display mode.
fn table_cell(
    cell: crate::panels::table::TableCell,
    align: &str,
    link: Option<(String, DashboardLink)>,
) -> impl IntoView {
    use crate::panels::table::CellLook;
    let (style, mode, gauge) = match cell.look {
        CellLook::Plain => (String::new(), "auto", None),
        CellLook::Text(color) => (format!("color:{color};"), "color-text", None),
        CellLook::Background { color, solid: true } => {
            (format!("background:{color};color:#fff;"), "color-background", None)
        }
        CellLook::Background { color, solid: false } => {
            // Grafana's gradient background: from a darker, slightly turned shade to the colour.
            let darker = Rgb::from_css(&color)
                .map(|c| crate::field::scheme::spin_and_lighten(c, 5.0, -10.0).to_css())
                .unwrap_or_else(|| color.clone());
            (
                format!("background:linear-gradient(120deg, {darker}, {color});color:#fff;"),
                "color-background",
                None,
            )
        }
        CellLook::Gauge { fraction, fill, lcd } => {
            let bar = match lcd {
                Some(cells) => view! {
                    <div class="cell-gauge-track bar-lcd">
                        {cells.into_iter().map(|(color, lit)| {
                            let style = if lit { format!("background:{color}") } else { format!("background:{color};opacity:0.18") };
                            view! { <div class="lcd-cell" class:lit=lit style=style></div> }
                        }).collect_view()}
                    </div>
                }
                .into_any(),
                None => view! {
                    <div class="cell-gauge-track">
                        <div class="bar-fill" style=format!("background:{fill};width:{:.2}%", fraction * 100.0)></div>
                    </div>
                }
                .into_any(),
            };
            (String::new(), "gauge", Some((bar, fraction)))
        }
    };
    match gauge {
        Some((bar, fraction)) => view! {
            <td class="cell-gauge" data-cell-mode=mode data-fraction=format!("{fraction:.4}")>
                <div class="cell-gauge-row">{bar}<span class="cell-gauge-value">{cell.text}</span></div>
            </td>
        }
        .into_any(),
        None => {
            // A data link makes the cell's text a link (the first link, as Grafana's cell).
            let text = cell.text;
            let content = match link {
                Some((href, link)) => super::links::data_link_anchor(href, &link, text).into_any(),
                None => text.into_any(),
            };
            view! { <td style=format!("{style}text-align:{align}") data-cell-mode=mode>{content}</td> }
                .into_any()
        }
    }
}

/// A heatmap of histogram buckets over time.
fn heatmap(
    series: &[DisplaySeries],
    options: &serde_json::Value,
    cumulative: bool,
    geometry: PanelGeometry,
) -> impl IntoView {
    let Some(buckets) = crate::panels::heatmap::buckets(series, cumulative) else {
        return view! {
            <div class="panel-message muted">"A heatmap needs histogram buckets: series with an le label."</div>
        }
        .into_any();
    };
    // The body: the panel less its header.
    let (width, height) = (geometry.width.max(40.0), (geometry.height - 36.0).max(30.0));
    let view = crate::panels::heatmap::heatmap_view(&buckets, options, width, height);
    let totals: Vec<String> = buckets
        .counts
        .iter()
        .map(|row| row.iter().filter(|c| c.is_finite()).sum::<f64>().to_string())
        .collect();
    view! {
        <svg class="heatmap" width=width height=height viewBox=format!("0 0 {width} {height}")
            data-buckets=buckets.bounds.join("|") data-totals=totals.join("|")>
            {view.cells.into_iter().map(|cell| view! {
                <rect x=cell.x y=cell.y width=cell.width height=cell.height fill=cell.color>
                    <title>{format!("{}", cell.count)}</title>
                </rect>
            }).collect_view()}
            {view.y_labels.into_iter().map(|(y, label)| view! {
                <text class="heatmap-label" x=view.plot_left - 6.0 y=y text-anchor="end" dominant-baseline="middle">{label}</text>
            }).collect_view()}
        </svg>
    }
    .into_any()
}

fn pie(
    series: &[DisplaySeries],
    options: &serde_json::Value,
    field_config: &serde_json::Value,
) -> impl IntoView {
    let view = pie_view(series, options, field_config);
    view! {
        <div class="pie">
            <svg viewBox="0 0 100 100" class="pie-chart" preserveAspectRatio="xMidYMid meet">
                {view.slices.iter().map(|slice| view! {
                    <path d=slice.path.clone() fill=slice.color.clone() class="pie-slice" data-series=slice.name.clone() />
                }).collect_view()}
            </svg>
            <ul class="legend pie-legend">
                {view.slices.into_iter().map(|slice| {
                    let label = slice.name.clone();
                    view! {
                        <li class="legend-item" data-series=slice.name data-percent=format!("{:.1}", slice.percent)>
                            <span class="swatch" style=format!("background:{}", slice.color)></span>
                            <span class="legend-name">{label}</span>
                            <span class="legend-value">{format!("{} ({:.0}%)", slice.value_text, slice.percent)}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
