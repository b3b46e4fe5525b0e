//! The table panel: the frame of [`super::frame`] after the panel's transformations, then field
//! overrides by name (display name, unit, decimals, width, alignment, hidden) and cell colours.

use super::frame::{Cell, Frame};
use super::gauge::{BarMode, gradient_css, gradient_stops, lcd_cells};
use crate::field::display::{ColorMode, FieldConfig};
use crate::field::{DisplaySeries, Theme};
use crate::sorting;
use crate::view::links;
use crate::view::links::DashboardLink;
use crate::view::links::LinkTarget;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct TableCell {
    pub text: String,
    /// The raw value for sorting: numbers sort as numbers.
    pub number: Option<f64>,
    /// How the cell shows its value (a value column's cell display mode).
    pub look: CellLook,
    /// The column's data links with this row's data filled in (dashboard variables are filled
    /// in when shown).
    pub links: Vec<DashboardLink>,
}

/// A value cell's look under its column's cell display mode (`custom.cellOptions`, or the legacy
/// `custom.displayMode`).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum CellLook {
    #[default]
    Plain,
    /// `color-text`: the value in its colour.
    Text(String),
    /// `color-background`: the cell filled with the colour, as a gentle gradient unless `solid`.
    Background { color: String, solid: bool },
    /// `gauge`: a bar gauge in the cell, filled `fraction` of its width with `fill` (CSS
    /// background), or as LCD cells (colour, lit).
    Gauge { fraction: f64, fill: String, lcd: Option<Vec<(String, bool)>> },
}

/// A column's cell display mode.
#[derive(Debug, Clone, Copy, PartialEq)]
enum CellMode {
    Auto,
    ColorText,
    ColorBackground { solid: bool },
    Gauge(BarMode),
}

impl CellMode {
    /// From `custom.cellOptions` (`{type, mode}`, Grafana 10+) or `custom.displayMode` (before).
    fn from_custom(cell_options: Option<&Value>, display_mode: Option<&Value>) -> CellMode {
        if let Some(options) = cell_options {
            let mode = options.get("mode").and_then(Value::as_str);
            return match options.get("type").and_then(Value::as_str) {
                Some("color-text") => CellMode::ColorText,
                Some("color-background") => CellMode::ColorBackground { solid: mode == Some("basic") },
                Some("gauge") => CellMode::Gauge(BarMode::from_name(mode.or(Some("gradient")))),
                _ => CellMode::Auto,
            };
        }
        match display_mode.and_then(Value::as_str) {
            Some("color-text") => CellMode::ColorText,
            Some("color-background") => CellMode::ColorBackground { solid: false },
            Some("color-background-solid") => CellMode::ColorBackground { solid: true },
            Some("gradient-gauge") => CellMode::Gauge(BarMode::Gradient),
            Some("lcd-gauge") => CellMode::Gauge(BarMode::Lcd),
            Some("basic") => CellMode::Gauge(BarMode::Basic),
            _ => CellMode::Auto,
        }
    }
}

/// The width a cell gauge is laid out for when its column sets none (CSS pixels).
const DEFAULT_GAUGE_CELL_PX: f64 = 140.0;

#[derive(Debug, Clone, PartialEq)]
pub struct TableView {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<TableCell>>,
    /// Each column's `custom.width` in CSS pixels, if set.
    pub widths: Vec<Option<f64>>,
    /// Each column's alignment: `custom.align`, where `auto` puts numbers right and text left.
    pub aligns: Vec<&'static str>,
}

fn overrides_for<'a>(field_config: &'a Value, name: &str) -> impl Iterator<Item = &'a Value> + 'a {
    let name = name.to_string();
    field_config
        .get("overrides")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(move |o| {
            o.get("matcher").and_then(|m| m.get("id")).and_then(Value::as_str) == Some("byName")
                && o.get("matcher").and_then(|m| m.get("options")).and_then(Value::as_str)
                    == Some(name.as_str())
        })
        .flat_map(|o| o.get("properties").and_then(Value::as_array).into_iter().flatten())
}

