//! The second adversarial review (issue 18 items 5-8, 11-14, 16, 18; issue 21 item 6;
//! issue 17 item 9): settings others could write, hostile links in completion, proxy
//! passwords, Ctrl-C in a fleet, NO_PROXY, netrc macros, bounded inputs, request items and
//! one duration syntax. Each test failed on the build before the fix.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bmc_emulator::{Bmc, PASSWORD, Profile, USER};

use crate::common::{Env, logged_in};

const PW: [(&str, &str); 1] = [("RFSESSION_PASSWORD", PASSWORD)];

fn write_private(path: &Path, text: &str) -> String {
    fs::write(path, text).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o600)).unwrap();
    path.display().to_string()
}

fn is_root() -> bool {
    unsafe { libc::geteuid() == 0 }
}

#[test]
fn a_settings_file_others_could_write_is_refused_like_ssh() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    let ran = env.dir.path().join("ran");
    let path = env.dir.path().join("config.toml");
    let cfg = write_private(
        &path,
        &format!(
            "[defaults]\ninsecure = true\nuser = \"{USER}\"\npassword_command = \"touch {} && echo {PASSWORD}\"\n",
            ran.display()
        ),
    );
    let with = [("RFSESSION_CONFIG", cfg.as_str())];
    // Writable by others, with no password source in it: still refused, before a word of
    // it is used (it turns off TLS checks and names a proxy).
    let shared = env.dir.path().join("shared.toml");
    let shared_cfg = write_private(
        &shared,
        "[defaults]\ninsecure = true\nproxy = \"http://127.0.0.1:1\"\n",
    );
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o666)).unwrap();
    let out = env
        .run_env(
            &bmc,
            &["config", &host],
            &[("RFSESSION_CONFIG", &shared_cfg)],
        )
        .code(7);
    assert!(
        out.stderr.contains(&format!("chmod go-w {shared_cfg}")),
        "{out:?}"
    );
    fs::set_permissions(&path, fs::Permissions::from_mode(0o666)).unwrap();
    let out = env.run_env(&bmc, &["login", &host], &with).code(7);
    assert!(
        out.stderr.contains(&cfg)
            && out
                .stderr
                .contains("writable by group or others (mode 666)")
            && out.stderr.contains(&format!("chmod go-w {cfg}")),
        "{out:?}"
    );
    assert!(!ran.exists(), "the password command ran");
    assert_eq!(bmc.created(), 0);
    // A directory above it that others can write to (and is not sticky).
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    let dir = env.dir.path().join("shared");
    fs::create_dir(&dir).unwrap();
    let inner = dir.join("config.toml");
    fs::copy(&path, &inner).unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o777)).unwrap();
    let inner_cfg = inner.display().to_string();
    let out = env
        .run_env(
            &bmc,
            &["config", &host],
            &[("RFSESSION_CONFIG", &inner_cfg)],
        )
        .code(7);
    assert!(
        out.stderr
            .contains(&format!("{} above it is writable", dir.display())),
        "{out:?}"
    );
    // Sticky, as /tmp: fine.
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o1777)).unwrap();
    env.run_env(
        &bmc,
        &["config", &host],
        &[("RFSESSION_CONFIG", &inner_cfg)],
    )
    .ok();
    // Owned by another user, even mode 0600: its command never runs as this user.
    if is_root() {
        std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
        let out = env.run_env(&bmc, &["login", &host], &with).code(7);
        assert!(
            out.stderr.contains("owned by uid 65534")
                && out.stderr.contains(&format!("chown 0 {cfg}")),
            "{out:?}"
        );
        assert!(!ran.exists(), "the password command ran");
    }
    assert_eq!(bmc.created(), 0);
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
fn proxy_passwords_never_show_in_any_form() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    // Scheme-less, as HTTPS_PROXY is often written; the proxy is down.
    let proxy = [("HTTPS_PROXY", "ops:hunter2@127.0.0.1:1")];
    let out = env
        .run_env(&bmc, &["-v", "get", &host, "Systems/1"], &proxy)
        .code(5);
    assert!(out.stderr.contains("ops:***@127.0.0.1:1"), "{out:?}");
    assert!(!out.all().contains("hunter2"), "{out:?}");
    let out = env.run_env(&bmc, &["config", &host], &proxy).ok();
    assert!(out.stdout.contains("ops:***@127.0.0.1:1"), "{out:?}");
    assert!(!out.all().contains("hunter2"), "{out:?}");
    let out = env.run_env(&bmc, &["--json", "config", &host], &proxy).ok();
    assert!(!out.all().contains("hunter2"), "{out:?}");
    // A settings line with a mistake is named, never echoed.
    let cfg = write_private(
        &env.dir.path().join("config.toml"),
        "[defaults]\nproxy = http://ops:hunter2@127.0.0.1:3128\n",
    );
    let out = env
        .run_env(&bmc, &["config", &host], &[("RFSESSION_CONFIG", &cfg)])
        .code(2);
    assert!(out.stderr.contains("line 2"), "{out:?}");
    assert!(!out.all().contains("hunter2"), "{out:?}");
}

