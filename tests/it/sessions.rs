//! The BMC's other sessions: `logout --others` ending the ones other tools leaked.

use std::time::Duration;

use bmc_emulator::{Bmc, Config, OPERATOR, OPERATOR_PASSWORD, Profile, USER};

use crate::common::{Env, logged_in};

#[test]
fn leaked_sessions_of_the_user_end_and_rfsessions_own_stays_on_every_profile() {
    for profile in Profile::with_sessions() {
        let (bmc, env) = logged_in(profile);
        let host = bmc.host();
        for _ in 0..3 {
            bmc.add_session(USER);
        }
        let someone = bmc.add_session(OPERATOR);
        let out = env.run(&bmc, &["--json", "logout", &host, "--others"]).ok();
        let list = out.json();
        assert_eq!(list.as_array().unwrap().len(), 3, "{profile:?}: {out:?}");
        assert!(
            list.as_array()
                .unwrap()
                .iter()
                .all(|s| s["ended"] == true && s["user"] == USER)
        );
        let left: Vec<String> = bmc
            .state()
            .sessions
            .iter()
            .map(|s| s.user.clone())
            .collect();
        assert_eq!(left, [USER, OPERATOR], "{profile:?}");
        assert_eq!(bmc.state().sessions[1].id, someone.id);
        // rfsession's own session still works.
        env.run(&bmc, &["get", &host, "Systems/1"]).ok();
    }
}

#[test]
fn sessions_this_user_may_not_end_are_reported_and_the_rest_go_on() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    env.run_env(
        &bmc,
        &["login", &host, "-u", OPERATOR],
        &[("RFSESSION_PASSWORD", OPERATOR_PASSWORD)],
    )
    .ok();
    let admins = bmc.add_session(USER);
    bmc.add_session(OPERATOR);
    let out = env
        .run(&bmc, &["logout", &host, "--others", "--any-user"])
        .code(6);
    assert!(
        out.stderr
            .contains(&format!("not ended: session {} of admin", admins.id))
            && out.stderr.contains("HTTP 403"),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("ended session 3 of operator"),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("1 of 2 sessions could not be ended"),
        "{out:?}"
    );
    assert_eq!(bmc.live_sessions(), 2);
}

#[test]
fn only_sessions_older_than_asked_and_a_dry_run_ends_none() {
    let (bmc, env) = logged_in(Profile::Ilo5);
    let host = bmc.host();
    let old = bmc.add_old_session(USER, Duration::from_secs(3 * 3600));
    bmc.add_session(USER);
    let out = env
        .run(
            &bmc,
            &[
                "logout",
                &host,
                "--others",
                "--older-than",
                "2h",
                "--dry-run",
            ],
        )
        .ok();
    assert!(
        out.stderr
            .contains(&format!("would end session {} of admin", old.id)),
        "{out:?}"
    );
    assert_eq!(out.stderr.lines().count(), 1, "{out:?}");
    assert_eq!(bmc.live_sessions(), 3);
    env.run(&bmc, &["logout", &host, "--others", "--older-than", "2h"])
        .ok();
    assert_eq!(bmc.live_sessions(), 2);
    assert!(bmc.state().sessions.iter().all(|s| s.id != old.id));
}

#[test]
fn a_table_full_of_leaked_sessions_is_cleared_for_other_clients() {
    let mut cfg = Config::new(Profile::Idrac);
    cfg.session_limit = 4;
    let bmc = Bmc::with_config(cfg);
    let env = Env::new();
    env.login(&bmc).ok();
    for _ in 0..3 {
        bmc.add_session(USER);
    }
    let other = Env::new();
    let out = other.login(&bmc).code(6);
    assert!(out.stderr.contains("session table is full"), "{out:?}");
    env.run(&bmc, &["logout", &bmc.host(), "--others"]).ok();
    other.login(&bmc).ok();
    assert_eq!(bmc.live_sessions(), 2);
}

#[test]
fn logout_of_a_session_the_bmc_does_not_have_finds_it_already_gone() {
    let (bmc, env) = logged_in(Profile::Generic);
    let h = bmc.host();
    let before = bmc.live_sessions();
    let out = env.run(&bmc, &["-v", "logout", &h, "--session", "99"]).ok();
    assert!(
        out.stderr.contains(
            "session /redfish/v1/SessionService/Sessions/99 already gone (the BMC has no such session)"
        ),
        "{out:?}"
    );
    let doc = env
        .run(&bmc, &["--json", "logout", &h, "--session", "99"])
        .ok()
        .json();
    assert_eq!(doc["logged_out"], true, "{doc}");
    // Our own session and its entry are untouched.
    assert_eq!(bmc.live_sessions(), before);
    env.run(&bmc, &["whoami", &h]).ok();
    // A token the BMC refuses is not "already gone": exit 4, the entry kept.
    bmc.expire_all();
    env.run(&bmc, &["logout", &h, "--session", "99"]).code(4);
    assert!(env.entry_path(&bmc).exists());
}

#[test]
fn sessions_cached_says_when_nothing_is_cached_on_a_terminal_only() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let out = env.run_tty(&bmc, &["sessions", "--cached"], &[], "");
    assert!(
        out.stdout.contains("rfsession: no cached sessions"),
        "{out:?}"
    );
    // A script gets the bare table (its header) or [] and nothing on stderr.
    let out = env.run(&bmc, &["sessions", "--cached"]).ok();
    assert!(out.stdout.starts_with("HOST "), "{out:?}");
    assert_eq!(out.stdout.lines().count(), 1, "{out:?}");
    assert_eq!(out.stderr, "", "{out:?}");
    let out = env.run(&bmc, &["--json", "sessions", "--cached"]).ok();
    assert_eq!(out.stdout.trim(), "[]", "{out:?}");
    assert_eq!(out.stderr, "", "{out:?}");
}
