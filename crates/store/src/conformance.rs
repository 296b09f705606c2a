//! The conformance suite every backend passes: the same stories, run against a fresh store
//! of each kind. A backend's test file calls [`crate::conformance_tests!`] with a function
//! that makes a fresh store.

use std::sync::Arc;
use std::thread;

use shebao_domain::access::Role;
use shebao_domain::account::Account;
use shebao_domain::audit::{
    AUDIT_CHAINS, AUDIT_RETENTION_FLOOR_DAYS, ChainStart, chain_of, verify_chain, verify_chain_from,
};
use shebao_domain::card::{Card, CardKind, LossKind, NewCard, Side};
use shebao_domain::identity::{CardIdentificationCode, CardNumber, Gender};
use shebao_domain::ids::{
    AccountId, BankId, CardId, EmployerId, PersonId, RegionCode, TransferId, UserId,
};
use shebao_domain::insurance::{Insurance, Month};
use shebao_domain::ledger::TransferCode;
use shebao_domain::person::HouseholdKind;
use shebao_domain::pin::PinVerificationValue;
use shebao_domain::region::RegionParameters;
use shebao_domain::time::{Date, Timestamp};

use crate::records::*;
use crate::{Store, StoreError};

/// A failed expectation, with what was expected.
pub type Outcome = Result<(), String>;

fn check(condition: bool, what: &str) -> Outcome {
    if condition {
        Ok(())
    } else {
        Err(what.to_owned())
    }
}

fn equal<T: PartialEq + std::fmt::Debug>(left: T, right: T, what: &str) -> Outcome {
    if left == right {
        Ok(())
    } else {
        Err(format!("{what}: {left:?} != {right:?}"))
    }
}

fn store_err(error: StoreError) -> String {
    error.to_string()
}

const NOW: Timestamp = Timestamp::from_unix_seconds(1_767_225_600);

fn person(id: &str, index: &str) -> PersonRecord {
    PersonRecord {
        id: PersonId::new(id),
        citizen_index: index.into(),
        citizen_cipher: format!("k1:cipher-{index}"),
        name_cipher: "k1:name".into(),
        phone_cipher: None,
        gender: Gender::Female,
        birth_date: Date::new(1985, 6, 15).unwrap_or(Date::from_days_since_epoch(0)),
        nationality: "CHN".into(),
        household_region: RegionCode::new("310104"),
        household_kind: HouseholdKind::Urban,
        registered_at: NOW,
        version: 0,
    }
}

fn seed_reference(store: &Store) -> Outcome {
    store
        .write(|tx| {
            tx.insert_region(
                &RegionRecord {
                    code: RegionCode::new("330100"),
                    name: "Hangzhou".into(),
                },
                NOW,
            )?;
            tx.insert_bank(
                &BankRecord {
                    id: BankId::new("icbc"),
                    name: "ICBC".into(),
                    bin: "621700".into(),
                },
                NOW,
            )?;
            tx.insert_person(&person("p1", "idx-1"))
        })
        .map_err(store_err)
}

fn card(id: &str, serial: u32) -> Result<Card, String> {
    let new = NewCard {
        id: CardId::new(id),
        person_id: PersonId::new("p1"),
        kind: CardKind::Standard,
        region: RegionCode::new("330100"),
        bank_id: Some(BankId::new("icbc")),
        card_number: CardNumber::compose('A', serial).ok_or("card number")?,
        identification_code: CardIdentificationCode::compose("330100", u64::from(serial))
            .ok_or("code")?,
    };
    Card::apply(new, &[], NOW, RegionParameters::common().utc_offset()).map_err(|r| r.to_string())
}

/// Parameter versions: the one in force on a date is the latest effective on or before it.
pub fn region_parameters_are_versioned(store: &Store) -> Outcome {
    seed_reference(store)?;
    let region = RegionCode::new("330100");
    let (first, second) = (
        Date::new(2025, 1, 1).ok_or("date")?,
        Date::new(2026, 7, 1).ok_or("date")?,
    );
    let r = region.clone();
    store
        .write(move |tx| {
            tx.insert_region_parameters(&r, first, "{\"v\":1}", "admin", NOW)?;
            tx.insert_region_parameters(&r, second, "{\"v\":2}", "admin", NOW)
        })
        .map_err(store_err)?;
    let r = region.clone();
    let duplicate =
        store.write(move |tx| tx.insert_region_parameters(&r, first, "{}", "admin", NOW));
    check(
        matches!(duplicate, Err(StoreError::Conflict { .. })),
        "a version is never overwritten",
    )?;
    let r = region.clone();
    let (before, during, after) = store
        .read(move |tx| {
            Ok::<_, StoreError>((
                tx.region_parameters_at(&r, Date::new(2024, 12, 31).unwrap_or(first))?,
                tx.region_parameters_at(&r, Date::new(2026, 6, 30).unwrap_or(first))?,
                tx.region_parameters_at(&r, second)?,
            ))
        })
        .map_err(store_err)?;
    equal(before, None, "nothing before the first version")?;
    equal(
        during,
        Some((first, "{\"v\":1}".to_owned())),
        "first version",
    )?;
    equal(
        after,
        Some((second, "{\"v\":2}".to_owned())),
        "second version",
    )
}

