//! What is provisioned with the app, fetched once per page load: the catalogue of dashboards from
//! the served `dashboards/` folder (so a newly dropped file appears on reload) and the datasources
//! from `/datasources.yaml`, and news panels' feeds (served here too, see [`crate::panels::news`]).
//! One of the modules that do network I/O.
//!
//! The catalogue keeps each file's uid, title and tags, not its text: a dashboard's file is read
//! when it is opened. What was read is kept in local storage with the listing's stamp (mtime,
//! size), so a reload reads only new and changed files, [`PARALLEL_READS`] at a time.

use crate::datasource::Registry;
use crate::datasource_secrets;
use crate::model::Dashboard;
use crate::panels::news;
use crate::provisioning;
use crate::provisioning::INDEX_FILE_NAME;
use crate::provisioning::Listing;
use crate::provisioning::{
    CatalogueCache, CatalogueEntry, DASHBOARDS_URL_PATH, ListedFile, MAX_FOLDER_DEPTH, decode_listing,
    file_url_path, folder_url_path, note_duplicate_uids,
};
use crate::route;
use crate::save::ACCEPTS_SAVING_HEADER;
use crate::save::FileVersion;
use crate::sorting;
use crate::view::DashboardView;
use crate::yaml;
use futures::StreamExt;
use gloo_net::http::Request;
use leptos::prelude::*;

thread_local! {
    /// The datasources the app is served with (`/datasources.yaml`): the built-in one until the
    /// file is read. App state, like the URL: the core is always given the registry it uses.
    static DATASOURCES: std::cell::RefCell<std::rc::Rc<Registry>> =
        std::cell::RefCell::new(std::rc::Rc::new(Registry::builtin()));
}

/// The datasources in force.
pub fn datasources() -> std::rc::Rc<Registry> {
    DATASOURCES.with(|current| std::rc::Rc::clone(&current.borrow()))
}

fn install_datasources(registry: Registry) {
    DATASOURCES.with(|current| *current.borrow_mut() = std::rc::Rc::new(registry));
}

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

/// Where reading the dashboards folder stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Progress {
    /// The folder's listings are being read.
    #[default]
    Listing,
    /// Every file is listed; some are still to be read.
    Reading,
    /// Every listed file is read.
    Complete,
    /// The top folder could not be listed: nothing can be shown.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Catalogue {
    /// Dashboards whose entry is known: read now, or unchanged since this browser or the folder's
    /// index last read them.
    pub dashboards: Vec<ProvisionedDashboard>,
    /// Listed files not read yet, as entries titled by their file name and without a uid. The list
    /// shows them at once and fills them in as they are read.
    pub pending: Vec<CatalogueEntry>,
    /// Folders or files that could not be read, with the reason; shown above the list.
    pub problems: Vec<String>,
    pub progress: Progress,
    /// Every folder listed, as the names of nested folders (the top, Grafana's General, is empty):
    /// where "Save as" may write.
    pub folders: Vec<Vec<String>>,
    /// Whether the server accepts saving dashboards (its listing says so, see [`crate::save`]).
    pub accepts_saving: bool,
}

#[derive(Clone, Copy)]
pub struct CatalogueSignal(pub ReadSignal<Catalogue>);

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
        install_datasources(Registry::builtin());
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
    let secrets = yaml::parse(&text).map(|d| datasource_secrets::secrets_in(&d)).unwrap_or_default();
    if !secrets.is_empty() {
        install_datasources(Registry::builtin());
        return Some(format!(
            "{DATASOURCES_PATH} holds secrets that every visitor can read ({}); it was not used. Split it with `promboard datasources FILE --out DIR`, which keeps the credentials in nginx (README, \"Datasources\"); using the built-in datasource",
            secrets.join(", ")
        ));
    }
    match Registry::from_provisioning(&text) {
        Ok(registry) => {
            install_datasources(registry);
            None
        }
        Err(error) => Some(format!("{error}; using the built-in datasource")),
    }
}

pub fn provide_catalogue() {
    let catalogue = RwSignal::new(Catalogue::default());
    provide_context(CatalogueSignal(catalogue.read_only()));
    leptos::task::spawn_local(load_catalogue(catalogue));
}

