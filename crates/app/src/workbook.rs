//! Bounds on an uploaded XLSX workbook, checked before any parser sees it (issue 13,
//! finding 1). calamine trusts what a workbook says: it reserves room for `uniqueCount`
//! shared strings, keeps each shared string whole, buffers whatever element or text it skips,
//! and copies a style's font and number format into every cell format. A 1,850-byte workbook
//! declaring a trillion shared strings aborted the process, and a 1 MB one holding a 1,000 MB
//! string took 3.3 GB. So the archive is read here first, entry by entry, through a counting
//! reader: its central directory, each entry's declared and actual decompressed size, the
//! length of every XML token and the number of the elements calamine keeps one value for. A
//! workbook outside any bound is refused with `file_too_complex`; one inside them all can
//! make calamine hold at most a small multiple of `ARCHIVE_BYTES_MAX`.

use std::io::Read;

use crate::AppError;

/// Most entries in the archive; Excel writes about a dozen for a one-sheet workbook.
const ENTRIES_MAX: usize = 256;
/// Most bytes one entry may hold decompressed (declared and actual). A 200,000-row
/// declaration sheet written with inline strings is about 35 MB.
const ENTRY_BYTES_MAX: u64 = 64 * 1024 * 1024;
/// Most bytes all entries may hold decompressed together.
const ARCHIVE_BYTES_MAX: u64 = 96 * 1024 * 1024;
/// Longest tag, text run, comment, CDATA section or processing instruction: the most the XML
/// reader buffers for one event, and the longest cell text a declaration may hold.
pub(crate) const TOKEN_BYTES_MAX: usize = 4 * 1024;
/// Most shared strings (`<si>`) in the workbook; a declaration needs at most three a row.
const SHARED_STRINGS_MAX: u64 = 700_000;
/// Most elements, together, of the kinds calamine keeps one value for when it opens a
/// workbook: number formats, fonts, fills, borders, cell formats (each holding a copy of its
/// font and number format), sheets, defined names and relationships.
const KEPT_ELEMENTS_MAX: u64 = 4_096;
const KEPT_ELEMENTS: [&[u8]; 8] = [
    b"numFmt",
    b"font",
    b"fill",
    b"border",
    b"xf",
    b"sheet",
    b"definedName",
    b"Relationship",
];
/// Elements whose whole content calamine gathers into one buffer or string: a shared string
/// (all its rich-text runs), a cell (a skipped formula or value included) and a defined name.
/// Their bytes, markup included, are bounded; so every shared string and every cell is short
/// whatever the size of its part.
const GATHERED_ELEMENTS: [&[u8]; 3] = [b"si", b"c", b"definedName"];
const GATHERED_ELEMENT_BYTES_MAX: usize = 16 * 1024;
/// A ZIP central directory header starts with these bytes; the zip reader makes one entry per
/// header, so counting them bounds its memory before it runs.
const CENTRAL_HEADER: &[u8] = b"PK\x01\x02";

fn too_complex(message: impl Into<String>) -> AppError {
    AppError::TooComplex {
        field: "file",
        message: message.into(),
    }
}

pub(crate) fn unreadable(error: &dyn std::fmt::Display) -> AppError {
    AppError::invalid("file", format!("not a readable XLSX workbook: {error}"))
}

/// Reads the whole archive within the bounds above; `Ok` means calamine may open it.
pub(crate) fn check(bytes: &[u8]) -> Result<(), AppError> {
    let headers = bytes
        .windows(CENTRAL_HEADER.len())
        .filter(|w| *w == CENTRAL_HEADER)
        .count();
    if headers > ENTRIES_MAX {
        return Err(too_complex(format!(
            "a workbook holds at most {ENTRIES_MAX} parts"
        )));
    }
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let mut totals = Totals::default();
    let mut declared_total = 0_u64;
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(|e| unreadable(&e))?;
        let declared = entry.size();
        declared_total = declared_total.saturating_add(declared);
        if declared > ENTRY_BYTES_MAX || declared_total > ARCHIVE_BYTES_MAX {
            return Err(too_complex(format!(
                "a workbook holds at most {} MiB uncompressed ({} MiB a part)",
                ARCHIVE_BYTES_MAX >> 20,
                ENTRY_BYTES_MAX >> 20
            )));
        }
        scan_entry(entry, declared, &mut totals)?;
    }
    totals.check()
}

