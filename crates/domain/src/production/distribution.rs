//! Distribution (issue 18, item 5; Measures Art. 13): a region's pick-up points — bank
//! branches and the bureau's service centres — with their opening hours and capacity; a
//! shipped batch's cards sent to them, each card's delivery received at its point (counted:
//! the cards counted and the cards reported missing add up to the cards sent) and handed
//! over at collection; a card received and not collected within the region's period is
//! uncollected, and is recalled. A card may instead be posted to its holder: the address
//! (checked, and masked beyond its city), the carrier's tracking number, and the order's
//! steps (chosen, posted, then delivered or returned).

use super::{ProductionRefusal, invalid, text};
use crate::card::CardStatus;
use crate::time::Date;

/// The longest name or opening hours of a point, in characters.
pub const POINT_NAME_CHARS_MAX: usize = 100;
/// The longest address of a point, in characters.
pub const POINT_ADDRESS_CHARS_MAX: usize = 200;
/// The most cards a point may hold waiting for collection.
pub const POINT_CAPACITY_MAX: i64 = 100_000;
/// The most cards one receipt may report missing.
pub const MISSING_MAX: usize = 5_000;

/// What kind of place a pick-up point is, and so whose staff hand its cards over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointKind {
    /// A branch of a bank: its tellers.
    BankBranch,
    /// A service centre of the bureau (a community's or the bureau's own hall): its clerks.
    ServiceCentre,
}

impl PointKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            PointKind::BankBranch => "bank_branch",
            PointKind::ServiceCentre => "service_centre",
        }
    }

    pub fn parse(input: &str) -> Option<PointKind> {
        match input {
            "bank_branch" => Some(PointKind::BankBranch),
            "service_centre" => Some(PointKind::ServiceCentre),
            _ => None,
        }
    }
}

/// A pick-up point as the desk registers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointTerms {
    pub kind: PointKind,
    /// The bank branch a `BankBranch` point is; none for a service centre.
    pub branch: Option<String>,
    pub name: String,
    pub address: String,
    pub opening_hours: String,
    /// The most cards it holds waiting for collection.
    pub capacity: i64,
}

impl PointTerms {
    /// The terms trimmed and checked: a bank branch point names its branch, a service
    /// centre none; text within its length; a capacity of 1 to [`POINT_CAPACITY_MAX`].
    pub fn check(&self) -> Result<PointTerms, ProductionRefusal> {
        let branch = match (self.kind, self.branch.as_deref().map(str::trim)) {
            (PointKind::BankBranch, Some(branch)) if !branch.is_empty() => {
                Some(text(branch, "branch", POINT_NAME_CHARS_MAX)?)
            }
            (PointKind::BankBranch, _) => {
                return Err(invalid("branch", "a bank branch point names its branch"));
            }
            (PointKind::ServiceCentre, None) => None,
            (PointKind::ServiceCentre, Some("")) => None,
            (PointKind::ServiceCentre, Some(_)) => {
                return Err(invalid("branch", "a service centre is no bank branch"));
            }
        };
        if !(1..=POINT_CAPACITY_MAX).contains(&self.capacity) {
            return Err(invalid("capacity", "1 to 100000 cards"));
        }
        Ok(PointTerms {
            kind: self.kind,
            branch,
            name: text(&self.name, "name", POINT_NAME_CHARS_MAX)?,
            address: text(&self.address, "address", POINT_ADDRESS_CHARS_MAX)?,
            opening_hours: text(&self.opening_hours, "opening_hours", POINT_NAME_CHARS_MAX)?,
            capacity: self.capacity,
        })
    }
}

/// Where a card's delivery to its point is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Sent with its shipment, not yet counted at the point.
    InTransit,
    /// Counted at the point: waits for its holder.
    Received,
    /// Not in the shipment when it was counted: made again in a later batch.
    Missing,
    /// Handed over to its holder after the identity check.
    Collected,
    /// Not collected within the region's period: taken back from the point.
    Recalled,
}

impl Delivery {
    pub const fn as_str(self) -> &'static str {
        match self {
            Delivery::InTransit => "in_transit",
            Delivery::Received => "received",
            Delivery::Missing => "missing",
            Delivery::Collected => "collected",
            Delivery::Recalled => "recalled",
        }
    }

    pub fn parse(input: &str) -> Option<Delivery> {
        [
            Delivery::InTransit,
            Delivery::Received,
            Delivery::Missing,
            Delivery::Collected,
            Delivery::Recalled,
        ]
        .into_iter()
        .find(|d| d.as_str() == input)
    }
}

