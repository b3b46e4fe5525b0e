//! Panel plugin migrations: what Grafana's stat, gauge and bar gauge plugins do to a panel saved by an
//! older plugin version when it loads (their shared single-stat migration handler). It depends on the
//! panel's `pluginVersion`, not on the dashboard's schemaVersion: Grafana 6.0–6.5 kept field options
//! under `options` (`valueOptions`, `fieldOptions`, `thresholds`, `valueMappings`), 7.0 moved them to
//! `fieldConfig`. Reference: Grafana's SingleStatBaseOptions.ts.
//!
//! The heatmap plugin likewise turns an Angular heatmap (same id, no `options` yet) into its
//! options, keeping the old keys beside them, as Grafana does (heatmap migrations.ts).
//!
//! Runs before the Angular migration: a panel that migration creates from a singlestat is written
//! by the current plugin, as Grafana's `changePlugin` stamps the current version on it.

use super::Notes;
use super::value_mappings::upgrade_value_mappings;
use crate::json::{is_truthy, number};
use crate::reducers::reducer_id;
use crate::sorting;
use serde_json::{Map, Value, json};

const SINGLE_STAT_PLUGINS: &[&str] = &["stat", "gauge", "bargauge"];

/// `parseFloat(pluginVersion || '6.1')`: the leading number of the version, NaN when it has none
/// (`"v10.4.0"`), which makes every comparison false, as in JavaScript.
fn previous_version(panel: &Map<String, Value>) -> f64 {
    let text = match panel.get("pluginVersion") {
        Some(Value::String(s)) if !s.is_empty() => s.trim_start().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => "6.1".to_string(),
    };
    let mut end = 0;
    let mut seen_dot = false;
    for (index, c) in text.char_indices() {
        match c {
            '0'..='9' => end = index + 1,
            '.' if !seen_dot => seen_dot = true,
            '-' | '+' if index == 0 => {}
            _ => break,
        }
    }
    text[..end].parse().unwrap_or(f64::NAN)
}

pub fn migrate_panel(panel: &mut Map<String, Value>, path: &str, notes: &mut Notes) {
    let type_name = panel.get("type").and_then(Value::as_str).unwrap_or("");
    if type_name == "heatmap" {
        angular_heatmap(panel, path, notes);
        return;
    }
    if !SINGLE_STAT_PLUGINS.contains(&type_name) {
        return;
    }
    let previous = previous_version(panel);
    // NaN (an unparsable version) compares false with everything, as in JavaScript.
    if previous.is_nan() || previous >= 8.0 {
        return;
    }
    let mut options = match panel.get("options") {
        Some(Value::Object(options)) => options.clone(),
        _ => return,
    };
    let mut changed = false;
    if previous < 6.2 {
        changed |= from_value_options(&mut options);
    }
    if previous < 6.3 {
        changed |= thresholds_and_mappings_to_field(&mut options);
    }
    let mut field_options = options.get("fieldOptions").and_then(Value::as_object).cloned();
    if previous < 6.6
        && let Some(field_options) = field_options.as_mut()
    {
        changed = true;
        let mut defaults =
            field_options.get("defaults").and_then(Value::as_object).cloned().unwrap_or_default();
        let steps = match defaults.remove("thresholds").filter(|t| is_truthy(Some(t))) {
            Some(steps) => Some(steps),
            None => field_options.remove("thresholds").filter(|t| is_truthy(Some(t))),
        };
        if let Some(steps) = steps {
            defaults.insert("thresholds".into(), json!({"mode": "absolute", "steps": steps}));
        }
        if let Some(Value::String(color)) = defaults.get("color").cloned() {
            defaults.insert("color".into(), json!({"mode": "fixed", "fixedColor": color}));
        }
        validate_field_config(&mut defaults);
        field_options.insert("defaults".into(), Value::Object(defaults));
    }
    let mut field_config = match panel.get("fieldConfig") {
        Some(Value::Object(config)) => config.clone(),
        _ => Map::new(),
    };
    if previous < 7.0 {
        let mut defaults =
            field_config.get("defaults").and_then(Value::as_object).cloned().unwrap_or_default();
        let mut overrides =
            field_config.get("overrides").and_then(Value::as_array).cloned().unwrap_or_default();
        if let Some(field_options) = &field_options {
            if let Some(Value::Object(old_defaults)) = field_options.get("defaults") {
                for (key, value) in old_defaults {
                    defaults.insert(key.clone(), value.clone());
                }
            }
            if let Some(Value::Array(old_overrides)) = field_options.get("overrides") {
                overrides.extend(old_overrides.iter().cloned());
            }
            let mut reduce = Map::new();
            for key in ["values", "limit", "calcs"] {
                if let Some(value) = field_options.get(key) {
                    reduce.insert(key.into(), value.clone());
                }
            }
            options.insert("reduceOptions".into(), Value::Object(reduce));
            notes.add(
                &format!("{path}.options.fieldOptions"),
                "field options of plugin version 6 moved to fieldConfig",
            );
        }
        if options.remove("fieldOptions").is_some() {
            changed = true;
        }
        let upgraded_mappings = defaults.get("mappings").and_then(Value::as_array).filter(|m| {
            m.iter().any(|mapping| mapping.get("options").is_none() && mapping.get("type").is_some())
        });
        if let Some(mappings) = upgraded_mappings.cloned() {
            let thresholds = defaults.get("thresholds").cloned();
            defaults.insert("mappings".into(), json!(upgrade_value_mappings(&mappings, thresholds.as_ref())));
        }
        field_config = Map::new();
        field_config.insert("defaults".into(), Value::Object(defaults));
        field_config.insert("overrides".into(), Value::Array(overrides));
    }
    if let Some(Value::Object(defaults)) = field_config.get_mut("defaults") {
        if previous < 7.1
            && let Some(title) = defaults.remove("title")
        {
            if !title.is_null() {
                defaults.insert("displayName".into(), title);
            }
            changed = true;
        }
        if previous < 8.0 {
            // Grafana 8 stopped implying 0–100 for percent; older panels get the bounds written down.
            let bounds = match defaults.get("unit").and_then(Value::as_str) {
                Some("percent") => Some(100),
                Some("percentunit") => Some(1),
                _ => None,
            };
            if let Some(max) = bounds {
                for (key, value) in [("min", 0), ("max", max)] {
                    if !defaults.get(key).is_some_and(Value::is_number) {
                        defaults.insert(key.into(), json!(value));
                        changed = true;
                    }
                }
            }
        }
    }
    if changed {
        panel.insert("options".into(), Value::Object(options));
        panel.insert("fieldConfig".into(), Value::Object(field_config));
        panel.insert("pluginVersion".into(), json!(super::GRAFANA_VERSION));
    }
}

