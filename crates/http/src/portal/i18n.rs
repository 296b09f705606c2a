//! The portal's words in Chinese and English. The language comes from a `lang` cookie the
//! switch sets, else from the browser's `Accept-Language`, else Chinese.

use axum::http::HeaderMap;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
use shebao_app::views::AccountView;

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

/// Every text the pages share, by key: Chinese, then English.
const TEXTS: &[(&str, &str, &str)] = &[
    ("title", "社会保障卡服务", "Social Security Card Services"),
    ("sign_in", "登录", "Sign in"),
    ("sign_out", "退出", "Sign out"),
    ("username", "用户名或身份证号码", "Username or ID number"),
    ("password", "密码", "Password"),
    (
        "sign_in_failed",
        "用户名或密码不正确。",
        "The username or password is not correct.",
    ),
    (
        "sign_in_locked",
        "此处登录失败次数过多，请稍后再试。",
        "Too many failed sign-ins from here; try again later.",
    ),
    (
        "sign_in_throttled",
        "此网络地址的登录尝试过多，请一分钟后再试。",
        "Too many sign-in attempts from your network address; try again in a minute.",
    ),
    ("switch", "English", "中文"),
    ("home", "首页", "Home"),
    ("my_cards", "我的社会保障卡", "My social security cards"),
    ("card_number", "卡号", "Card number"),
    ("bank_card", "银行卡号", "Bank card number"),
    ("status", "状态", "Status"),
    ("social_side", "社保功能", "Social security side"),
    (
        "financial_side",
        "金融（银行）功能",
        "Financial (bank) side",
    ),
    ("balance", "余额（元）", "Balance (yuan)"),
    ("next_step", "下一步", "Next step"),
    (
        "no_card",
        "您还没有社会保障卡。请到社保经办窗口申领。",
        "You have no card yet. Apply at a social security bureau window.",
    ),
    ("report_loss", "临时挂失", "Report a temporary loss"),
    (
        "loss_reported",
        "已临时挂失。",
        "A temporary loss is reported.",
    ),
    ("desk_teller", "银行柜台", "Bank counter"),
    ("desk_clerk", "社保经办窗口", "Bureau window"),
    ("find_card", "查询卡", "Find a card"),
    ("card_id", "卡编号", "Card id"),
    ("find", "查询", "Find"),
    ("activate", "激活金融功能", "Activate the financial side"),
    (
        "citizen_id",
        "身份证号码（核验原件）",
        "ID number (from the original ID card)",
    ),
    (
        "pin_pad",
        "请持卡人在密码键盘上输入六位密码",
        "The holder enters a six-digit PIN on the PIN pad",
    ),
    (
        "activated",
        "金融功能已激活。",
        "The financial side is active.",
    ),
    ("deposit", "现金存款", "Cash deposit"),
    ("amount_yuan", "金额（元）", "Amount (yuan)"),
    ("deposited", "已存入。", "Deposited."),
    (
        "awaiting_approval",
        "超出个人限额，已提交复核：另一名柜员批准后入账。",
        "Above your limit: sent for approval. It is credited when another teller approves it.",
    ),
    (
        "find_person",
        "按身份证号码查询参保人",
        "Find a person by ID number",
    ),
    ("person", "参保人", "Person"),
    ("not_found", "没有找到。", "Not found."),
    (
        "api_desk",
        "您的岗位通过接口办理业务：",
        "Your desk works through the API:",
    ),
    ("help", "帮助", "Help"),
    ("refused", "未能办理：", "Not done: "),
    (
        "nul_refused",
        "输入中含有不允许的字符（NUL）。",
        "The input holds a character that is not allowed (NUL).",
    ),
    (
        "too_large",
        "提交的内容过大。",
        "What was sent is too large.",
    ),
    (
        "csrf",
        "表单已过期，请刷新后重试。",
        "The form has expired; reload the page and try again.",
    ),
];

/// One text in both languages ("" for a key not in [`TEXTS`]).
pub fn t(lang: Lang, key: &str) -> &'static str {
    let (zh, en) = TEXTS
        .iter()
        .find(|(name, _, _)| *name == key)
        .map_or(("", ""), |(_, zh, en)| (*zh, *en));
    tr(lang, zh, en)
}

/// A card's status in plain words.
pub fn card_status(lang: Lang, usable: &str, status: &str) -> &'static str {
    let (zh, en) = match (usable, status) {
        ("usable", _) => ("正常使用", "in use"),
        ("card_lost", _) => ("已挂失", "reported lost"),
        ("card_expired", _) => ("已过期", "expired"),
        ("card_replaced", _) => ("已补换，旧卡失效", "replaced; this card no longer works"),
        ("card_cancelled", _) => ("已注销", "cancelled"),
        ("card_returned", _) => ("临时卡已交回", "temporary card returned"),
        (_, "applied") => ("已申领，等待制卡", "applied for; waiting for production"),
        (_, "in_production") => ("制卡中", "being made"),
        (_, "ready_for_collection") => ("已制成，可领取", "ready for collection"),
        _ => ("未启用", "not in use"),
    };
    tr(lang, zh, en)
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
