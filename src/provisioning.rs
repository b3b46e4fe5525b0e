//! Provisioned dashboards: the `dashboards/` folder served next to the app, sub-folders as folders
//! (like Grafana's file provider with `foldersFromFilesStructure`).
//!
//! Discovery reads nginx's JSON directory listing (`autoindex_format json`), so a file dropped into
//! the folder shows up on the next page load without rebuilding anything. Each file's entry (uid,
//! title, tags — never its text) is kept with the listing's stamp (mtime and size) in a
//! [`CatalogueCache`], so a reload reads only the files that are new or changed. This module is
//! pure: it decodes listings, builds entries and the cache; `app` does the fetching and storing.

use crate::model;
use crate::model::Dashboard;
use crate::route;
use crate::sorting;
use crate::time;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Where the app finds provisioned dashboards (the nginx location in deploy/nginx.conf).
pub const DASHBOARDS_URL_PATH: &str = "/dashboards/";
/// The folder name of dashboards at the top level, as in Grafana.
pub const GENERAL_FOLDER: &str = "General";
/// How deep sub-folders are followed; deeper ones are reported, not walked.
pub const MAX_FOLDER_DEPTH: usize = 4;

/// One entry of an nginx JSON directory listing.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ListingEntry {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub mtime: Option<String>,
    #[serde(default)]
    pub size: Option<u64>,
}

/// A dashboard file of a listing: its name and its stamp (mtime and size as the server lists
/// them; a file whose stamp is unchanged is not read again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedFile {
    pub name: String,
    pub stamp: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProvisioningError {
    #[error("{url}: the dashboards folder listing is not nginx JSON autoindex output ({message})")]
    Listing { url: String, message: String },
}

/// What a directory listing says: dashboard files and sub-folders to visit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Listing {
    pub dashboard_files: Vec<ListedFile>,
    pub folders: Vec<String>,
}

pub fn decode_listing(url: &str, body: &str) -> Result<Listing, ProvisioningError> {
    let entries: Vec<ListingEntry> = serde_json::from_str(body)
        .map_err(|error| ProvisioningError::Listing { url: url.to_string(), message: error.to_string() })?;
    let mut listing = Listing::default();
    for entry in entries {
        // Hidden files and editor leftovers are not dashboards, as in Grafana's file provider.
        if entry.name.starts_with('.') {
            continue;
        }
        match entry.kind.as_str() {
            "directory" => listing.folders.push(entry.name),
            "file" if entry.name.ends_with(".json") => {
                // Without both, no stamp: the file is read on every load.
                let stamp = match (&entry.mtime, entry.size) {
                    (Some(mtime), Some(size)) => format!("{mtime}|{size}"),
                    _ => String::new(),
                };
                listing.dashboard_files.push(ListedFile { name: entry.name, stamp });
            }
            _ => {}
        }
    }
    sorting::sort_by(&mut listing.dashboard_files, |a, b| a.name.cmp(&b.name));
    listing.folders.sort();
    Ok(listing)
}

/// A provisioned dashboard as the browser lists it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CatalogueEntry {
    /// The folder path below `dashboards/`, or [`GENERAL_FOLDER`].
    pub folder: String,
    /// The URL path of the file, e.g. `/dashboards/promboard/node-overview.json`.
    pub url_path: String,
    pub uid: String,
    pub title: String,
    pub tags: Vec<String>,
    /// Set when the file could not be read; the entry is still listed so the user sees why.
    pub error: Option<String>,
    /// The listing's stamp of the file this entry was read from.
    #[serde(default)]
    pub stamp: String,
    /// Something to know about an entry that can be read (a uid another file has too).
    #[serde(default)]
    pub note: Option<String>,
}

impl CatalogueEntry {
    /// Builds an entry from a file's text (its top-level uid, title and tags only: listing a
    /// folder must not migrate every dashboard in it). Files without a `uid` get one from their
    /// path, so that their URL is stable across reloads.
    pub fn from_file(folder_path: &[String], file: &ListedFile, text: &str) -> CatalogueEntry {
        let url_path = file_url_path(folder_path, &file.name);
        let folder = if folder_path.is_empty() { GENERAL_FOLDER.to_string() } else { folder_path.join("/") };
        let fallback_uid = uid_from_path(folder_path, &file.name);
        let fallback_title = file.name.trim_end_matches(".json").to_string();
        fn text_of(value: Option<&Value>) -> Option<&str> {
            value.and_then(Value::as_str).filter(|s| !s.trim().is_empty())
        }
        let (uid, title, tags, error) = match Dashboard::parse(&url_path, text) {
            Ok(dashboard) => {
                let classic = model::classic_document(dashboard.raw());
                let raw = classic.as_ref();
                let tags = raw
                    .get("tags")
                    .and_then(Value::as_array)
                    .map(|tags| tags.iter().filter_map(Value::as_str).map(str::to_string).collect())
                    .unwrap_or_default();
                // A resource's uid is its metadata.name when its spec has none.
                let metadata_name = dashboard.raw().get("metadata").and_then(|m| m.get("name"));
                (
                    text_of(raw.get("uid")).or(text_of(metadata_name)).map_or(fallback_uid, str::to_string),
                    text_of(raw.get("title")).map_or(fallback_title, str::to_string),
                    tags,
                    None,
                )
            }
            Err(error) => (fallback_uid, fallback_title, Vec::new(), Some(error.to_string())),
        };
        CatalogueEntry { folder, url_path, uid, title, tags, error, stamp: file.stamp.clone(), note: None }
    }

