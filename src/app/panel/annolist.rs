//! The annotations list panel: the dashboard's annotation events of [`crate::panels::annolist`],
//! each a button that shows the time around it.

use super::frame::PanelHeader;
use crate::app::annotations::DashboardAnnotations;
use crate::app::location::use_url_state;
use crate::app::variables::VariableState;
use crate::panels::annolist::{AnnolistOptions, listed, range_around};
use crate::route::{param, with_params};
use crate::time;
use crate::view::PanelView;
use leptos::prelude::*;

#[component]
pub(super) fn AnnoListPanel(
    panel: PanelView,
    style: Signal<String>,
    variables: Signal<Option<Vec<VariableState>>>,
    utc_offset_minutes: Signal<i32>,
) -> impl IntoView {
    let id = panel.id;
    let options = StoredValue::new(AnnolistOptions::read(&panel.options));
    let annotations = use_context::<DashboardAnnotations>();
    let url = use_url_state();
    let body = move || {
        let events: Vec<_> = annotations.map(|a| a.all()).unwrap_or_default();
        let options = options.get_value();
        let offset = utc_offset_minutes.get();
        let items = listed(&options, &events)
            .into_iter()
            .map(|event| {
                let (from, to) = range_around(&options, event);
                let go = move |_| {
                    let search = url.search.get_untracked();
                    let (from, to) = (from.to_string(), to.to_string());
                    url.set_query(&with_params(&search, &[(param::FROM, Some(&from)), (param::TO, Some(&to))]));
                };
                let time = options.show_time.then(|| time::format_local_datetime(event.start_ms as i64, offset));
                let tags = (options.show_tags && !event.tags.is_empty()).then(|| event.tags.join(", "));
                view! {
                    <li class="annolist-item">
                        <button class="annolist-event" data-start=event.start_ms on:click=go>
                            <span class="annolist-title">{event.title.clone()}</span>
                            {(!event.text.is_empty()).then(|| view! { <span class="annolist-text muted">{event.text.clone()}</span> })}
                            {tags.map(|tags| view! { <span class="annolist-tags">{tags}</span> })}
                            {time.map(|time| view! { <span class="annolist-time muted">{time}</span> })}
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="annolist">{items}</ul> }
    };
    view! {
        <div class="panel" data-panel-id=id data-state="drawn" style=style>
            <PanelHeader title=panel.title.clone() links=panel.links.clone() variables=variables />
            <div class="panel-body annolist-body">{body}</div>
        </div>
    }
}
