//! The export dialog: the dashboard as is (the raw model, unedited), upgraded to the latest schema,
//! or prepared for sharing externally; each shown, downloadable and copyable. On a dashboard of
//! megabytes each of writing the text, its download link and the list of changes takes a while:
//! they are made in browser tasks of their own after the dialog opens (issue 19: no task over
//! 200 ms), and the text box says which export it holds (`data-export-kind`) once it is there.

use crate::app::catalogue;
use crate::edit;
use crate::export;
use crate::export::{migrate_to, preview};
use crate::migrate;
use crate::migrate::LATEST_SCHEMA_VERSION;
use crate::model;
use crate::route::slugify;
use leptos::prelude::*;
use serde_json::{Map, Value};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    AsIs,
    Upgraded,
    /// Grafana's schema v2 (`dashboard.grafana.app/v2beta1`), Grafana 12's dynamic dashboards.
    SchemaV2,
    ForSharing,
}

impl ExportKind {
    const ALL: [ExportKind; 4] =
        [ExportKind::AsIs, ExportKind::Upgraded, ExportKind::SchemaV2, ExportKind::ForSharing];

    fn label(self) -> &'static str {
        match self {
            ExportKind::AsIs => "As is",
            ExportKind::Upgraded => "Upgraded",
            ExportKind::SchemaV2 => "Schema v2",
            ExportKind::ForSharing => "For sharing externally",
        }
    }

    fn id(self) -> &'static str {
        match self {
            ExportKind::AsIs => "as-is",
            ExportKind::Upgraded => "upgraded",
            ExportKind::SchemaV2 => "schema-v2",
            ExportKind::ForSharing => "for-sharing",
        }
    }

    /// The exported JSON text of `document` (read from `file_text`, when it came from a file), and
    /// what the format could not carry over.
    pub fn render(self, file_text: Option<&str>, document: &Map<String, Value>) -> (String, Vec<String>) {
        let datasources = catalogue::datasources();
        let classic = || migrate_to(document, None, &datasources);
        match self {
            ExportKind::AsIs => (model::file_text_of(file_text, document), Vec::new()),
            ExportKind::Upgraded => {
                let (upgraded, losses) = classic();
                (pretty(upgraded), losses)
            }
            ExportKind::SchemaV2 => {
                let (v2, losses) = migrate_to(document, Some(V2_API_VERSION), &datasources);
                (pretty(v2), losses)
            }
            ExportKind::ForSharing => {
                let (upgraded, losses) = classic();
                (pretty(export::for_sharing(&upgraded, &datasources)), losses)
            }
        }
    }
}

/// The v2 API version a classic dashboard is exported as.
const V2_API_VERSION: &str = "dashboard.grafana.app/v2beta1";

fn pretty(document: serde_json::Map<String, Value>) -> String {
    serde_json::to_string_pretty(&Value::Object(document)).unwrap_or_default()
}

/// The most of an export the dialog shows: a browser takes seconds to lay out megabytes of text
/// in a text box (15 s for a 6.5 MB dashboard), and nobody reads that much there.
const PREVIEW_BYTES: usize = 512 * 1024;

/// A `blob:` URL holding `text`, for a download link; revoked when the dialog closes.
fn blob_url(text: &str) -> Option<String> {
    blob_url_of(text, "application/json")
}

