//! `graph` → `timeseries`, options translated as Grafana's flot migration does: axes, legend,
//! draw styles, series overrides, thresholds and time regions.

use super::keep_common_keys;
use crate::json::{is_truthy, lenient_f64, number};
use crate::migrate::Notes;
use crate::sorting;
use serde_json::{Map, Value, json};

/// One legacy y axis as field config (unit, decimals, min, max and the axis' custom options).
fn axis_field_config(axis: Option<&Value>) -> Map<String, Value> {
    let mut config = Map::new();
    let Some(axis) = axis.and_then(Value::as_object) else { return config };
    let mut custom = Map::new();
    custom.insert("axisPlacement".into(), json!(if is_truthy(axis.get("show")) { "auto" } else { "hidden" }));
    if let Some(label) = axis.get("label").filter(|l| is_truthy(Some(l))) {
        custom.insert("axisLabel".into(), label.clone());
    }
    if let Some(log) = lenient_f64(axis.get("logBase")).filter(|l| *l == 2.0 || *l == 10.0) {
        custom.insert("scaleDistribution".into(), json!({"type": "log", "log": number(log)}));
    }
    if let Some(format) = axis.get("format").filter(|f| !f.is_null()) {
        config.insert("unit".into(), format.clone());
    }
    for key in ["decimals", "min", "max"] {
        if let Some(value) = lenient_f64(axis.get(key)) {
            config.insert(key.into(), number(value));
        }
    }
    config.insert("custom".into(), Value::Object(custom));
    config
}

