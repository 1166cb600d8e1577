//! The holes an adversarial review found (issue 13): each test failed on the code before
//! the fix and pins the promise the README makes.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use bmc_emulator::{Bmc, PASSWORD, Profile, USER};

use crate::common::{Env, hold_lock, logged_in, wait};

const PW: [(&str, &str); 1] = [("RFSESSION_PASSWORD", PASSWORD)];

fn entry(env: &Env, bmc: &Bmc) -> Option<serde_json::Value> {
    let text = fs::read_to_string(env.entry_path(bmc)).ok()?;
    Some(serde_json::from_str(&text).unwrap())
}

fn requests(bmc: &Bmc) -> usize {
    bmc.state().requests.len()
}

#[test]
fn a_pin_governs_every_login_until_k_login_force() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    env.run_bare(&["-k", "login", &host, "-u", USER]).ok();
    // The BMC expires the session; then another server answers on its address.
    bmc.expire_all();
    bmc.rotate_certificate();
    let before = requests(&bmc);
    for args in [
        vec!["-k", "login", &host, "-u", USER],
        vec!["-k", "login", &host, "-u", "operator"],
        vec!["login", &host, "-u", USER],
        vec!["get", &host, "/redfish/v1/Systems/1"],
    ] {
        let out = env.run_bare(&args).code(5);
        assert!(
            out.stderr.contains("changed since login"),
            "{args:?}: {out:?}"
        );
        assert_eq!(requests(&bmc), before, "{args:?} reached the other server");
    }
    assert_eq!(bmc.created(), 1);
    env.run_bare(&["-k", "login", &host, "--force"]).ok();
    assert_eq!(bmc.created(), 2);
    env.run_bare(&["get", &host, "/redfish/v1/Systems/1"]).ok();
}

#[test]
fn k_does_not_turn_off_verification_for_a_verified_session() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    bmc.serve_untrusted_certificate();
    let before = requests(&bmc);
    let out = env
        .run(&bmc, &["-k", "get", &host, "/redfish/v1/Systems/1"])
        .code(5);
    assert!(out.stderr.contains("not trusted"), "{out:?}");
    assert_eq!(
        requests(&bmc),
        before,
        "the token went to an unverified server"
    );
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
fn a_file_size_limit_leaves_no_session_and_no_partial_file() {
    let bmc = Bmc::start(Profile::Ilo5);
    let env = Env::new();
    let out = env.login_unable_to_write(&bmc).code(7);
    assert!(out.stderr.contains("deleted again"), "{out:?}");
    assert_eq!(bmc.created(), 1);
    assert_eq!(
        bmc.live_sessions(),
        0,
        "the uncached session was left on the BMC"
    );
    assert_eq!(partials(&env), Vec::<PathBuf>::new());
}

fn partials(env: &Env) -> Vec<PathBuf> {
    fs::read_dir(env.cache())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".partial"))
        .collect()
}

#[test]
fn partial_files_of_dead_writers_are_removed_by_the_next_writer() {
    let (bmc, env) = logged_in(Profile::Generic);
    let dead = std::process::Command::new("true").spawn().unwrap();
    let dead_pid = dead.id();
    wait(dead);
    let stale = env.cache().join(format!(".tmp-{dead_pid}-AbC123.partial"));
    let alive = env
        .cache()
        .join(format!(".tmp-{}-XyZ789.partial", std::process::id()));
    for p in [&stale, &alive] {
        fs::write(p, r#"{"token":"a live token"}"#).unwrap();
    }
    env.run_env(&bmc, &["login", &bmc.host(), "--force"], &PW)
        .ok();
    assert_eq!(partials(&env), vec![alive]);
}

#[test]
fn all_pages_is_bounded_and_never_partial() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let get = |path: &str| {
        env.run(
            &bmc,
            &["get", &host, path, "--all-pages", "--max-body", "4M"],
        )
    };
    let out = get("/redfish/v1/Broken/Endless").code(6);
    assert!(out.stderr.contains("exceeds 4194304 bytes"), "{out:?}");
    assert!(out.stdout.is_empty());
    let out = get("/redfish/v1/Broken/Loop").code(6);
    assert!(out.stderr.contains("a loop"), "{out:?}");
    assert!(out.stdout.is_empty());
    let out = get("/redfish/v1/Broken/Foreign").code(6);
    assert!(out.stderr.contains("points to another host"), "{out:?}");
}

