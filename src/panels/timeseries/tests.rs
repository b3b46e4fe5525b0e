use super::*;
use crate::chart::AxisBounds;
use crate::chart::ValueColors;
use crate::field::Rgb;
use crate::field::scheme;
use crate::view::links;
use serde_json::json;

fn series(name: &str, ref_id: &str, values: &[f64]) -> DisplaySeries {
    DisplaySeries {
        ref_id: ref_id.into(),
        name: name.into(),
        labels: Default::default(),
        color: Rgb(0x73, 0xBF, 0x69),
        points_ms: values.iter().enumerate().map(|(i, v)| (i as f64 * 1000.0, *v)).collect::<Vec<_>>().into(),
        last_not_null: values.last().copied(),
    }
}

#[test]
fn defaults_then_overrides_by_name_regex_and_query() {
    let all = [series("rx", "A", &[1.0]), series("tx", "A", &[2.0]), series("errors", "B", &[3.0])];
    let options = series_options(
        &all,
        &json!({"defaults": {"unit": "bytes", "custom": {"lineWidth": 2, "fillOpacity": 10}},
                "overrides": [
                    {"matcher": {"id": "byName", "options": "tx"}, "properties": [
                        {"id": "custom.transform", "value": "negative-Y"}, {"id": "color", "value": {"mode": "fixed", "fixedColor": "red"}}]},
                    {"matcher": {"id": "byRegexp", "options": "/^(rx|tx)$/"}, "properties": [{"id": "custom.fillOpacity", "value": 30}]},
                    {"matcher": {"id": "byFrameRefID", "options": "B"}, "properties": [
                        {"id": "unit", "value": "short"}, {"id": "displayName", "value": "Errors"}, {"id": "custom.drawStyle", "value": "bars"}]}]}),
        Theme::Dark,
    );
    assert_eq!(options[0].style.fill_opacity, 0.3);
    assert_eq!(options[0].style.line_width, 2.0);
    assert!(options[1].style.negative_y && !options[0].style.negative_y);
    assert_eq!(options[1].color, "#F2495C");
    assert_eq!(options[0].color, "#73bf69");
    assert_eq!(
        (options[2].display_name.as_str(), options[2].style.draw, options[2].field.unit.as_str()),
        ("Errors", DrawStyle::Bars, "short")
    );
    assert_eq!(options[0].field.unit, "bytes");
    // A bare byRegexp pattern is anchored, as Grafana's stringToJsRegex makes it.
    let anchored = series_options(
        &all,
        &json!({"overrides": [{"matcher": {"id": "byRegexp", "options": "r.*"}, "properties": [{"id": "unit", "value": "bits"}]}]}),
        Theme::Dark,
    );
    assert_eq!(anchored.iter().map(|o| o.field.unit.as_str()).collect::<Vec<_>>(), ["bits", "", ""]);
}

#[test]
fn stacking_and_negative_y() {
    let stacked = SeriesStyle { stack_group: Some("A".into()), ..SeriesStyle::default() };
    let result = stack_series(
        vec![
            vec![(0.0, 1.0), (1.0, 2.0)].into(),
            vec![(0.0, 10.0), (1.0, f64::NAN)].into(),
            vec![(0.0, 5.0)].into(),
        ],
        &[stacked.clone(), stacked.clone(), SeriesStyle { negative_y: true, ..SeriesStyle::default() }],
    );
    assert_eq!(result[0], (vec![(0.0, 1.0), (1.0, 2.0)].into(), Some(vec![(0.0, 0.0), (1.0, 0.0)])));
    assert_eq!(result[1].0[0], (0.0, 11.0));
    assert!(result[1].0[1].1.is_nan());
    assert_eq!(result[1].1, Some(vec![(0.0, 1.0), (1.0, 2.0)]));
    assert_eq!(result[2], (vec![(0.0, -5.0)].into(), None));
    let percent = SeriesStyle { stack_percent: true, ..stacked };
    let result =
        stack_series(vec![vec![(0.0, 1.0)].into(), vec![(0.0, 3.0)].into()], &[percent.clone(), percent]);
    assert_eq!((result[0].0[0].1, result[1].0[0].1), (0.25, 1.0));
}

