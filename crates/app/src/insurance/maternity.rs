//! The maternity allowance (issue 17, item 5): a claim for a birth or a miscarriage, made by
//! the insured woman, her employer or the bureau at its window; the leave days by the national
//! rule and the allowance — the employer's previous-year average monthly contribution wage,
//! divided by the region's divisor, times the days, rounded half up to the fen — fixed when
//! it is made; the bureau's decision, which pays an approved claim to the card from the
//! region's maternity fund through `Benefit::pay`, once.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role};
use shebao_domain::ids::PersonId;
use shebao_domain::insurance::{
    Insurance, Month, maternity_allowance_of_bases_fen, maternity_leave_days, round_half_up,
};
use shebao_domain::money::ledger::{SystemAccount, TransferCode, stripe_of};
use shebao_domain::text::TRIMMED_TEXT_PATTERN;
use shebao_domain::time::DATE_PATTERN;
use shebao_store::MaternityClaimRecord;
use shebao_store::tx::MATERNITY_LISTED_MAX;

use crate::employment::unemployment::decision_with_note;
use crate::error::{Clash, OrNotFound, RefusalCode, rule};
use crate::insurance::benefit_parameters::benefit_parameters;
use crate::insurance::calc::maternity_event;
use crate::insurance::pensions::{Benefit, crediting_account};
use crate::insurance::{contributions_in_scope, employer_in_scope, insuring_employer};
use crate::{Actor, App, AppError, Audit, new_id};

/// A claim to the maternity allowance.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMaternityClaim {
    /// `birth` or `miscarriage`.
    #[schemars(extend("enum" = ["birth", "miscarriage"]))]
    pub event: String,
    /// The day of the birth or miscarriage.
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub event_on: String,
    /// Babies of the birth (1 when absent).
    #[serde(default)]
    #[schemars(range(min = 1, max = shebao_domain::insurance::BABIES_MAX))]
    pub babies: Option<u32>,
    /// A difficult birth.
    #[serde(default)]
    pub difficult: bool,
    /// Whole months of pregnancy before a miscarriage.
    #[serde(default)]
    #[schemars(range(min = 0, max = shebao_domain::insurance::PREGNANCY_MONTHS_MAX))]
    pub pregnancy_months: Option<u32>,
}

/// The bureau's decision on a claim.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MaternityDecision {
    /// `approve` (pays the allowance) or `refuse`.
    #[schemars(extend("enum" = ["approve", "refuse"]))]
    pub decision: String,
    /// Why, for a refusal (1 to 500 characters).
    #[serde(default)]
    #[schemars(length(max = 500), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub note: Option<String>,
}

/// A claim as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "MaternityClaim")]
pub struct MaternityClaimView {
    pub id: String,
    pub person_id: String,
    pub employer_id: String,
    pub region: String,
    pub event: String,
    pub event_on: String,
    pub babies: i64,
    pub difficult: bool,
    pub pregnancy_months: Option<i64>,
    pub leave_days: i64,
    pub average_wage_fen: i64,
    pub divisor_days: i64,
    pub allowance_fen: i64,
    /// `applied`, `paid` or `refused`.
    pub status: String,
    pub decision_note: Option<String>,
    pub applied_at: String,
    pub decided_at: Option<String>,
}

/// A person's maternity claims, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "MaternityRecord")]
pub struct MaternityRecordView {
    pub person_id: String,
    pub claims: Vec<MaternityClaimView>,
}

/// Days within which a second claim (not refused) of a person is the same event claimed
/// twice: about half a year, far less than a pregnancy after any of them.
const CLAIMS_APART_DAYS: i64 = 180;

const APPLIED: &str = "applied";
const PAID: &str = "paid";
const REFUSED: &str = "refused";

fn claim_view(record: &MaternityClaimRecord) -> MaternityClaimView {
    MaternityClaimView {
        id: record.id.clone(),
        person_id: record.person_id.to_string(),
        employer_id: record.employer_id.to_string(),
        region: record.region.to_string(),
        event: record.event.clone(),
        event_on: record.event_on.to_string(),
        babies: record.babies,
        difficult: record.difficult,
        pregnancy_months: record.pregnancy_months,
        leave_days: record.leave_days,
        average_wage_fen: record.average_wage_fen,
        divisor_days: record.divisor_days,
        allowance_fen: record.allowance_fen,
        status: record.status.clone(),
        decision_note: record.decision_note.clone(),
        applied_at: record.applied_at.to_string(),
        decided_at: record.decided_at.map(|t| t.to_string()),
    }
}

