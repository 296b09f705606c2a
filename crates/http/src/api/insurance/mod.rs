//! Insurance: enrolment, declarations, contributions, pensions, certificates, calculators.
//! One file per group; this one lists them and holds what they share.

mod calculators;
mod certificates;
mod contributions;
mod declarations;
mod enrolment;
mod pensions;

use super::{Entry, entry};

pub(crate) const OPERATIONS: &[Entry] = &[
    entry(enrolment::AddContributionParameters),
    entry(enrolment::RegisterEmployer),
    entry(enrolment::GetEmployer),
    entry(contributions::ListArrears),
    entry(declarations::ImportDeclaration),
    entry(declarations::DeclareRows),
    entry(declarations::DeclarationErrors),
    entry(contributions::RecordContributionPayment),
    entry(enrolment::Enrol),
    entry(enrolment::EndEnrolment),
    entry(enrolment::TransferInsuredPlace),
    entry(enrolment::ListEnrolments),
    entry(contributions::ContributionHistory),
    entry(contributions::InsuranceSummary),
    entry(contributions::PersonalAccountStatement),
    entry(pensions::AwardPension),
    entry(pensions::GetPensionAward),
    entry(pensions::RunPensionPayout),
    entry(pensions::CreditPensionInterest),
    entry(certificates::IssueCertificate),
    entry(certificates::CertificatePdf),
    entry(certificates::VerifyCertificate),
    entry(certificates::VerifyCertificateDocument),
    entry(calculators::CalcRetirement),
    entry(calculators::CalcPension),
    entry(calculators::CalcContribution),
];

/// Declaration files, and certificates sent back to be verified, may be larger than ordinary
/// requests: up to 200,000 rows.
const DECLARATION_BODY_LIMIT_BYTES: usize = 16 * 1024 * 1024;

/// Declares one operation: its unit struct and its [`super::Operation`] (spec, access, the
/// kinds of its path, query, body and answer, and `call`). A macro because the area's
/// twenty-six operations differ only in those parts. Most call one application method as the
/// signed-in actor and answer its result as JSON: `signed |app, actor, input| app.method(..)`
/// says only which method, with what.
macro_rules! operation {
    (
        $(#[$doc:meta])*
        $name:ident: $spec:expr, $access:expr;
        path $path:ty, query $query:ty, body $body:ty => Json<$answer:ty>;
        signed |$app:ident, $actor:ident, $input:ident| $call:expr
    ) => {
        operation! {
            $(#[$doc])*
            $name: $spec, $access;
            path $path, query $query, body $body => $crate::api::kinds::Json<$answer>;
            |shared, input| {
                let ($actor, $input) = $crate::api::insurance::signed(input)?;
                let $app = &shared.app;
                Ok($crate::api::kinds::Json($call?))
            }
        }
    };
    (
        $(#[$doc:meta])*
        $name:ident: $spec:expr, $access:expr;
        path $path:ty, query $query:ty, body $body:ty => $answer:ty;
        |$shared:pat_param, $input:pat_param| $call:expr
    ) => {
        $(#[$doc])*
        pub(crate) struct $name;

        impl $crate::api::Operation for $name {
            const SPEC: $crate::api::Spec = $spec;
            const ACCESS: $crate::api::Access = $access;
            type Path = $path;
            type Query = $query;
            type Body = $body;
            type Answer = $answer;

            fn call(
                $shared: &$crate::Shared,
                $input: $crate::api::In<Self>,
            ) -> Result<Self::Answer, $crate::problem::Problem> {
                $call
            }
        }
    };
}
use operation;

/// The signed-in actor taken out of `input`, so its body can move into the call while the
/// key and path are borrowed.
fn signed<O: super::Operation>(
    mut input: super::In<O>,
) -> Result<(shebao_app::Actor, super::In<O>), shebao_app::AppError> {
    let actor = input
        .actor
        .take()
        .ok_or(shebao_app::AppError::Unauthenticated)?;
    Ok((actor, input))
}
