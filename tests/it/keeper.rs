//! Connection persistence: one keeper per cache directory holds a TLS connection per host.
//! Output and exit codes are the same with and without it; a call never depends on it.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bmc_emulator::{Bmc, CertKind, Config, PASSWORD, Profile, USER};

use crate::common::{Env, Out, bin, logged_in, serving, wait};

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

/// A BMC logged in, and the keeper holding its connection (its pid).
fn logged_in_and_kept() -> (Bmc, Env, u32) {
    let (bmc, env) = logged_in(Profile::Generic);
    env.run_env(&bmc, &["get", &bmc.host(), "Systems/1"], &[PERSIST])
        .ok();
    let pid = keeper(&env, &bmc).expect("a keeper");
    (bmc, env, pid)
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

/// Does the keeper hold a connection to `bmc` (None: no keeper runs)?
fn held(env: &Env, bmc: &Bmc) -> Option<bool> {
    let out = env.run(bmc, &["--json", "config", &bmc.host()]).ok().json();
    let from = out["keeper"]["from"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    match out["keeper"]["value"].as_str() {
        Some("none") => None,
        _ => Some(from.starts_with("holds a connection")),
    }
}

/// The live keeper processes of this test's cache directory (their environment names it),
/// with their argv and environment.
fn keepers(env: &Env) -> Vec<(u32, Vec<String>, Vec<String>)> {
    let want = format!("RFSESSION_CACHE_DIR={}", env.cache().display());
    let split = |b: Vec<u8>| -> Vec<String> {
        b.split(|c| *c == 0)
            .filter(|s| !s.is_empty())
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect()
    };
    let mut found = Vec::new();
    for d in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = d.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let (Ok(cmd), Ok(environ), Ok(stat)) = (
            std::fs::read(format!("/proc/{pid}/cmdline")),
            std::fs::read(format!("/proc/{pid}/environ")),
            std::fs::read_to_string(format!("/proc/{pid}/stat")),
        ) else {
            continue;
        };
        let (args, environ) = (split(cmd), split(environ));
        let zombie = stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('Z');
        if !zombie && args.iter().any(|a| a == "keeper") && environ.contains(&want) {
            found.push((pid, args, environ));
        }
    }
    found
}

fn logged_in_fleet(n: usize) -> (Vec<Bmc>, Env) {
    let env = Env::new();
    let bmcs: Vec<Bmc> = (0..n).map(|_| Bmc::start(Profile::Generic)).collect();
    for b in &bmcs {
        env.login(b).ok();
    }
    (bmcs, env)
}

fn hosts_file(env: &Env, bmcs: &[&Bmc]) -> String {
    let path = env.dir.path().join("hosts");
    let text: String = bmcs.iter().map(|b| format!("{}\n", b.host())).collect();
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
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
    let (bmc, env, pid) = logged_in_and_kept();
    let host = bmc.host();
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
    let (bmc, env, pid) = logged_in_and_kept();
    let host = bmc.host();
    assert_eq!(held(&env, &bmc), Some(true));
    env.run(&bmc, &["logout", &host]).ok();
    assert_eq!(
        held(&env, &bmc),
        Some(false),
        "logout closed the host's connection"
    );
    assert!(
        gone_within(pid, Duration::from_secs(5)),
        "the keeper outlived its last host"
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
        gone_within(pid, Duration::from_secs(5)),
        "the keeper outlived its second"
    );
}

#[test]
fn another_user_is_refused_at_the_socket() {
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: connecting as another uid needs root");
        return;
    }
    let (_bmc, env, _) = logged_in_and_kept();
    let socket = socket(&env);
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&socket).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
    let client = format!(
        "import socket\ns=socket.socket(socket.AF_UNIX)\ns.connect('{}')\ntry:\n    s.sendall(b'\"Status\"\\n')\n    print(len(s.recv(4096)))\nexcept OSError:\n    print(0)",
        socket.display(),
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
    // The same user is answered.
    assert_ne!(run(&["env"]), "0");
}

