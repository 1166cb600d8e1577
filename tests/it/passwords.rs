//! Where a password comes from: the command line's sources in order, the environment,
//! password commands (bounded), the settings file and ~/.netrc.

use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use bmc_emulator::{Bmc, PASSWORD, Profile, USER};

use crate::common::{Env, Out, write_private};

#[test]
fn password_sources_in_order() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    let file = env.dir.path().join("pw");
    std::fs::write(&file, format!("{PASSWORD}\n")).unwrap();
    let mut perms = std::fs::metadata(&file).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o600);
    std::fs::set_permissions(&file, perms).unwrap();

    let f = file.to_str().unwrap();
    env.run(
        &bmc,
        &["login", &host, "-u", USER, "--password-file", f, "--force"],
    )
    .ok();
    env.run_stdin(
        &bmc,
        &["login", &host, "-u", USER, "--password-stdin", "--force"],
        &format!("{PASSWORD}\n"),
    )
    .ok();
    let out = env
        .run(
            &bmc,
            &["login", &host, "-u", USER, "-p", PASSWORD, "--force"],
        )
        .ok();
    assert!(out.stderr.contains("process list"), "{out:?}");
    // A flag beats the environment.
    env.run_env(
        &bmc,
        &["login", &host, "-u", USER, "--password-file", f, "--force"],
        &[("RFSESSION_PASSWORD", "wrong")],
    )
    .ok();
    // No source and no terminal: a clear usage error.
    let out = env.run(&bmc, &["login", &host, "-u", "operator"]).code(2);
    assert!(out.stderr.contains("no password"), "{out:?}");
    let out = env.run(&bmc, &["login", &format!("{host}x")]).code(2);
    assert!(out.stderr.contains("invalid HOST"), "{out:?}");
    // Each --force ended the session it replaced.
    assert_eq!(bmc.live_sessions(), 1);
    assert_eq!(bmc.created(), 4);
}

#[test]
fn password_commands_and_netrc() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    let cmd = format!("printf '%s\\n' {PASSWORD}");
    env.run(
        &bmc,
        &["login", &host, "-u", USER, "--password-command", &cmd],
    )
    .ok();
    let out = env
        .run(
            &bmc,
            &[
                "login",
                &host,
                "-u",
                "operator",
                "--password-command",
                "echo oops-42; exit 1",
            ],
        )
        .code(2);
    assert!(
        out.stderr.contains("failed (exit status: 1)") && !out.stderr.contains("oops-42\n"),
        "{out:?}"
    );
    env.run(&bmc, &["logout", &host]).ok();
    // ~/.netrc gives user and password, by the host name as typed; only a private one.
    let netrc = env.dir.path().join("netrc");
    std::fs::write(
        &netrc,
        format!("machine 127.0.0.1 login {USER} password {PASSWORD}\n"),
    )
    .unwrap();
    std::fs::set_permissions(&netrc, std::fs::Permissions::from_mode(0o600)).unwrap();
    let n = netrc.display().to_string();
    env.run_env(&bmc, &["login", &host], &[("NETRC", &n)]).ok();
    env.run(&bmc, &["logout", &host]).ok();
    std::fs::set_permissions(&netrc, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = env
        .run_env(&bmc, &["login", &host, "-u", USER], &[("NETRC", &n)])
        .code(2);
    assert!(
        out.stderr.contains("is not private to you; ignored"),
        "{out:?}"
    );
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
fn with_no_password_to_be_had_an_unreadable_cacert_is_named_first() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let missing = env.dir.path().join("missing.pem");
    let out = Out::from(
        env.cmd(Some(&missing), &["login", &bmc.host(), "-u", "admin"])
            .output()
            .unwrap(),
    );
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("cannot read CA bundle"), "{out:?}");
    assert!(bmc.state().sessions.is_empty());
}
