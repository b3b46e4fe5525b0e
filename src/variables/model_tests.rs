use super::*;
use crate::datasource::Registry;
use crate::variables::AdhocFilter;
use serde_json::json;

fn variables(list: Value) -> Vec<Variable> {
    read_variables(json!({"templating": {"list": list}}).as_object().expect("object"))
}

fn values(options: &[VariableOption]) -> Vec<&str> {
    options.iter().map(|o| o.value.as_str()).collect()
}

#[test]
fn reads_every_kind_and_option() {
    let vars = variables(json!([
        {"name": "job", "type": "query", "query": {"query": "label_values(up, job)", "refId": "A"}, "refresh": 2,
         "datasource": {"type": "prometheus", "uid": "${ds}"},
         "multi": true, "includeAll": true, "allValue": ".*", "regex": "/(.*)/", "sort": 1,
         "current": {"text": ["a"], "value": ["a", "b"]}},
        {"name": "env", "type": "custom", "query": "prod : production, dev\\,test", "label": "Environment"},
        {"name": "c", "type": "constant", "query": "42", "hide": 2},
        {"type": "query"},
        {"name": "x", "type": "adhoc", "filters": [{"key": "job", "operator": "!=", "value": "a"}, {"key": ""}]},
        {"name": "ds", "type": "datasource", "query": "prometheus", "current": {"value": "my-prom"}}
    ]));
    assert_eq!(vars.len(), 5, "a variable without a name is skipped");
    assert_eq!(
        vars[0].kind,
        VariableKind::Query {
            query: "label_values(up, job)".into(),
            refresh: 2,
            datasource: json!({"type": "prometheus", "uid": "${ds}"})
        }
    );
    assert!(vars[0].multi && vars[0].include_all);
    assert_eq!(vars[0].all_value.as_deref(), Some(".*"));
    assert_eq!(vars[0].saved, vec!["a", "b"]);
    assert_eq!(vars[1].label, "Environment");
    let env = static_options(&vars[1], &Registry::builtin());
    assert_eq!(
        env,
        vec![
            VariableOption { text: "prod".into(), value: "production".into() },
            VariableOption { text: "dev,test".into(), value: "dev,test".into() },
        ]
    );
    assert_eq!(
        static_options(&vars[2], &Registry::builtin()),
        vec![VariableOption { text: "42".into(), value: "42".into() }]
    );
    assert_eq!(
        vars[3].kind,
        VariableKind::Adhoc {
            filters: vec![AdhocFilter { key: "job".into(), operator: "!=".into(), value: "a".into() }]
        }
    );
    let datasource = static_options(&vars[4], &Registry::builtin());
    assert_eq!(values(&datasource), vec!["Prometheus"]);
    // A saved datasource this app does not know falls back to the one it has.
    assert_eq!(resolve_selection(&vars[4], &datasource, &vars[4].saved).values, vec!["Prometheus"]);
}

#[test]
fn chained_variables_are_ordered_and_cycles_named() {
    let vars = variables(json!([
        {"name": "instance", "type": "query", "query": "label_values(up{job=\"$job\"}, instance)"},
        {"name": "job", "type": "query", "query": "label_values(up, job)"},
        {"name": "free", "type": "custom", "query": "a"}
    ]));
    assert_eq!(evaluation_order(&vars), Ok(vec![1, 0, 2]));
    let cyclic = variables(json!([
        {"name": "a", "type": "query", "query": "label_values(x{b=\"$b\"}, a)"},
        {"name": "b", "type": "query", "query": "label_values(x{a=\"${a}\"}, b)"}
    ]));
    assert_eq!(
        evaluation_order(&cyclic),
        Err(VariableError::Cycle(vec!["a".into(), "b".into(), "a".into()]))
    );
    assert_eq!(
        evaluation_order(&cyclic).unwrap_err().to_string(),
        "template variables depend on each other in a cycle: a → b → a"
    );
}

#[test]
fn regex_filters_captures_and_sorts() {
    let mut var =
        variables(json!([{"name": "v", "type": "query", "query": "x", "regex": "/node-(\\d+)/", "sort": 3}]))
            .remove(0);
    let options =
        refine_options(&var, vec!["node-10".into(), "db-1".into(), "node-9".into(), "node-10".into()])
            .expect("valid");
    assert_eq!(values(&options), vec!["9", "10"]);
    var.regex = "/(?<text>[a-z]+)-(?<value>\\d+)/".into();
    var.sort = 0;
    let options = refine_options(&var, vec!["node-10".into()]).expect("valid");
    assert_eq!(options, vec![VariableOption { text: "node".into(), value: "10".into() }]);
    var.regex = "/(".into();
    assert!(matches!(refine_options(&var, vec![]), Err(VariableError::Regex { .. })));
}

