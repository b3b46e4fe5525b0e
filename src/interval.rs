//! Grafana's interval strings and rounding: `15s`, `1m`, `roundInterval` brackets, and the two ways
//! Grafana prints an interval (`1m` for `$__interval`, Go's `1m0s` for `$__rate_interval`).

const SECOND: i64 = 1_000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
const WEEK: i64 = 7 * DAY;
const YEAR: i64 = 365 * DAY;

/// Parses `15s`, `1m`, `500ms`, `2h`, `1d`, `1w`, `1y`, and compound `1h30m`. A bare number is seconds.
pub fn parse_duration_ms(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(seconds) = text.parse::<f64>() {
        return (seconds >= 0.0).then_some((seconds * 1000.0).round() as i64);
    }
    let mut total = 0_i64;
    let mut rest = text;
    while !rest.is_empty() {
        let digits_end = rest.find(|c: char| !c.is_ascii_digit())?;
        if digits_end == 0 {
            return None;
        }
        let amount: i64 = rest[..digits_end].parse().ok()?;
        rest = &rest[digits_end..];
        let unit_end = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let unit_ms = match &rest[..unit_end] {
            "ms" => 1,
            "s" => SECOND,
            "m" => MINUTE,
            "h" => HOUR,
            "d" => DAY,
            "w" => WEEK,
            "y" => YEAR,
            _ => return None,
        };
        total = total.checked_add(amount.checked_mul(unit_ms)?)?;
        rest = &rest[unit_end..];
    }
    Some(total)
}

/// Grafana's `roundInterval` brackets (rangeutil.ts / gtime.RoundInterval), in milliseconds.
pub fn round_interval_ms(interval_ms: i64) -> i64 {
    const BRACKETS: &[(i64, i64)] = &[
        (10, 1),
        (15, 10),
        (35, 20),
        (75, 50),
        (150, 100),
        (350, 200),
        (750, 500),
        (1_500, SECOND),
        (3_500, 2 * SECOND),
        (7_500, 5 * SECOND),
        (12_500, 10 * SECOND),
        (17_500, 15 * SECOND),
        (25_000, 20 * SECOND),
        (45_000, 30 * SECOND),
        (90_000, MINUTE),
        (210_000, 2 * MINUTE),
        (450_000, 5 * MINUTE),
        (750_000, 10 * MINUTE),
        (1_050_000, 15 * MINUTE),
        (1_500_000, 20 * MINUTE),
        (2_700_000, 30 * MINUTE),
        (5_400_000, HOUR),
        (9_000_000, 2 * HOUR),
        (16_200_000, 3 * HOUR),
        (32_400_000, 6 * HOUR),
        (DAY, 12 * HOUR),
        (WEEK, DAY),
        (3 * WEEK, WEEK),
        (6 * WEEK, 30 * DAY),
    ];
    BRACKETS.iter().find(|(below, _)| interval_ms < *below).map(|(_, rounded)| *rounded).unwrap_or(YEAR)
}

/// Grafana's `FormatInterval`: the largest whole unit, e.g. `1m`, `30s`, `2h`, `1d`, `500ms`.
pub fn format_interval(interval_ms: i64) -> String {
    for (unit_ms, suffix) in [(YEAR, "y"), (DAY, "d"), (HOUR, "h"), (MINUTE, "m"), (SECOND, "s")] {
        if interval_ms >= unit_ms {
            return format!("{}{suffix}", interval_ms / unit_ms);
        }
    }
    format!("{interval_ms}ms")
}

/// Go's `time.Duration.String()` for whole milliseconds: `1m0s`, `1h0m0s`, `15s`, `1.5s`, `500ms`.
pub fn format_go_duration(duration_ms: i64) -> String {
    if duration_ms == 0 {
        return "0s".to_string();
    }
    if duration_ms < SECOND {
        return format!("{duration_ms}ms");
    }
    let hours = duration_ms / HOUR;
    let minutes = (duration_ms % HOUR) / MINUTE;
    let millis = duration_ms % MINUTE;
    let seconds = if millis % SECOND == 0 {
        format!("{}s", millis / SECOND)
    } else {
        format!("{}s", format!("{:.3}", millis as f64 / 1000.0).trim_end_matches('0'))
    };
    match (hours, minutes) {
        (0, 0) => seconds,
        (0, m) => format!("{m}m{seconds}"),
        (h, m) => format!("{h}h{m}m{seconds}"),
    }
}

/// Grafana's `min_refresh_interval` (5 s by default): no dashboard refreshes faster.
pub const MIN_REFRESH_MS: i64 = 5_000;

