//! Grafana's news panel (`news`), pure: where the browser asks for a feed, what an answer that is
//! not a feed means, the feed's items ([`feed`]: RSS 2.0 or Atom) and their markup.
//!
//! Feeds through this server only. The browser may fetch from its own origin alone (the shipped
//! Content-Security-Policy), and this server fetching any URL a dashboard names would make it an
//! open proxy; so the feed `https://host/path` is asked at `/news/host/path`, which nginx serves
//! only for the feeds given a proxy location (`deploy/provisioning/news.nginx.conf.example`):
//! off by default. A path on this origin (`/feeds/a.xml`) is asked as it is. An empty `feedUrl` is
//! Grafana's blog, as in Grafana.
//!
//! The items are shown as Grafana 9–11 shows them: the date as "Dec 13" in the dashboard's time
//! zone, the title a link opening in a new tab, the description as plain text (Grafana strips its
//! tags too), the `og:image` above the text (beside it when the panel is wider than 600 px).
//! Every text is escaped and every URL checked ([`crate::safe_url`]): feeds are not ours.

pub mod feed;

pub use feed::{NewsItem, parse_feed};

use super::text::escape_html as escape;
use crate::safe_url::checked_link;
use crate::time::civil_from_days;
use std::fmt::Write as _;

/// Grafana's default feed, its blog.
pub const DEFAULT_FEED_URL: &str = "https://grafana.com/blog/news.xml";

/// Where this server answers feeds it proxies.
pub const NEWS_PROXY_PREFIX: &str = "/news/";

/// Wider than this (CSS px), an item's image is beside its text (Grafana's wide layout).
pub const WIDE_PX: f64 = 600.0;

/// The panel's `feedUrl` (empty or missing: Grafana's blog).
pub fn feed_url(options: &serde_json::Value) -> String {
    options
        .get("feedUrl")
        .and_then(serde_json::Value::as_str)
        .map(str::trim)
        .filter(|url| !url.is_empty())
        .unwrap_or(DEFAULT_FEED_URL)
        .to_string()
}

/// Whether items show their image (`showImage`, default true).
pub fn show_image(options: &serde_json::Value) -> bool {
    options.get("showImage").and_then(serde_json::Value::as_bool) != Some(false)
}

/// The path on this origin the browser asks for `feed_url`: the path itself for one on this
/// origin, [`NEWS_PROXY_PREFIX`] + host + path (and query) for an http(s) feed elsewhere. An error
/// names what cannot be a feed's address.
pub fn feed_request_path(feed_url: &str) -> Result<String, String> {
    let url = feed_url.trim();
    if let Some(after_slash) = url.strip_prefix('/') {
        // The browser reads `/\host` and `/<tab>/host` as `//host`, another origin: a path on this
        // server has neither a second slash or backslash first nor any space or control character.
        let other_origin = after_slash.starts_with(['/', '\\']);
        if other_origin || !url.chars().all(|c| c.is_ascii_graphic()) || url.contains('\\') {
            return Err(format!("the feed URL {url:?} is not a plain path on this server"));
        }
        return Ok(url.to_string());
    }
    let rest = ["https://", "http://"]
        .iter()
        .find_map(|scheme| {
            url.get(..scheme.len()).filter(|s| s.eq_ignore_ascii_case(scheme)).map(|_| &url[scheme.len()..])
        })
        .ok_or_else(|| format!("the feed URL {url:?} is neither http(s) nor a path on this server"))?;
    let rest = rest.split('#').next().unwrap_or_default();
    let host_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(host_end);
    let host_ok =
        !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    // nginx would resolve `..` segments; a feed address has no reason to hold one.
    let path_ok = path.chars().all(|c| c.is_ascii_graphic()) && !path.split(['/', '?']).any(|s| s == "..");
    if !host_ok || !path_ok {
        return Err(format!("the feed URL {url:?} has a host or path this server cannot proxy"));
    }
    let path = if path.starts_with('/') || path.is_empty() { path.to_string() } else { format!("/{path}") };
    Ok(format!("{NEWS_PROXY_PREFIX}{}{path}", host.to_ascii_lowercase()))
}

