//! The five subcommands, end to end: the built binary against the emulated BMC over TLS.

use crate::common::Env;
use bmc_emulator::{Bmc, Config, PASSWORD, Profile, USER};

#[test]
fn every_subcommand_on_every_profile() {
    for profile in Profile::with_sessions() {
        let bmc = Bmc::start(profile);
        let env = Env::new();
        let host = bmc.host();
        let name = profile.name();

        // -v: what went well is said on a terminal or when asked.
        let out = env.login_with(&bmc, &["-v"]).ok();
        assert!(out.stderr.contains("logged in as admin"), "{name}: {out:?}");
        assert_eq!(bmc.created(), 1, "{name}");

        // A second process reuses the session: nothing new on the BMC.
        let out = env.login_with(&bmc, &["-v"]).ok();
        assert!(out.stderr.contains("reusing"), "{name}: {out:?}");
        assert_eq!(
            bmc.created(),
            1,
            "{name}: a second login must create no session"
        );

        let out = env.run(&bmc, &["get", &host, "/redfish/v1/Systems/1"]).ok();
        assert_eq!(out.json()["PowerState"], "On", "{name}");

        let out = env.run(&bmc, &["--json", "sessions", &host]).ok();
        let list = out.json();
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 1, "{name}: {out:?}");
        assert_eq!(
            list[0]["mine"], true,
            "{name}: own session not marked: {out:?}"
        );
        assert_eq!(list[0]["user"], USER);

        let out = env.run(&bmc, &["--json", "whoami", &host]).ok();
        let who = out.json();
        assert_eq!(who["valid"], true);
        assert_eq!(who["user"], USER);
        assert_eq!(who["host"], format!("https://{host}"));

        let out = env.run(&bmc, &["--json", "logout", &host]).ok();
        assert_eq!(out.json()["logged_out"], true, "{name}");
        assert_eq!(
            bmc.live_sessions(),
            0,
            "{name}: logout left the session on the BMC"
        );
        assert_eq!(bmc.state().deleted, 1, "{name}");
        assert!(
            !env.entry_path(&bmc).exists(),
            "{name}: entry kept after logout"
        );

        env.run(&bmc, &["whoami", &host]).code(4);
        env.run(&bmc, &["get", &host, "/redfish/v1/Systems/1"])
            .code(4);
    }
}

#[test]
fn session_uri_resolution_per_profile() {
    for (profile, uri_prefix) in [
        (Profile::Generic, "/redfish/v1/SessionService/Sessions/"),
        (Profile::Ilo4, "/redfish/v1/SessionService/Sessions/admin"),
        (
            Profile::Odim,
            "/redfish/v1/SessionService/Sessions/3f2a6c1e",
        ),
        (Profile::NoContent, "/redfish/v1/SessionService/Sessions/"),
    ] {
        let bmc = Bmc::start(profile);
        let env = Env::new();
        let out = env.login_with(&bmc, &["--json"]).ok();
        let uri = out.json()["session_uri"].as_str().unwrap().to_owned();
        assert!(uri.starts_with(uri_prefix), "{}: {uri}", profile.name());
        assert!(
            !uri.ends_with('/'),
            "{}: trailing slash kept: {uri}",
            profile.name()
        );
    }
    // No Location: the URI stays empty at login and logout finds the session by MySession.
    let bmc = Bmc::start(Profile::NoLocation);
    let env = Env::new();
    let out = env.login_with(&bmc, &["--json"]).ok();
    assert_eq!(out.json()["session_uri"], "");
    bmc.add_session("someone-else");
    env.run(&bmc, &["logout", &bmc.host()]).ok();
    assert_eq!(
        bmc.live_sessions(),
        1,
        "the other user's session must survive"
    );
    assert!(bmc.state().sessions[0].user == "someone-else");
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
fn unreachable_host_exits_5() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = format!("127.0.0.1:{port}");
    let out = env
        .run_env(
            &bmc,
            &["login", &host, "-u", USER],
            &[("RFSESSION_PASSWORD", PASSWORD)],
        )
        .code(5);
    assert!(
        out.stderr.contains(&host) && out.stderr.contains("cannot connect"),
        "{out:?}"
    );
}

