//! Dashboard links (the file's top-level `links`): what they point at and the URL each one opens,
//! as Grafana's link service builds it. Pure: the current time range, variable values and the
//! catalogue of dashboards come in as arguments.

use crate::json::{as_bool, as_str};
use crate::route;
use crate::safe_url::safe_url;
use crate::sorting;
use crate::variables::{Replacement, interpolate};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// `type: "link"`: a URL, which may contain variables.
    Url(String),
    /// `type: "dashboards"`: every dashboard carrying all of `tags` (the current one excluded),
    /// as separate links or, with `asDropdown`, one menu titled with the link's title.
    Dashboards { tags: Vec<String>, as_dropdown: bool },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardLink {
    pub target: LinkTarget,
    pub title: String,
    pub tooltip: String,
    pub target_blank: bool,
    /// `keepTime`: the current time range goes along (`$__url_time_range`).
    pub keep_time: bool,
    /// `includeVars`: the current variable values go along (`$__all_variables`).
    pub include_vars: bool,
}

/// The links of a dashboard, in file order; entries that are not objects are skipped (the view
/// reports nothing for them, as Grafana shows nothing).
pub fn read_links(raw: &Map<String, Value>) -> Vec<DashboardLink> {
    read_link_list(raw.get("links"))
}

/// A list of links as dashboards, panels and fields (data links: `{title, url, targetBlank}`)
/// write them.
pub fn read_link_list(list: Option<&Value>) -> Vec<DashboardLink> {
    let Some(links) = list.and_then(Value::as_array) else {
        return Vec::new();
    };
    links
        .iter()
        .filter(|link| link.is_object())
        .map(|link| {
            let text = |key: &str| link.get(key).and_then(as_str).unwrap_or_default().to_string();
            let flag = |key: &str| link.get(key).and_then(as_bool).unwrap_or(false);
            let target = match link.get("type").and_then(as_str) {
                Some("dashboards") => LinkTarget::Dashboards {
                    tags: link
                        .get("tags")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(as_str)
                        .map(str::to_string)
                        .collect(),
                    as_dropdown: flag("asDropdown"),
                },
                _ => LinkTarget::Url(text("url")),
            };
            DashboardLink {
                target,
                title: text("title"),
                tooltip: text("tooltip"),
                target_blank: flag("targetBlank"),
                keep_time: flag("keepTime"),
                include_vars: flag("includeVars"),
            }
        })
        .collect()
}

/// The URL a link opens, as Grafana's `getLinkUrl`: `$__url_time_range` and `$__all_variables`
/// are appended to the query when the link keeps time or includes variables, then the whole URL
/// is interpolated (`time_query` is `from=…&to=…`, `variables_query` the `var-NAME=…` pairs).
/// Anything that is not http(s), mailto or relative becomes `about:blank`, as Grafana's
/// `sanitizeUrl` does, so a file cannot smuggle `javascript:` into a link.
pub fn link_href(
    url: &str,
    link: &DashboardLink,
    time_query: &str,
    variables_query: &str,
    variables: &dyn Fn(&str) -> Option<Replacement>,
) -> String {
    let mut appended = Vec::new();
    if link.keep_time {
        appended.push("$__url_time_range");
    }
    if link.include_vars {
        appended.push("$__all_variables");
    }
    let mut url = url.to_string();
    if !appended.is_empty() {
        // Grafana's appendQueryToUrl: `?` unless the URL already has a query.
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&appended.join("&"));
    }
    let interpolated = interpolate(&url, &|name| match name {
        "__url_time_range" => Some(Replacement::Plain(time_query.to_string())),
        "__all_variables" => Some(Replacement::Plain(variables_query.to_string())),
        _ => variables(name),
    });
    // Nothing to append (no variables, say) leaves no dangling separator.
    let interpolated = interpolated.trim_end_matches(['&', '?']).to_string();
    safe_url(&unshielded(&interpolated))
}

/// A data value spliced into a link by [`with_data_references`] carries its `$` and `[` as these
/// private-use characters until [`link_href`] has interpolated the variables, so a value from the
/// data (a label value a scraped target chose, say `$__all_variables`) is never read as a
/// variable reference: interpolation stays one pass over the link's own text.
const SHIELDED_DOLLAR: char = '\u{E000}';
const SHIELDED_BRACKET: char = '\u{E001}';

