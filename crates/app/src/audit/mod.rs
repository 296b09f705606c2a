//! The audit trail: listing with filters for auditors, verification of every chain, and the
//! operator's purge of records past the legal retention floor.

use serde_json::json;
use shebao_domain::access::Operation;
use shebao_domain::audit::{AUDIT_CHAINS, purge_cutoff, verify_chain_from};
use shebao_domain::time::{Date, Timestamp};
use shebao_store::{AuditEvent, AuditFilter};

use crate::access::auth::plain_name;
use crate::error::RefusalCode;
use crate::views::{AuditPurge, AuditRecordView, AuditVerification};
use crate::{Actor, App, AppError};

/// The audit subject of purges.
const PURGE_SUBJECT: &str = "audit";

impl App {
    pub fn audit_records(
        &self,
        actor: &Actor,
        mut filter: AuditFilter,
    ) -> Result<Vec<AuditRecordView>, AppError> {
        self.authorise(actor, Operation::ReadAudit)?;
        filter.limit = filter.limit.clamp(1, 1_000);
        let records = self.store.read(move |tx| tx.audit_records(&filter))?;
        Ok(records.iter().map(AuditRecordView::from).collect())
    }

    /// Verifies every chain, for an auditor.
    pub fn verify_audit(&self, actor: &Actor) -> Result<AuditVerification, AppError> {
        self.authorise(actor, Operation::VerifyAudit)?;
        self.verify_audit_chains()
    }

    /// Verifies every chain from its start (the genesis, or the anchor its last purge left):
    /// each record's hash, each link, no gap, nothing cut off the end.
    pub fn verify_audit_chains(&self) -> Result<AuditVerification, AppError> {
        let mut verification = AuditVerification {
            intact: true,
            records: 0,
            breaks: Vec::new(),
        };
        for chain in 0..AUDIT_CHAINS {
            let stored = self.store.read(move |tx| tx.audit_chain(chain))?;
            match verify_chain_from(chain, &stored.start, &stored.records, stored.head_seq) {
                Ok(count) => verification.records += count,
                Err(broken) => {
                    verification.intact = false;
                    verification.records += i64::try_from(stored.records.len()).unwrap_or(0);
                    verification.breaks.push(format!("{broken:?}"));
                }
            }
        }
        Ok(verification)
    }

    /// Deletes the audit records written before `before` (the start of that day, UTC), for
    /// the operator on the server itself; there is no HTTP route. Refused, with nothing
    /// deleted, when `before` is nearer than the retention floor to today, or when a chain
    /// does not verify (a purge must not erase the evidence of tampering). Runs in one
    /// transaction: per chain an anchor and the deletion of what it covers (the database
    /// checks the floor again), then one audit record of the purge itself. A refusal is
    /// audited too.
    pub fn purge_audit(&self, operator: &str, before: Date) -> Result<AuditPurge, AppError> {
        let now = self.now();
        let actor = format!("operator:{}", check_operator(operator)?);
        // The trail belongs to no region: its cutoff is a UTC midnight (as documented above)
        // and the retention floor counts UTC days, like the database's own check.
        let cutoff = match purge_cutoff(before, now.utc_date()) {
            Ok(cutoff) => cutoff,
            Err(too_recent) => {
                let refusal = AppError::Rule {
                    code: RefusalCode::AuditRetentionFloor,
                    message: too_recent.to_string(),
                };
                self.audit_purge_refusal(&actor, &refusal, before, now)?;
                return Err(refusal);
            }
        };
        let verification = self.verify_audit_chains()?;
        if !verification.intact {
            let refusal = AppError::Rule {
                code: RefusalCode::AuditChainBroken,
                message: format!(
                    "the audit trail does not verify ({}); a purge would erase the evidence",
                    verification.breaks.join(", ")
                ),
            };
            self.audit_purge_refusal(&actor, &refusal, before, now)?;
            return Err(refusal);
        }
        let purged = self.store.write(move |tx| {
            let mut purged = 0;
            for chain in 0..AUDIT_CHAINS {
                purged += tx.purge_audit_chain(chain, cutoff, now)?;
            }
            tx.append_audit(&AuditEvent {
                at: now,
                actor: actor.clone(),
                action: "audit.purge".into(),
                subject: PURGE_SUBJECT.into(),
                outcome: "ok".into(),
                detail: json!({
                    "before": before.to_string(),
                    "cutoff_at": cutoff.to_string(),
                    "purged": purged,
                })
                .to_string(),
            })?;
            Ok::<_, AppError>(purged)
        })?;
        tracing::info!(target: "shebao::audit", purged, before = %before, "audit records purged");
        Ok(AuditPurge {
            before: before.to_string(),
            cutoff_at: cutoff.to_string(),
            purged,
        })
    }

    fn audit_purge_refusal(
        &self,
        actor: &str,
        refusal: &AppError,
        before: Date,
        now: Timestamp,
    ) -> Result<(), AppError> {
        let event = AuditEvent {
            at: now,
            actor: actor.to_owned(),
            action: "audit.purge".into(),
            subject: PURGE_SUBJECT.into(),
            outcome: format!("refused:{}", refusal.code()),
            detail: json!({ "before": before.to_string() }).to_string(),
        };
        self.store
            .write(move |tx| tx.append_audit(&event).map(|_| ()))
            .map_err(AppError::from)
    }
}

/// The operator's name as the audit trail records it: 1 to 64 letters, digits, `.`, `_`, `-`.
fn check_operator(operator: &str) -> Result<&str, AppError> {
    plain_name(operator, 1..=64)
        .ok_or_else(|| AppError::invalid("operator", "1 to 64 letters, digits, '.', '_' or '-'"))
}
