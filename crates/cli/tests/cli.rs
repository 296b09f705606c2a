//! The command line: `id inspect` on the vectors of identity.md, and start-up refusals.
#![allow(clippy::unwrap_used, reason = "tests")]

use std::process::Command;

use serde_json::{Value, json};

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

#[test]
fn the_server_refuses_to_start_without_a_key_file() {
    let output = Command::new(env!("CARGO_BIN_EXE_shebao"))
        .args([
            "serve",
            "--db",
            "sqlite::memory:",
            "--listen",
            "127.0.0.1:0",
        ])
        .env_remove("SHEBAO_KEYS_FILE")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no key file"));
}
