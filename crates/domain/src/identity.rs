//! Numbers that identify people, employers and cards, with their check-character rules.
//!
//! Rules follow `shared/domain/identity.md`: GB 11643-1999 citizen identity numbers (which are
//! also the personal social security number), Luhn bank card numbers, the card identification
//! code and card number printed on the social security card, and GB 32100-2015 unified social
//! credit codes. Every parsed value is stored in one normalised spelling so that equality and
//! lookups never depend on how a clerk typed it.
//!
//! Citizen identity and bank card numbers are personal data: their types deliberately have no
//! `Display`, and their `Debug` shows only the masked form, so that logging a value by accident
//! cannot leak it.

use std::fmt;

use crate::time::{Date, Timestamp, UtcOffset};

/// Why an identifying number was rejected. `code()` is stable for API clients; the `Display`
/// sentence is for people and may be reworded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentityError {
    /// The number has the wrong number of characters.
    Length,
    /// A character is not allowed at its position.
    Character,
    /// The check character does not match the rest of the number.
    CheckCharacter {
        /// The check character the rest of the number calls for.
        expected: char,
    },
    /// The embedded birth date is not a real calendar date.
    BirthDate,
    /// The embedded birth date is after today.
    FutureBirthDate,
    /// The first digits are not a known province prefix.
    Province,
    /// A legacy 15-digit number with sequence 996-999, which the old standard reserved for
    /// centenarians: the century cannot be assumed to be 19xx, so a person must decide.
    CentenarianSequence,
    /// The Luhn check digit is wrong.
    Luhn,
    /// The overall layout does not match the expected pattern.
    Format,
}

impl IdentityError {
    /// A stable snake_case code for API responses and logs.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            IdentityError::Length => "invalid_length",
            IdentityError::Character => "invalid_character",
            IdentityError::CheckCharacter { .. } => "check_character_mismatch",
            IdentityError::BirthDate => "invalid_birth_date",
            IdentityError::FutureBirthDate => "birth_date_in_future",
            IdentityError::Province => "unknown_province",
            IdentityError::CentenarianSequence => "manual_review_required",
            IdentityError::Luhn => "luhn_check_failed",
            IdentityError::Format => "invalid_format",
        }
    }
}

impl fmt::Display for IdentityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdentityError::Length => f.write_str("The number has the wrong length."),
            IdentityError::Character => {
                f.write_str("The number contains a character that is not allowed there.")
            }
            IdentityError::CheckCharacter { expected } => write!(
                f,
                "The check character does not match the rest of the number (expected {expected})."
            ),
            IdentityError::BirthDate => {
                f.write_str("The birth date in the number is not a real calendar date.")
            }
            IdentityError::FutureBirthDate => {
                f.write_str("The birth date in the number is in the future.")
            }
            IdentityError::Province => {
                f.write_str("The number does not start with a known province code.")
            }
            IdentityError::CentenarianSequence => f.write_str(
                "The 15-digit number uses a sequence reserved for centenarians and needs manual review.",
            ),
            IdentityError::Luhn => f.write_str("The card number fails the Luhn check."),
            IdentityError::Format => f.write_str("The number does not have the expected format."),
        }
    }
}

impl std::error::Error for IdentityError {}

/// Gender as derived from the citizen identity number (the number is the single source of truth).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Gender {
    /// Odd sequence digit.
    Male,
    /// Even sequence digit.
    Female,
}

impl Gender {
    /// `"male"` or `"female"`, the stable spelling used in storage and APIs.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    /// The inverse of [`Gender::as_str`]; exact match only so stored values stay canonical.
    #[must_use]
    pub fn parse(s: &str) -> Option<Gender> {
        match s {
            "male" => Some(Gender::Male),
            "female" => Some(Gender::Female),
            _ => None,
        }
    }
}

/// Two-digit province prefixes of GB/T 2260 plus 71 (Taiwan), 81/82 (Hong Kong, Macao) and 83
/// (Taiwan residence permit). Prefixes starting with 9 are handled separately.
const PROVINCES: [&str; 35] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    "81", "82", "83",
];

/// Whether `prefix2` (the first two digits of a citizen identity number) is a known prefix.
///
/// Any two-digit prefix starting with `9` is accepted, because foreigner permanent-residence
/// IDs (2023) use a leading 9 followed by a code that is not a province. Only the prefix is
/// checked, never the full 6-digit county code: codes are retired over time but numbers
/// assigned under them stay valid for life.
#[must_use]
pub fn is_known_province(prefix2: &str) -> bool {
    let b = prefix2.as_bytes();
    if b.len() != 2 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    b[0] == b'9' || PROVINCES.contains(&prefix2)
}

/// ISO 7064 MOD 11-2 weights for positions 1-17 of a citizen identity number.
const CITIZEN_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each value of the weighted sum modulo 11.
const CITIZEN_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The ISO 7064 MOD 11-2 check character for the first 17 digits of a citizen identity number,
/// or `None` unless `first17` is exactly 17 ASCII digits.
#[must_use]
pub fn check_character(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 {
        return None;
    }
    let mut sum: u32 = 0;
    for (&c, &w) in b.iter().zip(CITIZEN_WEIGHTS.iter()) {
        if !c.is_ascii_digit() {
            return None;
        }
        sum += u32::from(c - b'0') * w;
    }
    let index = usize::try_from(sum % 11).ok()?;
    CITIZEN_CHECK.get(index).copied()
}

/// Numeric value of a run of ASCII digits (callers have already checked they are digits).
fn digits_value(s: &str) -> Option<u32> {
    let mut value: u32 = 0;
    for b in s.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
    }
    Some(value)
}

