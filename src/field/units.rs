//! Grafana's unit catalogue and number formatting (grafana-display.md §1–2), exactly: JavaScript's
//! `toFixed` rounding and number printing, automatic decimals, `scaledUnits`, SI and IEC prefixes,
//! counts, currencies, percentages and time scales. One table of units; every panel uses it.

/// A formatted value: shown as `prefix + text + suffix`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FormattedValue {
    pub prefix: String,
    pub text: String,
    pub suffix: String,
}

impl std::fmt::Display for FormattedValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}{}", self.prefix, self.text, self.suffix)
    }
}

fn text_only(text: String, suffix: &str) -> FormattedValue {
    FormattedValue { prefix: String::new(), text, suffix: suffix.to_string() }
}

/// JavaScript's `Math.round`: halves go towards +∞ (−2.5 → −2).
fn js_round(value: f64) -> f64 {
    (value + 0.5).floor()
}

/// JavaScript's `String(number)`: the shortest round-trip digits, in exponent form below 1e-6 or
/// from 1e21 up.
pub fn js_number_to_string(value: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if value == 0.0 {
        return "0".into();
    }
    let exponent_form = format!("{value:e}");
    let (mantissa, exponent) = exponent_form.split_once('e').unwrap_or((&exponent_form, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if !(-6..21).contains(&exponent) {
        let sign = if exponent < 0 { "-" } else { "+" };
        return format!("{mantissa}e{sign}{}", exponent.abs());
    }
    format!("{value}")
}

/// Grafana's automatic decimals: none for integers, otherwise about three significant digits.
pub fn auto_decimals(value: f64) -> i32 {
    if value == 0.0 || value.fract() == 0.0 || !value.is_finite() {
        return 0;
    }
    (2 - value.abs().log10().floor() as i32).max(0)
}

/// Grafana's `toFixed`: rounds in binary like JavaScript, prints like `String(n)`, pads zeros.
pub fn to_fixed(value: f64, decimals: Option<i32>) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "∞".into() } else { "-∞".into() };
    }
    let decimals = decimals.unwrap_or_else(|| auto_decimals(value)).max(0);
    if value == 0.0 {
        return if decimals == 0 { "0".into() } else { format!("0.{}", "0".repeat(decimals as usize)) };
    }
    let factor = 10_f64.powi(decimals);
    let rounded = js_round(value * factor) / factor;
    let text = js_number_to_string(rounded);
    if text.contains('e') || decimals == 0 {
        return text;
    }
    let fraction_digits = text.split_once('.').map_or(0, |(_, f)| f.len()) as i32;
    let padding = "0".repeat((decimals - fraction_digits).max(0) as usize);
    if text.contains('.') { format!("{text}{padding}") } else { format!("{text}.{padding}") }
}

/// Grafana's `scaledUnits(factor, steps, offset)`.
fn scaled_units(
    value: f64,
    decimals: Option<i32>,
    factor: f64,
    steps: &[String],
    offset: i32,
) -> FormattedValue {
    if !value.is_finite() {
        return text_only(to_fixed(value, None), "");
    }
    // The step index, floor(log(|v|) / log(factor)), computed exactly with powers.
    let mut index = 0_i32;
    let magnitude = value.abs();
    if magnitude != 0.0 {
        while magnitude >= factor.powi(index + 1) {
            index += 1;
        }
        while magnitude < factor.powi(index) {
            index -= 1;
        }
    }
    let last = steps.len() as i32 - 1;
    let suffix = &steps[(offset + index).clamp(0, last) as usize];
    let power = index.clamp(-offset, last - offset);
    text_only(to_fixed(value / factor.powi(power), decimals), suffix)
}

const SI_PREFIXES: [&str; 14] = ["f", "p", "n", "µ", "m", "", "k", "M", "G", "T", "P", "E", "Z", "Y"];
const IEC_PREFIXES: [&str; 9] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"];

fn si(value: f64, decimals: Option<i32>, unit: &str, offset: i32) -> FormattedValue {
    let steps: Vec<String> = SI_PREFIXES.iter().map(|p| format!(" {p}{unit}")).collect();
    scaled_units(value, decimals, 1000.0, &steps, 5 + offset)
}

fn iec(value: f64, decimals: Option<i32>, unit: &str, offset: i32) -> FormattedValue {
    let steps: Vec<String> = IEC_PREFIXES.iter().map(|p| format!(" {p}{unit}")).collect();
    scaled_units(value, decimals, 1024.0, &steps, offset)
}

