//! Panels that reduce each series to values and draw them as HTML: stat, gauge, bar gauge, table,
//! heatmap and pie. The numbers come from [`crate::panels`]; this file only lays them out.

use crate::app::panel_data::use_panel_queries;
use crate::app::theme::chosen_theme;
use crate::app::timezone::Zone;
use crate::app::variables::VariableState;
use crate::field::display::{ColorMode, FieldConfig};
use crate::field::{DisplaySeries, Rgb};
use crate::panels::gauge::{arc_path, scaled_values};
use crate::panels::options::{BarGaugeOptions, GaugeOptions};
use crate::panels::pie::pie_view;
use crate::panels::stat::{StatColorMode, stat_view};
use crate::panels::table::{sort_rows, table_view};
use crate::time::TimeRange;
use crate::view::links::DashboardLink;
use crate::view::{PanelKind, PanelView};
use leptos::prelude::*;

use super::PanelGeometry;
use super::frame::{QueryPanelFrame, use_seen};
use crate::app::links;
use crate::app::links::LinkTimeRange;
use crate::field::scheme;
use crate::panels::heatmap::buckets;
use crate::panels::heatmap::heatmap_view;
use crate::panels::table::TableCell;

/// Panels that reduce each series to one value: stat, gauge, bar gauge and table.
#[component]
pub(super) fn ReducedPanel(
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
    let link_time = use_context::<LinkTimeRange>();
    let state = move || queries.data_state();
    let body = move || match queries.result() {
        None => view! { <div class="panel-message muted">"Loading…"</div> }.into_any(),
        Some(Err(message)) => view! { <div class="panel-error" role="alert">{message}</div> }.into_any(),
        Some(Ok(d)) => match kind {
            PanelKind::Gauge => gauges(&d.series, &options, &field_config).into_any(),
            PanelKind::BarGauge => bar_gauges(&d.series, &options, &field_config, geometry.get()).into_any(),
            PanelKind::Table => {
                let states = variables.get().unwrap_or_default();
                let href = |link: &DashboardLink| links::resolve_link(link, &states, link_time);
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
    let stat = stat_view(series, options, field_config, chosen_theme());
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
    let show_markers = GaugeOptions::read(options).threshold_markers;
    let values = scaled_values(series, options, field_config, chosen_theme());
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
    use crate::panels::gauge::bar_look;
    let BarGaugeOptions { vertical, mode } = BarGaugeOptions::read(options);
    let field =
        FieldConfig::from_defaults(field_config.get("defaults"), ColorMode::Thresholds, chosen_theme());
    let values = scaled_values(series, options, field_config, chosen_theme());
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
    let mut view = table_view(series, transformations, field_config, chosen_theme());
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
fn table_cell(cell: TableCell, align: &str, link: Option<(String, DashboardLink)>) -> impl IntoView {
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
                .map(|c| scheme::spin_and_lighten(c, 5.0, -10.0).to_css())
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
                Some((href, link)) => links::data_link_anchor(href, &link, text).into_any(),
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
    let Some(buckets) = buckets(series, cumulative) else {
        return view! {
            <div class="panel-message muted">"A heatmap needs histogram buckets: series with an le label."</div>
        }
        .into_any();
    };
    // The body: the panel less its header.
    let (width, height) = (geometry.width.max(40.0), (geometry.height - 36.0).max(30.0));
    let view = heatmap_view(&buckets, options, width, height, chosen_theme());
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
    let view = pie_view(series, options, field_config, chosen_theme());
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
