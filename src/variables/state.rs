//! A dashboard's variables after evaluation, and what the rest of the dashboard reads from them:
//! the values interpolation substitutes, the ad hoc filters every query takes, the values a
//! repeat iterates over, and one repeated copy's own value. Pure.

use super::{AdhocFilter, Replacement, SelectionValue, Variable, VariableKind, VariableOption};

/// One variable after evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct VariableState {
    pub variable: Variable,
    pub options: Vec<VariableOption>,
    pub selection: SelectionValue,
    /// Why the options could not be loaded; the variable then has none.
    pub error: Option<String>,
    /// The filters of an ad hoc variable (from the URL, else the file).
    pub adhoc: Vec<AdhocFilter>,
}

/// The current values of every evaluated variable, for interpolation. Ad hoc variables are not
/// interpolated by name; they filter every query instead ([`adhoc_filters`]).
pub fn lookup_from(states: &[VariableState]) -> impl Fn(&str) -> Option<Replacement> + '_ {
    move |name: &str| {
        states
            .iter()
            .find(|s| s.variable.name == name && !matches!(s.variable.kind, VariableKind::Adhoc { .. }))
            .map(|s| Replacement::Selection(s.selection.clone()))
    }
}

/// Every ad hoc filter of the dashboard.
pub fn adhoc_filters(states: &[VariableState]) -> Vec<AdhocFilter> {
    states.iter().flat_map(|s| s.adhoc.iter().cloned()).collect()
}

/// A variable's current values (every option's when All is selected); `None` for a variable the
/// dashboard does not have.
pub fn variable_values(states: &[VariableState], name: &str) -> Option<Vec<String>> {
    states.iter().find(|s| s.variable.name == name).map(|s| {
        if s.selection.is_all {
            s.options.iter().map(|o| o.value.clone()).collect()
        } else {
            s.selection.values.clone()
        }
    })
}

/// The variable states with `name` set to the single `value` (a repeated panel's own value),
/// shown with its option's text.
pub fn with_single_value(mut states: Vec<VariableState>, name: &str, value: &str) -> Vec<VariableState> {
    for state in states.iter_mut().filter(|s| s.variable.name == name) {
        let text =
            state.options.iter().find(|o| o.value == value).map_or(value, |o| o.text.as_str()).to_string();
        state.selection.values = vec![value.to_string()];
        state.selection.texts = vec![text];
        state.selection.is_all = false;
        state.selection.multi = false;
    }
    states
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::variables::read_variables;
    use serde_json::json;

    fn state(all: bool, values: &[&str]) -> VariableState {
        let list = json!({"templating": {"list": [
            {"name": "host", "type": "custom", "query": "a : alpha, b : beta", "multi": true, "includeAll": true},
            {"name": "f", "type": "adhoc"}
        ]}});
        let variable = read_variables(list.as_object().unwrap()).remove(0);
        VariableState {
            options: ["a", "b"]
                .iter()
                .map(|v| VariableOption { text: format!("{v}!"), value: v.to_string() })
                .collect(),
            selection: SelectionValue {
                values: values.iter().map(|v| v.to_string()).collect(),
                texts: values.iter().map(|v| v.to_string()).collect(),
                is_all: all,
                multi: true,
                include_all: true,
                name: "host".into(),
                ..SelectionValue::default()
            },
            error: None,
            adhoc: Vec::new(),
            variable,
        }
    }

    #[test]
    fn repeats_iterate_all_options_and_a_copy_sees_its_own_value() {
        assert_eq!(variable_values(&[state(true, &["$__all"])], "host"), Some(vec!["a".into(), "b".into()]));
        assert_eq!(variable_values(&[state(false, &["b"])], "host"), Some(vec!["b".into()]));
        assert_eq!(variable_values(&[state(false, &["b"])], "other"), None);
        let copy = with_single_value(vec![state(true, &["$__all"])], "host", "b");
        let selection = &copy[0].selection;
        assert_eq!(
            (selection.values.clone(), selection.texts.clone()),
            (vec!["b".to_string()], vec!["b!".to_string()])
        );
        assert!(!selection.is_all && !selection.multi);
        let lookup = lookup_from(&copy);
        assert!(lookup("host").is_some() && lookup("f").is_none());
    }
}
