//! The emulator as a person runs it: `--help` names every profile and the accounts, the
//! READY line the user, password and CA file, `--profiles` is a table.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use bmc_emulator::{OPERATOR, OPERATOR_PASSWORD, PASSWORD, Profile, USER};

fn emulator() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bmc-emulator"))
}

#[test]
fn help_lists_every_profile_and_the_accounts() {
    let out = emulator().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for p in Profile::ALL {
        assert!(text.contains(p.name()), "--help lacks {}: {text}", p.name());
    }
    for word in [
        USER,
        PASSWORD,
        OPERATOR,
        OPERATOR_PASSWORD,
        "--task-seconds",
        "--ca-out",
    ] {
        assert!(text.contains(word), "--help lacks {word}: {text}");
    }
}

#[test]
fn profiles_is_a_table_with_a_row_per_profile() {
    let out = emulator().arg("--profiles").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text
        .lines()
        .skip(1)
        .filter(|l| !l.contains(": deviates: "))
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let names: Vec<&str> = Profile::ALL.iter().map(|p| p.name()).collect();
    assert_eq!(rows, names, "{text}");
    assert!(text.starts_with("PROFILE "), "{text}");
    // Words, not Rust's Debug output.
    assert!(!text.contains('{') && !text.contains("Quirks"), "{text}");
}

#[test]
fn ready_names_the_user_the_password_and_the_ca_file() {
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    let mut child = emulator()
        .args(["--profile", "ilo5", "--ca-out", ca.to_str().unwrap()])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words[0], "READY", "{line}");
    assert!(words[1].starts_with("https://127.0.0.1:"), "{line}");
    assert_eq!(
        words[2..],
        [
            "user",
            USER,
            "password",
            PASSWORD,
            "ca",
            ca.to_str().unwrap()
        ],
        "{line}"
    );
    assert!(
        std::fs::read_to_string(&ca)
            .unwrap()
            .contains("BEGIN CERTIFICATE")
    );
}

/// What `--task-seconds` does is shown end to end by rfsession's `--wait` progress line
/// (tests/it/answers.rs); here, that a bad value is refused with the flag's name.
#[test]
fn task_seconds_takes_a_number() {
    let out = emulator().args(["--task-seconds", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad --task-seconds"));
}
