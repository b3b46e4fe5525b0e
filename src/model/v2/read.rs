//! Schema v2 → the classic model: each element becomes a classic panel (its queries targets, its
//! viz config type, options and field config), variables and annotations their classic entries,
//! time settings the classic `time`, `refresh`, `timepicker` keys. Placement is `layout.rs`'s.
//! Both v2 flavours are read: v2alpha1 (a query's `kind` is its datasource type, the datasource
//! beside it; a viz config's `kind` is the plugin) and v2beta1 (`DataQuery` with `group` and
//! `datasource.name`; `VizConfig` with `group` and `version`).

use serde_json::{Map, Value, json};

/// Grafana's names for a variable's `hide`, in the classic numbers' order.
pub(super) const HIDE: [&str; 4] = ["dontHide", "hideLabel", "hideVariable", "inControlsMenu"];
/// Grafana's names for a variable's `refresh`, in the classic numbers' order.
pub(super) const REFRESH: [&str; 3] = ["never", "onDashboardLoad", "onTimeRangeChanged"];
/// Grafana's names for a variable's `sort`, in the classic numbers' order.
pub(super) const SORT: [&str; 9] = [
    "disabled",
    "alphabeticalAsc",
    "alphabeticalDesc",
    "numericalAsc",
    "numericalDesc",
    "alphabeticalCaseInsensitiveAsc",
    "alphabeticalCaseInsensitiveDesc",
    "naturalAsc",
    "naturalDesc",
];
/// Grafana's names for `cursorSync`, in the order of the classic `graphTooltip` numbers.
pub(super) const CURSOR_SYNC: [&str; 3] = ["Off", "Crosshair", "Tooltip"];
/// The key Grafana wraps a string query in when a spec must be an object.
pub(super) const LEGACY_STRING: &str = "__legacyStringValue";
/// v2 variable kinds and their classic `type`.
pub(super) const VARIABLE_KINDS: [(&str, &str); 9] = [
    ("QueryVariable", "query"),
    ("TextVariable", "textbox"),
    ("ConstantVariable", "constant"),
    ("DatasourceVariable", "datasource"),
    ("IntervalVariable", "interval"),
    ("CustomVariable", "custom"),
    ("GroupByVariable", "groupby"),
    ("AdhocVariable", "adhoc"),
    ("SwitchVariable", "switch"),
];

pub(super) fn object(value: Option<&Value>) -> Option<&Map<String, Value>> {
    value.and_then(Value::as_object)
}

pub(super) fn text<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.get(key).and_then(Value::as_str)
}

/// `{kind, spec}`: the kind and the spec of a v2 object.
pub(super) fn kind_spec(value: &Value) -> (&str, Option<&Map<String, Value>>) {
    (value.get("kind").and_then(Value::as_str).unwrap_or(""), object(value.get("spec")))
}

/// The index of `name` in a list of Grafana's enum names: the classic number.
fn enum_number(names: &[&str], value: Option<&Value>) -> Option<Value> {
    match value? {
        Value::String(name) => names.iter().position(|n| n == name).map(Value::from),
        // A number is already the classic one (hand-written files mix the two).
        number @ Value::Number(_) => Some(number.clone()),
        _ => None,
    }
}

/// A query's datasource type and reference, in either flavour: v2beta1 `DataQuery` (`group` is
/// the type, `datasource.name` the uid) or v2alpha1 (`kind` is the type; the reference sits
/// beside the query, in `outer`).
pub(super) fn query_datasource(query: &Value, outer: Option<&Map<String, Value>>) -> Option<Value> {
    let (kind, _) = kind_spec(query);
    let beside = outer.and_then(|o| o.get("datasource")).filter(|d| d.is_object());
    if kind == "DataQuery" {
        let group = query.get("group").and_then(Value::as_str).unwrap_or("");
        let uid = query.get("datasource").and_then(|d| d.get("name")).and_then(Value::as_str);
        let mut reference = Map::new();
        if !group.is_empty() {
            reference.insert("type".into(), Value::from(group));
        }
        if let Some(uid) = uid {
            reference.insert("uid".into(), Value::from(uid));
        }
        if reference.is_empty() { beside.cloned() } else { Some(Value::Object(reference)) }
    } else if let Some(beside) = beside {
        Some(beside.clone())
    } else if !kind.is_empty() {
        Some(json!({ "type": kind }))
    } else {
        None
    }
}

