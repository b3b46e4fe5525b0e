//! The dashboard being edited: one [`Session`] per open dashboard, saved as a draft in the
//! browser's local storage after every change (so a reload or a crash loses nothing), with undo
//! and redo. There is no "unsaved" state to lose by leaving: the draft is written before the
//! change shows. Storage full or unavailable: a warning, and the work stays in this tab. The
//! session also holds the view of its document ([`DashboardView`]), derived after each change.

use super::catalogue::local_storage as storage;
use crate::app::catalogue;
use crate::edit;
use crate::edit::{DRAFT_KEY_PREFIX, Draft, Session, draft_belongs_to, draft_key, editable, fingerprint};
use crate::model::Dashboard;
use crate::sorting;
use crate::view::DashboardView;
use crate::view::Derivation;
use leptos::prelude::*;
use serde_json::{Map, Value};

#[derive(Clone, Copy)]
pub struct Editing {
    pub session: RwSignal<Session>,
    /// The view of the session's current document: set together with the session's change
    /// notice, once it is derived (see [`Editing::change`]).
    pub view: RwSignal<DashboardView>,
    uid: StoredValue<String>,
    source: StoredValue<String>,
    /// Why the last change could not be saved as a draft, if it could not.
    pub storage_warning: RwSignal<Option<String>>,
    /// The last thing undo, redo or a save did, for the status line.
    pub status: RwSignal<Option<String>>,
    /// Moving and resizing panels by dragging (Grafana's edit mode for the layout).
    pub layout_mode: RwSignal<bool>,
    /// The panel keyboard layout moves act on, and the one under the pointer (for `e`, `v`, `p d`).
    pub selected: RwSignal<Option<i64>>,
    pub hovered: RwSignal<Option<i64>>,
    /// The variable open in the variables editor (the page is rebuilt after each change).
    pub variable_index: RwSignal<usize>,
    /// A draft made from an earlier version of the file (or from another dashboard that had this
    /// uid): kept aside, not applied, until the user opens or deletes it.
    pub earlier_draft: RwSignal<Option<(String, Draft)>>,
    /// The fingerprint of the file this session started from, written into its drafts (made
    /// when first needed).
    base: StoredValue<Option<String>>,
    /// The file's text as loaded: "as is" exports write the document into it.
    file: StoredValue<Dashboard>,
    /// A change is waiting to be written as a draft and shown (see [`Editing::change`]).
    showing: StoredValue<bool>,
    /// A change's draft is not written yet.
    draft_pending: StoredValue<bool>,
    /// Whether the document differs from the file: one comparison per change, however many
    /// controls show it (a large dashboard takes tens of milliseconds to compare).
    modified: Memo<bool>,
}

/// Where drafts made from earlier versions of a file wait for the user's choice, one key each (a
/// second one never overwrites the first).
fn earlier_draft_prefix(uid: &str) -> String {
    format!("promboard.earlier-draft.{uid}.")
}

/// The earlier drafts of a dashboard, newest first, with their storage keys.
fn earlier_drafts(uid: &str) -> Vec<(String, Draft)> {
    let Some(storage) = storage() else { return Vec::new() };
    let prefix = earlier_draft_prefix(uid);
    let mut found: Vec<(String, Draft)> = (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| key.starts_with(&prefix))
        .filter_map(|key| {
            let draft = Draft::from_storage(&storage.get_item(&key).ok().flatten()?).ok()?;
            Some((key, draft))
        })
        .collect();
    sorting::sort_by_key(&mut found, |(_, draft)| std::cmp::Reverse(draft.saved_at_ms));
    found
}

/// The stored draft of a dashboard, if there is one that can be read.
pub fn stored_draft(uid: &str) -> Option<Draft> {
    Draft::from_storage(&storage()?.get_item(&draft_key(uid)).ok().flatten()?).ok()
}

/// Every stored draft, for the dashboard browser.
pub fn stored_drafts() -> Vec<Draft> {
    let Some(storage) = storage() else { return Vec::new() };
    let count = storage.length().unwrap_or(0);
    (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|key| key.starts_with(DRAFT_KEY_PREFIX))
        .filter_map(|key| Draft::from_storage(&storage.get_item(&key).ok().flatten()?).ok())
        .collect()
}

/// A dashboard made ready for editing, before the page holds it: its session and the session's
/// view (see [`Editing::prepare`]).
pub struct Prepared {
    session: Session,
    view: DashboardView,
    /// The file's text (for exports), without its document.
    file_text: Dashboard,
    base: Option<String>,
}

