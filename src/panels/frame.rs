//! The table panel's data frame and Grafana's transformations over it, pure. A frame is columns (a
//! key for their cells, the name transformations and overrides see, text or numbers) and rows of
//! cells. Built from Prometheus answers as Grafana shows them merged (a label column per label key,
//! a value column per query, one row per label set), then transformed in the panel's order:
//! `filterFieldsByName`, `organize`, `joinByField`/`seriesToColumns`, `labelsToFields`, `groupBy`,
//! `reduce`, `sortBy` (`merge` is what the frame already is).

use crate::field::display::reduce;
use crate::field::overrides;
use crate::field::{DisplaySeries, Theme, classic_palette_color};
use crate::jsregex::JsRegex;
use crate::reducers::{reducer_id, reducer_title};
use crate::sorting;
use serde_json::Value;
use std::collections::BTreeMap;

/// One cell: a label's text or a number (`None`: no value).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(Option<f64>),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Number(None)) || matches!(self, Cell::Text(t) if t.is_empty())
    }

    pub fn text(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Number(Some(n)) => n.to_string(),
            Cell::Number(None) => String::new(),
        }
    }
}

pub type Row = BTreeMap<String, Cell>;

/// A column: the key of its cells in every row, the name transformations and overrides see
/// (organize renames it), and whether it holds numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub field: String,
    pub name: String,
    pub numeric: bool,
}

