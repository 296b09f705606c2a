//! The application's errors. Each has a stable machine code and an HTTP status; the HTTP
//! layer turns them into problem+json once. Internal causes keep their source chain for the
//! log ([`AppError::cause_chain`]), never sent.

use std::error::Error;
use std::fmt;
use std::sync::Arc;

use shebao_domain::Refusal;
use shebao_domain::insurance::InsuranceError;
use shebao_domain::person::identity::IdentityError;
use shebao_store::StoreError;

/// `Retry-After` of a `busy` answer: limits free up as the work in flight finishes, which
/// takes a second or so (a batch of a few thousand operations).
pub const BUSY_RETRY_AFTER_SECONDS: i64 = 1;

/// Declares the stable codes of the application's own refusals ([`AppError::Rule`] and
/// [`AppError::Denied`]): one variant a code, written once.
macro_rules! refusal_codes {
    ($($variant:ident => $code:literal,)*) => {
        /// The stable code of a refusal the application itself makes (not the domain's).
        /// The codes are part of the public API: never rename one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum RefusalCode {
            $($variant,)*
        }

        impl RefusalCode {
            /// The code as clients see it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(RefusalCode::$variant => $code,)*
                }
            }
        }
    };
}

refusal_codes! {
    AlreadyUndone => "already_undone",
    AmbiguousPolicy => "ambiguous_policy",
    AuditChainBroken => "audit_chain_broken",
    AuditRetentionFloor => "audit_retention_floor",
    BankCardNumberTaken => "bank_card_number_taken",
    BillAlreadySettled => "bill_already_settled",
    CardNotRecognised => "card_not_recognised",
    CardRequired => "card_required",
    CodeExpired => "code_expired",
    CodeUsed => "code_used",
    ContributionPeriodTooShort => "contribution_period_too_short",
    AttendanceShort => "attendance_short",
    CourseFull => "course_full",
    CourseNotOver => "course_not_over",
    ECardExists => "ecard_exists",
    ECardNotOffered => "ecard_not_offered",
    ECardRevoked => "ecard_revoked",
    EnrolmentClosed => "enrolment_closed",
    DeadlinePassed => "deadline_passed",
    ExpertPoolTooSmall => "expert_pool_too_small",
    GateNotPassed => "gate_not_passed",
    HolderEnrolmentRefused => "holder_enrolment_refused",
    HolderLoginByEnrolment => "holder_login_by_enrolment",
    HolderLoginExists => "holder_login_exists",
    InvalidToken => "invalid_token",
    MasterKeyMissing => "master_key_missing",
    MonthInFuture => "month_in_future",
    NoCard => "no_card",
    NoContributionRecord => "no_contribution_record",
    NoParameters => "no_parameters",
    NoPolicy => "no_policy",
    NotEnrolled => "not_enrolled",
    NotInsured => "not_insured",
    NotRetirementAge => "not_retirement_age",
    NotReversibleHere => "not_reversible_here",
    OneTimePasswordShown => "one_time_password_shown",
    PointFull => "point_full",
    OwedTotalChanged => "owed_total_changed",
    PensionNotComputable => "pension_not_computable",
    TooManyApplications => "too_many_applications",
    TooManyNamesakes => "too_many_namesakes",
    VacancyApplicationsFull => "vacancy_applications_full",
    VendorNotCertified => "vendor_not_certified",
    ReversalWaiting => "reversal_waiting",
    SameClerk => "same_clerk",
    SealingKeyMissing => "sealing_key_missing",
    StillEmployed => "still_employed",
    TooEarly => "too_early",
    WrongState => "wrong_state",
    YearNotOver => "year_not_over",
}

impl fmt::Display for RefusalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The cause of an internal failure, kept whole (with its own sources) for the log. Two
/// causes are equal when they say the same.
#[derive(Clone)]
pub struct Cause(Arc<dyn Error + Send + Sync>);

impl Cause {
    pub fn new(error: impl Error + Send + Sync + 'static) -> Cause {
        Cause(Arc::new(error))
    }
}

