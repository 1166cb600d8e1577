//! Spending the cached session: writes with every vendor's ETag and If-Match
//! rules, actions that run as tasks, and handing the session to curl and other tools.

use std::os::unix::process::ExitStatusExt;
use std::time::{Duration, Instant};

use bmc_emulator::{Bmc, PASSWORD, Profile, TaskStyle};
use serde_json::{Value, json};

use crate::common::{Env, logged_in};

const PW: [(&str, &str); 1] = [("RFSESSION_PASSWORD", PASSWORD)];

const RESET: &str = "Systems/1/Actions/ComputerSystem.Reset";

fn if_matches(bmc: &Bmc, method: &str) -> Vec<Option<String>> {
    bmc.state()
        .requests
        .iter()
        .filter(|r| r.method == method)
        .map(|r| r.header("if-match").map(str::to_owned))
        .collect()
}

fn power(env: &Env, bmc: &Bmc) -> String {
    env.run(
        bmc,
        &["get", &bmc.host(), "Systems/1", "--pointer", "/PowerState"],
    )
    .ok()
    .stdout
    .trim()
    .to_owned()
}

#[test]
fn patch_reads_and_sends_the_etag_each_vendor_takes_back() {
    // Strong, weak (refused back), iDRAC's -gzip suffix, and XCC, which requires If-Match.
    for profile in [
        Profile::Generic,
        Profile::Gigabyte,
        Profile::Idrac,
        Profile::Xcc,
    ] {
        let (bmc, env) = logged_in(profile);
        let host = bmc.host();
        let out = env
            .run(&bmc, &["patch", &host, "Systems/1", "AssetTag=rack-12"])
            .ok();
        assert_eq!(out.json()["AssetTag"], "rack-12", "{profile:?}");
        assert_eq!(
            if_matches(&bmc, "PATCH"),
            vec![Some("\"sys-1\"".into())],
            "{profile:?}"
        );
        let boot = r#"Boot:={"BootSourceOverrideTarget":"Pxe","BootSourceOverrideEnabled":"Once"}"#;
        env.run(&bmc, &["patch", &host, "Systems/1", boot]).ok();
        let out = env.run(&bmc, &["get", &host, "Systems/1"]).ok().json();
        assert_eq!(
            out["Boot"]["BootSourceOverrideTarget"], "Pxe",
            "{profile:?}"
        );
        assert_eq!(out["AssetTag"], "rack-12");
    }
}

#[test]
fn a_bmc_that_requires_if_match_and_a_stale_tag_are_explained() {
    let (bmc, env) = logged_in(Profile::Xcc);
    let host = bmc.host();
    let out = env
        .run(
            &bmc,
            &[
                "patch",
                &host,
                "Systems/1",
                "AssetTag=a",
                "--if-match",
                "none",
            ],
        )
        .code(6);
    assert!(
        out.stderr.contains("requires If-Match (HTTP 428"),
        "{out:?}"
    );
    // Another writer changed the resource after this tag was read.
    env.run(&bmc, &["patch", &host, "Systems/1", "AssetTag=b"])
        .ok();
    let out = env
        .run(
            &bmc,
            &[
                "patch",
                &host,
                "Systems/1",
                "AssetTag=c",
                "--if-match",
                "\"sys-1\"",
            ],
        )
        .code(6);
    assert!(
        out.stderr.contains(
            "PATCH /redfish/v1/Systems/1: the resource changed since its ETag was read (HTTP 412"
        ),
        "{out:?}"
    );
    assert_eq!(
        env.run(&bmc, &["get", &host, "Systems/1", "--pointer", "/AssetTag"])
            .ok()
            .stdout,
        "b\n"
    );
}

#[test]
fn put_replaces_and_no_if_match_goes_with_post_or_delete() {
    let (bmc, env) = logged_in(Profile::Idrac);
    let host = bmc.host();
    let settings = "Systems/1/Bios/Settings";
    env.run(
        &bmc,
        &[
            "patch",
            &host,
            settings,
            r#"Attributes:={"BootMode":"Bios"}"#,
        ],
    )
    .ok();
    let out = env
        .run(
            &bmc,
            &[
                "put",
                &host,
                settings,
                "-d",
                r#"{"Attributes":{"ProcTurboMode":"Disabled"}}"#,
            ],
        )
        .ok();
    assert_eq!(
        out.json()["Attributes"],
        serde_json::json!({"ProcTurboMode": "Disabled"})
    );
    // iDRAC answers 412 to If-Match on an action: rfsession never sends one with POST.
    env.run(&bmc, &["post", &host, RESET, "ResetType=On"]).ok();
    assert_eq!(if_matches(&bmc, "POST").last(), Some(&None));
    let out = env
        .run(
            &bmc,
            &["post", &host, RESET, "ResetType=On", "--if-match", "\"x\""],
        )
        .code(2);
    assert!(
        out.stderr.contains("unexpected argument '--if-match'"),
        "post offers no --if-match: {out:?}"
    );
}

