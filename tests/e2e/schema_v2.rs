//! Grafana 12/13's schema v2 dashboards (`tests/fixtures/dashboards/v2/`): tabs that show in the
//! URL, conditional rendering by variable, time range and data, and auto grids, drawn from the
//! real Prometheus.

use crate::World;
use crate::browser::Browser;
use crate::editing::{click, ensure};
use crate::editing_defects::export_as_is;
use crate::fixture;
use crate::stack::Result;
use serde_json::{Value, json};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// The ids of the panels on the grid (rows included), as numbers, sorted.
const SHOWN: &str = "return [...document.querySelectorAll('.grid [data-panel-id]')].map(p => Number(p.dataset.panelId)).sort((a, b) => a - b);";

/// Waits until the panels on the grid are `expected` — rows, whose ids come after the last
/// element's (`elements`), left out.
async fn wait_for_panels(browser: &Browser, what: &str, elements: i64, expected: &[i64]) -> Result<()> {
    let script = format!(
        "const shown = (() => {{ {SHOWN} }})().filter(id => id <= {elements}); return JSON.stringify(shown) === '{}';",
        json!(expected)
    );
    if browser.wait_for(what, WAIT, &script).await.is_err() {
        let shown = browser.execute(SHOWN, vec![]).await?;
        return Err(format!("{what}: the grid shows {shown}, not {expected:?}").into());
    }
    Ok(())
}

async fn no_panel_in_error(browser: &Browser, page: &str) -> Result<()> {
    let states = browser.settled_panel_states().await?;
    let failed: Vec<_> = states.iter().filter(|(_, state)| state == "error").collect();
    ensure(failed.is_empty(), || format!("{page}: panels in error {failed:?}"))
}

