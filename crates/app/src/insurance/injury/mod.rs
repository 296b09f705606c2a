//! Work injury (issue 17, item 4): the application for recognition — by the employer within
//! 30 days, by the worker or the family within a year — and the bureau's decision; the
//! labour-ability appraisal by a panel drawn from the region's expert pool
//! ([`appraisal`]); the disability benefits settled once on the conclusion in force
//! ([`settlement`]); and the reads of a person's and an employer's cases.

pub mod appraisal;
pub mod pensions;
pub mod settlement;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role};
use shebao_domain::ids::{EmployerId, PersonId};
use shebao_domain::insurance::Month;
use shebao_domain::insurance::injury_case::{InjuryApplicant, InjuryRefusal, check_application};
use shebao_domain::time::{DATE_PATTERN, Date};
use shebao_store::tx::INJURY_LISTED_MAX;
use shebao_store::{InjuryAppraisalRecord, InjuryCaseRecord, InjurySettlementRecord, Tx};

use crate::employment::unemployment::decision_with_note;
use crate::error::{Clash, OrNotFound, RefusalCode, rule};
use crate::insurance::{contributions_in_scope, employer_in_scope, insuring_employer};
use crate::{Actor, App, AppError, Audit, new_id};

pub use appraisal::{AppraisalConclusion, AppraisalView, DrawRequest, ExpertView, NewExpert};
pub use pensions::{DeathView, DependantBody, NewDeath, PensionView};
pub use settlement::SettlementView;

/// An application for the recognition of a work injury.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInjuryCase {
    /// The day of the injury.
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub injured_on: String,
    /// Who applies: `employer`, `worker` or `family`. An employer's login applies as the
    /// employer and a holder's as the worker; the bureau's window says which.
    #[serde(default)]
    #[schemars(extend("enum" = InjuryApplicant::NAMES))]
    pub applicant: Option<String>,
    /// A clear case, decided within 15 days instead of 60 (the bureau's window only).
    #[serde(default)]
    pub clear: bool,
}

/// The bureau's decision on an application.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InjuryDecision {
    /// `recognise` or `refuse`.
    #[schemars(extend("enum" = ["recognise", "refuse"]))]
    pub decision: String,
    /// Why, for a refusal (1 to 500 characters).
    #[serde(default)]
    #[schemars(length(max = 500), regex(pattern = shebao_domain::text::TRIMMED_TEXT_PATTERN))]
    pub note: Option<String>,
}

/// A case as kept, with its appraisals and its settlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "InjuryCase")]
pub struct InjuryCaseView {
    pub id: String,
    pub person_id: String,
    pub employer_id: String,
    pub region: String,
    pub injured_on: String,
    /// `employer`, `worker` or `family`.
    pub applicant: String,
    pub applied_on: String,
    /// The day the decision is due.
    pub due_on: String,
    /// `applied`, `recognised` or `not_recognised`.
    pub status: String,
    pub decision_note: Option<String>,
    pub applied_at: String,
    pub decided_at: Option<String>,
    /// The appraisals in the order drawn.
    pub appraisals: Vec<AppraisalView>,
    pub settlement: Option<SettlementView>,
    /// The monthly benefits the fund pays (disability and care allowances, dependants'
    /// pensions).
    pub pensions: Vec<PensionView>,
    /// A work death's one-off benefits.
    pub death: Option<DeathView>,
}

/// A person's work-injury cases, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "InjuryRecord")]
pub struct InjuryRecordView {
    pub person_id: String,
    pub cases: Vec<InjuryCaseView>,
}

pub(crate) const APPLIED: &str = "applied";
pub(crate) const RECOGNISED: &str = "recognised";
const NOT_RECOGNISED: &str = "not_recognised";

/// Appraisals read with each case, the newest: a case has a first, perhaps a re-appraisal,
/// and a review a year at most.
const APPRAISALS_READ_MAX: i64 = 20;

/// The application's error for a refusal of the injury rules.
pub(crate) fn injury_refusal(refusal: InjuryRefusal, field: &'static str) -> AppError {
    let message = refusal.to_string();
    match refusal {
        InjuryRefusal::InjuryToCome
        | InjuryRefusal::PanelSize { .. }
        | InjuryRefusal::RequestBeforeConclusion { .. } => AppError::invalid(field, message),
        InjuryRefusal::ApplicationLate { .. } | InjuryRefusal::ReappraisalLate { .. } => {
            rule(RefusalCode::DeadlinePassed, message)
        }
        InjuryRefusal::ReviewTooEarly { .. } => rule(RefusalCode::TooEarly, message),
        InjuryRefusal::PoolTooSmall { .. } => rule(RefusalCode::ExpertPoolTooSmall, message),
    }
}

