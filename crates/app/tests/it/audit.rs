//! The audit trail's purge: the 180-day floor, anchors, and verification after a purge.
//!
//! The world's clock starts on 2026-03-01 and moves by hand. The databases also check each
//! purge against their own clock (a purge may not claim a time later than the database's
//! now), which these tests never reach: their purges happen in 2026-09, in the past.

use shebao_app::AppError;
use shebao_domain::access::Role;
use shebao_domain::audit::{AUDIT_CHAINS, AUDIT_RETENTION_FLOOR_DAYS, AuditRecord, chain_of};
use shebao_domain::time::{Date, Timestamp};

use crate::harness::{HOLDER_ID, Location, OTHER_ID, START, World};

/// Every record in the store, chain by chain.
fn all_records(w: &World) -> Vec<AuditRecord> {
    w.app
        .store()
        .read(|tx| {
            let mut records = Vec::new();
            for chain in 0..AUDIT_CHAINS {
                records.extend(tx.audit_chain(chain)?.records);
            }
            Ok::<_, shebao_store::StoreError>(records)
        })
        .unwrap()
}

fn today(w: &World) -> Date {
    w.app.now().utc_date()
}

/// Runs SQL on the database behind the world's store, with the audit triggers switched
/// off: what an attacker with the database's owner rights could do.
fn tamper(w: &World, statements: &[String]) {
    match &w.location {
        Location::File(path) => {
            let conn = rusqlite::Connection::open(path).unwrap();
            conn.execute_batch(
                "DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete; \
                 DROP TRIGGER audit_anchors_append_only_delete;",
            )
            .unwrap();
            for statement in statements {
                conn.execute_batch(statement).unwrap();
            }
        }
        Location::Url(url) => {
            let mut client = ::postgres::Client::connect(url, ::postgres::NoTls).unwrap();
            client
                .batch_execute(
                    "ALTER TABLE audit_log DISABLE TRIGGER USER; ALTER TABLE audit_anchors DISABLE TRIGGER USER;",
                )
                .unwrap();
            for statement in statements {
                client.batch_execute(statement).unwrap();
            }
        }
    }
}

/// Runs one statement with every trigger in place; returns whether the database took it.
fn direct(w: &World, statement: &str) -> bool {
    match &w.location {
        Location::File(path) => rusqlite::Connection::open(path)
            .unwrap()
            .execute_batch(statement)
            .is_ok(),
        Location::Url(url) => ::postgres::Client::connect(url, ::postgres::NoTls)
            .unwrap()
            .batch_execute(statement)
            .is_ok(),
    }
}

/// A valid ID number not used elsewhere in these stories.
const THIRD_ID: &str = "110101200002290026";

/// Records on the first day, more ten days later (`logins` new logins among them, which
/// spread over the chains), then the clock moves `days_later` on.
fn history(w: &World, logins: usize, days_later: i64) {
    w.register(HOLDER_ID);
    w.clock.advance_days(10);
    w.register(OTHER_ID);
    for n in 0..logins {
        w.user(&format!("day-ten-{n}"), Role::BureauClerk, None, None, None);
    }
    w.clock.advance_days(days_later);
}

fn a_purge_inside_the_retention_floor_is_refused_and_deletes_nothing(w: World) {
    history(&w, 0, 200);
    let before = all_records(&w);
    let too_recent = today(&w).add_days(-(AUDIT_RETENTION_FLOOR_DAYS - 1));
    let refused = w.app.purge_audit("ops", too_recent).unwrap_err();
    assert_eq!(refused.code(), "audit_retention_floor");
    assert!(
        refused.to_string().contains("180 days"),
        "{refused}: the message names the floor"
    );
    assert!(matches!(refused, AppError::Rule { .. }));
    let after = all_records(&w);
    // Nothing deleted; the refusal itself is on the record.
    assert_eq!(after.len(), before.len() + 1);
    assert!(before.iter().all(|record| after.contains(record)));
    let refusal = after.iter().find(|r| r.action == "audit.purge").unwrap();
    assert_eq!(refusal.outcome, "refused:audit_retention_floor");
    assert_eq!(refusal.actor, "operator:ops");
    assert!(w.app.verify_audit_chains().unwrap().intact);
    assert_eq!(
        w.app.purge_audit("ops", today(&w)).unwrap_err().code(),
        "audit_retention_floor"
    );
    assert_eq!(
        w.app
            .purge_audit("no spaces", too_recent)
            .unwrap_err()
            .code(),
        "invalid_request"
    );
}

