//! The operations views' data: Prometheus's scrape targets (`/api/v1/targets`) by scrape pool with
//! "N of M up", and its rule groups (`/api/v1/rules`) with health, last error, state and timings —
//! what people who run this stack check besides dashboards. Read tolerantly from the API's `data`
//! (fields a backend leaves out read as empty); the pages ask for it through the data layer
//! (`prom::api`). Also the alerts (`/api/v1/alerts`), shared with the alert list panel, grouped by
//! name and filtered by state and label matchers for the alerts view, and an Alertmanager's
//! (`/api/v2/alerts`: active, silenced, inhibited) read into the same shape. Pure: no I/O, no clock.

use crate::json::{as_f64, as_str};
use crate::jsregex::JsRegex;
use crate::sorting;
use serde_json::Value;
use std::collections::BTreeMap;

/// One scrape target.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub instance: String,
    pub scrape_url: String,
    /// `up`, `down` or `unknown` (not scraped yet).
    pub health: String,
    /// When it was last scraped (RFC 3339, as Prometheus gives it).
    pub last_scrape: String,
    pub last_scrape_duration_s: Option<f64>,
    pub last_error: String,
    pub labels: BTreeMap<String, String>,
}

/// The targets of one scrape pool (a job), the ones down first.
#[derive(Debug, Clone, PartialEq)]
pub struct ScrapePool {
    pub name: String,
    pub up: usize,
    pub targets: Vec<Target>,
}

fn text(value: &Value, key: &str) -> String {
    value.get(key).and_then(as_str).unwrap_or_default().to_string()
}

fn labels(value: &Value, key: &str) -> BTreeMap<String, String> {
    value
        .get(key)
        .and_then(Value::as_object)
        .map(|labels| labels.iter().filter_map(|(k, v)| Some((k.clone(), as_str(v)?.to_string()))).collect())
        .unwrap_or_default()
}

/// The active targets by scrape pool, pools by name; in a pool, targets that are not up first
/// (what someone opening this page looks for), then by instance.
pub fn read_targets(data: &Value) -> Vec<ScrapePool> {
    let mut pools: BTreeMap<String, Vec<Target>> = BTreeMap::new();
    for target in
        data.get("activeTargets").and_then(Value::as_array).into_iter().flatten().filter(|t| t.is_object())
    {
        let labels = labels(target, "labels");
        let pool = Some(text(target, "scrapePool"))
            .filter(|p| !p.is_empty())
            .or_else(|| labels.get("job").cloned())
            .unwrap_or_default();
        pools.entry(pool).or_default().push(Target {
            instance: labels.get("instance").cloned().unwrap_or_default(),
            scrape_url: text(target, "scrapeUrl"),
            health: Some(text(target, "health"))
                .filter(|h| !h.is_empty())
                .unwrap_or_else(|| "unknown".into()),
            last_scrape: text(target, "lastScrape"),
            last_scrape_duration_s: target.get("lastScrapeDuration").and_then(as_f64),
            last_error: text(target, "lastError"),
            labels,
        });
    }
    pools
        .into_iter()
        .map(|(name, mut targets)| {
            sorting::sort_by(&mut targets, |a, b| {
                (a.health == "up").cmp(&(b.health == "up")).then(a.instance.cmp(&b.instance))
            });
            ScrapePool { up: targets.iter().filter(|t| t.health == "up").count(), name, targets }
        })
        .collect()
}

