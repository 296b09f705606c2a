//! The certificate's two marks: the QR code of its public verification page, drawn as
//! filled rectangles (no image), and the issuing bureau's seal block, a red ring with the
//! bureau's name along its rim, a star and the seal's purpose.

use qrcode::{Color, EcLevel, QrCode};

use super::num;
use super::text::Fonts;

/// Modules of white space around a QR code, as the standard asks.
const QUIET_ZONE: usize = 4;

/// Draws `payload` as a QR code `side` points square with its lower-left corner at (x, y).
/// Dark modules that touch along a row become one rectangle, which keeps the stream short.
pub(crate) fn qr(
    page: &mut String,
    payload: &str,
    x: f64,
    y: f64,
    side: f64,
) -> Result<(), String> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|e| format!("QR code: {e}"))?;
    let width = code.width();
    let colors = code.to_colors();
    let modules = f64::from(u32::try_from(width + 2 * QUIET_ZONE).unwrap_or(u32::MAX));
    let unit = side / modules;
    page.push_str(&format!(
        "1 g {} {} {} {} re f 0 g\n",
        num(x),
        num(y),
        num(side),
        num(side)
    ));
    for (row, line) in colors.chunks(width).enumerate() {
        let mut column = 0;
        while column < width {
            if line[column] != Color::Dark {
                column += 1;
                continue;
            }
            let start = column;
            while column < width && line[column] == Color::Dark {
                column += 1;
            }
            let left = x + unit * position(QUIET_ZONE + start);
            // Rows run top to bottom; PDF's y runs bottom to top.
            let top = y + side - unit * position(QUIET_ZONE + row);
            page.push_str(&format!(
                "{} {} {} {} re\n",
                num(left),
                num(top - unit),
                num(unit * position(column - start)),
                num(unit)
            ));
        }
    }
    page.push_str("f\n");
    Ok(())
}

fn position(modules: usize) -> f64 {
    f64::from(u32::try_from(modules).unwrap_or(u32::MAX))
}

/// Draws the seal centred on (cx, cy) with radius `r`: `name` along the upper rim, a star in
/// the middle, `purpose` below it. Everything is red, as a seal's ink is.
pub(crate) fn seal(
    page: &mut String,
    fonts: &Fonts<'_>,
    (cx, cy, r): (f64, f64, f64),
    name: &str,
    purpose: &str,
) {
    page.push_str("q 0.8 0.05 0.05 RG 0.8 0.05 0.05 rg\n");
    page.push_str(&format!("{} w ", num(r / 18.0)));
    circle(page, cx, cy, r);
    page.push_str("S\n");
    star(page, cx, cy, r * 0.28);
    // The name runs clockwise over the top, from lower left to lower right, over at most
    // 250 degrees of the rim; a long name gets smaller characters.
    let chars: Vec<char> = name.chars().filter(|c| !c.is_whitespace()).collect();
    let count = position(chars.len().max(1));
    let reach = r * 0.76;
    let sweep = 250f64.to_radians();
    let pitch = reach * sweep / count;
    let size = (r * 0.25).min(pitch * 0.92);
    let step = if count > 1.0 {
        pitch.min(size * 1.12) / reach
    } else {
        0.0
    };
    let start = std::f64::consts::FRAC_PI_2 + step * (count - 1.0) / 2.0;
    for (index, c) in chars.iter().enumerate() {
        let angle = start - step * position(index);
        // The character stands on the rim, its foot towards the centre.
        let turn = angle - std::f64::consts::FRAC_PI_2;
        let (sin, cos) = turn.sin_cos();
        let half = fonts.text_width(&c.to_string(), size) / 2.0;
        let foot_x = cx + (reach - size * 0.8) * angle.cos() - half * cos;
        let foot_y = cy + (reach - size * 0.8) * angle.sin() - half * sin;
        let text = c.to_string();
        fonts.show_with_matrix(page, [cos, sin, -sin, cos, foot_x, foot_y], size, &text);
    }
    let purpose_size = r * 0.2;
    let width = fonts.text_width(purpose, purpose_size);
    fonts.show(page, cx - width / 2.0, cy - r * 0.62, purpose_size, purpose);
    page.push_str("Q\n");
}

/// A circle as four Bézier curves (the usual 0.5523 control-point factor).
fn circle(page: &mut String, cx: f64, cy: f64, r: f64) {
    let k = r * 0.552_284_75;
    let p = |x: f64, y: f64| format!("{} {}", num(x), num(y));
    page.push_str(&format!(
        "{} m {} {} {} c {} {} {} c {} {} {} c {} {} {} c ",
        p(cx + r, cy),
        p(cx + r, cy + k),
        p(cx + k, cy + r),
        p(cx, cy + r),
        p(cx - k, cy + r),
        p(cx - r, cy + k),
        p(cx - r, cy),
        p(cx - r, cy - k),
        p(cx - k, cy - r),
        p(cx, cy - r),
        p(cx + k, cy - r),
        p(cx + r, cy - k),
        p(cx + r, cy),
    ));
}

/// A filled five-pointed star of outer radius `r`, one point up.
fn star(page: &mut String, cx: f64, cy: f64, r: f64) {
    let inner = r * 0.382;
    for point in 0..10u32 {
        let radius = if point % 2 == 0 { r } else { inner };
        let angle = std::f64::consts::FRAC_PI_2 + f64::from(point) * std::f64::consts::PI / 5.0;
        let op = if point == 0 { "m" } else { "l" };
        page.push_str(&format!(
            "{} {} {op} ",
            num(cx + radius * angle.cos()),
            num(cy + radius * angle.sin())
        ));
    }
    page.push_str("h f\n");
}
