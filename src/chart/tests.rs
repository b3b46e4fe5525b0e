use super::*;

fn spec(points: Vec<(f64, f64)>) -> ChartSpec {
    let series = ChartSeries {
        name: "s".into(),
        color: Rgb(1, 2, 3),
        points: points.into(),
        style: SeriesStyle::default(),
        baseline: None,
    };
    ChartSpec { unit: "short".into(), ..ChartSpec::new(0.0, 100_000.0, 10_000.0, vec![series]) }
}

/// Every label is 10 device px wide per character.
fn measure(label: &str) -> f64 {
    label.len() as f64 * 10.0
}

#[test]
fn layout_leaves_room_for_the_widest_y_label() {
    let spec = spec(vec![(0.0, 0.0), (10_000.0, 1500.0)]);
    let layout = layout_chart(&spec, 1000.0, 300.0, 1.0, measure);
    let widest = layout.y_ticks.iter().map(|(_, l)| measure(l)).fold(0.0, f64::max);
    assert_eq!(layout.plot.left, 6.0 + widest + 6.0);
    assert_eq!(layout.plot.bottom(), 280.0);
    assert!(layout.y_min <= 0.0 && layout.y_max >= 1500.0);
    // The first y tick is at the bottom of the plot, labels scaled to thousands.
    assert_eq!(layout.y_ticks.first().map(|t| t.0), Some(280.0));
    assert!(layout.y_ticks.iter().any(|(_, l)| l.ends_with(" K")), "{:?}", layout.y_ticks);
}

#[test]
fn hidpi_doubles_the_furniture() {
    let spec = spec(vec![(0.0, 1.0), (10_000.0, 2.0)]);
    let layout = layout_chart(&spec, 2000.0, 600.0, 2.0, measure);
    assert_eq!(layout.plot.top, 12.0);
    assert_eq!(layout.plot.bottom(), 560.0);
}

#[test]
fn gaps_and_nan_split_the_line() {
    let spec = spec(vec![
        (0.0, 1.0),
        (10_000.0, 2.0),
        (40_000.0, 3.0), // 30 s after the previous sample: a gap
        (50_000.0, f64::NAN),
        (60_000.0, 4.0),
    ]);
    let layout = layout_chart(&spec, 1000.0, 300.0, 1.0, measure);
    let lines = project_series(&spec.series[0], &spec, &layout);
    assert_eq!(lines.iter().map(Vec::len).collect::<Vec<_>>(), vec![2, 1, 1]);
    // The first point sits on the left edge of the plot; values grow upwards.
    assert_eq!(lines[0][0].0, layout.plot.left);
    assert!(lines[0][1].1 < lines[0][0].1);
}

#[test]
fn no_finite_value_has_no_extent() {
    assert_eq!(value_extent(&spec(vec![(0.0, f64::NAN)])), None);
    assert_eq!(value_extent(&spec(vec![(0.0, -2.0), (1.0, 5.0), (200_000.0, 99.0)])), Some((-2.0, 5.0)));
}

#[test]
fn time_labels_that_would_be_cut_at_the_edge_are_dropped() {
    let spec = ChartSpec { from_ms: 0.0, to_ms: 3_600_000.0, ..spec(vec![(0.0, 1.0)]) };
    let layout = layout_chart(&spec, 1000.0, 300.0, 1.0, measure);
    let last = layout.x_ticks.last().expect("ticks");
    assert!(last.0 + measure(&last.1) / 2.0 <= 1000.0, "{:?}", layout.x_ticks);
    // 01:00 sits on the right edge of the plot, so it cannot be shown whole.
    assert!(layout.x_ticks.iter().all(|(_, label)| label != "01:00"), "{:?}", layout.x_ticks);
    assert_eq!(layout.x_ticks[0].1, "00:00");
}

