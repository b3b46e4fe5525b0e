//! One dashboard (`/d/<uid>/<slug>`): finds the provisioned file, resolves the time range from the
//! URL (else the dashboard's default), lays out the 24-column grid and runs auto-refresh.

use super::catalogue::{Progress, need_catalogue, use_catalogue, use_imported, want_dashboard};
use super::exporter::ExportButton;
use super::grid::{
    content_keys, geometry_of, grid_layout, use_element_width, use_visible_band, with_single_value,
};
use super::links::{DashboardLinks, LinkCandidate, LinkTimeRange};
use super::location::{Link, use_url_state};
use super::panel::{PanelFrame, SharedCursor};
use super::panel_data::ScrapeInterval;
use super::save::Origin;
use super::timezone::Zone;
use super::toolbar::Toolbar;
use super::variables::{VariablePickers, VariableState, use_variables};
use crate::interval::parse_duration_ms;
use crate::model::Dashboard;
use crate::route::param;
use crate::view::repeat::Shown;
use crate::view::{DashboardView, GRID_MARGIN_PX, GRID_ROW_HEIGHT_PX, GridPos, PanelKind, PanelView};
use leptos::html::Div;
use leptos::prelude::*;
use std::collections::HashMap;
use std::time::Duration;

use crate::app::catalogue;
use crate::interval;
use crate::interval::MIN_REFRESH_MS;
use crate::prom::client;
use crate::provisioning::CatalogueEntry;
use crate::query::DEFAULT_SCRAPE_INTERVAL_MS;
use crate::variables;
use crate::view::GRID_COLUMNS;
use crate::view::NARROW_GRID_PX;

/// Which file a `/d/<uid>` page shows.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    /// Neither the catalogue nor this browser's last catalogue knows the uid yet.
    Looking,
    /// A provisioned file, read when the page opens.
    File {
        url_path: String,
    },
    /// A dashboard imported into this browser, with its text.
    Imported {
        url_path: String,
        text: String,
    },
    NotFound,
    ListingFailed(String),
}

