//! Prometheus's HTTP API without the I/O: what each call sends (an [`ApiRequest`]: method, URL,
//! form, headers, as the datasource asks) and what its answer means, over any [`Transport`]. The
//! browser's transport is `prom::client` (fetch with abort and a deadline, under the sharing and
//! the limit of `prom::transport`); tests use fakes, so everything a panel, a variable or a view
//! asks of Prometheus is tested natively. Pure: no network, no clock, no globals — the datasource
//! is always given.

use super::{Answer, PromError, decode_api_data, decode_query_response};
use crate::datasource::{Datasource, HttpMethod};
use crate::query::PlannedQuery;
use crate::route::percent_encode;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

/// Where range queries go, below a datasource's url.
pub const QUERY_RANGE_PATH: &str = "/api/v1/query_range";
/// Where instant queries go.
pub const QUERY_PATH: &str = "/api/v1/query";

/// One request to a datasource, exactly as it goes out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRequest {
    /// POST (with `form` as an url-encoded body) or GET (the form, if any, already in `url`).
    pub method: HttpMethod,
    pub url: String,
    pub form: Option<String>,
    /// The datasource's extra headers (a tenant's `X-Scope-OrgID`, say).
    pub headers: Vec<(String, String)>,
    /// What errors call the request: the query, or what an API call is for.
    pub what: String,
    /// The URL errors name: the endpoint, without the query string.
    pub shown_url: String,
}

impl ApiRequest {
    /// Identical requests have the same key (so they can share one answer).
    pub fn key(&self) -> String {
        let method = match self.method {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
        };
        let headers: Vec<String> =
            self.headers.iter().map(|(name, value)| format!("{name}: {value}")).collect();
        format!("{method} {}\n{}\n{}", self.url, self.form.as_deref().unwrap_or(""), headers.join("\n"))
    }
}

/// An HTTP answer: status, its text, and the body (shared, so requests that share an answer do
/// not copy it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiResponse {
    pub status: u16,
    pub status_text: String,
    pub body: Rc<[u8]>,
}

/// An answer on its way.
pub type Sending = Pin<Box<dyn Future<Output = Result<ApiResponse, PromError>>>>;

/// Whatever carries requests to Prometheus and brings the answers back. A failure to get any
/// answer is a [`PromError::Network`] or [`PromError::Timeout`]; an HTTP error status is an
/// answer. Dropping the future gives the request up.
pub trait Transport {
    fn send(&self, request: ApiRequest) -> Sending;
}

impl<T: Transport + ?Sized> Transport for Rc<T> {
    fn send(&self, request: ApiRequest) -> Sending {
        (**self).send(request)
    }
}

/// The request for a planned query on its datasource: a range query, or an instant one when the
/// target asks for it; POSTed as a form (Grafana's default, so long expressions never hit URL
/// limits) unless the datasource asks for GET; its `customQueryParameters` appended.
pub fn query_request(datasource: &Datasource, query: &PlannedQuery) -> ApiRequest {
    let (path, form) = match query.instant_at {
        Some(time) => (QUERY_PATH, format!("query={}&time={time}", percent_encode(&query.expr))),
        None => (
            QUERY_RANGE_PATH,
            format!(
                "query={}&start={}&end={}&step={}",
                percent_encode(&query.expr),
                query.start_s,
                query.end_s,
                query.step_s
            ),
        ),
    };
    let form = with_custom_parameters(form, &datasource.custom_query_parameters);
    let endpoint = format!("{}{path}", datasource.url);
    let (url, form) = match datasource.http_method {
        HttpMethod::Post => (endpoint.clone(), Some(form)),
        HttpMethod::Get => (format!("{endpoint}?{form}"), None),
    };
    ApiRequest {
        method: datasource.http_method,
        url,
        form,
        headers: datasource.headers.clone(),
        what: query.expr.clone(),
        shown_url: endpoint,
    }
}

