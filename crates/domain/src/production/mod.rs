//! Card production (issue 18; production.md, Measures Arts. 11-12): a certified vendor's
//! standing (its licences, the secure-environment attestation and the PSAM filing, each
//! valid through a day), its products (card generation, chip, operating system, card face
//! and file structure, each change a new revision), the gate a product must pass in a
//! region before formal production — the ministry-side approvals and the three audits of
//! every test card — and the key hierarchy (ministry → province → city) the region's master
//! keys are named by. The cryptography itself is the application's key store's: here only
//! what a key is called and where it sits.

use crate::time::Date;

pub mod batch;
pub mod distribution;
#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests;

/// The longest vendor or product name, and the longest free text of a product field.
pub const NAME_CHARS_MAX: usize = 100;
/// The longest licence or approval number.
pub const REFERENCE_CHARS_MAX: usize = 64;
/// A PSAM filing lasts two years from the day it is filed and is then filed again
/// (production.md: "PSAM vendors … re-file every 2 years"). A national rule, the same for
/// every region, so not a region parameter.
pub const PSAM_FILING_YEARS: i32 = 2;
/// The longest a licence or attestation may be recorded as valid, in years from its issue.
pub const CREDENTIAL_YEARS_MAX: i32 = 10;
/// How many days ahead of an expiry the production desk is warned.
pub const EXPIRY_NOTICE_DAYS: i64 = 90;
/// The most test cards one gate takes for one revision.
pub const TEST_CARDS_MAX: usize = 20;

/// Why the domain refuses a production step. The codes are part of the public API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProductionRefusal {
    /// A field is missing, malformed or out of range; `field` names it.
    Invalid {
        field: &'static str,
        reason: &'static str,
    },
    /// The vendor's standing stops production: a licence, the attestation or the PSAM
    /// filing is missing or expired.
    VendorNotCertified { issue: StandingIssue },
    /// The product's gate in the region is not passed (or re-opened by a change): `step` is
    /// the first step missing.
    GateNotPassed { step: GateStep },
    /// A test card's audit was already recorded, or the gate is passed and takes no more
    /// test cards for this revision.
    AlreadyRecorded { what: &'static str },
    /// The thing is not in a state the action applies to; `reason` says why.
    WrongState { reason: &'static str },
    /// A pick-up point's places are all taken (by cards waiting there or chosen for it).
    PointFull { capacity: i64 },
}

impl ProductionRefusal {
    /// The stable machine code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            ProductionRefusal::Invalid { .. } => "invalid_production",
            ProductionRefusal::VendorNotCertified { .. } => "vendor_not_certified",
            ProductionRefusal::GateNotPassed { .. } => "gate_not_passed",
            ProductionRefusal::AlreadyRecorded { .. } => "already_recorded",
            ProductionRefusal::WrongState { .. } => "wrong_state",
            ProductionRefusal::PointFull { .. } => "point_full",
        }
    }
}

impl std::fmt::Display for ProductionRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProductionRefusal::Invalid { field, reason } => write!(f, "{field}: {reason}"),
            ProductionRefusal::VendorNotCertified { issue } => {
                write!(f, "the vendor may not produce: {issue}")
            }
            ProductionRefusal::GateNotPassed { step } => {
                write!(
                    f,
                    "the product has not passed the gate in this region: {step}"
                )
            }
            ProductionRefusal::AlreadyRecorded { what } => write!(f, "{what} is already recorded"),
            ProductionRefusal::WrongState { reason } => f.write_str(reason),
            ProductionRefusal::PointFull { capacity } => write!(
                f,
                "the pick-up point's {capacity} places are all taken: choose another point"
            ),
        }
    }
}

impl std::error::Error for ProductionRefusal {}

fn invalid(field: &'static str, reason: &'static str) -> ProductionRefusal {
    ProductionRefusal::Invalid { field, reason }
}