#[test]
fn an_action_answered_at_once_prints_nothing() {
    let (bmc, env) = logged_in(Profile::Bmcweb);
    let out = env
        .run(
            &bmc,
            &["post", &bmc.host(), RESET, "ResetType=ForceOff", "--wait"],
        )
        .ok();
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
    assert_eq!(power(&env, &bmc), "Off");
}

#[test]
fn actions_that_run_as_tasks_print_their_monitor_or_wait_for_the_end() {
    for (profile, monitor) in [
        (
            Profile::Idrac,
            "/redfish/v1/Managers/iDRAC.Embedded.1/Jobs/JID_1",
        ),
        (Profile::Odim, "/redfish/v1/TaskService/TaskMonitors/1"),
        (Profile::Xcc, "/redfish/v1/TaskService/TaskMonitors/1"),
    ] {
        let (bmc, env) = logged_in(profile);
        let host = bmc.host();
        bmc.faults(|f| {
            f.task_polls = 1;
            f.task_retry_after = Some(0);
        });
        let out = env
            .run(&bmc, &["post", &host, RESET, "ResetType=ForceOff"])
            .ok();
        assert_eq!(out.stdout, format!("{monitor}\n"), "{profile:?}");
        // Waiting: polled until the end, the final Task (or Job) printed.
        let out = env
            .run(
                &bmc,
                &["post", &host, RESET, "ResetType=ForceOff", "--wait"],
            )
            .ok();
        let end = out.json();
        let state = end.get("TaskState").or(end.get("JobState"));
        assert_eq!(
            state,
            Some(&Value::from("Completed")),
            "{profile:?}: {out:?}"
        );
        assert_eq!(power(&env, &bmc), "Off", "{profile:?}");
        // A task that fails: exit 6 with its messages.
        bmc.faults(|f| f.task_fails = true);
        let out = env
            .run(&bmc, &["post", &host, RESET, "ResetType=On", "--wait"])
            .code(6);
        assert!(
            out.stderr
                .contains("ended Exception (status Critical): The reset failed")
                || out
                    .stderr
                    .contains("ended Failed (status OK): Unable to complete"),
            "{profile:?}: {out:?}"
        );
        assert_eq!(
            power(&env, &bmc),
            "Off",
            "{profile:?}: a failed task changed nothing"
        );
    }
}

#[test]
fn waiting_backs_off_without_retry_after_and_gives_up_at_the_wait_timeout() {
    let (bmc, env) = logged_in(Profile::Xcc);
    let host = bmc.host();
    bmc.faults(|f| f.task_polls = 1);
    let start = Instant::now();
    env.run(&bmc, &["post", &host, RESET, "ResetType=On", "--wait"])
        .ok();
    let waited = start.elapsed();
    assert!(waited >= Duration::from_secs(1), "no backoff: {waited:?}");
    bmc.faults(|f| {
        f.task_polls = 1000;
        f.task_retry_after = Some(1);
    });
    let out = env
        .run(
            &bmc,
            &[
                "post",
                &host,
                RESET,
                "ResetType=On",
                "--wait",
                "--wait-timeout",
                "1",
            ],
        )
        .code(5);
    assert!(out.stderr.contains("still running after 1s"), "{out:?}");
}

#[test]
fn bodies_from_stdin_files_and_items_and_bad_ones_refused_before_sending() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let subs = "/redfish/v1/EventService/Subscriptions";
    let out = env
        .run_stdin(
            &bmc,
            &["post", &host, subs, "-d", "@-"],
            r#"{"Destination":"https://collector.example/events","Protocol":"Redfish"}"#,
        )
        .ok();
    let id = out.json()["@odata.id"].as_str().unwrap().to_owned();
    let file = env.dir.path().join("sub.json");
    std::fs::write(&file, r#"{"Destination":"https://other.example/"}"#).unwrap();
    env.run(
        &bmc,
        &["post", &host, subs, "-d", &format!("@{}", file.display())],
    )
    .ok();
    env.run(
        &bmc,
        &[
            "post",
            &host,
            subs,
            "Destination=https://third.example/",
            "Context:=\"x\"",
        ],
    )
    .ok();
    assert_eq!(bmc.state().subscriptions.len(), 3);
    let out = env.run(&bmc, &["delete", &host, &id]).ok();
    assert_eq!(out.stdout, "", "204 prints nothing");
    assert_eq!(bmc.state().subscriptions.len(), 2);
    let before = bmc.state().requests.len();
    for (args, says) in [
        (
            vec!["patch", &host, "Systems/1", "-d", "{\"AssetTag\": }"],
            "line 1 column 14",
        ),
        (
            vec!["patch", &host, "Systems/1", "-d", "{}", "AssetTag=x"],
            "cannot be used with",
        ),
        (vec!["patch", &host, "Systems/1"], "PATCH needs a body"),
        (
            vec!["post", &host, subs, "Destination"],
            "neither Name=value",
        ),
        (
            vec!["delete", &host, &id, "X=1"],
            "unexpected argument 'X=1'",
        ),
        (
            vec!["delete", &host, &id, "-d", "{}"],
            "unexpected argument '-d'",
        ),
    ] {
        let out = env.run(&bmc, &args).code(2);
        assert!(out.stderr.contains(says), "{args:?}: {out:?}");
    }
    assert_eq!(
        bmc.state().requests.len(),
        before,
        "a refused body reached the BMC"
    );
}

