//! Grafana's field config and display processor (grafana-display.md §3–5): value mappings, unit
//! formatting, thresholds and colours, and the reducers panels use to turn a series into one value.

use super::units::{FormattedValue, format_value};
use crate::json::lenient_f64;
use serde_json::Value;

pub use super::named_colors::{Theme, color_by_name};

#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdStep {
    /// `-∞` for the base step (JSON `null`).
    pub value: f64,
    pub color: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    pub percentage: bool,
    pub steps: Vec<ThresholdStep>,
}

impl Default for Thresholds {
    /// Grafana's default: green, red from 80.
    fn default() -> Thresholds {
        Thresholds {
            percentage: false,
            steps: vec![
                ThresholdStep { value: f64::NEG_INFINITY, color: "green".into() },
                ThresholdStep { value: 80.0, color: "red".into() },
            ],
        }
    }
}

impl Thresholds {
    /// The last step at or below `value` (equality reaches the step).
    pub fn active(&self, value: f64) -> Option<&ThresholdStep> {
        let mut active = self.steps.first()?;
        for step in &self.steps {
            if value >= step.value {
                active = step;
            } else {
                break;
            }
        }
        Some(active)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct MappingResult {
    pub text: Option<String>,
    pub color: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueMapping {
    Value(Vec<(String, MappingResult)>),
    Range { from: Option<f64>, to: Option<f64>, result: MappingResult },
    Special { matches: String, result: MappingResult },
}

#[derive(Debug, Clone, PartialEq)]
pub enum ColorMode {
    Thresholds,
    Fixed(String),
    PaletteClassic,
    /// A continuous ("by value") scheme by its Grafana id, `continuous-GrYlRd` for one.
    Continuous(String),
}

/// A field's display settings (`fieldConfig.defaults`).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldConfig {
    pub unit: String,
    pub decimals: Option<i32>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub thresholds: Thresholds,
    pub mappings: Vec<ValueMapping>,
    pub no_value: Option<String>,
    pub color: ColorMode,
    /// The theme its named colours resolve on.
    pub theme: Theme,
}

fn text(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_string)
}

fn mapping_result(value: Option<&Value>) -> MappingResult {
    MappingResult {
        text: text(value.and_then(|v| v.get("text"))),
        color: text(value.and_then(|v| v.get("color"))),
    }
}

impl FieldConfig {
    /// Reads `fieldConfig.defaults`, tolerating missing and oddly typed keys. `default_color` is the
    /// panel type's default colour mode (palette for time series, thresholds for stat and gauge);
    /// its named colours resolve on `theme`.
    pub fn from_defaults(defaults: Option<&Value>, default_color: ColorMode, theme: Theme) -> FieldConfig {
        let get = |key: &str| defaults.and_then(|d| d.get(key));
        let thresholds = match get("thresholds") {
            Some(t) => Thresholds {
                percentage: t.get("mode").and_then(Value::as_str) == Some("percentage"),
                steps: t
                    .get("steps")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|step| ThresholdStep {
                        value: lenient_f64(step.get("value")).unwrap_or(f64::NEG_INFINITY),
                        color: text(step.get("color")).unwrap_or_default(),
                    })
                    .collect(),
            },
            None => Thresholds::default(),
        };
        let mappings = get("mappings")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|mapping| {
                let options = mapping.get("options");
                match mapping.get("type").and_then(Value::as_str)? {
                    "value" => Some(ValueMapping::Value(
                        options?
                            .as_object()?
                            .iter()
                            .map(|(k, v)| (k.clone(), mapping_result(Some(v))))
                            .collect(),
                    )),
                    "range" => Some(ValueMapping::Range {
                        from: lenient_f64(options.and_then(|o| o.get("from"))),
                        to: lenient_f64(options.and_then(|o| o.get("to"))),
                        result: mapping_result(options.and_then(|o| o.get("result"))),
                    }),
                    "special" => Some(ValueMapping::Special {
                        matches: text(options.and_then(|o| o.get("match"))).unwrap_or_default(),
                        result: mapping_result(options.and_then(|o| o.get("result"))),
                    }),
                    _ => None,
                }
            })
            .collect();
        let color = match get("color").and_then(|c| c.get("mode")).and_then(Value::as_str) {
            Some("thresholds") => ColorMode::Thresholds,
            Some("fixed") | Some("shades") => ColorMode::Fixed(
                text(get("color").and_then(|c| c.get("fixedColor"))).unwrap_or_else(|| "gray".into()),
            ),
            Some("palette-classic") | Some("palette-classic-by-name") => ColorMode::PaletteClassic,
            Some(scheme) if super::scheme::scheme_stops(scheme, theme).is_some() => {
                ColorMode::Continuous(scheme.into())
            }
            _ => default_color,
        };
        FieldConfig {
            unit: text(get("unit")).unwrap_or_default(),
            decimals: lenient_f64(get("decimals")).map(|d| d.clamp(0.0, 20.0) as i32),
            min: lenient_f64(get("min")),
            max: lenient_f64(get("max")),
            thresholds,
            mappings,
            no_value: text(get("noValue")),
            color,
            theme,
        }
    }

    fn mapped(&self, value: Option<f64>) -> Option<&MappingResult> {
        self.mappings.iter().find_map(|mapping| match (mapping, value) {
            (ValueMapping::Value(options), Some(v)) => {
                let key = super::units::js_number_to_string(v);
                options.iter().find(|(k, _)| *k == key).map(|(_, r)| r)
            }
            (ValueMapping::Range { from, to, result }, Some(v)) if !v.is_nan() => {
                (from.is_none_or(|f| f <= v) && to.is_none_or(|t| v <= t)).then_some(result)
            }
            (ValueMapping::Special { matches, result }, value) => {
                let hit = match matches.as_str() {
                    "null" => value.is_none(),
                    "nan" => value.is_some_and(f64::is_nan),
                    "null+nan" => value.is_none_or(f64::is_nan),
                    _ => false,
                };
                hit.then_some(result)
            }
            _ => None,
        })
    }

    /// Grafana's display processor for one value (`None` is null). `range` is the (min, max) of the
    /// values shown, used for percentages when the config sets none.
    pub fn display(&self, value: Option<f64>, range: (f64, f64), series_color: &str) -> DisplayValue {
        let mapping = self.mapped(value);
        let mut formatted = FormattedValue::default();
        let named = |name: &str| color_by_name(name, self.theme);
        let mut color = mapping.and_then(|m| m.color.as_deref()).map(named);
        let (min, max) = (self.min.unwrap_or(range.0), self.max.unwrap_or(range.1));
        let percent = match value {
            Some(v) if !v.is_nan() && max > min => ((v - min) / (max - min)).clamp(0.0, 1.0),
            _ => 0.0,
        };
        if let Some(text) = mapping.and_then(|m| m.text.clone()) {
            formatted.text = text;
        } else if let Some(v) = value.filter(|v| !v.is_nan()) {
            formatted = format_value(&self.unit, v, self.decimals);
        } else if value.is_some() {
            formatted.text = "NaN".into();
        } else {
            formatted.text = self.no_value.clone().unwrap_or_else(|| "No data".into());
        }
        if color.is_none() {
            color = Some(match &self.color {
                ColorMode::Fixed(name) => named(name),
                ColorMode::PaletteClassic => series_color.to_string(),
                ColorMode::Continuous(scheme) => super::scheme::continuous_color(scheme, percent, self.theme)
                    .map_or_else(|| series_color.to_string(), super::Rgb::to_css),
                ColorMode::Thresholds => {
                    let position = match value {
                        Some(v) if !v.is_nan() => {
                            if self.thresholds.percentage {
                                percent * 100.0
                            } else {
                                v
                            }
                        }
                        _ => f64::NEG_INFINITY,
                    };
                    self.thresholds
                        .active(position)
                        .map(|s| named(&s.color))
                        .unwrap_or_else(|| "#808080".into())
                }
            });
        }
        DisplayValue { formatted, color: color.unwrap_or_default(), percent }
    }
}

