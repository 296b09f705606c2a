//! Renders the contribution-record certificate (社会保险参保缴费证明) as a small PDF file in
//! Chinese and English.
//!
//! ASCII text uses the base-14 Helvetica. Everything else is set in an embedded subset of a
//! CJK font ([`CjkFont`], Debian's Noto CJK), so that every reader renders it
//! ([`render_embedded`], PDF 1.6), with the issuing bureau's seal block and a QR code of the
//! public verification page. Certificates issued before the font was embedded used the
//! reader's predefined STSong-Light and no marks ([`render`], PDF 1.4); that form is kept so
//! they still rebuild byte for byte from their sealed content. Content streams stay
//! uncompressed so tests (and auditors) can read them, and the output is deterministic for
//! the same input and font.

use crate::money::yuan;

mod font;
mod marks;
mod text;

use font::Embedding;
pub use font::{CjkFont, DEBIAN_NOTO_CJK};
use text::Fonts;

/// One month of one insurance type in the certificate's table. Amounts are in fen.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CertificateRow {
    pub month: String,
    pub insurance: String,
    pub base_fen: i64,
    pub employer_fen: i64,
    pub individual_fen: i64,
    pub status: String,
    pub employer: String,
}

/// Everything printed on a certificate; the renderer adds layout only, no wording of its own
/// beyond the bilingual table header, page numbers and block labels.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CertificateDocument {
    /// e.g. "社会保险参保缴费证明 Social Insurance Contribution Certificate".
    pub title: String,
    /// Bilingual label → value, e.g. ("姓名 Name", "李*").
    pub fields: Vec<(String, String)>,
    pub rows: Vec<CertificateRow>,
    /// Label → value, printed after the table. With no rows and no totals, no table is
    /// drawn.
    pub totals: Vec<(String, String)>,
    /// Printed large at the bottom of the last page.
    pub verification_code: String,
    /// The line telling the reader how to verify the code.
    pub verify_hint: String,
    /// Printed as is; also becomes /CreationDate when it parses as a date.
    pub issued_at: String,
    /// The issuing bureau, written around the seal; empty on certificates issued before the
    /// seal block (no seal is drawn).
    pub issuer: String,
    /// The public verification page, drawn as a QR code; empty on certificates issued before
    /// it (no code is drawn).
    pub verify_url: String,
}

/// Renders the certificate as a complete PDF file: with the glyphs it uses of `font` embedded
/// (PDF 1.6), or without a font in the reader's STSong-Light (PDF 1.4). A document with an
/// issuer or a verification page gets the seal block and the QR code; one without (issued
/// before them) is laid out as it was then, byte for byte.
pub fn render(document: &CertificateDocument, font: Option<&CjkFont>) -> Result<Vec<u8>, String> {
    let fonts = match font {
        Some(font) => Fonts::embedding(Embedding::new(font)?),
        None => Fonts::PREDEFINED,
    };
    let mut layout = Layout::new(document, &fonts);
    layout.first_page_head();
    // A document of fields alone (a training certificate) has no contribution table; a
    // contribution certificate always has its totals, so its layout does not move.
    if !(document.rows.is_empty() && document.totals.is_empty()) {
        layout.table();
    }
    layout.totals();
    if document.issuer.is_empty() && document.verify_url.is_empty() {
        layout.verification_block();
    } else {
        layout.marked_verification_block()?;
    }
    let pages = layout.finish();
    let after_pages = FIRST_PAGE_OBJECT + 2 * pages.len();
    let numbers = [
        CJK_FONT,
        CJK_CID_FONT,
        CJK_DESCRIPTOR,
        after_pages,
        after_pages + 1,
    ];
    let font_objects = match fonts.embedded() {
        Some(embedding) => embedding.objects(numbers)?.to_vec(),
        None => Vec::new(),
    };
    Ok(assemble(document, pages, &font_objects))
}

// A4 portrait in points.
const PAGE_WIDTH: f64 = 595.0;
const LEFT: f64 = 50.0;
const RIGHT: f64 = 545.0;
const TOP: f64 = 792.0;
/// Lowest baseline for body text; the page number sits below it, inside the bottom margin.
const BOTTOM: f64 = 64.0;
const FOOTER_Y: f64 = 32.0;

