//! Dashboard template variables (Grafana's `templating.list`): reading them, their options, the
//! current selection (from the URL, else the file), the order they are evaluated in, and
//! interpolation, and their states after evaluation ([`VariableState`]). Pure: a query variable's
//! request is planned here ([`prometheus`]) and its answer decoded here; `data::variables`
//! evaluates them over a transport.

mod adhoc_filter;
mod interpolate;
pub mod prometheus;
mod state;

pub use adhoc_filter::AdhocFilter;
pub use interpolate::{
    Replacement, SelectionValue, interpolate, prometheus_regex_escape, prometheus_regular_escape,
    referenced_names,
};
pub use state::{VariableState, adhoc_filters, lookup_from, variable_values, with_single_value};

use crate::datasource::PROMETHEUS_TYPE;
use crate::datasource::Registry;
use crate::interval;
use crate::jsregex::JsRegex;
use crate::sorting;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A dashboard-level built-in (`$__dashboard`, the dashboard's title) as a hidden constant, so that
/// every interpolation finds it like any variable; it is never shown or put in the URL.
pub fn builtin_constant(name: &str, value: &str) -> Variable {
    Variable {
        name: name.to_string(),
        label: String::new(),
        kind: VariableKind::Constant { value: value.to_string() },
        hide: 2,
        multi: false,
        include_all: false,
        all_value: None,
        regex: String::new(),
        sort: 0,
        saved: vec![value.to_string()],
        json_path: String::new(),
    }
}

/// The value Grafana stores for "All".
pub const ALL_VALUE: &str = "$__all";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariableKind {
    /// A Prometheus query (`label_values(…)`, `query_result(…)`, …).
    Query {
        query: String,
        refresh: i64,
        /// The variable's `datasource` reference as written (`null`: the default).
        datasource: Value,
    },
    /// `a,b,c` or `key : value` pairs.
    Custom {
        query: String,
    },
    Constant {
        value: String,
    },
    Textbox {
        default: String,
    },
    /// Interval choices (`1m,10m,1h`), with Grafana's `auto` option.
    Interval {
        query: String,
        auto: bool,
        auto_count: i64,
        auto_min: String,
    },
    /// A datasource picker (`query` is the plugin id). promboard has one datasource, the
    /// Prometheus its proxy reaches, so this offers that one.
    Datasource {
        plugin: String,
    },
    /// Ad hoc filters, added as label matchers to every query (`filters` in the file; `var-NAME`
    /// values `key|op|value` in the URL).
    Adhoc {
        filters: Vec<AdhocFilter>,
    },
    /// Any other type, kept by name; its references stay as written.
    Unsupported(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableOption {
    pub text: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    pub name: String,
    pub label: String,
    pub kind: VariableKind,
    /// 0 shown, 1 label hidden, 2 hidden.
    pub hide: i64,
    pub multi: bool,
    pub include_all: bool,
    pub all_value: Option<String>,
    /// The `regex` filter (Grafana's `/pattern/flags`), empty when unset.
    pub regex: String,
    pub sort: i64,
    /// The selection saved in the file (`current.value`), as values.
    pub saved: Vec<String>,
    pub json_path: String,
}

fn text_of(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn number_of(value: Option<&Value>) -> i64 {
    match value {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
        Some(Value::Bool(b)) => i64::from(*b),
        _ => 0,
    }
}

/// A variable's query: a string, or the object forms `{query, refId}` / `{qryType, query}`.
fn query_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::Object(object)) => text_of(object.get("query")),
        other => text_of(other),
    }
}

/// Reads `templating.list` of an upgraded dashboard.
pub fn read_variables(dashboard: &Map<String, Value>) -> Vec<Variable> {
    let Some(list) = dashboard.get("templating").and_then(|t| t.get("list")).and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .enumerate()
        .filter_map(|(index, variable)| {
            let variable = variable.as_object()?;
            let name = text_of(variable.get("name"));
            if name.is_empty() {
                return None;
            }
            let type_name = text_of(variable.get("type"));
            let query = query_text(variable.get("query"));
            let kind = match type_name.as_str() {
                "query" => VariableKind::Query {
                    query,
                    refresh: number_of(variable.get("refresh")),
                    datasource: variable.get("datasource").cloned().unwrap_or(Value::Null),
                },
                "custom" => VariableKind::Custom { query },
                "constant" => VariableKind::Constant { value: query },
                "textbox" => VariableKind::Textbox { default: query },
                "datasource" => VariableKind::Datasource { plugin: query },
                "adhoc" => VariableKind::Adhoc {
                    filters: variable
                        .get("filters")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(|f| {
                            let key = text_of(f.get("key"));
                            (!key.is_empty()).then(|| AdhocFilter {
                                key,
                                operator: Some(text_of(f.get("operator")))
                                    .filter(|o| !o.is_empty())
                                    .unwrap_or_else(|| "=".into()),
                                value: text_of(f.get("value")),
                            })
                        })
                        .collect(),
                },
                "interval" => VariableKind::Interval {
                    query,
                    auto: matches!(variable.get("auto"), Some(Value::Bool(true))),
                    auto_count: Some(number_of(variable.get("auto_count"))).filter(|n| *n > 0).unwrap_or(30),
                    auto_min: Some(text_of(variable.get("auto_min")))
                        .filter(|m| !m.is_empty())
                        .unwrap_or_else(|| "10s".into()),
                },
                other => VariableKind::Unsupported(other.to_string()),
            };
            let saved = match variable.get("current").and_then(|c| c.get("value")) {
                Some(Value::Array(values)) => values.iter().map(|v| text_of(Some(v))).collect(),
                Some(value) => vec![text_of(Some(value))],
                None => Vec::new(),
            };
            let label = Some(text_of(variable.get("label")))
                .filter(|l| !l.is_empty())
                .unwrap_or_else(|| name.clone());
            Some(Variable {
                name,
                label,
                kind,
                hide: number_of(variable.get("hide")),
                multi: matches!(variable.get("multi"), Some(Value::Bool(true))),
                include_all: matches!(variable.get("includeAll"), Some(Value::Bool(true))),
                all_value: Some(text_of(variable.get("allValue"))).filter(|a| !a.is_empty()),
                regex: text_of(variable.get("regex")),
                sort: number_of(variable.get("sort")),
                saved,
                json_path: format!("templating.list[{index}]"),
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VariableError {
    #[error("template variables depend on each other in a cycle: {}", .0.join(" → "))]
    Cycle(Vec<String>),
    #[error("variable {name}: {message}")]
    Regex { name: String, message: String },
}

impl Variable {
    /// The names of other variables this one's query or regex refers to.
    pub fn dependencies<'a>(&self, all: &'a [Variable]) -> Vec<&'a str> {
        let text = match &self.kind {
            // A datasource given by a variable (`${ds}`) is a dependency too.
            VariableKind::Query { query, datasource, .. } => {
                let datasource =
                    datasource.get("uid").and_then(Value::as_str).or(datasource.as_str()).unwrap_or("");
                format!("{query} {} {datasource}", self.regex)
            }
            _ => return Vec::new(),
        };
        let referenced = referenced_names(&text);
        all.iter()
            .map(|v| v.name.as_str())
            .filter(|n| *n != self.name && referenced.iter().any(|r| r == n))
            .collect()
    }
}

/// The order to evaluate variables in: every variable after those it depends on, otherwise in file
/// order. A cycle is an error naming the variables in it.
pub fn evaluation_order(variables: &[Variable]) -> Result<Vec<usize>, VariableError> {
    let index_of: BTreeMap<&str, usize> =
        variables.iter().enumerate().map(|(i, v)| (v.name.as_str(), i)).collect();
    let mut order = Vec::new();
    // 0 unvisited, 1 in progress, 2 done
    let mut state = vec![0_u8; variables.len()];
    fn visit(
        index: usize,
        variables: &[Variable],
        index_of: &BTreeMap<&str, usize>,
        state: &mut [u8],
        order: &mut Vec<usize>,
        path: &mut Vec<usize>,
    ) -> Result<(), VariableError> {
        match state[index] {
            2 => return Ok(()),
            1 => {
                let start = path.iter().position(|i| *i == index).unwrap_or(0);
                let mut names: Vec<String> =
                    path[start..].iter().map(|i| variables[*i].name.clone()).collect();
                names.push(variables[index].name.clone());
                return Err(VariableError::Cycle(names));
            }
            _ => {}
        }
        state[index] = 1;
        path.push(index);
        for dependency in variables[index].dependencies(variables) {
            if let Some(&dependency_index) = index_of.get(dependency) {
                visit(dependency_index, variables, index_of, state, order, path)?;
            }
        }
        path.pop();
        state[index] = 2;
        order.push(index);
        Ok(())
    }
    for index in 0..variables.len() {
        visit(index, variables, &index_of, &mut state, &mut order, &mut Vec::new())?;
    }
    Ok(order)
}

/// Options of the variables that need no request.
pub fn static_options(variable: &Variable, datasources: &Registry) -> Vec<VariableOption> {
    let option =
        |text: &str, value: &str| VariableOption { text: text.to_string(), value: value.to_string() };
    match &variable.kind {
        VariableKind::Custom { query } => {
            split_custom(query).into_iter().map(|(t, v)| option(&t, &v)).collect()
        }
        VariableKind::Constant { value } => vec![option(value, value)],
        VariableKind::Textbox { default } => vec![option(default, default)],
        VariableKind::Interval { query, auto, .. } => {
            let mut options: Vec<VariableOption> = Vec::new();
            if *auto {
                options.push(option("auto", &format!("$__auto_interval_{}", variable.name)));
            }
            options.extend(query.split(',').map(str::trim).filter(|s| !s.is_empty()).map(|s| option(s, s)));
            options
        }
        // The configured datasources of the variable's type, by name, as Grafana lists them; a
        // regex keeps the names it matches (an invalid one keeps none).
        VariableKind::Datasource { plugin } => {
            let wanted = if plugin.is_empty() { PROMETHEUS_TYPE } else { plugin.as_str() };
            let regex = (!variable.regex.is_empty()).then(|| JsRegex::new(&variable.regex));
            datasources
                .datasources()
                .iter()
                .filter(|d| d.type_name == wanted)
                .filter(|d| match &regex {
                    None => true,
                    Some(Ok(regex)) => regex.is_match(&d.name),
                    Some(Err(_)) => false,
                })
                .map(|d| option(&d.name, &d.name))
                .collect()
        }
        VariableKind::Query { .. } | VariableKind::Adhoc { .. } | VariableKind::Unsupported(_) => Vec::new(),
    }
}

/// The value of an interval variable's `auto` option for a time range: the range split into
/// `auto_count` steps, rounded like Grafana's intervals, at least `auto_min`.
pub fn auto_interval(range_ms: i64, auto_count: i64, auto_min: &str) -> String {
    let rounded = interval::round_interval_ms(range_ms / auto_count.max(1));
    let minimum = interval::parse_duration_ms(auto_min).unwrap_or(0);
    interval::format_interval(rounded.max(minimum))
}

/// Grafana's custom variable syntax: comma-separated, `\,` for a literal comma, `text : value`.
pub fn split_custom(query: &str) -> Vec<(String, String)> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut chars = query.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&',') => {
                current.push(',');
                chars.next();
            }
            ',' => items.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    items.push(current);
    items
        .into_iter()
        .map(|item| item.trim().to_string())
        .filter(|item| !item.is_empty())
        .map(|item| match item.split_once(" : ") {
            Some((text, value)) => (text.trim().to_string(), value.trim().to_string()),
            None => (item.clone(), item),
        })
        .collect()
}

/// Applies a variable's regex (filter and capture, with Grafana's `text`/`value` named groups),
/// removes duplicate values and sorts (sort modes 0–8).
pub fn refine_options(variable: &Variable, raw: Vec<String>) -> Result<Vec<VariableOption>, VariableError> {
    let regex = if variable.regex.is_empty() {
        None
    } else {
        Some(
            JsRegex::new(&variable.regex)
                .map_err(|message| VariableError::Regex { name: variable.name.clone(), message })?,
        )
    };
    let mut options: Vec<VariableOption> = Vec::new();
    for value in raw {
        let option = match &regex {
            None => VariableOption { text: value.clone(), value },
            Some(regex) => {
                let Some(found) = regex.exec(&value) else { continue };
                if found.named_text.is_some() || found.named_value.is_some() {
                    let captured_value =
                        found.named_value.clone().or_else(|| found.named_text.clone()).unwrap_or_default();
                    VariableOption {
                        text: found.named_text.unwrap_or_else(|| captured_value.clone()),
                        value: captured_value,
                    }
                } else {
                    let captured = found
                        .groups
                        .get(1)
                        .cloned()
                        .flatten()
                        .or_else(|| found.groups.first().cloned().flatten());
                    let captured =
                        if found.groups.len() > 1 { captured.unwrap_or_default() } else { value.clone() };
                    VariableOption { text: captured.clone(), value: captured }
                }
            }
        };
        if !options.iter().any(|o| o.value == option.value) {
            options.push(option);
        }
    }
    sort_options(&mut options, variable.sort);
    Ok(options)
}

fn first_number(text: &str) -> i64 {
    let start = text.find(|c: char| c.is_ascii_digit());
    start
        .map(|s| text[s..].chars().take_while(char::is_ascii_digit).collect::<String>())
        .and_then(|digits| digits.parse().ok())
        .unwrap_or(-1)
}

/// Natural order: digit runs compare as numbers.
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let chunks = |s: &str| -> Vec<(bool, String)> {
        let mut out: Vec<(bool, String)> = Vec::new();
        for c in s.chars() {
            let digit = c.is_ascii_digit();
            match out.last_mut() {
                Some((is_digit, chunk)) if *is_digit == digit => chunk.push(c),
                _ => out.push((digit, c.to_string())),
            }
        }
        out
    };
    let (left, right) = (chunks(a), chunks(b));
    for (l, r) in left.iter().zip(right.iter()) {
        let ordering = match (l.0, r.0) {
            (true, true) => l.1.parse::<u128>().unwrap_or(0).cmp(&r.1.parse::<u128>().unwrap_or(0)),
            _ => l.1.to_lowercase().cmp(&r.1.to_lowercase()),
        };
        if ordering != std::cmp::Ordering::Equal {
            return ordering;
        }
    }
    left.len().cmp(&right.len())
}

/// Grafana's sort modes: 1/2 alphabetical, 3/4 numerical (first number in the text), 5/6
/// alphabetical case-insensitive, 7/8 natural; odd ascending, even descending; 0 keeps the order.
pub fn sort_options(options: &mut [VariableOption], sort: i64) {
    match sort {
        1 | 2 => sorting::sort_by(options, |a, b| a.text.cmp(&b.text)),
        3 | 4 => sorting::sort_by_key(options, |o| first_number(&o.text)),
        5 | 6 => sorting::sort_by_key(options, |o| o.text.to_lowercase()),
        7 | 8 => sorting::sort_by(options, |a, b| natural_cmp(&a.text, &b.text)),
        _ => return,
    }
    if sort % 2 == 0 {
        options.reverse();
    }
}

/// The selection of a variable given its options and what the URL or the file asked for: known
/// values are kept; "All" stays All; otherwise the first option (or all of them, for All-capable
/// variables asked for All), as Grafana falls back.
pub fn resolve_selection(
    variable: &Variable,
    options: &[VariableOption],
    requested: &[String],
) -> SelectionValue {
    let base = SelectionValue {
        values: Vec::new(),
        texts: Vec::new(),
        is_all: false,
        all_value: variable.all_value.clone(),
        multi: variable.multi,
        include_all: variable.include_all,
        name: variable.name.clone(),
    };
    let all = || SelectionValue {
        values: options.iter().map(|o| o.value.clone()).collect(),
        texts: options.iter().map(|o| o.text.clone()).collect(),
        is_all: true,
        ..base.clone()
    };
    if variable.include_all && requested.iter().any(|r| r == ALL_VALUE || r == "All") {
        return all();
    }
    // Textboxes and constants take what they are given.
    if matches!(variable.kind, VariableKind::Textbox { .. }) && !requested.is_empty() {
        return SelectionValue { values: requested.to_vec(), texts: requested.to_vec(), ..base };
    }
    let chosen: Vec<&VariableOption> =
        requested.iter().filter_map(|r| options.iter().find(|o| &o.value == r || &o.text == r)).collect();
    let chosen: Vec<&VariableOption> =
        if variable.multi { chosen } else { chosen.into_iter().take(1).collect() };
    if !chosen.is_empty() {
        return SelectionValue {
            values: chosen.iter().map(|o| o.value.clone()).collect(),
            texts: chosen.iter().map(|o| o.text.clone()).collect(),
            ..base
        };
    }
    match options.first() {
        Some(first) if !variable.include_all => {
            SelectionValue { values: vec![first.value.clone()], texts: vec![first.text.clone()], ..base }
        }
        Some(_) => all(),
        None => base,
    }
}

#[cfg(test)]
mod model_tests;
