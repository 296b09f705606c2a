//! The audit chain detects a record edited or deleted behind the server's back.

use super::*;

#[test]
fn audit_verify_detects_an_edited_and_a_deleted_record() {
    let Deployment {
        dir,
        db,
        mut server,
        ..
    } = deploy("tamper", Store::Sqlite);
    let path = dir.join("shebao.db");
    for _ in 0..3 {
        let wrong = json!({ "username": "admin", "password": "wrong password" });
        assert_eq!(
            server
                .call("POST", "/api/v1/sessions", None, None, Some(wrong))
                .0,
            401
        );
    }
    drop(server);
    let verify = || {
        shebao()
            .args(["audit", "verify", "--db", &db])
            .output()
            .unwrap()
    };
    assert!(verify().status.success());
    // The application cannot edit the trail: the schema refuses.
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert!(
        conn.execute("UPDATE audit_log SET outcome = 'ok'", [])
            .is_err()
    );
    assert!(conn.execute("DELETE FROM audit_log", []).is_err());
    // An attacker with the file drops the guards: an edit is detected...
    conn.execute_batch(
        "DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete;",
    )
    .unwrap();
    conn.execute(
        "UPDATE audit_log SET outcome = 'ok' WHERE outcome LIKE 'refused%'",
        [],
    )
    .unwrap();
    let edited = verify();
    assert!(!edited.status.success());
    let report: Value = serde_json::from_slice(&edited.stdout).unwrap();
    assert_eq!(report["intact"], false);
    assert!(
        report["breaks"][0].as_str().unwrap().contains("Content"),
        "{report}"
    );
    // ...and so is a deletion, even with the edit undone by restoring nothing else.
    conn.execute(
        "DELETE FROM audit_log WHERE seq = 1 AND chain = (SELECT MIN(chain) FROM audit_log)",
        [],
    )
    .unwrap();
    let report: Value = serde_json::from_slice(&verify().stdout).unwrap();
    assert!(
        report["breaks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b.as_str().unwrap().contains("Gap")),
        "{report}"
    );
}
