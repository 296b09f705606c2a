//! CSV files the service writes (an error file, an export): every field quoted (RFC 4180),
//! and neutralised where a spreadsheet would read it as a formula.

/// One CSV field, quoted. A field that a spreadsheet would take for a formula (leading `=`,
/// `+`, `-`, `@`, tab or carriage return, after any spaces: OWASP's CSV injection advice) is
/// prefixed with `'`, which makes it text.
pub fn field(value: &str) -> String {
    let formula = value.starts_with(['\t', '\r'])
        || value
            .trim_start_matches(' ')
            .starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = if formula { "'" } else { "" };
    format!("\"{quote}{}\"", value.replace('"', "\"\""))
}

/// One line of quoted fields, ending in a newline.
pub fn line(fields: &[&str]) -> String {
    let mut out = fields
        .iter()
        .map(|f| field(f))
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::{field, line};

    #[test]
    fn fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(field("a\"b"), "\"a\"\"b\"");
        assert_eq!(field(" =1+1"), "\"' =1+1\"");
        assert_eq!(field("-5"), "\"'-5\"");
        assert_eq!(line(&["1", "x,y"]), "\"1\",\"x,y\"\n");
    }
}
