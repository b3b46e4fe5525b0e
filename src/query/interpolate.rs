//! Grafana's built-in interval and range variables, substituted together with the dashboard's own
//! variables by the one tokenizer in [`crate::variables`].

use crate::interval::{format_go_duration, format_interval};
use crate::variables::{Replacement, interpolate};

/// The values of the interval and range built-ins for one query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinVariables {
    /// The query step; `$__interval` and `$__interval_ms`.
    pub interval_ms: i64,
    pub rate_interval_ms: i64,
    pub range_ms: i64,
    /// The query's range, for `$__from` and `$__to` (epoch ms).
    pub from_ms: i64,
    pub to_ms: i64,
}

impl BuiltinVariables {
    pub fn value_of(&self, name: &str) -> Option<String> {
        let range_s = (self.range_ms as f64 / 1000.0).round() as i64;
        Some(match name {
            "__interval" => format_interval(self.interval_ms),
            "__interval_ms" => self.interval_ms.to_string(),
            "__rate_interval" => format_go_duration(self.rate_interval_ms),
            "__rate_interval_ms" => self.rate_interval_ms.to_string(),
            "__range" => format!("{range_s}s"),
            "__range_s" => range_s.to_string(),
            "__range_ms" => self.range_ms.to_string(),
            // Grafana's data-link built-in, the range as URL parameters.
            "__url_time_range" => format!("from={}&to={}", self.from_ms, self.to_ms),
            _ => return None,
        })
    }
}

/// Replaces `$__name`, `${__name}` and `[[__name]]` for the built-ins Grafana defines, then the
/// dashboard's variables through `variables`, in the same single pass.
pub fn interpolate_builtins(
    expr: &str,
    builtins: &BuiltinVariables,
    variables: &dyn Fn(&str) -> Option<Replacement>,
) -> String {
    interpolate(expr, &|name| match name {
        "__from" => Some(Replacement::Time(builtins.from_ms)),
        "__to" => Some(Replacement::Time(builtins.to_ms)),
        _ => builtins.value_of(name).map(Replacement::Plain).or_else(|| variables(name)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILTINS: BuiltinVariables = BuiltinVariables {
        interval_ms: 60_000,
        rate_interval_ms: 120_000,
        range_ms: 3_600_000,
        from_ms: 1_000,
        to_ms: 3_601_000,
    };

    #[test]
    fn substitutes_every_builtin_form() {
        let check = |expr: &str, expected: &str| {
            assert_eq!(interpolate_builtins(expr, &BUILTINS, &|_| None), expected)
        };
        check("rate(x[$__rate_interval])", "rate(x[2m0s])");
        check("rate(x[${__interval}])", "rate(x[1m])");
        check("rate(x[[[__interval]]])", "rate(x[1m])");
        check("x / $__interval_ms + $__range_s + $__range_ms", "x / 60000 + 3600 + 3600000");
        check("increase(x[$__range])", "increase(x[3600s])");
        check("x @ ${__to:date:seconds}", "x @ 3601");
        check(
            "label_replace(x, \"u\", \"/d/a?$__url_time_range\", \"\", \"\")",
            "label_replace(x, \"u\", \"/d/a?from=1000&to=3601000\", \"\", \"\")",
        );
    }

    #[test]
    fn leaves_user_variables_and_plain_dollars_alone() {
        let check = |expr: &str| assert_eq!(interpolate_builtins(expr, &BUILTINS, &|_| None), expr);
        check("up{job=\"$job\", instance=~\"${instance:regex}\"}");
        check("label_replace(x, \"a\", \"$1\", \"b\", \"(.*)\")");
        check("x[5m] $ [ ${");
        check("x[[unknown]]");
    }

    #[test]
    fn longest_name_wins() {
        // `$__interval_ms` must not be read as `$__interval` followed by `_ms`.
        assert_eq!(interpolate_builtins("$__interval_ms", &BUILTINS, &|_| None), "60000");
    }
}