#[test]
fn writes_log_in_again_on_401() {
    let (bmc, env) = logged_in(Profile::Generic);
    bmc.expire_all();
    env.run_env(
        &bmc,
        &["patch", &bmc.host(), "Systems/1", "AssetTag=x"],
        &PW,
    )
    .ok();
    assert_eq!((bmc.created(), bmc.live_sessions()), (2, 1));
    bmc.expire_all();
    env.run(&bmc, &["patch", &bmc.host(), "Systems/1", "AssetTag=y"])
        .code(4);
}

#[test]
fn a_write_cut_off_mid_request_is_not_sent_again() {
    let (bmc, env) = logged_in(Profile::Generic);
    bmc.faults(|f| f.reset_writes = 1);
    let out = env
        .run(&bmc, &["post", &bmc.host(), RESET, "ResetType=ForceOff"])
        .code(5);
    assert!(
        out.stderr
            .contains("the POST may have been applied on the BMC: check before you retry"),
        "{out:?}"
    );
    let resets = bmc
        .state()
        .requests
        .iter()
        .filter(|r| r.path.ends_with("ComputerSystem.Reset"))
        .count();
    assert_eq!(resets, 1, "the POST was sent again");
    assert_eq!(power(&env, &bmc), "Off", "the emulator applied it");
}

#[test]
fn dry_runs_send_nothing() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let before = bmc.state().requests.len();
    let out = env
        .run(
            &bmc,
            &["patch", &host, "Systems/1", "AssetTag=x", "--dry-run"],
        )
        .ok();
    assert!(
        out.stderr.contains("would PATCH /redfish/v1/Systems/1 with If-Match from a GET of it first, body {\"AssetTag\":\"x\"}"),
        "{out:?}"
    );
    env.run(&bmc, &["post", &host, RESET, "ResetType=On", "--dry-run"])
        .ok();
    env.run(
        &bmc,
        &["delete", &host, "EventService/Subscriptions/1", "--dry-run"],
    )
    .ok();
    assert_eq!(bmc.state().requests.len(), before);
}

#[test]
fn token_and_exec_hand_the_session_to_curl_without_a_new_login() {
    let (bmc, env) = logged_in(Profile::Ilo5);
    let host = bmc.host();
    let url = format!("{}/redfish/v1/Systems/1", bmc.url());
    let ca = bmc.ca_path().display().to_string();
    // The token reaches curl through a file descriptor, never through argv.
    let script = format!(
        "curl -sf --cacert {ca} -H @<({} token --header {host}) {url}",
        crate::common::bin()
    );
    let mut c = std::process::Command::new("bash");
    c.args(["-c", &script])
        .env("RFSESSION_CACHE_DIR", env.cache());
    let o = c.output().unwrap();
    assert!(o.status.success(), "{o:?}");
    let body: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(body["Id"], "1");
    let out = env.run(&bmc, &["token", &host]).ok();
    assert_eq!(out.stdout.trim(), bmc.state().sessions[0].token);

    let curl = format!(
        "printf 'X-Auth-Token: %s\\n' \"$RFSESSION_TOKEN\" | curl -sf --cacert {ca} -H @- \"$RFSESSION_BASE_URL$RFSESSION_SESSION_URI\""
    );
    let out = env
        .run(&bmc, &["exec", &host, "--", "sh", "-c", &curl])
        .ok();
    assert_eq!(out.json()["UserName"], "admin");
    assert_eq!(bmc.created(), 1, "token and exec must not log in again");
    env.run(&bmc, &["token", "127.0.0.1:1"]).code(4);
}

