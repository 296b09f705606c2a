//! Settlement at the counter: the person query, pre-settlement (nothing moves), settlement
//! (the fund's and the personal account's shares posted through the ledger with the
//! year's deductible and cap, atomically) and its undo. A birth's costs (insurance 510) are
//! settled the same way under the policy's maternity rules, from the maternity pool.

use shebao_domain::access::Operation;
use shebao_domain::ids::{RegionCode, TransferId};
use shebao_domain::medical::{BillLine, ItemClass, Split, SplitTerms, bill_totals, split};
use shebao_domain::money::ledger::{SystemAccount, TransferCode, personal_account, stripe_of};
use shebao_domain::time::{Date, Timestamp};
use shebao_store::{
    AccumulatorRecord, CatalogueItemRecord, InstitutionRecord, SettlementRecord, Tx,
};

use super::counter::{CounterAudit, Lookup, Patient, bill_subject, check_bill_number, patient};
use super::diagnosis;
use super::{
    BillRequest, DiagnosisView, EMPLOYEES_MEDICAL, Identification, InsuredView, MATERNITY,
    MedicalPolicy, PolicyRule, SettlementView, UndoRequest, own_institution, rule, settlement_view,
};
use crate::error::{OrNotFound, RefusalCode};
use crate::insurance::insuring_employer;
use crate::money::{post, transfer_record};
use crate::person::parse_citizen_id;
use crate::{Actor, App, AppError, Audit, new_id};
use shebao_domain::ids::PersonId;
use shebao_domain::insurance::Month;
use shebao_domain::person::identity::Gender;

impl App {
    /// Person query: who the patient is, where insured, and what is left of the year; the
    /// personal account's balance only with the card present. Audited, refusals included.
    pub fn query_insured(
        &self,
        actor: &Actor,
        who: Identification,
    ) -> Result<InsuredView, AppError> {
        self.authorise(actor, Operation::QueryInsured)?;
        let now = self.now();
        let mut audit = CounterAudit::new(
            "medical.person_query",
            "person:unidentified".into(),
            Some(&who),
        );
        let lookup = match self.lookup(actor, &who, &mut audit) {
            Ok(lookup) => lookup,
            Err(error) => return Err(self.record_refusal(actor, &audit, error)),
        };
        let (actor_in, vault) = (actor.clone(), self.vault.clone());
        self.audited_read(actor, audit, move |tx, audit| {
            let institution = own_institution(tx, &actor_in)?;
            let patient = patient(tx, &lookup, &institution.region, now)?;
            audit.subject = format!("person:{}", patient.person);
            let year = App::today_in(tx, &patient.insured_region, now)?.year();
            let (used, balance) = medical_year(tx, &patient, year)?;
            let person = tx
                .person(&patient.person)?
                .ok_or_else(|| AppError::NotFound("person".into()))?;
            let citizen = vault
                .open(crate::person::CITIZEN_CONTEXT, &person.citizen_cipher)
                .map_err(AppError::failed("opening a sealed value"))?;
            Ok(InsuredView {
                person_id: patient.person.to_string(),
                citizen_id: parse_citizen_id(&citizen, now)?.masked(),
                card_id: patient.card.id.to_string(),
                card_number: patient.card.card_number.as_str().to_owned(),
                insured_region: patient.insured_region.to_string(),
                status: if patient.retired {
                    "retired"
                } else {
                    "working"
                }
                .into(),
                year,
                // The holder's money is shown to a cashier only with the card at the counter.
                personal_account_balance_fen: patient.card_present.then(|| balance.unwrap_or(0)),
                deductible_used_fen: used.deductible_used_fen,
                fund_used_fen: used.fund_used_fen,
                supplementary_used_fen: used.supplementary_used_fen,
            })
        })
    }