fn shielded(value: &str) -> String {
    value.replace('$', &SHIELDED_DOLLAR.to_string()).replace('[', &SHIELDED_BRACKET.to_string())
}

fn unshielded(url: &str) -> String {
    url.replace(SHIELDED_DOLLAR, "$").replace(SHIELDED_BRACKET, "[")
}

/// Fills a data link's references to the data it is clicked on — `${__data.fields.Name}` (or
/// `${__data.fields["Name"]}`), `${__value.raw}`, `${__value.text}`, `${__field.name}`,
/// `${__field.labels.name}`, `${__series.name}` — from `data`, which answers by the name inside
/// the braces (`__data.fields.Name`). `:percentencode` encodes the value. Dashboard variables are
/// left for [`link_href`], so a value from the data is never read as a variable.
pub fn with_data_references(url: &str, data: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(url.len());
    let mut rest = url;
    while let Some(start) = rest.find("${__") {
        out.push_str(&rest[..start]);
        let candidate = &rest[start..];
        let Some(end) = candidate.find('}') else {
            out.push_str(candidate);
            return out;
        };
        let inner = &candidate[2..end];
        let (name, format) = match inner.split_once(':') {
            Some((name, format)) => (name, Some(format)),
            None => (inner, None),
        };
        // `fields["Name"]` is the bracket form of `fields.Name`.
        let name = match name.split_once("[\"") {
            Some((head, tail)) => format!("{head}.{}", tail.trim_end_matches("\"]")),
            None => name.to_string(),
        };
        match data(&name).filter(|_| name.contains('.')) {
            Some(value) if format == Some("percentencode") => out.push_str(&route::percent_encode(&value)),
            Some(value) => out.push_str(&shielded(&value)),
            None => out.push_str(&candidate[..=end]),
        }
        rest = &candidate[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A dashboard a `dashboards` link may list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedDashboard {
    pub uid: String,
    pub title: String,
    pub path: String,
}

/// The dashboards a `dashboards` link lists: those carrying every one of `tags`, the current one
/// left out, sorted by title as Grafana's search returns them. No tags lists nothing (Grafana's
/// search with no tags would list every dashboard, which nobody wants in a link bar).
pub fn tagged_dashboards<'a>(
    tags: &[String],
    current_uid: Option<&str>,
    candidates: impl IntoIterator<Item = (&'a str, &'a str, &'a [String])>,
) -> Vec<LinkedDashboard> {
    if tags.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<LinkedDashboard> = candidates
        .into_iter()
        .filter(|(uid, _, _)| Some(*uid) != current_uid)
        .filter(|(_, _, dashboard_tags)| tags.iter().all(|tag| dashboard_tags.contains(tag)))
        .map(|(uid, title, _)| LinkedDashboard {
            uid: uid.to_string(),
            title: title.to_string(),
            path: route::dashboard_path(uid, title),
        })
        .collect();
    sorting::sort_by_key(&mut found, |d| d.title.to_lowercase());
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn link(json: Value) -> DashboardLink {
        read_links(json!({ "links": [json] }).as_object().unwrap()).remove(0)
    }

    #[test]
    fn reads_both_kinds_of_link() {
        let links = read_links(json!({"links": [
            {"type": "link", "title": "GitHub", "url": "https://github.com/x", "targetBlank": true, "tooltip": "code"},
            {"type": "dashboards", "tags": ["kubernetes-mixin"], "asDropdown": true, "title": "Kubernetes",
             "keepTime": true, "includeVars": true},
            "not a link"
        ]}).as_object().unwrap());
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].target, LinkTarget::Url("https://github.com/x".into()));
        assert_eq!((links[0].target_blank, links[0].tooltip.as_str()), (true, "code"));
        assert_eq!(
            links[1].target,
            LinkTarget::Dashboards { tags: vec!["kubernetes-mixin".into()], as_dropdown: true }
        );
        assert!(links[1].keep_time && links[1].include_vars);
        assert!(read_links(&Map::new()).is_empty());
    }

    #[test]
    fn href_keeps_time_and_variables_and_interpolates() {
        let variables = |name: &str| (name == "host").then(|| Replacement::Plain("web-1".into()));
        let time = "from=now-6h&to=now";
        let vars = "var-host=web-1";
        let plain = link(json!({"type": "link", "url": "https://x.example/a?b=$host"}));
        assert_eq!(
            link_href("https://x.example/a?b=$host", &plain, time, vars, &variables),
            "https://x.example/a?b=web-1"
        );
        let both = link(json!({"type": "link", "keepTime": true, "includeVars": true}));
        assert_eq!(
            link_href("/d/abc/other", &both, time, vars, &variables),
            "/d/abc/other?from=now-6h&to=now&var-host=web-1"
        );
        assert_eq!(
            link_href("/d/abc/other?orgId=1", &both, time, "", &variables),
            "/d/abc/other?orgId=1&from=now-6h&to=now"
        );
        let explicit = link(json!({"type": "link"}));
        assert_eq!(
            link_href("/d/x?${__url_time_range}", &explicit, time, vars, &variables),
            "/d/x?from=now-6h&to=now"
        );
    }

    #[test]
    fn data_values_are_never_read_as_variables() {
        let link = link(json!({"title": "x", "url": "/d/a?host=${__field.labels.instance}&env=$env"}));
        let data = |name: &str| {
            (name == "__field.labels.instance").then(|| "$env[[env]]${__all_variables}".to_string())
        };
        let filled = with_data_references("/d/a?host=${__field.labels.instance}&env=$env", &data);
        let variables = |name: &str| (name == "env").then(|| Replacement::Plain("prod".into()));
        let href = link_href(&filled, &link, "from=1&to=2", "var-env=prod", &variables);
        assert_eq!(href, "/d/a?host=$env[[env]]${__all_variables}&env=prod");
        // Percent-encoded values have nothing left to shield.
        let encoded = with_data_references("/x?h=${__field.labels.instance:percentencode}", &data);
        assert_eq!(
            link_href(&encoded, &link, "", "", &variables),
            "/x?h=%24env%5B%5Benv%5D%5D%24%7B__all_variables%7D"
        );
    }

    #[test]
    fn urls_with_hidden_schemes_become_about_blank() {
        for hidden in
            ["java\tscript:alert(1)", "\u{1}javascript:alert(1)", " JaVa\nScRiPt:alert(1)", "vbscript:x"]
        {
            assert_eq!(safe_url(hidden), "about:blank", "{hidden:?}");
        }
        assert_eq!(safe_url(" /d/x?a=b\n"), "/d/x?a=b");
        assert_eq!(safe_url("https://example.com/\tx"), "https://example.com/x");
    }

    #[test]
    fn unsafe_schemes_become_about_blank() {
        let plain = link(json!({"type": "link"}));
        let none = |_: &str| None;
        for url in ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x"] {
            assert_eq!(link_href(url, &plain, "", "", &none), "about:blank", "{url}");
        }
        for url in [
            "https://a.example",
            "HTTP://a.example",
            "mailto:ops@example.com",
            "/d/x",
            "?from=now-1h",
            "page#a:b",
        ] {
            assert_eq!(link_href(url, &plain, "", "", &none), url, "{url}");
        }
    }

    #[test]
    fn dashboards_links_need_every_tag_and_skip_the_current_one() {
        let (k8s, both) = (vec!["k8s".to_string()], vec!["k8s".to_string(), "nodes".to_string()]);
        let candidates = [
            ("c", "Cluster", k8s.as_slice()),
            ("n", "nodes view", both.as_slice()),
            ("a", "Alpha", both.as_slice()),
            ("z", "Other", [].as_slice()),
        ];
        let titles = |tags: &[String], current: Option<&str>| {
            tagged_dashboards(tags, current, candidates.iter().copied())
                .into_iter()
                .map(|d| d.title)
                .collect::<Vec<_>>()
        };
        assert_eq!(titles(&k8s, Some("c")), ["Alpha", "nodes view"]);
        assert_eq!(titles(&both, None), ["Alpha", "nodes view"]);
        assert!(titles(&[], None).is_empty());
        assert_eq!(tagged_dashboards(&k8s, None, candidates.iter().copied())[0].path, "/d/a/alpha");
    }
}
