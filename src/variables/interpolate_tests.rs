use super::*;

fn servers(values: &[&str]) -> SelectionValue {
    SelectionValue {
        values: values.iter().map(|v| v.to_string()).collect(),
        texts: values.iter().map(|v| v.to_string()).collect(),
        multi: true,
        name: "servers".into(),
        ..SelectionValue::default()
    }
}

fn with(selection: SelectionValue) -> impl Fn(&str) -> Option<Replacement> {
    move |name: &str| match name {
        "servers" => Some(Replacement::Selection(selection.clone())),
        "__interval" => Some(Replacement::Plain("1m".into())),
        _ => None,
    }
}

#[test]
fn grafana_documented_formats() {
    // Examples from Grafana's "Variable syntax" documentation, servers = test1., test2.
    let lookup = with(servers(&["test1.", "test2"]));
    for (text, expected) in [
        ("${servers:csv}", "test1.,test2"),
        ("${servers:doublequote}", "\"test1.\",\"test2\""),
        ("${servers:glob}", "{test1.,test2}"),
        ("${servers:json}", "[\"test1.\",\"test2\"]"),
        ("${servers:lucene}", "(\"test1.\" OR \"test2\")"),
        ("${servers:pipe}", "test1.|test2"),
        ("${servers:raw}", "test1.,test2"),
        ("${servers:regex}", "(test1\\.|test2)"),
        ("${servers:singlequote}", "'test1.','test2'"),
        ("${servers:text}", "test1. + test2"),
        ("${servers:queryparam}", "var-servers=test1.&var-servers=test2"),
        ("${servers:distributed}", "test1.,servers=test2"),
    ] {
        assert_eq!(interpolate(text, &lookup), expected, "{text}");
    }
    let lookup = with(servers(&["foo()bar BAZ", "test2"]));
    assert_eq!(interpolate("${servers:percentencode}", &lookup), "%7Bfoo%28%29bar%20BAZ%2Ctest2%7D");
    let lookup = with(servers(&["test'1", "test2"]));
    assert_eq!(interpolate("${servers:sqlstring}", &lookup), "'test''1','test2'");
}

#[test]
fn prometheus_default_formatting() {
    let lookup = with(servers(&["a.b", "c"]));
    assert_eq!(interpolate("up{instance=~\"$servers\"}", &lookup), "up{instance=~\"(a\\\\.b|c)\"}");
    let mut single = servers(&["it's"]);
    single.multi = false;
    assert_eq!(interpolate("x{a=\"$servers\"}", &with(single)), "x{a=\"it\\\\'s\"}");
    // One value of a multi variable is not wrapped in a group.
    assert_eq!(interpolate("[[servers]]", &with(servers(&["a+"]))), "a\\\\+");
}

#[test]
fn all_with_a_custom_all_value_is_verbatim() {
    let mut all = servers(&["a", "b"]);
    all.is_all = true;
    all.include_all = true;
    all.all_value = Some(".*".into());
    assert_eq!(interpolate("x{s=~\"$servers\"}", &with(all.clone())), "x{s=~\".*\"}");
    assert_eq!(interpolate("${servers:text}", &with(all.clone())), "All");
    all.all_value = None;
    assert_eq!(interpolate("x{s=~\"$servers\"}", &with(all)), "x{s=~\"(a|b)\"}");
}

#[test]
fn one_pass_and_unknown_names() {
    let lookup = with(servers(&["x"]));
    assert_eq!(
        interpolate("rate(a[$__interval]) $nope ${nope:raw} [[nope]] $", &lookup),
        "rate(a[1m]) $nope ${nope:raw} [[nope]] $"
    );
    assert_eq!(interpolate("$__interval_ms", &lookup), "$__interval_ms", "a longer name is another name");
    assert_eq!(referenced_names("a $x ${y:raw} [[z]] $x $__interval"), vec!["x", "y", "z", "__interval"]);
}

#[test]
fn time_builtins_and_their_date_formats() {
    let lookup = |name: &str| (name == "__from").then_some(Replacement::Time(1_767_225_600_500));
    assert_eq!(interpolate("$__from", &lookup), "1767225600500");
    assert_eq!(interpolate("${__from:date:seconds}", &lookup), "1767225600");
    assert_eq!(interpolate("${__from:date:iso}", &lookup), "2026-01-01T00:00:00.500Z");
    assert_eq!(interpolate("${__from:date}", &lookup), "2026-01-01T00:00:00.500Z");
}

#[test]
fn user_and_org_built_ins_are_empty_safe() {
    let none = |_: &str| None;
    assert_eq!(
        interpolate("up{login=\"${__user.login}\", org=\"${__org.name}\", id=\"${__org.id}\"}", &none),
        "up{login=\"\", org=\"Main Org.\", id=\"1\"}"
    );
    // Other object fields stay as written; a dashboard's own lookup is asked first.
    assert_eq!(interpolate("${__data.fields.x} ${a.} ${__user.email}", &none), "${__data.fields.x} ${a.} ");
    let mine = |name: &str| (name == "__user.login").then(|| Replacement::Plain("me".into()));
    assert_eq!(interpolate("${__user.login}", &mine), "me");
}
