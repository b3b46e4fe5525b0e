//! The editing defects a new user met in the first minutes (issue 19), each pressed, clicked or
//! typed the way a person would: every keyboard shortcut; a `rows[]` dashboard edited like a new
//! one; rows one unit high and panels kept under their own row; "as is" exports that are the
//! file's own bytes; importing onto a taken uid; drafts that stay with their file; the JSON model's
//! shape check; dialogs above the arrange overlays; the panel editor on a phone; focus after a
//! picker; PromQL completion by keyboard; `auto` intervals, the tab title, `?refresh=1s`, the
//! variables form and a right-hand table legend.

use crate::World;
use crate::browser::Browser;
use crate::editing::{click, ensure, press};
use crate::fixture;
use crate::stack::Result;
use fantoccini::Locator;
use fantoccini::key::Key;
use serde_json::{Value, json};
use std::time::Duration;

const SETTLE: Duration = Duration::from_secs(15);

fn range_query() -> String {
    format!("from={}&to={}", fixture::START_S * 1000, fixture::END_S * 1000)
}

fn fixture_text(name: &str) -> Result<String> {
    Ok(std::fs::read_to_string(crate::stack::crate_dir().join("tests/fixtures/dashboards/e2e").join(name))?)
}

/// Real key strokes to whatever element has the focus, as a keyboard types them.
async fn type_keys(browser: &Browser, keys: &str) -> Result<()> {
    browser.client.active_element().await?.send_keys(keys).await?;
    Ok(())
}

/// The pointer over a panel (the shortcuts act on the panel under it).
async fn hover(browser: &Browser, id: &str) -> Result<()> {
    browser
        .execute(
            "document.querySelector(`.grid [data-panel-id=\"${arguments[0]}\"]`).dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));",
            vec![json!(id)],
        )
        .await?;
    Ok(())
}

async fn url_query(browser: &Browser) -> Result<String> {
    Ok(browser.client.current_url().await?.query().unwrap_or("").to_string())
}

