//! The panel editor (Grafana's layout): a live preview on top, the queries below it, the options
//! on the side. It edits a working copy of the panel's JSON; Apply commits the difference as one
//! undoable change, Discard drops it. Open while the URL has `editPanel=<id>`.

use super::editing::Editing;
use super::location::use_url_state;
use super::panel::{PanelFrame, PanelGeometry};
use super::promql_field::PromqlEditor;
use super::timezone::Zone;
use super::variables::VariableState;
use crate::app::catalogue;
use crate::app::theme::chosen_theme;
use crate::edit::layout::{panel_json, replace_panel};
use crate::edit::panel::{self as ops, text_of};
use crate::field::display;
use crate::field::unit_catalogue;
use crate::field::units;
use crate::json::number;
use crate::model::Dashboard;
use crate::panel_types::{PANEL_TYPES, shows_reduced_values};
use crate::route::{param, with_params};
use crate::time::TimeRange;
use crate::view::{DashboardView, PanelView};
use leptos::prelude::*;
use serde_json::{Value, json};

/// A number typed into a field: empty removes the option.
fn number_value(text: &str) -> Result<Option<Value>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let parsed: f64 = text.parse().map_err(|_| format!("{text:?} is not a number"))?;
    Ok(Some(number(parsed)))
}

fn find_view(document: serde_json::Map<String, Value>, id: i64) -> Option<PanelView> {
    let view = DashboardView::from_model(&Dashboard::from_raw(document), &catalogue::datasources());
    view.panels.into_iter().flat_map(|p| std::iter::once(p.clone()).chain(p.children)).find(|p| p.id == id)
}

