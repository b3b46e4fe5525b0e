//! The v2 reader and writer against hand-written v2 files (`tests/fixtures/dashboards/v2/`, one
//! per layout kind and rule type, both flavours): what each becomes classically, and that an
//! edit written back changes only what was edited.

use super::*;
use serde_json::json;

const FIXTURES: [(&str, &str); 8] = [
    ("grid.json", include_str!("../../../tests/fixtures/dashboards/v2/grid.json")),
    ("rows.json", include_str!("../../../tests/fixtures/dashboards/v2/rows.json")),
    ("autogrid.json", include_str!("../../../tests/fixtures/dashboards/v2/autogrid.json")),
    ("tabs.json", include_str!("../../../tests/fixtures/dashboards/v2/tabs.json")),
    ("conditions.json", include_str!("../../../tests/fixtures/dashboards/v2/conditions.json")),
    ("alpha.json", include_str!("../../../tests/fixtures/dashboards/v2/alpha.json")),
    ("library.json", include_str!("../../../tests/fixtures/dashboards/v2/library.json")),
    ("bare-spec.json", include_str!("../../../tests/fixtures/dashboards/v2/bare-spec.json")),
];

fn fixture(name: &str) -> Map<String, Value> {
    let text = FIXTURES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t).expect("a fixture");
    serde_json::from_str(text).expect("valid JSON")
}

/// Every classic panel (inside collapsed rows too), by id.
fn panel(classic: &Map<String, Value>, id: i64) -> &Value {
    let top = classic["panels"].as_array().unwrap();
    top.iter()
        .chain(top.iter().flat_map(|p| p.get("panels").and_then(Value::as_array).into_iter().flatten()))
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no panel {id}"))
}

fn grid(classic: &Map<String, Value>, id: i64) -> (i64, i64, i64, i64) {
    let g = &panel(classic, id)["gridPos"];
    let n = |k: &str| g[k].as_i64().unwrap();
    (n("x"), n("y"), n("w"), n("h"))
}

#[test]
fn every_fixture_is_v2_is_read_whole_and_writes_back_unchanged() {
    for (name, _) in FIXTURES {
        let before = fixture(name);
        assert!(is_v2(&before), "{name}");
        let classic = to_classic(&before);
        assert!(classic.losses.is_empty(), "{name}: {:?}", classic.losses);
        let elements = spec_of(&before)["elements"].as_object().unwrap().len();
        let top = classic.dashboard["panels"].as_array().unwrap();
        let non_rows = top
            .iter()
            .chain(top.iter().flat_map(|p| p.get("panels").and_then(Value::as_array).into_iter().flatten()))
            .filter(|p| p["type"] != "row")
            .count();
        assert_eq!(non_rows, elements, "{name}: every element is a panel");
        assert_eq!(write_back(&before, &classic.dashboard), before, "{name}: unedited comes back identical");
    }
}

