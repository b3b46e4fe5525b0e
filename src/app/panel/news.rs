//! The news panel: the feed of [`crate::panels::news`], read when the panel is built, when its URL
//! changes and on every dashboard refresh, as Grafana reads it.

use super::PanelGeometry;
use super::frame::PanelHeader;
use crate::app::catalogue::fetch_news_feed;
use crate::app::variables::VariableState;
use crate::panels::news::{NewsItem, WIDE_PX, feed_url, news_markup, parse_feed, show_image};
use crate::view::PanelView;
use futures::future::{AbortHandle, abortable};
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
    // `None` while the feed is read. A new read (a refresh) gives up the one before, and leaving
    // the page gives up the one under way: its request is aborted, its answer never shown.
    let feed = RwSignal::new(None::<Result<Vec<NewsItem>, String>>);
    let reading = StoredValue::new(None::<AbortHandle>);
    let give_up = move || {
        if let Some(handle) = reading.try_get_value().flatten() {
            handle.abort();
        }
    };
    Effect::new(move |_| {
        refresh_count.track();
        give_up();
        let url = url.clone();
        let (read, handle) = abortable(async move {
            fetch_news_feed(&url).await.and_then(|text| {
                parse_feed(&text).map_err(|why| format!("Error loading RSS feed {url}: {why}"))
            })
        });
        reading.set_value(Some(handle));
        spawn_local(async move {
            if let Ok(read) = read.await {
                feed.set(Some(read));
            }
        });
    });
    on_cleanup(give_up);
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