/// One person per ID number; a stale save is refused.
pub fn persons_are_unique_and_versioned(store: &Store) -> Outcome {
    seed_reference(store)?;
    let duplicate = store.write(|tx| tx.insert_person(&person("p2", "idx-1")));
    check(
        matches!(duplicate, Err(StoreError::Conflict { .. })),
        "second person with the same ID number",
    )?;
    let found = store
        .read(|tx| tx.person_by_citizen_index("idx-1"))
        .map_err(store_err)?;
    equal(
        found.map(|p| p.id),
        Some(PersonId::new("p1")),
        "look-up by blind index",
    )?;
    let mut corrected = person("p1", "idx-1");
    corrected.nationality = "HKG".into();
    let saved = corrected.clone();
    store
        .write(move |tx| tx.update_person(&saved))
        .map_err(store_err)?;
    let stale = store.write(move |tx| tx.update_person(&corrected));
    check(
        matches!(stale, Err(StoreError::Conflict { .. })),
        "a save over an old version",
    )?;
    let reread = store
        .read(|tx| tx.person(&PersonId::new("p1")))
        .map_err(store_err)?
        .ok_or("person")?;
    equal(
        (reread.nationality.as_str(), reread.version),
        ("HKG", 1),
        "corrected person",
    )
}

/// A card comes back exactly as saved, through every field the domain sets.
pub fn cards_round_trip(store: &Store) -> Outcome {
    seed_reference(store)?;
    let params = RegionParameters::common();
    let applied = card("c1", 1)?;
    let secrets = CardSecrets {
        bank_card_index: Some("bidx".into()),
        bank_card_cipher: Some("k1:bc".into()),
    };
    let (first, s) = (applied.clone(), secrets.clone());
    store
        .write(move |tx| tx.insert_card(&first, &s))
        .map_err(store_err)?;
    let ready = applied
        .start_production()
        .and_then(|c| c.mark_ready("branch-7", &params, NOW))
        .and_then(|c| {
            c.collect(
                true,
                PinVerificationValue::new("k1:abc"),
                AccountId::new("a1"),
                NOW,
            )
        })
        .and_then(|c| c.report_loss(Side::Social, LossKind::Temporary, &params, NOW))
        .and_then(|c| c.report_loss(Side::Financial, LossKind::Formal, &params, NOW))
        .map_err(|r| r.to_string())?;
    let saved = ready.clone();
    store
        .write(move |tx| tx.update_card(&saved))
        .map_err(store_err)?;
    let number = ready.card_number.clone();
    let (loaded, loaded_secrets, by_index, by_number) = store
        .read(move |tx| {
            Ok::<_, StoreError>((
                tx.card(&CardId::new("c1"))?,
                tx.card_secrets(&CardId::new("c1"))?,
                tx.card_by_bank_card_index("bidx")?,
                tx.card_by_number(&number)?,
            ))
        })
        .map_err(store_err)?;
    equal(
        loaded,
        Some(Card {
            version: 1,
            ..ready.clone()
        }),
        "card after save",
    )?;
    equal(loaded_secrets, secrets, "card secrets")?;
    equal(
        by_index.map(|c| c.id),
        Some(CardId::new("c1")),
        "card by bank card index",
    )?;
    equal(
        by_number.map(|c| c.id),
        Some(CardId::new("c1")),
        "card by its printed number",
    )?;
    let stale = store.write(move |tx| tx.update_card(&ready));
    check(
        matches!(stale, Err(StoreError::Conflict { .. })),
        "a stale card save",
    )?;
    let duplicate = card("c2", 1)?;
    let clash = store.write(move |tx| tx.insert_card(&duplicate, &CardSecrets::default()));
    check(
        matches!(clash, Err(StoreError::Conflict { .. })),
        "a card number is unique",
    )
}

fn transfer(
    id: &str,
    code: TransferCode,
    debit: &str,
    credit: &str,
    amount_fen: i64,
) -> TransferRecord {
    TransferRecord {
        id: TransferId::new(id),
        code,
        debit_account: debit.into(),
        credit_account: credit.into(),
        amount_fen,
        reverses: None,
        memo: format!("memo {id}"),
        actor: "user:test".into(),
        created_at: NOW,
    }
}

fn open_account(store: &Store, id: &str) -> Outcome {
    let account = Account::open(
        AccountId::new(id),
        PersonId::new("p1"),
        BankId::new("icbc"),
        NOW,
    );
    store
        .write(move |tx| {
            tx.insert_account(&account, NOW)?;
            tx.ensure_ledger_account("sys:cash:icbc:00", true, NOW)
        })
        .map_err(store_err)
}

