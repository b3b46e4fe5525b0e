//! Evaluating a dashboard's template variables over the transport it is given: in dependency
//! order, each query variable's options asked of its datasource (interpolated with the variables
//! before it) and kept in a per-page cache, a failing variable failing alone. Sans-IO like panel
//! loading ([`super::load_panel`]): nothing here knows how requests travel, so the whole path runs
//! in native tests on a fake transport.

use crate::datasource::Registry;
use crate::prom::api::{Transport, get_api_data};
use crate::sorting;
use crate::time::TimeRange;
use crate::variables::prometheus::parse_variable_query;
use crate::variables::{
    AdhocFilter, Variable, VariableKind, VariableOption, VariableState, auto_interval, evaluation_order,
    interpolate, lookup_from, refine_options, resolve_selection, static_options,
};
use futures::future::join_all;
use std::cell::RefCell;
use std::collections::HashMap;

/// Query variables' options already fetched on a page, by [`options_cache_key`]: Grafana queries
/// a refresh-on-load variable once per load, and again only when a variable it uses changes its
/// query.
#[derive(Debug, Default)]
pub struct OptionsCache(RefCell<HashMap<String, Vec<VariableOption>>>);

/// What a query variable's options depend on: the variable, its datasource, its query as
/// interpolated, and — for one refreshed on time range changes (`refresh: 2`) — the range.
pub fn options_cache_key(
    variable: &str,
    datasource_uid: &str,
    query: &str,
    refresh: i64,
    range: TimeRange,
) -> String {
    let mut key = format!("{variable}\u{0}{datasource_uid}\u{0}{query}");
    if refresh == 2 {
        key.push_str(&format!("\u{0}{}\u{0}{}", range.from_ms, range.to_ms));
    }
    key
}

async fn options_of(
    transport: &impl Transport,
    datasources: &Registry,
    variable: &Variable,
    states: &[VariableState],
    range: TimeRange,
    cache: &OptionsCache,
) -> Result<Vec<VariableOption>, String> {
    let VariableKind::Query { query, datasource, refresh } = &variable.kind else {
        return Ok(static_options(variable, datasources));
    };
    let lookup = lookup_from(states);
    let query = interpolate(query, &lookup);
    let resolved = datasources.resolve(Some(datasource), &|text| interpolate(text, &lookup));
    let key = options_cache_key(&variable.name, &resolved.datasource.uid, &query, *refresh, range);
    if let Some(options) = cache.0.borrow().get(&key) {
        return Ok(options.clone());
    }
    if !resolved.datasource.is_prometheus() {
        return Err(format!(
            "variable {}: datasource {:?} is of type {:?}; promboard queries Prometheus-compatible datasources only",
            variable.name, resolved.datasource.name, resolved.datasource.type_name
        ));
    }
    let request = parse_variable_query(&query);
    let api = request.api_request(range.from_ms / 1000, range.to_ms / 1000);
    let description = format!("variable {}: {query}", variable.name);
    let data = get_api_data(transport, resolved.datasource, &api.path, &api.params, &description)
        .await
        .map_err(|error| error.to_string())?;
    let texts = request
        .options_from_answer(&data)
        .map_err(|message| format!("variable {}: {message}", variable.name))?;
    let options = refine_options(variable, texts).map_err(|error| error.to_string())?;
    cache.0.borrow_mut().insert(key, options.clone());
    Ok(options)
}

/// The variables in groups evaluated at once: a variable's group comes after the groups of all
/// it depends on, and within a group the evaluation order holds.
fn groups(variables: &[Variable], order: &[usize]) -> Vec<Vec<usize>> {
    let index_of: HashMap<&str, usize> =
        variables.iter().enumerate().map(|(i, v)| (v.name.as_str(), i)).collect();
    let mut depth = vec![0_usize; variables.len()];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &index in order {
        depth[index] = variables[index]
            .dependencies(variables)
            .iter()
            .filter_map(|name| index_of.get(name))
            .map(|dependency| depth[*dependency] + 1)
            .max()
            .unwrap_or(0);
        if groups.len() <= depth[index] {
            groups.resize(depth[index] + 1, Vec::new());
        }
        groups[depth[index]].push(index);
    }
    groups
}

/// Evaluates every variable in dependency order — those that do not depend on each other at
/// once, their requests together —, with `requested[i]` the values the URL asks for variable
/// `i` (empty: the file's). A variable whose options cannot be loaded has none and its error; a
/// cycle fails the whole evaluation, naming it. The states come back in file order.
pub async fn evaluate_variables(
    transport: &impl Transport,
    datasources: &Registry,
    variables: Vec<Variable>,
    requested: Vec<Vec<String>>,
    range: TimeRange,
    cache: &OptionsCache,
) -> Result<Vec<VariableState>, String> {
    let order = evaluation_order(&variables).map_err(|error| error.to_string())?;
    let mut states: Vec<VariableState> = Vec::new();
    for group in groups(&variables, &order) {
        let loaded = join_all(
            group
                .iter()
                .map(|index| options_of(transport, datasources, &variables[*index], &states, range, cache)),
        )
        .await;
        for (index, loaded) in group.into_iter().zip(loaded) {
            states.push(state_of(&variables[index], requested.get(index), loaded, range));
        }
    }
    // Back to file order for the pickers.
    sorting::sort_by_key(&mut states, |s| variables.iter().position(|v| v.name == s.variable.name));
    Ok(states)
}

/// A variable's state from its loaded options (or why they could not be loaded), the values the
/// URL asks for (none or empty: the file's) and the range (for an interval's `auto`).
fn state_of(
    variable: &Variable,
    requested: Option<&Vec<String>>,
    loaded: Result<Vec<VariableOption>, String>,
    range: TimeRange,
) -> VariableState {
    let variable = variable.clone();
    let (options, error) = match loaded {
        Ok(options) => (options, None),
        Err(message) => (Vec::new(), Some(message)),
    };
    let wanted = requested.filter(|values| !values.is_empty());
    let mut selection = resolve_selection(&variable, &options, wanted.unwrap_or(&variable.saved));
    if let VariableKind::Interval { auto_count, auto_min, .. } = &variable.kind {
        // `auto` stands for an interval computed from the time range.
        let auto = format!("$__auto_interval_{}", variable.name);
        for value in &mut selection.values {
            if *value == auto {
                *value = auto_interval(range.duration_ms(), *auto_count, auto_min);
            }
        }
    }
    let adhoc = match (&variable.kind, wanted) {
        (VariableKind::Adhoc { filters }, None) => filters.clone(),
        (VariableKind::Adhoc { .. }, Some(values)) => {
            values.iter().filter_map(|v| AdhocFilter::parse_url_value(v)).collect()
        }
        _ => Vec::new(),
    };
    VariableState { variable, options, selection, error, adhoc }
}

#[cfg(test)]
mod tests;
