//! Region parameters: the numbers a province or city fixes, versioned by effective date.
//! They are data, never constants: the values below are only what `demo` data and tests use.

use crate::Refusal;
use crate::time::UtcOffset;

/// The largest amount a region's parameters may name, in fen (one billion yuan).
pub const PARAMETER_MONEY_MAX_FEN: i64 = 100_000_000_000;

/// One version of a region's parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionParameters {
    /// Consecutive wrong social-security PINs before it locks (card.md: commonly 6).
    pub social_pin_retries_max: u32,
    /// Wrong financial PINs in one day before it locks (card.md: commonly 3).
    pub financial_pin_retries_max: u32,
    /// Days after which a temporary loss report lapses by itself (card.md: 5, 10 or 15 seen).
    pub temporary_loss_days: u32,
    /// Validity of a temporary card in days (card.md: 60, at most six months).
    pub temporary_card_validity_days: u32,
    /// Validity of a card in years (identity.md: 10).
    pub card_validity_years: u32,
    /// Whether a deposit-only account accepts credits (card.md: policy, default accept).
    pub deposit_only_accepts_credits: bool,
    /// Largest single debit or credit in fen.
    pub single_operation_max_fen: i64,
    /// Minutes the region's clocks run ahead of UTC (China: +480 all year). Every "today" of
    /// the region (PIN count, expiry, policy year, contribution months) is its local date.
    pub utc_offset_minutes: i32,
    /// A credit entered by a person (a clerk's benefit or pension credit, a teller's deposit)
    /// above this many fen moves no money until a second person approves it (issue 13).
    pub manual_credit_approval_above_fen: i64,
    /// The most one person may credit by hand in a day on their own authority; a credit
    /// beyond it waits for a second person's approval (issue 13).
    pub manual_credit_daily_max_fen: i64,
    /// Hours an approval request waits for its decision before it lapses (issue 13).
    pub approval_request_valid_hours: u32,
    /// Days a card waits at its pick-up point before it is uncollected and recalled (issue
    /// 18, Art. 13: the region sets it); none while the region has set no period, and then
    /// no card is ever listed as uncollected.
    pub uncollected_card_days: Option<u32>,
    /// Minutes an electronic card's code (its QR code) works after it is shown (issue 19;
    /// card.md: one pilot refreshed it every 3 minutes); none while the region offers no
    /// electronic-card codes.
    pub ecard_code_minutes: Option<u32>,
}

