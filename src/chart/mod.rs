//! Chart maths for time series, apart from any drawing: axis ranges and ticks, projection to device
//! pixels, gap splitting and min/max (M4) decimation. Pure and tested natively; [`crate::draw`]
//! turns its output into plotters calls.

mod decimate;
mod ticks;

pub use decimate::decimate_m4;
pub use ticks::{NiceTicks, nice_ticks, time_ticks};

use crate::field::Rgb;
use crate::field::units::format_tick;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrawStyle {
    Line,
    Bars,
    Points,
}

/// How one series is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesStyle {
    /// CSS pixels.
    pub line_width: f64,
    /// 0–1.
    pub fill_opacity: f64,
    pub draw: DrawStyle,
    pub show_points: bool,
    pub point_size: f64,
    /// Series with the same group stack on each other.
    pub stack_group: Option<String>,
    pub stack_percent: bool,
    pub negative_y: bool,
    pub hidden: bool,
    pub span_nulls: SpanNulls,
    pub interpolation: Interpolation,
    /// Grafana's `gradientMode`: how the fill (and, for `scheme`, the line) is coloured.
    pub gradient: GradientMode,
    /// The colours by value a `scheme` gradient uses: the field's thresholds or continuous
    /// scheme. `None` (a palette or fixed colour) leaves the series its one colour.
    pub value_colors: Option<ValueColors>,
    /// `lineStyle` dash and gap lengths in CSS pixels; `None` for a solid line. A dash of 0 is
    /// Grafana's dotted line (round caps make each zero-length dash a dot).
    pub dash: Option<(f64, f64)>,
    /// `custom.axisPlacement: right`: the series is measured on the right-hand value axis.
    pub right_axis: bool,
    /// `custom.axisSoftMin` / `custom.axisSoftMax` of the series' axis.
    pub soft_min: Option<f64>,
    pub soft_max: Option<f64>,
}

/// Grafana's `gradientMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GradientMode {
    None,
    /// Fills fade from `fill_opacity` at the top of the plot to transparent at its bottom, as
    /// Grafana's opacity gradient spans the whole plot height.
    Opacity,
    /// Fills shift in hue from top to bottom ([`crate::field::scheme::hue_gradient_ends`]).
    Hue,
    /// Lines and fills take the colour of the value at their height ([`ValueColors`]).
    Scheme,
}

/// Colours by value for a `scheme` gradient.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueColors {
    /// Absolute threshold steps, the base step first with value −∞: hard colour changes.
    Steps(Vec<(f64, Rgb)>),
    /// A continuous scheme's stops spread evenly over the axis range.
    Scheme(Vec<Rgb>),
}

impl ValueColors {
    /// The colour at `value` on an axis from `min` to `max`.
    pub fn color_at(&self, value: f64, (min, max): (f64, f64)) -> Rgb {
        match self {
            ValueColors::Steps(steps) => steps
                .iter()
                .rev()
                .find(|(at, _)| value >= *at)
                .or(steps.first())
                .map_or(Rgb(128, 128, 128), |s| s.1),
            ValueColors::Scheme(stops) => {
                let t = if max > min { (value - min) / (max - min) } else { 0.0 };
                crate::field::scheme::interpolate_linear(stops, t)
            }
        }
    }
}

/// Grafana's `spanNulls`: whether a line continues across missing samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SpanNulls {
    /// `false`: a missing sample (a gap longer than the step, or NaN) breaks the line.
    Never,
    /// `true`: the line joins across every gap.
    Always,
    /// A number of milliseconds: gaps up to it are joined.
    UpTo(f64),
}

/// Grafana's `lineInterpolation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interpolation {
    Linear,
    /// A monotone cubic through the samples (uPlot's spline, which Grafana's `smooth` uses): it
    /// never overshoots a sample, so a smoothed counter never appears to fall.
    Smooth,
    StepBefore,
    StepAfter,
}

impl Default for SeriesStyle {
    /// Grafana's time-series defaults.
    fn default() -> SeriesStyle {
        SeriesStyle {
            line_width: 1.0,
            fill_opacity: 0.0,
            draw: DrawStyle::Line,
            show_points: false,
            point_size: 5.0,
            stack_group: None,
            stack_percent: false,
            negative_y: false,
            hidden: false,
            span_nulls: SpanNulls::Never,
            interpolation: Interpolation::Linear,
            gradient: GradientMode::None,
            value_colors: None,
            dash: None,
            right_axis: false,
            soft_min: None,
            soft_max: None,
        }
    }
}