const TITLE_SIZE: f64 = 16.0;
const TITLE_LEADING: f64 = 22.0;
const FIELD_SIZE: f64 = 10.0;
const FIELD_LEADING: f64 = 15.0;
/// Where field values start, so values line up whatever the label length.
const VALUE_X: f64 = 230.0;
const TABLE_SIZE: f64 = 9.0;
const ROW_LEADING: f64 = 14.0;
const HEADER_HEIGHT: f64 = 18.0;
const CODE_SIZE: f64 = 18.0;
const SMALL_SIZE: f64 = 9.0;
const SMALL_LEADING: f64 = 12.0;
const FOOTER_SIZE: f64 = 8.0;
/// Space between a cell's text and its column edge.
const CELL_PAD: f64 = 2.0;
/// The marked verification block: its text ends here, the seal and the QR code follow.
const MARKED_TEXT_RIGHT: f64 = 330.0;
const SEAL_CENTRE_X: f64 = 397.0;
const SEAL_RADIUS: f64 = 44.0;
const QR_SIDE: f64 = 84.0;

/// A table column: its horizontal extent and whether its text is right-aligned (amounts).
struct Column {
    left: f64,
    right: f64,
    numeric: bool,
}

const COLUMNS: [Column; 6] = [
    Column {
        left: 50.0,
        right: 118.0,
        numeric: false,
    },
    Column {
        left: 118.0,
        right: 230.0,
        numeric: false,
    },
    Column {
        left: 230.0,
        right: 310.0,
        numeric: true,
    },
    Column {
        left: 310.0,
        right: 390.0,
        numeric: true,
    },
    Column {
        left: 390.0,
        right: 470.0,
        numeric: true,
    },
    Column {
        left: 474.0,
        right: 545.0,
        numeric: false,
    },
];

const HEADERS: [&str; 6] = [
    "月份 Month",
    "险种 Insurance",
    "基数 Base",
    "单位 Employer",
    "个人 Individual",
    "状态 Status",
];

/// Lays the document out page by page as content-stream operators. Pages are kept as
/// strings because every operator is ASCII (CJK text goes out as hex).
struct Layout<'a> {
    document: &'a CertificateDocument,
    fonts: &'a Fonts<'a>,
    finished: Vec<String>,
    current: String,
    /// Baseline of the next line on the current page.
    y: f64,
}

impl<'a> Layout<'a> {
    fn new(document: &'a CertificateDocument, fonts: &'a Fonts<'a>) -> Self {
        Self {
            document,
            fonts,
            finished: Vec::new(),
            current: String::new(),
            y: TOP,
        }
    }

    /// Title, rule and the label/value fields, on the first page only.
    fn first_page_head(&mut self) {
        self.y = TOP - TITLE_SIZE;
        for line in self
            .fonts
            .wrap(&self.document.title, TITLE_SIZE, RIGHT - LEFT)
        {
            let x = centred_x(self.fonts, &line, TITLE_SIZE);
            self.fonts
                .show(&mut self.current, x, self.y, TITLE_SIZE, &line);
            self.y -= TITLE_LEADING;
        }
        self.y += TITLE_LEADING - 10.0;
        rule(&mut self.current, self.y, 1.0);
        self.y -= 8.0 + FIELD_SIZE;
        let fields = &self.document.fields;
        for (label, value) in fields {
            self.label_value(label, value, FIELD_SIZE, FIELD_LEADING);
        }
        self.y -= 6.0;
    }

    /// One label with its value wrapped beside it, breaking the page between value lines.
    fn label_value(&mut self, label: &str, value: &str, size: f64, leading: f64) {
        let label = self.fonts.fit(label, size, VALUE_X - LEFT - 6.0);
        let lines = self.fonts.wrap(value, size, RIGHT - VALUE_X);
        self.ensure(leading);
        self.fonts
            .show(&mut self.current, LEFT, self.y, size, &label);
        for (index, line) in lines.iter().enumerate() {
            if index > 0 {
                self.ensure(leading);
            }
            self.fonts
                .show(&mut self.current, VALUE_X, self.y, size, line);
            self.y -= leading;
        }
    }

    /// Starts a new page unless `height` points of lines starting at the current baseline
    /// fit: the last of them sits one leading above `y - height`, and may sit on BOTTOM.
    fn ensure(&mut self, height: f64) -> bool {
        if self.y - height + ROW_LEADING < BOTTOM {
            self.new_page();
            true
        } else {
            false
        }
    }