/// `input` trimmed, 1 to `max` characters, no control character.
pub fn text(input: &str, field: &'static str, max: usize) -> Result<String, ProductionRefusal> {
    let trimmed = input.trim();
    let count = trimmed.chars().count();
    if count == 0 || count > max || trimmed.chars().any(char::is_control) {
        return Err(invalid(
            field,
            "1 to the allowed number of characters, no control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

/// What a vendor holds to be allowed to make cards: three licences, the attestation of its
/// secure production environment, and the filing of its security access modules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CredentialKind {
    /// The ministry's licence to make social security cards.
    CardProduction,
    /// The bank-card (UnionPay) manufacturing certification: the card carries a bank account.
    BankCard,
    /// The commercial-cryptography licence.
    CommercialCryptography,
    /// The attestation that the production environment meets the ministry's requirements.
    SecureEnvironment,
    /// The PSAM (security access module) filing, renewed every two years.
    PsamFiling,
}

impl CredentialKind {
    pub const ALL: [CredentialKind; 5] = [
        CredentialKind::CardProduction,
        CredentialKind::BankCard,
        CredentialKind::CommercialCryptography,
        CredentialKind::SecureEnvironment,
        CredentialKind::PsamFiling,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            CredentialKind::CardProduction => "card_production",
            CredentialKind::BankCard => "bank_card",
            CredentialKind::CommercialCryptography => "commercial_cryptography",
            CredentialKind::SecureEnvironment => "secure_environment",
            CredentialKind::PsamFiling => "psam_filing",
        }
    }

    pub fn parse(input: &str) -> Option<CredentialKind> {
        CredentialKind::ALL
            .into_iter()
            .find(|k| k.as_str() == input)
    }
}

/// A credential as recorded: its number, the day it was issued (filed, for the PSAM
/// filing) and the last day it is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub kind: CredentialKind,
    pub number: String,
    pub issued_on: Date,
    pub valid_until: Date,
}

impl Credential {
    /// Checks a credential being recorded on `today`: a number, issued by today, valid
    /// after its issue and, for a PSAM filing, for at most two years (through the day
    /// before the second anniversary); other credentials for at most ten.
    pub fn check(
        kind: CredentialKind,
        number: &str,
        issued_on: Date,
        valid_until: Date,
        today: Date,
    ) -> Result<Credential, ProductionRefusal> {
        let number = text(number, "number", REFERENCE_CHARS_MAX)?;
        if issued_on > today {
            return Err(invalid("issued_on", "a day that has come"));
        }
        if valid_until <= issued_on {
            return Err(invalid("valid_until", "a day after the day of issue"));
        }
        let years = if kind == CredentialKind::PsamFiling {
            PSAM_FILING_YEARS
        } else {
            CREDENTIAL_YEARS_MAX
        };
        if valid_until > last_day_of_term(issued_on, years) {
            return Err(if kind == CredentialKind::PsamFiling {
                invalid("valid_until", "a PSAM filing lasts at most two years")
            } else {
                invalid("valid_until", "at most ten years after the day of issue")
            });
        }
        Ok(Credential {
            kind,
            number,
            issued_on,
            valid_until,
        })
    }
}

/// The last day of a term of `years` from `first`: the day before its anniversary; a term
/// from 29 February ends on the 28th (the anniversary being 1 March in a common year).
fn last_day_of_term(first: Date, years: i32) -> Date {
    let anniversary = first.add_years(years);
    if anniversary.day() == first.day() {
        anniversary.add_days(-1)
    } else {
        anniversary
    }
}

/// What stops a vendor from producing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StandingIssue {
    Missing(CredentialKind),
    /// Expired: its last valid day.
    Expired(CredentialKind, Date),
}

impl StandingIssue {
    pub fn kind(self) -> CredentialKind {
        match self {
            StandingIssue::Missing(kind) | StandingIssue::Expired(kind, _) => kind,
        }
    }
}

