//! `shebao bench run`'s **medical settlement** workload (issue 7): a hospital cashier's
//! real-time settlement of an outpatient bill — catalogue look-ups, the region's policy, the
//! year's deductible and cap, the split, the fund's and the personal account's shares posted
//! through the ledger, the accumulators moved, the diagnosis sealed, idempotent and audited,
//! one durable commit — for a random insured person among the benchmark's card holders.
//!
//! The set-up goes through the real use cases: a level-3 hospital of the benchmark's region
//! (330100) with one cashier login per client (a till each), a catalogue, the region's
//! policy for this year, an employer, and two years of declared and paid contributions for
//! the insured persons, which put 11,520 yuan in each personal medical account: enough for
//! about 140 of the benchmark's bills each before the account runs dry and the person's
//! share is paid in cash. Only the insurance record itself (an employee enrolment through
//! the employer, from two years ago) is written in bulk through the store, as
//! `setup::register_holders` does.

use std::sync::Arc;

use serde_json::{Value, json};
use shebao_app::insurance::declarations::{DECLARATION_ROWS_MAX, DeclarationRow, DeclarationRows};
use shebao_app::insurance::{NewEmployer, PaymentRequest};
use shebao_app::medical::{
    BillLineRequest, BillRequest, DiagnosisRequest, Identification, MedicalPolicy,
    NewCatalogueItem, NewInstitution, NewMedicalPolicy, PolicyRule, PresentedCard,
    SupplementaryFund,
};
use shebao_app::{Actor, App, AppError};
use shebao_domain::ids::{CardId, EmployerId, PersonId};
use shebao_domain::insurance::Month;

use super::common::{Context, Options, app_fail, measure, pick};
use super::setup::{citizen_id, enrol_in_bulk, staff, staff_user};

const REGION: &str = "330100";
const HOSPITAL: &str = "bench-hospital";
/// A valid unified social credit code (GB 32100-2015) no other benchmark uses.
const EMPLOYER_CREDIT_CODE: &str = "91330100MA27MED01F";
/// The declared monthly wage: above the base ceiling (300% of the example's 8,000 yuan
/// average), so each month puts the most there is (2% of 24,000 yuan, 480 yuan) into the
/// personal medical account.
const WAGE_FEN: i64 = 3_000_000;
/// Months of contributions declared and paid for every insured person.
const MONTHS_PAID: i32 = 24;

/// A catalogue item: national-style code, name, class (`a`, `b`, `self_paid`), class B's
/// first share (parts per million) and the limit price (fen).
struct Item(
    &'static str,
    &'static str,
    &'static str,
    Option<u32>,
    Option<i64>,
);

/// The catalogue. The benchmark bill uses the first five items; the rest make the catalogue
/// less trivially small.
const CATALOGUE: [Item; 10] = [
    Item("110200001", "普通门诊诊察费", "a", None, Some(2_500)),
    Item("250101015", "血常规", "a", None, None),
    Item("XJ01CAA040", "阿莫西林胶囊", "a", None, None),
    Item(
        "XJ01DCC020",
        "头孢呋辛酯片",
        "b",
        Some(100_000),
        Some(6_500),
    ),
    Item("ZZ0000001", "维生素C泡腾片", "self_paid", None, None),
    Item("110200002", "主治医师门诊诊察费", "a", None, Some(3_500)),
    Item("250203035", "C反应蛋白测定", "a", None, None),
    Item("XR05CBA010", "氨溴索口服溶液", "b", Some(50_000), None),
    Item("XN02BEA010", "对乙酰氨基酚片", "a", None, None),
    Item("ZZ0000002", "医用口罩", "self_paid", None, None),
];

/// Diagnoses the bills carry in turn (ICD-10 code, text).
const DIAGNOSES: [(&str, &str); 4] = [
    ("J06.9", "急性上呼吸道感染"),
    ("J20.9", "急性支气管炎"),
    ("K29.7", "胃炎"),
    ("R50.9", "发热"),
];

