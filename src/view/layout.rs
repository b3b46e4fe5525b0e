//! Grafana's dashboard grid: 24 columns, 30 px rows, and vertical compaction (panels float up until
//! they touch another panel, as react-grid-layout does in Grafana).

use serde_json::Value;

pub const GRID_COLUMNS: i64 = 24;
pub const GRID_ROW_HEIGHT_PX: i64 = 30;
/// Gap between panels, in CSS px (Grafana's GRID_CELL_VMARGIN).
pub const GRID_MARGIN_PX: i64 = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridPos {
    pub x: i64,
    pub y: i64,
    pub w: i64,
    pub h: i64,
}

impl GridPos {
    /// Reads `gridPos`, with Grafana's defaults (w 12, h 8) and clamping into the 24 columns.
    pub fn from_json(value: Option<&Value>) -> GridPos {
        let field = |key: &str, default: i64| {
            value.and_then(|v| v.get(key)).and_then(super::lenient::as_i64).unwrap_or(default)
        };
        let w = field("w", 12).clamp(1, GRID_COLUMNS);
        let x = field("x", 0).clamp(0, GRID_COLUMNS - w);
        GridPos { x, y: field("y", 0).max(0), w, h: field("h", 8).max(1) }
    }

    fn overlaps(&self, other: &GridPos) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }
}

/// Moves every panel up as far as it can go without overlapping a panel placed before it, in
/// (y, x) order. Returns the compacted positions in the input order.
pub fn compact_vertically(positions: &[GridPos]) -> Vec<GridPos> {
    let mut order: Vec<usize> = (0..positions.len()).collect();
    order.sort_by_key(|&i| (positions[i].y, positions[i].x));
    let mut placed: Vec<GridPos> = Vec::with_capacity(positions.len());
    let mut result = positions.to_vec();
    for index in order {
        let mut position = positions[index];
        position.y = 0;
        while let Some(blocker) = placed.iter().find(|p| p.overlaps(&position)) {
            position.y = blocker.y + blocker.h;
        }
        placed.push(position);
        result[index] = position;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(x: i64, y: i64, w: i64, h: i64) -> GridPos {
        GridPos { x, y, w, h }
    }

    #[test]
    fn compaction_floats_panels_up_to_the_nearest_panel_above() {
        let compacted = compact_vertically(&[pos(0, 0, 12, 8), pos(12, 5, 12, 4), pos(0, 20, 24, 3)]);
        assert_eq!(compacted, vec![pos(0, 0, 12, 8), pos(12, 0, 12, 4), pos(0, 8, 24, 3)]);
    }

    #[test]
    fn grid_pos_defaults_and_clamps() {
        let json = serde_json::json!({"x": 20, "y": "3", "w": 12});
        assert_eq!(GridPos::from_json(Some(&json)), pos(12, 3, 12, 8));
        assert_eq!(GridPos::from_json(None), pos(0, 0, 12, 8));
    }
}
