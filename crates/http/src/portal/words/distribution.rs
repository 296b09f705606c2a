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
    collection_hours, collection_choose_required, point_waiting, point_places;
    columns {
        points_columns: 6,
        shipments_columns: 5,
        uncollected_columns: 2,
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
        ;
        columns {
            points_columns: ["Point", "Kind", "Address", "Opening hours", "Waiting / places", "Default"],
            shipments_columns: ["Shipped", "Cards", "Status", "Counted / missing", "Count"],
            uncollected_columns: ["Card number", "Received"],
        }
    }

    fn distribution_code<'a>(&self, code: &'a str) -> &'a str {
        match code {
            "bank_branch" => "bank branch",
            "service_centre" => "service centre",
            "in_transit" => "on its way",
            "received" => "counted",
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
        ;
        columns {
            points_columns: ["网点", "类型", "地址", "营业时间", "待领 / 容量", "默认"],
            shipments_columns: ["发出时间", "卡数", "状态", "清点 / 缺失", "清点"],
            uncollected_columns: ["卡号", "到达日期"],
        }
    }

    fn distribution_code<'a>(&self, code: &'a str) -> &'a str {
        match code {
            "bank_branch" => "银行网点",
            "service_centre" => "社保服务中心",
            "in_transit" => "在途",
            "received" => "已清点",
            other => other,
        }
    }
}
