//! The Prometheus HTTP client (wasm32 only): the only code that talks to Prometheus. Requests go to
//! each datasource's `url` on the app's origin (`/api/v1/…` for the built-in one, a path prefix
//! such as `/mimir/prometheus/api/v1/…` for others), where nginx (production) or the dev server
//! proxies them.
//!
//! Queries are POSTed as forms, as Grafana does by default: long expressions never hit URL limits.
//! A dropped request future aborts its fetch, so superseded queries do not keep the network busy;
//! identical requests in flight are shared (the fetch is aborted when the last asker drops it).

use super::{Answer, PromError, decode_api_data, decode_query_response};
use crate::datasource::{Datasource, HttpMethod};
use crate::query::PlannedQuery;
use crate::route::percent_encode;
use futures::channel::oneshot;
use futures::future::{Either, FutureExt, LocalBoxFuture, WeakShared, select};
use gloo_net::http::{Method, Request, RequestBuilder};
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use web_sys::AbortController;

/// Where Prometheus's API is, relative to the app's origin.
pub const QUERY_RANGE_PATH: &str = "/api/v1/query_range";

/// Aborts the fetch when dropped, which happens when the panel's query is superseded.
struct AbortOnDrop(Option<AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = &self.0 {
            controller.abort();
        }
    }
}

/// How long the browser waits for a query's answer: longer than nginx's own 120 s
/// (deploy/nginx.conf), whose HTTP 504 is the usual way a slow query ends, so that this catches
/// only proxies that never answer.
pub const QUERY_TIMEOUT_MS: u32 = 130_000;

/// At most this many requests go out at once (a browser's own limit per host over HTTP/1.1);
/// the others wait for a slot in the order they asked, so panels on screen, which ask first, are
/// answered first, and a superseded request that never got a slot costs nothing.
pub const MAX_IN_FLIGHT: usize = 6;

#[derive(Default)]
struct Slots {
    in_use: usize,
    waiting: VecDeque<oneshot::Sender<()>>,
}

thread_local! {
    static SLOTS: RefCell<Slots> = RefCell::new(Slots::default());
}

/// A held request slot; dropping it hands the slot to the next live waiter.
struct Slot;

impl Drop for Slot {
    fn drop(&mut self) {
        SLOTS.with(|slots| {
            let mut slots = slots.borrow_mut();
            // A waiter whose request was dropped meanwhile refuses the slot; the next one gets it.
            while let Some(waiter) = slots.waiting.pop_front() {
                if waiter.send(()).is_ok() {
                    return;
                }
            }
            slots.in_use -= 1;
        });
    }
}

async fn acquire_slot() -> Slot {
    let granted = SLOTS.with(|slots| {
        let mut slots = slots.borrow_mut();
        if slots.in_use < MAX_IN_FLIGHT {
            slots.in_use += 1;
            None
        } else {
            let (sender, receiver) = oneshot::channel();
            slots.waiting.push_back(sender);
            Some(receiver)
        }
    });
    if let Some(receiver) = granted {
        // Handed over by a finishing request, which kept the count as it was.
        let _ = receiver.await;
    }
    Slot
}

/// Where instant queries go.
pub const QUERY_PATH: &str = "/api/v1/query";

type AnswerFuture = LocalBoxFuture<'static, Result<Answer, PromError>>;

thread_local! {
    /// Requests in flight by URL and body: panels asking the same question share one request. The
    /// map holds weak handles, so a request nobody waits for any more is dropped, and aborted.
    static IN_FLIGHT: RefCell<HashMap<String, WeakShared<AnswerFuture>>> = RefCell::new(HashMap::new());
}

/// Runs one planned query on its datasource: a range query, or an instant one when the target
/// asks for it. An identical request already in flight is awaited instead of sent again.
pub async fn query_range(query: &PlannedQuery) -> Result<Answer, PromError> {
    let registry = crate::datasource::current();
    let datasource = registry.find(&query.datasource_uid).unwrap_or_else(|| registry.default_datasource());
    let (path, form) = request_of(query);
    let url = format!("{}{path}", datasource.url);
    let form = with_custom_parameters(form, &datasource.custom_query_parameters);
    let key = format!("{url}?{form}");
    let existing = IN_FLIGHT.with(|in_flight| in_flight.borrow().get(&key).and_then(WeakShared::upgrade));
    let shared = match existing {
        Some(shared) => shared,
        None => {
            let (expr, cleanup_key, datasource) = (query.expr.clone(), key.clone(), datasource.clone());
            let future = async move {
                let answer = send_query(&datasource, url, form, expr).await;
                IN_FLIGHT.with(|in_flight| in_flight.borrow_mut().remove(&cleanup_key));
                answer
            };
            let shared = future.boxed_local().shared();
            if let Some(weak) = shared.downgrade() {
                IN_FLIGHT.with(|in_flight| in_flight.borrow_mut().insert(key, weak));
            }
            shared
        }
    };
    shared.await
}

/// What a query sends, as its datasource sends it: method, URL and form (the inspector's Query tab).
pub fn request_summary(query: &PlannedQuery) -> (String, String, String) {
    let registry = crate::datasource::current();
    let datasource = registry.find(&query.datasource_uid).unwrap_or_else(|| registry.default_datasource());
    let (path, form) = request_of(query);
    let form = with_custom_parameters(form, &datasource.custom_query_parameters);
    let method = match datasource.http_method {
        HttpMethod::Post => "POST",
        _ => "GET",
    };
    (method.to_string(), format!("{}{path}", datasource.url), form)
}

