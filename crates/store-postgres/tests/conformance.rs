//! The shared conformance suite on PostgreSQL: one throwaway database per test, on the
//! server named by `SHEBAO_TEST_POSTGRES_URL` (default: the local server). An unreachable
//! server fails the tests; they never skip.

use shebao_store::Store;

fn fresh() -> Store {
    let url = shebao_store_postgres::testing::throwaway_database();
    match shebao_store_postgres::open(&url, 8) {
        Ok(store) => store,
        Err(error) => unreachable!("cannot open PostgreSQL store at {url}: {error}"),
    }
}

shebao_store::conformance_tests!(fresh);
