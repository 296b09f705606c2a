//! Refusals in the page's language. The application's errors say themselves in English (the
//! API's `detail`); the English catalogue keeps those words, the Chinese one says every
//! error, domain refusal, identity-number error, rule and clash in Chinese, matched
//! exhaustively so that a new refusal without Chinese words does not build.

use shebao_app::{AppError, Clash, RefusalCode};
use shebao_domain::Refusal;
use shebao_domain::insurance::InsuranceError;
use shebao_domain::person::identity::IdentityError;

use super::en::En;
use super::zh::Zh;

/// An application error as a person reads it, in one language.
pub(crate) trait RefusalWords {
    fn app_error(&self, error: &AppError) -> String;
    /// What is wrong with a field, without the field's name (shown beside the field), for
    /// the errors about one field ([`AppError::field`]); the whole refusal for any other.
    fn field_error(&self, error: &AppError) -> String;
    /// A declaration row's refusal by its code (`None`: the file's own words stand).
    fn declaration_reject(&self, code: &str) -> Option<String>;
}

impl RefusalWords for En {
    fn app_error(&self, error: &AppError) -> String {
        match error {
            // Never an internal id ("card crd_…") in a person's page.
            AppError::NotFound(_) | AppError::Hidden(_) => "nothing was found".to_owned(),
            AppError::Invalid { field, message } => format!("{}: {message}", field_en(field)),
            AppError::Identity { field, error } => format!("{}: {error}", field_en(field)),
            AppError::Insurance { field, error } => format!("{}: {error}", field_en(field)),
            other => other.to_string(),
        }
    }

    fn field_error(&self, error: &AppError) -> String {
        match error {
            AppError::Invalid { message, .. } | AppError::TooComplex { message, .. } => {
                message.clone()
            }
            AppError::Identity { error, .. } => error.to_string(),
            AppError::Insurance { error, .. } => error.to_string(),
            other => self.app_error(other),
        }
    }

    fn declaration_reject(&self, _code: &str) -> Option<String> {
        None
    }
}

/// A field's name in English words (the API's field names are identifiers).
fn field_en(field: &str) -> &str {
    match field {
        "citizen_id" => "ID number",
        "amount_fen" | "amount" => "Amount",
        "pin" | "old_pin" | "new_pin" | "social_pin" => "PIN",
        "card_number" => "Card number",
        "bank_card_number" => "Bank card number",
        "to_account" => "Account",
        "distribution_point" => "Distribution point",
        "csv" | "file" => "The file",
        "lines" => "Bill lines",
        "bill" | "bill_number" => "Bill number",
        "month" => "Month",
        "year" => "Year",
        other => other,
    }
}

impl RefusalWords for Zh {
    fn app_error(&self, error: &AppError) -> String {
        match error {
            AppError::Refused(refusal) => refusal_zh(refusal),
            AppError::Replayed { .. } => "同一请求此前已办理并被拒绝，结果不变。".to_owned(),
            AppError::Identity { field, error } => {
                format!("{}：{}", field_zh(field), identity_zh(error))
            }
            AppError::Invalid { field, .. } => {
                format!("{}：{}", field_zh(field), self.field_error(error))
            }
            AppError::Insurance { error, .. } => insurance_zh(error).to_owned(),
            AppError::NotFound(_) | AppError::Hidden(_) => "未找到相应记录。".to_owned(),
            AppError::Forbidden => "您的岗位无权办理此项业务。".to_owned(),
            AppError::Unauthenticated => "请先登录。".to_owned(),
            AppError::SignInLocked {
                retry_after_seconds,
            } => format!(
                "登录失败次数过多，请{}后再试。",
                wait_zh(*retry_after_seconds)
            ),
            AppError::Denied { code, .. } | AppError::Rule { code, .. } => {
                rule_zh(*code).to_owned()
            }
            AppError::TooManyLookups {
                retry_after_seconds,
            } => format!(
                "按身份证号码查询的次数已达上限，请{}后再试。",
                wait_zh(*retry_after_seconds)
            ),
            AppError::Conflict(clash) => clash_zh(clash),
            AppError::IdempotencyKeyReused => {
                "此表单已提交过不同的内容，请刷新页面后重新填写。".to_owned()
            }
            AppError::TooComplex { field, .. } => {
                format!("{}：{}", field_zh(field), self.field_error(error))
            }
            AppError::Unavailable(_) => "服务暂时不可用，请稍后再试。".to_owned(),
            AppError::Internal(_) | AppError::Failed { .. } => {
                "系统内部错误，未办理。请稍后再试或联系管理员。".to_owned()
            }
            AppError::Busy(_) => "系统繁忙，未办理，请稍后再试。".to_owned(),
        }
    }

