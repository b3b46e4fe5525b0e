//! From samples to device pixels: lines (with smooth and step interpolation), fills clipped to the
//! plot, bars, and the inverse (pixel to time/value, nearest sample) that hover needs.

use super::decimate::{M4, decimate_m4};
use super::layout::ChartLayout;
use super::segments::{SegmentEvent, segments, walk_segments};
use super::spec::{ChartSeries, ChartSpec, Interpolation};

/// Polygons (device pixels) filling a series down to its baseline, one per unbroken segment.
pub fn project_fill(series: &ChartSeries, spec: &ChartSpec, layout: &ChartLayout) -> Vec<Vec<(f64, f64)>> {
    let plot = layout.plot;
    let x_of = |t: f64| plot.left + (t - spec.from_ms) * plot.width / (spec.to_ms - spec.from_ms);
    let right = series.style.right_axis;
    let y_of = |v: f64| layout.y_px_on(right, v);
    let (low, high) = layout.range_on(right);
    let zero = y_of(0.0_f64.clamp(low, high));
    let base_at = |index: usize| {
        series
            .baseline
            .as_ref()
            .and_then(|b| b.get(index))
            .map_or(zero, |(_, v)| if v.is_finite() { y_of(*v) } else { zero })
    };
    segments(series, spec.gap_threshold_ms)
        .into_iter()
        .filter(|segment| segment.len() > 1)
        .map(|segment| {
            let top: Vec<(f64, f64)> =
                segment.iter().map(|&i| (x_of(series.points[i].0), y_of(series.points[i].1))).collect();
            let bottom: Vec<(f64, f64)> =
                segment.iter().map(|&i| (x_of(series.points[i].0), base_at(i))).collect();
            let mut polygon = decimate_m4(&with_interpolation(&top, series.style.interpolation));
            polygon.extend(
                decimate_m4(&with_interpolation(&bottom, series.style.interpolation)).into_iter().rev(),
            );
            if layout.clips { clip_polygon_rows(&polygon, plot.top, plot.bottom()) } else { polygon }
        })
        .filter(|polygon| polygon.len() > 2)
        .collect()
}

/// Cuts a polygon to the rows between `top` and `bottom` (Sutherland–Hodgman on two edges).
pub fn clip_polygon_rows(polygon: &[(f64, f64)], top: f64, bottom: f64) -> Vec<(f64, f64)> {
    let against = |points: &[(f64, f64)], inside: &dyn Fn(f64) -> bool, edge: f64| {
        let mut out = Vec::with_capacity(points.len() + 4);
        for (i, &current) in points.iter().enumerate() {
            let previous = points[(i + points.len() - 1) % points.len()];
            let crossing = || {
                let share = (edge - previous.1) / (current.1 - previous.1);
                (previous.0 + share * (current.0 - previous.0), edge)
            };
            match (inside(previous.1), inside(current.1)) {
                (true, true) => out.push(current),
                (true, false) => out.push(crossing()),
                (false, true) => {
                    out.push(crossing());
                    out.push(current);
                }
                (false, false) => {}
            }
        }
        out
    };
    if polygon.is_empty() {
        return Vec::new();
    }
    let below_top = against(polygon, &|y| y >= top, top);
    if below_top.is_empty() {
        return below_top;
    }
    against(&below_top, &|y| y <= bottom, bottom)
}

/// Cuts a polyline to the rows between `top` and `bottom`: the parts inside, each its own line.
pub fn clip_polyline_rows(polyline: &[(f64, f64)], top: f64, bottom: f64) -> Vec<Vec<(f64, f64)>> {
    let inside = |y: f64| y >= top && y <= bottom;
    if polyline.len() == 1 {
        return if inside(polyline[0].1) { vec![polyline.to_vec()] } else { Vec::new() };
    }
    let mut parts = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let mut flush = |current: &mut Vec<(f64, f64)>| {
        if current.len() > 1 {
            parts.push(std::mem::take(current));
        }
        current.clear();
    };
    for pair in polyline.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        // The share of the segment inside the rows (Liang–Barsky in y alone).
        let (enter, leave) = if y1 == y0 {
            if inside(y0) { (0.0, 1.0) } else { (1.0, 0.0) }
        } else {
            let (a, b) = ((top - y0) / (y1 - y0), (bottom - y0) / (y1 - y0));
            (a.min(b).max(0.0), a.max(b).min(1.0))
        };
        if enter > leave {
            flush(&mut current);
            continue;
        }
        let at = |share: f64| (x0 + share * (x1 - x0), (y0 + share * (y1 - y0)).clamp(top, bottom));
        if enter > 0.0 || current.is_empty() {
            flush(&mut current);
            current.push(at(enter));
        }
        current.push(at(leave));
        if leave < 1.0 {
            flush(&mut current);
        }
    }
    flush(&mut current);
    parts
}