/// Double entry: balances move together, equal the sum of entries, and holders never go
/// negative; statements page backwards.
pub fn the_ledger_balances(store: &Store) -> Outcome {
    seed_reference(store)?;
    open_account(store, "a1")?;
    for n in 1..=5 {
        let t = transfer(
            &format!("t{n}"),
            TransferCode::CashDeposit,
            "sys:cash:icbc:00",
            "a1",
            1_000 * n,
        );
        store
            .write(move |tx| tx.post_transfer(&t))
            .map_err(store_err)?;
    }
    let overdraft = transfer(
        "t6",
        TransferCode::CashWithdrawal,
        "a1",
        "sys:cash:icbc:00",
        15_001,
    );
    let refused = store.write(move |tx| tx.post_transfer(&overdraft));
    check(refused.is_err(), "a holder account cannot go below zero")?;
    let (balance, total, mismatches, page1) = store
        .read(|tx| {
            Ok::<_, StoreError>((
                tx.ledger_balance("a1")?,
                tx.ledger_total()?,
                tx.ledger_mismatches()?,
                tx.statement("a1", None, 2)?,
            ))
        })
        .map_err(store_err)?;
    equal(
        balance.map(|b| (b.balance_fen, b.entries)),
        Some((15_000, 5)),
        "holder balance",
    )?;
    equal(total, 0, "the ledger sums to zero")?;
    equal(
        mismatches,
        Vec::<String>::new(),
        "balances equal their entries",
    )?;
    equal(
        page1.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![5, 4],
        "first page",
    )?;
    equal(
        page1.first().map(|e| (e.amount_fen, e.balance_after_fen)),
        Some((5_000, 15_000)),
        "newest entry",
    )?;
    equal(
        page1.first().map(|e| e.counterparty.as_str()),
        Some("sys:cash:icbc:00"),
        "counterparty",
    )?;
    let page2 = store
        .read(|tx| tx.statement("a1", Some(4), 10))
        .map_err(store_err)?;
    equal(
        page2.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![3, 2, 1],
        "second page",
    )?;
    let mut reversal = transfer(
        "r1",
        TransferCode::Reversal,
        "a1",
        "sys:cash:icbc:00",
        1_000,
    );
    reversal.reverses = Some(TransferId::new("t1"));
    let second = TransferRecord {
        id: TransferId::new("r2"),
        ..reversal.clone()
    };
    store
        .write(move |tx| tx.post_transfer(&reversal))
        .map_err(store_err)?;
    let twice = store.write(move |tx| tx.post_transfer(&second));
    check(
        matches!(twice, Err(StoreError::Conflict { .. })),
        "a transfer is reversed once",
    )?;
    let reversed_by = store
        .read(|tx| tx.reversal_of(&TransferId::new("t1")))
        .map_err(store_err)?;
    equal(reversed_by, Some(TransferId::new("r1")), "reversal link")
}

/// A write that fails leaves nothing behind, and concurrent writers all land exactly once.
pub fn writes_are_atomic_and_concurrent_writers_all_land(store: &Store) -> Outcome {
    seed_reference(store)?;
    open_account(store, "a1")?;
    let failed: Result<(), StoreError> = store.write(|tx| {
        tx.post_transfer(&transfer(
            "lost",
            TransferCode::CashDeposit,
            "sys:cash:icbc:00",
            "a1",
            500,
        ))?;
        Err(StoreError::Conflict {
            what: "refused after writing".into(),
        })
    });
    check(failed.is_err(), "the failing write reports its error")?;
    let threads: Vec<_> = (0..8)
        .map(|worker| {
            let store = store.clone();
            thread::spawn(move || -> Outcome {
                for n in 0..25 {
                    let t = transfer(
                        &format!("w{worker}-{n}"),
                        TransferCode::CashDeposit,
                        "sys:cash:icbc:00",
                        "a1",
                        1,
                    );
                    store
                        .write(move |tx| tx.post_transfer(&t))
                        .map_err(store_err)?;
                }
                Ok(())
            })
        })
        .collect();
    for handle in threads {
        handle
            .join()
            .map_err(|_| "writer thread panicked".to_owned())??;
    }
    let (balance, lost, mismatches) = store
        .read(|tx| {
            Ok::<_, StoreError>((
                tx.ledger_balance("a1")?,
                tx.transfer(&TransferId::new("lost"))?,
                tx.ledger_mismatches()?,
            ))
        })
        .map_err(store_err)?;
    equal(
        balance.map(|b| b.balance_fen),
        Some(200),
        "every concurrent deposit landed once",
    )?;
    equal(lost, None, "the failed write left nothing")?;
    equal(
        mismatches,
        Vec::<String>::new(),
        "balances equal their entries",
    )
}

/// A key answers once; its first answer is kept.
pub fn idempotency_keys_keep_the_first_answer(store: &Store) -> Outcome {
    store
        .write(|tx| tx.save_idempotent_response("k", "fp1", "{\"ok\":1}", NOW))
        .map_err(store_err)?;
    let again = store.write(|tx| tx.save_idempotent_response("k", "fp2", "{\"ok\":2}", NOW));
    check(
        matches!(again, Err(StoreError::Conflict { .. })),
        "a key is saved once",
    )?;
    let kept = store
        .read(|tx| tx.idempotent_response("k"))
        .map_err(store_err)?;
    equal(
        kept,
        Some(("fp1".to_owned(), "{\"ok\":1}".to_owned())),
        "first answer",
    )
}

