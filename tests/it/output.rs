//! What rfsession prints: bodies, JSON pointers, merged pages, several paths, listings,
//! idle time and expiry, a write's status line on a terminal (and nothing in scripts), and
//! the BMC's words with their control characters escaped.

use bmc_emulator::{Bmc, Profile};

use crate::common::{Env, logged_in};

const RESET: &str = "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset";

#[test]
fn cached_listing_shows_no_token_and_json_keys() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let out = env.login_with(&bmc, &["--json"]).ok();
    let login = out.json();
    for k in ["host", "user", "session_uri", "created", "valid"] {
        assert!(login.get(k).is_some(), "login --json lacks {k}");
    }
    let out = env.run(&bmc, &["--json", "sessions", "--cached"]).ok();
    let row = &out.json()[0];
    for k in ["host", "user", "session_uri", "created"] {
        assert!(row.get(k).is_some(), "sessions --cached lacks {k}");
    }
    let text = env.run(&bmc, &["sessions", "--cached"]).ok();
    for t in bmc.tokens() {
        assert!(
            !out.all().contains(&t) && !text.all().contains(&t),
            "token shown"
        );
    }
    let out = env.run(&bmc, &["--json", "sessions", &bmc.host()]).ok();
    for k in ["id", "user", "uri", "created", "origin", "mine"] {
        assert!(out.json()[0].get(k).is_some(), "sessions --json lacks {k}");
    }
}

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
        out.stderr
            .contains("no value at JSON pointer /Nope; / has @odata.id, "),
        "{out:?}"
    );
    // The next step named: what the document has where the pointer went wrong.
    let out = pointer("/Status/Nope").code(1);
    assert!(
        out.stderr
            .ends_with("/Status/Nope; /Status has State, Health\n"),
        "{out:?}"
    );
    let out = pointer("/Boot/BootSourceOverrideTarget@Redfish.AllowableValues/9").code(1);
    assert!(
        out.stderr
            .contains("AllowableValues is an array of 6 (0 to 5)"),
        "{out:?}"
    );
    let out = pointer("/PowerState/x").code(1);
    assert!(
        out.stderr.ends_with("/PowerState is a string value\n"),
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

#[test]
fn all_pages_is_bounded_and_never_partial() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let get = |path: &str| {
        env.run(
            &bmc,
            &["get", &host, path, "--all-pages", "--max-body", "4M"],
        )
    };
    let out = get("/redfish/v1/Broken/Endless").code(6);
    assert!(out.stderr.contains("exceeds 4194304 bytes"), "{out:?}");
    assert!(out.stdout.is_empty());
    let out = get("/redfish/v1/Broken/Loop").code(6);
    assert!(out.stderr.contains("a loop"), "{out:?}");
    assert!(out.stdout.is_empty());
    let out = get("/redfish/v1/Broken/Foreign").code(6);
    assert!(out.stderr.contains("points to another host"), "{out:?}");
}

#[test]
fn control_characters_from_the_bmc_are_escaped() {
    let (bmc, env) = logged_in(Profile::Generic);
    bmc.add_session("evil\u{1b}[2J\r\n*  1  admin  all good");
    let out = env.run(&bmc, &["sessions", &bmc.host()]).ok();
    assert!(
        !out.stdout.contains('\u{1b}') && !out.stdout.contains('\r'),
        "{out:?}"
    );
    assert!(out.stdout.contains("evil\\u{1b}[2J\\r\\n*"), "{out:?}");
    assert_eq!(out.stdout.lines().count(), 3, "{out:?}");
}
