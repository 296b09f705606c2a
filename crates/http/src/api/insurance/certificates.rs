//! Certificates: issuing a contribution record certificate, its PDF, and checking a code or
//! a document (public).

use shebao_app::insurance::certificates::{CertificateView, VerificationView};
use shebao_domain::access::Operation as Permission;

use super::{DECLARATION_BODY_LIMIT_BYTES, operation};
use crate::api::kinds::{Json, NoBody, NoQuery, Pdf, PdfBytes};
use crate::api::{Access, Spec};

operation! {
    /// Issue a contribution record certificate.
    IssueCertificate: Spec::post(
        "issue_certificate",
        "/api/v1/persons/{person}/certificates",
        "certificates",
        "Issue a contribution record certificate (PDF, Chinese and English)",
    )
    .errors(&["conflict"]), Access::Needs(Permission::IssueCertificate);
    path (String,), query NoQuery, body NoBody => Json<CertificateView>;
    signed |app, actor, input| app.issue_certificate(&actor, &input.key, &input.path.0)
}

operation! {
    /// An issued certificate's PDF.
    CertificatePdf: Spec::get(
        "certificate_pdf",
        "/api/v1/certificates/{code}/pdf",
        "certificates",
        "Download an issued certificate's PDF",
    ), Access::Needs(Permission::IssueCertificate);
    path (String,), query NoQuery, body NoBody => Pdf;
    |shared, input| Ok(Pdf(shared.app.certificate_pdf(input.actor()?, &input.path.0)?))
}

operation! {
    /// Check a verification code.
    VerifyCertificate: Spec::get(
        "verify_certificate",
        "/api/v1/certificates/{code}",
        "certificates",
        "Check a verification code: was it issued, and what does it certify",
    ), Access::Public;
    path (String,), query NoQuery, body NoBody => Json<VerificationView>;
    |shared, input| Ok(Json(shared.app.verify_certificate(&input.path.0, None)?))
}

operation! {
    /// Check that a PDF is the certificate issued.
    VerifyCertificateDocument: Spec::post(
        "verify_certificate_document",
        "/api/v1/certificates/{code}/verification",
        "certificates",
        "Check that a PDF (application/pdf body) is exactly the certificate issued",
    )
    .not_changing()
    .body_limit(DECLARATION_BODY_LIMIT_BYTES), Access::Public;
    path (String,), query NoQuery, body PdfBytes => Json<VerificationView>;
    |shared, input| {
        let checked = shared.app.verify_certificate(&input.path.0, Some(&input.body))?;
        Ok(Json(checked))
    }
}
