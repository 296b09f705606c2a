//! Contributions as money and as records: a declared month paid, a flexible worker's
//! payment at the window, and what employers, holders and clerks can query (employees,
//! arrears, history, totals, the personal accounts' statements).

use shebao_domain::access::{Operation, Role};
use shebao_domain::ids::{EmployerId, PersonId};
use shebao_domain::insurance::{Insurance, Month};
use shebao_domain::money::ledger::personal_account;
use shebao_store::{ContributionRecord, PaymentOrderRecord, Tx};

use super::{
    ArrearsView, ContributionView, EmployeeView, InsuranceSummaryView, InsuranceTotalView,
    PaymentOrderRequest, PaymentOrderView, PaymentRequest, PaymentView, Posting,
    contribution_parameters, employer_in_scope, flexible_record, paid_pension_months, parse_month,
    post_contribution,
};
use crate::error::Clash;
use crate::error::{OrNotFound, RefusalCode};
use crate::money::StatementWindow;
use crate::views::{EntryView, StatementView};
use crate::{Actor, App, AppError, Audit};

fn total_of(rows: &[ContributionRecord], insurance: Insurance) -> InsuranceTotalView {
    let mine = rows.iter().filter(|r| r.insurance == insurance);
    let (mut months, mut employer, mut individual, mut owed) = (0, 0, 0, 0);
    for row in mine {
        if row.status == "paid" {
            months += 1;
            employer += row.employer_fen;
            individual += row.individual_fen;
        } else {
            owed += row.employer_fen + row.individual_fen;
        }
    }
    InsuranceTotalView {
        insurance: insurance.as_str().into(),
        months_paid: months,
        employer_paid_fen: employer,
        individual_paid_fen: individual,
        total_paid_fen: employer + individual,
        owed_fen: owed,
    }
}

impl App {
    /// Records the money of an employer's declared month as arrived: every owed contribution
    /// of that month posts to the pooled funds and personal accounts and becomes paid, and
    /// the employer's order of that month, if one waits, is settled. A payment after the
    /// month ended is late and stays recorded against its month.
    pub fn record_contribution_payment(
        &self,
        actor: &Actor,
        key: &str,
        employer: &str,
        request: PaymentRequest,
    ) -> Result<PaymentView, AppError> {
        self.authorise(actor, Operation::RecordContributionPayment)?;
        let month = parse_month(&request.month, "month")?;
        let (employer, label) = (EmployerId::new(employer), actor.label());
        let audit = Audit::on("insurance.record_payment", format!("employer:{employer}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let payer_record = tx
                .employer(&employer)?
                .or_not_found("employer", &employer)?;
            // Late is after the month ended in the employer's region, not in UTC.
            let today = App::today_in(tx, &payer_record.region, now)?;
            let owed = tx.owed_contributions(&employer, month)?;
            if owed.is_empty() {
                return Err(AppError::NotFound(format!("owed contributions of {month}")));
            }
            let payer = format!("employer:{employer}");
            let (mut employer_fen, mut individual_fen) = (0, 0);
            for record in &owed {
                post_contribution(tx, record, &payer, &label, now)?;
                tx.mark_contribution_paid(record, now)?;
                employer_fen += record.employer_fen;
                individual_fen += record.individual_fen;
            }
            tx.settle_payment_order(&employer, month, now)?;
            let view = PaymentView {
                employer_id: employer.to_string(),
                month: month.to_string(),
                rows: i64::try_from(owed.len()).unwrap_or(i64::MAX),
                employer_fen,
                individual_fen,
                paid_at: now.to_string(),
                late: Month::of(today) > month,
            };
            let detail =
                serde_json::json!({ "month": view.month, "rows": view.rows, "late": view.late })
                    .to_string();
            Ok((view, detail))
        })
    }