/// Pools and targets matching what the user typed (in the pool name, instance or any label value),
/// only those not up when `down_only`; pools left empty go.
pub fn filter_targets(pools: &[ScrapePool], text: &str, down_only: bool) -> Vec<ScrapePool> {
    let text = text.trim().to_lowercase();
    pools
        .iter()
        .filter_map(|pool| {
            let pool_matches = pool.name.to_lowercase().contains(&text);
            let targets: Vec<Target> = pool
                .targets
                .iter()
                .filter(|t| !down_only || t.health != "up")
                .filter(|t| {
                    pool_matches
                        || t.instance.to_lowercase().contains(&text)
                        || t.labels.values().any(|v| v.to_lowercase().contains(&text))
                })
                .cloned()
                .collect();
            (!targets.is_empty()).then(|| ScrapePool { targets, ..pool.clone() })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub name: String,
    /// `firing` or `pending` (Prometheus's states; inactive alerts are not in the answer); from an
    /// Alertmanager `firing` (active), `silenced`, `inhibited` or `unprocessed`.
    pub state: String,
    pub labels: BTreeMap<String, String>,
    /// When the alert became active, RFC 3339 as Prometheus writes it.
    pub active_at: String,
    pub value: String,
    /// The rule's annotations for this alert (`summary`, `description`, `runbook_url`, …).
    pub annotations: BTreeMap<String, String>,
    /// An Alertmanager's alert: the ids of the silences muting it, and the fingerprints of the
    /// alerts inhibiting it (empty for Prometheus's alerts).
    pub silenced_by: Vec<String>,
    pub inhibited_by: Vec<String>,
}

/// The alerts of a `/api/v1/alerts` answer's `data`.
pub fn read_alerts(data: &Value) -> Vec<Alert> {
    data.get("alerts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|alert| alert.is_object())
        .map(|alert| {
            let alert_labels = labels(alert, "labels");
            Alert {
                name: alert_labels.get("alertname").cloned().unwrap_or_default(),
                state: text(alert, "state"),
                active_at: text(alert, "activeAt"),
                value: text(alert, "value"),
                annotations: labels(alert, "annotations"),
                labels: alert_labels,
                silenced_by: Vec::new(),
                inhibited_by: Vec::new(),
            }
        })
        .collect()
}

/// The alerts of an Alertmanager's `/api/v2/alerts` answer (a JSON array): `status.state`
/// `active` is firing; a `suppressed` alert is `silenced` when a silence mutes it (whether or not
/// it is also inhibited, as Alertmanager's own UI says), `inhibited` when only other alerts do,
/// and `silenced` when neither is named (muted by a time interval, which Alertmanager also calls
/// suppressed). `startsAt` is when it became active.
pub fn read_alertmanager_alerts(answer: &Value) -> Vec<Alert> {
    let ids = |status: Option<&Value>, key: &str| -> Vec<String> {
        status
            .and_then(|s| s.get(key))
            .and_then(Value::as_array)
            .map(|ids| ids.iter().filter_map(as_str).map(str::to_string).collect())
            .unwrap_or_default()
    };
    answer
        .as_array()
        .into_iter()
        .flatten()
        .filter(|alert| alert.is_object())
        .map(|alert| {
            let alert_labels = labels(alert, "labels");
            let status = alert.get("status");
            let (silenced_by, inhibited_by) = (ids(status, "silencedBy"), ids(status, "inhibitedBy"));
            let state = match status.and_then(|s| s.get("state")).and_then(as_str).unwrap_or("") {
                "active" => "firing",
                "suppressed" if !silenced_by.is_empty() => "silenced",
                "suppressed" if !inhibited_by.is_empty() => "inhibited",
                "suppressed" => "silenced",
                _ => "unprocessed",
            };
            Alert {
                name: alert_labels.get("alertname").cloned().unwrap_or_default(),
                state: state.to_string(),
                active_at: text(alert, "startsAt"),
                value: String::new(),
                annotations: labels(alert, "annotations"),
                labels: alert_labels,
                silenced_by,
                inhibited_by,
            }
        })
        .collect()
}

/// Alerts by alert name, for the alerts view: groups with firing alerts first, then by name;
/// in a group, firing before pending, then the longest active first.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertGroup {
    pub name: String,
    pub firing: usize,
    pub pending: usize,
    pub alerts: Vec<Alert>,
}

/// One label matcher as Prometheus writes them: `name="value"`, `!=`, `=~`, `!~` (quotes optional).
#[derive(Debug)]
struct Matcher {
    name: String,
    operator: &'static str,
    value: String,
    regex: Option<JsRegex>,
}

/// Parses `severity="critical", job=~"api.*"`; an unreadable matcher or regex is an error naming it.
fn parse_matchers(text: &str) -> Result<Vec<Matcher>, String> {
    let text = text.trim().trim_start_matches('{').trim_end_matches('}');
    text.split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (at, operator) = ["=~", "!~", "!=", "="]
                .iter()
                .filter_map(|op| part.find(op).map(|at| (at, *op)))
                .min_by_key(|(at, op)| (*at, std::cmp::Reverse(op.len())))
                .ok_or_else(|| format!("{part:?} is not a label matcher like severity=\"critical\""))?;
            let name = part[..at].trim().to_string();
            let value = part[at + operator.len()..].trim().trim_matches('"').to_string();
            if name.is_empty() {
                return Err(format!("{part:?} has no label name"));
            }
            let regex = match operator {
                "=~" | "!~" => Some(
                    JsRegex::new(&format!("^(?:{value})$")).map_err(|error| format!("{part:?}: {error}"))?,
                ),
                _ => None,
            };
            Ok(Matcher { name, operator, value, regex })
        })
        .collect()
}

