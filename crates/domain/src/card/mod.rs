//! The card's life (card.md): application, production, collection, PINs, loss, replacement,
//! renewal, temporary cards, cancellation and expiry. Every transition is a function from the
//! card as it is to the card as it will be, or a [`Refusal`] saying why not.

pub mod code;
pub mod pin;

use crate::Refusal;
use crate::ids::{AccountId, BankId, CardId, PersonId, RegionCode};
use crate::person::identity::{CardIdentificationCode, CardNumber};
use crate::reference::region::RegionParameters;
use crate::time::{Date, Timestamp, UtcOffset};
use pin::{PinCounter, PinVerificationValue};

/// A standard card carries both applications; a temporary card only the social-security one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardKind {
    Standard,
    Temporary,
}

impl CardKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CardKind::Standard => "standard",
            CardKind::Temporary => "temporary",
        }
    }

    pub fn parse(input: &str) -> Option<CardKind> {
        match input {
            "standard" => Some(CardKind::Standard),
            "temporary" => Some(CardKind::Temporary),
            _ => None,
        }
    }
}

/// Where the card is in its life. Expiry is not a status: it follows from `expires_on` and
/// the date, so no sweep is needed for a card to stop working.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardStatus {
    Applied,
    InProduction,
    ReadyForCollection,
    Collected,
    /// Dead for ever: a replacement or a collected renewal took its place.
    Replaced,
    Cancelled,
    /// A temporary card handed back when the real card was collected.
    Returned,
}

impl CardStatus {
    pub const ALL: [CardStatus; 7] = [
        CardStatus::Applied,
        CardStatus::InProduction,
        CardStatus::ReadyForCollection,
        CardStatus::Collected,
        CardStatus::Replaced,
        CardStatus::Cancelled,
        CardStatus::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CardStatus::Applied => "applied",
            CardStatus::InProduction => "in_production",
            CardStatus::ReadyForCollection => "ready_for_collection",
            CardStatus::Collected => "collected",
            CardStatus::Replaced => "replaced",
            CardStatus::Cancelled => "cancelled",
            CardStatus::Returned => "returned",
        }
    }

    pub fn parse(input: &str) -> Option<CardStatus> {
        CardStatus::ALL.into_iter().find(|s| s.as_str() == input)
    }
}

/// The two applications on the chip; loss is reported per side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Social,
    Financial,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Social => "social",
            Side::Financial => "financial",
        }
    }

    pub fn parse(input: &str) -> Option<Side> {
        match input {
            "social" => Some(Side::Social),
            "financial" => Some(Side::Financial),
            _ => None,
        }
    }
}

/// A loss report on one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    None,
    /// By phone or online; lapses by itself at `expires_at` unless confirmed.
    Temporary {
        expires_at: Timestamp,
    },
    /// In person, in writing.
    Formal,
}

impl Loss {
    /// The loss as it stands at `now`: a lapsed temporary loss is no loss.
    pub fn at(self, now: Timestamp) -> Loss {
        match self {
            Loss::Temporary { expires_at } if now >= expires_at => Loss::None,
            other => other,
        }
    }

    pub fn kind_str(self) -> &'static str {
        match self {
            Loss::None => "none",
            Loss::Temporary { .. } => "temporary",
            Loss::Formal => "formal",
        }
    }
}

/// The kind of loss report being made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LossKind {
    Temporary,
    Formal,
}

impl LossKind {
    pub fn parse(input: &str) -> Option<LossKind> {
        match input {
            "temporary" => Some(LossKind::Temporary),
            "formal" => Some(LossKind::Formal),
            _ => None,
        }
    }
}

