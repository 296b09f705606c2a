use super::*;

fn day(s: &str) -> Date {
    Date::parse_iso(s).unwrap()
}

fn credential(kind: CredentialKind, until: &str) -> Credential {
    Credential {
        kind,
        number: "N-1".into(),
        issued_on: day("2025-01-01"),
        valid_until: day(until),
    }
}

fn full_standing(psam_until: &str) -> Standing {
    let mut all: Vec<Credential> = CredentialKind::ALL
        .into_iter()
        .filter(|k| *k != CredentialKind::PsamFiling)
        .map(|k| credential(k, "2030-12-31"))
        .collect();
    all.push(credential(CredentialKind::PsamFiling, psam_until));
    Standing::of(&all)
}

#[test]
fn a_psam_filing_lasts_two_years_at_most() {
    let today = day("2026-12-07");
    let filed = day("2026-01-10");
    let ok = Credential::check(
        CredentialKind::PsamFiling,
        " F-9 ",
        filed,
        day("2028-01-09"),
        today,
    )
    .unwrap();
    assert_eq!(ok.number, "F-9");
    let long = Credential::check(
        CredentialKind::PsamFiling,
        "F-9",
        filed,
        day("2028-01-10"),
        today,
    );
    assert_eq!(long.unwrap_err().code(), "invalid_production");
    // A licence may run longer, but not backwards nor from a day to come.
    assert!(
        Credential::check(
            CredentialKind::CardProduction,
            "L",
            filed,
            day("2031-01-01"),
            today
        )
        .is_ok()
    );
    assert!(Credential::check(CredentialKind::CardProduction, "L", filed, filed, today).is_err());
    assert!(
        Credential::check(
            CredentialKind::CardProduction,
            "L",
            day("2026-12-08"),
            day("2030-01-01"),
            today
        )
        .is_err()
    );
    assert!(
        Credential::check(
            CredentialKind::CardProduction,
            " ",
            filed,
            day("2030-01-01"),
            today
        )
        .is_err()
    );
    // Filed on 29 February: the term ends on 28 February two years on.
    let leap = day("2024-02-29");
    assert!(
        Credential::check(
            CredentialKind::PsamFiling,
            "F",
            leap,
            day("2026-02-28"),
            today
        )
        .is_ok()
    );
    assert!(
        Credential::check(
            CredentialKind::PsamFiling,
            "F",
            leap,
            day("2026-03-01"),
            today
        )
        .is_err()
    );
}

#[test]
fn standing_needs_every_credential_valid_today_and_warns_ahead() {
    let standing = full_standing("2027-01-31");
    assert!(standing.may_produce(day("2026-12-07")).is_ok());
    assert_eq!(
        standing.expiring(day("2026-12-07")),
        vec![(CredentialKind::PsamFiling, day("2027-01-31"))]
    );
    // The last valid day still produces; the day after does not, and says why.
    assert!(standing.may_produce(day("2027-01-31")).is_ok());
    assert_eq!(
        standing.may_produce(day("2027-02-01")).unwrap_err(),
        ProductionRefusal::VendorNotCertified {
            issue: StandingIssue::Expired(CredentialKind::PsamFiling, day("2027-01-31"))
        }
    );
    // A renewal counts: the longest-valid filing of a kind stands.
    let mut renewed = vec![credential(CredentialKind::PsamFiling, "2027-01-31")];
    renewed.push(credential(CredentialKind::PsamFiling, "2028-12-31"));
    renewed.extend(
        [
            CredentialKind::CardProduction,
            CredentialKind::BankCard,
            CredentialKind::CommercialCryptography,
            CredentialKind::SecureEnvironment,
        ]
        .map(|k| credential(k, "2030-12-31")),
    );
    assert!(
        Standing::of(&renewed)
            .may_produce(day("2027-06-01"))
            .is_ok()
    );
    // Nothing on record: every kind is missing, in order.
    // A correction or revocation recorded later stands, even with an earlier last day.
    let mut revoked = renewed.clone();
    revoked.push(credential(CredentialKind::PsamFiling, "2027-03-31"));
    assert!(
        Standing::of(&revoked)
            .may_produce(day("2027-04-01"))
            .is_err()
    );
    let none = Standing::of(&[]).issues(day("2026-12-07"));
    assert_eq!(none.len(), 5);
    assert_eq!(
        none[0],
        StandingIssue::Missing(CredentialKind::CardProduction)
    );
}

fn passed(serial: &str) -> TestCardAudits {
    TestCardAudits {
        serial: serial.into(),
        audits: AuditKind::ALL.map(|k| (k, true)).to_vec(),
    }
}