pub(super) fn graph_to_timeseries(panel: &mut Map<String, Value>, path: &str, notes: &mut Notes) {
    let old = std::mem::take(panel);
    let angular = keep_common_keys(old, panel);
    panel.insert("type".into(), json!("timeseries"));
    let yaxes: Vec<Value> = angular.get("yaxes").and_then(Value::as_array).cloned().unwrap_or_default();
    let previous_field_config =
        angular.get("fieldConfig").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut defaults =
        previous_field_config.get("defaults").and_then(Value::as_object).cloned().unwrap_or_default();
    // The graph plugin's own migration: data links of Grafana < 7.1 move to the field config.
    if let Some(links) = angular.get("options").and_then(|o| o.get("dataLinks")) {
        defaults.insert("links".into(), links.clone());
    }
    let y1 = axis_field_config(yaxes.first());
    for (key, value) in y1 {
        defaults.insert(key, value);
    }
    let mut overrides: Vec<Value> =
        previous_field_config.get("overrides").and_then(Value::as_array).cloned().unwrap_or_default();

    if let Some(colors) = angular.get("aliasColors").and_then(Value::as_object) {
        for (alias, color) in colors.iter().filter(|(_, c)| is_truthy(Some(c))) {
            overrides.push(json!({
                "matcher": {"id": "byName", "options": alias},
                "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": color}}]
            }));
        }
    }
    let mut has_fill_below_to = false;
    for (index, series_override) in
        angular.get("seriesOverrides").and_then(Value::as_array).into_iter().flatten().enumerate()
    {
        let Some(series_override) = series_override.as_object() else { continue };
        let Some(alias) = series_override.get("alias").and_then(Value::as_str).filter(|a| !a.is_empty())
        else {
            continue;
        };
        let is_regex = alias.len() > 1 && alias.starts_with('/') && alias.ends_with('/');
        let mut properties = Vec::new();
        let mut dash: Option<(bool, Value, Value)> = None;
        let property = |id: &str, value: Value| json!({"id": id, "value": value});
        for (key, value) in series_override {
            match key.as_str() {
                "alias" | "$$hashKey" => {}
                "yaxis" => {
                    if lenient_f64(Some(value)) == Some(2.0) {
                        let y2 = axis_field_config(yaxes.get(1));
                        let y1_now = axis_field_config(yaxes.first());
                        for (axis_key, axis_value) in &y2 {
                            if axis_key != "custom" && y1_now.get(axis_key) != Some(axis_value) {
                                properties.push(property(axis_key, axis_value.clone()));
                            }
                        }
                        let y1_custom = y1_now.get("custom").cloned().unwrap_or(json!({}));
                        for (custom_key, custom_value) in
                            y2.get("custom").and_then(Value::as_object).into_iter().flatten()
                        {
                            if y1_custom.get(custom_key) != Some(custom_value) {
                                properties
                                    .push(property(&format!("custom.{custom_key}"), custom_value.clone()));
                            }
                        }
                        // Grafana puts a right axis on the right by this same path.
                        if !properties.iter().any(|p| p["id"] == "custom.axisPlacement") {
                            properties.push(property("custom.axisPlacement", json!("right")));
                        }
                    }
                }
                "fill" => properties.push(property(
                    "custom.fillOpacity",
                    number(lenient_f64(Some(value)).unwrap_or(0.0) * 10.0),
                )),
                "fillBelowTo" => {
                    has_fill_below_to = true;
                    properties.push(property("custom.fillBelowTo", value.clone()));
                }
                "fillGradient" if is_truthy(Some(value)) => {
                    properties.push(property("custom.fillGradient", json!("opacity")));
                    properties.push(property(
                        "custom.fillOpacity",
                        number(lenient_f64(Some(value)).unwrap_or(0.0) * 10.0),
                    ));
                }
                "points" => properties.push(property(
                    "custom.showPoints",
                    json!(if is_truthy(Some(value)) { "always" } else { "never" }),
                )),
                "bars" if is_truthy(Some(value)) => {
                    properties.push(property("custom.drawStyle", json!("bars")));
                    properties.push(property("custom.fillOpacity", json!(100)));
                }
                "bars" => properties.push(property("custom.drawStyle", json!("line"))),
                "lines" => properties.push(property("custom.lineWidth", json!(0))),
                "linewidth" => properties.push(property("custom.lineWidth", value.clone())),
                "pointradius" => properties.push(property(
                    "custom.pointSize",
                    number(2.0 + lenient_f64(Some(value)).unwrap_or(0.0) * 2.0),
                )),
                "dashes" | "dashLength" | "spaceLength" => {
                    let entry = dash.get_or_insert_with(|| {
                        (
                            is_truthy(angular.get("dashes")),
                            angular.get("dashLength").cloned().unwrap_or(json!(10)),
                            angular.get("spaceLength").cloned().unwrap_or(json!(10)),
                        )
                    });
                    match key.as_str() {
                        "dashes" => entry.0 = is_truthy(Some(value)),
                        "dashLength" => entry.1 = value.clone(),
                        _ => entry.2 = value.clone(),
                    }
                }
                "stack" => {
                    properties.push(property("custom.stacking", json!({"mode": "normal", "group": value})))
                }
                "color" => properties.push(property("color", json!({"mode": "fixed", "fixedColor": value}))),
                "transform" if value == "negative-Y" => {
                    properties.push(property("custom.transform", json!("negative-Y")))
                }
                other => notes.add(
                    &format!("{path}.seriesOverrides[{index}].{other}"),
                    format!("series override {other} for {alias:?} has no time series equivalent; dropped"),
                ),
            }
        }
        if let Some((dashed, length, space)) = dash {
            properties.push(property(
                "custom.lineStyle",
                json!({"fill": if dashed {"dash"} else {"solid"}, "dash": [length, space]}),
            ));
        }
        if !properties.is_empty() {
            let matcher = if is_regex { "byRegexp" } else { "byName" };
            overrides.push(json!({"matcher": {"id": matcher, "options": alias}, "properties": properties}));
        }
    }

    let mut custom = defaults.get("custom").and_then(Value::as_object).cloned().unwrap_or_default();
    let draw_style = if is_truthy(angular.get("bars")) {
        "bars"
    } else if angular.get("lines").is_none_or(|l| is_truthy(Some(l))) {
        "line"
    } else {
        "points"
    };
    custom.insert("drawStyle".into(), json!(draw_style));
    if is_truthy(angular.get("points")) {
        custom.insert("showPoints".into(), json!("always"));
        if let Some(radius) = lenient_f64(angular.get("pointradius")) {
            custom.insert("pointSize".into(), number(2.0 + radius * 2.0));
        }
    } else if draw_style != "points" {
        custom.insert("showPoints".into(), json!("never"));
    }
    if let Some(width) = angular.get("linewidth") {
        custom.insert("lineWidth".into(), width.clone());
    }
    if is_truthy(angular.get("dashes")) {
        let length = angular.get("dashLength").cloned().unwrap_or(json!(10));
        let space = angular.get("spaceLength").cloned().unwrap_or(json!(10));
        custom.insert("lineStyle".into(), json!({"fill": "dash", "dash": [length, space]}));
    }
    if has_fill_below_to {
        custom.insert("fillOpacity".into(), json!(35));
    } else if let Some(fill) = angular.get("fill").and_then(Value::as_f64) {
        custom.insert("fillOpacity".into(), number(fill * 10.0));
    }
    if let Some(gradient) = angular.get("fillGradient").and_then(Value::as_f64).filter(|g| *g > 0.0) {
        custom.insert("gradientMode".into(), json!("opacity"));
        custom.insert("fillOpacity".into(), number(gradient * 10.0));
    }
    let null_point_mode = angular.get("nullPointMode").and_then(Value::as_str);
    // Current Grafana connects across nulls only for "connected" (older builds compared with
    // "null", which inverted the meaning).
    custom.insert("spanNulls".into(), json!(null_point_mode == Some("connected")));
    if is_truthy(angular.get("steppedLine")) {
        custom.insert("lineInterpolation".into(), json!("stepAfter"));
    }
    if draw_style == "bars" {
        custom.insert("fillOpacity".into(), json!(100));
    }
    if is_truthy(angular.get("stack")) {
        custom.insert("stacking".into(), json!({"mode": if is_truthy(angular.get("percentage")) { "percent" } else { "normal" }, "group": "A"}));
    }

    if let Some(thresholds) = angular.get("thresholds").and_then(Value::as_array).filter(|t| !t.is_empty()) {
        let (steps, style) = translate_graph_thresholds(thresholds);
        custom.insert("thresholdsStyle".into(), json!({"mode": style}));
        defaults.insert("thresholds".into(), json!({"mode": "absolute", "steps": steps}));
    }
    defaults.insert("custom".into(), Value::Object(custom));
    if let Some(mode) = null_point_mode {
        defaults.insert("nullValueMode".into(), json!(mode));
    }

    let mut legend = json!({"displayMode": "list", "placement": "bottom", "calcs": []});
    if let Some(old_legend) = angular.get("legend").and_then(Value::as_object) {
        legend["displayMode"] = json!(if !is_truthy(old_legend.get("show")) {
            "hidden"
        } else if is_truthy(old_legend.get("alignAsTable")) {
            "table"
        } else {
            "list"
        });
        if is_truthy(old_legend.get("rightSide")) {
            legend["placement"] = json!("right");
        }
        if is_truthy(old_legend.get("values")) {
            let calcs: Vec<&str> = old_legend
                .iter()
                .filter(|(_, v)| is_truthy(Some(v)))
                .filter_map(|(key, _)| legend_reducer(key))
                .collect();
            legend["calcs"] = json!(calcs);
        }
    }
    // Schema 37's legend rule, for panels migrated after it ran.
    if legend["displayMode"] == "hidden" {
        legend["displayMode"] = json!("list");
        legend["showLegend"] = json!(false);
    } else {
        legend["showLegend"] = json!(true);
    }
    let tooltip_mode = match angular.get("tooltip").and_then(|t| t.get("shared")) {
        Some(shared) if is_truthy(Some(shared)) => "multi",
        _ => "single",
    };
    panel.insert("fieldConfig".into(), json!({"defaults": defaults, "overrides": overrides}));
    panel.insert(
        "options".into(),
        json!({"legend": legend, "tooltip": {"mode": tooltip_mode, "sort": "none"}}),
    );
    notes.add(path, "graph panel migrated to timeseries (Grafana's flot migration)");
}

