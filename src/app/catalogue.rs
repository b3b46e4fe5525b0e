//! What is provisioned with the app, fetched once per page load: the catalogue of dashboards from
//! the served `dashboards/` folder (so a newly dropped file appears on reload) and the datasources
//! from `/datasources.yaml`. One of the two modules that do network I/O.
//!
//! The catalogue keeps each file's uid, title and tags, not its text: a dashboard's file is read
//! when it is opened. What was read is kept in local storage with the listing's stamp (mtime,
//! size), so a reload reads only new and changed files, [`PARALLEL_READS`] at a time.

use crate::provisioning::{
    CatalogueCache, CatalogueEntry, DASHBOARDS_URL_PATH, MAX_FOLDER_DEPTH, decode_listing, file_url_path,
    folder_url_path, note_duplicate_uids,
};
use futures::StreamExt;
use gloo_net::http::Request;
use leptos::prelude::*;

/// A listed dashboard; imported ones carry their text (they live in this browser only).
#[derive(Debug, Clone, PartialEq)]
pub struct ProvisionedDashboard {
    pub entry: CatalogueEntry,
    pub text: Option<String>,
}

/// Files read at once when the catalogue is built (a browser opens about six connections to one
/// host; more would only queue).
pub const PARALLEL_READS: usize = 6;
/// Where what was read of the dashboards folder is kept between page loads.
const CATALOGUE_CACHE_KEY: &str = "promboard.catalogue.v1";

/// The catalogue as last stored in this browser.
pub fn stored_catalogue() -> CatalogueCache {
    local_storage()
        .and_then(|s| s.get_item(CATALOGUE_CACHE_KEY).ok().flatten())
        .map(|text| CatalogueCache::from_storage(&text))
        .unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Catalogue {
    pub dashboards: Vec<ProvisionedDashboard>,
    /// Folders or files that could not be read, with the reason; shown above the list.
    pub problems: Vec<String>,
}

#[derive(Clone, Copy)]
pub struct CatalogueResource(pub LocalResource<Result<Catalogue, String>>);

/// The provisioned datasources, once read: `None` while loading, then a problem to show (the
/// built-in datasource is used instead) or none.
#[derive(Clone, Copy)]
pub struct DatasourcesResource(pub LocalResource<Option<String>>);

/// Where the datasources file is served (nginx: `@PROVISIONING_DIR@/datasources.yaml`).
pub const DATASOURCES_PATH: &str = "/datasources.yaml";

pub fn provide_datasources() -> DatasourcesResource {
    let resource = DatasourcesResource(LocalResource::new(load_datasources));
    provide_context(resource);
    resource
}

/// Reads and installs the provisioned datasources. No file (404) means the built-in datasource;
/// an unreadable or invalid one is reported, and the built-in datasource stands in.
async fn load_datasources() -> Option<String> {
    let response = match Request::get(DATASOURCES_PATH).send().await {
        Ok(response) => response,
        Err(error) => {
            return Some(format!("cannot fetch {DATASOURCES_PATH}: {error}; using the built-in datasource"));
        }
    };
    // No file: 404 from nginx, or the app shell from a dev server that answers every path with it.
    let is_html = response.headers().get("content-type").is_some_and(|t| t.contains("text/html"));
    if response.status() == 404 || is_html {
        crate::datasource::set_current(crate::datasource::Registry::builtin());
        return None;
    }
    if !response.ok() {
        return Some(format!(
            "{DATASOURCES_PATH}: HTTP {} {}; using the built-in datasource",
            response.status(),
            response.status_text()
        ));
    }
    let text = match response.text().await {
        Ok(text) => text,
        Err(error) => {
            return Some(format!("cannot read {DATASOURCES_PATH}: {error}; using the built-in datasource"));
        }
    };
    // A file with credentials in it is readable by every visitor: refuse it, and say how to fix it.
    let secrets =
        crate::yaml::parse(&text).map(|d| crate::datasource_secrets::secrets_in(&d)).unwrap_or_default();
    if !secrets.is_empty() {
        crate::datasource::set_current(crate::datasource::Registry::builtin());
        return Some(format!(
            "{DATASOURCES_PATH} holds secrets that every visitor can read ({}); it was not used. Split it with `promboard datasources FILE --out DIR`, which keeps the credentials in nginx (README, \"Datasources\"); using the built-in datasource",
            secrets.join(", ")
        ));
    }
    match crate::datasource::Registry::from_provisioning(&text) {
        Ok(registry) => {
            crate::datasource::set_current(registry);
            None
        }
        Err(error) => Some(format!("{error}; using the built-in datasource")),
    }
}

pub fn provide_catalogue() {
    provide_context(CatalogueResource(LocalResource::new(load_catalogue)));
}

pub fn use_catalogue() -> LocalResource<Result<Catalogue, String>> {
    expect_context::<CatalogueResource>().0
}

pub async fn fetch_text(url: &str) -> Result<String, String> {
    let response = Request::get(url).send().await.map_err(|error| format!("cannot fetch {url}: {error}"))?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {} {}", response.status(), response.status_text()));
    }
    response.text().await.map_err(|error| format!("cannot read {url}: {error}"))
}

