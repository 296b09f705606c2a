//! Unemployment insurance (issue 17, item 2): an employer reports a leaver, the person
//! registers as unemployed (online or at the window), the bureau decides the claim from the
//! contribution record, a monthly payout pays each approved spell once per person and month
//! from the region's unemployment fund — which pays the person's medical contributions too —
//! and the benefit stops on re-employment, pension, military service, emigration, refusals of
//! suitable work, or a fraud, which leaves a receivable on the person.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role};
use shebao_domain::ids::{EmployerId, PersonId};
use shebao_domain::insurance::unemployment::{
    Claim, Leaving, SpellStatus, StopReason, decide_claim, leaver_report_late, unused_months,
};
use shebao_domain::insurance::{Insurance, Month};
use shebao_domain::text::TRIMMED_TEXT_PATTERN;
use shebao_domain::time::{DATE_PATTERN, Timestamp};
use shebao_store::{LeaverReportRecord, ReceivableRecord, SpellRecord, Tx};

use super::parse_date;
use crate::error::{Clash, OrNotFound, RefusalCode, rule};
use crate::insurance::benefit_parameters::benefit_parameters;
use crate::insurance::employer_in_scope;
use crate::{Actor, App, AppError, Audit, new_id};

mod owed;
mod payout;

use owed::Owed;
pub(crate) use owed::next_unpaid_month;

/// The benefit kind unemployment payments are recorded under, once per person and month.
const UNEMPLOYMENT_BENEFIT: &str = "unemployment";

/// Approved spells a payout run reads at a time.
const PAYOUT_PAGE: u32 = 500;

/// An employer's report that a person left.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLeaverReport {
    pub person_id: String,
    /// The last working day.
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub left_on: String,
    /// `involuntary` (dismissed, laid off, not renewed, the employer closed) or `voluntary`.
    #[schemars(extend("enum" = ["involuntary", "voluntary"]))]
    pub leaving: String,
}

/// A leaver's report as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "LeaverReport")]
pub struct LeaverReportView {
    pub id: String,
    pub person_id: String,
    pub employer_id: String,
    pub left_on: String,
    pub leaving: String,
    /// Made more than 15 days after the last working day.
    pub late: bool,
    pub reported_at: String,
}

/// A month of benefit paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "BenefitPayment")]
pub struct BenefitPaymentView {
    pub month: String,
    pub amount_fen: i64,
}

/// A spell of unemployment: the registration, the decision, the months paid, the stop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "UnemploymentSpell")]
pub struct SpellView {
    pub id: String,
    pub person_id: String,
    pub region: String,
    /// `registered`, `approved`, `refused`, `stopped` or `ended`.
    pub status: String,
    pub registered_on: String,
    /// The leaver's report the claim rests on, if an employer made one.
    pub leaver_report_id: Option<String>,
    pub contribution_months: Option<i64>,
    pub carried_months: Option<i64>,
    /// The months granted.
    pub months: Option<i64>,
    /// The first month paid (the month of registration) and the last the grant reaches.
    pub first_month: String,
    pub last_month: Option<String>,
    /// Why the claim was refused: `contribution_period_too_short`, `no_leaver_report`,
    /// `left_voluntarily`, `not_registered_unemployed` or `not_seeking_work`.
    pub refusal_code: Option<String>,
    pub paid_months: i64,
    pub refusals: i64,
    pub stop_reason: Option<String>,
    pub stopped_month: Option<String>,
    pub stop_note: Option<String>,
    pub decided_at: Option<String>,
    pub payments: Vec<BenefitPaymentView>,
}

/// Why and from when a benefit stops (a refusal of work stops it through referrals, a fraud
/// through its own finding).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpellStop {
    #[schemars(extend("enum" = ["reemployed", "pension", "military_service", "emigration"]))]
    pub reason: String,
    /// The day it happened: its month is the first not paid.
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub on: String,
    /// What the bureau knows of it, 1 to 500 characters.
    #[schemars(length(min = 1, max = 500), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub note: String,
}

/// A fraud found on a spell: what was paid wrongly and the fine, in percent of it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FraudFinding {
    /// At most what the spell paid.
    #[schemars(range(min = 1))]
    pub overpaid_fen: i64,
    /// 100 to 300: a fine of 1 to 3 times the amount.
    #[schemars(range(min = 100, max = 300))]
    pub fine_percent: u32,
    #[schemars(length(min = 1, max = 500), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub note: String,
}

