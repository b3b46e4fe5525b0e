//! The pie chart panel: each series reduced to one value, drawn as slices of a pie or a donut, with
//! a legend of names, values and percentages. Pure geometry; the app renders SVG.

use super::stat::reduced_values;
use crate::field::display::{ColorMode, FieldConfig};
use crate::field::overrides;
use crate::field::{DisplaySeries, Theme};
use serde_json::Value;

/// One slice: its SVG path in a 100 × 100 box, colour, legend name, value text and share.
#[derive(Debug, Clone, PartialEq)]
pub struct Slice {
    pub name: String,
    pub color: String,
    pub path: String,
    pub value_text: String,
    pub percent: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PieView {
    pub slices: Vec<Slice>,
    pub donut: bool,
}

const CENTRE: f64 = 50.0;
const RADIUS: f64 = 48.0;
const DONUT_HOLE: f64 = 0.6;

/// The slice from `from` to `to` (fractions of the circle, clockwise from the top).
fn slice_path(from: f64, to: f64, donut: bool) -> String {
    let point = |fraction: f64, r: f64| {
        let angle = (fraction * 360.0 - 90.0).to_radians();
        (CENTRE + r * angle.cos(), CENTRE + r * angle.sin())
    };
    // A full circle cannot be one SVG arc: split it in two halves.
    if to - from >= 0.999_999 {
        let first = slice_path(from, from + 0.5, donut);
        let second = slice_path(from + 0.5, to, donut);
        return format!("{first} {second}");
    }
    let large = i32::from(to - from > 0.5);
    let (start, end) = (point(from, RADIUS), point(to, RADIUS));
    if donut {
        let inner = RADIUS * DONUT_HOLE;
        let (inner_end, inner_start) = (point(to, inner), point(from, inner));
        format!(
            "M {:.2} {:.2} A {RADIUS} {RADIUS} 0 {large} 1 {:.2} {:.2} L {:.2} {:.2} A {inner:.2} {inner:.2} 0 {large} 0 {:.2} {:.2} Z",
            start.0, start.1, end.0, end.1, inner_end.0, inner_end.1, inner_start.0, inner_start.1
        )
    } else {
        format!(
            "M {CENTRE} {CENTRE} L {:.2} {:.2} A {RADIUS} {RADIUS} 0 {large} 1 {:.2} {:.2} Z",
            start.0, start.1, end.0, end.1
        )
    }
}

/// The pie for these series: non-positive and missing values get no slice.
pub fn pie_view(series: &[DisplaySeries], options: &Value, field_config: &Value, theme: Theme) -> PieView {
    // Each slice's own unit, colour and name: the defaults and the overrides that select it.
    let fields: Vec<(FieldConfig, String)> = overrides::series_fields(field_config, series)
        .into_iter()
        .map(|(merged, name)| {
            (FieldConfig::from_defaults(Some(&merged), ColorMode::PaletteClassic, theme), name)
        })
        .collect();
    let donut = options.get("pieType").and_then(Value::as_str) == Some("donut");
    let values: Vec<(String, f64, String, FieldConfig)> = reduced_values(series, options)
        .into_iter()
        .zip(fields)
        .filter_map(|((_, value, color), (field, name))| {
            value.filter(|v| v.is_finite() && *v > 0.0).map(|v| (name, v, color, field))
        })
        .collect();
    let total: f64 = values.iter().map(|(_, v, _, _)| v).sum();
    let mut start = 0.0;
    let slices = values
        .into_iter()
        .map(|(name, value, series_color, field)| {
            let share = if total > 0.0 { value / total } else { 0.0 };
            let display = field.display(Some(value), (0.0, total), &series_color);
            let slice = Slice {
                name,
                color: display.color.clone(),
                path: slice_path(start, start + share, donut),
                value_text: display.formatted.to_string(),
                percent: share * 100.0,
            };
            start += share;
            slice
        })
        .collect();
    PieView { slices, donut }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Rgb;
    use serde_json::json;

    fn series(name: &str, value: f64, color: Rgb) -> DisplaySeries {
        DisplaySeries {
            ref_id: "A".into(),
            name: name.into(),
            labels: Default::default(),
            color,
            points_ms: vec![(0.0, value)].into(),
            last_not_null: Some(value),
        }
    }

    #[test]
    fn slices_share_the_circle() {
        let pie = pie_view(
            &[
                series("a", 3.0, Rgb(0x73, 0xBF, 0x69)),
                series("b", 1.0, Rgb(0xFA, 0xDE, 0x2A)),
                series("zero", 0.0, Rgb(0, 0, 0)),
            ],
            &json!({"pieType": "pie"}),
            &json!({"defaults": {"unit": "short"}}),
            Theme::Dark,
        );
        let summary: Vec<(&str, f64, &str, &str)> = pie
            .slices
            .iter()
            .map(|s| (s.name.as_str(), s.percent, s.value_text.as_str(), s.color.as_str()))
            .collect();
        assert_eq!(summary, vec![("a", 75.0, "3", "#73bf69"), ("b", 25.0, "1", "#fade2a")]);
        // 75 % from the top clockwise ends at the left: a large arc.
        assert_eq!(pie.slices[0].path, "M 50 50 L 50.00 2.00 A 48 48 0 1 1 2.00 50.00 Z");
        assert!(!pie.donut);
    }

    #[test]
    fn donut_and_a_single_full_slice() {
        let pie = pie_view(
            &[series("only", 5.0, Rgb(1, 2, 3))],
            &json!({"pieType": "donut"}),
            &json!({}),
            Theme::Dark,
        );
        assert!(pie.donut);
        assert_eq!(pie.slices[0].percent, 100.0);
        assert_eq!(pie.slices[0].path.matches('M').count(), 2, "a full ring is drawn as two halves");
    }
}