#[test]
fn fills_and_bars_grow_from_zero() {
    let mut spec = spec(vec![(0.0, 2.0), (10_000.0, 4.0)]);
    assert_eq!(value_extent(&spec), Some((2.0, 4.0)));
    spec.series[0].style.fill_opacity = 0.2;
    assert_eq!(value_extent(&spec), Some((0.0, 4.0)));
    let layout = layout_chart(&spec, 1000.0, 300.0, 1.0, measure);
    let polygons = project_fill(&spec.series[0], &spec, &layout);
    assert_eq!(polygons.len(), 1);
    // Two points along the top, then back along the zero line.
    assert_eq!(polygons[0].len(), 4);
    assert_eq!(polygons[0][2].1, layout.plot.bottom());
    spec.series[0].style.draw = DrawStyle::Bars;
    let bars = project_bars(&spec.series[0], &spec, &layout, 10_000.0);
    assert_eq!(bars.len(), 2);
    let (left, top, right, bottom) = bars[1];
    assert!((right - left - 0.6 * 10_000.0 * layout.plot.width / 100_000.0).abs() < 1e-9);
    assert!(top < bottom && bottom == layout.plot.bottom());
}

#[test]
fn hover_maths() {
    let spec = spec(vec![(0.0, 0.0), (10_000.0, 1.0)]);
    let layout = layout_chart(&spec, 1000.0, 300.0, 1.0, measure);
    assert_eq!(time_at(&spec, &layout, layout.plot.left), Some(0.0));
    assert_eq!(time_at(&spec, &layout, layout.plot.right()), Some(100_000.0));
    assert_eq!(time_at(&spec, &layout, 0.0), None);
    assert_eq!(value_at(&layout, layout.plot.bottom()), layout.y_min);
    let points = [(0.0, 1.0), (15_000.0, 2.0), (30_000.0, 3.0)];
    assert_eq!(nearest_sample(&points, 8_000.0, 7_500.0), Some(1));
    assert_eq!(nearest_sample(&points, 7_000.0, 7_500.0), Some(0));
    assert_eq!(nearest_sample(&points, 50_000.0, 7_500.0), None);
    assert_eq!(nearest_sample(&[], 1.0, 1.0), None);
}

#[test]
fn span_nulls_and_steps() {
    let mut spec =
        spec(vec![(0.0, 1.0), (10_000.0, 2.0), (40_000.0, 3.0), (50_000.0, f64::NAN), (60_000.0, 4.0)]);
    let layout = layout_chart(&spec, 1000.0, 300.0, 1.0, measure);
    let lengths = |spec: &ChartSpec| {
        segments(&spec.series[0], spec.gap_threshold_ms).iter().map(Vec::len).collect::<Vec<_>>()
    };
    assert_eq!(lengths(&spec), vec![2, 1, 1]);
    spec.series[0].style.span_nulls = SpanNulls::Always;
    assert_eq!(lengths(&spec), vec![4]);
    spec.series[0].style.span_nulls = SpanNulls::UpTo(35_000.0);
    assert_eq!(lengths(&spec), vec![4], "NaN is skipped and the 30 s gap is under the limit");
    spec.series[0].style.span_nulls = SpanNulls::UpTo(20_000.0);
    assert_eq!(lengths(&spec), vec![2, 2]);
    spec.series[0].style = SeriesStyle { interpolation: Interpolation::StepAfter, ..SeriesStyle::default() };
    let line = &project_series(&spec.series[0], &spec, &layout)[0];
    // Two samples become three points: the corner keeps the first value until the second time.
    assert_eq!(line.len(), 3);
    assert_eq!((line[1].0, line[1].1), (line[2].0, line[0].1));
}

