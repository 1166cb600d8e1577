//! The checked-in completions and man pages match the clap definition, and the bash
//! completion offers the cached hosts in a real bash.

use std::path::Path;
use std::process::Command;

use crate::common::Env;
use bmc_emulator::{Bmc, Profile};

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn completions_and_man_pages_are_up_to_date() {
    let tmp = tempfile::tempdir().unwrap();
    let out = crate::common::Out::from(
        Command::new(crate::common::bin())
            .arg("generate-docs")
            .arg(tmp.path())
            .output()
            .unwrap(),
    );
    assert_eq!(out.code, 0, "{out:?}");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["completions", "man"] {
        let fresh = tmp.path().join(dir);
        let kept = root.join(dir);
        assert_eq!(
            files(&fresh),
            files(&kept),
            "{dir}/ differs; run: cargo run --example generate"
        );
        for f in files(&fresh) {
            let a = std::fs::read_to_string(fresh.join(&f)).unwrap();
            let b = std::fs::read_to_string(kept.join(&f)).unwrap();
            assert!(
                a == b,
                "{dir}/{f} is stale; run: cargo run --example generate"
            );
        }
    }
    let man = std::fs::read_to_string(root.join("man/rfsession.1")).unwrap();
    for s in [
        "EXIT STATUS",
        "ENVIRONMENT",
        "FILES",
        "EXAMPLES",
        "RFSESSION_CACHE_DIR",
    ] {
        assert!(man.contains(s), "man page lacks {s}");
    }
    assert_eq!(
        files(&root.join("man")).len(),
        15,
        "one page per subcommand, the main one and the settings file's"
    );
}

/// Run the shipped bash completion in a real bash for the words typed so far.
pub(crate) fn complete(env: &Env, line: &str) -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let bin = crate::common::bin();
    let bin_dir = Path::new(&bin).parent().unwrap();
    let script = format!(
        r#"source {root}/completions/rfsession.bash
complete -p rfsession
COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}
read -ra COMP_WORDS <<< "$COMP_LINE"
[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=('')
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
_rfsession_complete rfsession "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}" 2>/dev/null
printf 'REPLY:%s\n' "${{COMPREPLY[@]}}""#
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &script])
        .env(
            "PATH",
            format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap()),
        )
        .env("RFSESSION_CACHE_DIR", env.cache())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("-F _rfsession_complete rfsession"), "{text}");
    text.lines()
        .filter_map(|l| l.strip_prefix("REPLY:"))
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completes_host_from_the_cache() {
    let a = Bmc::start(Profile::Generic);
    let b = Bmc::start(Profile::Ilo5);
    let env = Env::new();
    env.login(&a).ok();
    env.login(&b).ok();
    let got = complete(&env, "rfsession get ");
    assert!(
        got.contains(&a.host()) && got.contains(&b.host()),
        "{got:?}"
    );
    // Past the HOST, no host is offered.
    let got = complete(&env, &format!("rfsession get {} ", a.host()));
    assert!(!got.contains(&b.host()), "{got:?}");
    // A partly typed address: bash splits at ':', so only the part after it comes back (for
    // b too when its port differs from a's in the last digit only).
    let partial = &a.host()[..a.host().len() - 1];
    let mut want: Vec<String> = [a.host(), b.host()]
        .iter()
        .filter(|h| h.starts_with(partial))
        .map(|h| h.rsplit_once(':').unwrap().1.to_owned())
        .collect();
    want.sort();
    let mut got = complete(&env, &format!("rfsession --timeout 5 whoami {partial}"));
    got.sort();
    assert_eq!(got, want, "completing {partial}");
    // Subcommands still complete.
    let got = complete(&env, "rfsession who");
    assert_eq!(got, vec!["whoami".to_owned()]);
}

