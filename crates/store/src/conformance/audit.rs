//! Audit and idempotency: chains verify, records cannot be edited, purges leave anchors;
//! an idempotency key keeps its first answer.

use shebao_domain::audit::{
    AUDIT_CHAINS, AUDIT_RETENTION_FLOOR_DAYS, ChainStart, chain_of, verify_chain, verify_chain_from,
};
use shebao_domain::time::Timestamp;

use crate::records::*;
use crate::{Store, StoreError};

use super::{
    NOW, Outcome, check, conflict, equal, refused_by_schema, second_write, store_err,
    write_concurrently,
};

/// A key answers once; its first answer is kept.
pub fn idempotency_keys_keep_the_first_answer(store: &Store) -> Outcome {
    let answers = [("fp1", "{\"ok\":1}"), ("fp2", "{\"ok\":2}")];
    let again = second_write(store, answers, |tx, (fingerprint, answer)| {
        tx.save_idempotent_response("k", fingerprint, answer, NOW)
    })?;
    conflict(again, "a key is saved once")?;
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
    write_concurrently(
        store,
        (4, 20),
        |tx, worker, n| {
            tx.append_audit(&AuditEvent {
                at: NOW,
                actor: format!("user:{worker}"),
                action: "card.collect".into(),
                subject: format!("card:{n}"),
                outcome: "ok".into(),
                detail: "{}".into(),
            })
        },
        "audit thread panicked",
    )?;
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

/// The trail is searched by parts of an actor or subject (any case, `%` and `_` taken as
/// themselves), by time, and paged newest first without a record lost or shown twice.
pub fn the_audit_trail_is_searched_and_paged(store: &Store) -> Outcome {
    for (n, (actor, subject)) in [
        ("bureau_clerk:Clerk-1", "card:A_1"),
        ("bureau_clerk:clerk-2", "card:B%2"),
        ("bank_teller:teller", "person:C3"),
    ]
    .into_iter()
    .cycle()
    .take(15)
    .enumerate()
    {
        let event = AuditEvent {
            at: NOW.add_seconds(i64::try_from(n).unwrap_or(0) / 2),
            actor: actor.into(),
            action: "card.collect".into(),
            subject: subject.into(),
            outcome: "ok".into(),
            detail: "{}".into(),
        };
        store
            .write(move |tx| tx.append_audit(&event))
            .map_err(store_err)?;
    }
    let list = |filter: AuditFilter| {
        store
            .read(move |tx| tx.audit_records(&filter))
            .map_err(store_err)
    };
    let clerks = list(AuditFilter {
        actor_contains: Some("CLERK".into()),
        limit: 100,
        ..AuditFilter::default()
    })?;
    equal(clerks.len(), 10, "actor contains, any case")?;
    let literal = list(AuditFilter {
        subject_contains: Some("_1".into()),
        limit: 100,
        ..AuditFilter::default()
    })?;
    equal(literal.len(), 5, "an underscore is itself")?;
    let percent = list(AuditFilter {
        subject_contains: Some("%".into()),
        limit: 100,
        ..AuditFilter::default()
    })?;
    equal(percent.len(), 5, "a percent sign is itself")?;
    let early = list(AuditFilter {
        from: Some(NOW.unix_seconds()),
        until: Some(NOW.unix_seconds() + 2),
        limit: 100,
        ..AuditFilter::default()
    })?;
    equal(early.len(), 4, "from (inclusive) until (exclusive)")?;
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = list(AuditFilter {
            after,
            limit: 4,
            ..AuditFilter::default()
        })?;
        let Some(last) = page.last() else { break };
        after = Some((last.at_unix, i64::from(last.chain), last.seq));
        seen.extend(page.iter().map(|r| (r.chain, r.seq)));
    }
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    equal(
        (seen.len(), unique.len()),
        (15, 15),
        "every record once across the pages",
    )
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
