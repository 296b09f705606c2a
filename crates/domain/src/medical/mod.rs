//! Real-time medical settlement (medical.md): how a bill splits between the pooled fund, the
//! personal medical account and cash, from the catalogue class of each item, the limit
//! prices, the year's deductible and cap left, and the pool ratio of the policy that applies.

use crate::insurance::round_half_up;

/// Parts per million in one whole.
const PPM: i128 = 1_000_000;

/// A catalogue item's class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemClass {
    /// 甲: fully inside the payment scope.
    A,
    /// 乙: the insured first pays `first_share_ppm` of it; the rest is inside the scope.
    B { first_share_ppm: u32 },
    /// 丙: fully self-paid.
    SelfPaid,
}

impl ItemClass {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemClass::A => "a",
            ItemClass::B { .. } => "b",
            ItemClass::SelfPaid => "self_paid",
        }
    }
}

/// One line of a bill: an item of the catalogue, at the institution's price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BillLine {
    pub class: ItemClass,
    pub quantity: u32,
    pub unit_price_fen: i64,
    /// The catalogue's limit price; the part of the price above it is self-paid.
    pub limit_price_fen: Option<i64>,
}

/// A bill summed by class, as the split needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BillTotals {
    pub total_fen: i64,
    pub self_paid_fen: i64,
    pub over_limit_fen: i64,
    /// Class-B amounts within the limit price, with their first shares already computed.
    pub class_b_fen: i64,
    pub class_b_first_share_fen: i64,
}

/// Why a bill cannot be split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MedicalError {
    /// An amount or quantity is negative, zero where it must not be, or too large.
    InvalidAmount,
    /// A ratio is above 100%.
    InvalidRatio,
    /// The parts add up to more than the total.
    PartsExceedTotal,
}

impl MedicalError {
    pub fn code(self) -> &'static str {
        match self {
            MedicalError::InvalidAmount => "invalid_amount",
            MedicalError::InvalidRatio => "invalid_ratio",
            MedicalError::PartsExceedTotal => "parts_exceed_total",
        }
    }
}

impl std::fmt::Display for MedicalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MedicalError::InvalidAmount => {
                "amounts are whole fen, not negative, and quantities at least 1"
            }
            MedicalError::InvalidRatio => "a ratio is at most 100%",
            MedicalError::PartsExceedTotal => {
                "the self-paid, over-limit and class-B parts exceed the total"
            }
        })
    }
}

impl std::error::Error for MedicalError {}

/// The shape [`parse_ratio_ppm`] reads, as a JSON Schema pattern: up to three digits, a
/// fraction of up to six, and an optional `%`, blanks around. (Its bound, at most 100%, and
/// a percentage's fraction that must come out in whole parts per million are not shapes.)
pub const RATIO_PATTERN: &str = r"^\s*[0-9]{1,3}(\.[0-9]{0,6})?\s*%?\s*$";

/// Reads a ratio written as a decimal ("0.85") or a percentage ("85%") as parts per million.
pub fn parse_ratio_ppm(input: &str) -> Option<u32> {
    let text = input.trim();
    let (number, scale) = match text.strip_suffix('%') {
        Some(percent) => (percent.trim(), 10_000u64),
        None => (text, 1_000_000u64),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty()
        || whole.len() > 3
        || fraction.len() > 6
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits = u32::try_from(fraction.len()).ok()?;
    let fraction_value: u64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    let whole_value: u64 = whole.parse().ok()?;
    let denominator = 10u64.pow(digits);
    let scaled = whole_value * scale + (fraction_value * scale) / denominator;
    if !(fraction_value * scale).is_multiple_of(denominator) {
        return None;
    }
    u32::try_from(scaled).ok().filter(|ppm| *ppm <= 1_000_000)
}

/// Largest line amount accepted: 10 million yuan.
const LINE_MAX_FEN: i64 = 1_000_000_000;

/// Sums a bill's lines by class: the excess over a limit price is over-limit, class C is
/// self-paid, and each class-B line's first share is computed on its in-limit amount.
pub fn bill_totals(lines: &[BillLine]) -> Result<BillTotals, MedicalError> {
    let mut totals = BillTotals::default();
    for line in lines {
        if line.quantity == 0
            || line.unit_price_fen < 0
            || line.limit_price_fen.is_some_and(|p| p < 0)
        {
            return Err(MedicalError::InvalidAmount);
        }
        let amount = line
            .unit_price_fen
            .checked_mul(i64::from(line.quantity))
            .filter(|a| *a <= LINE_MAX_FEN)
            .ok_or(MedicalError::InvalidAmount)?;
        let allowed_unit = line
            .limit_price_fen
            .map_or(line.unit_price_fen, |limit| limit.min(line.unit_price_fen));
        let within = allowed_unit * i64::from(line.quantity);
        totals.total_fen += amount;
        match line.class {
            ItemClass::SelfPaid => totals.self_paid_fen += amount,
            ItemClass::A => totals.over_limit_fen += amount - within,
            ItemClass::B { first_share_ppm } => {
                if i128::from(first_share_ppm) > PPM {
                    return Err(MedicalError::InvalidRatio);
                }
                totals.over_limit_fen += amount - within;
                totals.class_b_fen += within;
                totals.class_b_first_share_fen +=
                    round_half_up(i128::from(within) * i128::from(first_share_ppm), PPM);
            }
        }
    }
    Ok(totals)
}

/// What the split needs besides the bill: the person's year so far and the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitTerms {
    pub deductible_remaining_fen: i64,
    pub pool_ratio_ppm: u32,
    pub cap_remaining_fen: i64,
    pub account_balance_fen: i64,
    /// Whether the holder lets the personal account pay.
    pub use_account: bool,
    /// A supplementary fund (large-amount mutual aid) that pays above the basic cap.
    pub supplementary: Option<Supplementary>,
}

