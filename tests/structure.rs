//! The shape of `src/`, checked from its imports so that ARCHITECTURE.md's invariants stay true:
//!
//! - every top-level module sits in one layer of [`LAYERS`], and depends only on lower layers (so
//!   the data flows one way and there are no import cycles between modules);
//! - inside a module folder, files do not import each other in a cycle;
//! - no source file is longer than [`MAX_LINES`] lines (tests excluded).
//!
//! Imports are read as written: `crate::a::…` paths anywhere (in `use` blocks or inline) and grouped
//! `use crate::{a, b::…}`; `super::x` inside a folder names the sibling file `x`. Comments and
//! `#[cfg(test)] mod … { … }` blocks are skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The core's layers, lowest first: a module may use modules of lower layers only. The order is
/// ARCHITECTURE.md's data flow.
const LAYERS: &[&[&str]] = &[
    // Below everything: one compiled sort for the whole crate.
    &["sorting"],
    // Leaves: parsing and tables that depend on nothing of ours.
    &[
        "model",
        "json",
        "jsregex",
        "yaml",
        "safe_url",
        "time",
        "interval",
        "reducers",
        "panel_types",
        "route",
        "import",
    ],
    // Datasources and provisioned files.
    &["datasource", "provisioning", "operations", "explore"],
    &["datasource_secrets", "migrate"],
    // The normalised view and what reads it.
    &["variables"],
    &["view"],
    &["query", "support", "edit"],
    // The only network I/O (its wire types are pure).
    &["prom"],
    // From answers to pixels.
    &["field"],
    &["data", "annotations", "chart"],
    &["draw", "panels"],
    // Writing files back, and the two front ends.
    &["export", "save"],
    &["cli", "app"],
];
/// Files that are the crate's roots, not modules.
const ROOTS: &[&str] = &["lib", "main"];
const MAX_LINES: usize = 700;

struct SourceFile {
    /// Path below `src/`, with `/`.
    relative: String,
    /// Code without comments and test modules.
    code: String,
}

fn source_files(dir: &Path, root: &Path, out: &mut Vec<SourceFile>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            source_files(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).expect("below src").to_string_lossy().replace('\\', "/");
            let is_test = relative.ends_with("tests.rs") || relative.contains("/tests/");
            if is_test {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source is UTF-8");
            out.push(SourceFile { relative, code: without_comments_and_tests(&text) });
        }
    }
}

/// Drops `//` comments (outside string literals) and `#[cfg(test)] mod name { … }` blocks.
fn without_comments_and_tests(text: &str) -> String {
    let mut code = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_string = false;
        let mut previous = '\0';
        let mut cut = line.len();
        for (index, c) in line.char_indices() {
            match c {
                '"' if previous != '\\' => in_string = !in_string,
                '/' if !in_string && previous == '/' => {
                    cut = index - 1;
                    break;
                }
                _ => {}
            }
            previous = if previous == '\\' && c == '\\' { '\0' } else { c };
        }
        code.push_str(&line[..cut]);
        code.push('\n');
    }
    let mut out = String::with_capacity(code.len());
    let mut rest = code.as_str();
    while let Some(start) = rest.find("#[cfg(test)]") {
        let after = rest[start + "#[cfg(test)]".len()..].trim_start();
        if let Some(module) = after.strip_prefix("mod ")
            && let Some(open) = module.find(['{', ';'])
            && module.as_bytes()[open] == b'{'
        {
            out.push_str(&rest[..start]);
            let body_start = rest.len() - module.len() + open + 1;
            let mut depth = 1;
            let mut end = body_start;
            for (offset, c) in rest[body_start..].char_indices() {
                depth += match c {
                    '{' => 1,
                    '}' => -1,
                    _ => 0,
                };
                if depth == 0 {
                    end = body_start + offset + 1;
                    break;
                }
            }
            rest = &rest[end.max(body_start)..];
        } else {
            out.push_str(&rest[..start + 1]);
            rest = &rest[start + 1..];
        }
    }
    out.push_str(rest);
    out
}

fn identifier_at(text: &str) -> &str {
    let end = text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(text.len());
    &text[..end]
}

