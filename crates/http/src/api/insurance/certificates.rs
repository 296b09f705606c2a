//! Certificates: issuing a contribution record certificate, its PDF, and checking a code or
//! a document (public).

use shebao_app::insurance::certificates::{CertificateView, VerificationView};

use crate::api::FILE_BODY_LIMIT_BYTES;
use crate::api::kinds::{Json, NoBody, NoQuery, Pdf, PdfBytes};
use crate::api::operations;

operations! {
    tag: "certificates";

    /// Issue a contribution record certificate (PDF, Chinese and English)
    IssueCertificate: post "issue_certificate" "/api/v1/persons/{person}/certificates"
        .errors(&["conflict"]) {
        Needs(IssueCertificate): issue_certificate(key, person) -> Json<CertificateView>
    }

    /// Download an issued certificate's PDF
    CertificatePdf: get "certificate_pdf" "/api/v1/certificates/{code}/pdf" {
        Needs(IssueCertificate): certificate_pdf(code) -> Pdf
    }

    /// Check a verification code: was it issued, and what does it certify
    VerifyCertificate: get "verify_certificate" "/api/v1/certificates/{code}" {
        access: Public,
        types: (String,), NoQuery, NoBody => Json<VerificationView>,
        call_shared: |shared, input| Ok(Json(shared.app.verify_certificate(&input.path.0, None)?)),
    }

    /// Check that a PDF (application/pdf body) is exactly the certificate issued
    VerifyCertificateDocument: post "verify_certificate_document"
        "/api/v1/certificates/{code}/verification"
        .not_changing()
        .body_limit(FILE_BODY_LIMIT_BYTES) {
        access: Public,
        types: (String,), NoQuery, PdfBytes => Json<VerificationView>,
        call_shared: |shared, input| {
            let checked = shared.app.verify_certificate(&input.path.0, Some(&input.body))?;
            Ok(Json(checked))
        },
    }
}
