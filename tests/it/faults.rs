//! Every fault a BMC or the network throws: one clear line naming the host, the documented
//! exit code, the cache entry kept while the session may exist, and no token anywhere.

use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

use bmc_emulator::{Bmc, Config, PASSWORD, Profile, USER};

use crate::common::{Env, Out, PW, logged_in};

/// One line on stderr, naming the host, with no panic and no token of this BMC in it.
#[track_caller]
fn clean_error(out: &Out, bmc: &Bmc) {
    assert_eq!(out.stderr.lines().count(), 1, "one line expected: {out:#?}");
    assert!(out.stderr.contains(&bmc.host()), "host not named: {out:#?}");
    assert!(!out.stderr.contains("panicked") && !out.stderr.contains("RUST_BACKTRACE"));
    for t in bmc.tokens() {
        assert!(!out.all().contains(&t), "token leaked: {out:#?}");
    }
}

#[test]
fn delete_500_is_retried_then_the_entry_kept() {
    let (bmc, env) = crate::common::logged_in(Profile::Generic);
    bmc.faults(|f| f.delete_status = [500, 500, 500].into());
    let out = env.run(&bmc, &["logout", &bmc.host()]).code(6);
    clean_error(&out, &bmc);
    assert!(
        out.stderr.contains("HTTP 500") && out.stderr.contains("internal service error"),
        "{out:?}"
    );
    assert!(
        env.entry_path(&bmc).exists(),
        "entry dropped while the session lives"
    );
    assert_eq!(
        bmc.state()
            .requests
            .iter()
            .filter(|r| r.method == "DELETE")
            .count(),
        3
    );
    env.run(&bmc, &["logout", &bmc.host()]).ok();
    assert_eq!(bmc.live_sessions(), 0);
    // One 500 then success: the retry finishes the job in one run.
    env.login(&bmc).ok();
    bmc.faults(|f| f.delete_status = [503].into());
    env.run(&bmc, &["logout", &bmc.host()]).ok();
    assert_eq!(bmc.live_sessions(), 0);
}

#[test]
fn delete_that_hangs_times_out_and_keeps_the_entry() {
    let (bmc, env) = crate::common::logged_in(Profile::Ilo4);
    bmc.faults(|f| f.delete_hang = true);
    let start = Instant::now();
    let out = env
        .run(&bmc, &["--timeout", "1", "logout", &bmc.host()])
        .code(5);
    assert!(start.elapsed() < Duration::from_secs(5));
    clean_error(&out, &bmc);
    assert!(out.stderr.contains("no answer within 1s"), "{out:?}");
    assert!(env.entry_path(&bmc).exists());
    bmc.faults(|f| f.delete_hang = false);
    env.run(&bmc, &["logout", &bmc.host()]).ok();
    assert_eq!(bmc.live_sessions(), 0);
}

#[test]
fn busy_bmc_retry_after_is_honoured_and_capped() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    bmc.faults(|f| {
        f.post_busy = 2;
        f.retry_after = 1;
    });
    let start = Instant::now();
    env.login(&bmc).ok();
    assert!(
        start.elapsed() >= Duration::from_secs(2),
        "did not wait as told"
    );
    env.run(&bmc, &["logout", &bmc.host()]).ok();

    bmc.faults(|f| f.post_busy = 5);
    let out = env.login(&bmc).code(6);
    clean_error(&out, &bmc);
    assert!(out.stderr.contains("HTTP 503"), "{out:?}");
    let posts = |b: &Bmc| {
        b.state()
            .requests
            .iter()
            .filter(|r| r.method == "POST")
            .count()
    };
    assert_eq!(posts(&bmc), 3 + 3, "three tries per login");

    // Retry-After: 60 is capped at 10 s in all.
    let bmc = Bmc::start(Profile::Generic);
    bmc.faults(|f| {
        f.post_busy = 1;
        f.retry_after = 60;
    });
    let start = Instant::now();
    env.login(&bmc).ok();
    let took = start.elapsed();
    assert!(
        took >= Duration::from_secs(10) && took < Duration::from_secs(15),
        "{took:?}"
    );
}

