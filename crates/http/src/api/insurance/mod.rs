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
    entry(contributions::OrderContributionPayment),
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
    entry(calculators::CalcUnemployment),
    entry(calculators::CalcInjury),
    entry(calculators::CalcDeath),
    entry(calculators::CalcMaternity),
];
