//! ARCHITECTURE.md's code map tells the truth: every crate under `crates/` and every top-level
//! module of each crate's `src/` is named in it, and everything it names exists. The map's
//! convention: one `### \`crates/<name>\`` heading per crate, and under it one bullet per
//! top-level module, starting with the module's name in backticks (`- \`money/\` …`).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The crates and their top-level modules as ARCHITECTURE.md's code map names them.
fn mapped() -> Vec<(String, BTreeSet<String>)> {
    let text = fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap_or_default();
    let map = text
        .split("\n## Code map")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .unwrap_or_default();
    let mut crates: Vec<(String, BTreeSet<String>)> = Vec::new();
    for line in map.lines() {
        if let Some(heading) = line.strip_prefix("### ") {
            let name = heading
                .split('`')
                .nth(1)
                .and_then(|quoted| quoted.strip_prefix("crates/"))
                .unwrap_or_default();
            crates.push((name.to_owned(), BTreeSet::new()));
        } else if let (Some(bullet), Some((_, modules))) =
            (line.strip_prefix("- `"), crates.last_mut())
        {
            let name = bullet.split('`').next().unwrap_or_default();
            modules.insert(
                name.trim_end_matches('/')
                    .trim_end_matches(".rs")
                    .to_owned(),
            );
        }
    }
    crates
}

/// The top-level modules of a crate: its `src/*.rs` files (but the crate root) and its
/// `src/*/` folders.
fn modules_of(krate: &str) -> BTreeSet<String> {
    let src = root().join("crates").join(krate).join("src");
    let mut modules = BTreeSet::new();
    for entry in fs::read_dir(&src).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            modules.insert(name);
        } else if let Some(stem) = name.strip_suffix(".rs")
            && stem != "lib"
            && stem != "main"
        {
            modules.insert(stem.to_owned());
        }
    }
    modules
}

#[test]
fn the_code_map_names_every_crate_and_top_level_module_and_nothing_else() {
    let map = mapped();
    assert!(!map.is_empty(), "ARCHITECTURE.md has no code map");
    let mapped_crates: BTreeSet<String> = map.iter().map(|(name, _)| name.clone()).collect();
    let crates: BTreeSet<String> = fs::read_dir(root().join("crates"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().join("Cargo.toml").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(mapped_crates, crates, "crates in the code map vs crates/");
    for (krate, named) in &map {
        let actual = modules_of(krate);
        let missing: Vec<_> = actual.difference(named).collect();
        let stale: Vec<_> = named.difference(&actual).collect();
        assert!(
            missing.is_empty() && stale.is_empty(),
            "crates/{krate}: modules the code map does not name: {missing:?}; names in the map that do not exist: {stale:?}"
        );
    }
}