/// A dashboard by uid. With the catalogue this browser stored last, a bookmarked `/d/<uid>` opens
/// its file at once, without waiting for the folder to be listed and read; when the listing
/// agrees (the usual case) the page is not built again.
#[component]
pub fn DashboardPage(uid: String, slug: String) -> impl IntoView {
    let catalogue = use_catalogue();
    let imported = use_imported();
    let stored = super::catalogue::stored_catalogue();
    let cached_path = stored.url_path_of(&uid).map(str::to_string);
    // Until the listing is read, `dashboards` links list what this browser stored last.
    let candidate = |e: &CatalogueEntry| (e.uid.clone(), e.title.clone(), e.tags.clone());
    let stored_candidates: Vec<LinkCandidate> = stored.entries().map(candidate).collect();
    let wanted = uid.clone();
    let target = Memo::new(move |_| {
        if let Some(found) = imported.0.with(|list| list.iter().find(|d| d.entry.uid == wanted).cloned()) {
            return Target::Imported { url_path: found.entry.url_path, text: found.text.unwrap_or_default() };
        }
        catalogue.with(|catalogue| {
            let found = catalogue.dashboards.iter().find(|d| d.entry.uid == wanted && d.entry.note.is_none());
            match (found, &catalogue.progress) {
                (Some(found), _) => Target::File { url_path: found.entry.url_path.clone() },
                (None, Progress::Failed(message)) => Target::ListingFailed(message.clone()),
                (None, Progress::Complete) => Target::NotFound,
                // Still reading: the file this browser knew for the uid, else keep looking.
                (None, _) => {
                    cached_path.clone().map_or(Target::Looking, |url_path| Target::File { url_path })
                }
            }
        })
    });
    // While the uid is not known, the catalogue is read — files named like it first; once the
    // file is known the remaining reads wait, so the dashboard gets the connections.
    let looking_for = (uid.clone(), slug);
    Effect::new(move |_| {
        let looking = target.get() == Target::Looking;
        want_dashboard(looking.then(|| looking_for.clone()));
        need_catalogue("dashboard", looking);
    });
    on_cleanup(|| {
        want_dashboard(None);
        need_catalogue("dashboard", false);
    });
    // What `dashboards` links may list: every dashboard known so far (before the listing is read,
    // what this browser stored last), and the imported ones.
    let link_candidates: Signal<Vec<LinkCandidate>> = Memo::new(move |_| {
        let mut known: Vec<LinkCandidate> = catalogue.with(|catalogue| {
            if catalogue.dashboards.is_empty() {
                stored_candidates.clone()
            } else {
                catalogue
                    .dashboards
                    .iter()
                    .filter(|d| d.entry.error.is_none())
                    .map(|d| candidate(&d.entry))
                    .collect()
            }
        });
        known.extend(imported.0.with(|list| list.iter().map(|d| candidate(&d.entry)).collect::<Vec<_>>()));
        known
    })
    .into();
    move || match target.get() {
        Target::Looking => view! { <p class="muted">"Loading dashboard…"</p> }.into_any(),
        Target::ListingFailed(message) => {
            view! { <p class="error-banner">"Cannot list dashboards: " {message}</p> }.into_any()
        }
        Target::NotFound => view! {
            <section class="not-found" data-page="not-found">
                <h1>"Dashboard not found"</h1>
                <p>"No provisioned dashboard has the uid " <code>{uid.clone()}</code> "."</p>
                <Link href="/".to_string() class="">"Browse all dashboards"</Link>
            </section>
        }
        .into_any(),
        Target::Imported { url_path, text } => {
            let origin = Origin::Imported { uid: uid.clone() };
            shown_file(uid.clone(), url_path, &text, link_candidates, origin).into_any()
        }
        Target::File { url_path } => {
            view! { <ProvisionedFile uid=uid.clone() url_path=url_path link_candidates=link_candidates /> }
                .into_any()
        }
    }
}

/// A provisioned file, read from the server when its page opens.
#[component]
fn ProvisionedFile(
    uid: String,
    url_path: String,
    link_candidates: Signal<Vec<LinkCandidate>>,
) -> impl IntoView {
    let path = url_path.clone();
    let file = LocalResource::new(move || {
        let path = path.clone();
        async move { super::catalogue::fetch_file(&path).await }
    });
    move || match file.get() {
        None => view! { <p class="muted">"Loading dashboard…"</p> }.into_any(),
        Some(Err(message)) => cannot_show(message).into_any(),
        Some(Ok(file)) => {
            let origin = Origin::File {
                url_path: url_path.clone(),
                version: file.version,
                accepts_saving: file.accepts_saving,
            };
            shown_file(uid.clone(), url_path.clone(), &file.text, link_candidates, origin).into_any()
        }
    }
}

/// Why a dashboard's file cannot be shown (it could not be read, or is not a dashboard).
fn cannot_show(message: String) -> impl IntoView {
    view! {
        <section class="error-banner" data-state="error">
            <h1>"This dashboard cannot be shown"</h1>
            <p>{message}</p>
        </section>
    }
}

