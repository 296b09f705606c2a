//! The cashier's bill form as typed: the drafts of who pays and the bill lines, and their
//! reading into an application request (a refusal names the row or field).

use shebao_app::medical::{BillLineRequest, BillRequest, Identification, PresentedCard};
use shebao_app::money::parse_yuan;
use shebao_domain::access::Role;

use crate::portal::i18n::Lang;
use crate::portal::page::form::PostedForm;
use crate::portal::page::html;
use crate::portal::words::Words;

/// Bill line rows the cashier's form offers; longer bills go through the API.
pub(crate) const BILL_ROWS: usize = 5;
/// Most line rows the form grows to (five more at a time); a longer bill goes through the
/// API, which takes 500 lines.
pub(crate) const BILL_ROWS_MAX: usize = 50;

/// One bill line as typed: the text is kept so the form can be shown again unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LineDraft {
    pub(crate) code: String,
    pub(crate) quantity: String,
    pub(crate) price: String,
}

/// How the patient was identified, as typed: the card's number and identification code, an
/// electronic-card token, or (the fallback) the ID number with a reason. The ID number is
/// never shown back in a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct WhoDraft {
    card_number: String,
    identification_code: String,
    ecard_token: String,
    citizen_id: String,
    reason: String,
}

/// The patient's fields of a form, as typed before (the ID number left out).
#[derive(askama::Template)]
#[template(path = "cashier/who.html")]
struct WhoFields<'a> {
    words: &'static dyn Words,
    prefix: &'a str,
    who: &'a WhoDraft,
}

impl WhoDraft {
    pub(crate) fn read(fields: &[(String, String)]) -> WhoDraft {
        WhoDraft {
            card_number: field(fields, "card_number").trim().to_owned(),
            identification_code: field(fields, "identification_code").trim().to_owned(),
            ecard_token: field(fields, "ecard_token").trim().to_owned(),
            citizen_id: field(fields, "citizen_id").trim().to_owned(),
            reason: field(fields, "reason").trim().to_owned(),
        }
    }

    /// The fields of a form that identify the patient, `prefix` keeping the ids of two forms
    /// on one page apart.
    pub(crate) fn fields(&self, lang: Lang, prefix: &str) -> String {
        html(&WhoFields {
            words: lang.words(),
            prefix,
            who: self,
        })
    }

    /// What is kept for the next form: everything but the ID number.
    pub(crate) fn shown_again(&self) -> WhoDraft {
        WhoDraft {
            citizen_id: String::new(),
            ..self.clone()
        }
    }
}

/// The bill form as typed, without the PIN (which is never shown back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BillDraft {
    pub(crate) who: WhoDraft,
    pub(crate) bill_number: String,
    pub(crate) visit: String,
    /// `310` (employees' medical insurance) or `510` (maternity).
    pub(crate) insurance_type: String,
    pub(crate) lines: Vec<LineDraft>,
    pub(crate) use_account: bool,
}

impl Default for BillDraft {
    fn default() -> Self {
        BillDraft {
            who: WhoDraft::default(),
            bill_number: String::new(),
            visit: "outpatient".into(),
            insurance_type: shebao_app::medical::EMPLOYEES_MEDICAL.into(),
            lines: vec![LineDraft::default(); BILL_ROWS],
            // The application's default: the personal account pays unless the holder says no.
            use_account: true,
        }
    }
}

/// The value of a form field, or "" when it was not sent.
pub(crate) fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.as_str())
}

/// The cashier's forms are read as their fields in order (the bill's rows are numbered).
impl PostedForm for Vec<(String, String)> {
    const DESK: Option<Role> = Some(Role::Cashier);

    fn csrf(&self) -> &str {
        field(self, "csrf")
    }
}

/// Reads the bill form's fields (numbered line rows `code_N`, `quantity_N`, `price_N`, as
/// many as its `rows` says, within [`BILL_ROWS`] and [`BILL_ROWS_MAX`]).
pub(crate) fn bill_draft(fields: &[(String, String)]) -> BillDraft {
    let rows = field(fields, "rows")
        .parse::<usize>()
        .unwrap_or(BILL_ROWS)
        .clamp(BILL_ROWS, BILL_ROWS_MAX);
    BillDraft {
        who: WhoDraft::read(fields),
        bill_number: field(fields, "bill_number").trim().to_owned(),
        visit: field(fields, "visit").trim().to_owned(),
        insurance_type: match field(fields, "insurance_type").trim() {
            "" => shebao_app::medical::EMPLOYEES_MEDICAL.to_owned(),
            typed => typed.to_owned(),
        },
        lines: (0..rows)
            .map(|i| LineDraft {
                code: field(fields, &format!("code_{i}")).trim().to_owned(),
                quantity: field(fields, &format!("quantity_{i}")).trim().to_owned(),
                price: field(fields, &format!("price_{i}")).trim().to_owned(),
            })
            .collect(),
        // An unticked checkbox sends nothing at all.
        use_account: fields.iter().any(|(key, _)| key == "use_account"),
    }
}

/// The bill's lines: empty rows are skipped; a row filled in part is refused by its number.
fn bill_lines(lang: Lang, draft: &BillDraft) -> Result<Vec<BillLineRequest>, String> {
    let mut lines = Vec::new();
    for (i, line) in draft.lines.iter().enumerate() {
        if line.code.is_empty() && line.quantity.is_empty() && line.price.is_empty() {
            continue;
        }
        let row = i + 1;
        let quantity = line.quantity.parse::<u32>().ok().filter(|q| *q > 0);
        let price = parse_yuan(&line.price);
        match (line.code.is_empty(), quantity, price) {
            (false, Some(quantity), Some(unit_price_fen)) => lines.push(BillLineRequest {
                code: line.code.clone(),
                quantity,
                unit_price_fen,
            }),
            _ => {
                return Err(lang.words().bill_line_incomplete(row));
            }
        }
    }
    if lines.is_empty() {
        return Err(lang.words().bill_needs_a_line().to_owned());
    }
    Ok(lines)
}