    /// A listed file not read yet: titled by its name, no uid (the list shows it as being read).
    pub fn pending(folder_path: &[String], file: &ListedFile) -> CatalogueEntry {
        CatalogueEntry {
            folder: if folder_path.is_empty() { GENERAL_FOLDER.to_string() } else { folder_path.join("/") },
            url_path: file_url_path(folder_path, &file.name),
            uid: String::new(),
            title: file.name.trim_end_matches(".json").to_string(),
            tags: Vec::new(),
            error: None,
            stamp: file.stamp.clone(),
            note: None,
        }
    }

    /// Case-insensitive search over the title and the tags, as Grafana's dashboard search does.
    pub fn matches(&self, search: &str) -> bool {
        let search = search.trim().to_lowercase();
        search.is_empty()
            || self.title.to_lowercase().contains(&search)
            || self.tags.iter().any(|tag| tag.to_lowercase().contains(&search))
    }
}

pub fn folder_url_path(folder_path: &[String]) -> String {
    let mut url = DASHBOARDS_URL_PATH.to_string();
    for folder in folder_path {
        url.push_str(&route::percent_encode(folder));
        url.push('/');
    }
    url
}

pub fn file_url_path(folder_path: &[String], file_name: &str) -> String {
    format!("{}{}", folder_url_path(folder_path), route::percent_encode(file_name))
}

fn uid_from_path(folder_path: &[String], file_name: &str) -> String {
    let mut parts: Vec<&str> = folder_path.iter().map(String::as_str).collect();
    parts.push(file_name.trim_end_matches(".json"));
    route::slugify(&parts.join("-"))
}

/// Two files with one uid: Grafana logs it and keeps one. Here both stay listed; the first by
/// path is the one `/d/<uid>` opens, and each of the others says which file has its uid.
pub fn note_duplicate_uids(entries: &mut [CatalogueEntry]) {
    let mut first_by_uid: BTreeMap<String, String> = BTreeMap::new();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    sorting::sort_by(&mut order, |&a, &b| entries[a].url_path.cmp(&entries[b].url_path));
    for index in order {
        let entry = &mut entries[index];
        match first_by_uid.get(&entry.uid) {
            Some(first) => {
                entry.note = Some(format!(
                    "{} has the uid {:?} too, and opens at /d/{}: give this file a uid of its own",
                    first, entry.uid, entry.uid
                ));
            }
            None => {
                first_by_uid.insert(entry.uid.clone(), entry.url_path.clone());
            }
        }
    }
}

/// The optional index of a dashboards folder (`promboard index DIR` writes it there): what was
/// read of each file, with the stamp the server's listing will show while the file is unchanged.
/// Hidden, so listings skip it; a browser with nothing stored uses it instead of reading the files.
pub const INDEX_FILE_NAME: &str = ".promboard-index.json";

/// nginx's listing stamp of a file: its mtime as RFC 1123 (nginx's `autoindex_format json`) and
/// its size, as [`decode_listing`] makes it.
pub fn listing_stamp(mtime_epoch_s: i64, size: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let days = mtime_epoch_s.div_euclid(86_400);
    let seconds = mtime_epoch_s.rem_euclid(86_400);
    let (year, month, day) = time::civil_from_days(days);
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT|{size}",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// What was read of each file, by its URL path, kept in the browser between page loads.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CatalogueCache {
    entries: BTreeMap<String, CatalogueEntry>,
}

impl CatalogueCache {
    /// The entry of a file whose stamp is what the listing says now (an unchanged file).
    pub fn fresh(&self, url_path: &str, stamp: &str) -> Option<&CatalogueEntry> {
        self.entries.get(url_path).filter(|e| !stamp.is_empty() && e.stamp == stamp && e.error.is_none())
    }

    /// The cache of exactly these entries (files gone from the folder are forgotten).
    pub fn of(entries: &[CatalogueEntry]) -> CatalogueCache {
        CatalogueCache {
            entries: entries
                .iter()
                .filter(|e| !e.stamp.is_empty() && e.error.is_none())
                .map(|e| (e.url_path.clone(), CatalogueEntry { note: None, ..e.clone() }))
                .collect(),
        }
    }

