//! Form pieces the pages share: labelled fields with their error under the input, selects,
//! the hidden CSRF and idempotency fields, the attributes of PIN and ID-number inputs, and
//! the extractor of a posted form ([`Posted`]), which checks its CSRF token and its desk.

use axum::Form;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use shebao_domain::access::Role;

use crate::Shared;
use crate::portal::page::csrf_refused;
use crate::portal::page::desk_only;
use crate::portal::page::esc;
use crate::portal::session::Browser;
use crate::portal::session::Visit;
use crate::portal::session::csrf_ok;
use crate::portal::words::Words;

/// Attributes of every PIN input: typed on the pad, never remembered, never shown.
pub(crate) const PIN_ATTRS: &str = "type=\"password\" inputmode=\"numeric\" pattern=\"[0-9]{6}\" maxlength=\"6\" required autocomplete=\"off\"";
/// Attributes of every ID-number input (`data-private`: never kept as a draft in the
/// browser, see `drafts.js`).
pub(crate) const CITIZEN_ATTRS: &str = "required autocomplete=\"off\" maxlength=\"18\" spellcheck=\"false\" autocapitalize=\"characters\" data-private";

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
    select_of(id, name, label, options, selected, "")
}

/// A [`select`] of records (banks, regions): their names are data, not to be translated.
pub(crate) fn data_select(
    id: &str,
    name: &str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
) -> String {
    select_of(id, name, label, options, selected, " translate=\"no\"")
}

fn select_of(
    id: &str,
    name: &str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
    option_attrs: &str,
) -> String {
    let options: String = options
        .iter()
        .map(|(value, text)| {
            format!(
                "<option value=\"{}\"{}{option_attrs}>{}</option>",
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

/// An amount typed in yuan as fen, or what is wrong with it in the page's words.
pub(crate) fn amount_fen(words: &dyn Words, typed: &str) -> Result<i64, &'static str> {
    let text = typed.trim();
    if text.is_empty() {
        return Err(words.amount_missing());
    }
    if let Some(fen) = shebao_app::money::parse_yuan(text) {
        return if fen > 0 {
            Ok(fen)
        } else {
            Err(words.amount_not_positive())
        };
    }
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    Err(if !digits(whole) || !digits(fraction) || whole.is_empty() {
        words.amount_not_number()
    } else if text.starts_with('-') {
        words.amount_not_positive()
    } else if fraction.len() > 2 {
        words.amount_decimals()
    } else {
        words.amount_too_large()
    })
}

/// The amount input (yuan) of a money form, with what was typed and its error beside it.
pub(crate) fn amount_input(words: &dyn Words, typed: &str, error: Option<&str>) -> String {
    Field {
        id: "amount",
        name: "amount_yuan",
        label: words.amount_yuan(),
        value: typed,
        attrs: "inputmode=\"decimal\" required autocomplete=\"off\" maxlength=\"16\"",
        error,
        ..Field::default()
    }
    .html()
}

/// A form that carries nothing but its guard: the CSRF token and the idempotency key.
#[derive(Deserialize)]
pub(crate) struct GuardedForm {
    pub(crate) csrf: String,
    pub(crate) key: String,
}

/// A form the portal takes by post: the CSRF token it carried, and the desk whose role
/// alone may post it (`None`: the application's own checks decide who may).
pub(crate) trait PostedForm {
    const DESK: Option<Role>;

    fn csrf(&self) -> &str;
}

/// Declares form structs with a `csrf` field as [`PostedForm`]s of one desk.
macro_rules! posted_form {
    ($desk:expr => $($form:ty),+ $(,)?) => {
        $(impl $crate::portal::page::form::PostedForm for $form {
            const DESK: Option<shebao_domain::access::Role> = $desk;

            fn csrf(&self) -> &str {
                &self.csrf
            }
        })+
    };
}
pub(crate) use posted_form;

posted_form!(None => GuardedForm);

/// A form a signed-in browser posted, whose CSRF token is the session's and whose desk is the
/// browser's: the visit, the path's parameters `P` and the form `F`. The parts are taken in
/// the order a handler would take them (the session, then the path, then the form), and each
/// refusal is the one that extractor answers; then a form with another token is answered
/// [`csrf_refused`], and another role the desk's 403 page.
pub(crate) struct Posted<F, P = ()>(pub(crate) Visit, pub(crate) P, pub(crate) F);

impl<F, P> FromRequest<Shared> for Posted<F, P>
where
    F: PostedForm + DeserializeOwned + Send,
    P: FromRequestParts<Shared> + Send,
    P::Rejection: IntoResponse,
{
    type Rejection = Response;

    async fn from_request(request: Request, shared: &Shared) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let visit = Visit::from_request_parts(&mut parts, shared).await?;
        let path = P::from_request_parts(&mut parts, shared)
            .await
            .map_err(IntoResponse::into_response)?;
        let Form(form) = Form::<F>::from_request(Request::from_parts(parts, body), shared)
            .await
            .map_err(IntoResponse::into_response)?;
        if !csrf_ok(&visit.browser, form.csrf()) {
            return Err(csrf_refused(visit.lang, &visit.browser));
        }
        if let Some(refusal) = F::DESK.and_then(|role| desk_only(visit.lang, &visit.browser, role))
        {
            return Err(refusal);
        }
        Ok(Posted(visit, path, form))
    }
}

#[cfg(test)]
mod tests {
    use super::amount_fen;
    use crate::portal::i18n::Lang;

    #[test]
    fn an_amount_is_refused_with_the_reason() {
        let zh = Lang::Zh.words();
        assert_eq!(amount_fen(zh, " 100.5 "), Ok(10_050));
        assert_eq!(amount_fen(zh, ""), Err(zh.amount_missing()));
        assert_eq!(amount_fen(zh, "abc"), Err(zh.amount_not_number()));
        assert_eq!(amount_fen(zh, "1,000"), Err(zh.amount_not_number()));
        assert_eq!(amount_fen(zh, "-5"), Err(zh.amount_not_positive()));
        assert_eq!(amount_fen(zh, "0"), Err(zh.amount_not_positive()));
        assert_eq!(amount_fen(zh, "100.555"), Err(zh.amount_decimals()));
        assert_eq!(amount_fen(zh, "9999999999999"), Err(zh.amount_too_large()));
    }
}
