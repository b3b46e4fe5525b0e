//! The news panel: the feed of [`crate::panels::news`], read when the panel is built, when its URL
//! changes and on every dashboard refresh, as Grafana reads it.

use super::PanelGeometry;
use super::frame::PanelHeader;
use crate::app::catalogue::fetch_news_feed;
use crate::app::variables::VariableState;
use crate::panels::news::{NewsItem, WIDE_PX, feed_url, news_markup, parse_feed, show_image};
use crate::view::PanelView;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub(super) fn NewsPanel(
    panel: PanelView,
    geometry: Signal<PanelGeometry>,
    variables: Signal<Option<Vec<VariableState>>>,
    utc_offset_minutes: Signal<i32>,
    refresh_count: Signal<u64>,
) -> impl IntoView {
    let id = panel.id;
    let url = feed_url(&panel.options);
    let show_image = show_image(&panel.options);
    // `None` while the feed is read; a generation number drops the answer of an older read.
    let feed = RwSignal::new(None::<Result<Vec<NewsItem>, String>>);
    let generation = StoredValue::new(0_u64);
    Effect::new(move |_| {
        refresh_count.track();
        let url = url.clone();
        let this = generation.get_value() + 1;
        generation.set_value(this);
        spawn_local(async move {
            let read = fetch_news_feed(&url).await.and_then(|text| {
                parse_feed(&text).map_err(|why| format!("Error loading RSS feed {url}: {why}"))
            });
            if generation.try_get_value() == Some(this) {
                feed.set(Some(read));
            }
        });
    });
    let state = move || match feed.with(|f| f.as_ref().map(Result::is_ok)) {
        None => "loading",
        Some(true) => "drawn",
        Some(false) => "error",
    };
    let body = move || match feed.get() {
        None => view! { <div class="panel-message muted">"Loading..."</div> }.into_any(),
        Some(Err(message)) => view! { <div class="panel-error" role="alert">{message}</div> }.into_any(),
        Some(Ok(items)) => {
            let wide = geometry.get().width > WIDE_PX;
            let markup = news_markup(&items, show_image, wide, utc_offset_minutes.get());
            view! { <div class="panel-body news-panel" inner_html=markup></div> }.into_any()
        }
    };
    view! {
        <div class="panel" data-panel-id=id data-state=state style=move || geometry.get().style()>
            <PanelHeader title=panel.title.clone() links=panel.links.clone() variables=variables />
            {body}
        </div>
    }
}