fn fixed(value: f64, decimals: Option<i32>, unit: &str) -> FormattedValue {
    text_only(to_fixed(value, decimals), &if unit.is_empty() { String::new() } else { format!(" {unit}") })
}

fn count(value: f64, decimals: Option<i32>, symbol: &str) -> FormattedValue {
    let steps: Vec<String> = ["", "K", "M", "B", "T"].iter().map(|s| s.to_string()).collect();
    let mut formatted = scaled_units(value, decimals, 1000.0, &steps, 0);
    formatted.suffix = format!("{} {symbol}", formatted.suffix);
    formatted
}

fn currency(value: f64, decimals: Option<i32>, symbol: &str, as_suffix: bool) -> FormattedValue {
    let steps: Vec<String> = ["", "K", "M", "B", "T"].iter().map(|s| s.to_string()).collect();
    let mut formatted = scaled_units(value.abs(), decimals, 1000.0, &steps, 0);
    let negative = value < 0.0;
    if as_suffix {
        formatted.suffix = format!("{}{symbol}", formatted.suffix);
        formatted.prefix = if negative { "-".into() } else { String::new() };
    } else {
        formatted.prefix = if negative { format!("-{symbol}") } else { symbol.to_string() };
    }
    formatted
}

/// A time-scale step: the value divided, with a unit that takes an `s` above one (min, hour, day,
/// week, year), as current Grafana prints them.
fn time_step(value: f64, decimals: Option<i32>, divisor: f64, unit: &str) -> FormattedValue {
    let scaled = value / divisor;
    let plural = matches!(unit, "min" | "hour" | "day" | "week" | "year") && scaled.abs() > 1.0;
    text_only(to_fixed(scaled, decimals), &format!(" {unit}{}", if plural { "s" } else { "" }))
}

/// Walks `(bound, divisor, unit)` rules on |v|: the first bound above |v| wins, else the last rule.
fn time_scale(value: f64, decimals: Option<i32>, rules: &[(f64, f64, &str)]) -> FormattedValue {
    let magnitude = value.abs();
    let (_, divisor, unit) =
        rules.iter().find(|(bound, _, _)| magnitude < *bound).unwrap_or(&rules[rules.len() - 1]);
    if *divisor == 1.0 {
        return text_only(to_fixed(value, decimals), &format!(" {unit}"));
    }
    time_step(value, decimals, *divisor, unit)
}

fn seconds(value: f64, decimals: Option<i32>) -> FormattedValue {
    if value == 0.0 {
        return text_only("0".into(), " s");
    }
    let magnitude = value.abs();
    if magnitude < 1e-6 {
        return text_only(to_fixed(value * 1e9, decimals), " ns");
    }
    if magnitude < 1e-3 {
        return text_only(to_fixed(value * 1e6, decimals), " µs");
    }
    if magnitude < 1.0 {
        return text_only(to_fixed(value * 1e3, decimals), " ms");
    }
    time_scale(
        value,
        decimals,
        &[
            (60.0, 1.0, "s"),
            (3600.0, 60.0, "min"),
            (86400.0, 3600.0, "hour"),
            (604_800.0, 86400.0, "day"),
            (31_536_000.0, 604_800.0, "week"),
            (f64::INFINITY, 3.15569e7, "year"),
        ],
    )
}

