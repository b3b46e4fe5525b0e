//! M4 decimation: for each pixel column keep the first, lowest, highest and last point, in their
//! original order. The drawn line is pixel-identical to drawing every point, at a fraction of the cost
//! (reference: render-bench.md).

/// Decimates a polyline whose x values (device pixels) never decrease.
pub fn decimate_m4(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    if points.len() <= 4 {
        return points.to_vec();
    }
    let mut output = Vec::with_capacity(points.len().min(4 * 4096));
    let mut start = 0;
    while start < points.len() {
        let column = points[start].0.floor();
        let mut end = start + 1;
        while end < points.len() && points[end].0.floor() == column {
            end += 1;
        }
        push_column(&points[start..end], &mut output);
        start = end;
    }
    output
}

fn push_column(column: &[(f64, f64)], output: &mut Vec<(f64, f64)>) {
    if column.len() <= 4 {
        output.extend_from_slice(column);
        return;
    }
    let (mut low, mut high) = (0, 0);
    for (index, point) in column.iter().enumerate() {
        if point.1 < column[low].1 {
            low = index;
        }
        if point.1 > column[high].1 {
            high = index;
        }
    }
    let last = column.len() - 1;
    let mut keep = [0, low.min(high), low.max(high), last];
    keep.sort_unstable();
    let mut previous = usize::MAX;
    for index in keep {
        if index != previous {
            output.push(column[index]);
            previous = index;
        }
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
    fn short_input_is_unchanged() {
        assert_eq!(decimate_m4(&[(0.0, 1.0), (0.5, 2.0)]), vec![(0.0, 1.0), (0.5, 2.0)]);
    }
}
