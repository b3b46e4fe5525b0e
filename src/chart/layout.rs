//! Where things go: the plot rectangle inside the axes, value ranges (linear, log, soft/hard
//! bounds, the right axis), tick positions and labels, and threshold bands in device pixels.

use super::spec::{
    AxisBounds, ChartSeries, ChartSpec, DrawStyle, GradientMode, ThresholdBand, ThresholdsDisplay,
};
use super::ticks::{nice_ticks, time_ticks};
use crate::field::Rgb;
use crate::field::units::format_tick;

/// Threshold bands clipped to the plot, as device-pixel (top, bottom, colour) rows, and the lines
/// at each step's value (y, colour).
pub fn threshold_geometry(
    display: &ThresholdsDisplay,
    layout: &ChartLayout,
) -> (Vec<ThresholdBand>, Vec<(f64, Rgb)>) {
    let plot = layout.plot;
    let y_of = |v: f64| layout.y_px(v).clamp(plot.top, plot.bottom());
    let mut bands = Vec::new();
    let mut lines = Vec::new();
    for (index, (value, color)) in display.steps.iter().enumerate() {
        let upper = display.steps.get(index + 1).map_or(f64::INFINITY, |(next, _)| *next);
        let (bottom, top) = (
            if value.is_finite() { y_of(*value) } else { plot.bottom() },
            if upper.is_finite() { y_of(upper) } else { plot.top },
        );
        if bottom > top {
            bands.push((top, bottom, *color));
        }
        if value.is_finite() && *value >= layout.y_min && *value <= layout.y_max {
            lines.push((y_of(*value), *color));
        }
    }
    (bands, lines)
}

/// A rectangle in device pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.left + self.width
    }
    pub fn bottom(&self) -> f64 {
        self.top + self.height
    }
}

/// Everything the drawing step needs, in device pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartLayout {
    /// The right-hand value axis' own scale, when the chart has one.
    pub right: Option<RightScale>,
    pub plot: Rect,
    pub y_min: f64,
    pub y_max: f64,
    /// The value axis is logarithmic in this base (y_min and y_max are then powers of it).
    pub log_base: Option<f64>,
    /// A hard `min`/`max` may leave data outside the plot: lines and fills are clipped to it.
    pub clips: bool,
    /// What a scheme gradient spans on the left axis ([`gradient_range`]).
    pub gradient_range: (f64, f64),
    /// (device y, label)
    pub y_ticks: Vec<(f64, String)>,
    /// (device x, label)
    pub x_ticks: Vec<(f64, String)>,
}

/// The right-hand axis' linear scale and its ticks (device y, label).
#[derive(Debug, Clone, PartialEq)]
pub struct RightScale {
    pub y_min: f64,
    pub y_max: f64,
    pub ticks: Vec<(f64, String)>,
    /// What a scheme gradient spans on this axis ([`gradient_range`]).
    pub gradient_range: (f64, f64),
}

impl RightScale {
    fn y_px(&self, plot: &Rect, value: f64) -> f64 {
        plot.bottom() - (value - self.y_min) / (self.y_max - self.y_min) * plot.height
    }
}

impl ChartLayout {
    /// The device-pixel y of a value of a series on the right-hand axis (`right`) or the left one.
    pub fn y_px_on(&self, right: bool, value: f64) -> f64 {
        match (&self.right, right) {
            (Some(scale), true) => scale.y_px(&self.plot, value),
            _ => self.y_px(value),
        }
    }

    /// What a scheme gradient spans on the axis a series is measured on.
    pub fn gradient_range_on(&self, right: bool) -> (f64, f64) {
        match (&self.right, right) {
            (Some(scale), true) => scale.gradient_range,
            _ => self.gradient_range,
        }
    }

    /// The value range of the axis a series is measured on.
    pub fn range_on(&self, right: bool) -> (f64, f64) {
        match (&self.right, right) {
            (Some(scale), true) => (scale.y_min, scale.y_max),
            _ => (self.y_min, self.y_max),
        }
    }

