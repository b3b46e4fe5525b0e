//! The dashboard toolbar: time range picker (Grafana's quick ranges), refresh and auto-refresh.
//! Writes its choices to the URL; it does not hold time state of its own.

use super::location::use_url_state;
use crate::route::{param, with_params};
use crate::time::{QUICK_RANGES, REFRESH_INTERVALS, describe_range};
use leptos::prelude::*;

/// The browser's current offset from UTC, in minutes east.
pub fn browser_utc_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

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
    on_refresh: Callback<()>,
) -> impl IntoView {
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
        let value = event_target_value(&event);
        if value != CUSTOM_RANGE_VALUE {
            let search = url.search.get_untracked();
            url.set_query(&with_params(&search, &[(param::FROM, Some(&value)), (param::TO, Some("now"))]));
        }
    };
    let on_auto_refresh = move |event: leptos::ev::Event| {
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
                    {move || describe_range(&from.get(), &to.get(), browser_utc_offset_minutes())}
                </option>
                {QUICK_RANGES.iter().map(|(quick_from, label)| view! {
                    <option value=*quick_from>{*label}</option>
                }).collect_view()}
            </select>
            <button class="refresh" aria-label="Refresh" title="Refresh" on:click=move |_| on_refresh.run(())>"⟳ Refresh"</button>
            <select
                class="auto-refresh"
                aria-label="Auto refresh"
                on:change=on_auto_refresh
                prop:value=move || refresh.get().unwrap_or_default()
            >
                <option value=REFRESH_OFF_VALUE>"Off"</option>
                {REFRESH_INTERVALS.iter().map(|interval| view! { <option value=*interval>{*interval}</option> }).collect_view()}
                {move || refresh.get().filter(|r| !REFRESH_INTERVALS.contains(&r.as_str())).map(|r| view! { <option value=r.clone()>{r.clone()}</option> })}
            </select>
        </div>
    }
}
