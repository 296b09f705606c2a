//! Unit tests of declaration files: CSV and XLSX reading, yuan parsing, error files.

use super::*;

#[test]
fn csv_fields_may_be_quoted_and_lines_end_in_crlf() {
    let rows = parse_csv("\u{feff}a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",3\n\n", 10).unwrap();
    assert_eq!(
        rows,
        vec![vec!["a", "b", "c"], vec!["x,1", "say \"hi\"", "3"]]
    );
    assert!(parse_csv("\"open", 10).is_err());
    assert!(parse_csv("1\n2\n3\n", 2).is_err());
}

/// A minimal XLSX workbook: one sheet, inline strings, a numeric wage.
fn workbook(rows: &[(&str, &str, &str)]) -> Vec<u8> {
    let cell = |r: usize, c: char, v: &str| {
        format!("<c r=\"{c}{r}\" t=\"inlineStr\"><is><t>{v}</t></is></c>")
    };
    let mut sheet = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
    );
    sheet.push_str(&format!(
        "<row r=\"1\">{}{}{}</row>",
        cell(1, 'A', "citizen_id"),
        cell(1, 'B', "month"),
        cell(1, 'C', "wage")
    ));
    for (i, (id, month, wage)) in rows.iter().enumerate() {
        let r = i + 2;
        sheet.push_str(&format!(
            "<row r=\"{r}\">{}{}<c r=\"C{r}\"><v>{wage}</v></c></row>",
            cell(r, 'A', id),
            cell(r, 'B', month)
        ));
    }
    sheet.push_str("</sheetData></worksheet>");
    archive(sheet)
}

/// A workbook whose only worksheet is `sheet`.
fn archive(sheet: String) -> Vec<u8> {
    use std::io::Write;
    let files = [
        ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>".to_owned()),
        ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".to_owned()),
        ("xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".to_owned()),
        ("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>".to_owned()),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in files {
        archive
            .start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        archive.write_all(body.as_bytes()).unwrap();
    }
    archive.finish().unwrap().into_inner()
}

#[test]
fn an_xlsx_declaration_reads_like_its_csv() {
    let bytes = workbook(&[
        ("330106199003071236", "2026-01", "10000"),
        ("310104198506153523", "2026-01", "3000.5"),
    ]);
    let rows = rows_from_file(&bytes).unwrap();
    let read: Vec<(usize, &str, &str, Option<i64>)> = rows
        .iter()
        .map(|r| {
            (
                r.line,
                r.citizen_id.as_str(),
                r.month.as_str(),
                match &r.wage {
                    Wage::Yuan(text) => parse_yuan(text),
                    Wage::Fen(fen) => Some(*fen),
                },
            )
        })
        .collect();
    assert_eq!(
        read,
        vec![
            (2, "330106199003071236", "2026-01", Some(1_000_000)),
            (3, "310104198506153523", "2026-01", Some(300_050))
        ]
    );
    assert!(rows_from_file(b"PK\x03\x04 not really a zip").is_err());
}

#[test]
fn a_workbook_naming_a_far_cell_is_refused_before_it_is_laid_out() {
    let sheet = |reference: &str| {
        archive(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>citizen_id</t></is></c><c r=\"{reference}\"><v>1</v></c></row></sheetData></worksheet>"
        ))
    };
    for (reference, refusal) in [
        ("XFD1048576", "at most 200000 rows"),
        ("XFD1", "at most 64 columns"),
        ("ZZZZZZZZZZZZ1", "not a readable XLSX workbook"),
    ] {
        let error = rows_from_file(&sheet(reference))
            .err()
            .map(|e| e.to_string());
        assert!(
            error.as_deref().is_some_and(|e| e.contains(refusal)),
            "{reference}: {error:?}"
        );
    }
}

