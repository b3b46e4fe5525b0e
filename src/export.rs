//! Export for sharing externally, as Grafana's DashboardExporter writes it (grafana-and-peers.md
//! §1.5): datasources become `${DS_…}` inputs listed in `__inputs` and `__requires`, constants become
//! `${VAR_…}` inputs, query variables lose their current values, and the instance `id` is cleared.
//!
//! Datasources are named as the registry ([`crate::datasource`]) names them; a reference to no
//! configured datasource is named after its uid.

use crate::sorting;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

use crate::datasource::Registry;
use crate::migrate;
use crate::model;
use crate::model::v2;

const PROMETHEUS_PLUGIN: (&str, &str, &str) = ("prometheus", "Prometheus", "1.0.0");

/// Grafana's input name for a datasource: `DS_` + the name with its first space made `_`, upper case
/// (JavaScript's `replace(' ', '_')` replaces only the first space).
pub fn datasource_input_name(datasource_name: &str) -> String {
    format!("DS_{}", datasource_name.replacen(' ', "_", 1).to_uppercase())
}

struct Collected<'a> {
    /// The registry the dashboard is shown with: names for uids, the default's name.
    registry: &'a Registry,
    /// Datasource name → input name, in first-seen order.
    datasources: Vec<(String, String)>,
}

impl Collected<'_> {
    /// Rewrites one `datasource` value and remembers the input it now refers to.
    fn templatize(&mut self, datasource: &mut Value) {
        let registry = self.registry;
        let default_name = || registry.default_datasource().name.clone();
        let name = match &*datasource {
            Value::Null => default_name(),
            Value::String(name) if name == "default" => default_name(),
            Value::String(name) => name.clone(),
            Value::Object(reference) => match reference.get("uid").and_then(Value::as_str) {
                Some(uid) => registry.name_for_uid(uid),
                None => default_name(),
            },
            _ => return,
        };
        // Variables and Grafana's pseudo-datasources are not templatized (Grafana lists them only).
        if name.starts_with('$') || name.starts_with("-- ") {
            return;
        }
        let input = datasource_input_name(&name);
        if !self.datasources.iter().any(|(existing, _)| *existing == name) {
            self.datasources.push((name, input.clone()));
        }
        *datasource = json!({"type": PROMETHEUS_PLUGIN.0, "uid": format!("${{{input}}}")});
    }
}

/// The input a string stands for when it is exactly one `${NAME}` placeholder.
fn whole_placeholder(text: &str) -> Option<&str> {
    let name = text.strip_prefix("${")?.strip_suffix('}')?;
    is_input_name(name).then_some(name)
}

/// Names Grafana's exporter gives inputs: `DS_…` for datasources, `VAR_…` for constants.
fn is_input_name(name: &str) -> bool {
    (name.starts_with("DS_") || name.starts_with("VAR_"))
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Every `${DS_…}` / `${VAR_…}` placeholder in the document's strings, in first-seen order.
fn placeholders_in(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::String(text) => {
            let mut rest = text.as_str();
            while let Some(start) = rest.find("${") {
                let after = &rest[start + 2..];
                let Some(end) = after.find('}') else { break };
                let name = &after[..end];
                if is_input_name(name) && !found.iter().any(|f| f == name) {
                    found.push(name.to_string());
                }
                rest = &after[end..];
            }
        }
        Value::Array(items) => items.iter().for_each(|item| placeholders_in(item, found)),
        Value::Object(map) => map.values().for_each(|item| placeholders_in(item, found)),
        _ => {}
    }
}