/// d3-scale-chromatic's schemes in the order Grafana's heatmap lists them (the order decides which
/// name an old `interpolate…` scheme matches first).
pub const HEATMAP_SCHEMES: &[&str] = &[
    "BrBG",
    "PiYG",
    "PRGn",
    "PuOr",
    "RdBu",
    "RdGy",
    "RdYlBu",
    "RdYlGn",
    "Spectral",
    "Blues",
    "Greens",
    "Greys",
    "Oranges",
    "Purples",
    "Reds",
    "Turbo",
    "Cividis",
    "Viridis",
    "Magma",
    "Inferno",
    "Plasma",
    "Warm",
    "Cool",
    "Cubehelix",
    "BuGn",
    "BuPu",
    "GnBu",
    "OrRd",
    "PuBuGn",
    "PuBu",
    "PuRd",
    "RdPu",
    "YlGnBu",
    "YlGn",
    "YlOrBr",
    "YlOrRd",
    "Rainbow",
    "Sinebow",
];

/// JavaScript's `+v` for the heatmap's `asNumber`: null, missing and `""` give the default.
fn as_number(value: Option<&Value>, default: Option<f64>) -> Option<f64> {
    match value {
        None | Some(Value::Null) => default,
        Some(Value::String(s)) if s.is_empty() => default,
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok().or(default),
        Some(Value::Bool(b)) => Some(f64::from(u8::from(*b))),
        _ => default,
    }
}

