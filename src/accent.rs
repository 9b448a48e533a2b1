//! The site's accent colour (`[style] accent` in `site.toml`): parsed, checked for contrast
//! against the default theme's backgrounds, and given a lighter twin for dark mode, so that
//! one line recolours links and highlights in both modes and they stay readable.

/// The default theme's light backgrounds (`--bg`, `--surface`) and dark ones.
const LIGHT_BACKGROUNDS: [Rgb; 2] = [Rgb(0xfb, 0xfa, 0xf8), Rgb(0xff, 0xff, 0xff)];
const DARK_BACKGROUNDS: [Rgb; 2] = [Rgb(0x12, 0x14, 0x18), Rgb(0x1a, 0x1d, 0x22)];

/// The contrast WCAG asks of body text (level AA).
pub const MIN_CONTRAST: f64 = 4.5;

/// An accent colour for both modes, as `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Accent {
    /// On light backgrounds: the colour as written.
    pub light: String,
    /// On dark backgrounds: the colour mixed with white until it reads on them.
    pub dark: String,
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Parses `#rgb` or `#rrggbb`.
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#')?;
        let digit = |i: usize, len: usize| u8::from_str_radix(hex.get(i..i + len)?, 16).ok();
        match hex.len() {
            3 => Some(Rgb(digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17)),
            6 => Some(Rgb(digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
            _ => None,
        }
    }

    fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Relative luminance (WCAG 2).
    fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// `self` moved `percent` of the way to white.
    fn towards_white(self, percent: u16) -> Rgb {
        let mix = |c: u8| {
            let c = u16::from(c);
            u8::try_from(c + (255 - c) * percent / 100).unwrap_or(255)
        };
        Rgb(mix(self.0), mix(self.1), mix(self.2))
    }
}

/// The WCAG contrast ratio of two colours (1 to 21).
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn worst(color: Rgb, backgrounds: &[Rgb]) -> f64 {
    backgrounds
        .iter()
        .map(|b| contrast(color, *b))
        .fold(f64::INFINITY, f64::min)
}

/// Resolves `[style] accent`; the error says what to write instead.
pub fn resolve(text: &str) -> Result<Accent, String> {
    let color = Rgb::parse(text.trim()).ok_or_else(|| {
        format!(
            "accent `{}` must be a colour like #0b6e4f (# and 3 or 6 hex digits)",
            text.escape_debug()
        )
    })?;
    let ratio = worst(color, &LIGHT_BACKGROUNDS);
    if ratio < MIN_CONTRAST {
        return Err(format!(
            "accent `{text}` is too light to read on the theme's light background (contrast \
             {ratio:.1}:1, links need {MIN_CONTRAST}:1): pick a darker colour"
        ));
    }
    let dark = (0..=100)
        .step_by(5)
        .map(|p| color.towards_white(p))
        .find(|c| worst(*c, &DARK_BACKGROUNDS) >= MIN_CONTRAST)
        .unwrap_or(Rgb(0xff, 0xff, 0xff));
    Ok(Accent {
        light: color.hex(),
        dark: dark.hex(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_accent_reads_on_both_backgrounds() {
        for text in ["#0b6e4f", "#000", "#0B57B0", "#7c3aed", "#be185d"] {
            let accent = resolve(text).unwrap();
            let light = Rgb::parse(&accent.light).unwrap();
            let dark = Rgb::parse(&accent.dark).unwrap();
            assert!(worst(light, &LIGHT_BACKGROUNDS) >= MIN_CONTRAST, "{text}");
            assert!(worst(dark, &DARK_BACKGROUNDS) >= MIN_CONTRAST, "{text}");
            assert_ne!(
                accent.light, accent.dark,
                "{text} needs lightening in dark mode"
            );
        }
        assert_eq!(resolve("#0b6e4f").unwrap().light, "#0b6e4f");
    }

    #[test]
    fn a_pale_accent_or_a_non_colour_is_refused() {
        let e = resolve("#ffcc00").unwrap_err();
        assert!(
            e.contains("too light to read") && e.contains("1.4:1"),
            "{e}"
        );
        for bad in ["green", "#12345", "0b6e4f", "#ggg"] {
            assert!(
                resolve(bad).unwrap_err().contains("must be a colour"),
                "{bad}"
            );
        }
    }

    #[test]
    fn contrast_matches_wcag() {
        let black = Rgb(0, 0, 0);
        let white = Rgb(255, 255, 255);
        assert!((contrast(black, white) - 21.0).abs() < 1e-9);
        assert!((contrast(white, white) - 1.0).abs() < 1e-9);
    }
}
