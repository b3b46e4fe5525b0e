//! Markdown's inline forms for [`super::markdown`]: code spans, emphasis and strikethrough, links
//! and images (inline and reference), autolinks and bare URLs, raw inline HTML (passed on for the
//! sanitiser), backslash escapes, entities and hard breaks. Unmatched markers are found once, not
//! once per opener, so a run of them costs a scan, not a scan each.

use std::cell::RefCell;
use std::collections::HashMap;

use super::sanitize::{decode_entities, escape};

/// Containers and inline forms nest at most this deep; deeper is text.
pub(super) const MAX_DEPTH: usize = 24;
/// A raw HTML tag longer than this is text.
const MAX_TAG_CHARS: usize = 2_000;

/// A link reference definition: `[label]: destination "title"`.
pub(super) struct Reference {
    pub(super) destination: String,
    pub(super) title: Option<String>,
}

pub(super) type References = HashMap<String, Reference>;

pub(super) fn normalise_label(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The inline content of one block, as characters.
pub(super) struct Inline<'a> {
    refs: &'a References,
    characters: &'a [char],
    /// The `]` that closes each `[`, matched once for the whole text.
    bracket_close: HashMap<usize, usize>,
    /// Searches that found no closer, by (marker, run length, end of range): the earliest start
    /// that failed. A later start fails too, so unmatched markers cost one scan, not one each.
    failed_closers: RefCell<HashMap<(char, usize, usize), usize>>,
}

/// Characters a backslash escapes.
fn is_escapable(c: char) -> bool {
    c.is_ascii_punctuation()
}

impl<'a> Inline<'a> {
    pub(super) fn new(refs: &'a References, characters: &'a [char]) -> Self {
        let mut bracket_close = HashMap::new();
        let mut open: Vec<usize> = Vec::new();
        let mut index = 0;
        while index < characters.len() {
            match characters[index] {
                '\\' => index += 1,
                '[' => open.push(index),
                ']' => {
                    if let Some(start) = open.pop() {
                        bracket_close.insert(start, index);
                    }
                }
                _ => {}
            }
            index += 1;
        }
        Inline { refs, characters, bracket_close, failed_closers: RefCell::new(HashMap::new()) }
    }

    fn known_to_fail(&self, key: (char, usize, usize), from: usize) -> bool {
        self.failed_closers.borrow().get(&key).is_some_and(|failed_from| *failed_from <= from)
    }

    fn record_failure(&self, key: (char, usize, usize), from: usize) {
        let mut failed = self.failed_closers.borrow_mut();
        let entry = failed.entry(key).or_insert(from);
        *entry = (*entry).min(from);
    }

    fn text(&self, from: usize, to: usize) -> String {
        self.characters[from..to].iter().collect()
    }

    fn starts_with(&self, at: usize, needle: &str) -> bool {
        (at..).zip(needle.chars()).all(|(index, c)| self.characters.get(index) == Some(&c))
    }

    fn run_length(&self, at: usize, c: char) -> usize {
        self.characters[at..].iter().take_while(|x| **x == c).count()
    }