    fn field_error(&self, error: &AppError) -> String {
        match error {
            AppError::Invalid { .. } => "内容缺失或格式不正确。".to_owned(),
            AppError::TooComplex { .. } => "文件过于复杂，无法在限度内读取。".to_owned(),
            AppError::Identity { error, .. } => identity_zh(error),
            AppError::Insurance { error, .. } => insurance_zh(error).to_owned(),
            other => self.app_error(other),
        }
    }

    fn declaration_reject(&self, code: &str) -> Option<String> {
        let identity = match code {
            "invalid_length" => Some(IdentityError::Length),
            "invalid_character" => Some(IdentityError::Character),
            "invalid_birth_date" => Some(IdentityError::BirthDate),
            "birth_date_in_future" => Some(IdentityError::FutureBirthDate),
            "unknown_province" => Some(IdentityError::Province),
            "manual_review_required" => Some(IdentityError::CentenarianSequence),
            "invalid_format" => Some(IdentityError::Format),
            _ => None,
        };
        if let Some(error) = identity {
            return Some(format!("身份证号码：{}", identity_zh(&error)));
        }
        let text = match code {
            "check_character_mismatch" => "身份证号码：校验码与号码不符，请核对。",
            "invalid_month" => "月份应写作 YYYY-MM。",
            "invalid_wage" => "工资应为正数金额（元），最多两位小数。",
            "month_in_future" => "该月份尚未开始，不能申报。",
            "not_enrolled" => "该身份证号码在该月份未通过本单位参保。",
            "duplicate_row" => "同一人同一月份在本文件中出现了两次。",
            "no_parameters" => "本地区该月份没有缴费参数。",
            _ => return None,
        };
        Some(text.to_owned())
    }
}

/// Seconds to wait, in Chinese words (minutes from a minute on).
fn wait_zh(seconds: i64) -> String {
    if seconds >= 60 {
        format!("{}分钟", (seconds + 59) / 60)
    } else {
        format!("{}秒", seconds.max(1))
    }
}

fn side_zh(side: &str) -> &'static str {
    match side {
        "social" => "社保功能",
        "financial" => "金融功能",
        _ => "此卡",
    }
}

fn card_status_zh(state: &str) -> &'static str {
    match state {
        "applied" => "已申领",
        "in_production" => "制卡中",
        "ready_for_collection" => "待领取",
        "collected" => "已领取",
        "replaced" => "已补换",
        "cancelled" => "已注销",
        "returned" => "已交回",
        _ => "当前",
    }
}

