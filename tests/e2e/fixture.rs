//! The deterministic history the end-to-end Prometheus serves: an OpenMetrics file with explicit
//! timestamps, turned into TSDB blocks by `promtool tsdb create-blocks-from openmetrics`.
//!
//! One hour at a 15 s scrape interval, starting 2026-01-01T00:00:00Z: two counters, two gauges, a
//! histogram and a gauge with a ten-minute gap. The constants below are what tests may assert on.

use std::fmt::Write as _;

#[path = "hostile_payloads.rs"]
pub mod hostile_payloads;

pub const START_S: i64 = 1_767_225_600;
pub const END_S: i64 = START_S + 3_600;
pub const SCRAPE_S: i64 = 15;
/// `e2e_requests_total{code="200"}` grows by this much every scrape: rate = 3 / 15 s = 0.2 /s.
pub const OK_REQUESTS_PER_SCRAPE: i64 = 3;
pub const OK_REQUEST_RATE: f64 = 0.2;
/// `e2e_flaky_up` has no samples in [GAP_START_S, GAP_END_S).
pub const GAP_START_S: i64 = START_S + 20 * 60;
pub const GAP_END_S: i64 = START_S + 30 * 60;

fn timestamps() -> impl Iterator<Item = i64> {
    (START_S..=END_S).step_by(SCRAPE_S as usize)
}

/// The OpenMetrics text. Each metric family is contiguous and each series' samples are in time
/// order, as the format requires.
pub fn openmetrics() -> String {
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };

    line("# HELP e2e_requests Requests handled.".into());
    line("# TYPE e2e_requests counter".into());
    for (code, per_scrape) in [("200", OK_REQUESTS_PER_SCRAPE), ("500", 1)] {
        for (i, t) in timestamps().enumerate() {
            line(format!("e2e_requests_total{{job=\"api\",code=\"{code}\"}} {} {t}", i as i64 * per_scrape));
        }
    }

    line("# HELP e2e_temperature_celsius A sawtooth temperature per sensor.".into());
    line("# TYPE e2e_temperature_celsius gauge".into());
    for (i, t) in timestamps().enumerate() {
        line(format!("e2e_temperature_celsius{{sensor=\"a\"}} {} {t}", 20 + i % 12));
    }
    for (i, t) in timestamps().enumerate() {
        line(format!("e2e_temperature_celsius{{sensor=\"b\"}} {} {t}", 30.0 - (i % 8) as f64 * 0.5));
    }

    line("# HELP e2e_request_duration_seconds Request latency.".into());
    line("# TYPE e2e_request_duration_seconds histogram".into());
    // Per scrape: 2 requests ≤ 0.1 s, 3 in (0.1, 0.5], 1 in (0.5, 1]; sum grows by 1.7 s.
    for (i, t) in timestamps().enumerate() {
        let n = i as i64;
        for (le, cumulative) in [("0.1", 2), ("0.5", 5), ("1.0", 6), ("+Inf", 6)] {
            line(format!("e2e_request_duration_seconds_bucket{{le=\"{le}\"}} {} {t}", n * cumulative));
        }
        line(format!("e2e_request_duration_seconds_count {} {t}", n * 6));
        let mut sum = String::new();
        let _ = write!(sum, "{:.1}", n as f64 * 1.7);
        line(format!("e2e_request_duration_seconds_sum {sum} {t}"));
    }

    line("# HELP e2e_flaky_up A target that disappears for ten minutes.".into());
    line("# TYPE e2e_flaky_up gauge".into());
    for t in timestamps().filter(|t| !(GAP_START_S..GAP_END_S).contains(t)) {
        line(format!("e2e_flaky_up{{instance=\"flaky:9100\"}} 1 {t}"));
    }
    // Label values a hostile scrape target chose (issue 14): every payload of the corpus, each a
    // series sampled every five minutes.
    line("# HELP e2e_hostile_info Series whose label values are hostile payloads.".into());
    line("# TYPE e2e_hostile_info gauge".into());
    let mut seen = std::collections::HashSet::new();
    for (index, (_, payload)) in hostile_payloads::all().iter().enumerate() {
        if !seen.insert(payload.clone()) {
            continue;
        }
        let escaped = payload.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
        for t in timestamps().step_by(20) {
            line(format!("e2e_hostile_info{{index=\"{index:03}\",payload=\"{escaped}\"}} 1 {t}"));
        }
    }
    line("# EOF".into());
    out
}

/// The same history in Prometheus's text format with millisecond timestamps, as VictoriaMetrics'
/// `/api/v1/import/prometheus` takes it; without the hostile series (their scenario runs on
/// Prometheus).
pub fn prometheus_text() -> String {
    openmetrics()
        .lines()
        .filter(|line| !line.starts_with('#') && !line.starts_with("e2e_hostile_info"))
        .filter_map(|line| {
            let (sample, seconds) = line.rsplit_once(' ')?;
            Some(format!("{sample} {}000\n", seconds))
        })
        .collect()
}
