//! The query plan: from a panel, a time range and a panel width to the exact Prometheus requests,
//! following Grafana's interval maths (reference: grafana-and-peers.md §1.8). Pure: no I/O, no clock.
//!
//! Pipeline: range → max data points → interval → step → aligned start/end → built-in variables →
//! interpolated expression. Series naming (legendFormat) lives here too, because it is part of what a
//! query means, not how it is drawn.

mod adhoc;
mod interpolate;
mod legend;
pub mod promql_assist;

pub use adhoc::add_label_matchers;
pub use interpolate::{BuiltinVariables, interpolate_builtins};
pub use legend::series_name;

use crate::datasource;
use crate::datasource::Registry;
use crate::interval::{parse_duration_ms, round_interval_ms};
use crate::time::TimeRange;
use crate::variables;
use crate::variables::{AdhocFilter, Replacement};
use crate::view::{PanelView, TargetView};

/// Grafana's datasource scrape interval default (`jsonData.timeInterval` unset).
pub const DEFAULT_SCRAPE_INTERVAL_MS: i64 = 15_000;
/// Prometheus refuses more than 11,000 points per series; Grafana never asks for a finer step.
pub const SAFE_RESOLUTION_POINTS: i64 = 11_000;

/// One request to Prometheus's `query_range`, ready to send.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlannedQuery {
    pub ref_id: String,
    /// The expression after `$__interval` and friends were substituted.
    pub expr: String,
    pub legend_format: String,
    /// Aligned start and end, in seconds since the epoch.
    pub start_s: i64,
    pub end_s: i64,
    pub step_s: i64,
    /// An instant query (`/api/v1/query`) at `instant_at_s`, the end of the range, instead of a
    /// range query: Grafana's "Instant" query type.
    pub instant_at: Option<i64>,
    /// The uid of the datasource the query goes to (see [`crate::datasource`]).
    pub datasource_uid: String,
    /// Why the query went to the default datasource instead of the one its panel names.
    pub datasource_note: Option<String>,
}

/// The inputs that do not come from the panel itself.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanContext<'a> {
    /// The datasources queries resolve in.
    pub datasources: &'a Registry,
    pub range: TimeRange,
    /// The panel's width in CSS pixels: Grafana's default `maxDataPoints`.
    pub panel_width_px: u32,
    /// The datasource's scrape interval (Grafana's `jsonData.timeInterval`).
    pub scrape_interval_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("query {ref_id}: min interval {value:?} is not a duration like 15s or 1m")]
    BadMinInterval { ref_id: String, value: String },
    #[error(
        "query {ref_id}: datasource {name:?} is of type {type_name:?}; promboard queries Prometheus-compatible datasources only"
    )]
    UnsupportedDatasource { ref_id: String, name: String, type_name: String },
}

/// Plans every visible target of a panel, with the dashboard's variables from `variables` and its
/// ad hoc filters added to every selector. Targets with an empty expression are skipped, as
/// Grafana does.
pub fn plan_panel_queries(
    panel: &PanelView,
    context: &PlanContext,
    variables: &dyn Fn(&str) -> Option<Replacement>,
    adhoc_filters: &[AdhocFilter],
) -> Result<Vec<PlannedQuery>, PlanError> {
    panel
        .targets
        .iter()
        .filter(|target| !target.hide && !target.expr.trim().is_empty())
        .map(|target| {
            let mut planned = plan_target(panel, target, context, variables)?;
            planned.expr = add_label_matchers(&planned.expr, adhoc_filters);
            // "Both": the range query, then the instant one at the end of the range.
            let instant = target.both.then(|| PlannedQuery {
                instant_at: Some(context.range.to_ms.div_euclid(1000)),
                ..planned.clone()
            });
            Ok(std::iter::once(planned).chain(instant))
        })
        .collect::<Result<Vec<_>, PlanError>>()
        .map(|plans| plans.into_iter().flatten().collect())
}

