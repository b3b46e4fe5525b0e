use super::layout::{
    add_panel, duplicate_panel, find_panel, next_panel_id, nudge, remove_panel, set_grid_pos,
};
use super::panel::{
    add_query, change_type, duplicate_query, next_ref_id, set_option, set_threshold_steps, threshold_steps,
};
use super::*;
use crate::datasource::Registry;
use crate::view::GridPos;
use serde_json::json;

fn doc(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => panic!("an object"),
    }
}

fn keys(map: &Map<String, Value>) -> Vec<&str> {
    map.keys().map(String::as_str).collect()
}

fn sample() -> Map<String, Value> {
    doc(json!({
        "uid": "u", "title": "T", "schemaVersion": 39,
        "panels": [
            {"id": 1, "type": "timeseries", "title": "CPU", "gridPos": {"h": 8, "w": 12, "x": 0, "y": 0},
             "targets": [{"refId": "A", "expr": "up"}],
             "fieldConfig": {"defaults": {"unit": "short"}, "overrides": []}},
            {"id": 7, "type": "row", "collapsed": true, "gridPos": {"h": 1, "w": 24, "x": 0, "y": 8},
             "panels": [{"id": 3, "type": "stat", "gridPos": {"h": 4, "w": 6, "x": 0, "y": 9}}]}
        ],
        "time": {"from": "now-6h", "to": "now"}
    }))
}

#[test]
fn a_diff_touches_only_what_changed_and_undo_restores_order() {
    let before = sample();
    let mut after = before.clone();
    after["panels"][0]["fieldConfig"]["defaults"]["unit"] = json!("bytes");
    after.shift_remove("title");
    after.insert("description".into(), json!("new"));
    let patches = diff(&before, &after);
    let described = describe(&patches);
    assert_eq!(
        described,
        vec![
            (
                "/panels/0/fieldConfig/defaults/unit".to_string(),
                Some("\"short\"".to_string()),
                Some("\"bytes\"".to_string())
            ),
            ("/title".to_string(), Some("\"T\"".to_string()), None),
            ("/description".to_string(), None, Some("\"new\"".to_string())),
        ]
    );
    let mut document = before.clone();
    apply(&mut document, &patches, true).unwrap();
    assert_eq!(document, after);
    apply(&mut document, &patches, false).unwrap();
    assert_eq!(document, before);
    assert_eq!(
        keys(&document),
        ["uid", "title", "schemaVersion", "panels", "time"],
        "title back in its place"
    );
}

#[test]
fn a_patch_that_does_not_fit_leaves_the_document_alone() {
    let mut document = sample();
    let stray = Patch {
        path: vec![Step::Key("nope".into()), Step::Key("x".into())],
        before: None,
        after: Some(json!(1)),
        position: 0,
    };
    assert!(apply(&mut document, &[stray], true).unwrap_err().starts_with("/nope/x"));
    assert_eq!(document, sample());
}

#[test]
fn sessions_undo_and_redo_each_change() {
    let mut session = Session::new(sample());
    assert!(!session.is_modified());
    let mut renamed = session.current.clone();
    renamed.insert("title".into(), json!("Renamed"));
    assert!(session.commit("Rename", renamed.clone()));
    assert!(!session.commit("Nothing", renamed), "no change, no undo step");
    let (moved, _) = add_panel(&session.current, "stat");
    assert!(session.commit("Add panel", moved.clone()));
    assert_eq!(session.undo_label(), Some("Add panel"));
    assert_eq!(session.undo().as_deref(), Some("Add panel"));
    assert_eq!(session.current["title"], "Renamed");
    assert_eq!(session.undo().as_deref(), Some("Rename"));
    assert_eq!(session.current, sample());
    assert!(!session.is_modified());
    assert_eq!(session.undo(), None);
    assert_eq!(session.redo().as_deref(), Some("Rename"));
    assert_eq!(session.redo().as_deref(), Some("Add panel"));
    assert_eq!(session.current, moved);
    // A new change after an undo drops what could have been redone.
    session.undo();
    let mut other = session.current.clone();
    other.insert("editable".into(), json!(true));
    session.commit("Editable", other);
    assert_eq!(session.redo(), None);
    // Discard goes back to the original, one undo away from the edits.
    assert!(session.discard());
    assert!(!session.is_modified());
    session.undo();
    assert!(session.is_modified());
}