/// The header the shipped news location's catch-all answer carries: this feed has no location.
pub const NO_LOCATION_HEADER: &str = "x-promboard-news";

/// What an answer for `feed_url` (asked at `path`) that is not a feed means: the app's page
/// (`is_html`: this server has no news proxy at all — a proxied feed is never sent as HTML, see
/// the example location), the news location's own 404 (`no_location`: none for this feed), or
/// another status. `None` for an answer to parse.
pub fn feed_problem(
    feed_url: &str,
    path: &str,
    status: u16,
    is_html: bool,
    no_location: bool,
) -> Option<String> {
    let proxied = path.starts_with(NEWS_PROXY_PREFIX);
    if proxied && (is_html || no_location) {
        let what =
            if is_html { "News feeds are off on this server" } else { "This news feed is not enabled" };
        return Some(format!(
            "{what}: {feed_url} needs a proxy location for {path} (see deploy/provisioning/news.nginx.conf.example)"
        ));
    }
    if !(200..300).contains(&status) {
        return Some(format!("Error loading RSS feed {feed_url}: HTTP {status} from {path}"));
    }
    None
}

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Grafana's `MMM DD` in the dashboard's zone: "Dec 03".
pub fn short_date(epoch_ms: f64, utc_offset_minutes: i32) -> String {
    let local_s = (epoch_ms / 1000.0).floor() as i64 + i64::from(utc_offset_minutes) * 60;
    let (_, month, day) = civil_from_days(local_s.div_euclid(86_400));
    format!("{} {day:02}", MONTHS[(month as usize).clamp(1, 12) - 1])
}