/// One card. Fields are public so storage can rebuild it; only the transitions below change
/// a card, and storage saves what they return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub id: CardId,
    pub person_id: PersonId,
    pub kind: CardKind,
    pub status: CardStatus,
    pub region: RegionCode,
    /// The card's bank; a temporary card has none.
    pub bank_id: Option<BankId>,
    /// The financial account the card carries; opened at first collection.
    pub account_id: Option<AccountId>,
    pub card_number: CardNumber,
    pub identification_code: CardIdentificationCode,
    pub social_pin: Option<PinVerificationValue>,
    pub social_pin_counter: PinCounter,
    pub social_loss: Loss,
    pub financial_loss: Loss,
    pub distribution_point: Option<String>,
    pub applied_at: Timestamp,
    pub collected_at: Option<Timestamp>,
    pub expires_on: Option<Date>,
    pub replaces: Option<CardId>,
    pub replaced_by: Option<CardId>,
    pub closed_reason: Option<String>,
    /// Optimistic concurrency: storage refuses to save over a newer version.
    pub version: i64,
}

/// What an application names: the new card's identity, chosen by the application.
#[derive(Debug, Clone)]
pub struct NewCard {
    pub id: CardId,
    pub person_id: PersonId,
    pub kind: CardKind,
    pub region: RegionCode,
    pub bank_id: Option<BankId>,
    pub card_number: CardNumber,
    pub identification_code: CardIdentificationCode,
}

fn invalid(action: &'static str, card: &Card) -> Refusal {
    Refusal::InvalidCardState {
        action,
        state: card.status.as_str(),
    }
}

impl Card {
    fn from_new(new: NewCard, now: Timestamp) -> Card {
        Card {
            id: new.id,
            person_id: new.person_id,
            kind: new.kind,
            status: CardStatus::Applied,
            region: new.region,
            bank_id: new.bank_id,
            account_id: None,
            card_number: new.card_number,
            identification_code: new.identification_code,
            social_pin: None,
            social_pin_counter: PinCounter::default(),
            social_loss: Loss::None,
            financial_loss: Loss::None,
            distribution_point: None,
            applied_at: now,
            collected_at: None,
            expires_on: None,
            replaces: None,
            replaced_by: None,
            closed_reason: None,
            version: 0,
        }
    }

    /// A first application for a standard card. One person holds at most one standard card
    /// that is valid or being made.
    pub fn apply(
        new: NewCard,
        existing: &[Card],
        now: Timestamp,
        utc_offset: UtcOffset,
    ) -> Result<Card, Refusal> {
        if new.kind != CardKind::Standard || new.bank_id.is_none() {
            return Err(Refusal::InvalidCardState {
                action: "applied for as standard",
                state: "temporary",
            });
        }
        let live = existing
            .iter()
            .any(|card| card.kind == CardKind::Standard && card.is_live(now, utc_offset));
        if live {
            return Err(Refusal::CardAlreadyExists);
        }
        Ok(Card::from_new(new, now))
    }

    /// A temporary card, issued on the spot while a real card is made (card.md): valid for
    /// the region's number of days, no financial function, usable only in its region.
    pub fn issue_temporary(
        new: NewCard,
        existing: &[Card],
        social_pin: PinVerificationValue,
        params: &RegionParameters,
        now: Timestamp,
    ) -> Result<Card, Refusal> {
        let live = existing
            .iter()
            .any(|card| card.kind == CardKind::Temporary && card.is_live(now, params.utc_offset()));
        if live {
            return Err(Refusal::CardAlreadyExists);
        }
        let mut card = Card::from_new(
            NewCard {
                kind: CardKind::Temporary,
                bank_id: None,
                ..new
            },
            now,
        );
        card.status = CardStatus::Collected;
        card.collected_at = Some(now);
        card.social_pin = Some(social_pin);
        card.expires_on = Some(
            now.local_date(params.utc_offset())
                .add_days(i64::from(params.temporary_card_validity_days)),
        );
        Ok(card)
    }

    /// Valid now or still being made: blocks a second application of the same kind.
    /// `utc_offset` is the card's region's: its days are that region's days.
    pub fn is_live(&self, now: Timestamp, utc_offset: UtcOffset) -> bool {
        match self.status {
            CardStatus::Applied | CardStatus::InProduction | CardStatus::ReadyForCollection => true,
            CardStatus::Collected => !self.is_expired(now, utc_offset),
            CardStatus::Replaced | CardStatus::Cancelled | CardStatus::Returned => false,
        }
    }