    /// Pre-settlement: the split as it would be now; nothing moves. Audited, refusals
    /// included; without the card present the personal account takes no share.
    pub fn pre_settle(&self, actor: &Actor, bill: BillRequest) -> Result<SettlementView, AppError> {
        self.authorise(actor, Operation::Settle)?;
        let now = self.now();
        let mut audit = CounterAudit::new(
            "medical.pre_settle",
            bill_subject(actor, &bill.bill_number),
            Some(&bill.person),
        );
        let checked = check_bill_number(&bill.bill_number)
            .and_then(|()| diagnosis::parse(bill.diagnosis.as_ref()))
            .and_then(|diagnosis| Ok((diagnosis, self.lookup(actor, &bill.person, &mut audit)?)));
        let (diagnosis, lookup) = match checked {
            Ok(checked) => checked,
            Err(error) => return Err(self.record_refusal(actor, &audit, error)),
        };
        // A dry run: the diagnosis is checked and shown masked, never sealed or stored.
        let diagnosis = diagnosis.map(|d| DiagnosisView::of(&d, false));
        let actor_in = actor.clone();
        self.audited_read(actor, audit, move |tx, audit| {
            let prepared = prepare(tx, &actor_in, &bill, &lookup, now)?;
            audit.note("person", prepared.patient.person.to_string());
            Ok(settlement_view(
                &record(&prepared, &bill, "preview", "preview", now),
                diagnosis.clone(),
            ))
        })
    }

    /// Settlement: once per institution and bill number. The fund's share (and a
    /// supplementary fund's above the cap) and the personal account's share post to the
    /// institution's account; the year's accumulators move with them; the cash share is
    /// recorded. Where the region asks for it, the social PIN is checked first (wrong entries
    /// count toward its lock).
    ///
    /// Only with the card present (the card's number and identification code, or a live
    /// electronic-card token): a typed ID number may query and pre-settle, never settle.
    /// Audited, refusals included.
    pub fn settle(
        &self,
        actor: &Actor,
        key: &str,
        bill: BillRequest,
    ) -> Result<SettlementView, AppError> {
        self.authorise(actor, Operation::Settle)?;
        let audit = CounterAudit::new(
            "medical.settle",
            bill_subject(actor, &bill.bill_number),
            Some(&bill.person),
        );
        let result = self.settle_bill(actor, key, bill);
        self.recorded(actor, &audit, result)
    }

    pub(super) fn settle_bill(
        &self,
        actor: &Actor,
        key: &str,
        bill: BillRequest,
    ) -> Result<SettlementView, AppError> {
        check_bill_number(&bill.bill_number)?;
        let lookup = Lookup::presented(&bill.person).ok_or_else(|| {
            rule(
                RefusalCode::CardRequired,
                "a settlement needs the card (its number and identification code) or a live electronic-card token; a typed ID number may only query and pre-settle",
            )
        })?;
        let by = bill.person.method();
        let pin = bill
            .social_pin
            .as_deref()
            .map(|p| crate::card::pin::parse_pin(p, "social_pin"))
            .transpose()?;
        // Sealed once, outside the transaction; the answer (stored for replays) shows it
        // masked and the audit detail leaves it out.
        let diagnosis = diagnosis::parse(bill.diagnosis.as_ref())?;
        let sealed_diagnosis = diagnosis
            .as_ref()
            .map(|d| diagnosis::seal(&self.vault, d))
            .transpose()?;
        let diagnosis = diagnosis.map(|d| DiagnosisView::of(&d, false));
        let (actor_in, vault, label) = (actor.clone(), self.vault.clone(), actor.label());
        let ids = [new_id("stl"), new_id("trf"), new_id("trf"), new_id("trf")];
        let institution = actor.scope.institution_id.clone().unwrap_or_default();
        let audit = Audit::on(
            "medical.settle",
            format!("bill:{institution}:{}", bill.bill_number.trim()),
        );
        let mut request = serde_json::to_value(&bill).map_err(AppError::failed("encoding JSON"))?;
        request["social_pin"] = serde_json::Value::Null;
        self.change(actor, key, &request, audit, move |tx, now| {
            let prepared = prepare(tx, &actor_in, &bill, &lookup, now)?;
            if prepared.social_pin_required {
                crate::card::pin::check_social_pin(tx, &vault, &prepared.patient.card, pin.as_ref(), now)?;
            }
            let mut stored = record(&prepared, &bill, &ids[0], "settled", now);
            stored.diagnosis_cipher = sealed_diagnosis.clone();
            let transfer = |amount_fen: i64, id: &String| (amount_fen > 0).then(|| TransferId::new(id.as_str()));
            stored.fund_transfer_id = transfer(stored.fund_fen, &ids[1]);
            stored.supplementary_transfer_id = transfer(stored.supplementary_fen, &ids[3]);
            stored.account_transfer_id = transfer(stored.account_fen, &ids[2]);
            // The settlement is recorded first: the institution's bill number is its key, so a
            // second settlement of the bill is refused here, before anything moves.
            if !tx.insert_settlement(&stored)? {
                return Err(rule(RefusalCode::BillAlreadySettled, "this bill number was already settled at this institution"));
            }
            post_settlement(tx, &stored, &ids, prepared.account_balance_fen.is_some(), &label, now)?;
            let used = AccumulatorRecord { deductible_used_fen: stored.deductible_fen, fund_used_fen: stored.fund_fen, supplementary_used_fen: stored.supplementary_fen };
            // A birth's costs are the maternity fund's: the medical year is left as it was.
            if stored.insurance_type == EMPLOYEES_MEDICAL {
                tx.add_to_accumulator(&stored.person_id, stored.year, used)?;
            }
            let detail = serde_json::json!({
                "by": by, "person": stored.person_id.as_str(), "total_fen": stored.total_fen, "fund_fen": stored.fund_fen, "supplementary_fen": stored.supplementary_fen,
                "account_fen": stored.account_fen, "cash_fen": stored.cash_fen
            });
            Ok((settlement_view(&stored, diagnosis.clone()), detail.to_string()))
        })
    }

