//! Editing a dashboard document: changes as patches on the raw JSON, undo and redo, and drafts.
//!
//! Every edit, whatever made it (panel editor, layout, variables, settings, the JSON model), is a
//! whole new document; [`Session::commit`] keeps only the difference from the current one, as
//! [`Patch`]es on the smallest values that changed. So an export changes exactly the edited keys
//! (the rest keeps its order, values and JSON types), and undo restores a removed key at its old
//! place. Pure: the app stores drafts in the browser and renders the document.
//!
//! Must not interpret the dashboard beyond finding panels (that is [`crate::view`]) nor touch the
//! browser.

pub mod layout;
pub mod panel;
pub mod shape;

use crate::datasource::Registry;
use crate::migrate;
use crate::model;
use crate::model::LIST_IDENTITY_KEYS;
use crate::model::v2;
use serde_json::{Map, Value};

/// One step into a JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// One value that changed: absent before (`before: None`, an added key), absent after (a removed
/// key), or replaced. `position` is where a key sits in its object on the side where it exists
/// (before for a removal, after for an addition), so that undo and redo put it back in place.
#[derive(Debug, Clone, PartialEq)]
pub struct Patch {
    pub path: Vec<Step>,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub position: usize,
}

impl Patch {
    /// The path as a JSON pointer (`/panels/0/title`).
    pub fn pointer(&self) -> String {
        self.path
            .iter()
            .map(|step| match step {
                Step::Key(key) => format!("/{}", key.replace('~', "~0").replace('/', "~1")),
                Step::Index(index) => format!("/{index}"),
            })
            .collect()
    }
}

/// The patches that turn `before` into `after`, removals before additions in each object.
pub fn diff(before: &Map<String, Value>, after: &Map<String, Value>) -> Vec<Patch> {
    let mut patches = Vec::new();
    diff_objects(&mut Vec::new(), before, after, &mut patches);
    patches
}

fn diff_objects(
    path: &mut Vec<Step>,
    before: &Map<String, Value>,
    after: &Map<String, Value>,
    out: &mut Vec<Patch>,
) {
    let mut removals = Vec::new();
    for (position, (key, old)) in before.iter().enumerate() {
        path.push(Step::Key(key.clone()));
        match after.get(key) {
            Some(new) => diff_values(path, old, new, out),
            None => {
                removals.push(Patch { path: path.clone(), before: Some(old.clone()), after: None, position })
            }
        }
        path.pop();
    }
    // Last first: undo replays them in reverse, restoring each key where it was, front to back.
    out.extend(removals.into_iter().rev());
    for (position, (key, new)) in after.iter().enumerate() {
        if !before.contains_key(key) {
            path.push(Step::Key(key.clone()));
            out.push(Patch { path: path.clone(), before: None, after: Some(new.clone()), position });
            path.pop();
        }
    }
}

fn diff_values(path: &mut Vec<Step>, before: &Value, after: &Value, out: &mut Vec<Patch>) {
    if before == after {
        return;
    }
    match (before, after) {
        (Value::Object(old), Value::Object(new)) => diff_objects(path, old, new, out),
        (Value::Array(old), Value::Array(new)) if old.len() == new.len() && same_identities(old, new) => {
            for (index, (old, new)) in old.iter().zip(new).enumerate() {
                path.push(Step::Index(index));
                diff_values(path, old, new, out);
                path.pop();
            }
        }
        (Value::Array(old), Value::Array(new)) if diff_by_identity(path, old, new, out) => {}
        // A different type, a number that changed, an array that grew or shrank: replaced whole.
        _ => out.push(Patch {
            path: path.clone(),
            before: Some(before.clone()),
            after: Some(after.clone()),
            position: 0,
        }),
    }
}

/// What identifies an element of a list across edits: a panel's `id`, a query's `refId`, a
/// variable's `name`. `None` for elements without one (their list is compared by position).
fn identity(value: &Value) -> Option<String> {
    let object = value.as_object()?;
    LIST_IDENTITY_KEYS
        .iter()
        .find_map(|key| object.get(*key).filter(|v| !v.is_null()).map(|v| format!("{key}={v}")))
}

/// Whether two lists hold the same identities in the same order (or have none to compare).
fn same_identities(old: &[Value], new: &[Value]) -> bool {
    old.iter().zip(new).all(|(a, b)| identity(a) == identity(b))
}

