//! Hostile input proven harmless (issue 14): every payload of the corpus
//! (`hostile_payloads.rs`, 300+ in nine classes) placed in every place untrusted text lands —
//! text panels in Markdown and HTML, panel titles and descriptions, panel and dashboard links
//! (titles and URLs), the dashboard title, custom and textbox variables and their values in a
//! text panel, units, value mappings, legends, display names and table cells from label values
//! Prometheus returns (the fixture's `e2e_hostile_info`), data links filled from those values,
//! alert labels, imported files and URL parameters. On every page, under the shipped nginx's CSP:
//! no script ran (`self.__pwned` unset, no dialog), the page did not navigate, nothing was loaded
//! from another origin, no element carries an event handler or a script URL, no CSP violation or
//! other page error, and titles read as the text they are.

use crate::World;
use crate::browser::Browser;
use crate::editing::ensure;
use crate::fixture;
use crate::fixture::hostile_payloads;
use crate::stack::{RemovedOnDrop, Result};
use serde_json::{Value, json};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// What the page must not show, checked by the browser: `[]` when harmless, else what was found.
const HARMS: &str = r#"
const harms = [];
if (self.__pwned !== undefined) harms.push('a payload ran (self.__pwned = ' + self.__pwned + ')');
if (location.origin !== arguments[0]) harms.push('navigated to ' + location.href);
for (const e of performance.getEntriesByType('resource')) {
  const url = new URL(e.name, location.href);
  if (url.origin !== location.origin && url.protocol !== 'data:' && url.protocol !== 'blob:') harms.push('loaded ' + e.name);
}
for (const el of document.body.querySelectorAll('*')) {
  for (const a of el.attributes) {
    if (a.name.startsWith('on') || a.name === 'srcdoc') harms.push('<' + el.localName + '> has ' + a.name);
    // What the browser would open: the attribute resolved as a URL, as a click would.
    if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href'].includes(a.name)) {
      let protocol;
      try { protocol = new URL(a.value, location.href).protocol; } catch { protocol = 'unparsable'; }
      if (['javascript:', 'vbscript:', 'data:'].includes(protocol)) harms.push('<' + el.localName + '> ' + a.name + '=' + a.value);
    }
  }
  if (['script', 'iframe', 'object', 'embed', 'base', 'meta', 'link', 'style', 'form', 'frame', 'portal'].includes(el.localName)
      && !el.closest('head')) {
    // trunk's loader script is the page's own.
    if (!(el.localName === 'script' && (el.src.startsWith(location.origin) || el.hasAttribute('nonce')))) harms.push('a <' + el.localName + '> element in the page');
  }
}
return harms;
"#;

async fn assert_harmless(browser: &Browser, origin: &str, place: &str) -> Result<()> {
    // A dialog would block the page: WebDriver sees it before anything else.
    if let Ok(text) = browser.client.get_alert_text().await {
        return Err(format!("{place}: a dialog opened ({text:?})").into());
    }
    let harms = browser.execute(HARMS, vec![json!(origin)]).await?;
    ensure(harms == json!([]), || format!("{place}: {harms}"))?;
    browser.check_page_errors().await.map_err(|e| format!("{place}: {e}").into())
}

fn grid(i: usize, per_row: usize, w: usize, h: usize) -> Value {
    json!({"x": (i % per_row) * w, "y": (i / per_row) * h, "w": w, "h": h})
}

/// Every payload as a text panel (Markdown and HTML in turn) whose title, description, content
/// and link carry it; the dashboard's title, links and variables carry them too.
fn text_dashboard(payloads: &[String]) -> Value {
    let panels: Vec<Value> = payloads
        .iter()
        .enumerate()
        .map(|(i, payload)| {
            json!({"id": i + 1, "type": "text", "title": payload, "description": payload,
                   "gridPos": grid(i, 4, 6, 4),
                   "links": [{"title": payload, "url": payload}],
                   "options": {"mode": if i % 2 == 0 { "markdown" } else { "html" },
                               "content": format!("marker-{i} {payload}\n\nvalue: $custom")}})
        })
        .collect();
    let options: Vec<Value> = payloads
        .iter()
        .take(60)
        .enumerate()
        .map(|(i, p)| json!({"text": p, "value": p, "selected": i == 0}))
        .collect();
    let links: Vec<Value> = payloads
        .iter()
        .take(40)
        .map(|p| json!({"type": "link", "title": p, "url": p, "tooltip": p}))
        .collect();
    json!({"uid": "e2e-hostile-text", "title": format!("Hostile {}", payloads[0]), "schemaVersion": 39,
           "description": payloads[1], "tags": [payloads[2], payloads[3]], "links": links,
           "templating": {"list": [
               {"type": "custom", "name": "custom", "label": payloads[4], "query": payloads[..60].join(","),
                "current": {"text": payloads[0], "value": payloads[0]}, "options": options},
               {"type": "textbox", "name": "box", "label": payloads[5], "query": payloads[6],
                "current": {"text": payloads[6], "value": payloads[6]}}]},
           "panels": panels})
}

