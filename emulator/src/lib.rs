//! An emulated Redfish BMC: a real HTTPS server on a loopback address (std TcpListener and
//! rustls, certificate from rcgen) for rfsession's tests, demo and benchmarks.
//!
//! The service follows DSP0266 closely enough for DMTF's Redfish Protocol Validator
//! (`tests/conformance.sh` in rfsession runs it on every profile): unauthenticated service
//! root, OData service and metadata documents; session and Basic authentication; accounts
//! with ETags and If-Match; the predefined roles and their privileges; PasswordChangeRequired.
//! Vendor behaviour comes from the quirks table (`quirks.rs`), one row per profile, where
//! every deliberate deviation from the specification is listed with its reason
//! (`bmc-emulator --profiles` prints them). Faults are switched on and off while it runs.

mod certs;
mod http;
mod quirks;
mod service;

use std::collections::VecDeque;
use std::io::{self, BufReader, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

pub use certs::{CertKind, certificate, server_config};
pub use http::{Request, header};
pub use quirks::{
    DeleteAnswer, EtagStyle, IdStyle, LocationStyle, LoginAnswer, Profile, Quirks, SessionPost,
    TaskStyle,
};

pub const USER: &str = "admin";
pub const PASSWORD: &str = "secret-pw-1";
pub const OPERATOR: &str = "operator";
pub const OPERATOR_PASSWORD: &str = "operator-pw-2";

#[derive(Debug, Clone)]
pub struct Config {
    pub profile: Profile,
    pub ip: IpAddr,
    pub port: u16,
    pub tls: bool,
    pub session_limit: usize,
    pub idle_timeout: Duration,
    /// Where the service root says the sessions collection is (the profile's, unless set).
    pub sessions_path: String,
    /// Wait this long before the first TLS flight, as a BMC's slow CPU signs its handshake.
    pub handshake_delay: Duration,
    /// Close a connection that sat idle this long (many BMCs close idle ones after seconds).
    pub idle_close: Duration,
    /// Tasks and Dell jobs run at least this long (`--task-seconds`), so a progress shows.
    pub task_time: Duration,
    /// The certificate served (with TLS).
    pub cert: CertKind,
    /// Speak TLS 1.2 only.
    pub tls12_only: bool,
}

impl Config {
    pub fn new(profile: Profile) -> Config {
        Config {
            profile,
            ip: IpAddr::from([127, 0, 0, 1]),
            port: 0,
            tls: true,
            session_limit: 64,
            idle_timeout: Duration::from_secs(1800),
            sessions_path: profile.quirks().sessions_path.into(),
            handshake_delay: Duration::ZERO,
            idle_close: Duration::from_secs(60),
            task_time: Duration::ZERO,
            cert: CertKind::Signed,
            tls12_only: false,
        }
    }

    pub fn quirks(&self) -> &'static Quirks {
        self.profile.quirks()
    }
}

