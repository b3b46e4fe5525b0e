//! The shipped nginx configuration is safe to expose (issue 14): only the read endpoints of
//! Prometheus's API the app calls are forwarded — admin, remote write, OTLP, PUT/DELETE and
//! encoded or dotted variants of them get 403 and never reach the backend — and every response
//! carries the security headers, the app shell a Content-Security-Policy whose nonce matches its
//! inline scripts. (Every scenario runs the app under that policy: index.html reports a blocked
//! resource as a page error, which fails the scenario.)

use crate::World;
use crate::browser::Browser;
use crate::stack::{Result, ScratchDir, install_example, start_nginx};
use crate::standin::{Answer, StandIn, raw_request};
use serde_json::json;
use std::time::Duration;

/// A backend answering every call with Prometheus-like JSON; what it was sent is recorded.
fn prometheus_like(_request_line: &str) -> Answer {
    (200, "application/json", r#"{"status":"success","data":[]}"#.to_string())
}

pub fn nginx_forwards_only_read_calls_and_sends_security_headers(world: &World) -> Result<()> {
    let backend = StandIn::start(prometheus_like)?;
    let scratch = ScratchDir::new("security")?;
    let provisioning = scratch.0.join("provisioning");
    std::fs::create_dir_all(&provisioning)?;
    // A tenant location written as the shipped example says.
    install_example(
        &provisioning,
        "tenants.nginx.conf",
        &[
            ("http://mimir.example:8080/prometheus/", &format!("{}/prometheus/", backend.url)),
            (
                "http://vmselect.example:8481/select/0/prometheus/",
                &format!("{}/select/0/prometheus/", backend.url),
            ),
        ],
    )?;
    // Grafana's own datasources file, with a password and a bearer token, split by our command.
    let grafana_file = scratch.0.join("grafana-datasources.yaml");
    std::fs::write(
        &grafana_file,
        format!(
            "apiVersion: 1\ndatasources:\n  - name: Secured\n    uid: secured\n    type: prometheus\n    url: {}/prefix\n    basicAuth: true\n    basicAuthUser: viewer\n    secureJsonData:\n      basicAuthPassword: ${{E2E_PROM_PASSWORD}}\n  - name: Tokened\n    uid: tokened\n    type: prometheus\n    url: {}\n    jsonData:\n      httpHeaderName1: Authorization\n    secureJsonData:\n      httpHeaderValue1: Bearer e2e-token\n",
            backend.url, backend.url
        ),
    )?;
    let split = std::process::Command::new(env!("CARGO_BIN_EXE_promboard"))
        .arg("datasources")
        .arg(&grafana_file)
        .arg("--out")
        .arg(&provisioning)
        .env("E2E_PROM_PASSWORD", "e2e-password")
        .output()?;
    if !split.status.success() {
        return Err(
            format!("promboard datasources failed: {}", String::from_utf8_lossy(&split.stderr)).into()
        );
    }
    let (_nginx, port) = start_nginx(
        &scratch.0,
        &world.stack.dist_dir,
        &world.stack.dashboards_dir,
        &backend.url,
        &provisioning,
    )?;

    let refused = [
        ("POST", "/api/v1/admin/tsdb/delete_series?match[]=up"),
        ("POST", "/api/v1/admin/tsdb/clean_tombstones"),
        ("POST", "/api/v1/admin/tsdb/snapshot"),
        ("PUT", "/api/v1/query"),
        ("DELETE", "/api/v1/series"),
        ("POST", "/api/v1/write"),
        ("POST", "/api/v1/otlp/v1/metrics"),
        ("POST", "/api/v1/%61dmin/tsdb/snapshot"),
        ("POST", "/api/v1/notifications/../write"),
        ("POST", "/api/v1/query/../admin/tsdb/snapshot"),
        ("POST", "/api/v1//admin/tsdb/snapshot"),
        ("POST", "/api/v1/%2e%2e/api/v1/admin/tsdb/snapshot"),
        ("GET", "/api/v1/admin/tsdb/snapshot/api/v1/query"),
        ("GET", "/api/v1/api/v1/query"),
        ("GET", "/api/v1/admin/tsdb/delete_series%2F..%2F..%2F..%2Fquery"),
        ("GET", "/api/v1/query%2F"),
        ("POST", "/api/v1/label/job/values"),
        ("GET", "/api/v1/status/tsdb"),
        ("GET", "/api/v1/status/flags"),
        ("POST", "/mimir/prometheus/api/v1/admin/tsdb/snapshot"),
        ("POST", "/mimir/prometheus/api/v1/push"),
        ("DELETE", "/select/0/prometheus/api/v1/series"),
        ("GET", "/select/0/prometheus/api/v1/%61dmin/tsdb/snapshot"),
    ];
    let mut problems = Vec::new();
    for (method, target) in refused {
        let (status, _) = raw_request(port, method, target)?;
        if status != 403 {
            problems.push(format!("{method} {target}: HTTP {status}, expected 403"));
        }
    }
    for (method, target) in [
        ("POST", "/datasources/secured/api/v1/admin/tsdb/snapshot"),
        ("PUT", "/datasources/tokened/api/v1/query"),
    ] {
        let (status, _) = raw_request(port, method, target)?;
        if status != 403 {
            problems.push(format!("{method} {target}: HTTP {status}, expected 403"));
        }
    }
    let forwarded_while_refusing = backend.seen();
    if !forwarded_while_refusing.is_empty() {
        problems.push(format!("refused calls reached the backend: {forwarded_while_refusing:?}"));
    }
    let allowed = [
        ("GET", "/api/v1/query?query=up"),
        ("POST", "/api/v1/query"),
        ("POST", "/api/v1/query_range"),
        ("GET", "/api/v1/%71uery?query=up"),
        ("GET", "/api/v1/label/job/values"),
        ("GET", "/api/v1/label/__name__/values"),
        ("GET", "/api/v1/labels"),
        ("POST", "/api/v1/series"),
        ("GET", "/api/v1/metadata"),
        ("GET", "/api/v1/status/buildinfo"),
        ("GET", "/api/v1/status/config"),
        ("GET", "/api/v1/alerts"),
        ("POST", "/mimir/prometheus/api/v1/query_range"),
        ("GET", "/select/0/prometheus/api/v1/labels"),
        ("GET", "/datasources/secured/api/v1/query?query=up"),
        ("POST", "/datasources/tokened/api/v1/query_range"),
    ];
    for (method, target) in allowed {
        let (status, _) = raw_request(port, method, target)?;
        if status != 200 {
            problems
                .push(format!("{method} {target}: HTTP {status}, expected 200 (a read call the app makes)"));
        }
    }
    let seen = backend.seen();
    if seen.len() != allowed.len() {
        problems.push(format!(
            "the backend saw {} of the {} read calls: {seen:?}",
            seen.len(),
            allowed.len()
        ));
    }

    // The credentials are added by nginx, on the backend's own path; the browser never has them.
    let secured = seen.iter().find(|r| r.contains("/prefix/api/v1/query")).cloned().unwrap_or_default();
    if !secured.contains("Authorization: Basic dmlld2VyOmUyZS1wYXNzd29yZA==") {
        problems.push(format!("the basic-auth datasource's request lacks its credentials: {secured:?}"));
    }
    // The main location's query_range goes to the same backend without a token: find the one with it.
    if !seen
        .iter()
        .any(|r| r.starts_with("POST /api/v1/query_range") && r.contains("Authorization: Bearer e2e-token"))
    {
        problems.push(format!("the token datasource's request lacks its token: {seen:?}"));
    }
    let (_, served) = raw_request(port, "GET", "/datasources.yaml")?;
    for secret in ["e2e-password", "e2e-token", "viewer", backend.url.as_str()] {
        if served.contains(secret) {
            problems.push(format!("/datasources.yaml shows {secret:?} to every browser"));
        }
    }
    if !served.contains("url: \"/datasources/secured\"") {
        problems.push(format!("/datasources.yaml does not point the browser at nginx: {served}"));
    }

    // Security headers everywhere; the shell's policy nonce is the nonce of its inline scripts.
    for target in
        ["/", "/d/e2e-fixture/e2e-fixture", "/dashboards/", "/datasources.yaml", "/api/v1/query?query=up"]
    {
        let (_, response) = raw_request(port, "GET", target)?;
        let head = response.split("\r\n\r\n").next().unwrap_or_default().to_ascii_lowercase();
        for header in [
            "x-content-type-options: nosniff",
            "referrer-policy: strict-origin-when-cross-origin",
            "x-frame-options: deny",
        ] {
            if !head.contains(header) && !target.starts_with("/api/") {
                problems.push(format!("GET {target}: no `{header}`"));
            }
        }
    }
    let (_, shell) = raw_request(port, "GET", "/")?;
    let (head, body) = shell.split_once("\r\n\r\n").unwrap_or_default();
    let policy = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Security-Policy: "))
        .unwrap_or_default()
        .to_string();
    let nonce = policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).unwrap_or_default();
    for directive in [
        "default-src 'self'",
        "'wasm-unsafe-eval'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "require-trusted-types-for 'script'",
    ] {
        if !policy.contains(directive) {
            problems.push(format!("the policy lacks {directive}: {policy:?}"));
        }
    }
    if policy.contains("'unsafe-eval'") || nonce.len() < 16 {
        problems.push(format!("a weak policy: {policy:?}"));
    }
    let scripts = body.matches("<script").count();
    let nonced = body.matches(&format!("nonce=\"{nonce}\"")).count();
    if scripts == 0 || nonced < scripts || body.contains("PROMBOARD_CSP_NONCE") {
        problems.push(format!("{scripts} scripts, {nonced} with the policy's nonce {nonce:?}"));
    }
    let (_, again) = raw_request(port, "GET", "/")?;
    if again.contains(&format!("'nonce-{nonce}'")) {
        problems.push("the nonce is the same for two responses".into());
    }
    if !problems.is_empty() {
        return Err(problems.join("\n").into());
    }

    // Grafana's file served as is (credentials and all) is refused loudly by the app.
    std::fs::copy(&grafana_file, provisioning.join("datasources.yaml"))?;
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        browser.goto(&format!("http://127.0.0.1:{port}/")).await?;
        browser
            .wait_for(
                "the refusal of a datasources file with secrets",
                Duration::from_secs(15),
                "const b = document.querySelector('.datasources-problem'); return !!b && b.textContent.includes('holds secrets') && b.textContent.includes('basicAuthPassword');",
            )
            .await?;
        browser.finish().await
    })?;

    // The app works under the policy (index.html turns any violation into a page error).
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        browser.goto(&format!("{}/d/e2e-fixture/e2e-fixture", world.stack.app_url)).await?;
        browser.settled_panel_states().await?;
        // Trusted Types are enforced: HTML passes the page's one policy, which keeps plain markup
        // and refuses markup that would run script; script sinks are refused outright.
        let probe = browser
            .execute(
                "const d = document.createElement('div');
                 d.innerHTML = '<b class=\"x\">kept</b>'; const kept = d.innerHTML;
                 d.innerHTML = '<img src=x onerror=\"self.__pwned=1\">'; const refused = d.innerHTML;
                 let scriptRefused = false;
                 try { document.createElement('script').text = 'self.__pwned=2'; } catch (e) { scriptRefused = e instanceof TypeError; }
                 return [kept, refused, scriptRefused, trustedTypes.defaultPolicy && trustedTypes.defaultPolicy.name, self.__pwned === undefined];",
                vec![],
            )
            .await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let reports = browser.execute("return window.__promboardErrors.splice(0);", vec![]).await?;
        let reported = |needle: &str| reports.as_array().is_some_and(|r| r.iter().any(|e| e.as_str().is_some_and(|e| e.contains(needle))));
        if probe != json!(["<b class=\"x\">kept</b>", "", true, "default", true])
            || !reported("Trusted Types: HTML with <img>")
            || !reported("require-trusted-types-for")
        {
            return Err(format!("Trusted Types: {probe}, reports {reports}").into());
        }
        browser.finish().await
    })
}