/// A list whose elements all have distinct identities, changed by adding and removing elements
/// (the rest in the same order): patches that remove and insert just those, then the changes
/// inside the elements kept. Returns false (and adds nothing) when the list is not like that.
fn diff_by_identity(path: &mut Vec<Step>, old: &[Value], new: &[Value], out: &mut Vec<Patch>) -> bool {
    let ids = |list: &[Value]| list.iter().map(identity).collect::<Option<Vec<String>>>();
    let (Some(old_ids), Some(new_ids)) = (ids(old), ids(new)) else { return false };
    let distinct = |ids: &[String]| ids.iter().collect::<std::collections::HashSet<_>>().len() == ids.len();
    if !distinct(&old_ids) || !distinct(&new_ids) {
        return false;
    }
    // Index maps, not list scans: a dashboard may hold thousands of panels.
    let old_index: std::collections::HashMap<&String, usize> =
        old_ids.iter().enumerate().map(|(i, id)| (id, i)).collect();
    let new_index: std::collections::HashMap<&String, usize> =
        new_ids.iter().enumerate().map(|(i, id)| (id, i)).collect();
    let kept_old: Vec<&String> = old_ids.iter().filter(|id| new_index.contains_key(id)).collect();
    let kept_new: Vec<&String> = new_ids.iter().filter(|id| old_index.contains_key(id)).collect();
    if kept_old != kept_new {
        return false;
    }
    // Removals from the end, so that each index is still right when its patch applies.
    for (index, id) in old_ids.iter().enumerate().rev() {
        if !new_index.contains_key(id) {
            path.push(Step::Index(index));
            out.push(Patch {
                path: path.clone(),
                before: Some(old[index].clone()),
                after: None,
                position: index,
            });
            path.pop();
        }
    }
    for (index, id) in new_ids.iter().enumerate() {
        if !old_index.contains_key(id) {
            path.push(Step::Index(index));
            out.push(Patch {
                path: path.clone(),
                before: None,
                after: Some(new[index].clone()),
                position: index,
            });
            path.pop();
        }
    }
    for (index, id) in new_ids.iter().enumerate() {
        if let Some(&old_at) = old_index.get(id) {
            path.push(Step::Index(index));
            diff_values(path, &old[old_at], &new[index], out);
            path.pop();
        }
    }
    true
}

/// Applies patches forwards (`true`: to their `after`) or backwards (to their `before`, in
/// reverse order). Fails, leaving the document as it was, when a patch's path is not there.
pub fn apply(document: &mut Map<String, Value>, patches: &[Patch], forwards: bool) -> Result<(), String> {
    let mut changed = Value::Object(document.clone());
    let ordered: Box<dyn Iterator<Item = &Patch>> =
        if forwards { Box::new(patches.iter()) } else { Box::new(patches.iter().rev()) };
    for patch in ordered {
        let (target, source) =
            if forwards { (&patch.after, &patch.before) } else { (&patch.before, &patch.after) };
        apply_one(&mut changed, &patch.path, target.clone(), source.is_none(), patch.position)
            .map_err(|message| format!("{}: {message}", patch.pointer()))?;
    }
    if let Value::Object(map) = changed {
        *document = map;
    }
    Ok(())
}

/// Sets the value at `path` to `target` (`None`: removes it). `inserting`: it was absent, so a list
/// element is inserted (not replaced) and a key goes to the position its path ends in.
fn apply_one(
    root: &mut Value,
    path: &[Step],
    target: Option<Value>,
    inserting: bool,
    position: usize,
) -> Result<(), String> {
    let Some((last, parents)) = path.split_last() else {
        // The whole document (Discard's change).
        return match target {
            Some(value @ Value::Object(_)) => {
                *root = value;
                Ok(())
            }
            _ => Err("a document must be an object".into()),
        };
    };
    let mut node = root;
    for step in parents {
        node = match (step, node) {
            (Step::Key(key), Value::Object(map)) => {
                map.get_mut(key).ok_or_else(|| format!("no key {key:?}"))?
            }
            (Step::Index(index), Value::Array(items)) => {
                items.get_mut(*index).ok_or_else(|| format!("no index {index}"))?
            }
            _ => return Err("the path runs through a value of another type".into()),
        };
    }
    match (last, node, target) {
        (Step::Key(key), Value::Object(map), Some(value)) => {
            match map.get_mut(key) {
                Some(existing) => *existing = value,
                None => {
                    map.shift_insert(position.min(map.len()), key.clone(), value);
                }
            }
            Ok(())
        }
        (Step::Index(index), Value::Array(items), Some(value)) if inserting && *index <= items.len() => {
            items.insert(*index, value);
            Ok(())
        }
        (Step::Index(index), Value::Array(items), None) if *index < items.len() => {
            items.remove(*index);
            Ok(())
        }
        (Step::Key(key), Value::Object(map), None) => {
            map.shift_remove(key);
            Ok(())
        }
        (Step::Index(index), Value::Array(items), Some(value)) if *index < items.len() => {
            items[*index] = value;
            Ok(())
        }
        _ => Err("the patch does not fit the document".into()),
    }
}

