//! Grafana's annotations list panel (`annolist`): the dashboard's annotation events, newest
//! first, filtered by tags and cut at `limit`; a click shows the time around one
//! (`navigateBefore`/`navigateAfter`). There is no Grafana database here: the events are those
//! of the dashboard's own annotation queries (Prometheus's), which is what `onlyFromThisDashboard`
//! and `onlyInTimeRange` select in Grafana anyway. Pure.

use crate::annotations::AnnotationEvent;
use crate::interval;
use crate::json::as_bool;
use crate::json::lenient_f64;
use crate::sorting;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct AnnolistOptions {
    pub tags: Vec<String>,
    pub limit: usize,
    pub show_time: bool,
    pub show_tags: bool,
    pub navigate_before_ms: i64,
    pub navigate_after_ms: i64,
}

impl AnnolistOptions {
    /// The options with Grafana's defaults (limit 10, time and tags shown, 10 minutes around).
    pub fn read(options: &Value) -> AnnolistOptions {
        let flag = |key: &str| options.get(key).and_then(as_bool).unwrap_or(true);
        let around = |key: &str| {
            options.get(key).and_then(Value::as_str).and_then(interval::parse_duration_ms).unwrap_or(600_000)
        };
        AnnolistOptions {
            tags: options
                .get("tags")
                .and_then(Value::as_array)
                .map(|tags| tags.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default(),
            limit: lenient_f64(options.get("limit"))
                .filter(|n| n.is_finite() && *n >= 0.0)
                .map_or(10, |n| n as usize),
            show_time: flag("showTime"),
            show_tags: flag("showTags"),
            navigate_before_ms: around("navigateBefore"),
            navigate_after_ms: around("navigateAfter"),
        }
    }
}

/// The events listed: those carrying every tag asked for, newest first, at most `limit`.
pub fn listed<'a>(options: &AnnolistOptions, events: &'a [AnnotationEvent]) -> Vec<&'a AnnotationEvent> {
    let mut listed: Vec<&AnnotationEvent> =
        events.iter().filter(|e| options.tags.iter().all(|tag| e.tags.contains(tag))).collect();
    sorting::sort_by(&mut listed, |a, b| b.start_ms.total_cmp(&a.start_ms));
    listed.truncate(options.limit);
    listed
}

/// The time range a click on `event` shows: from `navigateBefore` before it to
/// `navigateAfter` after its end.
pub fn range_around(options: &AnnolistOptions, event: &AnnotationEvent) -> (i64, i64) {
    (event.start_ms as i64 - options.navigate_before_ms, event.end_ms as i64 + options.navigate_after_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(start_ms: f64, tags: &[&str]) -> AnnotationEvent {
        AnnotationEvent {
            source: 0,
            start_ms,
            end_ms: start_ms,
            title: format!("at {start_ms}"),
            text: String::new(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn newest_first_tagged_and_limited_with_the_time_around() {
        let events = [event(1.0, &["a"]), event(3.0, &["a", "b"]), event(2.0, &["a"]), event(4.0, &[])];
        let options = AnnolistOptions::read(
            &json!({"tags": ["a"], "limit": 2, "navigateBefore": "1m", "navigateAfter": "30s"}),
        );
        let starts: Vec<f64> = listed(&options, &events).iter().map(|e| e.start_ms).collect();
        assert_eq!(starts, [3.0, 2.0]);
        assert_eq!(range_around(&options, &events[1]), (3 - 60_000, 3 + 30_000));
        let defaults = AnnolistOptions::read(&json!({}));
        assert_eq!((defaults.limit, defaults.show_time, defaults.navigate_before_ms), (10, true, 600_000));
        assert_eq!(listed(&defaults, &events).len(), 4);
    }
}
