//! Connection persistence (issue 12): a keeper per host holds the TLS connection. Output and
//! exit codes are the same with and without it; a call never depends on it.

use std::time::{Duration, Instant};

use bmc_emulator::{Bmc, Config, PASSWORD, Profile};

use crate::common::{Env, Out, logged_in, wait};

const PERSIST: (&str, &str) = ("RFSESSION_PERSIST", "60s");

/// The keeper's pid, once it listens (waits up to 5 s).
fn keeper(env: &Env, bmc: &Bmc) -> Option<u32> {
    let start = Instant::now();
    loop {
        let out = env.run(bmc, &["--json", "sessions", "--cached"]).json();
        if let Some(pid) = out[0]["keeper_pid"].as_u64() {
            return Some(pid as u32);
        }
        if start.elapsed() > Duration::from_secs(5) {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn alive(pid: u32) -> bool {
    unsafe { libc::kill(pid as i32, 0) == 0 }
}

fn gone_within(pid: u32, limit: Duration) -> bool {
    let start = Instant::now();
    while alive(pid) {
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    true
}

/// Every scenario's (exit, stdout, stderr), on a fresh BMC, with or without persistence.
fn scenarios(persist: bool) -> (Vec<String>, u64) {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let with: &[(&str, &str)] = if persist { &[PERSIST] } else { &[] };
    let run = |args: &[&str], extra: &[(&str, &str)]| -> Out {
        let mut all = with.to_vec();
        all.extend_from_slice(extra);
        env.run_env(&bmc, args, &all)
    };
    run(&["get", &host, "/redfish/v1/"], &[]).ok();
    if persist {
        assert!(keeper(&env, &bmc).is_some(), "no keeper started");
    }
    let connections = bmc.state().connections;
    let reset = "Systems/1/Actions/ComputerSystem.Reset";
    let cases: Vec<Vec<&str>> = vec![
        vec!["get", &host, "Systems/1"],
        vec!["get", &host, "Systems/1", "--pointer", "/PowerState"],
        vec![
            "get",
            &host,
            "Systems/1",
            "/redfish/v1/Managers/1",
            "--ndjson",
        ],
        vec![
            "get",
            &host,
            "/redfish/v1/Managers/1/LogServices/Log/Entries",
            "--all-pages",
        ],
        vec!["get", &host, "/redfish/v1/Nothing/Here"],
        vec!["get", &host, "/redfish/v1/Broken/Truncated"],
        vec!["get", &host, "/redfish/v1/Broken/Html"],
        vec!["get", &host, "/redfish/v1/Broken/Truncated", "--raw"],
        vec![
            "get",
            &host,
            "/redfish/v1/Broken/Huge?mb=2",
            "--max-body",
            "1M",
        ],
        vec!["get", &host, "/redfish/v1/Broken/Foreign", "--all-pages"],
        vec!["get", &host, "/redfish/v1/Redirect/Same"],
        vec!["patch", &host, "Systems/1", "AssetTag=rack-12"],
        vec![
            "patch",
            &host,
            "Systems/1",
            "AssetTag=x",
            "--if-match",
            "\"sys-1\"",
        ],
        vec!["post", &host, reset, "ResetType=ForceOff"],
        vec!["delete", &host, "EventService/Subscriptions/none"],
        vec!["--json", "whoami", &host],
    ];
    let mut seen = Vec::new();
    for args in &cases {
        let out = run(args, &[]);
        seen.push(format!(
            "{args:?} -> {} {:?} {:?}",
            out.code, out.stdout, out.stderr
        ));
    }
    // A dropped session: exit 4 without a password, a new login with one.
    bmc.expire_all();
    for extra in [vec![], vec![("RFSESSION_PASSWORD", PASSWORD)]] {
        let out = run(
            &["get", &host, "Systems/1", "--pointer", "/AssetTag"],
            &extra,
        );
        seen.push(format!(
            "expired -> {} {:?} {:?}",
            out.code, out.stdout, out.stderr
        ));
    }
    let used = bmc.state().connections - connections;
    let port = bmc.addr().port().to_string();
    let seen = seen
        .into_iter()
        .map(|l| {
            // Each run has its own BMC: the port differs, and so do the login time and idle
            // seconds.
            let l = without_timestamps(&l.replace(&port, "PORT"));
            let cut = l.find("idle_seconds").map_or(l.len(), |i| i);
            l[..cut].to_owned()
        })
        .collect();
    (seen, used)
}

/// `2026-11-30T00:27:53Z` as `TIME`.
fn without_timestamps(s: &str) -> String {
    let shape = |w: &[u8]| {
        w.len() == 20
            && w.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                10 => *b == b'T',
                13 | 16 => *b == b':',
                19 => *b == b'Z',
                _ => b.is_ascii_digit(),
            })
    };
    let mut out = String::new();
    let mut i = 0;
    while i < s.len() {
        if s.is_char_boundary(i) && s.len() >= i + 20 && shape(&s.as_bytes()[i..i + 20]) {
            out.push_str("TIME");
            i += 20;
        } else {
            let c = s[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

#[test]
fn output_and_exit_codes_are_the_same_with_and_without_persistence() {
    let (direct, direct_connections) = scenarios(false);
    let (kept, kept_connections) = scenarios(true);
    for (a, b) in direct.iter().zip(&kept) {
        assert_eq!(a, b);
    }
    assert_eq!(direct.len(), kept.len());
    // Without persistence every call opens its connection; with it, the keeper's one does
    // (and a few after a re-login or a write that closed it).
    assert!(direct_connections >= 17, "{direct_connections}");
    assert!(
        kept_connections <= 6,
        "{kept_connections} connections through the keeper"
    );
}

#[test]
fn a_keeper_killed_mid_request_costs_the_call_nothing() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    env.run_env(&bmc, &["get", &host, "Systems/1"], &[PERSIST])
        .ok();
    let pid = keeper(&env, &bmc).expect("a keeper");
    bmc.faults(|f| f.delay = Duration::from_millis(800));
    let child = env.spawn(
        &bmc,
        &["get", &host, "Systems/1", "--pointer", "/Id"],
        &[PERSIST],
    );
    std::thread::sleep(Duration::from_millis(300));
    unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    let out = wait(child).ok();
    assert_eq!(out.stdout, "1\n", "the GET was sent again directly");
    // A write is not sent twice: it may have reached the BMC.
    env.run_env(&bmc, &["get", &host, "Systems/1"], &[PERSIST])
        .ok();
    let pid = keeper(&env, &bmc).expect("a new keeper");
    let reset = "Systems/1/Actions/ComputerSystem.Reset";
    let child = env.spawn(&bmc, &["post", &host, reset, "ResetType=On"], &[PERSIST]);
    std::thread::sleep(Duration::from_millis(300));
    unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    let out = wait(child).code(5);
    assert!(
        out.stderr.contains("the POST may have been applied"),
        "{out:?}"
    );
}

#[test]
fn a_connection_the_bmc_closed_when_idle_is_opened_again() {
    let mut cfg = Config::new(Profile::Generic);
    cfg.idle_close = Duration::from_secs(1);
    let bmc = Bmc::with_config(cfg);
    let env = Env::new();
    env.login(&bmc).ok();
    let host = bmc.host();
    env.run_env(&bmc, &["get", &host, "Systems/1"], &[PERSIST])
        .ok();
    keeper(&env, &bmc).expect("a keeper");
    env.run_env(&bmc, &["get", &host, "Systems/1"], &[PERSIST])
        .ok();
    let before = bmc.state().connections;
    std::thread::sleep(Duration::from_millis(1500));
    env.run_env(
        &bmc,
        &["patch", &host, "Systems/1", "AssetTag=after-idle"],
        &[PERSIST],
    )
    .ok();
    assert_eq!(
        bmc.state().connections,
        before + 1,
        "one new connection, nothing resent"
    );
}

#[test]
fn logout_stops_the_keeper_and_an_idle_one_ends_by_itself() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    env.run_env(&bmc, &["get", &host, "Systems/1"], &[PERSIST])
        .ok();
    let pid = keeper(&env, &bmc).expect("a keeper");
    env.run(&bmc, &["logout", &host]).ok();
    assert!(
        gone_within(pid, Duration::from_secs(2)),
        "the keeper outlived logout"
    );
    env.login(&bmc).ok();
    env.run_env(
        &bmc,
        &["get", &host, "Systems/1"],
        &[("RFSESSION_PERSIST", "1s")],
    )
    .ok();
    let pid = keeper(&env, &bmc).expect("a keeper");
    assert!(
        gone_within(pid, Duration::from_secs(4)),
        "the keeper outlived its second"
    );
}

#[test]
fn another_user_is_refused_at_the_socket() {
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: connecting as another uid needs root");
        return;
    }
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    env.run_env(&bmc, &["get", &host, "Systems/1"], &[PERSIST])
        .ok();
    keeper(&env, &bmc).expect("a keeper");
    let socket = env.entry_path(&bmc).with_extension("sock");
    let token = bmc.state().sessions[0].token.clone();
    // A request the keeper would serve: it declines (other trust) and answers.
    let ask = format!(
        r#"{{"method":"GET","path":"/redfish/v1/Systems/1","headers":[["X-Auth-Token","{token}"]],"body_len":0,"trust":"x"}}"#
    );
    let client = format!(
        "import socket\ns=socket.socket(socket.AF_UNIX)\ns.connect('{}')\ntry:\n    s.sendall(b'{}\\n')\n    print(len(s.recv(4096)))\nexcept OSError:\n    print(0)",
        socket.display(),
        ask.replace('\'', "\\'")
    );
    let run = |prefix: &[&str]| {
        let o = std::process::Command::new(prefix[0])
            .args(&prefix[1..])
            .args(["python3", "-c", &client])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&o.stdout).trim().to_owned();
        assert!(!text.is_empty(), "{o:?}");
        text
    };
    let other = run(&[
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "--inh-caps=+dac_override",
        "--ambient-caps=+dac_override",
    ]);
    assert_eq!(other, "0", "another uid got an answer");
    // The same user is answered (here: declined, as its trust differs).
    assert_ne!(run(&["env"]), "0");
}
