//! Layout migrations: schema 16 (`rows[]` with 12-column spans and pixel heights → one `panels[]`
//! on the 24-column grid) and 17 (`minSpan` → `maxPerRow`).

use super::Notes;
use crate::json::{is_truthy, leading_number};
use crate::sorting;
use serde_json::{Map, Value, json};

const GRID_COLUMNS: usize = 24;
const DEFAULT_PANEL_SPAN: f64 = 4.0;
const DEFAULT_ROW_HEIGHT_PX: f64 = 250.0;
const GRID_CELL_HEIGHT_PX: f64 = 30.0;
const GRID_CELL_MARGIN_PX: f64 = 8.0;

/// Grafana's pixel height → grid rows: at least three cells, then one row per cell plus margin.
fn grid_height(height_px: f64) -> i64 {
    (height_px.max(GRID_CELL_HEIGHT_PX * 3.0) / (GRID_CELL_HEIGHT_PX + GRID_CELL_MARGIN_PX)).ceil() as i64
}

/// The space of one legacy row being filled left to right; `filled[i]` is how far down column `i`
/// is taken, relative to the row's top.
struct RowArea {
    filled: [i64; GRID_COLUMNS],
    top: i64,
    height: i64,
}

impl RowArea {
    /// Grafana's placement: the free run of columns at the right end of the row (scanning leftwards
    /// while the filled depth does not grow); the panel goes at its left edge, below the deepest
    /// column of the run. Wraps to a fresh band of the row's height when the run is too narrow.
    fn place(&mut self, width: usize, may_wrap: bool) -> Option<(usize, i64)> {
        let (mut start, mut end) = (None, None);
        for i in (0..GRID_COLUMNS).rev() {
            if self.height - self.filled[i] <= 0 {
                break;
            }
            if end.is_none() {
                end = Some(i);
            } else if i < GRID_COLUMNS - 1 && self.filled[i] <= self.filled[i + 1] {
                start = Some(i);
            } else {
                break;
            }
        }
        if let (Some(start), Some(end)) = (start, end)
            && end - start + 1 >= width
        {
            let y = self.filled[start..].iter().copied().max().unwrap_or(0);
            return Some((start, y));
        }
        if !may_wrap {
            return None;
        }
        self.top += self.height;
        self.filled = [0; GRID_COLUMNS];
        self.place(width, false)
    }

    fn add(&mut self, x: usize, y: i64, width: usize, height: i64) {
        for column in &mut self.filled[x..(x + width).min(GRID_COLUMNS)] {
            *column = (*column).max(y + height);
        }
    }
}

fn max_panel_id(rows: &[Value]) -> i64 {
    rows.iter()
        .filter_map(|row| row.get("panels").and_then(Value::as_array))
        .flatten()
        .filter_map(|panel| leading_number(panel.get("id")))
        .fold(0.0, f64::max) as i64
}

/// Grafana's `sortPanelsByGridPos`: top-level panels by y, then x; equal positions keep their order.
pub fn sort_by_position(dashboard: &mut Map<String, Value>) {
    if let Some(Value::Array(panels)) = dashboard.get_mut("panels") {
        let position = |panel: &Value, key: &str| {
            leading_number(panel.get("gridPos").and_then(|g| g.get(key))).unwrap_or(0.0) as i64
        };
        sorting::sort_by_key(panels, |panel| (position(panel, "y"), position(panel, "x")));
    }
}

