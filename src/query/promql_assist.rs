//! What the PromQL editor needs, apart from the page: what to complete at the cursor (a metric
//! name, a label name, a label value), a token stream for highlighting, and the mistakes that can
//! be found before the query is sent (unbalanced brackets, an unterminated string, a stray
//! operator at the end). Prometheus still has the last word: its parse errors are shown as they
//! come back. Pure.

/// What the word at the cursor is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completion {
    /// A metric (or function) name starting with `prefix`.
    Metric { prefix: String },
    /// A label name inside `metric{…}` (`metric` empty when the selector has no name).
    LabelName { metric: String, prefix: String },
    /// A value of `label` inside `metric{label="…`.
    LabelValue { metric: String, label: String, prefix: String },
    /// Nothing to complete (inside a duration, a number, after a quote closes…).
    Nothing,
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == ':'
}

/// What to complete at byte offset `cursor` of `text`.
pub fn completion_at(text: &str, cursor: usize) -> Completion {
    let before = &text[..char_boundary_at_or_before(text, cursor)];
    // Inside a selector's braces? Find the last unclosed `{`, outside strings.
    let mut open_brace: Option<usize> = None;
    let mut in_string: Option<char> = None;
    let mut string_start = 0;
    // Unclosed `(`, innermost last: a grouping list (`by (`, `on (`…) takes label names.
    let mut open_parens: Vec<usize> = Vec::new();
    for (i, c) in before.char_indices() {
        match (in_string, c) {
            (Some(q), c) if c == q && !before[..i].ends_with('\\') => in_string = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => {
                in_string = Some(c);
                string_start = i + 1;
            }
            (None, '{') => open_brace = Some(i),
            (None, '}') => open_brace = None,
            (None, '[') => open_brace = None,
            (None, '(') => open_parens.push(i),
            (None, ')') => {
                open_parens.pop();
            }
            _ => {}
        }
    }
    let in_grouping = open_parens.last().is_some_and(|&paren| {
        let head = before[..paren].trim_end();
        let keyword = &head[word_start(head)..];
        GROUPING_KEYWORDS.contains(&keyword.to_ascii_lowercase().as_str())
            && !before[paren + 1..].contains(['{', '[', '('])
    });
    let word_start = word_start(before);
    let prefix = before[word_start..].to_string();
    match (open_brace, in_string) {
        (Some(brace), Some(_)) => {
            // `label="pre|`: the label is the name before `=`, `!=`, `=~` or `!~`.
            let inside = &before[brace + 1..string_start - 1];
            let label_part = inside.rsplit(',').next().unwrap_or_default();
            let label = label_part.trim_end_matches(['=', '!', '~']).trim();
            Completion::LabelValue {
                metric: metric_before(text, brace),
                label: label.to_string(),
                prefix: before[string_start..].to_string(),
            }
        }
        (None, Some(_)) => Completion::Nothing,
        (Some(brace), None) => {
            let inside = &before[brace + 1..];
            let segment = inside.rsplit(',').next().unwrap_or_default().trim_start();
            if segment.contains(['=', '!', '~']) {
                Completion::Nothing
            } else {
                Completion::LabelName { metric: metric_before(text, brace), prefix }
            }
        }
        (None, None) if in_grouping => Completion::LabelName { metric: String::new(), prefix },
        (None, None) => {
            let in_range = before.rfind('[').is_some_and(|open| !before[open..].contains(']'));
            let after_number = prefix.starts_with(|c: char| c.is_ascii_digit());
            if in_range
                || after_number
                || prefix.is_empty() && !before.trim_end().is_empty() && !before.ends_with(['(', ' ', ','])
            {
                Completion::Nothing
            } else {
                Completion::Metric { prefix }
            }
        }
    }
}

/// Keywords whose parenthesised list names labels: `sum by (job)`, `x / on (instance) y`.
const GROUPING_KEYWORDS: &[&str] = &["by", "without", "on", "ignoring", "group_left", "group_right"];

