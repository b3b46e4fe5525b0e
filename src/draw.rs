//! Draws a laid-out time-series chart with plotters, generic over the backend: the app uses the
//! HTML canvas backend, native tests use the SVG backend. Owns colours and strokes of the chart
//! furniture; must not compute ranges, ticks or projections (that is [`crate::chart`]).

use crate::chart::{
    AXIS_FONT_CSS_PX, ChartLayout, ChartSpec, DrawStyle, GradientMode, fill_row_color, layout_chart,
    line_color_runs, project_bars, project_fill, project_series, scanline_spans, threshold_geometry,
};
use crate::field::Rgb;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Grafana's text colour for the chart furniture, dark and light theme.
pub const TEXT_COLOR: Rgb = Rgb(0xcc, 0xcc, 0xdc);
pub const TEXT_COLOR_LIGHT: Rgb = Rgb(0x24, 0x29, 0x2e);
const GRID_ALPHA: f64 = 0.12;
/// Grafana's default time-series line width (CSS px).
pub const LINE_WIDTH_CSS_PX: f64 = 1.0;

/// The series line width in device pixels.
pub fn line_width_px(device_pixel_ratio: f64) -> u32 {
    (LINE_WIDTH_CSS_PX * device_pixel_ratio).round().max(1.0) as u32
}

fn plotters_color(color: Rgb) -> RGBColor {
    RGBColor(color.0, color.1, color.2)
}

