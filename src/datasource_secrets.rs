//! Grafana's `datasources.yaml`, kept from the browser: what in it is a secret, and the file split
//! into what each side needs — nginx locations that proxy each datasource's real `url` and add its
//! credentials on the server (basic auth, bearer tokens and other headers from `secureJsonData`),
//! and the browser's copy with every secret removed and each `url` rewritten to its same-origin
//! path (`/datasources/<uid>`). Grafana's `$VAR` / `${VAR}` environment expansion is applied first,
//! as Grafana applies it to provisioning files. Pure: the CLI (`promboard datasources`) reads and
//! writes the files; the app uses [`secrets_in`] to refuse, loudly, a served file that has secrets.

use crate::datasource::ALERTMANAGER_TYPE;
use crate::datasource::PROMETHEUS_TYPE;
use crate::yaml;
use serde_json::{Map, Value};

/// Where a datasource's location lives on promboard's origin.
pub const DATASOURCE_PATH_PREFIX: &str = "/datasources/";

/// The two files made from a Grafana datasources file.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// `datasources.yaml` for the browser: no secrets, same-origin urls.
    pub browser_yaml: String,
    /// `datasources.nginx.conf`: one location per datasource with a backend url (holds secrets).
    pub nginx_conf: String,
    /// What was done that the user should know (moved headers, dropped keys, skipped types).
    pub notes: Vec<String>,
}

/// Grafana's provisioning expansion: `$NAME` and `${NAME}` become the variable's value (empty when
/// unset), `$$` is a literal `$`.
pub fn expand_env(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(braced) = after.strip_prefix('{')
            && let Some(end) = braced.find('}')
        {
            out.push_str(&lookup(&braced[..end]).unwrap_or_default());
            rest = &braced[end + 1..];
        } else {
            let name_len = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').count();
            if name_len == 0 {
                out.push('$');
            } else {
                out.push_str(&lookup(&after[..name_len]).unwrap_or_default());
            }
            rest = &after[name_len..];
        }
    }
    out.push_str(rest);
    out
}

/// A scalar as Grafana reads these fields: always a string (YAML 1.1 may have typed `123456` as a
/// number or `yes` as a boolean).
fn scalar_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// Grafana's expansion applied to every string value of a parsed provisioning file (after
/// parsing, as Grafana does: a value's `#`, quotes or newlines never change the YAML around it).
pub fn expand_env_in(value: &mut Value, lookup: &dyn Fn(&str) -> Option<String>) {
    match value {
        Value::String(text) => *text = expand_env(text, lookup),
        Value::Array(items) => items.iter_mut().for_each(|item| expand_env_in(item, lookup)),
        Value::Object(map) => map.values_mut().for_each(|item| expand_env_in(item, lookup)),
        _ => {}
    }
}

/// Header names whose values are credentials, not routing.
fn is_secret_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["authorization", "proxy-authorization", "cookie"].contains(&name.as_str())
        || ["token", "key", "secret", "password", "auth"].iter().any(|word| name.contains(word))
}

/// The JSON paths of the secrets a parsed datasources file holds: passwords, `secureJsonData`
/// values (headers too, except routing headers such as `X-Scope-OrgID`), TLS keys.
pub fn secrets_in(document: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let list = document.get("datasources").and_then(Value::as_array).into_iter().flatten();
    for (index, entry) in list.enumerate() {
        let Some(entry) = entry.as_object() else { continue };
        let at = format!("datasources[{index}]");
        for key in ["password", "basicAuthPassword"] {
            if scalar_text(entry.get(key)).is_some_and(|v| !v.is_empty()) {
                found.push(format!("{at}.{key}"));
            }
        }
        let json_data = entry.get("jsonData").and_then(Value::as_object);
        for (key, value) in entry.get("secureJsonData").and_then(Value::as_object).into_iter().flatten() {
            if scalar_text(Some(value)).is_none_or(|v| v.is_empty()) {
                continue;
            }
            let routing_header = key.strip_prefix("httpHeaderValue").is_some_and(|n| {
                json_data
                    .and_then(|d| d.get(&format!("httpHeaderName{n}")))
                    .and_then(Value::as_str)
                    .is_some_and(|name| !is_secret_header(name))
            });
            if !routing_header {
                found.push(format!("{at}.secureJsonData.{key}"));
            }
        }
    }
    found
}

