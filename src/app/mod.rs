//! The browser app (wasm32 only): Leptos components, the URL, the canvas and the dashboard files.
//!
//! Components read state and results; they do not compute: planning is [`crate::query`], naming and
//! colours [`crate::field`], chart maths [`crate::chart`]. Network I/O is confined to
//! [`crate::prom::client`] (Prometheus), [`catalogue`] (dashboard files) and [`save`] (writing
//! them back); the DOM canvas to [`canvas`].

mod annotations;
pub mod bench;
mod browser;
pub mod canvas;
mod catalogue;
mod dashboard;
mod dashboard_settings;
mod edit_bar;
mod editing;
mod explore;
mod exporter;
mod grid;
mod importer;
mod inspect;
mod links;
mod location;
mod operations;
mod panel;
mod panel_data;
mod panel_editor;
mod promql_field;
mod save;
mod sections;
mod theme;
mod timezone;
mod toolbar;
mod variables;

use crate::explore::EXPLORE_PATH;
use crate::route::ALERTS_PATH;
use crate::route::IMPORT_PATH;
use crate::route::RULES_PATH;
use crate::route::Route;
use crate::route::TARGETS_PATH;
use leptos::prelude::*;

/// Mounts the app on `<body>`.
pub fn mount() {
    // A panic stops the app with a bare "unreachable" trap: record what it said first, where the
    // page's error banner and the end-to-end tests read uncaught errors (index.html).
    std::panic::set_hook(Box::new(|info| {
        let message = format!("panic: {info}");
        web_sys::console::error_1(&message.as_str().into());
        if let Some(window) = web_sys::window()
            && let Ok(errors) = js_sys::Reflect::get(&window, &"__promboardErrors".into())
            && let Some(errors) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Array>(&errors)
        {
            errors.push(&message.into());
        }
    }));
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let light = theme::apply_initial_theme();
    let url = location::provide_url_state();
    catalogue::provide_catalogue();
    catalogue::provide_imported();
    let datasources = catalogue::provide_datasources();
    let route = Memo::new(move |_| Route::parse(&url.path.get()));
    view! {
        <header class="topbar">
            <location::Link href="/".to_string() class="brand">"promboard"</location::Link>
            <span class="spacer"></span>
            <location::Link href=ALERTS_PATH.to_string() class="nav-alerts">"Alerts"</location::Link>
            <location::Link href=TARGETS_PATH.to_string() class="nav-targets">"Targets"</location::Link>
            <location::Link href=RULES_PATH.to_string() class="nav-rules">"Rules"</location::Link>
            <location::Link href=EXPLORE_PATH.to_string() class="nav-explore">"Explore"</location::Link>
            <location::Link href=IMPORT_PATH.to_string() class="nav-import">"Import"</location::Link>
            <theme::ThemeToggle light=light />
        </header>
        <main class="page">
            // Pages wait for the datasources: every query and migration resolves references by them.
            {move || datasources.0.get().map(|problem| view! {
                {problem.map(|message| view! { <div class="notice datasources-problem" role="alert">{message}</div> })}
                {move || match route.get() {
                    Route::Browser => view! { <browser::DashboardBrowser /> }.into_any(),
                    Route::Import => view! { <importer::ImportPage /> }.into_any(),
                    Route::Dashboard { uid, slug } => view! { <dashboard::DashboardPage uid=uid slug=slug /> }.into_any(),
                    Route::Alerts => view! { <operations::AlertsPage /> }.into_any(),
                    Route::Targets => view! { <operations::TargetsPage /> }.into_any(),
                    Route::Rules => view! { <operations::RulesPage /> }.into_any(),
                    Route::Explore => view! { <explore::ExplorePage /> }.into_any(),
                    Route::NotFound { path } => view! { <NotFound path=path /> }.into_any(),
                }}
            })}
        </main>
    }
}

/// Shown for any URL the app does not know, with a way back.
#[component]
fn NotFound(path: String) -> impl IntoView {
    view! {
        <section class="not-found" data-page="not-found">
            <h1>"Page not found"</h1>
            <p>"There is nothing at " <code>{path}</code> "."</p>
            <p>
                "Dashboards live at " <code>"/d/<uid>/<slug>"</code> ". "
                <location::Link href="/".to_string() class="">"Browse all dashboards"</location::Link>
            </p>
        </section>
    }
}
