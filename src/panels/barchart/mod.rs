//! Grafana's bar chart, pure: which field gives the categories, which fields become bars, their
//! colours, value texts, stacking and legend, as Grafana's `prepSeries`/`prepConfig` decide them
//! (read in `public/app/plugins/panel/barchart/utils.ts`, `bars.ts`, `module.tsx`). Drawing it is
//! [`markup`]'s.
//!
//! Where the data comes from:
//! - **a table** — when a query asks for `format: table` or the panel transforms its data (a
//!   `reduce`, `labelsToFields`, `groupBy`…): the frame the table panel shows
//!   ([`super::frame::Frame`]). The categories are the `xField` column, else the first text
//!   column; every other number column is a bar series. Grafana's table frames also carry a time
//!   column, so a frame without a text column falls back to the time series below.
//! - **time series** — otherwise: Grafana joins the series' frames on time, so each timestamp is
//!   a category (labelled in a date format chosen by the gap between the first two) and each
//!   series a bar in it. An instant query is one category with a bar per series.

pub mod markup;

use super::frame::{Cell, Frame, NumberColumn, time_columns};
pub use super::svg::ShowValue;
use crate::field::display::{ColorMode, FieldConfig};
use crate::field::named_colors::color_by_name;
use crate::field::{DisplaySeries, Theme};
use crate::json;
use crate::panels::options::legend_shown;
use crate::time;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// Horizontal when the panel is narrower than it is tall, else vertical (Grafana's rule).
    Auto,
    /// Categories along the bottom, bars up (and down for negative values).
    Vertical,
    /// Categories down the left side, bars to the right.
    Horizontal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stacking {
    None,
    Normal,
    /// Each bar its share of its category's total (of its sign).
    Percent,
}

/// One bar series: a number field of the data.
#[derive(Debug, Clone, PartialEq)]
pub struct BarField {
    pub name: String,
    /// The field's own colour (its legend swatch).
    pub color: String,
    /// One value per category (`None`: null, no bar).
    pub values: Vec<Option<f64>>,
    /// Each bar's colour: the field's, or by value (thresholds, colour mappings, `colorByField`).
    pub bar_colors: Vec<String>,
    /// Each bar's value as the field displays it (unit, decimals, mappings; share in percent
    /// stacking).
    pub texts: Vec<String>,
    pub fill_opacity: f64,
    pub line_width: f64,
    pub in_legend: bool,
}

/// The bar chart of a panel's data, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChartView {
    pub categories: Vec<String>,
    pub fields: Vec<BarField>,
    pub orientation: Orientation,
    pub stacking: Stacking,
    pub show_value: ShowValue,
    /// A bar's share of its slot, and a group's share of its category (Grafana's `barWidth`,
    /// `groupWidth`), already adjusted as Grafana adjusts them for one series and for stacking.
    pub bar_width: f64,
    pub group_width: f64,
    /// Rounding of a bar's end, as a fraction of its thickness (0 – 0.5).
    pub bar_radius: f64,
    /// `text.valueSize` in px; `None` is automatic.
    pub value_size: Option<f64>,
    /// Degrees, −90 – 90.
    pub x_tick_rotation: f64,
    pub x_tick_max_length: Option<usize>,
    /// Grafana's `xTickLabelSpacing` in px (0: as many labels as fit).
    pub x_tick_spacing: f64,
    /// The value axis: the first field's unit and decimals (`percentunit` for percent stacking)
    /// and its min/max when set.
    pub unit: String,
    pub decimals: Option<i32>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Legend items (label, colour); empty when the legend is hidden.
    pub legend: Vec<(String, String)>,
    /// Why nothing can be drawn from data that came (Grafana's own words).
    pub warning: Option<String>,
}

fn number(options: &Value, key: &str) -> Option<f64> {
    json::lenient_f64(options.get(key)).filter(|v| v.is_finite())
}

fn custom<'a>(config: &'a Value, key: &str) -> Option<&'a Value> {
    config.get("custom").and_then(|c| c.get(key))
}

fn hidden_from(config: &Value, place: &str) -> bool {
    custom(config, "hideFrom").and_then(|h| h.get(place)).and_then(Value::as_bool) == Some(true)
}

