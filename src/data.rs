//! A panel's answers combined: the stage between the Prometheus client (which fetches) and field
//! config (which decides how values look). Every query's series in refId order, the backend's
//! notices, and each failing query's error. A failing query fails alone, as in Grafana: the other
//! queries still draw and the panel says which one failed and why; only when every query failed is
//! the panel in error. Pure: the answers come in, nothing is fetched here.

use crate::field::{DisplaySeries, display_series};
use crate::prom::Answer;
use crate::query::PlannedQuery;

/// The queries of one panel and what came back.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelData {
    pub queries: Vec<PlannedQuery>,
    pub series: Vec<DisplaySeries>,
    /// The backend's warnings, infos and partial-answer notices, as `refId: notice`.
    pub notices: Vec<String>,
    /// The queries that failed while others answered, as `refId: error`.
    pub errors: Vec<String>,
}

/// Combines the answers to `queries` (one each, in the same order).
pub fn combine<E: std::fmt::Display>(
    queries: Vec<PlannedQuery>,
    answers: Vec<Result<Answer, E>>,
) -> Result<PanelData, String> {
    let mut results = Vec::with_capacity(queries.len());
    let mut notices = Vec::new();
    let mut errors = Vec::new();
    for (query, answer) in queries.iter().zip(answers) {
        match answer {
            Ok(answer) => {
                notices
                    .extend(answer.notices.into_iter().map(|notice| format!("{}: {notice}", query.ref_id)));
                results.push((query.clone(), answer.series));
            }
            Err(error) => errors.push(format!("{}: {error}", query.ref_id)),
        }
    }
    if results.is_empty() && !errors.is_empty() {
        return Err(errors.join("; "));
    }
    Ok(PanelData { series: display_series(results), queries, notices, errors })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prom::Series;

    fn query(ref_id: &str) -> PlannedQuery {
        PlannedQuery {
            ref_id: ref_id.into(),
            expr: format!("up_{ref_id}"),
            legend_format: ref_id.into(),
            start_s: 0,
            end_s: 60,
            step_s: 15,
            instant_at: None,
            datasource_uid: "prometheus".into(),
            datasource_note: None,
        }
    }

    fn answer(value: f64, notices: &[&str]) -> Result<Answer, String> {
        Ok(Answer {
            series: vec![Series { labels: Default::default(), points: vec![(0.0, value)] }],
            notices: notices.iter().map(|n| n.to_string()).collect(),
        })
    }

    #[test]
    fn a_failing_query_fails_alone() {
        let data = combine(
            vec![query("A"), query("B"), query("C")],
            vec![
                answer(1.0, &[]),
                Err("rejected the query (bad_data): parse error".into()),
                answer(3.0, &["warning: w"]),
            ],
        )
        .expect("two queries answered");
        let names: Vec<&str> = data.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["A", "C"]);
        assert_eq!(data.errors, ["B: rejected the query (bad_data): parse error"]);
        assert_eq!(data.notices, ["C: warning: w"]);
        assert_eq!(data.queries.len(), 3, "the plan stays whole for the inspector");
    }

    #[test]
    fn the_panel_is_in_error_only_when_every_query_failed() {
        let error =
            combine(vec![query("A"), query("B")], vec![Err::<Answer, _>("HTTP 502"), Err("HTTP 504")])
                .unwrap_err();
        assert_eq!(error, "A: HTTP 502; B: HTTP 504");
        let empty = combine::<String>(vec![], vec![]).expect("no queries, no error");
        assert!(empty.series.is_empty() && empty.errors.is_empty());
    }
}
