use super::*;
use crate::variables::Replacement;
use crate::view::{GridPos, PanelKind};

fn panel(min_interval: &str, targets: Vec<TargetView>) -> PanelView {
    PanelView {
        id: 1,
        kind: PanelKind::TimeSeries,
        type_name: "timeseries".into(),
        title: "t".into(),
        grid_pos: GridPos { x: 0, y: 0, w: 12, h: 8 },
        targets,
        min_interval: min_interval.into(),
        max_data_points: None,
        options: serde_json::Value::Null.into(),
        field_config: serde_json::Value::Null.into(),
        field_defaults: serde_json::Value::Null.into(),
        transformations: serde_json::Value::Null.into(),
        unit: String::new(),
        decimals: None,
        time_from: String::new(),
        time_shift: String::new(),
        hide_time_override: false,
        json_path: "panels[0]".into(),
        links: vec![],
        datasource: serde_json::Value::Null,
        children: vec![],
        repeat: None,
        content_hash: 0,
    }
}

fn target(expr: &str, min_interval: &str) -> TargetView {
    TargetView {
        ref_id: "A".into(),
        expr: expr.into(),
        legend_format: String::new(),
        min_interval: min_interval.into(),
        instant: false,
        both: false,
        format: "time_series".into(),
        hide: false,
        interval_factor: 1,
        datasource: serde_json::Value::Null,
    }
}

fn plan_panel_queries_without_variables(
    panel: &PanelView,
    context: &PlanContext,
) -> Result<Vec<PlannedQuery>, PlanError> {
    plan_panel_queries(panel, context, &|_| None, &[])
}

static BUILTIN: std::sync::LazyLock<Registry> = std::sync::LazyLock::new(Registry::builtin);

fn context(range_ms: i64, width: u32) -> PlanContext<'static> {
    // An hour-aligned "to" so that alignment is visible only where the step does not divide it.
    let to_ms = 1_767_229_200_000;
    PlanContext {
        datasources: &BUILTIN,
        range: TimeRange { from_ms: to_ms - range_ms, to_ms },
        panel_width_px: width,
        scrape_interval_ms: DEFAULT_SCRAPE_INTERVAL_MS,
    }
}

#[test]
fn six_hours_on_a_wide_panel_steps_by_20s() {
    // 21,600,000 ms / 1000 px = 21.6 s → roundInterval → 20 s (≥ 15 s scrape).
    let plan = plan_panel_queries_without_variables(
        &panel("", vec![target("rate(x[$__rate_interval])", "")]),
        &context(21_600_000, 1000),
    )
    .expect("plans");
    assert_eq!(plan[0].step_s, 20);
    // $__rate_interval = max(20 s + 15 s, 60 s) = 60 s, printed the Go way.
    assert_eq!(plan[0].expr, "rate(x[1m0s])");
    assert_eq!(plan[0].end_s - plan[0].start_s, 21_600);
    assert_eq!(plan[0].start_s % 20, 0);
}

#[test]
fn short_range_is_floored_at_the_scrape_interval() {
    let plan = plan_panel_queries_without_variables(
        &panel("", vec![target("x[$__interval]", "")]),
        &context(300_000, 1000),
    )
    .expect("plans");
    assert_eq!(plan[0].step_s, 15);
    assert_eq!(plan[0].expr, "x[15s]");
}

#[test]
fn min_step_of_the_target_and_min_interval_of_the_panel() {
    let plan =
        plan_panel_queries_without_variables(&panel("", vec![target("x", "1m")]), &context(3_600_000, 1000))
            .expect("plans");
    assert_eq!(plan[0].step_s, 60);
    let plan =
        plan_panel_queries_without_variables(&panel(">2m", vec![target("x", "")]), &context(3_600_000, 1000))
            .expect("plans");
    assert_eq!(plan[0].step_s, 120);
}

#[test]
fn never_more_than_the_safe_resolution() {
    // 30 days over 20,000 points would be a 2 min step; 11,000 points caps it at round(235 s) = 5 m.
    let mut wide = panel("", vec![target("x", "")]);
    wide.max_data_points = Some(20_000);
    let plan = plan_panel_queries_without_variables(&wide, &context(30 * 86_400_000, 1000)).expect("plans");
    assert_eq!(plan[0].step_s, 300);
}