/// Faults the tests switch on and off while the BMC runs.
#[derive(Debug, Default, Clone)]
pub struct Faults {
    /// Status codes for the next DELETEs of a session, one popped per DELETE.
    pub delete_status: VecDeque<u16>,
    /// DELETEs of a session never answer.
    pub delete_hang: bool,
    /// The next N session POSTs answer as the profile's busy BMC does (`Quirks::busy`),
    /// with this Retry-After (seconds).
    pub post_busy: u32,
    pub retry_after: u32,
    /// Accept connections and never answer, not even the TLS handshake.
    pub hang_all: bool,
    /// Close the connection without an answer on the next N GETs.
    pub reset_gets: u32,
    /// Apply the next N writes (POST, PATCH, PUT, DELETE) but close the connection instead
    /// of answering, as a BMC that resets mid-request does.
    pub reset_writes: u32,
    /// Every answer waits this long first.
    pub delay: Duration,
    /// Logins succeed with a PasswordChangeRequired message.
    pub password_change: bool,
    /// Location header sent on login instead of the profile's ("{id}" is replaced).
    pub location: Option<String>,
    /// @odata.id sent in the login answer instead of the session's.
    pub body_odata_id: Option<String>,
    /// Sessions created now do not keep the Context the client sent.
    pub forget_context: bool,
    /// The next N authenticated GETs answer 401 although the token is valid (a proxy, a
    /// BMC that says 401 for 403).
    pub stray_401: u32,
    /// Tokens issued now are padded to this many bytes.
    pub token_size: usize,
    /// Tasks started now answer "running" to this many polls before they end.
    pub task_polls: u32,
    /// Tasks started now end in Exception (a Dell job: Failed).
    pub task_fails: bool,
    /// Retry-After sent by a running task's monitor (seconds); none when unset.
    pub task_retry_after: Option<u32>,
    /// The Location of a task's 202 ("{id}" is replaced), e.g. `/TaskMonitor/abc?id={id}`:
    /// any path under `/TaskMonitor/` polls the task its `id=` query names.
    pub task_monitor: Option<String>,
    /// The `@odata.id` a task's monitor answers carry ("{id}" is replaced), as a hostile
    /// BMC might send it.
    pub task_odata_id: Option<String>,
    /// The sessions collection lists exactly these members (a hostile BMC's list).
    pub session_members: Option<Vec<serde_json::Value>>,
    /// The sessions collection comes in pages of this many members (0: one page).
    pub sessions_page: usize,
    /// Answer the TLS ClientHello as a BMC whose TLS rustls cannot speak would.
    pub tls_refusal: Option<TlsRefusal>,
}

/// How an old or odd BMC answers a TLS 1.2/1.3 ClientHello.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsRefusal {
    /// A ServerHello for TLS 1.0, as firmware that speaks nothing newer sends.
    Tls10Only,
    /// A protocol_version alert, as a server that refuses TLS 1.2 and 1.3 sends.
    VersionAlert,
    /// A handshake_failure alert: no cipher suite or signature scheme in common.
    NothingInCommon,
    /// The connection closed without a word.
    Close,
}

/// The one ComputerSystem, as writes leave it.
#[derive(Debug, Clone)]
pub struct System {
    pub power: String,
    pub asset_tag: String,
    pub boot_target: String,
    pub boot_enabled: String,
    /// BIOS attributes (current) and those pending in Bios/Settings.
    pub bios: serde_json::Map<String, serde_json::Value>,
    pub bios_pending: serde_json::Map<String, serde_json::Value>,
    /// Bumped on every write; the ETags derive from it.
    pub version: u64,
}

impl Default for System {
    fn default() -> Self {
        let serde_json::Value::Object(bios) = serde_json::json!({
            "BootMode": "Uefi", "ProcTurboMode": "Enabled", "SriovGlobalEnable": "Disabled",
        }) else {
            unreachable!()
        };
        System {
            power: "On".into(),
            asset_tag: String::new(),
            boot_target: "None".into(),
            boot_enabled: "Disabled".into(),
            bios,
            bios_pending: serde_json::Map::new(),
            version: 1,
        }
    }
}

/// A long action: a DMTF Task or a Dell Job.
#[derive(Debug, Clone)]
pub struct Task {
    pub id: String,
    pub reset_type: String,
    /// Polls answered "running" in all, and still to come.
    pub polls: u32,
    pub polls_left: u32,
    pub fails: bool,
    pub done: bool,
    /// Running until this much time has passed since it started, whatever the polls.
    pub started: Instant,
    pub lasts: Duration,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub uri: String,
    pub token: String,
    pub user: String,
    pub context: String,
    pub created: SystemTime,
    pub last_used: Instant,
    /// An emergency session (iLO): a DELETE cannot end it.
    pub emergency: bool,
}

/// A ManagerAccount.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    pub user: String,
    pub password: String,
    pub role: String,
    pub enabled: bool,
    pub password_change_required: bool,
    /// Bumped on every write; the ETag derives from it.
    pub version: u64,
}

