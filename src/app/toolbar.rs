//! The dashboard toolbar: time range picker (Grafana's quick ranges), refresh and auto-refresh.
//! Writes its choices to the URL; it does not hold time state of its own.

use super::location::use_url_state;
use crate::route::{param, with_params};
use crate::time::TimeRange;
use crate::time::{QUICK_RANGES, describe_range};
use leptos::prelude::*;

const CUSTOM_RANGE_VALUE: &str = "__custom";
const REFRESH_OFF_VALUE: &str = "";

#[component]
pub fn Toolbar(
    title: String,
    /// The effective range, from the URL or the dashboard's default.
    #[prop(into)]
    from: Signal<String>,
    #[prop(into)] to: Signal<String>,
    /// The effective auto-refresh interval, `None` when off.
    #[prop(into)]
    refresh: Signal<Option<String>>,
    /// Why the current range cannot be used, if it cannot.
    #[prop(into)]
    range_error: Signal<Option<String>>,
    /// The resolved range, for shifting and zooming out.
    range: Memo<Result<TimeRange, String>>,
    /// The dashboard's time zone offset now, for showing absolute times.
    #[prop(into)]
    utc_offset_minutes: Signal<i32>,
    on_refresh: Callback<()>,
    /// The auto-refresh choices the dashboard offers.
    refresh_intervals: Vec<String>,
) -> impl IntoView {
    let offered = refresh_intervals.clone();
    let url = use_url_state();
    let selected_range = move || {
        let (from, to) = (from.get(), to.get());
        if to == "now" && QUICK_RANGES.iter().any(|(quick, _)| *quick == from) {
            from
        } else {
            CUSTOM_RANGE_VALUE.to_string()
        }
    };
    let on_range = move |event: leptos::ev::Event| {
        super::location::release_focus(&event);
        let value = event_target_value(&event);
        if value != CUSTOM_RANGE_VALUE {
            let search = url.search.get_untracked();
            url.set_query(&with_params(&search, &[(param::FROM, Some(&value)), (param::TO, Some("now"))]));
        }
    };
    // Shift and zoom write absolute epoch milliseconds, as Grafana does.
    let set_absolute = move |change: fn(&TimeRange) -> TimeRange| {
        if let Ok(current) = range.get_untracked() {
            let next = change(&current);
            let search = url.search.get_untracked();
            let (from, to) = (next.from_ms.to_string(), next.to_ms.to_string());
            url.set_query(&with_params(&search, &[(param::FROM, Some(&from)), (param::TO, Some(&to))]));
        }
    };
    let on_auto_refresh = move |event: leptos::ev::Event| {
        super::location::release_focus(&event);
        let value = event_target_value(&event);
        let value = (value != REFRESH_OFF_VALUE).then_some(value);
        let search = url.search.get_untracked();
        url.set_query(&with_params(&search, &[(param::REFRESH, value.as_deref())]));
    };
    view! {
            <div class="toolbar">
                <h1 class="dashboard-title">{title}</h1>
                <span class="spacer"></span>
                {move || range_error.get().map(|message| view! { <span class="error-text" data-role="range-error">{message}</span> })}
                <select class="time-picker" aria-label="Time range" on:change=on_range prop:value=selected_range>
                    <option value=CUSTOM_RANGE_VALUE disabled=true>
                        {move || describe_range(&from.get(), &to.get(), utc_offset_minutes.get())}
                    </option>
                    {QUICK_RANGES.iter().map(|(quick_from, label)| view! {
                        <option value=*quick_from>{*label}</option>
                    }).collect_view()}
                </select>
                <button class="shift-back" aria-label="Move time range back" title="Move back"
                    on:click=move |_| set_absolute(|r| r.shifted(-0.5))>"‹"</button>
                <button class="zoom-out" aria-label="Zoom out time range" title="Zoom out"
                    on:click=move |_| set_absolute(|r| r.zoomed_out())>"⊖"</button>
                <button class="shift-forward" aria-label="Move time range forward" title="Move forward"
                    on:click=move |_| set_absolute(|r| r.shifted(0.5))>"›"</button>
                <button class="refresh" aria-label="Refresh" title="Refresh" on:click=move |_| on_refresh.run(())>"⟳ Refresh"</button>
                <select
                    class="auto-refresh"
                    aria-label="Auto refresh"
                    on:change=on_auto_refresh
                    prop:value=move || refresh.get().unwrap_or_default()
                >
                    <option value=REFRESH_OFF_VALUE>"Off"</option>
    {refresh_intervals.into_iter().map(|interval| view! { <option value=interval.clone()>{interval.clone()}</option> }).collect_view()}
                    // Only when a dashboard offers no allowed choice (then the minimum runs).
                    {move || refresh.get().filter(|r| !offered.contains(r)).map(|r| view! { <option value=r.clone()>{r.clone()}</option> })}
                </select>
            </div>
        }
}
