//! Gauge and bar gauge panels: one reduced value per series placed on the field's min–max scale,
//! coloured by thresholds. Pure geometry (SVG arc paths, bar fractions); the app renders it.

use super::stat::reduced_values;
use crate::field::DisplaySeries;
use crate::field::display::{ColorMode, DisplayValue, FieldConfig};
use crate::field::named_colors::{Theme, color_by_name};
use crate::field::overrides;
use crate::field::scheme;
use serde_json::Value;

/// The gauge arc runs 240° around the top: from 210° to -30° (SVG angles, y down).
pub const GAUGE_START_DEGREES: f64 = 150.0;
pub const GAUGE_SWEEP_DEGREES: f64 = 240.0;

/// One gauge or bar: the value as shown, where it sits on the scale (0–1), and the threshold bands
/// as (from fraction, to fraction, colour) for markers.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaledValue {
    pub name: String,
    pub display: DisplayValue,
    pub fraction: f64,
    pub bands: Vec<(f64, f64, String)>,
    /// The value itself (`None` for no value) and the scale it sits on.
    pub value: Option<f64>,
    pub scale: (f64, f64),
}

/// The scale: the field's min/max, else the data's.
fn scale(field: &FieldConfig, series: &[DisplaySeries]) -> (f64, f64) {
    let values = series.iter().flat_map(|s| s.points_ms.iter().map(|(_, v)| *v)).filter(|v| v.is_finite());
    let (data_min, data_max) =
        values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let min = field.min.unwrap_or(if data_min.is_finite() { data_min.min(0.0) } else { 0.0 });
    let max = field.max.unwrap_or(if data_max.is_finite() { data_max } else { 100.0 });
    if max > min { (min, max) } else { (min, min + 100.0) }
}

/// Gauges (or bars) for the series, with Grafana's stat reduction and the threshold bands.
pub fn scaled_values(
    series: &[DisplaySeries],
    options: &Value,
    field_config: &Value,
    theme: Theme,
) -> Vec<ScaledValue> {
    let field = FieldConfig::from_defaults(field_config.get("defaults"), ColorMode::Thresholds, theme);
    // Each value's own unit, decimals, mappings, colour and name: the defaults and its overrides.
    // The scale and bands are the panel's (its defaults').
    let fields: Vec<(FieldConfig, String)> = overrides::series_fields(field_config, series)
        .into_iter()
        .map(|(merged, name)| (FieldConfig::from_defaults(Some(&merged), ColorMode::Thresholds, theme), name))
        .collect();
    let (min, max) = scale(&field, series);
    let fraction = |v: f64| ((v - min) / (max - min)).clamp(0.0, 1.0);
    let bands: Vec<(f64, f64, String)> = {
        let steps = &field.thresholds.steps;
        steps
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let from =
                    if field.thresholds.percentage { step.value / 100.0 } else { fraction(step.value) };
                let to = steps.get(i + 1).map_or(1.0, |next| {
                    if field.thresholds.percentage { next.value / 100.0 } else { fraction(next.value) }
                });
                (from.clamp(0.0, 1.0), to.clamp(0.0, 1.0), color_by_name(&step.color, theme))
            })
            .filter(|(from, to, _)| to > from)
            .collect()
    };
    reduced_values(series, options)
        .into_iter()
        .zip(fields)
        .map(|((_, value, series_color), (field, name))| ScaledValue {
            name,
            fraction: value.filter(|v| v.is_finite()).map_or(0.0, fraction),
            display: field.display(value, (min, max), &series_color),
            bands: bands.clone(),
            value,
            scale: (min, max),
        })
        .collect()
}

/// Grafana's bar gauge `displayMode` (and a table cell gauge's `mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarMode {
    Basic,
    /// The fill blends the threshold (or scheme) colours it passes, along the whole scale.
    Gradient,
    /// Retro LCD: a row of cells, each in the colour of its own value, lit up to the value.
    Lcd,
}

impl BarMode {
    pub fn from_name(name: Option<&str>) -> BarMode {
        match name {
            Some("gradient") | Some("gradient-gauge") => BarMode::Gradient,
            Some("lcd") | Some("lcd-gauge") => BarMode::Lcd,
            _ => BarMode::Basic,
        }
    }
}