/// Sends a query again and returns the HTTP status and the body as text, undecoded: the
/// inspector's raw response. Panels keep decoded samples, not bodies (a body can be ten times
/// their size), so the inspector asks afresh, within the same limits as every query.
pub async fn raw_answer(query: &PlannedQuery) -> Result<(u16, String), PromError> {
    let (_, url, form) = request_summary(query);
    let registry = crate::datasource::current();
    let datasource = registry.find(&query.datasource_uid).unwrap_or_else(|| registry.default_datasource());
    let (status, _, body) = exchange(datasource, &url, Some(form), &query.expr, &url).await?;
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// One request through the slot queue, aborted when dropped or when it outlasts the deadline:
/// the status, its text and the body. `what` names the request in errors (the query, or what an
/// API call is for) and `shown_url` is the URL errors name.
async fn exchange(
    datasource: &Datasource,
    url: &str,
    form: Option<String>,
    what: &str,
    shown_url: &str,
) -> Result<(u16, String, Vec<u8>), PromError> {
    let network_error =
        |message: String| PromError::Network { url: shown_url.to_string(), query: what.to_string(), message };
    let _slot = acquire_slot().await;
    // Dropping the guard (on return, or when the deadline wins) aborts the fetch.
    let guard = AbortOnDrop(AbortController::new().ok());
    let signal = guard.0.as_ref().map(|c| c.signal());
    let request = build_request(datasource, url, form, signal.as_ref())
        .map_err(|error| network_error(error.to_string()))?;
    let exchange = async {
        let response = request.send().await.map_err(|error| network_error(error.to_string()))?;
        let status = response.status();
        let status_text = response.status_text();
        let body = response.binary().await.map_err(|error| network_error(error.to_string()))?;
        Ok::<_, PromError>((status, status_text, body))
    };
    let deadline = gloo_timers::future::TimeoutFuture::new(QUERY_TIMEOUT_MS);
    match select(Box::pin(exchange), deadline).await {
        Either::Left((answer, _)) => answer,
        Either::Right(_) => Err(PromError::Timeout {
            query: what.to_string(),
            detail: format!("no answer from {shown_url} within {} s", QUERY_TIMEOUT_MS / 1000),
        }),
    }
}

/// A datasource's `customQueryParameters` go along with every query, as Grafana sends them.
fn with_custom_parameters(form: String, custom: &str) -> String {
    if custom.is_empty() { form } else { format!("{form}&{custom}") }
}

fn request_of(query: &PlannedQuery) -> (String, String) {
    match query.instant_at {
        Some(time) => (QUERY_PATH.to_string(), format!("query={}&time={time}", percent_encode(&query.expr))),
        None => (
            QUERY_RANGE_PATH.to_string(),
            format!(
                "query={}&start={}&end={}&step={}",
                percent_encode(&query.expr),
                query.start_s,
                query.end_s,
                query.step_s
            ),
        ),
    }
}

/// Sends the request as the datasource asks (POST form by default, GET when configured) with its
/// extra headers (a tenant's `X-Scope-OrgID`, say).
fn build_request(
    datasource: &Datasource,
    url: &str,
    form: Option<String>,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<Request, gloo_net::Error> {
    let mut builder = match (datasource.http_method, &form) {
        (HttpMethod::Post, Some(_)) => RequestBuilder::new(url)
            .method(Method::POST)
            .header("Content-Type", "application/x-www-form-urlencoded"),
        (_, Some(form)) => RequestBuilder::new(&format!("{url}?{form}")).method(Method::GET),
        (_, None) => RequestBuilder::new(url).method(Method::GET),
    };
    for (name, value) in &datasource.headers {
        builder = builder.header(name, value);
    }
    let builder = builder.abort_signal(signal);
    match (datasource.http_method, form) {
        (HttpMethod::Post, Some(form)) => builder.body(form),
        _ => builder.build(),
    }
}

async fn send_query(
    datasource: &Datasource,
    url: String,
    form: String,
    expr: String,
) -> Result<Answer, PromError> {
    let (status, status_text, body) = exchange(datasource, &url, Some(form), &expr, &url).await?;
    decode_query_response(&expr, status, &body).map_err(|error| match error {
        // The decoder does not know the URL or status text; fill them in here.
        PromError::Http { query, status, body, .. } => {
            PromError::Http { url: url.clone(), query, status, status_text, body }
        }
        other => other,
    })
}

/// A GET to another API endpoint of a datasource (labels, label values, series, instant query),
/// decoded to its `data`. `description` names the request in errors (a variable's query, say).
pub async fn get_api_data(
    datasource: &Datasource,
    path: &str,
    params: &[(String, String)],
    description: &str,
) -> Result<serde_json::Value, PromError> {
    let mut query_string: Vec<String> =
        params.iter().map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v))).collect();
    if !datasource.custom_query_parameters.is_empty() {
        query_string.push(datasource.custom_query_parameters.clone());
    }
    let endpoint = format!("{}{path}", datasource.url);
    let url = format!("{endpoint}?{}", query_string.join("&"));
    // Without a form the request is a GET, whatever the datasource's method for queries.
    let (status, status_text, body) = exchange(datasource, &url, None, description, &endpoint).await?;
    decode_api_data(description, status, &body).map_err(|error| match error {
        PromError::Http { query, status, body, .. } => {
            PromError::Http { url: endpoint.clone(), query, status, status_text, body }
        }
        other => other,
    })
}

/// The global scrape interval a datasource's Prometheus itself uses, from `/api/v1/status/config`.
pub async fn scrape_interval_ms(datasource: &Datasource) -> Result<i64, PromError> {
    let data = get_api_data(datasource, "/api/v1/status/config", &[], "Prometheus configuration").await?;
    let yaml = data.get("yaml").and_then(serde_json::Value::as_str).unwrap_or("");
    Ok(super::config::global_scrape_interval_ms(yaml))
}
