//! The YAML that Grafana's provisioning files are written in, read into `serde_json::Value`: block
//! mappings and sequences (`- name: x`), plain, single- and double-quoted scalars, flow sequences and
//! mappings, nested (`[a, {b: 1}]`, `{"k: x": [1, 2]}`), comments and `---`. Pure, a few KB of wasm, where a
//! full YAML library would add some 45 KB gzipped (crates.md). What it does not read — anchors,
//! aliases, tags, multi-line block scalars — is an error naming the line, never a guess.
//!
//! Scalars follow YAML 1.1 as Grafana's Go loader does for the values it types: `true`/`false`/
//! `yes`/`no`/`on`/`off` are booleans, numbers are numbers, `~`/`null` is null; everything else
//! is a string.

use serde_json::{Map, Number, Value};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct YamlError {
    pub line: usize,
    pub message: String,
}

struct Line<'a> {
    number: usize,
    indent: usize,
    text: &'a str,
}

/// Parses one YAML document.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    let mut lines = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let without_comment = strip_comment(raw);
        let trimmed = without_comment.trim_end();
        if trimmed.trim().is_empty() || trimmed.trim() == "---" {
            continue;
        }
        if trimmed.trim() == "..." {
            break;
        }
        if trimmed.contains('\t') && trimmed.trim_start() != trimmed.trim_start_matches('\t') {
            return Err(YamlError { line: number, message: "tabs cannot indent YAML".into() });
        }
        let indent = trimmed.len() - trimmed.trim_start().len();
        lines.push(Line { number, indent, text: trimmed.trim_start() });
    }
    if lines.is_empty() {
        return Ok(Value::Null);
    }
    let mut position = 0;
    let value = block(&lines, &mut position, lines[0].indent)?;
    if let Some(line) = lines.get(position) {
        return Err(YamlError { line: line.number, message: "unexpected indentation".into() });
    }
    Ok(value)
}

/// Drops a `#` comment that is not inside quotes.
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    let mut escaped = false;
    for (index, c) in line.char_indices() {
        match (quote, c) {
            // A quote opens a scalar only where one starts (`it's` is plain text).
            (None, '\'' | '"') if matches!(previous, ' ' | '[' | '{' | ',' | ':' | '-') => quote = Some(c),
            (Some('"'), '\\') if !escaped => {
                escaped = true;
                previous = c;
                continue;
            }
            (Some(q), c) if c == q && !escaped => quote = None,
            (None, '#') if previous == ' ' || index == 0 => return &line[..index],
            _ => {}
        }
        escaped = false;
        previous = c;
    }
    line
}

/// A block at `indent`: a sequence when its first line starts with `- `, else a mapping.
fn block(lines: &[Line], position: &mut usize, indent: usize) -> Result<Value, YamlError> {
    let first = &lines[*position];
    if first.text == "-" || first.text.starts_with("- ") {
        sequence(lines, position, indent)
    } else {
        mapping(lines, position, indent, None)
    }
}

fn sequence(lines: &[Line], position: &mut usize, indent: usize) -> Result<Value, YamlError> {
    let mut items = Vec::new();
    while let Some(line) = lines.get(*position) {
        if line.indent < indent {
            break;
        }
        if line.indent > indent {
            return Err(YamlError { line: line.number, message: "unexpected indentation".into() });
        }
        let Some(rest) = line.text.strip_prefix('-') else { break };
        if !(rest.is_empty() || rest.starts_with(' ')) {
            break;
        }
        let rest = rest.trim_start();
        let item_indent = indent + (line.text.len() - rest.len());
        if rest.is_empty() {
            *position += 1;
            match lines.get(*position) {
                Some(next) if next.indent > indent => items.push(block(lines, position, next.indent)?),
                _ => items.push(Value::Null),
            }
        } else if rest.starts_with("- ") {
            return Err(YamlError {
                line: line.number,
                message: "nested sequences on one line are not supported".into(),
            });
        } else if let Some((key, value)) = split_key(rest, line.number)? {
            // `- key: value` starts a mapping whose other keys are indented to `key`.
            *position += 1;
            items.push(mapping(lines, position, item_indent, Some((key, value, line.number)))?);
        } else {
            items.push(scalar(rest, line.number)?);
            *position += 1;
        }
    }
    Ok(Value::Array(items))
}