    /// Undo: reverses every transfer of the settlement and gives back the deductible and the
    /// caps used, exactly.
    pub fn undo_settlement(
        &self,
        actor: &Actor,
        key: &str,
        bill_number: &str,
        request: UndoRequest,
    ) -> Result<SettlementView, AppError> {
        self.authorise(actor, Operation::UndoSettlement)?;
        let audit = CounterAudit::new("medical.undo", bill_subject(actor, bill_number), None);
        let result = self.undo_bill(actor, key, bill_number, &request);
        self.recorded(actor, &audit, result)
    }

    pub(super) fn undo_bill(
        &self,
        actor: &Actor,
        key: &str,
        bill_number: &str,
        request: &UndoRequest,
    ) -> Result<SettlementView, AppError> {
        check_bill_number(bill_number)?;
        let reason = crate::person::reason(&request.reason)?;
        let detail = serde_json::json!({ "reason": reason }).to_string();
        let (actor_in, label, bill) = (actor.clone(), actor.label(), bill_number.trim().to_owned());
        let reversal_ids = [new_id("trf"), new_id("trf"), new_id("trf")];
        let vault = self.vault.clone();
        let audit = Audit::on(
            "medical.undo",
            format!(
                "bill:{}:{bill}",
                actor.scope.institution_id.clone().unwrap_or_default()
            ),
        );
        self.change(
            actor,
            key,
            &serde_json::json!({ "bill_number": bill, "reason": reason }),
            audit,
            move |tx, now| {
                let institution = own_institution(tx, &actor_in)?;
                let stored = tx
                    .settlement(&institution.id, &bill)?
                    .or_not_found("bill", &bill)?;
                if stored.status != "settled" {
                    return Err(rule(
                        RefusalCode::AlreadyUndone,
                        "this settlement was already undone",
                    ));
                }
                reverse_settlement(tx, &stored, &reversal_ids, &bill, &label, now)?;
                let given_back = AccumulatorRecord {
                    deductible_used_fen: -stored.deductible_fen,
                    fund_used_fen: -stored.fund_fen,
                    supplementary_used_fen: -stored.supplementary_fen,
                };
                if stored.insurance_type == EMPLOYEES_MEDICAL {
                    tx.add_to_accumulator(&stored.person_id, stored.year, given_back)?;
                }
                tx.mark_settlement_undone(&institution.id, &bill, now)?;
                let undone = SettlementRecord {
                    status: "undone".into(),
                    undone_at: Some(now),
                    ..stored
                };
                let diagnosis = diagnosis::of_record(&vault, &undone, false)?;
                Ok((settlement_view(&undone, diagnosis), detail.clone()))
            },
        )
    }
}

/// What the patient has used of the year and holds in the personal medical account: the
/// accumulators, and the account's balance (`None` while it does not exist).
pub(super) fn medical_year(
    tx: &mut Tx<'_>,
    patient: &Patient,
    year: i32,
) -> Result<(AccumulatorRecord, Option<i64>), AppError> {
    let account = personal_account("medical", patient.person.as_str());
    Ok(tx.medical_year(&patient.person, i64::from(year), &account)?)
}

