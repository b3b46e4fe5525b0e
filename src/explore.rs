//! Explore's state, as Grafana keeps it in the URL: `/explore?schemaVersion=1&panes={"<id>":
//! {"datasource": "<uid>", "queries": [{"refId": "A", "expr": "…"}], "range": {"from", "to"}}}`
//! (and the older `?left=`/`?right=` with one pane's JSON each), so links from Grafana and to it
//! keep working. Two panes are Grafana's split view, side by side.
//! The queries become a panel that the app draws with the dashboards' own components. Pure.

use crate::route::{build_query_string, parse_query_string};
use serde_json::{Map, Value, json};

pub const EXPLORE_PATH: &str = "/explore";

/// One query of Explore.
#[derive(Debug, Clone, PartialEq)]
pub struct ExploreQuery {
    pub ref_id: String,
    pub expr: String,
    /// An instant query instead of a range query.
    pub instant: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExploreState {
    /// The datasource's uid; `None` for the default.
    pub datasource: Option<String>,
    pub queries: Vec<ExploreQuery>,
    /// The time range the URL's pane names (`from`/`to` parameters take precedence in the app).
    pub from: Option<String>,
    pub to: Option<String>,
}

/// `A`, `B`, … `Z`, `AA`: the refId Grafana gives the `index`th query.
pub fn ref_id_for(index: usize) -> String {
    let mut index = index;
    let mut name = String::new();
    loop {
        name.insert(0, char::from(b'A' + (index % 26) as u8));
        if index < 26 {
            return name;
        }
        index = index / 26 - 1;
    }
}

/// Queries as Explore writes them (`refId`, `expr`, `instant` and `range`), a missing refId by
/// position; also what the page's query editor holds.
pub fn queries_of(queries: &[Value]) -> Vec<ExploreQuery> {
    queries
        .iter()
        .enumerate()
        .map(|(index, query)| ExploreQuery {
            ref_id: query
                .get("refId")
                .and_then(Value::as_str)
                .map_or_else(|| ref_id_for(index), str::to_string),
            expr: query.get("expr").and_then(Value::as_str).unwrap_or("").to_string(),
            instant: query.get("instant").and_then(Value::as_bool) == Some(true)
                && query.get("range").and_then(Value::as_bool) != Some(true),
        })
        .collect()
}

fn read_pane(pane: &Value) -> ExploreState {
    let datasource = match pane.get("datasource") {
        Some(Value::String(uid)) if !uid.is_empty() => Some(uid.clone()),
        Some(Value::Object(reference)) => reference.get("uid").and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    let queries = queries_of(pane.get("queries").and_then(Value::as_array).map_or(&[][..], Vec::as_slice));
    let range =
        |key: &str| pane.get("range").and_then(|r| r.get(key)).and_then(Value::as_str).map(str::to_string);
    ExploreState { datasource, queries, from: range("from"), to: range("to") }
}

/// The most panes Explore shows side by side, as Grafana's split view.
pub const MAX_PANES: usize = 2;

/// Explore's panes, in the URL's order, each under its key in `panes`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExplorePanes(pub Vec<(String, ExploreState)>);

impl ExplorePanes {
    /// The panes a URL's query string holds: `panes` (at most two), else `left` and `right`; one
    /// pane when it names none, and one empty query in a pane that names none.
    pub fn from_search(search: &str) -> ExplorePanes {
        let params = parse_query_string(search);
        let value_of = |key: &str| params.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        let parsed = |text: &str| serde_json::from_str::<Value>(text).ok();
        let mut panes: Vec<(String, ExploreState)> = match value_of("panes").and_then(parsed) {
            Some(Value::Object(panes)) => {
                panes.iter().map(|(key, pane)| (key.clone(), read_pane(pane))).collect()
            }
            _ => ["left", "right"]
                .into_iter()
                .filter_map(|key| {
                    value_of(key).and_then(parsed).map(|pane| (key.to_string(), read_pane(&pane)))
                })
                .collect(),
        };
        panes.truncate(MAX_PANES);
        if panes.is_empty() {
            panes.push(("a".into(), ExploreState::default()));
        }
        for (_, state) in &mut panes {
            if state.queries.is_empty() {
                state.queries.push(ExploreQuery { ref_id: "A".into(), expr: String::new(), instant: false });
            }
        }
        ExplorePanes(panes)
    }

    /// The URL's query string for these panes (Grafana's current form), with the time range
    /// `from`/`to` as the dashboards keep it.
    pub fn to_search(&self, from: &str, to: &str) -> String {
        let panes: Map<String, Value> =
            self.0.iter().map(|(key, state)| (key.clone(), state.pane_json(from, to))).collect();
        let panes = Value::Object(panes).to_string();
        build_query_string(&[("schemaVersion", "1"), ("panes", &panes), ("from", from), ("to", to)])
    }

    /// A second pane, a copy of the first, under a key of its own (Grafana's "Split").
    pub fn split(&self) -> ExplorePanes {
        let mut panes = self.0.clone();
        if let Some((_, first)) = panes.first().cloned()
            && panes.len() < MAX_PANES
        {
            let key = ["b", "c"].into_iter().find(|k| panes.iter().all(|(used, _)| used != k)).unwrap_or("b");
            panes.push((key.to_string(), first));
        }
        ExplorePanes(panes)
    }
}

impl ExploreState {
    /// The state a URL's query string holds: its first pane ([`ExplorePanes::from_search`]).
    pub fn from_search(search: &str) -> ExploreState {
        ExplorePanes::from_search(search).0.swap_remove(0).1
    }

    /// The URL's query string for this state alone (Grafana's current form), with the time range
    /// `from`/`to` as the dashboards keep it.
    pub fn to_search(&self, from: &str, to: &str) -> String {
        ExplorePanes(vec![("a".into(), self.clone())]).to_search(from, to)
    }

    /// One pane as Grafana writes it in `panes`.
    fn pane_json(&self, from: &str, to: &str) -> Value {
        let queries: Vec<Value> = self
            .queries
            .iter()
            .map(|q| {
                let mut query = Map::new();
                query.insert("refId".into(), json!(q.ref_id));
                query.insert("expr".into(), json!(q.expr));
                if q.instant {
                    query.insert("instant".into(), json!(true));
                    query.insert("range".into(), json!(false));
                }
                Value::Object(query)
            })
            .collect();
        let mut pane = Map::new();
        if let Some(uid) = &self.datasource {
            pane.insert("datasource".into(), json!(uid));
        }
        pane.insert("queries".into(), Value::Array(queries));
        pane.insert("range".into(), json!({ "from": from, "to": to }));
        Value::Object(pane)
    }

    /// The queries as a panel of `type` (`timeseries` for the graph, `table` for the latest
    /// values), which the app draws as it draws a dashboard's.
    pub fn panel(&self, type_name: &str, id: i64) -> Value {
        let datasource = self.datasource.as_ref().map(|uid| json!({ "uid": uid }));
        let targets: Vec<Value> = self
            .queries
            .iter()
            .filter(|q| !q.expr.trim().is_empty())
            .map(|q| {
                let mut target = Map::new();
                target.insert("refId".into(), json!(q.ref_id));
                target.insert("expr".into(), json!(q.expr));
                if let Some(reference) = &datasource {
                    target.insert("datasource".into(), reference.clone());
                }
                // The table shows each series' value now.
                if q.instant || type_name == "table" {
                    target.insert("instant".into(), json!(true));
                    target.insert("range".into(), json!(false));
                }
                Value::Object(target)
            })
            .collect();
        let mut panel = Map::new();
        panel.insert("id".into(), json!(id));
        panel.insert("type".into(), json!(type_name));
        panel.insert("title".into(), json!(if type_name == "table" { "Table" } else { "Graph" }));
        if let Some(reference) = datasource {
            panel.insert("datasource".into(), reference);
        }
        panel.insert("gridPos".into(), json!({ "x": 0, "y": 0, "w": 24, "h": 10 }));
        panel.insert("targets".into(), Value::Array(targets));
        Value::Object(panel)
    }

    /// Explore on a panel's queries as they were sent (variables filled in), from its datasource.
    pub fn for_queries(datasource: Option<&str>, exprs: &[(String, String)]) -> ExploreState {
        ExploreState {
            datasource: datasource.map(str::to_string),
            queries: exprs
                .iter()
                .map(|(ref_id, expr)| ExploreQuery {
                    ref_id: ref_id.clone(),
                    expr: expr.clone(),
                    instant: false,
                })
                .collect(),
            from: None,
            to: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::percent_encode;

    #[test]
    fn grafana_explore_urls_are_read_in_both_forms() {
        let panes = r#"{"x1":{"datasource":"prom","queries":[{"refId":"A","expr":"up"},{"refId":"B","expr":"rate(x[5m])","instant":true,"range":false}],"range":{"from":"now-1h","to":"now"}}}"#;
        let state =
            ExploreState::from_search(&format!("?schemaVersion=1&panes={}&orgId=1", percent_encode(panes)));
        assert_eq!(state.datasource.as_deref(), Some("prom"));
        assert_eq!(state.queries.len(), 2);
        assert!(state.queries[1].instant && !state.queries[0].instant);
        assert_eq!((state.from.as_deref(), state.to.as_deref()), (Some("now-1h"), Some("now")));
        let left = r#"{"datasource":{"type":"prometheus","uid":"vm"},"queries":[{"expr":"up"}],"range":{"from":"now-6h","to":"now"}}"#;
        let state = ExploreState::from_search(&format!("?left={}", percent_encode(left)));
        assert_eq!((state.datasource.as_deref(), state.queries[0].ref_id.as_str()), (Some("vm"), "A"));
        // Nothing (or nonsense) gives one empty query.
        assert_eq!(ExploreState::from_search("?panes=%7Bnot").queries.len(), 1);
    }

    #[test]
    fn two_panes_are_the_split_view() {
        let panes = r#"{"x1":{"queries":[{"refId":"A","expr":"up"}]},"y2":{"datasource":"vm","queries":[{"refId":"A","expr":"sum(x)"}]},"z3":{}}"#;
        let read = ExplorePanes::from_search(&format!("?panes={}", percent_encode(panes)));
        assert_eq!(read.0.len(), 2, "at most two");
        assert_eq!((read.0[0].0.as_str(), read.0[1].1.datasource.as_deref()), ("x1", Some("vm")));
        let back = ExplorePanes::from_search(&read.to_search("now-1h", "now"));
        let content = |panes: &ExplorePanes| -> Vec<(String, Option<String>, Vec<ExploreQuery>)> {
            panes.0.iter().map(|(key, s)| (key.clone(), s.datasource.clone(), s.queries.clone())).collect()
        };
        assert_eq!(content(&back), content(&read));
        assert_eq!(back.0[1].1.from.as_deref(), Some("now-1h"), "each pane carries the range");
        // The older form: left and right.
        let left_right = ExplorePanes::from_search(&format!(
            "?left={}&right={}",
            percent_encode(r#"{"queries":[{"expr":"a"}]}"#),
            percent_encode(r#"{"queries":[{"expr":"b"}]}"#)
        ));
        assert_eq!(
            left_right.0.iter().map(|(_, s)| s.queries[0].expr.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        // Split copies the first pane under a new key; a third is not added.
        let one = ExplorePanes::from_search("");
        let split = one.split();
        assert_eq!(
            (split.0.len(), split.0[1].0.as_str(), split.0[1].1.clone()),
            (2, "b", one.0[0].1.clone())
        );
        assert_eq!(split.split().0.len(), 2);
    }

    #[test]
    fn the_state_round_trips_through_the_url_and_becomes_panels() {
        let state = ExploreState::for_queries(
            Some("prom"),
            &[("A".into(), "up".into()), ("B".into(), "sum(x)".into())],
        );
        let search = state.to_search("now-3h", "now");
        let back = ExploreState::from_search(&search);
        assert_eq!(back.queries, state.queries);
        assert_eq!((back.datasource, back.from.as_deref()), (Some("prom".to_string()), Some("now-3h")));
        let graph = state.panel("timeseries", 1);
        assert_eq!(graph["targets"][1]["expr"], "sum(x)");
        assert_eq!(graph["targets"][0]["datasource"]["uid"], "prom");
        let table = state.panel("table", 2);
        assert_eq!(table["targets"][0]["instant"], true);
        assert_eq!(
            (ref_id_for(0), ref_id_for(25), ref_id_for(26), ref_id_for(27)),
            ("A".into(), "Z".into(), "AA".into(), "AB".into())
        );
    }
}
