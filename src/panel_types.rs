//! The one table of the panel types promboard draws. The view reads a panel's kind from it, `promboard
//! check` its support, the editor its type list and the options each type keeps when the type changes,
//! so none of them can disagree. A leaf: names and flags only, no drawing and no JSON.

/// Which component draws a panel type (the view's `PanelKind` without its data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawn {
    TimeSeries,
    Stat,
    Gauge,
    BarGauge,
    Pie,
    Table,
    Heatmap,
    StateTimeline,
    StatusHistory,
    DashList,
    Histogram,
    BarChart,
    Candlestick,
    XyChart,
    Trend,
    AnnoList,
    News,
    AlertList,
    Text,
    Row,
}

/// One panel type as Grafana names it.
#[derive(Debug)]
pub struct PanelType {
    /// The panel's `type` in dashboard JSON.
    pub type_name: &'static str,
    /// Grafana's name in its type picker.
    pub title: &'static str,
    pub drawn: Drawn,
    /// Offered in the editor's type list (legacy `graph` opens as a time series but is never chosen).
    pub offered: bool,
    /// Keys of `options` this type understands; switching type keeps the ones both types have
    /// (Grafana keeps the field config and the shared options, and drops the rest).
    pub option_keys: &'static [&'static str],
}

pub const PANEL_TYPES: &[PanelType] = &[
    PanelType {
        type_name: "timeseries",
        title: "Time series",
        drawn: Drawn::TimeSeries,
        offered: true,
        option_keys: &["legend", "tooltip"],
    },
    PanelType {
        type_name: "graph",
        title: "Graph (old)",
        drawn: Drawn::TimeSeries,
        offered: false,
        option_keys: &[],
    },
    PanelType {
        type_name: "stat",
        title: "Stat",
        drawn: Drawn::Stat,
        offered: true,
        option_keys: &[
            "reduceOptions",
            "colorMode",
            "graphMode",
            "justifyMode",
            "textMode",
            "orientation",
            "text",
        ],
    },
    PanelType {
        type_name: "gauge",
        title: "Gauge",
        drawn: Drawn::Gauge,
        offered: true,
        option_keys: &["reduceOptions", "showThresholdLabels", "showThresholdMarkers", "orientation", "text"],
    },
    PanelType {
        type_name: "bargauge",
        title: "Bar gauge",
        drawn: Drawn::BarGauge,
        offered: true,
        option_keys: &["reduceOptions", "displayMode", "orientation", "showUnfilled", "text"],
    },
    PanelType {
        type_name: "table",
        title: "Table",
        drawn: Drawn::Table,
        offered: true,
        option_keys: &["showHeader", "footer", "cellHeight", "sortBy"],
    },
    PanelType {
        type_name: "piechart",
        title: "Pie chart",
        drawn: Drawn::Pie,
        offered: true,
        option_keys: &["reduceOptions", "pieType", "legend", "tooltip", "displayLabels"],
    },
    PanelType {
        type_name: "heatmap",
        title: "Heatmap",
        drawn: Drawn::Heatmap,
        offered: true,
        option_keys: &[],
    },
    PanelType {
        type_name: "state-timeline",
        title: "State timeline",
        drawn: Drawn::StateTimeline,
        offered: true,
        option_keys: &["mergeValues", "showValue", "alignValue", "rowHeight", "legend", "tooltip"],
    },
    PanelType {
        type_name: "status-history",
        title: "Status history",
        drawn: Drawn::StatusHistory,
        offered: true,
        option_keys: &["showValue", "rowHeight", "colWidth", "legend", "tooltip"],
    },
    PanelType {
        type_name: "histogram",
        title: "Histogram",
        drawn: Drawn::Histogram,
        offered: true,
        option_keys: &["bucketCount", "bucketSize", "bucketOffset", "combine", "legend", "tooltip"],
    },
    PanelType {
        type_name: "barchart",
        title: "Bar chart",
        drawn: Drawn::BarChart,
        offered: true,
        option_keys: &[
            "xField",
            "colorByField",
            "orientation",
            "barRadius",
            "xTickLabelRotation",
            "xTickLabelMaxLength",
            "xTickLabelSpacing",
            "stacking",
            "showValue",
            "barWidth",
            "groupWidth",
            "fullHighlight",
            "text",
            "legend",
            "tooltip",
        ],
    },
    PanelType {
        type_name: "candlestick",
        title: "Candlestick",
        drawn: Drawn::Candlestick,
        offered: true,
        option_keys: &[
            "mode",
            "candleStyle",
            "colorStrategy",
            "colors",
            "fields",
            "includeAllFields",
            "legend",
            "tooltip",
        ],
    },
    PanelType {
        type_name: "xychart",
        title: "XY chart",
        drawn: Drawn::XyChart,
        offered: true,
        option_keys: &["mapping", "seriesMapping", "series", "dims", "legend", "tooltip"],
    },
    PanelType {
        type_name: "trend",
        title: "Trend",
        drawn: Drawn::Trend,
        offered: true,
        option_keys: &["xField", "legend", "tooltip"],
    },
    PanelType {
        type_name: "annolist",
        title: "Annotations list",
        drawn: Drawn::AnnoList,
        offered: true,
        option_keys: &[
            "tags",
            "limit",
            "showTime",
            "showTags",
            "showUser",
            "navigateBefore",
            "navigateAfter",
        ],
    },
    PanelType {
        type_name: "dashlist",
        title: "Dashboard list",
        drawn: Drawn::DashList,
        offered: true,
        option_keys: &[
            "showStarred",
            "showRecentlyViewed",
            "showSearch",
            "showHeadings",
            "maxItems",
            "query",
            "tags",
            "keepTime",
            "includeVars",
        ],
    },
    PanelType {
        type_name: "news",
        title: "News",
        drawn: Drawn::News,
        offered: true,
        option_keys: &["feedUrl", "showImage"],
    },
    PanelType {
        type_name: "text",
        title: "Text",
        drawn: Drawn::Text,
        offered: true,
        option_keys: &["mode", "content"],
    },
    PanelType {
        type_name: "alertlist",
        title: "Alert list",
        drawn: Drawn::AlertList,
        offered: false,
        option_keys: &[],
    },
    PanelType { type_name: "row", title: "Row", drawn: Drawn::Row, offered: false, option_keys: &[] },
];

