//! The raw dashboard model: a Grafana dashboard JSON document kept exactly as the file says.
//!
//! Owns parsing (with line/column errors) and serialisation. Key order, unknown keys, value types and
//! unknown panel kinds are all kept, because export must give back what was loaded. This module must
//! not interpret or normalise anything: that is [`crate::view`]'s job, and it never writes back here.

mod events;
pub mod text;
pub mod v2;

pub use events::{JsonEvent, json_events};

use serde_json::{Map, Value};
use std::sync::Arc;

/// Why a dashboard file could not be read. Each variant names the file it came from.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    #[error("{source_name}: invalid JSON at line {line}, column {column}: {message}")]
    Syntax { source_name: String, line: usize, column: usize, message: String },
    #[error("{source_name}: at {json_path}: expected {expected}")]
    Shape { source_name: String, json_path: String, expected: String },
}

/// A dashboard document exactly as loaded. The root is always a JSON object.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    raw: Map<String, Value>,
    /// The file's text, when the document was read from one: "as is" exports write into it.
    text: Option<Arc<str>>,
}

impl Dashboard {
    /// Parses a dashboard file. `source_name` (a path or URL) is used in error messages only.
    /// A UTF-8 byte-order mark is accepted, as Grafana's file provider does.
    pub fn parse(source_name: &str, text: &str) -> Result<Dashboard, ModelError> {
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        let value: Value = serde_json::from_str(body).map_err(|error| syntax_error(source_name, &error))?;
        match value {
            Value::Object(raw) => Ok(Dashboard { raw, text: Some(Arc::from(text)) }),
            other => Err(ModelError::Shape {
                source_name: source_name.to_string(),
                json_path: "$".to_string(),
                expected: format!("a JSON object (the dashboard), found {}", json_type_name(&other)),
            }),
        }
    }

    /// Wraps a document built elsewhere (a migrated copy, an import after substitution).
    pub fn from_raw(raw: Map<String, Value>) -> Dashboard {
        Dashboard { raw, text: None }
    }

    /// An edited version of this dashboard: `raw`, exported into this one's file text.
    pub fn edited(&self, raw: Map<String, Value>) -> Dashboard {
        Dashboard { raw, text: self.text.clone() }
    }

    /// The file's text, when the document was read from one.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// The document as a file: the file's own bytes where nothing changed (its indentation,
    /// newlines and number spelling), Grafana's two-space layout when there is no file.
    pub fn to_file_text(&self) -> String {
        file_text_of(self.text(), &self.raw)
    }

    /// The document, taken out of the dashboard.
    pub fn into_raw(self) -> Map<String, Value> {
        self.raw
    }

    /// The document as loaded.
    pub fn raw(&self) -> &Map<String, Value> {
        &self.raw
    }

    /// Serialises the document with Grafana's export layout (two-space indentation).
    pub fn to_json_pretty(&self) -> String {
        // Serialising a Map of Values cannot fail: every key is a string.
        serde_json::to_string_pretty(&self.raw).unwrap_or_default()
    }
}

/// `document` as a file: written into `file_text` (its own bytes where nothing changed), or in
/// Grafana's two-space layout when it came from no file. What [`Dashboard::to_file_text`] writes,
/// for a document that is not in a `Dashboard` (an edit session's, without copying it).
pub fn file_text_of(file_text: Option<&str>, document: &Map<String, Value>) -> String {
    match file_text {
        Some(text) => text::write_like(text, document),
        None => serde_json::to_string_pretty(document).unwrap_or_default(),
    }
}

/// The classic dashboard model of a file. Grafana 12's resource format (`apiVersion:
/// dashboard.grafana.app/v1…`, `kind: Dashboard`, `metadata`, `spec`) carries the classic model in
/// `spec` (its uid is `metadata.name` when `spec` has none); a schema v2 dashboard (a `…/v2…`
/// resource, or a bare spec with `elements` and `layout`) is read as its classic equivalent
/// ([`v2::to_classic`]).
pub fn classic_document(raw: &Map<String, Value>) -> std::borrow::Cow<'_, Map<String, Value>> {
    if v2::is_v2(raw) {
        return std::borrow::Cow::Owned(v2::to_classic(raw).dashboard);
    }
    match (raw.get("kind").and_then(Value::as_str), raw.get("spec")) {
        (Some("Dashboard"), Some(Value::Object(spec))) => {
            let mut classic = spec.clone();
            let has_uid = classic.get("uid").and_then(Value::as_str).is_some_and(|u| !u.is_empty());
            if !has_uid
                && let Some(name) = raw.get("metadata").and_then(|m| m.get("name")).and_then(Value::as_str)
            {
                classic.insert("uid".into(), Value::from(name));
            }
            std::borrow::Cow::Owned(classic)
        }
        _ => std::borrow::Cow::Borrowed(raw),
    }
}

