//! The dashboard's editing controls: add a panel or row, paste a copied panel, move and resize
//! panels, undo and redo, the settings, variables and JSON model editors, discard; the
//! "modified" badge; and Grafana's keyboard shortcuts. Every change goes through [`Editing`].

use super::catalogue::local_storage as storage;
use super::editing::Editing;
use super::location::{UrlState, use_url_state};
use crate::edit::layout;
use crate::edit::layout::{
    add_panel, add_row, duplicate_panel, find_panel, nudge, paste_panel, remove_panel, set_grid_pos,
};
use crate::route::{param, with_params};
use crate::time::TimeRange;
use crate::view::GridPos;
use leptos::ev;
use leptos::prelude::*;

/// Where a copied panel waits to be pasted, in this or another dashboard.
const COPIED_PANEL_KEY: &str = "promboard.copied-panel";

/// Copies a panel's JSON for pasting into any dashboard (Grafana's "Copy", #1004's ask).
pub fn copy_panel(editing: Editing, id: i64) {
    let Some(panel) = editing.with_current(|document| layout::panel_json(document, id)) else {
        return;
    };
    let saved = store_copied_panel(&panel);
    editing.status.set(Some(if saved {
        "Panel copied: paste it from Add → Paste panel, here or in another dashboard".into()
    } else {
        "Cannot copy: the browser's storage is unavailable".into()
    }));
}

/// Keeps `panel` for Add → Paste panel in any dashboard; false when the storage is unavailable.
pub fn store_copied_panel(panel: &serde_json::Value) -> bool {
    storage().and_then(|s| s.set_item(COPIED_PANEL_KEY, &panel.to_string()).ok()).is_some()
}

fn copied_panel() -> Option<serde_json::Value> {
    serde_json::from_str(&storage()?.get_item(COPIED_PANEL_KEY).ok().flatten()?).ok()
}

pub fn duplicate(editing: Editing, id: i64) {
    if let Some((next, _)) = editing.with_current(|document| duplicate_panel(document, id)) {
        editing.commit("Duplicate panel", next);
    }
}

pub fn remove(editing: Editing, id: i64) {
    if let Some(next) = editing.with_current(|document| remove_panel(document, id)) {
        editing.commit("Remove panel", next);
    }
}

/// Sets or clears URL parameters (the open editors live in the URL, as in Grafana). Takes the URL
/// state rather than reading the context, because it runs in window listeners where no reactive
/// owner (and so no context) exists.
fn set_params(url: UrlState, changes: &[(&str, Option<&str>)]) {
    let search = url.search.get_untracked();
    url.set_query(&with_params(&search, changes));
}

