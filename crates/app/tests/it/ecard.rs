//! The electronic card through the use cases (issue 19, item 5): taken in the holder's own
//! session with the card's PIN, one a card; its codes verify offline with only the published
//! keys and online against the card as it is now (revoked, lost); a payment code needs the
//! financial account active and works once; a key rotated keeps the codes it signed until
//! they expire, a key withdrawn stops them.

use shebao_app::card::ecard::{CodeCheck, CodeRequest, ECardRequest, ECardRevocation};
use shebao_app::card::ecard_keys::CodeVerifier;
use shebao_app::reference::NewParameters;
use shebao_app::views::ParametersBody;
use shebao_domain::reference::region::RegionParameters;

use crate::harness::{HOLDER_ID, OTHER_ID, SOCIAL_PIN, World, code};
use crate::requests::loss;

fn check(w: &World, text: &str) -> Result<shebao_app::card::ecard::CodeCheckView, String> {
    w.app
        .check_ecard_code(&w.clerk, &w.key(), CodeCheck { code: text.into() })
        .map_err(code)
}

fn offline(w: &World) -> CodeVerifier {
    let published = serde_json::to_string(&w.app.published_ecard_keys().unwrap()).unwrap();
    CodeVerifier::from_set(&serde_json::from_str(&published).unwrap()).unwrap()
}