#[test]
fn threshold_bands_and_lines() {
    let spec = spec(vec![(0.0, 0.0), (10_000.0, 100.0)]);
    let layout = layout_chart(&spec, 1000.0, 300.0, 1.0, measure);
    let green = Rgb(0, 255, 0);
    let red = Rgb(255, 0, 0);
    let display =
        ThresholdsDisplay { lines: true, areas: true, steps: vec![(f64::NEG_INFINITY, green), (80.0, red)] };
    let (bands, lines) = threshold_geometry(&display, &layout);
    let y80 =
        layout.plot.bottom() - (80.0 - layout.y_min) / (layout.y_max - layout.y_min) * layout.plot.height;
    assert_eq!(bands, vec![(y80, layout.plot.bottom(), green), (layout.plot.top, y80, red)]);
    assert_eq!(lines, vec![(y80, red)]);
}

#[test]
fn hidden_axis_and_axis_label_change_the_left_edge() {
    let mut spec = spec(vec![(0.0, 0.0), (10_000.0, 1500.0)]);
    let shown = layout_chart(&spec, 1000.0, 300.0, 1.0, measure);
    spec.axis_hidden = true;
    let hidden = layout_chart(&spec, 1000.0, 300.0, 1.0, measure);
    assert!(hidden.y_ticks.is_empty() && hidden.plot.left == 6.0 && hidden.plot.left < shown.plot.left);
    spec.axis_hidden = false;
    spec.axis_label = "requests".into();
    let labelled = layout_chart(&spec, 1000.0, 300.0, 1.0, measure);
    assert!((labelled.plot.left - shown.plot.left - AXIS_FONT_CSS_PX * 1.4).abs() < 1e-9);
}

#[test]
fn hidden_time_axis_gives_the_plot_its_height() {
    let mut spec = spec(vec![(0.0, 0.0), (10_000.0, 1500.0)]);
    let shown = layout_chart(&spec, 1000.0, 300.0, 1.0, measure);
    spec.time_axis_hidden = true;
    let hidden = layout_chart(&spec, 1000.0, 300.0, 1.0, measure);
    assert!(!shown.x_ticks.is_empty() && hidden.x_ticks.is_empty());
    assert!(hidden.plot.bottom() > shown.plot.bottom());
    assert!(hidden.plot.bottom() <= 300.0);
}

