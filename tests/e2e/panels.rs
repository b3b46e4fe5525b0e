//! End-to-end scenarios for panel options, the panel menu and the page's look, over the fixture
//! dashboard `options.json` (one panel per option, each asserting what it shows).

use crate::World;
use crate::browser::Browser;
use crate::fixture;
use crate::stack::Result;
use fantoccini::Locator;
use serde_json::{Value, json};
use std::time::Duration;

fn options_url(world: &World, extra: &str) -> String {
    format!(
        "{}/d/e2e-options/e2e-options?from={}&to={}{extra}",
        world.stack.app_url,
        fixture::START_S * 1000,
        fixture::END_S * 1000
    )
}

fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<()> {
    if condition { Ok(()) } else { Err(message().into()) }
}

/// Counts the canvas pixels of panel `arguments[0]` that are exactly `#rrggbb` (`arguments[1]`).
const COUNT_EXACT_PIXELS: &str = r#"
    const canvas = document.querySelector(`[data-panel-id="${arguments[0]}"] canvas`);
    const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const [r, g, b] = [1, 3, 5].map(i => parseInt(arguments[1].slice(i, i + 2), 16));
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] === r && d[i + 1] === g && d[i + 2] === b && d[i + 3] === 255) n++;
    return n;
"#;

async fn y_ticks(browser: &Browser, panel: &str) -> Result<Vec<f64>> {
    let ticks = browser
        .execute(
            "return document.querySelector(`[data-panel-id=\"${arguments[0]}\"] .chart`).dataset.yTicks;",
            vec![json!(panel)],
        )
        .await?;
    let text = ticks.as_str().unwrap_or_default().to_string();
    text.split('|')
        .map(|t| t.trim().parse::<f64>().map_err(|_| format!("panel {panel}: tick {t:?} in {text:?}").into()))
        .collect()
}

