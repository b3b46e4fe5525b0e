//! The bar chart as SVG markup, pure: the geometry of Grafana's `bars.ts` (groups spread over the
//! categories with `groupWidth`, bars over their group with `barWidth`, both "space between";
//! stacked bars take a whole slot), value labels sized to fit as Grafana sizes them, thinned and
//! rotated category labels, and the legend. Every text and colour from the dashboard or from
//! Prometheus is escaped or checked: names and label values are not ours.

use super::{BarChartView, Orientation, ShowValue, Stacking};
use crate::chart;
use crate::field::units;
use crate::panels::svg::{Axis, css_color, grid_tick, legend_markup};
use crate::panels::text::escape_html as escape;
use std::fmt::Write as _;

/// Grafana's limits for automatic value text: below 8 px nothing is written, never above 30;
/// the text takes at most 65 % of a bar's thickness.
const VALUE_FONT_MIN: f64 = 8.0;
const VALUE_FONT_MAX: f64 = 30.0;
const VALUE_FIT: f64 = 0.65;
const LEGEND_PX: f64 = 22.0;
/// An average character's width in em, to estimate text widths without a browser.
const CHAR_EM: f64 = 0.6;

/// `count` items spread over 0..1 with `share` of it filled, the first at 0 and the last ending
/// at 1 (one item is centred): each item's (offset, size) as fractions.
fn distribute(count: usize, share: f64) -> impl Iterator<Item = (f64, f64)> {
    let size = share / count.max(1) as f64;
    let gap = if count > 1 { (1.0 - share) / (count - 1) as f64 } else { 0.0 };
    let start = if count == 1 { (1.0 - share) / 2.0 } else { 0.0 };
    (0..count).map(move |i| (start + i as f64 * (size + gap), size))
}

/// One bar to draw: its field and category, where it runs along the value axis (from, to in
/// values) and across the category axis (start and thickness in px).
struct Bar {
    field: usize,
    category: usize,
    from: f64,
    to: f64,
    start: f64,
    thickness: f64,
}

/// The bars of every field and category, stacked or side by side.
fn bars(view: &BarChartView, category_axis: (f64, f64)) -> Vec<Bar> {
    let (axis_start, axis_length) = category_axis;
    let categories: Vec<(f64, f64)> = distribute(view.categories.len(), view.group_width).collect();
    let stacked = view.stacking != Stacking::None;
    let slots: Vec<(f64, f64)> =
        distribute(if stacked { 1 } else { view.fields.len() }, view.bar_width).collect();
    // Stacking: a field stacks downward when its first value is negative (Grafana's rule).
    let downward: Vec<bool> =
        view.fields.iter().map(|f| f.values.iter().flatten().next().is_some_and(|v| *v < 0.0)).collect();
    let mut out = Vec::new();
    for (category, (group_offset, group_size)) in categories.iter().enumerate() {
        let (mut up, mut down) = (0.0, 0.0);
        for (index, field) in view.fields.iter().enumerate() {
            let Some(value) = field.values.get(category).copied().flatten() else { continue };
            let (slot_offset, slot_size) = slots[if stacked { 0 } else { index }];
            let start = axis_start + (group_offset + group_size * slot_offset) * axis_length;
            let thickness = group_size * slot_size * axis_length;
            let (from, to) = if !stacked {
                (0.0, value)
            } else if downward[index] {
                let from = down;
                down += value;
                (from, down)
            } else {
                let from = up;
                up += value;
                (from, up)
            };
            out.push(Bar { field: index, category, from, to, start, thickness });
        }
    }
    out
}

