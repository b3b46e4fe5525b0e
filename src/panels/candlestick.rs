//! Grafana's candlestick panel (`candlestick`), pure: open/high/low/close candles (or OHLC bars)
//! and volume bars over time, drawn as SVG markup.
//!
//! Which series is which, as Grafana's `prepareCandlestickFields` decides: the series are joined on
//! time ([`super::frame::time_columns`]); each of open, high, low, close and volume is the field
//! `options.fields` names, else the first whose display name is one of Grafana's defaults (`open`
//! or `o`, `high`/`h`/`max`, `low`/`l`/`min`, `close`/`c`, `volume`/`v`, any case — a Prometheus
//! query's legend gives the name). With neither open nor close, open is the first field; a missing
//! close is the next open, a missing open the previous close, a missing high or low the open (so a
//! lone series draws as flat candles). Fields not mapped are dropped unless `includeAllFields`,
//! which draws them as lines. When neither candles nor volume can be drawn, every field is a line.
//!
//! Colours: each candle is up, down or flat — close against its open (`colorStrategy:
//! open-close`, the default) or against the previous close (`close-close`, where a candle that
//! closed above its open is hollow); even is up, except on the first candle shown, which is flat.
//! Volume bars take their candle's colour at half opacity (or the volume field's `fillOpacity`)
//! and reach a seventh of the plot's height under the candles (all of it in `mode: volume`, where
//! open and close are lines on an axis of their own, as Grafana draws them). Everything drawn is
//! clipped to the plot.

use super::frame::{NumberColumn, time_columns};
use super::svg::{Axis, css_color, grid_tick, legend_markup};
use super::text::escape_html as escape;
use crate::chart::{NiceTicks, nice_ticks};
use crate::field::named_colors::color_by_name;
use crate::field::units::format_value;
use crate::field::{DisplaySeries, Theme};
use crate::json::lenient_f64;
use crate::panels::options::legend_shown;
use crate::time::format_local_datetime;
use serde_json::Value;
use std::fmt::Write as _;

/// What the panel draws (`mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Candles,
    Volume,
    CandlesAndVolume,
}

/// How a candle's prices are drawn (`candleStyle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandleStyle {
    /// A body from open to close and a wick from low to high.
    Candles,
    /// A high–low stick with the open ticked on its left and the close on its right.
    OhlcBars,
}

/// Which way a candle went, which picks its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
    Flat,
}

/// One time's prices (all four present) and volume.
#[derive(Debug, Clone, PartialEq)]
pub struct Candle {
    pub time_ms: f64,
    /// `(open, high, low, close)`, when the candle has all four.
    pub prices: Option<(f64, f64, f64, f64)>,
    pub volume: Option<f64>,
    /// Close against its open (`open-close`) or against the previous close (`close-close`).
    pub change: f64,
    /// Drawn as an outline (`close-close`, closed at or above its open).
    pub hollow: bool,
}

impl Candle {
    /// Up, down, or — even — up, except on the first candle shown, which is flat (Grafana's
    /// `flatAsUp` but for the first visible index).
    pub fn direction(&self, first_shown: bool) -> Direction {
        if self.change > 0.0 {
            Direction::Up
        } else if self.change < 0.0 {
            Direction::Down
        } else if first_shown {
            Direction::Flat
        } else {
            Direction::Up
        }
    }
}

/// A field drawn as a line (`includeAllFields`, or every field when no candle can be drawn).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub name: String,
    pub color: String,
    pub points: Vec<(f64, Option<f64>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CandleView {
    pub style: CandleStyle,
    pub draw_price: bool,
    pub draw_volume: bool,
    /// Volume bars share the plot with candles: their scale is seven times the largest volume.
    pub volume_below_price: bool,
    pub candles: Vec<Candle>,
    pub lines: Vec<Line>,
    /// The CSS colours of up, down and flat candles.
    pub colors: [String; 3],
    pub volume_opacity: f64,
    /// Display names of the mapped fields, for tooltips: open, high, low, close, volume.
    pub names: [String; 5],
    pub price_unit: String,
    pub volume_unit: String,
    pub show_legend: bool,
}

const KEYS: [&str; 5] = ["open", "high", "low", "close", "volume"];
const DEFAULT_NAMES: [&[&str]; 5] =
    [&["open", "o"], &["high", "h", "max"], &["low", "l", "min"], &["close", "c"], &["volume", "v"]];
const OPEN: usize = 0;
const HIGH: usize = 1;
const LOW: usize = 2;
const CLOSE: usize = 3;
const VOLUME: usize = 4;

/// A mapped field: a column of the frame, or values made from one (next open, previous close).
#[derive(Debug, Clone)]
struct Mapped {
    column: usize,
    values: Vec<Option<f64>>,
}

fn configured<'a>(options: &'a Value, key: &str) -> Option<&'a str> {
    options.get("fields").and_then(|f| f.get(key)).and_then(Value::as_str).filter(|name| !name.is_empty())
}

