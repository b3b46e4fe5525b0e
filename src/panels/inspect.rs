//! The panel inspector's data, apart from the page: the series joined by time as a table and as
//! CSV (Grafana's "Series joined by time" download), and where a panel lives in the dashboard's
//! JSON. Pure; the app shows it.

use crate::field::DisplaySeries;
use crate::field::units::js_number_to_string;
use crate::time;

/// The series joined on their timestamps: a `Time` column, then one column per series; a series
/// without a sample at a time has an empty cell there.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinedTable {
    pub headers: Vec<String>,
    /// (epoch ms, one value per series)
    pub rows: Vec<(f64, Vec<Option<f64>>)>,
}

pub fn joined_by_time(series: &[DisplaySeries]) -> JoinedTable {
    let mut times: Vec<f64> = series.iter().flat_map(|s| s.points_ms.iter().map(|(t, _)| *t)).collect();
    times.sort_by(f64::total_cmp);
    times.dedup();
    let rows = times
        .iter()
        .map(|&time| {
            let values = series
                .iter()
                .map(|s| {
                    let index = s.points_ms.partition_point(|(t, _)| *t < time);
                    s.points_ms.get(index).filter(|(t, _)| *t == time).map(|(_, v)| *v)
                })
                .collect();
            (time, values)
        })
        .collect();
    let mut headers = vec!["Time".to_string()];
    headers.extend(series.iter().map(|s| s.name.clone()));
    JoinedTable { headers, rows }
}

/// A CSV field, quoted as Grafana's CSV export quotes every field.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The joined table as CSV: quoted fields, a header line, times as the dashboard shows them
/// (`utc_offset_minutes` east of UTC), values as JavaScript prints numbers (`NaN` stays `NaN`).
pub fn to_csv(table: &JoinedTable, utc_offset_minutes: i32) -> String {
    let mut out = table.headers.iter().map(|h| quoted(h)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    for (time, values) in &table.rows {
        let mut line = vec![quoted(&time::format_local_datetime(*time as i64, utc_offset_minutes))];
        line.extend(values.iter().map(|v| v.map_or_else(String::new, js_number_to_string)));
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A view's JSON path (`panels[3].panels[0]`) as a JSON pointer (`/panels/3/panels/0`).
pub fn json_path_pointer(path: &str) -> String {
    path.split('.')
        .filter(|part| !part.is_empty())
        .flat_map(|part| {
            let mut pieces = part.split('[');
            let name = pieces.next().unwrap_or_default().to_string();
            std::iter::once(name).chain(pieces.map(|index| index.trim_end_matches(']').to_string()))
        })
        .filter(|piece| !piece.is_empty())
        .map(|piece| format!("/{}", piece.replace('~', "~0").replace('/', "~1")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Rgb;

    fn series(name: &str, points: &[(f64, f64)]) -> DisplaySeries {
        DisplaySeries {
            ref_id: "A".into(),
            name: name.into(),
            labels: Default::default(),
            color: Rgb(0, 0, 0),
            points_ms: points.to_vec().into(),
            last_not_null: None,
        }
    }

    #[test]
    fn series_join_on_time_with_gaps_left_empty() {
        let table = joined_by_time(&[
            series("a \"quoted\"", &[(0.0, 1.0), (15_000.0, 2.5)]),
            series("b", &[(15_000.0, f64::NAN), (30_000.0, 1e21)]),
        ]);
        assert_eq!(table.headers, ["Time", "a \"quoted\"", "b"]);
        assert_eq!(table.rows.len(), 3);
        assert_eq!(table.rows[0].1, vec![Some(1.0), None]);
        assert_eq!(
            to_csv(&table, 60),
            "\"Time\",\"a \"\"quoted\"\"\",\"b\"\r\n\
             \"1970-01-01 01:00:00\",1,\r\n\
             \"1970-01-01 01:00:15\",2.5,NaN\r\n\
             \"1970-01-01 01:00:30\",,1e+21\r\n"
        );
    }

    #[test]
    fn json_paths_become_pointers() {
        assert_eq!(json_path_pointer("panels[3].panels[0]"), "/panels/3/panels/0");
        assert_eq!(json_path_pointer("panels[12]"), "/panels/12");
        assert_eq!(json_path_pointer("rows[1].panels[2]"), "/rows/1/panels/2");
    }
}
