//! The one registry of what promboard can show. The renderer ([`crate::view`]) and `promboard check`
//! both read it, so the CLI can never claim support the app lacks.

use crate::variables::VariableKind;
use crate::view::{DashboardView, PanelKind, PanelView};
use serde_json::{Map, Value};

/// Panel types drawn as a time series (legacy `graph` included).
pub const TIME_SERIES_PANEL_TYPES: &[&str] = &["timeseries", "graph"];
/// Panel types that show reduced values.
pub const STAT_PANEL_TYPES: &[&str] = &["stat", "gauge", "bargauge", "piechart", "table", "heatmap"];
/// Panel types that show their own content (the alert list reads Prometheus's alerts itself).
pub const CONTENT_PANEL_TYPES: &[&str] = &["text", "alertlist"];
/// Panel types that only structure the grid.
pub const LAYOUT_PANEL_TYPES: &[&str] = &["row"];

pub fn panel_type_is_supported(type_name: &str) -> bool {
    TIME_SERIES_PANEL_TYPES.contains(&type_name)
        || STAT_PANEL_TYPES.contains(&type_name)
        || CONTENT_PANEL_TYPES.contains(&type_name)
        || LAYOUT_PANEL_TYPES.contains(&type_name)
}

/// Something in a dashboard, at a JSON path, and what about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub json_path: String,
    pub what: String,
}

/// Everything in the dashboard that the app does not render yet, with where it is.
pub fn unsupported_features(view: &DashboardView, raw: &Map<String, Value>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut visit = |panel: &PanelView| {
        if let PanelKind::Other(type_name) = &panel.kind {
            let what = if type_name.is_empty() {
                "panel without a type".to_string()
            } else {
                format!("panel type {type_name:?}")
            };
            findings.push(Finding { json_path: panel.json_path.clone(), what });
        }
    };
    for panel in &view.panels {
        visit(panel);
        panel.children.iter().for_each(&mut visit);
    }
    for variable in crate::variables::read_variables(raw) {
        if let VariableKind::Unsupported(kind) = &variable.kind {
            findings.push(Finding {
                json_path: variable.json_path.clone(),
                what: format!("template variable {:?} of type {kind:?}", variable.name),
            });
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Dashboard;

    #[test]
    fn findings_name_their_json_paths() {
        let dashboard = Dashboard::parse(
            "t.json",
            r#"{"panels":[{"id":1,"type":"geomap"},
                          {"id":2,"type":"row","collapsed":true,"panels":[
                              {"id":3,"type":"graph","targets":[{"expr":"up{job=\"$job\"}"},{"expr":"rate(x[$__rate_interval])","instant":true}]}]}],
                "templating":{"list":[{"name":"job","type":"query"},{"name":"f","type":"switch"}]}}"#,
        )
        .expect("parses");
        let view = DashboardView::from_model(&dashboard);
        let findings: Vec<(String, String)> =
            unsupported_features(&view, dashboard.raw()).into_iter().map(|f| (f.json_path, f.what)).collect();
        assert_eq!(
            findings,
            vec![
                ("panels[0]".to_string(), "panel type \"geomap\"".to_string()),
                ("templating.list[1]".into(), "template variable \"f\" of type \"switch\"".into()),
            ]
        );
    }

    #[test]
    fn registry() {
        assert!(panel_type_is_supported("graph") && panel_type_is_supported("row"));
        assert!(panel_type_is_supported("stat") && panel_type_is_supported("gauge"));
        assert!(panel_type_is_supported("table") && panel_type_is_supported("piechart"));
        assert!(!panel_type_is_supported("geomap"));
    }
}