/// The bar chart of `series`. `tabular`: a query asked for a table or the panel has
/// transformations (see the module's doc). `utc_offset_minutes` labels time categories.
pub fn barchart_view(
    series: &[DisplaySeries],
    tabular: bool,
    transformations: &Value,
    options: &Value,
    field_config: &Value,
    utc_offset_minutes: i32,
    theme: Theme,
) -> BarChartView {
    let (categories, raw) = if series.iter().all(|s| s.points_ms.is_empty()) {
        (Vec::new(), Vec::new())
    } else {
        tabular
            .then(|| from_table(series, transformations, options, field_config, theme))
            .flatten()
            .unwrap_or_else(|| from_time_series(series, field_config, utc_offset_minutes))
    };
    let raw: Vec<NumberColumn> = raw.into_iter().filter(|f| !hidden_from(&f.config, "viz")).collect();
    let warning = (raw.is_empty() && !categories.is_empty()).then(|| "No numeric fields found".to_string());
    let stacking = match options.get("stacking").and_then(Value::as_str) {
        Some("normal") => Stacking::Normal,
        Some("percent") => Stacking::Percent,
        _ => Stacking::None,
    };
    let configs: Vec<FieldConfig> = raw
        .iter()
        .map(|f| FieldConfig::from_defaults(Some(&f.config), ColorMode::PaletteClassic, theme))
        .collect();
    let all_values = raw.iter().flat_map(|f| f.values.iter().flatten().copied());
    let range = all_values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let shares = (stacking == Stacking::Percent).then(|| percent_shares(&raw));
    // `colorByField`: every bar takes the colour that field's value in its category has.
    let color_by: Option<Vec<String>> = options
        .get("colorByField")
        .and_then(Value::as_str)
        .and_then(|name| raw.iter().zip(&configs).find(|(f, _)| f.name == name))
        .map(|(field, config)| {
            field.values.iter().map(|v| config.display(*v, range, &field.color).color).collect()
        });
    let percent_config = FieldConfig::from_defaults(
        Some(&serde_json::json!({"unit": "percentunit"})),
        ColorMode::Thresholds,
        theme,
    );
    let fields: Vec<BarField> = raw
        .iter()
        .zip(&configs)
        .enumerate()
        .map(|(index, (field, config))| {
            let shown = field.values.iter().enumerate().map(|(category, value)| {
                let display = config.display(*value, range, &field.color);
                let text = match (&shares, value) {
                    (Some(shares), Some(_)) => {
                        percent_config.display(shares[index][category], (0.0, 1.0), "").formatted.to_string()
                    }
                    _ => display.formatted.to_string(),
                };
                let color = color_by.as_ref().and_then(|c| c.get(category).cloned()).unwrap_or(display.color);
                (color, text)
            });
            let (bar_colors, texts) = shown.unzip();
            BarField {
                name: field.name.clone(),
                color: match &config.color {
                    ColorMode::Fixed(name) => color_by_name(name, theme),
                    _ => field.color.clone(),
                },
                values: match &shares {
                    Some(shares) => shares[index].iter().zip(&field.values).map(|(s, v)| v.and(*s)).collect(),
                    None => field.values.clone(),
                },
                bar_colors,
                texts,
                fill_opacity: json::lenient_f64(custom(&field.config, "fillOpacity"))
                    .unwrap_or(80.0)
                    .clamp(0.0, 100.0)
                    / 100.0,
                line_width: json::lenient_f64(custom(&field.config, "lineWidth"))
                    .unwrap_or(1.0)
                    .clamp(0.0, 10.0),
                in_legend: !hidden_from(&field.config, "legend"),
            }
        })
        .collect();
    let show_legend = legend_shown(options);
    let mut legend: Vec<(String, String)> =
        fields.iter().filter(|f| f.in_legend).map(|f| (f.name.clone(), f.color.clone())).collect();
    if let Some(first) = configs.first().filter(|c| c.color == ColorMode::Thresholds) {
        legend.extend(super::state_timeline::threshold_labels(first));
    }
    if !show_legend || fields.iter().all(|f| !f.in_legend) {
        legend.clear();
    }
    // Grafana: stacked bars fill their slot and one series fills its group; either way the
    // categories are spread with `barWidth`.
    let option_or =
        |key: &str, default: f64, most: f64| number(options, key).unwrap_or(default).clamp(0.0, most);
    let (mut bar_width, mut group_width) =
        (option_or("barWidth", 0.97, 1.0), option_or("groupWidth", 0.7, 1.0));
    if stacking != Stacking::None || fields.len() == 1 {
        (bar_width, group_width) = (1.0, bar_width);
    }
    let first = configs.first();
    BarChartView {
        categories,
        orientation: match options.get("orientation").and_then(Value::as_str) {
            Some("horizontal") => Orientation::Horizontal,
            Some("vertical") => Orientation::Vertical,
            _ => Orientation::Auto,
        },
        stacking,
        show_value: ShowValue::from_option(options.get("showValue")),
        bar_width,
        group_width,
        bar_radius: option_or("barRadius", 0.0, 0.5),
        value_size: options.get("text").and_then(|t| number(t, "valueSize")).filter(|s| *s >= 1.0),
        x_tick_rotation: number(options, "xTickLabelRotation").unwrap_or(0.0).clamp(-90.0, 90.0),
        x_tick_max_length: number(options, "xTickLabelMaxLength").filter(|l| *l >= 0.0).map(|l| l as usize),
        x_tick_spacing: number(options, "xTickLabelSpacing").unwrap_or(0.0),
        unit: match (stacking, first) {
            (Stacking::Percent, _) => "percentunit".into(),
            (_, Some(config)) => config.unit.clone(),
            _ => String::new(),
        },
        decimals: first.and_then(|c| c.decimals),
        min: first.and_then(|c| c.min),
        max: first.and_then(|c| c.max),
        legend,
        fields,
        warning,
    }
}

