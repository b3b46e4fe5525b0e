//! The import page (`/dashboard/import`, as in Grafana): paste JSON, pick a file or drop one; then one
//! control per `__inputs` entry (datasource picker, constant text box) and a uid; then the dashboard
//! opens. A dashboard on grafana.com comes in by its id or URL when this server proxies grafana.com
//! (`deploy/provisioning/grafana-com.nginx.conf.example`). Several files chosen or dropped at once are imported together: each input is asked once
//! where the files agree, and a summary says what was imported, skipped (a uid already taken) or
//! broken. Imported dashboards are kept in the browser's storage (see [`super::catalogue`]).

use super::catalogue::{ImportedDashboards, use_imported};
use super::location::use_url_state;
use crate::import::batch;
use crate::import::grafana_com::GrafanaComDashboard;
use crate::import::{ImportInput, InputKind, declared_inputs, import_resolving_missing_datasources};
use crate::model;
use crate::model::Dashboard;
use crate::model::v2;
use crate::route;
use crate::route::dashboard_path;
use leptos::prelude::*;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;

/// Reads every file of a file list: its name and its text, or why it could not be read.
async fn read_all_files(files: web_sys::FileList) -> Vec<(String, Result<String, String>)> {
    let mut read = Vec::new();
    for index in 0..files.length() {
        let Some(file) = files.get(index) else { continue };
        let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string());
        read.push((file.name(), text.ok_or_else(|| "could not be read as text".to_string())));
    }
    read
}

/// The dashboard's uid (a Grafana 12 resource keeps it in its spec, else in metadata.name).
fn uid_of(document: &serde_json::Map<String, serde_json::Value>) -> Option<String> {
    let classic = model::classic_document(document);
    classic.get("uid").and_then(|u| u.as_str()).filter(|u| !u.is_empty()).map(str::to_string)
}

/// The dashboard's title, for a uid made from it.
fn title_of(document: &serde_json::Map<String, serde_json::Value>) -> Option<String> {
    let classic = model::classic_document(document);
    classic.get("title").and_then(|t| t.as_str()).map(str::to_string)
}

/// Writes `uid` where the dashboard keeps it: a resource's spec, else the top level.
fn set_uid(document: &mut serde_json::Map<String, serde_json::Value>, uid: &str) {
    let is_resource = document.get("kind").and_then(|k| k.as_str()) == Some("Dashboard");
    let is_v2 = v2::is_v2(document);
    match document.get_mut("spec").and_then(|s| s.as_object_mut()) {
        // A v2 resource is named by its metadata (its spec has no uid).
        Some(_) if is_resource && is_v2 => {
            if let Some(metadata) = document.get_mut("metadata").and_then(|m| m.as_object_mut()) {
                metadata.insert("name".into(), serde_json::Value::from(uid));
            } else {
                document.insert("metadata".into(), serde_json::json!({ "name": uid }));
            }
        }
        Some(spec) if is_resource => {
            spec.insert("uid".into(), serde_json::Value::from(uid));
        }
        _ => {
            document.insert("uid".into(), serde_json::Value::from(uid));
        }
    }
}

/// One input's control: a datasource picker (the default datasource; `${DS_…}` left unanswered
/// resolves to it) or a text box for a constant, its answer kept in `answers` under `key`.
fn input_field(
    key: String,
    label: String,
    input: &ImportInput,
    answers: RwSignal<BTreeMap<String, String>>,
) -> AnyView {
    match &input.kind {
        InputKind::Datasource { plugin_id } => view! {
            <label data-input=key>{format!("{label} ({plugin_id}) ")}
                <select class="import-datasource"><option value="">"Prometheus (default)"</option></select>
            </label>
        }
        .into_any(),
        InputKind::Constant { .. } => {
            let (read_key, write_key) = (key.clone(), key.clone());
            view! {
                <label data-input=key>{format!("{label} ")}
                    <input class="import-constant"
                        prop:value=move || answers.with(|a| a.get(&read_key).cloned().unwrap_or_default())
                        on:input=move |e| { let v = event_target_value(&e); answers.update(|a| { a.insert(write_key.clone(), v); }); } />
                </label>
            }
            .into_any()
        }
    }
}

/// What happened to one file of a batch.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Imported { uid: String, title: String },
    Skipped(String),
    Broken(String),
}

