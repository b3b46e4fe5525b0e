//! Export for sharing externally, as Grafana's DashboardExporter writes it (grafana-and-peers.md
//! §1.5): datasources become `${DS_…}` inputs listed in `__inputs` and `__requires`, constants become
//! `${VAR_…}` inputs, query variables lose their current values, and the instance `id` is cleared.
//!
//! Datasources are named as the registry ([`crate::datasource`]) names them; a reference to no
//! configured datasource is named after its uid.

use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

use crate::datasource::name_for_uid;
const PROMETHEUS_PLUGIN: (&str, &str, &str) = ("prometheus", "Prometheus", "1.0.0");

/// Grafana's input name for a datasource: `DS_` + the name with its first space made `_`, upper case
/// (JavaScript's `replace(' ', '_')` replaces only the first space).
pub fn datasource_input_name(datasource_name: &str) -> String {
    format!("DS_{}", datasource_name.replacen(' ', "_", 1).to_uppercase())
}

#[derive(Default)]
struct Collected {
    /// Datasource name → input name, in first-seen order.
    datasources: Vec<(String, String)>,
}

impl Collected {
    /// Rewrites one `datasource` value and remembers the input it now refers to.
    fn templatize(&mut self, datasource: &mut Value) {
        let default_name = || crate::datasource::current().default_datasource().name.clone();
        let name = match &*datasource {
            Value::Null => default_name(),
            Value::String(name) if name == "default" => default_name(),
            Value::String(name) => name.clone(),
            Value::Object(reference) => match reference.get("uid").and_then(Value::as_str) {
                Some(uid) => name_for_uid(uid),
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

pub fn for_sharing(raw: &Map<String, Value>) -> Map<String, Value> {
    let mut dashboard = raw.clone();
    let mut collected = Collected::default();
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
    let mut requires =
        vec![json!({"type": "grafana", "id": "grafana", "name": "Grafana", "version": "12.0.0"})];
    if !collected.datasources.is_empty() {
        requires.push(json!({"type": "datasource", "id": PROMETHEUS_PLUGIN.0, "name": PROMETHEUS_PLUGIN.1, "version": PROMETHEUS_PLUGIN.2}));
    }
    for type_name in panel_types.keys() {
        requires.push(json!({"type": "panel", "id": type_name, "name": type_name, "version": ""}));
    }
    requires.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));

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

#[cfg(test)]
mod tests {
    use super::*;

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
        let shared = for_sharing(&raw);
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
}