/// A GET to another endpoint of a datasource (labels, label values, series, rules, alerts, its
/// configuration); `description` names the request in errors (a variable's query, say).
pub fn get_request(
    datasource: &Datasource,
    path: &str,
    params: &[(String, String)],
    description: &str,
) -> ApiRequest {
    let mut query_string: Vec<String> = params
        .iter()
        .map(|(key, value)| format!("{}={}", percent_encode(key), percent_encode(value)))
        .collect();
    if !datasource.custom_query_parameters.is_empty() {
        query_string.push(datasource.custom_query_parameters.clone());
    }
    let endpoint = format!("{}{path}", datasource.url);
    let url = if query_string.is_empty() {
        endpoint.clone()
    } else {
        format!("{endpoint}?{}", query_string.join("&"))
    };
    ApiRequest {
        method: HttpMethod::Get,
        url,
        form: None,
        headers: datasource.headers.clone(),
        what: description.to_string(),
        shown_url: endpoint,
    }
}

/// A datasource's `customQueryParameters` go along with every query, as Grafana sends them.
fn with_custom_parameters(form: String, custom: &str) -> String {
    if custom.is_empty() { form } else { format!("{form}&{custom}") }
}

/// The decoder does not know the URL or the status text; the request and its answer do.
fn with_request_context(error: PromError, request: &ApiRequest, response: &ApiResponse) -> PromError {
    match error {
        PromError::Http { query, status, body, .. } => PromError::Http {
            url: request.shown_url.clone(),
            query,
            status,
            status_text: response.status_text.clone(),
            body,
        },
        other => other,
    }
}

/// Runs a planned query on its datasource and decodes the answer.
pub async fn run_query(
    transport: &impl Transport,
    datasource: &Datasource,
    query: &PlannedQuery,
) -> Result<Answer, PromError> {
    let request = query_request(datasource, query);
    let response = transport.send(request.clone()).await?;
    decode_query_response(&query.expr, response.status, &response.body)
        .map_err(|error| with_request_context(error, &request, &response))
}

/// A GET to another endpoint ([`get_request`]), decoded to the answer's `data`.
pub async fn get_api_data(
    transport: &impl Transport,
    datasource: &Datasource,
    path: &str,
    params: &[(String, String)],
    description: &str,
) -> Result<serde_json::Value, PromError> {
    let request = get_request(datasource, path, params, description);
    let response = transport.send(request.clone()).await?;
    decode_api_data(description, response.status, &response.body)
        .map_err(|error| with_request_context(error, &request, &response))
}

/// The alerts an Alertmanager datasource holds (`GET /api/v2/alerts`, active, silenced, inhibited
/// and unprocessed ones), as its answer: a bare JSON array, not Prometheus's envelope. Errors name
/// Alertmanager, the URL and the HTTP status.
pub async fn alertmanager_alerts(
    transport: &impl Transport,
    datasource: &Datasource,
) -> Result<serde_json::Value, String> {
    let params: Vec<(String, String)> = ["active", "silenced", "inhibited", "unprocessed"]
        .into_iter()
        .map(|key| (key.to_string(), "true".to_string()))
        .collect();
    let request = get_request(datasource, "/api/v2/alerts", &params, "Alertmanager alerts");
    let response = transport.send(request.clone()).await.map_err(|error| match error {
        PromError::Network { message, .. } => {
            format!("cannot reach Alertmanager at {}: {message}", request.shown_url)
        }
        other => other.to_string(),
    })?;
    let body = String::from_utf8_lossy(&response.body);
    if !(200..300).contains(&response.status) {
        return Err(format!(
            "Alertmanager answered HTTP {} {} for {}{}",
            response.status,
            response.status_text,
            request.shown_url,
            super::body_suffix_for(response.status, &body)
        ));
    }
    serde_json::from_str(&body)
        .map_err(|error| format!("cannot decode Alertmanager's answer from {}: {error}", request.shown_url))
}

/// The global scrape interval a datasource's Prometheus itself uses, from `/api/v1/status/config`.
pub async fn scrape_interval_ms(
    transport: &impl Transport,
    datasource: &Datasource,
) -> Result<i64, PromError> {
    let data =
        get_api_data(transport, datasource, "/api/v1/status/config", &[], "Prometheus configuration").await?;
    let yaml = data.get("yaml").and_then(serde_json::Value::as_str).unwrap_or("");
    Ok(super::config::global_scrape_interval_ms(yaml))
}

