//! What the HTTP tests share: an application on a fresh SQLite file of its own.

use std::sync::Arc;

use shebao_app::{App, SystemClock, Vault};

/// An application on a new database under the temporary directory, named after the test.
pub fn app(name: &str) -> App {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let path = std::env::temp_dir()
        .join(format!("shebao-http-{name}-{}-{nanos}", std::process::id()))
        .join("shebao.db");
    let store = shebao_store_sqlite::open(&path).unwrap();
    let vault = Vault::parse(&Vault::generate_file()).unwrap();
    App::new(store, vault, Arc::new(SystemClock))
}
