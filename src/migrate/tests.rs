use super::*;
use crate::datasource::Registry;
use serde_json::json;

fn upgraded(dashboard: Value) -> Upgraded {
    upgrade(dashboard.as_object().expect("an object"), &Registry::builtin())
}

fn notes_of(result: &Upgraded) -> Vec<(&str, &str)> {
    result.report.iter().map(|n| (n.json_path.as_str(), n.what.as_str())).collect()
}

#[test]
fn raw_model_is_not_changed_and_version_is_latest() {
    let raw = json!({"schemaVersion": 12, "refresh": false, "panels": []});
    let result = upgraded(raw.clone());
    assert_eq!(raw["refresh"], json!(false));
    assert_eq!(result.dashboard["refresh"], json!(""));
    assert_eq!(result.dashboard["schemaVersion"], json!(LATEST_SCHEMA_VERSION));
    // A current file is left exactly as it is.
    let current = json!({"schemaVersion": 43, "refresh": "5s", "panels": [{"type": "timeseries", "id": 1}]});
    assert_eq!(Value::Object(upgraded(current.clone()).dashboard), current);
}

#[test]
fn v16_rows_become_grid_panels_with_grafana_heights() {
    // 250 px → ceil(250 / 38) = 7 rows; spans 6+6 fill a line, span 12 wraps below.
    let result = upgraded(json!({"schemaVersion": 14, "rows": [
        {"height": "250px", "panels": [{"id": 1, "span": 6}, {"id": 2, "span": 6}, {"id": 3, "span": 12, "height": "100"}]}
    ]}));
    let grid: Vec<Value> = result.dashboard["panels"]
        .as_array()
        .expect("panels")
        .iter()
        .map(|p| json!([p["id"], p["gridPos"]]))
        .collect();
    assert_eq!(
        grid,
        vec![
            json!([1, {"x": 0, "y": 0, "w": 12, "h": 7}]),
            json!([2, {"x": 12, "y": 0, "w": 12, "h": 7}]),
            json!([3, {"x": 0, "y": 7, "w": 24, "h": 3}]),
        ]
    );
    assert!(result.dashboard.get("rows").is_none());
    assert!(result.dashboard["panels"][0].get("span").is_none());
}

#[test]
fn v16_titled_and_collapsed_rows_become_row_panels() {
    let result = upgraded(json!({"rows": [
        {"title": "Open", "showTitle": true, "height": 300, "panels": [{"id": 7, "span": 12}]},
        {"title": "Shut", "collapse": true, "panels": [{"span": 4}]}
    ]}));
    let panels = result.dashboard["panels"].as_array().expect("panels");
    // Grafana appends each row panel after the panels it lays out, then its dashboard model sorts
    // the panels by position: each row comes before its panels.
    let summary: Vec<Value> =
        panels.iter().map(|p| json!([p["id"], p["type"], p["gridPos"]["y"], p.get("collapsed")])).collect();
    assert_eq!(
        summary,
        vec![json!([8, "row", 0, null]), json!([7, null, 1, null]), json!([10, "row", 9, true]),]
    );
    // The collapsed row keeps its panel nested, with a fresh id.
    assert_eq!(panels[2]["panels"][0]["id"], json!(9));
    assert_eq!(panels[2]["panels"][0]["gridPos"], json!({"x": 0, "y": 10, "w": 8, "h": 7}));
}

#[test]
fn v17_min_span_becomes_max_per_row() {
    let result =
        upgraded(json!({"schemaVersion": 16, "panels": [{"id": 1, "minSpan": 5}, {"id": 2, "minSpan": 1}]}));
    assert_eq!(result.dashboard["panels"][0]["maxPerRow"], json!(4));
    assert_eq!(result.dashboard["panels"][1]["maxPerRow"], json!(24));
    assert!(result.dashboard["panels"][0].get("minSpan").is_none());
}

#[test]
fn v26_text2_v33_datasource_names_v37_legend_v42_hide_from() {
    let result = upgraded(json!({"schemaVersion": 25, "panels": [
        {"id": 1, "type": "text2"},
        {"id": 2, "type": "timeseries", "datasource": "Prometheus prod", "targets": [{"datasource": "default"}, {"datasource": "$ds"}],
         "options": {"legend": {"displayMode": "hidden"}},
         "fieldConfig": {"defaults": {}, "overrides": [{"matcher": {}, "properties": [{"id": "custom.hideFrom", "value": {"viz": true, "legend": false}}]}]}}
    ]}));
    let panels = &result.dashboard["panels"];
    assert_eq!(panels[0]["type"], "text");
    assert_eq!(panels[1]["datasource"], json!({"uid": "Prometheus prod"}));
    // v36: a query on the default datasource names its panel's datasource.
    assert_eq!(panels[1]["targets"][0]["datasource"], json!({"uid": "Prometheus prod"}));
    assert_eq!(panels[1]["targets"][1]["datasource"], json!({"uid": "$ds"}));
    assert_eq!(panels[1]["options"]["legend"], json!({"displayMode": "list", "showLegend": false}));
    assert_eq!(
        panels[1]["fieldConfig"]["overrides"][0]["properties"][0]["value"],
        json!({"viz": true, "legend": false, "tooltip": true})
    );
    assert_eq!(
        notes_of(&result),
        vec![("panels[1].datasource", "datasource name \"Prometheus prod\" kept as a uid reference")]
    );
}