#[test]
fn a_beta_grid_reads_as_grafana_converts_it() {
    let classic = to_classic(&fixture("grid.json")).dashboard;
    assert_eq!(classic["uid"], "v2-grid");
    assert_eq!(classic["graphTooltip"], 1, "cursorSync Crosshair");
    assert_eq!(classic["time"], json!({"from": "now-1h", "to": "now"}));
    assert_eq!(classic["refresh"], "30s");
    assert_eq!(grid(&classic, 4), (0, 0, 24, 3));
    assert_eq!(grid(&classic, 3), (0, 11, 16, 7));
    let two = panel(&classic, 2);
    assert_eq!(two["type"], "timeseries");
    assert_eq!(two["targets"].as_array().unwrap().len(), 2);
    assert_eq!(two["targets"][0]["datasource"], json!({"type": "prometheus", "uid": "prometheus"}));
    assert_eq!(two["datasource"], json!({"type": "prometheus", "uid": "prometheus"}));
    assert!(two["targets"][0]["expr"].is_string() && two["targets"][1]["refId"] == "B");
    let three = panel(&classic, 3);
    assert_eq!((three["interval"].as_str(), three["maxDataPoints"].as_i64()), (Some("1m"), Some(500)));
    assert_eq!(three["transformations"][0]["id"], "organize");
    let variables = classic["templating"]["list"].as_array().unwrap();
    let sensor = variables.iter().find(|v| v["name"] == "sensor").unwrap();
    assert_eq!(
        (sensor["type"].as_str(), sensor["datasource"]["uid"].as_str()),
        (Some("query"), Some("prometheus"))
    );
    assert!(sensor["refresh"].is_number() && sensor["hide"].is_number() && sensor["sort"].is_number());
    assert!(sensor["query"].is_object() || sensor["query"].is_string());
    let annotations = classic["annotations"]["list"].as_array().unwrap();
    assert_eq!(annotations.len(), 2);
    let built_in = annotations.iter().find(|a| a["builtIn"] == 1).expect("the built-in entry");
    assert_eq!(built_in["type"], "dashboard");
    let prometheus = annotations.iter().find(|a| a.get("builtIn").is_none()).unwrap();
    assert!(prometheus["target"]["expr"].is_string(), "{prometheus}");
}

#[test]
fn rows_become_row_panels_with_their_content_under_or_inside_them() {
    let classic = to_classic(&fixture("rows.json")).dashboard;
    let top = classic["panels"].as_array().unwrap();
    // The header-less first row has no row panel: its stat sits at the top.
    assert_eq!(top[0]["id"], 1);
    assert_eq!(grid(&classic, 1), (0, 0, 6, 4));
    let rows: Vec<&Value> = top.iter().filter(|p| p["type"] == "row").collect();
    assert_eq!(
        rows.iter().map(|r| r["title"].as_str().unwrap()).collect::<Vec<_>>(),
        ["Temperatures", "Requests"]
    );
    assert_eq!(rows[0]["gridPos"]["y"], 4);
    assert_eq!(grid(&classic, 2), (0, 5, 16, 8), "under its row");
    assert_eq!(rows[1]["collapsed"], true);
    assert_eq!(rows[1]["gridPos"]["y"], 13);
    assert_eq!(rows[1]["panels"][0]["id"], 4, "a collapsed row holds its panels");
    assert!(rows.iter().all(|r| r["id"].as_i64().unwrap() > 4), "row ids follow the elements'");
}

#[test]
fn an_auto_grid_places_its_panels_in_columns_of_its_row_height() {
    let converted = to_classic(&fixture("autogrid.json"));
    let classic = &converted.dashboard;
    // Two columns of 12, short rows of 5 units.
    assert_eq!(grid(classic, 1), (0, 0, 12, 5));
    assert_eq!(grid(classic, 2), (12, 0, 12, 5));
    assert_eq!(grid(classic, 5), (0, 10, 12, 5));
    let auto = &converted.sections.auto_grids[0];
    assert_eq!((auto.max_columns, auto.row_height, auto.panel_ids.len()), (2, 5, 5));
    assert_eq!(converted.sections.conditions.len(), 1);
    assert_eq!(converted.sections.conditions[0].panel_ids, [5]);
    assert_eq!(layout::auto_row_height("custom", Some(400.0)), 11);
    assert_eq!(layout::auto_row_height("tall", None), 14);
}

#[test]
fn tabs_are_rows_classically_and_sections_beside_them() {
    let converted = to_classic(&fixture("tabs.json"));
    let tabs = &converted.sections.tabs;
    assert_eq!(tabs.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(), ["Overview", "Details", "Auto"]);
    let mut overview = tabs[0].panel_ids.clone();
    overview.sort();
    assert_eq!(overview, [1, 2, tabs[0].row_id]);
    // The Details tab holds its own row and the two nested rows with their panels.
    assert_eq!(tabs[1].panel_ids.iter().filter(|id| **id <= 8).count(), 3);
    assert_eq!(tabs[1].panel_ids.len(), 6);
    let rows: Vec<&Value> =
        converted.dashboard["panels"].as_array().unwrap().iter().filter(|p| p["type"] == "row").collect();
    assert_eq!(rows.len(), 5, "three tabs and two nested rows");
    let auto_tab =
        converted.sections.conditions.iter().find(|c| c.panel_ids.contains(&tabs[2].row_id)).unwrap();
    assert_eq!(auto_tab.rules.rules, [Rule::TimeRangeShorterThan("7d".into())]);
    assert!(auto_tab.rules.show_when_met);
}