/// The metric name right before the brace at `brace`, if any.
fn metric_before(text: &str, brace: usize) -> String {
    let head = &text[..brace];
    head[word_start(head)..].to_string()
}

/// Where the name that ends `text` starts (a byte offset).
fn word_start(text: &str) -> usize {
    text.char_indices().rev().find(|(_, c)| !is_name_char(*c)).map_or(0, |(i, c)| i + c.len_utf8())
}

/// `offset`, or the nearest character boundary before it (and at most the text's length).
fn char_boundary_at_or_before(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A browser's text offset (UTF-16 code units, as `selectionStart` counts) as a byte offset.
pub fn byte_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (index, c) in text.char_indices() {
        if units >= utf16 {
            return index;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// A byte offset as the browser counts text (UTF-16 code units).
pub fn utf16_offset(text: &str, byte: usize) -> usize {
    text[..char_boundary_at_or_before(text, byte)].encode_utf16().count()
}

/// The text with the word at `cursor` replaced by `choice` (for a label value, the string's content
/// up to the cursor); returns the new text and cursor.
pub fn complete(text: &str, cursor: usize, completion: &Completion, choice: &str) -> (String, usize) {
    let cursor = char_boundary_at_or_before(text, cursor);
    let prefix_len = match completion {
        Completion::Metric { prefix }
        | Completion::LabelName { prefix, .. }
        | Completion::LabelValue { prefix, .. } => prefix.len(),
        Completion::Nothing => 0,
    };
    let start = char_boundary_at_or_before(text, cursor - prefix_len.min(cursor));
    let mut next = String::with_capacity(text.len() + choice.len());
    next.push_str(&text[..start]);
    next.push_str(choice);
    next.push_str(&text[cursor..]);
    (next, start + choice.len())
}

/// A highlighted piece of a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Name,
    Keyword,
    Function,
    String,
    Number,
    Duration,
    Operator,
    Bracket,
    Space,
    Comment,
    Variable,
}

/// PromQL's keywords: grouping, vector matching, `offset`, `bool` and the set operators.
pub const KEYWORDS: &[&str] = &[
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "offset",
    "bool",
    "and",
    "or",
    "unless",
    "atan2",
];
const FUNCTIONS: &[&str] = &[
    "abs",
    "absent",
    "absent_over_time",
    "avg",
    "avg_over_time",
    "bottomk",
    "ceil",
    "changes",
    "clamp",
    "clamp_max",
    "clamp_min",
    "count",
    "count_over_time",
    "count_values",
    "day_of_month",
    "day_of_week",
    "day_of_year",
    "days_in_month",
    "delta",
    "deriv",
    "exp",
    "floor",
    "group",
    "histogram_quantile",
    "holt_winters",
    "hour",
    "idelta",
    "increase",
    "irate",
    "label_join",
    "label_replace",
    "last_over_time",
    "ln",
    "log10",
    "log2",
    "max",
    "max_over_time",
    "min",
    "min_over_time",
    "minute",
    "month",
    "predict_linear",
    "present_over_time",
    "quantile",
    "quantile_over_time",
    "rate",
    "resets",
    "round",
    "scalar",
    "sgn",
    "sort",
    "sort_desc",
    "sqrt",
    "stddev",
    "stddev_over_time",
    "stdvar",
    "stdvar_over_time",
    "sum",
    "sum_over_time",
    "time",
    "timestamp",
    "topk",
    "vector",
    "year",
];

/// The query as (token kind, text) pieces that together are the whole text.
pub fn tokens(text: &str) -> Vec<(Token, &str)> {
    let mut out = Vec::new();
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    let end_of = |j: usize| bytes.get(j).map_or(text.len(), |(offset, _)| *offset);
    while i < bytes.len() {
        let (start, c) = bytes[i];
        let mut j = i + 1;
        let kind = if c.is_whitespace() {
            while j < bytes.len() && bytes[j].1.is_whitespace() {
                j += 1;
            }
            Token::Space
        } else if c == '#' {
            while j < bytes.len() && bytes[j].1 != '\n' {
                j += 1;
            }
            Token::Comment
        } else if matches!(c, '"' | '\'' | '`') {
            while j < bytes.len() && !(bytes[j].1 == c && bytes[j - 1].1 != '\\') {
                j += 1;
            }
            j = (j + 1).min(bytes.len());
            Token::String
        } else if c == '$' {
            while j < bytes.len() && (is_name_char(bytes[j].1) || matches!(bytes[j].1, '{' | '}')) {
                j += 1;
            }
            Token::Variable
        } else if c.is_ascii_digit() || (c == '.' && bytes.get(j).is_some_and(|(_, d)| d.is_ascii_digit())) {
            while j < bytes.len() && (bytes[j].1.is_ascii_alphanumeric() || bytes[j].1 == '.') {
                j += 1;
            }
            let piece = &text[start..end_of(j)];
            if piece.ends_with(|c: char| c.is_ascii_alphabetic()) && !piece.contains('e') {
                Token::Duration
            } else {
                Token::Number
            }
        } else if is_name_char(c) {
            while j < bytes.len() && is_name_char(bytes[j].1) {
                j += 1;
            }
            let word = &text[start..end_of(j)];
            if KEYWORDS.contains(&word.to_lowercase().as_str()) {
                Token::Keyword
            } else if FUNCTIONS.contains(&word) && {
                // A call, or an aggregation with its grouping first (`sum by (job) (…)`).
                let rest = text[end_of(j)..].trim_start();
                rest.starts_with('(') || rest.starts_with("by") || rest.starts_with("without")
            } {
                Token::Function
            } else {
                Token::Name
            }
        } else if matches!(c, '(' | ')' | '{' | '}' | '[' | ']') {
            Token::Bracket
        } else {
            Token::Operator
        };
        out.push((kind, &text[start..end_of(j)]));
        i = j;
    }
    out
}

/// The first mistake that can be seen without Prometheus: (byte offset, message).
pub fn syntax_problem(text: &str) -> Option<(usize, String)> {
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut last_significant: Option<(Token, &str, usize)> = None;
    let mut offset = 0;
    for (kind, piece) in tokens(text) {
        match kind {
            Token::String => {
                let quote = piece.chars().next().unwrap_or('"');
                if piece.len() < 2 || !piece.ends_with(quote) || piece.ends_with(&format!("\\{quote}")) {
                    return Some((offset, "this string is not closed".into()));
                }
            }
            Token::Bracket => {
                let c = piece.chars().next().unwrap_or(' ');
                match c {
                    '(' | '{' | '[' => stack.push((c, offset)),
                    _ => {
                        let expected = match c {
                            ')' => '(',
                            '}' => '{',
                            _ => '[',
                        };
                        match stack.pop() {
                            Some((open, _)) if open == expected => {}
                            Some((open, at)) => {
                                return Some((at, format!("{open} is closed by {c}")));
                            }
                            None => return Some((offset, format!("{c} closes nothing"))),
                        }
                    }
                }
            }
            _ => {}
        }
        if !matches!(kind, Token::Space | Token::Comment) {
            last_significant = Some((kind, piece, offset));
        }
        offset += piece.len();
    }
    if let Some((open, at)) = stack.pop() {
        return Some((at, format!("{open} is never closed")));
    }
    match last_significant {
        Some((Token::Operator, piece, at)) if piece != "," => {
            Some((at, format!("the query ends with {piece:?}")))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_metrics_labels_and_values() {
        assert_eq!(completion_at("rate(node_cp", 12), Completion::Metric { prefix: "node_cp".into() });
        assert_eq!(
            completion_at("node_cpu_seconds_total{mo", 25),
            Completion::LabelName { metric: "node_cpu_seconds_total".into(), prefix: "mo".into() }
        );
        assert_eq!(
            completion_at("up{job=\"api\", instance=~\"loc", 29),
            Completion::LabelValue { metric: "up".into(), label: "instance".into(), prefix: "loc".into() }
        );
        assert_eq!(completion_at("rate(up[5", 9), Completion::Nothing, "inside a range");
        assert_eq!(completion_at("up{job=\"a\"}", 11), Completion::Nothing);
        // Label names, never metric names, right after `{`, after `,` in a selector, and in
        // grouping lists.
        let label = |metric: &str, prefix: &str| Completion::LabelName {
            metric: metric.into(),
            prefix: prefix.into(),
        };
        assert_eq!(completion_at("up{", 3), label("up", ""));
        assert_eq!(completion_at("up{job=\"a\",", 11), label("up", ""));
        assert_eq!(completion_at("up{job=\"a\", ins", 15), label("up", "ins"));
        assert_eq!(completion_at("sum by (", 8), label("", ""));
        assert_eq!(completion_at("sum by (jo", 10), label("", "jo"));
        assert_eq!(completion_at("sum by (job, ", 13), label("", ""));
        assert_eq!(completion_at("sum without(inst", 16), label("", "inst"));
        assert_eq!(completion_at("a / on (instance) group_left (ver", 33), label("", "ver"));
        assert_eq!(completion_at("sum by (job) (rat", 17), Completion::Metric { prefix: "rat".into() });
        assert_eq!(completion_at("sum(rat", 7), Completion::Metric { prefix: "rat".into() });
        let (text, cursor) = complete(
            "rate(node_cp[5m])",
            12,
            &Completion::Metric { prefix: "node_cp".into() },
            "node_cpu_seconds_total",
        );
        assert_eq!((text.as_str(), cursor), ("rate(node_cpu_seconds_total[5m])", 27));
        // Non-ASCII text: offsets inside a character do not panic; browser offsets convert.
        assert_eq!(completion_at("::\u{feff}", 3), Completion::Metric { prefix: "::".into() });
        assert_eq!(
            completion_at("é{mo", 5),
            Completion::LabelName { metric: String::new(), prefix: "mo".into() }
        );
        assert_eq!(byte_offset("é{mo", 2), 3);
        assert_eq!(utf16_offset("é{mo", 3), 2);
        assert_eq!(byte_offset("😀x", 2), 4, "an astral character is two UTF-16 units");
    }

    #[test]
    fn tokens_cover_the_text_and_name_their_kinds() {
        let query = "sum by (code) (rate(http_requests_total{job=\"api\"}[$__rate_interval])) > 0.5";
        let pieces = tokens(query);
        assert_eq!(pieces.iter().map(|(_, t)| *t).collect::<String>(), query);
        let kind_of = |text: &str| pieces.iter().find(|(_, t)| *t == text).map(|(k, _)| *k);
        assert_eq!(kind_of("sum"), Some(Token::Function));
        assert_eq!(kind_of("by"), Some(Token::Keyword));
        assert_eq!(kind_of("rate"), Some(Token::Function));
        assert_eq!(kind_of("http_requests_total"), Some(Token::Name));
        assert_eq!(kind_of("\"api\""), Some(Token::String));
        assert_eq!(kind_of("$__rate_interval"), Some(Token::Variable));
        assert_eq!(kind_of("0.5"), Some(Token::Number));
        assert_eq!(tokens("rate(x[5m])")[4], (Token::Duration, "5m"));
    }

    #[test]
    fn finds_mistakes_before_the_query_is_sent() {
        assert_eq!(syntax_problem("sum(rate(x[5m]))"), None);
        assert_eq!(syntax_problem("up{job=\"a\"} + on(job) group_left up"), None);
        assert_eq!(syntax_problem("sum(rate(x[5m])"), Some((3, "( is never closed".into())));
        assert_eq!(syntax_problem("up{job=\"a}"), Some((7, "this string is not closed".into())));
        assert_eq!(syntax_problem("sum(x]"), Some((3, "( is closed by ]".into())));
        assert_eq!(syntax_problem("x)"), Some((1, ") closes nothing".into())));
        assert_eq!(syntax_problem("up +"), Some((3, "the query ends with \"+\"".into())));
    }
}