/// One series ready to draw: times in epoch milliseconds, already stacked and transformed.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSeries {
    pub name: String,
    pub color: Rgb,
    /// Shared with the panel's data (the legend and tooltips read the same samples): a chart of a
    /// million samples is not copied to be drawn.
    pub points: Arc<Vec<(f64, f64)>>,
    pub style: SeriesStyle,
    /// Where the fill (or bar) starts: the series below in a stack; `None` means zero.
    pub baseline: Option<Vec<(f64, f64)>>,
}

/// What the chart shows: the requested range (not just where data is, as in Grafana) and the series.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    pub from_ms: f64,
    pub to_ms: f64,
    /// Consecutive samples further apart than this are not joined (Grafana inserts nulls there).
    pub gap_threshold_ms: f64,
    pub series: Vec<ChartSeries>,
    /// Minutes east of UTC for the time axis labels.
    pub utc_offset_minutes: i32,
    /// The field's unit (Grafana's id, `""` for none) and decimals, for the value axis.
    pub unit: String,
    pub decimals: Option<i32>,
    /// Thresholds to draw (`custom.thresholdsStyle`): steps as (value, colour), the base step first
    /// with value -∞.
    pub thresholds: Option<ThresholdsDisplay>,
    /// The value axis: its label (`custom.axisLabel`, empty for none) and whether it is hidden
    /// (`custom.axisPlacement: hidden`).
    pub axis_label: String,
    pub axis_hidden: bool,
    /// The time axis is hidden too (Grafana 9+: `axisPlacement: hidden` in the defaults, not undone
    /// for the time field by an override — see [`crate::panels::timeseries::time_axis_hidden`]).
    pub time_axis_hidden: bool,
    /// The right-hand value axis, when some series are placed on it: its unit and decimals.
    pub right_axis: Option<ValueAxis>,
    /// `custom.scaleDistribution` `{type: "log", log: base}`: a logarithmic value axis.
    pub log_base: Option<f64>,
    /// The left value axis' `min`/`max` and `custom.axisSoftMin`/`axisSoftMax`.
    pub bounds: AxisBounds,
    /// Drawn on the light theme (the hue gradient differs; furniture colours are the caller's).
    pub light_theme: bool,
}

/// A value axis' configured limits. Hard limits (`min`/`max`) fix the axis end whatever the data;
/// soft ones (`axisSoftMin`/`axisSoftMax`) only widen it, so data beyond them still shows.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AxisBounds {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub soft_min: Option<f64>,
    pub soft_max: Option<f64>,
}

impl AxisBounds {
    /// The data extent widened by the soft limits, then replaced by the hard ones.
    fn apply(&self, (low, high): (f64, f64)) -> (f64, f64) {
        let low = self.soft_min.map_or(low, |soft| low.min(soft));
        let high = self.soft_max.map_or(high, |soft| high.max(soft));
        (self.min.unwrap_or(low), self.max.unwrap_or(high))
    }

    fn is_hard(&self) -> bool {
        self.min.is_some() || self.max.is_some()
    }
}