impl fmt::Debug for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Error for Cause {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.0.source()
    }
}

impl PartialEq for Cause {
    fn eq(&self, other: &Cause) -> bool {
        self.to_string() == other.to_string()
    }
}

impl Eq for Cause {}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    /// A rule of the domain refused.
    #[error("{0}")]
    Refused(Refusal),
    /// A refusal replayed from an idempotency record.
    #[error("{message}")]
    Replayed {
        code: String,
        message: String,
        status: u16,
    },
    /// An identity number or card number does not parse.
    #[error("{field}: {error}")]
    Identity {
        field: &'static str,
        error: IdentityError,
    },
    /// A field is missing or malformed.
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// An insurance calculation refused its parameters. Answered as `invalid_request` on
    /// `field`, as it always was; the domain's own code stays in the error and its message.
    #[error("{field}: {}: {error}", error.code())]
    Insurance {
        field: &'static str,
        error: InsuranceError,
    },
    #[error("{0} not found")]
    NotFound(String),
    /// Another's record, hidden: answered exactly like [`AppError::NotFound`] so that a
    /// refused caller learns nothing about what exists, but audited as a refused
    /// authorisation.
    #[error("{0} not found")]
    Hidden(String),
    /// Signed in, but not allowed to do this (or not to this record).
    #[error("your role may not do this")]
    Forbidden,
    /// No valid session or token.
    #[error("sign in first")]
    Unauthenticated,
    /// Failed sign-ins from this client address for this login: wait this long (issue 13,
    /// finding 7: the wait is per login and address, never the account's alone).
    #[error("too many failed sign-ins; try again in {retry_after_seconds} seconds")]
    SignInLocked { retry_after_seconds: i64 },
    /// A policy refuses the request whoever asks, with its own stable code and status: a
    /// holder login asked of an administrator (403), a self-enrolment whose card data do not
    /// prove the card (422).
    #[error("{message}")]
    Denied {
        code: RefusalCode,
        status: u16,
        message: String,
    },
    /// The actor used up its look-ups by ID number for now (issue 13, finding 3).
    #[error("too many look-ups by ID number; try again in {retry_after_seconds} seconds")]
    TooManyLookups { retry_after_seconds: i64 },
    /// Something with the same unique value exists, or the record changed meanwhile.
    #[error("conflict: {0}")]
    Conflict(Clash),
    /// The idempotency key was used before with a different request.
    #[error("this idempotency key was already used for a different request")]
    IdempotencyKeyReused,
    /// A rule of the application said no (e.g. not yet at retirement age).
    #[error("{message}")]
    Rule { code: RefusalCode, message: String },
    /// An upload within the size limit that would take more memory or time to read than its
    /// bounds allow (issue 13, finding 1: a zip or XML bomb in a declaration workbook).
    #[error("{field}: {message}")]
    TooComplex {
        field: &'static str,
        message: String,
    },
    /// The database is unreachable.
    #[error("the service is temporarily unavailable")]
    Unavailable(String),
    /// An internal failure described in words (no error value behind it).
    #[error("internal error")]
    Internal(String),
    /// An internal failure with its cause: `context` says what was being done, `source` why
    /// it failed (logged with its chain, never sent).
    #[error("internal error")]
    Failed {
        context: &'static str,
        #[source]
        source: Cause,
    },
    /// The server is at one of its configured limits (batches in flight, application calls,
    /// connections); nothing was done, and the same request may be sent again after
    /// `Retry-After`.
    #[error("the server is busy ({0}); try again shortly")]
    Busy(String),
}