/// Decompresses one entry through a counting reader into the scanner. Declared sizes can lie,
/// so at most one byte more than declared is read, and any difference is refused. (zip 9
/// also stops at the declared size, with an I/O error that names it.)
fn scan_entry(entry: impl Read, declared: u64, totals: &mut Totals) -> Result<(), AppError> {
    let mut limited = entry.take(declared.saturating_add(1));
    let mut scanner = Scanner::default();
    let mut buffer = vec![0_u8; 64 * 1024];
    let mut actual = 0_u64;
    let longer = || too_complex("a part of the workbook holds more than its declared size");
    loop {
        let read = match limited.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(e) if e.to_string().contains("declared") => return Err(longer()),
            Err(e) => return Err(unreadable(&e)),
        };
        if actual == 0 {
            refuse_utf16(buffer.get(..read).unwrap_or_default())?;
        }
        actual = actual.saturating_add(u64::try_from(read).unwrap_or(u64::MAX));
        if actual > declared {
            return Err(longer());
        }
        for &byte in buffer.get(..read).unwrap_or_default() {
            scanner.push(byte, totals)?;
        }
    }
    if actual != declared {
        return Err(too_complex(
            "a part of the workbook holds less than its declared size",
        ));
    }
    scanner.finish()
}

/// The XML reader would decode UTF-16 parts, which the byte scanner cannot follow; no
/// spreadsheet program writes them.
fn refuse_utf16(start: &[u8]) -> Result<(), AppError> {
    if [&b"\xff\xfe"[..], b"\xfe\xff", b"<\0", b"\0<"]
        .iter()
        .any(|bom| start.starts_with(bom))
    {
        return Err(too_complex("a part of the workbook is not UTF-8"));
    }
    Ok(())
}

/// What the whole archive holds, checked at its end.
#[derive(Default)]
struct Totals {
    cells: u64,
    shared_strings: u64,
    kept: u64,
    /// The largest `count` an `sst` element claims: references to shared strings, which
    /// cannot outnumber the cells.
    shared_references: u64,
}

impl Totals {
    fn check(&self) -> Result<(), AppError> {
        if self.shared_references > self.cells {
            return Err(too_complex(
                "the shared-string count exceeds the cells of the workbook",
            ));
        }
        Ok(())
    }
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum State {
    #[default]
    Text,
    /// A tag, `<` to the `>` outside quotes; `quote` is the open quote, if any.
    Tag {
        quote: Option<u8>,
    },
    Comment,
    CData,
    Instruction,
}

/// A byte-at-a-time XML tokenizer that keeps only the current tag (at most
/// `TOKEN_BYTES_MAX` bytes) and the counts.
#[derive(Default)]
struct Scanner {
    state: State,
    /// Length of the current token.
    length: usize,
    /// The current tag's bytes, for its name and attributes.
    tag: Vec<u8>,
    /// Shared strings of this entry, and the largest `uniqueCount` it claims.
    shared_strings: u64,
    unique_count: u64,
    /// The gathered element being read (its local name), its nesting depth and its bytes.
    gathered: Option<(Vec<u8>, usize)>,
    gathered_bytes: usize,
}

impl Scanner {
    fn push(&mut self, byte: u8, totals: &mut Totals) -> Result<(), AppError> {
        self.length += 1;
        if self.gathered.is_some() {
            self.gathered_bytes += 1;
            if self.gathered_bytes > GATHERED_ELEMENT_BYTES_MAX {
                return Err(too_complex(format!(
                    "a shared string, cell or defined name in the workbook is longer than {GATHERED_ELEMENT_BYTES_MAX} bytes"
                )));
            }
        }
        if self.length > TOKEN_BYTES_MAX {
            return Err(too_complex(format!(
                "a text, tag or comment in the workbook is longer than {TOKEN_BYTES_MAX} bytes"
            )));
        }
        match self.state {
            State::Text if byte == b'<' => {
                self.state = State::Tag { quote: None };
                self.length = 1;
                self.tag.clear();
                self.tag.push(byte);
            }
            State::Text => {}
            State::Tag { quote } => {
                self.tag.push(byte);
                match (quote, byte) {
                    (None, b'>') => {
                        self.end_tag(totals)?;
                        self.start_text();
                    }
                    (None, b'"' | b'\'') => self.state = State::Tag { quote: Some(byte) },
                    (Some(open), _) if open == byte => self.state = State::Tag { quote: None },
                    _ => self.special_start()?,
                }
            }
            State::Comment => self.end_on(byte, b"<!--", b"-->"),
            State::CData => self.end_on(byte, b"<![CDATA[", b"]]>"),
            State::Instruction => self.end_on(byte, b"<?", b"?>"),
        }
        Ok(())
    }

