//! The native `promboard` command line: lint dashboards in git, upgrade them, prepare them for sharing.
//! Reads files and prints; all the work is in the pure core (model, view, support, migrate, export).

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "a command-line tool prints")]

use crate::datasource::Registry;
use crate::datasource_secrets;
use crate::export;
use crate::migrate::upgrade;
use crate::model;
use crate::model::v2;
use crate::model::{Dashboard, round_trip_is_lossless};
use crate::panel_types::panel_type_is_supported;
use crate::provisioning;
use crate::provisioning::CatalogueCache;
use crate::provisioning::CatalogueEntry;
use crate::provisioning::INDEX_FILE_NAME;
use crate::provisioning::ListedFile;
use crate::provisioning::MAX_FOLDER_DEPTH;
use crate::support::unsupported_features;
use crate::view::{DashboardView, PanelView};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage:
  promboard [--datasources FILE] check [--json] PATH...
                                        report on dashboards (files, or folders searched recursively)
  promboard [--datasources FILE] migrate [--to classic|v2|v2alpha1] FILE
                                        print the dashboard upgraded to the latest schemaVersion (classic,
                                        the default), or as a Grafana schema v2 resource (v2: v2beta1);
                                        what the target format cannot carry is listed on stderr
  promboard [--datasources FILE] export --for-sharing FILE
                                        print the dashboard as Grafana's \"export for sharing externally\"
  promboard index DIR                   write DIR/.promboard-index.json: what the app would read of each
                                        dashboard there, so a browser with nothing stored lists them at once
  promboard datasources FILE --out DIR  split Grafana's datasources.yaml: DIR/datasources.yaml for the
                                        browser (no secrets) and DIR/datasources.nginx.conf (the backends
                                        and their credentials, for nginx only); $VAR and ${VAR} expand
