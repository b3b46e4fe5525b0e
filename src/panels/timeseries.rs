//! Time-series panel options: each series' style from `fieldConfig` (defaults, then overrides by
//! name, regex or query), stacking, the negative-Y transform, and the legend (list or table, with
//! Grafana's calcs formatted in the series' unit).

use crate::field::DisplaySeries;
use crate::field::display::{ColorMode, FieldConfig, reduce};
use crate::field::overrides::field_for;
use serde_json::{Map, Value};

pub use crate::chart::{DrawStyle, GradientMode, Interpolation, SeriesStyle, SpanNulls};

/// Everything a series takes from the field config.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesOptions {
    pub display_name: String,
    /// CSS colour (the palette colour unless an override fixes one).
    pub color: String,
    pub style: SeriesStyle,
    pub field: FieldConfig,
    /// The series' data links (`links` in its field config or an override).
    pub links: Vec<crate::view::links::DashboardLink>,
}

/// Grafana's `calculateField` on time series, the transformation dashboards use on graphs: a new
/// series per timestamp from the others — `reduceRow` (a reducer across the series, e.g. the mean
/// of every CPU) or `binary` (two series, or a series and a number, with + − * /) — named by
/// `alias` (else Grafana's default name), replacing the others with `replaceFields`. Other
/// transformations leave the series as they are.
pub fn calculate_fields(series: Vec<DisplaySeries>, transformations: &Value) -> Vec<DisplaySeries> {
    let mut series = series;
    for transformation in transformations.as_array().into_iter().flatten() {
        if transformation.get("id").and_then(Value::as_str) != Some("calculateField") || series.is_empty() {
            continue;
        }
        let options = transformation.get("options").cloned().unwrap_or(Value::Null);
        let mode = options.get("mode").and_then(Value::as_str).unwrap_or("reduceRow");
        let mut times: Vec<f64> = series.iter().flat_map(|s| s.points_ms.iter().map(|(t, _)| *t)).collect();
        times.sort_by(f64::total_cmp);
        times.dedup();
        let value_at = |s: &DisplaySeries, t: f64| {
            let points = &s.points_ms;
            let index = points.partition_point(|(time, _)| *time < t);
            points.get(index).filter(|(time, _)| *time == t).map_or(f64::NAN, |(_, v)| *v)
        };
        let (name, points): (String, Vec<(f64, f64)>) = match mode {
            "binary" => {
                let binary = options.get("binary");
                let operand = |key: &str| -> Option<Box<dyn Fn(f64) -> f64 + '_>> {
                    let text = binary.and_then(|b| b.get(key)).and_then(|v| match v {
                        Value::String(s) => Some(s.clone()),
                        Value::Number(n) => Some(n.to_string()),
                        Value::Object(o) => o.get("fixed").and_then(Value::as_str).map(str::to_string),
                        _ => None,
                    })?;
                    if let Some(found) = series.iter().find(|s| s.name == text) {
                        return Some(Box::new(move |t| value_at(found, t)));
                    }
                    let number: f64 = text.trim().parse().ok()?;
                    Some(Box::new(move |_| number))
                };
                let (Some(left), Some(right)) = (operand("left"), operand("right")) else { continue };
                let operator = binary.and_then(|b| b.get("operator")).and_then(Value::as_str).unwrap_or("*");
                let apply = |a: f64, b: f64| match operator {
                    "+" => a + b,
                    "-" => a - b,
                    "/" => a / b,
                    "%" => a % b,
                    "^" => a.powf(b),
                    _ => a * b,
                };
                let label = |key: &str| {
                    binary.and_then(|b| b.get(key)).map_or(String::new(), |v| match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                };
                let default_name = format!("{} {operator} {}", label("left"), label("right"));
                (default_name, times.iter().map(|t| (*t, apply(left(*t), right(*t)))).collect())
            }
            _ => {
                let reducer = options
                    .pointer("/reduce/reducer")
                    .and_then(Value::as_str)
                    .and_then(crate::reducers::reducer_id)
                    .unwrap_or("sum");
                let points = times
                    .iter()
                    .map(|t| {
                        let row: Vec<f64> = series.iter().map(|s| value_at(s, *t)).collect();
                        (*t, crate::field::display::reduce(reducer, &row).unwrap_or(f64::NAN))
                    })
                    .collect();
                (crate::reducers::reducer_title(reducer).to_string(), points)
            }
        };
        let name = options
            .get("alias")
            .and_then(Value::as_str)
            .filter(|a| !a.is_empty())
            .map_or(name, str::to_string);
        let first = &series[0];
        let calculated = DisplaySeries {
            ref_id: first.ref_id.clone(),
            labels: Default::default(),
            color: first.color,
            last_not_null: points.iter().rev().map(|(_, v)| *v).find(|v| !v.is_nan()),
            points_ms: points.into(),
            name,
        };
        if options.get("replaceFields").and_then(Value::as_bool) == Some(true) {
            series = vec![calculated];
        } else {
            series.push(calculated);
        }
    }
    series
}

