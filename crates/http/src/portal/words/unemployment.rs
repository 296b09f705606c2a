//! Unemployment insurance's words (issue 17): the holder's registration and record, the
//! employer's leaver report, the clerk's claims, payout, referrals and stops. Its own trait
//! beside [`super::Words`] (a supertrait of it), declared like it, so a word missing in
//! either language does not build.

use super::en::En;
use super::texts;
use super::zh::Zh;

/// Declares [`UnemploymentWords`]: its plain texts, then its tables' column headers.
macro_rules! unemployment_keys {
    ($($key:ident),* $(,)? ; columns { $($columns:ident: $count:literal),* $(,)? }) => {
        /// Unemployment insurance's texts, in one language.
        pub(crate) trait UnemploymentWords {
            $(fn $key(&self) -> &'static str;)*
            $(fn $columns(&self) -> [&'static str; $count];)*
            /// A coded status, reason, refusal, outcome or way of leaving in words (the code
            /// itself when it is none of them).
            fn unemployment_code<'a>(&self, code: &'a str) -> &'a str;
            /// What a payout run did.
            fn payout_done(&self, paid: i64, already_paid: i64, skipped: usize) -> String;
        }
    };
}

unemployment_keys! {
    unemployment_nav, unemployment_title, unemployment_explain, unemployment_register,
    unemployment_registered_done, spells_title, spells_none, spells_caption, payments_none,
    payments_caption, referrals_title, referrals_none, referrals_caption, receivables_title,
    receivables_none, receivables_caption,
    leaver_title, leaver_employee, leaver_left_on, leaver_leaving, leaving_involuntary,
    leaving_voluntary, leaver_submit, leaver_reported, no_open_employee,
    claims_link, claims_title, claims_none, claims_caption, claim_decide, claim_decided,
    payout_title, payout_region, payout_month, payout_run, person_record_title,
    person_id_label, person_show, register_at_window, refer_title, refer_vacancy, refer_note,
    refer_submit, referred_done, no_open_vacancy, outcome_label, outcome_note, outcome_submit,
    outcome_done, stop_title, stop_reason, stop_on, stop_note, stop_submit, stopped_done,
    maternity_nav, maternity_title, maternity_explain, maternity_event, maternity_event_on,
    maternity_babies, maternity_difficult, maternity_pregnancy_months, maternity_claim,
    bill_insurance, insurance_medical, insurance_maternity,
    maternity_claimed, maternity_none, maternity_caption, maternity_employer_title,
    maternity_queue_link, maternity_queue_none, maternity_queue_caption, maternity_approve,
    maternity_refuse, maternity_refuse_note, maternity_decided;
    columns {
        spells_columns: 7,
        payments_columns: 2,
        referrals_columns: 5,
        receivables_columns: 4,
        claims_columns: 4,
        maternity_columns: 7,
    }
}

impl UnemploymentWords for En {
    texts! {
        unemployment_nav: "Unemployment",
        unemployment_title: "Unemployment insurance",
        unemployment_explain: "If you lost your job against your will, register as unemployed here. It is also your claim to the unemployment benefit: the bureau decides it from your contribution record (at least 12 months), and pays it to your card month by month, with your medical contributions.",
        unemployment_register: "Register as unemployed",
        unemployment_registered_done: "You are registered as unemployed; the bureau will decide your claim.",
        spells_title: "Registrations and claims",
        spells_none: "You have not registered as unemployed.",
        spells_caption: "Registrations, newest first",
        payments_none: "Nothing paid yet.",
        payments_caption: "Benefit paid to the card",
        referrals_title: "Referrals to vacancies",
        referrals_none: "The bureau has not referred you to a vacancy.",
        referrals_caption: "Referrals, newest first",
        receivables_title: "Owed back",
        receivables_none: "Nothing is owed back.",
        receivables_caption: "Benefit paid wrongly, with the fine",
        leaver_title: "Report a leaver",
        leaver_employee: "Employee",
        leaver_left_on: "Last working day",
        leaver_leaving: "How the job ended",
        leaving_involuntary: "Against their will (dismissed, laid off, contract not renewed, unit closed)",
        leaving_voluntary: "They resigned",
        leaver_submit: "Report (within 15 days)",
        leaver_reported: "The leaver is reported; their insurance through the unit ends that month.",
        no_open_employee: "No employee is insured through the unit now.",
        claims_link: "Unemployment claims",
        claims_title: "Unemployment insurance",
        claims_none: "No claim waits for a decision.",
        claims_caption: "Claims waiting for a decision, oldest first",
        claim_decide: "Decide from the record",
        claim_decided: "The claim is decided.",
        payout_title: "Pay a month's benefit",
        payout_region: "Region code",
        payout_month: "Month (YYYY-MM)",
        payout_run: "Pay",
        person_record_title: "A person's unemployment record",
        person_id_label: "Person id",
        person_show: "Show",
        register_at_window: "Register the person as unemployed",
        refer_title: "Refer to a vacancy",
        refer_vacancy: "Vacancy",
        refer_note: "Why it suits the person",
        refer_submit: "Refer",
        referred_done: "The referral is recorded.",
        no_open_vacancy: "No open vacancy to refer to.",
        outcome_label: "Outcome",
        outcome_note: "What happened",
        outcome_submit: "Record",
        outcome_done: "The outcome is recorded.",
        stop_title: "Stop the benefit",
        stop_reason: "Why",
        stop_on: "From (the day it happened)",
        stop_note: "What the bureau knows of it",
        stop_submit: "Stop",
        stopped_done: "The benefit is stopped.",
        maternity_nav: "Maternity allowance",
        maternity_title: "Maternity allowance",
        maternity_explain: "The allowance pays the leave of a birth (98 days, 15 more for a difficult birth and for each additional baby) or a miscarriage (15 days before 4 months of pregnancy, 42 from 4 months), on your employer's average monthly contribution wage of the year before. The bureau pays it to your card once it approves the claim.",
        maternity_event: "What happened",
        maternity_event_on: "On",
        maternity_babies: "Babies (a birth)",
        maternity_difficult: "A difficult birth",
        maternity_pregnancy_months: "Whole months of pregnancy (a miscarriage)",
        maternity_claim: "Claim the allowance",
        bill_insurance: "Paid by",
        insurance_medical: "Employees' medical insurance",
        insurance_maternity: "Maternity insurance (the costs of a birth)",
        maternity_claimed: "The claim is made; the bureau will decide it.",
        maternity_none: "No claim yet.",
        maternity_caption: "Maternity claims, newest first",
        maternity_employer_title: "Claim an employee's maternity allowance",
        maternity_queue_link: "Maternity claims",
        maternity_queue_none: "No maternity claim waits for a decision.",
        maternity_queue_caption: "Maternity claims waiting for a decision, oldest first",
        maternity_approve: "Approve and pay",
        maternity_refuse: "Refuse",
        maternity_refuse_note: "Why (for a refusal)",
        maternity_decided: "The claim is decided.",
        ;
        columns {
            spells_columns: ["Registered on", "Status", "Months granted", "Paid from", "Paid to", "Months paid", "Why stopped or refused"],
            payments_columns: ["Month", "Amount (yuan)"],
            referrals_columns: ["Vacancy", "Employer", "Referred at", "Outcome", "Record"],
            receivables_columns: ["To repay (yuan)", "Fine (yuan)", "Total (yuan)", "Note"],
            claims_columns: ["Person", "Registered on", "Region", "Decision"],
            maternity_columns: ["Person", "On", "What happened", "Leave days", "Allowance (yuan)", "Status", "Decision"],
        }
    }

    fn unemployment_code<'a>(&self, code: &'a str) -> &'a str {
        match code {
            "registered" => "registered, waiting for the decision",
            "approved" => "approved, being paid",
            "refused" => "refused",
            "stopped" => "stopped",
            "ended" => "every month paid",
            "reemployed" => "re-employed",
            "pension" => "drawing a pension",
            "military_service" => "military service",
            "emigration" => "emigration",
            "refused_work" => "suitable work or training refused without reason",
            "fraud" => "fraud",
            "contribution_period_too_short" => "fewer than 12 months contributed",
            "no_leaver_report" => "no employer reported the job's end",
            "left_voluntarily" => "the job ended by own will",
            "not_registered_unemployed" => "not registered as unemployed",
            "not_seeking_work" => "not seeking work",
            "hired" => "hired",
            "not_hired" => "not hired",
            "refused_with_reason" => "refused with a good reason",
            "enrolled" => "enrolled in the course",
            "refused_without_reason" => "refused without good reason",
            "involuntary" => "against their will",
            "voluntary" => "by their own will",
            "applied" => "waiting for the decision",
            "paid" => "paid",
            "birth" => "birth",
            "miscarriage" => "miscarriage",
            other => other,
        }
    }

    fn payout_done(&self, paid: i64, already_paid: i64, skipped: usize) -> String {
        format!(
            "Paid: {paid}; paid before: {already_paid}; not payable (no usable card): {skipped}."
        )
    }
}

