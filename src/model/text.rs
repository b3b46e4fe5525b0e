//! Writing a document back into the text it was read from. Values that did not change keep their
//! bytes — indentation, line breaks, number spelling (`1.0`, `1e3`), string escapes — and the
//! values that changed are written in the file's own style (its indent unit, newline, separator
//! after `:`, final newline). So an unedited dashboard exports as its file, byte for byte, and an
//! edit changes only the lines it touches: what people who keep dashboards in git need.
//!
//! Pure text work on top of [`super::Dashboard`]'s values; it must not interpret the dashboard.

use serde_json::{Map, Value};

/// A value of the original text and where it is (byte offsets, end exclusive).
struct Node {
    start: usize,
    end: usize,
    kind: Kind,
}

enum Kind {
    /// Members in file order, with each key unescaped.
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
    Scalar,
}

/// How the file writes what we have to write anew.
struct Style {
    indent_unit: String,
    newline: &'static str,
    /// Everything on one line (a minified file).
    compact: bool,
    /// What follows a key: `": "` in Grafana's files, `":"` in minified ones.
    colon: String,
}

/// `document` written into `original`'s text: the original bytes wherever the value is unchanged.
/// When `original` is not JSON this module can read, a two-space layout is written instead.
pub fn write_like(original: &str, document: &Map<String, Value>) -> String {
    let (bom, body) = match original.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", original),
    };
    let mut parser = Parser { text: body.as_bytes(), at: 0 };
    let root = match parser.value() {
        Some(root) if matches!(root.kind, Kind::Object(_)) => root,
        _ => return serde_json::to_string_pretty(document).unwrap_or_default(),
    };
    let style = Style::of(body, &root);
    let writer = Writer { text: body, style: &style };
    let mut out = String::with_capacity(body.len() + 64);
    out.push_str(bom);
    out.push_str(&body[..root.start]);
    // The map itself, not a copy of it as a `Value`: for a document of megabytes the copy would
    // cost more than the writing.
    writer.object(&mut out, &root, document);
    out.push_str(&body[root.end..]);
    out
}

impl Style {
    fn of(text: &str, root: &Node) -> Style {
        let span = &text[root.start..root.end];
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let compact = !span.contains('\n');
        // The first indented line inside the root is one unit deep.
        let indent_unit = span
            .split('\n')
            .skip(1)
            .map(|line| line.chars().take_while(|c| *c == ' ' || *c == '\t').collect::<String>())
            .find(|indent| !indent.is_empty())
            .unwrap_or_else(|| "  ".to_string());
        let colon = first_separator(text, root)
            .unwrap_or_else(|| if compact { ":".to_string() } else { ": ".to_string() });
        Style { indent_unit, newline, compact, colon }
    }
}

/// The text between the first key in the document and its value (`": "`), when it is one line.
fn first_separator(text: &str, node: &Node) -> Option<String> {
    match &node.kind {
        Kind::Object(members) => {
            let (_, value) = members.first()?;
            // The key ends at the last ':' before its value (a key's own ':' comes earlier).
            let before_value = &text[node.start..value.start];
            let separator = &before_value[before_value.rfind(':')?..];
            (!separator.contains('\n')).then(|| separator.to_string())
        }
        Kind::Array(items) => items.iter().find_map(|item| first_separator(text, item)),
        Kind::Scalar => None,
    }
}

struct Writer<'a> {
    text: &'a str,
    style: &'a Style,
}

/// A member of a container written anew: its key (objects), the original value it starts from
/// (`None`: new), its value, and whether that original is already known to read as the value.
struct Entry<'a> {
    key: Option<&'a str>,
    node: Option<&'a Node>,
    value: &'a Value,
    unchanged: bool,
}

