//! Prometheus query variables: the query forms Grafana's Prometheus datasource understands, the
//! HTTP request each one needs, and the option values in each answer.

use crate::jsregex::JsRegex;
use crate::route;
use serde::Deserialize;
use std::collections::BTreeMap;

/// What a variable query asks Prometheus for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariableRequest {
    /// `label_names()` or `label_names(match)` → `/api/v1/labels`.
    LabelNames { matcher: Option<String> },
    /// `label_values(label)` → `/api/v1/label/<label>/values`; with a metric or selector first,
    /// restricted to matching series.
    LabelValues { label: String, matcher: Option<String> },
    /// `metrics(regex)` → metric names matching the regex.
    MetricNames { regex: String },
    /// `query_result(expr)` → one option per sample of the instant query.
    QueryResult { expr: String },
    /// Anything else is a series selector → `/api/v1/series`, one option per series.
    Series { matcher: String },
}

fn call<'a>(query: &'a str, function: &str) -> Option<&'a str> {
    let rest = query.trim().strip_prefix(function)?.trim_start();
    let inner = rest.strip_prefix('(')?.trim_end().strip_suffix(')')?;
    Some(inner)
}

fn is_label_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Parses an (already interpolated) variable query.
pub fn parse_variable_query(query: &str) -> VariableRequest {
    let query = query.trim();
    if let Some(inner) = call(query, "label_names") {
        let inner = inner.trim();
        return VariableRequest::LabelNames { matcher: (!inner.is_empty()).then(|| inner.to_string()) };
    }
    if let Some(inner) = call(query, "label_values") {
        // `label_values(label)` or `label_values(selector, label)`: the label is after the last comma
        // outside braces.
        let mut depth = 0_i32;
        let mut split_at = None;
        for (index, c) in inner.char_indices() {
            match c {
                '{' | '(' => depth += 1,
                '}' | ')' => depth -= 1,
                ',' if depth == 0 => split_at = Some(index),
                _ => {}
            }
        }
        let (matcher, label) = match split_at {
            Some(index) => (Some(inner[..index].trim().to_string()), inner[index + 1..].trim()),
            None => (None, inner.trim()),
        };
        if is_label_name(label) {
            return VariableRequest::LabelValues {
                label: label.to_string(),
                matcher: matcher.filter(|m| !m.is_empty()),
            };
        }
    }
    if let Some(inner) = call(query, "metrics") {
        return VariableRequest::MetricNames { regex: inner.trim().to_string() };
    }
    if let Some(inner) = call(query, "query_result") {
        return VariableRequest::QueryResult { expr: inner.trim().to_string() };
    }
    VariableRequest::Series { matcher: query.to_string() }
}

/// One HTTP request: a path below the Prometheus base and form parameters (sent as a POST form or a
/// query string).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRequest {
    pub path: String,
    pub params: Vec<(String, String)>,
}

impl VariableRequest {
    /// The request for a time range (seconds).
    pub fn api_request(&self, start_s: i64, end_s: i64) -> ApiRequest {
        let range = vec![("start".to_string(), start_s.to_string()), ("end".to_string(), end_s.to_string())];
        let with_match = |matcher: &Option<String>| {
            let mut params = range.clone();
            if let Some(matcher) = matcher {
                params.push(("match[]".into(), matcher.clone()));
            }
            params
        };
        match self {
            VariableRequest::LabelNames { matcher } => {
                ApiRequest { path: "/api/v1/labels".into(), params: with_match(matcher) }
            }
            VariableRequest::LabelValues { label, matcher } => ApiRequest {
                path: format!("/api/v1/label/{}/values", route::percent_encode(label)),
                params: with_match(matcher),
            },
            VariableRequest::MetricNames { .. } => {
                ApiRequest { path: "/api/v1/label/__name__/values".into(), params: range.clone() }
            }
            VariableRequest::QueryResult { expr } => ApiRequest {
                path: "/api/v1/query".into(),
                params: vec![("query".into(), expr.clone()), ("time".into(), end_s.to_string())],
            },
            VariableRequest::Series { matcher } => {
                ApiRequest { path: "/api/v1/series".into(), params: with_match(&Some(matcher.clone())) }
            }
        }
    }

