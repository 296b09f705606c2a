//! The subsidies: the completions whose subsidy is due, and its payment.

use shebao_domain::access::Operation;
use shebao_domain::employment::training::{EnrolmentStatus, SubsidyPayee};
use shebao_domain::money::ledger::{SystemAccount, TransferCode, stripe_of};
use shebao_store::tx::TRAINING_LISTED_MAX;

use super::{EnrolmentView, FUND, Providers, rule};
use crate::error::{Clash, OrNotFound, RefusalCode};
use crate::insurance::pensions::{Benefit, crediting_account};
use crate::{Actor, App, AppError, Audit};

impl App {
    /// The completions whose subsidy is not paid yet, oldest first.
    pub fn training_subsidies_to_pay(&self, actor: &Actor) -> Result<Vec<EnrolmentView>, AppError> {
        self.authorise(actor, Operation::PayTrainingSubsidy)?;
        self.store.read(|tx| {
            let mut providers = Providers::default();
            tx.training_completions_unpaid(TRAINING_LISTED_MAX)?
                .iter()
                .map(|record| providers.enrolment_view(tx, record))
                .collect()
        })
    }

    /// The bureau pays a completion's subsidy, once, from the course region's unemployment
    /// fund: to the trainee's card, or to what the fund owes the provider; never by the
    /// clerk who approved the course.
    pub fn pay_training_subsidy(
        &self,
        actor: &Actor,
        key: &str,
        enrolment: &str,
    ) -> Result<EnrolmentView, AppError> {
        self.authorise(actor, Operation::PayTrainingSubsidy)?;
        let (id, label) = (enrolment.to_owned(), actor.label());
        let audit = Audit::on("training.subsidy", format!("training:{id}"));
        self.change(actor, key, &serde_json::json!({}), audit, move |tx, now| {
            let mut record = tx
                .training_enrolment(&id)?
                .or_not_found("training enrolment", &id)?;
            if record.status != EnrolmentStatus::Completed.as_str() {
                return Err(rule(
                    RefusalCode::WrongState,
                    format!(
                        "only a completion's subsidy is paid; this enrolment is {}",
                        record.status
                    ),
                ));
            }
            if record.transfer_id.is_some() {
                return Err(AppError::Conflict(Clash::SubsidyPaid));
            }
            let course = tx
                .training_course(&record.course_id)?
                .or_not_found("training course", &record.course_id)?;
            // Separation of duties: the clerk who approved the course (and so its subsidy
            // and payee) does not pay it.
            if course.reviewed_by.as_deref() == Some(label.as_str()) {
                return Err(rule(
                    RefusalCode::SameClerk,
                    "the clerk who approved the course may not pay its subsidies",
                ));
            }
            let stripe = stripe_of(record.person_id.as_str());
            let target = match SubsidyPayee::parse(&course.payee) {
                Some(SubsidyPayee::Provider) => {
                    let account = SystemAccount::TrainingProvider {
                        provider: course.provider_id.clone(),
                    }
                    .ledger_id(stripe);
                    tx.ensure_ledger_account(&account, true, now)?;
                    account
                }
                Some(SubsidyPayee::Card) => crediting_account(tx, &record.person_id, now)?,
                None => {
                    return Err(AppError::Internal(format!(
                        "training course {}: payee {}",
                        course.id, course.payee
                    )));
                }
            };
            let fund = SystemAccount::Fund {
                region: course.region.to_string(),
                fund: FUND.as_str().into(),
            }
            .ledger_id(stripe);
            let transfer = Benefit {
                person: &record.person_id,
                kind: "training",
                period: &record.id,
                code: TransferCode::BenefitCredit,
                memo: format!("职业培训补贴 training subsidy {}", course.title),
            }
            .pay(tx, (fund, target), course.subsidy_fen, &label, now)?;
            record.transfer_id = Some(transfer);
            record.paid_by = Some(label.clone());
            record.paid_at = Some(now);
            tx.save_training_enrolment(&record)?;
            record.version += 1;
            let view = Providers::default().enrolment_view(tx, &record)?;
            let detail = serde_json::json!({
                "subsidy_fen": course.subsidy_fen, "payee": course.payee,
                "transfer": view.transfer_id,
            });
            Ok((view, detail.to_string()))
        })
    }
}
