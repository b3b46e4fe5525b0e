//! Grafana's dashboard grid: 24 columns, 30 px rows, and vertical compaction (panels float up until
//! they touch another panel, as react-grid-layout does in Grafana).

use crate::json;
use crate::sorting;
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
            value.and_then(|v| v.get(key)).and_then(json::as_i64).unwrap_or(default)
        };
        let w = field("w", 12).clamp(1, GRID_COLUMNS);
        let x = field("x", 0).clamp(0, GRID_COLUMNS - w);
        GridPos { x, y: field("y", 0).max(0), w, h: field("h", 8).max(1) }
    }

    /// A row's title: Grafana's grid always draws it one unit high across all 24 columns,
    /// whatever its `gridPos` says (rows upgraded from `rows[]` keep their old height there).
    pub fn row_header(value: Option<&Value>) -> GridPos {
        GridPos { x: 0, w: GRID_COLUMNS, h: 1, ..GridPos::from_json(value) }
    }

    fn overlaps(&self, other: &GridPos) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }
}

/// react-grid-layout's vertical compaction, which is what Grafana's dashboard grid shows: panels
/// are taken in (y, x) order (ties keep the JSON order), each rises one unit at a time until it
/// would touch a panel already placed, and one that overlaps a placed panel is pushed below it —
/// pushing down, before they are placed, the later panels it would land on. That last step is
/// what keeps a panel under its own row: when a duplicated panel pushes the next row's title down,
/// the row's panels go down with it instead of rising into the gap beside the duplicate.
/// Returns the positions in the input order.
pub fn compact_vertically(positions: &[GridPos]) -> Vec<GridPos> {
    let mut order: Vec<usize> = (0..positions.len()).collect();
    // A stable sort: equal (y, x) keep the order of the panels in the file, as in the browser.
    sorting::sort_by_key(&mut order, |&i| (positions[i].y, positions[i].x));
    // The working layout in sorted order; later entries may be pushed down before their turn.
    let mut sorted: Vec<GridPos> = order.iter().map(|&i| positions[i]).collect();
    let mut placed = Placed::default();
    let mut bottom = 0;
    let mut result = positions.to_vec();
    for index in 0..sorted.len() {
        let mut item = sorted[index];
        item.y = item.y.min(bottom);
        while item.y > 0 && placed.first_overlap(&item).is_none() {
            item.y -= 1;
        }
        while let Some(blocker) = placed.first_overlap(&item) {
            push_down(&mut sorted, index, &mut item, blocker.y + blocker.h);
        }
        item.y = item.y.max(0);
        bottom = bottom.max(item.y + item.h);
        placed.add(item);
        result[order[index]] = item;
    }
    result
}

/// Panels taller than this are not indexed by row (a file may say `h: 1000000000`).
const INDEXED_HEIGHT: i64 = 64;

/// The panels compaction has placed, indexed by the grid rows they cover: a dashboard of
/// thousands of panels is compacted in a moment instead of comparing each panel with every one
/// placed before it, at every step it rises.
#[derive(Default)]
struct Placed {
    /// In the order they were placed.
    all: Vec<GridPos>,
    /// Indexes into `all` of the panels covering each row.
    by_row: std::collections::HashMap<i64, Vec<usize>>,
    /// Indexes of the panels too tall to index, checked every time.
    tall: Vec<usize>,
}

impl Placed {
    fn add(&mut self, item: GridPos) {
        let index = self.all.len();
        self.all.push(item);
        if item.h > INDEXED_HEIGHT {
            self.tall.push(index);
        } else {
            for row in item.y..item.y + item.h {
                self.by_row.entry(row).or_default().push(index);
            }
        }
    }

    /// The first placed panel (in the order placed) that `item` overlaps, as react-grid-layout's
    /// `getFirstCollision` finds it.
    fn first_overlap(&self, item: &GridPos) -> Option<GridPos> {
        if item.h > INDEXED_HEIGHT {
            return self.all.iter().find(|p| p.overlaps(item)).copied();
        }
        let rows = (item.y..item.y + item.h).filter_map(|row| self.by_row.get(&row));
        rows.flatten()
            .chain(&self.tall)
            .copied()
            .filter(|&i| self.all[i].overlaps(item))
            .min()
            .map(|i| self.all[i])
    }
}

