//! Grafana's histogram panel: the values of every series counted in buckets, the bars of each
//! series over the same buckets (or one "Count" for `combine`), drawn as SVG markup. The bucket
//! size is the panel's `bucketSize`, or chosen as Grafana's histogram transformer chooses it: the
//! first of its nice sizes above (range / `bucketCount`, 30 by default) that is not smaller than
//! the smallest gap between two values; buckets start at multiples of the size from
//! `bucketOffset`. Pure.

use crate::chart;
use crate::field::DisplaySeries;
use crate::field::overrides;
use crate::field::units;
use crate::json::lenient_f64;
use crate::panels::options::legend_shown;
use serde_json::Value;

/// Grafana's bucket sizes: 1, 2, 2.5, 4 and 5 times each power of ten from 1e-9 to 1e9 (2.5
/// left out at 1).
fn nice_sizes() -> impl Iterator<Item = f64> {
    (-9..=9).flat_map(|power: i32| {
        let scale = 10f64.powi(power);
        [1.0, 2.0, 2.5, 4.0, 5.0].into_iter().filter(move |m| power != 0 || *m != 2.5).map(move |m| m * scale)
    })
}

/// `value` rounded to `decimals` places, as Grafana's roundDecimals.
fn round_decimals(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

/// The histogram of the values, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramView {
    /// Each bucket's lower edge, ascending; every bucket is `bucket_size` wide.
    pub buckets: Vec<f64>,
    pub bucket_size: f64,
    /// Each counted series: its name, colour and one count per bucket.
    pub counts: Vec<(String, String, Vec<u64>)>,
    pub unit: String,
    pub fill_opacity: f64,
    pub show_legend: bool,
}

/// The panel's histogram of `series`.
pub fn histogram_view(series: &[DisplaySeries], options: &Value, field_config: &Value) -> HistogramView {
    let number = |key: &str| lenient_f64(options.get(key)).filter(|v| v.is_finite());
    let values: Vec<Vec<f64>> = series
        .iter()
        .map(|s| s.points_ms.iter().map(|(_, v)| *v).filter(|v| v.is_finite()).collect())
        .collect();
    let mut all: Vec<f64> = values.iter().flatten().copied().collect();
    all.sort_by(f64::total_cmp);
    let bucket_count = number("bucketCount").filter(|c| *c > 0.0).unwrap_or(30.0);
    let offset = number("bucketOffset").unwrap_or(0.0);
    let bucket_size = number("bucketSize").filter(|s| *s > 0.0).unwrap_or_else(|| {
        let smallest_gap = if all.len() == 1 {
            1.0
        } else {
            all.windows(2).map(|w| w[1] - w[0]).filter(|d| *d != 0.0).fold(f64::INFINITY, f64::min)
        };
        let target = match (all.first(), all.last()) {
            (Some(min), Some(max)) => (max - min) / bucket_count,
            _ => 0.0,
        };
        // Past Grafana's largest size (values in the billions), the size that gives the count.
        nice_sizes().find(|size| target < *size && *size >= smallest_gap).unwrap_or(if target > 0.0 {
            target.max(smallest_gap)
        } else {
            1.0
        })
    });
    let bucket_of = |v: f64| round_decimals(((v - offset) / bucket_size).floor() * bucket_size + offset, 9);
    let mut buckets: Vec<f64> = all.iter().map(|v| bucket_of(*v)).collect();
    buckets.dedup();
    let count_in = |values: &[f64]| -> Vec<u64> {
        let mut counts = vec![0_u64; buckets.len()];
        for v in values {
            if let Ok(index) = buckets.binary_search_by(|b| b.total_cmp(&bucket_of(*v))) {
                counts[index] += 1;
            }
        }
        counts
    };
    let fields = overrides::series_fields(field_config, series);
    let combine = options.get("combine").and_then(Value::as_bool) == Some(true);
    let counts = if combine {
        vec![(
            "Count".to_string(),
            series.first().map_or_else(|| "#73bf69".into(), |s| s.color.to_css()),
            count_in(&all),
        )]
    } else {
        series
            .iter()
            .zip(&values)
            .zip(&fields)
            .map(|((s, values), (_, name))| (name.clone(), s.color.to_css(), count_in(values)))
            .collect()
    };
    let defaults = field_config.get("defaults");
    let custom = defaults.and_then(|d| d.get("custom"));
    HistogramView {
        buckets,
        bucket_size,
        counts,
        unit: defaults.and_then(|d| d.get("unit")).and_then(Value::as_str).unwrap_or("").to_string(),
        fill_opacity: lenient_f64(custom.and_then(|c| c.get("fillOpacity")))
            .unwrap_or(80.0)
            .clamp(0.0, 100.0)
            / 100.0,
        show_legend: legend_shown(options),
    }
}