async fn wait_url(browser: &Browser, what: &str, condition: impl Fn(&str) -> bool) -> Result<String> {
    let deadline = std::time::Instant::now() + SETTLE;
    loop {
        let query = url_query(browser).await?;
        if condition(&query) {
            return Ok(query);
        }
        if std::time::Instant::now() > deadline {
            return Err(format!("timed out waiting for {what}; the URL's query is {query:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn panel_ids(browser: &Browser) -> Result<Vec<String>> {
    let value = browser
        .execute("return [...document.querySelectorAll('.grid > * [data-panel-id], .grid [data-panel-id]')].map(p => p.dataset.panelId).filter((v, i, a) => a.indexOf(v) === i);", vec![])
        .await?;
    Ok(serde_json::from_value(value)?)
}

/// A panel's box on the page: [left, top, right, bottom] in CSS px.
async fn panel_box(browser: &Browser, id: &str) -> Result<Vec<f64>> {
    let value = browser
        .execute(
            "const r = document.querySelector(`.grid [data-panel-id=\"${arguments[0]}\"]`).getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom];",
            vec![json!(id)],
        )
        .await?;
    Ok(serde_json::from_value(value)?)
}

/// A script that is true once the export dialog holds the text of `kind` and its download link
/// (they are written in tasks of their own after the dialog opens or the kind changes).
pub(crate) fn export_ready(kind: &str) -> String {
    format!(
        "return document.querySelector('.export-json')?.dataset.exportKind === '{kind}' && !!document.querySelector('a.download')?.getAttribute('href')?.startsWith('blob:');"
    )
}

/// Opens Export, picks "as is", and returns the text it would download.
pub(crate) async fn export_as_is(browser: &Browser) -> Result<String> {
    if browser.execute("return !document.querySelector('.export-dialog');", vec![]).await? == json!(true) {
        click(browser, "button.export").await?;
    }
    click(browser, ".export-dialog [data-export=\"as-is\"]").await?;
    browser.wait_for("the export text", SETTLE, &export_ready("as-is")).await?;
    let text = browser.execute("return document.querySelector('.export-json').value;", vec![]).await?;
    Ok(text.as_str().unwrap_or_default().to_string())
}

async fn modified(browser: &Browser) -> Result<bool> {
    Ok(browser.execute("return !!document.querySelector('.edit-bar .modified-badge');", vec![]).await?
        == json!(true))
}

/// Every keyboard shortcut of the `?` list, pressed over a panel: none crashes the app, each does
/// what the list says. `e` and `v` used to abort the app ("unreachable"): the URL helper read a
/// Leptos context from inside the window's key listener.
pub fn every_keyboard_shortcut_does_its_job(world: &World) -> Result<()> {
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        browser.goto(&format!("{}/d/e2e-rows/e2e-rows?{}", world.stack.app_url, range_query())).await?;
        browser.settled_panel_states().await?;

        // e: the panel editor of the panel under the pointer; Esc leaves it.
        hover(&browser, "1").await?;
        press(&browser, "e", false, false).await?;
        wait_url(&browser, "editPanel=1", |q| q.contains("editPanel=1")).await?;
        browser.wait_for("the panel editor", SETTLE, "return document.querySelector('.panel-editor')?.dataset.editPanel === '1';").await?;
        browser.check_page_errors().await?;
        press(&browser, "Escape", false, false).await?;
        browser.wait_for("the editor closed", SETTLE, "return !document.querySelector('.panel-editor');").await?;

        // v: the panel alone, v again: back.
        hover(&browser, "1").await?;
        press(&browser, "v", false, false).await?;
        wait_url(&browser, "viewPanel=1", |q| q.contains("viewPanel=1")).await?;
        browser.check_page_errors().await?;
        press(&browser, "v", false, false).await?;
        wait_url(&browser, "viewPanel gone", |q| !q.contains("viewPanel")).await?;
        browser.settled_panel_states().await?;

        // p d: a duplicate; Ctrl+Z: gone; Ctrl+Shift+Z: back; Ctrl+Z again.
        let before = panel_ids(&browser).await?;
        hover(&browser, "1").await?;
        press(&browser, "p", false, false).await?;
        press(&browser, "d", false, false).await?;
        browser.wait_for("the duplicate", SETTLE, "return !!document.querySelector('.grid [data-panel-id=\"12\"]');").await?;
        press(&browser, "z", true, false).await?;
        browser.wait_for("undo", SETTLE, "return !document.querySelector('.grid [data-panel-id=\"12\"]');").await?;
        press(&browser, "z", true, true).await?;
        browser.wait_for("redo", SETTLE, "return !!document.querySelector('.grid [data-panel-id=\"12\"]');").await?;
        press(&browser, "y", true, false).await?; // nothing to redo: harmless
        press(&browser, "z", true, false).await?;
        browser.wait_for("undo again", SETTLE, "return !document.querySelector('.grid [data-panel-id=\"12\"]');").await?;
        ensure(panel_ids(&browser).await? == before, || "undo gives the panels back as they were".into())?;

        // p r: removed (Ctrl+Z brings it back); p c: copied.
        hover(&browser, "2").await?;
        press(&browser, "p", false, false).await?;
        press(&browser, "r", false, false).await?;
        browser.wait_for("panel 2 removed", SETTLE, "return !document.querySelector('.grid [data-panel-id=\"2\"]');").await?;
        press(&browser, "z", true, false).await?;
        browser.wait_for("panel 2 back", SETTLE, "return !!document.querySelector('.grid [data-panel-id=\"2\"]');").await?;
        hover(&browser, "2").await?;
        press(&browser, "p", false, false).await?;
        press(&browser, "c", false, false).await?;
        browser.wait_for("copied", SETTLE, "return (document.querySelector('.edit-status')?.textContent || '').includes('Panel copied');").await?;
        ensure(
            browser.execute("return JSON.parse(localStorage.getItem('promboard.copied-panel')).id;", vec![]).await? == json!(2),
            || "p c copies the panel under the pointer".into(),
        )?;

        // d r: every panel asks Prometheus again.
        let asked = "return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/v1/query')).length;";
        let before = browser.execute(asked, vec![]).await?.as_u64().unwrap_or(0);
        press(&browser, "d", false, false).await?;
        press(&browser, "r", false, false).await?;
        browser.wait_for("the refresh's requests", SETTLE, &format!("{} > {before};", asked.trim_end_matches(';'))).await?;

        // t z, t ←, t →: the range in the URL zooms out and moves.
        let start = url_query(&browser).await?;
        press(&browser, "t", false, false).await?;
        press(&browser, "z", false, false).await?;
        let zoomed = wait_url(&browser, "the zoomed range", |q| q != start).await?;
        let span = |query: &str| -> i64 {
            let read = |key: &str| query.split('&').find_map(|p| p.strip_prefix(key)).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
            read("to=") - read("from=")
        };
        ensure(span(&zoomed) == 2 * span(&start), || format!("t z doubles the range: {start} → {zoomed}"))?;
        press(&browser, "t", false, false).await?;
        press(&browser, "ArrowLeft", false, false).await?;
        let back = wait_url(&browser, "the range moved back", |q| q != zoomed).await?;
        press(&browser, "t", false, false).await?;
        press(&browser, "ArrowRight", false, false).await?;
        wait_url(&browser, "the range moved forward again", |q| q != back && span(q) == span(&zoomed)).await?;

        // Arrows while arranging: the selected panel moves; Ctrl+Z takes it back.
        click(&browser, ".layout-toggle").await?;
        browser.wait_for("the arrange handles", SETTLE, "return !!document.querySelector('.arrange-overlay[data-arrange-id=\"5\"]');").await?;
        browser
            .execute("document.querySelector('.arrange-overlay[data-arrange-id=\"5\"]').dispatchEvent(new MouseEvent('mousedown', {bubbles: true, button: 0, clientX: 5, clientY: 5}));
                      window.dispatchEvent(new MouseEvent('mouseup', {bubbles: true, clientX: 5, clientY: 5}));", vec![])
            .await?;
        let left = panel_box(&browser, "5").await?[0];
        press(&browser, "ArrowRight", false, false).await?;
        browser.wait_for("the arrow move", SETTLE, &format!("return document.querySelector('.grid [data-panel-id=\"5\"]').getBoundingClientRect().left > {left};")).await?;
        press(&browser, "z", true, false).await?;
        browser.wait_for("the move undone", SETTLE, &format!("return document.querySelector('.grid [data-panel-id=\"5\"]').getBoundingClientRect().left === {left};")).await?;
        click(&browser, ".layout-toggle").await?;

        // Ctrl+S: the draft saved; ?: the list, twice: gone.
        hover(&browser, "1").await?;
        press(&browser, "p", false, false).await?;
        press(&browser, "d", false, false).await?;
        browser.wait_for("a change to save", SETTLE, "return !!document.querySelector('.edit-bar .modified-badge');").await?;
        press(&browser, "s", true, false).await?;
        browser.wait_for("the draft saved", SETTLE, "return (document.querySelector('.edit-status')?.textContent || '').includes('Draft saved') && !!localStorage.getItem('promboard.draft.e2e-rows');").await?;
        press(&browser, "?", false, true).await?;
        browser.wait_for("the shortcut list", SETTLE, "return !!document.querySelector('.shortcuts-help');").await?;
        press(&browser, "?", false, true).await?;
        browser.wait_for("the list closed", SETTLE, "return !document.querySelector('.shortcuts-help');").await?;

        // After choosing from the time picker, the keyboard is the dashboard's again: real keys
        // (not a synthetic window event) reach the shortcuts.
        browser.client.find(Locator::Css(".time-picker")).await?.select_by_value("now-1h").await?;
        wait_url(&browser, "the picked range", |q| q.contains("from=now-1h")).await?;
        ensure(
            browser.execute("return document.activeElement.tagName;", vec![]).await? != json!("SELECT"),
            || "the time picker gives the focus back after a choice".into(),
        )?;
        type_keys(&browser, "tz").await?;
        wait_url(&browser, "t z typed after the picker", |q| !q.contains("from=now-1h")).await?;
        browser.finish().await
    })
}

/// A `rows[]` file (schema 14) is edited in its upgraded form: edit, duplicate, remove, copy and
/// paste, add a row — and the export says it is written in the current schema. Rows are one grid
/// unit high. Unedited, "as is" is the file's bytes (3-space indent, final newline, `1.0`).
pub fn legacy_rows_dashboards_edit_like_new_ones(world: &World) -> Result<()> {
    let file = fixture_text("legacy-rows.json")?;
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        browser.goto(&format!("{}/d/e2e-legacy-rows/e2e-legacy-rows?{}", world.stack.app_url, range_query())).await?;
        browser.settled_panel_states().await?;
        ensure(
            browser.execute("return document.title;", vec![]).await? == json!("E2E legacy rows - promboard"),
            || "the tab is named after the dashboard".into(),
        )?;

        // Rows upgraded from rows[] keep h 7 in the JSON; drawn one unit (30 px) high, the
        // row's panels right under the title.
        let rows = browser
            .execute("return [...document.querySelectorAll('.grid .row-panel')].map(r => { const b = r.getBoundingClientRect(); return [r.dataset.panelId, b.top, b.height]; });", vec![])
            .await?;
        let rows: Vec<(String, f64, f64)> = serde_json::from_value(rows)?;
        ensure(rows.len() == 2 && rows.iter().all(|(_, _, h)| (*h - 30.0).abs() < 1.0), || format!("row headers (id, top, height): {rows:?}"))?;
        let first_panel = panel_box(&browser, "1").await?;
        ensure((first_panel[1] - (rows[0].1 + 38.0)).abs() < 1.5, || format!("panel 1 starts one row below its row's title: {first_panel:?} vs {rows:?}"))?;

        // The interval variable on auto shows "auto".
        let shown = browser
            .execute("const s = document.querySelector('.variable-select'); return s.options[s.selectedIndex].textContent;", vec![])
            .await?;
        ensure(shown == json!("auto"), || format!("the interval picker shows {shown}"))?;

        // Unedited: the file's own bytes.
        let exported = export_as_is(&browser).await?;
        ensure(exported == file, || format!("as-is export of an unedited rows[] file differs from the file:\n{exported}"))?;
        click(&browser, "button.export").await?;

        // e over panel 1: its editor (was: "There is no panel 1 to edit").
        hover(&browser, "1").await?;
        press(&browser, "e", false, false).await?;
        browser.wait_for("the panel editor of panel 1", SETTLE, "return document.querySelector('.panel-editor')?.dataset.editPanel === '1' && !!document.querySelector('.panel-editor .query-expr');").await?;
        press(&browser, "Escape", false, false).await?;
        browser.wait_for("the editor closed", SETTLE, "return !document.querySelector('.panel-editor');").await?;

        // Duplicate panel 3 by its menu; Undo becomes possible.
        click(&browser, "[data-panel-id=\"3\"] .panel-menu-button").await?;
        click(&browser, "[data-panel-id=\"3\"] .menu-duplicate").await?;
        browser.wait_for("the duplicate", SETTLE, "return document.querySelectorAll('.grid [data-panel-id]').length === 6 && !document.querySelector('.edit-bar .undo').disabled;").await?;
        // Remove panel 2, copy panel 1 and paste it, add a row.
        click(&browser, "[data-panel-id=\"2\"] .panel-menu-button").await?;
        click(&browser, "[data-panel-id=\"2\"] .menu-remove").await?;
        browser.wait_for("panel 2 removed", SETTLE, "return !document.querySelector('.grid [data-panel-id=\"2\"]');").await?;
        click(&browser, "[data-panel-id=\"1\"] .panel-menu-button").await?;
        click(&browser, "[data-panel-id=\"1\"] .menu-copy").await?;
        click(&browser, ".add-button").await?;
        click(&browser, ".paste-panel").await?;
        browser.wait_for("the pasted panel", SETTLE, "return document.querySelectorAll('.grid [data-panel-id]').length === 6;").await?;
        click(&browser, ".add-button").await?;
        click(&browser, ".add-row").await?;
        browser.wait_for("the new row", SETTLE, "return document.querySelectorAll('.grid .row-panel').length === 3;").await?;

        let exported: Value = serde_json::from_str(&export_as_is(&browser).await?)?;
        ensure(exported.get("rows").is_none(), || "the edited file has no rows[] left".into())?;
        let mut ids: Vec<i64> = exported["panels"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|p| std::iter::once(p).chain(p["panels"].as_array().into_iter().flatten()))
            .filter_map(|p| p["id"].as_i64())
            .collect();
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        ensure(ids.len() == count && count == 7, || format!("panel and row ids are unique (7 of them): {ids:?}, {count}"))?;
        ensure(exported["schemaVersion"] == json!(43), || format!("written in schema 43: {}", exported["schemaVersion"]))?;
        let note = browser.execute("return document.querySelector('.export-schema-note')?.textContent || '';", vec![]).await?;
        ensure(note.as_str().is_some_and(|n| n.contains("rows[]") && n.contains("43")), || format!("the export says the schema changes: {note}"))?;
        click(&browser, "button.export").await?;

        // A variable picked from its dropdown gives the keyboard back too.
        browser.client.find(Locator::Css(".variable-select")).await?.select_by_value("5m").await?;
        wait_url(&browser, "var-interval=5m", |q| q.contains("var-interval=5m")).await?;
        ensure(
            browser.execute("return document.activeElement.tagName;", vec![]).await? != json!("SELECT"),
            || "the variable picker gives the focus back after a choice".into(),
        )?;
        let before = url_query(&browser).await?;
        type_keys(&browser, "tz").await?;
        wait_url(&browser, "t z typed after the variable picker", |q| q != before && q.contains("var-interval=5m")).await?;
        browser.finish().await
    })
}

/// Grafana's grid keeps a panel under its own row: a duplicate that pushes the next row down takes
/// that row's panels with it. Edits export into the file's own text (only the touched lines
/// change). Also: `?refresh=1s`, a right-hand table legend, the JSON model's shape check, dialogs
/// above the arrange overlays, the variables form beside its list, the panel editor on a phone.
pub fn rows_keep_their_panels_and_exports_keep_the_file(world: &World) -> Result<()> {
    let file = fixture_text("rows.json")?;
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        browser.client.set_window_size(1400, 1600).await?;
        browser.goto(&format!("{}/d/e2e-rows/e2e-rows?{}&refresh=1s", world.stack.app_url, range_query())).await?;
        browser.settled_panel_states().await?;

        // ?refresh=1s runs (and shows) the fastest allowed choice, with no option of its own.
        let refresh = browser
            .execute("const s = document.querySelector('.auto-refresh'); return [s.value, [...s.options].map(o => o.value)];", vec![])
            .await?;
        ensure(refresh[0] == json!("5s") && !refresh[1].as_array().is_some_and(|o| o.contains(&json!("1s"))), || format!("auto-refresh picker: {refresh}"))?;

        // A right-hand table legend keeps its value columns in view.
        let legend = browser
            .execute("const p = document.querySelector('.grid [data-panel-id=\"5\"]').getBoundingClientRect();
                      const cells = [...document.querySelectorAll('.grid [data-panel-id=\"5\"] .legend-table tbody tr:first-child td')];
                      const last = cells[cells.length - 1].getBoundingClientRect();
                      const scroller = document.querySelector('.grid [data-panel-id=\"5\"] .legend-table');
                      return [cells.length, last.right <= p.right + 0.5, scroller.scrollWidth <= scroller.clientWidth + 1];", vec![])
            .await?;
        ensure(legend == json!([4, true, true]), || format!("right legend (cells, last value in the panel, no sideways scroll): {legend}"))?;

        // Duplicate "Memory Usage": the copy goes under it and pushes the Disk row, with both of
        // the Disk row's panels, below it.
        click(&browser, "[data-panel-id=\"1\"] .panel-menu-button").await?;
        click(&browser, "[data-panel-id=\"1\"] .menu-duplicate").await?;
        browser.wait_for("the duplicate", SETTLE, "return !!document.querySelector('.grid [data-panel-id=\"12\"]');").await?;
        browser.settled_panel_states().await?;
        let copy = panel_box(&browser, "12").await?;
        let disk_row = panel_box(&browser, "11").await?;
        let (disk_io, disk_gauge) = (panel_box(&browser, "3").await?, panel_box(&browser, "4").await?);
        ensure(disk_row[1] >= copy[3], || format!("the Disk row's title is below the duplicate: {disk_row:?} vs {copy:?}"))?;
        ensure(
            disk_io[1] > disk_row[1] && (disk_gauge[1] - disk_io[1]).abs() < 0.5,
            || format!("both Disk panels are under the Disk row, side by side: row {disk_row:?}, {disk_io:?}, {disk_gauge:?}"),
        )?;

        // The export keeps every line of the file, in order, and adds the copy in its style.
        let exported = export_as_is(&browser).await?;
        let file_lines: Vec<&str> = file.lines().collect();
        let mut kept = 0;
        let mut added = Vec::new();
        for line in exported.lines() {
            if file_lines.get(kept) == Some(&line) {
                kept += 1;
            } else {
                added.push(line);
            }
        }
        ensure(kept == file_lines.len(), || format!("every line of the file is kept, in order:\n{exported}"))?;
        ensure(!added.is_empty() && added.iter().any(|l| l.contains("\"id\": 12")), || format!("the copy is added: {added:?}"))?;
        ensure(exported.ends_with("}\n"), || "the final newline is kept".into())?;
        ensure(
            added.iter().all(|line| line.starts_with("      ") || line.trim() == "},"),
            || format!("the added lines are in the file's 3-space style: {added:?}"),
        )?;
        click(&browser, "button.export").await?;

        // Arranging: the Export dialog is above the overlays and takes its own clicks.
        click(&browser, ".layout-toggle").await?;
        browser.wait_for("the arrange handles", SETTLE, "return !!document.querySelector('.arrange-overlay');").await?;
        click(&browser, "button.export").await?;
        let on_top = browser
            .execute("const d = document.querySelector('.export-dialog').getBoundingClientRect();
                      const probes = [[d.left + 20, d.bottom - 20], [d.left + d.width / 2, d.top + d.height / 2]];
                      return probes.every(([x, y]) => !!document.elementFromPoint(x, y)?.closest('.export-dialog'));", vec![])
            .await?;
        ensure(on_top == json!(true), || "the Export dialog is under the arrange overlays".into())?;
        click(&browser, "button.export").await?;
        click(&browser, ".layout-toggle").await?;

        // The JSON model refuses shapes that would make the panels or variables vanish.
        click(&browser, ".open-json").await?;
        browser.wait_for("the JSON model", SETTLE, "return !!document.querySelector('.json-model-text');").await?;
        for (broken, path) in [
            (r#"{"title": "x", "panels": {}}"#, "$.panels"),
            (r#"{"title": "x", "panels": [{"type": "stat", "gridPos": "oops"}]}"#, "$.panels[0].gridPos"),
            (r#"{"title": "x", "templating": {"list": 5}}"#, "$.templating.list"),
        ] {
            browser
                .execute("const t = document.querySelector('.json-model-text'); t.value = arguments[0]; t.dispatchEvent(new Event('input', {bubbles: true}));", vec![json!(broken)])
                .await?;
            click(&browser, ".json-apply").await?;
            browser
                .wait_for(&format!("the problem at {path}"), SETTLE, &format!("return (document.querySelector('.json-model-problem')?.textContent || '').includes({});", json!(format!("at {path}:"))))
                .await?;
        }
        ensure(
            browser.execute("return document.querySelector('.edit-bar .undo').title;", vec![]).await? == json!("Undo: Duplicate panel (Ctrl+Z)"),
            || "nothing was applied from a broken JSON model".into(),
        )?;
        press(&browser, "Escape", false, false).await?;

        // "+ New variable": the form is in the second column, beside the list.
        click(&browser, ".open-variables").await?;
        click(&browser, ".variable-add").await?;
        browser.wait_for("the new variable's form", SETTLE, "return document.querySelector('.var-name')?.value === 'query1';").await?;
        let beside = browser
            .execute("const l = document.querySelector('.variable-sidebar').getBoundingClientRect(); const f = document.querySelector('.variable-form').getBoundingClientRect(); return f.left >= l.right && f.width > 300;", vec![])
            .await?;
        ensure(beside == json!(true), || "the variable form sits beside the list, full width".into())?;
        press(&browser, "Escape", false, false).await?;

        // A phone: the panel editor's query field is usable.
        browser.client.set_window_size(400, 900).await?;
        browser.wait_for("the narrow layout", SETTLE, "return window.innerWidth <= 420;").await?;
        click(&browser, "[data-panel-id=\"1\"] .panel-menu-button").await?;
        click(&browser, "[data-panel-id=\"1\"] .menu-edit").await?;
        browser.wait_for("the panel editor", SETTLE, "return !!document.querySelector('.panel-editor .query-expr');").await?;
        let widths = browser
            .execute("const e = document.querySelector('.panel-editor'); return [document.querySelector('.query-expr').getBoundingClientRect().width, document.querySelector('.panel-editor-options').getBoundingClientRect().width, e.scrollWidth - e.clientWidth];", vec![])
            .await?;
        let widths: Vec<f64> = serde_json::from_value(widths)?;
        ensure(widths[0] >= 300.0 && widths[1] >= 300.0 && widths[2] <= 1.0, || format!("at 400 px (query field, options, editor's sideways overflow): {widths:?}"))?;
        browser.screenshot("panel-editor-400px").await?;
        browser.finish().await
    })
}

const IMPORT_A: &str = r#"{"uid": "e2e-same-uid", "title": "Imported A", "schemaVersion": 39,
  "panels": [{"id": 1, "type": "stat", "title": "A one", "gridPos": {"h": 4, "w": 6, "x": 0, "y": 0}, "targets": [{"refId": "A", "expr": "e2e_flaky_up"}]},
             {"id": 2, "type": "stat", "title": "A two", "gridPos": {"h": 4, "w": 6, "x": 6, "y": 0}, "targets": [{"refId": "A", "expr": "e2e_flaky_up"}]}]}"#;
const IMPORT_B: &str = r#"{"uid": "e2e-same-uid", "title": "Imported B", "schemaVersion": 39,
  "panels": [{"id": 7, "type": "stat", "title": "B only", "gridPos": {"h": 4, "w": 6, "x": 0, "y": 0}, "targets": [{"refId": "A", "expr": "e2e_flaky_up"}]}]}"#;

pub(crate) async fn import_text(browser: &Browser, app_url: &str, text: &str) -> Result<()> {
    browser.goto(&format!("{app_url}/dashboard/import")).await?;
    // The shell is up before the route's page is: wait for the field itself.
    browser.wait_for("the import page", SETTLE, "return !!document.querySelector('.import-text');").await?;
    browser
        .execute("const t = document.querySelector('.import-text'); t.value = arguments[0]; t.dispatchEvent(new Event('input', {bubbles: true}));", vec![json!(text)])
        .await?;
    browser.wait_for("the import form", SETTLE, "return !!document.querySelector('.import-submit');").await?;
    click(browser, ".import-submit").await
}

/// Importing onto an imported dashboard's uid asks (replace, or a new uid); a draft stays with the
/// file it was made from: after a replace, the new dashboard shows as it is and the old draft is
/// offered, not applied.
pub fn importing_onto_a_taken_uid_asks_and_drafts_stay_with_their_file(world: &World) -> Result<()> {
    let app = world.stack.app_url.clone();
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        import_text(&browser, &app, IMPORT_A).await?;
        browser.wait_for("dashboard A", SETTLE, "return location.pathname.startsWith('/d/e2e-same-uid') && document.querySelectorAll('.grid [data-panel-id]').length === 2;").await?;
        hover(&browser, "2").await?;
        press(&browser, "p", false, false).await?;
        press(&browser, "r", false, false).await?;
        browser.wait_for("A's draft", SETTLE, "return !!localStorage.getItem('promboard.draft.e2e-same-uid');").await?;

        // B on the same uid: asked first; nothing replaced yet.
        import_text(&browser, &app, IMPORT_B).await?;
        browser.wait_for("the question", SETTLE, "return !!document.querySelector('.import-conflict .import-replace');").await?;
        ensure(
            browser.execute("return location.pathname;", vec![]).await? == json!("/dashboard/import"),
            || "nothing is imported before the answer".into(),
        )?;
        click(&browser, ".import-replace").await?;
        browser.wait_for("dashboard B", SETTLE, "return document.querySelector('.dashboard-title')?.textContent === 'Imported B' && !!document.querySelector('.grid [data-panel-id=\"7\"]');").await?;
        ensure(!modified(&browser).await?, || "B is shown as its file, not with A's draft".into())?;
        browser.wait_for("the earlier draft offered", SETTLE, "return !!document.querySelector('.earlier-draft .open-earlier-draft');").await?;
        click(&browser, "button.export").await?;
        browser.wait_for("no changes", SETTLE, "return !!document.querySelector('.export-diff-none');").await?;
        click(&browser, "button.export").await?;
        // The earlier draft is still there after a reload, until the user chooses.
        browser.client.refresh().await?;
        browser.wait_for("the earlier draft after a reload", SETTLE, "return !!document.querySelector('.earlier-draft');").await?;
        click(&browser, ".earlier-draft .open-earlier-draft").await?;
        browser.wait_for("A's draft opened", SETTLE, "return document.querySelector('.dashboard-title')?.textContent === 'Imported A' && !document.querySelector('.earlier-draft');").await?;
        ensure(modified(&browser).await?, || "the opened draft is a change to B's file".into())?;

        // And "Import with a new uid" keeps both.
        import_text(&browser, &app, IMPORT_B).await?;
        click(&browser, ".import-new-uid").await?;
        browser.wait_for("B under a new uid", SETTLE, "return location.pathname.startsWith('/d/e2e-same-uid-2');").await?;
        browser.goto(&format!("{app}/")).await?;
        browser.wait_for("both listed", SETTLE, "const t = [...document.querySelectorAll('.dashboard-link')].map(a => a.getAttribute('href')); return t.some(h => h.startsWith('/d/e2e-same-uid/')) && t.some(h => h.startsWith('/d/e2e-same-uid-2/'));").await?;
        browser.finish().await
    })
}