impl std::fmt::Display for StandingIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StandingIssue::Missing(kind) => write!(f, "no {} on record", kind.as_str()),
            StandingIssue::Expired(kind, on) => {
                write!(f, "the {} expired after {on}", kind.as_str())
            }
        }
    }
}

/// A vendor's standing on `today`, from every credential it ever recorded: for each kind the
/// one recorded last counts, so a renewal, a correction or a revocation (recorded again with
/// an earlier last day) takes effect at once. Production needs every kind valid today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// For each kind, in [`CredentialKind::ALL`] order, the last day it is valid, if any.
    pub valid_until: [(CredentialKind, Option<Date>); 5],
}

impl Standing {
    /// The standing of `credentials`, in the order they were recorded.
    #[must_use]
    pub fn of(credentials: &[Credential]) -> Standing {
        Standing {
            valid_until: CredentialKind::ALL.map(|kind| {
                let last = credentials
                    .iter()
                    .rev()
                    .find(|c| c.kind == kind)
                    .map(|c| c.valid_until);
                (kind, last)
            }),
        }
    }

    /// Everything that stops production on `today`, in [`CredentialKind::ALL`] order.
    #[must_use]
    pub fn issues(&self, today: Date) -> Vec<StandingIssue> {
        self.valid_until
            .iter()
            .filter_map(|(kind, last)| match last {
                None => Some(StandingIssue::Missing(*kind)),
                Some(last) if *last < today => Some(StandingIssue::Expired(*kind, *last)),
                Some(_) => None,
            })
            .collect()
    }

    /// The credentials valid today that lapse within [`EXPIRY_NOTICE_DAYS`]: the desk is
    /// warned before production stops.
    #[must_use]
    pub fn expiring(&self, today: Date) -> Vec<(CredentialKind, Date)> {
        let horizon = today.add_days(EXPIRY_NOTICE_DAYS);
        self.valid_until
            .iter()
            .filter_map(|(kind, last)| last.map(|last| (*kind, last)))
            .filter(|(_, last)| *last >= today && *last <= horizon)
            .collect()
    }

    /// Production may start on `today`, or the first issue that stops it.
    pub fn may_produce(&self, today: Date) -> Result<(), ProductionRefusal> {
        match self.issues(today).first() {
            Some(issue) => Err(ProductionRefusal::VendorNotCertified { issue: *issue }),
            None => Ok(()),
        }
    }
}

/// The card generations (identity.md: specification versions 1.00, 2.00, 3.00).
pub const GENERATIONS: [&str; 3] = ["1.00", "2.00", "3.00"];

/// What a product is: the card generation, the chip and its operating system, the card face
/// and the file structure, each with its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductTerms {
    pub name: String,
    pub generation: String,
    pub chip: String,
    pub operating_system: String,
    pub face_design: String,
    pub face_version: String,
    pub file_structure_version: String,
}

/// A version written as digits with dots, 1 to 16 characters (`1.0`, `2.3.1`).
fn version(input: &str, field: &'static str) -> Result<String, ProductionRefusal> {
    let trimmed = input.trim();
    let good = !trimmed.is_empty()
        && trimmed.len() <= 16
        && trimmed.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !trimmed.starts_with('.')
        && !trimmed.ends_with('.')
        && !trimmed.contains("..");
    if good {
        Ok(trimmed.to_owned())
    } else {
        Err(invalid(field, "a version of digits and dots, such as 1.0"))
    }
}

/// The pattern of a product's versions, for the API's schemas.
pub const VERSION_PATTERN: &str = r"^\s*[0-9]+(\.[0-9]+)*\s*$";

