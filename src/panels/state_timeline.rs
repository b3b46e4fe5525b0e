//! Grafana's state timeline and status history: each series a row of coloured boxes over time.
//! A value's text and colour come from the field's display (value mappings, then the colour mode:
//! thresholds or a continuous scheme); the state timeline merges a run of equal values into one
//! box (`mergeValues`), the status history draws one cell per sample. A null (or a missing step)
//! leaves a gap. Pure: the app lays the boxes out in CSS px.

pub use super::svg::ShowValue;
use super::svg::{css_color, legend_markup};
use crate::field::display::{ColorMode, FieldConfig, ThresholdStep};
use crate::field::named_colors::color_by_name;
use crate::field::overrides;
use crate::field::units;
use crate::field::{DisplaySeries, Theme};
use crate::json::lenient_f64;
use crate::panels::options::legend_shown;
use serde_json::Value;

/// One box: a state held from `start_ms` to `end_ms`.
#[derive(Debug, Clone, PartialEq)]
pub struct StateBox {
    pub start_ms: f64,
    pub end_ms: f64,
    pub text: String,
    pub color: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimelineRow {
    pub name: String,
    pub boxes: Vec<StateBox>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LegendItem {
    pub label: String,
    pub color: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimelineView {
    pub rows: Vec<TimelineRow>,
    pub legend: Vec<LegendItem>,
    pub show_legend: bool,
    pub show_value: ShowValue,
    /// The part of its row a box fills (`rowHeight`, 0–1).
    pub row_height: f64,
    /// The part of its time a status-history cell fills (`colWidth`, 0–1; 1 for the timeline).
    pub col_width: f64,
    /// The boxes' fill opacity (`fillOpacity`, 0–1) and their outline width in px (`lineWidth`).
    pub fill_opacity: f64,
    pub line_width: f64,
    /// Where a box's text sits: `left`, `center` or `right` (`alignValue`).
    pub align: String,
}

fn number(options: &Value, key: &str, default: f64) -> f64 {
    lenient_f64(options.get(key)).filter(|v| v.is_finite()).unwrap_or(default)
}

/// The time between samples: the smallest gap between two of them (a missing sample leaves a
/// wider one).
fn step_of(points: &[(f64, f64)]) -> Option<f64> {
    points
        .windows(2)
        .map(|w| w[1].0 - w[0].0)
        .filter(|d| *d > 0.0)
        .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.min(d))))
}

/// Grafana's labels of threshold steps (`< 80`, `80+`), in the field's unit (percent for
/// percentage thresholds).
pub(super) fn threshold_labels(field: &FieldConfig) -> Vec<(String, String)> {
    let steps: &[ThresholdStep] = &field.thresholds.steps;
    let unit = if field.thresholds.percentage { "percent" } else { field.unit.as_str() };
    let format = |v: f64| units::format_value(unit, v, None).to_string();
    steps
        .iter()
        .enumerate()
        .map(|(index, step)| {
            let label = match steps.get(index + 1) {
                Some(next) if step.value == f64::NEG_INFINITY => format!("< {}", format(next.value)),
                _ => format!("{}+", format(step.value)),
            };
            (label, color_by_name(&step.color, field.theme))
        })
        .collect()
}

