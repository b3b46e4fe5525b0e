//! Any bytes as a Prometheus (or proxy) answer, with any status, and as the dashboards listing:
//! a decoded answer or an error that names the query, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let status = data.first().map_or(200, |b| if b % 3 == 0 { 200 } else { 400 + u16::from(*b) });
    if let Err(error) = promboard::prom::decode_query_response("fuzz_query", status, data) {
        assert!(!error.to_string().is_empty());
    }
    let _ = promboard::prom::decode_api_data("fuzz_query", status, data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = promboard::provisioning::decode_listing("/dashboards/", text);
    }
});