impl Writer<'_> {
    /// Writes `value` where `node` was (`None`: a new value). `indent` is the indentation of the
    /// line the value starts on.
    fn value(&self, out: &mut String, node: Option<&Node>, value: &Value, indent: &str) {
        let Some(node) = node else { return self.fresh(out, value, indent) };
        match (&node.kind, value) {
            (Kind::Scalar, _) => {
                let original = &self.text[node.start..node.end];
                if scalar_is(original, value) {
                    out.push_str(original);
                } else {
                    self.fresh(out, value, indent);
                }
            }
            (Kind::Object(_), Value::Object(map)) => self.object(out, node, map),
            (Kind::Array(items), Value::Array(values)) if items.len() == values.len() => {
                self.splice(out, node, items.iter().zip(values));
            }
            (Kind::Array(items), Value::Array(values)) => {
                let indent = self.line_indent(node.start);
                let inner = format!("{indent}{}", self.style.indent_unit);
                let matched = match_elements(self.text, items, values);
                let entries: Vec<Entry> = values
                    .iter()
                    .zip(matched)
                    .map(|(value, matched)| Entry {
                        key: None,
                        node: matched.map(|(i, _)| &items[i]),
                        value,
                        unchanged: matched.is_some_and(|(_, equal)| equal),
                    })
                    .collect();
                self.container(out, ('[', ']'), &entries, indent, &inner);
            }
            _ => self.fresh(out, value, self.line_indent(node.start)),
        }
    }

    /// Writes the object `map` where the object `node` was (a node of another kind: anew).
    fn object(&self, out: &mut String, node: &Node, map: &Map<String, Value>) {
        let Kind::Object(members) = &node.kind else {
            return self.fresh(out, &Value::Object(map.clone()), self.line_indent(node.start));
        };
        if members.len() == map.len() && members.iter().map(|(k, _)| k).eq(map.keys()) {
            // Same keys in the same order: the file's text with each member's value rewritten.
            let children = members.iter().map(|(key, child)| (child, &map[key.as_str()]));
            self.splice(out, node, children);
            return;
        }
        let indent = self.line_indent(node.start);
        let inner = format!("{indent}{}", self.style.indent_unit);
        let entries: Vec<Entry> = map
            .iter()
            .map(|(key, value)| {
                let original = members.iter().rev().find(|(k, _)| k == key).map(|(_, n)| n);
                Entry { key: Some(key.as_str()), node: original, value, unchanged: false }
            })
            .collect();
        self.container(out, ('{', '}'), &entries, indent, &inner);
    }

    /// The node's own text, with each child's span replaced by what its new value writes.
    fn splice<'v>(
        &self,
        out: &mut String,
        node: &Node,
        children: impl Iterator<Item = (&'v Node, &'v Value)>,
    ) {
        let mut at = node.start;
        for (child, value) in children {
            out.push_str(&self.text[at..child.start]);
            self.value(out, Some(child), value, self.line_indent(child.start));
            at = child.end;
        }
        out.push_str(&self.text[at..node.end]);
    }

    /// An object or array written anew around its members (kept members keep their text).
    fn container(
        &self,
        out: &mut String,
        (open, close): (char, char),
        entries: &[Entry],
        indent: &str,
        inner: &str,
    ) {
        out.push(open);
        if entries.is_empty() {
            out.push(close);
            return;
        }
        for (index, Entry { key, node, value, unchanged }) in entries.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            if !self.style.compact {
                out.push_str(self.style.newline);
                out.push_str(inner);
            }
            if let Some(key) = key {
                out.push_str(&serde_json::to_string(key).unwrap_or_default());
                out.push_str(&self.style.colon);
            }
            match node {
                // Already found equal: its text as it is, without walking it again.
                Some(node) if *unchanged => out.push_str(&self.text[node.start..node.end]),
                _ => self.value(out, *node, value, inner),
            }
        }
        if !self.style.compact {
            out.push_str(self.style.newline);
            out.push_str(indent);
        }
        out.push(close);
    }

    /// A value with no original text, in the file's style.
    fn fresh(&self, out: &mut String, value: &Value, indent: &str) {
        if self.style.compact {
            out.push_str(&serde_json::to_string(value).unwrap_or_default());
            return;
        }
        let mut bytes = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(self.style.indent_unit.as_bytes());
        let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, formatter);
        if serde::Serialize::serialize(value, &mut serializer).is_err() {
            return;
        }
        let pretty = String::from_utf8(bytes).unwrap_or_default();
        // JSON strings never hold a raw newline, so every '\n' is a line break of the layout.
        let separator = format!("{}{indent}", self.style.newline);
        out.push_str(&pretty.replace('\n', &separator));
    }

    /// The whitespace that starts the line holding byte `at` (none in a one-line file, where
    /// searching back for a line start would make every value cost the whole text).
    fn line_indent(&self, at: usize) -> &str {
        if self.style.compact {
            return "";
        }
        let line_start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line = &self.text[line_start..];
        &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
    }
}

