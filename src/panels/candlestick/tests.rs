use super::*;
use serde_json::json;

fn sampled(name: &str, values: &[f64]) -> DisplaySeries {
    let points: Vec<(f64, f64)> = values.iter().enumerate().map(|(i, v)| (i as f64 * 60_000.0, *v)).collect();
    DisplaySeries::example("A", name, &[], &points)
}

fn ohlc(view: &CandleView) -> Vec<(f64, f64, f64, f64)> {
    view.candles.iter().filter_map(|c| c.prices).collect()
}

#[test]
fn fields_are_found_by_their_names_in_any_case_or_as_configured() {
    let series = [
        sampled("Open", &[10.0, 12.0]),
        sampled("MAX", &[15.0, 14.0]),
        sampled("l", &[9.0, 11.0]),
        sampled("close", &[12.0, 11.0]),
        sampled("Volume", &[100.0, 300.0]),
    ];
    let view = candlestick_view(&series, &json!({}), &json!({}), Theme::Dark);
    assert_eq!(ohlc(&view), [(10.0, 15.0, 9.0, 12.0), (12.0, 14.0, 11.0, 11.0)]);
    assert_eq!(view.candles.iter().map(|c| c.volume).collect::<Vec<_>>(), [Some(100.0), Some(300.0)]);
    assert_eq!(view.names, ["Open", "MAX", "l", "close", "Volume"].map(String::from));
    assert!(view.draw_price && view.draw_volume && view.volume_below_price && view.lines.is_empty());
    // A configured name wins over the default names.
    let swapped = candlestick_view(
        &series,
        &json!({"fields": {"open": "close", "close": "Open"}}),
        &json!({}),
        Theme::Dark,
    );
    assert_eq!(ohlc(&swapped)[0], (12.0, 15.0, 9.0, 10.0));
}

#[test]
fn a_lone_series_draws_flat_candles_from_open_to_next_open() {
    let view = candlestick_view(&[sampled("up", &[4.0, 5.0, 6.0])], &json!({}), &json!({}), Theme::Dark);
    assert_eq!(ohlc(&view), [(4.0, 4.0, 4.0, 5.0), (5.0, 5.0, 5.0, 6.0), (6.0, 6.0, 6.0, 6.0)]);
    assert!(!view.draw_volume && view.lines.is_empty());
    // Only a close: open is the previous close (the first its own).
    let view = candlestick_view(&[sampled("close", &[1.0, 2.0, 3.0])], &json!({}), &json!({}), Theme::Dark);
    assert_eq!(
        view.candles.iter().map(|c| c.prices.map(|p| (p.0, p.3))).collect::<Vec<_>>(),
        [Some((1.0, 1.0)), Some((1.0, 2.0)), Some((2.0, 3.0))]
    );
}

#[test]
fn directions_follow_the_colour_strategy_and_the_first_even_candle_is_flat() {
    let series = [
        sampled("open", &[10.0, 10.0, 12.0, 11.0]),
        sampled("high", &[10.0, 13.0, 13.0, 13.0]),
        sampled("low", &[9.0, 9.0, 9.0, 9.0]),
        sampled("close", &[10.0, 12.0, 11.0, 11.0]),
    ];
    let directions = |options: Value| {
        let view = candlestick_view(&series, &options, &json!({}), Theme::Dark);
        (
            view.candles.iter().enumerate().map(|(i, c)| c.direction(i == 0)).collect::<Vec<_>>(),
            view.candles.iter().map(|c| c.hollow).collect::<Vec<_>>(),
        )
    };
    use Direction::{Down, Flat, Up};
    assert_eq!(directions(json!({})), (vec![Flat, Up, Down, Up], vec![false; 4]));
    // Against the previous close: 12 > 10 up, 11 < 12 down, 11 = 11 up; hollow where close ≥ open.
    assert_eq!(
        directions(json!({"colorStrategy": "close-close"})),
        (vec![Flat, Up, Down, Up], vec![true, true, false, true])
    );
    // "First" is the first candle shown: from the fourth sample on, its even candle is flat.
    let view = candlestick_view(&series, &json!({}), &json!({}), Theme::Dark);
    let markup = candlestick_markup(&view, (150_000.0, 200_000.0), (400.0, 200.0), &[], 0);
    assert!(markup.contains("data-time=\"180000\" data-direction=\"flat\""), "{markup}");
    // Against the row just before: a close missing there is no change, not the older close.
    let gap = [sampled("open", &[1.0, 1.0, 1.0]), sampled("close", &[5.0, f64::NAN, 3.0])];
    let view = candlestick_view(&gap, &json!({"colorStrategy": "close-close"}), &json!({}), Theme::Dark);
    assert_eq!(view.candles.iter().map(|c| c.change).collect::<Vec<_>>(), [0.0, 0.0], "{:?}", view.candles);
    let default_colors = candlestick_view(&series, &json!({}), &json!({}), Theme::Dark).colors;
    let custom = candlestick_view(
        &series,
        &json!({"colors": {"up": "#00ff00", "down": "blue"}}),
        &json!({}),
        Theme::Dark,
    );
    assert_eq!(custom.colors[0], "#00ff00");
    assert_ne!(custom.colors[1], default_colors[1]);
}

