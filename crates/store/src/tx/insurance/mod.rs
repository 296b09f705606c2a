//! The insurances' storage: contribution parameters, employers, enrolments, declarations
//! and certificates here; contributions (and their bulk inserts), pensions and benefit
//! payments, and the monthly contribution run in the modules below.

use shebao_domain::ids::{EmployerId, PersonId, RegionCode};
use shebao_domain::insurance::Month;
use shebao_domain::time::{Date, Timestamp};

use super::{Tx, accessors};
use crate::codec::{Cols, placeholders, table};
use crate::records::{CertificateRecord, DeclarationRecord, EmployerRecord, EnrolmentRecord};
use crate::{StoreError, Val};

mod bulk;
mod contributions;
mod pensions;
mod run;

/// Persons looked up per statement: far below both databases' limits on bound parameters.
const PERSONS_PER_QUERY: usize = 500;

table! {
    /// The columns of an enrolment.
    mod enrolments: EnrolmentRecord {
        id, person_id, employer_id, region = region_code, kind, start = start_month,
        end = end_month, created_at, version,
    }
}

table! {
    /// The columns of an employer.
    mod employers: EmployerRecord {
        id, credit_code, name, region = region_code, risk_class, rate_tier_percent, created_at,
    }
}

table! {
    /// The columns of a declaration's record.
    mod declarations: DeclarationRecord {
        id, employer_id, digest, rows_total, rows_accepted, rows_unchanged, rows_rejected,
        errors, actor, created_at,
    }
}

table! {
    /// The columns of a certificate.
    mod certificates: CertificateRecord {
        code, person_id, digest, content_cipher, summary, issued_at, document_cipher,
    }
}

impl Tx<'_> {
    accessors! {
        pub fn insert_contribution_parameters(
            region: &RegionCode,
            effective_from: Date,
            body: &str,
            created_by: &str,
            now: Timestamp,
        ) = insert_version("contribution_parameters");

        /// The contribution parameters in force on `on`.
        pub fn contribution_parameters_at(region: &RegionCode, on: Date)
            -> Option<(Date, String)> = version_at("contribution_parameters");

        pub fn insert_employer(employer: &EmployerRecord) = insert_row;
        pub fn employer(id: &EmployerId) -> Option<EmployerRecord> = "WHERE id = $1";
        pub fn employer_by_credit_code(code: &str) -> Option<EmployerRecord>
            = "WHERE credit_code = $1";
        pub fn insert_enrolment(enrolment: &EnrolmentRecord) = insert_new_version;
    }

    /// Ends an enrolment at `end` (inclusive), over its version.
    pub fn end_enrolment(
        &mut self,
        enrolment: &EnrolmentRecord,
        end: Month,
    ) -> Result<(), StoreError> {
        self.exec_versioned(
            "enrolment",
            "UPDATE enrolments SET end_month = $2, version = version + 1 WHERE id = $1 AND version = $3",
            &[enrolment.id.as_str().into(), end.to_string().into(), enrolment.version.into()],
        )
    }

    accessors! {
        pub fn enrolments_of_person(person: &PersonId) -> Vec<EnrolmentRecord>
            = "WHERE person_id = $1 ORDER BY start_month, id";
        pub fn enrolments_of_employer(employer: &EmployerId) -> Vec<EnrolmentRecord>
            = "WHERE employer_id = $1 ORDER BY person_id, start_month";
    }

    /// The enrolments of `persons` (through any employer), by person then start: one seek on
    /// the person index each. (Adding the employer to the condition let PostgreSQL, without
    /// statistics after a bulk load, intersect it with the employer index, reading all of a
    /// 200,000-employee employer's entries per statement.)
    pub fn enrolments_of_persons(
        &mut self,
        persons: &[PersonId],
    ) -> Result<Vec<EnrolmentRecord>, StoreError> {
        let mut found = Vec::new();
        for chunk in persons.chunks(PERSONS_PER_QUERY) {
            let filter = format!(
                "WHERE person_id IN ({}) ORDER BY person_id, start_month",
                placeholders(0, chunk.len())
            );
            let params: Vec<Val> = chunk.iter().map(|p| Val::from(p.as_str())).collect();
            found.extend(self.find_all(&filter, &params)?);
        }
        Ok(found)
    }

    accessors! {
        pub fn insert_declaration(declaration: &DeclarationRecord) = insert_row;
        pub fn declaration(id: &str) -> Option<DeclarationRecord> = "WHERE id = $1";
        pub fn declaration_by_digest(employer: &EmployerId, digest: &str)
            -> Option<DeclarationRecord> = "WHERE employer_id = $1 AND digest = $2";
        pub fn insert_certificate(certificate: &CertificateRecord) = insert_row;
        pub fn certificate(code: &str) -> Option<CertificateRecord> = "WHERE code = $1";
        /// A person's latest `limit` certificates, newest first.
        pub fn certificates_of_person(person: &PersonId, limit: i64) -> Vec<CertificateRecord>
            = "WHERE person_id = $1 ORDER BY issued_at DESC, code DESC LIMIT $2";
    }

    /// The person an enrolment belongs to.
    pub fn enrolment_person(&mut self, id: &str) -> Result<Option<PersonId>, StoreError> {
        self.one(
            "SELECT person_id FROM enrolments WHERE id = $1",
            &[id.into()],
            |row| Ok(PersonId::new(Cols::new(row, "enrolments").text(0)?)),
        )
    }

    /// Everyone ever enrolled in a region.
    pub fn persons_enrolled_in_region(
        &mut self,
        region: &RegionCode,
    ) -> Result<Vec<PersonId>, StoreError> {
        self.all(
            "SELECT DISTINCT person_id FROM enrolments WHERE region_code = $1 ORDER BY person_id",
            &[region.as_str().into()],
            |row| Ok(PersonId::new(Cols::new(row, "enrolments").text(0)?)),
        )
    }
}