#[test]
fn one_keeper_holds_every_host_and_serves_them_at_once() {
    let (bmcs, env) = logged_in_fleet(3);
    for b in &bmcs {
        env.run_env(b, &["get", &b.host(), "Systems/1"], &[PERSIST])
            .ok();
    }
    let found = keepers(&env);
    assert_eq!(found.len(), 1, "one keeper for three hosts: {found:?}");
    let rows = env
        .run_env(&bmcs[0], &["--json", "sessions", "--cached"], &[PERSIST])
        .ok()
        .json();
    for row in rows.as_array().unwrap() {
        assert_eq!(
            row["keeper_pid"].as_u64(),
            Some(found[0].0 as u64),
            "{rows}"
        );
        assert_eq!(row["persist_seconds"], 60, "{rows}");
    }
    // Two slow hosts in parallel take about one delay, on the kept connections.
    let slow = [&bmcs[0], &bmcs[1]];
    let before: Vec<u64> = slow.iter().map(|b| b.state().connections).collect();
    for b in slow {
        b.faults(|f| f.delay = Duration::from_millis(1500));
    }
    let file = hosts_file(&env, &slow);
    let start = Instant::now();
    let out = env.run_env(
        &bmcs[0],
        &[
            "get",
            "--hosts",
            &file,
            "--jobs",
            "2",
            "Systems/1",
            "--pointer",
            "/Id",
        ],
        &[PERSIST],
    );
    let took = start.elapsed();
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout.lines().count(), 2, "{out:?}");
    assert!(
        took < Duration::from_millis(2700),
        "two slow hosts took {took:?}"
    );
    let after: Vec<u64> = slow.iter().map(|b| b.state().connections).collect();
    assert_eq!(before, after, "both went through the keeper's connections");
    assert_eq!(keepers(&env).len(), 1);
}

#[test]
fn the_keeper_holds_at_most_its_bound_closing_the_least_recently_used() {
    let (bmcs, env) = logged_in_fleet(3);
    let bound = [PERSIST, ("RFSESSION_KEEPER_HOSTS", "2")];
    for b in &bmcs {
        env.run_env(b, &["get", &b.host(), "Systems/1"], &bound)
            .ok();
    }
    let held_now = || bmcs.iter().map(|b| held(&env, b)).collect::<Vec<_>>();
    assert_eq!(held_now(), [Some(false), Some(true), Some(true)]);
    // The first host again: a new connection, and the second (now the oldest) goes.
    let before = bmcs[0].state().connections;
    env.run_env(&bmcs[0], &["get", &bmcs[0].host(), "Systems/1"], &bound)
        .ok();
    assert_eq!(bmcs[0].state().connections, before + 1);
    assert_eq!(held_now(), [Some(true), Some(false), Some(true)]);
    assert_eq!(keepers(&env).len(), 1);
}

#[test]
fn a_running_keeper_serves_plain_calls_and_no_persist_bypasses_it() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let before = bmc.state().connections;
    // The first persisted call goes through the keeper: one handshake, not two.
    let out = env
        .run_env(&bmc, &["-v", "get", &host, "Systems/1"], &[PERSIST])
        .ok();
    assert!(out.stderr.contains("* through the keeper"), "{out:?}");
    env.run_env(&bmc, &["get", &host, "Systems/1"], &[PERSIST])
        .ok();
    assert_eq!(
        bmc.state().connections,
        before + 1,
        "one connection, the keeper's"
    );
    // Without --persist, the running keeper still serves the host it holds.
    let out = env.run(&bmc, &["-v", "get", &host, "Systems/1"]).ok();
    assert!(out.stderr.contains("* through the keeper"), "{out:?}");
    assert_eq!(bmc.state().connections, before + 1);
    // --no-persist connects itself, even with RFSESSION_PERSIST set.
    for extra in [&[][..], &[PERSIST][..]] {
        let c = bmc.state().connections;
        let out = env
            .run_env(
                &bmc,
                &["--no-persist", "-v", "get", &host, "Systems/1"],
                extra,
            )
            .ok();
        assert!(!out.stderr.contains("keeper"), "{out:?}");
        assert_eq!(bmc.state().connections, c + 1);
    }
    // The same lines in -v either way, but for the one that says how it went.
    let direct = env.run(&bmc, &["--no-persist", "-v", "get", &host, "Systems/1"]);
    let kept = env.run(&bmc, &["-v", "get", &host, "Systems/1"]);
    let lines = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.starts_with("> ") || l.starts_with("< HTTP") || l.len() == 5)
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(lines(&direct.stderr), lines(&kept.stderr));
}

