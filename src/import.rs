//! Importing a shared dashboard: Grafana's `__inputs` substitution (its DashTemplateEvaluator),
//! library panels inlined from `__elements`, and `${DS_…}` references that no input declares
//! resolved to the default datasource (Grafana's file provisioning cannot do that: its issue #10786).
//! Pure: the UI asks the user for values, this module applies them to a copy of the raw document.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// What an import asks the user for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputKind {
    /// Pick a datasource of this plugin type.
    Datasource { plugin_id: String },
    /// Type a value; the file's own value is the default.
    Constant { default_value: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportInput {
    pub name: String,
    pub label: String,
    pub kind: InputKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("the dashboard needs a value for its input {0:?}")]
    InputMissing(String),
}

/// The inputs a dashboard declares in `__inputs`, in order.
pub fn declared_inputs(raw: &Map<String, Value>) -> Vec<ImportInput> {
    let text = |input: &Value, key: &str| input.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    raw.get("__inputs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|input| {
            let name = input.get("name").and_then(Value::as_str)?.to_string();
            let kind = match input.get("type").and_then(Value::as_str) {
                Some("datasource") => InputKind::Datasource { plugin_id: text(input, "pluginId") },
                _ => InputKind::Constant { default_value: text(input, "value") },
            };
            let label = Some(text(input, "label")).filter(|l| !l.is_empty()).unwrap_or_else(|| name.clone());
            Some(ImportInput { name, label, kind })
        })
        .collect()
}

/// Something the import did on its own that the user should know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportNotice {
    pub json_path: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub dashboard: Map<String, Value>,
    pub notices: Vec<ImportNotice>,
}

/// Applies `values` (input name → value; for a datasource input, the datasource uid) to every string
/// in the document, drops `__inputs`, inlines library panels, and resolves leftover `${DS_…}`
/// datasource references to the default datasource (`null`).
pub fn import(raw: &Map<String, Value>, values: &BTreeMap<String, String>) -> Result<Imported, ImportError> {
    if let Some(missing) = declared_inputs(raw)
        .into_iter()
        .find(|input| matches!(input.kind, InputKind::Datasource { .. }) && !values.contains_key(&input.name))
    {
        return Err(ImportError::InputMissing(missing.name));
    }
    Ok(import_resolving_missing_datasources(raw, values))
}

/// A provisioned file is never shown an import dialog: its constants take their declared values and
/// its datasource inputs the default datasource, each with a notice.
pub fn import_provisioned(raw: &Map<String, Value>) -> Imported {
    import_resolving_missing_datasources(raw, &BTreeMap::new())
}

/// [`import_provisioned`] of a document the caller owns: no copy of it is made (a dashboard of
/// thousands of panels is megabytes, and the page derives its view after every edit).
pub fn import_provisioned_owned(raw: Map<String, Value>) -> Imported {
    import_owned(raw, &BTreeMap::new())
}

pub fn import_resolving_missing_datasources(
    raw: &Map<String, Value>,
    values: &BTreeMap<String, String>,
) -> Imported {
    import_owned(raw.clone(), values)
}

fn import_owned(mut dashboard: Map<String, Value>, values: &BTreeMap<String, String>) -> Imported {
    let raw = &dashboard;
    // Datasource inputs without a value are left as `${DS_…}`, which the last step turns into the
    // default datasource.
    let resolved: BTreeMap<String, String> = declared_inputs(raw)
        .into_iter()
        .filter_map(|input| match (values.get(&input.name), input.kind) {
            (Some(value), _) => Some((input.name, value.clone())),
            (None, InputKind::Constant { default_value }) => Some((input.name, default_value)),
            (None, InputKind::Datasource { .. }) => None,
        })
        .collect();
    let resolved: BTreeMap<&str, String> = resolved.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    if !resolved.is_empty() {
        dashboard.values_mut().for_each(|value| substitute_strings(value, &resolved));
    }
    dashboard.remove("__inputs");
    let mut notices = Vec::new();
    inline_library_panels(&mut dashboard, &mut notices);
    let mut defaulted: Vec<(String, String, usize)> = Vec::new();
    replace_undeclared_datasource_refs(&mut dashboard, &JsonPath::Root, &mut defaulted);
    // One notice per input name, not one per panel.
    for (name, first_path, count) in defaulted {
        let places = if count == 1 { String::new() } else { format!(" (and {} more places)", count - 1) };
        notices.push(ImportNotice {
            json_path: first_path,
            message: format!(
                "datasource ${{{name}}}{places} has no datasource chosen; using the default datasource"
            ),
        });
    }
    Imported { dashboard, notices }
}