/// A fund that pays a share of the in-scope costs the basic fund's cap left uncovered, up to
/// its own yearly cap (medical.md: "model them as further funds").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Supplementary {
    pub ratio_ppm: u32,
    pub cap_remaining_fen: i64,
}

/// The split of one bill. `fund + supplementary + account + cash = total`, exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub total_fen: i64,
    pub class_b_first_share_fen: i64,
    pub in_scope_fen: i64,
    pub deductible_fen: i64,
    pub fund_fen: i64,
    /// What the supplementary fund pays above the basic cap.
    pub supplementary_fen: i64,
    pub person_fen: i64,
    pub account_fen: i64,
    pub cash_fen: i64,
}

/// The split (medical.md):
/// in scope = total − self-paid − over-limit − class-B first share; the deductible takes
/// what is left of it this year; the fund pays the pool ratio of the rest, up to the cap left;
/// the person pays the remainder, from the personal account as far as it goes, then cash.
pub fn split(bill: BillTotals, terms: SplitTerms) -> Result<Split, MedicalError> {
    let amounts = [
        bill.total_fen,
        bill.self_paid_fen,
        bill.over_limit_fen,
        bill.class_b_first_share_fen,
        terms.deductible_remaining_fen,
        terms.cap_remaining_fen,
        terms.account_balance_fen,
    ];
    if amounts.iter().any(|a| *a < 0) {
        return Err(MedicalError::InvalidAmount);
    }
    if i128::from(terms.pool_ratio_ppm) > PPM {
        return Err(MedicalError::InvalidRatio);
    }
    let outside = bill
        .self_paid_fen
        .checked_add(bill.over_limit_fen)
        .and_then(|sum| sum.checked_add(bill.class_b_first_share_fen))
        .ok_or(MedicalError::InvalidAmount)?;
    let in_scope = bill
        .total_fen
        .checked_sub(outside)
        .filter(|v| *v >= 0)
        .ok_or(MedicalError::PartsExceedTotal)?;
    let deductible = terms.deductible_remaining_fen.min(in_scope);
    let pooled = round_half_up(
        i128::from(in_scope - deductible) * i128::from(terms.pool_ratio_ppm),
        PPM,
    );
    let fund = terms.cap_remaining_fen.min(pooled);
    let supplementary = supplementary_share(in_scope - deductible, terms, fund < pooled)?;
    let person = bill.total_fen - fund - supplementary;
    let account = if terms.use_account {
        terms.account_balance_fen.min(person)
    } else {
        0
    };
    Ok(Split {
        total_fen: bill.total_fen,
        class_b_first_share_fen: bill.class_b_first_share_fen,
        in_scope_fen: in_scope,
        deductible_fen: deductible,
        fund_fen: fund,
        supplementary_fen: supplementary,
        person_fen: person,
        account_fen: account,
        cash_fen: person - account,
    })
}

