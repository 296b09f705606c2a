//! Contribution record certificates: a PDF in Chinese and English with a verification code.
//! The service keeps the PDF's SHA-256 digest and its sealed content, so a third party can
//! confirm with the code that a certificate was issued, and that a PDF is the one issued.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use shebao_domain::access::{Operation, Role};
use shebao_domain::ids::PersonId;
use shebao_domain::insurance::Insurance;
use shebao_domain::person::PersonName;
use shebao_store::CertificateRecord;

use crate::insurance::ContributionView;
use crate::money::yuan;
use crate::pdf::{CertificateDocument, CertificateRow, render};
use crate::person::{CITIZEN_CONTEXT, NAME_CONTEXT, parse_citizen_id};
use crate::vault::random_bytes;
use crate::{Actor, App, AppError, Audit};
use shebao_domain::person::identity::remask_legacy;

const CONTENT_CONTEXT: &str = "certificate.content";

/// What a certificate shows; sealed in the database so the PDF can be rebuilt byte for byte.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Content {
    code: String,
    name: String,
    citizen_id_masked: String,
    issued_at: String,
    rows: Vec<(String, String, i64, i64, i64, String, String)>,
    pension_total_fen: i64,
    medical_total_fen: i64,
    months_paid: i64,
}

/// What anyone holding the code may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CertificateSummary {
    pub code: String,
    pub issued_at: String,
    pub holder: String,
    pub citizen_id: String,
    pub months_paid: i64,
    pub pension_total_fen: i64,
    pub medical_total_fen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Certificate")]
pub struct CertificateView {
    pub summary: CertificateSummary,
    pub pdf_url: String,
    pub verify_url: String,
}

/// The answer to a verification: the summary, and whether the PDF presented (if any) is
/// exactly the one issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Verification")]
pub struct VerificationView {
    pub issued: bool,
    pub document_matches: Option<bool>,
    #[schemars(transform = exactly_one)]
    pub summary: Option<CertificateSummary>,
}

/// An optional object's schema as a choice of exactly one branch (`oneOf`: the summary, or
/// null) instead of the derive's `anyOf`, the form the document's schemas use for choices.
fn exactly_one(schema: &mut schemars::Schema) {
    if let Some(object) = schema.as_object_mut()
        && let Some(branches) = object.remove("anyOf")
    {
        object.insert("oneOf".into(), branches);
    }
}

fn code() -> String {
    let hex = hex::encode_upper(random_bytes::<10>());
    let groups: Vec<&str> = (0..hex.len())
        .step_by(4)
        .filter_map(|i| hex.get(i..i + 4))
        .collect();
    format!("SB-{}", groups.join("-"))
}

fn document(content: &Content) -> CertificateDocument {
    CertificateDocument {
        title: "社会保险参保缴费证明 Social Insurance Contribution Certificate".into(),
        fields: vec![
            ("姓名 Name".into(), content.name.clone()),
            (
                "公民身份号码 Citizen ID".into(),
                content.citizen_id_masked.clone(),
            ),
            (
                "养老保险缴费月数 Pension months paid".into(),
                content.months_paid.to_string(),
            ),
        ],
        rows: content
            .rows
            .iter()
            .map(
                |(month, insurance, base, employer, individual, status, employer_name)| {
                    CertificateRow {
                        month: month.clone(),
                        insurance: insurance.clone(),
                        base_fen: *base,
                        employer_fen: *employer,
                        individual_fen: *individual,
                        status: status.clone(),
                        employer: employer_name.clone(),
                    }
                },
            )
            .collect(),
        totals: vec![
            (
                "养老保险合计 Pension total (yuan)".into(),
                yuan(content.pension_total_fen),
            ),
            (
                "医疗保险合计 Medical total (yuan)".into(),
                yuan(content.medical_total_fen),
            ),
        ],
        verification_code: content.code.clone(),
        verify_hint: format!(
            "验证 Verify: GET /api/v1/certificates/{} (or send this PDF to /api/v1/certificates/{}/verification)",
            content.code, content.code
        ),
        issued_at: content.issued_at.clone(),
    }
}

fn summary(content: &Content) -> CertificateSummary {
    CertificateSummary {
        code: content.code.clone(),
        issued_at: content.issued_at.clone(),
        holder: PersonName::parse(&content.name)
            .map(|n| n.masked())
            .unwrap_or_default(),
        citizen_id: remask_legacy(&content.citizen_id_masked)
            .unwrap_or_else(|| content.citizen_id_masked.clone()),
        months_paid: content.months_paid,
        pension_total_fen: content.pension_total_fen,
        medical_total_fen: content.medical_total_fen,
    }
}