/// The birth date at positions 7-14 of an 18-character number, if it is a real date.
fn birth_date_of(number18: &str) -> Option<Date> {
    let year = i32::try_from(digits_value(number18.get(6..10)?)?).ok()?;
    let month = u8::try_from(digits_value(number18.get(10..12)?)?).ok()?;
    let day = u8::try_from(digits_value(number18.get(12..14)?)?).ok()?;
    Date::new(year, month, day)
}

/// A validated citizen identity number (= personal social security number), always stored as
/// the normalised 18-character form with an upper-case `X`.
///
/// There is no `Display`: callers must choose [`CitizenId::as_str`] or [`CitizenId::masked`],
/// so showing the full number is always a visible decision.
/// The `today` of [`CitizenId::parse`] where no region is at hand (an ID number is read before
/// anyone knows the holder's region, and its issuing area need not be a region here): the
/// latest date on Earth at `now` (UTC+14), never UTC's. A person born today in any region is
/// then never refused; a birth date can pass at most one day before its region reaches it,
/// which harms no one, while refusing a newborn would.
#[must_use]
pub fn citizen_id_today(now: Timestamp) -> Date {
    now.local_date(UtcOffset::LATEST)
}

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CitizenId(String);

impl CitizenId {
    /// Parses and validates an 18-character number, or converts and validates a legacy
    /// 15-character one. Surrounding whitespace is ignored and a lower-case `x` is accepted.
    ///
    /// `today` is passed in rather than read from a clock so the rule is deterministic.
    ///
    /// # Errors
    /// The [`IdentityError`] for the first rule the input breaks, checked in the order length,
    /// characters, (legacy) centenarian sequence, province, birth date, check character.
    pub fn parse(input: &str, today: Date) -> Result<CitizenId, IdentityError> {
        let s = input.trim();
        match s.chars().count() {
            18 => Self::parse18(s, today),
            15 => Self::parse15(s, today),
            _ => Err(IdentityError::Length),
        }
    }

    fn parse18(s: &str, today: Date) -> Result<CitizenId, IdentityError> {
        let b = s.as_bytes();
        // Length was counted in chars; a multi-byte char makes the byte length differ, and is
        // a character error either way.
        if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
            return Err(IdentityError::Character);
        }
        let last = match b[17] {
            c @ b'0'..=b'9' => char::from(c),
            b'X' | b'x' => 'X',
            _ => return Err(IdentityError::Character),
        };
        let first17 = s.get(..17).ok_or(IdentityError::Character)?;
        Self::validate(first17, last, today)
    }

    fn parse15(s: &str, today: Date) -> Result<CitizenId, IdentityError> {
        let b = s.as_bytes();
        if b.len() != 15 || !b.iter().all(u8::is_ascii_digit) {
            return Err(IdentityError::Character);
        }
        // Checked before conversion: for these sequences the century is unknown, so even a
        // "valid" 19xx result could name the wrong person.
        let sequence = s
            .get(12..15)
            .and_then(digits_value)
            .ok_or(IdentityError::Character)?;
        if (996..=999).contains(&sequence) {
            return Err(IdentityError::CentenarianSequence);
        }
        let (address, rest) = s.split_at(6);
        let first17 = format!("{address}19{rest}");
        let check = check_character(&first17).ok_or(IdentityError::Character)?;
        Self::validate(&first17, check, today)
    }

    /// Shared rules for a normalised 17-digit body and its (upper-case) check character.
    fn validate(first17: &str, last: char, today: Date) -> Result<CitizenId, IdentityError> {
        if !first17.get(..2).is_some_and(is_known_province) {
            return Err(IdentityError::Province);
        }
        // The date is checked before the check character so that a typo in the date gets the
        // more helpful message.
        let birth = birth_date_of(first17).ok_or(IdentityError::BirthDate)?;
        if birth > today {
            return Err(IdentityError::FutureBirthDate);
        }
        let expected = check_character(first17).ok_or(IdentityError::Character)?;
        if last != expected {
            return Err(IdentityError::CheckCharacter { expected });
        }
        let mut number = String::with_capacity(18);
        number.push_str(first17);
        number.push(last);
        Ok(CitizenId(number))
    }

    /// The full normalised 18-character number. Only for storage and authorised display.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Gender from the 17th digit: odd is male, even is female.
    #[must_use]
    pub fn gender(&self) -> Gender {
        let odd = self
            .0
            .as_bytes()
            .get(16)
            .is_some_and(|d| (d - b'0') % 2 == 1);
        if odd { Gender::Male } else { Gender::Female }
    }

    /// The birth date encoded at positions 7-14.
    #[must_use]
    pub fn birth_date(&self) -> Date {
        // `parse` only builds values whose date is real, so the fallback is unreachable; it
        // exists so this accessor has no panicking path.
        birth_date_of(&self.0).unwrap_or_else(|| Date::from_days_since_epoch(0))
    }

    /// The 6-digit address code (county of household registration when the number was
    /// assigned; it may no longer exist in the current division list).
    #[must_use]
    pub fn address_code(&self) -> &str {
        self.0.get(..6).unwrap_or_default()
    }

    /// The last six characters, commonly used as a secondary check in conversations.
    #[must_use]
    pub fn last_six(&self) -> &str {
        self.0.get(12..).unwrap_or_default()
    }

    /// The number as anyone who has not unmasked it sees it: the province (first two
    /// characters) and sixteen `*`, e.g. `11****************`.
    ///
    /// Issue 13, finding 3: the old form (first 4 and last 4) beside the birth date and
    /// gender left 9 candidates. Positions 7-18 (birth date, sequence, check character) are
    /// never shown masked, so with the address code and gender known and the birth date
    /// shown only to the decade ([`masked_birth_date`]), at least 3,652 dates x 500 sequences
    /// remain.
    #[must_use]
    pub fn masked(&self) -> String {
        mask(&self.0, MASKED_HEAD, 0)
    }
}

