//! The session lifecycle end to end: login, reuse, a login again after a 401 or expiry,
//! logout, and never forgetting a session that may still exist; what an operation costs
//! the BMC in connections.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use bmc_emulator::{Bmc, Config, PASSWORD, Profile, USER};

use crate::common::{Env, PW, hold_lock, logged_in, wait};

/// The TLS connections the BMC accepted while `run` ran.
fn connections(bmc: &bmc_emulator::Bmc, run: impl FnOnce()) -> u64 {
    let before = bmc.state().connections;
    run();
    bmc.state().connections - before
}

fn entry(env: &Env, bmc: &Bmc) -> Option<serde_json::Value> {
    let text = fs::read_to_string(env.entry_path(bmc)).ok()?;
    Some(serde_json::from_str(&text).unwrap())
}

#[test]
fn a_host_operation_opens_one_connection() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let pw = [("RFSESSION_PASSWORD", PASSWORD)];
    // The request, the 401, the old session's DELETE, the login and the retry: one.
    bmc.expire_all();
    let n = connections(&bmc, || {
        let out = env
            .run_env(&bmc, &["get", &host, "Systems/1", "--pointer", "/Id"], &pw)
            .ok();
        assert_eq!(out.stdout, "1\n");
    });
    assert_eq!(bmc.created(), 2);
    assert_eq!(n, 1, "a get that logs in again");
    // The DELETE of the cached session and the new login: one.
    let n = connections(&bmc, || {
        env.run_env(&bmc, &["login", &host, "-u", USER, "--force"], &pw)
            .ok();
    });
    assert_eq!((bmc.created(), bmc.live_sessions()), (3, 1));
    assert_eq!(n, 1, "login --force");
    // A login that finds its session gone: the check, the DELETE and the POST.
    bmc.expire_all();
    let n = connections(&bmc, || {
        env.run_env(&bmc, &["login", &host, "-u", USER], &pw).ok();
    });
    assert_eq!(bmc.created(), 4);
    assert_eq!(n, 1, "login after expiry");
}

#[test]
fn logout_finds_the_session_by_context_when_nothing_else_names_it() {
    // bmcweb has no MySession and no $expand; with Location and @odata.id blanked, only
    // the Context sent at login identifies the session.
    let bmc = Bmc::start(Profile::Bmcweb);
    bmc.faults(|f| {
        f.location = Some(String::new());
        f.body_odata_id = Some(String::new());
    });
    let env = Env::new();
    env.login(&bmc).ok();
    bmc.add_session(USER);
    assert_eq!(bmc.live_sessions(), 2);
    let mine = env
        .run(&bmc, &["--json", "sessions", &bmc.host()])
        .ok()
        .json();
    assert_eq!(
        mine.as_array()
            .unwrap()
            .iter()
            .filter(|s| s["mine"] == true)
            .count(),
        1
    );
    env.run(&bmc, &["logout", &bmc.host()]).ok();
    assert_eq!(bmc.live_sessions(), 1);
    assert!(
        bmc.state().sessions[0].context.is_empty(),
        "deleted the wrong session"
    );
}

#[test]
fn expired_token_is_reported_and_the_entry_kept() {
    let (bmc, env) = crate::common::logged_in(Profile::Idrac);
    bmc.expire_all();
    let out = env
        .run(&bmc, &["get", &bmc.host(), "/redfish/v1/Systems/1"])
        .code(4);
    assert!(
        out.stderr
            .contains(&format!("rfsession login https://{}", bmc.host())),
        "{out:?}"
    );
    assert_eq!(out.stderr.lines().count(), 1, "one line: {out:?}");
    assert!(env.entry_path(&bmc).exists());
    let out = env.run(&bmc, &["--json", "whoami", &bmc.host()]).code(4);
    assert_eq!(out.json()["valid"], false);
    // login notices the dead session and creates a new one in its place.
    env.login(&bmc).ok();
    assert_eq!(bmc.created(), 2);
    env.run(&bmc, &["get", &bmc.host(), "/redfish/v1/Systems/1"])
        .ok();
}

