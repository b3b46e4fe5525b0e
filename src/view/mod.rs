//! The normalised view of a dashboard: what the renderer and the query planner consume.
//!
//! Built from the dashboard after [`crate::migrate::upgrade`], read tolerantly (numbers written as
//! strings, nulls, missing ids) and never changing anything. Anything it cannot use becomes a
//! [`ViewNotice`] with the JSON path, never a panic.

pub mod annotations;
mod layout;
pub mod links;
pub mod repeat;
pub mod sections;

pub use layout::{
    GRID_COLUMNS, GRID_MARGIN_PX, GRID_ROW_HEIGHT_PX, GridPos, NARROW_GRID_PX, compact_vertically,
    stack_narrow,
};

use crate::datasource::Registry;
use crate::import::import_provisioned_owned;
use crate::json::{as_bool, as_i64, as_str};
use crate::migrate::{MigrationNote, upgrade_owned};
use crate::model;
use crate::model::Dashboard;
use crate::model::v2;
use crate::model::v2::Sections;
use crate::panel_types::{Drawn, panel_type};
use crate::sorting;
use crate::time::REFRESH_INTERVALS;
use crate::variables;
use crate::variables::Variable;
use serde_json::{Map, Value};

/// What kind of panel this is, as far as the renderer is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PanelKind {
    /// `timeseries`, and the legacy `graph` drawn as a time series.
    TimeSeries,
    /// `stat` (and, after migration, the legacy `singlestat`).
    Stat,
    Gauge,
    BarGauge,
    Pie,
    Table,
    /// A heatmap of Prometheus histogram buckets (`le`).
    Heatmap,
    /// Each series a row of coloured states over time (`state-timeline`), or of one cell per
    /// sample (`status-history`).
    StateTimeline {
        status_history: bool,
    },
    /// Dashboards of the catalogue, by search and by this browser's drafts and visits.
    DashList,
    /// The series' values counted in buckets.
    Histogram,
    /// Bars by category: from a table's text column, or one group per timestamp.
    BarChart,
    /// Open/high/low/close candles and volume bars over time.
    Candlestick,
    /// Number fields against one of them: points (`xychart`) or lines in x order (`trend`).
    XyChart {
        trend: bool,
    },
    /// The dashboard's annotation events, newest first.
    AnnoList,
    /// An RSS or Atom feed's items.
    News,
    /// The firing and pending alerts of Prometheus.
    AlertList,
    /// A text panel: `content` in `mode` (markdown, html or code).
    Text {
        content: String,
        mode: String,
    },
    /// A row header; collapsed rows carry their panels in `children`.
    Row {
        collapsed: bool,
    },
    /// Any other `type`, kept by name so the UI can say what is unsupported.
    Other(String),
}