pub fn panel_options_show_what_grafana_shows(world: &World) -> Result<()> {
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        // Tall enough that every panel of the fixture is near the screen and loads.
        browser.client.set_window_size(1400, 3000).await?;
        browser.goto(&options_url(world, "")).await?;
        let states = browser.settled_panel_states().await?;
        browser.screenshot("options-dashboard").await?;
        ensure(states.iter().all(|(_, state)| state == "drawn"), || format!("panel states: {states:?}"))?;

        // Soft limits widen the axis to 0–100 around 20–31 °C; the smooth line is drawn.
        let soft = y_ticks(&browser, "1").await?;
        ensure(soft.first() == Some(&0.0) && soft.last() == Some(&100.0), || format!("soft-limit ticks {soft:?}"))?;
        // Hard limits are the axis ends: every tick within 22–25, both ends shown.
        let hard = y_ticks(&browser, "2").await?;
        ensure(
            hard.iter().all(|t| (22.0..=25.0).contains(t)) && hard.first() == Some(&22.0) && hard.last() == Some(&25.0),
            || format!("hard-limit ticks {hard:?}"),
        )?;

        // Scheme gradient by thresholds: sensor a runs 20–31 °C, so its line is green below 25
        // and red above, in Grafana's exact colours.
        for colour in ["#73BF69", "#F2495C"] {
            let count = browser.execute(COUNT_EXACT_PIXELS, vec![json!("3"), json!(colour)]).await?;
            ensure(count.as_u64().unwrap_or(0) >= 100, || format!("{count} pixels of {colour} on the scheme-gradient line"))?;
        }

        // Hue gradient: the fill under sensor b is drawn, its colour turning from top to bottom.
        let hue: Value = browser
            .execute(
                "const c = document.querySelector('[data-panel-id=\"4\"] canvas');
                 const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                 const greenish = i => d[i + 1] > d[i] + 20 && d[i + 1] > 60;
                 let filled = 0;
                 for (let i = 0; i < d.length; i += 4) if (greenish(i)) filled++;
                 const x = Math.floor(c.width / 2);
                 const column = [];
                 for (let y = 0; y < c.height; y++) { const i = (y * c.width + x) * 4; if (greenish(i)) column.push([d[i], d[i + 1], d[i + 2]]); }
                 return [filled, c.width * c.height, column[2], column[column.length - 2]];",
                vec![],
            )
            .await?;
        let shift: i64 = (0..3).map(|i| (hue[2][i].as_i64().unwrap_or(0) - hue[3][i].as_i64().unwrap_or(0)).abs()).sum();
        ensure(
            hue[0].as_f64().unwrap_or(0.0) > hue[1].as_f64().unwrap_or(1.0) * 0.3 && shift > 20,
            || format!("hue fill (filled pixels, canvas pixels, top colour, bottom colour) {hue}"),
        )?;

        // A click on the hue panel's series pins its data link, filled in with the series' label
        // and the value clicked on.
        browser
            .execute(
                "const chart = document.querySelector('[data-panel-id=\"4\"] .chart');
                 const r = chart.getBoundingClientRect();
                 const at = {bubbles: true, clientX: r.left + r.width / 2, clientY: r.top + r.height * 0.3, button: 0};
                 chart.dispatchEvent(new MouseEvent('mousemove', at));
                 chart.dispatchEvent(new MouseEvent('mousedown', at));
                 chart.dispatchEvent(new MouseEvent('mouseup', at));",
                vec![],
            )
            .await?;
        browser.wait_for("the data link menu", Duration::from_secs(5), "return !!document.querySelector('[data-panel-id=\"4\"] .data-links-menu a');").await?;
        let link = browser.execute("return document.querySelector('[data-panel-id=\"4\"] .data-links-menu a').getAttribute('href');", vec![]).await?;
        ensure(
            link.as_str().is_some_and(|href| {
                href.starts_with("/d/e2e-options/e2e-options?var-sensor=b&value=")
                    && href["/d/e2e-options/e2e-options?var-sensor=b&value=".len()..].parse::<f64>().is_ok_and(|v| (26.5..=30.0).contains(&v))
            }),
            || format!("series data link {link}"),
        )?;

        // LCD bars: 0–40 in cells; a (20 °C) lights half of its cells, all green; b (30 °C) lights
        // three quarters, the last of them red (from 29).
        let lcd: Value = browser
            .execute(
                "return [...document.querySelectorAll('[data-panel-id=\"5\"] .bar-gauge')].map(b => {
                     const cells = [...b.querySelectorAll('.lcd-cell')];
                     const lit = cells.filter(c => c.classList.contains('lit'));
                     return [b.dataset.series, cells.length, lit.length,
                             [...new Set(lit.map(c => getComputedStyle(c).backgroundColor))]];
                 });",
                vec![],
            )
            .await?;
        let bars = lcd.as_array().cloned().unwrap_or_default();
        ensure(bars.len() == 2, || format!("LCD bars {lcd}"))?;
        for bar in &bars {
            let (total, lit) = (bar[1].as_f64().unwrap_or(0.0), bar[2].as_f64().unwrap_or(0.0));
            let expected = if bar[0] == "a" { 0.5 } else { 0.75 };
            ensure(total >= 10.0 && (lit / total - expected).abs() <= 1.0 / total + 1e-9, || format!("LCD bar {bar}"))?;
        }
        ensure(bars[0][3] == json!(["rgb(115, 191, 105)"]), || format!("bar a's lit cells {}", bars[0][3]))?;
        ensure(
            bars[1][3].as_array().is_some_and(|c| c.contains(&json!("rgb(242, 73, 92)")) && c.contains(&json!("rgb(255, 152, 48)"))),
            || format!("bar b's lit cells {}", bars[1][3]),
        )?;

        // Gradient bars, vertical: the fill blends the steps reached bottom to top.
        let gradients: Value = browser
            .execute(
                "return [...document.querySelectorAll('[data-panel-id=\"6\"] .bar-gauge')].map(b =>
                     [b.dataset.series, b.dataset.fraction, b.querySelector('.bar-fill').style.background]);",
                vec![],
            )
            .await?;
        let gradient_b = gradients.as_array().and_then(|g| g.iter().find(|b| b[0] == "b")).cloned().unwrap_or_default();
        ensure(
            gradient_b[1] == "0.7500"
                && gradient_b[2].as_str().is_some_and(|s| {
                    s.starts_with("linear-gradient(0deg") && s.contains("rgb(115, 191, 105)") && s.contains("rgb(242, 73, 92)")
                }),
            || format!("gradient bars {gradients}"),
        )?;

        // Cell gauges: the value column as gauges on 0–40, the value beside each.
        let cells: Value = browser
            .execute(
                "return [...document.querySelectorAll('[data-panel-id=\"7\"] td[data-cell-mode=\"gauge\"]')]
                     .map(c => [c.dataset.fraction, c.textContent.trim()]);",
                vec![],
            )
            .await?;
        ensure(cells == json!([["0.5000", "20"], ["0.7500", "30"]]), || format!("cell gauges {cells}"))?;
        // A data link on the sensor column: each cell links with its own row's sensor and the range.
        let links = browser
            .execute("return [...document.querySelectorAll('[data-panel-id=\"7\"] td .data-link a, [data-panel-id=\"7\"] td a.data-link')].map(a => a.getAttribute('href'));", vec![])
            .await?;
        let range = format!("from={}&to={}", fixture::START_S * 1000, fixture::END_S * 1000);
        ensure(
            links == json!([format!("/d/e2e-options/e2e-options?var-sensor=a&{range}"), format!("/d/e2e-options/e2e-options?var-sensor=b&{range}")]),
            || format!("data links {links}"),
        )?;

        // Continuous GrYlRd on 20–30: a at 20 is its green end, b at 30 its red end.
        let stat_colours: Value = browser
            .execute(
                "return [...document.querySelectorAll('[data-panel-id=\"8\"] .stat-cell')].map(c => [c.dataset.series, c.dataset.color]);",
                vec![],
            )
            .await?;
        ensure(stat_colours == json!([["a", "#73bf69"], ["b", "#f2495c"]]), || format!("continuous colours {stat_colours}"))?;

        // The repeated row: once per sensor, each copy's panel asking for its own sensor, and
        // the row after them pushed below both.
        let rows: Value = browser
            .execute(
                "return [...document.querySelectorAll('.row-panel[data-panel-id=\"10\"] .row-title')].map(r => r.textContent);",
                vec![],
            )
            .await?;
        ensure(rows == json!(["Sensor a", "Sensor b"]), || format!("repeated rows {rows}"))?;
        let repeated: Value = browser
            .execute(
                "return [...document.querySelectorAll('.panel[data-expr*=\"e2e_temperature_celsius{sensor=\"]')]
                     .filter(p => p.querySelector('.stat-cell')).map(p => [p.dataset.expr, p.querySelector('.stat-cell')?.textContent.trim(), parseFloat(p.style.top)]);",
                vec![],
            )
            .await?;
        let tops = browser
            .execute(
                "return ['10', '12'].map(id => Math.max(...[...document.querySelectorAll(`.row-panel[data-panel-id=\"${id}\"]`)].map(r => parseFloat(r.style.top))));",
                vec![],
            )
            .await?;
        let copies = repeated.as_array().cloned().unwrap_or_default();
        ensure(
            copies.len() == 2
                && copies[0][0] == "e2e_temperature_celsius{sensor=\"a\"}"
                && copies[0][1].as_str().is_some_and(|t| t.starts_with("20"))
                && copies[1][0] == "e2e_temperature_celsius{sensor=\"b\"}"
                && copies[1][1].as_str().is_some_and(|t| t.starts_with("30"))
                && tops[1].as_f64() > copies[1][2].as_f64(),
            || format!("repeated panels {repeated}, row tops {tops}"),
        )?;
        browser.finish().await
    })
}

