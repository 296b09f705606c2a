//! The pure rules of the social security card: identity numbers, the card's life, the
//! financial account and its ledger, region parameters, who may do what, and the audit chain.
//!
//! One folder per area of the mission (`person`, `card`, `money`, `insurance`, `medical`,
//! `employment`, `production`, `access`, `reference`, `audit`); what every area shares (time, ids, refusals) stays here at
//! the root.
//!
//! Invariant: nothing here does I/O, reads the clock, draws random numbers or knows of SQL or
//! HTTP. Time, ids and the outcome of cryptographic checks come in as arguments.

pub mod access;
pub mod audit;
pub mod card;
pub mod employment;
pub mod ids;
pub mod insurance;
pub mod medical;
pub mod money;
pub mod person;
pub mod production;
pub mod reference;
pub mod refusal;
pub mod text;
pub mod time;

pub use refusal::Refusal;
