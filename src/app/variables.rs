//! Template variables in the dashboard: evaluated over the browser's transport by
//! [`crate::data::variables`] (in dependency order, query variables' options cached per page),
//! selections read from and written to the URL (`var-NAME`, repeated for several values), and the
//! pickers above the grid.

use super::location::{UrlState, use_url_state};
use crate::app::catalogue;
use crate::data::variables::{OptionsCache, evaluate_variables};
use crate::prom::client::transport;
use crate::route::{param, param_values, with_repeated_param};
use crate::time::TimeRange;
use crate::variables::AdhocFilter;
use crate::variables::{ALL_VALUE, Variable, VariableKind, VariableOption};
use leptos::prelude::*;
use std::rc::Rc;

pub use crate::variables::{VariableState, adhoc_filters, lookup_from};

/// Evaluates the variables over the browser's transport and the datasources in force
/// ([`evaluate_variables`]).
async fn evaluate(
    variables: Vec<Variable>,
    requested: Vec<Vec<String>>,
    range: TimeRange,
    cache: Rc<OptionsCache>,
) -> Result<Vec<VariableState>, String> {
    evaluate_variables(&transport(), &catalogue::datasources(), variables, requested, range, &cache).await
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
    let cache: Rc<OptionsCache> = Rc::default();
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
