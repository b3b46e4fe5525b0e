//! Grafana's repeated panels: a panel with `repeat: "var"` shows once per selected value of that
//! variable (every option for All), each copy with the variable set to its one value, laid out
//! side by side (`repeatDirection: "h"`, at most `maxPerRow` a row, Grafana's default 4) or stacked
//! (`"v"`). A repeated row repeats with the panels under it (up to the next row), each copy of
//! the section below the one before, and everything after moves down to make room. Pure: the app
//! passes the values and renders what comes back.

use super::PanelView;
use super::layout::{GRID_COLUMNS, GridPos};
use std::collections::HashMap;

/// How a panel repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    pub variable: String,
    pub vertical: bool,
    pub max_per_row: Option<i64>,
}

/// One panel to show: the panel (a repeated copy has its own position and, after the first, its
/// own id) and, for a copy, the variable it repeats over and its value there.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    /// Unique per shown panel: the JSON path, with `#value` for repeated copies.
    pub key: String,
    pub panel: PanelView,
    /// The variables this copy sees set to one value: a repeated row's, then a repeated panel's.
    pub scoped: Vec<(String, String)>,
}

/// Expands repeated rows and panels. `values_of` gives a variable's current values (all its
/// options when All is selected); a variable with no values leaves the row or panel shown once.
pub fn expand_repeats(panels: &[&PanelView], values_of: &dyn Fn(&str) -> Vec<String>) -> Vec<Shown> {
    let mut shown = Vec::new();
    // How far everything below a repeated row moves down, in grid rows.
    let mut shift = 0;
    let mut index = 0;
    while index < panels.len() {
        let panel = panels[index];
        let is_row = matches!(panel.kind, super::PanelKind::Row { .. });
        let row_values =
            panel.repeat.as_ref().filter(|_| is_row).map(|r| values_of(&r.variable)).unwrap_or_default();
        if !is_row || row_values.is_empty() {
            let moved = PanelView {
                grid_pos: GridPos { y: panel.grid_pos.y + shift, ..panel.grid_pos },
                ..panel.clone()
            };
            shown.extend(expand_panel(&moved, &panel.json_path, values_of, &[]));
            index += 1;
            continue;
        }
        // The row's section: the panels after it, up to the next row.
        let end = panels[index + 1..]
            .iter()
            .position(|p| matches!(p.kind, super::PanelKind::Row { .. }))
            .map_or(panels.len(), |offset| index + 1 + offset);
        let section = &panels[index..end];
        let top = panel.grid_pos.y;
        let height = section.iter().map(|p| p.grid_pos.y + p.grid_pos.h).max().unwrap_or(top + 1) - top;
        let variable = panel.repeat.as_ref().map(|r| r.variable.clone()).unwrap_or_default();
        for (copy_index, value) in row_values.iter().enumerate() {
            let offset = shift + copy_index as i64 * height;
            let scope = [(variable.clone(), value.clone())];
            for member in section {
                let mut copy = (*member).clone();
                copy.grid_pos.y += offset;
                // The row keeps its id (collapsing one copy collapses them all); panels after the
                // first copy get ids of their own, as Grafana's repeats do.
                if copy_index > 0 && !matches!(copy.kind, super::PanelKind::Row { .. }) {
                    copy.id = member.id * 1000 + copy_index as i64;
                }
                let key = format!("{}#{value}", member.json_path);
                shown.extend(expand_panel(&copy, &key, values_of, &scope));
            }
        }
        shift += (row_values.len() as i64 - 1) * height;
        index = end;
    }
    shown
}

