//! Every community dashboard in ../shared/corpus parses, round-trips losslessly, upgrades without
//! panicking, and keeps its panel count through the migrations. The corpus is not ours to copy:
//! where it is absent, the test says so and checks nothing.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::print_stderr, reason = "the skip notice must be visible")]

use promboard::cli::check_text;
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
        match check_text(&file.display().to_string(), &text) {
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
    let upgraded = promboard::migrate::upgrade(&raw);
    let dashboard = serde_json::Value::Object(upgraded.dashboard);
    assert_eq!(dashboard["schemaVersion"], 42);
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
