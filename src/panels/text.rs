//! The text panel: Markdown (a safe subset: headings, paragraphs, lists, emphasis, code, links) and
//! HTML (through an allowlist) to HTML that is safe by construction: everything not produced by
//! these rules is escaped, so no script, event handler or `javascript:` link can come through.

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Links may point to the web, to mail, or within the app.
fn safe_url(url: &str) -> Option<String> {
    let trimmed = url.trim();
    let lower = trimmed.to_ascii_lowercase();
    let allowed =
        ["http://", "https://", "mailto:", "/", "#", "./", "../"].iter().any(|p| lower.starts_with(p))
            || (!lower.contains(':') && !lower.is_empty());
    allowed.then(|| escape(trimmed))
}

/// Inline Markdown: `code`, **strong**, *em*/_em_, [text](url). Everything else is escaped text.
fn inline(text: &str) -> String {
    // Unmatched markers make the search below quadratic; a line this long is shown as plain text.
    const MAX_INLINE_CHARS: usize = 10_000;
    if text.len() > MAX_INLINE_CHARS {
        return escape(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut html = String::new();
    let mut index = 0;
    let find = |from: usize, needle: &str| -> Option<usize> {
        let needle: Vec<char> = needle.chars().collect();
        (from..chars.len()).find(|&i| chars[i..].starts_with(&needle))
    };
    while index < chars.len() {
        let rest_starts = |s: &str| chars[index..].iter().take(s.chars().count()).copied().eq(s.chars());
        if chars[index] == '`'
            && let Some(end) = find(index + 1, "`")
        {
            let code: String = chars[index + 1..end].iter().collect();
            html.push_str(&format!("<code>{}</code>", escape(&code)));
            index = end + 1;
            continue;
        }
        if rest_starts("**")
            && let Some(end) = find(index + 2, "**")
        {
            let inner: String = chars[index + 2..end].iter().collect();
            html.push_str(&format!("<strong>{}</strong>", inline(&inner)));
            index = end + 2;
            continue;
        }
        if chars[index] == '*' || chars[index] == '_' {
            let marker = chars[index].to_string();
            if let Some(end) = find(index + 1, &marker).filter(|end| *end > index + 1) {
                let inner: String = chars[index + 1..end].iter().collect();
                html.push_str(&format!("<em>{}</em>", inline(&inner)));
                index = end + 1;
                continue;
            }
        }
        if chars[index] == '['
            && let Some(close) = find(index + 1, "](")
            && let Some(end) = find(close + 2, ")")
        {
            let label: String = chars[index + 1..close].iter().collect();
            let url: String = chars[close + 2..end].iter().collect();
            match safe_url(&url) {
                Some(url) => html.push_str(&format!(
                    "<a href=\"{url}\" target=\"_blank\" rel=\"noopener noreferrer\">{}</a>",
                    inline(&label)
                )),
                None => html.push_str(&inline(&label)),
            }
            index = end + 1;
            continue;
        }
        html.push_str(&escape(&chars[index].to_string()));
        index += 1;
    }
    html
}

/// Markdown to safe HTML.
pub fn markdown_to_html(markdown: &str) -> String {
    let mut html = String::new();
    let mut paragraph: Vec<String> = Vec::new();
    let mut list: Option<(&str, Vec<String>)> = None;
    let mut code: Option<Vec<String>> = None;
    let flush_paragraph = |html: &mut String, paragraph: &mut Vec<String>| {
        if !paragraph.is_empty() {
            html.push_str(&format!(
                "<p>{}</p>",
                paragraph.iter().map(|l| inline(l)).collect::<Vec<_>>().join("<br>")
            ));
            paragraph.clear();
        }
    };
    let flush_list = |html: &mut String, list: &mut Option<(&str, Vec<String>)>| {
        if let Some((tag, items)) = list.take() {
            html.push_str(&format!(
                "<{tag}>{}</{tag}>",
                items.iter().map(|i| format!("<li>{}</li>", inline(i))).collect::<String>()
            ));
        }
    };
    for line in markdown.replace("\r\n", "\n").lines() {
        if let Some(block) = code.as_mut() {
            if line.trim_start().starts_with("```") {
                html.push_str(&format!("<pre><code>{}</code></pre>", escape(&block.join("\n"))));
                code = None;
            } else {
                block.push(line.to_string());
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            flush_paragraph(&mut html, &mut paragraph);
            flush_list(&mut html, &mut list);
            code = Some(Vec::new());
            continue;
        }
        if trimmed.is_empty() {
            flush_paragraph(&mut html, &mut paragraph);
            flush_list(&mut html, &mut list);
            continue;
        }
        let hashes = trimmed.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&hashes) && trimmed[hashes..].starts_with(' ') {
            flush_paragraph(&mut html, &mut paragraph);
            flush_list(&mut html, &mut list);
            html.push_str(&format!("<h{hashes}>{}</h{hashes}>", inline(trimmed[hashes..].trim())));
            continue;
        }
        let bullet = trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("* "));
        let numbered = trimmed
            .split_once(". ")
            .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            .map(|(_, rest)| rest);
        if let Some((tag, item)) = bullet.map(|b| ("ul", b)).or(numbered.map(|n| ("ol", n))) {
            flush_paragraph(&mut html, &mut paragraph);
            if list.as_ref().is_some_and(|(t, _)| *t != tag) {
                flush_list(&mut html, &mut list);
            }
            list.get_or_insert((tag, Vec::new())).1.push(item.to_string());
            continue;
        }
        flush_list(&mut html, &mut list);
        paragraph.push(trimmed.to_string());
    }
    if let Some(block) = code {
        html.push_str(&format!("<pre><code>{}</code></pre>", escape(&block.join("\n"))));
    }
    flush_paragraph(&mut html, &mut paragraph);
    flush_list(&mut html, &mut list);
    html
}

const ALLOWED_TAGS: &[&str] = &[
    "a",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "code",
    "pre",
    "span",
    "div",
    "small",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "blockquote",
];
/// Elements whose content goes too.
const DROPPED_WITH_CONTENT: &[&str] =
    &["script", "style", "iframe", "object", "embed", "template", "noscript"];

/// HTML through an allowlist: allowed tags are rebuilt with only `href` (safe schemes), `title`
/// and `class`; everything else is escaped, and script-like elements are dropped with their
/// content.
pub fn sanitize_html(input: &str) -> String {
    let mut output = String::new();
    let mut rest = input;
    while let Some(open) = rest.find('<') {
        output.push_str(&rest[..open].replace('>', "&gt;"));
        rest = &rest[open..];
        if let Some(after_comment) = rest.strip_prefix("<!--") {
            rest = after_comment.find("-->").map_or("", |end| &after_comment[end + 3..]);
            continue;
        }
        let Some(close) = rest.find('>') else {
            output.push_str(&escape(rest));
            rest = "";
            break;
        };
        let tag = &rest[1..close];
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/').trim_end_matches('/');
        let name_end = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
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
        if ALLOWED_TAGS.contains(&name.as_str()) {
            if closing {
                output.push_str(&format!("</{name}>"));
            } else {
                output.push('<');
                output.push_str(&name);
                for (attribute, value) in attributes(&body[name_end..]) {
                    let kept = match attribute.as_str() {
                        "href" if name == "a" => safe_url(&value),
                        "title" | "class" => Some(escape(&value)),
                        _ => None,
                    };
                    if let Some(value) = kept {
                        output.push_str(&format!(" {attribute}=\"{value}\""));
                    }
                }
                if name == "a" {
                    output.push_str(" rel=\"noopener noreferrer\"");
                }
                output.push('>');
            }
        } else if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
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
    let mut rest = text.trim();
    while !rest.is_empty() {
        let name_end = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
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
            rest = remaining.trim_start();
            value.to_string()
        } else {
            String::new()
        };
        if !name.is_empty() {
            pairs.push((name, value));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_subset() {
        assert_eq!(
            markdown_to_html(
                "# Title\n\nSome **bold** and *em* text\nnext line\n\n- one\n- `two`\n\n1. first\n2. [link](https://grafana.com)"
            ),
            "<h1>Title</h1><p>Some <strong>bold</strong> and <em>em</em> text<br>next line</p>\
             <ul><li>one</li><li><code>two</code></li></ul>\
             <ol><li>first</li><li><a href=\"https://grafana.com\" target=\"_blank\" rel=\"noopener noreferrer\">link</a></li></ol>"
        );
        assert_eq!(markdown_to_html("```\n<b>x</b>\n```"), "<pre><code>&lt;b&gt;x&lt;/b&gt;</code></pre>");
    }

    #[test]
    fn markdown_cannot_inject() {
        let html = markdown_to_html(
            "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        );
        assert!(
            !html.contains("<script") && !html.contains("<img") && !html.contains("href=\"javascript"),
            "{html}"
        );
    }

    #[test]
    fn html_allowlist() {
        let check = |input: &str, expected: &str| assert_eq!(sanitize_html(input), expected, "{input}");
        check(
            "<p class=\"x\" onclick=\"alert(1)\">Hi <b>there</b></p>",
            "<p class=\"x\">Hi <b>there</b></p>",
        );
        check("<script>alert(1)</script>ok", "ok");
        check("<a href=\"javascript:alert(1)\">x</a>", "<a rel=\"noopener noreferrer\">x</a>");
        check(
            "<a href='https://x.org' target=_blank>x</a>",
            "<a href=\"https://x.org\" rel=\"noopener noreferrer\">x</a>",
        );
        check("<img src=x onerror=alert(1)>text", "text");
        check("<!-- hidden -->1 < 2", "1 &lt; 2");
        check("a < b > c", "a &lt; b &gt; c");
        check("<font color=red>kept text</font>", "kept text");
        check("<STYLE>body{}</STYLE><h2>T</h2>", "<h2>T</h2>");
    }
}