    /// Continuation pages carry the title small at the top so a loose page still says
    /// what it belongs to.
    fn new_page(&mut self) {
        self.finished.push(std::mem::take(&mut self.current));
        let head = self
            .fonts
            .fit(&self.document.title, SMALL_SIZE, RIGHT - LEFT);
        self.fonts
            .show(&mut self.current, LEFT, TOP - SMALL_SIZE, SMALL_SIZE, &head);
        rule(&mut self.current, TOP - SMALL_SIZE - 5.0, 0.5);
        self.y = TOP - SMALL_SIZE - 5.0 - 8.0 - TABLE_SIZE;
    }

    fn table_header(&mut self) {
        let page = &mut self.current;
        page.push_str(&format!(
            "0.88 g {} {} {} {} re f 0 g\n",
            num(LEFT),
            num(self.y - 5.0),
            num(RIGHT - LEFT),
            num(HEADER_HEIGHT - 2.0)
        ));
        for (column, header) in COLUMNS.iter().zip(HEADERS) {
            cell(self.fonts, page, column, self.y, header);
        }
        self.y -= HEADER_HEIGHT;
    }

    /// The table, repeating its header on every page. The header has no employer-name
    /// column, so a row naming a different employer than the one before it (or the first
    /// row on a page) is preceded by a line naming the employer.
    fn table(&mut self) {
        let document = self.document;
        self.ensure(HEADER_HEIGHT + 2.0 * ROW_LEADING);
        self.table_header();
        if document.rows.is_empty() {
            self.fonts.show(
                &mut self.current,
                LEFT + CELL_PAD,
                self.y,
                TABLE_SIZE,
                "无缴费记录 No contribution records",
            );
            self.y -= ROW_LEADING;
        }
        let mut previous_employer: Option<&str> = None;
        for row in &document.rows {
            let mut named =
                !row.employer.is_empty() && previous_employer != Some(row.employer.as_str());
            let needed = if named {
                2.0 * ROW_LEADING
            } else {
                ROW_LEADING
            };
            if self.ensure(needed) {
                self.table_header();
                named = !row.employer.is_empty();
            }
            if named {
                let line = self.fonts.fit(
                    &format!("参保单位 Employer: {}", row.employer),
                    TABLE_SIZE,
                    RIGHT - LEFT - CELL_PAD,
                );
                self.fonts.show(
                    &mut self.current,
                    LEFT + CELL_PAD,
                    self.y,
                    TABLE_SIZE,
                    &line,
                );
                self.y -= ROW_LEADING;
            }
            previous_employer = Some(row.employer.as_str());
            let cells = [
                row.month.clone(),
                row.insurance.clone(),
                yuan(row.base_fen),
                yuan(row.employer_fen),
                yuan(row.individual_fen),
                row.status.clone(),
            ];
            for (column, text) in COLUMNS.iter().zip(&cells) {
                cell(self.fonts, &mut self.current, column, self.y, text);
            }
            self.current.push_str(&format!(
                "0.8 G 0.3 w {l} {y} m {r} {y} l S 0 G\n",
                l = num(LEFT),
                r = num(RIGHT),
                y = num(self.y - 4.0)
            ));
            self.y -= ROW_LEADING;
        }
    }

    fn totals(&mut self) {
        self.y -= 8.0;
        let totals = &self.document.totals;
        for (label, value) in totals {
            self.label_value(label, value, FIELD_SIZE, FIELD_LEADING);
        }
    }

    /// The verification code and how to check it, anchored to the bottom of the last page
    /// (a new page if the table or totals left no room).
    fn verification_block(&mut self) {
        self.verification_text(RIGHT - LEFT, 0.0);
    }