/// The colour stops of a gradient bar, as (colour, position) with positions as fractions of the
/// *filled* length (a stop may lie beyond it) and `None` for "at the end": Grafana's
/// `getBarGradient`. With thresholds, each colour the value has reached takes over halfway
/// between the previous step and its own; a continuous scheme's colours sit evenly along the whole
/// scale; other colour modes fill with the value's colour.
pub fn gradient_stops(
    field: &FieldConfig,
    (min, max): (f64, f64),
    value: f64,
    value_color: &str,
) -> Vec<(String, Option<f64>)> {
    let fraction = ((value - min) / (max - min)).clamp(0.0, 1.0);
    // Positions along the scale, then relative to the fill (whose end is the value).
    let relative = |scale_position: f64| if fraction > 0.0 { scale_position / fraction } else { 0.0 };
    match &field.color {
        ColorMode::Thresholds => {
            let mut stops = Vec::new();
            let mut last_position = 0.0;
            for step in &field.thresholds.steps {
                let color = color_by_name(&step.color, field.theme);
                let position = if !step.value.is_finite() {
                    0.0
                } else if field.thresholds.percentage {
                    step.value / 100.0
                } else {
                    (step.value - min) / (max - min)
                };
                let step_value = if field.thresholds.percentage {
                    min + step.value / 100.0 * (max - min)
                } else {
                    step.value
                };
                if stops.is_empty() {
                    stops.push((color.clone(), None));
                    stops.push((color, None));
                    continue;
                }
                if value < step_value {
                    break;
                }
                let offset = position - (position - last_position) / 2.0;
                last_position = position;
                // The previous colour holds until `offset`, this one follows.
                if let Some(last) = stops.last_mut() {
                    last.1 = Some(relative(offset));
                }
                stops.push((color, None));
            }
            stops
        }
        ColorMode::Continuous(scheme) => {
            let colors = scheme::scheme_stops(scheme, field.theme).unwrap_or_default();
            let last = colors.len().saturating_sub(1).max(1) as f64;
            colors.iter().enumerate().map(|(i, c)| (c.to_css(), Some(relative(i as f64 / last)))).collect()
        }
        _ => vec![(value_color.to_string(), None), (value_color.to_string(), None)],
    }
}

/// How a bar of `length_px` is filled in `mode`: the fill's CSS background, and for LCD the cells.
pub fn bar_look(
    field: &FieldConfig,
    bar: &ScaledValue,
    mode: BarMode,
    vertical: bool,
    length_px: f64,
) -> (String, Option<Vec<(String, bool)>>) {
    let direction = if vertical { "0deg" } else { "90deg" };
    match mode {
        BarMode::Basic => (bar.display.color.clone(), None),
        BarMode::Gradient => {
            let value = bar.value.filter(|v| v.is_finite()).unwrap_or(bar.scale.0);
            (gradient_css(&gradient_stops(field, bar.scale, value, &bar.display.color), direction), None)
        }
        BarMode::Lcd => (String::new(), Some(lcd_cells(field, bar.scale, bar.value, length_px))),
    }
}

/// The CSS `linear-gradient` of [`gradient_stops`], towards `direction` (`90deg` or `0deg`).
pub fn gradient_css(stops: &[(String, Option<f64>)], direction: &str) -> String {
    let parts: Vec<String> = stops
        .iter()
        .map(|(color, at)| match at {
            Some(at) => format!("{color} {:.2}%", at * 100.0),
            None => color.clone(),
        })
        .collect();
    format!("linear-gradient({direction}, {})", parts.join(", "))
}

/// Grafana's LCD cell: 12 px and a 2 px gap.
pub const LCD_CELL_PX: f64 = 14.0;

/// The cells of an LCD bar `length_px` long: each cell's colour (the field's colour at the cell's
/// own value) and whether the value lights it.
pub fn lcd_cells(
    field: &FieldConfig,
    (min, max): (f64, f64),
    value: Option<f64>,
    length_px: f64,
) -> Vec<(String, bool)> {
    // At most 200 cells: a huge or broken width cannot make millions.
    let count = (length_px / LCD_CELL_PX).floor().clamp(1.0, 200.0) as usize;
    (0..count)
        .map(|i| {
            let cell_value = min + (max - min) / count as f64 * i as f64;
            let color = field.display(Some(cell_value), (min, max), "").color;
            (color, value.is_some_and(|v| v.is_finite() && v >= cell_value && v > min))
        })
        .collect()
}

