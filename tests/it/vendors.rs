//! Vendor quirks of the session login itself, one emulator profile or fault each.

use bmc_emulator::{Bmc, Profile, USER};

use crate::common::{Env, logged_in};

fn posts(bmc: &Bmc) -> Vec<String> {
    bmc.state()
        .requests
        .iter()
        .filter(|r| r.method == "POST")
        .map(|r| r.path.clone())
        .collect()
}

#[test]
fn supermicro_redirects_the_session_post_and_the_body_follows() {
    let (bmc, env) = logged_in(Profile::Supermicro);
    assert_eq!(
        posts(&bmc),
        [
            "/redfish/v1/SessionService/Sessions",
            "/redfish/v1/SessionService/Sessions/"
        ]
    );
    assert_eq!(bmc.created(), 1);
    env.run(&bmc, &["logout", &bmc.host()]).ok();
    assert_eq!(bmc.live_sessions(), 0);
}

#[test]
fn a_sessions_collection_away_from_the_default_path_is_found_through_the_root() {
    let (bmc, env) = logged_in(Profile::IdracLegacy);
    assert_eq!(posts(&bmc), ["/redfish/v1/Sessions"]);
    let out = env.run(&bmc, &["--json", "sessions", &bmc.host()]).ok();
    assert_eq!(out.json()[0]["uri"], "/redfish/v1/Sessions/1");
    assert_eq!(out.json()[0]["mine"], true);
    env.run(&bmc, &["logout", &bmc.host()]).ok();
    assert_eq!(bmc.live_sessions(), 0);
}

#[test]
fn firmware_without_sessions_says_so() {
    let bmc = Bmc::start(Profile::Idrac8);
    let env = Env::new();
    let out = env.login(&bmc).code(6);
    assert!(out.stderr.contains("--auth basic"), "{out:?}");
    assert!(
        out.stderr
            .contains("this service offers no Redfish sessions (HTTP 405 to the session POST, as iDRAC 8 answers)"),
        "{out:?}"
    );
    assert!(!env.entry_path(&bmc).exists());
}

#[test]
fn a_session_named_only_by_the_body_is_found() {
    let (bmc, env) = logged_in(Profile::Cimc);
    let entry: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.entry_path(&bmc)).unwrap()).unwrap();
    assert_eq!(
        entry["session_uri"],
        "/redfish/v1/SessionService/Sessions/1"
    );
    env.run(&bmc, &["logout", &bmc.host()]).ok();
    assert_eq!(bmc.live_sessions(), 0);
}

#[test]
fn an_emergency_session_that_cannot_be_deleted_is_explained_and_kept() {
    let (bmc, env) = logged_in(Profile::Ilo5);
    // The cached session becomes an emergency session (adopted, ending rfsession's own).
    let emergency = bmc.add_emergency_session(bmc_emulator::USER);
    env.run_stdin(
        &bmc,
        &["login", &bmc.host(), "--token-stdin"],
        &emergency.token,
    )
    .ok();
    assert_eq!(bmc.live_sessions(), 1);
    let out = env.run(&bmc, &["logout", &bmc.host()]).code(6);
    assert!(
        out.stderr.contains("answered HTTP 405, Allow: GET")
            && out
                .stderr
                .contains("emergency sessions end only when they time out"),
        "{out:?}"
    );
    assert!(env.entry_path(&bmc).exists());
}

#[test]
fn busy_answers_of_idrac_and_ilo_are_retried_like_a_503() {
    for (profile, answer) in [
        (Profile::Idrac, "IDRAC.2.8.SYS518"),
        (Profile::Ilo5, "iLO.2.15.InvalidOperationForSystemState"),
    ] {
        let bmc = Bmc::start(profile);
        bmc.faults(|f| {
            f.post_busy = 2;
            f.retry_after = 0;
        });
        let env = Env::new();
        env.login(&bmc).ok();
        assert_eq!(posts(&bmc).len(), 3, "{profile:?}");
        assert_eq!(bmc.created(), 1);
        // Busy for longer than the tries: the vendor's own answer is what the operator reads.
        let bmc = Bmc::start(profile);
        bmc.faults(|f| {
            f.post_busy = 5;
            f.retry_after = 0;
        });
        let out = Env::new().login(&bmc);
        assert!(
            out.code != 0 && out.stderr.contains("HTTP 400") && out.stderr.contains(answer),
            "{profile:?}: {out:?}"
        );
    }
}

