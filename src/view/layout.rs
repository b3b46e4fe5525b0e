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
/// (y, x) order, as react-grid-layout compacts Grafana's grid: a panel slides up until something
/// is in the way (it never jumps over a row into a gap above it), and one that overlaps a panel
/// placed before it moves down below that panel. Returns the positions in the input order.
pub fn compact_vertically(positions: &[GridPos]) -> Vec<GridPos> {
    let mut order: Vec<usize> = (0..positions.len()).collect();
    order.sort_by_key(|&i| (positions[i].y, positions[i].x));
    let mut placed: Vec<GridPos> = Vec::with_capacity(positions.len());
    let mut result = positions.to_vec();
    for index in order {
        let mut position = positions[index];
        // Up to the nearest panel above in the same columns (or the top).
        let floor = placed
            .iter()
            .filter(|p| p.x < position.x + position.w && position.x < p.x + p.w && p.y < position.y)
            .map(|p| p.y + p.h)
            .filter(|bottom| *bottom <= position.y)
            .max()
            .unwrap_or(0);
        position.y = floor;
        while let Some(blocker) = placed.iter().find(|p| p.overlaps(&position)) {
            position.y = blocker.y + blocker.h;
        }
        placed.push(position);
        result[index] = position;
    }
    result
}

/// Below this grid width (CSS px, Grafana's `md` breakpoint) panels stack in one column.
pub const NARROW_GRID_PX: f64 = 769.0;

/// Stat panels kept side by side on a narrow screen, at most this many to a line.
const NARROW_STATS_PER_LINE: usize = 4;

/// The one-column layout of a narrow screen: panels in the given (JSON) order, each the full
/// width at its own height, except that stat panels (`side_by_side`) which shared a line on the
/// wide grid stay side by side, sharing the width — a row of numbers reads as one.
pub fn stack_narrow(positions: &[GridPos], side_by_side: &[bool]) -> Vec<GridPos> {
    let mut result = Vec::with_capacity(positions.len());
    let mut y = 0;
    let mut index = 0;
    while index < positions.len() {
        let mut end = index + 1;
        if side_by_side.get(index) == Some(&true) {
            while end < positions.len()
                && end - index < NARROW_STATS_PER_LINE
                && side_by_side.get(end) == Some(&true)
                && positions[end].y == positions[index].y
            {
                end += 1;
            }
        }
        let count = (end - index) as i64;
        let height = positions[index..end].iter().map(|p| p.h).max().unwrap_or(1);
        let mut x = 0;
        for (offset, position) in positions[index..end].iter().enumerate() {
            // The last of a line takes what the division leaves, so the line fills all 24 columns.
            let w = if offset as i64 == count - 1 { GRID_COLUMNS - x } else { GRID_COLUMNS / count };
            result.push(GridPos { x, y, w, h: if count > 1 { height } else { position.h } });
            x += w;
        }
        y += height;
        index = end;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_screens_stack_panels_but_keep_a_line_of_stats() {
        // A row header, three stats on one line, a graph beside a stat, then a full-width table.
        let wide = [
            pos(0, 0, 24, 1),
            pos(0, 1, 4, 3),
            pos(4, 1, 4, 4),
            pos(8, 1, 4, 3),
            pos(0, 5, 18, 8),
            pos(18, 5, 6, 8),
            pos(0, 13, 24, 6),
        ];
        let stats = [false, true, true, true, false, true, false];
        assert_eq!(
            stack_narrow(&wide, &stats),
            vec![
                pos(0, 0, 24, 1),
                pos(0, 1, 8, 4),
                pos(8, 1, 8, 4),
                pos(16, 1, 8, 4),
                pos(0, 5, 24, 8),
                pos(0, 13, 24, 8),
                pos(0, 21, 24, 6),
            ]
        );
        // Five stats on a line: four, then one on its own.
        let five: Vec<GridPos> = (0..5).map(|i| pos(i * 4, 0, 4, 3)).collect();
        let stacked = stack_narrow(&five, &[true; 5]);
        assert_eq!(stacked[3], pos(18, 0, 6, 3));
        assert_eq!(stacked[4], pos(0, 3, 24, 3));
    }

    fn pos(x: i64, y: i64, w: i64, h: i64) -> GridPos {
        GridPos { x, y, w, h }
    }

    #[test]
    fn compaction_floats_panels_up_to_the_nearest_panel_above() {
        let compacted = compact_vertically(&[pos(0, 0, 12, 8), pos(12, 5, 12, 4), pos(0, 20, 24, 3)]);
        assert_eq!(compacted, vec![pos(0, 0, 12, 8), pos(12, 0, 12, 4), pos(0, 8, 24, 3)]);
    }

    #[test]
    fn panels_do_not_jump_over_a_row_into_a_gap_above_it() {
        // A half-width panel with room beside it, a full-width row, then a panel far below: the
        // last one slides up to just under the row, not into the gap beside the first panel.
        let compacted = compact_vertically(&[pos(0, 0, 8, 4), pos(0, 4, 24, 1), pos(8, 20, 8, 4)]);
        assert_eq!(compacted[2], pos(8, 5, 8, 4));
        // A panel overlapping one placed before it moves below it.
        let pushed = compact_vertically(&[pos(0, 0, 12, 8), pos(6, 2, 12, 4)]);
        assert_eq!(pushed[1], pos(6, 8, 12, 4));
    }

    #[test]
    fn grid_pos_defaults_and_clamps() {
        let json = serde_json::json!({"x": 20, "y": "3", "w": 12});
        assert_eq!(GridPos::from_json(Some(&json)), pos(12, 3, 12, 8));
        assert_eq!(GridPos::from_json(None), pos(0, 0, 12, 8));
    }
}