#[test]
fn v29_query_variables_refresh_on_load_and_lose_options() {
    let result = upgraded(json!({"schemaVersion": 27, "templating": {"list": [
        {"type": "query", "name": "a", "refresh": 0, "options": [{"text": "x"}], "tags": [], "useTags": false},
        {"type": "custom", "name": "b", "options": [{"text": "y"}]}
    ]}}));
    let list = &result.dashboard["templating"]["list"];
    assert_eq!((&list[0]["refresh"], &list[0]["options"]), (&json!(1), &json!([])));
    assert!(list[0].get("useTags").is_none());
    assert_eq!(list[1]["options"], json!([{"text": "y"}]));
}

#[test]
fn graph_becomes_timeseries_with_translated_options() {
    let result = upgraded(json!({"schemaVersion": 27, "panels": [{
        "id": 4, "type": "graph", "title": "CPU", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
        "targets": [{"expr": "up"}], "bars": false, "lines": true, "linewidth": 2, "fill": 1, "points": false,
        "stack": true, "percentage": false, "steppedLine": true, "nullPointMode": "null",
        "aliasColors": {"idle": "#7EB26D"},
        "seriesOverrides": [{"alias": "/user|system/", "yaxis": 2, "$$hashKey": "object:1"}, {"alias": "steal", "transform": "negative-Y", "zindex": 3}],
        "yaxes": [{"format": "percentunit", "min": "0", "max": null, "logBase": 1, "show": true},
                  {"format": "short", "logBase": 10, "show": true}],
        "legend": {"show": true, "alignAsTable": true, "rightSide": true, "values": true, "avg": true, "current": true, "max": false},
        "tooltip": {"shared": true}
    }]}));
    let panel = &result.dashboard["panels"][0];
    assert_eq!(panel["type"], "timeseries");
    assert!(panel.get("yaxes").is_none() && panel.get("seriesOverrides").is_none());
    let defaults = &panel["fieldConfig"]["defaults"];
    assert_eq!((&defaults["unit"], &defaults["min"]), (&json!("percentunit"), &json!(0)));
    let custom = &defaults["custom"];
    assert_eq!(custom["drawStyle"], "line");
    assert_eq!(custom["lineWidth"], 2);
    assert_eq!(custom["fillOpacity"], 10);
    assert_eq!(custom["showPoints"], "never");
    assert_eq!(custom["spanNulls"], false, "nullPointMode null leaves gaps");
    assert_eq!(custom["lineInterpolation"], "stepAfter");
    assert_eq!(custom["stacking"], json!({"mode": "normal", "group": "A"}));
    let overrides = panel["fieldConfig"]["overrides"].as_array().expect("overrides");
    assert_eq!(overrides[0]["matcher"], json!({"id": "byName", "options": "idle"}));
    assert_eq!(overrides[1]["matcher"], json!({"id": "byRegexp", "options": "/user|system/"}));
    let y2_properties: Vec<&Value> =
        overrides[1]["properties"].as_array().expect("properties").iter().map(|p| &p["id"]).collect();
    assert_eq!(y2_properties, vec!["unit", "custom.scaleDistribution", "custom.axisPlacement"]);
    assert_eq!(overrides[2]["properties"], json!([{"id": "custom.transform", "value": "negative-Y"}]));
    assert_eq!(
        panel["options"],
        json!({"legend": {"displayMode": "table", "placement": "right", "calcs": ["mean", "lastNotNull"], "showLegend": true},
               "tooltip": {"mode": "multi", "sort": "none"}})
    );
    assert_eq!(
        notes_of(&result),
        vec![
            (
                "panels[0].seriesOverrides[1].zindex",
                "series override zindex for \"steal\" has no time series equivalent; dropped"
            ),
            ("panels[0]", "graph panel migrated to timeseries (Grafana's flot migration)"),
        ]
    );
}

#[test]
fn graph_thresholds_become_steps() {
    let result = upgraded(json!({"panels": [{"type": "graph", "thresholds": [
        {"op": "gt", "value": 90, "colorMode": "critical", "fill": true, "line": true},
        {"op": "gt", "value": 70, "colorMode": "warning", "fill": true, "line": false}
    ]}]}));
    let defaults = &result.dashboard["panels"][0]["fieldConfig"]["defaults"];
    assert_eq!(
        defaults["thresholds"],
        json!({"mode": "absolute", "steps": [
            {"value": null, "color": "transparent"}, {"value": 70, "color": "orange"}, {"value": 90, "color": "red"}]})
    );
    assert_eq!(defaults["custom"]["thresholdsStyle"], json!({"mode": "line+area"}));
}

