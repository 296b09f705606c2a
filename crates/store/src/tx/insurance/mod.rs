//! The insurances' storage: contribution parameters, employers, enrolments, declarations
//! and certificates here; contributions (and their bulk inserts), pensions and benefit
//! payments, and the monthly contribution run in the modules below.

use shebao_domain::ids::{EmployerId, PersonId, RegionCode};
use shebao_domain::insurance::Month;
use shebao_domain::time::{Date, Timestamp};

use super::Tx;
use crate::codec::{Cols, columns, id_val, placeholders};
use crate::records::{CertificateRecord, DeclarationRecord, EmployerRecord, EnrolmentRecord};
use crate::{StoreError, Val};

mod bulk;
mod contributions;
mod pensions;
mod run;

/// Persons looked up per statement: far below both databases' limits on bound parameters.
const PERSONS_PER_QUERY: usize = 500;

columns! {
    /// The columns of an enrolment.
    mod enrolments: EnrolmentRecord = enrolment_from {
        id, person_id, employer_id, region_code, kind, start_month, end_month, created_at, version,
    }
}

columns! {
    /// The columns of an employer.
    mod employers: EmployerRecord = employer_from {
        id, credit_code, name, region_code, risk_class, rate_tier_percent, created_at,
    }
}

columns! {
    /// The columns of a declaration's record.
    mod declarations: DeclarationRecord = declaration_from {
        id, employer_id, digest, rows_total, rows_accepted, rows_unchanged, rows_rejected,
        errors, actor, created_at,
    }
}

/// A month stored as `YYYY-MM` text.
fn month(c: &Cols<'_>, i: usize) -> Result<Month, StoreError> {
    c.parsed(i, Month::parse)
}

fn opt_month(c: &Cols<'_>, i: usize) -> Result<Option<Month>, StoreError> {
    c.opt_text(i)?
        .map(|m| Month::parse(&m).ok_or_else(|| c.corrupt(i)))
        .transpose()
}

fn enrolment_from(c: &Cols<'_>) -> Result<EnrolmentRecord, StoreError> {
    use enrolments::*;
    Ok(EnrolmentRecord {
        id: c.text(id)?,
        person_id: PersonId::new(c.text(person_id)?),
        employer_id: c.opt_text(employer_id)?.map(EmployerId::new),
        region: RegionCode::new(c.text(region_code)?),
        kind: c.text(kind)?,
        start: month(c, start_month)?,
        end: opt_month(c, end_month)?,
        created_at: c.time(created_at)?,
        version: c.int(version)?,
    })
}

fn employer_from(c: &Cols<'_>) -> Result<EmployerRecord, StoreError> {
    use employers::*;
    Ok(EmployerRecord {
        id: EmployerId::new(c.text(id)?),
        credit_code: c.text(credit_code)?,
        name: c.text(name)?,
        region: RegionCode::new(c.text(region_code)?),
        risk_class: c.int(risk_class)?,
        rate_tier_percent: c.int(rate_tier_percent)?,
        created_at: c.time(created_at)?,
    })
}

fn declaration_from(c: &Cols<'_>) -> Result<DeclarationRecord, StoreError> {
    use declarations::*;
    Ok(DeclarationRecord {
        id: c.text(id)?,
        employer_id: EmployerId::new(c.text(employer_id)?),
        digest: c.text(digest)?,
        rows_total: c.int(rows_total)?,
        rows_accepted: c.int(rows_accepted)?,
        rows_unchanged: c.int(rows_unchanged)?,
        rows_rejected: c.int(rows_rejected)?,
        errors: c.text(errors)?,
        actor: c.text(actor)?,
        created_at: c.time(created_at)?,
    })
}

columns! {
    /// The columns of a certificate.
    mod certificates: CertificateRecord = certificate_from { code, person_id, digest, content_cipher, summary, issued_at }
}

fn certificate_from(c: &Cols<'_>) -> Result<CertificateRecord, StoreError> {
    use certificates::*;
    Ok(CertificateRecord {
        code: c.text(code)?,
        person_id: PersonId::new(c.text(person_id)?),
        digest: c.text(digest)?,
        content_cipher: c.text(content_cipher)?,
        summary: c.text(summary)?,
        issued_at: c.time(issued_at)?,
    })
}

