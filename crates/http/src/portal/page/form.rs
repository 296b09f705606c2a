//! Form pieces the pages share: labelled fields with their error under the input, selects,
//! the hidden CSRF and idempotency fields, and the attributes of PIN and ID-number inputs.

use crate::portal::page::esc;
use crate::portal::session::Browser;
use serde::Deserialize;

/// Attributes of every PIN input: typed on the pad, never remembered, never shown.
pub(crate) const PIN_ATTRS: &str = "type=\"password\" inputmode=\"numeric\" pattern=\"[0-9]{6}\" maxlength=\"6\" required autocomplete=\"off\"";
/// Attributes of every ID-number input.
pub(crate) const CITIZEN_ATTRS: &str = "required autocomplete=\"off\" maxlength=\"18\" spellcheck=\"false\" autocapitalize=\"characters\"";

/// One labelled input, with an optional hint and an optional error right under it.
#[derive(Default)]
pub(crate) struct Field<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) label: &'a str,
    pub(crate) value: &'a str,
    pub(crate) attrs: &'a str,
    pub(crate) hint: Option<&'a str>,
    pub(crate) error: Option<&'a str>,
}

impl Field<'_> {
    pub(crate) fn html(&self) -> String {
        let id = esc(self.id);
        let mut described = Vec::new();
        let mut after = String::new();
        if let Some(hint) = self.hint {
            described.push(format!("{id}-hint"));
            after.push_str(&format!("<p id=\"{id}-hint\">{}</p>", esc(hint)));
        }
        if let Some(error) = self.error {
            described.push(format!("{id}-error"));
            after.push_str(&format!(
                "<p id=\"{id}-error\" class=\"notice error\">{}</p>",
                esc(error)
            ));
        }
        let mut attrs = String::new();
        if !self.value.is_empty() {
            attrs.push_str(&format!(" value=\"{}\"", esc(self.value)));
        }
        if !self.attrs.is_empty() {
            attrs.push(' ');
            attrs.push_str(self.attrs);
        }
        if !described.is_empty() {
            attrs.push_str(&format!(" aria-describedby=\"{}\"", described.join(" ")));
        }
        if self.error.is_some() {
            attrs.push_str(" aria-invalid=\"true\"");
        }
        format!(
            "<label for=\"{id}\">{label}</label><input id=\"{id}\" name=\"{name}\"{attrs}>{after}",
            label = esc(self.label),
            name = esc(self.name),
        )
    }
}

/// One labelled select of `(value, text)` options.
pub(crate) fn select(
    id: &str,
    name: &str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
) -> String {
    let options: String = options
        .iter()
        .map(|(value, text)| {
            format!(
                "<option value=\"{}\"{}>{}</option>",
                esc(value),
                if value == selected { " selected" } else { "" },
                esc(text)
            )
        })
        .collect();
    format!(
        "<label for=\"{id}\">{label}</label><select id=\"{id}\" name=\"{name}\" required>{options}</select>",
        id = esc(id),
        name = esc(name),
        label = esc(label),
    )
}

/// A hidden CSRF field and a fresh idempotency key for one form.
pub(crate) fn form_guard(browser: &Browser) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"key\" value=\"{}\">",
        esc(&browser.csrf),
        esc(&shebao_app::new_id("form"))
    )
}

/// A form that carries nothing but its guard: the CSRF token and the idempotency key.
#[derive(Deserialize)]
pub(crate) struct GuardedForm {
    pub(crate) csrf: String,
    pub(crate) key: String,
}
