//! Field overrides, as Grafana applies them to every panel kind: a field's config is the
//! panel's `fieldConfig.defaults`, then each override whose matcher selects the field (by name,
//! regex, query, type, names, or a reduced value), its properties in order.

use crate::field::DisplaySeries;
use crate::field::display::reduce;
use crate::jsregex::JsRegex;
use serde_json::Value;

/// A field as the overrides that select it make it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedField<'a> {
    /// The defaults with every matching override's properties set in order (`custom.*` ones
    /// inside `custom`).
    pub config: Value,
    /// The `displayName` the defaults or an override set, unfilled.
    pub display_name: Option<String>,
    /// The matching overrides' `custom.*` properties in order, without the prefix, for panels
    /// that apply each in turn over the defaults' (time series styles).
    pub custom: Vec<(&'a str, &'a Value)>,
}

/// A field's config: the defaults, then the properties of every override whose matcher selects
/// it, in order. The matchers run once per field.
pub fn field_for<'a>(
    field_config: &'a Value,
    name: &str,
    ref_id: &str,
    values: &[(f64, f64)],
) -> ResolvedField<'a> {
    let mut config = field_config
        .get("defaults")
        .cloned()
        .filter(Value::is_object)
        .unwrap_or_else(|| serde_json::json!({}));
    let mut display_name = config.get("displayName").and_then(Value::as_str).map(str::to_string);
    let mut custom = Vec::new();
    for (id, value) in matching_properties(field_config, name, ref_id, values) {
        let Some(object) = config.as_object_mut() else { continue };
        match id.strip_prefix("custom.") {
            Some(key) => {
                custom.push((key, value));
                let merged = object.entry("custom").or_insert_with(|| serde_json::json!({}));
                if let Some(merged) = merged.as_object_mut() {
                    merged.insert(key.to_string(), value.clone());
                }
            }
            None if id == "displayName" => display_name = value.as_str().map(str::to_string),
            None => {
                object.insert(id.to_string(), value.clone());
            }
        }
    }
    ResolvedField { config, display_name, custom }
}

/// A `displayName` with the field's own references filled in: `${__field.labels.NAME}`,
/// `${__field.name}`, `${__series.name}` (Grafana's field display name templates). Other
/// references stay as written.
pub fn fill_display_name(template: &str, series: &DisplaySeries) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = &after[..end];
        let value = match name.strip_prefix("__field.labels.") {
            Some(label) => series.labels.get(label).cloned(),
            None if matches!(name, "__field.name" | "__series.name") => Some(series.name.clone()),
            None => None,
        };
        match value {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[start..start + 2 + end + 1]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The field config and shown name of each series: [`field_for`], its display name filled in
/// (the series' own name where none is set).
pub fn series_fields(field_config: &Value, series: &[DisplaySeries]) -> Vec<(Value, String)> {
    series
        .iter()
        .map(|s| {
            let field = field_for(field_config, &s.name, &s.ref_id, &s.points_ms);
            let shown =
                field.display_name.map(|t| fill_display_name(&t, s)).unwrap_or_else(|| s.name.clone());
            (field.config, shown)
        })
        .collect()
}

/// Every property (id, value) of the overrides that select a field, in order.
fn matching_properties<'a>(
    field_config: &'a Value,
    name: &str,
    ref_id: &str,
    values: &[(f64, f64)],
) -> Vec<(&'a str, &'a Value)> {
    field_config
        .get("overrides")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|o| o.get("matcher").is_some_and(|m| matches(m, name, ref_id, values)))
        .flat_map(|rule| rule.get("properties").and_then(Value::as_array).into_iter().flatten())
        .filter_map(|p| Some((p.get("id")?.as_str()?, p.get("value")?)))
        .collect()
}