/// A rectangle whose far end (away from zero: the top or the right for a bar that grows
/// positively, `positive`; the bottom or the left otherwise) is rounded by `radius` px, as an SVG
/// path in absolute coordinates, drawn clockwise.
fn bar_path(vertical: bool, (x, y, w, h): (f64, f64, f64, f64), radius: f64, positive: bool) -> String {
    let r = radius.min(w / 2.0).min(h / 2.0).max(0.0);
    let (right, bottom) = (x + w, y + h);
    if r < 0.5 {
        return format!("M{x:.1},{y:.1}H{right:.1}V{bottom:.1}H{x:.1}Z");
    }
    let arc = |to_x: f64, to_y: f64| format!("A{r:.1},{r:.1} 0 0 1 {to_x:.1},{to_y:.1}");
    match (vertical, positive) {
        (true, true) => format!(
            "M{x:.1},{bottom:.1}V{:.1}{}H{:.1}{}V{bottom:.1}Z",
            y + r,
            arc(x + r, y),
            right - r,
            arc(right, y + r)
        ),
        (true, false) => format!(
            "M{x:.1},{y:.1}H{right:.1}V{:.1}{}H{:.1}{}Z",
            bottom - r,
            arc(right - r, bottom),
            x + r,
            arc(x, bottom - r)
        ),
        (false, true) => format!(
            "M{x:.1},{y:.1}H{:.1}{}V{:.1}{}H{x:.1}Z",
            right - r,
            arc(right, y + r),
            bottom - r,
            arc(right - r, bottom)
        ),
        (false, false) => format!(
            "M{right:.1},{y:.1}V{bottom:.1}H{:.1}{}V{:.1}{}Z",
            x + r,
            arc(x, bottom - r),
            y + r,
            arc(x + r, y)
        ),
    }
}

/// Every `skip`-th category label is written (1: all); Grafana's `xTickLabelSpacing` when set
/// (negative counts from the end), else as many as fit without overlapping.
fn label_step(count: usize, axis_length: f64, label_extent: f64, spacing: f64) -> usize {
    if spacing != 0.0 {
        let fitting = (axis_length / spacing.abs()).floor().max(1.0) as usize;
        return if count > fitting { count.div_ceil(fitting) } else { 1 };
    }
    ((count as f64 * label_extent / axis_length.max(1.0)).ceil() as usize).max(1)
}

