//! Decodes Prometheus's JSON answers (`/api/v1/query_range`, `/api/v1/query`) into series.

use super::PromError;
use serde::Deserialize;
use std::collections::BTreeMap;

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
    #[serde(default)]
    values: Vec<Sample>,
}

#[derive(Deserialize)]
struct VectorSample {
    metric: BTreeMap<String, String>,
    value: Sample,
}

/// Prometheus writes a sample as `[1700000000.5, "1.25"]`; the value is a string so that NaN and
/// ±Inf survive JSON.
#[derive(Deserialize)]
struct Sample(f64, String);

impl Sample {
    fn point(&self) -> (f64, f64) {
        (self.0, parse_sample_value(&self.1))
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

/// Decodes any API answer to its `data`. `status` is the HTTP status: Prometheus answers errors with
/// 4xx/5xx and a JSON body, and that body's message is what the user needs to see. `query`
/// describes the request in error messages.
pub fn decode_api_data(query: &str, status: u16, body: &str) -> Result<serde_json::Value, PromError> {
    #[derive(Deserialize)]
    struct AnyEnvelope {
        status: String,
        #[serde(default)]
        data: Option<serde_json::Value>,
        #[serde(default, rename = "errorType")]
        error_type: Option<String>,
        #[serde(default)]
        error: Option<String>,
    }
    let envelope: AnyEnvelope = match serde_json::from_str(body) {
        Ok(envelope) => envelope,
        Err(error) if (200..300).contains(&status) => {
            return Err(PromError::Decode { query: query.to_string(), message: error.to_string() });
        }
        Err(_) => {
            return Err(PromError::Http {
                url: String::new(),
                query: query.to_string(),
                status,
                status_text: String::new(),
                body: body.to_string(),
            });
        }
    };
    if envelope.status != "success" {
        return Err(PromError::Api {
            query: query.to_string(),
            error_type: envelope.error_type.unwrap_or_else(|| "unknown".to_string()),
            message: envelope.error.unwrap_or_else(|| format!("status {:?}", envelope.status)),
        });
    }
    envelope.data.ok_or_else(|| PromError::Decode {
        query: query.to_string(),
        message: "no data in a success answer".into(),
    })
}

/// Decodes an answer body. `status` is the HTTP status: Prometheus answers errors with 4xx/5xx and
/// a JSON body, and that body's message is what the user needs to see.
pub fn decode_query_response(query: &str, status: u16, body: &str) -> Result<Vec<Series>, PromError> {
    let data: Data = serde_json::from_value(decode_api_data(query, status, body)?)
        .map_err(|error| PromError::Decode { query: query.to_string(), message: error.to_string() })?;
    Ok(match data {
        Data::Matrix(series) => series
            .into_iter()
            .map(|s| Series { labels: s.metric, points: s.values.iter().map(Sample::point).collect() })
            .collect(),
        Data::Vector(samples) => {
            samples.into_iter().map(|s| Series { labels: s.metric, points: vec![s.value.point()] }).collect()
        }
        Data::Scalar(sample) | Data::String(sample) => {
            vec![Series { labels: BTreeMap::new(), points: vec![sample.point()] }]
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_a_matrix_with_special_values() {
        let body = r#"{"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"up","job":"p"},"values":[[1700000000,"1"],[1700000015.5,"NaN"],[1700000030,"+Inf"]]}]}}"#;
        let series = decode_query_response("up", 200, body).expect("decodes");
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].labels["job"], "p");
        assert_eq!(series[0].points[0], (1_700_000_000.0, 1.0));
        assert!(series[0].points[1].1.is_nan());
        assert_eq!(series[0].points[2].1, f64::INFINITY);
    }

    #[test]
    fn decodes_vector_and_scalar() {
        let body = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"2.5"]}]}}"#;
        assert_eq!(decode_query_response("q", 200, body).expect("vector")[0].points, vec![(1.0, 2.5)]);
        let body = r#"{"status":"success","data":{"resultType":"scalar","result":[1,"3"]}}"#;
        assert_eq!(decode_query_response("q", 200, body).expect("scalar")[0].points, vec![(1.0, 3.0)]);
    }

    #[test]
    fn api_error_carries_prometheus_message_and_query() {
        let body = r#"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:8: parse error: unclosed left parenthesis"}"#;
        let error = decode_query_response("sum(up", 400, body).unwrap_err();
        assert_eq!(
            error.to_string(),
            "Prometheus rejected the query (bad_data): invalid parameter \"query\": 1:8: parse error: \
             unclosed left parenthesis (query: sum(up)"
        );
    }

    #[test]
    fn any_api_answer_decodes_to_its_data() {
        assert_eq!(
            decode_api_data("labels", 200, r#"{"status":"success","data":["a","b"]}"#),
            Ok(serde_json::json!(["a", "b"]))
        );
        let error =
            decode_api_data("labels", 400, r#"{"status":"error","errorType":"bad_data","error":"x"}"#)
                .unwrap_err();
        assert_eq!(error.to_string(), "Prometheus rejected the query (bad_data): x (query: labels)");
    }

    #[test]
    fn non_json_error_page_is_an_http_error() {
        let error = decode_query_response("up", 502, "<html>Bad Gateway</html>").unwrap_err();
        assert!(matches!(error, PromError::Http { status: 502, .. }), "{error:?}");
        assert!(error.to_string().contains("HTTP 502"), "{error}");
    }

    #[test]
    fn truncated_success_body_is_a_decode_error() {
        let error = decode_query_response("up", 200, r#"{"status":"success","data":{"#).unwrap_err();
        assert!(matches!(error, PromError::Decode { .. }), "{error:?}");
    }
}