impl Tx<'_> {
    pub fn insert_contribution_parameters(
        &mut self,
        region: &RegionCode,
        effective_from: Date,
        body: &str,
        created_by: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.insert_version(
            "contribution_parameters",
            region,
            effective_from,
            body,
            created_by,
            now,
        )
    }

    /// The contribution parameters in force on `on`.
    pub fn contribution_parameters_at(
        &mut self,
        region: &RegionCode,
        on: Date,
    ) -> Result<Option<(Date, String)>, StoreError> {
        self.version_at("contribution_parameters", region, on)
    }

    pub fn insert_employer(&mut self, employer: &EmployerRecord) -> Result<(), StoreError> {
        self.insert_record::<EmployerRecord>(&[
            employer.id.as_str().into(),
            employer.credit_code.as_str().into(),
            employer.name.as_str().into(),
            employer.region.as_str().into(),
            employer.risk_class.into(),
            employer.rate_tier_percent.into(),
            employer.created_at.unix_seconds().into(),
        ])
    }

    pub fn employer(&mut self, id: &EmployerId) -> Result<Option<EmployerRecord>, StoreError> {
        self.find("WHERE id = $1", &[id.as_str().into()])
    }

    pub fn employer_by_credit_code(
        &mut self,
        code: &str,
    ) -> Result<Option<EmployerRecord>, StoreError> {
        self.find("WHERE credit_code = $1", &[code.into()])
    }

    pub fn insert_enrolment(&mut self, enrolment: &EnrolmentRecord) -> Result<(), StoreError> {
        self.insert_record::<EnrolmentRecord>(&[
            enrolment.id.as_str().into(),
            enrolment.person_id.as_str().into(),
            id_val(enrolment.employer_id.as_ref().map(EmployerId::as_str)),
            enrolment.region.as_str().into(),
            enrolment.kind.as_str().into(),
            enrolment.start.to_string().into(),
            enrolment.end.map(|m| m.to_string()).into(),
            enrolment.created_at.unix_seconds().into(),
            0_i64.into(),
        ])
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

    pub fn enrolments_of_person(
        &mut self,
        person: &PersonId,
    ) -> Result<Vec<EnrolmentRecord>, StoreError> {
        self.find_all(
            "WHERE person_id = $1 ORDER BY start_month, id",
            &[person.as_str().into()],
        )
    }

    pub fn enrolments_of_employer(
        &mut self,
        employer: &EmployerId,
    ) -> Result<Vec<EnrolmentRecord>, StoreError> {
        self.find_all(
            "WHERE employer_id = $1 ORDER BY person_id, start_month",
            &[employer.as_str().into()],
        )
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

    pub fn insert_declaration(
        &mut self,
        declaration: &DeclarationRecord,
    ) -> Result<(), StoreError> {
        self.insert(
            "declarations",
            "id, employer_id, digest, rows_total, rows_accepted, rows_unchanged, rows_rejected, \
             errors, actor, created_at",
            &[
                declaration.id.as_str().into(),
                declaration.employer_id.as_str().into(),
                declaration.digest.as_str().into(),
                declaration.rows_total.into(),
                declaration.rows_accepted.into(),
                declaration.rows_unchanged.into(),
                declaration.rows_rejected.into(),
                declaration.errors.as_str().into(),
                declaration.actor.as_str().into(),
                declaration.created_at.unix_seconds().into(),
            ],
        )
    }

    pub fn declaration(&mut self, id: &str) -> Result<Option<DeclarationRecord>, StoreError> {
        self.find("WHERE id = $1", &[id.into()])
    }

    pub fn declaration_by_digest(
        &mut self,
        employer: &EmployerId,
        digest: &str,
    ) -> Result<Option<DeclarationRecord>, StoreError> {
        self.find(
            "WHERE employer_id = $1 AND digest = $2",
            &[employer.as_str().into(), digest.into()],
        )
    }

    pub fn insert_certificate(
        &mut self,
        certificate: &CertificateRecord,
    ) -> Result<(), StoreError> {
        self.insert_record::<CertificateRecord>(&[
            certificate.code.as_str().into(),
            certificate.person_id.as_str().into(),
            certificate.digest.as_str().into(),
            certificate.content_cipher.as_str().into(),
            certificate.summary.as_str().into(),
            certificate.issued_at.unix_seconds().into(),
        ])
    }

    pub fn certificate(&mut self, code: &str) -> Result<Option<CertificateRecord>, StoreError> {
        self.find("WHERE code = $1", &[code.into()])
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
