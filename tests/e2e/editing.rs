//! The editing round trip (issue 6's "done when"): edit a panel's query, unit and thresholds, add
//! and move a panel, edit a variable, reload and find the draft, undo and redo, export "as is" and
//! find only the edited keys changed, re-import the export and see the same dashboard.

use crate::World;
use crate::browser::Browser;
use crate::fixture;
use crate::stack::Result;
use fantoccini::Locator;
use serde_json::{Map, Value, json};
use std::time::Duration;

pub(crate) fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<()> {
    if condition { Ok(()) } else { Err(message().into()) }
}

const SETTLE: Duration = Duration::from_secs(15);

/// How often an element replaced between being found and being used is found again.
const STALE_RETRIES: usize = 3;

/// Whether WebDriver says the element found is no longer on the page: the page re-rendered it
/// between the find and the action (a field the editor rebuilt as another field changed). The
/// action is then done again on the element as it is now.
fn is_stale(error: &fantoccini::error::CmdError) -> bool {
    error.is_stale_element_reference()
}

/// Sends `text` to the field `css` (cleared first with `clear`), finding it again if it was
/// replaced meanwhile.
pub(crate) async fn send_to(browser: &Browser, css: &str, text: &str, clear: bool) -> Result<()> {
    let mut attempt = 0;
    loop {
        let field = browser.client.find(Locator::Css(css)).await?;
        let sent = async {
            if clear {
                field.clear().await?;
            }
            field.send_keys(text).await
        }
        .await;
        match sent {
            Err(error) if attempt < STALE_RETRIES && is_stale(&error) => attempt += 1,
            other => return Ok(other?),
        }
    }
}

/// Types into a field, then leaves it (the editor applies a field when it changes).
async fn type_into(browser: &Browser, css: &str, text: &str) -> Result<()> {
    send_to(browser, css, text, true).await?;
    browser.execute("document.activeElement && document.activeElement.blur();", vec![]).await?;
    Ok(())
}

pub(crate) async fn click(browser: &Browser, css: &str) -> Result<()> {
    let mut attempt = 0;
    loop {
        match browser.client.find(Locator::Css(css)).await?.click().await {
            Err(error) if attempt < STALE_RETRIES && is_stale(&error) => attempt += 1,
            other => return Ok(other?),
        }
    }
}

/// A key press as the page's shortcut handler sees it.
pub(crate) async fn press(browser: &Browser, key: &str, ctrl: bool, shift: bool) -> Result<()> {
    browser
        .execute(
            "window.dispatchEvent(new KeyboardEvent('keydown', {key: arguments[0], ctrlKey: arguments[1], shiftKey: arguments[2], bubbles: true}));",
            vec![json!(key), json!(ctrl), json!(shift)],
        )
        .await?;
    Ok(())
}

/// Waits for the dashboard to be rebuilt after a change and its panels to settle.
async fn settled(browser: &Browser, what: &str, condition: &str) -> Result<()> {
    browser.wait_for(what, SETTLE, condition).await?;
    browser.settled_panel_states().await?;
    Ok(())
}

fn panel_by_id(document: &Value, id: i64) -> Option<&Value> {
    document["panels"].as_array()?.iter().find(|p| p["id"] == id)
}

/// The JSON pointers at which two values differ (lists compared element by element).
fn differences(pointer: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: Vec<&String> = x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))).collect();
            for key in keys {
                match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) => differences(&format!("{pointer}/{key}"), p, q, out),
                    _ => out.push(format!("{pointer}/{key}")),
                }
            }
            if x.keys().filter(|k| y.contains_key(*k)).ne(y.keys().filter(|k| x.contains_key(*k))) {
                out.push(format!("{pointer} (key order)"));
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                differences(&format!("{pointer}/{i}"), p, q, out);
            }
        }
        _ if a == b && std::mem::discriminant(a) == std::mem::discriminant(b) => {}
        _ => out.push(pointer.to_string()),
    }
}