    fn start_text(&mut self) {
        self.state = State::Text;
        self.length = 0;
    }

    /// Comments, CDATA sections and processing instructions end on their own marks, not on
    /// the first `>`; a document type declaration is refused (no workbook needs one).
    fn special_start(&mut self) -> Result<(), AppError> {
        match self.tag.as_slice() {
            b"<!--" => self.state = State::Comment,
            b"<![CDATA[" => self.state = State::CData,
            b"<?" => self.state = State::Instruction,
            tag if tag.len() == 9 && tag.eq_ignore_ascii_case(b"<!DOCTYPE") => {
                return Err(too_complex("a workbook part declares a document type"));
            }
            _ => {}
        }
        Ok(())
    }

    fn end_on(&mut self, byte: u8, opening: &[u8], mark: &[u8]) {
        self.tag.push(byte);
        if self.tag.len() >= opening.len() + mark.len() && self.tag.ends_with(mark) {
            self.start_text();
        }
    }

    /// Counts a start tag by its local name and checks what an `sst` element claims.
    fn end_tag(&mut self, totals: &mut Totals) -> Result<(), AppError> {
        let tag = std::mem::take(&mut self.tag);
        let closing = tag.get(1) == Some(&b'/');
        let start = if closing { 2 } else { 1 };
        let name_end = tag
            .iter()
            .skip(start)
            .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
            .map_or(tag.len(), |at| at + start);
        let name = tag.get(start..name_end).unwrap_or_default();
        if closing {
            self.leave(local_name(name));
        }
        if closing || matches!(name.first(), None | Some(b'?' | b'!')) {
            self.tag = tag;
            return Ok(());
        }
        let local = local_name(name);
        if !tag.ends_with(b"/>") {
            self.enter(local);
        }
        match local {
            b"c" => totals.cells += 1,
            b"si" => {
                self.shared_strings += 1;
                totals.shared_strings += 1;
                if totals.shared_strings > SHARED_STRINGS_MAX {
                    return Err(too_complex(format!(
                        "a workbook holds at most {SHARED_STRINGS_MAX} shared strings"
                    )));
                }
            }
            b"sst" => self.shared_string_table(tag.get(name_end..).unwrap_or_default(), totals)?,
            _ if KEPT_ELEMENTS.contains(&local) => {
                totals.kept += 1;
                if totals.kept > KEPT_ELEMENTS_MAX {
                    return Err(too_complex(format!(
                        "a workbook holds at most {KEPT_ELEMENTS_MAX} styles, sheets and relationships"
                    )));
                }
            }
            _ => {}
        }
        self.tag = tag;
        Ok(())
    }

    /// Starts (or nests deeper into) a gathered element.
    fn enter(&mut self, local: &[u8]) {
        match &mut self.gathered {
            Some((name, depth)) if name.as_slice() == local => *depth += 1,
            Some(_) => {}
            None if GATHERED_ELEMENTS.contains(&local) => {
                self.gathered = Some((local.to_vec(), 1));
                self.gathered_bytes = 0;
            }
            None => {}
        }
    }