/// Schema 16: Grafana's `upgradeToGridLayout`.
pub fn rows_to_grid(dashboard: &mut Map<String, Value>, notes: &mut Notes) {
    let Some(Value::Array(rows)) = dashboard.get("rows").cloned() else { return };
    dashboard.remove("rows");
    if rows.is_empty() {
        return;
    }
    let mut panels = match dashboard.get("panels") {
        Some(Value::Array(existing)) => existing.clone(),
        _ => Vec::new(),
    };
    // Row panels only when some row is collapsed, repeated or shows its title.
    let show_rows = rows.iter().any(|row| {
        is_truthy(row.get("collapse")) || is_truthy(row.get("showTitle")) || is_truthy(row.get("repeat"))
    });
    let mut next_id = max_panel_id(&rows) + 1;
    let mut y = 0_i64;
    for (row_index, row) in rows.iter().enumerate() {
        let Some(row) = row.as_object() else { continue };
        if row.get("repeatIteration").is_some_and(|v| !v.is_null()) {
            continue;
        }
        let row_path = format!("rows[{row_index}]");
        let height = grid_height(leading_number(row.get("height")).unwrap_or(DEFAULT_ROW_HEIGHT_PX));
        let collapsed = is_truthy(row.get("collapse"));
        let mut row_panels: Vec<Map<String, Value>> = row
            .get("panels")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_object().cloned())
            .collect();
        for panel in &mut row_panels {
            if !panel.contains_key("id") {
                panel.insert("id".into(), json!(next_id));
                next_id += 1;
            }
        }
        let mut row_panel = show_rows.then(|| {
            let mut row_panel = Map::new();
            row_panel.insert("id".into(), json!(next_id));
            row_panel.insert("type".into(), json!("row"));
            row_panel.insert("title".into(), row.get("title").cloned().unwrap_or(json!("")));
            row_panel.insert("repeat".into(), row.get("repeat").cloned().unwrap_or(json!("")));
            row_panel.insert("panels".into(), json!([]));
            row_panel.insert("gridPos".into(), json!({"x": 0, "y": y, "w": GRID_COLUMNS, "h": height}));
            if row.contains_key("collapse") {
                row_panel.insert("collapsed".into(), json!(collapsed));
            }
            next_id += 1;
            y += 1;
            row_panel
        });
        let mut area = RowArea { filled: [0; GRID_COLUMNS], top: y, height };
        for (panel_index, mut panel) in row_panels.into_iter().enumerate() {
            let panel_path = format!("{row_path}.panels[{panel_index}]");
            let span = leading_number(panel.get("span")).unwrap_or(DEFAULT_PANEL_SPAN);
            if let Some(min_span) = leading_number(panel.get("minSpan")).filter(|m| *m > 0.0) {
                panel.insert(
                    "minSpan".into(),
                    json!(((GRID_COLUMNS as f64 / 12.0) * min_span).min(GRID_COLUMNS as f64) as i64),
                );
            }
            let mut width = (span * 2.0).floor().max(1.0) as usize;
            if width > GRID_COLUMNS {
                notes.add(
                    &panel_path,
                    format!("span {span} is wider than the row; the panel is made full width"),
                );
                width = GRID_COLUMNS;
            }
            let panel_height = leading_number(panel.get("height")).map(grid_height).unwrap_or(height);
            let (x, relative_y) = area.place(width, true).unwrap_or((0, 0));
            y = area.top;
            panel.insert(
                "gridPos".into(),
                json!({"x": x, "y": y + relative_y, "w": width, "h": panel_height}),
            );
            area.add(x, relative_y, width, panel_height);
            panel.remove("span");
            match (&mut row_panel, collapsed) {
                (Some(row_panel), true) => {
                    if let Some(Value::Array(nested)) = row_panel.get_mut("panels") {
                        nested.push(Value::Object(panel));
                    }
                }
                _ => panels.push(Value::Object(panel)),
            }
        }
        let has_row_panel = row_panel.is_some();
        if let Some(row_panel) = row_panel {
            panels.push(Value::Object(row_panel));
        }
        if !has_row_panel || !collapsed {
            y += height;
        }
    }
    notes.add("rows", "legacy rows laid out on the 24-column grid (schema 16)");
    dashboard.insert("panels".into(), Value::Array(panels));
}

/// Schema 17: `minSpan` becomes `maxPerRow`, the largest divisor of 24 not above 24 / minSpan.
pub fn min_span_to_max_per_row(panel: &mut Map<String, Value>) {
    let Some(min_span) = panel.remove("minSpan") else { return };
    let Some(min_span) = leading_number(Some(&min_span)).filter(|m| *m > 0.0) else { return };
    let max = GRID_COLUMNS as f64 / min_span;
    let factors = [1, 2, 3, 4, 6, 8, 12, 24];
    if let Some(best) = factors.iter().rev().find(|f| f64::from(**f) <= max) {
        panel.insert("maxPerRow".into(), json!(best));
    }
}