#[test]
fn singlestat_becomes_stat_or_gauge() {
    let result = upgraded(json!({"schemaVersion": 20, "panels": [
        {"id": 1, "type": "singlestat", "valueName": "current", "format": "bytes", "decimals": 1,
         "thresholds": "80,90", "colors": ["#299c46", "#e5ac0e", "#d44a3a"], "colorBackground": true,
         "sparkline": {"show": true}, "valueMaps": [{"value": "null", "text": "N/A"}], "postfix": " req"},
        {"id": 2, "type": "singlestat", "gauge": {"show": true}, "valueName": "avg"}
    ]}));
    let stat = &result.dashboard["panels"][0];
    assert_eq!(stat["type"], "stat");
    assert_eq!(stat["options"]["reduceOptions"]["calcs"], json!(["lastNotNull"]));
    assert_eq!(
        (&stat["options"]["colorMode"], &stat["options"]["graphMode"]),
        (&json!("background"), &json!("area"))
    );
    let defaults = &stat["fieldConfig"]["defaults"];
    assert_eq!((&defaults["unit"], &defaults["decimals"]), (&json!("bytes"), &json!(1)));
    assert_eq!(
        defaults["thresholds"]["steps"],
        json!([{"value": null, "color": "#299c46"}, {"value": 80, "color": "#e5ac0e"}, {"value": 90, "color": "#d44a3a"}])
    );
    assert_eq!(
        defaults["mappings"],
        json!([{"type": "special", "options": {"match": "null", "result": {"text": "N/A"}}}])
    );
    assert_eq!(result.dashboard["panels"][1]["type"], "gauge");
    assert_eq!(result.dashboard["panels"][1]["options"]["reduceOptions"]["calcs"], json!(["mean"]));
    assert!(
        notes_of(&result)
            .contains(&("panels[0].postfix", "singlestat postfix has no stat equivalent; dropped"))
    );
}

#[test]
fn renamed_plugins_keep_common_keys_in_order() {
    let result = upgraded(json!({"schemaVersion": 39, "panels": [
        {"id": 3, "type": "grafana-worldmap-panel", "title": "Where", "circleMaxSize": 30, "targets": [{"expr": "x"}]}
    ]}));
    assert_eq!(
        Value::Object(result.dashboard)["panels"][0],
        json!({"id": 3, "type": "geomap", "title": "Where", "targets": [{"expr": "x"}], "pluginVersion": "12.2.1"})
    );
}

#[test]
fn heatmap_new_keeps_its_options_with_rows_frame_renamed() {
    let result = upgraded(json!({"schemaVersion": 36, "panels": [
        {"id": 1, "type": "heatmap-new", "options": {"calculate": true, "bucketFrame": {"layout": "le"}}}
    ]}));
    let panel = &Value::Object(result.dashboard)["panels"][0];
    assert_eq!(panel["type"], "heatmap");
    assert_eq!(panel["options"], json!({"calculate": true, "rowsFrame": {"layout": "le"}}));
}

#[test]
fn angular_piechart_options_are_translated() {
    let result = upgraded(json!({"schemaVersion": 39, "panels": [
        {"id": 3, "type": "grafana-piechart-panel", "title": "Share", "pieType": "donut", "format": "bytes",
         "aliasColors": {"a": "red", "b": ""}, "valueName": "current", "legendType": "Under graph",
         "legend": {"show": true, "values": true, "percentage": true}, "targets": [{"expr": "x"}]},
        {"id": 4, "type": "grafana-piechart-panel", "decimals": 2, "legendType": "On graph",
         "legend": {"show": true, "percentage": true}}
    ]}));
    let panels = &Value::Object(result.dashboard)["panels"];
    assert_eq!(
        panels[0],
        json!({"id": 3, "type": "piechart", "title": "Share", "targets": [{"expr": "x"}],
            "fieldConfig": {
                "overrides": [{"matcher": {"id": "byName", "options": "a"},
                               "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": "red"}}]}],
                "defaults": {"unit": "bytes", "decimals": 0}},
            "options": {
                "legend": {"placement": "bottom", "values": ["value", "percent"], "displayMode": "table", "showLegend": true, "calcs": []},
                "reduceOptions": {"calcs": ["lastNotNull"]},
                "pieType": "donut"},
            "pluginVersion": "12.2.1"})
    );
    assert_eq!(panels[1]["fieldConfig"]["defaults"], json!({"decimals": 2}));
    assert_eq!(panels[1]["options"]["legend"]["showLegend"], false);
    assert_eq!(panels[1]["options"]["displayLabels"], json!(["name", "percent"]));
}