/// The state timeline (`status_history` false) or the status history of these series over
/// `range` (from, to in ms), as Grafana's timeline draws them:
/// - a state lasts until the next sample; where the data's step has no sample (Grafana inserts
///   a null one step on) and after the last sample it lasts one step, within the range;
/// - with `mergeValues` (the timeline's default) equal raw values merge into one box, and when
///   the field's colour mode is set to thresholds each value becomes its threshold step (`< 80`,
///   `80+`) — value mappings do not apply then, as in Grafana;
/// - a status-history cell is `colWidth` of the first step wide, centred on its sample, never
///   merged.
pub fn timeline_view(
    series: &[DisplaySeries],
    options: &Value,
    field_config: &Value,
    range: (f64, f64),
    status_history: bool,
    theme: Theme,
) -> TimelineView {
    // The state timeline colours by value on a green–yellow–red scale, the status history by
    // thresholds, unless the field says otherwise.
    let default_color = if status_history {
        ColorMode::Thresholds
    } else {
        ColorMode::Continuous("continuous-GrYlRd".into())
    };
    let defaults = field_config.get("defaults");
    let custom = defaults.and_then(|d| d.get("custom")).unwrap_or(&Value::Null);
    let merged_configs = overrides::series_fields(field_config, series);
    let fields: Vec<(FieldConfig, bool, String)> = merged_configs
        .iter()
        .map(|(merged, name)| {
            let explicit_thresholds =
                merged.get("color").and_then(|c| c.get("mode")).and_then(Value::as_str) == Some("thresholds");
            (
                FieldConfig::from_defaults(Some(merged), default_color.clone(), theme),
                explicit_thresholds,
                name.clone(),
            )
        })
        .collect();
    // Percentages and continuous schemes run over every value shown.
    let (low, high) = series
        .iter()
        .flat_map(|s| s.points_ms.iter().map(|(_, v)| *v))
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let value_range = if low.is_finite() { (low, high) } else { (0.0, 1.0) };
    let merge = !status_history && options.get("mergeValues").and_then(Value::as_bool).unwrap_or(true);
    let rows = series
        .iter()
        .zip(&fields)
        .map(|(series, (field, explicit_thresholds, name))| {
            let by_step = merge && *explicit_thresholds && !field.thresholds.steps.is_empty();
            let labels = if by_step { threshold_labels(field) } else { Vec::new() };
            let points = &series.points_ms;
            let step = step_of(points).unwrap_or((range.1 - range.0).max(1.0));
            let first_step = points.get(1).map_or(step, |p| p.0 - points[0].0).max(1.0);
            let mut boxes: Vec<StateBox> = Vec::new();
            let mut last_value = None;
            for (index, (time, value)) in points.iter().enumerate() {
                if value.is_nan() {
                    last_value = None;
                    continue;
                }
                let (start, end) = if status_history {
                    (time - first_step / 2.0, time + first_step / 2.0)
                } else {
                    let end = match points.get(index + 1).map(|(t, _)| *t) {
                        Some(next) if next - time <= step * 1.5 => next,
                        _ => (time + step).min(range.1.max(*time)),
                    };
                    (*time, end)
                };
                let (text, color) = if by_step {
                    let position = if field.thresholds.percentage && value_range.1 > value_range.0 {
                        (value - value_range.0) / (value_range.1 - value_range.0) * 100.0
                    } else {
                        *value
                    };
                    let index = field.thresholds.steps.iter().rposition(|s| position >= s.value).unwrap_or(0);
                    labels[index].clone()
                } else {
                    let display = field.display(Some(*value), value_range, &series.color.to_css());
                    (display.formatted.to_string(), display.color)
                };
                // Merged by the raw value (or the threshold step), as Grafana compares them.
                let key = if by_step { None } else { Some(value.to_bits()) };
                match boxes.last_mut() {
                    Some(last)
                        if merge
                            && last.end_ms == start
                            && last.text == text
                            && (by_step || last_value == key) =>
                    {
                        last.end_ms = end;
                    }
                    _ => boxes.push(StateBox { start_ms: start, end_ms: end, text, color }),
                }
                last_value = key;
            }
            TimelineRow { name: name.clone(), boxes }
        })
        .collect::<Vec<_>>();
    // One row fills its band (Grafana forces rowHeight 1 then).
    let row_height = if rows.len() == 1 { 1.0 } else { number(options, "rowHeight", 0.9).clamp(0.0, 1.0) };
    let legend = match fields.first() {
        Some((field, _, _)) => legend_items(field, &rows),
        None => Vec::new(),
    };
    TimelineView {
        rows,
        legend,
        show_legend: legend_shown(options),
        show_value: ShowValue::from_option(options.get("showValue")),
        row_height,
        col_width: if status_history { number(options, "colWidth", 0.9).clamp(0.0, 1.0) } else { 1.0 },
        fill_opacity: number(custom, "fillOpacity", 70.0).clamp(0.0, 100.0) / 100.0,
        line_width: number(custom, "lineWidth", if status_history { 1.0 } else { 0.0 }).clamp(0.0, 10.0),
        align: if status_history {
            "center".to_string()
        } else {
            options.get("alignValue").and_then(Value::as_str).unwrap_or("left").to_string()
        },
    }
}

