//! Calendar dates, UTC timestamps and fixed UTC offsets, computed without a clock or time-zone
//! database.
//!
//! The domain never reads the system clock: callers pass "today" or "now" in, which keeps every
//! rule deterministic and testable. Day arithmetic uses Howard Hinnant's `days_from_civil` /
//! `civil_from_days` algorithms over the proleptic Gregorian calendar.

use std::fmt;

/// Seconds in one civil day; UTC timestamps here ignore leap seconds, like Unix time does.
const SECONDS_PER_DAY: i64 = 86_400;

/// A calendar date in the proleptic Gregorian calendar.
///
/// Fields are private so that every `Date` is a real calendar date: construction goes through
/// [`Date::new`], which rejects e.g. 2001-02-29.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    // Field order matters: the derived `Ord` compares year, then month, then day.
    year: i32,
    month: u8,
    day: u8,
}

/// Gregorian leap rule: every 4th year, except centuries, except every 4th century.
const fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in `month` of `year`; 0 for a month outside 1..=12 so callers reject it.
const fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => {
            if is_leap_year(year) {
                29
            } else {
                28
            }
        }
        _ => 0,
    }
}

/// Hinnant's `days_from_civil`: days since 1970-01-01 for a valid civil date.
///
/// Works in `i64` throughout so that any `i32` year fits without overflow.
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    // Shift the year to start in March so the leap day is the last day of the "year".
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400; // [0, 399]
    let mp = if month > 2 { month - 3 } else { month + 9 }; // [0, 11], March = 0
    let doy = (153 * mp + 2) / 5 + day - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// Hinnant's `civil_from_days`: the inverse of [`days_from_civil`], as (year, month, day).
const fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month, day)
}

/// The first and last day numbers a `Date` can hold; arithmetic saturates here instead of
/// wrapping or panicking, because an absurd date is easier to spot than a crash in production.
// The literals are i32::MIN and i32::MAX, written out because `i64::from` is not const.
const MIN_DAYS: i64 = days_from_civil(-2_147_483_648, 1, 1);
const MAX_DAYS: i64 = days_from_civil(2_147_483_647, 12, 31);

/// What [`Date::parse_iso`] can accept, as a JSON Schema pattern (`YYYY-MM-DD`); whether the
/// day exists in its month is the parser's alone.
pub const DATE_PATTERN: &str = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";

impl Date {
    /// Builds a date, or `None` when the month or day does not exist in that year.
    #[must_use]
    pub const fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The calendar year (astronomical numbering: year 0 exists, negative years are BCE).
    #[must_use]
    pub const fn year(self) -> i32 {
        self.year
    }

    /// The month, 1..=12.
    #[must_use]
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1..=31.
    #[must_use]
    pub const fn day(self) -> u8 {
        self.day
    }

    /// Parses exactly `YYYY-MM-DD` (four-digit year, two-digit month and day).
    ///
    /// Strict on purpose: lenient parsing of dates entered by clerks hides typos.
    #[must_use]
    pub fn parse_iso(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = digits_value(&b[0..4])?;
        let month = digits_value(&b[5..7])?;
        let day = digits_value(&b[8..10])?;
        Date::new(
            i32::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// Days since 1970-01-01 (which is day 0); earlier dates are negative.
    #[must_use]
    pub fn days_since_epoch(self) -> i64 {
        days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        )
    }

    /// The date `days` days after 1970-01-01. Saturates at the range an `i32` year can hold.
    #[must_use]
    pub fn from_days_since_epoch(days: i64) -> Date {
        let (y, m, d) = civil_from_days(days.clamp(MIN_DAYS, MAX_DAYS));
        // After the clamp every component is in range, so the conversions cannot fail; the
        // fallbacks only exist so that this function has no panicking path.
        let year = i32::try_from(y).unwrap_or(if y < 0 { i32::MIN } else { i32::MAX });
        let month = u8::try_from(m).unwrap_or(1);
        let day = u8::try_from(d).unwrap_or(1);
        Date { year, month, day }
    }

    /// The date `days` days later (earlier when negative), saturating at the representable range.
    #[must_use]
    pub fn add_days(self, days: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch().saturating_add(days))
    }

    /// The same month and day `years` later; Feb 29 becomes Feb 28 in a non-leap target year,
    /// which is how anniversaries such as card expiry are usually counted.
    #[must_use]
    pub fn add_years(self, years: i32) -> Date {
        let year = self.year.saturating_add(years);
        let day = self.day.min(days_in_month(year, self.month));
        Date {
            year,
            month: self.month,
            day,
        }
    }

