//! The command line: HOST in every form (aliases, RFSESSION_HOST, link-local zones), PATH
//! and its completion, durations, bounded inputs, dry runs, help, and where each value came
//! from.

use std::fs;
use std::net::TcpListener;

use bmc_emulator::{Bmc, PASSWORD, Profile, USER};

use crate::common::{Env, logged_in, write_private};

const RESET: &str = "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset";

const PW: [(&str, &str); 1] = [("RFSESSION_PASSWORD", PASSWORD)];

/// A veth pair into a network namespace of the test's own, removed when dropped.
struct LinkLocal {
    ns: String,
    outer: String,
}

impl LinkLocal {
    fn new() -> LinkLocal {
        let tag = std::process::id() % 100_000;
        let (ns, outer, inner) = (
            format!("rfs{tag}"),
            format!("rfa{tag}"),
            format!("rfb{tag}"),
        );
        let script = format!(
            "set -e
ip netns add {ns}
ip link add {outer} type veth peer name {inner}
ip link set {inner} netns {ns}
ip addr add fe80::a/64 dev {outer} nodad
ip link set {outer} up
ip netns exec {ns} ip addr add fe80::b/64 dev {inner} nodad
ip netns exec {ns} ip link set {inner} up
ip netns exec {ns} ip link set lo up"
        );
        let ll = LinkLocal { ns, outer };
        let out = std::process::Command::new("sh")
            .args(["-c", &script])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        ll
    }
}

impl Drop for LinkLocal {
    fn drop(&mut self) {
        let _ = std::process::Command::new("ip")
            .args(["link", "del", &self.outer])
            .output();
        let _ = std::process::Command::new("ip")
            .args(["netns", "del", &self.ns])
            .output();
    }
}

#[test]
fn every_command_takes_host_from_rfsession_host() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let with = [
        ("RFSESSION_HOST", host.as_str()),
        ("RFSESSION_PASSWORD", PASSWORD),
    ];
    // The first word is a PATH: HOST is the variable's, for reads and writes alike.
    let out = env
        .run_env(
            &bmc,
            &["get", "/redfish/v1/Systems/1", "--pointer", "/Id"],
            &with,
        )
        .ok();
    assert_eq!(out.stdout, "1\n");
    env.run_env(&bmc, &["post", RESET, "ResetType=ForceOff"], &with)
        .ok();
    let out = env
        .run_env(
            &bmc,
            &["patch", "/redfish/v1/Systems/1", "AssetTag=rack-7"],
            &with,
        )
        .ok();
    assert_eq!(out.json()["AssetTag"], "rack-7", "{out:?}");
    let out = env
        .run_env(
            &bmc,
            &["exec", "--", "sh", "-c", "echo $RFSESSION_BASE_URL"],
            &with,
        )
        .ok();
    assert_eq!(out.stdout.trim(), format!("https://{host}"));
    for cmd in ["whoami", "token", "config"] {
        env.run_env(&bmc, &[cmd], &with).ok();
    }
    // A HOST typed beats the variable; a PATH typed without any HOST says what is missing.
    let out = env
        .run_env(
            &bmc,
            &["get", &host, "/redfish/v1/Systems/1", "--pointer", "/Id"],
            &[("RFSESSION_HOST", "bmc.invalid")],
        )
        .ok();
    assert_eq!(out.stdout, "1\n");
    let out = env.run(&bmc, &["post", RESET, "ResetType=On"]).code(2);
    assert!(out.stderr.contains("no HOST given"), "{out:?}");
}

#[test]
fn path_completion_resolves_a_settings_alias_as_commands_do() {
    let (bmc, env) = logged_in(Profile::Generic);
    let config = env.dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("[hosts.lab1]\nurl = \"https://{}\"\n", bmc.host()),
    )
    .unwrap();
    let config = config.display().to_string();
    let with = [("RFSESSION_CONFIG", config.as_str())];
    let ca = bmc.ca_path().display().to_string();
    env.run_env(&bmc, &["get", "lab1", "/redfish/v1/Systems/1"], &with)
        .ok();
    for (cmd, typed, want) in [
        ("get", "/redfish/v1/Sys", "/redfish/v1/Systems/\n"),
        ("patch", "Systems/", "Systems/1/\n"),
    ] {
        let words = [
            "complete-path",
            "rfsession",
            "--cacert",
            &ca,
            cmd,
            "lab1",
            typed,
        ];
        let out = env.run_env(&bmc, &words, &with).ok();
        assert_eq!(out.stdout, want, "{cmd} lab1 {typed}: {out:?}");
    }
    // And HOST from RFSESSION_HOST, the first word a PATH, as `get` takes it.
    let with = [
        ("RFSESSION_CONFIG", config.as_str()),
        ("RFSESSION_HOST", "lab1"),
    ];
    let words = [
        "complete-path",
        "rfsession",
        "--cacert",
        &ca,
        "get",
        "/redfish/v1/Sys",
    ];
    let out = env.run_env(&bmc, &words, &with).ok();
    assert_eq!(out.stdout, "/redfish/v1/Systems/\n", "{out:?}");
}