/// The legend, decided by the first field as Grafana does: its threshold steps when it colours by
/// thresholds (more than one step), nothing for a continuous scheme, else each state shown (its
/// text and colour, in order of first appearance).
fn legend_items(field: &FieldConfig, rows: &[TimelineRow]) -> Vec<LegendItem> {
    match &field.color {
        ColorMode::Thresholds if field.thresholds.steps.len() > 1 => {
            threshold_labels(field).into_iter().map(|(label, color)| LegendItem { label, color }).collect()
        }
        ColorMode::Continuous(_) => Vec::new(),
        _ => {
            let mut items: Vec<LegendItem> = Vec::new();
            for state in rows.iter().flat_map(|r| &r.boxes) {
                if !state.text.is_empty() && !items.iter().any(|i| i.label == state.text) {
                    items.push(LegendItem { label: state.text.clone(), color: state.color.clone() });
                }
            }
            items
        }
    }
}

/// An annotation event as a timeline draws it: a dashed line at its time, or a shaded region.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineMark {
    pub start_ms: f64,
    pub end_ms: f64,
    pub region: bool,
    pub color: String,
    pub tooltip: String,
}

/// The time axis' height, and the legend's, in CSS px.
const AXIS_PX: f64 = 20.0;
pub const LEGEND_PX: f64 = 22.0;
/// About the width of a character of the panel's 12 px text.
const CHAR_PX: f64 = 7.0;

/// Black or white text, whichever reads on `color` (a `#rrggbb` colour; white otherwise).
fn text_color_on(color: &str) -> &'static str {
    let hex = color.strip_prefix('#').filter(|h| h.len() >= 6 && h.is_ascii());
    let channel =
        |i: usize| hex.and_then(|h| u8::from_str_radix(&h[i..i + 2], 16).ok()).map_or(0.0, f64::from);
    let luminance = 0.299 * channel(0) + 0.587 * channel(2) + 0.114 * channel(4);
    if hex.is_some() && luminance > 150.0 { "#000" } else { "#fff" }
}

