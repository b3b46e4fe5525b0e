//! Golden tests of the schema migrations: real dashboards of five vintages (schema 12, 16, 18,
//! 20 and 36), upgraded with the built-in datasources, each compared whole — the upgraded JSON
//! and the notes the migrations wrote — with its golden file in `tests/golden/migrations/`. A
//! change to any step shows here as a diff of what it does to real dashboards; when the change is
//! intended, `UPDATE_EXPECT=1 cargo test --test migration_golden` writes the new files, and the
//! diff is reviewed like code.
//!
//! The inputs are read from ../shared/corpus (MIT and Apache-2.0 files; the golden files are
//! derived from them: tests/golden/NOTICE.md). Where the corpus is absent, each test says so and
//! checks nothing.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::print_stderr, reason = "the skip notice must be visible")]

use expect_test::{ExpectFile, expect_file};
use promboard::datasource::Registry;
use promboard::migrate::upgrade;
use serde_json::{Map, Value, json};
use std::path::PathBuf;

fn check(corpus_file: &str, golden: ExpectFile) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus").join(corpus_file);
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("NOTICE: {} is absent; its migration golden test was skipped", path.display());
        return;
    };
    let raw: Map<String, Value> = serde_json::from_str(&text).expect("a JSON object");
    let upgraded = upgrade(&raw, &Registry::builtin());
    let notes: Vec<String> =
        upgraded.report.iter().map(|note| format!("{}: {}", note.json_path, note.what)).collect();
    let shown = json!({ "notes": notes, "dashboard": upgraded.dashboard });
    golden.assert_eq(&(serde_json::to_string_pretty(&shown).expect("serialisable") + "\n"));
}

#[test]
fn schema_12_rows_graphs_and_singlestats() {
    check(
        "stefanprodan__dockprom__docker_host.json",
        expect_file!["golden/migrations/schema-12-dockprom-docker-host.json"],
    );
}

#[test]
fn schema_16_grid_graphs_and_tables() {
    check(
        "danielqsj__kafka_exporter__kafka_exporter_overview.json",
        expect_file!["golden/migrations/schema-16-kafka-exporter-overview.json"],
    );
}

#[test]
fn schema_18_singlestats_and_variables() {
    check(
        "nginx__nginx-prometheus-exporter__dashboard.json",
        expect_file!["golden/migrations/schema-18-nginx-exporter.json"],
    );
}

#[test]
fn schema_20_data_links_and_old_panels() {
    check(
        "vegasbrianc__prometheus__Docker_Prometheus_Monitoring-1571332751387.json",
        expect_file!["golden/migrations/schema-20-docker-prometheus-monitoring.json"],
    );
}

#[test]
fn schema_36_datasource_references_and_field_config() {
    check(
        "prometheus-community__elasticsearch_exporter__cluster.json",
        expect_file!["golden/migrations/schema-36-elasticsearch-cluster.json"],
    );
}
