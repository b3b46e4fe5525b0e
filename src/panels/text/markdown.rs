//! Markdown as Grafana's text panel renders it (marked, GitHub-flavoured, a line break inside a
//! paragraph is not a `<br>`): headings (`#` and underlined), paragraphs, block quotes, lists nested
//! by indentation (tight or loose, ordered with their start, task items), fenced and indented code,
//! thematic breaks, HTML blocks, tables with column alignment; inline code, emphasis, strikethrough,
//! links and images (inline, reference, autolinks, bare URLs), raw inline HTML, backslash escapes,
//! entities and hard breaks. What it writes then goes through the sanitiser like any HTML.
//!
//! Limits instead of worst cases: containers nest at most `MAX_DEPTH` deep and a paragraph longer
//! than `MAX_INLINE_CHARS` is shown as plain text (unmatched markers make inline parsing quadratic).

use super::inline::{Inline, MAX_DEPTH, Reference, References, normalise_label};
use super::sanitize::{escape, sanitize_html};

const MAX_INLINE_CHARS: usize = 10_000;

/// Markdown to safe HTML.
pub fn markdown_to_html(markdown: &str) -> String {
    let lines: Vec<String> =
        markdown.replace("\r\n", "\n").replace('\r', "\n").split('\n').map(expand_tabs).collect();
    let refs = reference_definitions(&lines);
    let html = Blocks { refs: &refs }.render(&lines, false, 0);
    sanitize_html(&html)
}

/// Tabs in a line's indentation count as four spaces (CommonMark's tab stops, simplified).
fn expand_tabs(line: &str) -> String {
    let indent_end = line.find(|c: char| c != ' ' && c != '\t').unwrap_or(line.len());
    if !line[..indent_end].contains('\t') {
        return line.to_string();
    }
    let mut width = 0;
    for c in line[..indent_end].chars() {
        width = if c == '\t' { width + 4 - width % 4 } else { width + 1 };
    }
    format!("{}{}", " ".repeat(width), &line[indent_end..])
}

fn parse_reference_definition(line: &str) -> Option<(String, Reference)> {
    let trimmed = line.trim_start_matches(['>', ' ']);
    let rest = trimmed.strip_prefix('[')?;
    let (label, after) = rest.split_once("]:")?;
    if label.trim().is_empty() || label.contains(['[', ']']) {
        return None;
    }
    let after = after.trim();
    let (destination, title_part) = match after.strip_prefix('<') {
        Some(bracketed) => {
            let (destination, rest) = bracketed.split_once('>')?;
            (destination.to_string(), rest.trim())
        }
        None => {
            let end = after.find(' ').unwrap_or(after.len());
            (after[..end].to_string(), after[end..].trim())
        }
    };
    if destination.is_empty() {
        return None;
    }
    let title = match title_part.chars().next() {
        None => None,
        Some(open @ ('"' | '\'' | '(')) => {
            let close = if open == '(' { ')' } else { open };
            let inner = title_part[1..].strip_suffix(close)?;
            Some(inner.to_string())
        }
        Some(_) => return None,
    };
    Some((normalise_label(label), Reference { destination, title }))
}

