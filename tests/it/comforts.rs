//! The operator's everyday comforts: JSON pointers, paging, query options, several paths
//! at once, dry runs, and how long a session has left.

use crate::common::{Env, logged_in};
use bmc_emulator::{Bmc, PASSWORD, Profile, USER};

const PW: [(&str, &str); 1] = [("RFSESSION_PASSWORD", PASSWORD)];

#[test]
fn pointer_prints_strings_raw_and_other_values_as_json() {
    let (bmc, env) = logged_in(Profile::Generic);
    let pointer = |p: &str| {
        env.run(
            &bmc,
            &["get", &bmc.host(), "/redfish/v1/Systems/1", "--pointer", p],
        )
    };
    assert_eq!(pointer("/PowerState").ok().stdout, "On\n");
    assert_eq!(
        pointer("/MemorySummary/TotalSystemMemoryGiB")
            .ok()
            .stdout
            .trim(),
        "512"
    );
    assert_eq!(pointer("/Status").ok().json()["Health"], "OK");
    let out = pointer("/Nope").code(1);
    assert!(
        out.stderr.contains("no value at JSON pointer /Nope"),
        "{out:?}"
    );
}

#[test]
fn all_pages_merges_a_paged_collection() {
    let (bmc, env) = logged_in(Profile::Generic);
    let path = "/redfish/v1/Managers/1/LogServices/Log/Entries";
    let one = env.run(&bmc, &["get", &bmc.host(), path]).ok().json();
    assert_eq!(one["Members"].as_array().unwrap().len(), 10);
    assert!(one.get("Members@odata.nextLink").is_some());
    let all = env
        .run(&bmc, &["get", &bmc.host(), path, "--all-pages"])
        .ok()
        .json();
    let members = all["Members"].as_array().unwrap();
    assert_eq!(members.len(), 25);
    assert_eq!(members[24]["Id"], "24");
    assert!(all.get("Members@odata.nextLink").is_none());
    assert_eq!(all["Members@odata.count"], 25);
}

#[test]
fn query_options_pass_through_untouched() {
    let (bmc, env) = logged_in(Profile::Generic);
    let q = "/redfish/v1/Systems/1?$select=PowerState,Id&$top=2&$expand=.($levels=1)";
    let out = env.run(&bmc, &["get", &bmc.host(), q]).ok();
    // The answer is the resource and nothing of the emulator's own (no echo of the query).
    assert_eq!(out.json()["PowerState"], "On", "{out:?}");
    assert!(out.json().get("Query").is_none(), "{out:?}");
    assert!(
        bmc.state().requests.iter().any(|r| r.path == q),
        "the BMC did not see {q}"
    );
}

#[test]
fn several_paths_in_one_call_share_one_connection() {
    let (bmc, env) = logged_in(Profile::Generic);
    let h = bmc.host();
    let before = bmc.state().requests.len();
    let conns = bmc.state().connections;
    let out = env
        .run(
            &bmc,
            &[
                "get",
                &h,
                "/redfish/v1/Systems/1",
                "Systems",
                "/redfish/v1/SessionService",
            ],
        )
        .ok();
    let arr = out.json();
    let arr = arr.as_array().unwrap();
    assert_eq!(arr.len(), 3);
    assert_eq!(arr[0]["Id"], "1");
    assert_eq!(arr[1]["@odata.id"], "/redfish/v1/Systems");
    assert_eq!(arr[2]["@odata.id"], "/redfish/v1/SessionService");
    assert_eq!(
        bmc.state().requests.len() - before,
        3,
        "one request per path, nothing more"
    );
    assert_eq!(
        bmc.state().connections - conns,
        1,
        "all paths over one kept-alive connection"
    );
    let out = env
        .run(
            &bmc,
            &[
                "get",
                &h,
                "/redfish/v1/Systems/1",
                "/redfish/v1/Systems",
                "--ndjson",
            ],
        )
        .ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2);
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first["PowerState"], "On");
    // A failing path fails the call: no partial array passes for a whole one.
    env.run(
        &bmc,
        &["get", &h, "/redfish/v1/Systems/1", "/redfish/v1/Nope"],
    )
    .code(6);
    env.run(
        &bmc,
        &[
            "get",
            &h,
            "/redfish/v1/Systems/1",
            "/redfish/v1/Systems",
            "--raw",
        ],
    )
    .code(2);
}

