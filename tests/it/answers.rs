//! What a person sees after a write: one status line on a terminal (or with -v), nothing in
//! scripts; -v shows the body sent, passwords redacted.

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
        out.stdout
            .contains(&format!("rfsession: https://{host}: POST {RESET}: 204 No Content")),
        "{out:?}"
    );
    let out = env.run_tty(&bmc, &["patch", &host, "Systems/1", "AssetTag=rack-12"], &[], "");
    assert!(
        out.stdout
            .contains(&format!("https://{host}: PATCH /redfish/v1/Systems/1: 200 OK")),
        "{out:?}"
    );
    assert_eq!(bmc.state().system.asset_tag, "rack-12");
}

#[test]
fn a_write_in_a_script_is_silent_unless_verbose() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let out = env.run(&bmc, &["post", &host, RESET, "ResetType=ForceOff"]).ok();
    assert_eq!(out.all(), "", "{out:?}");
    assert_eq!(bmc.state().system.power, "Off");
    let out = env
        .run(&bmc, &["-v", "patch", &host, "Systems/1", "AssetTag=rack-7"])
        .ok();
    assert!(
        out.stderr
            .contains("PATCH /redfish/v1/Systems/1: 200 OK"),
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
    assert!(out.stdout.contains("task ") && out.stdout.contains("% Running"), "{out:?}");
    assert!(
        out.stdout
            .contains(&format!("https://{host}: POST {RESET}: task Completed (OK)")),
        "{out:?}"
    );
}
