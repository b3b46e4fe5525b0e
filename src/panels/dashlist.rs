//! Grafana's dashboard list panel (`dashlist`): the dashboards of the catalogue in up to three
//! groups — "Starred", which here are the dashboards with a draft in this browser (promboard has
//! no accounts to star with), "Recently viewed" (this browser's own list) and "Search" (by title
//! and tags, both interpolated) — each sorted as Grafana sorts it and cut at `maxItems`. Pure:
//! the app gives the catalogue, the drafts, the recent list and the interpolation.

use crate::json::as_bool;
use crate::json::lenient_f64;
use crate::sorting;
use serde_json::Value;

/// A dashboard the list may show.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedDashboard {
    pub uid: String,
    pub title: String,
    pub folder: String,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DashlistGroup {
    pub header: &'static str,
    pub dashboards: Vec<ListedDashboard>,
}

/// The panel's options, with Grafana's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct DashlistOptions {
    pub show_starred: bool,
    pub show_recently_viewed: bool,
    pub show_search: bool,
    pub show_headings: bool,
    pub max_items: usize,
    pub query: String,
    pub tags: Vec<String>,
    /// Links carry the dashboard's time range (`keepTime`) and variables (`includeVars`).
    pub keep_time: bool,
    pub include_vars: bool,
}

impl DashlistOptions {
    pub fn read(options: &Value) -> DashlistOptions {
        let flag = |key: &str, default: bool| options.get(key).and_then(as_bool).unwrap_or(default);
        DashlistOptions {
            show_starred: flag("showStarred", true),
            show_recently_viewed: flag("showRecentlyViewed", false),
            show_search: flag("showSearch", false),
            show_headings: flag("showHeadings", true),
            max_items: lenient_f64(options.get("maxItems"))
                .filter(|n| n.is_finite() && *n >= 0.0)
                .map_or(10, |n| n as usize),
            query: options.get("query").and_then(Value::as_str).unwrap_or("").to_string(),
            tags: options
                .get("tags")
                .and_then(Value::as_array)
                .map(|tags| tags.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default(),
            keep_time: flag("keepTime", false),
            include_vars: flag("includeVars", false),
        }
    }
}

/// The groups the panel shows, in Grafana's order (starred, recently viewed, search); only the
/// groups the options turn on. `drafts` and `recent` are uids (recent most recent first);
/// `interpolate` fills variables into the query and tags.
pub fn dashlist_groups(
    options: &DashlistOptions,
    catalogue: &[ListedDashboard],
    drafts: &[String],
    recent: &[String],
    interpolate: &dyn Fn(&str) -> String,
) -> Vec<DashlistGroup> {
    let by_title = |mut list: Vec<ListedDashboard>| {
        sorting::sort_by(&mut list, |a, b| {
            a.title.to_lowercase().cmp(&b.title.to_lowercase()).then(a.title.cmp(&b.title))
        });
        list.truncate(options.max_items);
        list
    };
    let find = |uid: &String| catalogue.iter().find(|d| &d.uid == uid).cloned();
    let mut groups = Vec::new();
    if options.show_starred {
        let mut seen = Vec::new();
        let with_drafts: Vec<ListedDashboard> = drafts
            .iter()
            .filter(|uid| {
                !seen.contains(uid) && {
                    seen.push(*uid);
                    true
                }
            })
            .filter_map(find)
            .collect();
        groups.push(DashlistGroup { header: "Starred dashboards", dashboards: by_title(with_drafts) });
    }
    if options.show_recently_viewed {
        let mut viewed: Vec<ListedDashboard> = recent.iter().filter_map(find).collect();
        viewed.truncate(options.max_items);
        groups.push(DashlistGroup { header: "Recently viewed dashboards", dashboards: viewed });
    }
    if options.show_search {
        let query = interpolate(&options.query).to_lowercase();
        let tags: Vec<String> =
            options.tags.iter().map(|t| interpolate(t)).filter(|t| !t.is_empty()).collect();
        let found: Vec<ListedDashboard> = catalogue
            .iter()
            .filter(|d| d.title.to_lowercase().contains(query.trim()))
            .filter(|d| tags.iter().all(|tag| d.tags.iter().any(|t| t == tag)))
            .cloned()
            .collect();
        groups.push(DashlistGroup { header: "Search", dashboards: by_title(found) });
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dashboard(uid: &str, title: &str, tags: &[&str]) -> ListedDashboard {
        ListedDashboard {
            uid: uid.into(),
            title: title.into(),
            folder: "General".into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn defaults_show_the_starred_group_with_headings() {
        let options = DashlistOptions::read(&json!({}));
        assert!(
            options.show_starred
                && options.show_headings
                && !options.show_search
                && !options.show_recently_viewed
        );
        assert_eq!(options.max_items, 10);
    }

    #[test]
    fn each_group_lists_what_grafana_lists() {
        let catalogue = [
            dashboard("n", "Node exporter", &["linux", "prod"]),
            dashboard("m", "MySQL overview", &["db", "prod"]),
            dashboard("b", "blackbox", &["prod"]),
            dashboard("x", "Node old", &["linux"]),
        ];
        let options = DashlistOptions::read(&json!({
            "showStarred": true, "showRecentlyViewed": true, "showSearch": true,
            "query": "$what", "tags": ["${env}"], "maxItems": 2
        }));
        let interpolate = |text: &str| text.replace("$what", "o").replace("${env}", "prod");
        let groups = dashlist_groups(
            &options,
            &catalogue,
            &["m".into(), "gone".into(), "m".into()],
            &["x".into(), "n".into(), "b".into()],
            &interpolate,
        );
        let titles = |g: &DashlistGroup| g.dashboards.iter().map(|d| d.title.clone()).collect::<Vec<_>>();
        assert_eq!(
            groups.iter().map(|g| g.header).collect::<Vec<_>>(),
            ["Starred dashboards", "Recently viewed dashboards", "Search"]
        );
        assert_eq!(titles(&groups[0]), ["MySQL overview"], "drafts of dashboards still here, once");
        assert_eq!(titles(&groups[1]), ["Node old", "Node exporter"], "most recent first, cut at maxItems");
        // Title contains "o" (any case) and tagged prod, by title case-insensitively, two at most.
        assert_eq!(titles(&groups[2]), ["blackbox", "MySQL overview"]);
    }
}
