//! Link steps: panel links become plain URLs with the range and variables as parameters (schema
//! 19), and data links get the variable names Grafana 6.4 and 7 renamed (20, 21).

use crate::json::{is_truthy, pointer_mut};
use serde_json::{Map, Value, json};

/// Schema 19: Grafana's upgradePanelLink. Only `url`, `title` and `targetBlank` remain.
pub(super) fn upgrade_panel_link(link: &Value) -> Value {
    let field = |key: &str| link.get(key).filter(|v| is_truthy(Some(v)));
    let text = |value: &Value| match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut url = match (field("url"), field("dashboard"), field("dashUri")) {
        (Some(url), _, _) => text(url),
        (None, Some(dashboard), _) => format!("dashboard/db/{}", slugify_for_url(&text(dashboard))),
        (None, None, Some(uri)) => format!("dashboard/{}", text(uri)),
        _ => "/".to_string(),
    };
    if field("keepTime").is_some() {
        url = append_query_to_url(&url, "$__url_time_range");
    }
    if field("includeVars").is_some() {
        url = append_query_to_url(&url, "$__all_variables");
    }
    if let Some(params) = field("params") {
        url = append_query_to_url(&url, &text(params));
    }
    let mut upgraded = Map::new();
    upgraded.insert("url".into(), json!(url));
    for key in ["title", "targetBlank"] {
        if let Some(value) = link.get(key) {
            upgraded.insert(key.into(), value.clone());
        }
    }
    Value::Object(upgraded)
}

/// Grafana's urlUtil.appendQueryToUrl.
fn append_query_to_url(url: &str, query: &str) -> String {
    let separator = match url.find('?') {
        Some(position) if url.len() - position > 1 => "&",
        Some(_) => "",
        None => "?",
    };
    format!("{url}{separator}{query}")
}

/// Grafana's kbn.slugifyForUrl: lower case, drop everything but word characters and spaces, spaces
/// to dashes.
fn slugify_for_url(text: &str) -> String {
    let mut slug = String::new();
    let mut in_spaces = false;
    for c in text.to_lowercase().chars() {
        if c == ' ' {
            if !in_spaces {
                slug.push('-');
            }
            in_spaces = true;
        } else if c.is_ascii_alphanumeric() || c == '_' {
            slug.push(c);
            in_spaces = false;
        }
    }
    slug
}

/// Rewrites the URLs of a panel's data links (the graph panel's `options.dataLinks` and the field
/// options of Grafana 6.4's React panels).
pub(super) fn update_data_links(panel: &mut Map<String, Value>, rewrite: impl Fn(&str) -> String) {
    for pointer in ["/options/dataLinks", "/options/fieldOptions/defaults/links"] {
        let Some(Value::Array(links)) = pointer_mut(panel, pointer) else { continue };
        for link in links.iter_mut() {
            if let Some(Value::String(url)) = link.get_mut("url") {
                *url = rewrite(url);
            }
        }
    }
}

/// Schema 20: Grafana's updateVariablesSyntax for the data-link variables renamed in 6.4.
pub(super) fn legacy_data_link_variables(text: &str) -> String {
    const RENAMES: &[(&str, &str)] = &[
        ("$__series_name", "${__series.name}"),
        ("__series_name", "__series.name"),
        ("__value_time", "__value.time"),
        ("$__field_name", "${__field.name}"),
        ("__field_name", "__field.name"),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'scan: while !rest.is_empty() {
        // At any position at most one of the names can match, so the order of the list is free.
        for (from, to) in RENAMES {
            if let Some(after) = rest.strip_prefix(from) {
                out.push_str(to);
                rest = after;
                continue 'scan;
            }
        }
        let next = rest.chars().next().map_or(1, char::len_utf8);
        out.push_str(&rest[..next]);
        rest = &rest[next..];
    }
    out
}
