use super::*;
use crate::prom::PromError;
use crate::prom::api::testing::HeldTransport;
use crate::prom::api::{ApiRequest, ApiResponse, Sending};
use crate::route::percent_decode;
use crate::variables::read_variables;
use serde_json::{Value, json};

/// A transport that answers at once from a table of (URL part → body), recording every URL.
struct TableTransport {
    answers: Vec<(&'static str, u16, &'static str)>,
    asked: RefCell<Vec<String>>,
}

impl TableTransport {
    fn new(answers: Vec<(&'static str, u16, &'static str)>) -> TableTransport {
        TableTransport { answers, asked: RefCell::default() }
    }

    fn asked(&self) -> Vec<String> {
        self.asked.borrow().clone()
    }
}

impl Transport for TableTransport {
    fn send(&self, request: ApiRequest) -> Sending {
        let url = crate::route::percent_decode(&request.url);
        self.asked.borrow_mut().push(url.clone());
        let answer = self.answers.iter().find(|(part, _, _)| url.contains(part)).map(|(_, status, body)| {
            ApiResponse { status: *status, status_text: String::new(), body: body.as_bytes().into() }
        });
        Box::pin(async move {
            answer.ok_or(PromError::Network {
                url: request.shown_url,
                query: request.what,
                message: "no answer".into(),
            })
        })
    }
}

fn variables(list: Value) -> Vec<Variable> {
    read_variables(json!({"templating": {"list": list}}).as_object().expect("object"))
}

const RANGE: TimeRange = TimeRange { from_ms: 1_000_000, to_ms: 4_600_000 };

fn evaluate(
    transport: &TableTransport,
    list: &[Variable],
    requested: Vec<Vec<String>>,
    range: TimeRange,
    cache: &OptionsCache,
) -> Result<Vec<VariableState>, String> {
    futures::executor::block_on(evaluate_variables(
        transport,
        &Registry::builtin(),
        list.to_vec(),
        requested,
        range,
        cache,
    ))
}

fn values(state: &VariableState) -> Vec<&str> {
    state.options.iter().map(|o| o.value.as_str()).collect()
}

const JOBS: &str = r#"{"status":"success","data":["api","db"]}"#;
const INSTANCES: &str = r#"{"status":"success","data":["a:9100","b:9100"]}"#;

fn chained() -> Vec<Variable> {
    variables(json!([
        {"name": "instance", "type": "query", "query": "label_values(up{job=\"$job\"}, instance)", "refresh": 1},
        {"name": "job", "type": "query", "query": "label_values(up, job)", "refresh": 2},
        {"name": "env", "type": "custom", "query": "prod,dev"}
    ]))
}

#[test]
fn variables_are_asked_in_dependency_order_and_kept_in_file_order() {
    let transport =
        TableTransport::new(vec![("/label/job/", 200, JOBS), ("/label/instance/", 200, INSTANCES)]);
    let states =
        evaluate(&transport, &chained(), vec![vec![], vec![], vec![]], RANGE, &OptionsCache::default())
            .unwrap();
    assert_eq!(
        states.iter().map(|s| s.variable.name.as_str()).collect::<Vec<_>>(),
        ["instance", "job", "env"]
    );
    assert_eq!(
        (values(&states[0]), values(&states[1]), values(&states[2])),
        (vec!["a:9100", "b:9100"], vec!["api", "db"], vec!["prod", "dev"])
    );
    let asked = transport.asked();
    assert_eq!(asked.len(), 2, "{asked:?}");
    assert!(asked[0].contains("/api/v1/label/job/values?start=1000&end=4600"), "{asked:?}");
    // `$job` is the first job (nothing saved, nothing asked for) when instance is asked.
    assert!(
        asked[1].contains("/api/v1/label/instance/values?") && asked[1].contains("match[]=up{job=\"api\"}"),
        "{asked:?}"
    );
    // The URL's value wins, and goes into the chained query.
    let transport =
        TableTransport::new(vec![("/label/job/", 200, JOBS), ("/label/instance/", 200, INSTANCES)]);
    let states = evaluate(
        &transport,
        &chained(),
        vec![vec![], vec!["db".into()], vec![]],
        RANGE,
        &OptionsCache::default(),
    )
    .unwrap();
    assert_eq!(states[1].selection.values, ["db"]);
    assert!(transport.asked()[1].contains("job=\"db\""), "{:?}", transport.asked());
}

#[test]
fn options_are_cached_per_page_and_again_by_range_only_for_refresh_on_time_change() {
    let transport =
        TableTransport::new(vec![("/label/job/", 200, JOBS), ("/label/instance/", 200, INSTANCES)]);
    let cache = OptionsCache::default();
    let none = || vec![vec![], vec![], vec![]];
    evaluate(&transport, &chained(), none(), RANGE, &cache).unwrap();
    evaluate(&transport, &chained(), none(), RANGE, &cache).unwrap();
    assert_eq!(transport.asked().len(), 2, "the same page asks once: {:?}", transport.asked());
    // Another range: job (refresh 2) is asked again; instance (refresh 1) is not.
    let later = TimeRange { from_ms: 2_000_000, to_ms: 5_600_000 };
    evaluate(&transport, &chained(), none(), later, &cache).unwrap();
    let asked = transport.asked();
    assert_eq!(asked.len(), 3, "{asked:?}");
    assert!(asked[2].contains("/label/job/values?start=2000&end=5600"), "{asked:?}");
    // Another job changes instance's query, so it is asked again.
    evaluate(&transport, &chained(), vec![vec![], vec!["db".into()], vec![]], later, &cache).unwrap();
    assert_eq!(transport.asked().len(), 4, "{:?}", transport.asked());
    assert_eq!(
        options_cache_key("job", "prometheus", "label_values(up, job)", 1, RANGE),
        options_cache_key("job", "prometheus", "label_values(up, job)", 1, later),
        "refresh on load: the range is not part of the key"
    );
}

