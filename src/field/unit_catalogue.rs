//! The units the unit picker offers, by Grafana's category and name (the ids its `getValueFormats`
//! lists and [`super::units::format_value`] formats). The picker searches names and ids; any other
//! text is kept as a custom unit (`suffix:`, `prefix:`, or free text such as `io/s`).

/// (category, id, name)
pub const UNITS: &[(&str, &str, &str)] = &[
    ("Misc", "none", "None"),
    ("Misc", "short", "Short"),
    ("Misc", "sishort", "SI short"),
    ("Misc", "percent", "Percent (0-100)"),
    ("Misc", "percentunit", "Percent (0.0-1.0)"),
    ("Misc", "humidity", "Humidity (%H)"),
    ("Misc", "dB", "Decibel"),
    ("Misc", "pixel", "Pixels"),
    ("Misc", "bool", "True / False"),
    ("Misc", "bool_yes_no", "Yes / No"),
    ("Misc", "bool_on_off", "On / Off"),
    ("Data", "bytes", "bytes(IEC)"),
    ("Data", "decbytes", "bytes(SI)"),
    ("Data", "bits", "bits(IEC)"),
    ("Data", "decbits", "bits(SI)"),
    ("Data", "kbytes", "kibibytes"),
    ("Data", "deckbytes", "kilobytes"),
    ("Data", "mbytes", "mebibytes"),
    ("Data", "decmbytes", "megabytes"),
    ("Data", "gbytes", "gibibytes"),
    ("Data", "decgbytes", "gigabytes"),
    ("Data", "tbytes", "tebibytes"),
    ("Data", "dectbytes", "terabytes"),
    ("Data", "pbytes", "pebibytes"),
    ("Data", "decpbytes", "petabytes"),
    ("Data rate", "pps", "packets/sec"),
    ("Data rate", "binBps", "bytes/sec(IEC)"),
    ("Data rate", "Bps", "bytes/sec(SI)"),
    ("Data rate", "binbps", "bits/sec(IEC)"),
    ("Data rate", "bps", "bits/sec(SI)"),
    ("Data rate", "KiBs", "kibibytes/sec"),
    ("Data rate", "KBs", "kilobytes/sec"),
    ("Data rate", "MiBs", "mebibytes/sec"),
    ("Data rate", "MBs", "megabytes/sec"),
    ("Data rate", "GiBs", "gibibytes/sec"),
    ("Data rate", "GBs", "gigabytes/sec"),
    ("Data rate", "Kbits", "kilobits/sec"),
    ("Data rate", "Mbits", "megabits/sec"),
    ("Data rate", "Gbits", "gigabits/sec"),
    ("Throughput", "cps", "counts/sec (cps)"),
    ("Throughput", "ops", "ops/sec (ops)"),
    ("Throughput", "reqps", "requests/sec (rps)"),
    ("Throughput", "rps", "reads/sec (rps)"),
    ("Throughput", "wps", "writes/sec (wps)"),
    ("Throughput", "iops", "I/O ops/sec (iops)"),
    ("Throughput", "eps", "events/sec (eps)"),
    ("Throughput", "mps", "messages/sec (mps)"),
    ("Throughput", "recps", "records/sec (rps)"),
    ("Throughput", "rowsps", "rows/sec (rps)"),
    ("Throughput", "cpm", "counts/min (cpm)"),
    ("Throughput", "opm", "ops/min (opm)"),
    ("Throughput", "reqpm", "requests/min (rpm)"),
    ("Time", "hertz", "Hertz (1/s)"),
    ("Time", "ns", "nanoseconds (ns)"),
    ("Time", "µs", "microseconds (µs)"),
    ("Time", "ms", "milliseconds (ms)"),
    ("Time", "s", "seconds (s)"),
    ("Time", "m", "minutes (m)"),
    ("Time", "h", "hours (h)"),
    ("Time", "d", "days (d)"),
    ("Time", "timeticks", "Timeticks (s/100)"),
    ("Temperature", "celsius", "Celsius (°C)"),
    ("Temperature", "fahrenheit", "Fahrenheit (°F)"),
    ("Temperature", "kelvin", "Kelvin (K)"),
    ("Energy", "watt", "Watt (W)"),
    ("Energy", "kwatt", "Kilowatt (kW)"),
    ("Energy", "volt", "Volt (V)"),
    ("Energy", "amp", "Ampere (A)"),
    ("Energy", "joule", "Joule (J)"),
    ("Energy", "watth", "Watt-hour (Wh)"),
    ("Energy", "kwatth", "Kilowatt-hour (kWh)"),
    ("Energy", "ohm", "Ohm (Ω)"),
    ("Length", "lengthmm", "millimeter (mm)"),
    ("Length", "lengthm", "meter (m)"),
    ("Length", "lengthkm", "kilometer (km)"),
    ("Volume", "mlitre", "millilitre (mL)"),
    ("Volume", "litre", "litre (L)"),
    ("Currency", "currencyUSD", "Dollars ($)"),
    ("Currency", "currencyEUR", "Euro (€)"),
    ("Currency", "currencyGBP", "Pounds (£)"),
];

/// The units whose name or id contains every word of `search` (case-insensitive), in catalogue
/// order.
pub fn search_units(search: &str) -> Vec<(&'static str, &'static str, &'static str)> {
    let words: Vec<String> = search.split_whitespace().map(str::to_lowercase).collect();
    UNITS
        .iter()
        .filter(|(category, id, name)| {
            let haystack = format!("{} {} {}", category, id, name).to_lowercase();
            words.iter().all(|w| haystack.contains(w.as_str()))
        })
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::units::format_value;

    #[test]
    fn every_listed_unit_formats_as_its_own_unit() {
        // An unknown id is shown as free text after the number ("1235 nosuch"); every listed id
        // but those whose symbol is their id (dB) must be formatted otherwise.
        assert_eq!(format_value("nosuch", 1234.5, None).to_string(), "1235 nosuch", "free text stays");
        for (_, id, _) in UNITS.iter().filter(|(_, id, _)| *id != "dB") {
            let text = format_value(id, 1234.5, None).to_string();
            assert_ne!(text, format!("1235 {id}"), "{id} is shown as free text");
        }
    }

    #[test]
    fn search_matches_names_ids_and_categories() {
        let ids = |s: &str| search_units(s).into_iter().map(|(_, id, _)| id).collect::<Vec<_>>();
        assert_eq!(ids("bytes/sec iec"), ["binBps"]);
        assert!(ids("time").contains(&"ms"));
        assert_eq!(ids("celsius"), ["celsius"]);
        assert!(ids("").len() == UNITS.len());
    }
}
