//! The text panel's content to HTML that is safe to put into the page: Markdown as Grafana
//! renders it (`markdown`), and HTML through an allowlist (`sanitize`). As in Grafana, Markdown is
//! first turned into HTML (raw HTML in it included) and that HTML then goes through the same
//! sanitiser as the HTML mode: the parser decides structure, the sanitiser alone decides safety.
//! Pure: no DOM, no leptos.

mod inline;
mod markdown;
mod sanitize;

pub use markdown::markdown_to_html;
pub use sanitize::{assert_only_allowlisted, escape as escape_html, sanitize_html};
