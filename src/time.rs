//! Time ranges: Grafana's date maths (`now-6h`, `now/d`, `now-1d/d`, ISO dates, epoch ms) in a time
//! zone given as an offset function, and the picker's quick ranges. Pure: "now" and the zone are
//! always passed in, never read from a clock or the system here.

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
    #[error(
        "time expression {0:?} is not understood (expected now-6h, now/d, an ISO date or epoch milliseconds)"
    )]
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

/// The local time's offset from UTC, in minutes east, at an instant (epoch ms). Date maths (`now/d`)
/// and absolute dates without a zone are in this local time.
pub type ZoneOffset<'a> = &'a dyn Fn(i64) -> i32;

/// UTC, for `timezone: "utc"` and for tests.
pub fn utc(_: i64) -> i32 {
    0
}

impl TimeRange {
    /// Resolves a raw `from`/`to` pair (as in the URL or the dashboard's `time`) at `now_ms`, in UTC.
    pub fn resolve(from: &str, to: &str, now_ms: i64) -> Result<TimeRange, TimeError> {
        TimeRange::resolve_in(from, to, now_ms, &utc)
    }

    /// Resolves in a time zone: `from` rounds down, `to` rounds up (`now/d` to `now/d` is today).
    pub fn resolve_in(from: &str, to: &str, now_ms: i64, zone: ZoneOffset) -> Result<TimeRange, TimeError> {
        let from_ms = parse_date_math(from, now_ms, false, zone)?;
        let to_ms = parse_date_math(to, now_ms, true, zone)?;
        if from_ms >= to_ms {
            return Err(TimeError::Reversed { from: from.to_string(), to: to.to_string() });
        }
        Ok(TimeRange { from_ms, to_ms })
    }

    pub fn duration_ms(&self) -> i64 {
        self.to_ms - self.from_ms
    }

    /// The range moved by `fraction` of its length (Grafana's shift arrows move by half).
    pub fn shifted(&self, fraction: f64) -> TimeRange {
        let delta = (self.duration_ms() as f64 * fraction).round() as i64;
        TimeRange { from_ms: self.from_ms + delta, to_ms: self.to_ms + delta }
    }

    /// Grafana's zoom out: the range twice as long around the same centre.
    pub fn zoomed_out(&self) -> TimeRange {
        let half = self.duration_ms() / 2;
        TimeRange { from_ms: self.from_ms - half, to_ms: self.to_ms + half }
    }
}

/// Kept for callers that only need "now" arithmetic in UTC.
pub fn resolve_time_expression(expression: &str, now_ms: i64) -> Result<i64, TimeError> {
    parse_date_math(expression, now_ms, false, &utc)
}

/// A local calendar time, milliseconds included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LocalTime {
    year: i64,
    month: u32,
    day: u32,
    millis_of_day: i64,
}

const DAY_MS: i64 = 86_400_000;

fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month = i64::from(month);
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn days_in_month(year: i64, month: u32) -> u32 {
    let next =
        if month == 12 { days_from_civil(year + 1, 1, 1) } else { days_from_civil(year, month + 1, 1) };
    (next - days_from_civil(year, month, 1)) as u32
}

impl LocalTime {
    fn from_local_ms(local_ms: i64) -> LocalTime {
        let (year, month, day) = civil_from_days(local_ms.div_euclid(DAY_MS));
        LocalTime { year, month, day, millis_of_day: local_ms.rem_euclid(DAY_MS) }
    }

    fn to_local_ms(self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * DAY_MS + self.millis_of_day
    }

    fn add_months(self, months: i64) -> LocalTime {
        let index = self.year * 12 + i64::from(self.month) - 1 + months;
        let (year, month) = (index.div_euclid(12), (index.rem_euclid(12) + 1) as u32);
        // Month arithmetic clamps the day, as moment does (Mar 31 - 1M = Feb 28).
        LocalTime { year, month, day: self.day.min(days_in_month(year, month)), ..self }
    }

    /// Start of the unit containing this time. Weeks start on Sunday, moment's default locale.
    fn start_of(self, unit: char) -> LocalTime {
        let ms = self.millis_of_day;
        match unit {
            's' => LocalTime { millis_of_day: ms - ms % 1_000, ..self },
            'm' => LocalTime { millis_of_day: ms - ms % 60_000, ..self },
            'h' => LocalTime { millis_of_day: ms - ms % 3_600_000, ..self },
            'd' => LocalTime { millis_of_day: 0, ..self },
            'w' => {
                let days = days_from_civil(self.year, self.month, self.day);
                // 1970-01-01 was a Thursday: day 0 → weekday 4 (Sunday = 0).
                let weekday = (days + 4).rem_euclid(7);
                LocalTime::from_local_ms((days - weekday) * DAY_MS)
            }
            'M' => LocalTime { day: 1, millis_of_day: 0, ..self },
            'Q' => LocalTime { month: (self.month - 1) / 3 * 3 + 1, day: 1, millis_of_day: 0, ..self },
            'y' => LocalTime { month: 1, day: 1, millis_of_day: 0, ..self },
            _ => self,
        }
    }

