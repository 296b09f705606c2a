//! Receipts a desk prints for the person it served (a deposit, a withdrawal, a medical
//! settlement or its undoing): the page's print stylesheet prints the receipt alone.

use crate::portal::i18n::Lang;
use crate::portal::page::html;
use crate::portal::words::Words;

#[derive(askama::Template)]
#[template(path = "receipt.html")]
struct ReceiptHtml<'a> {
    words: &'static dyn Words,
    title: &'a str,
    lines: &'a [(&'static str, String)],
    /// A table below the lines (HTML a template wrote), or "".
    table: &'a str,
}

/// A receipt: its title, its lines (label and value, values are data) and a table.
pub(crate) fn receipt(
    lang: Lang,
    title: &str,
    lines: &[(&'static str, String)],
    table: &str,
) -> String {
    html(&ReceiptHtml {
        words: lang.words(),
        title,
        lines,
        table,
    })
}

/// The receipt of cash paid in or out at a bank window.
pub(crate) fn cash_receipt(
    lang: Lang,
    title: &str,
    card_number: &str,
    transfer: &shebao_app::views::TransferView,
    time: String,
    served_by: &str,
) -> String {
    let [card, amount, balance, at, id, by] = lang.words().receipt_columns();
    let lines = [
        (card, card_number.to_owned()),
        (amount, shebao_app::money::yuan(transfer.amount_fen)),
        (balance, shebao_app::money::yuan(transfer.balance_after_fen)),
        (at, time),
        (id, transfer.id.clone()),
        (by, served_by.to_owned()),
    ];
    receipt(lang, title, &lines, "")
}