    /// Every stored entry.
    pub fn entries(&self) -> impl Iterator<Item = &CatalogueEntry> {
        self.entries.values()
    }

    /// Where a uid's file is, before any listing is read (to open `/d/<uid>` at once).
    pub fn url_path_of(&self, uid: &str) -> Option<&str> {
        self.entries.values().find(|e| e.uid == uid).map(|e| e.url_path.as_str())
    }

    pub fn to_storage(&self) -> String {
        serde_json::to_string(&self.entries.values().collect::<Vec<_>>()).unwrap_or_default()
    }

    /// An unreadable record is an empty cache (everything is read again), never an error.
    pub fn from_storage(text: &str) -> CatalogueCache {
        let entries: Vec<CatalogueEntry> = serde_json::from_str(text).unwrap_or_default();
        CatalogueCache { entries: entries.into_iter().map(|e| (e.url_path.clone(), e)).collect() }
    }
}

/// How soon a file is read when `/d/<uid>/<slug>` is looking for its dashboard and the catalogue
/// does not know it yet (lower is sooner): 0 for a file named as the uid or the slug (as people
/// name exported files), 1 for a name that contains one of them or is contained in one, 2 for a
/// name that shares a word of three or more characters with them, 3 for the rest. Every file is
/// read in the end; this only decides the order, so the wanted file usually comes first.
pub fn read_priority(file_name: &str, wanted_uid: &str, wanted_slug: &str) -> u8 {
    let stem = route::slugify(file_name.trim_end_matches(".json"));
    let wanted: Vec<String> =
        [wanted_uid, wanted_slug].iter().map(|w| route::slugify(w)).filter(|w| w.len() >= 3).collect();
    if stem.len() < 3 || wanted.is_empty() {
        return 3;
    }
    let words = |s: &str| s.split('-').filter(|w| w.len() >= 3).map(str::to_string).collect::<Vec<_>>();
    let stem_words = words(&stem);
    if wanted.contains(&stem) {
        0
    } else if wanted.iter().any(|w| stem.contains(w.as_str()) || w.contains(&stem)) {
        1
    } else if wanted.iter().flat_map(|w| words(w)).any(|w| stem_words.contains(&w)) {
        2
    } else {
        3
    }
}

