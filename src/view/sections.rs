//! What a schema v2 dashboard's sections do to the grid (pure): which tabs show and which is open
//! (`?tab=`, by its title's slug), which panels the tabs and the `conditionalRendering` rules
//! hide now, and
//! where an auto grid's panels go at the grid's width — fewer columns when Grafana's narrowest
//! column would not fit, its remaining panels closing up when some are hidden. The sections are
//! read by `model::v2`; the app gives the variable values, the time range and which panels have
//! data.

use super::layout::{GRID_COLUMNS, GRID_MARGIN_PX, GridPos};
use crate::interval;
use crate::jsregex::JsRegex;
use crate::model::v2::{Rule, RuleGroup, Sections};
use crate::sorting;
use std::collections::HashSet;

/// A tab's name in the URL: its title in lower case, runs of other characters as one `-`.
pub fn tab_slug(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// Each tab's name in the URL: its slug, or its 1-based number where the slug is empty or
/// another tab has it too (so every tab can be opened).
pub fn tab_names(sections: &Sections) -> Vec<String> {
    let slugs: Vec<String> = sections.tabs.iter().map(|t| tab_slug(&t.title)).collect();
    slugs
        .iter()
        .enumerate()
        .map(|(index, slug)| {
            let unique = !slug.is_empty() && slugs.iter().filter(|s| *s == slug).count() == 1;
            if unique { slug.clone() } else { (index + 1).to_string() }
        })
        .collect()
}

/// The open tab: the one whose name ([`tab_names`]) or 1-based number `param` is, else the first.
pub fn selected_tab(sections: &Sections, param: Option<&str>) -> Option<usize> {
    if sections.tabs.is_empty() {
        return None;
    }
    let names = tab_names(sections);
    let by_param = param.and_then(|p| {
        names.iter().position(|name| name == p).or_else(|| {
            p.parse::<usize>().ok().filter(|n| (1..=sections.tabs.len()).contains(n)).map(|n| n - 1)
        })
    });
    Some(by_param.unwrap_or(0))
}

/// What the rules are evaluated against.
pub struct RuleContext<'a> {
    /// A variable's current values (every option's for All), `None` for a variable the
    /// dashboard does not have.
    pub values: &'a dyn Fn(&str) -> Option<Vec<String>>,
    /// The dashboard's time range, in ms.
    pub range_ms: i64,
    /// Whether a panel's queries returned data; `None` while that is not known yet.
    pub has_data: &'a dyn Fn(i64) -> Option<bool>,
}

/// Whether one rule holds for the panels `panel_ids`; `None` while it cannot be known (no panel
/// among them has reported whether its queries returned data).
fn rule_holds(rule: &Rule, panel_ids: &[i64], context: &RuleContext<'_>) -> Option<bool> {
    Some(match rule {
        Rule::Variable { name, matches, negated, value } => {
            let Some(values) = (context.values)(name) else { return Some(*negated) };
            let found = if *matches {
                match JsRegex::new(value) {
                    Ok(pattern) => values.iter().any(|v| pattern.is_match(v)),
                    Err(_) => false,
                }
            } else {
                values.iter().any(|v| v == value)
            };
            found != *negated
        }
        Rule::HasData(wanted) => {
            // Rows and panels that do not query never report; one panel with data is enough.
            let known: Vec<bool> = panel_ids.iter().filter_map(|id| (context.has_data)(*id)).collect();
            if known.is_empty() {
                return None;
            }
            known.contains(&true) == *wanted
        }
        Rule::TimeRangeShorterThan(duration) => match interval::parse_duration_ms(duration) {
            Some(limit) => context.range_ms < limit,
            None => true,
        },
    })
}

/// Whether a rule group shows its panels now. While a rule cannot be known yet (their data has
/// not come), the panels are shown, so that they load and the rule can be decided.
pub fn group_shows(group: &RuleGroup, panel_ids: &[i64], context: &RuleContext<'_>) -> bool {
    let results: Option<Vec<bool>> =
        group.rules.iter().map(|rule| rule_holds(rule, panel_ids, context)).collect();
    let Some(results) = results else { return true };
    if results.is_empty() {
        return true;
    }
    let met = if group.all { results.iter().all(|r| *r) } else { results.iter().any(|r| *r) };
    met == group.show_when_met
}