#[test]
fn v24_angular_table_with_styles_becomes_the_new_table() {
    let result = upgraded(json!({"schemaVersion": 20, "panels": [{
    "id": 1, "type": "table", "transform": "timeseries_aggregations",
    "columns": [{"text": "Avg", "value": "avg"}, {"text": "Current", "value": "current"}],
    "styles": [
        {"pattern": "/.*/", "unit": "short", "decimals": 2, "align": "auto", "thresholds": [], "colors": []},
        {"pattern": "Time", "type": "date", "dateFormat": "YYYY-MM-DD HH:mm:ss", "alias": "When"},
        {"pattern": "/err.*/", "colorMode": "cell", "thresholds": ["1", "5"], "colors": ["green", "orange", "red"]}
    ]}]}));
    let panel = &result.dashboard["panels"][0];
    assert_eq!(panel["type"], "table");
    assert!(panel.get("styles").is_none());
    assert_eq!(
        panel["transformations"],
        json!([{"id": "reduce", "options": {"reducers": ["mean", "lastNotNull"], "includeTimeField": false}}])
    );
    assert_eq!(
        panel["fieldConfig"]["defaults"],
        json!({"unit": "short", "decimals": 2, "custom": {"align": null}})
    );
    assert_eq!(
        panel["fieldConfig"]["overrides"],
        json!([
            {"matcher": {"id": "byName", "options": "Time"}, "properties": [
                {"id": "displayName", "value": "When"}, {"id": "unit", "value": "time: YYYY-MM-DD HH:mm:ss"},
                // Schema 22 set every style's align to auto, which the table writes as null.
                {"id": "custom.align", "value": null}]},
            {"matcher": {"id": "byRegexp", "options": "/err.*/"}, "properties": [
                {"id": "custom.cellOptions", "value": {"type": "color-background"}},
                {"id": "custom.align", "value": null},
                {"id": "thresholds", "value": {"mode": "absolute", "steps": [
                    {"color": "green", "value": null}, {"color": "orange", "value": 1}, {"color": "red", "value": 5}]}}]}
        ])
    );
}

#[test]
fn v30_value_mappings_are_upgraded_and_merged() {
    let result = upgraded(
        json!({"schemaVersion": 29, "panels": [{"type": "stat", "fieldConfig": {"defaults": {
        "thresholds": {"mode": "absolute", "steps": [{"value": null, "color": "green"}, {"value": 1, "color": "red"}]},
        "mappings": [
            {"id": 0, "text": "Up", "type": 1, "value": "1"},
            {"id": 1, "text": "0", "type": 1, "value": "0"},
            {"id": 2, "text": "N/A", "type": 1, "value": "null"},
            {"id": 3, "text": "Medium", "type": 2, "from": "10", "to": "20"},
            {"type": "value", "options": {"7": {"text": "seven"}}}
        ]}, "overrides": []}}]}),
    );
    assert_eq!(
        result.dashboard["panels"][0]["fieldConfig"]["defaults"]["mappings"],
        json!([
            {"type": "value", "options": {"1": {"text": "Up"}, "0": {"text": "0", "color": "green"}, "7": {"text": "seven"}}},
            {"type": "special", "options": {"match": "null", "result": {"text": "N/A"}}},
            {"type": "range", "options": {"from": 10, "to": 20, "result": {"text": "Medium"}}}
        ])
    );
}

#[test]
fn v38_table_display_mode_becomes_cell_options() {
    let result = upgraded(json!({"schemaVersion": 37, "panels": [{"type": "table", "fieldConfig": {
        "defaults": {"custom": {"displayMode": "color-background-solid", "align": "left"}},
        "overrides": [{"matcher": {"id": "byName", "options": "x"}, "properties": [{"id": "custom.displayMode", "value": "lcd-gauge"}]}]}}]}));
    let field_config = &result.dashboard["panels"][0]["fieldConfig"];
    assert_eq!(
        field_config["defaults"]["custom"],
        json!({"align": "left", "cellOptions": {"type": "color-background", "mode": "basic"}})
    );
    assert_eq!(
        field_config["overrides"][0]["properties"][0],
        json!({"id": "custom.cellOptions", "value": {"type": "gauge", "mode": "lcd"}})
    );
}