/// The column `options.fields[key]` names, else the first with one of Grafana's default names.
fn find(columns: &[NumberColumn], options: &Value, key: usize) -> Option<usize> {
    configured(options, KEYS[key])
        .and_then(|name| columns.iter().position(|c| c.name == name))
        .or_else(|| columns.iter().position(|c| DEFAULT_NAMES[key].contains(&c.name.to_lowercase().as_str())))
}

/// The panel of `series` as Grafana's candlestick draws it.
pub fn candlestick_view(
    series: &[DisplaySeries],
    options: &Value,
    field_config: &Value,
    theme: Theme,
) -> CandleView {
    let (times, columns) = time_columns(series, field_config);
    let mode = match options.get("mode").and_then(Value::as_str) {
        Some("candles") => Mode::Candles,
        Some("volume") => Mode::Volume,
        _ => Mode::CandlesAndVolume,
    };
    let style = match options.get("candleStyle").and_then(Value::as_str) {
        Some("ohlcbars") => CandleStyle::OhlcBars,
        _ => CandleStyle::Candles,
    };
    let close_close = options.get("colorStrategy").and_then(Value::as_str) == Some("close-close");
    let color_option = |key: &str, default: &str| {
        color_by_name(
            options.get("colors").and_then(|c| c.get(key)).and_then(Value::as_str).unwrap_or(default),
            theme,
        )
    };
    let colors = [color_option("up", "green"), color_option("down", "red"), color_option("flat", "gray")];
    let show_legend = legend_shown(options);
    let include_all = options.get("includeAllFields").and_then(Value::as_bool) == Some(true);

    let column = |index: usize| Mapped { column: index, values: columns[index].values.clone() };
    let mut mapped: [Option<Mapped>; 5] = std::array::from_fn(|key| find(&columns, options, key).map(column));
    if mapped[OPEN].is_none() && mapped[CLOSE].is_none() && !columns.is_empty() {
        mapped[OPEN] = Some(column(0));
    }
    if let (Some(open), None, None) = (&mapped[OPEN], &mapped[CLOSE], configured(options, "close")) {
        // The next open; the last repeats.
        let mut values: Vec<Option<f64>> = open.values.iter().skip(1).copied().collect();
        values.push(open.values.last().copied().flatten());
        mapped[CLOSE] = Some(Mapped { column: open.column, values });
    }
    if let (None, Some(close), None) = (&mapped[OPEN], &mapped[CLOSE], configured(options, "open")) {
        // The previous close; the first is its own.
        let values = close.values.first().copied().into_iter().chain(close.values.iter().copied()).collect();
        mapped[OPEN] = Some(Mapped { column: close.column, values: drop_last(values) });
    }
    for key in [HIGH, LOW] {
        if mapped[key].is_none() && configured(options, KEYS[key]).is_none() {
            mapped[key] = mapped[OPEN].clone();
        }
    }
    match mode {
        Mode::Volume => (mapped[HIGH], mapped[LOW]) = (None, None),
        Mode::Candles => mapped[VOLUME] = None,
        Mode::CandlesAndVolume => {}
    }
    let prices_mapped = [OPEN, HIGH, LOW, CLOSE].iter().all(|key| mapped[*key].is_some());
    let draw_price = mode != Mode::Volume && prices_mapped;
    let draw_volume = mode != Mode::Candles && mapped[VOLUME].is_some();

    let name_of =
        |key: usize| mapped[key].as_ref().map(|m| columns[m.column].name.clone()).unwrap_or_default();
    let names = std::array::from_fn(name_of);
    let config_of = |key: usize| mapped[key].as_ref().map(|m| &columns[m.column].config);
    let unit = |config: Option<&Value>| {
        config.and_then(|c| c.get("unit")).and_then(Value::as_str).unwrap_or("").to_string()
    };
    let volume_opacity =
        lenient_f64(config_of(VOLUME).and_then(|c| c.get("custom")).and_then(|c| c.get("fillOpacity")))
            .filter(|o| *o > 0.0)
            .map_or(0.5, |o| (o / 100.0).min(1.0));

    let value = |key: usize, index: usize| mapped[key].as_ref().and_then(|m| m.values[index]);
    let mut candles = Vec::with_capacity(times.len());
    for (index, time_ms) in times.iter().enumerate() {
        let prices = match (value(OPEN, index), value(HIGH, index), value(LOW, index), value(CLOSE, index)) {
            (Some(open), Some(high), Some(low), Some(close)) => Some((open, high, low, close)),
            _ => None,
        };
        let volume = value(VOLUME, index);
        let (open, close) = (value(OPEN, index), value(CLOSE, index));
        // Against the row just before (Grafana's `close[i - 1]`; none there: no change).
        let previous_close = index.checked_sub(1).and_then(|previous| value(CLOSE, previous));
        let change = match (close_close, open, close) {
            (false, Some(open), Some(close)) => close - open,
            (true, _, Some(close)) => previous_close.map_or(0.0, |previous| close - previous),
            _ => 0.0,
        };
        let hollow = close_close && matches!((open, close), (Some(open), Some(close)) if close >= open);
        if prices.is_none() && volume.is_none() {
            continue;
        }
        candles.push(Candle { time_ms: *time_ms, prices, volume, change, hollow });
    }

    // Lines: fields not mapped (with includeAllFields); in volume mode open and close too, as
    // Grafana draws them there; every field when nothing else draws.
    let nothing_drawn = !draw_price && !draw_volume;
    let mapped_columns: Vec<usize> = mapped.iter().flatten().map(|m| m.column).collect();
    let volume_mode_lines: Vec<usize> = if mode == Mode::Volume && draw_volume {
        let mut both: Vec<usize> =
            [OPEN, CLOSE].iter().filter_map(|key| mapped[*key].as_ref().map(|m| m.column)).collect();
        both.dedup();
        both
    } else {
        Vec::new()
    };
    let lines = columns
        .iter()
        .enumerate()
        .filter(|(index, _)| {
            nothing_drawn
                || volume_mode_lines.contains(index)
                || (include_all && !mapped_columns.contains(index))
        })
        .map(|(_, column)| Line {
            name: column.name.clone(),
            color: column.color.clone(),
            points: times.iter().copied().zip(column.values.iter().copied()).collect(),
        })
        .collect();
    let volume_below_price = draw_price && draw_volume;
    let volume_unit = unit(config_of(VOLUME));
    CandleView {
        style,
        draw_price,
        draw_volume,
        volume_below_price,
        candles,
        lines,
        colors,
        volume_opacity,
        names,
        price_unit: unit(config_of(OPEN).or_else(|| columns.first().map(|c| &c.config))),
        // Under candles Grafana gives the volume axis `short`; alone it keeps the field's unit.
        volume_unit: if volume_below_price && volume_unit.is_empty() { "short".into() } else { volume_unit },
        show_legend,
    }
}

