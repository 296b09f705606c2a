//! The Chinese catalogue.

use super::{Words, texts, zh_audit};
use crate::portal::i18n::CardState;
use shebao_domain::card::Side;
use shebao_domain::money::ledger::TransferCode;

pub(crate) struct Zh;

impl Words for Zh {
    texts! {
        detail_list_separator: "、",
        yes: "是",
        no: "否",
        card_done_replacement: "已受理补卡，旧卡已失效。新卡：",
        card_action_production: "开始制卡",
        card_action_ready: "已送达发放网点",
        card_action_collect: "发放（领卡）",
        card_action_loss: "挂失",
        card_action_cancel_loss: "解除挂失",
        card_action_replacement: "补卡",
        card_action_cancel: "注销",
        card_done_production: "已开始制卡。",
        card_done_ready: "卡已送达发放网点，可通知持卡人领取。",
        card_done_collect: "卡已发放，社保功能已启用；银行账户为只收不付，需到本卡银行激活金融功能。",
        card_done_loss: "已挂失。",
        card_done_cancel_loss: "已解除挂失。",
        card_done_cancel: "卡已注销。",
        cancel_loss_side: "解除挂失的功能",
        cancel_reason: "注销原因",
        collect_hint: "核验身份证原件后录入号码；持卡人在密码键盘上设置六位社保密码。",
        social_pin_six_digits: "社保密码（六位数字）",
        loss_side: "挂失功能",
        loss_kind: "挂失方式",
        replacement_warning: "补卡后旧卡立即永久失效，新卡沿用原银行账户。",
        cancel_warning: "账户仍有余额时不能注销。",
        household_region_code: "户籍地区（六位行政区划代码）",
        phone_optional: "手机号码（可不填）",
        register: "登记",
        back_to_window: "返回窗口首页",
        correct_marked_field: "未能办理：请更正下面标出的项目。",
        citizen_id_not_echoed: "为保护个人信息，身份证号码不会回显，请重新录入（核验原件）。",
        citizen_id_from_original: "核验身份证原件后录入。",
        nationality_code: "国籍（三位字母代码）",
        registered: "登记成功。",
        bill_needs_a_line: "请至少填写一行费用。",
        identify_one_way: "请只用一种方式识别参保人：读卡（卡号和卡识别码）、电子社保卡二维码，或身份证号码加原因。",
        settled_done: "已结算。",
        pre_settled_done: "预结算结果如下，尚未扣款。",
        settlement_undone_done: "已撤销结算。",
        settled_bills: "已结算笔数",
        undone_bills: "已撤销笔数",
        total_yuan: "费用总额（元）",
        pooled_fund_yuan: "统筹基金（元）",
        personal_accounts_yuan: "个人账户（元）",
        cash_yuan: "现金（元）",
        no_settlements_that_day: "当日没有结算。",
        days_settlements: "当日结算明细",
        day_reconciliation: "当日对账",
        reconciliation_date: "日期（本机构所在地的日期）",
        back_to_cashier_desk: "返回结算窗口",
        visit_outpatient: "门诊",
        visit_inpatient: "住院",
        visit_pharmacy: "药店购药",
        settlement_preview: "预结算（未扣款）",
        bill: "单据",
        split_part: "项目",
        split_yuan: "金额（元）",
        insured_retired: "退休",
        insured_working: "在职",
        balance_needs_card: "未读卡，不显示",
        insured_region: "参保地",
        insured_status: "人员类别",
        personal_account_balance: "个人账户余额（元）",
        insured_person: "参保信息",
        cashier_desk: "医保结算窗口",
        find_insured: "参保人查询",
        holder_nav_contributions: "缴费记录与合计",
        holder_nav_accounts: "个人账户与银行账户明细",
        holder_nav_settlements: "医疗结算记录",
        holder_nav_certificate: "下载参保缴费证明",
        holder_nav: "我的社保",
        holder_only: "此页面仅供持卡人使用。",
        my_contributions: "我的缴费记录",
        pension_paid_total: "养老保险累计缴费（元）",
        medical_paid_total: "医疗保险累计缴费（元）",
        contribution_time: "累计缴费年限",
        years_unit: "年",
        months_unit: "个月",
        register_person: "登记参保人",
        kind_temporary_card: "临时卡",
        kind_standard_card: "社会保障卡",
        loss_temporary: "临时挂失",
        loss_formal: "正式挂失",
        loss_none: "未挂失",
        gender_male: "男",
        gender_female: "女",
        household_urban: "城镇",
        household_rural: "农村",
        handle_at_window: "窗口办理",
        unmasked_notice: "按所填事由显示完整信息，仅在本页显示一次，已记入审计。",
        person_name: "姓名",
        gender: "性别",
        birth_date: "出生日期",
        nationality: "国籍",
        household_region: "户籍地区",
        household_kind: "户口性质",
        phone: "手机号码",
        registered_at: "登记时间",
        show_in_clear: "查看完整信息",
        unmask_reason: "查看事由",
        unmask_reason_hint: "事由将记入审计，完整信息只显示一次。",
        person_cards: "社会保障卡",
        no_card_yet: "尚无社会保障卡。",
        no_bank_or_region: "尚未配置合作银行或地区，暂不能申领。",
        apply_for_card: "申领社会保障卡",
        service_bank_choice: "服务银行（持卡人选择）",
        apply_region: "申领地区",
        issue_temporary_card: "发放临时卡",
        temporary_card_about: "临时卡当场发放，只有社保功能，只能在发卡地区使用。",
        issue_region: "发卡地区",
        social_pin_on_pad: "社保密码（持卡人在密码键盘上输入六位数字）",
        open_new_card: "打开新卡",
        loss_until: "至",
        account_and_balance: "账户与余额",
        card_kind: "卡类型",
        none_temporary_card: "无（临时卡）",
        service_bank: "服务银行",
        region: "地区",
        distribution_point: "发放网点",
        applied_at: "申领时间",
        collected_at: "领卡时间",
        valid_until: "有效期至",
        replaces: "补换自",
        replaced_by: "已补换为",
        card_done_with: "此卡已不能办理业务。",
        what_can_be_done: "可办理业务",
        not_your_desk: "此页面不属于您的岗位。",
        unlock_pin: "密码解锁",
        unlock_explain: "请核验持卡人本人及身份证原件后再解锁。",
        unlock_financial_pin: "解锁金融（银行）密码",
        unlock_social_pin: "解锁社保密码",
        unlock_choose_pin: "请选择要解锁的密码。",
        financial_pin_unlocked: "金融密码已解锁。",
        social_pin_unlocked: "社保密码已解锁。",
        cash_withdrawal: "现金取款",
        back_to_card: "返回卡片",
        help_financial_lost: "您的卡金融功能已挂失，暂停使用；挂失解除前不能支取或消费。",
        help_not_activated: "您的卡尚未激活金融功能，目前只能存入、不能支取。",
        help_activated: "您的卡金融功能已激活，无需再到银行办理。",
        help_no_financial: "这张卡没有金融功能。",
        help_pin_locked: "您的社保密码已锁定，请携带身份证到窗口解锁。",
        help_pin_not_locked: "您的社保密码未锁定。",
        help_your_card: "您的卡",
        help_activation_question: "社保卡需要到银行激活吗？",
        help_activation_answer: "社保功能领卡即可使用；金融（银行）功能需本人携带社保卡和身份证原件到发卡银行任一网点激活并设置密码，激活前只能存入、不能支取。",
        help_lost_question: "卡丢了怎么办？",
        help_lost_answer: "可在网上或拨打12333临时挂失，临时挂失到期自动解除；到窗口书面正式挂失后可申请补卡，旧卡永久失效，账户资金不受影响。",
        help_pins_question: "有几个密码？",
        help_pins_answer: "两个：社保密码（多次输错会锁定，需到窗口解锁）和金融密码（激活时在银行设置，输错三次锁定，需到发卡银行柜台解锁）。",
        help_uses_question: "社保卡能做什么？",
        help_uses_answer: "查询养老、医疗、失业、工伤、生育保险缴费；在医院和药店实时结算医保；领取养老金等待遇；激活后可作为银行卡使用。",
        help_title: "常见问题",
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
        audit_title: "审计",
        audit_filters: "筛选（留空表示不限）",
        audit_actor_contains: "操作人（包含）",
        audit_action_label: "操作",
        any_action: "全部操作",
        audit_subject_contains: "对象（包含）",
        date_from: "起始日期",
        date_to: "截止日期（含）",
        show: "查看",
        who_unmasked: "谁查看了完整身份信息",
        all_records: "全部记录",
        export_csv: "按当前筛选导出CSV",
        verify_title: "校验审计链",
        verify_explain: "逐条校验每条审计链的哈希、链接和连续性。",
        verify: "开始校验",
        next_page: "下一页（更早的记录）",
        outcome_ok: "成功",
        outcome_denied: "越权，已拒绝",
        outcome_refused: "拒绝：",
        bad_date: "日期应写作 YYYY-MM-DD。",
        chains_intact: "所有审计链完整。记录数：",
        chains_broken: "审计链有断裂！记录数：",
        export_cut: "导出已达上限，之后的记录未导出；请缩小筛选范围或按日期分段导出。",
        amount_missing: "请填写金额，例如 100 或 100.50。",
        amount_not_number: "金额只能是数字，例如 100 或 100.50。",
        amount_not_positive: "金额须大于零。",
        amount_decimals: "金额最多两位小数（到分）。",
        amount_too_large: "金额过大。",
        confirm_first: "此业务办理后不能撤销：请先勾选确认。",
        confirm_irreversible: "我已向持卡人说明后果并确认办理",
        outside_catalogue: "以下项目代码不在医保目录中，已按自费计算；请核对代码，确认无误后再结算：",
        more_rows: "再加5行",
        certificate_check_title: "核验参保缴费证明",
        verify_lead: "输入证明上的验证码，或扫描证明上的二维码，可查看本机构出具的证明内容；上传PDF可核对是否为原件。",
        verify_issued: "此证明由本机构出具，内容如下。",
        verify_unknown: "查无此验证码的证明：证明可能是伪造的，或验证码输入有误。",
        verify_code: "验证码",
        verify_issued_at: "出具时间",
        verify_holder: "参保人",
        verify_months: "养老保险缴费月数",
        verify_pension_total: "养老保险累计缴费（元）",
        verify_medical_total: "医疗保险累计缴费（元）",
        verify_upload: "上传证明PDF核对",
        verify_check: "核对",
        verify_matches: "上传的PDF与本机构出具的原件完全一致。",
        verify_differs: "上传的PDF与出具的原件不一致：它被改动过，或不是此验证码的证明。",
        certificate_title: "参保缴费证明",
        certificate_lead: "证明为中英文PDF，盖有经办机构证明专用章，附验证码和二维码：新单位或房东扫码即可核验真伪，无需登录。",
        certificate_issue: "开具并下载证明",
        no_certificates: "您还没有开具过证明。",
        certificates_caption: "已开具的证明（最近20份）",
        download_pdf: "下载PDF",
        my_accounts: "我的账户",
        account_pension: "个人养老账户",
        account_medical: "个人医疗账户",
        account_bank: "社保卡银行账户",
        all_entries: "全部明细、按日期筛选与导出",
        statement_filters: "按日期筛选明细",
        back_to_accounts: "返回我的账户",
        card_history: "卡片记录",
        notifications: "消息提醒",
        confirm_undo: "我已核对单据号，撤销后医保基金、个人账户和现金支付的款项将全部退回",
        undo_confirm_first: "撤销结算前请先勾选确认。",
        print_receipt: "打印回执",
        receipt_deposit: "存款回执",
        receipt_withdrawal: "取款回执",
        receipt_settlement: "医疗费用结算回执",
        receipt_undo: "撤销结算回执",
        chart_contributions: "近24个月已缴费用（元）",
        chart_contributions_desc: "每月一根柱：下段实心为个人缴纳，上段斜线为单位缴纳；数字见下表。",
        part_individual: "个人缴纳",
        part_employer: "单位缴纳",
        chart_balance: "余额变化（元）",
        chart_balance_desc: "本页每笔记录后的余额，自左向右由早到晚；数字见下表。",
        undo_title: "撤销结算",
        bill_number_label: "单据号",
        undo_reason_label: "撤销原因（4至200字）",
        undo_reason: "撤销原因",
        reconcile_today: "当日对账",
        catalogue_title: "医保目录查询",
        catalogue_label: "项目编码或名称的一部分",
        catalogue_find: "查找",
        catalogue_none: "目录中没有相符的项目（目录外项目按自费结算）。",
        catalogue_caption: "相符的目录项目（当前有效版本）",
        class_a: "甲类",
        class_b: "乙类",
        class_self_paid: "自费",
        no_limit: "不限",
        namesakes_caption: "同名人员：请核对身份证件后选择",
        number_or_name: "号码或姓名",
        employer_title: "参保单位",
        employer_credit_code: "统一社会信用代码",
        employer_employees_title: "参保职工",
        arrears_title: "欠缴月份",
        employer_declare_title: "缴费工资申报",
        employer_declare_explain: "粘贴CSV文本：首行为表头 citizen_id,month,wage（month 为 YYYY-MM，wage 为工资，单位元）。",
        employer_csv_label: "申报内容（CSV）",
        employer_declare_submit: "提交申报",
        employer_importing: "正在导入，请稍候…",
        employer_declare_api: "XLSX 或 CSV 文件可直接发送到接口",
        employer_declared_with_rejects: "申报已处理，但有行被拒绝：请下载错误清单，更正后重新提交这些行。",
        employer_declared_ok: "申报已处理。",
        employer_declared_before: "这份文件以前已提交过，没有任何变化。",
        employer_rows_total: "总行数",
        employer_rows_accepted: "已接受",
        employer_rows_unchanged: "无变化",
        employer_rows_rejected: "被拒绝",
        employer_download_rejects: "下载错误清单（CSV）",
        arrears_pay: "缴纳",
        arrears_confirm_first: "缴纳前请先勾选确认。",
        no_person_of_name: "没有找到此姓名的持卡人，请核对姓名（须与身份证一致）。",
        refused_title: "未能办理",
        ;
        columns {
            namesakes_columns: ["姓名", "身份证号码", "出生", "社保卡"],
            catalogue_columns: ["编码", "名称", "类别", "乙类先自付", "最高限价（元）"],
            receipt_columns: ["卡号", "金额（元）", "余额（元）", "时间", "流水号", "经办人"],
            settlement_receipt_columns: ["单据号", "状态", "时间", "经办人"],
            certificate_columns: ["验证码", "出具时间", "证明内容", "下载", "核验"],
            audit_csv_columns: ["时间", "操作人", "操作代码", "操作", "对象", "结果", "详情"],
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
                "缴纳",
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

    fn audit_detail_value(&self, code: &str) -> Option<&'static str> {
        zh_audit::detail_value(code)
    }

    fn role(&self, code: &str) -> Option<&'static str> {
        zh_audit::role(code)
    }