/// PromQL completion offers label names after `{`, after `,` and in `by (`, and a suggestion is
/// taken with ↓ and Enter (which used to insert a newline).
pub fn promql_completion_by_keyboard_and_in_context(world: &World) -> Result<()> {
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        browser.goto(&format!("{}/d/e2e-rows/e2e-rows?{}&editPanel=1", world.stack.app_url, range_query())).await?;
        browser.wait_for("the panel editor", SETTLE, "return !!document.querySelector('.panel-editor .query-expr');").await?;
        let field = browser.client.find(Locator::Css(".query-expr")).await?;
        field.clear().await?;
        field.send_keys("e2e_temperature_c").await?;
        browser.wait_for("one suggestion", SETTLE, "const s = [...document.querySelectorAll('.promql-suggestion')].map(b => b.textContent); return s.length === 1 && s[0] === 'e2e_temperature_celsius';").await?;
        field.send_keys(&Key::Down.to_string()).await?;
        field.send_keys(&Key::Enter.to_string()).await?;
        browser.wait_for("the suggestion taken by Enter", SETTLE, "return document.querySelector('.query-expr').value === 'e2e_temperature_celsius';").await?;
        let labels = "const s = [...document.querySelectorAll('.promql-suggestion')].map(b => b.textContent); return s.length > 0 && s.includes('sensor') && !s.some(n => n.startsWith('e2e_'));";
        field.send_keys("{").await?;
        browser.wait_for("label names after {", SETTLE, labels).await?;
        field.send_keys("sensor=\"a\",").await?;
        browser.wait_for("label names after ,", SETTLE, labels).await?;
        field.clear().await?;
        field.send_keys("sum by (").await?;
        browser.wait_for("label names in by (", SETTLE, "const s = [...document.querySelectorAll('.promql-suggestion')].map(b => b.textContent); return s.length > 0 && !s.some(n => n.startsWith('e2e_'));").await?;
        browser.finish().await
    })
}

