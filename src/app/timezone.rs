//! Time zones in the browser: `browser` (the system zone, from JavaScript's Date), `utc`, or an IANA
//! name (offsets from `Intl.DateTimeFormat`), as functions the pure date maths can call.

use crate::time::TimeRange;
use crate::time::local_fields_to_ms;
use wasm_bindgen::JsValue;

#[derive(Debug, Clone, PartialEq)]
pub enum Zone {
    Browser,
    Utc,
    Named(String),
}

impl Zone {
    /// The dashboard's (or URL's) `timezone`. Unknown names fall back to the browser's zone, with
    /// the reason.
    pub fn parse(name: &str) -> (Zone, Option<String>) {
        match name.trim() {
            "" | "browser" => (Zone::Browser, None),
            "utc" | "UTC" => (Zone::Utc, None),
            named => {
                if named_offset_minutes(named, js_sys::Date::now() as i64).is_some() {
                    (Zone::Named(named.to_string()), None)
                } else {
                    (
                        Zone::Browser,
                        Some(format!(
                            "time zone {named:?} is not known to this browser; using the browser's zone"
                        )),
                    )
                }
            }
        }
    }

    /// Minutes east of UTC at an instant.
    pub fn offset_minutes(&self, utc_ms: i64) -> i32 {
        match self {
            Zone::Utc => 0,
            Zone::Browser => {
                -(js_sys::Date::new(&JsValue::from_f64(utc_ms as f64)).get_timezone_offset() as i32)
            }
            Zone::Named(name) => named_offset_minutes(name, utc_ms).unwrap_or(0),
        }
    }
}

/// The offset of an IANA zone: format the instant's wall clock in that zone and compare.
fn named_offset_minutes(zone: &str, utc_ms: i64) -> Option<i32> {
    let options = js_sys::Object::new();
    let set = |key: &str, value: &str| js_sys::Reflect::set(&options, &key.into(), &value.into()).ok();
    set("timeZone", zone)?;
    set("hourCycle", "h23")?;
    for key in ["year", "month", "day", "hour", "minute", "second"] {
        set(key, "numeric")?;
    }
    let locales = js_sys::Array::of1(&"en-US".into());
    // An unknown zone makes the constructor throw a RangeError.
    let format = js_sys::Reflect::construct(
        &js_sys::Intl::DateTimeFormat::new(&locales, &js_sys::Object::new()).constructor(),
        &js_sys::Array::of2(&locales, &options),
    )
    .ok()?;
    let format: js_sys::Intl::DateTimeFormat = wasm_bindgen::JsCast::unchecked_into(format);
    let parts = format.format_to_parts(&js_sys::Date::new(&JsValue::from_f64(utc_ms as f64)));
    let mut fields = std::collections::HashMap::new();
    for part in parts.iter() {
        let kind = js_sys::Reflect::get(&part, &"type".into()).ok()?.as_string()?;
        let value = js_sys::Reflect::get(&part, &"value".into()).ok()?.as_string()?;
        if let Ok(number) = value.parse::<i64>() {
            fields.insert(kind, number);
        }
    }
    let field = |name: &str| fields.get(name).copied();
    let local = local_fields_to_ms(
        field("year")?,
        field("month")? as u32,
        field("day")? as u32,
        field("hour")?,
        field("minute")?,
        field("second")?,
    );
    let whole_seconds = utc_ms - utc_ms.rem_euclid(1000);
    Some(((local - whole_seconds) as f64 / 60_000.0).round() as i32)
}

/// The time range `from`–`to` resolves to in `zone` now ("now" read again whenever
/// `refresh_count` is bumped), and the zone's offset at the range's end (for showing times).
pub fn use_time_range(
    from: leptos::prelude::Memo<String>,
    to: leptos::prelude::Memo<String>,
    zone: leptos::prelude::Memo<(Zone, Option<String>)>,
    refresh_count: leptos::prelude::RwSignal<u64>,
) -> (leptos::prelude::Memo<Result<TimeRange, String>>, leptos::prelude::Signal<i32>) {
    use leptos::prelude::*;
    let range = Memo::new(move |_| {
        refresh_count.track();
        let (zone, _) = zone.get();
        TimeRange::resolve_in(&from.get(), &to.get(), js_sys::Date::now() as i64, &|ms| {
            zone.offset_minutes(ms)
        })
        .map_err(|e| e.to_string())
    });
    let offset = Signal::derive(move || {
        let (zone, _) = zone.get();
        zone.offset_minutes(range.get().map(|r| r.to_ms).unwrap_or(js_sys::Date::now() as i64))
    });
    (range, offset)
}
