//! Provisioned dashboards: the `dashboards/` folder served next to the app, sub-folders as folders
//! (like Grafana's file provider with `foldersFromFilesStructure`).
//!
//! Discovery reads nginx's JSON directory listing (`autoindex_format json`), so a file dropped into
//! the folder shows up on the next page load without rebuilding anything. This module is pure: it
//! decodes listings and builds catalogue entries; `app` does the fetching.

use crate::model::Dashboard;
use crate::view::DashboardView;
use serde::Deserialize;

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
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProvisioningError {
    #[error("{url}: the dashboards folder listing is not nginx JSON autoindex output ({message})")]
    Listing { url: String, message: String },
}

/// What a directory listing says: dashboard files and sub-folders to visit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Listing {
    pub dashboard_files: Vec<String>,
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
            "file" if entry.name.ends_with(".json") => listing.dashboard_files.push(entry.name),
            _ => {}
        }
    }
    listing.dashboard_files.sort();
    listing.folders.sort();
    Ok(listing)
}

/// A provisioned dashboard as the browser lists it.
#[derive(Debug, Clone, PartialEq)]
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
}

impl CatalogueEntry {
    /// Builds an entry from a file's text. Files without a `uid` get one from their path, so that
    /// their URL is stable across reloads.
    pub fn from_file(folder_path: &[String], file_name: &str, text: &str) -> CatalogueEntry {
        let url_path = file_url_path(folder_path, file_name);
        let folder = if folder_path.is_empty() { GENERAL_FOLDER.to_string() } else { folder_path.join("/") };
        let fallback_uid = uid_from_path(folder_path, file_name);
        let fallback_title = file_name.trim_end_matches(".json").to_string();
        match Dashboard::parse(&url_path, text) {
            Ok(dashboard) => {
                let view = DashboardView::from_model(&dashboard);
                CatalogueEntry {
                    folder,
                    url_path,
                    uid: view.uid.unwrap_or(fallback_uid),
                    title: view.title,
                    tags: view.tags,
                    error: None,
                }
            }
            Err(error) => CatalogueEntry {
                folder,
                url_path,
                uid: fallback_uid,
                title: fallback_title,
                tags: Vec::new(),
                error: Some(error.to_string()),
            },
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
        url.push_str(&crate::route::percent_encode(folder));
        url.push('/');
    }
    url
}

pub fn file_url_path(folder_path: &[String], file_name: &str) -> String {
    format!("{}{}", folder_url_path(folder_path), crate::route::percent_encode(file_name))
}

fn uid_from_path(folder_path: &[String], file_name: &str) -> String {
    let mut parts: Vec<&str> = folder_path.iter().map(String::as_str).collect();
    parts.push(file_name.trim_end_matches(".json"));
    crate::route::slugify(&parts.join("-"))
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
        members.sort_by_key(|e| e.title.to_lowercase());
    }
    groups.sort_by_key(|(folder, _)| (folder != GENERAL_FOLDER, folder.to_lowercase()));
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
        assert_eq!(listing.dashboard_files, vec!["node.json"]);
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
        let entry =
            CatalogueEntry::from_file(&folder, "n.json", r#"{"uid":"u1","title":"Node","tags":["linux"]}"#);
        assert_eq!(entry.url_path, "/dashboards/team%20a/n.json");
        assert_eq!(
            (entry.folder.as_str(), entry.uid.as_str(), entry.title.as_str()),
            ("team a", "u1", "Node")
        );
        assert!(entry.matches("LIN") && entry.matches("nod") && !entry.matches("mysql"));

        let broken = CatalogueEntry::from_file(&[], "Broken One.json", "{");
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
        };
        let entries =
            vec![entry("b", "x"), entry(GENERAL_FOLDER, "z"), entry("a", "y"), entry(GENERAL_FOLDER, "c")];
        let groups = group_by_folder(&entries);
        let names: Vec<(&str, Vec<&str>)> =
            groups.iter().map(|(f, m)| (f.as_str(), m.iter().map(|e| e.title.as_str()).collect())).collect();
        assert_eq!(names, vec![(GENERAL_FOLDER, vec!["c", "z"]), ("a", vec!["y"]), ("b", vec!["x"])]);
    }
}
