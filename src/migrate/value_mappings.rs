//! Value mapping step (schema 30): legacy value and range mappings become the current
//! `mappings` objects, shared with the singlestat and gauge plugin migrations.

use crate::json::{leading_number, number};
use serde_json::{Map, Value, json};

/// Schema 30: legacy value mappings (`type` 1 = value → text, 2 = range → text) become the current
/// forms; all value mappings merge into one, placed first; `"null"` becomes a special mapping; a
/// numeric text takes its colour from the thresholds.
pub(super) fn upgrade_panel_value_mappings(panel: &mut Map<String, Value>) {
    let Some(Value::Object(field_config)) = panel.get_mut("fieldConfig") else { return };
    if let Some(Value::Object(defaults)) = field_config.get_mut("defaults") {
        let thresholds = defaults.get("thresholds").cloned();
        if let Some(Value::Array(mappings)) = defaults.get_mut("mappings") {
            *mappings = upgrade_value_mappings(mappings, thresholds.as_ref());
        }
    }
    let Some(Value::Array(overrides)) = field_config.get_mut("overrides") else { return };
    for property in
        overrides.iter_mut().filter_map(|o| o.get_mut("properties")).filter_map(Value::as_array_mut).flatten()
    {
        if property.get("id").and_then(Value::as_str) == Some("mappings")
            && let Some(Value::Array(mappings)) = property.get_mut("value")
        {
            *mappings = upgrade_value_mappings(mappings, None);
        }
    }
}

pub fn upgrade_value_mappings(old: &[Value], thresholds: Option<&Value>) -> Vec<Value> {
    if old.is_empty() {
        return Vec::new();
    }
    let mut values = Map::new();
    let mut has_values = false;
    let mut others = Vec::new();
    for mapping in old.iter().filter_map(Value::as_object) {
        if let Some(kind) = mapping.get("type").and_then(Value::as_str).filter(|k| !k.is_empty()) {
            if kind == "value" {
                if let Some(Value::Object(options)) = mapping.get("options") {
                    values.extend(options.clone());
                    has_values = true;
                }
            } else {
                others.push(Value::Object(mapping.clone()));
            }
            continue;
        }
        let mut result = Map::new();
        result.insert("text".into(), mapping.get("text").cloned().unwrap_or(Value::Null));
        let text_number =
            mapping.get("text").and_then(Value::as_str).and_then(|t| t.trim().parse::<f64>().ok());
        if let (Some(number), Some(thresholds)) = (text_number, thresholds) {
            result.insert("color".into(), active_threshold_color(number, thresholds));
        }
        match leading_number(mapping.get("type")).map(|t| t as i64) {
            Some(1) => match mapping.get("value") {
                None | Some(Value::Null) => {}
                Some(Value::String(value)) if value == "null" => {
                    others.push(json!({"type": "special", "options": {"match": "null", "result": result}}));
                }
                Some(value) => {
                    let key = match value {
                        Value::String(text) => text.clone(),
                        other => other.to_string(),
                    };
                    values.insert(key, Value::Object(result));
                    has_values = true;
                }
            },
            Some(2) => {
                let bound = |key: &str| leading_number(mapping.get(key)).unwrap_or(0.0);
                others.push(json!({"type": "range", "options": {
                    "from": number(bound("from")), "to": number(bound("to")), "result": result}}));
            }
            _ => {}
        }
    }
    if has_values {
        others.insert(0, json!({"type": "value", "options": values}));
    }
    others
}

/// The colour of the last threshold step at or below `value` (the base step counts as -∞), or
/// Grafana's fallback grey when there are no steps.
fn active_threshold_color(value: f64, thresholds: &Value) -> Value {
    let Some(steps) = thresholds.get("steps").and_then(Value::as_array).filter(|s| !s.is_empty()) else {
        return json!("#808080");
    };
    let mut active = &steps[0];
    for step in steps {
        let step_value = match step.get("value") {
            None => break,
            Some(Value::Null) => 0.0,
            Some(other) => match leading_number(Some(other)) {
                Some(number) => number,
                None => break,
            },
        };
        if value >= step_value {
            active = step;
        } else {
            break;
        }
    }
    active.get("color").cloned().unwrap_or(Value::Null)
}
