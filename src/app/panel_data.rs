//! A querying panel's data: its own time range (`timeFrom`/`timeShift`), its query plan, and the
//! results of [`crate::data::load_panel`] over the browser's transport once the panel is near the
//! screen and on every refresh. Components read what to draw from here; they do not fetch.

use super::catalogue::datasources;
use super::theme::chosen_theme;
use super::timezone::Zone;
use super::variables::{VariableState, adhoc_filters, lookup_from};
use crate::app::catalogue;
pub(super) use crate::data::PanelData;
use crate::data::{Env, load_panel};
use crate::panels::timeseries;
use crate::prom::client::transport;
use crate::query::{DEFAULT_SCRAPE_INTERVAL_MS, PlanContext, PlannedQuery, plan_panel_queries};
use crate::time::{TimeRange, panel_time_override};
use crate::variables;
use crate::variables::Replacement;
use crate::view::PanelView;
use leptos::prelude::*;

/// The scrape interval `$__rate_interval` and the minimum step use, read from Prometheus's own
/// configuration by the dashboard (Grafana's datasource "Scrape interval").
#[derive(Clone, Copy)]
pub struct ScrapeInterval(pub Signal<i64>);

/// Runs a panel's queries at once (the transport bounds how many go out) on the datasources in
/// force, and combines the answers (a failing query fails alone) in the chosen theme's colours.
async fn run_queries(queries: Vec<PlannedQuery>) -> Result<PanelData, String> {
    let datasources = datasources();
    load_panel(&transport(), Env { datasources: &datasources, theme: chosen_theme() }, queries).await
}

/// An answer and the panel's range it was asked for. Equal when the range is and the data is
/// the same sample for sample ([`PanelData::same_as`]): with a relative range every refresh moves
/// the range, so the chart follows it even when the samples did not change.
#[derive(Clone, Debug)]
pub(super) struct Answered {
    range: Option<TimeRange>,
    result: Result<PanelData, String>,
}

impl PartialEq for Answered {
    fn eq(&self, other: &Answered) -> bool {
        self.range == other.range
            && match (&self.result, &other.result) {
                (Ok(mine), Ok(theirs)) => mine.same_as(theirs),
                (Err(mine), Err(theirs)) => mine == theirs,
                _ => false,
            }
    }
}

/// What every querying panel shares: its own time range (with `timeFrom`/`timeShift`), its plan
/// and the results. Re-queries on a new plan and on refresh.
#[derive(Clone, Copy)]
pub(super) struct PanelQueries {
    pub(super) range: Memo<Result<TimeRange, String>>,
    pub(super) time_info: Signal<Option<String>>,
    pub(super) plan: Memo<Result<Vec<PlannedQuery>, String>>,
    /// The answer (`None` while loading or not yet near the screen). A memo: a refresh that
    /// brings back the same data for the same range notifies nobody, so nothing is drawn again.
    pub(super) data: Memo<Option<Answered>>,
    /// How many answers came back (`data-answers` on the panel): each refresh's, whether or not
    /// it changed anything.
    pub(super) answers: ReadSignal<u64>,
}

pub(super) fn use_panel_queries(
    panel: &PanelView,
    seen: ReadSignal<bool>,
    // The panel's width in CSS px: the step follows it.
    width: Signal<f64>,
    range: Memo<Result<TimeRange, String>>,
    zone: Memo<(Zone, Option<String>)>,
    variables: Signal<Option<Vec<VariableState>>>,
    refresh_count: Signal<u64>,
) -> PanelQueries {
    let (time_from, time_shift, hide_time_info) =
        (panel.time_from.clone(), panel.time_shift.clone(), panel.hide_time_override);
    // The panel's own range: the dashboard's, unless `timeFrom`/`timeShift` override it.
    let panel_range = Memo::new(move |_| {
        let dashboard_range = range.get()?;
        let (zone, _) = zone.get();
        let lookup_states = variables.get().unwrap_or_default();
        let lookup = lookup_from(&lookup_states);
        let time_from = variables::interpolate(&time_from, &lookup);
        let time_shift = variables::interpolate(&time_shift, &lookup);
        panel_time_override(dashboard_range, &time_from, &time_shift, dashboard_range.to_ms, &|ms| {
            zone.offset_minutes(ms)
        })
        .map_err(|error| format!("panel time override: {error}"))
    });
    let time_info =
        Signal::derive(
            move || {
                if hide_time_info { None } else { panel_range.get().ok().and_then(|(_, info)| info) }
            },
        );
    let range = Memo::new(move |_| panel_range.get().map(|(range, _)| range));
    let width_px = Memo::new(move |_| width.get().round().max(1.0) as u32);
    let scrape_interval = use_context::<ScrapeInterval>()
        .map(|s| s.0)
        .unwrap_or_else(|| Signal::derive(|| DEFAULT_SCRAPE_INTERVAL_MS));
    let transformations = StoredValue::new(panel.transformations.clone());
    let panel_id = panel.id;
    let panel = panel.clone();
    let plan = Memo::new(move |_| {
        let range = range.get()?;
        let datasources = catalogue::datasources();
        let context = PlanContext {
            datasources: &datasources,
            range,
            panel_width_px: width_px.get(),
            scrape_interval_ms: scrape_interval.get(),
        };
        let states = variables.get().unwrap_or_default();
        let lookup = lookup_from(&states);
        // `$__url_time_range`: the panel's range as URL parameters (Grafana's data-link built-in).
        let url_time_range = format!("from={}&to={}", range.from_ms, range.to_ms);
        let lookup = |name: &str| match name {
            "__url_time_range" => Some(Replacement::Plain(url_time_range.clone())),
            _ => lookup(name),
        };
        plan_panel_queries(&panel, &context, &lookup, &adhoc_filters(&states))
            .map_err(|error| error.to_string())
    });
    let loaded = LocalResource::new(move || {
        refresh_count.track();
        let plan = plan.get();
        let asked_range = range.get().ok();
        // A panel far below the fold does not query until it comes near (Grafana does the same).
        let seen = seen.get();
        let transformations = transformations.get_value();
        async move {
            if !seen {
                return None;
            }
            let result = match plan {
                Ok(queries) => run_queries(queries).await.map(|mut data| {
                    // Series-level transformations (calculateField); tables apply theirs later.
                    data.series = timeseries::calculate_fields(data.series, &transformations);
                    data
                }),
                Err(message) => Err(message),
            };
            Some(Answered { range: asked_range, result })
        }
    });
    let data = Memo::new(move |_| loaded.get().flatten());
    let (answers, set_answers) = signal(0_u64);
    Effect::new(move |_| {
        if loaded.with(|answer| matches!(answer, Some(Some(_)))) {
            set_answers.update(|count| *count += 1);
        }
    });
    // For a v2 dashboard's "query has data" rules: whether this panel's queries returned data.
    if let Some(super::grid::PanelsWithData(with_data)) = use_context::<super::grid::PanelsWithData>() {
        let id = panel_id;
        Effect::new(move |_| {
            let Some(answered) = data.get() else { return };
            let has = answered.result.as_ref().is_ok_and(|d| !d.series.is_empty());
            if with_data.with_untracked(|known| known.get(&id) != Some(&has)) {
                with_data.update(|known| {
                    known.insert(id, has);
                });
            }
        });
    }
    PanelQueries { range, time_info, plan, data, answers }
}

