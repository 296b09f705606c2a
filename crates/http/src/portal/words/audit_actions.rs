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
    "insurance.record_payment",
    "insurance.transfer_place",
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
    "region.add_contribution_parameters",
    "region.add_parameters",
    "region.create",
    "session.issue_api_token",
    "session.sign_in",
    "session.sign_out",
    "user.create",
    "user.enrol_holder",
    "user.init_administrator",
    "user.open_holder_login",
    "user.reset_holder_login",
];

/// Every field name an audit record's detail may hold (an amount's without its `_fen`; the
/// names a person's correction lists in its `fields`): the application's `json!` details
/// and the JSON text its audit events are written with. A test holds each to have words.
#[cfg(test)]
pub(crate) const AUDIT_DETAIL_FIELDS: &[&str] = &[
    "accepted",
    "account",
    "accounts",
    "already_recorded",
    "amount",
    "approval",
    "before",
    "by",
    "cash",
    "citizen_id",
    "client",
    "code",
    "credited",
    "cutoff_at",
    "declaration",
    "digest",
    "failed",
    "fields",
    "from_region",
    "fund",
    "household_kind",
    "household_region",
    "late",
    "maker",
    "month",
    "monthly",
    "name",
    "nationality",
    "new_card",
    "number",
    "old_card",
    "operation",
    "original_id_checked",
    "paid",
    "person",
    "persons",
    "phone",
    "posted",
    "purged",
    "reason",
    "rejected",
    "role",
    "rows",
    "run",
    "skipped",
    "skipped_no_base",
    "status",
    "supplementary",
    "to_region",
    "total",
    "transfer",
    "unchanged",
    "user",
    "wait_seconds",
];

#[cfg(test)]
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
}