#[test]
fn legend_modes_titles_and_values() {
    let legend = legend_options(
        &json!({"legend": {"displayMode": "table", "placement": "right", "calcs": ["mean", "max", "lastNotNull"]}}),
    );
    assert_eq!((legend.mode, legend.right, legend.calcs.len()), (LegendMode::Table, true, 3));
    assert_eq!(
        legend_options(&json!({"legend": {"showLegend": false, "displayMode": "list"}})).mode,
        LegendMode::Hidden
    );
    assert_eq!(legend_options(&json!({})).mode, LegendMode::List);
    assert_eq!(calc_title("lastNotNull"), "Last *");
    let s = series("rx", "A", &[1024.0, 2048.0, 3072.0]);
    let options =
        series_options(std::slice::from_ref(&s), &json!({"defaults": {"unit": "bytes"}}), Theme::Dark);
    assert_eq!(legend_values(&s, &options[0], &legend.calcs), vec!["2 KiB", "3 KiB", "3 KiB"]);
    assert_eq!(legend_values(&s, &options[0], &["count".to_string()]), vec!["3"]);
}

#[test]
fn legend_sort_follows_grafanas_table_legend() {
    let legend =
        legend_options(&json!({"legend": {"displayMode": "table", "calcs": ["max"], "sortBy": "Max"}}));
    assert_eq!(
        legend.sort,
        Some(LegendSort { by: "Max".into(), desc: false }),
        "absent sortDesc is ascending"
    );
    assert_eq!(legend_options(&json!({"legend": {"sortBy": ""}})).sort, None);

    let all = [
        series("b", "A", &[1.0, 5.0]),
        series("a", "A", &[f64::NAN]),
        series("c", "A", &[9.0]),
        series("d", "A", &[5.0, 2.0]),
    ];
    let names: Vec<String> = all.iter().map(|s| s.name.clone()).collect();
    let calcs = ["max".to_string()];
    let by = |by: &str, desc: bool| legend_order(&all, &names, &calcs, &LegendSort { by: by.into(), desc });
    // A series without a value sorts as -Infinity; equal maxima keep the query order both ways.
    assert_eq!(by("Max", false), vec![1, 0, 3, 2]);
    assert_eq!(by("Max", true), vec![2, 0, 3, 1]);
    assert_eq!(by("Name", false), vec![1, 0, 2, 3]);
    assert_eq!(by("Mean", true), vec![0, 1, 2, 3], "a calc the legend does not show changes nothing");

    let hosts: Vec<String> = ["node10", "Node9", "node1", "node9"].map(String::from).to_vec();
    let four = [series("", "A", &[]), series("", "A", &[]), series("", "A", &[]), series("", "A", &[])];
    let order = legend_order(&four, &hosts, &[], &LegendSort { by: "Name".into(), desc: false });
    assert_eq!(order, vec![2, 1, 3, 0], "digits compare as numbers, case is ignored");

    // Header clicks: another column → descending → ascending → no sort.
    let max_desc = toggle_legend_sort(None, "Max");
    assert_eq!(max_desc, Some(LegendSort { by: "Max".into(), desc: true }));
    let max_asc = toggle_legend_sort(max_desc.as_ref(), "Max");
    assert_eq!(max_asc, Some(LegendSort { by: "Max".into(), desc: false }));
    assert_eq!(toggle_legend_sort(max_asc.as_ref(), "Max"), None);
    assert_eq!(
        toggle_legend_sort(max_asc.as_ref(), "Name"),
        Some(LegendSort { by: "Name".into(), desc: true })
    );
}

#[test]
fn tooltips_show_values_at_the_nearest_sample() {
    let all = [series("rx", "A", &[1.0, 2048.0, 3.0]), series("tx", "A", &[5.0, 6.0, 7.0])];
    let options = series_options(&all, &json!({"defaults": {"unit": "bytes"}}), Theme::Dark);
    let (time, rows) = tooltip_rows(&all, &options, 1_200.0, 1_000.0, "multi", 0.0).expect("a tooltip");
    assert_eq!(time, 1_000.0);
    let shown: Vec<(&str, &str)> = rows.iter().map(|r| (r.name.as_str(), r.text.as_str())).collect();
    assert_eq!(shown, vec![("rx", "2 KiB"), ("tx", "6 B")]);
    let (_, single) = tooltip_rows(&all, &options, 1_200.0, 1_000.0, "single", 7.0).expect("a tooltip");
    assert_eq!(single.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), vec!["tx"]);
    assert_eq!(tooltip_rows(&all, &options, 1_200.0, 1_000.0, "none", 0.0), None);
    assert_eq!(tooltip_rows(&all, &options, 9_000.0, 1_000.0, "multi", 0.0), None, "no sample near");
}

