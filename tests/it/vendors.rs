//! Vendor quirks of the session login itself (issue 14), one emulator profile or fault each.

use bmc_emulator::{Bmc, Profile};

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
    bmc.faults(|f| f.delete_not_allowed = true);
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
        (Profile::Idrac, (400, "IDRAC.2.8.SYS518")),
        (
            Profile::Ilo5,
            (400, "iLO.2.15.InvalidOperationForSystemState"),
        ),
    ] {
        let bmc = Bmc::start(profile);
        bmc.faults(|f| {
            f.post_busy = 2;
            f.retry_after = 0;
            f.busy_answer = Some(answer);
        });
        let env = Env::new();
        env.login(&bmc).ok();
        assert_eq!(posts(&bmc).len(), 3, "{profile:?}");
        assert_eq!(bmc.created(), 1);
    }
}