/// `${NAME}` (and `$NAME`, `[[NAME]]`) → value, for declared input names only, in every string value.
fn substitute_strings(value: &mut Value, inputs: &BTreeMap<&str, String>) {
    match value {
        Value::String(text) if text.contains('$') || text.contains("[[") => *text = substitute(text, inputs),
        Value::Array(items) => items.iter_mut().for_each(|item| substitute_strings(item, inputs)),
        Value::Object(map) => map.values_mut().for_each(|item| substitute_strings(item, inputs)),
        _ => {}
    }
}

fn substitute(text: &str, inputs: &BTreeMap<&str, String>) -> String {
    let mut output = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(['$', '[']) {
        output.push_str(&rest[..start]);
        let candidate = &rest[start..];
        let word_end = |s: &str| s.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(s.len());
        let reference = if let Some(inner) = candidate.strip_prefix("${") {
            inner.find('}').map(|end| (&inner[..end], end + 3))
        } else if let Some(inner) = candidate.strip_prefix("[[") {
            inner.find("]]").map(|end| (&inner[..end], end + 4))
        } else if let Some(inner) = candidate.strip_prefix('$') {
            Some((&inner[..word_end(inner)], word_end(inner) + 1)).filter(|(name, _)| !name.is_empty())
        } else {
            None
        };
        match reference.and_then(|(name, length)| inputs.get(name).map(|value| (value, length))) {
            Some((value, length)) => {
                output.push_str(value);
                rest = &candidate[length..];
            }
            None => {
                output.push_str(&candidate[..1]);
                rest = &candidate[1..];
            }
        }
    }
    output.push_str(rest);
    output
}

/// A panel `{libraryPanel: {uid, name}}` without its model takes the model from `__elements`,
/// keeping its own `id` and `gridPos`; without either, it stays as is and a notice says why.
fn inline_library_panels(dashboard: &mut Map<String, Value>, notices: &mut Vec<ImportNotice>) {
    let elements = dashboard.remove("__elements").and_then(|e| e.as_object().cloned()).unwrap_or_default();
    let Some(Value::Array(panels)) = dashboard.get_mut("panels") else { return };
    for (index, panel) in panels.iter_mut().enumerate() {
        let Some(object) = panel.as_object() else { continue };
        let Some(uid) = object.get("libraryPanel").and_then(|l| l.get("uid")).and_then(Value::as_str) else {
            continue;
        };
        if object.contains_key("type") {
            continue;
        }
        match elements.get(uid).and_then(|e| e.get("model")).and_then(Value::as_object) {
            Some(model) => {
                let mut inlined = model.clone();
                for key in ["id", "gridPos", "libraryPanel"] {
                    if let Some(value) = object.get(key) {
                        inlined.insert(key.into(), value.clone());
                    }
                }
                *panel = Value::Object(inlined);
            }
            None => notices.push(ImportNotice {
                json_path: format!("panels[{index}]"),
                message: format!(
                    "library panel {uid:?} is not included in the file; it is shown as a placeholder"
                ),
            }),
        }
    }
}

/// `{"uid": "${DS_X}"}` (or the string `"${DS_X}"`) left after substitution names an input the file
/// did not declare, or one nobody chose a datasource for: it becomes the default datasource.
/// Replaced references are counted per input name in `defaulted`: (name, first JSON path, count).
fn replace_undeclared_datasource_refs(
    map: &mut Map<String, Value>,
    path: &JsonPath,
    defaulted: &mut Vec<(String, String, usize)>,
) {
    for (key, child) in map.iter_mut() {
        let child_path = JsonPath::Key(path, key);
        match (key.as_str(), undeclared_input_reference(child)) {
            ("datasource", Some(name)) => {
                match defaulted.iter_mut().find(|(existing, _, _)| *existing == name) {
                    Some((_, _, count)) => *count += 1,
                    None => defaulted.push((name, child_path.to_string(), 1)),
                }
                *child = Value::Null;
            }
            _ => replace_in_value(child, &child_path, defaulted),
        }
    }
}

fn replace_in_value(value: &mut Value, path: &JsonPath, notices: &mut Vec<(String, String, usize)>) {
    match value {
        Value::Object(map) => replace_undeclared_datasource_refs(map, path, notices),
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                replace_in_value(item, &JsonPath::Index(path, index), notices);
            }
        }
        _ => {}
    }
}

/// Where a walk through the document is, written out only when a notice needs it: every value of
/// a dashboard of megabytes is visited after each edit.
enum JsonPath<'a> {
    Root,
    Key(&'a JsonPath<'a>, &'a str),
    Index(&'a JsonPath<'a>, usize),
}

