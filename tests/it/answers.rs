//! What a person sees: after a write one status line on a terminal (or with -v), nothing in
//! scripts, -v showing the body sent (passwords redacted); `get` as meant (no PATH: the root;
//! several paths: each failure costs only its body); `exec` exit codes as shells give them.

use bmc_emulator::{Bmc, PASSWORD, Profile};

use crate::common::{Env, logged_in};

const RESET: &str = "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset";

#[test]
fn a_write_on_a_terminal_answers_with_one_status_line() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let out = env.run_tty(&bmc, &["post", &host, RESET, "ResetType=On"], &[], "");
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains(&format!(
            "rfsession: https://{host}: POST {RESET}: 204 No Content"
        )),
        "{out:?}"
    );
    let out = env.run_tty(
        &bmc,
        &["patch", &host, "Systems/1", "AssetTag=rack-12"],
        &[],
        "",
    );
    assert!(
        out.stdout.contains(&format!(
            "https://{host}: PATCH /redfish/v1/Systems/1: 200 OK"
        )),
        "{out:?}"
    );
    assert_eq!(bmc.state().system.asset_tag, "rack-12");
}

#[test]
fn a_write_in_a_script_is_silent_unless_verbose() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let out = env
        .run(&bmc, &["post", &host, RESET, "ResetType=ForceOff"])
        .ok();
    assert_eq!(out.all(), "", "{out:?}");
    assert_eq!(bmc.state().system.power, "Off");
    let out = env
        .run(
            &bmc,
            &["-v", "patch", &host, "Systems/1", "AssetTag=rack-7"],
        )
        .ok();
    assert!(
        out.stderr.contains("PATCH /redfish/v1/Systems/1: 200 OK"),
        "{out:?}"
    );
    // The body as sent.
    assert!(out.stderr.contains(r#"> {"AssetTag":"rack-7"}"#), "{out:?}");
}

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
fn wait_on_a_terminal_ends_with_the_task_state_and_shows_progress() {
    let mut config = bmc_emulator::Config::new(Profile::Xcc);
    config.task_time = std::time::Duration::from_secs(2);
    let bmc = Bmc::with_config(config);
    let env = Env::new();
    env.login(&bmc).ok();
    let host = bmc.host();
    let started = std::time::Instant::now();
    let out = env.run_tty(
        &bmc,
        &["post", &host, RESET, "ResetType=ForceRestart", "--wait"],
        &[],
        "",
    );
    assert_eq!(out.code, 0, "{out:?}");
    // --task-seconds: the task ran its time, and its progress showed meanwhile.
    assert!(started.elapsed() >= std::time::Duration::from_secs(2));
    assert!(
        out.stdout.contains("task ") && out.stdout.contains("% Running"),
        "{out:?}"
    );
    assert!(
        out.stdout.contains(&format!(
            "https://{host}: POST {RESET}: task Completed (OK)"
        )),
        "{out:?}"
    );
}

#[test]
fn get_without_a_path_or_with_slash_fetches_the_service_root() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    for args in [vec!["get", &host], vec!["get", &host, "/"]] {
        let out = env.run(&bmc, &args).ok();
        assert_eq!(out.json()["@odata.id"], "/redfish/v1/", "{args:?}");
    }
}

#[test]
fn several_paths_one_failing_still_print_the_others() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let paths = ["Systems/1", "/redfish/v1/Nothing/Here", "Chassis/1"];
    // --ndjson: each body as it arrives, the failure on its own line, exit 6.
    let mut args = vec!["get", &host];
    args.extend(paths);
    args.push("--ndjson");
    let out = env.run(&bmc, &args).code(6);
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{out:?}");
    assert_eq!(lines[0]["@odata.id"], "/redfish/v1/Systems/1");
    assert_eq!(lines[1]["@odata.id"], "/redfish/v1/Chassis/1");
    assert!(
        out.stderr.contains("/redfish/v1/Nothing/Here") && out.stderr.contains("404"),
        "{out:?}"
    );
    assert!(out.stderr.contains("1 of 3 paths failed"), "{out:?}");
    // Without it: the bodies that came, as one array, then the error.
    args.pop();
    let out = env.run(&bmc, &args).code(6);
    let bodies = out.json();
    assert_eq!(bodies.as_array().unwrap().len(), 2, "{out:?}");
    assert!(out.stderr.contains("/redfish/v1/Nothing/Here"), "{out:?}");
}

#[test]
fn a_pointer_without_its_leading_slash_gets_a_hint() {
    let (bmc, env) = logged_in(Profile::Generic);
    let out = env
        .run(
            &bmc,
            &["get", &bmc.host(), "Systems/1", "--pointer", "PowerState"],
        )
        .code(2);
    assert!(out.stderr.contains("--pointer /PowerState"), "{out:?}");
}

#[test]
fn exec_exits_127_for_a_command_not_found_and_126_for_one_that_cannot_run() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let out = env
        .run(&bmc, &["exec", &host, "--", "no-such-command-here"])
        .code(127);
    assert!(out.stderr.contains("no-such-command-here"), "{out:?}");
    let plain = env.dir.path().join("not-executable");
    std::fs::write(&plain, "echo hi\n").unwrap();
    let out = env
        .run(&bmc, &["exec", &host, "--", plain.to_str().unwrap()])
        .code(126);
    assert!(out.stderr.contains("cannot run"), "{out:?}");
}

#[test]
fn the_certificate_is_checked_before_the_password_is_asked_for() {
    let bmc = Bmc::start(Profile::Generic);
    bmc.serve_untrusted_certificate();
    let env = Env::new();
    let host = bmc.host();
    let out = env.run_tty(
        &bmc,
        &["login", &host, "-u", "admin"],
        &[],
        "typed-in-vain\n",
    );
    assert_eq!(out.code, 5, "{out:?}");
    assert!(!out.stdout.contains("Password for"), "{out:?}");
    assert_eq!(bmc.created(), 0);
}

#[test]
fn on_a_terminal_an_expired_session_asks_for_the_password_and_logs_in_again() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    bmc.expire_all();
    // In a script, nobody to ask: exit 4, as before.
    env.run(&bmc, &["get", &host, "Systems/1"]).code(4);
    let line = format!("{PASSWORD}\n");
    let out = env.run_tty(
        &bmc,
        &["get", &host, "Systems/1", "--pointer", "/PowerState"],
        &[],
        &line,
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("no longer accepts the cached session"),
        "{out:?}"
    );
    assert!(out.stdout.contains("Password for admin@"), "{out:?}");
    assert!(out.stdout.trim_end().ends_with("On"), "{out:?}");
    assert_eq!(bmc.created(), 2);
    assert_eq!(bmc.live_sessions(), 1);
    // And the new session is cached: the next call needs nobody.
    env.run(&bmc, &["get", &host, "Systems/1"]).ok();
}