/// An SVG path for an arc of the gauge from `from` to `to` (fractions of the sweep), centred at
/// (`cx`, `cy`) with radius `r`.
pub fn arc_path(cx: f64, cy: f64, r: f64, from: f64, to: f64) -> String {
    let angle = |fraction: f64| (GAUGE_START_DEGREES + GAUGE_SWEEP_DEGREES * fraction).to_radians();
    let point = |a: f64| (cx + r * a.cos(), cy + r * a.sin());
    let (start, end) = (point(angle(from)), point(angle(to)));
    let large_arc = i32::from(GAUGE_SWEEP_DEGREES * (to - from) > 180.0);
    format!("M {:.2} {:.2} A {r:.2} {r:.2} 0 {large_arc} 1 {:.2} {:.2}", start.0, start.1, end.0, end.1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Rgb;
    use serde_json::json;

    fn series(values: &[f64]) -> DisplaySeries {
        DisplaySeries {
            ref_id: "A".into(),
            labels: Default::default(),
            name: "cpu".into(),
            color: Rgb(0, 0, 0),
            points_ms: values.iter().enumerate().map(|(i, v)| (i as f64, *v)).collect::<Vec<_>>().into(),
            last_not_null: values.last().copied(),
        }
    }

    #[test]
    fn value_on_the_configured_scale_with_bands() {
        let gauges = scaled_values(
            &[series(&[10.0, 75.0])],
            &json!({"reduceOptions": {"calcs": ["lastNotNull"]}}),
            &json!({"defaults": {"unit": "percent", "min": 0, "max": 100, "thresholds": {"mode": "absolute", "steps": [
                {"value": null, "color": "green"}, {"value": 70, "color": "orange"}, {"value": 90, "color": "red"}]}}}),
            Theme::Dark,
        );
        assert_eq!(gauges.len(), 1);
        assert_eq!(gauges[0].display.formatted.to_string(), "75%");
        assert_eq!(gauges[0].display.color, "#FF9830");
        assert!((gauges[0].fraction - 0.75).abs() < 1e-12);
        let bands: Vec<(f64, f64)> = gauges[0].bands.iter().map(|(a, b, _)| (*a, *b)).collect();
        assert_eq!(bands, vec![(0.0, 0.7), (0.7, 0.9), (0.9, 1.0)]);
    }

    fn thresholds_field() -> FieldConfig {
        FieldConfig::from_defaults(
            Some(&json!({"min": 0, "max": 100, "thresholds": {"mode": "absolute", "steps": [
                {"value": null, "color": "green"}, {"value": 50, "color": "orange"}, {"value": 80, "color": "red"}]}})),
            ColorMode::Thresholds,
            Theme::Dark,
        )
    }

    #[test]
    fn gradient_bars_blend_the_steps_reached() {
        let field = thresholds_field();
        // At 60 of 100: green, then orange from halfway between 0 and 50 (25 → 25/60 of the fill).
        let stops = gradient_stops(&field, (0.0, 100.0), 60.0, "#FF9830");
        assert_eq!(gradient_css(&stops, "90deg"), "linear-gradient(90deg, #73BF69, #73BF69 41.67%, #FF9830)");
        // At 90: red takes over halfway between 50 and 80.
        let stops = gradient_stops(&field, (0.0, 100.0), 90.0, "#F2495C");
        assert_eq!(
            stops.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
            ["#73BF69", "#73BF69", "#FF9830", "#F2495C"]
        );
        assert!((stops[2].1.unwrap() - 0.65 / 0.9).abs() < 1e-12);
        // Below the first step: one colour.
        assert_eq!(
            gradient_css(&gradient_stops(&field, (0.0, 100.0), 10.0, "#73BF69"), "0deg"),
            "linear-gradient(0deg, #73BF69, #73BF69)"
        );
        // A continuous scheme: its stops spread along the whole scale.
        let scheme = FieldConfig::from_defaults(
            Some(&json!({"color": {"mode": "continuous-GrYlRd"}})),
            ColorMode::Thresholds,
            Theme::Dark,
        );
        let stops = gradient_stops(&scheme, (0.0, 100.0), 50.0, "");
        assert_eq!(stops.iter().map(|(_, at)| *at).collect::<Vec<_>>(), [Some(0.0), Some(1.0), Some(2.0)]);
    }

    #[test]
    fn lcd_cells_take_their_own_colour_and_light_up_to_the_value() {
        let cells = lcd_cells(&thresholds_field(), (0.0, 100.0), Some(55.0), 140.0);
        assert_eq!(cells.len(), 10);
        let lit = cells.iter().filter(|(_, lit)| *lit).count();
        assert_eq!(lit, 6, "cells at 0, 10, … 50 are lit by 55");
        assert_eq!(cells[4].0, "#73BF69");
        assert_eq!(cells[5].0, "#FF9830");
        assert_eq!(cells[9].0, "#F2495C");
        assert!(lcd_cells(&thresholds_field(), (0.0, 100.0), None, 140.0).iter().all(|(_, lit)| !lit));
    }

    #[test]
    fn scale_from_data_and_arc_geometry() {
        let gauges = scaled_values(&[series(&[2.0, 4.0])], &json!({}), &json!({}), Theme::Dark);
        assert_eq!(gauges[0].fraction, 1.0, "max comes from the data");
        // A half sweep from the start: 150° → 270° (straight up from the centre at 270°).
        assert_eq!(arc_path(50.0, 50.0, 40.0, 0.0, 0.5), "M 15.36 70.00 A 40.00 40.00 0 0 1 50.00 10.00");
        assert!(arc_path(50.0, 50.0, 40.0, 0.0, 1.0).contains(" 0 1 1 "), "a full sweep is a large arc");
    }
}
