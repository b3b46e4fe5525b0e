//! The dashboard's annotations in the page: the toggles above the panels (one per annotation that
//! is not hidden, as Grafana shows them) and the events, loaded once for the whole dashboard on
//! every range, variable and toggle change (so on every refresh) through [`crate::annotations`]
//! over the browser's transport. Time-series panels read the events from here; they do not fetch.

use super::variables::{VariableState, lookup_from};
use crate::annotations::{AnnotationEvent, load};
use crate::app::catalogue;
use crate::app::theme::chosen_theme;
use crate::field::display;
use crate::prom::client;
use crate::time::TimeRange;
use crate::view::annotations::AnnotationQuery;
use leptos::prelude::*;

/// What every panel of a dashboard shares about its annotations.
#[derive(Clone, Copy)]
pub struct DashboardAnnotations {
    pub queries: StoredValue<Vec<AnnotationQuery>>,
    /// Which annotations are on, by index in the dashboard's list.
    pub enabled: RwSignal<Vec<bool>>,
    /// The events of the annotations that are on, with the errors of those that failed.
    pub loaded: LocalResource<(Vec<AnnotationEvent>, Vec<String>)>,
}

pub fn provide_annotations(
    queries: Vec<AnnotationQuery>,
    range: Memo<Result<TimeRange, String>>,
    variables: Signal<Option<Vec<VariableState>>>,
) -> DashboardAnnotations {
    let enabled = RwSignal::new(queries.iter().map(|q| q.enabled).collect::<Vec<_>>());
    let queries = StoredValue::new(queries);
    let loaded = LocalResource::new(move || {
        let range = range.get();
        let on = enabled.get();
        let states = variables.get();
        let asked: Vec<(usize, AnnotationQuery)> = queries.with_value(|queries| {
            queries
                .iter()
                .enumerate()
                .filter(|(index, query)| on.get(*index).copied().unwrap_or(false) && query.runs_here())
                .map(|(index, query)| (index, query.clone()))
                .collect()
        });
        async move {
            // Nothing on, or the variables not evaluated yet: nothing to ask.
            let (Ok(range), Some(states)) = (range, states) else { return (Vec::new(), Vec::new()) };
            if asked.is_empty() {
                return (Vec::new(), Vec::new());
            }
            let datasources = catalogue::datasources();
            let transport = client::transport();
            let lookup = lookup_from(&states);
            let results = load(&transport, &datasources, &asked, range, &lookup).await;
            let mut events = Vec::new();
            let mut errors = Vec::new();
            for result in results {
                match result {
                    Ok(found) => events.extend(found),
                    Err(error) => errors.push(error),
                }
            }
            (events, errors)
        }
    });
    let annotations = DashboardAnnotations { queries, enabled, loaded };
    provide_context(annotations);
    annotations
}

impl DashboardAnnotations {
    /// Every event of the annotations turned on, whatever panels they are for (the annotations
    /// list panel lists them all).
    pub fn all(&self) -> Vec<AnnotationEvent> {
        let Some((events, _)) = self.loaded.get() else { return Vec::new() };
        let on = self.enabled.get();
        events.into_iter().filter(|event| on.get(event.source).copied().unwrap_or(false)).collect()
    }

    /// The events panel `panel_id` draws, each with its annotation's colour.
    pub fn for_panel(&self, panel_id: i64) -> Vec<(AnnotationEvent, String)> {
        let Some((events, _)) = self.loaded.get() else { return Vec::new() };
        let on = self.enabled.get();
        self.queries.with_value(|queries| {
            events
                .into_iter()
                .filter(|event| on.get(event.source).copied().unwrap_or(false))
                .filter_map(|event| {
                    let query = queries.get(event.source)?;
                    query.shows_on(panel_id).then(|| (event, query.color.clone()))
                })
                .collect()
        })
    }
}

/// One toggle per annotation that is not hidden; a failing annotation says why on its toggle.
#[component]
pub fn AnnotationToggles(annotations: DashboardAnnotations) -> impl IntoView {
    let shown: Vec<(usize, AnnotationQuery)> = annotations
        .queries
        .with_value(|queries| queries.iter().cloned().enumerate().filter(|(_, q)| !q.hidden).collect());
    shown
        .into_iter()
        .map(|(index, query)| {
            let name = query.name.clone();
            let error = move || {
                let prefix = format!("annotation {:?}:", name);
                annotations.loaded.get().and_then(|(_, errors)| errors.into_iter().find(|e| e.starts_with(&prefix)))
            };
            let explanation = if query.built_in {
                "No Grafana database here: shows the alerts Prometheus fired (ALERTS) as regions".to_string()
            } else if query.runs_here() {
                query.expr.clone()
            } else {
                "Not a Prometheus query: promboard does not run it".to_string()
            };
            let checked = move || annotations.enabled.with(|on| on.get(index).copied().unwrap_or(false));
            view! {
                <label class="annotation-toggle" title=explanation data-annotation=query.name.clone()>
                    <input type="checkbox" prop:checked=checked
                        on:change=move |_| annotations.enabled.update(|on| {
                            if let Some(flag) = on.get_mut(index) { *flag = !*flag; }
                        }) />
                    <span class="swatch" style=format!("background:{}", display::color_by_name(&query.color, chosen_theme()))></span>
                    {query.name.clone()}
                    {move || error().map(|message| view! { <span class="annotation-error" role="alert" title=message>" ⚠"</span> })}
                </label>
            }
        })
        .collect_view()
}
