//! A v2 layout tree placed on the classic 24-column grid: `GridLayout` items where they say,
//! `AutoGridLayout` items in columns (`maxColumnCount`) and rows of its row height, each row of a
//! `RowsLayout` as a classic row panel with its content beneath it (inside it when collapsed),
//! and each tab of a `TabsLayout` as a row too — the classic model has no tabs, as Grafana's own
//! v2 → v1 conversion makes them rows. What the classic model cannot say (which rows are tabs,
//! the auto grids, the conditional rendering rules) is kept in [`Sections`] for the view.

use super::read::{element_to_panel, kind_spec, object, text};
use super::{AutoGrid, Conditional, RuleGroup, Sections, TabSection};
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet};

/// The classic grid's columns.
const COLUMNS: i64 = 24;

/// An auto grid's row height in grid units for its `rowHeightMode`, as Grafana's v2 → v1
/// conversion gives it: short 5, standard 9, tall 14 (its 168, 320 and 512 px), a custom
/// `rowHeight` in px over the 38 px of a grid unit and its gap, rounded up.
pub(super) fn auto_row_height(mode: &str, custom_px: Option<f64>) -> i64 {
    match (mode, custom_px.filter(|px| px.is_finite() && *px > 0.0)) {
        ("short", _) => 5,
        ("tall", _) => 14,
        ("custom", Some(pixels)) => ((pixels / 38.0).ceil() as i64).clamp(1, 1000),
        _ => 9,
    }
}

/// An auto grid's narrowest column in CSS px for its `columnWidthMode`: Grafana's widths (narrow
/// 192, standard 448, wide 768, or `columnWidth`). Fewer columns fit a narrower screen.
pub(super) fn auto_column_width(mode: &str, custom_px: Option<f64>) -> f64 {
    match (mode, custom_px.filter(|px| px.is_finite() && *px > 0.0)) {
        ("narrow", _) => 192.0,
        ("wide", _) => 768.0,
        ("custom", Some(pixels)) => pixels,
        _ => 448.0,
    }
}

pub(super) struct Placer<'a> {
    elements: &'a Map<String, Value>,
    pub panels: Vec<Value>,
    pub sections: Sections,
    pub losses: Vec<String>,
    /// Where each grid and auto grid of the tree was placed (for writing an edit back).
    pub leaves: Vec<Leaf>,
    /// The classic row each row or tab of the tree became, by its JSON path.
    pub section_rows: HashMap<String, i64>,
    /// Each placed panel's classic row (the row of its grid or auto grid).
    pub placed_ids: HashMap<i64, Option<i64>>,
    next_row_id: i64,
    placed: HashSet<String>,
}

/// A grid or auto grid of the tree: its JSON path, the grid row it starts at and the classic row
/// its panels belong to.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Leaf {
    pub path: String,
    pub top: i64,
    pub row_id: Option<i64>,
}

/// Where placed panels go: onto the dashboard, or into the `panels` of a collapsed row.
#[derive(Clone, Copy)]
enum Target {
    Dashboard,
    Collapsed(usize),
}