/// A `blob:` URL holding `text` of the MIME type `mime`.
pub fn blob_url_of(text: &str, mime: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

#[component]
pub fn ExportButton(title: String) -> impl IntoView {
    let title = StoredValue::new(title);
    let (open, set_open) = signal(false);
    let (kind, set_kind) = signal(ExportKind::AsIs);
    let (copied, set_copied) = signal(false);
    let editing = expect_context::<super::editing::Editing>();
    // What the dialog shows: the export of `kind` (its text and losses), its download link and the
    // changes from the file, each made in a task of its own. A newer opening, kind or edit makes
    // an older one's results stale (`generation`).
    let rendered = RwSignal::new(None::<(ExportKind, Arc<str>, Vec<String>)>);
    let changes = RwSignal::new(None::<Vec<(String, Option<String>, Option<String>)>>);
    let download_url = RwSignal::new(None::<String>);
    let generation = StoredValue::new(0_u64);
    let set_download_url = move |url: Option<String>| {
        if let Some(Some(old)) = download_url.try_get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&old);
        }
        download_url.try_set(url);
    };
    Effect::new(move |_| {
        let (open, kind) = (open.get(), kind.get());
        // The session's current document changes under an open dialog: export what it is now.
        editing.session.track();
        generation.update_value(|g| *g += 1);
        let this = generation.get_value();
        rendered.set(None);
        set_download_url(None);
        changes.set(None);
        if !open {
            return;
        }
        let current = move || generation.try_get_value() == Some(this);
        leptos::task::spawn_local(async move {
            let next_task = || gloo_timers::future::TimeoutFuture::new(0);
            next_task().await;
            if !current() {
                return;
            }
            // The session's document itself (a copy of megabytes would cost as much as writing).
            let (text, losses) = editing
                .session
                .with_untracked(|s| editing.with_file_text(|file_text| kind.render(file_text, &s.current)));
            let text: Arc<str> = Arc::from(text);
            rendered.try_set(Some((kind, text.clone(), losses)));
            next_task().await;
            if !current() {
                return;
            }
            set_download_url(blob_url(&text));
            next_task().await;
            if !current() {
                return;
            }
            let described =
                editing.session.with_untracked(|s| edit::describe(&edit::diff(&s.original, &s.current)));
            changes.try_set(Some(described));
        });
    });
    let losses =
        move || rendered.with(|r| r.as_ref().map(|(_, _, losses)| losses.clone()).unwrap_or_default());
    let file_name = move || {
        let suffix = match kind.get() {
            ExportKind::AsIs => "",
            ExportKind::Upgraded => "-upgraded",
            ExportKind::SchemaV2 => "-v2",
            ExportKind::ForSharing => "-for-sharing",
        };
        format!("{}{suffix}.json", title.with_value(|t| slugify(t)))
    };
    let copy = move |_| {
        let Some(text) = rendered.with_untracked(|r| r.as_ref().map(|(_, text, _)| text.clone())) else {
            return;
        };
        let clipboard = window().navigator().clipboard();
        let promise = clipboard.write_text(&text);
        leptos::task::spawn_local(async move {
            let done = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            set_copied.set(done);
        });
    };
    // A `rows[]` file is edited in its upgraded form (as Grafana saves it): say so before export.
    let schema_note = move || {
        editing.session.with(|s| {
            (edit::is_legacy_rows(&s.original) && !edit::is_legacy_rows(&s.current)).then(|| {
                format!(
                    "The file keeps its panels in rows[] (schema {}); with your changes it is written in the current schema ({}), with panels on the grid, as Grafana saves it.",
                    migrate::schema_version(&s.original),
                    LATEST_SCHEMA_VERSION
                )
            })
        })
    };
    view! {
        <button class="export" on:click=move |_| set_open.update(|o| *o = !*o)>"Export"</button>
        <Show when=move || open.get()>
            <div class="dialog export-dialog" role="dialog" aria-label="Export dashboard">
                {move || schema_note().map(|note| view! { <p class="export-schema-note">{note}</p> })}
                {move || {
                    let losses = losses();
                    (!losses.is_empty()).then(|| view! {
                        <div class="export-losses"><p>"Not carried over to this format:"</p>
                            <ul>{losses.into_iter().map(|loss| view! { <li>{loss}</li> }).collect_view()}</ul>
                        </div>
                    })
                }}
                {move || changes.get().map(|changes| if changes.is_empty() {
                    view! { <p class="export-diff-none muted">"No changes from the file."</p> }.into_any()
                } else {
                    let count = changes.len();
                    view! {
                        <details class="export-diff" open>
                            <summary>{format!("{count} change(s) from the file")}</summary>
                            <DiffTable changes=changes before_label="File" after_label="Now" />
                        </details>
                    }.into_any()
                })}
                <div class="dialog-tabs">
                    {ExportKind::ALL.into_iter().map(|k| view! {
                        <button
                            class="tab"
                            class:active=move || kind.get() == k
                            data-export=k.id()
                            on:click=move |_| { set_kind.set(k); set_copied.set(false); }
                        >{k.label()}</button>
                    }).collect_view()}
                    <span class="spacer"></span>
                    <button class="close" aria-label="Close" on:click=move |_| set_open.set(false)>"✕"</button>
                </div>
                {move || match rendered.with(|r| r.as_ref().map(|(kind, text, _)| (*kind, text.clone()))) {
                    None => view! { <p class="export-preparing muted">"Preparing the export…"</p> }.into_any(),
                    Some((kind, t)) => {
                        let shown = preview(&t, PREVIEW_BYTES);
                        let note = (shown.len() < t.len()).then(|| view! {
                            <p class="export-preview-note muted">{format!(
                                "Showing the first {} KB of {:.1} MB: Download and Copy give the whole file.",
                                shown.len() / 1024,
                                t.len() as f64 / 1_048_576.0
                            )}</p>
                        });
                        view! {
                            <textarea class="export-json" data-export-kind=kind.id() readonly=true prop:value=shown.to_string()></textarea>
                            {note}
                        }.into_any()
                    }
                }}
                <div class="dialog-actions">
                    <a class="button download" href=move || download_url.get() aria-disabled=move || download_url.with(Option::is_none).to_string() download=file_name>"Download"</a>
                    <button class="copy" on:click=copy>{move || if copied.get() { "Copied" } else { "Copy to clipboard" }}</button>
                </div>
            </div>
        </Show>
    }
}

/// Differences as JSON paths with the value before and after (from [`crate::edit::describe`]).
#[component]
pub fn DiffTable(
    changes: Vec<(String, Option<String>, Option<String>)>,
    before_label: &'static str,
    after_label: &'static str,
) -> impl IntoView {
    view! {
        <table class="diff-table">
            <thead><tr><th>"JSON path"</th><th>{before_label}</th><th>{after_label}</th></tr></thead>
            <tbody>
                {changes.into_iter().map(|(pointer, before, after)| { let shown = pointer.clone(); view! {
                    <tr class="diff-row" data-pointer=pointer>
                        <td><code>{shown}</code></td>
                        <td class="diff-before">{before.unwrap_or_else(|| "(absent)".into())}</td>
                        <td class="diff-after">{after.unwrap_or_else(|| "(absent)".into())}</td>
                    </tr>
                } }).collect_view()}
            </tbody>
        </table>
    }
}