/// What a v2 dashboard's sections show now.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Visibility {
    /// The panels (rows included) hidden: those of the tabs not open, the open tab's own row
    /// (the tab bar stands for it), and those whose rules say so.
    pub hidden: HashSet<i64>,
    /// For each tab, whether its rules show it (a hidden tab has no button).
    pub tabs_shown: Vec<bool>,
    /// The open tab: the one `?tab=` names if it is shown, else the first shown.
    pub open_tab: Option<usize>,
}

/// What the sections show now, with `tab_param` the URL's `tab`.
pub fn visibility(sections: &Sections, tab_param: Option<&str>, context: &RuleContext<'_>) -> Visibility {
    let mut hidden = HashSet::new();
    for conditional in &sections.conditions {
        if !group_shows(&conditional.rules, &conditional.panel_ids, context) {
            hidden.extend(conditional.panel_ids.iter().copied());
        }
    }
    let tabs_shown: Vec<bool> = sections.tabs.iter().map(|tab| !hidden.contains(&tab.row_id)).collect();
    let open_tab = selected_tab(sections, tab_param)
        .filter(|index| tabs_shown[*index])
        .or_else(|| tabs_shown.iter().position(|shown| *shown));
    for (index, tab) in sections.tabs.iter().enumerate() {
        if Some(index) == open_tab {
            hidden.insert(tab.row_id);
        } else {
            hidden.extend(tab.panel_ids.iter().copied());
        }
    }
    Visibility { hidden, tabs_shown, open_tab }
}