/// Opens panel 1's menu and picks `item`.
async fn open_menu_item(browser: &Browser, item: &str) -> Result<()> {
    browser.client.find(Locator::Css("[data-panel-id=\"1\"] .panel-menu-button")).await?.click().await?;
    browser.client.find(Locator::Css(&format!("[data-panel-id=\"1\"] {item}"))).await?.click().await?;
    Ok(())
}

pub fn panel_menu_views_and_inspects(world: &World) -> Result<()> {
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        // Tall enough that every panel of the fixture is near the screen and loads.
        browser.client.set_window_size(1400, 3000).await?;
        browser.goto(&options_url(world, "")).await?;
        browser.settled_panel_states().await?;
        let step = browser.required_panel_attribute("1", "data-step").await?;

        // Inspect: the data joined by time, downloadable as CSV.
        open_menu_item(&browser, ".menu-inspect").await?;
        browser.wait_for("the inspector", Duration::from_secs(5), "return !!document.querySelector('.inspector .inspect-table');").await?;
        let url = browser.client.current_url().await?;
        ensure(url.query().is_some_and(|q| q.contains("inspect=1")), || format!("inspector URL {url}"))?;
        let summary = browser.text_of(".inspect-summary").await?;
        ensure(summary.starts_with("2 series, "), || format!("inspector summary {summary:?}"))?;
        // The CSV link is a blob: URL; a synchronous request reads it back.
        let csv = browser
            .execute(
                "const x = new XMLHttpRequest(); x.open('GET', document.querySelector('.inspect-csv').href, false); x.send(); return x.responseText;",
                vec![],
            )
            .await?
            .as_str()
            .unwrap_or_default()
            .to_string();
        let lines: Vec<&str> = csv.lines().collect();
        ensure(
            lines.first() == Some(&"\"Time\",\"a\",\"b\"") && lines.get(1).is_some_and(|l| l.starts_with("\"2026-01-01 ")),
            || format!("CSV starts {:?}", &lines[..lines.len().min(3)]),
        )?;
        // The query as sent, with the panel's step.
        browser.client.find(Locator::Css(".inspector .tab-query")).await?.click().await?;
        let query: Value = browser
            .execute(
                "const q = document.querySelector('.inspect-query[data-ref-id=\"A\"]');
                 return q && [q.dataset.step, q.querySelector('.inspect-expr').textContent, q.querySelector('.inspect-request').textContent];",
                vec![],
            )
            .await?;
        ensure(
            query[0] == json!(step)
                && query[1] == "e2e_temperature_celsius"
                && query[2].as_str().is_some_and(|r| r.contains("/api/v1/query_range") && r.contains(&format!("step={step}"))),
            || format!("query tab {query}"),
        )?;
        // The raw response, asked again.
        browser.client.find(Locator::Css(".inspector .tab-raw")).await?.click().await?;
        browser.client.find(Locator::Css(".inspect-fetch")).await?.click().await?;
        browser
            .wait_for(
                "the raw response",
                Duration::from_secs(10),
                "const b = document.querySelector('.inspect-raw-body');
                 return !!b && b.textContent.includes('HTTP 200') && b.textContent.includes('\"resultType\":\"matrix\"');",
            )
            .await?;
        // The panel's JSON as the file has it.
        browser.client.find(Locator::Css(".inspector .tab-json")).await?.click().await?;
        let json_text = browser.text_of(".inspect-json").await?;
        let panel: Value = serde_json::from_str(&json_text).map_err(|e| format!("panel JSON {json_text:?}: {e}"))?;
        ensure(panel["title"] == "Soft limits, smooth" && panel["id"] == 1, || format!("panel JSON {panel}"))?;
        browser.screenshot("inspector").await?;
        browser.client.find(Locator::Css(".inspector-close")).await?.click().await?;

        // View: the panel alone, the grid's full width.
        open_menu_item(&browser, ".menu-view").await?;
        browser
            .wait_for(
                "the panel alone",
                Duration::from_secs(5),
                "const p = [...document.querySelectorAll('[data-panel-id]')];
                 return p.length === 1 && p[0].dataset.panelId === '1' && p[0].dataset.state === 'drawn'
                     && !document.querySelector('.inspector');",
            )
            .await?;
        let url = browser.client.current_url().await?;
        ensure(url.query().is_some_and(|q| q.contains("viewPanel=1")), || format!("view URL {url}"))?;
        browser.screenshot("view-panel").await?;
        browser.client.back().await?;
        browser
            .wait_for("the dashboard again", Duration::from_secs(5), "return document.querySelectorAll('[data-panel-id]').length > 10;")
            .await?;
        browser.finish().await
    })
}