/// The catalogue as far as it is read; it changes as files are read.
pub fn use_catalogue() -> ReadSignal<Catalogue> {
    expect_context::<CatalogueSignal>().0
}

/// A file as the server sent it: its text, the version it is, and whether the server accepts
/// saving dashboards (see [`crate::save`]).
#[derive(Debug, Clone, PartialEq)]
pub struct FetchedFile {
    pub text: String,
    pub version: FileVersion,
    pub accepts_saving: bool,
}

/// A file's text, with what the answer's headers say about it. The request is aborted when the
/// future is dropped (a read the catalogue gives up on, or a page left before its file came, does
/// not keep a connection busy).
pub async fn fetch_file(url: &str) -> Result<FetchedFile, String> {
    let controller = web_sys::AbortController::new().ok();
    let _abort_on_drop = AbortOnDrop(controller.clone());
    let signal = controller.as_ref().map(web_sys::AbortController::signal);
    let response = Request::get(url)
        .abort_signal(signal.as_ref())
        .send()
        .await
        .map_err(|error| format!("cannot fetch {url}: {error}"))?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {} {}", response.status(), response.status_text()));
    }
    let headers = response.headers();
    let version = FileVersion::new(headers.get("etag"), headers.get("last-modified"));
    let accepts_saving = headers.get(ACCEPTS_SAVING_HEADER).is_some();
    let text = response.text().await.map_err(|error| format!("cannot read {url}: {error}"))?;
    Ok(FetchedFile { text, version, accepts_saving })
}

/// The text of the news feed at `feed_url`, asked where [`crate::panels::news`] says (a path on
/// this server; nginx proxies the feeds it is given a location for). Aborted when dropped.
pub async fn fetch_news_feed(feed_url: &str) -> Result<String, String> {
    let path = news::feed_request_path(feed_url)?;
    let controller = web_sys::AbortController::new().ok();
    let _abort_on_drop = AbortOnDrop(controller.clone());
    let signal = controller.as_ref().map(web_sys::AbortController::signal);
    let response = Request::get(&path)
        .abort_signal(signal.as_ref())
        .send()
        .await
        .map_err(|error| format!("Error loading RSS feed {feed_url}: cannot fetch {path}: {error}"))?;
    let headers = response.headers();
    let is_html = headers.get("content-type").is_some_and(|t| t.contains("text/html"));
    let no_location = headers.get(news::NO_LOCATION_HEADER).is_some();
    if let Some(problem) = news::feed_problem(feed_url, &path, response.status(), is_html, no_location) {
        return Err(problem);
    }
    response
        .text()
        .await
        .map_err(|error| format!("Error loading RSS feed {feed_url}: cannot read {path}: {error}"))
}

struct AbortOnDrop(Option<web_sys::AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = &self.0 {
            controller.abort();
        }
    }
}

/// Who needs the catalogue's files read now. Reading runs only while someone does: the list,
/// a `/d/<uid>` page whose uid is not known yet, the importer checking a uid. When the last one
/// goes (the user opened a dashboard), reads in flight are aborted and the rest wait, so the
/// dashboard's own file and queries get the connections; what was read is kept.
#[derive(Default)]
struct Demand {
    by: std::collections::BTreeSet<&'static str>,
    /// The uid and slug a `/d` page is looking for: files named like them are read first.
    wanted: Option<(String, String)>,
    /// Workers waiting for demand.
    waiting: Vec<futures::channel::oneshot::Sender<()>>,
    /// Reads in flight, cancelled when demand ends (one slot per worker).
    in_flight: Vec<Option<futures::channel::oneshot::Sender<()>>>,
}

thread_local! {
    static DEMAND: std::cell::RefCell<Demand> = std::cell::RefCell::new(Demand::default());
}

/// Says whether `who` needs the catalogue read (idempotent; `false` withdraws).
pub fn need_catalogue(who: &'static str, needed: bool) {
    DEMAND.with_borrow_mut(|demand| {
        if needed {
            demand.by.insert(who);
            for waiter in demand.waiting.drain(..) {
                let _ = waiter.send(());
            }
        } else {
            demand.by.remove(who);
            if demand.by.is_empty() {
                for slot in &mut demand.in_flight {
                    if let Some(cancel) = slot.take() {
                        let _ = cancel.send(());
                    }
                }
            }
        }
    });
}