/// The dashboard prepared for sharing. A file that was itself a share export keeps the inputs
/// it declares, and every `${DS_…}`/`${VAR_…}` placeholder it uses is declared, so the result
/// always imports cleanly (the importer asks for each).
pub fn for_sharing(raw: &Map<String, Value>, datasources: &Registry) -> Map<String, Value> {
    // A resource or a v2 dashboard is shared as its classic model, the form `__inputs` belong to.
    let classic = model::classic_document(raw);
    let raw = classic.as_ref();
    let declared: Vec<Value> = raw.get("__inputs").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut dashboard = raw.clone();
    let mut collected = Collected { registry: datasources, datasources: Vec::new() };
    let mut panel_types: BTreeMap<String, ()> = BTreeMap::new();
    let mut visit_panel = |panel: &mut Map<String, Value>| {
        if let Some(type_name) = panel.get("type").and_then(Value::as_str)
            && type_name != "row"
        {
            panel_types.insert(type_name.to_string(), ());
        }
        let has_targets = panel.get("targets").and_then(Value::as_array).is_some_and(|t| !t.is_empty());
        if has_targets || panel.contains_key("datasource") {
            collected.templatize(panel.entry("datasource").or_insert(Value::Null));
        }
        for target in panel.get_mut("targets").and_then(Value::as_array_mut).into_iter().flatten() {
            if let Some(datasource) = target.as_object_mut().and_then(|t| t.get_mut("datasource")) {
                collected.templatize(datasource);
            }
        }
    };
    if let Some(Value::Array(panels)) = dashboard.get_mut("panels") {
        for panel in panels.iter_mut().filter_map(Value::as_object_mut) {
            visit_panel(panel);
            for child in panel.get_mut("panels").and_then(Value::as_array_mut).into_iter().flatten() {
                if let Some(child) = child.as_object_mut() {
                    visit_panel(child);
                }
            }
        }
    }
    let mut constant_inputs = Vec::new();
    if let Some(Value::Array(variables)) = dashboard.get_mut("templating").and_then(|t| t.get_mut("list")) {
        for variable in variables.iter_mut().filter_map(Value::as_object_mut) {
            match variable.get("type").and_then(Value::as_str) {
                Some("query") => {
                    if let Some(datasource) = variable.get_mut("datasource") {
                        collected.templatize(datasource);
                    }
                    variable.insert("options".into(), json!([]));
                    variable.insert("current".into(), json!({}));
                    if variable.get("refresh").and_then(Value::as_i64).unwrap_or(0) == 0 {
                        variable.insert("refresh".into(), json!(1));
                    }
                }
                Some("datasource") => {
                    variable.insert("current".into(), json!({}));
                }
                Some("constant") => {
                    let name = variable.get("name").and_then(Value::as_str).unwrap_or("").to_string();
                    // A file that is itself a share export: its constant is already an input's
                    // placeholder; keep that input (and its value) rather than making the
                    // placeholder its own value.
                    if let Some(existing) = variable
                        .get("query")
                        .and_then(Value::as_str)
                        .and_then(whole_placeholder)
                        .and_then(|input| declared.iter().find(|d| d["name"] == input))
                    {
                        constant_inputs.push(existing.clone());
                        continue;
                    }
                    let input = format!("VAR_{}", name.to_uppercase());
                    let value = variable.get("query").cloned().unwrap_or(json!(""));
                    constant_inputs.push(json!({"name": input, "type": "constant", "label": name, "value": value, "description": ""}));
                    variable.insert("query".into(), json!(format!("${{{input}}}")));
                }
                _ => {}
            }
        }
    }
    if let Some(Value::Array(annotations)) = dashboard.get_mut("annotations").and_then(|a| a.get_mut("list"))
    {
        for annotation in annotations.iter_mut().filter_map(Value::as_object_mut) {
            let built_in = annotation.get("builtIn").is_some_and(|b| b == &json!(1) || b == &json!(true));
            if !built_in && let Some(datasource) = annotation.get_mut("datasource") {
                collected.templatize(datasource);
            }
        }
    }
    dashboard.insert("id".into(), Value::Null);

    let mut inputs: Vec<Value> = collected
        .datasources
        .iter()
        .map(|(name, input)| {
            json!({"name": input, "label": name, "description": "", "type": "datasource",
                   "pluginId": PROMETHEUS_PLUGIN.0, "pluginName": PROMETHEUS_PLUGIN.1})
        })
        .collect();
    inputs.extend(constant_inputs);
    // Placeholders left from an earlier share export (or written by hand) must be declared too.
    let mut used = Vec::new();
    for (key, value) in &dashboard {
        if !matches!(key.as_str(), "__inputs" | "__elements" | "__requires") {
            placeholders_in(value, &mut used);
        }
    }
    for name in used {
        if inputs.iter().any(|input| input["name"] == name.as_str()) {
            continue;
        }
        let input = match declared.iter().find(|d| d["name"] == name.as_str()) {
            Some(existing) => existing.clone(),
            None => match name.strip_prefix("DS_") {
                Some(label) => json!({"name": name, "label": label, "description": "", "type": "datasource",
                                      "pluginId": PROMETHEUS_PLUGIN.0, "pluginName": PROMETHEUS_PLUGIN.1}),
                None => json!({"name": name, "type": "constant", "label": name.trim_start_matches("VAR_"),
                               "value": "", "description": ""}),
            },
        };
        inputs.push(input);
    }
    let uses_prometheus = inputs.iter().any(|i| i["type"] == "datasource");
    let mut requires =
        vec![json!({"type": "grafana", "id": "grafana", "name": "Grafana", "version": "12.0.0"})];
    if uses_prometheus {
        requires.push(json!({"type": "datasource", "id": PROMETHEUS_PLUGIN.0, "name": PROMETHEUS_PLUGIN.1, "version": PROMETHEUS_PLUGIN.2}));
    }
    for type_name in panel_types.keys() {
        requires.push(json!({"type": "panel", "id": type_name, "name": type_name, "version": ""}));
    }
    sorting::sort_by(&mut requires, |a, b| a["id"].as_str().cmp(&b["id"].as_str()));

    // Grafana writes the three sharing keys first, then the dashboard.
    let mut shared = Map::new();
    shared.insert("__inputs".into(), Value::Array(inputs));
    shared.insert("__elements".into(), json!({}));
    shared.insert("__requires".into(), Value::Array(requires));
    for (key, value) in dashboard {
        if !matches!(key.as_str(), "__inputs" | "__elements" | "__requires") {
            shared.insert(key, value);
        }
    }
    shared
}

