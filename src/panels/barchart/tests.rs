use super::markup::barchart_markup;
use super::*;
use crate::panels::frame::NumberColumn;
use serde_json::json;

fn instant(name: &str, labels: &[(&str, &str)], value: f64) -> DisplaySeries {
    DisplaySeries::example("A", name, labels, &[(1_700_000_000_000.0, value)])
}

fn view(series: &[DisplaySeries], tabular: bool, options: Value, field_config: Value) -> BarChartView {
    barchart_view(series, tabular, &json!([]), &options, &field_config, 0, Theme::Dark)
}

#[test]
fn a_table_gives_categories_from_its_first_text_column_or_x_field() {
    let series = [
        instant("a", &[("instance", "a:9100"), ("job", "node")], 3.0),
        instant("b", &[("instance", "b:9100"), ("job", "node")], 5.0),
    ];
    let chart = view(&series, true, json!({}), json!({}));
    assert_eq!(chart.categories, ["a:9100", "b:9100"]);
    assert_eq!(chart.fields.len(), 1);
    assert_eq!(
        (chart.fields[0].name.as_str(), chart.fields[0].values.clone()),
        ("Value", vec![Some(3.0), Some(5.0)])
    );
    assert_eq!((chart.bar_width, chart.group_width), (1.0, 0.97), "one series fills its group");
    let by_job = view(&series, true, json!({"xField": "job"}), json!({}));
    assert_eq!(by_job.categories, ["node", "node"]);
    // A reduce transformation gives a Field column of series names and a column per calculation.
    let reduced = barchart_view(
        &series,
        true,
        &json!([{"id": "reduce", "options": {"reducers": ["max", "min"]}}]),
        &json!({}),
        &json!({}),
        0,
        Theme::Dark,
    );
    assert_eq!(reduced.categories, ["a", "b"]);
    assert_eq!(reduced.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["Max", "Min"]);
    assert_eq!((reduced.bar_width, reduced.group_width), (0.97, 0.7));
}

#[test]
fn time_series_join_on_time_and_label_categories_by_their_gap() {
    let t = 1_700_000_040_000.0; // 2023-11-14 22:14:00 UTC
    let series = [
        DisplaySeries::example("A", "up a", &[], &[(t, 1.0), (t + 60_000.0, 2.0)]),
        DisplaySeries::example("A", "up b", &[], &[(t + 60_000.0, 4.0), (t + 120_000.0, f64::NAN)]),
    ];
    let chart = view(&series, false, json!({}), json!({}));
    assert_eq!(chart.categories, ["22:14", "22:15", "22:16"]);
    assert_eq!(chart.fields[0].values, [Some(1.0), Some(2.0), None]);
    assert_eq!(chart.fields[1].values, [None, Some(4.0), None], "NaN is no bar");
    // Without a text column, a table frame falls back to time (Grafana's frames have one).
    assert_eq!(view(&[instant("x", &[], 1.0)], true, json!({}), json!({})).categories, ["2023"]);
    let formats: Vec<String> =
        [500.0, 30e3, 3.6e6 - 1.0, 86.4e6 - 1.0, 27.0 * 86.4e6, 364.0 * 86.4e6, 400.0 * 86.4e6]
            .iter()
            .map(|gap| time_label(1_700_000_040_123, 60, *gap))
            .collect();
    assert_eq!(
        formats,
        ["23:14:00.123", "23:14:00", "23:14", "11/14 23:14", "11/14", "2023-11", "2023"],
        "one hour east of UTC"
    );
    assert_eq!(view(&[], false, json!({}), json!({})).warning, None, "no data is not a warning");
}

#[test]
fn hidden_and_missing_number_fields_are_said() {
    let series = [instant("a", &[("instance", "a")], 1.0)];
    let hidden = view(&series, true, json!({}), json!({"defaults": {"custom": {"hideFrom": {"viz": true}}}}));
    assert_eq!(hidden.warning.as_deref(), Some("No numeric fields found"));
    let not_in_legend =
        view(&series, true, json!({}), json!({"defaults": {"custom": {"hideFrom": {"legend": true}}}}));
    assert_eq!((not_in_legend.fields.len(), not_in_legend.legend.len()), (1, 0));
}