impl ChartSpec {
    /// A chart of `series` with the default furniture: UTC labels, no unit or decimals, no
    /// thresholds, and a visible, unlabelled, linear value axis. Callers set what differs.
    pub fn new(from_ms: f64, to_ms: f64, gap_threshold_ms: f64, series: Vec<ChartSeries>) -> ChartSpec {
        ChartSpec {
            from_ms,
            to_ms,
            gap_threshold_ms,
            series,
            utc_offset_minutes: 0,
            unit: String::new(),
            decimals: None,
            thresholds: None,
            axis_label: String::new(),
            axis_hidden: false,
            time_axis_hidden: false,
            right_axis: None,
            log_base: None,
            bounds: AxisBounds::default(),
            light_theme: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdsDisplay {
    pub lines: bool,
    pub areas: bool,
    pub steps: Vec<(f64, Rgb)>,
}

/// A horizontal band (top, bottom in device pixels) in a threshold's colour.
pub type ThresholdBand = (f64, f64, Rgb);

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

/// The unit, decimals and limits of the right-hand value axis.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueAxis {
    pub unit: String,
    pub decimals: Option<i32>,
    pub bounds: AxisBounds,
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
const X_AXIS_HEIGHT_CSS_PX: f64 = 20.0;
const PADDING_CSS_PX: f64 = 6.0;
const Y_TICK_SPACING_CSS_PX: f64 = 30.0;
const X_TICK_SPACING_CSS_PX: f64 = 90.0;

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
fn linear_axis(
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
fn value_extent_where(spec: &ChartSpec, keep: impl Fn(&ChartSeries) -> bool) -> Option<(f64, f64)> {
    let extent = data_extent_where(spec, &keep);
    let from_zero = spec
        .series
        .iter()
        .filter(|s| !s.style.hidden && keep(s))
        .any(|s| s.style.fill_opacity > 0.0 || s.style.draw == DrawStyle::Bars);
    extent.map(|(lo, hi)| if from_zero { (lo.min(0.0), hi.max(0.0)) } else { (lo, hi) })
}

/// The smallest and largest finite value of the visible series `keep` selects, in the range.
fn data_extent_where(spec: &ChartSpec, keep: &impl Fn(&ChartSeries) -> bool) -> Option<(f64, f64)> {
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
fn uses_scheme(series: &ChartSeries) -> bool {
    !series.style.hidden
        && series.style.gradient == GradientMode::Scheme
        && series.style.value_colors.is_some()
}

/// The values a scheme gradient spans on an axis (Grafana's `getGradientRange`): the hard limit,
/// else the soft one, else the data's own extent (not the rounded axis), 0–100 without data.
fn gradient_range(spec: &ChartSpec, bounds: &AxisBounds, keep: impl Fn(&ChartSeries) -> bool) -> (f64, f64) {
    let data = data_extent_where(spec, &keep);
    let low = bounds.min.or(bounds.soft_min).or(data.map(|d| d.0)).unwrap_or(0.0);
    let high = bounds.max.or(bounds.soft_max).or(data.map(|d| d.1)).unwrap_or(100.0);
    (low, high)
}

/// The smallest and largest positive finite value of the drawn series (a log axis shows no others).
fn positive_extent(spec: &ChartSpec) -> Option<(f64, f64)> {
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

/// What [`walk_segments`] reports: a finite sample (its index), or the end of an unbroken run.
enum SegmentEvent {
    /// A sample's index, time and value.
    Sample(usize, f64, f64),
    End,
}

/// Walks the series' finite samples in order, reporting where its line breaks (`spanNulls` rules:
/// a NaN breaks it unless nulls are spanned; so does a gap longer than the step or the span limit).
/// Every run of samples is followed by one `End`.
fn walk_segments(series: &ChartSeries, step_ms: f64, mut visit: impl FnMut(SegmentEvent)) {
    let mut open = false;
    let mut previous_t: Option<f64> = None;
    for (index, &(t, v)) in series.points.iter().enumerate() {
        if !v.is_finite() {
            if series.style.span_nulls == SpanNulls::Never && open {
                visit(SegmentEvent::End);
                open = false;
            }
            continue;
        }
        if let Some(previous) = previous_t
            && breaks_at_gap(series.style.span_nulls, t - previous, step_ms)
            && open
        {
            visit(SegmentEvent::End);
        }
        visit(SegmentEvent::Sample(index, t, v));
        open = true;
        previous_t = Some(t);
    }
    if open {
        visit(SegmentEvent::End);
    }
}

/// The indices of the series' finite samples, split where its line breaks (`spanNulls` rules).
pub fn segments(series: &ChartSeries, step_ms: f64) -> Vec<Vec<usize>> {
    let mut segments = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    walk_segments(series, step_ms, |event| match event {
        SegmentEvent::Sample(index, _, _) => current.push(index),
        SegmentEvent::End => segments.push(std::mem::take(&mut current)),
    });
    segments
}

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
            let (top, bottom) = crate::field::scheme::hue_gradient_ends(series.color, light_theme);
            Some((crate::field::scheme::interpolate_linear(&[top, bottom], share_down), style.fill_opacity))
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
fn with_interpolation(points: &[(f64, f64)], interpolation: Interpolation) -> Vec<(f64, f64)> {
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
    let mut current: Option<decimate::M4> = None;
    walk_segments(series, spec.gap_threshold_ms, |event| match event {
        SegmentEvent::Sample(_, t, v) => {
            current.get_or_insert_with(|| decimate::M4::with_capacity(capacity)).push(project((t, v)))
        }
        SegmentEvent::End => polylines.extend(current.take().map(decimate::M4::finish)),
    });
    clip(polylines)
}

/// Whether a gap of `gap_ms` between two present samples breaks the line (Grafana's spanNulls).
fn breaks_at_gap(span_nulls: SpanNulls, gap_ms: f64, step_ms: f64) -> bool {
    match span_nulls {
        SpanNulls::Never => gap_ms > step_ms,
        SpanNulls::Always => false,
        SpanNulls::UpTo(limit) => gap_ms > limit.max(step_ms),
    }
}

#[cfg(test)]
mod tests;
