//! Colours that vary along a series: opacity and scheme gradients per device-pixel row, colour
//! runs of a line by value, and the scanline spans that fill a polygon row by row.

use super::layout::{ChartLayout, Rect};
use super::spec::{ChartSeries, GradientMode, ValueColors};
use crate::field::Rgb;
use crate::field::scheme;

/// The fill opacity of device-pixel row `y` under an opacity gradient: `opacity` at the plot's top
/// edge, falling linearly to 0 at its bottom edge (Grafana's two-stop canvas gradient).
pub fn gradient_opacity_at(opacity: f64, y: f64, plot: &Rect) -> f64 {
    if plot.height <= 0.0 {
        return opacity;
    }
    opacity * (1.0 - ((y - plot.top) / plot.height).clamp(0.0, 1.0))
}

/// The fill colour and opacity of device-pixel row `y` of a series under its gradient mode, or
/// `None` when its fill is one flat colour (no gradient, or a scheme without colours by value).
pub fn fill_row_color(
    series: &ChartSeries,
    y: f64,
    layout: &ChartLayout,
    light_theme: bool,
) -> Option<(Rgb, f64)> {
    let style = &series.style;
    let plot = &layout.plot;
    let share_down = if plot.height > 0.0 { ((y - plot.top) / plot.height).clamp(0.0, 1.0) } else { 0.0 };
    match (style.gradient, &style.value_colors) {
        (GradientMode::Opacity, _) => Some((series.color, gradient_opacity_at(style.fill_opacity, y, plot))),
        (GradientMode::Hue, _) => {
            let (top, bottom) = scheme::hue_gradient_ends(series.color, light_theme);
            Some((scheme::interpolate_linear(&[top, bottom], share_down), style.fill_opacity))
        }
        (GradientMode::Scheme, Some(colors)) => {
            let value = layout.value_at_px_on(style.right_axis, y);
            Some((colors.color_at(value, layout.gradient_range_on(style.right_axis)), style.fill_opacity))
        }
        _ => None,
    }
}

/// A polyline cut into runs of one colour each under a `scheme` gradient: threshold steps change
/// colour exactly where the line crosses them; a continuous scheme changes per segment, in 32
/// shades so that neighbouring segments share a run. Without colours by value, one run.
pub fn line_color_runs(
    series: &ChartSeries,
    polyline: &[(f64, f64)],
    layout: &ChartLayout,
) -> Vec<(Rgb, Vec<(f64, f64)>)> {
    let style = &series.style;
    let colors = match (&style.value_colors, style.gradient) {
        (Some(colors), GradientMode::Scheme) if polyline.len() > 1 => colors,
        _ => return vec![(series.color, polyline.to_vec())],
    };
    let range = layout.gradient_range_on(style.right_axis);
    let value_of = |y: f64| layout.value_at_px_on(style.right_axis, y);
    let quantised = |y: f64| match colors {
        ValueColors::Scheme(_) => {
            let t = if range.1 > range.0 {
                ((value_of(y) - range.0) / (range.1 - range.0)).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let t = (t * 32.0).round() / 32.0;
            colors.color_at(range.0 + t * (range.1 - range.0), range)
        }
        ValueColors::Steps(_) => colors.color_at(value_of(y), range),
    };
    // Threshold boundaries in device y, for splitting segments where they cross one.
    let boundaries: Vec<f64> = match colors {
        ValueColors::Steps(steps) => steps
            .iter()
            .filter(|(v, _)| v.is_finite())
            .map(|(v, _)| layout.y_px_on(style.right_axis, *v))
            .collect(),
        ValueColors::Scheme(_) => Vec::new(),
    };
    let mut runs: Vec<(Rgb, Vec<(f64, f64)>)> = Vec::new();
    let mut push = |from: (f64, f64), to: (f64, f64)| {
        let color = quantised((from.1 + to.1) / 2.0);
        match runs.last_mut() {
            Some((last, points)) if *last == color && points.last() == Some(&from) => points.push(to),
            _ => runs.push((color, vec![from, to])),
        }
    };
    for pair in polyline.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let mut cuts: Vec<f64> = boundaries
            .iter()
            .filter(|y| (a.1 - **y) * (b.1 - **y) < 0.0)
            .map(|y| (y - a.1) / (b.1 - a.1))
            .collect();
        cuts.sort_by(f64::total_cmp);
        let mut from = a;
        for share in cuts {
            let at = (a.0 + share * (b.0 - a.0), a.1 + share * (b.1 - a.1));
            push(from, at);
            from = at;
        }
        push(from, b);
    }
    runs
}

/// The horizontal runs inside `polygon` on each device-pixel row from `top` to `bottom`
/// (exclusive), sampled at the row's centre with the even-odd rule: `(row, x_start, x_end)`.
/// Drawing these row by row lets a fill's opacity vary with height on a backend without
/// gradients.
pub fn scanline_spans(polygon: &[(f64, f64)], top: i32, bottom: i32) -> Vec<(i32, f64, f64)> {
    let mut spans = Vec::new();
    if polygon.len() < 3 {
        return spans;
    }
    let (min_y, max_y) =
        polygon.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (_, y)| (lo.min(*y), hi.max(*y)));
    let first = top.max(min_y.floor() as i32);
    let last = bottom.min(max_y.ceil() as i32);
    let mut crossings = Vec::new();
    for row in first..last {
        let y = f64::from(row) + 0.5;
        crossings.clear();
        for (i, &(x0, y0)) in polygon.iter().enumerate() {
            let (x1, y1) = polygon[(i + 1) % polygon.len()];
            // Half-open in y so a vertex shared by two edges is counted once.
            if (y0 <= y) != (y1 <= y) {
                crossings.push(x0 + (y - y0) / (y1 - y0) * (x1 - x0));
            }
        }
        crossings.sort_by(f64::total_cmp);
        for pair in crossings.chunks_exact(2) {
            if pair[1] > pair[0] {
                spans.push((row, pair[0], pair[1]));
            }
        }
    }
    spans
}