/// Audit events chain and verify, also when written concurrently.
pub fn the_audit_chain_verifies(store: &Store) -> Outcome {
    let store = Arc::new(store.clone());
    let threads: Vec<_> = (0..4)
        .map(|worker| {
            let store = Arc::clone(&store);
            thread::spawn(move || -> Outcome {
                for n in 0..20 {
                    let event = AuditEvent {
                        at: NOW,
                        actor: format!("user:{worker}"),
                        action: "card.collect".into(),
                        subject: format!("card:{n}"),
                        outcome: "ok".into(),
                        detail: "{}".into(),
                    };
                    store
                        .write(move |tx| tx.append_audit(&event))
                        .map_err(store_err)?;
                }
                Ok(())
            })
        })
        .collect();
    for handle in threads {
        handle
            .join()
            .map_err(|_| "audit thread panicked".to_owned())??;
    }
    let mut total = 0;
    for chain in 0..AUDIT_CHAINS {
        let stored = store
            .read(move |tx| tx.audit_chain(chain))
            .map_err(store_err)?;
        equal(&stored.start, &ChainStart::genesis(), "nothing purged")?;
        total +=
            verify_chain(chain, &stored.records, stored.head_seq).map_err(|b| format!("{b:?}"))?;
    }
    equal(total, 80, "every event chained once")?;
    let filter = AuditFilter {
        actor: Some("user:2".into()),
        limit: 100,
        ..AuditFilter::default()
    };
    let listed = store
        .read(move |tx| tx.audit_records(&filter))
        .map_err(store_err)?;
    equal(listed.len(), 20, "filter by actor")
}

const DAY_SECONDS: i64 = 86_400;

/// Appends one record about `subject` written at `at`.
fn audit_at(store: &Store, subject: &str, at: Timestamp) -> Outcome {
    let event = AuditEvent {
        at,
        actor: "user:clerk".into(),
        action: "card.collect".into(),
        subject: subject.to_owned(),
        outcome: "ok".into(),
        detail: "{}".into(),
    };
    store
        .write(move |tx| tx.append_audit(&event))
        .map(|_| ())
        .map_err(store_err)
}

/// Runs one statement that the schema must refuse, in its own transaction.
fn refused_by_schema(store: &Store, sql: &'static str, what: &str) -> Outcome {
    let outcome = store.write(move |tx| tx.execute_unchecked(sql, &[]));
    check(outcome.is_err(), &format!("{what} must be refused"))
}

fn audit_rows(store: &Store) -> Result<i64, String> {
    store
        .read(|tx| {
            let mut count = 0;
            for chain in 0..AUDIT_CHAINS {
                count += i64::try_from(tx.audit_chain(chain)?.records.len()).unwrap_or(0);
            }
            Ok::<_, StoreError>(count)
        })
        .map_err(store_err)
}

/// The schema itself refuses to edit or delete audit records and purge anchors, and refuses
/// an anchor inside the retention floor, for a record that does not exist, or one claiming
/// a purge time later than the database's own clock.
pub fn audit_records_cannot_be_edited_or_deleted(store: &Store) -> Outcome {
    let old = NOW.add_days(-400);
    audit_at(store, "card:old", old)?;
    audit_at(store, "card:old", NOW)?;
    refused_by_schema(store, "UPDATE audit_log SET outcome = 'refused'", "UPDATE")?;
    refused_by_schema(store, "DELETE FROM audit_log", "DELETE")?;
    refused_by_schema(
        store,
        "DELETE FROM audit_log WHERE at < 1767225600",
        "DELETE of old rows",
    )?;
    equal(audit_rows(store)?, 2, "nothing changed")?;
    let chain = i64::from(chain_of("card:old"));
    let first = store
        .read(move |tx| tx.audit_chain(u32::try_from(chain).unwrap_or(0)))
        .map_err(store_err)?
        .records
        .first()
        .cloned()
        .ok_or("the old record")?;
    let floor = AUDIT_RETENTION_FLOOR_DAYS * DAY_SECONDS;
    let anchor = |cutoff: i64, purged_at: i64, hash: &str| {
        let (hash, seq) = (hash.to_owned(), first.seq);
        store.write(move |tx| {
            tx.execute_unchecked(
                "INSERT INTO audit_anchors (chain, seq, hash, cutoff_at, purged_at) VALUES ($1, $2, $3, $4, $5)",
                &[chain.into(), seq.into(), hash.as_str().into(), cutoff.into(), purged_at.into()],
            )
        })
    };
    let now = NOW.unix_seconds();
    check(
        anchor(now - floor + DAY_SECONDS, now, &first.hash).is_err(),
        "an anchor one day inside the floor must be refused",
    )?;
    check(
        anchor(now - floor, now, "forged").is_err(),
        "an anchor naming no record must be refused",
    )?;
    let far_future = now + 3_650 * DAY_SECONDS;
    check(
        anchor(far_future - floor, far_future, &first.hash).is_err(),
        "an anchor claiming a purge time after the database's clock must be refused",
    )?;
    equal(audit_rows(store)?, 2, "still nothing deleted")?;
    store
        .write(move |tx| {
            tx.purge_audit_chain(
                u32::try_from(chain).unwrap_or(0),
                NOW.add_days(-AUDIT_RETENTION_FLOOR_DAYS),
                NOW,
            )
        })
        .map_err(store_err)?;
    equal(audit_rows(store)?, 1, "the purge deleted the old record")?;
    refused_by_schema(
        store,
        "UPDATE audit_anchors SET seq = 0",
        "UPDATE of an anchor",
    )?;
    refused_by_schema(store, "DELETE FROM audit_anchors", "DELETE of an anchor")?;
    refused_by_schema(store, "DELETE FROM audit_log", "DELETE after a purge")?;
    equal(audit_rows(store)?, 1, "the young record stays")
}