#[component]
pub fn EditBar() -> impl IntoView {
    let editing = expect_context::<Editing>();
    let url = use_url_state();
    let add_open = RwSignal::new(false);
    let on_add_panel = move |_| {
        add_open.set(false);
        let (next, id) = editing.with_current(|document| add_panel(document, "timeseries"));
        editing.commit("Add panel", next);
        set_params(url, &[(param::EDIT_PANEL, Some(&id.to_string()))]);
    };
    let on_add_row = move |_| {
        add_open.set(false);
        let (next, _) = editing.with_current(add_row);
        editing.commit("Add row", next);
    };
    let on_paste = move |_| {
        add_open.set(false);
        match copied_panel().and_then(|panel| editing.with_current(|document| paste_panel(document, &panel)))
        {
            Some((next, _)) => editing.commit("Paste panel", next),
            None => {
                editing.status.set(Some("No copied panel to paste (copy one from a panel's menu)".into()))
            }
        }
    };
    let open_view = move |view: &'static str| {
        set_params(url, &[(param::EDIT_VIEW, Some(view))]);
    };
    let undo_title = move || editing.session.with(|s| s.undo_label().map(|l| format!("Undo: {l} (Ctrl+Z)")));
    let redo_title =
        move || editing.session.with(|s| s.redo_label().map(|l| format!("Redo: {l} (Ctrl+Shift+Z)")));
    let on_discard = move |_| {
        if window()
            .confirm_with_message("Discard every change and go back to the original dashboard?")
            .unwrap_or(false)
        {
            editing.discard();
        }
    };
    view! {
        <div class="edit-bar" role="toolbar" aria-label="Edit the dashboard">
            <span class="add-menu">
                <button class="add-button" on:click=move |_| add_open.update(|o| *o = !*o)>"Add \u{25be}"</button>
                <Show when=move || add_open.get()>
                    <span class="add-menu-items" role="menu">
                        <button role="menuitem" class="add-panel" on:click=on_add_panel>"Visualization"</button>
                        <button role="menuitem" class="add-row" on:click=on_add_row>"Row"</button>
                        <button role="menuitem" class="paste-panel" on:click=on_paste>"Paste panel"</button>
                    </span>
                </Show>
            </span>
            <button class="layout-toggle" class:active=move || editing.layout_mode.get()
                title="Drag panels by their title to move them, by the corner to resize; or select one and use the arrow keys (Shift: resize)"
                on:click=move |_| editing.layout_mode.update(|m| *m = !*m)>
                {move || if editing.layout_mode.get() { "Done arranging" } else { "Arrange" }}
            </button>
            <button class="undo" disabled=move || undo_title().is_none() title=undo_title on:click=move |_| editing.undo()>"Undo"</button>
            <button class="redo" disabled=move || redo_title().is_none() title=redo_title on:click=move |_| editing.redo()>"Redo"</button>
            <button class="open-settings" on:click=move |_| open_view("settings")>"Settings"</button>
            <button class="open-variables" on:click=move |_| open_view("variables")>"Variables"</button>
            <button class="open-json" on:click=move |_| open_view("json")>"JSON model"</button>
            <Show when=move || editing.is_modified()>
                <span class="modified-badge" title="Changed from the file; kept as a draft in this browser">"modified"</span>
                <button class="discard" on:click=on_discard>"Discard"</button>
            </Show>
            <super::save::SaveControls />
            {move || editing.earlier_draft.get().map(|(_, draft)| {
                let when = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(draft.saved_at_ms as f64))
                    .to_iso_string()
                    .as_string()
                    .unwrap_or_default();
                view! {
                    <div class="earlier-draft" role="alert">
                        {format!("You have a draft of this dashboard saved {when}, made from another version of its file (the file changed since, or another dashboard with this uid was imported). The page shows the file as it is now; your draft is kept until you choose.")}
                        <button class="open-earlier-draft" on:click=move |_| editing.open_earlier_draft()>"Open my draft"</button>
                        <button class="delete-earlier-draft" on:click=move |_| editing.delete_earlier_draft()>"Delete my draft"</button>
                    </div>
                }
            })}
            {move || editing.status.get().map(|s| view! { <span class="edit-status" role="status">{s}</span> })}
            {move || editing.storage_warning.get().map(|w| view! { <span class="storage-warning" role="alert">{w}</span> })}
        </div>
    }
}

/// A panel's position as its JSON has it.
fn file_position(editing: Editing, id: i64) -> Option<GridPos> {
    editing
        .with_current(|document| layout::panel_json(document, id))
        .map(|p| GridPos::from_json(p.get("gridPos")))
}

/// Whether a key event comes from a field the user is typing in.
fn typing(event: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    event.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()).is_some_and(|element| {
        matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            || element.is_content_editable()
    })
}

