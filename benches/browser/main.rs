//! promboard's benchmark (issue 7): the release build behind our nginx, a real Prometheus over
//! backfilled histories, headless Chromium, and uPlot loaded into the same page. It prints figures
//! and writes `target/bench/report.md` and `target/bench/results.json`; it asserts nothing, because
//! a slow machine is not a defect. Run it with `scripts/bench` (which builds the app first).
//!
//! What is measured, and how, is written next to each measurement and in the report it writes.
//! Every figure is a median of several runs, and renders are compared as ratios within one page, so
//! that a noisy machine moves both sides alike.

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "a benchmark reports on stdout")]

#[path = "../../tests/e2e/browser.rs"]
#[allow(dead_code, reason = "shared with the end-to-end harness, which uses all of it")]
mod browser;
mod data;
#[path = "../../tests/e2e/fixture.rs"]
#[allow(dead_code, reason = "the stack module refers to the end-to-end fixture")]
mod fixture;
#[path = "../large_dashboard.rs"]
mod large_dashboard;
#[path = "../../tests/e2e/stack.rs"]
#[allow(dead_code, reason = "shared with the end-to-end harness, which uses all of it")]
mod stack;
mod worst;

use browser::Browser;
use large_dashboard::{LARGE_PANELS, large_dashboard};
use serde_json::{Value, json};
use stack::{ChromeDriver, FixtureBlocks, Result, ScratchDir, Stack, crate_dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The render cases of the issue: series × points per series.
const RENDER_CASES: &[(usize, usize)] =
    &[(1, 10_000), (1, 100_000), (1, 1_000_000), (10, 100_000), (100, 10_000), (1_000, 1_100)];
const WARM_UP_ROUNDS: usize = 2;
const TIMED_ROUNDS: usize = 7;
const LOAD_RUNS: usize = 5;
const MANY_RUNS: usize = 3;
const IDLE_SECONDS: u64 = 60;
const NEF_FILE: &str = "rfmoz__grafana-dashboards__node-exporter-full.json";

/// The flat `results.json`: key → number.
type Results = BTreeMap<String, f64>;

fn main() {
    let started = Instant::now();
    match run() {
        Ok(()) => println!("benchmark finished in {} s", started.elapsed().as_secs()),
        Err(error) => {
            eprintln!("benchmark failed: {error}");
            std::process::exit(1);
        }
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 }
}

/// A number the page returned, NaN when it is missing (a figure that could not be read).
fn figure(value: &Value, key: &str) -> f64 {
    value[key].as_f64().unwrap_or(f64::NAN)
}

fn round(value: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (value * scale).round() / scale
}

fn output_dir() -> PathBuf {
    crate_dir().join("target").join("bench")
}

fn run() -> Result<()> {
    let uplot_path = std::env::var_os("PROMBOARD_UPLOT")
        .map(PathBuf::from)
        .ok_or("PROMBOARD_UPLOT is not set: run the benchmark with scripts/bench, which installs uPlot")?;
    let uplot_source = std::fs::read_to_string(&uplot_path)
        .map_err(|error| format!("cannot read uPlot at {}: {error}", uplot_path.display()))?;

    println!(
        "generating histories and blocks: node exporter {} series × 24 h at {} s, 1,000 × 1,100, 200 × 11,000…",
        data::node_series_count(),
        data::NODE_SCRAPE_S
    );
    let now_s =
        (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64) / 15 * 15;
    let blocks_started = Instant::now();
    let blocks = FixtureBlocks::from_openmetrics("bench-blocks", |out| {
        data::node_history(out, now_s, data::NODE_HISTORY_S)?;
        data::synthetic_history(out)?;
        std::io::Write::write_all(out, b"# EOF\n")?;
        Ok(())
    })?;
    println!("  blocks ready in {} s", blocks_started.elapsed().as_secs());

    let dashboards = ScratchDir::new("bench-dashboards")?;
    let nef = write_dashboards(&dashboards.0)?;
    let stack = Stack::start_with(&blocks, &dashboards.0, "15s", None, None)?;
    let chromedriver = ChromeDriver::start()?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;

    let mut results = Results::new();
    let mut notes: Vec<String> = Vec::new();
    // PROMBOARD_BENCH_ONLY=render,load,many,catalogue,large,worst,idle (comma-separated) runs a
    // subset, for profiling.
    let only = std::env::var("PROMBOARD_BENCH_ONLY").unwrap_or_default();
    let wanted = |part: &str| only.is_empty() || only.split(',').any(|p| p.trim() == part);
    runtime.block_on(async {
        bundle(&stack, &uplot_path, &mut results)?;
        if wanted("render") {
            render(&chromedriver, &stack, &uplot_source, &mut results).await?;
        }
        if wanted("load") {
            match &nef {
                Some(uid) => load_nef(&chromedriver, &stack, uid, &mut results).await?,
                None => notes
                    .push(format!("Node Exporter Full was skipped: ../shared/corpus/{NEF_FILE} is absent.")),
            }
        }
        if wanted("many") {
            many(&chromedriver, &stack, &mut results).await?;
        }
        if wanted("catalogue") {
            for count in CATALOGUE_SIZES {
                catalogue(&blocks, &chromedriver, count, &mut results).await?;
            }
        }
        if wanted("large") {
            large(&chromedriver, &stack, &mut results).await?;
        }
        if wanted("worst") {
            worst::worst_cases(&chromedriver, &stack, &mut results).await?;
        }
        if wanted("idle") {
            idle(&chromedriver, &stack, &mut results).await?;
        }
        // Ten minutes: only when asked for by name (PROMBOARD_BENCH_ONLY=soak).
        if only.split(',').any(|p| p.trim() == "soak") {
            soak(&chromedriver, &stack, &mut results).await?;
        }
        Result::Ok(())
    })?;

    let dir = output_dir();
    std::fs::create_dir_all(&dir)?;
    let flat: serde_json::Map<String, Value> = results.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    std::fs::write(dir.join("results.json"), serde_json::to_string_pretty(&Value::Object(flat))? + "\n")?;
    let report = report(&results, &notes);
    std::fs::write(dir.join("report.md"), &report)?;
    println!("\n{report}");
    println!("wrote {} and {}", dir.join("report.md").display(), dir.join("results.json").display());
    Ok(())
}

/// The bench dashboards: Node Exporter Full read from the corpus (its licence keeps it out of this
/// repository), one panel over each many-series history, and 20 panels refreshing every 5 s.
/// Returns NEF's uid when the corpus is present.
fn write_dashboards(dir: &Path) -> Result<Option<String>> {
    let bench = dir.join("bench");
    std::fs::create_dir_all(&bench)?;
    let panel =
        |id: usize, expr: &str, max_points: usize, interval: &str, x: usize, y: usize, w: usize, h: usize| {
            json!({
                "id": id, "type": "timeseries", "title": format!("{expr} #{id}"),
                "gridPos": {"x": x, "y": y, "w": w, "h": h},
                "maxDataPoints": max_points, "interval": interval,
                "targets": [{"refId": "A", "expr": expr}],
                // 1,000 legend rows would measure the DOM, not the chart; Grafana users hide them too.
                "options": {"legend": {"showLegend": false, "displayMode": "list", "placement": "bottom"}}
            })
        };
    let dashboard = |uid: &str, title: &str, panels: Vec<Value>, refresh: &str| {
        json!({"uid": uid, "title": title, "schemaVersion": 42, "refresh": refresh,
               "time": {"from": "now-1h", "to": "now"}, "panels": panels})
    };
    let write = |name: &str, value: &Value| -> Result<()> {
        Ok(std::fs::write(bench.join(name), serde_json::to_string_pretty(value)?)?)
    };
    write(
        "many.json",
        &dashboard(
            "bench-many",
            "Many series",
            vec![panel(1, "bench_many", data::MANY_POINTS, "1m", 0, 0, 24, 12)],
            "",
        ),
    )?;
    write(
        "dense.json",
        &dashboard(
            "bench-dense",
            "Dense series",
            vec![panel(1, "bench_dense", data::DENSE_POINTS, "15s", 0, 0, 24, 12)],
            "",
        ),
    )?;
    let idle_exprs = [
        "rate(node_cpu_seconds_total{mode!=\"idle\"}[$__rate_interval])",
        "node_load1",
        "node_memory_MemAvailable_bytes",
        "rate(node_network_receive_bytes_total[$__rate_interval])",
        "rate(node_disk_read_bytes_total[$__rate_interval])",
    ];
    let idle_panels: Vec<Value> = (0..20)
        .map(|i| panel(i + 1, idle_exprs[i % idle_exprs.len()], 1_000, "", (i % 4) * 6, (i / 4) * 5, 6, 5))
        .collect();
    write("idle.json", &dashboard("bench-idle", "Idle (20 panels, 5 s refresh)", idle_panels, "5s"))?;
    write("large.json", &large_dashboard())?;
    for (name, dashboard) in worst::dashboards() {
        write(name, &dashboard)?;
    }

    let corpus = crate_dir().join("../shared/corpus").join(NEF_FILE);
    if !corpus.is_file() {
        println!("NOTICE: {} is absent; the Node Exporter Full load is skipped", corpus.display());
        return Ok(None);
    }
    let text = std::fs::read_to_string(&corpus)?;
    let nef: Value = serde_json::from_str(&text)?;
    std::fs::write(bench.join("node-exporter-full.json"), text)?;
    Ok(nef["uid"].as_str().map(str::to_string))
}

/// Gzipped bytes as nginx serves them (its gzip, `Accept-Encoding: gzip`).
fn served_gzip_bytes(url: &str) -> Result<f64> {
    let response = ureq::get(url).set("Accept-Encoding", "gzip").call()?;
    let encoding = response.header("Content-Encoding").unwrap_or("").to_string();
    let mut body = Vec::new();
    std::io::Read::read_to_end(&mut response.into_reader(), &mut body)?;
    if encoding != "gzip" {
        return Err(format!("{url} was not served gzipped (Content-Encoding: {encoding:?})").into());
    }
    Ok(body.len() as f64)
}

fn gzip_file_bytes(path: &Path) -> Result<f64> {
    let output = std::process::Command::new("gzip").arg("-9c").arg(path).output()?;
    Ok(output.stdout.len() as f64)
}

fn bundle(stack: &Stack, uplot: &Path, results: &mut Results) -> Result<()> {
    let mut wasm = None;
    let mut js = None;
    for entry in std::fs::read_dir(&stack.dist_dir)? {
        let name = entry?.file_name().to_string_lossy().to_string();
        if name.ends_with("_bg.wasm") {
            wasm = Some(name);
        } else if name.starts_with("promboard-") && name.ends_with(".js") {
            js = Some(name);
        }
    }
    let (Some(wasm), Some(js)) = (wasm, js) else { return Err("dist has no promboard wasm and JS".into()) };
    let wasm_bytes = served_gzip_bytes(&format!("{}/{wasm}", stack.app_url))?;
    let js_bytes = served_gzip_bytes(&format!("{}/{js}", stack.app_url))?;
    results.insert("bundle.wasm_gzip_bytes".into(), wasm_bytes);
    results.insert("bundle.js_gzip_bytes".into(), js_bytes);
    results.insert("bundle.total_gzip_bytes".into(), wasm_bytes + js_bytes);
    results.insert("bundle.uplot_min_js_gzip_bytes".into(), gzip_file_bytes(uplot)?);
    println!("bundle: wasm {wasm_bytes} B + JS {js_bytes} B gzipped as nginx serves them");
    Ok(())
}

async fn open(chromedriver: &ChromeDriver, device_scale_factor: f64) -> Result<Browser> {
    let browser = Browser::open(&chromedriver.url, device_scale_factor).await?;
    browser
        .client
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(Duration::from_secs(300)),
            Some(Duration::from_secs(120)),
            None,
        ))
        .await?;
    Ok(browser)
}