/// A case's last appraisals (at most [`APPRAISALS_READ_MAX`], years of reviews), in the
/// order drawn.
pub(crate) fn appraisals_of(
    tx: &mut Tx<'_>,
    case: &str,
) -> Result<Vec<InjuryAppraisalRecord>, AppError> {
    let mut appraisals = tx.injury_appraisals_of(case, APPRAISALS_READ_MAX)?;
    appraisals.reverse();
    Ok(appraisals)
}

/// A case by id, or not found.
pub(crate) fn known_case(tx: &mut Tx<'_>, id: &str) -> Result<InjuryCaseRecord, AppError> {
    tx.injury_case(id)?.or_not_found("injury case", id)
}

/// A recognised case that `label` may settle: not whoever took its application.
pub(crate) fn settleable_case(
    tx: &mut Tx<'_>,
    id: &str,
    label: &str,
) -> Result<InjuryCaseRecord, AppError> {
    let case = known_case(tx, id)?;
    if case.status != RECOGNISED {
        return Err(rule(
            RefusalCode::WrongState,
            "only a recognised injury is settled",
        ));
    }
    if case.applied_by == label {
        return Err(rule(
            RefusalCode::SameClerk,
            "whoever took the application may not settle it",
        ));
    }
    Ok(case)
}

/// Who may see the panel's experts, the draw's seed and pool: the bureau, the committee and
/// the auditor. The parties (the worker, the employer) see that a panel sits and what it
/// concluded, not who sits on it; any other role neither.
fn sees_panel(actor: &Actor) -> bool {
    matches!(
        actor.role,
        Role::BureauClerk | Role::AppraisalSecretary | Role::Auditor
    )
}

/// A case with its appraisals and settlement, as `actor` may see it.
pub(crate) fn case_view(
    tx: &mut Tx<'_>,
    record: &InjuryCaseRecord,
    actor: &Actor,
) -> Result<InjuryCaseView, AppError> {
    let appraisals = appraisals_of(tx, &record.id)?;
    // The committee sees no money; the employer its own case's settlement (what it owes),
    // not the fund's pensions nor a death's family and note.
    let money = actor.role != Role::AppraisalSecretary;
    let family = money && actor.role != Role::Employer;
    let settlement = if money {
        tx.injury_settlement(&record.id)?
    } else {
        None
    };
    let mut view = case_view_of(record, &appraisals, settlement.as_ref(), sees_panel(actor));
    if family {
        view.pensions = tx
            .injury_pensions_of(&record.id)?
            .iter()
            .map(pensions::pension_view)
            .collect();
        view.death = tx
            .injury_death(&record.id)?
            .as_ref()
            .map(pensions::death_view);
    }
    Ok(view)
}

fn case_view_of(
    record: &InjuryCaseRecord,
    appraisals: &[InjuryAppraisalRecord],
    settlement: Option<&InjurySettlementRecord>,
    panel: bool,
) -> InjuryCaseView {
    InjuryCaseView {
        id: record.id.clone(),
        person_id: record.person_id.to_string(),
        employer_id: record.employer_id.to_string(),
        region: record.region.to_string(),
        injured_on: record.injured_on.to_string(),
        applicant: record.applicant.as_str().into(),
        applied_on: record.applied_on.to_string(),
        due_on: record.due_on.to_string(),
        status: record.status.clone(),
        decision_note: record.decision_note.clone(),
        applied_at: record.applied_at.to_string(),
        decided_at: record.decided_at.map(|t| t.to_string()),
        appraisals: appraisals
            .iter()
            .map(|a| appraisal::appraisal_view(a, panel))
            .collect(),
        settlement: settlement.map(settlement::settlement_view),
        pensions: Vec::new(),
        death: None,
    }
}