/// The panel's body as markup: an SVG `width` × `height` CSS px (the rows with their names, the
/// boxes, the time axis labelled by `ticks`, the annotation marks) and the legend. Every text and
/// colour from the dashboard or from Prometheus is escaped: names and label values are not ours.
pub fn timeline_markup(
    view: &TimelineView,
    (from, to): (f64, f64),
    (width, height): (f64, f64),
    ticks: &[(f64, String)],
    marks: &[TimelineMark],
) -> String {
    use crate::panels::text::escape_html as escape;
    use std::fmt::Write as _;
    let longest = view.rows.iter().map(|r| r.name.chars().count()).max().unwrap_or(0) as f64;
    let label_px = (longest * CHAR_PX + 12.0).min(width * 0.4);
    // Room on the right for the last time label, centred on the plot's end.
    let plot_width = (width - label_px - 16.0).max(10.0);
    let plot_height = (height - AXIS_PX).max(10.0);
    let band = plot_height / view.rows.len().max(1) as f64;
    let span = (to - from).max(1.0);
    let x_of = |t: f64| label_px + ((t - from) / span).clamp(0.0, 1.0) * plot_width;
    let mut svg =
        format!("<svg width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\">");
    for (index, row) in view.rows.iter().enumerate() {
        let top = index as f64 * band + band * (1.0 - view.row_height) / 2.0;
        let box_height = band * view.row_height;
        let name = escape(&row.name);
        let _ = write!(
            svg,
            "<g class=\"state-row\" data-row=\"{name}\"><text class=\"state-row-name\" x=\"4\" y=\"{:.1}\" dominant-baseline=\"central\">{name}</text>",
            index as f64 * band + band / 2.0
        );
        for state in row.boxes.iter().filter(|b| b.end_ms > from && b.start_ms < to) {
            let (left, right) = (x_of(state.start_ms), x_of(state.end_ms));
            let full = (right - left).max(1.0);
            let cell = full * view.col_width;
            let x = left + (full - cell) / 2.0;
            let (text, color) = (escape(&state.text), css_color(&state.color));
            let _ = write!(
                svg,
                "<g class=\"state-box\" data-state-text=\"{text}\" data-start=\"{}\" data-end=\"{}\"><rect x=\"{x:.1}\" y=\"{top:.1}\" width=\"{cell:.1}\" height=\"{box_height:.1}\" fill=\"{color}\" fill-opacity=\"{}\" stroke=\"{color}\" stroke-width=\"{}\"><title>{name}: {text}</title></rect>",
                state.start_ms, state.end_ms, view.fill_opacity, view.line_width
            );
            // As many characters as fit (cut, as Grafana cuts them); `auto` shows a value when
            // at least two do.
            let max_chars = ((cell - 4.0) / CHAR_PX).floor().max(0.0) as usize;
            let shown = match view.show_value {
                ShowValue::Always => true,
                ShowValue::Never => false,
                ShowValue::Auto => max_chars >= 2 && box_height >= 12.0,
            };
            if shown {
                let (anchor, text_x) = match view.align.as_str() {
                    "center" => ("middle", x + cell / 2.0),
                    "right" => ("end", x + cell - 4.0),
                    _ => ("start", x + 4.0),
                };
                let cut: String = state.text.chars().take(max_chars.max(1)).collect();
                let _ = write!(
                    svg,
                    "<text class=\"state-text\" x=\"{text_x:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" dominant-baseline=\"central\" fill=\"{}\">{}</text>",
                    top + box_height / 2.0,
                    text_color_on(&state.color),
                    escape(&cut)
                );
            }
            svg.push_str("</g>");
        }
        svg.push_str("</g>");
    }
    for (time, label) in ticks {
        let _ = write!(
            svg,
            "<text class=\"axis-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x_of(*time),
            plot_height + 14.0,
            escape(label)
        );
    }
    for mark in marks.iter().filter(|m| m.end_ms >= from && m.start_ms <= to) {
        let (left, right) = (x_of(mark.start_ms), x_of(mark.end_ms));
        let (color, tooltip) = (css_color(&mark.color), escape(&mark.tooltip));
        if mark.region {
            let _ = write!(
                svg,
                "<rect class=\"annotation-region\" x=\"{left:.1}\" y=\"0\" width=\"{:.1}\" height=\"{plot_height:.1}\" fill=\"{color}\" fill-opacity=\"0.15\"><title>{tooltip}</title></rect>",
                (right - left).max(1.0)
            );
        } else {
            let _ = write!(
                svg,
                "<line class=\"annotation-line\" x1=\"{left:.1}\" x2=\"{left:.1}\" y1=\"0\" y2=\"{plot_height:.1}\" stroke=\"{color}\" stroke-dasharray=\"3 3\"><title>{tooltip}</title></line>"
            );
        }
    }
    svg.push_str("</svg>");
    if view.show_legend && !view.legend.is_empty() {
        svg.push_str(&legend_markup(
            view.legend.iter().map(|item| (item.label.as_str(), item.color.as_str())),
        ));
    }
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Rgb;
    use crate::field::display;
    use serde_json::json;

    fn series(name: &str, points: &[(f64, f64)]) -> DisplaySeries {
        DisplaySeries {
            ref_id: "A".into(),
            name: name.into(),
            labels: Default::default(),
            color: Rgb(0x73, 0xbf, 0x69),
            points_ms: std::sync::Arc::new(points.to_vec()),
            last_not_null: points.last().map(|p| p.1),
        }
    }

    /// Value mappings with a fixed colour mode: states are the mapped texts.
    const UP_DOWN: &str = r#"{"defaults": {"color": {"mode": "fixed", "fixedColor": "blue"},
        "mappings": [{"type": "value", "options": {"0": {"text": "DOWN", "color": "red"}, "1": {"text": "UP", "color": "green"}}}]},
        "overrides": []}"#;

    #[test]
    fn equal_values_merge_gaps_stay_and_mappings_name_the_states() {
        let field_config: Value = serde_json::from_str(UP_DOWN).unwrap();
        let s = 15_000.0;
        // up, up, down, (missing step), up, NaN, up
        let points =
            [(0.0, 1.0), (s, 1.0), (2.0 * s, 0.0), (4.0 * s, 1.0), (5.0 * s, f64::NAN), (6.0 * s, 1.0)];
        let view = timeline_view(
            &[series("job", &points)],
            &json!({}),
            &field_config,
            (0.0, 7.0 * s),
            false,
            Theme::Dark,
        );
        let boxes: Vec<(f64, f64, &str)> =
            view.rows[0].boxes.iter().map(|b| (b.start_ms / s, b.end_ms / s, b.text.as_str())).collect();
        assert_eq!(boxes, [(0.0, 2.0, "UP"), (2.0, 3.0, "DOWN"), (4.0, 5.0, "UP"), (6.0, 7.0, "UP")]);
        assert_eq!(view.rows[0].boxes[1].color, display::color_by_name("red", Theme::Dark));
        // The legend lists the states shown, in order.
        assert_eq!(view.legend.iter().map(|l| l.label.as_str()).collect::<Vec<_>>(), ["UP", "DOWN"]);
        assert_eq!(
            (view.row_height, view.fill_opacity, view.show_value),
            (1.0, 0.7, ShowValue::Auto),
            "one row fills its band"
        );
        // mergeValues off: one box per sample.
        let unmerged = timeline_view(
            &[series("job", &points)],
            &json!({"mergeValues": false}),
            &field_config,
            (0.0, 7.0 * s),
            false,
            Theme::Dark,
        );
        assert_eq!(unmerged.rows[0].boxes.len(), 5);
    }

    #[test]
    fn thresholds_colour_mode_merges_by_step_as_grafana_does() {
        let field_config = json!({"defaults": {"color": {"mode": "thresholds"}, "unit": "percent",
            "thresholds": {"mode": "absolute", "steps": [{"color": "green", "value": null}, {"color": "red", "value": 80}]},
            "mappings": [{"type": "value", "options": {"10": {"text": "ten"}}}]}, "overrides": []});
        let points = [(0.0, 10.0), (10.0, 20.0), (20.0, 85.0), (30.0, 90.0)];
        let view = timeline_view(
            &[series("cpu", &points)],
            &json!({}),
            &field_config,
            (0.0, 40.0),
            false,
            Theme::Dark,
        );
        let boxes: Vec<(f64, f64, &str)> =
            view.rows[0].boxes.iter().map(|b| (b.start_ms, b.end_ms, b.text.as_str())).collect();
        assert_eq!(boxes, [(0.0, 20.0, "< 80%"), (20.0, 40.0, "80%+")]);
        let labels: Vec<&str> = view.legend.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["< 80%", "80%+"]);
    }

    #[test]
    fn status_history_has_a_centred_cell_per_sample_coloured_by_thresholds() {
        let field_config = json!({"defaults": {"unit": "percent",
            "thresholds": {"mode": "absolute", "steps": [{"color": "green", "value": null}, {"color": "orange", "value": 70}, {"color": "red", "value": 90}]}},
            "overrides": []});
        let points = [(0.0, 50.0), (10.0, 50.0), (20.0, 95.0)];
        let view = timeline_view(
            &[series("disk", &points)],
            &json!({"colWidth": 0.5, "showValue": "never"}),
            &field_config,
            (0.0, 30.0),
            true,
            Theme::Dark,
        );
        let boxes = &view.rows[0].boxes;
        assert_eq!(boxes.len(), 3, "never merged");
        assert_eq!((boxes[0].start_ms, boxes[0].end_ms), (-5.0, 5.0), "centred on the sample");
        assert_eq!((boxes[0].text.as_str(), boxes[2].text.as_str()), ("50%", "95%"));
        assert_eq!(boxes[2].color, display::color_by_name("red", Theme::Dark));
        assert_eq!((view.col_width, view.show_value, view.align.as_str()), (0.5, ShowValue::Never, "center"));
        let labels: Vec<&str> = view.legend.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["< 70%", "70%+", "90%+"]);
        assert_eq!(view.line_width, 1.0);
    }

    #[test]
    fn by_default_colours_run_green_to_red_over_the_values_with_no_legend() {
        let points = [(0.0, 0.0), (10.0, 10.0)];
        let view = timeline_view(
            &[series("x", &points)],
            &json!({}),
            &json!({"defaults": {}}),
            (0.0, 20.0),
            false,
            Theme::Dark,
        );
        let colors: Vec<&str> = view.rows[0].boxes.iter().map(|b| b.color.as_str()).collect();
        assert_ne!(colors[0], colors[1]);
        assert!(view.legend.is_empty());
        assert_eq!(view.line_width, 0.0);
    }

    #[test]
    fn the_markup_escapes_what_comes_from_outside_and_cuts_text_to_fit() {
        let hostile = "<img src=x onerror=alert(1)>\"";
        let view = TimelineView {
            rows: vec![TimelineRow {
                name: hostile.into(),
                boxes: vec![
                    StateBox {
                        start_ms: 0.0,
                        end_ms: 50.0,
                        text: "a long state name".into(),
                        color: "red\" onload=\"x".into(),
                    },
                    StateBox { start_ms: 50.0, end_ms: 51.0, text: "tiny".into(), color: "#00ff00".into() },
                ],
            }],
            legend: vec![LegendItem { label: hostile.into(), color: "blue;background:url(x)".into() }],
            show_legend: true,
            show_value: ShowValue::Auto,
            row_height: 1.0,
            col_width: 1.0,
            fill_opacity: 0.7,
            line_width: 0.0,
            align: "left".into(),
        };
        let marks = [TimelineMark {
            start_ms: 10.0,
            end_ms: 10.0,
            region: false,
            color: "orange".into(),
            tooltip: hostile.into(),
        }];
        let markup = timeline_markup(&view, (0.0, 100.0), (400.0, 100.0), &[(0.0, "00:00".into())], &marks);
        assert!(!markup.contains("<img") && !markup.contains("onload=\"x"), "{markup}");
        assert!(markup.contains("&lt;img src=x onerror=alert(1)&gt;&quot;"));
        assert!(!markup.contains("url(x)") && !markup.contains("blue;"), "no second declaration in a style");
        assert_eq!(markup.matches("class=\"state-box\"").count(), 2);
        // The one-ms box is too narrow for two characters: no text; the wide one shows its value.
        assert_eq!(markup.matches("class=\"state-text\"").count(), 1);
        // 112 px of box: 15 characters of 7 px after the 4 px inset.
        assert!(markup.contains(">a long state na</text>"), "{markup}");
        assert!(
            markup.contains("class=\"annotation-line\"") && markup.contains("class=\"timeline-legend-item\"")
        );
    }
}