    fn add(self, amount: i64, unit: char) -> LocalTime {
        let shift_ms = |ms: i64| LocalTime::from_local_ms(self.to_local_ms() + ms);
        match unit {
            's' => shift_ms(amount * 1_000),
            'm' => shift_ms(amount * 60_000),
            'h' => shift_ms(amount * 3_600_000),
            // Calendar days and weeks keep the wall-clock time across DST changes.
            'd' => shift_ms(amount * DAY_MS),
            'w' => shift_ms(amount * 7 * DAY_MS),
            'M' => self.add_months(amount),
            'Q' => self.add_months(3 * amount),
            'y' => self.add_months(12 * amount),
            _ => self,
        }
    }
}

fn to_local(utc_ms: i64, zone: ZoneOffset) -> LocalTime {
    LocalTime::from_local_ms(utc_ms + i64::from(zone(utc_ms)) * 60_000)
}

/// Local wall-clock time → UTC, with the offset in force at that time (two passes settle DST).
fn to_utc(local: LocalTime, zone: ZoneOffset) -> i64 {
    let local_ms = local.to_local_ms();
    let guess = local_ms - i64::from(zone(local_ms)) * 60_000;
    local_ms - i64::from(zone(guess)) * 60_000
}

/// Grafana's date maths: `now`, `now-6h`, `now/d`, `now-1d/d`, `now/w`, `now-1M/M`, epoch
/// milliseconds, ISO dates (`2026-01-01`, `2026-01-01T10:00:00Z`, `2026-01-01 10:00:00`) and
/// `DATE||+1d`. Rounding (`/unit`) goes to the start of the unit, or with `round_up` to its last
/// millisecond (as Grafana resolves `to`). Units: s m h d w M Q y.
pub fn parse_date_math(
    expression: &str,
    now_ms: i64,
    round_up: bool,
    zone: ZoneOffset,
) -> Result<i64, TimeError> {
    let text = expression.trim();
    let unparsed = || TimeError::Unparsed(expression.to_string());
    if let Ok(epoch_ms) = text.parse::<i64>() {
        return Ok(epoch_ms);
    }
    let (anchor_ms, math) = if let Some(math) = text.strip_prefix("now") {
        (now_ms, math)
    } else {
        let (date, math) = text.split_once("||").unwrap_or((text, ""));
        (parse_absolute(date, zone).ok_or_else(unparsed)?, math)
    };
    // Hours and smaller move absolute time; days and larger move the local calendar (moment's rules).
    let mut instant = anchor_ms;
    let mut rest = math.trim();
    while !rest.is_empty() {
        let operator = rest.chars().next().ok_or_else(unparsed)?;
        rest = &rest[operator.len_utf8()..];
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let (number, after) = rest.split_at(digits);
        let unit = after.chars().next().ok_or_else(unparsed)?;
        if !"smhdwMQy".contains(unit) {
            return Err(unparsed());
        }
        rest = &after[unit.len_utf8()..];
        match operator {
            '/' if number.is_empty() => {
                let start = to_local(instant, zone).start_of(unit);
                instant = if round_up { to_utc(start.add(1, unit), zone) - 1 } else { to_utc(start, zone) };
            }
            '+' | '-' => {
                let amount: i64 =
                    if number.is_empty() { 1 } else { number.parse().map_err(|_| unparsed())? };
                // Beyond a million units there is no time to show; it would only overflow.
                if amount > MAX_AMOUNT {
                    return Err(unparsed());
                }
                let amount = if operator == '-' { -amount } else { amount };
                instant = match unit {
                    's' => instant + amount * 1_000,
                    'm' => instant + amount * 60_000,
                    'h' => instant + amount * 3_600_000,
                    _ => to_utc(to_local(instant, zone).add(amount, unit), zone),
                };
            }
            _ => return Err(unparsed()),
        }
        if instant.abs() > MAX_INSTANT_MS {
            return Err(unparsed());
        }
    }
    Ok(instant)
}

/// Local wall-clock fields → "local epoch" milliseconds (the instant those fields would be in UTC).
/// Used to turn a zone's formatted parts into an offset.
pub fn local_fields_to_ms(year: i64, month: u32, day: u32, hour: i64, minute: i64, second: i64) -> i64 {
    days_from_civil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1_000
}