/// Grafana's keyboard shortcuts on a dashboard. `range` and `on_refresh` serve `t z`, `t ←/→`
/// and `d r`; `layout` gives a panel's shown grid position for the arrow keys.
pub fn use_shortcuts(
    range: Memo<Result<TimeRange, String>>,
    on_refresh: Callback<()>,
    help_open: RwSignal<bool>,
    layout: Signal<Vec<(i64, GridPos)>>,
) {
    let editing = expect_context::<Editing>();
    let url = use_url_state();
    // The first key of a two-key shortcut, and when it was pressed.
    let pending = StoredValue::new(None::<(String, f64)>);
    let handle = window_event_listener(ev::keydown, move |event: web_sys::KeyboardEvent| {
        let key = event.key();
        let control = event.ctrl_key() || event.meta_key();
        if control && !event.alt_key() {
            match key.to_lowercase().as_str() {
                "z" if event.shift_key() && !typing(&event) => editing.redo(),
                "z" if !typing(&event) => editing.undo(),
                "y" if !typing(&event) => editing.redo(),
                "s" => {
                    editing.save();
                    if editing.storage_warning.get_untracked().is_none() {
                        editing.status.set(Some("Draft saved in this browser".into()));
                    }
                }
                _ => return,
            }
            event.prevent_default();
            return;
        }
        if typing(&event) || event.alt_key() {
            return;
        }
        if key == "Escape" {
            help_open.set(false);
            editing.layout_mode.set(false);
            // Leaving the panel editor drops what it had not applied, as its Discard does.
            if let Some(id) = url.query_param(param::EDIT_PANEL).and_then(|id| id.parse::<i64>().ok()) {
                editing.set_pending_panel(id, None);
            }
            set_params(
                url,
                &[
                    (param::EDIT_PANEL, None),
                    (param::VIEW_PANEL, None),
                    (param::INSPECT, None),
                    (param::EDIT_VIEW, None),
                ],
            );
            return;
        }
        let now = js_sys::Date::now();
        let previous = pending.get_value().filter(|(_, at)| now - at < 1500.0).map(|(k, _)| k);
        pending.set_value(None);
        let target = editing.selected.get_untracked().or(editing.hovered.get_untracked());
        let set_range = |next: TimeRange| {
            let (from, to) = (next.from_ms.to_string(), next.to_ms.to_string());
            set_params(url, &[(param::FROM, Some(&from)), (param::TO, Some(&to))]);
        };
        // Arrow keys arrange the selected panel while arranging.
        if editing.layout_mode.get_untracked() && previous.is_none() && key.starts_with("Arrow") {
            let Some(id) = editing.selected.get_untracked() else { return };
            // The file's own position, not where the layout shows it (compacted, repeated,
            // stacked on a narrow screen); the layout only tells whether the panel is shown.
            if !layout.with_untracked(|l| l.iter().any(|(p, _)| *p == id)) {
                return;
            }
            let Some(position) = file_position(editing, id) else { return };
            let (dx, dy) = match key.as_str() {
                "ArrowLeft" => (-1, 0),
                "ArrowRight" => (1, 0),
                "ArrowUp" => (0, -1),
                _ => (0, 1),
            };
            let next =
                if event.shift_key() { nudge(position, 0, 0, dx, dy) } else { nudge(position, dx, dy, 0, 0) };
            if let Some(document) = editing.with_current(|document| set_grid_pos(document, id, next)) {
                editing.commit(if event.shift_key() { "Resize panel" } else { "Move panel" }, document);
            }
            event.prevent_default();
            return;
        }
        match (previous.as_deref(), key.as_str()) {
            (Some("p"), "d") => {
                if let Some(id) = target {
                    duplicate(editing, id);
                }
            }
            (Some("p"), "r") => {
                if let Some(id) = target {
                    remove(editing, id);
                }
            }
            (Some("p"), "c") => {
                if let Some(id) = target {
                    copy_panel(editing, id);
                }
            }
            (Some("d"), "r") => on_refresh.run(()),
            (Some("t"), "z") => {
                if let Ok(current) = range.get_untracked() {
                    set_range(current.zoomed_out());
                }
            }
            (Some("t"), "ArrowLeft") => {
                if let Ok(current) = range.get_untracked() {
                    set_range(current.shifted(-0.5));
                }
            }
            (Some("t"), "ArrowRight") => {
                if let Ok(current) = range.get_untracked() {
                    set_range(current.shifted(0.5));
                }
            }
            (_, "e") => {
                if let Some(id) =
                    target.filter(|id| editing.with_current(|document| find_panel(document, *id).is_some()))
                {
                    set_params(url, &[(param::EDIT_PANEL, Some(&id.to_string()))]);
                }
            }
            (_, "v") => {
                if let Some(id) = target {
                    let viewing = url.query_param(param::VIEW_PANEL).is_some();
                    let value = id.to_string();
                    set_params(url, &[(param::VIEW_PANEL, (!viewing).then_some(value.as_str()))]);
                }
            }
            (_, "?") => help_open.update(|open| *open = !*open),
            (_, "p" | "d" | "t") => pending.set_value(Some((key.clone(), now))),
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());
}

/// The shortcuts, listed by `?`.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("e", "edit the panel under the pointer"),
    ("v", "view the panel under the pointer (again: back)"),
    ("p d", "duplicate the panel under the pointer"),
    ("p r", "remove the panel under the pointer"),
    ("p c", "copy the panel under the pointer"),
    ("d r", "refresh every panel"),
    ("t z", "zoom the time range out"),
    ("t \u{2190} / t \u{2192}", "move the time range back / forward"),
    ("Ctrl+Z / Ctrl+Shift+Z", "undo / redo"),
    ("Ctrl+S", "save the draft now (every change is saved already)"),
    ("Arrows / Shift+arrows", "while arranging: move / resize the selected panel"),
    ("Esc", "leave the editor, view or inspector"),
    ("?", "this list"),
];

#[component]
pub fn ShortcutsHelp(open: RwSignal<bool>) -> impl IntoView {
    view! {
        <Show when=move || open.get()>
            <aside class="shortcuts-help dialog" role="dialog" aria-label="Keyboard shortcuts">
                <h3>"Keyboard shortcuts"</h3>
                <table>
                    {SHORTCUTS.iter().map(|(keys, what)| view! { <tr><td><kbd>{*keys}</kbd></td><td>{*what}</td></tr> }).collect_view()}
                </table>
                <button on:click=move |_| open.set(false)>"Close"</button>
            </aside>
        </Show>
    }
}

/// A panel being dragged while arranging: its id, where the pointer started, how far it moved
/// (CSS px) and whether the corner (resize) was grabbed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Drag {
    pub id: i64,
    pub start: GridPos,
    pub start_x: f64,
    pub start_y: f64,
    pub dx: f64,
    pub dy: f64,
    pub resizing: bool,
}

