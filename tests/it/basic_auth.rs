//! HTTP Basic: the way in when the session table is full (sessions, logout --others,
//! login --reclaim, none of which creates a session), services that speak only Basic
//! (sushy-tools), and a session POST that demands Basic too (HPE's CSM emulator).

use std::time::Duration;

use crate::common::{Env, sent_deletes};
use bmc_emulator::{Bmc, Config, PASSWORD, Profile, USER};

const PW: [(&str, &str); 2] = [("RFSESSION_PASSWORD", PASSWORD), ("RFSESSION_USER", USER)];

/// A BMC whose table of `limit` sessions another client filled with admin's sessions, an
/// hour old.
fn full(profile: Profile, limit: usize) -> Bmc {
    let mut cfg = Config::new(profile);
    cfg.session_limit = limit;
    let bmc = Bmc::with_config(cfg);
    for _ in 0..limit {
        bmc.add_old_session(USER, Duration::from_secs(2 * 3600));
    }
    bmc
}

fn session_posts(bmc: &Bmc) -> usize {
    bmc.state()
        .requests
        .iter()
        .filter(|r| r.method == "POST" && r.path.contains("Sessions"))
        .count()
}

#[test]
fn a_full_table_is_cleared_by_the_commands_the_error_names_creating_no_session() {
    for profile in [
        Profile::Generic,
        Profile::Ilo5,
        Profile::Idrac,
        Profile::Xcc,
    ] {
        let name = profile.name();
        let bmc = full(profile, 4);
        let env = Env::new();
        let h = bmc.host();
        let out = env.run_env(&bmc, &["login", &h], &PW).code(6);
        let url = bmc.url();
        // With the --cacert given, so that they work pasted.
        let ca = bmc.ca_path().display();
        for named in [
            format!("`rfsession sessions {url} --cacert {ca}`"),
            format!("`rfsession logout {url} --others --older-than 1h --cacert {ca}`"),
            format!("`rfsession login {url} --reclaim=1h --cacert {ca}`"),
        ] {
            assert!(out.stderr.contains(&named), "{name}: {named} in {out:?}");
        }
        let created = bmc.created();

        // Listed without a cached session, with Basic: nothing created.
        let list = env
            .run_env(&bmc, &["--json", "sessions", &h], &PW)
            .ok()
            .json();
        assert_eq!(list.as_array().unwrap().len(), 4, "{name}: {list}");
        assert!(list.as_array().unwrap().iter().all(|s| s["mine"] == false));
        let out = env
            .run_env(
                &bmc,
                &["logout", &h, "--others", "--older-than", "1h", "--dry-run"],
                &PW,
            )
            .ok();
        assert_eq!(
            out.stderr.matches("would end session").count(),
            4,
            "{name}: {out:?}"
        );
        assert_eq!(bmc.live_sessions(), 4);
        env.run_env(&bmc, &["logout", &h, "--others", "--older-than", "1h"], &PW)
            .ok();
        assert_eq!(bmc.live_sessions(), 0, "{name}");
        assert_eq!(
            bmc.created(),
            created,
            "{name}: the clearing created a session"
        );
        assert!(
            !env.entry_path(&bmc).exists(),
            "{name}: Basic credentials were cached"
        );

        env.run_env(&bmc, &["login", &h], &PW).ok();
        assert_eq!(bmc.live_sessions(), 1, "{name}");
    }
}

#[test]
fn login_reclaim_ends_this_users_stale_sessions_then_logs_in() {
    let bmc = full(Profile::Ilo5, 3);
    let env = Env::new();
    let h = bmc.host();
    // A young session is not stale: --reclaim=1h leaves it.
    bmc.state().sessions.pop();
    let young = bmc.add_session(USER);
    let created = bmc.created();
    env.run_env(&bmc, &["login", &h, "--reclaim=1h"], &PW).ok();
    assert_eq!(bmc.created(), created + 1, "exactly the login's session");
    let tokens: Vec<_> = bmc
        .state()
        .sessions
        .iter()
        .map(|s| s.token.clone())
        .collect();
    assert_eq!(tokens.len(), 2, "the young one and the new one");
    assert!(tokens.contains(&young.token));
}

