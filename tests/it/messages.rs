//! The exact message and exit code of every row of the README's failure table, as snapshots
//! (host, port, paths, pids and fingerprints redacted), so that any change to what the
//! operator reads is a reviewed diff. Update with `SNAPSHOTS=overwrite cargo test`.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use bmc_emulator::{Bmc, CertKind, Config, PASSWORD, Profile, TlsRefusal, USER};
use snapbox::{assert_data_eq, str};

use crate::common::{Env, Out, hold_lock, logged_in, serving, unidentifiable};

const PW: [(&str, &str); 1] = [("RFSESSION_PASSWORD", PASSWORD)];

/// `exit N` and stderr, with what varies from run to run replaced by placeholders.
fn shown(out: &Out, bmc: &Bmc, env: &Env) -> String {
    let text = format!("exit {}\n{}", out.code, out.stderr)
        .replace(&bmc.host(), "[HOST]")
        .replace(&env.dir.path().display().to_string(), "[TMP]")
        .replace(&bmc.ca_path().display().to_string(), "[CA]");
    redact_numbers(&redact_fingerprints(&text))
}

/// `AB:CD:...` (32 bytes) as `[SHA256]`.
fn redact_fingerprints(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while !rest.is_empty() {
        let is_fp = rest.len() >= 95
            && rest.as_bytes()[..95].iter().enumerate().all(|(i, b)| {
                if i % 3 == 2 {
                    *b == b':'
                } else {
                    b.is_ascii_hexdigit()
                }
            });
        if is_fp {
            out.push_str("[SHA256]");
            rest = &rest[95..];
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Process ids and ports: `pid 1234` as `pid [PID]`, `127.0.0.1:1` and the like as they are.
fn redact_numbers(s: &str) -> String {
    let mut out = String::new();
    let mut words = s.split("pid ");
    out.push_str(words.next().unwrap_or(""));
    for w in words {
        let digits = w.chars().take_while(char::is_ascii_digit).count();
        out.push_str(if digits > 0 { "pid [PID]" } else { "pid " });
        out.push_str(&w[digits..]);
    }
    out
}

/// Each row of the README's failure table (its first cell) and the test here that pins it.
const ROWS: [(&str, &str); 63] = [
    ("wrong password", "wrong_password"),
    ("password change required", "password_change_required"),
    ("not logged in", "not_logged_in"),
    ("token expired or deleted", "token_expired"),
    ("iDRAC 8's HTML 401 page", "idrac8_html_401_page"),
    (
        "a 401 that may be stray (proxy, HTML page)",
        "session_that_may_still_exist_is_kept",
    ),
    ("unreachable host, refused connection", "unreachable_host"),
    ("a proxy that refuses or is down", "proxy_down"),
    ("a name that does not resolve", "name_does_not_resolve"),
    ("untrusted certificate", "untrusted_certificate"),
    (
        "certificate for another name",
        "certificate_for_another_name",
    ),
    (
        "expired or not yet valid certificate",
        "expired_certificate certificate_not_yet_valid",
    ),
    (
        "a CA certificate used as the BMC's own, or an X.509 version 1 certificate, checked through a CA",
        "ca_certificate_used_as_the_bmcs_own version1_certificate_through_a_ca",
    ),
    (
        "a legacy certificate pinned with `-k` (version 1, SHA-1, no subjectAltName, expired)",
        "version1_certificate_pinned",
    ),
    (
        "a BMC that offers only TLS 1.0/1.1, or no cipher suite or signature scheme rustls implements",
        "only_tls_1_0_offered tls_1_2_and_1_3_refused no_cipher_suite_or_signature_scheme_in_common",
    ),
    (
        "TLS handshake closed by the BMC",
        "handshake_closed_by_the_bmc",
    ),
    (
        "the remembered CA (or the system store) refuses a new certificate",
        "remembered_ca_refuses_a_new_certificate system_verified_entry_refuses_a_new_certificate",
    ),
    ("unreadable or empty `--cacert`", "unreadable_cacert"),
    ("pinned certificate changed", "pinned_certificate_changed"),
    (
        "BMC hangs, or never completes the TLS handshake",
        "bmc_hangs tls_never_completes",
    ),
    ("connection reset mid-request", "connection_reset_twice"),
    ("DELETE answers 5xx", "delete_answers_500"),
    ("DELETE hangs", "delete_hangs"),
    (
        "login answers 503 with Retry-After",
        "login_busy_with_retry_after",
    ),
    (
        "session table full (`SessionLimitExceeded`, iDRAC `RAC0218`, iLO 400, XCC 403)",
        "session_table_full",
    ),
    (
        "session table still full after `login --reclaim=D` found no session that old",
        "session_table_full_after_a_reclaim_that_found_nothing_older",
    ),
    (
        "a service without sessions (session POST 404 with none named, or 405)",
        "service_without_sessions",
    ),
    (
        "a session POST answered 401 with `WWW-Authenticate: Basic`",
        "session_post_that_demands_basic",
    ),
    (
        "`logout` while other shells or scripts hold the session",
        "logout_while_others_hold_the_session",
    ),
    (
        "HTTP Basic credentials refused (`--auth basic`)",
        "basic_credentials_refused",
    ),
    (
        "a session nothing identifies (no URI, no MySession, no Context)",
        "session_nothing_identifies",
    ),
    ("a token over 16 KiB", "token_too_large"),
    ("truncated or invalid JSON", "truncated_json"),
    ("proxy's HTML error page", "proxy_html_error_page"),
    (
        "body over `--max-body` (default 64M), also all pages of `--all-pages` together",
        "body_over_max_body",
    ),
    (
        "`--all-pages` loop, or more than 10,000 pages",
        "all_pages_loop",
    ),
    (
        "redirect, Location or nextLink to another host",
        "redirect_to_another_host",
    ),
    (
        "a task monitor or Task link that is not a path on the host (`@host`, `//host`, another host)",
        "task_link_to_another_host",
    ),
    (
        "`--session-uri` or `--session` naming anything but a session of the host (another resource or host, an encoded `..`)",
        "session_uri_that_is_not_a_session",
    ),
    (
        "`--session-uri` that is not the token's own session where the BMC marks it (MySession)",
        "session_uri_of_another_session",
    ),
    (
        "a token over 16 KiB given to `--token-stdin`",
        "adopted_token_too_large",
    ),
    (
        "a login again for an adopted session whose user the BMC did not reveal",
        "relogin_without_the_adopted_sessions_user",
    ),
    ("corrupt, foreign or newer cache entry", "corrupt_entry"),
    (
        "cache entry or directory open to others, or a cache path others can change",
        "entry_open_to_others",
    ),
    ("lock held by another process", "lock_held_past_timeout"),
    (
        "cache write fails after the BMC created a session",
        "cache_write_fails_after_login",
    ),
    (
        "Ctrl-C, SIGTERM, SIGHUP during login",
        "lifecycle::a_signal_during_login_leaves_a_session_that_logout_finds",
    ),
    (
        "Ctrl-C, SIGTERM, SIGHUP during `login --hosts` or `logout --all`",
        "fleet::ctrl_c_in_a_fleet_leaves_exactly_the_sessions_the_cache_names",
    ),
    (
        "a settings file (or a directory above it) owned by another user, or writable by group or others",
        "settings_file_others_can_write",
    ),
    (
        "a mistake on a settings line that may hold a secret",
        "settings_line_that_may_hold_a_secret",
    ),
    (
        "a password command that hangs or prints more than 4 KiB",
        "password_command_hangs",
    ),
    (
        "a body over 1 MiB, a `--hosts` line over 4096 bytes or more than 100,000 hosts",
        "body_over_1_mib",
    ),
    ("a duration over `30d`", "duration_over_30d"),
    ("a write body that is not JSON", "invalid_write_body"),
    (
        "PATCH or PUT on a resource that changed since its ETag was read (412)",
        "write_on_a_resource_that_changed",
    ),
    (
        "a BMC that requires If-Match gets none (428)",
        "write_without_if_match_where_it_is_required",
    ),
    ("a write cut off mid-request", "write_cut_off_mid_request"),
    (
        "a request waiting behind a busy keeper at `--timeout`",
        "write_behind_a_busy_keeper",
    ),
    (
        "a task that ends in Exception, Killed, Cancelled or Failed",
        "task_that_fails",
    ),
    (
        "a task still running at `--wait-timeout`",
        "task_still_running_at_the_wait_timeout",
    ),
    (
        "`--pointer` without its leading `/`",
        "pointer_without_its_leading_slash",
    ),
    (
        "one of several `get` PATHs fails",
        "one_of_several_paths_fails",
    ),
    (
        "`exec` COMMAND not found, or not executable",
        "exec_command_not_found exec_command_not_executable",
    ),
];

#[test]
fn every_row_of_the_readme_failure_table_has_its_test() {
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = readme
        .split("## Failures and what rfsession does")
        .nth(1)
        .unwrap();
    let rows: Vec<&str> = table
        .lines()
        .skip_while(|l| !l.starts_with("|---"))
        .skip(1)
        .take_while(|l| l.starts_with('|'))
        .map(|l| l.split(" | ").next().unwrap().trim_start_matches("| "))
        .collect();
    let listed: Vec<&str> = ROWS.iter().map(|(row, _)| *row).collect();
    assert_eq!(rows, listed, "README rows and the tests here differ");
    let sources: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it"))
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .collect();
    for (_, tests) in ROWS {
        for t in tests.split(' ') {
            let name = format!("fn {}()", t.rsplit("::").next().unwrap());
            assert!(sources.iter().any(|s| s.contains(&name)), "no test {t}");
        }
    }
}

#[test]
fn wrong_password() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let out = env.run_env(
        &bmc,
        &["login", &bmc.host(), "-u", USER],
        &[("RFSESSION_PASSWORD", "wrong")],
    );
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 3
rfsession: https://[HOST]: the BMC rejected the credentials (HTTP 401: Invalid username or password for user 'admin'. (Base.1.8.InvalidCredentials)); check the user name and password

"#]]
    );
}

#[test]
fn password_change_required() {
    let bmc = Bmc::start(Profile::Generic);
    bmc.faults(|f| f.password_change = true);
    let env = Env::new();
    let out = env.login(&bmc);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 0
rfsession: warning: https://[HOST]: the BMC requires a password change before most requests will work: The password provided for this account must be changed before access is granted.

"#]]
    );
}