#[test]
fn readme_exit_codes_match_the_enum() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme.split("## Exit codes").nth(1).unwrap();
    let rows: String = section
        .lines()
        .skip_while(|l| !l.starts_with("|---"))
        .skip(1)
        .take_while(|l| l.starts_with('|'))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        rows,
        rfsession::exit::markdown_rows(),
        "README's exit-code table differs from src/exit.rs"
    );
}

#[test]
fn bash_completes_redfish_paths_live_from_the_bmc_and_logout_forgets_them() {
    let (bmc, env) = crate::common::logged_in(Profile::Ilo5);
    let host = bmc.host();
    let ca = bmc.ca_path().display().to_string();
    let got = complete(
        &env,
        &format!("rfsession --cacert {ca} get {host} /redfish/v1/Sys"),
    );
    assert_eq!(got, ["/redfish/v1/Systems/"]);
    let got = complete(
        &env,
        &format!("rfsession --cacert {ca} get {host} /redfish/v1/Systems/"),
    );
    assert_eq!(got, ["/redfish/v1/Systems/1/"]);
    // Write subcommands are offered the actions too; get is not.
    let line = format!("rfsession --cacert {ca} post {host} /redfish/v1/Systems/1/");
    let got = complete(&env, &line);
    assert!(
        got.contains(&"/redfish/v1/Systems/1/Actions/ComputerSystem.Reset".to_owned()),
        "{got:?}"
    );
    let before = bmc.state().requests.len();
    assert_eq!(complete(&env, &line), got, "kept for a minute");
    assert_eq!(
        bmc.state().requests.len(),
        before,
        "a repeated TAB asked the BMC again"
    );
    // Without a cached session: no login, no prompt, nothing offered.
    let other = Bmc::start(Profile::Generic);
    let line = format!("rfsession --cacert {ca} get {} /redfish/v1/", other.host());
    assert_eq!(complete(&env, &line), Vec::<String>::new());
    assert_eq!(other.state().requests.len(), 0);
    // The links seen are kept beside the entry until a logout removes both.
    let names = || {
        let mut n: Vec<String> = std::fs::read_dir(env.cache())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    };
    let stem = rfsession::host::Host::parse(&host).unwrap().file_stem();
    assert_eq!(
        names(),
        [
            format!("{stem}.json"),
            format!("{stem}.lock"),
            format!("{stem}.paths")
        ]
    );
    env.run(&bmc, &["logout", &host]).ok();
    // The lock stays: another process may be waiting on it; so does the host's trust (the CA
    // remembered from the --cacert login).
    assert_eq!(names(), [format!("{stem}.lock"), format!("{stem}.trust")]);
}

/// Type `line` and TAB in a real interactive `shell` under tmux; the screen once it shows
/// `want` (or after 10 s).
fn tmux_complete(env: &Env, shell: &str, line: &str, want: &str) -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let bin = crate::common::bin();
    let bin_dir = Path::new(&bin).parent().unwrap().display().to_string();
    let home = env.dir.path().join(format!("home-{shell}"));
    std::fs::create_dir_all(&home).unwrap();
    let start = match shell {
        "zsh" => {
            let rc = format!(
                "fpath=({root}/completions $fpath)\nautoload -Uz compinit && compinit -u\nPS1='READY '\n"
            );
            std::fs::write(home.join(".zshrc"), rc).unwrap();
            "zsh -i".to_owned()
        }
        _ => format!(
            "fish --no-config -i -C 'source {root}/completions/rfsession.fish; function fish_prompt; echo READY; end'"
        ),
    };
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let socket = format!("rfsession-test-{}-{shell}-{n}", std::process::id());
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null"])
            .args(args)
            .env(
                "PATH",
                format!("{bin_dir}:{}", std::env::var("PATH").unwrap()),
            )
            .env("HOME", &home)
            .env("ZDOTDIR", &home)
            .env("RFSESSION_CACHE_DIR", env.cache())
            .env("RFSESSION_CONFIG", env.dir.path().join("config.toml"))
            .env("TERM", "xterm")
            .output()
            .unwrap()
    };
    let started = tmux(&["new-session", "-d", "-x", "250", "-y", "40", &start]);
    assert!(started.status.success(), "tmux: {started:?}");
    let screen = || String::from_utf8_lossy(&tmux(&["capture-pane", "-p"]).stdout).into_owned();
    let wait_for = |text: &str| {
        let t = std::time::Instant::now();
        loop {
            let s = screen();
            if s.contains(text) || t.elapsed() > std::time::Duration::from_secs(10) {
                return s;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    };
    wait_for("READY");
    tmux(&["send-keys", "-l", line]);
    tmux(&["send-keys", "Tab"]);
    let shown = wait_for(want);
    tmux(&["kill-server"]);
    shown
}

fn have(program: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{program} is missing in CI"
        );
        eprintln!("skipped: {program} is not installed (.ci/run installs it)");
    }
    found
}

