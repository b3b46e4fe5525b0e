//! Any unit id and any number through Grafana's value formatting and tick labels: never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 9 {
        return;
    }
    let value = f64::from_le_bytes(data[..8].try_into().unwrap());
    let decimals = (data[8] < 40).then(|| i32::from(data[8]) - 10);
    let Ok(unit) = std::str::from_utf8(&data[9..]) else { return };
    let _ = promboard::field::units::format_value(unit, value, decimals);
    let _ = promboard::field::units::format_tick(unit, value, value.abs() / 7.0, decimals);
    let _ = promboard::field::units::to_fixed(value, decimals);
    let _ = promboard::field::units::js_number_to_string(value);
});