#[test]
fn not_logged_in() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let out = env.run(&bmc, &["get", &bmc.host(), "Systems/1"]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 4
rfsession: https://[HOST]: not logged in; run: rfsession login https://[HOST]

"#]]
    );
}

#[test]
fn token_expired() {
    let (bmc, env) = logged_in(Profile::Generic);
    bmc.expire_all();
    let out = env.run(&bmc, &["get", &bmc.host(), "Systems/1"]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 4
rfsession: https://[HOST]: the BMC does not accept the session token (HTTP 401: There is no valid session established with the implementation. (Base.1.8.NoValidSession)); run: rfsession login https://[HOST]

"#]]
    );
}

#[test]
fn idrac8_html_401_page() {
    // iDRAC 8 has no session POST: the session is adopted, then expires.
    let bmc = Bmc::start(Profile::Idrac8);
    let env = Env::new();
    let session = bmc.add_session(USER);
    env.run_stdin(
        &bmc,
        &["login", &bmc.host(), "--token-stdin"],
        &session.token,
    )
    .ok();
    bmc.expire_all();
    let out = env.run(&bmc, &["get", &bmc.host(), "Systems/1"]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 4
rfsession: https://[HOST]: the BMC does not accept the session token (HTTP 401: 401 - Unauthorized); run: rfsession login https://[HOST]

"#]]
    );
}

#[test]
fn unreachable_host() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let host = format!("127.0.0.1:{port}");
    let out = env.run_env(&bmc, &["login", &host, "-u", USER], &PW);
    let text = shown(&out, &bmc, &env).replace(&port.to_string(), "[PORT]");
    assert_data_eq!(
        text,
        str![[r#"
exit 5
rfsession: https://127.0.0.1:[PORT]: cannot connect (Connection refused (os error 111)); check HOST, the port and that the BMC's web service is up

"#]]
    );
}

#[test]
fn proxy_down() {
    let (bmc, env) = logged_in(Profile::Generic);
    let args = [
        "--proxy",
        "http://ops:pw-8@127.0.0.1:1",
        "get",
        &bmc.host(),
        "Systems/1",
    ];
    let out = env.run(&bmc, &args);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 5
rfsession: https://[HOST]: the proxy http://ops:***@127.0.0.1:1 failed (Connection refused (os error 111)); check the proxy and --proxy/HTTPS_PROXY/NO_PROXY

"#]]
    );
}