#[test]
fn zsh_and_fish_complete_cached_hosts_and_live_paths() {
    if !(have("tmux") && have("zsh") && have("fish")) {
        return;
    }
    let (bmc, env) = crate::common::logged_in(Profile::Generic);
    let host = bmc.host();
    let ca = bmc.ca_path().display().to_string();
    let config = env.dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("[hosts.rack4-bmc]\nurl = \"https://{host}\"\n"),
    )
    .unwrap();
    for shell in ["zsh", "fish"] {
        // An alias of the settings file completes too.
        let screen = tmux_complete(&env, shell, "rfsession whoami rack4-b", "rack4-bmc");
        assert!(screen.contains("whoami rack4-bmc"), "{shell}: {screen}");
        // The one cached host completes from its first characters.
        let partial = &host[..host.len() - 2];
        let screen = tmux_complete(&env, shell, &format!("rfsession whoami {partial}"), &host);
        assert!(
            screen.contains(&format!("whoami {host}")),
            "{shell}: {screen}"
        );
        let line = format!("rfsession --cacert {ca} get {host} /redfish/v1/Sys");
        let screen = tmux_complete(&env, shell, &line, "/redfish/v1/Systems/");
        assert!(
            screen.contains(&format!("{host} /redfish/v1/Systems/")),
            "{shell}: {screen}"
        );
        let line = format!("rfsession --cacert {ca} patch {host} /redfish/v1/Systems/");
        let screen = tmux_complete(&env, shell, &line, "/redfish/v1/Systems/1/");
        assert!(
            screen.contains(&format!("{host} /redfish/v1/Systems/1/")),
            "{shell}: {screen}"
        );
    }
}

#[test]
fn readme_usage_block_names_every_command_and_option() {
    use clap::CommandFactory;
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let block = readme
        .split("## Usage\n\n```\n")
        .nth(1)
        .and_then(|s| s.split("\n```").next())
        .expect("README's Usage block");
    let cli = rfsession::cli::Cli::command();
    let mut missing = Vec::new();
    let words = |l: &str| {
        l.split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
            .into_iter()
    };
    let placeholders: std::collections::HashMap<&str, &str> = block
        .lines()
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim(), v))
        .collect();
    let longs = |c: &clap::Command| -> Vec<String> {
        c.get_arguments()
            .filter(|a| !a.is_hide_set())
            .filter_map(|a| a.get_long())
            .filter(|l| !["help", "version"].contains(l))
            .map(|l| format!("--{l}"))
            .collect()
    };
    for long in longs(&cli) {
        if !block.lines().next().unwrap().contains(&long) {
            missing.push(format!("global {long}"));
        }
    }
    for sub in cli.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name();
        if name == "help" {
            continue;
        }
        let lines: Vec<&str> = block
            .lines()
            .filter(|l| l.split_whitespace().nth(1) == Some(name))
            .collect();
        if lines.is_empty() {
            missing.push(format!("rfsession {name}"));
        }
        for long in longs(sub) {
            let global = cli
                .get_arguments()
                .any(|a| a.get_long() == Some(&long[2..]));
            // On the command's lines, or in a placeholder they use (`NAME = ...` lines).
            let shown = |l: &&str| {
                words(l).any(|w| {
                    w == long
                        || placeholders
                            .get(w.as_str())
                            .is_some_and(|d| words(d).any(|w| w == long))
                })
            };
            if !global && !lines.iter().any(shown) {
                missing.push(format!("rfsession {name} {long}"));
            }
        }
    }
    assert!(missing.is_empty(), "README's Usage block lacks {missing:?}");
}

