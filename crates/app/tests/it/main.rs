//! Application tests: every use case through the real stores, SQLite and PostgreSQL.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

mod approvals;
mod audit;
mod auth;
mod batch;
mod card_bank_number;
mod cards;
mod contribution_run;
mod ecard;
mod employment;
mod harness;
mod holder_logins;
#[path = "../../src/workbook/hostile.rs"]
mod hostile;
mod identity;
mod injury;
mod insurance;
mod ledger_model;
mod local_day;
mod maternity;
mod medical;
mod money;
mod persons;
mod production;
mod production_distribution;
mod production_file;
mod production_instant;
mod production_mail;
mod races;
mod requests;
mod review_masks;
mod training;
mod unemployment;
