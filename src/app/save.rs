//! Save and Save as: writes an edited dashboard back to the server's dashboards folder, where the
//! server accepts it (see [`crate::save`] for the rules and `deploy/provisioning/` for the nginx
//! include). One of the modules that do network I/O: a `HEAD` to see whether the file is still
//! the loaded version, a `GET` to show what changed when it is not, and the `PUT`.
//!
//! The edit stays a draft until the server confirms the write; a failure says why and keeps it.
//! The password is kept in this tab's memory only, never stored.

use super::catalogue::{FetchedFile, fetch_file, use_catalogue, use_imported};
use super::editing::Editing;
use crate::edit;
use crate::model::Dashboard;
use crate::provisioning::GENERAL_FOLDER;
use crate::save::{
    FileVersion, Precheck, basic_authorization, explain_write_status, precheck, proposed_file_name,
    save_as_url_path, write_succeeded,
};
use gloo_net::http::Request;
use leptos::prelude::*;
use serde_json::{Map, Value};

/// Where the dashboard on screen came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// A provisioned file: its URL path, the version that was loaded (or last saved), and whether
    /// the server accepts saving.
    File { url_path: String, version: FileVersion, accepts_saving: bool },
    /// A dashboard imported into this browser: "Save as" can make it a provisioned file.
    Imported { uid: String },
}

impl Origin {
    /// The provisioned file's URL path (none for an imported dashboard).
    fn file_path(&self) -> Option<&str> {
        match self {
            Origin::File { url_path, .. } => Some(url_path),
            Origin::Imported { .. } => None,
        }
    }
}

/// What to do once the user has given a password.
#[derive(Debug, Clone, PartialEq)]
enum Retry {
    Save { overwrite: bool },
    SaveAs { url_path: String },
}

/// Where saving stands, for the controls beside the edit bar.
#[derive(Debug, Clone, PartialEq)]
enum SaveState {
    Idle,
    Busy(String),
    Saved(String),
    Failed(String),
    /// The server wants a (correct) user name and password.
    Password {
        message: String,
        retry: Retry,
    },
    /// The file changed on the server since it was loaded (`None`: it is gone). Nothing was
    /// written; the user chooses.
    Conflict {
        on_server: Option<Result<Map<String, Value>, String>>,
    },
    /// Choosing a folder and file name for an imported dashboard.
    SaveAs {
        error: Option<String>,
    },
}

#[derive(Clone, Copy)]
struct Saving {
    origin: RwSignal<Origin>,
    state: RwSignal<SaveState>,
    editing: Editing,
    /// Taken when the page is built: the save tasks run where no context can be read.
    imported: super::catalogue::ImportedDashboards,
}

