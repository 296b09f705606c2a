//! The actions the audit trail records, which the auditor's page names in words and offers
//! as a filter, and the field names of the records' details. A test holds every one to have
//! words in both catalogues.

/// Every action an audit record may name (besides a refused operation's own name).
pub(crate) const AUDIT_ACTIONS: &[&str] = &[
    "account.activate",
    "account.credit_benefit",
    "account.deposit",
    "account.purchase",
    "account.transfer",
    "account.unlock_pin",
    "account.withdraw",
    "approval.approve",
    "approval.reject",
    "approval.request",
    "audit.purge",
    "bank.create",
    "branch.create",
    "card.apply",
    "card.cancel",
    "card.cancel_loss",
    "card.change_social_pin",
    "card.collect",
    "card.collect_mailed",
    "card.ecard.check",
    "card.ecard.issue",
    "card.ecard.revoke",
    "card.ecard_key.create",
    "card.ecard_key.withdraw",
    "card.issue_temporary",
    "card.lookup",
    "card.mark_ready",
    "card.report_loss",
    "card.request_renewal",
    "card.request_replacement",
    "card.return_temporary",
    "card.start_production",
    "card.unlock_social_pin",
    "card.verify_social_pin",
    "catalogue.add_item",
    "certificate.issue",
    "employer.register",
    "institution.register",
    "insurance.contribution_run",
    "insurance.declare",
    "insurance.end_enrolment",
    "insurance.enrol",
    "insurance.flexible_contribution",
    "insurance.order_payment",
    "insurance.record_payment",
    "insurance.transfer_place",
    "job.apply",
    "job.outcome",
    "job.profile",
    "job.share",
    "job.withdraw",
    "injury.apply",
    "injury.conclude",
    "injury.death",
    "injury.decide",
    "injury.draw",
    "injury.employer_read",
    "injury.expert_add",
    "injury.payout",
    "injury.read",
    "injury.settle",
    "maternity.claim",
    "maternity.decide",
    "maternity.read",
    "medical.person_query",
    "medical.pre_settle",
    "medical.set_policy",
    "medical.settle",
    "medical.undo",
    "pension.award",
    "pension.interest",
    "pension.payout",
    "person.correct",
    "person.lookup",
    "person.register",
    "person.unmask",
    "region.add_benefit_parameters",
    "region.add_contribution_parameters",
    "region.add_parameters",
    "region.create",
    "session.issue_api_token",
    "session.sign_in",
    "session.sign_out",
    "unemployment.decide",
    "unemployment.fraud",
    "unemployment.payout",
    "unemployment.read",
    "unemployment.refer",
    "unemployment.referral_outcome",
    "unemployment.refer_training",
    "unemployment.training_referral_outcome",
    "unemployment.register",
    "unemployment.report_leaver",
    "unemployment.stop",
    "user.create",
    "user.enrol_holder",
    "user.init_administrator",
    "user.open_holder_login",
    "user.reset_holder_login",
    "vacancy.applicants",
    "vacancy.close",
    "vacancy.post",
    "vacancy.review",
    "training.attendance",
    "training.completion",
    "training.course.post",
    "training.course.review",
    "training.enrol",
    "training.provider.register",
    "training.read",
    "training.subsidy",
    "training.trainees",
    "training.withdraw",
    "production.vendor.register",
    "production.vendor.credential",
    "production.product.register",
    "production.product.change",
    "production.gate.approval",
    "production.gate.test",
    "production.gate.audit",
    "production.key.create",
    "production.batch.create",
    "production.batch.report",
    "production.batch.ship",
    "production.sealing_key.register",
    "production.file.generate",
    "production.file.download",
    "production.point.register",
    "production.shipment.receive",
    "production.point.recall",
    "production.point.destroy",
    "production.point.choose",
    "production.mail.choose",
    "production.mail.post",
    "production.mail.report",
    "production.mail.read",
    "production.device.register",
    "production.instant.issue",
    "production.instant.report",
    "card.bank_number",
    "production.sms.sent",
    "production.sms.read",
];

