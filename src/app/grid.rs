//! The dashboard grid's layout: which panels show where (rows collapsed or not, repeats
//! expanded, compacted, stacked on narrow screens), each panel's box in pixels, the key a
//! shown panel keeps while only its position changes, and the grid's measurements on the page
//! (its width, and the part near the screen whose panels are mounted).

use super::panel::PanelGeometry;
use super::variables::VariableState;
pub(super) use crate::variables::{variable_values, with_single_value};
use crate::view;
pub(super) use crate::view::repeat::content_keys;
use crate::view::repeat::{Shown, expand_repeats};
use crate::view::sections;
use crate::view::{
    DashboardView, GRID_COLUMNS, GRID_MARGIN_PX, GRID_ROW_HEIGHT_PX, GridPos, PanelKind, PanelView,
    compact_vertically,
};
use leptos::ev;
use leptos::html::Div;
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};

/// Visible panels, repeated ones expanded for the variables' current values, with their compacted
/// grid positions. `hidden` are the panels a v2 dashboard's tabs and rules hide now; its auto
/// grids are placed for the grid's width (`grid_width_px`).
pub(super) fn grid_layout(
    dashboard: &DashboardView,
    states: &[VariableState],
    is_collapsed: impl Fn(&PanelView) -> bool,
    narrow: bool,
    hidden: &HashSet<i64>,
    grid_width_px: f64,
) -> Vec<(Shown, GridPos)> {
    let mut visible = dashboard.visible_panels(is_collapsed);
    if !hidden.is_empty() {
        visible.retain(|panel| !hidden.contains(&panel.id));
    }
    let shown = expand_repeats(&visible, &|name: &str| variable_values(states, name).unwrap_or_default());
    let mut positions: Vec<GridPos> = shown.iter().map(|s| s.panel.grid_pos).collect();
    if !dashboard.sections.auto_grids.is_empty() && !narrow {
        let mut placed: Vec<(i64, GridPos)> = shown.iter().map(|s| s.panel.id).zip(positions).collect();
        sections::place_auto_grids(&dashboard.sections, &mut placed, grid_width_px);
        positions = placed.into_iter().map(|(_, position)| position).collect();
    }
    let compacted = compact_vertically(&positions);
    let positions = if narrow {
        let stats: Vec<bool> = shown.iter().map(|s| s.panel.kind == PanelKind::Stat).collect();
        view::stack_narrow(&compacted, &stats)
    } else {
        compacted
    };
    shown.into_iter().zip(positions).collect()
}

/// Which panels of the open dashboard returned data (by id), for v2's "query has data" rules.
#[derive(Clone, Copy)]
pub struct PanelsWithData(pub RwSignal<HashMap<i64, bool>>);

/// Grafana's grid maths: 24 columns with 8 px gaps, 30 px rows with 8 px gaps.
pub(super) fn geometry_of(pos: GridPos, grid_width: f64) -> PanelGeometry {
    let margin = GRID_MARGIN_PX as f64;
    let column = (grid_width - margin * (GRID_COLUMNS - 1) as f64) / GRID_COLUMNS as f64;
    let row = GRID_ROW_HEIGHT_PX as f64;
    PanelGeometry {
        left: pos.x as f64 * (column + margin),
        top: pos.y as f64 * (row + margin),
        width: pos.w as f64 * column + (pos.w - 1) as f64 * margin,
        height: pos.h as f64 * row + (pos.h - 1) as f64 * margin,
    }
}

/// The part of the grid (CSS px from its top) whose panels are mounted: the window's part and a
/// window's height above and below it, in steps of half a window so that scrolling mounts panels
/// a batch at a time. Measured when the page scrolls or resizes and when the layout changes (what
/// sits above the grid may have changed with it).
pub(super) fn use_visible_band(
    grid: NodeRef<Div>,
    layout: Memo<Vec<(Shown, GridPos)>>,
) -> ReadSignal<(f64, f64)> {
    let window_height = || window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(1000.0).max(100.0);
    let band_of = move |grid_top: f64| {
        let height = window_height();
        let step = height / 2.0;
        let above = ((-grid_top - height) / step).floor() * step;
        let below = ((-grid_top + 2.0 * height) / step).ceil() * step;
        (above, below)
    };
    // Until the grid is measured, as if it started at the top of the window.
    let (band, set_band) = signal(band_of(0.0));
    // Also called from an animation frame, which may come after the page has gone.
    let measure = move || {
        if let Some(Some(element)) = grid.try_get_untracked() {
            let next = band_of(element.get_bounding_client_rect().top());
            if band.try_get_untracked().is_some_and(|band| band != next) {
                set_band.try_set(next);
            }
        }
    };
    Effect::new(move |_| {
        layout.track();
        if grid.get().is_some() {
            // After this change is on the page, so the grid's place is its new one.
            request_animation_frame(measure);
        }
    });
    let scroll = window_event_listener(ev::scroll, move |_| measure());
    let resize = window_event_listener(ev::resize, move |_| measure());
    on_cleanup(move || {
        scroll.remove();
        resize.remove();
    });
    band
}

/// A ResizeObserver and the callback it calls (kept alive while it observes).
type Observing = (web_sys::ResizeObserver, wasm_bindgen::closure::Closure<dyn FnMut()>);

/// The width of an element in CSS pixels, updated whenever it changes: with the window, and when
/// a scroll bar comes or goes (the page grows past the window), which no window event tells.
pub(super) fn use_element_width(node: NodeRef<Div>) -> ReadSignal<f64> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let (width, set_width) = signal(0.0);
    let measure = move || {
        if let Some(Some(element)) = node.try_get_untracked() {
            let measured = element.get_bounding_client_rect().width();
            if width.try_get_untracked().is_some_and(|width| width != measured) {
                set_width.try_set(measured);
            }
        }
    };
    let observer: StoredValue<Option<Observing>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        let Some(element) = node.get() else { return };
        measure();
        if observer.with_value(Option::is_some) {
            return;
        }
        let callback = Closure::<dyn FnMut()>::new(measure);
        if let Ok(resize_observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
            resize_observer.observe(&element);
            observer.set_value(Some((resize_observer, callback)));
        }
    });
    let handle = window_event_listener(ev::resize, move |_| measure());
    on_cleanup(move || {
        handle.remove();
        if let Some((resize_observer, _)) = observer.try_update_value(Option::take).flatten() {
            resize_observer.disconnect();
        }
    });
    width
}