#[test]
fn drafts_survive_storage_with_key_order_and_types() {
    let mut document = sample();
    document.insert("version".into(), json!(3.0));
    let draft = Draft {
        uid: "u".into(),
        source: "/dashboards/a.json".into(),
        saved_at_ms: 42,
        base: Some("00ff".into()),
        document,
    };
    let text = draft.to_storage();
    let back = Draft::from_storage(&text).unwrap();
    assert_eq!(back, draft);
    assert_eq!(keys(&back.document), keys(&draft.document));
    assert!(back.document["version"].is_f64(), "3.0 stays a float");
    assert!(Draft::from_storage("{").unwrap_err().starts_with("unreadable draft"));
    assert_eq!(draft_key("u"), "promboard.draft.u");
    // A session resumed from a draft can undo back to the file.
    let mut resumed = Session::resumed(sample(), back.document);
    assert!(resumed.is_modified());
    resumed.undo();
    assert_eq!(resumed.current, sample());
}

#[test]
fn panels_are_found_added_duplicated_moved_and_removed() {
    let document = sample();
    assert_eq!(find_panel(&document, 3).map(|at| at.pointer()), Some("/panels/1/panels/0".to_string()));
    assert_eq!(next_panel_id(&document), 8);
    let (added, id) = add_panel(&document, "timeseries");
    assert_eq!(
        (id, added["panels"][0]["id"].clone(), added["panels"].as_array().unwrap().len()),
        (8, json!(8), 3)
    );
    // A duplicate goes beside the original when there is room, after it in the JSON.
    let (duplicated, copy_id) = duplicate_panel(&document, 1).unwrap();
    assert_eq!(copy_id, 8);
    assert_eq!(duplicated["panels"][1]["gridPos"], json!({"h": 8, "w": 12, "x": 12, "y": 0}));
    assert_eq!(duplicated["panels"][1]["title"], "CPU");
    // A nested panel's duplicate stays in its row; a full-width one goes below.
    let (nested, _) = duplicate_panel(&document, 3).unwrap();
    assert_eq!(nested["panels"][1]["panels"][1]["gridPos"]["x"], 6);
    // Moving writes gridPos in its key order, clamped into the grid.
    let moved = set_grid_pos(&document, 1, GridPos { x: 20, y: 3, w: 12, h: 8 }).unwrap();
    assert_eq!(moved["panels"][0]["gridPos"], json!({"h": 8, "w": 12, "x": 12, "y": 3}));
    assert_eq!(diff(&document, &moved).len(), 2, "x and y only");
    assert_eq!(
        nudge(GridPos { x: 0, y: 0, w: 24, h: 8 }, -1, -1, 1, -9),
        GridPos { x: 0, y: 0, w: 24, h: 1 }
    );
    // A drag in pixels becomes whole grid units; a grid without width moves nothing.
    let start = GridPos { x: 2, y: 4, w: 6, h: 5 };
    assert_eq!(
        super::layout::dragged(start, 130.0, -20.0, 50.0, 38.0, false),
        GridPos { x: 5, y: 3, ..start }
    );
    assert_eq!(super::layout::dragged(start, 60.0, 80.0, 50.0, 38.0, true), GridPos { w: 7, h: 7, ..start });
    assert_eq!(super::layout::dragged(start, 60.0, 80.0, 0.0, 0.0, false), start);
    let removed = remove_panel(&document, 3).unwrap();
    assert_eq!(removed["panels"][1]["panels"], json!([]));
    assert!(remove_panel(&document, 99).is_none());
}