/// A panel's own time (`timeFrom`, `timeShift`), as Grafana applies it: `timeFrom` replaces the
/// range with the last N (`1h` → `now-1h` to `now`, or a date-math expression), `timeShift` moves
/// both ends back. Returns the range and the note the panel header shows (unless hidden).
pub fn panel_time_override(
    dashboard_range: TimeRange,
    time_from: &str,
    time_shift: &str,
    now_ms: i64,
    zone: ZoneOffset,
) -> Result<(TimeRange, Option<String>), TimeError> {
    let (time_from, time_shift) = (time_from.trim(), time_shift.trim());
    let mut range = dashboard_range;
    let mut info = Vec::new();
    if !time_from.is_empty() {
        let from =
            if time_from.starts_with("now") { time_from.to_string() } else { format!("now-{time_from}") };
        range = TimeRange::resolve_in(&from, "now", now_ms, zone)?;
        info.push(describe_range(&from, "now", 0));
    }
    if !time_shift.is_empty() {
        let shift = format!("-{}", time_shift.trim_start_matches('-'));
        let shifted =
            |instant: i64, round_up: bool| parse_date_math(&format!("now{shift}"), instant, round_up, zone);
        range = TimeRange { from_ms: shifted(range.from_ms, false)?, to_ms: shifted(range.to_ms, true)? };
        info.push(format!("timeshift {shift}"));
    }
    Ok((range, (!info.is_empty()).then(|| info.join(" "))))
}

/// `YYYY-MM-DD`, optionally `THH:mm[:ss[.SSS]]` (or a space), optionally `Z` or `±HH:MM`.
/// The largest amount in a relative time (`now-1000000s`).
const MAX_AMOUNT: i64 = 1_000_000;
/// Instants beyond ±31,000 years from 1970 are not times anyone means.
const MAX_INSTANT_MS: i64 = 1_000_000_000_000_000;

