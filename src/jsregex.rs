//! JavaScript regular expressions, as Grafana evaluates variable `regex` filters: the browser's own
//! RegExp in the app (exact semantics, ~2 KB), the `regress` crate natively (the same ECMAScript
//! semantics, for tests and the CLI). Patterns come as `/pattern/flags` or bare.

/// The result of one match: the whole match, then the numbered groups, and the named groups
/// `text` and `value` that Grafana's variable regex understands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RegexMatch {
    pub groups: Vec<Option<String>>,
    pub named_text: Option<String>,
    pub named_value: Option<String>,
}

/// Splits Grafana's `/pattern/flags` form; anything else is a bare pattern without flags.
pub fn split_slashes(source: &str) -> (&str, &str) {
    if let Some(rest) = source.strip_prefix('/')
        && let Some(end) = rest.rfind('/')
    {
        let flags = &rest[end + 1..];
        if flags.chars().all(|c| "dgimsuvy".contains(c)) {
            return (&rest[..end], flags);
        }
    }
    (source, "")
}

#[derive(Debug)]
pub struct JsRegex {
    #[cfg(target_arch = "wasm32")]
    inner: js_sys::RegExp,
    #[cfg(not(target_arch = "wasm32"))]
    inner: regress::Regex,
}

impl JsRegex {
    /// Compiles `/pattern/flags` or a bare pattern; the error is the engine's message.
    pub fn new(source: &str) -> Result<JsRegex, String> {
        let (pattern, flags) = split_slashes(source);
        Self::compile(pattern, flags).map_err(|message| format!("invalid regex {source}: {message}"))
    }

    /// Grafana's `stringToJsRegex`, used by field matchers (`byRegexp` overrides, field filters):
    /// `/pattern/flags` as written, a bare pattern wrapped as `^pattern$` literally (so `a|b`
    /// becomes `^a|b$`, exactly as Grafana builds it).
    pub fn field_pattern(source: &str) -> Result<JsRegex, String> {
        if source.starts_with('/') { Self::new(source) } else { Self::new(&format!("^{source}$")) }
    }

    /// Whether the pattern matches anywhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.exec(text).is_some()
    }

    #[cfg(target_arch = "wasm32")]
    fn compile(pattern: &str, flags: &str) -> Result<JsRegex, String> {
        // RegExp throws on a bad pattern: construct it through Reflect to catch the SyntaxError.
        let constructor = js_sys::RegExp::new("", "").constructor();
        let args = js_sys::Array::of2(&pattern.into(), &flags.replace('g', "").into());
        match js_sys::Reflect::construct(&constructor, &args) {
            Ok(value) => Ok(JsRegex { inner: wasm_bindgen::JsCast::unchecked_into(value) }),
            Err(error) => Err(js_sys::Error::from(error).message().into()),
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn compile(pattern: &str, flags: &str) -> Result<JsRegex, String> {
        regress::Regex::with_flags(pattern, flags.replace('g', "").as_str())
            .map(|inner| JsRegex { inner })
            .map_err(|error| error.to_string())
    }

    /// The first match in `text`, like JavaScript's `exec` without the `g` flag.
    #[cfg(target_arch = "wasm32")]
    pub fn exec(&self, text: &str) -> Option<RegexMatch> {
        let found = self.inner.exec(text)?;
        let groups = (0..found.length()).map(|i| found.get(i).as_string()).collect();
        let named = js_sys::Reflect::get(&found, &"groups".into()).ok().filter(|g| g.is_object());
        let named_group = |name: &str| {
            named
                .as_ref()
                .and_then(|g| js_sys::Reflect::get(g, &name.into()).ok())
                .and_then(|v| v.as_string())
        };
        Some(RegexMatch { groups, named_text: named_group("text"), named_value: named_group("value") })
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn exec(&self, text: &str) -> Option<RegexMatch> {
        let found = self.inner.find(text)?;
        let groups = std::iter::once(Some(found.range()))
            .chain(found.captures.iter().cloned())
            .map(|range| range.map(|r| text[r].to_string()))
            .collect();
        let named_group = |name: &str| found.named_group(name).map(|r| text[r].to_string());
        Some(RegexMatch { groups, named_text: named_group("text"), named_value: named_group("value") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slash_form_and_groups() {
        assert_eq!(split_slashes("/ab+/i"), ("ab+", "i"));
        assert_eq!(split_slashes("ab/c"), ("ab/c", ""));
        let regex = JsRegex::new("/(?<text>[a-z]+)-(?<value>\\d+)/").expect("compiles");
        let found = regex.exec("x node-42 y").expect("matches");
        assert_eq!(found.groups[0].as_deref(), Some("node-42"));
        assert_eq!((found.named_text.as_deref(), found.named_value.as_deref()), (Some("node"), Some("42")));
        assert!(JsRegex::new("/NODE/i").expect("compiles").exec("a node").is_some());
        assert!(JsRegex::new("(").is_err());
    }
}