/// The beginning of an export to show where `text` may be megabytes: all of it up to `limit`
/// bytes, else the whole lines that fit (at least the part of the first line that fits).
pub fn preview(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].rfind('\n').map_or(&text[..end], |line_end| &text[..=line_end])
}

/// A dashboard of any format upgraded to the latest classic schema, or written as a v2
/// resource of `api_version`, with what the target could not carry. A v2 file asked for as v2
/// is given back as it is (its tabs, auto grids and rules would not survive a classic detour).
pub fn migrate_to(
    raw: &Map<String, Value>,
    api_version: Option<&str>,
    registry: &Registry,
) -> (Map<String, Value>, Vec<String>) {
    let is_v2 = v2::is_v2(raw);
    if is_v2 && let Some(wanted) = api_version {
        let has = raw.get("apiVersion").and_then(Value::as_str).unwrap_or("a bare v2 spec");
        let note = (has != wanted).then(|| {
            format!(
                "$: already a schema v2 dashboard ({has}); given back as it is, not rewritten as {wanted}"
            )
        });
        return (raw.clone(), note.into_iter().collect());
    }
    let mut losses = Vec::new();
    if is_v2 {
        let converted = v2::to_classic(raw);
        losses = converted.losses;
        let sections = converted.sections;
        if !sections.tabs.is_empty() {
            losses.push(format!(
                "$.spec.layout: {} tabs become rows (the classic model has no tabs)",
                sections.tabs.len()
            ));
        }
        if !sections.auto_grids.is_empty() {
            losses.push("$.spec.layout: auto grids become fixed grid positions".into());
        }
        for conditional in &sections.conditions {
            losses.push(format!(
                "{}: conditional rendering is dropped (the classic model has none)",
                conditional.json_path
            ));
        }
    }
    let classic = model::classic_document(raw);
    let upgraded = migrate::upgrade(&classic, registry).dashboard;
    match api_version {
        None => (upgraded, losses),
        Some(api_version) => {
            let (v2, mut more) = v2::from_classic(&upgraded, api_version);
            losses.append(&mut more);
            (v2, losses)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import;

    #[test]
    fn input_names_replace_only_the_first_space() {
        assert_eq!(datasource_input_name("My Prom Data"), "DS_MY_PROM DATA");
        assert_eq!(datasource_input_name("prometheus"), "DS_PROMETHEUS");
    }

    #[test]
    fn datasources_and_constants_become_inputs() {
        let raw: Map<String, Value> = serde_json::from_str(
            r#"{"id": 12, "title": "t", "panels": [
                  {"type": "timeseries", "datasource": {"type": "prometheus", "uid": "main prom"},
                   "targets": [{"expr": "up", "datasource": {"type": "prometheus", "uid": "main prom"}}]},
                  {"type": "stat", "targets": [{"expr": "up"}]},
                  {"type": "text"}],
                "templating": {"list": [
                  {"type": "query", "name": "job", "datasource": "$ds", "current": {"text": "a"}, "options": [1], "refresh": 0},
                  {"type": "constant", "name": "env", "query": "prod"}]}}"#,
        )
        .expect("valid");
        let shared = for_sharing(&raw, &Registry::builtin());
        let keys: Vec<&str> = shared.keys().map(String::as_str).collect();
        assert_eq!(&keys[..4], &["__inputs", "__elements", "__requires", "id"]);
        assert_eq!(shared["id"], Value::Null);
        assert_eq!(
            shared["__inputs"],
            json!([
                {"name": "DS_MAIN_PROM", "label": "main prom", "description": "", "type": "datasource", "pluginId": "prometheus", "pluginName": "Prometheus"},
                {"name": "DS_PROMETHEUS", "label": "Prometheus", "description": "", "type": "datasource", "pluginId": "prometheus", "pluginName": "Prometheus"},
                {"name": "VAR_ENV", "type": "constant", "label": "env", "value": "prod", "description": ""}
            ])
        );
        assert_eq!(
            shared["panels"][0]["targets"][0]["datasource"],
            json!({"type": "prometheus", "uid": "${DS_MAIN_PROM}"})
        );
        assert_eq!(
            shared["panels"][1]["datasource"],
            json!({"type": "prometheus", "uid": "${DS_PROMETHEUS}"})
        );
        assert!(shared["panels"][2].get("datasource").is_none(), "a text panel has no datasource");
        let variable = &shared["templating"]["list"][0];
        assert_eq!(
            (&variable["datasource"], &variable["current"], &variable["options"], &variable["refresh"]),
            (&json!("$ds"), &json!({}), &json!([]), &json!(1))
        );
        assert_eq!(shared["templating"]["list"][1]["query"], "${VAR_ENV}");
        let required: Vec<&str> =
            shared["__requires"].as_array().into_iter().flatten().filter_map(|r| r["id"].as_str()).collect();
        assert_eq!(required, vec!["grafana", "prometheus", "stat", "text", "timeseries"]);
    }

    #[test]
    fn a_share_export_shared_again_keeps_and_declares_its_inputs() {
        let raw: Map<String, Value> = serde_json::from_str(
            r#"{"__inputs": [
                  {"name": "VAR_CUSTOM_LABEL_NAME", "type": "constant", "label": "custom_label_name", "value": "instance", "description": ""}],
                "title": "t", "panels": [
                  {"type": "timeseries", "datasource": {"type": "prometheus", "uid": "${DS__VICTORIAMETRICS-PROD-ALL}"},
                   "targets": [{"expr": "up{${custom_label_name}!='x'}", "datasource": {"type": "prometheus", "uid": "${DS__VICTORIAMETRICS-PROD-ALL}"}}]}],
                "templating": {"list": [
                  {"type": "constant", "name": "custom_label_name", "query": "${VAR_CUSTOM_LABEL_NAME}"},
                  {"type": "datasource", "name": "ds", "query": "prometheus", "regex": "${VAR_DS_REGEX}"}]}}"#,
        )
        .expect("valid");
        let shared = for_sharing(&raw, &Registry::builtin());
        let inputs = shared["__inputs"].as_array().unwrap();
        let names: Vec<&str> = inputs.iter().filter_map(|i| i["name"].as_str()).collect();
        assert_eq!(names, vec!["VAR_CUSTOM_LABEL_NAME", "DS__VICTORIAMETRICS-PROD-ALL", "VAR_DS_REGEX"]);
        // The constant keeps its value, not its own placeholder.
        assert_eq!(inputs[0]["value"], "instance");
        assert_eq!(shared["templating"]["list"][0]["query"], "${VAR_CUSTOM_LABEL_NAME}");
        // The undeclared datasource placeholder is declared as a Prometheus datasource input.
        assert_eq!(inputs[1]["type"], "datasource");
        assert_eq!(shared["panels"][0]["datasource"]["uid"], "${DS__VICTORIAMETRICS-PROD-ALL}");
        // And the result imports cleanly: every placeholder is answered by an input.
        let answers: std::collections::BTreeMap<String, String> =
            [("VAR_CUSTOM_LABEL_NAME".to_string(), "instance".to_string())].into();
        let imported = import::import_resolving_missing_datasources(&shared, &answers);
        let text = serde_json::to_string(&imported.dashboard).unwrap();
        assert!(!text.contains("${DS_") && !text.contains("${VAR_"), "{text}");
        // Sharing the shared file again changes nothing.
        assert_eq!(for_sharing(&shared, &Registry::builtin()), shared);
    }

    #[test]
    fn a_preview_is_whole_lines_within_the_limit() {
        assert_eq!(preview("{\n  \"a\": 1\n}\n", 100), "{\n  \"a\": 1\n}\n", "short texts whole");
        assert_eq!(preview("{\n  \"a\": 1\n}\n", 12), "{\n  \"a\": 1\n");
        assert_eq!(preview("{\n  \"a\": 1\n}\n", 10), "{\n");
        // One long line: cut inside it, never inside a character.
        assert_eq!(preview("\"ééé\"", 4), "\"é");
    }
}