/// The page script for one render case: the same data for both, interleaved rounds, the median.
/// promboard: the data is loaded into the app's memory first (as a panel holds its decoded answer;
/// uPlot's data likewise sits in JS memory), then `bench_draw_chart` (the panels' own chart path)
/// is timed to pixels, forced by a one-pixel readback. uPlot: cold = `new uPlot(...)`, warm = `setData` on a chart made before;
/// both end in uPlot's draw hook, which reads back a pixel the same way.
const RENDER_SCRIPT: &str = r#"
const [S, P, uplotSource, warmUps, timed] = arguments;
if (!window.uPlot) throw new Error('uPlot was not loaded into the page');
const W = 1000, H = 300, t0 = 1767225600;
const timesS = new Float64Array(P), timesMs = new Float64Array(P);
for (let i = 0; i < P; i++) { timesS[i] = t0 + i * 15; timesMs[i] = timesS[i] * 1000; }
const values = new Float64Array(S * P);
let seed = 12345;
for (let s = 0; s < S; s++) {
  let v = 10 * s;
  for (let i = 0; i < P; i++) { seed = (seed * 1103515245 + 12345) % 2147483648; v += seed / 2147483648 - 0.5; values[s * P + i] = v; }
}
const series = []; for (let s = 0; s < S; s++) series.push(values.subarray(s * P, (s + 1) * P));
const data = [timesS, ...series];
const palette = ['#73bf69', '#f2cc0c', '#5794f2', '#ff780a', '#f2495c', '#8ab8ff', '#b877d9', '#705da0', '#37872d', '#fade2a'];
const box = () => { const d = document.createElement('div'); d.style.cssText = `position:fixed;left:0;top:0;width:${W}px;height:${H}px;z-index:9999;background:#181b1f`; document.body.appendChild(d); return d; };
const sleep = ms => new Promise(r => setTimeout(r, ms));
const pbBox = box(); const canvas = document.createElement('canvas');
canvas.style.cssText = `display:block;width:${W}px;height:${H}px`; pbBox.appendChild(canvas);
wasmBindings.bench_load_chart(timesMs, values, S);
const promboard = () => { const t = performance.now(); wasmBindings.bench_draw_chart(canvas, W, H); canvas.getContext('2d').getImageData(0, 0, 1, 1); return performance.now() - t; };
let onDraw = null;
const opts = () => ({ width: W, height: H, legend: { show: false }, cursor: { show: false }, select: { show: false },
  series: [{}, ...series.map((_, s) => ({ stroke: palette[s % 10], width: 1, points: { show: false } }))],
  hooks: { draw: [u => { u.ctx.getImageData(0, 0, 1, 1); if (onDraw) { const f = onDraw; onDraw = null; f(); } }] } });