    /// Turns the API's `data` into option texts, in the answer's order.
    pub fn options_from_answer(&self, data: &serde_json::Value) -> Result<Vec<String>, String> {
        let strings = || -> Result<Vec<String>, String> {
            serde_json::from_value::<Vec<String>>(data.clone())
                .map_err(|e| format!("expected a list of strings: {e}"))
        };
        match self {
            VariableRequest::LabelNames { .. } | VariableRequest::LabelValues { .. } => strings(),
            VariableRequest::MetricNames { regex } => {
                let regex = JsRegex::new(regex)?;
                Ok(strings()?.into_iter().filter(|name| regex.exec(name).is_some()).collect())
            }
            VariableRequest::Series { .. } => {
                let series: Vec<BTreeMap<String, String>> = serde_json::from_value(data.clone())
                    .map_err(|e| format!("expected a list of label sets: {e}"))?;
                Ok(series.iter().map(series_text).collect())
            }
            VariableRequest::QueryResult { .. } => {
                #[derive(Deserialize)]
                struct Sample {
                    #[serde(default)]
                    metric: BTreeMap<String, String>,
                    value: (f64, String),
                }
                #[derive(Deserialize)]
                struct Vector {
                    #[serde(rename = "resultType")]
                    result_type: String,
                    result: serde_json::Value,
                }
                let vector: Vector =
                    serde_json::from_value(data.clone()).map_err(|e| format!("unexpected answer: {e}"))?;
                match vector.result_type.as_str() {
                    "vector" => {
                        let samples: Vec<Sample> = serde_json::from_value(vector.result)
                            .map_err(|e| format!("unexpected vector: {e}"))?;
                        Ok(samples
                            .iter()
                            .map(|s| {
                                format!(
                                    "{} {} {}",
                                    series_text(&s.metric),
                                    s.value.1,
                                    (s.value.0 * 1000.0).round() as i64
                                )
                            })
                            .collect())
                    }
                    "scalar" | "string" => {
                        let (time, value): (f64, String) = serde_json::from_value(vector.result)
                            .map_err(|e| format!("unexpected scalar: {e}"))?;
                        Ok(vec![format!("{} {value} {}", vector.result_type, (time * 1000.0).round() as i64)])
                    }
                    other => Err(format!("query_result needs an instant vector, got a {other}")),
                }
            }
        }
    }
}

/// `metric{a="1",b="2"}`, as Grafana shows a series in variable options.
fn series_text(labels: &BTreeMap<String, String>) -> String {
    let name = labels.get("__name__").map(String::as_str).unwrap_or("");
    let pairs: Vec<String> =
        labels.iter().filter(|(k, _)| *k != "__name__").map(|(k, v)| format!("{k}=\"{v}\"")).collect();
    format!("{name}{{{}}}", pairs.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn query_forms() {
        let check = |query: &str, expected: VariableRequest| {
            assert_eq!(parse_variable_query(query), expected, "{query}")
        };
        check("label_names()", VariableRequest::LabelNames { matcher: None });
        check(
            "label_names(up{job=\"a\"})",
            VariableRequest::LabelNames { matcher: Some("up{job=\"a\"}".into()) },
        );
        check("label_values(job)", VariableRequest::LabelValues { label: "job".into(), matcher: None });
        check(
            "label_values(node_uname_info{job=\"node\", a=~\"x,y\"}, instance)",
            VariableRequest::LabelValues {
                label: "instance".into(),
                matcher: Some("node_uname_info{job=\"node\", a=~\"x,y\"}".into()),
            },
        );
        check(
            " label_values( up , job ) ",
            VariableRequest::LabelValues { label: "job".into(), matcher: Some("up".into()) },
        );
        check("metrics(node_.*)", VariableRequest::MetricNames { regex: "node_.*".into() });
        check("query_result(topk(3, up))", VariableRequest::QueryResult { expr: "topk(3, up)".into() });
        check("up{job=\"x\"}", VariableRequest::Series { matcher: "up{job=\"x\"}".into() });
    }

    #[test]
    fn requests_and_answers() {
        let request = parse_variable_query("label_values(up, job)");
        assert_eq!(
            request.api_request(10, 20),
            ApiRequest {
                path: "/api/v1/label/job/values".into(),
                params: vec![
                    ("start".into(), "10".into()),
                    ("end".into(), "20".into()),
                    ("match[]".into(), "up".into())
                ]
            }
        );
        assert_eq!(
            request.options_from_answer(&json!(["a", "b"])),
            Ok(vec!["a".to_string(), "b".to_string()])
        );
        let metrics = parse_variable_query("metrics(^node_)");
        assert_eq!(
            metrics.options_from_answer(&json!(["node_load1", "up", "xnode_"])),
            Ok(vec!["node_load1".to_string()])
        );
        let result = parse_variable_query("query_result(up)");
        assert_eq!(
            result.options_from_answer(&json!({"resultType": "vector", "result": [{"metric": {"__name__": "up", "job": "p"}, "value": [1.5, "1"]}]})),
            Ok(vec!["up{job=\"p\"} 1 1500".to_string()])
        );
        let series = parse_variable_query("up");
        assert_eq!(
            series.options_from_answer(&json!([{"__name__": "up", "job": "p"}])),
            Ok(vec!["up{job=\"p\"}".to_string()])
        );
        assert!(request.options_from_answer(&json!({"x": 1})).is_err());
    }
}