#[component]
pub fn PanelEditor(
    id: i64,
    range: Memo<Result<TimeRange, String>>,
    zone: Memo<(Zone, Option<String>)>,
    #[prop(into)] variables: Signal<Option<Vec<VariableState>>>,
    #[prop(into)] refresh_count: Signal<u64>,
) -> impl IntoView {
    let editing = expect_context::<Editing>();
    let url = use_url_state();
    let Some(original) = editing.with_current(|document| panel_json(document, id)) else {
        return view! { <div class="panel-editor"><p class="error-banner">{format!("There is no panel {id} to edit.")}</p></div> }.into_any();
    };
    // Changes not applied yet survive a reload: the working copy is kept in local storage.
    let pending = editing.pending_panel(id).filter(|p| *p != original);
    let restored = pending.is_some();
    let working = RwSignal::new(pending.unwrap_or_else(|| original.clone()));
    let original = StoredValue::new(original);
    Effect::new(move |_| {
        let panel = working.get();
        let unchanged = original.with_value(|o| *o == panel);
        editing.set_pending_panel(id, (!unchanged).then_some(&panel));
    });
    let problem = RwSignal::new(
        restored.then(|| "Restored the changes you had not applied (Discard drops them)".to_string()),
    );
    let close = move || {
        editing.set_pending_panel(id, None);
        let search = url.search.get_untracked();
        url.set_query(&with_params(&search, &[(param::EDIT_PANEL, None)]));
    };
    let apply = move |_| {
        let panel = working.get_untracked();
        if let Some(next) = editing.with_current(|document| replace_panel(document, id, panel.clone())) {
            let title = panel.get("title").and_then(Value::as_str).unwrap_or("panel").to_string();
            editing.commit(&format!("Edit panel {title:?}"), next);
        }
        close();
    };
    let discard = move |_| close();
    let preview = Memo::new(move |_| {
        editing
            .with_current(|document| replace_panel(document, id, working.get()))
            .and_then(|doc| find_view(doc, id))
    });
    let preview_width =
        window().inner_width().ok().and_then(|w| w.as_f64()).map_or(800.0, |w| (w * 0.62).max(320.0));
    let geometry =
        Signal::derive(move || PanelGeometry { left: 0.0, top: 0.0, width: preview_width, height: 300.0 });
    let update = move |change: &dyn Fn(&mut Value)| working.update(|panel| change(panel));
    let type_name = move || working.with(|p| text_of(p.get("type")));

    view! {
        <div class="panel-editor" role="dialog" aria-label="Edit panel" data-edit-panel=id>
            <div class="panel-editor-bar">
                <strong>"Edit panel"</strong>
                <span class="spacer"></span>
                {move || problem.get().map(|p| view! { <span class="error-text editor-problem" role="alert">{p}</span> })}
                <button class="editor-discard" on:click=discard>"Discard"</button>
                <button class="editor-apply primary" on:click=apply>"Apply"</button>
            </div>
            <div class="panel-editor-main">
                <div class="panel-editor-left">
                    <div class="panel-editor-preview" style=format!("width:{preview_width}px;height:300px")>
                        {move || preview.get().map(|panel| view! {
                            <PanelFrame panel=panel geometry=geometry range=range zone=zone variables=variables
                                refresh_count=refresh_count collapsed=false on_toggle_row=Callback::new(|_| {}) />
                        })}
                    </div>
                    <QueriesEditor working=working />
                </div>
                <div class="panel-editor-options">
                    <OptionsSection title="Panel options">
                        <label>"Title"<input class="opt-title" prop:value=move || working.with(|p| text_of(p.get("title")))
                            on:change=move |e| update(&|p| ops::set_option(p, &["title"], Some(json!(event_target_value(&e)))))/></label>
                        <label>"Description"<textarea class="opt-description" prop:value=move || working.with(|p| text_of(p.get("description")))
                            on:change=move |e| { let v = event_target_value(&e); update(&|p| ops::set_option(p, &["description"], (!v.is_empty()).then(|| json!(v.clone())))) }></textarea></label>
                        <label>"Visualization"<select class="opt-type" on:change=move |e| { let t = event_target_value(&e); update(&|p| ops::change_type(p, &t)) }>
                            {PANEL_TYPES.iter().filter(|entry| entry.offered).map(|entry| { let id = entry.type_name; view! { <option value=id selected=move || type_name() == id>{entry.title}</option> } }).collect_view()}
                        </select></label>
                    </OptionsSection>
                    <StandardOptions working=working problem=problem />
                    <ThresholdsEditor working=working />
                    <Show when=move || type_name() == "timeseries">
                        <TimeSeriesOptions working=working problem=problem />
                    </Show>
                    <Show when=move || shows_reduced_values(&type_name())>
                        <ReduceOptions working=working />
                    </Show>
                    <Show when=move || type_name() == "table">
                        <OptionsSection title="Table">
                            {select_input(working, "Cell type", "opt-cell-type", &["fieldConfig", "defaults", "custom", "cellOptions", "type"], &["auto", "color-text", "color-background", "gauge"])}
                            {select_input(working, "Cell mode", "opt-cell-mode", &["fieldConfig", "defaults", "custom", "cellOptions", "mode"], &["basic", "gradient", "lcd"])}
                            {number_input(working, problem, "Column width", "opt-column-width", &["fieldConfig", "defaults", "custom", "width"])}
                            {select_input(working, "Alignment", "opt-align", &["fieldConfig", "defaults", "custom", "align"], &["auto", "left", "center", "right"])}
                        </OptionsSection>
                    </Show>
                    <Show when=move || type_name() == "text">
                        <OptionsSection title="Text">
                            <label>"Mode"<select class="opt-text-mode" on:change=move |e| { let v = event_target_value(&e); update(&|p| ops::set_option(p, &["options", "mode"], Some(json!(v.clone())))) }>
                                {["markdown", "html", "code"].into_iter().map(|m| view! { <option value=m selected=move || working.with(|p| text_of(ops::option(p, &["options", "mode"])) == m)>{m}</option> }).collect_view()}
                            </select></label>
                            <label>"Content"<textarea class="opt-text-content" rows="8" prop:value=move || working.with(|p| text_of(ops::option(p, &["options", "content"])))
                                on:change=move |e| { let v = event_target_value(&e); update(&|p| ops::set_option(p, &["options", "content"], Some(json!(v.clone())))) }></textarea></label>
                        </OptionsSection>
                    </Show>
                    <JsonOption working=working problem=problem title="Value mappings" path=&["fieldConfig", "defaults", "mappings"] class="opt-mappings"
                        hint="A list of Grafana mappings: {\"type\":\"value\",\"options\":{\"1\":{\"text\":\"up\"}}}, range, regex or special." />
                    <OverridesEditor working=working problem=problem />
                </div>
            </div>
        </div>
    }
    .into_any()
}

#[component]
fn OptionsSection(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <details class="options-section" open>
            <summary>{title}</summary>
            <div class="options-body">{children()}</div>
        </details>
    }
}