impl Column {
    fn new(field: String, numeric: bool) -> Column {
        Column { name: field.clone(), field, numeric }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

/// A number field as the chart panels (bar chart, XY chart) read it: its shown name, its field
/// config (the defaults and the overrides that select it), its colour in the classic palette and
/// one value per row (`None`: no value, or NaN/infinite).
#[derive(Debug, Clone, PartialEq)]
pub struct NumberColumn {
    pub name: String,
    pub config: Value,
    pub color: String,
    pub values: Vec<Option<f64>>,
}

impl Frame {
    /// The frame's number columns but the `skip`th column, coloured by their place among them.
    /// Palette colours resolve on `theme`.
    pub fn number_columns(
        &self,
        field_config: &Value,
        skip: Option<usize>,
        theme: Theme,
    ) -> Vec<NumberColumn> {
        self.columns
            .iter()
            .enumerate()
            .filter(|(index, column)| Some(*index) != skip && column.numeric)
            .enumerate()
            .map(|(palette_index, (_, column))| {
                let resolved = overrides::field_for(field_config, &column.name, "", &[]);
                NumberColumn {
                    name: resolved.display_name.clone().unwrap_or_else(|| column.name.clone()),
                    config: resolved.config,
                    color: classic_palette_color(palette_index, theme).to_css(),
                    values: self
                        .rows
                        .iter()
                        .map(|row| match row.get(&column.field) {
                            Some(Cell::Number(value)) => value.filter(|v| v.is_finite()),
                            _ => None,
                        })
                        .collect(),
                }
            })
            .collect()
    }
}

/// The series joined on time ([`joined_on_time`]) as number columns named and configured as the
/// series are shown, with the timestamps (ms) of the rows.
pub fn time_columns(series: &[DisplaySeries], field_config: &Value) -> (Vec<f64>, Vec<NumberColumn>) {
    let (times, values) = joined_on_time(series);
    let columns = series
        .iter()
        .zip(overrides::series_fields(field_config, series))
        .zip(values)
        .map(|((s, (config, name)), values)| NumberColumn { name, config, color: s.color.to_css(), values })
        .collect();
    (times, columns)
}

/// The series joined on time, as Grafana's outer join of time-series frames: every timestamp of
/// any series once, ascending, and each series' value at each (`None` where it has no sample or a
/// NaN/infinite one).
pub fn joined_on_time(series: &[DisplaySeries]) -> (Vec<f64>, Vec<Vec<Option<f64>>>) {
    let mut times: Vec<f64> = series.iter().flat_map(|s| s.points_ms.iter().map(|(t, _)| *t)).collect();
    times.sort_by(f64::total_cmp);
    times.dedup();
    let values = series
        .iter()
        .map(|s| {
            let mut values = vec![None; times.len()];
            for (t, v) in s.points_ms.iter() {
                if let Ok(index) = times.binary_search_by(|x| x.total_cmp(t)) {
                    values[index] = Some(*v).filter(|v| v.is_finite());
                }
            }
            values
        })
        .collect();
    (times, values)
}

fn values_of(series: &DisplaySeries) -> Vec<f64> {
    series.points_ms.iter().map(|(_, v)| *v).collect()
}

impl Frame {
    /// The frame of Prometheus answers: a label column per label key, a value column per query
    /// (`Value`, or `Value #A`… with several), one row per label set merged across queries, each
    /// value its series' `lastNotNull`.
    pub fn from_series(series: &[DisplaySeries]) -> Frame {
        let ref_ids: Vec<&str> = {
            let mut ids: Vec<&str> = series.iter().map(|s| s.ref_id.as_str()).collect();
            ids.dedup();
            ids
        };
        let value_field =
            |ref_id: &str| if ref_ids.len() > 1 { format!("Value #{ref_id}") } else { "Value".to_string() };
        let mut label_keys: Vec<String> = series.iter().flat_map(|s| s.labels.keys().cloned()).collect();
        label_keys.sort();
        label_keys.dedup();
        let mut rows: Vec<(&BTreeMap<String, String>, Row)> = Vec::new();
        for s in series {
            let value = reduce("lastNotNull", &values_of(s));
            let field = value_field(&s.ref_id);
            match rows.iter_mut().find(|(labels, row)| **labels == s.labels && !row.contains_key(&field)) {
                Some((_, row)) => {
                    row.insert(field, Cell::Number(value));
                }
                None => {
                    let mut row: Row =
                        s.labels.iter().map(|(k, v)| (k.clone(), Cell::Text(v.clone()))).collect();
                    row.insert(field, Cell::Number(value));
                    rows.push((&s.labels, row));
                }
            }
        }
        let mut columns: Vec<Column> = label_keys.into_iter().map(|k| Column::new(k, false)).collect();
        columns.extend(ref_ids.iter().map(|id| Column::new(value_field(id), true)));
        Frame { columns, rows: rows.into_iter().map(|(_, row)| row).collect() }
    }

    /// Applies the panel's transformations in order; `series` feeds `reduce`, which starts over
    /// from the series.
    pub fn transformed(mut self, series: &[DisplaySeries], transformations: &Value) -> Frame {
        for transformation in transformations.as_array().into_iter().flatten() {
            let options = transformation.get("options");
            match transformation.get("id").and_then(Value::as_str) {
                Some("filterFieldsByName") => self.columns.retain(|c| kept_by_filter(options, &c.name)),
                Some("organize") => self.organize(options),
                Some("joinByField" | "seriesToColumns") => self.join_by_field(options),
                Some("labelsToFields") => self.keep_labels(options),
                Some("groupBy") => self = self.group_by(options),
                Some("reduce") => self = Frame::reduced(series, options),
                Some("sortBy") => self.sort_by(options),
                // `merge`: the frame is merged already. Others are not supported in tables yet.
                _ => {}
            }
        }
        self
    }

    /// Grafana's `organize`: exclude, order and rename by name.
    fn organize(&mut self, options: Option<&Value>) {
        let setting = |key: &str, name: &str| options.and_then(|o| o.get(key)).and_then(|e| e.get(name));
        self.columns.retain(|c| setting("excludeByName", &c.name).and_then(Value::as_bool) != Some(true));
        if options.and_then(|o| o.get("indexByName")).and_then(Value::as_object).is_some() {
            sorting::sort_by_key(&mut self.columns, |c| {
                setting("indexByName", &c.name).and_then(Value::as_i64).unwrap_or(i64::MAX)
            });
        }
        for column in &mut self.columns {
            if let Some(renamed) =
                setting("renameByName", &column.name).and_then(Value::as_str).filter(|r| !r.is_empty())
            {
                column.name = renamed.to_string();
            }
        }
    }

    /// Grafana's `joinByField` (and its old name `seriesToColumns`): rows sharing the value of
    /// `byField` become one row; `mode: inner` keeps only rows with every number present.
    fn join_by_field(&mut self, options: Option<&Value>) {
        let by_name = options.and_then(|o| o.get("byField")).and_then(Value::as_str).unwrap_or("");
        let Some(by) = self.columns.iter().find(|c| c.name == by_name).map(|c| c.field.clone()) else {
            return;
        };
        let mut joined: Vec<Row> = Vec::new();
        let mut keys: Vec<Option<String>> = Vec::new();
        for row in std::mem::take(&mut self.rows) {
            let key = row.get(&by).filter(|c| !c.is_empty()).map(Cell::text);
            match keys.iter().position(|k| key.is_some() && *k == key) {
                Some(index) => {
                    for (field, cell) in row {
                        let slot = joined[index].entry(field).or_insert(Cell::Number(None));
                        if slot.is_empty() {
                            *slot = cell;
                        }
                    }
                }
                None => {
                    keys.push(key);
                    joined.push(row);
                }
            }
        }
        if options.and_then(|o| o.get("mode")).and_then(Value::as_str) == Some("inner") {
            let numeric: Vec<&str> =
                self.columns.iter().filter(|c| c.numeric).map(|c| c.field.as_str()).collect();
            joined.retain(|row| numeric.iter().all(|f| row.get(*f).is_some_and(|cell| !cell.is_empty())));
        }
        self.rows = joined;
    }

    /// Grafana's `labelsToFields` in columns mode: labels are columns already; `keepLabels` keeps
    /// only those label columns.
    fn keep_labels(&mut self, options: Option<&Value>) {
        let keep: Vec<&str> = options
            .and_then(|o| o.get("keepLabels"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if !keep.is_empty() {
            self.columns.retain(|c| c.numeric || keep.contains(&c.field.as_str()));
        }
    }

    /// Grafana's `groupBy`: rows grouped by the `groupby` fields; each `aggregate` field becomes
    /// one column per calculation, named `field (calc)`; other fields go.
    fn group_by(self, options: Option<&Value>) -> Frame {
        let fields = options.and_then(|o| o.get("fields")).and_then(Value::as_object);
        let setting = |column: &Column| fields.and_then(|f| f.get(&column.name));
        let operation =
            |column: &Column| setting(column).and_then(|s| s.get("operation")).and_then(Value::as_str);
        let keys: Vec<Column> =
            self.columns.iter().filter(|c| operation(c) == Some("groupby")).cloned().collect();
        if keys.is_empty() {
            return self;
        }
        let mut groups: Vec<(Vec<String>, Vec<Row>)> = Vec::new();
        for row in self.rows {
            let key: Vec<String> =
                keys.iter().map(|c| row.get(&c.field).map(Cell::text).unwrap_or_default()).collect();
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, members)) => members.push(row),
                None => groups.push((key, vec![row])),
            }
        }
        let mut columns = keys.clone();
        let mut aggregates: Vec<(Column, String, String)> = Vec::new();
        for column in self.columns.iter().filter(|c| operation(c) == Some("aggregate")) {
            let calcs = setting(column).and_then(|s| s.get("aggregations")).and_then(Value::as_array);
            for calc in calcs.into_iter().flatten().filter_map(Value::as_str) {
                let name = format!("{} ({calc})", column.name);
                // Text keeps text for the calculations that pick a value; the others count.
                let numeric =
                    column.numeric || !matches!(calc, "last" | "lastNotNull" | "first" | "firstNotNull");
                aggregates.push((column.clone(), calc.to_string(), name.clone()));
                columns.push(Column { field: name.clone(), name, numeric });
            }
        }
        let rows = groups
            .into_iter()
            .map(|(_, members)| {
                let mut row: Row = keys
                    .iter()
                    .filter_map(|c| members[0].get(&c.field).map(|cell| (c.field.clone(), cell.clone())))
                    .collect();
                for (column, calc, name) in &aggregates {
                    let cells: Vec<&Cell> = members.iter().filter_map(|m| m.get(&column.field)).collect();
                    row.insert(name.clone(), aggregate(&cells, calc, column.numeric));
                }
                row
            })
            .collect();
        Frame { columns, rows }
    }

    /// Grafana's `reduce` ("Series to rows"): a row per series with its display name (`Field`) and
    /// one column per reducer, titled as Grafana titles them; labels as columns with
    /// `labelsToFields`.
    fn reduced(series: &[DisplaySeries], options: Option<&Value>) -> Frame {
        let reducers: Vec<&'static str> = options
            .and_then(|o| o.get("reducers"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter_map(reducer_id)
            .collect();
        let with_labels =
            options.and_then(|o| o.get("labelsToFields")).and_then(Value::as_bool) == Some(true);
        let mut columns = vec![Column::new("Field".into(), false)];
        if with_labels {
            let mut keys: Vec<String> = series.iter().flat_map(|s| s.labels.keys().cloned()).collect();
            keys.sort();
            keys.dedup();
            columns.extend(keys.into_iter().map(|k| Column::new(k, false)));
        }
        columns.extend(reducers.iter().map(|r| Column::new(reducer_title(r).to_string(), true)));
        let rows = series
            .iter()
            .map(|s| {
                let mut row = Row::new();
                row.insert("Field".into(), Cell::Text(s.name.clone()));
                if with_labels {
                    row.extend(s.labels.iter().map(|(k, v)| (k.clone(), Cell::Text(v.clone()))));
                }
                let values = values_of(s);
                for reducer in &reducers {
                    row.insert(reducer_title(reducer).to_string(), Cell::Number(reduce(reducer, &values)));
                }
                row
            })
            .collect();
        Frame { columns, rows }
    }

    /// Grafana's `sortBy`: rows by the first listed field, numbers numerically, `desc` reversed.
    fn sort_by(&mut self, options: Option<&Value>) {
        let Some(first) =
            options.and_then(|o| o.get("sort")).and_then(Value::as_array).and_then(|s| s.first())
        else {
            return;
        };
        let name = first.get("field").and_then(Value::as_str).unwrap_or("");
        let Some(field) = self.columns.iter().find(|c| c.name == name).map(|c| c.field.clone()) else {
            return;
        };
        let descending = first.get("desc").and_then(Value::as_bool) == Some(true);
        sorting::sort_by(&mut self.rows, |a, b| {
            let order = match (a.get(&field), b.get(&field)) {
                (Some(Cell::Number(x)), Some(Cell::Number(y))) => {
                    x.unwrap_or(f64::NEG_INFINITY).total_cmp(&y.unwrap_or(f64::NEG_INFINITY))
                }
                (x, y) => x.map(Cell::text).unwrap_or_default().cmp(&y.map(Cell::text).unwrap_or_default()),
            };
            if descending { order.reverse() } else { order }
        });
    }
}

/// One `groupBy` calculation over a group's cells.
fn aggregate(cells: &[&Cell], calc: &str, numeric: bool) -> Cell {
    if numeric {
        let numbers: Vec<f64> =
            cells.iter().map(|c| if let Cell::Number(Some(n)) = c { *n } else { f64::NAN }).collect();
        return Cell::Number(reduce(calc, &numbers));
    }
    let present: Vec<&Cell> = cells.iter().copied().filter(|c| !c.is_empty()).collect();
    let picked = |cell: Option<&&Cell>| cell.map_or(Cell::Text(String::new()), |c| (*c).clone());
    match calc {
        "last" => picked(cells.last()),
        "lastNotNull" => picked(present.last()),
        "first" => picked(cells.first()),
        "firstNotNull" => picked(present.first()),
        "count" => Cell::Number(Some(present.len() as f64)),
        "distinctCount" => {
            let mut texts: Vec<String> = present.iter().map(|c| c.text()).collect();
            texts.sort();
            texts.dedup();
            Cell::Number(Some(texts.len() as f64))
        }
        _ => Cell::Number(None),
    }
}

/// Grafana's `filterFieldsByName`: with an `include` list or pattern only matching fields stay;
/// then fields an `exclude` list or pattern matches go. A pattern is a JavaScript regular
/// expression (`/…/flags` or bare); one that does not compile matches nothing.
fn kept_by_filter(options: Option<&Value>, name: &str) -> bool {
    let matches = |rule: Option<&Value>| {
        let rule = rule?;
        let listed = rule.get("names").and_then(Value::as_array);
        let pattern = rule.get("pattern").and_then(Value::as_str).filter(|p| !p.is_empty());
        if listed.is_none() && pattern.is_none() {
            return None;
        }
        let in_list = listed.into_iter().flatten().any(|n| n.as_str() == Some(name));
        let by_pattern = pattern.is_some_and(|p| JsRegex::field_pattern(p).is_ok_and(|re| re.is_match(name)));
        Some(in_list || by_pattern)
    };
    let included = matches(options.and_then(|o| o.get("include"))).unwrap_or(true);
    let excluded = matches(options.and_then(|o| o.get("exclude"))).unwrap_or(false);
    included && !excluded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Rgb;
    use serde_json::json;

    fn series(ref_id: &str, name: &str, labels: &[(&str, &str)], values: &[f64]) -> DisplaySeries {
        DisplaySeries {
            ref_id: ref_id.into(),
            name: name.into(),
            labels: labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            color: Rgb(0, 0, 0),
            points_ms: values.iter().enumerate().map(|(i, v)| (i as f64, *v)).collect::<Vec<_>>().into(),
            last_not_null: values.last().copied(),
        }
    }

    fn table(series: &[DisplaySeries], transformations: Value) -> (Vec<String>, Vec<Vec<String>>) {
        let frame = Frame::from_series(series).transformed(series, &transformations);
        let names = frame.columns.iter().map(|c| c.name.clone()).collect();
        let rows = frame
            .rows
            .iter()
            .map(|row| {
                frame.columns.iter().map(|c| row.get(&c.field).map(Cell::text).unwrap_or_default()).collect()
            })
            .collect();
        (names, rows)
    }

    #[test]
    fn join_by_field_puts_each_queries_value_on_one_row_per_key() {
        // The blackbox exporter's "Detailed Information": several queries, other labels differ.
        let answers = [
            series("A", "", &[("instance", "a"), ("job", "probe")], &[200.0]),
            series("A", "", &[("instance", "b"), ("job", "probe")], &[404.0]),
            series("B", "", &[("instance", "a"), ("version", "1.1")], &[0.5]),
            series("C", "", &[("instance", "c")], &[7.0]),
        ];
        let (columns, rows) =
            table(&answers, json!([{"id": "seriesToColumns", "options": {"byField": "instance"}}]));
        assert_eq!(columns, ["instance", "job", "version", "Value #A", "Value #B", "Value #C"]);
        assert_eq!(
            rows,
            [
                ["a", "probe", "1.1", "200", "0.5", ""],
                ["b", "probe", "", "404", "", ""],
                ["c", "", "", "", "", "7"]
            ]
        );
        let (_, inner) = table(
            &answers,
            json!([{"id": "joinByField", "options": {"byField": "instance", "mode": "inner"}}]),
        );
        assert!(inner.is_empty(), "no instance has all three values: {inner:?}");
        let (_, unknown) = table(&answers, json!([{"id": "joinByField", "options": {"byField": "nope"}}]));
        assert_eq!(unknown.len(), 4, "an unknown field joins nothing");
    }

    #[test]
    fn labels_to_fields_keeps_the_listed_labels() {
        let answers = [series("A", "", &[("namespace", "n"), ("pod", "p"), ("uid", "u")], &[1.0])];
        let (columns, _) = table(
            &answers,
            json!([{"id": "labelsToFields", "options": {"keepLabels": ["namespace", "pod"], "mode": "columns"}}]),
        );
        assert_eq!(columns, ["namespace", "pod", "Value"]);
    }

    #[test]
    fn group_by_aggregates_numbers_and_picks_text() {
        // k8s-views-nodes' "List of pods on node": group by pod, keep the last namespace.
        let answers = [
            series("A", "", &[("namespace", "n1"), ("pod", "p1"), ("ip", "x")], &[1.0]),
            series("A", "", &[("namespace", "n1"), ("pod", "p1"), ("ip", "y")], &[3.0]),
            series("A", "", &[("namespace", "n2"), ("pod", "p2"), ("ip", "z")], &[5.0]),
        ];
        let (columns, rows) = table(
            &answers,
            json!([{"id": "groupBy", "options": {"fields": {
                "pod": {"operation": "groupby", "aggregations": []},
                "namespace": {"operation": "aggregate", "aggregations": ["last"]},
                "Value": {"operation": "aggregate", "aggregations": ["sum", "count"]}
            }}}]),
        );
        assert_eq!(columns, ["pod", "namespace (last)", "Value (sum)", "Value (count)"]);
        assert_eq!(rows, [["p1", "n1", "4", "2"], ["p2", "n2", "5", "1"]]);
    }

    #[test]
    fn reduce_makes_a_row_per_series_with_grafanas_titles() {
        // ingress-nginx's "Ingress Certificate Expiry": a time series reduced to its last value.
        let answers = [
            series("A", "host a", &[("host", "a")], &[5.0, 7.0, f64::NAN]),
            series("A", "host b", &[("host", "b")], &[1.0, 2.0]),
        ];
        let (columns, rows) = table(
            &answers,
            json!([{"id": "reduce", "options": {"reducers": ["lastNotNull", "max"], "includeTimeField": false}}]),
        );
        assert_eq!(columns, ["Field", "Last *", "Max"]);
        assert_eq!(rows, [["host a", "7", "7"], ["host b", "2", "2"]]);
        let (columns, _) = table(
            &answers,
            json!([{"id": "reduce", "options": {"reducers": ["mean"], "labelsToFields": true}}]),
        );
        assert_eq!(columns, ["Field", "host", "Mean"]);
    }

    #[test]
    fn sort_by_numbers_and_text() {
        let answers = [
            series("A", "", &[("pod", "b")], &[10.0]),
            series("A", "", &[("pod", "a")], &[9.0]),
            series("A", "", &[("pod", "c")], &[100.0]),
        ];
        let (_, rows) = table(
            &answers,
            json!([{"id": "sortBy", "options": {"sort": [{"field": "Value", "desc": true}]}}]),
        );
        assert_eq!(rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["c", "b", "a"]);
        let (_, rows) = table(
            &answers,
            json!([{"id": "organize", "options": {"renameByName": {"pod": "Pod Name"}}},
                   {"id": "sortBy", "options": {"fields": {}, "sort": [{"field": "Pod Name"}]}}]),
        );
        assert_eq!(rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);
    }
}
