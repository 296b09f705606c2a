//! Contribution record certificates: a PDF in Chinese and English with a verification code,
//! the issuing bureau's seal block and a QR code of the public verification page. The service
//! keeps the PDF's SHA-256 digest, its sealed content and (since the font is embedded) the
//! sealed PDF itself, so a third party can confirm with the code that a certificate was
//! issued, and that a PDF is the one issued.

use std::path::PathBuf;
use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

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
use crate::pdf::{CertificateDocument, CertificateRow, CjkFont, render};
use crate::person::{CITIZEN_CONTEXT, NAME_CONTEXT, parse_citizen_id};
use crate::vault::random_bytes;
use crate::{Actor, App, AppError, Audit};
use shebao_domain::person::identity::remask_legacy;

const CONTENT_CONTEXT: &str = "certificate.content";
const DOCUMENT_CONTEXT: &str = "certificate.document";

/// Most certificates listed on a person's page.
pub const CERTIFICATES_LISTED: i64 = 20;

/// The layout of certificates issued since the font is embedded: insurance names in Chinese,
/// the issuing bureau with its seal block, local time and the verification page's QR code.
/// Content without a layout (0) was issued before and is laid out as it was then.
const LAYOUT_SEALED: u32 = 1;

/// How certificates are printed (see [`App::with_certificate_print`]).
#[derive(Debug, Default)]
pub struct Print {
    /// None: the first of Debian's Noto CJK fonts installed.
    font_path: Option<PathBuf>,
    /// Loaded on first use; why not when it cannot be (logged, and the certificate is
    /// printed in the reader's own CJK font).
    font: OnceLock<Result<CjkFont, String>>,
    /// Where the verification page is served, without a trailing '/'.
    public_url: String,
}

impl Print {
    pub(crate) fn new(font_path: Option<PathBuf>, public_url: &str) -> Print {
        Print {
            font_path,
            font: OnceLock::new(),
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }

    fn load(&self) -> Result<CjkFont, String> {
        match &self.font_path {
            Some(path) => CjkFont::load(path),
            None => CjkFont::installed(),
        }
    }

    fn loaded(&self) -> &Result<CjkFont, String> {
        self.font.get_or_init(|| {
            let loaded = self.load();
            if let Err(error) = &loaded {
                tracing::warn!(target: "shebao", %error, "certificates are printed without an embedded font");
            }
            loaded
        })
    }

    fn font(&self) -> Option<&CjkFont> {
        self.loaded().as_ref().ok()
    }

    /// The public page that verifies certificate `code`.
    pub fn verify_page(&self, code: &str) -> String {
        format!("{}/verify/{code}", self.public_url)
    }
}

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
    /// 0 on certificates issued before [`LAYOUT_SEALED`].
    #[serde(default)]
    layout: u32,
    /// The region whose bureau issued it, as named in its records (e.g. "杭州市 Hangzhou").
    #[serde(default)]
    region: String,
    #[serde(default)]
    verify_page: String,
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
    /// What it certifies: `contribution` (the record of contributions) or `training` (a
    /// completed vocational-training course, in `training`; its contribution figures are 0).
    #[serde(default = "contribution_kind")]
    #[schemars(extend("enum" = [KIND_CONTRIBUTION, KIND_TRAINING]))]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(transform = exactly_one)]
    pub training: Option<TrainingCertified>,
}

const KIND_CONTRIBUTION: &str = "contribution";
const KIND_TRAINING: &str = "training";

fn contribution_kind() -> String {
    KIND_CONTRIBUTION.to_owned()
}

/// What a vocational-training certificate certifies (issue 17, item 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TrainingCertified {
    pub course: String,
    /// The occupation code of the national classification.
    pub occupation: String,
    pub provider: String,
    pub hours: i64,
    pub attended_hours: i64,
    #[schemars(extend("format" = "date"))]
    pub completed_on: String,
}

/// What a training certificate shows; sealed in the database beside its PDF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct TrainingContent {
    code: String,
    name: String,
    citizen_id_masked: String,
    issued_at: String,
    region: String,
    verify_page: String,
    certified: TrainingCertified,
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
    if content.layout >= LAYOUT_SEALED {
        return sealed_document(content);
    }
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
        issuer: String::new(),
        verify_url: String::new(),
    }
}