    /// The same day `months` later, clamped to the last day of the target month
    /// (Jan 31 + 1 month = Feb 28 or 29), saturating at the representable range.
    #[must_use]
    pub fn add_months(self, months: i32) -> Date {
        let total = i64::from(self.year) * 12 + i64::from(self.month) - 1 + i64::from(months);
        let Ok(year) = i32::try_from(total.div_euclid(12)) else {
            return if total < 0 {
                Date {
                    year: i32::MIN,
                    month: 1,
                    day: 1,
                }
            } else {
                Date {
                    year: i32::MAX,
                    month: 12,
                    day: 31,
                }
            };
        };
        // rem_euclid(12) is in 0..12, so the conversion always succeeds.
        let month = u8::try_from(total.rem_euclid(12) + 1).unwrap_or(1);
        let day = self.day.min(days_in_month(year, month));
        Date { year, month, day }
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`; years outside 0..=9999 print with a sign or more digits (ISO 8601 expanded
    /// form) rather than being truncated, so distinct dates never print the same.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.year < 0 {
            write!(f, "-{:04}", self.year.unsigned_abs())?;
        } else {
            write!(f, "{:04}", self.year)?;
        }
        write!(f, "-{:02}-{:02}", self.month, self.day)
    }
}

/// Value of a run of ASCII digits, or `None` if any byte is not a digit or it overflows. The
/// one digit reader of the crate's parsers (dates, months, ID numbers, indexes).
pub(crate) fn digits_value(digits: impl AsRef<[u8]>) -> Option<u32> {
    let mut value: u32 = 0;
    for &b in digits.as_ref() {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
    }
    Some(value)
}

/// An instant as whole seconds since 1970-01-01T00:00:00Z (Unix time, UTC, no leap seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// Wraps Unix seconds.
    #[must_use]
    pub const fn from_unix_seconds(seconds: i64) -> Timestamp {
        Timestamp(seconds)
    }

    /// The Unix seconds.
    #[must_use]
    pub const fn unix_seconds(self) -> i64 {
        self.0
    }

    /// The UTC calendar date containing this instant. Not "today" anywhere people live: a
    /// rule that counts days (a PIN count, a policy year, an expiry) wants
    /// [`Timestamp::local_date`] with its region's offset.
    #[must_use]
    pub fn utc_date(self) -> Date {
        // div_euclid rounds towards negative infinity, so 1969-12-31T23:59:59Z is day -1.
        Date::from_days_since_epoch(self.0.div_euclid(SECONDS_PER_DAY))
    }

    /// The calendar date at this instant where the clocks run `offset` from UTC (Issue 13:
    /// 2025-12-31T16:30:00Z is already 2026-01-01 in Beijing, UTC+8).
    #[must_use]
    pub fn local_date(self, offset: UtcOffset) -> Date {
        self.add_seconds(offset.seconds()).utc_date()
    }

    /// The instant local midnight starts `date` where the clocks run `offset` from UTC.
    #[must_use]
    pub fn start_of_local(date: Date, offset: UtcOffset) -> Timestamp {
        Timestamp::start_of(date).add_seconds(-offset.seconds())
    }

    /// The instant `seconds` later, saturating rather than wrapping at the `i64` limits.
    #[must_use]
    pub const fn add_seconds(self, seconds: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(seconds))
    }

    /// The instant `days` × 86 400 seconds later, saturating at the `i64` limits.
    #[must_use]
    pub const fn add_days(self, days: i64) -> Timestamp {
        self.add_seconds(days.saturating_mul(SECONDS_PER_DAY))
    }

    /// Midnight UTC at the start of `date`.
    #[must_use]
    pub fn start_of(date: Date) -> Timestamp {
        // |days| < 2^40 for any i32 year, so the product stays far inside i64.
        Timestamp(date.days_since_epoch() * SECONDS_PER_DAY)
    }

    /// Parses exactly `YYYY-MM-DDTHH:MM:SSZ`: no offsets, no fractions, no leap second 60.
    ///
    /// Only the form that [`Display`](fmt::Display) writes is accepted, so stored timestamps
    /// have one canonical spelling.
    #[must_use]
    pub fn parse_rfc3339(s: &str) -> Option<Timestamp> {
        let b = s.as_bytes();
        if b.len() != 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
            return None;
        }
        let date = Date::parse_iso(s.get(0..10)?)?;
        let hour = i64::from(digits_value(&b[11..13])?);
        let minute = i64::from(digits_value(&b[14..16])?);
        let second = i64::from(digits_value(&b[17..19])?);
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        Some(Timestamp::start_of(date).add_seconds(hour * 3600 + minute * 60 + second))
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC with a `Z` suffix, e.g. `2024-02-29T13:05:09Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.rem_euclid(SECONDS_PER_DAY);
        let (hour, minute, second) = (secs / 3600, secs % 3600 / 60, secs % 60);
        write!(f, "{}T{hour:02}:{minute:02}:{second:02}Z", self.utc_date())
    }
}