/// What a person owes back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Receivable")]
pub struct ReceivableView {
    pub id: String,
    pub person_id: String,
    pub spell_id: String,
    pub kind: String,
    pub repayment_fen: i64,
    pub fine_fen: i64,
    pub total_fen: i64,
    pub note: String,
    pub created_at: String,
}

fn wrong_state(message: &str) -> AppError {
    rule(RefusalCode::WrongState, message)
}

pub(crate) fn report_view(record: &LeaverReportRecord) -> LeaverReportView {
    LeaverReportView {
        id: record.id.clone(),
        person_id: record.person_id.to_string(),
        employer_id: record.employer_id.to_string(),
        left_on: record.left_on.to_string(),
        leaving: record.leaving.as_str().to_owned(),
        late: record.late,
        reported_at: record.reported_at.to_string(),
    }
}

/// The month a spell pays first: the month of registration.
fn first_month(spell: &SpellRecord) -> Month {
    Month::of(spell.registered_on)
}

/// The last month a spell's grant reaches, if it granted any.
fn last_month(spell: &SpellRecord) -> Option<Month> {
    spell
        .months
        .filter(|m| *m > 0)
        .map(|m| first_month(spell).add_months(i32::try_from(m - 1).unwrap_or(0)))
}

/// The months granted, as the domain counts them.
fn granted(spell: &SpellRecord) -> u32 {
    spell
        .months
        .and_then(|m| u32::try_from(m).ok())
        .unwrap_or(0)
}

pub(crate) fn spell_view(tx: &mut Tx<'_>, spell: &SpellRecord) -> Result<SpellView, AppError> {
    let (first, last) = (first_month(spell), last_month(spell));
    let payments = tx
        .unemployment_payments_of(&spell.id)?
        .into_iter()
        .map(|(month, amount_fen)| BenefitPaymentView { month, amount_fen })
        .collect();
    Ok(SpellView {
        id: spell.id.clone(),
        person_id: spell.person_id.to_string(),
        region: spell.region.to_string(),
        status: spell.status.as_str().to_owned(),
        registered_on: spell.registered_on.to_string(),
        leaver_report_id: spell.leaver_report_id.clone(),
        contribution_months: spell.contribution_months,
        carried_months: spell.carried_months,
        months: spell.months,
        first_month: first.to_string(),
        last_month: last.map(|m| m.to_string()),
        refusal_code: spell.refusal_code.clone(),
        paid_months: spell.paid_months,
        refusals: spell.refusals,
        stop_reason: spell.stop_reason.map(|r| r.as_str().to_owned()),
        stopped_month: spell.stopped_month.map(|m| m.to_string()),
        stop_note: spell.stop_note.clone(),
        decided_at: spell.decided_at.map(|t| t.to_string()),
        payments,
    })
}

pub(crate) fn receivable_view(record: &ReceivableRecord) -> ReceivableView {
    ReceivableView {
        id: record.id.clone(),
        person_id: record.person_id.to_string(),
        spell_id: record.spell_id.clone(),
        kind: record.kind.clone(),
        repayment_fen: record.repayment_fen,
        fine_fen: record.fine_fen,
        total_fen: record.repayment_fen.saturating_add(record.fine_fen),
        note: record.note.clone(),
        created_at: record.created_at.to_string(),
    }
}

/// A note as the bureau writes it: trimmed, 1 to 500 characters, no control characters.
pub(crate) fn bureau_note(input: &str, field: &'static str) -> Result<String, AppError> {
    let note = input.trim();
    if note.is_empty() || note.chars().count() > 500 || note.chars().any(char::is_control) {
        return Err(AppError::invalid(field, "1 to 500 characters"));
    }
    Ok(note.to_owned())
}

/// A yes-or-no decision (`yes` or `refuse`) and its note: a refusal must say why (`why`),
/// a note given either way is kept.
pub(crate) fn decision_with_note(
    decision: &str,
    yes: &'static str,
    note: Option<&String>,
    why: &'static str,
) -> Result<(bool, Option<String>), AppError> {
    let granted = match decision.trim() {
        "refuse" => false,
        other if other == yes => true,
        _ => {
            return Err(AppError::invalid("decision", format!("{yes} or refuse")));
        }
    };
    let note = match (note, granted) {
        (Some(note), _) => Some(bureau_note(note, "note")?),
        (None, false) => return Err(AppError::invalid("note", why)),
        (None, true) => None,
    };
    Ok((granted, note))
}

/// A spell by its id, or not found.
pub(crate) fn known_spell(tx: &mut Tx<'_>, id: &str) -> Result<SpellRecord, AppError> {
    tx.unemployment_spell(id)?
        .or_not_found("unemployment spell", id)
}

