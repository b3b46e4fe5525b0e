//! What each pure step of loading, editing and exporting issue 19's large dashboard (3,850 panels,
//! about 5 MB) costs natively: the fastest of several runs, in milliseconds. The browser runs the
//! same code as WebAssembly, typically two to three times slower; the browser benchmark
//! (`PROMBOARD_BENCH_ONLY=large scripts/bench`) measures the page's longest tasks there. Prints
//! figures and asserts nothing (`cargo bench --bench editing`).

#![allow(clippy::print_stdout, reason = "a benchmark reports on stdout")]

#[path = "large_dashboard.rs"]
mod large_dashboard;

use promboard::datasource::Registry;
use promboard::edit::{Draft, Session, diff, editable_cow, fingerprint, layout::duplicate_panel};
use promboard::model::Dashboard;
use promboard::view::DashboardView;
use serde_json::{Map, Value};
use std::time::Instant;

/// Runs `step` a few times and prints the fastest run.
fn time<T>(label: &str, mut step: impl FnMut() -> T) -> T {
    let mut fastest = f64::INFINITY;
    let mut last = None;
    for _ in 0..5 {
        let started = Instant::now();
        let value = step();
        fastest = fastest.min(started.elapsed().as_secs_f64() * 1000.0);
        last = Some(value);
    }
    println!("  {label:<48} {fastest:>8.1} ms");
    last.expect("ran at least once")
}

fn main() {
    let datasources = Registry::builtin();
    let text = serde_json::to_string_pretty(&large_dashboard::large_dashboard()).expect("serialisable");
    println!(
        "editing bench: {} panels, {:.1} MB of JSON",
        large_dashboard::LARGE_PANELS,
        text.len() as f64 / 1e6
    );
    println!("load");
    let file = time("parse the file", || Dashboard::parse("large.json", &text).expect("valid"));
    let raw: Map<String, Value> = time("copy the document", || file.raw().clone());
    time("fingerprint (draft's base)", || fingerprint(&raw));
    let view = time("derive the view", || DashboardView::from_document(&raw, &datasources));
    let imported = time("  import (inputs, datasources)", || {
        promboard::import::import_provisioned_owned(raw.clone()).dashboard
    });
    let upgraded = time("  upgrade (schema migrations)", || {
        promboard::migrate::upgrade_owned(imported.clone(), &datasources).dashboard
    });
    time("  read panels", || DashboardView::from_upgraded_owned(upgraded.clone()));
    time("  (the copy each of these three starts with)", || upgraded.clone());
    time("visible panels", || view.visible_panels(|_| false).len());
    let positions: Vec<_> = view.panels.iter().map(|p| p.grid_pos).collect();
    time("compact the grid", || promboard::view::compact_vertically(&positions));

    println!("duplicate a panel");
    let session = Session::new(raw.clone());
    let (next, _) = time("duplicate_panel (the edit)", || {
        duplicate_panel(&editable_cow(&session.current, &datasources), 2).expect("panel 2 exists")
    });
    time("diff current → next", || diff(&session.current, &next).len());
    time("keep key order", || {
        let mut n = next.clone();
        promboard::edit::keep_key_order(&session.current, &mut n);
        n.len()
    });
    time("clone session and next", || (session.clone(), next.clone()));
    time("commit (key order, diff, replace)", || {
        let mut s = session.clone();
        s.commit("Duplicate", next.clone())
    });
    let mut edited = session.clone();
    edited.commit("Duplicate", next.clone());
    time("is modified (compare with the file)", || edited.is_modified());
    time("draft text", || {
        Draft::storage_text("bench-large", "large.json", 0, Some("0"), &edited.current).len()
    });
    time("derive the view again", || DashboardView::from_document(&edited.current, &datasources));
    time("undo", || {
        let mut s = edited.clone();
        s.undo()
    });

    println!("export");
    let current = file.edited(edited.current.clone());
    time("as is (the file's text with the edit)", || current.to_file_text().len());
    time("changes from the file", || {
        promboard::edit::describe(&diff(&edited.original, &edited.current)).len()
    });
}
