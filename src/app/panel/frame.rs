//! The frame every querying panel shares: its state and first query as data attributes, the
//! title line with links, and when the panel first comes near the screen (one observer for all).

use crate::app::links::PanelLinks;
use crate::app::panel_data::PanelQueries;
use crate::app::timezone::Zone;
use crate::app::variables::{VariableState, lookup_from};
use crate::view::links::DashboardLink;
use leptos::prelude::*;

use super::PanelGeometry;
use crate::app::explore;
use crate::app::inspect::Inspector;
use crate::app::inspect::PanelMenu;
use crate::app::links::LinkTimeRange;
use crate::variables;

/// The frame of a panel that queries: the state and first query as data attributes (the contract
/// tests and tools rely on), the title, the panel's own time note, and the body.
#[component]
pub(super) fn QueryPanelFrame(
    id: i64,
    panel_ref: NodeRef<leptos::html::Div>,
    state: Signal<&'static str>,
    queries: PanelQueries,
    geometry: Signal<PanelGeometry>,
    title: String,
    links: Vec<DashboardLink>,
    variables: Signal<Option<Vec<VariableState>>>,
    /// Where the panel is in the dashboard's JSON, and the dashboard's zone: for the inspector.
    json_path: String,
    zone: Memo<(Zone, Option<String>)>,
    /// How many annotation events the panel draws (time series only): `data-annotations`.
    #[prop(optional)]
    annotations: Option<Signal<usize>>,
    children: Children,
) -> impl IntoView {
    let time_info = queries.time_info;
    let data = Signal::derive(move || queries.result());
    let utc_offset_minutes = Signal::derive(move || {
        let now = queries.range.get().map_or(0, |r| r.to_ms);
        zone.with(|(zone, _)| zone.offset_minutes(now))
    });
    let inspector_title = title.clone();
    // Explore on the queries as sent (variables filled in), over the dashboard's time range.
    let link_time = use_context::<LinkTimeRange>();
    let explore = Signal::derive(move || {
        let time = link_time?;
        queries.plan.with(|plan| {
            let plan = plan.as_ref().ok().filter(|p| !p.is_empty())?;
            let exprs: Vec<(String, String)> =
                plan.iter().map(|q| (q.ref_id.clone(), q.expr.clone())).collect();
            let datasource = plan.first().map(|q| q.datasource_uid.as_str()).filter(|uid| !uid.is_empty());
            Some(explore::explore_href(datasource, &exprs, &time.from.get(), &time.to.get()))
        })
    });
    // A User Timing mark each time the panel settles (drawn, nodata, error): the benchmark reads
    // them to time a dashboard's load from navigation to pixels; they cost nothing otherwise.
    Effect::new(move |previous: Option<&'static str>| {
        let now = state.get();
        if now != "loading"
            && previous != Some(now)
            && let Some(performance) = window().performance()
        {
            let _ = performance.mark(&format!("promboard:settled:{id}:{now}"));
        }
        now
    });
    view! {
        <div
            class="panel"
            node_ref=panel_ref
            data-panel-id=id
            data-state=move || state.get()
            data-answers=move || queries.answers.get()
            data-step=move || queries.first_query(|q| q.step_s)
            data-start=move || queries.first_query(|q| q.start_s)
            data-end=move || queries.first_query(|q| q.end_s)
            data-expr=move || queries.first_expr()
            data-datasource=move || queries.datasources()
            data-annotations=move || annotations.map(|count| count.get())
            style=move || geometry.get().style()
        >
            <PanelHeader title=title links=links variables=variables>
                <PanelMenu id=id explore=explore />
            </PanelHeader>
            <Inspector id=id title=inspector_title json_path=json_path data=data utc_offset_minutes=utc_offset_minutes />
            {move || time_info.get().map(|info| view! { <span class="panel-time-info">{info}</span> })}
            {move || queries.query_errors().map(|error| {
                let title = error.clone();
                view! { <span class="panel-query-error" role="alert" title=title>{format!("\u{2716} {error}")}</span> }
            })}
            {move || queries.answer_notices().map(|notice| {
                let title = notice.clone();
                view! { <span class="panel-answer-notice" role="status" title=title>{format!("\u{26a0} {notice}")}</span> }
            })}
            {move || queries.datasource_notes().map(|note| {
                let title = note.clone();
                view! { <span class="panel-datasource-note" title=title>{note}</span> }
            })}
            <div class="panel-body">{children()}</div>
        </div>
    }
}