/// Follows the pointer while a drag is on and commits the new grid position when it is released.
/// `units` gives a grid column's and a grid row's size in CSS px (margins included).
pub fn use_drag(drag: RwSignal<Option<Drag>>, units: Signal<(f64, f64)>) {
    let editing = expect_context::<Editing>();
    let on_move = window_event_listener(ev::mousemove, move |event: web_sys::MouseEvent| {
        if drag.with_untracked(Option::is_some) {
            drag.update(|d| {
                if let Some(d) = d {
                    d.dx = f64::from(event.client_x()) - d.start_x;
                    d.dy = f64::from(event.client_y()) - d.start_y;
                }
            });
        }
    });
    let on_up = window_event_listener(ev::mouseup, move |_| {
        let Some(done) = drag.get_untracked() else { return };
        drag.set(None);
        let (column, row) = units.get_untracked();
        // The drag moves the file's own position by the units dragged (the layout may show the
        // panel elsewhere: compacted, or a repeat's copy).
        let Some(start) = file_position(editing, done.id) else { return };
        let next = layout::dragged(start, done.dx, done.dy, column, row, done.resizing);
        if next != start
            && let Some(document) = editing.with_current(|document| set_grid_pos(document, done.id, next))
        {
            editing.commit(if done.resizing { "Resize panel" } else { "Move panel" }, document);
        }
    });
    on_cleanup(move || {
        on_move.remove();
        on_up.remove();
    });
}
