//! The news panel (issue 16): feeds through the optional location shipped in
//! deploy/provisioning/news.nginx.conf.example, enabled as it says and pointed at a stand-in for
//! grafana.com's blog (no internet in tests). The browser asks only our nginx; a feed without a
//! location and a server without the file are said so; a feed's hostile items stay text.

use crate::World;
use crate::browser::Browser;
use crate::editing::ensure;
use crate::stack::{RemovedOnDrop, Result, ScratchDir, crate_dir, install_example, start_nginx};
use crate::standin::{Answer, StandIn, expect_statuses, raw_request};
use serde_json::{Value, json};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// Grafana's blog feed: two items (one with an image), then one written to attack.
fn blog(request_line: &str) -> Answer {
    if !request_line.starts_with("GET /blog/news.xml ") {
        return (404, "text/plain", "not found".into());
    }
    let feed = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Grafana Labs blog</title>
<item><title>Grafana 13 &amp; you</title><link>https://grafana.com/blog/g13/</link>
  <pubDate>Sun, 13 Dec 2026 09:30:00 +0000</pubDate>
  <description>&lt;p&gt;What&amp;rsquo;s &lt;b&gt;new&lt;/b&gt;.&lt;/p&gt;</description>
  <meta property="og:image" content="/e2e-news.png"/></item>
<item><title>Loki tips</title><link>https://grafana.com/blog/loki/</link>
  <pubDate>Sat, 12 Dec 2026 23:30:00 -0100</pubDate>
  <description><![CDATA[<div>Line one<br>line two</div>]]></description></item>
<item><title><![CDATA[<img src=x onerror="window.__newsHacked=1">Hostile]]></title>
  <link>javascript:window.__newsHacked=2</link>
  <description><![CDATA[<script>window.__newsHacked=3</script>&lt;img src=x onerror=window.__newsHacked=4&gt;]]></description>
  <meta property="og:image" content="javascript:window.__newsHacked=5"/></item>
</channel></rss>"#;
    (200, "application/rss+xml", feed.to_string())
}

/// Three news panels: the default feed (Grafana's blog), wide; the same feed named, narrow and
/// without images; a feed no location is given for.
fn dashboard() -> Value {
    json!({
        "uid": "e2e-news", "title": "E2E news", "schemaVersion": 39, "timezone": "utc", "time": {"from": "now-1h", "to": "now"},
        "panels": [
            {"id": 1, "type": "news", "title": "Blog", "gridPos": {"x": 0, "y": 0, "w": 24, "h": 10}, "options": {"showImage": true}},
            {"id": 2, "type": "news", "title": "Blog, narrow", "gridPos": {"x": 0, "y": 10, "w": 8, "h": 10},
             "options": {"feedUrl": "https://grafana.com/blog/news.xml", "showImage": false}},
            {"id": 3, "type": "news", "title": "Elsewhere", "gridPos": {"x": 8, "y": 10, "w": 8, "h": 10},
             "options": {"feedUrl": "https://feeds.example.org/rss"}}
        ]
    })
}

const ONE_PIXEL_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00,
    0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05,
    0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42,
    0x60, 0x82,
];

/// An item as shown: date, title, link, text, image.
type ShownItem = (String, String, Option<String>, String, Option<String>);

const ITEMS: &str = "return [...document.querySelectorAll('[data-panel-id=\"1\"] .news-item')].map(a => [a.querySelector('.news-date')?.textContent ?? '', a.querySelector('h3').textContent, a.querySelector('a.news-title')?.getAttribute('href') ?? null, a.querySelector('.news-text').textContent, a.querySelector('img')?.getAttribute('src') ?? null]);";