#[test]
fn start_and_end_are_aligned_down_to_the_step() {
    let mut ctx = context(3_600_000, 1000);
    ctx.range.from_ms += 7_000;
    ctx.range.to_ms += 7_000;
    let plan = plan_panel_queries_without_variables(&panel("", vec![target("x", "")]), &ctx).expect("plans");
    assert_eq!(plan[0].step_s, 15);
    assert_eq!((plan[0].start_s % 15, plan[0].end_s % 15), (0, 0));
    assert_eq!(plan[0].end_s, 1_767_229_200);
}

#[test]
fn hidden_and_empty_targets_are_not_planned() {
    let mut hidden = target("up", "");
    hidden.hide = true;
    let plan = plan_panel_queries_without_variables(
        &panel("", vec![hidden, target("  ", ""), target("up", "")]),
        &context(3_600_000, 800),
    )
    .expect("plans");
    assert_eq!(plan.len(), 1);
}

#[test]
fn bad_min_interval_names_the_query() {
    let error =
        plan_panel_queries_without_variables(&panel("", vec![target("x", "fast")]), &context(3_600_000, 800))
            .unwrap_err();
    assert_eq!(error.to_string(), "query A: min interval \"fast\" is not a duration like 15s or 1m");
}

#[test]
fn dashboard_variables_are_interpolated_with_the_builtins() {
    use crate::variables::SelectionValue;
    let job = SelectionValue {
        values: vec!["api".into(), "db".into()],
        texts: vec!["api".into(), "db".into()],
        multi: true,
        name: "job".into(),
        ..SelectionValue::default()
    };
    let lookup = move |name: &str| match name {
        "job" => Some(Replacement::Selection(job.clone())),
        "res" => Some(Replacement::Plain("2m".into())),
        _ => None,
    };
    let mut p = panel("", vec![target("sum(rate(x{job=~\"$job\"}[$__rate_interval]))", "$res")]);
    p.targets[0].legend_format = "{{job}}".into();
    let filters = [AdhocFilter { key: "env".into(), operator: "=".into(), value: "prod".into() }];
    let plan = plan_panel_queries(&p, &context(3_600_000, 1000), &lookup, &filters).expect("plans");
    assert_eq!(plan[0].expr, "sum(rate(x{job=~\"(api|db)\",env=\"prod\"}[8m0s]))");
    assert_eq!(plan[0].step_s, 120, "the min step came from a variable");
}

#[test]
fn instant_targets_query_the_end_of_the_range() {
    let mut instant = target("up", "");
    instant.instant = true;
    let ctx = context(3_600_000, 1000);
    let plan = plan_panel_queries_without_variables(&panel("", vec![instant, target("up", "")]), &ctx)
        .expect("plans");
    assert_eq!(plan[0].instant_at, Some(ctx.range.to_ms / 1000));
    assert_eq!(plan[1].instant_at, None);
}

#[test]
fn interval_factor_multiplies_the_step() {
    let mut doubled = target("x[$__interval]", "");
    doubled.interval_factor = 2;
    let plan = plan_panel_queries_without_variables(&panel("", vec![doubled]), &context(3_600_000, 1000))
        .expect("plans");
    assert_eq!(plan[0].step_s, 30);
    assert_eq!(plan[0].expr, "x[30s]");
}

