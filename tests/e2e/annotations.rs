//! Annotations from the real Prometheus, drawn on the time-series panels they apply to.

use crate::World;
use crate::browser::Browser;
use crate::editing::ensure;
use crate::fixture;
use crate::stack::Result;
use serde_json::{Value, json};
use std::time::Duration;

const COUNTS: &str = "return ['1', '2'].map(id => document.querySelector(`[data-panel-id=\"${id}\"]`)?.dataset.annotations ?? null);";

/// What the fixture's history gives, worked out by hand from `fixture.rs`:
/// - "Hot a" (`sensor a >= 28`, step 60 s): sensor a is 20 + i % 12 at scrape i (every 15 s), so at
///   minute m it is 20 + 4m % 12, 28 when m % 3 == 2: minutes 2, 5, …, 59 — 20 points, three steps
///   apart, never merged.
/// - "Warm b" (`sensor b >= 29`, step 15 s, panel 2 only): 30 − (i % 8) / 2 is at least 29 for
///   i % 8 ∈ {0, 1, 2}: 30 regions of three samples in the hour, and the last scrape alone.
pub fn annotations_from_prometheus_are_drawn_where_they_apply(world: &World) -> Result<()> {
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        let range = format!("from={}&to={}", fixture::START_S * 1000, fixture::END_S * 1000);
        // Visited first, so the dashboard list's "Recently viewed" has it after this one.
        browser.goto(&format!("{}/d/e2e-rows/e2e-rows?{range}", world.stack.app_url)).await?;
        browser.settled_panel_states().await?;
        browser.goto(&format!("{}/d/e2e-annotations/e2e-annotations?{range}", world.stack.app_url)).await?;
        browser.settled_panel_states().await?;
        let counts_are = |expected: Value| format!("const c = (() => {{ {COUNTS} }})(); return JSON.stringify(c) === '{expected}';");
        browser.wait_for("the annotations", Duration::from_secs(20), &counts_are(json!(["20", "51"]))).await?;
        browser.screenshot("annotations").await?;
        let regions = browser
            .execute("return document.querySelectorAll('[data-panel-id=\"2\"] .annotation-region').length;", vec![])
            .await?;
        ensure(regions == json!(30), || format!("panel 2 shades {regions} regions"))?;
        let first = browser
            .execute("return document.querySelector('[data-panel-id=\"1\"] .annotation-marker')?.title ?? null;", vec![])
            .await?;
        let first = first.as_str().unwrap_or_default().to_string();
        ensure(
            first.lines().next().is_some_and(|time| time.ends_with(":02:00")) && first.contains("a hot") && first.contains("at least 28 °C") && first.ends_with("\na"),
            || format!("first marker says {first:?}"),
        )?;
        // The toggles: three shown (the built-in one is hidden), one off as the file says.
        let toggles = browser
            .execute(
                "return [...document.querySelectorAll('.annotation-toggle')].map(t => [t.dataset.annotation, t.querySelector('input').checked]);",
                vec![],
            )
            .await?;
        ensure(toggles == json!([["Hot a", true], ["Warm b", true], ["Off at first", false]]), || format!("toggles: {toggles}"))?;
        // The state timeline draws the same events as the time series (all but panel 2's own),
        // over its states: e2e_flaky_up is UP, absent for the gap (after Prometheus's 5 minute
        // lookback), UP again from the gap's end.
        let timeline = browser.required_panel_attribute("3", "data-annotations").await?;
        ensure(timeline == "20", || format!("the state timeline draws {timeline} annotations"))?;
        let states = browser
            .execute("return [...document.querySelectorAll('[data-panel-id=\"3\"] .state-box')].map(b => [b.dataset.stateText, Number(b.dataset.start), Number(b.dataset.end)]);", vec![])
            .await?;
        let states: Vec<(String, f64, f64)> = serde_json::from_value(states)?;
        let (gap_start, gap_end) = ((fixture::GAP_START_S * 1000) as f64, (fixture::GAP_END_S * 1000) as f64);
        ensure(
            states.len() == 2
                && states.iter().all(|(text, _, _)| text == "UP")
                && states[0].1 == (fixture::START_S * 1000) as f64
                && states[0].2 > gap_start
                && states[0].2 <= gap_start + 360_000.0
                && states[1].1 == gap_end,
            || format!("flaky states: {states:?}"),
        )?;
        // The status history: one cell per sample, red from 29.5 °C (30 and 29.5 of every 8).
        let cells = browser
            .execute("return [...document.querySelectorAll('[data-panel-id=\"4\"] .state-box')].map(b => b.dataset.stateText);", vec![])
            .await?;
        let cells: Vec<String> = serde_json::from_value(cells)?;
        let hot = cells.iter().filter(|c| *c == "30 °C" || *c == "29.5 °C").count();
        ensure(cells.len() >= 100 && hot * 4 >= cells.len() - 8 && hot * 4 <= cells.len() + 8, || {
            format!("{} status cells, {hot} at 29.5 °C or more", cells.len())
        })?;
        let legend = browser
            .execute("return [...document.querySelectorAll('[data-panel-id=\"4\"] .timeline-legend-item')].map(i => i.textContent);", vec![])
            .await?;
        ensure(legend == json!(["< 29.5 °C", "29.5 °C+"]), || format!("status history legend: {legend}"))?;
        browser.screenshot("state-timeline").await?;
        // The dashboard list: this browser's visits, most recent first, and the search (title
        // contains "e2e", tagged e2e, by title, three at most); links keep the time range.
        let groups_script = "return [...document.querySelectorAll('[data-panel-id=\"5\"] .dashlist-group')].map(g => [g.dataset.group, [...g.querySelectorAll('.dashlist-link')].map(a => a.textContent)]);";
        browser
            .wait_for("the dashboard list", Duration::from_secs(20), &format!("const g = (() => {{ {groups_script} }})(); return g.length === 2 && g[1][1].length === 3;"))
            .await?;
        let groups = browser.execute(groups_script, vec![]).await?;
        ensure(
            groups[0][0] == "Recently viewed dashboards"
                && groups[0][1][0] == "E2E annotations"
                && groups[0][1][1] == "E2E rows"
                && groups[1] == json!(["Search", ["E2E errors", "E2E fixture", "E2E options"]]),
            || format!("dashboard list groups: {groups}"),
        )?;
        let href = browser.execute("return document.querySelector('[data-panel-id=\"5\"] .dashlist-link').getAttribute('href');", vec![]).await?;
        ensure(href.as_str().is_some_and(|h| h.starts_with("/d/e2e-annotations/") && h.contains(&format!("from={}", fixture::START_S * 1000))), || format!("link: {href}"))?;
        // The histogram of sensor a (20 + i % 12 °C): buckets of 2 from 20, about as many
        // samples in each.
        let bars = browser
            .execute("return [...document.querySelectorAll('[data-panel-id=\"6\"] .histogram-bar')].map(b => [Number(b.dataset.bucket), Number(b.dataset.count)]);", vec![])
            .await?;
        let bars: Vec<(f64, u64)> = serde_json::from_value(bars)?;
        let total: u64 = bars.iter().map(|(_, c)| c).sum();
        ensure(
            bars.iter().map(|(b, _)| *b).collect::<Vec<_>>() == [20.0, 22.0, 24.0, 26.0, 28.0, 30.0]
                && total >= 100
                && bars.iter().all(|(_, c)| c.abs_diff(total / 6) <= 2),
            || format!("histogram bars (bucket, count): {bars:?}"),
        )?;
        // Bar charts. A table (max by sensor, instant, at the range's end: a = 20, b = 30):
        // categories from the sensor column, values written above the bars.
        browser
            .wait_for("the bar charts", Duration::from_secs(20), "return document.querySelectorAll('[data-panel-id=\"8\"] .barchart-bar').length === 2 && document.querySelectorAll('[data-panel-id=\"9\"] .barchart-bar').length === 14;")
            .await?;
        let bars = browser
            .execute("return [...document.querySelectorAll('[data-panel-id=\"8\"] .barchart-bar')].map(b => [b.dataset.category, Number(b.dataset.value), b.getBBox().height]);", vec![])
            .await?;
        let bars: Vec<(String, f64, f64)> = serde_json::from_value(bars)?;
        let texts = browser
            .execute("return [...document.querySelectorAll('[data-panel-id=\"8\"] .barchart-value')].map(t => t.textContent);", vec![])
            .await?;
        ensure(
            bars.iter().map(|(c, v, _)| (c.as_str(), *v)).collect::<Vec<_>>() == [("a", 20.0), ("b", 30.0)]
                && (bars[1].2 / bars[0].2 - 1.5).abs() < 0.01
                && texts == json!(["20 °C", "30 °C"]),
            || format!("bars (category, value, height): {bars:?}, texts {texts}"),
        )?;
        // Time series every ten minutes, stacked: a seven-category chart, sensor a's sawtooth at
        // 10-minute steps (20 + i % 12 °C, i = 40 k) and sensor b (always 30 there) on top of it.
        let stacked = browser
            .execute("return ['a', 'b'].map(f => [...document.querySelectorAll(`[data-panel-id=\"9\"] .barchart-field[data-field=\"${f}\"] .barchart-bar`)].map(b => { const r = b.getBBox(); return [Number(b.dataset.value), r.y, r.y + r.height]; }));", vec![])
            .await?;
        let stacked: Vec<Vec<(f64, f64, f64)>> = serde_json::from_value(stacked)?;
        let categories = browser
            .execute("return [...document.querySelectorAll('[data-panel-id=\"9\"] .barchart-field[data-field=\"a\"] .barchart-bar')].map(b => b.dataset.category);", vec![])
            .await?;
        ensure(
            stacked.len() == 2
                && stacked[0].iter().map(|b| b.0).collect::<Vec<_>>() == [20.0, 24.0, 28.0, 20.0, 24.0, 28.0, 20.0]
                && stacked[1].iter().all(|b| b.0 == 30.0)
                && stacked[0].iter().zip(&stacked[1]).all(|(a, b)| (b.2 - a.1).abs() < 0.6)
                && categories.as_array().is_some_and(|c| c.len() == 7 && c.iter().all(|c| c.as_str().is_some_and(|c| c.len() == 5 && c.ends_with('0')))),
            || format!("stacked bars (value, top, bottom): {stacked:?}, categories {categories}"),
        )?;
        browser.execute("document.querySelector('[data-panel-id=\"8\"]').scrollIntoView();", vec![]).await?;
        browser.screenshot("barchart").await?;
        // An XY chart of sensor b against a, and a trend of a by b, every five minutes (i = 20 k):
        // the pairs the fixture's formulas give; the trend's points in x order.
        let expected: Vec<(f64, f64)> = (0..=12)
            .map(|k| {
                let i = k * 20;
                ((20 + i % 12) as f64, 30.0 - (i % 8) as f64 * 0.5)
            })
            .collect();
        browser
            .wait_for("the XY chart and the trend", Duration::from_secs(20), "return document.querySelectorAll('[data-panel-id=\"10\"] .xy-point').length === 13 && document.querySelectorAll('[data-panel-id=\"11\"] .xy-point').length === 13;")
            .await?;
        let points = |panel: &'static str| {
            let browser = &browser;
            async move {
                let points = browser
                    .execute(&format!("return [...document.querySelectorAll('[data-panel-id=\"{panel}\"] .xy-point')].map(p => [Number(p.dataset.x), Number(p.dataset.y)]);"), vec![])
                    .await?;
                Result::Ok(serde_json::from_value::<Vec<(f64, f64)>>(points)?)
            }
        };
        let (xy, trend) = (points("10").await?, points("11").await?);
        let mut by_b: Vec<(f64, f64)> = expected.iter().map(|(a, b)| (*b, *a)).collect();
        by_b.sort_by(|p, q| p.0.total_cmp(&q.0));
        ensure(
            xy == expected && trend.iter().map(|p| p.0).collect::<Vec<_>>() == by_b.iter().map(|p| p.0).collect::<Vec<_>>()
                && browser.execute("return document.querySelectorAll('[data-panel-id=\"11\"] .xy-line').length;", vec![]).await? == json!(1),
            || format!("XY points {xy:?}, trend points {trend:?}"),
        )?;
        browser.execute("document.querySelector('[data-panel-id=\"10\"]').scrollIntoView();", vec![]).await?;
        browser.screenshot("xychart").await?;
        // Candles of sensor a every five minutes (i = 20 k) from five queries named by their
        // legends: open 45 s before (i - 3), high and low over the four samples i - 3 … i, close
        // at i, the sample count as volume (`fields.volume`). At k = 0 there is no open yet: a
        // volume bar alone.
        browser.execute("document.querySelector('[data-panel-id=\"12\"]').scrollIntoView();", vec![]).await?;
        browser
            .wait_for("the candlestick", Duration::from_secs(20), "return document.querySelectorAll('[data-panel-id=\"12\"] .candle .body').length === 12;")
            .await?;
        let candles = browser
            .execute("return [...document.querySelectorAll('[data-panel-id=\"12\"] .candle .body')].map(b => [['open', 'high', 'low', 'close'].map(k => Number(b.dataset[k])), b.parentNode.dataset.direction, b.getAttribute('fill')]);", vec![])
            .await?;
        let candles: Vec<([f64; 4], String, String)> = serde_json::from_value(candles)?;
        let expected: Vec<([f64; 4], String)> = (1..=12)
            .map(|k| {
                let window: Vec<f64> = (20 * k - 3..=20 * k).map(|i| (20 + i % 12) as f64).collect();
                let (open, close) = (window[0], window[3]);
                let prices = [open, window.iter().copied().fold(0.0, f64::max), window.iter().copied().fold(99.0, f64::min), close];
                (prices, if close < open { "down" } else { "up" }.to_string())
            })
            .collect();
        let volumes = browser
            .execute("return [...document.querySelectorAll('[data-panel-id=\"12\"] .volume-bar')].map(b => Number(b.dataset.volume));", vec![])
            .await?;
        let volumes: Vec<f64> = serde_json::from_value(volumes)?;
        let colors: std::collections::BTreeSet<(&str, &str)> =
            candles.iter().map(|(_, direction, fill)| (direction.as_str(), fill.as_str())).collect();
        ensure(
            candles.iter().map(|(p, d, _)| (*p, d.clone())).collect::<Vec<_>>() == expected
                && volumes.len() == 13
                && volumes[1..].iter().all(|v| *v == 4.0)
                && colors.len() == 2
                && expected.iter().any(|(_, d)| d == "down"),
            || format!("candles {candles:?} (expected {expected:?}), volumes {volumes:?}"),
        )?;
        browser.screenshot("candlestick").await?;
        // A refresh over a fixed range asks again and gets the same data back: panel 1's answer
        // comes back (its `data-answers` count grows) and its chart is not drawn again.
        let panel_1 = "const p = document.querySelector('[data-panel-id=\"1\"]'); return [p.dataset.answers, p.querySelector('.chart').dataset.draws];";
        let before = browser.execute(panel_1, vec![]).await?;
        browser.execute("document.querySelector('button.refresh').click();", vec![]).await?;
        browser
            .wait_for("panel 1's refreshed answer", Duration::from_secs(10), &format!("return Number(document.querySelector('[data-panel-id=\"1\"]').dataset.answers) > {};", before[0].as_str().unwrap_or("0")))
            .await?;
        let after = browser.execute(panel_1, vec![]).await?;
        ensure(after[1] == before[1] && before[1] != json!("0"), || format!("panel 1's (answers, draws) before and after an identical refresh: {before} → {after}"))?;
        // The annotations list: "Hot a" events (tagged a), newest first, five of them; a click
        // shows ten minutes around one.
        let listed = browser
            .execute("return [...document.querySelectorAll('[data-panel-id=\"7\"] .annolist-event')].map(b => [Number(b.dataset.start), b.querySelector('.annolist-title').textContent]);", vec![])
            .await?;
        let listed: Vec<(f64, String)> = serde_json::from_value(listed)?;
        ensure(
            listed.len() == 5 && listed.windows(2).all(|w| w[0].0 > w[1].0) && listed.iter().all(|(_, t)| t == "a hot"),
            || format!("annotations list: {listed:?}"),
        )?;
        browser.execute("document.querySelector('[data-panel-id=\"7\"] .annolist-event').click();", vec![]).await?;
        let newest = listed[0].0 as i64;
        let expected = format!("from={}&to={}", newest - 600_000, newest + 600_000);
        browser
            .wait_for("the time around the event", Duration::from_secs(10), &format!("return location.search.includes('{expected}');"))
            .await?;
        browser.goto(&format!("{}/d/e2e-annotations/e2e-annotations?{range}", world.stack.app_url)).await?;
        browser.wait_for("the annotations again", Duration::from_secs(20), &counts_are(json!(["20", "51"]))).await?;
                // Turning "Hot a" off takes its events off every panel; nothing else changes.
        browser.execute("document.querySelector('[data-annotation=\"Hot a\"] input').click();", vec![]).await?;
        browser.wait_for("Hot a turned off", Duration::from_secs(10), &counts_are(json!(["0", "31"]))).await?;
        Ok(())
    })
}
