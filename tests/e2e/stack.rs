//! The real parts the end-to-end tests run against, each as our own process on a free loopback port:
//! Prometheus over the fixture history, nginx with deploy/nginx.conf (only paths and ports filled
//! in) serving the release build, and chromedriver. Every process is killed when its handle drops.

use std::io::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T> = std::result::Result<T, Error>;

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where the harness writes what humans may want to look at: screenshots.
pub fn output_dir() -> PathBuf {
    crate_dir().join("target").join("e2e")
}

/// Enables a shipped example as its comments say: `deploy/provisioning/<name>.example` copied into
/// `provisioning` as `<name>`, each `(shipped, replacement)` text replaced (a stand-in's address
/// for the real one, say). Fails, naming the file, when a shipped text is no longer in it.
pub fn install_example(provisioning: &Path, name: &str, replacements: &[(&str, &str)]) -> Result<()> {
    let path = format!("deploy/provisioning/{name}.example");
    let mut text = std::fs::read_to_string(crate_dir().join(&path))?;
    for (shipped, replacement) in replacements {
        if !text.contains(shipped) {
            return Err(format!("{path} no longer holds {shipped:?}").into());
        }
        text = text.replace(shipped, replacement);
    }
    std::fs::write(provisioning.join(name), text)?;
    Ok(())
}

/// A file or folder a scenario added to a shared folder, removed when it goes out of scope
/// (whatever happens: other scenarios list the exact contents).
pub struct RemovedOnDrop(pub PathBuf);

impl Drop for RemovedOnDrop {
    fn drop(&mut self) {
        let _ =
            if self.0.is_dir() { std::fs::remove_dir_all(&self.0) } else { std::fs::remove_file(&self.0) };
    }
}

/// A scratch directory, removed when dropped. It lives in the system temp directory, not under the
/// checkout: nginx's workers run as an unprivileged user when the tests run as root, and a checkout
/// under a private home directory would be unreadable to them.
pub struct ScratchDir(pub PathBuf);

impl ScratchDir {
    pub fn new(name: &str) -> Result<ScratchDir> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join("promboard-e2e").join(format!("{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)?;
        // Readable by nginx's workers whatever the umask.
        for dir in [path.as_path(), path.parent().unwrap_or(&path)] {
            std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o755))?;
        }
        Ok(ScratchDir(path))
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A child process that is killed (and reaped) on drop; its output goes to a log file that is
/// printed when it fails to start.
pub struct Service {
    pub name: String,
    child: Child,
    pub log_path: PathBuf,
}

impl Service {
    pub fn spawn(name: &str, command: &mut Command, log_path: PathBuf) -> Result<Service> {
        let log = std::fs::File::create(&log_path)?;
        // Its own process group, so that stopping it stops what it started too (chromedriver's
        // browsers, nginx's workers), even after a scenario failed with its browser open.
        let child = std::os::unix::process::CommandExt::process_group(command, 0)
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .map_err(|error| format!("cannot start {name} ({:?}): {error}", command.get_program()))?;
        Ok(Service { name: name.to_string(), child, log_path })
    }

    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log_path).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn stop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let group = format!("-{}", self.child.id());
            let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Polls `ready` until it holds, failing with the service's log when it does not within `timeout`.
pub fn wait_until(service: &mut Service, timeout: Duration, mut ready: impl FnMut() -> bool) -> Result<()> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if ready() {
            return Ok(());
        }
        if !service.is_running() {
            return Err(format!("{} exited during start-up:\n{}", service.name, service.log_tail()).into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!("{} was not ready after {timeout:?}:\n{}", service.name, service.log_tail()).into())
}

pub fn port_accepts(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_ok()
}

pub fn http_ok(url: &str) -> bool {
    ureq::get(url).timeout(Duration::from_secs(2)).call().is_ok()
}

pub fn find_tool(name: &str, candidates: &[&str]) -> Result<PathBuf> {
    for candidate in candidates {
        let path = Path::new(candidate);
        if path.is_file() {
            return Ok(path.to_path_buf());
        }
    }
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let path = dir.join(name);
            if path.is_file() {
                return Ok(path);
            }
        }
    }
    Err(format!("{name} is not installed; scripts/install-tools.sh installs it").into())
}

/// TSDB blocks made by promtool from an OpenMetrics history; each Prometheus gets its own copy.
pub struct FixtureBlocks {
    _scratch: ScratchDir,
    pub dir: PathBuf,
}

impl FixtureBlocks {
    /// The end-to-end fixture (tests/e2e/fixture.rs), once per test run.
    pub fn create() -> Result<FixtureBlocks> {
        FixtureBlocks::from_openmetrics("blocks", |file| {
            Ok(file.write_all(crate::fixture::openmetrics().as_bytes())?)
        })
    }