/// Splits a Grafana datasources file for the browser and nginx, expanding `$VAR`/`${VAR}` in its
/// values with `lookup` (the environment, for the CLI).
pub fn split(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<Split, String> {
    let mut document = yaml::parse(text).map_err(|e| e.to_string())?;
    expand_env_in(&mut document, lookup);
    let mut notes = Vec::new();
    let mut browser_list = Vec::new();
    let mut locations = String::new();
    let list = match document.get("datasources") {
        Some(Value::Array(list)) => list.clone(),
        None | Some(Value::Null) => Vec::new(),
        Some(_) => return Err("datasources: expected a list".into()),
    };
    let mut used_paths: Vec<String> = Vec::new();
    for (index, entry) in list.iter().enumerate() {
        let at = format!("datasources[{index}]");
        let Some(entry) = entry.as_object() else { return Err(format!("{at}: expected a mapping")) };
        let text = |key: &str| scalar_text(entry.get(key)).unwrap_or_default();
        let name = text("name");
        let uid = Some(text("uid")).filter(|u| !u.is_empty()).unwrap_or_else(|| name.clone());
        let type_name = Some(text("type")).filter(|t| !t.is_empty()).unwrap_or_else(|| "prometheus".into());
        let url = text("url");
        let json_data = entry.get("jsonData").and_then(Value::as_object).cloned().unwrap_or_default();
        let secure = entry.get("secureJsonData").and_then(Value::as_object).cloned().unwrap_or_default();
        let scheme = url.split("://").next().unwrap_or("").to_ascii_lowercase();
        let backend = url.contains("://") && (scheme == "http" || scheme == "https");
        if url.contains("://") && !backend {
            return Err(format!("{at} ({name}): {url:?} is not an http(s) url"));
        }
        // What the app asks of it, which decides the guard of its location: Prometheus's read
        // API, or an Alertmanager's alerts.
        let guard = match type_name.as_str() {
            PROMETHEUS_TYPE => Some("$promboard_api_refused"),
            ALERTMANAGER_TYPE => Some("$promboard_alertmanager_refused"),
            _ => None,
        };

        // The browser's copy: the entry without its secrets, credentials or backend address.
        let mut browser = Map::new();
        for (key, value) in entry {
            match key.as_str() {
                "secureJsonData" | "password" | "basicAuthPassword" | "basicAuth" | "basicAuthUser"
                | "user" | "withCredentials" | "access" => {}
                "jsonData" => {}
                "url" if backend => {}
                _ => {
                    browser.insert(key.clone(), value.clone());
                }
            }
        }
        let mut browser_json = Map::new();
        let mut headers: Vec<(String, String)> = Vec::new();
        for (key, value) in &json_data {
            if let Some(n) = key.strip_prefix("httpHeaderName") {
                let header = value.as_str().unwrap_or("").to_string();
                let header_value =
                    scalar_text(secure.get(&format!("httpHeaderValue{n}"))).unwrap_or_default();
                if backend {
                    headers.push((header, header_value));
                    continue;
                }
                if header.is_empty() {
                    // Without a name it is no routing header, and its value may be anything.
                    notes.push(format!("{at}: {key} has no header name; the header was left out"));
                    continue;
                }
                if is_secret_header(&header) {
                    notes.push(format!(
                        "{at}: the header {header} carries a credential; it was left out (a same-origin url's nginx location must add it)"
                    ));
                    continue;
                }
                // A routing header on a same-origin url stays with the browser, as before.
                browser_json.insert(key.clone(), value.clone());
                continue;
            }
            if key.starts_with("tls") || key == "oauthPassThru" || key == "sigV4Auth" {
                continue;
            }
            browser_json.insert(key.clone(), value.clone());
        }
        if !backend {
            // Same-origin routing headers keep their values in the browser's copy.
            let mut kept_secure = Map::new();
            for (key, value) in &secure {
                if let Some(n) = key.strip_prefix("httpHeaderValue")
                    && browser_json.contains_key(&format!("httpHeaderName{n}"))
                {
                    kept_secure.insert(key.clone(), value.clone());
                }
            }
            if !kept_secure.is_empty() {
                browser.insert("secureJsonData".into(), Value::Object(kept_secure));
            }
        }
        if !browser_json.is_empty() {
            browser.insert("jsonData".into(), Value::Object(browser_json));
        }

        if let (true, Some(guard)) = (backend, guard) {
            let slug: String = uid
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
                .collect();
            let mut path = format!("{DATASOURCE_PATH_PREFIX}{slug}");
            while used_paths.contains(&path) {
                path.push('_');
            }
            used_paths.push(path.clone());
            browser.insert("url".into(), Value::from(path.clone()));
            let basic_auth = entry.get("basicAuth").and_then(Value::as_bool).unwrap_or(false);
            if basic_auth {
                let user =
                    Some(text("basicAuthUser")).filter(|u| !u.is_empty()).unwrap_or_else(|| text("user"));
                let password =
                    scalar_text(secure.get("basicAuthPassword")).unwrap_or_else(|| text("basicAuthPassword"));
                headers.insert(
                    0,
                    ("Authorization".into(), format!("Basic {}", base64(&format!("{user}:{password}")))),
                );
            }
            let skip_verify = json_data.get("tlsSkipVerify").and_then(Value::as_bool).unwrap_or(false);
            locations.push_str(&location(&at, &name, &path, &url, &headers, skip_verify, guard)?);
            notes.push(format!(
                "{at} ({name}): {url} is proxied at {path}/{}",
                if headers.is_empty() {
                    String::new()
                } else {
                    format!(", adding {} on the server", header_names(&headers))
                }
            ));
        } else if backend {
            notes.push(format!(
                "{at} ({name}): a {type_name} datasource is not queried by promboard; its url was left out"
            ));
        }
        browser_list.push(Value::Object(browser));
    }
    let mut root = Map::new();
    root.insert("apiVersion".into(), document.get("apiVersion").cloned().unwrap_or(Value::from(1)));
    root.insert("datasources".into(), Value::Array(browser_list));
    let browser_yaml = format!(
        "# Made by `promboard datasources` from Grafana's datasources file: no secrets, same-origin urls.\n# The credentials are in datasources.nginx.conf, which nginx keeps.\n{}",
        to_yaml(&Value::Object(root), 0)
    );
    let nginx_conf = format!(
        "# Made by `promboard datasources`: each datasource's backend, with its credentials.\n# Holds secrets: readable by nginx only (never served).\n{locations}"
    );
    Ok(Split { browser_yaml, nginx_conf, notes })
}

fn header_names(headers: &[(String, String)]) -> String {
    headers.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>().join(", ")
}

/// One nginx location proxying `path/` to `url/`, refusing what the app does not read (`guard`:
/// the variable of deploy/nginx.conf's map for the datasource's kind of API) and adding `headers`
/// on the server side.
fn location(
    at: &str,
    name: &str,
    path: &str,
    url: &str,
    headers: &[(String, String)],
    skip_verify: bool,
    guard: &str,
) -> Result<String, String> {
    // nginx strings interpolate `$` and end at `"`; a header must also stay one line.
    let safe = |what: &str, text: &str| {
        if text.chars().any(|c| matches!(c, '$' | '"' | '\\' | ';' | '{' | '}') || c.is_control()) {
            Err(format!(
                "{at} ({name}): the {what} holds a character nginx cannot take safely ($, \", \\, ;, braces or a control character)"
            ))
        } else {
            Ok(())
        }
    };
    safe("url", url)?;
    // Whitespace or `#` would end nginx's token; credentials belong in basicAuth, not in the url.
    let authority = url.split("://").nth(1).unwrap_or("").split('/').next().unwrap_or("");
    if url.chars().any(|c| c.is_whitespace() || c == '#' || c == '\'') || authority.contains('@') {
        return Err(format!(
            "{at} ({name}): the url must be plain http(s)://host[:port][/path] (no spaces, #, quotes or user:password@)"
        ));
    }
    // The name only goes into a comment: one line, whatever the file said.
    let name: String = name.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let mut block = format!(
        "\n# {name}\nlocation ^~ {path}/ {{\n    if ({guard}) {{ return 403; }}\n    proxy_pass {}/;\n    proxy_http_version 1.1;\n    proxy_set_header Connection \"\";\n    proxy_read_timeout 120s;\n    client_max_body_size 1m;\n",
        url.trim_end_matches('/')
    );
    for (header, value) in headers {
        if header.is_empty() || !header.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(format!("{at} ({name}): {header:?} is not a header name"));
        }
        safe(&format!("value of {header}"), value)?;
        block.push_str(&format!("    proxy_set_header {header} \"{value}\";\n"));
    }
    if url.get(..8).is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://")) {
        if skip_verify {
            block.push_str("    proxy_ssl_verify off;  # jsonData.tlsSkipVerify\n");
        } else {
            block.push_str("    proxy_ssl_verify on;\n    proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;\n");
        }
        block.push_str("    proxy_ssl_server_name on;\n");
    }
    block.push_str("}\n");
    Ok(block)
}

