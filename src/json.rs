//! Small readers and writers of dashboard JSON shared by every layer: the tolerant readers for
//! values community dashboards write loosely (numbers as strings, `"true"`), JavaScript truthiness
//! as Grafana's own code tests it, pointers into an object held as a map, and the number writer
//! that keeps whole numbers integers. A leaf: nothing of ours below it.

use serde_json::{Map, Value};

/// Whole numbers up to JavaScript's `Number.MAX_SAFE_INTEGER` are written as integers.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A number as JSON the way a person (or Grafana) writes it: whole numbers as integers (`10`, not
/// `10.0`), so edited and migrated files keep Grafana's integer options and thresholds.
pub fn number(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() <= MAX_SAFE_INTEGER {
        Value::from(value as i64)
    } else {
        Value::from(value)
    }
}

/// A finite number written as a number or a numeric string (`"12"`); anything else is `None`.
pub fn lenient_f64(value: Option<&Value>) -> Option<f64> {
    value.and_then(as_f64)
}

pub fn as_str(value: &Value) -> Option<&str> {
    value.as_str()
}

pub fn as_f64(value: &Value) -> Option<f64> {
    match value {
        Value::Number(number) => number.as_f64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
    .filter(|n: &f64| n.is_finite())
}

pub fn as_i64(value: &Value) -> Option<i64> {
    as_f64(value).map(|n| n as i64)
}

pub fn as_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(flag) => Some(*flag),
        Value::String(text) => match text.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// `Value::pointer` for an object held as a map: `/a/b` is the key `a`, then `/b` inside it.
pub fn pointer<'a>(map: &'a Map<String, Value>, pointer: &str) -> Option<&'a Value> {
    let (first, rest) = pointer.strip_prefix('/')?.split_once('/').unwrap_or((&pointer[1..], ""));
    let value = map.get(first)?;
    if rest.is_empty() { Some(value) } else { value.pointer(&format!("/{rest}")) }
}

/// `Value::pointer_mut` for an object held as a map.
pub fn pointer_mut<'a>(map: &'a mut Map<String, Value>, pointer: &str) -> Option<&'a mut Value> {
    let (first, rest) = pointer.strip_prefix('/')?.split_once('/').unwrap_or((&pointer[1..], ""));
    let value = map.get_mut(first)?;
    if rest.is_empty() { Some(value) } else { value.pointer_mut(&format!("/{rest}")) }
}

/// Reads a number written as a number or a numeric string (`"250px"` too, as Grafana's parseInt does).
pub fn leading_number(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => {
            let digits: String =
                s.trim().chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-').collect();
            digits.parse().ok()
        }
        _ => None,
    }
}

pub fn is_truthy(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(_) | Value::Object(_)) => true,
        _ => false,
    }
}