impl App {
    /// A claim to the maternity allowance for a birth or a miscarriage: the insured woman for
    /// herself, her employer for its employee, or the bureau. She must be insured through an
    /// employer in the month of the event (that employer's previous-year average monthly
    /// contribution wage is the allowance's base), and the day may not be to come. No claim
    /// within half a year of another that is not refused.
    pub fn claim_maternity_allowance(
        &self,
        actor: &Actor,
        key: &str,
        person: &str,
        request: NewMaternityClaim,
    ) -> Result<MaternityClaimView, AppError> {
        self.authorise(actor, Operation::ClaimMaternity)?;
        let event = maternity_event(
            &request.event,
            request.babies,
            request.difficult,
            request.pregnancy_months,
        )?;
        let leave_days =
            maternity_leave_days(event).map_err(|e| AppError::invalid("event", e.to_string()))?;
        let event_on = shebao_domain::time::Date::parse_iso(request.event_on.trim())
            .ok_or_else(|| AppError::invalid("event_on", "a date, YYYY-MM-DD"))?;
        let person = PersonId::new(person);
        let (id, label, actor_in) = (new_id("mat"), actor.label(), actor.clone());
        let audit = Audit::creating("maternity.claim", format!("person:{person}"));
        let body = request.clone();
        self.change(actor, key, &request, audit, move |tx, now| {
            // Another's person, for a holder or an employer, is answered as unknown; so is
            // a woman an employer did not insure in the month of the event (a former
            // employer learns nothing of her later claims).
            if !contributions_in_scope(tx, &actor_in, &person)? {
                return Err(AppError::Hidden(format!("person {person}")));
            }
            let month = Month::of(event_on);
            let employer = insuring_employer(tx, &person, month)?;
            if actor_in.role == Role::Employer
                && employer
                    .as_ref()
                    .is_none_or(|e| !employer_in_scope(&actor_in, e))
            {
                return Err(AppError::Hidden(format!("person {person}")));
            }
            let record = tx.person(&person)?.or_not_found("person", &person)?;
            if record.gender != shebao_domain::person::identity::Gender::Female {
                return Err(AppError::invalid("person", "a woman insured for maternity"));
            }
            let employer = employer.ok_or_else(|| {
                rule(
                    RefusalCode::NotInsured,
                    "not insured through an employer in the month of the event",
                )
            })?;
            // One claim an event: none within half a year of another not refused.
            let near = tx
                .maternity_claims_of(&person, MATERNITY_LISTED_MAX)?
                .into_iter()
                .any(|c| {
                    c.status != REFUSED
                        && (c.event_on.days_since_epoch() - event_on.days_since_epoch()).abs()
                            < CLAIMS_APART_DAYS
                });
            if near {
                return Err(AppError::Conflict(Clash::MaternityClaimed));
            }
            let unit = tx
                .employer(&employer)?
                .or_not_found("employer", &employer)?;
            let today = App::today_in(tx, &unit.region, now)?;
            if event_on > today {
                return Err(AppError::invalid("event_on", "today or a day before"));
            }
            let (bases, rows) = tx.employer_year_bases(&employer, event_on.year() - 1)?;
            let params = benefit_parameters(tx, &unit.region, event_on)?;
            let allowance = maternity_allowance_of_bases_fen(
                bases,
                rows,
                leave_days,
                params.maternity_divisor_days,
            )
            .map_err(|_| {
                rule(
                    RefusalCode::NoContributionRecord,
                    "the employer paid no maternity contributions the year before",
                )
            })?;
            let average = round_half_up(i128::from(bases), i128::from(rows));
            let claim = MaternityClaimRecord {
                id: id.clone(),
                person_id: person.clone(),
                employer_id: employer.clone(),
                region: unit.region.clone(),
                event: body.event.trim().to_owned(),
                babies: i64::from(body.babies.unwrap_or(1)),
                difficult: body.difficult,
                pregnancy_months: body.pregnancy_months.map(i64::from),
                event_on,
                leave_days: i64::from(leave_days),
                average_wage_fen: average,
                divisor_days: i64::from(params.maternity_divisor_days),
                allowance_fen: allowance,
                status: APPLIED.into(),
                applied_by: label.clone(),
                applied_at: now,
                decided_by: None,
                decided_at: None,
                decision_note: None,
                transfer_id: None,
                version: 0,
            };
            tx.insert_maternity_claim(&claim)?;
            let detail = serde_json::json!({
                "claim": claim.id, "leave_days": leave_days, "allowance_fen": allowance
            });
            Ok((claim_view(&claim), detail.to_string()))
        })
    }

