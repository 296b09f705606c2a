//! The maternity allowance through the use cases: a claim counted on the employer's
//! previous-year average contribution wage and the region's divisor, scoped to the woman,
//! her employer and the bureau, decided once by someone else, and paid to the card.

use shebao_app::insurance::declarations::{DeclarationRow, DeclarationRows};
use shebao_app::insurance::maternity::{MaternityDecision, NewMaternityClaim};
use shebao_domain::insurance::Month;

use crate::harness::{HOLDER_ID, OTHER_ID, World, code};
use crate::requests::{employee, payment};

fn birth(on: &str, babies: Option<u32>) -> NewMaternityClaim {
    NewMaternityClaim {
        event: "birth".into(),
        event_on: on.into(),
        babies,
        difficult: false,
        pregnancy_months: None,
    }
}

fn approve() -> MaternityDecision {
    MaternityDecision {
        decision: "approve".into(),
        note: None,
    }
}

/// `person` insured through `employer` from 2025-01 to 2026-02, each month declared at
/// `wage_fen` and paid.
fn insured(w: &World, citizen_id: &str, person: &str, employer: &str, wage_fen: i64) {
    w.app
        .enrol(&w.clerk, &w.key(), employee(person, employer, "2025-01"))
        .unwrap();
    let first = Month::parse("2025-01").unwrap();
    let months: Vec<String> = (0..14).map(|i| first.add_months(i).to_string()).collect();
    let rows = months
        .iter()
        .map(|month| DeclarationRow {
            citizen_id: citizen_id.into(),
            month: month.clone(),
            wage_fen,
        })
        .collect();
    w.app
        .declare_rows(&w.clerk, employer, DeclarationRows { rows })
        .unwrap();
    for month in &months {
        w.app
            .record_contribution_payment(&w.clerk, &w.key(), employer, payment(month))
            .unwrap();
    }
}

fn a_birth_is_claimed_by_the_employer_and_paid_to_the_card_once_approved(w: World) {
    benefit_parameters(&w);
    let (woman, card) = w.collected_card(OTHER_ID);
    let man = w.register(HOLDER_ID).id;
    let employer = w.employer("91350100M000100Y43", "330100");
    insured(&w, OTHER_ID, &woman.id, &employer, 900_000);
    insured(&w, HOLDER_ID, &man, &employer, 700_000);
    let hr = w.employer_user("firm-hr", &employer);

    let not_her = w
        .app
        .claim_maternity_allowance(&hr, &w.key(), &man, birth("2026-02-20", None));
    assert_eq!(code(not_her.unwrap_err()), "invalid_request");
    let to_come =
        w.app
            .claim_maternity_allowance(&hr, &w.key(), &woman.id, birth("2026-03-02", None));
    assert_eq!(code(to_come.unwrap_err()), "invalid_request");
    let rival = w.employer("91440300708461136T", "330100");
    let rival_hr = w.employer_user("rival-hr", &rival);
    let stranger =
        w.app
            .claim_maternity_allowance(&rival_hr, &w.key(), &woman.id, birth("2026-02-20", None));
    assert_eq!(code(stranger.unwrap_err()), "not_found");

    // Twins: 98 + 15 days on the employer's 2025 average base (8,000 yuan for both
    // employees, each clamped to the band), divided by 30, rounded half up.
    let claim = w
        .app
        .claim_maternity_allowance(&hr, &w.key(), &woman.id, birth("2026-02-20", Some(2)))
        .unwrap();
    assert_eq!(claim.leave_days, 113);
    assert_eq!(claim.divisor_days, 30);
    assert_eq!(
        claim.allowance_fen,
        (claim.average_wage_fen * 113 * 2 + 30) / 60,
        "half up"
    );
    let holder = w.holder_login("mother", &woman.id);
    let twice =
        w.app
            .claim_maternity_allowance(&holder, &w.key(), &woman.id, birth("2026-02-20", None));
    assert_eq!(code(twice.unwrap_err()), "conflict");
    assert_eq!(w.app.maternity_claims_to_decide(&w.clerk).unwrap().len(), 1);

    let before = w.app.card_account(&w.clerk, &card.id).unwrap().balance_fen;
    let paid = w
        .app
        .decide_maternity_claim(&w.clerk, &w.key(), &claim.id, approve())
        .unwrap();
    assert_eq!(paid.status, "paid");
    let after = w.app.card_account(&w.clerk, &card.id).unwrap().balance_fen;
    assert_eq!(
        after - before,
        claim.allowance_fen,
        "paid to the deposit-only card"
    );
    let again = w
        .app
        .decide_maternity_claim(&w.second_clerk, &w.key(), &claim.id, approve());
    assert_eq!(code(again.unwrap_err()), "wrong_state");

    // No maternity contributions of the employer in 2024: nothing to count a 2025 event on.
    let early =
        w.app
            .claim_maternity_allowance(&w.clerk, &w.key(), &woman.id, birth("2025-06-10", None));
    assert_eq!(code(early.unwrap_err()), "no_contribution_record");
    // A claim the clerk makes at the window is decided by another clerk.
    let window = w
        .app
        .claim_maternity_allowance(
            &w.clerk,
            &w.key(),
            &woman.id,
            NewMaternityClaim {
                event: "miscarriage".into(),
                event_on: "2026-01-10".into(),
                babies: None,
                difficult: false,
                pregnancy_months: Some(3),
            },
        )
        .unwrap();
    assert_eq!(window.leave_days, 15);
    let same = w
        .app
        .decide_maternity_claim(&w.clerk, &w.key(), &window.id, approve());
    assert_eq!(code(same.unwrap_err()), "same_clerk");
    assert_eq!(window.status, "applied");
    let unexplained = w.app.decide_maternity_claim(
        &w.second_clerk,
        &w.key(),
        &window.id,
        MaternityDecision {
            decision: "refuse".into(),
            note: None,
        },
    );
    assert_eq!(code(unexplained.unwrap_err()), "invalid_request");

    let mine = w.app.maternity_claims(&holder, &woman.id).unwrap();
    assert_eq!(mine.claims.len(), 2);
    assert_eq!(
        code(w.app.maternity_claims(&hr, &woman.id).unwrap_err()),
        "forbidden"
    );
    w.assert_ledger_balanced("after the allowance");
}

fn benefit_parameters(w: &World) {
    use shebao_app::insurance::benefit_parameters::{BenefitParametersBody, NewBenefitParameters};
    use shebao_domain::insurance::unemployment::BenefitParameters;
    w.app
        .add_benefit_parameters(
            &w.admin,
            &w.key(),
            "330100",
            NewBenefitParameters {
                effective_from: "2000-01-01".into(),
                parameters: BenefitParametersBody::from_domain(&BenefitParameters::example()),
            },
        )
        .unwrap();
}

crate::on_both_backends!(a_birth_is_claimed_by_the_employer_and_paid_to_the_card_once_approved,);
