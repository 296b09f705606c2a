//! The portal in a real browser: runs the end-to-end tests of `e2e/portal.mjs` (Chromium through
//! playwright-core, in Chinese and in English) against this build's binary. They write the
//! screenshots of `docs/screenshots/`. Chromium, the CJK fonts and the npm packages are
//! required: a machine without them fails this test rather than skipping it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";
const SET_UP: &str = "`scripts/test` installs them (by hand: `apt-get install -y chromium \
                      fonts-noto-cjk` and `npm ci --prefix e2e` from the repository root)";

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root")
}

#[test]
fn the_portal_works_in_a_real_browser() {
    let root = repository();
    let script = root.join("e2e/portal.mjs");
    let playwright = root.join("e2e/node_modules/playwright-core");
    assert!(script.is_file(), "{} is missing", script.display());
    assert!(
        Path::new(CHROMIUM).is_file(),
        "{CHROMIUM} is missing: the browser tests need Chromium and the CJK fonts; {SET_UP}"
    );
    assert!(
        playwright.join("package.json").is_file(),
        "{} is missing: the browser tests need playwright-core; {SET_UP}",
        playwright.display()
    );
    let status = Command::new("node")
        .arg("--test")
        .arg(&script)
        .current_dir(&root)
        .env("SHEBAO_BIN", env!("CARGO_BIN_EXE_shebao"))
        .status()
        .unwrap_or_else(|e| panic!("cannot run node (Node.js 20 or later is needed): {e}"));
    assert!(
        status.success(),
        "the browser tests failed ({status}); see their output above"
    );
}
