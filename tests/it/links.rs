//! Links a BMC supplies are reduced to paths on the logged-in host before use (issue 18
//! items 1, 3, 4, 9 and 10): task links, monitors, session URIs and the sessions collection.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use bmc_emulator::{Bmc, Config, OPERATOR, Profile, USER};
use serde_json::{Value, json};

use crate::common::{Env, logged_in, sent_deletes};

const RESET: &str = "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset";

/// A second BMC on 127.0.0.2, where nothing may ever arrive.
fn bystander() -> Bmc {
    let mut c = Config::new(Profile::Generic);
    c.ip = IpAddr::from([127, 0, 0, 2]);
    Bmc::with_config(c)
}

fn untouched(other: &Bmc) {
    let st = other.state();
    assert_eq!(
        st.connections, 0,
        "127.0.0.2 was contacted: {:?}",
        st.requests
    );
}

#[test]
fn a_task_link_naming_another_host_is_never_followed_with_the_token() {
    let (bmc, env) = logged_in(Profile::Odim);
    let host = bmc.host();
    let other = bystander();
    let o = other.host();
    let me = bmc.host();
    let path = "/redfish/v1/TaskService/Tasks/{id}";
    for link in [
        format!("@{o}{path}"),
        format!("https://{me}@{o}{path}"),
        format!("//{o}{path}"),
        format!("https://{o}{path}"),
        format!("\\\\{o}\\redfish"),
        format!("{path}/%2e%2e/%2e%2e/%2e%2e/AccountService/Accounts/1"),
    ] {
        bmc.faults(|f| {
            f.task_polls = 1;
            f.task_odata_id = Some(link.clone());
        });
        let out = env
            .run(&bmc, &["post", &host, RESET, "ResetType=On", "--wait"])
            .code(6);
        assert!(
            out.stderr.contains("task @odata.id") && out.stderr.contains("not followed"),
            "{link}: {out:?}"
        );
        assert!(out.stdout.is_empty(), "{link}: {out:?}");
    }
    untouched(&other);
    // Nor a task monitor (the 202's Location) that is not a path on the host.
    for link in [
        format!("@{o}/TaskMonitor/x?id={{id}}"),
        format!("https://{o}/TaskMonitor/x?id={{id}}"),
        format!("//{o}/TaskMonitor/x?id={{id}}"),
    ] {
        bmc.faults(|f| {
            f.task_odata_id = None;
            f.task_monitor = Some(link.clone());
        });
        let out = env
            .run(&bmc, &["post", &host, RESET, "ResetType=On", "--wait"])
            .code(6);
        assert!(
            out.stderr.contains("task monitor") && out.stderr.contains("not followed"),
            "{link}: {out:?}"
        );
    }
    untouched(&other);
}

#[test]
fn a_monitor_outside_redfish_is_followed_with_its_query() {
    let (bmc, env) = logged_in(Profile::Xcc);
    let host = bmc.host();
    bmc.faults(|f| {
        f.task_polls = 1;
        f.task_fails = true;
        f.task_monitor = Some("/TaskMonitor/abc?id={id}".into());
    });
    let out = env
        .run(&bmc, &["post", &host, RESET, "ResetType=On", "--wait"])
        .code(6);
    assert!(out.stderr.contains("ended Exception"), "{out:?}");
    let polled = |id: &str| {
        bmc.state()
            .requests
            .iter()
            .filter(|r| r.method == "GET" && r.path == format!("/TaskMonitor/abc?id={id}"))
            .count()
    };
    assert_eq!(polled("1"), 2, "polled with its query until the end");
    // Without --wait the monitor is printed as given; with it, the end is the Task.
    bmc.faults(|f| f.task_fails = false);
    let out = env.run(&bmc, &["post", &host, RESET, "ResetType=On"]).ok();
    assert_eq!(out.stdout, "/TaskMonitor/abc?id=2\n");
    let out = env
        .run(&bmc, &["post", &host, RESET, "ResetType=On", "--wait"])
        .ok();
    assert_eq!(out.json()["TaskState"], "Completed", "{out:?}");
    assert_eq!(polled("3"), 2);
}

#[test]
fn retry_after_zero_still_waits_a_second_between_polls() {
    let (bmc, env) = logged_in(Profile::Xcc);
    let host = bmc.host();
    bmc.faults(|f| {
        f.task_polls = 2;
        f.task_retry_after = Some(0);
    });
    let start = Instant::now();
    env.run(&bmc, &["post", &host, RESET, "ResetType=On", "--wait"])
        .ok();
    let waited = start.elapsed();
    let polls = bmc
        .state()
        .requests
        .iter()
        .filter(|r| r.method == "GET" && r.path.contains("TaskMonitors"))
        .count();
    assert_eq!(polls, 3, "two answers 'running', then the end");
    assert!(
        waited >= Duration::from_secs(2),
        "polled {polls} times in {waited:?}"
    );
    // A Retry-After longer than the 10 s cap is obeyed, bounded by --wait-timeout.
    bmc.faults(|f| {
        f.task_polls = 100;
        f.task_retry_after = Some(3600);
    });
    let start = Instant::now();
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
                "2",
            ],
        )
        .code(5);
    assert!(out.stderr.contains("still running after 2s"), "{out:?}");
    assert!(start.elapsed() < Duration::from_secs(8), "{out:?}");
}