fn refusal_zh(refusal: &Refusal) -> String {
    let text = match refusal {
        Refusal::InvalidCardState { state, .. } => {
            return format!(
                "此卡处于“{}”状态，不能办理此项业务。",
                card_status_zh(state)
            );
        }
        Refusal::CardReplaced => "此卡已补换，不再可用。",
        Refusal::CardCancelled => "此卡已注销。",
        Refusal::CardExpired => "此卡已过有效期。",
        Refusal::CardNotCollected => "此卡尚未领取。",
        Refusal::CardReturned => "此临时卡已交回。",
        Refusal::CardLost { side } => return format!("此卡的{}已挂失。", side_zh(side)),
        Refusal::NotLost { side } => return format!("此卡的{}未挂失。", side_zh(side)),
        Refusal::ReplacementNeedsFormalLoss => "补卡前须先办理正式挂失。",
        Refusal::CardAlreadyExists => "此人已有有效的卡或正在制作的卡。",
        Refusal::TemporaryCardNoFinancialFunction => "临时卡没有金融功能。",
        Refusal::OutsideIssuingRegion => "临时卡只能在发卡地使用。",
        Refusal::IdentityMismatch => "所出示的身份证件与持卡人不符。",
        Refusal::WrongBank => "只有此卡发卡银行的网点才能办理。",
        Refusal::DepositOnly => {
            "金融账户尚未激活，只能存入、不能支取；请持卡人到发卡银行网点激活。"
        }
        Refusal::AlreadyActivated => "金融账户已激活。",
        Refusal::AccountClosed => "金融账户已关闭。",
        Refusal::CreditsRefusedWhileDepositOnly => "本地区不接受向未激活账户入账。",
        Refusal::InsufficientFunds => "余额不足。",
        Refusal::PinIncorrect { retries_left } => {
            return format!("密码错误，再错{retries_left}次将被锁定。");
        }
        Refusal::PinLocked { side } => {
            return format!(
                "{}密码输错次数过多已锁定，须由工作人员解锁。",
                if *side == "financial" {
                    "金融"
                } else {
                    "社保"
                }
            );
        }
        Refusal::PinNotSet => "尚未设置密码。",
        Refusal::PinFormat => "密码须为六位数字。",
        Refusal::PinWeak { .. } => "密码过于简单（如连续、重复的数字或生日），请换一个。",
        Refusal::PinNotLocked => "密码未锁定，无须解锁。",
        Refusal::BalanceRemaining { balance_fen } => {
            return format!(
                "账户仍有余额{}元，须先结清才能注销。",
                shebao_app::money::yuan(*balance_fen)
            );
        }
        Refusal::InvalidAmount => "金额须为正数，且不超过单笔限额。",
        Refusal::AlreadyReversed => "此笔交易已冲正。",
        Refusal::CannotReverseReversal => "冲正交易不能再冲正。",
        Refusal::ApprovalByMaker => "须由另一人审批：经办人不能审批自己提交的业务。",
        Refusal::ApprovalNotPending => "此申请已审批。",
        Refusal::ApprovalExpired => "此申请已过期未审批；如仍需要，请重新提交。",
        Refusal::InvalidParameters { .. } => "参数超出规定范围。",
    };
    text.to_owned()
}

fn identity_zh(error: &IdentityError) -> String {
    let text = match error {
        IdentityError::Length => "号码位数不对。",
        IdentityError::Character => "号码中有不允许的字符。",
        IdentityError::CheckCharacter { expected } => {
            return format!("校验码与号码不符（应为{expected}），请核对。");
        }
        IdentityError::BirthDate => "号码中的出生日期不是有效日期。",
        IdentityError::FutureBirthDate => "号码中的出生日期晚于今天。",
        IdentityError::Province => "号码开头不是有效的省份代码。",
        IdentityError::CentenarianSequence => "此15位号码使用百岁老人专用顺序码，须人工审核。",
        IdentityError::Luhn => "卡号校验位不符。",
        IdentityError::Format => "号码格式不正确。",
    };
    text.to_owned()
}

fn insurance_zh(error: &InsuranceError) -> &'static str {
    match error {
        InsuranceError::InvalidRate { .. } => "费率须在0到100%之间。",
        InsuranceError::InvalidParameters { .. } => "参保参数不符合规定。",
        InsuranceError::InvalidWorkInjuryClass { .. } => "工伤保险行业类别不存在（1至8类）。",
        InsuranceError::InvalidWorkInjuryTier { .. } => "工伤保险费率浮动档次超出本类别允许范围。",
        InsuranceError::InvalidContributionIndex => "平均缴费指数须在0.6至3.0之间，最多4位小数。",
        InsuranceError::AgeOutsideDivisorTable { .. } => {
            "退休年龄超出个人账户计发月数表的范围（40至70岁）。"
        }
        InsuranceError::InvalidDisabilityGrade { .. } => "伤残等级须为1至10级。",
    }
}

