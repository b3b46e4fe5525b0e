//! Annotation events from Prometheus, as Grafana's Prometheus datasource makes them
//! (`annotationQuery` / `processAnnotationResponse`): one range query per annotation with its
//! `step`, samples with a value above zero, samples no more than one step apart merged into a
//! region, titles and texts from `{{label}}` formats, tags from `tagKeys`, and `useValueForTime`.
//! All of a dashboard's annotations are asked at once over the transport given (the data layer's,
//! [`crate::prom::api`]); each failing one fails alone. Pure: no clock, no globals.

use crate::datasource::Registry;
use crate::interval::parse_duration_ms;
use crate::prom::Series;
use crate::prom::api::{Transport, run_query};
use crate::query::{PlannedQuery, series_name};
use crate::sorting;
use crate::time::{TimeRange, format_local_datetime};
use crate::variables::{Replacement, interpolate};
use crate::view::annotations::AnnotationQuery;

/// One event: a point (`end_ms == start_ms`) or a region, from annotation `source` (its index in
/// the dashboard's list).
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotationEvent {
    pub source: usize,
    pub start_ms: f64,
    pub end_ms: f64,
    pub title: String,
    pub text: String,
    pub tags: Vec<String>,
}

impl AnnotationEvent {
    pub fn is_region(&self) -> bool {
        self.end_ms > self.start_ms
    }

