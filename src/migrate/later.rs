//! Schema steps after the grid (18 → 42) that change what is rendered or how references look.
//! Steps that only concern other datasources or plugins we do not render (InfluxDB, CloudWatch) are
//! not here; the report says so where it matters.

use super::datasource_refs::{datasource_name_to_ref, explicit_default_datasources};
use super::links::{legacy_data_link_variables, update_data_links, upgrade_panel_link};
use super::value_mappings::upgrade_panel_value_mappings;
use super::{Notes, Step, for_each_panel, for_each_variable};
use crate::datasource::Registry;
use crate::json::{is_truthy, pointer, pointer_mut};
use serde_json::{Map, Value, json};

/// Grafana's schema steps after the grid layout, oldest first: `(N, step)` runs on a file whose
/// schemaVersion is below N (its DashboardMigrator's `if (oldVersion < N)` blocks, one function each).
pub const STEPS: &[(i64, Step)] = &[
    (7, to_v7),
    (9, to_v9),
    (10, to_v10),
    (12, to_v12),
    (14, to_v14),
    (18, to_v18),
    (19, to_v19),
    (20, to_v20),
    (21, to_v21),
    (22, to_v22),
    (23, to_v23),
    (24, to_v24),
    (26, to_v26),
    (27, to_v27),
    (28, to_v28),
    (29, to_v29),
    (30, to_v30),
    (31, to_v31),
    (33, to_v33),
    (35, to_v35),
    (36, to_v36),
    (37, to_v37),
    (38, to_v38),
    (39, to_v39),
    (40, to_v40),
    (41, to_v41),
    (42, to_v42),
    (43, to_v43),
];

fn to_v7(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    // Every target gets a refId (A, B, …, skipping letters already used in the panel).
    for_each_panel(dashboard, &mut |panel, _| {
        let Some(Value::Array(targets)) = panel.get_mut("targets") else { return };
        let mut used: Vec<String> = targets
            .iter()
            .filter_map(|t| t.get("refId").and_then(Value::as_str).map(str::to_string))
            .collect();
        for target in targets.iter_mut().filter_map(Value::as_object_mut) {
            if target.get("refId").and_then(Value::as_str).is_some_and(|r| !r.is_empty()) {
                continue;
            }
            let next = (0..).map(ref_id_for).find(|candidate| !used.contains(candidate)).unwrap_or_default();
            used.push(next.clone());
            target.insert("refId".into(), json!(next));
        }
    });
}

fn to_v9(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    // Singlestat thresholds once had a leading value for "below the first"; it goes.
    for_each_panel(dashboard, &mut |panel, _| {
        if panel.get("type").and_then(Value::as_str) != Some("singlestat") {
            return;
        }
        if let Some(Value::String(thresholds)) = panel.get_mut("thresholds") {
            let mut levels: Vec<&str> = thresholds.split(',').collect();
            if levels.len() >= 3 {
                levels.remove(0);
                *thresholds = levels.join(",");
            }
        }
    });
}

fn to_v10(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    // The same for table column styles.
    for_each_panel(dashboard, &mut |panel, _| {
        if panel.get("type").and_then(Value::as_str) != Some("table") {
            return;
        }
        for style in panel.get_mut("styles").and_then(Value::as_array_mut).into_iter().flatten() {
            if let Some(Value::Array(levels)) = style.get_mut("thresholds")
                && levels.len() >= 3
            {
                levels.remove(0);
            }
        }
    });
}

fn to_v12(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    for_each_variable(dashboard, |variable, _| {
        if let Some(refresh) = variable.get("refresh").cloned() {
            variable.insert("refresh".into(), json!(i64::from(is_truthy(Some(&refresh)))));
        }
        if is_truthy(variable.get("hideVariable")) {
            variable.insert("hide".into(), json!(2));
        } else if is_truthy(variable.get("hideLabel")) {
            variable.insert("hide".into(), json!(1));
        }
    });
}

fn to_v14(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    // sharedCrosshair → graphTooltip 1/0.
    if let Some(shared) = dashboard.remove("sharedCrosshair") {
        dashboard.insert("graphTooltip".into(), json!(i64::from(is_truthy(Some(&shared)))));
    }
}

