//! Trust kept in the entry: a login verified with --cacert serves every later call without
//! the flag; legacy (version 1, own-CA) certificates with -k and as exact matches; the
//! trust handed to curl, Python and exec'd programs; how each entry is trusted, shown.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use bmc_emulator::{Bmc, CertKind, Config, PASSWORD, Profile, USER};

use crate::common::{Env, bin, logged_in, requests, serving};

const PW: [(&str, &str); 1] = [("RFSESSION_PASSWORD", PASSWORD)];

/// The BMC's current certificate in a file of the test's directory.
fn cert_file(env: &Env, bmc: &Bmc, name: &str) -> PathBuf {
    let path = env.dir.path().join(name);
    std::fs::write(&path, bmc.certificate_pem()).unwrap();
    path
}

fn login_with_ca(env: &Env, bmc: &Bmc, ca: &Path) {
    let out = env.run_bare(&[
        "--cacert",
        ca.to_str().unwrap(),
        "login",
        &bmc.host(),
        "-u",
        USER,
    ]);
    assert_eq!(out.code, 0, "{out:#?}");
}

#[test]
fn a_login_with_cacert_serves_every_later_call_without_it() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    login_with_ca(&env, &bmc, bmc.ca_path());
    let h = bmc.host();
    env.run_bare(&["get", &h, "Systems/1"]).ok();
    env.run_bare(&["patch", &h, "Systems/1", "AssetTag=remembered"])
        .ok();
    let who = env.run_bare(&["whoami", &h]).ok();
    assert!(
        who.stdout
            .contains("trust:    CA remembered from login, 1 certificate, expires "),
        "{who:#?}"
    );
    let cached = env.run_bare(&["sessions", "--cached"]).ok();
    assert!(
        cached.stdout.contains("CA remembered from login"),
        "{cached:#?}"
    );
    env.run_bare(&["sessions", &h]).ok();
    let config = env.run_bare(&["config", &h]).ok();
    assert!(
        config
            .stdout
            .contains("trust        CA remembered from login"),
        "{config:#?}"
    );
    // -k cannot loosen a verified entry, and does not need to.
    env.run_bare(&["-k", "get", &h, "Systems/1"]).ok();
    env.run_bare(&["logout", &h]).ok();
    assert_eq!(bmc.live_sessions(), 0);
    // Kept in the entry file itself, which is private.
    let e: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.entry_path(&bmc)).unwrap_or_default())
            .unwrap_or_default();
    assert!(e.is_null(), "the entry went with the logout");
}

#[test]
fn the_remembered_ca_is_in_the_private_entry_and_only_the_ca_that_verified() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    // A bundle of two CAs (the test CA and an unrelated self-signed certificate).
    let other = serving(CertKind::OwnCa);
    let bundle = env.dir.path().join("bundle.pem");
    let ca = std::fs::read_to_string(bmc.ca_path()).unwrap();
    std::fs::write(&bundle, format!("{}{ca}", other.certificate_pem())).unwrap();
    login_with_ca(&env, &bmc, &bundle);
    let text = std::fs::read_to_string(env.entry_path(&bmc)).unwrap();
    let e: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(e["tls_anchors"].as_str().unwrap(), ca.as_str());
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(env.entry_path(&bmc))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn fleets_use_each_hosts_own_trust() {
    // Two hosts behind different CAs: one signed by the test CA, one its own CA.
    let signed = Bmc::start(Profile::Generic);
    let own = serving(CertKind::OwnCa);
    let env = Env::new();
    login_with_ca(&env, &signed, signed.ca_path());
    let own_pem = cert_file(&env, &own, "own.pem");
    login_with_ca(&env, &own, &own_pem);
    let list = env.dir.path().join("hosts");
    std::fs::write(&list, format!("{}\n{}\n", signed.host(), own.host())).unwrap();
    let out = env
        .run_bare(&["get", "--hosts", list.to_str().unwrap(), "Systems/1"])
        .ok();
    assert_eq!(out.stdout.lines().count(), 2, "{out:#?}");
    env.run_bare(&["logout", "--all"]).ok();
    assert_eq!(signed.live_sessions() + own.live_sessions(), 0);
}

