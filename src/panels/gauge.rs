//! Gauge and bar gauge panels: one reduced value per series placed on the field's min–max scale,
//! coloured by thresholds. Pure geometry (SVG arc paths, bar fractions); the app renders it.

use super::stat::reduced_values;
use crate::field::DisplaySeries;
use crate::field::display::{ColorMode, DisplayValue, FieldConfig};
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
pub fn scaled_values(series: &[DisplaySeries], options: &Value, field_defaults: &Value) -> Vec<ScaledValue> {
    let field = FieldConfig::from_defaults(Some(field_defaults), ColorMode::Thresholds);
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
                (from.clamp(0.0, 1.0), to.clamp(0.0, 1.0), crate::field::display::color_by_name(&step.color))
            })
            .filter(|(from, to, _)| to > from)
            .collect()
    };
    reduced_values(series, options)
        .into_iter()
        .map(|(name, value, series_color)| ScaledValue {
            name,
            fraction: value.filter(|v| v.is_finite()).map_or(0.0, fraction),
            display: field.display(value, (min, max), &series_color),
            bands: bands.clone(),
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
            &json!({"unit": "percent", "min": 0, "max": 100, "thresholds": {"mode": "absolute", "steps": [
                {"value": null, "color": "green"}, {"value": 70, "color": "orange"}, {"value": 90, "color": "red"}]}}),
        );
        assert_eq!(gauges.len(), 1);
        assert_eq!(gauges[0].display.formatted.to_string(), "75%");
        assert_eq!(gauges[0].display.color, "#FF9830");
        assert!((gauges[0].fraction - 0.75).abs() < 1e-12);
        let bands: Vec<(f64, f64)> = gauges[0].bands.iter().map(|(a, b, _)| (*a, *b)).collect();
        assert_eq!(bands, vec![(0.0, 0.7), (0.7, 0.9), (0.9, 1.0)]);
    }

    #[test]
    fn scale_from_data_and_arc_geometry() {
        let gauges = scaled_values(&[series(&[2.0, 4.0])], &json!({}), &json!({}));
        assert_eq!(gauges[0].fraction, 1.0, "max comes from the data");
        // A half sweep from the start: 150° → 270° (straight up from the centre at 270°).
        assert_eq!(arc_path(50.0, 50.0, 40.0, 0.0, 0.5), "M 15.36 70.00 A 40.00 40.00 0 0 1 50.00 10.00");
        assert!(arc_path(50.0, 50.0, 40.0, 0.0, 1.0).contains(" 0 1 1 "), "a full sweep is a large arc");
    }
}