fn rule_zh(code: RefusalCode) -> &'static str {
    match code {
        RefusalCode::AlreadyUndone => "此笔结算已撤销。",
        RefusalCode::AmbiguousPolicy => "适用的政策不唯一，请联系管理员。",
        RefusalCode::AuditChainBroken => "审计记录校验未通过，不能清理。",
        RefusalCode::AuditRetentionFloor => "审计记录未到保存期限，不能清理。",
        RefusalCode::BankCardNumberTaken => "此银行卡号已属于另一张卡。",
        RefusalCode::BillAlreadySettled => "此单据已结算。",
        RefusalCode::CardNotRecognised => "卡号与芯片识别码不符，无法识别此卡。",
        RefusalCode::CardRequired => "须读卡办理。",
        RefusalCode::CodeExpired => "电子社保卡二维码已过期，请出示刷新后的二维码。",
        RefusalCode::CodeUsed => "此付款码已使用过，请出示新的付款码。",
        RefusalCode::ECardExists => "此卡已开通电子社保卡。",
        RefusalCode::ECardNotOffered => "本地区尚未开通电子社保卡二维码服务。",
        RefusalCode::ECardRevoked => "此电子社保卡已注销，请重新申领。",
        RefusalCode::ContributionPeriodTooShort => "累计缴费年限不足。",
        RefusalCode::AttendanceShort => "出勤课时未达到结业所需的比例。",
        RefusalCode::CourseFull => "此培训项目名额已满。",
        RefusalCode::CourseNotOver => "培训尚未到最后一天，不能登记结业。",
        RefusalCode::EnrolmentClosed => "培训已经开始，不能再报名或退出。",
        RefusalCode::DeadlinePassed => "已超过规定的申请期限。",
        RefusalCode::ExpertPoolTooSmall => "专家库中与该单位无关的专家人数不足，无法抽取。",
        RefusalCode::PointFull => "该领卡网点的名额已满，请选择其他网点。",
        RefusalCode::GateNotPassed => {
            "该产品在本地区尚未通过检测准入（或因变更需重新检测），不能正式生产。"
        }
        RefusalCode::HolderEnrolmentRefused => "身份证号码与卡信息不能证明此人持有已领取的有效卡。",
        RefusalCode::HolderLoginByEnrolment => "持卡人账号只能由本人注册或在社保窗口开通。",
        RefusalCode::HolderLoginExists => "此人已有持卡人账号；可在窗口重置密码。",
        RefusalCode::InvalidToken => "电子社保卡二维码无效：签名不符或不是电子社保卡二维码。",
        RefusalCode::MonthInFuture => "所选月份尚未开始。",
        RefusalCode::NoCard => "此人没有可用的社保卡。",
        RefusalCode::NoContributionRecord => "没有计算待遇所需的缴费记录。",
        RefusalCode::NoParameters => "没有当时适用的地区参数。",
        RefusalCode::NoPolicy => "没有适用的医保政策。",
        RefusalCode::NotEnrolled => "该月份未参保。",
        RefusalCode::NotInsured => "此人未参加医疗保险。",
        RefusalCode::NotRetirementAge => "尚未达到退休年龄。",
        RefusalCode::NotReversibleHere => "此类交易不能在银行柜台冲正。",
        RefusalCode::OneTimePasswordShown => {
            "此请求已办理过，一次性密码当时已显示；如需新密码请重置。"
        }
        RefusalCode::OwedTotalChanged => "该月应缴金额已有变化，请核对后重新确认。",
        RefusalCode::PensionNotComputable => "无法计算养老金。",
        RefusalCode::ReversalWaiting => "此笔交易的冲正已在等待审批。",
        RefusalCode::SameClerk => {
            "同一经办人不能既登记、报告或审核通过一项业务，又审核或支付同一业务。"
        }
        RefusalCode::StillEmployed => "此人仍在单位参保，不能办理失业登记。",
        RefusalCode::TooEarly => "尚未到可以申请的日期。",
        RefusalCode::TooManyApplications => "待答复的求职申请已达上限（50份）。",
        RefusalCode::TooManyNamesakes => "同名人员过多，请按身份证号码查找。",
        RefusalCode::WrongState => "当前状态下不能办理此项。",
        RefusalCode::SealingKeyMissing => {
            "该制卡厂商尚未登记个人化数据加密公钥，不能生成个人化文件。"
        }
        RefusalCode::MasterKeyMissing => "本地区尚缺少某一用途的有效主密钥，不能生成个人化文件。",
        RefusalCode::VacancyApplicationsFull => "此职位的申请已满，不再接受申请。",
        RefusalCode::VendorNotCertified => {
            "该制卡厂商的资质、安全环境认证或PSAM备案缺失或已过期，不能生产。"
        }
        RefusalCode::YearNotOver => "该年度尚未结束。",
    }
}

