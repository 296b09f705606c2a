//! Maker-checker's storage (issue 13, finding 9): approval requests, version-guarded while
//! they wait and final once decided (triggers in both backends), and what each person
//! credited by hand on their own authority per day.

use shebao_domain::access::Role;
use shebao_domain::ids::{TransferId, UserId};
use shebao_domain::time::{Date, Timestamp};

use crate::StoreError;
use crate::codec::{id_val, table};
use crate::records::{ApprovalDecision, ApprovalRecord};
use crate::tx::{Tx, accessors};

table! {
    /// The columns of an approval request.
    mod approval_requests: ApprovalRecord {
        id, operation, reason, maker_user_id, maker, maker_role, organisation,
        region = region_code, card_id, transfer_id, amount_fen, body, status, created_at,
        expires_at, version;
        decision: ApprovalDecision {
            decided_by_user_id, decided_by, decided_at, note, result_transfer_id,
        }
    }
}

impl Tx<'_> {
    accessors! {
        pub fn insert_approval(request: &ApprovalRecord) = insert_row;
        pub fn approval(id: &str) -> Option<ApprovalRecord> = "WHERE id = $1";
    }

    /// Whether a reversal of `transfer` is already waiting for its decision at `now`.
    pub fn reversal_waiting(
        &mut self,
        transfer: &TransferId,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let waiting = self.one(
            "SELECT id FROM approval_requests \
             WHERE transfer_id = $1 AND operation = 'reverse_transfer' AND status = 'pending' \
             AND expires_at > $2 LIMIT 1",
            &[transfer.as_str().into(), now.unix_seconds().into()],
            |_| Ok(()),
        )?;
        Ok(waiting.is_some())
    }

    accessors! {
        /// The requests of makers of `role` in `organisation` still waiting at `now`, newest
        /// first, at most `limit`.
        pub fn waiting_approvals(organisation: &str, role: Role, now: Timestamp, limit: i64)
            -> Vec<ApprovalRecord>
            = "WHERE organisation = $1 AND maker_role = $2 AND status = 'pending' \
               AND expires_at > $3 ORDER BY created_at DESC, id DESC LIMIT $4";
    }

    /// Saves a decision on a waiting request, guarded by its version.
    pub fn decide_approval(&mut self, decided: &ApprovalRecord) -> Result<(), StoreError> {
        let decision = &decided.decision;
        self.exec_versioned(
            "approval request",
            "UPDATE approval_requests SET status = $2, decided_by_user_id = $3, decided_by = $4, decided_at = $5, \
             note = $6, result_transfer_id = $7, version = version + 1 WHERE id = $1 AND version = $8",
            &[
                decided.id.as_str().into(),
                decided.status.as_str().into(),
                id_val(decision.decided_by_user_id.as_ref().map(UserId::as_str)),
                decision.decided_by.as_deref().into(),
                decision.decided_at.map(Timestamp::unix_seconds).into(),
                decision.note.as_deref().into(),
                id_val(decision.result_transfer_id.as_ref().map(TransferId::as_str)),
                decided.version.into(),
            ],
        )
    }

    /// What `actor` credited by hand on their own authority on `day`.
    pub fn manual_credit_total(&mut self, actor: &UserId, day: Date) -> Result<i64, StoreError> {
        self.int_or_zero(
            "SELECT CAST(COALESCE(SUM(total_fen), 0) AS BIGINT) FROM manual_credit_days \
             WHERE actor_user_id = $1 AND day = $2",
            &[actor.as_str().into(), day.to_string().into()],
            "manual_credit_days",
        )
    }

    /// Adds a credit to what `actor` credited by hand on `day`, on one of the stripes.
    pub fn add_manual_credit(
        &mut self,
        actor: &UserId,
        day: Date,
        stripe: u32,
        amount_fen: i64,
    ) -> Result<(), StoreError> {
        self.run(
            "INSERT INTO manual_credit_days (actor_user_id, day, stripe, total_fen) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (actor_user_id, day, stripe) \
             DO UPDATE SET total_fen = manual_credit_days.total_fen + excluded.total_fen",
            &[
                actor.as_str().into(),
                day.to_string().into(),
                i64::from(stripe).into(),
                amount_fen.into(),
            ],
        )
    }
}