/// A purge removes the front of each chain up to the cutoff, leaves an anchor, and the
/// chains verify from it; the database refuses a purge inside the floor on its own.
pub fn a_purge_removes_old_records_and_leaves_verifiable_chains(store: &Store) -> Outcome {
    // 24 records about different subjects, oldest first: 460, 440, … 0 days before NOW.
    for (n, age_days) in (0..24_i64).rev().map(|n| n * 20).enumerate() {
        audit_at(store, &format!("card:{n}"), NOW.add_days(-age_days))?;
    }
    let purge = |cutoff: Timestamp| {
        store.write(move |tx| {
            let mut deleted = 0;
            for chain in 0..AUDIT_CHAINS {
                deleted += tx.purge_audit_chain(chain, cutoff, NOW)?;
            }
            Ok::<_, StoreError>(deleted)
        })
    };
    // Whatever the application checked, the database refuses a cutoff inside the floor.
    let inside_floor = NOW.add_days(1 - AUDIT_RETENTION_FLOOR_DAYS);
    check(
        purge(inside_floor).is_err(),
        "the database refuses a cutoff inside the floor",
    )?;
    equal(audit_rows(store)?, 24, "nothing deleted inside the floor")?;
    // Older than 200 days: the 13 records written 460 … 220 days before; 200 days stays.
    equal(purge(NOW.add_days(-200)).map_err(store_err)?, 13, "deleted")?;
    equal(audit_rows(store)?, 11, "kept")?;
    equal(
        purge(NOW.add_days(-200)).map_err(store_err)?,
        0,
        "a second purge to the same date",
    )?;
    equal(
        purge(NOW.add_days(-AUDIT_RETENTION_FLOOR_DAYS)).map_err(store_err)?,
        1,
        "a purge exactly at the floor",
    )?;
    let mut verified = 0;
    let mut anchored = 0;
    for chain in 0..AUDIT_CHAINS {
        let stored = store
            .read(move |tx| tx.audit_chain(chain))
            .map_err(store_err)?;
        if stored.start.seq > 0 {
            anchored += 1;
        }
        check(
            stored.records.iter().all(|r| r.seq > stored.start.seq),
            "records start after the anchor",
        )?;
        verified += verify_chain_from(chain, &stored.start, &stored.records, stored.head_seq)
            .map_err(|b| format!("{b:?}"))?;
    }
    check(anchored > 0, "purged chains have an anchor")?;
    equal(verified, 10, "the kept records verify from their anchors")?;
    // New records chain on after a purge.
    audit_at(store, "card:0", NOW)?;
    let chain = chain_of("card:0");
    let stored = store
        .read(move |tx| tx.audit_chain(chain))
        .map_err(store_err)?;
    verify_chain_from(chain, &stored.start, &stored.records, stored.head_seq)
        .map(|_| ())
        .map_err(|b| format!("{b:?}"))
}

