//! The application's errors. Each has a stable machine code and an HTTP status; the HTTP
//! layer turns them into problem+json once. Internal causes are logged, never sent.

use std::fmt;

use shebao_domain::Refusal;
use shebao_domain::identity::IdentityError;
use shebao_store::StoreError;

/// `Retry-After` of a `busy` answer: limits free up as the work in flight finishes, which
/// takes a second or so (a batch of a few thousand operations).
pub const BUSY_RETRY_AFTER_SECONDS: i64 = 1;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppError {
    /// A rule of the domain refused.
    Refused(Refusal),
    /// A refusal replayed from an idempotency record.
    Replayed {
        code: String,
        message: String,
        status: u16,
    },
    /// An identity number or card number does not parse.
    Identity {
        field: &'static str,
        error: IdentityError,
    },
    /// A field is missing or malformed.
    Invalid {
        field: &'static str,
        message: String,
    },
    NotFound(String),
    /// Another's record, hidden: answered exactly like [`AppError::NotFound`] so that a
    /// refused caller learns nothing about what exists, but audited as a refused
    /// authorisation.
    Hidden(String),
    /// Signed in, but not allowed to do this (or not to this record).
    Forbidden,
    /// No valid session or token.
    Unauthenticated,
    /// Failed sign-ins from this client address for this login: wait this long (issue 13,
    /// finding 7: the wait is per login and address, never the account's alone).
    SignInLocked {
        retry_after_seconds: i64,
    },
    /// A policy refuses the request whoever asks, with its own stable code and status: a
    /// holder login asked of an administrator (403), a self-enrolment whose card data do not
    /// prove the card (422).
    Denied {
        code: &'static str,
        status: u16,
        message: String,
    },
    /// The actor used up its look-ups by ID number for now (issue 13, finding 3).
    TooManyLookups {
        retry_after_seconds: i64,
    },
    /// Something with the same unique value exists.
    Conflict(String),
    /// The idempotency key was used before with a different request.
    IdempotencyKeyReused,
    /// A rule of the application said no (e.g. not yet at retirement age).
    Rule {
        code: &'static str,
        message: String,
    },
    /// An upload within the size limit that would take more memory or time to read than its
    /// bounds allow (issue 13, finding 1: a zip or XML bomb in a declaration workbook).
    TooComplex {
        field: &'static str,
        message: String,
    },
    /// The database is unreachable.
    Unavailable(String),
    Internal(String),
    /// The server is at one of its configured limits (batches in flight, application calls,
    /// connections); nothing was done, and the same request may be sent again after
    /// `Retry-After`.
    Busy(String),
}

impl AppError {
    pub fn code(&self) -> &str {
        match self {
            AppError::Refused(refusal) => refusal.code(),
            AppError::Replayed { code, .. } => code,
            AppError::Identity { error, .. } => error.code(),
            AppError::Invalid { .. } => "invalid_request",
            AppError::NotFound(_) | AppError::Hidden(_) => "not_found",
            AppError::Forbidden => "forbidden",
            AppError::Unauthenticated => "unauthenticated",
            AppError::SignInLocked { .. } => "sign_in_locked",
            AppError::Denied { code, .. } => code,
            AppError::TooManyLookups { .. } => "too_many_lookups",
            AppError::Conflict(_) => "conflict",
            AppError::IdempotencyKeyReused => "idempotency_key_reused",
            AppError::Rule { code, .. } => code,
            AppError::TooComplex { .. } => "file_too_complex",
            AppError::Unavailable(_) => "service_unavailable",
            AppError::Internal(_) => "internal_error",
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
            AppError::Replayed { status, .. } => *status,
            AppError::Identity { .. } | AppError::Invalid { .. } | AppError::TooComplex { .. } => {
                422
            }
            AppError::NotFound(_) | AppError::Hidden(_) => 404,
            AppError::Forbidden => 403,
            AppError::Unauthenticated => 401,
            AppError::SignInLocked { .. } | AppError::TooManyLookups { .. } => 429,
            AppError::Denied { status, .. } => *status,
            AppError::Conflict(_) | AppError::IdempotencyKeyReused | AppError::Rule { .. } => 409,
            AppError::Unavailable(_) => 503,
            AppError::Internal(_) => 500,
            AppError::Busy(_) => 503,
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
            | AppError::TooComplex { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::Refused(refusal) => write!(f, "{refusal}"),
            AppError::Replayed { message, .. } => f.write_str(message),
            AppError::Identity { field, error } => write!(f, "{field}: {error}"),
            AppError::Invalid { field, message } | AppError::TooComplex { field, message } => {
                write!(f, "{field}: {message}")
            }
            AppError::NotFound(what) | AppError::Hidden(what) => write!(f, "{what} not found"),
            AppError::Forbidden => f.write_str("your role may not do this"),
            AppError::Unauthenticated => f.write_str("sign in first"),
            AppError::SignInLocked {
                retry_after_seconds,
            } => write!(
                f,
                "too many failed sign-ins; try again in {retry_after_seconds} seconds"
            ),
            AppError::Denied { message, .. } => f.write_str(message),
            AppError::TooManyLookups {
                retry_after_seconds,
            } => write!(
                f,
                "too many look-ups by ID number; try again in {retry_after_seconds} seconds"
            ),
            AppError::Conflict(what) => write!(f, "conflict: {what}"),
            AppError::IdempotencyKeyReused => {
                f.write_str("this idempotency key was already used for a different request")
            }
            AppError::Rule { message, .. } => f.write_str(message),
            AppError::Unavailable(_) => f.write_str("the service is temporarily unavailable"),
            AppError::Internal(_) => f.write_str("internal error"),
            AppError::Busy(what) => write!(f, "the server is busy ({what}); try again shortly"),
        }
    }
}

impl std::error::Error for AppError {}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict { what } => AppError::Conflict(what),
            StoreError::Unavailable(cause) | StoreError::Full(cause) => {
                AppError::Unavailable(cause.into())
            }
            StoreError::Retry => AppError::Unavailable("too much contention; retry".into()),
            StoreError::Corrupt(what) => AppError::Internal(what),
            StoreError::Backend(cause) => AppError::Internal(cause.into()),
        }
    }
}
