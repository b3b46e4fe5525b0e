//! The time-series panel: runs its queries through the panel data context, draws the chart on
//! its canvas, and handles hover, the shared crosshair, zoom by drag and legend clicks.

use crate::app::canvas::draw_chart;
use crate::app::panel_data::use_panel_queries;
use crate::app::theme::chosen_theme;
use crate::app::timezone::Zone;
use crate::app::variables::VariableState;
use crate::chart::{ChartLayout, ChartSeries, ChartSpec, time_at, time_px, value_at};
use crate::field::{DisplaySeries, Rgb};
use crate::panels::timeseries::{
    TooltipRow, legend_options, series_options, stack_series, thresholds_display, tooltip_rows,
};
use crate::time::TimeRange;
use crate::view::PanelView;
use leptos::html::Canvas;
use leptos::prelude::*;

use super::PanelGeometry;
use super::frame::{QueryPanelFrame, use_seen};
use super::legend::{legend_view, tooltip_box};
use crate::app::annotations::DashboardAnnotations;
use crate::app::links::LinkTimeRange;
use crate::app::links::resolve_link;
use crate::app::location;
use crate::chart::AxisBounds;
use crate::field::display;
use crate::panels::timeseries;
use crate::panels::timeseries::SeriesOptions;
use crate::route;
use crate::route::param::FROM;
use crate::route::param::TO;
use crate::time;
use crate::view::links;
use crate::view::links::DashboardLink;
use crate::view::links::LinkTarget;

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