#[test]
fn config_names_where_persist_and_user_came_from() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let row = |out: &crate::common::Out, key: &str| out.json()[key].clone();
    let out = env
        .run_env(
            &bmc,
            // --json after the command's name, as before it.
            &["config", &host, "--json"],
            &[("RFSESSION_PERSIST", "5m")],
        )
        .ok();
    assert_eq!(row(&out, "persist")["value"], "300s", "{out:?}");
    assert_eq!(
        row(&out, "persist")["from"],
        "environment RFSESSION_PERSIST"
    );
    let out = env
        .run(&bmc, &["--json", "--persist", "90s", "config", &host])
        .ok();
    assert_eq!(row(&out, "persist")["from"], "flag --persist", "{out:?}");
    let out = env
        .run_env(
            &bmc,
            &["--json", "config", &host],
            &[("RFSESSION_USER", "bob")],
        )
        .ok();
    assert_eq!(row(&out, "user")["value"], "bob", "{out:?}");
    assert_eq!(row(&out, "user")["from"], "environment RFSESSION_USER");
    let out = env
        .run_env(
            &bmc,
            &["--json", "config", &host, "-u", "carol"],
            &[("RFSESSION_USER", "bob")],
        )
        .ok();
    assert_eq!(row(&out, "user")["value"], "carol", "{out:?}");
    assert_eq!(row(&out, "user")["from"], "flag -u");
    // The password: where a login would take it, never the password itself.
    assert_eq!(row(&out, "password")["value"], "asked at login", "{out:?}");
    let out = env
        .run_env(
            &bmc,
            &["--json", "config", &host],
            &[("RFSESSION_PASSWORD", "hunter2")],
        )
        .ok();
    assert_eq!(row(&out, "password")["value"], "set", "{out:?}");
    assert_eq!(
        row(&out, "password")["from"],
        "environment RFSESSION_PASSWORD"
    );
    assert!(!out.stdout.contains("hunter2"));
    // The cache directory: the tests name it in RFSESSION_CACHE_DIR.
    assert_eq!(
        row(&out, "cache_entry")["from"],
        "environment RFSESSION_CACHE_DIR"
    );
    let dir = env.cache().display().to_string();
    let out = env
        .run(&bmc, &["--json", "--cache-dir", &dir, "config", &host])
        .ok();
    assert_eq!(
        row(&out, "cache_entry")["from"],
        "flag --cache-dir",
        "{out:?}"
    );
    // The settings file: --config beats RFSESSION_CONFIG, and config says which named it.
    let (a, b) = (env.dir.path().join("a.toml"), env.dir.path().join("b.toml"));
    let a = write_private(&a, "[defaults]\ntimeout = 11\n");
    let b = write_private(&b, "[defaults]\ntimeout = 12\n");
    let with = [("RFSESSION_CONFIG", a.as_str())];
    let out = env.run_env(&bmc, &["--json", "config", &host], &with).ok();
    assert_eq!(row(&out, "settings")["value"], a.as_str(), "{out:?}");
    assert_eq!(
        row(&out, "settings")["from"],
        "environment RFSESSION_CONFIG"
    );
    assert_eq!(row(&out, "timeout")["value"], "11s", "{out:?}");
    let out = env
        .run_env(&bmc, &["--json", "--config", &b, "config", &host], &with)
        .ok();
    assert_eq!(row(&out, "settings")["value"], b.as_str(), "{out:?}");
    assert_eq!(row(&out, "settings")["from"], "flag --config");
    assert_eq!(row(&out, "timeout")["value"], "12s", "{out:?}");
}

