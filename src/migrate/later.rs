//! Schema steps after the grid (18 → 42) that change what is rendered or how references look.
//! Steps that only concern other datasources or plugins we do not render (InfluxDB, CloudWatch) are
//! not here; the report says so where it matters.

use super::{Notes, for_each_panel, is_truthy, pointer, pointer_mut};
use serde_json::{Map, Value, json};

pub fn upgrade_from(from: i64, dashboard: &mut Map<String, Value>, notes: &mut Notes) {
    if from < 7 {
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
                let next =
                    (0..).map(ref_id_for).find(|candidate| !used.contains(candidate)).unwrap_or_default();
                used.push(next.clone());
                target.insert("refId".into(), json!(next));
            }
        });
    }
    if from < 9 {
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
    if from < 10 {
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
    if from < 12 {
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
    if from < 14 {
        // sharedCrosshair → graphTooltip 1/0.
        if let Some(shared) = dashboard.remove("sharedCrosshair") {
            dashboard.insert("graphTooltip".into(), json!(i64::from(is_truthy(Some(&shared)))));
        }
    }
    if from < 18 {
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
    if from < 19 {
        // Panel links become plain URLs with the time range and variables as URL parameters.
        for_each_panel(dashboard, &mut |panel, _| {
            if let Some(Value::Array(links)) = panel.get_mut("links") {
                for link in links.iter_mut() {
                    *link = upgrade_panel_link(link);
                }
            }
        });
    }
    if from < 20 {
        for_each_panel(dashboard, &mut |panel, _| {
            update_data_links(panel, legacy_data_link_variables);
            if let Some(Value::String(title)) = pointer_mut(panel, "/options/fieldOptions/defaults/title") {
                *title = legacy_data_link_variables(title);
            }
        });
    }
    if from < 21 {
        for_each_panel(dashboard, &mut |panel, _| {
            update_data_links(panel, |url| url.replace("__series.labels", "__field.labels"))
        });
    }
    if from < 22 {
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
    if from < 23 {
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
    if from < 24 {
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
    if from < 26 {
        for_each_panel(dashboard, &mut |panel, _| {
            if panel.get("type").and_then(Value::as_str) == Some("text2") {
                panel.insert("type".into(), json!("text"));
            }
        });
    }
    if from < 27 {
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
    if from < 28 {
        for_each_variable(dashboard, |variable, _| {
            for key in ["tags", "tagsQuery", "tagValuesQuery", "useTags"] {
                variable.remove(key);
            }
        });
    }
    if from < 29 {
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
    if from < 30 {
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
    if from < 31 {
        // Grafana's V31 (schemaversion/v31.go): a `merge` with empty options after every
        // `labelsToFields`, which from then on no longer merges the frames itself.
        for_each_panel(dashboard, &mut |panel, path| {
            let Some(Value::Array(transformations)) = panel.get_mut("transformations") else { return };
            if !transformations.iter().any(|t| t.get("id").and_then(Value::as_str) == Some("labelsToFields"))
            {
                return;
            }
            let mut with_merges = Vec::with_capacity(transformations.len() * 2);
            for transformation in transformations.drain(..) {
                let labels_to_fields =
                    transformation.get("id").and_then(Value::as_str) == Some("labelsToFields");
                with_merges.push(transformation);
                if labels_to_fields {
                    with_merges.push(json!({"id": "merge", "options": {}}));
                }
            }
            *transformations = with_merges;
            notes.add(&format!("{path}.transformations"), "a merge after each labelsToFields");
        });
    }
    if from < 33 {
        for_each_panel(dashboard, &mut |panel, path| {
            datasource_name_to_ref(panel, path, notes);
            if let Some(Value::Array(targets)) = panel.get_mut("targets") {
                for (index, target) in targets.iter_mut().enumerate() {
                    if let Value::Object(target) = target {
                        datasource_name_to_ref(target, &format!("{path}.targets[{index}]"), notes);
                    }
                }
            }
        });
    }
    // 34 only rewrites CloudWatch queries, which promboard does not run.
    if from < 35 {
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
    if from < 36 {
        explicit_default_datasources(dashboard);
    }
    if from < 37 {
        for_each_panel(dashboard, &mut |panel, _| {
            let Some(Value::Object(legend)) = panel.get_mut("options").and_then(|o| o.get_mut("legend"))
            else {
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
    if from < 38 {
        for_each_panel(dashboard, &mut |panel, _| {
            if panel.get("type").and_then(Value::as_str) == Some("table") {
                table_display_mode_to_cell_options(panel);
            }
        });
    }
    if from < 39 {
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
                let migrated: Map<String, Value> = ref_id_to_stat
                    .into_iter()
                    .map(|(ref_id, stat)| (ref_id, json!({"stat": stat})))
                    .collect();
                *options = migrated;
                notes.add(&format!("{path}.transformations"), "timeSeriesTable options per query");
            }
        });
    }
    if from < 40 {
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
    if from < 41
        && let Some(Value::Object(timepicker)) = dashboard.get_mut("timepicker")
    {
        timepicker.remove("time_options");
    }
    if from < 42 {
        for_each_panel(dashboard, &mut |panel, _| {
            let Some(Value::Array(overrides)) =
                panel.get_mut("fieldConfig").and_then(|f| f.get_mut("overrides"))
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
    if from < 43 {
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

fn for_each_variable(
    dashboard: &mut Map<String, Value>,
    mut visit: impl FnMut(&mut Map<String, Value>, usize),
) {
    let Some(Value::Array(list)) = dashboard.get_mut("templating").and_then(|t| t.get_mut("list")) else {
        return;
    };
    for (index, variable) in list.iter_mut().enumerate() {
        if let Value::Object(variable) = variable {
            visit(variable, index);
        }
    }
}

/// Schema 19: Grafana's upgradePanelLink. Only `url`, `title` and `targetBlank` remain.
fn upgrade_panel_link(link: &Value) -> Value {
    let field = |key: &str| link.get(key).filter(|v| is_truthy(Some(v)));
    let text = |value: &Value| match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut url = match (field("url"), field("dashboard"), field("dashUri")) {
        (Some(url), _, _) => text(url),
        (None, Some(dashboard), _) => format!("dashboard/db/{}", slugify_for_url(&text(dashboard))),
        (None, None, Some(uri)) => format!("dashboard/{}", text(uri)),
        _ => "/".to_string(),
    };
    if field("keepTime").is_some() {
        url = append_query_to_url(&url, "$__url_time_range");
    }
    if field("includeVars").is_some() {
        url = append_query_to_url(&url, "$__all_variables");
    }
    if let Some(params) = field("params") {
        url = append_query_to_url(&url, &text(params));
    }
    let mut upgraded = Map::new();
    upgraded.insert("url".into(), json!(url));
    for key in ["title", "targetBlank"] {
        if let Some(value) = link.get(key) {
            upgraded.insert(key.into(), value.clone());
        }
    }
    Value::Object(upgraded)
}

/// Grafana's urlUtil.appendQueryToUrl.
fn append_query_to_url(url: &str, query: &str) -> String {
    let separator = match url.find('?') {
        Some(position) if url.len() - position > 1 => "&",
        Some(_) => "",
        None => "?",
    };
    format!("{url}{separator}{query}")
}

/// Grafana's kbn.slugifyForUrl: lower case, drop everything but word characters and spaces, spaces
/// to dashes.
fn slugify_for_url(text: &str) -> String {
    let mut slug = String::new();
    let mut in_spaces = false;
    for c in text.to_lowercase().chars() {
        if c == ' ' {
            if !in_spaces {
                slug.push('-');
            }
            in_spaces = true;
        } else if c.is_ascii_alphanumeric() || c == '_' {
            slug.push(c);
            in_spaces = false;
        }
    }
    slug
}

/// Rewrites the URLs of a panel's data links (the graph panel's `options.dataLinks` and the field
/// options of Grafana 6.4's React panels).
fn update_data_links(panel: &mut Map<String, Value>, rewrite: impl Fn(&str) -> String) {
    for pointer in ["/options/dataLinks", "/options/fieldOptions/defaults/links"] {
        let Some(Value::Array(links)) = pointer_mut(panel, pointer) else { continue };
        for link in links.iter_mut() {
            if let Some(Value::String(url)) = link.get_mut("url") {
                *url = rewrite(url);
            }
        }
    }
}

/// Schema 20: Grafana's updateVariablesSyntax for the data-link variables renamed in 6.4.
fn legacy_data_link_variables(text: &str) -> String {
    const RENAMES: &[(&str, &str)] = &[
        ("$__series_name", "${__series.name}"),
        ("__series_name", "__series.name"),
        ("__value_time", "__value.time"),
        ("$__field_name", "${__field.name}"),
        ("__field_name", "__field.name"),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'scan: while !rest.is_empty() {
        // At any position at most one of the names can match, so the order of the list is free.
        for (from, to) in RENAMES {
            if let Some(after) = rest.strip_prefix(from) {
                out.push_str(to);
                rest = after;
                continue 'scan;
            }
        }
        let next = rest.chars().next().map_or(1, char::len_utf8);
        out.push_str(&rest[..next]);
        rest = &rest[next..];
    }
    out
}

/// Schema 36: annotation datasources become references; query variables and panels with queries but
/// no datasource get an explicit reference to the default datasource, and so do their queries.
fn explicit_default_datasources(dashboard: &mut Map<String, Value>) {
    let default = crate::datasource::default_reference();
    if let Some(Value::Array(annotations)) = pointer_mut(dashboard, "/annotations/list") {
        for annotation in annotations.iter_mut().filter_map(Value::as_object_mut) {
            let reference = datasource_reference(annotation.get("datasource"));
            annotation.insert("datasource".into(), reference);
        }
    }
    for_each_variable(dashboard, |variable, _| {
        if variable.get("type").and_then(Value::as_str) == Some("query")
            && variable.get("datasource") == Some(&Value::Null)
        {
            variable.insert("datasource".into(), default.clone());
        }
    });
    for_each_panel(dashboard, &mut |panel, _| {
        let Some(Value::Array(targets)) = panel.get("targets").cloned() else { return };
        let mut panel_was_default = false;
        if panel.get("datasource").is_none_or(Value::is_null) && !targets.is_empty() {
            panel.insert("datasource".into(), default.clone());
            panel_was_default = true;
        }
        let mut targets = targets;
        for target in targets.iter_mut().filter_map(Value::as_object_mut) {
            let datasource = target.get("datasource");
            if datasource.is_none_or(|d| d.get("uid").is_none_or(Value::is_null)) {
                let panel_datasource = panel.get("datasource").cloned().unwrap_or(Value::Null);
                let reference = if panel_datasource.get("uid").and_then(Value::as_str) != Some("-- Mixed --")
                {
                    // `{...panel.datasource}`: a copy of an object, `{}` for anything else.
                    match panel_datasource {
                        Value::Object(reference) => Value::Object(reference),
                        _ => json!({}),
                    }
                } else {
                    datasource_reference(target.get("datasource"))
                };
                target.insert("datasource".into(), reference);
            }
            if panel_was_default
                && target.get("datasource").and_then(|d| d.get("uid")) != Some(&json!("__expr__"))
            {
                panel.insert("datasource".into(), target.get("datasource").cloned().unwrap_or(Value::Null));
            }
        }
        panel.insert("targets".into(), Value::Array(targets));
    });
}

/// Grafana's migrateDatasourceNameToRef without `returnDefaultAsNull`: a reference stays; a name
/// becomes the reference of that datasource (the default one for null), `{uid: name}` when unknown.
fn datasource_reference(name_or_ref: Option<&Value>) -> Value {
    match name_or_ref {
        Some(Value::Object(reference)) => Value::Object(reference.clone()),
        None | Some(Value::Null) => crate::datasource::default_reference(),
        Some(Value::String(name)) => {
            crate::datasource::reference_by_name(name).unwrap_or_else(|| json!({"uid": name}))
        }
        Some(other) => json!({"uid": other}),
    }
}

/// Schema 33: a datasource given by name becomes a reference. Grafana looks the name up among its
/// datasources (crate::datasource); an unknown name stays as the reference's `uid` (resolved later,
/// falling back to the default datasource) and `default` or null means the default.
fn datasource_name_to_ref(object: &mut Map<String, Value>, path: &str, notes: &mut Notes) {
    let Some(Value::String(name)) = object.get("datasource").cloned() else { return };
    let reference = if name == "default" || name.is_empty() {
        Value::Null
    } else if name.starts_with('$') {
        json!({ "uid": name })
    } else if let Some(reference) = crate::datasource::reference_by_name(&name) {
        reference
    } else {
        notes.add(&format!("{path}.datasource"), format!("datasource name {name:?} kept as a uid reference"));
        json!({ "uid": name })
    };
    object.insert("datasource".into(), reference);
}

/// Schema 30: legacy value mappings (`type` 1 = value → text, 2 = range → text) become the current
/// forms; all value mappings merge into one, placed first; `"null"` becomes a special mapping; a
/// numeric text takes its colour from the thresholds.
fn upgrade_panel_value_mappings(panel: &mut Map<String, Value>) {
    let Some(Value::Object(field_config)) = panel.get_mut("fieldConfig") else { return };
    if let Some(Value::Object(defaults)) = field_config.get_mut("defaults") {
        let thresholds = defaults.get("thresholds").cloned();
        if let Some(Value::Array(mappings)) = defaults.get_mut("mappings") {
            *mappings = upgrade_value_mappings(mappings, thresholds.as_ref());
        }
    }
    let Some(Value::Array(overrides)) = field_config.get_mut("overrides") else { return };
    for property in
        overrides.iter_mut().filter_map(|o| o.get_mut("properties")).filter_map(Value::as_array_mut).flatten()
    {
        if property.get("id").and_then(Value::as_str) == Some("mappings")
            && let Some(Value::Array(mappings)) = property.get_mut("value")
        {
            *mappings = upgrade_value_mappings(mappings, None);
        }
    }
}

pub fn upgrade_value_mappings(old: &[Value], thresholds: Option<&Value>) -> Vec<Value> {
    if old.is_empty() {
        return Vec::new();
    }
    let mut values = Map::new();
    let mut has_values = false;
    let mut others = Vec::new();
    for mapping in old.iter().filter_map(Value::as_object) {
        if let Some(kind) = mapping.get("type").and_then(Value::as_str).filter(|k| !k.is_empty()) {
            if kind == "value" {
                if let Some(Value::Object(options)) = mapping.get("options") {
                    values.extend(options.clone());
                    has_values = true;
                }
            } else {
                others.push(Value::Object(mapping.clone()));
            }
            continue;
        }
        let mut result = Map::new();
        result.insert("text".into(), mapping.get("text").cloned().unwrap_or(Value::Null));
        let text_number =
            mapping.get("text").and_then(Value::as_str).and_then(|t| t.trim().parse::<f64>().ok());
        if let (Some(number), Some(thresholds)) = (text_number, thresholds) {
            result.insert("color".into(), active_threshold_color(number, thresholds));
        }
        match super::lenient_number(mapping.get("type")).map(|t| t as i64) {
            Some(1) => match mapping.get("value") {
                None | Some(Value::Null) => {}
                Some(Value::String(value)) if value == "null" => {
                    others.push(json!({"type": "special", "options": {"match": "null", "result": result}}));
                }
                Some(value) => {
                    let key = match value {
                        Value::String(text) => text.clone(),
                        other => other.to_string(),
                    };
                    values.insert(key, Value::Object(result));
                    has_values = true;
                }
            },
            Some(2) => {
                let bound = |key: &str| super::lenient_number(mapping.get(key)).unwrap_or(0.0);
                others.push(json!({"type": "range", "options": {
                    "from": number_value(bound("from")), "to": number_value(bound("to")), "result": result}}));
            }
            _ => {}
        }
    }
    if has_values {
        others.insert(0, json!({"type": "value", "options": values}));
    }
    others
}

fn number_value(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 1e15 { json!(value as i64) } else { json!(value) }
}

/// The colour of the last threshold step at or below `value` (the base step counts as -∞), or
/// Grafana's fallback grey when there are no steps.
fn active_threshold_color(value: f64, thresholds: &Value) -> Value {
    let Some(steps) = thresholds.get("steps").and_then(Value::as_array).filter(|s| !s.is_empty()) else {
        return json!("#808080");
    };
    let mut active = &steps[0];
    for step in steps {
        let step_value = match step.get("value") {
            None => break,
            Some(Value::Null) => 0.0,
            Some(other) => match super::lenient_number(Some(other)) {
                Some(number) => number,
                None => break,
            },
        };
        if value >= step_value {
            active = step;
        } else {
            break;
        }
    }
    active.get("color").cloned().unwrap_or(Value::Null)
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
