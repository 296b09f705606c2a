//! Who may act: staff users and their sessions (`auth`), holders' own logins
//! (`holder_logins`), and the two bounds on guessing: failed sign-ins per login and address
//! (`sign_in_guard`) and look-ups by ID number per actor (`lookup_limit`).

pub mod auth;
pub mod holder_logins;
pub mod lookup_limit;
pub mod sign_in_guard;