    /// The inline content of `[from, to)`; `links` is false inside a link's text (no links in links).
    pub(super) fn render(&self, from: usize, to: usize, depth: usize, links: bool) -> String {
        if depth > MAX_DEPTH {
            return escape(&self.text(from, to));
        }
        let chars = self.characters;
        let mut html = String::new();
        let mut index = from;
        while index < to {
            let c = chars[index];
            match c {
                '\\' if index + 1 < to && chars[index + 1] == '\n' => {
                    html.push_str("<br>");
                    index += 2;
                    continue;
                }
                '\\' if index + 1 < to && is_escapable(chars[index + 1]) => {
                    html.push_str(&escape(&chars[index + 1].to_string()));
                    index += 2;
                    continue;
                }
                '`' => {
                    let run = self.run_length(index, '`').min(to - index);
                    if let Some(end) = self.closing_backticks(index + run, to, run) {
                        let code = self.text(index + run, end).replace('\n', " ");
                        let code = if code.len() > 2
                            && code.starts_with(' ')
                            && code.ends_with(' ')
                            && !code.trim().is_empty()
                        {
                            code[1..code.len() - 1].to_string()
                        } else {
                            code
                        };
                        html.push_str(&format!("<code>{}</code>", escape(&code)));
                        index = end + run;
                    } else {
                        html.push_str(&"`".repeat(run));
                        index += run;
                    }
                    continue;
                }
                '<' => {
                    if let Some((written, end)) = self.angle(index, to) {
                        html.push_str(&written);
                        index = end;
                    } else {
                        html.push_str("&lt;");
                        index += 1;
                    }
                    continue;
                }
                '!' if index + 1 < to && chars[index + 1] == '[' => {
                    if let Some((label_end, destination, title, end)) = self.link_at(index + 1, to) {
                        let alt = self.plain_text(index + 2, label_end);
                        let title = title.map(|t| format!(" title=\"{}\"", escape(&t))).unwrap_or_default();
                        html.push_str(&format!(
                            "<img src=\"{}\" alt=\"{}\"{title}>",
                            escape(&destination),
                            escape(&alt)
                        ));
                        index = end;
                        continue;
                    }
                }
                '[' if links => {
                    if let Some((label_end, destination, title, end)) = self.link_at(index, to) {
                        let title = title.map(|t| format!(" title=\"{}\"", escape(&t))).unwrap_or_default();
                        let label = self.render(index + 1, label_end, depth + 1, false);
                        html.push_str(&format!("<a href=\"{}\"{title}>{label}</a>", escape(&destination)));
                        index = end;
                        continue;
                    }
                }
                '*' | '_' | '~' => {
                    if let Some((written, end)) = self.emphasis(index, to, depth, links) {
                        html.push_str(&written);
                        index = end;
                        continue;
                    }
                    let run = self.run_length(index, c).min(to - index);
                    html.push_str(&c.to_string().repeat(run));
                    index += run;
                    continue;
                }
                '&' => {
                    html.push_str(&self.entity(index, to));
                    index += 1;
                    continue;
                }
                '\n' => {
                    // Two spaces before a line break make a hard break.
                    if html.ends_with("  ") {
                        let kept = html.trim_end_matches(' ').len();
                        html.truncate(kept);
                        html.push_str("<br>");
                    } else {
                        let kept = html.trim_end_matches(' ').len();
                        html.truncate(kept);
                        html.push('\n');
                    }
                    index += 1;
                    while index < to && chars[index] == ' ' {
                        index += 1;
                    }
                    continue;
                }
                'h' | 'w' if links => {
                    if let Some((url, end)) = self.bare_url(index, to) {
                        let href =
                            if url.starts_with("www.") { format!("http://{url}") } else { url.clone() };
                        html.push_str(&format!("<a href=\"{}\">{}</a>", escape(&href), escape(&url)));
                        index = end;
                        continue;
                    }
                }
                _ => {}
            }
            html.push_str(&escape(&c.to_string()));
            index += 1;
        }
        html
    }

    fn closing_backticks(&self, from: usize, to: usize, run: usize) -> Option<usize> {
        let key = ('`', run, to);
        if self.known_to_fail(key, from) {
            return None;
        }
        let mut index = from;
        while index < to {
            if self.characters[index] == '`' {
                let length = self.run_length(index, '`');
                if length == run && index + length <= to {
                    return Some(index);
                }
                index += length;
            } else {
                index += 1;
            }
        }
        self.record_failure(key, from);
        None
    }

    /// An `&` that starts a character reference is kept; any other is escaped.
    fn entity(&self, at: usize, to: usize) -> String {
        let end = (at + 1..to.min(at + 33))
            .find(|i| !(self.characters[*i].is_ascii_alphanumeric() || self.characters[*i] == '#'));
        match end {
            Some(end) if end > at + 1 && self.characters[end] == ';' => "&".to_string(),
            _ => "&amp;".to_string(),
        }
    }