#[derive(Debug, Default)]
pub struct State {
    pub sessions: Vec<Session>,
    pub accounts: Vec<Account>,
    /// EventService subscriptions, as created.
    pub subscriptions: Vec<serde_json::Value>,
    pub system: System,
    pub tasks: Vec<Task>,
    pub created: u64,
    pub deleted: u64,
    pub expired: u64,
    /// TCP connections accepted.
    pub connections: u64,
    pub requests: Vec<Request>,
    pub faults: Faults,
    /// Every token handed out, for leak checks.
    pub issued: Vec<String>,
    next_id: u64,
    next_account: u64,
}

pub(crate) struct Shared {
    config: Config,
    state: Mutex<State>,
    stop: AtomicBool,
    tls: Mutex<Option<Arc<rustls::ServerConfig>>>,
    /// The certificate served, DER.
    leaf: Mutex<Vec<u8>>,
    addr: SocketAddr,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running emulated BMC; stops when dropped.
pub struct Bmc {
    shared: Arc<Shared>,
    ca_path: PathBuf,
}

impl Bmc {
    pub fn start(profile: Profile) -> Bmc {
        Bmc::with_config(Config::new(profile))
    }

    pub fn with_config(config: Config) -> Bmc {
        let listener = TcpListener::bind((config.ip, config.port)).expect("bind emulator");
        Bmc::on_listener(config, listener)
    }

    pub fn on_listener(config: Config, listener: TcpListener) -> Bmc {
        let addr = listener.local_addr().unwrap();
        let (tls, leaf) = if config.tls {
            let (c, der) = certs::certificate(config.cert, addr.ip(), config.tls12_only);
            (Some(c), der)
        } else {
            (None, Vec::new())
        };
        let mut state = State::default();
        for (user, password, role) in [
            (USER, PASSWORD, "Administrator"),
            (OPERATOR, OPERATOR_PASSWORD, "Operator"),
        ] {
            service::add_account(&mut state, user, password, role);
        }
        let shared = Arc::new(Shared {
            config,
            state: Mutex::new(state),
            stop: AtomicBool::new(false),
            tls: Mutex::new(tls),
            leaf: Mutex::new(leaf),
            addr,
        });
        let s = shared.clone();
        thread::Builder::new()
            .name("bmc-accept".into())
            .stack_size(128 * 1024)
            .spawn(move || accept_loop(s, listener))
            .unwrap();
        Bmc {
            shared,
            ca_path: certs::ca().pem_path.clone(),
        }
    }

    /// `https://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        let scheme = if self.shared.config.tls {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.host())
    }

    /// `127.0.0.1:PORT`, as an operator would write HOST.
    pub fn host(&self) -> String {
        match self.shared.addr {
            SocketAddr::V4(a) => format!("{}:{}", a.ip(), a.port()),
            SocketAddr::V6(a) => format!("[{}]:{}", a.ip(), a.port()),
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// Serve a new certificate from now on (same CA, new key), as after a BMC reset.
    pub fn rotate_certificate(&self) {
        self.serve_certificate(CertKind::Signed);
    }

    /// Serve a self-signed certificate from now on, as an impostor on the BMC's address would.
    pub fn serve_untrusted_certificate(&self) {
        self.serve_certificate(CertKind::SelfSigned);
    }

    /// Serve a new certificate of `kind` (new key) from now on.
    pub fn serve_certificate(&self, kind: CertKind) {
        let mut tls = self.shared.tls.lock().unwrap();
        if tls.is_some() {
            let (config, der) =
                certs::certificate(kind, self.shared.addr.ip(), self.shared.config.tls12_only);
            *tls = Some(config);
            *self.shared.leaf.lock().unwrap() = der;
        }
    }

    /// The certificate served now, as PEM (to trust it as it is).
    pub fn certificate_pem(&self) -> String {
        use base64::Engine;
        let der = self.shared.leaf.lock().unwrap().clone();
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        let lines: Vec<&str> = b64
            .as_bytes()
            .chunks(64)
            .map(|l| std::str::from_utf8(l).unwrap())
            .collect();
        format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            lines.join("\n")
        )
    }

    /// The CA bundle that signs every emulated BMC's certificate.
    pub fn ca_path(&self) -> &Path {
        &self.ca_path
    }

    pub fn state(&self) -> MutexGuard<'_, State> {
        self.shared.state()
    }