#[test]
fn queries_go_to_the_panels_datasource_or_each_their_own_in_a_mixed_panel() {
    let registry = Registry::from_provisioning(
        "datasources:\n  - name: Main\n    uid: main\n    isDefault: true\n  - name: Tenant\n    uid: tenant\n    url: /t/prometheus\n    jsonData: {timeInterval: 1m}\n  - name: Logs\n    type: loki\n",
    )
    .expect("provisioning");
    let context = PlanContext {
        datasources: &registry,
        range: TimeRange { from_ms: 0, to_ms: 3_600_000 },
        panel_width_px: 1_000,
        scrape_interval_ms: 15_000,
    };
    let mut tenant_target = target("rate(x[$__rate_interval])", "");
    tenant_target.datasource = serde_json::json!({"uid": "tenant"});
    let default_target = TargetView { ref_id: "B".into(), ..target("rate(x[$__rate_interval])", "") };

    // A Mixed panel: each query to its own datasource, with that datasource's scrape interval.
    let mut mixed = panel("", vec![tenant_target.clone(), default_target.clone()]);
    mixed.datasource = serde_json::json!({"type": "datasource", "uid": "-- Mixed --"});
    let planned = plan_panel_queries_without_variables(&mixed, &context).expect("plans");
    assert_eq!(planned[0].datasource_uid, "tenant");
    assert_eq!(planned[0].expr, "rate(x[4m0s])", "4 × the tenant's 1m timeInterval");
    assert_eq!(planned[1].datasource_uid, "main");
    assert_eq!(planned[1].expr, "rate(x[1m0s])");

    // Any other panel: its datasource for every query, whatever the queries say.
    let mut single = panel("", vec![tenant_target.clone(), default_target]);
    single.datasource = serde_json::json!({"type": "prometheus", "uid": "${ds}"});
    let variables = |name: &str| (name == "ds").then(|| Replacement::Plain("Tenant".into()));
    let planned = plan_panel_queries(&single, &context, &variables, &[]).expect("plans");
    assert!(planned.iter().all(|q| q.datasource_uid == "tenant"));

    // An unknown uid goes to the default, with a note; a Loki datasource is an error naming it.
    single.datasource = serde_json::json!({"uid": "P1809F7CD0C75ACF3"});
    let planned = plan_panel_queries_without_variables(&single, &context).expect("plans");
    assert_eq!(planned[0].datasource_uid, "main");
    assert!(planned[0].datasource_note.as_deref().is_some_and(|n| n.contains("P1809F7CD0C75ACF3")));
    single.datasource = serde_json::json!({"uid": "Logs"});
    assert_eq!(
        plan_panel_queries_without_variables(&single, &context).unwrap_err().to_string(),
        "query A: datasource \"Logs\" is of type \"loki\"; promboard queries Prometheus-compatible datasources only"
    );
}

#[test]
fn both_sends_a_range_and_an_instant_query() {
    let registry = Registry::builtin();
    let context = PlanContext {
        datasources: &registry,
        range: TimeRange { from_ms: 0, to_ms: 3_600_500 },
        panel_width_px: 1_000,
        scrape_interval_ms: 15_000,
    };
    let both = TargetView { both: true, ..target("up", "") };
    let planned = plan_panel_queries_without_variables(&panel("", vec![both]), &context).expect("plans");
    assert_eq!(planned.len(), 2);
    assert_eq!((planned[0].instant_at, planned[1].instant_at), (None, Some(3_600)));
    assert_eq!(planned[0].ref_id, planned[1].ref_id);
}

#[test]
fn queries_for_datasources_that_do_not_speak_promql_are_not_sent() {
    let registry = Registry::builtin();
    let context = PlanContext {
        datasources: &registry,
        range: TimeRange { from_ms: 0, to_ms: 3_600_000 },
        panel_width_px: 1_000,
        scrape_interval_ms: 15_000,
    };
    let with_datasource = |reference: serde_json::Value| {
        let mut loki = panel("", vec![target("{job=\"varlogs\"} |= \"error\"", "")]);
        loki.datasource = reference;
        plan_panel_queries_without_variables(&loki, &context)
    };
    let error = with_datasource(serde_json::json!({"type": "loki", "uid": "P8E80F9AEF21F6940"})).unwrap_err();
    assert!(error.to_string().contains("is of type \"loki\""), "{error}");
    // Unknown uids of PromQL types, and references without a type, still fall back to the default.
    for reference in [
        serde_json::json!({"type": "prometheus", "uid": "elsewhere"}),
        serde_json::json!({"type": "victoriametrics-metrics-datasource", "uid": "vm"}),
        serde_json::json!({"uid": "elsewhere"}),
        serde_json::json!({"type": "datasource", "uid": "-- Mixed --"}),
        serde_json::json!({"type": "${DS_TYPE}", "uid": "${DS}"}),
    ] {
        assert!(with_datasource(reference.clone()).is_ok(), "{reference}");
    }
}