#[test]
fn panel_editor_operations_keep_untouched_keys() {
    let mut panel = sample()["panels"][0].clone();
    set_option(&mut panel, &["fieldConfig", "defaults", "unit"], Some(json!("percent")));
    set_option(&mut panel, &["fieldConfig", "defaults", "decimals"], Some(json!(1)));
    set_option(&mut panel, &["options", "legend", "displayMode"], Some(json!("table")));
    assert_eq!(panel["fieldConfig"]["defaults"], json!({"unit": "percent", "decimals": 1}));
    assert_eq!(panel["options"], json!({"legend": {"displayMode": "table"}}));
    set_option(&mut panel, &["fieldConfig", "defaults", "decimals"], None);
    assert_eq!(panel["fieldConfig"]["defaults"], json!({"unit": "percent"}));
    add_query(&mut panel);
    duplicate_query(&mut panel, 0);
    let ids: Vec<&str> =
        panel["targets"].as_array().unwrap().iter().map(|t| t["refId"].as_str().unwrap()).collect();
    assert_eq!(ids, ["A", "C", "B"]);
    let taken: Vec<Value> =
        ('A'..='Z').map(|c| json!({"refId": c.to_string()})).chain([json!({"refId": "AA"})]).collect();
    assert_eq!(next_ref_id(&taken), "AB");
    assert_eq!(
        threshold_steps(&panel),
        vec![(None, "green".to_string()), (Some(80.0), "red".to_string())],
        "Grafana's default"
    );
    set_threshold_steps(
        &mut panel,
        vec![(Some(90.0), "red".into()), (None, "green".into()), (Some(70.0), "orange".into())],
    );
    assert_eq!(
        panel["fieldConfig"]["defaults"]["thresholds"],
        json!({"mode": "absolute", "steps": [{"color": "green", "value": null}, {"color": "orange", "value": 70}, {"color": "red", "value": 90}]})
    );
    // Switching type keeps the field config but not the old type's options.
    set_option(&mut panel, &["fieldConfig", "defaults", "custom"], Some(json!({"lineWidth": 2})));
    set_option(&mut panel, &["options", "reduceOptions"], Some(json!({"calcs": ["mean"]})));
    change_type(&mut panel, "stat");
    assert_eq!(panel["type"], "stat");
    assert_eq!(panel["options"], json!({"reduceOptions": {"calcs": ["mean"]}}));
    assert!(panel["fieldConfig"]["defaults"].get("custom").is_none());
    assert_eq!(panel["fieldConfig"]["defaults"]["unit"], "percent");
}

#[test]
fn added_and_removed_panels_are_patches_of_their_own() {
    let before = sample();
    let (added, _) = add_panel(&before, "stat");
    let mut after = remove_panel(&added, 3).unwrap();
    after["panels"][1]["title"] = json!("CPU busy");
    let described: Vec<String> =
        describe(&diff(&before, &after)).into_iter().map(|(pointer, _, _)| pointer).collect();
    // The new panel is one insertion at the front; the edited panel's title is found at its new
    // index; the removed nested panel is one removal.
    assert_eq!(described, ["/panels/0", "/panels/1/title", "/panels/2/panels/0"]);
    let mut document = before.clone();
    let patches = diff(&before, &after);
    apply(&mut document, &patches, true).unwrap();
    assert_eq!(document, after);
    apply(&mut document, &patches, false).unwrap();
    assert_eq!(document, before);
    // Reordered lists are replaced whole (and still undo exactly).
    let mut reordered = before.clone();
    reordered["panels"].as_array_mut().unwrap().reverse();
    let patches = diff(&before, &reordered);
    assert_eq!(describe(&patches)[0].0, "/panels");
    let mut document = before.clone();
    apply(&mut document, &patches, true).unwrap();
    apply(&mut document, &patches, false).unwrap();
    assert_eq!(document, before);
}

#[test]
fn a_key_cleared_and_filled_again_keeps_its_place() {
    let mut session = Session::new(sample());
    let mut next = session.current.clone();
    let defaults = next["panels"][0]["fieldConfig"]["defaults"].as_object_mut().unwrap();
    defaults.shift_remove("unit");
    defaults.insert("decimals".into(), json!(2));
    defaults.insert("unit".into(), json!("bytes"));
    let mut moved_title = next.clone();
    moved_title.shift_remove("title");
    moved_title.insert("title".into(), json!("T"));
    session.commit("Unit", moved_title);
    let defaults = session.current["panels"][0]["fieldConfig"]["defaults"].as_object().unwrap();
    assert_eq!(keys(defaults), ["unit", "decimals"]);
    assert_eq!(keys(&session.current), ["uid", "title", "schemaVersion", "panels", "time"]);
    assert_eq!(describe(&diff(&session.original, &session.current)).len(), 2, "unit and decimals only");
}