/// What a [`AppError::Conflict`] clashed with: the application's own cases by name (a page
/// says them in its language), the store's in its words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Clash {
    #[error("a person with this ID number is already registered")]
    PersonRegistered,
    #[error("an employer with this credit code is registered")]
    EmployerRegistered,
    #[error("the person is already insured in that month")]
    AlreadyInsured,
    #[error("the pension contribution of {month} is already recorded")]
    ContributionRecorded { month: String },
    #[error("a pension is already awarded")]
    PensionAwarded,
    #[error("an administrator already exists")]
    AdministratorExists,
    #[error("the person has already applied to this vacancy")]
    AlreadyApplied,
    #[error("the person is already registered as unemployed")]
    AlreadyRegistered,
    #[error("the person is already referred to this vacancy in this spell")]
    AlreadyReferred,
    #[error("the person's leaving on that day is already reported")]
    LeaverReported,
    #[error("this is already recorded as owed on the spell")]
    AlreadyOwed,
    #[error("a maternity allowance is already claimed for that day")]
    MaternityClaimed,
    #[error("a work injury of that day is already applied for")]
    InjuryCaseExists,
    #[error("the region's pool already has an expert of that code")]
    ExpertCodeTaken,
    #[error("the case has a panel drawn and not concluded")]
    AppraisalOpen,
    #[error("the case's benefits are already settled")]
    InjurySettled,
    #[error("a training provider with this credit code is registered")]
    ProviderRegistered,
    #[error("the person is already enrolled in this course")]
    AlreadyEnrolled,
    #[error("that day's attendance is already recorded")]
    AttendanceRecorded,
    #[error("the completion's subsidy is already paid")]
    SubsidyPaid,
    #[error("a card vendor with this credit code is registered")]
    VendorRegistered,
    #[error("this step of the gate is already recorded for this revision")]
    GateStepRecorded,
    #[error("a test card of this serial is already recorded for this revision")]
    TestCardRecorded,
    #[error("this audit of the test card is already recorded")]
    AuditRecorded,
    #[error("username {username} is taken")]
    UsernameTaken { username: String },
    /// The store's own conflict (a record changed meanwhile, a rule of the ledger).
    #[error("{0}")]
    Store(String),
}

/// [`AppError::Rule`]: a business rule refuses, with its stable code and why.
pub(crate) fn rule(code: RefusalCode, message: impl Into<String>) -> AppError {
    AppError::Rule {
        code,
        message: message.into(),
    }
}

/// A look-up that may find nothing, answered as [`AppError::NotFound`].
pub(crate) trait OrNotFound<T> {
    /// The value found, or not found: `what` and `id` name it (`card crd_…`).
    fn or_not_found(self, what: &str, id: &(impl fmt::Display + ?Sized)) -> Result<T, AppError>;
}

impl<T> OrNotFound<T> for Option<T> {
    fn or_not_found(self, what: &str, id: &(impl fmt::Display + ?Sized)) -> Result<T, AppError> {
        self.ok_or_else(|| AppError::NotFound(format!("{what} {id}")))
    }
}