thread_local! {
    /// The `Authorization` value that worked (or was last given), for this tab only.
    static AUTHORIZATION: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

fn authorization() -> Option<String> {
    AUTHORIZATION.with_borrow(Clone::clone)
}

/// Makes saving available to the page's controls.
pub fn provide_saving(origin: Origin, editing: Editing) {
    provide_context(Saving {
        origin: RwSignal::new(origin),
        state: RwSignal::new(SaveState::Idle),
        editing,
        imported: use_imported(),
    });
}

/// Looks at the file on the server now: its status and version (`HEAD`, never from the cache).
async fn look(url_path: &str) -> Result<(u16, FileVersion), String> {
    let response = gloo_net::http::RequestBuilder::new(url_path)
        .method(gloo_net::http::Method::HEAD)
        .cache(web_sys::RequestCache::NoStore)
        .send()
        .await
        .map_err(|error| format!("cannot reach the server: {error}"))?;
    let headers = response.headers();
    Ok((response.status(), FileVersion::new(headers.get("etag"), headers.get("last-modified"))))
}

/// The file's text on the server now, parsed as far as it can be.
async fn on_server(url_path: &str) -> Option<Result<Map<String, Value>, String>> {
    parsed(url_path, fetch_file(url_path).await)
}

/// What a read of the file found, for the conflict view: `None` when it is gone.
fn parsed(url_path: &str, read: Result<FetchedFile, String>) -> Option<Result<Map<String, Value>, String>> {
    match read {
        Ok(FetchedFile { text, .. }) => Some(
            Dashboard::parse(url_path, &text).map(|d| d.raw().clone()).map_err(|error| error.to_string()),
        ),
        Err(message) if message.contains("HTTP 404") => None,
        Err(message) => Some(Err(message)),
    }
}

/// `PUT`s `text` to `url_path` with the password given in this tab, if any. `credentials: omit`:
/// the browser neither adds remembered credentials nor opens its own login dialog on a 401 (the
/// app asks instead).
async fn put(url_path: &str, text: &str) -> Result<u16, String> {
    let mut request = Request::put(url_path)
        .credentials(web_sys::RequestCredentials::Omit)
        .cache(web_sys::RequestCache::NoStore)
        .header("Content-Type", "application/json");
    if let Some(value) = authorization() {
        request = request.header("Authorization", &value);
    }
    let response = request
        .body(text.to_string())
        .map_err(|error| format!("cannot prepare the request: {error}"))?
        .send()
        .await
        .map_err(|error| format!("cannot reach the server: {error}"))?;
    Ok(response.status())
}

impl Saving {
    fn set(&self, state: SaveState) {
        self.state.set(state);
    }

    fn failed_write(&self, status: u16, url_path: &str, retry: Retry) {
        let failure = explain_write_status(status, url_path, authorization().is_some());
        if failure.asks_password {
            self.set(SaveState::Password { message: failure.message, retry });
        } else {
            self.set(SaveState::Failed(failure.message));
        }
    }

    /// Saves the edited dashboard into its file. Unless `overwrite`, first checks that the file
    /// on the server is still the version the edit started from; when it is not, nothing is
    /// written and the user chooses (see the differences, reload, or overwrite).
    async fn save(self, overwrite: bool) {
        let Origin::File { url_path, version, .. } = self.origin.get_untracked() else { return };
        let kept = "Your changes are kept as a draft in this browser.";
        if !overwrite {
            self.set(SaveState::Busy("Checking the file on the server…".into()));
            let (status, now) = match look(&url_path).await {
                Ok(answer) => answer,
                Err(message) => {
                    return self.set(SaveState::Failed(format!("Cannot save {url_path}: {message}. {kept}")));
                }
            };
            match precheck(&version, status, &now) {
                Precheck::Unchanged => {}
                Precheck::CompareTexts => match fetch_file(&url_path).await {
                    Ok(file) if Some(&file.text) == self.editing.file_text().as_ref() => {}
                    // The text just read is what the conflict view shows (not read again).
                    read => return self.set(SaveState::Conflict { on_server: parsed(&url_path, read) }),
                },
                Precheck::Changed => {
                    return self.set(SaveState::Conflict { on_server: on_server(&url_path).await });
                }
                Precheck::Gone => return self.set(SaveState::Conflict { on_server: None }),
                Precheck::Failed(status) => {
                    return self.set(SaveState::Failed(format!(
                        "Cannot check {url_path} before saving: HTTP {status}. Nothing was written. {kept}"
                    )));
                }
            }
        }
        let text = self.editing.current_dashboard().to_file_text();
        self.set(SaveState::Busy(format!("Saving {url_path}…")));
        match put(&url_path, &text).await {
            Err(message) => self.set(SaveState::Failed(format!("Cannot save {url_path}: {message}. {kept}"))),
            Ok(status) if write_succeeded(status) => {
                // The version to compare with at the next save; unknown if the look fails (the
                // texts are compared then).
                let version = match look(&url_path).await {
                    Ok((200, version)) => version,
                    _ => FileVersion::default(),
                };
                self.origin.update(|origin| {
                    if let Origin::File { version: loaded, .. } = origin {
                        *loaded = version;
                    }
                });
                match Dashboard::parse(&url_path, &text) {
                    Ok(saved) => self.editing.saved_as_file(saved),
                    Err(error) => {
                        return self.set(SaveState::Failed(format!(
                            "Saved {url_path}, but it does not read back: {error}. {kept}"
                        )));
                    }
                }
                self.set(SaveState::Saved(format!("Saved to {url_path}")));
            }
            Ok(status) => self.failed_write(status, &url_path, Retry::Save { overwrite }),
        }
    }

    /// Writes an imported dashboard as a new file at `url_path` (never over an existing one),
    /// then opens it from there: the copy in this browser goes.
    async fn save_as(self, url_path: String) {
        let Origin::Imported { uid } = self.origin.get_untracked() else { return };
        self.set(SaveState::Busy(format!("Checking {url_path}…")));
        match look(&url_path).await {
            Ok((404, _)) => {}
            Ok((200, _)) => {
                return self.set(SaveState::SaveAs {
                    error: Some(format!("{url_path} already exists; choose another name or folder.")),
                });
            }
            Ok((status, _)) => {
                return self.set(SaveState::SaveAs {
                    error: Some(format!("Cannot check {url_path}: HTTP {status}.")),
                });
            }
            Err(message) => return self.set(SaveState::SaveAs { error: Some(message) }),
        }
        let text = self.editing.current_dashboard().to_file_text();
        self.set(SaveState::Busy(format!("Saving {url_path}…")));
        match put(&url_path, &text).await {
            Err(message) => self.set(SaveState::Failed(format!("Cannot save {url_path}: {message}."))),
            Ok(status) if write_succeeded(status) => {
                if let Ok(saved) = Dashboard::parse(&url_path, &text) {
                    self.editing.saved_as_file(saved);
                }
                self.imported.remove(&uid);
                self.set(SaveState::Saved(format!("Saved to {url_path}; opening it from there…")));
                // The page reads the dashboards folder again and finds the new file.
                let _ = window().location().reload();
            }
            Ok(status) => self.failed_write(status, &url_path, Retry::SaveAs { url_path: url_path.clone() }),
        }
    }

    fn run(self, retry: Retry) {
        leptos::task::spawn_local(async move {
            match retry {
                Retry::Save { overwrite } => self.save(overwrite).await,
                Retry::SaveAs { url_path } => self.save_as(url_path).await,
            }
        });
    }
}

/// The Save / Save as button and what saving has to say; nothing where the server does not
/// accept saving.
#[component]
pub fn SaveControls() -> impl IntoView {
    let Some(saving) = use_context::<Saving>() else { return ().into_any() };
    let catalogue = use_catalogue();
    let editing = saving.editing;
    let can_save = move || matches!(saving.origin.get(), Origin::File { accepts_saving: true, .. });
    let can_save_as = move || {
        matches!(saving.origin.get(), Origin::Imported { .. }) && catalogue.with(|c| c.accepts_saving)
    };
    let busy = move || matches!(saving.state.get(), SaveState::Busy(_));
    let file_path = move || saving.origin.with(|o| o.file_path().unwrap_or_default().to_string());
    view! {
        <Show when=can_save>
            <button class="save" disabled=move || busy() || !editing.is_modified()
                title=move || format!("Write the changes into {} on the server", file_path())
                on:click=move |_| saving.run(Retry::Save { overwrite: false })>"Save"</button>
        </Show>
        <Show when=can_save_as>
            <button class="save-as" disabled=busy title="Save this imported dashboard as a file in the dashboards folder"
                on:click=move |_| saving.set(SaveState::SaveAs { error: None })>"Save as…"</button>
        </Show>
        {move || state_view(saving)}
    }
    .into_any()
}

fn state_view(saving: Saving) -> impl IntoView {
    match saving.state.get() {
        SaveState::Idle => ().into_any(),
        SaveState::Busy(message) => {
            view! { <span class="save-status busy" role="status">{message}</span> }.into_any()
        }
        SaveState::Saved(message) => {
            view! { <span class="save-status saved" role="status">{message}</span> }.into_any()
        }
        SaveState::Failed(message) => view! {
            <div class="save-panel save-error" role="alert">
                <span class="save-message">{message}</span>
                <button class="save-dismiss" on:click=move |_| saving.set(SaveState::Idle)>"OK"</button>
            </div>
        }
        .into_any(),
        SaveState::Password { message, retry } => password_form(saving, message, retry).into_any(),
        SaveState::Conflict { on_server } => conflict_view(saving, on_server).into_any(),
        SaveState::SaveAs { error } => save_as_form(saving, error).into_any(),
    }
}

fn password_form(saving: Saving, message: String, retry: Retry) -> impl IntoView {
    let user = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let retry = StoredValue::new(retry);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let value = basic_authorization(&user.get_untracked(), &password.get_untracked());
        AUTHORIZATION.with_borrow_mut(|stored| *stored = Some(value));
        saving.run(retry.get_value());
    };
    view! {
        <form class="save-panel save-login-form" role="dialog" aria-label="Sign in to save" on:submit=submit>
            <p class="save-message">{message}</p>
            <label>"User " <input class="save-user" type="text" autocomplete="username"
                prop:value=move || user.get() on:input=move |e| user.set(event_target_value(&e)) /></label>
            <label>"Password " <input class="save-password" type="password" autocomplete="current-password"
                prop:value=move || password.get() on:input=move |e| password.set(event_target_value(&e)) /></label>
            <button class="save-login" type="submit">"Save"</button>
            <button class="save-cancel" type="button" on:click=move |_| saving.set(SaveState::Idle)>"Cancel"</button>
        </form>
    }
}

