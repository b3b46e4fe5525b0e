//! Grafana's dashboard schema migrations (its DashboardMigrator, schemaVersion 2 → 42) and the
//! automatic migration of Angular panels (`graph`, `singlestat`, `table-old`, old plugin ids), applied
//! to a copy of the raw JSON. Reference: grafana-and-peers.md §1.7.
//!
//! The raw model is never changed: [`upgrade`] returns a new document plus a report of every step that
//! was lossy or approximate, with its JSON path. The view reads the upgraded document; "export
//! upgraded" writes it. Steps are grouped by version range, one file per group.

mod angular;
mod datasource_refs;
mod grid;
mod later;
mod links;
mod plugins;
mod value_mappings;

use crate::datasource::Registry;
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

/// One schema step: what Grafana's migration to one schemaVersion does to the whole document.
pub type Step = fn(&mut Map<String, Value>, &mut Notes, &Registry);

/// The grid steps (16: `rows[]` → `panels[]`, 17: `minSpan` → `maxPerRow`).
const GRID_STEPS: &[(i64, Step)] = &[(16, grid_layout), (17, max_per_row)];

/// Every schema step in the order they run: the grid first, then the rest oldest first. The grid
/// runs first so that the older steps, which visit `panels[]`, also reach panels that lived in
/// `rows[]` (our visitors walk the grid form only).
pub fn schema_steps() -> impl Iterator<Item = &'static (i64, Step)> {
    GRID_STEPS.iter().chain(later::STEPS)
}

fn grid_layout(dashboard: &mut Map<String, Value>, notes: &mut Notes, _datasources: &Registry) {
    grid::rows_to_grid(dashboard, notes);
    // Grafana sorts the panels by position right after migrating (its dashboard model's
    // constructor), so the saved form lists each row before its panels.
    grid::sort_by_position(dashboard);
}

fn max_per_row(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    for_each_panel(dashboard, &mut |panel, _| grid::min_span_to_max_per_row(panel));
}

/// Upgrades a copy of `raw` to [`LATEST_SCHEMA_VERSION`]; datasource names (v33) and the default
/// (v36) resolve in `datasources`, the registry the dashboard is shown with.
pub fn upgrade(raw: &Map<String, Value>, datasources: &Registry) -> Upgraded {
    upgrade_owned(raw.clone(), datasources)
}

/// [`upgrade`] of a document the caller owns, without copying it.
pub fn upgrade_owned(mut dashboard: Map<String, Value>, datasources: &Registry) -> Upgraded {
    let mut report = Notes::default();
    let from = schema_version(&dashboard);
    for (version, step) in schema_steps() {
        if from < *version {
            step(&mut dashboard, &mut report, datasources);
        }
    }
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

pub fn for_each_variable(
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

#[cfg(test)]
mod tests;