/// The dashboard a `/d` page looks for (read its likely files first), or none.
pub fn want_dashboard(wanted: Option<(String, String)>) {
    DEMAND.with_borrow_mut(|demand| demand.wanted = wanted);
}

async fn wait_for_demand() {
    loop {
        let waiter = DEMAND.with_borrow_mut(|demand| {
            if demand.by.is_empty() {
                let (send, receive) = futures::channel::oneshot::channel();
                demand.waiting.push(send);
                Some(receive)
            } else {
                None
            }
        });
        match waiter {
            None => return,
            Some(receive) => {
                let _ = receive.await;
            }
        }
    }
}

/// A folder's listing, and whether its answer said the server accepts saving.
type ReadListing = (Listing, bool);

/// A listed file still to be read.
#[derive(Clone)]
struct ToRead {
    folder_path: Vec<String>,
    file: ListedFile,
}

/// Shared between the reading workers: the queue, and what was read since the last flush.
#[derive(Default)]
struct Reading {
    queue: Vec<ToRead>,
    read: Vec<Result<CatalogueEntry, (String, String)>>,
    last_flush_ms: f64,
    last_store_ms: f64,
}

/// Walks the dashboards folder a level at a time (the listings of a level [`PARALLEL_READS`] at a
/// time), shows every listed file, then reads the files that are new or changed since the last
/// load — or since the folder's index was written — [`PARALLEL_READS`] at a time while someone
/// needs them ([`need_catalogue`]). A folder that cannot be listed is an error only at the top;
/// below it, it becomes a problem entry and the rest still loads.
async fn load_catalogue(catalogue: RwSignal<Catalogue>) {
    let cache = stored_catalogue();
    // The folder's optional index (`promboard index`): no file, or an unreadable one, is no index.
    let index_url = format!("{DASHBOARDS_URL_PATH}{}", INDEX_FILE_NAME);
    let index =
        fetch_file(&index_url).await.map(|file| CatalogueCache::from_storage(&file.text)).unwrap_or_default();
    let mut level: Vec<Vec<String>> = vec![Vec::new()];
    let mut to_read = Vec::new();
    let mut entries: Vec<CatalogueEntry> = Vec::new();
    let mut problems = Vec::new();
    let mut folders = Vec::new();
    let mut accepts_saving = false;
    while !level.is_empty() {
        let listings: Vec<(Vec<String>, Result<ReadListing, String>)> =
            futures::stream::iter(std::mem::take(&mut level))
                .map(|folder_path| async move {
                    let url = folder_url_path(&folder_path);
                    let listing = fetch_file(&url).await.and_then(|answer| {
                        decode_listing(&url, &answer.text)
                            .map(|listing| (listing, answer.accepts_saving))
                            .map_err(|e| e.to_string())
                    });
                    (folder_path, listing)
                })
                .buffer_unordered(PARALLEL_READS)
                .collect()
                .await;
        for (folder_path, listing) in listings {
            let listing = match listing {
                Ok((listing, saving)) => {
                    if folder_path.is_empty() {
                        accepts_saving = saving;
                    }
                    folders.push(folder_path.clone());
                    listing
                }
                Err(message) if folder_path.is_empty() => {
                    catalogue.update(|c| c.progress = Progress::Failed(message));
                    return;
                }
                Err(message) => {
                    problems.push(message);
                    continue;
                }
            };
            for folder in listing.folders {
                let mut child = folder_path.clone();
                child.push(folder);
                if child.len() <= MAX_FOLDER_DEPTH {
                    level.push(child);
                } else {
                    problems.push(format!(
                        "{}: folders nested deeper than {MAX_FOLDER_DEPTH} levels are not read",
                        folder_url_path(&child)
                    ));
                }
            }
            for file in listing.dashboard_files {
                let url_path = file_url_path(&folder_path, &file.name);
                match cache.fresh(&url_path, &file.stamp).or_else(|| index.fresh(&url_path, &file.stamp)) {
                    Some(entry) => entries.push(entry.clone()),
                    None => to_read.push(ToRead { folder_path: folder_path.clone(), file }),
                }
            }
        }
    }
    let pending: Vec<CatalogueEntry> =
        to_read.iter().map(|r| CatalogueEntry::pending(&r.folder_path, &r.file)).collect();
    note_duplicate_uids(&mut entries);
    let progress = if to_read.is_empty() { Progress::Complete } else { Progress::Reading };
    catalogue.set(Catalogue {
        dashboards: entries.iter().cloned().map(|entry| ProvisionedDashboard { entry, text: None }).collect(),
        pending,
        problems,
        progress,
        folders,
        accepts_saving,
    });
    if to_read.is_empty() {
        store_catalogue(&entries);
        return;
    }
    let reading = std::rc::Rc::new(std::cell::RefCell::new(Reading {
        queue: to_read,
        read: Vec::new(),
        last_flush_ms: js_sys::Date::now(),
        last_store_ms: js_sys::Date::now(),
    }));
    DEMAND.with_borrow_mut(|demand| demand.in_flight = (0..PARALLEL_READS).map(|_| None).collect());
    let workers = (0..PARALLEL_READS).map(|slot| read_files(slot, reading.clone(), catalogue));
    futures::future::join_all(workers).await;
    flush(&reading, catalogue, true);
}