/// Stops `spell` with `reason` from `month` (the first month not paid), as `actor` records it.
pub(crate) fn stop_spell(
    spell: &mut SpellRecord,
    reason: StopReason,
    month: Month,
    note: String,
    (actor, now): (&str, Timestamp),
) {
    spell.status = SpellStatus::Stopped;
    spell.stop_reason = Some(reason);
    spell.stopped_month = Some(month);
    spell.stop_note = Some(note);
    spell.stopped_by = Some(actor.to_owned());
    spell.stopped_at = Some(now);
}

/// The claim a registered spell makes, read from the record: the unemployment-insurance
/// months paid since the previous spell that granted months began (the time counts afresh
/// after a spell, Art. 17) and the unused months that spell left.
fn claim_of(tx: &mut Tx<'_>, spell: &SpellRecord) -> Result<Claim, AppError> {
    let previous = tx.last_granted_spell_of(&spell.person_id)?;
    let since = previous.as_ref().map(first_month);
    let months: std::collections::BTreeSet<Month> = tx
        .contributions_of_person(&spell.person_id, Some(Insurance::Unemployment))?
        .into_iter()
        .filter(|r| r.status == "paid" && since.is_none_or(|s| r.month >= s))
        .map(|r| r.month)
        .collect();
    let carried = previous.map_or(0, |p| {
        unused_months(
            p.status,
            p.stop_reason,
            granted(&p),
            u32::try_from(p.paid_months).unwrap_or(u32::MAX),
        )
    });
    let leaving = match &spell.leaver_report_id {
        Some(id) => Some(
            tx.leaver_report(id)?
                .or_not_found("leaver report", id)?
                .leaving,
        ),
        None => None,
    };
    Ok(Claim {
        contribution_months: u32::try_from(months.len()).unwrap_or(u32::MAX),
        carried_months: carried,
        leaving,
        registered: true,
        // Registering says the person seeks work; refusals of it are counted separately.
        seeking_work: true,
    })
}

impl App {
    /// An employer (or the bureau) reports that a person left: how the job ended, within 15
    /// days (a late report is taken and marked late). The last day must fall in the person's
    /// insurance through the employer (anyone never insured there is answered as unknown);
    /// an open enrolment there ends with the month of the last day.
    pub fn report_leaver(
        &self,
        actor: &Actor,
        key: &str,
        employer: &str,
        request: NewLeaverReport,
    ) -> Result<LeaverReportView, AppError> {
        self.authorise(actor, Operation::ReportLeaver)?;
        let employer = EmployerId::new(employer);
        self.visible_or_hidden(
            employer_in_scope(actor, &employer),
            actor,
            Operation::ReportLeaver,
            ("employer", &employer),
        )?;
        let left_on = parse_date(&request.left_on, "left_on")?;
        let leaving = Leaving::parse(request.leaving.trim())
            .ok_or_else(|| AppError::invalid("leaving", "involuntary or voluntary"))?;
        let person = PersonId::new(request.person_id.trim());
        let (id, label) = (new_id("lvr"), actor.label());
        let audit = Audit::creating("unemployment.report_leaver", format!("person:{person}"))
            .within(format!("employer:{employer}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let record = tx
                .employer(&employer)?
                .or_not_found("employer", &employer)?;
            // Someone never insured through the employer is not the employer's to report: a
            // person answered as unknown, the refusal audited.
            let through: Vec<_> = tx
                .enrolments_of_person(&person)?
                .into_iter()
                .filter(|e| e.employer_id.as_ref() == Some(&employer))
                .collect();
            if through.is_empty() {
                return Err(AppError::Hidden(format!("person {person}")));
            }
            let today = App::today_in(tx, &record.region, now)?;
            let late = leaver_report_late(left_on, today)
                .map_err(|_| AppError::invalid("left_on", "today or a day before"))?;
            // The last day falls in an insurance through the employer: an open one ends with
            // its month; a past employer reports only a day its insurance covered.
            let month = Month::of(left_on);
            let Some(enrolment) = through
                .iter()
                .find(|e| e.start <= month && e.end.is_none_or(|end| month <= end))
            else {
                return Err(AppError::invalid(
                    "left_on",
                    "within the person's insurance through the employer",
                ));
            };
            if tx.leaver_report_of(&person, &employer, left_on)?.is_some() {
                return Err(AppError::Conflict(Clash::LeaverReported));
            }
            if enrolment.end.is_none() {
                tx.end_enrolment(enrolment, month)?;
            }
            let report = LeaverReportRecord {
                id: id.clone(),
                person_id: person.clone(),
                employer_id: employer.clone(),
                region: record.region.clone(),
                left_on,
                leaving,
                late,
                reported_by: label.clone(),
                reported_at: now,
            };
            tx.insert_leaver_report(&report)?;
            let detail = serde_json::json!({
                "report": report.id, "leaving": leaving.as_str(), "late": late
            });
            Ok((report_view(&report), detail.to_string()))
        })
    }