impl RegionParameters {
    /// Checks each value against the bounds the national rules allow, in the order of the
    /// table below; the first value out of its bounds is the refusal's reason.
    pub fn validate(&self) -> Result<(), Refusal> {
        const MONEY_MAX_FEN: i64 = PARAMETER_MONEY_MAX_FEN;
        let offset = (UtcOffset::MIN_MINUTES, UtcOffset::MAX_MINUTES);
        // (value, lowest, highest, the reason when it is outside): one row a line.
        #[rustfmt::skip]
        let bounds: [(i64, i64, i64, &'static str); 10] = [
            (self.social_pin_retries_max.into(), 1, 10, "social_pin_retries_max must be 1 to 10"),
            (self.financial_pin_retries_max.into(), 1, 10, "financial_pin_retries_max must be 1 to 10"),
            (self.temporary_loss_days.into(), 1, 90, "temporary_loss_days must be 1 to 90"),
            // card.md: a temporary card is valid at most six months.
            (self.temporary_card_validity_days.into(), 1, 183, "temporary_card_validity_days must be 1 to 183"),
            (self.card_validity_years.into(), 1, 20, "card_validity_years must be 1 to 20"),
            (self.single_operation_max_fen, 1, MONEY_MAX_FEN, "single_operation_max_fen must be 1 to 100000000000"),
            (self.utc_offset_minutes.into(), offset.0.into(), offset.1.into(), "utc_offset_minutes must be -720 to 840"),
            (self.manual_credit_approval_above_fen, 0, MONEY_MAX_FEN, "manual_credit_approval_above_fen must be 0 to 100000000000"),
            (self.manual_credit_daily_max_fen, 0, MONEY_MAX_FEN, "manual_credit_daily_max_fen must be 0 to 100000000000"),
            // A request must outlive a night and a weekend, and no undecided request may wait
            // longer than a month.
            (self.approval_request_valid_hours.into(), 1, 720, "approval_request_valid_hours must be 1 to 720"),
        ];
        // A card waits at least a month, and at most two years.
        let uncollected = self.uncollected_card_days.map(|days| {
            (
                i64::from(days),
                30,
                730,
                "uncollected_card_days must be 30 to 730",
            )
        });
        // A code lives a minute at least, and at most ten (it is refreshed while shown).
        let ecard = self.ecard_code_minutes.map(|minutes| {
            (
                i64::from(minutes),
                1,
                10,
                "ecard_code_minutes must be 1 to 10",
            )
        });
        match bounds
            .into_iter()
            .chain(uncollected)
            .chain(ecard)
            .find(|(value, lowest, highest, _)| !(*lowest..=*highest).contains(value))
        {
            Some((_, _, _, reason)) => Err(Refusal::InvalidParameters { reason }),
            None => Ok(()),
        }
    }

    /// The region's offset from UTC. A stored version that does not validate (which
    /// `validate` prevents) is read as UTC+14, the latest date anywhere.
    pub fn utc_offset(&self) -> UtcOffset {
        UtcOffset::from_minutes(self.utc_offset_minutes).unwrap_or(UtcOffset::LATEST)
    }

    /// The common values of card.md, used by demo data and tests.
    pub fn common() -> RegionParameters {
        RegionParameters {
            social_pin_retries_max: 6,
            financial_pin_retries_max: 3,
            temporary_loss_days: 15,
            temporary_card_validity_days: 60,
            card_validity_years: 10,
            deposit_only_accepts_credits: true,
            single_operation_max_fen: 500_000_000, // 5,000,000 yuan
            utc_offset_minutes: 480,               // China Standard Time, UTC+8
            manual_credit_approval_above_fen: 5_000_000, // 50,000 yuan
            manual_credit_daily_max_fen: 20_000_000, // 200,000 yuan
            approval_request_valid_hours: 72,
            uncollected_card_days: Some(180),
            ecard_code_minutes: Some(3),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_values_are_valid() {
        assert_eq!(RegionParameters::common().validate(), Ok(()));
    }

    #[test]
    fn the_uncollected_period_is_a_month_to_two_years_or_unset() {
        for (days, valid) in [
            (None, true),
            (Some(30), true),
            (Some(730), true),
            (Some(29), false),
            (Some(731), false),
        ] {
            let params = RegionParameters {
                uncollected_card_days: days,
                ..RegionParameters::common()
            };
            assert_eq!(params.validate().is_ok(), valid, "{days:?}");
        }
    }

    #[test]
    fn a_temporary_card_longer_than_six_months_is_refused() {
        let params = RegionParameters {
            temporary_card_validity_days: 200,
            ..RegionParameters::common()
        };
        assert_eq!(
            params.validate().map_err(|r| r.code()),
            Err("invalid_parameters")
        );
    }

    #[test]
    fn an_offset_beyond_those_in_use_is_refused() {
        for minutes in [-721, 841, i32::MIN, i32::MAX] {
            let params = RegionParameters {
                utc_offset_minutes: minutes,
                ..RegionParameters::common()
            };
            assert_eq!(
                params.validate().map_err(|r| r.code()),
                Err("invalid_parameters"),
                "{minutes}"
            );
        }
        for minutes in [-720, 0, 480, 840] {
            let params = RegionParameters {
                utc_offset_minutes: minutes,
                ..RegionParameters::common()
            };
            assert_eq!(params.validate(), Ok(()));
            assert_eq!(params.utc_offset().minutes(), minutes);
        }
    }
}