#[test]
fn undo_puts_several_removed_keys_back_in_order() {
    // Found by the fuzzer: a legacy graph upgraded loses `lines`, `linewidth`, `nullPointMode`.
    let before = doc(json!({"a": 1, "lines": true, "linewidth": 1, "nullPointMode": "null", "z": 0}));
    let after = doc(json!({"a": 1, "z": 0, "fieldConfig": {}}));
    let mut session = Session::new(before.clone());
    session.commit("upgrade", after);
    session.undo();
    assert_eq!(serde_json::to_string(&session.current).unwrap(), serde_json::to_string(&before).unwrap());
}

#[test]
fn key_order_is_kept_on_the_objects_the_diff_pairs() {
    // Found by the fuzzer: panels without ids that an upgrade reorders are paired by position
    // by neither the diff nor the key-order keeper, so undo restores the file exactly.
    let before = doc(
        json!({"panels": [{"title": "b", "type": "graph", "x": 1}, {"title": "a", "type": "graph", "targets": [], "y": 2}]}),
    );
    let after = doc(
        json!({"panels": [{"type": "timeseries", "title": "a", "targets": []}, {"type": "timeseries", "title": "b"}]}),
    );
    let mut session = Session::new(before.clone());
    session.commit("upgrade", after.clone());
    assert_eq!(session.current, after);
    session.undo();
    assert_eq!(serde_json::to_string(&session.current).unwrap(), serde_json::to_string(&before).unwrap());
}

#[test]
fn threshold_edits_keep_the_steps_not_edited_as_written() {
    let mut panel = json!({"fieldConfig": {"defaults": {"thresholds": {"mode": "absolute", "steps": [
        {"color": "green", "value": null}, {"value": "80", "color": "red", "index": 1}, {"color": "blue", "value": 90.0}]}}}});
    assert_eq!(
        threshold_steps(&panel)[1],
        (Some(80.0), "red".to_string()),
        "a string value is read as a number"
    );
    let mut steps = threshold_steps(&panel);
    steps[0].1 = "dark-green".into();
    set_threshold_steps(&mut panel, steps);
    assert_eq!(
        panel["fieldConfig"]["defaults"]["thresholds"]["steps"],
        json!([{"color": "dark-green", "value": null}, {"value": "80", "color": "red", "index": 1}, {"color": "blue", "value": 90.0}])
    );
}

#[test]
fn a_draft_belongs_to_the_file_it_was_made_from() {
    let file = sample();
    let mut changed_file = sample();
    changed_file.insert("title".into(), json!("Another dashboard with the same uid"));
    let draft = |base: Option<String>| Draft {
        uid: "u".into(),
        source: "/dashboards/a.json".into(),
        saved_at_ms: 1,
        base,
        document: sample(),
    };
    assert!(draft_belongs_to(&draft(Some(fingerprint(&file))), &file));
    assert!(!draft_belongs_to(&draft(Some(fingerprint(&file))), &changed_file));
    // Drafts stored before they recorded their file are still resumed.
    assert!(draft_belongs_to(&draft(None), &changed_file));
    // Key order is part of the file.
    let mut reordered = Map::new();
    for (key, value) in file.iter().rev() {
        reordered.insert(key.clone(), value.clone());
    }
    assert_ne!(fingerprint(&file), fingerprint(&reordered));
}

#[test]
fn legacy_rows_dashboards_are_edited_in_their_upgraded_form() {
    let legacy = json!({
        "title": "Thanos-like", "schemaVersion": 14,
        "rows": [
            {"title": "Requests", "height": "250px", "panels": [
                {"id": 1, "type": "graph", "span": 6, "title": "Rate", "targets": [{"expr": "up", "refId": "A"}]},
                {"id": 2, "type": "graph", "span": 6, "title": "Errors", "targets": [{"expr": "up", "refId": "A"}]}
            ]},
            {"title": "Latency", "height": "250px", "panels": [
                {"id": 3, "type": "singlestat", "span": 12, "title": "p99"}
            ]}
        ]
    });
    let legacy = legacy.as_object().unwrap().clone();
    assert!(is_legacy_rows(&legacy));
    let editable = editable(&legacy, &Registry::builtin());
    assert!(!is_legacy_rows(&editable));
    assert!(!editable.contains_key("rows"), "the upgrade moves rows[] into panels[]");
    // Every panel the page shows can be found, duplicated and removed by its id.
    for id in [1, 2, 3] {
        assert!(layout::find_panel(&editable, id).is_some(), "panel {id} is editable");
        assert!(layout::duplicate_panel(&editable, id).is_some());
        assert!(layout::remove_panel(&editable, id).is_some());
    }
    // A new row gets an id no panel or row has.
    let (with_row, row_id) = layout::add_row(&editable);
    let ids: Vec<i64> = with_row["panels"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| std::iter::once(p).chain(p["panels"].as_array().into_iter().flatten()))
        .filter_map(|p| p["id"].as_i64())
        .collect();
    assert_eq!(ids.iter().filter(|id| **id == row_id).count(), 1, "{ids:?}");
    assert!(!with_row.contains_key("rows"));
    // A current dashboard is edited as it is.
    assert_eq!(super::editable(&sample(), &Registry::builtin()), sample());
}

