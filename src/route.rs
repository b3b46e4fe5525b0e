//! URL routes and URL state in Grafana's shape: `/` (dashboard browser), `/d/<uid>/<slug>` (one
//! dashboard), `?from=&to=&refresh=`. Pure string handling; the browser glue lives in `app`.

/// The one list of URL query parameter names we read and write.
pub mod param {
    /// Prefix of a template variable's parameter, `var-NAME` (repeated for multiple values).
    pub const VARIABLE_PREFIX: &str = "var-";
    pub const FROM: &str = "from";
    pub const TO: &str = "to";
    pub const REFRESH: &str = "refresh";
    pub const TIMEZONE: &str = "timezone";
    /// Grafana's full-screen view of one panel, by id.
    pub const VIEW_PANEL: &str = "viewPanel";
    /// The panel inspector, open on a panel by id.
    pub const INSPECT: &str = "inspect";
    /// The panel editor, open on a panel by id (Grafana's).
    pub const EDIT_PANEL: &str = "editPanel";
    /// A dashboard settings view: `settings`, `variables` or `json` (Grafana's `editview`).
    pub const EDIT_VIEW: &str = "editview";
    /// The open tab of a schema v2 dashboard with tabs, by its title's slug.
    pub const TAB: &str = "tab";
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Browser,
    /// Grafana's import page: paste, pick or drop a dashboard file.
    Import,
    Dashboard {
        uid: String,
        slug: String,
    },
    /// Prometheus's firing and pending alerts by name (Grafana's `/alerting/list`).
    Alerts,
    /// Prometheus's scrape targets by job (an operations view).
    Targets,
    /// Prometheus's rule groups (an operations view).
    Rules,
    /// PromQL queries of a datasource, graph and table (Grafana's Explore).
    Explore,
    NotFound {
        path: String,
    },
}

impl Route {
    pub fn parse(path: &str) -> Route {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match segments.as_slice() {
            [] | ["dashboards"] => Route::Browser,
            ["dashboard", "import"] => Route::Import,
            ["alerting", "list"] => Route::Alerts,
            ["targets"] => Route::Targets,
            ["rules"] => Route::Rules,
            ["explore"] => Route::Explore,
            ["d", uid] => Route::Dashboard { uid: percent_decode(uid), slug: String::new() },
            ["d", uid, slug] => Route::Dashboard { uid: percent_decode(uid), slug: percent_decode(slug) },
            _ => Route::NotFound { path: path.to_string() },
        }
    }
}

pub const IMPORT_PATH: &str = "/dashboard/import";
pub const ALERTS_PATH: &str = "/alerting/list";
pub const TARGETS_PATH: &str = "/targets";
pub const RULES_PATH: &str = "/rules";

/// The path of a dashboard, as Grafana links it.
pub fn dashboard_path(uid: &str, title: &str) -> String {
    format!("/d/{}/{}", percent_encode(uid), slugify(title))
}

/// Grafana's slug: lower case, runs of anything but letters and digits become one `-`.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// Reads `key=value` pairs from a query string (with or without the leading `?`), in order,
/// repeated keys kept.
pub fn parse_query_string(search: &str) -> Vec<(String, String)> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(&key.replace('+', " ")), percent_decode(&value.replace('+', " ")))
        })
        .collect()
}

/// Writes pairs as a query string with a leading `?`, or an empty string when there are none.
pub fn build_query_string(pairs: &[(&str, &str)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let joined: Vec<String> =
        pairs.iter().map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v))).collect();
    format!("?{}", joined.join("&"))
}

/// Returns the query string `search` with each `(key, value)` of `changes` applied: `Some` sets the
/// parameter (replacing every occurrence, in place of the first), `None` removes it. Other
/// parameters, such as `var-*`, keep their order.
pub fn with_params(search: &str, changes: &[(&str, Option<&str>)]) -> String {
    let mut pairs = parse_query_string(search);
    for (key, value) in changes {
        let first = pairs.iter().position(|(k, _)| k == key);
        pairs.retain(|(k, _)| k != key);
        if let Some(value) = value {
            let at = first.unwrap_or(pairs.len()).min(pairs.len());
            pairs.insert(at, (key.to_string(), value.to_string()));
        }
    }
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    build_query_string(&borrowed)
}

