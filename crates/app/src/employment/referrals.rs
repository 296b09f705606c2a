//! Referrals (issue 17, item 1): the bureau refers a person registered as unemployed to a
//! published vacancy and records what came of it; a refusal of suitable work without good
//! reason counts toward stopping the benefit, a hire stops it as re-employment; referrals to
//! training courses likewise, a refusal without reason counting alike. And the person's
//! whole unemployment record, as the holder, the bureau and the auditor read it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role};
use shebao_domain::employment::VacancyStatus;
use shebao_domain::ids::PersonId;
use shebao_domain::insurance::unemployment::{
    ReferralOutcome, TrainingReferralOutcome, after_referral,
};
use shebao_domain::text::TRIMMED_TEXT_PATTERN;
use shebao_store::tx::TRAINING_LISTED_MAX;
use shebao_store::{ReferralRecord, SpellRecord, TrainingReferralRecord, Tx};

use super::Employers;
use super::unemployment::{
    LeaverReportView, ReceivableView, SpellView, bureau_note, known_spell, next_unpaid_month,
    receivable_view, report_view, spell_view, stop_spell,
};
use crate::error::{Clash, OrNotFound, RefusalCode, rule};
use crate::insurance::benefit_parameters::benefit_parameters;
use crate::{Actor, App, AppError, Audit, new_id};

/// A referral of a person in an open spell to a vacancy.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReferral {
    pub vacancy_id: String,
    /// Why the work suits the person, 1 to 500 characters.
    #[schemars(length(min = 1, max = 500), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub note: String,
}

/// What came of a referral.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralOutcomeBody {
    #[schemars(extend("enum" = ReferralOutcome::NAMES))]
    pub outcome: String,
    /// What happened (the reason given, for a refusal), 1 to 500 characters.
    #[schemars(length(min = 1, max = 500), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub note: String,
}

/// A referral as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "JobReferral")]
pub struct ReferralView {
    pub id: String,
    pub spell_id: String,
    pub person_id: String,
    pub vacancy_id: String,
    pub vacancy_title: String,
    pub employer_name: String,
    pub note: String,
    pub referred_at: String,
    /// `hired`, `not_hired`, `refused_with_reason` or `refused_without_reason`; none yet.
    pub outcome: Option<String>,
    pub outcome_note: Option<String>,
    pub recorded_at: Option<String>,
}

/// A referral's outcome with the spell as it stands after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "ReferralRecorded")]
pub struct ReferralRecordedView {
    pub referral: ReferralView,
    pub spell: SpellView,
}

/// A referral of a person in an open spell to a training course.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTrainingReferral {
    pub course_id: String,
    /// Why the course suits the person, 1 to 500 characters.
    #[schemars(length(min = 1, max = 500), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub note: String,
}

/// What came of a referral to a course.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingReferralOutcomeBody {
    #[schemars(extend("enum" = TrainingReferralOutcome::NAMES))]
    pub outcome: String,
    /// What happened (the reason given, for a refusal), 1 to 500 characters.
    #[schemars(length(min = 1, max = 500), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub note: String,
}

/// A referral to a course as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "TrainingReferral")]
pub struct TrainingReferralView {
    pub id: String,
    pub spell_id: String,
    pub person_id: String,
    pub course_id: String,
    pub course_title: String,
    pub note: String,
    pub referred_at: String,
    /// `enrolled`, `refused_with_reason` or `refused_without_reason`; none yet.
    pub outcome: Option<String>,
    pub outcome_note: Option<String>,
    pub recorded_at: Option<String>,
}

/// A referral to a course's outcome with the spell as it stands after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "TrainingReferralRecorded")]
pub struct TrainingReferralRecordedView {
    pub referral: TrainingReferralView,
    pub spell: SpellView,
}

/// A person's unemployment record: leavers' reports, spells with their payments, referrals
/// (to vacancies and to courses) and receivables, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "UnemploymentRecord")]
pub struct UnemploymentRecordView {
    pub person_id: String,
    pub leaver_reports: Vec<LeaverReportView>,
    pub spells: Vec<SpellView>,
    pub referrals: Vec<ReferralView>,
    #[serde(default)]
    pub training_referrals: Vec<TrainingReferralView>,
    pub receivables: Vec<ReceivableView>,
}