/// Splits `key: value` (the value may be empty); `None` when the text is not a mapping entry.
/// The index of the quote that closes the quoted scalar opening `text`: a backslash escapes the
/// next character in double quotes, `''` is a quote in single quotes.
fn closing_quote(text: &str, quote: char) -> Option<usize> {
    let mut characters = text.char_indices().skip(1).peekable();
    while let Some((index, c)) = characters.next() {
        match c {
            '\\' if quote == '"' => {
                characters.next();
            }
            c if c == quote => {
                if quote == '\'' && characters.peek().is_some_and(|(_, next)| *next == '\'') {
                    characters.next();
                } else {
                    return Some(index);
                }
            }
            _ => {}
        }
    }
    None
}

fn split_key(text: &str, line: usize) -> Result<Option<(String, String)>, YamlError> {
    if text.starts_with('[') || text.starts_with('{') {
        return Ok(None);
    }
    let (key_text, rest) = if let Some(quote @ ('"' | '\'')) = text.chars().next() {
        let Some(end) = closing_quote(text, quote) else {
            return Err(YamlError { line, message: "unterminated quoted key".into() });
        };
        (&text[..=end], &text[end + 1..])
    } else {
        match text.find(": ").or_else(|| text.strip_suffix(':').map(|t| t.len())) {
            Some(index) => (&text[..index], &text[index..]),
            None => return Ok(None),
        }
    };
    let Some(value) = rest.strip_prefix(':') else { return Ok(None) };
    if !(value.is_empty() || value.starts_with(' ')) {
        return Ok(None);
    }
    let key = match scalar(key_text.trim(), line)? {
        Value::String(s) => s,
        other => other.to_string(),
    };
    Ok(Some((key, value.trim().to_string())))
}

fn mapping(
    lines: &[Line],
    position: &mut usize,
    indent: usize,
    first: Option<(String, String, usize)>,
) -> Result<Value, YamlError> {
    let mut map = Map::new();
    let mut pending = first;
    loop {
        let (key, value, number) = match pending.take() {
            Some(entry) => entry,
            None => {
                let Some(line) = lines.get(*position) else { break };
                if line.indent < indent {
                    break;
                }
                if line.indent > indent {
                    return Err(YamlError { line: line.number, message: "unexpected indentation".into() });
                }
                if line.text.starts_with("- ") || line.text == "-" {
                    break;
                }
                let Some((key, value)) = split_key(line.text, line.number)? else {
                    return Err(YamlError {
                        line: line.number,
                        message: format!("expected `key: value`, found {:?}", line.text),
                    });
                };
                *position += 1;
                (key, value, line.number)
            }
        };
        if map.contains_key(&key) {
            return Err(YamlError { line: number, message: format!("duplicate key {key:?}") });
        }
        let parsed = if value.is_empty() {
            match lines.get(*position) {
                // A nested block, or a sequence at the same indentation as its key (YAML allows it).
                Some(next)
                    if next.indent > indent
                        || (next.indent == indent && (next.text.starts_with("- ") || next.text == "-")) =>
                {
                    block(lines, position, next.indent)?
                }
                _ => Value::Null,
            }
        } else if value == "|" || value == ">" || value.starts_with("|") || value.starts_with('>') {
            return Err(YamlError {
                line: number,
                message: "block scalars (| and >) are not supported".into(),
            });
        } else {
            scalar(&value, number)?
        };
        map.insert(key, parsed);
    }
    Ok(Value::Object(map))
}