/// `(first, second)` segments of every `crate::first::second` path, grouped `use crate::{…}` included.
fn crate_paths(code: &str) -> BTreeSet<(String, String)> {
    let mut paths = BTreeSet::new();
    let segments_after = |text: &str| {
        let first = identifier_at(text).to_string();
        let second = text[first.len()..].strip_prefix("::").map(identifier_at).unwrap_or("").to_string();
        (first, second)
    };
    for (index, _) in code.match_indices("crate::") {
        let before = code[..index].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let after = &code[index + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let group = &group[..group.find("};").unwrap_or(group.len())];
            let mut depth = 0;
            let mut item_start = 0;
            for (offset, c) in group.char_indices().chain(std::iter::once((group.len(), ','))) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        paths.insert(segments_after(group[item_start..offset].trim()));
                        item_start = offset + 1;
                    }
                    _ => {}
                }
            }
        } else {
            paths.insert(segments_after(after));
        }
    }
    paths.retain(|(first, _)| !first.is_empty());
    paths
}

fn top_module(relative: &str) -> &str {
    let first = relative.split('/').next().unwrap_or(relative);
    first.strip_suffix(".rs").unwrap_or(first)
}

/// A file's module path: `app/panel/mod.rs` → `app::panel`.
fn file_module(relative: &str) -> String {
    let path = relative.strip_suffix(".rs").unwrap_or(relative);
    path.strip_suffix("/mod").unwrap_or(path).replace('/', "::")
}

fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Kosaraju: components of more than one node are cycles.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        seen: &mut BTreeSet<String>,
        order: &mut Vec<String>,
    ) {
        if !seen.insert(node.to_string()) {
            return;
        }
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, seen, order);
        }
        order.push(node.to_string());
    }
    let mut reversed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in graph {
        for to in tos {
            reversed.entry(to.clone()).or_default().insert(from.clone());
        }
    }
    let (mut seen, mut order) = (BTreeSet::new(), Vec::new());
    for node in graph.keys() {
        visit(node, graph, &mut seen, &mut order);
    }
    let mut assigned = BTreeSet::new();
    let mut found = Vec::new();
    for node in order.iter().rev() {
        let mut component = Vec::new();
        visit(node, &reversed, &mut assigned, &mut component);
        if component.len() > 1 {
            component.sort();
            found.push(component);
        }
    }
    found
}

fn read_src() -> Vec<SourceFile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&root, &root, &mut files);
    assert!(files.len() > 20, "found only {} source files under {}", files.len(), root.display());
    files
}

#[test]
fn modules_depend_only_on_lower_layers() {
    let files = read_src();
    let layer_of = |module: &str| LAYERS.iter().position(|layer| layer.contains(&module));
    let modules: BTreeSet<&str> = files.iter().map(|f| top_module(&f.relative)).collect();
    let mut problems = Vec::new();
    for module in &modules {
        if !ROOTS.contains(module) && layer_of(module).is_none() {
            problems.push(format!(
                "module {module} is in no layer: add it to LAYERS here and to ARCHITECTURE.md"
            ));
        }
    }
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let from = top_module(&file.relative);
        if ROOTS.contains(&from) {
            continue;
        }
        for (to, _) in crate_paths(&file.code) {
            if to == from || !modules.contains(to.as_str()) {
                continue;
            }
            graph.entry(from.to_string()).or_default().insert(to.clone());
            if let (Some(from_layer), Some(to_layer)) = (layer_of(from), layer_of(&to))
                && to_layer >= from_layer
            {
                problems.push(format!(
                    "{} uses crate::{to}, but {to} (layer {to_layer}) is not below {from} (layer {from_layer})",
                    file.relative
                ));
            }
        }
    }
    for cycle in cycles(&graph) {
        problems.push(format!("module cycle: {}", cycle.join(" → ")));
    }
    problems.dedup();
    assert!(problems.is_empty(), "{} layering problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn files_inside_a_module_do_not_import_each_other_in_a_cycle() {
    let files = read_src();
    let known: BTreeSet<String> = files.iter().map(|f| file_module(&f.relative)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let from = file_module(&file.relative);
        let own_top = top_module(&file.relative);
        let mut targets = BTreeSet::new();
        for (first, second) in crate_paths(&file.code) {
            if first == own_top && !second.is_empty() {
                targets.insert(format!("{first}::{second}"));
            }
        }
        // `super::x` from `a/b.rs` (module a::b) or from `a/b/mod.rs` (module a::b) names a::x or a::b::x.
        let parent = {
            let folder = file.relative.rsplit_once('/').map_or("", |(folder, _)| folder).replace('/', "::");
            if file.relative.ends_with("/mod.rs") {
                folder.rsplit_once("::").map_or(String::new(), |(p, _)| p.to_string())
            } else {
                folder
            }
        };
        for (index, _) in file.code.match_indices("super::") {
            let name = identifier_at(&file.code[index + "super::".len()..]);
            if !parent.is_empty() && !name.is_empty() {
                targets.insert(format!("{parent}::{name}"));
            }
        }
        for target in targets {
            if known.contains(&target) && target != from {
                graph.entry(from.clone()).or_default().insert(target);
            }
        }
    }
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "file cycles:\n{}",
        found.iter().map(|c| c.join(" → ")).collect::<Vec<_>>().join("\n")
    );
}