fn a_purge_past_the_floor_deletes_exactly_the_older_records(w: World) {
    history(&w, 0, 185);
    // Today is day 195. Everything written on day 0 goes; the records of day 10 stay.
    let before_date = START.utc_date().add_days(5);
    assert_eq!(
        today(&w).days_since_epoch() - before_date.days_since_epoch(),
        190
    );
    let cutoff = Timestamp::start_of(before_date).unix_seconds();
    let before = all_records(&w);
    let older = before.iter().filter(|r| r.at_unix < cutoff).count();
    assert!(
        older > 10 && older < before.len(),
        "{older} of {}",
        before.len()
    );
    let purge = w.app.purge_audit("ops", before_date).unwrap();
    assert_eq!(purge.purged, i64::try_from(older).unwrap());
    assert_eq!(purge.before, before_date.to_string());
    let after = all_records(&w);
    assert_eq!(after.len(), before.len() - older + 1);
    assert!(after.iter().all(|r| r.at_unix >= cutoff));
    let kept: Vec<_> = before.iter().filter(|r| r.at_unix >= cutoff).collect();
    assert!(kept.iter().all(|record| after.contains(record)));
    let record = after.iter().find(|r| r.action == "audit.purge").unwrap();
    assert_eq!(
        (record.actor.as_str(), record.outcome.as_str()),
        ("operator:ops", "ok")
    );
    let detail: serde_json::Value = serde_json::from_str(&record.detail).unwrap();
    assert_eq!(detail["purged"], i64::try_from(older).unwrap());
    assert_eq!(detail["before"], before_date.to_string());
    let verification = w.app.verify_audit_chains().unwrap();
    assert!(verification.intact, "{:?}", verification.breaks);
    assert_eq!(verification.records, i64::try_from(after.len()).unwrap());
    // The trail goes on after a purge, and a second purge to the same date finds nothing.
    w.register(THIRD_ID);
    assert_eq!(w.app.purge_audit("ops", before_date).unwrap().purged, 0);
    assert!(w.app.verify_audit_chains().unwrap().intact);
    // A purge exactly at the floor is allowed and takes the records of day ten.
    let at_floor = today(&w).add_days(-AUDIT_RETENTION_FLOOR_DAYS);
    assert!(w.app.purge_audit("ops", at_floor).unwrap().purged > 0);
    assert!(w.app.verify_audit_chains().unwrap().intact);
    // After a restart the chains still verify from their anchors.
    let mut w = w;
    w.restart();
    assert!(w.app.verify_audit_chains().unwrap().intact);
}

fn audit_rows_cannot_be_edited_or_deleted_by_ordinary_sql_after_a_purge(w: World) {
    history(&w, 0, 185);
    let before_date = today(&w).add_days(-AUDIT_RETENTION_FLOOR_DAYS);
    assert!(w.app.purge_audit("ops", before_date).unwrap().purged > 0);
    w.register(THIRD_ID);
    let count = all_records(&w).len();
    assert!(!direct(&w, "DELETE FROM audit_log"));
    assert!(!direct(
        &w,
        "DELETE FROM audit_log WHERE action = 'person.register'"
    ));
    assert!(!direct(&w, "UPDATE audit_log SET outcome = 'ok'"));
    assert!(!direct(&w, "DELETE FROM audit_anchors"));
    assert!(!direct(&w, "UPDATE audit_anchors SET cutoff_at = 0"));
    // An anchor made up by hand, one day inside the floor, is refused by the database.
    assert!(!direct(
        &w,
        "INSERT INTO audit_anchors (chain, seq, hash, cutoff_at, purged_at) \
         SELECT chain, seq, hash, at + 1, at + 1 + 15552000 - 86400 FROM audit_log \
         WHERE action = 'person.register' ORDER BY at DESC LIMIT 1"
    ));
    assert_eq!(all_records(&w).len(), count);
    assert!(w.app.verify_audit_chains().unwrap().intact);
}

fn verify_detects_an_edited_or_deleted_record_after_a_purge(w: World) {
    history(&w, 16, 185);
    // Day 0 goes, day 10 stays.
    let before_date = START.utc_date().add_days(5);
    assert!(w.app.purge_audit("ops", before_date).unwrap().purged > 0);
    assert!(w.app.verify_audit_chains().unwrap().intact);
    // The first record after an anchor, in a chain other than the purge record's that keeps
    // more than one record (deleting the last one would show as a cut-off end instead).
    let purge_chain = chain_of("audit");
    let (chain, first) = (0..AUDIT_CHAINS)
        .filter(|chain| *chain != purge_chain)
        .find_map(|chain| {
            let stored = w.app.store().read(move |tx| tx.audit_chain(chain)).unwrap();
            (stored.start.seq > 0 && stored.records.len() > 1)
                .then(|| (chain, stored.records[0].seq))
        })
        .unwrap();
    tamper(
        &w,
        &[
            format!("DELETE FROM audit_log WHERE chain = {chain} AND seq = {first}"),
            "UPDATE audit_log SET detail = '{\"purged\":0}' WHERE action = 'audit.purge'".into(),
        ],
    );
    let verification = w.app.verify_audit_chains().unwrap();
    assert!(!verification.intact);
    let breaks = verification.breaks.join(" ");
    assert!(
        breaks.contains(&format!("Gap {{ chain: {chain}, seq: {first} }}")),
        "{breaks}"
    );
    assert!(
        breaks.contains(&format!("Content {{ chain: {purge_chain},")),
        "{breaks}"
    );
    // A purge refuses to run on a broken trail: it would erase the evidence.
    assert_eq!(
        w.app.purge_audit("ops", before_date).unwrap_err().code(),
        "audit_chain_broken"
    );
    // Removing an anchor is detected too: the chain then starts with a gap.
    tamper_anchor(&w, chain);
}

fn tamper_anchor(w: &World, chain: u32) {
    let statement = format!("DELETE FROM audit_anchors WHERE chain = {chain}");
    match &w.location {
        Location::File(path) => {
            rusqlite::Connection::open(path)
                .unwrap()
                .execute_batch(&statement)
                .unwrap();
        }
        Location::Url(url) => {
            ::postgres::Client::connect(url, ::postgres::NoTls)
                .unwrap()
                .batch_execute(&statement)
                .unwrap();
        }
    }
    let breaks = w.app.verify_audit_chains().unwrap().breaks.join(" ");
    assert!(
        breaks.contains(&format!("Gap {{ chain: {chain}, seq: 1 }}")),
        "{breaks}"
    );
}

crate::on_both_backends!(
    a_purge_inside_the_retention_floor_is_refused_and_deletes_nothing,
    a_purge_past_the_floor_deletes_exactly_the_older_records,
    audit_rows_cannot_be_edited_or_deleted_by_ordinary_sql_after_a_purge,
    verify_detects_an_edited_or_deleted_record_after_a_purge,
);