    /// The card is valid through `expires_on`, a day of its region (`utc_offset`, the card's
    /// region's offset), not of UTC.
    pub fn is_expired(&self, now: Timestamp, utc_offset: UtcOffset) -> bool {
        self.expires_on
            .is_some_and(|last| now.local_date(utc_offset) > last)
    }

    /// The vendor started making the card.
    pub fn start_production(&self) -> Result<Card, Refusal> {
        if self.status != CardStatus::Applied {
            return Err(invalid("put into production", self));
        }
        Ok(Card {
            status: CardStatus::InProduction,
            ..self.clone()
        })
    }

    /// The vendor reported the card failed in production: it waits for the next batch
    /// again (re-queued), its numbers unchanged.
    pub fn production_failed(&self) -> Result<Card, Refusal> {
        if self.status != CardStatus::InProduction {
            return Err(invalid("re-queued after a failed production", self));
        }
        Ok(Card {
            status: CardStatus::Applied,
            ..self.clone()
        })
    }

    /// The card was counted at its pick-up point (`point`) from a batch whose
    /// personalisation file gave its chip and face the last valid day `expires_on`.
    pub fn arrived(&self, point: &str, expires_on: Date) -> Result<Card, Refusal> {
        if self.status != CardStatus::InProduction {
            return Err(invalid("received at a pick-up point", self));
        }
        Ok(Card {
            status: CardStatus::ReadyForCollection,
            distribution_point: Some(point.to_owned()),
            expires_on: Some(expires_on),
            ..self.clone()
        })
    }

    /// Not collected within the region's period: taken back from the point and cancelled
    /// (no account was opened for it; the holder applies again).
    pub fn recall_uncollected(&self) -> Result<Card, Refusal> {
        if self.status != CardStatus::ReadyForCollection {
            return Err(invalid("recalled as uncollected", self));
        }
        Ok(Card {
            status: CardStatus::Cancelled,
            closed_reason: Some("uncollected".into()),
            ..self.clone()
        })
    }

    /// The card arrived at a distribution point; its validity starts on that day.
    pub fn mark_ready(
        &self,
        point: &str,
        params: &RegionParameters,
        now: Timestamp,
    ) -> Result<Card, Refusal> {
        if self.status != CardStatus::InProduction {
            return Err(invalid("marked ready for collection", self));
        }
        let years = i32::try_from(params.card_validity_years).unwrap_or(10);
        Ok(Card {
            status: CardStatus::ReadyForCollection,
            distribution_point: Some(point.to_owned()),
            expires_on: Some(now.local_date(params.utc_offset()).add_years(years)),
            ..self.clone()
        })
    }

    /// The holder collected the card after an identity check and chose a social PIN; the
    /// social-security side becomes active. The caller opens (or keeps) the financial
    /// account and links it with `account_id`.
    pub fn collect(
        &self,
        identity_matches: bool,
        social_pin: PinVerificationValue,
        account_id: AccountId,
        now: Timestamp,
    ) -> Result<Card, Refusal> {
        if self.status != CardStatus::ReadyForCollection {
            return Err(invalid("collected", self));
        }
        if !identity_matches {
            return Err(Refusal::IdentityMismatch);
        }
        Ok(Card {
            status: CardStatus::Collected,
            collected_at: Some(now),
            social_pin: Some(social_pin),
            account_id: Some(account_id),
            ..self.clone()
        })
    }

    /// The card works at all: collected, not replaced, cancelled, returned or expired.
    /// `utc_offset` is the card's region's.
    pub fn ensure_usable(&self, now: Timestamp, utc_offset: UtcOffset) -> Result<(), Refusal> {
        match self.status {
            CardStatus::Collected if self.is_expired(now, utc_offset) => Err(Refusal::CardExpired),
            CardStatus::Collected => Ok(()),
            CardStatus::Applied | CardStatus::InProduction | CardStatus::ReadyForCollection => {
                Err(Refusal::CardNotCollected)
            }
            CardStatus::Replaced => Err(Refusal::CardReplaced),
            CardStatus::Cancelled => Err(Refusal::CardCancelled),
            CardStatus::Returned => Err(Refusal::CardReturned),
        }
    }

