//! `grafana-piechart-panel` → `piechart`, as Grafana's auto-migration of the old plugin does.

use super::keep_common_keys;
use crate::json::is_truthy;
use serde_json::{Map, Value, json};

/// Grafana's PieChartPanelChangedHandler: the old plugin's colours, unit, decimals (0 unless set),
/// reducer, pie or donut, and legend (a table on the right by default, or labels on the pie).
pub(super) fn piechart_from_angular(panel: &mut Map<String, Value>) {
    let old = std::mem::take(panel);
    let angular = keep_common_keys(old, panel);
    panel.insert("type".into(), json!("piechart"));
    let mut overrides = Vec::new();
    for (alias, color) in angular.get("aliasColors").and_then(Value::as_object).into_iter().flatten() {
        if is_truthy(Some(color)) {
            overrides.push(json!({
                "matcher": {"id": "byName", "options": alias},
                "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": color}}]
            }));
        }
    }
    let mut defaults = Map::new();
    if let Some(format) = angular.get("format").filter(|f| !f.is_null()) {
        defaults.insert("unit".into(), format.clone());
    }
    let decimals = angular.get("decimals").filter(|d| is_truthy(Some(d))).cloned().unwrap_or(json!(0));
    defaults.insert("decimals".into(), decimals);
    // Grafana writes the overrides first.
    panel.insert("fieldConfig".into(), json!({"overrides": overrides, "defaults": defaults}));

    let legend_type = angular.get("legendType").and_then(Value::as_str);
    let placement = if legend_type == Some("Under graph") { "bottom" } else { "right" };
    let old_legend = angular.get("legend").and_then(Value::as_object);
    let legend_flag = |key: &str| old_legend.is_some_and(|l| is_truthy(l.get(key)));
    let mut values = Vec::new();
    if legend_flag("values") {
        values.push(json!("value"));
    }
    if legend_flag("percentage") {
        values.push(json!("percent"));
    }
    let show_legend = (old_legend.is_none() || legend_flag("show")) && legend_type != Some("On graph");
    let mut options = Map::new();
    options.insert(
        "legend".into(),
        json!({"placement": placement, "values": values, "displayMode": "table", "showLegend": show_legend, "calcs": []}),
    );
    if let Some(value_name) = angular.get("valueName").filter(|v| is_truthy(Some(v))) {
        let calcs = match value_name.as_str() {
            Some("current") => json!(["lastNotNull"]),
            Some("min") => json!(["min"]),
            Some("max") => json!(["max"]),
            Some("avg") => json!(["mean"]),
            Some("total") => json!(["sum"]),
            _ => json!([]),
        };
        options.insert("reduceOptions".into(), json!({"calcs": calcs}));
    }
    if let Some(pie_type @ ("pie" | "donut")) = angular.get("pieType").and_then(Value::as_str) {
        options.insert("pieType".into(), json!(pie_type));
    }
    if legend_type == Some("On graph") {
        let mut labels = vec![json!("name")];
        if legend_flag("values") {
            labels.push(json!("value"));
        }
        if legend_flag("percentage") {
            labels.push(json!("percent"));
        }
        options.insert("displayLabels".into(), Value::Array(labels));
    }
    panel.insert("options".into(), Value::Object(options));
}