fn training_referral_view(
    tx: &mut Tx<'_>,
    record: &TrainingReferralRecord,
) -> Result<TrainingReferralView, AppError> {
    let course = tx
        .training_course(&record.course_id)?
        .or_not_found("training course", &record.course_id)?;
    Ok(TrainingReferralView {
        id: record.id.clone(),
        spell_id: record.spell_id.clone(),
        person_id: record.person_id.to_string(),
        course_id: record.course_id.clone(),
        course_title: course.title,
        note: record.note.clone(),
        referred_at: record.referred_at.to_string(),
        outcome: record.outcome.clone(),
        outcome_note: record.outcome_note.clone(),
        recorded_at: record.recorded_at.map(|t| t.to_string()),
    })
}

/// A spell still open, or the refusal that the person is no longer registered.
fn open_spell(tx: &mut Tx<'_>, id: &str) -> Result<SpellRecord, AppError> {
    let spell = known_spell(tx, id)?;
    if !spell.status.is_open() {
        return Err(rule(
            RefusalCode::WrongState,
            "the person is no longer registered as unemployed",
        ));
    }
    Ok(spell)
}

/// What an outcome does to its spell, while open: the refusals counted, and the stop it
/// brings from the first month not paid yet (the reason, if any).
fn count_outcome(
    tx: &mut Tx<'_>,
    spell: &mut SpellRecord,
    outcome: ReferralOutcome,
    note: &str,
    (label, now): (&str, shebao_domain::time::Timestamp),
) -> Result<Option<&'static str>, AppError> {
    if !spell.status.is_open() {
        return Ok(None);
    }
    // Only a refusal needs the region's count of refusals that stop the benefit.
    let params = if outcome.counts_as_refusal() {
        let today = App::today_in(tx, &spell.region, now)?;
        Some(benefit_parameters(tx, &spell.region, today)?.unemployment)
    } else {
        None
    };
    let refusals = u32::try_from(spell.refusals).unwrap_or(u32::MAX);
    let (refusals, stop) = after_referral(outcome, refusals, params.as_ref());
    spell.refusals = i64::from(refusals);
    let mut stopped = None;
    if let Some(reason) = stop {
        // From the first month not paid: what was paid stays rightly paid.
        let from = next_unpaid_month(tx, spell, now)?;
        stop_spell(spell, reason, from, note.to_owned(), (label, now));
        stopped = Some(reason.as_str());
    }
    tx.save_unemployment_spell(spell)?;
    spell.version += 1;
    Ok(stopped)
}

fn referral_view(
    tx: &mut shebao_store::Tx<'_>,
    employers: &mut Employers,
    record: &ReferralRecord,
) -> Result<ReferralView, AppError> {
    let vacancy = tx
        .vacancy(&record.vacancy_id)?
        .or_not_found("vacancy", &record.vacancy_id)?;
    Ok(ReferralView {
        id: record.id.clone(),
        spell_id: record.spell_id.clone(),
        person_id: record.person_id.to_string(),
        vacancy_id: record.vacancy_id.clone(),
        vacancy_title: vacancy.terms.title,
        employer_name: employers.get(tx, &vacancy.employer_id)?.name.clone(),
        note: record.note.clone(),
        referred_at: record.referred_at.to_string(),
        outcome: record.outcome.map(|o| o.as_str().to_owned()),
        outcome_note: record.outcome_note.clone(),
        recorded_at: record.recorded_at.map(|t| t.to_string()),
    })
}

impl App {
    /// The bureau refers the person of an open spell to a published vacancy still open;
    /// once per spell and vacancy.
    pub fn refer_job_seeker(
        &self,
        actor: &Actor,
        key: &str,
        spell: &str,
        request: NewReferral,
    ) -> Result<ReferralView, AppError> {
        self.authorise(actor, Operation::ReferJobSeeker)?;
        let note = bureau_note(&request.note, "note")?;
        let (spell_id, vacancy_id) = (spell.to_owned(), request.vacancy_id.trim().to_owned());
        let (id, label) = (new_id("ref"), actor.label());
        let audit = Audit::creating("unemployment.refer", format!("unemployment_spell:{spell}"))
            .within(format!("vacancy:{vacancy_id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let spell = open_spell(tx, &spell_id)?;
            let vacancy = tx
                .vacancy(&vacancy_id)?
                .filter(|v| v.status == VacancyStatus::Published)
                .or_not_found("vacancy", &vacancy_id)?;
            let mut employers = Employers::default();
            if employers.today(tx, &vacancy.employer_id, now)? > vacancy.terms.closing {
                return Err(rule(RefusalCode::WrongState, "the vacancy has closed"));
            }
            if tx.job_referral_of(&spell.id, &vacancy.id)?.is_some() {
                return Err(AppError::Conflict(Clash::AlreadyReferred));
            }
            let record = ReferralRecord {
                id: id.clone(),
                spell_id: spell.id.clone(),
                person_id: spell.person_id.clone(),
                vacancy_id: vacancy.id.clone(),
                note: note.clone(),
                referred_by: label.clone(),
                referred_at: now,
                outcome: None,
                outcome_note: None,
                recorded_by: None,
                recorded_at: None,
                version: 0,
            };
            tx.insert_job_referral(&record)?;
            let detail = serde_json::json!({ "referral": record.id, "vacancy": vacancy.id });
            Ok((
                referral_view(tx, &mut employers, &record)?,
                detail.to_string(),
            ))
        })
    }

