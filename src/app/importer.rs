//! The import page (`/dashboard/import`, as in Grafana): paste JSON, pick a file or drop one; then one
//! control per `__inputs` entry (datasource picker, constant text box) and a uid; then the dashboard
//! opens. Imported dashboards are kept in the browser's storage (see [`super::catalogue`]).

use super::catalogue::{ImportedDashboards, use_imported};
use super::location::use_url_state;
use crate::import::{InputKind, declared_inputs, import_resolving_missing_datasources};
use crate::model::Dashboard;
use crate::route::dashboard_path;
use leptos::prelude::*;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;

/// Reads the text of the first file of a file list.
async fn read_first_file(files: Option<web_sys::FileList>) -> Option<(String, String)> {
    let file = files?.get(0)?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok()?.as_string()?;
    Some((file.name(), text))
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let url = use_url_state();
    let imported = use_imported();
    let (source_name, set_source_name) = signal("pasted JSON".to_string());
    let (text, set_text) = signal(String::new());
    let parsed = Memo::new(move |_| {
        let text = text.get();
        (!text.trim().is_empty())
            .then(|| Dashboard::parse(&source_name.get(), &text).map_err(|e| e.to_string()))
    });
    let values: RwSignal<BTreeMap<String, String>> = RwSignal::new(BTreeMap::new());
    let uid = RwSignal::new(String::new());
    let (error, set_error) = signal(None::<String>);
    // A new file resets the form to its own defaults.
    Effect::new(move |_| {
        let Some(Ok(dashboard)) = parsed.get() else { return };
        let defaults = declared_inputs(dashboard.raw())
            .into_iter()
            .filter_map(|input| match input.kind {
                InputKind::Constant { default_value } => Some((input.name, default_value)),
                InputKind::Datasource { .. } => None,
            })
            .collect();
        values.set(defaults);
        // A Grafana 12 resource's uid is its spec's, else its metadata.name.
        let file_uid = crate::model::classic_document(dashboard.raw())
            .ok()
            .and_then(|classic| classic.get("uid").and_then(|u| u.as_str()).map(str::to_string))
            .unwrap_or_default();
        uid.set(file_uid);
        set_error.set(None);
    });
    let load_file = move |files: Option<web_sys::FileList>| {
        leptos::task::spawn_local(async move {
            match read_first_file(files).await {
                Some((name, content)) => {
                    set_source_name.set(name);
                    set_text.set(content);
                }
                None => set_error.set(Some("That file could not be read as text.".into())),
            }
        });
    };
    let on_file = move |event: leptos::ev::Event| {
        let files = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files());
        load_file(files);
    };
    let on_drop = move |event: leptos::ev::DragEvent| {
        event.prevent_default();
        load_file(event.data_transfer().and_then(|d| d.files()));
    };
    // Importing onto an imported dashboard's uid asks first (Grafana: overwrite or change uid).
    let conflict = RwSignal::new(None::<(String, String)>);
    let catalogue = super::catalogue::use_catalogue();
    let import = move |replace: bool| {
        let Some(Ok(dashboard)) = parsed.get_untracked() else { return };
        let result = import_resolving_missing_datasources(dashboard.raw(), &values.get_untracked());
        let mut document = result.dashboard;
        let document_is_resource = document.get("kind").and_then(|k| k.as_str()) == Some("Dashboard")
            && document.get("spec").is_some_and(|s| s.is_object());
        let chosen_uid = uid.get_untracked().trim().to_string();
        let chosen_uid = if chosen_uid.is_empty() {
            let classic = crate::model::classic_document(&document).ok();
            let title =
                classic.as_ref().and_then(|c| c.get("title").and_then(|t| t.as_str()).map(str::to_string));
            crate::route::slugify(title.as_deref().unwrap_or("imported"))
        } else {
            chosen_uid
        };
        let existing = imported.0.with_untracked(|list| {
            list.iter().find(|d| d.entry.uid == chosen_uid).map(|d| d.entry.title.clone())
        });
        if let Some(title) = existing.filter(|_| !replace) {
            conflict.set(Some((chosen_uid, title)));
            return;
        }
        conflict.set(None);
        // The uid goes where the dashboard keeps it: a resource's spec, else the top level.
        match document.get_mut("spec").and_then(|s| s.as_object_mut()) {
            Some(spec) if document_is_resource => {
                spec.insert("uid".into(), serde_json::Value::from(chosen_uid.clone()));
            }
            _ => {
                document.insert("uid".into(), serde_json::Value::from(chosen_uid.clone()));
            }
        }
        let imported_dashboard = Dashboard::from_raw(document);
        match ImportedDashboards::add(imported, &imported_dashboard) {
            Ok(entry) => url.navigate(&dashboard_path(&entry.uid, &entry.title)),
            Err(message) => set_error.set(Some(message)),
        }
    };
    let on_import = move |_| import(false);
    // "Change uid": the first free `<uid>-N`, then import under it.
    let import_as_new = move |_| {
        let Some((taken, _)) = conflict.get_untracked() else { return };
        let provisioned = catalogue.get_untracked().and_then(Result::ok).unwrap_or_default();
        let is_taken = |candidate: &str| {
            imported.0.with_untracked(|list| list.iter().any(|d| d.entry.uid == candidate))
                || provisioned.dashboards.iter().any(|d| d.entry.uid == candidate)
        };
        let free = (2..).map(|n| format!("{taken}-{n}")).find(|c| !is_taken(c)).unwrap_or_default();
        uid.set(free);
        import(false);
    };
    let conflict_form = move || {
        conflict.get().map(|(taken, title)| view! {
            <div class="import-conflict" role="alert">
                <p>{format!("An imported dashboard already has the uid {taken:?} (“{title}”). Replace it, or import this one under a new uid? Replacing keeps any draft of the old one aside, not applied to the new one.")}</p>
                <button class="import-replace" on:click=move |_| import(true)>"Replace it"</button>
                <button class="import-new-uid" on:click=import_as_new>"Import with a new uid"</button>
            </div>
        })
    };

    let inputs_form = move || {
        let Some(Ok(dashboard)) = parsed.get() else { return None };
        let inputs = declared_inputs(dashboard.raw());
        Some(view! {
            <div class="import-form">
                <label>"UID " <input class="import-uid" prop:value=move || uid.get()
                    on:input=move |e| uid.set(event_target_value(&e)) /></label>
                {inputs.into_iter().map(|input| {
                    let name = input.name.clone();
                    match input.kind {
                        InputKind::Datasource { plugin_id } => view! {
                            <label data-input=name.clone()>{format!("{} ({plugin_id}) ", input.label)}
                                <select class="import-datasource">
                                    <option value="">"Prometheus (default)"</option>
                                </select>
                            </label>
                        }.into_any(),
                        InputKind::Constant { .. } => {
                            let key = name.clone();
                            let read_key = name.clone();
                            view! {
                                <label data-input=name>{format!("{} ", input.label)}
                                    <input class="import-constant"
                                        prop:value=move || values.with(|v| v.get(&read_key).cloned().unwrap_or_default())
                                        on:input=move |e| { let v = event_target_value(&e); values.update(|m| { m.insert(key.clone(), v); }); } />
                                </label>
                            }.into_any()
                        }
                    }
                }).collect_view()}
                <button class="import-submit" on:click=on_import>"Import"</button>
            </div>
        })
    };

    view! {
        <section class="import" data-page="import">
            <h1>"Import dashboard"</h1>
            <div class="drop-zone" on:dragover=|e: leptos::ev::DragEvent| e.prevent_default() on:drop=on_drop>
                <p>"Drop a dashboard JSON file here, " <label class="file-label">"choose one"
                    <input type="file" accept=".json,application/json" class="import-file" on:change=on_file /></label>
                ", or paste it below."</p>
                <textarea class="import-text" placeholder="{ \"title\": … }" prop:value=move || text.get()
                    on:input=move |e| { set_source_name.set("pasted JSON".into()); set_text.set(event_target_value(&e)); }></textarea>
            </div>
            {move || match parsed.get() {
                Some(Err(message)) => Some(view! { <p class="error-banner import-error">{message}</p> }.into_any()),
                Some(Ok(d)) => Some(view! {
                    <p class="muted">{format!("“{}”, {} key(s) at the top level.",
                        d.raw().get("title").and_then(|t| t.as_str()).unwrap_or("Untitled"), d.raw().len())}</p>
                }.into_any()),
                None => None,
            }}
            {inputs_form}
            {conflict_form}
            {move || error.get().map(|message| view! { <p class="error-banner import-error">{message}</p> })}
        </section>
    }
}
