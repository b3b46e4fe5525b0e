//! Explore: PromQL against the real Prometheus, opened from a URL in Grafana's form, edited and
//! run, and opened from a dashboard panel's menu and from the rules view.

use crate::World;
use crate::browser::Browser;
use crate::editing::{click, ensure};
use crate::fixture;
use crate::stack::Result;
use serde_json::json;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// The series names in the graph's legend.
const LEGEND: &str = "return [...document.querySelectorAll('.explore-results [data-panel-id=\"1\"] .legend-item')].map(i => i.dataset.series);";

pub fn explore_runs_promql_from_links_and_edits(world: &World) -> Result<()> {
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        let app = &world.stack.app_url;
        let (from, to) = (fixture::START_S * 1000, fixture::END_S * 1000);
        // A Grafana Explore URL (panes, schemaVersion 1).
        let panes = json!({"a": {"datasource": "prometheus", "queries": [{"refId": "A", "expr": "e2e_temperature_celsius"}],
            "range": {"from": from.to_string(), "to": to.to_string()}}});
        let search = format!("schemaVersion=1&panes={}", promboard::route::percent_encode(&panes.to_string()));
        browser.goto(&format!("{app}/explore?{search}")).await?;
        browser
            .wait_for("the graph's two sensors", WAIT, &format!("const l = (() => {{ {LEGEND} }})(); return l.length === 2;"))
            .await?;
        let legend = browser.execute(LEGEND, vec![]).await?;
        ensure(legend.to_string().contains("sensor=\\\"a\\\"") && legend.to_string().contains("sensor=\\\"b\\\""), || format!("legend: {legend}"))?;
        // The table of latest values: a row per series.
        browser
            .wait_for("the table's rows", WAIT, "return document.querySelectorAll('.explore-results [data-panel-id=\"2\"] tbody tr').length === 2;")
            .await?;
        browser.screenshot("explore").await?;
        // Edit the query and run it: the URL holds the new query; the graph follows.
        let field = browser.client.find(fantoccini::Locator::Css(".explore-query .query-expr")).await?;
        // Select all and type over it, as a user does (the field's text is the editor's).
        field.send_keys(&format!("{}a", fantoccini::key::Key::Control)).await?;
        field.send_keys("e2e_temperature_celsius{sensor=\"b\"}").await?;
        click(&browser, ".explore-run").await?;
        browser
            .wait_for("one series after the edit", WAIT, &format!("const l = (() => {{ {LEGEND} }})(); return l.length === 1;"))
            .await?;
        let location = browser.execute("return decodeURIComponent(location.search);", vec![]).await?;
        ensure(location.as_str().is_some_and(|s| s.contains("panes=") && s.contains("sensor=\\\"b\\\"")), || {
            format!("URL after run: {location}")
        })?;
        // A second query, run with Shift+Enter.
        click(&browser, ".explore-add-query").await?;
        let second = browser.client.find(fantoccini::Locator::Css(".explore-query[data-ref=\"B\"] .query-expr")).await?;
        second.send_keys("sum(e2e_temperature_celsius)").await?;
        second.send_keys(&format!("{}{}", fantoccini::key::Key::Shift, fantoccini::key::Key::Enter)).await?;
        browser
            .wait_for("two queries' series", WAIT, &format!("const l = (() => {{ {LEGEND} }})(); return l.length === 2;"))
            .await?;

        // From a dashboard panel's menu: its query as sent, with the dashboard's range.
        browser.goto(&format!("{app}/d/e2e-rows/e2e-rows?from={from}&to={to}")).await?;
        browser.settled_panel_states().await?;
        click(&browser, "[data-panel-id=\"1\"] .panel-menu-button").await?;
        click(&browser, "[data-panel-id=\"1\"] .menu-explore").await?;
        browser.wait_for("Explore from the panel", WAIT, "return location.pathname === '/explore';").await?;
        let query = browser.execute("return document.querySelector('.explore-query .query-expr').value;", vec![]).await?;
        ensure(query == json!("e2e_temperature_celsius"), || format!("the panel's query in Explore: {query}"))?;
        browser
            .wait_for("the panel's series", WAIT, &format!("const l = (() => {{ {LEGEND} }})(); return l.length === 2;"))
            .await?;

        // From the rules view: each rule's query.
        browser.goto(&format!("{app}/rules")).await?;
        browser.wait_for("the rules", WAIT, "return !!document.querySelector('.ops-explore');").await?;
        click(&browser, "[data-rule=\"E2EAlwaysFiring\"] .ops-explore").await?;
        browser.wait_for("Explore from a rule", WAIT, "return location.pathname === '/explore' && document.querySelector('.explore-query .query-expr')?.value.length > 0;").await?;

        // The split view: two panes from Grafana's URL, side by side, each with its own queries;
        // Close leaves one, Split copies it into a second.
        let panes = json!({
            "a": {"queries": [{"refId": "A", "expr": "e2e_temperature_celsius{sensor=\"a\"}"}], "range": {"from": from.to_string(), "to": to.to_string()}},
            "b": {"queries": [{"refId": "A", "expr": "e2e_temperature_celsius"}], "range": {"from": from.to_string(), "to": to.to_string()}}
        });
        browser
            .goto(&format!("{app}/explore?schemaVersion=1&panes={}", promboard::route::percent_encode(&panes.to_string())))
            .await?;
        let legends = "return [1, 3].map(id => document.querySelectorAll(`.explore-results [data-panel-id=\"${id}\"] .legend-item`).length);";
        browser
            .wait_for("two panes' graphs", WAIT, &format!("return JSON.stringify((() => {{ {legends} }})()) === '[1,2]';"))
            .await?;
        let side_by_side = browser
            .execute("const [a, b] = [...document.querySelectorAll('.explore-pane')].map(p => p.getBoundingClientRect()); return a.right <= b.left && Math.abs(a.top - b.top) < 1;", vec![])
            .await?;
        ensure(side_by_side == json!(true), || "the two panes are not side by side".into())?;
        browser.screenshot("explore-split").await?;
        click(&browser, ".explore-pane[data-pane=\"1\"] .explore-close").await?;
        browser
            .wait_for("one pane", WAIT, "return document.querySelectorAll('.explore-pane').length === 1 && Object.keys(JSON.parse(new URLSearchParams(location.search).get('panes'))).join() === 'a';")
            .await?;
        click(&browser, ".explore-split").await?;
        browser
            .wait_for("the pane split", WAIT, "const p = JSON.parse(new URLSearchParams(location.search).get('panes')); return document.querySelectorAll('.explore-pane').length === 2 && Object.keys(p).join() === 'a,b' && p.b.queries[0].expr === p.a.queries[0].expr;")
            .await?;
        browser.finish().await
    })
}
