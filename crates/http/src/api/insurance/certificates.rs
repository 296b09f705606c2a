//! Certificates: issuing a contribution record certificate, its PDF, and checking a code or
//! a document (public).

use shebao_app::insurance::certificates::{CertificateView, VerificationView};
use shebao_domain::access::Operation as Permission;

use crate::api::FILE_BODY_LIMIT_BYTES;
use crate::api::kinds::{Json, NoBody, NoQuery, Pdf, PdfBytes};
use crate::api::{Access, In, Spec, operation};

operation! {
    /// Issue a contribution record certificate.
    IssueCertificate {
        spec: Spec::post(
            "issue_certificate",
            "/api/v1/persons/{person}/certificates",
            "certificates",
            "Issue a contribution record certificate (PDF, Chinese and English)",
        )
        .errors(&["conflict"]),
        access: Access::Needs(Permission::IssueCertificate),
        types: (String,), NoQuery, NoBody => Json<CertificateView>,
        call: |app, actor, In { key, path: (person,), .. }| {
            Json(app.issue_certificate(actor, &key, &person)?)
        },
    }
}

operation! {
    /// An issued certificate's PDF.
    CertificatePdf {
        spec: Spec::get(
            "certificate_pdf",
            "/api/v1/certificates/{code}/pdf",
            "certificates",
            "Download an issued certificate's PDF",
        ),
        access: Access::Needs(Permission::IssueCertificate),
        types: (String,), NoQuery, NoBody => Pdf,
        call: |app, actor, In { path: (code,), .. }| Pdf(app.certificate_pdf(actor, &code)?),
    }
}

operation! {
    /// Check a verification code.
    VerifyCertificate {
        spec: Spec::get(
            "verify_certificate",
            "/api/v1/certificates/{code}",
            "certificates",
            "Check a verification code: was it issued, and what does it certify",
        ),
        access: Access::Public,
        types: (String,), NoQuery, NoBody => Json<VerificationView>,
        call_shared: |shared, input| Ok(Json(shared.app.verify_certificate(&input.path.0, None)?)),
    }
}

operation! {
    /// Check that a PDF is the certificate issued.
    VerifyCertificateDocument {
        spec: Spec::post(
            "verify_certificate_document",
            "/api/v1/certificates/{code}/verification",
            "certificates",
            "Check that a PDF (application/pdf body) is exactly the certificate issued",
        )
        .not_changing()
        .body_limit(FILE_BODY_LIMIT_BYTES),
        access: Access::Public,
        types: (String,), NoQuery, PdfBytes => Json<VerificationView>,
        call_shared: |shared, input| {
            let checked = shared.app.verify_certificate(&input.path.0, Some(&input.body))?;
            Ok(Json(checked))
        },
    }
}