    /// The verification block with its marks: the text on the left, the bureau's seal and
    /// the QR code of the verification page on the right.
    fn marked_verification_block(&mut self) -> Result<(), String> {
        let height =
            self.verification_text(MARKED_TEXT_RIGHT - LEFT, QR_SIDE + SMALL_LEADING + 12.0);
        let document = self.document;
        let middle = BOTTOM + (height - 14.0) / 2.0;
        marks::seal(
            &mut self.current,
            self.fonts,
            (SEAL_CENTRE_X, middle, SEAL_RADIUS),
            &document.issuer,
            "证明专用章",
        );
        let qr_y = BOTTOM + SMALL_LEADING;
        marks::qr(
            &mut self.current,
            &document.verify_url,
            RIGHT - QR_SIDE,
            qr_y,
            QR_SIDE,
        )?;
        let label = "扫码验证 Scan to verify";
        let x = RIGHT - QR_SIDE / 2.0 - self.fonts.text_width(label, FOOTER_SIZE) / 2.0;
        self.fonts
            .show(&mut self.current, x, BOTTOM + 2.0, FOOTER_SIZE, label);
        Ok(())
    }

    /// The code, the hint and the time of issue, `width` points wide, in a block at least
    /// `least_height` high anchored to the bottom of the last page; answers its height.
    fn verification_text(&mut self, width: f64, least_height: f64) -> f64 {
        let document = self.document;
        let code = self
            .fonts
            .wrap(&document.verification_code, CODE_SIZE, width);
        let hint = self.fonts.wrap(&document.verify_hint, SMALL_SIZE, width);
        let issued = self.fonts.wrap(
            &format!("出具时间 Issued at: {}", document.issued_at),
            SMALL_SIZE,
            width,
        );
        let lines = |v: &Vec<String>| v.len().max(1);
        let height = (14.0
            + FIELD_LEADING
            + f64::from(u32::try_from(lines(&code)).unwrap_or(u32::MAX)) * (CODE_SIZE + 6.0)
            + f64::from(u32::try_from(lines(&hint) + lines(&issued)).unwrap_or(u32::MAX))
                * SMALL_LEADING)
            .max(least_height);
        if self.y - 10.0 < BOTTOM + height {
            self.new_page();
        }
        self.y = BOTTOM + height;
        rule(&mut self.current, self.y, 0.5);
        self.y -= 14.0;
        self.fonts.show(
            &mut self.current,
            LEFT,
            self.y,
            FIELD_SIZE,
            "验证码 Verification code",
        );
        self.y -= CODE_SIZE + 4.0;
        for line in &code {
            self.fonts
                .show(&mut self.current, LEFT, self.y, CODE_SIZE, line);
            self.y -= CODE_SIZE + 6.0;
        }
        self.y += CODE_SIZE + 6.0 - SMALL_LEADING - 2.0;
        for line in hint.iter().chain(&issued) {
            self.fonts
                .show(&mut self.current, LEFT, self.y, SMALL_SIZE, line);
            self.y -= SMALL_LEADING;
        }
        height
    }

    /// Closes the last page and adds the page numbers, which need the final page count.
    fn finish(mut self) -> Vec<String> {
        self.finished.push(std::mem::take(&mut self.current));
        let total = self.finished.len();
        for (index, page) in self.finished.iter_mut().enumerate() {
            let n = index + 1;
            let footer = format!("第 {n} 页 Page {n} of {total}");
            let x = centred_x(self.fonts, &footer, FOOTER_SIZE);
            self.fonts.show(page, x, FOOTER_Y, FOOTER_SIZE, &footer);
        }
        self.finished
    }
}

/// Writes one table cell, truncated to its column and right-aligned if it is an amount.
fn cell(fonts: &Fonts<'_>, page: &mut String, column: &Column, y: f64, text: &str) {
    let text = fonts.fit(
        text,
        TABLE_SIZE,
        column.right - column.left - 2.0 * CELL_PAD,
    );
    let x = if column.numeric {
        column.right - CELL_PAD - fonts.text_width(&text, TABLE_SIZE)
    } else {
        column.left + CELL_PAD
    };
    fonts.show(page, x, y, TABLE_SIZE, &text);
}

fn rule(page: &mut String, y: f64, width: f64) {
    page.push_str(&format!(
        "{w} w {l} {y} m {r} {y} l S\n",
        w = num(width),
        l = num(LEFT),
        r = num(RIGHT),
        y = num(y)
    ));
}

fn centred_x(fonts: &Fonts<'_>, text: &str, size: f64) -> f64 {
    ((PAGE_WIDTH - fonts.text_width(text, size)) / 2.0).max(LEFT)
}

