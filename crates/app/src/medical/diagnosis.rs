//! A bill's diagnosis: medical data, so it is sealed at rest, masked in every answer, log and
//! `Debug` (and so in the idempotency table, which stores answers), and shown in clear only
//! to the holder reading their own settlements. It never enters an audit record.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::medical::{DIAGNOSIS_CODE_PATTERN, Diagnosis, DiagnosisError};
use shebao_store::SettlementRecord;

use crate::{AppError, Vault};

/// Encryption context: the ciphertext opens only as a settlement's diagnosis.
const DIAGNOSIS_CONTEXT: &str = "settlement.diagnosis";

/// The diagnosis as the institution sends it: `{ "code": "J18.9", "text": "肺炎" }`.
///
/// It is read through a JSON value so that a malformed one is refused with a fixed message:
/// serde's own messages quote the value they could not read.
#[derive(Clone, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "serde_json::Value")]
#[schemars(with = "Shape", inline)]
pub struct DiagnosisRequest {
    /// An ICD-10 code (`J18.9`, `J18.900`, `J18.900x001`).
    pub code: String,
    /// Free text, at most 200 characters.
    #[serde(default)]
    pub text: Option<String>,
}

/// Medical data: encrypted at rest, never audited or logged, and masked (code `J**`, text
/// `***`) in every answer except the holder's own settlement list.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Shape {
    /// ICD-10 code, e.g. J18.9, J18.900 or J18.900x001.
    #[schemars(regex(pattern = DIAGNOSIS_CODE_PATTERN))]
    code: String,
    /// Free text, e.g. 肺炎 (at most 200 characters, blanks around not counted).
    #[serde(default)]
    text: Option<String>,
}

impl TryFrom<serde_json::Value> for DiagnosisRequest {
    type Error = &'static str;

    fn try_from(value: serde_json::Value) -> Result<Self, Self::Error> {
        serde_json::from_value::<Shape>(value)
            .map(|shape| DiagnosisRequest {
                code: shape.code,
                text: shape.text,
            })
            .map_err(|_| "diagnosis: an object with a string `code` and an optional string `text`")
    }
}

impl fmt::Debug for DiagnosisRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DiagnosisRequest(..)")
    }
}

/// A settlement's diagnosis in an answer: masked (`J**`, `***`) unless the holder reads
/// their own.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(inline)]
pub struct DiagnosisView {
    pub code: String,
    pub text: Option<String>,
    /// Whether `code` and `text` are masked.
    pub masked: bool,
}

crate::debug_showing_only!(DiagnosisView { masked });

impl DiagnosisView {
    pub(super) fn of(diagnosis: &Diagnosis, clear: bool) -> DiagnosisView {
        if clear {
            DiagnosisView {
                code: diagnosis.code().to_owned(),
                text: diagnosis.text().map(str::to_owned),
                masked: false,
            }
        } else {
            DiagnosisView {
                code: diagnosis.masked_code(),
                text: diagnosis.masked_text(),
                masked: true,
            }
        }
    }
}

/// Checks a bill's diagnosis, if it has one.
pub(super) fn parse(request: Option<&DiagnosisRequest>) -> Result<Option<Diagnosis>, AppError> {
    request
        .map(|d| {
            Diagnosis::parse(&d.code, d.text.as_deref()).map_err(|error| AppError::Invalid {
                field: match error {
                    DiagnosisError::Code => "diagnosis.code",
                    DiagnosisError::Text => "diagnosis.text",
                },
                message: error.to_string(),
            })
        })
        .transpose()
}

/// The ciphertext stored with the settlement: code and text sealed together.
pub(super) fn seal(vault: &Vault, diagnosis: &Diagnosis) -> Result<String, AppError> {
    let plain = serde_json::json!({ "code": diagnosis.code(), "text": diagnosis.text() });
    vault
        .seal(DIAGNOSIS_CONTEXT, &plain.to_string())
        .map_err(AppError::failed("sealing a value"))
}

/// The stored settlement's diagnosis as `clear` allows, if it has one.
pub(super) fn of_record(
    vault: &Vault,
    record: &SettlementRecord,
    clear: bool,
) -> Result<Option<DiagnosisView>, AppError> {
    let Some(sealed) = &record.diagnosis_cipher else {
        return Ok(None);
    };
    let plain = vault
        .open(DIAGNOSIS_CONTEXT, sealed)
        .map_err(AppError::failed("opening a sealed value"))?;
    // The messages name the settlement, never the content.
    let corrupt = || AppError::Internal(format!("settlement {}: stored diagnosis", record.id));
    let shape: Shape = serde_json::from_str(&plain).map_err(|_| corrupt())?;
    let diagnosis = Diagnosis::parse(&shape.code, shape.text.as_deref()).map_err(|_| corrupt())?;
    Ok(Some(DiagnosisView::of(&diagnosis, clear)))
}