/// The applicant an actor applies as: an employer's login as the employer, a holder's as
/// the worker, the bureau as it says (the worker when it says nothing).
fn applicant_of(actor: &Actor, requested: Option<&str>) -> Result<InjuryApplicant, AppError> {
    let requested = requested
        .map(|name| {
            InjuryApplicant::parse(name.trim())
                .ok_or_else(|| AppError::invalid("applicant", "employer, worker or family"))
        })
        .transpose()?;
    let own = match actor.role {
        Role::Employer => InjuryApplicant::Employer,
        Role::Cardholder => InjuryApplicant::Worker,
        _ => return Ok(requested.unwrap_or(InjuryApplicant::Worker)),
    };
    match requested {
        Some(other) if other != own => Err(AppError::invalid(
            "applicant",
            format!("this login applies as the {}", own.as_str()),
        )),
        _ => Ok(own),
    }
}

impl App {
    /// An application for the recognition of a work injury of `person`: the employer for its
    /// employee within 30 days, the worker within a year, the bureau at its window for
    /// either or for the family. The person must have been insured against work injury
    /// through an employer on the day; one case a person and day that is not refused.
    pub fn apply_injury_recognition(
        &self,
        actor: &Actor,
        key: &str,
        person: &str,
        request: NewInjuryCase,
    ) -> Result<InjuryCaseView, AppError> {
        self.authorise(actor, Operation::ApplyInjury)?;
        let applicant = applicant_of(actor, request.applicant.as_deref())?;
        if request.clear && actor.role != Role::BureauClerk {
            return Err(AppError::invalid(
                "clear",
                "only the bureau marks a case clear",
            ));
        }
        let injured_on = Date::parse_iso(request.injured_on.trim())
            .ok_or_else(|| AppError::invalid("injured_on", "a date, YYYY-MM-DD"))?;
        let person = PersonId::new(person);
        let (id, label, actor_in, clear) =
            (new_id("inj"), actor.label(), actor.clone(), request.clear);
        let audit = Audit::creating("injury.apply", format!("person:{person}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            // Another's person, for a holder or an employer, is answered as unknown; so is a
            // worker the employer did not insure on the day of the injury.
            if !contributions_in_scope(tx, &actor_in, &person)? {
                return Err(AppError::Hidden(format!("person {person}")));
            }
            let employer = insuring_employer(tx, &person, Month::of(injured_on))?;
            if actor_in.role == Role::Employer
                && employer
                    .as_ref()
                    .is_none_or(|e| !employer_in_scope(&actor_in, e))
            {
                return Err(AppError::Hidden(format!("person {person}")));
            }
            tx.person(&person)?.or_not_found("person", &person)?;
            let employer = employer.ok_or_else(|| {
                rule(
                    RefusalCode::NotInsured,
                    "not insured against work injury through an employer on the day",
                )
            })?;
            let unit = tx
                .employer(&employer)?
                .or_not_found("employer", &employer)?;
            let today = App::today_in(tx, &unit.region, now)?;
            let due_on = check_application(applicant, injured_on, today, clear)
                .map_err(|refusal| injury_refusal(refusal, "injured_on"))?;
            let taken = tx
                .injury_cases_of(&person, INJURY_LISTED_MAX)?
                .into_iter()
                .any(|c| c.injured_on == injured_on && c.status != NOT_RECOGNISED);
            if taken {
                return Err(AppError::Conflict(Clash::InjuryCaseExists));
            }
            let case = InjuryCaseRecord {
                id: id.clone(),
                person_id: person.clone(),
                employer_id: employer,
                region: unit.region.clone(),
                injured_on,
                applicant,
                applied_on: today,
                due_on,
                status: APPLIED.into(),
                applied_by: label.clone(),
                applied_at: now,
                decided_by: None,
                decided_at: None,
                decision_note: None,
                version: 0,
            };
            tx.insert_injury_case(&case)?;
            let detail = serde_json::json!({
                "case": case.id, "applicant": applicant.as_str(), "due_on": due_on.to_string()
            });
            Ok((case_view_of(&case, &[], None, true), detail.to_string()))
        })
    }