/// One query of a panel (Grafana calls it a target).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetView {
    pub ref_id: String,
    pub expr: String,
    pub legend_format: String,
    /// The target's "Min step" (`interval`), e.g. `30s`; empty when unset.
    pub min_interval: String,
    pub instant: bool,
    /// Grafana's "Both": a range query and an instant query at the range's end.
    pub both: bool,
    /// `format`: `time_series` (default), `table` or `heatmap` (cumulative buckets made per-bucket).
    pub format: String,
    pub hide: bool,
    /// Grafana's deprecated `intervalFactor`: the step is multiplied by it (1 when unset).
    pub interval_factor: i64,
    /// The query's own `datasource` reference as written (used when the panel's is Mixed).
    pub datasource: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PanelView {
    pub id: i64,
    pub kind: PanelKind,
    pub type_name: String,
    pub title: String,
    pub grid_pos: GridPos,
    pub targets: Vec<TargetView>,
    /// The panel's `datasource` reference as written (`null`: the default).
    pub datasource: Value,
    /// The panel's "Min interval" (`interval`); empty when unset.
    pub min_interval: String,
    pub max_data_points: Option<u32>,
    /// The panel's `options`, `fieldConfig` (and its `defaults`) and `transformations`, as written
    /// (panel renderers read them).
    /// Shared, not copied, by the layout's copies of the panel (a dashboard may hold thousands).
    pub options: std::sync::Arc<Value>,
    pub field_config: std::sync::Arc<Value>,
    pub field_defaults: std::sync::Arc<Value>,
    pub transformations: std::sync::Arc<Value>,
    /// `fieldConfig.defaults.unit` and `.decimals`.
    pub unit: String,
    pub decimals: Option<i32>,
    /// The panel's own relative time (`timeFrom`, e.g. `1h`) and shift (`timeShift`); empty if unset.
    pub time_from: String,
    pub time_shift: String,
    pub hide_time_override: bool,
    /// Where this panel lives in the raw JSON, e.g. `panels[3].panels[0]`.
    pub json_path: String,
    /// The panel's links (`links`: `{url, title, targetBlank}` since schema 19), shown in its header.
    pub links: Vec<links::DashboardLink>,
    /// Panels of a collapsed row (Grafana nests them inside the row).
    pub children: Vec<PanelView>,
    /// `repeat` (with `repeatDirection`, `maxPerRow`): one copy per value of a variable.
    pub repeat: Option<repeat::Repeat>,
    /// A hash of the panel's JSON (after migration) without its `gridPos`: equal for a panel that
    /// only moved, different when anything the panel shows may have changed. The page keeps a
    /// panel's frame (and its data) while this stays the same.
    pub content_hash: u64,
}

/// Something in the file that the view could not use as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewNotice {
    pub json_path: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DashboardView {
    pub uid: Option<String>,
    pub title: String,
    pub tags: Vec<String>,
    /// The dashboard's default time range (`time.from`, `time.to`), Grafana's `now-6h`/`now` if unset.
    pub time_from: String,
    pub time_to: String,
    /// `graphTooltip`: 0 default, 1 shared crosshair, 2 shared crosshair and tooltip.
    pub graph_tooltip: i64,
    /// The auto-refresh choices (`timepicker.refresh_intervals`), Grafana's defaults when unset.
    pub refresh_intervals: Vec<String>,
    /// `timezone`: `browser` (or empty), `utc`, or an IANA zone name.
    pub timezone: String,
    /// Auto-refresh interval (`refresh`), `None` when off.
    pub refresh: Option<String>,
    pub panels: Vec<PanelView>,
    pub notices: Vec<ViewNotice>,
    /// What the schema migrations changed approximately or dropped, with JSON paths.
    pub migration: Vec<MigrationNote>,
    /// Template variables, in file order.
    pub variables: Vec<Variable>,
    /// The dashboard links shown above the panels (`links`).
    pub links: Vec<links::DashboardLink>,
    /// The annotation queries (`annotations.list`).
    pub annotations: Vec<annotations::AnnotationQuery>,
    /// A schema v2 file's tabs, auto grids and conditional rendering rules (empty for others).
    pub sections: Sections,
}

/// [`DashboardView::from_document`] in steps — read the classic document (a copy, or a schema v2
/// file converted), resolve imports, upgrade the schema, read the panels — each of which walks the
/// whole document. A page runs them in tasks of their own: on a dashboard of megabytes one task
/// for all would hold the page (issue 19). Stepping to the end gives exactly `from_document`.
#[derive(Debug)]
pub struct Derivation {
    stage: Stage,
    sections: Sections,
    /// Notices found before the panels are read (imports, then what a v2 conversion lost).
    notices: Vec<ViewNotice>,
    migration: Vec<MigrationNote>,
}

#[derive(Debug)]
enum Stage {
    Classic(Map<String, Value>),
    Imported(Map<String, Value>),
    Upgraded(Map<String, Value>),
    Done,
}