/// Returns `search` with every `key` replaced by one `key=value` per value, where the first one was
/// (Grafana writes multi-value variables as repeated `var-NAME` parameters).
pub fn with_repeated_param(search: &str, key: &str, values: &[String]) -> String {
    let mut pairs = parse_query_string(search);
    let first = pairs.iter().position(|(k, _)| k == key).unwrap_or(pairs.len());
    let before = pairs[..first].iter().filter(|(k, _)| k != key).count();
    pairs.retain(|(k, _)| k != key);
    for (offset, value) in values.iter().enumerate() {
        pairs.insert(before + offset, (key.to_string(), value.clone()));
    }
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    build_query_string(&borrowed)
}

/// Every value of a repeated parameter, in order.
pub fn param_values(search: &str, key: &str) -> Vec<String> {
    parse_query_string(search).into_iter().filter(|(k, _)| k == key).map(|(_, v)| v).collect()
}

/// JavaScript's `encodeURIComponent` in its strict form (also `!'()*`), which is also Grafana's
/// `percentencode` variable format.
pub fn percent_encode(text: &str) -> String {
    let mut encoded = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |i: usize| bytes.get(i).and_then(|b| (*b as char).to_digit(16));
        match (bytes[index], hex(index + 1), hex(index + 2)) {
            (b'%', Some(high), Some(low)) => {
                decoded.push((high * 16 + low) as u8);
                index += 3;
            }
            (byte, _, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(Route::parse("/"), Route::Browser);
        assert_eq!(Route::parse("/dashboards"), Route::Browser);
        assert_eq!(Route::parse("/dashboard/import"), Route::Import);
        assert_eq!(Route::parse("/targets"), Route::Targets);
        assert_eq!(Route::parse("/alerting/list"), Route::Alerts);
        assert_eq!(Route::parse("/rules/"), Route::Rules);
        assert_eq!(
            Route::parse("/d/abc%20d/my-dash"),
            Route::Dashboard { uid: "abc d".into(), slug: "my-dash".into() }
        );
        assert_eq!(Route::parse("/d/abc"), Route::Dashboard { uid: "abc".into(), slug: String::new() });
        assert_eq!(Route::parse("/nope/x"), Route::NotFound { path: "/nope/x".into() });
    }

    #[test]
    fn slugs_follow_grafana() {
        assert_eq!(slugify("Node Exporter Full"), "node-exporter-full");
        assert_eq!(slugify("  CPU / Memory (%)  "), "cpu-memory");
        assert_eq!(dashboard_path("a b", "Prometheus overview"), "/d/a%20b/prometheus-overview");
    }

    #[test]
    fn query_strings_round_trip() {
        let pairs = parse_query_string("?from=now-6h&to=now&var-x=a%2Cb&var-x=c+d&flag");
        assert_eq!(
            pairs,
            vec![
                ("from".to_string(), "now-6h".to_string()),
                ("to".into(), "now".into()),
                ("var-x".into(), "a,b".into()),
                ("var-x".into(), "c d".into()),
                ("flag".into(), String::new()),
            ]
        );
        assert_eq!(build_query_string(&[("from", "now-6h"), ("to", "1 2")]), "?from=now-6h&to=1%202");
        assert_eq!(build_query_string(&[]), "");
        assert_eq!(percent_decode("%E2%82%AC%zz"), "€%zz");
    }

    #[test]
    fn with_params_replaces_in_place_and_keeps_the_rest() {
        let search = "?from=now-6h&var-x=a&to=now&var-x=b";
        assert_eq!(
            with_params(search, &[("from", Some("1")), ("to", Some("2")), ("refresh", Some("5s"))]),
            "?from=1&var-x=a&to=2&var-x=b&refresh=5s"
        );
        assert_eq!(with_params("?refresh=5s&from=1", &[("refresh", None)]), "?from=1");
        assert_eq!(with_params("", &[("refresh", None)]), "");
        let values = vec!["a".to_string(), "b c".to_string()];
        assert_eq!(
            with_repeated_param("?from=1&var-x=z&to=2&var-x=y", "var-x", &values),
            "?from=1&var-x=a&var-x=b%20c&to=2"
        );
        assert_eq!(with_repeated_param("?from=1", "var-x", &values), "?from=1&var-x=a&var-x=b%20c");
        assert_eq!(param_values("?var-x=a&y=1&var-x=b", "var-x"), vec!["a", "b"]);
    }
}
