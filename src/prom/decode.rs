//! Decodes Prometheus's JSON answers (`/api/v1/query_range`, `/api/v1/query`) into series.

use super::PromError;
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;

/// One series: its labels and its samples as (seconds since the epoch, value).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub labels: BTreeMap<String, String>,
    pub points: Vec<(f64, f64)>,
}

#[derive(Deserialize)]
#[serde(tag = "resultType", content = "result", rename_all = "lowercase")]
enum Data {
    Matrix(Vec<MatrixSeries>),
    Vector(Vec<VectorSample>),
    Scalar(Sample),
    String(Sample),
}

#[derive(Deserialize)]
struct MatrixSeries {
    metric: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "samples")]
    values: Vec<(f64, f64)>,
}

/// A series' samples, trimmed to their length as soon as they are read: a vector grown by doubling
/// holds up to twice its samples, and a large answer would keep that slack for as long as it is
/// shown.
fn samples<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<(f64, f64)>, D::Error> {
    struct SamplesVisitor;
    impl<'de> Visitor<'de> for SamplesVisitor {
        type Value = Vec<(f64, f64)>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of samples")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut samples = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(Sample(time, value)) = seq.next_element()? {
                samples.push((time, value));
            }
            samples.shrink_to_fit();
            Ok(samples)
        }
    }
    deserializer.deserialize_seq(SamplesVisitor)
}

#[derive(Deserialize)]
struct VectorSample {
    metric: BTreeMap<String, String>,
    value: Sample,
}

/// Prometheus writes a sample as `[1700000000.5, "1.25"]`; the value is a string so that NaN and
/// ±Inf survive JSON. It is read straight into (seconds, value): a range answer holds millions of
/// them, and a string or a JSON tree per sample would cost tens of bytes each.
struct Sample(f64, f64);

impl<'de> Deserialize<'de> for Sample {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Sample, D::Error> {
        struct SampleVisitor;
        impl<'de> Visitor<'de> for SampleVisitor {
            type Value = Sample;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a [time, \"value\"] pair")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Sample, A::Error> {
                let time: f64 = seq.next_element()?.ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let value: SampleValue =
                    seq.next_element()?.ok_or_else(|| de::Error::invalid_length(1, &self))?;
                Ok(Sample(time, value.0))
            }
        }
        deserializer.deserialize_seq(SampleVisitor)
    }
}

/// The value text of a sample, parsed without keeping it.
struct SampleValue(f64);

impl<'de> Deserialize<'de> for SampleValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SampleValue, D::Error> {
        struct ValueVisitor;
        impl Visitor<'_> for ValueVisitor {
            type Value = SampleValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a sample value as a string")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<SampleValue, E> {
                Ok(SampleValue(parse_sample_value(text)))
            }
            // Not Prometheus's form, but an unambiguous one some compatible backends write.
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<SampleValue, E> {
                Ok(SampleValue(value))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<SampleValue, E> {
                Ok(SampleValue(value as f64))
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<SampleValue, E> {
                Ok(SampleValue(value as f64))
            }
        }
        deserializer.deserialize_any(ValueVisitor)
    }
}

/// Prometheus's float text: Go's `strconv.FormatFloat`, plus `NaN`, `+Inf`, `-Inf`.
fn parse_sample_value(text: &str) -> f64 {
    match text {
        "NaN" => f64::NAN,
        "+Inf" | "Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        other => other.parse().unwrap_or(f64::NAN),
    }
}

/// The API's envelope around any `data`.
#[derive(Deserialize)]
struct Envelope<T> {
    status: String,
    #[serde(default = "Option::default")]
    data: Option<T>,
    #[serde(default, rename = "errorType")]
    error_type: Option<String>,
    #[serde(default)]
    error: Option<String>,
    /// Prometheus's (and Thanos') warnings and, since 2.45, informational annotations.
    #[serde(default)]
    warnings: Vec<String>,
    #[serde(default)]
    infos: Vec<String>,
    /// VictoriaMetrics' cluster: some storage nodes did not answer.
    #[serde(default, rename = "isPartial")]
    is_partial: bool,
}

/// A query's answer: its series and what the backend said about them.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub series: Vec<Series>,
    /// Warnings, infos and partial-answer notices, to show on the panel.
    pub notices: Vec<String>,
}

/// Decodes an API answer's `data` as `T`, in one pass over the body (bytes, as fetched: no string
/// copy of a large answer is made on either side of the wasm boundary). `status` is the HTTP status:
/// Prometheus answers errors with 4xx/5xx and a JSON body, and that body's message is what the user
/// needs to see. `query` describes the request in error messages.
/// What an HTML page where the API's JSON belongs most often means behind our nginx.
pub(crate) const NO_PROXY_LOCATION: &str = "the answer is an HTML page, not the API's JSON: no proxy location answers this datasource's url (is its nginx location missing?)";