/// Grafana's angularToReactHeatmap, for a heatmap panel with no options yet.
fn angular_heatmap(panel: &mut Map<String, Value>, path: &str, notes: &mut Notes) {
    if panel.get("options").and_then(Value::as_object).is_some_and(|o| !o.is_empty()) {
        return;
    }
    let angular = panel.clone();
    let get = |key: &str| angular.get(key);
    let calculate = get("dataFormat").and_then(Value::as_str) != Some("tsbuckets");
    let y_axis = get("yAxis").and_then(Value::as_object).cloned().unwrap_or_default();
    let log_base = as_number(y_axis.get("logBase"), Some(1.0)).unwrap_or(1.0);
    let text = |value: &Value| match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut calculation = Map::new();
    if calculate {
        let truthy = |key: &str| get(key).filter(|v| is_truthy(Some(v)));
        if let Some(size) = truthy("xBucketSize") {
            calculation.insert("xBuckets".into(), json!({"mode": "size", "value": text(size)}));
        } else if let Some(count) = truthy("xBucketNumber") {
            calculation.insert("xBuckets".into(), json!({"mode": "count", "value": text(count)}));
        }
        if let Some(size) = truthy("yBucketSize") {
            calculation.insert("yBuckets".into(), json!({"mode": "size", "value": text(size)}));
        } else if truthy("xBucketNumber").is_some() {
            // Grafana tests the x count here and then writes the y count (undefined when unset).
            let value = get("yBucketNumber").map(text);
            let mut buckets = json!({"mode": "count"});
            if let Some(value) = value {
                buckets["value"] = json!(value);
            }
            calculation.insert("yBuckets".into(), buckets);
        }
        if log_base > 1.0 {
            let mut buckets = Map::new();
            buckets.insert("mode".into(), json!("count"));
            if as_number(y_axis.get("splitFactor"), None).is_some_and(|f| f > 0.0) {
                buckets.insert("value".into(), json!(text(&y_axis["splitFactor"])));
            }
            buckets.insert("scale".into(), json!({"type": "log", "log": number(log_base)}));
            calculation.insert("yBuckets".into(), Value::Object(buckets));
        }
    }
    let cards = get("cards");
    let cell_gap = as_number(cards.and_then(|c| c.get("cardPadding")), Some(2.0)).unwrap_or(2.0);
    let mut y_axis_options = Map::new();
    let hidden = y_axis.get("show") == Some(&json!(false));
    y_axis_options.insert("axisPlacement".into(), json!(if hidden { "hidden" } else { "left" }));
    y_axis_options.insert("reverse".into(), json!(is_truthy(get("reverseYBuckets"))));
    if let Some(width) = as_number(y_axis.get("width"), None) {
        y_axis_options.insert("axisWidth".into(), number(width));
    }
    for (from, to) in [("min", "min"), ("max", "max"), ("format", "unit"), ("decimals", "decimals")] {
        if let Some(value) = y_axis.get(from).filter(|v| !v.is_null()) {
            y_axis_options.insert(to.into(), value.clone());
        }
    }
    let mut color_options = Map::new();
    for (key, value) in [
        ("mode", json!("scheme")),
        ("scheme", json!("Oranges")),
        ("fill", json!("dark-orange")),
        ("scale", json!("exponential")),
        ("reverse", json!(false)),
        ("exponent", json!(0.5)),
        ("steps", json!(128)),
    ] {
        color_options.insert(key.into(), value);
    }
    let color = get("color").and_then(Value::as_object).cloned().unwrap_or_default();
    match color.get("mode").and_then(Value::as_str) {
        Some("spectrum") => {
            let current = color.get("colorScheme").and_then(Value::as_str).unwrap_or("");
            let scheme = HEATMAP_SCHEMES
                .iter()
                .find(|name| **name == current)
                .or_else(|| HEATMAP_SCHEMES.iter().find(|name| current.contains(**name)))
                .copied()
                .unwrap_or("Oranges");
            color_options.insert("scheme".into(), json!(scheme));
        }
        Some("opacity") => {
            color_options.insert("mode".into(), json!("opacity"));
            match color.get("scale") {
                Some(scale) => color_options.insert("scale".into(), scale.clone()),
                None => color_options.remove("scale"),
            };
        }
        _ => {}
    }
    for (from, to) in [("cardColor", "fill"), ("min", "min"), ("max", "max")] {
        match color.get(from) {
            Some(value) => color_options.insert(to.into(), value.clone()),
            None => color_options.remove(to),
        };
    }
    if let (Some(min), Some(max)) =
        (color.get("min").and_then(Value::as_f64), color.get("max").and_then(Value::as_f64))
        && min > max
    {
        color_options.insert("min".into(), number(max));
        color_options.insert("max".into(), number(min));
        color_options.insert("reverse".into(), json!(true));
    }
    let layout = match get("yBucketBound").and_then(Value::as_str) {
        Some("upper") => "ge",
        Some("lower") => "le",
        Some("middle") => "unknown",
        _ => "auto",
    };
    let flag = |object: &str, key: &str| is_truthy(get(object).and_then(|o| o.get(key)));
    let mut options = Map::new();
    options.insert("calculate".into(), json!(calculate));
    options.insert("calculation".into(), Value::Object(calculation));
    options.insert("color".into(), Value::Object(color_options));
    options.insert("cellGap".into(), number(if cell_gap == 0.0 { 1.0 } else { cell_gap }));
    if let Some(radius) = as_number(cards.and_then(|c| c.get("cardRound")), None) {
        options.insert("cellRadius".into(), number(radius));
    }
    options.insert("yAxis".into(), Value::Object(y_axis_options));
    let mut cell_values = Map::new();
    if let Some(decimals) = as_number(get("tooltipDecimals"), None) {
        cell_values.insert("decimals".into(), number(decimals));
    }
    options.insert("cellValues".into(), Value::Object(cell_values));
    options.insert("rowsFrame".into(), json!({"layout": layout}));
    options.insert("legend".into(), json!({"show": flag("legend", "show")}));
    options.insert("showValue".into(), json!("never"));
    options.insert(
        "tooltip".into(),
        json!({"show": flag("tooltip", "show"), "yHistogram": flag("tooltip", "showHistogram")}),
    );
    options.insert("exemplars".into(), json!({"color": "rgba(255,0,255,0.7)"}));
    if is_truthy(get("hideZeroBuckets")) {
        options.insert("filterValues".into(), json!({"le": 1e-9}));
    }
    panel.insert("options".into(), Value::Object(options));
    panel.insert("fieldConfig".into(), json!({"defaults": {}, "overrides": []}));
    panel.insert("pluginVersion".into(), json!(super::GRAFANA_VERSION));
    notes.add(path, "Angular heatmap options translated to the heatmap panel's");
}