/// The entry for a panel `type`; `None` for a type promboard does not draw.
pub fn panel_type(type_name: &str) -> Option<&'static PanelType> {
    PANEL_TYPES.iter().find(|entry| entry.type_name == type_name)
}

pub fn panel_type_is_supported(type_name: &str) -> bool {
    panel_type(type_name).is_some()
}

/// Types that show one reduced value per series (and so take `reduceOptions`).
pub fn shows_reduced_values(type_name: &str) -> bool {
    panel_type(type_name).is_some_and(|entry| entry.option_keys.contains(&"reduceOptions"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_is_listed_once_and_found() {
        for (index, entry) in PANEL_TYPES.iter().enumerate() {
            assert_eq!(panel_type(entry.type_name).map(|found| found.title), Some(entry.title));
            assert!(PANEL_TYPES[index + 1..].iter().all(|later| later.type_name != entry.type_name));
        }
        assert!(panel_type_is_supported("graph") && panel_type_is_supported("row"));
        assert!(!panel_type_is_supported("geomap") && !panel_type_is_supported(""));
    }

    #[test]
    fn reduced_value_types_are_the_ones_taking_reduce_options() {
        let reduced: Vec<&str> = PANEL_TYPES
            .iter()
            .map(|entry| entry.type_name)
            .filter(|name| shows_reduced_values(name))
            .collect();
        assert_eq!(reduced, ["stat", "gauge", "bargauge", "piechart"]);
    }
}