/// The region's bureau in Chinese (written around the seal) and in both languages.
fn bureau(region: &str) -> (String, String) {
    let chinese: String = region.chars().filter(|c| !c.is_ascii()).collect();
    let english = region
        .split(|c: char| !c.is_ascii())
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let zh = format!("{}人力资源和社会保障局", chinese.trim());
    let en = if english.is_empty() {
        "Human Resources and Social Security Bureau".to_owned()
    } else {
        format!("{english} Human Resources and Social Security Bureau")
    };
    (zh.clone(), format!("{zh} {en}"))
}

/// An insurance's name in both languages, for the table.
fn insurance_name(code: &str) -> String {
    let name = match Insurance::parse(code) {
        Some(Insurance::Pension) => "养老保险 Pension",
        Some(Insurance::Medical) => "医疗保险 Medical",
        Some(Insurance::Unemployment) => "失业保险 Unemployment",
        Some(Insurance::WorkInjury) => "工伤保险 Work injury",
        Some(Insurance::Maternity) => "生育保险 Maternity",
        None => code,
    };
    name.to_owned()
}

/// The layout since [`LAYOUT_SEALED`].
fn sealed_document(content: &Content) -> CertificateDocument {
    let (seal_name, issuer) = bureau(&content.region);
    let mut sealed = CertificateDocument {
        issuer: seal_name,
        verify_url: content.verify_page.clone(),
        verify_hint: format!(
            "验证 Verify: {} （扫码或打开此地址，可核对本PDF是否为原件 Scan or open it to check that this PDF is the one issued）",
            content.verify_page
        ),
        ..document(&Content {
            layout: 0,
            ..content.clone()
        })
    };
    sealed.fields.push(("出具机构 Issued by".into(), issuer));
    for row in &mut sealed.rows {
        row.insurance = insurance_name(&row.insurance);
    }
    sealed
}

/// `now` on the region's clock, e.g. `2026-12-06 16:05:09+08:00`.
fn local_time(
    now: shebao_domain::time::Timestamp,
    offset: shebao_domain::time::UtcOffset,
) -> String {
    let shifted = now.add_seconds(offset.seconds()).to_string();
    let minutes = offset.minutes();
    let sign = if minutes < 0 { '-' } else { '+' };
    let (hours, rest) = (minutes.abs() / 60, minutes.abs() % 60);
    format!(
        "{}{sign}{hours:02}:{rest:02}",
        shifted.trim_end_matches('Z').replacen('T', " ", 1)
    )
}

/// The holder's name as a verifier sees it: masked.
fn masked_holder(name: &str) -> String {
    PersonName::parse(name)
        .map(|n| n.masked())
        .unwrap_or_default()
}

/// Who a certificate is issued to, as printed on it.
struct CertificateHolder {
    name: String,
    citizen_id_masked: String,
    household_region: shebao_domain::ids::RegionCode,
}

fn summary(content: &Content) -> CertificateSummary {
    CertificateSummary {
        code: content.code.clone(),
        issued_at: content.issued_at.clone(),
        holder: masked_holder(&content.name),
        citizen_id: remask_legacy(&content.citizen_id_masked)
            .unwrap_or_else(|| content.citizen_id_masked.clone()),
        months_paid: content.months_paid,
        pension_total_fen: content.pension_total_fen,
        medical_total_fen: content.medical_total_fen,
        kind: contribution_kind(),
        training: None,
    }
}

