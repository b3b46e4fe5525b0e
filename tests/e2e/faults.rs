//! Faults survived (issue 14): the fault matrix. Each fault is a datasource of its own, behind the
//! shipped nginx, and a panel on it; one more panel asks the real Prometheus directly. Faults a
//! broken network or proxy makes (a refused connection, an answer past the proxy's timeout, an HTML
//! error page, a truncated body, a missing proxy location) and answers a Prometheus-compatible
//! backend gives (its error JSON with 4xx and 5xx, the 11,000-points limit, 50,000 series, a partial
//! answer with warnings) come from a fault-injecting proxy in front of the real Prometheus. Each
//! affected panel shows its own specific message, the healthy panel draws, the page answers, and
//! after the backend heals, the next refresh draws every panel again.

use crate::World;
use crate::browser::Browser;
use crate::editing::{click, ensure};
use crate::stack::{Result, ScratchDir, free_port, start_nginx};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// The faults, by datasource uid: what the panel on it must say (`None`: it draws).
const MATRIX: &[(&str, &str, Option<&str>)] = &[
    ("ok", "a healthy answer, through the fault proxy", None),
    ("refused", "connection refused (nothing listens behind the proxy)", Some("HTTP 502")),
    ("slow", "no answer within the proxy's read timeout", Some("did not answer in time")),
    ("bad-data", "HTTP 400 with Prometheus's error JSON", Some("rejected the query (bad_data)")),
    ("unavailable", "HTTP 503 with Prometheus's error JSON", Some("unavailable")),
    ("html", "HTTP 502 with a proxy's HTML page", Some("HTTP 502 Bad Gateway")),
    ("truncated", "HTTP 200, JSON cut off", Some("cannot decode")),
    ("points", "the 11,000 points per series limit", Some("exceeded maximum resolution of 11,000 points")),
    ("huge", "50,000 series in one answer", None),
    ("partial", "a partial answer with warnings", None),
    ("missing", "a datasource whose nginx location is missing", Some("no proxy location")),
];

const HUGE_SERIES: usize = 50_000;

/// An HTTP answer: status line text, content type, body.
type Reply = (String, &'static str, Vec<u8>);

fn reply(status: &str, content_type: &'static str, body: impl Into<Vec<u8>>) -> Reply {
    (status.to_string(), content_type, body.into())
}

fn error_json(error_type: &str, message: &str) -> Vec<u8> {
    json!({"status": "error", "errorType": error_type, "error": message}).to_string().into_bytes()
}

fn huge_answer() -> Vec<u8> {
    let mut body = String::from(r#"{"status":"success","data":{"resultType":"matrix","result":["#);
    for i in 0..HUGE_SERIES {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(
            r#"{{"metric":{{"__name__":"huge","series":"{i}"}},"values":[[{},"{i}"],[{},"{i}"]]}}"#,
            crate::fixture::START_S + 600,
            crate::fixture::START_S + 1200
        ));
    }
    body.push_str("]}}");
    body.into_bytes()
}

/// Forwards a request to the real Prometheus as it came (method, path, form body).
fn forward(prometheus: &str, method: &str, path: &str, body: &[u8]) -> Reply {
    let url = format!("{prometheus}{path}");
    let request = ureq::request(method, &url).timeout(Duration::from_secs(20));
    let answer = if body.is_empty() {
        request.call()
    } else {
        request.set("Content-Type", "application/x-www-form-urlencoded").send_bytes(body)
    };
    let response = match answer {
        Ok(response) | Err(ureq::Error::Status(_, response)) => response,
        Err(error) => return reply("502 Bad Gateway", "text/plain", error.to_string()),
    };
    let status = format!("{} {}", response.status(), response.status_text());
    let mut bytes = Vec::new();
    let _ = response.into_reader().read_to_end(&mut bytes);
    (status, "application/json", bytes)
}

/// The fault for a request to `/fault/<kind>/api/v1/…`, or the real answer once healed.
fn answer(kind: &str, healed: bool, prometheus: &str, method: &str, path: &str, body: &[u8]) -> Reply {
    // `/fault/<kind>/api/v1/…` → `/api/v1/…`; the healed refused backend gets the path as is.
    let real_path = if kind == "ok-root" {
        path.to_string()
    } else {
        path.splitn(4, '/').nth(3).map(|rest| format!("/{rest}")).unwrap_or_default()
    };
    if healed || kind == "ok" {
        return forward(prometheus, method, &real_path, body);
    }
    match kind {
        "slow" => {
            std::thread::sleep(Duration::from_secs(4));
            forward(prometheus, method, &real_path, body)
        }
        "bad-data" => reply(
            "400 Bad Request",
            "application/json",
            error_json("bad_data", "1:1: parse error: unexpected end of input"),
        ),
        "unavailable" => reply(
            "503 Service Unavailable",
            "application/json",
            error_json("unavailable", "store gateway unavailable: too many queries in flight"),
        ),
        "html" => reply(
            "502 Bad Gateway",
            "text/html",
            "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>proxy</center></body></html>",
        ),
        "truncated" => reply(
            "200 OK",
            "application/json",
            r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"e2e_te"#,
        ),
        "points" => reply(
            "400 Bad Request",
            "application/json",
            error_json(
                "bad_data",
                "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
            ),
        ),
        "huge" => reply("200 OK", "application/json", huge_answer()),
        "partial" => {
            let (status, content_type, real) = forward(prometheus, method, &real_path, body);
            let mut document: Value = serde_json::from_slice(&real).unwrap_or(json!({}));
            document["warnings"] = json!(["remote store eu-1 timed out: results may be incomplete"]);
            document["isPartial"] = json!(true);
            (status, content_type, document.to_string().into_bytes())
        }
        _ => reply("404 Not Found", "text/plain", "unknown fault"),
    }
}

/// The fault-injecting proxy: one thread per connection (the slow fault must not hold the rest).
fn serve_faults(listener: TcpListener, prometheus: String, healed: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (prometheus, healed) = (prometheus.clone(), Arc::clone(&healed));
            std::thread::spawn(move || {
                let _ = handle(stream, &prometheus, healed.load(Ordering::SeqCst), None);
            });
        }
    });
}

