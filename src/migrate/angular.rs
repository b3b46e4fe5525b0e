//! Angular panels → their React successors, as Grafana 11+ migrates them on load: `graph` →
//! `timeseries` (options translated like Grafana's flot migration), `singlestat` and
//! `grafana-singlestat-panel` → `stat` (or `gauge`), `table-old` → `table`, and renamed plugin ids.
//! Anything translated approximately or dropped is reported.

use super::Notes;
use serde_json::{Map, Value, json};

/// Panel keys Grafana keeps when a panel changes type (its PanelModel "must keep" list); every
/// other key belonged to the old plugin.
const KEPT_PANEL_KEYS: &[&str] = &[
    "id",
    "gridPos",
    "type",
    "title",
    "scopedVars",
    "repeat",
    "repeatIteration",
    "repeatPanelId",
    "repeatDirection",
    "repeatedByRow",
    "minSpan",
    "maxPerRow",
    "collapsed",
    "panels",
    "targets",
    "datasource",
    "timeFrom",
    "timeShift",
    "hideTimeOverride",
    "description",
    "links",
    "cacheTimeout",
    "transparent",
    "pluginVersion",
    "queryCachingTTL",
    "libraryPanel",
    "maxDataPoints",
    "interval",
    "transformations",
];

/// Plugin ids that only changed name.
const RENAMED: &[(&str, &str)] = &[("grafana-worldmap-panel", "geomap"), ("heatmap-new", "heatmap")];

pub fn migrate_panel(panel: &mut Map<String, Value>, path: &str, notes: &mut Notes) {
    let type_name = panel.get("type").and_then(Value::as_str).unwrap_or("").to_string();
    migrate_by_type(panel, &type_name, path, notes);
    if panel.get("type").and_then(Value::as_str) != Some(type_name.as_str()) {
        // Grafana's changePlugin stamps the new plugin's version, so its migrations do not run again.
        panel.insert("pluginVersion".into(), json!(super::GRAFANA_VERSION));
    }
}

fn migrate_by_type(panel: &mut Map<String, Value>, type_name: &str, path: &str, notes: &mut Notes) {
    match type_name {
        "graph" => graph_to_timeseries(panel, path, notes),
        "singlestat" | "grafana-singlestat-panel" => singlestat_to_stat(panel, path, notes),
        "table-old" => table_old_to_table(panel, path, notes),
        "grafana-piechart-panel" => piechart_from_angular(panel),
        "heatmap-new" => {
            // The 8.5–9.0 heatmap keeps its options; only `bucketFrame` was renamed `rowsFrame`.
            panel.insert("type".into(), json!("heatmap"));
            if let Some(Value::Object(options)) = panel.get_mut("options")
                && let Some(frame) = options.remove("bucketFrame")
            {
                options.insert("rowsFrame".into(), frame);
            }
        }
        _ => {
            if let Some((_, new_type)) = RENAMED.iter().find(|(old, _)| *old == type_name) {
                let old = std::mem::take(panel);
                keep_common_keys(old, panel);
                panel.insert("type".into(), json!(new_type));
                notes.add(
                    path,
                    format!("{type_name} panel became {new_type}; its plugin options were not translated"),
                );
            }
        }
    }
}

/// Moves the keys every panel type shares from `old` into `new`, in their original order, and returns
/// the rest (the old plugin's options).
fn keep_common_keys(old: Map<String, Value>, new: &mut Map<String, Value>) -> Map<String, Value> {
    let mut plugin_options = Map::new();
    for (key, value) in old {
        if KEPT_PANEL_KEYS.contains(&key.as_str()) {
            new.insert(key, value);
        } else {
            plugin_options.insert(key, value);
        }
    }
    plugin_options
}