#[test]
fn untrusted_certificate() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let out = env.run_bare(&["login", &bmc.host(), "-u", USER]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 5
rfsession: https://[HOST]: the BMC's certificate is not trusted: it is not signed by a trusted CA (unknown issuer); verified with the system's CA store; pass --cacert with the CA that signed it or with this very certificate, or -k to pin it on first use

"#]]
    );
}

/// A first login with --cacert to a BMC serving `kind`, as shown.
fn first_login(kind: CertKind) -> String {
    let bmc = serving(kind);
    let env = Env::new();
    shown(&env.login(&bmc), &bmc, &env)
}

#[test]
fn certificate_for_another_name() {
    assert_data_eq!(
        first_login(CertKind::WrongName),
        str![[r#"
exit 5
rfsession: https://[HOST]: the BMC's certificate is not trusted: it is for bmc.example.net, not for 127.0.0.1 (name mismatch); connect by a name it is for; verified with [CA] (flag --cacert); pass --cacert with the CA that signed it or with this very certificate, or -k to pin it on first use

"#]]
    );
}

#[test]
fn expired_certificate() {
    assert_data_eq!(
        first_login(CertKind::Expired),
        str![[r#"
exit 5
rfsession: https://[HOST]: the BMC's certificate is not trusted: it expired on 2020-01-01; verified with [CA] (flag --cacert); pass --cacert with the CA that signed it or with this very certificate, or -k to pin it on first use

"#]]
    );
}

#[test]
fn certificate_not_yet_valid() {
    assert_data_eq!(
        first_login(CertKind::NotYetValid),
        str![[r#"
exit 5
rfsession: https://[HOST]: the BMC's certificate is not trusted: it is not valid before 2090-01-01 (check this machine's clock and the BMC's); verified with [CA] (flag --cacert); pass --cacert with the CA that signed it or with this very certificate, or -k to pin it on first use

"#]]
    );
}

#[test]
fn ca_certificate_used_as_the_bmcs_own() {
    assert_data_eq!(
        first_login(CertKind::OwnCa),
        str![[r#"
exit 5
rfsession: https://[HOST]: the BMC's certificate is not trusted: it is a CA certificate used as the BMC's own (basicConstraints CA:TRUE); verified with [CA] (flag --cacert); pass --cacert with the CA that signed it or with this very certificate, or -k to pin it on first use

"#]]
    );
}

#[test]
fn version1_certificate_through_a_ca() {
    assert_data_eq!(
        first_login(CertKind::Version1),
        str![[r#"
exit 5
rfsession: https://[HOST]: the BMC's certificate is not trusted: it is an X.509 version 1 certificate, which no CA can vouch for (unsupported certificate version); verified with [CA] (flag --cacert); pass --cacert with the CA that signed it or with this very certificate, or -k to pin it on first use

"#]]
    );
}

#[test]
fn version1_certificate_pinned() {
    let bmc = serving(CertKind::Version1);
    let env = Env::new();
    let out = env.run_bare(&["-k", "login", &bmc.host(), "-u", USER]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 0
rfsession: warning: https://[HOST]: pinned a legacy certificate (X.509 version 1, no subjectAltName); it is trusted as it is until: rfsession login https://[HOST] -k --force

"#]]
    );
}

fn refused(r: TlsRefusal) -> String {
    let bmc = Bmc::start(Profile::Generic);
    bmc.faults(|f| f.tls_refusal = Some(r));
    let env = Env::new();
    shown(&env.login(&bmc), &bmc, &env)
}

#[test]
fn only_tls_1_0_offered() {
    assert_data_eq!(
        refused(TlsRefusal::Tls10Only),
        str![[r#"
exit 5
rfsession: https://[HOST]: TLS handshake failed: the BMC offered only TLS 1.0, which rustls refuses as insecure; enable TLS 1.2 on the BMC or update its firmware

"#]]
    );
}

#[test]
fn tls_1_2_and_1_3_refused() {
    assert_data_eq!(
        refused(TlsRefusal::VersionAlert),
        str![[r#"
exit 5
rfsession: https://[HOST]: TLS handshake failed: the BMC refused TLS 1.2 and 1.3: it speaks only an older version (TLS 1.0 or 1.1, or SSL), which rustls refuses as insecure; enable TLS 1.2 on the BMC or update its firmware

"#]]
    );
}

#[test]
fn no_cipher_suite_or_signature_scheme_in_common() {
    assert_data_eq!(
        refused(TlsRefusal::NothingInCommon),
        str![[r#"
exit 5
rfsession: https://[HOST]: TLS handshake failed: the BMC refused every cipher suite and signature scheme rustls offered (TLS 1.2 and 1.3 with AES-GCM or ChaCha20; ECDSA, Ed25519, RSA-PSS or RSA PKCS#1 with SHA-256 or better): it offers only older ones such as SHA-1 signatures, RC4 or 3DES; update the BMC's firmware or its TLS settings

"#]]
    );
}

#[test]
fn handshake_closed_by_the_bmc() {
    assert_data_eq!(
        refused(TlsRefusal::Close),
        str![[r#"
exit 5
rfsession: https://[HOST]: TLS handshake failed: the BMC closed the connection during the handshake; it may refuse this client's TLS versions or ciphers, or accept no more connections: check its TLS settings, or retry later

"#]]
    );
}

#[test]
fn remembered_ca_refuses_a_new_certificate() {
    let (bmc, env) = logged_in(Profile::Generic);
    bmc.serve_certificate(CertKind::SelfSigned);
    let out = env.run_bare(&["-k", "get", &bmc.host(), "Systems/1"]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 5
rfsession: https://[HOST]: the BMC's certificate is not trusted: it is not signed by a trusted CA (unknown issuer); the entry trusts the CA certificates remembered from its login (1 certificate, expires 4096-01-01); if the BMC's certificate or CA changed, run: rfsession login https://[HOST] --force --cacert CA.pem

"#]]
    );
}

#[test]
fn system_verified_entry_refuses_a_new_certificate() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let ca = bmc.ca_path().to_str().unwrap().to_owned();
    let sys = [("SSL_CERT_FILE", ca.as_str()), PW[0]];
    let login = env
        .cmd(None, &["login", &bmc.host(), "-u", USER])
        .envs(sys)
        .status();
    assert!(login.unwrap().success());
    bmc.serve_certificate(CertKind::SelfSigned);
    let mut get = env.cmd(None, &["get", &bmc.host(), "Systems/1"]);
    let out = Out::from(get.envs(sys).output().unwrap());
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 5
rfsession: https://[HOST]: the BMC's certificate is not trusted: it is not signed by a trusted CA (unknown issuer); the entry is verified with the system's CA store; to trust another CA or this very certificate, run: rfsession login https://[HOST] --force --cacert CA.pem

"#]]
    );
}

/// Rust's debug form of a value: `Other(OtherError(..`, `DnsName("..`, `{ expected: ..`.
fn looks_like_debug(text: &str) -> bool {
    let call = text.match_indices('(').any(|(i, _)| {
        let ident = text[..i]
            .rsplit(|c: char| !c.is_ascii_alphanumeric())
            .next()
            .unwrap_or("");
        let after = &text[i + 1..];
        let nested = after
            .split(|c: char| !c.is_ascii_alphanumeric())
            .next()
            .unwrap_or("");
        ident.starts_with(|c: char| c.is_ascii_uppercase())
            && (after.starts_with(['"', '[', '{'])
                || (nested.starts_with(|c: char| c.is_ascii_uppercase())
                    && after[nested.len()..].starts_with('(')))
    });
    let fields = text.split("{ ").skip(1).any(|rest| {
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        !name.is_empty() && rest[name.len()..].starts_with(": ")
    });
    call || fields
}

/// No message shows Rust's debug form of a value; the messages before this check did.
#[test]
fn no_snapshot_shows_debug_output() {
    for old in [
        "TLS certificate not trusted (Other(OtherError(CaUsedAsEndEntity)))",
        "NotValidForNameContext { expected: IpAddress(V4(Ipv4Addr([10, 255, 255, 1]))) }",
        "it is for DnsName(\"bmc.example.net\")",
    ] {
        assert!(looks_like_debug(old), "{old}");
    }
    assert!(!looks_like_debug(
        "rejected the credentials (HTTP 401: Invalid username (Base.1.8.InvalidCredentials))"
    ));
    let source = include_str!("messages.rs");
    let mut checked = 0;
    for block in source.split("str![[r#\"").skip(1) {
        let text = block.split("\"#]]").next().unwrap();
        checked += 1;
        assert!(
            !looks_like_debug(text),
            "debug output in a snapshot: {text}"
        );
    }
    assert!(checked > 40, "only {checked} snapshots found");
}

#[test]
fn pinned_certificate_changed() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    env.run_bare(&["-k", "login", &bmc.host(), "-u", USER]).ok();
    bmc.rotate_certificate();
    let out = env.run_bare(&["get", &bmc.host(), "Systems/1"]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 5
rfsession: https://[HOST]: the BMC's certificate changed since login (pinned [SHA256], now [SHA256]); nothing was sent. If the change is expected, run: rfsession login https://[HOST] -k --force

"#]]
    );
}

#[test]
fn bmc_hangs() {
    let (bmc, env) = logged_in(Profile::Generic);
    bmc.faults(|f| f.delay = Duration::from_secs(3));
    let out = env.run(&bmc, &["--timeout", "1", "get", &bmc.host(), "Systems/1"]);
    bmc.faults(|f| f.delay = Duration::ZERO);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 5
rfsession: https://[HOST]: no answer within 1s; the BMC is slow or hung: retry later or raise --timeout

"#]]
    );
}

#[test]
fn tls_never_completes() {
    let (bmc, env) = logged_in(Profile::Generic);
    bmc.faults(|f| f.hang_all = true);
    let out = env.run(&bmc, &["--timeout", "1", "get", &bmc.host(), "Systems/1"]);
    bmc.faults(|f| f.hang_all = false);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 5
rfsession: https://[HOST]: no answer within 1s; the BMC is slow or hung: retry later or raise --timeout

"#]]
    );
}

#[test]
fn name_does_not_resolve() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let out = env.run_bare(&["login", "no-such-bmc.invalid", "-u", USER]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 5
rfsession: https://no-such-bmc.invalid: cannot resolve the host name; check the name and DNS

"#]]
    );
}

#[test]
fn connection_reset_twice() {
    let (bmc, env) = logged_in(Profile::Generic);
    bmc.faults(|f| f.reset_gets = 2);
    let out = env.run(&bmc, &["get", &bmc.host(), "Systems/1"]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 5
rfsession: https://[HOST]: connection closed mid-request (the BMC hung up without an answer); retry

"#]]
    );
}

#[test]
fn delete_answers_500() {
    let (bmc, env) = logged_in(Profile::Generic);
    bmc.faults(|f| f.delete_status = [500; 3].into());
    let out = env.run(&bmc, &["logout", &bmc.host()]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 6
rfsession: https://[HOST]: DELETE /redfish/v1/SessionService/Sessions/1 answered HTTP 500: The request failed due to an internal service error. (Base.1.8.InternalError)

"#]]
    );
}

#[test]
fn delete_hangs() {
    let (bmc, env) = logged_in(Profile::Generic);
    bmc.faults(|f| f.delete_hang = true);
    let out = env.run(&bmc, &["--timeout", "1", "logout", &bmc.host()]);
    bmc.faults(|f| f.delete_hang = false);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 5
rfsession: https://[HOST]: no answer within 1s; the BMC is slow or hung: retry later or raise --timeout

"#]]
    );
}

#[test]
fn login_busy_with_retry_after() {
    let bmc = Bmc::start(Profile::Generic);
    bmc.faults(|f| {
        f.post_busy = 5;
        f.retry_after = 0;
    });
    let env = Env::new();
    let out = env.login(&bmc);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 6
rfsession: https://[HOST]: POST /redfish/v1/SessionService/Sessions answered HTTP 503: The service is busy; retry later. (Base.1.8.ServiceTemporarilyUnavailable)

"#]]
    );
}

#[test]
fn session_table_full() {
    let mut cfg = Config::new(Profile::Idrac);
    cfg.session_limit = 1;
    let bmc = Bmc::with_config(cfg);
    bmc.add_session("old-script");
    let env = Env::new();
    let out = env.login(&bmc);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 6
rfsession: https://[HOST]: the BMC's session table is full (HTTP 503: The maximum number of user sessions is reached. (IDRAC.2.8.RAC0218)); list its sessions with `rfsession sessions https://[HOST] --cacert [CA]`, end stale ones with `rfsession logout https://[HOST] --others --older-than 1h --cacert [CA]`, or end this user's stale ones and log in with `rfsession login https://[HOST] --reclaim=1h --cacert [CA]` (these use HTTP Basic and create no session)

"#]]
    );
}

#[test]
fn session_table_full_after_a_reclaim_that_found_nothing_older() {
    let mut cfg = Config::new(Profile::Idrac);
    cfg.session_limit = 1;
    let bmc = Bmc::with_config(cfg);
    bmc.add_session(USER);
    let env = Env::new();
    let out = env.run_env(
        &bmc,
        &["login", &bmc.host(), "-u", USER, "--reclaim=1h"],
        &[("RFSESSION_PASSWORD", PASSWORD)],
    );
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 6
rfsession: https://[HOST]: the BMC's session table is full (HTTP 503: The maximum number of user sessions is reached. (IDRAC.2.8.RAC0218)); no session of admin older than 1h; `--reclaim` without a duration ends all of admin's sessions no entry names: `rfsession login https://[HOST] -u admin --reclaim --cacert [CA]`; or list its sessions with `rfsession sessions https://[HOST] --cacert [CA]` and end others' with `rfsession logout https://[HOST] --others --any-user --older-than 1h --cacert [CA]` (these use HTTP Basic and create no session)

"#]]
    );
}

#[test]
fn session_table_full_with_k() {
    let mut cfg = Config::new(Profile::Idrac);
    cfg.session_limit = 1;
    cfg.cert = CertKind::OwnCa;
    let bmc = Bmc::with_config(cfg);
    bmc.add_session("old-script");
    let env = Env::new();
    let out = env.run_bare(&["-k", "login", &bmc.host(), "-u", USER]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 6
rfsession: https://[HOST]: the BMC's session table is full (HTTP 503: The maximum number of user sessions is reached. (IDRAC.2.8.RAC0218)); list its sessions with `rfsession sessions https://[HOST] -k`, end stale ones with `rfsession logout https://[HOST] --others --older-than 1h -k`, or end this user's stale ones and log in with `rfsession login https://[HOST] --reclaim=1h -k` (these use HTTP Basic and create no session)

"#]]
    );
}

#[test]
fn truncated_json() {
    let (bmc, env) = logged_in(Profile::Generic);
    let out = env.run(&bmc, &["get", &bmc.host(), "/redfish/v1/Broken/Truncated"]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 6
rfsession: https://[HOST]: /redfish/v1/Broken/Truncated answered with invalid JSON (EOF while parsing a string at line 1 column 54); use --raw to see the bytes

"#]]
    );
}

#[test]
fn proxy_html_error_page() {
    let (bmc, env) = logged_in(Profile::Generic);
    let out = env.run(&bmc, &["get", &bmc.host(), "/redfish/v1/Broken/Html"]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 6
rfsession: https://[HOST]: GET /redfish/v1/Broken/Html answered HTTP 502: 502 Bad Gateway

"#]]
    );
}

#[test]
fn body_over_max_body() {
    let (bmc, env) = logged_in(Profile::Generic);
    let path = "/redfish/v1/Broken/Huge?mb=2";
    let out = env.run(&bmc, &["get", &bmc.host(), path, "--max-body", "1M"]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 6
rfsession: https://[HOST]: response body exceeds 1048576 bytes; use --raw to stream it, or raise --max-body

"#]]
    );
}

#[test]
fn all_pages_loop() {
    let (bmc, env) = logged_in(Profile::Generic);
    let out = env.run(
        &bmc,
        &["get", &bmc.host(), "/redfish/v1/Broken/Loop", "--all-pages"],
    );
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 6
rfsession: https://[HOST]: /redfish/v1/Broken/Loop: the pages link back to /redfish/v1/Broken/Loop?page=1, a loop; the collection was not printed

"#]]
    );
}

#[test]
fn redirect_to_another_host() {
    let (bmc, env) = logged_in(Profile::Generic);
    let path = "/redfish/v1/Redirect/To?url=https%3A%2F%2F127.0.0.2%3A1%2Fredfish%2Fv1%2F";
    let out = env.run(&bmc, &["get", &bmc.host(), path]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 6
rfsession: https://[HOST]: refused to follow a redirect to https://127.0.0.2:1/redfish/v1/: the token goes only to the host that issued it

"#]]
    );
}

#[test]
fn session_that_may_still_exist_is_kept() {
    let (bmc, env) = logged_in(Profile::Generic);
    bmc.faults(|f| {
        f.stray_401 = 1;
        f.delete_status = [500; 3].into();
    });
    let out = env.run_env(&bmc, &["get", &bmc.host(), "Systems/1"], &PW);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 6
rfsession: https://[HOST]: the cached session may still exist on the BMC and was kept; nothing new was created (DELETE /redfish/v1/SessionService/Sessions/1 answered HTTP 500: The request failed due to an internal service error. (Base.1.8.InternalError)); retry, or end it with: rfsession logout https://[HOST]

"#]]
    );
}

#[test]
fn session_nothing_identifies() {
    let bmc = unidentifiable();
    let env = Env::new();
    env.login(&bmc).ok();
    let out = env.run(&bmc, &["logout", &bmc.host()]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 6
rfsession: https://[HOST]: cannot find this session among the BMC's sessions (no URI, no MySession, no matching Context); list them with `rfsession sessions https://[HOST]` and end it with `rfsession logout https://[HOST] --session ID`

"#]]
    );
}

#[test]
fn token_too_large() {
    let bmc = Bmc::start(Profile::Generic);
    bmc.faults(|f| f.token_size = 60_000);
    let env = Env::new();
    let out = env.login(&bmc);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 6
rfsession: https://[HOST]: the BMC issued a token of 60000 bytes, more than the 16384 bytes rfsession keeps; the session was deleted again on the BMC

"#]]
    );
}

#[test]
fn corrupt_entry() {
    let (bmc, env) = logged_in(Profile::Generic);
    fs::write(env.entry_path(&bmc), "{ not json").unwrap();
    let out = env.run(&bmc, &["get", &bmc.host(), "Systems/1"]);
    let text = shown(&out, &bmc, &env).replace(&bmc.addr().port().to_string(), "[PORT]");
    assert_data_eq!(
        text,
        str![[r#"
exit 7
rfsession: https://[HOST]: cache entry [TMP]/cache/https_127.0.0.1_[PORT].json is unreadable (not JSON: key must be a string at line 1 column 3); inspect it, end its session on the BMC if needed, then remove the file

"#]]
    );
}

#[test]
fn entry_open_to_others() {
    let (bmc, env) = logged_in(Profile::Generic);
    let path = env.entry_path(&bmc);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let out = env.run(&bmc, &["get", &bmc.host(), "Systems/1"]);
    let text = shown(&out, &bmc, &env).replace(&bmc.addr().port().to_string(), "[PORT]");
    assert_data_eq!(
        text,
        str![[r#"
exit 7
rfsession: https://[HOST]: [TMP]/cache/https_127.0.0.1_[PORT].json is open to group or others (mode 644); rfsession refuses it; fix with: chmod 600 [TMP]/cache/https_127.0.0.1_[PORT].json

"#]]
    );
}

#[test]
fn lock_held_past_timeout() {
    let (bmc, env) = logged_in(Profile::Generic);
    let lock = hold_lock(&env, &bmc);
    let out = env.run(&bmc, &["--timeout", "1", "logout", &bmc.host()]);
    drop(lock);
    let text = shown(&out, &bmc, &env).replace(&bmc.addr().port().to_string(), "[PORT]");
    assert_data_eq!(
        text,
        str![[r#"
exit 7
rfsession: https://[HOST]: gave up after 1s waiting for the lock [TMP]/cache/https_127.0.0.1_[PORT].lock (last taken by pid [PID], which has exited); retry later or raise --timeout

"#]]
    );
}

#[test]
fn cache_write_fails_after_login() {
    let bmc = Bmc::start(Profile::Ilo5);
    let env = Env::new();
    let out = env.login_unable_to_write(&bmc);
    let text = shown(&out, &bmc, &env)
        .split(".tmp-")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part.to_owned()
            } else {
                format!(".tmp-[RANDOM]{}", &part[part.find(".partial").unwrap()..])
            }
        })
        .collect::<String>();
    assert_data_eq!(
        text,
        str![[r#"
exit 7
rfsession: https://[HOST]: the BMC created a session but the cache could not keep it (cache [TMP]/cache/.tmp-[RANDOM].partial: File too large (os error 27)); the session was deleted again on the BMC

"#]]
    );
}

#[test]
fn write_on_a_resource_that_changed() {
    let (bmc, env) = logged_in(Profile::Generic);
    env.run(&bmc, &["patch", &bmc.host(), "Systems/1", "AssetTag=a"])
        .ok();
    let out = env.run(
        &bmc,
        &[
            "patch",
            &bmc.host(),
            "Systems/1",
            "AssetTag=b",
            "--if-match",
            "\"sys-1\"",
        ],
    );
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 6
rfsession: https://[HOST]: PATCH /redfish/v1/Systems/1: the resource changed since its ETag was read (HTTP 412: The ETag supplied did not match the ETag required to change this resource. (Base.1.8.PreconditionFailed)); nothing was changed: read it again and retry

"#]]
    );
}

#[test]
fn write_without_if_match_where_it_is_required() {
    let (bmc, env) = logged_in(Profile::Xcc);
    let out = env.run(
        &bmc,
        &[
            "patch",
            &bmc.host(),
            "Systems/1",
            "AssetTag=b",
            "--if-match",
            "none",
        ],
    );
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 6
rfsession: https://[HOST]: PATCH /redfish/v1/Systems/1: the BMC requires If-Match (HTTP 428: A precondition header (If-Match) is required for this operation. (Base.1.8.PreconditionRequired)); let rfsession read it (--if-match auto, the default) or pass --if-match ETAG

"#]]
    );
}

#[test]
fn write_cut_off_mid_request() {
    let (bmc, env) = logged_in(Profile::Generic);
    bmc.faults(|f| f.reset_writes = 1);
    let reset = "Systems/1/Actions/ComputerSystem.Reset";
    let out = env.run(&bmc, &["post", &bmc.host(), reset, "ResetType=On"]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 5
rfsession: https://[HOST]: connection closed mid-request (the BMC hung up without an answer); the POST may have been applied on the BMC: check before you retry

"#]]
    );
}

#[test]
fn write_behind_a_busy_keeper() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let persist = [("RFSESSION_PERSIST", "60s")];
    env.run_env(&bmc, &["get", &host, "Systems/1"], &persist)
        .ok();
    bmc.faults(|f| f.delay = Duration::from_secs(3));
    let slow = env.spawn(&bmc, &["get", &host, "Systems/1"], &persist);
    std::thread::sleep(Duration::from_millis(500));
    let reset = "Systems/1/Actions/ComputerSystem.Reset";
    let out = env.run(
        &bmc,
        &["--timeout", "1", "post", &host, reset, "ResetType=On"],
    );
    bmc.faults(|f| f.delay = Duration::ZERO);
    crate::common::wait(slow);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 5
rfsession: https://[HOST]: the keeper was busy with another request to this host until the --timeout ran out; the POST was not sent: retry, raise --timeout, or pass --no-persist

"#]]
    );
}

#[test]
fn task_that_fails() {
    let (bmc, env) = logged_in(Profile::Xcc);
    bmc.faults(|f| {
        f.task_fails = true;
        f.task_retry_after = Some(0);
    });
    let reset = "Systems/1/Actions/ComputerSystem.Reset";
    let out = env.run(
        &bmc,
        &["post", &bmc.host(), reset, "ResetType=On", "--wait"],
    );
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 6
rfsession: https://[HOST]: the task /redfish/v1/TaskService/TaskMonitors/1 ended Exception (status Critical): The reset failed: the system did not respond to the power request.

"#]]
    );
}

#[test]
fn task_still_running_at_the_wait_timeout() {
    let (bmc, env) = logged_in(Profile::Odim);
    bmc.faults(|f| {
        f.task_polls = 100;
        f.task_retry_after = Some(1);
    });
    let reset = "Systems/1/Actions/ComputerSystem.Reset";
    let args = [
        "post",
        &bmc.host(),
        reset,
        "ResetType=On",
        "--wait",
        "--wait-timeout",
        "1",
    ];
    let out = env.run(&bmc, &args);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 5
rfsession: https://[HOST]: the task /redfish/v1/TaskService/TaskMonitors/1 was still running after 1s; it goes on on the BMC: follow it with rfsession get https://[HOST] /redfish/v1/TaskService/TaskMonitors/1

"#]]
    );
}

#[test]
fn invalid_write_body() {
    let (bmc, env) = logged_in(Profile::Generic);
    let out = env.run(
        &bmc,
        &[
            "patch",
            &bmc.host(),
            "Systems/1",
            "-d",
            "{\"AssetTag\" \"x\"}",
        ],
    );
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 2
rfsession: the body is not valid JSON (expected `:` at line 1 column 13): nothing was sent

"#]]
    );
}

#[test]
fn unreadable_cacert() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let missing = env.dir.path().join("missing.pem");
    let mut c = env.cmd(Some(&missing), &["login", &bmc.host(), "-u", USER]);
    c.envs(PW);
    let o = c.output().unwrap();
    let out = Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::new(),
        stderr: String::from_utf8_lossy(&o.stderr).into(),
    };
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 2
rfsession: https://[HOST]: cannot read CA bundle [TMP]/missing.pem: No such file or directory (os error 2); check the path given with --cacert or the settings' cacert

"#]]
    );
}