#[test]
fn the_gate_names_the_first_missing_step_and_opens_only_when_all_are_done() {
    let all = Approval::ALL.to_vec();
    assert_eq!(
        gate(&[], &[]),
        Err(GateStep::Approval(Approval::Registration))
    );
    assert_eq!(
        gate(&[Approval::Registration, Approval::PsamApplication], &[]),
        Err(GateStep::Approval(Approval::KeyApplication))
    );
    assert_eq!(gate(&all, &[]), Err(GateStep::TestCards));
    let mut partial = passed("T1");
    partial.audits.retain(|(k, _)| *k != AuditKind::Safety);
    assert_eq!(
        gate(&all, &[passed("T0"), partial.clone()]),
        Err(GateStep::Audit {
            serial: "T1".into(),
            kind: AuditKind::Safety
        })
    );
    assert_eq!(gate(&all, &[passed("T0"), passed("T1")]), Ok(()));
    // A failed audit closes the gate for the revision whatever else is missing.
    let mut failed = passed("T2");
    failed.audits[2].1 = false;
    assert_eq!(
        gate(&[], &[failed.clone()]),
        Err(GateStep::Failed {
            serial: "T2".into(),
            kind: AuditKind::Universality
        })
    );
    assert_eq!(
        gate(&all, &[passed("T0"), failed]).unwrap_err().name(),
        "test_card_failed"
    );
    // A passed gate takes no more test cards.
    assert!(may_add_test_card(&all, &[passed("T0")]).is_err());
    assert!(may_add_test_card(&all, &[partial.clone()]).is_ok());
    // A failed audit takes no more test cards: the product must change.
    let mut broken = passed("T3");
    broken.audits[0].1 = false;
    assert!(may_add_test_card(&all, &[partial, broken]).is_err());
}

#[test]
fn production_needs_standing_first_then_the_gate() {
    let all = Approval::ALL.to_vec();
    let today = day("2026-12-07");
    let good = full_standing("2027-12-31");
    assert!(may_produce(&good, &all, &[passed("T0")], today).is_ok());
    assert_eq!(
        may_produce(&good, &all, &[], today).unwrap_err().code(),
        "gate_not_passed"
    );
    let lapsed = full_standing("2026-12-06");
    assert_eq!(
        may_produce(&lapsed, &all, &[passed("T0")], today)
            .unwrap_err()
            .code(),
        "vendor_not_certified"
    );
}

#[test]
fn a_universality_test_names_each_check_once() {
    let checks = |ok: bool| -> Vec<(String, bool)> {
        UNIVERSALITY_CHECKS
            .iter()
            .map(|c| ((*c).to_owned(), ok))
            .collect()
    };
    assert_eq!(
        audit_outcome(AuditKind::Universality, true, &checks(true)),
        Ok(true)
    );
    assert_eq!(
        audit_outcome(AuditKind::Universality, false, &checks(false)),
        Ok(false)
    );
    // Passed with a failed check, a check missing or twice: refused.
    assert!(audit_outcome(AuditKind::Universality, true, &checks(false)).is_err());
    let mut short = checks(true);
    short.pop();
    assert!(audit_outcome(AuditKind::Universality, true, &short).is_err());
    let mut twice = checks(true);
    twice[6].0 = "read".into();
    assert!(audit_outcome(AuditKind::Universality, true, &twice).is_err());
    // The other audits carry no checks.
    assert_eq!(audit_outcome(AuditKind::Safety, true, &[]), Ok(true));
    assert!(audit_outcome(AuditKind::Safety, true, &checks(true)).is_err());
}

#[test]
fn a_product_change_makes_a_different_product() {
    let terms = ProductTerms {
        name: " SSC-3 ".into(),
        generation: "3.00".into(),
        chip: "THD89".into(),
        operating_system: "COS 3.1".into(),
        face_design: "Henan 2026".into(),
        face_version: "1.0".into(),
        file_structure_version: "3.0".into(),
    }
    .check()
    .unwrap();
    assert_eq!(terms.name, "SSC-3");
    let changed = terms.change(ProductChange::CardFace, "1.1").unwrap();
    assert_eq!(changed.face_version, "1.1");
    assert_eq!(changed.value_of(ProductChange::CardFace), "1.1");
    assert!(terms.change(ProductChange::CardFace, "1.0").is_err());
    assert!(terms.change(ProductChange::FileStructure, "3..0").is_err());
    let mut bad = terms.clone();
    bad.generation = "4.00".into();
    assert!(bad.check().is_err());
}

#[test]
fn key_chains_name_region_purpose_and_version() {
    let chain = KeyChain::of("411600", KeyPurpose::Purchase, 2);
    assert_eq!(chain.id(), "411600-PUR-v2");
    assert_eq!(chain.levels(), "000000>410000>411600");
    // A municipality is its own city.
    assert_eq!(
        KeyChain::of("110000", KeyPurpose::Update, 1).levels(),
        "000000>110000>110000"
    );
    for purpose in KeyPurpose::ALL {
        assert_eq!(KeyPurpose::parse(purpose.as_str()), Some(purpose));
    }
}