pub fn light_theme_and_narrow_screens(world: &World) -> Result<()> {
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        // Tall enough that every panel of the fixture is near the screen and loads.
        browser.client.set_window_size(1400, 3000).await?;
        browser.goto(&options_url(world, "&theme=light")).await?;
        browser.settled_panel_states().await?;
        let theme: Value = browser
            .execute(
                "return [document.documentElement.dataset.theme, getComputedStyle(document.documentElement).backgroundColor,
                         getComputedStyle(document.querySelector('.panel')).backgroundColor];",
                vec![],
            )
            .await?;
        ensure(theme == json!(["light", "rgb(244, 245, 245)", "rgb(255, 255, 255)"]), || format!("light theme {theme}"))?;
        // Named colours take their light-theme shades: sensor a's lit LCD cells are light green.
        let lit = browser
            .execute(
                "return getComputedStyle(document.querySelector('[data-panel-id=\"5\"] .bar-gauge .lcd-cell.lit')).backgroundColor;",
                vec![],
            )
            .await?;
        ensure(lit == "rgb(86, 166, 75)", || format!("light-theme green {lit}"))?;
        browser.screenshot("options-light").await?;

        // A phone-wide window: one column in JSON order, the two stats on one line (tall, so that
        // every panel of the column is on the page).
        browser.client.set_window_size(600, 3000).await?;
        browser
            .wait_for(
                "the one-column layout",
                Duration::from_secs(5),
                "const w = document.querySelector('.grid').getBoundingClientRect().width;
                 return Math.abs(document.querySelector('[data-panel-id=\"1\"]').getBoundingClientRect().width - w) < 2;",
            )
            .await?;
        let layout: Value = browser
            .execute(
                "const grid = document.querySelector('.grid').getBoundingClientRect();
                 return ['1', '2', '7', '8', '9'].map(id => {
                     const r = document.querySelector(`[data-panel-id=\"${id}\"]`).getBoundingClientRect();
                     return [id, Math.round(r.left - grid.left), Math.round(r.width / grid.width * 24), Math.round(r.top)];
                 });",
                vec![],
            )
            .await?;
        let rows = layout.as_array().cloned().unwrap_or_default();
        let top = |i: usize| rows[i][3].as_f64().unwrap_or(0.0);
        ensure(
            rows[0][2] == 24 && rows[1][2] == 24 && rows[2][2] == 24
                && top(0) < top(1) && top(1) < top(2)
                && rows[3][2] == 12 && rows[4][2] == 12 && top(3) == top(4) && rows[4][1].as_f64() > rows[3][1].as_f64(),
            || format!("narrow layout (id, left, columns, top) {layout}"),
        )?;
        browser.screenshot("options-narrow").await?;

        // The panels drawn as markup (state timeline, status history, histogram, bar charts, XY
        // chart, trend, candlestick), light and narrow: each draws its marks inside its panel, in
        // the light theme's shades (the candles' green is light green).
        let range = format!("from={}&to={}", crate::fixture::START_S * 1000, crate::fixture::END_S * 1000);
        browser.goto(&format!("{}/d/e2e-annotations/e2e-annotations?{range}&theme=light", world.stack.app_url)).await?;
        browser.settled_panel_states().await?;
        let drawn: Value = browser
            .execute(
                "const marks = {'3': '.state-box', '4': '.state-box', '6': '.histogram-bar', '8': '.barchart-bar', '9': '.barchart-bar',
                                '10': '.xy-point', '11': '.xy-point', '12': '.candle .body'};
                 return Object.entries(marks).map(([id, mark]) => {
                     const panel = document.querySelector(`[data-panel-id=\"${id}\"]`);
                     const svg = panel.querySelector('svg');
                     return [id, panel.dataset.state, panel.querySelectorAll(mark).length > 0,
                             !!svg && svg.getBoundingClientRect().right <= panel.getBoundingClientRect().right + 1];
                 });",
                vec![],
            )
            .await?;
        let all_drawn = drawn.as_array().is_some_and(|rows| rows.iter().all(|row| row[1] == "drawn" && row[2] == true && row[3] == true));
        ensure(all_drawn, || format!("markup panels, light and narrow (id, state, marks, inside): {drawn}"))?;
        let up = browser
            .execute("return document.querySelector('[data-panel-id=\"12\"] .candle[data-direction=\"up\"] .body').getAttribute('fill');", vec![])
            .await?;
        ensure(up == "#56A64B", || format!("light-theme candle green {up}"))?;
        browser.screenshot("markup-panels-light-narrow").await?;
        browser.finish().await
    })
}

