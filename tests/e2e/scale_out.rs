//! Scale-out with a real engine (issue 14): a real VictoriaMetrics single node holding the fixture's
//! history, provisioned as a second datasource the way users bring it — Grafana's datasources file
//! with the backend's own `url`, split by `promboard datasources` into the browser's copy and an
//! nginx location — beside the real Prometheus. One dashboard's panels use both, and a Mixed panel
//! takes a query from each. What differs between the engines is checked where it matters to the
//! app: VictoriaMetrics has no `/api/v1/status/runtimeinfo` or `format_query`, answers
//! `status/config` with an empty YAML and metadata with nothing; the panels still draw, with the
//! same values as Prometheus's.

use crate::World;
use crate::browser::Browser;
use crate::editing::ensure;
use crate::fixture;
use crate::stack::{Result, ScratchDir, Stack, VictoriaMetrics};
use serde_json::{Value, json};
use std::time::Duration;

const GRAFANA_DATASOURCES: &str = r#"# Grafana's provisioning file, as a user brings it: the backends' own urls.
apiVersion: 1
datasources:
  - name: Prometheus
    uid: prometheus
    type: prometheus
    url: /
    isDefault: true
  - name: VictoriaMetrics
    uid: victoria
    type: prometheus
    access: proxy
    url: @VM_URL@
    jsonData:
      timeInterval: 15s
"#;

fn panel(id: u64, title: &str, x: u64, targets: Value, datasource: Value) -> Value {
    json!({"id": id, "type": "timeseries", "title": title, "datasource": datasource, "targets": targets,
           "gridPos": {"x": x, "y": (id - 1) / 2 * 8, "w": 12, "h": 8},
           "options": {"legend": {"showLegend": true, "displayMode": "list", "calcs": ["lastNotNull"]}}})
}

fn dashboard() -> Value {
    let victoria = json!({"type": "prometheus", "uid": "victoria"});
    let prometheus = json!({"type": "prometheus", "uid": "prometheus"});
    let rate = "sum(rate(e2e_requests_total[1m]))";
    json!({"uid": "e2e-scale-out", "title": "E2E scale-out", "schemaVersion": 39, "panels": [
        panel(1, "Requests via VictoriaMetrics", 0, json!([{"refId": "A", "expr": rate, "legendFormat": "rate"}]), victoria.clone()),
        panel(2, "Requests via Prometheus", 12, json!([{"refId": "A", "expr": rate, "legendFormat": "rate"}]), prometheus.clone()),
        panel(3, "Both engines", 0, json!([
            {"refId": "A", "datasource": victoria, "expr": "e2e_temperature_celsius{sensor=\"a\"}", "legendFormat": "a via VictoriaMetrics"},
            {"refId": "B", "datasource": prometheus, "expr": "e2e_temperature_celsius{sensor=\"b\"}", "legendFormat": "b via Prometheus"}]),
            json!({"type": "datasource", "uid": "-- Mixed --"})),
        panel(4, "Quantile via VictoriaMetrics", 12, json!([{"refId": "A",
            "expr": "histogram_quantile(0.5, sum by (le) (rate(e2e_request_duration_seconds_bucket[5m])))", "legendFormat": "p50"}]),
            json!({"type": "prometheus", "uid": "victoria"})),
    ]})
}

/// One query through the app's nginx for both engines: the values at the same timestamps.
fn both_answers(stack: &Stack, query: &str) -> Result<(Value, Value)> {
    let params = format!(
        "query={}&start={}&end={}&step=60",
        crate::stack::percent_encode(query),
        fixture::START_S + 300,
        fixture::END_S
    );
    let fetch = |prefix: &str| -> Result<Value> {
        let url = format!("{}{prefix}api/v1/query_range?{params}", stack.app_url);
        let body: Value = ureq::get(&url).timeout(Duration::from_secs(10)).call()?.into_json()?;
        Ok(body["data"]["result"][0]["values"].clone())
    };
    Ok((fetch("/datasources/victoria/")?, fetch("/")?))
}