/// Users and sessions round trip; a username is unique.
pub fn users_and_sessions_round_trip(store: &Store) -> Outcome {
    let user = UserRecord {
        id: UserId::new("u1"),
        username: "clerk".into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        role: Role::BureauClerk,
        bank_id: None,
        branch_id: None,
        person_id: None,
        employer_id: None,
        institution_id: None,
        failed_logins: 0,
        locked_until: None,
        created_at: NOW,
    };
    let (first, second) = (
        user.clone(),
        UserRecord {
            id: UserId::new("u2"),
            ..user.clone()
        },
    );
    store
        .write(move |tx| tx.insert_user(&first))
        .map_err(store_err)?;
    let clash = store.write(move |tx| tx.insert_user(&second));
    check(
        matches!(clash, Err(StoreError::Conflict { .. })),
        "usernames are unique",
    )?;
    store
        .write(|tx| {
            tx.update_user_login(&UserId::new("u1"), 3, Some(NOW))?;
            tx.insert_session(&SessionRecord {
                token_hash: "th".into(),
                user_id: UserId::new("u1"),
                kind: "api".into(),
                created_at: NOW,
                expires_at: NOW.add_days(1),
                last_seen_at: NOW,
            })
        })
        .map_err(store_err)?;
    let (loaded, session, admins) = store
        .read(|tx| {
            Ok::<_, StoreError>((
                tx.user_by_username("clerk")?,
                tx.session("th")?,
                tx.count_users_with_role(Role::Administrator)?,
            ))
        })
        .map_err(store_err)?;
    equal(
        loaded,
        Some(UserRecord {
            failed_logins: 3,
            locked_until: Some(NOW),
            ..user
        }),
        "user",
    )?;
    equal(
        session.map(|s| s.user_id),
        Some(UserId::new("u1")),
        "session",
    )?;
    equal(admins, 0, "no administrator exists by default")?;
    store
        .write(|tx| tx.delete_session("th"))
        .map_err(store_err)?;
    let gone = store.read(|tx| tx.session("th")).map_err(store_err)?;
    equal(gone, None, "session deleted")
}

fn contribution(
    person: &str,
    insurance: Insurance,
    month: Month,
    payer: Option<&str>,
) -> ContributionRecord {
    ContributionRecord {
        person_id: PersonId::new(person),
        insurance,
        month,
        employer_id: payer.map(EmployerId::new),
        region: RegionCode::new("330100"),
        wage_fen: 1_000_000,
        base_fen: 1_000_000,
        employer_fen: 160_000,
        individual_fen: if insurance == Insurance::Pension {
            80_000
        } else {
            0
        },
        account_fen: 0,
        status: "owed".into(),
        declaration_id: "run_1".into(),
        declared_at: NOW,
        paid_at: None,
    }
}

fn month(year: i32, month: u8) -> Result<Month, String> {
    Month::new(year, month).ok_or_else(|| "month".to_owned())
}

