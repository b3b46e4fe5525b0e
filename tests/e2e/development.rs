//! `trunk serve`, as the README's "Development" section says to run it, against a Prometheus at
//! the address the README names (127.0.0.1:9090, which Trunk.toml proxies `/api/` to): the repo's
//! dashboards are listed and drawn, the datasources file is read, queries are proxied.

use crate::World;
use crate::browser::Browser;
use crate::stack::{
    Result, ScratchDir, Service, crate_dir, find_tool, free_port, http_ok, port_accepts, wait_until,
};
use std::process::Command;
use std::time::Duration;

/// The Prometheus address Trunk.toml proxies to and the README names.
const README_PROMETHEUS_PORT: u16 = 9090;

pub fn trunk_serve_gives_the_working_app(world: &World) -> Result<()> {
    if port_accepts(README_PROMETHEUS_PORT) {
        // A developer's own Prometheus (scripts/run) holds the port: do not fight it.
        println!(
            "NOTICE: 127.0.0.1:{README_PROMETHEUS_PORT} is in use; the trunk serve scenario was skipped"
        );
        return Ok(());
    }
    let scratch = ScratchDir::new("trunk-serve")?;
    let config = scratch.0.join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: prometheus\n    static_configs: [{{targets: [\"127.0.0.1:{README_PROMETHEUS_PORT}\"]}}]\n"
        ),
    )?;
    let mut prometheus = Service::spawn(
        "prometheus (README address)",
        Command::new(find_tool("prometheus", &["/usr/bin/prometheus"])?)
            .arg(format!("--config.file={}", config.display()))
            .arg(format!("--storage.tsdb.path={}", scratch.0.join("tsdb").display()))
            .arg(format!("--web.listen-address=127.0.0.1:{README_PROMETHEUS_PORT}")),
        scratch.0.join("prometheus.log"),
    )?;
    wait_until(&mut prometheus, Duration::from_secs(60), || {
        http_ok(&format!("http://127.0.0.1:{README_PROMETHEUS_PORT}/-/ready"))
    })?;

    // The README's command, in the checkout. Its own dist directory: the release build in dist/
    // serves the other scenarios. `--offline` because scripts/test has fetched the crates.
    let port = free_port()?;
    let mut trunk = Service::spawn(
        "trunk serve",
        Command::new("trunk")
            .current_dir(crate_dir())
            .args(["serve", "--offline", "--no-autoreload", "--address", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .arg("--dist")
            .arg(scratch.0.join("dist")),
        scratch.0.join("trunk.log"),
    )?;
    let app = format!("http://127.0.0.1:{port}");
    // The first debug build of the app takes a few minutes on two cores.
    let built = wait_until(&mut trunk, Duration::from_secs(900), || http_ok(&format!("{app}/dashboards/")));
    if let Err(error) = built {
        return Err(format!("{error}\ntrunk's log:\n{}", trunk.log_tail()).into());
    }

    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        browser.goto(&format!("{app}/")).await?;
        browser
            .wait_for(
                "the repo's dashboards listed",
                Duration::from_secs(30),
                "const t = [...document.querySelectorAll('.dashboard-link')].map(a => a.textContent); return t.includes('Prometheus overview') && t.includes('Node overview');",
            )
            .await?;
        browser.goto(&format!("{app}/d/promboard-prometheus/prometheus-overview?from=now-5m&to=now")).await?;
        // Prometheus scrapes itself every second: `up` and the head series are there at once.
        browser
            .wait_for(
                "panels drawn from the proxied Prometheus",
                Duration::from_secs(60),
                "return [...document.querySelectorAll('[data-panel-id]')].filter(p => p.dataset.state === 'drawn' && !p.classList.contains('row-panel')).length >= 2;",
            )
            .await?;
        // The provisioning file itself, not the app shell trunk answers unknown paths with.
        let datasources = browser
            .execute("const x = new XMLHttpRequest(); x.open('GET', '/datasources.yaml', false); x.send(); return x.responseText.includes('datasources:') && x.responseText.includes('uid: prometheus');", vec![])
            .await?;
        if datasources != serde_json::json!(true) {
            return Err("trunk serve does not serve deploy/provisioning/datasources.yaml".into());
        }
        let banner = browser.execute("return document.querySelector('.error-banner')?.textContent || '';", vec![]).await?;
        if banner != serde_json::json!("") {
            return Err(format!("an error banner under trunk serve: {banner}").into());
        }
        browser.screenshot("trunk-serve").await?;
        browser.finish().await
    })?;
    drop(trunk);
    drop(prometheus);
    Ok(())
}