/// The histogram as markup: an SVG `width` × `height` CSS px with the count axis on the left, the
/// buckets' edges below (in the field's unit) and a bar per bucket and series, and the legend.
/// Names come from Prometheus: every text is escaped.
pub fn histogram_markup(view: &HistogramView, (width, height): (f64, f64)) -> String {
    use crate::panels::svg::{Axis, css_color, grid_tick, legend_markup};
    use crate::panels::text::escape_html as escape;
    use std::fmt::Write as _;
    let (left, bottom, right, top) = (44.0, 20.0, 12.0, 6.0);
    let legend = view.show_legend && !view.counts.is_empty();
    let plot_height = (height - bottom - top - if legend { 22.0 } else { 0.0 }).max(10.0);
    let plot_width = (width - left - right).max(10.0);
    let most = view.counts.iter().flat_map(|(_, _, c)| c.iter().copied()).max().unwrap_or(0) as f64;
    let ticks = chart::nice_ticks(0.0, most.max(1.0), (plot_height / 40.0).max(2.0) as usize);
    let y_of = |count: f64| top + plot_height - (count / ticks.max.max(1.0)) * plot_height;
    let (low, high) = match (view.buckets.first(), view.buckets.last()) {
        (Some(low), Some(high)) => (*low, high + view.bucket_size),
        _ => (0.0, 1.0),
    };
    let x_of = |v: f64| left + (v - low) / (high - low).max(f64::MIN_POSITIVE) * plot_width;
    let svg_height = height - if legend { 22.0 } else { 0.0 };
    let mut svg = format!(
        "<svg width=\"{width:.0}\" height=\"{svg_height:.0}\" viewBox=\"0 0 {width:.0} {svg_height:.0}\">"
    );
    let plot = (left, top, plot_width, plot_height);
    for tick in &ticks.values {
        let label = units::format_value("short", *tick, None).to_string();
        svg.push_str(&grid_tick(Axis::Left, y_of(*tick), plot, &escape(&label)));
    }
    for (name, color, counts) in &view.counts {
        let (name, color) = (escape(name), css_color(color));
        let _ = write!(svg, "<g class=\"histogram-series\" data-series=\"{name}\">");
        for (bucket, count) in view.buckets.iter().zip(counts).filter(|(_, c)| **c > 0) {
            let (x0, x1) = (x_of(*bucket), x_of(bucket + view.bucket_size));
            let y = y_of(*count as f64);
            let _ = write!(
                svg,
                "<rect class=\"histogram-bar\" data-bucket=\"{bucket}\" data-count=\"{count}\" x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{color}\" fill-opacity=\"{}\" stroke=\"{color}\"><title>{name}: {count}</title></rect>",
                x0 + 0.5,
                (x1 - x0 - 1.0).max(1.0),
                top + plot_height - y,
                view.fill_opacity
            );
        }
        svg.push_str("</g>");
    }
    // Bucket edges, as many as fit.
    let every = ((view.buckets.len() as f64 * 60.0 / plot_width).ceil() as usize).max(1);
    for (index, edge) in view.buckets.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let _ = write!(
            svg,
            "<text class=\"axis-label\" data-index=\"{index}\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x_of(*edge),
            top + plot_height + 14.0,
            escape(&units::format_value(&view.unit, *edge, None).to_string())
        );
    }
    svg.push_str("</svg>");
    if legend {
        svg.push_str(&legend_markup(
            view.counts.iter().map(|(name, color, _)| (name.as_str(), color.as_str())),
        ));
    }
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Rgb;
    use serde_json::json;

    fn series(name: &str, values: &[f64]) -> DisplaySeries {
        let points: Vec<(f64, f64)> = values.iter().enumerate().map(|(i, v)| (i as f64, *v)).collect();
        DisplaySeries {
            ref_id: "A".into(),
            name: name.into(),
            labels: Default::default(),
            color: Rgb(0x73, 0xbf, 0x69),
            points_ms: std::sync::Arc::new(points),
            last_not_null: values.last().copied(),
        }
    }

    #[test]
    fn buckets_are_chosen_as_grafana_chooses_them() {
        // Range 9 over 30 buckets: 0.3 → the first nice size above is 0.4, but the smallest gap
        // between values is 0.5, so 0.5.
        let view = histogram_view(&[series("x", &[1.0, 1.5, 2.0, 10.0, f64::NAN])], &json!({}), &json!({}));
        assert_eq!(view.bucket_size, 0.5);
        assert_eq!(view.buckets, [1.0, 1.5, 2.0, 10.0]);
        assert_eq!(view.counts[0].2, [1, 1, 1, 1]);
        // An explicit size and offset.
        let view = histogram_view(
            &[series("x", &[1.0, 2.0, 3.0, 7.0])],
            &json!({"bucketSize": 5, "bucketOffset": 1}),
            &json!({}),
        );
        assert_eq!((view.buckets.clone(), view.counts[0].2.clone()), (vec![1.0, 6.0], vec![3, 1]));
        assert_eq!(nice_sizes().take(6).collect::<Vec<_>>(), [1e-9, 2e-9, 2.5e-9, 4e-9, 5e-9, 1e-8]);
        assert!(!nice_sizes().any(|s| s == 2.5));
    }

    #[test]
    fn series_share_buckets_or_combine_into_one_count() {
        let both = [series("a", &[20.0, 21.0, 21.0]), series("b", &[26.0, 30.0])];
        let apart = histogram_view(&both, &json!({"bucketSize": 2}), &json!({}));
        assert_eq!(apart.buckets, [20.0, 26.0, 30.0]);
        assert_eq!(
            apart.counts.iter().map(|c| c.2.clone()).collect::<Vec<_>>(),
            [vec![3, 0, 0], vec![0, 1, 1]]
        );
        let combined = histogram_view(&both, &json!({"bucketSize": 2, "combine": true}), &json!({}));
        assert_eq!(
            (combined.counts.len(), combined.counts[0].0.as_str(), combined.counts[0].2.clone()),
            (1, "Count", vec![3, 1, 1])
        );
        let markup = histogram_markup(&apart, (400.0, 200.0));
        assert_eq!(markup.matches("class=\"histogram-bar\"").count(), 3, "empty buckets draw nothing");
        assert!(markup.contains("data-count=\"3\""));
    }
}