/// Four BMCs answering slowly, a fleet command two hosts at a time, SIGINT while the first
/// two are in flight: they finish, the other two are never started, and the process ends
/// by the signal. `after` waits until the signal should come.
fn interrupt(env: &Env, bmcs: &[Bmc], args: &[&str], after: impl Fn()) -> std::process::Output {
    for b in bmcs {
        b.faults(|f| f.delay = Duration::from_millis(1500));
    }
    let child = env.spawn(&bmcs[0], args, &PW);
    // The fleet's workers have started (the process has more than one thread).
    let tasks = format!("/proc/{}/task", child.id());
    let start = Instant::now();
    while fs::read_dir(&tasks).map_or(0, Iterator::count) < 3 {
        assert!(start.elapsed() < Duration::from_secs(20), "no workers");
        std::thread::sleep(Duration::from_millis(5));
    }
    after();
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    // A request the BMC had already read is answered after the delay, client or not.
    std::thread::sleep(Duration::from_millis(1800));
    for b in bmcs {
        b.faults(|f| f.delay = Duration::ZERO);
    }
    out
}

fn entries(env: &Env) -> usize {
    fs::read_dir(env.cache())
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn ctrl_c_in_a_fleet_leaves_exactly_the_sessions_the_cache_names() {
    let bmcs = bmc_emulator::fleet(Profile::Generic, 4);
    let env = Env::new();
    let list = env.dir.path().join("hosts");
    fs::write(
        &list,
        bmcs.iter().map(|b| b.host() + "\n").collect::<String>(),
    )
    .unwrap();
    let list = list.display().to_string();
    // The service root is answered (the BMC records a request when it answers it): the
    // session POSTs of the first two hosts are on their way.
    let status = interrupt(
        &env,
        &bmcs,
        &["login", "--hosts", &list, "-j", "2", "-u", USER],
        || {
            let start = Instant::now();
            while bmcs.iter().all(|b| b.state().requests.is_empty()) {
                assert!(start.elapsed() < Duration::from_secs(20), "no request came");
                std::thread::sleep(Duration::from_millis(10));
            }
            std::thread::sleep(Duration::from_millis(500));
        },
    );
    assert_eq!(status.status.signal(), Some(libc::SIGINT), "{status:?}");
    let live: usize = bmcs.iter().map(Bmc::live_sessions).sum();
    assert_eq!(live, 2, "the two logins in flight finished, no other began");
    assert_eq!(live, entries(&env), "every session on a BMC has its entry");
    // logout --all: its DELETEs are on their way (each is its one request).
    let status = interrupt(&env, &bmcs, &["logout", "--all", "-j", "2"], || {
        std::thread::sleep(Duration::from_millis(300))
    });
    assert_eq!(status.status.signal(), Some(libc::SIGINT), "{status:?}");
    let live: usize = bmcs.iter().map(Bmc::live_sessions).sum();
    assert_eq!(
        live,
        entries(&env),
        "every entry still names a live session"
    );
    assert!(live < 2, "the logouts in flight finished");
}

#[test]
fn no_proxy_lists_as_curl_reads_them() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let port = bmc.addr().port();
    let down = ("HTTPS_PROXY", "http://127.0.0.1:1");
    // Blank-separated lists and trailing dots exempt the host, as in curl.
    for list in ["example.com 127.0.0.1", "example.com\t127.0.0.1"] {
        env.run_env(
            &bmc,
            &["get", &host, "Systems/1"],
            &[down, ("NO_PROXY", list)],
        )
        .ok();
    }
    let name = format!("localhost:{port}");
    env.run_env(
        &bmc,
        &["login", &name, "-u", USER],
        &[down, ("NO_PROXY", "localhost."), PW[0]],
    )
    .ok();
    // `*` inside a list is a name, not "everything": the proxy is used (and is down).
    let out = env
        .run_env(
            &bmc,
            &["get", &host, "Systems/1"],
            &[down, ("NO_PROXY", "example.com,*")],
        )
        .code(5);
    assert!(
        out.stderr.contains("the proxy http://127.0.0.1:1"),
        "{out:?}"
    );
    // A trailing-dot host finds its settings section.
    let cfg = write_private(
        &env.dir.path().join("config.toml"),
        "[hosts.\"localhost\"]\nuser = \"ops\"\n",
    );
    let out = env
        .run_env(
            &bmc,
            &["--json", "config", &format!("localhost.:{port}")],
            &[("RFSESSION_CONFIG", &cfg)],
        )
        .ok();
    assert_eq!(out.json()["user"]["value"], "ops", "{out:?}");
}

