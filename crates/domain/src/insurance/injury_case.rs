//! A work-injury case from application to the appraisal in force (Work Injury Insurance
//! Regulations, 2010 revision, Arts. 17, 20, 23-28; benefits.md): who may apply and by when,
//! the day the decision is due, the panel of experts drawn for an appraisal (reproducible from
//! its seed), and when a re-appraisal or a review appraisal may be asked for.
//!
//! These periods are the State Council's, not a province's: constants, with their articles.

use sha2::{Digest, Sha256};

use crate::time::Date;

/// Days after the injury within which the employer applies for recognition (Art. 17).
pub const EMPLOYER_APPLICATION_DAYS: i64 = 30;
/// Years after the injury within which the worker or the family applies (Art. 17).
pub const WORKER_APPLICATION_YEARS: i32 = 1;
/// Days within which the bureau decides an application (Art. 20).
pub const DECISION_DAYS: i64 = 60;
/// Days within which it decides a clear case (Art. 20).
pub const CLEAR_DECISION_DAYS: i64 = 15;
/// Days within which the committee concludes an appraisal (Art. 25: 60, extendable by 30).
pub const APPRAISAL_DAYS: i64 = 60;
/// Days after a conclusion within which a party may ask the province for a re-appraisal
/// (Art. 26).
pub const REAPPRAISAL_REQUEST_DAYS: i64 = 15;
/// Years after a conclusion before a review appraisal may be asked for (Art. 28).
pub const REVIEW_AFTER_YEARS: i32 = 1;
/// The most experts a region's pool holds: a draw reads them all.
pub const EXPERT_POOL_MAX: usize = 500;

/// Who applies for recognition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InjuryApplicant {
    /// The employer, within 30 days.
    Employer,
    /// The injured worker, within a year.
    Worker,
    /// The worker's close relatives, within a year.
    Family,
}

impl InjuryApplicant {
    pub const ALL: [InjuryApplicant; 3] = [
        InjuryApplicant::Employer,
        InjuryApplicant::Worker,
        InjuryApplicant::Family,
    ];
    /// Every name [`InjuryApplicant::parse`] accepts.
    pub const NAMES: [&'static str; 3] = names_of!(InjuryApplicant, 3);

    /// The stable name; never renamed.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            InjuryApplicant::Employer => "employer",
            InjuryApplicant::Worker => "worker",
            InjuryApplicant::Family => "family",
        }
    }

    #[must_use]
    pub fn parse(input: &str) -> Option<InjuryApplicant> {
        InjuryApplicant::ALL
            .into_iter()
            .find(|a| a.as_str() == input)
    }

    /// The last day this applicant may apply for an injury of `injured_on`.
    #[must_use]
    pub fn last_day(self, injured_on: Date) -> Date {
        match self {
            InjuryApplicant::Employer => injured_on.add_days(EMPLOYER_APPLICATION_DAYS),
            InjuryApplicant::Worker | InjuryApplicant::Family => {
                injured_on.add_years(WORKER_APPLICATION_YEARS)
            }
        }
    }
}

/// Why an application or an appraisal request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InjuryRefusal {
    /// The injury's day is still to come.
    InjuryToCome,
    /// Applied after the applicant's last day.
    ApplicationLate { last_day: Date },
    /// A re-appraisal asked for after the 15 days.
    ReappraisalLate { last_day: Date },
    /// A review appraisal asked for before a year has passed.
    ReviewTooEarly { first_day: Date },
    /// A re-appraisal or a review asked for before the conclusion it follows.
    RequestBeforeConclusion { concluded_on: Date },
    /// A panel of other than 3 or 5 experts.
    PanelSize { size: usize },
    /// Too few experts in the pool who are free of the employer.
    PoolTooSmall { eligible: usize, size: usize },
}

impl InjuryRefusal {
    /// The stable machine code.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            InjuryRefusal::InjuryToCome
            | InjuryRefusal::PanelSize { .. }
            | InjuryRefusal::RequestBeforeConclusion { .. } => "invalid",
            InjuryRefusal::ApplicationLate { .. } | InjuryRefusal::ReappraisalLate { .. } => {
                "deadline_passed"
            }
            InjuryRefusal::ReviewTooEarly { .. } => "too_early",
            InjuryRefusal::PoolTooSmall { .. } => "expert_pool_too_small",
        }
    }
}