#[test]
fn a_cacert_on_a_later_call_is_used_for_that_call_only() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    login_with_ca(&env, &bmc, bmc.ca_path());
    let stranger = serving(CertKind::SelfSigned);
    let wrong = cert_file(&env, &stranger, "wrong.pem");
    let h = bmc.host();
    let out = env
        .run_bare(&["--cacert", wrong.to_str().unwrap(), "get", &h, "Systems/1"])
        .code(5);
    assert!(out.stderr.contains("this call verified with"), "{out:#?}");
    env.run_bare(&["get", &h, "Systems/1"]).ok();
}

#[test]
fn only_login_force_with_cacert_or_k_replaces_the_trust() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    login_with_ca(&env, &bmc, bmc.ca_path());
    let h = bmc.host();
    // The BMC now serves a certificate of its own: the remembered CA refuses it.
    bmc.serve_certificate(CertKind::OwnCa);
    for args in [
        vec!["get", &h, "Systems/1"],
        vec!["-k", "get", &h, "Systems/1"],
        vec!["login", &h, "--force"],
    ] {
        let out = env.run_bare(&args).code(5);
        assert!(out.stderr.contains("remembered from its login"), "{out:#?}");
        assert!(
            !out.stderr.contains(" -k"),
            "-k cannot change this entry: {out:#?}"
        );
    }
    let own = cert_file(&env, &bmc, "own.pem");
    env.run_bare(&["--cacert", own.to_str().unwrap(), "login", &h, "--force"])
        .ok();
    env.run_bare(&["get", &h, "Systems/1"]).ok();
    // And -k --force pins whatever is served.
    bmc.serve_certificate(CertKind::Version1);
    env.run_bare(&["get", &h, "Systems/1"]).code(5);
    env.run_bare(&["-k", "login", &h, "--force"]).ok();
    let who = env.run_bare(&["whoami", &h]).ok();
    assert!(who.stdout.contains("trust:    pinned SHA256:"), "{who:#?}");
}

#[test]
fn a_version1_certificate_works_with_k_and_with_cacert() {
    let bmc = serving(CertKind::Version1);
    let h = bmc.host();
    let pinned = Env::new();
    let out = pinned.run_bare(&["-k", "login", &h, "-u", USER]).ok();
    assert!(
        out.stderr.contains("warning: https://")
            && out
                .stderr
                .contains("pinned a legacy certificate (X.509 version 1, no subjectAltName)"),
        "{out:#?}"
    );
    pinned.run_bare(&["get", &h, "Systems/1"]).ok();
    let cert = pinned.run_bare(&["cert", &h]).ok();
    assert_eq!(cert.stdout, bmc.certificate_pem());

    let exact = Env::new();
    let pem = cert_file(&exact, &bmc, "v1.pem");
    login_with_ca(&exact, &bmc, &pem);
    exact.run_bare(&["get", &h, "Systems/1"]).ok();
    exact
        .run_bare(&[
            "post",
            &h,
            "Systems/1/Actions/ComputerSystem.Reset",
            "ResetType=On",
        ])
        .ok();
    exact.run_bare(&["logout", &h]).ok();
}

#[test]
fn a_sha1_version1_certificate_is_pinned_with_a_warning_naming_it() {
    let bmc = serving(CertKind::Version1Sha1);
    let env = Env::new();
    let out = env.run_bare(&["-k", "login", &bmc.host(), "-u", USER]).ok();
    assert!(
        out.stderr.contains(
            "pinned a legacy certificate (X.509 version 1, signed with SHA-1 or MD5, no subjectAltName)"
        ),
        "{out:#?}"
    );
    env.run_bare(&["get", &bmc.host(), "Systems/1"]).ok();
}

/// Old BMCs speak TLS 1.2, where the handshake signature is checked by another path.
#[test]
fn legacy_certificates_over_tls_1_2() {
    for kind in [CertKind::Version1, CertKind::OwnCa, CertKind::Signed] {
        let mut c = Config::new(Profile::Generic);
        c.cert = kind;
        c.tls12_only = true;
        let bmc = Bmc::with_config(c);
        let pinned = Env::new();
        pinned
            .run_bare(&["-k", "login", &bmc.host(), "-u", USER])
            .ok();
        pinned.run_bare(&["get", &bmc.host(), "Systems/1"]).ok();
        let exact = Env::new();
        let pem = cert_file(&exact, &bmc, "leaf.pem");
        login_with_ca(&exact, &bmc, &pem);
        exact.run_bare(&["get", &bmc.host(), "Systems/1"]).ok();
        // A certificate with another key: the pin refuses it before anything is sent.
        bmc.serve_certificate(kind);
        pinned.run_bare(&["get", &bmc.host(), "Systems/1"]).code(5);
    }
}

