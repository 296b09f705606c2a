//! Who may do what. Deny by default: an operation is allowed to a role only if the table
//! below names the pair. Scope (a teller's own bank, a holder's own card) is checked by the
//! application after this table says yes.

use crate::ids::{BankId, BranchId, EmployerId, PersonId};

/// The kinds of user. Staff roles are bound to nothing (administrator, clerk, auditor) or to a
/// bank branch (teller) or a bank (bank system, a machine client); a cardholder to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Administrator,
    BureauClerk,
    BankTeller,
    BankSystem,
    Auditor,
    Cardholder,
    /// Staff of an insured unit, bound to that employer.
    Employer,
    /// A hospital's or pharmacy's cashier (or its system), bound to that institution.
    Cashier,
    /// The secretary of the region's labour-ability appraisal committee: keeps the expert
    /// pool, draws panels and records their conclusions; bound to nothing.
    AppraisalSecretary,
    /// Staff of a registered vocational-training provider, bound to that provider.
    TrainingProvider,
    /// The bureau's card production desk: vendors, products, the gate, the region's keys
    /// (by id only); bound to nothing.
    ProductionOfficer,
    /// Staff of a certified card vendor, bound to that vendor.
    CardVendor,
}

impl Role {
    pub const ALL: [Role; 12] = [
        Role::Administrator,
        Role::BureauClerk,
        Role::BankTeller,
        Role::BankSystem,
        Role::Auditor,
        Role::Cardholder,
        Role::Employer,
        Role::Cashier,
        Role::AppraisalSecretary,
        Role::TrainingProvider,
        Role::ProductionOfficer,
        Role::CardVendor,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::BureauClerk => "bureau_clerk",
            Role::BankTeller => "bank_teller",
            Role::BankSystem => "bank_system",
            Role::Auditor => "auditor",
            Role::Cardholder => "cardholder",
            Role::Employer => "employer",
            Role::Cashier => "cashier",
            Role::AppraisalSecretary => "appraisal_secretary",
            Role::TrainingProvider => "training_provider",
            Role::ProductionOfficer => "production_officer",
            Role::CardVendor => "card_vendor",
        }
    }

    pub fn parse(input: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == input)
    }
}

/// What a login is bound to; which parts are set follows from its role: a teller's bank and
/// branch, a bank system's bank, a holder's person, an employer user's unit, a cashier's
/// institution, a training provider's staff their provider, nothing for bureau staff. The application checks it after [`permits`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub bank_id: Option<BankId>,
    pub branch_id: Option<BranchId>,
    pub person_id: Option<PersonId>,
    pub employer_id: Option<EmployerId>,
    /// For a hospital or pharmacy cashier: the institution.
    pub institution_id: Option<String>,
    /// For a training provider's staff: the provider.
    pub provider_id: Option<String>,
    /// For a card vendor's staff: the vendor.
    pub vendor_id: Option<String>,
}