/// An ordinary outpatient visit at a level-3 hospital, 165 yuan: a consultation at its limit
/// price, a blood count, two boxes of a class-A antibiotic, a class-B one 3 yuan above its
/// limit price (10% first share) and a self-paid item; with a diagnosis. In scope 140.50
/// yuan; once the year's 300-yuan deductible is used (a person's first two bills and part of
/// the third), the fund pays 60% (84.30 yuan) and the personal account the other 80.70.
fn outpatient_bill(card: &PresentedCard, bill_number: String, n: usize) -> BillRequest {
    let line = |code: &str, quantity: u32, unit_price_fen: i64| BillLineRequest {
        code: code.into(),
        quantity,
        unit_price_fen,
    };
    let (code, text) = DIAGNOSES[n % DIAGNOSES.len()];
    BillRequest {
        // The card as the till reads it (issue 13, finding 5).
        person: Identification::Card(card.clone()),
        social_pin: None,
        bill_number,
        visit: "outpatient".into(),
        insurance_type: shebao_app::medical::EMPLOYEES_MEDICAL.into(),
        lines: vec![
            line("110200001", 1, 2_500),
            line("250101015", 1, 2_000),
            line("XJ01CAA040", 2, 1_850),
            line("XJ01DCC020", 1, 6_800),
            line("ZZ0000001", 1, 1_500),
        ],
        use_account: true,
        diagnosis: Some(DiagnosisRequest {
            code: code.into(),
            text: Some(text.into()),
        }),
    }
}

/// The region's policy for a year, by institution level, visit and status (Hangzhou-like
/// figures): outpatient deductible 300 yuan and 60-80% by level, inpatient 800 yuan and 85%,
/// retirees 10 points more, a 300,000-yuan cap and a large-amount mutual-aid fund above it.
fn policy() -> MedicalPolicy {
    let rule =
        |level: Option<u8>, visit: &str, status: Option<&str>, deductible_fen, ratio| PolicyRule {
            insurance_type: Some("310".into()),
            level,
            visit: Some(visit.into()),
            status: status.map(Into::into),
            deductible_fen,
            pool_ratio_ppm: ratio,
        };
    MedicalPolicy {
        annual_cap_fen: 30_000_000,
        rules: vec![
            rule(Some(1), "outpatient", None, 30_000, 800_000),
            rule(Some(2), "outpatient", None, 30_000, 700_000),
            rule(Some(3), "outpatient", None, 30_000, 600_000),
            rule(Some(3), "outpatient", Some("retired"), 30_000, 700_000),
            rule(None, "pharmacy", None, 30_000, 600_000),
            rule(None, "inpatient", None, 80_000, 850_000),
            rule(None, "inpatient", Some("retired"), 80_000, 900_000),
        ],
        social_pin_required: false,
        supplementary: Some(SupplementaryFund {
            name: "大额医疗互助 large-amount mutual aid".into(),
            ratio_ppm: 900_000,
            annual_cap_fen: 40_000_000,
        }),
    }
}

/// The hospital, its catalogue and policy, the insured persons' enrolments and two years of
/// their contributions; returns one cashier per client.
fn set_up(
    app: &App,
    admin: &Actor,
    clerk: &Actor,
    insured: &[PersonId],
    clients: usize,
) -> Result<Vec<Actor>, String> {
    // The bench region's month: its parameters are `RegionParameters::common()`.
    let this_month = Month::of(
        app.now()
            .local_date(shebao_domain::reference::region::RegionParameters::common().utc_offset()),
    );
    hospital(app, admin, clerk, this_month.year())?;
    let cashiers = (0..clients.max(1))
        .map(|till| {
            let user = shebao_app::access::auth::NewUser {
                institution_id: Some(HOSPITAL.into()),
                ..staff("cashier", &format!("bench-cashier-{till}"), None, None)
            };
            staff_user(app, admin, &format!("bench-medical-cashier-{till}"), user)
        })
        .collect::<Result<Vec<_>, _>>()?;
    insure(app, clerk, insured, this_month)?;
    Ok(cashiers)
}

/// The level-3 hospital of the region, the catalogue and the region's policy for `year`.
fn hospital(app: &App, admin: &Actor, clerk: &Actor, year: i32) -> Result<(), String> {
    app.register_institution(
        clerk,
        "bench-medical-institution",
        NewInstitution {
            id: HOSPITAL.into(),
            name: "浙江大学医学院附属第一医院".into(),
            region: REGION.into(),
            kind: "hospital".into(),
            level: 3,
        },
    )
    .map_err(app_fail)?;
    for Item(code, name, class, first_share_ppm, limit_price_fen) in CATALOGUE {
        app.add_catalogue_item(
            admin,
            &format!("bench-medical-item-{code}"),
            REGION,
            NewCatalogueItem {
                code: code.into(),
                name: name.into(),
                class: class.into(),
                first_share_ppm,
                limit_price_fen,
                effective_from: "2000-01-01".into(),
            },
        )
        .map_err(app_fail)?;
    }
    app.set_medical_policy(
        admin,
        "bench-medical-policy",
        REGION,
        NewMedicalPolicy {
            year,
            policy: policy(),
        },
    )
    .map_err(app_fail)?;
    Ok(())
}

