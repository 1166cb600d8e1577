//! The settings file: sections, aliases and defaults with each value's origin, mistakes
//! named with their line, and a file others could write refused as ssh refuses one.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use bmc_emulator::{Bmc, PASSWORD, Profile, USER};

use crate::common::{Env, wait, write_private};

/// A settings file, private to the user.
fn settings(env: &Env, text: &str) -> PathBuf {
    let path = env.dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path
}

fn is_root() -> bool {
    unsafe { libc::geteuid() == 0 }
}

#[test]
fn cron_logs_in_again_from_the_settings_file_alone_and_64_at_once_make_one_session() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let pass = env.dir.path().join("pass");
    std::fs::write(&pass, format!("{PASSWORD}\n")).unwrap();
    let config = settings(
        &env,
        &format!(
            "[defaults]\ntimeout = 20\n[hosts.\"127.0.0.*\"]\nuser = \"{USER}\"\npassword_command = \"cat {}\"\n",
            pass.display()
        ),
    );
    let cfg = config.display().to_string();
    let with = [("RFSESSION_CONFIG", cfg.as_str())];
    env.run_env(&bmc, &["login", &bmc.host()], &with).ok();
    // The BMC was reset overnight: every cron job finds its session gone.
    bmc.expire_all();
    let children: Vec<_> = (0..64)
        .map(|_| env.spawn(&bmc, &["get", &bmc.host(), "Systems/1"], &with))
        .collect();
    for c in children {
        wait(c).ok();
    }
    assert_eq!((bmc.created(), bmc.live_sessions()), (2, 1));
}

#[test]
fn an_alias_shares_its_urls_entry_and_config_shows_each_origin() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let pass = env.dir.path().join("lab1-pass");
    std::fs::write(&pass, PASSWORD).unwrap();
    std::fs::set_permissions(&pass, std::fs::Permissions::from_mode(0o600)).unwrap();
    let cfg = settings(
        &env,
        &format!(
            "[defaults]\ntimeout = 12\n[hosts.lab1]\nurl = \"https://{}\"\nuser = \"{USER}\"\npassword_file = \"{}\"\n",
            bmc.host(),
            pass.display()
        ),
    )
    .display()
    .to_string();
    let with = [("RFSESSION_CONFIG", cfg.as_str())];
    env.run_env(&bmc, &["login", "lab1"], &with).ok();
    env.run_env(&bmc, &["whoami", &bmc.host()], &with).ok();
    assert_eq!(bmc.created(), 1);
    let out = env.run_env(&bmc, &["config", "lab1"], &with).ok();
    for want in [
        format!("https://{}  (alias lab1)", bmc.host()),
        "admin  (settings [hosts.\"lab1\"])".to_owned(),
        format!("file {}", pass.display()),
        "12s  (settings [defaults])".to_owned(),
    ] {
        assert!(out.stdout.contains(&want), "{want}: {}", out.stdout);
    }
    assert!(!out.all().contains(PASSWORD));
    let out = env
        .run_env(&bmc, &["--timeout", "3", "--json", "config", "lab1"], &with)
        .ok();
    assert_eq!(out.json()["timeout"]["from"], "flag --timeout");
    // Completion offers the alias beside the cached host.
    let out = env.run_env(&bmc, &["complete-hosts"], &with).ok();
    assert_eq!(out.stdout, format!("{}\nlab1\n", bmc.host()));
}

#[test]
fn mistakes_in_the_settings_file_are_named_and_unsafe_ones_refused() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let path = settings(&env, "[hosts.a]\nuser = \"x\"\ncolour = \"blue\"\n");
    let cfg = path.display().to_string();
    let out = env
        .run_env(
            &bmc,
            &["whoami", &bmc.host()],
            &[("RFSESSION_CONFIG", &cfg)],
        )
        .code(2);
    assert!(
        out.stderr.contains(&cfg) && out.stderr.contains("line 3") && out.stderr.contains("colour"),
        "{out:?}"
    );
    std::fs::write(&path, "[hosts.a]\npassword_command = \"pass show a\"\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = env
        .run_env(
            &bmc,
            &["whoami", &bmc.host()],
            &[("RFSESSION_CONFIG", &cfg)],
        )
        .code(7);
    assert!(
        out.stderr.contains("line 2") && out.stderr.contains(&format!("chmod 600 {cfg}")),
        "{out:?}"
    );
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

/// A settings file named with --config or RFSESSION_CONFIG that is missing, no regular file
/// (a FIFO would block the open forever, and shell completion with it), or huge is refused
/// at once with exit 2 and the file named; the default path may be absent.
#[test]
fn a_named_settings_file_that_is_missing_a_pipe_or_huge_is_refused_at_once() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let h = bmc.host();
    let dir = env.dir.path();
    let fifo = dir.join("fifo.toml");
    let ok = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(ok.success());
    fs::set_permissions(&fifo, fs::Permissions::from_mode(0o600)).unwrap();
    let big = dir.join("big.toml");
    write_private(&big, &"#\n".repeat(600_000));
    let cases = [
        (
            dir.join("missing.toml"),
            "no such file; create it, or name another",
        ),
        (
            fifo,
            "not a regular file (a directory, pipe or device); name a file",
        ),
        (
            dir.to_path_buf(),
            "not a regular file (a directory, pipe or device); name a file",
        ),
        (big, "larger than 1 MiB; this is not a settings file"),
    ];
    for (path, why) in cases {
        let p = path.display().to_string();
        for (args, vars) in [
            (vec!["--config", p.as_str(), "config", &h], vec![]),
            (vec!["config", &h], vec![("RFSESSION_CONFIG", p.as_str())]),
        ] {
            let mut child = env.spawn(&bmc, &args, &vars);
            let begun = std::time::Instant::now();
            while child.try_wait().unwrap().is_none() {
                if begun.elapsed() > std::time::Duration::from_secs(10) {
                    let _ = child.kill();
                    panic!("{p}: still running after 10 s");
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            let out = wait(child);
            assert_eq!(out.code, 2, "{p}: {out:?}");
            assert_eq!(out.stderr, format!("rfsession: settings file {p}: {why}\n"));
        }
    }
    // The default path, absent, is an empty file.
    env.run(&bmc, &["config", &h]).ok();
}