fn plan_target(
    panel: &PanelView,
    target: &TargetView,
    context: &PlanContext,
    variables: &dyn Fn(&str) -> Option<Replacement>,
) -> Result<PlannedQuery, PlanError> {
    // Min intervals may themselves be variables (an interval variable, typically).
    let panel_min_interval = variables::interpolate(&panel.min_interval, variables);
    let target_min_interval = variables::interpolate(&target.min_interval, variables);
    let parse_min = |value: &str| -> Result<Option<i64>, PlanError> {
        let value = value.trim().trim_start_matches('>');
        if value.is_empty() || value.starts_with('$') {
            return Ok(None);
        }
        parse_duration_ms(value).map(Some).ok_or_else(|| PlanError::BadMinInterval {
            ref_id: target.ref_id.clone(),
            value: value.to_string(),
        })
    };
    // Mixed panels send each query to its own datasource; others send every query to the panel's.
    let registry = context.datasources;
    let reference = if datasource::is_mixed(Some(&panel.datasource)) || panel.datasource.is_null() {
        &target.datasource
    } else {
        &panel.datasource
    };
    let resolved = registry.resolve(Some(reference), &|text| variables::interpolate(text, variables));
    // A reference to a datasource that is not configured here stands in for the default one only
    // when it is of a PromQL type: a Loki, Tempo or SQL query sent to Prometheus would come back
    // as a baffling parse error.
    if resolved.note.is_some()
        && let Some(type_name) = datasource::referenced_type(reference)
        && !datasource::speaks_promql(type_name)
    {
        let uid = reference.get("uid").and_then(serde_json::Value::as_str).unwrap_or_default();
        return Err(PlanError::UnsupportedDatasource {
            ref_id: target.ref_id.clone(),
            name: uid.to_string(),
            type_name: type_name.to_string(),
        });
    }
    let datasource = resolved.datasource;
    if !datasource.is_prometheus() {
        return Err(PlanError::UnsupportedDatasource {
            ref_id: target.ref_id.clone(),
            name: datasource.name.clone(),
            type_name: datasource.type_name.clone(),
        });
    }
    // The datasource's own scrape interval (`jsonData.timeInterval`) wins over the one read from
    // the default Prometheus.
    let scrape_interval_ms = datasource
        .time_interval
        .as_deref()
        .and_then(parse_duration_ms)
        .filter(|ms| *ms > 0)
        .unwrap_or(context.scrape_interval_ms);
    let context = &PlanContext { scrape_interval_ms, ..*context };
    let range_ms = context.range.duration_ms();
    let max_data_points = i64::from(panel.max_data_points.unwrap_or(context.panel_width_px).max(1));
    // Frontend: intervalMs = max(roundInterval(range / maxDataPoints), panel min interval or scrape).
    let low_limit_ms = parse_min(&panel_min_interval)?.unwrap_or(context.scrape_interval_ms);
    let interval_ms = round_interval_ms(range_ms / max_data_points).max(low_limit_ms);
    // Backend: the target's Min step wins over the frontend interval; never finer than 11,000 points.
    let min_step_ms = parse_min(&target_min_interval)?.unwrap_or(interval_ms);
    let calculated_ms = if range_ms / max_data_points < min_step_ms {
        min_step_ms
    } else {
        round_interval_ms(range_ms / max_data_points)
    };
    let safe_ms = round_interval_ms(range_ms / SAFE_RESOLUTION_POINTS);
    // The deprecated intervalFactor multiplies the step (Grafana's backend, unless the min step is
    // $__rate_interval, which this plan treats as no min step).
    let step_ms = calculated_ms.max(safe_ms).max(1_000) * target.interval_factor.max(1);
    let step_s = step_ms / 1_000;

    let scrape_ms = parse_min(&target_min_interval)?.unwrap_or(context.scrape_interval_ms);
    let builtins = BuiltinVariables {
        interval_ms: step_ms,
        rate_interval_ms: (interval_ms + scrape_ms).max(4 * scrape_ms),
        range_ms,
        from_ms: context.range.from_ms,
        to_ms: context.range.to_ms,
    };
    Ok(PlannedQuery {
        ref_id: target.ref_id.clone(),
        expr: interpolate_builtins(&target.expr, &builtins, variables),
        legend_format: target.legend_format.clone(),
        // Grafana aligns both ends down to the step, which also lets Prometheus-side caches hit.
        start_s: align_down(context.range.from_ms / 1_000, step_s),
        end_s: align_down(context.range.to_ms / 1_000, step_s),
        step_s,
        instant_at: target.instant.then(|| context.range.to_ms.div_euclid(1000)),
        datasource_uid: datasource.uid.clone(),
        datasource_note: resolved.note.clone(),
    })
}

fn align_down(t: i64, step: i64) -> i64 {
    t.div_euclid(step) * step
}

#[cfg(test)]
mod tests;
