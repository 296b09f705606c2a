//! The command line: `id inspect` on the vectors of identity.md, and start-up refusals.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

mod common;

use std::process::Command;

use serde_json::{Value, json};

use common::succeeded;

fn inspect(number: &str) -> (bool, Value) {
    let output = Command::new(env!("CARGO_BIN_EXE_shebao"))
        .args(["id", "inspect", number])
        .output()
        .unwrap();
    (
        output.status.success(),
        serde_json::from_slice(&output.stdout).unwrap(),
    )
}

#[test]
fn id_inspect_prints_the_normalised_number_gender_and_birth_date() {
    for (input, number, gender, birth) in [
        (
            "11010519491231002X",
            "11010519491231002X",
            "female",
            "1949-12-31",
        ),
        (
            "11010519491231002x",
            "11010519491231002X",
            "female",
            "1949-12-31",
        ),
        (
            "440524188001010014",
            "440524188001010014",
            "male",
            "1880-01-01",
        ),
        (
            "330106199003071236",
            "330106199003071236",
            "male",
            "1990-03-07",
        ),
        (
            "310104198506153523",
            "310104198506153523",
            "female",
            "1985-06-15",
        ),
        (
            "110101200002290026",
            "110101200002290026",
            "female",
            "2000-02-29",
        ),
        (
            "51010420191231999X",
            "51010420191231999X",
            "male",
            "2019-12-31",
        ),
        (
            "932682198501010017",
            "932682198501010017",
            "male",
            "1985-01-01",
        ),
        (
            "810000199408230021",
            "810000199408230021",
            "female",
            "1994-08-23",
        ),
        (
            "830000199201300022",
            "830000199201300022",
            "female",
            "1992-01-30",
        ),
        (
            "110105491231002",
            "11010519491231002X",
            "female",
            "1949-12-31",
        ),
        (
            "130503670401001",
            "130503196704010016",
            "male",
            "1967-04-01",
        ),
        (
            "150102880730303",
            "150102198807303035",
            "male",
            "1988-07-30",
        ),
        (
            "440524800101001",
            "440524198001010013",
            "male",
            "1980-01-01",
        ),
    ] {
        let (success, output) = inspect(input);
        assert!(success, "{input}");
        assert_eq!(
            output,
            json!({ "valid": true, "number": number, "gender": gender, "birth_date": birth }),
            "{input}"
        );
    }
}

#[test]
fn id_inspect_explains_an_invalid_number_and_exits_1() {
    for (input, code) in [
        ("110105194912310021", "check_character_mismatch"),
        ("11010519491331002X", "invalid_birth_date"),
        ("440305200102290640", "invalid_birth_date"),
        ("11010519491231002", "invalid_length"),
        ("11010519491231002X1", "invalid_length"),
        ("1101A5194912310021", "invalid_character"),
        ("110105203012310025", "birth_date_in_future"),
    ] {
        let (success, output) = inspect(input);
        assert!(!success, "{input}");
        assert_eq!(output["valid"], false);
        assert_eq!(output["error"]["code"], code, "{input}");
        assert!(output["error"]["message"].as_str().unwrap().len() > 5);
    }
}

/// `shebao serve` on an in-memory store with the key file given (or none); it is expected
/// to refuse to start, so this returns its error output.
fn refused_start(keys: Option<&std::path::Path>) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shebao"));
    command
        .args([
            "serve",
            "--db",
            "sqlite::memory:",
            "--listen",
            "127.0.0.1:0",
        ])
        .env_remove("SHEBAO_KEYS_FILE");
    if let Some(keys) = keys {
        command.arg("--keys").arg(keys);
    }
    let output = command.output().unwrap();
    assert!(!output.status.success());
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_server_refuses_to_start_without_a_key_file() {
    assert!(refused_start(None).contains("no key file"));
}

