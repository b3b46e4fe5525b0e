//! An edit of a v2 document's classic form written back into the document: every part the edit
//! did not change stays exactly as the file had it (key order, values, keys promboard does not
//! know), a changed part is written over the file's own, and the layout tree keeps its rows,
//! tabs and auto grids while the rows stay the same rows.

use super::layout::Placer;
use super::read::object;
use super::write::{
    Flavour, LAYOUT_KEYS, annotation_to_v2, classic_layout, classic_panels, dashboard_spec_keys,
    element_names, grid_item, grid_of, is_absent, is_row, mark_removed, merge, or_absent, panel_to_element,
    repeat_of, strip_absent, variable_to_v2,
};
use super::{is_v2, spec_of, to_classic};
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet};

/// Writes an edit of a v2 document's classic form ([`to_classic`]) back into the document.
/// Parts the edit left alone stay byte for byte; changed elements, variables, annotations and
/// dashboard keys are written over the file's own. The layout keeps its rows, tabs and auto grids
/// while the rows stay the same (panels moved, resized, added or removed within them); when rows
/// were added or removed it is written afresh from the classic rows. A whole v2 document (the
/// JSON model editor's) is taken as it is.
pub fn write_back(before: &Map<String, Value>, edited: &Map<String, Value>) -> Map<String, Value> {
    if is_v2(edited) || !is_v2(before) {
        return edited.clone();
    }
    let flavour = Flavour::of(before);
    let old = to_classic(before);
    let old_spec = spec_of(before);
    let mut spec = old_spec.clone();
    // Dashboard keys, each written only when its classic form changed.
    let fresh = dashboard_spec_keys(edited, flavour);
    let old_fresh = dashboard_spec_keys(&old.dashboard, flavour);
    for (key, value) in fresh {
        if old_fresh.get(&key) == Some(&value) || matches!(key.as_str(), "variables" | "annotations") {
            continue;
        }
        let merged = merge(old_spec.get(&key).unwrap_or(&Value::Null), value);
        if is_absent(&merged) {
            spec.shift_remove(&key);
        } else {
            spec.insert(key, merged);
        }
    }
    for (outer, key, identity) in
        [("templating", "variables", "name"), ("annotations", "annotations", "name")]
    {
        let list = |classic: &Map<String, Value>| {
            classic
                .get(outer)
                .and_then(|o| o.get("list"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let (old_list, new_list) = (list(&old.dashboard), list(edited));
        if old_list == new_list {
            continue;
        }
        let file_list = old_spec.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
        let written: Vec<Value> = new_list
            .iter()
            .filter_map(Value::as_object)
            .map(|entry| {
                let id = entry.get(identity);
                let index = old_list.iter().position(|o| o.get(identity) == id);
                match index.and_then(|i| Some((&old_list[i], file_list.get(i)?))) {
                    Some((old_entry, file_entry)) if old_entry == &Value::Object(entry.clone()) => {
                        file_entry.clone()
                    }
                    found => {
                        let write = |entry: &Map<String, Value>| {
                            if key == "variables" {
                                variable_to_v2(entry, flavour)
                            } else {
                                annotation_to_v2(entry, flavour)
                            }
                        };
                        // What the edit removed from the entry is removed from the file's too.
                        let fresh = match found.and_then(|(old, _)| old.as_object()) {
                            Some(old) => mark_removed(&write(old), write(entry)),
                            None => write(entry),
                        };
                        merge(found.map_or(&Value::Null, |(_, f)| f), fresh)
                    }
                }
            })
            .collect();
        spec.insert(key.into(), Value::Array(written));
    }
    // Elements: unchanged ones as they were, changed ones written over their old selves.
    let old_panels = classic_panels(&old.dashboard);
    let new_panels = classic_panels(edited);
    let file_elements = object(old_spec.get("elements")).cloned().unwrap_or_default();
    let names = element_names(&file_elements, &new_panels);
    let without_layout = |panel: &Map<String, Value>| -> Map<String, Value> {
        panel
            .iter()
            .filter(|(k, _)| !LAYOUT_KEYS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let old_by_id: HashMap<i64, Map<String, Value>> = old_panels
        .iter()
        .filter(|(p, _)| !is_row(p))
        .filter_map(|(p, _)| Some((p.get("id")?.as_i64()?, without_layout(p))))
        .collect();
    let mut elements = Map::new();
    let kept_ids: HashSet<i64> =
        new_panels.iter().filter(|(p, _)| !is_row(p)).filter_map(|(p, _)| p.get("id")?.as_i64()).collect();
    for (name, element) in &file_elements {
        let id = element.get("spec").and_then(|s| s.get("id")).and_then(Value::as_i64);
        // Kept: the panels still there, and elements the layout never placed (no edit saw them).
        if id.is_none_or(|id| kept_ids.contains(&id) || !old_by_id.contains_key(&id)) {
            elements.insert(name.clone(), element.clone());
        }
    }
    for (panel, _) in new_panels.iter().filter(|(p, _)| !is_row(p)) {
        let Some(id) = panel.get("id").and_then(Value::as_i64) else { continue };
        let Some(name) = names.get(&id) else { continue };
        if old_by_id.get(&id) == Some(&without_layout(panel)) && elements.contains_key(name) {
            continue;
        }
        // What the edit removed from the panel (a unit, a query's option) goes from the file too.
        let fresh = match old_by_id.get(&id) {
            Some(old) => mark_removed(&panel_to_element(old, flavour), panel_to_element(panel, flavour)),
            None => panel_to_element(panel, flavour),
        };
        let written = merge(elements.get(name).unwrap_or(&Value::Null), fresh);
        elements.insert(name.clone(), written);
    }
    spec.insert("elements".into(), Value::Object(elements));
    // The layout.
    let projection = |panels: &[(&Map<String, Value>, Option<i64>)]| -> Vec<Value> {
        panels
            .iter()
            .map(|(p, owner)| {
                let mut kept: Map<String, Value> =
                    LAYOUT_KEYS.iter().filter_map(|k| Some((k.to_string(), p.get(*k)?.clone()))).collect();
                kept.insert("id".into(), or_absent(p.get("id")));
                kept.insert("owner".into(), json!(owner));
                if is_row(p) {
                    kept.insert("title".into(), or_absent(p.get("title")));
                    kept.insert("collapsed".into(), or_absent(p.get("collapsed")));
                }
                Value::Object(kept)
            })
            .collect()
    };
    if projection(&old_panels) != projection(&new_panels) {
        let layout = relayout(old_spec.get("layout").unwrap_or(&Value::Null), before, &new_panels, &names)
            .unwrap_or_else(|| classic_layout(edited, &names));
        spec.insert("layout".into(), layout);
    }
    // A bare spec is written as a bare spec, a resource as a resource.
    let mut out = if std::ptr::eq(spec_of(before), before) {
        spec
    } else {
        let mut resource = before.clone();
        resource.insert("spec".into(), Value::Object(spec));
        resource
    };
    // A changed uid is the resource's name.
    if let Some(uid) = edited.get("uid")
        && old.dashboard.get("uid") != Some(uid)
    {
        match out.get_mut("metadata") {
            Some(Value::Object(metadata)) => {
                metadata.insert("name".into(), uid.clone());
            }
            _ => {
                out.insert("uid".into(), uid.clone());
            }
        }
    }
    out
}

/// The file's layout with the edit's positions, panels and row titles, when its rows are the
/// same rows as before; `None` when they are not.
fn relayout(
    layout: &Value,
    before: &Map<String, Value>,
    panels: &[(&Map<String, Value>, Option<i64>)],
    names: &HashMap<i64, String>,
) -> Option<Value> {
    let empty = Map::new();
    let elements = object(spec_of(before).get("elements")).unwrap_or(&empty);
    let mut placer = Placer::new(elements);
    placer.place_dashboard(layout);
    // The same rows in the same order (the tree keeps its order; a reordering is written afresh).
    let old_classic = super::to_classic(before).dashboard;
    let row_ids = |panels: &[(&Map<String, Value>, Option<i64>)]| -> Vec<i64> {
        panels.iter().filter(|(p, _)| is_row(p)).filter_map(|(p, _)| p.get("id")?.as_i64()).collect()
    };
    if row_ids(&classic_panels(&old_classic)) != row_ids(panels) {
        return None;
    }
    let old_row_y: HashMap<i64, i64> = placer
        .panels
        .iter()
        .filter_map(Value::as_object)
        .filter(|p| is_row(p))
        .filter_map(|p| Some((p.get("id")?.as_i64()?, grid_of(p).1)))
        .collect();
    let by_id: HashMap<i64, (&Map<String, Value>, Option<i64>)> =
        panels.iter().filter_map(|(p, owner)| Some((p.get("id")?.as_i64()?, (*p, *owner)))).collect();
    // Each panel's leaf: where it is now if it stays in its row, else the first leaf of its row.
    let mut placed: HashSet<i64> = HashSet::new();
    let mut layout = layout.clone();
    let mut first_leaf_of_row: HashMap<Option<i64>, String> = HashMap::new();
    for leaf in &placer.leaves {
        first_leaf_of_row.entry(leaf.row_id).or_insert_with(|| leaf.path.clone());
    }
    // A panel added above every row (Add and Paste put new panels first) joins the first grid of
    // the tree when no grid sits above the rows.
    if let Some(first) = placer.leaves.first() {
        first_leaf_of_row.entry(None).or_insert_with(|| first.path.clone());
    }
    let name_to_id: HashMap<&str, i64> = names.iter().map(|(id, name)| (name.as_str(), *id)).collect();
    for leaf in &placer.leaves {
        let Some(node) = pointer_mut(&mut layout, &leaf.path) else { continue };
        let is_auto = node.get("kind").and_then(Value::as_str) == Some("AutoGridLayout");
        // The grid starts where it did, moved as far as its row moved (a row may own two grids:
        // its own and a header-less row's after it).
        let top = match leaf.row_id.and_then(|row| Some((by_id.get(&row)?, old_row_y.get(&row)?))) {
            Some(((row, _), old_y)) => leaf.top + grid_of(row).1 - old_y,
            None => leaf.top,
        };
        let Some(Value::Array(items)) = node.get_mut("spec").and_then(|s| s.get_mut("items")) else {
            continue;
        };
        items.retain_mut(|item| {
            let name = item
                .get("spec")
                .and_then(|s| s.get("element"))
                .and_then(|e| e.get("name"))
                .and_then(Value::as_str);
            let Some(id) = name.and_then(|n| name_to_id.get(n)).copied() else { return true };
            let Some((panel, owner)) = by_id.get(&id) else { return false };
            if *owner != leaf.row_id {
                return false;
            }
            placed.insert(id);
            if !is_auto && let Some(Value::Object(spec)) = item.get_mut("spec") {
                let (x, y, w, h) = grid_of(panel);
                for (key, value) in [("x", x), ("y", (y - top).max(0)), ("width", w), ("height", h)] {
                    spec.insert(key.into(), Value::from(value));
                }
                match repeat_of(panel, true) {
                    gone if is_absent(&gone) => {
                        spec.shift_remove("repeat");
                    }
                    repeat => {
                        let merged = merge(spec.get("repeat").unwrap_or(&Value::Null), repeat);
                        spec.insert("repeat".into(), merged);
                    }
                }
            }
            true
        });
        // Panels new to a row (added, or moved there) join the row's first leaf.
        {
            let joins_here = |owner: &Option<i64>| first_leaf_of_row.get(owner) == Some(&leaf.path);
            for (panel, owner) in panels.iter().filter(|(p, owner)| !is_row(p) && joins_here(owner)) {
                let Some(id) = panel.get("id").and_then(Value::as_i64) else { continue };
                let already_here = placer.placed_ids.get(&id).is_some_and(|row| row == owner);
                let (Some(name), false) = (names.get(&id), already_here) else { continue };
                if is_auto {
                    items.push(json!({ "kind": "AutoGridLayoutItem", "spec": { "element": { "kind": "ElementReference", "name": name } } }));
                } else {
                    items.push(strip_absent(grid_item(name, panel, top)));
                }
            }
        }
    }
    // Every panel must have found a place; a row without a leaf (or panels before the first row
    // of a rows layout) cannot take new panels, so write the layout afresh instead.
    let all_placed =
        panels.iter().filter(|(p, _)| !is_row(p)).filter_map(|(p, _)| p.get("id")?.as_i64()).all(|id| {
            placed.contains(&id)
                || by_id.get(&id).is_some_and(|(_, owner)| first_leaf_of_row.contains_key(owner))
        });
    if !all_placed {
        return None;
    }
    // Row and tab titles, and whether a row is collapsed.
    for (path, row_id) in &placer.section_rows {
        let Some((row, _)) = by_id.get(row_id) else { continue };
        let Some(Value::Object(spec)) = pointer_mut(&mut layout, path).and_then(|s| s.get_mut("spec")) else {
            continue;
        };
        if let Some(title) = row.get("title").filter(|t| {
            spec.get("title") != Some(t) && !(t.as_str() == Some("") && spec.get("title").is_none())
        }) {
            spec.insert("title".into(), title.clone());
        }
        let repeat = repeat_of(row, false);
        if is_absent(&repeat) {
            spec.shift_remove("repeat");
        } else if spec.get("repeat").and_then(|r| r.get("value")) != repeat.get("value") {
            let merged = merge(spec.get("repeat").unwrap_or(&Value::Null), repeat);
            spec.insert("repeat".into(), merged);
        }
        let collapsed = row.get("collapsed").and_then(Value::as_bool) == Some(true);
        if spec.contains_key("collapse") || collapsed {
            let nests = spec
                .get("layout")
                .and_then(|l| l.get("kind"))
                .and_then(Value::as_str)
                .is_some_and(|k| k != "GridLayout" && k != "AutoGridLayout");
            if !nests && spec.get("collapse").and_then(Value::as_bool).unwrap_or(false) != collapsed {
                spec.insert("collapse".into(), Value::Bool(collapsed));
            }
        }
    }
    Some(layout)
}

/// The node at a `$.spec.layout…` path written by the placer (`.spec.rows[2]`, `.spec.layout`).
fn pointer_mut<'a>(layout: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let rest = path.strip_prefix("$.spec.layout")?;
    let mut node = layout;
    for part in rest.split('.').filter(|p| !p.is_empty()) {
        let (key, index) = match part.split_once('[') {
            Some((key, index)) => (key, index.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        node = node.get_mut(key)?;
        if let Some(index) = index {
            node = node.get_mut(index)?;
        }
    }
    Some(node)
}