    /// The bureau decides a claim, once: approved, the allowance is paid to the person's card
    /// from the region's maternity fund; refused, with the reason. Whoever made the claim
    /// does not decide it.
    pub fn decide_maternity_claim(
        &self,
        actor: &Actor,
        key: &str,
        claim: &str,
        request: MaternityDecision,
    ) -> Result<MaternityClaimView, AppError> {
        self.authorise(actor, Operation::DecideBenefits)?;
        let (approve, note) = decision_with_note(
            &request.decision,
            "approve",
            request.note.as_ref(),
            "why the claim is refused",
        )?;
        let (id, label) = (claim.to_owned(), actor.label());
        let audit = Audit::on("maternity.decide", format!("maternity_claim:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let mut claim = tx
                .maternity_claim(&id)?
                .or_not_found("maternity claim", &id)?;
            if claim.status != APPLIED {
                return Err(rule(
                    RefusalCode::WrongState,
                    "the claim is already decided",
                ));
            }
            if claim.applied_by == label {
                return Err(rule(
                    RefusalCode::SameClerk,
                    "whoever made the claim may not decide it",
                ));
            }
            if approve {
                let account = crediting_account(tx, &claim.person_id, now)?;
                let fund = SystemAccount::Fund {
                    region: claim.region.to_string(),
                    fund: Insurance::Maternity.as_str().into(),
                }
                .ledger_id(stripe_of(claim.person_id.as_str()));
                let transfer = Benefit {
                    person: &claim.person_id,
                    kind: "maternity",
                    period: &claim.id,
                    code: TransferCode::BenefitCredit,
                    memo: format!("生育津贴 maternity allowance {}", claim.event_on),
                }
                .pay(tx, (fund, account), claim.allowance_fen, &label, now)?;
                claim.transfer_id = Some(transfer);
                claim.status = PAID.into();
            } else {
                claim.status = REFUSED.into();
            }
            claim.decided_by = Some(label.clone());
            claim.decided_at = Some(now);
            claim.decision_note = note.clone();
            tx.save_maternity_claim(&claim)?;
            claim.version += 1;
            let detail = serde_json::json!({
                "status": claim.status, "allowance_fen": claim.allowance_fen
            });
            Ok((claim_view(&claim), detail.to_string()))
        })
    }

    /// The claims waiting for the bureau's decision, oldest first.
    pub fn maternity_claims_to_decide(
        &self,
        actor: &Actor,
    ) -> Result<Vec<MaternityClaimView>, AppError> {
        self.authorise(actor, Operation::DecideBenefits)?;
        let claims = self
            .store
            .read(|tx| tx.maternity_claims_with_status(APPLIED, MATERNITY_LISTED_MAX))?;
        Ok(claims.iter().map(claim_view).collect())
    }

    /// A person's maternity claims, newest first: the holder her own, the bureau and the
    /// auditor anyone's (each read audited as a look-up of the person).
    pub fn maternity_claims(
        &self,
        actor: &Actor,
        person: &str,
    ) -> Result<MaternityRecordView, AppError> {
        self.authorise(actor, Operation::ReadBenefits)?;
        let person = PersonId::new(person);
        let visible = match actor.role {
            Role::BureauClerk | Role::Auditor => true,
            _ => actor.scope.person_id.as_ref() == Some(&person),
        };
        self.visible_or_hidden(visible, actor, Operation::ReadBenefits, ("person", &person))?;
        let (subject, person_id) = (format!("person:{person}"), person.to_string());
        let claims = self.read_for(actor, Operation::ReadBenefits, &subject, move |tx, _| {
            tx.person(&person)?.or_not_found("person", &person)?;
            Ok(tx.maternity_claims_of(&person, MATERNITY_LISTED_MAX)?)
        })?;
        let detail = serde_json::json!({ "claims": claims.len() });
        self.audit_look_up(actor, "maternity.read", subject, &detail)?;
        Ok(MaternityRecordView {
            person_id,
            claims: claims.iter().map(claim_view).collect(),
        })
    }
}