/// A numeric option at `path`; a bad number is reported and not applied.
fn number_input(
    working: RwSignal<Value>,
    problem: RwSignal<Option<String>>,
    label: &'static str,
    class: &'static str,
    path: &'static [&'static str],
) -> impl IntoView {
    let set_number = move |text: String| match number_value(&text) {
        Ok(value) => {
            problem.set(None);
            working.update(|p| ops::set_option(p, path, value.clone()))
        }
        Err(why) => problem.set(Some(format!("{label}: {why}"))),
    };
    view! {
        <label>{label}<input class=class inputmode="decimal" prop:value=move || working.with(|p| text_of(ops::option(p, path)))
            on:change=move |e| set_number(event_target_value(&e))/></label>
    }
}

/// A choice at `path`; the empty choice removes the option (Grafana's default applies).
fn select_input(
    working: RwSignal<Value>,
    label: &'static str,
    class: &'static str,
    path: &'static [&'static str],
    choices: &'static [&'static str],
) -> impl IntoView {
    view! {
        <label>{label}<select class=class on:change=move |e| { let v = event_target_value(&e); working.update(|p| ops::set_option(p, path, (!v.is_empty()).then(|| json!(v.clone())))) }>
            <option value="" selected=move || working.with(|p| ops::option(p, path).is_none())>"(default)"</option>
            {choices.iter().map(|c| view! { <option value=*c selected=move || working.with(|p| text_of(ops::option(p, path)) == *c)>{*c}</option> }).collect_view()}
        </select></label>
    }
}

#[component]
fn StandardOptions(working: RwSignal<Value>, problem: RwSignal<Option<String>>) -> impl IntoView {
    let unit_path: &'static [&'static str] = &["fieldConfig", "defaults", "unit"];
    let search = RwSignal::new(String::new());
    let matches =
        move || unit_catalogue::search_units(&search.get()).into_iter().take(12).collect::<Vec<_>>();
    let set_unit = move |unit: String| {
        working.update(|p| ops::set_option(p, unit_path, (!unit.is_empty()).then(|| json!(unit.clone()))))
    };
    view! {
        <OptionsSection title="Standard options">
            <label>"Unit"
                <input class="opt-unit" placeholder="Search units, or type a custom one" prop:value=move || working.with(|p| text_of(ops::option(p, unit_path)))
                    on:input=move |e| search.set(event_target_value(&e))
                    on:change=move |e| set_unit(event_target_value(&e).trim().to_string())/>
            </label>
            <Show when=move || !search.get().trim().is_empty()>
                <ul class="unit-matches">
                    {move || matches().into_iter().map(|(category, id, name)| view! {
                        <li><button class="unit-choice" data-unit=id on:click=move |_| { set_unit(id.to_string()); search.set(String::new()) }>
                            {name}<span class="muted">{format!(" {category} · {id}")}</span>
                        </button></li>
                    }).collect_view()}
                </ul>
            </Show>
            {number_input(working, problem, "Decimals", "opt-decimals", &["fieldConfig", "defaults", "decimals"])}
            {number_input(working, problem, "Min", "opt-min", &["fieldConfig", "defaults", "min"])}
            {number_input(working, problem, "Max", "opt-max", &["fieldConfig", "defaults", "max"])}
            <label>"No value"<input class="opt-novalue" prop:value=move || working.with(|p| text_of(ops::option(p, &["fieldConfig", "defaults", "noValue"])))
                on:change=move |e| { let v = event_target_value(&e); working.update(|p| ops::set_option(p, &["fieldConfig", "defaults", "noValue"], (!v.is_empty()).then(|| json!(v.clone())))) }/></label>
            {select_input(working, "Color scheme", "opt-color-mode", &["fieldConfig", "defaults", "color", "mode"],
                &["palette-classic", "thresholds", "fixed", "continuous-GrYlRd", "continuous-RdYlGr", "continuous-BlYlRd", "continuous-YlRd", "continuous-BlPu", "continuous-blues", "continuous-reds", "continuous-greens", "continuous-purples", "continuous-viridis"])}
        </OptionsSection>
    }
}