fn holders_take_an_ecard_whose_codes_verify_offline_and_online(w: World) {
    let (person, card) = w.collected_card(HOLDER_ID);
    let holder = w.holder_login("holder", &person.id);
    let pin = |p: &str| ECardRequest {
        social_pin: p.into(),
    };
    // A wrong PIN is refused and counts; the clerk takes none for the holder.
    assert_eq!(
        code(
            w.app
                .issue_ecard(&holder, &w.key(), &card.id, pin("000999"))
                .unwrap_err()
        ),
        "pin_incorrect"
    );
    assert_eq!(
        code(
            w.app
                .issue_ecard(&w.clerk, &w.key(), &card.id, pin(SOCIAL_PIN))
                .unwrap_err()
        ),
        "forbidden"
    );
    let ecard = w
        .app
        .issue_ecard(&holder, &w.key(), &card.id, pin(SOCIAL_PIN))
        .unwrap();
    assert_eq!(
        code(
            w.app
                .issue_ecard(&holder, &w.key(), &card.id, pin(SOCIAL_PIN))
                .unwrap_err()
        ),
        "ecard_exists"
    );
    // No key in the region yet: no codes.
    let ask = |purpose: &str| {
        w.app.ecard_code(
            &holder,
            &ecard.id,
            CodeRequest {
                purpose: purpose.into(),
            },
        )
    };
    assert_eq!(code(ask("identity").unwrap_err()), "ecard_not_offered");
    w.new_ecard_key("330100", false);
    let identity = ask("identity").unwrap();
    assert_eq!(identity.key_id, "330100-ecard-v1");
    assert_eq!(identity.lifetime_seconds, 180, "the region's 3 minutes");
    // Offline: only the published keys.
    let claims = offline(&w).verify(&identity.code, w.app.now()).unwrap();
    assert_eq!(
        (claims.card_id.as_str(), claims.holder_id.as_str()),
        (card.id.as_str(), person.id.as_str())
    );
    // Online: the holder masked, the look-up audited; an identity code checks again.
    let checked = check(&w, &identity.code).unwrap();
    assert_eq!(checked.holder.id, person.id);
    assert_ne!(checked.holder.citizen_id, HOLDER_ID);
    assert!(!checked.used);
    assert!(check(&w, &identity.code).is_ok());
    let trail = w.audit_of("card.ecard.check", 10);
    assert_eq!(trail.len(), 2);
    assert!(trail.iter().all(|r| r.outcome == "ok"));
    assert_eq!(trail[0].subject, format!("person:{}", person.id));
    assert!(trail[0].detail.contains(&card.id), "{}", trail[0].detail);
    // A payment code needs the financial account active, and works once.
    assert_eq!(code(ask("payment").unwrap_err()), "deposit_only");
    w.activate_financial(&card.id, HOLDER_ID);
    let payment = ask("payment").unwrap();
    assert!(check(&w, &payment.code).unwrap().used);
    assert_eq!(check(&w, &payment.code).unwrap_err(), "code_used");
    // Each refused check leaves its one record too, naming the holder.
    let refused = w.audit_of("card.ecard.check", 10);
    assert_eq!(refused.len(), 4);
    let holder_subject = format!("person:{}", person.id);
    assert!(
        refused
            .iter()
            .any(|r| (r.outcome.as_str(), r.subject.as_str())
                == ("refused:code_used", holder_subject.as_str()))
    );
    // A code whose signature does not hold names no one.
    let mut forged = payment.code.clone().into_bytes();
    let middle = forged.len() - 40;
    forged[middle] = if forged[middle] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    assert_eq!(check(&w, &forged).unwrap_err(), "invalid_token");
    let checks = w.audit_of("card.ecard.check", 50);
    assert_eq!(checks.len(), 5);
    assert!(
        checks
            .iter()
            .any(|r| (r.outcome.as_str(), r.subject.as_str())
                == ("refused:invalid_token", "ecard_codes")),
        "{checks:?}"
    );
    // Another holder's electronic card is not found.
    let (other, _) = w.collected_card(OTHER_ID);
    let stranger = w.holder_login("stranger", &other.id);
    assert_eq!(
        code(
            w.app
                .ecard_code(
                    &stranger,
                    &ecard.id,
                    CodeRequest {
                        purpose: "identity".into()
                    }
                )
                .unwrap_err()
        ),
        "not_found"
    );
    // Expired: offline and online.
    w.clock.set(w.app.now().add_seconds(180));
    assert!(offline(&w).verify(&identity.code, w.app.now()).is_err());
    assert_eq!(check(&w, &identity.code).unwrap_err(), "code_expired");
    // The financial side reported lost: the electronic card stops as well.
    let fresh = ask("identity").unwrap();
    w.app
        .report_loss(&holder, &w.key(), &card.id, loss("financial", "temporary"))
        .unwrap();
    assert_eq!(check(&w, &fresh.code).unwrap_err(), "card_lost");
    w.app
        .cancel_loss(
            &holder,
            &w.key(),
            &card.id,
            shebao_app::card::LossCancellation {
                side: "financial".into(),
            },
        )
        .unwrap();
    assert!(check(&w, &fresh.code).is_ok());
    // The card reported lost: a code still good offline is refused online, and no new one.
    w.app
        .report_loss(&holder, &w.key(), &card.id, loss("social", "temporary"))
        .unwrap();
    assert!(offline(&w).verify(&fresh.code, w.app.now()).is_ok());
    let before = w.audit_of("card.ecard.check", 50).len();
    assert_eq!(check(&w, &fresh.code).unwrap_err(), "card_lost");
    let after = w.audit_of("card.ecard.check", 50);
    assert_eq!(
        after.len(),
        before + 1,
        "a committed refusal has one record"
    );
    assert!(after.iter().any(|r| r.outcome == "refused:card_lost"));
    assert_eq!(code(ask("identity").unwrap_err()), "card_lost");
}