/// Legacy legend value switches → reducer ids (Grafana's aliases: avg = mean, current = lastNotNull,
/// total = sum).
fn legend_reducer(key: &str) -> Option<&'static str> {
    Some(match key {
        "min" => "min",
        "max" => "max",
        "avg" => "mean",
        "current" => "lastNotNull",
        "total" => "sum",
        _ => return None,
    })
}

fn threshold_color(threshold: &Value) -> Value {
    match threshold.get("colorMode").and_then(Value::as_str) {
        Some("warning") => json!("orange"),
        Some("custom") => threshold
            .get("fillColor")
            .filter(|c| is_truthy(Some(c)))
            .or_else(|| threshold.get("lineColor"))
            .cloned()
            .unwrap_or(json!("red")),
        _ => json!("red"),
    }
}

/// Graph thresholds (`op gt/lt` with fill and line) → threshold steps and a thresholds style.
fn translate_graph_thresholds(thresholds: &[Value]) -> (Vec<Value>, &'static str) {
    let mut sorted: Vec<&Value> = thresholds.iter().collect();
    sorting::sort_by(&mut sorted, |a, b| {
        let value = |t: &Value| lenient_f64(t.get("value")).unwrap_or(f64::NEG_INFINITY);
        value(a).total_cmp(&value(b))
    });
    let mut steps: Vec<Value> = Vec::new();
    let (mut area, mut line) = (false, false);
    for (index, threshold) in sorted.iter().enumerate() {
        let next = sorted.get(index + 1);
        area |= is_truthy(threshold.get("fill"));
        line |= is_truthy(threshold.get("line"));
        let value = threshold.get("value").cloned().unwrap_or(Value::Null);
        match threshold.get("op").and_then(Value::as_str) {
            Some("gt") => steps.push(json!({"value": value, "color": threshold_color(threshold)})),
            Some("lt") => {
                if steps.is_empty() {
                    steps.push(json!({"value": null, "color": threshold_color(threshold)}));
                }
                let color = match next {
                    Some(next) if next.get("op").and_then(Value::as_str) == Some("lt") => {
                        threshold_color(next)
                    }
                    _ => json!("transparent"),
                };
                steps.push(json!({"value": value, "color": color}));
            }
            _ => {}
        }
    }
    // JSON has no -Infinity: Grafana saves the base step's value as null.
    if steps.first().is_some_and(|s| !s["value"].is_null()) {
        steps.insert(0, json!({"value": null, "color": "transparent"}));
    }
    let style = match (line, area) {
        (true, true) => "line+area",
        (_, true) => "area",
        _ => "line",
    };
    (steps, style)
}