/// Node Exporter Full (the corpus' rfmoz dashboard, 141 panels) over two hours of a real node
/// exporter's series (one scrape of prometheus-node-exporter 1.5, replayed — the data the demo
/// stack's node exporter gives): every row expanded, every panel drawn or without data, none in
/// error or unsupported.
pub fn node_exporter_full_renders_with_no_panel_in_error(world: &World) -> Result<()> {
    const NEF_FILE: &str = "rfmoz__grafana-dashboards__node-exporter-full.json";
    let corpus = crate::stack::crate_dir().join("../shared/corpus").join(NEF_FILE);
    if !corpus.is_file() {
        println!("NOTICE: {} is absent (licence: read from ../shared only); skipped", corpus.display());
        return Ok(());
    }
    let now_s = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs() as i64;
    let blocks = crate::stack::FixtureBlocks::from_openmetrics("node-blocks", |out| {
        crate::node_data::node_history(out, now_s, 2 * 3600)?;
        std::io::Write::write_all(out, b"# EOF\n")?;
        Ok(())
    })?;
    let dashboards = crate::stack::ScratchDir::new("nef-dashboards")?;
    std::fs::copy(&corpus, dashboards.0.join("node-exporter-full.json"))?;
    std::fs::set_permissions(
        dashboards.0.join("node-exporter-full.json"),
        std::os::unix::fs::PermissionsExt::from_mode(0o644),
    )?;
    let uid = serde_json::from_str::<Value>(&std::fs::read_to_string(&corpus)?)?["uid"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let stack = crate::stack::Stack::start_with(&blocks, &dashboards.0, "15s", None, None)?;
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        browser.goto(&format!("{}/d/{uid}/node-exporter-full?from=now-1h&to=now", stack.app_url)).await?;
        browser.settled_panel_states().await?;
        // Every collapsed row open, and a window tall enough that every panel is near the screen.
        browser
            .execute(
                "[...document.querySelectorAll('.row-toggle')].filter(b => b.textContent.includes('\\u25b8')).forEach(b => b.click());",
                vec![],
            )
            .await?;
        let height = browser.execute("return document.querySelector('.grid').getBoundingClientRect().height;", vec![]).await?;
        let height = height.as_f64().unwrap_or(10_000.0) as u32 + 400;
        browser.client.set_window_size(1400, height.min(60_000)).await?;
        browser
            .wait_for(
                "every panel of Node Exporter Full to settle",
                Duration::from_secs(90),
                "const p = [...document.querySelectorAll('[data-panel-id]')];
                 return p.length > 100 && p.every(e => e.dataset.state !== 'loading');",
            )
            .await?;
        let states = browser.panel_states().await?;
        let bad: Vec<&(String, String)> =
            states.iter().filter(|(_, state)| state == "error" || state == "unsupported").collect();
        let messages = browser
            .execute(
                "return [...document.querySelectorAll('[data-state=\"error\"], [data-state=\"unsupported\"]')]
                     .map(p => p.dataset.panelId + ': ' + p.textContent.slice(0, 200));",
                vec![],
            )
            .await?;
        let drawn = states.iter().filter(|(_, state)| state == "drawn").count();
        println!("  Node Exporter Full: {} panels, {drawn} drawn, the rest without data", states.len());
        ensure(bad.is_empty(), || format!("panels in error or unsupported: {messages}"))?;
        // The replayed exporter lacks some collectors NEF charts (its panels show "No data", as
        // Grafana's would); fewer than four in five drawn would mean queries going wrong.
        ensure(drawn * 5 >= states.len() * 4, || format!("only {drawn} of {} panels drawn: {states:?}", states.len()))?;
        browser.client.set_window_size(1400, 1000).await?;
        browser.screenshot("node-exporter-full").await?;
        browser.finish().await
    })
}

