//! Tests for the certificate PDF: file structure (header, xref, trailer, streams),
//! pagination, text encoding and determinism.

use super::text::{escape_literal, runs};
use super::*;

/// The reader's own fonts (no font embedded).
const PLAIN: Fonts<'static> = Fonts::PREDEFINED;

fn sample(rows: usize) -> CertificateDocument {
    let insurances = [
        "养老保险 Pension",
        "医疗保险 Medical",
        "失业保险 Unemployment",
    ];
    CertificateDocument {
        title: "社会保险参保缴费证明 Social Insurance Contribution Certificate".to_owned(),
        fields: vec![
            ("姓名 Name".to_owned(), "李*".to_owned()),
            (
                "证件号码 ID number".to_owned(),
                "1101**********1234".to_owned(),
            ),
            ("参保地 Region".to_owned(), "北京市 Beijing".to_owned()),
        ],
        rows: (0..rows)
            .map(|i| CertificateRow {
                month: format!("{}-{:02}", 2000 + i / 12, i % 12 + 1),
                insurance: insurances[i % 3].to_owned(),
                base_fen: 800_000 + i64::try_from(i).unwrap(),
                employer_fen: 128_000,
                individual_fen: 64_000,
                status: "已缴 Paid".to_owned(),
                employer: if i < rows / 2 {
                    "甲公司 Alpha Ltd".to_owned()
                } else {
                    "乙公司 Beta Ltd".to_owned()
                },
            })
            .collect(),
        totals: vec![
            ("缴费月数 Months".to_owned(), rows.to_string()),
            (
                "个人缴费合计 Individual total".to_owned(),
                yuan(64_000 * i64::try_from(rows).unwrap()),
            ),
        ],
        verification_code: "CERT-7F3A-91C2-0B7D".to_owned(),
        verify_hint:
            "Verify at https://shebao.example/verify or POST /api/v1/certificates/verification"
                .to_owned(),
        issued_at: "2024-05-01T10:30:00+08:00".to_owned(),
        issuer: String::new(),
        verify_url: String::new(),
    }
}

/// The certificate in the reader's own fonts, as issued before the font was embedded.
fn plain(document: &CertificateDocument) -> Vec<u8> {
    render(document, None).unwrap()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    find(haystack, needle.as_bytes()).is_some()
}

fn count(haystack: &[u8], needle: &str) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle.as_bytes())
        .count()
}

