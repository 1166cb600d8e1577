//! The cache on disk: one private entry per host (however HOST is written), corrupt,
//! foreign and partial files, symlinks, and what a failed write leaves behind.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use bmc_emulator::{Bmc, Profile, USER};

use crate::common::{Env, PW, logged_in, wait};

fn partials(env: &Env) -> Vec<PathBuf> {
    fs::read_dir(env.cache())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".partial"))
        .collect()
}

#[test]
fn host_forms_share_one_entry() {
    let (bmc, env) = crate::common::logged_in(Profile::Generic);
    let url = format!("{}/", bmc.url().to_uppercase().replace("HTTPS", "https"));
    env.run(&bmc, &["get", &url, "/redfish/v1/Systems"]).ok();
    env.run(
        &bmc,
        &["get", &bmc.host(), "Systems/1", "--pointer", "/PowerState"],
    )
    .ok();
    let listed = env
        .run(&bmc, &["--json", "sessions", "--cached"])
        .ok()
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

#[test]
fn corrupt_entry_exits_7_and_spares_other_hosts() {
    let good = Bmc::start(Profile::Generic);
    let bad = Bmc::start(Profile::Generic);
    let env = Env::new();
    env.login(&good).ok();
    env.login(&bad).ok();
    std::fs::write(env.entry_path(&bad), b"{\"format\": 1, \"tok").unwrap();
    let out = env
        .run(&bad, &["get", &bad.host(), "/redfish/v1/Systems/1"])
        .code(7);
    assert!(
        out.stderr
            .contains(&env.entry_path(&bad).display().to_string()),
        "{out:?}"
    );
    assert!(!out.stderr.contains("panicked"));
    // login refuses to overwrite it: the session it held may still exist.
    env.login(&bad).code(7);
    assert_eq!(bad.created(), 1);
    env.run(&good, &["get", &good.host(), "/redfish/v1/Systems/1"])
        .ok();
    let out = env.run(&good, &["sessions", "--cached"]).code(7);
    assert!(out.stdout.contains(&good.host()), "{out:?}");
    // A foreign JSON file is reported, not misread.
    std::fs::write(env.entry_path(&bad), b"{\"hello\": \"world\"}").unwrap();
    let out = env.run(&bad, &["whoami", &bad.host()]).code(7);
    assert!(out.stderr.contains("not an rfsession entry"), "{out:?}");
}

#[test]
fn cache_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let (bmc, env) = crate::common::logged_in(Profile::Generic);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&env.cache()), 0o700);
    assert_eq!(mode(&env.entry_path(&bmc)), 0o600);
    for e in std::fs::read_dir(env.cache()).unwrap() {
        assert_eq!(mode(&e.unwrap().path()), 0o600);
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