/// A shipment's receipt: `counted` cards found of the `sent`, and `missing` reported by
/// their codes; the two must account for every card sent, each once.
pub fn check_receipt(sent: i64, counted: i64, missing: usize) -> Result<(), ProductionRefusal> {
    if missing > MISSING_MAX {
        return Err(invalid("missing", "at most 5000 cards reported missing"));
    }
    let missing = i64::try_from(missing).unwrap_or(i64::MAX);
    if counted < 0 || counted.checked_add(missing) != Some(sent) {
        return Err(invalid(
            "counted",
            "the cards counted and the cards reported missing must add up to the cards sent",
        ));
    }
    Ok(())
}

/// Whether a holder may still choose where a card in `status` is collected: while it is
/// applied for or in production and not yet shipped (`shipped`: sent to a point).
pub fn choice_open(status: CardStatus, shipped: bool) -> Result<(), ProductionRefusal> {
    match status {
        CardStatus::Applied | CardStatus::InProduction if !shipped => Ok(()),
        CardStatus::Applied | CardStatus::InProduction => Err(ProductionRefusal::WrongState {
            reason: "the card is already on its way to its pick-up point",
        }),
        _ => Err(ProductionRefusal::WrongState {
            reason: "a pick-up point is chosen only while the card is applied for or made",
        }),
    }
}

/// Whether a point of `capacity` places, `taken` of them (cards waiting there, on their way,
/// or chosen for it and not yet sent), has a place for one more card.
pub fn place_free(capacity: i64, taken: i64) -> Result<(), ProductionRefusal> {
    if taken < capacity {
        Ok(())
    } else {
        Err(ProductionRefusal::PointFull { capacity })
    }
}

/// The longest postal address a card is posted to, in characters.
pub const MAIL_ADDRESS_CHARS_MAX: usize = 120;
/// The shortest: a province, a city and a street at least.
pub const MAIL_ADDRESS_CHARS_MIN: usize = 8;
/// Characters that name streets, districts and places, never a province or a city.
const NOT_IN_A_CITY_NAME: &str = "路街道巷弄号区县镇乡村场园楼幢栋室市省";

/// The length of `text`'s start that is a name of 2 to 7 Chinese characters (none of
/// [`NOT_IN_A_CITY_NAME`]) followed by `suffix`, in bytes.
fn named(text: &str, suffix: &str) -> Option<usize> {
    let end = text.find(suffix)?;
    let name = &text[..end];
    let count = name.chars().count();
    let han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c) && !NOT_IN_A_CITY_NAME.contains(c);
    ((2..=7).contains(&count) && name.chars().all(han)).then_some(end + suffix.len())
}

/// The start of an address that names its province (optional) and its city:
/// `浙江省杭州市`, `北京市`, `新疆维吾尔自治区乌鲁木齐市`; empty when the address does not
/// begin so.
fn city_prefix(address: &str) -> &str {
    let province = ["省", "自治区"]
        .iter()
        .find_map(|suffix| named(address, suffix))
        .unwrap_or(0);
    match named(&address[province..], "市") {
        Some(city) => &address[..province + city],
        None => "",
    }
}
/// The longest carrier name, in characters.
pub const CARRIER_CHARS_MAX: usize = 40;

/// Where a card sent by post is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailStatus {
    /// Asked for: the card goes to the default point, whose clerks post it.
    Chosen,
    /// Handed to the carrier with its tracking number.
    Posted,
    /// The carrier lost it: the card is cancelled and made again under new numbers, to be
    /// posted to the same address.
    Lost,
    /// The carrier handed it to the holder after checking the ID card.
    Delivered,
    /// The carrier brought it back: it waits at the point for its holder.
    Returned,
    /// The holder chose a pick-up point instead, or collected the card there first.
    Withdrawn,
}

