//! Axis ticks: "nice" numbers (1, 2, 5 × 10ⁿ) for values, calendar-aligned steps for time.

use crate::time;

/// Value ticks and the axis range they span.
#[derive(Debug, Clone, PartialEq)]
pub struct NiceTicks {
    pub min: f64,
    pub max: f64,
    pub spacing: f64,
    pub values: Vec<f64>,
}

/// Ticks covering `[low, high]` with at most `max_count` intervals; the axis is widened to the
/// outermost ticks. A flat series gets a range around its value.
pub fn nice_ticks(low: f64, high: f64, max_count: usize) -> NiceTicks {
    // A range below float noise (a quantile that is 0.7 ± 1e-16) is a flat line, not 10⁻¹⁶ ticks.
    let flat = high - low <= low.abs().max(high.abs()) * 1e-9;
    let (low, high) = if !flat {
        (low, high)
    } else if low == 0.0 {
        (0.0, 1.0)
    } else {
        let pad = low.abs() * 0.1;
        (low - pad, high + pad)
    };
    let raw_spacing = (high - low) / max_count.max(1) as f64;
    let magnitude = 10_f64.powf(raw_spacing.log10().floor());
    let spacing = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw_spacing)
        .unwrap_or(10.0 * magnitude);
    let min = (low / spacing).floor() * spacing;
    let max = (high / spacing).ceil() * spacing;
    let count = ((max - min) / spacing).round() as usize;
    // Computing each tick from its index (not by repeated addition) keeps 0.1 + 0.2 drift out.
    let values = (0..=count).map(|i| clean(min + i as f64 * spacing, spacing)).collect();
    NiceTicks { min, max, spacing, values }
}

/// Rounds away the binary noise below a tenth of the spacing.
fn clean(value: f64, spacing: f64) -> f64 {
    let precision = 10_f64.powf((spacing.log10().floor() - 2.0).min(0.0));
    let rounded = (value / precision).round() * precision;
    if rounded == 0.0 { 0.0 } else { rounded }
}

const SECOND: f64 = 1_000.0;
const MINUTE: f64 = 60.0 * SECOND;
const HOUR: f64 = 60.0 * MINUTE;
const DAY: f64 = 24.0 * HOUR;

/// Time ticks in `[from_ms, to_ms]`, aligned in local time (`utc_offset_minutes` east of UTC), with
/// Grafana-like labels: `HH:mm:ss` for second steps, `HH:mm` within a day, `MM/DD HH:mm` beyond, and
/// `MM/DD` for day steps.
pub fn time_ticks(from_ms: f64, to_ms: f64, max_count: usize, utc_offset_minutes: i32) -> Vec<(f64, String)> {
    const STEPS: &[f64] = &[
        SECOND,
        2.0 * SECOND,
        5.0 * SECOND,
        10.0 * SECOND,
        15.0 * SECOND,
        30.0 * SECOND,
        MINUTE,
        2.0 * MINUTE,
        5.0 * MINUTE,
        10.0 * MINUTE,
        15.0 * MINUTE,
        30.0 * MINUTE,
        HOUR,
        2.0 * HOUR,
        3.0 * HOUR,
        6.0 * HOUR,
        12.0 * HOUR,
        DAY,
        2.0 * DAY,
        7.0 * DAY,
        14.0 * DAY,
        30.0 * DAY,
    ];
    if to_ms <= from_ms || max_count == 0 {
        return Vec::new();
    }
    let range = to_ms - from_ms;
    let step = STEPS.iter().copied().find(|s| range / s <= max_count as f64).unwrap_or(365.0 * DAY);
    let offset = f64::from(utc_offset_minutes) * MINUTE;
    let first = ((from_ms + offset) / step).ceil() * step - offset;
    let count = ((to_ms - first) / step).floor().max(-1.0) as i64;
    (0..=count)
        .map(|i| {
            let t = first + i as f64 * step;
            (t, format_time_label(t + offset, step, range))
        })
        .collect()
}

/// `local_ms` is already shifted into local time.
fn format_time_label(local_ms: f64, step: f64, range: f64) -> String {
    let total_seconds = (local_ms / SECOND).floor() as i64;
    let days = total_seconds.div_euclid(86_400);
    let seconds_of_day = total_seconds.rem_euclid(86_400);
    let (hour, minute, second) = (seconds_of_day / 3600, seconds_of_day % 3600 / 60, seconds_of_day % 60);
    let (_, month, day) = time::civil_from_days(days);
    if step >= DAY {
        format!("{month:02}/{day:02}")
    } else if step < MINUTE {
        format!("{hour:02}:{minute:02}:{second:02}")
    } else if range > DAY {
        format!("{month:02}/{day:02} {hour:02}:{minute:02}")
    } else {
        format!("{hour:02}:{minute:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time;

    #[test]
    fn nice_value_ticks() {
        let ticks = nice_ticks(0.13, 0.87, 5);
        assert_eq!(ticks.spacing, 0.2);
        assert_eq!(ticks.values, vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        let ticks = nice_ticks(-3.0, 47.0, 4);
        assert_eq!((ticks.min, ticks.max, ticks.spacing), (-20.0, 60.0, 20.0));
        let flat = nice_ticks(5.0, 5.0, 4);
        assert!(flat.min < 5.0 && flat.max > 5.0, "{flat:?}");
        let noisy = nice_ticks(0.7, 0.7000000000000001, 4);
        assert!(noisy.min < 0.7 && noisy.max > 0.7 && noisy.spacing > 0.01, "{noisy:?}");
        let zero = nice_ticks(0.0, 0.0, 4);
        assert_eq!((zero.min, zero.max), (0.0, 1.0));
    }

    #[test]
    fn time_ticks_align_to_local_minutes() {
        // 2026-01-01T00:00:00Z plus one hour, eight labels at most: a 10 minute step.
        let from = 1_767_225_600_000.0;
        let ticks = time_ticks(from, from + HOUR, 8, 0);
        let labels: Vec<&str> = ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, vec!["00:00", "00:10", "00:20", "00:30", "00:40", "00:50", "01:00"]);
        // At UTC+05:30 the same instants are labelled in local time, aligned to local 10 minutes.
        let ticks = time_ticks(from, from + HOUR, 8, 330);
        assert_eq!(ticks[0].1, "05:30");
    }

    #[test]
    fn multi_day_labels_show_the_date() {
        let from = 1_767_225_600_000.0;
        let ticks = time_ticks(from, from + 7.0 * DAY, 8, 0);
        assert_eq!(ticks[0].1, "01/01");
        let ticks = time_ticks(from, from + 2.0 * DAY, 8, 0);
        assert_eq!(ticks[1].1, "01/01 06:00");
    }

    #[test]
    fn civil_dates() {
        assert_eq!(time::civil_from_days(0), (1970, 1, 1));
        assert_eq!(time::civil_from_days(20_454), (2026, 1, 1));
        assert_eq!(time::civil_from_days(-1), (1969, 12, 31));
        assert_eq!(time::civil_from_days(11_016), (2000, 2, 29));
    }
}
