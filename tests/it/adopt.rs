//! Adopting a session created elsewhere (`login --token-stdin`, issue 17 item 6).

use bmc_emulator::{self as emulator, Bmc, Profile, USER};

use crate::common::{Env, logged_in};

#[test]
fn a_dry_run_adoption_sends_nothing_and_changes_nothing() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let theirs = bmc.add_session(USER);
    let before = std::fs::read(env.entry_path(&bmc)).unwrap();
    let sent = bmc.state().requests.len();
    let out = env
        .run_stdin(
            &bmc,
            &["login", &host, "--token-stdin", "--dry-run"],
            &format!("{}\n", theirs.token),
        )
        .ok();
    assert!(
        out.stderr.contains("dry run") && out.stderr.contains("nothing was sent"),
        "{out:?}"
    );
    assert_eq!(bmc.state().requests.len(), sent, "nothing was sent");
    assert_eq!(std::fs::read(env.entry_path(&bmc)).unwrap(), before);
    assert_eq!(bmc.live_sessions(), 2);
    let out = env
        .run_stdin(
            &bmc,
            &["--json", "login", &host, "--token-stdin", "--dry-run"],
            &format!("{}\n", theirs.token),
        )
        .ok();
    let doc = out.json();
    assert_eq!(doc["dry_run"], true);
    assert_eq!(doc["action"], "adopt");
    assert_eq!(bmc.state().requests.len(), sent);
}

#[test]
fn a_session_whose_user_is_unknown_is_kept_without_one_and_a_relogin_asks_for_it() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    // Two sessions and no MySession: the BMC does not tell whose the token is.
    bmc.add_session(USER);
    let theirs = bmc.add_session(USER);
    let out = env
        .run_stdin(
            &bmc,
            &["login", &host, "--token-stdin"],
            &format!("{}\n", theirs.token),
        )
        .ok();
    assert!(out.stderr.contains("does not say which session"), "{out:?}");
    let entry: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.entry_path(&bmc)).unwrap()).unwrap();
    assert_eq!(entry.get("user"), None, "{entry}");
    // The BMC drops it; a password is at hand but no user: stop with a hint, send no login.
    bmc.expire_all();
    let pw = [("RFSESSION_PASSWORD", emulator::PASSWORD)];
    let out = env.run_env(&bmc, &["get", &host, "Systems/1"], &pw).code(2);
    assert!(
        out.stderr.contains("adopted without its user") && out.stderr.contains("-u USER"),
        "{out:?}"
    );
    let posts = |bmc: &Bmc| {
        bmc.state()
            .requests
            .iter()
            .filter(|r| r.method == "POST")
            .map(|r| r.body.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        posts(&bmc),
        Vec::<String>::new(),
        "no placeholder sent as UserName"
    );
    // With the user named, the login again goes through.
    env.run_env(&bmc, &["get", &host, "Systems/1", "-u", USER], &pw)
        .ok();
    let sent = posts(&bmc);
    assert_eq!(sent.len(), 1);
    assert!(sent[0].contains("\"UserName\":\"admin\""), "{sent:?}");
}

#[test]
fn an_adopted_token_over_16_kib_is_refused_before_anything_is_sent() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    let token = "a".repeat(16 * 1024 + 1);
    let out = env
        .run_stdin(
            &bmc,
            &["login", &host, "--token-stdin"],
            &format!("{token}\n"),
        )
        .code(2);
    assert!(out.stderr.contains("16384 bytes"), "{out:?}");
    assert!(bmc.state().requests.is_empty());
    assert!(!env.entry_path(&bmc).exists());
    // Exactly 16 KiB is a token like any other (refused here only because the BMC never
    // issued it).
    let out = env
        .run_stdin(
            &bmc,
            &["login", &host, "--token-stdin"],
            &format!("{}\n", &token[1..]),
        )
        .code(4);
    assert!(out.stderr.contains("refused"), "{out:?}");
}
