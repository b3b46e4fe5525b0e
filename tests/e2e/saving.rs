//! Saving edits back to the provisioned files (issue 13, part 4), with the real nginx and the
//! shipped write include (deploy/provisioning/save.dashboards-write.conf.example) enabled as the
//! README says: Save asks for the password and says when it is wrong; the file on disk then
//! differs from before only by the edit; a change made on disk meanwhile is detected (nothing is
//! written, the draft stays, the differences are shown) and only an explicit overwrite replaces
//! it; a read-only folder is a clear error; Save as makes an imported dashboard a file. Without
//! the include (the default), there is no Save button and the server refuses writes.

use crate::World;
use crate::browser::Browser;
use crate::editing::{click, ensure};
use crate::stack::{Result, ScratchDir, install_example, start_nginx};
use crate::standin::expect_statuses;
use serde_json::json;
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// A file written the way people write them: four-space indents, keys in their own order, a
/// trailing newline. Saving must keep all of it.
const BOARD: &str = "{\n    \"title\": \"Team board\",\n    \"uid\": \"save-board\",\n    \"panels\": [\n        {\n            \"type\": \"stat\",\n            \"id\": 1,\n            \"title\": \"Up\",\n            \"gridPos\": { \"x\": 0, \"y\": 0, \"w\": 6, \"h\": 4 },\n            \"targets\": [ { \"refId\": \"A\", \"expr\": \"e2e_flaky_up\" } ]\n        }\n    ],\n    \"schemaVersion\": 39\n}\n";

const LOCKED: &str = r#"{"uid": "save-locked", "title": "Locked board", "schemaVersion": 39, "panels": []}"#;

const IMPORTED: &str = r#"{"uid": "save-imported", "title": "Imported for saving", "schemaVersion": 39,
  "panels": [{"id": 1, "type": "stat", "title": "Up", "gridPos": {"h": 4, "w": 6, "x": 0, "y": 0}, "targets": [{"refId": "A", "expr": "e2e_flaky_up"}]}]}"#;

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    Ok(())
}

async fn set_title(browser: &Browser, title: &str) -> Result<()> {
    click(browser, ".open-settings").await?;
    browser.wait_for("the settings", WAIT, "return !!document.querySelector('.set-title');").await?;
    browser
        .execute(
            "const i = document.querySelector('.set-title'); i.value = arguments[0]; i.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![json!(title)],
        )
        .await?;
    click(browser, ".settings-close").await?;
    browser
        .wait_for("the edit", WAIT, "return !!document.querySelector('.edit-bar .modified-badge');")
        .await?;
    Ok(())
}

async fn sign_in(browser: &Browser, user: &str, password: &str) -> Result<()> {
    browser
        .wait_for("the password form", WAIT, "return !!document.querySelector('.save-login-form');")
        .await?;
    browser
        .execute(
            "for (const [css, v] of [['.save-user', arguments[0]], ['.save-password', arguments[1]]]) { const i = document.querySelector(css); i.value = v; i.dispatchEvent(new Event('input', {bubbles: true})); }",
            vec![json!(user), json!(password)],
        )
        .await?;
    click(browser, ".save-login").await
}

async fn message(browser: &Browser, css: &str) -> Result<String> {
    browser.wait_for(css, WAIT, &format!("return !!document.querySelector({css:?});")).await?;
    browser.text_of(css).await
}

async fn has_draft(browser: &Browser, uid: &str) -> Result<bool> {
    let key = format!("promboard.draft.{uid}");
    Ok(browser.execute("return !!localStorage.getItem(arguments[0]);", vec![json!(key)]).await?
        == json!(true))
}