/// Walks the dashboards folder a level at a time (the listings of a level [`PARALLEL_READS`] at a
/// time), then reads the files that are new or changed since the last load — or since the
/// folder's index was written — [`PARALLEL_READS`] at a time. A folder that cannot be listed is an
/// error only at the top; below it, it becomes a problem entry and the rest still loads.
async fn load_catalogue() -> Result<Catalogue, String> {
    let mut catalogue = Catalogue::default();
    let cache = stored_catalogue();
    // The folder's optional index (`promboard index`): no file, or an unreadable one, is no index.
    let index_url = format!("{DASHBOARDS_URL_PATH}{}", crate::provisioning::INDEX_FILE_NAME);
    let index =
        fetch_text(&index_url).await.map(|text| CatalogueCache::from_storage(&text)).unwrap_or_default();
    let mut level: Vec<Vec<String>> = vec![Vec::new()];
    let mut to_read = Vec::new();
    let mut entries: Vec<CatalogueEntry> = Vec::new();
    while !level.is_empty() {
        let listings: Vec<(Vec<String>, Result<crate::provisioning::Listing, String>)> =
            futures::stream::iter(std::mem::take(&mut level))
                .map(|folder_path| async move {
                    let url = folder_url_path(&folder_path);
                    let listing = fetch_text(&url)
                        .await
                        .and_then(|body| decode_listing(&url, &body).map_err(|e| e.to_string()));
                    (folder_path, listing)
                })
                .buffer_unordered(PARALLEL_READS)
                .collect()
                .await;
        for (folder_path, listing) in listings {
            let listing = match listing {
                Ok(listing) => listing,
                Err(message) if folder_path.is_empty() => return Err(message),
                Err(message) => {
                    catalogue.problems.push(message);
                    continue;
                }
            };
            for folder in listing.folders {
                let mut child = folder_path.clone();
                child.push(folder);
                if child.len() <= MAX_FOLDER_DEPTH {
                    level.push(child);
                } else {
                    catalogue.problems.push(format!(
                        "{}: folders nested deeper than {MAX_FOLDER_DEPTH} levels are not read",
                        folder_url_path(&child)
                    ));
                }
            }
            for file in listing.dashboard_files {
                let url_path = file_url_path(&folder_path, &file.name);
                match cache.fresh(&url_path, &file.stamp).or_else(|| index.fresh(&url_path, &file.stamp)) {
                    Some(entry) => entries.push(entry.clone()),
                    None => to_read.push((folder_path.clone(), file)),
                }
            }
        }
    }
    let read: Vec<Result<CatalogueEntry, String>> = futures::stream::iter(to_read)
        .map(|(folder_path, file)| async move {
            let url = file_url_path(&folder_path, &file.name);
            fetch_text(&url).await.map(|text| CatalogueEntry::from_file(&folder_path, &file, &text))
        })
        .buffer_unordered(PARALLEL_READS)
        .collect()
        .await;
    for result in read {
        match result {
            Ok(entry) => entries.push(entry),
            Err(message) => catalogue.problems.push(message),
        }
    }
    entries.sort_by(|a, b| a.url_path.cmp(&b.url_path));
    note_duplicate_uids(&mut entries);
    if let Some(storage) = local_storage() {
        // Storage full: the next load reads the files again; nothing else is lost.
        let _ = storage.set_item(CATALOGUE_CACHE_KEY, &CatalogueCache::of(&entries).to_storage());
    }
    catalogue.dashboards =
        entries.into_iter().map(|entry| ProvisionedDashboard { entry, text: None }).collect();
    Ok(catalogue)
}