/// The feed as markup: one `article` per item, in the feed's order; an empty feed is an empty
/// list, as in Grafana.
pub fn news_markup(items: &[NewsItem], show_image: bool, wide: bool, utc_offset_minutes: i32) -> String {
    let mut markup = format!("<div class=\"news-feed {}\">", if wide { "wide" } else { "narrow" });
    for item in items {
        let title = escape(&item.title);
        let link = checked_link(&item.link).map(|link| escape(&link));
        let _ = write!(markup, "<article class=\"news-item\" aria-label=\"{title}\">");
        let image = item.image.as_deref().and_then(checked_link).filter(|_| show_image);
        if let Some(image) = image {
            let image = escape(&image);
            match &link {
                Some(link) => {
                    let _ = write!(
                        markup,
                        "<a class=\"news-image\" href=\"{link}\" target=\"_blank\" rel=\"noopener noreferrer\" aria-hidden=\"true\" tabindex=\"-1\"><img src=\"{image}\" alt=\"{title}\" referrerpolicy=\"no-referrer\"></a>"
                    );
                }
                None => {
                    let _ = write!(
                        markup,
                        "<span class=\"news-image\"><img src=\"{image}\" alt=\"{title}\" referrerpolicy=\"no-referrer\"></span>"
                    );
                }
            }
        }
        markup.push_str("<div class=\"news-content\">");
        if let Some(date_ms) = item.date_ms.filter(|ms| ms.is_finite()) {
            let _ = write!(
                markup,
                "<time class=\"news-date\" data-ms=\"{date_ms}\">{}</time>",
                short_date(date_ms, utc_offset_minutes)
            );
        }
        match &link {
            Some(link) => {
                let _ = write!(
                    markup,
                    "<a class=\"news-title\" href=\"{link}\" target=\"_blank\" rel=\"noopener noreferrer\"><h3>{title}</h3></a>"
                );
            }
            None => {
                let _ = write!(markup, "<h3 class=\"news-title\">{title}</h3>");
            }
        }
        let _ = write!(markup, "<div class=\"news-text\">{}</div></div></article>", escape(&item.text));
    }
    markup.push_str("</div>");
    markup
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn feeds_elsewhere_are_asked_through_this_server_and_nowhere_else() {
        assert_eq!(feed_url(&json!({})), DEFAULT_FEED_URL);
        assert!(show_image(&json!({})) && !show_image(&json!({"showImage": false})));
        assert_eq!(feed_url(&json!({"feedUrl": " "})), DEFAULT_FEED_URL);
        assert_eq!(feed_request_path(DEFAULT_FEED_URL).as_deref(), Ok("/news/grafana.com/blog/news.xml"));
        assert_eq!(
            feed_request_path("HTTPS://Example.COM:8443/feed?lang=en#top").as_deref(),
            Ok("/news/example.com:8443/feed?lang=en")
        );
        assert_eq!(feed_request_path("http://example.com").as_deref(), Ok("/news/example.com"));
        assert_eq!(feed_request_path("/feeds/ours.xml").as_deref(), Ok("/feeds/ours.xml"));
        for refused in [
            "//evil.example/feed",
            "javascript:alert(1)",
            "ftp://example.com/feed",
            "https://user@example.com/feed",
            "https://example.com/../api/v1/admin",
            "https://example.com/a b",
            "https:///feed",
            "/\\evil.example/feed",
            "/\t/evil.example/feed",
            "/feeds/a b.xml",
        ] {
            assert!(feed_request_path(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn answers_that_are_not_feeds_say_why() {
        let url = DEFAULT_FEED_URL;
        let path = "/news/grafana.com/blog/news.xml";
        let off = feed_problem(url, path, 200, true, false).unwrap();
        assert!(off.starts_with("News feeds are off on this server") && off.contains(path), "{off}");
        let missing = feed_problem(url, path, 404, false, true).unwrap();
        assert!(missing.starts_with("This news feed is not enabled"), "{missing}");
        // The feed's own server answering 404 is its status, not a missing location.
        assert!(feed_problem(url, path, 404, false, false).unwrap().contains("HTTP 404"));
        assert_eq!(
            feed_problem(url, path, 502, false, false).as_deref(),
            Some(
                "Error loading RSS feed https://grafana.com/blog/news.xml: HTTP 502 from /news/grafana.com/blog/news.xml"
            )
        );
        assert_eq!(feed_problem(url, path, 200, false, false), None);
        assert!(
            feed_problem("/feeds/a.xml", "/feeds/a.xml", 404, false, false).unwrap().contains("HTTP 404")
        );
    }

    #[test]
    fn items_are_escaped_links_checked_and_dates_short() {
        assert_eq!(short_date(1_765_584_000_000.0, 0), "Dec 13");
        assert_eq!(short_date(1_765_584_000_000.0, -60), "Dec 12", "an hour west, still the 12th");
        let items = [
            NewsItem {
                title: "<script>alert(1)</script>".into(),
                link: "javascript:alert(1)".into(),
                date_ms: Some(1_765_584_000_000.0),
                text: "<img src=x onerror=alert(1)>".into(),
                image: Some("https://example.com/a.png\" onerror=\"alert(1)".into()),
            },
            NewsItem {
                title: "Release".into(),
                link: "https://example.com/r".into(),
                date_ms: None,
                text: "New".into(),
                image: Some("data:image/png;base64,AA".into()),
            },
        ];
        let markup = news_markup(&items, true, false, 0);
        assert!(
            !markup.contains("<script") && !markup.contains("javascript:") && !markup.contains("<img src=x")
        );
        assert!(
            markup.contains("<h3 class=\"news-title\">&lt;script&gt;"),
            "an unsafe link is no link: {markup}"
        );
        assert!(markup.contains("href=\"https://example.com/r\"") && markup.contains("Dec 13"));
        assert!(!markup.contains("src=\"data:"), "only http(s) and same-site images");
        assert_eq!(markup.matches("<article").count(), 2);
        assert!(!news_markup(&items, false, true, 0).contains("<img"), "showImage off");
        assert_eq!(news_markup(&[], true, true, 0), "<div class=\"news-feed wide\"></div>");
    }
}
