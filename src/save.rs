//! Saving an edited dashboard back to its provisioned file, where the server accepts it (nginx's
//! WebDAV `PUT`, behind basic auth; off by default, see `deploy/provisioning/`). This module owns
//! the rules: how the app knows the server accepts writes, whether the file on the server is still
//! the version that was loaded, where "Save as" may write, and what the server's answer means for
//! the user. It does no I/O: `app::save` makes the requests and shows the outcome.
//!
//! Nothing is overwritten silently: before a write the file is looked at again and compared with
//! the version the edit started from (ETag, else Last-Modified, else the text itself).

use crate::datasource_secrets;
use crate::provisioning::{DASHBOARDS_URL_PATH, folder_url_path};
use crate::route;

/// The response header by which the server says it accepts saving dashboards (the shipped write
/// include adds it to every answer under `/dashboards/`).
pub const ACCEPTS_SAVING_HEADER: &str = "promboard-save";

/// What tells one version of a file on the server from another: the validators of its last
/// `GET`/`HEAD` answer, and its text when that was read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileVersion {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl FileVersion {
    pub fn new(etag: Option<String>, last_modified: Option<String>) -> FileVersion {
        let present = |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        FileVersion { etag: present(etag), last_modified: present(last_modified) }
    }

    /// Whether `other` is the same version, when the validators can tell: `None` when the two
    /// answers share no validator (then the texts must be compared).
    ///
    /// nginx marks an ETag weak (`W/"…"`) when it compresses the answer, so a compressed `GET`
    /// and an uncompressed `HEAD` of the same file differ only in that prefix; it is ignored.
    pub fn same_as(&self, other: &FileVersion) -> Option<bool> {
        let strong = |tag: &String| tag.trim_start_matches("W/").to_string();
        match (&self.etag, &other.etag) {
            (Some(a), Some(b)) => Some(strong(a) == strong(b)),
            _ => match (&self.last_modified, &other.last_modified) {
                (Some(a), Some(b)) => Some(a == b),
                _ => None,
            },
        }
    }
}

/// What a look at the file just before writing found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Precheck {
    /// Still the version the edit started from: write.
    Unchanged,
    /// Changed on the server since it was loaded: do not write without the user's word.
    Changed,
    /// No longer on the server (deleted or moved).
    Gone,
    /// The validators cannot tell: compare the text on the server with the loaded one.
    CompareTexts,
    /// The look itself failed (an HTTP status other than 200 or 404).
    Failed(u16),
}

/// Compares the file as loaded with the server's answer to a `HEAD` of it now.
pub fn precheck(loaded: &FileVersion, status: u16, now: &FileVersion) -> Precheck {
    match status {
        200 => match loaded.same_as(now) {
            Some(true) => Precheck::Unchanged,
            Some(false) => Precheck::Changed,
            None => Precheck::CompareTexts,
        },
        404 | 410 => Precheck::Gone,
        other => Precheck::Failed(other),
    }
}

/// A failed write as the user should read it: what happened, and whether asking for the
/// password (again) can help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteFailure {
    pub message: String,
    pub asks_password: bool,
}

/// What an HTTP status of the server's answer to a `PUT` of `url_path` means. `had_password`:
/// whether the request carried a password (a 401 then means a wrong one). The edit is never lost
/// by a failure: the messages say it stays a draft.
pub fn explain_write_status(status: u16, url_path: &str, had_password: bool) -> WriteFailure {
    let kept = "Your changes are kept as a draft in this browser.";
    let (message, asks_password) = match status {
        401 if had_password => (format!("Wrong user name or password for saving {url_path}. {kept}"), true),
        401 => {
            (format!("Saving {url_path} needs the user name and password the server was set up with."), true)
        }
        403 => (
            format!(
                "The server refuses to write {url_path} (403): only .json files under {DASHBOARDS_URL_PATH} can be saved, not hidden files. {kept}"
            ),
            false,
        ),
        405 | 501 => (
            format!(
                "The server does not accept saving (HTTP {status} for PUT {url_path}): saving is off unless its write include is set up (README, \"Saving dashboards back\"). Export the dashboard instead. {kept}"
            ),
            false,
        ),
        409 => (format!("The folder of {url_path} does not exist on the server (409). {kept}"), false),
        412 => (
            format!("{url_path} changed on the server while saving (412); nothing was written. {kept}"),
            false,
        ),
        413 => (
            format!(
                "The dashboard is larger than the server accepts (413; nginx's client_max_body_size in the write include). {kept}"
            ),
            false,
        ),
        507 => (format!("The server's disk is full (507): {url_path} was not written. {kept}"), false),
        500 => (
            format!(
                "The server could not write {url_path} (500): the folder or file is read-only for nginx, or its disk is full; nginx's error log names which. {kept}"
            ),
            false,
        ),
        other => (format!("Saving {url_path} failed: HTTP {other}. {kept}"), false),
    };
    WriteFailure { message, asks_password }
}

/// Whether a write answer means the file was written.
pub fn write_succeeded(status: u16) -> bool {
    matches!(status, 200 | 201 | 204)
}

/// The `Authorization` header value for basic auth (UTF-8 user and password, as browsers send).
pub fn basic_authorization(user: &str, password: &str) -> String {
    format!("Basic {}", datasource_secrets::base64(&format!("{user}:{password}")))
}

