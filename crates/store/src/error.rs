//! Storage failures: stable variants the application branches on, each failure from below
//! (a driver's error, an I/O error) kept whole as the [`Cause`] with its own source chain.

use std::error::Error;
use std::fmt;
use std::sync::Arc;

/// Storage failures, in the terms the application branches on. The message of each variant
/// reads as it always has (`database error: …`); [`Error::source`] leads to the driver's
/// error and on through its causes, for the log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule or a version check failed: `what` names it.
    #[error("conflict: {what}")]
    Conflict { what: String },
    /// The backend asks to run the transaction again (serialization failure, deadlock).
    #[error("transaction must be retried")]
    Retry,
    /// The database cannot be reached or refused the connection.
    #[error("database unavailable: {0}")]
    Unavailable(#[source] Cause),
    /// The database has no room for the write (SQLite `SQLITE_FULL`, PostgreSQL
    /// `disk_full`): nothing was written.
    #[error("no room for the write: {0}")]
    Full(#[source] Cause),
    /// A stored value does not parse back into the domain: names the column.
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// Any other database error, with context for the log (never sent to clients).
    #[error("database error: {0}")]
    Backend(#[source] Cause),
}

/// What failed below the store: a message, and the error it came from when there is one
/// (shared, so a [`StoreError`] stays cheap to clone for the writer's retries).
#[derive(Debug, Clone)]
pub struct Cause {
    message: String,
    error: Option<Arc<dyn Error + Send + Sync + 'static>>,
    /// Whether `message` is the error's own: then this cause stands for that error and its
    /// source is the error's source (the chain does not name the same failure twice).
    own_message: bool,
}

impl Cause {
    /// A cause the store itself names (no error below it).
    pub fn message(message: impl Into<String>) -> Cause {
        Cause {
            message: message.into(),
            error: None,
            own_message: false,
        }
    }

    /// An error from below, kept whole; its message is the cause's.
    pub fn new(error: impl Error + Send + Sync + 'static) -> Cause {
        Cause {
            message: error.to_string(),
            error: Some(Arc::new(error)),
            own_message: true,
        }
    }

    /// An error from below, kept whole, under a message of the store's (context).
    pub fn context(message: impl Into<String>, error: impl Error + Send + Sync + 'static) -> Cause {
        Cause {
            message: message.into(),
            error: Some(Arc::new(error)),
            own_message: false,
        }
    }

    /// The message alone, as the variant's text shows it.
    pub fn as_str(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for Cause {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        let error = self.error.as_deref()?;
        if self.own_message {
            error.source()
        } else {
            Some(error as &(dyn Error + 'static))
        }
    }
}

/// Two causes are the same failure when they read the same (errors below do not compare).
impl PartialEq for Cause {
    fn eq(&self, other: &Cause) -> bool {
        self.message == other.message
    }
}

impl Eq for Cause {}

/// A cause the store names itself: `StoreError::Unavailable("writer stopped".into())`.
impl From<&str> for Cause {
    fn from(message: &str) -> Cause {
        Cause::message(message)
    }
}

impl From<String> for Cause {
    fn from(message: String) -> Cause {
        Cause::message(message)
    }
}

impl From<Cause> for String {
    fn from(cause: Cause) -> String {
        cause.message
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error;

    use super::{Cause, StoreError};

    #[derive(Debug)]
    struct Inner;

    impl std::fmt::Display for Inner {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("disk on fire")
        }
    }

    impl Error for Inner {}

    #[derive(Debug)]
    struct Driver(Inner);

    impl std::fmt::Display for Driver {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("driver failed")
        }
    }

    impl Error for Driver {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            Some(&self.0)
        }
    }

    fn chain(error: &dyn Error) -> Vec<String> {
        let mut messages = vec![error.to_string()];
        let mut next = error.source();
        while let Some(error) = next {
            messages.push(error.to_string());
            next = error.source();
        }
        messages
    }

    #[test]
    fn a_store_error_keeps_the_drivers_chain_and_reads_as_before() {
        let error = StoreError::Backend(Cause::new(Driver(Inner)));
        assert_eq!(
            chain(&error),
            [
                "database error: driver failed",
                "driver failed",
                "disk on fire"
            ]
        );
        let error = StoreError::Unavailable(Cause::context("/tmp/x: driver failed", Driver(Inner)));
        assert_eq!(
            chain(&error),
            [
                "database unavailable: /tmp/x: driver failed",
                "/tmp/x: driver failed",
                "driver failed",
                "disk on fire"
            ]
        );
        assert_eq!(
            StoreError::Full(Cause::message("no room")).to_string(),
            "no room for the write: no room"
        );
    }
}