/// A settings file (path given by the test) with `text`, mode 0600.
fn settings_file(env: &Env, text: &str) -> String {
    let path = env.dir.path().join("config.toml");
    fs::write(&path, text).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    path.display().to_string()
}

/// What `whoami` says with a settings file of `text` at `mode`.
fn with_settings(text: &str, mode: u32) -> String {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let cfg = settings_file(&env, text);
    fs::set_permissions(&cfg, fs::Permissions::from_mode(mode)).unwrap();
    let out = env.run_env(
        &bmc,
        &["whoami", &bmc.host()],
        &[("RFSESSION_CONFIG", &cfg)],
    );
    shown(&out, &bmc, &env)
}

#[test]
fn settings_file_others_can_write() {
    assert_data_eq!(
        with_settings("[defaults]\ninsecure = true\n", 0o664),
        str![[r#"
exit 7
rfsession: settings file [TMP]/config.toml is writable by group or others (mode 664); rfsession refuses it, as ssh does its config; fix with: chmod go-w [TMP]/config.toml

"#]]
    );
}

#[test]
fn settings_line_that_may_hold_a_secret() {
    assert_data_eq!(
        with_settings("[defaults]\nproxy = http://ops:hunter2@proxy:3128\n", 0o600),
        str![[r#"
exit 2
rfsession: settings file [TMP]/config.toml: line 2 column 9: the value of proxy is invalid (not shown: it may hold a secret)

"#]]
    );
}

#[test]
fn password_command_hangs() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    let start = std::time::Instant::now();
    let out = env.run(
        &bmc,
        &[
            "--timeout",
            "1",
            "login",
            &host,
            "-u",
            USER,
            "--password-command",
            "exec sleep 9",
        ],
    );
    assert!(
        start.elapsed() < Duration::from_secs(6),
        "stopped at --timeout"
    );
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 2
rfsession: https://[HOST]: password command `exec sleep 9` did not finish within 1s (--timeout); it was stopped; its output is not shown

"#]]
    );
}

#[test]
fn body_over_1_mib() {
    let (bmc, env) = logged_in(Profile::Generic);
    let big = env.dir.path().join("big.json");
    fs::write(&big, format!("\"{}\"", "x".repeat(1 << 20))).unwrap();
    let at = format!("@{}", big.display());
    let out = env.run(&bmc, &["patch", &bmc.host(), "Systems/1", "-d", &at]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 2
rfsession: the body from [TMP]/big.json is larger than 1 MiB, the most rfsession sends: nothing was sent

"#]]
    );
}

#[test]
fn duration_over_30d() {
    let (bmc, env) = logged_in(Profile::Generic);
    let out = env.run(
        &bmc,
        &["--persist", "1000000000000d", "whoami", &bmc.host()],
    );
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 2
error: invalid value '1000000000000d' for '--persist <DURATION>': must be at most 30d; a duration is a number with an optional unit ms, s, m, h or d (2, 2s, 500ms, 10m)

For more information, try '--help'.

"#]]
    );
}

#[test]
fn service_without_sessions() {
    let bmc = Bmc::start(Profile::Sushy);
    let env = Env::new();
    let out = env.login(&bmc);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 6
rfsession: https://[HOST]: this service offers no Redfish sessions (HTTP 404 to the session POST, and the service root names no sessions collection); send the credentials with every request instead: rfsession login https://[HOST] --auth basic

"#]]
    );
}