#[test]
fn help_shows_a_commands_own_options_first_and_only_those_it_uses() {
    let env = crate::common::Env::new();
    let help = |cmd: &str| {
        let out = crate::common::Out::from(env.cmd(None, &[cmd, "--help"]).output().unwrap());
        assert_eq!(out.code, 0, "{out:?}");
        out.stdout
    };
    for cmd in ["get", "post", "patch", "delete", "login", "exec"] {
        let text = help(cmd);
        let at = |heading: &str| {
            text.find(&format!("\n{heading}:\n"))
                .unwrap_or_else(|| panic!("{cmd}: no {heading}: {text}"))
        };
        let order = [
            at("Options"),
            at("Credentials"),
            at("Connection and TLS"),
            at("Global"),
        ];
        assert!(order.is_sorted(), "{cmd}: {order:?}\n{text}");
        // Connection options under their heading, not among the command's own.
        assert!(
            text.find("--cacert").unwrap() > at("Connection and TLS"),
            "{cmd}"
        );
    }
    let post = help("post");
    assert!(!post.contains("--if-match"), "{post}");
    let delete = help("delete");
    for never in ["--if-match", "--data", "[ITEM]"] {
        assert!(!delete.contains(never), "delete offers {never}: {delete}");
    }
    assert!(help("patch").contains("--if-match"));
    // --json where it changes the output, and only there.
    for cmd in ["get", "token", "cert", "exec"] {
        assert!(!help(cmd).contains("--json"), "{cmd} offers --json");
    }
    for cmd in [
        "login", "sessions", "whoami", "logout", "config", "post", "delete",
    ] {
        assert!(help(cmd).contains("--json"), "{cmd} lacks --json");
    }
    // Before the command's name too: refused where it would change nothing.
    for line in ["get bmc1", "token bmc1", "cert bmc1", "exec bmc1 -- true"] {
        let cmd = line.split(' ').next().unwrap();
        let words: Vec<&str> = ["--json"].into_iter().chain(line.split(' ')).collect();
        let out = crate::common::Out::from(env.cmd(None, &words).output().unwrap());
        assert_eq!(out.code, 2, "{out:?}");
        assert!(
            out.stderr.starts_with(&format!(
                "error: --json does not change what `{cmd}` prints; leave it out\n"
            )),
            "{out:?}"
        );
    }
    let cached = crate::common::Out::from(
        env.cmd(None, &["--json", "sessions", "--cached"])
            .output()
            .unwrap(),
    );
    assert_eq!(cached.code, 0, "{cached:?}");
    assert_eq!(cached.stdout.trim(), "[]", "{cached:?}");
}

#[test]
fn the_readme_lists_every_environment_variable() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = readme
        .split("\n## Environment\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("README has an Environment section");
    for var in rfsession::environment::VARS {
        for name in var.names.split(", ") {
            assert!(
                table.contains(&format!("`{name}`")),
                "README's Environment misses {name}"
            );
        }
    }
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

#[test]
fn get_without_a_path_or_with_slash_fetches_the_service_root() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    for args in [vec!["get", &host], vec!["get", &host, "/"]] {
        let out = env.run(&bmc, &args).ok();
        assert_eq!(out.json()["@odata.id"], "/redfish/v1/", "{args:?}");
    }
}

#[test]
fn a_pointer_without_its_leading_slash_gets_a_hint() {
    let (bmc, env) = logged_in(Profile::Generic);
    let out = env
        .run(
            &bmc,
            &["get", &bmc.host(), "Systems/1", "--pointer", "PowerState"],
        )
        .code(2);
    assert!(out.stderr.contains("--pointer /PowerState"), "{out:?}");
}

#[test]
fn exec_exits_127_for_a_command_not_found_and_126_for_one_that_cannot_run() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let out = env
        .run(&bmc, &["exec", &host, "--", "no-such-command-here"])
        .code(127);
    assert!(out.stderr.contains("no-such-command-here"), "{out:?}");
    let plain = env.dir.path().join("not-executable");
    std::fs::write(&plain, "echo hi\n").unwrap();
    let out = env
        .run(&bmc, &["exec", &host, "--", plain.to_str().unwrap()])
        .code(126);
    assert!(out.stderr.contains("cannot run"), "{out:?}");
}

#[test]
fn query_options_pass_through_untouched() {
    let (bmc, env) = logged_in(Profile::Generic);
    let q = "/redfish/v1/Systems/1?$select=PowerState,Id&$top=2&$expand=.($levels=1)";
    let out = env.run(&bmc, &["get", &bmc.host(), q]).ok();
    // The answer is the resource and nothing of the emulator's own (no echo of the query).
    assert_eq!(out.json()["PowerState"], "On", "{out:?}");
    assert!(out.json().get("Query").is_none(), "{out:?}");
    assert!(
        bmc.state().requests.iter().any(|r| r.path == q),
        "the BMC did not see {q}"
    );
}