/// Downloads a dashboard from grafana.com through this server (never another origin).
async fn fetch_grafana_com(wanted: GrafanaComDashboard) -> Result<String, String> {
    let path = wanted.download_path();
    let response = gloo_net::http::Request::get(&path)
        .send()
        .await
        .map_err(|error| format!("cannot fetch {path}: {error}; is this server reachable?"))?;
    let is_html = response.headers().get("content-type").is_some_and(|t| t.contains("text/html"));
    if let Some(problem) = wanted.problem(response.status(), is_html) {
        return Err(problem);
    }
    response.text().await.map_err(|error| format!("cannot read {path}: {error}"))
}

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
        let file_uid = uid_of(dashboard.raw()).unwrap_or_default();
        uid.set(file_uid);
        set_error.set(None);
    });
    // Several files at once: each with its document or why it cannot be imported.
    let batch = RwSignal::new(None::<Vec<(String, Result<Dashboard, String>)>>);
    let batch_answers: RwSignal<BTreeMap<String, String>> = RwSignal::new(BTreeMap::new());
    let summary = RwSignal::new(None::<Vec<(String, Outcome)>>);
    let load_file = move |files: Option<web_sys::FileList>| {
        if let Some(many) = files.clone().filter(|f| f.length() > 1) {
            leptos::task::spawn_local(async move {
                let read: Vec<(String, Result<Dashboard, String>)> = read_all_files(many)
                    .await
                    .into_iter()
                    .map(|(name, text)| {
                        let parsed =
                            text.and_then(|text| Dashboard::parse(&name, &text).map_err(|e| e.to_string()));
                        (name, parsed)
                    })
                    .collect();
                let documents: Vec<(String, serde_json::Map<String, serde_json::Value>)> = read
                    .iter()
                    .filter_map(|(name, parsed)| Some((name.clone(), parsed.as_ref().ok()?.raw().clone())))
                    .collect();
                batch_answers.set(batch::default_answers(&batch::questions(&documents)));
                summary.set(None);
                set_text.set(String::new());
                batch.set(Some(read));
            });
            return;
        }
        batch.set(None);
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
    // Uids are checked against every provisioned file: read them all while importing.
    super::catalogue::need_catalogue("importer", true);
    on_cleanup(|| super::catalogue::need_catalogue("importer", false));
    let import = move |replace: bool| {
        let Some(Ok(dashboard)) = parsed.get_untracked() else { return };
        let result = import_resolving_missing_datasources(dashboard.raw(), &values.get_untracked());
        let mut document = result.dashboard;
        let chosen_uid = uid.get_untracked().trim().to_string();
        let chosen_uid = if chosen_uid.is_empty() {
            route::slugify(title_of(&document).as_deref().unwrap_or("imported"))
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
        set_uid(&mut document, &chosen_uid);
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
        let provisioned = catalogue.get_untracked();
        let is_taken = |candidate: &str| {
            imported.0.with_untracked(|list| list.iter().any(|d| d.entry.uid == candidate))
                || provisioned.dashboards.iter().any(|d| d.entry.uid == candidate)
        };
        let free = (2..).map(|n| format!("{taken}-{n}")).find(|c| !is_taken(c)).unwrap_or_default();
        uid.set(free);
        import(false);
    };
    // Imports every readable file of the batch; a uid already imported or provisioned (or taken
    // by an earlier file of the batch) is skipped, never replaced.
    let import_all = move |_| {
        let Some(files) = batch.get_untracked() else { return };
        let documents: Vec<(String, serde_json::Map<String, serde_json::Value>)> = files
            .iter()
            .filter_map(|(name, parsed)| Some((name.clone(), parsed.as_ref().ok()?.raw().clone())))
            .collect();
        let questions = batch::questions(&documents);
        let answers = batch_answers.get_untracked();
        let provisioned = catalogue.get_untracked();
        let mut taken: Vec<String> = provisioned.dashboards.iter().map(|d| d.entry.uid.clone()).collect();
        taken.extend(
            imported.0.with_untracked(|list| list.iter().map(|d| d.entry.uid.clone()).collect::<Vec<_>>()),
        );
        let mut outcomes = Vec::new();
        for (name, parsed) in files {
            let outcome = match parsed {
                Err(message) => Outcome::Broken(message),
                Ok(dashboard) => {
                    let values = batch::answers_for(&name, &questions, &answers);
                    let mut document =
                        import_resolving_missing_datasources(dashboard.raw(), &values).dashboard;
                    let uid = uid_of(&document).unwrap_or_else(|| {
                        route::slugify(
                            title_of(&document).as_deref().unwrap_or(name.trim_end_matches(".json")),
                        )
                    });
                    if taken.contains(&uid) {
                        Outcome::Skipped(format!("a dashboard with the uid {uid:?} is already here"))
                    } else {
                        set_uid(&mut document, &uid);
                        taken.push(uid.clone());
                        match ImportedDashboards::add(imported, &Dashboard::from_raw(document)) {
                            Ok(entry) => Outcome::Imported { uid: entry.uid, title: entry.title },
                            Err(message) => Outcome::Broken(message),
                        }
                    }
                }
            };
            outcomes.push((name, outcome));
        }
        batch.set(None);
        summary.set(Some(outcomes));
    };
    let batch_form = move || {
        let files = batch.get()?;
        let documents: Vec<(String, serde_json::Map<String, serde_json::Value>)> = files
            .iter()
            .filter_map(|(name, parsed)| Some((name.clone(), parsed.as_ref().ok()?.raw().clone())))
            .collect();
        let questions = batch::questions(&documents);
        Some(view! {
            <div class="import-batch">
                <p>{format!("{} files; inputs the files share are asked once.", files.len())}</p>
                <ul class="import-batch-files">
                    {files.iter().map(|(name, parsed)| match parsed {
                        Ok(d) => view! { <li data-file=name.clone()>{format!("{name}: “{}”", title_of(d.raw()).unwrap_or_default())}</li> }.into_any(),
                        Err(message) => view! { <li data-file=name.clone() class="error-text">{format!("{name}: {message}")}</li> }.into_any(),
                    }).collect_view()}
                </ul>
                {questions.into_iter().map(|question| {
                    // A question asked per file names its file; a shared one reads as in one file.
                    let label = if question.key == question.input.name { question.input.label.clone() } else { question.key.clone() };
                    input_field(question.key.clone(), label, &question.input, batch_answers)
                }).collect_view()}
                <button class="import-all import-submit" on:click=import_all>"Import all"</button>
            </div>
        })
    };
    let summary_view = move || {
        let outcomes = summary.get()?;
        let count = |wanted: fn(&Outcome) -> bool| outcomes.iter().filter(|(_, o)| wanted(o)).count();
        let heading = format!(
            "Imported {}, skipped {}, broken {}.",
            count(|o| matches!(o, Outcome::Imported { .. })),
            count(|o| matches!(o, Outcome::Skipped(_))),
            count(|o| matches!(o, Outcome::Broken(_)))
        );
        Some(view! {
            <div class="import-summary" role="status">
                <p>{heading}</p>
                <ul>
                    {outcomes.into_iter().map(|(name, outcome)| match outcome {
                        Outcome::Imported { uid, title } => view! {
                            <li data-outcome="imported" data-file=name.clone()>
                                <super::location::Link href=dashboard_path(&uid, &title) class="dashboard-link">{title.clone()}</super::location::Link>
                                {format!(" ({name})")}
                            </li>
                        }.into_any(),
                        Outcome::Skipped(why) => view! { <li data-outcome="skipped" data-file=name.clone()>{format!("{name}: skipped, {why}")}</li> }.into_any(),
                        Outcome::Broken(why) => view! { <li data-outcome="broken" data-file=name.clone() class="error-text">{format!("{name}: {why}")}</li> }.into_any(),
                    }).collect_view()}
                </ul>
            </div>
        })
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
                    input_field(name, input.label.clone(), &input, values)
                }).collect_view()}
                <button class="import-submit" on:click=on_import>"Import"</button>
            </div>
        })
    };

    // grafana.com by id or URL, through this server's optional proxy location.
    let grafana_com = RwSignal::new(String::new());
    let fetching = RwSignal::new(false);
    let load_from_grafana_com = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let wanted = match GrafanaComDashboard::parse(&grafana_com.get_untracked()) {
            Ok(wanted) => wanted,
            Err(message) => return set_error.set(Some(message)),
        };
        fetching.set(true);
        set_error.set(None);
        leptos::task::spawn_local(async move {
            match fetch_grafana_com(wanted).await {
                Ok(content) => {
                    batch.set(None);
                    set_source_name.set(format!("grafana.com dashboard {}", wanted.id));
                    set_text.set(content);
                }
                Err(message) => set_error.set(Some(message)),
            }
            fetching.set(false);
        });
    };

    view! {
        <section class="import" data-page="import">
            <h1>"Import dashboard"</h1>
            <form class="import-grafana-com" on:submit=load_from_grafana_com>
                <label>"From grafana.com " <input class="import-gcom-id" placeholder="1860 or https://grafana.com/grafana/dashboards/1860-node-exporter-full/"
                    prop:value=move || grafana_com.get() on:input=move |e| grafana_com.set(event_target_value(&e)) /></label>
                <button type="submit" class="import-gcom-load" prop:disabled=move || fetching.get()>
                    {move || if fetching.get() { "Loading…" } else { "Load" }}
                </button>
            </form>
            <div class="drop-zone" on:dragover=|e: leptos::ev::DragEvent| e.prevent_default() on:drop=on_drop>
                <p>"Drop dashboard JSON files here, " <label class="file-label">"choose them"
                    <input type="file" multiple=true accept=".json,application/json" class="import-file" on:change=on_file /></label>
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
            {batch_form}
            {summary_view}
            {move || error.get().map(|message| view! { <p class="error-banner import-error">{message}</p> })}
        </section>
    }
}
