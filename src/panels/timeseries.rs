//! Time-series panel options: each series' style from `fieldConfig` (defaults, then overrides by
//! name, regex or query), stacking, the negative-Y transform, and the legend (list or table, with
//! Grafana's calcs formatted in the series' unit).

use crate::field::display::{ColorMode, FieldConfig, reduce};
use crate::field::named_colors::color_by_name;
use crate::field::overrides::field_for;
use crate::field::{DisplaySeries, Theme};
use serde_json::{Map, Value};

mod legend;

use crate::chart::AxisBounds;
use crate::chart::ThresholdsDisplay;
use crate::chart::ValueAxis;
use crate::chart::ValueColors;
pub use crate::chart::{DrawStyle, GradientMode, Interpolation, SeriesStyle, SpanNulls};
use crate::field::Rgb;
use crate::field::display;
use crate::field::overrides;
use crate::field::scheme;
use crate::field::units;
use crate::reducers;
use crate::view::links;
use crate::view::links::DashboardLink;
pub use legend::{
    LEGEND_NAME_COLUMN, LegendMode, LegendOptions, LegendSort, TooltipRow, calc_title, legend_options,
    legend_order, legend_values, toggle_legend_sort, tooltip_rows,
};

/// Everything a series takes from the field config.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesOptions {
    pub display_name: String,
    /// CSS colour (the palette colour unless an override fixes one).
    pub color: String,
    pub style: SeriesStyle,
    pub field: FieldConfig,
    /// The series' data links (`links` in its field config or an override).
    pub links: Vec<DashboardLink>,
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
                    .and_then(reducers::reducer_id)
                    .unwrap_or("sum");
                let points = times
                    .iter()
                    .map(|t| {
                        let row: Vec<f64> = series.iter().map(|s| value_at(s, *t)).collect();
                        (*t, display::reduce(reducer, &row).unwrap_or(f64::NAN))
                    })
                    .collect();
                (reducers::reducer_title(reducer).to_string(), points)
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
pub fn series_options(series: &[DisplaySeries], field_config: &Value, theme: Theme) -> Vec<SeriesOptions> {
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
            let field = FieldConfig::from_defaults(Some(&merged), ColorMode::PaletteClassic, theme);
            let by_value = matches!(field.color, ColorMode::Continuous(_) | ColorMode::Thresholds);
            let (min, max) = match (field.min, field.max) {
                (Some(min), Some(max)) => (min, max),
                (min, max) if by_value => (min.unwrap_or(global_range().0), max.unwrap_or(global_range().1)),
                (min, max) => (min.unwrap_or(0.0), max.unwrap_or(1.0)),
            };
            let color = match &field.color {
                ColorMode::Fixed(name) => color_by_name(name, theme),
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
                ColorMode::Thresholds => Some(ValueColors::Steps(
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
                            let color = color_by_name(&step.color, theme);
                            (value, Rgb::from_css(&color).unwrap_or(Rgb(128, 128, 128)))
                        })
                        .collect(),
                )),
                ColorMode::Continuous(scheme) => scheme::scheme_stops(scheme, theme).map(ValueColors::Scheme),
                _ => None,
            };
            SeriesOptions {
                display_name: display_name
                    .map(|t| overrides::fill_display_name(&t, s))
                    .unwrap_or_else(|| s.name.clone()),
                color,
                style,
                field,
                links: links::read_link_list(merged.get("links")),
            }
        })
        .collect()
}

/// The right-hand value axis, when a visible series is placed on it: the unit and decimals of the
/// first such series (Grafana groups axes by unit; promboard shows one axis a side).
pub fn right_axis(options: &[SeriesOptions]) -> Option<ValueAxis> {
    let first = options.iter().find(|o| o.style.right_axis && !o.style.hidden)?;
    Some(ValueAxis {
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
        "__value.raw" | "__value.numeric" => Some(units::js_number_to_string(value)),
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
pub fn axis_bounds(field: &FieldConfig, style: &SeriesStyle) -> AxisBounds {
    AxisBounds { min: field.min, max: field.max, soft_min: style.soft_min, soft_max: style.soft_max }
}

/// The left value axis' limits: those of the panel's defaults (Grafana's default scale).
pub fn left_axis_bounds(field_config: &Value) -> AxisBounds {
    let defaults = field_config.get("defaults");
    // Bounds read no colour: any theme gives the same.
    let field = FieldConfig::from_defaults(defaults, ColorMode::PaletteClassic, Theme::default());
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
pub fn thresholds_display(field_config: &Value, theme: Theme) -> Option<ThresholdsDisplay> {
    let defaults = field_config.get("defaults")?;
    let mode = defaults.get("custom")?.get("thresholdsStyle")?.get("mode")?.as_str()?;
    let (lines, areas) = match mode {
        "line" | "dashed" => (true, false),
        "area" => (false, true),
        "line+area" | "dashed+area" => (true, true),
        _ => return None,
    };
    let field = FieldConfig::from_defaults(Some(defaults), ColorMode::Thresholds, theme);
    if field.thresholds.percentage {
        return None;
    }
    let steps = field
        .thresholds
        .steps
        .iter()
        .filter_map(|step| {
            let color = Rgb::from_css(&color_by_name(&step.color, theme))?;
            Some((step.value, color))
        })
        .collect();
    Some(ThresholdsDisplay { lines, areas, steps })
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

#[cfg(test)]
#[path = "timeseries/tests.rs"]
mod tests;
