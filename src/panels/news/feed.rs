//! Reading an RSS 2.0 or Atom feed, pure: a forgiving XML reader (elements, attributes, text,
//! CDATA, the XML entities and numeric references; comments, processing instructions and doctypes
//! skipped; an unclosed element closed at the end, a stray end tag ignored) and the items Grafana's
//! news panel reads from it. Written here rather than with the browser's `DOMParser`, which the
//! page's Trusted Types policy refuses feeds to (they hold `<link>` and `<meta>` elements), and so
//! that it is tested and fuzzed natively.
//!
//! What is read, as Grafana reads it (`rss.ts`, `atom.ts`): a document with a `feed` element is
//! Atom — each `entry`'s `title`, its first `link`'s `href`, `content` (else `summary`),
//! `published` (else `updated`); otherwise each `item`'s `title`, `link` text, `description` and
//! `pubDate`. The image is an item's `<meta property="og:image">`. Names are matched without their
//! namespace prefix, as CSS selectors match them in an XML document.

use crate::time::local_fields_to_ms;

/// Elements nested deeper than this are read as text of their parent (no feed nests this deep;
/// a hostile one must not exhaust the stack).
const MAX_DEPTH: usize = 64;

/// One item (RSS) or entry (Atom) of a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct NewsItem {
    pub title: String,
    pub link: String,
    /// When it was published (`pubDate`; Atom `published`, else `updated`), if readable.
    pub date_ms: Option<f64>,
    /// The description or content as plain text: tags removed, entities decoded, white space
    /// collapsed.
    pub text: String,
    /// The item's `og:image`.
    pub image: Option<String>,
}

#[derive(Debug, Default)]
struct Element {
    /// The local name (prefix removed), lower-cased.
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Every element below this one, in document order.
    fn descendants(&self) -> Vec<&Element> {
        let mut found = Vec::new();
        let mut stack: Vec<&Element> = vec![self];
        while let Some(element) = stack.pop() {
            let children: Vec<&Element> = element
                .children
                .iter()
                .filter_map(|child| match child {
                    Node::Element(e) => Some(e),
                    Node::Text(_) => None,
                })
                .collect();
            for child in children.iter().rev() {
                stack.push(child);
            }
            if !std::ptr::eq(element, self) {
                found.push(element);
            }
        }
        found
    }

    fn first(&self, name: &str) -> Option<&Element> {
        self.descendants().into_iter().find(|e| e.name == name)
    }

    fn text(&self) -> String {
        let mut text = String::new();
        let mut stack: Vec<&Node> = self.children.iter().rev().collect();
        while let Some(node) = stack.pop() {
            match node {
                Node::Text(t) => text.push_str(t),
                Node::Element(e) => stack.extend(e.children.iter().rev()),
            }
        }
        text
    }

    fn text_of(&self, name: &str) -> String {
        self.first(name).map(Element::text).unwrap_or_default().trim().to_string()
    }
}

/// The items of a feed, in the document's order. An error says why the text is not a feed.
pub fn parse_feed(text: &str) -> Result<Vec<NewsItem>, String> {
    let root = read_xml(text);
    let elements = root.descendants();
    let Some(top) = elements.first() else {
        return Err("the answer is not XML (no element in it)".into());
    };
    if top.name == "html" {
        return Err("the answer is a web page, not an RSS or Atom feed".into());
    }
    let atom = elements.iter().any(|e| e.name == "feed");
    let item_name = if atom { "entry" } else { "item" };
    let items = elements
        .iter()
        .filter(|e| e.name == item_name)
        .map(|item| {
            let (link, content, date) = if atom {
                let link =
                    item.first("link").and_then(|l| l.attribute("href")).unwrap_or_default().to_string();
                let content = Some(item.text_of("content"))
                    .filter(|c| !c.is_empty())
                    .unwrap_or_else(|| item.text_of("summary"));
                let date = Some(item.text_of("published"))
                    .filter(|d| !d.is_empty())
                    .unwrap_or_else(|| item.text_of("updated"));
                (link, content, date)
            } else {
                (item.text_of("link"), item.text_of("description"), item.text_of("pubdate"))
            };
            let metas: Vec<&Element> = item.descendants().into_iter().filter(|e| e.name == "meta").collect();
            let image = metas
                .iter()
                .find(|m| m.attribute("property") == Some("og:image"))
                .or_else(|| metas.first())
                .and_then(|m| m.attribute("content"))
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string);
            NewsItem {
                title: collapse_space(&decode_entities(&item.text_of("title"), true)),
                link,
                date_ms: parse_date(&date),
                text: html_text(&content),
                image,
            }
        })
        .collect();
    Ok(items)
}

/// HTML as the text a reader sees: tags removed (as Grafana's `/<\/?[^>]+(>|$)/g`), entities
/// decoded, white space collapsed.
pub fn html_text(html: &str) -> String {
    collapse_space(&decode_entities(&without_tags(html), true))
}