impl App {
    /// Issues a certificate of the person's contribution record.
    pub fn issue_certificate(
        &self,
        actor: &Actor,
        key: &str,
        person: &str,
    ) -> Result<CertificateView, AppError> {
        self.authorise(actor, Operation::IssueCertificate)?;
        let history = self.contribution_history(actor, person, None)?;
        let totals = self.insurance_summary(actor, person)?;
        let person_id = PersonId::new(person);
        let id = person_id.clone();
        let record = self
            .store
            .read(move |tx| tx.person(&id))?
            .ok_or_else(|| AppError::NotFound("person".into()))?;
        let open = |context, sealed: &str| {
            self.vault
                .open(context, sealed)
                .map_err(AppError::failed("opening a sealed value"))
        };
        let citizen =
            parse_citizen_id(&open(CITIZEN_CONTEXT, &record.citizen_cipher)?, self.now())?;
        let content = Content {
            code: code(),
            name: open(NAME_CONTEXT, &record.name_cipher)?,
            citizen_id_masked: citizen.masked(),
            issued_at: self.now().to_string(),
            rows: rows_of(&history),
            pension_total_fen: totals.pension_total_fen,
            medical_total_fen: totals.medical_total_fen,
            months_paid: totals.contribution_months,
        };
        let pdf = render(&document(&content));
        let plain = serde_json::to_string(&content).map_err(AppError::failed("encoding JSON"))?;
        let stored = CertificateRecord {
            code: content.code.clone(),
            person_id,
            digest: hex::encode(Sha256::digest(&pdf)),
            content_cipher: self
                .vault
                .seal(CONTENT_CONTEXT, &plain)
                .map_err(AppError::failed("sealing a value"))?,
            summary: serde_json::to_string(&summary(&content))
                .map_err(AppError::failed("encoding JSON"))?,
            issued_at: self.now(),
        };
        let view = CertificateView {
            summary: summary(&content),
            pdf_url: format!("/api/v1/certificates/{}/pdf", content.code),
            verify_url: format!("/api/v1/certificates/{}", content.code),
        };
        let audit = Audit::on("certificate.issue", format!("person:{}", stored.person_id));
        self.change(
            actor,
            key,
            &serde_json::json!({ "person": person }),
            audit,
            move |tx, _| {
                tx.insert_certificate(&stored)?;
                Ok((
                    view.clone(),
                    serde_json::json!({ "code": stored.code, "digest": stored.digest }).to_string(),
                ))
            },
        )
    }

    /// The PDF of an issued certificate, rebuilt from its sealed content (the same bytes).
    pub fn certificate_pdf(&self, actor: &Actor, code: &str) -> Result<Vec<u8>, AppError> {
        self.authorise(actor, Operation::IssueCertificate)?;
        let wanted = code.to_owned();
        let record = self
            .store
            .read(move |tx| tx.certificate(&wanted))?
            .ok_or_else(|| AppError::NotFound("certificate".into()))?;
        let visible = actor.role != Role::Cardholder
            || actor.scope.person_id.as_ref() == Some(&record.person_id);
        self.visible_or_hidden(
            visible,
            actor,
            Operation::IssueCertificate,
            ("certificate", &code),
        )?;
        let plain = self
            .vault
            .open(CONTENT_CONTEXT, &record.content_cipher)
            .map_err(AppError::failed("opening a sealed value"))?;
        let mut content: Content =
            serde_json::from_str(&plain).map_err(AppError::failed("decoding JSON"))?;
        // A certificate issued before issue 13 (finding 3) shows the ID number's first 4 and
        // last 4. Its holder gets those bytes back (their own document, and its digest must
        // match); anyone else a copy with today's mask, which does not match the digest.
        if actor.role != Role::Cardholder
            && let Some(remasked) = remask_legacy(&content.citizen_id_masked)
        {
            content.citizen_id_masked = remasked;
            return Ok(render(&document(&content)));
        }
        let pdf = render(&document(&content));
        if hex::encode(Sha256::digest(&pdf)) != record.digest {
            return Err(AppError::Internal(
                "certificate does not rebuild to its digest".into(),
            ));
        }
        Ok(pdf)
    }

    /// Anyone holding a code learns whether it was issued and what it certifies; with a PDF,
    /// whether that PDF is exactly the one issued.
    pub fn verify_certificate(
        &self,
        code: &str,
        pdf: Option<&[u8]>,
    ) -> Result<VerificationView, AppError> {
        let valid =
            code.len() <= 40 && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !valid {
            return Ok(VerificationView {
                issued: false,
                document_matches: None,
                summary: None,
            });
        }
        let wanted = code.to_owned();
        let Some(record) = self.store.read(move |tx| tx.certificate(&wanted))? else {
            return Ok(VerificationView {
                issued: false,
                document_matches: None,
                summary: None,
            });
        };
        // Summaries stored before issue 13 (finding 3) carry the old mask (first 4, last 4).
        let stored = remask_legacy(&record.summary).unwrap_or(record.summary);
        let summary: CertificateSummary =
            serde_json::from_str(&stored).map_err(AppError::failed("decoding JSON"))?;
        Ok(VerificationView {
            issued: true,
            document_matches: pdf.map(|bytes| hex::encode(Sha256::digest(bytes)) == record.digest),
            summary: Some(summary),
        })
    }
}

/// The certificate's table: every contribution month but a work-injury row the employer
/// paid nothing for, with its status in both languages.
fn rows_of(history: &[ContributionView]) -> Vec<(String, String, i64, i64, i64, String, String)> {
    history
        .iter()
        .filter(|row| row.insurance != Insurance::WorkInjury.as_str() || row.employer_fen > 0)
        .map(|row| {
            let status = if row.status == "paid" {
                "已缴 paid"
            } else {
                "欠缴 owed"
            };
            (
                row.month.clone(),
                row.insurance.clone(),
                row.base_fen,
                row.employer_fen,
                row.individual_fen,
                status.to_owned(),
                row.employer.clone().unwrap_or_default(),
            )
        })
        .collect()
}
