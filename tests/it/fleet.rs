//! A thousand BMCs, one per loopback address: parallel logins, the cached listing, and
//! `logout --all` with bounded concurrency, per-host failure reasons and retry.

use std::fs;
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bmc_emulator::{Bmc, PASSWORD, Profile, USER};

use crate::common::{Env, PW, write_private};

fn raise_fd_limit() {
    unsafe {
        let mut r: libc::rlimit = std::mem::zeroed();
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut r);
        r.rlim_cur = r.rlim_max.min(65_536);
        libc::setrlimit(libc::RLIMIT_NOFILE, &r);
    }
}

/// `xargs -P jobs rfsession login` over the hosts, as an operator's script would.
fn xargs_login(env: &Env, bmcs: &[Bmc], jobs: usize) {
    let hosts: String = bmcs.iter().map(|b| b.host() + "\n").collect();
    let mut child = Command::new("xargs")
        .args([
            "-P",
            &jobs.to_string(),
            "-n",
            "1",
            &crate::common::bin(),
            "--cacert",
        ])
        .arg(bmcs[0].ca_path())
        .args(["login", "-u", USER])
        .env("RFSESSION_CACHE_DIR", env.cache())
        .env("RFSESSION_PASSWORD", PASSWORD)
        .stdin(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(hosts.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success(), "some logins failed");
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
fn a_thousand_bmcs() {
    raise_fd_limit();
    let bmcs = bmc_emulator::fleet(Profile::Idrac, 1000);
    let env = Env::new();
    let any = &bmcs[0];
    xargs_login(&env, &bmcs, 32);
    assert!(
        bmcs.iter()
            .all(|b| b.created() == 1 && b.live_sessions() == 1)
    );

    // One call for all of them, with one BMC hung: its own timeout, no one else's.
    let hosts = env.dir.path().join("hosts.txt");
    let list: String = bmcs.iter().map(|b| b.host() + "\n").collect();
    std::fs::write(&hosts, format!("# the lab\n{list}")).unwrap();
    bmcs[700].faults(|f| f.hang_all = true);
    let start = std::time::Instant::now();
    let path = hosts.display().to_string();
    let args = [
        "--timeout",
        "2",
        "get",
        "--hosts",
        &path,
        "--jobs",
        "32",
        "Systems/1",
        "--pointer",
        "/PowerState",
    ];
    let out = env.run(any, &args).code(5);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1000);
    let hung = format!("https://{}", bmcs[700].host());
    for l in &lines {
        if l["host"] == hung.as_str() {
            assert_eq!(l["exit"], 5, "{l}");
            assert!(
                l["error"].as_str().unwrap().contains("no answer within 2s"),
                "{l}"
            );
        } else {
            assert_eq!((&l["exit"], &l["body"]), (&0.into(), &"On".into()), "{l}");
        }
    }
    assert!(
        out.stderr.contains("1 of 1000 hosts failed"),
        "{}",
        out.stderr
    );
    bmcs[700].faults(|f| f.hang_all = false);

    let listed = env
        .run(any, &["--json", "sessions", "--cached"])
        .ok()
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1000);

    // Three BMCs fail to end their session: a 500 on every try, and one that hangs.
    for b in &bmcs[10..12] {
        b.faults(|f| f.delete_status = [500; 3].into());
    }
    bmcs[500].faults(|f| f.delete_hang = true);
    // Mixed failures (6 for the 500s, 5 for the hang): the highest code wins.
    let out = env
        .run(any, &["--timeout", "2", "logout", "--all", "--jobs", "32"])
        .code(6);
    assert!(
        out.stderr.contains("logged out of 997 of 1000"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("logged out 1/"),
        "progress line printed to a pipe"
    );
    for b in [&bmcs[10], &bmcs[11]] {
        let line = out
            .stderr
            .lines()
            .find(|l| l.contains(&b.host()))
            .expect("failed host reported");
        assert!(line.contains("HTTP 500"), "{line}");
    }
    let hung = out
        .stderr
        .lines()
        .find(|l| l.contains(&bmcs[500].host()))
        .unwrap();
    assert!(hung.contains("no answer within 2s"), "{hung}");
    let live: usize = bmcs.iter().map(Bmc::live_sessions).sum();
    assert_eq!(live, 3);

    // The failed ones stay cached; the next run finishes the job.
    bmcs[500].faults(|f| f.delete_hang = false);
    let left = env
        .run(any, &["--json", "sessions", "--cached"])
        .ok()
        .json();
    assert_eq!(left.as_array().unwrap().len(), 3);
    let out = env.run(any, &["--json", "logout", "--all"]).ok();
    assert_eq!(out.json().as_array().unwrap().len(), 3);
    assert_eq!(bmcs.iter().map(Bmc::live_sessions).sum::<usize>(), 0);
}

#[test]
fn login_whoami_and_logout_for_a_hosts_file() {
    let bmcs = bmc_emulator::fleet(Profile::Generic, 20);
    let env = Env::new();
    let any = &bmcs[0];
    let hosts = env.dir.path().join("hosts");
    let mut list: String = bmcs
        .iter()
        .map(|b| format!("{}  # rack 4\n", b.host()))
        .collect();
    list.push_str("\nnot a host\n");
    std::fs::write(&hosts, list).unwrap();
    let path = hosts.display().to_string();
    let lines = |out: &crate::common::Out| -> Vec<serde_json::Value> {
        out.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let out = env
        .run_env(
            any,
            &["login", "--hosts", &path, "-u", USER],
            &[("RFSESSION_PASSWORD", PASSWORD)],
        )
        .code(2);
    let got = lines(&out);
    assert_eq!(got.len(), 21);
    assert_eq!(
        got.iter()
            .filter(|l| l["exit"] == 0 && l["reused"] == false)
            .count(),
        20
    );
    assert!(
        got.iter()
            .any(|l| l["host"] == "not a host" && l["exit"] == 2),
        "{out:?}"
    );
    assert!(bmcs.iter().all(|b| b.created() == 1));
    std::fs::write(
        &hosts,
        bmcs.iter().map(|b| b.host() + "\n").collect::<String>(),
    )
    .unwrap();
    let out = env.run(any, &["whoami", "--hosts", &path]).ok();
    assert!(
        lines(&out)
            .iter()
            .all(|l| l["valid"] == true && l["user"] == USER),
        "{out:?}"
    );
    bmcs[3].expire_all();
    let out = env.run(any, &["whoami", "--hosts", &path]).code(4);
    assert_eq!(lines(&out).iter().filter(|l| l["exit"] == 4).count(), 1);
    let out = env.run(any, &["logout", "--hosts", &path]).ok();
    assert!(
        lines(&out).iter().all(|l| l["logged_out"] == true),
        "{out:?}"
    );
    assert_eq!(bmcs.iter().map(Bmc::live_sessions).sum::<usize>(), 0);
}

#[test]
fn logout_all_shows_progress_only_on_a_terminal() {
    let bmcs = bmc_emulator::fleet(Profile::Generic, 1)
        .into_iter()
        .chain((0..4).map(|_| Bmc::start(Profile::Generic)))
        .collect::<Vec<_>>();
    let env = Env::new();
    xargs_login(&env, &bmcs, 4);
    // `script` gives the command a pseudo-terminal, as an interactive shell would.
    let cmd = format!(
        "{} --cacert {} logout --all --jobs 2",
        crate::common::bin(),
        bmcs[0].ca_path().display()
    );
    let out = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("RFSESSION_CACHE_DIR", env.cache())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("\rrfsession: logged out 5/5"), "{text:?}");
    assert!(
        text.contains("logged out of 5 of 5 cached hosts"),
        "{text:?}"
    );
}

#[test]
fn netrc_is_read_once_for_a_whole_fleet() {
    use std::os::unix::fs::PermissionsExt;
    let bmcs = bmc_emulator::fleet(Profile::Generic, 3);
    let env = Env::new();
    let hosts = env.dir.path().join("hosts");
    let list: String = bmcs.iter().map(|b| format!("{}\n", b.host())).collect();
    std::fs::write(&hosts, list).unwrap();
    let netrc = env.dir.path().join("netrc");
    std::fs::write(
        &netrc,
        format!("default login {USER} password {PASSWORD}\n"),
    )
    .unwrap();
    std::fs::set_permissions(&netrc, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (path, n) = (hosts.display().to_string(), netrc.display().to_string());
    // User and password from netrc's default entry, for every host.
    let out = env
        .run_env(&bmcs[0], &["login", "--hosts", &path], &[("NETRC", &n)])
        .ok();
    assert_eq!(out.stdout.lines().count(), 3, "{out:?}");
    env.run(&bmcs[0], &["logout", "--all"]).ok();
    // A netrc open to others is ignored, and said so once, not once per host and lookup.
    std::fs::set_permissions(&netrc, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = env
        .run_env(&bmcs[0], &["login", "--hosts", &path], &[("NETRC", &n)])
        .code(2);
    assert_eq!(
        out.stderr.matches("is not private to you; ignored").count(),
        1,
        "{out:?}"
    );
    assert_eq!(bmcs.iter().map(Bmc::created).sum::<u64>(), 3);
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
