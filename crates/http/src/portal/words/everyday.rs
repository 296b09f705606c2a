//! Everyday use's words (issue 19): the holder's electronic card (its codes shown as QR
//! codes, taking and revoking it) and the staff's page that checks a code. Its own trait
//! beside [`super::Words`] (a supertrait of it), declared like it, so a word missing in
//! either language does not build.

use super::en::En;
use super::texts;
use super::zh::Zh;

/// Declares [`EverydayWords`]: its plain texts, then its tables' column headers.
macro_rules! everyday_keys {
    ($($key:ident),* $(,)? ; columns { $($columns:ident: $count:literal),* $(,)? }) => {
        /// Everyday use's texts, in one language.
        pub(crate) trait EverydayWords {
            $(fn $key(&self) -> &'static str;)*
            $(fn $columns(&self) -> [&'static str; $count];)*
            /// A code's purpose or a revocation's reason in words (the code itself when it
            /// is neither).
            fn everyday_code<'a>(&self, code: &'a str) -> &'a str;
        }
    };
}

everyday_keys! {
    ecard_nav, ecard_title, ecard_explain, ecard_none, ecard_card, ecard_take_title,
    ecard_take_explain, ecard_pin, ecard_take_submit, ecard_taken_done, ecard_identity,
    ecard_payment, ecard_code_alt, ecard_expires, ecard_refresh_note, ecard_code_text,
    ecard_revoke_title, ecard_revoke_reason, ecard_revoke_submit, ecard_revoked_done,
    ecard_revoke_confirm, ecard_unavailable, check_nav, check_title, check_explain,
    check_code, check_purpose, check_submit, check_camera, check_camera_stop, check_valid,
    check_payment_used, check_offline_note;
    columns {}
}

impl EverydayWords for En {
    texts! {
        ecard_nav: "Electronic card",
        ecard_title: "Electronic social security card",
        ecard_explain: "Your electronic card has the status of your card: when the card is reported lost, its codes stop at once. Show the identity code to prove who you are; the payment code pays from the card's financial account once it is activated. Each code works for a few minutes only, and this page shows a fresh one by itself.",
        ecard_none: "You have no collected card: the electronic card comes with a valid card.",
        ecard_card: "Card",
        ecard_take_title: "Take the electronic card",
        ecard_take_explain: "Confirm with the card's social security PIN (the one you chose when you collected it). A wrong PIN counts toward the card's lock.",
        ecard_pin: "Social security PIN",
        ecard_take_submit: "Take the electronic card",
        ecard_taken_done: "Your electronic card is ready.",
        ecard_identity: "Identity code",
        ecard_payment: "Payment code",
        ecard_code_alt: "QR code of the electronic card",
        ecard_expires: "Works until",
        ecard_refresh_note: "The page refreshes by itself before the code stops working.",
        ecard_code_text: "The code as text",
        ecard_revoke_title: "Revoke the electronic card",
        ecard_revoke_reason: "Why",
        ecard_revoke_submit: "Revoke",
        ecard_revoked_done: "The electronic card is revoked: its codes no longer work. You may take a new one.",
        ecard_revoke_confirm: "I understand that every code of this electronic card stops working at once.",
        ecard_unavailable: "No code can be shown now",
        check_nav: "Check an electronic card's code",
        check_title: "Check an electronic card's code",
        check_explain: "Scan the holder's QR code with the camera, or paste the code's text. The check reads the card as it is now: a lost card, a revoked electronic card, an expired code or a payment code already used is refused. Each check is recorded as a look-up of the holder.",
        check_code: "The code",
        check_purpose: "Kind of code",
        check_submit: "Check",
        check_camera: "Scan with the camera",
        check_camera_stop: "Stop the camera",
        check_valid: "The code is valid.",
        check_payment_used: "The payment code's one use is recorded.",
        check_offline_note: "Readers without a connection check codes with the published keys at /.well-known/shebao/ecard-keys.",
        ;
        columns {}
    }

    fn everyday_code<'a>(&self, code: &'a str) -> &'a str {
        match code {
            "identity" => "identity code",
            "payment" => "payment code",
            "device_lost" => "phone or device lost",
            "holder_request" => "I no longer want it",
            "fraud_suspected" => "fraud suspected",
            other => other,
        }
    }
}

impl EverydayWords for Zh {
    texts! {
        ecard_nav: "电子社保卡",
        ecard_title: "电子社保卡",
        ecard_explain: "电子社保卡与实体卡状态一致：实体卡挂失后，电子社保卡的二维码立即停用。出示身份码证明本人身份；付款码在卡的金融账户激活后从该账户付款。每个二维码只在几分钟内有效，本页会自动刷新。",
        ecard_none: "您没有已领取的社保卡：须持有有效的实体卡才能申领电子社保卡。",
        ecard_card: "社保卡",
        ecard_take_title: "申领电子社保卡",
        ecard_take_explain: "请输入该卡的社保密码（领卡时设置的密码）确认。密码错误将计入锁卡次数。",
        ecard_pin: "社保密码",
        ecard_take_submit: "申领电子社保卡",
        ecard_taken_done: "电子社保卡已开通。",
        ecard_identity: "身份码",
        ecard_payment: "付款码",
        ecard_code_alt: "电子社保卡二维码",
        ecard_expires: "有效至",
        ecard_refresh_note: "二维码失效前本页会自动刷新。",
        ecard_code_text: "二维码内容",
        ecard_revoke_title: "注销电子社保卡",
        ecard_revoke_reason: "原因",
        ecard_revoke_submit: "注销",
        ecard_revoked_done: "电子社保卡已注销，其二维码不再有效。您可以重新申领。",
        ecard_revoke_confirm: "我知道注销后该电子社保卡的所有二维码立即失效。",
        ecard_unavailable: "暂时无法显示二维码",
        check_nav: "核验电子社保卡二维码",
        check_title: "核验电子社保卡二维码",
        check_explain: "用摄像头扫描持卡人的二维码，或粘贴二维码内容。核验时读取卡的当前状态：卡已挂失、电子社保卡已注销、二维码已过期或付款码已使用的，均不予通过。每次核验都作为查询持卡人记录登记。",
        check_code: "二维码内容",
        check_purpose: "二维码类型",
        check_submit: "核验",
        check_camera: "用摄像头扫描",
        check_camera_stop: "关闭摄像头",
        check_valid: "二维码有效。",
        check_payment_used: "已登记此付款码的唯一一次使用。",
        check_offline_note: "无网络的读卡设备可用公开的签名公钥离线核验二维码。",
        ;
        columns {}
    }

    fn everyday_code<'a>(&self, code: &'a str) -> &'a str {
        match code {
            "identity" => "身份码",
            "payment" => "付款码",
            "device_lost" => "手机或设备丢失",
            "holder_request" => "本人不再使用",
            "fraud_suspected" => "疑似冒用",
            other => other,
        }
    }
}