/// Standard base64 with padding (for basic auth; a few lines rather than a crate).
pub(crate) fn base64(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Block YAML that [`crate::yaml::parse`] reads back: strings double-quoted (JSON escapes are YAML
/// escapes), numbers, booleans and null plain.
fn to_yaml(value: &Value, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let scalar = |v: &Value| match v {
        Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
        Value::Null => "null".into(),
        other => other.to_string(),
    };
    let mut out = String::new();
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let key = if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    key.clone()
                } else {
                    serde_json::to_string(key).unwrap_or_default()
                };
                match item {
                    Value::Object(inner) if !inner.is_empty() => {
                        out.push_str(&format!("{pad}{key}:\n{}", to_yaml(item, indent + 2)));
                    }
                    Value::Array(inner) if !inner.is_empty() => {
                        out.push_str(&format!("{pad}{key}:\n{}", to_yaml(item, indent + 2)));
                    }
                    Value::Object(_) => out.push_str(&format!("{pad}{key}: {{}}\n")),
                    Value::Array(_) => out.push_str(&format!("{pad}{key}: []\n")),
                    other => out.push_str(&format!("{pad}{key}: {}\n", scalar(other))),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(map) if !map.is_empty() => {
                        let inner = to_yaml(item, indent + 2);
                        // The first key goes on the dash's line.
                        out.push_str(&format!("{pad}- {}", inner.trim_start()));
                    }
                    other => out.push_str(&format!("{pad}- {}\n", scalar(other))),
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", scalar(other))),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasource::Registry;

    const GRAFANA_FILE: &str = r#"apiVersion: 1
datasources:
  - name: Prometheus
    uid: prom
    type: prometheus
    access: proxy
    url: http://prometheus:9090
    isDefault: true
    basicAuth: true
    basicAuthUser: grafana
    jsonData:
      timeInterval: 30s
      httpMethod: POST
    secureJsonData:
      basicAuthPassword: ${PROM_PASSWORD}
  - name: Mimir (team a)
    uid: mimir-a
    type: prometheus
    url: https://mimir.example/prometheus
    jsonData:
      httpHeaderName1: X-Scope-OrgID
      httpHeaderName2: Authorization
    secureJsonData:
      httpHeaderValue1: team-a
      httpHeaderValue2: Bearer s3cr3t-token
  - name: Tenant behind our own nginx
    uid: tenant
    type: prometheus
    url: /tenant-a/prometheus
    jsonData:
      httpHeaderName1: X-Scope-OrgID
    secureJsonData:
      httpHeaderValue1: tenant-a
  - name: Logs
    type: loki
    url: http://loki:3100
"#;

    fn env(name: &str) -> Option<String> {
        (name == "PROM_PASSWORD").then(|| "pa:ss".to_string())
    }

    #[test]
    fn environment_variables_expand_as_grafana_expands_them() {
        assert_eq!(
            expand_env("a $PROM_PASSWORD b ${PROM_PASSWORD} $$ $UNSET. $", &env),
            "a pa:ss b pa:ss $ . $"
        );
    }

    #[test]
    fn a_header_without_a_name_is_left_out_of_the_browser_copy() {
        // Found by the provisioning fuzz target: the name was a YAML comment, so null.
        let file = "datasources:\n  - name: T\n    url: /t\n    jsonData:\n      httpHeaderName1: #-Scope-OrgID\n    secureJsonData:\n      httpHeaderValue1: somebody\n";
        let split = split(file, &|_| None).expect("a valid file");
        assert!(!split.browser_yaml.contains("somebody"), "{}", split.browser_yaml);
        let browser = yaml::parse(&split.browser_yaml).expect("readable");
        assert_eq!(secrets_in(&browser), Vec::<String>::new());
    }

    #[test]
    fn secrets_are_found_but_routing_headers_are_not_secrets() {
        let document = yaml::parse(&expand_env(GRAFANA_FILE, &env)).unwrap();
        assert_eq!(
            secrets_in(&document),
            vec![
                "datasources[0].secureJsonData.basicAuthPassword",
                "datasources[1].secureJsonData.httpHeaderValue2"
            ]
        );
    }

    #[test]
    fn the_split_keeps_secrets_on_the_server_and_gives_the_browser_same_origin_urls() {
        let split = split(GRAFANA_FILE, &env).unwrap();
        for secret in ["pa:ss", "s3cr3t-token", "cGE6c3M", "prometheus:9090", "mimir.example", "grafana"] {
            assert!(
                !split.browser_yaml.contains(secret),
                "{secret} in the browser's copy:\n{}",
                split.browser_yaml
            );
        }
        // The browser's copy is read by the app as before.
        let registry = Registry::from_provisioning(&split.browser_yaml).unwrap();
        let urls: Vec<(&str, &str)> =
            registry.datasources().iter().map(|d| (d.uid.as_str(), d.url.as_str())).collect();
        assert_eq!(
            urls,
            vec![
                ("prom", "/datasources/prom"),
                ("mimir-a", "/datasources/mimir-a"),
                ("tenant", "/tenant-a/prometheus"),
                ("Logs", "")
            ]
        );
        assert_eq!(registry.datasources()[0].time_interval.as_deref(), Some("30s"));
        assert_eq!(
            registry.datasources()[2].headers,
            vec![("X-Scope-OrgID".to_string(), "tenant-a".to_string())]
        );
        assert!(registry.datasources()[1].headers.is_empty(), "the Mimir headers moved to nginx");
        assert!(yaml::parse(&split.browser_yaml).is_ok_and(|d| secrets_in(&d).is_empty()));
        // nginx adds the credentials ("grafana:pa:ss" in base64) and refuses what the app does not read.
        let conf = &split.nginx_conf;
        assert!(conf.contains("location ^~ /datasources/prom/ {\n    if ($promboard_api_refused) { return 403; }\n    proxy_pass http://prometheus:9090/;"), "{conf}");
        assert!(conf.contains("proxy_set_header Authorization \"Basic Z3JhZmFuYTpwYTpzcw==\";"), "{conf}");
        assert!(conf.contains("proxy_set_header X-Scope-OrgID \"team-a\";"));
        assert!(conf.contains("proxy_set_header Authorization \"Bearer s3cr3t-token\";"));
        assert!(conf.contains("proxy_ssl_verify on;"));
        assert!(!conf.contains("loki"), "Loki is not proxied");
        assert!(
            split.notes.iter().any(|n| n.contains("loki datasource is not queried")),
            "{:?}",
            split.notes
        );
    }

    #[test]
    fn an_alertmanager_is_proxied_behind_its_own_guard() {
        let file = "datasources:\n  - name: AM\n    uid: am\n    type: alertmanager\n    url: http://alertmanager:9093\n    basicAuth: true\n    basicAuthUser: u\n    secureJsonData:\n      basicAuthPassword: pw\n";
        let made = split(file, &|_| None).unwrap();
        assert!(
            made.nginx_conf.contains("location ^~ /datasources/am/ {\n    if ($promboard_alertmanager_refused) { return 403; }\n    proxy_pass http://alertmanager:9093/;"),
            "{}",
            made.nginx_conf
        );
        let registry = Registry::from_provisioning(&made.browser_yaml).unwrap();
        assert_eq!(
            registry.find("am").map(|d| (d.type_name.as_str(), d.url.as_str())),
            Some(("alertmanager", "/datasources/am/alertmanager")),
            "no implementation is Cortex's, its API under /alertmanager"
        );
        assert!(!made.browser_yaml.contains("pw") && !made.browser_yaml.contains("alertmanager:9093"));
    }

    #[test]
    fn values_nginx_cannot_hold_are_refused_with_their_place() {
        let file = "datasources:\n  - name: P\n    url: http://p:9090\n    jsonData:\n      httpHeaderName1: X-Token\n    secureJsonData:\n      httpHeaderValue1: \"a$$b\"\n";
        assert!(split(file, &|_| None).unwrap_err().contains("datasources[0] (P): the value of X-Token"));
        let with_userinfo = "datasources:\n  - name: P\n    url: HTTPS://user:pw@p:9090\n";
        assert!(split(with_userinfo, &|_| None).unwrap_err().contains("user:password@"));
    }

    #[test]
    fn typed_scalars_are_secrets_and_values_expand_after_parsing() {
        // YAML 1.1 reads 123456 as a number: still a password, sent as Grafana sends it.
        let file = "datasources:\n  - name: P\n    url: http://p:9090\n    basicAuth: yes\n    basicAuthUser: u\n    secureJsonData:\n      basicAuthPassword: 123456\n";
        let document = yaml::parse(file).unwrap();
        assert_eq!(secrets_in(&document), vec!["datasources[0].secureJsonData.basicAuthPassword"]);
        let made = split(file, &|_| None).unwrap();
        assert!(made.nginx_conf.contains(&format!("Basic {}", base64("u:123456"))), "{}", made.nginx_conf);
        // A value with `#` or a quote, from the environment, stays whole and changes no YAML.
        let file = "datasources:\n  - name: P\n    url: http://p:9090\n    basicAuth: true\n    basicAuthUser: u\n    secureJsonData:\n      basicAuthPassword: ${PW}\n";
        let made = split(file, &|name| (name == "PW").then(|| "ab #1 x".to_string())).unwrap();
        assert!(made.nginx_conf.contains(&format!("Basic {}", base64("u:ab #1 x"))), "{}", made.nginx_conf);
    }

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(""), "");
        assert_eq!(base64("f"), "Zg==");
        assert_eq!(base64("fo"), "Zm8=");
        assert_eq!(base64("foo"), "Zm9v");
        assert_eq!(base64("user:pass"), "dXNlcjpwYXNz");
    }
}
