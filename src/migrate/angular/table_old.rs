//! `table-old` → `table`: column styles become field overrides.

use super::keep_common_keys;
use crate::json::{is_truthy, lenient_f64};
use crate::migrate::Notes;
use serde_json::{Map, Value, json};

/// `table-old` → `table`, as Grafana's table panel-change handler does: the `/.*/` style becomes
/// the defaults, every other style an override, and the old transform a transformation.
pub(super) fn table_old_to_table(panel: &mut Map<String, Value>, path: &str, notes: &mut Notes) {
    let old = std::mem::take(panel);
    let angular = keep_common_keys(old, panel);
    panel.insert("type".into(), json!("table"));
    let color_mode = |mode: &str| match mode {
        "value" => "color-text",
        _ => "color-background",
    };
    let thresholds = |style: &Map<String, Value>| -> Option<Value> {
        let levels = style.get("thresholds").and_then(Value::as_array).filter(|t| !t.is_empty())?;
        let colors = style.get("colors").and_then(Value::as_array).cloned().unwrap_or_default();
        let mut steps = vec![json!({"color": colors.first().cloned().unwrap_or(Value::Null), "value": null})];
        for (index, level) in levels.iter().enumerate() {
            // JavaScript's parseInt: the leading integer of the text.
            let value = lenient_f64(Some(level)).map(|v| json!(v.trunc() as i64)).unwrap_or(Value::Null);
            steps.push(
                json!({"color": colors.get(index + 1).cloned().unwrap_or(Value::Null), "value": value}),
            );
        }
        Some(json!({"mode": "absolute", "steps": steps}))
    };
    let align = |style: &Map<String, Value>| {
        style.get("align").map(|a| if a == "auto" { Value::Null } else { a.clone() })
    };

    let mut transformations: Vec<Value> =
        panel.get("transformations").and_then(Value::as_array).cloned().unwrap_or_default();
    let transform = angular.get("transform").and_then(Value::as_str).unwrap_or("");
    let transformation = match transform {
        "timeseries_to_rows" => Some(("seriesToRows", json!({"reducers": []}))),
        "timeseries_to_columns" => Some(("seriesToColumns", json!({"reducers": []}))),
        "table" => Some(("merge", json!({"reducers": []}))),
        "timeseries_aggregations" => {
            let reducers: Vec<Value> = angular
                .get("columns")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|c| c.get("value").and_then(Value::as_str))
                .filter_map(|v| match v {
                    "avg" => Some("mean"),
                    "min" => Some("min"),
                    "max" => Some("max"),
                    "total" => Some("sum"),
                    "current" => Some("lastNotNull"),
                    "count" => Some("count"),
                    _ => None,
                })
                .map(Value::from)
                .collect();
            Some(("reduce", json!({"reducers": reducers, "includeTimeField": false})))
        }
        _ => None,
    };
    if let Some((id, options)) = transformation {
        transformations.push(json!({"id": id, "options": options}));
    }
    panel.insert("transformations".into(), Value::Array(transformations));

    let styles: Vec<Map<String, Value>> = angular
        .get("styles")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_object().cloned())
        .collect();
    let mut defaults = Map::new();
    let mut custom = Map::new();
    if let Some(style) = styles.iter().find(|s| s.get("pattern").and_then(Value::as_str) == Some("/.*/")) {
        for (from_key, to_key) in [("unit", "unit"), ("decimals", "decimals"), ("alias", "displayName")] {
            if let Some(value) = style.get(from_key).filter(|v| !v.is_null()) {
                defaults.insert(to_key.into(), value.clone());
            }
        }
        if let Some(align) = align(style) {
            custom.insert("align".into(), align);
        }
        if let Some(thresholds) = thresholds(style) {
            defaults.insert("thresholds".into(), thresholds);
        }
        if let Some(mode) = style.get("colorMode").and_then(Value::as_str) {
            custom.insert("cellOptions".into(), json!({"type": color_mode(mode)}));
        }
    }
    defaults.insert("custom".into(), Value::Object(custom));
    let overrides: Vec<Value> = styles
        .iter()
        .filter(|s| s.get("pattern").and_then(Value::as_str) != Some("/.*/"))
        .map(|style| {
            let pattern = style.get("pattern").and_then(Value::as_str).unwrap_or("");
            let matcher = if pattern.len() > 1 && pattern.starts_with('/') && pattern.ends_with('/') {
                "byRegexp"
            } else {
                "byName"
            };
            let mut properties = Vec::new();
            let mut add = |id: &str, value: Value| properties.push(json!({"id": id, "value": value}));
            if let Some(alias) = style.get("alias").filter(|a| is_truthy(Some(a))) {
                add("displayName", alias.clone());
            }
            if let Some(unit) = style.get("unit").filter(|u| is_truthy(Some(u))) {
                add("unit", unit.clone());
            }
            if let Some(decimals) = style.get("decimals").filter(|d| is_truthy(Some(d))) {
                add("decimals", decimals.clone());
            }
            if style.get("type").and_then(Value::as_str) == Some("date") {
                let format = style.get("dateFormat").and_then(Value::as_str).unwrap_or("");
                add("unit", json!(format!("time: {format}")));
            }
            if is_truthy(style.get("link")) {
                add(
                    "links",
                    json!([{
                        "title": style.get("linkTooltip").cloned().unwrap_or(json!("")),
                        "url": style.get("linkUrl").cloned().unwrap_or(json!("")),
                        "targetBlank": style.get("linkTargetBlank").cloned().unwrap_or(json!(false)),
                    }]),
                );
            }
            if let Some(mode) = style.get("colorMode").and_then(Value::as_str) {
                add("custom.cellOptions", json!({"type": color_mode(mode)}));
            }
            if let Some(align) = align(style) {
                add("custom.align", align);
            }
            if let Some(thresholds) = thresholds(style) {
                add("thresholds", thresholds);
            }
            json!({"matcher": {"id": matcher, "options": pattern}, "properties": properties})
        })
        .collect();
    panel.insert("fieldConfig".into(), json!({"defaults": defaults, "overrides": overrides}));
    if styles.iter().any(|s| s.get("type").and_then(Value::as_str) == Some("hidden")) {
        notes.add(path, "table-old hidden columns are not translated (Grafana drops them too)");
    }
    notes.add(path, "table-old panel migrated to table (styles became field config)");
}
