//! The schema's migrations: one list, in order, that both backends assemble from the SQL they
//! share (`crates/store/migrations/`) and their own dialect's files, and one runner that
//! applies what a database has not recorded in `schema_migrations` yet.

use std::borrow::Cow;

use crate::StoreError;

/// What a backend writes in its own dialect: the parts of the migrations that differ.
pub struct Dialect {
    /// The first line of `0001_init`: a comment naming the backend.
    pub init_head: &'static str,
    /// The end of `0001_init`: the triggers that keep history append-only.
    pub init_triggers: &'static str,
    pub audit_purge: &'static str,
    pub region_utc_offset: &'static str,
    /// The middle of `0008_approvals`: the triggers that keep a decided request final.
    pub approval_rules: &'static str,
    /// The end of `0008_approvals`: the new parameters given to stored versions.
    pub approval_parameters: &'static str,
    /// The end of `0013_job_board`: the full-text index of the vacancies.
    pub job_board_search: &'static str,
    /// The end of `0014_job_seeking`: how a search reads the index and the vacancies.
    pub job_seeking_search: &'static str,
}

/// The dialect a backend keeps in its own `migrations/` folder, read from the files named
/// as the fields of [`Dialect`] (`0001_init_head.sql`, `0008_approvals_rules.sql`, …).
#[macro_export]
macro_rules! dialect {
    () => {
        $crate::dialect!(@files
            init_head: "0001_init_head", init_triggers: "0001_init_triggers",
            audit_purge: "0004_audit_purge", region_utc_offset: "0007_region_utc_offset",
            approval_rules: "0008_approvals_rules", approval_parameters: "0008_approvals_parameters",
            job_board_search: "0013_job_board_search",
            job_seeking_search: "0014_job_seeking_search"
        )
    };
    (@files $($field:ident: $file:literal),*) => {
        $crate::schema::Dialect {
            $($field: include_str!(
                concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/", $file, ".sql")
            ),)*
        }
    };
}

/// One migration: its name (recorded once applied) and the SQL the backend runs.
pub type Migration = (&'static str, Cow<'static, str>);

/// The tables both backends create in `0001_init`, between the dialect's head and triggers.
const INIT_TABLES: &str = include_str!("../migrations/0001_init_tables.sql");

/// The approval requests' table, before the dialect's triggers in `0008_approvals`.
const APPROVAL_TABLES: &str = include_str!("../migrations/0008_approvals_tables.sql");

/// The manual credits' table, between the dialect's triggers and parameters in `0008_approvals`.
const MANUAL_CREDIT_DAYS: &str =
    include_str!("../migrations/0008_approvals_manual_credit_days.sql");

/// The job board's tables, before the dialect's full-text index in `0013_job_board`.
const JOB_BOARD_TABLES: &str = include_str!("../migrations/0013_job_board_tables.sql");

/// Applications and profiles, before the dialect's search changes in `0014_job_seeking`.
const JOB_SEEKING_TABLES: &str = include_str!("../migrations/0014_job_seeking_tables.sql");

/// Every migration in the order it runs, for `dialect`.
pub fn migrations(dialect: &Dialect) -> [Migration; 24] {
    let init = [dialect.init_head, INIT_TABLES, dialect.init_triggers].concat();
    let approvals = [
        APPROVAL_TABLES,
        dialect.approval_rules,
        MANUAL_CREDIT_DAYS,
        dialect.approval_parameters,
    ]
    .concat();
    let job_board = [JOB_BOARD_TABLES, dialect.job_board_search].concat();
    let job_seeking = [JOB_SEEKING_TABLES, dialect.job_seeking_search].concat();
    [
        ("0001_init", Cow::Owned(init)),
        (
            "0002_insurance",
            Cow::Borrowed(include_str!("../migrations/0002_insurance.sql")),
        ),
        (
            "0003_medical",
            Cow::Borrowed(include_str!("../migrations/0003_medical.sql")),
        ),
        ("0004_audit_purge", Cow::Borrowed(dialect.audit_purge)),
        (
            "0005_settlement_diagnosis",
            Cow::Borrowed(include_str!("../migrations/0005_settlement_diagnosis.sql")),
        ),
        (
            "0006_contribution_run",
            Cow::Borrowed(include_str!("../migrations/0006_contribution_run.sql")),
        ),
        (
            "0007_region_utc_offset",
            Cow::Borrowed(dialect.region_utc_offset),
        ),
        ("0008_approvals", Cow::Owned(approvals)),
        (
            "0009_holder_login",
            Cow::Borrowed(include_str!("../migrations/0009_holder_login.sql")),
        ),
        (
            "0010_certificate_document",
            Cow::Borrowed(include_str!("../migrations/0010_certificate_document.sql")),
        ),
        (
            "0011_person_name_index",
            Cow::Borrowed(include_str!("../migrations/0011_person_name_index.sql")),
        ),
        (
            "0012_payment_orders",
            Cow::Borrowed(include_str!("../migrations/0012_payment_orders.sql")),
        ),
        ("0013_job_board", Cow::Owned(job_board)),
        ("0014_job_seeking", Cow::Owned(job_seeking)),
        (
            "0015_unemployment",
            Cow::Borrowed(include_str!("../migrations/0015_unemployment.sql")),
        ),
        (
            "0016_maternity",
            Cow::Borrowed(include_str!("../migrations/0016_maternity.sql")),
        ),
        (
            "0017_work_injury",
            Cow::Borrowed(include_str!("../migrations/0017_work_injury.sql")),
        ),
        (
            "0018_vocational_training",
            Cow::Borrowed(include_str!("../migrations/0018_vocational_training.sql")),
        ),
        (
            "0019_card_production",
            Cow::Borrowed(include_str!("../migrations/0019_card_production.sql")),
        ),
        (
            "0020_personalisation_files",
            Cow::Borrowed(include_str!("../migrations/0020_personalisation_files.sql")),
        ),
        (
            "0021_card_distribution",
            Cow::Borrowed(include_str!("../migrations/0021_card_distribution.sql")),
        ),
        (
            "0022_collection_and_instant_issue",
            Cow::Borrowed(include_str!(
                "../migrations/0022_collection_and_instant_issue.sql"
            )),
        ),
        (
            "0023_mail_delivery",
            Cow::Borrowed(include_str!("../migrations/0023_mail_delivery.sql")),
        ),
        (
            "0024_electronic_card",
            Cow::Borrowed(include_str!("../migrations/0024_electronic_card.sql")),
        ),
    ]
}

/// The statement that makes the table recording applied migrations (by name only).
pub const MIGRATIONS_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)";

/// A database being migrated, as the runner drives it.
pub trait Migrator {
    /// Runs statements that take no parameters.
    fn batch(&mut self, sql: &str) -> Result<(), StoreError>;
    /// Whether migration `name` is recorded as applied.
    fn applied(&mut self, name: &str) -> Result<bool, StoreError>;
    /// Runs `sql` and records `name` as applied, in one transaction.
    fn apply(&mut self, name: &str, sql: &str) -> Result<(), StoreError>;
}

/// Applies, in order, every migration of `migrations` the database has not recorded yet.
pub fn migrate(target: &mut impl Migrator, migrations: &[Migration]) -> Result<(), StoreError> {
    target.batch(MIGRATIONS_TABLE)?;
    for (name, sql) in migrations {
        if !target.applied(name)? {
            target.apply(name, sql)?;
        }
    }
    Ok(())
}
