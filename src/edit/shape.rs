//! The shape a dashboard must have before an edit of its whole JSON (the JSON model) is applied:
//! the containers Grafana and this app walk — `panels`, `rows`, `templating.list`,
//! `annotations.list`, `links`, `tags`, `time`, a panel's `gridPos`, `targets`, `fieldConfig`,
//! `options` — must be of their JSON type. A wrong type there does not fail loudly when loaded: it
//! makes the panels or the variables vanish. Each problem names its JSON path. Pure.

use crate::model;
use serde_json::{Map, Value};

/// Every shape problem in `document`, as "at `$.path`: expected …, found …".
pub fn shape_problems(document: &Map<String, Value>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut expect = |path: &str, value: Option<&Value>, kind: Kind| {
        if let Some(value) = value
            && !kind.accepts(value)
        {
            problems.push(format!(
                "at {path}: expected {}, found {}",
                kind.name(),
                model::json_type_name(value)
            ));
        }
    };
    expect("$.title", document.get("title"), Kind::String);
    expect("$.uid", document.get("uid"), Kind::String);
    expect("$.tags", document.get("tags"), Kind::Array);
    expect("$.links", document.get("links"), Kind::Array);
    expect("$.time", document.get("time"), Kind::Object);
    expect("$.schemaVersion", document.get("schemaVersion"), Kind::Number);
    for (key, list) in [("templating", "list"), ("annotations", "list")] {
        expect(&format!("$.{key}"), document.get(key), Kind::Object);
        expect(&format!("$.{key}.{list}"), document.get(key).and_then(|v| v.get(list)), Kind::Array);
        let items = document.get(key).and_then(|v| v.get(list)).and_then(Value::as_array);
        for (index, item) in items.into_iter().flatten().enumerate() {
            expect(&format!("$.{key}.{list}[{index}]"), Some(item), Kind::Object);
        }
    }
    if let Some(time) = document.get("time").and_then(Value::as_object) {
        expect("$.time.from", time.get("from"), Kind::String);
        expect("$.time.to", time.get("to"), Kind::String);
    }
    expect("$.panels", document.get("panels"), Kind::Array);
    expect("$.rows", document.get("rows"), Kind::Array);
    let mut panel_lists: Vec<(String, &Vec<Value>)> = Vec::new();
    if let Some(panels) = document.get("panels").and_then(Value::as_array) {
        panel_lists.push(("$.panels".into(), panels));
    }
    for (row_index, row) in document.get("rows").and_then(Value::as_array).into_iter().flatten().enumerate() {
        expect(&format!("$.rows[{row_index}]"), Some(row), Kind::Object);
        let path = format!("$.rows[{row_index}].panels");
        expect(&path, row.get("panels"), Kind::Array);
        if let Some(panels) = row.get("panels").and_then(Value::as_array) {
            panel_lists.push((path, panels));
        }
    }
    while let Some((path, panels)) = panel_lists.pop() {
        for (index, panel) in panels.iter().enumerate() {
            let at = format!("{path}[{index}]");
            expect(&at, Some(panel), Kind::Object);
            let Some(panel) = panel.as_object() else { continue };
            expect(&format!("{at}.type"), panel.get("type"), Kind::String);
            expect(&format!("{at}.title"), panel.get("title"), Kind::String);
            expect(&format!("{at}.id"), panel.get("id"), Kind::Number);
            expect(&format!("{at}.gridPos"), panel.get("gridPos"), Kind::Object);
            if let Some(grid) = panel.get("gridPos").and_then(Value::as_object) {
                for key in ["h", "w", "x", "y"] {
                    expect(&format!("{at}.gridPos.{key}"), grid.get(key), Kind::Number);
                }
            }
            expect(&format!("{at}.targets"), panel.get("targets"), Kind::Array);
            for (t, target) in
                panel.get("targets").and_then(Value::as_array).into_iter().flatten().enumerate()
            {
                expect(&format!("{at}.targets[{t}]"), Some(target), Kind::Object);
            }
            expect(&format!("{at}.fieldConfig"), panel.get("fieldConfig"), Kind::Object);
            if let Some(config) = panel.get("fieldConfig").and_then(Value::as_object) {
                expect(&format!("{at}.fieldConfig.defaults"), config.get("defaults"), Kind::Object);
                expect(&format!("{at}.fieldConfig.overrides"), config.get("overrides"), Kind::Array);
            }
            expect(&format!("{at}.options"), panel.get("options"), Kind::Object);
            expect(&format!("{at}.transformations"), panel.get("transformations"), Kind::Array);
            expect(&format!("{at}.links"), panel.get("links"), Kind::Array);
            expect(&format!("{at}.panels"), panel.get("panels"), Kind::Array);
            if let Some(children) = panel.get("panels").and_then(Value::as_array) {
                panel_lists.push((format!("{at}.panels"), children));
            }
        }
    }
    problems
}

#[derive(Clone, Copy)]
enum Kind {
    String,
    Number,
    Array,
    Object,
}

impl Kind {
    fn accepts(self, value: &Value) -> bool {
        match self {
            // Grafana's own files write numbers as strings at times ("schemaVersion": "16").
            // Grafana writes `null` for an unset title or id; readers default it.
            Kind::Number => {
                value.is_null()
                    || value.is_number()
                    || value.as_str().is_some_and(|s| s.trim().parse::<f64>().is_ok())
            }
            Kind::String => value.is_null() || value.is_string(),
            // `null` is read as empty, as Grafana reads it (`"links": null` loads and saves fine).
            Kind::Array => value.is_null() || value.is_array(),
            Kind::Object => value.is_null() || value.is_object(),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn problems(value: Value) -> Vec<String> {
        shape_problems(value.as_object().expect("an object"))
    }

    #[test]
    fn the_shapes_that_make_panels_or_variables_vanish_are_reported_with_their_path() {
        assert_eq!(problems(json!({"panels": {}})), vec!["at $.panels: expected an array, found an object"]);
        assert_eq!(
            problems(json!({"panels": [{"type": "stat", "gridPos": "oops"}]})),
            vec!["at $.panels[0].gridPos: expected an object, found a string"]
        );
        assert_eq!(
            problems(json!({"templating": {"list": 5}})),
            vec!["at $.templating.list: expected an array, found a number"]
        );
        assert_eq!(
            problems(
                json!({"panels": [{"type": "row", "panels": [{"gridPos": {"h": "x", "w": 1, "x": 0, "y": 0}}]}]})
            ),
            vec!["at $.panels[0].panels[0].gridPos.h: expected a number, found a string"]
        );
        assert_eq!(
            problems(json!({"rows": [{"panels": [7]}], "time": {"from": 1}})),
            vec![
                "at $.time.from: expected a string, found a number",
                "at $.rows[0].panels[0]: expected an object, found a number"
            ]
        );
    }

    #[test]
    fn well_formed_and_absent_keys_are_fine() {
        assert!(problems(json!({})).is_empty());
        assert!(problems(json!({
            "title": "t", "schemaVersion": "16", "tags": [], "time": {"from": "now-6h", "to": "now"},
            "templating": {"list": [{"name": "a"}]}, "annotations": {"list": []},
            "panels": [{"id": 1, "type": "timeseries", "gridPos": {"h": 8, "w": 12, "x": 0, "y": 0},
                        "targets": [{"expr": "up"}], "fieldConfig": {"defaults": {}, "overrides": []}, "options": {}}]
        }))
        .is_empty());
    }
}
