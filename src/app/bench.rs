//! Entry points for `scripts/bench` (issue 7), exported to JavaScript as `window.wasmBindings.*`.
//! They call the app's own chart path, the one every time-series panel uses, so the benchmark
//! measures what users get; they own no drawing code of their own and are never called by the app.

use super::canvas::draw_chart_sized;
use crate::app::theme::chosen_theme;
use crate::chart::{ChartSeries, ChartSpec, SeriesStyle};
use crate::field::classic_palette_color;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

thread_local! {
    /// The chart data `bench_load_chart` put into the app's memory, as a panel holds its answer.
    static LOADED: std::cell::RefCell<Option<ChartSpec>> = const { std::cell::RefCell::new(None) };
}

/// Puts `series` series sharing the time stamps `times_ms` into the app's memory, as a
/// time-series panel holds a decoded answer (`values` holds the series one after the other,
/// `times_ms.len()` values each). Not timed by the benchmark: uPlot's data is in JavaScript memory
/// too before it draws.
#[wasm_bindgen]
pub fn bench_load_chart(times_ms: &[f64], values: &[f64], series: usize) -> Result<usize, JsValue> {
    let points_per_series = times_ms.len();
    if series == 0 || values.len() != series * points_per_series {
        return Err(JsValue::from_str("values must hold `series` runs of times_ms.len() values"));
    }
    let (Some(first), Some(last)) = (times_ms.first(), times_ms.last()) else {
        return Err(JsValue::from_str("no time stamps"));
    };
    let chart_series: Vec<ChartSeries> = values
        .chunks(points_per_series)
        .enumerate()
        .map(|(index, run)| ChartSeries {
            name: format!("series {index}"),
            color: classic_palette_color(index, chosen_theme()),
            points: times_ms.iter().copied().zip(run.iter().copied()).collect::<Vec<_>>().into(),
            style: SeriesStyle::default(),
            baseline: None,
        })
        .collect();
    // Spacing of the samples: nothing in a synthetic series is a gap.
    let step = if points_per_series > 1 { (last - first) / (points_per_series - 1) as f64 } else { 1.0 };
    let spec = ChartSpec::new(*first, *last, step * 2.0, chart_series);
    LOADED.with(|loaded| *loaded.borrow_mut() = Some(spec));
    Ok(series * points_per_series)
}

/// Draws the loaded chart into `canvas`, whose CSS size is `css_width` × `css_height`, with the
/// panels' own chart path (axes, labels, M4 decimation, lines): what a panel does on every redraw.
/// The size is given, as uPlot is given its size, so no layout pass is timed.
#[wasm_bindgen]
pub fn bench_draw_chart(canvas: HtmlCanvasElement, css_width: f64, css_height: f64) -> Result<(), JsValue> {
    LOADED.with(|loaded| {
        let loaded = loaded.borrow();
        let spec = loaded.as_ref().ok_or_else(|| JsValue::from_str("call bench_load_chart first"))?;
        draw_chart_sized(&canvas, spec, css_width, css_height)
            .map(|_| ())
            .map_err(|message| JsValue::from_str(&message))
    })
}

/// The size of the app's WebAssembly memory in bytes (not part of the JS heap figure Chromium
/// reports; it only grows, so this is also its peak).
#[wasm_bindgen]
pub fn bench_wasm_memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}