/// Grafana's legend clicks: a click shows only that series (or everything again when it was the one
/// shown); a ctrl- or shift-click toggles one series and leaves the others. `None` means every
/// series is shown; `all` are the display names in legend order.
pub fn toggle_series_visibility(
    shown: Option<&[String]>,
    all: &[String],
    clicked: &str,
    additive: bool,
) -> Option<Vec<String>> {
    if !additive {
        return match shown {
            Some([only]) if only == clicked => None,
            _ => Some(vec![clicked.to_string()]),
        };
    }
    let mut current: Vec<String> = shown.map_or_else(|| all.to_vec(), <[String]>::to_vec);
    match current.iter().position(|name| name == clicked) {
        Some(index) => {
            current.remove(index);
        }
        None => current.push(clicked.to_string()),
    }
    let everything = all.iter().all(|name| current.contains(name));
    (!everything).then_some(current)
}

/// Whether the time axis is hidden: Grafana 9+ hides every axis, the time axis included, when the
/// field defaults say `axisPlacement: hidden`, unless an override for the time field (`byType:
/// time`, which schema migration 35 adds to older dashboards) places it again.
pub fn time_axis_hidden(field_config: &Value) -> bool {
    let placement = |properties: &Value| {
        properties
            .as_array()?
            .iter()
            .rev()
            .find(|p| p.get("id").and_then(Value::as_str) == Some("custom.axisPlacement"))?
            .get("value")?
            .as_str()
            .map(str::to_string)
    };
    let defaults_hidden =
        field_config.pointer("/defaults/custom/axisPlacement").and_then(Value::as_str) == Some("hidden");
    let time_override = field_config
        .get("overrides")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|o| {
            o.pointer("/matcher/id").and_then(Value::as_str) == Some("byType")
                && o.pointer("/matcher/options").and_then(Value::as_str) == Some("time")
        })
        .filter_map(|o| placement(o.get("properties")?))
        .next_back();
    match time_override {
        Some(placement) => placement == "hidden",
        None => defaults_hidden,
    }
}

/// The base of a logarithmic value axis (`custom.scaleDistribution: {type: "log", log: 2}`),
/// Grafana's base 2 when `log` is missing; `None` for linear axes.
pub fn log_base(custom: Option<&Value>) -> Option<f64> {
    let distribution = custom?.get("scaleDistribution")?;
    (distribution.get("type").and_then(Value::as_str) == Some("log"))
        .then(|| distribution.get("log").and_then(Value::as_f64).filter(|b| *b > 1.0).unwrap_or(2.0))
}

/// Grafana's `lineStyle`: anything but `solid` dashes, with `dash` or Grafana's default `[10, 10]`.
/// Only the first dash and gap are used (every corpus pattern has two).
fn line_dash(line_style: &Value) -> Option<(f64, f64)> {
    let fill = line_style.get("fill").and_then(Value::as_str).unwrap_or("solid");
    if fill == "solid" {
        return None;
    }
    let dash: Vec<f64> = line_style
        .get("dash")
        .and_then(Value::as_array)
        .map(|d| d.iter().filter_map(Value::as_f64).filter(|v| *v >= 0.0).collect())
        .unwrap_or_default();
    match dash.as_slice() {
        [] => Some((10.0, 10.0)),
        [both] => Some((*both, *both)),
        [dash, gap, ..] => Some((*dash, *gap)),
    }
}