#[test]
fn opacity_gradient_rows() {
    let plot = Rect { left: 0.0, top: 10.0, width: 100.0, height: 100.0 };
    assert_eq!(gradient_opacity_at(0.5, 10.0, &plot), 0.5);
    assert_eq!(gradient_opacity_at(0.5, 60.0, &plot), 0.25);
    assert_eq!(gradient_opacity_at(0.5, 110.0, &plot), 0.0);
    assert_eq!(gradient_opacity_at(0.5, 500.0, &plot), 0.0, "clamped below the plot");

    // A triangle rising to the right: each row's run starts on the slanted edge and ends at x=10.
    let triangle = [(0.0, 10.0), (10.0, 0.0), (10.0, 10.0)];
    let spans = scanline_spans(&triangle, 0, 100);
    assert_eq!(spans.len(), 10);
    assert_eq!(spans[0], (0, 9.5, 10.0));
    assert_eq!(spans[9], (9, 0.5, 10.0));
    assert_eq!(
        scanline_spans(&triangle, 5, 7).iter().map(|s| s.0).collect::<Vec<_>>(),
        [5, 6],
        "rows are clipped"
    );
    // A concave shape gives two runs on the rows that cross both arms.
    let u_shape =
        [(0.0, 0.0), (2.0, 0.0), (2.0, 8.0), (8.0, 8.0), (8.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
    let row_3: Vec<_> = scanline_spans(&u_shape, 0, 10).into_iter().filter(|s| s.0 == 3).collect();
    assert_eq!(row_3, [(3, 0.0, 2.0), (3, 8.0, 10.0)]);
    assert!(scanline_spans(&[(0.0, 0.0), (1.0, 1.0)], 0, 10).is_empty());
}

#[test]
fn log_axis_spans_whole_powers_and_projects_logarithmically() {
    assert_eq!(log_ticks(3.0, 700.0, 10.0, 10), (1.0, 1000.0, vec![1.0, 10.0, 100.0, 1000.0]));
    assert_eq!(log_ticks(100.0, 100.0, 10.0, 10), (100.0, 1000.0, vec![100.0, 1000.0]), "at least one power");
    assert_eq!(log_ticks(1.0, 1024.0, 2.0, 4).2, vec![1.0, 8.0, 64.0, 512.0], "every third power fits");

    let mut spec = spec(vec![(0.0, 5.0), (60_000.0, 500.0), (90_000.0, 0.0)]);
    spec.log_base = Some(10.0);
    let layout = layout_chart(&spec, 400.0, 200.0, 1.0, measure);
    assert_eq!((layout.y_min, layout.y_max), (1.0, 1000.0));
    let (bottom, height) = (layout.plot.bottom(), layout.plot.height);
    assert!((layout.y_px(10.0) - (bottom - height / 3.0)).abs() < 1e-9, "each power a third of the height");
    assert!((layout.value_at_px(layout.y_px(42.0)) - 42.0).abs() < 1e-9);
    assert_eq!(layout.y_px(0.0), bottom, "zero cannot be placed: it sits on the bottom edge");
    let labels: Vec<&str> = layout.y_ticks.iter().map(|(_, label)| label.as_str()).collect();
    assert_eq!(labels, ["1", "10", "100", "1 K"], "in the unit, as Grafana labels a short axis");
}

#[test]
fn time_px_inverts_time_at() {
    let spec = spec(vec![(0.0, 1.0)]);
    let layout = layout_chart(&spec, 400.0, 200.0, 1.0, measure);
    assert_eq!(time_px(&spec, &layout, spec.from_ms), layout.plot.left);
    assert_eq!(time_px(&spec, &layout, spec.to_ms), layout.plot.right());
    let x = time_px(&spec, &layout, 25_000.0);
    assert!((time_at(&spec, &layout, x).expect("on the plot") - 25_000.0).abs() < 1e-6);
}

#[test]
fn right_axis_series_have_their_own_scale_and_labels() {
    let left = ChartSeries {
        name: "requests".into(),
        color: Rgb(1, 2, 3),
        points: vec![(0.0, 0.0), (100_000.0, 10.0)].into(),
        style: SeriesStyle::default(),
        baseline: None,
    };
    let right = ChartSeries {
        name: "latency".into(),
        color: Rgb(4, 5, 6),
        points: vec![(0.0, 0.0), (100_000.0, 2000.0)].into(),
        style: SeriesStyle { right_axis: true, ..SeriesStyle::default() },
        baseline: None,
    };
    let mut spec = ChartSpec::new(0.0, 100_000.0, 10_000.0, vec![left.clone(), right.clone()]);
    let without = layout_chart(&spec, 1000.0, 300.0, 1.0, measure);
    assert!(without.right.is_none());
    assert_eq!(without.y_max, 2000.0, "without a right axis every series shares the left one");
    spec.right_axis = Some(ValueAxis { unit: "ms".into(), decimals: None });
    let layout = layout_chart(&spec, 1000.0, 300.0, 1.0, measure);
    assert_eq!(layout.y_max, 10.0, "the left axis spans the left series only");
    let scale = layout.right.as_ref().expect("a right-hand scale");
    assert_eq!((scale.y_min, scale.y_max), (0.0, 2000.0));
    assert!(
        scale.ticks.iter().any(|(_, label)| label.ends_with(" s") || label.ends_with(" ms")),
        "{:?}",
        scale.ticks
    );
    assert!(layout.plot.right() < without.plot.right(), "room is made for the right labels");
    // Each series' top sample reaches the top of the plot on its own axis.
    let top = |series: &ChartSeries| project_series(series, &spec, &layout).last().unwrap().last().unwrap().1;
    assert!((top(&left) - layout.plot.top).abs() < 1e-9);
    assert!((top(&right) - layout.plot.top).abs() < 1e-9);
}
