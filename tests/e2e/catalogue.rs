//! The catalogue of provisioned dashboards over reloads (issue 13): a reload reads only the files
//! that are new or changed since the last one (the listing's mtime and size), a changed file shows
//! its new title, a deleted one goes, a broken one is listed with its reason while the rest works,
//! two files with one uid are both listed with a note, and a bookmarked `/d/<uid>` opens its file.
//! Grafana 12's resource files: v1 opens as its classic `spec`, schema v2 says what it is.

use crate::World;
use crate::browser::{Browser, LIST_COMPLETE};
use crate::stack::{RemovedOnDrop, Result};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

fn dashboard(uid: &str, title: &str) -> String {
    format!(
        r#"{{"uid":"{uid}","title":"{title}","panels":[{{"id":1,"type":"stat","title":"Up",
           "gridPos":{{"x":0,"y":0,"w":6,"h":4}},"targets":[{{"refId":"A","expr":"e2e_flaky_up"}}]}}]}}"#
    )
}

/// How many dashboard files (not folder listings) the page has read since it loaded.
const FILES_READ: &str = "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname).filter(p => /\\/dashboards\\/.+\\.json$/.test(p) && !p.endsWith('/.promboard-index.json'));";

async fn reload_list(browser: &Browser, app: &str, condition: &str) -> Result<Vec<String>> {
    browser.goto(&format!("{app}/")).await?;
    browser.wait_for("the whole list", WAIT, LIST_COMPLETE).await?;
    browser.wait_for("the list", WAIT, condition).await?;
    Ok(serde_json::from_value(browser.execute(FILES_READ, vec![]).await?)?)
}