fn custom_into(style: &mut SeriesStyle, key: &str, value: &Value) {
    let number = value.as_f64();
    match key {
        "lineWidth" => style.line_width = number.unwrap_or(style.line_width),
        "fillOpacity" => {
            style.fill_opacity = number.map_or(style.fill_opacity, |n| (n / 100.0).clamp(0.0, 1.0))
        }
        "drawStyle" => {
            style.draw = match value.as_str() {
                Some("bars") => DrawStyle::Bars,
                Some("points") => DrawStyle::Points,
                _ => DrawStyle::Line,
            }
        }
        "lineStyle" => style.dash = line_dash(value),
        "gradientMode" => {
            style.gradient = match value.as_str() {
                Some("opacity") => GradientMode::Opacity,
                Some("hue") => GradientMode::Hue,
                Some("scheme") => GradientMode::Scheme,
                _ => GradientMode::None,
            }
        }
        "showPoints" => style.show_points = value.as_str() == Some("always"),
        "pointSize" => style.point_size = number.unwrap_or(style.point_size),
        "stacking" => {
            let mode = value.get("mode").and_then(Value::as_str).unwrap_or("none");
            style.stack_group = (mode != "none")
                .then(|| value.get("group").and_then(Value::as_str).unwrap_or("A").to_string());
            style.stack_percent = mode == "percent";
        }
        "transform" => style.negative_y = value.as_str() == Some("negative-Y"),
        "hideFrom" => style.hidden = value.get("viz").and_then(Value::as_bool).unwrap_or(false),
        "axisPlacement" => style.right_axis = value.as_str() == Some("right"),
        "axisSoftMin" => style.soft_min = number,
        "axisSoftMax" => style.soft_max = number,
        "spanNulls" => {
            style.span_nulls = match value {
                Value::Bool(true) => SpanNulls::Always,
                Value::Number(n) => n.as_f64().map_or(SpanNulls::Never, SpanNulls::UpTo),
                _ => SpanNulls::Never,
            }
        }
        "lineInterpolation" => {
            style.interpolation = match value.as_str() {
                Some("stepAfter") => Interpolation::StepAfter,
                Some("stepBefore") => Interpolation::StepBefore,
                Some("smooth") => Interpolation::Smooth,
                _ => Interpolation::Linear,
            }
        }
        _ => {}
    }
}