/// The most specific rule of the policy matching the insurance, institution level, visit
/// and status. Everyone insured here is in the employees' medical insurance (310; residents'
/// 390 is not enrolled through this system yet), whose bills a rule naming no insurance
/// also matches; a maternity bill (510) only the rules that name maternity.
pub(super) fn matching_rule<'p>(
    policy: &'p MedicalPolicy,
    (insurance_type, level): (&str, u8),
    visit: &str,
    status: &str,
) -> Result<&'p PolicyRule, AppError> {
    let specificity = |r: &PolicyRule| {
        usize::from(r.insurance_type.is_some())
            + usize::from(r.level.is_some())
            + usize::from(r.visit.is_some())
            + usize::from(r.status.is_some())
    };
    let matching: Vec<&PolicyRule> = policy
        .rules
        .iter()
        .filter(|r| match r.insurance_type.as_deref() {
            Some(named) => named == insurance_type,
            None => insurance_type == EMPLOYEES_MEDICAL,
        })
        .filter(|r| r.level.is_none_or(|l| l == level))
        .filter(|r| r.visit.as_deref().is_none_or(|v| v == visit))
        .filter(|r| r.status.as_deref().is_none_or(|s| s == status))
        .collect();
    let best = matching
        .iter()
        .map(|r| specificity(r))
        .max()
        .ok_or_else(|| {
            rule(
                RefusalCode::NoPolicy,
                "no policy rule matches this institution, visit and status",
            )
        })?;
    let mut most_specific = matching.into_iter().filter(|r| specificity(r) == best);
    match (most_specific.next(), most_specific.next()) {
        (Some(found), None) => Ok(found),
        _ => Err(rule(
            RefusalCode::AmbiguousPolicy,
            "two policy rules match equally; the region's policy must be corrected",
        )),
    }
}

/// A bill checked and split, before anything moves.
pub(super) struct Prepared {
    pub(super) patient: Patient,
    pub(super) social_pin_required: bool,
    pub(super) institution: InstitutionRecord,
    pub(super) year: i32,
    /// The treating region's day: the settlement's day for reconciliation.
    pub(super) settled_on: Date,
    /// The personal medical account's balance when the bill was split (`None`: no account).
    pub(super) account_balance_fen: Option<i64>,
    pub(super) self_paid_fen: i64,
    pub(super) over_limit_fen: i64,
    pub(super) split: Split,
}

pub(super) fn prepare(
    tx: &mut Tx<'_>,
    actor: &Actor,
    bill: &BillRequest,
    who: &Lookup,
    now: Timestamp,
) -> Result<Prepared, AppError> {
    let institution = own_institution(tx, actor)?;
    check_bill_shape(bill)?;
    let patient = patient(tx, who, &institution.region, now)?;
    // The policy year, with its deductible and cap, is the insured region's year.
    let insured_today = App::today_in(tx, &patient.insured_region, now)?;
    let year = insured_today.year();
    // The catalogue in force and the settlement's day are the treating region's.
    let today = App::today_in(tx, &institution.region, now)?;
    let policy = policy_of(tx, &patient.insured_region, year)?;
    let status = if patient.retired {
        "retired"
    } else {
        "working"
    };
    let level = u8::try_from(institution.level).unwrap_or(0);
    let maternity = bill.insurance_type == MATERNITY;
    if maternity {
        // Insured in the month of the insured region's day, as the policy year is.
        insured_for_maternity(tx, &patient.person, Month::of(insured_today))?;
    }
    let terms_rule = matching_rule(&policy, (&bill.insurance_type, level), &bill.visit, status)?;
    // Items outside the catalogue (or not yet in force) are self-paid.
    let codes: Vec<&str> = bill.lines.iter().map(|line| line.code.trim()).collect();
    // federation.md: the catalogue of the place of treatment, the policy of the insured place.
    let items = tx.catalogue_items_at(&institution.region, &codes, today)?;
    let lines = bill_lines(bill, &codes, &items);
    let totals = bill_totals(&lines).map_err(|e| AppError::invalid("lines", e.to_string()))?;
    let (used, account_balance_fen) = medical_year(tx, &patient, year)?;
    let balance = account_balance_fen.unwrap_or(0);
    // A birth's bill takes its rule's deductible whole and the policy's cap as its own
    // ceiling: it is paid by the maternity fund, outside the medical year.
    let (deductible_used, fund_used) = if maternity {
        (0, 0)
    } else {
        (used.deductible_used_fen, used.fund_used_fen)
    };
    let terms = SplitTerms {
        deductible_remaining_fen: (terms_rule.deductible_fen - deductible_used).max(0),
        pool_ratio_ppm: terms_rule.pool_ratio_ppm,
        cap_remaining_fen: (policy.annual_cap_fen - fund_used).max(0),
        account_balance_fen: balance,
        // Without the card at the counter the personal account neither pays nor shows its
        // balance through the split.
        use_account: bill.use_account && patient.card_present,
        supplementary: policy
            .supplementary
            .as_ref()
            .filter(|_| !maternity)
            .map(|fund| shebao_domain::medical::Supplementary {
                ratio_ppm: fund.ratio_ppm,
                cap_remaining_fen: (fund.annual_cap_fen - used.supplementary_used_fen).max(0),
            }),
    };
    let split = split(totals, terms).map_err(|e| AppError::invalid("lines", e.to_string()))?;
    Ok(Prepared {
        patient,
        social_pin_required: policy.social_pin_required,
        institution,
        year,
        settled_on: today,
        account_balance_fen,
        self_paid_fen: totals.self_paid_fen,
        over_limit_fen: totals.over_limit_fen,
        split,
    })
}