#[test]
fn exec_passes_the_exit_code_and_signals_through_and_checks_the_session() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    env.run(&bmc, &["exec", &host, "--", "sh", "-c", "exit 3"])
        .code(3);
    let o = env
        .cmd(
            Some(bmc.ca_path()),
            &["exec", &host, "--", "sh", "-c", "kill -TERM $$"],
        )
        .output()
        .unwrap();
    assert_eq!(o.status.signal(), Some(libc::SIGTERM));
    let out = env
        .run(&bmc, &["exec", &host, "--", "no-such-program-here"])
        .code(127);
    assert!(
        out.stderr.contains("cannot run no-such-program-here"),
        "{out:?}"
    );
    // An expired session: logged in again when a password is at hand, else exit 4.
    bmc.expire_all();
    env.run(&bmc, &["exec", &host, "--", "true"]).code(4);
    env.run_env(&bmc, &["exec", &host, "--", "true"], &PW).ok();
    assert_eq!(bmc.created(), 2);
}

#[test]
fn an_adopted_token_is_used_and_logged_out() {
    for profile in [Profile::Generic, Profile::Ilo5] {
        let bmc = Bmc::start(profile);
        let env = Env::new();
        let host = bmc.host();
        // A session another tool created (Ansible's idrac_session, a web console).
        let other = bmc.add_session("admin");
        let out = env
            .run_stdin(
                &bmc,
                &["-v", "login", &host, "--token-stdin"],
                &format!("{}\n", other.token),
            )
            .ok();
        assert!(
            out.stderr.contains("adopted the session of admin"),
            "{out:?}"
        );
        env.run(&bmc, &["get", &host, "Systems/1"]).ok();
        env.run(&bmc, &["logout", &host]).ok();
        assert_eq!(bmc.live_sessions(), 0, "{profile:?}");
        assert_eq!(bmc.created(), 1, "{profile:?}: no password, no new session");
    }
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let out = env
        .run_stdin(
            &bmc,
            &["login", &bmc.host(), "--token-stdin"],
            "not-a-token\n",
        )
        .code(4);
    assert!(
        out.stderr.contains("the token given was refused"),
        "{out:?}"
    );
    assert!(!env.entry_path(&bmc).exists());
}

#[test]
fn request_items_split_at_the_first_separator() {
    let (bmc, env) = logged_in(Profile::Generic);
    let out = env
        .run(
            &bmc,
            &[
                "--json",
                "patch",
                &bmc.host(),
                "Systems/1",
                "AssetTag=rack:=12",
                "Count:=3",
                "--dry-run",
            ],
        )
        .ok();
    assert_eq!(
        out.json()["body"],
        serde_json::json!({"AssetTag": "rack:=12", "Count": 3}),
        "{out:?}"
    );
}

#[test]
fn exec_hands_the_session_over_but_not_the_password() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let show = "echo \"token=${RFSESSION_TOKEN:+set} password=${RFSESSION_PASSWORD-unset}\"";
    // With a session cached and when a re-login needs the password from the environment.
    for expire in [false, true] {
        if expire {
            bmc.expire_all();
        }
        let out = env
            .run_env(&bmc, &["exec", &host, "--", "sh", "-c", show], &PW)
            .ok();
        assert_eq!(out.stdout.trim(), "token=set password=unset", "{out:?}");
    }
    assert_eq!(bmc.created(), 2);
}

#[test]
fn readme_reset_example_waits_for_a_task_on_the_vendors_it_names() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let lines: Vec<&str> = readme.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("ResetType=ForceRestart --wait"))
        .expect("the README's reset example");
    // The comment above the example, which says who answers with a task.
    let mut comment: Vec<&str> = lines[..at]
        .iter()
        .rev()
        .skip_while(|l| !l.starts_with('#'))
        .take_while(|l| l.starts_with('#'))
        .copied()
        .collect();
    comment.reverse();
    let comment = comment.join("\n");
    let (tasks, at_once) = comment
        .split_once("; ")
        .unwrap_or_else(|| panic!("{comment}"));
    let named = |profile: Profile| match profile.name() {
        "idrac" => "iDRAC",
        "xcc" => "XCC",
        "odim" => "ODIM",
        "ilo5" | "ilo4" => "iLO",
        "bmcweb" => "bmcweb",
        _ => "others",
    };
    for profile in Profile::with_sessions() {
        let (bmc, env) = logged_in(profile);
        let host = bmc.host();
        // The emulator's default: the task is over by the first poll (ODIM's monitor is
        // gone by then, its Task tells how it ended).
        let line = lines[at].replace("\"$BMC\"", &host);
        let args: Vec<&str> = line.split_whitespace().skip(1).collect();
        let out = env.run(&bmc, &args).ok();
        let runs_task = !matches!(profile.quirks().tasks, TaskStyle::Immediate);
        let said = if runs_task { tasks } else { at_once };
        assert!(
            said.contains(named(profile)),
            "{profile:?}: the README says otherwise: {comment}"
        );
        if runs_task {
            let task = out.json();
            let state = task.get("TaskState").or_else(|| task.get("JobState"));
            assert_eq!(state, Some(&json!("Completed")), "{profile:?}: {out:?}");
        } else {
            assert_eq!(out.stdout, "", "{profile:?}: {out:?}");
        }
    }
}