#[test]
fn a_leaf_that_is_its_own_ca_is_trusted_as_an_exact_match() {
    let bmc = serving(CertKind::OwnCa);
    let env = Env::new();
    let pem = cert_file(&env, &bmc, "own.pem");
    login_with_ca(&env, &bmc, &pem);
    env.run_bare(&["get", &bmc.host(), "Systems/1"]).ok();
    assert_eq!(
        env.run_bare(&["cert", &bmc.host()]).ok().stdout,
        bmc.certificate_pem()
    );
}

#[test]
fn curl_verifies_the_bmc_through_rfsession_cert() {
    for pin in [false, true] {
        let bmc = Bmc::start(Profile::Generic);
        let env = Env::new();
        if pin {
            env.run_bare(&["-k", "login", &bmc.host(), "-u", USER]).ok();
        } else {
            login_with_ca(&env, &bmc, bmc.ca_path());
        }
        let script = format!(
            "curl -sf --cacert <({rf} cert {h}) -H @<({rf} token --header {h}) https://{h}/redfish/v1/Systems/1",
            rf = bin(),
            h = bmc.host()
        );
        let out = env_command(&env, "bash", &["-c", &script]);
        assert_eq!(out.0, 0, "curl failed (pinned: {pin}): {}", out.2);
        assert!(out.1.contains("\"Id\""), "{}", out.1);
    }
}

#[test]
fn exec_hands_the_trust_over_and_removes_it_when_the_child_exits() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    login_with_ca(&env, &bmc, bmc.ca_path());
    let h = bmc.host();
    let out = env
        .run_bare(&[
            "exec",
            &h,
            "--",
            "sh",
            "-c",
            r#"test "$(stat -c %a "$RFSESSION_CACERT")" = 600 && cat "$RFSESSION_CACERT" && echo "$RFSESSION_CACERT" && exit 3"#,
        ])
        .code(3);
    let path = out.stdout.lines().last().unwrap().to_owned();
    assert!(
        out.stdout
            .starts_with(&std::fs::read_to_string(bmc.ca_path()).unwrap())
    );
    assert!(!Path::new(&path).exists(), "{path} left behind");
    // curl through exec, as the README shows it.
    env.run_bare(&[
        "exec",
        &h,
        "--",
        "sh",
        "-c",
        r#"printf 'X-Auth-Token: %s\n' "$RFSESSION_TOKEN" | curl -sf --cacert "$RFSESSION_CACERT" -H @- "$RFSESSION_BASE_URL/redfish/v1/Systems/1""#,
    ])
    .ok();
    // A child killed by a signal: this process dies the same way, and still cleans up.
    let status = env
        .cmd(
            None,
            &[
                "exec",
                &h,
                "--",
                "sh",
                "-c",
                "echo $RFSESSION_CACERT; kill -TERM $$",
            ],
        )
        .output()
        .unwrap();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.status.signal(), Some(15));
    let path = String::from_utf8_lossy(&status.stdout).trim().to_owned();
    assert!(!path.is_empty() && !Path::new(&path).exists(), "{path:?}");
}

#[test]
fn python_requests_verifies_the_bmc_through_rfsession_cacert() {
    let have = Command::new("python3")
        .args(["-c", "import requests"])
        .status()
        .is_ok_and(|s| s.success());
    if !have {
        eprintln!("SKIPPED: python3 with requests is not installed");
        return;
    }
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    login_with_ca(&env, &bmc, bmc.ca_path());
    let script = r#"
import os, requests
r = requests.get(os.environ["RFSESSION_BASE_URL"] + "/redfish/v1/Systems/1",
                 headers={"X-Auth-Token": os.environ["RFSESSION_TOKEN"]})
r.raise_for_status()
print(r.json()["Id"])
"#;
    let out = env
        .run_bare(&[
            "exec",
            &bmc.host(),
            "--",
            "sh",
            "-c",
            r#"REQUESTS_CA_BUNDLE="$RFSESSION_CACERT" exec python3 -c "$0""#,
            script,
        ])
        .ok();
    assert_eq!(out.stdout.trim(), "1");
}