fn to_v18(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    // Grafana 6.0's gauge kept its options under `options-gauge`; value options get their own
    // object and thresholds are stored lowest first. The gauge plugin's own migration (see
    // plugins.rs) then moves them into field config.
    for_each_panel(dashboard, &mut |panel, _| {
        let Some(Value::Object(mut options)) = panel.remove("options-gauge") else { return };
        let mut value_options = Map::new();
        for key in ["unit", "stat", "decimals", "prefix", "suffix"] {
            if let Some(value) = options.remove(key) {
                value_options.insert(key.into(), value);
            }
        }
        if let Some(Value::Array(thresholds)) = options.get_mut("thresholds") {
            thresholds.reverse();
        }
        options.remove("options");
        options.insert("valueOptions".into(), Value::Object(value_options));
        panel.insert("options".into(), Value::Object(options));
    });
}

fn to_v19(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    // Panel links become plain URLs with the time range and variables as URL parameters.
    for_each_panel(dashboard, &mut |panel, _| {
        if let Some(Value::Array(links)) = panel.get_mut("links") {
            for link in links.iter_mut() {
                *link = upgrade_panel_link(link);
            }
        }
    });
}

fn to_v20(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    for_each_panel(dashboard, &mut |panel, _| {
        update_data_links(panel, legacy_data_link_variables);
        if let Some(Value::String(title)) = pointer_mut(panel, "/options/fieldOptions/defaults/title") {
            *title = legacy_data_link_variables(title);
        }
    });
}

fn to_v21(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    for_each_panel(dashboard, &mut |panel, _| {
        update_data_links(panel, |url| url.replace("__series.labels", "__field.labels"))
    });
}

fn to_v22(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    for_each_panel(dashboard, &mut |panel, _| {
        if panel.get("type").and_then(Value::as_str) != Some("table") {
            return;
        }
        for style in panel.get_mut("styles").and_then(Value::as_array_mut).into_iter().flatten() {
            if let Some(style) = style.as_object_mut() {
                style.insert("align".into(), json!("auto"));
            }
        }
    });
}

fn to_v23(dashboard: &mut Map<String, Value>, notes: &mut Notes, _datasources: &Registry) {
    // A multi-value variable's current value is a list, a single-value one's a string.
    for_each_variable(dashboard, |variable, index| {
        let Some(multi) = variable.get("multi").cloned() else { return };
        let multi = multi.as_bool().unwrap_or(false);
        let Some(Value::Object(current)) = variable.get_mut("current") else { return };
        if current.is_empty() {
            return;
        }
        let is_list = matches!(current.get("value"), Some(Value::Array(_)));
        if multi == is_list {
            return;
        }
        for key in ["value", "text"] {
            let old = current.get(key).cloned().unwrap_or(Value::Null);
            let aligned = match (multi, old) {
                (true, Value::Array(list)) => Value::Array(list),
                (true, single) => Value::Array(vec![single]),
                (false, Value::Array(list)) => list.into_iter().next().unwrap_or_else(|| json!("")),
                (false, single) => single,
            };
            current.insert(key.into(), aligned);
        }
        notes.add(&format!("templating.list[{index}].current"), "current value aligned with multi");
    });
}

fn to_v24(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    // Grafana 7 swapped the table panel: an Angular table (one with `styles`) becomes table-old,
    // which the Angular migration then turns into the new table.
    for_each_panel(dashboard, &mut |panel, _| {
        if panel.get("type").and_then(Value::as_str) == Some("table")
            && panel.contains_key("styles")
            && panel.get("table").and_then(Value::as_str) != Some("table2")
        {
            panel.insert("type".into(), json!("table-old"));
        }
    });
}

fn to_v26(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    for_each_panel(dashboard, &mut |panel, _| {
        if panel.get("type").and_then(Value::as_str) == Some("text2") {
            panel.insert("type".into(), json!("text"));
        }
    });
}