pub(super) fn record(
    prepared: &Prepared,
    bill: &BillRequest,
    id: &str,
    status: &str,
    now: Timestamp,
) -> SettlementRecord {
    let s = prepared.split;
    SettlementRecord {
        institution_id: prepared.institution.id.clone(),
        bill_number: bill.bill_number.trim().to_owned(),
        id: id.to_owned(),
        person_id: prepared.patient.person.clone(),
        insured_region: prepared.patient.insured_region.clone(),
        treated_region: prepared.institution.region.clone(),
        year: i64::from(prepared.year),
        visit: bill.visit.clone(),
        total_fen: s.total_fen,
        self_paid_fen: prepared.self_paid_fen,
        over_limit_fen: prepared.over_limit_fen,
        class_b_first_share_fen: s.class_b_first_share_fen,
        in_scope_fen: s.in_scope_fen,
        deductible_fen: s.deductible_fen,
        fund_fen: s.fund_fen,
        supplementary_fen: s.supplementary_fen,
        account_fen: s.account_fen,
        cash_fen: s.cash_fen,
        fund_transfer_id: None,
        account_transfer_id: None,
        supplementary_transfer_id: None,
        status: status.to_owned(),
        settled_at: now,
        settled_on: prepared.settled_on,
        undone_at: None,
        diagnosis_cipher: None,
        insurance_type: bill.insurance_type.clone(),
    }
}

/// Whether `person` may have a birth's costs paid by maternity insurance in `month`: a woman
/// insured through an employer that month (maternity insurance comes with the enrolment).
fn insured_for_maternity(tx: &mut Tx<'_>, person: &PersonId, month: Month) -> Result<(), AppError> {
    let record = tx.person(person)?.or_not_found("person", person)?;
    if record.gender != Gender::Female {
        return Err(AppError::invalid(
            "insurance_type",
            "maternity insurance pays a woman's costs of a birth",
        ));
    }
    if insuring_employer(tx, person, month)?.is_none() {
        return Err(rule(
            RefusalCode::NotInsured,
            "not insured for maternity through an employer this month",
        ));
    }
    Ok(())
}

/// A bill's visit kind, insurance and number of lines.
fn check_bill_shape(bill: &BillRequest) -> Result<(), AppError> {
    if !matches!(bill.insurance_type.as_str(), EMPLOYEES_MEDICAL | MATERNITY) {
        return Err(AppError::invalid(
            "insurance_type",
            "310 (employees' medical insurance) or 510 (maternity)",
        ));
    }
    if !matches!(bill.visit.as_str(), "outpatient" | "inpatient" | "pharmacy") {
        return Err(AppError::invalid(
            "visit",
            "outpatient, inpatient or pharmacy",
        ));
    }
    if bill.lines.is_empty() || bill.lines.len() > 500 {
        return Err(AppError::invalid("lines", "1 to 500 lines"));
    }
    Ok(())
}