#[test]
fn thresholds_style_selects_lines_and_areas() {
    let config = json!({"defaults": {"custom": {"thresholdsStyle": {"mode": "line+area"}},
        "thresholds": {"mode": "absolute", "steps": [{"value": null, "color": "green"}, {"value": 80, "color": "red"}]}}});
    let display = thresholds_display(&config, Theme::Dark).expect("drawn");
    assert!(display.lines && display.areas);
    assert_eq!(
        display.steps,
        vec![(f64::NEG_INFINITY, Rgb(0x73, 0xBF, 0x69)), (80.0, Rgb(0xF2, 0x49, 0x5C))]
    );
    assert_eq!(
        thresholds_display(
            &json!({"defaults": {"custom": {"thresholdsStyle": {"mode": "off"}}}}),
            Theme::Dark
        ),
        None
    );
    assert_eq!(thresholds_display(&json!({}), Theme::Dark), None);
}

#[test]
fn line_styles_dash_as_grafana_defaults_them() {
    let dash_of = |line_style: Value| {
        let all = [series("rx", "A", &[1.0])];
        series_options(&all, &json!({"defaults": {"custom": {"lineStyle": line_style}}}), Theme::Dark)[0]
            .style
            .dash
    };
    assert_eq!(dash_of(json!({"fill": "solid"})), None);
    assert_eq!(dash_of(json!({"fill": "dash"})), Some((10.0, 10.0)), "Grafana's default dash");
    assert_eq!(dash_of(json!({"fill": "dash", "dash": [10, 15]})), Some((10.0, 15.0)));
    assert_eq!(dash_of(json!({"fill": "dot", "dash": [0, 10]})), Some((0.0, 10.0)));
    assert_eq!(dash_of(json!({"fill": "dash", "dash": [5]})), Some((5.0, 5.0)));
    // An override (as the graph migration writes for seriesOverrides dashes) applies too.
    let all = [series("rx", "A", &[1.0]), series("tx", "A", &[1.0])];
    let options = series_options(
        &all,
        &json!({"overrides": [{"matcher": {"id": "byName", "options": "tx"},
            "properties": [{"id": "custom.lineStyle", "value": {"fill": "dash", "dash": [10, 10]}}]}]}),
        Theme::Dark,
    );
    assert_eq!((options[0].style.dash, options[1].style.dash), (None, Some((10.0, 10.0))));
}

#[test]
fn log_scale_from_scale_distribution() {
    assert_eq!(log_base(Some(&json!({"scaleDistribution": {"type": "log", "log": 10}}))), Some(10.0));
    assert_eq!(log_base(Some(&json!({"scaleDistribution": {"type": "log"}}))), Some(2.0));
    assert_eq!(log_base(Some(&json!({"scaleDistribution": {"type": "linear"}}))), None);
    assert_eq!(log_base(None), None);
}

#[test]
fn time_axis_hides_with_the_value_axes_unless_the_time_field_is_placed() {
    let hidden = json!({"defaults": {"custom": {"axisPlacement": "hidden"}}, "overrides": []});
    assert!(time_axis_hidden(&hidden));
    let migrated = json!({"defaults": {"custom": {"axisPlacement": "hidden"}}, "overrides": [
        {"matcher": {"id": "byType", "options": "time"}, "properties": [{"id": "custom.axisPlacement", "value": "auto"}]}
    ]});
    assert!(!time_axis_hidden(&migrated));
    assert!(!time_axis_hidden(&json!({"defaults": {"custom": {"axisPlacement": "left"}}})));
    assert!(!time_axis_hidden(&json!({})));
    let only_time_hidden = json!({"defaults": {}, "overrides": [
        {"matcher": {"id": "byType", "options": "time"}, "properties": [{"id": "custom.axisPlacement", "value": "hidden"}]}
    ]});
    assert!(time_axis_hidden(&only_time_hidden));
}