pub fn the_catalogue_reads_only_changed_files_and_shows_every_problem(world: &World) -> Result<()> {
    let app = world.stack.app_url.clone();
    let folder = world.stack.dashboards_dir.join("catalogue");
    std::fs::create_dir_all(&folder)?;
    // The folder goes whatever happens: other scenarios list the exact folders.
    let _cleanup = RemovedOnDrop(folder.clone());
    std::fs::write(folder.join("first.json"), dashboard("cat-first", "First"))?;
    std::fs::write(folder.join("second.json"), dashboard("cat-second", "Second"))?;
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        let listed = "return !!document.querySelector('[data-uid=\"cat-second\"]');";
        let first_load = reload_list(&browser, &app, listed).await?;
        if !first_load.iter().any(|p| p.ends_with("/catalogue/second.json")) {
            return Err(format!("a new browser reads the files: {first_load:?}").into());
        }
        // Nothing changed: nothing read.
        let unchanged = reload_list(&browser, &app, listed).await?;
        if !unchanged.is_empty() {
            return Err(format!("an unchanged folder is read again: {unchanged:?}").into());
        }
        // One file changed (its size too: the listing's mtime has whole seconds): only it is read.
        std::fs::write(folder.join("second.json"), dashboard("cat-second", "Second, renamed"))?;
        let changed = reload_list(
            &browser,
            &app,
            "return [...document.querySelectorAll('[data-uid=\"cat-second\"] .dashboard-link')].some(a => a.textContent === 'Second, renamed');",
        )
        .await?;
        if changed != vec!["/dashboards/catalogue/second.json".to_string()] {
            return Err(format!("after one change, the files read: {changed:?}").into());
        }
        // A broken file is listed with why; a second file with a taken uid is listed with a note.
        std::fs::write(folder.join("broken.json"), "{\n  \"title\": oops\n}")?;
        std::fs::write(folder.join("another.json"), dashboard("cat-first", "Another first"))?;
        reload_list(
            &browser,
            &app,
            "const items = [...document.querySelectorAll('.folder[data-folder=\"catalogue\"] .dashboard-item')];
             const broken = items.find(i => i.textContent.includes('broken'));
             const note = [...document.querySelectorAll('.catalogue-note')].map(n => n.textContent).join(' ');
             return items.length === 4 && !!broken && broken.querySelector('.error-text').textContent.includes('line 2')
                 && note.includes('/dashboards/catalogue/another.json has the uid \"cat-first\" too');",
        )
        .await?;
        // The uid opens the first file by path (another.json), as the note says.
        browser.goto(&format!("{app}/d/cat-first/x")).await?;
        browser.wait_for("the dashboard of the uid", WAIT, "return document.querySelector('.dashboard-title')?.textContent === 'Another first';").await?;
        // A deleted file goes.
        std::fs::remove_file(folder.join("another.json"))?;
        reload_list(
            &browser,
            &app,
            "return document.querySelectorAll('.folder[data-folder=\"catalogue\"] .dashboard-item').length === 3 && !document.querySelector('.catalogue-note');",
        )
        .await?;
        browser.goto(&format!("{app}/d/cat-first/x")).await?;
        browser.wait_for("the uid's remaining file", WAIT, "return document.querySelector('.dashboard-title')?.textContent === 'First';").await?;

        // Grafana 12's resource format: v1 is the classic model in `spec` (uid from metadata);
        // schema v2 opens as what it is (here a dashboard without panels).
        std::fs::write(
            folder.join("resource-v1.json"),
            format!(r#"{{"apiVersion":"dashboard.grafana.app/v1beta1","kind":"Dashboard","metadata":{{"name":"cat-resource"}},"spec":{}}}"#, dashboard("", "Resource v1").replace(r#""uid":"","#, "")),
        )?;
        std::fs::write(
            folder.join("resource-v2.json"),
            r#"{"apiVersion":"dashboard.grafana.app/v2beta1","kind":"Dashboard","metadata":{"name":"cat-v2"},"spec":{"title":"Resource v2","elements":{},"layout":{"kind":"GridLayout","spec":{"items":[]}}}}"#,
        )?;
        reload_list(&browser, &app, "return !!document.querySelector('[data-uid=\"cat-resource\"]') && !!document.querySelector('[data-uid=\"cat-v2\"]');").await?;
        browser.goto(&format!("{app}/d/cat-resource/x?from=now-1h&to=now")).await?;
        browser.wait_for("the v1 resource's panel", WAIT, "return document.querySelector('.dashboard-title')?.textContent === 'Resource v1' && document.querySelectorAll('.grid [data-panel-id]').length === 1;").await?;
        browser.goto(&format!("{app}/d/cat-v2/x")).await?;
        browser.wait_for("the v2 dashboard", WAIT, "return document.querySelector('.dashboard-title')?.textContent === 'Resource v2';").await?;
        browser.finish().await
    })?;

    // A bookmarked `/d/<uid>/<slug>` in a browser with nothing stored: the file named like it is
    // read first, the dashboard opens, and the other files are not read while it is open (reads
    // wait for someone who needs them); the list then reads them all.
    let many = folder.join("many");
    std::fs::create_dir_all(&many)?;
    for n in 0..80 {
        std::fs::write(
            many.join(format!("filler-{n:02}.json")),
            dashboard(&format!("filler-{n:02}"), &format!("Filler {n:02}")),
        )?;
    }
    std::fs::write(many.join("wanted-board.json"), dashboard("wb-1", "Wanted board"))?;
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        browser.goto(&format!("{app}/d/wb-1/wanted-board")).await?;
        browser.wait_for("the wanted dashboard", WAIT, "return document.querySelector('.dashboard-title')?.textContent === 'Wanted board';").await?;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let read: Vec<String> = serde_json::from_value(browser.execute(FILES_READ, vec![]).await?)?;
        let fillers = read.iter().filter(|p| p.contains("/many/filler-")).count();
        if !read.iter().any(|p| p.ends_with("/many/wanted-board.json")) || fillers > 12 {
            return Err(format!("opening one dashboard in a new browser read {fillers} of 80 other files: {read:?}").into());
        }
        let all = reload_list(&browser, &app, "return document.querySelectorAll('.folder[data-folder=\"catalogue/many\"] .dashboard-link').length === 81;").await?;
        if all.iter().filter(|p| p.contains("/many/filler-")).count() < 80 - fillers {
            return Err(format!("the list did not read the rest: {all:?}").into());
        }
        browser.finish().await
    })?;
    std::fs::remove_dir_all(&many)?;

    // `promboard index`: a browser with nothing stored lists everything without reading a file,
    // and reads a file again once it changed after the index was written.
    let indexed = std::process::Command::new(env!("CARGO_BIN_EXE_promboard"))
        .arg("index")
        .arg(&world.stack.dashboards_dir)
        .output()?;
    if !indexed.status.success() {
        return Err(format!("promboard index failed: {}", String::from_utf8_lossy(&indexed.stderr)).into());
    }
    let _index = RemovedOnDrop(world.stack.dashboards_dir.join(".promboard-index.json"));
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        let read = reload_list(&browser, &app, "return !!document.querySelector('[data-uid=\"cat-resource\"]') && !!document.querySelector('[data-uid=\"e2e-fixture\"]');").await?;
        // Only the broken file (the index leaves unreadable files to the app) is read.
        if read != vec!["/dashboards/catalogue/broken.json".to_string()] {
            return Err(format!("with the index, a new browser read: {read:?}").into());
        }
        browser.finish().await
    })?;
    std::fs::write(folder.join("first.json"), dashboard("cat-first", "First, after the index"))?;
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        let read = reload_list(&browser, &app, "return [...document.querySelectorAll('.dashboard-link')].some(a => a.textContent === 'First, after the index');").await?;
        let mut read = read;
        read.sort();
        if read != vec!["/dashboards/catalogue/broken.json".to_string(), "/dashboards/catalogue/first.json".to_string()] {
            return Err(format!("after a change the index does not know, a new browser read: {read:?}").into());
        }
        browser.finish().await
    })
}