/// Characters of a citizen ID number shown in its masked form: the province.
const MASKED_HEAD: usize = 2;

/// A typed ID number that may not be valid (a declaration row, a look-up that failed to
/// parse), masked as [`CitizenId::masked`] masks a valid one: the first two characters and
/// `*` for the rest when it is at least 18 characters long, else only `*` (a short or
/// mistyped number shows nothing of itself).
#[must_use]
pub fn mask_citizen_input(input: &str) -> String {
    let count = input.chars().count();
    if count < CITIZEN_ID_LENGTH {
        return "*".repeat(count);
    }
    // Only letters and digits are shown, so a masked input never carries a separator or a
    // quote into the CSV, HTML or JSON it is written to.
    let head: String = input
        .chars()
        .take(MASKED_HEAD)
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '*' })
        .collect();
    format!("{head}{}", "*".repeat(count - MASKED_HEAD))
}

/// Characters of a (normalised) citizen ID number.
const CITIZEN_ID_LENGTH: usize = 18;

/// A birth date as anyone but the person and an unmasked view sees it: its decade, e.g.
/// `198*-**-**` (issue 13, finding 3: a decade is 3,652 or 3,653 dates, which with 500
/// sequences of one gender leaves more than 10^6 candidates for the ID number). The decade
/// `today` falls in holds only the dates up to `today`; while they are fewer than
/// [`BIRTH_DATES_MIN`], the century is shown instead (`20**-**-**`).
#[must_use]
pub fn masked_birth_date(date: Date, today: Date) -> String {
    let year = format!("{:04}", date.year());
    let decade_start = Date::new(date.year() - date.year().rem_euclid(10), 1, 1);
    let possible = decade_start.map_or(i64::MAX, |start| {
        today.days_since_epoch() - start.days_since_epoch() + 1
    });
    let hidden = if possible < BIRTH_DATES_MIN { 2 } else { 1 };
    let shown = year
        .get(..year.len().saturating_sub(hidden))
        .unwrap_or_default();
    format!("{shown}{}-**-**", "*".repeat(hidden))
}

/// Fewest birth dates a masked birth date may leave: with 500 sequences of one gender,
/// 2,000 dates are 10^6 candidates (issue 13, finding 3).
pub const BIRTH_DATES_MIN: i64 = 2_000;

/// `text` with every ID number masked in the form written before issue 13 (first 4 and
/// last 4, e.g. `1101**********002X`) replaced by today's form (`11****************`), or
/// `None` when there is none. For stored data rendered again (idempotent answers,
/// certificate summaries): the old form left 16 of 18 characters.
#[must_use]
pub fn remask_legacy(text: &str) -> Option<String> {
    const OLD_MASK_STARS: usize = 10;
    let bytes = text.as_bytes();
    let is_legacy_at = |start: usize| {
        let window = bytes.get(start..start + CITIZEN_ID_LENGTH);
        window.is_some_and(|w| {
            w[..4].iter().all(u8::is_ascii_digit)
                && w[4..4 + OLD_MASK_STARS].iter().all(|&b| b == b'*')
                && w[14..17].iter().all(u8::is_ascii_digit)
                && (w[17].is_ascii_digit() || w[17] == b'X')
        })
    };
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut at = 0;
    while at + CITIZEN_ID_LENGTH <= bytes.len() {
        if is_legacy_at(at) {
            let buffer = out.get_or_insert_with(|| String::with_capacity(text.len()));
            buffer.push_str(text.get(copied..at + MASKED_HEAD).unwrap_or_default());
            buffer.push_str(&"*".repeat(CITIZEN_ID_LENGTH - MASKED_HEAD));
            at += CITIZEN_ID_LENGTH;
            copied = at;
        } else {
            at += 1;
        }
    }
    let mut buffer = out?;
    buffer.push_str(text.get(copied..).unwrap_or_default());
    Some(buffer)
}

/// `text` (a reason, a note, a memo a person typed) with every run of digits that may be a
/// citizen ID number or a bank card number masked, for an audit trail that must never hold
/// one in clear (review of issue 13). A run is a maximal sequence of digits (ASCII or
/// full-width), with a trailing `X` or `x` when it has 17 digits:
///
/// - 15, 17 or 18 digits, or 17 and an `X` (an ID number, or one mistyped by a character):
///   masked as [`mask_citizen_input`] masks it (`11****************`, or only `*`);
/// - 16 or 19 digits (a bank card number): its first 6 and last 4 digits, as
///   [`BankCardNumber::masked`] shows one;
/// - 20 digits or more (what may hold either): masked as [`mask_citizen_input`] masks it.
///
/// Shorter runs (an amount, a date, a phone number, a transfer id) are left as they are.
#[must_use]
pub fn mask_id_numbers_in(text: &str) -> String {
    let is_digit = |c: char| c.is_ascii_digit() || ('\u{ff10}'..='\u{ff19}').contains(&c);
    let is_check_x = |c: char| matches!(c, 'X' | 'x' | '\u{ff38}' | '\u{ff58}');
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if !is_digit(c) {
            out.push(c);
            continue;
        }
        let mut run = String::from(c);
        while let Some(next) = chars.next_if(|&n| is_digit(n)) {
            run.push(next);
        }
        let digits = run.chars().count();
        if digits == CITIZEN_ID_LENGTH - 1
            && let Some(x) = chars.next_if(|&n| is_check_x(n))
        {
            run.push(x);
        }
        out.push_str(&mask_run(&run, digits));
    }
    out
}