/// Whether the scalar text `original` reads as `value`, JSON type included (`1` is not `1.0`).
fn scalar_is(original: &str, value: &Value) -> bool {
    match value {
        Value::Object(_) | Value::Array(_) => false,
        Value::Null => original == "null",
        Value::Bool(flag) => original == if *flag { "true" } else { "false" },
        // Most strings have no escapes: their text is the value between quotes, and most numbers
        // are integers written as such (every scalar of a large dashboard is compared on each
        // export, so this spares a parse of each). `-0` reads as a float: it takes the parse.
        Value::String(text) if !original.contains('\\') => {
            original.len() == text.len() + 2
                && original.starts_with('"')
                && original[1..original.len() - 1] == *text
        }
        Value::Number(number)
            if (number.is_i64() || number.is_u64())
                && !original.starts_with("-0")
                && original.bytes().all(|b| b.is_ascii_digit() || b == b'-') =>
        {
            match number.as_i64() {
                Some(integer) => original.parse::<i64>() == Ok(integer),
                None => original.parse::<u64>().ok() == number.as_u64(),
            }
        }
        _ => serde_json::from_str::<Value>(original).is_ok_and(|read| read == *value),
    }
}

/// Whether a node's text reads as `value` exactly (key order and JSON types included).
fn node_is(text: &str, node: &Node, value: &Value) -> bool {
    match (&node.kind, value) {
        (Kind::Scalar, _) => scalar_is(&text[node.start..node.end], value),
        (Kind::Object(members), Value::Object(map)) => {
            members.len() == map.len()
                && members.iter().zip(map).all(|((key, child), (k, v))| key == k && node_is(text, child, v))
        }
        (Kind::Array(items), Value::Array(values)) => {
            items.len() == values.len() && items.iter().zip(values).all(|(n, v)| node_is(text, n, v))
        }
        _ => false,
    }
}

/// The identity of a list element, as the editor matches them ([`super::LIST_IDENTITY_KEYS`]).
fn identity(value: &Value) -> Option<(&'static str, &Value)> {
    let object = value.as_object()?;
    super::LIST_IDENTITY_KEYS
        .into_iter()
        .find_map(|key| object.get(key).filter(|v| !v.is_null()).map(|v| (key, v)))
}

/// The same identity, read from the original text.
fn node_identity(text: &str, node: &Node) -> Option<(&'static str, Value)> {
    let Kind::Object(members) = &node.kind else { return None };
    super::LIST_IDENTITY_KEYS.into_iter().find_map(|key| {
        let (_, child) = members.iter().find(|(k, _)| k == key)?;
        let value: Value = serde_json::from_str(&text[child.start..child.end]).ok()?;
        (!value.is_null()).then_some((key, value))
    })
}

