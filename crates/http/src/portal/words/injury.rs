//! Work injury's words (issue 17): the holder's and the employer's applications and cases,
//! the clerk's decisions and settlements, the appraisal committee secretary's pool, panels
//! and conclusions. Its own trait beside [`super::Words`] (a supertrait of it), declared
//! like it, so a word missing in either language does not build.

use super::en::En;
use super::texts;
use super::zh::Zh;

/// Declares [`InjuryWords`]: its plain texts, then its tables' column headers.
macro_rules! injury_keys {
    ($($key:ident),* $(,)? ; columns { $($columns:ident: $count:literal),* $(,)? }) => {
        /// Work injury's texts, in one language.
        pub(crate) trait InjuryWords {
            $(fn $key(&self) -> &'static str;)*
            $(fn $columns(&self) -> [&'static str; $count];)*
            /// A case's or an appraisal's coded status, applicant, kind, care level or payer
            /// in words (the code itself when it is none of them).
            fn injury_code<'a>(&self, code: &'a str) -> &'a str;
        }
    };
}

injury_keys! {
    injury_nav, injury_title, injury_explain, injury_apply_title, injury_injured_on,
    injury_apply, injury_applied, injury_none, injury_caption, injury_employer_link,
    injury_employer_title, injury_employer_explain, injury_queue_link, injury_queue_title,
    injury_queue_none, injury_queue_caption, injury_recognise, injury_refuse,
    injury_refuse_note, injury_decided, injury_record_caption, injury_settle, injury_settled,
    injury_due, injury_grade_none, injury_monthly, injury_one_time, injury_care,
    injury_payout_title, injury_pension, injury_death_benefits,
    secretary_title, secretary_explain, experts_title, expert_region, expert_code,
    expert_specialty, expert_employer, expert_add, expert_added, experts_none,
    experts_caption, region_show, appraise_title, appraise_none, appraise_caption, draw_kind,
    draw_size, draw_submit, drawn_done, draw_case_title, draw_case_id, draw_requested_on, conclude_grade,
    conclude_care, conclude_submit, concluded_done, panel_label, seed_label;
    columns {
        injury_columns: 8,
        experts_columns: 4,
    }
}

impl InjuryWords for En {
    texts! {
        injury_nav: "Work injury",
        injury_title: "Work injury",
        injury_explain: "An injury at work is recognised by the bureau on an application: your employer's within 30 days, or yours (or your family's) within a year. Once your condition is stable, a panel of experts drawn from the region's pool appraises your disability grade; the one-time disability subsidy is then paid to your card from the work-injury fund, and grades 1 to 6 have a monthly allowance.",
        injury_apply_title: "Apply for recognition",
        injury_injured_on: "Day of the injury",
        injury_apply: "Apply",
        injury_applied: "The application is made; the bureau will decide it.",
        injury_none: "No work-injury case.",
        injury_caption: "Work-injury cases, newest first",
        injury_employer_link: "Work injury",
        injury_employer_title: "Work injury: apply for an employee",
        injury_employer_explain: "Apply within 30 days of the injury. The table shows your unit's cases, with the monthly allowance your unit owes for grades 5 and 6 when it arranges no suitable work.",
        injury_queue_link: "Work-injury cases",
        injury_queue_title: "Work-injury cases",
        injury_queue_none: "No application waits for a decision.",
        injury_queue_caption: "Applications waiting for a decision, oldest first",
        injury_recognise: "Recognise",
        injury_refuse: "Refuse",
        injury_refuse_note: "Why (for a refusal)",
        injury_decided: "The application is decided.",
        injury_record_caption: "The person's work-injury cases, newest first",
        injury_settle: "Settle the benefits",
        injury_settled: "The benefits are settled; the one-time subsidy is paid to the card.",
        injury_due: "decision due",
        injury_grade_none: "no disability",
        injury_monthly: "monthly",
        injury_one_time: "one-time",
        injury_care: "care",
        injury_payout_title: "Pay a month's work-injury benefits",
        injury_pension: "monthly from the fund",
        injury_death_benefits: "funeral grant and one-time work-death benefit",
        secretary_title: "Labour-ability appraisal committee",
        secretary_explain: "Keep the region's pool of experts; on a party's request, draw a panel for a recognised case (the draw's seed and pool are kept, so anyone can redo it; no expert of the injured worker's employer is drawn, and a re-appraisal draws none who sat on the case) and record the panel's conclusion.",
        experts_title: "The expert pool",
        expert_region: "Region",
        expert_code: "Expert's code",
        expert_specialty: "Specialty",
        expert_employer: "Works for (employer id, if an insured unit)",
        expert_add: "Add the expert",
        expert_added: "The expert is in the pool.",
        experts_none: "The region's pool is empty.",
        experts_caption: "The region's experts, by code",
        region_show: "Show",
        appraise_title: "Panels sitting",
        appraise_none: "No panel sits.",
        appraise_caption: "Cases whose panel is drawn and has not concluded, oldest first",
        draw_kind: "Appraisal",
        draw_size: "Experts",
        draw_submit: "Draw a panel",
        drawn_done: "The panel is drawn.",
        draw_case_title: "Draw a panel on a party's request",
        draw_case_id: "Case id",
        draw_requested_on: "Request received on",
        conclude_grade: "Disability grade",
        conclude_care: "Care needed",
        conclude_submit: "Record the conclusion",
        concluded_done: "The conclusion is recorded.",
        panel_label: "panel",
        seed_label: "seed",
        ;
        columns {
            injury_columns: ["Person", "Injured on", "Applicant", "Applied on", "Status", "Appraisal", "Benefits", "Action"],
            experts_columns: ["Code", "Specialty", "Works for", "In the pool"],
        }
    }

    fn injury_code<'a>(&self, code: &'a str) -> &'a str {
        match code {
            "applied" => "waiting for the decision",
            "recognised" => "recognised as a work injury",
            "not_recognised" => "not recognised",
            "employer" => "the employer",
            "worker" => "the worker",
            "family" => "the family",
            "first" => "first appraisal",
            "reappraisal" => "re-appraisal (final)",
            "review" => "review appraisal",
            "drawn" => "panel drawn",
            "concluded" => "concluded",
            "full" => "full care",
            "major" => "major care",
            "partial" => "partial care",
            "fund" => "from the fund",
            "disability" => "disability allowance",
            "care" => "care allowance",
            "dependant" => "dependant's pension",
            other => other,
        }
    }
}

