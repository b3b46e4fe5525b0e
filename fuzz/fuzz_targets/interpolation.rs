//! Template interpolation, ad hoc filters and time expressions: any text gives a value, never a
//! panic; a text whose names are all unknown comes back unchanged; a substituted value is never
//! scanned again (a value holding `$v` stays as it is).
#![no_main]

use libfuzzer_sys::fuzz_target;
use promboard::variables::{Replacement, SelectionValue, interpolate, referenced_names};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let unknown_only = referenced_names(text).iter().all(|name| !name.starts_with("__"));
    if unknown_only {
        assert_eq!(interpolate(text, &|_| None), text, "unknown names are left as written");
    }
    let selection = Replacement::Selection(SelectionValue {
        values: vec!["$v".into(), "a|b".into(), "x\\".into()],
        texts: vec!["$v".into(), "a|b".into(), "x\\".into()],
        multi: true,
        include_all: true,
        name: "v".into(),
        ..Default::default()
    });
    let _ = interpolate(text, &|name| (name == "v").then(|| selection.clone()));
    let _ = interpolate(text, &|name| match name {
        "p" => Some(Replacement::Plain("$p".into())),
        "t" => Some(Replacement::Time(i64::MIN)),
        _ => None,
    });
    let _ = promboard::variables::prometheus_regex_escape(text);
    let _ = promboard::query::add_label_matchers(
        text,
        &[promboard::variables::AdhocFilter { key: "k".into(), operator: "=~".into(), value: text.into() }],
    );
    let _ = promboard::time::TimeRange::resolve(text, "now", 1_767_225_600_000);
    let _ = promboard::time::TimeRange::resolve("now-1h", text, i64::MAX / 2);
});
