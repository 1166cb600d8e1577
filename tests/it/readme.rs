//! The README's examples are tests: every ```sh block of README.md runs in bash against an
//! emulated BMC, with the convention the README's "Development" section states: `$BMC` is
//! the BMC, `ca.pem` in the working directory its CA, user `admin`, the password in
//! `$RFSESSION_PASSWORD`, and a session already cached, as after
//! `rfsession --cacert ca.pem login "$BMC" -u admin`.
//! Each block gets a fresh BMC, a fresh private HOME and cache, and a fresh directory.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bmc_emulator::{self as emulator, Bmc, Profile};

use crate::common::{Env, bin};

/// One ```sh block: where it starts in README.md and what it says.
struct Block {
    line: usize,
    code: String,
}

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The ```sh blocks of a Markdown text, each with the line of its opening fence.
fn sh_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    // Inside a block: Some(the ```sh block being read), or None inside another language's.
    let mut inside: Option<Option<Block>> = None;
    for (i, line) in text.lines().enumerate() {
        let fence = line.trim_start().starts_with("```");
        match (inside.take(), fence) {
            (None, true) => {
                inside = Some((line.trim() == "```sh").then(|| Block {
                    line: i + 1,
                    code: String::new(),
                }))
            }
            (None, false) => {}
            (Some(b), true) => blocks.extend(b),
            (Some(Some(mut b)), false) => {
                b.code.push_str(line);
                b.code.push('\n');
                inside = Some(Some(b));
            }
            (Some(None), false) => inside = Some(None),
        }
    }
    blocks
}

/// The tools besides rfsession a block runs, as words in command position.
fn tools(code: &str) -> Vec<&'static str> {
    ["curl", "jq", "redfishtool", "python3"]
        .into_iter()
        .filter(|t| {
            code.match_indices(t).any(|(i, _)| {
                let before = code[..i].chars().last().unwrap_or(' ');
                let after = code[i + t.len()..].chars().next().unwrap_or(' ');
                " \n|(;&`".contains(before) && (after == ' ' || after == '\n')
            })
        })
        .collect()
}

/// Why a tool cannot run here, if it cannot.
fn missing(tool: &str) -> Option<String> {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        return Some(format!("{tool} is not installed"));
    }
    if tool == "python3" {
        let ok = Command::new("python3")
            .args(["-c", "import requests"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return Some("Python's requests is not installed".into());
        }
    }
    None
}

/// Run one block as the README's convention says; Err names what went wrong.
fn run_block(block: &Block) -> Result<(), String> {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let dir = env.dir.path();
    let work = dir.join("work");
    let path_dir = dir.join("bin");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::create_dir_all(&path_dir).unwrap();
    std::fs::copy(bmc.ca_path(), work.join("ca.pem")).unwrap();
    std::os::unix::fs::symlink(bin(), path_dir.join("rfsession")).unwrap();
    // `rfsession --cacert ca.pem login "$BMC" -u admin`: the entry remembers the CA.
    env.login(&bmc).ok();
    let path = format!(
        "{}:{}",
        path_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = Command::new("bash")
        .args(["-c", &format!("set -eo pipefail\n{}", block.code)])
        .current_dir(&work)
        .env_clear()
        .env("PATH", path)
        .env("HOME", dir)
        .env("RFSESSION_CACHE_DIR", env.cache())
        .env("BMC", bmc.host())
        .env("RFSESSION_PASSWORD", emulator::PASSWORD)
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "exit {:?} after {:.1}s\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        started.elapsed().as_secs_f64(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

#[test]
fn every_sh_example_of_the_readme_runs_against_the_emulator() {
    let blocks = sh_blocks(&readme());
    assert!(blocks.len() >= 4, "README.md has too few ```sh blocks");
    // CI installs every tool; there a missing one fails instead of skipping.
    let required = std::env::var_os("RFSESSION_README_TOOLS").is_some();
    let mut failed = Vec::new();
    for block in &blocks {
        let absent: Vec<String> = tools(&block.code).into_iter().filter_map(missing).collect();
        if !absent.is_empty() {
            let why = format!(
                "README.md line {}: SKIPPED, {} (.ci/run installs it)",
                block.line,
                absent.join(", ")
            );
            // Past libtest's capture (eprintln! would be swallowed for a passing test).
            let _ = writeln!(std::io::stderr(), "{why}");
            if required {
                failed.push(why);
            }
            continue;
        }
        if let Err(e) = run_block(block) {
            failed.push(format!(
                "README.md line {}: the ```sh block failed: {e}\n--- the block\n{}",
                block.line, block.code
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

#[test]
fn blocks_are_found_with_their_lines_and_tools() {
    let text = "# t\n```sh\nrfsession get \"$BMC\" Systems/1 | jq .Id\n```\n\n```text\n$ curl x\n```\n```sh\ncurl -s x\n```\n";
    let blocks = sh_blocks(text);
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[0].line, 2);
    assert_eq!(tools(&blocks[0].code), ["jq"]);
    assert_eq!(blocks[1].line, 9);
    assert_eq!(tools(&blocks[1].code), ["curl"]);
    assert!(tools("rfsession exec \"$BMC\" -- curlish x\n").is_empty());
}

/// The `rfsession config oldilo` transcript is what `config` prints for the README's own
/// settings file, in a HOME at /home/op.
#[test]
fn the_config_transcript_is_what_config_prints_for_the_readmes_settings() {
    let text = readme();
    let toml = text
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap();
    let shown = text
        .split("$ rfsession config oldilo\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap();
    let env = Env::new();
    let dir = env.dir.path().join(".config/rfsession");
    std::fs::create_dir_all(&dir).unwrap();
    crate::common::write_private(&dir.join("config.toml"), toml);
    let out = Command::new(bin())
        .args(["config", "oldilo"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let printed = String::from_utf8(out.stdout)
        .unwrap()
        .replace(&env.dir.path().display().to_string(), "/home/op");
    assert_eq!(printed, shown);
}