fn number(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn truthy(value: Option<&Value>) -> bool {
    super::is_truthy(value)
}

/// A JSON number that keeps integers as integers (Grafana writes `fillOpacity: 10`, not `10.0`).
fn json_number(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 1e15 { json!(value as i64) } else { json!(value) }
}

/// One legacy y axis as field config (unit, decimals, min, max and the axis' custom options).
fn axis_field_config(axis: Option<&Value>) -> Map<String, Value> {
    let mut config = Map::new();
    let Some(axis) = axis.and_then(Value::as_object) else { return config };
    let mut custom = Map::new();
    custom.insert("axisPlacement".into(), json!(if truthy(axis.get("show")) { "auto" } else { "hidden" }));
    if let Some(label) = axis.get("label").filter(|l| truthy(Some(l))) {
        custom.insert("axisLabel".into(), label.clone());
    }
    if let Some(log) = number(axis.get("logBase")).filter(|l| *l == 2.0 || *l == 10.0) {
        custom.insert("scaleDistribution".into(), json!({"type": "log", "log": json_number(log)}));
    }
    if let Some(format) = axis.get("format").filter(|f| !f.is_null()) {
        config.insert("unit".into(), format.clone());
    }
    for key in ["decimals", "min", "max"] {
        if let Some(value) = number(axis.get(key)) {
            config.insert(key.into(), json_number(value));
        }
    }
    config.insert("custom".into(), Value::Object(custom));
    config
}

fn graph_to_timeseries(panel: &mut Map<String, Value>, path: &str, notes: &mut Notes) {
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
        for (alias, color) in colors.iter().filter(|(_, c)| truthy(Some(c))) {
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
                    if number(Some(value)) == Some(2.0) {
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
                    json_number(number(Some(value)).unwrap_or(0.0) * 10.0),
                )),
                "fillBelowTo" => {
                    has_fill_below_to = true;
                    properties.push(property("custom.fillBelowTo", value.clone()));
                }
                "fillGradient" if truthy(Some(value)) => {
                    properties.push(property("custom.fillGradient", json!("opacity")));
                    properties.push(property(
                        "custom.fillOpacity",
                        json_number(number(Some(value)).unwrap_or(0.0) * 10.0),
                    ));
                }
                "points" => properties.push(property(
                    "custom.showPoints",
                    json!(if truthy(Some(value)) { "always" } else { "never" }),
                )),
                "bars" if truthy(Some(value)) => {
                    properties.push(property("custom.drawStyle", json!("bars")));
                    properties.push(property("custom.fillOpacity", json!(100)));
                }
                "bars" => properties.push(property("custom.drawStyle", json!("line"))),
                "lines" => properties.push(property("custom.lineWidth", json!(0))),
                "linewidth" => properties.push(property("custom.lineWidth", value.clone())),
                "pointradius" => properties.push(property(
                    "custom.pointSize",
                    json_number(2.0 + number(Some(value)).unwrap_or(0.0) * 2.0),
                )),
                "dashes" | "dashLength" | "spaceLength" => {
                    let entry = dash.get_or_insert_with(|| {
                        (
                            truthy(angular.get("dashes")),
                            angular.get("dashLength").cloned().unwrap_or(json!(10)),
                            angular.get("spaceLength").cloned().unwrap_or(json!(10)),
                        )
                    });
                    match key.as_str() {
                        "dashes" => entry.0 = truthy(Some(value)),
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
    let draw_style = if truthy(angular.get("bars")) {
        "bars"
    } else if angular.get("lines").is_none_or(|l| truthy(Some(l))) {
        "line"
    } else {
        "points"
    };
    custom.insert("drawStyle".into(), json!(draw_style));
    if truthy(angular.get("points")) {
        custom.insert("showPoints".into(), json!("always"));
        if let Some(radius) = number(angular.get("pointradius")) {
            custom.insert("pointSize".into(), json_number(2.0 + radius * 2.0));
        }
    } else if draw_style != "points" {
        custom.insert("showPoints".into(), json!("never"));
    }
    if let Some(width) = angular.get("linewidth") {
        custom.insert("lineWidth".into(), width.clone());
    }
    if truthy(angular.get("dashes")) {
        let length = angular.get("dashLength").cloned().unwrap_or(json!(10));
        let space = angular.get("spaceLength").cloned().unwrap_or(json!(10));
        custom.insert("lineStyle".into(), json!({"fill": "dash", "dash": [length, space]}));
    }
    if has_fill_below_to {
        custom.insert("fillOpacity".into(), json!(35));
    } else if let Some(fill) = angular.get("fill").and_then(Value::as_f64) {
        custom.insert("fillOpacity".into(), json_number(fill * 10.0));
    }
    if let Some(gradient) = angular.get("fillGradient").and_then(Value::as_f64).filter(|g| *g > 0.0) {
        custom.insert("gradientMode".into(), json!("opacity"));
        custom.insert("fillOpacity".into(), json_number(gradient * 10.0));
    }
    let null_point_mode = angular.get("nullPointMode").and_then(Value::as_str);
    // Current Grafana connects across nulls only for "connected" (older builds compared with
    // "null", which inverted the meaning).
    custom.insert("spanNulls".into(), json!(null_point_mode == Some("connected")));
    if truthy(angular.get("steppedLine")) {
        custom.insert("lineInterpolation".into(), json!("stepAfter"));
    }
    if draw_style == "bars" {
        custom.insert("fillOpacity".into(), json!(100));
    }
    if truthy(angular.get("stack")) {
        custom.insert("stacking".into(), json!({"mode": if truthy(angular.get("percentage")) { "percent" } else { "normal" }, "group": "A"}));
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
        legend["displayMode"] = json!(if !truthy(old_legend.get("show")) {
            "hidden"
        } else if truthy(old_legend.get("alignAsTable")) {
            "table"
        } else {
            "list"
        });
        if truthy(old_legend.get("rightSide")) {
            legend["placement"] = json!("right");
        }
        if truthy(old_legend.get("values")) {
            let calcs: Vec<&str> = old_legend
                .iter()
                .filter(|(_, v)| truthy(Some(v)))
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
        Some(shared) if truthy(Some(shared)) => "multi",
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
            .filter(|c| truthy(Some(c)))
            .or_else(|| threshold.get("lineColor"))
            .cloned()
            .unwrap_or(json!("red")),
        _ => json!("red"),
    }
}

/// Graph thresholds (`op gt/lt` with fill and line) → threshold steps and a thresholds style.
fn translate_graph_thresholds(thresholds: &[Value]) -> (Vec<Value>, &'static str) {
    let mut sorted: Vec<&Value> = thresholds.iter().collect();
    sorted.sort_by(|a, b| {
        let value = |t: &Value| number(t.get("value")).unwrap_or(f64::NEG_INFINITY);
        value(a).total_cmp(&value(b))
    });
    let mut steps: Vec<Value> = Vec::new();
    let (mut area, mut line) = (false, false);
    for (index, threshold) in sorted.iter().enumerate() {
        let next = sorted.get(index + 1);
        area |= truthy(threshold.get("fill"));
        line |= truthy(threshold.get("line"));
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

/// Grafana's PieChartPanelChangedHandler: the old plugin's colours, unit, decimals (0 unless set),
/// reducer, pie or donut, and legend (a table on the right by default, or labels on the pie).
fn piechart_from_angular(panel: &mut Map<String, Value>) {
    let old = std::mem::take(panel);
    let angular = keep_common_keys(old, panel);
    panel.insert("type".into(), json!("piechart"));
    let mut overrides = Vec::new();
    for (alias, color) in angular.get("aliasColors").and_then(Value::as_object).into_iter().flatten() {
        if truthy(Some(color)) {
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
    let decimals = angular.get("decimals").filter(|d| truthy(Some(d))).cloned().unwrap_or(json!(0));
    defaults.insert("decimals".into(), decimals);
    // Grafana writes the overrides first.
    panel.insert("fieldConfig".into(), json!({"overrides": overrides, "defaults": defaults}));

    let legend_type = angular.get("legendType").and_then(Value::as_str);
    let placement = if legend_type == Some("Under graph") { "bottom" } else { "right" };
    let old_legend = angular.get("legend").and_then(Value::as_object);
    let legend_flag = |key: &str| old_legend.is_some_and(|l| truthy(l.get(key)));
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
    if let Some(value_name) = angular.get("valueName").filter(|v| truthy(Some(v))) {
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

fn singlestat_to_stat(panel: &mut Map<String, Value>, path: &str, notes: &mut Notes) {
    let old = std::mem::take(panel);
    let angular = keep_common_keys(old, panel);
    let is_gauge = angular.get("gauge").and_then(|g| g.get("show")).is_some_and(|s| truthy(Some(s)));
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
    if let Some(decimals) = number(angular.get("decimals")) {
        defaults.insert("decimals".into(), json_number(decimals));
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
        steps.push(json!({"value": json_number(*level), "color": color}));
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
        let bound = |key: &str| number(map.get(key)).map(json_number).unwrap_or(Value::Null);
        mappings.push(json!({"type": "range", "options": {"from": bound("from"), "to": bound("to"), "result": {"text": map.get("text").cloned().unwrap_or(json!(""))}}}));
    }
    defaults.insert("mappings".into(), json!(mappings));
    if let Some(null_text) = angular.get("nullText").filter(|t| truthy(Some(t))) {
        defaults.insert("noValue".into(), null_text.clone());
    }
    defaults.insert("color".into(), json!({"mode": "thresholds"}));
    let color_mode = if truthy(angular.get("colorBackground")) {
        "background"
    } else if truthy(angular.get("colorValue")) {
        "value"
    } else {
        "none"
    };
    let graph_mode = if angular.get("sparkline").and_then(|s| s.get("show")).is_some_and(|s| truthy(Some(s)))
    {
        "area"
    } else {
        "none"
    };
    let reduce = json!({"calcs": [reducer], "fields": "", "values": false});
    let options = if is_gauge {
        json!({"reduceOptions": reduce, "showThresholdLabels": truthy(angular.get("gauge").and_then(|g| g.get("thresholdLabels"))),
               "showThresholdMarkers": angular.get("gauge").and_then(|g| g.get("thresholdMarkers")).is_none_or(|m| truthy(Some(m)))})
    } else {
        json!({"reduceOptions": reduce, "colorMode": color_mode, "graphMode": graph_mode, "justifyMode": "auto",
               "orientation": "horizontal", "textMode": "auto"})
    };
    for key in ["prefix", "postfix"] {
        if angular.get(key).is_some_and(|v| truthy(Some(v))) {
            notes.add(&format!("{path}.{key}"), format!("singlestat {key} has no stat equivalent; dropped"));
        }
    }
    panel.insert("fieldConfig".into(), json!({"defaults": defaults, "overrides": []}));
    panel.insert("options".into(), options);
    notes.add(path, format!("singlestat panel migrated to {}", if is_gauge { "gauge" } else { "stat" }));
}

/// `table-old` → `table`, as Grafana's table panel-change handler does: the `/.*/` style becomes
/// the defaults, every other style an override, and the old transform a transformation.
fn table_old_to_table(panel: &mut Map<String, Value>, path: &str, notes: &mut Notes) {
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
            let value = number(Some(level)).map(|v| json!(v.trunc() as i64)).unwrap_or(Value::Null);
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
            if let Some(alias) = style.get("alias").filter(|a| truthy(Some(a))) {
                add("displayName", alias.clone());
            }
            if let Some(unit) = style.get("unit").filter(|u| truthy(Some(u))) {
                add("unit", unit.clone());
            }
            if let Some(decimals) = style.get("decimals").filter(|d| truthy(Some(d))) {
                add("decimals", decimals.clone());
            }
            if style.get("type").and_then(Value::as_str) == Some("date") {
                let format = style.get("dateFormat").and_then(Value::as_str).unwrap_or("");
                add("unit", json!(format!("time: {format}")));
            }
            if truthy(style.get("link")) {
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
