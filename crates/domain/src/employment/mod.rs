//! Employment services (issue 17; benefits.md): the job board's vacancies and applications,
//! and the words a search matches.
//!
//! Search works the same on both stores: text is cut here into terms — a word of letters or
//! digits, lower-cased, is one term; Chinese (Han) text has no spaces between words, so each
//! character and each pair of neighbouring characters is a term (unigrams and bigrams). The
//! store indexes the terms as plain space-separated words (SQLite FTS5 with its `unicode61`
//! tokenizer, PostgreSQL `to_tsvector('simple', …)`), and a query is the AND of its own terms:
//! "会计" matches "财务会计主管" (the bigram 会计), "会" alone matches it too (the unigram).

use crate::time::Date;

pub mod seeking;
pub mod training;

/// The longest vacancy title, in characters.
pub const TITLE_CHARS_MAX: usize = 100;
/// The longest requirements text, in characters.
pub const REQUIREMENTS_CHARS_MAX: usize = 2_000;
/// The most openings one vacancy may offer.
pub const OPENINGS_MAX: u32 = 10_000;
/// The longest search text, in characters.
pub const QUERY_CHARS_MAX: usize = 50;
/// The most terms a query may have once cut.
pub const QUERY_TERMS_MAX: usize = 32;
/// The longest term, in characters: a longer word (a script written without spaces, such as
/// Hangul or kana, makes one word of a whole phrase) is indexed and searched by its first
/// this many characters, so no term comes near PostgreSQL's 2,047-byte lexeme limit.
pub const TERM_CHARS_MAX: usize = 64;

/// How long a vacancy may stay open, in days from its posting.
pub const OPEN_DAYS_MAX: i64 = 366;

/// An occupation code of the national classification (职业分类大典, 2022): the major group
/// 1-8, then the middle, small and detailed groups of two digits each, e.g. `2-02-10-01`.
pub const OCCUPATION_PATTERN: &str = r"^[1-8](-[0-9]{2}){1,3}$";

/// Why an employment request is refused. The codes are part of the public API: never rename
/// one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmploymentError {
    /// A field is missing, malformed or out of range; `field` names it.
    Invalid {
        field: &'static str,
        reason: &'static str,
    },
    /// The vacancy or application is not in a state the action applies to.
    WrongState {
        action: &'static str,
        state: &'static str,
    },
}

impl EmploymentError {
    /// The stable machine code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            EmploymentError::Invalid { .. } => "invalid_vacancy",
            EmploymentError::WrongState { .. } => "wrong_state",
        }
    }
}

impl std::fmt::Display for EmploymentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EmploymentError::Invalid { field, reason } => write!(f, "{field}: {reason}"),
            EmploymentError::WrongState { action, state } => {
                write!(
                    f,
                    "cannot {action} a vacancy or application that is {state}"
                )
            }
        }
    }
}

impl std::error::Error for EmploymentError {}

fn invalid(field: &'static str, reason: &'static str) -> EmploymentError {
    EmploymentError::Invalid { field, reason }
}

/// `input` trimmed, 1 to `max` characters, no control character.
fn text(
    input: &str,
    field: &'static str,
    max: usize,
    reason: &'static str,
) -> Result<String, EmploymentError> {
    let trimmed = input.trim();
    let count = trimmed.chars().count();
    if count == 0 || count > max || trimmed.chars().any(char::is_control) {
        return Err(invalid(field, reason));
    }
    Ok(trimmed.to_owned())
}

/// Whether `code` is an occupation code ([`OCCUPATION_PATTERN`]).
#[must_use]
pub fn is_occupation_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let major_ok = parts
        .next()
        .is_some_and(|m| m.len() == 1 && matches!(m.as_bytes()[0], b'1'..=b'8'));
    let rest: Vec<&str> = parts.collect();
    major_ok
        && (1..=3).contains(&rest.len())
        && rest
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `code` is a 6-digit administrative code (a province, city or county).
#[must_use]
pub fn is_place_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// What an employer posts, as it came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VacancyDraft<'a> {
    pub title: &'a str,
    pub occupation: &'a str,
    /// The administrative code (6 digits) of where the work is.
    pub place: &'a str,
    pub wage_min_fen: i64,
    pub wage_max_fen: i64,
    pub requirements: &'a str,
    pub openings: u32,
    pub closing: Date,
}

