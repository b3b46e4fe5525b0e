//! The stat panel (and migrated singlestat): one reduced value per series, with Grafana's
//! `reduceOptions.calcs`, text and colour modes.

use crate::field::display::{ColorMode, DisplayValue, FieldConfig, reduce};
use crate::field::overrides;
use crate::field::{DisplaySeries, Theme};
use serde_json::Value;

/// How the stat cells are coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatColorMode {
    Value,
    Background,
    BackgroundSolid,
    None,
}

/// One cell of a stat panel.
#[derive(Debug, Clone, PartialEq)]
pub struct StatValue {
    pub name: String,
    pub display: DisplayValue,
    pub show_name: bool,
    pub show_value: bool,
    /// The series as an SVG path in a 100 × 100 box (y down), for `graphMode: area`; empty when
    /// there is nothing to draw.
    pub sparkline: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatView {
    pub values: Vec<StatValue>,
    pub color_mode: StatColorMode,
    /// `graphMode: area` asks for a sparkline (drawn by the app when it can).
    pub sparkline: bool,
    pub horizontal: bool,
}

fn option<'a>(options: &'a Value, key: &str) -> Option<&'a str> {
    options.get(key).and_then(Value::as_str)
}

/// Each series reduced with `reduceOptions.calcs` (the first calc; `lastNotNull` by default):
/// (name, value, series colour). Shared by stat, gauge and bar gauge.
pub fn reduced_values(series: &[DisplaySeries], options: &Value) -> Vec<(String, Option<f64>, String)> {
    let calc = options
        .get("reduceOptions")
        .and_then(|r| r.get("calcs"))
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .and_then(Value::as_str)
        .unwrap_or("lastNotNull");
    series
        .iter()
        .map(|s| {
            let values: Vec<f64> = s.points_ms.iter().map(|(_, v)| *v).collect();
            (s.name.clone(), reduce(calc, &values), s.color.to_css())
        })
        .collect()
}

/// A series as an area path in a 100 × 100 box (time left to right, values bottom to top, the
/// area closed along the bottom). Needs two finite samples.
pub fn sparkline_path(points: &[(f64, f64)]) -> String {
    let finite: Vec<(f64, f64)> = points.iter().copied().filter(|(_, v)| v.is_finite()).collect();
    if finite.len() < 2 {
        return String::new();
    }
    let (t0, t1) = (finite[0].0, finite[finite.len() - 1].0);
    let (lo, hi) =
        finite.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (_, v)| (lo.min(*v), hi.max(*v)));
    let x = |t: f64| if t1 > t0 { (t - t0) / (t1 - t0) * 100.0 } else { 0.0 };
    // A flat series sits in the middle; otherwise it spans the lower 90 % of the box.
    let y = |v: f64| if hi > lo { 100.0 - (v - lo) / (hi - lo) * 90.0 } else { 50.0 };
    let mut path = format!("M {:.2} 100", x(finite[0].0));
    for (t, v) in &finite {
        path.push_str(&format!(" L {:.2} {:.2}", x(*t), y(*v)));
    }
    path.push_str(&format!(" L {:.2} 100 Z", x(t1)));
    path
}