/// For each new element of a list whose length changed, the original element whose text it
/// starts from and whether it is equal: equal elements at the front and at the back, then
/// elements of the same identity (panel id, refId, name), else none (written anew).
fn match_elements(text: &str, items: &[Node], values: &[Value]) -> Vec<Option<(usize, bool)>> {
    let mut matched = vec![None; values.len()];
    let mut used = vec![false; items.len()];
    let mut front = 0;
    while front < items.len() && front < values.len() && node_is(text, &items[front], &values[front]) {
        matched[front] = Some((front, true));
        used[front] = true;
        front += 1;
    }
    let mut back = 0;
    while back < items.len() - front
        && back < values.len() - front
        && node_is(text, &items[items.len() - 1 - back], &values[values.len() - 1 - back])
    {
        matched[values.len() - 1 - back] = Some((items.len() - 1 - back, true));
        used[items.len() - 1 - back] = true;
        back += 1;
    }
    let identities: Vec<Option<(&str, Value)>> = items.iter().map(|n| node_identity(text, n)).collect();
    for (index, value) in values.iter().enumerate().take(values.len() - back).skip(front) {
        let Some((key, id)) = identity(value) else { continue };
        let found = (0..items.len())
            .find(|&i| !used[i] && identities[i].as_ref().is_some_and(|(k, v)| *k == key && v == id));
        if let Some(i) = found {
            used[i] = true;
            matched[index] = Some((i, false));
        }
    }
    matched
}