/// The chart as markup: an SVG `width` × `height` CSS px and the legend under it.
pub fn barchart_markup(view: &BarChartView, (width, height): (f64, f64)) -> String {
    let legend = !view.legend.is_empty();
    let svg_height = (height - if legend { LEGEND_PX } else { 0.0 }).max(20.0);
    let vertical = match view.orientation {
        Orientation::Vertical => true,
        Orientation::Horizontal => false,
        Orientation::Auto => width >= height,
    };
    let (rotation, longest) =
        (view.x_tick_rotation, view.categories.iter().map(|c| c.chars().count()).max().unwrap_or(0));
    // Grafana cuts rotated labels to what fits in half the height.
    let max_chars = (vertical && rotation != 0.0).then(|| {
        view.x_tick_max_length.unwrap_or_else(|| {
            ((svg_height / 2.0 / rotation.to_radians().sin().abs() / 10.0) - 3.0).floor().max(1.0) as usize
        })
    });
    let label_of = |text: &str| match max_chars {
        Some(max) if text.chars().count() > max => {
            format!("{}...", text.chars().take(max).collect::<String>())
        }
        _ => text.to_string(),
    };
    let label_px = |chars: usize| chars as f64 * 12.0 * CHAR_EM;
    let shown_chars = max_chars.map_or(longest, |m| longest.min(m.saturating_add(3)));
    let (left, right, top, bottom) = if vertical {
        let rotated = rotation.to_radians().sin().abs() * label_px(shown_chars);
        (48.0, 8.0, 8.0, (20.0 + rotated).min(svg_height / 2.0))
    } else {
        // At most 30 % of the width, at least 30 px (a narrow panel gives the labels its 30 px).
        ((label_px(longest) + 10.0).min(width * 0.3).max(30.0), 12.0, 6.0, 20.0)
    };
    let plot = (left, top, (width - left - right).max(10.0), (svg_height - top - bottom).max(10.0));
    let (category_axis, value_length) =
        if vertical { ((plot.0, plot.2), plot.3) } else { ((plot.1, plot.3), plot.2) };
    let bars = bars(view, category_axis);
    let (mut low, mut high) =
        bars.iter().fold((0.0_f64, 0.0_f64), |(lo, hi), b| (lo.min(b.to), hi.max(b.to)));
    // uPlot pads an automatic range by a tenth on the side away from zero, which leaves room for
    // the value texts above the tallest bar; a share stays within 0 – 100 %.
    if view.stacking != Stacking::Percent {
        let pad = (high - low) * 0.1;
        (low, high) = (if low < 0.0 { low - pad } else { low }, if high > 0.0 { high + pad } else { high });
    }
    // The field's min and max when they leave a range to draw in (a min above the data does not).
    let (set_low, set_high) = (view.min.unwrap_or(low), view.max.unwrap_or(high));
    if set_low < set_high {
        (low, high) = (set_low, set_high);
    }
    let ticks =
        chart::nice_ticks(low, high, (value_length / if vertical { 40.0 } else { 80.0 }).max(2.0) as usize);
    let span = (ticks.max - ticks.min).max(f64::MIN_POSITIVE);
    // Along the value axis, in px from the plot's origin side.
    let value_px = |v: f64| ((v.max(ticks.min).min(ticks.max) - ticks.min) / span) * value_length;
    let mut svg = format!(
        "<svg class=\"barchart\" width=\"{width:.0}\" height=\"{svg_height:.0}\" viewBox=\"0 0 {width:.0} {svg_height:.0}\">"
    );
    for tick in &ticks.values {
        let text = escape(&units::format_value(&view.unit, *tick, view.decimals).to_string());
        let p = value_px(*tick);
        svg.push_str(&if vertical {
            grid_tick(Axis::Left, plot.1 + plot.3 - p, plot, &text)
        } else {
            grid_tick(Axis::Bottom, plot.0 + p, plot, &text)
        });
    }
    // Bars, a group per field.
    let rect = |bar: &Bar| {
        let (a, b) = (value_px(bar.from), value_px(bar.to));
        let (near, far) = (a.min(b), a.max(b));
        if vertical {
            (bar.start, plot.1 + plot.3 - far, bar.thickness, far - near)
        } else {
            (plot.0 + near, bar.start, far - near, bar.thickness)
        }
    };
    for (index, field) in view.fields.iter().enumerate() {
        let name = escape(&field.name);
        let _ = write!(svg, "<g class=\"barchart-field\" data-field=\"{name}\">");
        let on_top = view.stacking == Stacking::None
            || view.fields[index + 1..].iter().all(|f| f.values.iter().all(Option::is_none));
        for bar in bars.iter().filter(|b| b.field == index) {
            let (category, color) =
                (&view.categories[bar.category], css_color(&field.bar_colors[bar.category]));
            let (value, text) =
                (field.values[bar.category].unwrap_or(0.0), escape(&field.texts[bar.category]));
            let positive = bar.to >= bar.from;
            let radius = if on_top && view.stacking != Stacking::Percent {
                view.bar_radius * bar.thickness
            } else {
                0.0
            };
            let _ = write!(
                svg,
                "<path class=\"barchart-bar\" data-category=\"{}\" data-value=\"{value}\" d=\"{}\" fill=\"{color}\" fill-opacity=\"{}\" stroke=\"{color}\" stroke-width=\"{}\"><title>{}\n{name}: {text}</title></path>",
                escape(category),
                bar_path(vertical, rect(bar), radius, positive),
                field.fill_opacity,
                field.line_width,
                escape(category),
            );
        }
        svg.push_str("</g>");
    }
    svg.push_str(&value_labels(view, &bars, vertical, &rect, plot));
    // Category labels, as many as fit (or every `xTickLabelSpacing` px).
    let extent = if vertical && rotation == 0.0 { label_px(shown_chars) + 8.0 } else { 16.0 };
    let category_length = category_axis.1;
    let step = label_step(view.categories.len(), category_length, extent, view.x_tick_spacing);
    let count = view.categories.len();
    let from_end = view.x_tick_spacing < 0.0;
    for ((index, category), (offset, size)) in
        view.categories.iter().enumerate().zip(distribute(count, view.group_width))
    {
        let position = if from_end { count - 1 - index } else { index };
        if position % step != 0 {
            continue;
        }
        let centre = category_axis.0 + (offset + size / 2.0) * category_length;
        let text = escape(&label_of(category));
        let _ = if !vertical {
            write!(
                svg,
                "<text class=\"axis-label barchart-category\" data-index=\"{index}\" x=\"{:.1}\" y=\"{centre:.1}\" text-anchor=\"end\" dominant-baseline=\"central\">{text}</text>",
                plot.0 - 4.0
            )
        } else if rotation != 0.0 {
            let y = plot.1 + plot.3 + 6.0;
            write!(
                svg,
                "<text class=\"axis-label barchart-category\" data-index=\"{index}\" x=\"{centre:.1}\" y=\"{y:.1}\" text-anchor=\"{}\" dominant-baseline=\"central\" transform=\"rotate({} {centre:.1} {y:.1})\">{text}</text>",
                // Turned counter-clockwise for a positive angle, as uPlot turns them; either way
                // the text hangs below the axis from its tick.
                if rotation > 0.0 { "end" } else { "start" },
                -rotation
            )
        } else {
            write!(
                svg,
                "<text class=\"axis-label barchart-category\" data-index=\"{index}\" x=\"{centre:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{text}</text>",
                plot.1 + plot.3 + 14.0
            )
        };
    }
    svg.push_str("</svg>");
    if legend {
        svg.push_str(&legend_markup(
            view.legend.iter().map(|(label, color)| (label.as_str(), color.as_str())),
        ));
    }
    svg
}