    pub fn faults(&self, f: impl FnOnce(&mut Faults)) {
        f(&mut self.state().faults);
    }

    pub fn live_sessions(&self) -> usize {
        let mut st = self.state();
        service::expire(&self.shared.config, &mut st);
        st.sessions.len()
    }

    pub fn created(&self) -> u64 {
        self.state().created
    }

    /// Expire every session now, as an idle timeout would.
    pub fn expire_all(&self) {
        let mut st = self.state();
        st.expired += st.sessions.len() as u64;
        st.sessions.clear();
    }

    /// Create a session directly (another operator's, say).
    pub fn add_session(&self, user: &str) -> Session {
        let mut st = self.state();
        service::new_session(&self.shared, &mut st, user, "")
    }

    /// Create an emergency session, on a profile that has them (iLO): a DELETE answers 405.
    pub fn add_emergency_session(&self, user: &str) -> Session {
        assert!(
            self.shared.config.quirks().emergency_sessions,
            "{} has no emergency sessions",
            self.shared.config.quirks().name
        );
        let mut st = self.state();
        let mut s = service::new_session(&self.shared, &mut st, user, "");
        s.emergency = true;
        if let Some(kept) = st.sessions.iter_mut().find(|k| k.token == s.token) {
            kept.emergency = true;
        }
        s
    }

    /// Create a session that was created `age` ago (a leaked one, say).
    pub fn add_old_session(&self, user: &str, age: Duration) -> Session {
        let mut st = self.state();
        let mut s = service::new_session(&self.shared, &mut st, user, "");
        s.created -= age;
        if let Some(kept) = st.sessions.iter_mut().find(|k| k.token == s.token) {
            kept.created = s.created;
        }
        s
    }

    /// Every token this BMC ever issued, for leak checks.
    pub fn tokens(&self) -> Vec<String> {
        let st = self.state();
        let mut all: Vec<String> = st
            .requests
            .iter()
            .filter_map(|r| r.header("x-auth-token").map(str::to_owned))
            .chain(st.sessions.iter().map(|s| s.token.clone()))
            .chain(st.issued.iter().cloned())
            .collect();
        all.sort();
        all.dedup();
        all
    }
}

impl Drop for Bmc {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.shared.addr, Duration::from_millis(200));
    }
}

/// Many BMCs at once, one per loopback address (Linux accepts any 127.x.y.z).
pub fn fleet(profile: Profile, n: usize) -> Vec<Bmc> {
    fleet_with(&Config::new(profile), n)
}

/// `fleet` with every BMC configured as `config` (a handshake delay, idle close), each on
/// its own address.
pub fn fleet_with(config: &Config, n: usize) -> Vec<Bmc> {
    (0..n)
        .map(|i| {
            let mut c = config.clone();
            c.ip = IpAddr::from([127, 1, (i / 250) as u8, (i % 250 + 1) as u8]);
            Bmc::with_config(c)
        })
        .collect()
}

fn accept_loop(shared: Arc<Shared>, listener: TcpListener) {
    for conn in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = conn else { continue };
        let s = shared.clone();
        let _ = thread::Builder::new()
            .name("bmc-conn".into())
            .stack_size(256 * 1024)
            .spawn(move || {
                let _ = serve(&s, stream);
            });
    }
}

