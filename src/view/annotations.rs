//! The dashboard's annotation queries (`annotations.list`) as the renderer needs them: which are
//! on, shown as toggles, in which colour, on which panels, and what a Prometheus annotation asks
//! (`expr`, `step`, `titleFormat`, `textFormat`, `tagKeys`, `useValueForTime`). Read tolerantly
//! from the upgraded document; the events themselves are [`crate::annotations`]' job.

use crate::datasource::{referenced_type, speaks_promql};
use crate::json::{as_bool, as_i64, as_str};
use serde_json::{Map, Value};

/// Grafana's default annotation step (`ANNOTATION_QUERY_STEP_DEFAULT`).
pub const DEFAULT_STEP: &str = "60s";
/// What the built-in "Annotations & Alerts" entry shows here, with no Grafana database: the alerts
/// that fired, from Prometheus's own `ALERTS` series, as regions named by alert.
pub const BUILT_IN_EXPR: &str = "ALERTS{alertstate=\"firing\"}";

/// Which panels an annotation is drawn on (`filter`): all, only `ids`, or all but `ids`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PanelFilter {
    pub exclude: bool,
    pub ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AnnotationQuery {
    pub name: String,
    pub json_path: String,
    /// On when the dashboard opens (`enable`).
    pub enabled: bool,
    /// No toggle above the panels (`hide`).
    pub hidden: bool,
    pub color: String,
    pub datasource: Value,
    /// Grafana's built-in "Annotations & Alerts" entry (`builtIn: 1`).
    pub built_in: bool,
    pub expr: String,
    pub step: String,
    pub title_format: String,
    pub text_format: String,
    pub tag_keys: Vec<String>,
    pub use_value_for_time: bool,
    pub filter: Option<PanelFilter>,
}

impl AnnotationQuery {
    /// Whether the annotation is drawn on panel `id`.
    pub fn shows_on(&self, panel_id: i64) -> bool {
        match &self.filter {
            None => true,
            Some(filter) => filter.ids.contains(&panel_id) != filter.exclude,
        }
    }

    /// Whether promboard can ask Prometheus for it: the built-in entry (as alert history) or a
    /// query with an expression on a datasource that speaks PromQL. Others (a Loki or tag query,
    /// say) are listed but not run.
    pub fn runs_here(&self) -> bool {
        self.built_in
            || (!self.expr.trim().is_empty() && referenced_type(&self.datasource).is_none_or(speaks_promql))
    }
}

/// The annotation queries of an upgraded dashboard, in order.
pub fn read_annotations(dashboard: &Map<String, Value>) -> Vec<AnnotationQuery> {
    let Some(list) = dashboard.get("annotations").and_then(|a| a.get("list")).and_then(Value::as_array)
    else {
        return Vec::new();
    };
    list.iter()
        .enumerate()
        .filter_map(|(index, entry)| Some((index, entry.as_object()?)))
        .map(|(index, entry)| {
            // Newer files (and v2's) keep the query's fields in `target`; older ones at the top.
            let target = entry.get("target").and_then(Value::as_object);
            let field = |key: &str| entry.get(key).or_else(|| target.and_then(|t| t.get(key)));
            let text = |key: &str| field(key).and_then(as_str).unwrap_or("").to_string();
            let flag = |key: &str| field(key).and_then(as_bool).unwrap_or(false);
            let built_in = entry.get("builtIn").and_then(as_i64) == Some(1);
            let filter = entry.get("filter").and_then(Value::as_object).map(|filter| PanelFilter {
                exclude: filter.get("exclude").and_then(as_bool).unwrap_or(false),
                ids: filter
                    .get("ids")
                    .and_then(Value::as_array)
                    .map(|ids| ids.iter().filter_map(as_i64).collect())
                    .unwrap_or_default(),
            });
            let step = text("step");
            AnnotationQuery {
                name: text("name"),
                json_path: format!("annotations.list[{index}]"),
                enabled: entry.get("enable").and_then(as_bool).unwrap_or(true),
                hidden: flag("hide"),
                color: Some(text("iconColor")).filter(|c| !c.is_empty()).unwrap_or_else(|| "red".into()),
                datasource: entry.get("datasource").cloned().unwrap_or(Value::Null),
                built_in,
                expr: if built_in { BUILT_IN_EXPR.into() } else { text("expr") },
                step: if step.trim().is_empty() { DEFAULT_STEP.into() } else { step },
                title_format: if built_in { "{{alertname}}".into() } else { text("titleFormat") },
                text_format: text("textFormat"),
                tag_keys: field("tagKeys")
                    .and_then(as_str)
                    .map(|keys| {
                        keys.split(',').map(str::trim).filter(|k| !k.is_empty()).map(str::to_string).collect()
                    })
                    .unwrap_or_default(),
                use_value_for_time: flag("useValueForTime"),
                filter,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn annotation_queries_are_read_as_grafana_writes_them() {
        let dashboard = json!({"annotations": {"list": [
            {"builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "enable": true, "hide": true,
             "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts", "type": "dashboard"},
            {"datasource": {"uid": "prometheus"}, "enable": "false", "expr": "changes(up[5m]) > 0", "step": "",
             "titleFormat": "{{job}} restarted", "tagKeys": "job, instance,", "name": "Restarts",
             "filter": {"exclude": true, "ids": [3]}},
            {"datasource": {"type": "loki", "uid": "L"}, "expr": "{job=\"x\"} |= \"error\"", "name": "Log errors"},
            "not an object"
        ]}});
        let list = read_annotations(dashboard.as_object().unwrap());
        assert_eq!(list.len(), 3);
        assert!(!list[2].runs_here(), "LogQL is not sent to Prometheus");
        assert!(list[0].built_in && list[0].hidden && list[0].enabled && list[0].runs_here());
        assert_eq!((list[0].expr.as_str(), list[0].title_format.as_str()), (BUILT_IN_EXPR, "{{alertname}}"));
        let restarts = &list[1];
        assert!(!restarts.enabled && !restarts.hidden);
        assert_eq!((restarts.step.as_str(), restarts.color.as_str()), (DEFAULT_STEP, "red"));
        assert_eq!(restarts.tag_keys, ["job", "instance"]);
        assert!(restarts.shows_on(1) && !restarts.shows_on(3));
        assert_eq!(restarts.json_path, "annotations.list[1]");
    }
}
