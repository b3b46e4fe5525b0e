//! HTML through an allowlist, rebuilt rather than filtered: allowed elements are written anew with
//! only their allowed attributes (values decoded, checked and escaped again), script-like elements
//! are dropped with their content, any other tag is dropped and its text kept. So no script, event
//! handler, style or script URL can come through, whatever the input's tricks. Images load only
//! from this site (a remote image is a tracking pixel and a request the viewer did not choose):
//! a remote one becomes a link to it. URLs follow [`crate::safe_url`], as every link in the app does.

use crate::safe_url::{browser_form, checked_link};

/// Elements kept, with the attributes each may keep besides `title` and `class`.
const ALLOWED: &[(&str, &[&str])] = &[
    ("a", &["href", "target"]),
    ("img", &["src", "alt", "width", "height"]),
    ("input", &["type", "checked"]),
    ("ol", &["start"]),
    ("td", &["align", "colspan", "rowspan"]),
    ("th", &["align", "colspan", "rowspan"]),
    ("p", &["align"]),
    ("div", &["align"]),
    ("b", &[]),
    ("strong", &[]),
    ("i", &[]),
    ("em", &[]),
    ("u", &[]),
    ("del", &[]),
    ("s", &[]),
    ("sup", &[]),
    ("sub", &[]),
    ("kbd", &[]),
    ("mark", &[]),
    ("br", &[]),
    ("hr", &[]),
    ("ul", &[]),
    ("li", &[]),
    ("dl", &[]),
    ("dt", &[]),
    ("dd", &[]),
    ("h1", &[]),
    ("h2", &[]),
    ("h3", &[]),
    ("h4", &[]),
    ("h5", &[]),
    ("h6", &[]),
    ("code", &[]),
    ("pre", &[]),
    ("span", &[]),
    ("small", &[]),
    ("table", &[]),
    ("caption", &[]),
    ("thead", &[]),
    ("tbody", &[]),
    ("tfoot", &[]),
    ("tr", &[]),
    ("blockquote", &[]),
];
/// Elements whose content goes too.
const DROPPED_WITH_CONTENT: &[&str] =
    &["script", "style", "iframe", "object", "embed", "template", "noscript", "textarea", "xmp", "title"];

fn allowed_attributes(element: &str) -> Option<&'static [&'static str]> {
    ALLOWED.iter().find(|(name, _)| *name == element).map(|(_, attributes)| *attributes)
}

/// `text` safe as HTML or SVG text and as a double-quoted attribute value.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Character references in an attribute value or URL, as the browser reads them: numeric ones and
/// the named ones that matter for URLs. One left undecoded stays literal text after escaping.
pub(super) fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut decoded = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        decoded.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let body_end =
            rest[1..].find(|c: char| !c.is_ascii_alphanumeric() && c != '#').map_or(rest.len(), |e| e + 1);
        let body = &rest[1..body_end];
        let character = if let Some(number) = body.strip_prefix('#') {
            let value = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => number.parse::<u32>().ok(),
            };
            value.map(|v| char::from_u32(v).filter(|c| *c != '\0').unwrap_or('\u{FFFD}'))
        } else {
            match body {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "colon" => Some(':'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                "sol" => Some('/'),
                "bsol" => Some('\\'),
                "lpar" => Some('('),
                "rpar" => Some(')'),
                "period" => Some('.'),
                "nbsp" => Some('\u{A0}'),
                _ => None,
            }
        };
        match character {
            Some(character) if !body.is_empty() && body != "#" => {
                decoded.push(character);
                rest = rest[body_end..].strip_prefix(';').unwrap_or(&rest[body_end..]);
            }
            _ => {
                decoded.push('&');
                rest = &rest[1..];
            }
        }
    }
    decoded.push_str(rest);
    decoded
}

/// Links may point to the web, to mail, or within the app.
pub(super) fn safe_link(url: &str) -> Option<String> {
    checked_link(&decode_entities(url)).map(|url| escape(&url))
}

/// Where an image may load from: this site only.
enum ImageSource {
    Local(String),
    Remote(String),
    Refused,
}