/// Panels over `e2e_hostile_info`, whose label values are the payloads: legends, display names,
/// table cells, data links, units and mappings, a repeated text panel per value, alerts.
fn data_dashboard(payloads: &[String]) -> Value {
    let target = |format: &str, instant: bool| json!([{"refId": "A", "expr": "e2e_hostile_info", "legendFormat": "{{payload}}", "format": format, "instant": instant}]);
    let link = json!([{"title": "${__field.labels.payload}", "url": "/d/x?v=${__field.labels.payload}&w=${__value.raw}"}]);
    json!({"uid": "e2e-hostile-data", "title": "Hostile data", "schemaVersion": 39,
    "time": {"from": (fixture::START_S * 1000).to_string(), "to": (fixture::END_S * 1000).to_string()},
    "templating": {"list": [
        {"type": "query", "name": "hv", "query": {"query": "label_values(e2e_hostile_info, payload)", "refId": "V"},
         "definition": "label_values(e2e_hostile_info, payload)", "refresh": 1, "multi": true, "includeAll": true,
         "current": {"text": "All", "value": "$__all"}}]},
    "panels": [
        {"id": 1, "type": "timeseries", "title": "Legend", "gridPos": grid(0, 1, 24, 12), "targets": target("time_series", false),
         "fieldConfig": {"defaults": {"unit": format!("suffix:{}", payloads[7]), "links": link}, "overrides": []},
         "options": {"legend": {"displayMode": "table", "placement": "right", "calcs": ["last"]}}},
        {"id": 2, "type": "table", "title": "Cells", "gridPos": grid(1, 1, 24, 12), "targets": target("table", true),
         "fieldConfig": {"defaults": {"links": [{"title": "${__data.fields.payload}", "url": "/d/x?p=${__data.fields.payload}"}]}, "overrides": []}},
        {"id": 3, "type": "stat", "title": "Mapped", "gridPos": grid(2, 2, 12, 8), "targets": target("time_series", true),
         "fieldConfig": {"defaults": {"displayName": "${__field.labels.payload}", "unit": format!("prefix:{}", payloads[8]),
             "mappings": [{"type": "value", "options": {"1": {"text": payloads[9]}}}]}, "overrides": []},
         "options": {"reduceOptions": {"calcs": ["lastNotNull"]}, "textMode": "value_and_name"}},
        {"id": 4, "type": "bargauge", "title": "Bars", "gridPos": grid(3, 2, 12, 8), "targets": target("time_series", true)},
        {"id": 5, "type": "text", "title": "Value $hv", "gridPos": grid(4, 4, 6, 4), "repeat": "hv", "repeatDirection": "h",
         "options": {"mode": "html", "content": "<b>$hv</b> ${hv:raw} ${hv:percentencode}"}},
        {"id": 6, "type": "alertlist", "title": "Alerts", "gridPos": grid(5, 1, 24, 6), "options": {"stateFilter": {"firing": true, "pending": true}}}
    ]})
}