/// The options of every series: defaults, then each matching override in order.
pub fn series_options(series: &[DisplaySeries], field_config: &Value) -> Vec<SeriesOptions> {
    let defaults = field_config.get("defaults").cloned().unwrap_or_else(|| Value::Object(Map::new()));
    // By-value colours scale each series' statistic over the range of every series, unless the
    // field sets min/max (Grafana's global field range).
    // A pass over every sample, made only when some series is coloured by value.
    let global_range = std::cell::OnceCell::new();
    let global_range = || {
        *global_range.get_or_init(|| {
            series
                .iter()
                .flat_map(|s| s.points_ms.iter().map(|(_, v)| *v))
                .filter(|v| v.is_finite())
                .fold(None, |range: Option<(f64, f64)>, v| {
                    Some(range.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
                })
                .unwrap_or((0.0, 1.0))
        })
    };
    series
        .iter()
        .map(|s| {
            let mut style = SeriesStyle::default();
            // The defaults' custom options, then each matching override's, in order.
            for (key, value) in defaults.get("custom").and_then(Value::as_object).into_iter().flatten() {
                custom_into(&mut style, key, value);
            }
            let resolved = field_for(field_config, &s.name, &s.ref_id, &s.points_ms);
            for (key, value) in &resolved.custom {
                custom_into(&mut style, key, value);
            }
            let (merged, display_name) = (resolved.config, resolved.display_name);
            let field = FieldConfig::from_defaults(Some(&merged), ColorMode::PaletteClassic);
            let by_value = matches!(field.color, ColorMode::Continuous(_) | ColorMode::Thresholds);
            let (min, max) = match (field.min, field.max) {
                (Some(min), Some(max)) => (min, max),
                (min, max) if by_value => (min.unwrap_or(global_range().0), max.unwrap_or(global_range().1)),
                (min, max) => (min.unwrap_or(0.0), max.unwrap_or(1.0)),
            };
            let color = match &field.color {
                ColorMode::Fixed(name) => crate::field::display::color_by_name(name),
                ColorMode::Continuous(_) | ColorMode::Thresholds => {
                    let series_by =
                        merged.pointer("/color/seriesBy").and_then(Value::as_str).unwrap_or("last");
                    let values: Vec<f64> = s.points_ms.iter().map(|(_, v)| *v).collect();
                    let statistic = match series_by {
                        "min" | "max" => reduce(series_by, &values),
                        _ => reduce("lastNotNull", &values),
                    };
                    field.display(statistic, (min, max), &s.color.to_css()).color
                }
                _ => s.color.to_css(),
            };
            style.value_colors = match &field.color {
                ColorMode::Thresholds => Some(crate::chart::ValueColors::Steps(
                    field
                        .thresholds
                        .steps
                        .iter()
                        .map(|step| {
                            // Percentage steps are placed on the field's range, as Grafana does.
                            let value = if field.thresholds.percentage && step.value.is_finite() {
                                min + step.value / 100.0 * (max - min)
                            } else {
                                step.value
                            };
                            let color = crate::field::display::color_by_name(&step.color);
                            (
                                value,
                                crate::field::Rgb::from_css(&color)
                                    .unwrap_or(crate::field::Rgb(128, 128, 128)),
                            )
                        })
                        .collect(),
                )),
                ColorMode::Continuous(scheme) => {
                    crate::field::scheme::scheme_stops(scheme).map(crate::chart::ValueColors::Scheme)
                }
                _ => None,
            };
            SeriesOptions {
                display_name: display_name
                    .map(|t| crate::field::overrides::fill_display_name(&t, s))
                    .unwrap_or_else(|| s.name.clone()),
                color,
                style,
                field,
                links: crate::view::links::read_link_list(merged.get("links")),
            }
        })
        .collect()
}

/// The right-hand value axis, when a visible series is placed on it: the unit and decimals of the
/// first such series (Grafana groups axes by unit; promboard shows one axis a side).
pub fn right_axis(options: &[SeriesOptions]) -> Option<crate::chart::ValueAxis> {
    let first = options.iter().find(|o| o.style.right_axis && !o.style.hidden)?;
    Some(crate::chart::ValueAxis {
        unit: first.field.unit.clone(),
        decimals: first.field.decimals,
        bounds: axis_bounds(&first.field, &first.style),
    })
}

/// What a data link clicked on a series' sample refers to: `__field.labels.X`, `__series.name`,
/// `__field.name`, `__field.displayName`, `__value.raw`, `__value.numeric`, `__value.text`,
/// `__value.time` (epoch ms), as Grafana's data link variables name them.
pub fn series_data_reference(
    name: &str,
    series: &DisplaySeries,
    display_name: &str,
    (time, value, text): (f64, f64, &str),
) -> Option<String> {
    if let Some(label) = name.strip_prefix("__field.labels.") {
        return series.labels.get(label).cloned();
    }
    match name {
        "__series.name" | "__field.name" | "__field.displayName" => Some(display_name.to_string()),
        "__value.raw" | "__value.numeric" => Some(crate::field::units::js_number_to_string(value)),
        "__value.text" => Some(text.to_string()),
        "__value.time" => Some(format!("{}", time as i64)),
        _ => None,
    }
}

/// Whether the left axis shows percent-stacked series (Grafana then formats it as 0–100 %).
pub fn percent_stacked(options: &[SeriesOptions]) -> bool {
    options.iter().any(|o| o.style.stack_percent && !o.style.hidden && !o.style.right_axis)
}

/// An axis' limits from a field's `min`/`max` and its style's soft limits.
pub fn axis_bounds(field: &FieldConfig, style: &SeriesStyle) -> crate::chart::AxisBounds {
    crate::chart::AxisBounds {
        min: field.min,
        max: field.max,
        soft_min: style.soft_min,
        soft_max: style.soft_max,
    }
}

/// The left value axis' limits: those of the panel's defaults (Grafana's default scale).
pub fn left_axis_bounds(field_config: &Value) -> crate::chart::AxisBounds {
    let defaults = field_config.get("defaults");
    let field = FieldConfig::from_defaults(defaults, ColorMode::PaletteClassic);
    let mut style = SeriesStyle::default();
    if let Some(custom) = defaults.and_then(|d| d.get("custom")).and_then(Value::as_object) {
        for (key, value) in custom {
            custom_into(&mut style, key, value);
        }
    }
    axis_bounds(&field, &style)
}

/// The thresholds a time series draws (`custom.thresholdsStyle.mode`: line, area, line+area,
/// dashed…; `off` or unset draws none), with the field's absolute steps.
pub fn thresholds_display(field_config: &Value) -> Option<crate::chart::ThresholdsDisplay> {
    let defaults = field_config.get("defaults")?;
    let mode = defaults.get("custom")?.get("thresholdsStyle")?.get("mode")?.as_str()?;
    let (lines, areas) = match mode {
        "line" | "dashed" => (true, false),
        "area" => (false, true),
        "line+area" | "dashed+area" => (true, true),
        _ => return None,
    };
    let field = FieldConfig::from_defaults(Some(defaults), ColorMode::Thresholds);
    if field.thresholds.percentage {
        return None;
    }
    let steps = field
        .thresholds
        .steps
        .iter()
        .filter_map(|step| {
            let color = crate::field::Rgb::from_css(&crate::field::display::color_by_name(&step.color))?;
            Some((step.value, color))
        })
        .collect();
    Some(crate::chart::ThresholdsDisplay { lines, areas, steps })
}

/// Samples as (time in ms, value).
pub type Points = Vec<(f64, f64)>;
/// Samples shared between a panel's data and its chart.
pub type SharedPoints = std::sync::Arc<Points>;

/// Applies the negative-Y transform and stacking: returns, per series, its drawn points and the
/// baseline its fill starts from (the series below it in its stack, else `None` for zero).
pub fn stack_series(
    points: Vec<SharedPoints>,
    styles: &[SeriesStyle],
) -> Vec<(SharedPoints, Option<Points>)> {
    // Shared, so that series which neither stack nor flip are passed through untouched (a panel of
    // a million samples should not be copied on every draw).
    let transformed: Vec<SharedPoints> = points
        .into_iter()
        .zip(styles)
        .map(|(mut p, style)| {
            if style.negative_y {
                std::sync::Arc::make_mut(&mut p).iter_mut().for_each(|(_, v)| *v = -*v);
            }
            p
        })
        .collect();
    // Totals per group and timestamp, for percent stacking.
    let mut totals: std::collections::HashMap<(String, u64), f64> = std::collections::HashMap::new();
    for (series, style) in transformed.iter().zip(styles) {
        if let (Some(group), true) = (&style.stack_group, style.stack_percent) {
            for (t, v) in series.iter().filter(|(_, v)| v.is_finite()) {
                *totals.entry((group.clone(), t.to_bits())).or_default() += v.abs();
            }
        }
    }
    let mut running: std::collections::HashMap<(String, u64), f64> = std::collections::HashMap::new();
    transformed
        .into_iter()
        .zip(styles)
        .map(|(series, style)| {
            let Some(group) = &style.stack_group else { return (series, None) };
            if style.hidden {
                return (series, None);
            }
            let mut top = Vec::with_capacity(series.len());
            let mut bottom = Vec::with_capacity(series.len());
            for (t, v) in series.iter() {
                let key = (group.clone(), t.to_bits());
                let value = if style.stack_percent {
                    let total = totals.get(&key).copied().unwrap_or(0.0);
                    if total == 0.0 { 0.0 } else { v / total }
                } else {
                    *v
                };
                let base = running.get(&key).copied().unwrap_or(0.0);
                let stacked = if value.is_finite() { base + value } else { f64::NAN };
                if value.is_finite() {
                    running.insert(key, stacked);
                }
                top.push((*t, stacked));
                bottom.push((*t, base));
            }
            (top.into(), Some(bottom))
        })
        .collect()
}

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
        order.sort_by(|&a, &b| direction(natural_compare(&names[a], &names[b])));
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
    order.sort_by(|&a, &b| direction(keys[a].partial_cmp(&keys[b]).unwrap_or(std::cmp::Ordering::Equal)));
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
    crate::reducers::reducer_title(calc)
}

/// The legend values of one series: each calc reduced and formatted with the series' field config
/// (count is a plain number, as in Grafana).
pub fn legend_values(series: &DisplaySeries, options: &SeriesOptions, calcs: &[String]) -> Vec<String> {
    let values: Vec<f64> = series.points_ms.iter().map(|(_, v)| *v).collect();
    calcs
        .iter()
        .map(|calc| match reduce(calc, &values) {
            Some(v) if calc == "count" => crate::field::units::format_value("none", v, None).to_string(),
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
            let index = crate::chart::nearest_sample(&s.points_ms, t, step_ms / 2.0)?;
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
        rows.sort_by(|a, b| (a.value - cursor_value).abs().total_cmp(&(b.value - cursor_value).abs()));
        rows.truncate(1);
    }
    Some((sample_time?, rows))
}

#[cfg(test)]
#[path = "timeseries/tests.rs"]
mod tests;
