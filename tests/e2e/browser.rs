//! A headless Chromium session through chromedriver, with the waits and reads the scenarios share.
//! Every page's uncaught errors (recorded by index.html in `window.__promboardErrors`) fail the
//! scenario and are printed.

use crate::stack::Result;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// True once the dashboard list is complete: every listed file read (none still "reading…").
pub const LIST_COMPLETE: &str = "return !!document.querySelector('.browser [data-state=\"drawn\"]') && !!document.querySelector('.dashboard-item');";

pub struct Browser {
    pub client: Client,
}

/// Panel states as the page reports them: `(panel id, data-state)`.
pub type PanelStates = Vec<(String, String)>;

impl Browser {
    pub async fn open(webdriver_url: &str, device_scale_factor: f64) -> Result<Browser> {
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1400,1000",
            // Exact `performance.memory` figures (the benchmark reads them; bucketed otherwise).
            "--enable-precise-memory-info",
            // `gc()`, so that the benchmark reads the retained heap, not garbage awaiting collection.
            "--js-flags=--expose-gc",
        ]
        .iter()
        .map(|a| a.to_string())
        .chain([format!("--force-device-scale-factor={device_scale_factor}")])
        .collect::<Vec<_>>();
        let mut capabilities = serde_json::Map::new();
        capabilities
            .insert("goog:chromeOptions".into(), json!({ "binary": "/usr/bin/chromium", "args": args }));
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(webdriver_url)
            .await
            .map_err(|error| format!("cannot start a Chromium session: {error}"))?;
        Ok(Browser { client })
    }

    /// Navigates, then checks the page loaded the app (not an nginx error page).
    pub async fn goto(&self, url: &str) -> Result<()> {
        self.check_page_errors().await?;
        self.client.goto(url).await?;
        self.wait_for(
            &format!("the app to start at {url}"),
            Duration::from_secs(20),
            "return !!document.querySelector('main.page')",
        )
        .await
    }

    /// Polls a script (a function body that returns a boolean) until it returns `true`.
    pub async fn wait_for(&self, what: &str, timeout: Duration, script: &str) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            let value = self.client.execute(script, vec![]).await?;
            if value == Value::Bool(true) {
                return Ok(());
            }
            if Instant::now() > deadline {
                let errors = self.page_errors().await.unwrap_or_default();
                return Err(format!(
                    "timed out after {timeout:?} waiting for {what}; page errors: {errors:?}"
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn panel_states(&self) -> Result<PanelStates> {
        let value = self
            .client
            .execute(
                "return [...document.querySelectorAll('[data-panel-id]')].map(p => [p.dataset.panelId, p.dataset.state]);",
                vec![],
            )
            .await?;
        Ok(serde_json::from_value(value)?)
    }

    /// Waits until there are panels and none is `loading`, and returns their states.
    pub async fn settled_panel_states(&self) -> Result<PanelStates> {
        self.wait_for(
            "every panel to finish loading",
            Duration::from_secs(30),
            "const p = [...document.querySelectorAll('[data-panel-id]')];
             return p.length > 0 && p.every(e => e.dataset.state !== 'loading');",
        )
        .await?;
        self.panel_states().await
    }

    pub async fn panel_attribute(&self, panel_id: &str, attribute: &str) -> Result<Option<String>> {
        let value = self
            .client
            .execute(
                "const p = document.querySelector(`[data-panel-id=\"${arguments[0]}\"]`);
                 return p ? p.getAttribute(arguments[1]) : null;",
                vec![json!(panel_id), json!(attribute)],
            )
            .await?;
        Ok(value.as_str().map(str::to_string))
    }

    pub async fn required_panel_attribute(&self, panel_id: &str, attribute: &str) -> Result<String> {
        self.panel_attribute(panel_id, attribute)
            .await?
            .ok_or_else(|| format!("panel {panel_id} has no {attribute}").into())
    }

    pub async fn text_of(&self, css: &str) -> Result<String> {
        Ok(self.client.find(Locator::Css(css)).await?.text().await?)
    }

    pub async fn page_errors(&self) -> Result<Vec<String>> {
        let value = self.client.execute("return window.__promboardErrors || [];", vec![]).await?;
        Ok(serde_json::from_value(value).unwrap_or_default())
    }

    /// Fails when the current page recorded an uncaught error, printing them all.
    pub async fn check_page_errors(&self) -> Result<()> {
        let errors = self.page_errors().await?;
        if errors.is_empty() {
            Ok(())
        } else {
            Err(format!("the page reported uncaught errors:\n  {}", errors.join("\n  ")).into())
        }
    }

    pub async fn screenshot(&self, name: &str) -> Result<()> {
        let png = self.client.screenshot().await?;
        let dir = crate::stack::output_dir().join("screenshots");
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(format!("{name}.png")), png)?;
        Ok(())
    }

    /// Ends the scenario: page errors fail it, then the session closes.
    pub async fn finish(self) -> Result<()> {
        let checked = self.check_page_errors().await;
        let _ = self.client.close().await;
        checked
    }

    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        Ok(self.client.execute(script, args).await?)
    }
}
