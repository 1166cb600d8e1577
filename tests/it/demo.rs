//! `./demo.sh`, the README's first command: it prints what it runs, says how to go on by
//! hand, and leaves nothing behind however it ends (`| head`, Ctrl-C, kill); `--keep`
//! leaves an emulated BMC running and commands that work when pasted.

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

#[test]
fn demo_keep_leaves_an_emulator_and_commands_that_work_when_pasted() {
    let tmp = tempfile::tempdir().unwrap();
    let out = demo("./demo.sh --keep", tmp.path()).output().unwrap();
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
    assert_nothing_left(tmp.path(), "./demo.sh --keep");
    // Pasted into a fresh shell with a fresh HOME: they work against the kept emulator.
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
    let pasted = shell.wait_with_output().unwrap();
    let _ = Command::new("kill").arg(pid.to_string()).status();
    let text = String::from_utf8_lossy(&pasted.stdout);
    assert!(pasted.status.success(), "{by_hand}\n{pasted:?}");
    assert_eq!(text.trim(), "On", "{by_hand}\n{pasted:?}");
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
