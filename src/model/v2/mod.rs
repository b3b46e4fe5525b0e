//! Grafana's schema v2 dashboards (`dashboard.grafana.app/v2alpha1`, `v2beta1`; Grafana 12's
//! dynamic dashboards, the default from Grafana 13): panels in an `elements` map, placed by a
//! `layout` tree of grids, auto grids, rows and tabs, with `conditionalRendering` rules.
//!
//! promboard shows and edits one model, the classic one, so a v2 file is read as its classic
//! equivalent ([`to_classic`]) — what cannot be said classically (which rows are tabs, the auto
//! grids, the rules) is kept beside it in [`Sections`] — and an edit of that classic model is
//! written back into the v2 file it came from ([`write_back`]), so an unedited file exports
//! identical and an edit changes only what was edited. [`from_classic`] converts a classic
//! dashboard to v2 (`promboard migrate --to v2`). Pure JSON: this module interprets nothing
//! beyond the two formats' correspondence.

mod layout;
mod read;
mod write;
mod write_back;

#[cfg(test)]
mod tests;

pub use write::from_classic;
pub use write_back::write_back;

use serde_json::{Map, Value};

/// The classic schema version a converted v2 dashboard is given: the last of Grafana's v1 API.
pub const CLASSIC_SCHEMA_VERSION: i64 = 42;

/// Whether `raw` is a v2 dashboard: a resource of a `…/v2…` API version, or a spec (bare or in a
/// resource) with `elements` and `layout`.
pub fn is_v2(raw: &Map<String, Value>) -> bool {
    let api_version = raw.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let is_v2_api = api_version.split('/').nth(1).is_some_and(|v| v.starts_with("v2"));
    let has_v2_shape = |map: &Map<String, Value>| map.contains_key("elements") && map.contains_key("layout");
    match raw.get("spec") {
        Some(Value::Object(spec)) if raw.get("kind").and_then(Value::as_str) == Some("Dashboard") => {
            is_v2_api || has_v2_shape(spec)
        }
        _ => has_v2_shape(raw) && !raw.contains_key("panels"),
    }
}

/// The v2 spec of a document: a resource's `spec`, or the document itself when it is a bare spec.
pub fn spec_of(raw: &Map<String, Value>) -> &Map<String, Value> {
    match raw.get("spec") {
        Some(Value::Object(spec)) if raw.get("kind").and_then(Value::as_str) == Some("Dashboard") => spec,
        _ => raw,
    }
}

/// A v2 dashboard read as the classic model.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Classic {
    pub dashboard: Map<String, Value>,
    pub sections: Sections,
    /// What the classic model cannot carry or this reader did not understand, each with its path.
    pub losses: Vec<String>,
}

/// What a v2 layout says that the classic model cannot: its tabs, auto grids and rules.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sections {
    /// The tabs of a top-level `TabsLayout`, in order (each is a classic row panel).
    pub tabs: Vec<TabSection>,
    pub auto_grids: Vec<AutoGrid>,
    pub conditions: Vec<Conditional>,
}

/// One tab: its title, the classic row that stands for it, and every panel id in it (the row's
/// own and those of rows inside it included).
#[derive(Debug, Clone, PartialEq)]
pub struct TabSection {
    pub title: String,
    pub row_id: i64,
    pub panel_ids: Vec<i64>,
}

/// An auto grid: its panels in order, placed from grid row `top` in columns of `24 /
/// max_columns` units and rows of `row_height` units — fewer columns when a column would be
/// narrower than `min_column_width_px`.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoGrid {
    pub top: i64,
    pub max_columns: i64,
    pub min_column_width_px: f64,
    pub row_height: i64,
    pub panel_ids: Vec<i64>,
}

/// A `conditionalRendering` group and the panels (rows included) it shows or hides.
#[derive(Debug, Clone, PartialEq)]
pub struct Conditional {
    pub json_path: String,
    pub panel_ids: Vec<i64>,
    pub rules: RuleGroup,
}

/// A `ConditionalRenderingGroup`: when its rules hold (all, or any), the panels are shown (or,
/// with visibility `hide`, hidden).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleGroup {
    pub show_when_met: bool,
    pub all: bool,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// A variable's value compared with `value`: equal, or matching it as a regular expression.
    Variable { name: String, matches: bool, negated: bool, value: String },
    /// Whether the panels' queries returned data (`true`) or not.
    HasData(bool),
    /// The time range is shorter than this duration (Grafana's interval form, `7d`).
    TimeRangeShorterThan(String),
}

impl RuleGroup {
    /// Reads a group; a rule it does not know makes it an error (the caller shows the panels).
    pub fn read(group: &Value) -> Result<RuleGroup, String> {
        let (kind, spec) = read::kind_spec(group);
        if kind != "ConditionalRenderingGroup" {
            return Err(format!("a rule group of kind {kind:?} is not one promboard knows"));
        }
        let empty = Map::new();
        let spec = spec.unwrap_or(&empty);
        let mut rules = Vec::new();
        for item in spec.get("items").and_then(Value::as_array).into_iter().flatten() {
            let (kind, rule) = read::kind_spec(item);
            let rule = rule.unwrap_or(&empty);
            let value_text = || rule.get("value").and_then(Value::as_str).unwrap_or("").to_string();
            rules.push(match kind {
                "ConditionalRenderingVariable" => {
                    let operator = read::text(rule, "operator").unwrap_or("equals");
                    let (matches, negated) = match operator {
                        "equals" => (false, false),
                        "notEquals" => (false, true),
                        "matches" => (true, false),
                        "notMatches" => (true, true),
                        other => {
                            return Err(format!(
                                "the variable rule operator {other:?} is not one promboard knows"
                            ));
                        }
                    };
                    let name = read::text(rule, "variable").unwrap_or("").trim_start_matches('$').to_string();
                    Rule::Variable { name, matches, negated, value: value_text() }
                }
                "ConditionalRenderingData" => {
                    Rule::HasData(rule.get("value").and_then(Value::as_bool).unwrap_or(true))
                }
                "ConditionalRenderingTimeRangeSize" => Rule::TimeRangeShorterThan(value_text()),
                other => return Err(format!("the rule kind {other:?} is not one promboard knows")),
            });
        }
        Ok(RuleGroup {
            show_when_met: read::text(spec, "visibility") != Some("hide"),
            all: read::text(spec, "condition") != Some("or"),
            rules,
        })
    }
}

/// A v2 dashboard (resource or bare spec) as the classic model, with its sections and losses.
pub fn to_classic(raw: &Map<String, Value>) -> Classic {
    let spec = spec_of(raw);
    // A resource is named by its metadata; a bare spec may carry a `uid` (an import gives one).
    let uid = raw
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .or_else(|| spec.get("uid").and_then(Value::as_str));
    let mut losses = Vec::new();
    let mut dashboard = read::dashboard_keys(spec, uid, &mut losses);
    let empty = Map::new();
    let elements = read::object(spec.get("elements")).unwrap_or(&empty);
    let mut placer = layout::Placer::new(elements);
    placer.place_dashboard(spec.get("layout").unwrap_or(&Value::Null));
    losses.append(&mut placer.losses);
    dashboard.insert("panels".into(), Value::Array(placer.panels));
    dashboard.insert("schemaVersion".into(), Value::from(CLASSIC_SCHEMA_VERSION));
    Classic { dashboard, sections: placer.sections, losses }
}