#[test]
fn a_machine_inside_a_netrc_macro_is_no_entry() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    let netrc = write_private(
        &env.dir.path().join("netrc"),
        &format!(
            "macdef init\nmachine 127.0.0.1 login {USER} password {PASSWORD}\n\nmachine other login x password y\n"
        ),
    );
    let out = env
        .run_env(&bmc, &["login", &host, "-u", USER], &[("NETRC", &netrc)])
        .code(2);
    assert!(out.stderr.contains("no password"), "{out:?}");
    assert_eq!(bmc.created(), 0);
}

#[test]
fn a_password_command_is_bounded_in_size() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    // The one that never ends is messages::password_command_hangs.
    let start = Instant::now();
    let out = env
        .run(
            &bmc,
            &[
                "--timeout",
                "5",
                "login",
                &host,
                "-u",
                USER,
                "--password-command",
                "exec head -c 50000000 /dev/zero",
            ],
        )
        .code(2);
    assert!(
        out.stderr.contains("printed more than 4096 bytes"),
        "{out:?}"
    );
    assert!(start.elapsed() < Duration::from_secs(8));
    assert_eq!(bmc.created(), 0);
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
fn request_items_split_at_the_first_separator() {
    let (bmc, env) = logged_in(Profile::Generic);
    let out = env
        .run(
            &bmc,
            &[
                "--json",
                "patch",
                &bmc.host(),
                "Systems/1",
                "AssetTag=rack:=12",
                "Count:=3",
                "--dry-run",
            ],
        )
        .ok();
    assert_eq!(
        out.json()["body"],
        serde_json::json!({"AssetTag": "rack:=12", "Count": 3}),
        "{out:?}"
    );
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
fn a_fleet_reads_stdin_once_and_each_host_finds_its_own_password() {
    let bmcs = bmc_emulator::fleet(Profile::Generic, 2);
    let env = Env::new();
    let hosts: String = bmcs.iter().map(|b| b.host() + "\n").collect();
    // `--hosts -` and `--password-stdin` would share standard input.
    let out = env
        .run_stdin(
            &bmcs[0],
            &["login", "--hosts", "-", "--password-stdin", "-u", USER],
            &format!("{hosts}{PASSWORD}\n"),
        )
        .code(2);
    assert!(out.stderr.contains("both read standard input"), "{out:?}");
    assert!(!out.all().contains(PASSWORD), "{out:?}");
    assert_eq!(bmcs.iter().map(Bmc::created).sum::<u64>(), 0);
    // Each host's password from the settings file, as a single-host login takes it.
    let pass = env.dir.path().join("pass");
    write_private(&pass, &format!("{PASSWORD}\n"));
    let cfg = write_private(
        &env.dir.path().join("config.toml"),
        &format!(
            "[hosts.\"127.1.*\"]\nuser = \"{USER}\"\npassword_file = \"{}\"\n",
            pass.display()
        ),
    );
    let list: PathBuf = env.dir.path().join("hosts");
    fs::write(&list, &hosts).unwrap();
    env.run_env(
        &bmcs[0],
        &["login", "--hosts", &list.display().to_string()],
        &[("RFSESSION_CONFIG", &cfg)],
    )
    .ok();
    assert!(bmcs.iter().all(|b| b.live_sessions() == 1));
}