/// A training certificate's PDF: the holder, the course and its completion, the issuing
/// bureau's seal and the verification page.
fn training_document(content: &TrainingContent) -> CertificateDocument {
    let (seal_name, issuer) = bureau(&content.region);
    let c = &content.certified;
    CertificateDocument {
        title: "职业培训合格证明 Vocational Training Completion Certificate".into(),
        fields: vec![
            ("姓名 Name".into(), content.name.clone()),
            (
                "公民身份号码 Citizen ID".into(),
                content.citizen_id_masked.clone(),
            ),
            ("培训项目 Course".into(), c.course.clone()),
            ("职业编码 Occupation".into(), c.occupation.clone()),
            ("培训机构 Provider".into(), c.provider.clone()),
            ("课时 Hours".into(), c.hours.to_string()),
            (
                "出勤课时 Hours attended".into(),
                c.attended_hours.to_string(),
            ),
            ("结业日期 Completed on".into(), c.completed_on.clone()),
            ("出具机构 Issued by".into(), issuer),
        ],
        rows: Vec::new(),
        totals: Vec::new(),
        verification_code: content.code.clone(),
        verify_hint: format!(
            "验证 Verify: {} （扫码或打开此地址，可核对本PDF是否为原件 Scan or open it to check that this PDF is the one issued）",
            content.verify_page
        ),
        issued_at: content.issued_at.clone(),
        issuer: seal_name,
        verify_url: content.verify_page.clone(),
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
        let holder = self.certificate_holder(&person_id)?;
        let (region, issued_at) = self.issuing_region(&history, &holder.household_region)?;
        let code = code();
        let content = Content {
            verify_page: self.print.verify_page(&code),
            code,
            name: holder.name,
            citizen_id_masked: holder.citizen_id_masked,
            issued_at,
            rows: rows_of(&history),
            pension_total_fen: totals.pension_total_fen,
            medical_total_fen: totals.medical_total_fen,
            months_paid: totals.contribution_months,
            layout: LAYOUT_SEALED,
            region,
        };
        let pdf = render(&document(&content), self.print.font())
            .map_err(|e| AppError::Internal(format!("printing a certificate: {e}")))?;
        let stored = self.sealed_certificate(person_id, &pdf, &content, &summary(&content))?;
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
        // Since the font is embedded the PDF itself is kept: it cannot be rebuilt once the
        // system's font changes.
        if let Some(sealed) = &record.document_cipher {
            let encoded = self
                .vault
                .open(DOCUMENT_CONTEXT, sealed)
                .map_err(AppError::failed("opening a sealed value"))?;
            let pdf = BASE64
                .decode(encoded)
                .map_err(|e| AppError::Internal(format!("a stored certificate: {e}")))?;
            if hex::encode(Sha256::digest(&pdf)) != record.digest {
                return Err(AppError::Internal(
                    "a stored certificate does not match its digest".into(),
                ));
            }
            return Ok(pdf);
        }
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
            return legacy_pdf(&content);
        }
        let pdf = legacy_pdf(&content)?;
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

impl App {
    /// A certificate that `person` completed a training course in `region` (whose bureau
    /// issues it): printed, digested and sealed, for the completion to store in its own
    /// transaction (`Tx::insert_certificate`).
    pub(crate) fn training_certificate(
        &self,
        person: &PersonId,
        region: &shebao_domain::ids::RegionCode,
        certified: TrainingCertified,
    ) -> Result<CertificateRecord, AppError> {
        let holder = self.certificate_holder(person)?;
        let (region, issued_at) = self.issuing_region(&[], region)?;
        let code = code();
        let content = TrainingContent {
            verify_page: self.print.verify_page(&code),
            code,
            name: holder.name,
            citizen_id_masked: holder.citizen_id_masked,
            issued_at,
            region,
            certified,
        };
        let pdf = render(&training_document(&content), self.print.font())
            .map_err(|e| AppError::Internal(format!("printing a certificate: {e}")))?;
        let summary = CertificateSummary {
            code: content.code.clone(),
            issued_at: content.issued_at.clone(),
            holder: masked_holder(&content.name),
            citizen_id: content.citizen_id_masked.clone(),
            months_paid: 0,
            pension_total_fen: 0,
            medical_total_fen: 0,
            kind: KIND_TRAINING.to_owned(),
            training: Some(content.certified.clone()),
        };
        self.sealed_certificate(person.clone(), &pdf, &content, &summary)
    }

    /// A certificate's holder as printed: the name in clear (it is their own document), the
    /// ID number masked, and the household region (where a bureau is looked for).
    fn certificate_holder(&self, person: &PersonId) -> Result<CertificateHolder, AppError> {
        let id = person.clone();
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
        Ok(CertificateHolder {
            name: open(NAME_CONTEXT, &record.name_cipher)?,
            citizen_id_masked: citizen.masked(),
            household_region: record.household_region,
        })
    }

    /// An issued certificate as stored: the PDF's digest, the content and the PDF sealed, the
    /// summary anyone holding the code may see.
    fn sealed_certificate(
        &self,
        person_id: PersonId,
        pdf: &[u8],
        content: &impl Serialize,
        summary: &CertificateSummary,
    ) -> Result<CertificateRecord, AppError> {
        let plain = serde_json::to_string(content).map_err(AppError::failed("encoding JSON"))?;
        let seal = |context, plain: &str| {
            self.vault
                .seal(context, plain)
                .map_err(AppError::failed("sealing a value"))
        };
        Ok(CertificateRecord {
            code: summary.code.clone(),
            person_id,
            digest: hex::encode(Sha256::digest(pdf)),
            content_cipher: seal(CONTENT_CONTEXT, &plain)?,
            summary: serde_json::to_string(summary).map_err(AppError::failed("encoding JSON"))?,
            issued_at: self.now(),
            document_cipher: Some(seal(DOCUMENT_CONTEXT, &BASE64.encode(pdf))?),
        })
    }
}

/// A certificate issued before the font was embedded, rebuilt as it was printed then.
fn legacy_pdf(content: &Content) -> Result<Vec<u8>, AppError> {
    render(&document(content), None).map_err(AppError::Internal)
}

impl App {
    /// The region whose bureau issues a person's certificate (where their newest contribution
    /// was paid, else the city or province of their household) by its recorded name, and the
    /// time on its clock.
    fn issuing_region(
        &self,
        history: &[ContributionView],
        household: &shebao_domain::ids::RegionCode,
    ) -> Result<(String, String), AppError> {
        let mut candidates: Vec<String> = history
            .iter()
            .max_by(|a, b| a.month.cmp(&b.month))
            .map(|row| row.region.clone())
            .into_iter()
            .collect();
        let household = household.as_str();
        candidates.push(household.to_owned());
        if let (Some(city), Some(province)) = (household.get(..4), household.get(..2)) {
            candidates.push(format!("{city}00"));
            candidates.push(format!("{province}0000"));
        }
        let now = self.now();
        self.store.read(move |tx| {
            for candidate in &candidates {
                let Some(code) = shebao_domain::ids::RegionCode::parse(candidate) else {
                    continue;
                };
                if let Some(region) = tx.region(&code)? {
                    let offset = match App::parameters_in(tx, &code, now) {
                        Ok(params) => params.utc_offset(),
                        Err(AppError::NotFound(_)) => shebao_domain::time::UtcOffset::UTC,
                        Err(other) => return Err(other),
                    };
                    return Ok((region.name, local_time(now, offset)));
                }
            }
            // No region on record: the bureau goes unnamed and the time is UTC's.
            Ok((
                String::new(),
                local_time(now, shebao_domain::time::UtcOffset::UTC),
            ))
        })
    }

    /// The person's latest certificates (at most [`CERTIFICATES_LISTED`]), newest first, as
    /// a verifier sees them: for the holder's page, to download one again.
    pub fn certificates(
        &self,
        actor: &Actor,
        person: &str,
    ) -> Result<Vec<CertificateSummary>, AppError> {
        self.authorise(actor, Operation::IssueCertificate)?;
        self.read_insured(actor, person, |tx, _, person| {
            tx.certificates_of_person(person, CERTIFICATES_LISTED)?
                .into_iter()
                .map(|record| {
                    let stored = remask_legacy(&record.summary).unwrap_or(record.summary);
                    serde_json::from_str(&stored).map_err(AppError::failed("decoding JSON"))
                })
                .collect()
        })
    }

    /// Loads the certificate font now (it is otherwise loaded by the first certificate):
    /// its name and file, or why certificates will be printed without it.
    pub fn certificate_font(&self) -> Result<String, String> {
        match self.print.loaded() {
            Ok(font) => Ok(format!("{} ({})", font.name(), font.path().display())),
            Err(error) => Err(error.clone()),
        }
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