/// One run of [`mask_id_numbers_in`], `digits` of its characters digits.
fn mask_run(run: &str, digits: usize) -> String {
    const BANK_HEAD: usize = 6;
    const BANK_TAIL: usize = 4;
    match digits {
        ..=14 => run.to_owned(),
        16 | 19 => run
            .chars()
            .enumerate()
            .map(|(at, c)| {
                if at < BANK_HEAD || at >= digits - BANK_TAIL {
                    c
                } else {
                    '*'
                }
            })
            .collect(),
        _ => mask_citizen_input(run),
    }
}

impl fmt::Debug for CitizenId {
    /// Masked on purpose: a `{:?}` in a log line must not leak the full number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CitizenId({})", self.masked())
    }
}

/// Keeps `head` leading and `tail` trailing characters and replaces the rest with `*`.
/// Inputs are ASCII, validated by the callers' parsers.
fn mask(s: &str, head: usize, tail: usize) -> String {
    let len = s.len();
    if len <= head + tail {
        return "*".repeat(len);
    }
    let mut out = String::with_capacity(len);
    out.push_str(s.get(..head).unwrap_or_default());
    out.push_str(&"*".repeat(len - head - tail));
    out.push_str(s.get(len - tail..).unwrap_or_default());
    out
}

/// Luhn sum of `digits` where the rightmost digit is doubled when `double_rightmost` is set
/// (as when computing a check digit to append). `None` if any byte is not an ASCII digit.
fn luhn_sum(digits: &str, double_rightmost: bool) -> Option<u32> {
    let mut sum: u32 = 0;
    let mut double = double_rightmost;
    for b in digits.bytes().rev() {
        if !b.is_ascii_digit() {
            return None;
        }
        let mut d = u32::from(b - b'0');
        if double {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
        double = !double;
    }
    Some(sum)
}

/// Whether `digits` (ASCII digits only, at least two) passes the Luhn check (ISO/IEC 7812-1).
#[must_use]
pub fn luhn_valid(digits: &str) -> bool {
    // A single digit "0" would pass trivially; a check digit needs a payload to protect.
    digits.len() >= 2 && luhn_sum(digits, false).is_some_and(|s| s % 10 == 0)
}

/// The Luhn check digit to append to `payload`, or `None` unless `payload` is one or more
/// ASCII digits.
#[must_use]
pub fn luhn_check_digit(payload: &str) -> Option<char> {
    if payload.is_empty() {
        return None;
    }
    let sum = luhn_sum(payload, true)?;
    char::from_digit((10 - sum % 10) % 10, 10)
}

/// A bank card number (the financial account linked to the social security card):
/// 12-19 digits passing Luhn, stored without spaces.
///
/// The BIN says nothing about whether a card is a social security card (many regions issue on
/// ordinary debit BINs), so this type deliberately offers no such inference.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BankCardNumber(String);

impl BankCardNumber {
    /// Parses a card number, ignoring spaces (cards print digits in groups).
    ///
    /// # Errors
    /// [`IdentityError::Character`] for anything but digits and spaces,
    /// [`IdentityError::Length`] outside 12..=19 digits, [`IdentityError::Luhn`] on a bad
    /// check digit.
    pub fn parse(input: &str) -> Result<BankCardNumber, IdentityError> {
        let digits: String = input.chars().filter(|&c| c != ' ').collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdentityError::Character);
        }
        if !(12..=19).contains(&digits.len()) {
            return Err(IdentityError::Length);
        }
        if !luhn_valid(&digits) {
            return Err(IdentityError::Luhn);
        }
        Ok(BankCardNumber(digits))
    }

    /// Appends the Luhn check digit to an 11-18 digit payload.
    #[must_use]
    pub fn with_check_digit(payload: &str) -> Option<BankCardNumber> {
        let check = luhn_check_digit(payload)?;
        let mut number = String::with_capacity(payload.len() + 1);
        number.push_str(payload);
        number.push(check);
        BankCardNumber::parse(&number).ok()
    }

    /// The full digits. Only for storage and holders of the unmask permission.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// First 6 and last 4 digits with `*` between, the most PCI DSS 3.4.1 allows to show
    /// without an unmask permission.
    #[must_use]
    pub fn masked(&self) -> String {
        mask(&self.0, 6, 4)
    }
}

impl fmt::Debug for BankCardNumber {
    /// Masked on purpose: a `{:?}` in a log line must not leak the full number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BankCardNumber({})", self.masked())
    }
}

/// The registered application provider id embedded in every card identification code.
const PROVIDER_ID: &str = "D156000005";

/// The 32-character card identification code (卡识别码): 6-digit issuing-area code,
/// `D156000005`, then 16 upper-case hex characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CardIdentificationCode(String);

impl CardIdentificationCode {
    /// Parses `^\d{6}D156000005[0-9A-F]{16}$` after trimming surrounding whitespace.
    ///
    /// Lower-case hex is rejected rather than normalised: the code is read from the chip, so a
    /// different spelling means it was transcribed, not read.
    ///
    /// # Errors
    /// [`IdentityError::Length`] unless 32 characters, [`IdentityError::Format`] when the
    /// provider id is wrong, [`IdentityError::Character`] for a bad area digit or hex character.
    pub fn parse(input: &str) -> Result<CardIdentificationCode, IdentityError> {
        let s = input.trim();
        if s.chars().count() != 32 {
            return Err(IdentityError::Length);
        }
        let b = s.as_bytes();
        if b.len() != 32 {
            return Err(IdentityError::Character);
        }
        if b.get(6..16) != Some(PROVIDER_ID.as_bytes()) {
            return Err(IdentityError::Format);
        }
        let area_ok = b[..6].iter().all(u8::is_ascii_digit);
        let serial_ok = b[16..]
            .iter()
            .all(|c| matches!(c, b'0'..=b'9' | b'A'..=b'F'));
        if !area_ok || !serial_ok {
            return Err(IdentityError::Character);
        }
        Ok(CardIdentificationCode(s.to_owned()))
    }