impl ProductTerms {
    /// Checks every field.
    pub fn check(self) -> Result<ProductTerms, ProductionRefusal> {
        let generation = self.generation.trim().to_owned();
        if !GENERATIONS.contains(&generation.as_str()) {
            return Err(invalid("generation", "1.00, 2.00 or 3.00"));
        }
        Ok(ProductTerms {
            name: text(&self.name, "name", NAME_CHARS_MAX)?,
            generation,
            chip: text(&self.chip, "chip", NAME_CHARS_MAX)?,
            operating_system: text(&self.operating_system, "operating_system", NAME_CHARS_MAX)?,
            face_design: text(&self.face_design, "face_design", NAME_CHARS_MAX)?,
            face_version: version(&self.face_version, "face_version")?,
            file_structure_version: version(
                &self.file_structure_version,
                "file_structure_version",
            )?,
        })
    }

    /// The terms after a change of `what` to `value`, checked: the change must change
    /// something.
    pub fn change(
        &self,
        what: ProductChange,
        value: &str,
    ) -> Result<ProductTerms, ProductionRefusal> {
        let mut next = self.clone();
        let field = match what {
            ProductChange::Chip => &mut next.chip,
            ProductChange::OperatingSystem => &mut next.operating_system,
            ProductChange::CardFace => &mut next.face_version,
            ProductChange::FileStructure => &mut next.file_structure_version,
        };
        *field = value.to_owned();
        let next = next.check()?;
        if next == *self {
            return Err(invalid("value", "the product already has this value"));
        }
        Ok(next)
    }

    /// The value a change of `what` concerns.
    #[must_use]
    pub fn value_of(&self, what: ProductChange) -> &str {
        match what {
            ProductChange::Chip => &self.chip,
            ProductChange::OperatingSystem => &self.operating_system,
            ProductChange::CardFace => &self.face_version,
            ProductChange::FileStructure => &self.file_structure_version,
        }
    }
}

/// A change of a product that needs a new approval (production.md: "any change of card
/// face, file structure, vendor or product"): each makes a new revision, whose gate starts
/// closed in every region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductChange {
    Chip,
    OperatingSystem,
    /// A new version of the card face design.
    CardFace,
    FileStructure,
}

impl ProductChange {
    pub const ALL: [ProductChange; 4] = [
        ProductChange::Chip,
        ProductChange::OperatingSystem,
        ProductChange::CardFace,
        ProductChange::FileStructure,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            ProductChange::Chip => "chip",
            ProductChange::OperatingSystem => "operating_system",
            ProductChange::CardFace => "card_face",
            ProductChange::FileStructure => "file_structure",
        }
    }

    pub fn parse(input: &str) -> Option<ProductChange> {
        ProductChange::ALL.into_iter().find(|c| c.as_str() == input)
    }
}

/// The ministry-side approvals a region records before it issues (production.md: the four
/// steps; the fourth is the test cards' universality test).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    Registration,
    KeyApplication,
    PsamApplication,
}

impl Approval {
    pub const ALL: [Approval; 3] = [
        Approval::Registration,
        Approval::KeyApplication,
        Approval::PsamApplication,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Approval::Registration => "registration_approval",
            Approval::KeyApplication => "key_application",
            Approval::PsamApplication => "psam_application",
        }
    }

    pub fn parse(input: &str) -> Option<Approval> {
        Approval::ALL.into_iter().find(|a| a.as_str() == input)
    }
}

/// The three audits every test card must pass (Art. 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditKind {
    StandardCompliance,
    Safety,
    Universality,
}

impl AuditKind {
    pub const ALL: [AuditKind; 3] = [
        AuditKind::StandardCompliance,
        AuditKind::Safety,
        AuditKind::Universality,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            AuditKind::StandardCompliance => "standard_compliance",
            AuditKind::Safety => "safety",
            AuditKind::Universality => "universality",
        }
    }

    pub fn parse(input: &str) -> Option<AuditKind> {
        AuditKind::ALL.into_iter().find(|a| a.as_str() == input)
    }
}

/// What the cross-regional universality test checks on a card (production.md), each once.
pub const UNIVERSALITY_CHECKS: [&str; 7] = [
    "application_files",
    "national_keys",
    "external_authentication",
    "read",
    "update",
    "internal_authentication",
    "medical_consumption",
];

