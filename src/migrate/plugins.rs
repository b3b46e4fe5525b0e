//! Panel plugin migrations: what Grafana's stat, gauge and bar gauge plugins do to a panel saved by an
//! older plugin version when it loads (their shared single-stat migration handler). It depends on the
//! panel's `pluginVersion`, not on the dashboard's schemaVersion: Grafana 6.0–6.5 kept field options
//! under `options` (`valueOptions`, `fieldOptions`, `thresholds`, `valueMappings`), 7.0 moved them to
//! `fieldConfig`. Reference: Grafana's SingleStatBaseOptions.ts.
//!
//! Runs before the Angular migration: a panel that migration creates from a singlestat is written
//! by the current plugin, as Grafana's `changePlugin` stamps the current version on it.

use super::Notes;
use super::later::upgrade_value_mappings;
use crate::field::display::reducer_id;
use serde_json::{Map, Value, json};

const SINGLE_STAT_PLUGINS: &[&str] = &["stat", "gauge", "bargauge"];

/// `parseFloat(pluginVersion || '6.1')`: the leading number of the version, NaN when it has none
/// (`"v10.4.0"`), which makes every comparison false, as in JavaScript.
fn previous_version(panel: &Map<String, Value>) -> f64 {
    let text = match panel.get("pluginVersion") {
        Some(Value::String(s)) if !s.is_empty() => s.trim_start().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => "6.1".to_string(),
    };
    let mut end = 0;
    let mut seen_dot = false;
    for (index, c) in text.char_indices() {
        match c {
            '0'..='9' => end = index + 1,
            '.' if !seen_dot => seen_dot = true,
            '-' | '+' if index == 0 => {}
            _ => break,
        }
    }
    text[..end].parse().unwrap_or(f64::NAN)
}

pub fn migrate_panel(panel: &mut Map<String, Value>, path: &str, notes: &mut Notes) {
    let type_name = panel.get("type").and_then(Value::as_str).unwrap_or("");
    if !SINGLE_STAT_PLUGINS.contains(&type_name) {
        return;
    }
    let previous = previous_version(panel);
    // NaN (an unparsable version) compares false with everything, as in JavaScript.
    if previous.is_nan() || previous >= 8.0 {
        return;
    }
    let mut options = match panel.get("options") {
        Some(Value::Object(options)) => options.clone(),
        _ => return,
    };
    let mut changed = false;
    if previous < 6.2 {
        changed |= from_value_options(&mut options);
    }
    if previous < 6.3 {
        changed |= thresholds_and_mappings_to_field(&mut options);
    }
    let mut field_options = options.get("fieldOptions").and_then(Value::as_object).cloned();
    if previous < 6.6
        && let Some(field_options) = field_options.as_mut()
    {
        changed = true;
        let mut defaults =
            field_options.get("defaults").and_then(Value::as_object).cloned().unwrap_or_default();
        let steps = match defaults.remove("thresholds").filter(|t| super::is_truthy(Some(t))) {
            Some(steps) => Some(steps),
            None => field_options.remove("thresholds").filter(|t| super::is_truthy(Some(t))),
        };
        if let Some(steps) = steps {
            defaults.insert("thresholds".into(), json!({"mode": "absolute", "steps": steps}));
        }
        if let Some(Value::String(color)) = defaults.get("color").cloned() {
            defaults.insert("color".into(), json!({"mode": "fixed", "fixedColor": color}));
        }
        validate_field_config(&mut defaults);
        field_options.insert("defaults".into(), Value::Object(defaults));
    }
    let mut field_config = match panel.get("fieldConfig") {
        Some(Value::Object(config)) => config.clone(),
        _ => Map::new(),
    };
    if previous < 7.0 {
        let mut defaults =
            field_config.get("defaults").and_then(Value::as_object).cloned().unwrap_or_default();
        let mut overrides =
            field_config.get("overrides").and_then(Value::as_array).cloned().unwrap_or_default();
        if let Some(field_options) = &field_options {
            if let Some(Value::Object(old_defaults)) = field_options.get("defaults") {
                for (key, value) in old_defaults {
                    defaults.insert(key.clone(), value.clone());
                }
            }
            if let Some(Value::Array(old_overrides)) = field_options.get("overrides") {
                overrides.extend(old_overrides.iter().cloned());
            }
            let mut reduce = Map::new();
            for key in ["values", "limit", "calcs"] {
                if let Some(value) = field_options.get(key) {
                    reduce.insert(key.into(), value.clone());
                }
            }
            options.insert("reduceOptions".into(), Value::Object(reduce));
            notes.add(
                &format!("{path}.options.fieldOptions"),
                "field options of plugin version 6 moved to fieldConfig",
            );
        }
        if options.remove("fieldOptions").is_some() {
            changed = true;
        }
        let upgraded_mappings = defaults.get("mappings").and_then(Value::as_array).filter(|m| {
            m.iter().any(|mapping| mapping.get("options").is_none() && mapping.get("type").is_some())
        });
        if let Some(mappings) = upgraded_mappings.cloned() {
            let thresholds = defaults.get("thresholds").cloned();
            defaults.insert("mappings".into(), json!(upgrade_value_mappings(&mappings, thresholds.as_ref())));
        }
        field_config = Map::new();
        field_config.insert("defaults".into(), Value::Object(defaults));
        field_config.insert("overrides".into(), Value::Array(overrides));
    }
    if let Some(Value::Object(defaults)) = field_config.get_mut("defaults") {
        if previous < 7.1
            && let Some(title) = defaults.remove("title")
        {
            if !title.is_null() {
                defaults.insert("displayName".into(), title);
            }
            changed = true;
        }
        if previous < 8.0 {
            // Grafana 8 stopped implying 0–100 for percent; older panels get the bounds written down.
            let bounds = match defaults.get("unit").and_then(Value::as_str) {
                Some("percent") => Some(100),
                Some("percentunit") => Some(1),
                _ => None,
            };
            if let Some(max) = bounds {
                for (key, value) in [("min", 0), ("max", max)] {
                    if !defaults.get(key).is_some_and(Value::is_number) {
                        defaults.insert(key.into(), json!(value));
                        changed = true;
                    }
                }
            }
        }
    }
    if changed {
        panel.insert("options".into(), Value::Object(options));
        panel.insert("fieldConfig".into(), Value::Object(field_config));
        panel.insert("pluginVersion".into(), json!(super::GRAFANA_VERSION));
    }
}