const uplotCold = () => new Promise(resolve => { const b = box(); const t = performance.now(); let u;
  onDraw = () => resolve([performance.now() - t, () => { u.destroy(); b.remove(); }]); u = new uPlot(opts(), data, b); });
const warmBox = box();
const warmChart = await new Promise(resolve => { let u; onDraw = () => resolve(u); u = new uPlot(opts(), data, warmBox); });
const uplotWarm = () => new Promise(resolve => { const t = performance.now(); onDraw = () => resolve(performance.now() - t); warmChart.setData(data); });
const out = { promboard: [], uplot_cold: [], uplot_warm: [] };
for (let round = 0; round < warmUps + timed; round++) {
  const keep = round >= warmUps;
  warmBox.style.visibility = 'hidden';
  const a = promboard(); await sleep(5);
  const [b, destroy] = await uplotCold(); destroy(); await sleep(5);
  warmBox.style.visibility = 'visible';
  const c = await uplotWarm(); await sleep(5);
  if (keep) { out.promboard.push(a); out.uplot_cold.push(b); out.uplot_warm.push(c); }
}
warmChart.destroy(); warmBox.remove(); pbBox.remove();
return out;
"#;

async fn render(
    chromedriver: &ChromeDriver,
    stack: &Stack,
    uplot: &str,
    results: &mut Results,
) -> Result<()> {
    println!("render vs uPlot ({WARM_UP_ROUNDS} warm-up + {TIMED_ROUNDS} timed rounds, medians in ms):");
    for dpr in [1.0, 2.0] {
        for &(series, points) in RENDER_CASES {
            // A fresh browser for every case, so one case's garbage does not land in the next.
            let browser = open(chromedriver, dpr).await?;
            browser.goto(&format!("{}/", stack.app_url)).await?;
            // uPlot runs as a WebDriver script, not an inline <script> element: the page's
            // Content-Security-Policy (deploy/nginx.conf) refuses those, as it should.
            browser.execute(&format!("{uplot}\nwindow.uPlot = uPlot;"), vec![]).await?;
            let out = browser
                .execute(
                    RENDER_SCRIPT,
                    vec![
                        json!(series),
                        json!(points),
                        json!(uplot),
                        json!(WARM_UP_ROUNDS),
                        json!(TIMED_ROUNDS),
                    ],
                )
                .await?;
            browser.finish().await?;
            let column = |name: &str| -> Vec<f64> {
                out[name].as_array().into_iter().flatten().filter_map(Value::as_f64).collect()
            };
            let promboard = median(&mut column("promboard"));
            let cold = median(&mut column("uplot_cold"));
            let warm = median(&mut column("uplot_warm"));
            let suffix = if dpr == 1.0 { String::new() } else { ".dpr2".to_string() };
            let key = format!("render.{series}_x_{points}{suffix}");
            results.insert(format!("{key}.promboard_ms"), round(promboard, 2));
            // The ratio is against uPlot's faster (warm) figure: the strict comparison.
            results.insert(format!("{key}.uplot_ms"), round(warm, 2));
            results.insert(format!("{key}.uplot_cold_ms"), round(cold, 2));
            results.insert(format!("{key}.ratio"), round(promboard / warm, 3));
            println!(
                "  dpr {dpr} {series:>5} × {points:<9} promboard {promboard:8.2}  uPlot warm {warm:8.2}  cold {cold:8.2}  ratio {:.2}",
                promboard / warm
            );
        }
    }
    Ok(())
}