/// Every operation the application offers. Adding one without a row in [`permits`] leaves
/// it denied to everybody, and the access matrix test names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    ManageRegions,
    ManageBanks,
    ManageUsers,
    /// Open a holder login at a bureau window, or reset its password (issue 13, finding 6).
    ManageHolderLogins,
    ReadReference,
    RegisterPerson,
    ReadPerson,
    CorrectPerson,
    UnmaskPerson,
    ApplyCard,
    IssueTemporaryCard,
    RecordProduction,
    CollectCard,
    ReadCard,
    ActivateFinancial,
    VerifySocialPin,
    ChangeSocialPin,
    UnlockSocialPin,
    UnlockFinancialPin,
    ReportTemporaryLoss,
    ReportFormalLoss,
    CancelLoss,
    RequestReplacement,
    RequestRenewal,
    ReturnTemporaryCard,
    CancelCard,
    ReadAccount,
    Deposit,
    Withdraw,
    Purchase,
    CreditBenefit,
    /// Many card credits and debits in one request; each is also authorised on its own.
    SubmitBatch,
    Transfer,
    ReverseTransfer,
    /// The approval requests waiting in the actor's organisation (issue 13, maker-checker).
    ReadApprovals,
    /// Approving or rejecting another person's request of the actor's own role and
    /// organisation (issue 13, maker-checker).
    DecideApproval,
    ReadAudit,
    VerifyAudit,
    ManageEmployers,
    ReadEmployer,
    Enrol,
    Declare,
    RecordContributionPayment,
    /// An employer paying its own owed month from its bank account (issue 15, item 5).
    OrderContributionPayment,
    ReadContributions,
    AwardPension,
    RunPayouts,
    IssueCertificate,
    Calculate,
    ManageInstitutions,
    ManageCatalogue,
    QueryInsured,
    Settle,
    UndoSettlement,
    Reconcile,
    ReadSettlements,
    /// An employer posting and closing its own vacancies (issue 17).
    PostVacancy,
    /// The bureau's review of vacancies before they show.
    ReviewVacancy,
    /// Searching and reading published vacancies.
    SearchJobs,
    /// A holder's own job seeking: applications and profile.
    SeekJobs,
    /// Reading a vacancy's applicants.
    ReadApplicants,
    /// An employer recording an applicant's interview or hire.
    RecordHiringOutcome,
    /// An employer reporting that a person left (issue 17, unemployment).
    ReportLeaver,
    /// Registering as unemployed: a holder for themselves, the bureau at its window.
    RegisterUnemployed,
    /// The bureau deciding unemployment claims, stopping benefits and recording frauds.
    DecideBenefits,
    /// The bureau referring registered unemployed persons to vacancies, and the outcomes.
    ReferJobSeeker,
    /// Reading a person's benefit record (spells, payments, referrals, receivables).
    ReadBenefits,
    /// Applying for the maternity allowance: the insured person, their employer, or the
    /// bureau at its window.
    ClaimMaternity,
    /// Applying for the recognition of a work injury: the employer for its employee, the
    /// worker for themself, the bureau at its window (also for the family).
    ApplyInjury,
    /// Keeping the region's pool of appraisal experts.
    ManageExperts,
    /// Drawing an appraisal panel and recording its conclusion.
    AppraiseInjury,
    /// Registering vocational-training providers.
    ManageTrainingProviders,
    /// A provider posting its courses and reading them.
    PostCourse,
    /// The bureau's review of courses before holders may enrol.
    ReviewCourse,
    /// Reading the courses open for enrolment.
    SearchCourses,
    /// A holder enrolling in a course, or withdrawing.
    EnrolInTraining,
    /// A provider reading its trainees and recording attendance and completion.
    RecordTraining,
    /// The bureau paying a completion's training subsidy.
    PayTrainingSubsidy,
    /// Registering card vendors, recording their credentials, products and changes.
    ManageCardVendors,
    /// Reading vendors, products and gates (a vendor its own).
    ReadProduction,
    /// Recording the gate's approvals and the test cards' audits.
    RecordGate,
    /// A vendor recording a test card it made.
    SubmitTestCard,
    /// Reading the region's master keys by id.
    ReadCardKeys,
    /// Creating or rotating a region's master key.
    ManageCardKeys,
    /// Grouping applied cards into a production batch for a vendor.
    ManageBatches,
    /// A vendor reporting its batches' cards produced or failed, and shipping them.
    ReportProduction,
    /// A vendor registering its key for sealing personalisation files.
    RegisterSealingKey,
    /// A vendor downloading the sealed parts of its batches' personalisation files.
    DownloadPersonalisation,
    /// Registering a region's pick-up points.
    ManageDistribution,
    /// Reading a region's pick-up points.
    ReadPickupPoints,
    /// Reading a point's shipments and the cards waiting there too long.
    ReadDistribution,
    /// A point's staff counting a shipment and recalling uncollected cards.
    ReceiveShipment,
    /// A holder reading their own notices.
    ReadNotifications,
    /// Reading the text messages queued for the gateway and marking them sent.
    ManageSmsOutbox,
    /// Choosing the pick-up point a card is sent to (the holder, or the clerk for them).
    ChooseCollectionPoint,
    /// Personalising an applied card on the spot at an equipped bank branch.
    IssueInstantly,
    /// A bank's own card system listing its applied cards without a bank card number and
    /// assigning each its number.
    AssignBankCardNumber,
    /// A holder collecting, in their own session, a card the carrier delivered into their
    /// hands (choosing the social PIN).
    CollectMailedCard,
    /// A holder taking an electronic card for their own card (confirmed with its social PIN).
    IssueECard,
    /// Revoking an electronic card: the holder their own, a clerk anyone's.
    RevokeECard,
    /// Checking an electronic card's code online (a look-up of its holder; a payment code's
    /// one use).
    VerifyECardCode,
}

