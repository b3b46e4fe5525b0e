//! The classic model written as v2: each part (element, variable, annotation, time settings,
//! layout) and a whole dashboard ([`from_classic`], for `promboard migrate --to v2`). Writers
//! mark a key they own but the classic part lacks as [`absent`], so that [`merge`] can write a
//! fresh part over the file's own (`write_back.rs`) and remove what an edit removed.

use super::read::{CURSOR_SYNC, HIDE, LEGACY_STRING, REFRESH, SORT, VARIABLE_KINDS, object};
use super::spec_of;
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet};

/// Which v2 shapes to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flavour {
    /// `v2alpha1`: a query's `kind` is its datasource type, the reference beside it.
    Alpha,
    /// `v2beta1` and later: `DataQuery` and `VizConfig` kinds with `group`.
    Beta,
}

impl Flavour {
    pub(super) fn of(raw: &Map<String, Value>) -> Flavour {
        let api = raw.get("apiVersion").and_then(Value::as_str).unwrap_or("");
        if api.contains("/v2alpha") {
            return Flavour::Alpha;
        }
        if !api.is_empty() {
            return Flavour::Beta;
        }
        // A bare spec says its flavour in its viz configs.
        let elements = object(spec_of(raw).get("elements"));
        let alpha = elements.into_iter().flatten().any(|(_, e)| {
            let kind = e
                .get("spec")
                .and_then(|s| s.get("vizConfig"))
                .and_then(|v| v.get("kind"))
                .and_then(Value::as_str);
            kind.is_some_and(|k| k != "VizConfig")
        });
        if alpha { Flavour::Alpha } else { Flavour::Beta }
    }
}

/// What the writers put where a key they own is absent (a JSON `null` is a value users write,
/// such as a threshold's base step, so it cannot say "absent").
const ABSENT: &str = "\u{0}promboard: absent";

pub(super) fn absent() -> Value {
    Value::from(ABSENT)
}

pub(super) fn is_absent(value: &Value) -> bool {
    value.as_str() == Some(ABSENT)
}

/// `fresh` written over `template`: the template's keys keep their place, an [`absent`] in
/// `fresh` removes a key, keys `fresh` does not name are kept (what promboard does not read), new keys
/// come last. Lists of the same length are merged element by element.
pub(super) fn merge(template: &Value, fresh: Value) -> Value {
    match (template, fresh) {
        (Value::Object(old), Value::Object(mut new)) => {
            let mut out = Map::new();
            for (key, value) in old {
                match new.shift_remove(key) {
                    Some(gone) if is_absent(&gone) => {}
                    Some(changed) => {
                        out.insert(key.clone(), merge(value, changed));
                    }
                    None => {
                        out.insert(key.clone(), value.clone());
                    }
                }
            }
            for (key, value) in new {
                if !is_absent(&value) {
                    out.insert(key, strip_absent(value));
                }
            }
            Value::Object(out)
        }
        (Value::Array(old), Value::Array(new)) if old.len() == new.len() => {
            Value::Array(old.iter().zip(new).map(|(o, n)| merge(o, n)).collect())
        }
        (_, fresh) => strip_absent(fresh),
    }
}

/// `fresh` (the writer's output for an edited part) with every key `old` (its output for the part
/// before the edit) had and `fresh` has not marked [`absent`], in nested objects too: the edit
/// removed it, so [`merge`] removes it from the file's part. Lists are compared item by item.
pub(super) fn mark_removed(old: &Value, fresh: Value) -> Value {
    match (old, fresh) {
        (Value::Object(old), Value::Object(mut fresh)) => {
            for (key, old_value) in old {
                match fresh.shift_remove(key) {
                    Some(value) => {
                        let marked = mark_removed(old_value, value);
                        fresh.insert(key.clone(), marked);
                    }
                    None if !is_absent(old_value) => {
                        fresh.insert(key.clone(), absent());
                    }
                    None => {}
                }
            }
            Value::Object(fresh)
        }
        (Value::Array(old), Value::Array(fresh)) if old.len() == fresh.len() => {
            Value::Array(old.iter().zip(fresh).map(|(o, f)| mark_removed(o, f)).collect())
        }
        (_, fresh) => fresh,
    }
}

/// `value` without the [`absent`] members the writers put in.
pub(super) fn strip_absent(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter().filter(|(_, v)| !is_absent(v)).map(|(k, v)| (k, strip_absent(v))).collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(strip_absent).collect()),
        other => other,
    }
}