impl UnemploymentWords for Zh {
    texts! {
        unemployment_nav: "失业保险",
        unemployment_title: "失业保险待遇",
        unemployment_explain: "非因本人意愿中断就业的，可在此办理失业登记，同时申领失业保险金：社保机构根据缴费记录（累计缴费满1年）审核，按月发放到社保卡，并代缴失业期间的医疗保险费。",
        unemployment_register: "办理失业登记",
        unemployment_registered_done: "已办理失业登记，请等待社保机构审核。",
        spells_title: "失业登记和申领",
        spells_none: "尚未办理失业登记。",
        spells_caption: "失业登记（最新的在前）",
        payments_none: "尚未发放。",
        payments_caption: "已发放到社保卡的失业保险金",
        referrals_title: "推荐就业",
        referrals_none: "社保机构尚未推荐职位。",
        referrals_caption: "推荐记录（最新的在前）",
        receivables_title: "应退还款项",
        receivables_none: "没有应退还的款项。",
        receivables_caption: "多领取的待遇及罚款",
        leaver_title: "报告职工离职",
        leaver_employee: "职工",
        leaver_left_on: "最后工作日",
        leaver_leaving: "离职原因",
        leaving_involuntary: "非本人意愿（解除或终止劳动合同、裁员、单位关闭）",
        leaving_voluntary: "本人辞职",
        leaver_submit: "报告（15日内）",
        leaver_reported: "离职已报告，该职工在本单位的参保于当月终止。",
        no_open_employee: "本单位目前没有在保职工。",
        claims_link: "失业保险金审核",
        claims_title: "失业保险",
        claims_none: "没有待审核的申领。",
        claims_caption: "待审核的申领（最早的在前）",
        claim_decide: "按缴费记录审核",
        claim_decided: "申领已审核。",
        payout_title: "发放当月失业保险金",
        payout_region: "统筹地区代码",
        payout_month: "月份（年-月）",
        payout_run: "发放",
        person_record_title: "人员失业保险记录",
        person_id_label: "人员编号",
        person_show: "查看",
        register_at_window: "为此人办理失业登记",
        refer_title: "推荐职位",
        refer_vacancy: "职位",
        refer_note: "推荐理由",
        refer_submit: "推荐",
        referred_done: "推荐已记录。",
        no_open_vacancy: "没有可推荐的在招职位。",
        outcome_label: "结果",
        outcome_note: "情况说明",
        outcome_submit: "记录",
        outcome_done: "结果已记录。",
        stop_title: "停发失业保险金",
        stop_reason: "停发原因",
        stop_on: "发生日期",
        stop_note: "情况说明",
        stop_submit: "停发",
        stopped_done: "失业保险金已停发。",
        maternity_nav: "生育津贴",
        maternity_title: "生育津贴",
        maternity_explain: "生育津贴按产假天数发放：生育98天（难产增加15天，多胞胎每多生育1个婴儿增加15天）；流产怀孕未满4个月的15天，满4个月的42天。按用人单位上年度职工月平均缴费工资计发，经社保机构审核后发放到社保卡。",
        maternity_event: "事项",
        maternity_event_on: "日期",
        maternity_babies: "婴儿数（生育）",
        maternity_difficult: "难产",
        maternity_pregnancy_months: "怀孕满月数（流产）",
        maternity_claim: "申领生育津贴",
        bill_insurance: "支付险种",
        insurance_medical: "职工基本医疗保险",
        insurance_maternity: "生育保险（生育医疗费用）",
        maternity_claimed: "已提交申领，请等待社保机构审核。",
        maternity_none: "尚未申领。",
        maternity_caption: "生育津贴申领（最新的在前）",
        maternity_employer_title: "为职工申领生育津贴",
        maternity_queue_link: "生育津贴审核",
        maternity_queue_none: "没有待审核的生育津贴申领。",
        maternity_queue_caption: "待审核的生育津贴申领（最早的在前）",
        maternity_approve: "核准并发放",
        maternity_refuse: "不予核准",
        maternity_refuse_note: "不予核准的理由",
        maternity_decided: "申领已审核。",
        ;
        columns {
            spells_columns: ["登记日期", "状态", "核定月数", "起始月份", "截止月份", "已发月数", "停发或不予核准原因"],
            payments_columns: ["月份", "金额（元）"],
            referrals_columns: ["职位", "单位", "推荐时间", "结果", "记录"],
            receivables_columns: ["应退还（元）", "罚款（元）", "合计（元）", "说明"],
            claims_columns: ["人员", "登记日期", "统筹地区", "审核"],
            maternity_columns: ["人员", "日期", "事项", "产假天数", "津贴（元）", "状态", "审核"],
        }
    }