/// The file name "Save as" proposes for a dashboard titled `title`.
pub fn proposed_file_name(title: &str) -> String {
    let slug = route::slugify(title);
    format!("{}.json", if slug.is_empty() { "dashboard".to_string() } else { slug })
}

/// Where "Save as" writes `file_name` in the folder `folder_path` (names of nested folders; empty
/// for the top, Grafana's General), or why it may not: a plain file name ending in `.json`, not
/// hidden, no folder separators or control characters. A missing `.json` is added.
pub fn save_as_url_path(folder_path: &[String], file_name: &str) -> Result<String, String> {
    let name = file_name.trim();
    if name.is_empty() {
        return Err("Give the file a name.".into());
    }
    if name.contains(['/', '\\']) || name.chars().any(char::is_control) {
        return Err(format!("{name:?} is not a plain file name (no folders, no control characters)."));
    }
    if name.starts_with('.') {
        return Err(format!("{name:?} would be a hidden file; promboard does not list those."));
    }
    let name =
        if name.to_ascii_lowercase().ends_with(".json") { name.to_string() } else { format!("{name}.json") };
    Ok(format!("{}{}", folder_url_path(folder_path), route::percent_encode(&name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(etag: Option<&str>, last_modified: Option<&str>) -> FileVersion {
        FileVersion::new(etag.map(str::to_string), last_modified.map(str::to_string))
    }

    #[test]
    fn the_file_is_unchanged_only_when_its_validators_agree() {
        let loaded = version(Some("\"6571a1b2-1f3\""), Some("Mon, 07 Dec 2026 06:00:00 GMT"));
        // The compressed GET's weak tag and the HEAD's strong one name the same version.
        let weak = version(Some("W/\"6571a1b2-1f3\""), Some("Mon, 07 Dec 2026 06:00:00 GMT"));
        assert_eq!(precheck(&weak, 200, &loaded), Precheck::Unchanged);
        let touched = version(Some("\"6571a1c0-1f3\""), Some("Mon, 07 Dec 2026 06:00:14 GMT"));
        assert_eq!(precheck(&loaded, 200, &touched), Precheck::Changed);
        // Without ETags, Last-Modified decides; with neither, the texts must be compared.
        let dated = version(None, Some("Mon, 07 Dec 2026 06:00:00 GMT"));
        assert_eq!(
            precheck(&dated, 200, &version(None, Some("Mon, 07 Dec 2026 06:00:00 GMT"))),
            Precheck::Unchanged
        );
        assert_eq!(
            precheck(&dated, 200, &version(None, Some("Tue, 08 Dec 2026 06:00:00 GMT"))),
            Precheck::Changed
        );
        assert_eq!(precheck(&version(None, None), 200, &loaded), Precheck::CompareTexts);
        assert_eq!(precheck(&version(Some(" "), None), 200, &loaded), Precheck::CompareTexts);
        assert_eq!(precheck(&loaded, 404, &FileVersion::default()), Precheck::Gone);
        assert_eq!(precheck(&loaded, 502, &FileVersion::default()), Precheck::Failed(502));
    }

    #[test]
    fn write_answers_say_what_happened_and_whether_a_password_helps() {
        let asked = explain_write_status(401, "/dashboards/a.json", false);
        assert!(asked.asks_password && asked.message.contains("needs the user name and password"));
        let wrong = explain_write_status(401, "/dashboards/a.json", true);
        assert!(wrong.asks_password && wrong.message.starts_with("Wrong user name or password"), "{wrong:?}");
        for (status, words) in [
            (403, "refuses"),
            (405, "does not accept saving"),
            (409, "does not exist"),
            (413, "larger"),
            (500, "read-only"),
            (507, "disk is full"),
            (418, "HTTP 418"),
        ] {
            let failure = explain_write_status(status, "/dashboards/a.json", true);
            assert!(!failure.asks_password, "{status}");
            assert!(failure.message.contains(words), "{status}: {}", failure.message);
            assert!(failure.message.contains("kept as a draft"), "{status}: {}", failure.message);
        }
        assert!(write_succeeded(201) && write_succeeded(204) && !write_succeeded(401));
    }

    #[test]
    fn save_as_writes_plain_json_files_into_the_chosen_folder() {
        let team = vec!["Team A".to_string(), "db".to_string()];
        assert_eq!(
            save_as_url_path(&team, "Node board.json").unwrap(),
            "/dashboards/Team%20A/db/Node%20board.json"
        );
        assert_eq!(save_as_url_path(&[], "node").unwrap(), "/dashboards/node.json");
        assert_eq!(save_as_url_path(&[], " node.JSON ").unwrap(), "/dashboards/node.JSON");
        for bad in ["", "  ", "../x.json", "a/b.json", ".hidden.json", "a\\b", "a\u{7}b"] {
            assert!(save_as_url_path(&[], bad).is_err(), "{bad:?}");
        }
        assert_eq!(proposed_file_name("Node Exporter Full"), "node-exporter-full.json");
        assert_eq!(proposed_file_name("  "), "dashboard.json");
    }

    #[test]
    fn basic_authorization_encodes_utf8_credentials() {
        assert_eq!(basic_authorization("editor", "s3cret"), "Basic ZWRpdG9yOnMzY3JldA==");
        assert_eq!(basic_authorization("é", "p:w"), "Basic w6k6cDp3");
    }
}