    /// The device-pixel y of a value: the one projection every drawn element uses.
    /// On a log axis a value at or below zero cannot be placed; it sits on the bottom edge.
    pub fn y_px(&self, value: f64) -> f64 {
        let share = match self.log_base {
            Some(_) if value <= 0.0 => 0.0,
            Some(_) => (value.ln() - self.y_min.ln()) / (self.y_max.ln() - self.y_min.ln()),
            None => (value - self.y_min) / (self.y_max - self.y_min),
        };
        self.plot.bottom() - share * self.plot.height
    }

    /// The value under a device-pixel y on the axis a series is measured on.
    pub fn value_at_px_on(&self, right: bool, y: f64) -> f64 {
        match (&self.right, right) {
            (Some(scale), true) => {
                scale.y_min + (self.plot.bottom() - y) / self.plot.height * (scale.y_max - scale.y_min)
            }
            _ => self.value_at_px(y),
        }
    }

    /// The value under a device-pixel y (the inverse of [`ChartLayout::y_px`]).
    pub fn value_at_px(&self, y: f64) -> f64 {
        let share = (self.plot.bottom() - y) / self.plot.height;
        match self.log_base {
            Some(_) => (self.y_min.ln() + share * (self.y_max.ln() - self.y_min.ln())).exp(),
            None => self.y_min + share * (self.y_max - self.y_min),
        }
    }
}

/// Sizes of the chart furniture in CSS pixels (multiplied by the device pixel ratio).
pub const AXIS_FONT_CSS_PX: f64 = 12.0;
pub(super) const X_AXIS_HEIGHT_CSS_PX: f64 = 20.0;
pub(super) const PADDING_CSS_PX: f64 = 6.0;
pub(super) const Y_TICK_SPACING_CSS_PX: f64 = 30.0;
pub(super) const X_TICK_SPACING_CSS_PX: f64 = 90.0;

