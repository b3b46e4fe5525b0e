//! The alert list panel over Prometheus's own alerts (`/api/v1/alerts`): the firing and pending
//! alerts, filtered, sorted and capped by the panel's options as Grafana's alert list does
//! (`stateFilter`, `alertName`, `sortOrder`, `maxItems`). Pure: the app fetches the answer, and
//! [`crate::operations`] reads it (the alerts view shares it).

pub use crate::operations::{Alert, read_alerts};
use crate::sorting;
use serde_json::Value;

/// The alerts to show: the states `stateFilter` keeps (both when it names none), names containing
/// `alertName` (case-insensitive), in `sortOrder` (1 name A–Z, 2 name Z–A, 3 importance: firing
/// first, 4 oldest first, 5 newest first), at most `maxItems` (Grafana's default 20).
pub fn shown_alerts(mut alerts: Vec<Alert>, options: &Value) -> Vec<Alert> {
    let filter = options.get("stateFilter");
    let wanted = |state: &str| filter.and_then(|f| f.get(state)).and_then(Value::as_bool) == Some(true);
    let any_filter = ["firing", "pending"].iter().any(|s| wanted(s));
    alerts.retain(|a| !any_filter || wanted(&a.state));
    let name_filter = options.get("alertName").and_then(Value::as_str).unwrap_or("").to_lowercase();
    alerts.retain(|a| a.name.to_lowercase().contains(&name_filter));
    match options.get("sortOrder").and_then(Value::as_i64).unwrap_or(1) {
        2 => sorting::sort_by_key(&mut alerts, |a| std::cmp::Reverse(a.name.to_lowercase())),
        3 => sorting::sort_by_key(&mut alerts, |a| (a.state != "firing", a.name.to_lowercase())),
        4 => sorting::sort_by_key(&mut alerts, |a| a.active_at.clone()),
        5 => sorting::sort_by_key(&mut alerts, |a| std::cmp::Reverse(a.active_at.clone())),
        _ => sorting::sort_by_key(&mut alerts, |a| a.name.to_lowercase()),
    }
    let max = options.get("maxItems").and_then(Value::as_u64).unwrap_or(20) as usize;
    alerts.truncate(max);
    alerts
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer() -> Value {
        json!({"alerts": [
            {"labels": {"alertname": "DiskFull", "severity": "critical"}, "state": "pending",
             "activeAt": "2026-01-01T00:05:00Z", "value": "9.5e-01"},
            {"labels": {"alertname": "cpuHigh"}, "state": "firing", "activeAt": "2026-01-01T00:01:00Z", "value": "1"},
            {"labels": {"alertname": "Backup"}, "state": "firing", "activeAt": "2026-01-01T00:09:00Z", "value": "0"}
        ]})
    }

    fn names(alerts: &[Alert]) -> Vec<&str> {
        alerts.iter().map(|a| a.name.as_str()).collect()
    }

    #[test]
    fn alerts_are_filtered_sorted_and_capped_like_grafanas_alert_list() {
        let alerts = read_alerts(&answer());
        assert_eq!(alerts[0].labels["severity"], "critical");
        assert_eq!(names(&shown_alerts(alerts.clone(), &json!({}))), ["Backup", "cpuHigh", "DiskFull"]);
        assert_eq!(
            names(&shown_alerts(alerts.clone(), &json!({"sortOrder": 2}))),
            ["DiskFull", "cpuHigh", "Backup"]
        );
        assert_eq!(
            names(&shown_alerts(alerts.clone(), &json!({"sortOrder": 3}))),
            ["Backup", "cpuHigh", "DiskFull"]
        );
        assert_eq!(
            names(&shown_alerts(alerts.clone(), &json!({"sortOrder": 5}))),
            ["Backup", "DiskFull", "cpuHigh"]
        );
        assert_eq!(
            names(&shown_alerts(alerts.clone(), &json!({"stateFilter": {"pending": true, "firing": false}}))),
            ["DiskFull"]
        );
        assert_eq!(names(&shown_alerts(alerts.clone(), &json!({"alertName": "CPU"}))), ["cpuHigh"]);
        assert_eq!(shown_alerts(alerts, &json!({"maxItems": 1})).len(), 1);
        assert!(read_alerts(&json!({})).is_empty());
    }
}