impl MailStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            MailStatus::Chosen => "chosen",
            MailStatus::Posted => "posted",
            MailStatus::Lost => "lost",
            MailStatus::Delivered => "delivered",
            MailStatus::Returned => "returned",
            MailStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(input: &str) -> Option<MailStatus> {
        [
            MailStatus::Chosen,
            MailStatus::Posted,
            MailStatus::Lost,
            MailStatus::Delivered,
            MailStatus::Returned,
            MailStatus::Withdrawn,
        ]
        .into_iter()
        .find(|s| s.as_str() == input)
    }

    /// Whether the order is still open: chosen or posted.
    #[must_use]
    pub const fn live(self) -> bool {
        matches!(self, MailStatus::Chosen | MailStatus::Posted)
    }
}

/// The postal address a card is sent to: the address (trimmed, 8 to 120 characters, no
/// control character) and the six-digit postcode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailAddress {
    pub address: String,
    pub postcode: String,
}

impl MailAddress {
    /// The address checked and trimmed.
    pub fn check(address: &str, postcode: &str) -> Result<MailAddress, ProductionRefusal> {
        let address = text(address, "address", MAIL_ADDRESS_CHARS_MAX)?;
        if address.chars().count() < MAIL_ADDRESS_CHARS_MIN {
            return Err(invalid(
                "address",
                "the full postal address: province, city, street and number",
            ));
        }
        let postcode = postcode.trim();
        if postcode.len() != 6 || !postcode.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("postcode", "six digits"));
        }
        Ok(MailAddress {
            address,
            postcode: postcode.to_owned(),
        })
    }

    /// The address as everyone but the clerk who posts the card sees it: its start when it
    /// names its province and city (`浙江省杭州市`, `北京市`; nothing when the address does
    /// not begin so) and the postcode's first two digits (the province); the district,
    /// street, number and the rest of the postcode never show.
    #[must_use]
    pub fn masked(&self) -> String {
        let head = city_prefix(&self.address);
        let province = self.postcode.get(..2).unwrap_or_default();
        format!("{head}****（{province}****）")
    }
}

/// The carrier and the tracking number a card is posted with: the carrier's name (1 to 40
/// characters) and a tracking number of 8 to 30 Latin letters and digits, kept upper-case.
pub fn check_posting(
    carrier: &str,
    tracking_number: &str,
) -> Result<(String, String), ProductionRefusal> {
    let carrier = text(carrier, "carrier", CARRIER_CHARS_MAX)?;
    let number = tracking_number.trim().to_ascii_uppercase();
    if !(8..=30).contains(&number.len()) || !number.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(invalid(
            "tracking_number",
            "8 to 30 Latin letters and digits",
        ));
    }
    Ok((carrier, number))
}

/// Whether a card with a mail order in `status` may be posted (`posted`) or have its
/// carrier's report recorded (`!posted`).
pub fn mail_step(status: MailStatus, posted: bool) -> Result<(), ProductionRefusal> {
    match (status, posted) {
        (MailStatus::Chosen, true) | (MailStatus::Posted, false) => Ok(()),
        (MailStatus::Posted, true) => Err(ProductionRefusal::WrongState {
            reason: "the card is already posted",
        }),
        (_, true) => Err(ProductionRefusal::WrongState {
            reason: "the card is not to be posted",
        }),
        (_, false) => Err(ProductionRefusal::WrongState {
            reason: "the card is not in the post",
        }),
    }
}

/// The most cards one destruction record covers.
pub const DESTROYED_MAX: usize = 1_000;
/// The longest witness's name, in characters.
const WITNESS_CHARS_MAX: usize = 50;

/// How a recalled card is destroyed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DestructionMethod {
    /// Cut up in a shredder, chip and all.
    Shredded,
    /// The chip punched out and the card cut.
    ChipPunched,
}

impl DestructionMethod {
    pub const fn as_str(self) -> &'static str {
        match self {
            DestructionMethod::Shredded => "shredded",
            DestructionMethod::ChipPunched => "chip_punched",
        }
    }

    pub fn parse(input: &str) -> Option<DestructionMethod> {
        [DestructionMethod::Shredded, DestructionMethod::ChipPunched]
            .into_iter()
            .find(|m| m.as_str() == input)
    }
}