/// The monthly contribution run's storage: the persons insured in a region in a month, in
/// person order a page at a time, each with the latest pension month of the same payer;
/// compact inserts of whole months that refuse a month already recorded; run records.
pub fn contribution_runs_page_through_the_insured(store: &Store) -> Outcome {
    seed_reference(store)?;
    let (january, february) = (month(2026, 1)?, month(2026, 2)?);
    let enrolment =
        |id: &str, person: &str, kind: &str, region: &str, start: Month, end: Option<Month>| {
            EnrolmentRecord {
                id: id.into(),
                person_id: PersonId::new(person),
                employer_id: (kind == "employee").then(|| EmployerId::new("e1")),
                region: RegionCode::new(region),
                kind: kind.into(),
                start,
                end,
                created_at: NOW,
                version: 0,
            }
        };
    let enrolments = [
        enrolment("n1", "p1", "employee", "330100", month(2025, 6)?, None),
        enrolment(
            "n2",
            "p2",
            "employee",
            "330100",
            month(2025, 1)?,
            Some(january),
        ),
        enrolment("n3", "p3", "flexible", "330100", january, None),
        enrolment("n4", "p4", "employee", "440300", january, None),
        enrolment("n5", "p5", "employee", "330100", month(2026, 3)?, None),
    ];
    let history = [
        ContributionRecord {
            wage_fen: 900_000,
            ..contribution("p1", Insurance::Pension, month(2025, 12)?, Some("e1"))
        },
        contribution("p1", Insurance::Pension, january, Some("e1")),
        contribution("p1", Insurance::Medical, january, Some("e1")),
        contribution("p3", Insurance::Pension, month(2025, 12)?, Some("e1")),
    ];
    store
        .write(move |tx| {
            tx.insert_employer(&EmployerRecord {
                id: EmployerId::new("e1"),
                credit_code: "91350100M000100Y43".into(),
                name: "e1".into(),
                region: RegionCode::new("330100"),
                risk_class: 2,
                rate_tier_percent: 80,
                created_at: NOW,
            })?;
            for (i, person_id) in ["p2", "p3", "p4", "p5"].iter().enumerate() {
                tx.insert_person(&person(person_id, &format!("idx-run-{i}")))?;
            }
            for enrolment in &enrolments {
                tx.insert_enrolment(enrolment)?;
            }
            tx.insert_contributions(&history).map(|_| ())
        })
        .map_err(store_err)?;
    let region = RegionCode::new("330100");
    let (count, all, first, second, last) = store
        .read(move |tx| {
            Ok::<_, StoreError>((
                tx.insured_count(&region, february)?,
                tx.run_candidates(&region, february, "", 10)?,
                tx.run_candidates(&region, february, "", 1)?,
                tx.run_candidates(&region, february, "p1", 1)?,
                tx.run_candidates(&region, february, "p3", 1)?,
            ))
        })
        .map_err(store_err)?;
    equal(count, 2, "p1 and p3 are insured in February")?;
    let candidate = |person: &str, kind: &str, latest: Option<(Month, i64)>| RunCandidate {
        person_id: PersonId::new(person),
        kind: kind.into(),
        employer_id: (kind == "employee").then(|| EmployerId::new("e1")),
        region: RegionCode::new("330100"),
        risk_class: (kind == "employee").then_some(2),
        rate_tier_percent: (kind == "employee").then_some(80),
        latest,
    };
    equal(
        all.clone(),
        vec![
            candidate("p1", "employee", Some((january, 1_000_000))),
            candidate("p3", "flexible", None),
        ],
        "candidates, with the latest pension month of the same payer only",
    )?;
    equal(
        (first, second, last.len()),
        (all[..1].to_vec(), all[1..].to_vec(), 0),
        "keyset pages",
    )?;

    let month_of_five: Vec<ContributionRecord> = Insurance::ALL
        .iter()
        .map(|insurance| contribution("p1", *insurance, february, Some("e1")))
        .collect();
    let mut records = month_of_five.clone();
    let flexible = ContributionRecord {
        account_fen: 64_000,
        declaration_id: "flexible:\"p3\" \\ {a,b}".into(),
        ..contribution("p3", Insurance::Pension, february, None)
    };
    records.push(flexible.clone());
    let (fresh, again) = (records.clone(), records.clone());
    let written = store
        .write(move |tx| tx.insert_new_contributions(&fresh))
        .map_err(store_err)?;
    equal(written, 6, "a compact month of five and one row")?;
    let twice = store.write(move |tx| tx.insert_new_contributions(&again));
    check(
        matches!(twice, Err(StoreError::Conflict { .. })),
        "a month already recorded is refused by the fast insert",
    )?;
    let (skipped, stored, rows, after) = store
        .write(move |tx| {
            let skipped = tx.insert_contributions(&records)?;
            let mut stored = tx.contributions_of_person(&PersonId::new("p1"), None)?;
            stored.extend(tx.contributions_of_person(&PersonId::new("p3"), None)?);
            let rows = tx.contribution_count()?;
            let after = tx.run_candidates(&RegionCode::new("330100"), february, "", 10)?;
            Ok::<_, StoreError>((skipped, stored, rows, after))
        })
        .map_err(store_err)?;
    equal(skipped, 0, "nothing new")?;
    equal(rows, 4 + 6, "rows")?;
    equal(
        stored
            .iter()
            .filter(|r| r.month == february)
            .cloned()
            .collect::<Vec<_>>(),
        {
            let mut expected = month_of_five;
            expected.sort_by(|a, b| a.insurance.as_str().cmp(b.insurance.as_str()));
            expected.push(flexible);
            expected
        },
        "the compact and the row-by-row insert store every column as given",
    )?;
    equal(
        after.iter().map(|c| c.latest).collect::<Vec<_>>(),
        vec![Some((february, 1_000_000)), Some((february, 1_000_000))],
        "the month is recorded for both",
    )?;

    let run = |id: &str, started: i64| ContributionRunRecord {
        id: id.into(),
        region: RegionCode::new("330100"),
        month: february,
        persons: 2,
        posted: 2,
        rows_written: 6,
        already_recorded: 0,
        skipped_no_base: 0,
        actor: "bureau_clerk:c".into(),
        started_at: Timestamp::from_unix_seconds(started),
        finished_at: Timestamp::from_unix_seconds(started + 1),
    };
    let (first_run, second_run) = (run("run_b", 100), run("run_a", 200));
    let (a, b) = (first_run.clone(), second_run.clone());
    let runs = store
        .write(move |tx| {
            tx.insert_contribution_run(&a)?;
            tx.insert_contribution_run(&b)?;
            tx.contribution_runs(&RegionCode::new("330100"), february)
        })
        .map_err(store_err)?;
    equal(runs, vec![first_run, second_run], "runs, oldest first")
}

fn waiting_request(id: &str) -> ApprovalRecord {
    use shebao_domain::approval::{ApprovalReason, ApprovalStatus};
    ApprovalRecord {
        id: id.into(),
        operation: "credit_benefit".into(),
        reason: ApprovalReason::AboveSingleLimit,
        maker_user_id: UserId::new("usr_maker"),
        maker: "bureau_clerk:maker".into(),
        maker_role: Role::BureauClerk,
        organisation: "bureau".into(),
        region: RegionCode::new("330100"),
        card_id: Some(CardId::new("crd_1")),
        transfer_id: None,
        amount_fen: 6_000_000,
        body: "{}".into(),
        status: ApprovalStatus::Pending,
        created_at: NOW,
        expires_at: NOW.add_days(3),
        decided_by_user_id: None,
        decided_by: None,
        decided_at: None,
        note: None,
        result_transfer_id: None,
        version: 1,
    }
}