fn conflict_view(saving: Saving, on_server: Option<Result<Map<String, Value>, String>>) -> impl IntoView {
    let path = saving.origin.with_untracked(|o| o.file_path().unwrap_or_default().to_string());
    let gone = on_server.is_none();
    let message = if gone {
        format!(
            "{path} is no longer on the server (deleted or moved since you opened it). Nothing was written."
        )
    } else {
        format!(
            "{path} changed on the server since you opened it. Nothing was written: your changes are kept as a draft."
        )
    };
    let show_diff = RwSignal::new(false);
    let differences = move || {
        let mine = saving.editing.session.with_untracked(|s| s.current.clone());
        match &on_server {
            None => ().into_any(),
            Some(Err(problem)) => {
                view! { <p class="save-diff-problem">{format!("The file on the server cannot be read as a dashboard now: {problem}")}</p> }
                    .into_any()
            }
            Some(Ok(theirs)) => view! {
                <super::exporter::DiffTable
                    changes=edit::describe(&edit::diff(theirs, &mine))
                    before_label="On the server" after_label="Yours" />
            }
            .into_any(),
        }
    };
    let overwrite = move |_| {
        let confirmed = window()
            .confirm_with_message(
                "Replace the file on the server with your version? What changed there is lost.",
            )
            .unwrap_or(false);
        if confirmed {
            saving.run(Retry::Save { overwrite: true });
        }
    };
    view! {
        <div class="save-panel save-conflict" role="alert">
            <p class="save-message">{message}</p>
            {(!gone).then(|| view! {
                <button class="save-show-diff" on:click=move |_| show_diff.update(|s| *s = !*s)>
                    {move || if show_diff.get() { "Hide the differences" } else { "Show the differences" }}
                </button>
            })}
            <button class="save-reload" title="Open the server's version; your draft is kept and offered beside it"
                on:click=move |_| { let _ = window().location().reload(); }>"Load the server's version"</button>
            <button class="save-overwrite" on:click=overwrite>{if gone { "Write my version" } else { "Overwrite with mine" }}</button>
            <button class="save-cancel" on:click=move |_| saving.set(SaveState::Idle)>"Cancel"</button>
            <Show when=move || show_diff.get()>{differences.clone()}</Show>
        </div>
    }
}

