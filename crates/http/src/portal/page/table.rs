//! The one table builder the desks' pages use.

use crate::portal::page::esc;

/// A table with a caption, column headers and already-escaped cells.
pub(crate) fn table(caption: &str, headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut html = format!("<table><caption>{}</caption><thead><tr>", esc(caption));
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
    html.push_str("</tbody></table>");
    html
}