impl Matcher {
    fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let value = labels.get(&self.name).map(String::as_str).unwrap_or("");
        match (self.operator, &self.regex) {
            ("=", _) => value == self.value,
            ("!=", _) => value != self.value,
            ("=~", Some(regex)) => regex.is_match(value),
            ("!~", Some(regex)) => !regex.is_match(value),
            _ => false,
        }
    }
}

/// The alerts in `state` (`firing`, `pending`, or any when empty) whose labels match every matcher
/// of `matchers`, grouped by alert name.
pub fn group_alerts(alerts: &[Alert], state: &str, matchers: &str) -> Result<Vec<AlertGroup>, String> {
    let matchers = parse_matchers(matchers)?;
    let mut groups: BTreeMap<String, Vec<Alert>> = BTreeMap::new();
    for alert in alerts
        .iter()
        .filter(|a| state.is_empty() || a.state == state)
        .filter(|a| matchers.iter().all(|m| m.matches(&a.labels)))
    {
        groups.entry(alert.name.clone()).or_default().push(alert.clone());
    }
    let mut groups: Vec<AlertGroup> = groups
        .into_iter()
        .map(|(name, mut alerts)| {
            sorting::sort_by(&mut alerts, |a, b| {
                (a.state != "firing").cmp(&(b.state != "firing")).then(a.active_at.cmp(&b.active_at))
            });
            let count = |state: &str| alerts.iter().filter(|a| a.state == state).count();
            AlertGroup { name, firing: count("firing"), pending: count("pending"), alerts }
        })
        .collect();
    sorting::sort_by(&mut groups, |a, b| (a.firing == 0).cmp(&(b.firing == 0)).then(a.name.cmp(&b.name)));
    Ok(groups)
}

/// One rule of a group.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: String,
    /// `alerting` or `recording`.
    pub kind: String,
    pub query: String,
    /// `ok`, `err` or `unknown`.
    pub health: String,
    pub last_error: String,
    /// An alerting rule's state: `inactive`, `pending` or `firing` (empty for recording rules).
    pub state: String,
    /// How many alerts the rule has now (pending or firing).
    pub active_alerts: usize,
    /// `for`, in seconds.
    pub for_s: Option<f64>,
    pub evaluation_time_s: Option<f64>,
    pub last_evaluation: String,
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RuleGroup {
    pub name: String,
    pub file: String,
    pub interval_s: Option<f64>,
    pub evaluation_time_s: Option<f64>,
    pub last_evaluation: String,
    pub rules: Vec<Rule>,
}

impl RuleGroup {
    /// Rules whose last evaluation failed.
    pub fn failing(&self) -> usize {
        self.rules.iter().filter(|r| r.health == "err").count()
    }
}

/// The rule groups in the order Prometheus lists them (its rule files' order).
pub fn read_rules(data: &Value) -> Vec<RuleGroup> {
    data.get("groups")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|group| group.is_object())
        .map(|group| RuleGroup {
            name: text(group, "name"),
            file: text(group, "file"),
            interval_s: group.get("interval").and_then(as_f64),
            evaluation_time_s: group.get("evaluationTime").and_then(as_f64),
            last_evaluation: text(group, "lastEvaluation"),
            rules: group
                .get("rules")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|rule| rule.is_object())
                .map(|rule| Rule {
                    name: text(rule, "name"),
                    kind: text(rule, "type"),
                    query: text(rule, "query"),
                    health: Some(text(rule, "health"))
                        .filter(|h| !h.is_empty())
                        .unwrap_or_else(|| "unknown".into()),
                    last_error: text(rule, "lastError"),
                    state: text(rule, "state"),
                    active_alerts: rule.get("alerts").and_then(Value::as_array).map_or(0, Vec::len),
                    for_s: rule.get("duration").and_then(as_f64).filter(|d| *d > 0.0),
                    evaluation_time_s: rule.get("evaluationTime").and_then(as_f64),
                    last_evaluation: text(rule, "lastEvaluation"),
                    labels: labels(rule, "labels"),
                })
                .collect(),
        })
        .collect()
}

