//! What promboard reads from Prometheus's own configuration (`/api/v1/status/config`): the global
//! scrape interval, so `$__rate_interval` is right without a datasource setting. Grafana assumes
//! 15 s, while Prometheus's default is 1 m: the cause of empty rate graphs users report (Grafana
//! issues #43720, #92762).

use crate::interval;

/// Prometheus's default `global.scrape_interval`.
pub const PROMETHEUS_DEFAULT_SCRAPE_INTERVAL_MS: i64 = 60_000;

/// The `global.scrape_interval` of a Prometheus configuration (YAML as the API returns it); the
/// Prometheus default when the file sets none. A line reader is enough for this one key: top-level
/// keys start at column 0, `global`'s own keys are indented below it.
pub fn global_scrape_interval_ms(yaml: &str) -> i64 {
    let mut in_global = false;
    for line in yaml.lines() {
        let without_comment = line.split('#').next().unwrap_or("");
        if without_comment.trim().is_empty() {
            continue;
        }
        let indented = without_comment.starts_with([' ', '\t']);
        if !indented {
            in_global = without_comment.trim_end() == "global:";
            continue;
        }
        if in_global && let Some(value) = without_comment.trim().strip_prefix("scrape_interval:") {
            let value = value.trim().trim_matches(['"', '\'']);
            if let Some(ms) = interval::parse_duration_ms(value) {
                return ms;
            }
        }
    }
    PROMETHEUS_DEFAULT_SCRAPE_INTERVAL_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_global_scrape_interval() {
        let yaml = "global:\n  scrape_interval: 30s\n  evaluation_interval: 15s\nscrape_configs:\n- job_name: x\n  scrape_interval: 5s\n";
        assert_eq!(global_scrape_interval_ms(yaml), 30_000);
        assert_eq!(global_scrape_interval_ms("global:\n  scrape_interval: \"1m30s\" # slow\n"), 90_000);
        // A per-job interval is not the global one; without one, Prometheus uses 1 m.
        assert_eq!(
            global_scrape_interval_ms("scrape_configs:\n- job_name: x\n  scrape_interval: 5s\n"),
            60_000
        );
        assert_eq!(global_scrape_interval_ms(""), 60_000);
    }
}
