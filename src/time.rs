//! Time ranges: Grafana's relative expressions (`now-6h`), absolute epoch milliseconds, and the quick
//! ranges of the time picker. Pure: "now" is always passed in, never read from a clock here.
//!
//! Issue 4 extends this to full date maths (`now/d`, ISO dates, time zones).

/// The quick ranges of Grafana's time picker that the toolbar offers, as `(from, label)`; `to` is `now`.
pub const QUICK_RANGES: &[(&str, &str)] = &[
    ("now-5m", "Last 5 minutes"),
    ("now-15m", "Last 15 minutes"),
    ("now-30m", "Last 30 minutes"),
    ("now-1h", "Last 1 hour"),
    ("now-3h", "Last 3 hours"),
    ("now-6h", "Last 6 hours"),
    ("now-12h", "Last 12 hours"),
    ("now-24h", "Last 24 hours"),
    ("now-2d", "Last 2 days"),
    ("now-7d", "Last 7 days"),
];

/// Grafana's default auto-refresh choices (`timepicker.refresh_intervals`).
pub const REFRESH_INTERVALS: &[&str] = &["5s", "10s", "30s", "1m", "5m", "15m", "30m", "1h", "2h", "1d"];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("time expression {0:?} is not understood (expected now, now-6h, or epoch milliseconds)")]
    Unparsed(String),
    #[error("time range {from:?} to {to:?} is empty or reversed")]
    Reversed { from: String, to: String },
}

/// An absolute range in epoch milliseconds, `from_ms < to_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    pub from_ms: i64,
    pub to_ms: i64,
}

impl TimeRange {
    /// Resolves a raw `from`/`to` pair (as in the URL or the dashboard's `time`) at `now_ms`.
    pub fn resolve(from: &str, to: &str, now_ms: i64) -> Result<TimeRange, TimeError> {
        let from_ms = resolve_time_expression(from, now_ms)?;
        let to_ms = resolve_time_expression(to, now_ms)?;
        if from_ms >= to_ms {
            return Err(TimeError::Reversed { from: from.to_string(), to: to.to_string() });
        }
        Ok(TimeRange { from_ms, to_ms })
    }

    pub fn duration_ms(&self) -> i64 {
        self.to_ms - self.from_ms
    }
}

/// `now`, `now-5m`, `now+1h`, or epoch milliseconds. Units: s m h d w M (30 d) y (365 d).
pub fn resolve_time_expression(expression: &str, now_ms: i64) -> Result<i64, TimeError> {
    let expression = expression.trim();
    let unparsed = || TimeError::Unparsed(expression.to_string());
    if let Ok(epoch_ms) = expression.parse::<i64>() {
        return Ok(epoch_ms);
    }
    let Some(rest) = expression.strip_prefix("now") else { return Err(unparsed()) };
    if rest.is_empty() {
        return Ok(now_ms);
    }
    let (sign, amount_and_unit) = match rest.split_at(1) {
        ("-", tail) => (-1, tail),
        ("+", tail) => (1, tail),
        _ => return Err(unparsed()),
    };
    let unit_start = amount_and_unit.find(|c: char| !c.is_ascii_digit()).ok_or_else(unparsed)?;
    let (amount, unit) = amount_and_unit.split_at(unit_start);
    let amount: i64 = if amount.is_empty() { 1 } else { amount.parse().map_err(|_| unparsed())? };
    let unit_ms = match unit {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 7 * 86_400_000,
        "M" => 30 * 86_400_000,
        "y" => 365 * 86_400_000,
        _ => return Err(unparsed()),
    };
    Ok(now_ms + sign * amount * unit_ms)
}

/// A human label for a raw range: the quick range's name, or the two ends, epoch milliseconds shown
/// as local date and time (`utc_offset_minutes` east of UTC), as Grafana's picker does.
pub fn describe_range(from: &str, to: &str, utc_offset_minutes: i32) -> String {
    if to == "now"
        && let Some((_, label)) = QUICK_RANGES.iter().find(|(quick_from, _)| *quick_from == from)
    {
        return (*label).to_string();
    }
    let show = |expression: &str| match expression.trim().parse::<i64>() {
        Ok(epoch_ms) => format_local_datetime(epoch_ms, utc_offset_minutes),
        Err(_) => expression.to_string(),
    };
    format!("{} to {}", show(from), show(to))
}

/// `YYYY-MM-DD HH:mm:ss` in local time.
pub fn format_local_datetime(epoch_ms: i64, utc_offset_minutes: i32) -> String {
    let local_s = epoch_ms.div_euclid(1000) + i64::from(utc_offset_minutes) * 60;
    let (year, month, day) = crate::chart::civil_from_days(local_s.div_euclid(86_400));
    let seconds = local_s.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000_000;

    #[test]
    fn relative_and_absolute_expressions() {
        let check = |expression: &str, expected: i64| {
            assert_eq!(resolve_time_expression(expression, NOW), Ok(expected), "{expression}");
        };
        check("now", NOW);
        check("now-6h", NOW - 6 * 3_600_000);
        check("now-5m", NOW - 300_000);
        check("now+1d", NOW + 86_400_000);
        check("now-7d", NOW - 7 * 86_400_000);
        check("1699990000000", 1_699_990_000_000);
    }

    #[test]
    fn unparsed_expressions_are_errors_that_quote_the_input() {
        let error = resolve_time_expression("yesterday", NOW).unwrap_err();
        assert!(error.to_string().contains("\"yesterday\""), "{error}");
        assert!(resolve_time_expression("now-5q", NOW).is_err());
        assert!(resolve_time_expression("now*5m", NOW).is_err());
    }

    #[test]
    fn reversed_range_is_an_error() {
        assert!(matches!(TimeRange::resolve("now", "now-1h", NOW), Err(TimeError::Reversed { .. })));
        assert_eq!(
            TimeRange::resolve("now-1h", "now", NOW),
            Ok(TimeRange { from_ms: NOW - 3_600_000, to_ms: NOW })
        );
    }

    #[test]
    fn quick_range_labels() {
        assert_eq!(describe_range("now-6h", "now", 0), "Last 6 hours");
        assert_eq!(describe_range("now-6h", "now-1h", 0), "now-6h to now-1h");
        assert_eq!(
            describe_range("1767225600000", "1767229200000", 60),
            "2026-01-01 01:00:00 to 2026-01-01 02:00:00"
        );
        assert_eq!(format_local_datetime(1_767_225_599_999, 0), "2025-12-31 23:59:59");
    }
}
