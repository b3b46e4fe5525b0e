//! The dashboard's settings views (Grafana's `editview`): general settings, the variables with a
//! preview of their values, and the JSON model, which is checked before it is applied and points
//! at the line and column, or the JSON path, of a problem. Each Apply is one undoable change.

use super::editing::Editing;
use super::location::use_url_state;
use crate::app::catalogue;
use crate::edit::panel::{self as ops, text_of};
use crate::edit::shape;
use crate::model::Dashboard;
use crate::route::{param, with_params};
use crate::time::TimeRange;
use crate::variables;
use crate::view::DashboardView;
use leptos::prelude::*;
use serde_json::{Map, Value, json};

/// The settings view the URL names (`settings`, `variables`, `json`).
#[component]
pub fn SettingsView(view: String, range: Memo<Result<TimeRange, String>>) -> impl IntoView {
    let url = use_url_state();
    let close = move |_| {
        let search = url.search.get_untracked();
        url.set_query(&with_params(&search, &[(param::EDIT_VIEW, None)]));
    };
    let open = move |which: &'static str| {
        let search = url.search.get_untracked();
        url.set_query(&with_params(&search, &[(param::EDIT_VIEW, Some(which))]));
    };
    let body = match view.as_str() {
        "variables" => view! { <VariablesEditor range=range /> }.into_any(),
        "json" => view! { <JsonModelEditor /> }.into_any(),
        _ => view! { <GeneralSettings /> }.into_any(),
    };
    view! {
        <div class="settings-view" role="dialog" aria-label="Dashboard settings" data-editview=view.clone()>
            <div class="settings-tabs">
                <button class="tab-settings" class:active=view == "settings" on:click=move |_| open("settings")>"General"</button>
                <button class="tab-variables" class:active=view == "variables" on:click=move |_| open("variables")>"Variables"</button>
                <button class="tab-json" class:active=view == "json" on:click=move |_| open("json")>"JSON model"</button>
                <span class="spacer"></span>
                <button class="settings-close" on:click=close>"Back to dashboard"</button>
            </div>
            <div class="settings-body">{body}</div>
        </div>
    }
}

/// Sets `path` of the dashboard to `value` (`None`: removes it) as one change.
fn commit_setting(editing: Editing, label: &str, path: &[&str], value: Option<Value>) {
    let mut document = Value::Object(editing.current());
    ops::set_option(&mut document, path, value);
    if let Value::Object(next) = document {
        editing.commit(label, next);
    }
}

#[component]
fn GeneralSettings() -> impl IntoView {
    let editing = expect_context::<Editing>();
    let current = move |path: &[&str]| {
        editing.session.with(|s| text_of(ops::option(&Value::Object(s.current.clone()), path)))
    };
    let text_setting = move |label: &'static str, class: &'static str, path: &'static [&'static str]| {
        view! {
            <label>{label}<input class=class prop:value=move || current(path)
                on:change=move |e| { let v = event_target_value(&e); commit_setting(editing, &format!("Change {}", label.to_lowercase()), path, Some(json!(v))) }/></label>
        }
    };
    let tags = move || {
        editing.session.with(|s| {
            s.current
                .get("tags")
                .and_then(Value::as_array)
                .map(|t| t.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "))
                .unwrap_or_default()
        })
    };
    let set_links = move |text: String| match serde_json::from_str::<Value>(&text) {
        Ok(Value::Array(links)) => {
            commit_setting(editing, "Change links", &["links"], Some(Value::Array(links)))
        }
        _ => editing.status.set(Some("Links: a JSON list is expected; not applied".into())),
    };
    view! {
        <section class="general-settings">
            {text_setting("Title", "set-title", &["title"])}
            {text_setting("Description", "set-description", &["description"])}
            <label>"Tags"<input class="set-tags" placeholder="comma, separated" prop:value=tags
                on:change=move |e| {
                    let tags: Vec<Value> = event_target_value(&e).split(',').map(str::trim).filter(|t| !t.is_empty()).map(|t| json!(t)).collect();
                    commit_setting(editing, "Change tags", &["tags"], Some(Value::Array(tags)))
                }/></label>
            {text_setting("Time from", "set-time-from", &["time", "from"])}
            {text_setting("Time to", "set-time-to", &["time", "to"])}
            {text_setting("Auto refresh", "set-refresh", &["refresh"])}
            <label>"Timezone"<select class="set-timezone" on:change=move |e| commit_setting(editing, "Change timezone", &["timezone"], Some(json!(event_target_value(&e))))>
                {["", "browser", "utc"].into_iter().map(|z| view! { <option value=z selected=move || current(&["timezone"]) == z>{if z.is_empty() { "Default" } else { z }}</option> }).collect_view()}
            </select></label>
            <label>"Graph tooltip"<select class="set-graph-tooltip" on:change=move |e| {
                    let v: i64 = event_target_value(&e).parse().unwrap_or(0);
                    commit_setting(editing, "Change graph tooltip", &["graphTooltip"], Some(json!(v)))
                }>
                {[(0, "Default"), (1, "Shared crosshair"), (2, "Shared tooltip")].into_iter().map(|(v, name)| view! {
                    <option value=v.to_string() selected=move || current(&["graphTooltip"]) == v.to_string() || (v == 0 && current(&["graphTooltip"]).is_empty())>{name}</option>
                }).collect_view()}
            </select></label>
            <label>"Links (JSON list)"<textarea class="set-links" rows="6"
                prop:value=move || editing.session.with(|s| s.current.get("links").map(|l| serde_json::to_string_pretty(l).unwrap_or_default()).unwrap_or_default())
                on:change=move |e| set_links(event_target_value(&e))></textarea></label>
        </section>
    }
}

