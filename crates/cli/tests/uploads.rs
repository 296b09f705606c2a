//! Issue 13, finding 1 against the real binary: the declaration workbooks that aborted the
//! server (a trillion shared strings claimed) or grew it to gigabytes (one 1,000 MB shared
//! string, a sheet padded with 1,000 MB of spaces, a sheet whose parts lie about their size),
//! each a few megabytes on the wire, are refused with `file_too_complex`; the server keeps
//! answering, its peak resident memory stays under a stated bound, another employer's staff
//! is refused before the file is read, and `shebao import` refuses the same files.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

mod common;
#[path = "../../app/src/workbook/hostile.rs"]
mod hostile;

use common::{
    Client, PASSWORD, Server, Store, deploy, ok, set_up_reference_with_contributions, shebao,
};
use serde_json::{Value, json};

/// The bound the server's peak resident memory (VmHWM) must stay under through every upload.
/// Before the fix a 1,000 MB shared string alone took it to 3.3 GB. The process holds what
/// the sign-ins' Argon2 work left with the allocator (120-240 MiB seen, depending on how many
/// ran at once), so the uploads themselves are bounded by their growth over that.
const PEAK_RSS_MAX_KIB: u64 = 384 * 1024;
/// The most the uploads may add to the peak (about 25 MiB measured).
const UPLOADS_GROWTH_MAX_KIB: u64 = 128 * 1024;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The highest resident memory of process `pid` so far, in KiB (`VmHWM` of /proc).
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no VmHWM in {status}"))
}

fn employer(server: &mut Server, clerk: &mut Client, credit_code: &str) -> String {
    let firm = ok(clerk.post(
        server,
        "/api/v1/employers",
        json!({ "credit_code": credit_code, "name": "杭州示例", "region": "330100", "risk_class": 1, "rate_tier_percent": 100 }),
    ));
    firm["id"].as_str().unwrap().to_owned()
}

fn upload(server: &mut Server, client: &Client, path: &str, bytes: &[u8]) -> (u16, Value) {
    let (status, body) = server.call_raw("POST", path, Some(&client.token), XLSX, bytes);
    (status, serde_json::from_slice(&body).unwrap())
}

fn hostile_workbooks_are_refused_and_the_server_stays_up_in_bounded_memory(store: Store) {
    let mut deployment = deploy("uploads", store);
    let server = &mut deployment.server;
    let mut admin = Client::sign_in(server, "admin", &deployment.password);
    set_up_reference_with_contributions(server, &mut admin);
    let mut clerk = Client::sign_in(server, "clerk", PASSWORD);
    let firm = employer(server, &mut clerk, "91350100M000100Y43");
    let elsewhere = employer(server, &mut clerk, "91440300708461136T");
    for (username, employer) in [("firm-hr", &firm), ("other-hr", &elsewhere)] {
        ok(admin.post(server, "/api/v1/users", json!({ "username": username, "password": PASSWORD, "role": "employer", "employer_id": employer })));
    }
    let hr = Client::sign_in(server, "firm-hr", PASSWORD);
    let outsider = Client::sign_in(server, "other-hr", PASSWORD);
    let path = format!("/api/v1/employers/{firm}/declarations");
    let pid = server.child.id();
    // Signing in hashes passwords with Argon2 (tens of MiB each, freed since): the peak is
    // reset here (`5` to clear_refs) so that it measures the uploads, not the sign-ins.
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").unwrap();
    let at_start = peak_rss_kib(pid);

    // Another employer's staff is refused before the file is read.
    let (status, problem) = upload(server, &outsider, &path, &hostile::unique_count_bomb());
    assert_eq!((status, problem["code"].as_str()), (403, Some("forbidden")));

    let mega = 1 << 20;
    let files = [
        (
            "one 1,000 MB shared string",
            hostile::huge_shared_string(1000 * mega),
        ),
        (
            "a sheet padded with 1,000 MB of spaces",
            hostile::padded_sheet(1000 * mega),
        ),
        (
            "a 1,000 MB sheet declaring 1 KB",
            hostile::lying_sizes(1000 * mega),
        ),
        (
            "a 1,000 MB sheet of short elements",
            hostile::many_elements(1000 * mega),
        ),
        (
            "a trillion shared strings claimed",
            hostile::unique_count_bomb(),
        ),
    ];
    for (name, bytes) in &files {
        assert!(
            bytes.len() < 16 * mega as usize,
            "{name} fits the upload limit"
        );
        let started = std::time::Instant::now();
        let (status, problem) = upload(server, &hr, &path, bytes);
        assert_eq!(
            (status, problem["code"].as_str()),
            (422, Some("file_too_complex")),
            "{name}: {problem}"
        );
        // Still up, and answering other requests.
        ok(hr.get(server, &format!("/api/v1/employers/{firm}")));
        eprintln!(
            "{name}: {} bytes sent, refused in {:?}, peak RSS so far {} KiB",
            bytes.len(),
            started.elapsed(),
            peak_rss_kib(pid)
        );
    }
    // A sound declaration is still read (its one row names nobody insured here).
    let csv = "citizen_id,month,wage\n11010519491231002X,2026-01,8000\n";
    let (status, body) =
        server.call_raw("POST", &path, Some(&hr.token), "text/csv", csv.as_bytes());
    let declaration: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (status, declaration["rows_rejected"].as_i64()),
        (200, Some(1))
    );
    let peak = peak_rss_kib(pid);
    eprintln!("server peak RSS: {at_start} KiB before the uploads, {peak} KiB after");
    assert!(
        peak < PEAK_RSS_MAX_KIB,
        "peak RSS {peak} KiB over the bound of {PEAK_RSS_MAX_KIB} KiB"
    );
    assert!(
        peak.saturating_sub(at_start) < UPLOADS_GROWTH_MAX_KIB,
        "the uploads took the peak from {at_start} to {peak} KiB, over {UPLOADS_GROWTH_MAX_KIB} KiB more"
    );

    // `shebao import` reads the same files through the same checks.
    let keys = deployment.dir.join("keys.json");
    for (name, bytes) in &files {
        let file = deployment.dir.join("hostile.xlsx");
        std::fs::write(&file, bytes).unwrap();
        let output = shebao()
            .args([
                "import",
                "declaration",
                "--employer",
                &firm,
                "--as",
                "firm-hr",
                "--db",
            ])
            .arg(&deployment.db)
            .arg("--keys")
            .arg(&keys)
            .arg("--file")
            .arg(&file)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains("file:"), "{name}: {stderr}");
    }
}

crate::on_both_stores!(
    |store, _| hostile_workbooks_are_refused_and_the_server_stays_up_in_bounded_memory(store),
    hostile_workbooks_are_refused_and_the_server_stays_up_in_bounded_memory_on_sqlite,
    hostile_workbooks_are_refused_and_the_server_stays_up_in_bounded_memory_on_postgres,
);
