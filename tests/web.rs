//! Browser tests (wasm-bindgen-test in headless Chromium): the parts that only exist in a browser —
//! the canvas at the real device pixel ratio, and the Prometheus client's real fetch.
#![cfg(target_arch = "wasm32")]

use promboard::app::canvas::draw_chart;
use promboard::chart::{ChartSeries, ChartSpec};
use promboard::field::classic_palette_color;
use promboard::prom::PromError;
use promboard::query::PlannedQuery;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

fn canvas_in_page(css_width: u32, css_height: u32) -> HtmlCanvasElement {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let canvas: HtmlCanvasElement =
        document.create_element("canvas").expect("canvas").dyn_into().expect("is a canvas");
    canvas
        .set_attribute("style", &format!("width:{css_width}px;height:{css_height}px;display:block"))
        .expect("style");
    document.body().expect("body").append_child(&canvas).expect("appended");
    canvas
}

#[wasm_bindgen_test]
fn chart_fills_a_backing_store_sized_for_the_device_pixel_ratio() {
    let canvas = canvas_in_page(600, 200);
    let color = classic_palette_color(2, promboard::field::Theme::Dark);
    // A flat line: its pixels are the series colour exactly, not antialiased blends.
    let flat = ChartSeries {
        name: "flat".into(),
        color,
        points: (0..=4).map(|i| (f64::from(i) * 15_000.0, 1.0)).collect::<Vec<_>>().into(),
        style: Default::default(),
        baseline: None,
    };
    let spec = ChartSpec { unit: "percent".into(), ..ChartSpec::new(0.0, 60_000.0, 15_000.0, vec![flat]) };
    let layout = draw_chart(&canvas, &spec).expect("draws").expect("the canvas has a size");
    let dpr = web_sys::window().expect("window").device_pixel_ratio();
    assert_eq!(canvas.width(), (600.0 * dpr).round() as u32);
    assert_eq!(canvas.height(), (200.0 * dpr).round() as u32);
    assert!(layout.plot.left > 12.0 * dpr, "the y labels were measured by the browser: {layout:?}");

    let context: CanvasRenderingContext2d =
        canvas.get_context("2d").expect("context").expect("2d").dyn_into().expect("is 2d");
    let pixels = context
        .get_image_data(0.0, 0.0, f64::from(canvas.width()), f64::from(canvas.height()))
        .expect("pixels")
        .data();
    let exact = pixels
        .chunks_exact(4)
        .filter(|p| p[0] == color.0 && p[1] == color.1 && p[2] == color.2 && p[3] == 255)
        .count();
    assert!(exact as f64 >= layout.plot.width * 0.9, "only {exact} pixels in the series colour");
}

#[wasm_bindgen_test]
fn hidden_canvas_is_not_drawn() {
    let canvas = canvas_in_page(0, 0);
    let spec = ChartSpec::new(0.0, 1.0, 1.0, vec![]);
    assert_eq!(draw_chart(&canvas, &spec), Ok(None));
}

#[wasm_bindgen_test]
async fn client_reports_the_http_status_when_no_prometheus_answers() {
    // The test runner's own server has no Prometheus API: the client must say so, with the query.
    let query = PlannedQuery {
        ref_id: "A".into(),
        expr: "up".into(),
        end_s: 60,
        step_s: 15,
        datasource_uid: "prometheus".into(),
        ..PlannedQuery::default()
    };
    match promboard::prom::client::query_range(&promboard::datasource::Registry::builtin(), &query).await {
        Err(PromError::Http { status, query, url, .. }) => {
            assert!(status >= 400, "status {status}");
            assert_eq!(query, "up");
            assert_eq!(url, "/api/v1/query_range");
        }
        other => panic!("expected an HTTP error, got {other:?}"),
    }
}
