//! The PromQL editor's helpers and the variable query reader, at any cursor: never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = promboard::query::promql_assist::syntax_problem(text);
    for cursor in [0, text.len() / 3, text.len() / 2, text.len()] {
        let _ = promboard::query::promql_assist::completion_at(text, cursor);
    }
    let _ = promboard::variables::prometheus::parse_variable_query(text);
});