/// The keys that identify an element of a list across edits — a panel's `id`, a query's `refId`, a
/// variable's `name` — in the order they are tried; a `null` one does not count. The editor's diff
/// and the text writer pair list elements by the same rule.
pub const LIST_IDENTITY_KEYS: [&str; 3] = ["id", "refId", "name"];

/// Whether exporting `text` unedited gives back the same document: same keys in the same order
/// (duplicates included), same values and JSON types. Checked on an independent reading of both
/// texts, not on the model's own map.
pub fn round_trip_is_lossless(source_name: &str, text: &str) -> Result<bool, ModelError> {
    let dashboard = Dashboard::parse(source_name, text)?;
    let original = json_events(text).map_err(|error| syntax_error(source_name, &error))?;
    Ok(json_events(&dashboard.to_json_pretty()).ok() == Some(original))
}

fn syntax_error(source_name: &str, error: &serde_json::Error) -> ModelError {
    ModelError::Syntax {
        source_name: source_name.to_string(),
        line: error.line(),
        column: error.column(),
        message: strip_serde_position(&error.to_string()),
    }
}

/// serde_json appends " at line L column C" to its messages; we report those fields separately.
fn strip_serde_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}

/// The JSON type name used in "expected …, found …" messages.
pub fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_key_order_types_and_unknown_keys() {
        let text = r#"{
  "zeta": 1,
  "alpha": "1",
  "panels": [
    {
      "type": "some-unknown-plugin",
      "options": {
        "b": null,
        "a": [
          1.5,
          true
        ]
      }
    }
  ],
  "schemaVersion": 39
}"#;
        let dashboard = Dashboard::parse("x.json", text).expect("valid dashboard");
        assert_eq!(dashboard.to_json_pretty(), text);
    }

    #[test]
    fn syntax_error_reports_file_line_and_column() {
        let error = Dashboard::parse("dash.json", "{\n  \"title\": \"x\",\n  oops\n}").unwrap_err();
        assert_eq!(error.to_string(), "dash.json: invalid JSON at line 3, column 3: key must be a string");
    }

    #[test]
    fn non_object_root_reports_shape() {
        let error = Dashboard::parse("list.json", "[1, 2]").unwrap_err();
        assert_eq!(
            error.to_string(),
            "list.json: at $: expected a JSON object (the dashboard), found an array"
        );
    }

    #[test]
    fn duplicate_keys_are_reported_as_not_lossless() {
        assert_eq!(round_trip_is_lossless("d.json", r#"{"a": 1, "b": [1.5, "x"]}"#), Ok(true));
        // serde_json keeps the last of two equal keys: the export would lose the first.
        assert_eq!(round_trip_is_lossless("d.json", r#"{"a": 1, "a": 2}"#), Ok(false));
    }

    #[test]
    fn grafana_12_resources_carry_the_classic_model_and_v2_is_read_as_classic() {
        let resource = |api: &str, spec: serde_json::Value| {
            serde_json::json!({"apiVersion": api, "kind": "Dashboard", "metadata": {"name": "from-metadata"}, "spec": spec})
                .as_object()
                .cloned()
                .unwrap()
        };
        let v1 = resource(
            "dashboard.grafana.app/v1beta1",
            serde_json::json!({"title": "T", "panels": [{"id": 1}]}),
        );
        let classic = classic_document(&v1);
        assert_eq!(
            (classic["uid"].as_str(), classic["panels"][0]["id"].as_i64()),
            (Some("from-metadata"), Some(1))
        );
        let v2 = resource(
            "dashboard.grafana.app/v2beta1",
            serde_json::json!({"title": "T", "elements": {}, "layout": {"kind": "GridLayout", "spec": {"items": []}}}),
        );
        let classic = classic_document(&v2);
        assert_eq!((classic["uid"].as_str(), classic["title"].as_str()), (Some("from-metadata"), Some("T")));
        assert_eq!(classic["schemaVersion"], v2::CLASSIC_SCHEMA_VERSION);
        let bare: Map<String, Value> =
            serde_json::from_str(r#"{"title": "T", "elements": {}, "layout": {"kind": "GridLayout"}}"#)
                .unwrap();
        assert!(matches!(classic_document(&bare), std::borrow::Cow::Owned(_)));
        let plain: Map<String, Value> = serde_json::from_str(r#"{"title": "T", "panels": []}"#).unwrap();
        assert!(matches!(classic_document(&plain), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn byte_order_mark_and_crlf_are_accepted() {
        let dashboard =
            Dashboard::parse("bom.json", "\u{feff}{\r\n\"title\": \"t\"\r\n}\r\n").expect("parses");
        assert_eq!(dashboard.raw()["title"], "t");
    }
}
