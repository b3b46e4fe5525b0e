//! Every community dashboard in ../shared/corpus parses, round-trips losslessly, upgrades without
//! panicking, and keeps its panel count through the migrations. The corpus is not ours to copy:
//! where it is absent, the test says so and checks nothing.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::print_stderr, reason = "the skip notice must be visible")]

use promboard::cli::check_text;
use promboard::datasource::Registry;
use std::path::PathBuf;

fn corpus_files() -> Option<Vec<PathBuf>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    Some(files)
}

#[test]
fn every_corpus_dashboard_parses_and_round_trips_losslessly() {
    let Some(files) = corpus_files() else {
        eprintln!("NOTICE: ../shared/corpus is absent; the corpus checks were skipped");
        return;
    };
    assert!(files.len() >= 28, "expected the 28 corpus dashboards, found {}", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable");
        match check_text(&file.display().to_string(), &text, &Registry::builtin()) {
            Ok(report) if report["ok"] == true => {
                assert!(
                    report["panels_total"].as_u64().unwrap_or(0) > 0,
                    "{} has no panels after migration",
                    file.display()
                );
            }
            Ok(report) => failures.push(format!("{}: {}", file.display(), report)),
            Err(error) => failures.push(error),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// "As is" is the file's own bytes (indentation, newlines, number spelling, final newline), and
/// an edit to one panel's title changes exactly one line of the file.
#[test]
fn every_corpus_dashboard_exports_as_its_own_bytes_and_an_edit_touches_one_line() {
    let Some(files) = corpus_files() else {
        eprintln!("NOTICE: ../shared/corpus is absent; the byte-exact export checks were skipped");
        return;
    };
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable");
        let dashboard = promboard::model::Dashboard::parse("corpus", &text).expect("parses");
        assert!(dashboard.to_file_text() == text, "{}: as-is export is not the file", file.display());
        let mut edited = dashboard.raw().clone();
        let Some(title) = edited
            .get_mut("panels")
            .and_then(|p| p.as_array_mut())
            .and_then(|p| p.iter_mut().find(|p| p.get("title").is_some_and(|t| t.is_string())))
            .and_then(|p| p.get_mut("title"))
        else {
            continue;
        };
        *title = serde_json::Value::from("An edited title");
        let written = dashboard.edited(edited.clone()).to_file_text();
        let changed = text.lines().zip(written.lines()).filter(|(a, b)| a != b).count();
        assert_eq!(
            (changed, text.lines().count()),
            (1, written.lines().count()),
            "{}: an edited title changes one line",
            file.display()
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&written).unwrap(),
            edited
        );
    }
}

#[test]
fn node_exporter_full_old_upgrades_like_grafana() {
    let Some(files) = corpus_files() else {
        eprintln!("NOTICE: ../shared/corpus is absent; the corpus checks were skipped");
        return;
    };
    let Some(file) =
        files.iter().find(|f| f.ends_with("rfmoz__grafana-dashboards__node-exporter-full-old.json"))
    else {
        panic!("Node Exporter Full (old) is missing from the corpus");
    };
    let text = std::fs::read_to_string(file).expect("readable");
    let raw: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).expect("valid");
    let upgraded = promboard::migrate::upgrade(&raw, &Registry::builtin());
    let dashboard = serde_json::Value::Object(upgraded.dashboard);
    assert_eq!(dashboard["schemaVersion"], 43);
    assert!(dashboard.get("rows").is_none());
    let panels = dashboard["panels"].as_array().expect("panels");
    let all: Vec<&serde_json::Value> = panels
        .iter()
        .flat_map(|p| std::iter::once(p).chain(p["panels"].as_array().into_iter().flatten()))
        .collect();
    // INVENTORY.md: 160 graph and 12 singlestat panels in rows; after the upgrade no Angular type is left.
    let count = |t: &str| all.iter().filter(|p| p["type"] == t).count();
    assert_eq!(count("graph") + count("singlestat"), 0);
    assert_eq!(count("timeseries"), 160);
    assert_eq!(count("stat") + count("gauge"), 12);
    // Every panel sits inside the 24 columns.
    for panel in &all {
        let (x, w) =
            (panel["gridPos"]["x"].as_i64().unwrap_or(-1), panel["gridPos"]["w"].as_i64().unwrap_or(-1));
        assert!(x >= 0 && w >= 1 && x + w <= 24, "gridPos {}", panel["gridPos"]);
    }
}

