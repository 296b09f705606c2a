//! The person registry's rules: one person per citizen ID number, with gender and birth date
//! derived from the number (identity.md: a record that disagrees is an error, not a second
//! truth).

pub mod identity;

use crate::ids::{PersonId, RegionCode};
use crate::time::{Date, Timestamp};
use identity::{CitizenId, Gender};

/// Urban or rural household registration (户口性质).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HouseholdKind {
    Urban,
    Rural,
}

impl HouseholdKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HouseholdKind::Urban => "urban",
            HouseholdKind::Rural => "rural",
        }
    }

    pub fn parse(input: &str) -> Option<HouseholdKind> {
        match input {
            "urban" => Some(HouseholdKind::Urban),
            "rural" => Some(HouseholdKind::Rural),
            _ => None,
        }
    }
}

/// Why a registration or correction is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonError {
    /// A field is missing, too long or malformed; names the field.
    Field {
        field: &'static str,
        reason: &'static str,
    },
}

impl PersonError {
    pub fn field(&self) -> &'static str {
        match self {
            PersonError::Field { field, .. } => field,
        }
    }

    pub fn reason(&self) -> &'static str {
        match self {
            PersonError::Field { reason, .. } => reason,
        }
    }
}

/// A registered person. Personal data (ID number, name, phone) travels in the types that
/// mask it; storage encrypts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: PersonId,
    pub citizen_id: CitizenId,
    pub name: PersonName,
    /// ISO 3166-1 alpha-3 nationality, `CHN` for citizens.
    pub nationality: String,
    pub household_region: RegionCode,
    pub household_kind: HouseholdKind,
    pub phone: Option<String>,
    pub registered_at: Timestamp,
    pub version: i64,
}

impl Person {
    pub fn gender(&self) -> Gender {
        self.citizen_id.gender()
    }

    pub fn birth_date(&self) -> Date {
        self.citizen_id.birth_date()
    }
}

/// A person's name: 1 to 50 characters, no control characters. `Debug` shows the first
/// character only.
#[derive(Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<PersonName, PersonError> {
        let trimmed = input.trim();
        let count = trimmed.chars().count();
        if count == 0 || count > 50 || trimmed.chars().any(char::is_control) {
            return Err(PersonError::Field {
                field: "name",
                reason: "1 to 50 characters, no control characters",
            });
        }
        Ok(PersonName(trimmed.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The first character, then one star per further character (张** for 张三丰).
    pub fn masked(&self) -> String {
        let mut chars = self.0.chars();
        let first = chars.next().map(String::from).unwrap_or_default();
        first + &"*".repeat(chars.count())
    }
}

impl std::fmt::Debug for PersonName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PersonName({})", self.masked())
    }
}

/// What [`parse_nationality`] accepts, as a JSON Schema pattern: three ASCII letters (of
/// either case), blanks around.
pub const NATIONALITY_PATTERN: &str = r"^\s*[A-Za-z]{3}\s*$";

/// A nationality code: three upper-case letters.
pub fn parse_nationality(input: &str) -> Result<String, PersonError> {
    let code = input.trim().to_ascii_uppercase();
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err(PersonError::Field {
            field: "nationality",
            reason: "three letters, ISO 3166-1 alpha-3",
        })
    }
}

/// What [`parse_phone`] accepts, as a JSON Schema pattern: 5 to 20 characters of digits,
/// spaces, `+` and `-` that neither start nor end with a space, blanks around.
pub const PHONE_PATTERN: &str = r"^\s*[0-9+-][0-9+ -]{3,18}[0-9+-]\s*$";

/// A contact phone: 5 to 20 characters of digits, spaces, `+` and `-`.
pub fn parse_phone(input: &str) -> Result<String, PersonError> {
    let phone = input.trim();
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' '));
    if (5..=20).contains(&phone.len()) && allowed {
        Ok(phone.to_owned())
    } else {
        Err(PersonError::Field {
            field: "phone",
            reason: "5 to 20 digits, spaces, + or -",
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    /// Asserts that personal data shows only its mask: `masked` (what its `masked()` gave) is
    /// `expected`, `{:?}` shows `type_name(expected)`, and neither `{:?}` nor `{:#?}` holds
    /// the `clear` value.
    pub(super) fn assert_masked(
        value: &impl std::fmt::Debug,
        type_name: &str,
        masked: &str,
        expected: &str,
        clear: &str,
    ) {
        assert_eq!(masked, expected);
        assert_eq!(format!("{value:?}"), format!("{type_name}({expected})"));
        assert!(!format!("{value:?}").contains(clear));
        assert!(!format!("{value:#?}").contains(clear));
    }

    #[test]
    fn names_are_masked_after_the_first_character() {
        let name = PersonName::parse(" 张三丰 ").unwrap();
        assert_eq!(name.expose(), "张三丰");
        assert_masked(&name, "PersonName", &name.masked(), "张**", name.expose());
        assert!(PersonName::parse("").is_err());
        assert!(PersonName::parse("a\u{0}b").is_err());
    }

    #[test]
    fn nationality_and_phone_are_checked() {
        assert_eq!(parse_nationality("chn").unwrap(), "CHN");
        assert!(parse_nationality("CN").is_err());
        assert!(parse_phone("+86 138-0000-0000").is_ok());
        assert!(parse_phone("call me").is_err());
    }
}