#[test]
fn every_subcommand_on_every_profile() {
    for profile in Profile::with_sessions() {
        let bmc = Bmc::start(profile);
        let env = Env::new();
        let host = bmc.host();
        let name = profile.name();

        // -v: what went well is said on a terminal or when asked.
        let out = env.login_with(&bmc, &["-v"]).ok();
        assert!(out.stderr.contains("logged in as admin"), "{name}: {out:?}");
        assert_eq!(bmc.created(), 1, "{name}");

        // A second process reuses the session: nothing new on the BMC.
        let out = env.login_with(&bmc, &["-v"]).ok();
        assert!(out.stderr.contains("reusing"), "{name}: {out:?}");
        assert_eq!(
            bmc.created(),
            1,
            "{name}: a second login must create no session"
        );

        let out = env.run(&bmc, &["get", &host, "/redfish/v1/Systems/1"]).ok();
        assert_eq!(out.json()["PowerState"], "On", "{name}");

        let out = env.run(&bmc, &["--json", "sessions", &host]).ok();
        let list = out.json();
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 1, "{name}: {out:?}");
        assert_eq!(
            list[0]["mine"], true,
            "{name}: own session not marked: {out:?}"
        );
        assert_eq!(list[0]["user"], USER);

        let out = env.run(&bmc, &["--json", "whoami", &host]).ok();
        let who = out.json();
        assert_eq!(who["valid"], true);
        assert_eq!(who["user"], USER);
        assert_eq!(who["host"], format!("https://{host}"));

        let out = env.run(&bmc, &["--json", "logout", &host]).ok();
        assert_eq!(out.json()["logged_out"], true, "{name}");
        assert_eq!(
            bmc.live_sessions(),
            0,
            "{name}: logout left the session on the BMC"
        );
        assert_eq!(bmc.state().deleted, 1, "{name}");
        assert!(
            !env.entry_path(&bmc).exists(),
            "{name}: entry kept after logout"
        );

        env.run(&bmc, &["whoami", &host]).code(4);
        env.run(&bmc, &["get", &host, "/redfish/v1/Systems/1"])
            .code(4);
    }
}

#[test]
fn session_uri_resolution_per_profile() {
    for (profile, uri_prefix) in [
        (Profile::Generic, "/redfish/v1/SessionService/Sessions/"),
        (Profile::Ilo4, "/redfish/v1/SessionService/Sessions/admin"),
        (
            Profile::Odim,
            "/redfish/v1/SessionService/Sessions/3f2a6c1e",
        ),
        (Profile::NoContent, "/redfish/v1/SessionService/Sessions/"),
    ] {
        let bmc = Bmc::start(profile);
        let env = Env::new();
        let out = env.login_with(&bmc, &["--json"]).ok();
        let uri = out.json()["session_uri"].as_str().unwrap().to_owned();
        assert!(uri.starts_with(uri_prefix), "{}: {uri}", profile.name());
        assert!(
            !uri.ends_with('/'),
            "{}: trailing slash kept: {uri}",
            profile.name()
        );
    }
    // No Location: the URI stays empty at login and logout finds the session by MySession.
    let bmc = Bmc::start(Profile::NoLocation);
    let env = Env::new();
    let out = env.login_with(&bmc, &["--json"]).ok();
    assert_eq!(out.json()["session_uri"], "");
    bmc.add_session("someone-else");
    env.run(&bmc, &["logout", &bmc.host()]).ok();
    assert_eq!(
        bmc.live_sessions(),
        1,
        "the other user's session must survive"
    );
    assert!(bmc.state().sessions[0].user == "someone-else");
}
