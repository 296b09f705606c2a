//! The job board's words (issue 17): the holder's search, applications and profile, the
//! employer's vacancies and applicants, the clerk's review queue. Its own trait beside
//! [`super::Words`] (a supertrait of it), declared like it, so a word missing in either
//! language does not build.

use super::en::En;
use super::texts;
use super::zh::Zh;

/// Declares [`JobWords`]: its plain texts, then its tables' column headers.
macro_rules! job_keys {
    ($($key:ident),* $(,)? ; columns { $($columns:ident: $count:literal),* $(,)? }) => {
        /// The job board's texts, in one language.
        pub(crate) trait JobWords {
            $(fn $key(&self) -> &'static str;)*
            $(fn $columns(&self) -> [&'static str; $count];)*
            /// An application's status (`applied`, …) in words.
            fn application_status(&self, status: &str) -> &'static str;
            /// A vacancy's status (`pending`, …) in words.
            fn vacancy_status(&self, status: &str) -> &'static str;
        }
    };
}

job_keys! {
    jobs_nav, jobs_title, jobs_search_words, jobs_search_place, jobs_search, jobs_none,
    jobs_caption, jobs_share, jobs_apply, jobs_applied, cover_note,
    my_applications_title, my_applications_none, my_applications_caption, application_share,
    application_withdraw, application_shared_done, application_withdrawn_done,
    profile_title, profile_skills, profile_occupation, profile_place, profile_available,
    profile_save, profile_saved,
    vacancies_link, vacancy_post_title, vacancy_title_label, vacancy_occupation_label,
    vacancy_place_label, vacancy_wage_min, vacancy_wage_max, vacancy_requirements,
    vacancy_openings, vacancy_closing, vacancy_post, vacancy_posted, vacancies_none,
    vacancies_caption, vacancy_applicants, vacancy_close, vacancy_closed_done,
    applicants_title, applicants_none, applicants_caption, outcome_recorded, not_shared,
    review_link, review_title, review_none, review_caption, review_approve, review_reject,
    review_note, review_done, wage_not_number;
    columns {
        jobs_columns: 6,
        my_applications_columns: 6,
        vacancies_columns: 7,
        applicants_columns: 7,
        review_columns: 8,
    }
}

impl JobWords for En {
    texts! {
        jobs_nav: "Jobs",
        jobs_title: "Find a job",
        jobs_search_words: "Words of the title or requirements",
        jobs_search_place: "Place code, or its start (3301 for all of Hangzhou)",
        jobs_search: "Search",
        jobs_none: "No open vacancy matches.",
        jobs_caption: "Open vacancies, newest first",
        jobs_share: "Show the employer my name and telephone",
        jobs_apply: "Apply",
        jobs_applied: "Your application is sent.",
        cover_note: "A note to the employer (optional)",
        my_applications_title: "My applications",
        my_applications_none: "You have not applied to any vacancy.",
        my_applications_caption: "My applications, newest first",
        application_share: "Show my name and telephone",
        application_withdraw: "Withdraw",
        application_shared_done: "The employer now sees your name and telephone.",
        application_withdrawn_done: "Your application is withdrawn.",
        profile_title: "My job-seeker profile",
        profile_skills: "Skills",
        profile_occupation: "Wanted occupation code (optional), e.g. 2-06-01-01",
        profile_place: "Wanted place code (optional, 6 digits)",
        profile_available: "Available from",
        profile_save: "Save the profile",
        profile_saved: "Your profile is saved.",
        vacancies_link: "Vacancies",
        vacancy_post_title: "Post a vacancy",
        vacancy_title_label: "Title",
        vacancy_occupation_label: "Occupation code, e.g. 2-06-01-01",
        vacancy_place_label: "Place code (6 digits)",
        vacancy_wage_min: "Lowest wage (yuan a month)",
        vacancy_wage_max: "Highest wage (yuan a month)",
        vacancy_requirements: "Requirements",
        vacancy_openings: "Openings",
        vacancy_closing: "Closing date",
        vacancy_post: "Post for review",
        vacancy_posted: "Posted: it shows once the bureau approves it.",
        vacancies_none: "No vacancy posted yet.",
        vacancies_caption: "Your vacancies, newest first",
        vacancy_applicants: "Applicants",
        vacancy_close: "Close",
        vacancy_closed_done: "The vacancy is closed.",
        applicants_title: "Applicants",
        applicants_none: "Nobody has applied yet.",
        applicants_caption: "Applicants, first come first; a name shows once its applicant shares it",
        outcome_recorded: "The outcome is recorded.",
        not_shared: "not shared",
        review_link: "Vacancies to review",
        review_title: "Vacancies to review",
        review_none: "No vacancy waits for review.",
        review_caption: "Waiting for review, oldest first",
        review_approve: "Approve",
        review_reject: "Reject",
        review_note: "Why (for a rejection)",
        review_done: "The review is recorded.",
        wage_not_number: "Wages are amounts in yuan.",
        ;
        columns {
            jobs_columns: ["Title", "Employer", "Place", "Wage (yuan a month)", "Closing", "Apply"],
            my_applications_columns: ["Title", "Employer", "Status", "Shared", "Applied at", "Action"],
            vacancies_columns: ["Title", "Status", "Openings", "Closing", "Bureau's note", "Applicants", "Close"],
            applicants_columns: ["Name", "Telephone", "Skills", "Available from", "Note", "Status", "Record"],
            review_columns: ["Employer", "Title", "Occupation", "Place", "Wage (yuan a month)", "Requirements", "Closing", "Decision"],
        }
    }

    fn application_status(&self, status: &str) -> &'static str {
        match status {
            "applied" => "applied",
            "interviewed" => "interviewed",
            "hired" => "hired",
            "not_hired" => "not hired",
            "withdrawn" => "withdrawn",
            _ => "unknown",
        }
    }

    fn vacancy_status(&self, status: &str) -> &'static str {
        match status {
            "pending" => "waiting for review",
            "published" => "published",
            "rejected" => "rejected",
            "closed" => "closed",
            _ => "unknown",
        }
    }
}

impl JobWords for Zh {
    texts! {
        jobs_nav: "求职招聘",
        jobs_title: "找工作",
        jobs_search_words: "职位名称或要求中的词",
        jobs_search_place: "工作地点代码，可只填前几位（3301 为杭州全市）",
        jobs_search: "搜索",
        jobs_none: "没有符合条件的在招职位。",
        jobs_caption: "在招职位（最新的在前）",
        jobs_share: "向单位提供我的姓名和电话",
        jobs_apply: "申请",
        jobs_applied: "申请已提交。",
        cover_note: "给单位的留言（选填）",
        my_applications_title: "我的求职申请",
        my_applications_none: "尚未申请任何职位。",
        my_applications_caption: "我的求职申请（最新的在前）",
        application_share: "提供姓名和电话",
        application_withdraw: "撤回",
        application_shared_done: "单位现在可以看到您的姓名和电话。",
        application_withdrawn_done: "申请已撤回。",
        profile_title: "我的求职信息",
        profile_skills: "技能特长",
        profile_occupation: "意向职业代码（选填），如 2-06-01-01",
        profile_place: "意向工作地点代码（选填，6位）",
        profile_available: "可到岗日期",
        profile_save: "保存求职信息",
        profile_saved: "求职信息已保存。",
        vacancies_link: "招聘职位",
        vacancy_post_title: "发布招聘职位",
        vacancy_title_label: "职位名称",
        vacancy_occupation_label: "职业代码，如 2-06-01-01",
        vacancy_place_label: "工作地点代码（6位）",
        vacancy_wage_min: "最低月薪（元）",
        vacancy_wage_max: "最高月薪（元）",
        vacancy_requirements: "任职要求",
        vacancy_openings: "招聘人数",
        vacancy_closing: "截止日期",
        vacancy_post: "提交审核",
        vacancy_posted: "已提交，经社保机构审核通过后发布。",
        vacancies_none: "尚未发布职位。",
        vacancies_caption: "本单位的职位（最新的在前）",
        vacancy_applicants: "应聘者",
        vacancy_close: "关闭",
        vacancy_closed_done: "职位已关闭。",
        applicants_title: "应聘者",
        applicants_none: "暂无应聘者。",
        applicants_caption: "应聘者（按申请先后）；应聘者同意后才显示姓名",
        outcome_recorded: "结果已记录。",
        not_shared: "未提供",
        review_link: "招聘职位审核",
        review_title: "招聘职位审核",
        review_none: "没有待审核的职位。",
        review_caption: "待审核的职位（最早的在前）",
        review_approve: "通过",
        review_reject: "不通过",
        review_note: "不通过的理由",
        review_done: "审核结果已记录。",
        wage_not_number: "月薪请填写金额（元）。",
        ;
        columns {
            jobs_columns: ["职位", "单位", "地点", "月薪（元）", "截止日期", "申请"],
            my_applications_columns: ["职位", "单位", "状态", "已提供姓名", "申请时间", "操作"],
            vacancies_columns: ["职位", "状态", "人数", "截止日期", "审核意见", "应聘者", "关闭"],
            applicants_columns: ["姓名", "电话", "技能特长", "可到岗日期", "留言", "状态", "记录结果"],
            review_columns: ["单位", "职位", "职业代码", "地点", "月薪（元）", "任职要求", "截止日期", "审核"],
        }
    }

    fn application_status(&self, status: &str) -> &'static str {
        match status {
            "applied" => "已申请",
            "interviewed" => "已面试",
            "hired" => "已录用",
            "not_hired" => "未录用",
            "withdrawn" => "已撤回",
            _ => "未知",
        }
    }

    fn vacancy_status(&self, status: &str) -> &'static str {
        match status {
            "pending" => "待审核",
            "published" => "已发布",
            "rejected" => "未通过",
            "closed" => "已关闭",
            _ => "未知",
        }
    }
}