#[test]
fn host_from_the_environment() {
    let (bmc, env) = logged_in(Profile::Generic);
    let out = env
        .run_env(
            &bmc,
            &["get", "/redfish/v1/Systems/1", "--pointer", "/Id"],
            &[("RFSESSION_HOST", &bmc.host())],
        )
        .ok();
    assert_eq!(out.stdout, "1\n");
    env.run_env(&bmc, &["whoami"], &[("RFSESSION_HOST", &bmc.host())])
        .ok();
    let out = env.run(&bmc, &["whoami"]).code(2);
    assert!(out.stderr.contains("RFSESSION_HOST"), "{out:?}");
}

#[test]
fn dry_runs_change_nothing() {
    let bmc = Bmc::start(Profile::Ilo5);
    let env = Env::new();
    let h = bmc.host();
    let out = env
        .run_env(&bmc, &["--json", "login", &h, "-u", USER, "--dry-run"], &PW)
        .ok();
    assert_eq!(out.json()["action"], "create");
    assert_eq!(out.json()["post"], "/redfish/v1/SessionService/Sessions");
    env.login(&bmc).ok();
    let uri = bmc.state().sessions[0].uri.clone();
    let out = env
        .run_env(&bmc, &["--json", "login", &h, "--dry-run"], &PW)
        .ok();
    assert_eq!(out.json()["action"], "reuse");
    let out = env
        .run_env(&bmc, &["--json", "login", &h, "--force", "--dry-run"], &PW)
        .ok();
    assert_eq!(out.json()["action"], "replace");
    assert_eq!(out.json()["delete"], uri.as_str());
    let out = env.run(&bmc, &["logout", &h, "--dry-run"]).ok();
    assert!(
        out.stderr.contains(&format!("would DELETE {uri}")),
        "{out:?}"
    );
    let out = env.run(&bmc, &["logout", "--all", "--dry-run"]).ok();
    assert!(!out.stderr.contains("logged out of"), "{out:?}");
    let changing = bmc
        .state()
        .requests
        .iter()
        .filter(|r| r.method != "GET")
        .count();
    assert_eq!(changing, 1, "only the one real login may POST or DELETE");
    assert_eq!(bmc.live_sessions(), 1);
    assert!(env.entry_path(&bmc).exists());
}

#[test]
fn a_link_local_bmc_is_reached_through_its_zone() {
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: a network namespace with a veth pair needs root");
        return;
    }
    let ll = LinkLocal::new();
    // The emulated iLO listens inside the namespace: a thread enters it, binds, and hands the
    // listener back (a socket stays in the namespace it was made in).
    let ns = ll.ns.clone();
    let listener = std::thread::spawn(move || {
        let f = std::fs::File::open(format!("/var/run/netns/{ns}")).unwrap();
        let fd = std::os::fd::AsRawFd::as_raw_fd(&f);
        let rc = unsafe { libc::setns(fd, libc::CLONE_NEWNET) };
        assert_eq!(rc, 0, "setns: {}", std::io::Error::last_os_error());
        TcpListener::bind("[::]:0").unwrap()
    })
    .join()
    .unwrap();
    let port = listener.local_addr().unwrap().port();
    let _bmc = Bmc::on_listener(bmc_emulator::Config::new(Profile::Ilo5), listener);
    let env = Env::new();
    // As HPE documents for a lost iLO: its link-local address through this host's interface.
    let host = format!("[fe80::b%25{}]:{port}", ll.outer);
    let key = format!("https://[fe80::b%{}]:{port}", ll.outer);
    env.run_bare(&["-k", "login", &host, "-u", USER]).ok();
    let listed = env.run_bare(&["--json", "sessions", "--cached"]).ok();
    assert_eq!(listed.json()[0]["host"], key.as_str());
    let plain = format!("[fe80::b%{}]:{port}", ll.outer);
    let got = env.run_bare(&["get", &plain, "Systems/1"]).ok();
    assert_eq!(got.json()["Id"], "1");
    env.run_bare(&["logout", &host]).ok();
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
fn hostile_links_never_reach_path_completion() {
    let (bmc, env) = logged_in(Profile::Generic);
    let ca = bmc.ca_path().display().to_string();
    let host = bmc.host();
    for typed in ["/redfish/v1/Broken/Hostile/", "Broken/Hostile/"] {
        let out = env
            .run(
                &bmc,
                &[
                    "complete-path",
                    "rfsession",
                    "--cacert",
                    &ca,
                    "get",
                    &host,
                    typed,
                ],
            )
            .ok();
        let want = format!("{typed}Good-1/\n");
        assert_eq!(out.stdout, want, "{out:?}");
    }
    // And in a real bash, through the shipped script: one candidate, as one word.
    let got = crate::docs::complete(
        &env,
        &format!("rfsession --cacert {ca} get {host} /redfish/v1/Broken/Hostile/"),
    );
    assert_eq!(got, ["/redfish/v1/Broken/Hostile/Good-1/"]);
    assert!(!env.dir.path().join("pwned").exists());
}