#[test]
fn early_steps_ref_ids_thresholds_and_variable_flags() {
    let result = upgraded(json!({"schemaVersion": 6, "panels": [
        {"type": "graph", "targets": [{"expr": "a"}, {"refId": "A", "expr": "b"}, {"expr": "c"}]},
        {"type": "singlestat", "thresholds": "0,50,80"},
        {"type": "singlestat", "thresholds": "50,80"},
        {"type": "table", "styles": [{"pattern": "x", "thresholds": ["0", "5", "9"]}]}
    ], "templating": {"list": [{"type": "query", "refresh": true, "hideVariable": true}, {"type": "custom", "refresh": false, "hideLabel": true}]}}));
    let d = Value::Object(result.dashboard);
    let ref_ids: Vec<&Value> =
        d["panels"][0]["targets"].as_array().expect("targets").iter().map(|t| &t["refId"]).collect();
    assert_eq!(ref_ids, vec!["B", "A", "C"]);
    // The thresholds went into the stat panels the singlestats became.
    let steps =
        |i: usize| d["panels"][i]["fieldConfig"]["defaults"]["thresholds"]["steps"].as_array().map(Vec::len);
    assert_eq!((steps(1), steps(2)), (Some(3), Some(3)));
    assert_eq!(d["panels"][1]["fieldConfig"]["defaults"]["thresholds"]["steps"][1]["value"], json!(50));
    // The table style lost its first threshold (v10), got align auto (v22), then became an override.
    assert_eq!(
        d["panels"][3]["fieldConfig"]["overrides"][0]["properties"],
        json!([
            {"id": "custom.align", "value": null},
            {"id": "thresholds", "value": {"mode": "absolute", "steps": [
                {"color": null, "value": null}, {"color": null, "value": 5}, {"color": null, "value": 9}]}}
        ])
    );
    let variables = &d["templating"]["list"];
    assert_eq!((&variables[0]["refresh"], &variables[0]["hide"]), (&json!(1), &json!(2)));
    assert_eq!((&variables[1]["refresh"], &variables[1]["hide"]), (&json!(0), &json!(1)));
}

#[test]
fn v23_current_values_follow_multi() {
    let result = upgraded(json!({"schemaVersion": 22, "templating": {"list": [
        {"name": "a", "type": "custom", "multi": true, "current": {"text": "x", "value": "x"}},
        {"name": "b", "type": "custom", "multi": false, "current": {"text": ["y", "z"], "value": ["y", "z"]}},
        {"name": "c", "type": "custom", "multi": false, "current": {"text": [], "value": []}},
        {"name": "d", "type": "custom", "current": {"text": "w", "value": "w"}},
        {"name": "e", "type": "custom", "multi": true, "current": {}}
    ]}}));
    let current = |i: usize| result.dashboard["templating"]["list"][i]["current"].clone();
    assert_eq!(current(0), json!({"text": ["x"], "value": ["x"]}));
    assert_eq!(current(1), json!({"text": "y", "value": "y"}));
    assert_eq!(current(2), json!({"text": "", "value": ""}));
    assert_eq!(current(3), json!({"text": "w", "value": "w"}), "no multi key: untouched");
    assert_eq!(current(4), json!({}), "empty current: untouched");
}

#[test]
fn v27_drops_repeat_leftovers_and_visible_constants_become_textboxes() {
    let result = upgraded(json!({"schemaVersion": 26,
    "panels": [
        {"id": 1, "type": "graph", "repeat": "host", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8}},
        {"id": 2, "type": "graph", "repeatPanelId": 1, "gridPos": {"x": 12, "y": 0, "w": 12, "h": 8}},
        {"id": 3, "type": "row", "collapsed": true, "gridPos": {"x": 0, "y": 8, "w": 24, "h": 1}, "panels": [
            {"id": 4, "type": "text", "gridPos": {"x": 0, "y": 9, "w": 12, "h": 8}},
            {"id": 5, "type": "text", "repeatPanelId": 4, "gridPos": {"x": 12, "y": 9, "w": 12, "h": 8}}]}
    ],
    "templating": {"list": [
        {"name": "shown", "type": "constant", "query": "prod", "hide": 0},
        {"name": "hidden", "type": "constant", "query": "eu", "hide": 2}
    ]}}));
    let ids: Vec<&Value> = result.dashboard["panels"].as_array().unwrap().iter().map(|p| &p["id"]).collect();
    assert_eq!(ids, [&json!(1), &json!(3)]);
    assert_eq!(result.dashboard["panels"][1]["panels"].as_array().unwrap().len(), 1);
    let list = &result.dashboard["templating"]["list"];
    assert_eq!(list[0]["type"], json!("textbox"));
    assert_eq!(list[0]["current"], json!({"selected": true, "text": "prod", "value": "prod"}));
    assert_eq!(list[0]["options"], json!([{"selected": true, "text": "prod", "value": "prod"}]));
    assert_eq!(list[1]["type"], json!("constant"));
    assert!(notes_of(&result).contains(&("panels", "2 panel(s) left over from old repeats removed")));
}

#[test]
fn v39_time_series_table_options_per_query() {
    let result = upgraded(json!({"schemaVersion": 38, "panels": [{"id": 1, "type": "table",
        "transformations": [{"id": "timeSeriesTable", "options": {"refIdToStat": {"A": "mean", "B": "max"}}},
                            {"id": "timeSeriesTable", "options": {}}]}]}));
    assert_eq!(
        result.dashboard["panels"][0]["transformations"],
        json!([{"id": "timeSeriesTable", "options": {"A": {"stat": "mean"}, "B": {"stat": "max"}}},
               {"id": "timeSeriesTable", "options": {}}])
    );
}

