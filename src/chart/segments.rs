//! Where a series' line breaks: NaNs and gaps longer than the step or the spanNulls limit.

use super::spec::{ChartSeries, SpanNulls};

/// What [`walk_segments`] reports: a finite sample (its index), or the end of an unbroken run.
pub(super) enum SegmentEvent {
    /// A sample's index, time and value.
    Sample(usize, f64, f64),
    End,
}

/// Walks the series' finite samples in order, reporting where its line breaks (`spanNulls` rules:
/// a NaN breaks it unless nulls are spanned; so does a gap longer than the step or the span limit).
/// Every run of samples is followed by one `End`.
pub(super) fn walk_segments(series: &ChartSeries, step_ms: f64, mut visit: impl FnMut(SegmentEvent)) {
    let mut open = false;
    let mut previous_t: Option<f64> = None;
    for (index, &(t, v)) in series.points.iter().enumerate() {
        if !v.is_finite() {
            if series.style.span_nulls == SpanNulls::Never && open {
                visit(SegmentEvent::End);
                open = false;
            }
            continue;
        }
        if let Some(previous) = previous_t
            && breaks_at_gap(series.style.span_nulls, t - previous, step_ms)
            && open
        {
            visit(SegmentEvent::End);
        }
        visit(SegmentEvent::Sample(index, t, v));
        open = true;
        previous_t = Some(t);
    }
    if open {
        visit(SegmentEvent::End);
    }
}

/// The indices of the series' finite samples, split where its line breaks (`spanNulls` rules).
pub fn segments(series: &ChartSeries, step_ms: f64) -> Vec<Vec<usize>> {
    let mut segments = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    walk_segments(series, step_ms, |event| match event {
        SegmentEvent::Sample(index, _, _) => current.push(index),
        SegmentEvent::End => segments.push(std::mem::take(&mut current)),
    });
    segments
}

/// Whether a gap of `gap_ms` between two present samples breaks the line (Grafana's spanNulls).
pub(super) fn breaks_at_gap(span_nulls: SpanNulls, gap_ms: f64, step_ms: f64) -> bool {
    match span_nulls {
        SpanNulls::Never => gap_ms > step_ms,
        SpanNulls::Always => false,
        SpanNulls::UpTo(limit) => gap_ms > limit.max(step_ms),
    }
}