    fn leave(&mut self, local: &[u8]) {
        if let Some((name, depth)) = &mut self.gathered
            && name.as_slice() == local
        {
            *depth -= 1;
            if *depth == 0 {
                self.gathered = None;
            }
        }
    }

    /// `uniqueCount` is what calamine reserves room for: it may not exceed the shared strings
    /// the part really holds (checked at its end); `count` may not exceed the cells.
    fn shared_string_table(
        &mut self,
        attributes: &[u8],
        totals: &mut Totals,
    ) -> Result<(), AppError> {
        for (key, value) in attributes_of(attributes)? {
            let counted = match local_name(key) {
                b"uniqueCount" => &mut self.unique_count,
                b"count" => &mut totals.shared_references,
                _ => continue,
            };
            let number = std::str::from_utf8(value)
                .ok()
                .filter(|v| (1..=12).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|v| v.parse::<u64>().ok())
                .ok_or_else(|| too_complex("a shared-string count is not a plain number"))?;
            *counted = (*counted).max(number);
        }
        Ok(())
    }

    fn finish(&self) -> Result<(), AppError> {
        if self.unique_count > self.shared_strings {
            return Err(too_complex(format!(
                "the workbook claims {} shared strings but holds {}",
                self.unique_count, self.shared_strings
            )));
        }
        Ok(())
    }
}

/// The name after its namespace prefix.
fn local_name(name: &[u8]) -> &[u8] {
    name.rsplit(|b| *b == b':').next().unwrap_or(name)
}

/// An attribute's key and raw value.
type Attribute<'a> = (&'a [u8], &'a [u8]);

/// The `key="value"` pairs of a start tag after its name; malformed attributes are refused,
/// since calamine would read them differently.
fn attributes_of(mut rest: &[u8]) -> Result<Vec<Attribute<'_>>, AppError> {
    let malformed = || too_complex("a shared-string table has malformed attributes");
    let mut pairs = Vec::new();
    loop {
        rest = rest.trim_ascii_start();
        if rest.is_empty() || rest.starts_with(b">") || rest.starts_with(b"/") {
            return Ok(pairs);
        }
        let equals = rest.iter().position(|b| *b == b'=').ok_or_else(malformed)?;
        let key = rest.get(..equals).unwrap_or_default().trim_ascii();
        rest = rest
            .get(equals + 1..)
            .unwrap_or_default()
            .trim_ascii_start();
        let quote = *rest.first().ok_or_else(malformed)?;
        if quote != b'"' && quote != b'\'' {
            return Err(malformed());
        }
        let body = rest.get(1..).unwrap_or_default();
        let close = body
            .iter()
            .position(|b| *b == quote)
            .ok_or_else(malformed)?;
        pairs.push((key, body.get(..close).unwrap_or_default()));
        rest = body.get(close + 1..).unwrap_or_default();
    }
}

