//! Colour arithmetic Grafana's displays rely on: continuous ("by value") colour schemes
//! (grafana-display.md §5.3) and the HSL shifts of the time series' hue gradient. Pure.

use super::Rgb;
use super::named_colors::{Theme, color_by_name};

/// The stops of a continuous scheme by its Grafana id (`continuous-GrYlRd`…) on `theme`. The
/// named-colour schemes are Grafana's own stops; the perceptual ones (viridis, magma, plasma,
/// inferno, cividis) are their d3 ramps sampled at nine points, which is how Grafana lists them.
pub fn scheme_stops(id: &str, theme: Theme) -> Option<Vec<Rgb>> {
    let named =
        |names: &[&str]| names.iter().filter_map(|n| Rgb::from_css(&color_by_name(n, theme))).collect();
    let hex = |values: &[u32]| values.iter().map(|v| Rgb::from_hex(*v)).collect();
    Some(match id.strip_prefix("continuous-")? {
        "GrYlRd" => named(&["green", "yellow", "red"]),
        "RdYlGr" => named(&["red", "yellow", "green"]),
        "BlYlRd" => named(&["dark-blue", "super-light-yellow", "dark-red"]),
        "YlRd" => named(&["super-light-yellow", "dark-red"]),
        "BlPu" => named(&["blue", "purple"]),
        "YlBl" => named(&["super-light-yellow", "dark-blue"]),
        "blues" => named(&["panel-bg", "dark-blue"]),
        "reds" => named(&["panel-bg", "dark-red"]),
        "greens" => named(&["panel-bg", "dark-green"]),
        "purples" => named(&["panel-bg", "dark-purple"]),
        "viridis" => {
            hex(&[0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaddc30, 0xfde725])
        }
        "magma" => {
            hex(&[0x000004, 0x180f3d, 0x440f76, 0x721f81, 0x9e2f7f, 0xcd4071, 0xf1605d, 0xfd9668, 0xfcfdbf])
        }
        "plasma" => {
            hex(&[0x0d0887, 0x4b03a1, 0x7d03a8, 0xa82296, 0xcb4679, 0xe56b5d, 0xf89441, 0xfdc328, 0xf0f921])
        }
        "inferno" => {
            hex(&[0x000004, 0x1b0c41, 0x4a0c6b, 0x781c6d, 0xa52c60, 0xcf4446, 0xed6925, 0xfb9b06, 0xfcffa4])
        }
        "cividis" => {
            hex(&[0x00224e, 0x123570, 0x3b496c, 0x575d6d, 0x707173, 0x8a8678, 0xa59c74, 0xc3b369, 0xfee838])
        }
        _ => return None,
    })
}

/// The colour of a continuous scheme at `t` (0–1, clamped): d3's `interpolateRgbBasis`, which
/// Grafana uses — a uniform cubic B-spline per channel, so it does not pass through middle stops.
pub fn continuous_color(id: &str, t: f64, theme: Theme) -> Option<Rgb> {
    Some(interpolate_rgb_basis(&scheme_stops(id, theme)?, t))
}

/// d3's `interpolateRgbBasis` over `stops` at `t`.
pub fn interpolate_rgb_basis(stops: &[Rgb], t: f64) -> Rgb {
    let channel = |pick: fn(&Rgb) -> u8| {
        let values: Vec<f64> = stops.iter().map(|c| f64::from(pick(c))).collect();
        basis(&values, t).round().clamp(0.0, 255.0) as u8
    };
    match stops.len() {
        0 => Rgb(128, 128, 128),
        1 => stops[0],
        _ => Rgb(channel(|c| c.0), channel(|c| c.1), channel(|c| c.2)),
    }
}

/// d3-interpolate's `basis(values)(t)`: the segment's four neighbours (the ends repeated as
/// reflections), weighted by the cubic B-spline basis.
fn basis(values: &[f64], t: f64) -> f64 {
    let n = values.len() - 1;
    let t = t.clamp(0.0, 1.0);
    let i = if t >= 1.0 { n - 1 } else { (t * n as f64).floor() as usize };
    let v1 = values[i];
    let v2 = values[i + 1];
    let v0 = if i > 0 { values[i - 1] } else { 2.0 * v1 - v2 };
    let v3 = if i < n - 1 { values[i + 2] } else { 2.0 * v2 - v1 };
    let t1 = (t - i as f64 / n as f64) * n as f64;
    let (t2, t3) = (t1 * t1, t1 * t1 * t1);
    ((1.0 - 3.0 * t1 + 3.0 * t2 - t3) * v0
        + (4.0 - 6.0 * t2 + 3.0 * t3) * v1
        + (1.0 + 3.0 * t1 + 3.0 * t2 - 3.0 * t3) * v2
        + t3 * v3)
        / 6.0
}