#[test]
fn calculate_field_reduce_row_and_binary() {
    let cpus = vec![series("cpu0", "A", &[10.0, 20.0]), series("cpu1", "A", &[30.0, f64::NAN])];
    // k8s-views-global's "Cluster CPU Utilization": the mean of every series, replacing them.
    let mean = calculate_fields(
        cpus.clone(),
        &json!([{"id": "calculateField", "options": {"alias": "CPU usage in %", "mode": "reduceRow",
            "reduce": {"reducer": "mean"}, "replaceFields": true}}]),
    );
    assert_eq!(mean.len(), 1);
    assert_eq!(mean[0].name, "CPU usage in %");
    assert_eq!(mean[0].points_ms.as_slice(), &[(0.0, 20.0), (1000.0, 20.0)], "NaN is left out of the mean");
    let ratio = calculate_fields(
        cpus.clone(),
        &json!([{"id": "calculateField", "options": {"mode": "binary",
            "binary": {"left": "cpu1", "operator": "/", "right": "cpu0"}}}]),
    );
    assert_eq!(ratio.len(), 3, "added, not replacing");
    assert_eq!(ratio[2].name, "cpu1 / cpu0");
    assert_eq!(ratio[2].points_ms[0], (0.0, 3.0));
    let scaled = calculate_fields(
        cpus.clone(),
        &json!([{"id": "calculateField", "options": {"mode": "binary", "alias": "x100",
            "binary": {"left": "cpu0", "operator": "*", "right": "100"}, "replaceFields": true}}]),
    );
    assert_eq!(scaled[0].points_ms.as_slice(), &[(0.0, 1000.0), (1000.0, 2000.0)]);
    // Other transformations leave the series alone.
    assert_eq!(calculate_fields(cpus.clone(), &json!([{"id": "organize"}])).len(), 2);
}

#[test]
fn legend_clicks_isolate_and_toggle_like_grafana() {
    let all: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
    let only_b = toggle_series_visibility(None, &all, "b", false);
    assert_eq!(only_b.as_deref(), Some(&["b".to_string()][..]));
    // Clicking the one shown series shows everything again.
    assert_eq!(toggle_series_visibility(only_b.as_deref(), &all, "b", false), None);
    // Ctrl-click hides one of all, then brings it back (everything shown is None again).
    let without_c = toggle_series_visibility(None, &all, "c", true);
    assert_eq!(without_c.as_deref(), Some(&["a".to_string(), "b".to_string()][..]));
    assert_eq!(toggle_series_visibility(without_c.as_deref(), &all, "c", true), None);
}