/// Grafana 6.1: `valueOptions`, `valueMappings`, `thresholds`, `minValue`, `maxValue` at the root of
/// the options move under `fieldOptions`.
fn from_value_options(options: &mut Map<String, Value>) -> bool {
    let Some(value_options) = options.get("valueOptions").cloned() else { return false };
    if !is_truthy(Some(&value_options)) {
        return false;
    }
    let mut field_options = Map::new();
    let mut defaults = Map::new();
    for (from, to) in [("valueMappings", "mappings"), ("thresholds", "thresholds")] {
        if let Some(value) = options.get(from) {
            field_options.insert(to.into(), value.clone());
        }
    }
    for key in ["unit", "decimals"] {
        if let Some(value) = value_options.get(key) {
            defaults.insert(key.into(), value.clone());
        }
    }
    for (from, to) in [("minValue", "min"), ("maxValue", "max")] {
        if let Some(value) = options.get(from) {
            defaults.insert(to.into(), value.clone());
        }
    }
    field_options.insert("defaults".into(), Value::Object(defaults));
    if let Some(id) = value_options.get("stat").and_then(Value::as_str).and_then(reducer_id) {
        field_options.insert("calcs".into(), json!([id]));
    }
    options.insert("fieldOptions".into(), Value::Object(field_options));
    for key in ["valueMappings", "thresholds", "valueOptions", "minValue", "maxValue"] {
        options.remove(key);
    }
    true
}

/// Grafana 6.2: `fieldOptions.mappings` and root `thresholds` move into `fieldOptions.defaults`.
fn thresholds_and_mappings_to_field(options: &mut Map<String, Value>) -> bool {
    let Some(Value::Object(field_options)) = options.get("fieldOptions").cloned() else { return false };
    let mut rest = field_options.clone();
    let mappings = rest.remove("mappings");
    let mut defaults = field_options.get("defaults").and_then(Value::as_object).cloned().unwrap_or_default();
    if let Some(mappings) = mappings {
        defaults.insert("mappings".into(), mappings);
    }
    match options.get("thresholds").and_then(Value::as_array).filter(|t| !t.is_empty()) {
        Some(old) => {
            defaults.insert("thresholds".into(), json!({"mode": "absolute", "steps": old_thresholds(old)}));
        }
        None => {
            defaults.remove("thresholds");
        }
    }
    rest.insert("defaults".into(), Value::Object(defaults));
    options.insert("fieldOptions".into(), Value::Object(rest));
    true
}