/// The decimal number right after `key` (e.g. "/Count ").
fn number_after(haystack: &[u8], key: &str) -> usize {
    let at = find(haystack, key.as_bytes()).unwrap() + key.len();
    let digits: String = haystack[at..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .map(|b| char::from(*b))
        .collect();
    digits.parse().unwrap()
}

/// Parses startxref and the xref table; returns the offsets of objects 1..size.
fn xref_offsets(pdf: &[u8]) -> (usize, Vec<usize>) {
    let tail = &pdf[pdf.len() - 40..];
    let at = find(tail, b"startxref\n").unwrap() + "startxref\n".len();
    let digits: String = tail[at..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .map(|b| char::from(*b))
        .collect();
    let xref_at: usize = digits.parse().unwrap();
    let text = std::str::from_utf8(&pdf[xref_at..]).unwrap();
    let mut lines = text.split('\n');
    assert_eq!(lines.next().unwrap(), "xref");
    let header = lines.next().unwrap();
    let (first, size) = header.split_once(' ').unwrap();
    assert_eq!(first, "0");
    let size: usize = size.parse().unwrap();
    assert_eq!(lines.next().unwrap(), "0000000000 65535 f ");
    let mut offsets = Vec::new();
    for _ in 1..size {
        let entry = lines.next().unwrap();
        assert_eq!(
            entry.len(),
            19,
            "entry {entry:?} must be 20 bytes with its newline"
        );
        assert!(entry.ends_with(" 00000 n "));
        assert!(entry[..10].bytes().all(|b| b.is_ascii_digit()));
        offsets.push(entry[..10].parse().unwrap());
    }
    assert_eq!(lines.next().unwrap(), "trailer");
    (size, offsets)
}

/// Every stream's content, checking that /Length matches the bytes up to "\nendstream"
/// (a font file's bytes are read lossily: only the text streams are looked into).
fn streams(pdf: &[u8]) -> Vec<String> {
    let mut result = Vec::new();
    let mut rest = pdf;
    while let Some(at) = find(rest, b"/Length ") {
        let length = number_after(&rest[at..], "/Length ");
        let start = at + find(&rest[at..], b"stream\n").unwrap() + "stream\n".len();
        assert_eq!(&rest[start + length..start + length + 10], b"\nendstream");
        result.push(String::from_utf8_lossy(&rest[start..start + length]).into_owned());
        rest = &rest[start + length..];
    }
    result
}

#[test]
fn starts_with_header_and_ends_with_eof() {
    let pdf = plain(&sample(3));
    assert!(pdf.starts_with(b"%PDF-1.4\n"));
    assert!(pdf.ends_with(b"%%EOF\n"));
}

#[test]
fn xref_offsets_point_at_their_objects() {
    for rows in [0, 3, 250] {
        let pdf = plain(&sample(rows));
        let (_, offsets) = xref_offsets(&pdf);
        for (index, offset) in offsets.iter().enumerate() {
            let expected = format!("{} 0 obj\n", index + 1);
            assert!(
                pdf[*offset..].starts_with(expected.as_bytes()),
                "object {} at {offset}",
                index + 1
            );
        }
    }
}

#[test]
fn object_count_matches_size() {
    for rows in [0, 3, 250] {
        let pdf = plain(&sample(rows));
        let (size, offsets) = xref_offsets(&pdf);
        assert_eq!(offsets.len() + 1, size);
        assert_eq!(count(&pdf, " 0 obj\n"), size - 1);
        assert_eq!(count(&pdf, "\nendobj\n"), size - 1);
        assert_eq!(number_after(&pdf, "trailer\n<< /Size "), size);
        assert!(contains(&pdf, "/Root 1 0 R"));
    }
}

#[test]
fn stream_lengths_are_exact() {
    let pdf = plain(&sample(250));
    let contents = streams(&pdf);
    assert_eq!(contents.len(), count(&pdf, "/Type /Page /"));
}

#[test]
fn many_rows_paginate_with_header_and_page_numbers_on_every_page() {
    let pdf = plain(&sample(250));
    let pages = count(&pdf, "/Type /Page /");
    assert!(
        pages >= 4,
        "250 rows should need several pages, got {pages}"
    );
    assert_eq!(number_after(&pdf, "/Count "), pages);
    let month_header = text::runs("月份 Month")
        .first()
        .map(|(_, run)| {
            run.encode_utf16()
                .map(|u| format!("{u:04X}"))
                .collect::<String>()
        })
        .unwrap();
    let contents = streams(&pdf);
    for (index, content) in contents.iter().enumerate() {
        assert!(
            content.contains(&format!("<{month_header}>")),
            "header on page {}",
            index + 1
        );
        assert!(
            content.contains(&format!("( Page {} of {pages})", index + 1)),
            "number on page {}",
            index + 1
        );
        // 第 (7B2C) before the number, 页 (9875) after it.
        assert!(content.contains("<7B2C>") && content.contains("<9875>"));
    }
    // Every row made it: each month appears once (months are unique per row).
    for month in ["2000-01", "2010-06", "2020-10"] {
        let total: usize = contents
            .iter()
            .map(|c| c.matches(&format!("({month})")).count())
            .sum();
        assert_eq!(total, 1, "{month}");
    }
}

#[test]
fn single_page_for_few_rows() {
    let pdf = plain(&sample(3));
    assert_eq!(count(&pdf, "/Type /Page /"), 1);
    assert_eq!(number_after(&pdf, "/Count "), 1);
    assert!(contains(&pdf, "( Page 1 of 1)"));
}

#[test]
fn verification_code_is_helvetica_text_on_the_last_page() {
    let pdf = plain(&sample(250));
    let contents = streams(&pdf);
    let last = contents.last().unwrap();
    let line = last
        .lines()
        .find(|l| l.contains("(CERT-7F3A-91C2-0B7D)"))
        .unwrap();
    assert!(line.starts_with("BT /F1 18 Tf "), "{line}");
    assert!(line.ends_with("Tj ET"));
    assert!(last.contains(
        "(Verify at https://shebao.example/verify or POST /api/v1/certificates/verification)"
    ));
    for earlier in &contents[..contents.len() - 1] {
        assert!(!earlier.contains("CERT-7F3A"));
    }
}

#[test]
fn chinese_text_is_utf16be_hex_in_stsong() {
    let pdf = plain(&sample(3));
    // 姓名 = U+59D3 U+540D.
    let content = &streams(&pdf)[0];
    let line = content.lines().find(|l| l.contains("<59D3540D>")).unwrap();
    assert!(line.starts_with("BT /F2 10 Tf "), "{line}");
    assert!(contains(
        &pdf,
        "/BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
    ));
    assert!(contains(
        &pdf,
        "/Registry (Adobe) /Ordering (GB1) /Supplement 2"
    ));
    assert!(contains(
        &pdf,
        "/BaseFont /Helvetica /Encoding /WinAnsiEncoding"
    ));
}

#[test]
fn render_is_deterministic() {
    assert_eq!(plain(&sample(250)), plain(&sample(250)));
    assert_eq!(plain(&sample(0)), plain(&sample(0)));
    assert_ne!(plain(&sample(3)), plain(&sample(4)));
}

#[test]
fn yuan_formats_fen() {
    assert_eq!(yuan(123_456), "1234.56");
    assert_eq!(yuan(-5), "-0.05");
    assert_eq!(yuan(0), "0.00");
    assert_eq!(yuan(7), "0.07");
    assert_eq!(yuan(99), "0.99");
    assert_eq!(yuan(100), "1.00");
    assert_eq!(yuan(-123_456), "-1234.56");
    assert_eq!(yuan(i64::MIN), "-92233720368547758.08");
    assert_eq!(yuan(i64::MAX), "92233720368547758.07");
}

#[test]
fn amounts_appear_in_yuan() {
    let pdf = plain(&sample(1));
    assert!(contains(&pdf, "(8000.00)"));
    assert!(contains(&pdf, "(1280.00)"));
    assert!(contains(&pdf, "(640.00)"));
}

#[test]
fn literal_strings_escape_parentheses_and_backslashes() {
    let mut document = sample(1);
    document
        .fields
        .push(("备注 Note".to_owned(), r"a(b)c\d".to_owned()));
    document.rows[0].status = "Paid (late)".to_owned();
    let pdf = plain(&document);
    assert!(contains(&pdf, r"(a\(b\)c\\d)"));
    assert!(contains(&pdf, r"(Paid \(late\))"));
    assert_eq!(escape_literal("x\ny\tz"), "x y z");
}

#[test]
fn runs_split_ascii_from_everything_else() {
    assert_eq!(runs("姓名 Name"), vec![(true, "姓名"), (false, " Name")]);
    assert_eq!(runs("A中B"), vec![(false, "A"), (true, "中"), (false, "B")]);
    assert!(runs("").is_empty());
    // Mixed text advances left to right: the ASCII run starts where the CJK run ends.
    let mut page = String::new();
    let end = PLAIN.show(&mut page, 100.0, 700.0, 10.0, "中文 ab");
    assert!(page.contains("BT /F2 10 Tf 100 700 Td <4E2D6587> Tj ET"));
    assert!(page.contains("BT /F1 10 Tf 120 700 Td ( ab) Tj ET"));
    assert!((end - (120.0 + 0.278 * 10.0 + 2.0 * 5.56)).abs() < 1e-9);
}

#[test]
fn characters_outside_the_bmp_become_surrogate_pairs() {
    let mut page = String::new();
    PLAIN.show(&mut page, 0.0, 0.0, 10.0, "😀");
    assert!(page.contains("<D83DDE00>"));
}

#[test]
fn wrapping_keeps_lines_within_width() {
    let long =
        "社会保险参保缴费证明 Social Insurance Contribution Certificate for a very long name";
    let lines = PLAIN.wrap(long, 16.0, 200.0);
    assert!(lines.len() > 1);
    for line in &lines {
        assert!(PLAIN.text_width(line, 16.0) <= 200.0, "{line}");
    }
    assert_eq!(lines.concat().replace(' ', ""), long.replace(' ', ""));
    assert_eq!(PLAIN.wrap("", 10.0, 100.0), vec![String::new()]);
    assert_eq!(PLAIN.wrap("short", 10.0, 100.0), vec!["short".to_owned()]);
    // A word wider than the line is broken rather than overflowing.
    for line in PLAIN.wrap(&"W".repeat(100), 10.0, 100.0) {
        assert!(PLAIN.text_width(&line, 10.0) <= 100.0);
    }
}

#[test]
fn fit_truncates_long_cells() {
    assert_eq!(PLAIN.fit("short", 9.0, 100.0), "short");
    let cut = PLAIN.fit(&"Employer".repeat(20), 9.0, 60.0);
    assert!(cut.ends_with("..."));
    assert!(PLAIN.text_width(&cut, 9.0) <= 60.0);
}

#[test]
fn creation_date_from_issued_at() {
    assert_eq!(
        pdf_date("2024-05-01T10:30:00+08:00").unwrap(),
        "D:20240501103000+08'00'"
    );
    assert_eq!(
        pdf_date("2024-05-01T10:30:00Z").unwrap(),
        "D:20240501103000Z"
    );
    assert_eq!(
        pdf_date("2024-05-01 10:30:00.123Z").unwrap(),
        "D:20240501103000Z"
    );
    assert_eq!(pdf_date("2024-05-01T10:30").unwrap(), "D:202405011030");
    assert_eq!(pdf_date("2024-05-01").unwrap(), "D:20240501");
    assert_eq!(
        pdf_date("D:20240501103000+08'00'").unwrap(),
        "D:20240501103000+08'00'"
    );
    for bad in [
        "",
        "yesterday",
        "2024-13-01",
        "2024-05-01T25:00:00Z",
        "2024-05-01T10:30:00+8",
        "D:2024x",
        "D:20240501)",
    ] {
        assert_eq!(pdf_date(bad), None, "{bad}");
    }
    let pdf = plain(&sample(1));
    assert!(contains(&pdf, "/CreationDate (D:20240501103000+08'00')"));
    assert!(contains(&pdf, "/Producer (Shebao)"));
    let mut document = sample(1);
    document.issued_at = "2024年5月1日".to_owned();
    assert!(!contains(&plain(&document), "/CreationDate"));
}

#[test]
fn empty_document_still_renders_a_valid_file() {
    let pdf = plain(&CertificateDocument::default());
    assert!(pdf.starts_with(b"%PDF-1.4"));
    assert!(pdf.ends_with(b"%%EOF\n"));
    assert_eq!(number_after(&pdf, "/Count "), 1);
    let (_, offsets) = xref_offsets(&pdf);
    assert_eq!(offsets.len(), 9);
}

#[test]
fn long_totals_move_the_verification_block_to_a_new_last_page() {
    let mut document = sample(40);
    document.totals = (0..60)
        .map(|i| (format!("合计 Total {i}"), yuan(i)))
        .collect();
    let pdf = plain(&document);
    let contents = streams(&pdf);
    assert!(contents.len() >= 2);
    assert!(contents.last().unwrap().contains("(CERT-7F3A-91C2-0B7D)"));
    assert_eq!(
        contents
            .iter()
            .filter(|c| c.contains("(CERT-7F3A-91C2-0B7D)"))
            .count(),
        1
    );
}

/// The digests of these samples as the renderer wrote them before the font was embedded:
/// certificates issued then are rebuilt from their content and must match their digest.
#[test]
fn certificates_issued_before_the_embedded_font_rebuild_byte_for_byte() {
    let digest = |rows| {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(plain(&sample(rows))))
    };
    assert_eq!(
        digest(0),
        "745d1d8b486ef023b5df1ee5661fd5d5f54eea553824709dab1a086d95cfb827"
    );
    assert_eq!(
        digest(3),
        "403ac5e2edcf353b0bd298d0af0f10fc362de9a89d815676e2c886d3c88cc4bf"
    );
    assert_eq!(
        digest(250),
        "1d805cfecbb19a5c39b528ee4cdf555e3a74a85d4ea5ba300b3815c7dbfd770a"
    );
}

fn sealed(rows: usize) -> CertificateDocument {
    CertificateDocument {
        issuer: "杭州市人力资源和社会保障局".to_owned(),
        verify_url: "https://shebao.example/verify/CERT-7F3A-91C2-0B7D".to_owned(),
        ..sample(rows)
    }
}

/// The font scripts/test installs (Debian's fonts-noto-cjk): the test fails, never skips,
/// when it is missing.
fn installed_font() -> CjkFont {
    CjkFont::installed().unwrap_or_else(|e| panic!("{e} (scripts/test installs it)"))
}

#[test]
fn the_embedded_font_carries_only_the_glyphs_used_and_maps_them_back_to_text() {
    let font = installed_font();
    assert!(font.name().contains("CJK"), "{}", font.name());
    let pdf = render(&sealed(250), Some(&font)).unwrap();
    assert!(pdf.starts_with(b"%PDF-1.6\n"));
    assert!(contains(&pdf, "/Subtype /CIDFontType0"));
    assert!(contains(&pdf, "/Encoding /Identity-H"));
    assert!(contains(&pdf, "/FontFile3"));
    assert!(contains(&pdf, "/Subtype /OpenType"));
    assert!(!contains(&pdf, "STSong"));
    // A subset: the whole collection is over 19 MB, the file a small fraction of it.
    assert!(pdf.len() < 400_000, "{} bytes", pdf.len());
    // The ToUnicode map gives 姓 (U+59D3) and 保 (U+4FDD) back.
    let texts = streams(&pdf);
    let cmap = texts.iter().find(|s| s.contains("beginbfchar")).unwrap();
    assert!(cmap.contains("<59D3>") && cmap.contains("<4FDD>"), "{cmap}");
    // Every CID the pages use is mapped, and none twice.
    let mapped: Vec<&str> = cmap
        .lines()
        .filter(|l| l.starts_with('<') && l.len() > 6)
        .map(|l| &l[1..5])
        .collect();
    let mut unique = mapped.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), mapped.len());
    // The structure holds as without the font.
    let (_, offsets) = xref_offsets(&pdf);
    for (index, offset) in offsets.iter().enumerate() {
        assert!(pdf[*offset..].starts_with(format!("{} 0 obj\n", index + 1).as_bytes()));
    }
    assert_eq!(render(&sealed(250), Some(&font)).unwrap(), pdf);
}