/// Every panel, rows' children included.
fn all_panels(dashboard: &serde_json::Value) -> Vec<&serde_json::Value> {
    dashboard["panels"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| std::iter::once(p).chain(p["panels"].as_array().into_iter().flatten()))
        .collect()
}

#[test]
fn every_corpus_dashboard_upgrades_like_grafana_and_upgrading_again_changes_nothing() {
    let Some(files) = corpus_files() else {
        eprintln!("NOTICE: ../shared/corpus is absent; the corpus checks were skipped");
        return;
    };
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let raw: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).expect("valid");
        let from = promboard::migrate::schema_version(&raw);
        let upgraded = promboard::migrate::upgrade(&raw, &Registry::builtin());
        let again = promboard::migrate::upgrade(&upgraded.dashboard, &Registry::builtin());
        let (first, second) = (
            serde_json::Value::Object(upgraded.dashboard.clone()),
            serde_json::Value::Object(again.dashboard),
        );
        if let Some(path) = first_difference(&first, &second, String::new()) {
            panic!("{}: a second upgrade changed {path}", file.display());
        }
        let dashboard = serde_json::Value::Object(upgraded.dashboard);
        assert_eq!(dashboard["schemaVersion"], 43, "{}", file.display());
        for panel in all_panels(&dashboard) {
            let type_name = panel["type"].as_str().unwrap_or("");
            assert!(
                !["graph", "singlestat", "table-old", "grafana-piechart-panel", "text2"].contains(&type_name),
                "{}: panel {} is still {type_name}",
                file.display(),
                panel["id"]
            );
            // Schema 36: every query names its datasource.
            let targets = panel["targets"].as_array().filter(|t| !t.is_empty());
            if from < 36
                && let Some(targets) = targets
            {
                assert!(
                    panel["datasource"].is_object(),
                    "{}: panel {} datasource",
                    file.display(),
                    panel["id"]
                );
                for target in targets {
                    assert!(
                        target["datasource"].is_object(),
                        "{}: panel {} target {} has no datasource reference",
                        file.display(),
                        panel["id"],
                        target["refId"]
                    );
                }
            }
        }
    }
}

#[test]
fn mysqld_exporter_overview_upgrades_like_grafana() {
    let Some(files) = corpus_files() else {
        eprintln!("NOTICE: ../shared/corpus is absent; the corpus checks were skipped");
        return;
    };
    let file = files
        .iter()
        .find(|f| f.ends_with("prometheus__mysqld_exporter__mysql-overview.json"))
        .expect("mysqld_exporter's overview is in the corpus");
    let raw: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(file).expect("readable")).expect("valid");
    assert_eq!(promboard::migrate::schema_version(&raw), 25);
    let dashboard =
        serde_json::Value::Object(promboard::migrate::upgrade(&raw, &Registry::builtin()).dashboard);
    let panels = all_panels(&dashboard);
    // Its stat panels were saved by stat 7.0.4, which ignored the stray `fieldOptions.calcs`: the
    // reducer shown stays `mean`.
    let stats: Vec<_> = panels.iter().filter(|p| p["type"] == "stat").collect();
    assert_eq!(stats.len(), 3);
    for stat in stats {
        assert_eq!(stat["options"]["reduceOptions"]["calcs"], serde_json::json!(["mean"]));
    }
    // Panel links are already URLs (schema ≥ 19): kept as they were, on the migrated time series too.
    let linked: Vec<_> =
        panels.iter().filter(|p| p["links"].as_array().is_some_and(|l| !l.is_empty())).collect();
    assert_eq!(linked.len(), 10);
    assert!(linked.iter().all(|p| p["links"][0]["url"].as_str().is_some_and(|u| u.starts_with("http"))));
    // Queries on `$datasource`-style or default datasources now carry explicit references.
    let graph_count = raw_panel_count(&raw, "graph");
    assert_eq!(panels.iter().filter(|p| p["type"] == "timeseries").count(), graph_count);
}