/// Read the ClientHello, then answer as `r` says.
fn refuse_tls(mut tcp: TcpStream, r: TlsRefusal) -> io::Result<()> {
    let mut hello = [0u8; 4096];
    let _ = tcp.read(&mut hello)?;
    match r {
        TlsRefusal::Tls10Only => {
            // ServerHello, version 3.1, a zero random, no session id, TLS_RSA_WITH_AES_128_CBC_SHA.
            let mut body = vec![0x03, 0x01];
            body.extend([0u8; 32]);
            body.extend([0x00, 0x00, 0x2f, 0x00, 0x00, 0x00]);
            let mut hs = vec![0x02, 0x00, 0x00, body.len() as u8];
            hs.extend(body);
            let mut rec = vec![0x16, 0x03, 0x01, 0x00, hs.len() as u8];
            rec.extend(hs);
            tcp.write_all(&rec)?;
        }
        // Alert: fatal, protocol_version.
        TlsRefusal::VersionAlert => tcp.write_all(&[0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46])?,
        // Alert: fatal, handshake_failure.
        TlsRefusal::NothingInCommon => {
            tcp.write_all(&[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28])?
        }
        TlsRefusal::Close => {}
    }
    let _ = tcp.shutdown(Shutdown::Both);
    Ok(())
}

/// Sleep while `cond` holds and the BMC runs; true if the BMC stopped.
fn wait_while(shared: &Shared, cond: impl Fn(&Faults) -> bool) -> bool {
    while cond(&shared.state().faults) {
        if shared.stop.load(Ordering::SeqCst) {
            return true;
        }
        thread::sleep(Duration::from_millis(20));
    }
    shared.stop.load(Ordering::SeqCst)
}

trait Stream: Read + Write {}
impl<T: Read + Write> Stream for T {}

fn serve(shared: &Shared, tcp: TcpStream) -> io::Result<()> {
    shared.state().connections += 1;
    if wait_while(shared, |f| f.hang_all) {
        return Ok(());
    }
    tcp.set_read_timeout(Some(shared.config.idle_close))?;
    tcp.set_nodelay(true)?;
    if shared.config.tls && !shared.config.handshake_delay.is_zero() {
        thread::sleep(shared.config.handshake_delay);
    }
    let refusal = shared.state().faults.tls_refusal;
    if let (Some(r), true) = (refusal, shared.config.tls) {
        return refuse_tls(tcp, r);
    }
    let raw = tcp.try_clone()?;
    let tls = shared.tls.lock().unwrap().clone();
    let stream: Box<dyn Stream> = match tls {
        Some(cfg) => {
            let conn = rustls::ServerConnection::new(cfg).map_err(io::Error::other)?;
            Box::new(rustls::StreamOwned::new(conn, tcp))
        }
        None => Box::new(tcp),
    };
    let mut reader = BufReader::new(stream);
    loop {
        let Some(req) = http::read_request(&mut reader)? else {
            return Ok(());
        };
        let delay = shared.state().faults.delay;
        if !delay.is_zero() {
            thread::sleep(delay);
        }
        if req.method == "GET" {
            let mut st = shared.state();
            if st.faults.reset_gets > 0 {
                st.faults.reset_gets -= 1;
                drop(st);
                let _ = raw.shutdown(Shutdown::Both);
                return Ok(());
            }
        }
        let close = req
            .header("connection")
            .is_some_and(|c| c.eq_ignore_ascii_case("close"));
        let resp = service::handle(shared, &req);
        if req.method != "GET" && req.method != "HEAD" {
            let mut st = shared.state();
            if st.faults.reset_writes > 0 {
                st.faults.reset_writes -= 1;
                drop(st);
                let _ = raw.shutdown(Shutdown::Both);
                return Ok(());
            }
        }
        if resp.hang {
            wait_while(shared, |f| f.delete_hang);
            return Ok(());
        }
        let lower = shared.config.quirks().lower_case_headers;
        http::write_response(reader.get_mut(), resp, lower, req.method == "HEAD")?;
        if close {
            return Ok(());
        }
    }
}