--datasources FILE: the datasources.yaml the app is served with (Grafana's provisioning format), so
  datasource names and the default resolve as in the app; without it, the built-in Prometheus";

pub fn main() -> ExitCode {
    let mut arguments: Vec<String> = std::env::args().skip(1).collect();
    let registry = match datasources_option(&mut arguments) {
        Ok(registry) => registry,
        Err(message) => {
            eprintln!("promboard: {message}");
            return ExitCode::from(2);
        }
    };
    let registry = &registry;
    match arguments.first().map(String::as_str) {
        Some("check") => check_command(&arguments[1..], registry),
        Some("migrate") => migrate_command(&arguments[1..], registry),
        Some("export") if arguments.get(1).map(String::as_str) == Some("--for-sharing") => {
            single_file_command(&arguments[2..], |dashboard| {
                let shared = export::for_sharing(dashboard.raw(), registry);
                Ok(serde_json::to_string_pretty(&Value::Object(shared)).unwrap_or_default())
            })
        }
        Some("datasources") => datasources_command(&arguments[1..]),
        Some("index") => index_command(&arguments[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Takes `--datasources FILE` out of the arguments (wherever it is) and reads the registry from
/// it, as the app reads the `datasources.yaml` it is served with; the built-in one without it.
fn datasources_option(arguments: &mut Vec<String>) -> Result<Registry, String> {
    let Some(at) = arguments.iter().position(|argument| argument == "--datasources") else {
        return Ok(Registry::builtin());
    };
    if at + 1 >= arguments.len() {
        return Err("--datasources needs a file".into());
    }
    let path = arguments.remove(at + 1);
    arguments.remove(at);
    let text = std::fs::read_to_string(&path).map_err(|error| format!("{path}: {error}"))?;
    Registry::from_provisioning(&text).map_err(|error| format!("{path}: {error}"))
}

/// `promboard datasources FILE --out DIR`: see [`crate::datasource_secrets`].
fn datasources_command(arguments: &[String]) -> ExitCode {
    let [file, flag, out] = arguments else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    if flag != "--out" {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let result = std::fs::read_to_string(file)
        .map_err(|error| format!("{file}: {error}"))
        .and_then(|text| {
            datasource_secrets::split(&text, &|name| std::env::var(name).ok())
                .map_err(|error| format!("{file}: {error}"))
        })
        .and_then(|split| {
            let dir = Path::new(out);
            std::fs::create_dir_all(dir).map_err(|error| format!("{out}: {error}"))?;
            let browser = dir.join("datasources.yaml");
            std::fs::write(&browser, &split.browser_yaml)
                .map_err(|error| format!("{}: {error}", browser.display()))?;
            let nginx = dir.join("datasources.nginx.conf");
            write_private(&nginx, &split.nginx_conf)
                .map_err(|error| format!("{}: {error}", nginx.display()))?;
            Ok((split, browser, nginx))
        });
    match result {
        Ok((split, browser, nginx)) => {
            for note in &split.notes {
                println!("{note}");
            }
            println!(
                "wrote {} (for the browser) and {} (for nginx; mode 600)",
                browser.display(),
                nginx.display()
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("promboard datasources: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `promboard index DIR`: see [`crate::provisioning::INDEX_FILE_NAME`]. Walks the folder as the app
/// does (sub-folders as folders, hidden entries skipped, at most MAX_FOLDER_DEPTH deep).
fn index_command(arguments: &[String]) -> ExitCode {
    let [dir] = arguments else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let root = Path::new(dir);
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    let mut pending: Vec<Vec<String>> = vec![Vec::new()];
    while let Some(folder_path) = pending.pop() {
        let folder = folder_path.iter().fold(root.to_path_buf(), |path, part| path.join(part));
        let listing = match std::fs::read_dir(&folder) {
            Ok(listing) => listing,
            Err(error) => {
                problems.push(format!("{}: {error}", folder.display()));
                continue;
            }
        };
        for item in listing.flatten() {
            let name = item.file_name().to_string_lossy().to_string();
            let Ok(metadata) = item.metadata() else { continue };
            if name.starts_with('.') {
                continue;
            }
            if metadata.is_dir() && folder_path.len() < MAX_FOLDER_DEPTH {
                let mut child = folder_path.clone();
                child.push(name);
                pending.push(child);
            } else if metadata.is_file() && name.ends_with(".json") {
                let mtime = metadata
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_secs() as i64);
                let stamp = provisioning::listing_stamp(mtime, metadata.len());
                match std::fs::read_to_string(item.path()) {
                    Ok(text) => entries.push(CatalogueEntry::from_file(
                        &folder_path,
                        &ListedFile { name, stamp },
                        &text,
                    )),
                    Err(error) => problems.push(format!("{}: {error}", item.path().display())),
                }
            }
        }
    }
    let readable = entries.iter().filter(|e| e.error.is_none()).count();
    let index = CatalogueCache::of(&entries);
    let path = root.join(INDEX_FILE_NAME);
    for problem in &problems {
        eprintln!("promboard index: {problem}");
    }
    match std::fs::write(&path, index.to_storage()) {
        Ok(()) => {
            println!(
                "wrote {} ({readable} dashboards; {} unreadable ones are left out, the app reads them)",
                path.display(),
                entries.len() - readable
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("promboard index: {}: {error}", path.display());
            ExitCode::FAILURE
        }
    }
}

/// Writes a file only its owner can read (it holds credentials).
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file =
        std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)?;
    // `mode` applies only when the file is created: an existing file is narrowed before writing.
    file.set_permissions(<std::fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o600))?;
    file.write_all(text.as_bytes())
}

/// `promboard migrate [--to classic|v2|v2alpha1] FILE`.
fn migrate_command(arguments: &[String], registry: &Registry) -> ExitCode {
    let mut arguments = arguments.to_vec();
    let target = match arguments.iter().position(|a| a == "--to") {
        Some(at) if at + 1 < arguments.len() => {
            let target = arguments.remove(at + 1);
            arguments.remove(at);
            target
        }
        Some(_) => {
            eprintln!("promboard: --to needs classic, v2 or v2alpha1");
            return ExitCode::from(2);
        }
        None => "classic".to_string(),
    };
    let api_version = match target.as_str() {
        "classic" => None,
        "v2" | "v2beta1" => Some("dashboard.grafana.app/v2beta1"),
        "v2alpha1" => Some("dashboard.grafana.app/v2alpha1"),
        other => {
            eprintln!("promboard: --to {other}: expected classic, v2 or v2alpha1");
            return ExitCode::from(2);
        }
    };
    single_file_command(&arguments, |dashboard| {
        let (output, losses) = export::migrate_to(dashboard.raw(), api_version, registry);
        for loss in &losses {
            eprintln!("promboard: not carried over: {loss}");
        }
        Ok(serde_json::to_string_pretty(&Value::Object(output)).unwrap_or_default())
    })
}

fn single_file_command(
    arguments: &[String],
    render: impl Fn(&Dashboard) -> Result<String, String>,
) -> ExitCode {
    let [path] = arguments else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = std::fs::read_to_string(path)
        .map_err(|error| format!("{path}: {error}"))
        .and_then(|text| Dashboard::parse(path, &text).map_err(|error| error.to_string()))
        .and_then(|dashboard| render(&dashboard));
    match result {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("promboard: {message}");
            ExitCode::FAILURE
        }
    }
}

fn check_command(arguments: &[String], registry: &Registry) -> ExitCode {
    let as_json = arguments.iter().any(|a| a == "--json");
    let paths: Vec<&String> = arguments.iter().filter(|a| *a != "--json").collect();
    if paths.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let mut files = Vec::new();
    for path in paths {
        if let Err(message) = collect_json_files(Path::new(path), &mut files) {
            eprintln!("promboard: {message}");
            return ExitCode::FAILURE;
        }
    }
    let mut all_ok = true;
    for file in &files {
        let report = check_file(file, registry);
        all_ok &= report["ok"] == json!(true);
        if as_json {
            println!("{report}");
        } else {
            print_human(&report);
        }
    }
    if !as_json {
        println!(
            "{} dashboard(s) checked{}",
            files.len(),
            if all_ok { ", all parsed and lossless" } else { "; some failed" }
        );
    }
    if all_ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn collect_json_files(path: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let metadata = std::fs::metadata(path).map_err(|error| format!("{}: {error}", path.display()))?;
    if metadata.is_file() {
        files.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|error| format!("{}: {error}", path.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect_json_files(&entry, files)?;
        } else if entry.extension().is_some_and(|e| e == "json") {
            files.push(entry);
        }
    }
    Ok(())
}

/// The report for one file, as printed by `check --json`.
pub fn check_file(path: &Path, registry: &Registry) -> Value {
    let file = path.display().to_string();
    let failed = |error: String| {
        json!({"file": file, "ok": false, "roundtrip_lossless": false, "schema_version": null, "panels_total": 0,
               "panels_supported": 0, "panel_types": {}, "unsupported": [], "migration": [], "errors": [error]})
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => return failed(format!("{file}: {error}")),
    };
    check_text(&file, &text, registry).unwrap_or_else(failed)
}

pub fn check_text(file: &str, text: &str, registry: &Registry) -> Result<Value, String> {
    let dashboard = Dashboard::parse(file, text).map_err(|error| error.to_string())?;
    let lossless = round_trip_is_lossless(file, text).map_err(|error| error.to_string())?;
    // A v2 file is checked as its classic form, with what that form cannot carry.
    let classic = model::classic_document(dashboard.raw());
    let conversion: Vec<Value> = if v2::is_v2(dashboard.raw()) {
        v2::to_classic(dashboard.raw()).losses.into_iter().map(Value::from).collect()
    } else {
        Vec::new()
    };
    let upgraded = upgrade(&classic, registry);
    let view = DashboardView::from_upgraded(&upgraded.dashboard);
    let mut panel_types: BTreeMap<String, usize> = BTreeMap::new();
    let mut panels_total = 0;
    let mut panels_supported = 0;
    let mut count = |panel: &PanelView| {
        panels_total += 1;
        panels_supported += usize::from(panel_type_is_supported(&panel.type_name));
        *panel_types.entry(panel.type_name.clone()).or_default() += 1;
    };
    for panel in &view.panels {
        count(panel);
        panel.children.iter().for_each(&mut count);
    }
    let unsupported: Vec<Value> = unsupported_features(&view, &upgraded.dashboard)
        .into_iter()
        .map(|f| json!({"path": f.json_path, "what": f.what}))
        .collect();
    let migration: Vec<Value> =
        upgraded.report.iter().map(|note| json!({"path": note.json_path, "what": note.what})).collect();
    let notices: Vec<Value> =
        view.notices.iter().map(|n| json!(format!("{}: {}", n.json_path, n.message))).collect();
    Ok(json!({
        "file": file,
        "ok": lossless,
        "roundtrip_lossless": lossless,
        "schema_version": classic.get("schemaVersion").cloned().unwrap_or(Value::Null),
        "panels_total": panels_total,
        "panels_supported": panels_supported,
        "panel_types": panel_types,
        "unsupported": unsupported,
        "migration": migration,
        "conversion": conversion,
        "errors": notices,
    }))
}

fn print_human(report: &Value) {
    let mark = if report["ok"] == json!(true) { "ok  " } else { "FAIL" };
    println!(
        "{mark} {}: schemaVersion {}, {} panels ({} supported){}",
        report["file"].as_str().unwrap_or(""),
        report["schema_version"],
        report["panels_total"],
        report["panels_supported"],
        if report["roundtrip_lossless"] == json!(true) {
            ", lossless round trip"
        } else {
            ", round trip NOT lossless"
        }
    );
    for (key, label) in [("errors", "error"), ("unsupported", "unsupported"), ("migration", "migration")] {
        for item in report[key].as_array().into_iter().flatten() {
            match item {
                Value::String(text) => println!("     {label}: {text}"),
                other => println!(
                    "     {label}: {}: {}",
                    other["path"].as_str().unwrap_or(""),
                    other["what"].as_str().unwrap_or("")
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export;
    use crate::migrate::LATEST_SCHEMA_VERSION;

    #[test]
    fn check_and_migrate_read_all_three_formats() {
        let tabs = include_str!("../tests/fixtures/dashboards/v2/tabs.json");
        let report = check_text("tabs.json", tabs, &Registry::builtin()).expect("checked");
        assert_eq!(
            (report["ok"].as_bool(), report["panels_total"].as_u64()),
            (Some(true), Some(13)),
            "{report}"
        );
        assert_eq!(report["conversion"], json!([]));
        let raw: serde_json::Map<String, Value> = serde_json::from_str(tabs).unwrap();
        let (classic, losses) = export::migrate_to(&raw, None, &Registry::builtin());
        assert_eq!(classic["schemaVersion"], LATEST_SCHEMA_VERSION);
        assert!(losses.iter().any(|l| l.contains("3 tabs become rows")), "{losses:?}");
        assert!(losses.iter().any(|l| l.contains("conditional rendering is dropped")), "{losses:?}");
        let (v2, losses) =
            export::migrate_to(&classic, Some("dashboard.grafana.app/v2alpha1"), &Registry::builtin());
        assert!(losses.is_empty(), "{losses:?}");
        assert_eq!(v2["apiVersion"], "dashboard.grafana.app/v2alpha1");
        assert_eq!(v2["spec"]["layout"]["kind"], "RowsLayout");
        // A v2 file asked for as v2 is given back whole.
        assert_eq!(
            export::migrate_to(&raw, Some("dashboard.grafana.app/v2beta1"), &Registry::builtin()).0,
            raw
        );
    }

    #[test]
    fn the_datasources_option_is_taken_out_wherever_it_is() {
        let file = std::env::temp_dir().join(format!("promboard-cli-{}.yaml", std::process::id()));
        std::fs::write(&file, "datasources:\n  - name: Main\n    uid: main\n").unwrap();
        let path = file.display().to_string();
        let mut arguments: Vec<String> =
            ["migrate", "--datasources", &path, "d.json"].map(String::from).to_vec();
        let registry = datasources_option(&mut arguments).expect("read");
        assert_eq!(arguments, ["migrate", "d.json"]);
        assert_eq!(registry.default_datasource().uid, "main");
        let mut none: Vec<String> = vec!["check".into(), "x".into()];
        assert_eq!(datasources_option(&mut none).unwrap().default_datasource().uid, "prometheus");
        let mut missing: Vec<String> = vec!["check".into(), "--datasources".into()];
        assert_eq!(datasources_option(&mut missing).unwrap_err(), "--datasources needs a file");
        let mut absent: Vec<String> = vec!["--datasources".into(), "/nonexistent/ds.yaml".into()];
        assert!(datasources_option(&mut absent).unwrap_err().starts_with("/nonexistent/ds.yaml: "));
        std::fs::remove_file(file).ok();
    }
}