/// The identification the form names: exactly one of the card (number and identification
/// code), an electronic-card token, or the ID number with a reason.
pub(crate) fn identification(lang: Lang, who: &WhoDraft) -> Result<Identification, String> {
    let card = !who.card_number.is_empty() || !who.identification_code.is_empty();
    let token = !who.ecard_token.is_empty();
    let citizen = !who.citizen_id.is_empty() || !who.reason.is_empty();
    match (card, token, citizen) {
        (true, false, false) => Ok(Identification::Card(PresentedCard {
            card_number: who.card_number.clone(),
            identification_code: who.identification_code.clone(),
        })),
        (false, true, false) => Ok(Identification::ECardToken(who.ecard_token.clone())),
        (false, false, true) => Ok(Identification::CitizenId {
            citizen_id: who.citizen_id.clone(),
            reason: who.reason.clone(),
        }),
        _ => Err(lang.words().identify_one_way().to_owned()),
    }
}

pub(crate) fn bill_request(
    lang: Lang,
    draft: &BillDraft,
    social_pin: Option<String>,
) -> Result<BillRequest, String> {
    Ok(BillRequest {
        person: identification(lang, &draft.who)?,
        social_pin: social_pin.filter(|pin| !pin.is_empty()),
        bill_number: draft.bill_number.clone(),
        visit: draft.visit.clone(),
        lines: bill_lines(lang, draft)?,
        use_account: draft.use_account,
        // The desk's form has no diagnosis field; institutions' systems send it by the API.
        diagnosis: None,
        insurance_type: draft.insurance_type.clone(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn bill_rows_skip_empty_lines_and_read_yuan() {
        let fields = pairs(&[
            ("citizen_id", " 110101199003074477 "),
            ("reason", "chip unreadable"),
            ("bill_number", "B-1"),
            ("visit", "inpatient"),
            ("code_0", "X01"),
            ("quantity_0", "2"),
            ("price_0", "12.5"),
            ("code_1", ""),
            ("quantity_1", ""),
            ("price_1", ""),
            ("code_3", "D02"),
            ("quantity_3", "1"),
            ("price_3", "100"),
        ]);
        let draft = bill_draft(&fields);
        assert!(!draft.use_account, "an unticked box sends nothing");
        assert_eq!(draft.lines.len(), BILL_ROWS);
        // The rows a form asks for, within bounds.
        for (asked, rows) in [
            ("10", 10),
            ("1", BILL_ROWS),
            ("100000", BILL_ROWS_MAX),
            ("x", BILL_ROWS),
        ] {
            let mut more = fields.clone();
            more.push(("rows".into(), asked.into()));
            assert_eq!(bill_draft(&more).lines.len(), rows, "{asked}");
        }
        let lines = bill_lines(Lang::En, &draft).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            (
                lines[0].code.as_str(),
                lines[0].quantity,
                lines[0].unit_price_fen
            ),
            ("X01", 2, 1250)
        );
        assert_eq!(lines[1].unit_price_fen, 10_000);
        let request = bill_request(Lang::En, &draft, Some(String::new())).unwrap();
        assert_eq!(
            request.person,
            Identification::CitizenId {
                citizen_id: "110101199003074477".into(),
                reason: "chip unreadable".into(),
            }
        );
        assert!(request.social_pin.is_none(), "an empty PIN is no PIN");
        assert_eq!(
            draft.who.shown_again().citizen_id,
            "",
            "the ID number is never shown back"
        );
    }

    #[test]
    fn a_half_filled_bill_row_is_refused_by_its_number() {
        let mut draft = BillDraft::default();
        draft.lines[2] = LineDraft {
            code: "X01".into(),
            quantity: "0".into(),
            price: "1.00".into(),
        };
        let refused = bill_lines(Lang::En, &draft).unwrap_err();
        assert!(refused.starts_with("Line 3"), "{refused}");
        draft.lines[2].quantity = "1".into();
        draft.lines[2].price = "1.234".into();
        assert!(bill_lines(Lang::En, &draft).is_err());
        let empty = BillDraft::default();
        assert!(bill_lines(Lang::En, &empty).is_err());
    }

    // Issue 13, finding 5: the desk identifies the patient exactly one way.
    #[test]
    fn the_desk_identifies_by_the_card_a_token_or_the_id_number_one_way_only() {
        let card = WhoDraft {
            card_number: "X00000019".into(),
            identification_code: "330100D156000005C38275EEFC9B9648".into(),
            ..WhoDraft::default()
        };
        assert_eq!(
            identification(Lang::En, &card),
            Ok(Identification::Card(PresentedCard {
                card_number: "X00000019".into(),
                identification_code: "330100D156000005C38275EEFC9B9648".into(),
            }))
        );
        let token = WhoDraft {
            ecard_token: "EC1.crd_1.1.x".into(),
            ..WhoDraft::default()
        };
        assert_eq!(
            identification(Lang::En, &token),
            Ok(Identification::ECardToken("EC1.crd_1.1.x".into()))
        );
        let both = WhoDraft {
            citizen_id: "11010119900307447X".into(),
            ..card.clone()
        };
        assert!(identification(Lang::En, &both).is_err());
        assert!(identification(Lang::En, &WhoDraft::default()).is_err());
    }
}