pub(super) fn or_absent(value: Option<&Value>) -> Value {
    value.cloned().unwrap_or_else(absent)
}

/// A classic datasource reference as a v2 query: `DataQuery` with `group` and `datasource.name`
/// (beta), or the type as `kind` (alpha, the reference written beside it by the caller).
fn data_query(reference: Option<&Value>, spec: Map<String, Value>, flavour: Flavour) -> Value {
    let kind = reference.and_then(|r| r.get("type")).and_then(Value::as_str).unwrap_or("");
    let uid = reference.and_then(|r| r.get("uid")).and_then(Value::as_str);
    match flavour {
        Flavour::Alpha => json!({ "kind": kind, "spec": spec }),
        Flavour::Beta => {
            let mut query = Map::new();
            query.insert("kind".into(), Value::from("DataQuery"));
            query.insert("group".into(), Value::from(kind));
            query.insert("version".into(), Value::from("v0"));
            if let Some(uid) = uid {
                query.insert("datasource".into(), json!({ "name": uid }));
            }
            query.insert("spec".into(), Value::Object(spec));
            Value::Object(query)
        }
    }
}

/// Keys of a classic panel that v2 keeps in the layout, not in the element.
pub(super) const LAYOUT_KEYS: [&str; 4] = ["gridPos", "repeat", "repeatDirection", "maxPerRow"];
/// A classic panel's query options (v2 `queryOptions`).
const QUERY_OPTIONS: [&str; 8] = [
    "interval",
    "maxDataPoints",
    "timeFrom",
    "timeTo",
    "timeShift",
    "hideTimeOverride",
    "cacheTimeout",
    "queryCachingTTL",
];