    /// The bureau records what came of a referral, once. While the spell is open, a refusal
    /// without good reason counts toward the region's number that stops the benefit, and a
    /// hire stops it as re-employment, either from the first month not paid yet.
    pub fn record_referral_outcome(
        &self,
        actor: &Actor,
        key: &str,
        referral: &str,
        request: ReferralOutcomeBody,
    ) -> Result<ReferralRecordedView, AppError> {
        self.authorise(actor, Operation::ReferJobSeeker)?;
        let outcome = ReferralOutcome::parse(request.outcome.trim()).ok_or_else(|| {
            AppError::invalid(
                "outcome",
                "hired, not_hired, refused_with_reason or refused_without_reason",
            )
        })?;
        let note = bureau_note(&request.note, "note")?;
        let (id, label) = (referral.to_owned(), actor.label());
        let audit = Audit::on("unemployment.referral_outcome", format!("referral:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let mut record = tx.job_referral(&id)?.or_not_found("referral", &id)?;
            if record.outcome.is_some() {
                return Err(rule(
                    RefusalCode::WrongState,
                    "the referral's outcome is already recorded",
                ));
            }
            let mut spell = known_spell(tx, &record.spell_id)?;
            let stopped = count_outcome(tx, &mut spell, outcome, &note, (&label, now))?;
            record.outcome = Some(outcome);
            record.outcome_note = Some(note.clone());
            record.recorded_by = Some(label.clone());
            record.recorded_at = Some(now);
            tx.save_job_referral(&record)?;
            record.version += 1;
            let mut employers = Employers::default();
            let view = ReferralRecordedView {
                referral: referral_view(tx, &mut employers, &record)?,
                spell: spell_view(tx, &spell)?,
            };
            let detail = serde_json::json!({
                "outcome": outcome.as_str(), "refusals": spell.refusals, "stopped": stopped
            });
            Ok((view, detail.to_string()))
        })
    }

    /// A person's unemployment record, read in a snapshot: the holder their own, the bureau
    /// and the auditor anyone's. Each read is a look-up of the person: one audit record
    /// (`unemployment.read`) is written before anything is answered.
    pub fn unemployment_record(
        &self,
        actor: &Actor,
        person: &str,
    ) -> Result<UnemploymentRecordView, AppError> {
        self.authorise(actor, Operation::ReadBenefits)?;
        let person = PersonId::new(person);
        let visible = match actor.role {
            Role::BureauClerk | Role::Auditor => true,
            _ => actor.scope.person_id.as_ref() == Some(&person),
        };
        self.visible_or_hidden(visible, actor, Operation::ReadBenefits, ("person", &person))?;
        let subject = format!("person:{person}");
        let record = self.read_for(actor, Operation::ReadBenefits, &subject, move |tx, _| {
            tx.person(&person)?.or_not_found("person", &person)?;
            let mut employers = Employers::default();
            let leaver_reports = tx
                .leaver_reports_of(&person)?
                .iter()
                .map(report_view)
                .collect();
            let mut spells = Vec::new();
            for spell in tx.spells_of(&person)? {
                spells.push(spell_view(tx, &spell)?);
            }
            let mut referrals = Vec::new();
            for referral in tx.referrals_of(&person)? {
                referrals.push(referral_view(tx, &mut employers, &referral)?);
            }
            let mut training_referrals = Vec::new();
            for referral in tx.training_referrals_of(&person, TRAINING_LISTED_MAX)? {
                training_referrals.push(training_referral_view(tx, &referral)?);
            }
            let receivables = tx
                .receivables_of(&person)?
                .iter()
                .map(receivable_view)
                .collect();
            Ok(UnemploymentRecordView {
                person_id: person.to_string(),
                leaver_reports,
                spells,
                referrals,
                training_referrals,
                receivables,
            })
        })?;
        let detail = serde_json::json!({ "spells": record.spells.len() });
        self.audit_look_up(actor, "unemployment.read", subject, &detail)?;
        Ok(record)
    }
}