#[test]
fn bars_take_colours_by_series_by_value_or_by_another_field() {
    let series = [instant("a", &[("instance", "a")], 50.0), instant("b", &[("instance", "b")], 95.0)];
    let thresholds = json!({"defaults": {"color": {"mode": "thresholds"}, "thresholds": {"mode": "absolute", "steps": [
        {"color": "green", "value": null}, {"color": "red", "value": 90}]}}});
    let chart = view(&series, true, json!({}), thresholds);
    assert_eq!(chart.fields[0].bar_colors, ["#73BF69", "#F2495C"]);
    assert_eq!(
        chart.legend.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(),
        ["Value", "< 90", "90+"],
        "the field, then the threshold steps"
    );
    let palette = view(&series, true, json!({}), json!({}));
    assert_eq!(
        palette.fields[0].bar_colors,
        [palette.fields[0].color.clone(), palette.fields[0].color.clone()]
    );
    // Coloured by a second query's values: a reduce gives Max and Min; bars coloured by Min's.
    let by_min = barchart_view(
        &series,
        true,
        &json!([{"id": "reduce", "options": {"reducers": ["max", "min"]}}]),
        &json!({"colorByField": "Min"}),
        &json!({"overrides": [{"matcher": {"id": "byName", "options": "Min"}, "properties": [
            {"id": "color", "value": {"mode": "thresholds"}},
            {"id": "thresholds", "value": {"mode": "absolute", "steps": [{"color": "blue", "value": null}, {"color": "orange", "value": 60}]}}]}]}),
        0,
        Theme::Dark,
    );
    assert_eq!(by_min.fields[0].bar_colors, ["#5794F2", "#FF9830"]);
}

#[test]
fn percent_stacking_gives_shares_by_direction() {
    let series = [
        instant("a", &[("instance", "a")], 1.0),
        DisplaySeries::example("B", "b", &[("instance", "a")], &[(1_700_000_000_000.0, 3.0)]),
    ];
    let chart = view(&series, true, json!({"stacking": "percent"}), json!({}));
    assert_eq!(
        chart.fields.iter().map(|f| f.values.clone()).collect::<Vec<_>>(),
        [vec![Some(0.25)], vec![Some(0.75)]]
    );
    assert_eq!(chart.fields[1].texts, ["75%"]);
    assert_eq!((chart.unit.as_str(), chart.bar_width, chart.group_width), ("percentunit", 1.0, 0.97));
    let shares = percent_shares(&[
        NumberColumn {
            name: "up".into(),
            config: json!({}),
            color: String::new(),
            values: vec![Some(2.0), Some(1.0)],
        },
        NumberColumn {
            name: "down".into(),
            config: json!({}),
            color: String::new(),
            values: vec![Some(-4.0), Some(3.0)],
        },
    ]);
    assert_eq!(
        shares,
        [vec![Some(1.0), Some(1.0)], vec![Some(-1.0), Some(-1.0)]],
        "a series stacks the way its first value points"
    );
}

#[test]
fn the_markup_places_bars_as_grafana_spreads_them_and_escapes_names() {
    let series = [instant("a", &[("instance", "<b>a</b>")], 10.0), instant("b", &[("instance", "b")], 20.0)];
    let chart = view(&series, true, json!({"orientation": "vertical", "showValue": "always"}), json!({}));
    let markup = barchart_markup(&chart, (548.0, 300.0));
    assert_eq!(markup.matches("class=\"barchart-bar\"").count(), 2);
    assert!(markup.contains("&lt;b&gt;a&lt;/b&gt;") && !markup.contains("<b>a"), "{markup}");
    // Plot 548 − 48 − 8 = 492 px wide; one series: groups of 0.97, so each bar is 0.485 × 492.
    // Paths of plain bars: M{x},{y}H{right}V{bottom}H{x}Z.
    let widths: Vec<f64> = markup
        .split(" d=\"M")
        .skip(1)
        .map(|path| {
            let x: f64 = path.split(',').next().and_then(|x| x.parse().ok()).unwrap_or(f64::NAN);
            let right: f64 = path
                .split('H')
                .nth(1)
                .and_then(|r| r.split('V').next())
                .and_then(|r| r.parse().ok())
                .unwrap_or(f64::NAN);
            ((right - x) * 10.0).round() / 10.0
        })
        .collect();
    assert_eq!(widths, [238.6, 238.6]);
    assert_eq!(markup.matches("class=\"barchart-value\"").count(), 2);
    assert!(markup.contains(">20</text>"));
    let never = view(&series, true, json!({"showValue": "never"}), json!({}));
    assert!(!barchart_markup(&never, (548.0, 300.0)).contains("barchart-value"));
    // Narrow and tall: automatic orientation turns the bars horizontal (categories on the left).
    let auto = barchart_markup(&view(&series, true, json!({}), json!({})), (200.0, 400.0));
    assert!(auto.contains("text-anchor=\"end\" dominant-baseline=\"central\">b</text>"), "{auto}");
}

