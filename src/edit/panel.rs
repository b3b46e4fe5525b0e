//! The panel editor's operations on one panel's JSON: set an option by its path, the queries
//! (add, remove, duplicate, move, hide), thresholds, and switching the panel type. Keys the user
//! did not touch stay as they were; a new key goes at the end of its object.

use crate::json::leading_number;
use crate::json::number;
use crate::panel_types::panel_type;
use crate::sorting;
use serde_json::{Map, Value, json};

/// Sets `path` (keys from the panel down, e.g. `["fieldConfig", "defaults", "unit"]`) to `value`,
/// making the objects on the way; `None` removes the key (Grafana leaves unset options out).
pub fn set_option(panel: &mut Value, path: &[&str], value: Option<Value>) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut node = panel;
    for key in parents {
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        let Some(object) = node.as_object_mut() else { return };
        node = object.entry(key.to_string()).or_insert_with(|| Value::Object(Map::new()));
    }
    if !node.is_object() {
        *node = Value::Object(Map::new());
    }
    let Some(object) = node.as_object_mut() else { return };
    match value {
        Some(value) => match object.get_mut(*last) {
            Some(existing) => *existing = value,
            None => {
                object.insert(last.to_string(), value);
            }
        },
        None => {
            object.shift_remove(*last);
        }
    }
}

/// A value as an editor field shows it: a string as itself, a number or other JSON as JSON text,
/// nothing (or null) as an empty field.
pub fn text_of(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The value at `path`, if there is one.
pub fn option<'a>(panel: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(panel, |node, key| node.get(key))
}

/// The panel's queries.
pub fn targets(panel: &Value) -> Vec<Value> {
    panel.get("targets").and_then(Value::as_array).cloned().unwrap_or_default()
}

fn set_targets(panel: &mut Value, targets: Vec<Value>) {
    set_option(panel, &["targets"], Some(Value::Array(targets)));
}

/// The first refId not used yet: A, B, … Z, then AA, AB, …
pub fn next_ref_id(targets: &[Value]) -> String {
    let used: Vec<&str> = targets.iter().filter_map(|t| t.get("refId").and_then(Value::as_str)).collect();
    let letters = |n: usize| {
        let mut n = n;
        let mut id = String::new();
        loop {
            id.insert(0, (b'A' + (n % 26) as u8) as char);
            if n < 26 {
                break id;
            }
            n = n / 26 - 1;
        }
    };
    (0..).map(letters).find(|id| !used.contains(&id.as_str())).unwrap_or_default()
}

/// Adds an empty query (Grafana's "+ Query"), on the panel's datasource.
pub fn add_query(panel: &mut Value) {
    let mut all = targets(panel);
    let mut query = json!({"refId": next_ref_id(&all), "expr": ""});
    if let Some(datasource) = panel.get("datasource").filter(|d| !d.is_null())
        && let Some(object) = query.as_object_mut()
    {
        object.insert("datasource".into(), datasource.clone());
    }
    all.push(query);
    set_targets(panel, all);
}

/// A copy of query `index` after it, with a new refId.
pub fn duplicate_query(panel: &mut Value, index: usize) {
    let mut all = targets(panel);
    let Some(mut copy) = all.get(index).cloned() else { return };
    if let Some(object) = copy.as_object_mut() {
        object.insert("refId".into(), Value::from(next_ref_id(&all)));
    }
    all.insert(index + 1, copy);
    set_targets(panel, all);
}

pub fn remove_query(panel: &mut Value, index: usize) {
    let mut all = targets(panel);
    if index < all.len() {
        all.remove(index);
        set_targets(panel, all);
    }
}

/// Moves query `index` one place up (`-1`) or down (`1`).
pub fn move_query(panel: &mut Value, index: usize, by: i64) {
    let mut all = targets(panel);
    let to = index as i64 + by;
    if index < all.len() && to >= 0 && (to as usize) < all.len() {
        all.swap(index, to as usize);
        set_targets(panel, all);
    }
}

