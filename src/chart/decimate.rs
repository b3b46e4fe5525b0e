//! M4 decimation: for each pixel column keep the first, lowest, highest and last point, in their
//! original order. The drawn line is pixel-identical to drawing every point, at a fraction of the cost
//! (reference: render-bench.md).

/// Decimates a polyline whose x values (device pixels) never decrease.
pub fn decimate_m4(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut m4 = M4::with_capacity(points.len().min(4 * 4096));
    for &point in points {
        m4.push(point);
    }
    m4.finish()
}

/// M4 over a stream of points, so a chart can project and decimate in one pass without holding
/// every projected point (a million samples would otherwise cost tens of MB per draw).
#[derive(Debug, Default)]
pub struct M4 {
    output: Vec<(f64, f64)>,
    column: Option<f64>,
    /// The current column's points while it has at most four of them.
    pending: Vec<(f64, f64)>,
    /// Past four: the first, lowest, highest and last points with their positions in the column.
    first: (f64, f64),
    low: (usize, (f64, f64)),
    high: (usize, (f64, f64)),
    last: (usize, (f64, f64)),
    count: usize,
}

impl M4 {
    pub fn with_capacity(capacity: usize) -> M4 {
        M4 { output: Vec::with_capacity(capacity), pending: Vec::with_capacity(4), ..M4::default() }
    }

    pub fn push(&mut self, point: (f64, f64)) {
        let column = point.0.floor();
        if self.column != Some(column) {
            self.flush_column();
            self.column = Some(column);
        }
        let position = self.count;
        self.count += 1;
        if position < 4 {
            self.pending.push(point);
            if position == 3 {
                // Seed the extremes from the pending points, first occurrences winning ties.
                self.first = self.pending[0];
                self.low = (0, self.pending[0]);
                self.high = (0, self.pending[0]);
                for (index, &p) in self.pending.iter().enumerate() {
                    if p.1 < self.low.1.1 {
                        self.low = (index, p);
                    }
                    if p.1 > self.high.1.1 {
                        self.high = (index, p);
                    }
                }
                self.last = (3, point);
            }
            return;
        }
        if point.1 < self.low.1.1 {
            self.low = (position, point);
        }
        if point.1 > self.high.1.1 {
            self.high = (position, point);
        }
        self.last = (position, point);
    }

    fn flush_column(&mut self) {
        if self.count <= 4 {
            self.output.extend_from_slice(&self.pending);
        } else {
            let mut keep = [(0, self.first), self.low, self.high, self.last];
            keep.sort_unstable_by_key(|(position, _)| *position);
            let mut previous = usize::MAX;
            for (position, point) in keep {
                if position != previous {
                    self.output.push(point);
                    previous = position;
                }
            }
        }
        self.pending.clear();
        self.count = 0;
    }

    /// The decimated polyline.
    pub fn finish(mut self) -> Vec<(f64, f64)> {
        self.flush_column();
        self.output
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_first_min_max_last_per_column_in_order() {
        let points = [(0.1, 5.0), (0.2, 9.0), (0.3, 1.0), (0.4, 4.0), (0.9, 3.0), (1.5, 7.0)];
        assert_eq!(decimate_m4(&points), vec![(0.1, 5.0), (0.2, 9.0), (0.3, 1.0), (0.9, 3.0), (1.5, 7.0)]);
    }

    #[test]
    fn a_million_points_become_at_most_four_per_column() {
        let points: Vec<(f64, f64)> =
            (0..1_000_000_i64).map(|i| (i as f64 / 1000.0, ((i * 7919) % 1000) as f64)).collect();
        let decimated = decimate_m4(&points);
        assert!(decimated.len() <= 4 * 1000, "{}", decimated.len());
        assert_eq!(decimated.first(), points.first());
        assert_eq!(decimated.last(), points.last());
        let max = points.iter().map(|p| p.1).fold(f64::MIN, f64::max);
        assert!(decimated.iter().any(|p| p.1 == max));
    }

    #[test]
    fn streaming_matches_the_slice_form_column_by_column() {
        // Columns of 1…9 points, with ties, falling and rising values.
        let mut points = Vec::new();
        for column in 0..40 {
            let n = column % 9 + 1;
            for k in 0..n {
                let x = column as f64 + k as f64 / (n as f64 + 1.0);
                let y = ((column * 31 + k * 17) % 7) as f64 - if k % 3 == 0 { 2.0 } else { 0.0 };
                points.push((x, y));
            }
        }
        let expected: Vec<(f64, f64)> = points
            .chunk_by(|a, b| a.0.floor() == b.0.floor())
            .flat_map(|column| {
                if column.len() <= 4 {
                    return column.to_vec();
                }
                let low = (0..column.len()).fold(0, |l, i| if column[i].1 < column[l].1 { i } else { l });
                let high = (0..column.len()).fold(0, |h, i| if column[i].1 > column[h].1 { i } else { h });
                let mut keep = vec![0, low, high, column.len() - 1];
                keep.sort_unstable();
                keep.dedup();
                keep.into_iter().map(|i| column[i]).collect()
            })
            .collect();
        assert_eq!(decimate_m4(&points), expected);
    }

    #[test]
    fn short_input_is_unchanged() {
        assert_eq!(decimate_m4(&[(0.0, 1.0), (0.5, 2.0)]), vec![(0.0, 1.0), (0.5, 2.0)]);
    }
}