    /// Builds a code from a 6-digit area code and a serial written as 16 upper-case hex digits.
    #[must_use]
    pub fn compose(area: &str, serial: u64) -> Option<CardIdentificationCode> {
        CardIdentificationCode::parse(&format!("{area}{PROVIDER_ID}{serial:016X}")).ok()
    }

    /// The code as stored.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 6-digit issuing-area code.
    #[must_use]
    pub fn issuing_area(&self) -> &str {
        self.0.get(..6).unwrap_or_default()
    }
}

/// The 9-character card number (卡号) printed on the card: one upper-case ASCII letter and
/// eight digits, e.g. `X00000019`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CardNumber(String);

impl CardNumber {
    /// Parses a card number after trimming surrounding whitespace. Lower-case letters are
    /// rejected: the printed form is upper-case, so anything else is a typo worth flagging.
    ///
    /// # Errors
    /// [`IdentityError::Length`] unless 9 characters, [`IdentityError::Character`] otherwise.
    pub fn parse(input: &str) -> Result<CardNumber, IdentityError> {
        let s = input.trim();
        if s.chars().count() != 9 {
            return Err(IdentityError::Length);
        }
        let b = s.as_bytes();
        if b.len() != 9 || !b[0].is_ascii_uppercase() || !b[1..].iter().all(u8::is_ascii_digit) {
            return Err(IdentityError::Character);
        }
        Ok(CardNumber(s.to_owned()))
    }

    /// Builds `letter` followed by `serial` as eight zero-padded digits; `None` unless the
    /// letter is upper-case ASCII and the serial is below 100 000 000.
    #[must_use]
    pub fn compose(letter: char, serial: u32) -> Option<CardNumber> {
        if !letter.is_ascii_uppercase() || serial >= 100_000_000 {
            return None;
        }
        Some(CardNumber(format!("{letter}{serial:08}")))
    }

    /// The card number as stored.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// GB 32100-2015 character set: digits and upper-case letters without I, O, S, V, Z.
const CREDIT_CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// GB 32100-2015 weights for positions 1-17 (3^i mod 31).
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Index of `c` in the GB 32100-2015 character set.
fn credit_index(c: u8) -> Option<u32> {
    let pos = CREDIT_CHARSET.iter().position(|&x| x == c)?;
    u32::try_from(pos).ok()
}

/// An employer's unified social credit code (GB 32100-2015), stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SocialCreditCode(String);

impl SocialCreditCode {
    /// Parses a code after trimming surrounding whitespace; lower-case letters are accepted
    /// and stored upper-case, since the code is often copied from documents by hand.
    ///
    /// # Errors
    /// [`IdentityError::Length`] unless 18 characters, [`IdentityError::Character`] for a
    /// character outside the set (including I, O, S, V, Z),
    /// [`IdentityError::CheckCharacter`] when the 18th character is wrong.
    pub fn parse(input: &str) -> Result<SocialCreditCode, IdentityError> {
        let s = input.trim();
        if s.chars().count() != 18 {
            return Err(IdentityError::Length);
        }
        let upper = s.to_ascii_uppercase();
        let b = upper.as_bytes();
        if b.len() != 18 {
            return Err(IdentityError::Character);
        }
        let mut sum: u32 = 0;
        for (&c, &w) in b.iter().zip(CREDIT_WEIGHTS.iter()) {
            sum += credit_index(c).ok_or(IdentityError::Character)? * w;
        }
        let given = credit_index(b[17]).ok_or(IdentityError::Character)?;
        // c = 31 - (sum mod 31) is in 1..=31; 31 wraps to 0.
        let check = (31 - sum % 31) % 31;
        if given != check {
            let expected = usize::try_from(check)
                .ok()
                .and_then(|i| CREDIT_CHARSET.get(i))
                .map_or('?', |&c| char::from(c));
            return Err(IdentityError::CheckCharacter { expected });
        }
        Ok(SocialCreditCode(upper))
    }

    /// The normalised upper-case code.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2025, 6, 1).unwrap()
    }

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    fn id(s: &str) -> CitizenId {
        CitizenId::parse(s, today()).unwrap()
    }

    #[test]
    fn valid_citizen_ids_from_spec() {
        let cases = [
            ("11010519491231002X", Gender::Female, d(1949, 12, 31)),
            ("440524188001010014", Gender::Male, d(1880, 1, 1)),
            ("330106199003071236", Gender::Male, d(1990, 3, 7)),
            ("310104198506153523", Gender::Female, d(1985, 6, 15)),
            ("110101200001010010", Gender::Male, d(2000, 1, 1)),
            ("110101200002290026", Gender::Female, d(2000, 2, 29)),
            ("51010420191231999X", Gender::Male, d(2019, 12, 31)),
        ];
        for (number, gender, birth) in cases {
            let c = id(number);
            assert_eq!(c.as_str(), number);
            assert_eq!(c.gender(), gender, "{number}");
            assert_eq!(c.birth_date(), birth, "{number}");
        }
    }

    #[test]
    fn foreigner_and_residence_permits_are_valid() {
        let pr = id("932682198501010017");
        assert_eq!(pr.birth_date(), d(1985, 1, 1));
        assert_eq!(pr.gender(), Gender::Male);
        let hk = id("810000199408230021");
        assert_eq!(hk.birth_date(), d(1994, 8, 23));
        assert_eq!(hk.gender(), Gender::Female);
        let tw = id("830000199201300022");
        assert_eq!(tw.birth_date(), d(1992, 1, 30));
        assert_eq!(tw.gender(), Gender::Female);
    }

