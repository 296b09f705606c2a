//! The Chinese catalogue.

use super::{Words, texts};
use crate::portal::i18n::CardState;
use shebao_domain::card::Side;
use shebao_domain::money::ledger::TransferCode;

pub(crate) struct Zh;

impl Words for Zh {
    texts! {
        title: "社会保障卡服务",
        sign_in: "登录",
        sign_out: "退出",
        username: "用户名或身份证号码",
        password: "密码",
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
        change_pin: "修改社保密码",
        which_card: "社会保障卡",
        current_pin: "原密码",
        new_pin: "新密码（六位数字）",
        pin_rule: "不能使用123456等默认密码、相同或连续数字、出生日期或身份证号后六位。",
        pin_changed: "密码已修改。",
        no_card_with_pin: "您还没有已领取、设置了社保密码的卡。",
        no_records_match: "没有符合条件的记录。",
        trail_caption: "审计记录，最新在前",
        records_shown: "条",
        no_employees: "尚无参保职工。",
        employees_caption: "职工（身份证号已遮蔽）",
        nothing_owed: "没有欠缴。",
        arrears_caption: "未缴费的申报",
        no_settlements: "暂无记录",
        settlements_title: "医疗结算记录",
        settlements_caption: "每笔结算的支付构成",
        undone: "已撤销",
        settled: "已结算",
        no_entries: "暂无记录",
        balance_lower: "余额（元）",
        no_contributions: "暂无缴费记录",
        totals_caption: "各险种合计",
        months_caption: "按月明细",
        paid: "已缴",
        owed: "欠缴",
        settle_a_bill: "费用结算",
        bill_number: "单据号",
        visit: "就诊类型",
        bill_lines_caption: "费用明细（空行不计）",
        item_code: "项目编码",
        quantity: "数量",
        unit_price: "单价（元）",
        use_account: "使用个人账户支付",
        social_pin_if_asked: "社保密码（参保地要求时填写）",
        pre_settle: "预结算",
        settle: "结算",
        card_applied: "已受理申领，卡号：",
        temporary_issued: "临时卡已发放（仅限本地区、无金融功能），卡号：",
        identify_patient: "识别参保人：读卡，或电子社保卡；无卡时填身份证号码和原因（仅查询、预结算，记入审计）",
        patient_card_number: "社会保障卡卡号",
        identification_code: "卡识别码",
        ecard_code: "电子社保卡二维码",
        citizen_id_without_card: "身份证号码（无卡时）",
        why_without_card: "无卡原因",
        page_not_found: "页面不存在",
        go_home: "返回首页",
        loss_state: "挂失情况",
        list_separator: "；",
        cancel_loss: "取消临时挂失（已找到卡）",
        confirm_loss_title: "确认临时挂失",
        confirm_loss_text: "临时挂失后，此卡的社保功能和金融功能立即暂停使用，到期自动解除；找到卡后可随时在首页取消挂失。确认丢失的，请到社保窗口或发卡银行网点办理正式挂失并申请补卡，账户资金不受影响。",
        confirm_loss: "确认挂失",
        keep_card: "不挂失，返回首页",
        loss_reported_done: "已临时挂失，此卡暂停使用。",
        loss_cancelled_done: "临时挂失已取消，此卡恢复使用。",
        next_active: "您的社保卡两项功能均可使用。",
        next_temporary_card: "社保功能可以使用；临时卡没有金融功能。",
        next_temporary_loss: "您的卡已临时挂失，到期自动解除。找到卡后可在此取消挂失；确认丢失的，请到社保窗口办理正式挂失并申请补卡。",
        next_formal_loss: "您的卡已正式挂失。请到社保窗口申请补卡；补卡前如已找到，可到窗口解除挂失。",
        next_ask: "如有疑问，请到社保经办窗口或拨打12333咨询。",
        financial_deposit_only: "只收不付（待激活）",
        financial_active: "已激活",
        financial_closed: "已关闭",
        financial_none: "无",
        find_by: "按什么查询",
        number: "号码",
        no_card_found: "没有找到相符的卡，请核对号码。",
        holder: "持卡人",
        session_expired: "您的登录已过期，请重新登录。登录后将回到原来的页面，已填写的内容会恢复（密码除外）。",
        no_login_title: "还没有账号？",
        no_login_text: "已领取社保卡的参保人可以用身份证号码、卡号、芯片识别码和社保密码自助开通账号；也可以携带身份证原件到社保经办窗口开通。",
        enrol_link: "自助开通账号",
        forgot_title: "忘记密码",
        forgot_text: "请携带身份证原件到任一社保经办窗口重置密码，工作人员核验身份后当场给您一次性密码，登录后请立即修改。",
        enrolled: "账号已开通，请用新账号登录。",
        enrol_explain: "已领取社保卡的参保人可在此自助开通账号：请输入身份证号码、卡面上的卡号、芯片识别码和社保密码。社保密码输错会计入锁定次数。",
        citizen_id_plain: "身份证号码",
        new_username: "登录用户名",
        username_rule: "3至64位字母、数字或 . _ -",
        new_password: "登录密码",
        password_rule: "至少12个字符，不要使用身份证号码或生日。",
        enrol_submit: "开通账号",
        back_to_sign_in: "返回登录",
        original_id_checked: "已核验持卡人的身份证原件",
        holder_login: "持卡人网上账号",
        open_login: "开通账号",
        reset_password: "重置密码",
        reset_about: "持卡人忘记密码时使用：生成新的一次性密码，原密码和已登录的会话立即失效。",
        login_issued: "已办理。请把下面的一次性密码交给持卡人，登录后须立即修改；此密码只显示这一次。",
        one_time_password: "一次性密码：",
        declaration_file: "或上传申报文件（XLSX 或 CSV）",
        upload: "上传并申报",
        no_file: "请选择要上传的文件。",
        declaration_format: "文件格式：UTF-8 文本（CSV，英文逗号分隔）或 XLSX 工作簿；首行表头为 citizen_id,month,wage；month 写作 YYYY-MM，wage 为月工资（元，最多两位小数）。",
        ;
        columns {
            audit_columns: [
                "时间",
                "操作人",
                "操作",
                "对象",
                "结果",
                "详情",
            ],
            reconciliation_columns: [
                "单据号",
                "就诊类型",
                "状态",
                "总额（元）",
                "统筹（元）",
                "个人账户（元）",
                "现金（元）",
                "结算时间",
            ],
            employee_columns: [
                "姓名",
                "身份证号码",
                "参保起始月",
                "参保终止月",
            ],
            arrears_columns: [
                "月份",
                "人数（行）",
                "单位缴费（元）",
                "个人缴费（元）",
            ],
            contribution_total_columns: [
                "险种",
                "已缴月数",
                "已缴（元）",
                "欠缴（元）",
            ],
            contribution_month_columns: [
                "月份",
                "险种",
                "缴费基数",
                "单位缴纳",
                "个人缴纳",
                "状态",
                "参保单位",
            ],
            statement_columns: [
                "时间",
                "摘要",
                "金额（元）",
                "余额（元）",
            ],
            settlement_columns: [
                "时间",
                "机构与单据",
                "总额",
                "统筹基金",
                "个人账户",
                "现金",
                "状态",
            ],
            error_file_columns: ["行号", "身份证号码（已遮盖）", "错误代码", "说明"],
            split_parts: [
                "费用总额",
                "自费",
                "超限价",
                "乙类先行自付",
                "政策范围内",
                "起付线",
                "统筹基金支付",
                "大额补充支付",
                "个人账户支付",
                "现金支付",
            ],
        }
    }