/// A classic panel as a v2 element ([`absent`] where a key it owns is absent).
pub(super) fn panel_to_element(panel: &Map<String, Value>, flavour: Flavour) -> Value {
    let id = or_absent(panel.get("id"));
    let title = panel.get("title").cloned().unwrap_or(Value::from(""));
    if let Some(reference) = panel.get("libraryPanel") {
        return json!({ "kind": "LibraryPanel", "spec": { "id": id, "title": title, "libraryPanel": reference } });
    }
    let panel_datasource = panel.get("datasource").filter(|d| d.is_object());
    let queries: Vec<Value> = panel
        .get("targets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .enumerate()
        .map(|(index, target)| {
            let reference = target.get("datasource").filter(|d| d.is_object()).or(panel_datasource);
            let spec: Map<String, Value> = target
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), "refId" | "hide" | "datasource"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let mut query_spec = Map::new();
            query_spec.insert("query".into(), data_query(reference, spec, flavour));
            if flavour == Flavour::Alpha {
                query_spec.insert("datasource".into(), or_absent(reference));
            }
            // v2 requires a refId: a target without one is named as the view names it (A, B, …).
            let default_ref_id = char::from(b'A' + (index % 26) as u8).to_string();
            query_spec
                .insert("refId".into(), target.get("refId").cloned().unwrap_or(Value::from(default_ref_id)));
            query_spec.insert(
                "hidden".into(),
                Value::Bool(target.get("hide").and_then(Value::as_bool) == Some(true)),
            );
            json!({ "kind": "PanelQuery", "spec": query_spec })
        })
        .collect();
    let transformations: Vec<Value> = panel
        .get("transformations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|t| json!({ "kind": t.get("id").cloned().unwrap_or(Value::from("")), "spec": t }))
        .collect();
    let mut query_options = Map::new();
    for key in QUERY_OPTIONS {
        query_options.insert(key.into(), or_absent(panel.get(key)));
    }
    let plugin = panel.get("type").and_then(Value::as_str).unwrap_or("timeseries");
    let viz_spec = json!({
        "options": panel.get("options").cloned().unwrap_or_else(|| json!({})),
        "fieldConfig": panel.get("fieldConfig").cloned().unwrap_or_else(|| json!({"defaults": {}, "overrides": []})),
    });
    let version = or_absent(panel.get("pluginVersion"));
    let viz = match flavour {
        Flavour::Alpha => {
            let mut spec = Map::new();
            spec.insert("pluginVersion".into(), if is_absent(&version) { Value::from("") } else { version });
            spec.extend(viz_spec.as_object().cloned().unwrap_or_default());
            json!({ "kind": plugin, "spec": spec })
        }
        Flavour::Beta => json!({
            "kind": "VizConfig", "group": plugin,
            "version": if is_absent(&version) { Value::from("") } else { version },
            "spec": viz_spec,
        }),
    };
    let mut spec = Map::new();
    spec.insert("id".into(), id);
    spec.insert("title".into(), title);
    spec.insert("description".into(), panel.get("description").cloned().unwrap_or(Value::from("")));
    spec.insert("subtitle".into(), or_absent(panel.get("subtitle")));
    spec.insert("links".into(), panel.get("links").cloned().unwrap_or_else(|| json!([])));
    spec.insert("transparent".into(), or_absent(panel.get("transparent")));
    spec.insert(
        "data".into(),
        json!({ "kind": "QueryGroup", "spec": {
            "queries": queries, "transformations": transformations, "queryOptions": query_options,
        }}),
    );
    spec.insert("vizConfig".into(), viz);
    json!({ "kind": "Panel", "spec": spec })
}

fn enum_name(names: &[&str], value: Option<&Value>) -> Value {
    match value {
        Some(Value::Number(n)) => {
            n.as_u64().and_then(|i| names.get(i as usize)).map_or_else(absent, |n| Value::from(*n))
        }
        Some(Value::String(s)) => Value::from(s.as_str()),
        _ => absent(),
    }
}

/// A classic variable as a v2 one.
pub(super) fn variable_to_v2(variable: &Map<String, Value>, flavour: Flavour) -> Value {
    let classic_type = variable.get("type").and_then(Value::as_str).unwrap_or("");
    let kind = VARIABLE_KINDS.iter().find(|(_, t)| *t == classic_type).map_or(classic_type, |(k, _)| *k);
    let reference = variable.get("datasource").filter(|d| d.is_object());
    let mut spec = Map::new();
    let mut outer = Map::new();
    outer.insert("kind".into(), Value::from(kind));
    for (key, value) in variable {
        match key.as_str() {
            "type" => {}
            "hide" => {
                spec.insert(key.clone(), enum_name(&HIDE, Some(value)));
            }
            "refresh" => {
                spec.insert(key.clone(), enum_name(&REFRESH, Some(value)));
            }
            "sort" => {
                spec.insert(key.clone(), enum_name(&SORT, Some(value)));
            }
            "query" if kind == "DatasourceVariable" => {
                spec.insert("pluginId".into(), value.clone());
            }
            "query" if kind == "QueryVariable" => {
                let query_spec = match value {
                    Value::Object(fields) => fields.clone(),
                    other => Map::from_iter([(LEGACY_STRING.to_string(), other.clone())]),
                };
                spec.insert("query".into(), data_query(reference, query_spec, flavour));
            }
            "datasource" => {
                let on_kind = flavour == Flavour::Beta && matches!(kind, "GroupByVariable" | "AdhocVariable");
                if on_kind {
                    outer.insert("group".into(), or_absent(value.get("type")));
                    if let Some(uid) = value.get("uid") {
                        outer.insert("datasource".into(), json!({ "name": uid }));
                    }
                } else if flavour == Flavour::Alpha {
                    spec.insert(key.clone(), value.clone());
                }
            }
            _ => {
                spec.insert(key.clone(), value.clone());
            }
        }
    }
    outer.insert("spec".into(), Value::Object(spec));
    Value::Object(outer)
}

/// A classic annotation as a v2 one: its `target` the query's spec, the other keys Grafana has
/// no field for in `legacyOptions`.
pub(super) fn annotation_to_v2(annotation: &Map<String, Value>, flavour: Flavour) -> Value {
    const OWN: [&str; 10] = [
        "name",
        "enable",
        "hide",
        "iconColor",
        "datasource",
        "target",
        "filter",
        "builtIn",
        "placement",
        "mappings",
    ];
    let reference = annotation.get("datasource").filter(|d| d.is_object());
    let built_in =
        annotation.get("builtIn").is_some_and(|b| b.as_i64() == Some(1) || b.as_bool() == Some(true));
    let target = object(annotation.get("target")).cloned().unwrap_or_default();
    let mut spec = Map::new();
    spec.insert("query".into(), data_query(reference, target, flavour));
    if flavour == Flavour::Alpha {
        spec.insert("datasource".into(), or_absent(reference));
    }
    for key in ["enable", "hide", "iconColor", "name"] {
        spec.insert(key.into(), or_absent(annotation.get(key)));
    }
    spec.insert("builtIn".into(), if built_in { Value::Bool(true) } else { absent() });
    for key in ["filter", "placement", "mappings"] {
        spec.insert(key.into(), or_absent(annotation.get(key)));
    }
    let legacy: Map<String, Value> = annotation
        .iter()
        .filter(|(k, _)| !(OWN.contains(&k.as_str()) || built_in && k.as_str() == "type"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    spec.insert("legacyOptions".into(), if legacy.is_empty() { absent() } else { Value::Object(legacy) });
    json!({ "kind": "AnnotationQuery", "spec": spec })
}

/// The time settings of a classic dashboard.
fn time_settings(classic: &Map<String, Value>) -> Value {
    let time = classic.get("time");
    let picker = classic.get("timepicker");
    json!({
        "timezone": or_absent(classic.get("timezone")),
        "from": time.and_then(|t| t.get("from")).cloned().unwrap_or(Value::from("now-6h")),
        "to": time.and_then(|t| t.get("to")).cloned().unwrap_or(Value::from("now")),
        "autoRefresh": classic.get("refresh").filter(|r| r.is_string()).cloned().unwrap_or(Value::from("")),
        "autoRefreshIntervals": or_absent(picker.and_then(|p| p.get("refresh_intervals"))),
        "quickRanges": or_absent(picker.and_then(|p| p.get("quick_ranges"))),
        "hideTimepicker": picker.and_then(|p| p.get("hidden")).cloned().unwrap_or(Value::Bool(false)),
        "weekStart": or_absent(classic.get("weekStart")),
        "fiscalYearStartMonth": classic.get("fiscalYearStartMonth").cloned().unwrap_or(Value::from(0)),
        "nowDelay": or_absent(picker.and_then(|p| p.get("nowDelay"))),
    })
}

/// The dashboard-level keys of a classic dashboard as v2 spec keys ([`absent`] where absent).
pub(super) fn dashboard_spec_keys(classic: &Map<String, Value>, flavour: Flavour) -> Map<String, Value> {
    let list = |outer: &str| {
        classic.get(outer).and_then(|o| o.get("list")).and_then(Value::as_array).cloned().unwrap_or_default()
    };
    let mut spec = Map::new();
    spec.insert(
        "annotations".into(),
        Value::Array(
            list("annotations")
                .iter()
                .filter_map(Value::as_object)
                .map(|a| annotation_to_v2(a, flavour))
                .collect(),
        ),
    );
    let sync = classic
        .get("graphTooltip")
        .and_then(Value::as_u64)
        .and_then(|n| CURSOR_SYNC.get(n as usize))
        .copied();
    spec.insert("cursorSync".into(), Value::from(sync.unwrap_or("Off")));
    spec.insert("description".into(), or_absent(classic.get("description")));
    spec.insert("editable".into(), classic.get("editable").cloned().unwrap_or(Value::Bool(true)));
    spec.insert("links".into(), classic.get("links").cloned().unwrap_or_else(|| json!([])));
    spec.insert("liveNow".into(), classic.get("liveNow").cloned().unwrap_or(Value::Bool(false)));
    spec.insert("preload".into(), classic.get("preload").cloned().unwrap_or(Value::Bool(false)));
    spec.insert("revision".into(), or_absent(classic.get("revision")));
    spec.insert("tags".into(), classic.get("tags").cloned().unwrap_or_else(|| json!([])));
    spec.insert("timeSettings".into(), time_settings(classic));
    spec.insert("title".into(), classic.get("title").cloned().unwrap_or(Value::from("")));
    spec.insert(
        "variables".into(),
        Value::Array(
            list("templating")
                .iter()
                .filter_map(Value::as_object)
                .map(|v| variable_to_v2(v, flavour))
                .collect(),
        ),
    );
    spec
}

/// Every panel of a classic dashboard (those inside collapsed rows included), each with the
/// row it belongs to.
pub(super) fn classic_panels(classic: &Map<String, Value>) -> Vec<(&Map<String, Value>, Option<i64>)> {
    let mut out = Vec::new();
    let mut row = None;
    for panel in
        classic.get("panels").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object)
    {
        if panel.get("type").and_then(Value::as_str) == Some("row") {
            row = panel.get("id").and_then(Value::as_i64);
            out.push((panel, None));
            for inner in panel
                .get("panels")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_object)
            {
                out.push((inner, row));
            }
        } else {
            out.push((panel, row));
        }
    }
    out
}

pub(super) fn is_row(panel: &Map<String, Value>) -> bool {
    panel.get("type").and_then(Value::as_str) == Some("row")
}

/// A classic panel's place, with Grafana's defaults for what `gridPos` leaves out (12 × 8 at
/// the top left), as the view reads it.
pub(super) fn grid_of(panel: &Map<String, Value>) -> (i64, i64, i64, i64) {
    let n = |key: &str, default: i64| {
        panel.get("gridPos").and_then(|g| g.get(key)).and_then(Value::as_f64).map_or(default, |v| v as i64)
    };
    (n("x", 0), n("y", 0), n("w", 12), n("h", 8))
}

/// A layout item's repeat from a classic panel's keys.
pub(super) fn repeat_of(panel: &Map<String, Value>, with_direction: bool) -> Value {
    let Some(variable) = panel.get("repeat").and_then(Value::as_str).filter(|v| !v.is_empty()) else {
        return absent();
    };
    let mut repeat = Map::new();
    repeat.insert("mode".into(), Value::from("variable"));
    repeat.insert("value".into(), Value::from(variable));
    if with_direction {
        repeat.insert("direction".into(), or_absent(panel.get("repeatDirection")));
        repeat.insert(
            "maxPerRow".into(),
            or_absent(panel.get("maxPerRow").filter(|m| m.as_i64().is_some_and(|m| m > 0))),
        );
    }
    Value::Object(repeat)
}

pub(super) fn grid_item(name: &str, panel: &Map<String, Value>, top: i64) -> Value {
    let (x, y, w, h) = grid_of(panel);
    json!({ "kind": "GridLayoutItem", "spec": {
        "x": x, "y": (y - top).max(0), "width": w, "height": h,
        "element": { "kind": "ElementReference", "name": name },
        "repeat": repeat_of(panel, true),
    }})
}

/// A classic dashboard's panels as a v2 layout: a grid when it has no rows, else one row each
/// (panels before the first row in a row without a header), as Grafana converts.
pub(super) fn classic_layout(classic: &Map<String, Value>, names: &HashMap<i64, String>) -> Value {
    let panels = classic_panels(classic);
    let name_of = |panel: &Map<String, Value>| {
        panel.get("id").and_then(Value::as_i64).and_then(|id| names.get(&id)).cloned()
    };
    if !panels.iter().any(|(p, _)| is_row(p)) {
        let items: Vec<Value> =
            panels.iter().filter_map(|(p, _)| Some(grid_item(&name_of(p)?, p, 0))).collect();
        return json!({ "kind": "GridLayout", "spec": { "items": strip_absent(Value::Array(items)) } });
    }
    let mut rows = Vec::new();
    let loose: Vec<Value> = panels
        .iter()
        .filter(|(p, row)| row.is_none() && !is_row(p))
        .filter_map(|(p, _)| Some(grid_item(&name_of(p)?, p, 0)))
        .collect();
    if !loose.is_empty() {
        rows.push(json!({ "kind": "RowsLayoutRow", "spec": {
            "title": "", "collapse": false, "hideHeader": true, "layout": { "kind": "GridLayout", "spec": { "items": loose } },
        }}));
    }
    for (row, _) in panels.iter().filter(|(p, _)| is_row(p)) {
        let id = row.get("id").and_then(Value::as_i64);
        // Panels sit under their row; those of a collapsed row may keep places from before the
        // row moved (above it): they keep their arrangement, from the first of them.
        let first_child = panels
            .iter()
            .filter(|(p, owner)| *owner == id && id.is_some() && !is_row(p))
            .map(|(p, _)| grid_of(p).1)
            .min();
        let top = first_child.map_or(grid_of(row).1 + 1, |first| first.min(grid_of(row).1 + 1));
        let items: Vec<Value> = panels
            .iter()
            .filter(|(p, owner)| *owner == id && id.is_some() && !is_row(p))
            .filter_map(|(p, _)| Some(grid_item(&name_of(p)?, p, top)))
            .collect();
        let mut spec = Map::new();
        spec.insert("title".into(), row.get("title").cloned().unwrap_or(Value::from("")));
        spec.insert(
            "collapse".into(),
            Value::Bool(row.get("collapsed").and_then(Value::as_bool) == Some(true)),
        );
        if let Some(Value::Object(repeat)) = Some(repeat_of(row, false)) {
            spec.insert("repeat".into(), Value::Object(repeat));
        }
        spec.insert("layout".into(), json!({ "kind": "GridLayout", "spec": { "items": items } }));
        rows.push(json!({ "kind": "RowsLayoutRow", "spec": spec }));
    }
    strip_absent(json!({ "kind": "RowsLayout", "spec": { "rows": rows } }))
}

/// Element names for panel ids: the file's own, `panel-<id>` for new ones (made unique).
pub(super) fn element_names(
    before: &Map<String, Value>,
    panels: &[(&Map<String, Value>, Option<i64>)],
) -> HashMap<i64, String> {
    let mut names: HashMap<i64, String> = HashMap::new();
    let mut taken: HashSet<String> = HashSet::new();
    for (name, element) in before {
        taken.insert(name.clone());
        if let Some(id) = element.get("spec").and_then(|s| s.get("id")).and_then(Value::as_i64) {
            names.entry(id).or_insert_with(|| name.clone());
        }
    }
    for (panel, _) in panels.iter().filter(|(p, _)| !is_row(p)) {
        let Some(id) = panel.get("id").and_then(Value::as_i64) else { continue };
        names.entry(id).or_insert_with(|| {
            let mut name = format!("panel-{id}");
            while taken.contains(&name) {
                name.push('-');
            }
            taken.insert(name.clone());
            name
        });
    }
    names
}

/// `classic` with every panel (rows and those inside them included) given an id of its own: v2
/// names elements by id, so a missing or repeated id gets the next free one (as Grafana makes
/// ids unique before it converts), reported in `losses`.
fn with_unique_ids(classic: &Map<String, Value>, losses: &mut Vec<String>) -> Map<String, Value> {
    let mut classic = classic.clone();
    let mut next =
        classic_panels(&classic).iter().filter_map(|(p, _)| p.get("id")?.as_i64()).max().unwrap_or(0) + 1;
    let mut seen = HashSet::new();
    let mut fix = |panel: &mut Value, path: String| {
        let id = panel.get("id").and_then(Value::as_i64);
        if id.is_some_and(|id| seen.insert(id)) {
            return;
        }
        losses.push(format!(
            "{path}: its id {} is {}; given id {next}",
            id.map_or("none".into(), |i| i.to_string()),
            if id.is_some() { "used before" } else { "missing" }
        ));
        if let Some(panel) = panel.as_object_mut() {
            panel.insert("id".into(), Value::from(next));
        }
        seen.insert(next);
        next += 1;
    };
    if let Some(Value::Array(panels)) = classic.get_mut("panels") {
        for (i, panel) in panels.iter_mut().enumerate() {
            fix(panel, format!("$.panels[{i}]"));
            if let Some(Value::Array(inner)) = panel.get_mut("panels") {
                for (j, child) in inner.iter_mut().enumerate() {
                    fix(child, format!("$.panels[{i}].panels[{j}]"));
                }
            }
        }
    }
    classic
}

/// A classic dashboard as a v2 resource (`apiVersion` e.g. `dashboard.grafana.app/v2beta1`),
/// with what it could not carry over (ids it had to give).
pub fn from_classic(classic: &Map<String, Value>, api_version: &str) -> (Map<String, Value>, Vec<String>) {
    let flavour = if api_version.contains("/v2alpha") { Flavour::Alpha } else { Flavour::Beta };
    let mut losses = Vec::new();
    let classic = &with_unique_ids(classic, &mut losses);
    let panels = classic_panels(classic);
    let names = element_names(&Map::new(), &panels);
    let mut elements = Map::new();
    for (index, (panel, _)) in panels.iter().enumerate().filter(|(_, (p, _))| !is_row(p)) {
        match panel.get("id").and_then(Value::as_i64).and_then(|id| names.get(&id)) {
            Some(name) => {
                elements.insert(name.clone(), strip_absent(panel_to_element(panel, flavour)));
            }
            None => losses.push(format!(
                "panel {index} ({:?}) has no id, so it cannot be named in v2",
                panel.get("title")
            )),
        }
    }
    let mut spec = dashboard_spec_keys(classic, flavour);
    spec.insert("elements".into(), Value::Object(elements));
    spec.insert("layout".into(), classic_layout(classic, &names));
    let spec = strip_absent(Value::Object(spec));
    let mut resource = Map::new();
    resource.insert("apiVersion".into(), Value::from(api_version));
    resource.insert("kind".into(), Value::from("Dashboard"));
    let uid = classic.get("uid").and_then(Value::as_str).unwrap_or("");
    resource.insert("metadata".into(), json!({ "name": uid }));
    resource.insert("spec".into(), spec);
    (resource, losses)
}