/// A fixed offset of local clocks from UTC, in whole minutes: what a region's day is (China is
/// UTC+8 all year, `+480`). No daylight-saving rules: a region that changes its offset adds a
/// new version of its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcOffset(i32);

impl UtcOffset {
    /// The offsets in use on Earth run from UTC-12:00 (Baker Island) to UTC+14:00 (Kiribati).
    pub const MIN_MINUTES: i32 = -12 * 60;
    pub const MAX_MINUTES: i32 = 14 * 60;
    /// UTC itself.
    pub const UTC: UtcOffset = UtcOffset(0);
    /// The offset whose date is the latest on Earth at any instant: a date not after
    /// `local_date(LATEST)` is not in the future anywhere.
    pub const LATEST: UtcOffset = UtcOffset(UtcOffset::MAX_MINUTES);

    /// An offset of `minutes` east of UTC, or `None` outside UTC-12:00..=UTC+14:00.
    #[must_use]
    pub const fn from_minutes(minutes: i32) -> Option<UtcOffset> {
        if minutes < UtcOffset::MIN_MINUTES || minutes > UtcOffset::MAX_MINUTES {
            return None;
        }
        Some(UtcOffset(minutes))
    }

    /// Minutes east of UTC.
    #[must_use]
    pub const fn minutes(self) -> i32 {
        self.0
    }

    /// Seconds east of UTC.
    #[must_use]
    pub fn seconds(self) -> i64 {
        i64::from(self.0) * 60
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn new_rejects_impossible_dates() {
        assert!(Date::new(2024, 0, 1).is_none());
        assert!(Date::new(2024, 13, 1).is_none());
        assert!(Date::new(2024, 1, 0).is_none());
        assert!(Date::new(2024, 1, 32).is_none());
        assert!(Date::new(2024, 4, 31).is_none());
        assert!(Date::new(2024, 4, 30).is_some());
        assert!(Date::new(2023, 12, 31).is_some());
    }

    #[test]
    fn leap_years() {
        assert!(
            Date::new(1900, 2, 29).is_none(),
            "1900 is a century, not leap"
        );
        assert!(Date::new(2000, 2, 29).is_some(), "2000 is divisible by 400");
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(2100, 2, 29).is_none());
        assert_eq!(d(1900, 2, 28).add_days(1), d(1900, 3, 1));
        assert_eq!(d(2000, 2, 28).add_days(1), d(2000, 2, 29));
        assert_eq!(d(2024, 2, 28).add_days(1), d(2024, 2, 29));
    }

    #[test]
    fn accessors() {
        let x = d(1985, 6, 15);
        assert_eq!((x.year(), x.month(), x.day()), (1985, 6, 15));
    }

    #[test]
    fn known_day_numbers() {
        assert_eq!(d(1970, 1, 1).days_since_epoch(), 0);
        assert_eq!(d(1970, 1, 2).days_since_epoch(), 1);
        assert_eq!(d(1969, 12, 31).days_since_epoch(), -1);
        assert_eq!(d(2000, 3, 1).days_since_epoch(), 11_017);
        assert_eq!(d(2024, 2, 29).days_since_epoch(), 19_782);
        assert_eq!(d(1900, 1, 1).days_since_epoch(), -25_567);
        assert_eq!(d(0, 3, 1).days_since_epoch(), -719_468);
        assert_eq!(Date::from_days_since_epoch(19_782), d(2024, 2, 29));
    }

    #[test]
    fn round_trip_many_days() {
        let mut previous: Option<Date> = None;
        let mut n: i64 = -800_000;
        while n <= 800_000 {
            let date = Date::from_days_since_epoch(n);
            assert_eq!(date.days_since_epoch(), n, "{date}");
            assert!(Date::new(date.year(), date.month(), date.day()).is_some());
            if let Some(p) = previous {
                assert!(p < date, "ordering must follow day numbers");
            }
            if (0..=9999).contains(&date.year()) {
                assert_eq!(Date::parse_iso(&date.to_string()), Some(date));
            }
            previous = Some(date);
            n += 37;
        }
    }

    #[test]
    fn consecutive_days_are_consecutive() {
        let mut date = d(1899, 12, 1);
        for n in date.days_since_epoch()..d(2101, 3, 1).days_since_epoch() {
            assert_eq!(date.days_since_epoch(), n);
            let next = date.add_days(1);
            assert!(next > date);
            date = next;
        }
    }

