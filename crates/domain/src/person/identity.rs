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

use crate::time::{Date, Timestamp, UtcOffset, digits_value};

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

/// What [`CitizenId::parse`] can accept, as a JSON Schema pattern (ECMA-262): 17 digits and a
/// digit or X, or a legacy 15 digits, with surrounding spaces. The province, the birth date
/// and the check character are the parser's alone: a schema cannot say them.
pub const CITIZEN_ID_PATTERN: &str = r"^\s*([0-9]{17}[0-9Xx]|[0-9]{15})\s*$";

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

/// What [`BankCardNumber::parse`] can accept, as a JSON Schema pattern: 12 to 19 digits,
/// spaces allowed anywhere; the Luhn check digit is the parser's alone.
pub const BANK_CARD_NUMBER_PATTERN: &str = r"^ *([0-9] *){12,19}$";

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

/// `input` without surrounding whitespace, if it is `length` characters, all ASCII: else
/// [`IdentityError::Length`] for another count of characters, [`IdentityError::Character`]
/// for a character outside ASCII.
fn trimmed_ascii(input: &str, length: usize) -> Result<&str, IdentityError> {
    let s = input.trim();
    if s.chars().count() != length {
        return Err(IdentityError::Length);
    }
    if s.len() != length {
        return Err(IdentityError::Character);
    }
    Ok(s)
}

/// The registered application provider id embedded in every card identification code.
const PROVIDER_ID: &str = "D156000005";

/// What [`CardIdentificationCode::parse`] can accept, as a JSON Schema pattern (ECMA-262):
/// the six-digit area, the provider id and sixteen upper-case hex digits.
pub const CARD_IDENTIFICATION_CODE_PATTERN: &str = r"^\s*[0-9]{6}D156000005[0-9A-F]{16}\s*$";

/// What [`CardNumber::parse`] can accept, as a JSON Schema pattern: an upper-case letter and
/// eight digits.
pub const CARD_NUMBER_PATTERN: &str = r"^\s*[A-Z][0-9]{8}\s*$";

/// What [`SocialCreditCode::parse`] can accept, as a JSON Schema pattern: eighteen characters
/// of the code's alphabet (either case); the check character is the parser's alone.
pub const SOCIAL_CREDIT_CODE_PATTERN: &str = r"^\s*[0-9A-HJ-NP-RT-UW-Ya-hj-np-rt-uw-y]{18}\s*$";

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
        let s = trimmed_ascii(input, 32)?;
        let b = s.as_bytes();
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
        let s = trimmed_ascii(input, 9)?;
        let b = s.as_bytes();
        if !b[0].is_ascii_uppercase() || !b[1..].iter().all(u8::is_ascii_digit) {
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
        let upper = trimmed_ascii(input, 18)?.to_ascii_uppercase();
        let b = upper.as_bytes();
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
mod tests;