impl InjuryWords for Zh {
    texts! {
        injury_nav: "工伤保险",
        injury_title: "工伤保险",
        injury_explain: "发生工伤后，用人单位应在30日内、职工本人或其近亲属可在1年内申请工伤认定。伤情相对稳定后，由从专家库中随机抽取的专家组鉴定劳动能力（伤残等级）；一次性伤残补助金由工伤保险基金支付到社保卡，一至六级另按月享受伤残津贴。",
        injury_apply_title: "申请工伤认定",
        injury_injured_on: "受伤日期",
        injury_apply: "提交申请",
        injury_applied: "已提交申请，请等待社保机构认定。",
        injury_none: "没有工伤案件。",
        injury_caption: "工伤案件（最新的在前）",
        injury_employer_link: "工伤认定",
        injury_employer_title: "为职工申请工伤认定",
        injury_employer_explain: "请在事故伤害发生之日起30日内申请。下表为本单位的工伤案件；五、六级伤残未安排适当工作的，由本单位按月支付伤残津贴。",
        injury_queue_link: "工伤认定",
        injury_queue_title: "工伤认定",
        injury_queue_none: "没有待认定的申请。",
        injury_queue_caption: "待认定的申请（最早的在前）",
        injury_recognise: "认定为工伤",
        injury_refuse: "不予认定",
        injury_refuse_note: "不予认定的理由",
        injury_decided: "已作出认定决定。",
        injury_record_caption: "此人的工伤案件（最新的在前）",
        injury_settle: "核定伤残待遇",
        injury_settled: "伤残待遇已核定，一次性伤残补助金已发放到社保卡。",
        injury_due: "应决定日期",
        injury_grade_none: "未达伤残等级",
        injury_monthly: "每月",
        injury_one_time: "一次性",
        injury_care: "护理费",
        injury_payout_title: "发放当月工伤保险待遇",
        injury_pension: "基金按月支付",
        injury_death_benefits: "丧葬补助金和一次性工亡补助金",
        secretary_title: "劳动能力鉴定委员会",
        secretary_explain: "维护本地区鉴定专家库；依当事人申请，为已认定的工伤案件随机抽取专家组（保留抽取种子和专家库名单，任何人可复核；不抽取受伤职工所在单位的专家，再次鉴定不抽取曾参加本案鉴定的专家），并记录专家组的鉴定结论。",
        experts_title: "鉴定专家库",
        expert_region: "地区",
        expert_code: "专家编号",
        expert_specialty: "专业",
        expert_employer: "所在参保单位编号（如有）",
        expert_add: "加入专家库",
        expert_added: "专家已加入专家库。",
        experts_none: "本地区专家库为空。",
        experts_caption: "本地区专家（按编号）",
        region_show: "显示",
        appraise_title: "正在鉴定的案件",
        appraise_none: "没有正在鉴定的案件。",
        appraise_caption: "已抽取专家组、尚未作出结论的案件（最早的在前）",
        draw_kind: "鉴定类别",
        draw_size: "专家人数",
        draw_submit: "抽取专家组",
        drawn_done: "专家组已抽取。",
        draw_case_title: "依申请抽取专家组",
        draw_case_id: "案件编号",
        draw_requested_on: "收到申请日期",
        conclude_grade: "伤残等级",
        conclude_care: "生活护理",
        conclude_submit: "记录鉴定结论",
        concluded_done: "鉴定结论已记录。",
        panel_label: "专家组",
        seed_label: "种子",
        ;
        columns {
            injury_columns: ["人员", "受伤日期", "申请人", "申请日期", "状态", "鉴定", "待遇", "办理"],
            experts_columns: ["编号", "专业", "所在单位", "在库"],
        }
    }

    fn injury_code<'a>(&self, code: &'a str) -> &'a str {
        match code {
            "applied" => "待认定",
            "recognised" => "认定为工伤",
            "not_recognised" => "不予认定",
            "employer" => "用人单位",
            "worker" => "职工本人",
            "family" => "近亲属",
            "first" => "初次鉴定",
            "reappraisal" => "再次鉴定（最终）",
            "review" => "复查鉴定",
            "drawn" => "已抽取专家组",
            "concluded" => "已作出结论",
            "full" => "生活完全不能自理",
            "major" => "生活大部分不能自理",
            "partial" => "生活部分不能自理",
            "fund" => "工伤保险基金支付",
            "disability" => "伤残津贴",
            "care" => "生活护理费",
            "dependant" => "供养亲属抚恤金",
            other => other,
        }
    }
}