/// A small JSON reader that keeps where each value is. It trusts that serde_json already accepted
/// the text (the model is parsed first) and gives up (`None`) on anything unexpected.
struct Parser<'a> {
    text: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.at < self.text.len() && matches!(self.text[self.at], b' ' | b'\t' | b'\r' | b'\n') {
            self.at += 1;
        }
    }

    fn value(&mut self) -> Option<Node> {
        self.skip_space();
        let start = self.at;
        let kind = match *self.text.get(self.at)? {
            b'{' => {
                self.at += 1;
                let mut members = Vec::new();
                self.skip_space();
                if self.text.get(self.at) == Some(&b'}') {
                    self.at += 1;
                } else {
                    loop {
                        self.skip_space();
                        let key_start = self.at;
                        self.string()?;
                        let quoted = &self.text[key_start..self.at];
                        // Keys without escapes are their bytes between the quotes.
                        let key: String = match std::str::from_utf8(&quoted[1..quoted.len() - 1]) {
                            Ok(plain) if !plain.contains('\\') => plain.to_string(),
                            _ => serde_json::from_slice(quoted).ok()?,
                        };
                        self.skip_space();
                        (self.text.get(self.at) == Some(&b':')).then_some(())?;
                        self.at += 1;
                        members.push((key, self.value()?));
                        self.skip_space();
                        match self.text.get(self.at)? {
                            b',' => self.at += 1,
                            b'}' => {
                                self.at += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                Kind::Object(members)
            }
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                self.skip_space();
                if self.text.get(self.at) == Some(&b']') {
                    self.at += 1;
                } else {
                    loop {
                        items.push(self.value()?);
                        self.skip_space();
                        match self.text.get(self.at)? {
                            b',' => self.at += 1,
                            b']' => {
                                self.at += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                Kind::Array(items)
            }
            b'"' => {
                self.string()?;
                Kind::Scalar
            }
            _ => {
                while self.at < self.text.len()
                    && !matches!(self.text[self.at], b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n')
                {
                    self.at += 1;
                }
                (self.at > start).then_some(())?;
                Kind::Scalar
            }
        };
        Some(Node { start, end: self.at, kind })
    }

    /// Steps over a string, escapes included.
    fn string(&mut self) -> Option<()> {
        (self.text.get(self.at) == Some(&b'"')).then_some(())?;
        self.at += 1;
        loop {
            match *self.text.get(self.at)? {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                _ => self.at += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(text: &str) -> Map<String, Value> {
        serde_json::from_str(text).expect("an object")
    }

    /// The lines of `after` that are not in `before`, in order (a crude line diff).
    fn changed_lines<'a>(before: &str, after: &'a str) -> Vec<&'a str> {
        let old: Vec<&str> = before.lines().collect();
        after.lines().enumerate().filter(|(i, line)| old.get(*i) != Some(line)).map(|(_, l)| l).collect()
    }

    #[test]
    fn an_unedited_document_is_its_file_byte_for_byte() {
        for text in [
            "{\n   \"title\": \"three spaces\",\n   \"n\": 1.0,\n   \"e\": 1e3,\n   \"s\": \"caf\\u00e9\",\n   \"list\": [ 1, 2 ]\n}\n",
            "\u{feff}{\r\n\t\"title\": \"tabs, CRLF, BOM\",\r\n\t\"panels\": []\r\n}",
            "{\"minified\":true,\"a\":[1,{\"b\":null}]}",
            "  {\n    \"odd\" :  \"spacing\" ,\n \"x\":[\n]}\n\n",
            // Integers too large for 64 bits read as floats, `-0` as a float, u64 beyond i64.
            "{\"big\": 123456789012345678901234, \"z\": -0, \"u\": 18446744073709551615, \"i\": -42}",
        ] {
            let document = object(text.trim_start_matches('\u{feff}'));
            assert_eq!(write_like(text, &document), text);
        }
    }

    #[test]
    fn a_number_that_changed_type_is_written_anew() {
        let text = "{\"a\": 5, \"b\": 7}";
        let mut document = object(text);
        document.insert("a".into(), json!(5.0));
        assert_eq!(write_like(text, &document), "{\"a\": 5.0, \"b\": 7}");
    }

    #[test]
    fn an_edit_changes_only_the_lines_it_touches() {
        let text = "{\n   \"panels\": [\n      {\n         \"id\": 1,\n         \"title\": \"CPU\",\n         \"max\": 1.0,\n         \"gridPos\": {\"h\": 8, \"w\": 12, \"x\": 0, \"y\": 0}\n      }\n   ],\n   \"refresh\": \"30s\",\n   \"version\": 1e0\n}\n";
        let mut document = object(text);
        document["panels"][0]["title"] = json!("CPU usage");
        let written = write_like(text, &document);
        assert_eq!(changed_lines(text, &written), vec!["         \"title\": \"CPU usage\","]);
        assert!(written.contains("\"max\": 1.0") && written.contains("1e0") && written.ends_with("}\n"));
        // Same number of lines: nothing else was re-flowed.
        assert_eq!(written.lines().count(), text.lines().count());
    }

    #[test]
    fn added_keys_and_panels_are_written_in_the_files_style() {
        let text = "{\r\n   \"title\": \"t\",\r\n   \"panels\": [\r\n      {\r\n         \"id\": 1,\r\n         \"v\": 2.50\r\n      }\r\n   ]\r\n}";
        let mut document = object(text);
        document.insert("description".into(), json!("new"));
        document["panels"].as_array_mut().unwrap().insert(0, json!({"id": 2, "gridPos": {"h": 1}}));
        let written = write_like(text, &document);
        assert_eq!(
            written,
            "{\r\n   \"title\": \"t\",\r\n   \"panels\": [\r\n      {\r\n         \"id\": 2,\r\n         \"gridPos\": {\r\n            \"h\": 1\r\n         }\r\n      },\r\n      {\r\n         \"id\": 1,\r\n         \"v\": 2.50\r\n      }\r\n   ],\r\n   \"description\": \"new\"\r\n}"
        );
        assert_eq!(serde_json::from_str::<Value>(&written).unwrap(), Value::Object(document));
    }

    #[test]
    fn removed_elements_and_changed_types_read_back_as_the_document() {
        let text = "{\n  \"list\": [\n    {\"name\": \"a\", \"n\": 1},\n    {\"name\": \"b\", \"n\": 2},\n    {\"name\": \"c\", \"n\": 3}\n  ],\n  \"x\": 1\n}";
        let mut document = object(text);
        document["list"].as_array_mut().unwrap().remove(1);
        document["x"] = json!(1.0);
        let written = write_like(text, &document);
        assert_eq!(serde_json::from_str::<Value>(&written).unwrap(), Value::Object(document.clone()));
        assert!(
            written.contains("{\"name\": \"a\", \"n\": 1}")
                && written.contains("{\"name\": \"c\", \"n\": 3}")
        );
        assert!(written.contains("\"x\": 1.0"));
        // Not JSON this reader follows: a plain layout, still the document.
        let fallback = write_like("not json", &document);
        assert_eq!(serde_json::from_str::<Value>(&fallback).unwrap(), Value::Object(document));
    }
}