/// A vacancy's checked fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VacancyTerms {
    pub title: String,
    pub occupation: String,
    pub place: String,
    pub wage_min_fen: i64,
    pub wage_max_fen: i64,
    pub requirements: String,
    pub openings: u32,
    pub closing: Date,
}

/// The largest monthly wage a vacancy may offer, in fen (10 million yuan).
pub const WAGE_FEN_MAX: i64 = 1_000_000_000;

impl VacancyDraft<'_> {
    /// Checks a draft posted on `today`: a title, an occupation code, a place code, a wage
    /// range with the minimum at most the maximum (both positive, at most
    /// [`WAGE_FEN_MAX`]), requirements, 1 to [`OPENINGS_MAX`] openings, and a closing date
    /// from today to [`OPEN_DAYS_MAX`] days on.
    pub fn check(&self, today: Date) -> Result<VacancyTerms, EmploymentError> {
        let title = text(
            self.title,
            "title",
            TITLE_CHARS_MAX,
            "1 to 100 characters, no control characters",
        )?;
        let occupation = self.occupation.trim();
        if !is_occupation_code(occupation) {
            return Err(invalid(
                "occupation",
                "an occupation code of the national classification, such as 2-02-10-01",
            ));
        }
        let place = self.place.trim();
        if !is_place_code(place) {
            return Err(invalid(
                "place",
                "the 6-digit administrative code of where the work is",
            ));
        }
        if !(1..=WAGE_FEN_MAX).contains(&self.wage_min_fen)
            || !(1..=WAGE_FEN_MAX).contains(&self.wage_max_fen)
        {
            return Err(invalid(
                "wage_min_fen",
                "wages are 1 to 1000000000 fen a month",
            ));
        }
        if self.wage_min_fen > self.wage_max_fen {
            return Err(invalid(
                "wage_max_fen",
                "the maximum wage is at least the minimum",
            ));
        }
        let requirements = text(
            self.requirements,
            "requirements",
            REQUIREMENTS_CHARS_MAX,
            "1 to 2000 characters, no control characters",
        )?;
        if !(1..=OPENINGS_MAX).contains(&self.openings) {
            return Err(invalid("openings", "1 to 10000 openings"));
        }
        let days = self.closing.days_since_epoch() - today.days_since_epoch();
        if !(0..=OPEN_DAYS_MAX).contains(&days) {
            return Err(invalid("closing", "a date from today to 366 days on"));
        }
        Ok(VacancyTerms {
            title,
            occupation: occupation.to_owned(),
            place: place.to_owned(),
            wage_min_fen: self.wage_min_fen,
            wage_max_fen: self.wage_max_fen,
            requirements,
            openings: self.openings,
            closing: self.closing,
        })
    }
}

/// Where a vacancy is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VacancyStatus {
    /// Posted, waiting for the bureau's review; only the employer and the bureau see it.
    Pending,
    /// Approved: holders find it and apply.
    Published,
    /// Refused by the bureau, with a reason.
    Rejected,
    /// Closed by the employer or the bureau, or filled.
    Closed,
}

impl VacancyStatus {
    /// Every status.
    pub const ALL: [VacancyStatus; 4] = [
        VacancyStatus::Pending,
        VacancyStatus::Published,
        VacancyStatus::Rejected,
        VacancyStatus::Closed,
    ];