/// The outcome of an audit as recorded: a universality test passes only when it names every
/// check of [`UNIVERSALITY_CHECKS`] once and every one passed; the other audits carry no
/// checks and pass as the auditors say.
pub fn audit_outcome(
    kind: AuditKind,
    passed: bool,
    checks: &[(String, bool)],
) -> Result<bool, ProductionRefusal> {
    if kind != AuditKind::Universality {
        if !checks.is_empty() {
            return Err(invalid(
                "checks",
                "only the universality test records checks",
            ));
        }
        return Ok(passed);
    }
    let named_once = checks.len() == UNIVERSALITY_CHECKS.len()
        && UNIVERSALITY_CHECKS
            .iter()
            .all(|name| checks.iter().filter(|(c, _)| c == name).count() == 1);
    if !named_once {
        return Err(invalid(
            "checks",
            "each of the seven universality checks exactly once",
        ));
    }
    let all_passed = checks.iter().all(|(_, ok)| *ok);
    if passed && !all_passed {
        return Err(invalid(
            "passed",
            "a universality test with a failed check did not pass",
        ));
    }
    Ok(passed)
}

/// One test card of a gate with the audits recorded so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCardAudits {
    pub serial: String,
    pub audits: Vec<(AuditKind, bool)>,
}

/// A step of the gate, the first missing one naming what is to be done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GateStep {
    Approval(Approval),
    /// No test card was made for this revision.
    TestCards,
    /// A test card's audit is not recorded yet.
    Audit {
        serial: String,
        kind: AuditKind,
    },
    /// A test card failed an audit: the product must change (a new revision) and be tested
    /// again.
    Failed {
        serial: String,
        kind: AuditKind,
    },
}

impl GateStep {
    /// The step's stable name.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            GateStep::Approval(approval) => approval.as_str(),
            GateStep::TestCards => "test_cards",
            GateStep::Audit { kind, .. } => kind.as_str(),
            GateStep::Failed { .. } => "test_card_failed",
        }
    }
}

impl std::fmt::Display for GateStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GateStep::Approval(approval) => write!(f, "the {} is not recorded", approval.as_str()),
            GateStep::TestCards => f.write_str("no test card was made for this revision"),
            GateStep::Audit { serial, kind } => {
                write!(f, "test card {serial} has no {} audit yet", kind.as_str())
            }
            GateStep::Failed { serial, kind } => write!(
                f,
                "test card {serial} failed the {} audit; the product must change and be tested again",
                kind.as_str()
            ),
        }
    }
}

/// The gate of one product revision in one region: open when the three approvals are
/// recorded and every test card made (at least one) passed all three audits; otherwise the
/// first step missing, in the order the region works through them. A failure anywhere
/// closes the gate for the revision even if other steps are missing.
pub fn gate(approvals: &[Approval], test_cards: &[TestCardAudits]) -> Result<(), GateStep> {
    for card in test_cards {
        if let Some((kind, _)) = card.audits.iter().find(|(_, passed)| !passed) {
            return Err(GateStep::Failed {
                serial: card.serial.clone(),
                kind: *kind,
            });
        }
    }
    if let Some(missing) = Approval::ALL.into_iter().find(|a| !approvals.contains(a)) {
        return Err(GateStep::Approval(missing));
    }
    if test_cards.is_empty() {
        return Err(GateStep::TestCards);
    }
    for card in test_cards {
        for kind in AuditKind::ALL {
            if !card.audits.iter().any(|(k, _)| *k == kind) {
                return Err(GateStep::Audit {
                    serial: card.serial.clone(),
                    kind,
                });
            }
        }
    }
    Ok(())
}

