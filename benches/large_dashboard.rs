//! The large dashboard of issue 19 (3,850 panels, about 5 MB), shared by the browser benchmark
//! and the native editing benchmark.

use serde_json::{Value, json};

/// Panels in the large-dashboard case (issue 19: a 5 MB dashboard with 3,850 panels).
pub const LARGE_PANELS: usize = 3_850;

/// A dashboard of [`LARGE_PANELS`] panels in rows of 24, each panel about as large in JSON as a
/// real exporter dashboard's (field config, thresholds, options, a query): about 5.3 MB.
pub fn large_dashboard() -> Value {
    let exprs = [
        "node_load1",
        "rate(node_cpu_seconds_total{mode!=\"idle\"}[$__rate_interval])",
        "node_memory_MemAvailable_bytes",
    ];
    let mut panels = Vec::with_capacity(LARGE_PANELS);
    let mut y = 0;
    for i in 0..LARGE_PANELS {
        if i % 24 == 0 {
            panels.push(json!({"id": 100_000 + i, "type": "row", "title": format!("Row {}", i / 24), "collapsed": false,
                               "gridPos": {"h": 1, "w": 24, "x": 0, "y": y}, "panels": []}));
            y += 1;
        }
        let (x, w, h) = ((i % 4) * 6, 6, 5);
        let kind = if i % 3 == 0 { "stat" } else { "timeseries" };
        panels.push(json!({
            "id": i + 1, "type": kind, "title": format!("Panel {i}: {}", exprs[i % 3]),
            "datasource": {"type": "prometheus", "uid": "prometheus"},
            "gridPos": {"h": h, "w": w, "x": x, "y": y + (i % 24) / 4 * h},
            "fieldConfig": {"defaults": {"unit": "short", "decimals": 2, "min": 0,
                "color": {"mode": "palette-classic"},
                "custom": {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 10},
                "thresholds": {"mode": "absolute", "steps": [{"color": "green", "value": null}, {"color": "#EAB839", "value": 80}, {"color": "red", "value": 90}]},
                "mappings": []},
                "overrides": []},
            "options": {"legend": {"calcs": ["mean", "max"], "displayMode": "list", "placement": "bottom", "showLegend": true},
                        "tooltip": {"mode": "multi", "sort": "desc"}},
            "targets": [{"refId": "A", "expr": exprs[i % 3], "legendFormat": "{{instance}} {{mode}}",
                         "datasource": {"type": "prometheus", "uid": "prometheus"}}]
        }));
        if i % 24 == 23 {
            y += 6 * 5;
        }
    }
    json!({"uid": "bench-large", "title": "Large (3,850 panels)", "schemaVersion": 42, "refresh": "",
           "time": {"from": "now-1h", "to": "now"}, "panels": panels})
}