/// The stat panel's cells for these series.
pub fn stat_view(series: &[DisplaySeries], options: &Value, field_config: &Value, theme: Theme) -> StatView {
    let field = FieldConfig::from_defaults(field_config.get("defaults"), ColorMode::Thresholds, theme);
    // Each value with its own field config: the defaults and the overrides that select it.
    let fields: Vec<(FieldConfig, String)> = overrides::series_fields(field_config, series)
        .into_iter()
        .map(|(merged, name)| (FieldConfig::from_defaults(Some(&merged), ColorMode::Thresholds, theme), name))
        .collect();
    let reduced = reduced_values(series, options);
    let finite = reduced.iter().filter_map(|(_, v, _)| *v).filter(|v| v.is_finite());
    let range = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let range = if range.0.is_finite() { range } else { (0.0, 100.0) };
    let text_mode = option(options, "textMode").unwrap_or("auto");
    let several = reduced.len() > 1;
    let mut values: Vec<StatValue> = reduced
        .iter()
        .zip(series)
        .zip(&fields)
        .map(|(((_, value, color), series), (field, name))| StatValue {
            name: name.clone(),
            display: field.display(*value, range, color),
            show_name: matches!(text_mode, "name" | "value_and_name") || (text_mode == "auto" && several),
            show_value: text_mode != "name" && text_mode != "none",
            sparkline: sparkline_path(&series.points_ms),
        })
        .collect();
    if values.is_empty() {
        // Grafana shows one "No data" cell (or the field's noValue).
        values.push(StatValue {
            name: String::new(),
            display: field.display(None, range, ""),
            show_name: false,
            show_value: true,
            sparkline: String::new(),
        });
    }
    StatView {
        values,
        color_mode: match option(options, "colorMode").unwrap_or("value") {
            "background" => StatColorMode::Background,
            "background_solid" => StatColorMode::BackgroundSolid,
            "none" => StatColorMode::None,
            _ => StatColorMode::Value,
        },
        sparkline: option(options, "graphMode").unwrap_or("area") == "area",
        horizontal: option(options, "orientation") == Some("horizontal"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Rgb;
    use serde_json::json;

    fn series(name: &str, values: &[f64]) -> DisplaySeries {
        DisplaySeries {
            ref_id: "A".into(),
            labels: Default::default(),
            name: name.into(),
            color: Rgb(1, 2, 3),
            points_ms: values.iter().enumerate().map(|(i, v)| (i as f64, *v)).collect::<Vec<_>>().into(),
            last_not_null: values.last().copied(),
        }
    }

    #[test]
    fn reduces_formats_and_colours_each_series() {
        let view = stat_view(
            &[series("api", &[1.0, 2.0, 900.0]), series("db", &[5.0, f64::NAN])],
            &json!({"reduceOptions": {"calcs": ["lastNotNull"]}, "colorMode": "background", "graphMode": "none"}),
            &json!({"defaults": {"unit": "short", "thresholds": {"steps": [{"value": null, "color": "green"}, {"value": 500, "color": "red"}]}}}),
            Theme::Dark,
        );
        let shown: Vec<(&str, String, &str, bool)> = view
            .values
            .iter()
            .map(|v| {
                (v.name.as_str(), v.display.formatted.to_string(), v.display.color.as_str(), v.show_name)
            })
            .collect();
        assert_eq!(shown, vec![("api", "900".into(), "#F2495C", true), ("db", "5".into(), "#73BF69", true)]);
        assert_eq!(view.color_mode, StatColorMode::Background);
        assert!(!view.sparkline);
    }

    #[test]
    fn overrides_apply_to_the_values_they_select() {
        let view = stat_view(
            &[series("api", &[2048.0]), series("db", &[2048.0])],
            &json!({"reduceOptions": {"calcs": ["lastNotNull"]}}),
            &json!({"defaults": {"unit": "short", "decimals": 0},
                    "overrides": [{"matcher": {"id": "byName", "options": "db"},
                                   "properties": [{"id": "unit", "value": "bytes"}, {"id": "displayName", "value": "Database"},
                                                  {"id": "color", "value": {"mode": "fixed", "fixedColor": "purple"}}]}]}),
            Theme::Dark,
        );
        let shown: Vec<(&str, String, &str)> = view
            .values
            .iter()
            .map(|v| (v.name.as_str(), v.display.formatted.to_string(), v.display.color.as_str()))
            .collect();
        assert_eq!(shown[0].0, "api");
        assert_eq!(shown[0].1, "2 K");
        assert_eq!(shown[1], ("Database", "2 KiB".to_string(), "#B877D9"));
    }

    #[test]
    fn no_series_shows_no_data_and_calcs_apply() {
        let view = stat_view(&[], &json!({}), &json!({}), Theme::Dark);
        assert_eq!(view.values[0].display.formatted.text, "No data");
        let view = stat_view(
            &[series("x", &[1.0, 3.0])],
            &json!({"reduceOptions": {"calcs": ["mean"]}, "textMode": "value"}),
            &json!({}),
            Theme::Dark,
        );
        assert_eq!(view.values[0].display.formatted.text, "2");
        assert!(!view.values[0].show_name);
    }
}

#[cfg(test)]
mod sparkline_tests {
    use super::*;

    #[test]
    fn sparkline_spans_the_box() {
        assert_eq!(
            sparkline_path(&[(0.0, 1.0), (10.0, 3.0)]),
            "M 0.00 100 L 0.00 100.00 L 100.00 10.00 L 100.00 100 Z"
        );
        assert_eq!(sparkline_path(&[(0.0, 1.0)]), "");
        assert_eq!(
            sparkline_path(&[(0.0, 5.0), (1.0, f64::NAN), (2.0, 5.0)]),
            "M 0.00 100 L 0.00 50.00 L 100.00 50.00 L 100.00 100 Z"
        );
    }
}