/// Adds the corner points a stepped line needs, or the curve points of a smooth one.
pub(super) fn with_interpolation(points: &[(f64, f64)], interpolation: Interpolation) -> Vec<(f64, f64)> {
    if interpolation == Interpolation::Linear || points.len() < 2 {
        return points.to_vec();
    }
    if interpolation == Interpolation::Smooth {
        return monotone_cubic(points);
    }
    let mut stepped = Vec::with_capacity(points.len() * 2);
    stepped.push(points[0]);
    for pair in points.windows(2) {
        let ((x1, y1), (x2, y2)) = (pair[0], pair[1]);
        stepped.push(if interpolation == Interpolation::StepAfter { (x2, y1) } else { (x1, y2) });
        stepped.push((x2, y2));
    }
    stepped
}

/// A monotone cubic through device-pixel points (x ascending), flattened to short straight pieces:
/// Fritsch–Carlson tangents — zero at a local extremum, the weighted harmonic mean of the two
/// neighbouring slopes elsewhere — so the curve stays between neighbouring samples. Each piece is
/// at most about two pixels wide, so the cost follows the plot's width, not the sample count.
pub fn monotone_cubic(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let n = points.len();
    if n < 3 {
        return points.to_vec();
    }
    let widths: Vec<f64> = points.windows(2).map(|p| p[1].0 - p[0].0).collect();
    let slopes: Vec<f64> = points
        .windows(2)
        .zip(&widths)
        .map(|(p, w)| if *w > 0.0 { (p[1].1 - p[0].1) / w } else { 0.0 })
        .collect();
    let mut tangents = vec![0.0; n];
    tangents[0] = slopes[0];
    tangents[n - 1] = slopes[n - 2];
    for i in 1..n - 1 {
        let (before, after) = (slopes[i - 1], slopes[i]);
        if before == 0.0 || after == 0.0 || (before > 0.0) != (after > 0.0) {
            continue;
        }
        let (w0, w1) = (widths[i - 1], widths[i]);
        let tangent = 3.0 * (w0 + w1) / ((2.0 * w1 + w0) / before + (w1 + 2.0 * w0) / after);
        tangents[i] = if tangent.is_finite() { tangent } else { 0.0 };
    }
    let mut curve = Vec::with_capacity(n * 2);
    curve.push(points[0]);
    for i in 0..n - 1 {
        let ((x0, y0), (x1, y1), width) = (points[i], points[i + 1], widths[i]);
        let pieces = (width / 2.0).ceil().clamp(1.0, 32.0) as usize;
        for piece in 1..pieces {
            // The cubic Hermite basis at s ∈ (0, 1).
            let s = piece as f64 / pieces as f64;
            let (s2, s3) = (s * s, s * s * s);
            let y = (2.0 * s3 - 3.0 * s2 + 1.0) * y0
                + (s3 - 2.0 * s2 + s) * width * tangents[i]
                + (-2.0 * s3 + 3.0 * s2) * y1
                + (s3 - s2) * width * tangents[i + 1];
            curve.push((x0 + s * width, y));
        }
        curve.push((x1, y1));
    }
    curve
}

/// Grafana's default bar width: 60 % of the step.
pub const BAR_WIDTH_FACTOR: f64 = 0.6;