    fn region_in(&self, code: &str, name: &str) -> String {
        format!("{code}（属{name}）")
    }

    fn in_yuan(&self, name: &str) -> String {
        format!("{name}（元）")
    }

    fn audit_detail_field(&self, name: &str) -> Option<&'static str> {
        zh_audit::detail_field(name)
    }

    fn withdrawn(&self, amount: &str, balance: &str) -> String {
        format!("已支取（元）：{amount}；余额（元）：{balance}")
    }

    fn bill_line_incomplete(&self, row: usize) -> String {
        format!("第{row}行：请填写项目编码、数量（正整数）和单价（元，最多两位小数）。")
    }

    fn year_used(&self, year: i32) -> [String; 3] {
        [
            format!("{year}年已付起付线（元）"),
            format!("{year}年统筹基金已支付（元）"),
            format!("{year}年大额补充已支付（元）"),
        ]
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

    fn next_deposit_only(&self) -> (&'static str, &'static str) {
        (
            "您的银行账户目前只能存入、不能支取（只收不付）：请携带本卡和身份证原件到",
            "任一网点激活金融功能并设置密码。",
        )
    }

    fn next_ready(&self) -> (&'static str, &'static str) {
        ("您的卡已制成，请携带身份证原件到", "领取。")
    }

    fn notice_card_ready(&self, number: &str) -> (String, &'static str) {
        (
            format!("您的社保卡（卡号 {number}）已制成，请携带身份证原件到"),
            "领取。",
        )
    }

    fn notice_loss(&self, number: &str, loss: &str) -> String {
        format!("卡号 {number} 已挂失：{loss}。")
    }

    fn notice_paid(&self, code: &str, amount: &str, date: &str, number: &str) -> String {
        let what = if code == "pension_credit" {
            "养老金"
        } else {
            "待遇"
        };
        format!("{what} {amount} 元已于 {date} 发放到卡号 {number} 的银行账户。")
    }

    fn arrears_confirm(&self, month: &str, total: &str) -> String {
        format!("确认从本单位银行账户扣缴 {month} 应缴的 {total} 元")
    }

    fn arrears_ordered(&self, month: &str, total: &str) -> String {
        format!(
            "已提交 {month} 的缴费指令：{total} 元将从本单位银行账户扣缴，银行扣款到账后记为已缴。"
        )
    }

    fn arrears_waiting(&self, time: &str) -> String {
        format!("已于 {time} 提交缴费指令，等待扣款到账")
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
            Some(TransferCode::Receivable) => "应退还待遇",
            None => "-",
        }
    }

    fn card_search_kinds(&self) -> [(&'static str, &'static str); 4] {
        [
            ("card_number", "社保卡卡号"),
            ("citizen_id", "身份证号码"),
            ("bank_card_number", "银行卡号"),
            ("name", "姓名"),
        ]
    }

    fn sign_in_failed_tries(&self, tries_left: u32) -> String {
        format!("用户名或密码不正确。再错{tries_left}次，此处的登录将暂停一段时间。")
    }

    fn audit_action(&self, code: &str) -> Option<&'static str> {
        zh_audit::action(code)
    }
}