#[test]
fn hosts_files_and_bodies_are_bounded() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let long = env.dir.path().join("long");
    fs::write(&long, format!("{host}\n{}\n", "x".repeat(5000))).unwrap();
    let out = env
        .run(
            &bmc,
            &["get", "--hosts", &long.display().to_string(), "Systems/1"],
        )
        .code(2);
    assert!(
        out.stderr.contains("line 2 is longer than 4096 bytes"),
        "{out:?}"
    );
    assert!(out.stdout.is_empty(), "nothing was fetched: {out:?}");
    let big = env.dir.path().join("big.json");
    fs::write(&big, format!("\"{}\"", "x".repeat(2 << 20))).unwrap();
    let before = bmc.state().requests.len();
    let at = format!("@{}", big.display());
    let out = env
        .run(&bmc, &["patch", &host, "Systems/1", "-d", &at])
        .code(2);
    assert!(out.stderr.contains("larger than 1 MiB"), "{out:?}");
    // Standard input: what is read stops past the maximum (the writer gets EPIPE).
    let mut child = env
        .cmd(
            Some(bmc.ca_path()),
            &[
                "post",
                &host,
                "Systems/1/Actions/ComputerSystem.Reset",
                "-d",
                "@-",
            ],
        )
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take();
    let _ = std::io::Write::write_all(stdin.as_mut().unwrap(), "x".repeat(8 << 20).as_bytes());
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("larger than 1 MiB"),
        "{out:?}"
    );
    assert_eq!(bmc.state().requests.len(), before, "nothing was sent");
}

#[test]
fn every_duration_takes_one_syntax_and_one_bound() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    for args in [
        vec!["--timeout", "500ms", "whoami", &host],
        vec!["--timeout", "2s", "whoami", &host],
        vec!["--timeout", "1m", "whoami", &host],
        vec!["--persist", "0", "whoami", &host],
        vec![
            "logout",
            &host,
            "--others",
            "--older-than",
            "30d",
            "--dry-run",
        ],
    ] {
        env.run(&bmc, &args).ok();
    }
    env.run(
        &bmc,
        &[
            "patch",
            &host,
            "Systems/1",
            "AssetTag=a",
            "--wait-timeout",
            "10m",
            "--dry-run",
        ],
    )
    .ok();
    for args in [
        vec!["--persist", "1000000000000d", "whoami", &host],
        vec!["--timeout", "31d", "whoami", &host],
        vec!["--timeout", "0", "whoami", &host],
        vec!["logout", &host, "--others", "--older-than", "31d"],
        vec![
            "patch",
            &host,
            "Systems/1",
            "AssetTag=a",
            "--wait-timeout",
            "1000d",
        ],
    ] {
        let out = env.run(&bmc, &args).code(2);
        assert!(
            out.stderr.contains("30d") || out.stderr.contains("above 0"),
            "{out:?}"
        );
    }
    // The settings file takes the same forms and the same bound.
    let path = env.dir.path().join("config.toml");
    let cfg = write_private(&path, "[defaults]\ntimeout = \"500ms\"\npersist = \"0\"\n");
    let with = [("RFSESSION_CONFIG", cfg.as_str())];
    let out = env.run_env(&bmc, &["--json", "config", &host], &with).ok();
    assert_eq!(out.json()["timeout"]["value"], "0.5s", "{out:?}");
    write_private(&path, "[defaults]\npersist = \"1000000000000d\"\n");
    let out = env.run_env(&bmc, &["whoami", &host], &with).code(2);
    assert!(out.stderr.contains("at most 30d"), "{out:?}");
}

#[test]
fn get_without_a_host_says_so_as_login_does_whatever_the_environment() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let want = "rfsession: no HOST given; pass it as an argument or set RFSESSION_HOST\n";
    for cmd in ["get", "login"] {
        for vars in [&[][..], &[("RFSESSION_USER", "admin")][..]] {
            let out = env.run_env(&bmc, &[cmd], vars).code(2);
            assert_eq!(out.stderr, want, "{cmd} with {vars:?}");
        }
    }
}