/// The table for the series of a panel. `field_config` is the panel's whole `fieldConfig`.
pub fn table_view(
    series: &[DisplaySeries],
    transformations: &Value,
    field_config: &Value,
    theme: Theme,
) -> TableView {
    let Frame { columns, rows } = Frame::from_series(series).transformed(series, transformations);
    let defaults = field_config.get("defaults");
    let headers: Vec<String> = columns
        .iter()
        .map(|c| {
            let shown = c.name.clone();
            overrides_for(field_config, &shown)
                .chain(overrides_for(field_config, &c.field))
                .find(|p| p.get("id").and_then(Value::as_str) == Some("displayName"))
                .and_then(|p| p.get("value"))
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or(shown)
        })
        .collect();
    // Each value column's field config: the defaults with its overrides applied.
    let value_configs: Vec<Option<FieldConfig>> = columns
        .iter()
        .zip(&headers)
        .map(|(c, header)| {
            if !c.numeric {
                return None;
            }
            let mut merged = defaults.cloned().unwrap_or_else(|| Value::Object(Default::default()));
            for property in overrides_for(field_config, &c.field).chain(overrides_for(field_config, header)) {
                if let (Some(id), Some(value), Some(object)) = (
                    property.get("id").and_then(Value::as_str),
                    property.get("value"),
                    merged.as_object_mut(),
                ) && matches!(
                    id,
                    "unit" | "decimals" | "min" | "max" | "thresholds" | "mappings" | "color"
                ) {
                    object.insert(id.to_string(), value.clone());
                }
            }
            Some(FieldConfig::from_defaults(Some(&merged), ColorMode::Thresholds, theme))
        })
        .collect();
    // custom.width and custom.align: an override by name wins over the defaults.
    let custom = |column: &super::frame::Column, header: &str, key: &str| {
        let id = format!("custom.{key}");
        overrides_for(field_config, &column.field)
            .chain(overrides_for(field_config, header))
            .filter(|p| p.get("id").and_then(Value::as_str) == Some(id.as_str()))
            .filter_map(|p| p.get("value"))
            .last()
            .or_else(|| defaults.and_then(|d| d.get("custom")).and_then(|c| c.get(key)))
            .cloned()
    };
    let modes: Vec<CellMode> = columns
        .iter()
        .zip(&headers)
        .map(|(c, header)| {
            CellMode::from_custom(
                custom(c, header, "cellOptions").as_ref(),
                custom(c, header, "displayMode").as_ref(),
            )
        })
        .collect();
    let widths: Vec<Option<f64>> = columns
        .iter()
        .zip(&headers)
        .map(|(c, header)| custom(c, header, "width").and_then(|w| w.as_f64()).filter(|w| *w > 0.0))
        .collect();
    // Data links: a column's `links` override (by name), else the defaults'.
    let column_links: Vec<Vec<DashboardLink>> = columns
        .iter()
        .zip(&headers)
        .map(|(c, header)| {
            let property = overrides_for(field_config, &c.field)
                .chain(overrides_for(field_config, header))
                .filter(|p| p.get("id").and_then(Value::as_str) == Some("links"))
                .filter_map(|p| p.get("value"))
                .last();
            links::read_link_list(property.or_else(|| defaults.and_then(|d| d.get("links"))))
        })
        .collect();
    // Percentages and gauges scale on Grafana's global range: every number of every value column,
    // unless the field sets min/max.
    let global_range =
        rows.iter()
            .flat_map(|row| {
                columns.iter().filter(|c| c.numeric).filter_map(|c| match row.get(&c.field) {
                    Some(Cell::Number(Some(v))) if v.is_finite() => Some(*v),
                    _ => None,
                })
            })
            .fold(None, |range: Option<(f64, f64)>, v| {
                Some(range.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
            })
            .map_or((0.0, 100.0), |(lo, hi)| {
                if hi > lo { (lo.min(0.0), hi) } else { (lo.min(0.0), lo.min(0.0) + 100.0) }
            });
    let table_rows: Vec<Vec<TableCell>> = rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .zip(&value_configs)
                .zip(modes.iter().zip(&widths))
                .map(|((column, config), (mode, width))| match (row.get(&column.field), config) {
                    (Some(Cell::Number(value)), Some(config)) => {
                        let range =
                            (config.min.unwrap_or(global_range.0), config.max.unwrap_or(global_range.1));
                        let display = config.display(*value, range, "");
                        let look = match mode {
                            CellMode::Auto => CellLook::Plain,
                            CellMode::ColorText => CellLook::Text(display.color.clone()),
                            CellMode::ColorBackground { solid } => {
                                CellLook::Background { color: display.color.clone(), solid: *solid }
                            }
                            CellMode::Gauge(bar) => {
                                let number = value.filter(|v| v.is_finite());
                                let fraction = number
                                    .map_or(0.0, |v| ((v - range.0) / (range.1 - range.0)).clamp(0.0, 1.0));
                                let stops = match bar {
                                    BarMode::Gradient => gradient_stops(
                                        config,
                                        range,
                                        number.unwrap_or(range.0),
                                        &display.color,
                                    ),
                                    _ => vec![(display.color.clone(), None), (display.color.clone(), None)],
                                };
                                let lcd = (*bar == BarMode::Lcd).then(|| {
                                    lcd_cells(
                                        config,
                                        range,
                                        number,
                                        width.unwrap_or(DEFAULT_GAUGE_CELL_PX) * 0.6,
                                    )
                                });
                                CellLook::Gauge { fraction, fill: gradient_css(&stops, "90deg"), lcd }
                            }
                        };
                        TableCell {
                            text: if value.is_none() { String::new() } else { display.formatted.to_string() },
                            number: *value,
                            look,
                            links: Vec::new(),
                        }
                    }
                    (cell, _) => TableCell {
                        text: cell.map(Cell::text).unwrap_or_default(),
                        number: None,
                        look: CellLook::Plain,
                        links: Vec::new(),
                    },
                })
                .zip(&column_links)
                .zip(columns.iter().zip(&headers))
                .map(|((mut cell, links), (column, header))| {
                    // `${__data.fields.X}` is this row's X (by shown name or field name).
                    let data = |name: &str| -> Option<String> {
                        if let Some(field) = name.strip_prefix("__data.fields.") {
                            let other = columns
                                .iter()
                                .zip(&headers)
                                .find(|(c, h)| *h == field || c.field == field)?;
                            return Some(row.get(&other.0.field).map(Cell::text).unwrap_or_default());
                        }
                        match name {
                            "__value.raw" | "__value.numeric" => {
                                Some(row.get(&column.field).map(Cell::text).unwrap_or_default())
                            }
                            "__value.text" => Some(cell.text.clone()),
                            "__field.name" | "__field.displayName" => Some(header.clone()),
                            _ => None,
                        }
                    };
                    let filled: Vec<_> = links
                        .iter()
                        .map(|link| match &link.target {
                            LinkTarget::Url(url) => DashboardLink {
                                target: LinkTarget::Url(links::with_data_references(url, &data)),
                                ..link.clone()
                            },
                            _ => link.clone(),
                        })
                        .collect();
                    cell.links = filled;
                    cell
                })
                .collect()
        })
        .collect();
    let aligns = columns
        .iter()
        .zip(&headers)
        .map(|(c, header)| match custom(c, header, "align").as_ref().and_then(Value::as_str) {
            Some("left") => "left",
            Some("center") => "center",
            Some("right") => "right",
            _ if c.numeric => "right",
            _ => "left",
        })
        .collect();
    // custom.hidden: the column is left out of the table shown.
    let shown: Vec<bool> = columns
        .iter()
        .zip(&headers)
        .map(|(c, header)| custom(c, header, "hidden").and_then(|h| h.as_bool()) != Some(true))
        .collect();
    let table_rows = table_rows.into_iter().map(|row| only_shown(row, &shown)).collect();
    TableView {
        columns: only_shown(headers, &shown),
        rows: table_rows,
        widths: only_shown(widths, &shown),
        aligns: only_shown(aligns, &shown),
    }
}