#[test]
fn v18_gauge_options_become_field_config_through_the_plugin_migration() {
    let result = upgraded(json!({"schemaVersion": 17, "panels": [{
        "id": 1, "type": "gauge", "options": {},
        "options-gauge": {
            "unit": "percent", "stat": "current", "decimals": 2, "prefix": "", "suffix": "", "options": {},
            "thresholds": [{"index": 1, "value": 90, "color": "red"}, {"index": 0, "value": null, "color": "green"}],
            "maxValue": 100, "minValue": 0, "showThresholdMarkers": true
        }
    }]}));
    let panel = &result.dashboard["panels"][0];
    assert!(panel.get("options-gauge").is_none());
    assert_eq!(panel["options"]["reduceOptions"], json!({"calcs": ["lastNotNull"]}));
    assert_eq!(panel["options"]["showThresholdMarkers"], true);
    let defaults = &panel["fieldConfig"]["defaults"];
    assert_eq!(defaults["unit"], "percent");
    assert_eq!(defaults["decimals"], 2);
    // Lowest threshold first after v18's reverse.
    assert_eq!(
        defaults["thresholds"]["steps"],
        json!([{"index": 0, "value": null, "color": "green"}, {"index": 1, "value": 90, "color": "red"}])
    );
    assert_eq!((defaults["min"].clone(), defaults["max"].clone()), (json!(0), json!(100)));
}

#[test]
fn v19_panel_links_become_urls() {
    let result = upgraded(json!({"schemaVersion": 18, "panels": [{"id": 1, "type": "graph", "links": [
        {"type": "dashboard", "dashboard": "My Dash: Prod!  2", "keepTime": true, "includeVars": true, "title": "a", "targetBlank": true},
        {"type": "absolute", "url": "http://x/?", "params": "a=1", "title": "b"},
        {"type": "absolute", "url": "http://x/?q=1", "keepTime": true},
        {"dashUri": "db/other"},
        {"title": "empty"}
    ]}]}));
    let links = &result.dashboard["panels"][0]["links"];
    assert_eq!(
        links,
        &json!([
            {"url": "dashboard/db/my-dash-prod-2?$__url_time_range&$__all_variables", "title": "a", "targetBlank": true},
            {"url": "http://x/?a=1", "title": "b"},
            {"url": "http://x/?q=1&$__url_time_range"},
            {"url": "dashboard/db/other"},
            {"url": "/", "title": "empty"}
        ])
    );
}

#[test]
fn v20_v21_data_link_variables_are_renamed() {
    let result = upgraded(json!({"schemaVersion": 19, "panels": [
        {"id": 1, "type": "graph", "options": {"dataLinks": [
            {"url": "http://x/?s=${__series_name}&t=$__value_time&f=$__field_name&l=${__series.labels.job}"}
        ]}},
        {"id": 2, "type": "bargauge", "pluginVersion": "9.0.0", "options": {"fieldOptions": {"defaults": {
            "title": "$__series_name", "links": [{"url": "$__field_name"}]
        }}}}
    ]}));
    let panels = &result.dashboard["panels"];
    // The graph panel itself becomes a time series; its data links were rewritten first.
    assert_eq!(panels[0]["type"], "timeseries");
    assert_eq!(
        panels[0]["fieldConfig"]["defaults"]["links"],
        json!([{"url": "http://x/?s=${__series.name}&t=$__value.time&f=${__field.name}&l=${__field.labels.job}"}])
    );
    let bargauge = &panels[1]["options"]["fieldOptions"]["defaults"];
    assert_eq!(bargauge["title"], "${__series.name}");
    assert_eq!(bargauge["links"][0]["url"], "${__field.name}");
    let raw_graph = json!({"schemaVersion": 19, "panels": [{"id": 1, "type": "xygraph", "options": {"dataLinks": [
        {"url": "s=${__series_name}&t=$__value_time&f=$__field_name&l=${__series.labels.job}", "title": "t"}
    ]}}]});
    let link = &upgraded(raw_graph).dashboard["panels"][0]["options"]["dataLinks"][0];
    assert_eq!(
        link,
        &json!({"url": "s=${__series.name}&t=$__value.time&f=${__field.name}&l=${__field.labels.job}", "title": "t"})
    );
}

#[test]
fn v35_hidden_axes_keep_the_time_axis() {
    let result = upgraded(json!({"schemaVersion": 34, "panels": [
        {"id": 1, "type": "timeseries", "fieldConfig": {"defaults": {"custom": {"axisPlacement": "hidden"}}, "overrides": []}},
        {"id": 2, "type": "timeseries", "fieldConfig": {"defaults": {"custom": {"axisPlacement": "left"}}, "overrides": []}}
    ]}));
    let panels = &result.dashboard["panels"];
    assert_eq!(
        panels[0]["fieldConfig"]["overrides"],
        json!([{"matcher": {"id": "byType", "options": "time"}, "properties": [{"id": "custom.axisPlacement", "value": "auto"}]}])
    );
    assert_eq!(panels[1]["fieldConfig"]["overrides"], json!([]));
}