/// Lays out and draws the chart onto `area`, whose size is in device pixels. Returns the layout so
/// callers can place hover and legend elements on the same coordinates.
pub fn draw_time_series<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    device_pixel_ratio: f64,
) -> Result<ChartLayout, DrawingAreaErrorKind<DB::ErrorType>> {
    let (width, height) = area.dim_in_pixel();
    let font_px = AXIS_FONT_CSS_PX * device_pixel_ratio;
    let text_color = if spec.light_theme { TEXT_COLOR_LIGHT } else { TEXT_COLOR };
    let font = ("sans-serif", font_px).into_font().color(&plotters_color(text_color));
    let measure =
        |label: &str| area.estimate_text_size(label, &font).map(|(w, _)| f64::from(w)).unwrap_or(0.0);
    let layout = layout_chart(spec, f64::from(width), f64::from(height), device_pixel_ratio, measure);
    let plot = layout.plot;
    let grid = plotters_color(text_color).mix(GRID_ALPHA).stroke_width(1);
    let px = |v: f64| v.round() as i32;

    for (y, label) in &layout.y_ticks {
        area.draw(&PathElement::new(vec![(px(plot.left), px(*y)), (px(plot.right()), px(*y))], grid))?;
        let anchor = font.pos(Pos::new(HPos::Right, VPos::Center));
        area.draw(&Text::new(label.clone(), (px(plot.left - 6.0 * device_pixel_ratio), px(*y)), anchor))?;
    }
    if let Some(right) = &layout.right {
        for (y, label) in &right.ticks {
            let anchor = font.pos(Pos::new(HPos::Left, VPos::Center));
            area.draw(&Text::new(
                label.clone(),
                (px(plot.right() + 6.0 * device_pixel_ratio), px(*y)),
                anchor,
            ))?;
        }
    }
    if !spec.axis_label.is_empty() {
        let rotated = ("sans-serif", font_px)
            .into_font()
            .transform(FontTransform::Rotate270)
            .color(&plotters_color(text_color))
            .pos(Pos::new(HPos::Center, VPos::Top));
        let middle = px(plot.top + plot.height / 2.0);
        area.draw(&Text::new(spec.axis_label.clone(), (px(4.0 * device_pixel_ratio), middle), rotated))?;
    }
    for (x, label) in &layout.x_ticks {
        area.draw(&PathElement::new(vec![(px(*x), px(plot.top)), (px(*x), px(plot.bottom()))], grid))?;
        let anchor = font.pos(Pos::new(HPos::Center, VPos::Top));
        area.draw(&Text::new(label.clone(), (px(*x), px(plot.bottom() + 4.0 * device_pixel_ratio)), anchor))?;
    }

    let plot_area = area.clone();
    if let Some(display) = &spec.thresholds {
        let (bands, lines) = threshold_geometry(display, &layout);
        if display.areas {
            for (top, bottom, color) in bands {
                let fill = plotters_color(color).mix(0.15).filled();
                plot_area.draw(&Rectangle::new(
                    [(px(plot.left), px(top)), (px(plot.right()), px(bottom))],
                    fill,
                ))?;
            }
        }
        if display.lines {
            for (y, color) in lines {
                let stroke = plotters_color(color).stroke_width(line_width_px(device_pixel_ratio));
                plot_area.draw(&PathElement::new(
                    vec![(px(plot.left), px(y)), (px(plot.right()), px(y))],
                    stroke,
                ))?;
            }
        }
    }
    // Fills and bars first, so every line is drawn over them.
    for series in spec.series.iter().filter(|s| !s.style.hidden) {
        let color = plotters_color(series.color);
        if series.style.draw == DrawStyle::Bars {
            let fill = color.mix(series.style.fill_opacity.max(0.8)).filled();
            for (left, top, right, bottom) in project_bars(series, spec, &layout, spec.gap_threshold_ms) {
                plot_area.draw(&Rectangle::new([(px(left), px(top)), (px(right), px(bottom))], fill))?;
            }
        } else if series.style.fill_opacity > 0.0
            && fill_row_color(series, plot.top, &layout, spec.light_theme).is_some()
        {
            // No gradients in plotters: one run per device row, each in that row's colour. The
            // rectangle is half-open: the canvas backend fills width × height, one pixel row here.
            let (top, bottom) = (plot.top.floor() as i32, plot.bottom().ceil() as i32);
            for polygon in project_fill(series, spec, &layout) {
                for (row, start, end) in scanline_spans(&polygon, top, bottom) {
                    let (x0, x1) = (px(start), px(end) - 1);
                    let Some((row_color, opacity)) =
                        fill_row_color(series, f64::from(row) + 0.5, &layout, spec.light_theme)
                    else {
                        continue;
                    };
                    if x1 >= x0 && opacity > 0.0 {
                        let fill = plotters_color(row_color).mix(opacity).filled();
                        plot_area.draw(&Rectangle::new([(x0, row), (x1 + 1, row + 1)], fill))?;
                    }
                }
            }
        } else if series.style.fill_opacity > 0.0 {
            let fill = color.mix(series.style.fill_opacity).filled();
            for polygon in project_fill(series, spec, &layout) {
                let points: Vec<(i32, i32)> = polygon.iter().map(|(x, y)| (px(*x), px(*y))).collect();
                plot_area.draw(&Polygon::new(points, fill))?;
            }
        }
    }
    for series in spec.series.iter().filter(|s| !s.style.hidden) {
        let line_width = series_line_width_px(series.style.line_width, device_pixel_ratio);
        let color = plotters_color(series.color);
        let style = color.stroke_width(line_width.max(1));
        let dot_radius = ((series.style.point_size / 2.0) * device_pixel_ratio).round().max(1.0) as u32;
        let draws_line = series.style.draw == DrawStyle::Line && line_width > 0;
        let draws_points = series.style.draw == DrawStyle::Points || series.style.show_points;
        for polyline in project_series(series, spec, &layout) {
            let mut points: Vec<(i32, i32)> = polyline.iter().map(|(x, y)| (px(*x), px(*y))).collect();
            if !draws_points {
                // Whole-pixel vertices repeat after M4 (four per column, often on one row): the
                // same line with fewer vertices for the canvas to stroke.
                points.dedup();
            }
            if polyline.len() == 1 && series.style.draw == DrawStyle::Line {
                // A lone sample between gaps is drawn as a dot, as Grafana shows isolated points.
                plot_area.draw(&Circle::new(points[0], line_width + 1, style.filled()))?;
            } else if draws_line
                && series.style.gradient == GradientMode::Scheme
                && series.style.value_colors.is_some()
            {
                for (run_color, run) in line_color_runs(series, &polyline, &layout) {
                    let run: Vec<(i32, i32)> = run.iter().map(|(x, y)| (px(*x), px(*y))).collect();
                    plot_area.draw(&PathElement::new(
                        run,
                        plotters_color(run_color).stroke_width(line_width.max(1)),
                    ))?;
                }
            } else if draws_line {
                match series.style.dash {
                    Some((dash, gap)) => {
                        // A zero dash is a dot: one line width long, so it shows as a dot.
                        let dash_px =
                            ((dash * device_pixel_ratio).round() as i32).max(line_width.max(1) as i32);
                        let gap_px = ((gap * device_pixel_ratio).round() as i32).max(1);
                        plot_area.draw(&DashedPathElement::new(
                            points.iter().copied(),
                            dash_px,
                            gap_px,
                            style,
                        ))?;
                    }
                    None if draws_points => plot_area.draw(&PathElement::new(points.clone(), style))?,
                    None => plot_area.draw(&PathElement::new(std::mem::take(&mut points), style))?,
                }
            }
            if draws_points {
                let visible =
                    |(_, y): &(i32, i32)| !layout.clips || (px(plot.top)..=px(plot.bottom())).contains(y);
                for point in points.into_iter().filter(visible) {
                    plot_area.draw(&Circle::new(point, dot_radius, color.filled()))?;
                }
            }
        }
    }
    Ok(layout)
}