impl<'a> Placer<'a> {
    pub fn new(elements: &'a Map<String, Value>) -> Placer<'a> {
        let max_id = elements
            .values()
            .filter_map(|e| e.get("spec").and_then(|s| s.get("id")).and_then(Value::as_i64))
            .max()
            .unwrap_or(0);
        Placer {
            elements,
            panels: Vec::new(),
            sections: Sections::default(),
            losses: Vec::new(),
            leaves: Vec::new(),
            section_rows: HashMap::new(),
            placed_ids: HashMap::new(),
            next_row_id: max_id + 1,
            placed: HashSet::new(),
        }
    }

    /// Places the dashboard's layout and reports the elements it does not place.
    pub fn place_dashboard(&mut self, layout: &Value) {
        self.place(layout, "$.spec.layout", 0, Target::Dashboard, true);
        for name in self.elements.keys() {
            if !self.placed.contains(name) {
                self.losses.push(format!("$.spec.elements.{name}: not placed by the layout, so not shown"));
            }
        }
    }

    fn push(&mut self, panel: Map<String, Value>, target: Target) {
        match target {
            Target::Dashboard => self.panels.push(Value::Object(panel)),
            Target::Collapsed(row) => {
                if let Some(Value::Array(inside)) = self.panels.get_mut(row).and_then(|r| r.get_mut("panels"))
                {
                    inside.push(Value::Object(panel));
                }
            }
        }
    }

    /// The classic panel of the element an item names, or `None` (reported) when it names none.
    fn element_panel(&mut self, item: &Map<String, Value>, path: &str) -> Option<Map<String, Value>> {
        let name = item.get("element").and_then(|e| e.get("name")).and_then(Value::as_str).unwrap_or("");
        let Some(element) = self.elements.get(name) else {
            self.losses.push(format!("{path}: names element {name:?}, which the dashboard does not have"));
            return None;
        };
        self.placed.insert(name.to_string());
        Some(element_to_panel(element, &mut self.losses, &format!("$.spec.elements.{name}")))
    }

    /// Places `layout` from grid row `top`; returns the first free row below it and the ids of
    /// the panels (rows included) it placed.
    fn place(
        &mut self,
        layout: &Value,
        path: &str,
        top: i64,
        target: Target,
        top_level: bool,
    ) -> (i64, Vec<i64>) {
        let (kind, spec) = kind_spec(layout);
        let empty = Map::new();
        let spec = spec.unwrap_or(&empty);
        let list = |key: &str| spec.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
        let mut bottom = top;
        let mut ids = Vec::new();
        let mut leaf_row = None;
        if matches!(kind, "GridLayout" | "AutoGridLayout") {
            // The classic row its panels belong to: the collapsed row they go into, else the
            // last row placed before them (a classic row owns the panels that follow it).
            let row_id = match target {
                Target::Collapsed(row) => self.panels.get(row),
                Target::Dashboard => {
                    self.panels.iter().rev().find(|p| p.get("type").and_then(Value::as_str) == Some("row"))
                }
            }
            .and_then(|row| row.get("id"))
            .and_then(Value::as_i64);
            leaf_row = row_id;
            self.leaves.push(Leaf { path: path.to_string(), top, row_id });
        }
        match kind {
            "GridLayout" => {
                for (i, item) in list("items").iter().enumerate() {
                    let item_path = format!("{path}.spec.items[{i}]");
                    let (item_kind, item_spec) = kind_spec(item);
                    let Some(item_spec) = item_spec else { continue };
                    if item_kind == "GridLayoutRow" {
                        self.losses.push(format!(
                            "{item_path}: a GridLayoutRow (an early v2alpha1 form) is not read"
                        ));
                        continue;
                    }
                    let Some(mut panel) = self.element_panel(item_spec, &item_path) else { continue };
                    let number = |key: &str, default: i64| {
                        item_spec.get(key).and_then(Value::as_i64).unwrap_or(default)
                    };
                    let (x, y, w, h) =
                        (number("x", 0), top + number("y", 0), number("width", 12), number("height", 8));
                    panel.insert("gridPos".into(), json!({ "h": h, "w": w, "x": x, "y": y }));
                    if let Some(repeat) = object(item_spec.get("repeat")) {
                        insert_repeat(&mut panel, repeat, true);
                    }
                    bottom = bottom.max(y + h);
                    if let Some(id) = panel.get("id").and_then(Value::as_i64) {
                        ids.push(id);
                        self.placed_ids.insert(id, leaf_row);
                    }
                    self.push(panel, target);
                }
            }
            "AutoGridLayout" => {
                let columns = spec
                    .get("maxColumnCount")
                    .and_then(Value::as_f64)
                    .unwrap_or(3.0)
                    .clamp(1.0, COLUMNS as f64) as i64;
                let width = COLUMNS / columns;
                let float = |key: &str| spec.get(key).and_then(Value::as_f64);
                let height =
                    auto_row_height(text(spec, "rowHeightMode").unwrap_or("standard"), float("rowHeight"));
                let mut grid = AutoGrid {
                    top,
                    max_columns: columns,
                    min_column_width_px: auto_column_width(
                        text(spec, "columnWidthMode").unwrap_or("standard"),
                        float("columnWidth"),
                    ),
                    row_height: height,
                    panel_ids: Vec::new(),
                };
                let mut index = 0;
                for (i, item) in list("items").iter().enumerate() {
                    let item_path = format!("{path}.spec.items[{i}]");
                    let (_, Some(item_spec)) = kind_spec(item) else { continue };
                    let Some(mut panel) = self.element_panel(item_spec, &item_path) else { continue };
                    // As Grafana places them: left to right, a new line when the next would pass
                    // column 24 (so 5 columns of width 4 fit 6 to a line).
                    let per_line = COLUMNS / width;
                    let (x, y) = ((index % per_line) * width, top + (index / per_line) * height);
                    index += 1;
                    panel.insert("gridPos".into(), json!({ "h": height, "w": width, "x": x, "y": y }));
                    if let Some(repeat) = object(item_spec.get("repeat")) {
                        insert_repeat(&mut panel, repeat, false);
                        panel.insert("repeatDirection".into(), Value::from("h"));
                        panel.insert("maxPerRow".into(), Value::from(columns));
                    }
                    bottom = bottom.max(y + height);
                    let id = panel.get("id").and_then(Value::as_i64);
                    if let Some(id) = id {
                        self.placed_ids.insert(id, leaf_row);
                        grid.panel_ids.push(id);
                        ids.push(id);
                        self.condition(item_spec, &item_path, vec![id]);
                    }
                    self.push(panel, target);
                }
                self.sections.auto_grids.push(grid);
            }
            "RowsLayout" | "TabsLayout" => {
                let is_tabs = kind == "TabsLayout";
                let (key, item_kind) = if is_tabs { ("tabs", "tab") } else { ("rows", "row") };
                if is_tabs && !top_level {
                    self.losses.push(format!("{path}: tabs inside a row or tab are shown as rows"));
                }
                for (i, section) in list(key).iter().enumerate() {
                    let section_path = format!("{path}.spec.{key}[{i}]");
                    let (_, Some(section_spec)) = kind_spec(section) else { continue };
                    let title = text(section_spec, "title").unwrap_or("").to_string();
                    let inner = section_spec.get("layout").unwrap_or(&Value::Null);
                    let nests_sections = matches!(kind_spec(inner).0, "RowsLayout" | "TabsLayout");
                    // A row holding rows or tabs is drawn expanded (its own cannot nest in it).
                    let collapsed = !is_tabs
                        && !nests_sections
                        && section_spec.get("collapse").and_then(Value::as_bool) == Some(true);
                    let hidden_header =
                        !is_tabs && section_spec.get("hideHeader").and_then(Value::as_bool) == Some(true);
                    let inner_path = format!("{section_path}.spec.layout");
                    let mut section_ids = Vec::new();
                    let row_id = if hidden_header || matches!(target, Target::Collapsed(_)) {
                        if matches!(target, Target::Collapsed(_)) {
                            self.losses.push(format!("{section_path}: a {item_kind} inside a collapsed row is shown without its title"));
                        }
                        None
                    } else {
                        let id = self.next_row_id;
                        self.next_row_id += 1;
                        let mut row = Map::new();
                        row.insert("id".into(), Value::from(id));
                        row.insert("type".into(), Value::from("row"));
                        row.insert("title".into(), Value::from(title.clone()));
                        row.insert("collapsed".into(), Value::Bool(collapsed));
                        row.insert("gridPos".into(), json!({ "h": 1, "w": COLUMNS, "x": 0, "y": bottom }));
                        row.insert("panels".into(), json!([]));
                        if let Some(repeat) = object(section_spec.get("repeat")) {
                            insert_repeat(&mut row, repeat, false);
                        }
                        self.panels.push(Value::Object(row));
                        section_ids.push(id);
                        self.section_rows.insert(section_path.clone(), id);
                        Some(id)
                    };

                    let content_top = bottom + i64::from(row_id.is_some());
                    let inner_target = match (collapsed, row_id) {
                        (true, Some(_)) => Target::Collapsed(self.panels.len() - 1),
                        _ => target,
                    };
                    let (inner_bottom, inner_ids) =
                        self.place(inner, &inner_path, content_top, inner_target, false);
                    section_ids.extend(inner_ids);
                    bottom = if collapsed && row_id.is_some() {
                        content_top
                    } else {
                        inner_bottom.max(content_top)
                    };
                    self.condition(section_spec, &section_path, section_ids.clone());
                    if is_tabs
                        && top_level
                        && let Some(row_id) = row_id
                    {
                        self.sections.tabs.push(TabSection { title, row_id, panel_ids: section_ids.clone() });
                    }
                    ids.extend(section_ids);
                }
            }
            "" if layout.is_null() => {}
            other => self.losses.push(format!(
                "{path}: layout kind {other:?} is not one promboard knows; its panels are not shown"
            )),
        }
        (bottom, ids)
    }

    /// Records a `conditionalRendering` group on `owner` governing `panel_ids`.
    fn condition(&mut self, owner: &Map<String, Value>, path: &str, panel_ids: Vec<i64>) {
        if let Some(group) = owner.get("conditionalRendering") {
            match RuleGroup::read(group) {
                Ok(rules) => self.sections.conditions.push(Conditional {
                    json_path: format!("{path}.spec.conditionalRendering"),
                    panel_ids,
                    rules,
                }),
                Err(problem) => {
                    self.losses.push(format!("{path}.spec.conditionalRendering: {problem}; always shown"))
                }
            }
        }
    }
}

/// A v2 repeat (`{mode: "variable", value, direction, maxPerRow}`) as the classic panel's keys.
fn insert_repeat(panel: &mut Map<String, Value>, repeat: &Map<String, Value>, with_direction: bool) {
    if let Some(variable) = text(repeat, "value").filter(|v| !v.is_empty()) {
        panel.insert("repeat".into(), Value::from(variable));
        if with_direction {
            if let Some(direction) = repeat.get("direction") {
                panel.insert("repeatDirection".into(), direction.clone());
            }
            if let Some(max) = repeat.get("maxPerRow") {
                panel.insert("maxPerRow".into(), max.clone());
            }
        }
    }
}
