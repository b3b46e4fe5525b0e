//! Series names from `legendFormat`, exactly as Grafana's Prometheus backend names them
//! (reference: grafana-display.md §6.1).

use std::collections::BTreeMap;

/// The display name of one series.
pub fn series_name(legend_format: &str, labels: &BTreeMap<String, String>, expr: &str) -> String {
    let name = match legend_format {
        // With `__auto` and labels, Grafana's backend leaves the name empty and its front end picks
        // from the labels of all series together; until that lands (panels issue) we show the
        // verbose name, which names the same series.
        "" | "__auto" => metric_name_from_labels(labels),
        template => render_template(template, labels),
    };
    if name == "{}" { expr.to_string() } else { name }
}

/// `{{ label }}` becomes the label's value, or nothing when the series lacks that label.
fn render_template(template: &str, labels: &BTreeMap<String, String>) -> String {
    let mut output = String::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open + 2..].find("}}") else { break };
        output.push_str(&rest[..open]);
        let label = rest[open + 2..open + 2 + close].trim();
        if label.is_empty() {
            output.push_str(&rest[open..open + close + 4]);
        } else if let Some(value) = labels.get(label) {
            output.push_str(value);
        }
        rest = &rest[open + close + 4..];
    }
    output.push_str(rest);
    output
}

/// `metric{a="1", b="2"}`, with Go's `%q` quoting of values; `{}` when there is nothing at all.
fn metric_name_from_labels(labels: &BTreeMap<String, String>) -> String {
    let metric = labels.get("__name__").map(String::as_str).unwrap_or("");
    let pairs: Vec<String> = labels
        .iter()
        .filter(|(key, _)| *key != "__name__")
        .map(|(key, value)| format!("{key}={}", go_quote(value)))
        .collect();
    if pairs.is_empty() && !metric.is_empty() {
        return metric.to_string();
    }
    format!("{metric}{{{}}}", pairs.join(", "))
}

fn go_quote(value: &str) -> String {
    let mut quoted = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn grafana_naming_rules() {
        let app = labels(&[("__name__", "http_request_total"), ("app", "backend"), ("device", "mobile")]);
        assert_eq!(series_name("", &app, "e"), "http_request_total{app=\"backend\", device=\"mobile\"}");
        assert_eq!(
            series_name("legend {{app}} {{ device }} {{broken}}", &app, "e"),
            "legend backend mobile "
        );
        assert_eq!(series_name("", &labels(&[("job", "grafana")]), "e"), "{job=\"grafana\"}");
        assert_eq!(series_name("", &labels(&[("__name__", "up")]), "e"), "up");
        assert_eq!(series_name("", &labels(&[]), "sum(up)"), "sum(up)");
        assert_eq!(series_name("__auto", &labels(&[]), "sum(up)"), "sum(up)");
        assert_eq!(series_name("", &labels(&[("q", "a\"b")]), "e"), "{q=\"a\\\"b\"}");
        assert_eq!(series_name("static", &app, "e"), "static");
    }
}
