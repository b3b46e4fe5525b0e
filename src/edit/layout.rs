//! Dashboard-level edits on the raw document: finding a panel by id, adding panels and rows,
//! duplicating, removing, moving and resizing on the 24-column grid, copying a panel for another
//! dashboard. Each returns the new document; [`super::Session::commit`] records the difference.

use crate::json::leading_number;
use crate::json::{pointer, pointer_mut};
use crate::view::{GRID_COLUMNS, GridPos};
use serde_json::{Map, Value, json};

/// Where a panel is: its index in the top-level `panels`, and inside a collapsed row's `panels`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PanelAt {
    pub top: usize,
    pub nested: Option<usize>,
}

impl PanelAt {
    /// The JSON pointer of the panel.
    pub fn pointer(&self) -> String {
        match self.nested {
            Some(inner) => format!("/panels/{}/panels/{inner}", self.top),
            None => format!("/panels/{}", self.top),
        }
    }
}

fn panels(document: &Map<String, Value>) -> &[Value] {
    document.get("panels").and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn id_of(panel: &Value) -> Option<i64> {
    leading_number(panel.get("id")).map(|id| id as i64)
}

/// Finds a panel by id, at the top level or in a collapsed row.
pub fn find_panel(document: &Map<String, Value>, id: i64) -> Option<PanelAt> {
    for (top, panel) in panels(document).iter().enumerate() {
        if id_of(panel) == Some(id) {
            return Some(PanelAt { top, nested: None });
        }
        let inner = panel.get("panels").and_then(Value::as_array).into_iter().flatten();
        for (nested, child) in inner.enumerate() {
            if id_of(child) == Some(id) {
                return Some(PanelAt { top, nested: Some(nested) });
            }
        }
    }
    None
}

/// The panel's JSON.
pub fn panel_json(document: &Map<String, Value>, id: i64) -> Option<Value> {
    let at = find_panel(document, id)?;
    pointer(document, &at.pointer()).cloned()
}

/// Replaces the panel with `id` by `panel`.
pub fn replace_panel(document: &Map<String, Value>, id: i64, panel: Value) -> Option<Map<String, Value>> {
    let at = find_panel(document, id)?;
    let mut next = document.clone();
    *pointer_mut(&mut next, &at.pointer())? = panel;
    Some(next)
}

/// One more than the largest panel id anywhere in the dashboard.
pub fn next_panel_id(document: &Map<String, Value>) -> i64 {
    panels(document)
        .iter()
        .flat_map(|p| {
            std::iter::once(p).chain(p.get("panels").and_then(Value::as_array).into_iter().flatten())
        })
        .filter_map(id_of)
        .max()
        .unwrap_or(0)
        + 1
}

fn panels_mut(document: &mut Map<String, Value>) -> &mut Vec<Value> {
    let entry = document.entry("panels").or_insert_with(|| Value::Array(Vec::new()));
    if !entry.is_array() {
        *entry = Value::Array(Vec::new());
    }
    match entry {
        Value::Array(items) => items,
        _ => unreachable!("made an array above"),
    }
}

/// A new panel of `type_name` at the top of the dashboard, as Grafana's "Add visualization" makes
/// it (the layout pushes the others down). Returns the document and the new panel's id.
pub fn add_panel(document: &Map<String, Value>, type_name: &str) -> (Map<String, Value>, i64) {
    let id = next_panel_id(document);
    let panel = json!({
        "id": id,
        "type": type_name,
        "title": "Panel Title",
        "gridPos": {"h": 8, "w": 12, "x": 0, "y": 0},
        "targets": [{"refId": "A", "expr": ""}],
        "fieldConfig": {"defaults": {}, "overrides": []},
        "options": {}
    });
    let mut next = document.clone();
    panels_mut(&mut next).insert(0, panel);
    (next, id)
}

/// A new row at the top of the dashboard.
pub fn add_row(document: &Map<String, Value>) -> (Map<String, Value>, i64) {
    let id = next_panel_id(document);
    let row = json!({
        "id": id,
        "type": "row",
        "title": "Row title",
        "collapsed": false,
        "gridPos": {"h": 1, "w": 24, "x": 0, "y": 0},
        "panels": []
    });
    let mut next = document.clone();
    panels_mut(&mut next).insert(0, row);
    (next, id)
}

/// A copy of a panel with a new id, right after it in the JSON, placed beside it when the row has
/// room, else under it (Grafana's duplicate).
pub fn duplicate_panel(document: &Map<String, Value>, id: i64) -> Option<(Map<String, Value>, i64)> {
    let at = find_panel(document, id)?;
    let mut copy = panel_json(document, id)?;
    let new_id = next_panel_id(document);
    let position = GridPos::from_json(copy.get("gridPos"));
    let placed = if position.x + 2 * position.w <= GRID_COLUMNS {
        GridPos { x: position.x + position.w, ..position }
    } else {
        GridPos { y: position.y + position.h, ..position }
    };
    renumber_nested(&mut copy, new_id + 1);
    if let Some(object) = copy.as_object_mut() {
        object.insert("id".into(), Value::from(new_id));
        write_grid_pos(object, placed);
        // A repeated panel's copies belong to the original; the duplicate is a panel of its own.
        object.shift_remove("repeatPanelId");
    }
    let mut next = document.clone();
    let list = match at.nested {
        Some(_) => next.get_mut("panels")?.get_mut(at.top)?.get_mut("panels")?.as_array_mut()?,
        None => panels_mut(&mut next),
    };
    let index = at.nested.unwrap_or(at.top) + 1;
    list.insert(index.min(list.len()), copy);
    Some((next, new_id))
}

/// Gives the panels inside a copied (collapsed) row ids of their own from `first` on, so that the
/// copy and the original are never the same panel to the editor.
fn renumber_nested(panel: &mut Value, first: i64) {
    let nested = panel.get_mut("panels").and_then(Value::as_array_mut).into_iter().flatten();
    for (offset, child) in nested.enumerate() {
        if let Some(object) = child.as_object_mut() {
            object.insert("id".into(), Value::from(first + offset as i64));
        }
    }
}

/// The dashboard without the panel.
pub fn remove_panel(document: &Map<String, Value>, id: i64) -> Option<Map<String, Value>> {
    let at = find_panel(document, id)?;
    let mut next = document.clone();
    match at.nested {
        Some(inner) => {
            next.get_mut("panels")?.get_mut(at.top)?.get_mut("panels")?.as_array_mut()?.remove(inner);
        }
        None => {
            panels_mut(&mut next).remove(at.top);
        }
    }
    Some(next)
}

/// Writes x, y, w, h into a panel's `gridPos`, keeping the object's key order.
fn write_grid_pos(panel: &mut Map<String, Value>, position: GridPos) {
    let grid = panel.entry("gridPos").or_insert_with(|| json!({"h": 0, "w": 0, "x": 0, "y": 0}));
    if let Some(grid) = grid.as_object_mut() {
        for (key, value) in [("h", position.h), ("w", position.w), ("x", position.x), ("y", position.y)] {
            grid.insert(key.to_string(), Value::from(value));
        }
    }
}

/// The panel at a new grid position (clamped into the 24 columns).
pub fn set_grid_pos(document: &Map<String, Value>, id: i64, position: GridPos) -> Option<Map<String, Value>> {
    let mut panel = panel_json(document, id)?;
    let w = position.w.clamp(1, GRID_COLUMNS);
    let clamped =
        GridPos { w, x: position.x.clamp(0, GRID_COLUMNS - w), y: position.y.max(0), h: position.h.max(1) };
    write_grid_pos(panel.as_object_mut()?, clamped);
    replace_panel(document, id, panel)
}

/// Moves or resizes by whole grid units, as the keyboard does (arrows move, shift+arrows resize).
pub fn nudge(position: GridPos, dx: i64, dy: i64, dw: i64, dh: i64) -> GridPos {
    let x = (position.x + dx).clamp(0, GRID_COLUMNS - position.w.clamp(1, GRID_COLUMNS));
    // Resizing grows to the right edge at most; it never moves the panel.
    let w = (position.w + dw).clamp(1, GRID_COLUMNS - x);
    GridPos { x, w, h: (position.h + dh).max(1), y: (position.y + dy).max(0) }
}

/// The grid position a drag ends at: the panel's start plus the drag in grid units (`column_px`
/// wide, `row_px` high, margins included), rounded to the nearest unit.
pub fn dragged(
    start: GridPos,
    dx_px: f64,
    dy_px: f64,
    column_px: f64,
    row_px: f64,
    resizing: bool,
) -> GridPos {
    // A grid not laid out yet (no width) or a pointer that reports nonsense moves nothing.
    let units = |px: f64, unit: f64| {
        let steps = px / unit;
        if steps.is_finite() { steps.round().clamp(-1000.0, 1000.0) as i64 } else { 0 }
    };
    let (dx, dy) = (units(dx_px, column_px), units(dy_px, row_px));
    if resizing { nudge(start, 0, 0, dx, dy) } else { nudge(start, dx, dy, 0, 0) }
}

/// A copied panel, pasted into a dashboard: a new id, at the top.
pub fn paste_panel(document: &Map<String, Value>, copied: &Value) -> Option<(Map<String, Value>, i64)> {
    let id = next_panel_id(document);
    let mut copied = copied.clone();
    renumber_nested(&mut copied, id + 1);
    let mut panel = copied.as_object()?.clone();
    panel.insert("id".into(), Value::from(id));
    let position = GridPos::from_json(panel.get("gridPos"));
    write_grid_pos(&mut panel, GridPos { x: 0, y: 0, ..position });
    let mut next = document.clone();
    panels_mut(&mut next).insert(0, Value::Object(panel));
    Some((next, id))
}