#[test]
fn readme_ilorest_figures_are_those_of_the_performance_section() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let row = readme
        .lines()
        .find(|l| l.starts_with("| a warm GET"))
        .expect("the ilorest table's warm GET row");
    let performance = readme
        .split("## Performance")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap();
    let cells: Vec<&str> = row.split('|').map(str::trim).collect();
    for figure in cells[2..4].iter().flat_map(|c| c.split(", ")) {
        assert!(
            performance.contains(&format!("{figure} "))
                || performance.contains(&format!("{figure},")),
            "the ilorest table's {figure} is not in the Performance section: {row}"
        );
    }
    // The run the figures come from is named, in both places.
    let run = row
        .split_whitespace()
        .find(|w| w.starts_with("20") && w.len() == 10)
        .expect("the row names the run's date");
    assert!(performance.contains(run), "{run} is not in Performance");
}

/// The subcommands `--help` hides (for the completion scripts, the keeper, the generator).
const INTERNAL: [&str; 4] = ["complete-path", "complete-hosts", "keeper", "generate-docs"];

#[test]
fn completions_offer_the_commands_help_shows_and_no_internal_one() {
    let env = Env::new();
    // bash, as a person presses TAB.
    let got = complete(&env, "rfsession ");
    assert!(got.contains(&"login".to_owned()), "{got:?}");
    for name in INTERNAL {
        assert!(
            !got.contains(&name.to_owned()),
            "bash offers {name}: {got:?}"
        );
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    // fish, asked what it would offer.
    if have("fish") {
        let script = format!(
            "source {}; complete -C 'rfsession '",
            root.join("rfsession.fish").display()
        );
        let out = Command::new("fish")
            .args(["--no-config", "-c", &script])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let offered: Vec<&str> = text.lines().filter_map(|l| l.split('\t').next()).collect();
        assert!(offered.contains(&"login"), "{text}");
        for name in INTERNAL {
            assert!(!offered.contains(&name), "fish offers {name}: {text}");
        }
    }
    // zsh: its subcommand lists are 'NAME:description' lines.
    let zsh = std::fs::read_to_string(root.join("_rfsession")).unwrap();
    assert!(zsh.contains("'login:"));
    for name in INTERNAL {
        assert!(!zsh.contains(&format!("'{name}:")), "zsh offers {name}");
    }
}

#[test]
fn man_page_synopsis_names_each_option_value_and_files_says_what_the_entry_holds() {
    let page =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("man/rfsession.1"))
            .unwrap();
    let synopsis = page
        .split(".SH SYNOPSIS\n")
        .nth(1)
        .and_then(|s| s.lines().next())
        .unwrap();
    for option in [
        r"\fB\-\-cache\-dir\fR \fIDIR\fR",
        r"\fB\-\-cacert\fR \fIPEM\fR",
        r"\fB\-\-timeout\fR \fIDURATION\fR",
        r"\fB\-\-persist\fR \fIDURATION\fR",
    ] {
        assert!(
            synopsis.contains(option),
            "SYNOPSIS lacks {option}: {synopsis}"
        );
    }
    let files = page.split(".SH FILES\n").nth(1).unwrap();
    let files = files.split(".SH").next().unwrap().replace('\n', " ");
    for held in [
        "CA certificates",
        "pinned certificate",
        "hold the session",
        "HTTP Basic",
    ] {
        assert!(
            files.contains(held),
            "FILES does not say the entry holds {held}: {files}"
        );
    }
}
