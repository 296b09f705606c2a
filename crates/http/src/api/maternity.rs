//! The maternity allowance: a claim, the bureau's decision (which pays it), the queue, and a
//! person's claims.

use shebao_app::insurance::maternity::{
    MaternityClaimView, MaternityDecision, MaternityRecordView, NewMaternityClaim,
};

use super::kinds::{Json, NoBody, NoQuery};
use super::{Entry, entry, operations};

pub(crate) const OPERATIONS: &[Entry] = &[
    entry(ClaimMaternityAllowance),
    entry(MaternityClaims),
    entry(MaternityClaimsToDecide),
    entry(DecideMaternityClaim),
];

operations! {
    tag: "maternity";

    /// Claim the maternity allowance for a birth or a miscarriage (the insured woman, her
    /// employer, or the bureau)
    ClaimMaternityAllowance: post "claim_maternity_allowance"
        "/api/v1/persons/{person}/maternity-claims"
        .errors(&["conflict", "not_insured", "no_contribution_record", "no_parameters"]) {
        Needs(ClaimMaternity):
            claim_maternity_allowance(key, person, body: NewMaternityClaim)
            -> Json<MaternityClaimView>
    }

    /// A person's maternity claims, newest first (each read audited)
    MaternityClaims: get "maternity_claims" "/api/v1/persons/{person}/maternity-claims" {
        Needs(ReadBenefits): maternity_claims(person) -> Json<MaternityRecordView>
    }

    /// The maternity claims waiting for a decision, oldest first
    MaternityClaimsToDecide: get "maternity_claims_to_decide" "/api/v1/maternity-claims" {
        access: Needs(DecideBenefits),
        types: (), NoQuery, NoBody => Json<Vec<MaternityClaimView>>,
        call: |app, actor, _input| Json(app.maternity_claims_to_decide(actor)?),
    }

    /// Approve a claim (paying the allowance to the card from the maternity fund) or refuse it
    DecideMaternityClaim: post "decide_maternity_claim"
        "/api/v1/maternity-claims/{claim}/decision"
        .errors(&[
            "wrong_state", "same_clerk", "no_card", "account_closed",
            "credits_refused_while_deposit_only",
        ]) {
        Needs(DecideBenefits):
            decide_maternity_claim(key, claim, body: MaternityDecision) -> Json<MaternityClaimView>
    }
}