/// Linear interpolation between evenly spaced stops: a canvas gradient's colour at `t`, which is
/// how Grafana's time series draws a scheme across its value axis.
pub fn interpolate_linear(stops: &[Rgb], t: f64) -> Rgb {
    match stops.len() {
        0 => return Rgb(128, 128, 128),
        1 => return stops[0],
        _ => {}
    }
    let position = t.clamp(0.0, 1.0) * (stops.len() - 1) as f64;
    let i = (position.floor() as usize).min(stops.len() - 2);
    let share = position - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * share).round() as u8;
    let (a, b) = (stops[i], stops[i + 1]);
    Rgb(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Hue (degrees), saturation and lightness (0–1), as tinycolor computes them.
fn to_hsl(color: Rgb) -> (f64, f64, f64) {
    let (r, g, b) = (f64::from(color.0) / 255.0, f64::from(color.1) / 255.0, f64::from(color.2) / 255.0);
    let (max, min) = (r.max(g).max(b), r.min(g).min(b));
    let l = (max + min) / 2.0;
    if max == min {
        return (0.0, 0.0, l);
    }
    let d = max - min;
    let s = if l > 0.5 { d / (2.0 - max - min) } else { d / (max + min) };
    let h = if max == r {
        (g - b) / d + if g < b { 6.0 } else { 0.0 }
    } else if max == g {
        (b - r) / d + 2.0
    } else {
        (r - g) / d + 4.0
    };
    (h * 60.0, s, l)
}

fn from_hsl((h, s, l): (f64, f64, f64)) -> Rgb {
    let hue = |p: f64, q: f64, t: f64| {
        let t = t.rem_euclid(1.0);
        if t < 1.0 / 6.0 {
            p + (q - p) * 6.0 * t
        } else if t < 0.5 {
            q
        } else if t < 2.0 / 3.0 {
            p + (q - p) * (2.0 / 3.0 - t) * 6.0
        } else {
            p
        }
    };
    let byte = |v: f64| (v * 255.0).round().clamp(0.0, 255.0) as u8;
    if s == 0.0 {
        return Rgb(byte(l), byte(l), byte(l));
    }
    let q = if l < 0.5 { l * (1.0 + s) } else { l + s - l * s };
    let p = 2.0 * l - q;
    let h = h / 360.0;
    Rgb(byte(hue(p, q, h + 1.0 / 3.0)), byte(hue(p, q, h)), byte(hue(p, q, h - 1.0 / 3.0)))
}

/// tinycolor's `spin(degrees)` then `lighten(amount)` (a negative amount darkens), amount in
/// percentage points of lightness.
pub fn spin_and_lighten(color: Rgb, degrees: f64, amount: f64) -> Rgb {
    let (h, s, l) = to_hsl(color);
    from_hsl(((h + degrees).rem_euclid(360.0), s, (l + amount / 100.0).clamp(0.0, 1.0)))
}

/// The top and bottom colours of Grafana's hue gradient fill (`getHueGradientFn`): the series
/// colour turned 15° one way and lightened at the top, 15° the other way at the bottom (darkened
/// too on the dark theme).
pub fn hue_gradient_ends(color: Rgb, light_theme: bool) -> (Rgb, Rgb) {
    let top = spin_and_lighten(color, 15.0, 10.0);
    let bottom = spin_and_lighten(color, -15.0, if light_theme { 0.0 } else { -10.0 });
    (top, bottom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grylrd_runs_green_to_red_through_a_smoothed_yellow() {
        assert_eq!(continuous_color("continuous-GrYlRd", 0.0, Theme::Dark), Some(Rgb::from_hex(0x73BF69)));
        assert_eq!(continuous_color("continuous-GrYlRd", 1.0, Theme::Dark), Some(Rgb::from_hex(0xF2495C)));
        // At 0.5 the basis spline gives (s0 + 4·s1 + s2) / 6 per channel, not the yellow stop.
        let (g, y, r) = (Rgb::from_hex(0x73BF69), Rgb::from_hex(0xFADE2A), Rgb::from_hex(0xF2495C));
        let expected =
            |a: u8, b: u8, c: u8| ((f64::from(a) + 4.0 * f64::from(b) + f64::from(c)) / 6.0).round() as u8;
        assert_eq!(
            continuous_color("continuous-GrYlRd", 0.5, Theme::Dark),
            Some(Rgb(expected(g.0, y.0, r.0), expected(g.1, y.1, r.1), expected(g.2, y.2, r.2)))
        );
        assert_eq!(
            continuous_color("continuous-GrYlRd", 7.0, Theme::Dark),
            continuous_color("continuous-GrYlRd", 1.0, Theme::Dark)
        );
        assert_eq!(continuous_color("continuous-unknown", 0.5, Theme::Dark), None);
        assert_eq!(continuous_color("palette-classic", 0.5, Theme::Dark), None);
        assert_eq!(continuous_color("continuous-blues", 0.0, Theme::Dark), Some(Rgb::from_hex(0x181b1f)));
    }

    #[test]
    fn linear_interpolation_hits_each_stop() {
        let stops = [Rgb(0, 0, 0), Rgb(100, 200, 50), Rgb(200, 0, 250)];
        assert_eq!(interpolate_linear(&stops, 0.5), stops[1]);
        assert_eq!(interpolate_linear(&stops, 0.25), Rgb(50, 100, 25));
        assert_eq!(interpolate_linear(&stops, 1.0), stops[2]);
    }

    #[test]
    fn hsl_round_trips_and_spins_as_tinycolor() {
        for color in [Rgb::from_hex(0x73BF69), Rgb::from_hex(0xF2495C), Rgb(10, 10, 10), Rgb(255, 255, 255)] {
            assert_eq!(spin_and_lighten(color, 0.0, 0.0), color);
        }
        // Pure red turned 120° is pure green; lightened 10 points, #ff3333 (tinycolor's output).
        assert_eq!(spin_and_lighten(Rgb(255, 0, 0), 120.0, 0.0), Rgb(0, 255, 0));
        assert_eq!(spin_and_lighten(Rgb(255, 0, 0), 0.0, 10.0), Rgb(255, 51, 51));
        let (top, bottom) = hue_gradient_ends(Rgb(255, 0, 0), false);
        assert_eq!(top, Rgb(255, 102, 51), "hue 15°, lightness 60 %");
        assert_eq!(bottom, Rgb(204, 0, 51), "hue 345°, lightness 40 %");
    }
}