fn variables_of(document: &Map<String, Value>) -> Vec<Value> {
    document
        .get("templating")
        .and_then(|t| t.get("list"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

#[component]
fn VariablesEditor(range: Memo<Result<TimeRange, String>>) -> impl IntoView {
    let editing = expect_context::<Editing>();
    let selected = editing.variable_index;
    let list = move || editing.session.with(|s| variables_of(&s.current));
    let working = RwSignal::new(list().get(selected.get_untracked()).cloned().unwrap_or(Value::Null));
    let select = move |index: usize| {
        selected.set(index);
        working.set(list().get(index).cloned().unwrap_or(Value::Null));
    };
    let preview = RwSignal::new(None::<Result<Vec<String>, String>>);
    let run_preview = move || {
        let index = selected.get_untracked();
        let mut all = list();
        if let Some(slot) = all.get_mut(index) {
            *slot = working.get_untracked();
        }
        let mut document = editing.current();
        let mut root = Value::Object(document.clone());
        ops::set_option(&mut root, &["templating", "list"], Some(Value::Array(all)));
        if let Value::Object(map) = root {
            document = map;
        }
        let variables = variables::read_variables(&document);
        let name = text_of(working.get_untracked().get("name"));
        let Ok(range) = range.get_untracked() else { return };
        preview.set(None);
        leptos::task::spawn_local(async move {
            preview.set(Some(super::variables::preview_options(variables, name, range).await));
        });
    };
    let apply = move |_| {
        let index = selected.get_untracked();
        let mut all = list();
        match all.get_mut(index) {
            Some(slot) => *slot = working.get_untracked(),
            None => all.push(working.get_untracked()),
        }
        let name = text_of(working.get_untracked().get("name"));
        commit_setting(
            editing,
            &format!("Edit variable {name:?}"),
            &["templating", "list"],
            Some(Value::Array(all)),
        );
    };
    let add = move |_| {
        let mut all = list();
        let name = (1..)
            .map(|n| format!("query{n}"))
            .find(|n| all.iter().all(|v| text_of(v.get("name")) != *n))
            .unwrap_or_default();
        all.push(json!({"name": name, "type": "query", "query": "", "refresh": 1}));
        selected.set(all.len() - 1);
        commit_setting(editing, "Add variable", &["templating", "list"], Some(Value::Array(all)));
    };
    let remove = move |_| {
        let mut all = list();
        let index = selected.get_untracked();
        if index < all.len() {
            all.remove(index);
            selected.set(0);
            commit_setting(editing, "Remove variable", &["templating", "list"], Some(Value::Array(all)));
        }
    };
    let field = move |key: &'static str| working.with(|v| text_of(v.get(key)));
    let set = move |key: &'static str, value: Option<Value>| {
        working.update(|v| ops::set_option(v, &[key], value.clone()))
    };
    // A query variable's query is a string, or `{query, refId}` since Grafana 9: kept in its shape.
    let query_text = move || {
        working.with(|v| match v.get("query") {
            Some(Value::Object(q)) => text_of(q.get("query")),
            other => text_of(other),
        })
    };
    let set_query = move |text: String| {
        working.update(|v| {
            if v.get("query").is_some_and(Value::is_object) {
                ops::set_option(v, &["query", "query"], Some(json!(text.clone())));
            } else {
                ops::set_option(v, &["query"], Some(json!(text.clone())));
            }
        })
    };
    let flag =
        move |key: &'static str| working.with(|v| v.get(key).and_then(Value::as_bool).unwrap_or(false));
    view! {
        <section class="variables-editor">
            // The list and its "+ New variable" share the first column; the form has the second.
            <div class="variable-sidebar">
                <ul class="variable-list">
                    {move || list().into_iter().enumerate().map(|(index, variable)| view! {
                        <li><button class="variable-item" class:active=move || selected.get() == index data-variable=text_of(variable.get("name"))
                            on:click=move |_| select(index)>{format!("${} ({})", text_of(variable.get("name")), text_of(variable.get("type")))}</button></li>
                    }).collect_view()}
                </ul>
                <button class="variable-add" on:click=add>"+ New variable"</button>
            </div>
            <Show when=move || working.with(|v| !v.is_null())>
                <div class="variable-form">
                    <label>"Name"<input class="var-name" prop:value=move || field("name") on:change=move |e| set("name", Some(json!(event_target_value(&e))))/></label>
                    <label>"Label"<input class="var-label" prop:value=move || field("label") on:change=move |e| { let v = event_target_value(&e); set("label", (!v.is_empty()).then(|| json!(v))) }/></label>
                    <label>"Type"<select class="var-type" on:change=move |e| set("type", Some(json!(event_target_value(&e))))>
                        {["query", "custom", "constant", "textbox", "interval", "datasource", "adhoc"].into_iter().map(|t| view! { <option value=t selected=move || field("type") == t>{t}</option> }).collect_view()}
                    </select></label>
                    <label>"Query"<textarea class="var-query" rows="2" prop:value=query_text on:change=move |e| set_query(event_target_value(&e))></textarea></label>
                    <label>"Regex"<input class="var-regex" prop:value=move || field("regex") on:change=move |e| { let v = event_target_value(&e); set("regex", (!v.is_empty()).then(|| json!(v))) }/></label>
                    <label>"Refresh"<select class="var-refresh" on:change=move |e| set("refresh", Some(json!(event_target_value(&e).parse::<i64>().unwrap_or(1))))>
                        {[(1, "On dashboard load"), (2, "On time range change")].into_iter().map(|(v, name)| view! { <option value=v.to_string() selected=move || field("refresh") == v.to_string()>{name}</option> }).collect_view()}
                    </select></label>
                    <label>"Hide"<select class="var-hide" on:change=move |e| set("hide", Some(json!(event_target_value(&e).parse::<i64>().unwrap_or(0))))>
                        {[(0, "Nothing"), (1, "Label"), (2, "Variable")].into_iter().map(|(v, name)| view! { <option value=v.to_string() selected=move || field("hide") == v.to_string() || (v == 0 && field("hide").is_empty())>{name}</option> }).collect_view()}
                    </select></label>
                    <label class="inline"><input type="checkbox" class="var-multi" prop:checked=move || flag("multi") on:change=move |e| set("multi", Some(json!(event_target_checked(&e))))/>"Multi-value"</label>
                    <label class="inline"><input type="checkbox" class="var-include-all" prop:checked=move || flag("includeAll") on:change=move |e| set("includeAll", Some(json!(event_target_checked(&e))))/>"Include All"</label>
                    <div class="variable-actions">
                        <button class="var-preview" on:click=move |_| run_preview()>"Preview values"</button>
                        <button class="var-apply primary" on:click=apply>"Apply"</button>
                        <button class="var-remove" on:click=remove>"Remove"</button>
                    </div>
                    {move || preview.get().map(|result| match result {
                        Ok(values) => { let count = values.len().to_string(); view! {
                            <div class="variable-preview" data-count=count>
                                <strong>"Values: "</strong>
                                {values.into_iter().take(50).map(|v| view! { <span class="preview-value">{v}</span> }).collect_view()}
                            </div>
                        }.into_any() }
                        Err(message) => view! { <p class="error-text variable-preview-error">{message}</p> }.into_any(),
                    })}
                </div>
            </Show>
        </section>
    }
}

/// A JSON model checked: the document, and what the view could not use in it (by JSON path) —
/// shown, as when a file is loaded, but not a reason to refuse it. Invalid JSON, a root that is
/// not an object, or a container of the wrong type (`panels: {}`, `gridPos: "oops"`,
/// `templating.list: 5`: the panels or variables would vanish) is refused with its line and
/// column or JSON path.
pub fn checked_json_model(text: &str) -> Result<(Map<String, Value>, Vec<String>), String> {
    let model = Dashboard::parse("JSON model", text).map_err(|e| e.to_string())?;
    let problems = shape::shape_problems(model.raw());
    if !problems.is_empty() {
        return Err(format!("Not applied: {}", problems.join("; ")));
    }
    let view = DashboardView::from_model(&model, &catalogue::datasources());
    let notes = view.notices.iter().map(|n| format!("at {}: {}", n.json_path, n.message)).collect();
    Ok((model.raw().clone(), notes))
}

#[component]
fn JsonModelEditor() -> impl IntoView {
    let editing = expect_context::<Editing>();
    let text = RwSignal::new(editing.session.with_untracked(|s| {
        serde_json::to_string_pretty(&Value::Object(s.current.clone())).unwrap_or_default()
    }));
    let problem = RwSignal::new(None::<String>);
    let apply = move |_| match checked_json_model(&text.get_untracked()) {
        Ok((document, notes)) => {
            problem.set(
                (!notes.is_empty()).then(|| format!("Applied; not usable as written: {}", notes.join("; "))),
            );
            editing.commit("Edit JSON model", document);
        }
        Err(message) => problem.set(Some(message)),
    };
    view! {
        <section class="json-model">
            <p class="muted">"The dashboard as JSON. It is checked before it is applied; nothing changes while it has a problem."</p>
            <textarea class="json-model-text" rows="30" spellcheck="false" prop:value=move || text.get() on:input=move |e| text.set(event_target_value(&e))></textarea>
            {move || problem.get().map(|p| view! { <p class="error-text json-model-problem" role="alert">{p}</p> })}
            <button class="json-apply primary" on:click=apply>"Apply"</button>
        </section>
    }
}