/// Places the auto grids' shown panels for a grid `grid_width_px` wide: as many columns as fit
/// Grafana's narrowest column (at most the grid's own count), in order, a new line when the next
/// would pass column 24; the panels below an auto grid move by the height it gained or lost.
/// `placed` holds the shown panels' ids and positions (as the classic form placed them).
pub fn place_auto_grids(sections: &Sections, placed: &mut [(i64, GridPos)], grid_width_px: f64) {
    let margin = GRID_MARGIN_PX as f64;
    // (first row below the grid as placed, rows gained) of the grids placed so far.
    let mut shifts: Vec<(i64, i64)> = Vec::new();
    let mut grids: Vec<_> = sections.auto_grids.iter().collect();
    sorting::sort_by_key(&mut grids, |g| g.top);
    for grid in grids {
        let shift_at = |y: i64, shifts: &[(i64, i64)]| -> i64 {
            shifts.iter().filter(|(below, _)| y >= *below).map(|(_, by)| by).sum()
        };
        let top = grid.top + shift_at(grid.top, &shifts);
        let fitting = ((grid_width_px + margin) / (grid.min_column_width_px + margin)).floor() as i64;
        let columns = fitting.clamp(1, grid.max_columns.max(1));
        let width = GRID_COLUMNS / columns;
        let per_line = (GRID_COLUMNS / width).max(1);
        let original_per_line =
            (GRID_COLUMNS / (GRID_COLUMNS / grid.max_columns.clamp(1, GRID_COLUMNS))).max(1);
        let lines = |count: i64, per_line: i64| (count + per_line - 1) / per_line;
        let original_bottom =
            grid.top + lines(grid.panel_ids.len() as i64, original_per_line) * grid.row_height;
        let mut index = 0;
        let mut members = vec![false; placed.len()];
        for id in &grid.panel_ids {
            for (i, (placed_id, position)) in placed.iter_mut().enumerate() {
                if placed_id == id && !members[i] {
                    members[i] = true;
                    *position = GridPos {
                        x: (index % per_line) * width,
                        y: top + (index / per_line) * grid.row_height,
                        w: width,
                        h: grid.row_height,
                    };
                    index += 1;
                }
            }
        }
        let gained = lines(index, per_line) * grid.row_height - (original_bottom - grid.top);
        if gained != 0 {
            let below = original_bottom + shift_at(original_bottom, &shifts);
            for (i, (_, position)) in placed.iter_mut().enumerate() {
                if !members[i] && position.y >= below {
                    position.y += gained;
                }
            }
            shifts.push((original_bottom, gained));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::v2::{AutoGrid, Conditional, TabSection};

    fn context<'a>(
        values: &'a dyn Fn(&str) -> Option<Vec<String>>,
        range_ms: i64,
        has_data: &'a dyn Fn(i64) -> Option<bool>,
    ) -> RuleContext<'a> {
        RuleContext { values, range_ms, has_data }
    }

    fn group(rules: Vec<Rule>, all: bool, show_when_met: bool) -> RuleGroup {
        RuleGroup { show_when_met, all, rules }
    }

    #[test]
    fn tabs_are_named_by_slug_or_number_and_the_first_is_open_by_default() {
        assert_eq!(tab_slug("CPU & Memory (hosts)"), "cpu-memory-hosts");
        let sections = Sections {
            tabs: vec![
                TabSection { title: "Overview".into(), row_id: 10, panel_ids: vec![10, 1] },
                TabSection { title: "Disk IO".into(), row_id: 11, panel_ids: vec![11, 2, 3] },
            ],
            ..Sections::default()
        };
        assert_eq!(selected_tab(&sections, None), Some(0));
        assert_eq!(selected_tab(&sections, Some("disk-io")), Some(1));
        assert_eq!(selected_tab(&sections, Some("2")), Some(1));
        assert_eq!(selected_tab(&sections, Some("nope")), Some(0));
        assert_eq!(selected_tab(&Sections::default(), Some("x")), None);
        let twins = Sections {
            tabs: ["Same", "Same", ""]
                .iter()
                .enumerate()
                .map(|(i, t)| TabSection { title: t.to_string(), row_id: i as i64, panel_ids: vec![] })
                .collect(),
            ..Sections::default()
        };
        assert_eq!(tab_names(&twins), ["1", "2", "3"]);
        assert_eq!(selected_tab(&twins, Some("2")), Some(1));
        let none = |_: &str| None;
        let unknown = |_: i64| None;
        let shown = visibility(&sections, Some("disk-io"), &context(&none, 0, &unknown));
        assert_eq!(shown.hidden, HashSet::from([10, 1, 11]));
        assert_eq!(shown.open_tab, Some(1));
        // A tab its rule hides has no button, and is not open even when the URL names it.
        let ruled = Sections {
            conditions: vec![Conditional {
                json_path: "$".into(),
                panel_ids: vec![11, 2, 3],
                rules: group(vec![Rule::TimeRangeShorterThan("1h".into())], true, true),
            }],
            ..sections
        };
        let day = 86_400_000;
        let shown = visibility(&ruled, Some("disk-io"), &context(&none, day, &unknown));
        assert_eq!((shown.tabs_shown, shown.open_tab), (vec![true, false], Some(0)));
        assert_eq!(shown.hidden, HashSet::from([10, 11, 2, 3]));
    }

    #[test]
    fn each_rule_kind_decides_as_grafana_describes_it() {
        let values = |name: &str| match name {
            "env" => Some(vec!["prod".to_string()]),
            "hosts" => Some(vec!["a".to_string(), "b".to_string()]),
            _ => None,
        };
        let data = |id: i64| match id {
            1 => Some(true),
            2 => Some(false),
            _ => None,
        };
        let hour = 3_600_000;
        let ctx = context(&values, hour, &data);
        let variable = |name: &str, matches, negated, value: &str| Rule::Variable {
            name: name.into(),
            matches,
            negated,
            value: value.into(),
        };
        let shows = |rules: Vec<Rule>, ids: &[i64]| group_shows(&group(rules, true, true), ids, &ctx);
        assert!(shows(vec![variable("env", false, false, "prod")], &[9]));
        assert!(!shows(vec![variable("env", false, true, "prod")], &[9]));
        assert!(shows(vec![variable("hosts", false, false, "b")], &[9]), "any selected value");
        assert!(shows(vec![variable("env", true, false, "^pr")], &[9]));
        assert!(!shows(vec![variable("env", true, true, "^pr")], &[9]));
        assert!(!shows(vec![variable("missing", false, false, "x")], &[9]));
        assert!(shows(vec![Rule::HasData(true)], &[1]));
        assert!(!shows(vec![Rule::HasData(true)], &[2]));
        assert!(shows(vec![Rule::HasData(false)], &[2]));
        assert!(shows(vec![Rule::HasData(true)], &[3]), "shown while not known, so it loads");
        assert!(shows(vec![Rule::HasData(true)], &[2, 1]), "a row with one panel with data");
        assert!(!shows(vec![Rule::HasData(true)], &[9, 2]), "a row (9 never reports) whose panel has none");
        // Not known yet: shown, whatever the visibility, so that the panels load.
        assert!(group_shows(&group(vec![Rule::HasData(false)], true, false), &[3], &ctx));
        assert!(shows(vec![Rule::TimeRangeShorterThan("1d".into())], &[9]));
        assert!(!shows(vec![Rule::TimeRangeShorterThan("30m".into())], &[9]));
        // Visibility `hide`, and `or`.
        assert!(!group_shows(&group(vec![variable("env", false, false, "prod")], true, false), &[9], &ctx));
        let either = group(
            vec![variable("env", false, false, "dev"), Rule::TimeRangeShorterThan("1d".into())],
            false,
            true,
        );
        assert!(group_shows(&either, &[9], &ctx));
        let both = RuleGroup { all: true, ..either };
        assert!(!group_shows(&both, &[9], &ctx));
        let sections = Sections {
            conditions: vec![Conditional {
                json_path: "$".into(),
                panel_ids: vec![5, 6],
                rules: group(vec![variable("env", false, false, "dev")], true, true),
            }],
            ..Sections::default()
        };
        assert_eq!(visibility(&sections, None, &ctx).hidden, HashSet::from([5, 6]));
    }

    #[test]
    fn an_auto_grid_takes_the_columns_that_fit_and_closes_up() {
        let sections = Sections {
            auto_grids: vec![AutoGrid {
                top: 0,
                max_columns: 3,
                min_column_width_px: 448.0,
                row_height: 9,
                panel_ids: vec![1, 2, 3, 4],
            }],
            ..Sections::default()
        };
        let at = |x, y, w, h| GridPos { x, y, w, h };
        // As the classic form placed them: 3 columns, 2 lines; a panel below at y 18.
        let classic = vec![
            (1, at(0, 0, 8, 9)),
            (2, at(8, 0, 8, 9)),
            (3, at(16, 0, 8, 9)),
            (4, at(0, 9, 8, 9)),
            (9, at(0, 18, 24, 4)),
        ];
        let mut wide = classic.clone();
        place_auto_grids(&sections, &mut wide, 1600.0);
        assert_eq!(wide, classic, "three columns fit");
        let mut medium = classic.clone();
        place_auto_grids(&sections, &mut medium, 1000.0);
        assert_eq!(medium[2].1, at(0, 9, 12, 9), "two columns of 12");
        assert_eq!(medium[4].1.y, 18, "still two lines");
        let mut narrow = classic.clone();
        place_auto_grids(&sections, &mut narrow, 400.0);
        assert_eq!(narrow[3].1, at(0, 27, 24, 9));
        assert_eq!(narrow[4].1.y, 36, "the panel below moves down by the two lines gained");
        // Panel 2 hidden: the others close up into one line; the panel below moves up.
        let mut fewer: Vec<(i64, GridPos)> = classic.iter().copied().filter(|(id, _)| *id != 2).collect();
        place_auto_grids(&sections, &mut fewer, 1600.0);
        assert_eq!(fewer[1].1, at(8, 0, 8, 9));
        assert_eq!(fewer[3].1.y, 9);
    }
}
