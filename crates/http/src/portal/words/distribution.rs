//! Distribution's words (issue 18, item 5): the pick-up desk (a region's points, a point's
//! shipments counted and its uncollected cards recalled), the production desk's points and
//! the holder's choice of point. Its own trait beside [`super::Words`] (a supertrait of it),
//! declared like it, so a word missing in either language does not build.

use super::en::En;
use super::texts;
use super::zh::Zh;

/// Declares [`DistributionWords`]: its plain texts, then its tables' column headers.
macro_rules! distribution_keys {
    ($($key:ident),* $(,)? ; columns { $($columns:ident: $count:literal),* $(,)? }) => {
        /// Distribution's texts, in one language.
        pub(crate) trait DistributionWords {
            $(fn $key(&self) -> &'static str;)*
            $(fn $columns(&self) -> [&'static str; $count];)*
            /// A point's kind or a shipment's status in words (the code itself when it is
            /// neither).
            fn distribution_code<'a>(&self, code: &'a str) -> &'a str;
        }
    };
}

distribution_keys! {
    pickup_nav, pickup_title, pickup_explain, pickup_region, pickup_show, points_title,
    points_none, points_caption, point_default_mark, point_serving,
    shipments_title, shipments_none, shipments_caption, receipt_counted, receipt_missing,
    receipt_missing_hint, receipt_submit, receipt_done, uncollected_title, uncollected_none,
    uncollected_caption, uncollected_no_period, recall_submit, recall_done,
    point_register_title, point_kind, point_branch, point_name, point_address, point_hours,
    point_capacity, point_default, point_register, point_registered_done, collection_place,
    collection_choose, collection_chosen_done, collection_default_note, collection_none,
    collection_hours, collection_choose_required, point_waiting, point_places,
    mail_title, mail_address, mail_postcode, mail_choose, mail_chosen_done, mail_to,
    mail_status_chosen, mail_status_posted, mail_status_delivered, mail_status_returned,
    mail_status_withdrawn, mail_tracking, mail_pin, mail_collect_submit, mail_collected_done,
    mail_to_post_notice, mail_posted_notice, mail_delivered_notice, mail_queue_title,
    mail_queue_none, mail_queue_caption, mail_carrier, mail_post_submit, mail_posted_done,
    mail_citizen_id, mail_delivered_submit, mail_return_reason, mail_returned_submit,
    mail_reported_done, mail_lost_reason, mail_lost_submit, instant_issue_title, instant_issue_explain, instant_issued_done,
    instant_report_title, instant_made_submit, instant_spoiled_reason, instant_spoiled_submit,
    instant_reported_done;
    columns {
        points_columns: 6,
        shipments_columns: 5,
        uncollected_columns: 2,
        mail_columns: 5,
    }
}

impl DistributionWords for En {
    texts! {
        pickup_nav: "Pick-up points",
        pickup_title: "Pick-up points",
        pickup_explain: "A shipment is counted once at its point: the cards found and the cards missing (by their identification codes) account for every card sent. Each card found is ready for collection and its holder told; each missing card is cancelled and applied for again under new numbers. Cards left past the region's period are recalled. The bureau's clerks serve the service centres, a bank's tellers their own branch.",
        pickup_region: "Region",
        pickup_show: "Show",
        points_title: "The region's pick-up points",
        points_none: "The region has no pick-up point.",
        points_caption: "Pick-up points, by name",
        point_default_mark: "default",
        point_serving: "You serve this point.",
        shipments_title: "Shipments",
        shipments_none: "No shipment was sent here.",
        shipments_caption: "Shipments to this point, the newest first",
        receipt_counted: "Cards counted",
        receipt_missing: "Missing cards' identification codes",
        receipt_missing_hint: "One code a line; leave empty when every card is here.",
        receipt_submit: "Record the count",
        receipt_done: "The shipment is counted: the holders of the cards found are told.",
        uncollected_title: "Cards not collected in time",
        uncollected_none: "No card waits past the region's period.",
        uncollected_caption: "Cards waiting past the region's period, the oldest first",
        uncollected_no_period: "The region has set no period: no card is recalled.",
        recall_submit: "Recall these cards",
        recall_done: "The cards are recalled and cancelled; their holders apply again.",
        point_register_title: "Register a pick-up point",
        point_kind: "Kind",
        point_branch: "Bank branch (for a branch only)",
        point_name: "Name",
        point_address: "Address",
        point_hours: "Opening hours",
        point_capacity: "Places (cards waiting at once)",
        point_default: "The region's default point (a service centre)",
        point_register: "Register",
        point_registered_done: "The pick-up point is registered.",
        collection_place: "Collect at",
        collection_choose: "Choose this point",
        collection_chosen_done: "Your card will be sent to the point you chose.",
        collection_default_note: "Unless you choose, the card goes to the region's default point.",
        collection_none: "The region has no pick-up point yet.",
        collection_hours: "Opening hours",
        collection_choose_required: "The region has no default point: choose where to collect your card, or it cannot be sent.",
        point_waiting: "Waiting",
        point_places: "places",
        mail_title: "Or have it posted to you",
        mail_address: "Postal address (province, city, district, street and number)",
        mail_postcode: "Postcode",
        mail_choose: "Post it to me",
        mail_chosen_done: "Your card will be posted to the address you gave, from the region's default point.",
        mail_to: "By post",
        mail_status_chosen: "to be posted",
        mail_status_posted: "in the post",
        mail_status_delivered: "delivered into your hands",
        mail_status_returned: "brought back to the point",
        mail_status_withdrawn: "not posted (collected at a point)",
        mail_tracking: "Tracking number",
        mail_pin: "Choose your social security PIN (6 digits)",
        mail_collect_submit: "Start using my card",
        mail_collected_done: "Your card is collected: its social security side works now.",
        mail_to_post_notice: "Your card will be posted to you shortly.",
        mail_posted_notice: "Your card is in the post:",
        mail_delivered_notice: "Your card was delivered into your hands: choose your social security PIN below to start using it.",
        mail_queue_title: "Cards to post",
        mail_queue_none: "No card waits to be posted.",
        mail_queue_caption: "Cards to post or in the post, the oldest order first",
        mail_carrier: "Carrier",
        mail_post_submit: "Record it posted",
        mail_posted_done: "The card is posted: its holder is told.",
        mail_citizen_id: "ID number the carrier read from the ID card",
        mail_delivered_submit: "Delivered",
        mail_return_reason: "Why it came back",
        mail_returned_submit: "Brought back",
        mail_reported_done: "The carrier's report is recorded.",
        mail_lost_reason: "What the carrier said of the loss",
        mail_lost_submit: "Lost by the carrier (make the card again)",
        instant_issue_title: "Make the card here",
        instant_issue_explain: "The branch's issuance device personalises a blank card now: the card's data and keys are sealed to the device, never shown.",
        instant_issued_done: "The card's data and keys are sealed to the branch's device. Record what the device reports.",
        instant_report_title: "What the device reported",
        instant_made_submit: "The card is made",
        instant_spoiled_reason: "Why the blank was spoiled",
        instant_spoiled_submit: "The blank is spoiled",
        instant_reported_done: "The device's report is recorded.",
        ;
        columns {
            points_columns: ["Point", "Kind", "Address", "Opening hours", "Waiting / places", "Default"],
            shipments_columns: ["Shipped", "Cards", "Status", "Counted / missing", "Count"],
            uncollected_columns: ["Card number", "Received"],
            mail_columns: ["Card number", "Address", "Postcode", "Status", "Post or report"],
        }
    }

    fn distribution_code<'a>(&self, code: &'a str) -> &'a str {
        match code {
            "bank_branch" => "bank branch",
            "service_centre" => "service centre",
            "in_transit" => "on its way",
            "received" => "counted",
            "chosen" => "to post",
            "posted" => "in the post",
            other => other,
        }
    }
}