/// The supplementary fund's share: when the cap cut the basic fund's share, the in-scope
/// costs beyond those that used up the cap (cap left ÷ pool ratio) are paid at the
/// supplementary ratio, up to its own cap left. Never more than the basic fund left unpaid.
fn supplementary_share(
    eligible_fen: i64,
    terms: SplitTerms,
    capped: bool,
) -> Result<i64, MedicalError> {
    let Some(fund) = terms.supplementary.filter(|_| capped) else {
        return Ok(0);
    };
    if i128::from(fund.ratio_ppm) > PPM || fund.cap_remaining_fen < 0 {
        return Err(MedicalError::InvalidRatio);
    }
    let covered_by_cap = if terms.pool_ratio_ppm == 0 {
        0
    } else {
        round_half_up(
            i128::from(terms.cap_remaining_fen) * PPM,
            i128::from(terms.pool_ratio_ppm),
        )
    };
    let above_cap = (eligible_fen - covered_by_cap).max(0);
    let share = round_half_up(i128::from(above_cap) * i128::from(fund.ratio_ppm), PPM);
    Ok(share.min(fund.cap_remaining_fen).min(above_cap))
}

/// Most characters of a diagnosis's free text.
pub const DIAGNOSIS_TEXT_CHARS_MAX: usize = 200;
/// Most characters after the dot of an ICD-10 code (`J18.900x001`, the clinical edition).
const DIAGNOSIS_SUBCODE_CHARS_MAX: usize = 8;
/// What [`Diagnosis::parse`] accepts as a code, as a JSON Schema pattern: an ICD-10
/// category (a capital, a digit, a digit or capital) and an optional subcode of 1 to 8
/// (`DIAGNOSIS_SUBCODE_CHARS_MAX`) letters or digits after a dot, blanks around.
pub const DIAGNOSIS_CODE_PATTERN: &str = r"^\s*[A-Z][0-9][0-9A-Z](\.[0-9A-Za-z]{1,8})?\s*$";

/// A diagnosis as an institution sends it with a bill: an ICD-10 code (WHO's `J18.9`, the
/// national medical-insurance edition's `J18.900`, the clinical edition's `J18.900x001`)
/// and, if given, free text. It is medical data: `Debug` masks it, and the clear values are
/// reached only through `code` and `text`.
#[derive(Clone, PartialEq, Eq)]
pub struct Diagnosis {
    code: String,
    text: Option<String>,
}

/// Why a diagnosis was refused. The messages never repeat the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagnosisError {
    /// Not the shape of an ICD-10 code.
    Code,
    /// Too long, or with control characters.
    Text,
}

impl std::fmt::Display for DiagnosisError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DiagnosisError::Code => f.write_str(
                "an ICD-10 code: a capital letter, two digits or a digit and a capital letter, \
                 then optionally '.' and 1 to 8 letters or digits",
            ),
            DiagnosisError::Text => write!(
                f,
                "at most {DIAGNOSIS_TEXT_CHARS_MAX} characters, without control characters"
            ),
        }
    }
}

impl std::error::Error for DiagnosisError {}

impl Diagnosis {
    /// Checks the code's ICD-10 shape and the text's length; blank text counts as none.
    pub fn parse(code: &str, text: Option<&str>) -> Result<Diagnosis, DiagnosisError> {
        let code = code.trim();
        let (category, subcode) = match code.split_once('.') {
            Some((category, subcode)) => (category, Some(subcode)),
            None => (code, None),
        };
        let category_ok = match category.as_bytes() {
            [chapter, first, second] => {
                chapter.is_ascii_uppercase()
                    && first.is_ascii_digit()
                    && (second.is_ascii_digit() || second.is_ascii_uppercase())
            }
            _ => false,
        };
        let subcode_ok = subcode.is_none_or(|s| {
            (1..=DIAGNOSIS_SUBCODE_CHARS_MAX).contains(&s.len())
                && s.bytes().all(|b| b.is_ascii_alphanumeric())
        });
        if !(category_ok && subcode_ok) {
            return Err(DiagnosisError::Code);
        }
        let text = text.map(str::trim).filter(|t| !t.is_empty());
        if text.is_some_and(|t| {
            t.chars().count() > DIAGNOSIS_TEXT_CHARS_MAX || t.chars().any(char::is_control)
        }) {
            return Err(DiagnosisError::Text);
        }
        Ok(Diagnosis {
            code: code.to_owned(),
            text: text.map(str::to_owned),
        })
    }

    /// The clear code. Call sites are few: sealing, and the holder's own view.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The clear text, if any. Call sites are few: sealing, and the holder's own view.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// The code's chapter letter only (`J**`).
    pub fn masked_code(&self) -> String {
        let chapter: String = self.code.chars().take(1).collect();
        format!("{chapter}**")
    }

    /// `***` if there is text.
    pub fn masked_text(&self) -> Option<String> {
        self.text.as_ref().map(|_| "***".to_owned())
    }
}

impl std::fmt::Debug for Diagnosis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Diagnosis({})", self.masked_code())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests;