impl Editing {
    /// The editing state of a dashboard: its draft when one is stored, else the file as it is.
    /// A draft made from another version of the file is not resumed on this one (its changes
    /// would be the difference between two files): it is moved aside and offered instead.
    /// No reactive state yet: on a file of megabytes this takes a while, so it runs in tasks of
    /// its own (the session, then each step of the view's derivation: a browser task each) and
    /// the page then [`Editing::open`]s the result.
    pub async fn prepare(uid: &str, file: Dashboard) -> Prepared {
        let next_task = || gloo_timers::future::TimeoutFuture::new(0);
        // Its text is kept for exports; the document is the session's.
        let file_text = file.edited(Map::new());
        let original = file.into_raw();
        let stored = stored_draft(uid);
        // Only a draft needs the file's fingerprint now (it takes writing the whole document out).
        let base = stored.as_ref().map(|_| fingerprint(&original));
        let session = match stored {
            Some(draft) if draft.document != original && draft_belongs_to(&draft, &original) => {
                Session::resumed(original, draft.document)
            }
            Some(draft) if draft.document != original => {
                if let Some(storage) = storage() {
                    let key = format!("{}{}", earlier_draft_prefix(uid), draft.saved_at_ms);
                    // Moved only once it is safely stored under its own key.
                    if storage.set_item(&key, &draft.to_storage()).is_ok() {
                        let _ = storage.remove_item(&draft_key(uid));
                    }
                }
                Session::new(original)
            }
            _ => Session::new(original),
        };
        let datasources = catalogue::datasources();
        next_task().await;
        let mut derivation = Derivation::start(&session.current);
        let view = loop {
            next_task().await;
            if let Some(view) = derivation.step(&datasources) {
                break view;
            }
        };
        Prepared { session, view, file_text, base }
    }

    /// The page's editing state for a prepared dashboard, provided as context.
    pub fn open(uid: &str, source: &str, prepared: Prepared) -> Editing {
        let Prepared { session, view, file_text, base } = prepared;
        let view = RwSignal::new(view);
        let session = RwSignal::new(session);
        let editing = Editing {
            session,
            view,
            modified: Memo::new(move |_| session.with(Session::is_modified)),
            uid: StoredValue::new(uid.to_string()),
            source: StoredValue::new(source.to_string()),
            storage_warning: RwSignal::new(None),
            status: RwSignal::new(None),
            layout_mode: RwSignal::new(false),
            selected: RwSignal::new(None),
            hovered: RwSignal::new(None),
            variable_index: RwSignal::new(0),
            earlier_draft: RwSignal::new(earlier_drafts(uid).into_iter().next()),
            base: StoredValue::new(base),
            showing: StoredValue::new(false),
            draft_pending: StoredValue::new(false),
            file: StoredValue::new(file_text),
        };
        provide_context(editing);
        // Leaving the dashboard (another page of the app, a reload, a closed tab) before a
        // change's draft is written writes it then.
        let leaving = window_event_listener(leptos::ev::pagehide, move |_| editing.flush_draft());
        on_cleanup(move || {
            leaving.remove();
            editing.flush_draft();
        });
        editing
    }

    /// The document the next edit starts from: the current one (upgraded first when it is a
    /// `rows[]` file, see [`editable`]).
    pub fn current(&self) -> Map<String, Value> {
        self.session.with_untracked(|s| editable(&s.current, &catalogue::datasources()))
    }

    /// Runs `read` on the document the next edit starts from, without copying it (see
    /// [`Editing::current`]): edits read it and return their changed copy.
    pub fn with_current<T>(&self, read: impl FnOnce(&Map<String, Value>) -> T) -> T {
        self.session.with_untracked(|s| read(&edit::editable_cow(&s.current, &catalogue::datasources())))
    }

    /// The current document as a dashboard whose "as is" export writes into the file's text.
    pub fn current_dashboard(&self) -> Dashboard {
        let current = self.session.with(|s| s.current.clone());
        self.file.with_value(|file| file.edited(current))
    }

    /// Runs `f` with the text of the file as it was loaded (or last saved), when it came from a
    /// file, without copying it.
    pub fn with_file_text<T>(&self, f: impl FnOnce(Option<&str>) -> T) -> T {
        self.file.with_value(|file| f(file.text()))
    }

    /// The text of the file as it was loaded (or last saved), when it came from a file.
    pub fn file_text(&self) -> Option<String> {
        self.file.with_value(|file| file.text().map(str::to_string))
    }

    /// The server confirmed writing `saved` (the file text of the document at that moment): it
    /// is the file from now on. The draft goes when nothing was edited since; otherwise it is
    /// kept, made from the saved file.
    pub fn saved_as_file(&self, saved: Dashboard) {
        self.base.set_value(None);
        self.file.set_value(saved.edited(Map::new()));
        self.session.update(|s| s.rebase(saved.into_raw()));
        self.save();
    }

    /// Replaces the document by the earlier draft (one undoable change); it becomes this file's
    /// draft.
    pub fn open_earlier_draft(&self) {
        let Some((_, draft)) = self.earlier_draft.get_untracked() else { return };
        self.commit("Open the earlier draft", draft.document);
        self.delete_earlier_draft();
    }

    /// Removes the draft offered now; the next earlier one (if any) is offered in its place.
    pub fn delete_earlier_draft(&self) {
        if let (Some(storage), Some((key, _))) = (storage(), self.earlier_draft.get_untracked()) {
            let _ = storage.remove_item(&key);
        }
        self.earlier_draft.set(earlier_drafts(&self.uid.get_value()).into_iter().next());
    }