/// Lays out the axes for a canvas of `width` × `height` device pixels. `measure_text` returns the
/// width of a label in device pixels (the browser measures it on wasm).
pub fn layout_chart(
    spec: &ChartSpec,
    width: f64,
    height: f64,
    device_pixel_ratio: f64,
    measure_text: impl Fn(&str) -> f64,
) -> ChartLayout {
    let dpr = device_pixel_ratio.max(0.5);
    let padding = PADDING_CSS_PX * dpr;
    let plot_top = padding;
    let x_axis_height = if spec.time_axis_hidden { PADDING_CSS_PX } else { X_AXIS_HEIGHT_CSS_PX };
    let plot_bottom = (height - x_axis_height * dpr).max(plot_top + 1.0);
    let max_y_ticks = ((plot_bottom - plot_top) / (Y_TICK_SPACING_CSS_PX * dpr)).floor().max(2.0) as usize;
    let log_base = spec.log_base.filter(|base| *base > 1.0);
    let (y_min, y_max, labels) = match log_base {
        Some(base) => {
            let extent = positive_extent(spec).unwrap_or((1.0, base));
            // A log axis has no place for a limit at or below zero.
            let (low, high) = match spec.bounds.apply(extent) {
                (low, high) if low > 0.0 && high > low => (low, high),
                _ => extent,
            };
            let (y_min, y_max, powers) = log_ticks(low, high, base, max_y_ticks);
            // Each power is labelled with the decimals it needs itself.
            let labels =
                powers.iter().map(|v| (*v, format_tick(&spec.unit, *v, *v, spec.decimals))).collect();
            (y_min, y_max, labels)
        }
        None => {
            let extent = spec.bounds.apply(value_extent(spec).unwrap_or((0.0, 1.0)));
            linear_axis(extent, &spec.bounds, max_y_ticks, &spec.unit, spec.decimals)
        }
    };
    let label_width = if spec.axis_hidden {
        0.0
    } else {
        labels.iter().map(|(_, label)| measure_text(label)).fold(0.0, f64::max) + padding
    };
    // The right-hand axis: the same tick count, its own extent and unit, labels right of the plot.
    let right = spec.right_axis.as_ref().and_then(|axis| {
        let extent = axis.bounds.apply(value_extent_where(spec, |s| s.style.right_axis)?);
        Some(linear_axis(extent, &axis.bounds, max_y_ticks, &axis.unit, axis.decimals))
    });
    let right_label_width = right.as_ref().map_or(0.0, |(_, _, labels)| {
        labels.iter().map(|(_, l)| measure_text(l)).fold(0.0, f64::max) + padding
    });
    // A rotated axis label takes one line of text at the far left.
    let axis_label_width = if spec.axis_label.is_empty() { 0.0 } else { AXIS_FONT_CSS_PX * dpr * 1.4 };
    let plot_left = padding + axis_label_width + label_width;
    let plot = Rect {
        left: plot_left,
        top: plot_top,
        width: (width - padding - right_label_width - plot_left).max(1.0),
        height: plot_bottom - plot_top,
    };
    let clips = spec.bounds.is_hard() || spec.right_axis.as_ref().is_some_and(|axis| axis.bounds.is_hard());
    let mut layout = ChartLayout {
        right: None,
        plot,
        y_min,
        y_max,
        log_base,
        clips,
        gradient_range: if spec.series.iter().any(uses_scheme) {
            gradient_range(spec, &spec.bounds, |s| spec.right_axis.is_none() || !s.style.right_axis)
        } else {
            (0.0, 0.0)
        },
        y_ticks: Vec::new(),
        x_ticks: Vec::new(),
    };
    if let Some((y_min, y_max, labels)) = right {
        let bounds = spec.right_axis.as_ref().map(|a| a.bounds).unwrap_or_default();
        // Another pass over every sample, so only for charts that draw a scheme gradient.
        let gradient_range = if spec.series.iter().any(uses_scheme) {
            gradient_range(spec, &bounds, |s| s.style.right_axis)
        } else {
            (0.0, 0.0)
        };
        let mut scale = RightScale { y_min, y_max, ticks: Vec::new(), gradient_range };
        scale.ticks = labels.into_iter().map(|(v, label)| (scale.y_px(&plot, v), label)).collect();
        layout.right = Some(scale);
    }
    if !spec.axis_hidden {
        layout.y_ticks = labels.into_iter().map(|(v, label)| (layout.y_px(v), label)).collect();
    }
    if spec.time_axis_hidden {
        return layout;
    }
    let max_x_ticks = (plot.width / (X_TICK_SPACING_CSS_PX * dpr)).floor().max(1.0) as usize;
    layout.x_ticks = time_ticks(spec.from_ms, spec.to_ms, max_x_ticks, spec.utc_offset_minutes)
        .into_iter()
        .map(|(t, label)| (plot.left + (t - spec.from_ms) / (spec.to_ms - spec.from_ms) * plot.width, label))
        // A label that would be cut by the canvas edge is left out rather than shown in part.
        .filter(|(x, label)| {
            let half = measure_text(label) / 2.0;
            x - half >= 0.0 && x + half <= width
        })
        .collect();
    layout
}

/// A linear value axis over `(low, high)`: its nice bounds and labelled ticks. A hard limit is the
/// axis end itself (Grafana does not round `min: 3` out to 0), with the nice ticks inside it.
pub(super) fn linear_axis(
    (low, high): (f64, f64),
    bounds: &AxisBounds,
    max_ticks: usize,
    unit: &str,
    decimals: Option<i32>,
) -> (f64, f64, Vec<(f64, String)>) {
    let (low, high) = if high > low || !bounds.is_hard() {
        (low, high)
    } else if bounds.max.is_none() {
        (low, low + 1.0)
    } else {
        (high - 1.0, high)
    };
    let ticks = nice_ticks(low, high, max_ticks);
    let axis_min = bounds.min.map_or(ticks.min, |_| low);
    let axis_max = bounds.max.map_or(ticks.max, |_| high);
    let labels = ticks
        .values
        .iter()
        .filter(|v| **v >= axis_min - ticks.spacing * 1e-9 && **v <= axis_max + ticks.spacing * 1e-9)
        .map(|v| (*v, format_tick(unit, *v, ticks.spacing, decimals)))
        .collect();
    (axis_min, axis_max, labels)
}

