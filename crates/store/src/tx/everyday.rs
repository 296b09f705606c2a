//! Everyday use (issue 19): the electronic cards, the regions' e-card signing keys and the
//! payment codes used.

use shebao_domain::ids::RegionCode;
use shebao_domain::time::Timestamp;

use crate::StoreError;
use crate::codec::table;
use crate::records::{CodeUseRecord, ECardKeyRecord, ECardRecord};
use crate::tx::{Tx, accessors};

/// The most e-card keys or e-cards one listing answers.
pub const ECARD_LISTED_MAX: i64 = 200;
/// The most keys the published set holds: every region's current key and the keys ended
/// within a code's life, far fewer than this for a nation's 330-odd regions.
pub const ECARD_PUBLISHED_MAX: i64 = 5_000;

table! {
    /// The columns of an e-card signing key.
    mod ecard_keys: ECardKeyRecord {
        id, region = region_code, version, public_key, key_store, status, created_by,
        created_at, retired_at,
    }
}

table! {
    /// The columns of an electronic card.
    mod ecards: ECardRecord {
        id, card_id, person_id, status, issued_by, issued_at, revoked_by, revoked_at,
        revoke_reason,
    }
}

table! {
    /// The columns of a payment code's use.
    mod ecard_code_uses: CodeUseRecord {
        nonce, ecard_id, used_by, used_at, expires_at,
    }
}

impl Tx<'_> {
    accessors! {
        /// Records an e-card signing key; a second current key of a region, or a second of
        /// the same version, conflicts.
        pub fn insert_ecard_key(key: &ECardKeyRecord) = insert_row;
        /// An e-card signing key by id.
        pub fn ecard_key(id: &str) -> Option<ECardKeyRecord> = "WHERE id = $1";
        /// The keys a verifier needs: every current key, and those ended at `since` or later
        /// (by region, newest version first).
        pub fn published_ecard_keys(since: Timestamp, limit: i64) -> Vec<ECardKeyRecord>
            = "WHERE status = 'current' OR retired_at >= $1 ORDER BY region_code, version DESC LIMIT $2";
        /// A region's e-card keys, newest version first.
        pub fn ecard_keys_of(region: &RegionCode, limit: i64) -> Vec<ECardKeyRecord>
            = "WHERE region_code = $1 ORDER BY version DESC LIMIT $2";
        /// A region's newest e-card key, whatever its status.
        pub fn latest_ecard_key(region: &RegionCode) -> Option<ECardKeyRecord>
            = "WHERE region_code = $1 ORDER BY version DESC LIMIT 1";
        /// A region's current e-card key.
        pub fn current_ecard_key(region: &RegionCode) -> Option<ECardKeyRecord>
            = "WHERE region_code = $1 AND status = 'current'";
        /// Records an electronic card; a second active one of a card conflicts.
        pub fn insert_ecard(ecard: &ECardRecord) = insert_row;
        /// An electronic card by id.
        pub fn ecard(id: &str) -> Option<ECardRecord> = "WHERE id = $1";
        /// A card's active electronic card.
        pub fn active_ecard(card: &str) -> Option<ECardRecord>
            = "WHERE card_id = $1 AND status = 'active'";
        /// A person's electronic cards, newest first.
        pub fn ecards_of(person: &str, limit: i64) -> Vec<ECardRecord>
            = "WHERE person_id = $1 ORDER BY issued_at DESC, id DESC LIMIT $2";
        /// Records a payment code's use; a second use of its nonce conflicts.
        pub fn insert_code_use(used: &CodeUseRecord) = insert_row;
        /// A payment code's use, by its nonce.
        pub fn code_use(nonce: &str) -> Option<CodeUseRecord> = "WHERE nonce = $1";
    }

    /// Ends the region's e-card key `id` as `status` (`retired` or `withdrawn`) at `at`: a
    /// current key is retired or withdrawn, a retired one withdrawn (keeping when it was
    /// retired); a conflict when it is neither.
    pub fn end_ecard_key(
        &mut self,
        id: &str,
        status: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let from = if status == "withdrawn" {
            "('current', 'retired')"
        } else {
            "('current')"
        };
        self.exec_versioned(
            "e-card key",
            &format!(
                "UPDATE ecard_keys SET status = $1, retired_at = COALESCE(retired_at, $2) \
                 WHERE id = $3 AND status IN {from}"
            ),
            &[status.into(), at.unix_seconds().into(), id.into()],
        )
    }

    /// Forgets the uses of payment codes that expired before `before`: an expired code is
    /// refused by its time, so its use need not be kept (the audit trail keeps the check).
    pub fn purge_code_uses(&mut self, before: Timestamp) -> Result<u64, StoreError> {
        self.exec(
            "DELETE FROM ecard_code_uses WHERE expires_at < $1",
            &[before.unix_seconds().into()],
        )
    }

    /// Revokes an active electronic card (`ecard` as it is to be saved); a conflict when it
    /// is no longer active.
    pub fn revoke_ecard(&mut self, ecard: &ECardRecord) -> Result<(), StoreError> {
        self.exec_versioned(
            "electronic card",
            "UPDATE ecards SET status = 'revoked', revoked_by = $1, revoked_at = $2, \
             revoke_reason = $3 WHERE id = $4 AND status = 'active'",
            &[
                ecard.revoked_by.clone().into(),
                ecard.revoked_at.map(Timestamp::unix_seconds).into(),
                ecard.revoke_reason.clone().into(),
                ecard.id.as_str().into(),
            ],
        )
    }
}
