//! The portal's words in Chinese and English. The language comes from a `lang` cookie the
//! switch sets, else from the browser's `Accept-Language`, else Chinese.

use axum::http::HeaderMap;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
use shebao_app::views::{AccountView, CardView};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn from_headers(headers: &HeaderMap) -> Lang {
        if let Some(chosen) = cookie(headers, "lang") {
            return if chosen == "en" { Lang::En } else { Lang::Zh };
        }
        let accepted = headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        // The first language listed wins; quality values are not needed for two languages.
        match accepted
            .split(',')
            .next()
            .map(|l| l.trim().to_ascii_lowercase())
        {
            Some(first) if first.starts_with("en") => Lang::En,
            _ => Lang::Zh,
        }
    }
}

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// What a card's state comes to for a person reading it: its life, and a reported loss of
/// either side (a card can be in use while a side is lost).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardState {
    InUse,
    BothSidesLost,
    SocialSideLost,
    FinancialSideLost,
    Expired,
    Replaced,
    Cancelled,
    Returned,
    Applied,
    InProduction,
    ReadyForCollection,
    NotInUse,
}

impl CardState {
    pub fn of(card: &CardView) -> CardState {
        let social = card.social_loss.kind != "none";
        let financial = card.financial_loss.kind != "none";
        match (card.usable.as_str(), card.status.as_str()) {
            ("usable", _) if social && financial => CardState::BothSidesLost,
            ("usable", _) if social => CardState::SocialSideLost,
            ("usable", _) if financial => CardState::FinancialSideLost,
            ("usable", _) => CardState::InUse,
            ("card_expired", _) => CardState::Expired,
            ("card_replaced", _) => CardState::Replaced,
            ("card_cancelled", _) => CardState::Cancelled,
            ("card_returned", _) => CardState::Returned,
            (_, "applied") => CardState::Applied,
            (_, "in_production") => CardState::InProduction,
            (_, "ready_for_collection") => CardState::ReadyForCollection,
            _ => CardState::NotInUse,
        }
    }
}

/// A card's state in plain words.
pub fn card_status(lang: Lang, card: &CardView) -> &'static str {
    lang.words().card_state(CardState::of(card))
}

/// Picks the text of the page's language (for texts used on one page only).
pub(crate) fn tr<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The financial account's state in plain words.
pub(crate) fn financial_words(lang: Lang, account: Option<&AccountView>) -> &'static str {
    match account.map(|a| a.status.as_str()) {
        Some("deposit_only") => tr(
            lang,
            "只收不付（待激活）",
            "deposit-only (not yet activated)",
        ),
        Some("active") => tr(lang, "已激活", "active"),
        Some(_) => tr(lang, "已关闭", "closed"),
        None => tr(lang, "无", "none"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_language_follows_the_cookie_then_the_browser() {
        let mut headers = HeaderMap::new();
        assert_eq!(Lang::from_headers(&headers), Lang::Zh);
        headers.insert(
            "accept-language",
            HeaderValue::from_static("en-US,en;q=0.9"),
        );
        assert_eq!(Lang::from_headers(&headers), Lang::En);
        headers.insert("cookie", HeaderValue::from_static("other=1; lang=zh"));
        assert_eq!(Lang::from_headers(&headers), Lang::Zh);
    }
}