#[test]
fn wages_in_yuan_become_fen_without_floats() {
    let cases = [
        ("10000", Some(1_000_000)),
        ("10000.5", Some(1_000_050)),
        (" 0.07 ", Some(7)),
        ("", None),
        ("1.234", None),
        ("-5", None),
        ("1e3", None),
        ("abc", None),
        ("1,000", None),
    ];
    for (wage, fen) in cases {
        assert_eq!(parse_yuan(wage), fen, "{wage}");
    }
}

#[test]
fn the_error_file_masks_id_numbers() {
    let file = errors_csv(&[Rejected {
        line: 3,
        citizen_id: mask_citizen_input("110101200001010010"),
        code: "not_enrolled",
        message: "x \"y\"".into(),
    }]);
    assert_eq!(
        file,
        "\"line\",\"citizen_id\",\"code\",\"message\"\n\"3\",\"11****************\",\"not_enrolled\",\"x \"\"y\"\"\"\n"
    );
}

#[test]
fn an_error_file_stored_with_the_old_mask_is_shown_with_todays() {
    // Issue 13, finding 3: files written before it kept the first 4 and last 4.
    let stored = "line,citizen_id,code,message\n3,1101**********0010,unknown_person,\"x\"\n4,1101*****0010,length,\"y\"\n";
    assert_eq!(
        remask_errors(stored),
        "line,citizen_id,code,message\n3,11****************,unknown_person,\"x\"\n4,*************,length,\"y\"\n"
    );
}

/// Issue 13, finding 11: an ID number `=1+1*+2+3` came back raw in the error file, and an
/// embedded comma added a column. Every field is quoted and formula starts neutralised.
#[test]
fn the_error_file_quotes_every_field_and_neutralises_formulas() {
    let hostile = [
        "=1+1*+2+3",
        "+1+1+1+1+1",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1:A9)x",
        "\t=1+1+1+1",
        "\r=1+1+1+1",
        "  =1+1+1+1",
        "1,2,3,4,5,6,7",
    ];
    let rejected: Vec<Rejected> = hostile
        .iter()
        .enumerate()
        .map(|(i, id)| Rejected {
            line: i + 2,
            citizen_id: (*id).to_owned(),
            code: "invalid_length",
            message: format!("=HYPERLINK(\"x\"), {id}"),
        })
        .collect();
    let file = errors_csv(&rejected);
    assert!(file.contains("\"'=1+1*+2+3\""), "{file}");
    let records = parse_csv(&file, 100).unwrap();
    assert_eq!(records.len(), hostile.len() + 1);
    for record in &records[1..] {
        assert_eq!(record.len(), 4, "{record:?}");
        for field in &record[1..] {
            let first = field.trim_start_matches(' ').chars().next();
            assert!(
                !matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r'))
                    && !field.starts_with(['\t', '\r']),
                "{field:?} would be read as a formula"
            );
        }
    }
    for line in file.lines() {
        assert!(line.starts_with('"') && line.ends_with('"'), "{line}");
    }
}

/// Issue 13, finding 1: workbooks that made the process abort or grow to gigabytes are
/// refused with `file_too_complex` before calamine reads them; a benign workbook written
/// the same way still reads.
#[test]
fn hostile_workbooks_are_refused_before_they_are_parsed() {
    use crate::workbook::hostile;
    let big = 200 << 20;
    for (name, bytes) in [
        (
            "a trillion shared strings claimed",
            hostile::unique_count_bomb(),
        ),
        ("one 200 MB shared string", hostile::huge_shared_string(big)),
        (
            "a sheet padded with 200 MB of spaces",
            hostile::padded_sheet(big),
        ),
        ("a 200 MB sheet declaring 1 KB", hostile::lying_sizes(big)),
        (
            "a 200 MB sheet of short elements",
            hostile::many_elements(big),
        ),
    ] {
        assert!(bytes.len() < DECLARATION_FILE_BYTES_MAX, "{name}");
        let error = rows_from_file(&bytes).err();
        assert_eq!(
            error.as_ref().map(AppError::code),
            Some("file_too_complex"),
            "{name}: {error:?}"
        );
    }
    let rows = rows_from_file(&hostile::benign()).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].citizen_id, "330106199003071236");
}

