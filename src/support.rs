//! What in a dashboard promboard does not show yet, with where it is: `promboard check`'s report. Which
//! panel types are drawn is [`crate::panel_types`]' table, the same one the renderer reads, so the CLI
//! can never claim support the app lacks.

use crate::variables;
use crate::variables::VariableKind;
use crate::view::{DashboardView, PanelKind, PanelView};
use serde_json::{Map, Value};

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
    for variable in variables::read_variables(raw) {
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
    use crate::datasource::Registry;
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
        let view = DashboardView::from_model(&dashboard, &Registry::builtin());
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
}