impl Derivation {
    /// The first step: the document's classic form, ready for the next.
    pub fn start(raw: &Map<String, Value>) -> Derivation {
        // A schema v2 file is shown as its classic form; its tabs, auto grids and rules beside it.
        let (classic, sections, losses) = if v2::is_v2(raw) {
            let converted = v2::to_classic(raw);
            (converted.dashboard, converted.sections, converted.losses)
        } else {
            (model::classic_document(raw).into_owned(), Default::default(), Vec::new())
        };
        let notices = losses
            .into_iter()
            .map(|loss| {
                let (json_path, message) = loss.split_once(": ").unwrap_or(("$", loss.as_str()));
                ViewNotice { json_path: json_path.to_string(), message: message.to_string() }
            })
            .collect();
        Derivation { stage: Stage::Classic(classic), sections, notices, migration: Vec::new() }
    }

    /// Runs the next step; the view once the last has run.
    pub fn step(&mut self, datasources: &Registry) -> Option<DashboardView> {
        match std::mem::replace(&mut self.stage, Stage::Done) {
            Stage::Classic(classic) => {
                let imported = import_provisioned_owned(classic);
                let import_notices = imported
                    .notices
                    .into_iter()
                    .map(|n| ViewNotice { json_path: n.json_path, message: n.message });
                self.notices.splice(0..0, import_notices);
                self.stage = Stage::Imported(imported.dashboard);
                None
            }
            Stage::Imported(imported) => {
                let upgraded = upgrade_owned(imported, datasources);
                self.migration = upgraded.report;
                self.stage = Stage::Upgraded(upgraded.dashboard);
                None
            }
            Stage::Upgraded(upgraded) => {
                let mut view = DashboardView::from_upgraded_owned(upgraded);
                view.migration = std::mem::take(&mut self.migration);
                view.sections = std::mem::take(&mut self.sections);
                view.notices.splice(0..0, std::mem::take(&mut self.notices));
                Some(view)
            }
            // Stepped past the end: an empty view rather than a panic.
            Stage::Done => Some(DashboardView::from_upgraded_owned(Map::new())),
        }
    }
}

impl DashboardView {
    /// The view of a provisioned dashboard as loaded: `__inputs` resolved as for a provisioned file
    /// (constants to their values, datasources to the default), then Grafana's migrations, both on
    /// a copy. Datasource names resolve in `datasources`, the registry it is shown with.
    pub fn from_model(dashboard: &Dashboard, datasources: &Registry) -> DashboardView {
        DashboardView::from_document(dashboard.raw(), datasources)
    }

    /// [`DashboardView::from_model`] of a raw document. It is copied once (imported and upgraded
    /// in place, then its panels' JSON moved into the view): the page derives the view after
    /// every edit, and a dashboard may be megabytes.
    pub fn from_document(raw: &Map<String, Value>, datasources: &Registry) -> DashboardView {
        let mut derivation = Derivation::start(raw);
        loop {
            if let Some(view) = derivation.step(datasources) {
                return view;
            }
        }
    }

    /// The view of a document that is already at the latest schema version. JSON paths in the view
    /// are paths in that document.
    pub fn from_upgraded(raw: &Map<String, Value>) -> DashboardView {
        DashboardView::from_upgraded_owned(raw.clone())
    }

