//! `login --force` replaces the cached session only once the new one exists: a wrong
//! password leaves the working session cached and alive; a full table ends the old one first.

use bmc_emulator::{Bmc, Config, PASSWORD, Profile, USER};

use crate::common::{Env, logged_in};

#[test]
fn a_failed_forced_login_keeps_the_working_session() {
    let (bmc, env) = logged_in(Profile::Generic);
    let h = bmc.host();
    let before = std::fs::read_to_string(env.entry_path(&bmc)).unwrap();
    let out = env
        .run(&bmc, &["login", &h, "-u", USER, "-p", "wrong", "--force"])
        .code(3);
    assert!(out.stderr.contains("rejected the credentials"), "{out:?}");
    assert_eq!(bmc.live_sessions(), 1, "the working session was ended");
    assert_eq!(
        std::fs::read_to_string(env.entry_path(&bmc)).unwrap(),
        before,
        "the entry changed"
    );
    env.run(&bmc, &["whoami", &h]).ok();
    // And a forced login that succeeds ends the old one: still exactly one session.
    env.run_env(
        &bmc,
        &["login", &h, "-u", USER, "--force"],
        &[("RFSESSION_PASSWORD", PASSWORD)],
    )
    .ok();
    assert_eq!(bmc.live_sessions(), 1);
    assert_ne!(
        std::fs::read_to_string(env.entry_path(&bmc)).unwrap(),
        before
    );
    env.run(&bmc, &["whoami", &h]).ok();
}

#[test]
fn a_forced_login_into_a_full_table_ends_the_old_session_first_and_says_so() {
    let mut cfg = Config::new(Profile::Idrac);
    cfg.session_limit = 1;
    let bmc = Bmc::with_config(cfg);
    let env = Env::new();
    env.login(&bmc).ok();
    let out = env
        .run_env(
            &bmc,
            &["login", &bmc.host(), "-u", USER, "--force"],
            &[("RFSESSION_PASSWORD", PASSWORD)],
        )
        .ok();
    assert!(
        out.stderr
            .contains("the session table is full: ending the cached session first"),
        "{out:?}"
    );
    assert_eq!(bmc.live_sessions(), 1);
    env.run(&bmc, &["whoami", &bmc.host()]).ok();
}