/// A test card may still be added to a gate: not once it is passed (the revision is
/// approved as tested) or closed by a failed audit (the product must change), nor beyond
/// [`TEST_CARDS_MAX`].
pub fn may_add_test_card(
    approvals: &[Approval],
    test_cards: &[TestCardAudits],
) -> Result<(), ProductionRefusal> {
    match gate(approvals, test_cards) {
        Ok(()) => {
            return Err(ProductionRefusal::AlreadyRecorded {
                what: "the passed gate of this revision",
            });
        }
        Err(GateStep::Failed { .. }) => {
            return Err(ProductionRefusal::AlreadyRecorded {
                what: "a failed audit of this revision (the product must change)",
            });
        }
        Err(_) => {}
    }
    if test_cards.len() >= TEST_CARDS_MAX {
        return Err(invalid("serial", "at most 20 test cards a revision"));
    }
    Ok(())
}

/// Formal production of a vendor's product in a region may start on `today`: the vendor's
/// standing first (it stops every product), then the gate.
pub fn may_produce(
    standing: &Standing,
    approvals: &[Approval],
    test_cards: &[TestCardAudits],
    today: Date,
) -> Result<(), ProductionRefusal> {
    standing.may_produce(today)?;
    gate(approvals, test_cards).map_err(|step| ProductionRefusal::GateNotPassed { step })
}

/// What a region's master key is for: the card's keys per function (the universality test's
/// external and internal authentication, update, and medical-consumption transactions) and
/// the PIN unlock key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyPurpose {
    ExternalAuthentication,
    InternalAuthentication,
    Update,
    Purchase,
    PinUnlock,
}

impl KeyPurpose {
    pub const ALL: [KeyPurpose; 5] = [
        KeyPurpose::ExternalAuthentication,
        KeyPurpose::InternalAuthentication,
        KeyPurpose::Update,
        KeyPurpose::Purchase,
        KeyPurpose::PinUnlock,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            KeyPurpose::ExternalAuthentication => "external_authentication",
            KeyPurpose::InternalAuthentication => "internal_authentication",
            KeyPurpose::Update => "update",
            KeyPurpose::Purchase => "purchase",
            KeyPurpose::PinUnlock => "pin_unlock",
        }
    }

    /// The three letters a key id carries.
    pub const fn code(self) -> &'static str {
        match self {
            KeyPurpose::ExternalAuthentication => "EXT",
            KeyPurpose::InternalAuthentication => "INT",
            KeyPurpose::Update => "UPD",
            KeyPurpose::Purchase => "PUR",
            KeyPurpose::PinUnlock => "PIN",
        }
    }

    pub fn parse(input: &str) -> Option<KeyPurpose> {
        KeyPurpose::ALL.into_iter().find(|p| p.as_str() == input)
    }
}

/// The code of the ministry's level in a key chain.
pub const MINISTRY: &str = "000000";

/// Where a region's master key sits: the ministry's key of the purpose and version,
/// diversified by the province, then by the city (the region). A province-level region
/// (a municipality such as 110000) is its own city.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyChain {
    pub purpose: KeyPurpose,
    pub version: u32,
    pub province: String,
    pub city: String,
}

impl KeyChain {
    /// The chain of a region's key; `region` is a 6-digit code.
    #[must_use]
    pub fn of(region: &str, purpose: KeyPurpose, version: u32) -> KeyChain {
        let province = format!("{}0000", region.get(..2).unwrap_or("00"));
        KeyChain {
            purpose,
            version,
            province,
            city: region.to_owned(),
        }
    }

    /// The key's id: region, purpose and version (`411600-EXT-v1`), which names a key and
    /// holds nothing of it.
    #[must_use]
    pub fn id(&self) -> String {
        format!("{}-{}-v{}", self.city, self.purpose.code(), self.version)
    }

    /// The levels, top down: `000000>410000>411600`.
    #[must_use]
    pub fn levels(&self) -> String {
        format!("{MINISTRY}>{}>{}", self.province, self.city)
    }
}
