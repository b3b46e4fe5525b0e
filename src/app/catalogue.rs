//! The catalogue of provisioned dashboards, fetched from the served `dashboards/` folder once per
//! page load (so a newly dropped file appears on reload). One of the two modules that do network I/O.

use crate::provisioning::{CatalogueEntry, MAX_FOLDER_DEPTH, decode_listing, file_url_path, folder_url_path};
use gloo_net::http::Request;
use leptos::prelude::*;

/// A provisioned dashboard with the text of its file.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvisionedDashboard {
    pub entry: CatalogueEntry,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Catalogue {
    pub dashboards: Vec<ProvisionedDashboard>,
    /// Folders or files that could not be read, with the reason; shown above the list.
    pub problems: Vec<String>,
}

#[derive(Clone, Copy)]
pub struct CatalogueResource(pub LocalResource<Result<Catalogue, String>>);

pub fn provide_catalogue() {
    provide_context(CatalogueResource(LocalResource::new(load_catalogue)));
}

pub fn use_catalogue() -> LocalResource<Result<Catalogue, String>> {
    expect_context::<CatalogueResource>().0
}

async fn fetch_text(url: &str) -> Result<String, String> {
    let response = Request::get(url).send().await.map_err(|error| format!("cannot fetch {url}: {error}"))?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {} {}", response.status(), response.status_text()));
    }
    response.text().await.map_err(|error| format!("cannot read {url}: {error}"))
}

/// Walks the dashboards folder breadth first. A folder that cannot be listed is an error only at
/// the top; below it, it becomes a problem entry and the rest still loads.
async fn load_catalogue() -> Result<Catalogue, String> {
    let mut catalogue = Catalogue::default();
    let mut pending: Vec<Vec<String>> = vec![Vec::new()];
    while let Some(folder_path) = pending.pop() {
        let url = folder_url_path(&folder_path);
        let listing = match fetch_text(&url)
            .await
            .and_then(|body| decode_listing(&url, &body).map_err(|e| e.to_string()))
        {
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
                pending.push(child);
            } else {
                catalogue.problems.push(format!(
                    "{}: folders nested deeper than {MAX_FOLDER_DEPTH} levels are not read",
                    folder_url_path(&child)
                ));
            }
        }
        for file_name in listing.dashboard_files {
            let file_url = file_url_path(&folder_path, &file_name);
            match fetch_text(&file_url).await {
                Ok(text) => {
                    let entry = CatalogueEntry::from_file(&folder_path, &file_name, &text);
                    catalogue.dashboards.push(ProvisionedDashboard { entry, text });
                }
                Err(message) => catalogue.problems.push(message),
            }
        }
    }
    Ok(catalogue)
}