/// One element (`Panel` or `LibraryPanel`) as a classic panel, without its `gridPos`.
pub(super) fn element_to_panel(element: &Value, losses: &mut Vec<String>, path: &str) -> Map<String, Value> {
    let (kind, spec) = kind_spec(element);
    let empty = Map::new();
    let spec = spec.unwrap_or(&empty);
    let mut panel = Map::new();
    if let Some(id) = spec.get("id") {
        panel.insert("id".into(), id.clone());
    }
    if kind == "LibraryPanel" {
        panel.insert("title".into(), spec.get("title").cloned().unwrap_or(Value::from("")));
        if let Some(reference) = spec.get("libraryPanel") {
            panel.insert("libraryPanel".into(), reference.clone());
        }
        return panel;
    }
    if kind != "Panel" {
        losses.push(format!("{path}: an element of kind {kind:?} is not a panel; shown as an empty one"));
    }
    let viz = spec.get("vizConfig").unwrap_or(&Value::Null);
    let (viz_kind, viz_spec) = kind_spec(viz);
    let plugin = if viz_kind == "VizConfig" {
        viz.get("group").and_then(Value::as_str).unwrap_or("")
    } else {
        viz_kind
    };
    panel.insert("type".into(), Value::from(plugin));
    panel.insert("title".into(), spec.get("title").cloned().unwrap_or(Value::from("")));
    for key in ["description", "subtitle"] {
        if let Some(value) = spec.get(key).filter(|v| v.as_str().is_some_and(|s| !s.is_empty())) {
            panel.insert(key.into(), value.clone());
        }
    }
    if let Some(links) = spec.get("links").filter(|l| l.as_array().is_some_and(|l| !l.is_empty())) {
        panel.insert("links".into(), links.clone());
    }
    if let Some(transparent) = spec.get("transparent").filter(|t| t.as_bool() == Some(true)) {
        panel.insert("transparent".into(), transparent.clone());
    }
    let version = if viz_kind == "VizConfig" {
        viz.get("version").and_then(Value::as_str)
    } else {
        viz_spec.and_then(|s| text(s, "pluginVersion"))
    };
    if let Some(version) = version.filter(|v| !v.is_empty()) {
        panel.insert("pluginVersion".into(), Value::from(version));
    }
    let (_, data) = kind_spec(spec.get("data").unwrap_or(&Value::Null));
    let queries = data.and_then(|d| d.get("queries")).and_then(Value::as_array).cloned().unwrap_or_default();
    let mut targets = Vec::new();
    let mut references: Vec<Value> = Vec::new();
    for (index, query) in queries.iter().enumerate() {
        let (_, query_spec) = kind_spec(query);
        let Some(query_spec) = query_spec else { continue };
        let inner = query_spec.get("query").unwrap_or(&Value::Null);
        let mut target = Map::new();
        if let Some(reference) = query_datasource(inner, Some(query_spec)) {
            references.push(reference.clone());
            target.insert("datasource".into(), reference);
        }
        // Without one, the refId the writer gives it back (A, B, … by position).
        let default_ref_id = char::from(b'A' + (index % 26) as u8).to_string();
        target
            .insert("refId".into(), query_spec.get("refId").cloned().unwrap_or(Value::from(default_ref_id)));
        if query_spec.get("hidden").and_then(Value::as_bool) == Some(true) {
            target.insert("hide".into(), Value::Bool(true));
        }
        if let Some(fields) = object(inner.get("spec")) {
            for (key, value) in fields {
                if !target.contains_key(key) {
                    target.insert(key.clone(), value.clone());
                }
            }
        }
        targets.push(Value::Object(target));
    }
    // One datasource for the panel when its queries agree, Mixed when they do not.
    if let Some(first) = references.first() {
        let uid = |r: &Value| r.get("uid").cloned();
        let datasource =
            if references.iter().all(|r| uid(r) == uid(first) && r.get("type") == first.get("type")) {
                first.clone()
            } else {
                json!({ "type": "datasource", "uid": "-- Mixed --" })
            };
        panel.insert("datasource".into(), datasource);
    }
    panel.insert("targets".into(), Value::Array(targets));
    let options = data.and_then(|d| object(d.get("queryOptions")));
    for (key, value) in options.into_iter().flatten() {
        panel.insert(key.clone(), value.clone());
    }
    let transformations = data.and_then(|d| d.get("transformations")).and_then(Value::as_array);
    if let Some(transformations) = transformations.filter(|t| !t.is_empty()) {
        let classic: Vec<Value> = transformations
            .iter()
            .map(|t| {
                let (id, spec) = kind_spec(t);
                let mut out = spec.cloned().unwrap_or_default();
                if !out.contains_key("id") {
                    out.insert("id".into(), Value::from(id));
                }
                Value::Object(out)
            })
            .collect();
        panel.insert("transformations".into(), Value::Array(classic));
    }
    if let Some(viz_spec) = viz_spec {
        panel.insert("options".into(), viz_spec.get("options").cloned().unwrap_or_else(|| json!({})));
        let field_config =
            viz_spec.get("fieldConfig").cloned().unwrap_or_else(|| json!({"defaults": {}, "overrides": []}));
        panel.insert("fieldConfig".into(), field_config);
    }
    panel
}