    #[test]
    fn retired_address_code_is_accepted() {
        // 440524 is no longer in the division list; only the province prefix is checked.
        assert_eq!(id("440524188001010014").address_code(), "440524");
    }

    #[test]
    fn invalid_citizen_ids_from_spec() {
        let p = |s: &str| CitizenId::parse(s, today());
        assert_eq!(
            p("110105194912310021"),
            Err(IdentityError::CheckCharacter { expected: 'X' })
        );
        assert_eq!(p("11010519491331002X"), Err(IdentityError::BirthDate));
        assert_eq!(p("440305200102290640"), Err(IdentityError::BirthDate));
        assert_eq!(p("11010519491231002"), Err(IdentityError::Length));
        assert_eq!(p("11010519491231002X1"), Err(IdentityError::Length));
        assert_eq!(p("1101A5194912310021"), Err(IdentityError::Character));
        assert_eq!(p("110105203012310025"), Err(IdentityError::FutureBirthDate));
    }

    #[test]
    fn lower_case_x_normalises() {
        let c = id("11010519491231002x");
        assert_eq!(c.as_str(), "11010519491231002X");
        assert_eq!(c, id("11010519491231002X"));
    }

    #[test]
    fn surrounding_whitespace_is_trimmed() {
        assert_eq!(
            id("  11010519491231002X\t\n").as_str(),
            "11010519491231002X"
        );
    }

    #[test]
    fn more_citizen_rejections() {
        let p = |s: &str| CitizenId::parse(s, today());
        assert_eq!(p(""), Err(IdentityError::Length));
        assert_eq!(p("110105 19491231002X"), Err(IdentityError::Length));
        // 18 chars but one is multi-byte.
        assert_eq!(p("11010519491231002é"), Err(IdentityError::Character));
        assert_eq!(p("11010519491231002Y"), Err(IdentityError::Character));
        assert_eq!(p("X10105194912310021"), Err(IdentityError::Character));
        // Unknown province prefixes: 10, 24, 00, 72, 84.
        for prefix in ["10", "24", "00", "72", "84"] {
            let body = format!("{prefix}010519491231002");
            let number = format!("{body}{}", check_character(&body).unwrap());
            assert_eq!(p(&number), Err(IdentityError::Province), "{number}");
        }
        // Born today is fine; tomorrow is in the future.
        let body = "11010120250601001";
        let number = format!("{body}{}", check_character(body).unwrap());
        assert!(p(&number).is_ok());
        let body = "11010120250602001";
        let number = format!("{body}{}", check_character(body).unwrap());
        assert_eq!(p(&number), Err(IdentityError::FutureBirthDate));
        // Day 00 and 1900-02-29 are not dates.
        assert_eq!(p("110105194912000021"), Err(IdentityError::BirthDate));
        assert_eq!(p("110105190002290021"), Err(IdentityError::BirthDate));
    }

    #[test]
    fn legacy_15_digit_conversion() {
        let cases = [
            ("110105491231002", "11010519491231002X"),
            ("130503670401001", "130503196704010016"),
            ("150102880730303", "150102198807303035"),
            ("440524800101001", "440524198001010013"),
        ];
        for (old, new) in cases {
            assert_eq!(id(old).as_str(), new, "{old}");
        }
    }

    #[test]
    fn legacy_15_digit_rejections() {
        let p = |s: &str| CitizenId::parse(s, today());
        for seq in ["996", "997", "998", "999"] {
            assert_eq!(
                p(&format!("110105491231{seq}")),
                Err(IdentityError::CentenarianSequence)
            );
        }
        assert!(p("110105491231995").is_ok());
        assert_eq!(p("11010549123100A"), Err(IdentityError::Character));
        assert_eq!(p("110105491331002"), Err(IdentityError::BirthDate));
        assert_eq!(p("100105491231002"), Err(IdentityError::Province));
    }

    #[test]
    fn citizen_accessors_and_masking() {
        let c = id("11010519491231002X");
        assert_eq!(c.address_code(), "110105");
        assert_eq!(c.last_six(), "31002X");
        assert_eq!(c.masked(), "11****************");
        assert_eq!(format!("{c:?}"), "CitizenId(11****************)");
        assert!(!format!("{c:?}").contains("19491231"));
        assert!(!format!("{c:#?}").contains(c.as_str()));
    }

    #[test]
    fn masking_leaves_no_character_of_positions_3_to_18() {
        // Issue 13, finding 3: the old mask (first 4, last 4) left 9 candidates.
        for number in [
            "11010519491231002X",
            "440524188001010014",
            "932682198501010017",
        ] {
            let masked = id(number).masked();
            assert_eq!(masked.len(), 18);
            assert_eq!(masked.get(..2), number.get(..2));
            assert!(
                masked.get(2..).unwrap().bytes().all(|b| b == b'*'),
                "{masked}"
            );
        }
    }

    #[test]
    fn raw_input_is_masked_like_a_valid_number_or_not_shown_at_all() {
        assert_eq!(
            mask_citizen_input("110101200001010010"),
            "11****************"
        );
        assert_eq!(
            mask_citizen_input("11010120000101001099"),
            "11******************"
        );
        assert_eq!(mask_citizen_input("11010119491231002"), "*****************");
        assert_eq!(mask_citizen_input("110105491231002"), "***************");
        assert_eq!(mask_citizen_input(""), "");
        assert_eq!(
            mask_citizen_input("\"1,010120000101001"),
            "*1****************"
        );
        assert_eq!(
            mask_citizen_input("张三0101200001010010"),
            "******************"
        );
    }