fn raw_panel_count(raw: &serde_json::Map<String, serde_json::Value>, type_name: &str) -> usize {
    all_panels(&serde_json::Value::Object(raw.clone())).iter().filter(|p| p["type"] == type_name).count()
}

/// The JSON path of the first place two values differ (key order included).
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, path: String) -> Option<String> {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys_x: Vec<&String> = x.keys().collect();
            let keys_y: Vec<&String> = y.keys().collect();
            if keys_x != keys_y {
                return Some(format!("{path} (keys {keys_x:?} → {keys_y:?})"));
            }
            x.iter().find_map(|(key, value)| first_difference(value, &y[key], format!("{path}.{key}")))
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (p, q))| first_difference(p, q, format!("{path}[{i}]")))
        }
        _ if a == b => None,
        _ => Some(format!("{path}: {a} → {b}")),
    }
}

/// What the view shows of a dashboard, in order: each panel's type, title, place on the grid
/// (as the page lays it out when opened) and queries, the panels in collapsed rows (without a
/// place: they have none until expanded), and the variables' and annotations' names.
fn shown(raw: &serde_json::Map<String, serde_json::Value>) -> Vec<String> {
    use promboard::view::PanelKind;
    let view = promboard::view::DashboardView::from_document(raw, &Registry::builtin());
    let visible = view.visible_panels(|p| matches!(p.kind, PanelKind::Row { collapsed: true }));
    let positions: Vec<_> = visible.iter().map(|p| p.grid_pos).collect();
    let placed = promboard::view::compact_vertically(&positions);
    let mut shown: Vec<String> = visible
        .iter()
        .zip(placed)
        .map(|(panel, position)| {
            // A row never queries (some old files give rows targets all the same).
            let is_row = matches!(panel.kind, PanelKind::Row { .. });
            let queries: Vec<String> = panel
                .targets
                .iter()
                .filter(|_| !is_row)
                .map(|t| format!("{}={}", t.ref_id, t.expr))
                .collect();
            format!("{} {:?} {position:?} {queries:?}", panel.type_name, panel.title)
        })
        .collect();
    for panel in view.panels.iter().filter(|p| matches!(p.kind, PanelKind::Row { collapsed: true })) {
        for child in &panel.children {
            let queries: Vec<String> =
                child.targets.iter().map(|t| format!("{}={}", t.ref_id, t.expr)).collect();
            shown.push(format!("in {:?}: {} {:?} {queries:?}", panel.title, child.type_name, child.title));
        }
    }
    shown.extend(view.variables.iter().map(|v| format!("variable {}", v.name)));
    shown.extend(view.annotations.iter().map(|a| format!("annotation {} {}", a.name, a.expr)));
    shown
}

/// Classic → schema v2 → classic loses nothing the view shows, on every corpus dashboard.
#[test]
fn every_corpus_dashboard_converts_to_schema_v2_and_back_keeping_what_is_shown() {
    let Some(files) = corpus_files() else {
        eprintln!("NOTICE: ../shared/corpus is absent; the corpus checks were skipped");
        return;
    };
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let raw: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).expect("valid");
        let (classic, _) = promboard::export::migrate_to(&raw, None, &Registry::builtin());
        let (v2, _) =
            promboard::export::migrate_to(&raw, Some("dashboard.grafana.app/v2beta1"), &Registry::builtin());
        assert!(promboard::model::v2::is_v2(&v2), "{}", file.display());
        let back = promboard::model::v2::to_classic(&v2);
        assert!(back.losses.is_empty(), "{}: {:?}", file.display(), back.losses);
        // Ids are not compared: a repeated one is given a fresh id on the way (v2 names by id).
        let (before, after) = (shown(&classic), shown(&v2));
        let first = before.iter().zip(&after).position(|(b, a)| b != a);
        assert!(
            first.is_none() && before.len() == after.len(),
            "{}: {} then {} entries; first difference:\n  {:?}\n  {:?}",
            file.display(),
            before.len(),
            after.len(),
            first.map(|i| &before[i]),
            first.map(|i| &after[i]),
        );
    }
}