    /// A person registers as unemployed — a holder for themselves, or the bureau at its
    /// window — which is also their claim to the benefit, decided by the bureau. At most one
    /// open spell a person (an approved one whose months are all behind ends here); nobody
    /// still insured through an employer registers; the claim rests on the person's latest
    /// leaver's report no earlier spell rested on; the fund that pays is that report's
    /// region's (else the last insured region's).
    pub fn register_unemployed(
        &self,
        actor: &Actor,
        key: &str,
        person: &str,
    ) -> Result<SpellView, AppError> {
        self.authorise(actor, Operation::RegisterUnemployed)?;
        let person = PersonId::new(person);
        let own = match actor.role {
            Role::BureauClerk => true,
            _ => actor.scope.person_id.as_ref() == Some(&person),
        };
        self.visible_or_hidden(
            own,
            actor,
            Operation::RegisterUnemployed,
            ("person", &person),
        )?;
        let (id, label) = (new_id("uns"), actor.label());
        let audit = Audit::creating("unemployment.register", format!("person:{person}"));
        self.change(actor, key, &(), audit, move |tx, now| {
            tx.person(&person)?.or_not_found("person", &person)?;
            let enrolments = tx.enrolments_of_person(&person)?;
            let region = enrolments.last().map(|e| e.region.clone()).ok_or_else(|| {
                rule(RefusalCode::NotInsured, "the person has never been insured")
            })?;
            let this_month = Month::of(App::today_in(tx, &region, now)?);
            if let Some(mut open) = tx.open_spell_of(&person)? {
                // An approved spell whose months are all behind is over, paid or not.
                let over = open.status == SpellStatus::Approved
                    && last_month(&open).is_some_and(|last| last < this_month);
                if !over {
                    return Err(AppError::Conflict(Clash::AlreadyRegistered));
                }
                open.status = SpellStatus::Ended;
                tx.save_unemployment_spell(&open)?;
            }
            // Someone still insured through an employer after this month is not unemployed.
            if enrolments
                .iter()
                .any(|e| e.employer_id.is_some() && e.end.is_none_or(|end| end > this_month))
            {
                return Err(rule(
                    RefusalCode::StillEmployed,
                    "the person is still insured through an employer",
                ));
            }
            // The latest report, unless a spell already rests on it: a report backs one claim.
            let report = match tx.latest_leaver_report(&person)? {
                Some(r) if tx.spell_resting_on(&r.id)?.is_none() => Some(r),
                _ => None,
            };
            let region = report.as_ref().map_or(region, |r| r.region.clone());
            let today = App::today_in(tx, &region, now)?;
            let spell = SpellRecord {
                id: id.clone(),
                person_id: person.clone(),
                region,
                leaver_report_id: report.map(|r| r.id),
                status: SpellStatus::Registered,
                registered_on: today,
                registered_by: label.clone(),
                registered_at: now,
                contribution_months: None,
                carried_months: None,
                months: None,
                refusal_code: None,
                decided_by: None,
                decided_at: None,
                paid_months: 0,
                refusals: 0,
                stop_reason: None,
                stopped_month: None,
                stop_note: None,
                stopped_by: None,
                stopped_at: None,
                version: 0,
            };
            tx.insert_unemployment_spell(&spell)?;
            let detail =
                serde_json::json!({ "spell": spell.id, "registered_on": today.to_string() });
            Ok((spell_view(tx, &spell)?, detail.to_string()))
        })
    }

