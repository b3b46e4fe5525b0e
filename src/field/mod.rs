//! Field display: series colours and value text, shared by every panel kind (legend, axis, tooltip).
//! Pure. Units live in [`units`]; issue 5 grows this into Grafana's full field config (thresholds,
//! mappings, overrides).

pub mod display;
pub mod named_colors;
pub mod overrides;
pub mod scheme;
pub mod unit_catalogue;
pub mod units;

pub use named_colors::Theme;

use crate::prom::Series;
use crate::query::{PlannedQuery, series_name};
use named_colors::color_by_name;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const fn from_hex(hex: u32) -> Rgb {
        Rgb((hex >> 16) as u8, (hex >> 8) as u8, hex as u8)
    }

    /// Reads `#rrggbb` (or `#rgb`); other CSS colours give `None`.
    pub fn from_css(css: &str) -> Option<Rgb> {
        let hex = css.strip_prefix('#')?;
        let value = u32::from_str_radix(hex, 16).ok()?;
        match hex.len() {
            6 => Some(Rgb::from_hex(value)),
            3 => {
                let digit = |shift: u32| ((value >> shift) & 0xF) as u8 * 17;
                Some(Rgb(digit(8), digit(4), digit(0)))
            }
            _ => None,
        }
    }

    pub fn to_css(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// Grafana's `palette-classic` (dark theme), in series order (grafana-display.md §5.2).
pub const PALETTE_CLASSIC: [u32; 64] = [
    0x73BF69, 0xFADE2A, 0x5794F2, 0xFF9830, 0xF2495C, 0xB877D9, 0x37872D, 0xE0B400, 0x1F60C4, 0xFA6400,
    0xC4162A, 0x8F3BB8, 0xC8F2C2, 0xFFF899, 0xC0D8FF, 0xFFCB7D, 0xFFA6B0, 0xDEB6F2, 0x447EBC, 0xC15C17,
    0x890F02, 0x0A437C, 0x6D1F62, 0x584477, 0xB7DBAB, 0xF4D598, 0x70DBED, 0xF9BA8F, 0xF29191, 0x82B5D8,
    0xE5A8E2, 0xAEA2E0, 0x629E51, 0xE5AC0E, 0x64B0C8, 0xE0752D, 0xBF1B00, 0x0A50A1, 0x962D82, 0x614D93,
    0x9AC48A, 0xF2C96D, 0x65C5DB, 0xF9934E, 0xEA6460, 0x5195CE, 0xD683CE, 0x806EB7, 0x3F6833, 0x967302,
    0x2F575E, 0x99440A, 0x58140C, 0x052B51, 0x511749, 0x3F2B5B, 0xE0F9D7, 0xFCEACA, 0xCFFAFF, 0xF9E2D2,
    0xFCE2DE, 0xBADFF4, 0xF9D9F9, 0xDEDAF7,
];

/// The first 18 palette entries are named colours, which differ on the light theme.
const PALETTE_NAMES: [&str; 18] = [
    "green",
    "yellow",
    "blue",
    "orange",
    "red",
    "purple",
    "dark-green",
    "dark-yellow",
    "dark-blue",
    "dark-orange",
    "dark-red",
    "dark-purple",
    "super-light-green",
    "super-light-yellow",
    "super-light-blue",
    "super-light-orange",
    "super-light-red",
    "super-light-purple",
];

/// The colour of the `series_index`-th value field of a panel (counted across all its queries),
/// on `theme`.
pub fn classic_palette_color(series_index: usize, theme: Theme) -> Rgb {
    let index = series_index % PALETTE_CLASSIC.len();
    match PALETTE_NAMES.get(index) {
        Some(name) if theme.is_light() => {
            Rgb::from_css(&color_by_name(name, theme)).unwrap_or(Rgb::from_hex(PALETTE_CLASSIC[index]))
        }
        _ => Rgb::from_hex(PALETTE_CLASSIC[index]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_starts_green_yellow_blue_and_wraps() {
        assert_eq!(classic_palette_color(0, Theme::Dark), Rgb(0x73, 0xBF, 0x69));
        assert_eq!(classic_palette_color(2, Theme::Dark).to_css(), "#5794f2");
        assert_eq!(classic_palette_color(64, Theme::Dark), classic_palette_color(0, Theme::Dark));
        assert_eq!(Rgb::from_css("#F2495C"), Some(Rgb(0xF2, 0x49, 0x5C)));
        assert_eq!(Rgb::from_css("#fff"), Some(Rgb(255, 255, 255)));
        assert_eq!(Rgb::from_css("red"), None);
    }

    #[test]
    fn the_light_theme_resolves_named_colours_to_its_own_shades() {
        let light = Theme::Light;
        let (first, red, literal, named) = (
            classic_palette_color(0, light),
            color_by_name("red", light),
            classic_palette_color(18, light),
            color_by_name("dark-green", light),
        );
        assert_eq!(first, Rgb::from_hex(0x56A64B));
        assert_eq!(red, "#E02F44");
        assert_eq!(literal, Rgb::from_hex(0x447EBC), "literal hex entries are the same on both themes");
        assert_eq!(named, "#19730E");
        assert_eq!(color_by_name("red", Theme::Dark), "#F2495C");
    }
}

/// Grafana's `lastNotNull` reducer: the last value that is not null (NaN, in Prometheus's answers).
pub fn last_not_null(points: &[(f64, f64)]) -> Option<f64> {
    points.iter().rev().map(|(_, v)| *v).find(|v| !v.is_nan())
}

#[cfg(test)]
mod reducer_tests {
    use super::*;

    #[test]
    fn last_not_null_skips_trailing_nan() {
        assert_eq!(last_not_null(&[(1.0, 2.0), (2.0, f64::NAN)]), Some(2.0));
        assert_eq!(last_not_null(&[(1.0, f64::NAN)]), None);
        assert_eq!(last_not_null(&[]), None);
    }
}

/// A series as panels show it: named by legendFormat, coloured by its position, times in ms.
#[derive(Debug, Clone, PartialEq)]
pub struct DisplaySeries {
    pub ref_id: String,
    pub name: String,
    /// The series' labels, as Prometheus returned them (tables show them as columns).
    pub labels: std::collections::BTreeMap<String, String>,
    pub color: Rgb,
    /// Shared with the chart that draws them (see [`crate::chart::ChartSeries`]).
    pub points_ms: std::sync::Arc<Vec<(f64, f64)>>,
    pub last_not_null: Option<f64>,
}

#[cfg(test)]
impl DisplaySeries {
    /// A series for tests: of query `ref_id`, named `name`, with `labels`, coloured as the first
    /// series of the classic palette, samples (ms, value) as given.
    pub fn example(
        ref_id: &str,
        name: &str,
        labels: &[(&str, &str)],
        points_ms: &[(f64, f64)],
    ) -> DisplaySeries {
        DisplaySeries {
            ref_id: ref_id.into(),
            name: name.into(),
            labels: labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            color: classic_palette_color(0, Theme::Dark),
            points_ms: std::sync::Arc::new(points_ms.to_vec()),
            last_not_null: last_not_null(points_ms),
        }
    }
}

/// Names and colours the series of every query of a panel, in query order then answer order, as
/// Grafana counts series for `palette-classic`, on `theme`.
pub fn display_series(results: Vec<(PlannedQuery, Vec<Series>)>, theme: Theme) -> Vec<DisplaySeries> {
    let mut index = 0;
    let mut shown = Vec::new();
    for (query, series) in results {
        for series in series {
            // Seconds to milliseconds in place: the answer's samples are not copied.
            let mut points_ms = series.points;
            points_ms.iter_mut().for_each(|(t, _)| *t *= 1000.0);
            shown.push(DisplaySeries {
                ref_id: query.ref_id.clone(),
                name: series_name(&query.legend_format, &series.labels, &query.expr),
                labels: series.labels,
                color: classic_palette_color(index, theme),
                last_not_null: last_not_null(&points_ms),
                points_ms: points_ms.into(),
            });
            index += 1;
        }
    }
    shown
}

#[cfg(test)]
mod display_series_tests {
    use super::*;
    use crate::prom::Series;
    use crate::query::PlannedQuery;

    #[test]
    fn series_are_coloured_across_queries_in_order() {
        let query = |ref_id: &str, legend: &str| PlannedQuery {
            ref_id: ref_id.into(),
            expr: "up".into(),
            legend_format: legend.into(),
            start_s: 0,
            end_s: 60,
            step_s: 15,
            instant_at: None,
            datasource_uid: "prometheus".into(),
            datasource_note: None,
        };
        let series = |job: &str, values: &[f64]| Series {
            labels: [("job".to_string(), job.to_string())].into(),
            points: values.iter().enumerate().map(|(i, v)| (i as f64 * 15.0, *v)).collect(),
        };
        let shown = display_series(
            vec![
                (query("A", "{{job}}"), vec![series("a", &[1.0, 2.0]), series("b", &[3.0, f64::NAN])]),
                (query("B", ""), vec![series("c", &[])]),
            ],
            Theme::Dark,
        );
        let summary: Vec<(&str, &str, Rgb, Option<f64>)> =
            shown.iter().map(|s| (s.ref_id.as_str(), s.name.as_str(), s.color, s.last_not_null)).collect();
        assert_eq!(
            summary,
            vec![
                ("A", "a", classic_palette_color(0, Theme::Dark), Some(2.0)),
                ("A", "b", classic_palette_color(1, Theme::Dark), Some(3.0)),
                ("B", "{job=\"c\"}", classic_palette_color(2, Theme::Dark), None),
            ]
        );
        assert_eq!(shown[0].points_ms[1], (15_000.0, 2.0));
    }
}