/// Waits until every panel in the first screen has settled; returns (the latest first-settle time
/// after navigation start, requests, transferred bytes, JS heap + wasm memory in MB).
const LOAD_SCRIPT: &str = r#"
const vh = innerHeight;
const first = [...document.querySelectorAll('.panel[data-panel-id]')].filter(p => {
  const r = p.getBoundingClientRect(); return r.top < vh && r.bottom > 0; });
if (first.length === 0 || first.some(p => p.dataset.state === 'loading')) return null;
const marks = performance.getEntriesByType('mark').filter(m => m.name.startsWith('promboard:settled:'));
const settledAt = id => { const m = marks.find(m => m.name.startsWith(`promboard:settled:${id}:`)); return m ? m.startTime : null; };
const times = first.map(p => settledAt(p.dataset.panelId)).filter(t => t !== null);
const resources = performance.getEntriesByType('resource');
const navigation = performance.getEntriesByType('navigation')[0];
const bytes = resources.reduce((sum, r) => sum + (r.transferSize || 0), navigation ? navigation.transferSize : 0);
const heap = (performance.memory ? performance.memory.usedJSHeapSize : 0) + wasmBindings.bench_wasm_memory_bytes();
return { ms: Math.max(...times), panels: first.length, timed: times.length,
         states: first.map(p => p.dataset.state), requests: resources.length + 1, bytes, heap_mb: heap / 1048576 };
"#;

