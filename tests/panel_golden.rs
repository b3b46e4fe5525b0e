//! Golden tests of the panels' pure outputs: one set of series (a sawtooth, a step, a sparse
//! series, a table-like pair) through every panel kind's view — stat, gauge and bar gauge values,
//! pie slices, the table, and the markup of the state timeline, status history, histogram, bar
//! chart, XY chart, trend and candlestick — compared whole with `tests/golden/panels/`. Moving or
//! reshaping panel code must leave these unchanged; when a change is meant,
//! `UPDATE_EXPECT=1 cargo test --test panel_golden` rewrites them and the diff is reviewed.
#![cfg(not(target_arch = "wasm32"))]

use expect_test::{ExpectFile, expect_file};
use promboard::field::{DisplaySeries, Theme, classic_palette_color, last_not_null};
use promboard::panels::barchart::barchart_view;
use promboard::panels::barchart::markup::barchart_markup;
use promboard::panels::candlestick::{candlestick_markup, candlestick_view};
use promboard::panels::gauge::scaled_values;
use promboard::panels::histogram::{histogram_markup, histogram_view};
use promboard::panels::pie::pie_view;
use promboard::panels::stat::stat_view;
use promboard::panels::state_timeline::{timeline_markup, timeline_view};
use promboard::panels::table::table_view;
use promboard::panels::xychart::{xy_markup, xy_view};
use serde_json::{Value, json};
use std::sync::Arc;

const MINUTE: f64 = 60_000.0;
const RANGE: (f64, f64) = (0.0, 30.0 * MINUTE);

fn series(index: usize, name: &str, labels: &[(&str, &str)], values: &[Option<f64>]) -> DisplaySeries {
    let points: Vec<(f64, f64)> =
        values.iter().enumerate().map(|(i, v)| (i as f64 * 3.0 * MINUTE, v.unwrap_or(f64::NAN))).collect();
    DisplaySeries {
        ref_id: "A".into(),
        name: name.into(),
        labels: labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        color: classic_palette_color(index, Theme::Dark),
        last_not_null: last_not_null(&points),
        points_ms: Arc::new(points),
    }
}

/// Ten samples three minutes apart: a sawtooth, a step, a sparse series.
fn sample() -> Vec<DisplaySeries> {
    let saw: Vec<Option<f64>> = (0..10).map(|i| Some(20.0 + f64::from(i % 4) * 2.5)).collect();
    let step: Vec<Option<f64>> = (0..10).map(|i| Some(if i < 5 { 0.0 } else { 1.0 })).collect();
    let sparse: Vec<Option<f64>> = (0..10).map(|i| (i % 3 == 0).then_some(f64::from(i) * 10.0)).collect();
    vec![
        series(0, "open", &[("job", "a")], &saw),
        series(1, "close", &[("job", "b")], &step),
        series(2, "volume", &[("job", "c")], &sparse),
    ]
}

fn thresholds() -> Value {
    json!({"defaults": {"unit": "short", "thresholds": {"mode": "absolute", "steps": [
        {"color": "green", "value": null}, {"color": "orange", "value": 1}, {"color": "red", "value": 25}]}}, "overrides": []})
}

fn check(golden: ExpectFile, shown: String) {
    golden.assert_eq(&(shown + "\n"));
}

#[test]
fn reduced_value_panels() {
    let series = sample();
    let stat = stat_view(&series, &json!({"reduceOptions": {"calcs": ["mean"]}}), &thresholds(), Theme::Dark);
    let gauges =
        scaled_values(&series, &json!({"reduceOptions": {"calcs": ["max"]}}), &thresholds(), Theme::Light);
    let pie = pie_view(
        &series,
        &json!({"pieType": "donut"}),
        &json!({"defaults": {"unit": "percent"}}),
        Theme::Dark,
    );
    check(
        expect_file!["golden/panels/reduced.txt"],
        format!("stat: {stat:#?}\n\ngauges (light theme): {gauges:#?}\n\npie: {pie:#?}"),
    );
}

#[test]
fn table_panel() {
    let series = sample();
    let transformations = json!([{"id": "reduce", "options": {"reducers": ["min", "max", "lastNotNull"]}}]);
    let table = table_view(&series, &transformations, &thresholds(), Theme::Dark);
    check(expect_file!["golden/panels/table.txt"], format!("{table:#?}"));
}

#[test]
fn markup_panels() {
    let series = sample();
    let ticks: Vec<(f64, String)> =
        (0..=3).map(|i| (f64::from(i) * 10.0 * MINUTE, format!("00:{:02}", i * 10))).collect();
    let timeline = timeline_view(&series, &json!({}), &thresholds(), RANGE, false, Theme::Dark);
    let status = timeline_view(&series, &json!({"colWidth": 0.8}), &thresholds(), RANGE, true, Theme::Dark);
    let histogram = histogram_view(&series[..1], &json!({"bucketSize": 2.5}), &json!({}));
    let bars = barchart_view(
        &series[..2],
        false,
        &json!([]),
        &json!({"stacking": "normal"}),
        &json!({}),
        0,
        Theme::Dark,
    );
    let xy = xy_view(&series, false, &json!([]), &json!({}), &json!({}), false, Theme::Dark);
    let trend =
        xy_view(&series, false, &json!([]), &json!({"xField": "close"}), &json!({}), true, Theme::Dark);
    let candles =
        candlestick_view(&series, &json!({"colorStrategy": "close-close"}), &json!({}), Theme::Dark);
    let size = (480.0, 200.0);
    let sections = [
        ("state timeline", timeline_markup(&timeline, RANGE, size, &ticks, &[])),
        ("status history", timeline_markup(&status, RANGE, size, &ticks, &[])),
        ("histogram", histogram_markup(&histogram, size)),
        ("bar chart", barchart_markup(&bars, size)),
        ("XY chart", xy_markup(&xy, size)),
        ("trend", xy_markup(&trend, size)),
        ("candlestick", candlestick_markup(&candles, RANGE, size, &ticks, 0)),
    ];
    let shown: Vec<String> = sections
        .iter()
        .map(|(name, markup)| format!("== {name}\n{}", markup.replace("><", ">\n<")))
        .collect();
    check(expect_file!["golden/panels/markup.txt"], shown.join("\n\n"));
}