pub fn news_feeds_come_through_their_own_locations_only(world: &World) -> Result<()> {
    let stand_in = StandIn::start(blog)?;
    let scratch = ScratchDir::new("news")?;
    let provisioning = scratch.0.join("provisioning");
    std::fs::create_dir_all(&provisioning)?;
    let shipped = std::fs::read_to_string(crate_dir().join("deploy/provisioning/datasources.yaml"))?;
    std::fs::write(provisioning.join("datasources.yaml"), shipped)?;
    // Enabled as the example says: copied into the provisioning folder (here with the stand-in in
    // place of https://grafana.com).
    install_example(
        &provisioning,
        "news.nginx.conf",
        &[(
            "proxy_pass https://grafana.com/blog/news.xml;",
            &format!("proxy_pass {}/blog/news.xml;", stand_in.url),
        )],
    )?;
    // The first item's image, served by our nginx (a 1 × 1 PNG; no internet in tests).
    let image = world.stack.dist_dir.join("e2e-news.png");
    std::fs::write(&image, ONE_PIXEL_PNG)?;
    let _image_cleanup = RemovedOnDrop(image);
    let file = world.stack.dashboards_dir.join("e2e-news.json");
    std::fs::write(&file, dashboard().to_string())?;
    let _cleanup = RemovedOnDrop(file);
    let (_nginx, port) = start_nginx(
        &scratch.0,
        &world.stack.dist_dir,
        &world.stack.dashboards_dir,
        &world.stack.prometheus_url,
        &provisioning,
    )?;
    let app = format!("http://127.0.0.1:{port}");
    // Only GET of an allowed feed goes out; the feed comes back as inert text whatever its server
    // says, without the visitor's query string going upstream; any other feed is the location's
    // own 404, marked so that the panel can tell it from a feed's 404.
    expect_statuses(
        port,
        &[
            ("POST", "/news/grafana.com/blog/news.xml", 403),
            ("GET", "/news/grafana.com/../api/v1/query", 404),
        ],
    )?;
    let (status, feed) = raw_request(port, "GET", "/news/grafana.com/blog/news.xml?evil=1")?;
    let head = feed.split("\r\n\r\n").next().unwrap_or_default().to_ascii_lowercase();
    ensure(
        status == 200
            && head.contains("content-type: text/plain; charset=utf-8")
            && !head.contains("application/rss+xml")
            && head.contains("content-security-policy: default-src 'none'; sandbox"),
        || format!("the proxied feed's head: {head}"),
    )?;
    let (status, missing) = raw_request(port, "GET", "/news/feeds.example.org/rss")?;
    ensure(status == 404 && missing.to_ascii_lowercase().contains("x-promboard-news: no-location"), || {
        missing.clone()
    })?;
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        browser.goto(&format!("{app}/d/e2e-news/e2e-news")).await?;
        browser
            .wait_for("the feeds", WAIT, "return document.querySelectorAll('[data-panel-id=\"1\"] .news-item').length === 3 && document.querySelectorAll('[data-panel-id=\"2\"] .news-item').length === 3 && !!document.querySelector('[data-panel-id=\"3\"] .panel-error');")
            .await?;
        let items: Vec<ShownItem> = serde_json::from_value(browser.execute(ITEMS, vec![]).await?)?;
        // Dates as Grafana's "MMM DD" in the dashboard's zone (UTC: 23:30 at -01:00 is the 13th).
        let expected = vec![
            ("Dec 13".into(), "Grafana 13 & you".into(), Some("https://grafana.com/blog/g13/".into()), "What’s new.".into(), Some("/e2e-news.png".into())),
            ("Dec 13".into(), "Loki tips".into(), Some("https://grafana.com/blog/loki/".into()), "Line one line two".into(), None),
            (String::new(), "<img src=x onerror=\"window.__newsHacked=1\">Hostile".into(), None, "window.__newsHacked=3<img src=x onerror=window.__newsHacked=4>".into(), None),
        ];
        ensure(items == expected, || format!("news items {items:#?}"))?;
        let layout = browser
            .execute("return ['1', '2'].map(id => [document.querySelector(`[data-panel-id=\"${id}\"] .news-feed`).className, document.querySelectorAll(`[data-panel-id=\"${id}\"] img`).length, document.querySelector(`[data-panel-id=\"${id}\"]`).dataset.state]).concat([[document.querySelector('[data-panel-id=\"3\"] .panel-error').textContent, 0, document.querySelector('[data-panel-id=\"3\"]').dataset.state]]);", vec![])
            .await?;
        ensure(
            layout
                == json!([
                    ["news-feed wide", 1, "drawn"],
                    ["news-feed narrow", 0, "drawn"],
                    ["This news feed is not enabled: https://feeds.example.org/rss needs a proxy location for /news/feeds.example.org/rss (see deploy/provisioning/news.nginx.conf.example)", 0, "error"]
                ]),
            || format!("layouts and states {layout}"),
        )?;
        let hacked = browser.execute("return window.__newsHacked ?? null;", vec![]).await?;
        ensure(hacked.is_null(), || format!("a feed's item ran script: {hacked}"))?;
        browser.screenshot("news").await?;
        browser.check_page_errors().await?;
        browser.finish().await
    })?;
    let seen = stand_in.seen();
    ensure(
        !seen.is_empty()
            && seen
                .iter()
                .all(|r| r.starts_with("GET /blog/news.xml HTTP/") && r.contains("Host: grafana.com"))
            && !seen.iter().any(|r| r.to_ascii_lowercase().contains("\r\ncookie:")),
        || format!("the blog should see GETs of its feed only, for grafana.com, without cookies: {seen:?}"),
    )?;

    // The shipped configuration without the file: news feeds are off, and the panel says how to
    // turn them on.
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        browser.goto(&format!("{}/d/e2e-news/e2e-news", world.stack.app_url)).await?;
        browser
            .wait_for("the feeds off", WAIT, "return (document.querySelector('[data-panel-id=\"1\"] .panel-error')?.textContent || '').startsWith('News feeds are off on this server: https://grafana.com/blog/news.xml needs a proxy location for /news/grafana.com/blog/news.xml');")
            .await?;
        browser.finish().await
    })
}