impl Operation {
    pub const ALL: [Operation; 101] = [
        Operation::ManageRegions,
        Operation::ManageBanks,
        Operation::ManageUsers,
        Operation::ManageHolderLogins,
        Operation::ReadReference,
        Operation::RegisterPerson,
        Operation::ReadPerson,
        Operation::CorrectPerson,
        Operation::UnmaskPerson,
        Operation::ApplyCard,
        Operation::IssueTemporaryCard,
        Operation::RecordProduction,
        Operation::CollectCard,
        Operation::ReadCard,
        Operation::ActivateFinancial,
        Operation::VerifySocialPin,
        Operation::ChangeSocialPin,
        Operation::UnlockSocialPin,
        Operation::UnlockFinancialPin,
        Operation::ReportTemporaryLoss,
        Operation::ReportFormalLoss,
        Operation::CancelLoss,
        Operation::RequestReplacement,
        Operation::RequestRenewal,
        Operation::ReturnTemporaryCard,
        Operation::CancelCard,
        Operation::ReadAccount,
        Operation::Deposit,
        Operation::Withdraw,
        Operation::Purchase,
        Operation::CreditBenefit,
        Operation::SubmitBatch,
        Operation::Transfer,
        Operation::ReverseTransfer,
        Operation::ReadApprovals,
        Operation::DecideApproval,
        Operation::ReadAudit,
        Operation::VerifyAudit,
        Operation::ManageEmployers,
        Operation::ReadEmployer,
        Operation::Enrol,
        Operation::Declare,
        Operation::RecordContributionPayment,
        Operation::OrderContributionPayment,
        Operation::ReadContributions,
        Operation::AwardPension,
        Operation::RunPayouts,
        Operation::IssueCertificate,
        Operation::Calculate,
        Operation::ManageInstitutions,
        Operation::ManageCatalogue,
        Operation::QueryInsured,
        Operation::Settle,
        Operation::UndoSettlement,
        Operation::Reconcile,
        Operation::ReadSettlements,
        Operation::PostVacancy,
        Operation::ReviewVacancy,
        Operation::SearchJobs,
        Operation::SeekJobs,
        Operation::ReadApplicants,
        Operation::RecordHiringOutcome,
        Operation::ReportLeaver,
        Operation::RegisterUnemployed,
        Operation::DecideBenefits,
        Operation::ReferJobSeeker,
        Operation::ReadBenefits,
        Operation::ClaimMaternity,
        Operation::ApplyInjury,
        Operation::ManageExperts,
        Operation::AppraiseInjury,
        Operation::ManageTrainingProviders,
        Operation::PostCourse,
        Operation::ReviewCourse,
        Operation::SearchCourses,
        Operation::EnrolInTraining,
        Operation::RecordTraining,
        Operation::PayTrainingSubsidy,
        Operation::ManageCardVendors,
        Operation::ReadProduction,
        Operation::RecordGate,
        Operation::SubmitTestCard,
        Operation::ReadCardKeys,
        Operation::ManageCardKeys,
        Operation::ManageBatches,
        Operation::ReportProduction,
        Operation::RegisterSealingKey,
        Operation::DownloadPersonalisation,
        Operation::ManageDistribution,
        Operation::ReadPickupPoints,
        Operation::ReadDistribution,
        Operation::ReceiveShipment,
        Operation::ReadNotifications,
        Operation::ManageSmsOutbox,
        Operation::ChooseCollectionPoint,
        Operation::IssueInstantly,
        Operation::AssignBankCardNumber,
        Operation::CollectMailedCard,
        Operation::IssueECard,
        Operation::RevokeECard,
        Operation::VerifyECardCode,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Operation::ManageRegions => "manage_regions",
            Operation::ManageBanks => "manage_banks",
            Operation::ManageUsers => "manage_users",
            Operation::ManageHolderLogins => "manage_holder_logins",
            Operation::ReadReference => "read_reference",
            Operation::RegisterPerson => "register_person",
            Operation::ReadPerson => "read_person",
            Operation::CorrectPerson => "correct_person",
            Operation::UnmaskPerson => "unmask_person",
            Operation::ApplyCard => "apply_card",
            Operation::IssueTemporaryCard => "issue_temporary_card",
            Operation::RecordProduction => "record_production",
            Operation::CollectCard => "collect_card",
            Operation::ReadCard => "read_card",
            Operation::ActivateFinancial => "activate_financial",
            Operation::VerifySocialPin => "verify_social_pin",
            Operation::ChangeSocialPin => "change_social_pin",
            Operation::UnlockSocialPin => "unlock_social_pin",
            Operation::UnlockFinancialPin => "unlock_financial_pin",
            Operation::ReportTemporaryLoss => "report_temporary_loss",
            Operation::ReportFormalLoss => "report_formal_loss",
            Operation::CancelLoss => "cancel_loss",
            Operation::RequestReplacement => "request_replacement",
            Operation::RequestRenewal => "request_renewal",
            Operation::ReturnTemporaryCard => "return_temporary_card",
            Operation::CancelCard => "cancel_card",
            Operation::ReadAccount => "read_account",
            Operation::Deposit => "deposit",
            Operation::Withdraw => "withdraw",
            Operation::Purchase => "purchase",
            Operation::CreditBenefit => "credit_benefit",
            Operation::SubmitBatch => "submit_batch",
            Operation::Transfer => "transfer",
            Operation::ReverseTransfer => "reverse_transfer",
            Operation::ReadApprovals => "read_approvals",
            Operation::DecideApproval => "decide_approval",
            Operation::ReadAudit => "read_audit",
            Operation::VerifyAudit => "verify_audit",
            Operation::ManageEmployers => "manage_employers",
            Operation::ReadEmployer => "read_employer",
            Operation::Enrol => "enrol",
            Operation::Declare => "declare",
            Operation::RecordContributionPayment => "record_contribution_payment",
            Operation::OrderContributionPayment => "order_contribution_payment",
            Operation::ReadContributions => "read_contributions",
            Operation::AwardPension => "award_pension",
            Operation::RunPayouts => "run_payouts",
            Operation::IssueCertificate => "issue_certificate",
            Operation::Calculate => "calculate",
            Operation::ManageInstitutions => "manage_institutions",
            Operation::ManageCatalogue => "manage_catalogue",
            Operation::QueryInsured => "query_insured",
            Operation::Settle => "settle",
            Operation::UndoSettlement => "undo_settlement",
            Operation::Reconcile => "reconcile",
            Operation::ReadSettlements => "read_settlements",
            Operation::PostVacancy => "post_vacancy",
            Operation::ReviewVacancy => "review_vacancy",
            Operation::SearchJobs => "search_jobs",
            Operation::SeekJobs => "seek_jobs",
            Operation::ReadApplicants => "read_applicants",
            Operation::RecordHiringOutcome => "record_hiring_outcome",
            Operation::ReportLeaver => "report_leaver",
            Operation::RegisterUnemployed => "register_unemployed",
            Operation::DecideBenefits => "decide_benefits",
            Operation::ReferJobSeeker => "refer_job_seeker",
            Operation::ReadBenefits => "read_benefits",
            Operation::ClaimMaternity => "claim_maternity",
            Operation::ApplyInjury => "apply_injury",
            Operation::ManageExperts => "manage_experts",
            Operation::AppraiseInjury => "appraise_injury",
            Operation::ManageTrainingProviders => "manage_training_providers",
            Operation::PostCourse => "post_course",
            Operation::ReviewCourse => "review_course",
            Operation::SearchCourses => "search_courses",
            Operation::EnrolInTraining => "enrol_in_training",
            Operation::RecordTraining => "record_training",
            Operation::PayTrainingSubsidy => "pay_training_subsidy",
            Operation::ManageCardVendors => "manage_card_vendors",
            Operation::ReadProduction => "read_production",
            Operation::RecordGate => "record_gate",
            Operation::SubmitTestCard => "submit_test_card",
            Operation::ReadCardKeys => "read_card_keys",
            Operation::ManageCardKeys => "manage_card_keys",
            Operation::ManageBatches => "manage_batches",
            Operation::ReportProduction => "report_production",
            Operation::RegisterSealingKey => "register_sealing_key",
            Operation::DownloadPersonalisation => "download_personalisation",
            Operation::ManageDistribution => "manage_distribution",
            Operation::ReadPickupPoints => "read_pickup_points",
            Operation::ReadDistribution => "read_distribution",
            Operation::ReceiveShipment => "receive_shipment",
            Operation::ReadNotifications => "read_notifications",
            Operation::ManageSmsOutbox => "manage_sms_outbox",
            Operation::ChooseCollectionPoint => "choose_collection_point",
            Operation::CollectMailedCard => "collect_mailed_card",
            Operation::IssueInstantly => "issue_instantly",
            Operation::AssignBankCardNumber => "assign_bank_card_number",
            Operation::IssueECard => "issue_ecard",
            Operation::RevokeECard => "revoke_ecard",
            Operation::VerifyECardCode => "verify_ecard_code",
        }
    }
}