    /// Blocks from the OpenMetrics text `write` puts into a file (streamed: histories can be large).
    pub fn from_openmetrics(
        name: &str,
        write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<()>,
    ) -> Result<FixtureBlocks> {
        let scratch = ScratchDir::new(name)?;
        let openmetrics = scratch.0.join("history.om");
        let mut file = std::io::BufWriter::new(std::fs::File::create(&openmetrics)?);
        write(&mut file)?;
        file.flush()?;
        drop(file);
        let dir = scratch.0.join("tsdb");
        let promtool = find_tool("promtool", &["/usr/bin/promtool"])?;
        let output = Command::new(promtool)
            .args(["tsdb", "create-blocks-from", "openmetrics"])
            .arg(&openmetrics)
            .arg(&dir)
            .output()?;
        if !output.status.success() {
            return Err(format!(
                "promtool could not turn the {name} history into blocks:\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
        let _ = std::fs::remove_file(&openmetrics);
        Ok(FixtureBlocks { _scratch: scratch, dir })
    }
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Prometheus and nginx, serving the app and the fixture dashboards.
pub struct Stack {
    pub prometheus: Service,
    /// A real Alertmanager (Debian's `prometheus-alertmanager`) that Prometheus sends its alerts to,
    /// when the stack has alert rules; the fixture provisions it as a datasource.
    pub alertmanager: Option<(Service, String)>,
    pub nginx: Service,
    pub prometheus_url: String,
    pub app_url: String,
    /// The dashboards folder nginx serves (a copy of tests/fixtures/dashboards).
    pub dashboards_dir: PathBuf,
    pub dist_dir: PathBuf,
    _scratch: ScratchDir,
}

impl Stack {
    /// The end-to-end stack: the fixture's blocks, tests/fixtures/dashboards, a 30 s scrape
    /// interval (not Grafana's assumed 15 s: the app must read it from Prometheus).
    pub fn start(blocks: &FixtureBlocks) -> Result<Stack> {
        Stack::start_with(
            blocks,
            &crate_dir().join("tests/fixtures/dashboards"),
            "30s",
            Some(&crate_dir().join("tests/fixtures/provisioning")),
            Some(&crate_dir().join("tests/fixtures/prometheus/rules.yml")),
        )
    }

    /// A stack over any blocks and dashboards folder, with `scrape_interval` in Prometheus's config,
    /// the datasources of `provisioning` (none: the built-in datasource only) and the alert rules
    /// of `rules`, evaluated every second.
    pub fn start_with(
        blocks: &FixtureBlocks,
        dashboards: &Path,
        scrape_interval: &str,
        provisioning: Option<&Path>,
        rules: Option<&Path>,
    ) -> Result<Stack> {
        let scratch = ScratchDir::new("stack")?;
        let dist_dir =
            std::env::var_os("PROMBOARD_DIST").map(PathBuf::from).unwrap_or_else(|| crate_dir().join("dist"));
        if !dist_dir.join("index.html").is_file() {
            return Err(format!(
                "no release build at {} (scripts/test builds it with `trunk build --release` first)",
                dist_dir.display()
            )
            .into());
        }

        let tsdb = scratch.0.join("tsdb");
        copy_dir(&blocks.dir, &tsdb)?;
        let config = scratch.0.join("prometheus.yml");
        let alertmanager = match rules {
            Some(_) => Some(start_alertmanager(&scratch.0)?),
            None => None,
        };
        let rule_files = match rules {
            Some(rules) => format!("rule_files: [{:?}]\n", rules.display().to_string()),
            None => String::new(),
        };
        let alerting = match &alertmanager {
            Some((_, url)) => format!(
                "alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: [{:?}]\n",
                url.trim_start_matches("http://")
            ),
            None => String::new(),
        };
        std::fs::write(
            &config,
            format!(
                "global:\n  scrape_interval: {scrape_interval}\n  evaluation_interval: 1s\n{rule_files}{alerting}scrape_configs: []\n"
            ),
        )?;
        let prometheus_port = free_port()?;
        let mut prometheus = Service::spawn(
            "prometheus",
            Command::new(find_tool("prometheus", &["/usr/bin/prometheus"])?)
                .arg(format!("--config.file={}", config.display()))
                .arg(format!("--storage.tsdb.path={}", tsdb.display()))
                // The fixture is in the past: without a long retention, Prometheus deletes it at start.
                .arg("--storage.tsdb.retention.time=100y")
                // Alerts sent before Prometheus has found its Alertmanager are dropped, and sent
                // again only after this delay (a minute by default).
                .arg("--rules.alert.resend-delay=1s")
                .arg(format!("--web.listen-address=127.0.0.1:{prometheus_port}")),
            scratch.0.join("prometheus.log"),
        )?;
        let prometheus_url = format!("http://127.0.0.1:{prometheus_port}");
        let ready_url = format!("{prometheus_url}/-/ready");
        wait_until(&mut prometheus, Duration::from_secs(60), || http_ok(&ready_url))?;

        let dashboards_dir = scratch.0.join("dashboards");
        copy_dir(dashboards, &dashboards_dir)?;
        let provisioning_dir = scratch.0.join("provisioning");
        std::fs::create_dir_all(&provisioning_dir)?;
        if let Some(provisioning) = provisioning {
            copy_dir(provisioning, &provisioning_dir)?;
            std::fs::write(provisioning_dir.join("tenants.nginx.conf"), tenant_locations(&prometheus_url))?;
            // The Alertmanager location as shipped (deploy/provisioning), on this Alertmanager.
            if let Some((_, url)) = &alertmanager {
                install_example(
                    &provisioning_dir,
                    "alertmanager.nginx.conf",
                    &[("proxy_pass http://127.0.0.1:9093/;", &format!("proxy_pass {url}/;"))],
                )?;
            }
        }
        let (nginx, app_port) =
            start_nginx(&scratch.0, &dist_dir, &dashboards_dir, &prometheus_url, &provisioning_dir)?;
        Ok(Stack {
            prometheus,
            alertmanager,
            nginx,
            prometheus_url,
            app_url: format!("http://127.0.0.1:{app_port}"),
            dashboards_dir,
            dist_dir,
            _scratch: scratch,
        })
    }
}

/// A real Alertmanager with one receiver that notifies nobody, and one inhibition: while
/// `E2EAlwaysFiring` fires, an `E2EInhibited` alert is inhibited. Clustering off (it would bind a
/// fixed port). Returns it and its URL.
fn start_alertmanager(scratch: &Path) -> Result<(Service, String)> {
    let dir = scratch.join("alertmanager");
    std::fs::create_dir_all(&dir)?;
    let config = dir.join("alertmanager.yml");
    std::fs::write(
        &config,
        "route:\n  receiver: nobody\n  group_wait: 1s\nreceivers:\n  - name: nobody\ninhibit_rules:\n  - source_matchers: ['alertname=\"E2EAlwaysFiring\"']\n    target_matchers: ['alertname=\"E2EInhibited\"']\n",
    )?;
    let port = free_port()?;
    let mut alertmanager = Service::spawn(
        "alertmanager",
        Command::new(find_tool("prometheus-alertmanager", &["/usr/bin/prometheus-alertmanager"])?)
            .arg(format!("--config.file={}", config.display()))
            .arg(format!("--storage.path={}", dir.join("data").display()))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .arg("--cluster.listen-address="),
        dir.join("alertmanager.log"),
    )?;
    let url = format!("http://127.0.0.1:{port}");
    let ready = format!("{url}/-/ready");
    wait_until(&mut alertmanager, Duration::from_secs(30), || http_ok(&ready))?;
    Ok((alertmanager, url))
}

/// nginx with the shipped configuration (deploy/nginx.conf), its placeholders filled in, serving
/// `dist_dir` and `dashboards_dir` and proxying Prometheus's API to `prometheus_url`. Its runtime
/// files go under `scratch`. Returns the service and its port.
pub fn start_nginx(
    scratch: &Path,
    dist_dir: &Path,
    dashboards_dir: &Path,
    prometheus_url: &str,
    provisioning_dir: &Path,
) -> Result<(Service, u16)> {
    let nginx_dir = scratch.join("nginx");
    std::fs::create_dir_all(&nginx_dir)?;
    let app_port = free_port()?;
    let template = std::fs::read_to_string(crate_dir().join("deploy/nginx.conf"))?;
    let config_text = template
        .replace("@LISTEN@", &format!("127.0.0.1:{app_port}"))
        .replace("@APP_DIR@", &dist_dir.display().to_string())
        .replace("@DASHBOARDS_DIR@", &dashboards_dir.display().to_string())
        .replace("@PROMETHEUS_URL@", prometheus_url)
        .replace("@PROVISIONING_DIR@", &provisioning_dir.display().to_string())
        .replace("@RUNTIME_DIR@", &nginx_dir.display().to_string())
        .replace("@MIME_TYPES@", "/etc/nginx/mime.types");
    let nginx_config = nginx_dir.join("nginx.conf");
    std::fs::write(&nginx_config, config_text)?;
    let mut nginx = Service::spawn(
        "nginx",
        Command::new(find_tool("nginx", &["/usr/sbin/nginx"])?)
            .arg("-p")
            .arg(&nginx_dir)
            .arg("-e")
            .arg(nginx_dir.join("error.log"))
            .arg("-c")
            .arg(&nginx_config)
            .args(["-g", "daemon off;"]),
        scratch.join("nginx.out"),
    )?;
    wait_until(&mut nginx, Duration::from_secs(20), || port_accepts(app_port))?;
    Ok((nginx, app_port))
}

/// The proxy locations of the fixture's further datasources, all on the one Prometheus, each
/// refusing what its real counterpart would refuse: a Mimir tenant without its `X-Scope-OrgID`,
/// a VictoriaMetrics path without the GET and `nocache=1` its datasource asks for.
fn tenant_locations(prometheus_url: &str) -> String {
    format!(
        r#"
location ^~ /tenant-a/prometheus/ {{
    if ($promboard_api_refused) {{ return 403; }}
    if ($http_x_scope_orgid != "tenant-a") {{ return 401 "no such tenant\n"; }}
    proxy_pass {prometheus_url}/;
}}
location ^~ /select/0/prometheus/ {{
    if ($promboard_api_refused) {{ return 403; }}
    if ($request_method != GET) {{ return 405 "GET only\n"; }}
    if ($arg_nocache != "1") {{ return 400 "nocache=1 expected\n"; }}
    proxy_pass {prometheus_url}/;
}}
"#
    )
}

/// A real VictoriaMetrics single node (Debian's `victoria-metrics`), holding the fixture's history:
/// what users who outgrow one Prometheus query instead (its single node answers the query API as a
/// cluster's vmselect does).
pub struct VictoriaMetrics {
    /// Stopped when dropped.
    _service: Service,
    pub url: String,
    _scratch: ScratchDir,
}

impl VictoriaMetrics {
    /// Starts it and imports `history` (Prometheus text format, millisecond timestamps), returning
    /// once `probe` (a series selector) finds series in the hour up to `probe_end_s`.
    pub fn start(history: &str, probe: &str, probe_end_s: i64) -> Result<VictoriaMetrics> {
        let scratch = ScratchDir::new("victoria-metrics")?;
        let port = free_port()?;
        let mut service = Service::spawn(
            "victoria-metrics",
            Command::new(find_tool("victoria-metrics", &["/usr/bin/victoria-metrics"])?)
                .arg(format!("-storageDataPath={}", scratch.0.join("data").display()))
                .arg(format!("-httpListenAddr=127.0.0.1:{port}"))
                // The fixture is in the past: keep it.
                .arg("-retentionPeriod=100y"),
            scratch.0.join("victoria-metrics.log"),
        )?;
        let url = format!("http://127.0.0.1:{port}");
        let health = format!("{url}/health");
        wait_until(&mut service, Duration::from_secs(30), || http_ok(&health))?;
        let import = ureq::post(&format!("{url}/api/v1/import/prometheus"))
            .timeout(Duration::from_secs(60))
            .send_string(history)
            .map_err(|e| format!("VictoriaMetrics refused the history: {e}"))?;
        if import.status() != 204 {
            return Err(format!("VictoriaMetrics import answered HTTP {}", import.status()).into());
        }
        // Imported samples become searchable after a flush and a moment.
        let _ = ureq::get(&format!("{url}/internal/force_flush")).call();
        let series = format!(
            "{url}/api/v1/series?match[]={}&start={}&end={probe_end_s}",
            percent_encode(probe),
            probe_end_s - 3600
        );
        wait_until(&mut service, Duration::from_secs(30), || {
            ureq::get(&series)
                .call()
                .ok()
                .and_then(|r| r.into_string().ok())
                .is_some_and(|body| body.contains("__name__"))
        })?;
        Ok(VictoriaMetrics { _service: service, url, _scratch: scratch })
    }
}

/// Percent-encodes a query parameter's value.
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// chromedriver, with its browser profiles in a scratch TMPDIR (they are ~50 MB each).
pub struct ChromeDriver {
    pub service: Service,
    pub url: String,
    _scratch: ScratchDir,
}

impl ChromeDriver {
    pub fn start() -> Result<ChromeDriver> {
        let scratch = ScratchDir::new("chromedriver")?;
        let port = free_port()?;
        let mut service = Service::spawn(
            "chromedriver",
            Command::new(find_tool("chromedriver", &["/usr/bin/chromedriver"])?)
                .arg(format!("--port={port}"))
                .env("TMPDIR", &scratch.0)
                // Time labels and the time picker show local time: make it the same everywhere.
                .env("TZ", "UTC"),
            scratch.0.join("chromedriver.log"),
        )?;
        let url = format!("http://127.0.0.1:{port}");
        let status_url = format!("{url}/status");
        wait_until(&mut service, Duration::from_secs(30), || http_ok(&status_url))?;
        Ok(ChromeDriver { service, url, _scratch: scratch })
    }
}