    fn unemployment_code<'a>(&self, code: &'a str) -> &'a str {
        match code {
            "registered" => "已登记，待审核",
            "approved" => "已核准，按月发放",
            "refused" => "不予核准",
            "stopped" => "已停发",
            "ended" => "已领完",
            "reemployed" => "重新就业",
            "pension" => "享受基本养老保险待遇",
            "military_service" => "应征服兵役",
            "emigration" => "移居境外",
            "refused_work" => "无正当理由拒绝推荐的工作或培训",
            "fraud" => "骗取待遇",
            "contribution_period_too_short" => "累计缴费不满1年",
            "no_leaver_report" => "单位未报告离职",
            "left_voluntarily" => "本人意愿中断就业",
            "not_registered_unemployed" => "未办理失业登记",
            "not_seeking_work" => "无求职要求",
            "hired" => "已录用",
            "not_hired" => "未录用",
            "refused_with_reason" => "有正当理由拒绝",
            "enrolled" => "已报名培训",
            "refused_without_reason" => "无正当理由拒绝",
            "involuntary" => "非本人意愿",
            "voluntary" => "本人意愿",
            "applied" => "待审核",
            "paid" => "已发放",
            "birth" => "生育",
            "miscarriage" => "流产",
            other => other,
        }
    }

    fn payout_done(&self, paid: i64, already_paid: i64, skipped: usize) -> String {
        format!(
            "本次发放 {paid} 人；此前已发放 {already_paid} 人；无可用社保卡未发放 {skipped} 人。"
        )
    }
}
