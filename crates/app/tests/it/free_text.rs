//! Review of issue 13, finding 1: a reason a person types (to unmask a person, correct one,
//! identify a patient by ID number, reverse a transfer) goes into the audit trail, which must
//! never hold an ID number in clear.

use shebao_app::medical::Identification;
use shebao_app::persons::PersonCorrection;
use shebao_store::AuditFilter;

use crate::harness::{HOLDER_ID, World};

/// The audit details of `action`, newest first.
fn details(w: &World, action: &str) -> Vec<String> {
    let filter = AuditFilter {
        action: Some(action.into()),
        limit: 10,
        ..Default::default()
    };
    let trail = w.app.audit_records(&w.auditor, filter).unwrap();
    trail.into_iter().map(|record| record.detail).collect()
}

// Review of issue 13, finding 1: an ID number typed into a reason lands masked in the trail.
fn an_id_number_in_a_typed_reason_is_masked_in_the_audit_trail(w: World) {
    let person = w.register(HOLDER_ID);
    let lower_x = "11010519491231002x";
    w.app
        .unmask_person(
            &w.clerk,
            &person.id,
            &format!("本人{HOLDER_ID}来柜台核对, 配偶 {lower_x}"),
        )
        .unwrap();
    let unmasked = details(&w, "person.unmask");
    assert_eq!(
        unmasked,
        ["{\"reason\":\"本人33****************来柜台核对, 配偶 11****************\"}"]
    );
    w.app
        .correct_person(
            &w.clerk,
            &w.key(),
            &person.id,
            PersonCorrection {
                reason: format!("phone changed, asked by {HOLDER_ID}"),
                citizen_id: None,
                name: None,
                nationality: None,
                household_region: None,
                household_kind: None,
                phone: Some("13800138000".into()),
            },
        )
        .unwrap();
    let corrected = details(&w, "person.correct");
    assert_eq!(
        corrected,
        ["{\"fields\":[\"phone\"],\"reason\":\"phone changed, asked by 33****************\"}"]
    );
    // A cashier identifying a patient by ID number states why; the reason is masked too.
    let (cashier, _) = crate::medical::set_up(&w);
    let _answer = w.app.query_insured(
        &cashier,
        Identification::CitizenId {
            citizen_id: HOLDER_ID.into(),
            reason: format!("chip unreadable, {HOLDER_ID}"),
        },
    );
    let queried = details(&w, "medical.person_query");
    assert_eq!(queried.len(), 1);
    assert!(
        queried[0].contains("\"reason\":\"chip unreadable, 33****************\""),
        "{queried:?}"
    );
    for detail in unmasked.iter().chain(&corrected).chain(&queried) {
        assert!(
            !detail.contains(HOLDER_ID) && !detail.contains(lower_x),
            "{detail}"
        );
    }
}

crate::on_both_backends!(an_id_number_in_a_typed_reason_is_masked_in_the_audit_trail,);