fn parse_absolute(text: &str, zone: ZoneOffset) -> Option<i64> {
    let number = |s: &str| s.parse::<i64>().ok();
    let (date, time) = match text.find(['T', ' ']) {
        Some(index) => (&text[..index], &text[index + 1..]),
        None => (text, ""),
    };
    let mut date_parts = date.split('-');
    let (year, month, day) =
        (number(date_parts.next()?)?, number(date_parts.next()?)?, number(date_parts.next()?)?);
    if date_parts.next().is_some()
        || !(0..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || day < 1
        || day > i64::from(days_in_month(year, month as u32))
    {
        return None;
    }
    let (clock, offset_minutes) = if let Some(clock) = time.strip_suffix('Z') {
        (clock, Some(0))
    } else if let Some(index) = time.rfind(['+', '-']).filter(|i| *i > 0) {
        let (clock, offset) = time.split_at(index);
        let sign = if offset.starts_with('-') { -1 } else { 1 };
        let (hours, minutes) = offset[1..].split_once(':').unwrap_or((&offset[1..], "0"));
        let (hours, minutes) = (number(hours)?, number(minutes)?);
        if !(0..=23).contains(&hours) || !(0..=59).contains(&minutes) {
            return None;
        }
        (clock, Some(sign * (hours * 60 + minutes)))
    } else {
        (time, None)
    };
    let mut clock_parts = clock.split(':');
    let hours = clock_parts.next().filter(|h| !h.is_empty()).map(number).unwrap_or(Some(0))?;
    let minutes = clock_parts.next().map(number).unwrap_or(Some(0))?;
    let seconds: f64 = clock_parts.next().map(|s| s.parse().ok()).unwrap_or(Some(0.0))?;
    if !(0..=23).contains(&hours) || !(0..=59).contains(&minutes) || !(0.0..61.0).contains(&seconds) {
        return None;
    }
    let local = LocalTime {
        year,
        month: month as u32,
        day: day as u32,
        millis_of_day: hours * 3_600_000 + minutes * 60_000 + (seconds * 1000.0).round() as i64,
    };
    Some(match offset_minutes {
        Some(offset) => local.to_local_ms() - offset * 60_000,
        None => to_utc(local, zone),
    })
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
    let (year, month, day) = civil_from_days(local_s.div_euclid(86_400));
    let seconds = local_s.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

/// (year, month, day) of a day count since 1970-01-01, proleptic Gregorian (Howard Hinnant's
/// `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
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
        assert!(resolve_time_expression("2026-13-01", NOW).is_err());
        assert!(resolve_time_expression("now/5d", NOW).is_err());
        // Non-ASCII input is an error, not a panic (URLs carry whatever users type).
        assert!(resolve_time_expression("now€5m", NOW).is_err());
        assert!(resolve_time_expression("now-5é", NOW).is_err());
        assert!(resolve_time_expression("2026-01-01T10:00:00+0é:00", NOW).is_err());
        // Found by the interpolation fuzz target: an offset or a year too large to compute.
        assert!(resolve_time_expression("9-8-8 -1000000000000000000", NOW).is_err());
        assert!(resolve_time_expression("9999999999999-01-01", NOW).is_err());
        assert!(resolve_time_expression("now+00100000000008w", NOW).is_err());
        assert!(resolve_time_expression(&"+999999y".repeat(40).replacen('+', "now+", 1), NOW).is_err());
        assert!(resolve_time_expression("now-1000000s", NOW).is_ok());
    }

    /// A zone one hour east in winter and two in summer (Central Europe, switching on the last
    /// Sundays of March and October at 01:00 UTC).
    fn berlin(utc_ms: i64) -> i32 {
        let year = civil_from_days(utc_ms.div_euclid(DAY_MS)).0;
        let last_sunday = |month: u32| {
            let last = days_from_civil(year, month, days_in_month(year, month));
            let weekday = (last + 4).rem_euclid(7);
            (last - weekday) * DAY_MS + 3_600_000
        };
        if utc_ms >= last_sunday(3) && utc_ms < last_sunday(10) { 120 } else { 60 }
    }

    fn iso(text: &str) -> i64 {
        parse_absolute(text, &utc).expect("valid date")
    }

    #[test]
    fn grafana_date_math_in_utc() {
        let now = iso("2026-03-31T10:20:30Z");
        let check = |expression: &str, round_up: bool, expected: &str| {
            assert_eq!(
                parse_date_math(expression, now, round_up, &utc),
                Ok(iso(expected)),
                "{expression} (up: {round_up})"
            );
        };
        check("now/d", false, "2026-03-31T00:00:00Z");
        check("now/d", true, "2026-03-31T23:59:59.999Z");
        check("now-1d/d", false, "2026-03-30T00:00:00Z");
        check("now/w", false, "2026-03-29T00:00:00Z"); // a Sunday
        check("now/M", false, "2026-03-01T00:00:00Z");
        check("now-1M", false, "2026-02-28T10:20:30Z"); // clamped to the month's end
        check("now/y", true, "2026-12-31T23:59:59.999Z");
        check("now-1Q/Q", false, "2025-10-01T00:00:00Z");
        check("now-2h/h+30m", false, "2026-03-31T08:30:00Z");
        check("2026-01-01", false, "2026-01-01T00:00:00Z");
        check("2026-01-01 12:00:00||+1d", false, "2026-01-02T12:00:00Z");
        check("2026-01-01T12:00:00+02:00", false, "2026-01-01T10:00:00Z");
    }

    #[test]
    fn date_math_in_a_zone_with_daylight_saving() {
        // 2026-03-29 is the spring change in Berlin: the day is 23 hours long.
        let now = iso("2026-03-29T15:00:00Z");
        assert_eq!(parse_date_math("now/d", now, false, &berlin), Ok(iso("2026-03-28T23:00:00Z")));
        assert_eq!(parse_date_math("now/d", now, true, &berlin), Ok(iso("2026-03-29T21:59:59.999Z")));
        // A calendar day back keeps the wall clock: 17:00 local yesterday was 16:00 UTC.
        assert_eq!(parse_date_math("now-1d", now, false, &berlin), Ok(iso("2026-03-28T16:00:00Z")));
        assert_eq!(parse_date_math("now-24h", now, false, &berlin), Ok(iso("2026-03-28T15:00:00Z")));
        // A date without a zone is local.
        assert_eq!(
            parse_date_math("2026-07-01 00:00:00", now, false, &berlin),
            Ok(iso("2026-06-30T22:00:00Z"))
        );
    }

    #[test]
    fn panel_time_overrides() {
        let now = iso("2026-01-01T12:00:00Z");
        let dashboard = TimeRange { from_ms: now - 6 * 3_600_000, to_ms: now };
        let (range, info) = panel_time_override(dashboard, "1h", "", now, &utc).expect("valid");
        assert_eq!(
            (range, info.as_deref()),
            (TimeRange { from_ms: now - 3_600_000, to_ms: now }, Some("Last 1 hour"))
        );
        let (range, info) = panel_time_override(dashboard, "", "1d", now, &utc).expect("valid");
        assert_eq!(range, TimeRange { from_ms: dashboard.from_ms - DAY_MS, to_ms: now - DAY_MS });
        assert_eq!(info.as_deref(), Some("timeshift -1d"));
        assert_eq!(panel_time_override(dashboard, "", "", now, &utc).expect("valid"), (dashboard, None));
        assert!(panel_time_override(dashboard, "soon", "", now, &utc).is_err());
    }

    #[test]
    fn shift_and_zoom() {
        let range = TimeRange { from_ms: 1_000, to_ms: 3_000 };
        assert_eq!(range.shifted(-0.5), TimeRange { from_ms: 0, to_ms: 2_000 });
        assert_eq!(range.zoomed_out(), TimeRange { from_ms: 0, to_ms: 4_000 });
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
