//! The PromQL field of the panel editor: the query highlighted and checked as it is typed,
//! completed from the panel's Prometheus (metric names, label names, label values; picked with the
//! mouse or ↑/↓ and Enter/Tab), with a metric's help. It writes the query into the editor's
//! working copy when the field is left or a completion is chosen.

use crate::app::catalogue;
use crate::edit::panel::{self as ops, text_of};
use crate::prom::client;
use crate::query::promql_assist;
use crate::query::promql_assist::{Completion, Token, complete, completion_at, syntax_problem, tokens};
use leptos::prelude::*;
use serde_json::{Value, json};

/// Metric names, label names and values from the panel's Prometheus, for completion.
async fn suggestions(completion: Completion) -> Vec<String> {
    let registry = catalogue::datasources();
    let datasource = registry.default_datasource().clone();
    let (path, params) = match &completion {
        Completion::Metric { .. } => ("/api/v1/label/__name__/values".to_string(), Vec::new()),
        Completion::LabelName { metric, .. } if !metric.is_empty() => {
            ("/api/v1/labels".to_string(), vec![("match[]".to_string(), metric.clone())])
        }
        Completion::LabelName { .. } => ("/api/v1/labels".to_string(), Vec::new()),
        Completion::LabelValue { metric, label, .. } => {
            let params =
                if metric.is_empty() { Vec::new() } else { vec![("match[]".to_string(), metric.clone())] };
            (format!("/api/v1/label/{label}/values"), params)
        }
        Completion::Nothing => return Vec::new(),
    };
    let prefix = match &completion {
        Completion::Metric { prefix }
        | Completion::LabelName { prefix, .. }
        | Completion::LabelValue { prefix, .. } => prefix.clone(),
        Completion::Nothing => String::new(),
    };
    let names = client::get_api_data(&datasource, &path, &params, "completion").await.ok();
    let mut found: Vec<String> = names
        .as_ref()
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|name| name.starts_with(prefix.as_str()) && *name != prefix)
        .take(12)
        .map(str::to_string)
        .collect();
    found.sort();
    found
}

/// The help text Prometheus has for a metric (`/api/v1/metadata`).
async fn metric_help(metric: String) -> Option<String> {
    let datasource = catalogue::datasources().default_datasource().clone();
    let data = client::get_api_data(
        &datasource,
        "/api/v1/metadata",
        &[("metric".into(), metric.clone())],
        "metadata",
    )
    .await
    .ok()?;
    let entry = data.get(&metric)?.get(0)?;
    Some(format!("{metric} ({}): {}", text_of(entry.get("type")), text_of(entry.get("help"))))
}

fn token_class(token: Token) -> &'static str {
    match token {
        Token::Name => "tok-name",
        Token::Keyword => "tok-keyword",
        Token::Function => "tok-function",
        Token::String => "tok-string",
        Token::Number => "tok-number",
        Token::Duration => "tok-duration",
        Token::Operator => "tok-operator",
        Token::Bracket => "tok-bracket",
        Token::Space => "tok-space",
        Token::Comment => "tok-comment",
        Token::Variable => "tok-variable",
    }
}