async fn wait_for_load(browser: &Browser, what: &str) -> Result<Value> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let value = browser.execute(LOAD_SCRIPT, vec![]).await?;
        if !value.is_null() {
            return Ok(value);
        }
        if Instant::now() > deadline {
            let states = browser
                .execute(
                    "return [...document.querySelectorAll('.panel[data-panel-id]')].filter(p => p.getBoundingClientRect().top < innerHeight)
                       .map(p => p.dataset.panelId + ':' + p.dataset.state + ':' + (p.querySelector('.panel-title') || {}).textContent);",
                    vec![],
                )
                .await?;
            let _ = browser.screenshot(&format!("bench-{}", what.replace(' ', "-"))).await;
            return Err(format!("{what}: the first screen did not settle within 120 s: {states}").into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn load_nef(
    chromedriver: &ChromeDriver,
    stack: &Stack,
    uid: &str,
    results: &mut Results,
) -> Result<()> {
    let url = format!("{}/d/{uid}/node-exporter-full", stack.app_url);
    let (mut cold, mut warm, mut heap) = (Vec::new(), Vec::new(), Vec::new());
    let (mut requests, mut bytes) = (Vec::new(), Vec::new());
    for _ in 0..LOAD_RUNS {
        // Cold: a new browser profile (empty HTTP cache). Warm: the same page loaded again.
        let browser = open(chromedriver, 1.0).await?;
        browser.client.goto(&url).await?;
        let first = wait_for_load(&browser, "Node Exporter Full (cold)").await?;
        browser.client.goto(&url).await?;
        let second = wait_for_load(&browser, "Node Exporter Full (warm)").await?;
        browser.finish().await?;
        cold.push(figure(&first, "ms"));
        warm.push(figure(&second, "ms"));
        requests.push(figure(&first, "requests"));
        bytes.push(figure(&first, "bytes"));
        heap.push(figure(&first, "heap_mb"));
        println!(
            "  NEF cold {:.0} ms, warm {:.0} ms, {} panels in the first screen ({} timed), states {}",
            figure(&first, "ms"),
            figure(&second, "ms"),
            first["panels"],
            first["timed"],
            first["states"]
        );
    }
    results.insert("load.nef.cold_ms".into(), round(median(&mut cold), 1));
    results.insert("load.nef.warm_ms".into(), round(median(&mut warm), 1));
    results.insert("load.nef.requests".into(), median(&mut requests));
    results.insert("load.nef.bytes".into(), median(&mut bytes));
    results.insert("load.nef.heap_mb".into(), round(median(&mut heap), 1));
    Ok(())
}

/// From the query's response (its resource timing `responseEnd`) to the panel's settle mark. The
/// heap is the JS heap retained after a collection plus the wasm memory (which only grows, so it
/// is the wasm peak).
const MANY_SCRIPT: &str = r#"
const p = document.querySelector('.panel[data-panel-id="1"]');
if (!p || p.dataset.state === 'loading') return null;
const mark = performance.getEntriesByType('mark').find(m => m.name.startsWith('promboard:settled:1:'));
const query = performance.getEntriesByType('resource').filter(r => r.name.includes('/api/v1/query_range'))
  .sort((a, b) => b.responseEnd - a.responseEnd)[0];
if (window.gc) gc();
const js = performance.memory ? performance.memory.usedJSHeapSize : 0, wasm = wasmBindings.bench_wasm_memory_bytes();
return { state: p.dataset.state, ms: mark && query ? mark.startTime - query.responseEnd : null,
         response_bytes: query ? query.encodedBodySize : null, heap_mb: (js + wasm) / 1048576,
         js_mb: js / 1048576, wasm_mb: wasm / 1048576 };
"#;

async fn many(chromedriver: &ChromeDriver, stack: &Stack, results: &mut Results) -> Result<()> {
    let cases = [
        ("bench-many", data::MANY_SERIES, data::MANY_POINTS, data::MANY_STEP_S),
        ("bench-dense", data::DENSE_SERIES, data::DENSE_POINTS, data::DENSE_STEP_S),
    ];
    for (uid, series, points, step_s) in cases {
        let from_ms = data::SYNTHETIC_START_S * 1000;
        let to_ms = from_ms + (points as i64 - 1) * step_s * 1000;
        let url = format!("{}/d/{uid}/x?from={from_ms}&to={to_ms}", stack.app_url);
        let (mut ms, mut heap) = (Vec::new(), Vec::new());
        for _ in 0..MANY_RUNS {
            let browser = open(chromedriver, 1.0).await?;
            browser.client.goto(&url).await?;
            let deadline = Instant::now() + Duration::from_secs(120);
            let value = loop {
                let value = browser.execute(MANY_SCRIPT, vec![]).await?;
                if !value.is_null() {
                    break value;
                }
                if Instant::now() > deadline {
                    return Err(format!("{uid}: the panel did not settle within 120 s").into());
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            };
            browser.finish().await?;
            if value["state"] != "drawn" {
                return Err(format!("{uid}: the panel ended {}, not drawn", value["state"]).into());
            }
            ms.push(figure(&value, "ms"));
            heap.push(figure(&value, "heap_mb"));
            println!(
                "  {series} × {points}: {:.0} ms from response to drawn, heap {:.1} MB (JS {:.1} + wasm {:.1}), response {} B",
                figure(&value, "ms"),
                figure(&value, "heap_mb"),
                figure(&value, "js_mb"),
                figure(&value, "wasm_mb"),
                value["response_bytes"]
            );
        }
        let key = format!("many.{series}_x_{points}");
        results.insert(format!("{key}.ms"), round(median(&mut ms), 1));
        results.insert(format!("{key}.heap_mb"), round(median(&mut heap), 1));
        results.insert(format!("{key}.raw_mb"), round((series * points * 16) as f64 / 1_048_576.0, 1));
    }
    Ok(())
}

/// CPU time (user + system, in seconds) of every Chromium renderer process on the machine; the
/// benchmark's browser is the only one running.
fn renderer_cpu_seconds() -> Result<f64> {
    let ticks_per_second = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse::<f64>().ok())
        .unwrap_or(100.0);
    let mut ticks = 0.0;
    for entry in std::fs::read_dir("/proc")? {
        let path = entry?.path();
        let Ok(cmdline) = std::fs::read(path.join("cmdline")) else { continue };
        if !String::from_utf8_lossy(&cmdline).contains("--type=renderer") {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(path.join("stat")) else { continue };
        // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<&str> = after.split_whitespace().collect();
        let field = |n: usize| fields.get(n - 3).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
        ticks += field(14) + field(15);
    }
    Ok(ticks / ticks_per_second)
}

/// Provisioned trees of the catalogue case (issue 13): this many dashboards in 100 folders.
const CATALOGUE_SIZES: [usize; 2] = [1_000, 10_000];

/// Writes `count` dashboards into 100 folders of `dir`: copies of the repo's own dashboards (real
/// sizes, 8–10 KB) with a uid and title of their own. Returns the last file's `<uid>/<slug>`, the
/// path the app's own links (and Grafana's) give it.
fn write_catalogue_tree(dir: &Path, count: usize) -> Result<String> {
    let templates: Vec<Value> = ["node-overview.json", "prometheus-overview.json"]
        .iter()
        .map(|name| -> Result<Value> {
            Ok(serde_json::from_str(&std::fs::read_to_string(
                crate_dir().join("dashboards/promboard").join(name),
            )?)?)
        })
        .collect::<Result<_>>()?;
    let mut last = String::new();
    for i in 0..count {
        let folder = dir.join(format!("team-{:02}", i % 100));
        std::fs::create_dir_all(&folder)?;
        let mut dashboard = templates[i % templates.len()].clone();
        last = format!("cat-{i:05}/dashboard-{i:05}");
        dashboard["uid"] = json!(format!("cat-{i:05}"));
        dashboard["title"] = json!(format!("Dashboard {i:05}"));
        dashboard["tags"] = json!([format!("team-{:02}", i % 100)]);
        std::fs::write(
            folder.join(format!("dashboard-{i:05}.json")),
            serde_json::to_string_pretty(&dashboard)?,
        )?;
    }
    Ok(last)
}

/// Dashboards listed with their title read (files still being read are listed as "reading…").
const LIST_COMPLETE: &str = "return document.querySelectorAll('.dashboard-item:not(.pending)').length;";
const TRANSFERRED: &str =
    "return performance.getEntriesByType('resource').reduce((sum, e) => sum + (e.transferSize || 0), 0);";

/// How long until the list shows `count` dashboards, from navigation start.
async fn list_complete_ms(browser: &Browser, count: usize) -> Result<f64> {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let shown = browser.execute(LIST_COMPLETE, vec![]).await?.as_u64().unwrap_or(0) as usize;
        if shown >= count {
            return Ok(browser.execute("return performance.now();", vec![]).await?.as_f64().unwrap_or(0.0));
        }
        if Instant::now() > deadline {
            return Err(format!("the list showed {shown} of {count} dashboards after 300 s").into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Issue 13's catalogue figures for a tree of `count` dashboards behind our nginx: cold (empty
/// browser storage) and warm reloads of `/` until every dashboard is listed, `/d/<uid>` of the last
/// file until its panels are on the page, bytes transferred, the JS heap with the list open.
async fn catalogue(
    blocks: &FixtureBlocks,
    chromedriver: &ChromeDriver,
    count: usize,
    results: &mut Results,
) -> Result<()> {
    let tree = ScratchDir::new("bench-catalogue")?;
    let last = write_catalogue_tree(&tree.0, count)?;
    let stack = Stack::start_with(blocks, &tree.0, "15s", None, None)?;
    let browser = open(chromedriver, 1.0).await?;
    browser.client.goto(&format!("{}/", stack.app_url)).await?;
    let cold_ms = list_complete_ms(&browser, count).await?;
    // (No cold byte count: the browser's resource timing buffer keeps 250 entries.)
    browser.client.goto(&format!("{}/", stack.app_url)).await?;
    let warm_ms = list_complete_ms(&browser, count).await?;
    let warm_bytes = browser.execute(TRANSFERRED, vec![]).await?.as_f64().unwrap_or(0.0);
    let heap_mb = browser
        .execute("if (window.gc) gc(); return performance.memory ? performance.memory.usedJSHeapSize / 1048576 : 0;", vec![])
        .await?
        .as_f64()
        .unwrap_or(0.0);
    browser.client.goto(&format!("{}/d/{last}", stack.app_url)).await?;
    browser
        .wait_for(
            "the last dashboard's panels",
            Duration::from_secs(120),
            "return document.querySelectorAll('.grid [data-panel-id]').length > 0;",
        )
        .await?;
    let open_ms = browser.execute("return performance.now();", vec![]).await?.as_f64().unwrap_or(0.0);
    browser.finish().await?;
    // Cold /d/<uid>: a new browser, nothing stored.
    let browser = open(chromedriver, 1.0).await?;
    browser.client.goto(&format!("{}/d/{last}", stack.app_url)).await?;
    browser
        .wait_for(
            "the last dashboard's panels (cold)",
            Duration::from_secs(300),
            "return document.querySelectorAll('.grid [data-panel-id]').length > 0;",
        )
        .await?;
    let cold_open_ms = browser.execute("return performance.now();", vec![]).await?.as_f64().unwrap_or(0.0);
    browser.finish().await?;
    // With the folder's index (`promboard index`): a new browser again.
    let indexed = std::process::Command::new(env!("CARGO_BIN_EXE_promboard"))
        .arg("index")
        .arg(&stack.dashboards_dir)
        .output()?;
    if !indexed.status.success() {
        return Err(format!("promboard index failed: {}", String::from_utf8_lossy(&indexed.stderr)).into());
    }
    let browser = open(chromedriver, 1.0).await?;
    browser.client.goto(&format!("{}/", stack.app_url)).await?;
    let indexed_list_ms = list_complete_ms(&browser, count).await?;
    browser.finish().await?;
    let browser = open(chromedriver, 1.0).await?;
    browser.client.goto(&format!("{}/d/{last}", stack.app_url)).await?;
    browser
        .wait_for(
            "the last dashboard's panels (cold, indexed)",
            Duration::from_secs(300),
            "return document.querySelectorAll('.grid [data-panel-id]').length > 0;",
        )
        .await?;
    let indexed_open_ms = browser.execute("return performance.now();", vec![]).await?.as_f64().unwrap_or(0.0);
    browser.finish().await?;
    for (key, value) in [
        (format!("catalogue.{count}.indexed_cold_list_ms"), indexed_list_ms),
        (format!("catalogue.{count}.indexed_cold_open_ms"), indexed_open_ms),
        (format!("catalogue.{count}.cold_list_ms"), cold_ms),
        (format!("catalogue.{count}.warm_list_ms"), warm_ms),
        (format!("catalogue.{count}.warm_bytes"), warm_bytes),
        (format!("catalogue.{count}.warm_open_ms"), open_ms),
        (format!("catalogue.{count}.cold_open_ms"), cold_open_ms),
        (format!("catalogue.{count}.heap_mb"), heap_mb),
    ] {
        println!("  {key}: {value:.0}");
        results.insert(key, round(value, 1));
    }
    Ok(())
}

/// Long tasks (the main thread busy for over 50 ms) since the last call, as [count, longest ms].
const LONG_TASKS_SCRIPT: &str = r#"
if (!window.__longTasks) {
  window.__longTasks = [];
  new PerformanceObserver(list => window.__longTasks.push(...list.getEntries().map(e => e.duration))).observe({type: 'longtask', buffered: true});
}
const tasks = window.__longTasks.splice(0);
return [tasks.length, tasks.length ? Math.max(...tasks) : 0];
"#;

async fn long_tasks(browser: &Browser) -> Result<(f64, f64)> {
    // The observer delivers entries asynchronously: give it a moment.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let value = browser.execute(LONG_TASKS_SCRIPT, vec![]).await?;
    Ok((value[0].as_f64().unwrap_or(0.0), value[1].as_f64().unwrap_or(0.0)))
}

/// Issue 19's large dashboard (3,850 panels, about 5 MB): the longest main-thread task while it
/// loads, while scrolling a screen at a time, while duplicating a panel and while opening Export
/// (target: none over 200 ms), and how long each takes to show.
async fn large(chromedriver: &ChromeDriver, stack: &Stack, results: &mut Results) -> Result<()> {
    let browser = open(chromedriver, 1.0).await?;
    let started = Instant::now();
    browser.client.goto(&format!("{}/d/bench-large/large", stack.app_url)).await?;
    browser.execute(LONG_TASKS_SCRIPT, vec![]).await?;
    wait_for_load(&browser, "the large dashboard").await?;
    let load_ms = started.elapsed().as_secs_f64() * 1000.0;
    let (load_count, load_max) = long_tasks(&browser).await?;
    println!(
        "  large: first screen in {load_ms:.0} ms; {load_count} long tasks, the longest {load_max:.0} ms"
    );
    let mut scroll_max: f64 = 0.0;
    let mut scroll_count = 0.0;
    for _ in 0..10 {
        browser.execute("window.scrollBy(0, innerHeight);", vec![]).await?;
        tokio::time::sleep(Duration::from_millis(400)).await;
        let (count, max) = long_tasks(&browser).await?;
        scroll_count += count;
        scroll_max = scroll_max.max(max);
    }
    println!("  large: scrolling, {scroll_count} long tasks, the longest {scroll_max:.0} ms");
    browser.execute("window.scrollTo(0, 0);", vec![]).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    long_tasks(&browser).await?;
    let timed = Instant::now();
    browser
        .execute("document.querySelector('.grid [data-panel-id=\"2\"]').dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
                  for (const key of ['p', 'd']) window.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true}));", vec![])
        .await?;
    browser
        .wait_for(
            "the duplicate",
            Duration::from_secs(120),
            &format!(
                "return !!document.querySelector('.grid [data-panel-id=\"{}\"]');",
                100_000 + (LARGE_PANELS - 1) / 24 * 24 + 1
            ),
        )
        .await?;
    let duplicate_ms = timed.elapsed().as_secs_f64() * 1000.0;
    let (_, duplicate_max) = long_tasks(&browser).await?;
    println!("  large: duplicate shown in {duplicate_ms:.0} ms, the longest task {duplicate_max:.0} ms");
    let timed = Instant::now();
    browser.execute("document.querySelector('button.export').click();", vec![]).await?;
    browser
        // Everything the dialog makes in its tasks: the text, its download link, the changes.
        .wait_for(
            "the export",
            Duration::from_secs(120),
            "return !!document.querySelector('.export-json') && !!document.querySelector('a.download')?.getAttribute('href')?.startsWith('blob:') && !!document.querySelector('.export-diff, .export-diff-none');",
        )
        .await?;
    let export_ms = timed.elapsed().as_secs_f64() * 1000.0;
    let (_, export_max) = long_tasks(&browser).await?;
    browser.finish().await?;
    for (key, value) in [
        ("large.load_ms", load_ms),
        ("large.load.long_tasks", load_count),
        ("large.load.longest_task_ms", load_max),
        ("large.scroll.long_tasks", scroll_count),
        ("large.scroll.longest_task_ms", scroll_max),
        ("large.duplicate_ms", duplicate_ms),
        ("large.duplicate.longest_task_ms", duplicate_max),
        ("large.export_ms", export_ms),
        ("large.export.longest_task_ms", export_max),
    ] {
        results.insert(key.into(), round(value, 1));
        println!("  {key}: {value:.1}");
    }
    Ok(())
}

async fn idle(chromedriver: &ChromeDriver, stack: &Stack, results: &mut Results) -> Result<()> {
    let browser = open(chromedriver, 1.0).await?;
    browser.client.goto(&format!("{}/d/bench-idle/idle?refresh=5s", stack.app_url)).await?;
    wait_for_load(&browser, "the idle dashboard").await?;
    let requests_before = browser
        .execute("return performance.getEntriesByType('resource').filter(r => r.name.includes('/api/v1/query')).length;", vec![])
        .await?;
    let before = renderer_cpu_seconds()?;
    tokio::time::sleep(Duration::from_secs(IDLE_SECONDS)).await;
    let after = renderer_cpu_seconds()?;
    let requests_after = browser
        .execute("return performance.getEntriesByType('resource').filter(r => r.name.includes('/api/v1/query')).length;", vec![])
        .await?;
    browser.finish().await?;
    let cpu_pct = (after - before) / IDLE_SECONDS as f64 * 100.0;
    let queries = requests_after.as_f64().unwrap_or(0.0) - requests_before.as_f64().unwrap_or(0.0);
    results.insert("idle.cpu_pct".into(), round(cpu_pct, 2));
    results.insert("idle.queries".into(), queries);
    println!("  idle: {cpu_pct:.2} % of a core over {IDLE_SECONDS} s, {queries} queries sent");
    Ok(())
}

/// What the page holds after a full garbage collection: JS heap, wasm linear memory (which never
/// shrinks, so a leak shows as steady growth), DOM nodes.
const MEMORY_SAMPLE: &str = "gc(); gc();
return [performance.memory.usedJSHeapSize, wasmBindings.bench_wasm_memory_bytes(), document.getElementsByTagName('*').length];";

/// The soak of issue 14: the idle dashboard (20 panels, 5 s refresh) for `PROMBOARD_SOAK_MINUTES`
/// (default 10), memory sampled every minute after a warm-up minute. Growth is the least-squares
/// slope over the samples, per minute, next to the spread of the samples (the noise).
async fn soak(chromedriver: &ChromeDriver, stack: &Stack, results: &mut Results) -> Result<()> {
    let minutes: u64 =
        std::env::var("PROMBOARD_SOAK_MINUTES").ok().and_then(|m| m.parse().ok()).unwrap_or(10);
    let browser = open(chromedriver, 1.0).await?;
    browser.client.goto(&format!("{}/d/bench-idle/idle?refresh=5s", stack.app_url)).await?;
    wait_for_load(&browser, "the soak dashboard").await?;
    tokio::time::sleep(Duration::from_secs(60)).await;
    let mut samples: Vec<[f64; 3]> = Vec::new();
    for minute in 0..=minutes {
        let sample = browser.execute(MEMORY_SAMPLE, vec![]).await?;
        let figure = |i: usize| sample[i].as_f64().unwrap_or(f64::NAN);
        let sample = [figure(0), figure(1), figure(2)];
        println!(
            "  soak minute {minute}: JS heap {:.2} MB, wasm memory {:.2} MB, {} DOM nodes",
            sample[0] / 1e6,
            sample[1] / 1e6,
            sample[2]
        );
        samples.push(sample);
        if minute < minutes {
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
    }
    let queries = browser
        .execute("return performance.getEntriesByType('resource').filter(r => r.name.includes('/api/v1/query')).length;", vec![])
        .await?;
    browser.finish().await?;
    let slope = |index: usize| {
        let n = samples.len() as f64;
        let mean_x = (n - 1.0) / 2.0;
        let mean_y = samples.iter().map(|s| s[index]).sum::<f64>() / n;
        let (mut numerator, mut denominator) = (0.0, 0.0);
        for (x, s) in samples.iter().enumerate() {
            numerator += (x as f64 - mean_x) * (s[index] - mean_y);
            denominator += (x as f64 - mean_x).powi(2);
        }
        numerator / denominator.max(1.0)
    };
    let spread = |index: usize| {
        let values = samples.iter().map(|s| s[index]);
        values.clone().fold(f64::MIN, f64::max) - values.fold(f64::MAX, f64::min)
    };
    let first = samples[0];
    let last = samples[samples.len() - 1];
    for (key, value) in [
        ("soak.minutes", minutes as f64),
        ("soak.js_heap_start_mb", first[0] / 1e6),
        ("soak.js_heap_end_mb", last[0] / 1e6),
        ("soak.js_heap_slope_kb_per_min", slope(0) / 1e3),
        ("soak.js_heap_spread_kb", spread(0) / 1e3),
        ("soak.wasm_memory_start_mb", first[1] / 1e6),
        ("soak.wasm_memory_end_mb", last[1] / 1e6),
        ("soak.dom_nodes_start", first[2]),
        ("soak.dom_nodes_end", last[2]),
    ] {
        results.insert(key.into(), round(value, 2));
        println!("  {key}: {value:.2}");
    }
    println!("  soak: {} panel queries sent in the browser's resource timing buffer", queries);
    Ok(())
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let chromium = std::process::Command::new("chromium")
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .unwrap_or_default();
    format!("{cpu}, {cores} cores; {}; headless, software canvas (--disable-gpu)", chromium.trim())
}

fn report(results: &Results, notes: &[String]) -> String {
    let get = |key: &str| results.get(key).copied().unwrap_or(f64::NAN);
    let mut out = String::new();
    out.push_str("# promboard benchmark\n\n");
    out.push_str(&format!("Machine: {}.\n\n", machine()));
    out.push_str("## Chart render vs uPlot (1000×300 CSS px; median ms of 7 rounds after 2 warm-ups)\n\n");
    out.push_str("Ratio = promboard ÷ uPlot warm (`setData` on an existing chart, uPlot's faster case).\n\n");
    out.push_str("| S × P | dpr | promboard | uPlot warm | uPlot cold | ratio | target |\n|---|---:|---:|---:|---:|---:|---|\n");
    for dpr in ["", ".dpr2"] {
        for &(series, points) in RENDER_CASES {
            let key = format!("render.{series}_x_{points}{dpr}");
            let ratio = get(&format!("{key}.ratio"));
            let target = if series * points >= 100_000 { 0.8 } else { 1.0 };
            let verdict = if ratio <= target { "met" } else { "missed" };
            out.push_str(&format!(
                "| {series} × {points} | {} | {:.2} | {:.2} | {:.2} | {ratio:.2} | ≤ {target} {verdict} |\n",
                if dpr.is_empty() { 1 } else { 2 },
                get(&format!("{key}.promboard_ms")),
                get(&format!("{key}.uplot_ms")),
                get(&format!("{key}.uplot_cold_ms")),
            ));
        }
    }
    let total = get("bundle.total_gzip_bytes");
    out.push_str("\n## Bundle (gzip, as nginx serves it)\n\n| part | bytes |\n|---|---:|\n");
    out.push_str(&format!(
        "| wasm | {} |\n| JS | {} |\n| **total** | **{}** (target ≤ 350 KB: {}) |\n",
        get("bundle.wasm_gzip_bytes"),
        get("bundle.js_gzip_bytes"),
        total,
        if total <= 350.0 * 1024.0 { "met" } else { "missed" }
    ));
    out.push_str(&format!(
        "| uPlot 1.6.32 `uPlot.iife.min.js` (chart library alone) | {} |\n",
        get("bundle.uplot_min_js_gzip_bytes")
    ));
    out.push_str("| Grafana's initial JS (minified, not gzipped): 8.6 MiB after lazy-loading panels — grafana/grafana PR #92490 (2024) | 9,017,753 |\n");
    if results.contains_key("load.nef.cold_ms") {
        let cold = get("load.nef.cold_ms");
        out.push_str(&format!(
            "\n## Dashboard load: Node Exporter Full, 24 h of node-exporter data (median of {LOAD_RUNS})\n\n| figure | value |\n|---|---:|\n| first screen drawn, cold | {cold} ms (target < 1500: {}) |\n| first screen drawn, warm | {} ms |\n| requests (cold) | {} |\n| bytes transferred (cold) | {} |\n| JS heap + wasm memory | {} MB |\n",
            if cold < 1500.0 { "met" } else { "missed" },
            get("load.nef.warm_ms"), get("load.nef.requests"), get("load.nef.bytes"), get("load.nef.heap_mb")
        ));
    }
    out.push_str(&format!("\n## Many series: one panel, from Prometheus's response to drawn (median of {MANY_RUNS})\n\n| case | ms | heap MB | raw samples MB (16 B each) |\n|---|---:|---:|---:|\n"));
    for key in ["many.1000_x_1100", "many.200_x_11000"] {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            key.trim_start_matches("many."),
            get(&format!("{key}.ms")),
            get(&format!("{key}.heap_mb")),
            get(&format!("{key}.raw_mb"))
        ));
    }
    let many_ms = get("many.1000_x_1100.ms");
    let many_heap = get("many.1000_x_1100.heap_mb");
    let raw = get("many.1000_x_1100.raw_mb");
    out.push_str(&format!(
        "\nTargets for 1,000 × 1,100: under 1 s ({}), heap under 2 × raw = {:.1} MB ({}).\n",
        if many_ms < 1000.0 { "met" } else { "missed" },
        2.0 * raw,
        if many_heap < 2.0 * raw { "met" } else { "missed" }
    ));
    if results.contains_key("worst.repeated.first_screen_ms") {
        out.push_str(&worst::report(results));
    }
    let idle = get("idle.cpu_pct");
    out.push_str(&format!(
        "\n## Idle: 20 panels refreshing every 5 s, {IDLE_SECONDS} s\n\nRenderer CPU: {idle} % of one core (target < 3 %: {}); {} queries sent.\n",
        if idle < 3.0 { "met" } else { "missed" },
        get("idle.queries")
    ));
    if results.contains_key("soak.minutes") {
        out.push_str(&format!(
            "\n## Soak: the idle dashboard for {} minutes\n\nAfter a full GC each minute: JS heap {} → {} MB \
             (slope {} KB/min, spread of the samples {} KB); wasm memory {} → {} MB; DOM nodes {} → {}.\n",
            get("soak.minutes"),
            get("soak.js_heap_start_mb"),
            get("soak.js_heap_end_mb"),
            get("soak.js_heap_slope_kb_per_min"),
            get("soak.js_heap_spread_kb"),
            get("soak.wasm_memory_start_mb"),
            get("soak.wasm_memory_end_mb"),
            get("soak.dom_nodes_start"),
            get("soak.dom_nodes_end"),
        ));
    }
    for note in notes {
        out.push_str(&format!("\n{note}\n"));
    }
    out
}
