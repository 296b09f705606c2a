//! Vocational training (issue 17, item 3): a registered provider's courses (an occupation,
//! hours, places, a subsidy per completion and whom it is paid to), reviewed by the bureau
//! before holders may enrol; a trainee's attendance day by day, and the completion, which
//! needs the region's share of the course's hours attended and the course to be over.

use super::{EmploymentError, TITLE_CHARS_MAX, invalid, is_occupation_code, text};
use crate::time::Date;

/// The most hours one course may have.
pub const COURSE_HOURS_MAX: u32 = 2_000;
/// The most places one course may offer.
pub const COURSE_PLACES_MAX: u32 = 1_000;
/// How long a course may run, in days from its first to its last.
pub const COURSE_DAYS_MAX: i64 = 366;
/// How far ahead a course may start, in days from its posting.
pub const COURSE_AHEAD_DAYS_MAX: i64 = 366;
/// The most hours one day's attendance may record.
pub const DAY_HOURS_MAX: u32 = 12;
/// The longest provider name, in characters.
pub const PROVIDER_NAME_CHARS_MAX: usize = 100;

/// A region's training rules, a part of its benefit parameters (versioned, never constants):
/// the share of a course's hours a trainee must attend to complete it, and the most a course
/// may pay per completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrainingParameters {
    /// 50 to 100.
    pub attendance_percent: u32,
    pub subsidy_max_fen: i64,
}

impl TrainingParameters {
    /// Checks an attendance share of 50% to 100% and a subsidy cap of 1 fen to 1,000,000 yuan.
    pub fn validate(&self) -> Result<(), &'static str> {
        if !(50..=100).contains(&self.attendance_percent) {
            return Err("the training attendance share must be 50 to 100 percent");
        }
        if !(1..=SUBSIDY_FEN_MAX).contains(&self.subsidy_max_fen) {
            return Err("the training subsidy cap must be from 1 to 100000000 fen");
        }
        Ok(())
    }

    /// The hours a trainee of a course of `hours` must attend: the share, rounded up.
    #[must_use]
    pub fn required_hours(&self, hours: u32) -> u32 {
        required_hours(hours, self.attendance_percent)
    }
}

/// `percent` of `hours`, rounded up: the hours a completion needs.
#[must_use]
pub fn required_hours(hours: u32, percent: u32) -> u32 {
    let required = (u64::from(hours) * u64::from(percent)).div_ceil(100);
    u32::try_from(required).unwrap_or(u32::MAX)
}

/// The largest subsidy cap a region may set, in fen (1,000,000 yuan).
pub const SUBSIDY_FEN_MAX: i64 = 100_000_000;

/// Whom a course's subsidy is paid to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubsidyPayee {
    /// The trainee's card.
    Card,
    /// The provider (what the fund owes it, settled outside the ledger).
    Provider,
}

impl SubsidyPayee {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            SubsidyPayee::Card => "card",
            SubsidyPayee::Provider => "provider",
        }
    }

    #[must_use]
    pub fn parse(input: &str) -> Option<SubsidyPayee> {
        [SubsidyPayee::Card, SubsidyPayee::Provider]
            .into_iter()
            .find(|p| p.as_str() == input)
    }
}

/// A provider's name as registered: 1 to [`PROVIDER_NAME_CHARS_MAX`] characters.
pub fn provider_name(input: &str) -> Result<String, EmploymentError> {
    text(
        input,
        "name",
        PROVIDER_NAME_CHARS_MAX,
        "1 to 100 characters, no control characters",
    )
}

/// What a provider posts, as it came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseDraft<'a> {
    pub title: &'a str,
    pub occupation: &'a str,
    pub hours: u32,
    pub places: u32,
    pub subsidy_fen: i64,
    pub payee: &'a str,
    pub starts_on: Date,
    pub ends_on: Date,
}

/// A course's checked fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseTerms {
    pub title: String,
    pub occupation: String,
    pub hours: u32,
    pub places: u32,
    pub subsidy_fen: i64,
    pub payee: SubsidyPayee,
    pub starts_on: Date,
    pub ends_on: Date,
    /// The region's attendance share when the course was posted: what its completions need.
    pub attendance_percent: u32,
}