#[test]
fn session_post_that_demands_basic() {
    let bmc = Bmc::start(Profile::Csm);
    let env = Env::new();
    let out = env.login(&bmc);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 0

"#]]
    );
}

#[test]
fn logout_while_others_hold_the_session() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    // A shell that logged in and is still running.
    let mut holder = crate::holds::sleeping_holder(&env, &bmc);
    let out = env.run(&bmc, &["logout", &bmc.host()]);
    holder.kill().unwrap();
    holder.wait().unwrap();
    let text = shown(&out, &bmc, &env);
    // The time the hold was taken varies: keep only its shape.
    let since = text.find(" since ").map(|i| i + 7).unwrap();
    let text = format!("{}[TIME]{}", &text[..since], &text[since + 20..]);
    assert_data_eq!(
        text,
        str![[r#"
exit 0
rfsession: https://[HOST]: kept the session: still held by pid [PID] (sh) since [TIME]; end it anyway with: rfsession logout https://[HOST] --force

"#]]
    );
}

#[test]
fn basic_credentials_refused() {
    let bmc = Bmc::start(Profile::Sushy);
    let env = Env::new();
    let out = env.run_env(
        &bmc,
        &["login", &bmc.host(), "-u", USER, "--auth", "basic"],
        &[("RFSESSION_PASSWORD", "wrong")],
    );
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 3
rfsession: https://[HOST]: the BMC rejected the credentials (HTTP 401: There is no valid session established with the implementation. (Base.1.8.NoValidSession)); check the user name and password

"#]]
    );
}