/// A destruction's record checked: 1 to [`DESTROYED_MAX`] cards, each once, how, and the
/// witness (1 to 50 characters) — the method and the witness's name trimmed.
pub fn check_destruction(
    cards: &[String],
    method: &str,
    witness: &str,
) -> Result<(DestructionMethod, String), ProductionRefusal> {
    if cards.is_empty() || cards.len() > DESTROYED_MAX {
        return Err(invalid("cards", "1 to 1000 recalled cards"));
    }
    let mut seen = std::collections::BTreeSet::new();
    if !cards.iter().all(|card| seen.insert(card.trim())) {
        return Err(invalid("cards", "each card once"));
    }
    let method = DestructionMethod::parse(method.trim())
        .ok_or_else(|| invalid("method", "shredded or chip_punched"))?;
    Ok((method, text(witness, "witness", WITNESS_CHARS_MAX)?))
}

/// Whether a card received on `received_on` is uncollected on `today`, the region's period
/// being `period_days`: the period's last day has passed.
#[must_use]
pub fn uncollected(received_on: Date, today: Date, period_days: u32) -> bool {
    today > received_on.add_days(i64::from(period_days))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn branch_point() -> PointTerms {
        PointTerms {
            kind: PointKind::BankBranch,
            branch: Some(" icbc-hz-1 ".into()),
            name: " 工商银行杭州分行营业部 ".into(),
            address: "杭州市上城区".into(),
            opening_hours: "周一至周五 9:00-17:00".into(),
            capacity: 2_000,
        }
    }

    #[test]
    fn a_point_is_trimmed_and_a_bank_branch_names_its_branch() {
        let checked = branch_point().check().unwrap();
        assert_eq!(checked.branch.as_deref(), Some("icbc-hz-1"));
        assert_eq!(checked.name, "工商银行杭州分行营业部");
        let no_branch = PointTerms {
            branch: None,
            ..branch_point()
        };
        assert!(matches!(
            no_branch.check(),
            Err(ProductionRefusal::Invalid {
                field: "branch",
                ..
            })
        ));
        let centre = PointTerms {
            kind: PointKind::ServiceCentre,
            ..branch_point()
        };
        assert!(centre.check().is_err(), "a service centre is no branch");
        let centre = PointTerms {
            kind: PointKind::ServiceCentre,
            branch: None,
            ..branch_point()
        };
        assert_eq!(centre.check().unwrap().branch, None);
        for capacity in [0, -1, POINT_CAPACITY_MAX + 1] {
            let point = PointTerms {
                capacity,
                ..branch_point()
            };
            assert!(point.check().is_err(), "{capacity}");
        }
    }

    #[test]
    fn a_receipt_accounts_for_every_card_sent() {
        assert!(check_receipt(1_000, 999, 1).is_ok());
        assert!(check_receipt(1_000, 1_000, 0).is_ok());
        assert!(
            check_receipt(1_000, 999, 0).is_err(),
            "one card unaccounted for"
        );
        assert!(check_receipt(1_000, 1_000, 1).is_err(), "one card too many");
        assert!(check_receipt(3, -1, 4).is_err());
        assert!(check_receipt(10_000, 0, MISSING_MAX + 1).is_err());
    }

    #[test]
    fn a_card_is_uncollected_once_the_periods_last_day_has_passed() {
        let received = Date::new(2026, 1, 31).unwrap();
        assert!(!uncollected(received, Date::new(2026, 3, 1).unwrap(), 29));
        assert!(uncollected(received, Date::new(2026, 3, 2).unwrap(), 29));
    }

    #[test]
    fn a_point_is_chosen_before_the_card_is_shipped_and_while_a_place_is_free() {
        assert!(choice_open(CardStatus::Applied, false).is_ok());
        assert!(choice_open(CardStatus::InProduction, false).is_ok());
        assert!(matches!(
            choice_open(CardStatus::InProduction, true),
            Err(ProductionRefusal::WrongState { .. })
        ));
        for status in [
            CardStatus::ReadyForCollection,
            CardStatus::Collected,
            CardStatus::Cancelled,
        ] {
            assert!(choice_open(status, false).is_err(), "{status:?}");
        }
        assert!(place_free(2, 1).is_ok());
        assert_eq!(place_free(2, 2).map_err(|r| r.code()), Err("point_full"));
        assert!(place_free(2, 3).is_err());
    }

    #[test]
    fn a_mail_address_is_checked_and_masked_beyond_its_city() {
        let address = MailAddress::check(" 浙江省杭州市西湖区文三路 90 号 ", "310012").unwrap();
        assert_eq!(address.address, "浙江省杭州市西湖区文三路 90 号");
        assert_eq!(address.masked(), "浙江省杭州市****（31****）");
        assert!(!address.masked().contains("文三路"));
        // An address not beginning with its city shows none of its text.
        let street_first = MailAddress::check("文三路90号3幢杭州市西湖区", "310012").unwrap();
        assert_eq!(street_first.masked(), "****（31****）");
        let municipality = MailAddress::check("北京市朝阳区建国路 1 号", "100020").unwrap();
        assert_eq!(municipality.masked(), "北京市****（10****）");
        let autonomous = MailAddress::check("新疆维吾尔自治区乌鲁木齐市天山区", "830000").unwrap();
        assert_eq!(
            autonomous.masked(),
            "新疆维吾尔自治区乌鲁木齐市****（83****）"
        );
        // A 市 of a street's name (a market, a supermarket) is no city.
        for street in [
            "解放路1号市场东门",
            "超市街12号3幢",
            "中山路市民中心 5 楼",
            "人民路市政大楼 2 号",
        ] {
            let address = MailAddress::check(street, "310012").unwrap();
            assert_eq!(address.masked(), "****（31****）", "{street}");
        }
        assert!(MailAddress::check("杭州市", "310012").is_err(), "too short");
        assert!(MailAddress::check(&"路".repeat(121), "310012").is_err());
        assert!(MailAddress::check("浙江省杭州市西湖区\n文三路", "310012").is_err());
        for postcode in ["31001", "3100123", "31001a", ""] {
            assert!(
                MailAddress::check("浙江省杭州市西湖区文三路", postcode).is_err(),
                "{postcode}"
            );
        }
    }

    #[test]
    fn a_card_is_posted_once_with_a_tracking_number_and_reported_once() {
        assert_eq!(
            check_posting(" 中国邮政 EMS ", "ems1234567890cn").unwrap(),
            ("中国邮政 EMS".to_owned(), "EMS1234567890CN".to_owned())
        );
        for number in ["1234567", "EMS-12345678", &"9".repeat(31)] {
            assert!(check_posting("EMS", number).is_err(), "{number}");
        }
        assert!(check_posting(" ", "EMS1234567890CN").is_err());
        assert!(mail_step(MailStatus::Chosen, true).is_ok());
        assert!(mail_step(MailStatus::Posted, false).is_ok());
        assert!(mail_step(MailStatus::Posted, true).is_err(), "posted twice");
        assert!(
            mail_step(MailStatus::Chosen, false).is_err(),
            "not posted yet"
        );
        for status in [
            MailStatus::Lost,
            MailStatus::Delivered,
            MailStatus::Returned,
            MailStatus::Withdrawn,
        ] {
            assert!(mail_step(status, true).is_err(), "{status:?}");
            assert!(mail_step(status, false).is_err(), "{status:?}");
            assert_eq!(MailStatus::parse(status.as_str()), Some(status));
            assert!(!status.live());
        }
        assert!(MailStatus::Chosen.live() && MailStatus::Posted.live());
    }

    #[test]
    fn a_destruction_names_each_card_once_how_and_its_witness() {
        let cards = vec!["c1".to_owned(), "c2".to_owned()];
        assert_eq!(
            check_destruction(&cards, " shredded ", " 王五 ").unwrap(),
            (DestructionMethod::Shredded, "王五".to_owned())
        );
        assert!(check_destruction(&[], "shredded", "王五").is_err());
        let twice = vec!["c1".to_owned(), " c1".to_owned()];
        assert!(check_destruction(&twice, "shredded", "王五").is_err());
        assert!(check_destruction(&cards, "burnt", "王五").is_err());
        assert!(check_destruction(&cards, "chip_punched", " ").is_err());
        let many: Vec<String> = (0..=DESTROYED_MAX).map(|i| i.to_string()).collect();
        assert!(check_destruction(&many, "shredded", "王五").is_err());
        assert_eq!(
            DestructionMethod::parse("chip_punched"),
            Some(DestructionMethod::ChipPunched)
        );
    }

    #[test]
    fn deliveries_read_back_as_written() {
        for d in [
            Delivery::InTransit,
            Delivery::Received,
            Delivery::Missing,
            Delivery::Collected,
            Delivery::Recalled,
        ] {
            assert_eq!(Delivery::parse(d.as_str()), Some(d));
        }
        assert_eq!(Delivery::parse("lost"), None);
    }
}
