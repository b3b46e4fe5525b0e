//! Ad hoc filters: label matchers added to every vector selector of a PromQL expression, as Grafana's
//! Prometheus datasource does for `adhoc` variables. A small lexer finds the selectors; strings,
//! range and label-list positions are never touched.

use crate::variables::AdhocFilter;

/// The PromQL label matcher for one filter; an unknown operator is `=`.
fn matcher(filter: &AdhocFilter) -> String {
    let operator = match filter.operator.as_str() {
        "!=" | "=~" | "!~" => filter.operator.as_str(),
        _ => "=",
    };
    let value = filter.value.replace('\\', "\\\\").replace('"', "\\\"");
    format!("{}{operator}\"{value}\"", filter.key)
}

/// Besides PromQL's keywords ([`super::promql_assist::KEYWORDS`]), words that are never metric
/// names where they stand: aggregation operators and the special float literals.
const NOT_METRICS: &[&str] = &[
    "sum",
    "min",
    "max",
    "avg",
    "group",
    "stddev",
    "stdvar",
    "count",
    "count_values",
    "bottomk",
    "topk",
    "quantile",
    "limitk",
    "limit_ratio",
    "inf",
    "nan",
    "Inf",
    "NaN",
];
/// After these, a parenthesised list holds label names, not selectors.
const LABEL_LIST_KEYWORDS: &[&str] = &["by", "without", "on", "ignoring", "group_left", "group_right"];

fn is_identifier_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == ':'
}

fn is_identifier_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == ':'
}

/// Index just past a quoted string starting at `start` (handles escapes).
fn skip_string(chars: &[char], start: usize) -> usize {
    let quote = chars[start];
    let mut index = start + 1;
    while index < chars.len() {
        match chars[index] {
            '\\' if quote != '`' => index += 2,
            c if c == quote => return index + 1,
            _ => index += 1,
        }
    }
    chars.len()
}

/// Index of the `}` closing the `{` at `start`, skipping strings.
fn matching_brace(chars: &[char], start: usize) -> Option<usize> {
    let mut index = start + 1;
    while index < chars.len() {
        match chars[index] {
            '"' | '\'' | '`' => index = skip_string(chars, index),
            '}' => return Some(index),
            _ => index += 1,
        }
    }
    None
}