impl App {
    /// The bureau refers the person of an open spell to an open course that has not
    /// started; once per spell and course.
    pub fn refer_to_training(
        &self,
        actor: &Actor,
        key: &str,
        spell: &str,
        request: NewTrainingReferral,
    ) -> Result<TrainingReferralView, AppError> {
        self.authorise(actor, Operation::ReferJobSeeker)?;
        let note = bureau_note(&request.note, "note")?;
        let (spell_id, course_id) = (spell.to_owned(), request.course_id.trim().to_owned());
        let (id, label) = (new_id("trr"), actor.label());
        let audit = Audit::creating(
            "unemployment.refer_training",
            format!("unemployment_spell:{spell}"),
        )
        .within(format!("course:{course_id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let spell = open_spell(tx, &spell_id)?;
            let course = tx
                .training_course(&course_id)?
                .filter(|c| c.status == "open")
                .or_not_found("training course", &course_id)?;
            if App::today_in(tx, &course.region, now)? > course.starts_on {
                return Err(rule(
                    RefusalCode::EnrolmentClosed,
                    "the course has started; enrolment is closed",
                ));
            }
            if tx.training_referral_of(&spell.id, &course.id)?.is_some() {
                return Err(AppError::Conflict(Clash::AlreadyReferred));
            }
            let record = TrainingReferralRecord {
                id: id.clone(),
                spell_id: spell.id.clone(),
                person_id: spell.person_id.clone(),
                course_id: course.id.clone(),
                note: note.clone(),
                referred_by: label.clone(),
                referred_at: now,
                outcome: None,
                outcome_note: None,
                recorded_by: None,
                recorded_at: None,
                version: 0,
            };
            tx.insert_training_referral(&record)?;
            let detail = serde_json::json!({ "referral": record.id, "course": course.id });
            Ok((training_referral_view(tx, &record)?, detail.to_string()))
        })
    }

    /// The bureau records what came of a referral to a course, once: `enrolled` only when
    /// the person is enrolled in it, a refusal only when not; while the spell is open, a
    /// refusal without good reason counts toward the region's number that stops the benefit,
    /// as a refusal of work does.
    pub fn record_training_referral_outcome(
        &self,
        actor: &Actor,
        key: &str,
        referral: &str,
        request: TrainingReferralOutcomeBody,
    ) -> Result<TrainingReferralRecordedView, AppError> {
        self.authorise(actor, Operation::ReferJobSeeker)?;
        let outcome = TrainingReferralOutcome::parse(request.outcome.trim()).ok_or_else(|| {
            AppError::invalid(
                "outcome",
                "enrolled, refused_with_reason or refused_without_reason",
            )
        })?;
        let note = bureau_note(&request.note, "note")?;
        let (id, label) = (referral.to_owned(), actor.label());
        let audit = Audit::on(
            "unemployment.training_referral_outcome",
            format!("referral:{id}"),
        );
        self.change(actor, key, &request, audit, move |tx, now| {
            let mut record = tx
                .training_referral(&id)?
                .or_not_found("training referral", &id)?;
            if record.outcome.is_some() {
                return Err(rule(
                    RefusalCode::WrongState,
                    "the referral's outcome is already recorded",
                ));
            }
            // The outcome agrees with the enrolments: enrolled only while enrolled in the
            // course, a refusal only while not.
            let enrolled = tx
                .training_enrolment_of(&record.course_id, &record.person_id)?
                .is_some();
            if enrolled != (outcome == TrainingReferralOutcome::Enrolled) {
                let message = if enrolled {
                    "the person is enrolled in the course: record it as enrolled"
                } else {
                    "the person is not enrolled in the course"
                };
                return Err(rule(RefusalCode::WrongState, message));
            }
            let mut spell = known_spell(tx, &record.spell_id)?;
            let stopped = count_outcome(
                tx,
                &mut spell,
                outcome.as_referral_outcome(),
                &note,
                (&label, now),
            )?;
            record.outcome = Some(outcome.as_str().to_owned());
            record.outcome_note = Some(note.clone());
            record.recorded_by = Some(label.clone());
            record.recorded_at = Some(now);
            tx.save_training_referral(&record)?;
            record.version += 1;
            let view = TrainingReferralRecordedView {
                referral: training_referral_view(tx, &record)?,
                spell: spell_view(tx, &spell)?,
            };
            let detail = serde_json::json!({
                "outcome": outcome.as_str(), "refusals": spell.refusals, "stopped": stopped
            });
            Ok((view, detail.to_string()))
        })
    }
}