#[test]
fn by_value_colours_and_gradient_modes() {
    let all = [series("low", "A", &[5.0, 0.0]), series("high", "A", &[0.0, 10.0])];
    // Continuous GrYlRd (k8s-views-global's CPU panel): each series coloured by its last value
    // over the range of every series; the scheme gradient gets the scheme's stops.
    let options = series_options(
        &all,
        &json!({"defaults": {"color": {"mode": "continuous-GrYlRd", "seriesBy": "last"},
                "custom": {"gradientMode": "scheme", "lineInterpolation": "smooth", "axisSoftMin": 0, "axisSoftMax": 1}}}),
        Theme::Dark,
    );
    assert_eq!(options[0].color, "#73bf69", "0 of 0–10 is green");
    assert_eq!(options[1].color, "#f2495c", "10 of 0–10 is red");
    assert_eq!(options[0].style.gradient, GradientMode::Scheme);
    assert_eq!(options[0].style.interpolation, Interpolation::Smooth);
    assert_eq!((options[0].style.soft_min, options[0].style.soft_max), (Some(0.0), Some(1.0)));
    assert!(matches!(&options[0].style.value_colors, Some(ValueColors::Scheme(stops)) if stops.len() == 3));
    // seriesBy max colours "low" by its 5: the middle of the scheme.
    let by_max = series_options(
        &all,
        &json!({"defaults": {"color": {"mode": "continuous-GrYlRd", "seriesBy": "max"}}}),
        Theme::Dark,
    );
    assert_eq!(
        by_max[0].color,
        scheme::continuous_color("continuous-GrYlRd", 0.5, Theme::Dark).unwrap().to_css()
    );
    // Thresholds colour mode: the last value's step, and absolute steps for the gradient;
    // percentage steps are placed on the field's min/max.
    let thresholds = series_options(
        &all,
        &json!({"defaults": {"color": {"mode": "thresholds"}, "min": 0, "max": 200, "custom": {"gradientMode": "hue"},
                "thresholds": {"mode": "percentage", "steps": [{"value": null, "color": "green"}, {"value": 50, "color": "red"}]}}}),
        Theme::Dark,
    );
    assert_eq!(thresholds[1].color, "#73BF69", "10 is 5 % of 0–200");
    assert_eq!(thresholds[0].style.gradient, GradientMode::Hue);
    assert_eq!(
        thresholds[0].style.value_colors,
        Some(ValueColors::Steps(vec![
            (f64::NEG_INFINITY, Rgb::from_hex(0x73BF69)),
            (100.0, Rgb::from_hex(0xF2495C))
        ]))
    );
    // Hard and soft limits of the left axis come from the defaults.
    let bounds = left_axis_bounds(&json!({"defaults": {"min": 0, "custom": {"axisSoftMax": 100}}}));
    assert_eq!(bounds, AxisBounds { min: Some(0.0), max: None, soft_min: None, soft_max: Some(100.0) });
}

#[test]
fn by_type_overrides_reach_every_number_field() {
    let all = [series("a", "A", &[1.0]), series("b", "B", &[2.0])];
    let options = series_options(
        &all,
        &json!({"defaults": {}, "overrides": [
            {"matcher": {"id": "byType", "options": "number"}, "properties": [{"id": "custom.lineWidth", "value": 3}]},
            {"matcher": {"id": "byType", "options": "time"}, "properties": [{"id": "custom.lineWidth", "value": 9}]}]}),
        Theme::Dark,
    );
    assert!(
        options.iter().all(|o| o.style.line_width == 3.0),
        "{:?}",
        options.iter().map(|o| o.style.line_width).collect::<Vec<_>>()
    );
}

#[test]
fn by_value_overrides_compare_a_reducer_with_a_number() {
    let all = [series("idle", "A", &[0.0, 0.0]), series("busy", "A", &[1.0, 5.0])];
    let options = series_options(
        &all,
        &json!({"defaults": {}, "overrides": [
            {"matcher": {"id": "byValue", "options": {"op": "gte", "reducer": "max", "value": 3}},
             "properties": [{"id": "custom.lineWidth", "value": 4}]},
            {"matcher": {"id": "byValue", "options": {"op": "eq", "reducer": "allIsZero", "value": 1}},
             "properties": [{"id": "custom.hideFrom", "value": {"viz": true, "legend": true, "tooltip": true}}]}]}),
        Theme::Dark,
    );
    assert_eq!((options[0].style.line_width, options[0].style.hidden), (1.0, true), "all zero: hidden");
    assert_eq!((options[1].style.line_width, options[1].style.hidden), (4.0, false), "max 5 ≥ 3");
}

#[test]
fn data_links_of_a_series_and_what_they_refer_to() {
    let mut cpu = series("cpu0", "A", &[1.5]);
    cpu.labels.insert("instance".into(), "host:9100".into());
    let options = series_options(
        &[cpu.clone()],
        &json!({"defaults": {"links": [{"title": "Host", "url": "/d/host?var-instance=${__field.labels.instance}"}]}, "overrides": []}),
        Theme::Dark,
    );
    assert_eq!(options[0].links.len(), 1);
    let reference = |name: &str| series_data_reference(name, &cpu, "CPU 0", (1_000.0, 1.5, "1.50"));
    let url = links::with_data_references(
        "/d/host?var-instance=${__field.labels.instance}&v=${__value.raw}&t=${__value.time}&s=${__series.name}&x=${__nope.x}",
        &reference,
    );
    assert_eq!(url, "/d/host?var-instance=host:9100&v=1.5&t=1000&s=CPU 0&x=${__nope.x}");
}
