//! Template interpolation in one left-to-right pass (Grafana's templateSrv.replace): `$name`,
//! `${name}`, `${name:format}`, `[[name]]`, `[[name:format]]`. A substituted value is never scanned
//! again, so `$__range` and `$__range_ms` cannot collide. Unknown names are left as written.

use crate::route::percent_encode;
use crate::time;

/// What a name stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replacement {
    /// A single value that formats never touch (built-ins such as `$__interval`).
    Plain(String),
    /// A variable's current selection.
    Selection(SelectionValue),
    /// An instant (`$__from`, `$__to`): epoch milliseconds, or with `:date` (ISO 8601, UTC),
    /// `:date:iso`, `:date:seconds`.
    Time(i64),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SelectionValue {
    pub values: Vec<String>,
    pub texts: Vec<String>,
    /// "All" is selected; with `all_value` set that value is used as is.
    pub is_all: bool,
    pub all_value: Option<String>,
    pub multi: bool,
    pub include_all: bool,
    pub name: String,
}

/// Interpolates `text`; `lookup` answers for names it knows.
pub fn interpolate(text: &str, lookup: &dyn Fn(&str) -> Option<Replacement>) -> String {
    let mut output = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(['$', '[']) {
        output.push_str(&rest[..start]);
        let candidate = &rest[start..];
        let consumed = match reference_at(candidate) {
            Some(reference) => {
                match lookup(reference.name).or_else(|| viewer_builtin(reference.name)) {
                    Some(replacement) => output.push_str(&render(&replacement, reference.format)),
                    None => output.push_str(&candidate[..reference.length]),
                }
                reference.length
            }
            None => {
                output.push_str(&candidate[..1]);
                1
            }
        };
        rest = &candidate[consumed..];
    }
    output.push_str(rest);
    output
}

/// The names `text` refers to, in order, without duplicates.
pub fn referenced_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(['$', '[']) {
        let candidate = &rest[start..];
        let consumed = match reference_at(candidate) {
            Some(reference) => {
                if !names.iter().any(|n| n == reference.name) {
                    names.push(reference.name.to_string());
                }
                reference.length
            }
            None => 1,
        };
        rest = &candidate[consumed..];
    }
    names
}

struct Reference<'a> {
    name: &'a str,
    format: Option<&'a str>,
    length: usize,
}

fn word_length(text: &str) -> usize {
    text.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(text.len())
}

fn split_format(inner: &str) -> (&str, Option<&str>) {
    match inner.split_once(':') {
        Some((name, format)) => (name, Some(format)),
        None => (inner, None),
    }
}

fn reference_at(text: &str) -> Option<Reference<'_>> {
    let split = split_format;
    if let Some(inner) = text.strip_prefix("${") {
        let end = inner.find('}')?;
        let (name, format) = split(&inner[..end]);
        // `${name.field}`: a field of an object built-in (`${__user.login}`); a lookup that does
        // not know the whole name leaves the reference as written.
        let base = name.split_once('.').map_or(name, |(base, _)| base);
        let valid = !base.is_empty() && word_length(base) == base.len() && !name.ends_with('.');
        return valid.then_some(Reference { name, format, length: end + 3 });
    }
    if let Some(inner) = text.strip_prefix("[[") {
        let end = inner.find("]]")?;
        let (name, format) = split(&inner[..end]);
        let valid = !name.is_empty() && word_length(name) == name.len();
        return valid.then_some(Reference { name, format, length: end + 4 });
    }
    let inner = text.strip_prefix('$')?;
    let length = word_length(inner);
    (length > 0).then_some(Reference { name: &inner[..length], format: None, length: length + 1 })
}

/// Grafana's `${__user.*}` and `${__org.*}`. promboard has no users or organisations: the user's
/// fields are empty and the organisation is Grafana's default one, so queries and texts that use
/// them still read (an unresolved `${__user.login}` would be a PromQL syntax error).
fn viewer_builtin(name: &str) -> Option<Replacement> {
    let value = match name {
        "__org.id" => "1",
        "__org.name" => "Main Org.",
        "__user.id" => "0",
        _ if name.starts_with("__user.") || name.starts_with("__org.") => "",
        _ => return None,
    };
    Some(Replacement::Plain(value.to_string()))
}

fn render(replacement: &Replacement, format: Option<&str>) -> String {
    match replacement {
        Replacement::Plain(value) => value.clone(),
        Replacement::Selection(selection) => render_selection(selection, format),
        Replacement::Time(ms) => match format {
            Some("date:seconds") => ms.div_euclid(1000).to_string(),
            Some("date") | Some("date:iso") => {
                let text = time::format_local_datetime(*ms, 0);
                format!("{}T{}.{:03}Z", &text[..10], &text[11..], ms.rem_euclid(1000))
            }
            _ => ms.to_string(),
        },
    }
}

/// Grafana's Prometheus default: a single-value variable is escaped for a PromQL string; a multi or
/// All variable becomes a regex alternation `(a|b)` of regex-escaped values.
fn prometheus_default(selection: &SelectionValue) -> String {
    if !selection.multi && !selection.include_all {
        return selection.values.iter().map(|v| prometheus_regular_escape(v)).collect::<Vec<_>>().join(",");
    }
    let escaped: Vec<String> = selection.values.iter().map(|v| prometheus_regex_escape(v)).collect();
    match escaped.as_slice() {
        [single] => single.clone(),
        many => format!("({})", many.join("|")),
    }
}

