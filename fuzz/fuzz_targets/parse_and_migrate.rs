//! Any text through the whole dashboard loading path must give a value or an error, never a
//! panic: parse, the lossless check, import of inputs, every migration, the view, the support
//! findings, the export for sharing and the CLI report; and editing: the patches between a
//! dashboard and its upgraded copy must turn one into the other and back exactly.
//! The other areas have targets of their own (`interpolation`, `prom_decode`,
//! `provisioning_yaml`, `sanitize`, `units`, `promql`), so each gets all of its executions.
#![no_main]

use libfuzzer_sys::fuzz_target;
use promboard::model::{Dashboard, round_trip_is_lossless};
use promboard::view::DashboardView;

fuzz_target!(|data: &[u8]| {
    let registry = promboard::datasource::Registry::builtin();
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = round_trip_is_lossless("fuzz.json", text);
    let Ok(dashboard) = Dashboard::parse("fuzz.json", text) else { return };
    let view = DashboardView::from_model(&dashboard, &registry);
    let _ = promboard::support::unsupported_features(&view, dashboard.raw());
    let _ = view.visible_panels(|_| false);
    let _ = promboard::export::for_sharing(dashboard.raw(), &registry);
    let _ = promboard::import::import(dashboard.raw(), &Default::default());
    let _ = promboard::cli::check_text("fuzz.json", text, &registry);
    let upgraded = promboard::migrate::upgrade(dashboard.raw(), &registry).dashboard;
    let mut session = promboard::edit::Session::new(dashboard.raw().clone());
    session.commit("upgrade", upgraded.clone());
    assert_eq!(session.current, upgraded, "the patches give the upgraded copy");
    session.undo();
    let text_of = |map: &serde_json::Map<String, serde_json::Value>| serde_json::to_string(map).unwrap_or_default();
    assert_eq!(text_of(&session.current), text_of(dashboard.raw()), "undo gives the file back, key order too");
    session.redo();
    assert_eq!(session.current, upgraded, "redo gives the upgrade again");
});