#[test]
fn get_logs_in_again_on_401_when_a_password_is_at_hand() {
    let (bmc, env) = crate::common::logged_in(Profile::Generic);
    bmc.expire_all();
    let out = env
        .run_env(
            &bmc,
            &["get", &bmc.host(), "/redfish/v1/Systems/1"],
            &[("RFSESSION_PASSWORD", PASSWORD)],
        )
        .ok();
    assert_eq!(out.json()["PowerState"], "On");
    assert_eq!(bmc.created(), 2);
    env.run(&bmc, &["whoami", &bmc.host()]).ok();
}

#[test]
fn wrong_password_exits_3_with_the_bmcs_message() {
    let bmc = Bmc::start(Profile::Ilo5);
    let env = Env::new();
    let out = env
        .run_env(
            &bmc,
            &["login", &bmc.host(), "-u", USER],
            &[("RFSESSION_PASSWORD", "nope")],
        )
        .code(3);
    assert!(
        out.stderr.contains("Invalid username or password"),
        "{out:?}"
    );
    assert!(out.stderr.contains(&bmc.host()), "{out:?}");
    assert!(!out.all().contains("nope"), "password echoed: {out:?}");
    assert!(!env.entry_path(&bmc).exists());
}

#[test]
fn another_user_replaces_the_cached_session() {
    let (bmc, env) = crate::common::logged_in(Profile::Ilo4);
    env.run_env(
        &bmc,
        &["login", &bmc.host(), "-u", "operator"],
        &[("RFSESSION_PASSWORD", bmc_emulator::OPERATOR_PASSWORD)],
    )
    .ok();
    assert_eq!(bmc.live_sessions(), 1);
    assert_eq!(bmc.state().sessions[0].user, "operator");
}

#[test]
fn logout_when_not_logged_in_is_a_quiet_success() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let out = env.run(&bmc, &["--json", "logout", &bmc.host()]).ok();
    assert_eq!(out.json()["logged_out"], false);
}

#[test]
fn the_bmc_idle_timeout_ends_an_unused_session() {
    let mut cfg = Config::new(Profile::Idrac);
    cfg.idle_timeout = std::time::Duration::from_secs(1);
    let bmc = Bmc::with_config(cfg);
    let env = Env::new();
    env.login(&bmc).ok();
    // Used within the timeout, the session lives on: each request resets the idle clock.
    for _ in 0..3 {
        std::thread::sleep(std::time::Duration::from_millis(500));
        env.run(&bmc, &["get", &bmc.host(), "/redfish/v1/Systems/1"])
            .ok();
    }
    std::thread::sleep(std::time::Duration::from_millis(1300));
    env.run(&bmc, &["get", &bmc.host(), "/redfish/v1/Systems/1"])
        .code(4);
    assert_eq!(bmc.state().expired, 1);
    assert_eq!(bmc.created(), 1);
}

#[test]
fn on_a_terminal_an_expired_session_asks_for_the_password_and_logs_in_again() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    bmc.expire_all();
    // In a script, nobody to ask: exit 4, as before.
    env.run(&bmc, &["get", &host, "Systems/1"]).code(4);
    let line = format!("{PASSWORD}\n");
    let out = env.run_tty(
        &bmc,
        &["get", &host, "Systems/1", "--pointer", "/PowerState"],
        &[],
        &line,
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("no longer accepts the cached session"),
        "{out:?}"
    );
    assert!(out.stdout.contains("Password for admin@"), "{out:?}");
    assert!(out.stdout.trim_end().ends_with("On"), "{out:?}");
    assert_eq!(bmc.created(), 2);
    assert_eq!(bmc.live_sessions(), 1);
    // And the new session is cached: the next call needs nobody.
    env.run(&bmc, &["get", &host, "Systems/1"]).ok();
}