impl AppError {
    /// [`AppError::Invalid`]: `field` is missing or malformed, `message` says what it must be.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> AppError {
        AppError::Invalid {
            field,
            message: message.into(),
        }
    }

    /// `map_err(AppError::failed("sealing a name"))`: an internal failure that keeps `error`
    /// as its source.
    pub fn failed<E: Error + Send + Sync + 'static>(
        context: &'static str,
    ) -> impl FnOnce(E) -> AppError {
        move |error| AppError::Failed {
            context,
            source: Cause::new(error),
        }
    }

    pub fn code(&self) -> &str {
        match self {
            AppError::Refused(refusal) => refusal.code(),
            AppError::Replayed { code, .. } => code,
            AppError::Identity { error, .. } => error.code(),
            AppError::Invalid { .. } | AppError::Insurance { .. } => "invalid_request",
            AppError::NotFound(_) | AppError::Hidden(_) => "not_found",
            AppError::Forbidden => "forbidden",
            AppError::Unauthenticated => "unauthenticated",
            AppError::SignInLocked { .. } => "sign_in_locked",
            AppError::Denied { code, .. } | AppError::Rule { code, .. } => code.as_str(),
            AppError::TooManyLookups { .. } => "too_many_lookups",
            AppError::Conflict(_) => "conflict",
            AppError::IdempotencyKeyReused => "idempotency_key_reused",
            AppError::TooComplex { .. } => "file_too_complex",
            AppError::Unavailable(_) => "service_unavailable",
            AppError::Internal(_) | AppError::Failed { .. } => "internal_error",
            AppError::Busy(_) => "busy",
        }
    }

    /// The HTTP status this error maps to.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Refused(
                Refusal::InvalidAmount | Refusal::PinFormat | Refusal::InvalidParameters { .. },
            ) => 422,
            AppError::Refused(Refusal::WrongBank | Refusal::ApprovalByMaker) => 403,
            AppError::Refused(_) => 409,
            AppError::Replayed { status, .. } | AppError::Denied { status, .. } => *status,
            AppError::Identity { .. }
            | AppError::Invalid { .. }
            | AppError::Insurance { .. }
            | AppError::TooComplex { .. } => 422,
            AppError::NotFound(_) | AppError::Hidden(_) => 404,
            AppError::Forbidden => 403,
            AppError::Unauthenticated => 401,
            AppError::SignInLocked { .. } | AppError::TooManyLookups { .. } => 429,
            AppError::Conflict(_) | AppError::IdempotencyKeyReused | AppError::Rule { .. } => 409,
            AppError::Unavailable(_) | AppError::Busy(_) => 503,
            AppError::Internal(_) | AppError::Failed { .. } => 500,
        }
    }

    /// What the log needs of a failure of the service (an internal error or an unreachable
    /// database): its context and whole source chain, `None` for an answer to the request.
    /// Never sent to a client.
    pub fn cause_chain(&self) -> Option<String> {
        match self {
            AppError::Internal(cause) | AppError::Unavailable(cause) => Some(cause.clone()),
            AppError::Failed { context, source } => {
                let mut chain = format!("{context}: {source}");
                let mut next = source.source();
                while let Some(error) = next {
                    chain.push_str(&format!(": {error}"));
                    next = error.source();
                }
                Some(chain)
            }
            _ => None,
        }
    }

    /// Seconds after which trying again may succeed, where the error says so: a delayed
    /// sign-in may be tried again after this long; an actor's look-ups when its window ends.
    pub fn retry_after_seconds(&self) -> Option<i64> {
        match self {
            AppError::SignInLocked {
                retry_after_seconds,
            }
            | AppError::TooManyLookups {
                retry_after_seconds,
            } => Some(*retry_after_seconds),
            AppError::Busy(_) => Some(BUSY_RETRY_AFTER_SECONDS),
            _ => None,
        }
    }

    /// Refusals whose state change (a PIN count) and audit record must be kept.
    /// (Another's record hidden as not found is not one: it is rolled back like a missing
    /// record, and [`crate::App::change`] records the refusal on its own.)
    pub(crate) fn is_committed_refusal(&self) -> bool {
        matches!(self, AppError::Refused(_) | AppError::Forbidden)
    }

    /// A refused authorisation: a role or scope said no, openly or by hiding the record.
    pub(crate) fn is_denial(&self) -> bool {
        matches!(self, AppError::Forbidden | AppError::Hidden(_))
    }

    /// The field a validation error is about, for forms.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            AppError::Identity { field, .. }
            | AppError::Invalid { field, .. }
            | AppError::Insurance { field, .. }
            | AppError::TooComplex { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict { what } => AppError::Conflict(Clash::Store(what)),
            StoreError::Unavailable(cause) | StoreError::Full(cause) => {
                AppError::Unavailable(cause.into())
            }
            StoreError::Retry => AppError::Unavailable("too much contention; retry".into()),
            StoreError::Corrupt(_) | StoreError::Backend(_) => AppError::Failed {
                context: "store",
                source: Cause::new(error),
            },
        }
    }
}

/// Maps a refusal into an application error (used with `?`).
impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> Self {
        AppError::Refused(refusal)
    }
}