/// Definitions anywhere outside fenced code; the first of a label wins, as in CommonMark.
fn reference_definitions(lines: &[String]) -> References {
    let mut refs = References::new();
    let mut fence: Option<String> = None;
    for line in lines {
        let trimmed = line.trim_start_matches(['>', ' ']);
        if let Some(open) = &fence {
            if trimmed.starts_with(open.as_str()) {
                fence = None;
            }
            continue;
        }
        if let Some((marker, _)) = fence_open(trimmed) {
            fence = Some(marker);
            continue;
        }
        if let Some((label, reference)) = parse_reference_definition(line) {
            refs.entry(label).or_insert(reference);
        }
    }
    refs
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// An opening code fence: its marker (three or more backticks or tildes) and info string.
fn fence_open(text: &str) -> Option<(String, String)> {
    let marker_char = text.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = text.chars().take_while(|c| *c == marker_char).count();
    if length < 3 {
        return None;
    }
    let info = text[length..].trim();
    if marker_char == '`' && info.contains('`') {
        return None;
    }
    Some((marker_char.to_string().repeat(length), info.to_string()))
}

fn atx_heading(text: &str) -> Option<(usize, &str)> {
    let level = text.chars().take_while(|c| *c == '#').count();
    let rest = &text[level..];
    if !(1..=6).contains(&level) || !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    let content = rest.trim();
    // A closing sequence of #s goes, when a space precedes it.
    let without_closing = content.trim_end_matches('#');
    let content = if without_closing.is_empty() || without_closing.ends_with(' ') {
        without_closing.trim_end()
    } else {
        content
    };
    Some((level, content))
}

fn is_thematic_break(text: &str) -> bool {
    let marks: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    marks.len() >= 3 && matches!(marks[0], '-' | '*' | '_') && marks.iter().all(|c| *c == marks[0])
}

fn setext_level(text: &str) -> Option<usize> {
    let text = text.trim_end();
    if !text.is_empty() && text.chars().all(|c| c == '=') {
        Some(1)
    } else if !text.is_empty() && text.chars().all(|c| c == '-') {
        Some(2)
    } else {
        None
    }
}

/// A list item's marker: bullet character or ordered delimiter, the number, and the width up to
/// the item's content.
#[derive(Clone, Copy)]
struct ListMarker {
    ordered: bool,
    /// `-`, `+`, `*`, or `.`/`)` for ordered lists.
    symbol: char,
    start: u64,
    content_offset: usize,
}

fn list_marker(line: &str) -> Option<(ListMarker, &str)> {
    let indent = indent_of(line);
    if indent > 3 {
        return None;
    }
    let text = &line[indent..];
    let (ordered, symbol, start, marker_len) = match text.chars().next()? {
        c @ ('-' | '+' | '*') => (false, c, 0, 1),
        c if c.is_ascii_digit() => {
            let digits = text.chars().take_while(char::is_ascii_digit).count();
            let symbol = text[digits..].chars().next().filter(|c| *c == '.' || *c == ')')?;
            if digits > 9 {
                return None;
            }
            (true, symbol, text[..digits].parse().ok()?, digits + 1)
        }
        _ => return None,
    };
    let after = &text[marker_len..];
    if !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    let spaces = indent_of(after);
    let spaces = if spaces == 0 || spaces > 4 || after.trim().is_empty() { 1 } else { spaces };
    let content = after.get(spaces..).unwrap_or("");
    Some((ListMarker { ordered, symbol, start, content_offset: indent + marker_len + spaces }, content))
}

fn table_cells(line: &str) -> Vec<String> {
    let trimmed = line.trim();
    let trimmed = trimmed.strip_prefix('|').unwrap_or(trimmed);
    let trimmed = if trimmed.ends_with('|') && !trimmed.ends_with("\\|") {
        &trimmed[..trimmed.len() - 1]
    } else {
        trimmed
    };
    let mut cells = vec![String::new()];
    let mut characters = trimmed.chars().peekable();
    while let Some(c) = characters.next() {
        match c {
            '\\' if characters.peek() == Some(&'|') => {
                cells.last_mut().unwrap().push('|');
                characters.next();
            }
            '|' => cells.push(String::new()),
            _ => cells.last_mut().unwrap().push(c),
        }
    }
    cells.iter().map(|c| c.trim().to_string()).collect()
}

/// The alignment of each column from a table's delimiter row, if `line` is one.
fn table_alignments(line: &str) -> Option<Vec<Option<&'static str>>> {
    if !line.contains('-') || !line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
        return None;
    }
    table_cells(line)
        .iter()
        .map(|cell| {
            let dashes = cell.trim_matches(':');
            if dashes.is_empty() || !dashes.chars().all(|c| c == '-') {
                return None;
            }
            Some(match (cell.starts_with(':'), cell.ends_with(':')) {
                (true, true) => Some("center"),
                (false, true) => Some("right"),
                (true, false) => Some("left"),
                (false, false) => None,
            })
        })
        .collect()
}

/// Elements that start an HTML block (CommonMark's kind 6) and may interrupt a paragraph.
const HTML_BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "iframe",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "script",
    "section",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "textarea",
];

fn starts_html_block(text: &str) -> bool {
    if text.starts_with("<!--") {
        return true;
    }
    let Some(rest) = text.strip_prefix('<') else { return false };
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name_end = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
    let name = rest[..name_end].to_ascii_lowercase();
    HTML_BLOCK_TAGS.contains(&name.as_str())
        && rest[name_end..].chars().next().is_none_or(|c| matches!(c, ' ' | '>' | '/'))
}