/// Formats a coordinate with at most two decimals and no trailing zeros, so identical
/// input always yields identical bytes.
fn num(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" || text.is_empty() {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// A text string for the document information dictionary: UTF-16BE with a byte-order
/// mark, which PDF 1.4 accepts for any Unicode text.
fn info_text(text: &str) -> String {
    let hex: String = text
        .encode_utf16()
        .map(|unit| format!("{unit:04X}"))
        .collect();
    format!("<FEFF{hex}>")
}

/// Converts `issued_at` to a PDF date (D:YYYYMMDDHHmmSSOHH'mm'). Accepts a PDF date as
/// is, or an ISO 8601 / RFC 3339 date or date-time; anything else gives None so that no
/// malformed /CreationDate is written.
fn pdf_date(text: &str) -> Option<String> {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix("D:") {
        return valid_pdf_date(rest).then(|| format!("D:{rest}"));
    }
    let bytes = text.as_bytes();
    let digits = |from: usize, count: usize| -> Option<&str> {
        let part = text.get(from..from + count)?;
        part.bytes().all(|b| b.is_ascii_digit()).then_some(part)
    };
    let year = digits(0, 4)?;
    if bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    let month = digits(5, 2)?;
    let day = digits(8, 2)?;
    let mut out = format!("D:{year}{month}{day}");
    let mut at = 10;
    if matches!(bytes.get(at), Some(b'T' | b't' | b' ')) {
        let hour = digits(at + 1, 2)?;
        if bytes.get(at + 3) != Some(&b':') {
            return None;
        }
        let minute = digits(at + 4, 2)?;
        out.push_str(hour);
        out.push_str(minute);
        at += 6;
        if bytes.get(at) == Some(&b':') {
            out.push_str(digits(at + 1, 2)?);
            at += 3;
            if bytes.get(at) == Some(&b'.') {
                at += 1;
                let fraction = bytes[at..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                if fraction == 0 {
                    return None;
                }
                at += fraction;
            }
        }
        match bytes.get(at) {
            None => {}
            Some(b'Z' | b'z') if at + 1 == bytes.len() => out.push('Z'),
            Some(sign @ (b'+' | b'-')) => {
                let hours = digits(at + 1, 2)?;
                if bytes.get(at + 3) != Some(&b':') || at + 6 != bytes.len() {
                    return None;
                }
                let minutes = digits(at + 4, 2)?;
                out.push(char::from(*sign));
                out.push_str(&format!("{hours}'{minutes}'"));
            }
            Some(_) => return None,
        }
    } else if at != bytes.len() {
        return None;
    }
    valid_pdf_date(&out[2..]).then_some(out)
}

/// Checks the part of a PDF date after "D:": YYYY[MM[DD[HH[mm[SS]]]]] then optionally Z,
/// or +/-HH followed by optional 'mm', with each field in range.
fn valid_pdf_date(rest: &str) -> bool {
    let digit_count = rest.bytes().take_while(u8::is_ascii_digit).count();
    if !(4..=14).contains(&digit_count) || digit_count % 2 != 0 {
        return false;
    }
    let (stamp, zone) = rest.split_at(digit_count);
    let field = |from: usize| {
        stamp
            .get(from..from + 2)
            .and_then(|s| s.parse::<u32>().ok())
    };
    let ranges = [(4, 1, 12), (6, 1, 31), (8, 0, 23), (10, 0, 59), (12, 0, 59)];
    for (from, low, high) in ranges {
        if let Some(value) = field(from)
            && !(low..=high).contains(&value)
        {
            return false;
        }
    }
    let zone = zone.as_bytes();
    match zone.first() {
        None => true,
        Some(b'Z') => zone.len() == 1 || valid_offset(&zone[1..]),
        Some(b'+' | b'-') => valid_offset(&zone[1..]),
        Some(_) => false,
    }
}

/// HH, HH', or HH'mm' (the trailing apostrophe optional).
fn valid_offset(offset: &[u8]) -> bool {
    let two = |part: &[u8], high: u32| {
        part.len() == 2
            && part.iter().all(u8::is_ascii_digit)
            && std::str::from_utf8(part)
                .ok()
                .and_then(|s| s.parse::<u32>().ok())
                .is_some_and(|v| v <= high)
    };
    match offset {
        [h1, h2] => two(&[*h1, *h2], 23),
        [h1, h2, b'\''] => two(&[*h1, *h2], 23),
        [h1, h2, b'\'', m1, m2] | [h1, h2, b'\'', m1, m2, b'\''] => {
            two(&[*h1, *h2], 23) && two(&[*m1, *m2], 59)
        }
        _ => false,
    }
}

/// Numbers of the fixed objects; pages follow as (page, content) pairs from FIRST_PAGE_OBJECT.
const CATALOG: usize = 1;
const PAGES: usize = 2;
const HELVETICA: usize = 3;
const CJK_FONT: usize = 4;
const CJK_CID_FONT: usize = 5;
const CJK_DESCRIPTOR: usize = 6;
const INFO: usize = 7;
const FIRST_PAGE_OBJECT: usize = 8;

/// Numbers the objects, writes them and the cross-reference table with byte offsets. With no
/// `embedded` font objects, /F2 is the reader's STSong-Light (PDF 1.4); otherwise the first
/// three take its numbers and the last two follow the pages (PDF 1.6, for the OpenType font
/// file).
fn assemble(document: &CertificateDocument, pages: Vec<String>, embedded: &[Vec<u8>]) -> Vec<u8> {
    let page_number = |index: usize| FIRST_PAGE_OBJECT + 2 * index;
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", page_number(i)))
        .collect();

    let mut info = format!(
        "<< /Producer (Shebao) /Title {}",
        info_text(&document.title)
    );
    if let Some(date) = pdf_date(&document.issued_at) {
        info.push_str(&format!(" /CreationDate ({date})"));
    }
    info.push_str(" >>");

    let mut objects: Vec<Vec<u8>> = vec![
        format!("<< /Type /Catalog /Pages {PAGES} 0 R >>").into_bytes(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    ];
    match embedded {
        [font, cid_font, descriptor, ..] => {
            objects.extend([font.clone(), cid_font.clone(), descriptor.clone()]);
        }
        _ => objects.extend(predefined_font()),
    }
    objects.push(info.into_bytes());
    for (index, content) in pages.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent {PAGES} 0 R /MediaBox [0 0 595 842] \
                 /Resources << /Font << /F1 {HELVETICA} 0 R /F2 {CJK_FONT} 0 R >> \
                 /ProcSet [/PDF /Text] >> /Contents {} 0 R >>",
                page_number(index) + 1
            )
            .into_bytes(),
        );
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend_from_slice(content.as_bytes());
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }
    objects.extend(embedded.iter().skip(3).cloned());
    let version = if embedded.is_empty() { "1.4" } else { "1.6" };
    serialise(version, &objects)
}

