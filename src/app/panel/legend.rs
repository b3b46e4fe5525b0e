//! The time-series legend (list or table, with calcs, sortable, click to isolate) and the hover
//! tooltip. Markup only: rows, values and order come from [`crate::panels::timeseries`].

use crate::app::theme::chosen_theme;
use crate::field::DisplaySeries;
use crate::panels::timeseries;
use crate::panels::timeseries::{
    LEGEND_NAME_COLUMN, LegendMode, LegendOptions, LegendSort, TooltipRow, calc_title, legend_order,
    legend_values, series_options, toggle_legend_sort,
};
use leptos::prelude::*;

/// A hover tooltip at (`x`, `y`) CSS pixels in the chart, flipped to the pointer's left when it
/// would run off a narrow chart.
pub(super) fn tooltip_box(
    x: f64,
    y: f64,
    label: String,
    rows: Vec<TooltipRow>,
    class: &'static str,
) -> impl IntoView {
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

/// The legend: a list or a table, with the calcs the panel asks for, Grafana-formatted. Each item
/// carries the raw `lastNotNull` in `data-last` for tools and tests; clicking it isolates its
/// series, ctrl- or shift-clicking toggles it.
pub(super) fn legend_view(
    series: &[DisplaySeries],
    field_config: &serde_json::Value,
    legend: &LegendOptions,
    sort: RwSignal<Option<LegendSort>>,
    shown: RwSignal<Option<Vec<String>>>,
) -> Option<AnyView> {
    if legend.mode == LegendMode::Hidden {
        return None;
    }
    let options = series_options(series, field_config, chosen_theme());
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
                timeseries::toggle_series_visibility(
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