#[test]
fn an_entry_verified_with_the_system_store_has_no_certificate_to_hand_over() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let ca = bmc.ca_path().to_str().unwrap();
    // The system store, as rustls-native-certs reads it: SSL_CERT_FILE.
    let run = |args: &[&str]| {
        let mut c = env.cmd(None, args);
        c.env("SSL_CERT_FILE", ca).envs(PW);
        c.output().unwrap()
    };
    assert!(run(&["login", &bmc.host(), "-u", USER]).status.success());
    let who = run(&["whoami", &bmc.host()]);
    assert!(String::from_utf8_lossy(&who.stdout).contains("trust:    system CA store"));
    let cert = run(&["cert", &bmc.host()]);
    assert_eq!(cert.status.code(), Some(2));
    let exec = run(&[
        "exec",
        &bmc.host(),
        "--",
        "sh",
        "-c",
        "echo \"[${RFSESSION_CACERT-unset}]\"",
    ]);
    assert_eq!(String::from_utf8_lossy(&exec.stdout), "[unset]\n");
}

#[test]
fn entries_written_before_trust_was_kept_still_work() {
    let bmc = Bmc::start(Profile::Generic);
    let verified = Env::new();
    login_with_ca(&verified, &bmc, bmc.ca_path());
    let pinned = Env::new();
    pinned
        .run_bare(&["-k", "login", &bmc.host(), "-u", USER])
        .ok();
    for env in [&verified, &pinned] {
        let path = env.entry_path(&bmc);
        let mut e: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        e.as_object_mut().unwrap().remove("tls_anchors");
        std::fs::write(&path, e.to_string()).unwrap();
    }
    // As before: the old verified entry needs its --cacert.
    verified
        .run_bare(&["get", &bmc.host(), "Systems/1"])
        .code(5);
    verified.run(&bmc, &["get", &bmc.host(), "Systems/1"]).ok();
    // The old pinned one works as it did, and `cert` fetches the certificate through the pin.
    pinned.run_bare(&["get", &bmc.host(), "Systems/1"]).ok();
    let cert = pinned.run_bare(&["cert", &bmc.host()]).ok();
    assert_eq!(cert.stdout, bmc.certificate_pem());
}

/// Run a program in the test's environment (the cache, HOME); (code, stdout, stderr).
fn env_command(env: &Env, program: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(program)
        .args(args)
        .env("HOME", env.dir.path())
        .env("RFSESSION_CACHE_DIR", env.cache())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The README's TLS example, verbatim: host in $BMC, the CA in ./ca.pem, password in the
/// environment, rfsession on the PATH.
#[test]
fn the_readme_tls_example_runs_as_written() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let block = readme
        .split("\n## TLS\n")
        .nth(1)
        .and_then(|s| s.split("```sh\n").nth(1))
        .and_then(|s| s.split("\n```").next())
        .expect("a sh block in the TLS section");
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    std::fs::copy(bmc.ca_path(), env.dir.path().join("ca.pem")).unwrap();
    let bin_dir = Path::new(&bin()).parent().unwrap().to_owned();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .args(["-euo", "pipefail", "-c", block])
        .current_dir(env.dir.path())
        .env_clear()
        .env("PATH", path)
        .env("HOME", env.dir.path())
        .env("RFSESSION_CACHE_DIR", env.cache())
        .env("BMC", bmc.host())
        .envs(PW)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("trust:    CA remembered from login, 1 certificate"),
        "{stdout}"
    );
    assert_eq!(
        stdout.matches("\"Id\": \"1\"").count() + stdout.matches("\"Id\":\"1\"").count(),
        2,
        "{stdout}"
    );
}

#[test]
fn a_login_with_the_settings_files_cacert_remembers_it_too() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let cfg = env.dir.path().join("config.toml");
    std::fs::write(
        &cfg,
        format!("[defaults]\ncacert = \"{}\"\n", bmc.ca_path().display()),
    )
    .unwrap();
    let with_settings = |args: &[&str]| {
        let mut c = env.cmd(None, args);
        c.env("RFSESSION_CONFIG", &cfg).envs(PW);
        crate::common::Out::from(c.output().unwrap())
    };
    with_settings(&["login", &bmc.host(), "-u", USER]).ok();
    // The settings file no longer names the CA: the entry still verifies with it.
    std::fs::write(&cfg, "").unwrap();
    with_settings(&["get", &bmc.host(), "Systems/1"]).ok();
    let config = with_settings(&["config", &bmc.host()]).ok();
    assert!(
        config.stdout.contains("CA remembered from login"),
        "{config:#?}"
    );
}

