//! The one table builder the desks' pages use.

use crate::portal::page::esc;
use crate::portal::page::notice;

/// A table with a caption, column headers and already-escaped cells.
pub(crate) fn table(caption: &str, headers: &[&str], rows: &[Vec<String>]) -> String {
    table_with(Some(caption), headers, rows, None)
}

/// A table with an optional caption; with no rows, one row across every column saying
/// `empty`, when given.
pub(crate) fn table_with(
    caption: Option<&str>,
    headers: &[&str],
    rows: &[Vec<String>],
    empty: Option<&str>,
) -> String {
    let mut html = String::from("<table>");
    if let Some(caption) = caption {
        html.push_str(&format!("<caption>{}</caption>", esc(caption)));
    }
    html.push_str("<thead><tr>");
    for header in headers {
        html.push_str(&format!("<th scope=\"col\">{}</th>", esc(header)));
    }
    html.push_str("</tr></thead><tbody>");
    for row in rows {
        html.push_str("<tr>");
        for cell in row {
            html.push_str(&format!("<td>{cell}</td>"));
        }
        html.push_str("</tr>");
    }
    if let Some(empty) = empty.filter(|_| rows.is_empty()) {
        html.push_str(&format!(
            "<tr><td colspan=\"{}\">{}</td></tr>",
            headers.len(),
            esc(empty)
        ));
    }
    html.push_str("</tbody></table>");
    html
}

/// A table of `rows`, or the notice `empty` when there are none.
pub(crate) fn table_or_notice(
    empty: &str,
    caption: &str,
    headers: &[&str],
    rows: &[Vec<String>],
) -> String {
    if rows.is_empty() {
        return notice("info", empty);
    }
    table(caption, headers, rows)
}
