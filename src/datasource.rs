//! The datasources promboard knows and their references, as Grafana writes them in dashboards
//! (`{"type": …, "uid": …}`). Pure: it owns the registry read from Grafana's provisioning format
//! (`datasources.yaml`), the default datasource, Grafana's built-in pseudo-datasources and how a
//! panel's or query's reference resolves; it must not do I/O and holds no global: every function
//! that resolves a reference is given the registry (the app fetches the file and keeps the
//! registry in force; the CLI reads `--datasources`).
//!
//! Without a provisioning file there is one datasource, the Prometheus behind the app's own
//! `/api/v1/` proxy; it is the default. A datasource's `url` is where its Prometheus API lives as the
//! browser sees it — a same-origin path such as `/mimir/prometheus` that nginx proxies (Mimir,
//! Cortex, Thanos, VictoriaMetrics' `/select/0/prometheus`), the part before `/api/v1/…`.

use crate::yaml;
use crate::yaml::YamlError;
use serde_json::{Value, json};

/// The built-in default datasource's name, as Grafana users see it in pickers and `__inputs`.
pub const DEFAULT_NAME: &str = "Prometheus";
/// The built-in default datasource's uid.
pub const DEFAULT_UID: &str = "prometheus";
/// The plugin type promboard queries.
pub const PROMETHEUS_TYPE: &str = "prometheus";
/// The uid of Grafana's Mixed pseudo-datasource: each query names its own.
pub const MIXED_UID: &str = "-- Mixed --";

/// Grafana's built-in pseudo-datasources: name → uid (their type is `datasource`).
const BUILT_IN: &[(&str, &str)] =
    &[("-- Grafana --", "grafana"), (MIXED_UID, MIXED_UID), ("-- Dashboard --", "-- Dashboard --")];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Datasource {
    pub name: String,
    pub uid: String,
    pub type_name: String,
    /// The API's base as the browser reaches it, without a trailing `/` (`""`: the app's origin).
    pub url: String,
    pub is_default: bool,
    /// `jsonData.timeInterval`: the scrape interval Grafana assumes for `$__rate_interval`.
    pub time_interval: Option<String>,
    /// `jsonData.httpMethod`, POST unless GET is asked for (as Grafana since 8).
    pub http_method: HttpMethod,
    /// `jsonData.customQueryParameters`, appended to every query (`dedup=false&…`).
    pub custom_query_parameters: String,
    /// `jsonData.httpHeaderNameN` with `secureJsonData.httpHeaderValueN` (`X-Scope-OrgID`, …).
    pub headers: Vec<(String, String)>,
}

impl Datasource {
    /// The reference a dashboard writes for it.
    pub fn reference(&self) -> Value {
        json!({"type": self.type_name, "uid": self.uid})
    }

    /// Whether promboard can query it: it speaks Prometheus's HTTP API and PromQL.
    pub fn is_prometheus(&self) -> bool {
        speaks_promql(&self.type_name)
    }
}

/// The datasource type of an Alertmanager, whose alerts the alerts view shows.
pub const ALERTMANAGER_TYPE: &str = "alertmanager";

/// Datasource plugin types that speak Prometheus's HTTP API and PromQL: Prometheus itself (also
/// what Thanos, Mimir and Cortex are provisioned as), Amazon's and Azure's managed Prometheus,
/// and VictoriaMetrics' plugins.
const PROMQL_TYPES: &[&str] = &[
    PROMETHEUS_TYPE,
    "grafana-amazonprometheus-datasource",
    "grafana-azureprometheus-datasource",
    "victoriametrics-datasource",
    "victoriametrics-metrics-datasource",
];

pub fn speaks_promql(type_name: &str) -> bool {
    PROMQL_TYPES.contains(&type_name)
}