/// Issue 13, finding 9: an approval request waits, is decided once (version-guarded), never
/// by its maker, and is final once decided; none is ever deleted. The schema holds these
/// rules on its own. A person's manual credits of a day sum over the stripes.
pub fn approval_requests_are_decided_once_and_never_by_their_maker(store: &Store) -> Outcome {
    use shebao_domain::approval::ApprovalStatus;
    seed_reference(store)?;
    let request = waiting_request("apr_1");
    let stored = request.clone();
    store
        .write(move |tx| tx.insert_approval(&stored))
        .map_err(store_err)?;
    let (read, waiting, lapsed, elsewhere) = store
        .read(|tx| {
            Ok::<_, StoreError>((
                tx.approval("apr_1")?,
                tx.waiting_approvals("bureau", Role::BureauClerk, NOW, 10)?,
                tx.waiting_approvals("bureau", Role::BureauClerk, NOW.add_days(3), 10)?,
                tx.waiting_approvals("bank:icbc", Role::BankTeller, NOW, 10)?,
            ))
        })
        .map_err(store_err)?;
    equal(read.as_ref(), Some(&request), "a request round-trips")?;
    equal(waiting.len(), 1, "a request waits")?;
    equal(lapsed.len(), 0, "a lapsed request no longer waits")?;
    equal(elsewhere.len(), 0, "another organisation's list is its own")?;
    refused_by_schema(
        store,
        "UPDATE approval_requests SET amount_fen = 600000000",
        "changing what a waiting request asks for",
    )?;
    let by_maker = ApprovalRecord {
        status: ApprovalStatus::Approved,
        decided_by_user_id: Some(UserId::new("usr_maker")),
        decided_by: Some("bureau_clerk:maker".into()),
        decided_at: Some(NOW),
        result_transfer_id: Some(TransferId::new("trf_1")),
        ..request.clone()
    };
    let attempt = by_maker.clone();
    check(
        store.write(move |tx| tx.decide_approval(&attempt)).is_err(),
        "a decision by the maker must be refused by the schema",
    )?;
    let decided = ApprovalRecord {
        decided_by_user_id: Some(UserId::new("usr_checker")),
        decided_by: Some("bureau_clerk:checker".into()),
        ..by_maker
    };
    let stale = ApprovalRecord {
        version: 7,
        ..decided.clone()
    };
    let outcome = store.write(move |tx| tx.decide_approval(&stale));
    check(
        matches!(outcome, Err(StoreError::Conflict { .. })),
        "a stale decision is a conflict",
    )?;
    let first = decided.clone();
    store
        .write(move |tx| tx.decide_approval(&first))
        .map_err(store_err)?;
    let again = ApprovalRecord {
        status: ApprovalStatus::Rejected,
        version: 2,
        ..decided
    };
    check(
        store.write(move |tx| tx.decide_approval(&again)).is_err(),
        "a decided request is final",
    )?;
    refused_by_schema(
        store,
        "UPDATE approval_requests SET status = 'pending'",
        "reopening a decided request",
    )?;
    refused_by_schema(store, "DELETE FROM approval_requests", "deleting a request")?;
    let status = store
        .read(|tx| tx.approval("apr_1"))
        .map_err(store_err)?
        .map(|r| (r.status, r.result_transfer_id));
    equal(
        status,
        Some((ApprovalStatus::Approved, Some(TransferId::new("trf_1")))),
        "decided once",
    )?;
    let actor = UserId::new("usr_maker");
    let day = NOW.utc_date();
    let totals = store
        .write(move |tx| {
            tx.add_manual_credit(&actor, day, 0, 1_000)?;
            tx.add_manual_credit(&actor, day, 5, 2_000)?;
            tx.add_manual_credit(&actor, day, 0, 300)?;
            tx.add_manual_credit(&actor, day.add_days(1), 0, 7)?;
            Ok::<_, StoreError>((
                tx.manual_credit_total(&actor, day)?,
                tx.manual_credit_total(&actor, day.add_days(1))?,
                tx.manual_credit_total(&UserId::new("usr_other"), day)?,
            ))
        })
        .map_err(store_err)?;
    equal(totals, (3_300, 7, 0), "a person's manual credits per day")
}

/// Generates one `#[test]` per conformance case for a backend. `$fresh` is a function
/// returning a new, empty [`Store`].
#[macro_export]
macro_rules! conformance_tests {
    ($fresh:path) => {
        $crate::conformance_tests!(@cases $fresh;
            region_parameters_are_versioned,
            persons_are_unique_and_versioned,
            cards_round_trip,
            the_ledger_balances,
            writes_are_atomic_and_concurrent_writers_all_land,
            idempotency_keys_keep_the_first_answer,
            the_audit_chain_verifies,
            audit_records_cannot_be_edited_or_deleted,
            a_purge_removes_old_records_and_leaves_verifiable_chains,
            users_and_sessions_round_trip,
            contribution_runs_page_through_the_insured,
            approval_requests_are_decided_once_and_never_by_their_maker
        );
    };
    (@cases $fresh:path; $($case:ident),*) => {
        $(
            #[test]
            #[allow(clippy::panic, reason = "a failed conformance case fails its test")]
            fn $case() {
                let store = $fresh();
                if let Err(failure) = $crate::conformance::$case(&store) {
                    panic!("{}: {failure}", stringify!($case));
                }
            }
        )*
    };
}