    #[test]
    fn a_masked_birth_date_shows_the_decade() {
        let p = |s: &str| Date::parse_iso(s).unwrap();
        let today = p("2026-03-01");
        assert_eq!(masked_birth_date(p("1985-06-15"), today), "198*-**-**");
        assert_eq!(masked_birth_date(p("2000-01-01"), today), "200*-**-**");
        assert_eq!(masked_birth_date(p("1880-01-01"), today), "188*-**-**");
        // 2,252 dates of the 2020s have passed by 2026-03-01: the decade is enough.
        assert_eq!(masked_birth_date(p("2024-05-01"), today), "202*-**-**");
        // In 2031 the 2030s hold fewer than 2,000 dates so far: the century instead.
        let later = p("2031-06-01");
        assert_eq!(masked_birth_date(p("2030-02-01"), later), "20**-**-**");
        assert_eq!(masked_birth_date(p("2024-05-01"), later), "202*-**-**");
    }

    #[test]
    fn text_stored_with_the_old_mask_is_masked_again() {
        assert_eq!(
            remask_legacy("{\"citizen_id\":\"1101**********002X\",\"b\":\"3301**********1236\"}")
                .as_deref(),
            Some("{\"citizen_id\":\"11****************\",\"b\":\"33****************\"}")
        );
        assert_eq!(
            remask_legacy("{\"citizen_id\":\"11****************\"}"),
            None
        );
        assert_eq!(
            remask_legacy("张1101**********002X"),
            Some("张11****************".into())
        );
        assert_eq!(remask_legacy("1101*********002X"), None);
    }

    #[test]
    fn id_numbers_in_free_text_are_masked() {
        // Review of issue 13: a reason typed by a clerk, a cashier or a teller goes into the
        // audit trail, which must never hold an ID number in clear.
        let m = mask_id_numbers_in;
        assert_eq!(
            m("holder 110101200001010010 asked"),
            "holder 11**************** asked"
        );
        // At the edges, with an upper- or lower-case check character.
        assert_eq!(m("11010519491231002X"), "11****************");
        assert_eq!(m("11010519491231002x."), "11****************.");
        assert_eq!(m("see 11010519491231002X"), "see 11****************");
        // Several, in Chinese text, and a 15-digit number (shown not at all).
        assert_eq!(
            m("本人身份证110101200001010010，配偶110105491231002核对"),
            "本人身份证11****************，配偶***************核对"
        );
        // Full-width digits are digits too.
        assert_eq!(
            m("证号１１０１０１２０００８１０１００１０"),
            "证号******************"
        );
        // A 17-digit run (a number missing a character) shows nothing.
        assert_eq!(m("a 11010119491231002 b"), "a ***************** b");
        // Bank card numbers: the first 6 and last 4 digits.
        assert_eq!(m("卡6230661635021663331退款"), "卡623066*********3331退款");
        assert_eq!(m("card 4111111111111111"), "card 411111******1111");
        // A longer run may hold either: only its first two characters.
        assert_eq!(m("1101012000010100101234"), "11********************");
        // Shorter runs, letters beside them and text without digits are left alone.
        let untouched = [
            "amount 12345678901234 fen on 2026-03-01, phone 13800138000",
            "transfer trf-00001234, 柜台 7 号",
            "",
            "no digits here",
        ];
        for text in untouched {
            assert_eq!(m(text), text);
        }
    }

    #[test]
    fn check_character_function() {
        assert_eq!(check_character("11010519491231002"), Some('X'));
        assert_eq!(check_character("44052418800101001"), Some('4'));
        assert_eq!(check_character("1101051949123100"), None);
        assert_eq!(check_character("110105194912310021"), None);
        assert_eq!(check_character("1101A519491231002"), None);
    }

    #[test]
    fn province_prefixes() {
        for p in ["11", "46", "65", "71", "81", "82", "83", "90", "93", "99"] {
            assert!(is_known_province(p), "{p}");
        }
        for p in [
            "10", "16", "20", "47", "66", "70", "84", "00", "1", "110", "9", "9a", "",
        ] {
            assert!(!is_known_province(p), "{p}");
        }
    }

    #[test]
    fn gender_strings() {
        assert_eq!(Gender::Male.as_str(), "male");
        assert_eq!(Gender::Female.as_str(), "female");
        assert_eq!(Gender::parse("male"), Some(Gender::Male));
        assert_eq!(Gender::parse("female"), Some(Gender::Female));
        assert_eq!(Gender::parse("Male"), None);
        assert_eq!(Gender::parse("m"), None);
    }

    #[test]
    fn luhn_vectors() {
        for v in ["6230661635021663331", "79927398713", "4111111111111111"] {
            assert!(luhn_valid(v), "{v}");
        }
        for v in [
            "6222021001122334455",
            "6230661635021663332",
            "",
            "0",
            "4111 1111",
            "41a1",
        ] {
            assert!(!luhn_valid(v), "{v}");
        }
        assert_eq!(luhn_check_digit("621700000000000000"), Some('4'));
        assert_eq!(luhn_check_digit("7992739871"), Some('3'));
        assert_eq!(luhn_check_digit("623066163502166333"), Some('1'));
        assert_eq!(luhn_check_digit(""), None);
        assert_eq!(luhn_check_digit("12a"), None);
    }