fn to_v27(dashboard: &mut Map<String, Value>, notes: &mut Notes, _datasources: &Registry) {
    remove_repeated_panels(dashboard, notes);
    // Constants get their query as their one option; a visible constant becomes a textbox.
    for_each_variable(dashboard, |variable, index| {
        if variable.get("type").and_then(Value::as_str) != Some("constant") {
            return;
        }
        let query = variable.get("query").cloned().filter(|q| !q.is_null()).unwrap_or_else(|| json!(""));
        let current = json!({"selected": true, "text": query, "value": query});
        variable.insert("current".into(), current.clone());
        variable.insert("options".into(), json!([current]));
        // Grafana compares with ===: only the numbers 0 (visible) and 1 (label hidden) count.
        if variable.get("hide").and_then(Value::as_f64).is_some_and(|hide| hide == 0.0 || hide == 1.0) {
            variable.insert("type".into(), json!("textbox"));
            notes.add(&format!("templating.list[{index}]"), "visible constant variable became a textbox");
        }
    });
}

fn to_v28(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    for_each_variable(dashboard, |variable, _| {
        for key in ["tags", "tagsQuery", "tagValuesQuery", "useTags"] {
            variable.remove(key);
        }
    });
}

fn to_v29(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    for_each_variable(dashboard, |variable, _| {
        if variable.get("type").and_then(Value::as_str) == Some("query") {
            let refresh = variable.get("refresh").and_then(Value::as_i64).unwrap_or(0);
            if refresh != 1 && refresh != 2 {
                variable.insert("refresh".into(), json!(1));
            }
            variable.insert("options".into(), json!([]));
        }
    });
}

fn to_v30(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    for_each_panel(dashboard, &mut |panel, _| {
        upgrade_panel_value_mappings(panel);
        let type_name = panel.get("type").and_then(Value::as_str).unwrap_or("");
        if matches!(type_name, "timeseries" | "xychart" | "xychart2")
            && let Some(Value::Object(options)) = panel.get_mut("options")
            && let Some(tooltip) = options.remove("tooltipOptions")
        {
            options.insert("tooltip".into(), tooltip);
        }
    });
}

fn to_v31(dashboard: &mut Map<String, Value>, notes: &mut Notes, _datasources: &Registry) {
    // Grafana's V31 (schemaversion/v31.go): a `merge` with empty options after every
    // `labelsToFields`, which from then on no longer merges the frames itself.
    for_each_panel(dashboard, &mut |panel, path| {
        let Some(Value::Array(transformations)) = panel.get_mut("transformations") else { return };
        if !transformations.iter().any(|t| t.get("id").and_then(Value::as_str) == Some("labelsToFields")) {
            return;
        }
        let mut with_merges = Vec::with_capacity(transformations.len() * 2);
        for transformation in transformations.drain(..) {
            let labels_to_fields = transformation.get("id").and_then(Value::as_str) == Some("labelsToFields");
            with_merges.push(transformation);
            if labels_to_fields {
                with_merges.push(json!({"id": "merge", "options": {}}));
            }
        }
        *transformations = with_merges;
        notes.add(&format!("{path}.transformations"), "a merge after each labelsToFields");
    });
}

fn to_v33(dashboard: &mut Map<String, Value>, notes: &mut Notes, datasources: &Registry) {
    for_each_panel(dashboard, &mut |panel, path| {
        datasource_name_to_ref(panel, path, notes, datasources);
        if let Some(Value::Array(targets)) = panel.get_mut("targets") {
            for (index, target) in targets.iter_mut().enumerate() {
                if let Value::Object(target) = target {
                    datasource_name_to_ref(target, &format!("{path}.targets[{index}]"), notes, datasources);
                }
            }
        }
    });
}

// 34 only rewrites CloudWatch queries, which promboard does not run.
fn to_v35(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    // Grafana 8 hid the time axis along with the value axes; 9 keeps it visible by an override.
    for_each_panel(dashboard, &mut |panel, _| {
        if panel.get("type").and_then(Value::as_str) != Some("timeseries")
            || pointer(panel, "/fieldConfig/defaults/custom/axisPlacement").and_then(Value::as_str)
                != Some("hidden")
        {
            return;
        }
        let Some(Value::Object(field_config)) = panel.get_mut("fieldConfig") else { return };
        let overrides = field_config.entry("overrides").or_insert_with(|| json!([]));
        if !overrides.is_array() {
            *overrides = json!([]);
        }
        if let Value::Array(overrides) = overrides {
            overrides.push(json!({
                "matcher": {"id": "byType", "options": "time"},
                "properties": [{"id": "custom.axisPlacement", "value": "auto"}]
            }));
        }
    });
}

