//! Any text as a text panel's Markdown or HTML: the output may hold only the allowlisted elements
//! and attributes, and no link or image that leaves through a script URL.
#![no_main]

use libfuzzer_sys::fuzz_target;
use promboard::panels::text::{assert_only_allowlisted, markdown_to_html, sanitize_html};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    assert_only_allowlisted(&markdown_to_html(text));
    assert_only_allowlisted(&sanitize_html(text));
});