/// A v2 variable as a classic `templating.list` entry.
pub(super) fn variable_to_classic(
    variable: &Value,
    losses: &mut Vec<String>,
    path: &str,
) -> Map<String, Value> {
    let (kind, spec) = kind_spec(variable);
    let empty = Map::new();
    let spec = spec.unwrap_or(&empty);
    let classic_type = VARIABLE_KINDS.iter().find(|(k, _)| *k == kind).map(|(_, t)| *t);
    let mut out = Map::new();
    out.insert("type".into(), Value::from(classic_type.unwrap_or(kind)));
    if classic_type.is_none() {
        losses.push(format!("{path}: variable kind {kind:?} is not one of Grafana's; kept as type {kind:?}"));
    }
    for (key, value) in spec {
        let converted = match key.as_str() {
            "hide" => enum_number(&HIDE, Some(value)),
            "refresh" => enum_number(&REFRESH, Some(value)),
            "sort" => enum_number(&SORT, Some(value)),
            "pluginId" if kind == "DatasourceVariable" => {
                out.insert("query".into(), value.clone());
                continue;
            }
            "query" if value.is_object() => {
                // A query variable's DataQuery: its datasource, and its spec as the classic query.
                if let Some(reference) = query_datasource(value, Some(spec)) {
                    out.insert("datasource".into(), reference);
                }
                let inner = value.get("spec").cloned().unwrap_or(Value::Null);
                // Grafana wraps a classic string query as `{__legacyStringValue: "…"}`.
                Some(match inner.get(LEGACY_STRING) {
                    Some(Value::String(query)) => Value::from(query.as_str()),
                    _ => inner,
                })
            }
            "datasource" if out.contains_key("datasource") => continue,
            _ => Some(value.clone()),
        };
        if let Some(converted) = converted {
            out.insert(key.clone(), converted);
        }
    }
    // A constant is always hidden classically (a shown one would be migrated to a textbox).
    if kind == "ConstantVariable" {
        out.insert("hide".into(), Value::from(2));
    }
    // GroupBy and ad hoc variables carry their datasource on the kind (v2beta1).
    if !out.contains_key("datasource")
        && let Some(group) = variable.get("group").and_then(Value::as_str)
    {
        let mut reference = Map::new();
        reference.insert("type".into(), Value::from(group));
        if let Some(uid) = variable.get("datasource").and_then(|d| d.get("name")).and_then(Value::as_str) {
            reference.insert("uid".into(), Value::from(uid));
        }
        out.insert("datasource".into(), Value::Object(reference));
    }
    out
}

