//! Holds: every shell or script that ran `login` holds the session, and `logout` ends it only
//! when no live holder remains; the other ways out (--force, --forget), dry runs, and the
//! login that get, the writes, token and exec do when nothing is cached.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::common::{Env, Out, bin, wait};
use bmc_emulator::{Bmc, PASSWORD, Profile, USER};

const PW: [(&str, &str); 2] = [("RFSESSION_PASSWORD", PASSWORD), ("RFSESSION_USER", USER)];

/// A long-lived shell that ran `rfsession login` (an operator's interactive shell): it
/// waits for a line on stdin, then runs `rfsession logout` and exits.
struct Holder {
    child: Child,
    pid: u32,
}

impl Holder {
    fn start(env: &Env, bmc: &Bmc) -> Holder {
        let rf = format!("{} --cacert {}", bin(), bmc.ca_path().display());
        let script = format!(
            "{rf} login {h} || exit 9; echo ready; read line; {rf} logout {h}; echo $?",
            h = bmc.host()
        );
        let mut child = Command::new("sh")
            .args(["-c", &script])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", env.dir.path())
            .env("RFSESSION_CACHE_DIR", env.cache())
            .envs(PW)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the holder's login failed");
        let pid = child.id();
        Holder { child, pid }
    }

    /// Let the shell run its `logout`; its exit code.
    fn logout(mut self) -> String {
        writeln!(self.child.stdin.as_mut().unwrap()).unwrap();
        let out = self.child.wait_with_output().unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}

/// `sh -c SCRIPT` with rfsession as `$RF`, the host as `$BMC`, the password in the
/// environment, and no terminal.
fn script(env: &Env, bmc: &Bmc, text: &str) -> Command {
    let mut c = Command::new("sh");
    c.args(["-c", text])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("RFSESSION_CACHE_DIR", env.cache())
        .env(
            "RF",
            format!("{} --cacert {}", bin(), bmc.ca_path().display()),
        )
        .env("BMC", bmc.host())
        .envs(PW)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn entry(env: &Env, bmc: &Bmc) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(env.entry_path(bmc)).unwrap()).unwrap()
}

#[test]
fn sixty_four_scripts_share_a_held_session_and_the_holders_logout_ends_it() {
    let bmc = Bmc::start(Profile::Ilo5);
    let env = Env::new();
    let holder = Holder::start(&env, &bmc);
    assert_eq!(bmc.created(), 1);

    // Watch the BMC's table the whole time: never more than one session of this cache.
    let most = AtomicUsize::new(0);
    let done = AtomicBool::new(false);
    let start = Instant::now();
    let outs = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                most.fetch_max(bmc.live_sessions(), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(2));
            }
        });
        let outs = run_scripts(&env, &bmc);
        done.store(true, Ordering::Relaxed);
        outs
    });
    for o in &outs {
        assert_eq!(o.code, 0, "{o:?}");
        // Only the notice that the logout kept the session the interactive shell holds.
        for line in o.stderr.lines() {
            let want = format!(
                "kept the session: still held by pid {} (sh) since ",
                holder.pid
            );
            assert!(line.contains(&want), "{o:?}");
        }
    }
    let took = start.elapsed();
    assert!(took < Duration::from_secs(120), "took {took:?}");
    assert_eq!(bmc.created(), 1, "the scripts created sessions");
    assert_eq!(most.load(Ordering::Relaxed), 1);
    assert_eq!(
        bmc.live_sessions(),
        1,
        "the scripts' logouts ended the held session"
    );
    // Only the interactive shell still holds it; the scripts' holds are gone.
    let holds = entry(&env, &bmc)["holds"].as_array().unwrap().clone();
    assert_eq!(holds.len(), 1, "{holds:?}");
    assert_eq!(holds[0]["pid"], holder.pid);

    assert_eq!(holder.logout(), "0");
    assert_eq!(bmc.live_sessions(), 0, "the last holder's logout ends it");
    assert!(!env.entry_path(&bmc).exists());
}

/// 64 scripts at once, each `login; get; get; logout` (the logout in a trap, as the README
/// shows).
fn run_scripts(env: &Env, bmc: &Bmc) -> Vec<Out> {
    let children: Vec<Child> = (0..64)
        .map(|_| {
            script(
                env,
                bmc,
                r#"set -e
                $RF login "$BMC"
                trap '$RF logout "$BMC"' EXIT
                $RF get "$BMC" /redfish/v1/Systems/1 >/dev/null
                $RF get "$BMC" /redfish/v1/Systems/1 --pointer /PowerState >/dev/null"#,
            )
            .spawn()
            .unwrap()
        })
        .collect();
    children.into_iter().map(wait).collect()
}

