//! The operations views against the real Prometheus: its alerts and rule groups (the fixture's
//! alert rules) and its scrape targets (the end-to-end Prometheus scrapes nothing).

use crate::World;
use crate::browser::Browser;
use crate::editing::ensure;
use crate::stack::Result;
use serde_json::json;
use std::time::Duration;

pub fn alerts_rules_and_targets_views_show_what_prometheus_reports(world: &World) -> Result<()> {
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        browser.goto(&format!("{}/rules", world.stack.app_url)).await?;
        browser
            .wait_for(
                "the rule groups",
                Duration::from_secs(20),
                "return document.querySelectorAll('[data-group=\"e2e\"] [data-rule]').length === 3;",
            )
            .await?;
        browser.screenshot("rules").await?;
        let rules = browser
            .execute(
                "return [...document.querySelectorAll('[data-group=\"e2e\"] [data-rule]')].map(r => [r.dataset.rule, r.dataset.health, r.dataset.state]);",
                vec![],
            )
            .await?;
        // Evaluated every second: each rule has been evaluated by now, the `for: 1h` one is pending.
        ensure(
            rules
                == json!([
                    ["E2EAlwaysFiring", "ok", "firing"],
                    ["E2EPendingForAnHour", "ok", "pending"],
                    ["E2EHostileLabels", "ok", "firing"]
                ]),
            || format!("rules: {rules}"),
        )?;
        let summary = browser.text_of("[data-group=\"e2e\"] .ops-summary").await?;
        ensure(summary.starts_with("3 rules, every 1s"), || format!("group summary: {summary}"))?;
        // A rule's labels are text, whatever they hold.
        let pwned = browser.execute("return window.__pwned === undefined;", vec![]).await?;
        ensure(pwned == json!(true), || "a rule's labels ran as markup".to_string())?;

        // The topbar link opens the targets view in the app.
        browser.execute("document.querySelector('a.nav-targets').click();", vec![]).await?;
        browser
            .wait_for("the targets view", Duration::from_secs(20), "return !!document.querySelector('.ops-total');")
            .await?;
        let total = browser
            .execute("const t = document.querySelector('.ops-total'); return [t.dataset.up, t.dataset.total, t.textContent];", vec![])
            .await?;
        ensure(total == json!(["0", "0", "0 of 0 targets up in 0 jobs"]), || format!("targets: {total}"))?;
        ensure(!browser.text_of(".ops-empty").await?.is_empty(), || "no empty-state message".to_string())?;
        let asked = browser
            .execute(
                "return performance.getEntriesByType('resource').map(r => new URL(r.name).pathname).filter(p => p.startsWith('/api/v1/'));",
                vec![],
            )
            .await?;
        ensure(
            asked.as_array().is_some_and(|paths| paths.contains(&json!("/api/v1/rules")) && paths.contains(&json!("/api/v1/targets"))),
            || format!("asked: {asked}"),
        )?;

        // Alerts by name, the ones firing first; a hostile rule's runbook is text, not a link.
        browser.execute("document.querySelector('a.nav-alerts').click();", vec![]).await?;
        let groups_script = "return [...document.querySelectorAll('.ops-prometheus [data-alertname]')].map(g => [g.dataset.alertname, [...g.querySelectorAll('[data-alert-state]')].map(a => a.dataset.alertState).join()]);";
        browser
            .wait_for("the alerts", Duration::from_secs(20), "return document.querySelectorAll('.ops-prometheus [data-alertname]').length === 3;")
            .await?;
        let groups = browser.execute(groups_script, vec![]).await?;
        ensure(
            groups == json!([["E2EAlwaysFiring", "firing"], ["E2EHostileLabels", "firing"], ["E2EPendingForAnHour", "pending"]]),
            || format!("alert groups: {groups}"),
        )?;
        browser.screenshot("alerts").await?;
        let links = browser
            .execute("return [...document.querySelectorAll('[data-page=\"alerts\"] a[href]')].map(a => a.getAttribute('href'));", vec![])
            .await?;
        ensure(links == json!([]), || format!("links in the alerts: {links}"))?;
        let summary = browser.text_of("[data-alertname=\"E2EHostileLabels\"] [data-annotation-name=\"summary\"]").await?;
        ensure(summary.contains("<svg onload="), || format!("hostile summary shows as {summary:?}"))?;
        // Filters: by state, then by label matcher.
        browser
            .execute("const s = document.querySelector('select.ops-state'); s.value = 'pending'; s.dispatchEvent(new Event('change'));", vec![])
            .await?;
        browser
            .wait_for("the pending filter", Duration::from_secs(5), "return document.querySelectorAll('.ops-prometheus [data-alertname]').length === 1;")
            .await?;
        browser
            .execute(
                "const s = document.querySelector('select.ops-state'); s.value = ''; s.dispatchEvent(new Event('change'));
                 const m = document.querySelector('input.ops-matchers'); m.value = 'severity=\"warning\"'; m.dispatchEvent(new Event('input'));",
                vec![],
            )
            .await?;
        browser
            .wait_for(
                "the matcher filter",
                Duration::from_secs(5),
                "return [...document.querySelectorAll('.ops-prometheus [data-alertname]')].map(g => g.dataset.alertname).join() === 'E2EAlwaysFiring';",
            )
            .await?;
        let pwned = browser.execute("return window.__pwned === undefined;", vec![]).await?;
        ensure(pwned == json!(true), || "an alert's labels or annotations ran".to_string())?;

        // The Alertmanager datasource: Prometheus sends it the firing alerts; a silence made on
        // Alertmanager itself mutes one, and an alert another client posts is inhibited while
        // E2EAlwaysFiring fires (the harness's inhibit rule).
        let (_, alertmanager) = world.stack.alertmanager.as_ref().ok_or("the stack has no Alertmanager")?;
        let silence_id = silence(alertmanager, "E2EHostileLabels")?;
        ureq::post(&format!("{alertmanager}/api/v2/alerts")).send_json(json!([
            {"labels": {"alertname": "E2EInhibited", "severity": "info"}, "annotations": {"summary": "muted while E2EAlwaysFiring fires"}}
        ]))?;
        // Through the shipped location: reading alerts only.
        let app = &world.stack.app_url;
        let status = |response: std::result::Result<ureq::Response, ureq::Error>| match response {
            Ok(response) => response.status(),
            Err(ureq::Error::Status(status, _)) => status,
            Err(_) => 0,
        };
        let refused = [
            status(ureq::get(&format!("{app}/alertmanager/api/v2/alerts")).call()),
            status(ureq::post(&format!("{app}/alertmanager/api/v2/silences")).send_string("{}")),
            status(ureq::post(&format!("{app}/alertmanager/api/v2/alerts")).send_string("[]")),
            status(ureq::get(&format!("{app}/alertmanager/api/v2/status")).call()),
            status(ureq::get(&format!("{app}/alertmanager/api/v2/silences")).call()),
        ];
        ensure(refused == [200, 403, 403, 403, 403], || format!("Alertmanager through nginx: {refused:?}"))?;
        browser
            .execute(
                "const m = document.querySelector('input.ops-matchers'); m.value = ''; m.dispatchEvent(new Event('input'));
                 document.querySelector('.ops-refresh').click();",
                vec![],
            )
            .await?;
        let alertmanager_groups = "return [...document.querySelectorAll('[data-alertmanager=\"alertmanager\"] [data-alertname]')].map(g => [g.dataset.alertname, [...g.querySelectorAll('[data-alert-state]')].map(a => a.dataset.alertState).join()]);";
        let expected = json!([["E2EAlwaysFiring", "firing"], ["E2EHostileLabels", "silenced"], ["E2EInhibited", "inhibited"]]);
        let mut groups = json!(null);
        for _ in 0..20 {
            groups = browser.execute(alertmanager_groups, vec![]).await?;
            if groups == expected {
                break;
            }
            // Prometheus sends an alert after its first evaluation: read again.
            tokio::time::sleep(Duration::from_millis(500)).await;
            browser.execute("document.querySelector('.ops-refresh').click();", vec![]).await?;
        }
        ensure(groups == expected, || format!("Alertmanager's alert groups: {groups}"))?;
        let muted = browser.text_of("[data-alertmanager=\"alertmanager\"] [data-alertname=\"E2EHostileLabels\"] tr[data-alert-state] td:last-child").await?;
        ensure(muted == format!("silenced by {silence_id}"), || format!("the silenced alert says {muted:?}"))?;
        browser.screenshot("alerts-alertmanager").await?;
        // The state filter applies to both: silenced ones are Alertmanager's only.
        browser
            .execute("const s = document.querySelector('select.ops-state'); s.value = 'silenced'; s.dispatchEvent(new Event('change'));", vec![])
            .await?;
        browser
            .wait_for(
                "the silenced filter",
                Duration::from_secs(5),
                "return document.querySelectorAll('.ops-prometheus [data-alertname]').length === 0
                    && [...document.querySelectorAll('[data-alertmanager] [data-alertname]')].map(g => g.dataset.alertname).join() === 'E2EHostileLabels';",
            )
            .await?;
        let pwned = browser.execute("return window.__pwned === undefined;", vec![]).await?;
        ensure(pwned == json!(true), || "an Alertmanager alert's labels or annotations ran".to_string())?;

        // Another datasource, by the picker: the rules come through Tenant A's prefix (its
        // nginx location adds the tenant's header; the same Prometheus answers).
        browser.goto(&format!("{}/rules", world.stack.app_url)).await?;
        browser
            .wait_for("the datasource picker", Duration::from_secs(20), "return !!document.querySelector('select.ops-datasource');")
            .await?;
        browser
            .execute(
                "const s = document.querySelector('select.ops-datasource'); s.value = 'tenant-a'; s.dispatchEvent(new Event('change'));",
                vec![],
            )
            .await?;
        browser
            .wait_for(
                "the tenant's rules",
                Duration::from_secs(20),
                "return location.search === '?datasource=tenant-a'
                    && performance.getEntriesByType('resource').some(r => new URL(r.name).pathname === '/tenant-a/prometheus/api/v1/rules')
                    && document.querySelectorAll('[data-group=\"e2e\"] [data-rule]').length === 3;",
            )
            .await?;
        Ok(())
    })
}

/// A silence of an hour for `alertname`, made on Alertmanager itself (as its own UI or amtool
/// would; the app cannot make one): its id.
fn silence(alertmanager: &str, alertname: &str) -> Result<String> {
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis() as i64;
    let rfc3339 = |ms: i64| format!("{}Z", promboard::time::format_local_datetime(ms, 0).replace(' ', "T"));
    let answer: serde_json::Value = ureq::post(&format!("{alertmanager}/api/v2/silences"))
        .send_json(json!({
            "matchers": [{"name": "alertname", "value": alertname, "isRegex": false, "isEqual": true}],
            "startsAt": rfc3339(now_ms - 60_000),
            "endsAt": rfc3339(now_ms + 3_600_000),
            "createdBy": "e2e",
            "comment": "the operations scenario"
        }))?
        .into_json()?;
    answer["silenceID"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("no silence id in {answer}").into())
}