/// The permission table: per role, the operations it may do. Anything not listed is denied.
#[must_use]
pub fn permits(role: Role, operation: Operation) -> bool {
    allowed(role).contains(&operation)
}

/// The operations `role` is allowed: its row of the table.
const fn allowed(role: Role) -> &'static [Operation] {
    match role {
        Role::Administrator => ADMINISTRATOR,
        Role::BureauClerk => BUREAU_CLERK,
        Role::BankTeller => BANK_TELLER,
        Role::BankSystem => BANK_SYSTEM,
        Role::Auditor => AUDITOR,
        Role::Cardholder => CARDHOLDER,
        Role::Employer => EMPLOYER,
        Role::Cashier => CASHIER,
        Role::AppraisalSecretary => APPRAISAL_SECRETARY,
        Role::TrainingProvider => TRAINING_PROVIDER,
        Role::ProductionOfficer => PRODUCTION_OFFICER,
        Role::CardVendor => CARD_VENDOR,
    }
}

// The rows below name operations by this short alias only.
use Operation as O;

/// The administrator keeps the reference data, the banks, the users and the catalogue; no
/// personal data and no money.
const ADMINISTRATOR: &[Operation] = &[
    O::ManageRegions,
    O::ManageBanks,
    O::ManageUsers,
    O::ReadReference,
    O::ManageCatalogue,
    O::ManageSmsOutbox,
];