/// Every field name an audit record's detail may hold, as the application writes it (its
/// `json!` details, the JSON text of its audit events, the region, contribution and medical
/// parameters a version is audited with): an amount's without its `_fen`, a rate's without
/// its `_ppm`; the names a person's correction lists in its `fields`, and the ways a patient
/// or a card is found by (`by`). A test holds each to have words in both catalogues.
#[cfg(test)]
pub(crate) const AUDIT_DETAIL_FIELDS: &[&str] = &[
    "accepted",
    "account",
    "application",
    "applications",
    "accounts",
    "already_recorded",
    "amount",
    "annual_cap",
    "approval",
    "approval_request_valid_hours",
    "uncollected_card_days",
    "ecard_code_minutes",
    "average_monthly_wage",
    "bank_card_number",
    "base_ceiling_percent",
    "base_floor_percent",
    "before",
    "by",
    "card",
    "card_number",
    "card_validity_years",
    "cash",
    "citizen_id",
    "client",
    "code",
    "credited",
    "cutoff_at",
    "decision",
    "declaration",
    "deductible",
    "deposit_only_accepts_credits",
    "digest",
    "ecard_token",
    "employer",
    "failed",
    "fields",
    "financial_pin_retries_max",
    "flexible_account",
    "flexible_pension",
    "from_region",
    "fund",
    "household_kind",
    "household_region",
    "in_clear",
    "individual",
    "insurance_type",
    "late",
    "level",
    "maker",
    "manual_credit_approval_above",
    "manual_credit_daily_max",
    "maternity_employer",
    "medical",
    "month",
    "monthly",
    "name",
    "nationality",
    "new_card",
    "number",
    "old_card",
    "operation",
    "original_id_checked",
    "outcome",
    "paid",
    "pension",
    "pension_interest",
    "person",
    "personal_pension_account",
    "person_ids",
    "persons",
    "phone",
    "pool_ratio",
    "posted",
    "purged",
    "ratio",
    "reason",
    "rejected",
    "retiree_medical_credit",
    "role",
    "rows",
    "rules",
    "run",
    "single_operation_max",
    "skipped",
    "skipped_no_base",
    "social_pin_required",
    "social_pin_retries_max",
    "status",
    "supplementary",
    "temporary_card_validity_days",
    "temporary_loss_days",
    "to_region",
    "total",
    "transfer",
    "transitional_coefficient",
    "unchanged",
    "unemployment",
    "user",
    "utc_offset_minutes",
    "visit",
    "wait_seconds",
    "shared",
    "shown",
    "vacancy_filled",
    "report",
    "leaving",
    "spell",
    "spells",
    "claim",
    "claims",
    "leave_days",
    "allowance",
    "registered_on",
    "months",
    "refusal",
    "contribution_months",
    "stopped_month",
    "receivable",
    "repayment",
    "fine",
    "referral",
    "vacancy",
    "refusals",
    "stopped",
    "unemployment_monthly",
    "minimum_wage",
    "minimum_living_allowance",
    "refusals_to_stop",
    "maternity_divisor_days",
    "national_disposable_income",
    "case",
    "cases",
    "applicant",
    "due_on",
    "appraisal",
    "seed",
    "panel",
    "grade",
    "care_level",
    "one_time",
    "payer",
    "expert",
    "died_on",
    "funeral",
    "dependants",
    "provider",
    "course",
    "subsidy",
    "enrolment",
    "enrolments",
    "attended_hours",
    "day",
    "hours",
    "certificate",
    "payee",
    "training_attendance_percent",
    "training_subsidy_max",
    "region",
    "vendor",
    "credential_kind",
    "valid_until",
    "product",
    "revision",
    "change",
    "step",
    "test_audit",
    "passed",
    "key",
    "check_value",
    "batch",
    "cards",
    "produced",
    "failed_cards",
    "sealing_key",
    "parts",
    "part",
    "point",
    "point_kind",
    "record",
    "method",
    "witness",
    "card_ids",
    "remade",
    "mail_order",
    "carrier",
    "mail_outcome",
    "default",
    "counted",
    "missing_cards",
    "recalled",
    "sent",
    "queued",
    "ecard",
    "ecard_key",
    "purpose",
    "ended",
    "withdrawn",
];

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::{AUDIT_ACTIONS, AUDIT_DETAIL_FIELDS};
    use crate::portal::i18n::Lang;

    #[test]
    fn every_audit_action_has_words_in_both_languages() {
        for code in AUDIT_ACTIONS {
            let zh = Lang::Zh.words().audit_action(code);
            let en = Lang::En.words().audit_action(code);
            assert!(zh.is_some() && en.is_some(), "{code}");
            assert_ne!(zh, en, "{code}");
        }
        assert_eq!(Lang::Zh.words().audit_action("no.such"), None);
    }

    #[test]
    fn every_audit_detail_field_has_words_in_both_languages() {
        for name in AUDIT_DETAIL_FIELDS {
            let zh = Lang::Zh.words().audit_detail_field(name);
            let en = Lang::En.words().audit_detail_field(name);
            assert!(zh.is_some() && en.is_some(), "{name}");
            assert_ne!(zh, en, "{name}");
        }
        assert_eq!(Lang::En.words().audit_detail_field("no_such"), None);
    }

    /// The quoted literal right after each `marker` in `text` (spaces and line breaks
    /// between them skipped).
    fn literals_after(text: &str, marker: &str) -> Vec<String> {
        text.match_indices(marker)
            .filter_map(|(at, _)| {
                let rest = text[at + marker.len()..].trim_start().strip_prefix('"')?;
                rest.split_once('"').map(|(literal, _)| literal.to_owned())
            })
            .collect()
    }

    fn sources(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }

    /// Every action the application audits (`Audit::on("…")`, `Audit::creating("…")`, an
    /// event's `action: "…"`, a look-up's `audit_look_up(actor, "…")`, and the holder's
    /// application actions) is one the auditor's page names and filters by: a new action
    /// without words fails here, not on the page.
    #[test]
    fn every_action_the_application_audits_is_listed() {
        let app = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
        let mut texts = Vec::new();
        sources(&app, &mut texts);
        let mut written: Vec<String> = Vec::new();
        for text in &texts {
            for marker in [
                "Audit::on(",
                "Audit::creating(",
                "action: ",
                "audit_look_up(actor, ",
            ] {
                written.extend(literals_after(text, marker));
            }
            for marker in [
                "ApplicantAction::Withdraw => ",
                "ApplicantAction::Share => ",
            ] {
                written.extend(literals_after(text, marker));
            }
        }
        written.retain(|a| a.contains('.'));
        assert!(written.len() > 40, "{written:?}");
        for action in &written {
            assert!(
                AUDIT_ACTIONS.contains(&action.as_str()),
                "{action} is not listed"
            );
        }
    }

    #[test]
    fn every_role_has_words_in_both_languages() {
        let audited = ["operator", "anonymous"];
        for code in shebao_domain::access::Role::ALL
            .iter()
            .map(|role| role.as_str())
            .chain(audited)
        {
            let zh = Lang::Zh.words().role(code);
            let en = Lang::En.words().role(code);
            assert!(zh.is_some() && en.is_some(), "{code}");
            assert_ne!(zh, en, "{code}");
        }
    }
}