    /// [`DashboardView::from_upgraded`] of a document the caller owns: panels' options and field
    /// config are moved into the view, not copied.
    pub fn from_upgraded_owned(mut raw: Map<String, Value>) -> DashboardView {
        let mut notices = Vec::new();
        let panels_json = raw.remove("panels");
        let time = raw.get("time").and_then(Value::as_object);
        let time_field = |key: &str, default: &str| {
            time.and_then(|t| t.get(key)).and_then(as_str).unwrap_or(default).to_string()
        };
        let refresh = raw.get("refresh").and_then(as_str).filter(|r| !r.is_empty()).map(str::to_string);
        let tags = raw
            .get("tags")
            .and_then(Value::as_array)
            .map(|tags| tags.iter().filter_map(as_str).map(str::to_string).collect())
            .unwrap_or_default();

        let mut panels = match panels_json {
            Some(Value::Array(panels)) => read_panels(panels, "panels", &mut notices),
            Some(other) => {
                notices.push(ViewNotice {
                    json_path: "panels".into(),
                    message: format!("expected an array, found {}", model::json_type_name(&other)),
                });
                Vec::new()
            }
            None => Vec::new(),
        };
        // Grafana's dashboard model sorts its panels by grid position (y, then x; ties keep the
        // file's order) when it loads them: a row owns the panels after it in that order, so a
        // panel listed after a row but placed above it belongs to the row above.
        sorting::sort_by_key(&mut panels, |p| (p.grid_pos.y, p.grid_pos.x));
        assign_missing_ids(&mut panels);

        DashboardView {
            uid: raw.get("uid").and_then(as_str).filter(|u| !u.is_empty()).map(str::to_string),
            title: raw.get("title").and_then(as_str).unwrap_or("Untitled dashboard").to_string(),
            tags,
            time_from: time_field("from", "now-6h"),
            time_to: time_field("to", "now"),
            refresh,
            timezone: raw.get("timezone").and_then(as_str).unwrap_or("").to_string(),
            graph_tooltip: raw.get("graphTooltip").and_then(as_i64).unwrap_or(0),
            refresh_intervals: raw
                .get("timepicker")
                .and_then(|t| t.get("refresh_intervals"))
                .and_then(Value::as_array)
                .map(|list| list.iter().filter_map(as_str).map(str::to_string).collect::<Vec<_>>())
                .filter(|list| !list.is_empty())
                .unwrap_or_else(|| REFRESH_INTERVALS.iter().map(|r| r.to_string()).collect()),
            panels,
            notices,
            migration: Vec::new(),
            variables: variables::read_variables(&raw),
            links: links::read_links(&raw),
            annotations: annotations::read_annotations(&raw),
            sections: Default::default(),
        }
    }

    /// The panels shown on the grid, in order. `is_collapsed` says whether a row is collapsed now
    /// (it starts as the file says and the user toggles it). A collapsed row hides the panels after
    /// it up to the next row, and its nested `panels`; an expanded row shows its nested panels
    /// right after it (Grafana moves them back into the top level when a row is expanded).
    pub fn visible_panels(&self, is_collapsed: impl Fn(&PanelView) -> bool) -> Vec<&PanelView> {
        let mut visible = Vec::new();
        let mut hiding = false;
        for panel in &self.panels {
            if matches!(panel.kind, PanelKind::Row { .. }) {
                hiding = is_collapsed(panel);
                visible.push(panel);
                if !hiding {
                    visible.extend(panel.children.iter());
                }
            } else if !hiding {
                visible.push(panel);
            }
        }
        visible
    }
}

fn read_panels(panels: Vec<Value>, path: &str, notices: &mut Vec<ViewNotice>) -> Vec<PanelView> {
    panels
        .into_iter()
        .enumerate()
        .filter_map(|(index, panel)| {
            let json_path = format!("{path}[{index}]");
            match panel {
                Value::Object(object) => Some(read_panel(object, json_path, notices)),
                other => {
                    notices.push(ViewNotice {
                        json_path,
                        message: format!(
                            "a panel must be an object, found {}; skipped",
                            model::json_type_name(&other)
                        ),
                    });
                    None
                }
            }
        })
        .collect()
}