/// One panel, or its copies when it repeats (rows do not, here: see [`expand_repeats`]).
fn expand_panel(
    panel: &PanelView,
    key: &str,
    values_of: &dyn Fn(&str) -> Vec<String>,
    scope: &[(String, String)],
) -> Vec<Shown> {
    let is_row = matches!(panel.kind, super::PanelKind::Row { .. });
    let values =
        panel.repeat.as_ref().filter(|_| !is_row).map(|r| values_of(&r.variable)).unwrap_or_default();
    let (Some(repeat), false) = (&panel.repeat, values.is_empty() || is_row) else {
        return vec![Shown { key: key.to_string(), panel: panel.clone(), scoped: scope.to_vec() }];
    };
    let origin = panel.grid_pos;
    let count = values.len() as i64;
    let max_per_row = repeat.max_per_row.filter(|m| *m > 0).unwrap_or(4);
    // At least one column wide, however many copies there are or maxPerRow allows.
    let width = if repeat.vertical {
        origin.w
    } else {
        (GRID_COLUMNS / count).max(GRID_COLUMNS / max_per_row).max(1)
    };
    let (mut x, mut y) = (0, origin.y);
    let mut copies = Vec::with_capacity(values.len());
    for (index, value) in values.into_iter().enumerate() {
        let mut copy = panel.clone();
        copy.grid_pos = if repeat.vertical {
            GridPos { y: origin.y + index as i64 * origin.h, ..origin }
        } else {
            let position = GridPos { x, y, w: width, h: origin.h };
            x += width;
            if x + width > GRID_COLUMNS {
                x = 0;
                y += origin.h;
            }
            position
        };
        if index > 0 {
            copy.id = panel.id * 1000 + index as i64;
        }
        let mut scoped = scope.to_vec();
        scoped.push((repeat.variable.clone(), value.clone()));
        copies.push(Shown { key: format!("{key}#{value}"), panel: copy, scoped });
    }
    copies
}

/// A key for a shown panel that changes when its JSON does, but not when it only moves or when
/// panels before it come and go: its id, the variable values a repeated copy has, and the hash of
/// the panel's JSON without its position ([`PanelView::content_hash`]).
fn content_key(shown: &Shown) -> String {
    let scope: String = shown.scoped.iter().map(|(name, value)| format!("#{name}={value}")).collect();
    format!("{}{scope}@{:x}", shown.panel.id, shown.panel.content_hash)
}

