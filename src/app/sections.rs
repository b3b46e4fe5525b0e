//! A schema v2 dashboard's sections on the page: what its tabs and `conditionalRendering` rules
//! show now ([`crate::view::sections::visibility`] of the variables, the time range, the URL's
//! `tab` and which panels returned data), and the tab bar above the grid.

use super::grid::{PanelsWithData, variable_values};
use super::location::use_url_state;
use super::variables::VariableState;
use crate::route;
use crate::route::param;
use crate::time::TimeRange;
use crate::view::DashboardView;
use crate::view::sections::{RuleContext, Visibility, tab_names, visibility};
use leptos::prelude::*;
use std::collections::HashMap;

/// What the dashboard's sections show now; provides [`PanelsWithData`] for the panels to report.
pub(super) fn use_sections(
    live: Signal<DashboardView>,
    range: Memo<Result<TimeRange, String>>,
    from: Memo<String>,
    to: Memo<String>,
    variable_states: Signal<Option<Vec<VariableState>>>,
) -> Memo<Visibility> {
    let url = use_url_state();
    let panels_with_data = RwSignal::new(HashMap::<i64, bool>::new());
    provide_context(PanelsWithData(panels_with_data));
    // A new time range or new variable values ask again (not a refresh: that would make panels a
    // rule hides for lack of data flash on every tick); until then a panel keeps its answer.
    Effect::new(move |previous: Option<(String, String, Option<Vec<VariableState>>)>| {
        let now = (from.get(), to.get(), variable_states.get());
        if previous.is_some_and(|previous| previous != now) {
            panels_with_data.update(HashMap::clear);
        }
        now
    });
    Memo::new(move |_| {
        let tab_param = url.query_param(param::TAB);
        live.with(|d| {
            let sections = &d.sections;
            if sections.tabs.is_empty() && sections.conditions.is_empty() {
                return Visibility::default();
            }
            let states = variable_states.get().unwrap_or_default();
            let values = |name: &str| variable_values(&states, name);
            let range_ms = range.get().map(|r| r.to_ms - r.from_ms).unwrap_or(0);
            let with_data = panels_with_data.get();
            let has_data = |id: i64| with_data.get(&id).copied();
            let context = RuleContext { values: &values, range_ms, has_data: &has_data };
            visibility(sections, tab_param.as_deref(), &context)
        })
    })
}

/// The tabs a v2 dashboard shows, the open one selected; a click names it in the URL.
#[component]
pub(super) fn TabBar(live: Signal<DashboardView>, sections: Memo<Visibility>) -> impl IntoView {
    let url = use_url_state();
    move || {
        live.with(|d| {
            (!d.sections.tabs.is_empty()).then(|| {
                let shown = sections.with(|s| s.tabs_shown.clone());
                let tabs: Vec<(usize, String, String)> = d
                    .sections
                    .tabs
                    .iter()
                    .zip(tab_names(&d.sections))
                    .enumerate()
                    .filter(|(i, _)| shown.get(*i).copied().unwrap_or(true))
                    .map(|(i, (t, name))| (i, t.title.clone(), name))
                    .collect();
                view! {
                    <nav class="dashboard-tabs" role="tablist" aria-label="Dashboard tabs">
                        {tabs.into_iter().map(|(index, title, name)| {
                            let selected = move || sections.with(|s| s.open_tab == Some(index));
                            let tab_attribute = name.clone();
                            let choose = move |_| {
                                let search = url.search.get_untracked();
                                url.set_query(&route::with_params(&search, &[(param::TAB, Some(name.as_str()))]));
                            };
                            view! {
                                <button role="tab" class="dashboard-tab" data-tab=tab_attribute class:selected=selected
                                    aria-selected=move || selected().to_string() on:click=choose>{title}</button>
                            }
                        }).collect_view()}
                    </nav>
                }
            })
        })
    }
}
