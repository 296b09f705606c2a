//! The pure rules of the social security card: identity numbers, the card's life, the
//! financial account and its ledger, region parameters, who may do what, and the audit chain.
//!
//! Invariant: nothing here does I/O, reads the clock, draws random numbers or knows of SQL or
//! HTTP. Time, ids and the outcome of cryptographic checks come in as arguments.

pub mod access;
pub mod account;
pub mod approval;
pub mod audit;
pub mod card;
pub mod identity;
pub mod ids;
pub mod insurance;
pub mod ledger;
pub mod medical;
pub mod person;
pub mod pin;
pub mod refusal;
pub mod region;
pub mod time;

pub use refusal::Refusal;