/// react-grid-layout's `resolveCompactionCollision` on the y axis: before `item` (the entry at
/// `index` of the sorted layout) moves down to `to`, every later entry it would then overlap is
/// moved down below it, recursively. The check is made with the item one unit lower, not at `to`,
/// exactly as the library does.
fn push_down(sorted: &mut [GridPos], index: usize, item: &mut GridPos, to: i64) {
    item.y += 1;
    for other in index + 1..sorted.len() {
        if sorted[other].y > item.y + item.h {
            break;
        }
        if item.overlaps(&sorted[other]) {
            let mut moved = sorted[other];
            push_down(sorted, other, &mut moved, to + item.h);
            sorted[other] = moved;
        }
    }
    item.y = to;
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

    /// Hand-checked against react-grid-layout's `compact` (the steps are in the comments).
    #[test]
    fn a_duplicate_that_pushes_the_next_row_down_takes_that_rows_panels_with_it() {
        // Row A; "Memory Usage" (w 18) and a gauge beside it; its duplicate under it, listed right
        // after it in the file (Grafana's duplicate), starting where row B's title is; row B's panels.
        let file = [
            pos(0, 0, 24, 1), // row A
            pos(0, 1, 18, 7), // Memory Usage
            pos(0, 8, 18, 7), // its duplicate (same y as row B: listed first, so placed first)
            pos(18, 1, 6, 7), // gauge
            pos(0, 8, 24, 1), // row B
            pos(0, 9, 18, 7), // row B's wide panel
            pos(18, 9, 6, 7), // row B's narrow panel: nothing above it in its columns but the gauge
        ];
        assert_eq!(
            compact_vertically(&file),
            vec![
                pos(0, 0, 24, 1),
                pos(0, 1, 18, 7),
                pos(0, 8, 18, 7),
                pos(18, 1, 6, 7),
                // The duplicate pushes row B to 15, and row B pushes both its panels to 16 before
                // they are placed: the narrow one does not rise to 8 beside the duplicate.
                pos(0, 15, 24, 1),
                pos(0, 16, 18, 7),
                pos(18, 16, 6, 7),
            ]
        );
    }

    #[test]
    fn equal_positions_keep_the_file_order_and_later_panels_rise_only_until_blocked() {
        // Two panels at the same place: the first in the file stays, the second goes below it.
        assert_eq!(
            compact_vertically(&[pos(0, 3, 12, 4), pos(0, 3, 12, 4)]),
            vec![pos(0, 0, 12, 4), pos(0, 4, 12, 4)]
        );
        // A row title inside a panel above it is pushed below the panel, with the row's panel.
        assert_eq!(
            compact_vertically(&[pos(0, 0, 24, 6), pos(0, 4, 24, 1), pos(6, 5, 6, 2)]),
            vec![pos(0, 0, 24, 6), pos(0, 6, 24, 1), pos(6, 7, 6, 2)]
        );
        // A panel far below an empty column rises to the top of it.
        assert_eq!(
            compact_vertically(&[pos(0, 0, 12, 4), pos(12, 30, 12, 4)]),
            vec![pos(0, 0, 12, 4), pos(12, 0, 12, 4)]
        );
    }

    /// The compaction as react-grid-layout writes it, each panel compared with every placed one:
    /// the row index must place every panel exactly where this does.
    fn compact_by_scanning(positions: &[GridPos]) -> Vec<GridPos> {
        let mut order: Vec<usize> = (0..positions.len()).collect();
        order.sort_by_key(|&i| (positions[i].y, positions[i].x));
        let mut sorted: Vec<GridPos> = order.iter().map(|&i| positions[i]).collect();
        let mut placed: Vec<GridPos> = Vec::new();
        let mut result = positions.to_vec();
        for index in 0..sorted.len() {
            let mut item = sorted[index];
            item.y = item.y.min(placed.iter().map(|p| p.y + p.h).max().unwrap_or(0));
            while item.y > 0 && !placed.iter().any(|p| p.overlaps(&item)) {
                item.y -= 1;
            }
            while let Some(blocker) = placed.iter().find(|p| p.overlaps(&item)).copied() {
                push_down(&mut sorted, index, &mut item, blocker.y + blocker.h);
            }
            item.y = item.y.max(0);
            placed.push(item);
            result[order[index]] = item;
        }
        result
    }

    #[test]
    fn the_row_index_places_panels_as_scanning_every_panel_does() {
        // Pseudo-random layouts (a fixed linear congruential sequence): overlapping, far apart,
        // duplicated, and now and then a panel taller than the index covers.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |bound: i64| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) % bound as u64) as i64
        };
        for case in 0..300 {
            let count = 1 + next(60) as usize;
            let positions: Vec<GridPos> = (0..count)
                .map(|_| {
                    let w = 1 + next(GRID_COLUMNS);
                    let h = if next(20) == 0 { INDEXED_HEIGHT + 1 + next(100) } else { 1 + next(10) };
                    pos(next(GRID_COLUMNS - w + 1), next(80), w, h)
                })
                .collect();
            assert_eq!(
                compact_vertically(&positions),
                compact_by_scanning(&positions),
                "case {case}: {positions:?}"
            );
        }
    }

    #[test]
    fn grid_pos_defaults_and_clamps() {
        let json = serde_json::json!({"x": 20, "y": "3", "w": 12});
        assert_eq!(GridPos::from_json(Some(&json)), pos(12, 3, 12, 8));
        assert_eq!(GridPos::from_json(None), pos(0, 0, 12, 8));
        // Rows upgraded from `rows[]` carry their old height (7 units for 250 px): drawn 1 high.
        let upgraded_row = serde_json::json!({"x": 0, "y": 9, "w": 24, "h": 7});
        assert_eq!(GridPos::row_header(Some(&upgraded_row)), pos(0, 9, 24, 1));
    }
}