    #[test]
    fn bank_card_numbers() {
        let c = BankCardNumber::parse("6230 6616 3502 1663 331").unwrap();
        assert_eq!(c.as_str(), "6230661635021663331");
        assert_eq!(c.masked(), "623066*********3331");
        assert_eq!(format!("{c:?}"), "BankCardNumber(623066*********3331)");
        assert!(!format!("{c:?}").contains(c.as_str()));
        assert_eq!(
            BankCardNumber::parse("4111111111111111").unwrap().masked(),
            "411111******1111"
        );
        assert_eq!(
            BankCardNumber::parse("6222021001122334455"),
            Err(IdentityError::Luhn)
        );
        assert_eq!(
            BankCardNumber::parse("6230661635021663332"),
            Err(IdentityError::Luhn)
        );
        // Luhn-valid but too short for a bank card.
        assert_eq!(
            BankCardNumber::parse("79927398713"),
            Err(IdentityError::Length)
        );
        assert_eq!(
            BankCardNumber::parse("62306616350216633310"),
            Err(IdentityError::Length)
        );
        assert_eq!(
            BankCardNumber::parse("6230-6616-3502-1663-331"),
            Err(IdentityError::Character)
        );
        let built = BankCardNumber::with_check_digit("621700000000000000").unwrap();
        assert_eq!(built.as_str(), "6217000000000000004");
        assert_eq!(built.masked(), "621700*********0004");
        assert!(BankCardNumber::with_check_digit("1234567890").is_none());
        assert!(BankCardNumber::with_check_digit("6217 0000").is_none());
    }

    #[test]
    fn card_identification_codes() {
        let c = CardIdentificationCode::parse("411600D156000005C38275EEFC9B9648").unwrap();
        assert_eq!(c.as_str(), "411600D156000005C38275EEFC9B9648");
        assert_eq!(c.issuing_area(), "411600");
        assert_eq!(
            CardIdentificationCode::parse("411600D156000006C38275EEFC9B9648"),
            Err(IdentityError::Format)
        );
        assert_eq!(
            CardIdentificationCode::parse("411600D156000005C38275EEFC9B964"),
            Err(IdentityError::Length)
        );
        assert_eq!(
            CardIdentificationCode::parse("411600D156000005c38275EEFC9B9648"),
            Err(IdentityError::Character)
        );
        assert_eq!(
            CardIdentificationCode::parse("41160AD156000005C38275EEFC9B9648"),
            Err(IdentityError::Character)
        );
        assert_eq!(
            CardIdentificationCode::parse("411600D156000005G38275EEFC9B9648"),
            Err(IdentityError::Character)
        );
        let built = CardIdentificationCode::compose("411600", 0xC382_75EE_FC9B_9648).unwrap();
        assert_eq!(built, c);
        assert_eq!(
            CardIdentificationCode::compose("110000", 1)
                .unwrap()
                .as_str(),
            "110000D1560000050000000000000001"
        );
        assert!(CardIdentificationCode::compose("41160", 1).is_none());
        assert!(CardIdentificationCode::compose("41160A", 1).is_none());
    }

    #[test]
    fn card_numbers() {
        let c = CardNumber::parse(" X00000019 ").unwrap();
        assert_eq!(c.as_str(), "X00000019");
        assert_eq!(
            CardNumber::parse("x00000019"),
            Err(IdentityError::Character)
        );
        assert_eq!(
            CardNumber::parse("100000019"),
            Err(IdentityError::Character)
        );
        assert_eq!(
            CardNumber::parse("X0000001A"),
            Err(IdentityError::Character)
        );
        assert_eq!(CardNumber::parse("X0000019"), Err(IdentityError::Length));
        assert_eq!(CardNumber::parse("X000000190"), Err(IdentityError::Length));
        assert_eq!(CardNumber::compose('X', 19).unwrap(), c);
        assert_eq!(
            CardNumber::compose('A', 99_999_999).unwrap().as_str(),
            "A99999999"
        );
        assert!(CardNumber::compose('A', 100_000_000).is_none());
        assert!(CardNumber::compose('a', 1).is_none());
        assert!(CardNumber::compose('Ж', 1).is_none());
    }

    #[test]
    fn social_credit_codes() {
        for v in [
            "91350100M000100Y43",
            "91440300708461136T",
            "91110000802100433B",
        ] {
            assert_eq!(SocialCreditCode::parse(v).unwrap().as_str(), v);
        }
        assert_eq!(
            SocialCreditCode::parse(" 91350100m000100y43 ")
                .unwrap()
                .as_str(),
            "91350100M000100Y43"
        );
        assert_eq!(
            SocialCreditCode::parse("91350100M000100Y44"),
            Err(IdentityError::CheckCharacter { expected: '3' })
        );
        assert_eq!(
            SocialCreditCode::parse("91350100M0001O0Y43"),
            Err(IdentityError::Character)
        );
        assert_eq!(
            SocialCreditCode::parse("91350100M000100Y4"),
            Err(IdentityError::Length)
        );
        for bad in ['I', 'O', 'S', 'V', 'Z'] {
            let v = format!("91350100M000100Y4{bad}");
            assert_eq!(
                SocialCreditCode::parse(&v),
                Err(IdentityError::Character),
                "{v}"
            );
        }
    }

    #[test]
    fn error_codes_and_messages() {
        let all = [
            (IdentityError::Length, "invalid_length"),
            (IdentityError::Character, "invalid_character"),
            (
                IdentityError::CheckCharacter { expected: 'X' },
                "check_character_mismatch",
            ),
            (IdentityError::BirthDate, "invalid_birth_date"),
            (IdentityError::FutureBirthDate, "birth_date_in_future"),
            (IdentityError::Province, "unknown_province"),
            (IdentityError::CentenarianSequence, "manual_review_required"),
            (IdentityError::Luhn, "luhn_check_failed"),
            (IdentityError::Format, "invalid_format"),
        ];
        for (e, code) in all {
            assert_eq!(e.code(), code);
            let msg = e.to_string();
            assert!(msg.ends_with('.'), "{msg}");
            assert!(msg.starts_with(|c: char| c.is_ascii_uppercase()), "{msg}");
        }
        assert!(
            IdentityError::CheckCharacter { expected: 'X' }
                .to_string()
                .contains("expected X")
        );
        let boxed: Box<dyn std::error::Error> = Box::new(IdentityError::Luhn);
        assert_eq!(boxed.to_string(), IdentityError::Luhn.to_string());
    }
}