/// One scalar, or a flow collection of scalars.
fn scalar(text: &str, line: usize) -> Result<Value, YamlError> {
    let text = text.trim();
    let error = |message: &str| YamlError { line, message: message.to_string() };
    if text.starts_with('&') || text.starts_with('*') || text.starts_with('!') || text.starts_with("<<") {
        return Err(error("anchors, aliases, tags and merge keys are not supported"));
    }
    // A flow collection that is JSON (what `promboard datasources` writes) is read as JSON: its
    // quoted keys may hold `:` and escaped quotes.
    if (text.starts_with('[') || text.starts_with('{'))
        && let Ok(value) = serde_json::from_str::<Value>(text)
    {
        return Ok(value);
    }
    if let Some(inner) = text.strip_prefix('[') {
        let inner = inner.strip_suffix(']').ok_or_else(|| error("unterminated [ sequence"))?;
        return Ok(Value::Array(
            split_flow(inner)
                .iter()
                .filter(|item| !item.trim().is_empty())
                .map(|item| scalar(item, line))
                .collect::<Result<_, _>>()?,
        ));
    }
    if let Some(inner) = text.strip_prefix('{') {
        let inner = inner.strip_suffix('}').ok_or_else(|| error("unterminated { mapping"))?;
        let mut map = Map::new();
        for entry in split_flow(inner).iter().filter(|entry| !entry.trim().is_empty()) {
            let (key, value) =
                split_flow_entry(entry.trim()).ok_or_else(|| error("expected key: value in { }"))?;
            let key = match scalar(key, line)? {
                Value::String(s) => s,
                other => other.to_string(),
            };
            let value = if value.trim().is_empty() { Value::Null } else { scalar(value, line)? };
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if let Some(inner) = text.strip_prefix('"') {
        let inner = inner.strip_suffix('"').ok_or_else(|| error("unterminated double-quoted string"))?;
        return unescape_double(inner).map(Value::String).map_err(|message| error(&message));
    }
    if let Some(inner) = text.strip_prefix('\'') {
        let inner = inner.strip_suffix('\'').ok_or_else(|| error("unterminated single-quoted string"))?;
        return Ok(Value::String(inner.replace("''", "'")));
    }
    Ok(match text {
        "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Value::Bool(true),
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Value::Bool(false),
        _ => number(text).map_or_else(|| Value::String(text.to_string()), Value::Number),
    })
}

fn number(text: &str) -> Option<Number> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    if let Ok(integer) = text.parse::<i64>() {
        // A leading zero is YAML 1.1's octal; keep such text (file modes, say) as written.
        if digits.len() > 1 && digits.starts_with('0') {
            return None;
        }
        return Some(Number::from(integer));
    }
    text.parse::<f64>().ok().filter(|f| f.is_finite()).and_then(Number::from_f64)
}

/// Splits a flow collection's inside at its own commas: not inside quotes (a backslash escapes
/// in double quotes) and not inside a nested `[…]` or `{…}`.
fn split_flow(inner: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (index, c) in inner.char_indices() {
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '[' | '{' => depth += 1,
                ']' | '}' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => {
                    items.push(&inner[start..index]);
                    start = index + 1;
                }
                _ => {}
            },
        }
    }
    items.push(&inner[start..]);
    items
}

/// Splits one entry of a flow mapping into key and value text: after a quoted key (which may
/// hold `: `), or at the first `:` that ends a plain key (followed by a space or nothing; a `:`
/// inside a plain scalar, as in a URL, is part of it). An entry without a value is a key with a
/// null value, as YAML reads `{a, b}`.
fn split_flow_entry(entry: &str) -> Option<(&str, &str)> {
    if let Some(quote @ ('"' | '\'')) = entry.chars().next() {
        let end = closing_quote(entry, quote)?;
        let rest = entry[end + 1..].trim_start();
        return match rest.strip_prefix(':') {
            Some(value) => Some((&entry[..=end], value)),
            None if rest.is_empty() => Some((&entry[..=end], "")),
            None => None,
        };
    }
    let bytes = entry.as_bytes();
    let colon = (0..bytes.len())
        .find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|next| next.is_ascii_whitespace()));
    Some(match colon {
        Some(i) => (&entry[..i], &entry[i + 1..]),
        None => (entry, ""),
    })
}