/// Over plain http the warning names what goes out in clear text: with HTTP Basic, the
/// password itself, on every request.
#[test]
fn plain_http_with_basic_warns_that_the_password_goes_out_in_clear_text() {
    let mut cfg = Config::new(Profile::Sushy);
    cfg.tls = false;
    let bmc = Bmc::with_config(cfg);
    let env = Env::new();
    let url = bmc.url();
    let login = env.run_env(&bmc, &["login", &url, "-u", USER, "--auth", "basic"], &PW);
    let get = env.run_env(&bmc, &["get", &url, "Systems/1", "--pointer", "/Id"], &PW);
    assert_data_eq!(
        format!("{}{}", shown(&login, &bmc, &env), shown(&get, &bmc, &env)),
        str![[r#"
exit 0
rfsession: warning: http://[HOST]: plain http: the session token (with HTTP Basic, the password) goes out in clear text with every request
exit 0
rfsession: warning: http://[HOST]: plain http: the session token (with HTTP Basic, the password) goes out in clear text with every request

"#]]
    );
}

#[test]
fn pointer_without_its_leading_slash() {
    let (bmc, env) = logged_in(Profile::Generic);
    let out = env.run(
        &bmc,
        &["get", &bmc.host(), "Systems/1", "--pointer", "PowerState"],
    );
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 2
rfsession: --pointer PowerState: a JSON pointer starts with /; did you mean --pointer /PowerState?

"#]]
    );
}

#[test]
fn one_of_several_paths_fails() {
    let (bmc, env) = logged_in(Profile::Generic);
    let out = env.run(
        &bmc,
        &[
            "get",
            &bmc.host(),
            "Systems/1",
            "/redfish/v1/Nothing/Here",
            "--ndjson",
        ],
    );
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 6
rfsession: https://[HOST]: GET /redfish/v1/Nothing/Here answered HTTP 404: The resource at the URI was not found. (Base.1.8.ResourceMissingAtURI); see what the BMC has one level up: rfsession get https://[HOST] /redfish/v1/Nothing
rfsession: 1 of 2 paths failed (listed above)

"#]]
    );
}