/// Code lines (outside `use` declarations) that name a `crate::` path: each module's
/// dependencies are read from its `use` block, so none hides in a function body.
fn inline_crate_paths(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_use = false;
    for line in code.lines() {
        let trimmed = line.trim_start();
        let starts_use =
            ["use ", "pub use ", "pub(crate) use ", "pub(super) use "].iter().any(|p| trimmed.starts_with(p));
        if starts_use || in_use {
            in_use = !line.trim_end().ends_with(';');
            continue;
        }
        let named = line
            .match_indices("crate::")
            .any(|(at, _)| !line[..at].ends_with('$') && !line[..at].ends_with(':'));
        if named && line[..line.find("crate::").unwrap_or(0)].matches('"').count() % 2 == 0 {
            found.push(line.trim().to_string());
        }
    }
    found
}

#[test]
fn crate_paths_are_written_in_use_declarations() {
    let inline: Vec<String> = read_src()
        .iter()
        .flat_map(|file| {
            inline_crate_paths(&file.code)
                .into_iter()
                .map(move |line| format!("src/{}: {line}", file.relative))
        })
        .collect();
    assert!(
        inline.is_empty(),
        "crate paths written inline; import them in the file's `use` block:\n{}",
        inline.join("\n")
    );
    assert_eq!(
        inline_crate_paths(
            "use crate::a::{\n    b::C,\n    d,\n};\nfn f() { crate::x::y(); }\nmacro_rules! m { () => { $crate::z } }\nlet s = \"crate::q\";"
        ),
        ["fn f() { crate::x::y(); }"]
    );
}

#[test]
fn no_source_file_is_longer_than_the_limit() {
    let long: Vec<String> = read_src()
        .iter()
        .map(|file| (file.relative.as_str(), file.code.lines().count()))
        .filter(|(_, lines)| *lines > MAX_LINES)
        .map(|(path, lines)| format!("src/{path}: {lines} lines (tests excluded)"))
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines; split them by responsibility:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_import_reader_sees_what_it_must() {
    // The checks above are only as good as this reader: it must find inline, nested and grouped
    // paths, and ignore comments and test modules.
    let code = without_comments_and_tests(
        "use crate::{a::B, c, d::{e, f}};\nfn g() { crate::h::i(); } // crate::j\n\
         #[cfg(test)]\nmod tests { use crate::k; }\nlet s = \"// not a comment\"; crate::l::m;\n",
    );
    let firsts: Vec<String> = crate_paths(&code).into_iter().map(|(first, _)| first).collect();
    assert_eq!(firsts, ["a", "c", "d", "h", "l"]);
    let mut graph = BTreeMap::new();
    graph.insert("x".to_string(), BTreeSet::from(["y".to_string()]));
    graph.insert("y".to_string(), BTreeSet::from(["z".to_string()]));
    assert!(cycles(&graph).is_empty());
    graph.insert("z".to_string(), BTreeSet::from(["x".to_string()]));
    assert_eq!(cycles(&graph), vec![vec!["x".to_string(), "y".to_string(), "z".to_string()]]);
}