    /// What hovering its marker shows, one item a line: the time (– end, for a region) in the
    /// dashboard's zone, the title, the text and the tags; empty items are left out.
    pub fn tooltip(&self, utc_offset_minutes: i32) -> String {
        let mut time = format_local_datetime(self.start_ms as i64, utc_offset_minutes);
        if self.is_region() {
            time.push_str(&format!(" – {}", format_local_datetime(self.end_ms as i64, utc_offset_minutes)));
        }
        let tags = self.tags.join(", ");
        [time, self.title.clone(), self.text.clone(), tags]
            .into_iter()
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The annotation's step in ms (Grafana's default 60 s for one it cannot read).
pub fn step_ms(annotation: &AnnotationQuery) -> i64 {
    parse_duration_ms(&annotation.step).filter(|step| *step > 0).unwrap_or(60_000)
}

/// The range query an annotation sends over `range`: its expression with the dashboard's variables,
/// on its datasource, at its step (start aligned to it, as Grafana aligns queries).
pub fn plan(
    source: usize,
    annotation: &AnnotationQuery,
    range: TimeRange,
    datasources: &Registry,
    variables: &dyn Fn(&str) -> Option<Replacement>,
) -> PlannedQuery {
    let step_s = (step_ms(annotation) / 1000).max(1);
    let start_s = range.from_ms.div_euclid(1000);
    let resolved = datasources.resolve(Some(&annotation.datasource), &|text| interpolate(text, variables));
    PlannedQuery {
        ref_id: format!("Anno{source}"),
        expr: interpolate(&annotation.expr, variables),
        start_s: start_s - start_s.rem_euclid(step_s),
        end_s: range.to_ms.div_euclid(1000),
        step_s,
        datasource_uid: resolved.datasource.uid.clone(),
        ..PlannedQuery::default()
    }
}

/// The events in an answer (Grafana's processAnnotationResponse).
pub fn events(source: usize, annotation: &AnnotationQuery, series: &[Series]) -> Vec<AnnotationEvent> {
    let step = step_ms(annotation) as f64;
    let format = |template: &str, series: &Series| {
        if template.is_empty() {
            String::new()
        } else {
            series_name(template, &series.labels, &annotation.expr)
        }
    };
    let mut found = Vec::new();
    for series in series {
        let active = series.points.iter().filter_map(|&(time_s, value)| {
            if annotation.use_value_for_time {
                value.is_finite().then(|| value.floor())
            } else {
                (value > 0.0).then(|| (time_s * 1000.0).floor())
            }
        });
        let tags: Vec<String> = annotation
            .tag_keys
            .iter()
            .filter_map(|key| series.labels.get(key))
            .filter(|value| !value.is_empty())
            .cloned()
            .collect();
        let mut open: Option<AnnotationEvent> = None;
        for time in active {
            if let Some(event) = open.as_mut()
                && event.end_ms + step >= time
            {
                event.end_ms = time;
                continue;
            }
            found.extend(open.take());
            open = Some(AnnotationEvent {
                source,
                start_ms: time,
                end_ms: time,
                title: format(&annotation.title_format, series),
                text: format(&annotation.text_format, series),
                tags: tags.clone(),
            });
        }
        found.extend(open);
    }
    sorting::sort_by(&mut found, |a, b| a.start_ms.total_cmp(&b.start_ms));
    found
}

/// Every enabled annotation that runs here, asked at once: each one's events, or its error named
/// by the annotation's name.
pub async fn load(
    transport: &impl Transport,
    datasources: &Registry,
    annotations: &[(usize, AnnotationQuery)],
    range: TimeRange,
    variables: &dyn Fn(&str) -> Option<Replacement>,
) -> Vec<Result<Vec<AnnotationEvent>, String>> {
    let asked = annotations.iter().map(|(source, annotation)| {
        let query = plan(*source, annotation, range, datasources, variables);
        async move {
            let datasource =
                datasources.find(&query.datasource_uid).unwrap_or_else(|| datasources.default_datasource());
            if !datasource.is_prometheus() {
                return Err(format!(
                    "annotation {:?}: datasource {:?} is of type {:?}; promboard runs Prometheus annotations only",
                    annotation.name, datasource.name, datasource.type_name
                ));
            }
            run_query(transport, datasource, &query)
                .await
                .map(|answer| events(*source, annotation, &answer.series))
                .map_err(|error| format!("annotation {:?}: {error}", annotation.name))
        }
    });
    futures::future::join_all(asked).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prom::api::fake::FakeTransport;
    use crate::view::annotations::read_annotations;
    use futures::executor::block_on;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn annotation(entry: serde_json::Value) -> AnnotationQuery {
        let dashboard = json!({"annotations": {"list": [entry]}});
        read_annotations(dashboard.as_object().unwrap()).remove(0)
    }

    fn series(labels: &[(&str, &str)], points: &[(f64, f64)]) -> Series {
        Series {
            labels: labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>(),
            points: points.to_vec(),
        }
    }

    #[test]
    fn samples_above_zero_within_a_step_merge_into_regions() {
        let restarts = annotation(json!({"expr": "x", "step": "30s", "titleFormat": "{{job}} down",
            "textFormat": "on {{instance}}", "tagKeys": "job,missing", "name": "r"}));
        let answer = [series(
            &[("job", "api"), ("instance", "a:1")],
            // 0 and NaN do not count; 60 → 90 is one step apart, 90 → 150 is two.
            &[(0.0, 0.0), (30.0, f64::NAN), (60.0, 1.0), (90.0, 2.0), (150.0, 1.0), (180.0, 0.0)],
        )];
        let found = events(2, &restarts, &answer);
        assert_eq!(
            found,
            [
                AnnotationEvent {
                    source: 2,
                    start_ms: 60_000.0,
                    end_ms: 90_000.0,
                    title: "api down".into(),
                    text: "on a:1".into(),
                    tags: vec!["api".into()],
                },
                AnnotationEvent {
                    source: 2,
                    start_ms: 150_000.0,
                    end_ms: 150_000.0,
                    title: "api down".into(),
                    text: "on a:1".into(),
                    tags: vec!["api".into()],
                },
            ]
        );
        assert!(found[0].is_region() && !found[1].is_region());
        assert_eq!(found[0].tooltip(60), "1970-01-01 01:01:00 – 1970-01-01 01:01:30\napi down\non a:1\napi");
        let bare = AnnotationEvent {
            title: String::new(),
            text: String::new(),
            tags: Vec::new(),
            ..found[1].clone()
        };
        assert_eq!(bare.tooltip(0), "1970-01-01 00:02:30");
    }

    #[test]
    fn use_value_for_time_takes_the_sample_value_as_the_time() {
        let deploys = annotation(json!({"expr": "deploy_time_ms", "useValueForTime": true, "step": "1m"}));
        let found =
            events(0, &deploys, &[series(&[], &[(10.0, 1_700_000_000_123.7), (20.0, 1_700_000_000_123.7)])]);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].start_ms, found[0].end_ms), (1_700_000_000_123.0, 1_700_000_000_123.0));
        assert_eq!(found[0].title, "", "no title format, no title");
    }

    #[test]
    fn annotations_are_asked_at_their_step_and_fail_alone() {
        let restarts = annotation(json!({"expr": "up{job=\"$job\"} == 0", "step": "2m", "name": "Down"}));
        let broken = annotation(json!({"expr": "broken(", "name": "Broken"}));
        let transport = FakeTransport::answering(&[(
            "/api/v1/query_range",
            200,
            r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[120,"1"]]}]}}"#,
        )]);
        let registry = Registry::builtin();
        let variables = |name: &str| (name == "job").then(|| Replacement::Plain("api".into()));
        let range = TimeRange { from_ms: 100_000, to_ms: 400_000 };
        let loaded = block_on(load(&transport, &registry, &[(0, restarts), (1, broken)], range, &variables));
        assert_eq!(loaded[0].as_ref().map(Vec::len), Ok(1));
        let form = transport.sent.borrow()[0].form.clone().unwrap();
        assert_eq!(form, "query=up%7Bjob%3D%22api%22%7D%20%3D%3D%200&start=0&end=400&step=120");
        let with_logs = Registry::from_provisioning("datasources:\n  - name: Logs\n    uid: logs\n    type: loki\n  - name: Main\n    isDefault: true\n").unwrap();
        let by_name = annotation(json!({"expr": "x", "name": "On logs", "datasource": "Logs"}));
        let refused = block_on(load(&transport, &with_logs, &[(4, by_name)], range, &variables));
        assert_eq!(
            refused[0].as_ref().unwrap_err(),
            "annotation \"On logs\": datasource \"Logs\" is of type \"loki\"; promboard runs Prometheus annotations only"
        );
        let no_answer = FakeTransport::default();
        let failed = block_on(load(
            &no_answer,
            &registry,
            &[(3, annotation(json!({"expr": "x", "name": "Down"})))],
            range,
            &variables,
        ));
        assert!(
            failed[0].as_ref().unwrap_err().starts_with("annotation \"Down\": cannot reach Prometheus"),
            "{failed:?}"
        );
    }
}
