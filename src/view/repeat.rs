//! Grafana's repeated panels: a panel with `repeat: "var"` shows once per selected value of that
//! variable (every option for All), each copy with the variable set to its one value, laid out
//! side by side (`repeatDirection: "h"`, at most `maxPerRow` a row, Grafana's default 4) or stacked
//! (`"v"`). Pure: the app passes the values and renders what comes back.

use super::PanelView;
use super::layout::{GRID_COLUMNS, GridPos};

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
    pub scoped: Option<(String, String)>,
}

/// Expands repeated panels. `values_of` gives a variable's current values (all its options when
/// All is selected); a variable with no values leaves the panel shown once, unscoped.
pub fn expand_repeats(panels: &[&PanelView], values_of: &dyn Fn(&str) -> Vec<String>) -> Vec<Shown> {
    let mut shown = Vec::new();
    for panel in panels {
        // Rows repeat with their panels in Grafana; promboard shows a repeated row once.
        let is_row = matches!(panel.kind, super::PanelKind::Row { .. });
        let values =
            panel.repeat.as_ref().filter(|_| !is_row).map(|r| values_of(&r.variable)).unwrap_or_default();
        let (Some(repeat), false) = (&panel.repeat, values.is_empty()) else {
            shown.push(Shown { key: panel.json_path.clone(), panel: (*panel).clone(), scoped: None });
            continue;
        };
        let origin = panel.grid_pos;
        let count = values.len() as i64;
        let max_per_row = repeat.max_per_row.filter(|m| *m > 0).unwrap_or(4);
        let width =
            if repeat.vertical { origin.w } else { (GRID_COLUMNS / count).max(GRID_COLUMNS / max_per_row) };
        let (mut x, mut y) = (0, origin.y);
        for (index, value) in values.into_iter().enumerate() {
            let mut copy = (*panel).clone();
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
            shown.push(Shown {
                key: format!("{}#{value}", panel.json_path),
                panel: copy,
                scoped: Some((repeat.variable.clone(), value)),
            });
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Dashboard;
    use crate::view::DashboardView;

    fn view(panels: &str) -> DashboardView {
        DashboardView::from_model(&Dashboard::parse("t.json", &format!(r#"{{"panels":{panels}}}"#)).unwrap())
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
        type Summary = (String, i64, GridPos, Option<(String, String)>);
        let summary: Vec<Summary> =
            shown.iter().map(|s| (s.key.clone(), s.panel.id, s.panel.grid_pos, s.scoped.clone())).collect();
        let scoped = |v: &str| Some(("code".to_string(), v.to_string()));
        assert_eq!(
            summary,
            vec![
                ("panels[0]#200".into(), 2, GridPos { x: 0, y: 4, w: 12, h: 5 }, scoped("200")),
                ("panels[0]#404".into(), 2001, GridPos { x: 12, y: 4, w: 12, h: 5 }, scoped("404")),
                ("panels[0]#500".into(), 2002, GridPos { x: 0, y: 9, w: 12, h: 5 }, scoped("500")),
                ("panels[1]".into(), 3, GridPos { x: 0, y: 9, w: 24, h: 3 }, None),
            ]
        );
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
        assert_eq!((once.len(), once[0].scoped.clone()), (1, None));
    }
}