/// What tests of the layers over a transport share: a transport that holds every request until
/// the test answers it (or drops it: a network failure), to see what is asked before anything
/// comes back.
#[cfg(test)]
pub mod testing {
    use super::{ApiRequest, ApiResponse, PromError, Sending, Transport};
    use futures::channel::oneshot;
    use std::cell::RefCell;

    #[derive(Default)]
    pub struct HeldTransport {
        /// Each request as it went out, and the way to answer it.
        pub held: RefCell<Vec<(ApiRequest, oneshot::Sender<ApiResponse>)>>,
    }

    impl HeldTransport {
        /// The requests held so far, taken out of the transport.
        pub fn take(&self) -> Vec<(ApiRequest, oneshot::Sender<ApiResponse>)> {
            self.held.borrow_mut().drain(..).collect()
        }

        /// The URLs of the requests held now.
        pub fn urls(&self) -> Vec<String> {
            self.held.borrow().iter().map(|(request, _)| request.url.clone()).collect()
        }
    }

    impl Transport for HeldTransport {
        fn send(&self, request: ApiRequest) -> Sending {
            let (sender, receiver) = oneshot::channel();
            self.held.borrow_mut().push((request.clone(), sender));
            Box::pin(async move {
                receiver.await.map_err(|_| PromError::Network {
                    url: request.shown_url,
                    query: request.what,
                    message: "given up".into(),
                })
            })
        }
    }

    /// A 200 answer with `text` as its body.
    pub fn ok(text: &str) -> ApiResponse {
        ApiResponse { status: 200, status_text: "OK".into(), body: text.as_bytes().into() }
    }
}

#[cfg(test)]
pub(crate) mod fake {
    //! A transport for tests: answers from a table by URL, records every request.

    use super::*;
    use std::cell::RefCell;

    #[derive(Default)]
    pub struct FakeTransport {
        /// `(url prefix, status, body)`: the first whose prefix the request's URL starts with.
        pub answers: Vec<(String, u16, String)>,
        pub sent: RefCell<Vec<ApiRequest>>,
    }

    impl FakeTransport {
        pub fn answering(answers: &[(&str, u16, &str)]) -> FakeTransport {
            FakeTransport {
                answers: answers
                    .iter()
                    .map(|(url, status, body)| (url.to_string(), *status, body.to_string()))
                    .collect(),
                sent: RefCell::default(),
            }
        }
    }

