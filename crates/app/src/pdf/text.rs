//! Setting text: which font draws each character, how wide it is, where lines break, and the
//! operators that show it. ASCII is always the base-14 Helvetica (/F1); everything else is /F2,
//! either the reader's predefined STSong-Light (certificates issued before the font was
//! embedded) or the glyphs of an embedded CJK font ([`super::font`]).

use super::font::Embedding;
use super::num;

/// The fonts one document is set in.
pub(crate) struct Fonts<'f> {
    embedded: Option<Embedding<'f>>,
}

impl<'f> Fonts<'f> {
    /// Helvetica and the reader's STSong-Light: nothing embedded.
    pub(crate) const PREDEFINED: Fonts<'static> = Fonts { embedded: None };

    pub(crate) fn embedding(embedding: Embedding<'f>) -> Fonts<'f> {
        Fonts {
            embedded: Some(embedding),
        }
    }

    pub(crate) fn embedded(&self) -> Option<&Embedding<'f>> {
        self.embedded.as_ref()
    }

    /// Advance width of one character in 1/1000 em: the Helvetica table for ASCII (control
    /// characters are drawn as spaces), the embedded font's advance, or a full em for STSong.
    fn char_width(&self, c: char) -> u32 {
        if c.is_ascii() {
            let index = usize::from(u8::try_from(c).unwrap_or(b' ')).saturating_sub(32);
            HELVETICA_WIDTHS.get(index).map_or(278, |w| u32::from(*w))
        } else if let Some(font) = &self.embedded {
            font.width(c)
        } else {
            1000
        }
    }

    pub(crate) fn units_width(&self, text: &str) -> u32 {
        text.chars()
            .fold(0u32, |sum, c| sum.saturating_add(self.char_width(c)))
    }

    pub(crate) fn text_width(&self, text: &str, size: f64) -> f64 {
        f64::from(self.units_width(text)) * size / 1000.0
    }

    /// Truncates text to fit `max` points, marking the cut with "...".
    pub(crate) fn fit(&self, text: &str, size: f64, max: f64) -> String {
        if self.text_width(text, size) <= max {
            return text.to_owned();
        }
        let budget = max - self.text_width("...", size);
        let mut out = String::new();
        let mut units = 0u32;
        for c in text.chars() {
            let next = units.saturating_add(self.char_width(c));
            if f64::from(next) * size / 1000.0 > budget {
                break;
            }
            units = next;
            out.push(c);
        }
        out.push_str("...");
        out
    }

    /// Greedy line wrapping to `max` points. Lines break after a space or next to a CJK
    /// character where possible, and mid-word only when a word alone is too wide.
    pub(crate) fn wrap(&self, text: &str, size: f64, max: f64) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for c in text.chars() {
            if c == '\n' || c == '\r' {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            if c == ' ' && line.is_empty() && !lines.is_empty() {
                continue;
            }
            // Trailing spaces may overhang: they are trimmed and draw nothing.
            while !line.is_empty()
                && c != ' '
                && f64::from(self.units_width(&line).saturating_add(self.char_width(c))) * size
                    / 1000.0
                    > max
            {
                match break_at(&line, c) {
                    Some(at) if at > 0 && at < line.len() => {
                        let rest = line.split_off(at);
                        lines.push(line.trim_end().to_owned());
                        line = rest.trim_start().to_owned();
                    }
                    _ => lines.push(std::mem::take(&mut line).trim_end().to_owned()),
                }
            }
            line.push(c);
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line.trim_end().to_owned());
        }
        lines
    }

    /// Writes `text` starting at (x, y), one text object per run: ASCII in Helvetica (/F1) as
    /// a literal string, everything else in /F2 as hex (see [`Fonts::operand`]). Returns the x
    /// where the text ends.
    pub(crate) fn show(&self, page: &mut String, x: f64, y: f64, size: f64, text: &str) -> f64 {
        let mut x = x;
        for (cjk, run) in runs(text) {
            let position = format!("{} {} Td", num(x), num(y));
            page.push_str(&self.text_object(cjk, run, size, &position));
            x += self.text_width(run, size);
        }
        x
    }

    /// Writes `text` with the text matrix `matrix` (a b c d e f): turned or scaled text, such
    /// as the characters along a seal's rim.
    pub(crate) fn show_with_matrix(
        &self,
        page: &mut String,
        matrix: [f64; 6],
        size: f64,
        text: &str,
    ) {
        let place: Vec<String> = matrix.iter().map(|v| num(*v)).collect();
        let mut x = 0.0;
        for (cjk, run) in runs(text) {
            // Later runs start where the earlier ones end, along the matrix's own x axis.
            let position = format!("{} Tm {} 0 Td", place.join(" "), num(x));
            page.push_str(&self.text_object(cjk, run, size, &position));
            x += self.text_width(run, size);
        }
    }

    fn text_object(&self, cjk: bool, run: &str, size: f64, position: &str) -> String {
        let (font, operand) = if cjk {
            ("/F2", self.operand(run))
        } else {
            ("/F1", format!("({})", escape_literal(run)))
        };
        format!("BT {font} {} Tf {position} {operand} Tj ET\n", num(size))
    }

    /// A non-ASCII run as a hex string: UTF-16BE for STSong-Light (what the UniGB-UCS2-H
    /// CMap expects), or two-byte glyph ids of the subset for an embedded font (Identity-H).
    fn operand(&self, run: &str) -> String {
        let hex: String = match &self.embedded {
            Some(font) => run
                .chars()
                .map(|c| format!("{:04X}", font.cid(c)))
                .collect(),
            None => run
                .encode_utf16()
                .map(|unit| format!("{unit:04X}"))
                .collect(),
        };
        format!("<{hex}>")
    }
}

/// Splits text into maximal runs of ASCII (false) and non-ASCII (true) characters.
pub(crate) fn runs(text: &str) -> Vec<(bool, &str)> {
    let mut result = Vec::new();
    let mut start = 0;
    let mut current: Option<bool> = None;
    for (index, c) in text.char_indices() {
        let cjk = !c.is_ascii();
        match current {
            Some(kind) if kind != cjk => {
                result.push((kind, &text[start..index]));
                start = index;
            }
            _ => {}
        }
        current = Some(cjk);
    }
    if let Some(kind) = current {
        result.push((kind, &text[start..]));
    }
    result
}

/// Escapes a PDF literal string. Control characters become spaces because Helvetica has no
/// glyph for them and a raw CR/LF inside a string would be normalised by readers.
pub(crate) fn escape_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_ascii_graphic() || c == ' ' => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

/// Helvetica advance widths (1/1000 em) for ASCII 32..=126 under WinAnsiEncoding, from
/// the font's AFM, so mixed lines and right-aligned amounts land where intended.
const HELVETICA_WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // space../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0..?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P.._
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // `..o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p..~
];

/// The last byte offset in `line` where it may be broken before `next` is appended: after
/// a space or a CJK character, or at the end when `next` is CJK. None means mid-word.
fn break_at(line: &str, next: char) -> Option<usize> {
    if !next.is_ascii() {
        return Some(line.len());
    }
    line.char_indices()
        .rev()
        .find(|(_, c)| *c == ' ' || !c.is_ascii())
        .map(|(index, c)| index + c.len_utf8())
}