impl std::fmt::Display for JsonPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JsonPath::Root => Ok(()),
            JsonPath::Key(JsonPath::Root, key) => write!(f, "{key}"),
            JsonPath::Key(parent, key) => write!(f, "{parent}.{key}"),
            JsonPath::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

fn undeclared_input_reference(datasource: &Value) -> Option<String> {
    let text = match datasource {
        Value::String(text) => text.as_str(),
        Value::Object(reference) => reference.get("uid").and_then(Value::as_str)?,
        _ => return None,
    };
    let name = text.strip_prefix("${")?.strip_suffix('}')?;
    name.starts_with("DS_").then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().cloned().expect("an object")
    }

    #[test]
    fn inputs_are_substituted_in_every_string_and_dropped() {
        let raw = object(json!({
            "__inputs": [
                {"name": "DS_PROM", "label": "Prometheus", "type": "datasource", "pluginId": "prometheus"},
                {"name": "VAR_ENV", "type": "constant", "value": "prod"}
            ],
            "title": "Env ${VAR_ENV}",
            "panels": [{"datasource": {"type": "prometheus", "uid": "${DS_PROM}"},
                        "targets": [{"expr": "up{env=\"$VAR_ENV\", job=\"$job\"}"}]}]
        }));
        assert_eq!(
            declared_inputs(&raw),
            vec![
                ImportInput {
                    name: "DS_PROM".into(),
                    label: "Prometheus".into(),
                    kind: InputKind::Datasource { plugin_id: "prometheus".into() }
                },
                ImportInput {
                    name: "VAR_ENV".into(),
                    label: "VAR_ENV".into(),
                    kind: InputKind::Constant { default_value: "prod".into() }
                },
            ]
        );
        let values = BTreeMap::from([("DS_PROM".to_string(), "main".to_string())]);
        let imported = import(&raw, &values).expect("imports");
        let dashboard = Value::Object(imported.dashboard);
        assert!(dashboard.get("__inputs").is_none());
        assert_eq!(dashboard["title"], "Env prod");
        assert_eq!(dashboard["panels"][0]["datasource"]["uid"], "main");
        // `$job` is a dashboard variable, not an input: untouched.
        assert_eq!(dashboard["panels"][0]["targets"][0]["expr"], "up{env=\"prod\", job=\"$job\"}");
        assert!(imported.notices.is_empty());
    }

    #[test]
    fn a_datasource_input_without_a_value_is_an_error() {
        let raw =
            object(json!({"__inputs": [{"name": "DS_X", "type": "datasource", "pluginId": "prometheus"}]}));
        assert_eq!(import(&raw, &BTreeMap::new()), Err(ImportError::InputMissing("DS_X".into())));
    }

    #[test]
    fn undeclared_ds_references_fall_back_to_the_default_with_a_notice() {
        let raw = object(
            json!({"panels": [{"datasource": "${DS_PROMETHEUS}", "targets": [{"datasource": {"uid": "${DS_PROMETHEUS}"}}]}]}),
        );
        let imported = import(&raw, &BTreeMap::new()).expect("imports");
        let dashboard = Value::Object(imported.dashboard);
        assert_eq!(dashboard["panels"][0]["datasource"], Value::Null);
        assert_eq!(dashboard["panels"][0]["targets"][0]["datasource"], Value::Null);
        let notices: Vec<(&str, &str)> =
            imported.notices.iter().map(|n| (n.json_path.as_str(), n.message.as_str())).collect();
        assert_eq!(
            notices,
            vec![(
                "panels[0].datasource",
                "datasource ${DS_PROMETHEUS} (and 1 more places) has no datasource chosen; using the default datasource"
            )]
        );
    }

    #[test]
    fn provisioned_files_resolve_datasource_inputs_to_the_default() {
        let raw = object(json!({
            "__inputs": [{"name": "DS_PROM", "type": "datasource", "pluginId": "prometheus"},
                         {"name": "VAR_JOB", "type": "constant", "value": "node"}],
            "panels": [{"datasource": {"uid": "${DS_PROM}"}, "targets": [{"expr": "up{job=\"${VAR_JOB}\"}"}]}]
        }));
        let imported = import_provisioned(&raw);
        let dashboard = Value::Object(imported.dashboard);
        assert_eq!(dashboard["panels"][0]["datasource"], Value::Null);
        assert_eq!(dashboard["panels"][0]["targets"][0]["expr"], "up{job=\"node\"}");
        assert_eq!(imported.notices.len(), 1);
    }

    #[test]
    fn library_panels_are_inlined_or_reported() {
        let raw = object(json!({
            "__elements": {"lib-1": {"name": "CPU", "uid": "lib-1", "kind": 1, "model": {"type": "timeseries", "title": "CPU", "id": 99}}},
            "panels": [
                {"id": 1, "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8}, "libraryPanel": {"uid": "lib-1", "name": "CPU"}},
                {"id": 2, "libraryPanel": {"uid": "missing", "name": "Gone"}}
            ]
        }));
        let imported = import(&raw, &BTreeMap::new()).expect("imports");
        let dashboard = Value::Object(imported.dashboard);
        assert!(dashboard.get("__elements").is_none());
        assert_eq!(dashboard["panels"][0]["type"], "timeseries");
        assert_eq!(dashboard["panels"][0]["id"], 1);
        assert_eq!(dashboard["panels"][0]["gridPos"]["w"], 12);
        assert_eq!(imported.notices[0].json_path, "panels[1]");
    }
}