#[test]
fn untrusted_certificate_exits_5_and_k_pins_it() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    let pw = [("RFSESSION_PASSWORD", PASSWORD)];
    // No --cacert: the system store does not know the emulator's CA.
    let mut c = env.cmd(None, &["login", &host, "-u", USER]);
    c.envs(pw);
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(5), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not trusted") && err.contains("--cacert"),
        "{err}"
    );

    let mut c = env.cmd(None, &["-k", "--json", "login", &host, "-u", USER]);
    c.envs(pw);
    assert!(c.status().unwrap().success());
    let entry: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.entry_path(&bmc)).unwrap()).unwrap();
    let fp = entry["tls_fingerprint"]
        .as_str()
        .expect("fingerprint pinned");
    assert_eq!(fp.len(), 95);
    // Later commands need no -k: the pinned certificate is trusted.
    let out = env
        .cmd(None, &["get", &host, "/redfish/v1/Systems/1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
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
fn password_sources_in_order() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    let file = env.dir.path().join("pw");
    std::fs::write(&file, format!("{PASSWORD}\n")).unwrap();
    let mut perms = std::fs::metadata(&file).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o600);
    std::fs::set_permissions(&file, perms).unwrap();

    let f = file.to_str().unwrap();
    env.run(
        &bmc,
        &["login", &host, "-u", USER, "--password-file", f, "--force"],
    )
    .ok();
    env.run_stdin(
        &bmc,
        &["login", &host, "-u", USER, "--password-stdin", "--force"],
        &format!("{PASSWORD}\n"),
    )
    .ok();
    let out = env
        .run(
            &bmc,
            &["login", &host, "-u", USER, "-p", PASSWORD, "--force"],
        )
        .ok();
    assert!(out.stderr.contains("process list"), "{out:?}");
    // A flag beats the environment.
    env.run_env(
        &bmc,
        &["login", &host, "-u", USER, "--password-file", f, "--force"],
        &[("RFSESSION_PASSWORD", "wrong")],
    )
    .ok();
    // No source and no terminal: a clear usage error.
    let out = env.run(&bmc, &["login", &host, "-u", "operator"]).code(2);
    assert!(out.stderr.contains("no password"), "{out:?}");
    let out = env.run(&bmc, &["login", &format!("{host}x")]).code(2);
    assert!(out.stderr.contains("invalid HOST"), "{out:?}");
    // Each --force ended the session it replaced.
    assert_eq!(bmc.live_sessions(), 1);
    assert_eq!(bmc.created(), 4);
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
fn plain_http_works_with_a_warning() {
    let mut cfg = Config::new(Profile::Generic);
    cfg.tls = false;
    let bmc = Bmc::with_config(cfg);
    let env = Env::new();
    let url = bmc.url();
    let out = env
        .run_env(
            &bmc,
            &["login", &url, "-u", USER],
            &[("RFSESSION_PASSWORD", PASSWORD)],
        )
        .ok();
    assert!(out.stderr.contains("clear text"), "{out:?}");
    env.run(&bmc, &["get", &url, "/redfish/v1/Systems/1"]).ok();
    env.run(&bmc, &["logout", &url]).ok();
    assert_eq!(bmc.live_sessions(), 0);
}

#[test]
fn cached_listing_shows_no_token_and_json_keys() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let out = env.login_with(&bmc, &["--json"]).ok();
    let login = out.json();
    for k in ["host", "user", "session_uri", "created", "valid"] {
        assert!(login.get(k).is_some(), "login --json lacks {k}");
    }
    let out = env.run(&bmc, &["--json", "sessions", "--cached"]).ok();
    let row = &out.json()[0];
    for k in ["host", "user", "session_uri", "created"] {
        assert!(row.get(k).is_some(), "sessions --cached lacks {k}");
    }
    let text = env.run(&bmc, &["sessions", "--cached"]).ok();
    for t in bmc.tokens() {
        assert!(
            !out.all().contains(&t) && !text.all().contains(&t),
            "token shown"
        );
    }
    let out = env.run(&bmc, &["--json", "sessions", &bmc.host()]).ok();
    for k in ["id", "user", "uri", "created", "origin", "mine"] {
        assert!(out.json()[0].get(k).is_some(), "sessions --json lacks {k}");
    }
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
fn exec_help_says_when_it_logs_in_again() {
    let env = Env::new();
    let out = env.run_bare(&["exec", "--help"]).ok();
    // As one line: clap wraps the help at the terminal's width.
    let text = out.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        !text.contains("No new session is created"),
        "exec logs in again after expiry: {text}"
    );
    assert!(
        text.contains("logging in again when it was dropped")
            && text.contains("A session is created only by that login again"),
        "{text}"
    );
}
