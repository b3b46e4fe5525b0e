//! A panel's answers combined: the stage between the Prometheus client (which fetches) and field
//! config (which decides how values look). Every query's series in refId order, the backend's
//! notices, and each failing query's error. A failing query fails alone, as in Grafana: the other
//! queries still draw and the panel says which one failed and why; only when every query failed is
//! the panel in error. [`load_panel`] asks all of a panel's queries at once over the transport it
//! is given ([`crate::prom::api::Transport`]); nothing here knows how requests travel. The
//! dashboard's variables are evaluated the same way ([`variables`]).

pub mod variables;

use crate::datasource::Registry;
use crate::field::{DisplaySeries, Theme, display_series};
use crate::prom::Answer;
use crate::prom::api::{Transport, run_query};
use crate::query::PlannedQuery;
use std::sync::Arc;

/// What loading data depends on besides the queries, given explicitly (never read from globals):
/// the datasources the queries go to and the theme series colours resolve on. The app passes
/// its own (the served datasources, the chosen theme); the CLI and tests pass theirs.
#[derive(Debug, Clone, Copy)]
pub struct Env<'a> {
    pub datasources: &'a Registry,
    pub theme: Theme,
}

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

impl PanelData {
    /// Whether `other` holds the same answer: the same queries, notices and errors, and the same
    /// series sample for sample, bit for bit (so a NaN sample equals itself, which `==` says it
    /// does not). Samples shared with `other` are not walked.
    pub fn same_as(&self, other: &PanelData) -> bool {
        let same_samples = |a: &[(f64, f64)], b: &[(f64, f64)]| {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|(p, q)| p.0.to_bits() == q.0.to_bits() && p.1.to_bits() == q.1.to_bits())
        };
        self.queries == other.queries
            && self.notices == other.notices
            && self.errors == other.errors
            && self.series.len() == other.series.len()
            && self.series.iter().zip(&other.series).all(|(a, b)| {
                a.ref_id == b.ref_id
                    && a.name == b.name
                    && a.labels == b.labels
                    && a.color == b.color
                    && (Arc::ptr_eq(&a.points_ms, &b.points_ms) || same_samples(&a.points_ms, &b.points_ms))
            })
    }
}

/// Combines the answers to `queries` (one each, in the same order); series colours resolve on
/// `theme`.
pub fn combine<E: std::fmt::Display>(
    queries: Vec<PlannedQuery>,
    answers: Vec<Result<Answer, E>>,
    theme: Theme,
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
    Ok(PanelData { series: display_series(results, theme), queries, notices, errors })
}

/// Runs every query of a panel at once (the transport bounds how many go out), each on its own
/// datasource (an unknown uid: the default, as planning already noted), and combines the answers.
pub async fn load_panel(
    transport: &impl Transport,
    env: Env<'_>,
    queries: Vec<PlannedQuery>,
) -> Result<PanelData, String> {
    let datasources = env.datasources;
    let answers = futures::future::join_all(queries.iter().map(|query| {
        let datasource =
            datasources.find(&query.datasource_uid).unwrap_or_else(|| datasources.default_datasource());
        run_query(transport, datasource, query)
    }))
    .await;
    combine(queries, answers, env.theme)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prom::Series;
    use crate::prom::api::testing::{HeldTransport, ok};

    fn query(ref_id: &str) -> PlannedQuery {
        PlannedQuery {
            ref_id: ref_id.into(),
            expr: format!("up_{ref_id}"),
            legend_format: ref_id.into(),
            end_s: 60,
            step_s: 15,
            datasource_uid: "prometheus".into(),
            ..PlannedQuery::default()
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
            Theme::Dark,
        )
        .expect("two queries answered");
        let names: Vec<&str> = data.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["A", "C"]);
        assert_eq!(data.errors, ["B: rejected the query (bad_data): parse error"]);
        assert_eq!(data.notices, ["C: warning: w"]);
        assert_eq!(data.queries.len(), 3, "the plan stays whole for the inspector");
    }

    #[test]
    fn the_same_answer_is_seen_as_such_nan_samples_included() {
        let data =
            |value: f64| combine(vec![query("A")], vec![answer(value, &[])], Theme::Dark).expect("answered");
        assert!(data(f64::NAN).same_as(&data(f64::NAN)), "NaN samples equal themselves here");
        assert!(data(1.0).same_as(&data(1.0)));
        assert!(!data(1.0).same_as(&data(2.0)));
        let mut other_query = data(1.0);
        other_query.queries[0].end_s += 15;
        assert!(!data(1.0).same_as(&other_query), "another range is another answer");
    }

    #[test]
    fn the_panel_is_in_error_only_when_every_query_failed() {
        let error = combine(
            vec![query("A"), query("B")],
            vec![Err::<Answer, _>("HTTP 502"), Err("HTTP 504")],
            Theme::Dark,
        )
        .unwrap_err();
        assert_eq!(error, "A: HTTP 502; B: HTTP 504");
        let empty = combine::<String>(vec![], vec![], Theme::Dark).expect("no queries, no error");
        assert!(empty.series.is_empty() && empty.errors.is_empty());
    }

    #[test]
    fn a_panel_asks_all_its_queries_at_once_and_keeps_each_answer_in_ref_id_order() {
        use futures::task::noop_waker_ref;
        use std::future::Future;
        use std::task::{Context, Poll};
        let transport = HeldTransport::default();
        let registry = Registry::builtin();
        let mut loading = Box::pin(load_panel(
            &transport,
            Env { datasources: &registry, theme: Theme::Dark },
            vec![query("A"), query("B"), query("C")],
        ));
        let mut context = Context::from_waker(noop_waker_ref());
        assert!(loading.as_mut().poll(&mut context).is_pending());
        let held = transport.take();
        assert_eq!(held.len(), 3, "every query is asked before any answer arrives");
        // Answers come back out of order; B's request is given up (a network failure).
        let mut held = held.into_iter();
        let (a, b, c) = (held.next().unwrap(), held.next().unwrap(), held.next().unwrap());
        let form = a.0.form.clone().unwrap_or_default();
        assert!(form.starts_with("query=up_A&"), "{form}");
        let matrix = r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[0,"1"]]}]}}"#;
        c.1.send(ok(matrix)).unwrap();
        drop(b);
        a.1.send(ok(matrix)).unwrap();
        let Poll::Ready(data) = loading.as_mut().poll(&mut context) else { panic!("every answer is in") };
        let data = data.expect("two of three answered");
        let names: Vec<&str> = data.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["A", "C"]);
        assert_eq!(data.errors.len(), 1);
        assert!(
            data.errors[0].starts_with("B: cannot reach Prometheus at /api/v1/query_range"),
            "{:?}",
            data.errors
        );
    }
}
