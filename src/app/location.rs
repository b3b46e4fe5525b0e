//! The URL as reactive state: path and query string, kept in step with the History API. The one
//! place that reads or writes `window.location`.

use crate::route::parse_query_string;
use leptos::ev;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct UrlState {
    pub path: RwSignal<String>,
    /// The query string including its leading `?`, or empty.
    pub search: RwSignal<String>,
}

fn read_location() -> (String, String) {
    let location = window().location();
    (location.pathname().unwrap_or_else(|_| "/".into()), location.search().unwrap_or_default())
}

pub fn provide_url_state() -> UrlState {
    let (path, search) = read_location();
    let state = UrlState { path: RwSignal::new(path), search: RwSignal::new(search) };
    // Back and forward buttons.
    let handle = window_event_listener(ev::popstate, move |_| {
        let (path, search) = read_location();
        state.path.set(path);
        state.search.set(search);
    });
    on_cleanup(move || handle.remove());
    provide_context(state);
    state
}

pub fn use_url_state() -> UrlState {
    expect_context::<UrlState>()
}

impl UrlState {
    /// Goes to another page of the app without reloading it.
    pub fn navigate(&self, href: &str) {
        if let Ok(history) = window().history() {
            let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href));
        }
        let (path, search) = read_location();
        self.path.set(path);
        self.search.set(search);
    }

    /// Replaces the query string of the current page (a new history entry, as Grafana does for time
    /// range changes, so Back restores the previous range).
    pub fn set_query(&self, search: &str) {
        let href = format!("{}{}", self.path.get_untracked(), search);
        self.navigate(&href);
    }

    /// The first value of a query parameter (reactive).
    pub fn query_param(&self, name: &str) -> Option<String> {
        parse_query_string(&self.search.get())
            .into_iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }
}

/// An in-app link: a real `<a href>` (so it can be opened in a new tab) that navigates in place on
/// a plain left click.
#[component]
pub fn Link(href: String, #[prop(into)] class: String, children: Children) -> impl IntoView {
    let url = use_url_state();
    let target = href.clone();
    let on_click = move |event: ev::MouseEvent| {
        let modified = event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key();
        if event.button() == 0 && !modified {
            event.prevent_default();
            url.navigate(&target);
        }
    };
    view! { <a href=href class=class on:click=on_click>{children()}</a> }
}

/// Takes focus away from the control an event came from (a `<select>` after a choice), so that
/// the dashboard's keyboard shortcuts reach the page again, as in Grafana's pickers.
pub fn release_focus(event: &leptos::ev::Event) {
    use wasm_bindgen::JsCast;
    if let Some(element) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.blur();
    }
}
