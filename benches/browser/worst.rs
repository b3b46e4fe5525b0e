//! Grafana's worst cases users report (issue 17): repeated panels — a row of 8 stat panels
//! repeated over 100 hosts, 800 panels (Grafana 11.5 took minutes: grafana/grafana#104185) — and
//! a dashboard of 200 time-series panels. For each, in a fresh browser per run: the first screen
//! drawn (from navigation, as the load case measures it), then the whole page scrolled a window at
//! a time, each window waited for until its panels settle — nine in ten panels must be seen
//! settled and none in error, or the run fails —, and the long tasks on the way (count and
//! longest). Targets: first screen < 1.5 s; whole page < 5 s (repeats); no task > 200 ms while
//! scrolling (200 panels). Median and spread (min–max) of [`RUNS`] runs.

use super::browser::Browser;
use super::stack::{ChromeDriver, Result, Stack};
use super::{LONG_TASKS_SCRIPT, Results, long_tasks, median, open, round, wait_for_load};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

pub const RUNS: usize = 3;
const HOSTS: usize = 100;
const STATS_PER_HOST: usize = 8;
const TIME_SERIES_PANELS: usize = 200;

/// The two dashboards, as (file name, JSON).
pub fn dashboards() -> Vec<(&'static str, Value)> {
    // Each host's panels ask a query of their own (the host is in its text), as a repeat over
    // real hosts does, and get the node exporter's series back.
    let stat = |id: usize, x: usize, expr: &str| {
        json!({"id": id, "type": "stat", "title": format!("{expr} on $host"),
               "gridPos": {"x": x, "y": 1, "w": 3, "h": 4},
               "targets": [{"refId": "A", "expr": format!("label_replace({expr}, \"host\", \"$host\", \"\", \"\")")}],
               "options": {"reduceOptions": {"calcs": ["lastNotNull"]}, "graphMode": "area"}})
    };
    let exprs = [
        "node_load1",
        "node_load5",
        "node_memory_MemAvailable_bytes",
        "node_memory_MemTotal_bytes",
        "rate(node_cpu_seconds_total{mode=\"idle\"}[$__rate_interval])",
        "rate(node_network_receive_bytes_total[$__rate_interval])",
        "node_filesystem_avail_bytes",
        "node_time_seconds",
    ];
    let mut repeated =
        vec![json!({"id": 1, "type": "row", "title": "Host $host", "repeat": "host", "collapsed": false,
                                   "gridPos": {"x": 0, "y": 0, "w": 24, "h": 1}, "panels": []})];
    repeated.extend((0..STATS_PER_HOST).map(|i| stat(i + 2, i * 3, exprs[i])));
    let hosts: Vec<String> = (0..HOSTS).map(|i| format!("host-{i:03}")).collect();
    let host = json!({"name": "host", "type": "custom", "query": hosts.join(","), "includeAll": true, "multi": true,
                      "current": {"text": ["All"], "value": ["$__all"]}});
    let time_series: Vec<Value> = (0..TIME_SERIES_PANELS)
        .map(|i| {
            json!({"id": i + 1, "type": "timeseries", "title": format!("Panel {i}"),
                   "gridPos": {"x": (i % 4) * 6, "y": (i / 4) * 6, "w": 6, "h": 6},
                   "targets": [{"refId": "A", "expr": format!("{} + {i} * 0", exprs[i % exprs.len()])}]})
        })
        .collect();
    vec![
        (
            "repeated.json",
            json!({"uid": "bench-repeated", "title": "8 stats × 100 hosts", "schemaVersion": 42, "refresh": "",
                   "time": {"from": "now-1h", "to": "now"}, "templating": {"list": [host]}, "panels": repeated}),
        ),
        (
            "panels200.json",
            json!({"uid": "bench-panels200", "title": "200 time series", "schemaVersion": 42, "refresh": "",
                   "time": {"from": "now-1h", "to": "now"}, "panels": time_series}),
        ),
    ]
}

/// Whether every panel in the window has settled (and, once it has, each one's state is kept in
/// `window.__visited`), whether the window is at the page's end, the panels on the page, and the
/// scroll position.
const WINDOW_SCRIPT: &str = r#"
const inWindow = [...document.querySelectorAll('.panel[data-panel-id]')].filter(p => {
  const r = p.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; });
const settled = inWindow.length > 0 && inWindow.every(p => p.dataset.state !== 'loading');
if (settled) {
  window.__visited = window.__visited || new Map();
  for (const p of inWindow) window.__visited.set(p.dataset.panelId, p.dataset.state);
}
return [settled, scrollY + innerHeight >= document.documentElement.scrollHeight - 2,
        document.querySelectorAll('.panel[data-panel-id]').length, scrollY];
"#;

/// The panels seen settled on the way down, and how many of them were in error.
const VISITED_SCRIPT: &str = r#"
const states = [...(window.__visited || new Map()).values()];
return [states.length, states.filter(s => s === 'error').length];
"#;