#[test]
fn full_session_table_says_what_to_do() {
    for profile in [Profile::Idrac, Profile::Ilo5, Profile::Generic] {
        let mut cfg = Config::new(profile);
        cfg.session_limit = 3;
        let bmc = Bmc::with_config(cfg);
        let env = Env::new();
        env.login(&bmc).ok();
        let stale = bmc.add_session("old-script");
        bmc.add_session("old-script");
        let other = Env::new();
        let out = other.login(&bmc).code(6);
        clean_error(&out, &bmc);
        assert!(out.stderr.contains("session table is full"), "{out:?}");
        assert!(
            out.stderr.contains(&format!(
                "rfsession sessions {}",
                format_args!("https://{}", bmc.host())
            )),
            "{out:?}"
        );
        assert!(out.stderr.contains("--others --older-than 1h"), "{out:?}");
        assert!(out.stderr.contains("--reclaim=1h"), "{out:?}");
        // The operator who still has a session clears a stale one by id.
        let listed = env.run(&bmc, &["sessions", &bmc.host()]).ok();
        assert!(listed.stdout.contains(&stale.id));
        env.run(&bmc, &["logout", &bmc.host(), "--session", &stale.id])
            .ok();
        assert_eq!(bmc.live_sessions(), 2);
        assert!(
            env.entry_path(&bmc).exists(),
            "deleting another session must keep ours"
        );
        other.login(&bmc).ok();
    }
}

#[test]
fn connection_reset_retries_a_get_once() {
    let (bmc, env) = crate::common::logged_in(Profile::Generic);
    bmc.faults(|f| f.reset_gets = 1);
    env.run(&bmc, &["get", &bmc.host(), "/redfish/v1/Systems/1"])
        .ok();
    bmc.faults(|f| f.reset_gets = 2);
    let out = env
        .run(&bmc, &["get", &bmc.host(), "/redfish/v1/Systems/1"])
        .code(5);
    clean_error(&out, &bmc);
    assert!(out.stderr.contains("closed"), "{out:?}");
}

#[test]
fn invalid_json_and_html_pages_are_named_not_dumped() {
    let (bmc, env) = crate::common::logged_in(Profile::Idrac);
    let host = bmc.host();
    let out = env
        .run(&bmc, &["get", &host, "/redfish/v1/Broken/Truncated"])
        .code(6);
    clean_error(&out, &bmc);
    assert!(
        out.stderr.contains("/redfish/v1/Broken/Truncated") && out.stderr.contains("invalid JSON"),
        "{out:?}"
    );
    let raw = env
        .run(
            &bmc,
            &["get", &host, "/redfish/v1/Broken/Truncated", "--raw"],
        )
        .ok();
    assert_eq!(
        raw.stdout,
        r#"{"Id": "1", "Members": [{"@odata.id": "/redfish/v1/Sys"#
    );

    let out = env
        .run(&bmc, &["get", &host, "/redfish/v1/Broken/Html"])
        .code(6);
    clean_error(&out, &bmc);
    assert!(out.stderr.contains("HTTP 502: 502 Bad Gateway"), "{out:?}");
    assert!(
        !out.stderr.contains('<') && !out.stderr.contains("nginx"),
        "{out:?}"
    );
}