/// The value texts: one size for all (the largest that fits every bar, as Grafana sizes them,
/// or `text.valueSize`), nothing below 8 px; beyond the bar's end, or inside a stacked segment;
/// in `auto`, a text overlapping one already written in its category is left out.
fn value_labels(
    view: &BarChartView,
    bars: &[Bar],
    vertical: bool,
    rect: &dyn Fn(&Bar) -> (f64, f64, f64, f64),
    plot: (f64, f64, f64, f64),
) -> String {
    if view.show_value == ShowValue::Never || bars.is_empty() {
        return String::new();
    }
    let stacked = view.stacking != Stacking::None;
    let text_of = |bar: &Bar| view.fields[bar.field].texts[bar.category].as_str();
    let offset = |bar: &Bar| {
        if vertical {
            (0.1 * bar.thickness).round().min(5.0)
        } else {
            (0.15 * bar.thickness).round().min(10.0)
        }
    };
    let size = view.value_size.unwrap_or_else(|| {
        bars.iter().fold(VALUE_FONT_MAX, |size, bar| {
            let (x, y, w, h) = rect(bar);
            let chars = text_of(bar).chars().count() as f64;
            let text_width_at_14 = chars * 14.0 * CHAR_EM;
            // The room beside the bar's end (inside the segment when stacked).
            let (room_along, room_across) = match (stacked, vertical) {
                (true, true) => (w * VALUE_FIT, h),
                (true, false) => (w, h * VALUE_FIT),
                (false, true) => (
                    w * VALUE_FIT,
                    if bar.to >= 0.0 { y - plot.1 } else { plot.1 + plot.3 - (y + h) } - offset(bar),
                ),
                (false, false) => (
                    if bar.to >= 0.0 { plot.0 + plot.2 - (x + w) } else { x - plot.0 } - offset(bar),
                    h * VALUE_FIT,
                ),
            };
            let fit = room_across.min(room_along / (text_width_at_14 + 2.0) * 14.0);
            size.min(fit.min(VALUE_FONT_MAX).round())
        })
    });
    if size < VALUE_FONT_MIN {
        return String::new();
    }
    let mut out = String::new();
    let mut written: Vec<(usize, (f64, f64, f64, f64))> = Vec::new();
    for bar in bars {
        let text = text_of(bar);
        let (x, y, w, h) = rect(bar);
        let text_width = text.chars().count() as f64 * size * CHAR_EM;
        let negative = bar.to < bar.from;
        let (tx, ty, anchor, baseline) = match (stacked, vertical, negative) {
            (true, _, _) => (x + w / 2.0, y + h / 2.0, "middle", "central"),
            (false, true, false) => (x + w / 2.0, y - offset(bar), "middle", "text-after-edge"),
            (false, true, true) => (x + w / 2.0, y + h + offset(bar), "middle", "text-before-edge"),
            (false, false, false) => (x + w + offset(bar), y + h / 2.0, "start", "central"),
            (false, false, true) => (x - offset(bar), y + h / 2.0, "end", "central"),
        };
        let left = match anchor {
            "start" => tx,
            "end" => tx - text_width,
            _ => tx - text_width / 2.0,
        };
        let top = match baseline {
            "text-after-edge" => ty - size,
            "text-before-edge" => ty,
            _ => ty - size / 2.0,
        };
        let bounds = (left, top, text_width, size);
        let overlaps = |(a, b): &(usize, (f64, f64, f64, f64))| {
            *a == bar.category
                && bounds.0 < b.0 + b.2
                && b.0 < bounds.0 + bounds.2
                && bounds.1 < b.1 + b.3
                && b.1 < bounds.1 + bounds.3
        };
        if view.show_value == ShowValue::Auto && written.iter().any(overlaps) {
            continue;
        }
        written.push((bar.category, bounds));
        let _ = write!(
            out,
            "<text class=\"barchart-value\" x=\"{tx:.1}\" y=\"{ty:.1}\" font-size=\"{size:.0}\" text-anchor=\"{anchor}\" dominant-baseline=\"{baseline}\">{}</text>",
            escape(text)
        );
    }
    out
}
