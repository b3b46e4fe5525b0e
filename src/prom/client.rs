//! The browser's transport to Prometheus (wasm32 only): the only code that talks to it. Requests go
//! to each datasource's `url` on the app's origin (`/api/v1/…` for the built-in one, a path prefix
//! such as `/mimir/prometheus/api/v1/…` for others), where nginx (production) or the dev server
//! proxies them.
//!
//! What a request is and what its answer means is [`super::api`] (pure); sharing identical
//! requests and the limit on requests out at once are [`super::transport`] (pure). This file only
//! carries bytes with fetch: a dropped request aborts its fetch, and one that outlasts
//! [`QUERY_TIMEOUT_MS`] ends in a timeout. The functions below are the app's entry points: they
//! find the query's datasource in the registry they are given and go through the one shared
//! transport.

use super::api::{self, ApiRequest, ApiResponse, Sending, Transport};
use super::transport::{Limited, SharedInFlight};
use super::{Answer, PromError};
use crate::datasource::{Datasource, HttpMethod, Registry};
use crate::query::PlannedQuery;
use futures::future::{Either, select};
use gloo_net::http::{Method, Request, RequestBuilder};
use std::rc::Rc;
use web_sys::AbortController;

/// How long the browser waits for a query's answer: longer than nginx's own 120 s
/// (deploy/nginx.conf), whose HTTP 504 is the usual way a slow query ends, so that this catches
/// only proxies that never answer.
pub const QUERY_TIMEOUT_MS: u32 = 130_000;

/// At most this many requests go out at once (a browser's own limit per host over HTTP/1.1).
pub const MAX_IN_FLIGHT: usize = 6;

/// Aborts the fetch when dropped, which happens when the panel's query is superseded.
struct AbortOnDrop(Option<AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = &self.0 {
            controller.abort();
        }
    }
}

/// fetch, aborted when dropped or when it outlasts the deadline.
pub struct Fetch;

impl Transport for Fetch {
    fn send(&self, request: ApiRequest) -> Sending {
        Box::pin(exchange(request))
    }
}

/// The app's transport: identical requests shared, at most [`MAX_IN_FLIGHT`] out, fetch.
pub type BrowserTransport = SharedInFlight<Limited<Fetch>>;

thread_local! {
    static TRANSPORT: Rc<BrowserTransport> = Rc::new(SharedInFlight::new(Limited::new(Fetch, MAX_IN_FLIGHT)));
}

/// The one transport every request of the page goes through (so sharing and the limit hold for all).
pub fn transport() -> Rc<BrowserTransport> {
    TRANSPORT.with(Rc::clone)
}

async fn exchange(request: ApiRequest) -> Result<ApiResponse, PromError> {
    let network_error = |message: String| PromError::Network {
        url: request.shown_url.clone(),
        query: request.what.clone(),
        message,
    };
    // Dropping the guard (on return, or when the deadline wins) aborts the fetch.
    let guard = AbortOnDrop(AbortController::new().ok());
    let signal = guard.0.as_ref().map(|c| c.signal());
    let built = build_request(&request, signal.as_ref()).map_err(|error| network_error(error.to_string()))?;
    let exchange = async {
        let response = built.send().await.map_err(|error| network_error(error.to_string()))?;
        let status = response.status();
        let status_text = response.status_text();
        let body = response.binary().await.map_err(|error| network_error(error.to_string()))?;
        Ok::<_, PromError>(ApiResponse { status, status_text, body: body.into() })
    };
    let deadline = gloo_timers::future::TimeoutFuture::new(QUERY_TIMEOUT_MS);
    match select(Box::pin(exchange), deadline).await {
        Either::Left((answer, _)) => answer,
        Either::Right(_) => Err(PromError::Timeout {
            query: request.what.clone(),
            detail: format!("no answer from {} within {} s", request.shown_url, QUERY_TIMEOUT_MS / 1000),
        }),
    }
}

fn build_request(
    request: &ApiRequest,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<Request, gloo_net::Error> {
    let mut builder = match (request.method, &request.form) {
        (HttpMethod::Post, Some(_)) => RequestBuilder::new(&request.url)
            .method(Method::POST)
            .header("Content-Type", "application/x-www-form-urlencoded"),
        _ => RequestBuilder::new(&request.url).method(Method::GET),
    };
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let builder = builder.abort_signal(signal);
    match (request.method, &request.form) {
        (HttpMethod::Post, Some(form)) => builder.body(form.clone()),
        _ => builder.build(),
    }
}

/// The datasource a planned query goes to in the registry in force.
fn datasource_of(registry: &Registry, query: &PlannedQuery) -> Datasource {
    registry.find(&query.datasource_uid).unwrap_or_else(|| registry.default_datasource()).clone()
}

/// Runs one planned query on its datasource ([`api::run_query`]).
pub async fn query_range(registry: &Registry, query: &PlannedQuery) -> Result<Answer, PromError> {
    let datasource = datasource_of(registry, query);
    api::run_query(&transport(), &datasource, query).await
}

/// What a query sends, as its datasource sends it: method, URL and form (the inspector's Query tab).
pub fn request_summary(registry: &Registry, query: &PlannedQuery) -> (String, String, String) {
    let request = api::query_request(&datasource_of(registry, query), query);
    let method = match request.method {
        HttpMethod::Post => "POST",
        HttpMethod::Get => "GET",
    };
    let (url, form) = match request.form {
        Some(form) => (request.url, form),
        None => match request.url.split_once('?') {
            Some((url, form)) => (url.to_string(), form.to_string()),
            None => (request.url, String::new()),
        },
    };
    (method.to_string(), url, form)
}

/// Sends a query again and returns the HTTP status and the body as text, undecoded: the
/// inspector's raw response. Panels keep decoded samples, not bodies (a body can be ten times
/// their size), so the inspector asks afresh, within the same limits as every query.
pub async fn raw_answer(registry: &Registry, query: &PlannedQuery) -> Result<(u16, String), PromError> {
    let request = api::query_request(&datasource_of(registry, query), query);
    let response = transport().send(request).await?;
    Ok((response.status, String::from_utf8_lossy(&response.body).into_owned()))
}

/// A GET to another API endpoint of a datasource ([`api::get_api_data`]).
pub async fn get_api_data(
    datasource: &Datasource,
    path: &str,
    params: &[(String, String)],
    description: &str,
) -> Result<serde_json::Value, PromError> {
    api::get_api_data(&transport(), datasource, path, params, description).await
}

/// An Alertmanager datasource's alerts ([`api::alertmanager_alerts`]).
pub async fn alertmanager_alerts(datasource: &Datasource) -> Result<serde_json::Value, String> {
    api::alertmanager_alerts(&transport(), datasource).await
}

/// The global scrape interval a datasource's Prometheus itself uses ([`api::scrape_interval_ms`]).
pub async fn scrape_interval_ms(datasource: &Datasource) -> Result<i64, PromError> {
    api::scrape_interval_ms(&transport(), datasource).await
}