fn drop_last(mut values: Vec<Option<f64>>) -> Vec<Option<f64>> {
    values.pop();
    values
}

/// The panel's body as markup: an SVG `width` × `height` CSS px with the price axis on the left
/// (the volume axis alone in `mode: volume`), the time axis labelled by `ticks`, the candles or
/// bars with a tooltip each (times in the dashboard's zone, `utc_offset_minutes`), the volume bars,
/// the lines, and a legend of the lines.
pub fn candlestick_markup(
    view: &CandleView,
    (from, to): (f64, f64),
    (width, height): (f64, f64),
    ticks: &[(f64, String)],
    utc_offset_minutes: i32,
) -> String {
    let legend = view.show_legend && !view.lines.is_empty();
    // Volume alone takes the left axis; lines (open and close, in volume mode) get their own on
    // the right, as Grafana gives them.
    let lines_own_axis = !view.draw_price && view.draw_volume && !view.lines.is_empty();
    let svg_height = (height - if legend { 22.0 } else { 0.0 }).max(20.0);
    let (left, right, top, bottom) = (56.0, if lines_own_axis { 56.0 } else { 16.0 }, 8.0, 22.0);
    let plot = (left, top, (width - left - right).max(10.0), (svg_height - top - bottom).max(10.0));
    let span = (to - from).max(1.0);
    let x_of = |t: f64| plot.0 + (t - from) / span * plot.2;
    let shown = |t: f64| t >= from && t <= to;

    // The left axis: prices (and lines), or volume alone; the lines' own axis beside volume.
    let mut extent = (f64::INFINITY, f64::NEG_INFINITY);
    let mut line_extent = (f64::INFINITY, f64::NEG_INFINITY);
    let widen = |extent: &mut (f64, f64), v: f64| *extent = (extent.0.min(v), extent.1.max(v));
    for candle in view.candles.iter().filter(|c| shown(c.time_ms)) {
        if view.draw_price {
            if let Some((open, high, low, close)) = candle.prices {
                [open, high, low, close].into_iter().for_each(|v| widen(&mut extent, v));
            }
        } else if let Some(volume) = candle.volume.filter(|_| view.draw_volume) {
            widen(&mut extent, 0.0);
            widen(&mut extent, volume);
        }
    }
    for line in &view.lines {
        let target = if lines_own_axis { &mut line_extent } else { &mut extent };
        line.points.iter().filter(|(t, _)| shown(*t)).filter_map(|(_, v)| *v).for_each(|v| widen(target, v));
    }
    let ticks_of = |(low, high): (f64, f64)| {
        let (low, high) = if low.is_finite() { (low, high) } else { (0.0, 1.0) };
        nice_ticks(low, high, (plot.3 / 40.0).max(2.0) as usize)
    };
    let (ticks_y, ticks_lines) = (ticks_of(extent), ticks_of(line_extent));
    let on = |ticks: &NiceTicks, v: f64| {
        plot.1 + plot.3 - (v - ticks.min) / (ticks.max - ticks.min).max(f64::MIN_POSITIVE) * plot.3
    };
    let y_of = |v: f64| on(&ticks_y, v);
    let line_y = |v: f64| if lines_own_axis { on(&ticks_lines, v) } else { y_of(v) };
    let largest_volume = view.candles.iter().filter_map(|c| c.volume).fold(0.0_f64, f64::max);
    let volume_scale = if view.volume_below_price { largest_volume * 7.0 } else { largest_volume };
    let volume_top = |v: f64| {
        if view.draw_price {
            plot.1 + plot.3 - v / volume_scale.max(f64::MIN_POSITIVE) * plot.3
        } else {
            y_of(v)
        }
    };

    // Bars are six tenths of the smallest gap between candles.
    let gap = view
        .candles
        .windows(2)
        .map(|pair| (x_of(pair[1].time_ms) - x_of(pair[0].time_ms)).abs())
        .filter(|gap| *gap > 0.0)
        .fold(plot.2, f64::min);
    let bar = (0.6 * gap).round().max(1.0);
    let stick = if bar <= 12.0 { 1.0 } else { 2.0 };

    let mut svg = format!(
        "<svg class=\"candlestick\" width=\"{width:.0}\" height=\"{svg_height:.0}\" viewBox=\"0 0 {width:.0} {svg_height:.0}\">"
    );
    let axis_unit = if view.draw_price || !view.draw_volume { &view.price_unit } else { &view.volume_unit };
    for tick in &ticks_y.values {
        let label = escape(&format_value(axis_unit, *tick, None).to_string());
        svg.push_str(&grid_tick(Axis::Left, y_of(*tick), plot, &label));
    }
    if lines_own_axis {
        for tick in &ticks_lines.values {
            let _ = write!(
                svg,
                "<text class=\"axis-label\" x=\"{:.1}\" y=\"{:.1}\" dominant-baseline=\"central\">{}</text>",
                plot.0 + plot.2 + 4.0,
                line_y(*tick),
                escape(&format_value(&view.price_unit, *tick, None).to_string())
            );
        }
    }
    for (time, label) in ticks.iter().filter(|(t, _)| shown(*t)) {
        let _ = write!(
            svg,
            "<text class=\"axis-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x_of(*time),
            plot.1 + plot.3 + 16.0,
            escape(label)
        );
    }
    let color_of = |direction: Direction| {
        css_color(
            &view.colors[match direction {
                Direction::Up => 0,
                Direction::Down => 1,
                Direction::Flat => 2,
            }],
        )
    };
    let price = |v: f64| escape(&format_value(&view.price_unit, v, None).to_string());
    // What is drawn stays inside the plot (a nested viewport clips it, with no id to collide).
    let _ = write!(
        svg,
        "<svg class=\"plot\" x=\"{0:.1}\" y=\"{1:.1}\" width=\"{2:.1}\" height=\"{3:.1}\" viewBox=\"{0:.1} {1:.1} {2:.1} {3:.1}\" overflow=\"hidden\">",
        plot.0, plot.1, plot.2, plot.3
    );
    for (index, candle) in view.candles.iter().filter(|c| shown(c.time_ms)).enumerate() {
        let direction = candle.direction(index == 0);
        let (x, color) = (x_of(candle.time_ms), color_of(direction));
        let mut tooltip = escape(&format_local_datetime(candle.time_ms as i64, utc_offset_minutes));
        let _ = write!(
            svg,
            "<g class=\"candle\" data-time=\"{}\" data-direction=\"{}\">",
            candle.time_ms,
            match direction {
                Direction::Up => "up",
                Direction::Down => "down",
                Direction::Flat => "flat",
            }
        );
        if let Some(volume) = candle.volume.filter(|_| view.draw_volume) {
            let top = volume_top(volume);
            let _ = write!(
                svg,
                "<rect class=\"volume-bar\" data-volume=\"{volume}\" x=\"{:.1}\" y=\"{top:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" fill=\"{color}\" fill-opacity=\"{}\"/>",
                x - bar / 2.0,
                (volume_top(0.0) - top).max(0.0),
                view.volume_opacity
            );
            let _ = write!(
                tooltip,
                "\n{}: {}",
                escape(&view.names[VOLUME]),
                escape(&format_value(&view.volume_unit, volume, None).to_string())
            );
        }
        if let Some((open, high, low, close)) = candle.prices.filter(|_| view.draw_price) {
            let _ = write!(
                svg,
                "<rect class=\"wick\" x=\"{:.1}\" y=\"{:.1}\" width=\"{stick}\" height=\"{:.1}\" fill=\"{color}\"/>",
                x - stick / 2.0,
                y_of(high),
                (y_of(low) - y_of(high)).max(0.0)
            );
            let (open_px, close_px) = (y_of(open), y_of(close));
            match view.style {
                CandleStyle::Candles => {
                    let (body_top, body_height) =
                        (open_px.min(close_px), (open_px - close_px).abs().max(1.0));
                    // An outline only where the body is tall enough to be seen hollow.
                    let hollow = candle.hollow && body_height > 2.0 * stick;
                    let _ = write!(
                        svg,
                        "<rect class=\"body\" data-open=\"{open}\" data-high=\"{high}\" data-low=\"{low}\" data-close=\"{close}\" x=\"{:.1}\" y=\"{body_top:.1}\" width=\"{bar:.1}\" height=\"{body_height:.1}\" {}/>",
                        x - bar / 2.0,
                        if hollow {
                            format!("fill=\"none\" stroke=\"{color}\" stroke-width=\"{stick}\"")
                        } else {
                            format!("fill=\"{color}\"")
                        }
                    );
                }
                CandleStyle::OhlcBars => {
                    let half = (bar / 2.0).floor();
                    let _ = write!(
                        svg,
                        "<rect class=\"open-tick\" data-open=\"{open}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{half:.1}\" height=\"{stick}\" fill=\"{color}\"/><rect class=\"close-tick\" data-close=\"{close}\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{half:.1}\" height=\"{stick}\" fill=\"{color}\"/>",
                        x - half,
                        open_px - stick / 2.0,
                        close_px - stick / 2.0
                    );
                }
            }
            for (key, value) in [(OPEN, open), (HIGH, high), (LOW, low), (CLOSE, close)] {
                let _ = write!(tooltip, "\n{}: {}", escape(&view.names[key]), price(value));
            }
        }
        let _ = write!(svg, "<title>{tooltip}</title></g>");
    }
    for line in &view.lines {
        let mut path = String::new();
        let mut pen_down = false;
        for (t, v) in line.points.iter().filter(|(t, _)| shown(*t)) {
            match v {
                Some(v) => {
                    let _ =
                        write!(path, "{}{:.1},{:.1}", if pen_down { "L" } else { "M" }, x_of(*t), line_y(*v));
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        let _ = write!(
            svg,
            "<path class=\"candlestick-line\" data-series=\"{}\" d=\"{path}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1\"/>",
            escape(&line.name),
            css_color(&line.color)
        );
    }
    svg.push_str("</svg></svg>");
    if legend {
        svg.push_str(&legend_markup(view.lines.iter().map(|l| (l.name.as_str(), l.color.as_str()))));
    }
    svg
}

#[cfg(test)]
mod tests;