#[test]
fn a_service_with_only_basic_auth_works_with_auth_basic() {
    let bmc = Bmc::start(Profile::Sushy);
    let env = Env::new();
    let h = bmc.host();
    let sys = "/redfish/v1/Systems/1";
    // Without --auth basic: the error says there are no sessions and names it.
    let out = env.run_env(&bmc, &["login", &h], &PW).code(6);
    assert!(
        out.stderr
            .contains(&format!("rfsession login {} --auth basic", bmc.url())),
        "{out:?}"
    );

    env.run_env(&bmc, &["login", &h, "--auth", "basic"], &PW)
        .ok();
    let text = std::fs::read_to_string(env.entry_path(&bmc)).unwrap();
    assert!(!text.contains(PASSWORD), "the password was stored: {text}");
    let entry: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(entry["basic"], true);
    assert_eq!(entry["user"], USER);

    // Later calls need no --auth; the password comes from the environment each time.
    let before = bmc.state().requests.len();
    let out = env.run_env(&bmc, &["get", &h, sys], &PW).ok();
    assert_eq!(out.json()["PowerState"], "On");
    let sent: Vec<String> = bmc.state().requests[before..]
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(sent, [format!("GET {sys}")], "one request, no service root");
    env.run_env(&bmc, &["patch", &h, sys, "AssetTag=rack-7"], &PW)
        .ok();
    let out = env
        .run_env(&bmc, &["get", &h, sys, "--pointer", "/AssetTag"], &PW)
        .ok();
    assert_eq!(out.stdout, "rack-7\n");
    env.run_env(&bmc, &["whoami", &h], &PW).ok();
    // A wrong password is the credentials' fault, exit 3.
    env.run_env(&bmc, &["get", &h, sys], &[("RFSESSION_PASSWORD", "wrong")])
        .code(3);
    env.run_env(&bmc, &["logout", &h], &PW).ok();
    assert!(!env.entry_path(&bmc).exists());
    assert_eq!(bmc.created(), 0);

    // The settings file can say it instead of the command line.
    let cfg = env.dir.path().join("config.toml");
    std::fs::write(&cfg, "[hosts.\"127.0.0.1*\"]\nauth = \"basic\"\n").unwrap();
    let cfgs = cfg.to_str().unwrap();
    let env_cfg = [PW[0], PW[1], ("RFSESSION_CONFIG", cfgs)];
    let out = env.run_env(&bmc, &["get", &h, sys], &env_cfg).ok();
    assert_eq!(out.json()["PowerState"], "On");
    env.run_env(&bmc, &["login", &h], &env_cfg).ok();
    assert_eq!(bmc.created(), 0);
}

#[test]
fn a_session_post_that_demands_basic_is_sent_once_more_with_it() {
    let bmc = Bmc::start(Profile::Csm);
    let env = Env::new();
    let h = bmc.host();
    let sys = "/redfish/v1/Systems/1";
    env.run_env(&bmc, &["login", &h], &PW).ok();
    assert_eq!(session_posts(&bmc), 2, "exactly one more POST");
    assert_eq!(bmc.live_sessions(), 1);
    assert!(
        !std::fs::read_to_string(env.entry_path(&bmc))
            .unwrap()
            .contains(PASSWORD)
    );
    let out = env.run(&bmc, &["get", &h, sys]).ok();
    assert_eq!(out.json()["PowerState"], "On");
    env.run(&bmc, &["patch", &h, sys, "AssetTag=rack-8"]).ok();
    env.run(&bmc, &["logout", &h]).ok();
    assert_eq!(bmc.live_sessions(), 0);

    // A wrong password: one more POST, then the credentials are refused.
    let before = session_posts(&bmc);
    env.run_env(
        &bmc,
        &["login", &h],
        &[PW[1], ("RFSESSION_PASSWORD", "wrong")],
    )
    .code(3);
    assert_eq!(session_posts(&bmc) - before, 2);
}

/// A hostile sessions collection: `login --reclaim` ends only the direct members that are
/// this user's stale sessions, never what a member's `@odata.id` points at elsewhere.
#[test]
fn login_reclaim_deletes_only_direct_members_of_the_sessions_collection() {
    let bmc = full(Profile::Generic, 2);
    let env = Env::new();
    let h = bmc.host();
    let stale = bmc.state().sessions[0].clone();
    let sessions = "/redfish/v1/SessionService/Sessions";
    let member = |uri: String, id: &str| {
        serde_json::json!({"@odata.id": uri, "Id": id, "UserName": USER,
                           "CreatedTime": "2020-01-01T00:00:00Z"})
    };
    bmc.faults(|f| {
        f.session_members = Some(vec![
            member("/redfish/v1/AccountService/Accounts/2".into(), "2"),
            member(
                "https://10.9.9.9/redfish/v1/SessionService/Sessions/1".into(),
                "3",
            ),
            member(format!("https://127.0.0.2:1{sessions}/4"), "4"),
            member(
                format!("{sessions}/%2e%2e/%2e%2e/AccountService/Accounts/2"),
                "5",
            ),
            member(format!("{sessions}/%2E%2E"), "6"),
            member(format!("{sessions}/../../AccountService/Accounts/2"), "7"),
            member(format!("@127.0.0.2:1{sessions}/8"), "8"),
            member(format!("{sessions}/9/Extra"), "9"),
            member(stale.uri.clone(), &stale.id),
        ]);
    });
    let created = bmc.created();
    env.run_env(&bmc, &["login", &h, "--reclaim=1h"], &PW).ok();
    assert_eq!(sent_deletes(&bmc), vec![stale.uri.clone()]);
    assert_eq!(bmc.state().accounts.len(), 2, "an account was deleted");
    assert_eq!(bmc.created(), created + 1, "exactly the login's session");
}

