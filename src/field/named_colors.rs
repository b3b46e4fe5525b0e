//! Grafana's named colours ("red", "dark-green", "super-light-blue"…) on either theme.
//! A leaf: the display processor and the colour schemes both resolve names here.

/// Grafana's named colours (dark theme), by hue and shade.
const NAMED_COLORS: &[(&str, [&str; 5])] = &[
    ("red", ["#FFA6B0", "#FF7383", "#F2495C", "#E02F44", "#C4162A"]),
    ("orange", ["#FFCB7D", "#FFB357", "#FF9830", "#FF780A", "#FA6400"]),
    ("yellow", ["#FFF899", "#FFEE52", "#FADE2A", "#F2CC0C", "#E0B400"]),
    ("green", ["#C8F2C2", "#96D98D", "#73BF69", "#56A64B", "#37872D"]),
    ("blue", ["#C0D8FF", "#8AB8FF", "#5794F2", "#3274D9", "#1F60C4"]),
    ("purple", ["#DEB6F2", "#CA95E5", "#B877D9", "#A352CC", "#8F3BB8"]),
];

/// The same shades on Grafana's light theme.
const NAMED_COLORS_LIGHT: &[(&str, [&str; 5])] = &[
    ("red", ["#FF7383", "#F2495C", "#E02F44", "#C4162A", "#AD0317"]),
    ("orange", ["#FFB357", "#FF9830", "#FF780A", "#FA6400", "#E55400"]),
    ("yellow", ["#FFEE52", "#FADE2A", "#F2CC0C", "#E0B400", "#CC9D00"]),
    ("green", ["#96D98D", "#73BF69", "#56A64B", "#37872D", "#19730E"]),
    ("blue", ["#8AB8FF", "#5794F2", "#3274D9", "#1F60C4", "#1250B0"]),
    ("purple", ["#CA95E5", "#B877D9", "#A352CC", "#8F3BB8", "#7C2EA3"]),
];

/// Grafana's two themes. Every colour a dashboard names resolves on one, so everything that
/// resolves colours is given the theme it draws for (the app's choice, see `app::theme`; tests
/// pick theirs), like Grafana's `config.theme2` — but as a value, not a global.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Dark,
    Light,
}

impl Theme {
    pub fn is_light(self) -> bool {
        self == Theme::Light
    }
}

/// Grafana's `getColorByName` on `theme`.
pub fn color_by_name(name: &str, theme: Theme) -> String {
    let name = name.trim();
    if name.is_empty() {
        return "#808080".into();
    }
    let light = theme.is_light();
    for (hue, shades) in if light { NAMED_COLORS_LIGHT } else { NAMED_COLORS } {
        for (prefix, shade) in [("super-light-", 0), ("light-", 1), ("", 2), ("semi-dark-", 3), ("dark-", 4)]
        {
            if name.strip_prefix(prefix) == Some(hue) {
                return shades[shade].to_string();
            }
        }
    }
    match name {
        "transparent" if light => "rgba(255, 255, 255, 0)".into(),
        "panel-bg" if light => "#ffffff".into(),
        "text" if light => "rgb(36, 41, 46)".into(),
        "transparent" => "rgba(0,0,0,0)".into(),
        "panel-bg" => "#181b1f".into(),
        "text" => "rgb(204, 204, 220)".into(),
        "gray" | "grey" => "#808080".into(),
        "white" => "#ffffff".into(),
        "black" => "#000000".into(),
        other => other.to_string(),
    }
}