#[test]
fn a_server_that_never_completes_tls_costs_one_timeout() {
    let (bmc, env) = logged_in(Profile::Generic);
    bmc.faults(|f| f.hang_all = true);
    let start = Instant::now();
    let out = env
        .run(&bmc, &["--timeout", "1", "get", &bmc.host(), "Systems/1"])
        .code(5);
    assert!(
        start.elapsed() < Duration::from_millis(1900),
        "{:?}",
        start.elapsed()
    );
    assert!(out.stderr.contains("no answer within 1s"), "{out:?}");
    bmc.faults(|f| f.hang_all = false);
}

#[test]
fn a_name_that_does_not_resolve_says_so() {
    let env = Env::new();
    let out = env
        .run_bare(&["login", "no-such-bmc.invalid", "-u", USER])
        .code(5);
    assert!(out.stderr.contains("cannot resolve"), "{out:?}");
}

#[test]
fn an_unreadable_cacert_is_a_usage_error() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let empty = env.dir.path().join("empty.pem");
    fs::write(&empty, "").unwrap();
    for ca in [env.dir.path().join("missing.pem"), empty] {
        let mut c = env.cmd(Some(&ca), &["login", &bmc.host(), "-u", USER]);
        c.envs(PW);
        assert_eq!(c.output().unwrap().status.code(), Some(2), "{ca:?}");
    }
}

#[test]
fn host_names_of_any_valid_length_work() {
    let env = Env::new();
    let label = "b".repeat(63);
    let name = format!("{label}.{label}.{label}.{}", "c".repeat(61));
    let out = env.run_bare(&["-v", "logout", &name]).ok();
    assert!(out.stderr.contains("not logged in"), "{out:?}");
    env.run_bare(&["whoami", &name]).code(4);
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
fn control_characters_from_the_bmc_are_escaped() {
    let (bmc, env) = logged_in(Profile::Generic);
    bmc.add_session("evil\u{1b}[2J\r\n*  1  admin  all good");
    let out = env.run(&bmc, &["sessions", &bmc.host()]).ok();
    assert!(
        !out.stdout.contains('\u{1b}') && !out.stdout.contains('\r'),
        "{out:?}"
    );
    assert!(out.stdout.contains("evil\\u{1b}[2J\\r\\n*"), "{out:?}");
    assert_eq!(out.stdout.lines().count(), 3, "{out:?}");
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

#[test]
fn a_cache_path_through_another_users_symlink_is_refused() {
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: needs root to give a symlink to another user");
        return;
    }
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let shared = env.dir.path().join("shared");
    fs::create_dir(&shared).unwrap();
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o1777)).unwrap();
    let real = env.dir.path().join("real");
    fs::create_dir(&real).unwrap();
    fs::set_permissions(&real, fs::Permissions::from_mode(0o700)).unwrap();
    let link = shared.join("cache");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    std::os::unix::fs::lchown(&link, Some(65534), Some(65534)).unwrap();
    let mut c = env.cmd(Some(bmc.ca_path()), &["login", &bmc.host(), "-u", USER]);
    c.env("RFSESSION_CACHE_DIR", &link).envs(PW);
    let o = c.output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(7), "{err}");
    assert!(err.contains("owned by uid 65534"), "{err}");
    assert_eq!(
        bmc.created(),
        0,
        "nothing may be sent before the cache is safe"
    );
    assert_eq!(fs::read_dir(&real).unwrap().count(), 0);
}

#[test]
fn ipv4_mapped_ipv6_and_ipv4_are_one_entry() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let port = bmc.addr().port();
    let mapped = format!("[::ffff:127.0.0.1]:{port}");
    env.run_env(&bmc, &["login", &mapped, "-u", USER], &PW).ok();
    let out = env.login_with(&bmc, &["-v"]).ok();
    assert!(out.stderr.contains("reusing"), "{out:?}");
    assert_eq!(bmc.created(), 1);
}

#[test]
fn a_relative_redirect_is_followed_on_the_same_host() {
    let (bmc, env) = logged_in(Profile::Generic);
    let out = env
        .run(&bmc, &["get", &bmc.host(), "/redfish/v1/RelativeRedirect"])
        .ok();
    assert_eq!(out.json()["Id"], "1", "{out:?}");
}

#[test]
fn no_core_dumps_and_a_lock_wait_is_announced_once() {
    let (bmc, env) = logged_in(Profile::Generic);
    let lock = hold_lock(&env, &bmc);
    // -v: the notice is informational, shown on a terminal or when asked.
    let child = env.spawn(&bmc, &["-v", "--timeout", "3", "logout", &bmc.host()], &[]);
    std::thread::sleep(Duration::from_millis(300));
    let limits = fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    assert_eq!(core.split_whitespace().nth(4), Some("0"), "{core}");
    let out = wait(child).code(7);
    drop(lock);
    assert_eq!(
        out.stderr.matches("waiting for the lock on").count(),
        1,
        "{out:?}"
    );
}
