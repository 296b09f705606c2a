//! Who may do what: separation of duties, and every (role, operation) pair against the snapshot of the table.

use super::*;

/// Issue 13, finding 6, separation of duties: a login has exactly one role, and no role
/// both manages logins and reaches personal data, cards or money. The one who manages
/// logins cannot make a holder login (enrolment does) nor open one (a clerk does).
#[test]
fn no_role_both_manages_logins_and_touches_personal_data_or_money() {
    let data = [
        Operation::ManageHolderLogins,
        Operation::ReadPerson,
        Operation::UnmaskPerson,
        Operation::ReadCard,
        Operation::ReadAccount,
        Operation::Deposit,
        Operation::Withdraw,
        Operation::ReadAudit,
        Operation::ReadContributions,
        Operation::ReadSettlements,
        Operation::QueryInsured,
    ];
    for role in Role::ALL {
        if permits(role, Operation::ManageUsers) {
            for operation in data {
                assert!(!permits(role, operation), "{role:?} {operation:?}");
            }
        }
        if permits(role, Operation::ManageHolderLogins) {
            assert!(!permits(role, Operation::ManageUsers), "{role:?}");
        }
    }
}

#[test]
fn every_operation_is_allowed_to_someone_and_round_trips() {
    for operation in Operation::ALL {
        assert!(
            Role::ALL.iter().any(|role| permits(*role, operation)),
            "{operation:?}"
        );
    }
    for role in Role::ALL {
        assert_eq!(Role::parse(role.as_str()), Some(role));
    }
}

#[test]
fn separation_of_duties_holds() {
    // Nobody who moves money reads the audit trail, and the administrator handles no
    // personal data and no money.
    for operation in [Operation::ReadAudit, Operation::VerifyAudit] {
        assert!(!permits(Role::BankTeller, operation));
        assert!(!permits(Role::BureauClerk, operation));
    }
    for operation in [
        Operation::ReadPerson,
        Operation::Deposit,
        Operation::Purchase,
    ] {
        assert!(!permits(Role::Administrator, operation));
    }
    assert!(!permits(Role::BureauClerk, Operation::ActivateFinancial));
    // Issue 13, finding 9: the second person who approves money is a peer of the maker,
    // never the auditor (who moves no money), a machine or the administrator.
    for role in [
        Role::Administrator,
        Role::Auditor,
        Role::BankSystem,
        Role::Cardholder,
    ] {
        assert!(!permits(role, Operation::DecideApproval));
    }
    assert!(!permits(Role::Cardholder, Operation::ReportFormalLoss));
}

/// Every (role, operation) pair as the table answers it: per role, the operations it is
/// allowed, in the order of [`Operation::ALL`]; every other pair is denied.
fn table_as_text() -> String {
    let mut text = String::new();
    for role in Role::ALL {
        let allowed: Vec<&str> = Operation::ALL
            .into_iter()
            .filter(|operation| permits(role, *operation))
            .map(Operation::as_str)
            .collect();
        text.push_str(&format!("{}: {}\n", role.as_str(), allowed.join(" ")));
    }
    text
}

/// The table's answers before it became per-role lists (issue 14), generated from the `match`
/// it replaced: a change of any pair, either way, fails here and must be meant. Meant since:
/// the cardholder's `cancel_loss` (issue 15: a holder withdraws their own temporary loss
/// online; a formal one stays the counters'), the employer's `order_contribution_payment` (issue
/// 15, item 5: an employer pays its own owed month from its desk), and the job board's six
/// (issue 17: the employer posts and reads its applicants, the clerk reviews, the holder
/// seeks, all three search), and unemployment's five (issue 17: the employer reports a
/// leaver, the holder or the clerk registers, the clerk decides and refers, the holder, the
/// clerk and the auditor read) and the maternity claim (the holder, the employer, the
/// clerk), and work injury's three with the appraisal secretary's role (the holder, the
/// employer and the clerk apply; the secretary keeps the experts and appraises), and
/// vocational training's seven with the training provider's role (the clerk registers
/// providers, reviews courses and pays subsidies; the provider posts courses and records
/// attendance and completion; the holder and the clerk read open courses; the holder enrols),
/// and card production's eight with the production officer's and the card vendor's roles
/// (issue 18: the officer registers vendors and products, records the gate, keeps the keys
/// by id and makes batches; the vendor reads its own, records its test cards and reports
/// and ships its batches; the auditor reads), and the holder's choice of pick-up point
/// (the holder, or the clerk for them; a bank's tellers count and hand over at their
/// branch, and personalise a card on the spot at an equipped one), and a bank's system
/// assigning its cards' bank card numbers, and the holder collecting in their own session a
/// card the carrier delivered into their hands, and the electronic card's three (issue 19:
/// the holder takes one and revokes it, a clerk revokes any; a clerk, a teller and a
/// cashier check its codes).
#[test]
fn every_role_and_operation_pair_answers_as_the_snapshot() {
    assert_eq!(Operation::ALL.len(), 101);
    assert_eq!(table_as_text(), include_str!("permits.snapshot"));
}

/// Issue 18: a vendor records the test cards it makes but never their audits, nor its own
/// credentials, nor a key; the production desk reaches no person and no money.
#[test]
fn a_vendor_never_audits_itself_and_the_production_desk_touches_no_person_or_money() {
    for operation in [
        Operation::RecordGate,
        Operation::ManageCardVendors,
        Operation::ManageCardKeys,
        Operation::ReadCardKeys,
        Operation::ManageBatches,
    ] {
        assert!(!permits(Role::CardVendor, operation), "{operation:?}");
    }
    for operation in [
        Operation::ReadPerson,
        Operation::ReadCard,
        Operation::ReadAccount,
        Operation::Deposit,
        Operation::CreditBenefit,
        Operation::ReadAudit,
        Operation::SubmitTestCard,
    ] {
        assert!(
            !permits(Role::ProductionOfficer, operation),
            "{operation:?}"
        );
    }
}