/// A value ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct DisplayValue {
    pub formatted: FormattedValue,
    pub color: String,
    pub percent: f64,
}

/// Grafana's reducers over a series' values (NaN counts as null; nulls are ignored, Grafana's
/// default). Unknown ids give `None`.
pub fn reduce(calc: &str, values: &[f64]) -> Option<f64> {
    let present: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    let sum: f64 = present.iter().sum();
    let extreme = |pick: fn(f64, f64) -> f64| present.iter().copied().reduce(pick);
    match calc {
        "lastNotNull" | "current" => present.last().copied(),
        "last" => values.last().copied().filter(|v| !v.is_nan()),
        "firstNotNull" => present.first().copied(),
        "first" => values.first().copied().filter(|v| !v.is_nan()),
        "min" => extreme(f64::min),
        "max" => extreme(f64::max),
        "mean" | "avg" => (!present.is_empty()).then(|| sum / present.len() as f64),
        "sum" | "total" => Some(sum),
        "count" => Some(present.len() as f64),
        "range" => Some(extreme(f64::max)? - extreme(f64::min)?),
        "diff" => Some(present.last()? - present.first()?),
        "delta" => {
            let mut total = 0.0;
            // The first increase counts; the first one after a counter reset does not.
            let mut rising = true;
            for pair in present.windows(2) {
                if pair[0] > pair[1] {
                    rising = false;
                } else {
                    if rising {
                        total += pair[1] - pair[0];
                    }
                    rising = true;
                }
            }
            (!present.is_empty()).then_some(total)
        }
        "median" => {
            let mut sorted = present.clone();
            sorted.sort_by(f64::total_cmp);
            let n = sorted.len();
            match n {
                0 => None,
                _ if n % 2 == 1 => Some(sorted[n / 2]),
                _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(defaults: Value) -> FieldConfig {
        FieldConfig::from_defaults(Some(&defaults), ColorMode::Thresholds, Theme::Dark)
    }

    #[test]
    fn thresholds_pick_the_last_step_reached() {
        let field = config(json!({"thresholds": {"mode": "absolute", "steps": [
            {"value": null, "color": "green"}, {"value": 80, "color": "red"}]}}));
        assert_eq!(field.display(Some(79.9), (0.0, 100.0), "").color, "#73BF69");
        assert_eq!(field.display(Some(80.0), (0.0, 100.0), "").color, "#F2495C", "equality reaches the step");
        assert_eq!(field.display(None, (0.0, 100.0), "").color, "#73BF69", "null takes the base colour");
        let percentage = config(json!({"min": 0, "max": 200, "thresholds": {"mode": "percentage", "steps": [
            {"value": null, "color": "blue"}, {"value": 50, "color": "dark-orange"}]}}));
        assert_eq!(percentage.display(Some(100.0), (0.0, 1.0), "").color, "#FA6400");
        assert_eq!(percentage.display(Some(99.0), (0.0, 1.0), "").color, "#5794F2");
    }

    #[test]
    fn mappings_then_units() {
        let field = config(json!({"unit": "bytes", "mappings": [
            {"type": "value", "options": {"1": {"text": "one", "color": "purple"}}},
            {"type": "range", "options": {"from": 10, "to": 20, "result": {"text": "ten-ish"}}},
            {"type": "special", "options": {"match": "null", "result": {"text": "gone"}}}]}));
        let shown = |v: Option<f64>| field.display(v, (0.0, 100.0), "").formatted.to_string();
        assert_eq!(shown(Some(1.0)), "one");
        assert_eq!(field.display(Some(1.0), (0.0, 100.0), "").color, "#B877D9");
        assert_eq!(shown(Some(20.0)), "ten-ish");
        assert_eq!(shown(None), "gone");
        assert_eq!(shown(Some(1536.0)), "1.50 KiB");
        // Mapping looks at the raw value, not the scaled one.
        assert_eq!(shown(Some(1024.0)), "1 KiB");
    }

    #[test]
    fn no_value_and_colour_modes() {
        assert_eq!(config(json!({})).display(None, (0.0, 1.0), "").formatted.text, "No data");
        assert_eq!(config(json!({"noValue": "-"})).display(None, (0.0, 1.0), "").formatted.text, "-");
        let fixed = config(json!({"color": {"mode": "fixed", "fixedColor": "semi-dark-yellow"}}));
        assert_eq!(fixed.display(Some(1.0), (0.0, 1.0), "").color, "#F2CC0C");
        let palette = config(json!({"color": {"mode": "palette-classic"}}));
        assert_eq!(palette.display(Some(1.0), (0.0, 1.0), "#123456").color, "#123456");
        assert_eq!(color_by_name("#abc", Theme::Dark), "#abc");
    }

    #[test]
    fn reducers_follow_grafana() {
        let values = [10.0, 20.0];
        assert_eq!(reduce("mean", &values), Some(15.0));
        assert_eq!(reduce("lastNotNull", &[f64::NAN, 200.0, f64::NAN]), Some(200.0));
        assert_eq!(reduce("last", &[f64::NAN, 200.0, f64::NAN]), None);
        assert_eq!(reduce("delta", &[100.0, 200.0, 300.0, 400.0]), Some(300.0));
        assert_eq!(reduce("delta", &[1.0, 2.0, 3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(reduce("sum", &[]), Some(0.0));
        assert_eq!(reduce("mean", &[]), None);
        assert_eq!(reduce("median", &[3.0, 1.0, 2.0, 10.0]), Some(2.5));
        assert_eq!(reduce("range", &[3.0, 1.0, 7.0]), Some(6.0));
    }
}
