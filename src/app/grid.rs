//! The dashboard grid's layout: which panels show where (rows collapsed or not, repeats
//! expanded, compacted, stacked on narrow screens), each panel's box in pixels, and the key a
//! shown panel keeps while only its position changes.

use super::panel::PanelGeometry;
use super::variables::VariableState;
use crate::view::repeat::{Shown, expand_repeats};
use crate::view::{
    DashboardView, GRID_COLUMNS, GRID_MARGIN_PX, GRID_ROW_HEIGHT_PX, GridPos, PanelKind, PanelView,
    compact_vertically,
};
use std::collections::HashMap;

/// A key for a shown panel that changes when its JSON does, but not when it only moves or when
/// panels before it come and go: its id, the variable values a repeated copy has, and the hash of
/// the panel's JSON without its position ([`crate::view::PanelView::content_hash`]).
fn content_key(shown: &Shown) -> String {
    let scope: String = shown.scoped.iter().map(|(name, value)| format!("#{name}={value}")).collect();
    format!("{}{scope}@{:x}", shown.panel.id, shown.panel.content_hash)
}

/// [`content_key`] for every shown panel, made unique (a file may repeat an id).
pub(super) fn content_keys(shown: Vec<(Shown, GridPos)>) -> Vec<(Shown, GridPos)> {
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

/// Visible panels, repeated ones expanded for the variables' current values, with their compacted
/// grid positions.
pub(super) fn grid_layout(
    dashboard: &DashboardView,
    states: &[VariableState],
    is_collapsed: impl Fn(&PanelView) -> bool,
    narrow: bool,
) -> Vec<(Shown, GridPos)> {
    let visible = dashboard.visible_panels(is_collapsed);
    let values_of = |name: &str| {
        states
            .iter()
            .find(|s| s.variable.name == name)
            .map(|s| {
                if s.selection.is_all {
                    s.options.iter().map(|o| o.value.clone()).collect()
                } else {
                    s.selection.values.clone()
                }
            })
            .unwrap_or_default()
    };
    let shown = expand_repeats(&visible, &values_of);
    let positions: Vec<GridPos> = shown.iter().map(|s| s.panel.grid_pos).collect();
    let compacted = compact_vertically(&positions);
    let positions = if narrow {
        let stats: Vec<bool> = shown.iter().map(|s| s.panel.kind == PanelKind::Stat).collect();
        crate::view::stack_narrow(&compacted, &stats)
    } else {
        compacted
    };
    shown.into_iter().zip(positions).collect()
}

/// The variable states with `name` set to the single `value` (a repeated panel's own value).
pub(super) fn with_single_value(
    mut states: Vec<VariableState>,
    name: &str,
    value: &str,
) -> Vec<VariableState> {
    for state in states.iter_mut().filter(|s| s.variable.name == name) {
        let text =
            state.options.iter().find(|o| o.value == value).map_or(value, |o| o.text.as_str()).to_string();
        state.selection.values = vec![value.to_string()];
        state.selection.texts = vec![text];
        state.selection.is_all = false;
        state.selection.multi = false;
    }
    states
}

/// Grafana's grid maths: 24 columns with 8 px gaps, 30 px rows with 8 px gaps.
pub(super) fn geometry_of(pos: GridPos, grid_width: f64) -> PanelGeometry {
    let margin = GRID_MARGIN_PX as f64;
    let column = (grid_width - margin * (GRID_COLUMNS - 1) as f64) / GRID_COLUMNS as f64;
    let row = GRID_ROW_HEIGHT_PX as f64;
    PanelGeometry {
        left: pos.x as f64 * (column + margin),
        top: pos.y as f64 * (row + margin),
        width: pos.w as f64 * column + (pos.w - 1) as f64 * margin,
        height: pos.h as f64 * row + (pos.h - 1) as f64 * margin,
    }
}