#[test]
fn the_sealed_layout_draws_the_seal_and_the_qr_code_on_the_last_page_only() {
    let font = installed_font();
    let pdf = render(&sealed(250), Some(&font)).unwrap();
    let pages: Vec<String> = streams(&pdf)
        .into_iter()
        .filter(|s| s.contains(" Td "))
        .collect();
    assert!(pages.len() > 2);
    let last = pages.last().unwrap();
    // The seal's red ink, its ring and its star; the QR code's white square and modules.
    assert!(last.contains("0.8 0.05 0.05 RG"));
    assert!(last.contains(" c "));
    assert!(last.contains("h f\n"));
    assert!(last.contains("1 g ") && last.matches(" re\n").count() > 50);
    assert!(last.contains("(CERT-7F3A-91C2-0B7D)"));
    for earlier in &pages[..pages.len() - 1] {
        assert!(!earlier.contains("RG") && !earlier.contains("CERT-7F3A"));
    }
    // The seal is drawn without the font too, in the reader's STSong.
    let plain_sealed = render(&sealed(3), None).unwrap();
    assert!(plain_sealed.starts_with(b"%PDF-1.4\n"));
    assert!(contains(&plain_sealed, "0.8 0.05 0.05 RG"));
}

#[test]
fn the_qr_code_has_the_modules_of_its_payload() {
    let url = "https://shebao.example/verify/SB-0000-0000-0000-0000-0000";
    let mut page = String::new();
    marks::qr(&mut page, url, 0.0, 0.0, 100.0).unwrap();
    let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M).unwrap();
    let dark = code
        .to_colors()
        .iter()
        .filter(|c| **c == qrcode::Color::Dark)
        .count();
    // Each rectangle is a run of dark modules in a row: the widths add up to the dark count.
    let unit = 100.0 / f64::from(u32::try_from(code.width() + 8).unwrap());
    let covered: f64 = page
        .lines()
        .filter(|l| l.ends_with(" re") && !l.starts_with("1 g"))
        .map(|l| l.split(' ').nth(2).unwrap().parse::<f64>().unwrap() / unit)
        .sum();
    assert!((covered - f64::from(u32::try_from(dark).unwrap())).abs() < 2.0);
}