/// A v2 annotation as a classic `annotations.list` entry: the query's spec spread into it, as the
/// classic model keeps `expr`, `step` and the like at the top of the entry.
pub(super) fn annotation_to_classic(annotation: &Value) -> Map<String, Value> {
    let (_, spec) = kind_spec(annotation);
    let empty = Map::new();
    let spec = spec.unwrap_or(&empty);
    let mut out = Map::new();
    let query = spec.get("query").unwrap_or(&Value::Null);
    let built_in = spec.get("builtIn").and_then(Value::as_bool) == Some(true);
    if built_in {
        out.insert("builtIn".into(), Value::from(1));
    }
    if let Some(reference) = query_datasource(query, Some(spec)) {
        out.insert("datasource".into(), reference);
    }
    for key in ["enable", "hide", "iconColor", "name", "filter", "placement", "mappings"] {
        if let Some(value) = spec.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    if built_in {
        out.insert("type".into(), Value::from("dashboard"));
    }
    // The query's spec is the classic `target`; the keys the classic entry keeps at its top
    // (`expr`, `step`, `titleFormat` … of Prometheus annotations) travel in `legacyOptions`.
    if let Some(target) = object(query.get("spec")).filter(|t| !t.is_empty()) {
        out.insert("target".into(), Value::Object(target.clone()));
    }
    for (key, value) in object(spec.get("legacyOptions")).into_iter().flatten() {
        out.insert(key.clone(), value.clone());
    }
    out
}

/// The dashboard-level keys of a v2 spec in classic form (no panels): title, tags, time settings,
/// cursor sync, links, variables and annotations.
pub(super) fn dashboard_keys(
    spec: &Map<String, Value>,
    uid: Option<&str>,
    losses: &mut Vec<String>,
) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(uid) = uid {
        out.insert("uid".into(), Value::from(uid));
    }
    out.insert("title".into(), spec.get("title").cloned().unwrap_or(Value::from("")));
    for key in ["description", "tags", "editable", "liveNow", "preload", "revision"] {
        if let Some(value) = spec.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    if let Some(number) = enum_number(&CURSOR_SYNC, spec.get("cursorSync")) {
        out.insert("graphTooltip".into(), number);
    }
    let empty = Map::new();
    let time = object(spec.get("timeSettings")).unwrap_or(&empty);
    out.insert(
        "time".into(),
        json!({
            "from": time.get("from").cloned().unwrap_or(Value::from("now-6h")),
            "to": time.get("to").cloned().unwrap_or(Value::from("now")),
        }),
    );
    if let Some(timezone) = time.get("timezone") {
        out.insert("timezone".into(), timezone.clone());
    }
    out.insert("refresh".into(), time.get("autoRefresh").cloned().unwrap_or(Value::from("")));
    let mut picker = Map::new();
    for (v2, classic) in [
        ("autoRefreshIntervals", "refresh_intervals"),
        ("hideTimepicker", "hidden"),
        ("quickRanges", "quick_ranges"),
        ("nowDelay", "nowDelay"),
    ] {
        if let Some(value) = time.get(v2) {
            picker.insert(classic.into(), value.clone());
        }
    }
    out.insert("timepicker".into(), Value::Object(picker));
    for key in ["weekStart", "fiscalYearStartMonth"] {
        if let Some(value) = time.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    out.insert("links".into(), spec.get("links").cloned().unwrap_or_else(|| json!([])));
    let list = |key: &str| spec.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
    let variables: Vec<Value> = list("variables")
        .iter()
        .enumerate()
        .map(|(i, v)| Value::Object(variable_to_classic(v, losses, &format!("$.spec.variables[{i}]"))))
        .collect();
    out.insert("templating".into(), json!({ "list": variables }));
    let annotations: Vec<Value> =
        list("annotations").iter().map(|a| Value::Object(annotation_to_classic(a))).collect();
    out.insert("annotations".into(), json!({ "list": annotations }));
    out
}
