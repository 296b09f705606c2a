//! Card production: vendors and their credentials, products and their revisions, the gates'
//! approvals, test cards and their audits, and the region's master keys by id.

use shebao_domain::ids::RegionCode;
use shebao_domain::time::Timestamp;

use crate::StoreError;
use crate::codec::table;
use crate::records::{
    BatchCardRecord, BatchCounts, CardProductRecord, CardVendorRecord, GateApprovalRecord,
    MasterKeyRecord, PersonalisationFileRecord, PersonalisationPartRecord, PersonalisationRow,
    ProductChangeRecord, ProductionBatchRecord, SealingKeyRecord, TestCardAuditRecord,
    TestCardRecord, VendorCredentialRecord,
};
use crate::tx::{Tx, accessors};

table! {
    /// The columns of a card vendor.
    mod card_vendors: CardVendorRecord {
        id, credit_code, name, region = region_code, contact_cipher, registered_by,
        registered_at,
    }
}

table! {
    /// The columns of a vendor's credential.
    mod vendor_credentials: VendorCredentialRecord {
        id, vendor_id, kind, number, issued_on, valid_until, recorded_by, recorded_at, seq,
    }
}

table! {
    /// The columns of a card product.
    mod card_products: CardProductRecord {
        id, vendor_id, name, generation, chip, operating_system, face_design, face_version,
        file_structure_version, revision, registered_by, registered_at, version,
    }
}

table! {
    /// The columns of a product's change.
    mod card_product_changes: ProductChangeRecord {
        product_id, revision, what, old_value, new_value, note, changed_by, changed_at,
    }
}

table! {
    /// The columns of a gate's approval.
    mod gate_approvals: GateApprovalRecord {
        product_id, region = region_code, revision, step, reference, approved_on,
        recorded_by, recorded_at,
    }
}

table! {
    /// The columns of a test card.
    mod test_cards: TestCardRecord {
        id, product_id, region = region_code, revision, serial, made_on, recorded_by,
        recorded_at,
    }
}

table! {
    /// The columns of a test card's audit.
    mod test_card_audits: TestCardAuditRecord {
        test_card_id, audit, passed, checks, note, audited_on, recorded_by, recorded_at,
    }
}

table! {
    /// The columns of a region's master key.
    mod card_master_keys: MasterKeyRecord {
        id, region = region_code, purpose, version, levels, check_value, key_store, status,
        created_by, created_at, retired_at,
    }
}

table! {
    /// The columns of a production batch.
    mod production_batches: ProductionBatchRecord {
        id, vendor_id, product_id, revision, region = region_code, status, cards, created_by,
        created_at, shipped_by, shipped_at, version,
    }
}

table! {
    /// The columns of a batch's card.
    mod batch_cards: BatchCardRecord {
        batch_id, card_id, seq, status, reason, reported_by, reported_at,
    }
}

table! {
    /// The columns of a vendor's sealing key.
    mod vendor_sealing_keys: SealingKeyRecord {
        id, vendor_id, public_key, status, registered_by, registered_at, retired_at,
    }
}

table! {
    /// The columns of a part of a personalisation file.
    mod personalisation_parts: PersonalisationPartRecord {
        batch_id, generation, part, first_seq, cards, digest, sealed,
    }
}

table! {
    /// The columns of a batch's personalisation file.
    mod personalisation_files: PersonalisationFileRecord {
        batch_id, generation, sealing_key_id, parts, cards, issued_on, valid_until, manifest,
        signature, signing_key_id, generated_by, generated_at,
    }
}

/// The most vendors, products, credentials, changes, test cards or keys one list answers.
pub const PRODUCTION_LISTED_MAX: i64 = 500;