    fn insurance(&self, code: &str) -> &'static str {
        match code {
            "pension" => "养老保险",
            "medical" => "医疗保险",
            "unemployment" => "失业保险",
            "work_injury" => "工伤保险",
            "maternity" => "生育保险",
            _ => "-",
        }
    }

    fn card_state(&self, state: CardState) -> &'static str {
        match state {
            CardState::InUse => "正常使用",
            CardState::BothSidesLost => "两项功能均已挂失",
            CardState::SocialSideLost => "社保功能已挂失",
            CardState::FinancialSideLost => "金融功能已挂失",
            CardState::Expired => "已过期",
            CardState::Replaced => "已补换，旧卡失效",
            CardState::Cancelled => "已注销",
            CardState::Returned => "临时卡已交回",
            CardState::Applied => "已申领，等待制卡",
            CardState::InProduction => "制卡中",
            CardState::ReadyForCollection => "已制成，可领取",
            CardState::NotInUse => "未启用",
        }
    }

    fn side_loss(&self, side: Side, temporary: bool) -> &'static str {
        match (side, temporary) {
            (Side::Social, true) => "社保功能临时挂失至",
            (Side::Financial, true) => "金融功能临时挂失至",
            (Side::Social, false) => "社保功能已正式挂失",
            (Side::Financial, false) => "金融功能已正式挂失",
        }
    }

    fn next_deposit_only(&self, bank: &str) -> String {
        format!(
            "您的银行账户目前只能存入、不能支取（只收不付）：请携带本卡和身份证原件到{bank}任一网点激活金融功能并设置密码。"
        )
    }

    fn next_ready(&self, point: &str) -> String {
        format!("您的卡已制成，请携带身份证原件到{point}领取。")
    }

    fn transfer(&self, code: &str) -> &'static str {
        match TransferCode::parse(code) {
            Some(TransferCode::CashDeposit) => "现金存款",
            Some(TransferCode::CashWithdrawal) => "现金取款",
            Some(TransferCode::Purchase) => "消费",
            Some(TransferCode::PensionCredit) => "养老金发放",
            Some(TransferCode::BenefitCredit) => "待遇发放",
            Some(TransferCode::Transfer) => "转账",
            Some(TransferCode::Reversal) => "冲正",
            Some(TransferCode::Contribution) => "社保缴费入账",
            Some(TransferCode::Interest) => "个人账户记息",
            Some(TransferCode::MedicalSettlement) => "医疗费用结算",
            None => "-",
        }
    }

    fn card_search_kinds(&self) -> [(&'static str, &'static str); 3] {
        [
            ("card_number", "社保卡卡号"),
            ("citizen_id", "身份证号码"),
            ("bank_card_number", "银行卡号"),
        ]
    }

    fn sign_in_failed_tries(&self, tries_left: u32) -> String {
        format!("用户名或密码不正确。再错{tries_left}次，此处的登录将暂停一段时间。")
    }
}