/// A file's text shown as an editable dashboard, or why it cannot be. Parsing the file, preparing
/// its edit session, each step of deriving its view and building the page each take a task of
/// their own: on a file of megabytes each takes a while, and together they would hold the page as
/// long.
fn shown_file(
    uid: String,
    url_path: String,
    text: &str,
    link_candidates: Signal<Vec<LinkCandidate>>,
    origin: Origin,
) -> impl IntoView {
    use super::editing::{Editing, Prepared};
    let prepared: StoredValue<Option<Result<Prepared, String>>, LocalStorage> = StoredValue::new_local(None);
    let ready = RwSignal::new(false);
    let text = text.to_string();
    let (file_uid, file_path) = (uid.clone(), url_path.clone());
    leptos::task::spawn_local(async move {
        let next_task = || gloo_timers::future::TimeoutFuture::new(0);
        next_task().await;
        let result = match Dashboard::parse(&file_path, &text) {
            Ok(model) => {
                drop(text);
                next_task().await;
                Ok(Editing::prepare(&file_uid, model).await)
            }
            Err(error) => Err(error.to_string()),
        };
        // The page may have gone meanwhile.
        if prepared.try_set_value(Some(result)).is_none() {
            ready.try_set(true);
        }
    });
    move || {
        if !ready.get() {
            return view! { <p class="muted">"Loading dashboard…"</p> }.into_any();
        }
        match prepared.try_update_value(Option::take).flatten() {
            Some(Ok(prepared)) => view! {
                <EditableDashboard uid=uid.clone() source=url_path.clone() prepared=prepared link_candidates=link_candidates origin=origin.clone() />
            }
            .into_any(),
            Some(Err(message)) => cannot_show(message).into_any(),
            None => ().into_any(),
        }
    }
}

/// A dashboard open for viewing and editing: its draft when the browser has one, else the file.
/// A change to the panels updates the page in place: panels whose JSON is unchanged keep their
/// data (a moved one only moves), changed and new ones are drawn afresh. A change to anything
/// else (variables, time settings, title, links…) rebuilds the page; the URL keeps the range,
/// variables and open editors.
#[component]
fn EditableDashboard(
    uid: String,
    source: String,
    prepared: super::editing::Prepared,
    link_candidates: Signal<Vec<LinkCandidate>>,
    origin: Origin,
) -> impl IntoView {
    let editing = super::editing::Editing::open(&uid, &source, prepared);
    super::save::provide_saving(origin, editing);
    let uid = StoredValue::new(uid);
    // Derived from the session's document without copying it whole: a dashboard may be megabytes
    // and this runs after every edit. Everything but the panels (`rows` are the panels of files
    // before schema 16; a resource keeps them in its `spec`, a v2 one as `elements` and `layout`):
    let frame = Memo::new(move |_| {
        editing.session.with(|s| {
            let document = &s.current;
            let is_resource = document.get("kind").and_then(|k| k.as_str()) == Some("Dashboard");
            let holder = match document.get("spec").and_then(|spec| spec.as_object()) {
                Some(spec) if is_resource => spec,
                _ => document,
            };
            holder
                .iter()
                .filter(|(key, _)| !matches!(key.as_str(), "panels" | "rows" | "elements" | "layout"))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect::<serde_json::Map<_, _>>()
        })
    });
    // The view of the session's document, derived by the session after each change.
    let live: Signal<DashboardView> = editing.view.into();
    // How many times the page was built: tools can tell a rebuild from an update in place.
    let builds = StoredValue::new(0_u32);
    move || {
        // Read, not only tracked: a memo never read has not run, so it would not know its inputs.
        frame.with(|_| ());
        builds.update_value(|n| *n += 1);
        view! {
            <div class="dashboard-page" data-builds=builds.get_value()>
                <DashboardBody
                    dashboard=live.get_untracked()
                    live=live
                    uid=uid.get_value()
                    link_candidates=link_candidates
                />
            </div>
        }
    }
}