impl DistributionWords for Zh {
    texts! {
        pickup_nav: "领卡网点",
        pickup_title: "领卡网点",
        pickup_explain: "每批到达网点的卡清点一次：清点到的卡数与缺失卡（按卡识别码）之和须等于发出的卡数。清点到的卡即可领取，并通知持卡人；缺失的卡予以注销，并以新卡号重新申领。超过本地区规定期限未领取的卡予以回收。社保经办人员负责社保服务中心，银行柜员负责本网点。",
        pickup_region: "地区",
        pickup_show: "查看",
        points_title: "本地区领卡网点",
        points_none: "本地区尚无领卡网点。",
        points_caption: "领卡网点（按名称排列）",
        point_default_mark: "默认",
        point_serving: "您负责此网点。",
        shipments_title: "到卡批次",
        shipments_none: "尚无发往本网点的卡。",
        shipments_caption: "发往本网点的卡，最新的在前",
        receipt_counted: "清点到的卡数",
        receipt_missing: "缺失卡的卡识别码",
        receipt_missing_hint: "每行一个；全部到齐时留空。",
        receipt_submit: "登记清点结果",
        receipt_done: "已登记清点结果，并已通知到卡的持卡人。",
        uncollected_title: "逾期未领的卡",
        uncollected_none: "没有超过规定期限未领取的卡。",
        uncollected_caption: "超过规定期限未领取的卡，最早的在前",
        uncollected_no_period: "本地区未规定领卡期限，不回收卡。",
        recall_submit: "回收这些卡",
        recall_done: "已回收并注销这些卡，持卡人须重新申领。",
        point_register_title: "登记领卡网点",
        point_kind: "类型",
        point_branch: "银行网点编号（仅银行网点填写）",
        point_name: "名称",
        point_address: "地址",
        point_hours: "营业时间",
        point_capacity: "容量（可同时存放的卡数）",
        point_default: "本地区默认网点（须为社保服务中心）",
        point_register: "登记",
        point_registered_done: "领卡网点已登记。",
        collection_place: "领卡地点",
        collection_choose: "选择此网点",
        collection_chosen_done: "您的卡将送往您选择的网点。",
        collection_default_note: "如不选择，卡将送往本地区默认网点。",
        collection_none: "本地区尚无领卡网点。",
        collection_hours: "营业时间",
        collection_choose_required: "本地区没有默认领卡网点：请选择领卡网点，否则卡无法寄送。",
        point_waiting: "待领",
        point_places: "容量",
        mail_title: "或邮寄到家",
        mail_address: "邮寄地址（省、市、区、街道、门牌号）",
        mail_postcode: "邮政编码",
        mail_choose: "邮寄给我",
        mail_chosen_done: "您的卡将从本地区默认网点邮寄到您填写的地址。",
        mail_to: "邮寄",
        mail_status_chosen: "待邮寄",
        mail_status_posted: "邮寄中",
        mail_status_delivered: "已由本人签收",
        mail_status_returned: "已退回网点",
        mail_status_withdrawn: "未邮寄（已在网点领取）",
        mail_tracking: "邮件单号",
        mail_pin: "设置社保密码（6位数字）",
        mail_collect_submit: "启用我的卡",
        mail_collected_done: "您的卡已领取，社保功能已启用。",
        mail_to_post_notice: "您的卡即将邮寄给您。",
        mail_posted_notice: "您的卡已邮寄：",
        mail_delivered_notice: "您的卡已由您本人签收：请在下方设置社保密码以启用。",
        mail_queue_title: "待邮寄的卡",
        mail_queue_none: "没有待邮寄的卡。",
        mail_queue_caption: "待邮寄和邮寄中的卡，最早的在前",
        mail_carrier: "承运单位",
        mail_post_submit: "登记交寄",
        mail_posted_done: "已登记交寄，并已通知持卡人。",
        mail_citizen_id: "投递员核验的身份证号码",
        mail_delivered_submit: "登记本人签收",
        mail_return_reason: "退回原因",
        mail_returned_submit: "登记退回",
        mail_reported_done: "已登记投递结果。",
        mail_lost_reason: "承运单位对遗失的说明",
        mail_lost_submit: "邮寄遗失（重新制卡）",
        instant_issue_title: "现场制卡",
        instant_issue_explain: "由本网点的即时制卡设备立即个人化一张空白卡：卡片数据和密钥加密发送至设备，不显示。",
        instant_issued_done: "卡片数据和密钥已加密发送至本网点的制卡设备，请登记设备回报的结果。",
        instant_report_title: "设备回报结果",
        instant_made_submit: "卡已制成",
        instant_spoiled_reason: "空白卡报废原因",
        instant_spoiled_submit: "空白卡报废",
        instant_reported_done: "已登记设备回报的结果。",
        ;
        columns {
            points_columns: ["网点", "类型", "地址", "营业时间", "待领 / 容量", "默认"],
            shipments_columns: ["发出时间", "卡数", "状态", "清点 / 缺失", "清点"],
            uncollected_columns: ["卡号", "到达日期"],
            mail_columns: ["卡号", "地址", "邮编", "状态", "交寄或投递结果"],
        }
    }

    fn distribution_code<'a>(&self, code: &'a str) -> &'a str {
        match code {
            "bank_branch" => "银行网点",
            "service_centre" => "社保服务中心",
            "in_transit" => "在途",
            "received" => "已清点",
            "chosen" => "待邮寄",
            "posted" => "邮寄中",
            other => other,
        }
    }
}