/// Gives every shown panel its [`content_key`], made unique (a file may repeat an id): the page
/// keeps a panel's component (and its data) while its key stays.
pub fn content_keys<T>(shown: Vec<(Shown, T)>) -> Vec<(Shown, T)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    shown
        .into_iter()
        .map(|(mut shown, position)| {
            let key = content_key(&shown);
            let count = seen.entry(key.clone()).or_insert(0);
            *count += 1;
            shown.key = if *count == 1 { key } else { format!("{key}~{count}") };
            (shown, position)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasource::Registry;
    use crate::model::Dashboard;
    use crate::view::DashboardView;

    fn view(panels: &str) -> DashboardView {
        DashboardView::from_model(
            &Dashboard::parse("t.json", &format!(r#"{{"panels":{panels}}}"#)).unwrap(),
            &Registry::builtin(),
        )
    }

    #[test]
    fn horizontal_repeats_share_the_row_and_wrap_at_max_per_row() {
        let dashboard = view(
            r#"[{"id":2,"type":"stat","title":"Code $code","repeat":"code","repeatDirection":"h","maxPerRow":2,
                 "gridPos":{"x":0,"y":4,"w":8,"h":5}},
                {"id":3,"type":"stat","gridPos":{"x":0,"y":9,"w":24,"h":3}}]"#,
        );
        let panels: Vec<&PanelView> = dashboard.panels.iter().collect();
        let shown = expand_repeats(&panels, &|name| {
            if name == "code" { vec!["200".into(), "404".into(), "500".into()] } else { vec![] }
        });
        type Summary = (String, i64, GridPos, Vec<(String, String)>);
        let summary: Vec<Summary> =
            shown.iter().map(|s| (s.key.clone(), s.panel.id, s.panel.grid_pos, s.scoped.clone())).collect();
        let scoped = |v: &str| vec![("code".to_string(), v.to_string())];
        assert_eq!(
            summary,
            vec![
                ("panels[0]#200".into(), 2, GridPos { x: 0, y: 4, w: 12, h: 5 }, scoped("200")),
                ("panels[0]#404".into(), 2001, GridPos { x: 12, y: 4, w: 12, h: 5 }, scoped("404")),
                ("panels[0]#500".into(), 2002, GridPos { x: 0, y: 9, w: 12, h: 5 }, scoped("500")),
                ("panels[1]".into(), 3, GridPos { x: 0, y: 9, w: 24, h: 3 }, vec![]),
            ]
        );
    }

    #[test]
    fn content_keys_change_with_the_json_not_the_position_and_stay_unique() {
        let keys = |panels: &str| {
            let dashboard = view(panels);
            let panels: Vec<&PanelView> = dashboard.panels.iter().collect();
            let shown = expand_repeats(&panels, &|_| vec!["a".into(), "b".into()]);
            content_keys(shown.into_iter().map(|s| (s, ())).collect())
                .into_iter()
                .map(|(s, _)| s.key)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
        };
        let before = keys(
            r#"[{"id":1,"type":"stat","title":"A","gridPos":{"x":0,"y":0,"w":6,"h":4}},
                              {"id":2,"type":"stat","title":"B","repeat":"h","gridPos":{"x":6,"y":0,"w":6,"h":4}}]"#,
        );
        let moved = keys(
            r#"[{"id":1,"type":"stat","title":"A","gridPos":{"x":12,"y":9,"w":6,"h":4}},
                             {"id":2,"type":"stat","title":"B","repeat":"h","gridPos":{"x":6,"y":0,"w":6,"h":4}}]"#,
        );
        let edited = keys(
            r#"[{"id":1,"type":"stat","title":"A2","gridPos":{"x":0,"y":0,"w":6,"h":4}},
                              {"id":2,"type":"stat","title":"B","repeat":"h","gridPos":{"x":6,"y":0,"w":6,"h":4}}]"#,
        );
        assert_eq!(before, moved, "a panel that only moves keeps its key");
        let changed: Vec<&String> = edited.iter().filter(|key| !before.contains(key)).collect();
        assert!(
            changed.len() == 1 && changed[0].starts_with("1@"),
            "only the edited panel gets a new key: {edited:?}"
        );
        assert!(
            before[0].starts_with("1@")
                && before[1].starts_with("2#h=a@")
                && before[2].starts_with("2001#h=b@"),
            "{before:?}"
        );
        let twice = keys(r#"[{"id":7,"type":"text"},{"id":7,"type":"text"}]"#);
        assert_eq!(twice[1], format!("{}~2", twice[0]), "the same id and JSON twice stay apart");
    }

    #[test]
    fn vertical_repeats_stack_and_no_values_show_the_panel_once() {
        let dashboard = view(
            r#"[{"id":1,"type":"stat","repeat":"host","repeatDirection":"v","gridPos":{"x":6,"y":0,"w":6,"h":4}}]"#,
        );
        let panels: Vec<&PanelView> = dashboard.panels.iter().collect();
        let stacked = expand_repeats(&panels, &|_| vec!["a".into(), "b".into()]);
        assert_eq!(stacked[1].panel.grid_pos, GridPos { x: 6, y: 4, w: 6, h: 4 });
        let once = expand_repeats(&panels, &|_| vec![]);
        assert_eq!((once.len(), once[0].scoped.clone()), (1, vec![]));
    }

    #[test]
    fn repeated_rows_repeat_their_section_and_push_the_rest_down() {
        let dashboard = view(
            r#"[{"id":1,"type":"row","title":"Host $host","repeat":"host","gridPos":{"x":0,"y":0,"w":24,"h":1}},
                {"id":2,"type":"stat","repeat":"code","gridPos":{"x":0,"y":1,"w":12,"h":4}},
                {"id":3,"type":"timeseries","gridPos":{"x":12,"y":1,"w":12,"h":6}},
                {"id":4,"type":"row","title":"After","gridPos":{"x":0,"y":7,"w":24,"h":1}},
                {"id":5,"type":"stat","gridPos":{"x":0,"y":8,"w":24,"h":3}}]"#,
        );
        let panels: Vec<&PanelView> = dashboard.panels.iter().collect();
        let shown = expand_repeats(&panels, &|name| match name {
            "host" => vec!["a".into(), "b".into()],
            "code" => vec!["200".into()],
            _ => vec![],
        });
        type Summary = (String, i64, i64, Vec<(String, String)>);
        let summary: Vec<Summary> =
            shown.iter().map(|s| (s.key.clone(), s.panel.id, s.panel.grid_pos.y, s.scoped.clone())).collect();
        let host = |v: &str| ("host".to_string(), v.to_string());
        let code = ("code".to_string(), "200".to_string());
        assert_eq!(
            summary,
            vec![
                ("panels[0]#a".into(), 1, 0, vec![host("a")]),
                ("panels[1]#a#200".into(), 2, 1, vec![host("a"), code.clone()]),
                ("panels[2]#a".into(), 3, 1, vec![host("a")]),
                ("panels[0]#b".into(), 1, 7, vec![host("b")]),
                ("panels[1]#b#200".into(), 2001, 8, vec![host("b"), code]),
                ("panels[2]#b".into(), 3001, 8, vec![host("b")]),
                ("panels[3]".into(), 4, 14, vec![]),
                ("panels[4]".into(), 5, 15, vec![]),
            ]
        );
    }
}
