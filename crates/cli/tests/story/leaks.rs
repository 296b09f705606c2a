//! Searching bytes (the database at rest, the log, the answers) for a secret in clear.

use super::*;

/// Occurrences of `needle` that are not inside a run of hex digits (ciphertexts and hashes
/// may contain any six digits by chance; a stored PIN would stand on its own).
fn clear_occurrences(haystack: &[u8], needle: &str) -> usize {
    let needle = needle.as_bytes();
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, window)| *window == needle)
        .filter(|(start, _)| {
            let before = start
                .checked_sub(1)
                .and_then(|i| haystack.get(i))
                .is_some_and(u8::is_ascii_hexdigit);
            let after = haystack
                .get(start + needle.len())
                .is_some_and(u8::is_ascii_hexdigit);
            !(before || after)
        })
        .count()
}

pub(super) fn assert_nothing_leaks(what: &str, bytes: &[u8]) {
    assert_none_in_clear(what, bytes, &[CITIZEN_ID, SOCIAL_PIN, FINANCIAL_PIN, NAME]);
    // Issue 13, finding 3: nor the mask that showed the first 4 and last 4 characters
    // (beside the birth date, 9 candidates), nor any mask that shows more than the province.
    let old_mask = format!("{}**********{}", &CITIZEN_ID[..4], &CITIZEN_ID[14..]);
    assert_none_in_clear(what, bytes, &[&old_mask]);
    let text = String::from_utf8_lossy(bytes);
    let shown_beyond_province = text
        .split(|c: char| !(c.is_ascii_digit() || c == 'X' || c == '*'))
        .filter(|run| run.len() == 18 && run.contains('*'))
        .find(|run| !run[2..].bytes().all(|b| b == b'*'));
    assert_eq!(
        shown_beyond_province, None,
        "a masked ID number shows more than the province in {what}"
    );
}

pub(super) fn assert_none_in_clear(what: &str, bytes: &[u8], secrets: &[&str]) {
    for secret in secrets {
        assert_eq!(
            clear_occurrences(bytes, secret),
            0,
            "{secret:?} appears in clear in {what}"
        );
    }
}
