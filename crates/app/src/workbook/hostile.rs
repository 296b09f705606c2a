//! Hostile workbooks for the tests of issue 13, finding 1, shared by the application's unit
//! tests and the black-box tests of the binary (`#[path]`). The archive is written by hand:
//! a part is either stored or one fixed-Huffman deflate block that repeats a pattern of at
//! most four bytes with 258-byte back-references, so a part can hold hundreds of megabytes
//! while the upload stays a few megabytes, and can declare any size it likes.
#![allow(dead_code, reason = "each test uses some of the hostile workbooks")]

/// One part of the archive: `head`, then `pattern` repeated to `repeat_bytes` bytes, then
/// `tail`; `declared` overrides the uncompressed size written in the headers.
pub struct Part {
    pub name: String,
    pub head: Vec<u8>,
    pub pattern: Vec<u8>,
    pub repeat_bytes: u64,
    pub tail: Vec<u8>,
    pub declared: Option<u64>,
}

impl Part {
    pub fn plain(name: &str, text: &str) -> Part {
        Part {
            name: name.to_owned(),
            head: text.as_bytes().to_vec(),
            pattern: Vec::new(),
            repeat_bytes: 0,
            tail: Vec::new(),
            declared: None,
        }
    }

    fn size(&self) -> u64 {
        (self.head.len() + self.tail.len()) as u64 + self.repeat_bytes
    }
}

/// Least-significant-bit-first bit writer (RFC 1951).
struct Bits {
    out: Vec<u8>,
    current: u32,
    used: u32,
}

impl Bits {
    fn put(&mut self, value: u32, count: u32) {
        for i in 0..count {
            self.current |= ((value >> i) & 1) << self.used;
            self.used += 1;
            if self.used == 8 {
                self.out.push(self.current as u8);
                self.current = 0;
                self.used = 0;
            }
        }
    }

    /// A Huffman code goes most significant bit first.
    fn code(&mut self, code: u32, length: u32) {
        for i in (0..length).rev() {
            self.put((code >> i) & 1, 1);
        }
    }

    fn literal(&mut self, byte: u8) {
        if byte < 144 {
            self.code(0x30 + u32::from(byte), 8);
        } else {
            self.code(0x190 + u32::from(byte) - 144, 9);
        }
    }
}

/// One final fixed-Huffman block: the head as literals, the pattern as literals once and then
/// as 258-byte copies at distance `pattern.len()`, the rest as literals.
fn deflate(part: &Part) -> Vec<u8> {
    let mut bits = Bits {
        out: Vec::new(),
        current: 0,
        used: 0,
    };
    bits.put(1, 1);
    bits.put(1, 2);
    part.head.iter().for_each(|b| bits.literal(*b));
    let period = part.pattern.len() as u64;
    let mut written = 0_u64;
    while written < part.repeat_bytes.min(period) {
        bits.literal(part.pattern[written as usize]);
        written += 1;
    }
    while part.repeat_bytes - written >= 258 {
        bits.code(0xc5, 8); // length 258: code 285
        bits.code(period as u32 - 1, 5); // distance 1 to 4: codes 0 to 3
        written += 258;
    }
    while written < part.repeat_bytes {
        bits.literal(part.pattern[(written % period) as usize]);
        written += 1;
    }
    part.tail.iter().for_each(|b| bits.literal(*b));
    bits.code(0, 7); // end of block
    bits.put(0, 7);
    bits.out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0_u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The archive of `parts`; a part without a repeated pattern is stored with its true CRC,
/// one with a pattern is deflated and carries no CRC (every reader under test must stop long
/// before its end).
pub fn archive(parts: &[Part]) -> Vec<u8> {
    let (mut out, mut directory) = (Vec::new(), Vec::new());
    let le16 = |v: &mut Vec<u8>, n: u64| v.extend_from_slice(&(n as u16).to_le_bytes());
    let le32 = |v: &mut Vec<u8>, n: u64| v.extend_from_slice(&(n as u32).to_le_bytes());
    for part in parts {
        let (method, crc, data) = if part.repeat_bytes == 0 {
            let mut data = part.head.clone();
            data.extend_from_slice(&part.tail);
            (0, crc32(&data), data)
        } else {
            (8, 0, deflate(part))
        };
        let size = part.declared.unwrap_or_else(|| part.size());
        let offset = out.len() as u64;
        let fields = |v: &mut Vec<u8>| {
            le16(v, 20);
            le16(v, 0);
            le16(v, method);
            le16(v, 0);
            le16(v, 0x21);
            le32(v, u64::from(crc));
            le32(v, data.len() as u64);
            le32(v, size);
            le16(v, part.name.len() as u64);
            le16(v, 0);
        };
        out.extend_from_slice(b"PK\x03\x04");
        fields(&mut out);
        out.extend_from_slice(part.name.as_bytes());
        out.extend_from_slice(&data);
        directory.extend_from_slice(b"PK\x01\x02");
        le16(&mut directory, 20);
        fields(&mut directory);
        for _ in 0..3 {
            le16(&mut directory, 0); // comment length, disk, internal attributes
        }
        le32(&mut directory, 0); // external attributes
        le32(&mut directory, offset);
        directory.extend_from_slice(part.name.as_bytes());
    }
    let start = out.len() as u64;
    out.extend_from_slice(&directory);
    out.extend_from_slice(b"PK\x05\x06");
    le16(&mut out, 0);
    le16(&mut out, 0);
    le16(&mut out, parts.len() as u64);
    le16(&mut out, parts.len() as u64);
    le32(&mut out, directory.len() as u64);
    le32(&mut out, start);
    le16(&mut out, 0);
    out
}

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// A one-sheet workbook with these shared strings and this sheet.
pub fn workbook(shared_strings: Part, sheet: Part) -> Vec<u8> {
    let parts = vec![
        Part::plain(
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>",
        ),
        Part::plain(
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>",
        ),
        Part::plain(
            "xl/workbook.xml",
            &format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{MAIN}\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
            ),
        ),
        Part::plain(
            "xl/_rels/workbook.xml.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>",
        ),
        shared_strings,
        sheet,
    ];
    archive(&parts)
}

