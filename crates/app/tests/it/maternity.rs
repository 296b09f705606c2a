//! The maternity allowance through the use cases: a claim counted on the employer's
//! previous-year average contribution wage and the region's divisor, scoped to the woman,
//! her employer and the bureau, decided once by someone else, and paid to the card.

use shebao_app::insurance::maternity::{MaternityDecision, NewMaternityClaim};

use crate::harness::{HOLDER_ID, OTHER_ID, World, code};
use crate::unemployment::{benefit_parameters, insured};

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

fn a_birth_is_claimed_by_the_employer_and_paid_to_the_card_once_approved(w: World) {
    benefit_parameters(&w);
    let (woman, card) = w.collected_card(OTHER_ID);
    let man = w.register(HOLDER_ID).id;
    let employer = w.employer("91350100M000100Y43", "330100");
    insured(&w, OTHER_ID, &woman.id, &employer, "2025-01", 14);
    insured(&w, HOLDER_ID, &man, &employer, "2025-01", 14);
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

    // A claim the clerk makes at the window is decided by another clerk; refused, the day
    // may be claimed again.
    let window = w
        .app
        .claim_maternity_allowance(&w.clerk, &w.key(), &woman.id, birth("2026-02-20", None))
        .unwrap();
    let same = w
        .app
        .decide_maternity_claim(&w.clerk, &w.key(), &window.id, approve());
    assert_eq!(code(same.unwrap_err()), "same_clerk");
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
    let refused = w
        .app
        .decide_maternity_claim(
            &w.second_clerk,
            &w.key(),
            &window.id,
            MaternityDecision {
                decision: "refuse".into(),
                note: Some("婴儿数有误".into()),
            },
        )
        .unwrap();
    assert_eq!(refused.status, "refused");

    // Twins: 98 + 15 days on the employer's 2025 bases, divided by 30, rounded half up once.
    let claim = w
        .app
        .claim_maternity_allowance(&hr, &w.key(), &woman.id, birth("2026-02-20", Some(2)))
        .unwrap();
    assert_eq!((claim.leave_days, claim.divisor_days), (113, 30));
    assert_eq!(
        claim.allowance_fen,
        (claim.average_wage_fen * 113 * 2 + 30) / 60,
        "half up"
    );
    let holder = w.holder_login("mother", &woman.id);
    let again_next_day =
        w.app
            .claim_maternity_allowance(&holder, &w.key(), &woman.id, birth("2026-02-21", None));
    assert_eq!(
        code(again_next_day.unwrap_err()),
        "conflict",
        "one claim an event"
    );
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

    let mine = w.app.maternity_claims(&holder, &woman.id).unwrap();
    assert_eq!(mine.claims.len(), 2);
    assert_eq!(
        code(w.app.maternity_claims(&hr, &woman.id).unwrap_err()),
        "forbidden"
    );
    w.assert_ledger_balanced("after the allowance");
}

crate::on_both_backends!(a_birth_is_claimed_by_the_employer_and_paid_to_the_card_once_approved,);