/// The reader's STSong-Light: the Type 0 font, its CID font and its descriptor.
fn predefined_font() -> [Vec<u8>; 3] {
    [
        format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H \
             /DescendantFonts [{CJK_CID_FONT} 0 R] >>"
        )
        .into_bytes(),
        format!(
            "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light \
             /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> \
             /FontDescriptor {CJK_DESCRIPTOR} 0 R /DW 1000 >>"
        )
        .into_bytes(),
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 \
          /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 \
          /CapHeight 880 /StemV 93 >>"
            .to_vec(),
    ]
}

/// The file: numbered objects, the cross-reference table and the trailer.
fn serialise(version: &str, objects: &[Vec<u8>]) -> Vec<u8> {
    // The second line's high bytes tell transfer tools the file is binary.
    let mut out: Vec<u8> = format!("%PDF-{version}\n").into_bytes();
    out.extend_from_slice(b"%\xE2\xE3\xCF\xD3\n");
    let mut offsets = Vec::with_capacity(objects.len());
    for (index, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", index + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref_at = out.len();
    let size = objects.len() + 1;
    // Each entry is exactly 20 bytes, ending in space + newline as the format requires.
    let mut xref = format!("xref\n0 {size}\n0000000000 65535 f \n");
    for offset in offsets {
        xref.push_str(&format!("{offset:010} 00000 n \n"));
    }
    xref.push_str(&format!(
        "trailer\n<< /Size {size} /Root {CATALOG} 0 R /Info {INFO} 0 R >>\nstartxref\n{xref_at}\n%%EOF\n"
    ));
    out.extend_from_slice(xref.as_bytes());
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, reason = "tests")]
mod tests;