#[component]
fn ThresholdsEditor(working: RwSignal<Value>) -> impl IntoView {
    let steps = move || working.with(ops::threshold_steps);
    let write = move |steps: Vec<(Option<f64>, String)>| {
        working.update(|p| ops::set_threshold_steps(p, steps.clone()))
    };
    let add = move |_| {
        let mut all = steps();
        let next = all.iter().filter_map(|(v, _)| *v).fold(0.0_f64, f64::max) + 10.0;
        all.push((Some(next), "red".into()));
        write(all);
    };
    let percentage = move || {
        working.with(|p| {
            text_of(ops::option(p, &["fieldConfig", "defaults", "thresholds", "mode"])) == "percentage"
        })
    };
    view! {
        <OptionsSection title="Thresholds">
            <ol class="threshold-steps">
                {move || steps().into_iter().enumerate().map(|(index, (value, color))| {
                    let base = value.is_none();
                    let color_for_change = color.clone();
                    view! {
                        <li class="threshold-step" data-index=index>
                            <input class="step-color" value=color.clone() title="A Grafana colour name or #rrggbb"
                                on:change=move |e| { let mut all = steps(); if let Some(step) = all.get_mut(index) { step.1 = event_target_value(&e) } write(all) }/>
                            {if base {
                                view! { <span class="step-base">"Base"</span> }.into_any()
                            } else {
                                view! { <input class="step-value" inputmode="decimal" value=value.map(units::js_number_to_string).unwrap_or_default()
                                    on:change=move |e| {
                                        let mut all = steps();
                                        if let (Some(step), Ok(v)) = (all.get_mut(index), event_target_value(&e).trim().parse::<f64>()) { step.0 = Some(v) }
                                        write(all)
                                    }/> }.into_any()
                            }}
                            <span class="swatch" style=format!("background:{}", display::color_by_name(&color_for_change, chosen_theme()))></span>
                            {(!base).then(|| view! { <button class="step-remove" title="Remove" on:click=move |_| { let mut all = steps(); all.remove(index); write(all) }>"\u{2715}"</button> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <button class="step-add" on:click=add>"+ Add threshold"</button>
            <label class="inline"><input type="checkbox" class="thresholds-percentage" prop:checked=percentage
                on:change=move |e| { let on = event_target_checked(&e); working.update(|p| ops::set_option(p, &["fieldConfig", "defaults", "thresholds", "mode"], Some(json!(if on { "percentage" } else { "absolute" })))) }/>
                "Percentage"</label>
        </OptionsSection>
    }
}

#[component]
fn TimeSeriesOptions(working: RwSignal<Value>, problem: RwSignal<Option<String>>) -> impl IntoView {
    let calcs_path: &'static [&'static str] = &["options", "legend", "calcs"];
    view! {
        <OptionsSection title="Legend and tooltip">
            {select_input(working, "Legend mode", "opt-legend-mode", &["options", "legend", "displayMode"], &["list", "table", "hidden"])}
            {select_input(working, "Legend placement", "opt-legend-placement", &["options", "legend", "placement"], &["bottom", "right"])}
            <label>"Legend values"<input class="opt-legend-calcs" placeholder="mean, max, lastNotNull"
                prop:value=move || working.with(|p| ops::option(p, calcs_path).and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")).unwrap_or_default())
                on:change=move |e| {
                    let calcs: Vec<Value> = event_target_value(&e).split(',').map(str::trim).filter(|c| !c.is_empty()).map(|c| json!(c)).collect();
                    working.update(|p| ops::set_option(p, calcs_path, Some(Value::Array(calcs.clone()))))
                }/></label>
            {select_input(working, "Tooltip", "opt-tooltip", &["options", "tooltip", "mode"], &["single", "multi", "none"])}
        </OptionsSection>
        <OptionsSection title="Graph styles">
            {select_input(working, "Style", "opt-draw-style", &["fieldConfig", "defaults", "custom", "drawStyle"], &["line", "bars", "points"])}
            {select_input(working, "Line interpolation", "opt-interpolation", &["fieldConfig", "defaults", "custom", "lineInterpolation"], &["linear", "smooth", "stepBefore", "stepAfter"])}
            {number_input(working, problem, "Line width", "opt-line-width", &["fieldConfig", "defaults", "custom", "lineWidth"])}
            {number_input(working, problem, "Fill opacity", "opt-fill-opacity", &["fieldConfig", "defaults", "custom", "fillOpacity"])}
            {select_input(working, "Gradient mode", "opt-gradient", &["fieldConfig", "defaults", "custom", "gradientMode"], &["none", "opacity", "hue", "scheme"])}
            {select_input(working, "Show points", "opt-show-points", &["fieldConfig", "defaults", "custom", "showPoints"], &["auto", "always", "never"])}
            {select_input(working, "Stack series", "opt-stacking", &["fieldConfig", "defaults", "custom", "stacking", "mode"], &["none", "normal", "percent"])}
        </OptionsSection>
        <OptionsSection title="Axis">
            {select_input(working, "Placement", "opt-axis-placement", &["fieldConfig", "defaults", "custom", "axisPlacement"], &["auto", "left", "right", "hidden"])}
            <label>"Label"<input class="opt-axis-label" prop:value=move || working.with(|p| text_of(ops::option(p, &["fieldConfig", "defaults", "custom", "axisLabel"])))
                on:change=move |e| { let v = event_target_value(&e); working.update(|p| ops::set_option(p, &["fieldConfig", "defaults", "custom", "axisLabel"], (!v.is_empty()).then(|| json!(v.clone())))) }/></label>
            {number_input(working, problem, "Soft min", "opt-soft-min", &["fieldConfig", "defaults", "custom", "axisSoftMin"])}
            {number_input(working, problem, "Soft max", "opt-soft-max", &["fieldConfig", "defaults", "custom", "axisSoftMax"])}
            <label>"Scale"<select class="opt-scale" on:change=move |e| {
                    let scale = match event_target_value(&e).as_str() {
                        "log2" => Some(json!({"type": "log", "log": 2})),
                        "log10" => Some(json!({"type": "log", "log": 10})),
                        "linear" => Some(json!({"type": "linear"})),
                        _ => None,
                    };
                    working.update(|p| ops::set_option(p, &["fieldConfig", "defaults", "custom", "scaleDistribution"], scale.clone()))
                }>
                {[("", "(default)"), ("linear", "Linear"), ("log2", "Logarithmic (base 2)"), ("log10", "Logarithmic (base 10)")].into_iter().map(|(value, name)| view! {
                    <option value=value selected=move || working.with(|p| {
                        let scale = ops::option(p, &["fieldConfig", "defaults", "custom", "scaleDistribution"]);
                        let current = match (scale.and_then(|s| s.get("type")).and_then(Value::as_str), scale.and_then(|s| s.get("log")).and_then(Value::as_i64)) {
                            (Some("log"), Some(2)) => "log2",
                            (Some("log"), _) => "log10",
                            (Some(_), _) => "linear",
                            (None, _) => "",
                        };
                        current == value
                    })>{name}</option>
                }).collect_view()}
            </select></label>
        </OptionsSection>
        <OptionsSection title="Thresholds and nulls">
            {select_input(working, "Show thresholds", "opt-thresholds-style", &["fieldConfig", "defaults", "custom", "thresholdsStyle", "mode"], &["off", "line", "area", "line+area", "dashed", "dashed+area"])}
            <label class="inline"><input type="checkbox" class="opt-span-nulls"
                prop:checked=move || working.with(|p| ops::option(p, &["fieldConfig", "defaults", "custom", "spanNulls"]).and_then(Value::as_bool).unwrap_or(false))
                on:change=move |e| { let on = event_target_checked(&e); working.update(|p| ops::set_option(p, &["fieldConfig", "defaults", "custom", "spanNulls"], Some(json!(on)))) }/>
                "Connect null values"</label>
        </OptionsSection>
    }
}

#[component]
fn ReduceOptions(working: RwSignal<Value>) -> impl IntoView {
    let calcs: &'static [&'static str] =
        &["lastNotNull", "last", "first", "mean", "min", "max", "sum", "count", "range", "delta"];
    view! {
        <OptionsSection title="Value options">
            <label>"Calculation"<select class="opt-calcs" on:change=move |e| { let v = event_target_value(&e); working.update(|p| ops::set_option(p, &["options", "reduceOptions", "calcs"], Some(json!([v.clone()])))) }>
                {calcs.iter().map(|c| view! { <option value=*c selected=move || working.with(|p| ops::option(p, &["options", "reduceOptions", "calcs"]).and_then(|a| a.get(0)).and_then(Value::as_str) == Some(*c))>{*c}</option> }).collect_view()}
            </select></label>
            {select_input(working, "Color mode", "opt-stat-color", &["options", "colorMode"], &["value", "background", "none"])}
            {select_input(working, "Graph mode", "opt-graph-mode", &["options", "graphMode"], &["none", "area"])}
            {select_input(working, "Bar display mode", "opt-bar-mode", &["options", "displayMode"], &["basic", "gradient", "lcd"])}
            {select_input(working, "Orientation", "opt-orientation", &["options", "orientation"], &["auto", "horizontal", "vertical"])}
        </OptionsSection>
    }
}

/// An option edited as JSON (mappings), validated before it is applied.
#[component]
fn JsonOption(
    working: RwSignal<Value>,
    problem: RwSignal<Option<String>>,
    title: &'static str,
    path: &'static [&'static str],
    class: &'static str,
    hint: &'static str,
) -> impl IntoView {
    view! {
        <OptionsSection title=title>
            <p class="muted hint">{hint}</p>
            <textarea class=class rows="5" prop:value=move || working.with(|p| ops::option(p, path).map(|v| serde_json::to_string_pretty(v).unwrap_or_default()).unwrap_or_default())
                on:change=move |e| {
                    let text = event_target_value(&e);
                    if text.trim().is_empty() {
                        working.update(|p| ops::set_option(p, path, None));
                        return;
                    }
                    match serde_json::from_str::<Value>(&text) {
                        Ok(Value::Array(items)) => { problem.set(None); working.update(|p| ops::set_option(p, path, Some(Value::Array(items.clone())))) }
                        Ok(_) => problem.set(Some(format!("{title}: a JSON list is expected"))),
                        Err(e) => problem.set(Some(format!("{title}: invalid JSON at line {}, column {}: {e}", e.line(), e.column()))),
                    }
                }></textarea>
        </OptionsSection>
    }
}

/// Field overrides: matchers with their properties (each property's value as JSON).
#[component]
fn OverridesEditor(working: RwSignal<Value>, problem: RwSignal<Option<String>>) -> impl IntoView {
    let list = move || {
        working.with(|p| {
            ops::option(p, &["fieldConfig", "overrides"])
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
    };
    let write = move |overrides: Vec<Value>| {
        working.update(|p| {
            ops::set_option(p, &["fieldConfig", "overrides"], Some(Value::Array(overrides.clone())))
        })
    };
    let add = move |_| {
        let mut all = list();
        all.push(json!({"matcher": {"id": "byName", "options": ""}, "properties": []}));
        write(all);
    };
    view! {
        <OptionsSection title="Overrides">
            {move || list().into_iter().enumerate().map(|(index, rule)| {
                let matcher_id = text_of(rule.pointer("/matcher/id"));
                let matcher_options = text_of(rule.pointer("/matcher/options"));
                let properties = rule.get("properties").and_then(Value::as_array).cloned().unwrap_or_default();
                view! {
                    <div class="override" data-index=index>
                        <select class="override-matcher" on:change=move |e| { let v = event_target_value(&e); let mut all = list(); if let Some(r) = all.get_mut(index) { ops::set_option(r, &["matcher", "id"], Some(json!(v))) } write(all) }>
                            {["byName", "byRegexp", "byFrameRefID", "byType", "byNames"].into_iter().map(|m| view! { <option value=m selected=matcher_id == m>{m}</option> }).collect_view()}
                        </select>
                        <input class="override-options" value=matcher_options placeholder="field name, /regex/, refId or type"
                            on:change=move |e| { let v = event_target_value(&e); let mut all = list(); if let Some(r) = all.get_mut(index) { ops::set_option(r, &["matcher", "options"], Some(json!(v))) } write(all) }/>
                        <button class="override-remove" on:click=move |_| { let mut all = list(); all.remove(index); write(all) }>"Remove override"</button>
                        <ul>
                            {properties.into_iter().enumerate().map(|(p_index, property)| {
                                let id = text_of(property.get("id"));
                                let value = property.get("value").map(|v| v.to_string()).unwrap_or_default();
                                let set_property = move |key: &'static str, new: Value| {
                                    let mut all = list();
                                    if let Some(p) = all.get_mut(index).and_then(|r| r.get_mut("properties")).and_then(|ps| ps.get_mut(p_index)) {
                                        ops::set_option(p, &[key], Some(new));
                                    }
                                    write(all);
                                };
                                // Plain text that is not JSON is taken as a string, as most properties are.
                                let set_property_value = move |text: String| match serde_json::from_str::<Value>(&text) {
                                    Ok(v) => {
                                        problem.set(None);
                                        set_property("value", v)
                                    }
                                    Err(_) => set_property("value", json!(text)),
                                };
                                view! {
                                    <li class="override-property">
                                        <input class="property-id" value=id placeholder="unit, color, custom.lineWidth…" on:change=move |e| set_property("id", json!(event_target_value(&e)))/>
                                        <input class="property-value" value=value placeholder="JSON value"
                                            on:change=move |e| set_property_value(event_target_value(&e))/>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <button class="property-add" on:click=move |_| {
                            let mut all = list();
                            if let Some(props) = all.get_mut(index).and_then(|r| r.get_mut("properties")).and_then(Value::as_array_mut) {
                                props.push(json!({"id": "", "value": null}));
                            }
                            write(all)
                        }>"+ Add property"</button>
                    </div>
                }
            }).collect_view()}
            <button class="override-add" on:click=add>"+ Add override"</button>
        </OptionsSection>
    }
}

#[component]
fn QueriesEditor(working: RwSignal<Value>) -> impl IntoView {
    // Rows are rebuilt only when queries are added, removed or reordered: a row keeps what is
    // being typed in it while the working copy changes.
    let rows = Memo::new(move |_| {
        working.with(|p| {
            ops::targets(p)
                .iter()
                .enumerate()
                .map(|(index, t)| (index, text_of(t.get("refId"))))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <div class="queries-editor">
            <h3>"Queries"</h3>
            <For each=move || rows.get() key=|row| row.clone() children=move |(index, _)| view! { <QueryRow working=working index=index /> } />
            <button class="query-add" on:click=move |_| working.update(ops::add_query)>"+ Query"</button>
        </div>
    }
}

#[component]
fn QueryRow(working: RwSignal<Value>, index: usize) -> impl IntoView {
    let field = move |key: &'static str| {
        working.with(|p| text_of(ops::targets(p).get(index).and_then(|t| t.get(key))))
    };
    let flag = move |key: &'static str| {
        working.with(|p| {
            ops::targets(p).get(index).and_then(|t| t.get(key)).and_then(Value::as_bool).unwrap_or(false)
        })
    };
    let set = move |key: &'static str, value: Option<Value>| {
        working.update(|p| ops::set_query_field(p, index, key, value.clone()))
    };
    let ref_id = field("refId");
    let shown_ref_id = ref_id.clone();
    view! {
        <div class="query-row" data-ref-id=ref_id class:query-hidden=move || flag("hide")>
            <div class="query-head">
                <strong>{shown_ref_id}</strong>
                <span class="spacer"></span>
                <button class="query-up" title="Move up" on:click=move |_| working.update(|p| ops::move_query(p, index, -1))>"\u{2191}"</button>
                <button class="query-down" title="Move down" on:click=move |_| working.update(|p| ops::move_query(p, index, 1))>"\u{2193}"</button>
                <button class="query-hide" title="Hide the query's results" on:click=move |_| { let hidden = flag("hide"); set("hide", (!hidden).then(|| json!(true))) }>
                    {move || if flag("hide") { "Show" } else { "Hide" }}</button>
                <button class="query-duplicate" on:click=move |_| working.update(|p| ops::duplicate_query(p, index))>"Duplicate"</button>
                <button class="query-remove" on:click=move |_| working.update(|p| ops::remove_query(p, index))>"Remove"</button>
            </div>
            <PromqlEditor working=working index=index />
            <div class="query-options">
                <label>"Legend"<input class="query-legend" placeholder="{{label}}" prop:value=move || field("legendFormat")
                    on:change=move |e| { let v = event_target_value(&e); set("legendFormat", (!v.is_empty()).then(|| json!(v))) }/></label>
                <label>"Min interval"<input class="query-interval" placeholder="15s" prop:value=move || field("interval")
                    on:change=move |e| { let v = event_target_value(&e); set("interval", (!v.is_empty()).then(|| json!(v))) }/></label>
                <label>"Format"<select class="query-format" on:change=move |e| { let v = event_target_value(&e); set("format", Some(json!(v))) }>
                    {["time_series", "table", "heatmap"].into_iter().map(|f| view! { <option value=f selected=move || { let current = field("format"); current == f || (current.is_empty() && f == "time_series") }>{f}</option> }).collect_view()}
                </select></label>
                <label class="inline"><input type="checkbox" class="query-instant" prop:checked=move || flag("instant") on:change=move |e| set("instant", Some(json!(event_target_checked(&e))))/>"Instant"</label>
                <label class="inline"><input type="checkbox" class="query-range" prop:checked=move || flag("range") || !flag("instant") on:change=move |e| set("range", Some(json!(event_target_checked(&e))))/>"Range"</label>
            </div>
        </div>
    }
}