#[test]
fn exec_command_not_found() {
    let (bmc, env) = logged_in(Profile::Generic);
    let out = env.run(&bmc, &["exec", &bmc.host(), "--", "no-such-command-here"]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 127
rfsession: cannot run no-such-command-here: command not found; check its name, or give its path

"#]]
    );
}

#[test]
fn exec_command_not_executable() {
    let (bmc, env) = logged_in(Profile::Generic);
    let plain = env.dir.path().join("plain-file");
    fs::write(&plain, "echo hi\n").unwrap();
    let out = env.run(&bmc, &["exec", &bmc.host(), "--", plain.to_str().unwrap()]);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 126
rfsession: cannot run [TMP]/plain-file: permission denied; is it executable (chmod +x), and not a directory?

"#]]
    );
}

#[test]
fn task_link_to_another_host() {
    let (bmc, env) = logged_in(Profile::Odim);
    bmc.faults(|f| {
        f.task_polls = 1;
        f.task_odata_id = Some("@127.0.0.2:1/redfish/v1/TaskService/Tasks/{id}".into());
    });
    let reset = "Systems/1/Actions/ComputerSystem.Reset";
    let out = env.run(
        &bmc,
        &["post", &bmc.host(), reset, "ResetType=On", "--wait"],
    );
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 6
rfsession: https://[HOST]: /redfish/v1/TaskService/TaskMonitors/1: the BMC's task @odata.id @127.0.0.2:1/redfish/v1/TaskService/Tasks/1 points to another host or is not a plain path; not followed (the token goes only to the host that issued it)

"#]]
    );
}