fn save_as_form(saving: Saving, error: Option<String>) -> impl IntoView {
    let catalogue = use_catalogue();
    let mut folders = catalogue.with_untracked(|c| c.folders.clone());
    folders.sort();
    if folders.is_empty() {
        folders.push(Vec::new());
    }
    let folder_label = |path: &Vec<String>| {
        if path.is_empty() { GENERAL_FOLDER.to_string() } else { path.join("/") }
    };
    let title = saving
        .editing
        .session
        .with_untracked(|s| s.current.get("title").and_then(Value::as_str).unwrap_or_default().to_string());
    let name = RwSignal::new(proposed_file_name(&title));
    let chosen = RwSignal::new(0_usize);
    let folders = StoredValue::new(folders);
    let problem = RwSignal::new(error);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let folder = folders.with_value(|f| f.get(chosen.get_untracked()).cloned().unwrap_or_default());
        match save_as_url_path(&folder, &name.get_untracked()) {
            Ok(url_path) => saving.run(Retry::SaveAs { url_path }),
            Err(message) => problem.set(Some(message)),
        }
    };
    view! {
        <form class="save-panel save-as-form" role="dialog" aria-label="Save as a file" on:submit=submit>
            <label>"Folder "
                <select class="save-as-folder" on:change=move |e| chosen.set(event_target_value(&e).parse().unwrap_or(0))>
                    {folders.get_value().iter().enumerate().map(|(i, path)| view! {
                        <option value=i.to_string() selected=i == 0>{folder_label(path)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"File name " <input class="save-as-name" type="text"
                prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e)) /></label>
            <button class="save-as-write" type="submit">"Save"</button>
            <button class="save-cancel" type="button" on:click=move |_| saving.set(SaveState::Idle)>"Cancel"</button>
            {move || problem.get().map(|p| view! { <p class="save-message save-error" role="alert">{p}</p> })}
        </form>
    }
}
