//! Pieces shared by the panels drawn as SVG markup (state timeline, status history, histogram,
//! bar chart, XY chart, trend): Grafana's `showValue`, colours a dashboard names checked before
//! they go into markup, the legend under a chart, and a value axis's grid line with its tick
//! label. Pure; every text from a dashboard or from Prometheus is escaped here or by the caller.

use crate::panels::text::escape_html as escape;
use serde_json::Value;

/// When a value's text is written on a box or bar (Grafana's `showValue`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShowValue {
    /// Where the text fits.
    Auto,
    Always,
    Never,
}

impl ShowValue {
    /// The option as Grafana writes it (`auto` when unset or unknown).
    pub fn from_option(value: Option<&Value>) -> ShowValue {
        match value.and_then(Value::as_str) {
            Some("always") => ShowValue::Always,
            Some("never") => ShowValue::Never,
            _ => ShowValue::Auto,
        }
    }
}

/// A colour as markup may use it: `#hex`, a CSS colour function of numbers (`rgb(…)`,
/// `rgba(…)`, `hsl(…)`) or a colour name; anything else (a `url(…)` that would fetch, a second
/// declaration) becomes grey. Colours come from dashboards, which are not ours.
pub fn css_color(color: &str) -> String {
    let color = color.trim();
    let hex = color
        .strip_prefix('#')
        .is_some_and(|h| (3..=8).contains(&h.len()) && h.chars().all(|c| c.is_ascii_hexdigit()));
    let function = ["rgb(", "rgba(", "hsl(", "hsla("].iter().any(|f| color.starts_with(f))
        && color.ends_with(')')
        && color[color.find('(').unwrap_or(0) + 1..color.len() - 1]
            .chars()
            .all(|c| c.is_ascii_digit() || " ,.%/".contains(c));
    let name = !color.is_empty() && color.len() <= 30 && color.chars().all(|c| c.is_ascii_alphabetic());
    if hex || function || name { color.to_string() } else { "#808080".to_string() }
}

/// A legend of `(label, colour)` items under an SVG panel,
/// label escaped and colour checked by [`css_color`].
pub fn legend_markup<'a>(items: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut markup = String::from("<div class=\"timeline-legend\">");
    for (label, color) in items {
        markup.push_str(&format!(
            "<span class=\"timeline-legend-item\"><span class=\"swatch\" style=\"background:{}\"></span>{}</span>",
            css_color(color),
            escape(label)
        ));
    }
    markup.push_str("</div>");
    markup
}

/// Where a value axis is: on the left (its grid lines across the plot) or at the bottom (its grid
/// lines up the plot).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    Left,
    Bottom,
}

/// A grid line across the plot `(left, top, width, height)` at `at` px along `axis` and its tick
/// label (already escaped), as markup.
pub fn grid_tick(
    axis: Axis,
    at: f64,
    (left, top, width, height): (f64, f64, f64, f64),
    label: &str,
) -> String {
    match axis {
        Axis::Left => format!(
            "<line class=\"grid-line\" x1=\"{left:.1}\" x2=\"{:.1}\" y1=\"{at:.1}\" y2=\"{at:.1}\"/><text class=\"axis-label\" x=\"{:.1}\" y=\"{at:.1}\" text-anchor=\"end\" dominant-baseline=\"central\">{label}</text>",
            left + width,
            left - 4.0
        ),
        Axis::Bottom => format!(
            "<line class=\"grid-line\" x1=\"{at:.1}\" x2=\"{at:.1}\" y1=\"{top:.1}\" y2=\"{:.1}\"/><text class=\"axis-label\" x=\"{at:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{label}</text>",
            top + height,
            top + height + 14.0
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn colours_from_dashboards_are_checked_and_show_value_read() {
        assert_eq!(css_color("url(//evil.example/x)"), "#808080");
        assert_eq!(
            (css_color("rgba(1, 2, 3, 0.5)"), css_color("#73BF69"), css_color("red")),
            ("rgba(1, 2, 3, 0.5)".into(), "#73BF69".into(), "red".into())
        );
        assert_eq!(css_color("red; background: url(x)"), "#808080");
        assert_eq!(
            [json!("always"), json!("never"), json!("auto"), json!(1)]
                .iter()
                .map(|v| ShowValue::from_option(Some(v)))
                .collect::<Vec<_>>(),
            [ShowValue::Always, ShowValue::Never, ShowValue::Auto, ShowValue::Auto]
        );
        let legend = legend_markup([("<b>x</b>", "url(y)")].into_iter());
        assert!(legend.contains("&lt;b&gt;x&lt;/b&gt;") && legend.contains("#808080"), "{legend}");
        assert!(grid_tick(Axis::Bottom, 10.0, (0.0, 0.0, 100.0, 50.0), "1 s").contains("y=\"64.0\""));
    }
}