#[test]
fn category_labels_thin_out_and_rotated_ones_are_cut() {
    let series: Vec<DisplaySeries> = (0..100)
        .map(|i| instant(&i.to_string(), &[("instance", &format!("host-{i:03}-with-a-long-name"))], i as f64))
        .collect();
    let chart = view(&series, true, json!({"orientation": "vertical"}), json!({}));
    let markup = barchart_markup(&chart, (800.0, 300.0));
    let labels = markup.matches("barchart-category").count();
    assert!((2..=10).contains(&labels), "{labels} labels of 100 fit 744 px");
    let rotated = view(
        &series,
        true,
        json!({"orientation": "vertical", "xTickLabelRotation": -45, "xTickLabelMaxLength": 8}),
        json!({}),
    );
    let markup = barchart_markup(&rotated, (800.0, 300.0));
    assert!(markup.contains(">host-000...</text>") && markup.contains("rotate(45 "), "{markup}");
    let spaced = view(&series, true, json!({"orientation": "vertical", "xTickLabelSpacing": 100}), json!({}));
    assert_eq!(
        barchart_markup(&spaced, (848.0, 300.0)).matches("barchart-category").count(),
        7,
        "100 labels over 7 slots of 100 px: every 15th"
    );
}

#[test]
fn narrow_panels_odd_limits_and_rounded_ends_draw() {
    let series = [
        instant("a", &[("instance", "a-rather-long-instance-name:9100")], 10.0),
        instant("b", &[("instance", "b")], -5.0),
    ];
    // Narrow and tall: horizontal, with less than 30 px for the labels (used to panic).
    let narrow = barchart_markup(&view(&series, true, json!({}), json!({})), (80.0, 300.0));
    assert_eq!(narrow.matches("class=\"barchart-bar\"").count(), 2);
    // A min above every value, or a max below, leaves the automatic range (used to panic on NaN).
    for limits in [json!({"min": 50}), json!({"max": -20}), json!({"min": 5, "max": 5})] {
        let field_config = json!({ "defaults": limits });
        let markup = barchart_markup(&view(&series, true, json!({}), field_config), (400.0, 200.0));
        assert!(!markup.contains("NaN"), "{limits}: {markup}");
    }
    // Rounded ends away from zero: the top of a positive vertical bar, the left of a negative
    // horizontal one (arcs end on those edges).
    let rounded = |orientation: &str| {
        barchart_markup(
            &view(&series, true, json!({"orientation": orientation, "barRadius": 0.5}), json!({})),
            (400.0, 400.0),
        )
    };
    let vertical = rounded("vertical");
    let horizontal = rounded("horizontal");
    let paths = |markup: &str| -> Vec<String> {
        markup.split(" d=\"").skip(1).map(|p| p.split('"').next().unwrap_or("").to_string()).collect()
    };
    let (up, left) = (&paths(&vertical)[0], &paths(&horizontal)[1]);
    assert!(up.starts_with('M') && up.matches('A').count() == 2, "{up}");
    // The positive vertical bar starts at its bottom-left and ends its first arc on its top edge.
    let first_arc_end_y: f64 = up
        .split('A')
        .nth(1)
        .and_then(|a| a.split(',').nth(2))
        .and_then(|y| y.split(|c: char| c.is_ascii_alphabetic()).next())
        .and_then(|y| y.parse().ok())
        .unwrap_or(f64::NAN);
    let top_y: f64 = up
        .split('V')
        .nth(1)
        .and_then(|v| v.split('A').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN);
    assert!(first_arc_end_y < top_y, "the arc rises to the top edge: {up}");
    // The negative horizontal bar is drawn from its right edge, with its arcs on the left.
    let start_x: f64 = left[1..].split(',').next().and_then(|x| x.parse().ok()).unwrap_or(f64::NAN);
    let arc_x: f64 = left
        .split('A')
        .nth(1)
        .and_then(|a| a.split(' ').nth(4))
        .and_then(|p| p.split(',').next())
        .and_then(|x| x.parse().ok())
        .unwrap_or(f64::NAN);
    assert!(arc_x < start_x, "the arcs are on the left: {left}");
}