/// The query's expression: highlighted, checked as it is typed, completed from Prometheus. The
/// working copy (and so the preview) changes when the field is left or a completion is chosen.
#[component]
pub fn PromqlEditor(working: RwSignal<Value>, index: usize) -> impl IntoView {
    let initial = working.with_untracked(|p| text_of(ops::targets(p).get(index).and_then(|t| t.get("expr"))));
    let text = RwSignal::new(initial);
    let cursor = RwSignal::new(0_usize);
    let offered = RwSignal::new(Vec::<String>::new());
    let help = RwSignal::new(None::<String>);
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    let write = move || {
        let expr = text.get_untracked();
        working.update(|p| ops::set_query_field(p, index, "expr", Some(json!(expr.clone()))));
    };
    // The highlighted suggestion (↑/↓ move it, Enter or Tab takes it).
    let active = RwSignal::new(0_usize);
    // Answers can come back out of order (metric names are a bigger list than a metric's labels):
    // only the answer to the latest keystroke is shown.
    let asked = StoredValue::new(0_u64);
    let refresh_suggestions = move || {
        let completion = completion_at(&text.get_untracked(), cursor.get_untracked());
        asked.update_value(|n| *n += 1);
        let ticket = asked.get_value();
        leptos::task::spawn_local(async move {
            let found = suggestions(completion).await;
            if asked.try_get_value() == Some(ticket) {
                active.set(0);
                offered.set(found);
            }
        });
    };
    let on_input = move |e: leptos::ev::Event| {
        let value = event_target_value(&e);
        // The browser counts UTF-16 units; the assist works in bytes.
        if let Some(area) = textarea.get_untracked() {
            let units = area.selection_start().ok().flatten().unwrap_or(0) as usize;
            cursor.set(promql_assist::byte_offset(&value, units));
        }
        text.set(value);
        refresh_suggestions();
    };
    let choose = move |choice: String| {
        let completion = completion_at(&text.get_untracked(), cursor.get_untracked());
        let (next, at) = complete(&text.get_untracked(), cursor.get_untracked(), &completion, &choice);
        text.set(next);
        cursor.set(at);
        offered.set(Vec::new());
        if matches!(completion, Completion::Metric { .. }) {
            leptos::task::spawn_local(async move { help.set(metric_help(choice).await) });
        }
        write();
        if let Some(area) = textarea.get_untracked() {
            let _ = area.focus();
            let units = text.with_untracked(|t| promql_assist::utf16_offset(t, at)) as u32;
            let _ = area.set_selection_range(units, units);
        }
    };
    let on_keydown = move |e: leptos::ev::KeyboardEvent| {
        let count = offered.with_untracked(Vec::len);
        match e.key().as_str() {
            "Enter" if e.shift_key() || e.ctrl_key() => {
                e.prevent_default();
                write();
            }
            "ArrowDown" if count > 0 => {
                e.prevent_default();
                active.update(|a| *a = (*a + 1) % count);
            }
            "ArrowUp" if count > 0 => {
                e.prevent_default();
                active.update(|a| *a = (*a + count - 1) % count);
            }
            "Enter" | "Tab" if count > 0 => {
                e.prevent_default();
                if let Some(choice) = offered.with_untracked(|o| o.get(active.get_untracked()).cloned()) {
                    choose(choice);
                }
            }
            "Escape" if count > 0 => {
                // Closes the list only; the editor stays open.
                e.prevent_default();
                e.stop_propagation();
                offered.set(Vec::new());
            }
            _ => {}
        }
    };
    let problem = move || text.with(|t| syntax_problem(t));
    view! {
        <div class="promql-editor">
            <textarea node_ref=textarea class="query-expr" rows="2" spellcheck="false" prop:value=move || text.get()
                on:input=on_input on:change=move |_| write() on:blur=move |_| offered.set(Vec::new())
                on:keydown=on_keydown></textarea>
            <pre class="promql-highlight" aria-hidden="true">
                {move || text.with(|t| tokens(t).into_iter().map(|(kind, piece)| view! { <span class=token_class(kind)>{piece.to_string()}</span> }).collect_view())}
            </pre>
            {move || problem().map(|(at, message)| view! { <p class="promql-problem error-text" data-offset=at>{format!("At character {}: {message}", at + 1)}</p> })}
            <Show when=move || !offered.get().is_empty()>
                <ul class="promql-suggestions" role="listbox">
                    {move || offered.get().into_iter().enumerate().map(|(index, choice)| {
                        let label = choice.clone();
                        view! { <li><button class="promql-suggestion" role="option" tabindex="-1"
                            class:active=move || active.get() == index aria-selected=move || (active.get() == index).to_string()
                            on:mousedown=move |e| { e.prevent_default(); choose(choice.clone()) }>{label}</button></li> }
                    }).collect_view()}
                </ul>
            </Show>
            {move || help.get().map(|h| view! { <p class="promql-help muted">{h}</p> })}
        </div>
    }
}