#[test]
fn fleet_calls_use_the_keeper_and_logout_closes_each_host() {
    let (bmcs, env) = logged_in_fleet(3);
    let all: Vec<&Bmc> = bmcs.iter().collect();
    let file = hosts_file(&env, &all);
    let conns = || {
        bmcs.iter()
            .map(|b| b.state().connections)
            .collect::<Vec<_>>()
    };
    let before = conns();
    env.run_env(
        &bmcs[0],
        &["get", "--hosts", &file, "Systems/1"],
        &[PERSIST],
    )
    .ok();
    let warm = conns();
    assert_eq!(
        warm.iter()
            .zip(&before)
            .map(|(a, b)| a - b)
            .collect::<Vec<_>>(),
        [1, 1, 1],
        "one connection per host, the keeper's"
    );
    env.run_env(
        &bmcs[0],
        &["get", "--hosts", &file, "Systems/1"],
        &[PERSIST],
    )
    .ok();
    env.run_env(&bmcs[0], &["whoami", "--hosts", &file], &[PERSIST])
        .ok();
    assert_eq!(conns(), warm, "warm calls reuse the kept connections");
    assert_eq!(keepers(&env).len(), 1);
    env.run_env(&bmcs[0], &["logout", "--hosts", &file], &[PERSIST])
        .ok();
    assert_eq!(conns(), warm, "even the DELETEs");
    assert!(bmcs.iter().all(|b| b.state().sessions.is_empty()));
    for b in &bmcs {
        assert_eq!(
            held(&env, b),
            Some(false).filter(|_| !keepers(&env).is_empty())
        );
    }
}

#[test]
fn a_write_behind_a_busy_keeper_is_never_sent_and_says_so() {
    let (bmc, env, _) = logged_in_and_kept();
    let host = bmc.host();
    bmc.faults(|f| f.delay = Duration::from_secs(5));
    let slow = env.spawn(&bmc, &["get", &host, "Systems/1"], &[PERSIST]);
    std::thread::sleep(Duration::from_millis(500));
    let start = Instant::now();
    let out = env.run_env(
        &bmc,
        &[
            "--timeout",
            "2",
            "post",
            &host,
            "EventService/Subscriptions",
            "Destination=https://127.0.0.1:1/events",
        ],
        &[PERSIST],
    );
    let took = start.elapsed();
    assert_eq!(out.code, 5, "{out:?}");
    assert!(
        out.stderr.contains("the keeper was busy") && out.stderr.contains("the POST was not sent"),
        "{out:?}"
    );
    assert!(took < Duration::from_millis(3500), "gave up after {took:?}");
    bmc.faults(|f| f.delay = Duration::ZERO);
    wait(slow).ok();
    std::thread::sleep(Duration::from_millis(1000));
    let state = bmc.state();
    assert!(
        !state
            .requests
            .iter()
            .any(|r| r.method == "POST" && r.path.contains("Subscriptions")),
        "the abandoned POST reached the BMC"
    );
    assert!(state.subscriptions.is_empty());
}

#[test]
fn the_keeper_has_no_secret_in_its_argv_or_environment() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    env.run_env(
        &bmc,
        &[
            "--proxy",
            "http://ops:hunter2@127.0.0.1:9",
            "--noproxy",
            "127.0.0.1",
            "get",
            &host,
            "Systems/1",
        ],
        &[
            PERSIST,
            ("RFSESSION_PASSWORD", PASSWORD),
            ("HTTPS_PROXY", "http://ops:hunter2@127.0.0.1:9"),
        ],
    )
    .ok();
    keeper(&env, &bmc).expect("a keeper");
    let found = keepers(&env);
    assert_eq!(found.len(), 1, "{found:?}");
    let (_, args, environ) = &found[0];
    assert_eq!(&args[1..], ["keeper"], "{args:?}");
    for v in environ {
        assert!(!v.contains("hunter2") && !v.contains(PASSWORD), "{v}");
        assert!(
            !v.starts_with("RFSESSION_PASSWORD") && !v.contains("PROXY"),
            "{v}"
        );
    }
}

#[test]
fn many_processes_starting_at_once_start_one_keeper() {
    let (bmcs, env) = logged_in_fleet(2);
    let children: Vec<_> = (0..16)
        .map(|i| {
            let b = &bmcs[i % 2];
            env.spawn(
                b,
                &["get", &b.host(), "Systems/1", "--pointer", "/Id"],
                &[PERSIST],
            )
        })
        .collect();
    for c in children {
        assert_eq!(wait(c).ok().stdout, "1\n");
    }
    // Those that lost the race to bind have gone within a moment.
    let start = Instant::now();
    while keepers(&env).len() > 1 && start.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(keepers(&env).len(), 1, "{:?}", keepers(&env));
    for b in &bmcs {
        assert_eq!(held(&env, b), Some(true));
    }
}