fn read_panel(mut panel: Map<String, Value>, json_path: String, notices: &mut Vec<ViewNotice>) -> PanelView {
    let content_hash = {
        use std::hash::Hasher;
        let mut hasher = std::hash::DefaultHasher::new();
        for (key, value) in panel.iter().filter(|(key, _)| key.as_str() != "gridPos") {
            hasher.write(key.as_bytes());
            hash_json(value, &mut hasher);
        }
        hasher.finish()
    };
    let type_name = panel.get("type").and_then(as_str).unwrap_or("").to_string();
    let kind = match panel_type(&type_name).map(|entry| entry.drawn) {
        Some(Drawn::TimeSeries) => PanelKind::TimeSeries,
        Some(Drawn::Stat) => PanelKind::Stat,
        Some(Drawn::Gauge) => PanelKind::Gauge,
        Some(Drawn::BarGauge) => PanelKind::BarGauge,
        Some(Drawn::Pie) => PanelKind::Pie,
        Some(Drawn::Table) => PanelKind::Table,
        Some(Drawn::Heatmap) => PanelKind::Heatmap,
        Some(Drawn::StateTimeline) => PanelKind::StateTimeline { status_history: false },
        Some(Drawn::StatusHistory) => PanelKind::StateTimeline { status_history: true },
        Some(Drawn::DashList) => PanelKind::DashList,
        Some(Drawn::Histogram) => PanelKind::Histogram,
        Some(Drawn::BarChart) => PanelKind::BarChart,
        Some(Drawn::Candlestick) => PanelKind::Candlestick,
        Some(Drawn::XyChart) => PanelKind::XyChart { trend: false },
        Some(Drawn::Trend) => PanelKind::XyChart { trend: true },
        Some(Drawn::AnnoList) => PanelKind::AnnoList,
        Some(Drawn::AlertList) => PanelKind::AlertList,
        Some(Drawn::News) => PanelKind::News,
        Some(Drawn::Text) => {
            // Current panels keep these in `options`; old Angular ones at the panel's top level.
            let field = |key: &str| {
                panel
                    .get("options")
                    .and_then(|o| o.get(key))
                    .or_else(|| panel.get(key))
                    .and_then(as_str)
                    .unwrap_or("")
                    .to_string()
            };
            PanelKind::Text { content: field("content"), mode: field("mode") }
        }
        Some(Drawn::Row) => {
            PanelKind::Row { collapsed: panel.get("collapsed").and_then(as_bool).unwrap_or(false) }
        }
        None => PanelKind::Other(type_name.clone()),
    };
    let children = match panel.get("panels") {
        Some(Value::Array(_)) if matches!(kind, PanelKind::Row { .. }) => match panel.remove("panels") {
            Some(Value::Array(children)) => read_panels(children, &format!("{json_path}.panels"), notices),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let targets = panel
        .get("targets")
        .and_then(Value::as_array)
        .map(|targets| targets.iter().enumerate().filter_map(|(i, t)| read_target(t, i)).collect())
        .unwrap_or_default();
    let is_row = matches!(kind, PanelKind::Row { .. });
    let field_defaults =
        panel.get("fieldConfig").and_then(|f| f.get("defaults")).cloned().unwrap_or(Value::Null);
    let unit = field_defaults.get("unit").and_then(as_str).unwrap_or("").to_string();
    let decimals = field_defaults.get("decimals").and_then(as_i64).map(|d| d.clamp(0, 20) as i32);
    PanelView {
        id: panel.get("id").and_then(as_i64).unwrap_or(0),
        kind,
        type_name,
        title: panel.get("title").and_then(as_str).unwrap_or("").to_string(),
        links: links::read_links(&panel),
        datasource: panel.get("datasource").cloned().unwrap_or(Value::Null),
        repeat: panel.get("repeat").and_then(as_str).filter(|name| !name.is_empty()).map(|name| {
            repeat::Repeat {
                variable: name.to_string(),
                vertical: panel.get("repeatDirection").and_then(as_str) == Some("v"),
                max_per_row: panel.get("maxPerRow").and_then(as_i64),
            }
        }),
        grid_pos: if is_row {
            GridPos::row_header(panel.get("gridPos"))
        } else {
            GridPos::from_json(panel.get("gridPos"))
        },
        targets,
        min_interval: panel.get("interval").and_then(as_str).unwrap_or("").to_string(),
        max_data_points: panel.get("maxDataPoints").and_then(as_i64).and_then(|n| u32::try_from(n).ok()),
        time_from: panel.get("timeFrom").and_then(as_str).unwrap_or("").to_string(),
        time_shift: panel.get("timeShift").and_then(as_str).unwrap_or("").to_string(),
        hide_time_override: panel.get("hideTimeOverride").and_then(as_bool).unwrap_or(false),
        field_defaults: field_defaults.into(),
        unit,
        decimals,
        // Moved, not copied: the rest of the panel is read above.
        options: panel.remove("options").unwrap_or(Value::Null).into(),
        field_config: panel.remove("fieldConfig").unwrap_or(Value::Null).into(),
        transformations: panel.remove("transformations").unwrap_or(Value::Null).into(),
        json_path,
        children,
        content_hash,
    }
}

/// Feeds a JSON value to `hasher`: its type, and its text, numbers, keys (in order) and elements.
/// Much cheaper than writing the value out (a large dashboard hashes every panel after each edit).
fn hash_json(value: &Value, hasher: &mut impl std::hash::Hasher) {
    match value {
        Value::Null => hasher.write_u8(0),
        Value::Bool(flag) => hasher.write_u8(1 + u8::from(*flag)),
        Value::Number(number) => {
            hasher.write_u8(3);
            match (number.as_i64(), number.as_f64()) {
                (Some(integer), _) => hasher.write_i64(integer),
                (None, Some(float)) => hasher.write_u64(float.to_bits()),
                (None, None) => hasher.write(number.to_string().as_bytes()),
            }
        }
        Value::String(text) => {
            hasher.write_u8(4);
            hasher.write(text.as_bytes());
            hasher.write_u8(0xff);
        }
        Value::Array(items) => {
            hasher.write_u8(5);
            hasher.write_usize(items.len());
            items.iter().for_each(|item| hash_json(item, hasher));
        }
        Value::Object(map) => {
            hasher.write_u8(6);
            hasher.write_usize(map.len());
            for (key, item) in map {
                hasher.write(key.as_bytes());
                hasher.write_u8(0xff);
                hash_json(item, hasher);
            }
        }
    }
}

fn read_target(target: &Value, index: usize) -> Option<TargetView> {
    let target = target.as_object()?;
    // Grafana names targets A, B, C… when refId is missing.
    let default_ref_id = char::from(b'A' + (index % 26) as u8).to_string();
    Some(TargetView {
        ref_id: target.get("refId").and_then(as_str).unwrap_or(&default_ref_id).to_string(),
        expr: target.get("expr").and_then(as_str).unwrap_or("").to_string(),
        legend_format: target.get("legendFormat").and_then(as_str).unwrap_or("").to_string(),
        min_interval: target.get("interval").and_then(as_str).unwrap_or("").to_string(),
        instant: target.get("instant").and_then(as_bool).unwrap_or(false)
            && !target.get("range").and_then(as_bool).unwrap_or(false),
        both: target.get("instant").and_then(as_bool).unwrap_or(false)
            && target.get("range").and_then(as_bool).unwrap_or(false),
        hide: target.get("hide").and_then(as_bool).unwrap_or(false),
        interval_factor: target.get("intervalFactor").and_then(as_i64).filter(|f| *f >= 1).unwrap_or(1),
        datasource: target.get("datasource").cloned().unwrap_or(Value::Null),
        format: target.get("format").and_then(as_str).unwrap_or("time_series").to_string(),
    })
}

/// Panels without a usable `id` get unique ones after the highest present, as Grafana does on load.
fn assign_missing_ids(panels: &mut [PanelView]) {
    fn max_id(panels: &[PanelView]) -> i64 {
        panels.iter().map(|p| p.id.max(max_id(&p.children))).max().unwrap_or(0)
    }
    fn used_ids(panels: &[PanelView], used: &mut std::collections::HashSet<i64>) {
        for panel in panels {
            used.insert(panel.id);
            used_ids(&panel.children, used);
        }
    }
    fn assign(panels: &mut [PanelView], next: &mut i64, used: &mut std::collections::HashSet<i64>) {
        for panel in panels {
            if panel.id <= 0 {
                // After the highest id; when that is i64::MAX (a file can say so), the lowest free.
                *next = match next.checked_add(1) {
                    Some(candidate) if !used.contains(&candidate) => candidate,
                    _ => (1..).find(|candidate| !used.contains(candidate)).unwrap_or(1),
                };
                used.insert(*next);
                panel.id = *next;
            }
            assign(&mut panel.children, next, used);
        }
    }
    let mut used = std::collections::HashSet::new();
    used_ids(panels, &mut used);
    let mut next = max_id(panels);
    assign(panels, &mut next, &mut used);
}

#[cfg(test)]
mod tests;