/// Shared strings: `uniqueCount`, then the strings.
fn shared_strings(unique_count: u64, strings: &[&str]) -> Part {
    let body: String = strings
        .iter()
        .map(|s| format!("<si><t>{s}</t></si>"))
        .collect();
    Part::plain(
        "xl/sharedStrings.xml",
        &format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"{MAIN}\" count=\"{unique_count}\" uniqueCount=\"{unique_count}\">{body}</sst>"
        ),
    )
}

/// A sheet whose header row names the declaration's columns through shared strings 0 to 2.
fn sheet(padding: &[u8], padding_bytes: u64) -> Part {
    Part {
        name: "xl/worksheets/sheet1.xml".to_owned(),
        head: format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"{MAIN}\"><sheetData>").into_bytes(),
        pattern: padding.to_vec(),
        repeat_bytes: padding_bytes,
        tail: b"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c></row></sheetData></worksheet>".to_vec(),
        declared: None,
    }
}

const HEADER: [&str; 3] = ["citizen_id", "month", "wage"];

/// The 1,850-byte workbook of the report: its shared strings claim a trillion entries.
pub fn unique_count_bomb() -> Vec<u8> {
    workbook(shared_strings(1_000_000_000_000, &HEADER), sheet(b"", 0))
}

/// One shared string of `bytes` letters.
pub fn huge_shared_string(bytes: u64) -> Vec<u8> {
    let strings = Part {
        name: "xl/sharedStrings.xml".to_owned(),
        head: format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"{MAIN}\" count=\"4\" uniqueCount=\"4\"><si><t>citizen_id</t></si><si><t>month</t></si><si><t>wage</t></si><si><t>").into_bytes(),
        pattern: b"a".to_vec(),
        repeat_bytes: bytes,
        tail: b"</t></si></sst>".to_vec(),
        declared: None,
    };
    workbook(strings, sheet(b"", 0))
}

/// A sheet padded with `bytes` of whitespace before its rows.
pub fn padded_sheet(bytes: u64) -> Vec<u8> {
    workbook(shared_strings(3, &HEADER), sheet(b" ", bytes))
}

/// A sheet of `bytes` of empty elements (every XML token short) that declares a size of 1 KB.
pub fn lying_sizes(bytes: u64) -> Vec<u8> {
    let mut sheet = sheet(b"<a/>", bytes);
    sheet.declared = Some(1024);
    workbook(shared_strings(3, &HEADER), sheet)
}

/// A sheet of `bytes` of empty elements that says so: every token short, every size true.
pub fn many_elements(bytes: u64) -> Vec<u8> {
    workbook(shared_strings(3, &HEADER), sheet(b"<a/>", bytes))
}

/// A benign workbook from the same writer: the header and one row.
pub fn benign() -> Vec<u8> {
    let strings = shared_strings(
        5,
        &[
            "citizen_id",
            "month",
            "wage",
            "330106199003071236",
            "2026-01",
        ],
    );
    let mut sheet = sheet(b"", 0);
    sheet.tail = b"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>3</v></c><c r=\"B2\" t=\"s\"><v>4</v></c><c r=\"C2\"><v>10000</v></c></row></sheetData></worksheet>".to_vec();
    workbook(strings, sheet)
}
