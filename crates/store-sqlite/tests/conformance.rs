//! The shared conformance suite on a fresh SQLite file per test.

use std::path::PathBuf;

use shebao_store::Store;

fn fresh() -> Store {
    let mut name = [0u8; 8];
    for (i, byte) in std::process::id()
        .to_le_bytes()
        .iter()
        .chain(&nanos())
        .take(8)
        .enumerate()
    {
        name[i] = *byte;
    }
    let dir: PathBuf = std::env::temp_dir().join(format!("shebao-conformance-{}", hex(&name)));
    match shebao_store_sqlite::open(&dir.join("shebao.db")) {
        Ok(store) => store,
        Err(error) => unreachable!("cannot open a fresh SQLite store: {error}"),
    }
}

fn nanos() -> [u8; 8] {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let unique =
        now.as_nanos() as u64 ^ (COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed) << 48);
    unique.to_le_bytes()
}

static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

shebao_store::conformance_tests!(fresh);
