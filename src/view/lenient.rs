//! Tolerant readers for the value types community dashboards actually contain: numbers written as
//! strings (`"w": "12"`) and booleans as strings.

use serde_json::Value;

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