#[test]
fn modes_pick_what_is_drawn_and_the_rest_are_lines_when_asked() {
    let series = [
        sampled("open", &[1.0, 2.0]),
        sampled("close", &[2.0, 1.0]),
        sampled("volume", &[5.0, 7.0]),
        sampled("other", &[3.0, 3.0]),
    ];
    let volume = candlestick_view(&series, &json!({"mode": "volume"}), &json!({}), Theme::Dark);
    assert!(!volume.draw_price && volume.draw_volume && !volume.volume_below_price);
    let candles = candlestick_view(&series, &json!({"mode": "candles"}), &json!({}), Theme::Dark);
    assert!(candles.draw_price && !candles.draw_volume);
    assert!(candles.lines.is_empty(), "unmapped fields are dropped by default");
    let all = candlestick_view(&series, &json!({"includeAllFields": true}), &json!({}), Theme::Dark);
    assert_eq!(all.lines.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(), ["other"]);
    // Volume mode without a volume field: every field is a line.
    let lines = candlestick_view(&series[..2], &json!({"mode": "volume"}), &json!({}), Theme::Dark);
    assert_eq!(lines.lines.len(), 2);
    // Volume mode: open and close are drawn as lines on an axis of their own (Grafana's
    // "indicesOnly" fields), and the volume keeps its field's unit.
    let volume = candlestick_view(
        &series,
        &json!({"mode": "volume"}),
        &json!({"overrides": [{"matcher": {"id": "byName", "options": "volume"}, "properties": [{"id": "unit", "value": "bytes"}]}]}),
        Theme::Dark,
    );
    assert_eq!(volume.lines.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(), ["open", "close"]);
    assert_eq!(volume.volume_unit, "bytes");
    assert_eq!(candlestick_view(&series, &json!({}), &json!({}), Theme::Dark).volume_unit, "short");
    let markup = candlestick_markup(&volume, (-60_000.0, 120_000.0), (400.0, 236.0), &[], 0);
    assert_eq!(markup.matches("candlestick-line").count(), 2);
    assert!(markup.contains("volume-bar") && !markup.contains("class=\"body\""));
}

#[test]
fn markup_draws_bodies_wicks_and_volume_at_a_seventh_with_escaped_names() {
    let series = [
        sampled("open", &[10.0, 12.0]),
        sampled("high", &[15.0, 14.0]),
        sampled("low", &[9.0, 11.0]),
        sampled("close", &[12.0, 11.0]),
        sampled("<b>v</b>", &[100.0, 50.0]),
    ];
    let view = candlestick_view(&series, &json!({"fields": {"volume": "<b>v</b>"}}), &json!({}), Theme::Dark);
    let markup = candlestick_markup(&view, (-60_000.0, 120_000.0), (400.0, 236.0), &[], 0);
    assert_eq!(markup.matches("class=\"body\"").count(), 2);
    assert_eq!(markup.matches("class=\"wick\"").count(), 2);
    assert!(markup.contains("&lt;b&gt;v&lt;/b&gt;: 100") && !markup.contains("<b>"), "{markup}");
    // The plot is 236 - 8 - 22 = 206 px tall; the largest volume is a seventh of it.
    let volume_height: f64 = markup
        .split("class=\"volume-bar\" data-volume=\"100\"")
        .nth(1)
        .and_then(|rest| rest.split("height=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .and_then(|h| h.parse().ok())
        .expect("a volume bar");
    assert!((volume_height - 206.0 / 7.0).abs() < 0.1, "{volume_height}");
    let bars = candlestick_view(
        &series,
        &json!({"candleStyle": "ohlcbars", "mode": "candles"}),
        &json!({}),
        Theme::Dark,
    );
    let markup = candlestick_markup(&bars, (-60_000.0, 120_000.0), (400.0, 236.0), &[], 0);
    assert_eq!((markup.matches("open-tick").count(), markup.matches("class=\"body\"").count()), (2, 0));
    assert!(!markup.contains("volume-bar"));
}