/// Tags that break a line or start a block.
const BREAKING_TAGS: &[&str] = &[
    "br",
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "blockquote",
    "hr",
    "pre",
];

fn without_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        // `<` then `/` or any character but `>` and space starts a tag, which runs to `>` or the end.
        if after.starts_with(|c: char| c == '/' || (c != '>' && !c.is_whitespace())) {
            // Grafana removes tags outright, running "one<br>two" together; a line or block
            // break is a space here.
            let name: String = after
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            if BREAKING_TAGS.contains(&name.as_str()) {
                out.push(' ');
            }
            rest = after.find('>').map_or("", |end| &after[end + 1..]);
        } else {
            out.push('<');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn collapse_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `&lt;`, `&#38;`, `&#x26;` …; with `html`, also the named entities feeds' HTML uses most.
/// An unknown or unterminated reference is kept as written.
fn decode_entities(text: &str, html: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        // A reference is short: look for its `;` in the next few bytes only (a text of many `&`
        // and no `;` would otherwise be searched to its end at every one).
        let decoded = after.as_bytes().iter().take(11).position(|b| *b == b';').and_then(|end| {
            let name = &after[..end];
            let character = if let Some(number) = name.strip_prefix('#') {
                let value = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => number.parse().ok(),
                };
                value.and_then(char::from_u32).filter(|c| *c != '\0')
            } else {
                named_entity(name, html)
            };
            character.map(|c| (c, end))
        });
        match decoded {
            Some((character, end)) => {
                out.push(character);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn named_entity(name: &str, html: bool) -> Option<char> {
    let xml = match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    };
    if xml.is_some() || !html {
        return xml;
    }
    Some(match name {
        "nbsp" => '\u{a0}',
        "rsquo" => '’',
        "lsquo" => '‘',
        "rdquo" => '”',
        "ldquo" => '“',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "laquo" => '«',
        "raquo" => '»',
        "middot" => '·',
        "bull" => '•',
        "eacute" => 'é',
        _ => return None,
    })
}

/// The XML `text` as a tree under an unnamed root.
fn read_xml(text: &str) -> Element {
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut rest = text;
    let push_text = |stack: &mut Vec<Element>, text: String| {
        if let Some(parent) = stack.last_mut().filter(|_| !text.is_empty()) {
            parent.children.push(Node::Text(text));
        }
    };
    while !rest.is_empty() {
        let Some(start) = rest.find('<') else {
            push_text(&mut stack, decode_entities(rest, false));
            break;
        };
        push_text(&mut stack, decode_entities(&rest[..start], false));
        rest = &rest[start..];
        if let Some(after) = rest.strip_prefix("<![CDATA[") {
            let end = after.find("]]>").unwrap_or(after.len());
            push_text(&mut stack, after[..end].to_string());
            rest = after.get(end + 3..).unwrap_or("");
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            // A processing instruction or a doctype (internal subsets are not expanded).
            rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').unwrap_or(after.len());
            let name = local_name(after[..end].trim());
            // Close up to the element this ends; an end tag with no open element is ignored.
            if let Some(depth) = stack.iter().rposition(|e| e.name == name).filter(|d| *d > 0) {
                while stack.len() > depth {
                    close(&mut stack);
                }
            }
            rest = after.get(end + 1..).unwrap_or("");
        } else {
            let (element, self_closing, consumed) = start_tag(&rest[1..]);
            rest = &rest[1 + consumed..];
            let Some(element) = element else {
                push_text(&mut stack, "<".into());
                continue;
            };
            if self_closing || stack.len() > MAX_DEPTH {
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(Node::Element(element));
                }
            } else {
                stack.push(element);
            }
        }
    }
    while stack.len() > 1 {
        close(&mut stack);
    }
    stack.pop().unwrap_or_default()
}

fn close(stack: &mut Vec<Element>) {
    let element = stack.pop();
    if let (Some(element), Some(parent)) = (element, stack.last_mut()) {
        parent.children.push(Node::Element(element));
    }
}

fn local_name(name: &str) -> String {
    name.rsplit(':').next().unwrap_or(name).to_ascii_lowercase()
}

/// A start tag after its `<`: the element (`None` when no name follows the `<`), whether it
/// closes itself, and how many bytes it took. White space is XML's (ASCII): a tag is only ever
/// cut at ASCII characters, so every cut is on a character boundary.
fn start_tag(text: &str) -> (Option<Element>, bool, usize) {
    let name_end = text.find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/').unwrap_or(text.len());
    if name_end == 0 {
        return (None, false, 0);
    }
    let mut element = Element { name: local_name(&text[..name_end]), ..Element::default() };
    let mut index = name_end;
    let bytes = text.as_bytes();
    loop {
        while index < bytes.len() && bytes[index].is_ascii_whitespace() {
            index += 1;
        }
        match bytes.get(index) {
            None => return (Some(element), false, index),
            Some(b'>') => return (Some(element), false, index + 1),
            Some(b'/') => {
                let closed = bytes.get(index + 1) == Some(&b'>');
                return (Some(element), closed, index + if closed { 2 } else { 1 });
            }
            Some(_) => {}
        }
        let key_end = text[index..]
            .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'))
            .map_or(text.len(), |end| index + end);
        let key = text[index..key_end].to_string();
        index = key_end.max(index + 1);
        let mut value = String::new();
        if bytes.get(index) == Some(&b'=') {
            index += 1;
            match bytes.get(index) {
                Some(quote @ (b'"' | b'\'')) => {
                    let end =
                        text[index + 1..].find(*quote as char).map_or(text.len(), |end| index + 1 + end);
                    value = decode_entities(&text[index + 1..end], false);
                    index = (end + 1).min(text.len());
                }
                _ => {
                    let end = text[index..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(text.len(), |end| index + end);
                    value = decode_entities(&text[index..end], false);
                    index = end;
                }
            }
        }
        element.attributes.push((key, value));
    }
}

/// A feed's date: RFC 3339 (Atom: `2026-12-08T10:00:00Z`, `…+01:00`) or RFC 822/2822 (RSS:
/// `Tue, 08 Dec 2026 10:00:00 +0000`, `GMT` or a US zone), as milliseconds since the epoch.
pub fn parse_date(text: &str) -> Option<f64> {
    let text = text.trim();
    rfc3339(text).or_else(|| rfc2822(text)).map(|ms| ms as f64)
}

fn number(text: &str) -> Option<i64> {
    (!text.is_empty() && text.chars().all(|c| c.is_ascii_digit())).then(|| text.parse().ok()).flatten()
}

fn valid(year: i64, month: i64, day: i64, hour: i64, minute: i64, second: i64) -> bool {
    (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && (0..=23).contains(&hour)
        && (0..=59).contains(&minute)
        && (0..=60).contains(&second)
        && (1..=9999).contains(&year)
}

fn rfc3339(text: &str) -> Option<i64> {
    let (date, time) = text.split_once(['T', 't', ' '])?;
    let mut parts = date.split('-');
    let (year, month, day) = (number(parts.next()?)?, number(parts.next()?)?, number(parts.next()?)?);
    let zone_start = time.find(['Z', 'z', '+', '-']).unwrap_or(time.len());
    let (clock, zone) = time.split_at(zone_start);
    let clock = clock.split('.').next()?;
    let mut fields = clock.split(':');
    let (hour, minute) = (number(fields.next()?)?, number(fields.next()?)?);
    let second = fields.next().map_or(Some(0), number)?;
    let offset_minutes = match zone {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits = &zone[1..];
            // `+01:00`, or without the colon `+0100` (PHP's DATE_ISO8601) and `+01`.
            let (h, m) = match digits.split_once(':') {
                Some(parts) => parts,
                None if digits.len() == 4 => digits.split_at(2),
                None if digits.len() == 2 => (digits, "0"),
                None => return None,
            };
            sign * (number(h)? * 60 + number(m)?)
        }
    };
    valid(year, month, day, hour, minute, second).then(|| {
        local_fields_to_ms(year, month as u32, day as u32, hour, minute, second) - offset_minutes * 60_000
    })
}

fn rfc2822(text: &str) -> Option<i64> {
    // The weekday is optional and not checked.
    let text = text.split_once(',').map_or(text, |(_, rest)| rest);
    let mut words = text.split_whitespace();
    let day = number(words.next()?)?;
    let month_name = words.next()?.to_ascii_lowercase();
    let month = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        .iter()
        .position(|m| month_name.starts_with(m))? as i64
        + 1;
    let year = number(words.next()?)?;
    let year = if year < 50 {
        2000 + year
    } else if year < 100 {
        1900 + year
    } else {
        year
    };
    let mut clock = words.next()?.split(':');
    let (hour, minute) = (number(clock.next()?)?, number(clock.next()?)?);
    let second = clock.next().map_or(Some(0), number)?;
    let zone = words.next().unwrap_or("GMT");
    let offset_minutes = match zone.to_ascii_uppercase().as_str() {
        "GMT" | "UT" | "UTC" | "Z" => 0,
        "EDT" => -4 * 60,
        "EST" | "CDT" => -5 * 60,
        "CST" | "MDT" => -6 * 60,
        "MST" | "PDT" => -7 * 60,
        "PST" => -8 * 60,
        numeric => {
            let sign = match numeric.as_bytes().first() {
                Some(b'-') => -1,
                Some(b'+') => 1,
                _ => return None,
            };
            let digits = number(numeric.get(1..5)?)?;
            sign * (digits / 100 * 60 + digits % 100)
        }
    };
    valid(year, month, day, hour, minute, second).then(|| {
        local_fields_to_ms(year, month as u32, day as u32, hour, minute, second) - offset_minutes * 60_000
    })
}

#[cfg(test)]
mod tests;
