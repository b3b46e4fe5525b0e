//! Panel options read in one place: the legend switch every panel kind with a legend shares, and
//! the gauge's and bar gauge's own options, which the app reads to draw them. Each reader takes
//! the panel's `options` as Grafana writes them and gives Grafana's defaults for what is missing
//! or oddly typed.

use super::gauge::BarMode;
use serde_json::Value;

/// Whether the legend shows: `legend.showLegend` (default true), and not Grafana 7's
/// `legend.displayMode: "hidden"`, which older dashboards still carry.
pub fn legend_shown(options: &Value) -> bool {
    let legend = options.get("legend");
    legend.and_then(|l| l.get("showLegend")).and_then(Value::as_bool) != Some(false)
        && legend.and_then(|l| l.get("displayMode")).and_then(Value::as_str) != Some("hidden")
}

/// The gauge's options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GaugeOptions {
    /// The threshold bands around the arc (`showThresholdMarkers`, default true).
    pub threshold_markers: bool,
}

impl GaugeOptions {
    pub fn read(options: &Value) -> GaugeOptions {
        GaugeOptions {
            threshold_markers: options.get("showThresholdMarkers").and_then(Value::as_bool) != Some(false),
        }
    }
}

/// The bar gauge's options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BarGaugeOptions {
    /// Bars stand up (`orientation: vertical`); otherwise they lie (Grafana's `auto` on a panel
    /// of several values is horizontal).
    pub vertical: bool,
    pub mode: BarMode,
}

impl BarGaugeOptions {
    pub fn read(options: &Value) -> BarGaugeOptions {
        BarGaugeOptions {
            vertical: options.get("orientation").and_then(Value::as_str) == Some("vertical"),
            mode: BarMode::from_name(options.get("displayMode").and_then(Value::as_str)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn options_read_with_grafanas_defaults() {
        assert!(legend_shown(&json!({})) && legend_shown(&json!({"legend": {"showLegend": "no"}})));
        assert!(!legend_shown(&json!({"legend": {"showLegend": false}})));
        assert!(!legend_shown(&json!({"legend": {"displayMode": "hidden", "showLegend": true}})));
        assert!(GaugeOptions::read(&json!({})).threshold_markers);
        assert!(!GaugeOptions::read(&json!({"showThresholdMarkers": false})).threshold_markers);
        assert_eq!(
            BarGaugeOptions::read(&json!({"orientation": "vertical", "displayMode": "lcd"})),
            BarGaugeOptions { vertical: true, mode: BarMode::Lcd }
        );
        assert_eq!(
            BarGaugeOptions::read(&json!({"orientation": 3})),
            BarGaugeOptions { vertical: false, mode: BarMode::Basic }
        );
    }
}
