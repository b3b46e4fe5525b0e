//! Grafana's XY chart (`xychart`) and trend (`trend`) panels, pure: one number field is the x
//! axis, others are drawn against it — as points (XY chart, by default), or as lines ordered by x
//! (trend). Drawn as SVG markup.
//!
//! Where the numbers come from: a table (a query with `format: table`, or the panel's
//! transformations; [`super::frame::Frame`]), its number columns; otherwise the panel's series
//! joined on time, each series a column (what Grafana needs a "join by field" transformation for;
//! without one its XY chart of time series stays empty).
//!
//! Which fields are drawn: the XY chart's manual series (`mapping: manual`), each its own `x` and
//! `y` (a name, or Grafana 11's `{matcher: {options}}`; an x it does not name is the default one);
//! else every number field against one x — `dims.x` (Grafana 10) or the trend's `xField`, else
//! the first number field — less `dims.exclude`. Fields hidden from the viz (`hideFrom.viz`) are
//! left out.

use super::frame::{Frame, NumberColumn, time_columns};
use crate::chart;
use crate::field::display::{ColorMode, FieldConfig};
use crate::field::units;
use crate::field::{DisplaySeries, Theme};
use crate::json::lenient_f64;
use crate::panels::options::legend_shown;
use crate::sorting;
use serde_json::Value;