/// Whether an override's matcher selects this series (`values`: its samples, for `byValue`).
pub fn matches(matcher: &Value, name: &str, ref_id: &str, values: &[(f64, f64)]) -> bool {
    let options = matcher.get("options");
    match matcher.get("id").and_then(Value::as_str) {
        // Grafana's "Fields with values": a reducer of the field compared with a number.
        Some("byValue") => {
            let Some(options) = options else { return false };
            let reducer = options.get("reducer").and_then(Value::as_str).unwrap_or("mean");
            let limit = options.get("value").and_then(Value::as_f64).unwrap_or(0.0);
            let samples: Vec<f64> = values.iter().map(|(_, v)| *v).collect();
            let reduced = match reducer {
                // Grafana's boolean reducers compare as JavaScript numbers: true is 1.
                "allIsZero" => Some(f64::from(u8::from(samples.iter().all(|v| *v == 0.0)))),
                "allIsNull" => Some(f64::from(u8::from(samples.iter().all(|v| v.is_nan())))),
                other => reduce(other, &samples),
            };
            let Some(reduced) = reduced else { return false };
            match options.get("op").and_then(Value::as_str).unwrap_or("gte") {
                "gt" => reduced > limit,
                "gte" => reduced >= limit,
                "lt" => reduced < limit,
                "lte" => reduced <= limit,
                "eq" => reduced == limit,
                "ne" => reduced != limit,
                _ => false,
            }
        }
        Some("byName") => options.and_then(Value::as_str) == Some(name),
        Some("byRegexp") => options
            .and_then(Value::as_str)
            .and_then(|pattern| JsRegex::field_pattern(pattern).ok())
            .is_some_and(|regex| regex.is_match(name)),
        Some("byFrameRefID") => options.and_then(Value::as_str) == Some(ref_id),
        // Every series is a number field; the time field is not a series here.
        Some("byType") => options.and_then(Value::as_str) == Some("number"),
        Some("byNames") => options
            .and_then(|o| o.get("names"))
            .and_then(Value::as_array)
            .is_some_and(|names| names.iter().any(|n| n.as_str() == Some(name))),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Rgb;
    use serde_json::json;

    #[test]
    fn defaults_then_matching_overrides_in_order() {
        let config = json!({"defaults": {"unit": "short", "decimals": 1, "custom": {"lineWidth": 1}},
            "overrides": [
                {"matcher": {"id": "byName", "options": "rx"}, "properties": [{"id": "unit", "value": "bytes"}, {"id": "custom.lineWidth", "value": 3}]},
                {"matcher": {"id": "byRegexp", "options": "r.*"}, "properties": [{"id": "displayName", "value": "Received"}, {"id": "decimals", "value": 0}]},
                {"matcher": {"id": "byFrameRefID", "options": "B"}, "properties": [{"id": "unit", "value": "percent"}]}]});
        let rx = field_for(&config, "rx", "A", &[]);
        assert_eq!(rx.config, json!({"unit": "bytes", "decimals": 0, "custom": {"lineWidth": 3}}));
        assert_eq!(rx.display_name.as_deref(), Some("Received"));
        assert_eq!(rx.custom, vec![("lineWidth", &json!(3))]);
        let tx = field_for(&config, "tx", "B", &[]);
        assert_eq!(tx.config, json!({"unit": "percent", "decimals": 1, "custom": {"lineWidth": 1}}));
        assert_eq!(tx.display_name, None);
        assert!(tx.custom.is_empty());
        assert_eq!(field_for(&json!({}), "x", "A", &[]).config, json!({}));
    }

    #[test]
    fn display_names_fill_the_fields_own_references() {
        let series = DisplaySeries {
            ref_id: "A".into(),
            name: "up{job=\"api\"}".into(),
            labels: [("instance".to_string(), "host:9100".to_string())].into_iter().collect(),
            color: Rgb(0, 0, 0),
            points_ms: std::sync::Arc::new(vec![]),
            last_not_null: None,
        };
        assert_eq!(fill_display_name("CPU ${__field.labels.instance}", &series), "CPU host:9100");
        assert_eq!(
            fill_display_name("${__series.name} $var ${other} ${open", &series),
            "up{job=\"api\"} $var ${other} ${open"
        );
        let config = json!({"defaults": {"displayName": "${__field.labels.instance}"}, "overrides": []});
        assert_eq!(series_fields(&config, &[series])[0].1, "host:9100");
    }
}