impl CourseDraft<'_> {
    /// Checks a draft posted on `today` in a region with `params`: a title, an occupation
    /// code, 1 to [`COURSE_HOURS_MAX`] hours, 1 to [`COURSE_PLACES_MAX`] places, a subsidy of
    /// 1 fen to the region's cap, a payee, a first day from today to
    /// [`COURSE_AHEAD_DAYS_MAX`] days on, a last day from the first to [`COURSE_DAYS_MAX`]
    /// days after it, and no more hours than the days can hold.
    pub fn check(
        &self,
        today: Date,
        params: &TrainingParameters,
    ) -> Result<CourseTerms, EmploymentError> {
        let title = text(
            self.title,
            "title",
            TITLE_CHARS_MAX,
            "1 to 100 characters, no control characters",
        )?;
        let occupation = self.occupation.trim();
        if !is_occupation_code(occupation) {
            return Err(invalid(
                "occupation",
                "an occupation code of the national classification, such as 4-07-05-01",
            ));
        }
        if !(1..=COURSE_HOURS_MAX).contains(&self.hours) {
            return Err(invalid("hours", "1 to 2000 hours"));
        }
        if !(1..=COURSE_PLACES_MAX).contains(&self.places) {
            return Err(invalid("places", "1 to 1000 places"));
        }
        if !(1..=params.subsidy_max_fen).contains(&self.subsidy_fen) {
            return Err(invalid(
                "subsidy_fen",
                "at least 1 fen and at most the region's cap per completion",
            ));
        }
        let payee = SubsidyPayee::parse(self.payee.trim())
            .ok_or_else(|| invalid("payee", "card or provider"))?;
        let ahead = self.starts_on.days_since_epoch() - today.days_since_epoch();
        if !(0..=COURSE_AHEAD_DAYS_MAX).contains(&ahead) {
            return Err(invalid("starts_on", "from today to a year on"));
        }
        let length = self.ends_on.days_since_epoch() - self.starts_on.days_since_epoch();
        if !(0..COURSE_DAYS_MAX).contains(&length) {
            return Err(invalid("ends_on", "from the first day to a year after it"));
        }
        if i64::from(self.hours) > (length + 1) * i64::from(DAY_HOURS_MAX) {
            return Err(invalid(
                "hours",
                "no more than 12 hours a day between the first and the last day",
            ));
        }
        Ok(CourseTerms {
            title,
            occupation: occupation.to_owned(),
            hours: self.hours,
            places: self.places,
            subsidy_fen: self.subsidy_fen,
            payee,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            attendance_percent: params.attendance_percent,
        })
    }
}

/// Why a training request is refused, beyond a malformed field or a wrong state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrainingRefusal {
    /// A field or a state ([`EmploymentError`]).
    Employment(EmploymentError),
    /// Every place is taken.
    CourseFull,
    /// The course has started: nobody enrols any more.
    EnrolmentClosed,
    /// Completion before the course's last day.
    CourseNotOver,
    /// Withdrawal once the course has started (the provider records who did not complete).
    CourseStarted,
    /// Too few hours attended to complete.
    AttendanceShort { attended: u32, required: u32 },
}

impl TrainingRefusal {
    /// The stable machine code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            TrainingRefusal::Employment(error) => error.code(),
            TrainingRefusal::CourseFull => "course_full",
            TrainingRefusal::EnrolmentClosed => "enrolment_closed",
            TrainingRefusal::CourseNotOver => "course_not_over",
            TrainingRefusal::CourseStarted => "enrolment_closed",
            TrainingRefusal::AttendanceShort { .. } => "attendance_short",
        }
    }
}

impl std::fmt::Display for TrainingRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TrainingRefusal::Employment(error) => error.fmt(f),
            TrainingRefusal::CourseFull => f.write_str("every place of the course is taken"),
            TrainingRefusal::EnrolmentClosed => {
                f.write_str("the course has started; enrolment is closed")
            }
            TrainingRefusal::CourseNotOver => {
                f.write_str("a completion is recorded from the course's last day")
            }
            TrainingRefusal::CourseStarted => f.write_str(
                "the course has started: a trainee who leaves is recorded by the provider as not completed",
            ),
            TrainingRefusal::AttendanceShort { attended, required } => write!(
                f,
                "{attended} hours attended; {required} are needed to complete the course"
            ),
        }
    }
}

impl From<EmploymentError> for TrainingRefusal {
    fn from(error: EmploymentError) -> TrainingRefusal {
        TrainingRefusal::Employment(error)
    }
}

/// A course's life: posted (`pending`), then `open` for enrolment once the bureau approves
/// it, or `rejected`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CourseStatus {
    Pending,
    Open,
    Rejected,
}

impl CourseStatus {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            CourseStatus::Pending => "pending",
            CourseStatus::Open => "open",
            CourseStatus::Rejected => "rejected",
        }
    }

    #[must_use]
    pub fn parse(input: &str) -> Option<CourseStatus> {
        [
            CourseStatus::Pending,
            CourseStatus::Open,
            CourseStatus::Rejected,
        ]
        .into_iter()
        .find(|s| s.as_str() == input)
    }

    /// The bureau's review: only a pending course is reviewed.
    pub fn review(self, approve: bool) -> Result<CourseStatus, EmploymentError> {
        if self != CourseStatus::Pending {
            return Err(EmploymentError::WrongState {
                action: "review",
                state: self.as_str(),
            });
        }
        Ok(if approve {
            CourseStatus::Open
        } else {
            CourseStatus::Rejected
        })
    }
}