#[test]
fn a_login_through_the_keeper_remembers_the_ca_as_a_direct_one_does() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    let out = env.run_env(
        &bmc,
        &["-v", "login", &host, "-u", bmc_emulator::USER],
        &[PERSIST, ("RFSESSION_PASSWORD", PASSWORD)],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("* through the keeper"), "{out:?}");
    let entry: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.entry_path(&bmc)).unwrap()).unwrap();
    assert!(
        entry["tls_anchors"]
            .as_str()
            .is_some_and(|p| p.contains("BEGIN CERTIFICATE")),
        "{entry}"
    );
    // Later calls need no --cacert, through the keeper or not.
    for flags in [&[][..], &["--no-persist"][..]] {
        let mut args = flags.to_vec();
        args.extend(["get", &host, "Systems/1", "--pointer", "/Id"]);
        let mut c = env.cmd(None, &args);
        let out = c.output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "1\n", "{out:?}");
    }
}

#[test]
fn a_relative_cacert_means_the_callers_directory_to_the_keeper() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let stranger = Bmc::start(Profile::Generic);
    stranger.serve_certificate(bmc_emulator::CertKind::SelfSigned);
    let (good, other) = (env.dir.path().join("good"), env.dir.path().join("other"));
    for d in [&good, &other] {
        std::fs::create_dir(d).unwrap();
    }
    std::fs::copy(bmc.ca_path(), good.join("ca.pem")).unwrap();
    std::fs::write(other.join("ca.pem"), stranger.certificate_pem()).unwrap();
    let run = |dir: &std::path::Path, flags: &[&str]| {
        let mut args = vec!["--cacert", "ca.pem"];
        args.extend_from_slice(flags);
        args.extend(["get", &host, "Systems/1", "--pointer", "/Id"]);
        let mut c = env.cmd(None, &args);
        c.current_dir(dir).envs([PERSIST]);
        let o = c.output().unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    assert_eq!(run(&good, &[]).0, Some(0));
    assert_eq!(held(&env, &bmc), Some(true));
    // Another directory's ca.pem is another CA: refused as a direct call refuses it.
    let kept = run(&other, &[]);
    assert_ne!(kept.0, Some(0), "{kept:?}");
    assert_eq!(kept, run(&other, &["--no-persist"]));
}