/// Importing several files at once: one question per input where the files agree (the same
/// name and kind, constants with the same default), one per file where they do not.
pub mod grafana_com;

pub mod batch {
    use super::{ImportInput, InputKind, declared_inputs};
    use serde_json::{Map, Value};
    use std::collections::BTreeMap;

    /// One question of the batch form: the input as the files declare it, the key its answer is
    /// kept under, and which files ask it.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Question {
        pub key: String,
        pub input: ImportInput,
        pub files: Vec<String>,
    }

    /// The questions for `files` (name, document), in first-seen order.
    pub fn questions(files: &[(String, Map<String, Value>)]) -> Vec<Question> {
        let mut found: Vec<Question> = Vec::new();
        for (file, document) in files {
            for input in declared_inputs(document) {
                match found.iter_mut().find(|q| q.input.name == input.name && q.input.kind == input.kind) {
                    Some(question) => question.files.push(file.clone()),
                    None => found.push(Question { key: String::new(), input, files: vec![file.clone()] }),
                }
            }
        }
        // A name asked twice (the files disagree) is keyed by file; otherwise by its name.
        let counts = found.iter().fold(BTreeMap::<String, usize>::new(), |mut counts, q| {
            *counts.entry(q.input.name.clone()).or_default() += 1;
            counts
        });
        for question in &mut found {
            question.key = if counts[&question.input.name] > 1 {
                format!("{} ({})", question.input.name, question.files.join(", "))
            } else {
                question.input.name.clone()
            };
        }
        found
    }

    /// The answers one file gets: for each of its inputs, the answer to its question.
    pub fn answers_for(
        file: &str,
        questions: &[Question],
        answers: &BTreeMap<String, String>,
    ) -> BTreeMap<String, String> {
        questions
            .iter()
            .filter(|q| q.files.iter().any(|f| f == file))
            .filter_map(|q| answers.get(&q.key).map(|answer| (q.input.name.clone(), answer.clone())))
            .collect()
    }

    /// The answers a form starts with: each constant's default.
    pub fn default_answers(questions: &[Question]) -> BTreeMap<String, String> {
        questions
            .iter()
            .filter_map(|q| match &q.input.kind {
                InputKind::Constant { default_value } => Some((q.key.clone(), default_value.clone())),
                InputKind::Datasource { .. } => None,
            })
            .collect()
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use serde_json::json;

        fn file(name: &str, inputs: Value) -> (String, Map<String, Value>) {
            (name.to_string(), json!({"__inputs": inputs, "title": name}).as_object().cloned().unwrap())
        }

        #[test]
        fn agreeing_inputs_are_asked_once_and_disagreeing_ones_per_file() {
            let ds = json!({"name": "DS_PROM", "type": "datasource", "pluginId": "prometheus", "label": "Prometheus"});
            let files = vec![
                file("a.json", json!([ds, {"name": "VAR_ENV", "type": "constant", "value": "prod"}])),
                file("b.json", json!([ds, {"name": "VAR_ENV", "type": "constant", "value": "staging"}])),
                file("c.json", json!([])),
            ];
            let asked = questions(&files);
            let keys: Vec<&str> = asked.iter().map(|q| q.key.as_str()).collect();
            assert_eq!(keys, vec!["DS_PROM", "VAR_ENV (a.json)", "VAR_ENV (b.json)"]);
            assert_eq!(asked[0].files, vec!["a.json", "b.json"]);
            let mut answers = default_answers(&asked);
            answers.insert("DS_PROM".into(), "prometheus".into());
            assert_eq!(
                answers_for("b.json", &asked, &answers),
                BTreeMap::from([
                    ("DS_PROM".to_string(), "prometheus".to_string()),
                    ("VAR_ENV".to_string(), "staging".to_string())
                ])
            );
            assert!(answers_for("c.json", &asked, &answers).is_empty());
        }
    }
}
