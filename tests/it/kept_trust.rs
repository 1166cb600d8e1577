//! A host's certificate trust outlives its session, as ssh's known_hosts does: after a
//! logout, the CA remembered from login (or the -k pin) serves the next login, `sessions`,
//! and a get that logs in by itself, with no flag; only `login --force` with --cacert or -k
//! replaces it, and `logout --forget` removes it.

use std::os::unix::fs::PermissionsExt;

use bmc_emulator::{Bmc, CertKind, PASSWORD, Profile, USER};

use crate::common::{Env, serving};

fn trust_file(env: &Env, bmc: &Bmc) -> std::path::PathBuf {
    env.entry_path(bmc).with_extension("trust")
}

#[test]
fn the_ca_remembered_from_login_outlives_the_logout() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let h = bmc.host();
    let ca = bmc.ca_path().to_str().unwrap();
    env.run_bare(&["--cacert", ca, "login", &h, "-u", USER])
        .ok();
    env.run_bare(&["logout", &h]).ok();
    assert_eq!(bmc.live_sessions(), 0);
    let mode = std::fs::metadata(trust_file(&env, &bmc))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // Every later call, with no flag: sessions (HTTP Basic), login, then the README's trap.
    let mut sessions = env.cmd(None, &["sessions", &h]);
    sessions
        .env("RFSESSION_USER", USER)
        .env("RFSESSION_PASSWORD", PASSWORD);
    crate::common::Out::from(sessions.output().unwrap()).ok();
    let cached = env.run_bare(&["sessions", "--cached"]).ok();
    assert!(
        cached.stdout.contains("(logged out; trust kept)")
            && cached.stdout.contains("CA remembered from login"),
        "{cached:#?}"
    );
    let listed = env
        .run_bare(&["--json", "sessions", "--cached"])
        .ok()
        .json();
    // --json lists sessions only: scripts count them.
    assert_eq!(listed, serde_json::json!([]));
    let config = env.run_bare(&["--json", "config", &h]).ok().json();
    assert!(
        config["trust"]["value"]
            .as_str()
            .unwrap()
            .starts_with("CA remembered"),
        "{config}"
    );
    let config = env.run_bare(&["config", &h]).ok();
    assert!(
        config.stdout.contains("CA remembered from login")
            && config.stdout.contains("logout --forget removes it"),
        "{config:#?}"
    );
    env.run_bare(&["login", &h, "-u", USER]).ok();
    let who = env.run_bare(&["whoami", &h]).ok();
    assert!(who.stdout.contains("CA remembered from login"), "{who:#?}");
    assert!(
        !trust_file(&env, &bmc).exists(),
        "the entry carries it again"
    );
    env.run_bare(&["logout", &h]).ok();
    // A get that logs in by itself from ~/.netrc.
    let netrc = env.dir.path().join(".netrc");
    std::fs::write(
        &netrc,
        format!("machine 127.0.0.1 login {USER} password {PASSWORD}\n"),
    )
    .unwrap();
    std::fs::set_permissions(&netrc, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut get = env.cmd(None, &["get", &h, "Systems/1"]);
    let out = crate::common::Out::from(get.output().unwrap());
    assert_eq!(out.code, 0, "{out:#?}");
    env.run_bare(&["logout", &h]).ok();
    // --forget removes it, and says so: the next call verifies with the system's store.
    let forgot = env.run_bare(&["-v", "logout", &h, "--forget"]).ok();
    assert!(
        forgot.all().contains("forgot the certificate trust"),
        "{forgot:#?}"
    );
    assert!(!trust_file(&env, &bmc).exists());
    let out = env.run_bare(&["login", &h, "-u", USER]).code(5);
    assert!(out.stderr.contains("system's CA store"), "{out:#?}");
}

#[test]
fn a_pin_outlives_the_logout_and_only_k_force_replaces_it() {
    let bmc = serving(CertKind::OwnCa);
    let env = Env::new();
    let h = bmc.host();
    env.run_bare(&["-k", "login", &h, "-u", USER]).ok();
    env.run_bare(&["logout", &h]).ok();
    let cached = env.run_bare(&["sessions", "--cached"]).ok();
    assert!(cached.stdout.contains("pinned SHA256:"), "{cached:#?}");
    // No -k: the pin serves the next login.
    env.run_bare(&["login", &h, "-u", USER]).ok();
    env.run_bare(&["logout", &h]).ok();
    // A new certificate is refused by the kept pin, even with -k, until -k --force.
    let other = serving(CertKind::OwnCa);
    let entry = env.entry_path(&bmc).with_extension("trust");
    let moved = env.entry_path(&other).with_extension("trust");
    let text = std::fs::read_to_string(&entry)
        .unwrap()
        .replace(&h, &other.host());
    std::fs::write(&moved, text).unwrap();
    std::fs::set_permissions(&moved, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = other.host();
    env.run_bare(&["-k", "login", &o, "-u", USER]).code(5);
    env.run_bare(&["-k", "login", &o, "-u", USER, "--force"])
        .ok();
    env.run_bare(&["get", &o, "Systems/1"]).ok();
}