fn to_v36(dashboard: &mut Map<String, Value>, _notes: &mut Notes, datasources: &Registry) {
    explicit_default_datasources(dashboard, datasources);
}

fn to_v37(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    for_each_panel(dashboard, &mut |panel, _| {
        let Some(Value::Object(legend)) = panel.get_mut("options").and_then(|o| o.get_mut("legend")) else {
            return;
        };
        let hidden = legend.get("displayMode").and_then(Value::as_str) == Some("hidden")
            || legend.get("showLegend") == Some(&json!(false));
        if hidden {
            legend.insert("displayMode".into(), json!("list"));
            legend.insert("showLegend".into(), json!(false));
        } else {
            legend.insert("showLegend".into(), json!(true));
        }
    });
}

fn to_v38(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    for_each_panel(dashboard, &mut |panel, _| {
        if panel.get("type").and_then(Value::as_str) == Some("table") {
            table_display_mode_to_cell_options(panel);
        }
    });
}

fn to_v39(dashboard: &mut Map<String, Value>, notes: &mut Notes, _datasources: &Registry) {
    for_each_panel(dashboard, &mut |panel, path| {
        let Some(Value::Array(transformations)) = panel.get_mut("transformations") else { return };
        for transformation in transformations.iter_mut() {
            if transformation.get("id").and_then(Value::as_str) != Some("timeSeriesTable") {
                continue;
            }
            let Some(Value::Object(options)) = transformation.get_mut("options") else { continue };
            let Some(Value::Object(ref_id_to_stat)) = options.get("refIdToStat").cloned() else {
                continue;
            };
            let migrated: Map<String, Value> =
                ref_id_to_stat.into_iter().map(|(ref_id, stat)| (ref_id, json!({"stat": stat}))).collect();
            *options = migrated;
            notes.add(&format!("{path}.transformations"), "timeSeriesTable options per query");
        }
    });
}

fn to_v40(dashboard: &mut Map<String, Value>, notes: &mut Notes, _datasources: &Registry) {
    match dashboard.get("refresh") {
        Some(Value::String(_)) => {}
        Some(other) => {
            if !other.is_null() && other != &json!(false) {
                notes.add("refresh", format!("refresh {other} is not an interval; auto-refresh is off"));
            }
            dashboard.insert("refresh".into(), json!(""));
        }
        None => {}
    }
}

fn to_v41(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    if let Some(Value::Object(timepicker)) = dashboard.get_mut("timepicker") {
        timepicker.remove("time_options");
    }
}

fn to_v42(dashboard: &mut Map<String, Value>, _notes: &mut Notes, _datasources: &Registry) {
    for_each_panel(dashboard, &mut |panel, _| {
        let Some(Value::Array(overrides)) = panel.get_mut("fieldConfig").and_then(|f| f.get_mut("overrides"))
        else {
            return;
        };
        for property in overrides
            .iter_mut()
            .filter_map(|o| o.get_mut("properties").and_then(Value::as_array_mut))
            .flatten()
        {
            if property.get("id").and_then(Value::as_str) != Some("custom.hideFrom") {
                continue;
            }
            if let Some(Value::Object(hide_from)) = property.get_mut("value")
                && hide_from.get("viz") == Some(&json!(true))
            {
                hide_from.insert("tooltip".into(), json!(true));
            }
        }
    });
}

