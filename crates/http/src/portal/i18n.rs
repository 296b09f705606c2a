//! The portal's words in Chinese and English. The language comes from a `lang` cookie the
//! switch sets, else from the browser's `Accept-Language`, else Chinese.

use axum::http::HeaderMap;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
use shebao_app::views::{AccountView, CardView};
use shebao_domain::time::{Date, Timestamp, UtcOffset};

use crate::portal::session::Browser;

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

/// Times as people read them: in the region's local time, to the minute (the API's times
/// are UTC instants).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LocalClock(UtcOffset);

impl LocalClock {
    pub(crate) fn new(offset: UtcOffset) -> LocalClock {
        LocalClock(offset)
    }

    /// The offset the clock reads in.
    pub(crate) fn offset(self) -> UtcOffset {
        self.0
    }

    /// The clock of the pages a browser sees ([`shebao_app::App::display_offset`]), UTC if
    /// it cannot be read.
    pub(crate) async fn of(s: &crate::Shared, browser: &Browser) -> LocalClock {
        browser
            .call(s, |app, actor| Ok(LocalClock::read(app, actor)))
            .await
            .unwrap_or(LocalClock::new(UtcOffset::UTC))
    }

    /// [`LocalClock::of`] inside application code a page already runs (one call, not two).
    /// Read for every role alike ([`shebao_app::App::public_display_offset`]): a role that
    /// may not read the reference data (the cashier) still sees local times, and asking
    /// records no refusal.
    pub(crate) fn read(app: &shebao_app::App, _actor: &shebao_app::Actor) -> LocalClock {
        LocalClock::new(app.public_display_offset().unwrap_or(UtcOffset::UTC))
    }

    /// Today on this clock, as date fields default to and are bounded by.
    pub(crate) fn today(self, app: &shebao_app::App) -> Date {
        app.now().local_date(self.0)
    }

    fn local(self, instant: &str) -> Option<(Date, i64)> {
        let seconds = instant_seconds(instant)? + self.0.seconds();
        Some((
            Date::from_days_since_epoch(seconds.div_euclid(86_400)),
            seconds.rem_euclid(86_400),
        ))
    }

    /// `2026-12-06 12:23`, local; the text as given if it is not an instant (RFC 3339 in
    /// UTC, or a local time with its offset).
    pub(crate) fn time(self, instant: &str) -> String {
        match self.local(instant) {
            Some((date, second)) => {
                format!("{date} {:02}:{:02}", second / 3600, second % 3600 / 60)
            }
            None => instant.to_owned(),
        }
    }

    /// `2026-12-06`, the local date of an instant; the text as given if it is not one.
    pub(crate) fn date(self, instant: &str) -> String {
        self.local(instant)
            .map_or_else(|| instant.to_owned(), |(date, _)| date.to_string())
    }
}

/// The Unix seconds of an instant written in UTC (`2026-12-06T04:23:42Z`, RFC 3339) or as a
/// local time with its offset (`2026-12-06 12:23:42+08:00`, as certificates carry it).
fn instant_seconds(instant: &str) -> Option<i64> {
    if let Some(at) = Timestamp::parse_rfc3339(instant) {
        return Some(at.unix_seconds());
    }
    let (time, offset) = (instant.get(..19)?, instant.get(19..)?);
    let (sign, offset) = match offset.split_at_checked(1)? {
        ("+", rest) => (1, rest),
        ("-", rest) => (-1, rest),
        _ => return None,
    };
    let (hours, minutes) = offset.split_once(':')?;
    let digits = |text: &str| {
        (text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse::<i64>().ok())
            .flatten()
    };
    let (hours, minutes) = (digits(hours)?, digits(minutes)?);
    let (date, clock) = time.split_once(' ')?;
    let local = Timestamp::parse_rfc3339(&format!("{date}T{clock}Z"))?;
    Some(local.unix_seconds() - sign * (hours * 3600 + minutes * 60))
}

/// The financial account's state in plain words.
pub(crate) fn financial_words(lang: Lang, account: Option<&AccountView>) -> &'static str {
    let words = lang.words();
    match account.map(|a| a.status.as_str()) {
        Some("deposit_only") => words.financial_deposit_only(),
        Some("active") => words.financial_active(),
        Some(_) => words.financial_closed(),
        None => words.financial_none(),
    }
}

#[cfg(test)]
#[allow(clippy::expect_used, reason = "tests")]
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

    #[test]
    fn times_show_in_local_time_to_the_minute() {
        let china = LocalClock::new(UtcOffset::from_minutes(480).expect("UTC+8"));
        assert_eq!(china.time("2026-11-30T19:23:42Z"), "2026-12-01 03:23");
        assert_eq!(china.date("2026-11-30T19:23:42Z"), "2026-12-01");
        assert_eq!(china.time("2026-12-01T00:00:00Z"), "2026-12-01 08:00");
        assert_eq!(china.time("not a time"), "not a time");
        assert_eq!(china.time("2026-12-01 03:23:42+08:00"), "2026-12-01 03:23");
        assert_eq!(china.time("2026-11-30 14:23:42-05:00"), "2026-12-01 03:23");
        assert_eq!(
            china.time("2026-12-01 03:23:42+8:00"),
            "2026-12-01 03:23:42+8:00"
        );
        let utc = LocalClock::new(UtcOffset::UTC);
        assert_eq!(utc.time("2026-11-30T19:23:42Z"), "2026-11-30 19:23");
    }
}