/// Issue 13, finding 1: cells cost memory even when empty, so the layout is bounded: a
/// CSV file of commas, and a workbook naming a far column on every row.
/// Issue 13 (review of finding 1): at most `FILES_READ_MAX` files are read at once; one
/// more is refused busy before it is read, and a place comes back when a reading ends.
#[test]
fn files_read_at_once_are_bounded() {
    let reading = std::sync::atomic::AtomicUsize::new(0);
    let places: Vec<_> = (0..FILES_READ_MAX)
        .map(|_| FileReading::admit(&reading).unwrap())
        .collect();
    let refused = FileReading::admit(&reading).err().unwrap();
    assert_eq!((refused.code(), refused.status()), ("busy", 503));
    drop(places);
    assert!(FileReading::admit(&reading).is_ok());
    assert_eq!(reading.load(std::sync::atomic::Ordering::Acquire), 0);
}

#[test]
fn files_laid_out_into_too_many_cells_are_refused() {
    let commas = format!(
        "citizen_id,month,wage\n{}",
        ",,,,,,,,,,,,,,,,,,,\n".repeat(70_000)
    );
    let error = rows_from_file(commas.as_bytes()).err();
    assert_eq!(error.as_ref().map(AppError::code), Some("file_too_complex"));
    let rows: String = (2..=40_000)
        .map(|r| format!("<row r=\"{r}\"><c r=\"BK{r}\"><v>1</v></c></row>"))
        .collect();
    let sheet = archive(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>citizen_id</t></is></c></row>{rows}</sheetData></worksheet>"
    ));
    let error = rows_from_file(&sheet).err();
    assert_eq!(error.as_ref().map(AppError::code), Some("file_too_complex"));
}

fn quoted(record: &[String]) -> String {
    let fields: Vec<String> = record
        .iter()
        .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
        .collect();
    fields.join(",")
}

/// The number of cases: `PROPTEST_CASES` for a long run (docs/reliability.md), else `base`.
fn cases(base: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(base)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(cases(512)))]

    /// Issue 6, item 7: whatever is uploaded, reading it refuses or answers, never panics.
    #[test]
    fn any_upload_is_read_or_refused(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512), zip_head: bool) {
        let mut file = if zip_head { b"PK\x03\x04".to_vec() } else { Vec::new() };
        file.extend(bytes);
        let _ = rows_from_file(&file);
        if let Ok(text) = std::str::from_utf8(&file)
            && let Ok(records) = parse_csv(text, 5)
        {
            proptest::prop_assert!(records.len() <= 6);
        }
    }

    #[test]
    fn a_damaged_workbook_is_read_or_refused(at in 0usize..4096, with in proptest::prelude::any::<u8>(), cut: bool) {
        let mut bytes = workbook(&[("330106199003071236", "2026-01", "10000")]);
        let at = at % bytes.len();
        if cut {
            bytes.truncate(at.max(4));
        } else {
            bytes[at] = with;
        }
        let _ = rows_from_file(&bytes);
    }

    #[test]
    fn quoted_fields_come_back_as_written(records in proptest::collection::vec(proptest::collection::vec(".*", 1..5), 0..8)) {
        let text: String = records.iter().map(|r| quoted(r) + "\r\n").collect();
        let expected: Vec<Vec<String>> = records
            .into_iter()
            .filter(|r| !(r.len() == 1 && r[0].trim().is_empty()))
            .collect();
        proptest::prop_assert_eq!(parse_csv(&text, 100).unwrap(), expected);
    }

    #[test]
    fn yuan_written_by_the_formatter_reads_back_as_the_same_fen(fen in 0i64..100_000_000_000_000, text in ".{0,20}") {
        proptest::prop_assert_eq!(parse_yuan(&crate::money::yuan(fen)), Some(fen));
        if let Some(read) = parse_yuan(&text) {
            proptest::prop_assert!(read >= 0);
        }
    }
}
