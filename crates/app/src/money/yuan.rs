//! Amounts as people read and write them: fen (the ledger's unit) shown as yuan with two
//! decimals, and yuan typed in a file or form read back as fen, without floats.

/// Formats fen as yuan with two decimals: 123456 → "1234.56", -5 → "-0.05".
pub fn yuan(fen: i64) -> String {
    // unsigned_abs so that i64::MIN does not overflow.
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Reads "10000", "10000.5" or "10000.50" yuan as fen, without floats.
pub fn parse_yuan(text: &str) -> Option<i64> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty()
        || whole.len() > 12
        || fraction.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let cents = format!("{fraction:0<2}");
    whole
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(cents.parse::<i64>().ok()?)
}
