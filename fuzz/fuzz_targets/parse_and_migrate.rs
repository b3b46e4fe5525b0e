//! Any bytes through the whole loading path must give a value or an error, never a panic: parse,
//! the lossless check, import of inputs, every migration, the view, the support findings, the
//! export for sharing and the CLI report; and the provisioning YAML (datasources.yaml) and a
//! Prometheus answer body; the PromQL editor's helpers; and editing: the patches between a
//! dashboard and its upgraded copy must turn one into the other and back exactly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use promboard::model::{round_trip_is_lossless, Dashboard};
use promboard::view::DashboardView;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // Text users type into URLs, query boxes and text panels goes through these too.
    let _ = promboard::time::TimeRange::resolve(text, "now", 1_767_225_600_000);
    let _ = promboard::variables::interpolate(text, &|name| {
        (name == "v").then(|| promboard::variables::Replacement::Plain("x".into()))
    });
    let _ = promboard::query::add_label_matchers(
        text,
        &[promboard::query::AdhocFilter { key: "k".into(), operator: "=~".into(), value: "v".into() }],
    );
    let _ = promboard::panels::text::markdown_to_html(text);
    let _ = promboard::panels::text::sanitize_html(text);
    let _ = promboard::variables::prometheus::parse_variable_query(text);
    let _ = promboard::datasource::Registry::from_provisioning(text);
    let _ = promboard::prom::decode_query_response("fuzz", 200, data);
    let _ = promboard::query::promql_assist::syntax_problem(text);
    for cursor in [0, text.len() / 2, text.len()] {
        if text.is_char_boundary(cursor) {
            let _ = promboard::query::promql_assist::completion_at(text, cursor);
        }
    }
    let _ = round_trip_is_lossless("fuzz.json", text);
    let Ok(dashboard) = Dashboard::parse("fuzz.json", text) else { return };
    let view = DashboardView::from_model(&dashboard);
    let _ = promboard::support::unsupported_features(&view, dashboard.raw());
    let _ = view.visible_panels(|_| false);
    let _ = promboard::export::for_sharing(dashboard.raw());
    let _ = promboard::import::import(dashboard.raw(), &Default::default());
    let _ = promboard::cli::check_text("fuzz.json", text);
    let upgraded = promboard::migrate::upgrade(dashboard.raw()).dashboard;
    let mut session = promboard::edit::Session::new(dashboard.raw().clone());
    session.commit("upgrade", upgraded.clone());
    assert_eq!(session.current, upgraded, "the patches give the upgraded copy");
    session.undo();
    let text_of = |map: &serde_json::Map<String, serde_json::Value>| serde_json::to_string(map).unwrap_or_default();
    assert_eq!(text_of(&session.current), text_of(dashboard.raw()), "undo gives the file back, key order too");
    session.redo();
    assert_eq!(session.current, upgraded, "redo gives the upgrade again");
});