    /// Runs `change` on the session; if it changed the document, says `status` of it, saves the
    /// draft and only then lets the page show the new document.
    fn change(&self, change: impl FnOnce(&mut Session) -> Option<String>) {
        let mut status = None;
        self.session.update_untracked(|s| status = change(s));
        if let Some(status) = status {
            self.status.set(Some(status));
            // The draft is written, the view derived, and then the page shows the change, each in
            // a task of its own: on a dashboard of megabytes each takes a while, and together they
            // would hold the page for as long. Changes made before then are shown together. A
            // page left meanwhile writes the draft as it goes (see `flush_draft`).
            self.draft_pending.set_value(true);
            if !self.showing.get_value() {
                self.showing.set_value(true);
                let editing = *self;
                let next_task = |step: Box<dyn FnOnce()>| set_timeout(step, std::time::Duration::ZERO);
                next_task(Box::new(move || {
                    if editing.session.is_disposed() {
                        return;
                    }
                    // A change made after this write schedules its own.
                    editing.showing.set_value(false);
                    editing.flush_draft();
                    next_task(Box::new(move || {
                        if editing.session.is_disposed() {
                            return;
                        }
                        let view = editing.session.with_untracked(|s| {
                            DashboardView::from_document(&s.current, &catalogue::datasources())
                        });
                        next_task(Box::new(move || {
                            if editing.session.is_disposed() {
                                return;
                            }
                            editing.view.set(view);
                            editing.session.notify();
                        }));
                    }));
                }));
            }
        }
    }

    /// Writes the draft of the last change if it is not written yet: in its own task after the
    /// change, or at once when the page is left before that task ran.
    fn flush_draft(&self) {
        if self.draft_pending.try_get_value() == Some(true) {
            self.draft_pending.set_value(false);
            self.save();
        }
    }

    /// Records `next` as a change labelled `label`.
    /// An edit of a resource's `spec` (see [`crate::edit::rewrap`]) is put back into the resource.
    pub fn commit(&self, label: &str, next: Map<String, Value>) {
        self.change(|s| {
            let next = edit::rewrap(&s.current, next);
            s.commit(label, next).then(|| format!("{label} (Ctrl+Z undoes it)"))
        });
    }

    pub fn undo(&self) {
        self.change(|s| s.undo().map(|label| format!("Undone: {label}")));
    }

    pub fn redo(&self) {
        self.change(|s| s.redo().map(|label| format!("Redone: {label}")));
    }

    /// Back to the provisioned (or imported) original; the draft goes.
    pub fn discard(&self) {
        self.change(|s| s.discard().then(|| "Changes discarded (Ctrl+Z brings them back)".to_string()));
    }

    /// Writes the draft (or removes it when the document is the original again).
    pub fn save(&self) {
        let modified = self.session.with_untracked(Session::is_modified);
        let key = draft_key(&self.uid.get_value());
        let result = match storage() {
            None => Err("the browser's storage is unavailable".to_string()),
            Some(storage) if !modified => {
                storage.remove_item(&key).map_err(|_| "cannot remove the draft".to_string())
            }
            Some(storage) => {
                // Written from the session's document, not a copy of it (it may be megabytes).
                let base = self.base();
                let text = self.session.with_untracked(|s| {
                    Draft::storage_text(
                        &self.uid.get_value(),
                        &self.source.get_value(),
                        js_sys::Date::now() as i64,
                        Some(&base),
                        &s.current,
                    )
                });
                storage.set_item(&key, &text).map_err(|_| "the browser's storage is full".to_string())
            }
        };
        self.storage_warning.set(result.err().map(|why| {
            format!(
                "Not saved as a draft: {why}. Your changes stay in this tab; export them before closing it."
            )
        }));
    }

    /// The fingerprint of the file the session started from (see [`fingerprint`]).
    fn base(&self) -> String {
        if let Some(base) = self.base.get_value() {
            return base;
        }
        let base = self.session.with_untracked(|s| fingerprint(&s.original));
        self.base.set_value(Some(base.clone()));
        base
    }

    /// Where the panel editor keeps a panel's unapplied working copy.
    pub fn pending_panel_key(&self, id: i64) -> String {
        format!("promboard.panel-edit.{}.{id}", self.uid.get_value())
    }

    /// Reads, writes (`Some`) or removes (`None`) a panel's unapplied working copy.
    pub fn pending_panel(&self, id: i64) -> Option<serde_json::Value> {
        serde_json::from_str(&storage()?.get_item(&self.pending_panel_key(id)).ok().flatten()?).ok()
    }

    pub fn set_pending_panel(&self, id: i64, panel: Option<&serde_json::Value>) {
        let Some(storage) = storage() else { return };
        let key = self.pending_panel_key(id);
        let saved = match panel {
            Some(panel) => storage.set_item(&key, &panel.to_string()).is_ok(),
            None => storage.remove_item(&key).is_ok(),
        };
        if !saved {
            self.storage_warning.set(Some("The panel editor's changes cannot be kept in this browser's storage; apply them before leaving.".into()));
        }
    }

    pub fn is_modified(&self) -> bool {
        self.modified.get()
    }
}

/// The editing state of the dashboard on screen.
pub fn use_editing() -> Option<Editing> {
    use_context::<Editing>()
}