/// A script that logged in and then hangs (its shell replaced by sleep: the same process,
/// so it holds the session), once its hold is on the entry.
pub fn sleeping_holder(env: &Env, bmc: &Bmc) -> Child {
    let child = script(env, bmc, r#"$RF login "$BMC" && exec sleep 600"#)
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !(env.entry_path(bmc).exists()
        && entry(env, bmc)["holds"]
            .as_array()
            .is_some_and(|a| !a.is_empty()))
    {
        assert!(Instant::now() < deadline, "the script never logged in");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

#[test]
fn a_holder_killed_with_9_does_not_keep_the_session_past_the_next_logout() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let h = bmc.host();
    let mut child = sleeping_holder(&env, &bmc);
    // While it lives, another logout keeps the session and says who holds it.
    let out = env.run(&bmc, &["logout", &h]).ok();
    let pid = child.id();
    assert!(
        out.stderr.contains(&format!(
            "kept the session: still held by pid {pid} (sh) since "
        )),
        "{out:?}"
    );
    assert!(
        out.stderr
            .contains(&format!("rfsession logout {} --force", bmc.url())),
        "{out:?}"
    );
    let doc = env.run(&bmc, &["--json", "logout", &h]).ok().json();
    assert_eq!(doc["ended"], false);
    assert_eq!(doc["logged_out"], false);
    assert_eq!(doc["holders"][0]["pid"], pid);
    assert_eq!(doc["holders"][0]["program"], "sh");
    assert_eq!(bmc.live_sessions(), 1);
    // whoami and sessions --cached show the holder.
    let who = env.run(&bmc, &["whoami", &h]).ok();
    assert!(
        who.stdout.contains(&format!("held by:  pid {pid} (sh)")),
        "{who:?}"
    );
    let cached = env
        .run(&bmc, &["--json", "sessions", "--cached"])
        .ok()
        .json();
    assert_eq!(cached[0]["holders"][0]["pid"], pid);
    let table = env.run(&bmc, &["sessions", "--cached"]).ok();
    assert!(table.stdout.contains(&format!("{pid}(sh)")), "{table:?}");

    child.kill().unwrap();
    child.wait().unwrap();
    let doc = env.run(&bmc, &["--json", "logout", &h]).ok().json();
    assert_eq!(doc["ended"], true, "{doc}");
    assert_eq!(bmc.live_sessions(), 0);
    assert!(!env.entry_path(&bmc).exists());
}

#[test]
fn a_reused_pid_is_not_taken_for_the_holder() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let h = bmc.host();
    let mut child = sleeping_holder(&env, &bmc);
    // The hold names a live pid, but a process that started at another time: a pid the
    // kernel gave to someone else after the holder exited.
    let path = env.entry_path(&bmc);
    let mut e = entry(&env, &bmc);
    let start = e["holds"][0]["start"].as_u64().unwrap();
    e["holds"][0]["start"] = (start + 1).into();
    std::fs::write(&path, serde_json::to_vec_pretty(&e).unwrap()).unwrap();
    let doc = env.run(&bmc, &["--json", "logout", &h]).ok().json();
    assert_eq!(doc["ended"], true, "{doc}");
    assert_eq!(bmc.live_sessions(), 0);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn force_and_all_and_forget() {
    let a = Bmc::start(Profile::Generic);
    let b = Bmc::start(Profile::Generic);
    let env = Env::new();
    let held = Holder::start(&env, &a);
    // b: logged in from a shell that has exited: nothing holds it any more.
    let out = script(&env, &b, r#"$RF login "$BMC""#).output().unwrap();
    assert!(out.status.success());

    // Dry run first: a line per host, saying what would happen; nothing changes.
    let out = env.run(&a, &["logout", "--all", "--dry-run"]).ok();
    assert!(
        out.stderr.contains(&format!(
            "{}: dry run: would keep the session: still held by pid {}",
            a.url(),
            held.pid
        )),
        "{out:?}"
    );
    assert!(
        out.stderr.contains(&format!(
            "{}: dry run: would DELETE /redfish/v1/SessionService/Sessions/",
            b.url()
        )),
        "{out:?}"
    );
    let doc = env
        .run(&a, &["--json", "logout", "--all", "--dry-run"])
        .ok()
        .json();
    let rows = doc.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    for row in rows {
        assert_eq!(row["dry_run"], true, "{row}");
        assert_eq!(row["logged_out"], false, "{row}");
        let want = if row["host"] == a.url() {
            "keep"
        } else {
            "end"
        };
        assert_eq!(row["action"], want, "{row}");
    }
    assert_eq!(
        rows.iter().find(|r| r["host"] == a.url()).unwrap()["held_by"],
        1
    );
    let doc = env
        .run(&a, &["--json", "logout", "--all", "--forget", "--dry-run"])
        .ok()
        .json();
    assert!(
        doc.as_array()
            .unwrap()
            .iter()
            .all(|r| r["action"] == "forget"),
        "{doc}"
    );
    let doc = env
        .run(&a, &["--json", "logout", "nothing.example", "--dry-run"])
        .ok()
        .json();
    assert_eq!(doc["action"], "nothing");
    assert_eq!((a.live_sessions(), b.live_sessions()), (1, 1));
    assert!(env.entry_path(&a).exists() && env.entry_path(&b).exists());

    // --all: the same rule per host.
    let doc = env.run(&a, &["--json", "logout", "--all"]).ok().json();
    let rows = doc.as_array().unwrap();
    let row_a = rows.iter().find(|r| r["host"] == a.url()).unwrap();
    assert_eq!(row_a["ended"], false, "{doc}");
    assert_eq!(row_a["holders"][0]["pid"], held.pid, "{doc}");
    assert_eq!(
        rows.iter().find(|r| r["host"] == b.url()).unwrap()["ended"],
        true
    );
    assert_eq!((a.live_sessions(), b.live_sessions()), (1, 0));

    // --force ends it whatever holds it.
    env.run(&a, &["logout", &a.host(), "--force"]).ok();
    assert_eq!(a.live_sessions(), 0);
    assert!(!env.entry_path(&a).exists());
    // The holder's own logout then finds nothing to do.
    assert_eq!(held.logout(), "0");

    // --forget: the entry goes without a word to the BMC; the session is left to expire.
    env.login(&a).ok();
    let before = a.state().requests.len();
    let out = env.run(&a, &["logout", &a.host(), "--forget"]).ok();
    assert_eq!(
        a.state().requests.len(),
        before,
        "--forget contacted the BMC"
    );
    assert!(
        out.stderr.contains("forgot the cached session and its certificate trust without contacting the BMC; a session there, if any, is left to time out"),
        "{out:?}"
    );
    assert!(!env.entry_path(&a).exists());
    assert_eq!(a.live_sessions(), 1);
    env.login(&a).ok();
    env.login(&b).ok();
    let doc = env
        .run(&a, &["--json", "logout", "--all", "--forget"])
        .ok()
        .json();
    assert!(
        doc.as_array().unwrap().iter().all(|r| r["forgot"] == true),
        "{doc}"
    );
    assert!(!env.entry_path(&a).exists() && !env.entry_path(&b).exists());
}

#[test]
fn others_dry_run_with_nothing_to_end_says_so() {
    let (bmc, env) = crate::common::logged_in(Profile::Generic);
    let out = env
        .run(&bmc, &["logout", &bmc.host(), "--others", "--dry-run"])
        .ok();
    assert!(
        out.stderr
            .contains("dry run: no other session matches; nothing would be ended"),
        "{out:?}"
    );
}

#[test]
fn get_writes_token_and_exec_log_in_when_nothing_is_cached() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let h = bmc.host();
    let sys = "/redfish/v1/Systems/1";
    // Without a password source: exit 4 and the hint, as before.
    let out = env.run(&bmc, &["get", &h, sys]).code(4);
    assert!(
        out.stderr.contains("not logged in; run: rfsession login"),
        "{out:?}"
    );
    assert_eq!(bmc.created(), 0);

    // 64 gets at once on a cold cache: one session, and it holds nothing.
    let children: Vec<Child> = (0..64)
        .map(|_| env.spawn(&bmc, &["get", &h, sys], &PW))
        .collect();
    for o in children.into_iter().map(wait) {
        assert_eq!(o.code, 0, "{o:?}");
        assert_eq!(o.json()["PowerState"], "On");
    }
    assert_eq!(bmc.created(), 1);
    assert!(entry(&env, &bmc).get("holds").is_none());
    // Nothing holds it, so any logout ends it.
    env.run(&bmc, &["logout", &h]).ok();
    assert_eq!(bmc.live_sessions(), 0);

    // A write, with the password from a file given on that call.
    let pwfile = env.dir.path().join("pw");
    std::fs::write(&pwfile, PASSWORD).unwrap();
    std::fs::set_permissions(&pwfile, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let pwfile = pwfile.to_str().unwrap();
    env.run(
        &bmc,
        &[
            "patch",
            &h,
            sys,
            "AssetTag=rack-1",
            "-u",
            USER,
            "--password-file",
            pwfile,
        ],
    )
    .ok();
    assert_eq!(bmc.created(), 2);
    env.run(&bmc, &["logout", &h]).ok();

    // token, from the environment.
    let out = env.run_env(&bmc, &["token", &h], &PW).ok();
    assert_eq!(bmc.created(), 3);
    assert!(bmc.tokens().contains(&out.stdout.trim().to_owned()));
    env.run(&bmc, &["logout", &h]).ok();

    // exec, user from -u, password from the environment.
    let out = env
        .run_env(
            &bmc,
            &[
                "exec",
                &h,
                "-u",
                USER,
                "--",
                "sh",
                "-c",
                "test -n \"$RFSESSION_TOKEN\" && echo ok",
            ],
            &[("RFSESSION_PASSWORD", PASSWORD)],
        )
        .ok();
    assert_eq!(out.stdout.trim(), "ok");
    assert_eq!(bmc.live_sessions(), 1);
}

/// `script` gives the command a pseudo-terminal, as an interactive shell would.
fn on_terminal(env: &Env, bmc: &Bmc, args: &str) -> String {
    let cmd = format!("{} --cacert {} {args}", bin(), bmc.ca_path().display());
    let out = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("HOME", env.dir.path())
        .env("RFSESSION_CACHE_DIR", env.cache())
        .env("RFSESSION_PASSWORD", PASSWORD)
        .env("RFSESSION_USER", USER)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn quiet_when_it_went_well_without_a_terminal() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    // The README's cron line, and login; get; logout: nothing on stderr.
    let out = script(
        &env,
        &bmc,
        r#"$RF login "$BMC" && $RF get "$BMC" /redfish/v1/Systems/1 --pointer /PowerState && $RF logout "$BMC""#,
    )
    .output()
    .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "On\n");
    // Errors are unchanged.
    let out = script(&env, &bmc, r#"$RF whoami "$BMC""#).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not logged in"));

    // On a terminal, the informational lines are there; -q removes them.
    let h = bmc.host();
    let text = on_terminal(&env, &bmc, &format!("login {h}"));
    assert!(
        text.contains(&format!("{h}: logged in as admin")),
        "{text:?}"
    );
    let text = on_terminal(&env, &bmc, &format!("login {h}"));
    assert!(text.contains("reusing the session of admin"), "{text:?}");
    let text = on_terminal(&env, &bmc, &format!("-q login {h}"));
    assert_eq!(text, "");
    let text = on_terminal(&env, &bmc, &format!("-q logout {h}"));
    assert_eq!(text, "");
    assert_eq!(bmc.live_sessions(), 0);
    // -v says it without a terminal too.
    let out = env.login_with(&bmc, &["-v"]).ok();
    assert!(out.stderr.contains("logged in as admin"), "{out:?}");
}

/// A subreaper (as `systemd --user` is) that runs `bash -c "rfsession login ... & read x"`:
/// the shell exits while the login waits on the BMC, and the subreaper adopts rfsession.
/// It did not run `login`, so it holds nothing: it would keep the session until `--force`.
#[test]
fn a_login_whose_shell_exits_mid_way_leaves_no_hold_on_the_process_that_adopted_it() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    bmc.faults(|f| f.delay = Duration::from_millis(1500));
    let reaper = r#"
import ctypes, os, subprocess, sys
assert ctypes.CDLL(None).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
subprocess.run(["bash", "-c", '$RF login $BMC & read x; exit 0'], check=True)
codes = []
while True:
    try:
        codes.append(os.waitstatus_to_exitcode(os.wait()[1]))
    except ChildProcessError:
        break
print(os.getpid(), codes)
"#;
    let mut cmd = script(&env, &bmc, "exec python3 -c \"$REAPER\"");
    cmd.env("REAPER", reaper).stdin(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    // Once rfsession has reached the BMC, the shell may exit.
    let start = Instant::now();
    while bmc.state().connections == 0 {
        assert!(start.elapsed() < Duration::from_secs(20), "no login came");
        std::thread::sleep(Duration::from_millis(10));
    }
    writeln!(child.stdin.as_mut().unwrap()).unwrap();
    let out = wait(child);
    assert_eq!(out.code, 0, "{out:?}");
    let (pid, codes) = out.stdout.trim().split_once(' ').unwrap();
    let pid: u64 = pid.parse().unwrap();
    assert_eq!(codes, "[0]", "the login failed: {out:?}");
    bmc.faults(|f| f.delay = Duration::ZERO);
    assert_eq!(bmc.live_sessions(), 1);
    let holds = entry(&env, &bmc)
        .get("holds")
        .and_then(|h| h.as_array().cloned())
        .unwrap_or_default();
    assert!(
        holds.iter().all(|h| h["pid"] != pid),
        "the subreaper {pid} holds the session: {holds:?}"
    );
    // So a plain logout ends it.
    env.run(&bmc, &["logout", &bmc.host()]).ok();
    assert_eq!(bmc.live_sessions(), 0);
}

/// The same, as `systemd --user` runs a service (in a session of its own) whose script ends
/// with `rfsession login ... & exit 0`: the shell often exits before rfsession has even
/// started, so the subreaper is its parent from the first instruction on.
#[test]
fn a_login_orphaned_before_it_started_leaves_no_hold_on_the_subreaper() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let reaper = r#"
import ctypes, os, subprocess
assert ctypes.CDLL(None).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
codes = []
for _ in range(10):
    subprocess.run(["bash", "-c", '$RF login $BMC & exit 0'], start_new_session=True)
    while True:
        try:
            codes.append(os.waitstatus_to_exitcode(os.wait()[1]))
        except ChildProcessError:
            break
print(os.getpid(), sum(codes), len(codes))
"#;
    let mut cmd = script(&env, &bmc, "exec python3 -c \"$REAPER\"");
    cmd.env("REAPER", reaper);
    let out = wait(cmd.spawn().unwrap());
    assert_eq!(out.code, 0, "{out:?}");
    let words: Vec<u64> = out
        .stdout
        .split_whitespace()
        .map(|w| w.parse().unwrap())
        .collect();
    assert_eq!(words[1..], [0, 10], "a login failed: {out:?}");
    assert_eq!(bmc.created(), 1);
    let holds = entry(&env, &bmc)
        .get("holds")
        .and_then(|h| h.as_array().cloned())
        .unwrap_or_default();
    assert!(
        holds.iter().all(|h| h["pid"] != words[0]),
        "the subreaper {} holds the session: {holds:?}",
        words[0]
    );
    env.run(&bmc, &["logout", &bmc.host()]).ok();
    assert_eq!(bmc.live_sessions(), 0);
}

/// In a container the shell may lead from outside its pid namespace: its session id is 0
/// (`docker exec`, `unshare -p`), and rustix's getsid panicked on it. The shell that ran
/// `login` there, pid 1 of the namespace, holds the session as any shell does.
#[test]
fn a_login_in_a_pid_namespace_is_held_by_the_shell_that_ran_it() {
    let probe = Command::new("unshare")
        .args(["-p", "-f", "-m", "--mount-proc", "true"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: this machine cannot make a pid namespace (unshare -p)");
        return;
    }
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let out = script(
        &env,
        &bmc,
        "exec unshare -p -f -m --mount-proc sh -c '$RF login $BMC && $RF whoami $BMC; $RF logout $BMC'",
    )
    .output()
    .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(text.contains("held by:  pid 1 (sh)"), "{out:?}");
    assert_eq!(bmc.live_sessions(), 0);
}

/// A `get` of several paths logs in when nothing is cached, as a get of one path does.
#[test]
fn a_get_of_several_paths_logs_in_when_nothing_is_cached() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let h = bmc.host();
    let out = env
        .run_env(&bmc, &["get", &h, "Systems/1", "Systems", "--ndjson"], &PW)
        .ok();
    assert_eq!(out.stdout.lines().count(), 2, "{out:?}");
    assert_eq!(bmc.created(), 1);
}