/// One y field against x.
#[derive(Debug, Clone, PartialEq)]
pub struct XySeries {
    pub name: String,
    pub color: String,
    /// (x, y) pairs where both are numbers; in x order for lines.
    pub points: Vec<(f64, f64)>,
    pub show_points: bool,
    pub show_lines: bool,
    pub point_size: f64,
    pub line_width: f64,
    pub fill_opacity: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct XyView {
    pub x_name: String,
    pub x_unit: String,
    pub y_unit: String,
    pub series: Vec<XySeries>,
    pub show_legend: bool,
    /// Why nothing can be drawn from data that came.
    pub warning: Option<String>,
}

fn columns(
    series: &[DisplaySeries],
    tabular: bool,
    transformations: &Value,
    field_config: &Value,
    theme: Theme,
) -> Vec<NumberColumn> {
    if tabular {
        Frame::from_series(series).transformed(series, transformations).number_columns(
            field_config,
            None,
            theme,
        )
    } else {
        time_columns(series, field_config).1
    }
}

/// A field name as the XY chart's options write it: a plain string (Grafana 10) or a matcher
/// (`{matcher: {id: "byName", options: "name"}}`, Grafana 11).
fn named(value: Option<&Value>) -> Option<&str> {
    let value = value?;
    value
        .as_str()
        .or_else(|| value.get("matcher").and_then(|m| m.get("options")).and_then(Value::as_str))
        .filter(|name| !name.is_empty())
}

/// The chart of `series`; `trend` for the trend panel (lines in x order), else the XY chart.
/// `tabular`: a query asked for a table or the panel has transformations.
pub fn xy_view(
    series: &[DisplaySeries],
    tabular: bool,
    transformations: &Value,
    options: &Value,
    field_config: &Value,
    trend: bool,
    theme: Theme,
) -> XyView {
    let columns = columns(series, tabular, transformations, field_config, theme);
    let manual: Vec<&Value> = if trend {
        Vec::new()
    } else {
        let mapping = options.get("mapping").or_else(|| options.get("seriesMapping")).and_then(Value::as_str);
        options
            .get("series")
            .and_then(Value::as_array)
            .filter(|_| mapping == Some("manual"))
            .map(|s| s.iter().collect())
            .unwrap_or_default()
    };
    let position = |name: Option<&str>| name.and_then(|name| columns.iter().position(|c| c.name == name));
    let default_x = if trend {
        position(named(options.get("xField")))
    } else {
        position(named(options.get("dims").and_then(|d| d.get("x"))))
    }
    .or((!columns.is_empty()).then_some(0));
    let show_legend = legend_shown(options);
    let Some(default_x) = default_x else {
        let warning =
            series.iter().any(|s| !s.points_ms.is_empty()).then(|| "No numeric fields found".to_string());
        return XyView {
            x_name: String::new(),
            x_unit: String::new(),
            y_unit: String::new(),
            series: Vec::new(),
            show_legend,
            warning,
        };
    };
    let hidden = |column: &NumberColumn| {
        column
            .config
            .get("custom")
            .and_then(|c| c.get("hideFrom"))
            .and_then(|h| h.get("viz"))
            .and_then(Value::as_bool)
            == Some(true)
    };
    // Which (x, y) columns are drawn: each manual series its own (x defaulting as above), else
    // every other shown number column against the one x, less `dims.exclude`.
    let pairs: Vec<(usize, usize)> = if manual.is_empty() {
        let excluded: Vec<&str> = options
            .get("dims")
            .and_then(|d| d.get("exclude"))
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        (0..columns.len())
            .filter(|y| *y != default_x && !excluded.contains(&columns[*y].name.as_str()))
            .map(|y| (default_x, y))
            .collect()
    } else {
        manual
            .iter()
            .filter_map(|entry| {
                let x = position(named(entry.get("x"))).unwrap_or(default_x);
                Some((x, position(named(entry.get("y")))?))
            })
            .filter(|(x, y)| x != y)
            .collect()
    };
    let pairs: Vec<(usize, usize)> = pairs.into_iter().filter(|(_, y)| !hidden(&columns[*y])).collect();
    let unit = |config: &Value| config.get("unit").and_then(Value::as_str).unwrap_or("").to_string();
    let shown: Vec<XySeries> = pairs
        .iter()
        .map(|(x, y)| {
            let (x_column, column) = (&columns[*x], &columns[*y]);
            let custom = |key: &str| column.config.get("custom").and_then(|c| c.get(key));
            let mut points: Vec<(f64, f64)> = x_column
                .values
                .iter()
                .zip(&column.values)
                .filter_map(|(x, y)| Some(((*x)?, (*y)?)))
                .collect();
            if trend {
                sorting::sort_by(&mut points, |a, b| a.0.total_cmp(&b.0));
            }
            let show =
                custom("show").and_then(Value::as_str).unwrap_or(if trend { "lines" } else { "points" });
            let config = FieldConfig::from_defaults(Some(&column.config), ColorMode::PaletteClassic, theme);
            XySeries {
                name: column.name.clone(),
                color: config.display(None, (0.0, 1.0), &column.color).color,
                points,
                show_points: show.contains("points")
                    || (trend && custom("showPoints").and_then(Value::as_str) == Some("always")),
                show_lines: show.contains("lines"),
                point_size: lenient_f64(custom("pointSize").and_then(|p| p.get("fixed").or(Some(p))))
                    .filter(|s| *s > 0.0)
                    .unwrap_or(5.0)
                    .min(100.0),
                line_width: lenient_f64(custom("lineWidth")).unwrap_or(1.0).clamp(0.0, 10.0),
                fill_opacity: lenient_f64(custom("fillOpacity")).unwrap_or(50.0).clamp(0.0, 100.0) / 100.0,
            }
        })
        .collect();
    let warning = shown.is_empty().then(|| "No numeric fields found".to_string());
    // The axes are named and formatted by the first series' fields.
    let (x_column, y_column) = match pairs.first() {
        Some((x, y)) => (&columns[*x], Some(&columns[*y])),
        None => (&columns[default_x], None),
    };
    XyView {
        x_name: x_column.name.clone(),
        x_unit: unit(&x_column.config),
        y_unit: y_column.map(|c| unit(&c.config)).unwrap_or_default(),
        series: shown,
        show_legend,
        warning,
    }
}

/// The chart as markup: an SVG `width` × `height` CSS px with both axes in their fields' units,
/// the x field's name under the x axis, each series' points and lines, and the legend.
pub fn xy_markup(view: &XyView, (width, height): (f64, f64)) -> String {
    use crate::panels::svg::{Axis, css_color, grid_tick, legend_markup};
    use crate::panels::text::escape_html as escape;
    use std::fmt::Write as _;
    let legend = view.show_legend && !view.series.is_empty();
    let svg_height = (height - if legend { 22.0 } else { 0.0 }).max(20.0);
    let (left, right, top, bottom) = (48.0, 24.0, 8.0, 34.0);
    let plot = (left, top, (width - left - right).max(10.0), (svg_height - top - bottom).max(10.0));
    let extent = |pick: fn(&(f64, f64)) -> f64| {
        view.series
            .iter()
            .flat_map(|s| s.points.iter().map(pick))
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)))
    };
    // A twentieth of the range on each side, so that no point sits on the plot's edge.
    let ticks_of = |(lo, hi): (f64, f64), count: f64| {
        let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
        let pad = (hi - lo) / 20.0;
        let (lo, hi) = (lo - pad, hi + pad);
        chart::nice_ticks(lo, hi, count.max(2.0) as usize)
    };
    let x_ticks = ticks_of(extent(|p| p.0), plot.2 / 90.0);
    let y_ticks = ticks_of(extent(|p| p.1), plot.3 / 40.0);
    let x_px =
        |x: f64| plot.0 + (x - x_ticks.min) / (x_ticks.max - x_ticks.min).max(f64::MIN_POSITIVE) * plot.2;
    let y_px = |y: f64| {
        plot.1 + plot.3 - (y - y_ticks.min) / (y_ticks.max - y_ticks.min).max(f64::MIN_POSITIVE) * plot.3
    };
    let mut svg = format!(
        "<svg class=\"xychart\" width=\"{width:.0}\" height=\"{svg_height:.0}\" viewBox=\"0 0 {width:.0} {svg_height:.0}\">"
    );
    let format = |unit: &str, v: f64| escape(&units::format_value(unit, v, None).to_string());
    for tick in &y_ticks.values {
        svg.push_str(&grid_tick(Axis::Left, y_px(*tick), plot, &format(&view.y_unit, *tick)));
    }
    for tick in &x_ticks.values {
        svg.push_str(&grid_tick(Axis::Bottom, x_px(*tick), plot, &format(&view.x_unit, *tick)));
    }
    let _ = write!(
        svg,
        "<text class=\"axis-label xy-x-name\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
        plot.0 + plot.2 / 2.0,
        plot.1 + plot.3 + 30.0,
        escape(&view.x_name)
    );
    for series in &view.series {
        let (name, color) = (escape(&series.name), css_color(&series.color));
        let _ = write!(svg, "<g class=\"xy-series\" data-series=\"{name}\">");
        if series.show_lines && series.points.len() > 1 {
            let path: String = series
                .points
                .iter()
                .enumerate()
                .map(|(i, (x, y))| {
                    format!("{}{:.1},{:.1}", if i == 0 { "M" } else { "L" }, x_px(*x), y_px(*y))
                })
                .collect();
            let _ = write!(
                svg,
                "<path class=\"xy-line\" d=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{}\"/>",
                series.line_width
            );
        }
        if series.show_points {
            for (x, y) in &series.points {
                let _ = write!(
                    svg,
                    "<circle class=\"xy-point\" data-x=\"{x}\" data-y=\"{y}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"{:.1}\" fill=\"{color}\" fill-opacity=\"{}\" stroke=\"{color}\"><title>{name}: {}, {}</title></circle>",
                    x_px(*x),
                    y_px(*y),
                    series.point_size / 2.0,
                    series.fill_opacity,
                    format(&view.x_unit, *x),
                    format(&view.y_unit, *y)
                );
            }
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    if legend {
        svg.push_str(&legend_markup(view.series.iter().map(|s| (s.name.as_str(), s.color.as_str()))));
    }
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sampled(name: &str, points: &[(f64, f64)]) -> DisplaySeries {
        DisplaySeries::example("A", name, &[], points)
    }

    #[test]
    fn series_join_on_time_and_the_first_is_x_unless_named() {
        let series = [
            sampled("a", &[(0.0, 20.0), (60.0, 24.0), (120.0, 28.0)]),
            sampled("b", &[(0.0, 30.0), (60.0, 29.0), (180.0, 27.0)]),
            sampled("c", &[(0.0, 1.0)]),
        ];
        let view = xy_view(&series, false, &json!([]), &json!({}), &json!({}), false, Theme::Dark);
        assert_eq!(view.x_name, "a");
        assert_eq!(view.series.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["b", "c"]);
        assert_eq!(view.series[0].points, [(20.0, 30.0), (24.0, 29.0)], "only times where both have a value");
        assert!(view.series[0].show_points && !view.series[0].show_lines);
        // Grafana 10's dims (x by name, excluded fields) and Grafana 11's manual series.
        let dims = xy_view(
            &series,
            false,
            &json!([]),
            &json!({"dims": {"x": "b", "exclude": ["c"]}}),
            &json!({}),
            false,
            Theme::Dark,
        );
        assert_eq!(
            (dims.x_name.as_str(), dims.series.len(), dims.series[0].points[0]),
            ("b", 1, (30.0, 20.0))
        );
        let manual = json!({"mapping": "manual", "series": [{"x": {"matcher": {"id": "byName", "options": "c"}}, "y": {"matcher": {"id": "byName", "options": "a"}}}]});
        let manual = xy_view(&series, false, &json!([]), &manual, &json!({}), false, Theme::Dark);
        assert_eq!(
            (manual.x_name.as_str(), manual.series.len(), manual.series[0].points.clone()),
            ("c", 1, vec![(1.0, 20.0)])
        );
    }

    #[test]
    fn a_trend_draws_lines_in_x_order_from_a_table() {
        // A table of two number columns (a reduce: Max and Min per series); x is `xField`.
        let series = [sampled("a", &[(0.0, 3.0), (1.0, 9.0)]), sampled("b", &[(0.0, 1.0), (1.0, 2.0)])];
        let reduce = json!([{"id": "reduce", "options": {"reducers": ["max", "min"]}}]);
        let view = xy_view(
            &series,
            true,
            &reduce,
            &json!({"xField": "Min"}),
            &json!({"defaults": {"unit": "s"}}),
            true,
            Theme::Dark,
        );
        assert_eq!((view.x_name.as_str(), view.x_unit.as_str()), ("Min", "s"));
        assert_eq!(view.series[0].name, "Max");
        assert_eq!(view.series[0].points, [(1.0, 2.0), (3.0, 9.0)], "sorted by x");
        assert!(view.series[0].show_lines && !view.series[0].show_points);
        let markup = xy_markup(&view, (400.0, 200.0));
        assert_eq!(markup.matches("class=\"xy-line\"").count(), 1);
        assert!(!markup.contains("xy-point"));
    }

    #[test]
    fn nothing_to_draw_is_said_and_names_are_escaped() {
        let empty = xy_view(
            &[sampled("a", &[(0.0, 1.0)])],
            false,
            &json!([]),
            &json!({}),
            &json!({}),
            false,
            Theme::Dark,
        );
        assert_eq!(empty.warning.as_deref(), Some("No numeric fields found"), "one field is x alone");
        assert_eq!(xy_view(&[], false, &json!([]), &json!({}), &json!({}), false, Theme::Dark).warning, None);
        let series = [sampled("<b>x</b>", &[(0.0, 1.0)]), sampled("<i>y</i>", &[(0.0, 2.0)])];
        let markup = xy_markup(
            &xy_view(&series, false, &json!([]), &json!({}), &json!({}), false, Theme::Dark),
            (300.0, 200.0),
        );
        assert!(
            markup.contains("&lt;i&gt;y&lt;/i&gt;") && !markup.contains("<i>") && !markup.contains("<b>"),
            "{markup}"
        );
        assert_eq!(markup.matches("class=\"xy-point\"").count(), 1);
    }
}
