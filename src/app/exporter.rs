//! The export dialog: the dashboard as is (the raw model, unedited), upgraded to the latest schema,
//! or prepared for sharing externally; each shown, downloadable and copyable.

use crate::export::{migrate_to, preview};
use crate::model::Dashboard;
use crate::route::slugify;
use leptos::prelude::*;
use serde_json::Value;

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

    /// The exported JSON text, and what the format could not carry over.
    pub fn render(self, dashboard: &Dashboard) -> (String, Vec<String>) {
        let datasources = crate::app::catalogue::datasources();
        let classic = || migrate_to(dashboard.raw(), None, &datasources);
        match self {
            ExportKind::AsIs => (dashboard.to_file_text(), Vec::new()),
            ExportKind::Upgraded => {
                let (upgraded, losses) = classic();
                (pretty(upgraded), losses)
            }
            ExportKind::SchemaV2 => {
                let (v2, losses) = migrate_to(dashboard.raw(), Some(V2_API_VERSION), &datasources);
                (pretty(v2), losses)
            }
            ExportKind::ForSharing => {
                let (upgraded, losses) = classic();
                (pretty(crate::export::for_sharing(&upgraded, &datasources)), losses)
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
    // The session's current document (it changes under an open page), written into the file's text.
    let editing = expect_context::<super::editing::Editing>();
    let rendered = Memo::new(move |_| kind.get().render(&editing.current_dashboard()));
    let text = Memo::new(move |_| rendered.with(|(text, _)| text.clone()));
    let losses = move || rendered.with(|(_, losses)| losses.clone());
    let download_url = RwSignal::new(None::<String>);
    Effect::new(move |previous: Option<Option<String>>| {
        if let Some(Some(url)) = previous {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
        let url = open.get().then(|| blob_url(&text.get())).flatten();
        download_url.set(url.clone());
        url
    });
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
        let clipboard = window().navigator().clipboard();
        let promise = clipboard.write_text(&text.get_untracked());
        leptos::task::spawn_local(async move {
            let done = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            set_copied.set(done);
        });
    };
    // What changed from the provisioned (or imported) file, shown before the export modes.
    let changes = move || {
        Some(editing.session.with(|s| crate::edit::describe(&crate::edit::diff(&s.original, &s.current))))
    };
    // A `rows[]` file is edited in its upgraded form (as Grafana saves it): say so before export.
    let schema_note = move || {
        editing.session.with(|s| {
            (crate::edit::is_legacy_rows(&s.original) && !crate::edit::is_legacy_rows(&s.current)).then(|| {
                format!(
                    "The file keeps its panels in rows[] (schema {}); with your changes it is written in the current schema ({}), with panels on the grid, as Grafana saves it.",
                    crate::migrate::schema_version(&s.original),
                    crate::migrate::LATEST_SCHEMA_VERSION
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
                {move || changes().map(|changes| if changes.is_empty() {
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
                <textarea class="export-json" readonly=true prop:value=move || text.with(|t| preview(t, PREVIEW_BYTES).to_string())></textarea>
                {move || text.with(|t| {
                    let shown = preview(t, PREVIEW_BYTES).len();
                    (shown < t.len()).then(|| view! {
                        <p class="export-preview-note muted">{format!(
                            "Showing the first {} KB of {:.1} MB: Download and Copy give the whole file.",
                            shown / 1024,
                            t.len() as f64 / 1_048_576.0
                        )}</p>
                    })
                })}
                <div class="dialog-actions">
                    <a class="button download" href=move || download_url.get().unwrap_or_default() download=file_name>"Download"</a>
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
