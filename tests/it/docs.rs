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
    crate::generate::generate(tmp.path()).unwrap();
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
        12,
        "one page per subcommand and the main one"
    );
}

/// Run the shipped bash completion in a real bash for the words typed so far.
fn complete(env: &Env, line: &str) -> Vec<String> {
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
    // A partly typed address: bash splits at ':', so only the part after it comes back.
    let port = a.host().rsplit_once(':').unwrap().1.to_owned();
    let partial = &a.host()[..a.host().len() - 1];
    let got = complete(&env, &format!("rfsession --timeout 5 whoami {partial}"));
    assert_eq!(got, vec![port], "completing {partial}");
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