pub fn editing_round_trip(world: &World) -> Result<()> {
    let original_text = std::fs::read_to_string(
        crate::stack::crate_dir().join("tests/fixtures/dashboards/e2e/editing.json"),
    )?;
    let original: Value = serde_json::from_str(&original_text)?;
    let new_expr = "e2e_temperature_celsius{sensor=\"a\"} * 2";
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        let url = format!("{}/d/e2e-editing/e2e-editing?from={}&to={}", world.stack.app_url, fixture::START_S * 1000, fixture::END_S * 1000);
        browser.goto(&url).await?;
        browser.settled_panel_states().await?;
        ensure(browser.execute("return !document.querySelector('.edit-bar .modified-badge');", vec![]).await? == json!(true), || "a fresh dashboard is not modified".into())?;

        // Panel 2 is never edited: its element (and its data) must survive every panel edit.
        const MARK_PANEL_2: &str = "document.querySelector('.grid [data-panel-id=\"2\"]').__untouched = true;";
        const PANEL_2_KEPT: &str = "return [document.querySelector('.dashboard-page').dataset.builds, document.querySelector('.grid [data-panel-id=\"2\"]').__untouched === true];";
        browser.execute(MARK_PANEL_2, vec![]).await?;

        // 1. The panel editor: the query (completed from Prometheus, checked as typed), the unit,
        //    a threshold.
        click(&browser, "[data-panel-id=\"1\"] .panel-menu-button").await?;
        click(&browser, "[data-panel-id=\"1\"] .menu-edit").await?;
        browser.wait_for("the panel editor", SETTLE, "return !!document.querySelector('.panel-editor .query-expr');").await?;
        send_to(&browser, ".query-row[data-ref-id=\"A\"] .query-expr", "e2e_temp", true).await?;
        browser
            .wait_for("a metric name completion", SETTLE, "return [...document.querySelectorAll('.promql-suggestion')].some(b => b.textContent === 'e2e_temperature_celsius');")
            .await?;
        browser
            .execute("[...document.querySelectorAll('.promql-suggestion')].find(b => b.textContent === 'e2e_temperature_celsius').dispatchEvent(new MouseEvent('mousedown', {bubbles: true}));", vec![])
            .await?;
        browser.wait_for("the completion in the field", SETTLE, "return document.querySelector('.query-expr').value === 'e2e_temperature_celsius';").await?;
        send_to(&browser, ".query-expr", "{sensor=\"a\"} * (2", false).await?;
        browser.wait_for("the unbalanced bracket reported", SETTLE, "const p = document.querySelector('.promql-problem'); return !!p && p.textContent.includes('never closed');").await?;
        let highlighted = browser.execute("return [...document.querySelectorAll('.promql-highlight .tok-string')].map(t => t.textContent);", vec![]).await?;
        ensure(highlighted == json!(["\"a\""]), || format!("highlighted strings {highlighted}"))?;
        type_into(&browser, ".query-expr", new_expr).await?;
        browser.wait_for("no problem left", SETTLE, "return !document.querySelector('.promql-problem');").await?;
        browser
            .wait_for("the preview asking the new query", SETTLE, &format!("const p = document.querySelector('.panel-editor-preview [data-panel-id=\"1\"]'); return !!p && p.dataset.expr === {};", json!(new_expr)))
            .await?;
        send_to(&browser, ".opt-unit", "celsius", true).await?;
        browser.wait_for("the unit search", SETTLE, "return !!document.querySelector('.unit-choice[data-unit=\"celsius\"]');").await?;
        click(&browser, ".unit-choice[data-unit=\"celsius\"]").await?;
        type_into(&browser, ".threshold-step[data-index=\"1\"] .step-value", "45").await?;
        browser
            .wait_for("the preview in °C", SETTLE, "const c = document.querySelector('.panel-editor-preview .chart'); return !!c && c.dataset.yTicks.includes('°C');")
            .await?;
        browser.screenshot("panel-editor").await?;
        click(&browser, ".editor-apply").await?;
        settled(&browser, "the edited panel on the dashboard", &format!(
            "const p = document.querySelector('.grid [data-panel-id=\"1\"]'); return !document.querySelector('.panel-editor') && !!p && p.dataset.expr === {};", json!(new_expr))).await?;
        ensure(browser.execute("return !!document.querySelector('.edit-bar .modified-badge');", vec![]).await? == json!(true), || "modified after an edit".into())?;

        let in_place = browser.execute(PANEL_2_KEPT, vec![]).await?;
        ensure(in_place == json!(["1", true]), || format!("(page builds, panel 2 kept) after editing panel 1: {in_place}"))?;

        // 2. Add a panel (the editor opens on it), then move it with the keyboard and resize it by
        //    dragging its corner.
        click(&browser, ".add-button").await?;
        click(&browser, ".add-panel").await?;
        browser.wait_for("the new panel's editor", SETTLE, "return document.querySelector('.panel-editor')?.dataset.editPanel === '3';").await?;
        type_into(&browser, ".opt-title", "Flaky target").await?;
        // Not applied yet, and the page reloads: the editor comes back with the title typed.
        browser.client.refresh().await?;
        browser
            .wait_for("the editor restored", SETTLE, "return document.querySelector('.opt-title')?.value === 'Flaky target' && (document.querySelector('.editor-problem')?.textContent || '').includes('Restored');")
            .await?;
        type_into(&browser, ".query-expr", "e2e_flaky_up").await?;
        click(&browser, ".editor-apply").await?;
        settled(&browser, "the new panel", "const p = document.querySelector('.grid [data-panel-id=\"3\"]'); return !document.querySelector('.panel-editor') && !!p && p.dataset.expr === 'e2e_flaky_up';").await?;
        browser.execute(MARK_PANEL_2, vec![]).await?;
        click(&browser, ".layout-toggle").await?;
        browser.wait_for("the arrange handles", SETTLE, "return !!document.querySelector('.arrange-overlay[data-arrange-id=\"3\"]');").await?;
        browser
            .execute("document.querySelector('.arrange-overlay[data-arrange-id=\"3\"]').dispatchEvent(new MouseEvent('mousedown', {bubbles: true, button: 0, clientX: 10, clientY: 10}));
                      window.dispatchEvent(new MouseEvent('mouseup', {bubbles: true, clientX: 10, clientY: 10}));", vec![])
            .await?;
        for step in 1..=6 {
            let before = browser.execute("return document.querySelector('.grid [data-panel-id=\"3\"]').style.left;", vec![]).await?;
            press(&browser, "ArrowRight", false, false).await?;
            browser
                .wait_for(&format!("move {step}"), SETTLE, &format!("const p = document.querySelector('.grid [data-panel-id=\"3\"]'); return !!p && p.style.left !== {before};"))
                .await?;
        }
        settled(&browser, "the panel moved right", "const p = document.querySelector('.grid [data-panel-id=\"3\"]'); return !!p && parseFloat(p.style.left) > 0;").await?;
        let column = browser.execute("const g = document.querySelector('.grid').getBoundingClientRect().width; return (g - 8 * 23) / 24 + 8;", vec![]).await?.as_f64().unwrap_or(50.0);
        browser
            .execute(
                "const corner = document.querySelector('.arrange-overlay[data-arrange-id=\"3\"] .resize-corner');
                 const r = corner.getBoundingClientRect();
                 corner.dispatchEvent(new MouseEvent('mousedown', {bubbles: true, button: 0, clientX: r.x, clientY: r.y}));
                 window.dispatchEvent(new MouseEvent('mousemove', {clientX: r.x - 2 * arguments[0], clientY: r.y + 38}));
                 window.dispatchEvent(new MouseEvent('mouseup', {clientX: r.x - 2 * arguments[0], clientY: r.y + 38}));",
                vec![json!(column)],
            )
            .await?;
        browser.wait_for("the resize", SETTLE, "return !!document.querySelector('.grid [data-panel-id=\"3\"]');").await?;
        click(&browser, ".layout-toggle").await?;
        browser.settled_panel_states().await?;

        // Moves and resizes updated the page in place: built once, panel 2 the same element.
        let in_place = browser.execute(PANEL_2_KEPT, vec![]).await?;
        ensure(in_place == json!(["1", true]), || format!("(page builds, panel 2 kept) after moving and resizing: {in_place}"))?;

        // 3. A variable: only sensor a, previewed.
        click(&browser, ".open-variables").await?;
        browser.wait_for("the variables editor", SETTLE, "return !!document.querySelector('.variable-item[data-variable=\"sensor\"]');").await?;
        type_into(&browser, ".var-regex", "/a/").await?;
        click(&browser, ".var-apply").await?;
        browser.wait_for("the variables editor again", SETTLE, "return document.querySelector('.var-regex')?.value === '/a/';").await?;
        click(&browser, ".var-preview").await?;
        browser
            .wait_for("the preview values", SETTLE, "const p = document.querySelector('.variable-preview'); const v = p ? [...p.querySelectorAll('.preview-value')].map(v => v.textContent) : []; return v.includes('a') && !v.includes('b');")
            .await?;
        browser.screenshot("variables-editor").await?;
        // Undo takes the variable change back; redo makes it again.
        press(&browser, "z", true, false).await?;
        browser.wait_for("the regex undone", SETTLE, "return document.querySelector('.var-regex')?.value === '';").await?;
        press(&browser, "z", true, true).await?;
        browser.wait_for("the regex redone", SETTLE, "return document.querySelector('.var-regex')?.value === '/a/';").await?;
        click(&browser, ".settings-close").await?;
        browser.settled_panel_states().await?;

        // 4. A reload finds the draft: the edits, the badge, the browser's list.
        browser.client.refresh().await?;
        browser.wait_for("the dashboard after a reload", SETTLE, "return !!document.querySelector('.grid [data-panel-id=\"3\"]');").await?;
        browser.settled_panel_states().await?;
        let after_reload = browser
            .execute("return [document.querySelector('.grid [data-panel-id=\"1\"]').dataset.expr, !!document.querySelector('.edit-bar .modified-badge')];", vec![])
            .await?;
        ensure(after_reload == json!([new_expr, true]), || format!("after reload {after_reload}"))?;
        // Undo (the draft back to the file) and redo.
        press(&browser, "z", true, false).await?;
        settled(&browser, "the file again", "return !document.querySelector('.grid [data-panel-id=\"3\"]') && !document.querySelector('.edit-bar .modified-badge');").await?;
        press(&browser, "z", true, true).await?;
        settled(&browser, "the draft again", "return !!document.querySelector('.grid [data-panel-id=\"3\"]') && !!document.querySelector('.edit-bar .modified-badge');").await?;
        browser.screenshot("editing-draft").await?;

        // 5. Export: the changes first, then "as is" differs from the file only where edited.
        click(&browser, ".export").await?;
        browser.wait_for("the export diff", SETTLE, "return document.querySelectorAll('.export-diff .diff-row').length > 0;").await?;
        let pointers = browser.execute("return [...document.querySelectorAll('.export-diff .diff-row')].map(r => r.dataset.pointer);", vec![]).await?;
        let exported_text = browser.execute("return document.querySelector('.export-json').value;", vec![]).await?;
        let exported: Value = serde_json::from_str(exported_text.as_str().unwrap_or_default())?;
        let mut changed = Vec::new();
        let (mut without_new, mut original_panels) = (exported.clone(), original.clone());
        // Panel 3 is new; the rest is compared key by key.
        if let Some(list) = without_new["panels"].as_array_mut() {
            list.retain(|p| p["id"] != 3);
        }
        if let Some(list) = original_panels["panels"].as_array_mut() {
            list.retain(|p| p["id"] != 3);
        }
        differences("", &original_panels, &without_new, &mut changed);
        ensure(
            changed
                == [
                    "/templating/list/0/regex",
                    "/panels/0/targets/0/expr",
                    "/panels/0/fieldConfig/defaults/unit",
                    "/panels/0/fieldConfig/defaults/thresholds/steps/1/value",
                ],
            || format!("the export differs from the file at {changed:?}"),
        )?;
        let new_panel = panel_by_id(&exported, 3).cloned().unwrap_or(Value::Null);
        ensure(
            new_panel["title"] == "Flaky target"
                && new_panel["targets"][0]["expr"] == "e2e_flaky_up"
                && new_panel["gridPos"]["x"].as_i64().is_some_and(|x| x >= 4)
                && new_panel["gridPos"]["w"].as_i64().is_some_and(|w| w < 12),
            || format!("the new panel {new_panel}"),
        )?;
        ensure(exported["panels"][1]["fieldConfig"]["defaults"]["thresholds"]["steps"][1]["value"] == json!(45), || "45 stays an integer".into())?;
        ensure(
            pointers.as_array().is_some_and(|p| p.contains(&json!("/panels/0")) && p.contains(&json!("/panels/1/targets/0/expr"))),
            || format!("export diff rows {pointers}"),
        )?;

        // 6. Re-import the export (under a new uid: the provisioned one is taken) and find the
        //    same dashboard.
        let mut reimport: Map<String, Value> = serde_json::from_value(exported.clone())?;
        reimport.insert("uid".into(), json!("e2e-editing-copy"));
        // (The helper waits for the import page before typing: the shell comes up first.)
        crate::editing_defects::import_text(
            &browser,
            &world.stack.app_url,
            &serde_json::to_string_pretty(&Value::Object(reimport))?,
        )
        .await?;
        browser.wait_for("the imported copy", SETTLE, "return location.pathname.startsWith('/d/e2e-editing-copy/');").await?;
        browser.settled_panel_states().await?;
        let copy = browser
            .execute("return [...document.querySelectorAll('.grid [data-panel-id]')].map(p => [p.dataset.panelId, p.dataset.expr || null]).sort();", vec![])
            .await?;
        ensure(
            copy == json!([["1", new_expr], ["2", "sum(rate(e2e_requests_total[5m]))"], ["3", "e2e_flaky_up"]]),
            || format!("the re-imported dashboard's panels {copy}"),
        )?;
        // The browser lists the draft.
        browser.goto(&format!("{}/", world.stack.app_url)).await?;
        browser
            .wait_for("the draft listed", SETTLE, "return !!document.querySelector('.drafts .draft-item[data-uid=\"e2e-editing\"]') && !!document.querySelector('.dashboard-item[data-uid=\"e2e-editing\"] .modified-badge');")
            .await?;
        browser.finish().await
    })
}
