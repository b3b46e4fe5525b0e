//! The canvas: the only code that draws into the DOM. Sizes the backing store for the device pixel
//! ratio (HiDPI-sharp lines and text) and hands plotters' canvas backend to [`crate::draw`].

use crate::chart::{ChartLayout, ChartSpec};
use crate::draw::{draw_time_series, line_width_px};
use leptos::prelude::window;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Draws `spec` into `canvas` at its current CSS size. Returns `Ok(None)` when the canvas has no
/// size yet (not laid out, or hidden).
pub fn draw_chart(canvas: &HtmlCanvasElement, spec: &ChartSpec) -> Result<Option<ChartLayout>, String> {
    let rect = canvas.get_bounding_client_rect();
    draw_chart_sized(canvas, spec, rect.width(), rect.height())
}

/// [`draw_chart`] for a caller that knows the canvas' CSS size, which spares the browser a layout
/// pass to measure it.
pub fn draw_chart_sized(
    canvas: &HtmlCanvasElement,
    spec: &ChartSpec,
    css_width: f64,
    css_height: f64,
) -> Result<Option<ChartLayout>, String> {
    if css_width < 1.0 || css_height < 1.0 {
        return Ok(None);
    }
    let device_pixel_ratio = window().device_pixel_ratio().max(1.0);
    let width = (css_width * device_pixel_ratio).round() as u32;
    let height = (css_height * device_pixel_ratio).round() as u32;
    // Resizing reallocates the backing store (4.8 MB for a wide chart at DPR 2): only on a change
    // of size; a redraw at the same size clears instead.
    if canvas.width() != width || canvas.height() != height {
        canvas.set_width(width);
        canvas.set_height(height);
    }
    if let Some(context) = canvas.get_context("2d").ok().flatten()
        && let Ok(context) = context.dyn_into::<CanvasRenderingContext2d>()
    {
        let _ = context.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        context.clear_rect(0.0, 0.0, f64::from(width), f64::from(height));
        // Lines of an odd device-pixel width on whole-pixel coordinates straddle two pixel rows and
        // come out as two blurred rows; half a pixel of offset makes them crisp, as in uPlot.
        if line_width_px(device_pixel_ratio) % 2 == 1 {
            let _ = context.translate(0.5, 0.5);
        }
    }
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| "the browser gave no 2D context for the chart canvas".to_string())?;
    let area = backend.into_drawing_area();
    let layout = draw_time_series(&area, spec, device_pixel_ratio)
        .map_err(|error| format!("drawing failed: {error}"))?;
    area.present().map_err(|error| format!("drawing failed: {error}"))?;
    Ok(Some(layout))
}