/// Each value's share of its category's total among the series stacked the same way (a series
/// stacks down when its first value is negative, as in Grafana).
fn percent_shares(fields: &[NumberColumn]) -> Vec<Vec<Option<f64>>> {
    let downward: Vec<bool> =
        fields.iter().map(|f| f.values.iter().flatten().next().is_some_and(|v| *v < 0.0)).collect();
    let categories = fields.first().map_or(0, |f| f.values.len());
    let totals: Vec<(f64, f64)> = (0..categories)
        .map(|c| {
            fields.iter().zip(&downward).fold((0.0, 0.0), |(up, down), (f, d)| {
                let v = f.values[c].unwrap_or(0.0).abs();
                if *d { (up, down + v) } else { (up + v, down) }
            })
        })
        .collect();
    fields
        .iter()
        .zip(&downward)
        .map(|(f, down)| {
            f.values
                .iter()
                .zip(&totals)
                .map(|(v, (up, down_total))| {
                    let total = if *down { *down_total } else { *up };
                    v.map(
                        |v| if total == 0.0 { 0.0 } else { v.abs() / total * if *down { -1.0 } else { 1.0 } },
                    )
                })
                .collect()
        })
        .collect()
}

/// Categories and fields from the table frame, or `None` when it has no column for categories.
fn from_table(
    series: &[DisplaySeries],
    transformations: &Value,
    options: &Value,
    field_config: &Value,
    theme: Theme,
) -> Option<(Vec<String>, Vec<NumberColumn>)> {
    let frame = Frame::from_series(series).transformed(series, transformations);
    let named = options.get("xField").and_then(Value::as_str).filter(|n| !n.is_empty());
    let x = named
        .and_then(|name| frame.columns.iter().position(|c| c.name == name))
        .or_else(|| frame.columns.iter().position(|c| !c.numeric))?;
    let x_field = frame.columns[x].field.clone();
    let categories =
        frame.rows.iter().map(|row| row.get(&x_field).map(Cell::text).unwrap_or_default()).collect();
    Some((categories, frame.number_columns(field_config, Some(x), theme)))
}

/// Categories from the series' timestamps joined (each series a field), labelled by the gap
/// between the first two.
fn from_time_series(
    series: &[DisplaySeries],
    field_config: &Value,
    utc_offset_minutes: i32,
) -> (Vec<String>, Vec<NumberColumn>) {
    let (times, columns) = time_columns(series, field_config);
    let gap_ms = match times.as_slice() {
        [first, second, ..] => second - first,
        _ => f64::NAN,
    };
    let categories = times.iter().map(|t| time_label(*t as i64, utc_offset_minutes, gap_ms)).collect();
    (categories, columns)
}

/// A time category's label in the format Grafana's bar chart picks by the gap between the first
/// two categories (a single one: the year).
pub fn time_label(epoch_ms: i64, utc_offset_minutes: i32, gap_ms: f64) -> String {
    let full = time::format_local_datetime(epoch_ms, utc_offset_minutes);
    let (date, clock) = (&full[..10], &full[11..]);
    let (month_day, year_month) = (format!("{}/{}", &date[5..7], &date[8..10]), &date[..7]);
    const SECOND: f64 = 1000.0;
    const DAY: f64 = 86_400.0 * SECOND;
    match gap_ms {
        g if g < SECOND => format!("{clock}.{:03}", epoch_ms.rem_euclid(1000)),
        g if g < 60.0 * SECOND => clock.to_string(),
        g if g < 3600.0 * SECOND => clock[..5].to_string(),
        g if g < DAY => format!("{month_day} {}", &clock[..5]),
        g if g < 28.0 * DAY => month_day,
        g if g < 365.0 * DAY => year_month.to_string(),
        _ => date[..4].to_string(),
    }
}

#[cfg(test)]
mod tests;