#[component]
pub(super) fn TimeSeriesPanel(
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
    // Set after every drawing, so what is placed over the chart follows its layout.
    let outcome = RwSignal::new(DrawOutcome::NotYet);
    // A drag across the chart selects a time range to zoom to: (start, current) in CSS pixels.
    let selecting = RwSignal::new(None::<(f64, f64)>);
    let url = location::use_url_state();
    let custom = panel.field_defaults.get("custom");
    let axis_label =
        custom.and_then(|c| c.get("axisLabel")).and_then(serde_json::Value::as_str).unwrap_or("").to_string();
    let axis_hidden =
        custom.and_then(|c| c.get("axisPlacement")).and_then(serde_json::Value::as_str) == Some("hidden");
    let log_base = timeseries::log_base(custom);
    let time_axis_hidden = timeseries::time_axis_hidden(&panel.field_config);
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
    // The dashboard's annotation events this panel draws (Grafana: every time series).
    let dashboard_annotations = use_context::<DashboardAnnotations>();
    let annotation_events =
        Memo::new(move |_| dashboard_annotations.map(|a| a.for_panel(id)).unwrap_or_default());
    // Each event as drawn over the plot (CSS px), with its colour and tooltip.
    let annotation_marks = move || {
        outcome.track();
        let events = annotation_events.get();
        drawn
            .with_value(|drawn| {
                let (spec, layout, dpr) = drawn.as_ref()?;
                let (top, height) = (layout.plot.top / dpr, layout.plot.height / dpr);
                let marks = events
                    .into_iter()
                    .filter(|(event, _)| event.end_ms >= spec.from_ms && event.start_ms <= spec.to_ms)
                    .map(|(event, color)| {
                        let left = time_px(spec, layout, event.start_ms.max(spec.from_ms)) / dpr;
                        let right = time_px(spec, layout, event.end_ms.min(spec.to_ms)) / dpr;
                        AnnotationMark {
                            left,
                            width: (right - left).max(0.0),
                            top,
                            height,
                            region: event.is_region(),
                            color: display::color_by_name(&color, chosen_theme()),
                            tooltip: event.tooltip(spec.utc_offset_minutes),
                        }
                    });
                Some(marks.collect::<Vec<_>>())
            })
            .unwrap_or_default()
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
    let link_time = use_context::<LinkTimeRange>();
    let pin_links = move |x: f64, y: f64| {
        let Some(hovered) = hover.get_untracked() else { return pinned_links.set(None) };
        let Some(Ok(panel_data)) = queries.result_untracked() else { return };
        let options = series_options(&panel_data.series, &field_config.get_value(), chosen_theme());
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
            timeseries::series_data_reference(
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
                let LinkTarget::Url(url) = &link.target else { return None };
                let filled = DashboardLink {
                    target: LinkTarget::Url(links::with_data_references(url.as_str(), &reference)),
                    ..link.clone()
                };
                let href = resolve_link(&filled, &states, link_time)?;
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
            url.set_query(&route::with_params(&search, &[(FROM, Some(&from)), (TO, Some(&to))]));
        }
    };

    let canvas_ref = NodeRef::<Canvas>::new();
    // The value-axis labels of the last drawing, for tools and tests (canvas text is not in the DOM).
    let y_tick_labels = RwSignal::new(String::new());
    let right_tick_labels = RwSignal::new(String::new());
    // How many times the chart was drawn (`data-draws`): a refresh that brings the same data back
    // draws nothing, and tests and the benchmark can see it.
    let draws = RwSignal::new(0_u64);
    Effect::new(move |_| {
        geometry.track();
        let Some(canvas) = canvas_ref.get() else { return };
        let Some(Ok(panel_data)) = queries.result() else { return };
        let Ok(range) = range.get_untracked() else { return };
        let step_ms = panel_data.queries.iter().map(|q| q.step_s).max().unwrap_or(15) as f64 * 1000.0;
        // Each series' options, once per drawing (they are read for the axes and the series).
        let options = series_options(&panel_data.series, &field_config.get_value(), chosen_theme());
        // Percent stacking shows shares: Grafana's axis then reads 0–100 % whatever the unit.
        let percent_stacked = timeseries::percent_stacked(&options);
        let right_axis = timeseries::right_axis(&options);
        let mut bounds = timeseries::left_axis_bounds(&field_config.get_value());
        if percent_stacked {
            bounds = AxisBounds { min: Some(0.0), max: Some(1.0), ..bounds };
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
            thresholds: thresholds_display(&field_config.get_value(), chosen_theme()),
            axis_label: axis_label.clone(),
            axis_hidden,
            time_axis_hidden,
            right_axis,
            log_base,
            bounds,
            light_theme: chosen_theme().is_light(),
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
                draws.update(|count| *count += 1);
                outcome.set(DrawOutcome::Drawn)
            }
            Ok(None) => outcome.set(DrawOutcome::NotYet),
            Err(message) => outcome.set(DrawOutcome::Failed(message)),
        }
    });

    // Drawn only once the chart is on the canvas.
    let state = move || match queries.data_state() {
        "drawn" => match outcome.get() {
            DrawOutcome::NotYet => "loading",
            DrawOutcome::Drawn => "drawn",
            DrawOutcome::Failed(_) => "error",
        },
        other => other,
    };
    // What the body shows, by kind: the chart's elements are built when data first arrives and
    // kept across refreshes (the drawing effect and the legend follow the data), not rebuilt.
    let body_kind = Memo::new(move |_| {
        queries.with_result(|result| match result {
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
                    data-draws=move || draws.get()
                    on:mousemove={
                        let tooltip_mode = tooltip_mode.clone();
                        move |event: leptos::ev::MouseEvent| {
                            if selecting.get_untracked().is_some() {
                                let x = f64::from(event.offset_x());
                                selecting.update(|s| if let Some((_, current)) = s { *current = x });
                            }
                            let Some(Ok(panel_data)) = queries.result_untracked() else { return };
                            let options = series_options(&panel_data.series, &field_config.get_value(), chosen_theme());
                            let next = drawn.with_value(|drawn| {
                                let (spec, layout, dpr) = drawn.as_ref()?;
                                let (x, y) = (f64::from(event.offset_x()), f64::from(event.offset_y()));
                                let t = time_at(spec, layout, x * dpr)?;
                                let (time, rows) = tooltip_rows(&panel_data.series, &options, t, spec.gap_threshold_ms, &tooltip_mode, value_at(layout, y * dpr))?;
                                let label = time::format_local_datetime(time as i64, spec.utc_offset_minutes);
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
                    {move || annotation_marks().into_iter().map(|AnnotationMark { left, width, top, height, region, color, tooltip }| {
                        let area = if region {
                            format!("left:{left:.1}px;width:{width:.1}px;top:{top:.1}px;height:{height:.1}px;background:{color}")
                        } else {
                            format!("left:{left:.1}px;top:{top:.1}px;height:{height:.1}px;border-color:{color}")
                        };
                        view! {
                            <div class=if region { "annotation annotation-region" } else { "annotation annotation-line" } style=area></div>
                            <div class="annotation-marker" style=format!("left:{left:.1}px;top:{:.1}px;border-bottom-color:{color}", top + height) title=tooltip></div>
                        }
                    }).collect_view()}
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
                            let options = series_options(&series, &field_config.get_value(), chosen_theme());
                            let (x, label, rows) = drawn.with_value(|drawn| {
                                let (spec, layout, dpr) = drawn.as_ref()?;
                                if time < spec.from_ms || time > spec.to_ms {
                                    return None;
                                }
                                let (sample, rows) = tooltip_rows(&series, &options, time, spec.gap_threshold_ms, "multi", f64::NAN)?;
                                let x = time_px(spec, layout, time) / dpr;
                                Some((x, time::format_local_datetime(sample as i64, spec.utc_offset_minutes), rows))
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
            annotations=Signal::derive(move || annotation_events.with(Vec::len))
        >
            {body}
        </QueryPanelFrame>
    }
}

/// An annotation event where the chart draws it: CSS px over the plot, a region or a line.
struct AnnotationMark {
    left: f64,
    width: f64,
    top: f64,
    height: f64,
    region: bool,
    color: String,
    tooltip: String,
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

/// The dashboard's shared crosshair: the time under the pointer and the panel it is over; `mode`
/// is the dashboard's `graphTooltip` (0 off, 1 shared crosshair, 2 shared crosshair and tooltip).
#[derive(Clone, Copy)]
pub struct SharedCursor {
    pub time: RwSignal<Option<(f64, i64)>>,
    pub mode: i64,
}

/// The series as the chart draws them: styled by the field config, stacked and transformed.
fn chart_series(series: &[DisplaySeries], options: Vec<SeriesOptions>) -> Vec<ChartSeries> {
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