#[test]
fn several_paths_in_one_call_share_one_connection() {
    let (bmc, env) = logged_in(Profile::Generic);
    let h = bmc.host();
    let before = bmc.state().requests.len();
    let conns = bmc.state().connections;
    let out = env
        .run(
            &bmc,
            &[
                "get",
                &h,
                "/redfish/v1/Systems/1",
                "Systems",
                "/redfish/v1/SessionService",
            ],
        )
        .ok();
    let arr = out.json();
    let arr = arr.as_array().unwrap();
    assert_eq!(arr.len(), 3);
    assert_eq!(arr[0]["Id"], "1");
    assert_eq!(arr[1]["@odata.id"], "/redfish/v1/Systems");
    assert_eq!(arr[2]["@odata.id"], "/redfish/v1/SessionService");
    assert_eq!(
        bmc.state().requests.len() - before,
        3,
        "one request per path, nothing more"
    );
    assert_eq!(
        bmc.state().connections - conns,
        1,
        "all paths over one kept-alive connection"
    );
    let out = env
        .run(
            &bmc,
            &[
                "get",
                &h,
                "/redfish/v1/Systems/1",
                "/redfish/v1/Systems",
                "--ndjson",
            ],
        )
        .ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2);
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first["PowerState"], "On");
    // A failing path fails the call: no partial array passes for a whole one.
    env.run(
        &bmc,
        &["get", &h, "/redfish/v1/Systems/1", "/redfish/v1/Nope"],
    )
    .code(6);
    env.run(
        &bmc,
        &[
            "get",
            &h,
            "/redfish/v1/Systems/1",
            "/redfish/v1/Systems",
            "--raw",
        ],
    )
    .code(2);
}

#[test]
fn a_stray_401_never_orphans_a_live_session() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    for _ in 0..3 {
        bmc.faults(|f| f.stray_401 = 1);
        env.run_env(&bmc, &["get", &host, "/redfish/v1/Systems/1"], &PW)
            .ok();
        assert_eq!(bmc.live_sessions(), 1, "a session was left behind");
    }
    bmc.faults(|f| f.stray_401 = 1);
    env.login(&bmc).ok();
    assert_eq!(bmc.live_sessions(), 1);
    env.run(&bmc, &["logout", &host]).ok();
    assert_eq!(bmc.live_sessions(), 0);
}

#[test]
fn a_session_that_may_exist_is_kept_rather_than_replaced() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let token = entry(&env, &bmc).unwrap()["token"].clone();
    // A 401 on the check, and the DELETE of the old session fails: nothing is replaced.
    bmc.faults(|f| {
        f.stray_401 = 1;
        f.delete_status = [500; 3].into();
    });
    let out = env
        .run_env(&bmc, &["get", &host, "/redfish/v1/Systems/1"], &PW)
        .code(6);
    assert!(out.stderr.contains("may still exist"), "{out:?}");
    assert_eq!(entry(&env, &bmc).unwrap()["token"], token);
    assert_eq!(bmc.created(), 1);
}

#[test]
fn logout_of_its_own_id_decides_under_the_lock() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let old = entry(&env, &bmc).unwrap();
    let old_id = old["session_id"].as_str().unwrap().to_owned();
    let lock = hold_lock(&env, &bmc);
    let child = env.spawn(&bmc, &["logout", &host, "--session", &old_id], &[]);
    std::thread::sleep(Duration::from_millis(400));
    // Meanwhile a `login --force` elsewhere put a new session in the entry.
    let new = bmc.add_session(USER);
    let mut e = old.clone();
    e["token"] = new.token.clone().into();
    e["session_uri"] = new.uri.clone().into();
    e["session_id"] = new.id.clone().into();
    let path = env.entry_path(&bmc);
    let tmp = path.with_extension("new");
    fs::write(&tmp, e.to_string()).unwrap();
    fs::set_permissions(&tmp, fs::Permissions::from_mode(0o600)).unwrap();
    fs::rename(&tmp, &path).unwrap();
    drop(lock);
    wait(child).ok();
    let kept = entry(&env, &bmc).expect("the new session's entry was removed");
    assert_eq!(kept["token"], new.token.as_str());
    assert_eq!(
        bmc.live_sessions(),
        1,
        "the new session must stay, and be cached"
    );
}

