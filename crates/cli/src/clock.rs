//! The clock the service reads: the system's. Built with the `test-clock` feature — which
//! `scripts/test` turns on and a release build does not — `SHEBAO_TEST_CLOCK` may name a
//! file holding whole seconds to add to it, read at every look, so that a black-box story can
//! let days and months pass on a running server (`crates/cli/tests/benefits.rs`). Without
//! the feature the variable is never read.

use std::sync::Arc;

use shebao_app::{Clock, SystemClock};

// A clock that can be moved has no place in an optimised (release) build.
#[cfg(all(feature = "test-clock", not(debug_assertions)))]
compile_error!("the test-clock feature is for test builds only, not a release build");

/// The service's clock.
pub(crate) fn clock() -> Arc<dyn Clock> {
    #[cfg(feature = "test-clock")]
    if let Some(path) = std::env::var_os("SHEBAO_TEST_CLOCK") {
        eprintln!(
            "shebao: the test clock is on: the time is moved by the seconds in {}",
            std::path::Path::new(&path).display()
        );
        return Arc::new(OffsetFile { path: path.into() });
    }
    Arc::new(SystemClock)
}

/// The system's time moved by the seconds a file holds (none, or unreadable: not moved).
#[cfg(feature = "test-clock")]
struct OffsetFile {
    path: std::path::PathBuf,
}

#[cfg(feature = "test-clock")]
impl Clock for OffsetFile {
    fn now(&self) -> shebao_domain::time::Timestamp {
        let offset = std::fs::read_to_string(&self.path)
            .ok()
            .and_then(|text| text.trim().parse::<i64>().ok())
            .unwrap_or(0);
        SystemClock.now().add_seconds(offset)
    }
}
