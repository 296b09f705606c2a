//! The Chinese catalogue.

use super::{Words, texts};

pub(crate) struct Zh;

impl Words for Zh {
    texts! {
        title: "社会保障卡服务",
        sign_in: "登录",
        sign_out: "退出",
        username: "用户名或身份证号码",
        password: "密码",
        sign_in_failed: "用户名或密码不正确。",
        sign_in_locked: "此处登录失败次数过多，请稍后再试。",
        sign_in_throttled: "此网络地址的登录尝试过多，请一分钟后再试。",
        switch: "English",
        home: "首页",
        my_cards: "我的社会保障卡",
        card_number: "卡号",
        bank_card: "银行卡号",
        status: "状态",
        social_side: "社保功能",
        financial_side: "金融（银行）功能",
        balance: "余额（元）",
        next_step: "下一步",
        no_card: "您还没有社会保障卡。请到社保经办窗口申领。",
        report_loss: "临时挂失",
        desk_teller: "银行柜台",
        desk_clerk: "社保经办窗口",
        find_card: "查询卡",
        card_id: "卡编号",
        find: "查询",
        activate: "激活金融功能",
        citizen_id: "身份证号码（核验原件）",
        pin_pad: "请持卡人在密码键盘上输入六位密码",
        activated: "金融功能已激活。",
        deposit: "现金存款",
        amount_yuan: "金额（元）",
        deposited: "已存入。",
        awaiting_approval: "超出个人限额，已提交复核：另一名柜员批准后入账。",
        find_person: "按身份证号码查询参保人",
        person: "参保人",
        not_found: "没有找到。",
        api_desk: "您的岗位通过接口办理业务：",
        refused: "未能办理：",
        nul_refused: "输入中含有不允许的字符（NUL）。",
        too_large: "提交的内容过大。",
        csrf: "表单已过期，请刷新后重试。",
    }
}
