//! The state timeline and status history panels as SVG: a row per series with its name, the
//! boxes of [`crate::panels::state_timeline`], a time axis, the legend, and the dashboard's
//! annotations over the plot as on time series.

use crate::app::annotations::DashboardAnnotations;
use crate::app::panel_data::use_panel_queries;
use crate::app::timezone::Zone;
use crate::app::variables::VariableState;
use crate::panels::state_timeline::{ShowValue, TimelineView, timeline_view};
use crate::time::TimeRange;
use crate::view::PanelView;
use leptos::prelude::*;

use super::PanelGeometry;
use super::frame::{QueryPanelFrame, use_seen};

/// The panel's title bar and padding, in CSS px (the body is what is left).
const CHROME_PX: f64 = 40.0;
const AXIS_PX: f64 = 20.0;
const LEGEND_PX: f64 = 22.0;
/// About the width of a character of the panel's 12 px text.
const CHAR_PX: f64 = 7.0;

#[component]
pub(super) fn StateTimelinePanel(
    panel: PanelView,
    status_history: bool,
    geometry: Signal<PanelGeometry>,
    range: Memo<Result<TimeRange, String>>,
    zone: Memo<(Zone, Option<String>)>,
    variables: Signal<Option<Vec<VariableState>>>,
    refresh_count: Signal<u64>,
) -> impl IntoView {
    let id = panel.id;
    let (title, links, json_path) = (panel.title.clone(), panel.links.clone(), panel.json_path.clone());
    let (options, field_config) = (panel.options.clone(), panel.field_config.clone());
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
    let dashboard_annotations = use_context::<DashboardAnnotations>();
    let annotation_events =
        Memo::new(move |_| dashboard_annotations.map(|a| a.for_panel(id)).unwrap_or_default());
    let state = move || match queries.result() {
        None => "loading",
        Some(Err(_)) => "error",
        Some(Ok(d)) if d.series.iter().all(|s| s.points_ms.is_empty()) => "nodata",
        Some(Ok(_)) => "drawn",
    };
    let body = move || {
        let Some(result) = queries.result() else {
            return view! { <div class="panel-message muted">"Loading…"</div> }.into_any();
        };
        let data = match result {
            Ok(data) => data,
            Err(message) => {
                return view! { <div class="panel-error" role="alert">{message}</div> }.into_any();
            }
        };
        let Ok(time) = queries.range.get() else { return ().into_any() };
        let range = (time.from_ms as f64, time.to_ms as f64);
        let view = timeline_view(&data.series, &options, &field_config, range, status_history);
        let offset = zone.with(|(zone, _)| zone.offset_minutes(time.to_ms));
        timeline_svg(view, range, geometry.get(), offset, annotation_events.get()).into_any()
    };
    view! {
        <QueryPanelFrame
            id=id
            panel_ref=panel_ref
            state=Signal::derive(state)
            queries=queries
            geometry=geometry
            title=title
            links=links
            variables=variables
            json_path=json_path
            zone=zone
            annotations=Signal::derive(move || annotation_events.with(Vec::len))
        >
            {body}
        </QueryPanelFrame>
    }
}

/// Black or white text, whichever reads on `color` (a `#rrggbb` colour; white otherwise).
fn text_color_on(color: &str) -> &'static str {
    let hex = color.strip_prefix('#').filter(|h| h.len() >= 6);
    let channel =
        |i: usize| hex.and_then(|h| u8::from_str_radix(&h[i..i + 2], 16).ok()).map_or(0.0, f64::from);
    let luminance = 0.299 * channel(0) + 0.587 * channel(2) + 0.114 * channel(4);
    if hex.is_some() && luminance > 150.0 { "#000" } else { "#fff" }
}