#[cfg(test)]
pub(crate) mod hostile;

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::hostile::{Part, archive};
    use super::*;

    fn verdict(parts: Vec<Part>) -> Result<(), String> {
        check(&archive(&parts)).map_err(|e| e.code().to_owned())
    }

    fn sst(unique: &str, count: &str, strings: usize) -> Part {
        let body = "<si><t>x</t></si>".repeat(strings);
        Part::plain(
            "xl/sharedStrings.xml",
            &format!("<sst count=\"{count}\" uniqueCount=\"{unique}\">{body}</sst>"),
        )
    }

    fn cells(n: usize) -> Part {
        Part::plain(
            "xl/worksheets/sheet1.xml",
            &format!(
                "<worksheet><sheetData><row>{}</row></sheetData></worksheet>",
                "<c t=\"s\"><v>0</v></c>".repeat(n)
            ),
        )
    }

    /// Issue 13, finding 1: the counts a shared-string table claims are checked against what
    /// the workbook holds.
    #[test]
    fn shared_string_counts_may_not_exceed_what_the_workbook_holds() {
        assert_eq!(verdict(vec![sst("3", "3", 3), cells(3)]), Ok(()));
        let too_complex = Err("file_too_complex".to_owned());
        assert_eq!(verdict(vec![sst("4", "3", 3), cells(3)]), too_complex);
        assert_eq!(verdict(vec![sst("3", "4", 3), cells(3)]), too_complex);
        assert_eq!(verdict(vec![sst("+3", "3", 3), cells(3)]), too_complex);
        assert_eq!(
            verdict(vec![sst("1000000000000", "3", 3), cells(3)]),
            too_complex
        );
    }

    /// Issue 13, finding 1: a comment, CDATA section or processing instruction is one event
    /// for the XML reader however many `>` it holds, so it is bounded as one token; document
    /// types, UTF-16 parts and archives of many parts are refused.
    #[test]
    fn every_token_is_bounded_the_way_the_xml_reader_sees_it() {
        let long = "a>".repeat(TOKEN_BYTES_MAX);
        for text in [
            format!("<worksheet><!--{long}--></worksheet>"),
            format!("<worksheet><![CDATA[{long}]]></worksheet>"),
            format!("<?x {long}?><worksheet/>"),
            format!("<worksheet a=\"{long}\"/>"),
            "<!DOCTYPE x [<!ENTITY a \"b\">]><worksheet/>".to_owned(),
            "<\0w\0o\0r\0k\0>\0".to_owned(),
        ] {
            let parts = vec![Part::plain("xl/worksheets/sheet1.xml", &text)];
            assert_eq!(
                verdict(parts),
                Err("file_too_complex".to_owned()),
                "{text:.40}"
            );
        }
        let short = "a>".repeat(TOKEN_BYTES_MAX / 4);
        let parts = vec![Part::plain(
            "xl/worksheets/sheet1.xml",
            &format!("<worksheet><!--{short}--><![CDATA[{short}]]></worksheet>"),
        )];
        assert_eq!(verdict(parts), Ok(()));
        let many = (0..=ENTRIES_MAX)
            .map(|i| Part::plain(&format!("p{i}.xml"), "<a/>"))
            .collect();
        assert_eq!(verdict(many), Err("file_too_complex".to_owned()));
    }

    /// Issue 13, finding 1: calamine gathers a shared string's rich-text runs, and a cell's
    /// skipped content, into one buffer; each such element is bounded as a whole.
    #[test]
    fn gathered_elements_are_bounded_as_a_whole() {
        let run = format!("<r><t>{}</t></r>", "a".repeat(1000));
        let strings = |runs: usize| {
            Part::plain(
                "xl/sharedStrings.xml",
                &format!(
                    "<sst uniqueCount=\"2\"><si><t>x</t></si><si>{}</si></sst>",
                    run.repeat(runs)
                ),
            )
        };
        assert_eq!(verdict(vec![strings(10)]), Ok(()));
        assert_eq!(
            verdict(vec![strings(20)]),
            Err("file_too_complex".to_owned())
        );
        let cell = |runs: usize| {
            Part::plain(
                "xl/worksheets/sheet1.xml",
                &format!(
                    "<worksheet><sheetData><row><c t=\"inlineStr\"><v>{}</v></c><c/></row></sheetData></worksheet>",
                    "<a/>".repeat(runs)
                ),
            )
        };
        assert_eq!(verdict(vec![cell(1000)]), Ok(()));
        assert_eq!(
            verdict(vec![cell(5000)]),
            Err("file_too_complex".to_owned())
        );
    }

    /// Issue 13, finding 1: calamine keeps a cell format (with a copy of its font and number
    /// format) per `xf`; their number is bounded.
    #[test]
    fn kept_elements_are_bounded() {
        let styles = |n: usize| {
            Part::plain(
                "xl/styles.xml",
                &format!(
                    "<styleSheet><cellXfs>{}</cellXfs></styleSheet>",
                    "<xf/>".repeat(n)
                ),
            )
        };
        assert_eq!(verdict(vec![styles(100)]), Ok(()));
        assert_eq!(
            verdict(vec![styles(
                usize::try_from(KEPT_ELEMENTS_MAX).unwrap() + 1
            )]),
            Err("file_too_complex".to_owned())
        );
    }
}