fn to_v43(dashboard: &mut Map<String, Value>, notes: &mut Notes, _datasources: &Registry) {
    // Grafana's V43 (apps/dashboard/pkg/migration/schemaversion/v43.go): the `formatTime`
    // transformation becomes `convertFieldType` to a string, in top-level panels and those
    // of rows. The new transformation is made afresh (only `id` and `options`), its conversion
    // keys in the order Grafana's backend writes them (sorted).
    for_each_panel(dashboard, &mut |panel, path| {
        let Some(Value::Array(transformations)) = panel.get_mut("transformations") else { return };
        for (index, transformation) in transformations.iter_mut().enumerate() {
            if transformation.get("id").and_then(Value::as_str) != Some("formatTime") {
                continue;
            }
            let options = transformation.get("options").and_then(Value::as_object);
            let text = |key: &str| {
                options.and_then(|o| o.get(key)).and_then(Value::as_str).filter(|v| !v.is_empty())
            };
            let mut conversion = Map::new();
            if let Some(format) = text("outputFormat") {
                conversion.insert("dateFormat".into(), json!(format));
            }
            conversion.insert("destinationType".into(), json!("string"));
            if let Some(field) = text("timeField") {
                conversion.insert("targetField".into(), json!(field));
            }
            if let Some(zone) = text("timezone") {
                conversion.insert("timezone".into(), json!(zone));
            }
            *transformation = json!({"id": "convertFieldType", "options": {"conversions": [conversion]}});
            notes.add(
                &format!("{path}.transformations[{index}]"),
                "formatTime → convertFieldType (to a string)",
            );
        }
    });
}

/// Schema 27: panels left over from repeats saved by old Grafana versions (`repeatPanelId`,
/// `repeatByRow`) are dropped; Grafana recreates repeats at load.
fn remove_repeated_panels(dashboard: &mut Map<String, Value>, notes: &mut Notes) {
    let Some(Value::Array(panels)) = dashboard.get_mut("panels") else { return };
    let truthy = |panel: &Value, key: &str| {
        panel.get(key).is_some_and(|v| {
            !matches!(v, Value::Null | Value::Bool(false)) && v != &json!(0) && v != &json!("")
        })
    };
    let before = panels.len();
    panels.retain(|panel| !truthy(panel, "repeatPanelId") && !truthy(panel, "repeatByRow"));
    let mut removed = before - panels.len();
    for panel in panels.iter_mut() {
        if panel.get("type").and_then(Value::as_str) == Some("row")
            && let Some(Value::Array(children)) = panel.get_mut("panels")
        {
            let before = children.len();
            children.retain(|child| !truthy(child, "repeatPanelId"));
            removed += before - children.len();
        }
    }
    if removed > 0 {
        notes.add("panels", format!("{removed} panel(s) left over from old repeats removed"));
    }
}

/// Schema 38: the table's `custom.displayMode` becomes `custom.cellOptions`.
fn table_display_mode_to_cell_options(panel: &mut Map<String, Value>) {
    fn cell_options(display_mode: &str) -> Value {
        match display_mode {
            "color-background" => json!({"type": "color-background", "mode": "gradient"}),
            "color-background-solid" => json!({"type": "color-background", "mode": "basic"}),
            "gradient-gauge" => json!({"type": "gauge", "mode": "gradient"}),
            "lcd-gauge" => json!({"type": "gauge", "mode": "lcd"}),
            "basic" => json!({"type": "gauge", "mode": "basic"}),
            other => json!({"type": other}),
        }
    }
    let Some(Value::Object(field_config)) = panel.get_mut("fieldConfig") else { return };
    if let Some(Value::Object(custom)) = field_config.get_mut("defaults").and_then(|d| d.get_mut("custom"))
        && let Some(Value::String(mode)) = custom.remove("displayMode")
    {
        custom.insert("cellOptions".into(), cell_options(&mode));
    }
    let Some(Value::Array(overrides)) = field_config.get_mut("overrides") else { return };
    for property in
        overrides.iter_mut().filter_map(|o| o.get_mut("properties")).filter_map(Value::as_array_mut).flatten()
    {
        if property.get("id").and_then(Value::as_str) == Some("custom.displayMode") {
            let mode = property.get("value").and_then(Value::as_str).unwrap_or("auto").to_string();
            *property = json!({"id": "custom.cellOptions", "value": cell_options(&mode)});
        }
    }
}

/// Grafana's refIds: A … Z, then AA, AB, ….
fn ref_id_for(index: usize) -> String {
    let letter = |i: usize| char::from(b'A' + (i % 26) as u8);
    if index < 26 {
        letter(index).to_string()
    } else {
        format!("{}{}", letter(index / 26 - 1), letter(index))
    }
}