/// SIGTERM to rfsession reaches the child; rfsession still removes the file, and ends as
/// the child did.
#[test]
fn exec_passes_sigterm_on_and_still_cleans_up() {
    use std::io::BufRead;
    use std::os::unix::process::ExitStatusExt;
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    login_with_ca(&env, &bmc, bmc.ca_path());
    let mut child = env
        .cmd(
            None,
            &[
                "exec",
                &bmc.host(),
                "--",
                "sh",
                "-c",
                "echo $RFSESSION_CACERT; exec sleep 30",
            ],
        )
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let path = line.trim().to_owned();
    assert!(Path::new(&path).exists(), "{path}");
    let started = std::time::Instant::now();
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(libc::SIGTERM));
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert!(!Path::new(&path).exists(), "{path} left behind");
}

#[test]
fn untrusted_certificate_exits_5_and_k_pins_it() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    let pw = [("RFSESSION_PASSWORD", PASSWORD)];
    // No --cacert: the system store does not know the emulator's CA.
    let mut c = env.cmd(None, &["login", &host, "-u", USER]);
    c.envs(pw);
    let out = c.output().unwrap();
    assert_eq!(out.status.code(), Some(5), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not trusted") && err.contains("--cacert"),
        "{err}"
    );

    let mut c = env.cmd(None, &["-k", "--json", "login", &host, "-u", USER]);
    c.envs(pw);
    assert!(c.status().unwrap().success());
    let entry: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.entry_path(&bmc)).unwrap()).unwrap();
    let fp = entry["tls_fingerprint"]
        .as_str()
        .expect("fingerprint pinned");
    assert_eq!(fp.len(), 95);
    // Later commands need no -k: the pinned certificate is trusted.
    let out = env
        .cmd(None, &["get", &host, "/redfish/v1/Systems/1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

#[test]
fn plain_http_works_with_a_warning() {
    let mut cfg = Config::new(Profile::Generic);
    cfg.tls = false;
    let bmc = Bmc::with_config(cfg);
    let env = Env::new();
    let url = bmc.url();
    let out = env
        .run_env(
            &bmc,
            &["login", &url, "-u", USER],
            &[("RFSESSION_PASSWORD", PASSWORD)],
        )
        .ok();
    assert!(out.stderr.contains("clear text"), "{out:?}");
    env.run(&bmc, &["get", &url, "/redfish/v1/Systems/1"]).ok();
    env.run(&bmc, &["logout", &url]).ok();
    assert_eq!(bmc.live_sessions(), 0);
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
fn a_pin_governs_every_login_until_k_login_force() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    env.run_bare(&["-k", "login", &host, "-u", USER]).ok();
    // The BMC expires the session; then another server answers on its address.
    bmc.expire_all();
    bmc.rotate_certificate();
    let before = requests(&bmc);
    for args in [
        vec!["-k", "login", &host, "-u", USER],
        vec!["-k", "login", &host, "-u", "operator"],
        vec!["login", &host, "-u", USER],
        vec!["get", &host, "/redfish/v1/Systems/1"],
    ] {
        let out = env.run_bare(&args).code(5);
        assert!(
            out.stderr.contains("changed since login"),
            "{args:?}: {out:?}"
        );
        assert_eq!(requests(&bmc), before, "{args:?} reached the other server");
    }
    assert_eq!(bmc.created(), 1);
    env.run_bare(&["-k", "login", &host, "--force"]).ok();
    assert_eq!(bmc.created(), 2);
    env.run_bare(&["get", &host, "/redfish/v1/Systems/1"]).ok();
}

#[test]
fn k_does_not_turn_off_verification_for_a_verified_session() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    bmc.serve_untrusted_certificate();
    let before = requests(&bmc);
    let out = env
        .run(&bmc, &["-k", "get", &host, "/redfish/v1/Systems/1"])
        .code(5);
    assert!(out.stderr.contains("not trusted"), "{out:?}");
    assert_eq!(
        requests(&bmc),
        before,
        "the token went to an unverified server"
    );
}

#[test]
fn an_unreadable_cacert_is_a_usage_error() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let empty = env.dir.path().join("empty.pem");
    fs::write(&empty, "").unwrap();
    for ca in [env.dir.path().join("missing.pem"), empty] {
        let mut c = env.cmd(Some(&ca), &["login", &bmc.host(), "-u", USER]);
        c.envs(PW);
        assert_eq!(c.output().unwrap().status.code(), Some(2), "{ca:?}");
    }
}