/// The auto-refresh a dashboard's own `refresh` runs: kept as the file says unless it is faster
/// than the minimum (then the minimum), whether or not the picker offers it.
pub fn file_refresh(refresh: Option<&str>) -> Option<String> {
    let refresh = refresh.map(str::trim).filter(|r| !r.is_empty())?;
    match parse_duration_ms(refresh) {
        Some(ms) if ms < MIN_REFRESH_MS => Some(format_interval(MIN_REFRESH_MS)),
        _ => Some(refresh.to_string()),
    }
}

/// The auto-refresh a dashboard runs for a `?refresh=` in its URL, as Grafana's getRefreshFromUrl
/// decides: a choice the dashboard offers (`offered`, its
/// `timepicker.refresh_intervals`) that is not faster than the minimum is kept; anything else —
/// `1s`, `7s`, nonsense — becomes the fastest allowed choice offered, so the picker shows what
/// really runs and never grows an option of its own.
pub fn effective_refresh(requested: Option<&str>, offered: &[String]) -> Option<String> {
    let requested = requested.map(str::trim).filter(|r| !r.is_empty())?;
    let allowed = |interval: &str| parse_duration_ms(interval).is_some_and(|ms| ms >= MIN_REFRESH_MS);
    if allowed(requested) && offered.iter().any(|o| o == requested) {
        return Some(requested.to_string());
    }
    offered
        .iter()
        .filter(|o| allowed(o))
        .min_by_key(|o| parse_duration_ms(o))
        .cloned()
        .or_else(|| Some(format_interval(MIN_REFRESH_MS)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_grafana_interval_strings() {
        for (text, expected) in [
            ("15s", Some(15_000)),
            ("1m", Some(60_000)),
            ("500ms", Some(500)),
            ("1h30m", Some(5_400_000)),
            ("2d", Some(2 * DAY)),
            ("30", Some(30_000)),
            ("", None),
            ("5x", None),
            ("m", None),
        ] {
            assert_eq!(parse_duration_ms(text), expected, "{text:?}");
        }
    }

    #[test]
    fn round_interval_brackets() {
        for (input, expected) in [
            (9, 1),
            (14, 10),
            (749, 500),
            (1_499, 1_000),
            (1_500, 2_000),
            (14_400, 15_000),
            (17_500, 20_000),
            (21_600, 20_000),
            (44_999, 30_000),
            (45_000, 60_000),
            (86_400, 60_000),
            (DAY - 1, 12 * HOUR),
            (10 * WEEK, YEAR),
        ] {
            assert_eq!(round_interval_ms(input), expected, "{input}");
        }
    }

    #[test]
    fn interval_formats() {
        assert_eq!(format_interval(60_000), "1m");
        assert_eq!(format_interval(90_000), "1m");
        assert_eq!(format_interval(15_000), "15s");
        assert_eq!(format_interval(500), "500ms");
        assert_eq!(format_interval(2 * DAY), "2d");
        assert_eq!(format_go_duration(60_000), "1m0s");
        assert_eq!(format_go_duration(75_000), "1m15s");
        assert_eq!(format_go_duration(HOUR), "1h0m0s");
        assert_eq!(format_go_duration(15_000), "15s");
        assert_eq!(format_go_duration(1_500), "1.5s");
        assert_eq!(format_go_duration(250), "250ms");
    }

    #[test]
    fn refresh_is_one_of_the_offered_choices_and_never_under_the_minimum() {
        let offered: Vec<String> = ["5s", "10s", "1m"].iter().map(|s| s.to_string()).collect();
        assert_eq!(effective_refresh(Some("10s"), &offered).as_deref(), Some("10s"));
        assert_eq!(effective_refresh(Some("1s"), &offered).as_deref(), Some("5s"));
        assert_eq!(effective_refresh(Some("7s"), &offered).as_deref(), Some("5s"));
        assert_eq!(effective_refresh(Some("soon"), &offered).as_deref(), Some("5s"));
        assert_eq!(effective_refresh(None, &offered), None);
        assert_eq!(effective_refresh(Some(""), &offered), None);
        // A dashboard that offers only slow choices, or only too-fast ones.
        let slow: Vec<String> = vec!["1m".into(), "30s".into()];
        assert_eq!(effective_refresh(Some("1s"), &slow).as_deref(), Some("30s"));
        // The file's own value is kept (15s is not offered by default), unless under the minimum.
        assert_eq!(file_refresh(Some("15s")).as_deref(), Some("15s"));
        assert_eq!(file_refresh(Some("1s")).as_deref(), Some("5s"));
        assert_eq!(file_refresh(Some("")), None);
        let too_fast: Vec<String> = vec!["1s".into()];
        assert_eq!(effective_refresh(Some("1s"), &too_fast).as_deref(), Some("5s"));
    }
}