pub fn schema_v2_dashboards_show_tabs_rules_and_auto_grids(world: &World) -> Result<()> {
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        let app = &world.stack.app_url;
        let hour = format!("from={}&to={}", fixture::START_S * 1000, fixture::END_S * 1000);
        let days = |n: i64| format!("from={}&to={}", (fixture::START_S - n * 86_400) * 1000, fixture::END_S * 1000);

        // Tabs: the first is open; the others are one click away and named in the URL.
        browser.goto(&format!("{app}/d/v2-tabs/x?{hour}")).await?;
        wait_for_panels(&browser, "the Overview tab", 8, &[1, 2]).await?;
        let tabs = browser
            .execute("return [...document.querySelectorAll('.dashboard-tab')].map(t => [t.dataset.tab, t.getAttribute('aria-selected')]);", vec![])
            .await?;
        ensure(tabs == json!([["overview", "true"], ["details", "false"], ["auto", "false"]]), || format!("tabs: {tabs}"))?;
        no_panel_in_error(&browser, "Overview").await?;
        browser.screenshot("v2-tabs").await?;
        browser.execute("document.querySelector('[data-tab=\"details\"]').click();", vec![]).await?;
        wait_for_panels(&browser, "the Details tab", 8, &[3, 4, 5]).await?;
        let location = browser.execute("return location.search;", vec![]).await?;
        ensure(location.as_str().is_some_and(|s| s.contains("tab=details")), || format!("URL: {location}"))?;
        let nested_rows = browser
            .execute("return [...document.querySelectorAll('.grid .row-title')].map(r => r.textContent);", vec![])
            .await?;
        ensure(nested_rows == json!(["Temperature detail", "Request detail"]), || format!("rows in Details: {nested_rows}"))?;
        no_panel_in_error(&browser, "Details").await?;
        // A reload keeps the tab; the Auto tab's rule (range under 7 days) hides it on 8 days.
        browser.goto(&format!("{app}/d/v2-tabs/x?{hour}&tab=auto")).await?;
        wait_for_panels(&browser, "the Auto tab", 8, &[6, 7, 8]).await?;
        browser.goto(&format!("{app}/d/v2-tabs/x?{}&tab=auto", days(8))).await?;
        wait_for_panels(&browser, "the first tab, as Auto is hidden", 8, &[1, 2]).await?;
        let tabs = browser.execute("return [...document.querySelectorAll('.dashboard-tab')].map(t => t.dataset.tab);", vec![]).await?;
        ensure(tabs == json!(["overview", "details"]), || format!("tabs on 8 days: {tabs}"))?;

        // Conditional rendering by variable, range and data (rows A–E hold panels 1–5).
        browser.goto(&format!("{app}/d/v2-conditions/x?{hour}")).await?;
        wait_for_panels(&browser, "every row for prod", 5, &[1, 2, 3, 4, 5]).await?;
        no_panel_in_error(&browser, "conditions").await?;
        browser.goto(&format!("{app}/d/v2-conditions/x?{hour}&var-env=staging")).await?;
        wait_for_panels(&browser, "staging: data and short-range rows", 5, &[3, 5]).await?;
        let rows = browser.execute("return [...document.querySelectorAll('.grid .row-title')].map(r => r.textContent);", vec![]).await?;
        ensure(rows == json!(["C: only when query has data", "E: prod or short range"]), || format!("rows for staging: {rows}"))?;
        browser.goto(&format!("{app}/d/v2-conditions/x?{}&var-env=staging", days(2))).await?;
        wait_for_panels(&browser, "staging over two days: the data row", 5, &[3]).await?;

        // An auto grid: two columns of short rows; the fifth panel only with show_extra = yes.
        browser.goto(&format!("{app}/d/v2-autogrid/x?{hour}")).await?;
        wait_for_panels(&browser, "the auto grid without the extra panel", 5, &[1, 2, 3, 4]).await?;
        let boxes: Value = browser
            .execute(
                "return [1, 2, 3].map(id => { const r = document.querySelector(`[data-panel-id=\"${id}\"]`).getBoundingClientRect(); return [Math.round(r.left), Math.round(r.top), Math.round(r.height)]; });",
                vec![],
            )
            .await?;
        let boxes: Vec<[i64; 3]> = serde_json::from_value(boxes)?;
        ensure(
            boxes[0][1] == boxes[1][1] && boxes[1][0] > boxes[0][0] && boxes[2][1] > boxes[0][1] && boxes[2][0] == boxes[0][0],
            || format!("two columns expected, boxes {boxes:?}"),
        )?;
        // Short rows: 5 grid units of 30 px with 8 px gaps (182 px).
        ensure(boxes[0][2] == 182, || format!("a short row is {} px high", boxes[0][2]))?;
        no_panel_in_error(&browser, "auto grid").await?;
        browser.goto(&format!("{app}/d/v2-autogrid/x?{hour}&var-show_extra=yes")).await?;
        wait_for_panels(&browser, "the auto grid with the extra panel", 5, &[1, 2, 3, 4, 5]).await?;

        // The other shapes open with their panels: v2alpha1, a library panel, a bare spec.
        browser.goto(&format!("{app}/d/v2-alpha/x?{hour}")).await?;
        wait_for_panels(&browser, "the v2alpha1 panels", 3, &[1, 2, 3]).await?;
        no_panel_in_error(&browser, "v2alpha1").await?;
        browser.goto(&format!("{app}/d/v2-rows/x?{hour}")).await?;
        // The collapsed "Requests" row keeps panel 4 inside it.
        wait_for_panels(&browser, "the rows layout", 4, &[1, 2, 3]).await?;

        // Edited in the browser, exported as is: still v2, only what was edited changed.
        let file = std::fs::read_to_string(crate::stack::crate_dir().join("tests/fixtures/dashboards/v2/tabs.json"))?;
        browser.goto(&format!("{app}/d/v2-tabs/x?{hour}")).await?;
        wait_for_panels(&browser, "the Overview tab again", 8, &[1, 2]).await?;
        let unedited = export_as_is(&browser).await?;
        ensure(unedited == file, || format!("as-is export of an unedited v2 file differs from it:\n{unedited}"))?;
        click(&browser, "button.export").await?;
        click(&browser, "[data-panel-id=\"1\"] .panel-menu-button").await?;
        click(&browser, "[data-panel-id=\"1\"] .menu-duplicate").await?;
        browser.wait_for("the duplicate", WAIT, "return document.querySelectorAll('.grid [data-panel-id]').length === 3;").await?;
        click(&browser, "[data-panel-id=\"2\"] .panel-menu-button").await?;
        click(&browser, "[data-panel-id=\"2\"] .menu-remove").await?;
        browser.wait_for("panel 2 removed", WAIT, "return !document.querySelector('.grid [data-panel-id=\"2\"]');").await?;
        let exported: Value = serde_json::from_str(&export_as_is(&browser).await?)?;
        let original: Value = serde_json::from_str(&file)?;
        ensure(exported["apiVersion"] == original["apiVersion"] && exported["spec"]["layout"]["kind"] == "TabsLayout", || {
            format!("still a v2 tabs dashboard: {} {}", exported["apiVersion"], exported["spec"]["layout"]["kind"])
        })?;
        let overview: Vec<&str> = exported["spec"]["layout"]["spec"]["tabs"][0]["spec"]["layout"]["spec"]["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|item| item["spec"]["element"]["name"].as_str())
            .collect();
        ensure(overview.len() == 2 && overview[0] == "panel-1" && !overview.contains(&"panel-2"), || format!("Overview items: {overview:?}"))?;
        let new_name = overview[1];
        ensure(exported["spec"]["elements"][new_name]["spec"]["vizConfig"]["group"] == "timeseries", || {
            format!("the duplicate's element: {}", exported["spec"]["elements"][new_name])
        })?;
        let mut expected = original.clone();
        let elements = expected["spec"]["elements"].as_object_mut().ok_or("elements")?;
        elements.shift_remove("panel-2");
        elements.insert(new_name.to_string(), exported["spec"]["elements"][new_name].clone());
        expected["spec"]["layout"]["spec"]["tabs"][0] = exported["spec"]["layout"]["spec"]["tabs"][0].clone();
        ensure(exported == expected, || "an edit changed more than the Overview tab and its elements".into())?;
        browser.finish().await
    })
}