/// A duration in seconds as people read it: `340 µs`, `12.5 ms`, `1.2 s`.
pub fn format_seconds(seconds: f64) -> String {
    if !seconds.is_finite() {
        return String::new();
    }
    if seconds < 1e-3 {
        format!("{:.0} µs", seconds * 1e6)
    } else if seconds < 1.0 {
        format!("{:.1} ms", seconds * 1e3)
    } else {
        format!("{seconds:.1} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn targets_group_by_pool_with_the_ones_down_first() {
        // The shape of Prometheus's documented answer, with a target down and one not scraped yet.
        let data = json!({"activeTargets": [
            {"labels": {"instance": "b:9100", "job": "node"}, "scrapePool": "node", "scrapeUrl": "http://b:9100/metrics",
             "lastError": "", "lastScrape": "2026-12-07T10:00:00Z", "lastScrapeDuration": 0.0123, "health": "up"},
            {"labels": {"instance": "a:9100", "job": "node"}, "scrapePool": "node", "scrapeUrl": "http://a:9100/metrics",
             "lastError": "connection refused", "lastScrape": "2026-12-07T10:00:01Z", "lastScrapeDuration": "0.5", "health": "down"},
            {"labels": {"instance": "localhost:9090", "job": "prometheus"}, "scrapeUrl": "http://localhost:9090/metrics"},
            "not a target"
        ], "droppedTargets": [{"discoveredLabels": {}}]});
        let pools = read_targets(&data);
        let names: Vec<(&str, usize, usize)> =
            pools.iter().map(|p| (p.name.as_str(), p.up, p.targets.len())).collect();
        assert_eq!(names, [("node", 1, 2), ("prometheus", 0, 1)]);
        assert_eq!(pools[0].targets[0].instance, "a:9100", "the one down first");
        assert_eq!(pools[0].targets[0].last_error, "connection refused");
        assert_eq!(pools[0].targets[0].last_scrape_duration_s, Some(0.5));
        assert_eq!(pools[1].targets[0].health, "unknown");
        let down = filter_targets(&pools, "", true);
        assert_eq!(down.iter().map(|p| p.targets.len()).sum::<usize>(), 2);
        assert_eq!(filter_targets(&pools, "B:91", false)[0].targets[0].instance, "b:9100");
        assert!(filter_targets(&pools, "nothing like it", false).is_empty());
    }

    #[test]
    fn rule_groups_keep_health_state_and_timings() {
        let data = json!({"groups": [{"name": "e2e", "file": "/etc/rules.yml", "interval": 1, "evaluationTime": 0.00021,
            "lastEvaluation": "2026-12-07T10:00:00Z", "rules": [
            {"state": "firing", "name": "Up", "query": "vector(1)", "duration": 0, "labels": {"severity": "warning"},
             "alerts": [{"state": "firing"}], "health": "ok", "evaluationTime": 0.0001, "type": "alerting"},
            {"name": "job:rate", "query": "sum(rate(x[5m]))", "health": "err", "lastError": "many-to-many matching",
             "type": "recording"},
            {"state": "pending", "name": "Later", "query": "vector(1)", "duration": 3600, "alerts": [{}], "type": "alerting"},
            null
        ]}, 7]});
        let groups = read_rules(&data);
        assert_eq!(groups.len(), 1);
        let group = &groups[0];
        assert_eq!((group.name.as_str(), group.interval_s, group.failing()), ("e2e", Some(1.0), 1));
        assert_eq!(
            (group.rules[0].state.as_str(), group.rules[0].active_alerts, group.rules[0].for_s),
            ("firing", 1, None)
        );
        assert_eq!(group.rules[1].last_error, "many-to-many matching");
        assert_eq!((group.rules[2].health.as_str(), group.rules[2].for_s), ("unknown", Some(3600.0)));
        assert_eq!(format_seconds(0.00021), "210 µs");
        assert_eq!(format_seconds(0.0123), "12.3 ms");
        assert_eq!(format_seconds(2.0), "2.0 s");
    }

    #[test]
    fn alertmanager_alerts_read_as_firing_silenced_or_inhibited() {
        // The shape of Alertmanager's OpenAPI answer (`gettableAlerts`).
        let answer = json!([
            {"labels": {"alertname": "Down", "job": "api"}, "annotations": {"summary": "api down"},
             "startsAt": "2026-12-08T00:00:00Z", "fingerprint": "a1",
             "status": {"state": "active", "silencedBy": [], "inhibitedBy": []}},
            {"labels": {"alertname": "Down", "job": "db"}, "startsAt": "2026-12-08T00:01:00Z",
             "status": {"state": "suppressed", "silencedBy": ["s-1"], "inhibitedBy": ["a1"]}},
            {"labels": {"alertname": "Slow"}, "status": {"state": "suppressed", "silencedBy": [], "inhibitedBy": ["a1"]}},
            {"labels": {"alertname": "New"}, "status": {"state": "unprocessed"}},
            "not an alert"
        ]);
        let alerts = read_alertmanager_alerts(&answer);
        let states: Vec<(&str, &str)> = alerts.iter().map(|a| (a.name.as_str(), a.state.as_str())).collect();
        assert_eq!(
            states,
            [("Down", "firing"), ("Down", "silenced"), ("Slow", "inhibited"), ("New", "unprocessed")]
        );
        assert_eq!(
            (alerts[1].silenced_by.clone(), alerts[1].inhibited_by.clone()),
            (vec!["s-1".to_string()], vec!["a1".to_string()])
        );
        assert_eq!(
            (alerts[0].active_at.as_str(), alerts[0].annotations["summary"].as_str()),
            ("2026-12-08T00:00:00Z", "api down")
        );
        // The alerts view's filters apply as to Prometheus's alerts.
        let silenced = group_alerts(&alerts, "silenced", "job=\"db\"").unwrap();
        assert_eq!((silenced.len(), silenced[0].alerts.len()), (1, 1));
        assert!(read_alertmanager_alerts(&json!({"status": "error"})).is_empty());
    }

    #[test]
    fn alerts_group_by_name_and_filter_by_state_and_matchers() {
        let data = json!({"alerts": [
            {"labels": {"alertname": "Down", "job": "api", "severity": "critical"}, "annotations": {"summary": "api is down"},
             "state": "firing", "activeAt": "2026-12-07T10:00:00Z", "value": "0"},
            {"labels": {"alertname": "Down", "job": "db", "severity": "critical"}, "state": "pending", "activeAt": "2026-12-07T09:00:00Z"},
            {"labels": {"alertname": "Slow", "job": "api", "severity": "warning"}, "state": "pending", "activeAt": "2026-12-07T08:00:00Z"},
            "not an alert"
        ]});
        let alerts = read_alerts(&data);
        assert_eq!(alerts.len(), 3);
        assert_eq!(alerts[0].annotations.get("summary").map(String::as_str), Some("api is down"));
        let all = group_alerts(&alerts, "", "").unwrap();
        let shape: Vec<(&str, usize, usize)> =
            all.iter().map(|g| (g.name.as_str(), g.firing, g.pending)).collect();
        assert_eq!(shape, [("Down", 1, 1), ("Slow", 0, 1)]);
        assert_eq!(all[0].alerts[0].labels["job"], "api", "firing first");
        assert_eq!(
            group_alerts(&alerts, "pending", "").unwrap().iter().map(|g| g.alerts.len()).sum::<usize>(),
            2
        );
        let api = group_alerts(&alerts, "", "{job=\"api\", severity!=warning}").unwrap();
        assert_eq!((api.len(), api[0].alerts.len()), (1, 1));
        assert_eq!(group_alerts(&alerts, "", "job=~\"d.\"").unwrap()[0].alerts[0].labels["job"], "db");
        assert_eq!(group_alerts(&alerts, "", "job!~\"api|db\"").unwrap().len(), 0);
        assert!(group_alerts(&alerts, "", "job").unwrap_err().contains("not a label matcher"));
        assert!(group_alerts(&alerts, "", "job=~\"(\"").is_err());
    }
}