#[test]
fn v36_default_datasource_becomes_explicit() {
    let result = upgraded(json!({"schemaVersion": 35,
        "annotations": {"list": [
            {"builtIn": 1, "datasource": "-- Grafana --", "name": "Annotations & Alerts"},
            {"name": "deploys", "datasource": null},
            {"name": "other", "datasource": {"type": "loki", "uid": "L"}}
        ]},
        "templating": {"list": [
            {"name": "job", "type": "query", "datasource": null},
            {"name": "ds", "type": "datasource", "datasource": null}
        ]},
        "panels": [
            {"id": 1, "type": "timeseries", "datasource": null, "targets": [{"refId": "A", "expr": "up"}]},
            {"id": 2, "type": "timeseries", "datasource": {"type": "prometheus", "uid": "P2"},
             "targets": [{"refId": "A", "datasource": {"type": "prometheus"}}, {"refId": "B", "datasource": {"uid": "P3"}}]},
            {"id": 3, "type": "timeseries", "datasource": {"type": "datasource", "uid": "-- Mixed --"},
             "targets": [{"refId": "A"}]},
            {"id": 4, "type": "text", "targets": []}
        ]
    }));
    let d = &result.dashboard;
    let default = json!({"type": "prometheus", "uid": "prometheus"});
    assert_eq!(d["annotations"]["list"][0]["datasource"], json!({"type": "datasource", "uid": "grafana"}));
    assert_eq!(d["annotations"]["list"][1]["datasource"], default);
    assert_eq!(d["annotations"]["list"][2]["datasource"], json!({"type": "loki", "uid": "L"}));
    assert_eq!(d["templating"]["list"][0]["datasource"], default);
    assert_eq!(d["templating"]["list"][1]["datasource"], Value::Null);
    assert_eq!(d["panels"][0]["datasource"], default);
    assert_eq!(d["panels"][0]["targets"][0]["datasource"], default);
    assert_eq!(d["panels"][1]["targets"][0]["datasource"], json!({"type": "prometheus", "uid": "P2"}));
    assert_eq!(d["panels"][1]["targets"][1]["datasource"], json!({"uid": "P3"}));
    assert_eq!(d["panels"][2]["targets"][0]["datasource"], default);
    assert!(d["panels"][3].get("datasource").is_none());
}

#[test]
fn v43_format_time_becomes_convert_field_type() {
    let result = upgraded(json!({"schemaVersion": 42, "panels": [
        {"id": 1, "type": "table", "transformations": [
            {"id": "organize", "options": {}},
            {"id": "formatTime", "options": {"timeField": "timestamp", "outputFormat": "YYYY-MM-DD", "timezone": "UTC"}, "disabled": false},
            {"id": "formatTime"}]},
        {"id": 2, "type": "row", "collapsed": true, "panels": [
            {"id": 3, "type": "table", "transformations": [{"id": "formatTime", "options": {"timeField": "t", "outputFormat": ""}}]}]}
    ]}));
    assert_eq!(result.dashboard["schemaVersion"], json!(43));
    assert_eq!(
        result.dashboard["panels"][0]["transformations"],
        json!([
            {"id": "organize", "options": {}},
            {"id": "convertFieldType", "options": {"conversions": [
                {"dateFormat": "YYYY-MM-DD", "destinationType": "string", "targetField": "timestamp", "timezone": "UTC"}]}},
            {"id": "convertFieldType", "options": {"conversions": [{"destinationType": "string"}]}}
        ])
    );
    assert_eq!(
        result.dashboard["panels"][1]["panels"][0]["transformations"],
        json!([{"id": "convertFieldType", "options": {"conversions": [{"destinationType": "string", "targetField": "t"}]}}])
    );
    assert!(
        result.report.iter().any(|n| n.json_path == "panels[1].panels[0].transformations[0]"),
        "{:?}",
        result.report
    );
}

#[test]
fn v31_adds_a_merge_after_each_labels_to_fields() {
    let result = upgraded(json!({"schemaVersion": 30, "panels": [
        {"id": 1, "type": "table", "transformations": [
            {"id": "organize", "options": {}},
            {"id": "labelsToFields", "options": {}},
            {"id": "calculateField", "options": {}},
            {"id": "labelsToFields", "options": {"mode": "rows", "keepLabels": ["job", "instance"]}}]},
        {"id": 2, "type": "table", "transformations": [{"id": "organize", "options": {}}]}
    ]}));
    assert_eq!(
        result.dashboard["panels"][0]["transformations"],
        json!([
            {"id": "organize", "options": {}},
            {"id": "labelsToFields", "options": {}},
            {"id": "merge", "options": {}},
            {"id": "calculateField", "options": {}},
            {"id": "labelsToFields", "options": {"mode": "rows", "keepLabels": ["job", "instance"]}},
            {"id": "merge", "options": {}}
        ])
    );
    assert_eq!(result.dashboard["panels"][1]["transformations"], json!([{"id": "organize", "options": {}}]));
    // Already at 31 or later: left alone.
    let current = upgraded(
        json!({"schemaVersion": 31, "panels": [{"id": 1, "type": "table", "transformations": [{"id": "labelsToFields"}]}]}),
    );
    assert_eq!(current.dashboard["panels"][0]["transformations"], json!([{"id": "labelsToFields"}]));
}