/// Adds every filter to every vector selector of `expr`.
pub fn add_label_matchers(expr: &str, filters: &[AdhocFilter]) -> String {
    if filters.is_empty() {
        return expr.to_string();
    }
    let matchers: Vec<String> = filters.iter().map(matcher).collect();
    let matchers = matchers.join(",");
    let chars: Vec<char> = expr.chars().collect();
    let mut output = String::with_capacity(expr.len() + matchers.len() * 2);
    let mut index = 0;
    // Parenthesis depths at which a label list (after `by (`, `on (` …) is open.
    let mut label_list_depths: Vec<usize> = Vec::new();
    let mut depth = 0_usize;
    let mut previous_word = String::new();
    let add_into_braces = |output: &mut String, open: usize, close: usize| {
        let inner: String = chars[open + 1..close].iter().collect();
        let trimmed = inner.trim_end();
        if trimmed.trim().is_empty() {
            output.push('{');
            output.push_str(&matchers);
            output.push('}');
        } else {
            let separator = if trimmed.ends_with(',') { "" } else { "," };
            output.push('{');
            output.push_str(trimmed);
            output.push_str(separator);
            output.push_str(&matchers);
            output.push('}');
        }
    };
    while index < chars.len() {
        let c = chars[index];
        match c {
            '"' | '\'' | '`' => {
                let end = skip_string(&chars, index);
                output.extend(&chars[index..end]);
                index = end;
            }
            '[' => {
                // A range or subquery duration: copy through the bracket.
                let end =
                    chars[index..].iter().position(|c| *c == ']').map_or(chars.len(), |p| index + p + 1);
                output.extend(&chars[index..end]);
                index = end;
            }
            '(' => {
                depth += 1;
                if LABEL_LIST_KEYWORDS.contains(&previous_word.as_str()) {
                    label_list_depths.push(depth);
                }
                previous_word.clear();
                output.push(c);
                index += 1;
            }
            ')' => {
                if label_list_depths.last() == Some(&depth) {
                    label_list_depths.pop();
                }
                depth = depth.saturating_sub(1);
                previous_word.clear();
                output.push(c);
                index += 1;
            }
            '{' => {
                // A selector without a metric name.
                match matching_brace(&chars, index) {
                    Some(close) => {
                        add_into_braces(&mut output, index, close);
                        index = close + 1;
                    }
                    None => {
                        output.extend(&chars[index..]);
                        index = chars.len();
                    }
                }
                previous_word.clear();
            }
            c if is_identifier_start(c)
                && !chars.get(index.wrapping_sub(1)).is_some_and(|p| is_identifier_char(*p) || *p == '.') =>
            {
                let start = index;
                while index < chars.len() && is_identifier_char(chars[index]) {
                    index += 1;
                }
                let word: String = chars[start..index].iter().collect();
                output.push_str(&word);
                let mut lookahead = index;
                while lookahead < chars.len() && chars[lookahead].is_whitespace() {
                    lookahead += 1;
                }
                let next = chars.get(lookahead).copied();
                let in_label_list = label_list_depths.last() == Some(&depth);
                let is_selector = !in_label_list
                    && !super::promql_assist::KEYWORDS.contains(&word.as_str())
                    && !NOT_METRICS.contains(&word.as_str())
                    && next != Some('(')
                    && previous_word != "offset";
                if is_selector {
                    if next == Some('{') {
                        if let Some(close) = matching_brace(&chars, lookahead) {
                            output.extend(&chars[index..lookahead]);
                            add_into_braces(&mut output, lookahead, close);
                            index = close + 1;
                        }
                    } else {
                        output.push('{');
                        output.push_str(&matchers);
                        output.push('}');
                    }
                }
                previous_word = word;
            }
            c if c.is_ascii_digit() => {
                // Numbers and durations (5m, 1e3) are copied as one token.
                let start = index;
                while index < chars.len() && (chars[index].is_ascii_alphanumeric() || chars[index] == '.') {
                    index += 1;
                }
                output.extend(&chars[start..index]);
            }
            c => {
                if !c.is_whitespace() {
                    previous_word.clear();
                }
                output.push(c);
                index += 1;
            }
        }
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(key: &str, operator: &str, value: &str) -> AdhocFilter {
        AdhocFilter { key: key.into(), operator: operator.into(), value: value.into() }
    }

    #[test]
    fn adds_matchers_to_every_selector() {
        let f = [filter("job", "=", "api")];
        let check = |expr: &str, expected: &str| assert_eq!(add_label_matchers(expr, &f), expected, "{expr}");
        check("up", "up{job=\"api\"}");
        check("up{instance=\"a\"}", "up{instance=\"a\",job=\"api\"}");
        check("up{ }", "up{job=\"api\"}");
        check("{__name__=~\"x.*\"}", "{__name__=~\"x.*\",job=\"api\"}");
        check(
            "sum by (code, le) (rate(http_requests_total{code=~\"5..\"}[5m])) / ignoring(code) group_left sum(rate(http_requests_total[5m]))",
            "sum by (code, le) (rate(http_requests_total{code=~\"5..\",job=\"api\"}[5m])) / ignoring(code) group_left sum(rate(http_requests_total{job=\"api\"}[5m]))",
        );
        check(
            "histogram_quantile(0.9, rate(x_bucket[1m])) > bool 1",
            "histogram_quantile(0.9, rate(x_bucket{job=\"api\"}[1m])) > bool 1",
        );
        check("x offset 5m", "x{job=\"api\"} offset 5m");
        check(
            "label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\")",
            "label_replace(up{job=\"api\"}, \"a\", \"$1\", \"b\", \"(.*)\")",
        );
        check("node:cpu:rate5m", "node:cpu:rate5m{job=\"api\"}");
        check("1 + 2", "1 + 2");
    }

    #[test]
    fn operators_escaping_and_url_form() {
        let f = [filter("path", "=~", "/a\"b"), filter("x", "!=", "y")];
        assert_eq!(add_label_matchers("m", &f), "m{path=~\"/a\\\"b\",x!=\"y\"}");
        assert_eq!(AdhocFilter::parse_url_value("code|=|500"), Some(filter("code", "=", "500")));
        assert_eq!(AdhocFilter::parse_url_value("a|=~|x|y"), Some(filter("a", "=~", "x|y")));
        assert_eq!(filter("a", "=", "b").to_url_value(), "a|=|b");
        assert_eq!(AdhocFilter::parse_url_value("nope"), None);
    }
}