    /// After `<`: an autolink, a raw tag or a comment, passed on for the sanitiser.
    fn angle(&self, at: usize, to: usize) -> Option<(String, usize)> {
        let chars = self.characters;
        let close = (at + 1..to).find(|i| chars[*i] == '>' || chars[*i] == '<' || chars[*i] == '\n');
        if let Some(close) = close.filter(|c| chars[*c] == '>') {
            let inner = self.text(at + 1, close);
            let scheme = inner.split_once(':').map(|(s, _)| s);
            let is_uri = scheme.is_some_and(|s| {
                s.len() >= 2 && s.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
            }) && !inner.contains(' ');
            if is_uri {
                return Some((format!("<a href=\"{}\">{}</a>", escape(&inner), escape(&inner)), close + 1));
            }
            let is_email = !inner.contains([' ', ':', '/'])
                && inner.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.'));
            if is_email {
                return Some((
                    format!("<a href=\"mailto:{}\">{}</a>", escape(&inner), escape(&inner)),
                    close + 1,
                ));
            }
        }
        // Raw HTML: a tag name after `<` or `</`, or a comment; up to its `>` outside quotes.
        let after = chars.get(at + 1).copied()?;
        let is_tag = after.is_ascii_alphabetic()
            || (after == '/' && chars.get(at + 2).is_some_and(char::is_ascii_alphabetic));
        let is_comment = self.starts_with(at, "<!--");
        if !is_tag && !is_comment {
            return None;
        }
        let mut quote: Option<char> = None;
        let end = to.min(at + MAX_TAG_CHARS);
        for (index, &c) in chars.iter().enumerate().take(end).skip(at + 1) {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == '"' || c == '\'' => quote = Some(c),
                None if c == '>' && (!is_comment || chars[index - 2..index] == ['-', '-']) => {
                    return Some((self.text(at, index + 1), index + 1));
                }
                None => {}
            }
        }
        None
    }

    /// A link or image at `[`: the label's end, destination, title and the index after it.
    fn link_at(&self, open: usize, to: usize) -> Option<(usize, String, Option<String>, usize)> {
        let chars = self.characters;
        let label_end = *self.bracket_close.get(&open).filter(|close| **close < to)?;
        let label = self.text(open + 1, label_end);
        if chars.get(label_end + 1) == Some(&'(')
            && label_end + 1 < to
            && let Some((destination, title, end)) = self.inline_destination(label_end + 2, to)
        {
            return Some((label_end, destination, title, end));
        }
        // Reference forms: [text][label], [label][], [label].
        let (reference_label, end) = if chars.get(label_end + 1) == Some(&'[') && label_end + 1 < to {
            let close = (label_end + 2..to).find(|i| chars[*i] == ']')?;
            let inner = self.text(label_end + 2, close);
            (if inner.trim().is_empty() { label.clone() } else { inner }, close + 1)
        } else {
            (label.clone(), label_end + 1)
        };
        let reference = self.refs.get(&normalise_label(&reference_label))?;
        Some((label_end, unescape(&reference.destination), reference.title.clone(), end))
    }

    /// `(destination "title")` from after the `(`.
    fn inline_destination(&self, from: usize, to: usize) -> Option<(String, Option<String>, usize)> {
        let chars = self.characters;
        let skip_spaces = |mut i: usize| {
            while i < to && chars[i].is_whitespace() {
                i += 1;
            }
            i
        };
        let mut index = skip_spaces(from);
        let destination;
        if chars.get(index) == Some(&'<') && index < to {
            let close = (index + 1..to).find(|i| chars[*i] == '>' || chars[*i] == '\n')?;
            if chars[close] != '>' {
                return None;
            }
            destination = self.text(index + 1, close);
            index = close + 1;
        } else {
            let start = index;
            let mut parens = 0;
            while index < to {
                match chars[index] {
                    '\\' => index += 1,
                    '(' => parens += 1,
                    ')' if parens == 0 => break,
                    ')' => parens -= 1,
                    c if c.is_whitespace() || c.is_control() => break,
                    _ => {}
                }
                index += 1;
            }
            destination = self.text(start, index.min(to));
        }
        index = skip_spaces(index);
        let mut title = None;
        if let Some(&open) = chars.get(index).filter(|c| matches!(c, '"' | '\'' | '(')) {
            let close_char = if open == '(' { ')' } else { open };
            let close = (index + 1..to).find(|i| chars[*i] == close_char && chars[*i - 1] != '\\')?;
            title = Some(unescape(&self.text(index + 1, close)));
            index = skip_spaces(close + 1);
        }
        if chars.get(index) != Some(&')') || index >= to {
            return None;
        }
        Some((unescape(&destination), title, index + 1))
    }

    /// Text without markup, for an image's alt text.
    fn plain_text(&self, from: usize, to: usize) -> String {
        self.text(from, to).chars().filter(|c| !matches!(c, '*' | '_' | '`' | '[' | ']')).collect()
    }

    /// `**strong**`, `__strong__`, `*em*`, `_em_`, `***both***`, `~~del~~` at `at`, with a closing run
    /// of the same length; `_` does not open or close inside a word (snake_case metric names).
    fn emphasis(&self, at: usize, to: usize, depth: usize, links: bool) -> Option<(String, usize)> {
        let chars = self.characters;
        let marker = chars[at];
        let run = self.run_length(at, marker).min(to - at);
        if run > 3 || (marker == '~' && run > 2) {
            return None;
        }
        let before = at.checked_sub(1).map(|i| chars[i]);
        let after = chars.get(at + run).copied().filter(|_| at + run < to)?;
        if after.is_whitespace() || (marker == '_' && before.is_some_and(char::is_alphanumeric)) {
            return None;
        }
        let key = (marker, run, to);
        if self.known_to_fail(key, at) {
            return None;
        }
        let mut index = at + run;
        while index < to {
            let c = chars[index];
            if c == '\\' {
                index += 2;
                continue;
            }
            if c == '`' {
                let length = self.run_length(index, '`');
                index = self
                    .closing_backticks(index + length, to, length)
                    .map_or(index + length, |end| end + length);
                continue;
            }
            if c != marker {
                index += 1;
                continue;
            }
            let length = self.run_length(index, marker).min(to - index);
            let preceded_by_space = chars[index - 1].is_whitespace();
            let followed_by_word =
                chars.get(index + length).is_some_and(|c| c.is_alphanumeric()) && index + length < to;
            if length == run && !preceded_by_space && !(marker == '_' && followed_by_word) {
                let inner = self.render(at + run, index, depth + 1, links);
                let written = match (marker, run) {
                    ('~', _) => format!("<del>{inner}</del>"),
                    (_, 1) => format!("<em>{inner}</em>"),
                    (_, 2) => format!("<strong>{inner}</strong>"),
                    _ => format!("<em><strong>{inner}</strong></em>"),
                };
                return Some((written, index + length));
            }
            index += length;
        }
        self.record_failure(key, at);
        None
    }

    /// A bare `http://`, `https://` or `www.` URL (GitHub's autolinks), without trailing punctuation.
    fn bare_url(&self, at: usize, to: usize) -> Option<(String, usize)> {
        let chars = self.characters;
        if at > 0 && (chars[at - 1].is_alphanumeric() || matches!(chars[at - 1], '/' | '"' | '\'' | '=')) {
            return None;
        }
        if !(self.starts_with(at, "http://")
            || self.starts_with(at, "https://")
            || self.starts_with(at, "www."))
        {
            return None;
        }
        let mut end = (at..to).find(|i| chars[*i].is_whitespace() || chars[*i] == '<').unwrap_or(to);
        loop {
            let last = chars[end - 1];
            let unbalanced_paren = last == ')'
                && chars[at..end].iter().filter(|c| **c == ')').count()
                    > chars[at..end].iter().filter(|c| **c == '(').count();
            if matches!(last, '?' | '!' | '.' | ',' | ':' | '*' | '_' | '~' | '\'' | '"') || unbalanced_paren
            {
                end -= 1;
            } else {
                break;
            }
        }
        let url = self.text(at, end);
        let host = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        (host.contains('.') || host.starts_with("localhost")).then_some((url, end))
    }
}

/// Backslash escapes and character references in a destination or title, resolved.
fn unescape(text: &str) -> String {
    let mut unescaped = String::with_capacity(text.len());
    let mut characters = text.chars().peekable();
    while let Some(c) = characters.next() {
        match characters.peek() {
            Some(next) if c == '\\' && is_escapable(*next) => unescaped.push(characters.next().unwrap()),
            _ => unescaped.push(c),
        }
    }
    decode_entities(&unescaped)
}