fn clash_zh(clash: &Clash) -> String {
    let text = match clash {
        Clash::PersonRegistered => "该身份证号码已登记。",
        Clash::EmployerRegistered => "该统一社会信用代码已登记。",
        Clash::AlreadyInsured => "此人在该月份已参保。",
        Clash::ContributionRecorded { month } => return format!("{month}的养老保险费已登记。"),
        Clash::PensionAwarded => "已核定养老金。",
        Clash::AdministratorExists => "管理员已存在。",
        Clash::UsernameTaken { .. } => "该用户名已被使用。",
        Clash::AlreadyApplied => "已申请过此职位。",
        Clash::AlreadyRegistered => "此人已办理失业登记，尚未结束。",
        Clash::AlreadyReferred => "本次失业期间已推荐过此职位。",
        Clash::LeaverReported => "该职工当日离职已报告。",
        Clash::AlreadyOwed => "此项应退还款项已记录。",
        Clash::MaternityClaimed => "当日已申领过生育津贴。",
        Clash::InjuryCaseExists => "该日的工伤认定已经申请。",
        Clash::ExpertCodeTaken => "专家库中已有此编号的专家。",
        Clash::AppraisalOpen => "此案已抽取鉴定专家组，尚未作出结论。",
        Clash::InjurySettled => "此案的伤残待遇已经核定。",
        Clash::ProviderRegistered => "该统一社会信用代码的培训机构已登记。",
        Clash::AlreadyEnrolled => "已报名此培训项目。",
        Clash::AttendanceRecorded => "当日出勤已经登记。",
        Clash::SubsidyPaid => "此人结业的培训补贴已经支付。",
        Clash::VendorRegistered => "该统一社会信用代码的制卡厂商已登记。",
        Clash::GateStepRecorded => "该产品版本的此项审批已经登记。",
        Clash::TestCardRecorded => "该产品版本已登记过此编号的测试卡。",
        Clash::AuditRecorded => "此测试卡的该项检测结果已经登记。",
        Clash::Store(_) => "记录已被他人修改或与现有记录冲突，未办理；请刷新后重试。",
    };
    text.to_owned()
}