/// A bureau clerk: persons, cards, benefits, approvals, employers, contributions, pensions
/// and medical institutions; no deposit, withdrawal, payment or financial activation.
const BUREAU_CLERK: &[Operation] = &[
    O::ReadReference,
    O::ManageHolderLogins,
    O::RegisterPerson,
    O::ReadPerson,
    O::CorrectPerson,
    O::UnmaskPerson,
    O::ApplyCard,
    O::IssueTemporaryCard,
    O::RecordProduction,
    O::CollectCard,
    O::ReadCard,
    O::VerifySocialPin,
    O::UnlockSocialPin,
    O::ReportTemporaryLoss,
    O::ReportFormalLoss,
    O::CancelLoss,
    O::RequestReplacement,
    O::RequestRenewal,
    O::ReturnTemporaryCard,
    O::CancelCard,
    O::ReadAccount,
    O::CreditBenefit,
    O::SubmitBatch,
    O::ReadApprovals,
    O::DecideApproval,
    O::ManageEmployers,
    O::ReadEmployer,
    O::Enrol,
    O::Declare,
    O::RecordContributionPayment,
    O::ReadContributions,
    O::AwardPension,
    O::RunPayouts,
    O::IssueCertificate,
    O::Calculate,
    O::ManageInstitutions,
    O::ReadSettlements,
    O::Reconcile,
    O::ReviewVacancy,
    O::SearchJobs,
    O::ReadApplicants,
    O::ReportLeaver,
    O::RegisterUnemployed,
    O::DecideBenefits,
    O::ReferJobSeeker,
    O::ReadBenefits,
    O::ClaimMaternity,
    O::ApplyInjury,
    O::ManageTrainingProviders,
    O::ReviewCourse,
    O::SearchCourses,
    O::PayTrainingSubsidy,
    O::ReadPickupPoints,
    O::ReadDistribution,
    O::ReceiveShipment,
    O::ChooseCollectionPoint,
    O::RevokeECard,
    O::VerifyECardCode,
];

/// A teller acts for their own bank only; the application checks the bank.
const BANK_TELLER: &[Operation] = &[
    O::ReadReference,
    O::ReadPerson,
    O::ReadCard,
    O::CollectCard,
    O::ActivateFinancial,
    O::UnlockSocialPin,
    O::UnlockFinancialPin,
    O::ReportTemporaryLoss,
    O::ReportFormalLoss,
    O::CancelLoss,
    O::ReadAccount,
    O::Deposit,
    O::Withdraw,
    O::SubmitBatch,
    O::ReverseTransfer,
    O::ReadApprovals,
    O::DecideApproval,
    O::ReadPickupPoints,
    O::ReadDistribution,
    O::ReceiveShipment,
    O::IssueInstantly,
    O::VerifyECardCode,
];