/// Requests that carried a token, and every DELETE.
fn sent_with_token(bmc: &Bmc) -> Vec<String> {
    bmc.state()
        .requests
        .iter()
        .filter(|r| r.header("x-auth-token").is_some() || r.method == "DELETE")
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

#[test]
fn session_uris_that_are_not_sessions_are_refused_before_the_token_is_sent() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    let other = bystander();
    let theirs = bmc.add_session(USER);
    let sessions = "/redfish/v1/SessionService/Sessions";
    for uri in [
        "/redfish/v1/AccountService/Accounts/2".to_owned(),
        "/redfish/v1/Systems/1".to_owned(),
        sessions.to_owned(),
        format!("{sessions}/%2e%2e/%2e%2e/AccountService/Accounts/2"),
        format!("{sessions}/1/extra"),
        format!("{sessions}/a%2Fb"),
        format!("https://{}{sessions}/{}", other.host(), theirs.id),
        format!("@{}{sessions}/{}", other.host(), theirs.id),
        "..".to_owned(),
    ] {
        let out = env
            .run_stdin(
                &bmc,
                &["login", &host, "--token-stdin", "--session-uri", &uri],
                &format!("{}\n", theirs.token),
            )
            .code(2);
        assert!(
            out.stderr.contains(&format!("--session-uri {uri}")),
            "{uri}: {out:?}"
        );
        assert!(!env.entry_path(&bmc).exists(), "{uri}");
    }
    assert_eq!(sent_with_token(&bmc), Vec::<String>::new());
    untouched(&other);

    // `logout --session` takes the same rule: nothing is deleted.
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    for uri in [
        "/redfish/v1/AccountService/Accounts/2",
        "/redfish/v1/Systems/1",
        "/redfish/v1/SessionService/Sessions/%2e%2e/%2e%2e/AccountService/Accounts/2",
    ] {
        let out = env.run(&bmc, &["logout", &host, "--session", uri]).code(2);
        assert!(out.stderr.contains("--session "), "{out:?}");
    }
    assert_eq!(sent_deletes(&bmc), Vec::<String>::new());
    assert_eq!(bmc.state().accounts.len(), 2);
}

#[test]
fn an_adopted_session_is_named_by_id_or_uri_and_must_be_the_tokens_own_where_the_bmc_says() {
    // An Id is a session of the collection.
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    let theirs = bmc.add_session(USER);
    env.run_stdin(
        &bmc,
        &["login", &host, "--token-stdin", "--session-uri", &theirs.id],
        &format!("{}\n", theirs.token),
    )
    .ok();
    let entry: Value =
        serde_json::from_str(&std::fs::read_to_string(env.entry_path(&bmc)).unwrap()).unwrap();
    assert_eq!(entry["session_uri"], theirs.uri.as_str());
    env.run(&bmc, &["logout", &host]).ok();
    assert_eq!(bmc.live_sessions(), 0);

    // iLO marks the token's own session: adopting admin's token with operator's URI would
    // end operator's session at logout and leave admin's alive with no entry naming it.
    let bmc = Bmc::start(Profile::Ilo5);
    let env = Env::new();
    let host = bmc.host();
    let admins = bmc.add_session(USER);
    let operators = bmc.add_session(OPERATOR);
    let out = env
        .run_stdin(
            &bmc,
            &[
                "login",
                &host,
                "--token-stdin",
                "--session-uri",
                &operators.uri,
            ],
            &format!("{}\n", admins.token),
        )
        .code(2);
    assert!(
        out.stderr.contains("is not this token's session") && out.stderr.contains(&admins.uri),
        "{out:?}"
    );
    assert!(!env.entry_path(&bmc).exists());
    assert_eq!(bmc.live_sessions(), 2);
    assert_eq!(sent_deletes(&bmc), Vec::<String>::new());
    // Its own URI, in any case, is accepted.
    env.run_stdin(
        &bmc,
        &[
            "login",
            &host,
            "--token-stdin",
            "--session-uri",
            &admins.uri.to_lowercase(),
        ],
        &format!("{}\n", admins.token),
    )
    .ok();
}