#[test]
fn a_host_reached_with_basic_says_so_where_its_session_is_shown() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let h = bmc.host();
    env.run_env(&bmc, &["login", &h, "--auth", "basic"], &PW)
        .ok();
    let who = env.run_env(&bmc, &["whoami", &h], &PW).ok();
    assert!(
        who.stdout.contains("session:  HTTP Basic (no session)\n"),
        "{who:?}"
    );
    let who = env.run_env(&bmc, &["--json", "whoami", &h], &PW).ok();
    assert_eq!(who.json()["auth"], "basic");
    let cached = env.run(&bmc, &["sessions", "--cached"]).ok();
    assert!(
        cached.stdout.contains("HTTP Basic (no session)"),
        "{cached:?}"
    );
    let cached = env.run(&bmc, &["--json", "sessions", "--cached"]).ok();
    assert_eq!(cached.json()[0]["auth"], "basic");
    // A session entry says "session".
    env.run_env(&bmc, &["login", &h, "--auth", "session"], &PW)
        .ok();
    let cached = env.run(&bmc, &["--json", "sessions", "--cached"]).ok();
    assert_eq!(cached.json()[0]["auth"], "session");
}

/// `sessions -u USER` with nothing cached lists with HTTP Basic as that user; a wrong
/// password is the credentials' fault (exit 3), not a token's; with a session cached, a
/// -u naming another user is said to change nothing.
#[test]
fn sessions_with_u_use_basic_and_blame_the_credentials() {
    let bmc = full(Profile::Generic, 2);
    let env = Env::new();
    let h = bmc.host();
    let list = env
        .run_env(
            &bmc,
            &["--json", "sessions", &h, "-u", USER],
            &[("RFSESSION_PASSWORD", PASSWORD)],
        )
        .ok()
        .json();
    assert_eq!(list.as_array().unwrap().len(), 2, "{list}");
    let out = env
        .run_env(
            &bmc,
            &["sessions", &h, "-u", USER],
            &[("RFSESSION_PASSWORD", "wrong")],
        )
        .code(3);
    assert!(
        out.stderr
            .contains("the BMC rejected the credentials (HTTP 401")
            && out.stderr.contains("check the user name and password"),
        "{out:?}"
    );
    assert_eq!(bmc.created(), 2, "nothing was created");

    let bmc = Bmc::start(Profile::Generic);
    env.run_env(&bmc, &["login", &bmc.host()], &PW).ok();
    let out = env.run(&bmc, &["sessions", &bmc.host(), "-u", "bob"]).ok();
    assert_eq!(
        out.stderr,
        format!(
            "rfsession: warning: {}: -u bob is for HTTP Basic when nothing is cached; listed with the cached session of {USER}\n",
            bmc.url()
        )
    );
}

/// `login --reclaim --password-stdin`: the password is read once, for the reclaim and the
/// login both (standard input cannot be read twice).
#[test]
fn login_reclaim_reads_the_password_once() {
    let bmc = full(Profile::Generic, 2);
    let env = Env::new();
    let h = bmc.host();
    let out = env.run_stdin(
        &bmc,
        &["login", &h, "-u", USER, "--reclaim", "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        bmc.live_sessions(),
        1,
        "the old ones ended, the login's made"
    );
}

/// `login --auth basic` with a wrong password leaves the cached session working: the
/// credentials are checked before the session is ended.
#[test]
fn a_wrong_password_for_auth_basic_keeps_the_session() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let h = bmc.host();
    env.run_env(&bmc, &["login", &h], &PW).ok();
    let out = env
        .run_env(
            &bmc,
            &["login", &h, "--auth", "basic", "-u", USER],
            &[("RFSESSION_PASSWORD", "wrong")],
        )
        .code(3);
    assert!(out.stderr.contains("rejected the credentials"), "{out:?}");
    assert_eq!(bmc.live_sessions(), 1, "{out:?}");
    env.run(&bmc, &["get", &h, "Systems/1"]).ok();
}