/// `sh -c SCRIPT` with rfsession as `$RF`, the host as `$BMC` and the test's directory as `$D`.
fn shell(env: &Env, bmc: &Bmc, script: &str) -> Out {
    let rf = format!("{} --cacert {}", bin(), bmc.ca_path().display());
    let out = Command::new("sh")
        .args(["-c", script])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("RFSESSION_CACHE_DIR", env.cache())
        .env("RF", rf)
        .env("BMC", bmc.host())
        .env("D", env.dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Out::from(out)
}

/// Where the process's descriptors point: (fd, target).
fn descriptors(pid: u32) -> Vec<(u32, String)> {
    let mut fds: Vec<(u32, String)> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .flatten()
        .filter_map(|d| {
            let fd = d.file_name().to_string_lossy().parse().ok()?;
            let to = std::fs::read_link(d.path()).ok()?;
            Some((fd, to.display().to_string()))
        })
        .collect();
    fds.sort();
    fds
}

#[test]
fn a_pipeline_reading_a_descriptor_the_caller_shared_ends_with_the_call_not_the_keeper() {
    let (bmc, env) = logged_in(Profile::Generic);
    // fd 5 is the pipe to `cat`: were the keeper to keep it, `cat` would wait out the keeper's
    // 60 s, here cut at 8 s by `timeout` (exit 124).
    let script = "( $RF --persist 60s get $BMC Systems/1 --pointer /Id 5>&1 ) | timeout 8 cat; \
                  echo \"cat=$?\"";
    let start = Instant::now();
    let out = shell(&env, &bmc, script).ok();
    assert_eq!(
        out.stdout,
        "1\ncat=0\n",
        "{out:?} after {:?}",
        start.elapsed()
    );
    let pid = keeper(&env, &bmc).expect("a keeper");
    let fds = descriptors(pid);
    for (fd, to) in &fds[..3] {
        assert_eq!(to, "/dev/null", "keeper fd {fd}: {fds:?}");
    }
    assert!(
        fds.iter().all(|(_, to)| !to.starts_with("pipe:")),
        "the keeper holds a pipe: {fds:?}"
    );
    env.run(&bmc, &["logout", &bmc.host()]).ok();
}

#[test]
fn a_cron_job_under_flock_leaves_its_lock_free_when_it_ends() {
    let (bmc, env) = logged_in(Profile::Generic);
    // `flock -n LOCK CMD` passes the locked file to CMD (fd 3); a keeper that kept it would
    // hold the cron job's lock for as long as it runs, and the next run would be skipped.
    let script = "flock -n \"$D/cron.lock\" $RF --persist 60s get $BMC Systems/1 --pointer /Id \
                  && flock -n \"$D/cron.lock\" echo free";
    let out = shell(&env, &bmc, script).ok();
    assert_eq!(out.stdout, "1\nfree\n", "{out:?}");
    let pid = keeper(&env, &bmc).expect("a keeper");
    let fds = descriptors(pid);
    assert!(
        fds.iter().all(|(_, to)| !to.ends_with("cron.lock")),
        "the keeper holds the lock: {fds:?}"
    );
    env.run(&bmc, &["logout", &bmc.host()]).ok();
}

/// An RFSESSION_KEEPER_HOSTS the keeper would refuse is said once, and the keeper starts
/// with its default bound: it never dies unseen, leaving every call to wait for it.
#[test]
fn a_bad_keeper_bound_is_said_and_the_keeper_starts_anyway() {
    for bad in ["0", "abc", "-1", "99999999999"] {
        let (bmc, env) = logged_in(Profile::Generic);
        let vars = [PERSIST, ("RFSESSION_KEEPER_HOSTS", bad)];
        let out = env
            .run_env(&bmc, &["-v", "get", &bmc.host(), "Systems/1"], &vars)
            .ok();
        assert!(
            out.stderr.contains(&format!(
                "rfsession: warning: RFSESSION_KEEPER_HOSTS={bad} is not a number of connections (1 or more); the keeper holds at most 1024\n"
            )),
            "{bad}: {out:?}"
        );
        assert!(
            out.stderr.contains("* through the keeper"),
            "{bad}: {out:?}"
        );
        assert_eq!(held(&env, &bmc), Some(true), "{bad}");
        for (pid, _, _) in keepers(&env) {
            unsafe { libc::kill(pid as i32, libc::SIGTERM) };
        }
    }
}

#[test]
fn a_keeper_serves_the_system_store_only_to_callers_trusting_the_same() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    // Another CA: an unrelated BMC's own. The system store, as rustls-native-certs reads it:
    // SSL_CERT_FILE, given relative to the caller's directory (the keeper runs from /).
    let stranger = serving(CertKind::OwnCa);
    std::fs::write(env.dir.path().join("other.pem"), stranger.certificate_pem()).unwrap();
    std::fs::copy(bmc.ca_path(), env.dir.path().join("ca.pem")).unwrap();
    let run = |store: &str, args: &[&str], extra: &[(&str, &str)]| -> Out {
        let mut c = env.cmd(None, args);
        c.current_dir(env.dir.path())
            .env("SSL_CERT_FILE", store)
            .env("RFSESSION_PASSWORD", PASSWORD)
            .envs(extra.iter().copied());
        Out::from(c.output().unwrap())
    };
    run("ca.pem", &["login", &host, "-u", USER], &[]).ok();
    run("ca.pem", &["get", &host, "Systems/1"], &[PERSIST]).ok();
    assert!(keeper(&env, &bmc).is_some());
    let out = run("ca.pem", &["-v", "get", &host, "Systems/1"], &[]).ok();
    assert!(out.stderr.contains("* through the keeper"), "{out:?}");
    // SSL_CERT_DIR set too, even to directories that do not exist: another store.
    let dirs = [("SSL_CERT_DIR", "/nonexistent-a:/nonexistent-b")];
    let out = run("ca.pem", &["-v", "get", &host, "Systems/1"], &dirs).ok();
    assert!(!out.stderr.contains("keeper"), "{out:?}");
    // A store without the BMC's CA refuses it, as a direct call does, persisted or not.
    for extra in [&[][..], &[PERSIST][..]] {
        let out = run("other.pem", &["-v", "get", &host, "Systems/1"], extra);
        assert_eq!(out.code, 5, "{out:?}");
        assert!(!out.stderr.contains("keeper"), "{out:?}");
        assert!(out.stderr.contains("not signed by a trusted CA"), "{out:?}");
    }
    run("ca.pem", &["logout", &host], &[]).ok();
}