/// Reads one request and writes the answer; `kind` overrides the fault named in the path.
fn handle(mut stream: TcpStream, prometheus: &str, healed: bool, kind: Option<&str>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut head = Vec::new();
    let mut byte = [0_u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte)? == 1 {
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_string();
    let mut words = head.split_whitespace();
    let (method, path) = (words.next().unwrap_or("GET").to_string(), words.next().unwrap_or("/").to_string());
    let length: usize = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string()))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0_u8; length];
    stream.read_exact(&mut body)?;
    let kind = kind.map(str::to_string).unwrap_or_else(|| path.split('/').nth(2).unwrap_or("").to_string());
    let (status, content_type, answer) = answer(&kind, healed, prometheus, &method, &path, &body);
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        answer.len()
    )?;
    stream.write_all(&answer)
}

fn datasources_yaml() -> String {
    let mut yaml = String::from(
        "apiVersion: 1\ndatasources:\n  - name: Prometheus\n    uid: prometheus\n    type: prometheus\n    url: /\n    isDefault: true\n",
    );
    for (kind, _, _) in MATRIX {
        let url = match *kind {
            "refused" => "/refused/prometheus".to_string(),
            "missing" => "/missing/prometheus".to_string(),
            kind => format!("/fault/{kind}"),
        };
        yaml.push_str(&format!(
            "  - name: Fault {kind}\n    uid: {kind}\n    type: prometheus\n    url: {url}\n"
        ));
    }
    yaml
}

fn fault_locations(fault_port: u16, refused_port: u16) -> String {
    format!(
        r#"
location ^~ /fault/ {{
    if ($promboard_api_refused) {{ return 403; }}
    proxy_pass http://127.0.0.1:{fault_port};
}}
# The slow fault: this proxy gives up after 2 s (the shipped one waits 120 s for long queries).
location ^~ /fault/slow/ {{
    if ($promboard_api_refused) {{ return 403; }}
    proxy_pass http://127.0.0.1:{fault_port};
    proxy_read_timeout 2s;
}}
location ^~ /refused/prometheus/ {{
    if ($promboard_api_refused) {{ return 403; }}
    proxy_pass http://127.0.0.1:{refused_port}/;
}}
"#
    )
}

fn dashboard() -> Value {
    let mut panels = vec![
        json!({"id": 1, "type": "timeseries", "title": "direct", "gridPos": {"x": 0, "y": 0, "w": 8, "h": 6},
        "datasource": {"type": "prometheus", "uid": "prometheus"},
        "targets": [{"refId": "A", "expr": "e2e_temperature_celsius"}]}),
    ];
    for (i, (kind, _, _)) in MATRIX.iter().enumerate() {
        let n = i + 1;
        panels.push(json!({"id": n + 1, "type": "timeseries", "title": kind,
            "gridPos": {"x": (n % 3) * 8, "y": (n / 3) * 6, "w": 8, "h": 6},
            "datasource": {"type": "prometheus", "uid": kind},
            "targets": [{"refId": "A", "expr": "e2e_temperature_celsius", "datasource": {"type": "prometheus", "uid": kind}}]}));
    }
    json!({"uid": "e2e-faults", "title": "Faults", "schemaVersion": 39,
           "time": {"from": (crate::fixture::START_S * 1000).to_string(), "to": (crate::fixture::END_S * 1000).to_string()},
           "panels": panels})
}

