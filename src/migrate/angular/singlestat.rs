//! `singlestat` and `grafana-singlestat-panel` → `stat` (or `gauge` when it showed a gauge).

use super::keep_common_keys;
use crate::json::{is_truthy, lenient_f64, number};
use crate::migrate::Notes;
use serde_json::{Map, Value, json};

pub(super) fn singlestat_to_stat(panel: &mut Map<String, Value>, path: &str, notes: &mut Notes) {
    let old = std::mem::take(panel);
    let angular = keep_common_keys(old, panel);
    let is_gauge = angular.get("gauge").and_then(|g| g.get("show")).is_some_and(|s| is_truthy(Some(s)));
    panel.insert("type".into(), json!(if is_gauge { "gauge" } else { "stat" }));

    let reducer = match angular.get("valueName").and_then(Value::as_str).unwrap_or("avg") {
        "avg" => "mean",
        "current" => "lastNotNull",
        "total" => "sum",
        "name" => "last",
        "first" => "firstNotNull",
        "delta" => "delta",
        "diff" => "diff",
        "range" => "range",
        "last_time" => "last",
        "min" => "min",
        "max" => "max",
        other => {
            notes.add(&format!("{path}.valueName"), format!("unknown value {other:?}; using the mean"));
            "mean"
        }
    };
    let mut defaults = Map::new();
    if let Some(format) = angular.get("format").filter(|f| !f.is_null()) {
        defaults.insert("unit".into(), format.clone());
    }
    if let Some(decimals) = lenient_f64(angular.get("decimals")) {
        defaults.insert("decimals".into(), number(decimals));
    }
    let colors: Vec<Value> = angular.get("colors").and_then(Value::as_array).cloned().unwrap_or_default();
    let levels: Vec<f64> = angular
        .get("thresholds")
        .and_then(Value::as_str)
        .map(|t| t.split(',').filter_map(|v| v.trim().parse().ok()).collect())
        .unwrap_or_default();
    let mut steps = vec![json!({"value": null, "color": colors.first().cloned().unwrap_or(json!("green"))})];
    for (index, level) in levels.iter().enumerate() {
        let color = colors.get(index + 1).cloned().unwrap_or(json!("red"));
        steps.push(json!({"value": number(*level), "color": color}));
    }
    defaults.insert("thresholds".into(), json!({"mode": "absolute", "steps": steps}));
    let mut mappings = Vec::new();
    for map in angular.get("valueMaps").and_then(Value::as_array).into_iter().flatten() {
        if let (Some(value), Some(text)) = (map.get("value"), map.get("text")) {
            if value == "null" {
                mappings
                    .push(json!({"type": "special", "options": {"match": "null", "result": {"text": text}}}));
            } else {
                mappings.push(json!({"type": "value", "options": {value.as_str().unwrap_or(&value.to_string()): {"text": text}}}));
            }
        }
    }
    for map in angular.get("rangeMaps").and_then(Value::as_array).into_iter().flatten() {
        let bound = |key: &str| lenient_f64(map.get(key)).map(number).unwrap_or(Value::Null);
        mappings.push(json!({"type": "range", "options": {"from": bound("from"), "to": bound("to"), "result": {"text": map.get("text").cloned().unwrap_or(json!(""))}}}));
    }
    defaults.insert("mappings".into(), json!(mappings));
    if let Some(null_text) = angular.get("nullText").filter(|t| is_truthy(Some(t))) {
        defaults.insert("noValue".into(), null_text.clone());
    }
    defaults.insert("color".into(), json!({"mode": "thresholds"}));
    let color_mode = if is_truthy(angular.get("colorBackground")) {
        "background"
    } else if is_truthy(angular.get("colorValue")) {
        "value"
    } else {
        "none"
    };
    let graph_mode =
        if angular.get("sparkline").and_then(|s| s.get("show")).is_some_and(|s| is_truthy(Some(s))) {
            "area"
        } else {
            "none"
        };
    let reduce = json!({"calcs": [reducer], "fields": "", "values": false});
    let options = if is_gauge {
        json!({"reduceOptions": reduce, "showThresholdLabels": is_truthy(angular.get("gauge").and_then(|g| g.get("thresholdLabels"))),
               "showThresholdMarkers": angular.get("gauge").and_then(|g| g.get("thresholdMarkers")).is_none_or(|m| is_truthy(Some(m)))})
    } else {
        json!({"reduceOptions": reduce, "colorMode": color_mode, "graphMode": graph_mode, "justifyMode": "auto",
               "orientation": "horizontal", "textMode": "auto"})
    };
    for key in ["prefix", "postfix"] {
        if angular.get(key).is_some_and(|v| is_truthy(Some(v))) {
            notes.add(&format!("{path}.{key}"), format!("singlestat {key} has no stat equivalent; dropped"));
        }
    }
    panel.insert("fieldConfig".into(), json!({"defaults": defaults, "overrides": []}));
    panel.insert("options".into(), options);
    notes.add(path, format!("singlestat panel migrated to {}", if is_gauge { "gauge" } else { "stat" }));
}
