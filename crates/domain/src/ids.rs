//! Identifiers of the system's records. They are opaque strings chosen by the application
//! (random, prefixed by kind) so that tests can pick their own.

use std::fmt;

/// Declares an opaque identifier newtype. A macro because the eight id types differ only in
/// their name; each stays a distinct type so a card id can never be passed as a person id.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Wraps an id read from storage or chosen by the application.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A registered person.
    PersonId
);
id_type!(
    /// One physical (or temporary) card.
    CardId
);
id_type!(
    /// The financial (bank) account a card carries.
    AccountId
);
id_type!(
    /// A cooperating bank.
    BankId
);
id_type!(
    /// A branch of a cooperating bank.
    BranchId
);
id_type!(
    /// A ledger transfer.
    TransferId
);
id_type!(
    /// A staff member, cardholder login or machine client.
    UserId
);
id_type!(
    /// An issuing region, by its six-digit administrative division code.
    RegionCode
);

/// What [`RegionCode::parse`] accepts, as a JSON Schema pattern: six digits, spaces around.
pub const REGION_CODE_PATTERN: &str = r"^\s*[0-9]{6}\s*$";

impl RegionCode {
    /// A region code is six ASCII digits (GB/T 2260).
    pub fn parse(input: &str) -> Option<RegionCode> {
        let trimmed = input.trim();
        (trimmed.len() == 6 && trimmed.bytes().all(|b| b.is_ascii_digit()))
            .then(|| RegionCode(trimmed.to_owned()))
    }

    /// The province a region belongs to: its first two digits.
    pub fn province(&self) -> &str {
        self.0.get(..2).unwrap_or("")
    }
}
id_type!(
    /// An insured unit (employer).
    EmployerId
);