fn image_source(url: &str) -> ImageSource {
    let (url, scheme) = browser_form(&decode_entities(url));
    match scheme.as_deref() {
        None if url.is_empty() => ImageSource::Refused,
        // `//host/x` and `/\host/x` are other sites.
        None if url.starts_with("//") || url.starts_with("/\\") || url.starts_with("\\") => {
            ImageSource::Remote(escape(&format!("https:{url}")))
        }
        None => ImageSource::Local(escape(&url)),
        Some("http" | "https") => ImageSource::Remote(escape(&url)),
        Some(_) => ImageSource::Refused,
    }
}

/// The value an attribute may keep, escaped, or `None` to drop it.
fn kept_value(element: &str, attribute: &str, value: &str) -> Option<String> {
    let numeric = |value: &str| {
        let value = value.trim();
        (!value.is_empty() && value.len() <= 5 && value.chars().all(|c| c.is_ascii_digit()))
            .then(|| value.to_string())
    };
    match attribute {
        "title" | "class" | "alt" => Some(escape(&decode_entities(value))),
        "href" => safe_link(value),
        "target" => {
            let value = value.trim().to_ascii_lowercase();
            ["_blank", "_self", "_parent", "_top"].contains(&value.as_str()).then_some(value)
        }
        "align" => {
            let value = value.trim().to_ascii_lowercase();
            ["left", "center", "right", "justify"].contains(&value.as_str()).then_some(value)
        }
        "start" | "colspan" | "rowspan" | "width" | "height" => numeric(value),
        "type" if element == "input" => {
            value.trim().eq_ignore_ascii_case("checkbox").then(|| "checkbox".into())
        }
        "checked" => Some(String::new()),
        _ => None,
    }
}

/// Writes an allowed opening tag anew from its parsed attributes.
fn write_open_tag(output: &mut String, name: &str, attributes: Vec<(String, String)>) {
    let allowed = allowed_attributes(name).unwrap_or(&[]);
    let mut kept: Vec<(String, String)> = Vec::new();
    let mut image: Option<ImageSource> = None;
    for (attribute, value) in attributes {
        if kept.iter().any(|(k, _)| *k == attribute) {
            continue;
        }
        if name == "img" && attribute == "src" {
            image = Some(image_source(&value));
            continue;
        }
        if (attribute == "title" || attribute == "class" || allowed.contains(&attribute.as_str()))
            && let Some(value) = kept_value(name, &attribute, &value)
        {
            kept.push((attribute, value));
        }
    }
    let text_of = |kept: &[(String, String)], key: &str| {
        kept.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default()
    };
    match (name, image) {
        ("img", Some(ImageSource::Local(src))) => kept.insert(0, ("src".into(), src)),
        ("img", Some(ImageSource::Remote(url))) => {
            let alt = text_of(&kept, "alt");
            let label = if alt.is_empty() { url.clone() } else { alt };
            output.push_str(&format!(
                "<a href=\"{url}\" class=\"remote-image\" title=\"Image from another site, not loaded: {url}\" \
                 rel=\"noopener noreferrer\">🖼 {label}</a>"
            ));
            return;
        }
        ("img", _) => {
            output.push_str(&text_of(&kept, "alt"));
            return;
        }
        ("input", _) if text_of(&kept, "type") != "checkbox" => return,
        _ => {}
    }
    output.push('<');
    output.push_str(name);
    for (attribute, value) in &kept {
        output.push_str(&format!(" {attribute}=\"{value}\""));
    }
    match name {
        "a" => output.push_str(" rel=\"noopener noreferrer\""),
        "input" => output.push_str(" disabled"),
        _ => {}
    }
    output.push('>');
}

/// The end of a tag starting at `<`: the first `>` outside quoted attribute values.
fn tag_end(tag: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut after_equals = false;
    for (index, character) in tag.char_indices() {
        match (quote, character) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if after_equals => quote = Some(character),
            (None, '>') => return Some(index),
            _ => {}
        }
        if quote.is_none() && !character.is_whitespace() {
            after_equals = character == '=';
        }
    }
    None
}