    /// The given side works now: the card is usable and that side is not reported lost.
    pub fn ensure_side_usable(
        &self,
        side: Side,
        now: Timestamp,
        utc_offset: UtcOffset,
    ) -> Result<(), Refusal> {
        self.ensure_usable(now, utc_offset)?;
        if side == Side::Financial && self.kind == CardKind::Temporary {
            return Err(Refusal::TemporaryCardNoFinancialFunction);
        }
        if self.loss(side).at(now) != Loss::None {
            return Err(Refusal::CardLost {
                side: side.as_str(),
            });
        }
        Ok(())
    }

    /// A temporary card works only in its issuing region.
    pub fn ensure_usable_in(
        &self,
        region: &RegionCode,
        now: Timestamp,
        utc_offset: UtcOffset,
    ) -> Result<(), Refusal> {
        self.ensure_side_usable(Side::Social, now, utc_offset)?;
        if self.kind == CardKind::Temporary && &self.region != region {
            return Err(Refusal::OutsideIssuingRegion);
        }
        Ok(())
    }

    pub fn loss(&self, side: Side) -> Loss {
        match side {
            Side::Social => self.social_loss,
            Side::Financial => self.financial_loss,
        }
    }

    fn with_loss(&self, side: Side, loss: Loss) -> Card {
        match side {
            Side::Social => Card {
                social_loss: loss,
                ..self.clone()
            },
            Side::Financial => Card {
                financial_loss: loss,
                ..self.clone()
            },
        }
    }

    /// Checks the social PIN. The returned card carries the new failure count even when the
    /// outcome is a refusal: the caller saves it either way, so a lockout survives restarts.
    pub fn verify_social_pin(
        &self,
        matched: bool,
        params: &RegionParameters,
        now: Timestamp,
    ) -> (Card, Result<(), Refusal>) {
        if let Err(refusal) = self.ensure_side_usable(Side::Social, now, params.utc_offset()) {
            return (self.clone(), Err(refusal));
        }
        if self.social_pin.is_none() {
            return (self.clone(), Err(Refusal::PinNotSet));
        }
        let (counter, outcome) =
            self.social_pin_counter
                .record(matched, params.social_pin_retries_max, "social");
        (
            Card {
                social_pin_counter: counter,
                ..self.clone()
            },
            outcome,
        )
    }

    /// Changes the social PIN after checking the old one (strength is checked by the caller
    /// with [`crate::card::pin::check_strength`] before the new value is computed).
    pub fn change_social_pin(
        &self,
        old_matched: bool,
        new_pin: PinVerificationValue,
        params: &RegionParameters,
        now: Timestamp,
    ) -> (Card, Result<(), Refusal>) {
        let (card, outcome) = self.verify_social_pin(old_matched, params, now);
        match outcome {
            Ok(()) => (
                Card {
                    social_pin: Some(new_pin),
                    ..card
                },
                Ok(()),
            ),
            Err(refusal) => (card, Err(refusal)),
        }
    }

    /// Authorised staff unlock a locked social PIN, with the holder present.
    pub fn unlock_social_pin(
        &self,
        now: Timestamp,
        utc_offset: UtcOffset,
    ) -> Result<Card, Refusal> {
        self.ensure_usable(now, utc_offset)?;
        let counter = self.social_pin_counter.unlock()?;
        Ok(Card {
            social_pin_counter: counter,
            ..self.clone()
        })
    }

    /// Reports one side lost. A temporary report lapses after the region's days; a formal
    /// report (also confirming a temporary one) stands until un-reported or replaced.
    pub fn report_loss(
        &self,
        side: Side,
        kind: LossKind,
        params: &RegionParameters,
        now: Timestamp,
    ) -> Result<Card, Refusal> {
        if self.status != CardStatus::Collected {
            return Err(invalid("reported lost", self));
        }
        if side == Side::Financial && self.kind == CardKind::Temporary {
            return Err(Refusal::TemporaryCardNoFinancialFunction);
        }
        let current = self.loss(side).at(now);
        let next = match (kind, current) {
            (_, Loss::Formal) => {
                return Err(Refusal::CardLost {
                    side: side.as_str(),
                });
            }
            (LossKind::Temporary, _) => Loss::Temporary {
                expires_at: now.add_days(i64::from(params.temporary_loss_days)),
            },
            (LossKind::Formal, _) => Loss::Formal,
        };
        Ok(self.with_loss(side, next))
    }

