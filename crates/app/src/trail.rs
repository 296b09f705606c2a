//! The audit trail: listing with filters for auditors, and verification of every chain.

use shebao_domain::access::Operation;
use shebao_domain::audit::{AUDIT_CHAINS, verify_chain};
use shebao_store::AuditFilter;

use crate::views::{AuditRecordView, AuditVerification};
use crate::{Actor, App, AppError};

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

    /// Verifies every chain: each record's hash, each link, no gap, nothing cut off the end.
    pub fn verify_audit_chains(&self) -> Result<AuditVerification, AppError> {
        let mut verification = AuditVerification {
            intact: true,
            records: 0,
            breaks: Vec::new(),
        };
        for chain in 0..AUDIT_CHAINS {
            let (records, head) = self.store.read(move |tx| tx.audit_chain(chain))?;
            match verify_chain(chain, &records, head) {
                Ok(count) => verification.records += count,
                Err(broken) => {
                    verification.intact = false;
                    verification.records += i64::try_from(records.len()).unwrap_or(0);
                    verification.breaks.push(format!("{broken:?}"));
                }
            }
        }
        Ok(verification)
    }
}
