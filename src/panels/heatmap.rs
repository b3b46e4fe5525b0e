//! The heatmap panel for Prometheus histograms, pure: series with an `le` label become buckets
//! (ordered by their upper bound, `+Inf` last; with `format: heatmap` the cumulative counts become
//! per-bucket counts, as Grafana's Prometheus datasource does), then cells — one per bucket and
//! sample time — coloured on the panel's scheme with Grafana's exponential scale. The app draws the
//! cells as SVG rectangles.

use crate::field::{DisplaySeries, Theme};
use crate::sorting;
use serde_json::Value;

/// Buckets over time: `counts[bucket][time]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Buckets {
    /// Each bucket's upper bound as Prometheus wrote it (`0.1`, `+Inf`).
    pub bounds: Vec<String>,
    pub times_ms: Vec<f64>,
    pub counts: Vec<Vec<f64>>,
}

fn bound_value(le: &str) -> f64 {
    match le.trim() {
        "+Inf" | "Inf" | "inf" => f64::INFINITY,
        other => other.parse().unwrap_or(f64::NAN),
    }
}

/// The buckets of a panel's series, or `None` when they are not a histogram (no `le` labels).
/// `cumulative`: the series are Prometheus's cumulative `_bucket` series (`format: heatmap`), each
/// bucket then loses the one below it.
pub fn buckets(series: &[DisplaySeries], cumulative: bool) -> Option<Buckets> {
    let mut bucketed: Vec<(&str, &DisplaySeries)> =
        series.iter().map(|s| Some((s.labels.get("le")?.as_str(), s))).collect::<Option<_>>()?;
    if bucketed.is_empty() {
        return None;
    }
    sorting::sort_by(&mut bucketed, |a, b| bound_value(a.0).total_cmp(&bound_value(b.0)));
    let mut times_ms: Vec<f64> =
        bucketed.iter().flat_map(|(_, s)| s.points_ms.iter().map(|(t, _)| *t)).collect();
    times_ms.sort_by(f64::total_cmp);
    times_ms.dedup();
    let value_at = |s: &DisplaySeries, t: f64| {
        let index = s.points_ms.partition_point(|(time, _)| *time < t);
        s.points_ms.get(index).filter(|(time, _)| *time == t).map_or(f64::NAN, |(_, v)| *v)
    };
    let mut counts: Vec<Vec<f64>> =
        bucketed.iter().map(|(_, s)| times_ms.iter().map(|t| value_at(s, *t)).collect()).collect();
    if cumulative {
        // From the top down, so each bucket subtracts the cumulative count below it.
        for bucket in (1..counts.len()).rev() {
            let (lower, upper) = counts.split_at_mut(bucket);
            for (here, below) in upper[0].iter_mut().zip(&lower[bucket - 1]) {
                if below.is_finite() && here.is_finite() {
                    *here = (*here - below).max(0.0);
                }
            }
        }
    }
    Some(Buckets { bounds: bucketed.iter().map(|(le, _)| le.to_string()).collect(), times_ms, counts })
}

/// Colour schemes by Grafana's names, as stops from light to dark (ColorBrewer's sequential schemes,
/// which d3-scale-chromatic and Grafana use), and whether Grafana inverts them on a dark theme
/// (promboard's): the sequential ones, so that more is brighter against the dark background. An
/// unknown name falls back to Oranges, Grafana's default.
fn scheme_stops(name: &str) -> (&'static [(u8, u8, u8)], bool) {
    let stops: &'static [(u8, u8, u8)] = match name {
        "Blues" => &[(247, 251, 255), (198, 219, 239), (107, 174, 214), (33, 113, 181), (8, 48, 107)],
        "Greens" => &[(247, 252, 245), (199, 233, 192), (116, 196, 118), (35, 139, 69), (0, 68, 27)],
        "Reds" => &[(255, 245, 240), (252, 187, 161), (251, 106, 74), (203, 24, 29), (103, 0, 13)],
        "Purples" => &[(252, 251, 253), (218, 218, 235), (158, 154, 200), (106, 81, 163), (63, 0, 125)],
        "Greys" => &[(255, 255, 255), (217, 217, 217), (150, 150, 150), (82, 82, 82), (0, 0, 0)],
        "YlOrRd" => &[(255, 255, 204), (254, 217, 118), (253, 141, 60), (227, 26, 28), (128, 0, 38)],
        "Warm" => &[(110, 64, 170), (191, 60, 175), (254, 75, 131), (255, 120, 71), (226, 183, 47)],
        _ => &[(255, 245, 235), (253, 208, 162), (253, 141, 60), (217, 72, 1), (127, 39, 4)],
    };
    // Warm runs dark to light already; Grafana leaves it as it is on dark themes.
    (stops, name != "Warm")
}