#[test]
fn session_uri_that_is_not_a_session() {
    let (bmc, env) = logged_in(Profile::Generic);
    let out = env.run(
        &bmc,
        &[
            "logout",
            &bmc.host(),
            "--session",
            "/redfish/v1/AccountService/Accounts/2",
        ],
    );
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 2
rfsession: https://[HOST]: --session /redfish/v1/AccountService/Accounts/2: not a session: give a session Id, or a URI directly under /redfish/v1/SessionService/Sessions as `rfsession sessions https://[HOST]` lists them

"#]]
    );
}

#[test]
fn session_uri_of_another_session() {
    let bmc = Bmc::start(Profile::Ilo5);
    let env = Env::new();
    let admins = bmc.add_session(USER);
    let operators = bmc.add_session(bmc_emulator::OPERATOR);
    let out = env.run_stdin(
        &bmc,
        &[
            "login",
            &bmc.host(),
            "--token-stdin",
            "--session-uri",
            &operators.uri,
        ],
        &format!("{}\n", admins.token),
    );
    let text = shown(&out, &bmc, &env)
        .replace(&admins.id, "[ID]")
        .replace(&operators.id, "[ID2]");
    assert_data_eq!(
        text,
        str![[r#"
exit 2
rfsession: https://[HOST]: --session-uri /redfish/v1/SessionService/Sessions/[ID2] is not this token's session: the BMC marks /redfish/v1/SessionService/Sessions/[ID] as the token's own; nothing was cached (pass --session-uri /redfish/v1/SessionService/Sessions/[ID], or leave it out)

"#]]
    );
}

#[test]
fn adopted_token_too_large() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let token = "a".repeat(20_000);
    let out = env.run_stdin(
        &bmc,
        &["login", &bmc.host(), "--token-stdin"],
        &format!("{token}\n"),
    );
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 2
rfsession: https://[HOST]: the token given is longer than the 16384 bytes rfsession keeps (as for a login); nothing was sent

"#]]
    );
}

#[test]
fn relogin_without_the_adopted_sessions_user() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    bmc.add_session(USER);
    let theirs = bmc.add_session(USER);
    env.run_stdin(
        &bmc,
        &["login", &bmc.host(), "--token-stdin"],
        &format!("{}\n", theirs.token),
    )
    .ok();
    bmc.expire_all();
    let out = env.run_env(&bmc, &["get", &bmc.host(), "Systems/1"], &PW);
    assert_data_eq!(
        shown(&out, &bmc, &env),
        str![[r#"
exit 2
rfsession: https://[HOST]: the cached session was adopted without its user; logging in again needs it: pass -u USER, set RFSESSION_USER, or name the user in the settings file or ~/.netrc

"#]]
    );
}
