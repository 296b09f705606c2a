//! Audit: reading the trail and verifying its chains.

use schemars::JsonSchema;
use serde::Deserialize;
use shebao_app::views::{AuditRecordView, AuditVerification};
use shebao_domain::access::Operation as Permission;
use shebao_store::AuditFilter;

use super::kinds::{Json, NoBody, NoQuery, Query};
use super::{Access, Entry, In, Spec, entry, operation};

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

operation! {
    /// Audit records, newest first, filtered.
    ListAudit {
        spec: Spec::get(
            "list_audit",
            "/api/v1/audit",
            "audit",
            "Audit records, newest first, filtered",
        ),
        access: Access::Needs(Permission::ReadAudit),
        types: (), Query<AuditQuery>, NoBody => Json<Vec<AuditRecordView>>,
        call: |app, actor, In { query: Query(query), .. }| {
            let filter = AuditFilter {
                actor: query.actor,
                action: query.action,
                subject: query.subject,
                limit: query.limit.unwrap_or(100),
            };
            Json(app.audit_records(actor, filter)?)
        },
    }
}

operation! {
    /// Verify every audit chain.
    VerifyAudit {
        spec: Spec::get(
            "verify_audit",
            "/api/v1/audit/verification",
            "audit",
            "Verify every audit chain",
        ),
        access: Access::Needs(Permission::VerifyAudit),
        types: (), NoQuery, NoBody => Json<AuditVerification>,
        call: |app, actor, _| Json(app.verify_audit(actor)?),
    }
}