fn only_shown<T>(items: Vec<T>, shown: &[bool]) -> Vec<T> {
    items.into_iter().zip(shown).filter(|(_, shown)| **shown).map(|(item, _)| item).collect()
}

/// Rows sorted by a column, numbers numerically, text alphabetically; `descending` reverses.
pub fn sort_rows(rows: &mut [Vec<TableCell>], column: usize, descending: bool) {
    sorting::sort_by(rows, |a, b| {
        let (left, right) = (a.get(column), b.get(column));
        let ordering = match (left.and_then(|c| c.number), right.and_then(|c| c.number)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            _ => left.map(|c| c.text.as_str()).cmp(&right.map(|c| c.text.as_str())),
        };
        if descending { ordering.reverse() } else { ordering }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Rgb;
    use crate::view::links::LinkTarget;
    use serde_json::json;

    #[test]
    fn data_links_fill_in_the_row_they_are_on() {
        let table = table_view(
            &[
                series("A", &[("namespace", "kube-system")], 4.0),
                series("A", &[("namespace", "default")], 2.5),
            ],
            &json!([]),
            &json!({"defaults": {}, "overrides": [
                {"matcher": {"id": "byName", "options": "Value"}, "properties": [{"id": "links", "value": [
                    {"title": "Drill down", "url": "/d/pods?var-cluster=$cluster&var-namespace=${__data.fields.namespace}&v=${__value.raw}&n=${__data.fields[\"namespace\"]:percentencode}"}]}]}]}),
            Theme::Dark,
        );
        let value_column = table.columns.iter().position(|c| c == "Value").unwrap();
        let urls: Vec<String> = table
            .rows
            .iter()
            .map(|row| match &row[value_column].links[0].target {
                LinkTarget::Url(url) => url.clone(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(
            urls,
            [
                "/d/pods?var-cluster=$cluster&var-namespace=kube-system&v=4&n=kube-system",
                "/d/pods?var-cluster=$cluster&var-namespace=default&v=2.5&n=default",
            ]
        );
        assert!(table.rows[0][0].links.is_empty(), "only the Value column links");
    }

    fn series(ref_id: &str, labels: &[(&str, &str)], value: f64) -> DisplaySeries {
        DisplaySeries {
            ref_id: ref_id.into(),
            name: String::new(),
            labels: labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            color: Rgb(0, 0, 0),
            points_ms: vec![(0.0, value)].into(),
            last_not_null: Some(value),
        }
    }

    fn texts_of(rows: &[Vec<TableCell>]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.text.clone()).collect()).collect()
    }

    fn texts(table: &TableView) -> Vec<Vec<&str>> {
        table.rows.iter().map(|r| r.iter().map(|c| c.text.as_str()).collect()).collect()
    }

    #[test]
    fn one_row_per_label_set_merged_across_queries() {
        let table = table_view(
            &[
                series("A", &[("job", "api"), ("instance", "a:1")], 1536.0),
                series("A", &[("job", "db"), ("instance", "b:1")], 10.0),
                series("B", &[("job", "api"), ("instance", "a:1")], 0.5),
            ],
            &json!([]),
            &json!({"defaults": {"unit": "bytes"}, "overrides": [
                {"matcher": {"id": "byName", "options": "Value #B"}, "properties": [{"id": "unit", "value": "percentunit"}, {"id": "displayName", "value": "Ratio"}]}]}),
            Theme::Dark,
        );
        assert_eq!(table.columns, vec!["instance", "job", "Value #A", "Ratio"]);
        assert_eq!(texts(&table), vec![vec!["a:1", "api", "1.50 KiB", "50%"], vec!["b:1", "db", "10 B", ""]]);
    }

    #[test]
    fn organize_excludes_orders_and_renames() {
        let table = table_view(
            &[series("A", &[("__name__", "up"), ("job", "api")], 1.0)],
            &json!([{"id": "organize", "options": {
                "excludeByName": {"__name__": true},
                "indexByName": {"Value": 0, "job": 1},
                "renameByName": {"job": "Job", "Value": "Up"}}}]),
            &json!({}),
            Theme::Dark,
        );
        assert_eq!(table.columns, vec!["Up", "Job"]);
        assert_eq!(texts(&table), vec![vec!["1", "api"]]);
    }

    #[test]
    fn filter_fields_by_name_then_organize_in_order() {
        let all = [series("A", &[("__name__", "up"), ("instance", "a:1"), ("job", "api")], 1.0)];
        let columns =
            |transformations: Value| table_view(&all, &transformations, &json!({}), Theme::Dark).columns;
        assert_eq!(
            columns(
                json!([{"id": "filterFieldsByName", "options": {"include": {"names": ["Time", "job", "Value"]}}}])
            ),
            vec!["job", "Value"]
        );
        // A bare pattern is anchored, as Grafana's stringToJsRegex makes it: "job|inst" is ^job|inst$.
        assert_eq!(
            columns(json!([{"id": "filterFieldsByName", "options": {"include": {"pattern": "job|inst"}}}])),
            vec!["job"]
        );
        assert_eq!(
            columns(json!([{"id": "filterFieldsByName", "options": {"include": {"pattern": "/inst|job/"}}}])),
            vec!["instance", "job"]
        );
        assert_eq!(
            columns(json!([{"id": "filterFieldsByName", "options": {"exclude": {"names": ["__name__"]}}}])),
            vec!["instance", "job", "Value"]
        );
        // A filter after organize sees the renamed names.
        assert_eq!(
            columns(json!([
                {"id": "organize", "options": {"renameByName": {"Value": "Up"}}},
                {"id": "filterFieldsByName", "options": {"include": {"names": ["Up", "job"]}}}
            ])),
            vec!["job", "Up"]
        );
        assert_eq!(
            columns(json!([{"id": "filterFieldsByName", "options": {"include": {"pattern": "(unclosed"}}}])),
            Vec::<String>::new(),
            "a pattern that does not compile matches nothing"
        );
    }

    #[test]
    fn column_widths_and_alignment_from_overrides_and_defaults() {
        let table = table_view(
            &[series("A", &[("instance", "a:1"), ("job", "api")], 1.0)],
            &json!([{"id": "organize", "options": {"renameByName": {"job": "Job"}}}]),
            &json!({"defaults": {"custom": {"align": "auto"}}, "overrides": [
                {"matcher": {"id": "byName", "options": "instance"}, "properties": [{"id": "custom.width", "value": 180}]},
                {"matcher": {"id": "byName", "options": "Job"}, "properties": [{"id": "custom.align", "value": "center"}]}]}),
            Theme::Dark,
        );
        assert_eq!(table.columns, vec!["instance", "Job", "Value"]);
        assert_eq!(table.widths, vec![Some(180.0), None, None]);
        assert_eq!(table.aligns, vec!["left", "center", "right"], "auto: labels left, numbers right");

        let hidden = table_view(
            &[series("A", &[("instance", "a:1"), ("job", "api")], 1.0)],
            &json!([]),
            &json!({"overrides": [{"matcher": {"id": "byName", "options": "instance"}, "properties": [{"id": "custom.hidden", "value": true}]}]}),
            Theme::Dark,
        );
        assert_eq!(
            (hidden.columns, texts_of(&hidden.rows)),
            (vec!["job".to_string(), "Value".into()], vec![vec!["api".to_string(), "1".into()]])
        );
    }

    #[test]
    fn sorting_is_numeric_for_values() {
        let mut table = table_view(
            &[
                series("A", &[("k", "x")], 10.0),
                series("A", &[("k", "y")], 9.0),
                series("A", &[("k", "z")], 100.0),
            ],
            &json!([]),
            &json!({}),
            Theme::Dark,
        );
        sort_rows(&mut table.rows, 1, false);
        assert_eq!(texts(&table), vec![vec!["y", "9"], vec!["x", "10"], vec!["z", "100"]]);
        sort_rows(&mut table.rows, 0, true);
        assert_eq!(texts(&table)[0], vec!["z", "100"]);
    }
}
