//! A panel frame on the grid: title, state, and the panel body. For time series it runs the
//! panel's queries (through its data context, `app::panel_data`, over the data layer) and hands
//! the results to the chart; the chart itself only draws what it is given.
//!
//! `data-state` on the frame is the contract tests and benchmarks wait on:
//! `loading | drawn | nodata | error | unsupported`. Time-series frames also carry the first query's
//! `data-expr` (interpolated), `data-start`, `data-end` and `data-step`, and each legend item its
//! series' `data-last` (raw `lastNotNull`), so tools can check what was asked and what is shown.

mod annolist;
mod dashlist;
mod frame;
mod legend;
mod markup;
mod news;
mod reduced;
mod timeseries;

use crate::app::timezone::Zone;
use crate::app::variables::{VariableState, lookup_from};
use crate::panels::text::{markdown_to_html, sanitize_html};
use crate::time::TimeRange;
use crate::view::{PanelKind, PanelView};
use leptos::prelude::*;
pub use timeseries::SharedCursor;

use crate::app::catalogue;
use crate::panels::alertlist;
use crate::prom::client;
use crate::variables;
use annolist::AnnoListPanel;
use dashlist::DashListPanel;
pub use dashlist::remember_viewed;
use frame::PanelHeader;
use markup::{Markup, MarkupPanel};
use news::NewsPanel;
use reduced::ReducedPanel;
use timeseries::TimeSeriesPanel;

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
                variables::interpolate(&title, &lookup_from(&states))
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
        PanelKind::AnnoList => {
            view! { <AnnoListPanel panel=panel style=Signal::derive(style) variables=variables utc_offset_minutes=utc_offset(range, zone) /> }.into_any()
        }
        PanelKind::News => {
            view! { <NewsPanel panel=panel geometry=geometry variables=variables utc_offset_minutes=utc_offset(range, zone) refresh_count=refresh_count /> }.into_any()
        }
        PanelKind::DashList => view! { <DashListPanel panel=panel style=Signal::derive(style) variables=variables /> }.into_any(),
        PanelKind::StateTimeline { status_history } => view! { <MarkupPanel panel=panel markup=Markup::Timeline { status_history } geometry=geometry range=range zone=zone variables=variables refresh_count=refresh_count /> }.into_any(),
        PanelKind::Histogram => view! { <MarkupPanel panel=panel markup=Markup::Histogram geometry=geometry range=range zone=zone variables=variables refresh_count=refresh_count /> }.into_any(),
        PanelKind::XyChart { trend } => view! { <MarkupPanel panel=panel markup=Markup::Xy { trend } geometry=geometry range=range zone=zone variables=variables refresh_count=refresh_count /> }.into_any(),
        PanelKind::Candlestick => view! { <MarkupPanel panel=panel markup=Markup::Candlestick geometry=geometry range=range zone=zone variables=variables refresh_count=refresh_count /> }.into_any(),
        PanelKind::BarChart => view! { <MarkupPanel panel=panel markup=Markup::BarChart geometry=geometry range=range zone=zone variables=variables refresh_count=refresh_count /> }.into_any(),
        PanelKind::Text { content, mode } => {
            // Variables are interpolated in the content, as Grafana does; the HTML is safe by
            // construction (see panels::text).
            let html = move || {
                let states = variables.get().unwrap_or_default();
                let content = variables::interpolate(&content, &lookup_from(&states));
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

/// The dashboard zone's offset from UTC at the end of the range (now while it does not resolve).
fn utc_offset(range: Memo<Result<TimeRange, String>>, zone: Memo<(Zone, Option<String>)>) -> Signal<i32> {
    Signal::derive(move || {
        let at = range.get().map(|r| r.to_ms).unwrap_or(js_sys::Date::now() as i64);
        zone.with(|(zone, _)| zone.offset_minutes(at))
    })
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
            let datasource = catalogue::datasources().default_datasource().clone();
            let data = client::get_api_data(&datasource, "/api/v1/alerts", &[], "alerts")
                .await
                .map_err(|error| error.to_string())?;
            Ok::<_, String>(alertlist::shown_alerts(alertlist::read_alerts(&data), &options))
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