    /// An employer orders one of its own owed months paid from its desk (issue 15, item 5),
    /// confirming the total it saw: the order moves no money. The money comes from the
    /// employer's bank account to the fund's, and the month posts when the bureau records
    /// it arrived ([`App::record_contribution_payment`], which settles the order). A total
    /// that is no longer what the month owes is refused (`owed_total_changed`); another
    /// employer's month is hidden as not found.
    pub fn order_contribution_payment(
        &self,
        actor: &Actor,
        key: &str,
        employer: &str,
        request: PaymentOrderRequest,
    ) -> Result<PaymentOrderView, AppError> {
        let employer =
            self.employer_in_reach(actor, Operation::OrderContributionPayment, employer)?;
        let month = parse_month(&request.month, "month")?;
        let (confirmed, label) = (request.total_fen, actor.label());
        let audit = Audit::on("insurance.order_payment", format!("employer:{employer}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let owed = tx.owed_contributions(&employer, month)?;
            if owed.is_empty() {
                return Err(AppError::NotFound(format!("owed contributions of {month}")));
            }
            let total = owed.iter().fold(0_i64, |sum, r| {
                sum.saturating_add(r.employer_fen)
                    .saturating_add(r.individual_fen)
            });
            if total != confirmed {
                return Err(AppError::Rule {
                    code: RefusalCode::OwedTotalChanged,
                    message: format!(
                        "{month} owes {total} fen now, not the {confirmed} fen confirmed"
                    ),
                });
            }
            tx.order_payment(&PaymentOrderRecord {
                employer_id: employer.clone(),
                month,
                total_fen: total,
                ordered_by: label.clone(),
                ordered_at: now,
                paid_at: None,
            })?;
            let view = PaymentOrderView {
                employer_id: employer.to_string(),
                month: month.to_string(),
                total_fen: total,
                ordered_at: now.to_string(),
            };
            let detail = serde_json::json!({ "month": view.month, "total_fen": total }).to_string();
            Ok((view, detail))
        })
    }

    /// A flexible worker pays a month's pension contribution at the window: the base is the
    /// local average wage, the whole rate is the worker's, and the personal-account share
    /// goes to their personal pension account. Recorded as paid at once.
    pub fn record_flexible_contribution(
        &self,
        actor: &Actor,
        key: &str,
        person: &str,
        request: PaymentRequest,
    ) -> Result<ContributionView, AppError> {
        self.authorise(actor, Operation::RecordContributionPayment)?;
        let month = parse_month(&request.month, "month")?;
        let (person, label) = (PersonId::new(person), actor.label());
        let audit = Audit::on(
            "insurance.flexible_contribution",
            format!("person:{person}"),
        );
        self.change(actor, key, &request, audit, move |tx, now| {
            let enrolment = flexible_enrolment(tx, &person, month)?;
            // The month starts at the insured region's midnight, not UTC's.
            if month > Month::of(App::today_in(tx, &enrolment.region, now)?) {
                return Err(AppError::Rule {
                    code: RefusalCode::MonthInFuture,
                    message: "a month cannot be paid before it starts".into(),
                });
            }
            let params = contribution_parameters(tx, &enrolment.region, month)?
                .ok_or_else(|| AppError::Rule {
                    code: RefusalCode::NoParameters,
                    message: format!("no contribution parameters for {month}"),
                })?
                .to_domain();
            let payer = format!("flexible:{person}");
            let fresh = flexible_record(
                &person,
                &params,
                &Posting {
                    month,
                    region: &enrolment.region,
                    employer: None,
                    status: "paid",
                    declaration_id: &payer,
                    at: now,
                    paid_at: Some(now),
                },
            );
            let record = settled_record(tx, fresh, now)?;
            post_contribution(tx, &record, &payer, &label, now)?;
            let view = ContributionView {
                month: month.to_string(),
                insurance: "pension".into(),
                base_fen: record.base_fen,
                employer_fen: 0,
                individual_fen: record.individual_fen,
                account_fen: record.account_fen,
                status: "paid".into(),
                paid_at: Some(now.to_string()),
                employer: None,
                region: record.region.to_string(),
            };
            Ok((
                view,
                serde_json::json!({ "month": month.to_string() }).to_string(),
            ))
        })
    }

    /// The employer `id`, if the actor may read it (another's is hidden, audited).
    fn employer_to_read(&self, actor: &Actor, id: &str) -> Result<EmployerId, AppError> {
        self.employer_in_reach(actor, Operation::ReadEmployer, id)
    }

