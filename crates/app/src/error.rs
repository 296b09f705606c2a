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
    /// The account is locked after failed sign-ins.
    SignInLocked,
    /// Something with the same unique value exists.
    Conflict(String),
    /// The idempotency key was used before with a different request.
    IdempotencyKeyReused,
    /// A rule of the application said no (e.g. not yet at retirement age).
    Rule {
        code: &'static str,
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
            AppError::SignInLocked => "sign_in_locked",
            AppError::Conflict(_) => "conflict",
            AppError::IdempotencyKeyReused => "idempotency_key_reused",
            AppError::Rule { code, .. } => code,
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
            AppError::Refused(Refusal::WrongBank) => 403,
            AppError::Refused(_) => 409,
            AppError::Replayed { status, .. } => *status,
            AppError::Identity { .. } | AppError::Invalid { .. } => 422,
            AppError::NotFound(_) | AppError::Hidden(_) => 404,
            AppError::Forbidden => 403,
            AppError::Unauthenticated => 401,
            AppError::SignInLocked => 429,
            AppError::Conflict(_) | AppError::IdempotencyKeyReused | AppError::Rule { .. } => 409,
            AppError::Unavailable(_) => 503,
            AppError::Internal(_) => 500,
            AppError::Busy(_) => 503,
        }
    }

    /// Seconds after which trying again may succeed, where the error says so: a locked login
    /// opens again at most this long after its last failure.
    pub fn retry_after_seconds(&self) -> Option<i64> {
        match self {
            AppError::SignInLocked => Some(crate::auth::SIGN_IN_LOCK_SECONDS),
            AppError::Busy(_) => Some(BUSY_RETRY_AFTER_SECONDS),
            _ => None,
        }
    }

    /// Refusals whose state change (a PIN count) and audit record must be kept.
    pub(crate) fn is_committed_refusal(&self) -> bool {
        matches!(
            self,
            AppError::Refused(_) | AppError::Forbidden | AppError::Hidden(_)
        )
    }

    /// A refused authorisation: a role or scope said no, openly or by hiding the record.
    pub(crate) fn is_denial(&self) -> bool {
        matches!(self, AppError::Forbidden | AppError::Hidden(_))
    }

    /// The field a validation error is about, for forms.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            AppError::Identity { field, .. } | AppError::Invalid { field, .. } => Some(field),
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
            AppError::Invalid { field, message } => write!(f, "{field}: {message}"),
            AppError::NotFound(what) | AppError::Hidden(what) => write!(f, "{what} not found"),
            AppError::Forbidden => f.write_str("your role may not do this"),
            AppError::Unauthenticated => f.write_str("sign in first"),
            AppError::SignInLocked => f.write_str("too many failed sign-ins; try again later"),
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
            StoreError::Unavailable(cause) => AppError::Unavailable(cause),
            StoreError::Retry => AppError::Unavailable("too much contention; retry".into()),
            StoreError::Corrupt(what) | StoreError::Backend(what) => AppError::Internal(what),
        }
    }
}