fn timeline_svg(
    view: TimelineView,
    (from, to): (f64, f64),
    geometry: PanelGeometry,
    utc_offset_minutes: i32,
    annotations: Vec<(crate::annotations::AnnotationEvent, String)>,
) -> impl IntoView {
    let width = (geometry.width - 24.0).max(40.0);
    let legend = view.show_legend && !view.legend.is_empty();
    let height = (geometry.height - CHROME_PX - if legend { LEGEND_PX } else { 0.0 }).max(30.0);
    let longest = view.rows.iter().map(|r| r.name.chars().count()).max().unwrap_or(0) as f64;
    let label_px = (longest * CHAR_PX + 12.0).min(width * 0.4);
    // Room on the right for the last time label, centred on the plot's end.
    let plot_width = (width - label_px - 16.0).max(10.0);
    let plot_height = (height - AXIS_PX).max(10.0);
    let band = plot_height / view.rows.len().max(1) as f64;
    let span = (to - from).max(1.0);
    let x_of = |t: f64| label_px + ((t - from) / span).clamp(0.0, 1.0) * plot_width;
    let rows = view.rows.iter().enumerate().map(|(index, row)| {
        let top = index as f64 * band + band * (1.0 - view.row_height) / 2.0;
        let box_height = band * view.row_height;
        let name_y = index as f64 * band + band / 2.0;
        let boxes = row.boxes.iter().filter(|b| b.end_ms > from && b.start_ms < to).map(|state| {
            let (left, right) = (x_of(state.start_ms), x_of(state.end_ms));
            let full = (right - left).max(1.0);
            let cell = full * view.col_width;
            let x = left + (full - cell) / 2.0;
            // As many characters as fit (the text is cut, as Grafana cuts it); `auto` shows a
            // value when at least two do.
            let max_chars = ((cell - 4.0) / CHAR_PX).floor().max(0.0) as usize;
            let shown = match view.show_value {
                ShowValue::Always => true,
                ShowValue::Never => false,
                ShowValue::Auto => max_chars >= 2 && box_height >= 12.0,
            };
            let cut: String = state.text.chars().take(max_chars.max(1)).collect();
            let (anchor, text_x) = match view.align.as_str() {
                "center" => ("middle", x + cell / 2.0),
                "right" => ("end", x + cell - 4.0),
                _ => ("start", x + 4.0),
            };
            let label = shown.then(|| view! {
                <text class="state-text" x=format!("{text_x:.1}") y=format!("{:.1}", top + box_height / 2.0) text-anchor=anchor
                    dominant-baseline="central" fill=text_color_on(&state.color)>{cut}</text>
            });
            view! {
                <g class="state-box" data-state-text=state.text.clone() data-start=state.start_ms data-end=state.end_ms>
                    <rect x=format!("{x:.1}") y=format!("{top:.1}") width=format!("{cell:.1}") height=format!("{box_height:.1}")
                        fill=state.color.clone() fill-opacity=view.fill_opacity stroke=state.color.clone() stroke-width=view.line_width>
                        <title>{format!("{}: {}", row.name, state.text)}</title>
                    </rect>
                    {label}
                </g>
            }
        }).collect_view();
        view! {
            <g class="state-row" data-row=row.name.clone()>
                <text class="state-row-name" x="4" y=format!("{name_y:.1}") dominant-baseline="central">{row.name.clone()}</text>
                {boxes}
            </g>
        }
    }).collect_view();
    let ticks = crate::chart::time_ticks(from, to, (plot_width / 80.0).max(2.0) as usize, utc_offset_minutes);
    let axis = ticks.into_iter().map(|(t, label)| {
        let x = x_of(t);
        view! { <text class="axis-label" x=format!("{x:.1}") y=format!("{:.1}", plot_height + 14.0) text-anchor="middle">{label}</text> }
    }).collect_view();
    let marks = annotations
        .into_iter()
        .filter(|(event, _)| event.end_ms >= from && event.start_ms <= to)
        .map(|(event, color)| {
            let color = crate::field::display::color_by_name(&color);
            let (left, right) = (x_of(event.start_ms), x_of(event.end_ms));
            let tooltip = event.tooltip(utc_offset_minutes);
            if event.is_region() {
                view! { <rect class="annotation-region" x=format!("{left:.1}") y="0" width=format!("{:.1}", (right - left).max(1.0)) height=format!("{plot_height:.1}") fill=color.clone() fill-opacity="0.15"><title>{tooltip}</title></rect> }.into_any()
            } else {
                view! { <line class="annotation-line" x1=format!("{left:.1}") x2=format!("{left:.1}") y1="0" y2=format!("{plot_height:.1}") stroke=color stroke-dasharray="3 3"><title>{tooltip}</title></line> }.into_any()
            }
        })
        .collect_view();
    let legend = legend.then(|| view! {
        <div class="timeline-legend">
            {view.legend.iter().map(|item| view! {
                <span class="timeline-legend-item"><span class="swatch" style=format!("background:{}", item.color)></span>{item.label.clone()}</span>
            }).collect_view()}
        </div>
    });
    view! {
        <div class="panel-body state-timeline">
            <svg width=format!("{width:.0}") height=format!("{height:.0}") viewBox=format!("0 0 {width:.0} {height:.0}")>
                {rows}
                {axis}
                {marks}
            </svg>
            {legend}
        </div>
    }
}