pub(crate) fn is_html(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&body[..body.len().min(256)]).trim_start().to_ascii_lowercase();
    text.starts_with("<!doctype html") || text.starts_with("<html")
}

fn decode_data<T: DeserializeOwned>(
    query: &str,
    status: u16,
    body: &[u8],
) -> Result<(T, Vec<String>), PromError> {
    let envelope: Envelope<T> = match serde_json::from_slice(body) {
        Ok(envelope) => envelope,
        Err(_) if (200..300).contains(&status) && is_html(body) => {
            // nginx answers an unproxied path with the app's own page.
            return Err(PromError::Decode { query: query.to_string(), message: NO_PROXY_LOCATION.into() });
        }
        Err(error) if (200..300).contains(&status) => {
            return Err(PromError::Decode { query: query.to_string(), message: error.to_string() });
        }
        Err(_) => {
            // An error answer whose body is not the API's JSON (a proxy's error page, say).
            if let Ok(Envelope::<serde::de::IgnoredAny> { status: outcome, error_type, error, .. }) =
                serde_json::from_slice(body)
                && outcome != "success"
            {
                return Err(api_error(query, error_type, error, &outcome));
            }
            if status == 504 {
                return Err(PromError::Timeout {
                    query: query.to_string(),
                    detail: "the proxy in front of Prometheus gave up waiting (HTTP 504)".into(),
                });
            }
            return Err(PromError::Http {
                url: String::new(),
                query: query.to_string(),
                status,
                status_text: String::new(),
                body: String::from_utf8_lossy(body).into_owned(),
            });
        }
    };
    if envelope.status != "success" {
        return Err(api_error(query, envelope.error_type, envelope.error, &envelope.status));
    }
    let mut notices: Vec<String> = envelope.warnings.into_iter().map(|w| format!("warning: {w}")).collect();
    notices.extend(envelope.infos.into_iter().map(|i| format!("info: {i}")));
    if envelope.is_partial {
        notices.push("partial answer: some storage nodes did not respond".into());
    }
    let data = envelope.data.ok_or_else(|| PromError::Decode {
        query: query.to_string(),
        message: "no data in a success answer".into(),
    })?;
    Ok((data, notices))
}

/// Prometheus's error answer; its `timeout` kind (the query ran past `--query.timeout`) is a timeout.
fn api_error(query: &str, error_type: Option<String>, error: Option<String>, status: &str) -> PromError {
    let message = error.unwrap_or_else(|| format!("status {status:?}"));
    match error_type.as_deref() {
        Some("timeout") => PromError::Timeout { query: query.to_string(), detail: message },
        _ => PromError::Api {
            query: query.to_string(),
            error_type: error_type.unwrap_or_else(|| "unknown".to_string()),
            message,
        },
    }
}

/// Decodes any API answer to its `data` as JSON (labels, label values, series, metadata…).
pub fn decode_api_data(query: &str, status: u16, body: &[u8]) -> Result<serde_json::Value, PromError> {
    decode_data(query, status, body).map(|(data, _)| data)
}