/// Grafana's default heatmap colours: the Oranges scheme, exponential scale with exponent 0.5.
#[derive(Debug, Clone, PartialEq)]
pub struct ColorScale {
    stops: &'static [(u8, u8, u8)],
    exponent: f64,
    /// Whether the top of the scale takes the first stop.
    inverted: bool,
}

impl ColorScale {
    /// The scale `options.color` asks for, on `theme` (some schemes run the other way on dark).
    pub fn from_options(options: &Value, theme: Theme) -> ColorScale {
        let color = options.get("color");
        let text = |key: &str| color.and_then(|c| c.get(key)).and_then(Value::as_str);
        let exponent = if text("scale") == Some("linear") {
            1.0
        } else {
            color.and_then(|c| c.get("exponent")).and_then(Value::as_f64).filter(|e| *e > 0.0).unwrap_or(0.5)
        };
        let (stops, invert_on_dark) = scheme_stops(text("scheme").unwrap_or("Oranges"));
        let reverse = color.and_then(|c| c.get("reverse")).and_then(Value::as_bool) == Some(true);
        let dark = !theme.is_light();
        ColorScale { stops, exponent, inverted: (invert_on_dark && dark) != reverse }
    }

    /// The colour for `value` between `min` and `max`, as `#rrggbb`.
    pub fn color(&self, value: f64, min: f64, max: f64) -> String {
        let share = if max > min { ((value - min) / (max - min)).clamp(0.0, 1.0) } else { 1.0 };
        let mut share = share.powf(self.exponent);
        if self.inverted {
            share = 1.0 - share;
        }
        let position = share * (self.stops.len() - 1) as f64;
        let index = (position.floor() as usize).min(self.stops.len() - 2);
        let fraction = position - index as f64;
        let (a, b) = (self.stops[index], self.stops[index + 1]);
        let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * fraction).round() as u8;
        format!("#{:02x}{:02x}{:02x}", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }
}

