//! Audit: reading the trail and verifying its chains.

use schemars::JsonSchema;
use serde::Deserialize;
use shebao_app::views::{AuditRecordView, AuditVerification};
use shebao_store::AuditFilter;

use super::kinds::{Json, NoBody, Query};
use super::{Entry, In, entry, operations};

pub(crate) const OPERATIONS: &[Entry] = &[entry(ListAudit), entry(VerifyAudit)];

/// The filters of an audit listing, each optional.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    subject: Option<String>,
    /// At most this many records (100 if not given; 1 to 1,000).
    limit: Option<i64>,
}

operations! {
    tag: "audit";

    /// Audit records, newest first, filtered
    ListAudit: get "list_audit" "/api/v1/audit" {
        access: Needs(ReadAudit),
        types: (), Query<AuditQuery>, NoBody => Json<Vec<AuditRecordView>>,
        call: |app, actor, In { query: Query(query), .. }| {
            let filter = AuditFilter {
                actor: query.actor,
                action: query.action,
                subject: query.subject,
                limit: query.limit.unwrap_or(100),
                ..AuditFilter::default()
            };
            Json(app.audit_records(actor, filter)?)
        },
    }

    /// Verify every audit chain
    VerifyAudit: get "verify_audit" "/api/v1/audit/verification" {
        Needs(VerifyAudit): verify_audit() -> Json<AuditVerification>
    }
}
