//! Schema steps after the grid (18 → 42) that change what is rendered or how references look.
//! Steps that only concern other datasources or plugins we do not render (InfluxDB, CloudWatch) are
//! not here; the report says so where it matters.

use super::{Notes, for_each_panel, is_truthy};
use serde_json::{Map, Value, json};

pub fn upgrade_from(from: i64, dashboard: &mut Map<String, Value>, notes: &mut Notes) {
    if from < 14 {
        // sharedCrosshair → graphTooltip 1/0.
        if let Some(shared) = dashboard.remove("sharedCrosshair") {
            dashboard.insert("graphTooltip".into(), json!(i64::from(is_truthy(Some(&shared)))));
        }
    }
    if from < 26 {
        for_each_panel(dashboard, &mut |panel, _| {
            if panel.get("type").and_then(Value::as_str) == Some("text2") {
                panel.insert("type".into(), json!("text"));
            }
        });
    }
    if from < 28 {
        for_each_variable(dashboard, |variable, _| {
            for key in ["tags", "tagsQuery", "tagValuesQuery", "useTags"] {
                variable.remove(key);
            }
        });
    }
    if from < 29 {
        for_each_variable(dashboard, |variable, _| {
            if variable.get("type").and_then(Value::as_str) == Some("query") {
                let refresh = variable.get("refresh").and_then(Value::as_i64).unwrap_or(0);
                if refresh != 1 && refresh != 2 {
                    variable.insert("refresh".into(), json!(1));
                }
                variable.insert("options".into(), json!([]));
            }
        });
    }
    if from < 33 {
        for_each_panel(dashboard, &mut |panel, path| {
            datasource_name_to_ref(panel, path, notes);
            if let Some(Value::Array(targets)) = panel.get_mut("targets") {
                for (index, target) in targets.iter_mut().enumerate() {
                    if let Value::Object(target) = target {
                        datasource_name_to_ref(target, &format!("{path}.targets[{index}]"), notes);
                    }
                }
            }
        });
    }
    if from < 37 {
        for_each_panel(dashboard, &mut |panel, _| {
            let Some(Value::Object(legend)) = panel.get_mut("options").and_then(|o| o.get_mut("legend"))
            else {
                return;
            };
            let hidden = legend.get("displayMode").and_then(Value::as_str) == Some("hidden")
                || legend.get("showLegend") == Some(&json!(false));
            if hidden {
                legend.insert("displayMode".into(), json!("list"));
                legend.insert("showLegend".into(), json!(false));
            } else {
                legend.insert("showLegend".into(), json!(true));
            }
        });
    }
    if from < 40 {
        match dashboard.get("refresh") {
            Some(Value::String(_)) => {}
            Some(other) => {
                if !other.is_null() && other != &json!(false) {
                    notes.add("refresh", format!("refresh {other} is not an interval; auto-refresh is off"));
                }
                dashboard.insert("refresh".into(), json!(""));
            }
            None => {}
        }
    }
    if from < 41
        && let Some(Value::Object(timepicker)) = dashboard.get_mut("timepicker")
    {
        timepicker.remove("time_options");
    }
    if from < 42 {
        for_each_panel(dashboard, &mut |panel, _| {
            let Some(Value::Array(overrides)) =
                panel.get_mut("fieldConfig").and_then(|f| f.get_mut("overrides"))
            else {
                return;
            };
            for property in overrides
                .iter_mut()
                .filter_map(|o| o.get_mut("properties").and_then(Value::as_array_mut))
                .flatten()
            {
                if property.get("id").and_then(Value::as_str) != Some("custom.hideFrom") {
                    continue;
                }
                if let Some(Value::Object(hide_from)) = property.get_mut("value")
                    && hide_from.get("viz") == Some(&json!(true))
                {
                    hide_from.insert("tooltip".into(), json!(true));
                }
            }
        });
    }
}

fn for_each_variable(
    dashboard: &mut Map<String, Value>,
    mut visit: impl FnMut(&mut Map<String, Value>, usize),
) {
    let Some(Value::Array(list)) = dashboard.get_mut("templating").and_then(|t| t.get_mut("list")) else {
        return;
    };
    for (index, variable) in list.iter_mut().enumerate() {
        if let Value::Object(variable) = variable {
            visit(variable, index);
        }
    }
}

/// Schema 33: a datasource given by name becomes a reference. Grafana looks the name up among its
/// datasources; we have none configured yet, so a name stays as the reference's `uid` (resolved
/// later, falling back to the default datasource) and `default` or null means the default.
fn datasource_name_to_ref(object: &mut Map<String, Value>, path: &str, notes: &mut Notes) {
    let Some(Value::String(name)) = object.get("datasource").cloned() else { return };
    let reference = if name == "default" || name.is_empty() {
        Value::Null
    } else if name.starts_with('$') {
        json!({ "uid": name })
    } else if name == "-- Mixed --" {
        json!({ "type": "datasource", "uid": "-- Mixed --" })
    } else if name == "-- Grafana --" {
        json!({ "type": "grafana", "uid": "grafana" })
    } else {
        notes.add(&format!("{path}.datasource"), format!("datasource name {name:?} kept as a uid reference"));
        json!({ "uid": name })
    };
    object.insert("datasource".into(), reference);
}
