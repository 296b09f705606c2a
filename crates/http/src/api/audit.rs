//! Audit: reading the trail and verifying its chains.

use schemars::JsonSchema;
use serde::Deserialize;
use shebao_app::views::{AuditRecordView, AuditVerification};
use shebao_domain::access::Operation as Permission;
use shebao_store::AuditFilter;

use super::kinds::{Json, NoBody, Query};
use super::{Access, Entry, In, Operation, Spec, entry, no_input};
use crate::Shared;
use crate::problem::Problem;

pub(crate) const OPERATIONS: &[Entry] = &[entry(ListAudit), entry(VerifyAudit)];

/// Audit records, newest first, filtered.
pub(crate) struct ListAudit;

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

impl Operation for ListAudit {
    const SPEC: Spec = Spec::get(
        "list_audit",
        "/api/v1/audit",
        "audit",
        "Audit records, newest first, filtered",
    );
    const ACCESS: Access = Access::Needs(Permission::ReadAudit);
    type Path = ();
    type Query = Query<AuditQuery>;
    type Body = NoBody;
    type Answer = Json<Vec<AuditRecordView>>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        let actor = input.actor()?.clone();
        let Query(query) = input.query;
        let filter = AuditFilter {
            actor: query.actor,
            action: query.action,
            subject: query.subject,
            limit: query.limit.unwrap_or(100),
        };
        Ok(Json(shared.app.audit_records(&actor, filter)?))
    }
}

/// Verify every audit chain.
pub(crate) struct VerifyAudit;

impl Operation for VerifyAudit {
    const SPEC: Spec = Spec::get(
        "verify_audit",
        "/api/v1/audit/verification",
        "audit",
        "Verify every audit chain",
    );
    const ACCESS: Access = Access::Needs(Permission::VerifyAudit);
    no_input!();
    type Answer = Json<AuditVerification>;

    fn call(shared: &Shared, input: In<Self>) -> Result<Self::Answer, Problem> {
        Ok(Json(shared.app.verify_audit(input.actor()?)?))
    }
}
