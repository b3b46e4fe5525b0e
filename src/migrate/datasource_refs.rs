//! Datasource steps: names become references (schema 33), and the default datasource is written
//! out where Grafana made it explicit (36).

use super::{Notes, for_each_panel, for_each_variable};
use crate::datasource::Registry;
use crate::json::pointer_mut;
use serde_json::{Map, Value, json};

/// Schema 36: annotation datasources become references; query variables and panels with queries but
/// no datasource get an explicit reference to the default datasource, and so do their queries.
pub(super) fn explicit_default_datasources(dashboard: &mut Map<String, Value>, datasources: &Registry) {
    let default = datasources.default_datasource().reference();
    if let Some(Value::Array(annotations)) = pointer_mut(dashboard, "/annotations/list") {
        for annotation in annotations.iter_mut().filter_map(Value::as_object_mut) {
            let reference = datasource_reference(annotation.get("datasource"), datasources);
            annotation.insert("datasource".into(), reference);
        }
    }
    for_each_variable(dashboard, |variable, _| {
        if variable.get("type").and_then(Value::as_str) == Some("query")
            && variable.get("datasource") == Some(&Value::Null)
        {
            variable.insert("datasource".into(), default.clone());
        }
    });
    for_each_panel(dashboard, &mut |panel, _| {
        let Some(Value::Array(targets)) = panel.get("targets").cloned() else { return };
        let mut panel_was_default = false;
        if panel.get("datasource").is_none_or(Value::is_null) && !targets.is_empty() {
            panel.insert("datasource".into(), default.clone());
            panel_was_default = true;
        }
        let mut targets = targets;
        for target in targets.iter_mut().filter_map(Value::as_object_mut) {
            let datasource = target.get("datasource");
            if datasource.is_none_or(|d| d.get("uid").is_none_or(Value::is_null)) {
                let panel_datasource = panel.get("datasource").cloned().unwrap_or(Value::Null);
                let reference = if panel_datasource.get("uid").and_then(Value::as_str) != Some("-- Mixed --")
                {
                    // `{...panel.datasource}`: a copy of an object, `{}` for anything else.
                    match panel_datasource {
                        Value::Object(reference) => Value::Object(reference),
                        _ => json!({}),
                    }
                } else {
                    datasource_reference(target.get("datasource"), datasources)
                };
                target.insert("datasource".into(), reference);
            }
            if panel_was_default
                && target.get("datasource").and_then(|d| d.get("uid")) != Some(&json!("__expr__"))
            {
                panel.insert("datasource".into(), target.get("datasource").cloned().unwrap_or(Value::Null));
            }
        }
        panel.insert("targets".into(), Value::Array(targets));
    });
}

/// Grafana's migrateDatasourceNameToRef without `returnDefaultAsNull`: a reference stays; a name
/// becomes the reference of that datasource (the default one for null), `{uid: name}` when unknown.
pub(super) fn datasource_reference(name_or_ref: Option<&Value>, datasources: &Registry) -> Value {
    match name_or_ref {
        Some(Value::Object(reference)) => Value::Object(reference.clone()),
        None | Some(Value::Null) => datasources.default_datasource().reference(),
        Some(Value::String(name)) => {
            datasources.reference_by_name(name).unwrap_or_else(|| json!({"uid": name}))
        }
        Some(other) => json!({"uid": other}),
    }
}

/// Schema 33: a datasource given by name becomes a reference. Grafana looks the name up among its
/// datasources (crate::datasource); an unknown name stays as the reference's `uid` (resolved later,
/// falling back to the default datasource) and `default` or null means the default.
pub(super) fn datasource_name_to_ref(
    object: &mut Map<String, Value>,
    path: &str,
    notes: &mut Notes,
    datasources: &Registry,
) {
    let Some(Value::String(name)) = object.get("datasource").cloned() else { return };
    let reference = if name == "default" || name.is_empty() {
        Value::Null
    } else if name.starts_with('$') {
        json!({ "uid": name })
    } else if let Some(reference) = datasources.reference_by_name(&name) {
        reference
    } else {
        notes.add(&format!("{path}.datasource"), format!("datasource name {name:?} kept as a uid reference"));
        json!({ "uid": name })
    };
    object.insert("datasource".into(), reference);
}
