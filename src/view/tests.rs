use super::*;
use crate::datasource::Registry;

fn view_of(json: &str) -> DashboardView {
    DashboardView::from_model(&Dashboard::parse("test.json", json).expect("valid JSON"), &Registry::builtin())
}

#[test]
fn reads_title_uid_tags_time_and_refresh() {
    let view = view_of(
        r#"{"uid":"abc","title":"T","tags":["a","b"],"time":{"from":"now-1h","to":"now"},"refresh":"30s"}"#,
    );
    assert_eq!(view.uid.as_deref(), Some("abc"));
    assert_eq!(view.title, "T");
    assert_eq!(view.tags, vec!["a", "b"]);
    assert_eq!((view.time_from.as_str(), view.time_to.as_str()), ("now-1h", "now"));
    assert_eq!(view.refresh.as_deref(), Some("30s"));
    assert_eq!(view.refresh_intervals.first().map(String::as_str), Some("5s"), "Grafana's defaults");
    let custom = view_of(
        r#"{"timepicker":{"refresh_intervals":["1m","1h"]},"panels":[{"targets":[{"expr":"x","intervalFactor":"3"}]}]}"#,
    );
    assert_eq!(custom.refresh_intervals, vec!["1m", "1h"]);
    assert_eq!(custom.panels[0].targets[0].interval_factor, 3);
}

#[test]
fn defaults_when_keys_are_missing_or_empty() {
    let view = view_of(r#"{"refresh":"","uid":""}"#);
    assert_eq!(view.uid, None);
    assert_eq!(view.title, "Untitled dashboard");
    assert_eq!((view.time_from.as_str(), view.time_to.as_str()), ("now-6h", "now"));
    assert_eq!(view.refresh, None);
}

#[test]
fn reads_panels_targets_and_tolerates_strings_for_numbers() {
    let view = view_of(
        r#"{"panels":[{"id":"7","type":"timeseries","title":"Load","gridPos":{"x":0,"y":0,"w":"12","h":8},
            "interval":"30s","maxDataPoints":"500","fieldConfig":{"defaults":{"unit":"bytes","decimals":"2"}},
            "targets":[{"expr":"up","legendFormat":"{{job}}"},{"refId":"Z","expr":"x","hide":true,"instant":true},
                       {"refId":"Y","expr":"y","instant":true,"range":true}]}]}"#,
    );
    let panel = &view.panels[0];
    assert_eq!(panel.id, 7);
    assert_eq!(panel.kind, PanelKind::TimeSeries);
    assert_eq!(panel.min_interval, "30s");
    assert_eq!(panel.max_data_points, Some(500));
    assert_eq!((panel.unit.as_str(), panel.decimals), ("bytes", Some(2)));
    assert_eq!(panel.targets[0].ref_id, "A");
    assert_eq!(panel.targets[0].legend_format, "{{job}}");
    assert_eq!(panel.targets[1].ref_id, "Z");
    assert!(panel.targets[1].hide && panel.targets[1].instant && !panel.targets[1].both);
    assert!(panel.targets[2].both && !panel.targets[2].instant, "instant and range together are Both");
}

#[test]
fn collapsed_rows_hide_their_panels_until_expanded() {
    let view = view_of(
        r#"{"panels":[{"id":1,"type":"row","collapsed":true,"panels":[{"id":2,"type":"graph"}]},
                      {"id":3,"type":"row","collapsed":false},
                      {"id":4,"type":"stat"}]}"#,
    );
    assert_eq!(view.panels[0].kind, PanelKind::Row { collapsed: true });
    assert_eq!(view.panels[0].children[0].json_path, "panels[0].panels[0]");
    assert_eq!(view.panels[2].kind, PanelKind::Stat);
    let as_in_file = |p: &PanelView| matches!(p.kind, PanelKind::Row { collapsed: true });
    let ids = |collapsed: &dyn Fn(&PanelView) -> bool| {
        view.visible_panels(collapsed).iter().map(|p| p.id).collect::<Vec<_>>()
    };
    assert_eq!(ids(&as_in_file), vec![1, 3, 4]);
    assert_eq!(ids(&|_| false), vec![1, 2, 3, 4]);
    assert_eq!(ids(&|p| p.id == 3), vec![1, 2, 3]);
    assert_eq!(ids(&|_| true), vec![1, 3]);
}

#[test]
fn missing_ids_are_assigned_after_the_highest() {
    let view = view_of(r#"{"panels":[{"type":"graph"},{"id":5,"type":"graph"},{"id":null}]}"#);
    assert_eq!(view.panels.iter().map(|p| p.id).collect::<Vec<_>>(), vec![6, 5, 7]);
    // Found by the dashboard fuzz target: the highest id is the largest there is.
    let view =
        view_of(r#"{"panels":[{"id":9223372036854775807,"type":"graph"},{"type":"graph"},{"id":1},{}]}"#);
    assert_eq!(view.panels.iter().map(|p| p.id).collect::<Vec<_>>(), vec![i64::MAX, 2, 1, 3]);
}

#[test]
fn non_object_panel_is_skipped_with_a_notice_naming_its_path() {
    let view = view_of(r#"{"panels":[42, {"id":1,"type":"graph"}]}"#);
    assert_eq!(view.panels.len(), 1);
    assert_eq!(view.notices[0].json_path, "panels[0]");
    assert!(view.notices[0].message.contains("found a number"), "{:?}", view.notices);
}

#[test]
fn legacy_rows_are_migrated_before_reading() {
    let view = view_of(
        r#"{"rows":[{"title":"One","showTitle":true,"height":"250px","panels":[{"id":1,"type":"graph","span":6}]}]}"#,
    );
    let layout: Vec<(String, GridPos)> =
        view.panels.iter().map(|p| (p.type_name.clone(), p.grid_pos)).collect();
    let g = |x, y, w, h| GridPos { x, y, w, h };
    // The row comes first (Grafana sorts by position after migrating) and is drawn one unit high
    // (its JSON keeps the old row height, 7).
    assert_eq!(layout, vec![("row".into(), g(0, 0, 24, 1)), ("timeseries".into(), g(0, 1, 12, 7))]);
    assert!(view.migration.iter().any(|n| n.json_path == "rows"), "{:?}", view.migration);
}

#[test]
fn a_panels_content_hash_ignores_its_position_and_nothing_else() {
    let hash_of = |panel: &str| view_of(&format!(r#"{{"panels":[{panel}]}}"#)).panels[0].content_hash;
    let panel = r#"{"id":1,"type":"stat","title":"A","gridPos":{"x":0,"y":0,"w":6,"h":4},"options":{"reduceOptions":{"calcs":["last"]}}}"#;
    let moved = panel.replace(r#""x":0,"y":0"#, r#""x":6,"y":9"#);
    assert_eq!(hash_of(panel), hash_of(&moved), "moving a panel keeps its frame");
    for changed in [
        panel.replace(r#""A""#, r#""B""#),
        panel.replace(r#"["last"]"#, r#"["mean"]"#),
        panel.replace(r#""calcs""#, r#""calc""#),
        panel.replace(r#"["last"]"#, r#""last""#),
    ] {
        assert_ne!(hash_of(panel), hash_of(&changed), "{changed}");
    }
    // A collapsed row's nested panels are part of the row.
    let row = |title: &str| {
        format!(r#"{{"id":9,"type":"row","collapsed":true,"panels":[{{"id":2,"title":"{title}"}}]}}"#)
    };
    assert_ne!(hash_of(&row("x")), hash_of(&row("y")));
}