    /// The stable name; never renamed.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            VacancyStatus::Pending => "pending",
            VacancyStatus::Published => "published",
            VacancyStatus::Rejected => "rejected",
            VacancyStatus::Closed => "closed",
        }
    }

    /// The status named by [`VacancyStatus::as_str`].
    #[must_use]
    pub fn parse(input: &str) -> Option<VacancyStatus> {
        VacancyStatus::ALL.into_iter().find(|s| s.as_str() == input)
    }

    /// The status after the bureau's review: only a pending vacancy is reviewed.
    pub fn reviewed(self, approve: bool) -> Result<VacancyStatus, EmploymentError> {
        match (self, approve) {
            (VacancyStatus::Pending, true) => Ok(VacancyStatus::Published),
            (VacancyStatus::Pending, false) => Ok(VacancyStatus::Rejected),
            _ => Err(EmploymentError::WrongState {
                action: "review",
                state: self.as_str(),
            }),
        }
    }

    /// The status after closing: a pending or published vacancy closes.
    pub fn closed(self) -> Result<VacancyStatus, EmploymentError> {
        match self {
            VacancyStatus::Pending | VacancyStatus::Published => Ok(VacancyStatus::Closed),
            _ => Err(EmploymentError::WrongState {
                action: "close",
                state: self.as_str(),
            }),
        }
    }
}

/// Whether `c` is written without spaces between words (Han ideographs and their
/// extensions, and the CJK compatibility ideographs).
fn is_han(c: char) -> bool {
    matches!(
        c,
        '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{3134F}'
    )
}

/// A run of text between separators: Han, or letters and digits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Run {
    Han,
    Word,
}

/// `text` cut into runs of Han characters and runs of other letters and digits (lower-cased;
/// a word's characters past [`TERM_CHARS_MAX`] dropped).
fn runs(text: &str) -> Vec<(Run, Vec<char>)> {
    let mut out = Vec::new();
    let mut current: Option<(Run, Vec<char>)> = None;
    for c in text.chars() {
        let kind = if is_han(c) {
            Some(Run::Han)
        } else if c.is_alphanumeric() {
            Some(Run::Word)
        } else {
            // Anything else (space, punctuation, symbols) separates terms.
            None
        };
        if let (Some((run, chars)), Some(kind)) = (current.as_mut(), kind)
            && *run == kind
        {
            if kind == Run::Han || chars.len() < TERM_CHARS_MAX {
                chars.extend(c.to_lowercase());
            }
            continue;
        }
        out.extend(current.take());
        current = kind.map(|kind| (kind, c.to_lowercase().collect()));
    }
    out.extend(current);
    out
}

/// The terms a stored text is indexed under, space-separated: every word of letters or
/// digits, lower-cased; every Han character and every pair of neighbouring Han characters.
#[must_use]
pub fn index_terms(text: &str) -> String {
    let mut terms: Vec<String> = Vec::new();
    for (kind, chars) in runs(text) {
        match kind {
            Run::Word => terms.push(chars.into_iter().collect()),
            Run::Han => {
                terms.extend(chars.iter().map(char::to_string));
                terms.extend(chars.windows(2).map(|pair| pair.iter().collect()));
            }
        }
    }
    terms.join(" ")
}

/// The terms a search for `query` must all match: each word; each pair of neighbouring Han
/// characters (a single Han character stands for itself). Refused when the query is longer
/// than [`QUERY_CHARS_MAX`] characters or cuts into more than [`QUERY_TERMS_MAX`] terms; an
/// empty list means the query has no term (it matches every vacancy).
pub fn query_terms(query: &str) -> Result<Vec<String>, EmploymentError> {
    if query.chars().count() > QUERY_CHARS_MAX {
        return Err(invalid("q", "at most 50 characters"));
    }
    let mut terms: Vec<String> = Vec::new();
    for (kind, chars) in runs(query) {
        match kind {
            Run::Word => terms.push(chars.into_iter().collect()),
            Run::Han if chars.len() == 1 => terms.push(chars[0].to_string()),
            Run::Han => terms.extend(chars.windows(2).map(|pair| pair.iter().collect())),
        }
    }
    terms.sort();
    terms.dedup();
    if terms.len() > QUERY_TERMS_MAX {
        return Err(invalid("q", "at most 32 words"));
    }
    Ok(terms)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests;