    /// The employer `id`, if the actor may do `operation` on it: authorised, and the actor's
    /// own unit for an employer (another's is hidden as not found, audited).
    fn employer_in_reach(
        &self,
        actor: &Actor,
        operation: Operation,
        id: &str,
    ) -> Result<EmployerId, AppError> {
        self.authorise(actor, operation)?;
        let employer = EmployerId::new(id);
        let visible = employer_in_scope(actor, &employer);
        self.visible_or_hidden(visible, actor, operation, ("employer", &employer))?;
        Ok(employer)
    }

    /// An employer's insured employees (masked), with their enrolment months.
    pub fn employees(&self, actor: &Actor, employer: &str) -> Result<Vec<EmployeeView>, AppError> {
        let employer = self.employer_to_read(actor, employer)?;
        let (vault, now) = (self.vault.clone(), self.now());
        self.store.read(move |tx| {
            let mut views = Vec::new();
            for enrolment in tx.enrolments_of_employer(&employer)? {
                let Some(person) = tx.person(&enrolment.person_id)? else {
                    continue;
                };
                let shown =
                    crate::person::person_view(&vault, &person, crate::person::Shown::Masked, now)?;
                views.push(EmployeeView {
                    person_id: shown.id,
                    citizen_id: shown.citizen_id,
                    name: shown.name,
                    start_month: enrolment.start.to_string(),
                    end_month: enrolment.end.map(|m| m.to_string()),
                });
            }
            Ok(views)
        })
    }

    /// An employer's unpaid months.
    pub fn arrears(&self, actor: &Actor, employer: &str) -> Result<Vec<ArrearsView>, AppError> {
        let employer = self.employer_to_read(actor, employer)?;
        let (rows, orders) = self.store.read(move |tx| {
            Ok::<_, AppError>((
                tx.arrears(&employer)?,
                tx.pending_payment_orders(&employer)?,
            ))
        })?;
        Ok(rows
            .iter()
            .map(|a| ArrearsView {
                month: a.month.to_string(),
                rows: a.rows,
                employer_fen: a.employer_fen,
                individual_fen: a.individual_fen,
                ordered_at: orders
                    .iter()
                    .find(|o| o.month == a.month)
                    .map(|o| o.ordered_at.to_string()),
            })
            .collect())
    }

    /// A person's contributions month by month (an employer sees only its own rows).
    pub fn contribution_history(
        &self,
        actor: &Actor,
        person: &str,
        insurance: Option<&str>,
    ) -> Result<Vec<ContributionView>, AppError> {
        self.authorise(actor, Operation::ReadContributions)?;
        let insurance = insurance
            .map(|name| {
                Insurance::parse(name).ok_or_else(|| {
                    AppError::invalid(
                        "insurance",
                        "pension, medical, unemployment, work_injury or maternity",
                    )
                })
            })
            .transpose()?;
        self.read_insured(actor, person, move |tx, reader, person| {
            let rows = tx.contributions_of_person(person, insurance)?;
            let mut names = std::collections::HashMap::new();
            let mut views = Vec::with_capacity(rows.len());
            for row in rows.iter().filter(|r| {
                reader.role != Role::Employer || r.employer_id == reader.scope.employer_id
            }) {
                let employer = match &row.employer_id {
                    Some(id) => {
                        if !names.contains_key(id) {
                            let name = tx.employer(id)?.map(|e| e.name);
                            names.insert(id.clone(), name);
                        }
                        names.get(id).cloned().flatten()
                    }
                    None => None,
                };
                views.push(ContributionView {
                    month: row.month.to_string(),
                    insurance: row.insurance.as_str().into(),
                    base_fen: row.base_fen,
                    employer_fen: row.employer_fen,
                    individual_fen: row.individual_fen,
                    account_fen: row.account_fen,
                    status: row.status.clone(),
                    paid_at: row.paid_at.map(|t| t.to_string()),
                    employer,
                    region: row.region.to_string(),
                });
            }
            Ok(views)
        })
    }