fn unescape_double(inner: &str) -> Result<String, String> {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            // YAML 1.2's escapes besides JSON's.
            Some('a') => out.push('\u{7}'),
            Some('b') => out.push('\u{8}'),
            Some('e') => out.push('\u{1b}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some('N') => out.push('\u{85}'),
            Some('_') => out.push('\u{a0}'),
            Some('L') => out.push('\u{2028}'),
            Some('P') => out.push('\u{2029}'),
            Some('\t') => out.push('\t'),
            Some(c @ ('"' | '\\' | '/' | ' ')) => out.push(c),
            Some(kind @ ('x' | 'u' | 'U')) => {
                let digits = match kind {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = chars.by_ref().take(digits).collect();
                let code = u32::from_str_radix(&hex, 16).map_err(|_| format!("bad escape \\{kind}{hex}"))?;
                out.push(char::from_u32(code).ok_or_else(|| format!("bad escape \\{kind}{hex}"))?);
            }
            other => return Err(format!("unknown escape \\{}", other.map(String::from).unwrap_or_default())),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_flow_collections_keep_colons_in_quoted_keys() {
        // Found by the provisioning fuzz target: the split writes nested values as JSON.
        let value = parse("a:\n  - [{\"k:x\": \"v: w\"}]").expect("valid YAML");
        assert_eq!(value["a"][0][0]["k:x"], "v: w");
    }

    #[test]
    fn flow_mappings_split_at_their_own_colons_and_commas() {
        // Not JSON, so read by the flow reader: a quoted key may hold `: ` and `,`, a plain value
        // may hold a URL's `:`, nested collections keep their commas, `{a}` is a null value.
        let value =
            parse("a: {\"k: x, y\": 'v: w', url: http://h:9090/p, 'it''s': [1, {b: 2, c: \"d\\\", e\"}], n}")
                .expect("valid YAML");
        assert_eq!(
            value["a"],
            json!({"k: x, y": "v: w", "url": "http://h:9090/p", "it's": [1, {"b": 2, "c": "d\", e"}], "n": null})
        );
        assert!(parse("a: {'k' x}").is_err(), "text after a quoted key that is not `:` is an error");
    }

    #[test]
    fn comments_start_outside_quoted_scalars_only() {
        // Found by the provisioning fuzz target: an escaped quote ended the string early, and the
        // ` #` after it was taken for a comment.
        let value = parse("a: \"x\\\": #y\" # note\nb: it's # note\nc: '#''#' # note").expect("valid YAML");
        assert_eq!(value["a"], "x\": #y");
        assert_eq!(value["b"], "it's");
        assert_eq!(value["c"], "#'#");
    }

    #[test]
    fn quoted_keys_hold_escaped_quotes() {
        // Found by the provisioning fuzz target: the datasources split writes keys as JSON strings.
        let value = parse("\"a\\\"b\\u0001\": 1\n'c''d': 2").expect("valid YAML");
        assert_eq!(value["a\"b\u{1}"], 1);
        assert_eq!(value["c'd"], 2);
    }

    #[test]
    fn double_quoted_strings_take_every_yaml_escape() {
        let value = parse("a: \"\\b\\f\\a\\e\\v\\x41\\u00e9\\U0001F600\\N\\_\\t\\/\"").expect("valid YAML");
        assert_eq!(value["a"], "\u{8}\u{c}\u{7}\u{1b}\u{b}A\u{e9}\u{1F600}\u{85}\u{a0}\t/");
    }

    #[test]
    fn reads_grafana_datasource_provisioning() {
        let text = r#"
# Grafana provisioning
apiVersion: 1

datasources:
  - name: Prometheus
    type: prometheus
    uid: prom-main
    access: proxy
    url: /api/prom   # trailing comment
    isDefault: true
    jsonData:
      timeInterval: "30s"
      httpMethod: POST
      customQueryParameters: 'dedup=false&partial_response=true'
  - name: "Mimir tenant: a"
    type: prometheus
    url: /mimir/prometheus
    isDefault: no
    editable: false
    jsonData:
      httpHeaderName1: X-Scope-OrgID
    secureJsonData:
      httpHeaderValue1: tenant-a
    version: 2
deleteDatasources:
- name: Old
  orgId: 1
tags: [a, "b, c"]
"#;
        assert_eq!(
            parse(text).unwrap(),
            json!({
                "apiVersion": 1,
                "datasources": [
                    {"name": "Prometheus", "type": "prometheus", "uid": "prom-main", "access": "proxy",
                     "url": "/api/prom", "isDefault": true,
                     "jsonData": {"timeInterval": "30s", "httpMethod": "POST",
                                  "customQueryParameters": "dedup=false&partial_response=true"}},
                    {"name": "Mimir tenant: a", "type": "prometheus", "url": "/mimir/prometheus",
                     "isDefault": false, "editable": false,
                     "jsonData": {"httpHeaderName1": "X-Scope-OrgID"},
                     "secureJsonData": {"httpHeaderValue1": "tenant-a"}, "version": 2}
                ],
                "deleteDatasources": [{"name": "Old", "orgId": 1}],
                "tags": ["a", "b, c"]
            })
        );
    }

    #[test]
    fn scalars_follow_yaml_1_1_for_typed_values() {
        let value = parse(
            "a: 0755\nb: 1.5\nc: ~\nd: 'it''s'\ne: \"x\\ty # not a comment\"\nf: http://h:9090/x#frag\n",
        )
        .unwrap();
        assert_eq!(
            value,
            json!({"a": "0755", "b": 1.5, "c": null, "d": "it's", "e": "x\ty # not a comment", "f": "http://h:9090/x#frag"})
        );
    }

    #[test]
    fn what_it_cannot_read_is_an_error_with_its_line() {
        assert_eq!(
            parse("a: 1\nb: &anchor x\n").unwrap_err(),
            YamlError { line: 2, message: "anchors, aliases, tags and merge keys are not supported".into() }
        );
        assert_eq!(parse("a: |\n  text\n").unwrap_err().line, 1);
        assert_eq!(parse("a: 1\n   b: 2\n").unwrap_err().line, 2);
        assert_eq!(parse("a: 1\na: 2\n").unwrap_err().message, "duplicate key \"a\"");
        assert_eq!(parse("a: 1\njust text\n").unwrap_err().line, 2);
        assert_eq!(parse("").unwrap(), Value::Null);
    }
}