/// One of the [`PARALLEL_READS`] readers: takes the file most likely wanted next, reads it, and
/// puts it back when demand ends before the read does.
async fn read_files(
    slot: usize,
    reading: std::rc::Rc<std::cell::RefCell<Reading>>,
    catalogue: RwSignal<Catalogue>,
) {
    loop {
        wait_for_demand().await;
        let wanted = DEMAND.with_borrow(|demand| demand.wanted.clone());
        let next = {
            let mut reading = reading.borrow_mut();
            let best = match &wanted {
                Some((uid, slug)) => reading
                    .queue
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, r)| provisioning::read_priority(&r.file.name, uid, slug))
                    .map(|(i, _)| i),
                None => (!reading.queue.is_empty()).then_some(0),
            };
            best.map(|i| reading.queue.remove(i))
        };
        let Some(next) = next else { return };
        let (cancel, cancelled) = futures::channel::oneshot::channel();
        DEMAND.with_borrow_mut(|demand| demand.in_flight[slot] = Some(cancel));
        let url = file_url_path(&next.folder_path, &next.file.name);
        let outcome = {
            let read = std::pin::pin!(fetch_file(&url));
            match futures::future::select(read, cancelled).await {
                futures::future::Either::Left((text, _)) => Some(text),
                futures::future::Either::Right(_) => None,
            }
        };
        DEMAND.with_borrow_mut(|demand| demand.in_flight[slot] = None);
        match outcome {
            Some(read) => {
                let entry =
                    read.map(|file| CatalogueEntry::from_file(&next.folder_path, &next.file, &file.text));
                let found = matches!((&entry, &wanted), (Ok(e), Some((uid, _))) if e.uid == *uid);
                reading.borrow_mut().read.push(entry.map_err(|message| (url, message)));
                flush(&reading, catalogue, found);
            }
            // Nobody needs the catalogue now: the file waits for the next demand.
            None => {
                reading.borrow_mut().queue.push(next);
                flush(&reading, catalogue, true);
            }
        }
    }
}

/// How often, at most, reads are shown while the list fills in (each showing re-renders the
/// folders that changed).
const FLUSH_EVERY_MS: f64 = 300.0;

/// How often, at most, what was read is stored while reading goes on.
const STORE_EVERY_MS: f64 = 2_000.0;