/// HTML through the allowlist (see the module's doc).
pub fn sanitize_html(input: &str) -> String {
    let mut output = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(open) = rest.find('<') {
        output.push_str(&rest[..open].replace('>', "&gt;"));
        rest = &rest[open..];
        if let Some(after_comment) = rest.strip_prefix("<!--") {
            rest = after_comment.find("-->").map_or("", |end| &after_comment[end + 3..]);
            continue;
        }
        let Some(close) = tag_end(rest) else {
            output.push_str(&escape(rest));
            rest = "";
            break;
        };
        let tag = &rest[1..close];
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/').trim_end_matches('/');
        let name_end = body.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(body.len());
        let name = body[..name_end].to_ascii_lowercase();
        if DROPPED_WITH_CONTENT.contains(&name.as_str()) && !closing {
            let end_tag = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = match lower.find(&end_tag) {
                Some(end) => rest[end..].find('>').map_or("", |gt| &rest[end + gt + 1..]),
                None => "",
            };
            continue;
        }
        if allowed_attributes(&name).is_some() {
            if closing {
                if !matches!(name.as_str(), "img" | "input" | "br" | "hr") {
                    output.push_str(&format!("</{name}>"));
                }
            } else {
                write_open_tag(&mut output, &name, attributes(&body[name_end..]));
            }
        } else if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            // Not a tag at all (`a < b`): show it.
            output.push_str(&escape(&rest[..=close]));
        }
        rest = &rest[close + 1..];
    }
    output.push_str(&rest.replace('>', "&gt;"));
    output
}

/// `name="value"`, `name='value'` and `name=value` pairs of a tag, names lower-cased.
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut rest = text.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
    while !rest.is_empty() {
        let name_end =
            rest.find(|c: char| c == '=' || c == '/' || c.is_whitespace()).unwrap_or(rest.len()).max(1);
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, remaining) = match after.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let end = after[1..].find(quote).map_or(after.len(), |e| e + 1);
                    (&after[1..end.min(after.len())], after.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            rest = remaining;
            value.to_string()
        } else {
            String::new()
        };
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':')
        {
            pairs.push((name, value));
        }
    }
    pairs
}