/// The medical policy of `region` for `year`.
fn policy_of(tx: &mut Tx<'_>, region: &RegionCode, year: i32) -> Result<MedicalPolicy, AppError> {
    let body = tx.medical_policy(region, i64::from(year))?.ok_or_else(|| {
        rule(
            RefusalCode::NoPolicy,
            format!("region {} has no medical policy for {year}", region),
        )
    })?;
    serde_json::from_str(&body).map_err(AppError::failed("decoding JSON"))
}

/// The bill's lines as the domain splits them: each item's class and limit price from the
/// catalogue in force (an item outside it is self-paid).
fn bill_lines(bill: &BillRequest, codes: &[&str], items: &[CatalogueItemRecord]) -> Vec<BillLine> {
    let mut lines = Vec::with_capacity(bill.lines.len());
    for (line, code) in bill.lines.iter().zip(codes) {
        let item = items.iter().find(|item| item.code == *code);
        let class = match item.map(|i| (i.class.as_str(), i.first_share_ppm)) {
            Some(("a", _)) => ItemClass::A,
            Some(("b", share)) => ItemClass::B {
                first_share_ppm: u32::try_from(share).unwrap_or(u32::MAX),
            },
            _ => ItemClass::SelfPaid,
        };
        lines.push(BillLine {
            class,
            quantity: line.quantity,
            unit_price_fen: line.unit_price_fen,
            limit_price_fen: item.and_then(|i| i.limit_price_fen),
        });
    }
    lines
}

/// Posts a settlement's legs to the institution: the fund's, the supplementary fund's and
/// the personal account's shares, each only if it is above zero.
fn post_settlement(
    tx: &mut Tx<'_>,
    stored: &SettlementRecord,
    ids: &[String; 4],
    account_exists: bool,
    label: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let stripe = stripe_of(&stored.bill_number);
    let payee = SystemAccount::Institution {
        institution: stored.institution_id.clone(),
    }
    .ledger_id(stripe);
    let memo = format!("{} {}", stored.institution_id, stored.bill_number);
    let pool = |insurance: &str| {
        SystemAccount::Pool {
            region: stored.insured_region.to_string(),
            insurance: insurance.into(),
        }
        .ledger_id(stripe)
    };
    let personal = personal_account("medical", stored.person_id.as_str());
    // The personal account pays only what its balance holds, so it exists when it
    // pays; the funds' accounts are opened on first use, the payee's by `post`.
    let fund = if stored.insurance_type == MATERNITY {
        "maternity"
    } else {
        "medical"
    };
    let legs = [
        (pool(fund), stored.fund_fen, &ids[1], true),
        (
            pool("medical_supplementary"),
            stored.supplementary_fen,
            &ids[3],
            true,
        ),
        (personal, stored.account_fen, &ids[2], !account_exists),
    ];
    for (source, amount_fen, id, open) in legs {
        if amount_fen > 0 {
            if open {
                tx.ensure_ledger_account(&source, !source.starts_with("personal:"), now)?;
            }
            post(
                tx,
                &transfer_record(
                    id,
                    TransferCode::MedicalSettlement,
                    source,
                    payee.clone(),
                    amount_fen,
                    memo.clone(),
                    label,
                    now,
                ),
                now,
            )?;
        }
    }
    Ok(())
}

/// Reverses every transfer a settlement posted.
fn reverse_settlement(
    tx: &mut Tx<'_>,
    stored: &SettlementRecord,
    reversal_ids: &[String; 3],
    bill: &str,
    label: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let originals = [
        &stored.fund_transfer_id,
        &stored.supplementary_transfer_id,
        &stored.account_transfer_id,
    ];
    for (original, reversal_id) in originals.into_iter().zip(reversal_ids) {
        let Some(original) = original else { continue };
        let transfer = tx
            .transfer(original)?
            .ok_or_else(|| AppError::Internal("settlement transfer missing".into()))?;
        let mut reversal = transfer_record(
            reversal_id,
            TransferCode::Reversal,
            transfer.credit_account.clone(),
            transfer.debit_account.clone(),
            transfer.amount_fen,
            format!("undo {bill}"),
            label,
            now,
        );
        reversal.reverses = Some(transfer.id.clone());
        post(tx, &reversal, now)?;
    }
    Ok(())
}
