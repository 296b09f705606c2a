//! Vocational training's words (issue 17, item 3): the holder's courses and enrolments, the
//! training provider's desk (courses, trainees, attendance, completion), the clerk's
//! providers, course reviews and subsidies. Its own trait beside [`super::Words`] (a
//! supertrait of it), declared like it, so a word missing in either language does not build.

use super::en::En;
use super::texts;
use super::zh::Zh;

/// Declares [`TrainingWords`]: its plain texts, then its tables' column headers.
macro_rules! training_keys {
    ($($key:ident),* $(,)? ; columns { $($columns:ident: $count:literal),* $(,)? }) => {
        /// Vocational training's texts, in one language.
        pub(crate) trait TrainingWords {
            $(fn $key(&self) -> &'static str;)*
            $(fn $columns(&self) -> [&'static str; $count];)*
            /// A course's or an enrolment's coded status, or a subsidy's payee, in words
            /// (the code itself when it is none of them).
            fn training_code<'a>(&self, code: &'a str) -> &'a str;
        }
    };
}

training_keys! {
    training_nav, training_title, training_explain, training_open_title, training_open_none,
    training_open_caption, training_enrol, training_enrolled_done, training_mine_title,
    training_mine_none, training_mine_caption, training_withdraw, training_withdrawn_done,
    training_certificate,
    provider_title, provider_explain, course_post_title, course_title, course_occupation,
    course_hours, course_places, course_subsidy, course_payee, course_starts_on,
    course_ends_on, course_post, course_posted_done, courses_title, courses_none,
    courses_caption, trainees_link, trainees_title, trainees_none, trainees_caption,
    attendance_day, attendance_hours, attendance_record, attendance_done, completion_passed,
    completion_failed, completion_done,
    training_queue_link, training_clerk_title, provider_register_title, provider_credit_code,
    provider_name, provider_region, provider_register, provider_registered_done,
    providers_none, providers_caption, review_courses_title, review_courses_none,
    review_courses_caption, course_approve, course_refuse, course_refuse_note,
    course_reviewed_done, subsidies_title, subsidies_none, subsidies_caption, subsidy_pay,
    subsidy_paid_done, verify_training, verify_attended, verify_completed_on,
    training_referrals_title, training_referrals_none, training_referrals_caption,
    refer_training_title, refer_training_course, refer_training_submit;
    columns {
        training_open_columns: 8,
        training_mine_columns: 8,
        courses_columns: 8,
        trainees_columns: 6,
        providers_columns: 4,
        subsidies_columns: 7,
        training_referrals_columns: 4,
    }
}

impl TrainingWords for En {
    texts! {
        training_nav: "Vocational training",
        training_title: "Vocational training",
        training_explain: "Courses run by training providers the bureau has registered and approved. Enrol until a course's first day while places are left; attend at least the share of its hours your region sets, and on completion you get a certificate anyone can verify, and the course's subsidy is paid once — to your card, or to the provider when the course says so.",
        training_open_title: "Courses open for enrolment",
        training_open_none: "No course is open for enrolment now.",
        training_open_caption: "Courses open for enrolment, soonest first",
        training_enrol: "Enrol",
        training_enrolled_done: "You are enrolled.",
        training_mine_title: "My training",
        training_mine_none: "You have not enrolled in any course.",
        training_mine_caption: "Your enrolments, newest first",
        training_withdraw: "Withdraw",
        training_withdrawn_done: "You have withdrawn; your place is free again.",
        training_certificate: "Certificate (PDF)",
        provider_title: "Training provider",
        provider_explain: "Post your courses for the bureau's review; once approved, holders enrol until the first day. Record each trainee's attendance day by day, and from the last day whether they completed: a completion needs the region's share of the hours attended and issues the certificate; the bureau then pays the subsidy.",
        course_post_title: "Post a course",
        course_title: "Course",
        course_occupation: "Occupation code",
        course_hours: "Hours",
        course_places: "Places",
        course_subsidy: "Subsidy per completion (yuan)",
        course_payee: "Subsidy paid to",
        course_starts_on: "First day",
        course_ends_on: "Last day",
        course_post: "Post for review",
        course_posted_done: "The course is posted; it opens once the bureau approves it.",
        courses_title: "Our courses",
        courses_none: "No course posted yet.",
        courses_caption: "Courses, newest first",
        trainees_link: "Trainees",
        trainees_title: "Trainees",
        trainees_none: "Nobody has enrolled in this course.",
        trainees_caption: "The course's trainees, in the order they enrolled",
        attendance_day: "Day",
        attendance_hours: "Hours",
        attendance_record: "Record attendance",
        attendance_done: "The attendance is recorded.",
        completion_passed: "Completed",
        completion_failed: "Did not complete",
        completion_done: "The completion is recorded.",
        training_queue_link: "Vocational training",
        training_clerk_title: "Vocational training",
        provider_register_title: "Register a training provider",
        provider_credit_code: "Unified social credit code",
        provider_name: "Name",
        provider_region: "Region",
        provider_register: "Register",
        provider_registered_done: "The provider is registered; an administrator can now open its staff's logins.",
        providers_none: "No training provider is registered.",
        providers_caption: "Registered training providers",
        review_courses_title: "Courses to review",
        review_courses_none: "No course is waiting for review.",
        review_courses_caption: "Courses waiting for review, oldest first",
        course_approve: "Approve",
        course_refuse: "Refuse",
        course_refuse_note: "Why refused",
        course_reviewed_done: "The review is recorded.",
        subsidies_title: "Training subsidies to pay",
        subsidies_none: "No completion is waiting for its subsidy.",
        subsidies_caption: "Completions waiting for their subsidy, oldest first",
        subsidy_pay: "Pay the subsidy",
        subsidy_paid_done: "The subsidy is paid.",
        verify_training: "It certifies the completion of a vocational-training course.",
        verify_attended: "Hours attended",
        verify_completed_on: "Completed on",
        training_referrals_title: "Referrals to training",
        training_referrals_none: "No referral to a training course.",
        training_referrals_caption: "Referrals to training courses, newest first",
        refer_training_title: "Refer to a training course",
        refer_training_course: "Course",
        refer_training_submit: "Refer",
        ;
        columns {
            training_open_columns: ["Course", "Provider", "Occupation", "Hours", "Dates", "Places left", "Subsidy", "Action"],
            training_mine_columns: ["Course", "Provider", "Dates", "Status", "Hours attended", "Certificate", "Subsidy", "Action"],
            courses_columns: ["Course", "Occupation", "Hours", "Dates", "Places taken", "Subsidy", "Status", "Action"],
            trainees_columns: ["Trainee", "ID number", "Status", "Hours attended", "Attendance", "Completion"],
            providers_columns: ["Provider", "Credit code", "Region", "Provider id"],
            subsidies_columns: ["Person", "Course", "Provider", "Completed on", "Hours attended", "Subsidy", "Action"],
            training_referrals_columns: ["Course", "Referred at", "Outcome", "Action"],
        }
    }

    fn training_code<'a>(&self, code: &'a str) -> &'a str {
        match code {
            "pending" => "waiting for review",
            "open" => "open for enrolment",
            "rejected" => "refused",
            "enrolled" => "enrolled",
            "withdrawn" => "withdrawn",
            "completed" => "completed",
            "not_completed" => "did not complete",
            "card" => "the trainee's card",
            "provider" => "the provider",
            other => other,
        }
    }
}

