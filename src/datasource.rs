//! The datasources promboard knows and their references, as Grafana writes them in dashboards
//! (`{"type": …, "uid": …}`). Pure: it owns the names, uids and types of the configured datasources
//! and of Grafana's built-in pseudo-datasources; it must not do I/O.
//!
//! Today there is one configured datasource, the Prometheus behind the app's `/api/v1/` proxy; it is
//! the default. Migrations and exports name it through this module so that a datasource registry can
//! replace the constant without touching them.

use serde_json::{Value, json};

/// The default datasource's name, as Grafana users see it in pickers and `__inputs` labels.
pub const DEFAULT_NAME: &str = "Prometheus";
/// The default datasource's uid in references promboard writes.
pub const DEFAULT_UID: &str = "prometheus";
/// Its plugin type.
pub const PROMETHEUS_TYPE: &str = "prometheus";

/// Grafana's built-in pseudo-datasources: name → uid (their type is `datasource`).
const BUILT_IN: &[(&str, &str)] =
    &[("-- Grafana --", "grafana"), ("-- Mixed --", "-- Mixed --"), ("-- Dashboard --", "-- Dashboard --")];

/// The reference to the default datasource.
pub fn default_reference() -> Value {
    json!({"type": PROMETHEUS_TYPE, "uid": DEFAULT_UID})
}

/// The reference for a datasource name, as Grafana's datasource service resolves names: `default` and
/// the default's name or uid give the default, a built-in name gives its reference; `None` for a name
/// no datasource has.
pub fn reference_by_name(name: &str) -> Option<Value> {
    if name == "default" || name == DEFAULT_NAME || name == DEFAULT_UID {
        return Some(default_reference());
    }
    BUILT_IN
        .iter()
        .find(|(built_in, uid)| *built_in == name || *uid == name)
        .map(|(_, uid)| json!({"type": "datasource", "uid": uid}))
}

/// The display name of the datasource a uid refers to; the uid itself when unknown.
pub fn name_for_uid(uid: &str) -> &str {
    if uid == DEFAULT_UID {
        return DEFAULT_NAME;
    }
    BUILT_IN.iter().find(|(_, built_in)| *built_in == uid).map_or(uid, |(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_like_grafanas_datasource_service() {
        assert_eq!(reference_by_name("default"), Some(default_reference()));
        assert_eq!(reference_by_name("Prometheus"), Some(default_reference()));
        assert_eq!(reference_by_name("-- Grafana --"), Some(json!({"type": "datasource", "uid": "grafana"})));
        assert_eq!(
            reference_by_name("-- Mixed --"),
            Some(json!({"type": "datasource", "uid": "-- Mixed --"}))
        );
        assert_eq!(reference_by_name("Thanos"), None);
        assert_eq!(name_for_uid("prometheus"), "Prometheus");
        assert_eq!(name_for_uid("grafana"), "-- Grafana --");
        assert_eq!(name_for_uid("abc"), "abc");
    }
}
