//! The tables of the desks' pages: [`Table`], the rows a template (extending `table.html`)
//! writes cell by cell, and the builder of the pages not yet on templates.

use crate::portal::page::esc;

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