/// Formats `value` in Grafana's `unit` with `decimals` (automatic when `None`).
pub fn format_value(unit: &str, value: f64, decimals: Option<i32>) -> FormattedValue {
    if !value.is_finite() {
        return text_only(to_fixed(value, None), "");
    }
    let d = decimals;
    match unit {
        "" | "none" => fixed(value, d, ""),
        "short" => {
            let steps: Vec<String> = ["", " K", " Mil", " Bil", " Tri", " Quadr", " Quint", " Sext", " Sept"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            scaled_units(value, d, 1000.0, &steps, 0)
        }
        "sishort" => si(value, d, "", 0),
        "percent" => text_only(to_fixed(value, d), "%"),
        "percentunit" => text_only(to_fixed(100.0 * value, d), "%"),
        "humidity" => fixed(value, d, "%H"),
        "dB" => fixed(value, d, "dB"),
        "pixel" => fixed(value, d, "px"),
        "celsius" => fixed(value, d, "°C"),
        "fahrenheit" | "farenheit" => fixed(value, d, "°F"),
        "kelvin" => fixed(value, d, "K"),
        "degree" => fixed(value, d, "°"),
        "bytes" => iec(value, d, "B", 0),
        "decbytes" => si(value, d, "B", 0),
        "bits" => iec(value, d, "b", 0),
        "decbits" => si(value, d, "b", 0),
        "kbytes" => iec(value, d, "B", 1),
        "deckbytes" => si(value, d, "B", 1),
        "mbytes" => iec(value, d, "B", 2),
        "decmbytes" => si(value, d, "B", 2),
        "gbytes" => iec(value, d, "B", 3),
        "decgbytes" => si(value, d, "B", 3),
        "tbytes" => iec(value, d, "B", 4),
        "dectbytes" => si(value, d, "B", 4),
        "pbytes" => iec(value, d, "B", 5),
        "decpbytes" => si(value, d, "B", 5),
        "pps" => si(value, d, "p/s", 0),
        "binBps" => iec(value, d, "B/s", 0),
        "Bps" => si(value, d, "B/s", 0),
        "binbps" => iec(value, d, "b/s", 0),
        "bps" => si(value, d, "b/s", 0),
        "KiBs" => iec(value, d, "B/s", 1),
        "Kibits" => iec(value, d, "b/s", 1),
        "KBs" => si(value, d, "B/s", 1),
        "Kbits" => si(value, d, "b/s", 1),
        "MiBs" => iec(value, d, "B/s", 2),
        "Mibits" => iec(value, d, "b/s", 2),
        "MBs" => si(value, d, "B/s", 2),
        "Mbits" => si(value, d, "b/s", 2),
        "GiBs" => iec(value, d, "B/s", 3),
        "Gibits" => iec(value, d, "b/s", 3),
        "GBs" => si(value, d, "B/s", 3),
        "Gbits" => si(value, d, "b/s", 3),
        "hertz" | "rothz" => si(value, d, "Hz", 0),
        "watt" => si(value, d, "W", 0),
        "kwatt" => si(value, d, "W", 1),
        "megwatt" => si(value, d, "W", 2),
        "volt" => si(value, d, "V", 0),
        "amp" => si(value, d, "A", 0),
        "joule" => si(value, d, "J", 0),
        "watth" => si(value, d, "Wh", 0),
        "kwatth" => si(value, d, "Wh", 1),
        "ohm" => si(value, d, "Ω", 0),
        "kohm" => si(value, d, "Ω", 1),
        "Mohm" => si(value, d, "Ω", 2),
        "farad" => si(value, d, "F", 0),
        "µfarad" => si(value, d, "F", -2),
        "nfarad" => si(value, d, "F", -3),
        "pfarad" => si(value, d, "F", -4),
        "ffarad" => si(value, d, "F", -5),
        "henry" => si(value, d, "H", 0),
        "mhenry" => si(value, d, "H", -1),
        "µhenry" => si(value, d, "H", -2),
        "lengthm" => si(value, d, "m", 0),
        "lengthkm" => si(value, d, "m", 1),
        "lengthmm" => si(value, d, "m", -1),
        "massg" => si(value, d, "g", 0),
        "masskg" => si(value, d, "g", 1),
        "litre" => si(value, d, "L", 0),
        "mlitre" => si(value, d, "L", -1),
        "cps" => count(value, d, "c/s"),
        "ops" => count(value, d, "ops/s"),
        "reqps" => count(value, d, "req/s"),
        "rps" => count(value, d, "rd/s"),
        "wps" => count(value, d, "wr/s"),
        "iops" => count(value, d, "io/s"),
        "eps" => count(value, d, "evt/s"),
        "mps" => count(value, d, "msg/s"),
        "recps" => count(value, d, "rec/s"),
        "rowsps" => count(value, d, "rows/s"),
        "cpm" => count(value, d, "c/m"),
        "opm" => count(value, d, "ops/m"),
        "reqpm" => count(value, d, "req/m"),
        "currencyUSD" => currency(value, d, "$", false),
        "currencyGBP" => currency(value, d, "£", false),
        "currencyEUR" => currency(value, d, "€", false),
        "currencyJPY" => currency(value, d, "¥", false),
        "currencyKRW" => currency(value, d, "₩", false),
        "currencyIDR" => currency(value, d, "Rp", false),
        "ns" => time_scale(
            value,
            d,
            &[
                (1000.0, 1.0, "ns"),
                (1e6, 1e3, "µs"),
                (1e9, 1e6, "ms"),
                (6e10, 1e9, "s"),
                (3.6e12, 6e10, "min"),
                (8.64e13, 3.6e12, "hour"),
                (f64::INFINITY, 8.64e13, "day"),
            ],
        ),
        "µs" => time_scale(value, d, &[(1000.0, 1.0, "µs"), (1e6, 1e3, "ms"), (f64::INFINITY, 1e6, "s")]),
        "ms" => time_scale(
            value,
            d,
            &[
                (1000.0, 1.0, "ms"),
                (60_000.0, 1000.0, "s"),
                (3.6e6, 60_000.0, "min"),
                (8.64e7, 3.6e6, "hour"),
                (3.1536e10, 8.64e7, "day"),
                (f64::INFINITY, 3.1536e10, "year"),
            ],
        ),
        "s" => seconds(value, d),
        "m" => time_scale(
            value,
            d,
            &[
                (60.0, 1.0, "min"),
                (1440.0, 60.0, "hour"),
                (10_080.0, 1440.0, "day"),
                (604_800.0, 10_080.0, "week"),
                (f64::INFINITY, 525_948.0, "year"),
            ],
        ),
        "h" => time_scale(
            value,
            d,
            &[
                (24.0, 1.0, "hour"),
                (168.0, 24.0, "day"),
                (8760.0, 168.0, "week"),
                (f64::INFINITY, 8760.0, "year"),
            ],
        ),
        "d" => {
            time_scale(value, d, &[(7.0, 1.0, "day"), (365.0, 7.0, "week"), (f64::INFINITY, 365.0, "year")])
        }
        "timeticks" => seconds(value / 100.0, d),
        "bool" => text_only(if value != 0.0 { "True" } else { "False" }.into(), ""),
        "bool_yes_no" => text_only(if value != 0.0 { "Yes" } else { "No" }.into(), ""),
        "bool_on_off" => text_only(if value != 0.0 { "On" } else { "Off" }.into(), ""),
        custom => format_custom(custom, value, d),
    }
}

/// `prefix:`, `suffix:`, `si:`, `count:`, `currency:`, `bool:` units, and any other id as a suffix.
fn format_custom(unit: &str, value: f64, decimals: Option<i32>) -> FormattedValue {
    let Some((kind, rest)) = unit.split_once(':').filter(|(kind, _)| !kind.is_empty()) else {
        return fixed(value, decimals, unit);
    };
    match kind {
        "prefix" => FormattedValue {
            prefix: rest.to_string(),
            text: to_fixed(value, decimals),
            suffix: String::new(),
        },
        "suffix" => fixed(value, decimals, rest),
        "count" => count(value, decimals, rest),
        "currency" => currency(value, decimals, rest, false),
        "si" => {
            let first = rest.chars().next().map(String::from).unwrap_or_default();
            match SI_PREFIXES.iter().position(|p| !p.is_empty() && *p == first) {
                Some(position) => si(value, decimals, &rest[first.len()..], position as i32 - 5),
                None => si(value, decimals, rest, 0),
            }
        }
        "bool" => {
            let (yes, no) = rest.split_once('/').unwrap_or((rest, "-"));
            text_only(if value != 0.0 { yes } else { no }.to_string(), "")
        }
        _ => fixed(value, decimals, unit),
    }
}

/// A y-axis tick: formatted with the decimals of the tick spacing, trailing zeros of the number
/// removed, as Grafana's axes do when the field sets no decimals.
pub fn format_tick(unit: &str, value: f64, tick_spacing: f64, decimals: Option<i32>) -> String {
    if let Some(decimals) = decimals {
        return format_value(unit, value, Some(decimals)).to_string();
    }
    // Grafana's uPlot axes: the decimals the tick increment is written with (rounded to 6), or the
    // unit's own auto decimals for a whole increment — so steps of 2.5 read 22.5, not 23.
    let adjacent = if tick_spacing > 0.0 && tick_spacing.is_finite() {
        let rounded = (tick_spacing * 1e6).round() / 1e6;
        js_number_to_string(rounded).split_once('.').map_or(0, |(_, fraction)| fraction.len() as i32)
    } else {
        0
    };
    let mut formatted = format_value(unit, value, (adjacent > 0).then_some(adjacent));
    let trims = !unit.starts_with("currency")
        && !unit.starts_with("bool")
        && unit != "locale"
        && !unit.starts_with("time:");
    if trims && let Ok(number) = formatted.text.parse::<f64>() {
        formatted.text = js_number_to_string(number);
    }
    formatted.to_string()
}

#[cfg(test)]
#[path = "units/tests.rs"]
mod tests;