/// Grafana's `prometheusRegularEscape`: `\` → `\\`, `'` → `\\'`.
pub fn prometheus_regular_escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('\'', "\\\\'")
}

/// Grafana's `prometheusSpecialRegexEscape`: backslashes doubled twice, regex metacharacters
/// preceded by two backslashes (one for the regex, one for the PromQL string).
pub fn prometheus_regex_escape(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len() * 2);
    for c in value.chars() {
        match c {
            '\\' => escaped.push_str("\\\\\\\\"),
            '$' | '^' | '*' | '{' | '}' | '[' | ']' | '+' | '?' | '.' | '(' | ')' | '|' => {
                escaped.push_str("\\\\");
                escaped.push(c);
            }
            c => escaped.push(c),
        }
    }
    escaped
}

/// JavaScript regex escaping (lodash `escapeRegExp`-like, as Grafana's `regex` format uses).
fn regex_escape(value: &str) -> String {
    let mut escaped = String::new();
    for c in value.chars() {
        if "\\^$.*+?()[]{}|/-".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

fn render_selection(selection: &SelectionValue, format: Option<&str>) -> String {
    let format = format.map(|f| f.split(':').next().unwrap_or(f));
    // A custom All value is used verbatim, except by the text and percentencode formats.
    if selection.is_all
        && let Some(all_value) = &selection.all_value
        && !matches!(format, Some("text" | "percentencode"))
    {
        return all_value.clone();
    }
    let values = &selection.values;
    let join = |items: Vec<String>, separator: &str| items.join(separator);
    let multiple = values.len() > 1;
    match format {
        None => prometheus_default(selection),
        Some("raw") => join(values.clone(), ","),
        Some("csv") => join(values.clone(), ","),
        Some("pipe") => join(values.clone(), "|"),
        Some("regex") => {
            let escaped: Vec<String> = values.iter().map(|v| regex_escape(v)).collect();
            if multiple { format!("({})", escaped.join("|")) } else { escaped.join("") }
        }
        Some("glob") => {
            if multiple {
                format!("{{{}}}", values.join(","))
            } else {
                values.join("")
            }
        }
        Some("json") => {
            if multiple || selection.multi {
                serde_json::to_string(values).unwrap_or_default()
            } else {
                serde_json::to_string(&values.join("")).unwrap_or_default()
            }
        }
        Some("doublequote") => {
            join(values.iter().map(|v| format!("\"{}\"", v.replace('"', "\\\""))).collect(), ",")
        }
        Some("singlequote") => {
            join(values.iter().map(|v| format!("'{}'", v.replace('\'', "\\'"))).collect(), ",")
        }
        Some("sqlstring") => {
            join(values.iter().map(|v| format!("'{}'", v.replace('\'', "''"))).collect(), ",")
        }
        Some("lucene") => {
            let escape = |v: &String| {
                let mut escaped = String::new();
                for c in v.chars() {
                    if "\\+-!(){}[]^\"~*?:/ ".contains(c) || c == '&' || c == '|' {
                        escaped.push('\\');
                    }
                    escaped.push(c);
                }
                escaped
            };
            if multiple {
                format!(
                    "({})",
                    values.iter().map(|v| format!("\"{}\"", escape(v))).collect::<Vec<_>>().join(" OR ")
                )
            } else {
                values.iter().map(escape).collect::<Vec<_>>().join("")
            }
        }
        Some("percentencode") => {
            let joined = if selection.is_all && selection.all_value.is_some() {
                selection.all_value.clone().unwrap_or_default()
            } else if multiple {
                format!("{{{}}}", values.join(","))
            } else {
                values.join("")
            };
            percent_encode(&joined)
        }
        Some("uriencode") => {
            let joined = if multiple { format!("{{{}}}", values.join(",")) } else { values.join("") };
            percent_encode(&joined)
        }
        Some("queryparam") => values
            .iter()
            .map(|v| format!("var-{}={}", percent_encode(&selection.name), percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&"),
        Some("text") => {
            if selection.is_all {
                "All".to_string()
            } else {
                selection.texts.join(" + ")
            }
        }
        Some("html") => join(
            values
                .iter()
                .map(|v| {
                    v.replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('>', "&gt;")
                        .replace('"', "&quot;")
                        .replace('\'', "&#39;")
                })
                .collect(),
            ", ",
        ),
        Some("distributed") => {
            let mut parts = values.iter();
            let first = parts.next().cloned().unwrap_or_default();
            std::iter::once(first)
                .chain(parts.map(|v| format!("{}={v}", selection.name)))
                .collect::<Vec<_>>()
                .join(",")
        }
        // Unknown formats fall back to the plain values, as Grafana's registry does.
        Some(_) => join(values.clone(), ","),
    }
}

#[cfg(test)]
#[path = "interpolate_tests.rs"]
mod tests;