pub fn victoriametrics_beside_prometheus(world: &World) -> Result<()> {
    let victoria = VictoriaMetrics::start(&fixture::prometheus_text(), "e2e_requests_total", fixture::END_S)?;
    let scratch = ScratchDir::new("scale-out")?;
    let grafana_file = scratch.0.join("grafana-datasources.yaml");
    std::fs::write(&grafana_file, GRAFANA_DATASOURCES.replace("@VM_URL@", &victoria.url))?;
    let provisioning = scratch.0.join("provisioning");
    let split = std::process::Command::new(env!("CARGO_BIN_EXE_promboard"))
        .arg("datasources")
        .arg(&grafana_file)
        .arg("--out")
        .arg(&provisioning)
        .output()?;
    ensure(split.status.success(), || {
        format!("promboard datasources: {}", String::from_utf8_lossy(&split.stderr))
    })?;
    let browser_copy = std::fs::read_to_string(provisioning.join("datasources.yaml"))?;
    ensure(!browser_copy.contains(&victoria.url) && browser_copy.contains("/datasources/victoria"), || {
        format!("the browser's copy still names the backend: {browser_copy}")
    })?;
    let dashboards = scratch.0.join("dashboards");
    std::fs::create_dir_all(dashboards.join("Scale-out"))?;
    std::fs::write(dashboards.join("Scale-out/scale-out.json"), serde_json::to_string_pretty(&dashboard())?)?;
    let stack = Stack::start_with(&world.blocks, &dashboards, "15s", Some(&provisioning), None)?;

    // The engines agree on the fixture, timestamp by timestamp.
    for query in ["sum(rate(e2e_requests_total[1m]))", "e2e_temperature_celsius{sensor=\"a\"}"] {
        let (from_victoria, from_prometheus) = both_answers(&stack, query)?;
        ensure(
            from_victoria.as_array().is_some_and(|v| v.len() > 10) && from_victoria == from_prometheus,
            || format!("{query}: VictoriaMetrics {from_victoria} vs Prometheus {from_prometheus}"),
        )?;
    }

    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        let url = format!(
            "{}/d/e2e-scale-out/e2e-scale-out?from={}&to={}",
            stack.app_url,
            fixture::START_S * 1000,
            fixture::END_S * 1000
        );
        browser.goto(&url).await?;
        let states = browser.settled_panel_states().await?;
        ensure(states.iter().all(|(_, state)| state == "drawn"), || format!("panel states {states:?}"))?;
        let last = |panel: &'static str| {
            let browser = &browser;
            async move {
                browser
                    .execute(
                        "return [...document.querySelectorAll(`[data-panel-id=\"${arguments[0]}\"] .legend-item`)].map(li => [li.dataset.series, li.dataset.last]);",
                        vec![json!(panel)],
                    )
                    .await
            }
        };
        let expected_rate = fixture::OK_REQUEST_RATE + 1.0 / 15.0;
        for panel in ["1", "2"] {
            let legend = last(panel).await?;
            let value: f64 = legend[0][1].as_str().unwrap_or("").parse().unwrap_or(f64::NAN);
            ensure((value - expected_rate).abs() < 1e-9, || format!("panel {panel}'s rate: {legend}"))?;
        }
        let mixed = last("3").await?;
        let names: Vec<&str> = mixed.as_array().into_iter().flatten().filter_map(|p| p[0].as_str()).collect();
        ensure(names == ["a via VictoriaMetrics", "b via Prometheus"], || format!("mixed panel {mixed}"))?;
        // Per scrape 2 of 6 requests take ≤ 0.1 s and 5 of 6 ≤ 0.5 s: the median is in (0.1, 0.5].
        let quantile = last("4").await?;
        let p50: f64 = quantile[0][1].as_str().unwrap_or("").parse().unwrap_or(f64::NAN);
        ensure((0.1..=0.5).contains(&p50), || format!("p50 via VictoriaMetrics {quantile}"))?;
        // Each panel's requests went to its own engine's location.
        let requests = browser
            .execute(
                "return performance.getEntriesByType('resource').map(r => new URL(r.name).pathname).filter(p => p.endsWith('/query_range'));",
                vec![],
            )
            .await?;
        for wanted in ["/datasources/victoria/api/v1/query_range", "/api/v1/query_range"] {
            ensure(requests.as_array().is_some_and(|r| r.iter().any(|p| p == wanted)), || format!("no request to {wanted}: {requests}"))?;
        }
        let errors = browser.execute("return window.__promboardErrors || [];", vec![]).await?;
        ensure(errors == json!([]), || format!("page errors {errors}"))?;
        browser.screenshot("scale-out").await?;
        browser.finish().await
    })?;
    drop(victoria);
    Ok(())
}