/// The plugin type a reference names (`{"type": "loki", …}`) when it is a real datasource type
/// (not Grafana's `datasource` pseudo-type, not an unfilled `${…}`).
pub fn referenced_type(reference: &Value) -> Option<&str> {
    let type_name = reference.get("type")?.as_str()?;
    (!type_name.is_empty() && type_name != "datasource" && !type_name.contains('$')).then_some(type_name)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProvisioningError {
    #[error("datasources.yaml: {0}")]
    Yaml(#[from] YamlError),
    #[error("datasources.yaml: {path}: {message}")]
    Shape { path: String, message: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Registry {
    datasources: Vec<Datasource>,
}

impl Default for Registry {
    fn default() -> Registry {
        Registry::builtin()
    }
}

impl Registry {
    /// The one Prometheus behind the app's own `/api/v1/` proxy.
    pub fn builtin() -> Registry {
        Registry {
            datasources: vec![Datasource {
                name: DEFAULT_NAME.into(),
                uid: DEFAULT_UID.into(),
                type_name: PROMETHEUS_TYPE.into(),
                url: String::new(),
                is_default: true,
                time_interval: None,
                http_method: HttpMethod::Post,
                custom_query_parameters: String::new(),
                headers: Vec::new(),
            }],
        }
    }

    /// Reads Grafana's provisioning file. Datasources of other types are kept (so that panels
    /// naming them say what they are) but never queried; an empty list gives the built-in one.
    pub fn from_provisioning(text: &str) -> Result<Registry, ProvisioningError> {
        let document = yaml::parse(text)?;
        let shape =
            |path: String, message: &str| ProvisioningError::Shape { path, message: message.to_string() };
        let list = match document.get("datasources") {
            None | Some(Value::Null) => return Ok(Registry::builtin()),
            Some(Value::Array(list)) => list,
            Some(_) => return Err(shape("datasources".into(), "expected a list")),
        };
        let mut datasources: Vec<Datasource> = Vec::new();
        for (index, entry) in list.iter().enumerate() {
            let path = format!("datasources[{index}]");
            let Some(entry) = entry.as_object() else { return Err(shape(path, "expected a mapping")) };
            let text = |key: &str| match entry.get(key) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            let name = text("name");
            if name.is_empty() {
                return Err(shape(format!("{path}.name"), "every datasource needs a name"));
            }
            let json_data = entry.get("jsonData").and_then(Value::as_object);
            let secure = entry.get("secureJsonData").and_then(Value::as_object);
            let json_text =
                |key: &str| json_data.and_then(|d| d.get(key)).and_then(Value::as_str).map(str::to_string);
            let mut headers = Vec::new();
            for n in 1.. {
                let Some(header) = json_text(&format!("httpHeaderName{n}")) else { break };
                let value = secure
                    .and_then(|s| s.get(&format!("httpHeaderValue{n}")))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                headers.push((header, value));
            }
            let uid = match text("uid") {
                // Grafana derives a uid when the file gives none; the name is stable and readable.
                uid if uid.is_empty() => name.clone(),
                uid => uid,
            };
            if datasources.iter().any(|d| d.uid == uid || d.name == name) {
                return Err(shape(path, &format!("a second datasource named {name:?} or with uid {uid:?}")));
            }
            let type_name = match text("type") {
                t if t.is_empty() => PROMETHEUS_TYPE.to_string(),
                t => t,
            };
            let mut url = text("url").trim_end_matches('/').to_string();
            // An Alertmanager's API is under `/alertmanager` unless it is Prometheus's own
            // Alertmanager (`jsonData.implementation`, `cortex` when unset — Mimir and Cortex
            // serve it there), as Grafana asks it.
            if type_name == ALERTMANAGER_TYPE && json_text("implementation").as_deref() != Some("prometheus")
            {
                url.push_str("/alertmanager");
            }
            datasources.push(Datasource {
                name,
                uid,
                type_name,
                url,
                is_default: entry.get("isDefault") == Some(&Value::Bool(true)),
                time_interval: json_text("timeInterval").filter(|t| !t.is_empty()),
                http_method: match json_text("httpMethod").as_deref().map(str::to_ascii_uppercase).as_deref()
                {
                    Some("GET") => HttpMethod::Get,
                    _ => HttpMethod::Post,
                },
                custom_query_parameters: json_text("customQueryParameters")
                    .unwrap_or_default()
                    .trim_start_matches(['?', '&'])
                    .to_string(),
                headers,
            });
        }
        if datasources.iter().filter(|d| d.is_default).count() > 1 {
            return Err(shape("datasources".into(), "more than one datasource has isDefault: true"));
        }
        if datasources.is_empty() {
            return Ok(Registry::builtin());
        }
        Ok(Registry { datasources })
    }

    pub fn datasources(&self) -> &[Datasource] {
        &self.datasources
    }

    /// The one marked `isDefault`, else the first Prometheus, else the first.
    pub fn default_datasource(&self) -> &Datasource {
        self.datasources
            .iter()
            .find(|d| d.is_default)
            .or_else(|| self.datasources.iter().find(|d| d.is_prometheus()))
            .unwrap_or(&self.datasources[0])
    }

    /// A datasource by uid, else by name (Grafana resolves both; variables hold names).
    pub fn find(&self, uid_or_name: &str) -> Option<&Datasource> {
        self.datasources
            .iter()
            .find(|d| d.uid == uid_or_name)
            .or_else(|| self.datasources.iter().find(|d| d.name == uid_or_name))
    }

    /// The datasource a reference names — an object's `uid`, a name string (schema < 33), `null`
    /// or `default` for the default — after `interpolate` replaced variables (`${ds}`). A
    /// reference to no known datasource resolves to the default, with a note saying so, where
    /// Grafana would show the panel as broken.
    pub fn resolve(&self, reference: Option<&Value>, interpolate: &dyn Fn(&str) -> String) -> Resolved<'_> {
        let key = match reference {
            None | Some(Value::Null) => None,
            Some(Value::String(name)) => Some(name.clone()),
            Some(Value::Object(object)) => object.get("uid").and_then(Value::as_str).map(str::to_string),
            Some(_) => None,
        };
        let Some(key) = key.map(|k| interpolate(&k)).filter(|k| !k.is_empty() && k != "default") else {
            return Resolved { datasource: self.default_datasource(), note: None };
        };
        match self.find(&key) {
            Some(datasource) => Resolved { datasource, note: None },
            None => Resolved {
                datasource: self.default_datasource(),
                note: Some(format!(
                    "datasource {key:?} is not configured; using the default datasource {:?}",
                    self.default_datasource().name
                )),
            },
        }
    }
}

/// What a reference resolved to.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved<'a> {
    pub datasource: &'a Datasource,
    /// Set when the reference named no configured datasource and the default stood in.
    pub note: Option<String>,
}

/// Whether a reference is Grafana's Mixed pseudo-datasource.
pub fn is_mixed(reference: Option<&Value>) -> bool {
    match reference {
        Some(Value::String(name)) => name == MIXED_UID,
        Some(Value::Object(object)) => object.get("uid").and_then(Value::as_str) == Some(MIXED_UID),
        _ => false,
    }
}

impl Registry {
    /// The reference for a datasource name, as Grafana's datasource service resolves names:
    /// `default` gives the default, a configured name or uid its datasource, a built-in name its
    /// reference; `None` for a name no datasource has.
    pub fn reference_by_name(&self, name: &str) -> Option<Value> {
        if name == "default" {
            return Some(self.default_datasource().reference());
        }
        if let Some(datasource) = self.find(name) {
            return Some(datasource.reference());
        }
        BUILT_IN
            .iter()
            .find(|(built_in, uid)| *built_in == name || *uid == name)
            .map(|(_, uid)| json!({"type": "datasource", "uid": uid}))
    }

    /// The display name of the datasource a uid refers to; the uid itself when unknown.
    pub fn name_for_uid(&self, uid: &str) -> String {
        if let Some(datasource) = self.find(uid) {
            return datasource.name.clone();
        }
        BUILT_IN.iter().find(|(_, built_in)| *built_in == uid).map_or(uid, |(name, _)| name).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROVISIONED: &str = r#"
apiVersion: 1
datasources:
  - name: Main
    uid: main
    type: prometheus
    url: /
    jsonData: {timeInterval: 30s}
  - name: Tenant A
    type: prometheus
    url: /tenant-a/prometheus/
    isDefault: true
    jsonData:
      httpMethod: GET
      customQueryParameters: "?dedup=false"
      httpHeaderName1: X-Scope-OrgID
    secureJsonData:
      httpHeaderValue1: tenant-a
  - name: Logs
    type: loki
    url: /loki
"#;

    #[test]
    fn names_resolve_like_grafanas_datasource_service() {
        let registry = Registry::builtin();
        let reference_by_name = |name: &str| registry.reference_by_name(name);
        let name_for_uid = |uid: &str| registry.name_for_uid(uid);
        assert_eq!(reference_by_name("default"), Some(registry.default_datasource().reference()));
        assert_eq!(reference_by_name("Prometheus"), Some(json!({"type": "prometheus", "uid": "prometheus"})));
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

    #[test]
    fn provisioning_reads_urls_methods_parameters_and_headers() {
        let registry = Registry::from_provisioning(PROVISIONED).expect("reads");
        let main = registry.find("main").expect("by uid");
        assert_eq!((main.url.as_str(), main.time_interval.as_deref()), ("", Some("30s")));
        assert_eq!(main.http_method, HttpMethod::Post);
        let tenant = registry.find("Tenant A").expect("by name; its uid is its name");
        assert_eq!(tenant.uid, "Tenant A");
        assert_eq!(tenant.url, "/tenant-a/prometheus");
        assert_eq!(tenant.http_method, HttpMethod::Get);
        assert_eq!(tenant.custom_query_parameters, "dedup=false");
        assert_eq!(tenant.headers, vec![("X-Scope-OrgID".to_string(), "tenant-a".to_string())]);
        assert_eq!(registry.default_datasource().name, "Tenant A");
        assert!(!registry.find("Logs").expect("kept").is_prometheus());
    }

    #[test]
    fn references_resolve_by_uid_name_variable_and_fall_back_to_the_default() {
        let registry = Registry::from_provisioning(PROVISIONED).expect("reads");
        let none = |text: &str| text.to_string();
        let name = |value: Option<Value>| registry.resolve(value.as_ref(), &none).datasource.name.clone();
        assert_eq!(name(None), "Tenant A");
        assert_eq!(name(Some(Value::Null)), "Tenant A");
        assert_eq!(name(Some(json!("default"))), "Tenant A");
        assert_eq!(name(Some(json!({"type": "prometheus", "uid": "main"}))), "Main");
        assert_eq!(name(Some(json!("Main"))), "Main");
        let variables = |text: &str| text.replace("${ds}", "main");
        assert_eq!(registry.resolve(Some(&json!({"uid": "${ds}"})), &variables).datasource.uid, "main");
        let unknown = registry.resolve(Some(&json!({"uid": "P1809F7CD0C75ACF3"})), &none);
        assert_eq!(unknown.datasource.name, "Tenant A");
        assert!(unknown.note.expect("noted").contains("P1809F7CD0C75ACF3"));
        assert!(is_mixed(Some(&json!({"type": "datasource", "uid": "-- Mixed --"}))));
        assert!(is_mixed(Some(&json!("-- Mixed --"))));
    }

    #[test]
    fn an_alertmanagers_api_is_where_its_implementation_serves_it() {
        let file = "datasources:\n  - {name: Prometheus AM, type: alertmanager, url: /am/, jsonData: {implementation: prometheus}}\n  - {name: Mimir AM, type: alertmanager, url: /mimir, jsonData: {implementation: mimir}}\n  - {name: Cortex AM, type: alertmanager, url: /cortex}\n";
        let registry = Registry::from_provisioning(file).unwrap();
        let urls: Vec<&str> = registry.datasources().iter().map(|d| d.url.as_str()).collect();
        assert_eq!(urls, ["/am", "/mimir/alertmanager", "/cortex/alertmanager"]);
    }

    #[test]
    fn bad_provisioning_names_the_place() {
        let error = Registry::from_provisioning("datasources:\n  - type: prometheus\n").unwrap_err();
        assert_eq!(error.to_string(), "datasources.yaml: datasources[0].name: every datasource needs a name");
        let error = Registry::from_provisioning("datasources:\n  - name: a\n    url: &x b\n").unwrap_err();
        assert!(error.to_string().starts_with("datasources.yaml: line 3:"), "{error}");
        let error = Registry::from_provisioning(
            "datasources:\n  - name: a\n    isDefault: true\n  - name: b\n    isDefault: true\n",
        )
        .unwrap_err();
        assert!(error.to_string().contains("more than one"), "{error}");
        assert_eq!(Registry::from_provisioning("apiVersion: 1\n").unwrap(), Registry::builtin());
    }
}