/// The title line; `$variables` in the title are interpolated, as Grafana does. The panel's links
/// open from a menu beside the title.
#[component]
pub(super) fn PanelHeader(
    title: String,
    links: Vec<DashboardLink>,
    #[prop(into, optional)] variables: Option<Signal<Option<Vec<VariableState>>>>,
    /// The panel menu, for panels that have one.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let shown = move || match variables.and_then(|v| v.get()) {
        Some(states) => variables::interpolate(&title, &lookup_from(&states)),
        None => title.clone(),
    };
    let states = Signal::derive(move || variables.and_then(|v| v.get()));
    view! {
        <div class="panel-header">
            <span class="panel-title">{shown}</span>
            <PanelLinks links=links variables=states />
            {children.map(|menu| menu())}
        </div>
    }
}

/// Elements waiting to come near the screen, with what to set when they do.
type Watched = Vec<(web_sys::Element, WriteSignal<bool>)>;

thread_local! {
    /// One observer for every panel, so that panels appearing together are told in one callback and
    /// their identical queries start together (and are shared by the client).
    static NEAR_SCREEN: std::cell::RefCell<Option<web_sys::IntersectionObserver>> = const { std::cell::RefCell::new(None) };
    static WATCHED: std::cell::RefCell<Watched> = const { std::cell::RefCell::new(Vec::new()) };
}

pub(super) fn near_screen_observer() -> Option<web_sys::IntersectionObserver> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    NEAR_SCREEN.with(|slot| {
        if let Some(observer) = slot.borrow().as_ref() {
            return Some(observer.clone());
        }
        let callback = Closure::<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>::new(
            |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
                for entry in
                    entries.iter().filter_map(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
                {
                    if !entry.is_intersecting() {
                        continue;
                    }
                    let target = entry.target();
                    observer.unobserve(&target);
                    let setter = WATCHED.with(|watched| {
                        let mut watched = watched.borrow_mut();
                        let index = watched.iter().position(|(element, _)| *element == target)?;
                        Some(watched.swap_remove(index).1)
                    });
                    if let Some(set_seen) = setter {
                        set_seen.set(true);
                    }
                }
            },
        );
        let options = web_sys::IntersectionObserverInit::new();
        // Query a screen ahead, so scrolling finds panels drawn.
        options.set_root_margin("100% 0px 100% 0px");
        let observer =
            web_sys::IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &options)
                .ok()?;
        // The page-wide observer lives as long as the page.
        callback.forget();
        *slot.borrow_mut() = Some(observer.clone());
        Some(observer)
    })
}

/// Whether the element has come within a screen's height of the viewport (and stays true after).
pub(super) fn use_seen(node: NodeRef<leptos::html::Div>) -> ReadSignal<bool> {
    let (seen, set_seen) = signal(false);
    Effect::new(move |_| {
        let Some(element) = node.get() else { return };
        if seen.get_untracked() {
            return;
        }
        let element: web_sys::Element = element.into();
        match near_screen_observer() {
            Some(observer) => {
                WATCHED.with(|watched| watched.borrow_mut().push((element.clone(), set_seen)));
                observer.observe(&element);
            }
            // Without IntersectionObserver, query at once.
            None => set_seen.set(true),
        }
    });
    on_cleanup(move || {
        if let Some(element) = node.get_untracked() {
            let element: web_sys::Element = element.into();
            WATCHED.with(|watched| watched.borrow_mut().retain(|(e, _)| *e != element));
            if let Some(observer) = NEAR_SCREEN.with(|slot| slot.borrow().clone()) {
                observer.unobserve(&element);
            }
        }
    });
    seen
}
