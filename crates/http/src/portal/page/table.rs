//! The tables of the desks' pages: [`table_template!`] for a table whose template extends
//! `table.html`, and [`table`] for the pages not yet on templates.

use crate::portal::page::esc;

/// A table with a caption, column headers and already-escaped cells (for the pages not yet
/// on templates).
pub(crate) fn table(caption: &str, headers: &[&str], rows: &[Vec<String>]) -> String {
    table_with(&esc(caption), headers, rows)
}

/// [`table`] with a caption already in HTML (one that marks a part of it, say).
pub(crate) fn table_with(caption_html: &str, headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut html = format!(
        "<div class=\"table-scroll\" tabindex=\"0\"><table><caption>{caption_html}</caption><thead><tr>"
    );
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
    html.push_str("</tbody></table></div>");
    html
}

/// Declares a table template: `$name`, rendered by `$path` (which extends `table.html`), of
/// `rows` of `$row`, its texts from `words`, and any further fields the template reads.
macro_rules! table_template {
    ($name:ident, $path:tt, $row:ty $(, $field:ident: $kind:ty)* $(,)?) => {
        #[derive(askama::Template)]
        #[template(path = $path)]
        pub(crate) struct $name<'a> {
            pub(crate) words: &'static dyn $crate::portal::words::Words,
            pub(crate) rows: &'a [$row],
            $(pub(crate) $field: $kind,)*
        }
    };
}
pub(crate) use table_template;