/// One cell in SVG user units (the panel body's CSS pixels).
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapCell {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub color: String,
    pub count: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapView {
    pub cells: Vec<HeatmapCell>,
    /// Bucket labels at the middle of their rows: (y, text).
    pub y_labels: Vec<(f64, String)>,
    /// Where the plot is inside the body.
    pub plot_left: f64,
    pub plot_bottom: f64,
}

/// Lays the buckets out in a `width` × `height` body: rows bottom (lowest bucket) to top, a
/// column per sample, `cellGap` pixels between cells (Grafana's default 1), zero counts left
/// empty when `hideZeroBuckets`-style filtering asks (`filterValues.le`).
pub fn heatmap_view(
    buckets: &Buckets,
    options: &Value,
    width: f64,
    height: f64,
    theme: Theme,
) -> HeatmapView {
    let label_width = buckets.bounds.iter().map(|b| b.len()).max().unwrap_or(1) as f64 * 7.0 + 8.0;
    let (plot_left, plot_top, plot_bottom) = (label_width, 4.0, (height - 20.0).max(8.0));
    let plot_width = (width - plot_left - 4.0).max(1.0);
    let rows = buckets.bounds.len().max(1);
    let columns = buckets.times_ms.len().max(1);
    let row_height = (plot_bottom - plot_top) / rows as f64;
    let column_width = plot_width / columns as f64;
    let gap = options.get("cellGap").and_then(Value::as_f64).unwrap_or(1.0).clamp(0.0, 25.0);
    let hide_at_or_below = options.pointer("/filterValues/le").and_then(Value::as_f64);
    let scale = ColorScale::from_options(options, theme);
    let finite = buckets.counts.iter().flatten().copied().filter(|c| c.is_finite());
    let (min, max) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), c| (lo.min(c), hi.max(c)));
    let mut cells = Vec::new();
    for (row, counts) in buckets.counts.iter().enumerate() {
        let y = plot_bottom - (row + 1) as f64 * row_height;
        for (column, count) in counts.iter().enumerate() {
            if !count.is_finite() || hide_at_or_below.is_some_and(|limit| *count <= limit) {
                continue;
            }
            cells.push(HeatmapCell {
                x: plot_left + column as f64 * column_width,
                y: y + gap / 2.0,
                width: (column_width - gap).max(0.5),
                height: (row_height - gap).max(0.5),
                color: scale.color(*count, min.min(0.0), max),
                count: *count,
            });
        }
    }
    let y_labels = buckets
        .bounds
        .iter()
        .enumerate()
        .map(|(row, bound)| (plot_bottom - (row as f64 + 0.5) * row_height, bound.clone()))
        .collect();
    HeatmapView { cells, y_labels, plot_left, plot_bottom }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Rgb;
    use serde_json::json;

    fn bucket(le: &str, values: &[f64]) -> DisplaySeries {
        DisplaySeries {
            ref_id: "A".into(),
            name: le.into(),
            labels: [("le".to_string(), le.to_string())].into(),
            color: Rgb(0, 0, 0),
            points_ms: values
                .iter()
                .enumerate()
                .map(|(i, v)| (i as f64 * 1000.0, *v))
                .collect::<Vec<_>>()
                .into(),
            last_not_null: values.last().copied(),
        }
    }

    #[test]
    fn cumulative_buckets_become_counts_per_bucket_in_bound_order() {
        let series = [bucket("+Inf", &[6.0, 12.0]), bucket("0.5", &[5.0, 10.0]), bucket("0.1", &[2.0, 4.0])];
        let buckets = buckets(&series, true).expect("a histogram");
        assert_eq!(buckets.bounds, ["0.1", "0.5", "+Inf"]);
        assert_eq!(buckets.counts, [vec![2.0, 4.0], vec![3.0, 6.0], vec![1.0, 2.0]]);
        let as_is = super::buckets(&series, false).expect("a histogram");
        assert_eq!(as_is.counts[2], [6.0, 12.0]);
        let not_a_histogram = [DisplaySeries { labels: Default::default(), ..bucket("x", &[1.0]) }];
        assert_eq!(super::buckets(&not_a_histogram, true), None);
    }

    #[test]
    fn cells_fill_the_plot_and_darken_with_counts() {
        let series = [bucket("0.1", &[0.0, 4.0]), bucket("1", &[1.0, 2.0])];
        let buckets = buckets(&series, false).expect("a histogram");
        let view = heatmap_view(
            &buckets,
            &json!({"cellGap": 0, "filterValues": {"le": 1e-9}}),
            200.0,
            100.0,
            Theme::Dark,
        );
        // The zero cell is hidden by the filter; three remain.
        assert_eq!(view.cells.len(), 3);
        let biggest = view.cells.iter().find(|c| c.count == 4.0).expect("the 4");
        let smallest = view.cells.iter().find(|c| c.count == 1.0).expect("the 1");
        let brightness = |hex: &str| {
            (1..7).step_by(2).map(|i| u32::from_str_radix(&hex[i..i + 2], 16).unwrap()).sum::<u32>()
        };
        assert!(brightness(&biggest.color) > brightness(&smallest.color), "more is brighter on a dark theme");
        // The lowest bucket is the bottom row; labels sit mid-row.
        assert!(biggest.y > smallest.y);
        assert_eq!(view.y_labels[0].1, "0.1");
        assert!(view.y_labels[0].0 > view.y_labels[1].0);
        assert_eq!(ColorScale::from_options(&json!({}), Theme::Dark).color(1.0, 0.0, 1.0), "#fff5eb");
        let reversed = json!({"color": {"scheme": "Oranges", "reverse": true}});
        assert_eq!(ColorScale::from_options(&reversed, Theme::Dark).color(1.0, 0.0, 1.0), "#7f2704");
    }
}