    #[test]
    fn extreme_day_numbers_saturate() {
        let lo = Date::from_days_since_epoch(i64::MIN);
        let hi = Date::from_days_since_epoch(i64::MAX);
        assert_eq!(lo, d(i32::MIN, 1, 1));
        assert_eq!(hi, d(i32::MAX, 12, 31));
        assert_eq!(hi.add_days(1), hi);
        assert_eq!(lo.add_days(i64::MIN), lo);
        assert_eq!(Date::from_days_since_epoch(lo.days_since_epoch()), lo);
        assert_eq!(Date::from_days_since_epoch(hi.days_since_epoch()), hi);
    }

    #[test]
    fn parse_and_display() {
        assert_eq!(Date::parse_iso("2024-02-29"), Some(d(2024, 2, 29)));
        assert_eq!(Date::parse_iso("0099-01-05"), Some(d(99, 1, 5)));
        assert_eq!(d(99, 1, 5).to_string(), "0099-01-05");
        assert_eq!(d(2024, 2, 9).to_string(), "2024-02-09");
        assert_eq!(d(-220, 3, 4).to_string(), "-0220-03-04");
        for bad in [
            "2023-02-29",
            "2024-2-29",
            "2024-02-29 ",
            "24-02-29",
            "2024/02/29",
            "2024-13-01",
            "2024-00-10",
            "+024-01-01",
            "2024-01-1a",
            "",
            "２０２４-01-01",
        ] {
            assert_eq!(Date::parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn add_years_clamps_leap_day() {
        assert_eq!(d(2024, 2, 29).add_years(1), d(2025, 2, 28));
        assert_eq!(d(2024, 2, 29).add_years(4), d(2028, 2, 29));
        assert_eq!(d(2024, 2, 29).add_years(-24), d(2000, 2, 29));
        assert_eq!(d(2096, 2, 29).add_years(4), d(2100, 2, 28));
        assert_eq!(d(2020, 6, 30).add_years(10), d(2030, 6, 30));
        assert_eq!(d(2020, 6, 30).add_years(i32::MAX).year(), i32::MAX);
    }

    #[test]
    fn add_months_clamps_to_month_end() {
        assert_eq!(d(2024, 1, 31).add_months(1), d(2024, 2, 29));
        assert_eq!(d(2023, 1, 31).add_months(1), d(2023, 2, 28));
        assert_eq!(d(2024, 3, 31).add_months(-1), d(2024, 2, 29));
        assert_eq!(d(2024, 12, 15).add_months(1), d(2025, 1, 15));
        assert_eq!(d(2024, 1, 15).add_months(-1), d(2023, 12, 15));
        assert_eq!(d(2024, 1, 15).add_months(-13), d(2022, 12, 15));
        assert_eq!(d(2024, 5, 31).add_months(120), d(2034, 5, 31));
        assert_eq!(d(2024, 5, 31).add_months(0), d(2024, 5, 31));
        assert_eq!(d(i32::MAX, 12, 1).add_months(1), d(i32::MAX, 12, 31));
        assert_eq!(d(i32::MIN, 1, 5).add_months(-1), d(i32::MIN, 1, 1));
    }

    #[test]
    fn timestamp_basics() {
        let t = Timestamp::from_unix_seconds(0);
        assert_eq!(t.unix_seconds(), 0);
        assert_eq!(t.utc_date(), d(1970, 1, 1));
        assert_eq!(t.to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(Timestamp::from_unix_seconds(-1).utc_date(), d(1969, 12, 31));
        assert_eq!(
            Timestamp::from_unix_seconds(-1).to_string(),
            "1969-12-31T23:59:59Z"
        );
        assert_eq!(
            Timestamp::from_unix_seconds(1_709_211_909).to_string(),
            "2024-02-29T13:05:09Z"
        );
        assert_eq!(t.add_seconds(90).unix_seconds(), 90);
        assert_eq!(t.add_days(2).unix_seconds(), 172_800);
        assert_eq!(t.add_days(-1).utc_date(), d(1969, 12, 31));
        assert_eq!(
            Timestamp::start_of(d(2024, 2, 29)).unix_seconds(),
            19_782 * 86_400
        );
        assert_eq!(
            Timestamp::from_unix_seconds(i64::MAX).add_seconds(1),
            Timestamp::from_unix_seconds(i64::MAX)
        );
        assert_eq!(
            Timestamp::from_unix_seconds(0)
                .add_days(i64::MIN)
                .unix_seconds(),
            i64::MIN
        );
        // Extreme values must format without panicking.
        let _ = Timestamp::from_unix_seconds(i64::MIN).to_string();
        let _ = Timestamp::from_unix_seconds(i64::MAX).to_string();
    }

    #[test]
    fn timestamp_parse_round_trip() {
        let mut s: i64 = -2_208_988_800; // 1900-01-01
        while s < 4_102_444_800 {
            // 2100-01-01
            let t = Timestamp::from_unix_seconds(s);
            assert_eq!(Timestamp::parse_rfc3339(&t.to_string()), Some(t));
            assert_eq!(
                Timestamp::start_of(t.utc_date()).unix_seconds(),
                s - s.rem_euclid(86_400)
            );
            s += 7_654_321;
        }
        assert_eq!(
            Timestamp::parse_rfc3339("2024-02-29T13:05:09Z"),
            Some(Timestamp::from_unix_seconds(1_709_211_909))
        );
    }

    #[test]
    fn timestamp_parse_rejects_other_forms() {
        for bad in [
            "2024-02-29T13:05:09",
            "2024-02-29T13:05:09+00:00",
            "2024-02-29T13:05:09.5Z",
            "2024-02-29 13:05:09Z",
            "2024-02-29t13:05:09z",
            "2024-02-30T13:05:09Z",
            "2024-02-29T24:00:00Z",
            "2024-02-29T23:60:00Z",
            "2024-02-29T23:59:60Z",
            "2024-02-29T2a:00:00Z",
            "",
        ] {
            assert_eq!(Timestamp::parse_rfc3339(bad), None, "{bad}");
        }
    }

    // Issue 13, finding "the day is the region's day, not UTC's": the local date turns at
    // local midnight, 16:00 UTC the day before in Beijing.
    #[test]
    fn the_local_date_turns_at_local_midnight_not_at_utc_midnight() {
        let beijing = UtcOffset::from_minutes(480).unwrap();
        let at = |s: &str| Timestamp::parse_rfc3339(s).unwrap();
        // 23:59 and 00:01 local on 31 December / 1 January.
        let before = at("2025-12-31T15:59:00Z");
        let after = at("2025-12-31T16:01:00Z");
        assert_eq!(before.local_date(beijing), d(2025, 12, 31));
        assert_eq!(after.local_date(beijing), d(2026, 1, 1));
        assert_eq!(
            after.utc_date(),
            d(2025, 12, 31),
            "UTC is still in the old year"
        );
        // 07:59 and 08:01 local on 1 January: UTC's date turns between them, Beijing's not.
        assert_eq!(
            at("2025-12-31T23:59:00Z").local_date(beijing),
            d(2026, 1, 1)
        );
        assert_eq!(
            at("2026-01-01T00:01:00Z").local_date(beijing),
            d(2026, 1, 1)
        );
        // West of UTC the local date lags.
        let west = UtcOffset::from_minutes(-300).unwrap();
        assert_eq!(at("2026-01-01T04:59:00Z").local_date(west), d(2025, 12, 31));
        assert_eq!(at("2026-01-01T05:00:00Z").local_date(west), d(2026, 1, 1));
        assert_eq!(
            at("2026-01-01T04:59:00Z").local_date(UtcOffset::UTC),
            d(2026, 1, 1)
        );
        assert_eq!(
            Timestamp::start_of_local(d(2026, 1, 1), beijing),
            at("2025-12-31T16:00:00Z")
        );
        assert_eq!(
            Timestamp::start_of_local(d(2026, 1, 1), beijing).local_date(beijing),
            d(2026, 1, 1)
        );
    }

    #[test]
    fn utc_offsets_stay_within_those_in_use() {
        assert_eq!(UtcOffset::from_minutes(-721), None);
        assert_eq!(UtcOffset::from_minutes(841), None);
        assert_eq!(UtcOffset::from_minutes(-720).unwrap().minutes(), -720);
        assert_eq!(UtcOffset::from_minutes(840), Some(UtcOffset::LATEST));
        assert_eq!(UtcOffset::from_minutes(345).unwrap().seconds(), 20_700);
        // The latest offset's date is never before any other offset's date.
        let mut s = 1_767_139_200; // 2025-12-31T00:00:00Z
        while s < 1_767_312_000 {
            let t = Timestamp::from_unix_seconds(s);
            for minutes in [-720, -300, 0, 330, 480, 765, 840] {
                let offset = UtcOffset::from_minutes(minutes).unwrap();
                assert!(t.local_date(offset) <= t.local_date(UtcOffset::LATEST));
            }
            s += 1_800;
        }
    }
}