impl std::fmt::Display for InjuryRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InjuryRefusal::InjuryToCome => f.write_str("the day of the injury is still to come"),
            InjuryRefusal::ApplicationLate { last_day } => {
                write!(f, "the application was due by {last_day}")
            }
            InjuryRefusal::ReappraisalLate { last_day } => {
                write!(f, "a re-appraisal could be asked for until {last_day}")
            }
            InjuryRefusal::ReviewTooEarly { first_day } => {
                write!(f, "a review appraisal may be asked for from {first_day}")
            }
            InjuryRefusal::RequestBeforeConclusion { concluded_on } => {
                write!(
                    f,
                    "asked for before the conclusion of {concluded_on} it follows"
                )
            }
            InjuryRefusal::PanelSize { size } => {
                write!(f, "a panel has 3 or 5 experts, not {size}")
            }
            InjuryRefusal::PoolTooSmall { eligible, size } => write!(
                f,
                "{eligible} experts of the pool are free of the employer; the panel needs {size}"
            ),
        }
    }
}

impl std::error::Error for InjuryRefusal {}

/// Checks an application made on `applied_on` for an injury on `injured_on`, and answers the
/// day its decision is due (15 days for a clear case, else 60).
pub fn check_application(
    applicant: InjuryApplicant,
    injured_on: Date,
    applied_on: Date,
    clear: bool,
) -> Result<Date, InjuryRefusal> {
    if injured_on > applied_on {
        return Err(InjuryRefusal::InjuryToCome);
    }
    let last_day = applicant.last_day(injured_on);
    if applied_on > last_day {
        return Err(InjuryRefusal::ApplicationLate { last_day });
    }
    Ok(applied_on.add_days(if clear {
        CLEAR_DECISION_DAYS
    } else {
        DECISION_DAYS
    }))
}

/// What an appraisal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppraisalKind {
    /// The first appraisal, once the condition is stable.
    First,
    /// The province's re-appraisal, asked for within 15 days of a first or a review
    /// conclusion; final.
    Reappraisal,
    /// A review, at least a year after the last conclusion in force.
    Review,
}

impl AppraisalKind {
    pub const ALL: [AppraisalKind; 3] = [
        AppraisalKind::First,
        AppraisalKind::Reappraisal,
        AppraisalKind::Review,
    ];
    /// Every name [`AppraisalKind::parse`] accepts.
    pub const NAMES: [&'static str; 3] = names_of!(AppraisalKind, 3);

    /// The stable name; never renamed.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            AppraisalKind::First => "first",
            AppraisalKind::Reappraisal => "reappraisal",
            AppraisalKind::Review => "review",
        }
    }

    #[must_use]
    pub fn parse(input: &str) -> Option<AppraisalKind> {
        AppraisalKind::ALL.into_iter().find(|k| k.as_str() == input)
    }

    /// Whether a party may still ask for a re-appraisal of a conclusion of this kind.
    const fn reappraisable(self) -> bool {
        matches!(self, AppraisalKind::First | AppraisalKind::Review)
    }
}

/// A concluded appraisal of the case, as far as what may follow it depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Concluded {
    pub kind: AppraisalKind,
    pub on: Date,
}

/// Whether an appraisal of `kind`, asked for by a party on `requested_on`, follows the
/// case's concluded appraisals (in the order concluded). `Ok(false)` when the kind does not
/// follow what was concluded (a second first appraisal, a re-appraisal of a re-appraisal, a
/// review or a re-appraisal before any conclusion): the caller's wrong state. The deadlines
/// count from the request, not from the day the committee draws its panel.
pub fn may_appraise(
    kind: AppraisalKind,
    concluded: &[Concluded],
    requested_on: Date,
) -> Result<bool, InjuryRefusal> {
    let last = concluded.last();
    if let Some(last) = last
        && kind != AppraisalKind::First
        && requested_on < last.on
    {
        return Err(InjuryRefusal::RequestBeforeConclusion {
            concluded_on: last.on,
        });
    }
    match (kind, last) {
        (AppraisalKind::First, None) => Ok(true),
        (AppraisalKind::Reappraisal, Some(last)) if last.kind.reappraisable() => {
            let last_day = last.on.add_days(REAPPRAISAL_REQUEST_DAYS);
            if requested_on > last_day {
                Err(InjuryRefusal::ReappraisalLate { last_day })
            } else {
                Ok(true)
            }
        }
        (AppraisalKind::Review, Some(last)) => {
            let first_day = last.on.add_years(REVIEW_AFTER_YEARS);
            if requested_on < first_day {
                Err(InjuryRefusal::ReviewTooEarly { first_day })
            } else {
                Ok(true)
            }
        }
        _ => Ok(false),
    }
}