/// An enrolment's life: `enrolled`, then `withdrawn` by the trainee, or `completed` or
/// `not_completed` as the provider records at the course's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnrolmentStatus {
    Enrolled,
    Withdrawn,
    Completed,
    NotCompleted,
}

impl EnrolmentStatus {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            EnrolmentStatus::Enrolled => "enrolled",
            EnrolmentStatus::Withdrawn => "withdrawn",
            EnrolmentStatus::Completed => "completed",
            EnrolmentStatus::NotCompleted => "not_completed",
        }
    }

    #[must_use]
    pub fn parse(input: &str) -> Option<EnrolmentStatus> {
        [
            EnrolmentStatus::Enrolled,
            EnrolmentStatus::Withdrawn,
            EnrolmentStatus::Completed,
            EnrolmentStatus::NotCompleted,
        ]
        .into_iter()
        .find(|s| s.as_str() == input)
    }

    fn ensure_enrolled(self, action: &'static str) -> Result<(), EmploymentError> {
        if self == EnrolmentStatus::Enrolled {
            Ok(())
        } else {
            Err(EmploymentError::WrongState {
                action,
                state: self.as_str(),
            })
        }
    }

    /// The trainee withdraws: only while enrolled.
    pub fn withdraw(self) -> Result<EnrolmentStatus, EmploymentError> {
        self.ensure_enrolled("withdraw")?;
        Ok(EnrolmentStatus::Withdrawn)
    }
}

/// A trainee's withdrawal on `today`: while enrolled, until the course's first day (after
/// it, the provider records whether they completed).
pub fn withdraw(
    course: &CourseFacts,
    status: EnrolmentStatus,
    today: Date,
) -> Result<EnrolmentStatus, TrainingRefusal> {
    let withdrawn = status.withdraw()?;
    if today > course.starts_on {
        return Err(TrainingRefusal::CourseStarted);
    }
    Ok(withdrawn)
}

/// A course as far as enrolment, attendance and completion need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CourseFacts {
    pub status: CourseStatus,
    pub hours: u32,
    pub places: u32,
    pub starts_on: Date,
    pub ends_on: Date,
    /// The share of the hours a completion needs, in percent.
    pub attendance_percent: u32,
}

/// Whether a person may enrol on `today` when `taken` places are taken: the course is open,
/// has not started, and has a place left.
pub fn may_enrol(course: &CourseFacts, taken: u32, today: Date) -> Result<(), TrainingRefusal> {
    if course.status != CourseStatus::Open {
        return Err(EmploymentError::WrongState {
            action: "enrol in",
            state: course.status.as_str(),
        }
        .into());
    }
    if today > course.starts_on {
        return Err(TrainingRefusal::EnrolmentClosed);
    }
    if taken >= course.places {
        return Err(TrainingRefusal::CourseFull);
    }
    Ok(())
}

/// Checks a day's attendance of `hours` on `day`, recorded on `today`, for an enrolment that
/// attended `attended` hours so far: enrolled, a day of the course that has come, 1 to
/// [`DAY_HOURS_MAX`] hours, and no more in all than the course has.
pub fn check_attendance(
    course: &CourseFacts,
    status: EnrolmentStatus,
    attended: u32,
    (day, hours): (Date, u32),
    today: Date,
) -> Result<(), TrainingRefusal> {
    status.ensure_enrolled("record attendance for")?;
    if day < course.starts_on || day > course.ends_on {
        return Err(invalid("day", "a day from the course's first to its last").into());
    }
    if day > today {
        return Err(invalid("day", "today or a day before").into());
    }
    if !(1..=DAY_HOURS_MAX).contains(&hours) {
        return Err(invalid("hours", "1 to 12 hours").into());
    }
    if attended + hours > course.hours {
        return Err(invalid("hours", "more in all than the course's hours").into());
    }
    Ok(())
}

/// The provider's record at the course's end on `today`: completed (`passed`, which needs
/// the course's share of the hours attended) or not. Only an enrolled trainee, and only
/// from the course's last day.
pub fn complete(
    course: &CourseFacts,
    status: EnrolmentStatus,
    attended: u32,
    passed: bool,
    today: Date,
) -> Result<EnrolmentStatus, TrainingRefusal> {
    status.ensure_enrolled("record the completion of")?;
    if today < course.ends_on {
        return Err(TrainingRefusal::CourseNotOver);
    }
    if !passed {
        return Ok(EnrolmentStatus::NotCompleted);
    }
    let required = required_hours(course.hours, course.attendance_percent);
    if attended < required {
        return Err(TrainingRefusal::AttendanceShort { attended, required });
    }
    Ok(EnrolmentStatus::Completed)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, reason = "tests")]
mod tests;