/// Groups entries by folder: the General folder first, then the others by name; titles sorted.
pub fn group_by_folder(entries: &[CatalogueEntry]) -> Vec<(String, Vec<&CatalogueEntry>)> {
    let mut groups: Vec<(String, Vec<&CatalogueEntry>)> = Vec::new();
    for entry in entries {
        match groups.iter_mut().find(|(folder, _)| *folder == entry.folder) {
            Some((_, members)) => members.push(entry),
            None => groups.push((entry.folder.clone(), vec![entry])),
        }
    }
    for (_, members) in &mut groups {
        sorting::sort_by_key(members, |e| e.title.to_lowercase());
    }
    sorting::sort_by_key(&mut groups, |(folder, _)| (folder != GENERAL_FOLDER, folder.to_lowercase()));
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_nginx_autoindex_json() {
        let body = r#"[
            {"name":"team a","type":"directory","mtime":"Sat, 21 Nov 2026 06:30:00 GMT"},
            {"name":"node.json","type":"file","mtime":"x","size":10},
            {"name":".node.json.swp","type":"file","mtime":"x","size":10},
            {"name":"README.md","type":"file","mtime":"x","size":10}]"#;
        let listing = decode_listing("/dashboards/", body).expect("decodes");
        assert_eq!(listing.folders, vec!["team a"]);
        assert_eq!(
            listing.dashboard_files,
            vec![ListedFile { name: "node.json".into(), stamp: "x|10".into() }]
        );
    }

    #[test]
    fn html_instead_of_a_listing_is_a_clear_error() {
        let error = decode_listing("/dashboards/", "<!DOCTYPE html>").unwrap_err();
        assert!(
            error.to_string().starts_with("/dashboards/: the dashboards folder listing is not nginx JSON")
        );
    }

    #[test]
    fn entries_from_files() {
        let folder = vec!["team a".to_string()];
        let file = |name: &str| ListedFile { name: name.into(), stamp: "t|1".into() };
        let entry = CatalogueEntry::from_file(
            &folder,
            &file("n.json"),
            r#"{"uid":"u1","title":"Node","tags":["linux"]}"#,
        );
        assert_eq!(entry.url_path, "/dashboards/team%20a/n.json");
        assert_eq!(
            (entry.folder.as_str(), entry.uid.as_str(), entry.title.as_str()),
            ("team a", "u1", "Node")
        );
        assert!(entry.matches("LIN") && entry.matches("nod") && !entry.matches("mysql"));

        let broken = CatalogueEntry::from_file(&[], &file("Broken One.json"), "{");
        assert_eq!((broken.folder.as_str(), broken.uid.as_str()), (GENERAL_FOLDER, "broken-one"));
        assert!(
            broken.error.as_deref().unwrap_or("").contains("/dashboards/Broken%20One.json: invalid JSON")
        );
    }

    #[test]
    fn general_folder_comes_first() {
        let entry = |folder: &str, title: &str| CatalogueEntry {
            folder: folder.into(),
            url_path: String::new(),
            uid: title.into(),
            title: title.into(),
            tags: vec![],
            error: None,
            stamp: String::new(),
            note: None,
        };
        let entries =
            vec![entry("b", "x"), entry(GENERAL_FOLDER, "z"), entry("a", "y"), entry(GENERAL_FOLDER, "c")];
        let groups = group_by_folder(&entries);
        let names: Vec<(&str, Vec<&str>)> =
            groups.iter().map(|(f, m)| (f.as_str(), m.iter().map(|e| e.title.as_str()).collect())).collect();
        assert_eq!(names, vec![(GENERAL_FOLDER, vec!["c", "z"]), ("a", vec!["y"]), ("b", vec!["x"])]);
    }

    #[test]
    fn unchanged_files_come_from_the_cache_and_duplicate_uids_are_noted() {
        let listed = |name: &str, stamp: &str| ListedFile { name: name.into(), stamp: stamp.into() };
        let a = CatalogueEntry::from_file(&[], &listed("a.json", "m1|10"), r#"{"uid":"same","title":"A"}"#);
        let b = CatalogueEntry::from_file(
            &["x".into()],
            &listed("b.json", "m2|20"),
            r#"{"uid":"same","title":"B"}"#,
        );
        let broken = CatalogueEntry::from_file(&[], &listed("c.json", "m3|30"), "{");
        let mut entries = vec![b, a, broken];
        note_duplicate_uids(&mut entries);
        assert_eq!(entries[1].note, None, "the first file by path keeps the uid");
        assert!(
            entries[0]
                .note
                .as_deref()
                .unwrap_or("")
                .starts_with("/dashboards/a.json has the uid \"same\" too")
        );
        let cache = CatalogueCache::from_storage(&CatalogueCache::of(&entries).to_storage());
        assert_eq!(cache.fresh("/dashboards/a.json", "m1|10").map(|e| e.title.as_str()), Some("A"));
        assert_eq!(cache.fresh("/dashboards/a.json", "m1|11"), None, "a changed file is read again");
        assert_eq!(cache.fresh("/dashboards/c.json", "m3|30"), None, "a broken file is read again");
        assert_eq!(cache.fresh("/dashboards/a.json", ""), None, "no stamp, no trust");
        assert_eq!(cache.url_path_of("same"), Some("/dashboards/a.json"));
        assert_eq!(CatalogueCache::from_storage("not json"), CatalogueCache::default());
    }

    #[test]
    fn files_named_like_the_wanted_dashboard_are_read_first() {
        assert_eq!(read_priority("node-exporter-full.json", "rYdddlPWk", "node-exporter-full"), 0);
        assert_eq!(read_priority("rYdddlPWk.json", "rYdddlPWk", ""), 0);
        assert_eq!(read_priority("1860-node-exporter-full-v2.json", "x1", "node-exporter-full"), 1);
        assert_eq!(read_priority("node_exporter_rev31.json", "rYdddlPWk", "node-exporter-full"), 2);
        assert_eq!(read_priority("mysql.json", "rYdddlPWk", "node-exporter-full"), 3);
        // A one-letter slug (`/d/<uid>/x`) says nothing about the file.
        assert_eq!(read_priority("x.json", "abc", "x"), 3);
        assert_eq!(read_priority(".json", "abc", "x"), 3);
    }

    #[test]
    fn listing_stamps_are_nginx_dates() {
        // 2026-12-04 16:12:40 UTC was a Friday.
        assert_eq!(listing_stamp(1_796_400_760, 9459), "Fri, 04 Dec 2026 16:12:40 GMT|9459");
        assert_eq!(listing_stamp(0, 1), "Thu, 01 Jan 1970 00:00:00 GMT|1");
        // And what decode_listing makes of nginx's entry is the same stamp.
        let listing = decode_listing(
            "/dashboards/",
            r#"[{"name":"a.json","type":"file","mtime":"Fri, 04 Dec 2026 16:12:40 GMT","size":9459}]"#,
        )
        .unwrap();
        assert_eq!(listing.dashboard_files[0].stamp, listing_stamp(1_796_400_760, 9459));
    }
}