/// Bars as device-pixel rectangles (left, top, right, bottom), from the baseline (or zero).
pub fn project_bars(
    series: &ChartSeries,
    spec: &ChartSpec,
    layout: &ChartLayout,
    step_ms: f64,
) -> Vec<(f64, f64, f64, f64)> {
    let plot = layout.plot;
    let scale_x = plot.width / (spec.to_ms - spec.from_ms);
    let right = series.style.right_axis;
    let y_of = |v: f64| layout.y_px_on(right, v);
    let (low, high) = layout.range_on(right);
    let zero = y_of(0.0_f64.clamp(low, high));
    let half = (step_ms * scale_x * BAR_WIDTH_FACTOR / 2.0).max(0.5);
    series
        .points
        .iter()
        .enumerate()
        .filter(|(_, (t, v))| v.is_finite() && *t >= spec.from_ms && *t <= spec.to_ms)
        .map(|(index, (t, v))| {
            let x = plot.left + (t - spec.from_ms) * scale_x;
            let base = series.baseline.as_ref().and_then(|b| b.get(index)).map_or(zero, |(_, b)| y_of(*b));
            let y = y_of(*v);
            let (top, bottom) = (y.min(base), y.max(base));
            if layout.clips {
                (x - half, top.max(plot.top), x + half, bottom.min(plot.bottom()))
            } else {
                (x - half, top, x + half, bottom)
            }
        })
        .filter(|(_, top, _, bottom)| bottom >= top)
        .collect()
}

/// The device-pixel x of a time on the plot (the inverse of [`time_at`]).
pub fn time_px(spec: &ChartSpec, layout: &ChartLayout, t: f64) -> f64 {
    layout.plot.left + (t - spec.from_ms) / (spec.to_ms - spec.from_ms) * layout.plot.width
}

/// The time under a device-pixel x on the plot, or `None` outside it.
pub fn time_at(spec: &ChartSpec, layout: &ChartLayout, x: f64) -> Option<f64> {
    let plot = layout.plot;
    (x >= plot.left && x <= plot.right())
        .then(|| spec.from_ms + (x - plot.left) / plot.width * (spec.to_ms - spec.from_ms))
}

/// The value under a device-pixel y on the plot.
pub fn value_at(layout: &ChartLayout, y: f64) -> f64 {
    layout.value_at_px(y)
}

/// The index of the sample nearest to `t` (times ascending), if one is within `max_distance_ms`.
pub fn nearest_sample(points: &[(f64, f64)], t: f64, max_distance_ms: f64) -> Option<usize> {
    let after = points.partition_point(|(time, _)| *time < t);
    let candidates = [after.checked_sub(1), (after < points.len()).then_some(after)];
    candidates
        .into_iter()
        .flatten()
        .min_by(|a, b| (points[*a].0 - t).abs().total_cmp(&(points[*b].0 - t).abs()))
        .filter(|i| (points[*i].0 - t).abs() <= max_distance_ms)
}

/// Projects one series into device-pixel polylines: split at gaps and non-finite values (the rules
/// of [`segments`]), then decimated to at most four points per device pixel column. Linear lines,
/// the common case, are projected and decimated in one pass with nothing held per sample.
pub fn project_series(series: &ChartSeries, spec: &ChartSpec, layout: &ChartLayout) -> Vec<Vec<(f64, f64)>> {
    let plot = layout.plot;
    let x_scale = plot.width / (spec.to_ms - spec.from_ms);
    let right = series.style.right_axis;
    let project = |(t, v): (f64, f64)| (plot.left + (t - spec.from_ms) * x_scale, layout.y_px_on(right, v));
    let clip = |polylines: Vec<Vec<(f64, f64)>>| {
        if !layout.clips {
            return polylines;
        }
        polylines.iter().flat_map(|line| clip_polyline_rows(line, plot.top, plot.bottom())).collect()
    };
    if series.style.interpolation != Interpolation::Linear {
        return clip(
            segments(series, spec.gap_threshold_ms)
                .into_iter()
                .map(|segment| {
                    let points: Vec<(f64, f64)> =
                        segment.iter().map(|&i| project(series.points[i])).collect();
                    // A smooth line is decimated before it is curved: the curve then costs pixels,
                    // not samples, and at more than a sample per pixel there is nothing to smooth.
                    let points = if series.style.interpolation == Interpolation::Smooth {
                        decimate_m4(&points)
                    } else {
                        points
                    };
                    decimate_m4(&with_interpolation(&points, series.style.interpolation))
                })
                .collect(),
        );
    }
    let capacity = (plot.width.max(1.0) as usize * 4).min(series.points.len());
    let mut polylines = Vec::new();
    // A decimator per run, made when the run's first sample comes.
    let mut current: Option<M4> = None;
    walk_segments(series, spec.gap_threshold_ms, |event| match event {
        SegmentEvent::Sample(_, t, v) => {
            current.get_or_insert_with(|| M4::with_capacity(capacity)).push(project((t, v)))
        }
        SegmentEvent::End => polylines.extend(current.take().map(M4::finish)),
    });
    clip(polylines)
}