/// Decodes a query answer (`/api/v1/query_range`, `/api/v1/query`) into series.
pub fn decode_query_response(query: &str, status: u16, body: &[u8]) -> Result<Answer, PromError> {
    let (data, notices) = decode_data::<Data>(query, status, body)?;
    let series = match data {
        Data::Matrix(series) => {
            series.into_iter().map(|s| Series { labels: s.metric, points: s.values }).collect()
        }
        Data::Vector(samples) => samples
            .into_iter()
            .map(|s| Series { labels: s.metric, points: vec![(s.value.0, s.value.1)] })
            .collect(),
        Data::Scalar(sample) | Data::String(sample) => {
            vec![Series { labels: BTreeMap::new(), points: vec![(sample.0, sample.1)] }]
        }
    };
    Ok(Answer { series, notices })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prom;

    #[test]
    fn decodes_a_matrix_with_special_values() {
        let body = r#"{"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"up","job":"p"},"values":[[1700000000,"1"],[1700000015.5,"NaN"],[1700000030,"+Inf"]]}]}}"#;
        let series = decode_query_response("up", 200, body.as_bytes()).expect("decodes").series;
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].labels["job"], "p");
        assert_eq!(series[0].points[0], (1_700_000_000.0, 1.0));
        assert!(series[0].points[1].1.is_nan());
        assert_eq!(series[0].points[2].1, f64::INFINITY);
    }

    #[test]
    fn an_html_page_where_json_belongs_names_the_missing_proxy_location() {
        let page = b"<!DOCTYPE html><html><head><title>promboard</title></head></html>";
        let ok = decode_query_response("up", 200, page).unwrap_err().to_string();
        assert!(ok.contains("no proxy location answers"), "{ok}");
        let not_allowed =
            decode_query_response("up", 405, b"<html><head><title>405 Not Allowed</title></head></html>");
        let PromError::Http { status: 405, body, .. } = not_allowed.unwrap_err() else {
            panic!("an HTTP error")
        };
        assert!(prom::body_suffix_for(405, &body).contains("no proxy location"));
        // A proxy's 502 page says nothing more than its status.
        assert_eq!(prom::body_suffix_for(502, "<html>Bad Gateway</html>"), "");
        let truncated =
            decode_query_response("up", 200, br#"{"status":"success","data":{"resultT"#).unwrap_err();
        assert!(matches!(truncated, PromError::Decode { .. }), "{truncated:?}");
    }

    #[test]
    fn decodes_vector_and_scalar() {
        let body = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"2.5"]}]}}"#;
        assert_eq!(
            decode_query_response("q", 200, body.as_bytes()).expect("vector").series[0].points,
            vec![(1.0, 2.5)]
        );
        let body = r#"{"status":"success","data":{"resultType":"scalar","result":[1,"3"]}}"#;
        assert_eq!(
            decode_query_response("q", 200, body.as_bytes()).expect("scalar").series[0].points,
            vec![(1.0, 3.0)]
        );
    }

    #[test]
    fn api_error_carries_prometheus_message_and_query() {
        let body = r#"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:8: parse error: unclosed left parenthesis"}"#;
        let error = decode_query_response("sum(up", 400, body.as_bytes()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Prometheus rejected the query (bad_data): invalid parameter \"query\": 1:8: parse error: \
             unclosed left parenthesis (query: sum(up)"
        );
    }

    #[test]
    fn any_api_answer_decodes_to_its_data() {
        assert_eq!(
            decode_api_data("labels", 200, br#"{"status":"success","data":["a","b"]}"#),
            Ok(serde_json::json!(["a", "b"]))
        );
        let error =
            decode_api_data("labels", 400, br#"{"status":"error","errorType":"bad_data","error":"x"}"#)
                .unwrap_err();
        assert_eq!(error.to_string(), "Prometheus rejected the query (bad_data): x (query: labels)");
    }

    #[test]
    fn non_json_error_page_is_an_http_error() {
        let error = decode_query_response("up", 502, b"<html>Bad Gateway</html>").unwrap_err();
        assert!(matches!(error, PromError::Http { status: 502, .. }), "{error:?}");
        assert!(error.to_string().contains("HTTP 502"), "{error}");
    }

    #[test]
    fn sample_values_in_go_float_text_and_wrong_shapes() {
        let body = r#"{"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{},"values":[[1,"1e+06"],[2,"-Inf"],[3,"-2.5e-07"]]}]}}"#;
        let points = &decode_query_response("q", 200, body.as_bytes()).expect("decodes").series[0].points;
        assert_eq!(points[0], (1.0, 1e6));
        assert_eq!(points[1].1, f64::NEG_INFINITY);
        assert_eq!(points[2], (3.0, -2.5e-7));
        let wrong =
            r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1]]}]}}"#;
        let error = decode_query_response("q", 200, wrong.as_bytes()).unwrap_err();
        assert!(matches!(error, PromError::Decode { .. }), "{error:?}");
    }

    #[test]
    fn timeouts_are_told_apart() {
        let body =
            br#"{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}"#;
        let error = decode_query_response("q", 503, body).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Prometheus did not answer in time: query timed out in expression evaluation (query: q)"
        );
        let error = decode_query_response("q", 504, b"<html>504 Gateway Time-out</html>").unwrap_err();
        assert!(matches!(error, PromError::Timeout { .. }), "{error:?}");
        assert!(error.to_string().contains("HTTP 504"), "{error}");
    }

    #[test]
    fn warnings_infos_and_partial_answers_are_kept_for_the_panel() {
        let body = r#"{"status":"success","isPartial":true,"warnings":["remote read timed out"],
            "infos":["PromQL info: metric might not be a counter"],
            "data":{"resultType":"vector","result":[]}}"#;
        let answer = decode_query_response("q", 200, body.as_bytes()).expect("decodes");
        assert_eq!(
            answer.notices,
            vec![
                "warning: remote read timed out",
                "info: PromQL info: metric might not be a counter",
                "partial answer: some storage nodes did not respond"
            ]
        );
    }

    #[test]
    fn truncated_success_body_is_a_decode_error() {
        let error = decode_query_response("up", 200, br#"{"status":"success","data":{"#).unwrap_err();
        assert!(matches!(error, PromError::Decode { .. }), "{error:?}");
    }
}
