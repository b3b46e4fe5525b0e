//! The time-series legend and tooltip as data: mode and placement, Grafana's calcs formatted in each
//! series' unit, sorting (natural order for names), and the rows a hover tooltip lists.

use super::SeriesOptions;
use crate::chart;
use crate::field::DisplaySeries;
use crate::field::display::reduce;
use crate::field::units;
use crate::reducers;
use crate::sorting;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegendMode {
    List,
    Table,
    Hidden,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LegendOptions {
    pub mode: LegendMode,
    pub right: bool,
    pub calcs: Vec<String>,
    /// `sortBy` and `sortDesc`: which column orders a table legend.
    pub sort: Option<LegendSort>,
}

/// A table legend's order: by `"Name"` or by a calc's column title (`"Max"`, `"Last *"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegendSort {
    pub by: String,
    pub desc: bool,
}

/// The column key Grafana sorts names by.
pub const LEGEND_NAME_COLUMN: &str = "Name";

pub fn legend_options(options: &Value) -> LegendOptions {
    let legend = options.get("legend");
    let text = |key: &str| legend.and_then(|l| l.get(key)).and_then(Value::as_str);
    let shown = legend.and_then(|l| l.get("showLegend")).and_then(Value::as_bool).unwrap_or(true);
    LegendOptions {
        mode: match (shown, text("displayMode")) {
            (false, _) | (_, Some("hidden")) => LegendMode::Hidden,
            (_, Some("table")) => LegendMode::Table,
            _ => LegendMode::List,
        },
        right: text("placement") == Some("right"),
        calcs: legend
            .and_then(|l| l.get("calcs"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str().map(str::to_string))
            .collect(),
        sort: text("sortBy").filter(|by| !by.is_empty()).map(|by| LegendSort {
            by: by.to_string(),
            // Grafana multiplies by -1 only when sortDesc is true; absent means ascending.
            desc: legend.and_then(|l| l.get("sortDesc")).and_then(Value::as_bool).unwrap_or(false),
        }),
    }
}

/// A click on a table legend's column header, as Grafana cycles it: another column sorts
/// descending, the same column flips descending to ascending, and ascending clears the sort.
pub fn toggle_legend_sort(current: Option<&LegendSort>, column: &str) -> Option<LegendSort> {
    match current {
        Some(sort) if sort.by == column && !sort.desc => None,
        Some(sort) if sort.by == column => Some(LegendSort { by: column.to_string(), desc: false }),
        _ => Some(LegendSort { by: column.to_string(), desc: true }),
    }
}

/// The order of a table legend's rows (indices into `series`), as Grafana's legend table sorts:
/// names by natural order ignoring case; calcs numerically, a series without the value (or NaN)
/// counting as -Infinity; a stable sort, so ties keep the query order. A key that names no shown
/// calc leaves the order alone.
pub fn legend_order(
    series: &[DisplaySeries],
    names: &[String],
    calcs: &[String],
    sort: &LegendSort,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..series.len()).collect();
    let direction = |ordering: std::cmp::Ordering| if sort.desc { ordering.reverse() } else { ordering };
    if sort.by == LEGEND_NAME_COLUMN {
        sorting::sort_by(&mut order, |&a, &b| direction(natural_compare(&names[a], &names[b])));
        return order;
    }
    let Some(calc) = calcs.iter().find(|c| calc_title(c) == sort.by) else {
        return order;
    };
    let keys: Vec<f64> = series
        .iter()
        .map(|s| {
            let values: Vec<f64> = s.points_ms.iter().map(|(_, v)| *v).collect();
            reduce(calc, &values).filter(|v| !v.is_nan()).unwrap_or(f64::NEG_INFINITY)
        })
        .collect();
    // No NaN is left, so partial_cmp always answers; -inf equals -inf as in JS's (a - b) = NaN → 0.
    sorting::sort_by(&mut order, |&a, &b| {
        direction(keys[a].partial_cmp(&keys[b]).unwrap_or(std::cmp::Ordering::Equal))
    });
    order
}

/// `Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })` for series names: runs of
/// digits compare as numbers, letters without regard to case.
fn natural_compare(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (mut a, mut b) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (a.peek().copied(), b.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let take_number = |chars: &mut std::iter::Peekable<std::str::Chars>| {
                    let mut digits = String::new();
                    while let Some(d) = chars.next_if(char::is_ascii_digit) {
                        digits.push(d);
                    }
                    digits.trim_start_matches('0').to_string()
                };
                let (x, y) = (take_number(&mut a), take_number(&mut b));
                // Without leading zeros, a longer run is a larger number.
                let ordering = x.len().cmp(&y.len()).then_with(|| x.cmp(&y));
                if ordering != Ordering::Equal {
                    return ordering;
                }
            }
            (Some(x), Some(y)) => {
                let ordering = x.to_lowercase().cmp(y.to_lowercase());
                if ordering != Ordering::Equal {
                    return ordering;
                }
                a.next();
                b.next();
            }
        }
    }
}

/// Grafana's titles of the reducers a legend shows.
pub fn calc_title(calc: &str) -> &str {
    reducers::reducer_title(calc)
}

/// The legend values of one series: each calc reduced and formatted with the series' field config
/// (count is a plain number, as in Grafana).
pub fn legend_values(series: &DisplaySeries, options: &SeriesOptions, calcs: &[String]) -> Vec<String> {
    let values: Vec<f64> = series.points_ms.iter().map(|(_, v)| *v).collect();
    calcs
        .iter()
        .map(|calc| match reduce(calc, &values) {
            Some(v) if calc == "count" => units::format_value("none", v, None).to_string(),
            Some(v) => options.field.display(Some(v), (0.0, 1.0), &options.color).formatted.to_string(),
            None => "-".to_string(),
        })
        .collect()
}

/// One line of a hover tooltip.
#[derive(Debug, Clone, PartialEq)]
pub struct TooltipRow {
    pub name: String,
    pub color: String,
    pub text: String,
    pub value: f64,
}

/// The tooltip at time `t`: the sample time shown and each visible series' value there (within
/// half a step), formatted in the series' unit. Grafana's `single` mode keeps the series nearest
/// to `cursor_value`; `none` shows nothing.
pub fn tooltip_rows(
    series: &[DisplaySeries],
    options: &[SeriesOptions],
    t: f64,
    step_ms: f64,
    mode: &str,
    cursor_value: f64,
) -> Option<(f64, Vec<TooltipRow>)> {
    if mode == "hidden" || mode == "none" {
        return None;
    }
    let mut sample_time = None;
    let mut rows: Vec<TooltipRow> = series
        .iter()
        .zip(options)
        .filter(|(_, o)| !o.style.hidden)
        .filter_map(|(s, o)| {
            let index = chart::nearest_sample(&s.points_ms, t, step_ms / 2.0)?;
            let (time, value) = s.points_ms[index];
            sample_time.get_or_insert(time);
            Some(TooltipRow {
                name: o.display_name.clone(),
                color: o.color.clone(),
                text: o.field.display(Some(value), (0.0, 1.0), &o.color).formatted.to_string(),
                value,
            })
        })
        .collect();
    if mode == "single" {
        sorting::sort_by(&mut rows, |a, b| {
            (a.value - cursor_value).abs().total_cmp(&(b.value - cursor_value).abs())
        });
        rows.truncate(1);
    }
    Some((sample_time?, rows))
}
