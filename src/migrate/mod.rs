//! Grafana's dashboard schema migrations (its DashboardMigrator, schemaVersion 2 → 42) and the
//! automatic migration of Angular panels (`graph`, `singlestat`, `table-old`, old plugin ids), applied
//! to a copy of the raw JSON. Reference: grafana-and-peers.md §1.7.
//!
//! The raw model is never changed: [`upgrade`] returns a new document plus a report of every step that
//! was lossy or approximate, with its JSON path. The view reads the upgraded document; "export
//! upgraded" writes it. Steps are grouped by version range, one file per group.

mod angular;
mod grid;
mod later;
mod plugins;

use serde_json::{Map, Value};

/// The last schemaVersion of Grafana's v1 dashboard API.
pub const LATEST_SCHEMA_VERSION: i64 = 43;

/// The Grafana release whose saved form an upgraded dashboard matches (it writes schemaVersion 42).
/// Panels a migration converted carry it as `pluginVersion`, as Grafana stamps the version of the
/// plugin that migrated them; other panels keep theirs.
pub const GRAFANA_VERSION: &str = "12.2.1";

/// One thing a migration did that the user may want to know about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationNote {
    pub json_path: String,
    pub what: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Upgraded {
    pub dashboard: Map<String, Value>,
    pub report: Vec<MigrationNote>,
}

/// The schemaVersion a file declares (numbers written as strings too); 0 when it has none, as Grafana
/// treats hand-written files, so that every migration runs.
pub fn schema_version(raw: &Map<String, Value>) -> i64 {
    match raw.get("schemaVersion") {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
        _ => 0,
    }
}

/// Upgrades a copy of `raw` to [`LATEST_SCHEMA_VERSION`].
pub fn upgrade(raw: &Map<String, Value>) -> Upgraded {
    upgrade_owned(raw.clone())
}

/// [`upgrade`] of a document the caller owns, without copying it.
pub fn upgrade_owned(mut dashboard: Map<String, Value>) -> Upgraded {
    let mut report = Notes::default();
    let from = schema_version(&dashboard);
    if from < 16 {
        grid::rows_to_grid(&mut dashboard, &mut report);
        // Grafana sorts the panels by position right after migrating (its dashboard model's
        // constructor), so the saved form lists each row before its panels.
        grid::sort_by_position(&mut dashboard);
    }
    if from < 17 {
        for_each_panel(&mut dashboard, &mut |panel, _| grid::min_span_to_max_per_row(panel));
    }
    later::upgrade_from(from, &mut dashboard, &mut report);
    // Then each panel's plugin migrates options its older versions saved, whatever the schema.
    for_each_panel(&mut dashboard, &mut |panel, path| plugins::migrate_panel(panel, path, &mut report));
    // Angular panels no longer exist in Grafana 12; it migrates them on load whatever the version.
    for_each_panel(&mut dashboard, &mut |panel, path| angular::migrate_panel(panel, path, &mut report));
    if from < LATEST_SCHEMA_VERSION {
        dashboard.insert("schemaVersion".into(), Value::from(LATEST_SCHEMA_VERSION));
    }
    Upgraded { dashboard, report: report.0 }
}

/// The report being built.
#[derive(Debug, Default)]
pub struct Notes(Vec<MigrationNote>);

impl Notes {
    pub fn add(&mut self, json_path: &str, what: impl Into<String>) {
        self.0.push(MigrationNote { json_path: json_path.to_string(), what: what.into() });
    }
}

/// Calls `visit` on every panel object, nested row panels included, with its JSON path.
pub fn for_each_panel(
    dashboard: &mut Map<String, Value>,
    visit: &mut dyn FnMut(&mut Map<String, Value>, &str),
) {
    let Some(Value::Array(panels)) = dashboard.get_mut("panels") else { return };
    for (index, panel) in panels.iter_mut().enumerate() {
        let Value::Object(panel) = panel else { continue };
        let path = format!("panels[{index}]");
        visit(panel, &path);
        if let Some(Value::Array(children)) = panel.get_mut("panels") {
            for (child_index, child) in children.iter_mut().enumerate() {
                if let Value::Object(child) = child {
                    visit(child, &format!("{path}.panels[{child_index}]"));
                }
            }
        }
    }
}

/// `Value::pointer` for an object held as a map: `/a/b` is the key `a`, then `/b` inside it.
pub fn pointer<'a>(map: &'a Map<String, Value>, pointer: &str) -> Option<&'a Value> {
    let (first, rest) = pointer.strip_prefix('/')?.split_once('/').unwrap_or((&pointer[1..], ""));
    let value = map.get(first)?;
    if rest.is_empty() { Some(value) } else { value.pointer(&format!("/{rest}")) }
}

/// `Value::pointer_mut` for an object held as a map.
pub fn pointer_mut<'a>(map: &'a mut Map<String, Value>, pointer: &str) -> Option<&'a mut Value> {
    let (first, rest) = pointer.strip_prefix('/')?.split_once('/').unwrap_or((&pointer[1..], ""));
    let value = map.get_mut(first)?;
    if rest.is_empty() { Some(value) } else { value.pointer_mut(&format!("/{rest}")) }
}

/// Reads a number written as a number or a numeric string (`"250px"` too, as Grafana's parseInt does).
pub fn lenient_number(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => {
            let digits: String =
                s.trim().chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-').collect();
            digits.parse().ok()
        }
        _ => None,
    }
}

pub fn is_truthy(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(_) | Value::Object(_)) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests;
