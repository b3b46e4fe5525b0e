//! The panels drawn as SVG markup built natively (and tested there; it escapes every text it is
//! given): the state timeline and status history ([`crate::panels::state_timeline`], with the
//! dashboard's annotations over the plot, as on time series) and the histogram
//! ([`crate::panels::histogram`]), the bar chart ([`crate::panels::barchart`]) and the XY chart and
//! trend ([`crate::panels::xychart`]) and the candlestick ([`crate::panels::candlestick`]). One component runs the panel's queries and sets the markup.

use crate::app::annotations::DashboardAnnotations;
use crate::app::panel_data::use_panel_queries;
use crate::app::theme::chosen_theme;
use crate::app::timezone::Zone;
use crate::app::variables::VariableState;
use crate::chart::time_ticks;
use crate::panels::barchart::barchart_view;
use crate::panels::barchart::markup::barchart_markup;
use crate::panels::candlestick::{candlestick_markup, candlestick_view};
use crate::panels::histogram::{histogram_markup, histogram_view};
use crate::panels::state_timeline::{LEGEND_PX, TimelineMark, timeline_markup, timeline_view};
use crate::panels::xychart::{xy_markup, xy_view};
use crate::time::TimeRange;
use crate::view::PanelView;
use leptos::prelude::*;

use super::PanelGeometry;
use super::frame::{QueryPanelFrame, use_seen};
use crate::field::display;

/// The panel's title bar and padding, in CSS px (the body is what is left).
const CHROME_PX: f64 = 40.0;

/// Which markup a [`MarkupPanel`] draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Markup {
    Timeline { status_history: bool },
    Histogram,
    BarChart,
    Candlestick,
    Xy { trend: bool },
}

#[component]
pub(super) fn MarkupPanel(
    panel: PanelView,
    markup: Markup,
    geometry: Signal<PanelGeometry>,
    range: Memo<Result<TimeRange, String>>,
    zone: Memo<(Zone, Option<String>)>,
    variables: Signal<Option<Vec<VariableState>>>,
    refresh_count: Signal<u64>,
) -> impl IntoView {
    let id = panel.id;
    let (title, links, json_path) = (panel.title.clone(), panel.links.clone(), panel.json_path.clone());
    let (options, field_config) = (panel.options.clone(), panel.field_config.clone());
    let transformations = panel.transformations.clone();
    // A bar chart, XY chart or trend reads a table (see `panels::barchart`) when a query asks for
    // one or the panel transforms its data.
    let tabular = panel.targets.iter().any(|t| t.format == "table")
        || transformations.as_array().is_some_and(|t| !t.is_empty());
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
    let state = move || queries.data_state();
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
        let size = geometry.get();
        let width = (size.width - 24.0).max(40.0);
        let offset = zone.with(|(zone, _)| zone.offset_minutes(time.to_ms));
        let status_history = match markup {
            Markup::Timeline { status_history } => status_history,
            Markup::Histogram => {
                let view = histogram_view(&data.series, &options, &field_config);
                let markup = histogram_markup(&view, (width, (size.height - CHROME_PX).max(30.0)));
                return view! { <div class="panel-body histogram" inner_html=markup></div> }.into_any();
            }
            Markup::Xy { trend } => {
                let view = xy_view(
                    &data.series,
                    tabular,
                    &transformations,
                    &options,
                    &field_config,
                    trend,
                    chosen_theme(),
                );
                if let Some(warning) = view.warning {
                    return view! { <div class="panel-message muted">{warning}</div> }.into_any();
                }
                let markup = xy_markup(&view, (width, (size.height - CHROME_PX).max(30.0)));
                return view! { <div class="panel-body xychart-panel" inner_html=markup></div> }.into_any();
            }
            Markup::Candlestick => {
                let view = candlestick_view(&data.series, &options, &field_config, chosen_theme());
                let ticks = time_ticks(range.0, range.1, (width / 100.0).max(2.0) as usize, offset);
                let size = (width, (size.height - CHROME_PX).max(30.0));
                let markup = candlestick_markup(&view, range, size, &ticks, offset);
                return view! { <div class="panel-body candlestick-panel" inner_html=markup></div> }
                    .into_any();
            }
            Markup::BarChart => {
                let view = barchart_view(
                    &data.series,
                    tabular,
                    &transformations,
                    &options,
                    &field_config,
                    offset,
                    chosen_theme(),
                );
                if let Some(warning) = view.warning {
                    return view! { <div class="panel-message muted">{warning}</div> }.into_any();
                }
                let markup = barchart_markup(&view, (width, (size.height - CHROME_PX).max(30.0)));
                return view! { <div class="panel-body barchart-panel" inner_html=markup></div> }.into_any();
            }
        };
        let view =
            timeline_view(&data.series, &options, &field_config, range, status_history, chosen_theme());
        let legend = if view.show_legend && !view.legend.is_empty() { LEGEND_PX } else { 0.0 };
        let height = (size.height - CHROME_PX - legend).max(30.0);
        let ticks = time_ticks(range.0, range.1, (width / 100.0).max(2.0) as usize, offset);
        let marks: Vec<TimelineMark> = annotation_events
            .get()
            .into_iter()
            .map(|(event, color)| TimelineMark {
                start_ms: event.start_ms,
                end_ms: event.end_ms,
                region: event.is_region(),
                color: display::color_by_name(&color, chosen_theme()),
                tooltip: event.tooltip(offset),
            })
            .collect();
        let markup = timeline_markup(&view, range, (width, height), &ticks, &marks);
        view! { <div class="panel-body state-timeline" inner_html=markup></div> }.into_any()
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