/// The insured persons enrolled through the benchmark's medical employer from
/// [`MONTHS_PAID`] months before `this_month`, each of those months declared and paid.
fn insure(app: &App, clerk: &Actor, insured: &[PersonId], this_month: Month) -> Result<(), String> {
    let employer = app
        .register_employer(
            clerk,
            "bench-medical-employer",
            NewEmployer {
                credit_code: EMPLOYER_CREDIT_CODE.into(),
                name: "杭州基准医疗测试有限公司".into(),
                region: REGION.into(),
                risk_class: 1,
                rate_tier_percent: 100,
            },
        )
        .map_err(app_fail)?;
    let employer = EmployerId::new(employer.id);
    let first_month = this_month.add_months(-MONTHS_PAID);
    enrol_in_bulk(app, insured, (&employer, REGION), first_month, "medical")?;
    let months: Vec<Month> = (0..MONTHS_PAID)
        .map(|i| first_month.add_months(i))
        .collect();
    declare(app, clerk, &employer, insured.len(), &months)?;
    for month in &months {
        app.record_contribution_payment(
            clerk,
            &format!("bench-medical-payment-{month}"),
            employer.as_str(),
            PaymentRequest {
                month: month.to_string(),
            },
        )
        .map_err(app_fail)?;
    }
    Ok(())
}

/// The first `persons` holders' wages for `months`, declared by `employer` in files of at
/// most [`DECLARATION_ROWS_MAX`] rows.
fn declare(
    app: &App,
    clerk: &Actor,
    employer: &EmployerId,
    persons: usize,
    months: &[Month],
) -> Result<(), String> {
    let mut rows = Vec::with_capacity(persons * months.len());
    for i in 0..persons {
        let number = citizen_id(i).ok_or("cannot generate an ID number")?;
        rows.extend(months.iter().map(|month| DeclarationRow {
            citizen_id: number.clone(),
            month: month.to_string(),
            wage_fen: WAGE_FEN,
        }));
    }
    for chunk in rows.chunks(DECLARATION_ROWS_MAX) {
        let rows = chunk.to_vec();
        let declared = app
            .declare_rows(clerk, employer.as_str(), DeclarationRows { rows })
            .map_err(app_fail)?;
        if declared.rows_rejected > 0 {
            return Err(format!(
                "the medical benchmark's declaration rejected {} rows",
                declared.rows_rejected
            ));
        }
    }
    Ok(())
}

/// The cards as a till reads them: each one's printed number and identification code.
fn presented_cards(app: &App, cards: &[String]) -> Result<Vec<PresentedCard>, String> {
    let ids: Vec<CardId> = cards.iter().map(CardId::new).collect();
    let found = app
        .store()
        .read(move |tx| {
            ids.iter()
                .map(|id| tx.card(id))
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(|e| format!("reading the benchmark's cards: {e:?}"))?;
    found
        .into_iter()
        .map(|card| {
            card.map(|card| PresentedCard {
                card_number: card.card_number.as_str().into(),
                identification_code: card.identification_code.as_str().into(),
            })
            .ok_or_else(|| "a benchmark card is missing".to_owned())
        })
        .collect()
}

/// Sets up the hospital and the insured persons (`insured`, who hold `cards`, in the same
/// order), then measures settlements; the row names the baseline of `context`.
pub fn run(
    app: &App,
    admin: &Actor,
    clerk: &Actor,
    insured: &[PersonId],
    cards: &[String],
    options: &Options,
    context: &Context<'_>,
) -> Result<Vec<Value>, String> {
    if insured.len() != cards.len() {
        return Err("the medical workload needs one insured person per card".into());
    }
    let cashiers = Arc::new(set_up(app, admin, clerk, insured, options.clients)?);
    let cards = Arc::new(presented_cards(app, cards)?);
    let work_app = app.clone();
    let measured = measure(options.clients, options.seconds, move |client, n| {
        let (card, cashier) = cards
            .get(pick(client, n, cards.len()))
            .zip(cashiers.get(client % cashiers.len().max(1)))
            .ok_or_else(|| AppError::Internal("no card or no cashier".into()))?;
        let bill = outpatient_bill(card, format!("MZ{client:03}{n:010}"), n);
        let key = format!("bench-medical_settlement-{client}-{n}");
        work_app.settle(cashier, &key, bill).map(|_| ())
    })?;
    Ok(vec![measured.row("medical_settlement", context, json!({}))])
}