/// A logout that wins the race against a re-login: with a password source at hand, the get
/// gets a session of its own (issue 17 replaced the old "exit 4, create nothing" rule; an
/// operator stops a job with `logout --force` and by removing its password source).
#[test]
fn a_relogin_that_finds_the_entry_gone_logs_in_again() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    bmc.expire_all();
    let lock = hold_lock(&env, &bmc);
    let child = env.spawn(&bmc, &["get", &host, "/redfish/v1/Systems/1"], &PW);
    std::thread::sleep(Duration::from_millis(400));
    // A logout won the race: the entry is gone.
    fs::remove_file(env.entry_path(&bmc)).unwrap();
    drop(lock);
    let out = wait(child).ok();
    assert_eq!(out.json()["PowerState"], "On");
    assert_eq!(bmc.created(), 2, "exactly one new session");
    assert_eq!(bmc.live_sessions(), 1);
}

#[test]
fn a_signal_during_login_leaves_a_session_that_logout_finds() {
    for sig in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
        let bmc = Bmc::start(Profile::Generic);
        let env = Env::new();
        let host = bmc.host();
        bmc.faults(|f| f.delay = Duration::from_millis(600));
        let args = ["login", host.as_str(), "-u", USER];
        let child = env.spawn(&bmc, &args, &PW);
        // The service root has been answered; the session POST is now on its way.
        let start = Instant::now();
        while !bmc.state().requests.iter().any(|r| r.method == "GET") {
            assert!(start.elapsed() < Duration::from_secs(10));
            std::thread::sleep(Duration::from_millis(10));
        }
        std::thread::sleep(Duration::from_millis(200));
        unsafe { libc::kill(child.id() as i32, sig) };
        wait(child);
        bmc.faults(|f| f.delay = Duration::ZERO);
        assert_eq!(bmc.created(), 1, "signal {sig}");
        env.run(&bmc, &["logout", &host]).ok();
        assert_eq!(
            bmc.live_sessions(),
            0,
            "signal {sig}: a session nobody can find"
        );
    }
}

#[test]
fn a_huge_token_is_refused_at_login_and_its_session_deleted() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    bmc.faults(|f| f.token_size = 60_000);
    let out = env.login(&bmc).code(6);
    assert!(out.stderr.contains("token of 60000 bytes"), "{out:?}");
    assert!(out.stderr.contains("deleted again"), "{out:?}");
    assert_eq!(bmc.live_sessions(), 0);
    assert!(entry(&env, &bmc).is_none());
    // Below the limit, a large token works for every command.
    bmc.faults(|f| f.token_size = 12_000);
    env.login(&bmc).ok();
    env.run(&bmc, &["get", &bmc.host(), "Systems/1"]).ok();
    env.run(&bmc, &["logout", &bmc.host()]).ok();
    assert_eq!(bmc.live_sessions(), 0);
}

#[test]
fn a_location_naming_the_collection_is_not_the_session() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    bmc.faults(|f| f.location = Some("/redfish/v1/SessionService/Sessions".into()));
    env.login(&bmc).ok();
    let e = entry(&env, &bmc).unwrap();
    assert_ne!(e["session_uri"], "/redfish/v1/SessionService/Sessions");
    env.run(&bmc, &["logout", &bmc.host()]).ok();
    assert_eq!(bmc.live_sessions(), 0);
    let deletes: Vec<String> = bmc
        .state()
        .requests
        .iter()
        .filter(|r| r.method == "DELETE")
        .map(|r| r.path.clone())
        .collect();
    assert!(
        deletes
            .iter()
            .all(|p| p != "/redfish/v1/SessionService/Sessions"),
        "{deletes:?}"
    );
}

// `login --force` replaces the cached session only once the new one exists: a wrong
// password leaves the working session cached and alive; a full table ends the old one first.

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
