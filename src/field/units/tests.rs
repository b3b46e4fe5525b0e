use super::*;

fn check(unit: &str, value: f64, decimals: Option<i32>, expected: &str) {
    assert_eq!(format_value(unit, value, decimals).to_string(), expected, "{unit} {value} {decimals:?}");
}

#[test]
fn to_fixed_follows_javascript() {
    assert_eq!(to_fixed(100.0, None), "100");
    assert_eq!(to_fixed(100.4, None), "100");
    assert_eq!(to_fixed(100.5, None), "101");
    assert_eq!(to_fixed(100.37, Some(1)), "100.4");
    assert_eq!(to_fixed(100.0, Some(1)), "100.0");
    assert_eq!(to_fixed(100.5, Some(2)), "100.50");
    assert_eq!(to_fixed(186.123, Some(-2)), "186");
    assert_eq!(to_fixed(-2.5, Some(0)), "-2", "JavaScript rounds halves up");
    assert_eq!(to_fixed(0.0000001, None), "1e-7");
    assert_eq!(to_fixed(f64::NAN, None), "NaN");
    assert_eq!(js_number_to_string(1e21), "1e+21");
    assert_eq!(js_number_to_string(123456.5), "123456.5");
}

#[test]
fn grafana_tests_and_derived_examples() {
    // grafana-display.md §2.7.
    check("currencyUSD", 1532.82, Some(2), "$1.53K");
    check("currencyKRW", 1532.82, Some(2), "₩1.53K");
    check("ms", 0.0024, Some(4), "0.0024 ms");
    check("ms", 100.0, Some(0), "100 ms");
    check("ms", 1250.0, Some(2), "1.25 s");
    check("ms", 10000086.123, Some(1), "2.8 hours");
    check("ms", 1200.0, Some(0), "1 s");
    check("short", 98765.0, Some(0), "99 K");
    check("short", 9876543.0, Some(0), "10 Mil");
    check("short", 9876543.0, Some(2), "9.88 Mil");
    check("kbytes", 10000000.0, Some(3), "9.537 GiB");
    check("deckbytes", 10000000.0, Some(3), "10.000 GB");
    check("megwatt", 1000.0, Some(3), "1.000 GW");
    check("µfarad", 1000.0, Some(3), "1.000 mF");
    check("mhenry", 1000.0, Some(3), "1.000 H");
    check("short", 1200.0, None, "1.20 K");
    check("short", 1000000.0, None, "1 Mil");
    check("bytes", 1280000125.0, None, "1.19 GiB");
    check("bytes", 100030303.0, Some(2), "95.40 MiB");
    check("watt", 1000.0, Some(1), "1.0 kW");
    check("none", 6.0, Some(1), "6.0");
    check("ns", 480_000_000_000.0, None, "8 mins");
    check("s", 0.0, None, "0 s");
    check("percent", 42.567, None, "42.6%");
    check("percentunit", 0.4251, None, "42.5%");
    check("percentunit", 0.123456, Some(2), "12.35%");
    check("none", 4.56789, None, "4.57");
    check("none", 1234.5678, None, "1235");
    check("none", 0.000123, None, "0.000123");
    check("reqps", 1234.5, None, "1.23K req/s");
    check("reqps", 12.0, None, "12 req/s");
    check("reqps", 1500000.0, Some(1), "1.5M req/s");
    check("Bps", 123456.0, None, "123 kB/s");
    check("Bps", 0.5, None, "500 mB/s");
    check("bps", 2500000000.0, None, "2.50 Gb/s");
    check("bytes", 1024.0, None, "1 KiB");
    check("bytes", 1536.0, None, "1.50 KiB");
    check("bytes", 512.0, None, "512 B");
    check("bytes", 0.0, None, "0 B");
    check("decbytes", 1500000.0, None, "1.50 MB");
    check("short", 999.0, None, "999");
    check("short", -1500.0, None, "-1.50 K");
    check("currencyUSD", -1000.0, None, "-$1K");
}

#[test]
fn custom_units() {
    check("prefix:b", 1532.82, Some(0), "b1533");
    check("suffix:d", 1532.82, Some(0), "1533 d");
    check("si:µF", 1234.0, Some(2), "1.23 mF");
    check("count:xpm", 1234567.0, Some(2), "1.23M xpm");
    check("currency:@", 1234.0, Some(2), "@1.23K");
    check("a", 1532.82, Some(0), "1533 a");
    check("io/s", 12.0, None, "12 io/s");
    check("bool:up/down", 0.0, None, "down");
}

#[test]
fn axis_ticks_strip_trailing_zeros() {
    assert_eq!(format_tick("s", 0.06, 0.01, None), "60 ms");
    assert_eq!(format_tick("none", 1.2, 0.01, None), "1.2");
    assert_eq!(format_tick("none", 13.50008, 0.001, None), "13.5");
    assert_eq!(format_tick("currencyUSD", 1.2, 0.01, None), "$1.20");
    assert_eq!(format_tick("none", 35.0, 5.0, Some(5)), "35.00000");
    assert_eq!(format_tick("bytes", 1073741824.0, 268435456.0, None), "1 GiB");
    assert_eq!(format_tick("percentunit", 0.25, 0.05, None), "25%");
    // The increment's own decimals: steps of 2.5 keep the .5; whole steps use auto decimals.
    assert_eq!(format_tick("none", 22.5, 2.5, None), "22.5");
    assert_eq!(format_tick("short", 1500.0, 500.0, None), "1.5 K");
    assert_eq!(format_tick("none", 0.30000000000000004, 0.1 + 0.2, None), "0.3");
}