// A host's certificate trust outlives its session, as ssh's known_hosts does: after a
// logout, the CA remembered from login (or the -k pin) serves every later call with no flag;
// only `login --force` with --cacert or -k replaces it, and `logout --forget` removes it.

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

/// The trust kept after logout, when unreadable, is ignored with one warning that names the
/// file and the way out; the next login verifies as its own flags say and replaces it.
#[test]
fn an_unreadable_kept_trust_is_ignored_with_a_warning() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let h = bmc.host();
    let login = ["login", h.as_str(), "-u", USER];
    let k: Vec<&str> = ["-k"].into_iter().chain(login).collect();
    env.cmd(None, &k).envs(PW).output().unwrap();
    env.run(&bmc, &["logout", &h]).ok();
    let stem = env.entry_path(&bmc).with_extension("trust");
    assert!(stem.exists(), "no trust kept in {}", stem.display());
    fs::write(&stem, "{ not json").unwrap();
    let out = env.run_env(&bmc, &login, &PW).ok();
    let url = bmc.url();
    assert!(
        out.stderr.contains(&format!(
            "rfsession: warning: ignoring the certificate trust kept for {url}: {} is unreadable (",
            stem.display()
        )),
        "{out:?}"
    );
    assert!(
        out.stderr
            .contains(&format!("`rfsession logout {url} --forget` removes it")),
        "{out:?}"
    );
    assert_eq!(out.stderr.matches("warning").count(), 1, "{out:?}");
    assert!(!stem.exists(), "the new entry carries the trust");
    let again = env.run(&bmc, &["get", &h, "/redfish/v1/Systems/1"]).ok();
    assert!(!again.stderr.contains("warning"), "{again:?}");
}

#[test]
fn the_system_store_is_kept_decoded_and_read_again_when_it_changes() {
    let bmc = Bmc::start(Profile::Generic);
    let stranger = serving(CertKind::OwnCa);
    let env = Env::new();
    let store = env.dir.path().join("system.pem");
    fs::copy(bmc.ca_path(), &store).unwrap();
    // A store changed within the last 2 s is read, not kept: it may change again unseen.
    let settle = || std::thread::sleep(std::time::Duration::from_millis(2100));
    settle();
    let run = |args: &[&str]| {
        let mut c = env.cmd(None, args);
        c.env("SSL_CERT_FILE", &store).envs(PW);
        c.output().unwrap()
    };
    assert!(run(&["login", &bmc.host(), "-u", USER]).status.success());
    let kept = env.cache().join("system-roots");
    let mode = fs::metadata(&kept).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let get = || run(&["get", &bmc.host(), "Systems/1"]).status.code();
    assert_eq!(get(), Some(0));
    // Another CA in the store's file: the kept copy is not used, the BMC is refused.
    fs::write(&store, stranger.certificate_pem()).unwrap();
    assert_eq!(get(), Some(5));
    // Just changed: read, and not kept until it stands still.
    fs::copy(bmc.ca_path(), &store).unwrap();
    fs::remove_file(&kept).unwrap();
    assert_eq!(get(), Some(0));
    assert!(!kept.exists());
    settle();
    assert_eq!(get(), Some(0));
    assert!(kept.exists());
    // A kept copy that is not what this build writes, or damaged, is read past and written
    // again.
    fs::write(&kept, b"rfsession-roots 2\n[not json\n").unwrap();
    assert_eq!(get(), Some(0));
    let good = fs::read(&kept).unwrap();
    assert!(good.len() > 100);
    let mut bad = good.clone();
    *bad.last_mut().unwrap() ^= 1;
    fs::write(&kept, &bad).unwrap();
    assert_eq!(get(), Some(0));
    assert_eq!(fs::read(&kept).unwrap(), good);
    // One open to others is not read at all (and the call still works).
    let mut perms = fs::metadata(&kept).unwrap().permissions();
    perms.set_mode(0o644);
    fs::set_permissions(&kept, perms).unwrap();
    assert_eq!(get(), Some(0));
}