/// How long the page takes to answer with a frame, in ms (a frozen page takes seconds).
async fn frame_latency_ms(browser: &Browser) -> Result<f64> {
    let value = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; const t = performance.now(); requestAnimationFrame(() => setTimeout(() => done(performance.now() - t), 0));",
            vec![],
        )
        .await?;
    Ok(value.as_f64().unwrap_or(f64::MAX))
}

/// Each panel's state and message, by title.
async fn panels(browser: &Browser) -> Result<Vec<(String, String, String, String)>> {
    let value = browser
        .execute(
            "return [...document.querySelectorAll('.grid [data-panel-id]')].map(p => [p.querySelector('.panel-title')?.textContent ?? '', p.dataset.state, p.querySelector('.panel-error')?.textContent ?? '', p.querySelector('.panel-answer-notice')?.textContent ?? '']);",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(value)?)
}

pub fn faults_stay_in_their_panel_and_heal(world: &World) -> Result<()> {
    let scratch = ScratchDir::new("faults")?;
    let dashboards = scratch.0.join("dashboards");
    std::fs::create_dir_all(&dashboards)?;
    std::fs::write(dashboards.join("faults.json"), serde_json::to_string_pretty(&dashboard())?)?;
    let provisioning = scratch.0.join("provisioning");
    std::fs::create_dir_all(&provisioning)?;
    std::fs::write(provisioning.join("datasources.yaml"), datasources_yaml())?;
    let fault_listener = TcpListener::bind("127.0.0.1:0")?;
    let fault_port = fault_listener.local_addr()?.port();
    let refused_port = free_port()?;
    std::fs::write(provisioning.join("faults.nginx.conf"), fault_locations(fault_port, refused_port))?;
    let healed = Arc::new(AtomicBool::new(false));
    serve_faults(fault_listener, world.stack.prometheus_url.clone(), Arc::clone(&healed));
    let (_nginx, port) = start_nginx(
        &scratch.0,
        &world.stack.dist_dir,
        &dashboards,
        &world.stack.prometheus_url,
        &provisioning,
    )?;
    let app = format!("http://127.0.0.1:{port}");

    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        browser.goto(&format!("{app}/d/e2e-faults")).await?;
        browser
            .wait_for(
                "every panel to settle",
                WAIT,
                "const s = [...document.querySelectorAll('.grid [data-panel-id]')].map(p => p.dataset.state); return s.length > 10 && s.every(x => x !== 'loading');",
            )
            .await?;
        let latency = frame_latency_ms(&browser).await?;
        let shown = panels(&browser).await?;
        println!("\n  | fault | panel | message |\n  |---|---|---|");
        for (kind, what, expected) in MATRIX {
            let (_, state, error, notice) = shown
                .iter()
                .find(|(title, ..)| title == kind)
                .ok_or_else(|| format!("no panel for {kind}"))?;
            let said = if error.is_empty() { notice.clone() } else { error.clone() };
            println!("  | {what} | {state} | {} |", said.chars().take(160).collect::<String>());
            match expected {
                Some(words) => ensure(state == "error" && error.contains(words), || {
                    format!("{kind}: state {state}, message {error:?}; expected an error saying {words:?}")
                })?,
                None => ensure(state == "drawn", || format!("{kind}: state {state} ({error})"))?,
            }
        }
        let partial = shown.iter().find(|(t, ..)| t == "partial").map(|p| p.3.clone()).unwrap_or_default();
        ensure(partial.contains("remote store eu-1 timed out"), || format!("the partial answer's warning: {partial:?}"))?;
        let direct = shown.iter().find(|(t, ..)| t == "direct").map(|p| p.1.clone()).unwrap_or_default();
        ensure(direct == "drawn", || format!("the panel on the healthy datasource: {direct}"))?;
        println!("  the page answered a frame in {latency:.0} ms with every fault shown");
        ensure(latency < 5_000.0, || format!("the page froze: a frame took {latency:.0} ms"))?;

        // The backends heal (the refused one comes up, the fault proxy forwards everything): the
        // next refresh draws every panel but the one whose location is missing.
        healed.store(true, Ordering::SeqCst);
        let refused = TcpListener::bind(("127.0.0.1", refused_port))?;
        let prometheus = world.stack.prometheus_url.clone();
        std::thread::spawn(move || {
            for stream in refused.incoming().flatten() {
                let prometheus = prometheus.clone();
                std::thread::spawn(move || {
                    let _ = handle(stream, &prometheus, true, Some("ok-root"));
                });
            }
        });
        click(&browser, "button.refresh").await?;
        browser
            .wait_for(
                "every panel drawn after healing",
                WAIT,
                "return [...document.querySelectorAll('.grid [data-panel-id]')].every(p => p.dataset.state === 'drawn' || p.querySelector('.panel-title')?.textContent === 'missing');",
            )
            .await?;
        browser.finish().await
    })
}