pub fn hostile_input_never_runs(world: &World) -> Result<()> {
    let payloads: Vec<String> = hostile_payloads::all().into_iter().map(|(_, p)| p).collect();
    ensure(payloads.len() >= 300, || format!("only {} payloads", payloads.len()))?;
    let folder = world.stack.dashboards_dir.join("hostile");
    std::fs::create_dir_all(&folder)?;
    let _cleanup = RemovedOnDrop(folder.clone());
    let text = text_dashboard(&payloads);
    std::fs::write(folder.join("text.json"), serde_json::to_string_pretty(&text)?)?;
    std::fs::write(folder.join("data.json"), serde_json::to_string_pretty(&data_dashboard(&payloads))?)?;
    let app = world.stack.app_url.clone();
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;

        // Text panels, titles, descriptions, links, the dashboard's title, links and variables.
        browser.goto(&format!("{app}/d/e2e-hostile-text")).await?;
        // A window as tall as the grid: every panel is on the page at once (only panels near the
        // screen are).
        browser.wait_for("the grid", WAIT, "return document.querySelector('.grid')?.getBoundingClientRect().height > 0;").await?;
        let height = browser.execute("return document.querySelector('.grid').getBoundingClientRect().height;", vec![]).await?;
        browser.client.set_window_size(1400, (height.as_f64().unwrap_or(10_000.0) as u32 + 400).min(60_000)).await?;
        browser
            .wait_for("every text panel", WAIT, &format!("return document.querySelectorAll('.text-panel').length === {};", payloads.len()))
            .await?;
        assert_harmless(&browser, &app, "text panels").await?;
        // Each reads as the text it is: the title is the payload itself, the content keeps its marker.
        let titles = browser.execute("return [...document.querySelectorAll('.grid [data-panel-id]')].map(p => [p.dataset.panelId, p.querySelector('.panel-title')?.textContent ?? null, p.querySelector('.text-panel')?.textContent ?? '']);", vec![]).await?;
        let titles = titles.as_array().cloned().unwrap_or_default();
        ensure(titles.len() == payloads.len(), || format!("{} panels shown", titles.len()))?;
        for row in &titles {
            let id: usize = row[0].as_str().unwrap_or("0").parse().unwrap_or(0);
            let payload = &payloads[id - 1];
            let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
            ensure(row[1].as_str().map(collapse) == Some(collapse(payload)), || {
                format!("panel {id}'s title reads {:?}, not {payload:?}", row[1])
            })?;
            ensure(row[2].as_str().unwrap_or("").contains(&format!("marker-{}", id - 1)), || {
                format!("panel {id}'s text lost its marker: {:?}", row[2])
            })?;
        }
        // The links menu of a panel and the dashboard links hold only safe URLs (checked above);
        // the variable pickers show the values as text.
        let picker = browser.execute("return [...document.querySelectorAll('.toolbar-secondary option')].map(o => o.textContent);", vec![]).await?;
        ensure(picker.as_array().is_some_and(|o| o.iter().any(|t| t == &json!(payloads[0]))), || format!("the picker's options: {picker}"))?;
        // Choosing another value puts it into the text panels' `$custom`.
        browser
            .execute(
                "const s = [...document.querySelectorAll('.toolbar-secondary select')][0]; s.selectedIndex = 12; s.dispatchEvent(new Event('change', {bubbles: true}));",
                vec![],
            )
            .await?;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_harmless(&browser, &app, "a chosen variable value in text panels").await?;

        // Label values from Prometheus: legends, cells, display names, data links, alerts.
        browser.goto(&format!("{app}/d/e2e-hostile-data")).await?;
        browser.wait_for("the data panels", WAIT, "return ['1','2','3','4'].every(id => ['drawn','nodata','error'].includes(document.querySelector(`[data-panel-id=\"${id}\"]`)?.dataset.state));").await?;
        let legend = browser.execute("return document.querySelectorAll('[data-panel-id=\"1\"] .legend-name').length;", vec![]).await?;
        ensure(legend.as_u64().unwrap_or(0) >= 300, || format!("the legend shows {legend} series"))?;
        let states = browser.execute("return [...document.querySelectorAll('.grid [data-panel-id]')].map(p => p.dataset.state);", vec![]).await?;
        ensure(!states.as_array().is_some_and(|s| s.iter().any(|s| s == "error")), || format!("panel states: {states}"))?;
        // Hovering the chart and clicking opens the data links menu with label values in it.
        assert_harmless(&browser, &app, "label values in panels").await?;

        // URL parameters.
        for query in [
            format!("var-hv={}", urlencode(&payloads[0])),
            format!("var-hv={}&var-hv={}", urlencode(&payloads[30]), urlencode(&payloads[150])),
            format!("from={}&to={}", urlencode(&payloads[0]), urlencode(&payloads[1])),
            format!("viewPanel={}&editPanel={}", urlencode(&payloads[2]), urlencode(&payloads[3])),
            format!("editview={}&theme={}&timezone={}", urlencode(&payloads[4]), urlencode(&payloads[5]), urlencode(&payloads[6])),
        ] {
            browser.goto(&format!("{app}/d/e2e-hostile-data?{query}")).await?;
            browser.wait_for("the page", WAIT, "return !!document.querySelector('.edit-bar') || !!document.querySelector('.error-banner');").await?;
            tokio::time::sleep(Duration::from_millis(1500)).await;
            assert_harmless(&browser, &app, &format!("URL parameters {query}")).await?;
        }

        // An imported file (the importer shows the title and questions before opening it).
        crate::editing_defects::import_text(
            &browser,
            &app,
            &serde_json::to_string(&json!({"uid": "e2e-hostile-import", "title": payloads[10], "schemaVersion": 39,
                "__inputs": [{"name": "DS_X", "label": payloads[11], "description": payloads[12], "type": "constant", "value": payloads[13]}],
                "panels": text["panels"].as_array().map(|p| p[..40].to_vec())}))?,
        )
        .await?;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_harmless(&browser, &app, "an imported file").await?;

        // The check itself catches what it looks for: an element with a handler attribute (made in
        // an XML document: Trusted Types refuse to put one into this page from HTML) and a script
        // URL. And the page's Trusted Types policy refuses the same markup as HTML, saying so.
        browser
            .execute(
                "const xml = document.implementation.createDocument(null, 'x');
                 const img = xml.createElement('img'); img.setAttribute('onerror', 'self.__pwned=1');
                 document.body.appendChild(document.adoptNode(img));
                 const a = document.createElement('a'); a.setAttribute('href', 'java\tscript:void(0)'); a.textContent = 'x';
                 document.body.appendChild(a);
                 document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=self.__pwned=1>');",
                vec![],
            )
            .await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let caught = browser.execute(HARMS, vec![json!(app)]).await?;
        let caught = caught.to_string();
        ensure(caught.contains("<img> has onerror") && caught.contains("<a> href"), || {
            format!("the check missed an injected handler and script URL: {caught}")
        })?;
        let reported = browser.page_errors().await?;
        ensure(reported.iter().any(|e| e.contains("Trusted Types: HTML with <img>")), || {
            format!("the refusal of the injected handler was not reported: {reported:?}")
        })?;
        let _ = browser.client.close().await;
        Ok(())
    })
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}