/// Sets a key of query `index` (`expr`, `legendFormat`, `interval`, `instant`, `range`, `format`,
/// `hide`); `None` removes it.
pub fn set_query_field(panel: &mut Value, index: usize, key: &str, value: Option<Value>) {
    let mut all = targets(panel);
    let Some(query) = all.get_mut(index) else { return };
    set_option(query, &[key], value);
    set_targets(panel, all);
}

/// The threshold steps as (value, colour), the base step's value `None`.
pub fn threshold_steps(panel: &Value) -> Vec<(Option<f64>, String)> {
    option(panel, &["fieldConfig", "defaults", "thresholds", "steps"])
        .and_then(Value::as_array)
        .map(|steps| {
            steps
                .iter()
                .map(|s| {
                    // Values written as strings ("80") count as numbers, as Grafana reads them.
                    let value = leading_number(s.get("value")).filter(|v| v.is_finite());
                    (value, s.get("color").and_then(Value::as_str).unwrap_or("green").to_string())
                })
                .collect()
        })
        .unwrap_or_else(|| vec![(None, "green".into()), (Some(80.0), "red".into())])
}

/// Writes threshold steps (sorted by value, the base first), keeping the thresholds' mode.
pub fn set_threshold_steps(panel: &mut Value, mut steps: Vec<(Option<f64>, String)>) {
    sorting::sort_by(&mut steps, |a, b| match (a.0, b.0) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, _) => std::cmp::Ordering::Less,
        (_, None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => x.total_cmp(&y),
    });
    // A step that did not change keeps its JSON as written (its keys, `80.0` or `"80"`).
    let written: Vec<(Option<f64>, String, Value)> =
        option(panel, &["fieldConfig", "defaults", "thresholds", "steps"])
            .and_then(Value::as_array)
            .map(|old| {
                let parsed = threshold_steps(panel);
                parsed.into_iter().zip(old.iter().cloned()).map(|((v, c), json)| (v, c, json)).collect()
            })
            .unwrap_or_default();
    let steps: Vec<Value> = steps
        .into_iter()
        .map(|(value, color)| {
            written
                .iter()
                .find(|(v, c, _)| *v == value && *c == color)
                .map(|(_, _, json)| json.clone())
                .unwrap_or_else(|| json!({"color": color, "value": value.map_or(Value::Null, number)}))
        })
        .collect();
    if option(panel, &["fieldConfig", "defaults", "thresholds", "mode"]).is_none() {
        set_option(panel, &["fieldConfig", "defaults", "thresholds", "mode"], Some(Value::from("absolute")));
    }
    set_option(panel, &["fieldConfig", "defaults", "thresholds", "steps"], Some(Value::Array(steps)));
}

/// Options each panel type understands (the panel-type table's); switching type keeps the shared ones.
fn option_keys(type_name: &str) -> &'static [&'static str] {
    panel_type(type_name).map_or(&[], |entry| entry.option_keys)
}

/// Switches the panel's type, keeping the options the new type shares with the old one and the
/// field config (its `custom` part belongs to the old type and goes).
pub fn change_type(panel: &mut Value, type_name: &str) {
    let old_type = panel.get("type").and_then(Value::as_str).unwrap_or_default().to_string();
    if old_type == type_name {
        return;
    }
    set_option(panel, &["type"], Some(Value::from(type_name)));
    let keep = option_keys(type_name);
    if let Some(options) = panel.get_mut("options").and_then(Value::as_object_mut) {
        options.retain(|key, _| keep.contains(&key.as_str()));
    }
    if option(panel, &["fieldConfig", "defaults", "custom"]).is_some() {
        set_option(panel, &["fieldConfig", "defaults", "custom"], None);
    }
    // The panel was drawn by a plugin version of the old type.
    if panel.get("pluginVersion").is_some() {
        set_option(panel, &["pluginVersion"], None);
    }
}