#[test]
fn a_grafana_12_resource_is_edited_in_its_spec_and_keeps_its_wrapper() {
    let resource = doc(json!({"apiVersion": "dashboard.grafana.app/v1beta1", "kind": "Dashboard",
        "metadata": {"name": "res", "namespace": "default"},
        "spec": {"title": "T", "panels": [{"id": 1, "type": "stat", "gridPos": {"h": 4, "w": 6, "x": 0, "y": 0}}]}}));
    let classic = editable(&resource, &Registry::builtin());
    assert_eq!(classic["uid"], "res");
    let (duplicated, _) = duplicate_panel(&classic, 1).unwrap();
    let next = rewrap(&resource, duplicated);
    assert_eq!(keys(&next), vec!["apiVersion", "kind", "metadata", "spec"]);
    assert_eq!(next["metadata"], resource["metadata"]);
    assert!(next["spec"].get("uid").is_none(), "the uid from metadata.name is not written into spec");
    assert_eq!(next["spec"]["panels"].as_array().map(Vec::len), Some(2));
    // The JSON model's whole resource, and classic documents, pass unchanged.
    assert_eq!(rewrap(&resource, resource.clone()), resource);
    assert_eq!(rewrap(&sample(), sample()), sample());
}

#[test]
fn a_schema_v2_dashboard_is_edited_classically_and_stays_v2() {
    let v2 = doc(json!({"apiVersion": "dashboard.grafana.app/v2beta1", "kind": "Dashboard",
        "metadata": {"name": "v2doc"},
        "spec": {"title": "T", "elements": {"panel-1": {"kind": "Panel", "spec": {"id": 1, "title": "One",
            "description": "", "links": [],
            "data": {"kind": "QueryGroup", "spec": {"queries": [], "transformations": [], "queryOptions": {}}},
            "vizConfig": {"kind": "VizConfig", "group": "stat", "version": "12.2.0",
                "spec": {"options": {}, "fieldConfig": {"defaults": {}, "overrides": []}}}}}},
        "layout": {"kind": "AutoGridLayout", "spec": {"maxColumnCount": 3, "columnWidthMode": "standard",
            "rowHeightMode": "standard", "items": [{"kind": "AutoGridLayoutItem",
            "spec": {"element": {"kind": "ElementReference", "name": "panel-1"}}}]}}}}));
    let classic = editable(&v2, &Registry::builtin());
    assert_eq!(classic["uid"], "v2doc");
    let (duplicated, new_id) = duplicate_panel(&classic, 1).unwrap();
    let next = rewrap(&v2, duplicated);
    assert_eq!(next["apiVersion"], v2["apiVersion"]);
    let items = next["spec"]["layout"]["spec"]["items"].as_array().unwrap();
    assert_eq!(next["spec"]["layout"]["kind"], "AutoGridLayout", "the auto grid stays one");
    assert_eq!(items.len(), 2);
    let new_name = items[1]["spec"]["element"]["name"].as_str().unwrap();
    assert_eq!(next["spec"]["elements"][new_name]["spec"]["id"], new_id);
    assert_eq!(next["spec"]["elements"]["panel-1"], v2["spec"]["elements"]["panel-1"]);
    assert_eq!(rewrap(&v2, editable(&v2, &Registry::builtin())), v2, "unedited is identical");
}