#[test]
fn sort_modes() {
    let options = |texts: &[&str]| {
        texts.iter().map(|t| VariableOption { text: t.to_string(), value: t.to_string() }).collect::<Vec<_>>()
    };
    let sorted = |sort: i64| {
        let mut list = options(&["b10", "B2", "a1", "b9"]);
        sort_options(&mut list, sort);
        list.into_iter().map(|o| o.text).collect::<Vec<_>>()
    };
    assert_eq!(sorted(0), vec!["b10", "B2", "a1", "b9"]);
    assert_eq!(sorted(1), vec!["B2", "a1", "b10", "b9"]);
    assert_eq!(sorted(2), vec!["b9", "b10", "a1", "B2"]);
    assert_eq!(sorted(3), vec!["a1", "B2", "b9", "b10"]);
    assert_eq!(sorted(5), vec!["a1", "b10", "B2", "b9"]);
    assert_eq!(sorted(7), vec!["a1", "B2", "b9", "b10"]);
    assert_eq!(sorted(8), vec!["b10", "b9", "B2", "a1"]);
}

#[test]
fn selection_from_url_file_or_fallback() {
    let vars = variables(json!([
        {"name": "one", "type": "custom", "query": "a,b,c"},
        {"name": "many", "type": "custom", "query": "a,b,c", "multi": true, "includeAll": true}
    ]));
    let options = static_options(&vars[0], &Registry::builtin());
    let pick = |var: &Variable, requested: &[&str]| {
        let requested: Vec<String> = requested.iter().map(|r| r.to_string()).collect();
        let selection = resolve_selection(var, &options, &requested);
        (selection.values, selection.is_all)
    };
    assert_eq!(pick(&vars[0], &["b"]), (vec!["b".to_string()], false));
    assert_eq!(pick(&vars[0], &["zzz"]), (vec!["a".to_string()], false), "unknown → first option");
    assert_eq!(pick(&vars[0], &["b", "c"]), (vec!["b".to_string()], false), "single-value keeps one");
    assert_eq!(pick(&vars[1], &["c", "a"]), (vec!["c".to_string(), "a".to_string()], false));
    assert_eq!(pick(&vars[1], &["$__all"]), (vec!["a".to_string(), "b".to_string(), "c".to_string()], true));
    assert!(pick(&vars[1], &[]).1, "an All-capable variable defaults to All");
}

#[test]
fn auto_interval_follows_grafana() {
    // 24 h / 30 = 48 min → rounds to 1 h; the minimum does not bite.
    assert_eq!(auto_interval(86_400_000, 30, "10s"), "1h");
    assert_eq!(auto_interval(300_000, 30, "1m"), "1m");
}

#[test]
fn a_query_variable_on_a_datasource_variable_is_evaluated_after_it() {
    let vars = variables(json!([
        {"name": "job", "type": "query", "query": "label_values(up, job)", "datasource": {"uid": "${ds}"}},
        {"name": "ds", "type": "datasource", "query": "prometheus"}
    ]));
    assert_eq!(evaluation_order(&vars).expect("no cycle"), vec![1, 0]);
}

#[test]
fn datasource_variables_list_configured_datasources_of_their_type_through_their_regex() {
    let registry = Registry::from_provisioning(
        "datasources:\n  - name: Prod\n  - name: Staging\n  - name: Logs\n    type: loki\n",
    )
    .expect("provisioning");
    let vars = variables(json!([
        {"name": "ds", "type": "datasource", "query": "prometheus"},
        {"name": "prod", "type": "datasource", "query": "prometheus", "regex": "/^Prod/"},
        {"name": "logs", "type": "datasource", "query": "loki"}
    ]));
    let names = |index: usize| {
        static_options(&vars[index], &registry).into_iter().map(|o| o.value).collect::<Vec<_>>()
    };
    assert_eq!(names(0), ["Prod", "Staging"]);
    assert_eq!(names(1), ["Prod"]);
    assert_eq!(names(2), ["Logs"]);
}
