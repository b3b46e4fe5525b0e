//! Prometheus's HTTP API: wire types and decoding (pure, here), requests and answers over any
//! transport (`api`, pure), sharing and the limit on requests in flight (`transport`, pure), and
//! the browser's transport (`client`, wasm32 only), the only code in promboard that talks to
//! Prometheus.
//!
//! Errors keep what failed and why, in the four kinds a user must tell apart: the network, an HTTP
//! status, a Prometheus API error (its `errorType` and message) and an undecodable answer.

pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod client;
pub mod config;
mod decode;
pub mod transport;

pub use decode::{Answer, Series, decode_api_data, decode_query_response};

/// Why a query produced no data. Every variant names the query it was for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PromError {
    #[error("cannot reach Prometheus at {url}: {message} (query: {query})")]
    Network { url: String, query: String, message: String },
    #[error(
        "Prometheus answered HTTP {status} {status_text} for {url} (query: {query}){}",
        body_suffix_for(*status, body)
    )]
    Http { url: String, query: String, status: u16, status_text: String, body: String },
    #[error("Prometheus rejected the query ({error_type}): {message} (query: {query})")]
    Api { query: String, error_type: String, message: String },
    #[error("cannot decode Prometheus's answer: {message} (query: {query})")]
    Decode { query: String, message: String },
    /// Prometheus's own query timeout (`errorType: timeout`), a proxy that gave up (HTTP 504), or
    /// no answer in time in the browser (the client's `QUERY_TIMEOUT_MS`).
    #[error("Prometheus did not answer in time: {detail} (query: {query})")]
    Timeout { query: String, detail: String },
}

/// What an error answer's body adds to its status: a snippet of a text body; for an HTML page,
/// nothing (a proxy's 502 page says no more than its status), except where nginx's own 404 or 405
/// page means no location proxies the datasource's url.
pub(crate) fn body_suffix_for(status: u16, body: &str) -> String {
    let trimmed = body.trim();
    if matches!(status, 404 | 405) && decode::is_html(trimmed.as_bytes()) {
        return format!(": {}", decode::NO_PROXY_LOCATION);
    }
    if trimmed.is_empty() || trimmed.starts_with('<') {
        String::new()
    } else {
        let snippet: String = trimmed.chars().take(200).collect();
        format!(": {snippet}")
    }
}