    impl Transport for FakeTransport {
        fn send(&self, request: ApiRequest) -> Sending {
            self.sent.borrow_mut().push(request.clone());
            let answer =
                self.answers.iter().find(|(prefix, _, _)| request.url.starts_with(prefix.as_str())).cloned();
            Box::pin(async move {
                match answer {
                    Some((_, status, body)) => Ok(ApiResponse {
                        status,
                        status_text: if status == 200 { "OK".into() } else { "Error".into() },
                        body: body.into_bytes().into(),
                    }),
                    None => Err(PromError::Network {
                        url: request.shown_url,
                        query: request.what,
                        message: "connection refused".into(),
                    }),
                }
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fake::FakeTransport;
    use super::*;
    use futures::executor::block_on;

    fn datasource(method: HttpMethod) -> Datasource {
        Datasource {
            name: "Mimir".into(),
            uid: "mimir".into(),
            type_name: "prometheus".into(),
            url: "/mimir/prometheus".into(),
            is_default: false,
            time_interval: None,
            http_method: method,
            custom_query_parameters: "dedup=false".into(),
            headers: vec![("X-Scope-OrgID".into(), "team-a".into())],
        }
    }

    fn planned(expr: &str, instant_at: Option<i64>) -> PlannedQuery {
        PlannedQuery {
            ref_id: "A".into(),
            expr: expr.into(),
            start_s: 100,
            end_s: 200,
            step_s: 15,
            instant_at,
            ..PlannedQuery::default()
        }
    }

    #[test]
    fn a_query_goes_out_as_its_datasource_asks() {
        let post = query_request(&datasource(HttpMethod::Post), &planned("rate(x[5m])", None));
        assert_eq!(post.method, HttpMethod::Post);
        assert_eq!(post.url, "/mimir/prometheus/api/v1/query_range");
        assert_eq!(
            post.form.as_deref(),
            Some("query=rate%28x%5B5m%5D%29&start=100&end=200&step=15&dedup=false")
        );
        assert_eq!(post.headers, [("X-Scope-OrgID".to_string(), "team-a".to_string())]);
        let get = query_request(&datasource(HttpMethod::Get), &planned("up", Some(150)));
        assert_eq!(get.url, "/mimir/prometheus/api/v1/query?query=up&time=150&dedup=false");
        assert_eq!((get.form, get.shown_url.as_str()), (None, "/mimir/prometheus/api/v1/query"));
        let api = get_request(
            &datasource(HttpMethod::Post),
            "/api/v1/labels",
            &[("match[]".into(), "up".into())],
            "labels",
        );
        assert_eq!(
            (api.method, api.url.as_str()),
            (HttpMethod::Get, "/mimir/prometheus/api/v1/labels?match%5B%5D=up&dedup=false")
        );
    }

    #[test]
    fn alertmanager_alerts_are_read_as_a_bare_array_and_errors_name_alertmanager() {
        let alertmanager = Datasource {
            type_name: "alertmanager".into(),
            url: "/alertmanager".into(),
            custom_query_parameters: String::new(),
            headers: Vec::new(),
            ..datasource(HttpMethod::Get)
        };
        let transport = FakeTransport::answering(&[(
            "/alertmanager/api/v2/alerts",
            200,
            r#"[{"labels":{"alertname":"A"}}]"#,
        )]);
        let alerts = block_on(alertmanager_alerts(&transport, &alertmanager)).expect("an answer");
        assert_eq!(alerts[0]["labels"]["alertname"], "A");
        assert_eq!(
            transport.sent.borrow()[0].url,
            "/alertmanager/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true"
        );
        let refused = FakeTransport::answering(&[("/alertmanager/", 403, "promboard: not allowed")]);
        assert_eq!(
            block_on(alertmanager_alerts(&refused, &alertmanager)).unwrap_err(),
            "Alertmanager answered HTTP 403 Error for /alertmanager/api/v2/alerts: promboard: not allowed"
        );
        let down = FakeTransport::answering(&[]);
        assert!(
            block_on(alertmanager_alerts(&down, &alertmanager))
                .unwrap_err()
                .starts_with("cannot reach Alertmanager at /alertmanager/api/v2/alerts")
        );
    }

    #[test]
    fn answers_and_errors_name_the_query_and_the_endpoint() {
        let transport = FakeTransport::answering(&[
            (
                "/mimir/prometheus/api/v1/query_range",
                200,
                r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"a"},"values":[[100,"1"]]}]}}"#,
            ),
            ("/mimir/prometheus/api/v1/query", 502, "bad gateway"),
        ]);
        let source = datasource(HttpMethod::Post);
        let answer = block_on(run_query(&transport, &source, &planned("up", None))).expect("decoded");
        assert_eq!(answer.series.len(), 1);
        let error = block_on(run_query(&transport, &source, &planned("up", Some(1)))).expect_err("HTTP 502");
        assert_eq!(
            error.to_string(),
            "Prometheus answered HTTP 502 Error for /mimir/prometheus/api/v1/query (query: up): bad gateway"
        );
        let unreachable = Datasource { url: "/elsewhere".into(), ..source };
        let error = block_on(get_api_data(&transport, &unreachable, "/api/v1/labels", &[], "label names"))
            .unwrap_err();
        assert!(
            error.to_string().contains("/elsewhere/api/v1/labels")
                && error.to_string().contains("label names")
        );
        assert_eq!(transport.sent.borrow().len(), 3);
    }
}