#[test]
fn steps_are_one_table_grid_first_then_oldest_first_up_to_the_latest() {
    let versions: Vec<i64> = schema_steps().map(|(version, _)| *version).collect();
    assert_eq!(versions[..2], [16, 17], "the grid runs first so older steps reach panels of rows[]");
    assert!(versions[2..].windows(2).all(|pair| pair[0] < pair[1]), "{versions:?}");
    assert_eq!(versions.last(), Some(&LATEST_SCHEMA_VERSION));
}

/// Runs the one step that upgrades to `version` on `before`.
fn step_alone(version: i64, before: Value) -> (Value, Vec<MigrationNote>) {
    let (_, step) = schema_steps().find(|(v, _)| *v == version).expect("a step for this version");
    let Value::Object(mut dashboard) = before else { panic!("an object") };
    let mut notes = Notes::default();
    step(&mut dashboard, &mut notes, &Registry::builtin());
    (Value::Object(dashboard), notes.0)
}

#[test]
fn each_step_alone_does_what_grafanas_step_does() {
    // Steps whole-upgrade tests above do not single out, each on a document written for it.
    let cases = [
        (14, json!({"sharedCrosshair": true}), json!({"graphTooltip": 1})),
        (14, json!({"sharedCrosshair": false, "title": "t"}), json!({"title": "t", "graphTooltip": 0})),
        (
            22,
            json!({"panels": [{"type": "table", "styles": [{"pattern": "x"}]}, {"type": "graph", "styles": [{}]}]}),
            json!({"panels": [{"type": "table", "styles": [{"pattern": "x", "align": "auto"}]}, {"type": "graph", "styles": [{}]}]}),
        ),
        (26, json!({"panels": [{"type": "text2"}]}), json!({"panels": [{"type": "text"}]})),
        (
            28,
            json!({"templating": {"list": [{"name": "v", "tags": [], "useTags": true, "tagsQuery": "q", "query": "up"}]}}),
            json!({"templating": {"list": [{"name": "v", "query": "up"}]}}),
        ),
        (40, json!({"refresh": false}), json!({"refresh": ""})),
        (40, json!({"refresh": "5s"}), json!({"refresh": "5s"})),
        (
            41,
            json!({"timepicker": {"time_options": ["5m"], "hidden": false}}),
            json!({"timepicker": {"hidden": false}}),
        ),
    ];
    for (version, before, expected) in cases {
        let (after, _) = step_alone(version, before.clone());
        assert_eq!(after, expected, "step {version} on {before}");
    }
    let (_, notes) = step_alone(40, json!({"refresh": 30}));
    assert_eq!(notes.len(), 1, "a refresh that is not an interval is reported");
}

#[test]
fn datasource_names_resolve_in_the_registry_the_dashboard_is_shown_with() {
    // The CLI and the app give the same registry (issue 18: `promboard migrate` used to resolve
    // names in the built-in one only, so its output differed from the app's).
    let provisioned = Registry::from_provisioning(
        "datasources:\n  - name: Prometheus prod\n    uid: prod\n    isDefault: true\n  - name: Tenant\n    uid: tenant\n",
    )
    .expect("provisioning");
    let dashboard = json!({"schemaVersion": 25, "panels": [
        {"id": 1, "type": "timeseries", "datasource": "Tenant", "targets": [{"refId": "A"}]},
        {"id": 2, "type": "timeseries", "targets": [{"refId": "A"}]}
    ]});
    let result = upgrade(dashboard.as_object().unwrap(), &provisioned);
    let panels = &result.dashboard["panels"];
    assert_eq!(panels[0]["datasource"], json!({"type": "prometheus", "uid": "tenant"}));
    assert_eq!(
        panels[1]["targets"][0]["datasource"],
        json!({"type": "prometheus", "uid": "prod"}),
        "v36: the default"
    );
    assert!(result.report.is_empty(), "{:?}", result.report);
    let builtin = upgraded(dashboard);
    assert_eq!(builtin.dashboard["panels"][0]["datasource"], json!({"uid": "Tenant"}));
    assert_eq!(
        builtin.dashboard["panels"][1]["targets"][0]["datasource"],
        json!({"type": "prometheus", "uid": "prometheus"})
    );
}