/// Panics unless `html` is what the sanitiser writes: every `<` opens or closes an allowlisted
/// element, whose attributes are allowlisted, double-quoted, free of `<`, `>` and `"`, and whose
/// links and images do not leave through a script URL or to another site. Used by the tests and
/// the `sanitize` fuzz target on any input.
pub fn assert_only_allowlisted(html: &str) {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        assert!(!rest[..open].contains('>'), "a stray > in {html:?}");
        rest = &rest[open + 1..];
        let close = rest.find('>').unwrap_or_else(|| panic!("an unclosed tag in {html:?}"));
        let tag = &rest[..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert!(
                allowed_attributes(name).is_some(),
                "closing tag </{name}> is not allowlisted in {html:?}"
            );
            continue;
        }
        let name_end = tag.find(' ').unwrap_or(tag.len());
        let name = &tag[..name_end];
        let allowed =
            allowed_attributes(name).unwrap_or_else(|| panic!("<{name}> is not allowlisted in {html:?}"));
        let mut attributes = &tag[name_end..];
        while let Some(after_space) = attributes.strip_prefix(' ') {
            let name_len = after_space.find(['=', ' ']).unwrap_or(after_space.len());
            let attribute = &after_space[..name_len];
            let extra = ["title", "class", "rel", "disabled"];
            assert!(
                allowed.contains(&attribute) || extra.contains(&attribute),
                "attribute {attribute} on <{name}> in {html:?}"
            );
            attributes = &after_space[name_len..];
            if let Some(quoted) = attributes.strip_prefix("=\"") {
                let end = quoted.find('"').unwrap_or_else(|| panic!("an unquoted value in {html:?}"));
                let value = &quoted[..end];
                assert!(!value.contains(['<', '>']), "a raw < or > in {attribute}={value:?} of {html:?}");
                let url = decode_entities(value);
                if attribute == "href" {
                    assert!(safe_link(&url).is_some(), "href {url:?} in {html:?}");
                }
                if attribute == "src" {
                    assert!(matches!(image_source(&url), ImageSource::Local(_)), "src {url:?} in {html:?}");
                }
                attributes = &quoted[end + 1..];
            }
        }
        assert!(attributes.is_empty(), "left in <{name}>: {attributes:?} of {html:?}");
    }
    assert!(!rest.contains('>'), "a stray > in {html:?}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_allowlist() {
        let check = |input: &str, expected: &str| {
            let output = sanitize_html(input);
            assert_eq!(output, expected, "{input}");
            assert_only_allowlisted(&output);
        };
        check(
            "<p class=\"x\" onclick=\"alert(1)\">Hi <b>there</b></p>",
            "<p class=\"x\">Hi <b>there</b></p>",
        );
        check("<script>alert(1)</script>ok", "ok");
        check("<a href=\"javascript:alert(1)\">x</a>", "<a rel=\"noopener noreferrer\">x</a>");
        check(
            "<a href='https://x.org' target=_blank>x</a>",
            "<a href=\"https://x.org\" target=\"_blank\" rel=\"noopener noreferrer\">x</a>",
        );
        check("<img src=x onerror=alert(1)>text", "<img src=\"x\">text");
        check("<!-- hidden -->1 < 2", "1 &lt; 2");
        check("a < b > c", "a &lt; b &gt; c");
        check("<font color=red>kept text</font>", "kept text");
        check("<STYLE>body{}</STYLE><h2>T</h2>", "<h2>T</h2>");
        check("<textarea><img src=x onerror=alert(1)></textarea>after", "after");
        check("<td align=CENTER colspan=2 rowspan=x>c</td>", "<td align=\"center\" colspan=\"2\">c</td>");
        check(
            "<input type=checkbox checked onclick=x><input type=text>",
            "<input type=\"checkbox\" checked=\"\" disabled>",
        );
    }

    #[test]
    fn attribute_values_are_read_as_the_browser_reads_them() {
        let check = |input: &str, expected: &str| assert_eq!(sanitize_html(input), expected, "{input}");
        // Entities, tabs and leading controls do not hide a scheme.
        check("<a href=\"&#106;avascript&#58;alert(1)\">x</a>", "<a rel=\"noopener noreferrer\">x</a>");
        check("<a href=\"java&Tab;script&colon;alert(1)\">x</a>", "<a rel=\"noopener noreferrer\">x</a>");
        check("<a href=\"\u{1} javascript:alert(1)\">x</a>", "<a rel=\"noopener noreferrer\">x</a>");
        check("<a href=\"JaVaScRiPt:alert(1)\">x</a>", "<a rel=\"noopener noreferrer\">x</a>");
        // A query string written with &amp; stays one.
        check(
            "<a href=\"/d/x?a=1&amp;b=2\">x</a>",
            "<a href=\"/d/x?a=1&amp;b=2\" rel=\"noopener noreferrer\">x</a>",
        );
        // A > inside a quoted value does not end the tag.
        check(
            "<a title=\"a>b\" onclick=alert(1)>x</a>",
            "<a title=\"a&gt;b\" rel=\"noopener noreferrer\">x</a>",
        );
    }

    #[test]
    fn images_load_from_this_site_only() {
        let check = |input: &str, expected: &str| assert_eq!(sanitize_html(input), expected, "{input}");
        check(
            "<img src=\"/public/logo.png\" alt=\"Logo\" width=20>",
            "<img src=\"/public/logo.png\" alt=\"Logo\" width=\"20\">",
        );
        check(
            "<img src=\"https://x.org/p.png\" alt=\"Chart\">",
            "<a href=\"https://x.org/p.png\" class=\"remote-image\" title=\"Image from another site, not loaded: \
             https://x.org/p.png\" rel=\"noopener noreferrer\">🖼 Chart</a>",
        );
        check(
            "<img src=\"//x.org/p.png\">",
            "<a href=\"https://x.org/p.png\" class=\"remote-image\" title=\"Image from another site, not loaded: https://x.org/p.png\" rel=\"noopener noreferrer\">🖼 https://x.org/p.png</a>",
        );
        check("<img src=\"data:image/svg+xml,<svg onload=alert(1)>\" alt=a>", "a");
        check("<img srcset=\"https://x.org/p.png 1x\">", "");
        // Found by the sanitize fuzz target: a protocol-relative source was written unescaped.
        assert_only_allowlisted(&sanitize_html("<img src=\"//x.org/&quot; onmouseover=&quot;alert(1)<\">"));
        assert!(!sanitize_html("<img src='//x.org/\" onmouseover=\"alert(1)'>").contains("\" onmouseover"));
    }
}