/// Whether `line` starts a block that ends a paragraph without a blank line.
fn interrupts_paragraph(line: &str) -> bool {
    if indent_of(line) > 3 {
        return false;
    }
    let text = line.trim_start();
    atx_heading(text).is_some()
        || fence_open(text).is_some()
        || text.starts_with('>')
        || is_thematic_break(text)
        || starts_html_block(text)
        || list_marker(line).is_some_and(|(marker, content)| {
            !content.trim().is_empty() && (!marker.ordered || marker.start == 1)
        })
}

struct Blocks<'r> {
    refs: &'r References,
}

impl Blocks<'_> {
    /// Renders a sequence of lines as blocks; `tight` leaves paragraphs unwrapped (a tight list item).
    fn render(&self, lines: &[String], tight: bool, depth: usize) -> String {
        let mut html = String::new();
        let mut index = 0;
        while index < lines.len() {
            let line = &lines[index];
            if is_blank(line) {
                index += 1;
                continue;
            }
            let indent = indent_of(line);
            let text = &line[indent..];
            if indent >= 4 {
                index = self.indented_code(lines, index, &mut html);
            } else if let Some((marker, info)) = fence_open(text) {
                index = self.fenced_code(lines, index, indent, &marker, &info, &mut html);
            } else if let Some((level, content)) = atx_heading(text) {
                html.push_str(&format!("<h{level}>{}</h{level}>", self.inline(content, depth)));
                index += 1;
            } else if is_thematic_break(text) {
                html.push_str("<hr>");
                index += 1;
            } else if text.starts_with('>') && depth < MAX_DEPTH {
                index = self.block_quote(lines, index, depth, &mut html);
            } else if list_marker(line).is_some() && depth < MAX_DEPTH {
                index = self.list(lines, index, depth, &mut html);
            } else if starts_html_block(text) {
                while index < lines.len() && !is_blank(&lines[index]) {
                    html.push_str(&lines[index]);
                    html.push('\n');
                    index += 1;
                }
            } else if parse_reference_definition(line).is_some() && !text.starts_with('>') {
                index += 1;
            } else if let Some(alignments) = lines.get(index + 1).and_then(|next| table_alignments(next))
                && text.contains('|')
                && table_cells(text).len() == alignments.len()
            {
                index = self.table(lines, index, &alignments, depth, &mut html);
            } else {
                index = self.paragraph(lines, index, tight, depth, &mut html);
            }
        }
        html
    }

    fn indented_code(&self, lines: &[String], mut index: usize, html: &mut String) -> usize {
        let mut code: Vec<&str> = Vec::new();
        while index < lines.len() && (is_blank(&lines[index]) || indent_of(&lines[index]) >= 4) {
            code.push(lines[index].get(4..).unwrap_or(""));
            index += 1;
        }
        while code.last().is_some_and(|l| l.trim().is_empty()) {
            code.pop();
        }
        html.push_str(&format!("<pre><code>{}\n</code></pre>", escape(&code.join("\n"))));
        index
    }

    fn fenced_code(
        &self,
        lines: &[String],
        index: usize,
        indent: usize,
        marker: &str,
        info: &str,
        html: &mut String,
    ) -> usize {
        let mut code: Vec<&str> = Vec::new();
        let mut next = index + 1;
        while next < lines.len() {
            let line = &lines[next];
            let closing = line.trim_start();
            next += 1;
            if indent_of(line) <= 3
                && closing.starts_with(marker)
                && closing.trim_end().chars().all(|c| marker.starts_with(c))
            {
                break;
            }
            let strip = indent_of(line).min(indent);
            code.push(&line[strip..]);
        }
        let language = info
            .split_whitespace()
            .next()
            .map(|l| format!(" class=\"language-{}\"", escape(l)))
            .unwrap_or_default();
        let body = if code.is_empty() { String::new() } else { format!("{}\n", code.join("\n")) };
        html.push_str(&format!("<pre><code{language}>{}</code></pre>", escape(&body)));
        next
    }

    fn block_quote(&self, lines: &[String], mut index: usize, depth: usize, html: &mut String) -> usize {
        let mut inner: Vec<String> = Vec::new();
        while index < lines.len() {
            let line = &lines[index];
            let text = line.trim_start();
            if indent_of(line) <= 3 && text.starts_with('>') {
                let stripped = &text[1..];
                inner.push(stripped.strip_prefix(' ').unwrap_or(stripped).to_string());
            } else if !is_blank(line)
                && inner.last().is_some_and(|l| !is_blank(l))
                && !interrupts_paragraph(line)
            {
                // A lazy continuation of the quoted paragraph.
                inner.push(line.clone());
            } else {
                break;
            }
            index += 1;
        }
        html.push_str(&format!("<blockquote>{}</blockquote>", self.render(&inner, false, depth + 1)));
        index
    }

    fn list(&self, lines: &[String], mut index: usize, depth: usize, html: &mut String) -> usize {
        let (first, _) = list_marker(&lines[index]).expect("a list starts at a list item");
        let mut items: Vec<Vec<String>> = Vec::new();
        let mut loose = false;
        while index < lines.len() {
            let Some((marker, content)) = list_marker(&lines[index]) else { break };
            if marker.ordered != first.ordered
                || marker.symbol != first.symbol
                || is_thematic_break(&lines[index])
            {
                break;
            }
            let mut item = vec![content.to_string()];
            index += 1;
            while index < lines.len() {
                let line = &lines[index];
                if is_blank(line) {
                    item.push(String::new());
                } else if indent_of(line) >= marker.content_offset {
                    item.push(line[marker.content_offset..].to_string());
                } else if item.last().is_some_and(|l| !is_blank(l))
                    && !interrupts_paragraph(line)
                    && list_marker(line).is_none()
                {
                    item.push(line.trim_start().to_string());
                } else {
                    break;
                }
                index += 1;
            }
            // Blank lines at an item's end separate it from the next: the list is loose if another follows.
            let mut trailing_blank = false;
            while item.last().is_some_and(|l| is_blank(l)) {
                item.pop();
                trailing_blank = true;
            }
            if trailing_blank
                && index < lines.len()
                && list_marker(&lines[index]).is_some_and(|(m, _)| m.symbol == first.symbol)
            {
                loose = true;
            }
            // A blank line between two of the item's own blocks makes the list loose too.
            let mut in_fence = false;
            for pair in item.windows(2) {
                if fence_open(pair[0].trim_start()).is_some() {
                    in_fence = !in_fence;
                }
                if !in_fence && is_blank(&pair[0]) && !is_blank(&pair[1]) && indent_of(&pair[1]) == 0 {
                    loose = true;
                }
            }
            items.push(item);
        }
        let (tag, start) = if first.ordered { ("ol", first.start) } else { ("ul", 1) };
        let start_attribute = if start != 1 { format!(" start=\"{start}\"") } else { String::new() };
        html.push_str(&format!("<{tag}{start_attribute}>"));
        for mut item in items {
            let checkbox = item.first().and_then(|first| task_marker(first));
            if let Some((checked, rest)) = &checkbox {
                item[0] = rest.clone();
                html.push_str(&format!(
                    "<li><input type=\"checkbox\"{}> ",
                    if *checked { " checked" } else { "" }
                ));
            } else {
                html.push_str("<li>");
            }
            html.push_str(&self.render(&item, !loose, depth + 1));
            html.push_str("</li>");
        }
        html.push_str(&format!("</{tag}>"));
        index
    }

    fn table(
        &self,
        lines: &[String],
        index: usize,
        alignments: &[Option<&str>],
        depth: usize,
        html: &mut String,
    ) -> usize {
        let cell = |tag: &str, align: Option<&str>, content: &str| {
            let align = align.map(|a| format!(" align=\"{a}\"")).unwrap_or_default();
            format!("<{tag}{align}>{}</{tag}>", self.inline(content, depth))
        };
        let header = table_cells(&lines[index]);
        html.push_str("<table><thead><tr>");
        for (content, align) in header.iter().zip(alignments) {
            html.push_str(&cell("th", *align, content));
        }
        html.push_str("</tr></thead>");
        let mut next = index + 2;
        let mut body = String::new();
        while next < lines.len() && !is_blank(&lines[next]) && !interrupts_paragraph(&lines[next]) {
            let cells = table_cells(&lines[next]);
            body.push_str("<tr>");
            for (column, align) in alignments.iter().enumerate() {
                body.push_str(&cell("td", *align, cells.get(column).map_or("", String::as_str)));
            }
            body.push_str("</tr>");
            next += 1;
        }
        if !body.is_empty() {
            html.push_str(&format!("<tbody>{body}</tbody>"));
        }
        html.push_str("</table>");
        next
    }

    fn paragraph(
        &self,
        lines: &[String],
        mut index: usize,
        tight: bool,
        depth: usize,
        html: &mut String,
    ) -> usize {
        let mut text: Vec<&str> = vec![lines[index].trim_start()];
        index += 1;
        while index < lines.len() {
            let line = &lines[index];
            if is_blank(line) {
                break;
            }
            if indent_of(line) <= 3
                && let Some(level) = setext_level(line.trim_start())
            {
                let content = text.join("\n");
                html.push_str(&format!("<h{level}>{}</h{level}>", self.inline(content.trim(), depth)));
                return index + 1;
            }
            if interrupts_paragraph(line) {
                break;
            }
            text.push(line.trim_start());
            index += 1;
        }
        let content = self.inline(text.join("\n").trim_end(), depth);
        if tight {
            html.push_str(&content);
        } else {
            html.push_str(&format!("<p>{content}</p>"));
        }
        index
    }

    fn inline(&self, text: &str, depth: usize) -> String {
        if text.len() > MAX_INLINE_CHARS {
            return escape(text);
        }
        let characters: Vec<char> = text.chars().collect();
        Inline::new(self.refs, &characters).render(0, characters.len(), depth, true)
    }
}

