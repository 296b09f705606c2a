//! Money: the card's financial account, its ledger of amounts and stripes, and the approvals
//! a large movement waits for.

pub mod account;
pub mod approval;
pub mod ledger;