/// The browser-storage key of imported dashboards (a JSON array of dashboard documents).
const IMPORTED_STORAGE_KEY: &str = "promboard.imported.v1";
/// The folder imported dashboards are listed in.
pub const IMPORTED_FOLDER: &str = "Imported";

/// Dashboards imported in this browser, kept in local storage so they survive a reload.
#[derive(Clone, Copy)]
pub struct ImportedDashboards(pub RwSignal<Vec<ProvisionedDashboard>>);

/// The browser's local storage, when it has one (private modes and some embeds do not).
pub(super) fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn imported_entry(dashboard: &crate::model::Dashboard) -> ProvisionedDashboard {
    let text = Some(dashboard.to_json_pretty());
    let view = crate::view::DashboardView::from_model(dashboard);
    let uid = view.uid.clone().unwrap_or_else(|| crate::route::slugify(&view.title));
    ProvisionedDashboard {
        entry: CatalogueEntry {
            folder: IMPORTED_FOLDER.to_string(),
            url_path: format!("{IMPORTED_FOLDER}/{uid}"),
            uid,
            title: view.title,
            tags: view.tags,
            error: None,
            stamp: String::new(),
            note: None,
        },
        text,
    }
}

pub fn provide_imported() {
    let stored: Vec<serde_json::Map<String, serde_json::Value>> = local_storage()
        .and_then(|storage| storage.get_item(IMPORTED_STORAGE_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    let dashboards =
        stored.into_iter().map(|raw| imported_entry(&crate::model::Dashboard::from_raw(raw))).collect();
    provide_context(ImportedDashboards(RwSignal::new(dashboards)));
}

pub fn use_imported() -> ImportedDashboards {
    expect_context::<ImportedDashboards>()
}

impl ImportedDashboards {
    /// Adds (or replaces, by uid) an imported dashboard and saves the list. A uid that a provisioned
    /// dashboard already has is refused, as Grafana refuses to overwrite a provisioned dashboard.
    pub fn add(self, dashboard: &crate::model::Dashboard) -> Result<CatalogueEntry, String> {
        let new = imported_entry(dashboard);
        let provisioned = use_catalogue().get_untracked().and_then(Result::ok).unwrap_or_default();
        if provisioned.dashboards.iter().any(|d| d.entry.uid == new.entry.uid) {
            return Err(format!(
                "A provisioned dashboard already has the uid {:?}; choose another UID.",
                new.entry.uid
            ));
        }
        self.0.update(|list| {
            list.retain(|d| d.entry.uid != new.entry.uid);
            list.push(new.clone());
        });
        let documents: Vec<serde_json::Value> = self
            .0
            .get_untracked()
            .iter()
            .filter_map(|d| serde_json::from_str(d.text.as_deref()?).ok())
            .collect();
        let saved = local_storage()
            .and_then(|storage| {
                let text = serde_json::to_string(&documents).ok()?;
                storage.set_item(IMPORTED_STORAGE_KEY, &text).ok()
            })
            .is_some();
        if !saved {
            // Still usable in this tab; the user is told it will not survive a reload.
            return Err(format!(
                "Imported {:?}, but the browser's storage is full or unavailable: it will be gone after a reload.",
                new.entry.title
            ));
        }
        Ok(new.entry)
    }
}
