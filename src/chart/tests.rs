use super::*;
use crate::field::Rgb;
use crate::field::scheme;

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
    spec.right_axis = Some(ValueAxis { unit: "ms".into(), decimals: None, bounds: AxisBounds::default() });
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

#[test]
fn soft_limits_widen_the_axis_and_hard_ones_fix_it() {
    let data = spec(vec![(0.0, 20.0), (10_000.0, 40.0)]);
    let plain = layout_chart(&data, 1000.0, 300.0, 1.0, measure);
    assert_eq!((plain.y_min, plain.y_max), (20.0, 40.0));
    // Soft limits beyond the data widen the axis; within it they change nothing.
    let soft = ChartSpec {
        bounds: AxisBounds { soft_min: Some(0.0), soft_max: Some(100.0), ..Default::default() },
        ..data.clone()
    };
    let widened = layout_chart(&soft, 1000.0, 300.0, 1.0, measure);
    assert_eq!((widened.y_min, widened.y_max), (0.0, 100.0));
    let inside = ChartSpec {
        bounds: AxisBounds { soft_min: Some(25.0), soft_max: Some(30.0), ..Default::default() },
        ..data.clone()
    };
    let unchanged = layout_chart(&inside, 1000.0, 300.0, 1.0, measure);
    assert_eq!((unchanged.y_min, unchanged.y_max), (20.0, 40.0));
    assert!(!unchanged.clips);
    // Hard limits are the axis ends, not rounded out, and the line is clipped to the plot.
    let hard =
        ChartSpec { bounds: AxisBounds { min: Some(22.0), max: Some(33.0), ..Default::default() }, ..data };
    let fixed = layout_chart(&hard, 1000.0, 300.0, 1.0, measure);
    assert_eq!((fixed.y_min, fixed.y_max), (22.0, 33.0));
    assert!(fixed.clips);
    assert!(fixed.y_ticks.iter().all(|(y, _)| *y >= fixed.plot.top && *y <= fixed.plot.bottom()));
    let lines = project_series(&hard.series[0], &hard, &fixed);
    assert_eq!(lines.len(), 1);
    let line = &lines[0];
    assert!(line.iter().all(|(_, y)| *y >= fixed.plot.top && *y <= fixed.plot.bottom()), "{line:?}");
    // The line leaves through the top edge where the data passes 33.
    let exit = line.last().unwrap();
    assert_eq!(exit.1, fixed.plot.top);
    let expected_x = time_px(&hard, &fixed, 10_000.0 * 13.0 / 20.0);
    assert!((exit.0 - expected_x).abs() < 1e-6, "{exit:?} vs {expected_x}");
}

#[test]
fn clipping_splits_a_line_that_leaves_and_comes_back() {
    let zigzag = [(0.0, 50.0), (10.0, -50.0), (20.0, 50.0), (30.0, 150.0), (40.0, 50.0)];
    let parts = clip_polyline_rows(&zigzag, 0.0, 100.0);
    assert_eq!(
        parts,
        vec![
            vec![(0.0, 50.0), (5.0, 0.0)],
            vec![(15.0, 0.0), (20.0, 50.0), (25.0, 100.0)],
            vec![(35.0, 100.0), (40.0, 50.0)]
        ]
    );
    assert!(clip_polyline_rows(&[(0.0, -5.0), (10.0, -1.0)], 0.0, 100.0).is_empty());
    let square = [(0.0, -10.0), (10.0, -10.0), (10.0, 10.0), (0.0, 10.0)];
    let clipped = clip_polygon_rows(&square, 0.0, 100.0);
    assert!(clipped.iter().all(|(_, y)| *y >= 0.0), "{clipped:?}");
    assert_eq!(clipped.len(), 4);
}

#[test]
fn smooth_lines_pass_through_the_samples_without_overshooting() {
    let samples = [(0.0, 10.0), (20.0, 10.0), (40.0, 50.0), (60.0, 55.0), (80.0, 0.0)];
    let curve = monotone_cubic(&samples);
    for sample in samples {
        assert!(curve.contains(&sample), "{sample:?} is on the curve");
    }
    // Between two samples the curve stays within them (monotone), and a flat stretch stays flat.
    for pair in samples.windows(2) {
        let (low, high) = (pair[0].1.min(pair[1].1), pair[0].1.max(pair[1].1));
        for (x, y) in curve.iter().filter(|(x, _)| *x > pair[0].0 && *x < pair[1].0) {
            assert!(*y >= low - 1e-9 && *y <= high + 1e-9, "({x}, {y}) outside {pair:?}");
        }
    }
    assert!(curve.iter().filter(|(x, _)| *x < 20.0).all(|(_, y)| (*y - 10.0).abs() < 1e-9));
    // It is a curve: between 20 and 40 it is not the straight chord.
    let (x, y) = curve.iter().copied().find(|(x, _)| *x > 25.0 && *x < 35.0).unwrap();
    let chord = 10.0 + (x - 20.0) * 2.0;
    assert!((y - chord).abs() > 0.5, "({x}, {y}) on the chord");
    // At most two pixels per piece.
    assert!(curve.windows(2).all(|w| w[1].0 - w[0].0 <= 2.0 + 1e-9));
}

#[test]
fn scheme_gradients_colour_lines_and_fills_by_value() {
    let green = Rgb(0, 255, 0);
    let red = Rgb(255, 0, 0);
    let mut data = spec(vec![(0.0, 0.0), (10_000.0, 100.0)]);
    data.series[0].style.gradient = GradientMode::Scheme;
    data.series[0].style.fill_opacity = 0.5;
    data.series[0].style.value_colors =
        Some(ValueColors::Steps(vec![(f64::NEG_INFINITY, green), (50.0, red)]));
    let layout = layout_chart(&data, 1000.0, 300.0, 1.0, measure);
    let line = &project_series(&data.series[0], &data, &layout)[0];
    let runs = line_color_runs(&data.series[0], line, &layout);
    // Green up to the threshold, red after it, split exactly where the line crosses 50.
    assert_eq!(runs.iter().map(|(c, _)| *c).collect::<Vec<_>>(), vec![green, red]);
    let crossing = *runs[0].1.last().unwrap();
    assert!((crossing.1 - layout.y_px(50.0)).abs() < 1e-6, "{crossing:?}");
    assert_eq!(runs[1].1.first(), Some(&crossing));
    // Fills take the colour of their row.
    assert_eq!(fill_row_color(&data.series[0], layout.y_px(25.0), &layout, false), Some((green, 0.5)));
    assert_eq!(fill_row_color(&data.series[0], layout.y_px(75.0), &layout, false), Some((red, 0.5)));
    // A continuous scheme spreads its stops over the axis.
    data.series[0].style.value_colors = Some(ValueColors::Scheme(vec![green, red]));
    let (middle, _) = fill_row_color(&data.series[0], layout.y_px(50.0), &layout, false).unwrap();
    assert!((i32::from(middle.0) - 128).abs() <= 1 && (i32::from(middle.1) - 128).abs() <= 1, "{middle:?}");
    // Hue: lighter and turned at the top, darker at the bottom; without a gradient, no row colour.
    data.series[0].style.gradient = GradientMode::Hue;
    let (top, _) = fill_row_color(&data.series[0], layout.plot.top, &layout, false).unwrap();
    assert_eq!(top, scheme::hue_gradient_ends(data.series[0].color, false).0);
    data.series[0].style.gradient = GradientMode::None;
    assert_eq!(fill_row_color(&data.series[0], layout.plot.top, &layout, false), None);
    assert_eq!(line_color_runs(&data.series[0], line, &layout).len(), 1);
}