/// The smallest and largest finite value of all drawn series, or `None` when there is none. Bars
/// and fills grow from zero, so zero is then included, as in Grafana.
pub fn value_extent(spec: &ChartSpec) -> Option<(f64, f64)> {
    // Series on a right-hand axis are measured there, when the chart has one.
    value_extent_where(spec, |s| spec.right_axis.is_none() || !s.style.right_axis)
}

/// [`value_extent`] over the series `keep` selects.
pub(super) fn value_extent_where(
    spec: &ChartSpec,
    keep: impl Fn(&ChartSeries) -> bool,
) -> Option<(f64, f64)> {
    let extent = data_extent_where(spec, &keep);
    let from_zero = spec
        .series
        .iter()
        .filter(|s| !s.style.hidden && keep(s))
        .any(|s| s.style.fill_opacity > 0.0 || s.style.draw == DrawStyle::Bars);
    extent.map(|(lo, hi)| if from_zero { (lo.min(0.0), hi.max(0.0)) } else { (lo, hi) })
}

/// The smallest and largest finite value of the visible series `keep` selects, in the range.
pub(super) fn data_extent_where(
    spec: &ChartSpec,
    keep: &impl Fn(&ChartSeries) -> bool,
) -> Option<(f64, f64)> {
    let in_range = |t: f64| t >= spec.from_ms && t <= spec.to_ms;
    spec.series
        .iter()
        .filter(|s| !s.style.hidden && keep(s))
        .flat_map(|s| s.points.iter())
        .filter(|(t, v)| v.is_finite() && in_range(*t))
        .fold(None, |extent, (_, v)| match extent {
            None => Some((*v, *v)),
            Some((lo, hi)) => Some((f64::min(lo, *v), f64::max(hi, *v))),
        })
}

/// Whether a series is coloured by value along its line (and so needs a gradient range).
pub(super) fn uses_scheme(series: &ChartSeries) -> bool {
    !series.style.hidden
        && series.style.gradient == GradientMode::Scheme
        && series.style.value_colors.is_some()
}

/// The values a scheme gradient spans on an axis (Grafana's `getGradientRange`): the hard limit,
/// else the soft one, else the data's own extent (not the rounded axis), 0–100 without data.
pub(super) fn gradient_range(
    spec: &ChartSpec,
    bounds: &AxisBounds,
    keep: impl Fn(&ChartSeries) -> bool,
) -> (f64, f64) {
    let data = data_extent_where(spec, &keep);
    let low = bounds.min.or(bounds.soft_min).or(data.map(|d| d.0)).unwrap_or(0.0);
    let high = bounds.max.or(bounds.soft_max).or(data.map(|d| d.1)).unwrap_or(100.0);
    (low, high)
}

/// The smallest and largest positive finite value of the drawn series (a log axis shows no others).
pub(super) fn positive_extent(spec: &ChartSpec) -> Option<(f64, f64)> {
    let in_range = |t: f64| t >= spec.from_ms && t <= spec.to_ms;
    spec.series
        .iter()
        .filter(|s| !s.style.hidden)
        .flat_map(|s| s.points.iter())
        .filter(|(t, v)| v.is_finite() && *v > 0.0 && in_range(*t))
        .fold(None, |extent, (_, v)| match extent {
            None => Some((*v, *v)),
            Some((lo, hi)) => Some((f64::min(lo, *v), f64::max(hi, *v))),
        })
}

/// A log axis from the power of `base` at or below `low` to the one at or above `high` (at least
/// one power apart), with a tick at every power, or every k-th when more would not fit.
pub fn log_ticks(low: f64, high: f64, base: f64, max_ticks: usize) -> (f64, f64, Vec<f64>) {
    // A hair of tolerance so an exact power is not pushed one power out by rounding in ln().
    let exponent = |v: f64| v.ln() / base.ln();
    let first = (exponent(low) + 1e-9).floor() as i32;
    let last = ((exponent(high) - 1e-9).ceil() as i32).max(first + 1);
    let count = (last - first + 1) as usize;
    let every = count.div_ceil(max_ticks.max(2)).max(1);
    let ticks = (first..=last).step_by(every).map(|e| base.powi(e)).collect();
    (base.powi(first), base.powi(last), ticks)
}