/// A field's name in Chinese (the API's field names are identifiers).
fn field_zh(field: &str) -> &'static str {
    match field {
        "citizen_id" => "身份证号码",
        "amount_fen" | "amount" => "金额",
        "pin" | "old_pin" | "new_pin" | "social_pin" => "密码",
        "card_number" => "卡号",
        "bank_card_number" => "银行卡号",
        "to_account" => "账户",
        "distribution_point" => "领卡地点",
        "csv" | "file" => "文件",
        "lines" => "费用明细",
        "bill" | "bill_number" => "单据号",
        "month" => "月份",
        "year" => "年度",
        "name" => "姓名或名称",
        "reason" => "原因",
        "username" => "用户名",
        "password" => "密码",
        "side" => "挂失的功能",
        "kind" => "类别",
        "date" | "effective_from" => "日期",
        "bank_id" => "银行",
        "region" => "地区",
        "credit_code" => "统一社会信用代码",
        "memo" => "备注",
        "category" => "类别",
        "title" => "职位名称",
        "occupation" | "wanted_occupation" => "职业代码",
        "place" | "wanted_place" => "工作地点",
        "wage_min_fen" | "wage_max_fen" | "wage_at_least_fen" => "工资",
        "requirements" => "任职要求",
        "openings" => "招聘人数",
        "closing" => "截止日期",
        "note" => "说明",
        "cover_note" => "求职留言",
        "skills" => "技能",
        "available_from" => "可到岗日期",
        "q" => "搜索词",
        "decision" => "审核结果",
        "outcome" => "结果",
        "hours" => "课时",
        "places" => "名额",
        "subsidy_fen" => "补贴金额",
        "payee" => "补贴发放对象",
        "starts_on" => "开班日期",
        "ends_on" => "结业日期",
        "day" => "日期",
        "provider_id" => "培训机构",
        "vendor_id" => "制卡厂商",
        "contact" => "联系人",
        "number" => "证书编号",
        "issued_on" => "发证（备案）日期",
        "valid_until" => "有效期至",
        "generation" => "卡规范版本",
        "chip" => "芯片",
        "operating_system" => "芯片操作系统",
        "face_design" => "卡面设计",
        "face_version" => "卡面版本",
        "file_structure_version" => "文件结构版本",
        "what" => "变更事项",
        "value" => "变更后内容",
        "step" => "审批事项",
        "reference" => "批准文号",
        "approved_on" => "批准日期",
        "serial" => "测试卡编号",
        "made_on" => "制作日期",
        "audit" => "检测项目",
        "checks" => "检测项",
        "passed" => "检测结论",
        "audited_on" => "检测日期",
        "purpose" => "密钥用途",
        "cards" => "卡数",
        "results" => "制卡结果",
        "identification_code" => "卡识别码",
        _ => "提交的内容",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Han characters in a text.
    fn has_han(text: &str) -> bool {
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// Latin letters in a text (a Chinese refusal may hold digits, never English words).
    fn has_latin(text: &str) -> bool {
        text.chars().any(|c| c.is_ascii_alphabetic())
    }

    /// One error of each kind the pages can meet.
    fn samples() -> Vec<AppError> {
        vec![
            AppError::Refused(Refusal::CardLost { side: "financial" }),
            AppError::Refused(Refusal::PinIncorrect { retries_left: 2 }),
            AppError::Refused(Refusal::InvalidCardState {
                action: "collected",
                state: "applied",
            }),
            AppError::Refused(Refusal::BalanceRemaining { balance_fen: 1_250 }),
            AppError::Identity {
                field: "citizen_id",
                error: IdentityError::CheckCharacter { expected: '0' },
            },
            AppError::invalid("amount_fen", "a positive number"),
            AppError::invalid("some_new_field", "whatever"),
            AppError::NotFound("card crd_1".into()),
            AppError::Forbidden,
            AppError::Conflict(Clash::PersonRegistered),
            AppError::Conflict(Clash::Store("version".into())),
            AppError::Rule {
                code: RefusalCode::NotRetirementAge,
                message: "not yet".into(),
            },
            AppError::SignInLocked {
                retry_after_seconds: 90,
            },
            AppError::Busy("calls".into()),
        ]
    }

    #[test]
    fn a_chinese_refusal_has_no_english_and_an_english_one_no_chinese() {
        for error in samples() {
            let zh = Zh.app_error(&error);
            let en = En.app_error(&error);
            assert!(
                has_han(&zh) && !has_latin(&zh),
                "{error:?} in Chinese: {zh}"
            );
            assert!(
                !has_han(&en) && has_latin(&en),
                "{error:?} in English: {en}"
            );
            assert!(
                !en.contains("crd_"),
                "{error:?} in English names an id: {en}"
            );
        }
    }

    #[test]
    fn the_details_a_person_needs_are_kept() {
        let pin = AppError::Refused(Refusal::PinIncorrect { retries_left: 2 });
        assert!(Zh.app_error(&pin).contains('2'));
        let wait = AppError::SignInLocked {
            retry_after_seconds: 90,
        };
        assert_eq!(Zh.app_error(&wait), "登录失败次数过多，请2分钟后再试。");
        let id = AppError::Identity {
            field: "citizen_id",
            error: IdentityError::CheckCharacter { expected: 'X' },
        };
        assert_eq!(
            Zh.app_error(&id),
            "身份证号码：校验码与号码不符（应为X），请核对。"
        );
    }
}
