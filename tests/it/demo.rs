//! `./demo.sh`, the README's first command: it prints what it runs, says how to go on by
//! hand, and leaves nothing behind however it ends (`| head`, Ctrl-C, kill); `--keep`
//! leaves an emulated BMC running, its CA in a directory of that run's own, and commands
//! that work when pasted.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `./demo.sh ARGS` (through `bash -c` for a pipe) with a private TMPDIR, so that what it
/// leaves behind can be seen.
fn demo(script: &str, tmp: &Path) -> Command {
    let mut c = Command::new("bash");
    c.args(["-c", script])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("TMPDIR", tmp)
        .env_remove("RFSESSION_HOST")
        .env_remove("RFSESSION_CACHE_DIR")
        .env_remove("RFSESSION_PASSWORD")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Processes whose command line names `needle` (the demo's temporary directory).
fn processes_naming(needle: &Path) -> Vec<String> {
    let needle = needle.to_string_lossy().into_owned();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| std::fs::read(e.ok()?.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .filter(|c| c.contains(&needle))
        .collect()
}

/// Nothing in the private TMPDIR and no process naming it, within a few seconds.
#[track_caller]
fn assert_nothing_left(tmp: &Path, what: &str) {
    let started = Instant::now();
    loop {
        let files: Vec<PathBuf> = std::fs::read_dir(tmp)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        let procs = processes_naming(tmp);
        if files.is_empty() && procs.is_empty() {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{what} left behind: files {files:?}, processes {procs:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn demo_piped_to_head_prints_what_it_runs_and_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let out = demo("./demo.sh | head -3", tmp.path()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        lines[0].starts_with("# the emulated BMC: bmc-emulator --profile ilo5 --ca-out "),
        "{stdout}"
    );
    assert!(
        lines[1].contains(" user admin password ") && lines[1].contains(" ca "),
        "{stdout}"
    );
    assert_nothing_left(tmp.path(), "./demo.sh | head -3");
}

#[test]
fn demo_stopped_by_a_signal_leaves_nothing_behind() {
    for (signal, code) in [("TERM", 143), ("INT", 130)] {
        let tmp = tempfile::tempdir().unwrap();
        let mut child = demo("exec ./demo.sh", tmp.path()).spawn().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut seen = String::new();
        // Once the first command ran, a session and a token exist.
        while !seen.contains("$ rfsession") {
            let mut line = String::new();
            assert!(stdout.read_line(&mut line).unwrap() > 0, "{seen}");
            seen.push_str(&line);
        }
        let kill = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(code), "SIG{signal}: {seen}");
        assert_nothing_left(tmp.path(), &format!("SIG{signal}"));
    }
}

/// `./demo.sh --keep` in a private TMPDIR: the lines to paste, the kept emulator's pid and
/// the directory kept for it (its CA and log), the only things it leaves behind.
fn kept_demo(tmp: &Path) -> (String, u32, PathBuf) {
    let out = demo("./demo.sh --keep", tmp).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{out:?}");
    // Every command as it ran, flags included.
    assert!(
        stdout.contains("| rfsession --cacert ") && stdout.contains(" -u admin --password-stdin"),
        "{stdout}"
    );
    let (_, by_hand) = stdout
        .split_once("# Go on by hand")
        .unwrap_or_else(|| panic!("no way to go on: {stdout}"));
    let pid: u32 = by_hand
        .split("kill ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no pid to stop: {by_hand}"));
    let kept: Vec<PathBuf> = std::fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let kept = kept[0].clone();
    assert!(
        by_hand.contains(&format!("--cacert {}/ca.pem ", kept.display()))
            && by_hand.contains(&format!("rm -r {}", kept.display())),
        "the lines name the kept directory {kept:?}: {by_hand}"
    );
    (by_hand.to_owned(), pid, kept)
}

/// The lines pasted into a fresh shell with a fresh HOME: what they print, and that HOME.
fn paste(by_hand: &str) -> (std::process::Output, tempfile::TempDir) {
    let home = tempfile::tempdir().unwrap();
    // Read from standard input, as a shell reads a paste (`bash -c` would exec the last
    // command in place of the shell, which a person's shell never does).
    let mut shell = Command::new("bash")
        .args(["-e", "-s"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("HOME", home.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    shell
        .stdin
        .take()
        .unwrap()
        .write_all(by_hand.split_once('\n').unwrap().1.as_bytes())
        .unwrap();
    (shell.wait_with_output().unwrap(), home)
}

#[test]
fn demo_keep_leaves_an_emulator_and_commands_that_work_when_pasted() {
    // Two kept demos (a user's, then the test suite's): the second touches nothing of the
    // first, whose pasted lines still work.
    let (tmp, later) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (by_hand, pid, kept) = kept_demo(tmp.path());
    let (_, later_pid, later_kept) = kept_demo(later.path());
    let (pasted, home) = paste(&by_hand);
    for (pid, dir) in [(pid, &kept), (later_pid, &later_kept)] {
        let _ = Command::new("kill").arg(pid.to_string()).status();
        let _ = std::fs::remove_dir_all(dir);
    }
    let text = String::from_utf8_lossy(&pasted.stdout);
    assert!(pasted.status.success(), "{by_hand}\n{pasted:?}");
    assert_eq!(text.trim(), "On", "{by_hand}\n{pasted:?}");
    // Stopped and removed as the lines say, nothing is left.
    assert_nothing_left(tmp.path(), "./demo.sh --keep, stopped");
    assert_nothing_left(later.path(), "./demo.sh --keep, stopped");
    // The pasted logout ended the session: nothing is left cached.
    let cached = Command::new(crate::common::bin())
        .args(["--json", "sessions", "--cached"])
        .env_clear()
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&cached.stdout).trim(),
        "[]",
        "{cached:?}"
    );
}