#[test]
fn a_variable_that_cannot_load_fails_alone_and_says_why() {
    let transport = TableTransport::new(vec![
        ("/label/job/", 500, r#"{"status":"error","errorType":"internal","error":"boom"}"#),
        ("/label/instance/", 200, INSTANCES),
    ]);
    let states =
        evaluate(&transport, &chained(), vec![vec![], vec![], vec![]], RANGE, &OptionsCache::default())
            .unwrap();
    let error = states[1].error.clone().unwrap_or_default();
    assert!(error.contains("variable job") && error.contains("boom"), "{error}");
    assert!(states[1].options.is_empty() && states[0].error.is_none() && values(&states[0]).len() == 2);
    // A datasource promboard cannot query is named, and nothing is asked of it.
    let loki = variables(json!([{"name": "x", "type": "query", "query": "label_values(job)",
                                 "datasource": {"type": "loki", "uid": "logs"}}]));
    let registry = Registry::from_provisioning(
        "apiVersion: 1\ndatasources:\n  - name: Prometheus\n    uid: prometheus\n    type: prometheus\n    url: /\n    isDefault: true\n  - name: Logs\n    uid: logs\n    type: loki\n    url: /loki\n",
    )
    .unwrap();
    let transport = TableTransport::new(vec![]);
    let states = futures::executor::block_on(evaluate_variables(
        &transport,
        &registry,
        loki,
        vec![vec![]],
        RANGE,
        &OptionsCache::default(),
    ))
    .unwrap();
    assert!(
        states[0].error.as_deref().is_some_and(|e| e.contains("\"Logs\" is of type \"loki\"")),
        "{:?}",
        states[0].error
    );
    assert!(transport.asked().is_empty());
}

#[test]
fn cycles_fail_the_evaluation_and_ad_hoc_filters_come_from_the_url() {
    let cyclic = variables(json!([
        {"name": "a", "type": "query", "query": "label_values(x{b=\"$b\"}, a)"},
        {"name": "b", "type": "query", "query": "label_values(x{a=\"$a\"}, b)"}
    ]));
    let transport = TableTransport::new(vec![]);
    let error =
        evaluate(&transport, &cyclic, vec![vec![], vec![]], RANGE, &OptionsCache::default()).unwrap_err();
    assert!(error.contains('a') && error.contains('b'), "{error}");
    let adhoc = variables(
        json!([{"name": "f", "type": "adhoc", "filters": [{"key": "job", "operator": "=", "value": "api"}]}]),
    );
    let from_file = evaluate(&transport, &adhoc, vec![vec![]], RANGE, &OptionsCache::default()).unwrap();
    assert_eq!(from_file[0].adhoc.len(), 1);
    let from_url = evaluate(
        &transport,
        &adhoc,
        vec![vec!["instance|!=|a".into(), "x".into()]],
        RANGE,
        &OptionsCache::default(),
    )
    .unwrap();
    assert_eq!(
        from_url[0].adhoc,
        [AdhocFilter { key: "instance".into(), operator: "!=".into(), value: "a".into() }]
    );
    assert!(transport.asked().is_empty());
}

#[test]
fn variables_that_do_not_depend_on_each_other_are_asked_at_once() {
    use futures::task::noop_waker_ref;
    use std::future::Future;
    use std::task::{Context, Poll};
    let list = variables(json!([
        {"name": "job", "type": "query", "query": "label_values(up, job)"},
        {"name": "cpu", "type": "query", "query": "label_values(node_cpu_seconds_total, cpu)"},
        {"name": "instance", "type": "query", "query": "label_values(up{job=\"$job\"}, instance)"}
    ]));
    let (transport, registry, cache) =
        (HeldTransport::default(), Registry::builtin(), OptionsCache::default());
    let mut evaluating = Box::pin(evaluate_variables(
        &transport,
        &registry,
        list,
        vec![vec![], vec![], vec![]],
        RANGE,
        &cache,
    ));
    let mut context = Context::from_waker(noop_waker_ref());
    let answer =
        |body: &str| ApiResponse { status: 200, status_text: "OK".into(), body: body.as_bytes().into() };
    assert!(evaluating.as_mut().poll(&mut context).is_pending());
    let first: Vec<(String, _)> = transport
        .take()
        .into_iter()
        .map(|(request, sender)| (percent_decode(&request.url), sender))
        .collect();
    let asked: Vec<&str> = first.iter().map(|(url, _)| url.as_str()).collect();
    assert!(
        asked.len() == 2 && asked[0].contains("/label/job/") && asked[1].contains("/label/cpu/"),
        "job and cpu together, instance after job: {asked:?}"
    );
    for (url, sender) in first {
        let body =
            if url.contains("/label/job/") { JOBS } else { r#"{"status":"success","data":["0","1"]}"# };
        sender.send(answer(body)).unwrap();
    }
    assert!(evaluating.as_mut().poll(&mut context).is_pending());
    let second: Vec<(String, _)> = transport
        .take()
        .into_iter()
        .map(|(request, sender)| (percent_decode(&request.url), sender))
        .collect();
    assert!(
        second.len() == 1 && second[0].0.contains("job=\"api\""),
        "{:?}",
        second.iter().map(|s| &s.0).collect::<Vec<_>>()
    );
    for (_, sender) in second {
        sender.send(answer(INSTANCES)).unwrap();
    }
    let Poll::Ready(states) = evaluating.as_mut().poll(&mut context) else { panic!("every answer is in") };
    let states = states.unwrap();
    assert_eq!(states.iter().map(|s| s.options.len()).collect::<Vec<_>>(), [2, 2, 2]);
}
