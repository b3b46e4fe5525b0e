//! The one rule for URLs that come from files or data: links in text panels, dashboard and panel
//! links, data links, images. A URL is read as the browser's URL parser reads it (tabs and newlines
//! anywhere removed, control characters and spaces at the ends trimmed, the scheme found by the
//! WHATWG rules), so `java<TAB>script:` cannot pass for a relative URL. Only http(s), mailto and
//! scheme-less (same-site) URLs are followed, as Grafana's `sanitizeUrl` allows. A leaf.

/// Schemes a link may have.
const LINK_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// `url` as the browser will resolve it, and its scheme (lower-cased) when it has one.
pub fn browser_form(url: &str) -> (String, Option<String>) {
    let cleaned: String = url.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let cleaned = cleaned.trim_matches(|c: char| c <= ' ').to_string();
    // WHATWG URL: a scheme is an ASCII letter, then letters, digits, `+`, `-` or `.`, then `:`;
    // anything else is a relative URL.
    let scheme_end = cleaned.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')));
    let scheme = scheme_end
        .filter(|end| *end > 0 && cleaned[*end..].starts_with(':'))
        .filter(|_| cleaned.starts_with(|c: char| c.is_ascii_alphabetic()))
        .map(|end| cleaned[..end].to_ascii_lowercase());
    (cleaned, scheme)
}

/// The URL in its browser form when a link may point there, `None` otherwise.
pub fn checked_link(url: &str) -> Option<String> {
    let (url, scheme) = browser_form(url);
    scheme.is_none_or(|scheme| LINK_SCHEMES.contains(&scheme.as_str())).then_some(url)
}

/// [`checked_link`], or `about:blank` for a link that may not be followed (Grafana's sanitizeUrl).
pub fn safe_url(url: &str) -> String {
    checked_link(url).unwrap_or_else(|| "about:blank".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_schemes_are_found_as_the_browser_finds_them() {
        for hidden in [
            "javascript:alert(1)",
            "java\tscript:alert(1)",
            " \u{1}JavaScript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert_eq!(safe_url(hidden), "about:blank", "{hidden:?}");
        }
        assert_eq!(safe_url(" /d/x?a=b\n"), "/d/x?a=b");
        assert_eq!(safe_url("https://example.com/\tx"), "https://example.com/x");
        assert_eq!(safe_url("MAILTO:a@b.c"), "MAILTO:a@b.c");
        // Not schemes: relative URLs the browser resolves on this site.
        for relative in ["1x:y", "a b:c", "/x:y", "?q=a:b", "#a:b", "d/x"] {
            assert_eq!(checked_link(relative).as_deref(), Some(relative), "{relative:?}");
        }
        assert_eq!(browser_form("HTTP://x").1.as_deref(), Some("http"));
    }
}