/// A BMC's sessions collection that lists what is not a session, and ours in another case.
#[test]
fn logout_others_ends_only_direct_members_of_the_sessions_collection() {
    let (bmc, env) = logged_in(Profile::Ilo5);
    let host = bmc.host();
    let ours = bmc.state().sessions[0].clone();
    let sessions = "/redfish/v1/SessionService/Sessions";
    let member = |uri: String, id: &str| {
        json!({"@odata.id": uri, "Id": id, "UserName": USER,
               "CreatedTime": "2020-01-01T00:00:00Z", "Oem": {"Hpe": {"MySession": false}}})
    };
    bmc.faults(|f| {
        f.session_members = Some(vec![
            member(ours.uri.to_lowercase(), &ours.id),
            member("/redfish/v1/AccountService/Accounts/2".into(), "2"),
            member("https://10.9.9.9/redfish/v1/Systems/1".into(), "1"),
            member(
                format!("{sessions}/%2e%2e/%2e%2e/AccountService/Accounts/3"),
                "3",
            ),
            member(format!("{sessions}/%2E%2E"), "4"),
            member(format!("@127.0.0.2:1{sessions}/5"), "5"),
        ]);
    });
    let out = env.run(&bmc, &["--json", "logout", &host, "--others"]).ok();
    assert_eq!(out.json(), json!([]), "{out:?}");
    let out = env
        .run(&bmc, &["--json", "logout", &host, "--others", "--any-user"])
        .ok();
    assert_eq!(out.json(), json!([]), "{out:?}");
    assert_eq!(sent_deletes(&bmc), Vec::<String>::new());
    assert_eq!(bmc.state().accounts.len(), 2);
    // `sessions` lists only the one session, ours.
    let out = env.run(&bmc, &["--json", "sessions", &host]).ok();
    let rows = out.json();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{out:?}");
    assert_eq!(rows[0]["mine"], true, "{out:?}");
    // And says what it skipped, once, naming the first.
    let url = bmc.url();
    assert_eq!(
        out.stderr,
        format!(
            "rfsession: warning: {url}: 5 member(s) of {sessions} skipped: no session of this host (first: /redfish/v1/AccountService/Accounts/2)\n"
        ),
        "{out:?}"
    );
}

#[test]
fn sessions_on_later_pages_are_listed_and_ended() {
    for profile in [Profile::Generic, Profile::Bmcweb] {
        let (bmc, env) = logged_in(profile);
        let host = bmc.host();
        for _ in 0..4 {
            bmc.add_session(USER);
        }
        bmc.faults(|f| f.sessions_page = 2);
        let out = env.run(&bmc, &["--json", "sessions", &host]).ok();
        let rows = out.json();
        assert_eq!(rows.as_array().unwrap().len(), 5, "{profile:?}: {out:?}");
        assert_eq!(
            rows.as_array()
                .unwrap()
                .iter()
                .filter(|r| r["mine"] == true)
                .count(),
            1
        );
        let out = env.run(&bmc, &["--json", "logout", &host, "--others"]).ok();
        assert_eq!(
            out.json().as_array().unwrap().len(),
            4,
            "{profile:?}: {out:?}"
        );
        assert_eq!(bmc.live_sessions(), 1, "{profile:?}");
        env.run(&bmc, &["get", &host, "Systems/1"]).ok();
    }
}

#[test]
fn an_entry_naming_something_else_as_its_session_never_deletes_it() {
    // Written by an older rfsession that took any `--session-uri`.
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let path = env.entry_path(&bmc);
    let mut entry: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    entry["session_uri"] = json!("/redfish/v1/AccountService/Accounts/2");
    std::fs::write(&path, entry.to_string()).unwrap();
    env.run(&bmc, &["logout", &host]).ok();
    // Found through its Context instead, and only it was ended.
    let deleted = sent_deletes(&bmc);
    assert_eq!(deleted.len(), 1, "{deleted:?}");
    assert!(deleted[0].starts_with("/redfish/v1/SessionService/Sessions/"));
    assert_eq!(bmc.state().accounts.len(), 2);
    assert_eq!(bmc.live_sessions(), 0);
}

#[test]
fn our_own_session_is_known_by_its_id_however_the_uri_is_spelled() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let ours = bmc.state().sessions[0].clone();
    let leaked = bmc.add_session(USER);
    let sessions = "/redfish/v1/SessionService/Sessions";
    let encoded: String = ours.id.bytes().map(|b| format!("%{b:02X}")).collect();
    bmc.faults(|f| {
        f.session_members = Some(vec![
            json!({"@odata.id": format!("{sessions}/{encoded}"), "Id": ours.id, "UserName": USER}),
            json!({"@odata.id": leaked.uri, "Id": leaked.id, "UserName": USER}),
        ]);
    });
    let out = env.run(&bmc, &["--json", "logout", &host, "--others"]).ok();
    assert_eq!(out.json().as_array().unwrap().len(), 1, "{out:?}");
    assert_eq!(sent_deletes(&bmc), vec![leaked.uri.clone()]);
    bmc.faults(|f| f.session_members = None);
    env.run(&bmc, &["get", &host, "Systems/1"]).ok();
    assert_eq!(bmc.live_sessions(), 1);
}