/// Waits for the window's panels: (at the page's end, panels on the page, scroll position).
async fn settle_window(browser: &Browser, what: &str) -> Result<(bool, f64, f64)> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let value = browser.execute(WINDOW_SCRIPT, vec![]).await?;
        if value[0] == json!(true) {
            let number = |index: usize| value[index].as_f64().unwrap_or(0.0);
            return Ok((value[1] == json!(true), number(2), number(3)));
        }
        if Instant::now() > deadline {
            return Err(format!("{what}: a window of panels did not settle within 60 s").into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// One run: (first screen ms, whole page ms, long tasks while scrolling, the longest, panels
/// mounted at the end).
async fn run_once(chromedriver: &ChromeDriver, url: &str, what: &str, panels: usize) -> Result<[f64; 5]> {
    let browser = open(chromedriver, 1.0).await?;
    let started = Instant::now();
    browser.client.goto(url).await?;
    browser.execute(LONG_TASKS_SCRIPT, vec![]).await?;
    let first = wait_for_load(&browser, what).await?;
    let first_ms = first["ms"].as_f64().unwrap_or(f64::NAN);
    // The first screen's long tasks are the load's; the observer keeps the scroll's until read.
    long_tasks(&browser).await?;
    // The first screen's panels are recorded as seen too.
    let (_, mut mounted, _) = settle_window(&browser, what).await?;
    let mut position = -1.0;
    loop {
        browser.execute("window.scrollBy(0, innerHeight);", vec![]).await?;
        let (at_end, on_page, scrolled_to) = settle_window(&browser, what).await?;
        mounted = mounted.max(on_page);
        if at_end {
            break;
        }
        if scrolled_to <= position {
            return Err(
                format!("{what}: the page stopped scrolling at {scrolled_to} px before its end").into()
            );
        }
        position = scrolled_to;
    }
    let whole_ms = started.elapsed().as_secs_f64() * 1000.0;
    let (count, longest) = long_tasks(&browser).await?;
    // The panels were seen drawn (a repeat that did not expand, or a Prometheus that failed,
    // would otherwise make a fast page). A window can settle before the band below it is mounted,
    // so a few panels may pass unseen; nine in ten must not.
    let visited = browser.execute(VISITED_SCRIPT, vec![]).await?;
    let seen = visited[0].as_u64().unwrap_or(0) as usize;
    if seen * 10 < panels * 9 || visited[1].as_u64() != Some(0) {
        return Err(format!(
            "{what}: {seen} panels seen settled, {} in error; expected {panels}, none",
            visited[1]
        )
        .into());
    }
    browser.finish().await?;
    Ok([first_ms, whole_ms, count, longest, mounted])
}

/// Both cases, each [`RUNS`] times.
pub async fn worst_cases(chromedriver: &ChromeDriver, stack: &Stack, results: &mut Results) -> Result<()> {
    for (key, uid, what, panels) in [
        ("repeated", "bench-repeated", "8 stats × 100 hosts", HOSTS * STATS_PER_HOST),
        ("panels200", "bench-panels200", "200 time series", TIME_SERIES_PANELS),
    ] {
        let url = format!("{}/d/{uid}/x", stack.app_url);
        let mut runs: Vec<[f64; 5]> = Vec::new();
        for _ in 0..RUNS {
            let run = run_once(chromedriver, &url, what, panels).await?;
            println!(
                "  {what}: first screen {:.0} ms, whole page scrolled {:.0} ms, {} long tasks scrolling (longest {:.0} ms), {} panels mounted at most",
                run[0], run[1], run[2], run[3], run[4]
            );
            runs.push(run);
        }
        for (index, name) in
            ["first_screen_ms", "whole_page_ms", "scroll.long_tasks", "scroll.longest_task_ms"]
                .iter()
                .enumerate()
        {
            let mut values: Vec<f64> = runs.iter().map(|run| run[index]).collect();
            let (min, max) = values
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
            results.insert(format!("worst.{key}.{name}"), round(median(&mut values), 1));
            results.insert(format!("worst.{key}.{name}.min"), round(min, 1));
            results.insert(format!("worst.{key}.{name}.max"), round(max, 1));
        }
    }
    Ok(())
}

/// The report's section.
pub fn report(results: &Results) -> String {
    let get = |key: &str| results.get(key).copied().unwrap_or(f64::NAN);
    let figure =
        |key: &str| format!("{} ({}–{})", get(key), get(&format!("{key}.min")), get(&format!("{key}.max")));
    let mut out = format!(
        "\n## Worst cases: repeated panels and 200 panels (median and min–max of {RUNS} runs)\n\n| case | first screen ms (< 1500) | whole page scrolled ms | long tasks scrolling | longest task ms (≤ 200) |\n|---|---:|---:|---:|---:|\n"
    );
    for (key, name) in [("repeated", "8 stats × 100 hosts (800 panels)"), ("panels200", "200 time series")] {
        out.push_str(&format!(
            "| {name} | {} | {} | {} | {} |\n",
            figure(&format!("worst.{key}.first_screen_ms")),
            figure(&format!("worst.{key}.whole_page_ms")),
            figure(&format!("worst.{key}.scroll.long_tasks")),
            figure(&format!("worst.{key}.scroll.longest_task_ms")),
        ));
    }
    out.push_str("\nThe whole page: from navigation until the last window has settled, a window's height scrolled at a time (each window waited for until its panels are drawn).\n");
    out
}