#[test]
fn the_server_refuses_to_start_with_a_default_all_zero_key() {
    let dir = std::env::temp_dir().join(format!("shebao-cli-zero-key-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let keys = dir.join("keys.json");
    let zero = "0".repeat(64);
    std::fs::write(
        &keys,
        format!(
            "{{\"active\":\"k1\",\"keys\":{{\"k1\":{{\"data\":\"{zero}\",\"pin\":\"{zero}\"}}}},\"index\":\"{zero}\"}}"
        ),
    )
    .unwrap();
    let error = refused_start(Some(&keys));
    assert!(error.contains("all zeros"), "{error}");
}

/// Runs `shebao audit …` on a database; returns success, stdout and stderr.
fn audit(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_shebao"))
        .arg("audit")
        .args(args)
        .env_remove("SHEBAO_KEYS_FILE")
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn audit_purge_refuses_a_date_inside_the_180_day_floor_and_keeps_the_trail_verifiable() {
    use shebao_domain::time::Timestamp;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    let db = format!(
        "sqlite:{}",
        std::env::temp_dir()
            .join(format!("shebao-cli-purge-{}", nanos.as_nanos()))
            .join("shebao.db")
            .display()
    );
    // The audit trail's floor counts UTC days.
    let today = Timestamp::from_unix_seconds(i64::try_from(nanos.as_secs()).unwrap()).utc_date();
    let inside = today.add_days(-179).to_string();
    let (ok, _, stderr) = audit(&["purge", "--db", &db, "--before", &inside]);
    assert!(!ok);
    assert!(stderr.contains("at least 180 days"), "{stderr}");
    let (ok, stdout, stderr) = audit(&["purge", "--db", &db, "--before", "yesterday"]);
    assert!(!ok && stdout.is_empty(), "{stderr}");
    let at_floor = today.add_days(-180).to_string();
    let (ok, stdout, stderr) = audit(&[
        "purge",
        "--db",
        &db,
        "--before",
        &at_floor,
        "--operator",
        "ops",
    ]);
    assert!(ok, "{stderr}");
    let purge: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(purge["purged"], 0);
    assert_eq!(purge["before"], at_floor);
    let (ok, stdout, _) = audit(&["verify", "--db", &db]);
    assert!(ok, "{stdout}");
    let verification: Value = serde_json::from_str(&stdout).unwrap();
    // The refused purge and the purge itself are on the record.
    assert_eq!(verification["records"], 2);
}

fn calc(args: &[&str]) -> Value {
    let output = succeeded(
        Command::new(env!("CARGO_BIN_EXE_shebao"))
            .arg("calc")
            .args(args),
        "calc",
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn calc_retirement_gives_every_vector_of_the_2025_reform() {
    // (birth, delay in months, retirement month) per category.
    let male = [
        ("1964-12", 0, "2024-12"),
        ("1965-01", 1, "2025-02"),
        ("1965-04", 1, "2025-05"),
        ("1965-05", 2, "2025-07"),
        ("1970-01", 16, "2031-05"),
        ("1976-08", 35, "2039-07"),
        ("1976-09", 36, "2039-09"),
    ];
    let female_55 = [("1970-01", 1, "2025-02"), ("1981-09", 36, "2039-09")];
    let female_50 = [
        ("1975-01", 1, "2025-02"),
        ("1975-03", 2, "2025-05"),
        ("1980-01", 31, "2032-08"),
        ("1984-11", 60, "2039-11"),
    ];
    let categories = [
        ("male", &male[..]),
        ("female-55", &female_55[..]),
        ("female-50", &female_50[..]),
    ];
    for (category, vectors) in categories {
        for &(birth, delay, month) in vectors {
            let out = calc(&["retirement", "--birth", birth, "--category", category]);
            assert_eq!(
                (
                    out["delay_months"].as_i64(),
                    out["retirement_month"].as_str()
                ),
                (Some(delay), Some(month)),
                "{birth} {category}"
            );
        }
    }
    // Minimum contribution months follow the retirement year: 2024 → 180, 2031 → 192,
    // 2032 → 198, 2039 → 240.
    for (birth, category, minimum) in [
        ("1964-12", "male", 180),
        ("1970-01", "male", 192),
        ("1980-01", "female-50", 198),
        ("1976-09", "male", 240),
    ] {
        let out = calc(&["retirement", "--birth", birth, "--category", category]);
        assert_eq!(
            out["minimum_contribution_months"].as_i64(),
            Some(minimum),
            "{birth}"
        );
    }
}

#[test]
fn calc_pension_gives_every_vector_of_the_formula() {
    for (wage, index, years_times_two, balance, age, basic, account, total) in [
        (10_000, "1.0", 60, 200_000, 60, 300_000, 143_885, 443_885),
        (8_000, "0.6", 30, 50_000, 60, 96_000, 35_971, 131_971),
        (8_000, "3.0", 80, 600_000, 60, 640_000, 431_655, 1_071_655),
        (9_000, "1.2", 51, 180_000, 55, 252_450, 105_882, 358_332),
        (9_000, "1.0", 40, 100_000, 50, 180_000, 51_282, 231_282),
        (12_000, "1.5", 70, 300_000, 63, 525_000, 256_410, 781_410),
    ] {
        let months = (years_times_two * 6).to_string();
        let out = calc(&[
            "pension",
            "--average-wage-fen",
            &(wage * 100).to_string(),
            "--contribution-index",
            index,
            "--contribution-months",
            &months,
            "--account-balance-fen",
            &(balance * 100).to_string(),
            "--retirement-age",
            &age.to_string(),
        ]);
        assert_eq!(
            out,
            json!({ "basic_fen": basic, "account_fen": account, "total_fen": total }),
            "{wage} {index}"
        );
    }
}

#[test]
fn calc_contribution_gives_every_vector_of_the_table() {
    for (wage, base, pension, medical, unemployment, injury) in [
        (3_000, 4_800, (768, 384), (384, 96), (24, 24), 960),
        (10_000, 10_000, (1_600, 800), (800, 200), (50, 50), 2_000),
        (
            30_000,
            24_000,
            (3_840, 1_920),
            (1_920, 480),
            (120, 120),
            4_800,
        ),
    ] {
        let out = calc(&[
            "contribution",
            "--average-wage-fen",
            "800000",
            "--wage-fen",
            &(wage * 100).to_string(),
        ]);
        let line = |employer: i64, individual: i64| json!({ "base_fen": base * 100, "employer_fen": employer, "individual_fen": individual });
        assert_eq!(
            out["pension"],
            line(pension.0 * 100, pension.1 * 100),
            "{wage}"
        );
        assert_eq!(
            out["medical"],
            line(medical.0 * 100, medical.1 * 100),
            "{wage}"
        );
        assert_eq!(
            out["unemployment"],
            line(unemployment.0 * 100, unemployment.1 * 100),
            "{wage}"
        );
        assert_eq!(out["work_injury"], line(injury, 0), "{wage}");
    }
}

#[test]
fn calc_settlement_gives_every_vector_of_medical_md() {
    // (total, self-paid, over-limit, class B, ratio, deductible left, pool ratio, balance, cap)
    // → (first share, in scope, deductible, fund, person, account, cash), all in yuan.
    for (input, expected) in [
        (
            (
                20_000, 2_000, 0, 5_000, "10%", 1_300, "0.85", 1_500, 1_000_000,
            ),
            [500, 17_500, 1_300, 13_770, 6_230, 1_500, 4_730],
        ),
        (
            (
                20_000, 2_000, 0, 5_000, "10%", 1_300, "0.90", 1_500, 1_000_000,
            ),
            [500, 17_500, 1_300, 14_580, 5_420, 1_500, 3_920],
        ),
        (
            (800, 0, 0, 0, "0", 1_300, "85%", 300, 1_000_000),
            [0, 800, 800, 0, 800, 300, 500],
        ),
        (
            (
                400_000, 10_000, 5_000, 100_000, "0.1", 1_300, "0.85", 0, 300_000,
            ),
            [10_000, 375_000, 1_300, 300_000, 100_000, 0, 100_000],
        ),
    ] {
        let (total, self_paid, over, class_b, ratio, deductible, pool, balance, cap) = input;
        let fen = |yuan: i64| (yuan * 100).to_string();
        let out = calc(&[
            "settlement",
            "--total-fen",
            &fen(total),
            "--self-paid-fen",
            &fen(self_paid),
            "--over-limit-fen",
            &fen(over),
            "--class-b-fen",
            &fen(class_b),
            "--class-b-ratio",
            ratio,
            "--deductible-remaining-fen",
            &fen(deductible),
            "--pool-ratio",
            pool,
            "--cap-remaining-fen",
            &fen(cap),
            "--account-balance-fen",
            &fen(balance),
        ]);
        let got: Vec<i64> = [
            "class_b_first_share_fen",
            "in_scope_fen",
            "deductible_fen",
            "fund_fen",
            "person_fen",
            "account_fen",
            "cash_fen",
        ]
        .iter()
        .map(|key| out[key].as_i64().unwrap() / 100)
        .collect();
        assert_eq!(got, expected, "{input:?}");
    }
}

#[test]
fn calc_unemployment_gives_every_vector_of_benefits_md() {
    for (contribution, carried, eligible, months) in [
        (11, 0, false, 0),
        (12, 0, true, 12),
        (59, 0, true, 12),
        (60, 0, true, 18),
        (119, 0, true, 18),
        (120, 0, true, 24),
        (300, 0, true, 24),
        (36, 6, true, 18),
        (36, 15, true, 24),
    ] {
        let out = calc(&[
            "unemployment",
            "--contribution-months",
            &contribution.to_string(),
            "--carried-months",
            &carried.to_string(),
        ]);
        assert_eq!(
            out,
            json!({ "eligible": eligible, "months": months }),
            "({contribution}, {carried})"
        );
    }
}

#[test]
fn calc_injury_gives_every_vector_of_benefits_md() {
    // (own wage, local average, grade, minimum wage) → (wage, one-time, monthly, payer), yuan.
    for (own, average, grade, minimum, expected) in [
        (
            4_000,
            8_000,
            1,
            None,
            json!([4_800, 129_600, 4_320, "fund"]),
        ),
        (
            10_000,
            8_000,
            1,
            None,
            json!([10_000, 270_000, 9_000, "fund"]),
        ),
        (
            10_000,
            8_000,
            4,
            None,
            json!([10_000, 210_000, 7_500, "fund"]),
        ),
        (
            10_000,
            8_000,
            5,
            None,
            json!([10_000, 180_000, 7_000, "employer"]),
        ),
        (10_000, 8_000, 7, None, json!([10_000, 130_000, null, null])),
        (
            30_000,
            8_000,
            10,
            None,
            json!([24_000, 168_000, null, null]),
        ),
        (2_000, 3_000, 4, None, json!([2_000, 42_000, 1_500, "fund"])),
        (
            2_000,
            3_000,
            4,
            Some(2_000),
            json!([2_000, 42_000, 2_000, "fund"]),
        ),
    ] {
        let fen = |yuan: i64| (yuan * 100).to_string();
        let (own_fen, average_fen, grade_text) = (fen(own), fen(average), grade.to_string());
        let mut args = vec![
            "injury",
            "--own-wage-fen",
            &own_fen,
            "--average-wage-fen",
            &average_fen,
            "--grade",
            &grade_text,
        ];
        let minimum_fen = minimum.map(fen);
        if let Some(minimum) = &minimum_fen {
            args.extend(["--minimum-wage-fen", minimum]);
        }
        let out = calc(&args);
        let in_fen = |i: usize| match expected[i].as_i64() {
            Some(yuan) => json!(yuan * 100),
            None => expected[i].clone(),
        };
        assert_eq!(
            out,
            json!({
                "wage_fen": in_fen(0),
                "one_time_fen": in_fen(1),
                "monthly_fen": in_fen(2),
                "payer": expected[3],
            }),
            "({own}, {average}, {grade}, {minimum:?})"
        );
    }
}

#[test]
fn calc_death_gives_the_funeral_grant_vector_and_caps_the_dependants_pensions() {
    let death = [
        "death",
        "--own-wage-fen",
        "1000000",
        "--average-wage-fen",
        "800000",
        "--national-income-fen",
        "5182100",
    ];
    // benefits.md: the funeral grant at a local average of 8,000 is 48,000.
    let out = calc(&[&death[..], &["--dependants", "spouse,other,other,lone"]].concat());
    assert_eq!(
        out,
        json!({
            "funeral_grant_fen": 4_800_000,
            "one_time_fen": 103_642_000,
            // 40 + 30 + 30 + 40 = 140% of 10,000 yuan, cut to the wage in proportion.
            "pensions_fen": [285_715, 214_286, 214_285, 285_714],
        })
    );
    let alone = calc(&death);
    assert_eq!(alone["pensions_fen"], json!([]));
}

#[test]
fn calc_maternity_counts_leave_and_allowance() {
    for (args, days, allowance) in [
        (vec!["--event", "birth"], 98, 2_613_333),
        (vec!["--event", "birth", "--difficult"], 113, 3_013_333),
        (vec!["--event", "birth", "--babies", "2"], 113, 3_013_333),
        (
            vec!["--event", "miscarriage", "--pregnancy-months", "3"],
            15,
            400_000,
        ),
        (
            vec!["--event", "miscarriage", "--pregnancy-months", "4"],
            42,
            1_120_000,
        ),
    ] {
        let mut all = vec!["maternity", "--average-wage-fen", "800000"];
        all.extend(&args);
        assert_eq!(
            calc(&all),
            json!({ "leave_days": days, "allowance_fen": allowance }),
            "{args:?}"
        );
    }
}

#[test]
fn calc_refuses_a_grade_or_an_event_that_does_not_exist() {
    for args in [
        &[
            "injury",
            "--own-wage-fen",
            "100",
            "--average-wage-fen",
            "100",
            "--grade",
            "11",
        ][..],
        &[
            "maternity",
            "--average-wage-fen",
            "100",
            "--event",
            "adoption",
        ],
        &[
            "maternity",
            "--average-wage-fen",
            "100",
            "--event",
            "miscarriage",
        ],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_shebao"))
            .arg("calc")
            .args(args)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{args:?}");
        let error = String::from_utf8_lossy(&output.stderr);
        assert!(
            error.contains("grade") || error.contains("event") || error.contains("pregnancy"),
            "{args:?}: {error}"
        );
    }
}

/// `shebao keys card-root` adds the card key root to a key file written before issue 18,
/// once, keeping its mode; the server then starts with a card key store.
#[test]
fn keys_card_root_adds_a_root_once() {
    let dir = std::env::temp_dir().join(format!("shebao-cli-card-root-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let keys = dir.join("keys.json");
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_shebao"))
            .args(args)
            .env_remove("SHEBAO_KEYS_FILE")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice::<Value>(&output.stdout).unwrap()
    };
    run(&["keys", "generate", "--out", keys.to_str().unwrap()]);
    let mut file: Value = serde_json::from_str(&std::fs::read_to_string(&keys).unwrap()).unwrap();
    let generated_root = file["card_root"].as_str().unwrap().to_owned();
    assert_eq!(generated_root.len(), 64);
    // As written before issue 18: no card root.
    file.as_object_mut().unwrap().remove("card_root");
    std::fs::write(&keys, file.to_string()).unwrap();
    let added = run(&["keys", "card-root", "--keys", keys.to_str().unwrap()]);
    assert_eq!(added["card_root_added"], true);
    let after: Value = serde_json::from_str(&std::fs::read_to_string(&keys).unwrap()).unwrap();
    assert_eq!(after["index"], file["index"], "the other keys stay");
    assert_ne!(after["card_root"].as_str().unwrap(), generated_root);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&keys).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let again = run(&["keys", "card-root", "--keys", keys.to_str().unwrap()]);
    assert_eq!(again["card_root_added"], false);
    let _ = std::fs::remove_dir_all(&dir);
}