/// A bank's own systems: card payments and transfers for that bank's cards.
const BANK_SYSTEM: &[Operation] = &[
    O::ReadCard,
    O::ReadAccount,
    O::Purchase,
    O::Transfer,
    O::SubmitBatch,
    O::VerifySocialPin,
    O::AssignBankCardNumber,
];

/// The auditor reads and verifies the audit trail and reference data, and reads benefit
/// records (issue 17: "auditor reads"), each look-up audited, and the production desk's records
/// (vendors, products, gates, key ids; issue 18); nothing else.
const AUDITOR: &[Operation] = &[
    O::ReadAudit,
    O::VerifyAudit,
    O::ReadReference,
    O::ReadBenefits,
    O::ReadProduction,
    O::ReadCardKeys,
    O::ReadPickupPoints,
    O::ReadDistribution,
];

/// A holder acts on their own records only; the application checks ownership.
const CARDHOLDER: &[Operation] = &[
    O::ReadPerson,
    O::UnmaskPerson,
    O::ReadCard,
    O::ReadAccount,
    O::ChangeSocialPin,
    O::ReportTemporaryLoss,
    O::CancelLoss,
    O::ReadContributions,
    O::IssueCertificate,
    O::ReadSettlements,
    O::ReadReference,
    O::SearchJobs,
    O::SeekJobs,
    O::RegisterUnemployed,
    O::ReadBenefits,
    O::ClaimMaternity,
    O::ApplyInjury,
    O::SearchCourses,
    O::EnrolInTraining,
    O::ReadPickupPoints,
    O::ReadNotifications,
    O::ChooseCollectionPoint,
    O::CollectMailedCard,
    O::IssueECard,
    O::RevokeECard,
];

/// Staff of an insured unit act for their own unit only; the application checks it.
const EMPLOYER: &[Operation] = &[
    O::ReadEmployer,
    O::Enrol,
    O::Declare,
    O::OrderContributionPayment,
    O::ReadContributions,
    O::Calculate,
    O::ReadReference,
    O::PostVacancy,
    O::SearchJobs,
    O::ReadApplicants,
    O::RecordHiringOutcome,
    O::ReportLeaver,
    O::ClaimMaternity,
    O::ApplyInjury,
];

/// A cashier acts for their own institution only; the application checks it. A
/// person's settlement history is not theirs to read (their own bills are, through
/// reconciliation).
const CASHIER: &[Operation] = &[
    O::QueryInsured,
    O::Settle,
    O::UndoSettlement,
    O::Reconcile,
    O::VerifyECardCode,
];

/// The appraisal committee's secretary keeps the expert pool, draws panels and records
/// conclusions; no person's record beyond the cases before the committee, and no money.
const APPRAISAL_SECRETARY: &[Operation] = &[O::ReadReference, O::ManageExperts, O::AppraiseInjury];

/// A training provider's staff post their own courses and record their own trainees'
/// attendance and completion; the subsidy is the bureau's to pay.
const TRAINING_PROVIDER: &[Operation] = &[O::ReadReference, O::PostCourse, O::RecordTraining];

/// The bureau's production desk: vendors, products, the gate's approvals and audits, and the
/// region's master keys by id; no person, no money.
const PRODUCTION_OFFICER: &[Operation] = &[
    O::ReadReference,
    O::ManageCardVendors,
    O::ReadProduction,
    O::RecordGate,
    O::ReadCardKeys,
    O::ManageCardKeys,
    O::ManageBatches,
    O::ManageDistribution,
    O::ReadPickupPoints,
    O::ReadDistribution,
];

/// A card vendor's staff read their own vendor's standing, products, gates and batches,
/// record the test cards they make, register their sealing key, download their batches'
/// sealed personalisation files and report and ship their batches' cards; the audits, the
/// batches and their files themselves are the bureau's.
const CARD_VENDOR: &[Operation] = &[
    O::ReadReference,
    O::ReadProduction,
    O::SubmitTestCard,
    O::ReportProduction,
    O::RegisterSealingKey,
    O::DownloadPersonalisation,
];

#[cfg(test)]
mod tests;