pub fn edits_save_back_to_the_provisioned_files(world: &World) -> Result<()> {
    let scratch = ScratchDir::new("saving")?;
    let dashboards = scratch.0.join("dashboards");
    let team = dashboards.join("team");
    let locked = dashboards.join("locked");
    std::fs::create_dir_all(&team)?;
    std::fs::create_dir_all(&locked)?;
    std::fs::write(team.join("board.json"), BOARD)?;
    std::fs::write(locked.join("locked.json"), LOCKED)?;
    // nginx's workers (nobody, when the tests run as root) write into team/ but not locked/.
    set_mode(&dashboards, 0o777)?;
    set_mode(&team, 0o777)?;
    set_mode(&locked, 0o555)?;
    struct Unlock(std::path::PathBuf);
    impl Drop for Unlock {
        fn drop(&mut self) {
            let _ = set_mode(&self.0, 0o755);
        }
    }
    let _unlock = Unlock(locked.clone());

    // Enabled as the README says: the example copied without `.example`, its password file set.
    let provisioning = scratch.0.join("provisioning");
    std::fs::create_dir_all(&provisioning)?;
    let password_file = provisioning.join("dashboards.htpasswd");
    std::fs::write(&password_file, "editor:{PLAIN}s3cret\n")?;
    install_example(
        &provisioning,
        "save.dashboards-write.conf",
        &[("/etc/promboard/dashboards.htpasswd", &password_file.display().to_string())],
    )?;
    let (_nginx, port) = start_nginx(
        &scratch.0,
        &world.stack.dist_dir,
        &dashboards,
        &world.stack.prometheus_url,
        &provisioning,
    )?;
    let app = format!("http://127.0.0.1:{port}");

    // Only PUT of .json files that are not hidden is writable; nothing without the password.
    expect_statuses(
        port,
        &[
            ("PUT", "/dashboards/team/board.json", 401),
            ("DELETE", "/dashboards/team/board.json", 403),
            ("MKCOL", "/dashboards/team/new/", 403),
            ("PUT", "/dashboards/team/.hidden.json", 403),
            ("PUT", "/dashboards/team/notes.txt", 403),
        ],
    )?;
    ensure(std::fs::read_to_string(team.join("board.json"))? == BOARD, || {
        "a refused request changed the file".into()
    })?;

    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        browser.goto(&format!("{app}/d/save-board")).await?;
        browser.wait_for("the Save button", WAIT, "return !!document.querySelector('.edit-bar button.save');").await?;
        ensure(
            browser.execute("return document.querySelector('.edit-bar button.save').disabled;", vec![]).await?
                == json!(true),
            || "Save is offered with nothing to save".into(),
        )?;

        // Save: the password is asked for; a wrong one says so and writes nothing.
        set_title(&browser, "Team board, saved").await?;
        click(&browser, ".edit-bar button.save").await?;
        sign_in(&browser, "editor", "wrong").await?;
        browser
            .wait_for("the wrong password", WAIT, "return !!document.querySelector('.save-login-form') && document.querySelector('.save-login-form .save-message').textContent.startsWith('Wrong user name or password');")
            .await?;
        ensure(std::fs::read_to_string(team.join("board.json"))? == BOARD, || "a wrong password wrote the file".into())?;
        ensure(has_draft(&browser, "save-board").await?, || "the draft went before the server confirmed".into())?;
        sign_in(&browser, "editor", "s3cret").await?;
        let saved = message(&browser, ".save-status.saved").await?;
        ensure(saved.contains("/dashboards/team/board.json"), || format!("saved message: {saved:?}"))?;
        let on_disk = std::fs::read_to_string(team.join("board.json"))?;
        let expected = BOARD.replace("\"Team board\"", "\"Team board, saved\"");
        ensure(on_disk == expected, || format!("the saved file differs from the edit alone:\n{on_disk}"))?;
        ensure(!has_draft(&browser, "save-board").await?, || "the draft stays after a confirmed save".into())?;
        ensure(
            browser.execute("return !document.querySelector('.edit-bar .modified-badge');", vec![]).await? == json!(true),
            || "still marked modified after saving".into(),
        )?;

        // Reloaded, the page shows the file as saved.
        browser.client.refresh().await?;
        browser
            .wait_for("the saved title", WAIT, "return document.querySelector('.dashboard-title')?.textContent === 'Team board, saved' && !!document.querySelector('button.save') && !document.querySelector('.modified-badge');")
            .await?;

        // A change on disk meanwhile (another size, so nginx's ETag changes within the second).
        set_title(&browser, "Mine").await?;
        let theirs = expected.replace("\"Up\"", "\"Up (changed on disk)\"");
        std::fs::write(team.join("board.json"), &theirs)?;
        // (The check needs no password: reading is open. The reload forgot the password.)
        click(&browser, ".edit-bar button.save").await?;
        let conflict = message(&browser, ".save-conflict .save-message").await?;
        ensure(conflict.contains("changed on the server"), || format!("conflict message: {conflict:?}"))?;
        ensure(std::fs::read_to_string(team.join("board.json"))? == theirs, || "a changed file was overwritten".into())?;
        ensure(has_draft(&browser, "save-board").await?, || "the draft went on a conflict".into())?;
        click(&browser, ".save-show-diff").await?;
        browser
            .wait_for("the differences", WAIT, "const rows = [...document.querySelectorAll('.save-conflict .diff-row')].map(r => r.dataset.pointer); return rows.includes('/title') && rows.includes('/panels/0/title');")
            .await?;
        // Only an explicit overwrite replaces it.
        browser.execute("window.confirm = () => true;", vec![]).await?;
        click(&browser, ".save-overwrite").await?;
        sign_in(&browser, "editor", "s3cret").await?;
        message(&browser, ".save-status.saved").await?;
        let overwritten = std::fs::read_to_string(team.join("board.json"))?;
        ensure(overwritten == expected.replace("\"Team board, saved\"", "\"Mine\""), || {
            format!("overwrite wrote:\n{overwritten}")
        })?;

        // A folder nginx cannot write to: a clear error, the draft kept.
        browser.goto(&format!("{app}/d/save-locked")).await?;
        browser.wait_for("the locked board", WAIT, "return !!document.querySelector('.edit-bar button.save');").await?;
        set_title(&browser, "Locked, edited").await?;
        click(&browser, ".edit-bar button.save").await?;
        // A new page load forgot the password (it lives in the tab's memory): asked again.
        sign_in(&browser, "editor", "s3cret").await?;
        let refused = message(&browser, ".save-error .save-message").await?;
        ensure(refused.contains("read-only") && refused.contains("/dashboards/locked/locked.json"), || {
            format!("read-only folder message: {refused:?}")
        })?;
        ensure(has_draft(&browser, "save-locked").await?, || "the draft went on a failed save".into())?;
        ensure(std::fs::read_to_string(locked.join("locked.json"))? == LOCKED, || "the locked file changed".into())?;

        // Save as: an imported dashboard becomes a file in the chosen folder, and opens from it.
        crate::editing_defects::import_text(&browser, &app, IMPORTED).await?;
        browser.wait_for("the imported board", WAIT, "return location.pathname.startsWith('/d/save-imported') && !!document.querySelector('button.save-as');").await?;
        click(&browser, "button.save-as").await?;
        browser.wait_for("the save-as form", WAIT, "return !!document.querySelector('.save-as-form');").await?;
        browser
            .execute(
                "const s = document.querySelector('.save-as-folder'); const o = [...s.options].find(o => o.textContent === 'team'); s.value = o.value; s.dispatchEvent(new Event('change', {bubbles: true}));
                 const n = document.querySelector('.save-as-name'); n.value = 'imported board'; n.dispatchEvent(new Event('input', {bubbles: true}));",
                vec![],
            )
            .await?;
        click(&browser, ".save-as-write").await?;
        // A new page load forgot the password (it lives in the tab's memory): asked again.
        sign_in(&browser, "editor", "s3cret").await?;
        let written = team.join("imported board.json");
        browser
            .wait_for("the file opened from its folder", WAIT, "return location.pathname.startsWith('/d/save-imported') && !!document.querySelector('button.save') && !document.querySelector('button.save-as');")
            .await?;
        let text = std::fs::read_to_string(&written)?;
        let document: serde_json::Value = serde_json::from_str(&text)?;
        ensure(document["uid"] == "save-imported" && document["panels"][0]["title"] == "Up", || format!("saved as:\n{text}"))?;
        // Never over an existing file: a second import saved under the same name is refused.
        crate::editing_defects::import_text(&browser, &app, &IMPORTED.replace("save-imported", "save-imported-2")).await?;
        browser.wait_for("the second import", WAIT, "return location.pathname.startsWith('/d/save-imported-2') && !!document.querySelector('button.save-as');").await?;
        click(&browser, "button.save-as").await?;
        browser.wait_for("the save-as form", WAIT, "return !!document.querySelector('.save-as-form');").await?;
        browser
            .execute(
                "const s = document.querySelector('.save-as-folder'); const o = [...s.options].find(o => o.textContent === 'team'); s.value = o.value; s.dispatchEvent(new Event('change', {bubbles: true}));
                 const n = document.querySelector('.save-as-name'); n.value = 'imported board.json'; n.dispatchEvent(new Event('input', {bubbles: true}));",
                vec![],
            )
            .await?;
        click(&browser, ".save-as-write").await?;
        let taken = message(&browser, ".save-as-form .save-error").await?;
        ensure(taken.contains("already exists"), || format!("save-as onto a file: {taken:?}"))?;
        ensure(std::fs::read_to_string(&written)? == text, || "save-as overwrote a file".into())?;
        browser.finish().await
    })?;

    // The default (no write include): no Save button, and the server refuses writes.
    let default_port: u16 = world.stack.app_url.rsplit(':').next().unwrap_or_default().parse()?;
    expect_statuses(
        default_port,
        &[("PUT", "/dashboards/e2e/editing.json", 405), ("DELETE", "/dashboards/e2e/editing.json", 403)],
    )?;
    let default_app = world.stack.app_url.clone();
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        browser.goto(&format!("{default_app}/d/e2e-datasources")).await?;
        browser.wait_for("the edit bar", WAIT, "return !!document.querySelector('.edit-bar .undo');").await?;
        ensure(
            browser.execute("return !document.querySelector('button.save') && !document.querySelector('button.save-as');", vec![]).await?
                == json!(true),
            || "Save is offered where the server does not accept it".into(),
        )?;
        browser.finish().await
    })
}