impl PanelQueries {
    /// What the results say of the panel's `data-state`: `loading`, `error`, `nodata` (no
    /// sample in any series) or `drawn`.
    pub(super) fn data_state(&self) -> &'static str {
        match self.result() {
            None => "loading",
            Some(Err(_)) => "error",
            Some(Ok(d)) if d.series.iter().all(|s| s.points_ms.is_empty()) => "nodata",
            Some(Ok(_)) => "drawn",
        }
    }

    /// The panel's results: `None` while loading or not yet on screen.
    pub(super) fn result(&self) -> Option<Result<PanelData, String>> {
        self.data.get().map(|answered| answered.result)
    }

    pub(super) fn result_untracked(&self) -> Option<Result<PanelData, String>> {
        self.data.get_untracked().map(|answered| answered.result)
    }

    /// `read` of the answer, whether data or error (without copying every sample).
    pub(super) fn with_result<T>(&self, read: impl FnOnce(Option<&Result<PanelData, String>>) -> T) -> T {
        self.data.with(|data| read(data.as_ref().map(|answered| &answered.result)))
    }

    /// The first query's field, for the frame's data attributes.
    pub(super) fn first_query(&self, field: fn(&PlannedQuery) -> i64) -> Option<i64> {
        self.plan.with(|p| p.as_ref().ok().and_then(|q| q.first()).map(field))
    }

    pub(super) fn first_expr(&self) -> Option<String> {
        self.plan.with(|p| p.as_ref().ok().and_then(|q| q.first()).map(|q| q.expr.clone()))
    }

    /// The datasources the queries go to, by uid, in query order without repeats.
    pub(super) fn datasources(&self) -> Option<String> {
        self.plan.with(|p| {
            let queries = p.as_ref().ok()?;
            let mut uids: Vec<&str> = Vec::new();
            for query in queries {
                if !uids.contains(&query.datasource_uid.as_str()) {
                    uids.push(&query.datasource_uid);
                }
            }
            Some(uids.join(","))
        })
    }

    /// `read` of the data, when the queries answered (without copying every sample, as
    /// [`Self::result`] does).
    fn with_answered<T>(&self, read: impl FnOnce(&PanelData) -> Option<T>) -> Option<T> {
        self.with_result(|result| match result {
            Some(Ok(panel_data)) => read(panel_data),
            _ => None,
        })
    }

    /// The queries that failed while others answered, if any.
    pub(super) fn query_errors(&self) -> Option<String> {
        self.with_answered(|d| (!d.errors.is_empty()).then(|| d.errors.join("; ")))
    }

    /// What the backend said about its answers (warnings, infos, partial answers), if anything.
    pub(super) fn answer_notices(&self) -> Option<String> {
        self.with_answered(|d| (!d.notices.is_empty()).then(|| d.notices.join("; ")))
    }

    /// Why queries went to the default datasource, if any did.
    pub(super) fn datasource_notes(&self) -> Option<String> {
        self.plan.with(|p| {
            let mut notes: Vec<&str> =
                p.as_ref().ok()?.iter().filter_map(|q| q.datasource_note.as_deref()).collect();
            notes.dedup();
            (!notes.is_empty()).then(|| notes.join("; "))
        })
    }
}