/// Grafana's migrateOldThresholds: `{index, value, color}` → `{value, color}` sorted by value, the
/// first one the base (`null`, Grafana's -Infinity).
fn old_thresholds(old: &[Value]) -> Vec<Value> {
    let mut steps: Vec<(f64, Value)> = old
        .iter()
        .map(|t| {
            let value = t.get("value").and_then(Value::as_f64).unwrap_or(f64::NEG_INFINITY);
            (value, t.get("color").cloned().unwrap_or(Value::Null))
        })
        .collect();
    sorting::sort_by(&mut steps, |a, b| a.0.total_cmp(&b.0));
    steps
        .into_iter()
        .enumerate()
        .map(|(index, (value, color))| {
            let value = if index == 0 || value.is_infinite() { Value::Null } else { json!(value) };
            json!({"value": value, "color": color})
        })
        .collect()
}

/// Grafana's validateFieldConfig: thresholds without a colour mode colour by thresholds; a colour
/// object without a mode is dropped; min above max is swapped.
fn validate_field_config(defaults: &mut Map<String, Value>) {
    match defaults.get("color") {
        None if defaults.get("thresholds").is_some() => {
            defaults.insert("color".into(), json!({"mode": "thresholds"}));
        }
        Some(color) if color.get("mode").is_none_or(|m| !is_truthy(Some(m))) => {
            defaults.remove("color");
        }
        _ => {}
    }
    if let (Some(min), Some(max)) =
        (defaults.get("min").and_then(Value::as_f64), defaults.get("max").and_then(Value::as_f64))
        && min > max
    {
        defaults.insert("min".into(), json!(max));
        defaults.insert("max".into(), json!(min));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn migrated(panel: Value) -> Value {
        let mut panel = panel.as_object().unwrap().clone();
        let mut notes = Notes::default();
        migrate_panel(&mut panel, "panels[0]", &mut notes);
        Value::Object(panel)
    }

    #[test]
    fn angular_heatmap_options_are_translated_and_its_keys_kept() {
        let panel = migrated(json!({
            "type": "heatmap", "title": "Latency", "dataFormat": "tsbuckets", "yBucketBound": "upper",
            "cards": {"cardPadding": 0, "cardRound": null},
            "color": {"mode": "spectrum", "colorScheme": "interpolateYlGnBu", "cardColor": "#b4ff00", "min": 10, "max": 2},
            "yAxis": {"format": "s", "logBase": 2, "show": true, "decimals": null},
            "legend": {"show": true}, "tooltip": {"show": true, "showHistogram": false},
            "hideZeroBuckets": true, "reverseYBuckets": false
        }));
        let options = &panel["options"];
        assert_eq!(options["calculate"], false);
        // tsbuckets are not calculated, so the log y axis does not ask for buckets.
        assert_eq!(options["calculation"], json!({}));
        // Grafana takes the first listed scheme whose name the old one contains: GnBu comes before
        // YlGnBu, so interpolateYlGnBu becomes GnBu there, and here.
        assert_eq!(
            options["color"],
            json!({"mode": "scheme", "scheme": "GnBu", "fill": "#b4ff00", "scale": "exponential",
                   "reverse": true, "exponent": 0.5, "steps": 128, "min": 2, "max": 10})
        );
        assert_eq!(options["cellGap"], 1);
        assert!(options.get("cellRadius").is_none());
        assert_eq!(options["yAxis"], json!({"axisPlacement": "left", "reverse": false, "unit": "s"}));
        assert_eq!(options["rowsFrame"], json!({"layout": "ge"}));
        assert_eq!(options["tooltip"], json!({"show": true, "yHistogram": false}));
        assert_eq!(options["filterValues"], json!({"le": 1e-9}));
        assert_eq!(panel["fieldConfig"], json!({"defaults": {}, "overrides": []}));
        // The Angular keys stay beside the new options, as Grafana leaves them.
        assert_eq!(panel["dataFormat"], "tsbuckets");

        // Calculated from time series: bucket sizes and a log scale become the calculation.
        let panel = migrated(json!({"type": "heatmap", "options": {}, "dataFormat": "timeseries",
            "xBucketSize": "1m", "yAxis": {"logBase": 10, "splitFactor": 3},
            "color": {"mode": "opacity", "scale": "sqrt"}}));
        assert_eq!(
            panel["options"]["calculation"],
            json!({"xBuckets": {"mode": "size", "value": "1m"},
                   "yBuckets": {"mode": "count", "value": "3", "scale": {"type": "log", "log": 10}}})
        );
        assert_eq!(panel["options"]["color"]["mode"], "opacity");
        assert_eq!(panel["options"]["color"]["scale"], "sqrt");
        assert_eq!(panel["options"]["cellGap"], 2);

        // A heatmap of today's plugin is left alone.
        let current = json!({"type": "heatmap", "options": {"calculate": false}, "pluginVersion": "10.4.3"});
        assert_eq!(migrated(current.clone()), current);
    }

    #[test]
    fn plugin_versions_parse_like_parse_float() {
        let version = |v: Value| previous_version(json!({"pluginVersion": v}).as_object().unwrap());
        assert_eq!(version(json!("7.0.4")), 7.0);
        assert_eq!(version(json!("10.4.0")), 10.4);
        assert_eq!(version(json!("")), 6.1);
        assert_eq!(previous_version(&Map::new()), 6.1);
        assert!(version(json!("v10.4.0")).is_nan());
    }

    #[test]
    fn grafana_6_0_gauge_value_options_become_field_config() {
        let panel = migrated(json!({
            "type": "gauge",
            "options": {
                "valueOptions": {"unit": "bytes", "stat": "avg", "decimals": 1},
                "valueMappings": [{"id": 0, "operator": "", "text": "off", "type": 1, "value": "0"}],
                "thresholds": [{"index": 0, "value": null, "color": "green"}, {"index": 1, "value": 80, "color": "red"}],
                "minValue": 0, "maxValue": 200, "showThresholdMarkers": true
            }
        }));
        assert_eq!(
            panel["options"],
            json!({"showThresholdMarkers": true, "reduceOptions": {"calcs": ["mean"]}})
        );
        let defaults = &panel["fieldConfig"]["defaults"];
        assert_eq!(defaults["unit"], "bytes");
        assert_eq!(defaults["decimals"], 1);
        assert_eq!((defaults["min"].clone(), defaults["max"].clone()), (json!(0), json!(200)));
        // The array of 6.0 becomes the steps unchanged (Grafana does not re-sort here).
        assert_eq!(defaults["thresholds"]["mode"], "absolute");
        assert_eq!(defaults["thresholds"]["steps"][1]["value"], 80);
        assert_eq!(defaults["color"], json!({"mode": "thresholds"}));
        // The legacy value mapping is in today's form.
        assert_eq!(defaults["mappings"], json!([{"type": "value", "options": {"0": {"text": "off"}}}]));
        assert_eq!(panel["fieldConfig"]["overrides"], json!([]));
    }

    #[test]
    fn grafana_6_2_field_options_move_to_field_config() {
        let panel = migrated(json!({
            "type": "bargauge",
            "pluginVersion": "6.2.0",
            "options": {
                "orientation": "horizontal",
                "fieldOptions": {
                    "calcs": ["lastNotNull"], "values": false,
                    "defaults": {"unit": "percent", "title": "CPU", "color": "blue"},
                    "mappings": [], "thresholds": [{"color": "green", "value": null}]
                }
            }
        }));
        assert_eq!(
            panel["options"],
            json!({"orientation": "horizontal", "reduceOptions": {"values": false, "calcs": ["lastNotNull"]}})
        );
        let defaults = &panel["fieldConfig"]["defaults"];
        assert_eq!(defaults["color"], json!({"mode": "fixed", "fixedColor": "blue"}));
        assert_eq!(defaults["displayName"], "CPU");
        assert!(defaults.get("title").is_none());
        assert_eq!(defaults["thresholds"]["steps"], json!([{"color": "green", "value": null}]));
        // Percent had implied 0–100 before Grafana 8.
        assert_eq!((defaults["min"].clone(), defaults["max"].clone()), (json!(0), json!(100)));
    }

    #[test]
    fn current_plugin_versions_and_unparsable_ones_are_untouched() {
        for version in ["8.5.2", "v10.4.0", "11.6.1"] {
            let panel = json!({"type": "stat", "pluginVersion": version,
                "options": {"fieldOptions": {"calcs": ["lastNotNull"]}, "reduceOptions": {"calcs": ["mean"]}},
                "fieldConfig": {"defaults": {"unit": "percent"}, "overrides": []}});
            assert_eq!(migrated(panel.clone()), panel, "{version}");
        }
        // A 7.0 panel keeps a stray fieldOptions that 7.0 itself ignored (mysqld_exporter's overview).
        let panel = json!({"type": "stat", "pluginVersion": "7.0.4",
            "options": {"fieldOptions": {"calcs": ["lastNotNull"]}, "reduceOptions": {"calcs": ["mean"]}},
            "fieldConfig": {"defaults": {}, "overrides": []}});
        assert_eq!(migrated(panel.clone()), panel);
        let text = json!({"type": "text", "options": {"valueOptions": {"unit": "x"}}});
        assert_eq!(migrated(text.clone()), text);
    }
}