#[test]
fn host_from_the_environment() {
    let (bmc, env) = logged_in(Profile::Generic);
    let out = env
        .run_env(
            &bmc,
            &["get", "/redfish/v1/Systems/1", "--pointer", "/Id"],
            &[("RFSESSION_HOST", &bmc.host())],
        )
        .ok();
    assert_eq!(out.stdout, "1\n");
    env.run_env(&bmc, &["whoami"], &[("RFSESSION_HOST", &bmc.host())])
        .ok();
    let out = env.run(&bmc, &["whoami"]).code(2);
    assert!(out.stderr.contains("RFSESSION_HOST"), "{out:?}");
}

#[test]
fn dry_runs_change_nothing() {
    let bmc = Bmc::start(Profile::Ilo5);
    let env = Env::new();
    let h = bmc.host();
    let out = env
        .run_env(&bmc, &["--json", "login", &h, "-u", USER, "--dry-run"], &PW)
        .ok();
    assert_eq!(out.json()["action"], "create");
    assert_eq!(out.json()["post"], "/redfish/v1/SessionService/Sessions");
    env.login(&bmc).ok();
    let uri = bmc.state().sessions[0].uri.clone();
    let out = env
        .run_env(&bmc, &["--json", "login", &h, "--dry-run"], &PW)
        .ok();
    assert_eq!(out.json()["action"], "reuse");
    let out = env
        .run_env(&bmc, &["--json", "login", &h, "--force", "--dry-run"], &PW)
        .ok();
    assert_eq!(out.json()["action"], "replace");
    assert_eq!(out.json()["delete"], uri.as_str());
    let out = env.run(&bmc, &["logout", &h, "--dry-run"]).ok();
    assert!(
        out.stderr.contains(&format!("would DELETE {uri}")),
        "{out:?}"
    );
    let out = env.run(&bmc, &["logout", "--all", "--dry-run"]).ok();
    assert!(!out.stderr.contains("logged out of"), "{out:?}");
    let changing = bmc
        .state()
        .requests
        .iter()
        .filter(|r| r.method != "GET")
        .count();
    assert_eq!(changing, 1, "only the one real login may POST or DELETE");
    assert_eq!(bmc.live_sessions(), 1);
    assert!(env.entry_path(&bmc).exists());
}

#[test]
fn whoami_shows_idle_time_and_expiry() {
    let mut cfg = bmc_emulator::Config::new(Profile::Generic);
    cfg.idle_timeout = std::time::Duration::from_secs(300);
    let bmc = Bmc::with_config(cfg);
    let env = Env::new();
    env.login(&bmc).ok();
    // Pretend the session was last used 2 minutes ago.
    let two_min_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(120);
    std::fs::File::options()
        .write(true)
        .open(env.entry_path(&bmc))
        .unwrap()
        .set_modified(two_min_ago)
        .unwrap();
    let who = env
        .run(&bmc, &["--json", "whoami", &bmc.host()])
        .ok()
        .json();
    let idle = who["idle_seconds"].as_u64().unwrap();
    assert!((120..130).contains(&idle), "{who}");
    assert_eq!(who["session_timeout"], 300);
    assert_eq!(who["expires_in_seconds"], 300);
    let text = env.run(&bmc, &["whoami", &bmc.host()]).ok();
    assert!(
        text.stdout.contains("idle:     0s"),
        "the check itself is a use: {text:?}"
    );
    assert!(
        text.stdout.contains("expires:  about 5m 00s from now"),
        "{text:?}"
    );
}
