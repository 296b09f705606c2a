//! Job seeking: a holder's applications to published vacancies and the employer's outcomes,
//! and the job seeker's profile (issue 17, item 1).

use super::{
    EmploymentError, OPEN_DAYS_MAX, VacancyStatus, invalid, is_occupation_code, is_place_code, text,
};
use crate::time::Date;

/// The longest skills text of a profile, in characters.
pub const SKILLS_CHARS_MAX: usize = 500;
/// The longest note a holder sends with an application, in characters.
pub const COVER_NOTE_CHARS_MAX: usize = 500;
/// The most applications a holder may have open (applied or interviewed) at once: a job
/// seeker applies where they mean it, and an employer's list is not flooded by one person.
pub const OPEN_APPLICATIONS_MAX: usize = 50;

/// Where an application is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApplicationStatus {
    /// Sent; the employer has recorded nothing yet.
    Applied,
    /// The employer interviewed the applicant.
    Interviewed,
    /// The employer hired the applicant.
    Hired,
    /// The employer did not hire the applicant.
    NotHired,
    /// The applicant withdrew it.
    Withdrawn,
}

impl ApplicationStatus {
    /// Every status.
    pub const ALL: [ApplicationStatus; 5] = [
        ApplicationStatus::Applied,
        ApplicationStatus::Interviewed,
        ApplicationStatus::Hired,
        ApplicationStatus::NotHired,
        ApplicationStatus::Withdrawn,
    ];

    /// The outcomes an employer records.
    pub const OUTCOMES: [&'static str; 3] = ["interviewed", "hired", "not_hired"];

    /// The stable name; never renamed.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::Applied => "applied",
            ApplicationStatus::Interviewed => "interviewed",
            ApplicationStatus::Hired => "hired",
            ApplicationStatus::NotHired => "not_hired",
            ApplicationStatus::Withdrawn => "withdrawn",
        }
    }

    /// The status named by [`ApplicationStatus::as_str`].
    #[must_use]
    pub fn parse(input: &str) -> Option<ApplicationStatus> {
        ApplicationStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == input)
    }

    /// Whether the application still waits for an outcome.
    #[must_use]
    pub const fn is_open(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Applied | ApplicationStatus::Interviewed
        )
    }

    /// The status after the employer records `outcome` (one of [`Self::OUTCOMES`]): an
    /// applied application may be interviewed, hired or not; an interviewed one hired or not.
    pub fn recorded(self, outcome: &str) -> Result<ApplicationStatus, EmploymentError> {
        let next = match outcome {
            "interviewed" => ApplicationStatus::Interviewed,
            "hired" => ApplicationStatus::Hired,
            "not_hired" => ApplicationStatus::NotHired,
            _ => return Err(invalid("outcome", "interviewed, hired or not_hired")),
        };
        let allowed = match self {
            ApplicationStatus::Applied => true,
            ApplicationStatus::Interviewed => next != ApplicationStatus::Interviewed,
            _ => false,
        };
        if !allowed {
            return Err(EmploymentError::WrongState {
                action: "record an outcome of",
                state: self.as_str(),
            });
        }
        Ok(next)
    }

    /// The status after the applicant withdraws: only an open application is withdrawn.
    pub fn withdrawn(self) -> Result<ApplicationStatus, EmploymentError> {
        if self.is_open() {
            Ok(ApplicationStatus::Withdrawn)
        } else {
            Err(EmploymentError::WrongState {
                action: "withdraw",
                state: self.as_str(),
            })
        }
    }
}

/// Whether a vacancy takes applications on `today`: published and not past its closing date.
pub fn takes_applications(
    status: VacancyStatus,
    closing: Date,
    today: Date,
) -> Result<(), EmploymentError> {
    if status != VacancyStatus::Published {
        return Err(EmploymentError::WrongState {
            action: "apply to",
            state: status.as_str(),
        });
    }
    if closing < today {
        return Err(EmploymentError::WrongState {
            action: "apply to",
            state: "past its closing date",
        });
    }
    Ok(())
}

/// Whether a hire that brings a vacancy's hires to `hires` fills it: a vacancy closes once
/// every opening is filled.
#[must_use]
pub const fn filled(hires: u32, openings: u32) -> bool {
    hires >= openings
}

/// The note sent with an application, checked: at most [`COVER_NOTE_CHARS_MAX`] characters,
/// no control character but line breaks; empty is allowed.
pub fn cover_note(input: &str) -> Result<String, EmploymentError> {
    let trimmed = input.trim();
    if trimmed.chars().count() > COVER_NOTE_CHARS_MAX
        || trimmed
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        return Err(invalid(
            "cover_note",
            "at most 500 characters, no control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

/// A job seeker's profile as it came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileDraft<'a> {
    pub skills: &'a str,
    pub wanted_occupation: Option<&'a str>,
    pub wanted_place: Option<&'a str>,
    pub available_from: Date,
}

/// A job seeker's checked profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobProfile {
    pub skills: String,
    pub wanted_occupation: Option<String>,
    pub wanted_place: Option<String>,
    pub available_from: Date,
}

impl ProfileDraft<'_> {
    /// Checks a profile kept on `today`: skills (1 to [`SKILLS_CHARS_MAX`] characters), an
    /// occupation code and a place code if given, and an availability date from a year ago
    /// (someone available for a while already) to [`OPEN_DAYS_MAX`] days on.
    pub fn check(&self, today: Date) -> Result<JobProfile, EmploymentError> {
        let skills = text(
            self.skills,
            "skills",
            SKILLS_CHARS_MAX,
            "1 to 500 characters, no control characters",
        )?;
        let optional = |value: Option<&str>| {
            value
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let wanted_occupation = optional(self.wanted_occupation);
        if wanted_occupation
            .as_deref()
            .is_some_and(|c| !is_occupation_code(c))
        {
            return Err(invalid(
                "wanted_occupation",
                "an occupation code of the national classification, such as 2-02-10-01",
            ));
        }
        let wanted_place = optional(self.wanted_place);
        if wanted_place.as_deref().is_some_and(|c| !is_place_code(c)) {
            return Err(invalid(
                "wanted_place",
                "the 6-digit administrative code of where the work is wanted",
            ));
        }
        let days = self.available_from.days_since_epoch() - today.days_since_epoch();
        if !(-OPEN_DAYS_MAX..=OPEN_DAYS_MAX).contains(&days) {
            return Err(invalid("available_from", "a date within 366 days of today"));
        }
        Ok(JobProfile {
            skills,
            wanted_occupation,
            wanted_place,
            available_from: self.available_from,
        })
    }
}
