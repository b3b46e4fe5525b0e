//! Grafana's reducer registry by name: the ids, the aliases old dashboards use, and the titles legends
//! and tables show. Names only; the maths is `field::display::reduce`. A leaf, so migrations can
//! resolve names without depending on display code.

/// Grafana's reducer id for a reducer name or one of its aliases (`avg`, `current`, `total`, as its
/// reducer registry resolves them); `None` for a name Grafana does not know.
pub fn reducer_id(name: &str) -> Option<&'static str> {
    const IDS: &[&str] = &[
        "lastNotNull",
        "last",
        "firstNotNull",
        "first",
        "min",
        "max",
        "mean",
        "variance",
        "stdDev",
        "sum",
        "count",
        "range",
        "delta",
        "step",
        "diff",
        "logmin",
        "allIsZero",
        "allIsNull",
        "changeCount",
        "distinctCount",
        "diffperc",
        "allValues",
        "uniqueValues",
        "median",
    ];
    match name {
        "current" => Some("lastNotNull"),
        "avg" => Some("mean"),
        "total" => Some("sum"),
        _ => IDS.iter().find(|id| **id == name).copied(),
    }
}

/// Grafana's display name of a reducer, as legends, `reduce` columns and calculated fields title
/// it (`Last *` for lastNotNull, `Total` for sum); an unknown id is its own title.
pub fn reducer_title(id: &str) -> &str {
    match id {
        "lastNotNull" => "Last *",
        "last" => "Last",
        "firstNotNull" => "First *",
        "first" => "First",
        "mean" => "Mean",
        "min" => "Min",
        "max" => "Max",
        "sum" => "Total",
        "count" => "Count",
        "range" => "Range",
        "delta" => "Delta",
        "diff" => "Difference",
        "median" => "Median",
        other => other,
    }
}