/// Whether the last conclusion is in force on `today`: a re-appraisal at once, a first or a
/// review conclusion once the days to ask for a re-appraisal have passed.
#[must_use]
pub fn in_force(last: Concluded, today: Date) -> bool {
    !last.kind.reappraisable() || today > last.on.add_days(REAPPRAISAL_REQUEST_DAYS)
}

/// An expert of the region's pool, as the draw sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolExpert<'a> {
    pub id: &'a str,
    /// The employer the expert works for, if it is an insured unit.
    pub employer: Option<&'a str>,
}

/// Draws a panel of `size` (3 or 5) experts from `pool`, none of them working for `employer`
/// (Art. 24: experts drawn at random from the pool). Each eligible expert is ranked by
/// SHA-256 of the seed and their id, and the first `size` are drawn, in rank order: the same
/// seed and pool give the same panel, so anyone holding the recorded seed can redo the draw,
/// and a seed from a secure random source makes every panel equally likely.
pub fn draw_panel<'a>(
    seed: &[u8],
    pool: &[PoolExpert<'a>],
    employer: &str,
    size: usize,
) -> Result<Vec<&'a str>, InjuryRefusal> {
    if size != 3 && size != 5 {
        return Err(InjuryRefusal::PanelSize { size });
    }
    let mut ranked: Vec<([u8; 32], &'a str)> = pool
        .iter()
        .filter(|e| e.employer != Some(employer))
        .map(|e| {
            let mut hash = Sha256::new();
            hash.update((seed.len() as u64).to_be_bytes());
            hash.update(seed);
            hash.update(e.id.as_bytes());
            (hash.finalize().into(), e.id)
        })
        .collect();
    ranked.sort_unstable();
    ranked.dedup_by(|a, b| a.1 == b.1);
    if ranked.len() < size {
        return Err(InjuryRefusal::PoolTooSmall {
            eligible: ranked.len(),
            size,
        });
    }
    Ok(ranked.into_iter().take(size).map(|(_, id)| id).collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    #[test]
    fn an_employer_applies_within_30_days_a_worker_within_a_year() {
        let injured = day("2026-03-01");
        assert_eq!(
            check_application(InjuryApplicant::Employer, injured, day("2026-03-31"), false),
            Ok(day("2026-05-30"))
        );
        assert_eq!(
            check_application(InjuryApplicant::Employer, injured, day("2026-04-01"), false),
            Err(InjuryRefusal::ApplicationLate {
                last_day: day("2026-03-31")
            })
        );
        assert_eq!(
            check_application(InjuryApplicant::Worker, injured, day("2027-03-01"), true),
            Ok(day("2027-03-16"))
        );
        let late = check_application(InjuryApplicant::Family, injured, day("2027-03-02"), false);
        assert_eq!(late.unwrap_err().code(), "deadline_passed");
        assert_eq!(
            check_application(InjuryApplicant::Worker, injured, day("2026-02-28"), false),
            Err(InjuryRefusal::InjuryToCome)
        );
    }

    #[test]
    fn appraisals_follow_in_their_order() {
        let first = Concluded {
            kind: AppraisalKind::First,
            on: day("2026-06-01"),
        };
        let today = day("2026-06-16");
        assert_eq!(may_appraise(AppraisalKind::First, &[], today), Ok(true));
        assert_eq!(
            may_appraise(AppraisalKind::First, &[first], today),
            Ok(false)
        );
        assert_eq!(may_appraise(AppraisalKind::Review, &[], today), Ok(false));
        assert_eq!(
            may_appraise(AppraisalKind::Reappraisal, &[], today),
            Ok(false)
        );
        assert_eq!(
            may_appraise(AppraisalKind::Reappraisal, &[first], today),
            Ok(true)
        );
        assert_eq!(
            may_appraise(AppraisalKind::Reappraisal, &[first], day("2026-06-17")),
            Err(InjuryRefusal::ReappraisalLate {
                last_day: day("2026-06-16")
            })
        );
        let again = Concluded {
            kind: AppraisalKind::Reappraisal,
            on: day("2026-06-20"),
        };
        assert_eq!(
            may_appraise(
                AppraisalKind::Reappraisal,
                &[first, again],
                day("2026-06-21")
            ),
            Ok(false),
            "a re-appraisal is final"
        );
        assert_eq!(
            may_appraise(AppraisalKind::Review, &[first, again], day("2027-06-19")),
            Err(InjuryRefusal::ReviewTooEarly {
                first_day: day("2027-06-20")
            })
        );
        assert_eq!(
            may_appraise(AppraisalKind::Review, &[first, again], day("2027-06-20")),
            Ok(true)
        );
        assert!(!in_force(first, day("2026-06-16")));
        assert!(in_force(first, day("2026-06-17")));
        assert!(in_force(again, day("2026-06-20")));
        // A review conclusion may be re-appraised within 15 days too, and waits for them.
        let review = Concluded {
            kind: AppraisalKind::Review,
            on: day("2027-07-01"),
        };
        let history = [first, again, review];
        assert_eq!(
            may_appraise(AppraisalKind::Reappraisal, &history, day("2027-07-16")),
            Ok(true)
        );
        assert!(!in_force(review, day("2027-07-16")));
        assert_eq!(
            may_appraise(AppraisalKind::Reappraisal, &history, day("2027-06-30")),
            Err(InjuryRefusal::RequestBeforeConclusion {
                concluded_on: day("2027-07-01")
            }),
            "a request may not be dated before what it appeals"
        );
        assert!(in_force(review, day("2027-07-17")));
    }

    fn pool() -> Vec<PoolExpert<'static>> {
        const IDS: [&str; 8] = ["e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8"];
        IDS.iter()
            .enumerate()
            .map(|(i, id)| PoolExpert {
                id,
                employer: (i % 3 == 0).then_some("emp-a"),
            })
            .collect()
    }

    #[test]
    fn a_draw_is_reproducible_from_its_seed_and_skips_the_employer() {
        let pool = pool();
        let panel = draw_panel(b"seed-1", &pool, "emp-a", 3).unwrap();
        assert_eq!(panel, draw_panel(b"seed-1", &pool, "emp-a", 3).unwrap());
        assert_eq!(panel.len(), 3);
        for id in &panel {
            assert!(
                !["e1", "e4", "e7"].contains(id),
                "{id} works for the employer"
            );
        }
        // The pool's order does not matter, only its members.
        let mut reversed = pool.clone();
        reversed.reverse();
        assert_eq!(panel, draw_panel(b"seed-1", &reversed, "emp-a", 3).unwrap());
        // Another seed draws differently at least once in a few tries.
        let others = (0..8u8)
            .map(|i| draw_panel(&[i], &pool, "emp-a", 3).unwrap())
            .filter(|p| *p != panel)
            .count();
        assert!(others > 0);
        // Five of the five eligible; six is more than there are.
        assert_eq!(draw_panel(b"s", &pool, "emp-a", 5).unwrap().len(), 5);
        assert_eq!(
            draw_panel(b"s", &pool[..5], "emp-a", 5),
            Err(InjuryRefusal::PoolTooSmall {
                eligible: 3,
                size: 5
            })
        );
        assert_eq!(
            draw_panel(b"s", &pool, "emp-a", 4),
            Err(InjuryRefusal::PanelSize { size: 4 })
        );
    }

    #[test]
    fn every_expert_is_drawn_about_equally_often() {
        let pool = pool();
        let mut counts = std::collections::HashMap::new();
        for i in 0..3000u32 {
            for id in draw_panel(&i.to_be_bytes(), &pool, "none", 3).unwrap() {
                *counts.entry(id).or_insert(0u32) += 1;
            }
        }
        // 3000 panels of 3 from 8: 1125 draws each expected.
        for (id, n) in counts {
            assert!((1000..1250).contains(&n), "{id} drawn {n} times");
        }
    }
}