/// A series' line width in device pixels (0 hides the line, as Grafana's `lineWidth: 0`).
pub fn series_line_width_px(line_width_css: f64, device_pixel_ratio: f64) -> u32 {
    (line_width_css * device_pixel_ratio).round().max(0.0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{ChartSeries, SeriesStyle};
    use crate::field;
    use crate::field::Theme;
    use crate::field::scheme;

    fn spec(from_ms: f64, to_ms: f64, series: Vec<ChartSeries>) -> ChartSpec {
        ChartSpec::new(from_ms, to_ms, 15_000.0, series)
    }

    fn series(name: &str, palette_index: usize, points: Vec<(f64, f64)>, style: SeriesStyle) -> ChartSeries {
        ChartSeries {
            name: name.into(),
            color: field::classic_palette_color(palette_index, Theme::Dark),
            points: points.into(),
            style,
            baseline: None,
        }
    }

    fn svg_of(spec: &ChartSpec, size: (u32, u32)) -> String {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            draw_time_series(&area, spec, 1.0).expect("draws");
            area.present().expect("presents");
        }
        svg
    }

    #[test]
    fn draws_axes_labels_and_each_series_in_its_colour_to_svg() {
        let start = 1_767_225_600_000.0;
        let wave = (0..240).map(|i| (start + f64::from(i) * 15_000.0, f64::from(i % 7))).collect();
        let spec = spec(
            start,
            start + 3_600_000.0,
            vec![
                series("up", 0, wave, SeriesStyle::default()),
                series("lonely", 1, vec![(start + 1_800_000.0, 3.0)], SeriesStyle::default()),
            ],
        );
        let svg = svg_of(&spec, (1000, 300));
        assert!(svg.contains("#73BF69"), "first series in palette green");
        assert!(svg.contains("<circle"), "the lone sample is a dot");
        // plotters writes each label on a line of its own inside <text>.
        assert!(svg.contains("\n00:30\n"), "time labels in UTC");
        assert!(svg.contains("\n6\n"), "value labels");
    }

    #[test]
    fn opacity_gradient_fills_fade_towards_the_bottom() {
        let style = SeriesStyle { fill_opacity: 0.5, gradient: GradientMode::Opacity, ..Default::default() };
        let flat = (0..=4).map(|i| (f64::from(i) * 15_000.0, 10.0)).collect();
        let svg = svg_of(&spec(0.0, 60_000.0, vec![series("flat", 0, flat, style)]), (400, 200));
        let lines = svg.lines().filter(|l| l.starts_with("<polyline") && l.contains("#73BF69")).count();
        assert_eq!(lines, 1, "a solid line is one path");
        // One rect per filled row, in the series' colour, its opacity falling row by row.
        let opacities: Vec<f64> = svg
            .lines()
            .filter(|line| line.starts_with("<rect") && line.contains("#73BF69"))
            .filter_map(|line| line.split("opacity=\"").nth(1)?.split('"').next()?.parse().ok())
            .collect();
        assert!(opacities.len() > 50, "{} rows", opacities.len());
        assert!(opacities.windows(2).all(|w| w[1] <= w[0]), "fades downwards: {opacities:?}");
        assert!(opacities[0] <= 0.5 && *opacities.last().unwrap() < 0.1, "{opacities:?}");
    }

    #[test]
    fn hue_gradient_fills_shift_colour_from_top_to_bottom() {
        let style = SeriesStyle { fill_opacity: 0.6, gradient: GradientMode::Hue, ..Default::default() };
        let flat = (0..=4).map(|i| (f64::from(i) * 15_000.0, 10.0)).collect();
        let svg = svg_of(&spec(0.0, 60_000.0, vec![series("flat", 0, flat, style)]), (400, 200));
        let fills: Vec<&str> = svg
            .lines()
            .filter(|line| line.starts_with("<rect") && line.contains("opacity=\"0.6"))
            .filter_map(|line| line.split("fill=\"").nth(1)?.split('"').next())
            .collect();
        assert!(fills.len() > 50, "{} filled rows", fills.len());
        let (top, bottom) = scheme::hue_gradient_ends(field::classic_palette_color(0, Theme::Dark), false);
        let near = |css: &str, color: Rgb| {
            let c = Rgb::from_css(css).unwrap();
            (i32::from(c.0) - i32::from(color.0)).abs() + (i32::from(c.1) - i32::from(color.1)).abs() < 30
        };
        assert!(near(fills[0], top), "top row {} vs {top:?}", fills[0]);
        assert!(near(fills[fills.len() - 1], bottom), "bottom row {} vs {bottom:?}", fills[fills.len() - 1]);
    }

    #[test]
    fn dashed_lines_are_drawn_in_pieces() {
        let dashed = SeriesStyle { dash: Some((10.0, 10.0)), ..Default::default() };
        let flat: Vec<(f64, f64)> = (0..=4).map(|i| (f64::from(i) * 15_000.0, 10.0)).collect();
        let svg = svg_of(&spec(0.0, 60_000.0, vec![series("flat", 0, flat, dashed)]), (400, 200));
        let pieces = svg.lines().filter(|l| l.starts_with("<polyline") && l.contains("#73BF69")).count();
        // The plot is about 360 px wide: one dash every 20 px.
        assert!((12..=20).contains(&pieces), "{pieces} dashes");
    }
}