#[test]
fn huge_bodies_stream_with_flat_memory_or_are_refused() {
    let (bmc, env) = crate::common::logged_in(Profile::Generic);
    let host = bmc.host();
    let out = env
        .run(&bmc, &["get", &host, "/redfish/v1/Broken/Huge?mb=200"])
        .code(6);
    clean_error(&out, &bmc);
    assert!(
        out.stderr.contains("exceeds 67108864 bytes") && out.stderr.contains("--raw"),
        "{out:?}"
    );

    let mut child = env
        .cmd(
            Some(bmc.ca_path()),
            &["get", &host, "/redfish/v1/Broken/Huge?mb=200", "--raw"],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    // The peak RSS of the child's own memory (VmHWM), read near the end of the stream while
    // it waits on the pipe. (wait4's ru_maxrss would also count this test process, whose
    // memory a vfork-spawned child shares until exec.)
    let status = format!("/proc/{}/status", child.id());
    let counter = std::thread::spawn(move || {
        let mut buf = vec![0u8; 1 << 16];
        let (mut n, mut peak_kb) = (0u64, 0u64);
        loop {
            match stdout.read(&mut buf).unwrap() {
                0 => return (n, peak_kb),
                k => n += k as u64,
            }
            if peak_kb == 0 && n >= 190 << 20 {
                let text = std::fs::read_to_string(&status).unwrap();
                let line = text.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
                peak_kb = line.split_whitespace().nth(1).unwrap().parse().unwrap();
            }
        }
    });
    assert!(child.wait().unwrap().success());
    let (bytes, peak_kb) = counter.join().unwrap();
    assert_eq!(bytes, 200 << 20);
    let peak_mb = peak_kb / 1024;
    assert!(peak_mb > 0, "no VmHWM read");
    assert!(peak_mb < 32, "streaming 200 MB took {peak_mb} MB of memory");
}

#[test]
fn password_change_required_is_shown_and_login_succeeds() {
    let bmc = Bmc::start(Profile::Generic);
    bmc.faults(|f| f.password_change = true);
    let env = Env::new();
    let out = env.login(&bmc).ok();
    assert!(
        out.stderr.contains("password change") && out.stderr.contains("must be changed"),
        "{out:?}"
    );
}

#[test]
fn slow_bmc_is_bounded_by_timeout() {
    let (bmc, env) = crate::common::logged_in(Profile::Generic);
    bmc.faults(|f| f.delay = Duration::from_secs(4));
    let start = Instant::now();
    let out = env
        .run(
            &bmc,
            &[
                "--timeout",
                "1",
                "get",
                &bmc.host(),
                "/redfish/v1/Systems/1",
            ],
        )
        .code(5);
    assert!(
        start.elapsed() < Duration::from_millis(3500),
        "{:?}",
        start.elapsed()
    );
    clean_error(&out, &bmc);
    let out = env
        .run(&bmc, &["--timeout", "0.5", "whoami", &bmc.host()])
        .code(5);
    clean_error(&out, &bmc);
}

#[test]
fn a_location_naming_another_host_never_gets_the_token() {
    let bmc = Bmc::start(Profile::Ilo5);
    let mut cfg = Config::new(Profile::Generic);
    cfg.ip = "127.0.0.2".parse().unwrap();
    let other = Bmc::with_config(cfg);
    let env = Env::new();
    bmc.faults(|f| {
        f.location = Some(format!(
            "https://{}/redfish/v1/SessionService/Sessions/{{id}}",
            other.host()
        ))
    });
    env.login(&bmc).ok();
    env.run(&bmc, &["get", &bmc.host(), "/redfish/v1/Systems/1"])
        .ok();
    env.run(&bmc, &["logout", &bmc.host()]).ok();
    assert_eq!(
        bmc.live_sessions(),
        0,
        "the path of the foreign Location was used on the right host"
    );

    // No Location, and an @odata.id on another host and scheme.
    bmc.faults(|f| {
        f.location = Some(String::new());
        f.body_odata_id = Some(format!(
            "http://{}/redfish/v1/SessionService/Sessions/x",
            other.host()
        ));
    });
    env.login(&bmc).ok();
    env.run(&bmc, &["logout", &bmc.host()]).ok();
    assert_eq!(
        other.state().requests.len(),
        0,
        "the other host was contacted"
    );
}

#[test]
fn redirects_are_followed_only_on_the_same_origin() {
    let bmc = Bmc::start(Profile::Generic);
    let mut cfg = Config::new(Profile::Generic);
    cfg.ip = "127.0.0.3".parse().unwrap();
    let other = Bmc::with_config(cfg);
    let env = Env::new();
    env.login(&bmc).ok();
    let out = env
        .run(&bmc, &["get", &bmc.host(), "/redfish/v1/Redirect/Same"])
        .ok();
    assert_eq!(out.json()["PowerState"], "On");
    for target in [
        format!("https://{}/redfish/v1/Systems/1", other.host()),
        format!("http://{}/redfish/v1/Systems/1", bmc.host()),
    ] {
        let path = format!("/redfish/v1/Redirect/To?url={target}");
        let out = env.run(&bmc, &["get", &bmc.host(), &path]).code(6);
        clean_error(&out, &bmc);
        assert!(
            out.stderr.contains("refused to follow a redirect"),
            "{out:?}"
        );
    }
    assert_eq!(other.state().requests.len(), 0);
}

#[test]
fn a_changed_certificate_stops_a_pinned_token() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    let k = |args: &[&str]| {
        let mut c = env.cmd(None, args);
        c.envs(PW);
        let o = c.output().unwrap();
        Out {
            code: o.status.code().unwrap(),
            stdout: String::from_utf8_lossy(&o.stdout).into(),
            stderr: String::from_utf8_lossy(&o.stderr).into(),
        }
    };
    k(&["-k", "login", &host, "-u", USER]).ok();
    k(&["get", &host, "/redfish/v1/Systems/1"]).ok();
    let before = bmc.state().requests.len();
    bmc.rotate_certificate();
    let out = k(&["get", &host, "/redfish/v1/Systems/1"]).code(5);
    clean_error(&out, &bmc);
    assert!(
        out.stderr.contains("certificate changed since login"),
        "{out:?}"
    );
    assert!(
        out.stderr.matches(':').count() >= 62,
        "both fingerprints shown: {out:?}"
    );
    assert!(out.stderr.contains("-k --force"), "{out:?}");
    assert_eq!(
        bmc.state().requests.len(),
        before,
        "a request reached the changed server"
    );
    // --cacert or -k on a later command does not override the pin.
    k(&["-k", "get", &host, "/redfish/v1/Systems/1"]).code(5);
    // The way out the message names: a new pinned login; the old session is left to expire.
    let out = k(&["-k", "login", &host, "--force"]).ok();
    assert!(out.stderr.contains("will expire"), "{out:?}");
    k(&["get", &host, "/redfish/v1/Systems/1"]).ok();
}

#[test]
fn a_session_nothing_identifies_is_not_forgotten() {
    // No Location, no @odata.id, no MySession, no Context kept: logout cannot tell which
    // session is ours, so it says how to find it and keeps the entry.
    let bmc = crate::common::unidentifiable();
    let env = Env::new();
    env.login(&bmc).ok();
    let out = env.run(&bmc, &["logout", &bmc.host()]).code(6);
    clean_error(&out, &bmc);
    assert!(out.stderr.contains("--session ID"), "{out:?}");
    assert!(env.entry_path(&bmc).exists());
    let id = bmc.state().sessions[0].id.clone();
    env.run(&bmc, &["logout", &bmc.host(), "--session", &id])
        .ok();
    assert_eq!(bmc.live_sessions(), 0);
    assert!(
        !env.entry_path(&bmc).exists(),
        "the entry of the deleted session was kept"
    );
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
fn a_relative_redirect_is_followed_on_the_same_host() {
    let (bmc, env) = logged_in(Profile::Generic);
    let out = env
        .run(&bmc, &["get", &bmc.host(), "/redfish/v1/RelativeRedirect"])
        .ok();
    assert_eq!(out.json()["Id"], "1", "{out:?}");
}