/// Grafana 6.1: `valueOptions`, `valueMappings`, `thresholds`, `minValue`, `maxValue` at the root of
/// the options move under `fieldOptions`.
fn from_value_options(options: &mut Map<String, Value>) -> bool {
    let Some(value_options) = options.get("valueOptions").cloned() else { return false };
    if !super::is_truthy(Some(&value_options)) {
        return false;
    }
    let mut field_options = Map::new();
    let mut defaults = Map::new();
    for (from, to) in [("valueMappings", "mappings"), ("thresholds", "thresholds")] {
        if let Some(value) = options.get(from) {
            field_options.insert(to.into(), value.clone());
        }
    }
    for key in ["unit", "decimals"] {
        if let Some(value) = value_options.get(key) {
            defaults.insert(key.into(), value.clone());
        }
    }
    for (from, to) in [("minValue", "min"), ("maxValue", "max")] {
        if let Some(value) = options.get(from) {
            defaults.insert(to.into(), value.clone());
        }
    }
    field_options.insert("defaults".into(), Value::Object(defaults));
    if let Some(id) = value_options.get("stat").and_then(Value::as_str).and_then(reducer_id) {
        field_options.insert("calcs".into(), json!([id]));
    }
    options.insert("fieldOptions".into(), Value::Object(field_options));
    for key in ["valueMappings", "thresholds", "valueOptions", "minValue", "maxValue"] {
        options.remove(key);
    }
    true
}

/// Grafana 6.2: `fieldOptions.mappings` and root `thresholds` move into `fieldOptions.defaults`.
fn thresholds_and_mappings_to_field(options: &mut Map<String, Value>) -> bool {
    let Some(Value::Object(field_options)) = options.get("fieldOptions").cloned() else { return false };
    let mut rest = field_options.clone();
    let mappings = rest.remove("mappings");
    let mut defaults = field_options.get("defaults").and_then(Value::as_object).cloned().unwrap_or_default();
    if let Some(mappings) = mappings {
        defaults.insert("mappings".into(), mappings);
    }
    match options.get("thresholds").and_then(Value::as_array).filter(|t| !t.is_empty()) {
        Some(old) => {
            defaults.insert("thresholds".into(), json!({"mode": "absolute", "steps": old_thresholds(old)}));
        }
        None => {
            defaults.remove("thresholds");
        }
    }
    rest.insert("defaults".into(), Value::Object(defaults));
    options.insert("fieldOptions".into(), Value::Object(rest));
    true
}

/// Grafana's migrateOldThresholds: `{index, value, color}` → `{value, color}` sorted by value, the
/// first one the base (`null`, Grafana's -Infinity).
fn old_thresholds(old: &[Value]) -> Vec<Value> {
    let mut steps: Vec<(f64, Value)> = old
        .iter()
        .map(|t| {
            let value = t.get("value").and_then(Value::as_f64).unwrap_or(f64::NEG_INFINITY);
            (value, t.get("color").cloned().unwrap_or(Value::Null))
        })
        .collect();
    steps.sort_by(|a, b| a.0.total_cmp(&b.0));
    steps
        .into_iter()
        .enumerate()
        .map(|(index, (value, color))| {
            let value = if index == 0 || value.is_infinite() { Value::Null } else { json!(value) };
            json!({"value": value, "color": color})
        })
        .collect()
}

