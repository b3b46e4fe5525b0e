//! Template variables in the dashboard: evaluated in dependency order (query variables ask
//! Prometheus through [`crate::prom::client`]), selections read from and written to the URL
//! (`var-NAME`, repeated for several values), and the pickers above the grid.

use super::location::{UrlState, use_url_state};
use crate::app::catalogue;
use crate::prom::client::get_api_data;
use crate::route::{param, param_values, with_repeated_param};
use crate::sorting;
use crate::time::TimeRange;
use crate::variables::AdhocFilter;
use crate::variables::{
    ALL_VALUE, Replacement, SelectionValue, Variable, VariableKind, VariableOption, auto_interval,
    evaluation_order, interpolate, prometheus::parse_variable_query, refine_options, resolve_selection,
    static_options,
};
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

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

/// Query variables' options already fetched on this page, by variable, datasource and query (and
/// range, for those refreshed on time range changes): Grafana queries a refresh-on-load variable
/// once per load, and again only when a variable it uses changes its query.
type OptionsCache = Rc<RefCell<HashMap<String, Vec<VariableOption>>>>;

async fn options_of(
    variable: &Variable,
    states: &[VariableState],
    range: TimeRange,
    cache: &OptionsCache,
) -> Result<Vec<VariableOption>, String> {
    let VariableKind::Query { query, datasource, refresh } = &variable.kind else {
        return Ok(static_options(variable, &catalogue::datasources()));
    };
    let lookup = lookup_from(states);
    let query = interpolate(query, &lookup);
    let registry = catalogue::datasources();
    let resolved = registry.resolve(Some(datasource), &|text| interpolate(text, &lookup));
    let mut key = format!("{}\u{0}{}\u{0}{query}", variable.name, resolved.datasource.uid);
    if *refresh == 2 {
        key.push_str(&format!("\u{0}{}\u{0}{}", range.from_ms, range.to_ms));
    }
    if let Some(options) = cache.borrow().get(&key) {
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
    let data = get_api_data(
        resolved.datasource,
        &api.path,
        &api.params,
        &format!("variable {}: {query}", variable.name),
    )
    .await
    .map_err(|error| error.to_string())?;
    let texts = request
        .options_from_answer(&data)
        .map_err(|message| format!("variable {}: {message}", variable.name))?;
    let options = refine_options(variable, texts).map_err(|error| error.to_string())?;
    cache.borrow_mut().insert(key, options.clone());
    Ok(options)
}

/// Evaluates every variable in dependency order. A cycle fails the whole evaluation, naming it.
async fn evaluate(
    variables: Vec<Variable>,
    requested: Vec<Vec<String>>,
    range: TimeRange,
    cache: OptionsCache,
) -> Result<Vec<VariableState>, String> {
    let order = evaluation_order(&variables).map_err(|error| error.to_string())?;
    let mut states: Vec<VariableState> = Vec::new();
    for index in order {
        let variable = variables[index].clone();
        let (options, error) = match options_of(&variable, &states, range, &cache).await {
            Ok(options) => (options, None),
            Err(message) => (Vec::new(), Some(message)),
        };
        let wanted =
            if requested[index].is_empty() { variable.saved.clone() } else { requested[index].clone() };
        let mut selection = resolve_selection(&variable, &options, &wanted);
        if let VariableKind::Interval { auto_count, auto_min, .. } = &variable.kind {
            // `auto` stands for an interval computed from the time range.
            let auto = format!("$__auto_interval_{}", variable.name);
            for value in &mut selection.values {
                if *value == auto {
                    *value = auto_interval(range.duration_ms(), *auto_count, auto_min);
                }
            }
        }
        let adhoc = match &variable.kind {
            VariableKind::Adhoc { filters } if requested[index].is_empty() => filters.clone(),
            VariableKind::Adhoc { .. } => {
                requested[index].iter().filter_map(|v| AdhocFilter::parse_url_value(v)).collect()
            }
            _ => Vec::new(),
        };
        states.push(VariableState { variable, options, selection, error, adhoc });
    }
    // Back to file order for the pickers.
    sorting::sort_by_key(&mut states, |s| variables.iter().position(|v| v.name == s.variable.name));
    Ok(states)
}

/// The options a dashboard's variable `name` has now, for the variable editor's preview: every
/// variable evaluated in order (so a chained one sees the others' current values), or the error.
pub async fn preview_options(
    variables: Vec<Variable>,
    name: String,
    range: TimeRange,
) -> Result<Vec<String>, String> {
    let requested = vec![Vec::new(); variables.len()];
    let states = evaluate(variables, requested, range, Rc::default()).await?;
    let state = states
        .into_iter()
        .find(|s| s.variable.name == name)
        .ok_or_else(|| format!("no variable {name:?}"))?;
    match state.error {
        Some(error) => Err(error),
        None => Ok(state.options.into_iter().map(|o| o.text).collect()),
    }
}

/// The evaluated variables of a dashboard; re-evaluated when the URL's variables change, and when the
/// time range changes if a variable asks for that (refresh 2).
pub fn use_variables(
    variables: Vec<Variable>,
    range: Memo<Result<TimeRange, String>>,
) -> LocalResource<Result<Vec<VariableState>, String>> {
    let url = use_url_state();
    let variables = StoredValue::new(variables);
    let on_time_change = variables.with_value(|vars| {
        vars.iter()
            .any(|v| matches!(v.kind, VariableKind::Query { refresh: 2, .. } | VariableKind::Interval { .. }))
    });
    let requested = Memo::new(move |_| {
        let search = url.search.get();
        variables.with_value(|vars| {
            vars.iter()
                .map(|v| param_values(&search, &format!("{}{}", param::VARIABLE_PREFIX, v.name)))
                .collect::<Vec<_>>()
        })
    });
    // Query variables use the range when first evaluated; only refresh-on-time-change ones track it.
    let initial_range = range.get_untracked();
    let cache: OptionsCache = Rc::default();
    LocalResource::new(move || {
        let requested = requested.get();
        let range = if on_time_change { range.get() } else { initial_range.clone() };
        let variables = variables.get_value();
        let cache = Rc::clone(&cache);
        async move {
            let range = range.map_err(|message| format!("variables need a valid time range: {message}"))?;
            evaluate(variables, requested, range, cache).await
        }
    })
}

fn write_selection(url: UrlState, name: &str, values: Vec<String>) {
    let search = url.search.get_untracked();
    url.set_query(&with_repeated_param(&search, &format!("{}{name}", param::VARIABLE_PREFIX), &values));
}

/// The variable pickers (Grafana's submenu). Hidden variables (hide = 2) get none.
#[component]
pub fn VariablePickers(states: Signal<Vec<VariableState>>) -> impl IntoView {
    let url = use_url_state();
    let picker = move |state: VariableState| {
        let name = state.variable.name.clone();
        let label = (state.variable.hide == 0).then(|| state.variable.label.clone());
        let error = state.error.clone();
        let control = match &state.variable.kind {
            VariableKind::Adhoc { .. } => adhoc_control(url, name.clone(), state.adhoc.clone()).into_any(),
            VariableKind::Textbox { .. } => {
                let name = name.clone();
                let value = state.selection.values.first().cloned().unwrap_or_default();
                view! {
                    <input class="variable-input" prop:value=value
                        on:change=move |e| write_selection(url, &name, vec![event_target_value(&e)]) />
                }
                .into_any()
            }
            _ => {
                let multi = state.variable.multi;
                // An interval on `auto` shows "auto" (its value is the interval it resolves to).
                let on_auto = matches!(state.variable.kind, VariableKind::Interval { auto: true, .. })
                    && state.selection.texts.first().is_some_and(|t| t == "auto");
                let selected = if state.selection.is_all {
                    vec![ALL_VALUE.to_string()]
                } else if on_auto {
                    vec![format!("$__auto_interval_{}", state.variable.name)]
                } else {
                    state.selection.values.clone()
                };
                let mut options: Vec<VariableOption> = Vec::new();
                if state.variable.include_all {
                    options.push(VariableOption { text: "All".into(), value: ALL_VALUE.into() });
                }
                options.extend(state.options.iter().cloned());
                let name = name.clone();
                let previously_all = state.selection.is_all;
                let on_change = move |event: leptos::ev::Event| {
                    let Some(select) = event
                        .target()
                        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(t).ok())
                    else {
                        return;
                    };
                    // A single choice is done: give the keyboard back to the dashboard's
                    // shortcuts. A multi-value list keeps focus for Shift/Ctrl selection.
                    if !select.multiple() {
                        let _ = select.blur();
                    }
                    let chosen = select.selected_options();
                    let mut values: Vec<String> = (0..chosen.length())
                        .filter_map(|i| chosen.item(i))
                        .filter_map(|o| o.get_attribute("value"))
                        .collect();
                    // As in Grafana: picking All drops the values; picking a value while All is
                    // selected drops All.
                    let had_all = previously_all;
                    let has_all = values.iter().any(|v| v == ALL_VALUE);
                    if has_all && !had_all {
                        values = vec![ALL_VALUE.to_string()];
                    } else if has_all && values.len() > 1 {
                        values.retain(|v| v != ALL_VALUE);
                    }
                    write_selection(url, &name, values);
                };
                view! {
                    <select class="variable-select" multiple=multi on:change=on_change>
                        {options.into_iter().map(|o| {
                            let is_selected = selected.contains(&o.value);
                            view! { <option value=o.value.clone() selected=is_selected>{o.text.clone()}</option> }
                        }).collect_view()}
                    </select>
                }
                .into_any()
            }
        };
        view! {
            <div class="variable" data-variable=name.clone() data-values=state.selection.values.join(",")>
                {label.map(|l| view! { <label class="variable-label">{l}</label> })}
                {control}
                {error.map(|e| {
                    let title = e.clone();
                    view! { <span class="error-text variable-error" title=title>"⚠ "{e}</span> }
                })}
            </div>
        }
    };
    view! {
        <div class="variables">
            {move || states.get().into_iter().filter(|s| s.variable.hide != 2).map(picker).collect_view()}
        </div>
    }
}