    /// Totals per insurance, pension and medical totals, personal accounts, contribution time.
    pub fn insurance_summary(
        &self,
        actor: &Actor,
        person: &str,
    ) -> Result<InsuranceSummaryView, AppError> {
        self.authorise_own_record(actor, person)?;
        self.read_insured(actor, person, move |tx, _, person| {
            let rows = tx.contributions_of_person(person, None)?;
            let insurances: Vec<InsuranceTotalView> = Insurance::ALL
                .iter()
                .map(|insurance| total_of(&rows, *insurance))
                .collect();
            let months = paid_pension_months(&rows);
            let balance = |tx: &mut Tx<'_>, kind: &str| -> Result<i64, AppError> {
                Ok(tx
                    .ledger_balance(&personal_account(kind, person.as_str()))?
                    .map_or(0, |b| b.balance_fen))
            };
            let pension_total = insurances
                .iter()
                .find(|t| t.insurance == "pension")
                .map_or(0, |t| t.total_paid_fen);
            let medical_total = insurances
                .iter()
                .find(|t| t.insurance == "medical")
                .map_or(0, |t| t.total_paid_fen);
            Ok(InsuranceSummaryView {
                person_id: person.to_string(),
                pension_total_fen: pension_total,
                medical_total_fen: medical_total,
                personal_pension_balance_fen: balance(tx, "pension")?,
                personal_medical_balance_fen: balance(tx, "medical")?,
                contribution_months: months,
                contribution_years: months / 12,
                contribution_remaining_months: months % 12,
                insurances,
            })
        })
    }

    /// The entries a window selects of a personal account (kind `pension` or `medical`),
    /// newest first.
    pub fn personal_account_statement(
        &self,
        actor: &Actor,
        person: &str,
        kind: &str,
        window: StatementWindow,
    ) -> Result<StatementView, AppError> {
        self.authorise(actor, Operation::ReadContributions)?;
        if !matches!(kind, "pension" | "medical") {
            return Err(AppError::NotFound(format!("personal account {kind}")));
        }
        if actor.role == Role::Employer {
            // An employer never sees a person's personal accounts: refused, and audited.
            return Err(self.deny(
                actor,
                Operation::ReadContributions,
                &format!("person:{person}"),
            ));
        }
        let kind = kind.to_owned();
        self.read_insured(actor, person, move |tx, _, person| {
            let account = personal_account(&kind, person.as_str());
            let (entries, next_before) = window.read(tx, &account)?;
            Ok(StatementView {
                account_id: account.clone(),
                balance_fen: tx.ledger_balance(&account)?.map_or(0, |b| b.balance_fen),
                entries: entries.iter().map(EntryView::from).collect(),
                next_before,
            })
        })
    }
}

/// The person's flexible-worker enrolment covering `month`.
fn flexible_enrolment(
    tx: &mut Tx<'_>,
    person: &PersonId,
    month: Month,
) -> Result<shebao_store::EnrolmentRecord, AppError> {
    tx.enrolments_of_person(person)?
        .into_iter()
        .find(|e| e.kind == "flexible" && e.start <= month && e.end.is_none_or(|end| end >= month))
        .ok_or_else(|| AppError::Rule {
            code: RefusalCode::NotEnrolled,
            message: format!("not insured as a flexible worker in {month}"),
        })
}

/// A flexible payment's record: `fresh`, or the owed row the contribution run recorded.
fn settled_record(
    tx: &mut Tx<'_>,
    fresh: ContributionRecord,
    now: shebao_domain::time::Timestamp,
) -> Result<ContributionRecord, AppError> {
    // The monthly contribution run may have recorded the month as owed: paying at
    // the window settles that row, at the amounts it was recorded with.
    if tx.insert_contributions(std::slice::from_ref(&fresh))? == 1 {
        return Ok(fresh);
    }
    let month = fresh.month;
    let owed = tx
        .contributions_of_person(&fresh.person_id, Some(Insurance::Pension))?
        .into_iter()
        .find(|r| r.month == month && r.status == "owed" && r.employer_id.is_none())
        .ok_or_else(|| {
            AppError::Conflict(Clash::ContributionRecorded {
                month: month.to_string(),
            })
        })?;
    tx.mark_contribution_paid(&owed, now)?;
    Ok(owed)
}
