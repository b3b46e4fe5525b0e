//! The histories the benchmark's Prometheus serves, written as OpenMetrics for promtool. Everything
//! is deterministic except where the node history ends (now, so that relative ranges such as Node
//! Exporter Full's `now-24h` and the idle dashboard's `now-1h` find data).

use std::io::Write;

pub type Out<'a> = std::io::BufWriter<std::fs::File>;

/// One scrape of a real node exporter (prometheus-node-exporter 1.5 on a 2-core VM), replayed.
const NODE_SCRAPE: &str = include_str!("../data/node-exporter.prom");
pub const NODE_JOB: &str = "node";
pub const NODE_INSTANCE: &str = "bench-host:9100";
pub const NODE_SCRAPE_S: i64 = 15;
pub const NODE_HISTORY_S: i64 = 24 * 3600;

/// `bench_many{series=…}`: 1,000 series × 1,100 samples, 60 s apart.
pub const MANY_SERIES: usize = 1_000;
pub const MANY_POINTS: usize = 1_100;
pub const MANY_STEP_S: i64 = 60;
/// `bench_dense{series=…}`: 200 series × 11,000 samples, 15 s apart.
pub const DENSE_SERIES: usize = 200;
pub const DENSE_POINTS: usize = 11_000;
pub const DENSE_STEP_S: i64 = 15;
/// Where the synthetic series start: 2026-01-01T00:00:00Z.
pub const SYNTHETIC_START_S: i64 = 1_767_225_600;

/// A stable small hash for per-series variation.
fn hash(text: &str) -> f64 {
    let mut h: u64 = 1469598103934665603;
    for byte in text.bytes() {
        h = (h ^ u64::from(byte)).wrapping_mul(1099511628211);
    }
    (h % 10_000) as f64 / 10_000.0
}

struct NodeSeries {
    name: String,
    labels: String,
    value: f64,
    monotonic: bool,
}

fn node_series() -> Vec<NodeSeries> {
    let mut monotonic_families: Vec<String> = Vec::new();
    let mut series = Vec::new();
    for line in NODE_SCRAPE.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let mut parts = rest.split_whitespace();
            if let (Some(family), Some(kind)) = (parts.next(), parts.next())
                && matches!(kind, "counter" | "summary" | "histogram")
            {
                monotonic_families.push(family.to_string());
            }
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (selector, value) = line.rsplit_once(' ').unwrap_or((line, "0"));
        let Ok(value) = value.parse::<f64>() else { continue };
        let (name, labels) = match selector.split_once('{') {
            Some((name, labels)) => (name.to_string(), labels.trim_end_matches('}').to_string()),
            None => (selector.to_string(), String::new()),
        };
        // Counters and the _sum/_count of summaries and histograms only grow; quantiles do not.
        let monotonic = monotonic_families.iter().any(|family| {
            name == *family
                || (name.starts_with(family.as_str())
                    && matches!(&name[family.len()..], "_sum" | "_count" | "_bucket" | "_total"))
        }) && !labels.contains("quantile=");
        series.push(NodeSeries { name, labels, value, monotonic });
    }
    series
}

/// How many series the node history has.
pub fn node_series_count() -> usize {
    node_series().len()
}

/// 24 hours of the node exporter's series ending at `end_s`, one sample every 15 s: counters grow
/// at a rate that drifts during the day, gauges wander ±5 % around the scraped value, info metrics
/// stay 1.
/// The replayed node exporter's series, every 15 s for `history_s` up to `end_s`.
pub fn node_history(out: &mut Out, end_s: i64, history_s: i64) -> std::io::Result<()> {
    let start_s = end_s - history_s;
    let mut series = node_series();
    // OpenMetrics wants each family's samples together.
    series.sort_by(|a, b| a.name.cmp(&b.name));
    let mut previous_name = String::new();
    for s in &series {
        if s.name != previous_name {
            writeln!(out, "# TYPE {} gauge", s.name)?;
            previous_name.clone_from(&s.name);
        }
        let extra = format!("instance=\"{NODE_INSTANCE}\",job=\"{NODE_JOB}\"");
        let labels = if s.labels.is_empty() { extra } else { format!("{},{extra}", s.labels) };
        let phase = hash(&format!("{}{{{}}}", s.name, s.labels)) * std::f64::consts::TAU;
        let rate = (s.value.abs() / 1.0e5).max(0.01) * (0.5 + hash(&s.labels));
        let mut total = s.value;
        for (i, t) in (start_s..=end_s).step_by(NODE_SCRAPE_S as usize).enumerate() {
            let wave = (i as f64 / 240.0 + phase).sin();
            let value = if s.monotonic {
                total += rate * NODE_SCRAPE_S as f64 * (1.0 + 0.8 * wave);
                total
            } else if s.value == 0.0 || s.value == 1.0 {
                s.value
            } else {
                s.value * (1.0 + 0.05 * wave)
            };
            writeln!(out, "{}{{{labels}}} {value} {t}", s.name)?;
        }
    }
    Ok(())
}

fn synthetic(out: &mut Out, name: &str, series: usize, points: usize, step_s: i64) -> std::io::Result<()> {
    writeln!(out, "# TYPE {name} gauge")?;
    for s in 0..series {
        let phase = s as f64 * 0.37;
        for i in 0..points {
            let t = SYNTHETIC_START_S + i as i64 * step_s;
            let value =
                100.0 + s as f64 + 40.0 * (i as f64 / 60.0 + phase).sin() + 5.0 * ((i * 7 + s) % 11) as f64;
            writeln!(out, "{name}{{series=\"{s}\"}} {value} {t}")?;
        }
    }
    Ok(())
}

/// Both synthetic families, then the end marker.
pub fn synthetic_history(out: &mut Out) -> std::io::Result<()> {
    synthetic(out, "bench_many", MANY_SERIES, MANY_POINTS, MANY_STEP_S)?;
    synthetic(out, "bench_dense", DENSE_SERIES, DENSE_POINTS, DENSE_STEP_S)
}