    /// The bureau decides an application, once: recognised as a work injury, or not (with
    /// the reason). Whoever applied at the window does not decide it. A decision past the
    /// due day is still taken: the worker must not lose it for the bureau's delay.
    pub fn decide_injury_case(
        &self,
        actor: &Actor,
        key: &str,
        case: &str,
        request: InjuryDecision,
    ) -> Result<InjuryCaseView, AppError> {
        self.authorise(actor, Operation::DecideBenefits)?;
        let (recognise, note) = decision_with_note(
            &request.decision,
            "recognise",
            request.note.as_ref(),
            "why it is not recognised",
        )?;
        let (id, label, actor_in) = (case.to_owned(), actor.label(), actor.clone());
        let audit = Audit::on("injury.decide", format!("injury_case:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let mut case = known_case(tx, &id)?;
            if case.status != APPLIED {
                return Err(rule(RefusalCode::WrongState, "the case is already decided"));
            }
            if case.applied_by == label {
                return Err(rule(
                    RefusalCode::SameClerk,
                    "whoever took the application may not decide it",
                ));
            }
            case.status = if recognise {
                RECOGNISED
            } else {
                NOT_RECOGNISED
            }
            .into();
            case.decided_by = Some(label.clone());
            case.decided_at = Some(now);
            case.decision_note = note.clone();
            tx.save_injury_case(&case)?;
            case.version += 1;
            let today = App::today_in(tx, &case.region, now)?;
            let detail = serde_json::json!({
                "status": case.status, "late": today > case.due_on
            });
            Ok((case_view(tx, &case, &actor_in)?, detail.to_string()))
        })
    }

    /// The applications waiting for the bureau's decision, oldest first (each with its due
    /// day).
    pub fn injury_cases_to_decide(&self, actor: &Actor) -> Result<Vec<InjuryCaseView>, AppError> {
        self.authorise(actor, Operation::DecideBenefits)?;
        self.injury_cases_in(actor, APPLIED)
    }

    fn injury_cases_in(
        &self,
        actor: &Actor,
        status: &'static str,
    ) -> Result<Vec<InjuryCaseView>, AppError> {
        let actor = actor.clone();
        self.store.read(move |tx| {
            let cases = tx.injury_cases_with_status(status, INJURY_LISTED_MAX)?;
            cases.iter().map(|c| case_view(tx, c, &actor)).collect()
        })
    }

    /// A person's work-injury cases, newest first: the holder their own, the bureau and the
    /// auditor anyone's (each read audited as a look-up of the person).
    pub fn injury_record(&self, actor: &Actor, person: &str) -> Result<InjuryRecordView, AppError> {
        self.authorise(actor, Operation::ReadBenefits)?;
        let person = PersonId::new(person);
        let visible = match actor.role {
            Role::BureauClerk | Role::Auditor => true,
            _ => actor.scope.person_id.as_ref() == Some(&person),
        };
        self.visible_or_hidden(visible, actor, Operation::ReadBenefits, ("person", &person))?;
        let (subject, person_id, actor_in) = (
            format!("person:{person}"),
            person.to_string(),
            actor.clone(),
        );
        let cases = self.read_for(actor, Operation::ReadBenefits, &subject, move |tx, _| {
            tx.person(&person)?.or_not_found("person", &person)?;
            let cases = tx.injury_cases_of(&person, INJURY_LISTED_MAX)?;
            cases
                .iter()
                .map(|c| case_view(tx, c, &actor_in))
                .collect::<Result<Vec<_>, _>>()
        })?;
        let detail = serde_json::json!({ "cases": cases.len() });
        self.audit_look_up(actor, "injury.read", subject, &detail)?;
        Ok(InjuryRecordView { person_id, cases })
    }

    /// An employer's work-injury cases, newest first, with what it owes: the employer its
    /// own, the bureau any employer's.
    pub fn employer_injury_cases(
        &self,
        actor: &Actor,
        employer: &str,
    ) -> Result<Vec<InjuryCaseView>, AppError> {
        self.authorise(actor, Operation::ApplyInjury)?;
        let employer = EmployerId::new(employer);
        let visible = employer_in_scope(actor, &employer);
        self.visible_or_hidden(
            visible,
            actor,
            Operation::ApplyInjury,
            ("employer", &employer),
        )?;
        let subject = format!("employer:{employer}");
        let actor_in = actor.clone();
        let cases = self.read_for(actor, Operation::ApplyInjury, &subject, move |tx, _| {
            tx.employer(&employer)?
                .or_not_found("employer", &employer)?;
            let cases = tx.injury_cases_of_employer(&employer, INJURY_LISTED_MAX)?;
            cases
                .iter()
                .map(|c| case_view(tx, c, &actor_in))
                .collect::<Result<Vec<_>, _>>()
        })?;
        // The list names persons: one look-up record, naming each case shown.
        let shown: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        let detail = serde_json::json!({ "cases": shown });
        self.audit_look_up(actor, "injury.employer_read", subject, &detail)?;
        Ok(cases)
    }
}