impl TrainingWords for Zh {
    texts! {
        training_nav: "职业培训",
        training_title: "职业培训",
        training_explain: "经人社部门登记、审核通过的培训机构开设的培训项目。开班日（含）前、尚有名额时可报名；出勤达到本地区规定的课时比例并结业的，可获得可供查验的结业证明，培训补贴按项目规定一次性发放到本人社保卡或培训机构。",
        training_open_title: "可报名的培训项目",
        training_open_none: "目前没有可报名的培训项目。",
        training_open_caption: "可报名的培训项目，按开班日期排列",
        training_enrol: "报名",
        training_enrolled_done: "报名成功。",
        training_mine_title: "我的培训",
        training_mine_none: "您尚未报名任何培训项目。",
        training_mine_caption: "我的报名，最新的在前",
        training_withdraw: "退出",
        training_withdrawn_done: "已退出培训，名额已释放。",
        training_certificate: "结业证明（PDF）",
        provider_title: "培训机构",
        provider_explain: "发布培训项目，经人社部门审核通过后，开班日（含）前可接受报名。逐日登记学员出勤；自最后一天起登记是否结业：出勤达到本地区规定比例方可结业，并出具结业证明；培训补贴由人社部门支付。",
        course_post_title: "发布培训项目",
        course_title: "培训项目",
        course_occupation: "职业编码",
        course_hours: "课时",
        course_places: "名额",
        course_subsidy: "每人结业补贴（元）",
        course_payee: "补贴发放对象",
        course_starts_on: "开班日期",
        course_ends_on: "结业日期",
        course_post: "提交审核",
        course_posted_done: "培训项目已提交，审核通过后开放报名。",
        courses_title: "本机构的培训项目",
        courses_none: "尚未发布培训项目。",
        courses_caption: "培训项目，最新的在前",
        trainees_link: "学员",
        trainees_title: "学员",
        trainees_none: "此项目尚无人报名。",
        trainees_caption: "本项目学员，按报名先后排列",
        attendance_day: "日期",
        attendance_hours: "课时",
        attendance_record: "登记出勤",
        attendance_done: "出勤已登记。",
        completion_passed: "结业",
        completion_failed: "未结业",
        completion_done: "结业情况已登记。",
        training_queue_link: "职业培训",
        training_clerk_title: "职业培训",
        provider_register_title: "登记培训机构",
        provider_credit_code: "统一社会信用代码",
        provider_name: "名称",
        provider_region: "地区",
        provider_register: "登记",
        provider_registered_done: "培训机构已登记，管理员可为其工作人员开通账号。",
        providers_none: "尚未登记培训机构。",
        providers_caption: "已登记的培训机构",
        review_courses_title: "待审核的培训项目",
        review_courses_none: "没有待审核的培训项目。",
        review_courses_caption: "待审核的培训项目，按提交先后排列",
        course_approve: "审核通过",
        course_refuse: "不予通过",
        course_refuse_note: "不予通过的理由",
        course_reviewed_done: "审核结果已记录。",
        subsidies_title: "待支付的培训补贴",
        subsidies_none: "没有待支付补贴的结业学员。",
        subsidies_caption: "待支付补贴的结业学员，按结业登记先后排列",
        subsidy_pay: "支付补贴",
        subsidy_paid_done: "培训补贴已支付。",
        verify_training: "此证明为职业培训结业证明。",
        verify_attended: "出勤课时",
        verify_completed_on: "结业日期",
        training_referrals_title: "培训推荐",
        training_referrals_none: "没有培训推荐记录。",
        training_referrals_caption: "培训推荐，最新的在前",
        refer_training_title: "推荐参加职业培训",
        refer_training_course: "培训项目",
        refer_training_submit: "推荐",
        ;
        columns {
            training_open_columns: ["培训项目", "培训机构", "职业编码", "课时", "日期", "剩余名额", "补贴", "办理"],
            training_mine_columns: ["培训项目", "培训机构", "日期", "状态", "出勤课时", "结业证明", "补贴", "办理"],
            courses_columns: ["培训项目", "职业编码", "课时", "日期", "已报名", "补贴", "状态", "办理"],
            trainees_columns: ["学员", "身份证号码", "状态", "出勤课时", "出勤", "结业"],
            providers_columns: ["培训机构", "统一社会信用代码", "地区", "机构编号"],
            subsidies_columns: ["人员", "培训项目", "培训机构", "结业日期", "出勤课时", "补贴", "办理"],
            training_referrals_columns: ["培训项目", "推荐时间", "结果", "办理"],
        }
    }

    fn training_code<'a>(&self, code: &'a str) -> &'a str {
        match code {
            "pending" => "待审核",
            "open" => "开放报名",
            "rejected" => "未通过审核",
            "enrolled" => "已报名",
            "withdrawn" => "已退出",
            "completed" => "已结业",
            "not_completed" => "未结业",
            "card" => "学员社保卡",
            "provider" => "培训机构",
            other => other,
        }
    }
}