    /// The bureau decides a registered claim from the record: approved for the months the
    /// contribution time and carried months give, or refused with the first condition it
    /// fails. Whoever registered the person at the window, or reported them as a leaver for
    /// an employer, does not decide their claim.
    pub fn decide_unemployment_claim(
        &self,
        actor: &Actor,
        key: &str,
        spell: &str,
    ) -> Result<SpellView, AppError> {
        self.authorise(actor, Operation::DecideBenefits)?;
        let (id, label) = (spell.to_owned(), actor.label());
        let audit = Audit::on("unemployment.decide", format!("unemployment_spell:{id}"));
        self.change(actor, key, &(), audit, move |tx, now| {
            let mut spell = known_spell(tx, &id)?;
            if spell.status != SpellStatus::Registered {
                return Err(wrong_state("the claim is already decided"));
            }
            let reported_by = match &spell.leaver_report_id {
                Some(report) => tx.leaver_report(report)?.map(|r| r.reported_by),
                None => None,
            };
            if spell.registered_by == label || reported_by.as_deref() == Some(label.as_str()) {
                return Err(rule(
                    RefusalCode::SameClerk,
                    "whoever registered the claim or reported the leaver may not decide it",
                ));
            }
            // A claim is approved only where its benefit can be paid.
            benefit_parameters(tx, &spell.region, spell.registered_on)?;
            let claim = claim_of(tx, &spell)?;
            spell.contribution_months = Some(i64::from(claim.contribution_months));
            spell.carried_months = Some(i64::from(claim.carried_months));
            match decide_claim(claim) {
                Ok(months) => {
                    spell.status = SpellStatus::Approved;
                    spell.months = Some(i64::from(months));
                }
                Err(ineligible) => {
                    spell.status = SpellStatus::Refused;
                    spell.months = Some(0);
                    spell.refusal_code = Some(ineligible.code().to_owned());
                }
            }
            spell.decided_by = Some(label.clone());
            spell.decided_at = Some(now);
            tx.save_unemployment_spell(&spell)?;
            spell.version += 1;
            let detail = serde_json::json!({
                "status": spell.status.as_str(),
                "months": spell.months,
                "refusal": spell.refusal_code,
                "contribution_months": spell.contribution_months,
            });
            Ok((spell_view(tx, &spell)?, detail.to_string()))
        })
    }

    /// The claims waiting for the bureau's decision, oldest first.
    pub fn unemployment_claims_to_decide(&self, actor: &Actor) -> Result<Vec<SpellView>, AppError> {
        self.authorise(actor, Operation::DecideBenefits)?;
        self.store.read(|tx| {
            tx.spells_with_status(SpellStatus::Registered)?
                .iter()
                .map(|s| spell_view(tx, s))
                .collect()
        })
    }

    /// The bureau stops a benefit (or a claim not decided yet) for re-employment, a pension,
    /// military service or emigration, from the month of the day given: that month and the
    /// later ones are not paid (any of them already paid is owed back, a receivable without
    /// a fine), the unused months carry over to a later spell.
    pub fn stop_unemployment_benefit(
        &self,
        actor: &Actor,
        key: &str,
        spell: &str,
        request: SpellStop,
    ) -> Result<SpellView, AppError> {
        self.authorise(actor, Operation::DecideBenefits)?;
        let reason = match StopReason::parse(request.reason.trim()) {
            Some(
                r @ (StopReason::Reemployed
                | StopReason::Pension
                | StopReason::MilitaryService
                | StopReason::Emigration),
            ) => r,
            _ => {
                return Err(AppError::invalid(
                    "reason",
                    "reemployed, pension, military_service or emigration",
                ));
            }
        };
        let on = parse_date(&request.on, "on")?;
        let note = bureau_note(&request.note, "note")?;
        let (id, label, receivable_id) = (spell.to_owned(), actor.label(), new_id("rcv"));
        let audit = Audit::on("unemployment.stop", format!("unemployment_spell:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let mut spell = known_spell(tx, &id)?;
            if !spell.status.is_open() {
                return Err(wrong_state("the benefit is not running"));
            }
            let today = App::today_in(tx, &spell.region, now)?;
            if on < spell.registered_on || on > today {
                return Err(AppError::invalid(
                    "on",
                    "from the day of registration to today",
                ));
            }
            let month = Month::of(on);
            stop_spell(&mut spell, reason, month, note.clone(), (&label, now));
            tx.save_unemployment_spell(&spell)?;
            spell.version += 1;
            // Months already paid from the stop on were paid wrongly: owed back, no fine.
            let overpaid = tx.unemployment_paid_fen(&spell.id, Some(month))?;
            if overpaid > 0 {
                let owed = Owed {
                    kind: "unemployment_overpaid",
                    repayment_fen: overpaid,
                    fine_fen: 0,
                    fine_percent: 0,
                    note: note.clone(),
                };
                owed.book(tx, &spell, receivable_id.clone(), (&label, now))?;
            }
            let detail = serde_json::json!({
                "reason": reason.as_str(), "stopped_month": month.to_string(),
                "overpaid_fen": overpaid
            });
            Ok((spell_view(tx, &spell)?, detail.to_string()))
        })
    }
}
