//! The colour theme: dark (Grafana's default) or light. Chosen once when the app starts — from the
//! URL's `theme` parameter (Grafana's `?theme=light`), else the choice stored in the browser —
//! because every colour a panel resolves depends on it. Switching stores the choice and reloads,
//! as Grafana's preferences page does, so nothing half-drawn in the old theme stays on screen.

use crate::field::Theme;
use crate::route;
use leptos::prelude::*;

const STORAGE_KEY: &str = "promboard.theme";

thread_local! {
    /// The theme chosen when the app started. App state, like the URL: components read it with
    /// [`chosen_theme`] and give it to the core, which never reads it by itself.
    static CHOSEN: std::cell::Cell<Theme> = const { std::cell::Cell::new(Theme::Dark) };
}

/// The theme the app shows (decided once by [`apply_initial_theme`]).
pub fn chosen_theme() -> Theme {
    CHOSEN.with(std::cell::Cell::get)
}

fn stored() -> Option<String> {
    super::catalogue::local_storage()?.get_item(STORAGE_KEY).ok().flatten()
}

/// Decides the theme, keeps it for [`chosen_theme`] and marks `<html data-theme=…>` for the CSS.
pub fn apply_initial_theme() -> bool {
    let from_url = route::parse_query_string(&window().location().search().unwrap_or_default())
        .into_iter()
        .find(|(key, _)| key == "theme")
        .map(|(_, value)| value);
    let light = from_url.or_else(stored).as_deref() == Some("light");
    CHOSEN.with(|chosen| chosen.set(if light { Theme::Light } else { Theme::Dark }));
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-theme", if light { "light" } else { "dark" });
    }
    light
}

/// The top bar's theme switch.
#[component]
pub fn ThemeToggle(light: bool) -> impl IntoView {
    let next = if light { "dark" } else { "light" };
    let on_click = move |_| {
        if let Some(storage) = super::catalogue::local_storage() {
            let _ = storage.set_item(STORAGE_KEY, next);
        }
        // The URL's choice would win after the reload; the explicit switch replaces it.
        let location = window().location();
        let search = location.search().unwrap_or_default();
        let without = route::with_params(&search, &[("theme", None)]);
        let path = location.pathname().unwrap_or_else(|_| "/".into());
        // Assigning the URL loads it again, even when it is the same.
        let _ = location.assign(&format!("{path}{without}"));
    };
    view! {
        <button class="theme-toggle" title=format!("Switch to the {next} theme") on:click=on_click>
            {if light { "Dark theme" } else { "Light theme" }}
        </button>
    }
}