fn a_revoked_ecard_stops_and_a_rotated_key_keeps_its_codes_until_they_expire(w: World) {
    let (person, card) = w.collected_card(HOLDER_ID);
    let holder = w.holder_login("holder", &person.id);
    let first = w.ecard_code(&holder, &card.id, "identity");
    // Rotation: the old key's code stands until it expires; new codes carry the new key.
    let rotate = |withdraw: bool| w.new_ecard_key("330100", withdraw);
    assert_eq!(rotate(false).id, "330100-ecard-v2");
    assert!(check(&w, &first).is_ok());
    assert!(offline(&w).verify(&first, w.app.now()).is_ok());
    let second = w.ecard_code(&holder, &card.id, "identity");
    assert!(second.starts_with("SBE1.330100-ecard-v2."));
    // The current key withdrawn as compromised: its codes fail at once, offline too.
    assert_eq!(rotate(true).id, "330100-ecard-v3");
    assert_eq!(check(&w, &second).unwrap_err(), "invalid_token");
    assert!(offline(&w).verify(&second, w.app.now()).is_err());
    assert!(check(&w, &first).is_ok(), "v1 was retired, not withdrawn");
    // A retired key found compromised later is withdrawn by name; the current one is not.
    let withdraw = |id: &str| w.app.withdraw_ecard_key(&w.key_desk(), &w.key(), id);
    assert_eq!(
        code(withdraw("330100-ecard-v3").unwrap_err()),
        "wrong_state"
    );
    assert_eq!(withdraw("330100-ecard-v1").unwrap().status, "withdrawn");
    let withdrawal = &w.audit_of("card.ecard_key.withdraw", 5);
    assert_eq!(withdrawal.len(), 1);
    assert_eq!(withdrawal[0].subject, "keys:330100");
    assert_eq!(check(&w, &first).unwrap_err(), "invalid_token");
    let keys = w.app.ecard_keys(&w.auditor, "330100").unwrap();
    assert_eq!(
        keys.iter().map(|k| k.status.as_str()).collect::<Vec<_>>(),
        ["current", "withdrawn", "withdrawn"]
    );
    // Revoked by the holder: its codes stop; a new electronic card may be taken.
    let third = w.ecard_code(&holder, &card.id, "identity");
    let ecard = w.app.my_ecards(&holder).unwrap().ecards[0].clone();
    let revoke = |actor, reason: &str| {
        w.app.revoke_ecard(
            actor,
            &w.key(),
            &ecard.id,
            ECardRevocation {
                reason: reason.into(),
            },
        )
    };
    assert_eq!(
        code(revoke(&holder, "fraud_suspected").unwrap_err()),
        "invalid_request",
        "a clerk's reason"
    );
    assert_eq!(revoke(&holder, "device_lost").unwrap().status, "revoked");
    assert_eq!(
        code(revoke(&w.clerk, "fraud_suspected").unwrap_err()),
        "ecard_revoked"
    );
    assert_eq!(check(&w, &third).unwrap_err(), "ecard_revoked");
    let fourth = w.ecard_code(&holder, &card.id, "identity");
    assert!(check(&w, &fourth).is_ok());
    assert_eq!(
        check(&w, &third).unwrap_err(),
        "ecard_revoked",
        "a code of the revoked electronic card, though the card has a new one"
    );
    assert_eq!(w.app.my_ecards(&holder).unwrap().ecards.len(), 2);
    // A region that stops offering codes: none shown.
    let mut params = RegionParameters::common();
    params.ecard_code_minutes = None;
    w.app
        .add_parameters(
            &w.admin,
            &w.key(),
            "330100",
            NewParameters {
                effective_from: "2026-01-01".into(),
                parameters: ParametersBody::from_domain(&params),
            },
        )
        .unwrap();
    let active = w
        .app
        .my_ecards(&holder)
        .unwrap()
        .ecards
        .into_iter()
        .find(|e| e.status == "active")
        .unwrap();
    assert_eq!(
        code(
            w.app
                .ecard_code(
                    &holder,
                    &active.id,
                    CodeRequest {
                        purpose: "identity".into()
                    }
                )
                .unwrap_err()
        ),
        "ecard_not_offered"
    );
}

crate::on_both_backends!(
    holders_take_an_ecard_whose_codes_verify_offline_and_online,
    a_revoked_ecard_stops_and_a_rotated_key_keeps_its_codes_until_they_expire,
);
