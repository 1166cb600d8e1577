//! Secrets stay where they belong: no token in -v output, no password in the process
//! list, no core dumps.

use std::fs;
use std::process::Stdio;
use std::time::Duration;

use bmc_emulator::{Bmc, PASSWORD, Profile, USER};

use crate::common::{Env, PW, hold_lock, logged_in, wait};

#[test]
fn verbose_shows_the_login_body_with_the_password_redacted() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let out = env.login_with(&bmc, &["-v"]).ok();
    assert!(out.stderr.contains(r#""UserName":"admin""#), "{out:?}");
    assert!(out.stderr.contains(r#""Password":"<redacted>""#), "{out:?}");
    assert!(!out.all().contains(PASSWORD), "{out:?}");
}

#[test]
fn no_core_dumps_and_a_lock_wait_is_announced_once() {
    let (bmc, env) = logged_in(Profile::Generic);
    let lock = hold_lock(&env, &bmc);
    // -v: the notice is informational, shown on a terminal or when asked.
    let child = env.spawn(&bmc, &["-v", "--timeout", "3", "logout", &bmc.host()], &[]);
    std::thread::sleep(Duration::from_millis(300));
    let limits = fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    assert_eq!(core.split_whitespace().nth(4), Some("0"), "{core}");
    let out = wait(child).code(7);
    drop(lock);
    assert_eq!(
        out.stderr.matches("waiting for the lock on").count(),
        1,
        "{out:?}"
    );
}

#[test]
fn verbose_output_never_shows_a_token() {
    let mut all = String::new();
    for profile in Profile::with_sessions() {
        let bmc = Bmc::start(profile);
        let env = Env::new();
        let h = bmc.host();
        let runs = [
            env.run_env(&bmc, &["-v", "login", &h, "-u", USER], &PW),
            env.run(
                &bmc,
                &[
                    "-v",
                    "get",
                    &h,
                    "/redfish/v1/Systems/1",
                    "/redfish/v1/Systems",
                ],
            ),
            env.run(&bmc, &["-v", "sessions", &h]),
            env.run(&bmc, &["-v", "--json", "sessions", "--cached"]),
            env.run(&bmc, &["-v", "whoami", &h]),
            {
                bmc.expire_all();
                env.run_env(&bmc, &["-v", "get", &h, "/redfish/v1/Systems/1"], &PW)
            },
            env.run_env(&bmc, &["-v", "login", &h, "--force"], &PW),
            env.run(&bmc, &["-v", "logout", &h]),
        ];
        let tokens = bmc.tokens();
        assert!(tokens.len() >= 3, "{}: {tokens:?}", profile.name());
        for r in &runs {
            for t in &tokens {
                assert!(
                    !r.all().contains(t.as_str()),
                    "{}: token in output: {r:#?}",
                    profile.name()
                );
            }
            assert!(!r.all().contains(PASSWORD), "password in output: {r:#?}");
            all.push_str(&r.all());
        }
    }
    assert!(all.contains("> X-Auth-Token: <redacted>"));
    assert!(all.contains("x-auth-token: <redacted>"));
    assert!(all.contains("> GET https://"));
}

#[test]
fn the_password_never_reaches_the_process_list() {
    let bmc = Bmc::start(Profile::Generic);
    bmc.faults(|f| f.delay = Duration::from_millis(600));
    let env = Env::new();
    let file = env.dir.path().join("pw");
    std::fs::write(&file, PASSWORD).unwrap();
    let f = file.to_str().unwrap().to_owned();
    let h = bmc.host();
    for (args, stdin, envs) in [
        (
            vec!["login", &h, "-u", USER, "--password-stdin", "--force"],
            true,
            vec![],
        ),
        (
            vec!["login", &h, "-u", USER, "--password-file", &f, "--force"],
            false,
            vec![],
        ),
        (vec!["login", &h, "-u", USER, "--force"], false, PW.to_vec()),
    ] {
        let mut c = env.cmd(Some(bmc.ca_path()), &args);
        c.envs(envs).stdout(Stdio::null()).stderr(Stdio::null());
        if stdin {
            c.stdin(Stdio::piped());
        }
        let mut child = c.spawn().unwrap();
        if let Some(mut i) = child.stdin.take() {
            std::io::Write::write_all(&mut i, format!("{PASSWORD}\n").as_bytes()).unwrap();
        }
        std::thread::sleep(Duration::from_millis(300));
        let cmdline = std::fs::read(format!("/proc/{}/cmdline", child.id())).unwrap();
        assert!(
            !String::from_utf8_lossy(&cmdline).contains(PASSWORD),
            "{args:?}"
        );
        assert!(child.wait().unwrap().success(), "{args:?}");
    }
}