/// Several files dropped at once (issue 13): an input the files share is asked once, a uid that is
/// already here is skipped (never replaced), a broken file is reported, and the summary says so.
pub fn several_files_import_at_once_with_a_summary(world: &World) -> Result<()> {
    let app = world.stack.app_url.clone();
    let shared = |uid: &str, title: &str| {
        json!({
            "__inputs": [
                {"name": "DS_PROM", "label": "Prometheus", "type": "datasource", "pluginId": "prometheus", "pluginName": "Prometheus"},
                {"name": "VAR_SENSOR", "label": "sensor", "type": "constant", "value": "a"}
            ],
            "uid": uid, "title": title, "schemaVersion": 39,
            "templating": {"list": [{"name": "sensor", "type": "constant", "query": "${VAR_SENSOR}"}]},
            "panels": [{"id": 1, "type": "stat", "title": "Temperature", "gridPos": {"h": 4, "w": 6, "x": 0, "y": 0},
                        "datasource": {"type": "prometheus", "uid": "${DS_PROM}"},
                        "targets": [{"refId": "A", "expr": "e2e_temperature_celsius{sensor=\"$sensor\"}"}]}]
        })
        .to_string()
    };
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        browser.goto(&format!("{app}/dashboard/import")).await?;
        browser.wait_for("the import page", SETTLE, "return !!document.querySelector('.drop-zone');").await?;
        browser
            .execute(
                "const dt = new DataTransfer();
                 for (const [name, text] of arguments[0]) dt.items.add(new File([text], name, {type: 'application/json'}));
                 document.querySelector('.drop-zone').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));",
                vec![json!([
                    ["one.json", shared("batch-one", "Batch one")],
                    ["two.json", shared("batch-two", "Batch two")],
                    ["taken.json", shared("e2e-fixture", "Would replace the fixture")],
                    ["broken.json", "{\"title\": oops}"]
                ])],
            )
            .await?;
        browser.wait_for("the batch form", SETTLE, "return !!document.querySelector('.import-batch .import-all');").await?;
        let asked = browser.execute("return [...document.querySelectorAll('.import-batch [data-input]')].map(l => l.dataset.input);", vec![]).await?;
        ensure(asked == json!(["DS_PROM", "VAR_SENSOR"]), || format!("each shared input asked once: {asked}"))?;
        let constant = browser.client.find(Locator::Css(".import-batch [data-input=\"VAR_SENSOR\"] input")).await?;
        constant.clear().await?;
        constant.send_keys("b").await?;
        click(&browser, ".import-all").await?;
        browser
            .wait_for(
                "the summary",
                SETTLE,
                "const s = document.querySelector('.import-summary'); if (!s) return false;
                 const of = o => [...s.querySelectorAll(`[data-outcome=\"${o}\"]`)].map(li => li.dataset.file).sort().join(',');
                 return s.textContent.includes('Imported 2, skipped 1, broken 1') && of('imported') === 'one.json,two.json'
                     && of('skipped') === 'taken.json' && of('broken') === 'broken.json';",
            )
            .await?;
        // The imported dashboards have the answer to the shared constant, and the fixture is untouched.
        browser.goto(&format!("{app}/d/batch-two/x?{}", range_query())).await?;
        browser.wait_for("batch two", SETTLE, "const p = document.querySelector('.grid [data-panel-id=\"1\"]'); return !!p && (p.dataset.expr || '').includes('sensor=\"b\"');").await?;
        browser.goto(&format!("{app}/d/e2e-fixture/e2e-fixture?{}", range_query())).await?;
        browser.wait_for("the fixture, not replaced", SETTLE, "return document.querySelector('.dashboard-title')?.textContent === 'E2E fixture';").await?;
        browser.finish().await
    })
}