    /// Withdraws a loss report: allowed until a replacement has been applied for.
    pub fn cancel_loss(&self, side: Side, now: Timestamp) -> Result<Card, Refusal> {
        match self.status {
            CardStatus::Collected => {}
            CardStatus::Replaced => return Err(Refusal::CardReplaced),
            _ => return Err(invalid("un-reported", self)),
        }
        if self.loss(side).at(now) == Loss::None {
            return Err(Refusal::NotLost {
                side: side.as_str(),
            });
        }
        Ok(self.with_loss(side, Loss::None))
    }

    /// Replacement after a formal loss: the old card is dead for ever at once; the new card
    /// (returned second) starts as an application linked to the same financial account.
    pub fn request_replacement(
        &self,
        new: NewCard,
        now: Timestamp,
    ) -> Result<(Card, Card), Refusal> {
        if self.status != CardStatus::Collected || self.kind != CardKind::Standard {
            return Err(invalid("replaced", self));
        }
        if self.social_loss != Loss::Formal && self.financial_loss != Loss::Formal {
            return Err(Refusal::ReplacementNeedsFormalLoss);
        }
        let old = Card {
            status: CardStatus::Replaced,
            replaced_by: Some(new.id.clone()),
            ..self.clone()
        };
        let mut replacement = self.successor(new, now);
        replacement.account_id = self.account_id.clone();
        Ok((old, replacement))
    }

    /// The standard card applied for as `new` to take this one's place.
    fn successor(&self, new: NewCard, now: Timestamp) -> Card {
        let mut successor = Card::from_new(
            NewCard {
                kind: CardKind::Standard,
                ..new
            },
            now,
        );
        successor.replaces = Some(self.id.clone());
        successor
    }

    /// Renewal (expiry, damage, changed data, another bank): a new application; the old card
    /// keeps working until the new one is collected ([`Card::supersede`]). With another bank
    /// the new card opens a new account at collection.
    pub fn request_renewal(&self, new: NewCard, now: Timestamp) -> Result<(Card, Card), Refusal> {
        if self.status != CardStatus::Collected || self.kind != CardKind::Standard {
            return Err(invalid("renewed", self));
        }
        if self.replaced_by.is_some() {
            return Err(Refusal::CardAlreadyExists);
        }
        let old = Card {
            replaced_by: Some(new.id.clone()),
            ..self.clone()
        };
        let same_bank = new.bank_id == self.bank_id;
        let mut renewal = self.successor(new, now);
        if same_bank {
            renewal.account_id = self.account_id.clone();
        }
        Ok((old, renewal))
    }

    /// The card this one renewed was collected: this card stops working for ever.
    pub fn supersede(&self) -> Card {
        match self.status {
            CardStatus::Collected => Card {
                status: CardStatus::Replaced,
                ..self.clone()
            },
            _ => self.clone(),
        }
    }

    /// A temporary card handed back when the real card is collected.
    pub fn return_temporary(&self) -> Result<Card, Refusal> {
        if self.kind != CardKind::Temporary || self.status != CardStatus::Collected {
            return Err(invalid("returned", self));
        }
        Ok(Card {
            status: CardStatus::Returned,
            ..self.clone()
        })
    }

    /// Cancellation (death, emigration, moving the insured place). A cancellation never
    /// destroys money: the caller passes the balance of the account that would be closed.
    pub fn cancel(&self, reason: &str, balance_fen: i64) -> Result<Card, Refusal> {
        match self.status {
            CardStatus::Cancelled => return Err(Refusal::CardCancelled),
            CardStatus::Replaced => return Err(Refusal::CardReplaced),
            CardStatus::Returned => return Err(Refusal::CardReturned),
            _ => {}
        }
        if balance_fen != 0 {
            return Err(Refusal::BalanceRemaining { balance_fen });
        }
        Ok(Card {
            status: CardStatus::Cancelled,
            closed_reason: Some(reason.to_owned()),
            ..self.clone()
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests;
