//! Angular panels → their React successors, as Grafana 11+ migrates them on load: `graph` →
//! `timeseries` (options translated like Grafana's flot migration), `singlestat` and
//! `grafana-singlestat-panel` → `stat` (or `gauge`), `table-old` → `table`, `natel-discrete-panel`
//! → `state-timeline`, and renamed plugin ids.
//! Anything translated approximately or dropped is reported.

mod discrete;
mod graph;
mod piechart;
mod singlestat;
mod table_old;

use super::Notes;
use discrete::discrete_to_state_timeline;
use graph::graph_to_timeseries;
use piechart::piechart_from_angular;
use serde_json::{Map, Value, json};
use singlestat::singlestat_to_stat;
use table_old::table_old_to_table;

/// Panel keys Grafana keeps when a panel changes type (its PanelModel "must keep" list); every
/// other key belonged to the old plugin.
const KEPT_PANEL_KEYS: &[&str] = &[
    "id",
    "gridPos",
    "type",
    "title",
    "scopedVars",
    "repeat",
    "repeatIteration",
    "repeatPanelId",
    "repeatDirection",
    "repeatedByRow",
    "minSpan",
    "maxPerRow",
    "collapsed",
    "panels",
    "targets",
    "datasource",
    "timeFrom",
    "timeShift",
    "hideTimeOverride",
    "description",
    "links",
    "cacheTimeout",
    "transparent",
    "pluginVersion",
    "queryCachingTTL",
    "libraryPanel",
    "maxDataPoints",
    "interval",
    "transformations",
];

/// Plugin ids that only changed name.
const RENAMED: &[(&str, &str)] = &[("grafana-worldmap-panel", "geomap"), ("heatmap-new", "heatmap")];

pub fn migrate_panel(panel: &mut Map<String, Value>, path: &str, notes: &mut Notes) {
    let type_name = panel.get("type").and_then(Value::as_str).unwrap_or("").to_string();
    migrate_by_type(panel, &type_name, path, notes);
    if panel.get("type").and_then(Value::as_str) != Some(type_name.as_str()) {
        // Grafana's changePlugin stamps the new plugin's version, so its migrations do not run again.
        panel.insert("pluginVersion".into(), json!(super::GRAFANA_VERSION));
    }
}

fn migrate_by_type(panel: &mut Map<String, Value>, type_name: &str, path: &str, notes: &mut Notes) {
    match type_name {
        "graph" => graph_to_timeseries(panel, path, notes),
        "singlestat" | "grafana-singlestat-panel" => singlestat_to_stat(panel, path, notes),
        "table-old" => table_old_to_table(panel, path, notes),
        "grafana-piechart-panel" => piechart_from_angular(panel),
        "natel-discrete-panel" => discrete_to_state_timeline(panel),
        "heatmap-new" => {
            // The 8.5–9.0 heatmap keeps its options; only `bucketFrame` was renamed `rowsFrame`.
            panel.insert("type".into(), json!("heatmap"));
            if let Some(Value::Object(options)) = panel.get_mut("options")
                && let Some(frame) = options.remove("bucketFrame")
            {
                options.insert("rowsFrame".into(), frame);
            }
        }
        _ => {
            if let Some((_, new_type)) = RENAMED.iter().find(|(old, _)| *old == type_name) {
                let old = std::mem::take(panel);
                keep_common_keys(old, panel);
                panel.insert("type".into(), json!(new_type));
                notes.add(
                    path,
                    format!("{type_name} panel became {new_type}; its plugin options were not translated"),
                );
            }
        }
    }
}

/// Moves the keys every panel type shares from `old` into `new`, in their original order, and returns
/// the rest (the old plugin's options).
fn keep_common_keys(old: Map<String, Value>, new: &mut Map<String, Value>) -> Map<String, Value> {
    let mut plugin_options = Map::new();
    for (key, value) in old {
        if KEPT_PANEL_KEYS.contains(&key.as_str()) {
            new.insert(key, value);
        } else {
            plugin_options.insert(key, value);
        }
    }
    plugin_options
}