#[component]
fn DashboardBody(
    /// The dashboard when the page was built (its settings, variables, time defaults).
    dashboard: DashboardView,
    /// The dashboard as it is now: its panels are laid out from this.
    live: Signal<DashboardView>,
    /// The uid in the URL (files without one get a uid from their path).
    uid: String,
    link_candidates: Signal<Vec<LinkCandidate>>,
) -> impl IntoView {
    let url = use_url_state();
    let default_from = dashboard.time_from.clone();
    let default_to = dashboard.time_to.clone();
    let default_refresh = dashboard.refresh.clone();
    let from = Memo::new(move |_| url.query_param(param::FROM).unwrap_or_else(|| default_from.clone()));
    let to = Memo::new(move |_| url.query_param(param::TO).unwrap_or_else(|| default_to.clone()));
    // The browser tab names the dashboard, as Grafana's does ("Title - Dashboards - Grafana").
    Effect::new(move |_| {
        let title = live.with(|d| d.title.clone());
        let title = if title.trim().is_empty() { "Untitled dashboard".to_string() } else { title };
        document().set_title(&format!("{title} - promboard"));
    });
    on_cleanup(|| document().set_title("promboard"));
    // For dashboard lists' "Recently viewed".
    super::panel::remember_viewed(&uid);
    let offered_refresh = dashboard.refresh_intervals.clone();
    // Grafana clamps a `?refresh=` to the offered choices; the file's own value runs as written
    // (never under the minimum).
    let refresh = Memo::new(move |_| match url.query_param(param::REFRESH) {
        Some(value) => interval::effective_refresh(Some(&value), &offered_refresh),
        None => interval::file_refresh(default_refresh.as_deref()),
    });
    let default_zone = dashboard.timezone.clone();
    let zone = Memo::new(move |_| {
        Zone::parse(&url.query_param(param::TIMEZONE).unwrap_or_else(|| default_zone.clone()))
    });
    // Bumped by the refresh button and auto-refresh; "now" is read again each time.
    let refresh_count = RwSignal::new(0_u64);
    let (range, zone_offset) = super::timezone::use_time_range(from, to, zone, refresh_count);
    let zone_notice = move || zone.get().1;
    let range_error = Signal::derive(move || range.get().err());
    let mut variables_with_builtins = dashboard.variables.clone();
    variables_with_builtins.push(variables::builtin_constant("__dashboard", &dashboard.title));
    let variables = use_variables(variables_with_builtins, range);
    provide_context(LinkTimeRange { from, to });
    provide_context(SharedCursor { time: RwSignal::new(None), mode: dashboard.graph_tooltip });
    // Prometheus's own scrape interval; where it cannot be read (some backends), Grafana's 15 s.
    let scrape = LocalResource::new(|| async {
        let default = catalogue::datasources().default_datasource().clone();
        client::scrape_interval_ms(&default).await
    });
    let scrape_interval =
        Signal::derive(move || scrape.get().map(|answer| answer.unwrap_or(DEFAULT_SCRAPE_INTERVAL_MS)));
    provide_context(ScrapeInterval(Signal::derive(move || {
        scrape_interval.get().unwrap_or(DEFAULT_SCRAPE_INTERVAL_MS)
    })));
    // The last successful evaluation; panels wait for the first one.
    let variable_states: Signal<Option<Vec<VariableState>>> =
        Signal::derive(move || variables.get().map(|result| result.unwrap_or_default()));
    let variables_error = move || variables.get().and_then(Result::err);
    let annotations =
        super::annotations::provide_annotations(dashboard.annotations.clone(), range, variable_states);
    let on_refresh = Callback::new(move |()| refresh_count.update(|n| *n += 1));
    use_auto_refresh(refresh, on_refresh);

    let grid_ref = NodeRef::<Div>::new();
    let grid_width = use_element_width(grid_ref);
    let initially_collapsed: HashMap<i64, bool> = dashboard
        .panels
        .iter()
        .filter_map(|p| match p.kind {
            PanelKind::Row { collapsed } => Some((p.id, collapsed)),
            _ => None,
        })
        .collect();
    let collapsed = RwSignal::new(initially_collapsed);
    let dashboard = StoredValue::new(dashboard);
    // A row the page has not seen yet (added or changed since) starts as its JSON says.
    let row_collapsed = move |id: i64| {
        live.with_untracked(|d| {
            d.panels.iter().any(|p| p.id == id && matches!(p.kind, PanelKind::Row { collapsed: true }))
        })
    };
    let narrow = Memo::new(move |_| {
        let width = grid_width.get();
        width > 0.0 && width < NARROW_GRID_PX
    });
    // What a v2 dashboard's tabs and rules show now.
    let sections = super::sections::use_sections(live, range, from, to, variable_states);
    // Grafana's `viewPanel`: one panel alone, the width of the grid and the height of the window.
    let view_panel =
        Memo::new(move |_| url.query_param(param::VIEW_PANEL).and_then(|id| id.parse::<i64>().ok()));
    // Not compared with the previous layout (as costly as making it): what depends on it compares
    // the cheap parts it reads (`placed`, the keys).
    let layout = Memo::new_with_compare(
        move |_| {
            let collapsed = collapsed.get();
            let states = variable_states.get().unwrap_or_default();
            let narrow = narrow.get();
            let hidden = sections.with(|s| s.hidden.clone());
            let all: Vec<(Shown, GridPos)> = content_keys(live.with(|d| {
                // Auto grids follow the width; other dashboards do not depend on it.
                let width = if d.sections.auto_grids.is_empty() { 0.0 } else { grid_width.get() };
                let is_collapsed = |p: &PanelView| {
                    collapsed
                        .get(&p.id)
                        .copied()
                        .unwrap_or(matches!(p.kind, PanelKind::Row { collapsed: true }))
                };
                grid_layout(d, &states, is_collapsed, narrow, &hidden, width)
            }));
            match view_panel.get() {
                Some(id) if all.iter().any(|(s, _)| s.panel.id == id) => {
                    let window_height =
                        window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(800.0);
                    let rows = ((window_height - 150.0) / (GRID_ROW_HEIGHT_PX + GRID_MARGIN_PX) as f64)
                        .floor()
                        .max(6.0);
                    all.into_iter()
                        .filter(|(s, _)| s.panel.id == id)
                        .take(1)
                        .map(|(s, _)| (s, GridPos { x: 0, y: 0, w: GRID_COLUMNS, h: rows as i64 }))
                        .collect()
                }
                _ => all,
            }
        },
        |_, _| true,
    );
    // Each shown panel's place in the layout and position, by key: a panel finds its own in one
    // lookup (a search through thousands of panels, for each of them, took seconds). The layout is
    // read by reference: it holds every panel's JSON.
    let placed = Memo::new(move |_| {
        layout.with(|l| {
            l.iter()
                .enumerate()
                .map(|(i, (s, pos))| (s.key.clone(), (i, *pos)))
                .collect::<HashMap<String, (usize, GridPos)>>()
        })
    });
    let toggle_row = Callback::new(move |id: i64| {
        collapsed.update(|c| {
            let entry = c.entry(id).or_insert_with(|| row_collapsed(id));
            *entry = !*entry;
        })
    });
    let help_open = RwSignal::new(false);
    let drag = RwSignal::new(None::<super::edit_bar::Drag>);
    // A grid column's and row's size in CSS px, margins included: what a drag is divided by.
    let units = Signal::derive(move || {
        let margin = GRID_MARGIN_PX as f64;
        let column = (grid_width.get() - margin * (GRID_COLUMNS - 1) as f64) / GRID_COLUMNS as f64;
        (column + margin, (GRID_ROW_HEIGHT_PX + GRID_MARGIN_PX) as f64)
    });
    super::edit_bar::use_drag(drag, units);
    let shown_positions = Signal::derive(move || {
        layout.with(|l| l.iter().map(|(s, pos)| (s.panel.id, *pos)).collect::<Vec<_>>())
    });
    super::edit_bar::use_shortcuts(range, on_refresh, help_open, shown_positions);
    let editing = expect_context::<super::editing::Editing>();
    let grid_height = move || {
        let bottom = layout.with(|l| l.iter().map(|(_, pos)| pos.y + pos.h).max().unwrap_or(0));
        format!("{}px", bottom * (GRID_ROW_HEIGHT_PX + GRID_MARGIN_PX))
    };
    let render_panel = move |key: String| {
        let shown = layout.with_untracked(|l| {
            Some(l.get(placed.with_untracked(|p| p.get(&key).map(|(i, _)| *i))?)?.0.clone())
        })?;
        let panel = shown.panel;
        let position = {
            let key = key.clone();
            Signal::derive(move || placed.with(|p| p.get(&key).map(|(_, pos)| *pos)))
        };
        let id = panel.id;
        let geometry = Memo::new(move |_| {
            let width = grid_width.get();
            let mut geometry = position.get().map(|pos| geometry_of(pos, width)).unwrap_or_default();
            // A panel being dragged follows the pointer until it is dropped on the grid.
            if let Some(d) = drag.get().filter(|d| d.id == id) {
                if d.resizing {
                    geometry.width = (geometry.width + d.dx).max(40.0);
                    geometry.height = (geometry.height + d.dy).max(30.0);
                } else {
                    geometry.left += d.dx;
                    geometry.top += d.dy;
                }
            }
            geometry
        });
        let start_drag = move |event: leptos::ev::MouseEvent, resizing: bool| {
            if event.button() != 0 {
                return;
            }
            event.prevent_default();
            event.stop_propagation();
            editing.selected.set(Some(id));
            if let Some(start) = position.get_untracked() {
                let (x, y) = (f64::from(event.client_x()), f64::from(event.client_y()));
                drag.set(Some(super::edit_bar::Drag {
                    id,
                    start,
                    start_x: x,
                    start_y: y,
                    dx: 0.0,
                    dy: 0.0,
                    resizing,
                }));
            }
        };
        let arrange_overlay = move || {
            // Arranging works on the wide grid: a narrow screen's stack or one panel viewed alone
            // are not where the panels are.
            (editing.layout_mode.get() && !narrow.get() && view_panel.get().is_none()).then(|| view! {
                <div class="arrange-overlay" class:selected=move || editing.selected.get() == Some(id) data-arrange-id=id
                    style=move || geometry.get().style() title="Drag to move; drag the corner to resize; arrows move, Shift+arrows resize"
                    on:mousedown=move |e| start_drag(e, false)>
                    <span class="resize-corner" on:mousedown=move |e| start_drag(e, true)></span>
                </div>
            })
        };
        // A repeated copy sees its variable set to its own value.
        let variable_states = if shown.scoped.is_empty() {
            variable_states
        } else {
            let scoped = shown.scoped.clone();
            Signal::derive(move || {
                variable_states.get().map(|states| {
                    scoped.iter().fold(states, |states, (name, value)| with_single_value(states, name, value))
                })
            })
        };
        let is_collapsed = Signal::derive(move || {
            collapsed.with(|c| c.get(&id).copied().unwrap_or_else(|| row_collapsed(id)))
        });
        Some(view! {
            <PanelFrame
                panel=panel
                geometry=geometry
                range=range
                zone=zone
                variables=variable_states
                refresh_count=refresh_count
                collapsed=is_collapsed
                on_toggle_row=toggle_row
            />
            {arrange_overlay}
        })
    };
    // Only the panels near the screen are on the page (within a screen above and below the
    // window, like the queries): a dashboard of thousands of panels would otherwise build, update
    // and lay out thousands of frames after every change. Scrolling mounts the panels it reaches;
    // a panel far off the screen is removed and queried again when it comes back.
    let band = use_visible_band(grid_ref, layout);
    let panel_paths = Memo::new(move |_| {
        let (above, below) = band.get();
        let width = grid_width.get();
        layout.with(|l| {
            l.iter()
                .filter(|(_, pos)| {
                    let geometry = geometry_of(*pos, width);
                    geometry.top + geometry.height >= above && geometry.top <= below
                })
                .map(|(shown, _)| shown.key.clone())
                .collect::<Vec<String>>()
        })
    });
    let notices = dashboard.with_value(|d| d.notices.clone());
    let migration = dashboard.with_value(|d| d.migration.clone());
    let title = dashboard.with_value(|d| d.title.clone());
    let title_for_export = title.clone();
    let refresh_intervals = dashboard.with_value(|d| d.refresh_intervals.clone());
    let links = dashboard.with_value(|d| d.links.clone());

    view! {
        <Toolbar
            title=title
            from=from
            to=to
            refresh=refresh
            range_error=range_error
            range=range
            utc_offset_minutes=zone_offset
            on_refresh=on_refresh
            refresh_intervals=refresh_intervals
        />
        {move || zone_notice().map(|message| view! { <p class="notice">{message}</p> })}
        <div class="toolbar-secondary">
            <VariablePickers states=Signal::derive(move || variable_states.get().unwrap_or_default()) />
            <super::annotations::AnnotationToggles annotations=annotations />
            <span class="spacer"></span>
            <DashboardLinks
                links=links
                current_uid=Some(uid)
                candidates=link_candidates
                from=from
                to=to
                variables=variable_states
            />
            <ExportButton title=title_for_export />
        </div>
        <super::edit_bar::EditBar />
        <super::edit_bar::ShortcutsHelp open=help_open />
        {move || variables_error().map(|message| view! { <p class="error-banner variables-error">{message}</p> })}
        {notices.into_iter().map(|n| view! {
            <p class="notice">{format!("{}: {}", n.json_path, n.message)}</p>
        }).collect_view()}
        {(!migration.is_empty()).then(|| view! {
            <details class="migration-report">
                <summary>{format!("Upgraded from an older Grafana schema: {} note(s)", migration.len())}</summary>
                <ul>
                    {migration.into_iter().map(|n| view! {
                        <li><code>{n.json_path}</code>" "{n.what}</li>
                    }).collect_view()}
                </ul>
            </details>
        })}
        {move || url.query_param(param::EDIT_PANEL).and_then(|id| id.parse::<i64>().ok()).map(|id| view! {
            <super::panel_editor::PanelEditor id=id range=range zone=zone variables=variable_states refresh_count=refresh_count />
        })}
        {move || url.query_param(param::EDIT_VIEW).map(|view| view! { <super::dashboard_settings::SettingsView view=view range=range /> })}
        <super::sections::TabBar live=live sections=sections />
        <div class="grid" node_ref=grid_ref style:height=grid_height class:arranging=move || editing.layout_mode.get()
            on:mouseover=move |event: leptos::ev::MouseEvent| {
                use wasm_bindgen::JsCast;
                let id = event.target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|e| e.closest("[data-panel-id]").ok().flatten())
                    .and_then(|p| p.get_attribute("data-panel-id"))
                    .and_then(|id| id.parse::<i64>().ok());
                editing.hovered.set(id);
            }>
            <Show when=move || {
                grid_width.get() > 0.0 && variable_states.with(Option::is_some) && scrape_interval.with(Option::is_some)
            }>
                <For
                    each=move || panel_paths.get()
                    key=|path| path.clone()
                    children=render_panel
                />
            </Show>
        </div>
    }
}

/// Calls `on_tick` every `refresh` interval while the tab is visible; restarts when it changes.
fn use_auto_refresh(refresh: Memo<Option<String>>, on_tick: Callback<()>) {
    let handle: StoredValue<Option<IntervalHandle>> = StoredValue::new(None);
    let stop = move || {
        if let Some(previous) = handle.try_update_value(Option::take).flatten() {
            previous.clear();
        }
    };
    Effect::new(move |_| {
        stop();
        let Some(interval_ms) = refresh.get().as_deref().and_then(parse_duration_ms) else { return };
        let interval = Duration::from_millis(interval_ms.max(MIN_REFRESH_MS) as u64);
        let tick = move || {
            if document().visibility_state() == web_sys::VisibilityState::Visible {
                on_tick.run(());
            }
        };
        if let Ok(new_handle) = set_interval_with_handle(tick, interval) {
            handle.set_value(Some(new_handle));
        }
    });
    on_cleanup(stop);
}
