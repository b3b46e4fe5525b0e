//! Substitutes Grafana's built-in variables in one left-to-right pass (no repeated string replace,
//! so a substituted value is never substituted again). User variables arrive with issue 4; any
//! other `$name` is left exactly as written.

use super::duration::{format_go_duration, format_interval};

/// The values of the interval and range built-ins for one query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinVariables {
    /// The query step; `$__interval` and `$__interval_ms`.
    pub interval_ms: i64,
    pub rate_interval_ms: i64,
    pub range_ms: i64,
}

impl BuiltinVariables {
    fn value_of(&self, name: &str) -> Option<String> {
        let range_s = (self.range_ms as f64 / 1000.0).round() as i64;
        Some(match name {
            "__interval" => format_interval(self.interval_ms),
            "__interval_ms" => self.interval_ms.to_string(),
            "__rate_interval" => format_go_duration(self.rate_interval_ms),
            "__rate_interval_ms" => self.rate_interval_ms.to_string(),
            "__range" => format!("{range_s}s"),
            "__range_s" => range_s.to_string(),
            "__range_ms" => self.range_ms.to_string(),
            _ => return None,
        })
    }
}

/// Replaces `$__name`, `${__name}` and `[[__name]]` for the built-ins Grafana defines.
pub fn interpolate_builtins(expr: &str, builtins: &BuiltinVariables) -> String {
    let mut output = String::with_capacity(expr.len());
    let mut rest = expr;
    while let Some(start) = rest.find(['$', '[']) {
        output.push_str(&rest[..start]);
        let candidate = &rest[start..];
        let consumed = match reference_at(candidate) {
            Some((name, length)) => {
                match builtins.value_of(name) {
                    Some(value) => output.push_str(&value),
                    None => output.push_str(&candidate[..length]),
                }
                length
            }
            None => {
                output.push_str(&candidate[..1]);
                1
            }
        };
        rest = &candidate[consumed..];
    }
    output.push_str(rest);
    output
}

/// Recognises a variable reference at the start of `text`: returns its name and its length.
fn reference_at(text: &str) -> Option<(&str, usize)> {
    let word_length = |s: &str| s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len());
    if let Some(inner) = text.strip_prefix("${") {
        let end = inner.find('}')?;
        // `${name:format}`: formats only change multi-value variables; built-ins are single values.
        let name = inner[..end].split(':').next().unwrap_or("");
        return (!name.is_empty()).then_some((name, end + 3));
    }
    if let Some(inner) = text.strip_prefix("[[") {
        let end = inner.find("]]")?;
        let name = inner[..end].split(':').next().unwrap_or("");
        return (word_length(name) == name.len() && !name.is_empty()).then_some((name, end + 4));
    }
    let inner = text.strip_prefix('$')?;
    let length = word_length(inner);
    (length > 0).then_some((&inner[..length], length + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILTINS: BuiltinVariables =
        BuiltinVariables { interval_ms: 60_000, rate_interval_ms: 120_000, range_ms: 3_600_000 };

    #[test]
    fn substitutes_every_builtin_form() {
        let check = |expr: &str, expected: &str| assert_eq!(interpolate_builtins(expr, &BUILTINS), expected);
        check("rate(x[$__rate_interval])", "rate(x[2m0s])");
        check("rate(x[${__interval}])", "rate(x[1m])");
        check("rate(x[[[__interval]]])", "rate(x[1m])");
        check("x / $__interval_ms + $__range_s + $__range_ms", "x / 60000 + 3600 + 3600000");
        check("increase(x[$__range])", "increase(x[3600s])");
    }

    #[test]
    fn leaves_user_variables_and_plain_dollars_alone() {
        let check = |expr: &str| assert_eq!(interpolate_builtins(expr, &BUILTINS), expr);
        check("up{job=\"$job\", instance=~\"${instance:regex}\"}");
        check("label_replace(x, \"a\", \"$1\", \"b\", \"(.*)\")");
        check("x[5m] $ [ ${");
        check("x[[unknown]]");
    }

    #[test]
    fn longest_name_wins() {
        // `$__interval_ms` must not be read as `$__interval` followed by `_ms`.
        assert_eq!(interpolate_builtins("$__interval_ms", &BUILTINS), "60000");
    }
}