impl Tx<'_> {
    accessors! {
        /// Registers a vendor; a second with the same credit code conflicts.
        pub fn insert_card_vendor(vendor: &CardVendorRecord) = insert_row;
        /// A vendor by id.
        pub fn card_vendor(id: &str) -> Option<CardVendorRecord> = "WHERE id = $1";
        /// A vendor by its unified social credit code.
        pub fn card_vendor_by_code(code: &str) -> Option<CardVendorRecord>
            = "WHERE credit_code = $1";
        /// The vendors by name, at most `limit`.
        pub fn card_vendors(limit: i64) -> Vec<CardVendorRecord> = "ORDER BY name, id LIMIT $1";
        /// Records a credential.
        pub fn insert_vendor_credential(credential: &VendorCredentialRecord) = insert_row;
        /// A vendor's credentials, the last recorded first.
        pub fn vendor_credentials(vendor: &str, limit: i64) -> Vec<VendorCredentialRecord>
            = "WHERE vendor_id = $1 ORDER BY seq DESC LIMIT $2";
        /// A product by id.
        pub fn card_product(id: &str) -> Option<CardProductRecord> = "WHERE id = $1";
        /// A vendor's products, oldest first.
        pub fn card_products_of(vendor: &str, limit: i64) -> Vec<CardProductRecord>
            = "WHERE vendor_id = $1 ORDER BY registered_at, id LIMIT $2";
        /// Records the change that made a revision; a second for the same revision conflicts.
        pub fn insert_product_change(change: &ProductChangeRecord) = insert_row;
        /// A product's changes, newest first.
        pub fn product_changes(product: &str, limit: i64) -> Vec<ProductChangeRecord>
            = "WHERE product_id = $1 ORDER BY revision DESC LIMIT $2";
        /// Records an approval; a second of the same step for the same revision conflicts.
        pub fn insert_gate_approval(approval: &GateApprovalRecord) = insert_row;
        /// The approvals of a product revision in a region, in the order recorded.
        pub fn gate_approvals(product: &str, region: &RegionCode, revision: i64)
            -> Vec<GateApprovalRecord>
            = "WHERE product_id = $1 AND region_code = $2 AND revision = $3 ORDER BY recorded_at, step";
        /// Records a test card; a second serial of the same revision and region conflicts.
        pub fn insert_test_card(card: &TestCardRecord) = insert_row;
        /// A test card by id.
        pub fn test_card(id: &str) -> Option<TestCardRecord> = "WHERE id = $1";
        /// The test cards of a product revision in a region, in the order made.
        pub fn test_cards(product: &str, region: &RegionCode, revision: i64, limit: i64)
            -> Vec<TestCardRecord>
            = "WHERE product_id = $1 AND region_code = $2 AND revision = $3 ORDER BY recorded_at, id LIMIT $4";
        /// Records a test card's audit; a second of the same audit conflicts.
        pub fn insert_test_card_audit(audit: &TestCardAuditRecord) = insert_row;
        /// A test card's audits.
        pub fn test_card_audits(card: &str) -> Vec<TestCardAuditRecord>
            = "WHERE test_card_id = $1 ORDER BY recorded_at, audit";
        /// Records a region's master key; a second active key of a region and purpose, or a
        /// second of the same version, conflicts.
        pub fn insert_master_key(key: &MasterKeyRecord) = insert_row;
        /// A master key by id.
        pub fn master_key(id: &str) -> Option<MasterKeyRecord> = "WHERE id = $1";
        /// A region's master keys, by purpose, newest version first.
        pub fn master_keys(region: &RegionCode, limit: i64) -> Vec<MasterKeyRecord>
            = "WHERE region_code = $1 ORDER BY purpose, version DESC LIMIT $2";
        /// The newest key of a region and purpose, active or retired.
        pub fn latest_master_key(region: &RegionCode, purpose: &str) -> Option<MasterKeyRecord>
            = "WHERE region_code = $1 AND purpose = $2 ORDER BY version DESC LIMIT 1";
        /// A batch by id.
        pub fn production_batch(id: &str) -> Option<ProductionBatchRecord> = "WHERE id = $1";
        /// The batches, newest first.
        pub fn production_batches(limit: i64) -> Vec<ProductionBatchRecord>
            = "ORDER BY created_at DESC, id DESC LIMIT $1";
        /// A vendor's batches, newest first.
        pub fn production_batches_of(vendor: &str, limit: i64) -> Vec<ProductionBatchRecord>
            = "WHERE vendor_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2";
        /// A batch's cards after place `after`, in their order.
        pub fn batch_cards(batch: &str, after: i64, limit: i64) -> Vec<BatchCardRecord>
            = "WHERE batch_id = $1 AND seq > $2 ORDER BY seq LIMIT $3";
        /// A card of a batch.
        pub fn batch_card(batch: &str, card: &str) -> Option<BatchCardRecord>
            = "WHERE batch_id = $1 AND card_id = $2";
        /// Records a vendor's sealing key; a second active one conflicts.
        pub fn insert_sealing_key(key: &SealingKeyRecord) = insert_row;
        /// A sealing key by id.
        pub fn sealing_key(id: &str) -> Option<SealingKeyRecord> = "WHERE id = $1";
        /// A vendor's active sealing key.
        pub fn active_sealing_key(vendor: &str) -> Option<SealingKeyRecord>
            = "WHERE vendor_id = $1 AND status = 'active'";
        /// Records a part a generation sealed; the same part twice conflicts.
        pub fn insert_personalisation_part(part: &PersonalisationPartRecord) = insert_row;
        /// A part of a batch's file as one generation sealed it.
        pub fn personalisation_part(batch: &str, generation: &str, part: i64)
            -> Option<PersonalisationPartRecord>
            = "WHERE batch_id = $1 AND generation = $2 AND part = $3";
        /// Records a batch's file; a second conflicts.
        pub fn insert_personalisation_file(file: &PersonalisationFileRecord) = insert_row;
        /// A batch's file.
        pub fn personalisation_file(batch: &str) -> Option<PersonalisationFileRecord>
            = "WHERE batch_id = $1";
    }

    /// Whether a card was ever queued in a production batch.
    pub fn card_in_batches(&mut self, card: &str) -> Result<bool, StoreError> {
        Ok(self.int_or_zero(
            "SELECT COUNT(*) FROM batch_cards WHERE card_id = $1",
            &[card.into()],
            "batch cards",
        )? > 0)
    }

    /// How many parts a batch's file has, once generated.
    pub fn personalisation_file_parts(&mut self, batch: &str) -> Result<Option<i64>, StoreError> {
        self.one(
            "SELECT parts FROM personalisation_files WHERE batch_id = $1",
            &[batch.into()],
            crate::codec::first_int("personalisation files"),
        )
    }

    /// Retires a vendor's active sealing key (files sealed to it stay as they are).
    pub fn retire_sealing_key(&mut self, id: &str, at: Timestamp) -> Result<(), StoreError> {
        self.exec(
            "UPDATE vendor_sealing_keys SET status = 'retired', retired_at = $1 \
             WHERE id = $2 AND status = 'active'",
            &[at.unix_seconds().into(), id.into()],
        )?;
        Ok(())
    }

    /// Removes the parts a generation of `batch` wrote (one that stopped half-way).
    pub fn remove_generation(&mut self, batch: &str, generation: &str) -> Result<u64, StoreError> {
        self.exec(
            "DELETE FROM personalisation_parts WHERE batch_id = $1 AND generation = $2",
            &[batch.into(), generation.into()],
        )
    }

    /// How many of `batch`'s queued cards are still in production: those a file seals.
    pub fn personalisable_cards(&mut self, batch: &str) -> Result<i64, StoreError> {
        self.int_or_zero(
            "SELECT COUNT(*) FROM batch_cards b JOIN cards c ON c.id = b.card_id \
             WHERE b.batch_id = $1 AND b.status = 'queued' AND c.status = 'in_production'",
            &[batch.into()],
            "batch cards",
        )
    }

    /// Reports failed, with `reason`, every card of `batch` still queued that left
    /// production (cancelled) before its file was made: how many.
    pub fn fail_unpersonalised(
        &mut self,
        batch: &str,
        reason: &str,
        by: &str,
        at: Timestamp,
    ) -> Result<u64, StoreError> {
        self.exec(
            "UPDATE batch_cards SET status = 'failed', reason = $1, reported_by = $2, \
             reported_at = $3 WHERE batch_id = $4 AND status = 'queued' AND card_id IN \
             (SELECT id FROM cards WHERE status <> 'in_production')",
            &[
                reason.into(),
                by.into(),
                at.unix_seconds().into(),
                batch.into(),
            ],
        )
    }

    /// Removes the parts of `batch` that generations other than `generation` left.
    pub fn remove_other_generations(
        &mut self,
        batch: &str,
        generation: &str,
    ) -> Result<u64, StoreError> {
        self.exec(
            "DELETE FROM personalisation_parts WHERE batch_id = $1 AND generation <> $2",
            &[batch.into(), generation.into()],
        )
    }

    /// The cards of `batch` still queued after place `after`, at most `limit`, in the
    /// batch's order (the page first, by the batch's own index, then its cards and holders
    /// by key), each with what its personalisation needs: its numbers and its holder's sealed data.
    pub fn personalisation_rows(
        &mut self,
        batch: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<PersonalisationRow>, StoreError> {
        self.all(
            "SELECT b.seq, c.id, c.card_number, c.identification_code, c.bank_card_cipher, \
             p.id, p.name_cipher, p.citizen_cipher, p.gender, p.birth_date, p.nationality, \
             c.status FROM (SELECT seq, card_id FROM batch_cards WHERE batch_id = $1 \
             AND seq > $2 AND status = 'queued' ORDER BY seq LIMIT $3) AS b \
             JOIN cards c ON c.id = b.card_id JOIN persons p ON p.id = c.person_id \
             ORDER BY b.seq",
            &[batch.into(), after.into(), limit.into()],
            personalisation_row,
        )
    }

    /// One card's data for its face and chip, as a batch's row would give it (place 0),
    /// for a card personalised on its own (instant issuance).
    pub fn personalisation_row_of_card(
        &mut self,
        card: &str,
    ) -> Result<Option<PersonalisationRow>, StoreError> {
        self.one(
            "SELECT CAST(0 AS BIGINT), c.id, c.card_number, c.identification_code, \
             c.bank_card_cipher, p.id, p.name_cipher, p.citizen_cipher, p.gender, \
             p.birth_date, p.nationality, c.status FROM cards c \
             JOIN persons p ON p.id = c.person_id WHERE c.id = $1",
            &[card.into()],
            personalisation_row,
        )
    }

    /// Records a new batch (at version 0).
    pub fn insert_production_batch(
        &mut self,
        batch: &ProductionBatchRecord,
    ) -> Result<(), StoreError> {
        self.insert_new_version(batch)
    }

    /// How many of `region`'s standard cards wait as applied with their bank card number,
    /// at most `limit`.
    pub fn applied_cards_waiting(
        &mut self,
        region: &RegionCode,
        limit: i64,
    ) -> Result<i64, StoreError> {
        self.int_or_zero(
            "SELECT COUNT(*) FROM (SELECT id FROM cards WHERE region_code = $1 \
             AND status = 'applied' AND kind = 'standard' AND bank_card_cipher IS NOT NULL \
             LIMIT $2) AS waiting",
            &[region.as_str().into(), limit.into()],
            "applied cards",
        )
    }

    /// Queues in `batch` up to `limit` of `region`'s standard cards waiting as applied
    /// with their bank card number, the oldest application first, numbered from 1: how
    /// many.
    pub fn queue_applied_cards(
        &mut self,
        batch: &str,
        region: &RegionCode,
        limit: i64,
    ) -> Result<u64, StoreError> {
        self.exec(
            "INSERT INTO batch_cards (batch_id, card_id, seq, status) \
             SELECT $1, id, ROW_NUMBER() OVER (ORDER BY applied_at, id), 'queued' FROM \
             (SELECT id, applied_at FROM cards WHERE region_code = $2 AND status = 'applied' \
              AND kind = 'standard' AND bank_card_cipher IS NOT NULL \
              ORDER BY applied_at, id LIMIT $3) AS waiting",
            &[batch.into(), region.as_str().into(), limit.into()],
        )
    }

    /// Moves the cards queued in `batch` that are applied into production: how many.
    pub fn start_batch_production(&mut self, batch: &str) -> Result<u64, StoreError> {
        self.exec(
            "UPDATE cards SET status = 'in_production', version = version + 1 \
             WHERE status = 'applied' AND id IN \
             (SELECT card_id FROM batch_cards WHERE batch_id = $1 AND status = 'queued')",
            &[batch.into()],
        )
    }

    /// A batch's cards counted by result, in one pass over the batch's index.
    pub fn batch_counts(&mut self, batch: &str) -> Result<BatchCounts, StoreError> {
        let rows = self.all(
            "SELECT status, COUNT(*) FROM batch_cards WHERE batch_id = $1 GROUP BY status",
            &[batch.into()],
            |row| {
                let cols = crate::codec::Cols::new(row, "batch_cards");
                Ok((cols.text(0)?, cols.int(1)?))
            },
        )?;
        let mut counts = BatchCounts::default();
        for (status, count) in rows {
            match status.as_str() {
                "queued" => counts.queued = count,
                "produced" => counts.produced = count,
                _ => counts.failed += count,
            }
        }
        Ok(counts)
    }

    /// How many credentials a vendor has recorded (the next one's `seq` less one).
    pub fn vendor_credentials_recorded(&mut self, vendor: &str) -> Result<i64, StoreError> {
        self.int_or_zero(
            "SELECT COUNT(*) FROM vendor_credentials WHERE vendor_id = $1",
            &[vendor.into()],
            "vendor credentials",
        )
    }

    /// The cards of a batch's page (after place `after`, at most `limit`).
    pub fn cards_of_batch(
        &mut self,
        batch: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<shebao_domain::card::Card>, StoreError> {
        self.find_all(
            "WHERE id IN (SELECT card_id FROM batch_cards WHERE batch_id = $1 AND seq > $2 \
             ORDER BY seq LIMIT $3)",
            &[batch.into(), after.into(), limit.into()],
        )
    }

    /// Records a queued card's result; a card already reported conflicts.
    pub fn save_batch_card_result(&mut self, card: &BatchCardRecord) -> Result<(), StoreError> {
        self.exec_versioned(
            "batch card",
            "UPDATE batch_cards SET status = $1, reason = $2, reported_by = $3, \
             reported_at = $4 WHERE batch_id = $5 AND card_id = $6 AND status = 'queued'",
            &[
                card.status.as_str().into(),
                card.reason.clone().into(),
                card.reported_by.clone().into(),
                card.reported_at.map(Timestamp::unix_seconds).into(),
                card.batch_id.as_str().into(),
                card.card_id.as_str().into(),
            ],
        )
    }

    /// Saves a batch's shipment over the version read.
    pub fn save_production_batch(
        &mut self,
        batch: &ProductionBatchRecord,
    ) -> Result<(), StoreError> {
        self.update_versioned(
            "production batch",
            "UPDATE production_batches SET status = $1, shipped_by = $2, shipped_at = $3, \
             version = version + 1 WHERE id = $4 AND version = $5",
            vec![
                batch.status.as_str().into(),
                batch.shipped_by.clone().into(),
                batch.shipped_at.map(Timestamp::unix_seconds).into(),
                batch.id.as_str().into(),
            ],
            batch.version,
        )
    }

    /// Records a new product (at version 0).
    pub fn insert_card_product(&mut self, product: &CardProductRecord) -> Result<(), StoreError> {
        self.insert_new_version(product)
    }

    /// Saves a product's terms and revision over the version read.
    pub fn save_card_product(&mut self, product: &CardProductRecord) -> Result<(), StoreError> {
        self.update_versioned(
            "card product",
            "UPDATE card_products SET chip = $1, operating_system = $2, face_version = $3, \
             file_structure_version = $4, revision = $5, version = version + 1 \
             WHERE id = $6 AND version = $7",
            vec![
                product.chip.as_str().into(),
                product.operating_system.as_str().into(),
                product.face_version.as_str().into(),
                product.file_structure_version.as_str().into(),
                product.revision.into(),
                product.id.as_str().into(),
            ],
            product.version,
        )
    }

    /// Retires a region's active key of a purpose (its cards keep it; new cards take the
    /// next version).
    pub fn retire_master_key(&mut self, id: &str, at: Timestamp) -> Result<(), StoreError> {
        self.exec(
            "UPDATE card_master_keys SET status = 'retired', retired_at = $1 \
             WHERE id = $2 AND status = 'active'",
            &[at.unix_seconds().into(), id.into()],
        )?;
        Ok(())
    }
}

/// A personalisation row as the two queries above select it.
fn personalisation_row(row: &crate::Row) -> Result<PersonalisationRow, StoreError> {
    use crate::codec::Column;
    let c = crate::codec::Cols::new(row, "batch_cards");
    Ok(PersonalisationRow {
        seq: c.int(0)?,
        card_id: c.text(1)?,
        card_number: c.text(2)?,
        identification_code: c.text(3)?,
        bank_card_cipher: c.opt_text(4)?,
        person_id: c.text(5)?,
        name_cipher: c.text(6)?,
        citizen_cipher: c.text(7)?,
        gender: Column::read(&c, 8)?,
        birth_date: c.date(9)?,
        nationality: c.text(10)?,
        in_production: c.text(11)? == "in_production",
    })
}
