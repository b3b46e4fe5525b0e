//! What a chart is asked to draw: series with their styles (Grafana's draw style, fill, gradient,
//! line interpolation, spanNulls), the time range and step, axis bounds and thresholds.

use crate::field::Rgb;
use crate::field::scheme;
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
                scheme::interpolate_linear(stops, t)
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
    pub(super) fn apply(&self, (low, high): (f64, f64)) -> (f64, f64) {
        let low = self.soft_min.map_or(low, |soft| low.min(soft));
        let high = self.soft_max.map_or(high, |soft| high.max(soft));
        (self.min.unwrap_or(low), self.max.unwrap_or(high))
    }

    pub(super) fn is_hard(&self) -> bool {
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

/// The unit, decimals and limits of the right-hand value axis.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueAxis {
    pub unit: String,
    pub decimals: Option<i32>,
    pub bounds: AxisBounds,
}