/// Moves what was read into the catalogue: now when `now` (the wanted dashboard was found,
/// reading paused or ended), else when [`FLUSH_EVERY_MS`] have passed. When nothing is left to
/// read the catalogue is complete and stored for the next page load.
fn flush(reading: &std::rc::Rc<std::cell::RefCell<Reading>>, catalogue: RwSignal<Catalogue>, now: bool) {
    let mut reading = reading.borrow_mut();
    let time = js_sys::Date::now();
    if !now && time - reading.last_flush_ms < FLUSH_EVERY_MS && !reading.queue.is_empty() {
        return;
    }
    reading.last_flush_ms = time;
    let read = std::mem::take(&mut reading.read);
    let complete =
        reading.queue.is_empty() && DEMAND.with_borrow(|d| d.in_flight.iter().all(Option::is_none));
    if read.is_empty() && !complete {
        return;
    }
    // Storing 10,000 entries takes a while: not at every showing.
    let store = now || complete || time - reading.last_store_ms >= STORE_EVERY_MS;
    if store {
        reading.last_store_ms = time;
    }
    drop(reading);
    catalogue.update(|c| {
        let mut done = std::collections::HashSet::new();
        for result in read {
            match result {
                Ok(entry) => {
                    done.insert(entry.url_path.clone());
                    c.dashboards.push(ProvisionedDashboard { entry, text: None });
                }
                Err((url, message)) => {
                    done.insert(url);
                    c.problems.push(message);
                }
            }
        }
        c.pending.retain(|p| !done.contains(&p.url_path));
        let mut entries: Vec<CatalogueEntry> = c.dashboards.drain(..).map(|d| d.entry).collect();
        for entry in &mut entries {
            entry.note = None;
        }
        note_duplicate_uids(&mut entries);
        if complete && c.pending.is_empty() {
            sorting::sort_by(&mut entries, |a, b| a.url_path.cmp(&b.url_path));
            c.progress = Progress::Complete;
        }
        // What was read so far survives a reload even when reading stops here.
        if store {
            store_catalogue(&entries);
        }
        c.dashboards = entries.into_iter().map(|entry| ProvisionedDashboard { entry, text: None }).collect();
    });
}

fn store_catalogue(entries: &[CatalogueEntry]) {
    if let Some(storage) = local_storage() {
        // Storage full: the next load reads the files again; nothing else is lost.
        let _ = storage.set_item(CATALOGUE_CACHE_KEY, &CatalogueCache::of(entries).to_storage());
    }
}

/// The browser-storage key of imported dashboards (a JSON array of dashboard documents).
const IMPORTED_STORAGE_KEY: &str = "promboard.imported.v1";
/// The folder imported dashboards are listed in.
pub const IMPORTED_FOLDER: &str = "Imported";

/// Dashboards imported in this browser, kept in local storage so they survive a reload.
#[derive(Clone, Copy)]
pub struct ImportedDashboards(pub RwSignal<Vec<ProvisionedDashboard>>);

/// The browser's local storage, when it has one (private modes and some embeds do not).
pub(crate) fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn imported_entry(dashboard: &Dashboard) -> ProvisionedDashboard {
    let text = Some(dashboard.to_json_pretty());
    let view = DashboardView::from_model(dashboard, &datasources());
    let uid = view.uid.clone().unwrap_or_else(|| route::slugify(&view.title));
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
    let dashboards = stored.into_iter().map(|raw| imported_entry(&Dashboard::from_raw(raw))).collect();
    provide_context(ImportedDashboards(RwSignal::new(dashboards)));
}

pub fn use_imported() -> ImportedDashboards {
    expect_context::<ImportedDashboards>()
}

impl ImportedDashboards {
    /// Adds (or replaces, by uid) an imported dashboard and saves the list. A uid that a provisioned
    /// dashboard already has is refused, as Grafana refuses to overwrite a provisioned dashboard.
    pub fn add(self, dashboard: &Dashboard) -> Result<CatalogueEntry, String> {
        let new = imported_entry(dashboard);
        let provisioned = use_catalogue().get_untracked();
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
        if !self.store() {
            // Still usable in this tab; the user is told it will not survive a reload.
            return Err(format!(
                "Imported {:?}, but the browser's storage is full or unavailable: it will be gone after a reload.",
                new.entry.title
            ));
        }
        Ok(new.entry)
    }

    /// Removes the imported dashboard with this uid (it was saved as a provisioned file).
    pub fn remove(self, uid: &str) -> bool {
        self.0.update(|list| list.retain(|d| d.entry.uid != uid));
        self.store()
    }

    /// Writes the list to the browser's storage; whether it could.
    fn store(self) -> bool {
        let documents: Vec<serde_json::Value> = self
            .0
            .get_untracked()
            .iter()
            .filter_map(|d| serde_json::from_str(d.text.as_deref()?).ok())
            .collect();
        local_storage()
            .and_then(|storage| {
                let text = serde_json::to_string(&documents).ok()?;
                storage.set_item(IMPORTED_STORAGE_KEY, &text).ok()
            })
            .is_some()
    }
}
