//! Community dashboards from grafana.com by id or URL (issue 13, part 3), through the optional
//! location shipped in deploy/provisioning/grafana-com.nginx.conf.example, enabled as the README
//! says and pointed at a stand-in for grafana.com (no internet in tests). The browser asks only
//! our nginx; an unknown id, a server without the location and a refused method are clear.

use crate::World;
use crate::browser::Browser;
use crate::editing::click;
use crate::stack::{Result, ScratchDir, install_example, start_nginx};
use crate::standin::{Answer, StandIn, expect_statuses};
use serde_json::json;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// grafana.com's download API for one dashboard (4242, with a datasource input as its exports
/// have); any other id is unknown.
fn grafana_com(request_line: &str) -> Answer {
    if request_line.starts_with("GET /api/dashboards/4242/revisions/latest/download ") {
        let dashboard = json!({
            "__inputs": [{"name": "DS_PROM", "label": "Prometheus", "type": "datasource", "pluginId": "prometheus"}],
            "uid": "community-4242",
            "title": "Community board",
            "schemaVersion": 39,
            "panels": [{"id": 1, "type": "stat", "title": "Up", "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4},
                        "datasource": {"type": "prometheus", "uid": "${DS_PROM}"},
                        "targets": [{"refId": "A", "expr": "e2e_flaky_up"}]}]
        });
        (200, "application/json", dashboard.to_string())
    } else {
        (404, "application/json", r#"{"code":"NotFound","message":"Not found"}"#.to_string())
    }
}

async fn load(browser: &Browser, input: &str) -> Result<()> {
    browser
        .execute(
            "const i = document.querySelector('.import-gcom-id'); i.value = arguments[0]; i.dispatchEvent(new Event('input', {bubbles: true}));",
            vec![json!(input)],
        )
        .await?;
    click(browser, ".import-gcom-load").await
}

pub fn community_dashboards_import_from_grafana_com(world: &World) -> Result<()> {
    let stand_in = StandIn::start(grafana_com)?;
    let scratch = ScratchDir::new("community")?;
    let provisioning = scratch.0.join("provisioning");
    std::fs::create_dir_all(&provisioning)?;
    // Enabled as the README says: the example copied into the provisioning folder (here with the
    // stand-in in place of https://grafana.com).
    install_example(
        &provisioning,
        "grafana-com.nginx.conf",
        &[("proxy_pass https://grafana.com;", &format!("proxy_pass {};", stand_in.url))],
    )?;
    let (_nginx, port) = start_nginx(
        &scratch.0,
        &world.stack.dist_dir,
        &world.stack.dashboards_dir,
        &world.stack.prometheus_url,
        &provisioning,
    )?;
    let app = format!("http://127.0.0.1:{port}");

    // Only the download, only by GET, without the visitor's cookies.
    expect_statuses(
        port,
        &[
            ("POST", "/grafana.com/api/dashboards/4242/revisions/latest/download", 403),
            ("GET", "/grafana.com/api/users", 404),
            ("GET", "/grafana.com/api/dashboards/4242/revisions/latest/download/../../../../users", 404),
        ],
    )?;
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        browser.goto(&format!("{app}/dashboard/import")).await?;
        browser.wait_for("the import page", WAIT, "return !!document.querySelector('.import-gcom-id');").await?;
        // Not a dashboard id or URL: said so, nothing fetched.
        load(&browser, "node exporter").await?;
        browser.wait_for("the input's problem", WAIT, "return (document.querySelector('.import-error')?.textContent || '').includes('is not a grafana.com dashboard id or URL');").await?;
        // An unknown id.
        load(&browser, "9999").await?;
        browser.wait_for("the unknown id's problem", WAIT, "return (document.querySelector('.import-error')?.textContent || '').includes('grafana.com has no dashboard 9999 (HTTP 404)');").await?;
        // The dashboard's page URL, as copied from grafana.com: its inputs are asked, then it opens.
        load(&browser, "https://grafana.com/grafana/dashboards/4242-community-board/").await?;
        browser.wait_for("the downloaded dashboard's form", WAIT, "return !!document.querySelector('.import-form [data-input=\"DS_PROM\"]') && document.querySelector('.import-uid').value === 'community-4242';").await?;
        click(&browser, ".import-submit").await?;
        browser.wait_for("the imported dashboard", WAIT, "return document.querySelector('.dashboard-title')?.textContent === 'Community board' && !!document.querySelector('.grid [data-panel-id=\"1\"]');").await?;
        browser.check_page_errors().await?;
        browser.finish().await
    })?;
    let seen = stand_in.seen();
    let downloads: Vec<&String> = seen.iter().filter(|r| r.starts_with("GET /api/dashboards/")).collect();
    if downloads.len() != 2 || seen.len() != 2 {
        return Err(format!("grafana.com should see the two downloads only: {seen:?}").into());
    }
    if seen.iter().any(|r| r.to_ascii_lowercase().contains("\r\ncookie:") || !r.contains("Host: grafana.com"))
    {
        return Err(format!("requests to grafana.com carry a cookie or the wrong host: {seen:?}").into());
    }

    // The shipped configuration without the location: the importer says how to enable it.
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        browser.goto(&format!("{}/dashboard/import", world.stack.app_url)).await?;
        browser.wait_for("the import page", WAIT, "return !!document.querySelector('.import-gcom-id');").await?;
        load(&browser, "1860").await?;
        browser.wait_for("the missing location explained", WAIT, "return (document.querySelector('.import-error')?.textContent || '').includes('does not proxy grafana.com');").await?;
        browser.finish().await
    })
}
