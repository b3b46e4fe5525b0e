//! `natel-discrete-panel` → `state-timeline`, as Grafana's auto-migration of the old plugin does
//! (the state timeline's panel-changed handler): its unit, full-opacity boxes without outlines,
//! merged values, and its colour, value and range maps as value mappings, a colour given to the
//! values whose text (or key) the colour map names.

use super::keep_common_keys;
use crate::json::lenient_f64;
use serde_json::{Map, Value, json};

pub(super) fn discrete_to_state_timeline(panel: &mut Map<String, Value>) {
    let old = std::mem::take(panel);
    let angular = keep_common_keys(old, panel);
    panel.insert("type".into(), json!("state-timeline"));
    let list = |key: &str| angular.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
    let text = |entry: &Value, key: &str| {
        entry.get(key).and_then(Value::as_str).filter(|t| !t.is_empty()).map(str::to_string)
    };
    // One value mapping: colours by the colour map's text, then texts by value.
    let mut value_map = Map::new();
    for entry in list("colorMaps") {
        if let (Some(key), Some(color)) = (text(&entry, "text"), text(&entry, "color")) {
            value_map.insert(key, json!({ "color": color }));
        }
    }
    for entry in list("valueMaps") {
        let value = entry
            .get("value")
            .and_then(|v| v.as_str().map(str::to_string).or_else(|| v.as_f64().map(|n| n.to_string())));
        if let (Some(shown), Some(value)) = (text(&entry, "text"), value.filter(|v| !v.is_empty())) {
            match value_map.get_mut(&value).and_then(Value::as_object_mut) {
                Some(existing) => {
                    existing.insert("text".into(), json!(shown));
                }
                None => {
                    value_map.insert(value, json!({ "text": shown }));
                }
            }
        }
    }
    let mut mappings = vec![json!({ "type": "value", "options": value_map })];
    for entry in list("rangeMaps") {
        if let Some(shown) = text(&entry, "text") {
            let bound = |key: &str| lenient_f64(entry.get(key)).map_or(Value::Null, Value::from);
            mappings.push(json!({ "type": "range", "options": { "from": bound("from"), "to": bound("to"), "result": { "text": shown } } }));
        }
    }
    link_colors(&mut mappings);
    let mut defaults = Map::new();
    if let Some(unit) = angular.get("units").filter(|u| u.as_str().is_some_and(|u| !u.is_empty())) {
        defaults.insert("unit".into(), unit.clone());
    }
    defaults.insert("custom".into(), json!({ "fillOpacity": 100, "lineWidth": 0 }));
    defaults.insert("mappings".into(), Value::Array(mappings));
    panel.insert("fieldConfig".into(), json!({ "defaults": defaults, "overrides": [] }));
    panel.insert("options".into(), json!({ "mergeValues": true }));
}

/// A mapped value without a colour takes the colour mapped to its key or its text; a range
/// takes the colour mapped to its text.
fn link_colors(mappings: &mut [Value]) {
    let mut colors: Vec<(String, String)> = Vec::new();
    for mapping in mappings.iter() {
        for (key, target) in mapping.get("options").and_then(Value::as_object).into_iter().flatten() {
            if let Some(color) = target.get("color").and_then(Value::as_str).filter(|c| !c.is_empty()) {
                colors.push((key.clone(), color.to_string()));
            }
        }
    }
    let color_of = |key: &str| colors.iter().find(|(k, _)| k == key).map(|(_, c)| c.clone());
    for mapping in mappings.iter_mut() {
        let is_range = mapping.get("type").and_then(Value::as_str) == Some("range");
        let Some(options) = mapping.get_mut("options").and_then(Value::as_object_mut) else { continue };
        if is_range {
            if let Some(Value::Object(result)) = options.get_mut("result")
                && !result.contains_key("color")
                && let Some(color) = result.get("text").and_then(Value::as_str).and_then(color_of)
            {
                result.insert("color".into(), json!(color));
            }
            continue;
        }
        for (key, target) in options.iter_mut() {
            let Some(target) = target.as_object_mut() else { continue };
            if target.get("color").and_then(Value::as_str).is_some_and(|c| !c.is_empty()) {
                continue;
            }
            let by_text = target.get("text").and_then(Value::as_str).and_then(color_of);
            if let Some(color) = color_of(key).or(by_text) {
                target.insert("color".into(), json!(color));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_discrete_panel_becomes_a_state_timeline_with_its_maps() {
        let mut panel = json!({"id": 7, "type": "natel-discrete-panel", "title": "Up", "units": "short",
            "colorMaps": [{"text": "UP", "color": "#00ff00"}, {"text": "DOWN", "color": "#ff0000"}],
            "valueMaps": [{"op": "=", "value": "1", "text": "UP"}, {"op": "=", "value": "0", "text": "DOWN"}],
            "rangeMaps": [{"from": "2", "to": "10", "text": "UP"}], "legendSortBy": "-ms",
            "targets": [{"refId": "A", "expr": "up"}]})
        .as_object()
        .cloned()
        .unwrap();
        discrete_to_state_timeline(&mut panel);
        assert_eq!(panel["type"], "state-timeline");
        assert!(panel.get("legendSortBy").is_none() && panel["targets"][0]["expr"] == "up");
        let defaults = &panel["fieldConfig"]["defaults"];
        assert_eq!(defaults["unit"], "short");
        assert_eq!(defaults["custom"], json!({"fillOpacity": 100, "lineWidth": 0}));
        let values = &defaults["mappings"][0]["options"];
        assert_eq!(values["1"], json!({"text": "UP", "color": "#00ff00"}));
        assert_eq!(values["0"], json!({"text": "DOWN", "color": "#ff0000"}));
        assert_eq!(
            defaults["mappings"][1]["options"],
            json!({"from": 2.0, "to": 10.0, "result": {"text": "UP", "color": "#00ff00"}})
        );
        assert_eq!(panel["options"], json!({"mergeValues": true}));
    }
}
