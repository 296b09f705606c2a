//! Idempotency: the first answer given under a key, with its request's fingerprint.

use shebao_domain::time::Timestamp;

use super::Tx;
use crate::StoreError;
use crate::codec::Cols;

impl Tx<'_> {
    /// The first answer given under `key`, with the fingerprint of its request.
    pub fn idempotent_response(
        &mut self,
        key: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        self.one(
            "SELECT fingerprint, response FROM idempotency WHERE key = $1",
            &[key.into()],
            |row| {
                let c = Cols::new(row, "idempotency");
                Ok((c.text(0)?, c.text(1)?))
            },
        )
    }

    pub fn save_idempotent_response(
        &mut self,
        key: &str,
        fingerprint: &str,
        response: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.insert(
            "idempotency",
            "key, fingerprint, response, created_at",
            &[
                key.into(),
                fingerprint.into(),
                response.into(),
                now.unix_seconds().into(),
            ],
        )
    }
}