/// Puts the keys of `edited` that `before` also has back in `before`'s order (new keys after
/// them), in every object both documents share. An editor that clears a field and fills it again
/// removes and re-adds its key; the file keeps its key where it was.
pub fn keep_key_order(before: &Map<String, Value>, edited: &mut Map<String, Value>) {
    // Most objects keep their keys as they were: nothing to reorder, and no list to build.
    let same_keys = edited.len() == before.len() && edited.keys().eq(before.keys());
    if !same_keys {
        reorder_keys(before, edited);
    }
    for (key, value) in edited.iter_mut() {
        if let Some(old) = before.get(key) {
            keep_value_order(old, value);
        }
    }
}

fn reorder_keys(before: &Map<String, Value>, edited: &mut Map<String, Value>) {
    let mut keys: Vec<String> = before.keys().filter(|k| edited.contains_key(*k)).cloned().collect();
    keys.extend(edited.keys().filter(|k| !before.contains_key(*k)).cloned());
    if !edited.keys().eq(keys.iter()) {
        let mut reordered = Map::new();
        for key in keys {
            if let Some(value) = edited.shift_remove(&key) {
                reordered.insert(key, value);
            }
        }
        *edited = reordered;
    }
}

fn keep_value_order(before: &Value, edited: &mut Value) {
    match (before, edited) {
        (Value::Object(old), Value::Object(new)) => keep_key_order(old, new),
        // Elements are paired exactly as `diff` pairs them: by position when the list keeps its
        // shape, by identity when elements came and went; otherwise the list is replaced whole.
        (Value::Array(old), Value::Array(new)) if old.len() == new.len() && same_identities(old, new) => {
            for (partner, element) in old.iter().zip(new.iter_mut()) {
                keep_value_order(partner, element);
            }
        }
        (Value::Array(old), Value::Array(new)) => {
            let distinct = |list: &[Value]| {
                let ids: Option<Vec<String>> = list.iter().map(identity).collect();
                ids.is_some_and(|ids| ids.iter().collect::<std::collections::HashSet<_>>().len() == ids.len())
            };
            if distinct(old) && distinct(new) {
                // By identity through a map: a dashboard may hold thousands of panels.
                let partners: std::collections::HashMap<String, &Value> =
                    old.iter().filter_map(|o| Some((identity(o)?, o))).collect();
                for element in new.iter_mut() {
                    if let Some(partner) = identity(element).and_then(|id| partners.get(&id)) {
                        keep_value_order(partner, element);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Whether two documents are the same, key order included (`Map`'s `==` ignores order).
pub fn identical(a: &Map<String, Value>, b: &Map<String, Value>) -> bool {
    fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => identical(x, y),
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
            }
            _ => a == b,
        }
    }
    a.len() == b.len() && a.iter().zip(b.iter()).all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
}

/// One undoable change: what it was, for the undo button's title, and its patches.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub label: String,
    pub patches: Vec<Patch>,
}

/// How many changes undo remembers.
pub const UNDO_LIMIT: usize = 200;

/// A dashboard being edited: the document it started from, the current one, and the changes
/// between them in order, for undo and redo.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub original: Map<String, Value>,
    pub current: Map<String, Value>,
    done: Vec<Change>,
    undone: Vec<Change>,
}

impl Session {
    pub fn new(original: Map<String, Value>) -> Session {
        Session { current: original.clone(), original, done: Vec::new(), undone: Vec::new() }
    }

    /// A session resumed from a draft: the original file, and the draft as the current document
    /// (one change from the original, so undo can go back to it).
    pub fn resumed(original: Map<String, Value>, draft: Map<String, Value>) -> Session {
        let mut session = Session::new(original);
        session.commit("Draft", draft);
        session
    }

    /// Makes `next` the current document, remembering the difference as one change. Returns
    /// whether anything changed (an edit that changes nothing is not an undo step).
    pub fn commit(&mut self, label: &str, mut next: Map<String, Value>) -> bool {
        keep_key_order(&self.current, &mut next);
        let patches = diff(&self.current, &next);
        if patches.is_empty() {
            return false;
        }
        self.current = next;
        self.done.push(Change { label: label.to_string(), patches });
        if self.done.len() > UNDO_LIMIT {
            self.done.remove(0);
        }
        self.undone.clear();
        true
    }

    /// Undoes the last change; returns its label.
    pub fn undo(&mut self) -> Option<String> {
        Self::replay(&mut self.current, &mut self.done, &mut self.undone, false)
    }

    /// Redoes the last undone change; returns its label.
    pub fn redo(&mut self) -> Option<String> {
        Self::replay(&mut self.current, &mut self.undone, &mut self.done, true)
    }

    /// Moves the last change of `from` to `to`, applying it backwards (undo) or forwards (redo).
    fn replay(
        current: &mut Map<String, Value>,
        from: &mut Vec<Change>,
        to: &mut Vec<Change>,
        forwards: bool,
    ) -> Option<String> {
        let change = from.pop()?;
        if apply(current, &change.patches, forwards).is_err() {
            // Cannot happen for patches made by `commit`; keep the history consistent if it does.
            from.clear();
            return None;
        }
        let label = change.label.clone();
        to.push(change);
        Some(label)
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.done.last().map(|c| c.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.undone.last().map(|c| c.label.as_str())
    }

    /// Whether the current document differs from the original, key order included (a key moved
    /// is a change to the file).
    pub fn is_modified(&self) -> bool {
        !identical(&self.current, &self.original)
    }

    /// Makes `saved` the original (the file was written with the current document): the
    /// session is unmodified when the two are identical; undo history is kept.
    pub fn rebase(&mut self, saved: Map<String, Value>) {
        self.original = saved;
    }

    /// Goes back to the original exactly; the discarded state stays one undo away.
    pub fn discard(&mut self) -> bool {
        if !self.is_modified() {
            return false;
        }
        let discarded = std::mem::replace(&mut self.current, self.original.clone());
        // Undo brings the discarded document back whole (key order included).
        let patches = vec![Patch {
            path: Vec::new(),
            before: Some(Value::Object(discarded)),
            after: Some(Value::Object(self.original.clone())),
            position: 0,
        }];
        self.done.push(Change { label: "Discard changes".into(), patches });
        self.undone.clear();
        true
    }
}

/// A draft as the browser stores it: which dashboard, where its original came from, when it was
/// saved, and the edited document.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub uid: String,
    pub source: String,
    pub saved_at_ms: i64,
    /// The [`fingerprint`] of the file the draft was made from; `None` in drafts stored before
    /// it was recorded. A draft belongs to that file: when the file has changed since, the draft
    /// is not applied to the new file silently.
    pub base: Option<String>,
    pub document: Map<String, Value>,
}

/// A short, stable fingerprint of a document (FNV-1a 64 of its compact JSON, key order included),
/// to tell whether a file is still the one a draft was made from.
pub fn fingerprint(document: &Map<String, Value>) -> String {
    let text = serde_json::to_string(document).unwrap_or_default();
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// Whether a draft may be resumed on `original`: it was made from this very file (or is too old
/// to say, from before drafts recorded their file).
pub fn draft_belongs_to(draft: &Draft, original: &Map<String, Value>) -> bool {
    draft.base.as_deref().is_none_or(|base| base == fingerprint(original))
}

/// An edit of a Grafana 12 resource's classic model (what [`editable`] gives) put back into the
/// resource: its apiVersion, kind and metadata stay, only `spec` changes — without the uid
/// `editable` took from `metadata.name`, unless the edit changed it. A schema v2 document gets
/// the edit written back into its own shapes ([`crate::model::v2::write_back`]: only what was
/// edited changes). A whole resource (the JSON model editor's) and classic documents are kept as
/// they are.
pub fn rewrap(before: &Map<String, Value>, edited: Map<String, Value>) -> Map<String, Value> {
    if v2::is_v2(before) {
        return v2::write_back(before, &edited);
    }
    let Some(Value::Object(old_spec)) = before.get("spec") else { return edited };
    if before.get("kind").and_then(Value::as_str) != Some("Dashboard") || edited.contains_key("spec") {
        return edited;
    }
    let mut spec = edited;
    let name = before.get("metadata").and_then(|m| m.get("name")).and_then(Value::as_str);
    let had_uid = old_spec.get("uid").and_then(Value::as_str).is_some_and(|u| !u.is_empty());
    if !had_uid && spec.get("uid").and_then(Value::as_str) == name {
        spec.shift_remove("uid");
    }
    let mut next = before.clone();
    next.insert("spec".into(), Value::Object(spec));
    next
}

/// Whether a document keeps its panels in `rows[]` (files before schema 16), which no editor
/// edits, Grafana's included.
pub fn is_legacy_rows(document: &Map<String, Value>) -> bool {
    migrate::schema_version(document) < 16 && document.get("rows").is_some_and(Value::is_array)
}

/// The document an edit starts from: the document itself, or for a `rows[]` file its upgrade to
/// the current schema — as Grafana upgrades on load and saves the upgraded form. So on such a
/// dashboard the first change writes the whole file in the current schema (export says so), and
/// panel ids, rows and positions are the ones the page shows.
pub fn editable(document: &Map<String, Value>, datasources: &Registry) -> Map<String, Value> {
    editable_cow(document, datasources).into_owned()
}

/// [`editable`] without a copy where the document is already in its editable form (the usual
/// case): edits read it and make their own changed copy.
pub fn editable_cow<'a>(
    document: &'a Map<String, Value>,
    datasources: &Registry,
) -> std::borrow::Cow<'a, Map<String, Value>> {
    // A Grafana 12 resource is edited as the classic model in its `spec` (as its panels show).
    let classic = model::classic_document(document);
    if is_legacy_rows(&classic) {
        std::borrow::Cow::Owned(migrate::upgrade(&classic, datasources).dashboard)
    } else {
        classic
    }
}

/// The storage key of a dashboard's draft.
pub fn draft_key(uid: &str) -> String {
    format!("{DRAFT_KEY_PREFIX}{uid}")
}

pub const DRAFT_KEY_PREFIX: &str = "promboard.draft.";

impl Draft {
    pub fn to_storage(&self) -> String {
        Draft::storage_text(&self.uid, &self.source, self.saved_at_ms, self.base.as_deref(), &self.document)
    }

    /// What [`Draft::to_storage`] writes, from the parts (the document is not copied).
    pub fn storage_text(
        uid: &str,
        source: &str,
        saved_at_ms: i64,
        base: Option<&str>,
        document: &Map<String, Value>,
    ) -> String {
        let mut record = Map::new();
        record.insert("version".into(), Value::from(1));
        record.insert("uid".into(), Value::from(uid));
        record.insert("source".into(), Value::from(source));
        record.insert("savedAt".into(), Value::from(saved_at_ms));
        if let Some(base) = base {
            record.insert("base".into(), Value::from(base));
        }
        // The document as text: stored and read back by the same serializer, key order intact.
        record.insert("dashboard".into(), Value::from(serde_json::to_string(document).unwrap_or_default()));
        serde_json::to_string(&Value::Object(record)).unwrap_or_default()
    }

    pub fn from_storage(text: &str) -> Result<Draft, String> {
        let record: Value = serde_json::from_str(text).map_err(|e| format!("unreadable draft: {e}"))?;
        let field = |key: &str| record.get(key).and_then(Value::as_str).map(str::to_string);
        let document_text = field("dashboard").ok_or("a draft without its dashboard")?;
        let document = match serde_json::from_str(&document_text)
            .map_err(|e| format!("unreadable draft dashboard: {e}"))?
        {
            Value::Object(map) => map,
            _ => return Err("a draft whose dashboard is not an object".into()),
        };
        Ok(Draft {
            uid: field("uid").unwrap_or_default(),
            source: field("source").unwrap_or_default(),
            saved_at_ms: record.get("savedAt").and_then(Value::as_i64).unwrap_or(0),
            base: field("base"),
            document,
        })
    }
}

/// A change as a person reads it: the JSON pointer, and the value before and after (`None`:
/// absent), each as compact JSON.
pub fn describe(patches: &[Patch]) -> Vec<(String, Option<String>, Option<String>)> {
    let text = |value: &Option<Value>| value.as_ref().map(|v| serde_json::to_string(v).unwrap_or_default());
    patches.iter().map(|p| (p.pointer(), text(&p.before), text(&p.after))).collect()
}

#[cfg(test)]
mod tests;
