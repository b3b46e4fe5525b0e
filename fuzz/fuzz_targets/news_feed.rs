//! Any text as a news feed: reading it never panics, and the markup of whatever items it gives has
//! only the panel's own elements and no link or image that leaves through a script URL.
#![no_main]

use libfuzzer_sys::fuzz_target;
use promboard::panels::news::{news_markup, parse_feed};

const ELEMENTS: &[&str] = &["div", "article", "a", "span", "img", "time", "h3"];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(items) = parse_feed(text) else { return };
    let markup = news_markup(&items, true, true, 0);
    for tag in markup.split('<').skip(1) {
        let name: String = tag.trim_start_matches('/').chars().take_while(char::is_ascii_alphanumeric).collect();
        assert!(ELEMENTS.contains(&name.as_str()), "element {name:?} in {markup}");
    }
    for attribute in ["href=\"", "src=\""] {
        for value in markup.split(attribute).skip(1) {
            let scheme = value.split(['"', ':', '/']).next().unwrap_or_default().to_ascii_lowercase();
            assert!(!["javascript", "vbscript", "data"].contains(&scheme.trim()), "{attribute}{value}");
        }
    }
});
