//! Personal identification numbers: six digits, never printed, weak choices refused.
//!
//! The domain never sees a stored PIN. The application keeps a keyed verification value and
//! tells the domain only whether an entered PIN matched (see `card` and `account`).

use std::fmt;

use crate::Refusal;
use crate::person::identity::CitizenId;

/// What [`Pin::parse`] accepts, as a JSON Schema pattern: exactly six ASCII digits.
pub const PIN_PATTERN: &str = "^[0-9]{6}$";

/// A PIN as entered. `Debug` prints stars; there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

impl Pin {
    /// Exactly six ASCII digits.
    pub fn parse(input: &str) -> Result<Pin, Refusal> {
        if input.len() == 6 && input.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Pin(input.to_owned()))
        } else {
            Err(Refusal::PinFormat)
        }
    }

    /// The digits, for computing the verification value. Call sites are few and reviewed.
    pub fn expose_digits(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(******)")
    }
}

/// Default PINs that issuers print on mailers; a holder may never choose them.
const DEFAULT_PINS: [&str; 3] = ["123456", "888888", "000000"];

/// Refuses PINs that are easy to guess (card.md: defaults, all-same digits, ascending or
/// descending runs, the birth date, the last six characters of the ID number).
pub fn check_strength(pin: &Pin, holder: &CitizenId) -> Result<(), Refusal> {
    let digits: Vec<u8> = pin.0.bytes().map(|b| b - b'0').collect();
    if DEFAULT_PINS.contains(&pin.0.as_str()) {
        return Err(Refusal::PinWeak {
            reason: "a default PIN",
        });
    }
    if digits.windows(2).all(|w| w[0] == w[1]) {
        return Err(Refusal::PinWeak {
            reason: "all digits the same",
        });
    }
    if digits.windows(2).all(|w| w[1] == (w[0] + 1) % 10)
        || digits.windows(2).all(|w| w[0] == (w[1] + 1) % 10)
    {
        return Err(Refusal::PinWeak {
            reason: "an ascending or descending run",
        });
    }
    let birth = holder.birth_date();
    let yymmdd = format!(
        "{:02}{:02}{:02}",
        birth.year().rem_euclid(100),
        birth.month(),
        birth.day()
    );
    let mmddyy = format!(
        "{:02}{:02}{:02}",
        birth.month(),
        birth.day(),
        birth.year().rem_euclid(100)
    );
    if pin.0 == yymmdd || pin.0 == mmddyy {
        return Err(Refusal::PinWeak {
            reason: "the birth date",
        });
    }
    if pin.0 == holder.last_six() {
        return Err(Refusal::PinWeak {
            reason: "the last six characters of the ID number",
        });
    }
    Ok(())
}

/// The stored, keyed verification value of a PIN (`key id` + MAC), opaque to the domain.
#[derive(Clone, PartialEq, Eq)]
pub struct PinVerificationValue(String);

impl PinVerificationValue {
    pub fn new(encoded: impl Into<String>) -> Self {
        Self(encoded.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PinVerificationValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PinVerificationValue(..)")
    }
}

/// Consecutive wrong entries of one PIN and whether it is locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PinCounter {
    pub failures: u32,
    pub locked: bool,
}

impl PinCounter {
    /// Applies one verification outcome. A locked PIN stays locked whatever is entered, and
    /// the count never exceeds the limit.
    pub fn record(
        self,
        matched: bool,
        retries_max: u32,
        side: &'static str,
    ) -> (PinCounter, Result<(), Refusal>) {
        if self.locked {
            return (self, Err(Refusal::PinLocked { side }));
        }
        if matched {
            return (PinCounter::default(), Ok(()));
        }
        let failures = (self.failures + 1).min(retries_max);
        if failures >= retries_max {
            (
                PinCounter {
                    failures,
                    locked: true,
                },
                Err(Refusal::PinLocked { side }),
            )
        } else {
            (
                PinCounter {
                    failures,
                    locked: false,
                },
                Err(Refusal::PinIncorrect {
                    retries_left: retries_max - failures,
                }),
            )
        }
    }

    /// Staff unlock: only a locked PIN can be unlocked.
    pub fn unlock(self) -> Result<PinCounter, Refusal> {
        if self.locked {
            Ok(PinCounter::default())
        } else {
            Err(Refusal::PinNotLocked)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;
    use crate::time::Date;

    fn holder() -> CitizenId {
        CitizenId::parse("330106199003071236", Date::new(2026, 1, 1).unwrap()).unwrap()
    }

    #[test]
    fn a_pin_is_six_digits() {
        assert!(Pin::parse("12345").is_err());
        assert!(Pin::parse("1234567").is_err());
        assert!(Pin::parse("12a456").is_err());
        assert!(Pin::parse("740193").is_ok());
    }

    #[test]
    fn weak_pins_are_refused_with_their_reason() {
        let id = holder();
        for (pin, reason) in [
            ("123456", "a default PIN"),
            ("777777", "all digits the same"),
            ("345678", "an ascending or descending run"),
            ("987654", "an ascending or descending run"),
            ("900307", "the birth date"),
            ("030790", "the birth date"),
            ("071236", "the last six characters of the ID number"),
        ] {
            assert_eq!(
                check_strength(&Pin::parse(pin).unwrap(), &id),
                Err(Refusal::PinWeak { reason }),
                "{pin}"
            );
        }
        assert_eq!(check_strength(&Pin::parse("740193").unwrap(), &id), Ok(()));
    }

    #[test]
    fn a_pin_never_prints() {
        assert_eq!(
            format!("{:?}", Pin::parse("740193").unwrap()),
            "Pin(******)"
        );
    }

    #[test]
    fn pin_types_print_masked_alone_pretty_and_inside_other_values() {
        let pin = Pin::parse("740193").unwrap();
        let value = PinVerificationValue::new("k1:5f3a740193c0ffee");
        let printed = [
            format!("{pin:#?}"),
            format!("{:?}", Some(pin.clone())),
            format!("{:#?}", (pin.clone(), vec![pin])),
            format!("{value:?}"),
            format!("{value:#?}"),
            format!("{:?}", Some(value)),
        ];
        for text in &printed {
            assert!(!text.contains("740193") && !text.contains("k1:"), "{text}");
        }
        assert_eq!(printed[3], "PinVerificationValue(..)");
    }

    #[test]
    fn the_counter_locks_at_the_limit_and_never_exceeds_it() {
        let mut counter = PinCounter::default();
        let (next, outcome) = counter.record(false, 3, "financial");
        assert_eq!(outcome, Err(Refusal::PinIncorrect { retries_left: 2 }));
        counter = next;
        counter = counter.record(false, 3, "financial").0;
        let (locked, outcome) = counter.record(false, 3, "financial");
        assert_eq!(outcome, Err(Refusal::PinLocked { side: "financial" }));
        assert!(locked.locked);
        let (still, outcome) = locked.record(true, 3, "financial");
        assert_eq!(outcome, Err(Refusal::PinLocked { side: "financial" }));
        assert_eq!(still.failures, 3);
        assert_eq!(still.unlock().unwrap(), PinCounter::default());
        assert_eq!(PinCounter::default().unlock(), Err(Refusal::PinNotLocked));
    }

    #[test]
    fn a_correct_pin_resets_the_count() {
        let counter = PinCounter::default().record(false, 6, "social").0;
        assert_eq!(counter.record(true, 6, "social").0, PinCounter::default());
    }
}