#[test]
fn every_rule_kind_is_read() {
    let converted = to_classic(&fixture("conditions.json"));
    let rules: Vec<&RuleGroup> = converted.sections.conditions.iter().map(|c| &c.rules).collect();
    assert!(rules.len() >= 5);
    let all: Vec<&Rule> = rules.iter().flat_map(|g| &g.rules).collect();
    assert!(all.iter().any(|r| matches!(r, Rule::Variable { matches: false, negated: false, .. })));
    assert!(all.iter().any(|r| matches!(r, Rule::Variable { matches: false, negated: true, .. })));
    assert!(all.iter().any(|r| matches!(r, Rule::Variable { matches: true, negated: false, .. })));
    assert!(all.iter().any(|r| matches!(r, Rule::HasData(true))));
    assert!(rules.iter().any(|g| !g.all) && rules.iter().any(|g| !g.show_when_met));
    let unknown =
        json!({"kind": "ConditionalRenderingGroup", "spec": {"items": [{"kind": "Weather", "spec": {}}]}});
    assert!(RuleGroup::read(&unknown).is_err());
}

#[test]
fn alpha_and_bare_specs_and_library_panels_read_too() {
    let alpha = to_classic(&fixture("alpha.json")).dashboard;
    let first = alpha["panels"][0].clone();
    assert!(first["type"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(first["pluginVersion"].is_string());
    assert_eq!(first["targets"][0]["datasource"]["uid"], "prometheus");
    let bare = to_classic(&fixture("bare-spec.json")).dashboard;
    assert_eq!(bare["title"], "V2 bare spec");
    assert!(bare.get("uid").is_none());
    let library = to_classic(&fixture("library.json")).dashboard;
    assert_eq!(panel(&library, 1)["libraryPanel"]["uid"], "lib-1");
}

/// `before` edited classically by `edit`, written back.
fn edited(
    name: &str,
    edit: impl FnOnce(&mut Map<String, Value>),
) -> (Map<String, Value>, Map<String, Value>) {
    let before = fixture(name);
    let mut classic = to_classic(&before).dashboard;
    edit(&mut classic);
    let after = write_back(&before, &classic);
    (before, after)
}

fn panel_mut(classic: &mut Map<String, Value>, id: i64) -> &mut Map<String, Value> {
    let found = classic["panels"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no top-level panel {id}"));
    found.as_object_mut().unwrap()
}

#[test]
fn an_edited_panel_changes_only_its_element() {
    let (before, after) = edited("grid.json", |c| {
        panel_mut(c, 2).insert("title".into(), json!("Renamed"));
    });
    assert_eq!(after["spec"]["elements"]["panel-2"]["spec"]["title"], "Renamed");
    let mut expected = before.clone();
    expected["spec"]["elements"]["panel-2"]["spec"]["title"] = json!("Renamed");
    assert_eq!(after, expected);
}

#[test]
fn moving_removing_and_adding_panels_keeps_the_layout_kind() {
    let (before, after) = edited("tabs.json", |c| {
        let panels = c["panels"].as_array_mut().unwrap();
        panels.retain(|p| p["id"] != 2);
        let one = panels.iter_mut().find(|p| p["id"] == 1).unwrap();
        one["gridPos"]["w"] = json!(24);
        // A new panel after the Details tab's second nested row.
        let at = panels.iter().position(|p| p["id"] == 5).unwrap();
        panels.insert(at + 1, json!({"id": 42, "type": "stat", "title": "New", "gridPos": {"x": 0, "y": 40, "w": 6, "h": 4}, "targets": []}));
    });
    let layout = &after["spec"]["layout"];
    assert_eq!(layout["kind"], "TabsLayout");
    let overview = &layout["spec"]["tabs"][0]["spec"]["layout"]["spec"]["items"];
    assert_eq!(overview.as_array().unwrap().len(), 1, "panel 2 is gone");
    assert_eq!(overview[0]["spec"]["width"], 24);
    assert!(after["spec"]["elements"].get("panel-2").is_none());
    let details =
        &layout["spec"]["tabs"][1]["spec"]["layout"]["spec"]["rows"][1]["spec"]["layout"]["spec"]["items"];
    assert_eq!(details.as_array().unwrap().last().unwrap()["spec"]["element"]["name"], "panel-42");
    assert_eq!(after["spec"]["elements"]["panel-42"]["spec"]["vizConfig"]["group"], "stat");
    // The untouched tab is as it was.
    assert_eq!(layout["spec"]["tabs"][2], before["spec"]["layout"]["spec"]["tabs"][2]);
}

#[test]
fn a_renamed_row_and_a_changed_variable_are_written_in_place() {
    let (before, after) = edited("rows.json", |c| {
        let row =
            c["panels"].as_array_mut().unwrap().iter_mut().find(|p| p["title"] == "Temperatures").unwrap();
        row["title"] = json!("Heat");
        let sensor = c["templating"]["list"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|v| v["name"] == "sensor")
            .unwrap();
        sensor["label"] = json!("Which sensor");
    });
    assert_eq!(after["spec"]["layout"]["spec"]["rows"][1]["spec"]["title"], "Heat");
    let variables = after["spec"]["variables"].as_array().unwrap();
    let sensor = variables.iter().find(|v| v["spec"]["name"] == "sensor").unwrap();
    assert_eq!(sensor["spec"]["label"], "Which sensor");
    let old = before["spec"]["variables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["spec"]["name"] == "sensor")
        .unwrap();
    let mut expected = old.clone();
    expected["spec"]["label"] = json!("Which sensor");
    assert_eq!(sensor, &expected, "only the label changed, in the file's own shape");
    assert_eq!(after["spec"]["elements"], before["spec"]["elements"]);
}

#[test]
fn a_new_row_rewrites_the_layout_as_rows() {
    let (_, after) = edited("grid.json", |c| {
        c["panels"].as_array_mut().unwrap().push(
            json!({"id": 99, "type": "row", "title": "Added", "collapsed": false, "gridPos": {"x": 0, "y": 30, "w": 24, "h": 1}, "panels": []}),
        );
    });
    let layout = &after["spec"]["layout"];
    assert_eq!(layout["kind"], "RowsLayout");
    let rows = layout["spec"]["rows"].as_array().unwrap();
    assert_eq!(rows[0]["spec"]["hideHeader"], true, "the panels before the row");
    assert_eq!(rows[1]["spec"]["title"], "Added");
}

#[test]
fn classic_to_v2_and_back_keeps_what_the_view_uses() {
    let classic = json!({
        "uid": "c1", "title": "Classic", "schemaVersion": 42, "graphTooltip": 2, "refresh": "1m",
        "time": {"from": "now-3h", "to": "now"},
        "templating": {"list": [{"name": "job", "type": "query", "datasource": {"type": "prometheus", "uid": "p"},
            "query": "label_values(up, job)", "refresh": 2, "hide": 0, "sort": 1, "multi": true}]},
        "annotations": {"list": [{"name": "Deploys", "enable": true, "hide": false, "iconColor": "red",
            "datasource": {"type": "prometheus", "uid": "p"}, "expr": "changes(x[5m]) > 0", "step": "1m"}]},
        "panels": [
            {"id": 1, "type": "stat", "title": "Up", "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4},
             "datasource": {"type": "prometheus", "uid": "p"}, "targets": [{"refId": "A", "expr": "up"}],
             "options": {}, "fieldConfig": {"defaults": {"unit": "short"}, "overrides": []}},
            {"id": 2, "type": "row", "title": "More", "collapsed": true, "gridPos": {"x": 0, "y": 4, "w": 24, "h": 1},
             "panels": [{"id": 3, "type": "timeseries", "title": "Rate", "gridPos": {"x": 0, "y": 5, "w": 24, "h": 8},
                 "targets": [{"refId": "A", "expr": "rate(x[5m])", "datasource": {"type": "prometheus", "uid": "p"}}],
                 "repeat": "job", "repeatDirection": "h"}]}
        ]
    });
    let classic = classic.as_object().unwrap();
    let (v2, losses) = from_classic(classic, "dashboard.grafana.app/v2beta1");
    assert!(losses.is_empty(), "{losses:?}");
    assert!(is_v2(&v2));
    let back = to_classic(&v2);
    assert!(back.losses.is_empty(), "{:?}", back.losses);
    let back = back.dashboard;
    assert_eq!(
        (back["uid"].as_str(), back["graphTooltip"].as_i64(), back["refresh"].as_str()),
        (Some("c1"), Some(2), Some("1m"))
    );
    assert_eq!(grid(&back, 1), (0, 0, 6, 4));
    assert_eq!(grid(&back, 3), (0, 5, 24, 8));
    assert_eq!(panel(&back, 3)["repeat"], "job");
    assert_eq!(panel(&back, 1)["fieldConfig"]["defaults"]["unit"], "short");
    assert_eq!(panel(&back, 1)["targets"][0]["expr"], "up");
    assert_eq!(back["templating"]["list"][0]["query"], "label_values(up, job)");
    assert_eq!(back["templating"]["list"][0]["refresh"], 2);
    assert_eq!(back["annotations"]["list"][0]["expr"], "changes(x[5m]) > 0");
    let row = back["panels"].as_array().unwrap().iter().find(|p| p["type"] == "row").unwrap();
    assert_eq!((row["title"].as_str(), row["collapsed"].as_bool()), (Some("More"), Some(true)));
}

#[test]
fn what_an_edit_removes_goes_from_the_file_too() {
    let (before, after) = edited("grid.json", |c| {
        let panel = panel_mut(c, 1);
        panel["fieldConfig"]["defaults"].as_object_mut().unwrap().shift_remove("unit");
        panel["targets"][0].as_object_mut().unwrap().shift_remove("legendFormat");
    });
    let element = &after["spec"]["elements"]["panel-1"]["spec"];
    assert!(element["vizConfig"]["spec"]["fieldConfig"]["defaults"].get("unit").is_none());
    assert!(element["data"]["spec"]["queries"][0]["spec"]["query"]["spec"].get("legendFormat").is_none());
    let mut expected = before["spec"]["elements"]["panel-1"].clone();
    expected["spec"]["vizConfig"]["spec"]["fieldConfig"]["defaults"]
        .as_object_mut()
        .unwrap()
        .shift_remove("unit");
    expected["spec"]["data"]["spec"]["queries"][0]["spec"]["query"]["spec"]
        .as_object_mut()
        .unwrap()
        .shift_remove("legendFormat");
    assert_eq!(after["spec"]["elements"]["panel-1"], expected);
}

#[test]
fn a_panel_added_on_top_joins_the_first_tab_and_rows_keep_their_order_and_repeat() {
    let (_, after) = edited("tabs.json", |c| {
        c["panels"].as_array_mut().unwrap().insert(
            0,
            json!({"id": 50, "type": "text", "title": "Added", "gridPos": {"x": 0, "y": 0, "w": 6, "h": 3}, "options": {"content": "x"}}),
        );
    });
    assert_eq!(after["spec"]["layout"]["kind"], "TabsLayout", "not rebuilt as rows");
    let first_tab = &after["spec"]["layout"]["spec"]["tabs"][0]["spec"]["layout"]["spec"]["items"];
    assert!(first_tab.as_array().unwrap().iter().any(|i| i["spec"]["element"]["name"] == "panel-50"));
    // Rows swapped: written afresh in the new order.
    let (_, swapped) = edited("rows.json", |c| {
        let panels = c["panels"].as_array_mut().unwrap();
        let rows: Vec<usize> =
            panels.iter().enumerate().filter(|(_, p)| p["type"] == "row").map(|(i, _)| i).collect();
        let (first, second) = (rows[0], rows[1]);
        let moved: Vec<Value> = panels.drain(first..second).collect();
        panels.extend(moved);
    });
    let titles: Vec<&str> = swapped["spec"]["layout"]["spec"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["spec"]["title"].as_str())
        .filter(|t| !t.is_empty())
        .collect();
    assert_eq!(titles, ["Requests", "Temperatures"]);
    // A row's repeat is written into its row.
    let (_, repeated) = edited("rows.json", |c| {
        let row =
            c["panels"].as_array_mut().unwrap().iter_mut().find(|p| p["title"] == "Temperatures").unwrap();
        row["repeat"] = json!("sensor");
    });
    assert_eq!(
        repeated["spec"]["layout"]["spec"]["rows"][1]["spec"]["repeat"],
        json!({"mode": "variable", "value": "sensor"})
    );
}

#[test]
fn elements_the_layout_does_not_place_survive_an_edit() {
    let mut before = fixture("grid.json");
    let extra = before["spec"]["elements"]["panel-4"].clone();
    let mut extra = extra;
    extra["spec"]["id"] = json!(77);
    before["spec"]["elements"].as_object_mut().unwrap().insert("unplaced".into(), extra.clone());
    let mut classic = to_classic(&before).dashboard;
    panel_mut(&mut classic, 2).insert("title".into(), json!("Renamed"));
    let after = write_back(&before, &classic);
    assert_eq!(after["spec"]["elements"]["unplaced"], extra);
}

#[test]
fn a_header_less_row_after_a_row_keeps_its_places_when_another_panel_moves() {
    let element = |id: i64| {
        json!({"kind": "Panel", "spec": {"id": id, "title": format!("P{id}"), "description": "", "links": [],
            "data": {"kind": "QueryGroup", "spec": {"queries": [], "transformations": [], "queryOptions": {}}},
            "vizConfig": {"kind": "VizConfig", "group": "text", "version": "", "spec": {"options": {}, "fieldConfig": {"defaults": {}, "overrides": []}}}}})
    };
    let grid = |name: &str| {
        json!({"kind": "GridLayout", "spec": {"items": [{"kind": "GridLayoutItem", "spec": {"x": 0, "y": 0, "width": 12, "height": 8,
            "element": {"kind": "ElementReference", "name": name}}}]}})
    };
    let before: Map<String, Value> = serde_json::from_value(json!({
        "apiVersion": "dashboard.grafana.app/v2beta1", "kind": "Dashboard", "metadata": {"name": "x"},
        "spec": {"title": "T", "elements": {"a": element(1), "b": element(2)},
            "layout": {"kind": "RowsLayout", "spec": {"rows": [
                {"kind": "RowsLayoutRow", "spec": {"title": "R1", "collapse": false, "layout": grid("a")}},
                {"kind": "RowsLayoutRow", "spec": {"title": "", "collapse": false, "hideHeader": true, "layout": grid("b")}}
            ]}}}
    }))
    .unwrap();
    let mut classic = to_classic(&before).dashboard;
    panel_mut(&mut classic, 1)["gridPos"]["w"] = json!(24);
    let after = write_back(&before, &classic);
    let rows = &after["spec"]["layout"]["spec"]["rows"];
    assert_eq!(rows[0]["spec"]["layout"]["spec"]["items"][0]["spec"]["width"], 24);
    assert_eq!(
        rows[1]["spec"]["layout"]["spec"]["items"][0]["spec"],
        before["spec"]["layout"]["spec"]["rows"][1]["spec"]["layout"]["spec"]["items"][0]["spec"]
    );
}