/// The rest of the options, over the lower half of the same fixture: bars, points, stacking
/// (normal and percent), stepped lines with points, negative-Y by a regex override, a hidden axis,
/// null handling, sanitised HTML, a legacy singlestat and graph, value mappings, percentage
/// thresholds, and overrides by query and by type.
pub fn more_panel_options_show_what_grafana_shows(world: &World) -> Result<()> {
    world.block_on(async {
        let browser = Browser::open(&world.chromedriver.url, 1.0).await?;
        browser.client.set_window_size(1400, 3000).await?;
        browser.goto(&options_url(world, "")).await?;
        let states = browser.settled_panel_states().await?;
        browser.screenshot("options-more").await?;
        let state_of = |id: &str| states.iter().find(|(p, _)| p == id).map(|(_, s)| s.clone()).unwrap_or_default();
        for id in ["20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32", "33", "34"] {
            ensure(state_of(id) == "drawn", || format!("panel {id} is {:?}: {states:?}", state_of(id)))?;
        }
        let exact = |panel: &'static str, colour: &'static str| {
            let browser = &browser;
            async move {
                let count = browser.execute(COUNT_EXACT_PIXELS, vec![json!(panel), json!(colour)]).await?;
                Result::Ok(count.as_u64().unwrap_or(0))
            }
        };
        // Bars and points in the series colour.
        let (bars, points, steps) = (exact("20", "#73BF69").await?, exact("21", "#73BF69").await?, exact("24", "#73BF69").await?);
        ensure(bars >= 2_000 && points >= 200 && steps >= 200, || format!("series pixels: bars {bars}, points {points}, steps {steps}"))?;
        // Stacking: 0.2 + 0.0667 req/s on top of each other; percent stacking fills 0–100 %.
        let stacked = y_ticks(&browser, "22").await?;
        ensure(stacked.last().is_some_and(|top| *top >= 0.25), || format!("stacked ticks {stacked:?}"))?;
        let percent = browser.execute("return document.querySelector('[data-panel-id=\"23\"] .chart').dataset.yTicks;", vec![]).await?;
        ensure(percent.as_str().is_some_and(|t| t.starts_with("0%") && t.ends_with("100%")), || format!("percent-stacked ticks {percent}"))?;
        // Negative-Y by a regex override: the 500s go below zero.
        let mirrored = y_ticks(&browser, "25").await?;
        ensure(mirrored.first().is_some_and(|low| *low < 0.0) && mirrored.last().is_some_and(|high| *high > 0.0), || format!("negative-Y ticks {mirrored:?}"))?;
        // A hidden axis has no labels.
        let hidden = browser.execute("return document.querySelector('[data-panel-id=\"26\"] .chart').dataset.yTicks;", vec![]).await?;
        ensure(hidden == "", || format!("hidden axis ticks {hidden}"))?;
        // spanNulls joins the ten-minute gap: more line than without it.
        let (kept, spanned) = (exact("27", "#73BF69").await?, exact("28", "#73BF69").await?);
        ensure(spanned as f64 > kept as f64 * 1.08, || format!("gap kept {kept} px, spanned {spanned} px"))?;
        // HTML is sanitised: markup stays, scripts, handlers and javascript: links do not.
        let html: Value = browser
            .execute(
                "const p = document.querySelector('[data-panel-id=\"29\"]');
                 return [p.querySelector('.panel-body b')?.textContent ?? null, p.querySelector('.panel-body a')?.getAttribute('href') ?? null,
                         [...p.querySelectorAll('.panel-body *')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
                         p.querySelectorAll('script').length, window.__pwned ?? null];",
                vec![],
            )
            .await?;
        ensure(
            html[0] == "bold" && !html[1].as_str().unwrap_or("").starts_with("javascript") && html[2] == 0 && html[3] == 0 && html[4].is_null(),
            || format!("sanitised HTML (bold text, link href, elements with handlers, scripts, pwned) {html}"),
        )?;
        // A legacy singlestat becomes a stat with the same value.
        let single = browser.execute("return document.querySelector('[data-panel-id=\"30\"] .stat-cell')?.textContent.trim();", vec![]).await?;
        ensure(single == "2", || format!("legacy singlestat shows {single}"))?;
        // Value mappings: 20 → cold (blue), 25–35 → warm (red).
        let mapped: Value = browser
            .execute("return [...document.querySelectorAll('[data-panel-id=\"31\"] .stat-cell')].map(c => [c.dataset.series, c.querySelector('.stat-value')?.textContent.trim() ?? c.textContent.trim(), c.dataset.color]);", vec![])
            .await?;
        ensure(
            mapped.as_array().is_some_and(|cells| {
                cells.len() == 2
                    && cells[0][1].as_str().is_some_and(|t| t.contains("cold"))
                    && cells[0][2] == "#5794F2"
                    && cells[1][1].as_str().is_some_and(|t| t.contains("warm"))
                    && cells[1][2] == "#F2495C"
            }),
            || format!("mapped values {mapped}"),
        )?;
        // Percentage thresholds on 0–40: 20 is 50 % (orange), 30 is 75 % (red).
        let gauges = browser
            .execute("return [...document.querySelectorAll('[data-panel-id=\"32\"] .gauge')].map(g => [g.dataset.series, g.dataset.color]);", vec![])
            .await?;
        ensure(gauges == json!([["a", "#FF9830"], ["b", "#F2495C"]]), || format!("percentage-threshold gauges {gauges}"))?;
        // Overrides by query (B purple) and by type (every number field 3 px wide, so each
        // series covers more pixels than the 1 px lines of panel 1's).
        let swatches = browser
            .execute("return [...document.querySelectorAll('[data-panel-id=\"33\"] .legend-item .swatch')].map(s => getComputedStyle(s).backgroundColor);", vec![])
            .await?;
        ensure(swatches == json!(["rgb(115, 191, 105)", "rgb(184, 119, 217)"]), || format!("by-query colours {swatches}"))?;
        let wide: Vec<u64> = serde_json::from_value(browser.execute(super::scenarios::COUNT_SERIES_PIXELS, vec![json!("33")]).await?)?;
        ensure(wide.len() == 2 && wide.iter().all(|c| *c >= 1_000), || format!("pixels per series with 3 px lines {wide:?}"))?;
        // A legacy graph becomes a time series with its legend and unit.
        let graph: Value = browser
            .execute("const p = document.querySelector('[data-panel-id=\"34\"]');
                      return [[...p.querySelectorAll('.legend-item')].map(i => i.dataset.series), p.querySelector('.chart').dataset.yTicks];", vec![])
            .await?;
        ensure(
            graph[0] == json!(["200", "500"]) && graph[1].as_str().is_some_and(|t| t.contains("req/s")),
            || format!("legacy graph (legend, ticks) {graph}"),
        )?;
        browser.finish().await
    })
}