/// `[ ] ` or `[x] ` at the start of a list item (a GitHub task).
fn task_marker(first_line: &str) -> Option<(bool, String)> {
    let rest = first_line.strip_prefix('[')?;
    let (mark, after) = rest.split_at_checked(2)?;
    let checked = match mark {
        " ]" => false,
        "x]" | "X]" => true,
        _ => return None,
    };
    after.starts_with(' ').then(|| (checked, after[1..].to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::assert_only_allowlisted;
    use super::*;

    fn check(markdown: &str, expected: &str) {
        let html = markdown_to_html(markdown);
        assert_eq!(html, expected, "{markdown:?}");
        assert_only_allowlisted(&html);
    }

    #[test]
    fn blocks_as_grafana_renders_them() {
        check(
            "# Title\n\nSome **bold** and *em* text\nnext line\n\n- one\n- `two`\n\n1. first\n2. [link](https://grafana.com)",
            "<h1>Title</h1><p>Some <strong>bold</strong> and <em>em</em> text\nnext line</p>\
             <ul><li>one</li><li><code>two</code></li></ul>\
             <ol><li>first</li><li><a href=\"https://grafana.com\" rel=\"noopener noreferrer\">link</a></li></ol>",
        );
        check("```\n<b>x</b>\n```", "<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>");
        check(
            "~~~promql\nrate(x[5m])\n~~~",
            "<pre><code class=\"language-promql\">rate(x[5m])\n</code></pre>",
        );
        check("    indented\n    code", "<pre><code>indented\ncode\n</code></pre>");
        check("Title\n=====\nSub\n---", "<h1>Title</h1><h2>Sub</h2>");
        check("## Closed ##", "<h2>Closed</h2>");
        check("a\n\n***\n\nb", "<p>a</p><hr><p>b</p>");
        check(
            "> quoted\nlazy\n> > nested",
            "<blockquote><p>quoted\nlazy</p><blockquote><p>nested</p></blockquote></blockquote>",
        );
        check("line one  \nline two\\\nthree", "<p>line one<br>line two<br>three</p>");
    }

    #[test]
    fn nested_loose_ordered_and_task_lists() {
        check(
            "- a\n  - b\n    - c\n- d",
            "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li></ul>",
        );
        check("1. a\n\n2. b", "<ol><li><p>a</p></li><li><p>b</p></li></ol>");
        check("3) three\n4) four", "<ol start=\"3\"><li>three</li><li>four</li></ol>");
        check(
            "- [ ] todo\n- [x] done",
            "<ul><li><input type=\"checkbox\" disabled> todo</li><li><input type=\"checkbox\" checked=\"\" disabled> done</li></ul>",
        );
        check("* star\n+ plus", "<ul><li>star</li></ul><ul><li>plus</li></ul>");
        check("- item\n\n  more of it", "<ul><li><p>item</p><p>more of it</p></li></ul>");
        check("- a\n```\ncode\n```", "<ul><li>a</li></ul><pre><code>code\n</code></pre>");
        // Found by the sanitize fuzz target: an empty item followed by a blank line.
        check("- *\n\n- \n\nx", "<ul><li><ul><li></li></ul></li><li></li></ul><p>x</p>");
    }

    #[test]
    fn tables_with_alignment() {
        check(
            "| Metric | Value | Note |\n|:---|---:|:-:|\n| `up` | 1 | a \\| b |\n| short |",
            "<table><thead><tr><th align=\"left\">Metric</th><th align=\"right\">Value</th><th align=\"center\">Note</th></tr></thead>\
             <tbody><tr><td align=\"left\"><code>up</code></td><td align=\"right\">1</td><td align=\"center\">a | b</td></tr>\
             <tr><td align=\"left\">short</td><td align=\"right\"></td><td align=\"center\"></td></tr></tbody></table>",
        );
        check("a | b\n--|--", "<table><thead><tr><th>a</th><th>b</th></tr></thead></table>");
        check("not | a table\nplain", "<p>not | a table\nplain</p>");
    }

    #[test]
    fn inline_forms() {
        check("node_cpu_seconds_total and _em_", "<p>node_cpu_seconds_total and <em>em</em></p>");
        check(
            "***both*** ~~gone~~ **a *b* c**",
            "<p><em><strong>both</strong></em> <del>gone</del> <strong>a <em>b</em> c</strong></p>",
        );
        check("`` a ` b ``", "<p><code>a ` b</code></p>");
        check("\\*not em\\* 2 * 3 * 4", "<p>*not em* 2 * 3 * 4</p>");
        check(
            "[t](/d/x \"Title\") [r][Ref] [Ref]\n\n[ref]: https://r.org 'R'",
            "<p><a href=\"/d/x\" title=\"Title\" rel=\"noopener noreferrer\">t</a> \
             <a href=\"https://r.org\" title=\"R\" rel=\"noopener noreferrer\">r</a> \
             <a href=\"https://r.org\" title=\"R\" rel=\"noopener noreferrer\">Ref</a></p>",
        );
        check(
            "<https://x.org/a> <ops@x.org>",
            "<p><a href=\"https://x.org/a\" rel=\"noopener noreferrer\">https://x.org/a</a> \
             <a href=\"mailto:ops@x.org\" rel=\"noopener noreferrer\">ops@x.org</a></p>",
        );
        check(
            "see https://x.org/p?q=1. and www.x.org)",
            "<p>see <a href=\"https://x.org/p?q=1\" rel=\"noopener noreferrer\">https://x.org/p?q=1</a>. \
             and <a href=\"http://www.x.org\" rel=\"noopener noreferrer\">www.x.org</a>)</p>",
        );
        check("Tom &amp; Jerry & co &copy;", "<p>Tom &amp; Jerry &amp; co &copy;</p>");
        check(
            "a <b>raw</b> <span class=\"x\" onclick=\"y\">tag</span> 1 < 2",
            "<p>a <b>raw</b> <span class=\"x\">tag</span> 1 &lt; 2</p>",
        );
        check(
            "![Logo](/public/img/logo.svg \"The logo\")",
            "<p><img src=\"/public/img/logo.svg\" alt=\"Logo\" title=\"The logo\"></p>",
        );
    }

    #[test]
    fn html_blocks_go_through_the_sanitiser() {
        check(
            "<div align=\"center\">\n<b>x</b>\n</div>\n\ntext",
            "<div align=\"center\">\n<b>x</b>\n</div>\n<p>text</p>",
        );
        check("<script>\nalert(1)\n</script>", "\n");
    }

    #[test]
    fn markdown_cannot_inject() {
        for markdown in [
            "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
            "[x](JaVa&#115;cript:alert(1)) [y]( javascript:alert(1)) [z](<javascript:alert(1)>)",
            "![a](x\"onerror=\"alert(1)) [a](http://x.org\"onmouseover=\"alert(1))",
            "[x][r]\n\n[r]: javascript:alert(1)",
            "<javascript:alert(1)> <https://x.org/\"onmouseover=\"alert(1)>",
            "[![x](x)](javascript:alert(1))",
        ] {
            let html = markdown_to_html(markdown);
            assert_only_allowlisted(&html);
            assert!(!html.to_ascii_lowercase().contains("javascript:alert(1)\""), "{html}");
        }
    }

    #[test]
    fn deep_nesting_and_long_text_stay_cheap() {
        let deep = ">".repeat(5_000) + " x";
        assert_only_allowlisted(&markdown_to_html(&deep));
        let nested: String = (0..500).map(|i| format!("{}- x\n", "  ".repeat(i))).collect();
        assert_only_allowlisted(&markdown_to_html(&nested));
        let markers = "*_".repeat(15_000);
        assert_only_allowlisted(&markdown_to_html(&markers));
    }
}