/// Grafana's validateFieldConfig: thresholds without a colour mode colour by thresholds; a colour
/// object without a mode is dropped; min above max is swapped.
fn validate_field_config(defaults: &mut Map<String, Value>) {
    match defaults.get("color") {
        None if defaults.get("thresholds").is_some() => {
            defaults.insert("color".into(), json!({"mode": "thresholds"}));
        }
        Some(color) if color.get("mode").is_none_or(|m| !super::is_truthy(Some(m))) => {
            defaults.remove("color");
        }
        _ => {}
    }
    if let (Some(min), Some(max)) =
        (defaults.get("min").and_then(Value::as_f64), defaults.get("max").and_then(Value::as_f64))
        && min > max
    {
        defaults.insert("min".into(), json!(max));
        defaults.insert("max".into(), json!(min));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn migrated(panel: Value) -> Value {
        let mut panel = panel.as_object().unwrap().clone();
        let mut notes = Notes::default();
        migrate_panel(&mut panel, "panels[0]", &mut notes);
        Value::Object(panel)
    }

    #[test]
    fn plugin_versions_parse_like_parse_float() {
        let version = |v: Value| previous_version(json!({"pluginVersion": v}).as_object().unwrap());
        assert_eq!(version(json!("7.0.4")), 7.0);
        assert_eq!(version(json!("10.4.0")), 10.4);
        assert_eq!(version(json!("")), 6.1);
        assert_eq!(previous_version(&Map::new()), 6.1);
        assert!(version(json!("v10.4.0")).is_nan());
    }

    #[test]
    fn grafana_6_0_gauge_value_options_become_field_config() {
        let panel = migrated(json!({
            "type": "gauge",
            "options": {
                "valueOptions": {"unit": "bytes", "stat": "avg", "decimals": 1},
                "valueMappings": [{"id": 0, "operator": "", "text": "off", "type": 1, "value": "0"}],
                "thresholds": [{"index": 0, "value": null, "color": "green"}, {"index": 1, "value": 80, "color": "red"}],
                "minValue": 0, "maxValue": 200, "showThresholdMarkers": true
            }
        }));
        assert_eq!(
            panel["options"],
            json!({"showThresholdMarkers": true, "reduceOptions": {"calcs": ["mean"]}})
        );
        let defaults = &panel["fieldConfig"]["defaults"];
        assert_eq!(defaults["unit"], "bytes");
        assert_eq!(defaults["decimals"], 1);
        assert_eq!((defaults["min"].clone(), defaults["max"].clone()), (json!(0), json!(200)));
        // The array of 6.0 becomes the steps unchanged (Grafana does not re-sort here).
        assert_eq!(defaults["thresholds"]["mode"], "absolute");
        assert_eq!(defaults["thresholds"]["steps"][1]["value"], 80);
        assert_eq!(defaults["color"], json!({"mode": "thresholds"}));
        // The legacy value mapping is in today's form.
        assert_eq!(defaults["mappings"], json!([{"type": "value", "options": {"0": {"text": "off"}}}]));
        assert_eq!(panel["fieldConfig"]["overrides"], json!([]));
    }

    #[test]
    fn grafana_6_2_field_options_move_to_field_config() {
        let panel = migrated(json!({
            "type": "bargauge",
            "pluginVersion": "6.2.0",
            "options": {
                "orientation": "horizontal",
                "fieldOptions": {
                    "calcs": ["lastNotNull"], "values": false,
                    "defaults": {"unit": "percent", "title": "CPU", "color": "blue"},
                    "mappings": [], "thresholds": [{"color": "green", "value": null}]
                }
            }
        }));
        assert_eq!(
            panel["options"],
            json!({"orientation": "horizontal", "reduceOptions": {"values": false, "calcs": ["lastNotNull"]}})
        );
        let defaults = &panel["fieldConfig"]["defaults"];
        assert_eq!(defaults["color"], json!({"mode": "fixed", "fixedColor": "blue"}));
        assert_eq!(defaults["displayName"], "CPU");
        assert!(defaults.get("title").is_none());
        assert_eq!(defaults["thresholds"]["steps"], json!([{"color": "green", "value": null}]));
        // Percent had implied 0–100 before Grafana 8.
        assert_eq!((defaults["min"].clone(), defaults["max"].clone()), (json!(0), json!(100)));
    }

    #[test]
    fn current_plugin_versions_and_unparsable_ones_are_untouched() {
        for version in ["8.5.2", "v10.4.0", "11.6.1"] {
            let panel = json!({"type": "stat", "pluginVersion": version,
                "options": {"fieldOptions": {"calcs": ["lastNotNull"]}, "reduceOptions": {"calcs": ["mean"]}},
                "fieldConfig": {"defaults": {"unit": "percent"}, "overrides": []}});
            assert_eq!(migrated(panel.clone()), panel, "{version}");
        }
        // A 7.0 panel keeps a stray fieldOptions that 7.0 itself ignored (mysqld_exporter's overview).
        let panel = json!({"type": "stat", "pluginVersion": "7.0.4",
            "options": {"fieldOptions": {"calcs": ["lastNotNull"]}, "reduceOptions": {"calcs": ["mean"]}},
            "fieldConfig": {"defaults": {}, "overrides": []}});
        assert_eq!(migrated(panel.clone()), panel);
        let text = json!({"type": "text", "options": {"valueOptions": {"unit": "x"}}});
        assert_eq!(migrated(text.clone()), text);
    }
}