/// The keeper's socket in this cache directory (named with the protocol's version).
fn socket(env: &Env) -> std::path::PathBuf {
    env.cache().join("keeper-2.sock")
}

#[test]
fn a_keeper_of_another_version_is_never_handed_a_request() {
    use std::io::{BufRead, BufReader, Write};
    use std::os::unix::net::UnixListener;
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    // The keeper before protocol 2 listened on keeper.sock: nothing connects to it now.
    let old = UnixListener::bind(env.cache().join("keeper.sock")).unwrap();
    old.set_nonblocking(true).unwrap();
    // One of a version to come, on this version's socket: its Ready is not this one's.
    let listener = UnixListener::bind(socket(&env)).unwrap();
    let other = std::thread::spawn(move || {
        let (conn, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(conn.try_clone().unwrap());
        let mut ask = String::new();
        reader.read_line(&mut ask).unwrap();
        (&conn)
            .write_all(b"{\"Ready\":{\"protocol\":99}}\n")
            .unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
        let mut go = String::new();
        let _ = reader.read_line(&mut go);
        go
    });
    let before = bmc.state().connections;
    let out = env.run(&bmc, &["-v", "get", &host, "Systems/1"]).ok();
    assert!(!out.stderr.contains("through the keeper"), "{out:?}");
    assert_eq!(bmc.state().connections, before + 1, "the call's own");
    assert_eq!(other.join().unwrap(), "", "no Go: nothing was sent");
    let err = old.accept().unwrap_err();
    assert_eq!(
        err.kind(),
        std::io::ErrorKind::WouldBlock,
        "keeper.sock was not used"
    );
}

#[test]
fn a_changed_ca_file_is_not_trusted_through_a_connection_verified_with_the_old_one() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    let stranger = serving(CertKind::OwnCa);
    let bundle = env.dir.path().join("ca.pem");
    std::fs::copy(bmc.ca_path(), &bundle).unwrap();
    let run = |args: &[&str], extra: &[(&str, &str)]| -> Out {
        let mut c = env.cmd(Some(&bundle), args);
        c.env("RFSESSION_PASSWORD", PASSWORD)
            .envs(extra.iter().copied());
        Out::from(c.output().unwrap())
    };
    run(&["login", &host, "-u", USER], &[]).ok();
    run(&["get", &host, "Systems/1"], &[PERSIST]).ok();
    assert!(keeper(&env, &bmc).is_some());
    let out = run(&["-v", "get", &host, "Systems/1"], &[]).ok();
    assert!(out.stderr.contains("* through the keeper"), "{out:?}");
    // The same path, another CA: refused, as a direct call refuses it, persisted or not.
    std::fs::write(&bundle, stranger.certificate_pem()).unwrap();
    for extra in [&[][..], &[PERSIST][..]] {
        let out = run(&["get", &host, "Systems/1"], extra);
        assert_eq!(out.code, 5, "{out:?}");
        assert!(out.stderr.contains("not signed by a trusted CA"), "{out:?}");
    }
    std::fs::copy(bmc.ca_path(), &bundle).unwrap();
    run(&["logout", &host], &[]).ok();
    // And an entry verified with the system's store: a file changed under SSL_CERT_FILE.
    let env = Env::new();
    let system = env.dir.path().join("system.pem");
    std::fs::copy(bmc.ca_path(), &system).unwrap();
    let sys = |args: &[&str], extra: &[(&str, &str)]| -> Out {
        let mut c = env.cmd(None, args);
        c.env("SSL_CERT_FILE", &system)
            .env("RFSESSION_PASSWORD", PASSWORD)
            .envs(extra.iter().copied());
        Out::from(c.output().unwrap())
    };
    sys(&["login", &host, "-u", USER], &[]).ok();
    let out = sys(&["-v", "get", &host, "Systems/1"], &[PERSIST]).ok();
    assert!(out.stderr.contains("* through the keeper"), "{out:?}");
    std::fs::write(&system, stranger.certificate_pem()).unwrap();
    let out = sys(&["get", &host, "Systems/1"], &[PERSIST]);
    assert_eq!(out.code, 5, "{out:?}");
    std::fs::copy(bmc.ca_path(), &system).unwrap();
    sys(&["logout", &host], &[]).ok();
}