/// An ad hoc variable's filters as removable chips, and a form to add one.
fn adhoc_control(url: UrlState, name: String, filters: Vec<AdhocFilter>) -> impl IntoView {
    let write = {
        let name = name.clone();
        move |filters: Vec<AdhocFilter>| {
            write_selection(url, &name, filters.iter().map(AdhocFilter::to_url_value).collect())
        }
    };
    let (key, set_key) = signal(String::new());
    let (operator, set_operator) = signal("=".to_string());
    let (value, set_value) = signal(String::new());
    let chips = filters.iter().enumerate().map(|(index, filter)| {
        let remaining: Vec<AdhocFilter> = filters.iter().enumerate().filter(|(i, _)| *i != index).map(|(_, f)| f.clone()).collect();
        let write = write.clone();
        view! {
            <span class="adhoc-filter" data-filter=filter.to_url_value()>
                {format!("{} {} {}", filter.key, filter.operator, filter.value)}
                <button class="adhoc-remove" aria-label="Remove filter" on:click=move |_| write(remaining.clone())>"✕"</button>
            </span>
        }
    }).collect_view();
    let add = move |_| {
        let new_key = key.get_untracked().trim().to_string();
        if new_key.is_empty() {
            return;
        }
        let mut next = filters.clone();
        next.push(AdhocFilter {
            key: new_key,
            operator: operator.get_untracked(),
            value: value.get_untracked(),
        });
        write(next);
    };
    view! {
        <span class="adhoc">
            {chips}
            <input class="adhoc-key" placeholder="label" prop:value=key on:input=move |e| set_key.set(event_target_value(&e)) />
            <select class="adhoc-operator" on:change=move |e| set_operator.set(event_target_value(&e))>
                {["=", "!=", "=~", "!~"].map(|op| view! { <option value=op>{op}</option> }).collect_view()}
            </select>
            <input class="adhoc-value" placeholder="value" prop:value=value on:input=move |e| set_value.set(event_target_value(&e)) />
            <button class="adhoc-add" on:click=add>"+"</button>
        </span>
    }
}
