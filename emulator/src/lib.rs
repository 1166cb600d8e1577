//! An emulated Redfish BMC: a real HTTPS server on a loopback address (std TcpListener and
//! rustls, certificate from rcgen) with vendor profiles, token enforcement, idle timeout,
//! a session limit, a request log, and fault injection. Used in-process by the tests and
//! as a stand-alone server by the `bmc-emulator` binary (demo and benchmarks).

use std::collections::{HashMap, VecDeque};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::{Value, json};

pub const USER: &str = "admin";
pub const PASSWORD: &str = "secret-pw-1";
pub const OPERATOR: &str = "operator";
pub const OPERATOR_PASSWORD: &str = "operator-pw-2";

/// How a vendor's BMC answers, from the field notes in shared/redfish-sessions.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Relative Location, `$expand` supported.
    Generic,
    /// Absolute Location without the port and with a trailing slash, `Oem.Hp.MySession`,
    /// lower-case header names, DELETE answers 200 with a body.
    Ilo4,
    /// Absolute Location with port, `Oem.Hpe.MySession`.
    Ilo5,
    /// Integer ids, absolute Location, limit answered with 503 RAC0218.
    Idrac,
    /// Lower-case header names, POST needs Content-Type, no `$expand`.
    Bmcweb,
    /// Location without a scheme (`host:port/redfish/...`), sessions under a non-default path.
    Odim,
    /// No Location and no @odata.id: only `Oem.Hpe.MySession` finds the session.
    NoLocation,
    /// 204 with no body (DMTF's Redfish-Mockup-Server).
    NoContent,
}

impl Profile {
    pub const ALL: [Profile; 8] = [
        Profile::Generic,
        Profile::Ilo4,
        Profile::Ilo5,
        Profile::Idrac,
        Profile::Bmcweb,
        Profile::Odim,
        Profile::NoLocation,
        Profile::NoContent,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Profile::Generic => "generic",
            Profile::Ilo4 => "ilo4",
            Profile::Ilo5 => "ilo5",
            Profile::Idrac => "idrac",
            Profile::Bmcweb => "bmcweb",
            Profile::Odim => "odim",
            Profile::NoLocation => "no-location",
            Profile::NoContent => "no-content",
        }
    }

    pub fn from_name(s: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.name() == s)
    }

    fn sessions_path(self) -> &'static str {
        match self {
            Profile::Odim => "/redfish/v1/SessionService/Sessions",
            _ => "/redfish/v1/SessionService/Sessions",
        }
    }

    fn lower_case_headers(self) -> bool {
        matches!(self, Profile::Ilo4 | Profile::Bmcweb)
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub profile: Profile,
    pub ip: IpAddr,
    pub port: u16,
    pub tls: bool,
    pub session_limit: usize,
    pub idle_timeout: Duration,
    /// Where the service root says the sessions collection is.
    pub sessions_path: Option<String>,
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
            sessions_path: None,
        }
    }
}

/// Faults the tests switch on and off while the BMC runs.
#[derive(Debug, Default, Clone)]
pub struct Faults {
    /// Status codes for the next DELETEs of a session, one popped per DELETE.
    pub delete_status: VecDeque<u16>,
    /// DELETEs of a session never answer.
    pub delete_hang: bool,
    /// The next N session POSTs answer 503 with this Retry-After (seconds).
    pub post_busy: u32,
    pub retry_after: u32,
    /// Accept connections and never answer, not even the TLS handshake.
    pub hang_all: bool,
    /// Close the connection without an answer on the next N GETs.
    pub reset_gets: u32,
    /// Every answer waits this long first.
    pub delay: Duration,
    /// Logins succeed with a PasswordChangeRequired message.
    pub password_change: bool,
    /// 401 answers are iDRAC 8's HTML page.
    pub html_401: bool,
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
}

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

#[derive(Debug, Default)]
pub struct State {
    pub sessions: Vec<Session>,
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
}

struct Shared {
    config: Config,
    state: Mutex<State>,
    stop: AtomicBool,
    tls: Mutex<Option<Arc<rustls::ServerConfig>>>,
    addr: SocketAddr,
}

/// A running emulated BMC; stops when dropped.
pub struct Bmc {
    shared: Arc<Shared>,
    ca_path: PathBuf,
}

static TOKEN_COUNTER: AtomicU64 = AtomicU64::new(1);

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
        let tls = config.tls.then(|| server_config(addr.ip()));
        let shared = Arc::new(Shared {
            config,
            state: Mutex::new(State::default()),
            stop: AtomicBool::new(false),
            tls: Mutex::new(tls),
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
            ca_path: ca().pem_path.clone(),
        }
    }

    /// `https://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        let scheme = if self.shared.config.tls {
            "https"
        } else {
            "http"
        };
        match self.shared.addr {
            SocketAddr::V4(a) => format!("{scheme}://{}:{}", a.ip(), a.port()),
            SocketAddr::V6(a) => format!("{scheme}://[{}]:{}", a.ip(), a.port()),
        }
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
        let mut tls = self.shared.tls.lock().unwrap();
        if tls.is_some() {
            *tls = Some(server_config(self.shared.addr.ip()));
        }
    }

    /// Serve a self-signed certificate from now on, as an impostor on the BMC's address would.
    pub fn serve_untrusted_certificate(&self) {
        let mut tls = self.shared.tls.lock().unwrap();
        if tls.is_some() {
            *tls = Some(self_signed_config(self.shared.addr.ip()));
        }
    }

    /// The CA bundle that signs every emulated BMC's certificate.
    pub fn ca_path(&self) -> &Path {
        &self.ca_path
    }

    pub fn state(&self) -> MutexGuard<'_, State> {
        self.shared.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn faults(&self, f: impl FnOnce(&mut Faults)) {
        f(&mut self.state().faults);
    }

    pub fn live_sessions(&self) -> usize {
        let mut st = self.state();
        expire(&self.shared.config, &mut st);
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
        new_session(&self.shared, &mut st, user, "")
    }

    /// Every token this BMC ever issued, for leak checks.
    pub fn tokens(&self) -> Vec<String> {
        let st = self.state();
        let mut all: Vec<String> = st
            .requests
            .iter()
            .filter_map(|r| header(&r.headers, "x-auth-token").map(str::to_owned))
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

struct Ca {
    issuer: rcgen::Issuer<'static, rcgen::KeyPair>,
    pem_path: PathBuf,
    _dir: tempfile::TempDir,
}

fn ca() -> &'static Ca {
    static CA: OnceLock<Ca> = OnceLock::new();
    CA.get_or_init(|| {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "rfsession test BMC CA");
        params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
        ];
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let pem_path = dir.path().join("ca.pem");
        std::fs::write(&pem_path, cert.pem()).unwrap();
        Ca {
            issuer: rcgen::Issuer::new(params, key),
            pem_path,
            _dir: dir,
        }
    })
}

/// A fresh leaf certificate for `ip` and localhost, signed by the test CA.
pub fn server_config(ip: IpAddr) -> Arc<rustls::ServerConfig> {
    let (params, key) = leaf_params(ip);
    let cert = params.signed_by(&key, &ca().issuer).unwrap();
    tls_config(cert.der().to_vec(), key)
}

fn self_signed_config(ip: IpAddr) -> Arc<rustls::ServerConfig> {
    let (params, key) = leaf_params(ip);
    let cert = params.self_signed(&key).unwrap();
    tls_config(cert.der().to_vec(), key)
}

fn leaf_params(ip: IpAddr) -> (rcgen::CertificateParams, rcgen::KeyPair) {
    let mut params =
        rcgen::CertificateParams::new(vec!["localhost".to_owned(), ip.to_string()]).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, format!("bmc {ip}"));
    (params, rcgen::KeyPair::generate().unwrap())
}

fn tls_config(der: Vec<u8>, key: rcgen::KeyPair) -> Arc<rustls::ServerConfig> {
    let chain = vec![CertificateDer::from(der)];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    Arc::new(config)
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

fn faults(shared: &Shared) -> Faults {
    shared
        .state
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .faults
        .clone()
}

/// Sleep while `cond` holds and the BMC runs; true if the BMC stopped.
fn wait_while(shared: &Shared, cond: impl Fn(&Faults) -> bool) -> bool {
    while cond(&faults(shared)) {
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
    shared
        .state
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .connections += 1;
    if wait_while(shared, |f| f.hang_all) {
        return Ok(());
    }
    tcp.set_read_timeout(Some(Duration::from_secs(60)))?;
    tcp.set_nodelay(true)?;
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
        let Some(req) = read_request(&mut reader)? else {
            return Ok(());
        };
        let f = faults(shared);
        if !f.delay.is_zero() {
            thread::sleep(f.delay);
        }
        if req.method == "GET" {
            let mut st = shared.state.lock().unwrap_or_else(|e| e.into_inner());
            if st.faults.reset_gets > 0 {
                st.faults.reset_gets -= 1;
                drop(st);
                let _ = raw.shutdown(Shutdown::Both);
                return Ok(());
            }
        }
        let close =
            header(&req.headers, "connection").is_some_and(|c| c.eq_ignore_ascii_case("close"));
        let resp = handle(shared, &req);
        if resp.hang {
            wait_while(shared, |f| f.delete_hang);
            return Ok(());
        }
        write_response(shared, reader.get_mut(), resp)?;
        if close {
            return Ok(());
        }
    }
}

fn read_request(r: &mut impl BufRead) -> io::Result<Option<Request>> {
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(path)) = (parts.next(), parts.next()) else {
        return Ok(None);
    };
    let (method, path) = (method.to_owned(), path.to_owned());
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if r.read_line(&mut h)? == 0 {
            return Ok(None);
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    let len: usize = header(&headers, "content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len.min(1 << 20)];
    r.read_exact(&mut body)?;
    Ok(Some(Request {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }))
}

pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[derive(Default)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Body,
    hang: bool,
}

#[derive(Default)]
enum Body {
    #[default]
    Empty,
    Bytes(Vec<u8>),
    /// `{"Data":"aaaa..."}` of this many bytes in all, streamed.
    Huge(u64),
}

impl Resp {
    fn json(status: u16, v: Value) -> Resp {
        Resp {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: Body::Bytes(serde_json::to_vec(&v).unwrap()),
            hang: false,
        }
    }

    fn raw(status: u16, content_type: &str, body: &[u8]) -> Resp {
        Resp {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: Body::Bytes(body.to_vec()),
            hang: false,
        }
    }

    fn with(mut self, k: &str, v: impl Into<String>) -> Resp {
        self.headers.push((k.to_owned(), v.into()));
        self
    }
}

fn write_response(shared: &Shared, w: &mut dyn Stream, resp: Resp) -> io::Result<()> {
    let lower = shared.config.profile.lower_case_headers();
    let name = |k: &str| {
        if lower {
            k.to_ascii_lowercase()
        } else {
            k.to_owned()
        }
    };
    let len = match &resp.body {
        Body::Empty => 0,
        Body::Bytes(b) => b.len() as u64,
        Body::Huge(n) => *n,
    };
    let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (k, v) in &resp.headers {
        head.push_str(&format!("{}: {v}\r\n", name(k)));
    }
    head.push_str(&format!("{}: {len}\r\n\r\n", name("Content-Length")));
    let mut out = io::BufWriter::with_capacity(64 * 1024, w);
    out.write_all(head.as_bytes())?;
    match resp.body {
        Body::Empty => {}
        Body::Bytes(b) => out.write_all(&b)?,
        Body::Huge(n) => {
            out.write_all(b"{\"Data\":\"")?;
            let chunk = vec![b'a'; 64 * 1024];
            let mut left = n - 11;
            while left > 0 {
                let k = left.min(chunk.len() as u64) as usize;
                out.write_all(&chunk[..k])?;
                left -= k as u64;
            }
            out.write_all(b"\"}")?;
        }
    }
    out.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        415 => "Unsupported Media Type",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn redfish_error(status: u16, id: &str, message: &str) -> Resp {
    Resp::json(
        status,
        json!({"error": {
            "code": "Base.1.8.GeneralError",
            "message": "A general error has occurred. See ExtendedInfo for more information.",
            "@Message.ExtendedInfo": [{"MessageId": id, "Message": message, "Severity": "Critical"}]
        }}),
    )
}

fn expire(config: &Config, st: &mut State) {
    let before = st.sessions.len();
    st.sessions
        .retain(|s| s.last_used.elapsed() < config.idle_timeout);
    st.expired += (before - st.sessions.len()) as u64;
}

fn new_session(shared: &Shared, st: &mut State, user: &str, context: &str) -> Session {
    st.next_id += 1;
    st.created += 1;
    let n = st.next_id;
    let id = match shared.config.profile {
        Profile::Idrac | Profile::Generic | Profile::NoContent => n.to_string(),
        Profile::Ilo4 | Profile::Ilo5 | Profile::NoLocation => format!("{user}{n:016x}"),
        Profile::Bmcweb => format!("bmcw{n:06}"),
        Profile::Odim => format!("3f2a6c1e-0000-4000-8000-{n:012x}"),
    };
    let sessions = sessions_path(&shared.config);
    let token_n = TOKEN_COUNTER.fetch_add(1, Ordering::Relaxed);
    let seed = std::collections::hash_map::RandomState::new();
    let salt = std::hash::BuildHasher::hash_one(&seed, token_n);
    let mut token = format!("tok{token_n:06}x{salt:016x}");
    while token.len() < st.faults.token_size {
        token.push('z');
    }
    let s = Session {
        uri: format!("{sessions}/{id}"),
        id,
        token,
        user: user.to_owned(),
        context: context.to_owned(),
        created: SystemTime::now(),
        last_used: Instant::now(),
    };
    st.sessions.push(s.clone());
    st.issued.push(s.token.clone());
    s
}

fn sessions_path(config: &Config) -> String {
    config
        .sessions_path
        .clone()
        .unwrap_or_else(|| config.profile.sessions_path().to_owned())
}

fn handle(shared: &Shared, req: &Request) -> Resp {
    let config = &shared.config;
    let mut st = shared.state.lock().unwrap_or_else(|e| e.into_inner());
    if st.requests.len() < 200_000 {
        st.requests.push(req.clone());
    }
    expire(config, &mut st);
    let (path, query) = match req.path.split_once('?') {
        Some((p, q)) => (p.to_owned(), q.to_owned()),
        None => (req.path.clone(), String::new()),
    };
    let path = path.trim_end_matches('/').to_owned();
    let sessions = sessions_path(config);

    // Unauthenticated resources.
    if req.method == "GET" && (path == "/redfish" || path == "/redfish/v1") {
        if path == "/redfish" {
            return Resp::json(200, json!({"v1": "/redfish/v1/"}));
        }
        let mut root = json!({
            "@odata.id": "/redfish/v1/",
            "@odata.type": "#ServiceRoot.v1_13_0.ServiceRoot",
            "Id": "RootService",
            "RedfishVersion": "1.15.0",
            "Vendor": config.profile.name(),
            "Links": {"Sessions": {"@odata.id": sessions}},
            "SessionService": {"@odata.id": "/redfish/v1/SessionService"},
            "Systems": {"@odata.id": "/redfish/v1/Systems"},
            "JsonSchemas": {"@odata.id": "/redfish/v1/JsonSchemas"},
            "Registries": {"@odata.id": "/redfish/v1/Registries"},
        });
        // What HPE's own tools read to tell iLO generations apart.
        match config.profile {
            Profile::Ilo5 | Profile::NoLocation => {
                root["Oem"] = json!({"Hpe": {"Manager": [{"ManagerType": "iLO 5", "ManagerFirmwareVersion": "2.72"}]}})
            }
            Profile::Ilo4 => {
                root["Oem"] = json!({"Hp": {"Manager": [{"ManagerType": "iLO 4", "ManagerFirmwareVersion": "2.80"}]}})
            }
            _ => {}
        }
        return Resp::json(200, root);
    }
    if req.method == "POST" && path == sessions {
        return login(shared, &mut st, req);
    }

    // Everything else needs a valid token.
    let token = header(&req.headers, "x-auth-token").unwrap_or("");
    let Some(me) = st.sessions.iter_mut().find(|s| s.token == token) else {
        if st.faults.html_401 {
            return Resp::raw(
                401,
                "text/html",
                b"<html><head><title>401 - Unauthorized</title></head><body><h1>Unauthorized</h1><p>Access denied.</p></body></html>",
            );
        }
        return redfish_error(
            401,
            "Base.1.8.NoValidSession",
            "There is no valid session established with the implementation.",
        );
    };
    me.last_used = Instant::now();
    let me = me.clone();
    if req.method == "GET" && st.faults.stray_401 > 0 {
        st.faults.stray_401 -= 1;
        return Resp::raw(
            401,
            "text/html",
            b"<html><head><title>401 Authorization Required</title></head><body>proxy</body></html>",
        );
    }

    if path == sessions && req.method == "GET" {
        let expand = query.contains("$expand=.") || query.contains("%24expand=.");
        let expand = expand && config.profile != Profile::Bmcweb;
        let members: Vec<Value> = st
            .sessions
            .iter()
            .map(|s| {
                if expand {
                    session_json(config, s, &me)
                } else {
                    json!({"@odata.id": s.uri})
                }
            })
            .collect();
        return Resp::json(
            200,
            json!({
                "@odata.id": sessions,
                "Name": "Session Collection",
                "Members@odata.count": members.len(),
                "Members": members,
            }),
        );
    }
    if let Some(id) = path.strip_prefix(&format!("{sessions}/")) {
        let id = percent_decode(id);
        let idx = st.sessions.iter().position(|s| s.id == id);
        return match (req.method.as_str(), idx) {
            ("GET", Some(i)) => Resp::json(200, session_json(config, &st.sessions[i], &me)),
            ("DELETE", Some(i)) => {
                if st.faults.delete_hang {
                    return Resp {
                        hang: true,
                        ..Resp::default()
                    };
                }
                if let Some(status) = st.faults.delete_status.pop_front() {
                    return redfish_error(
                        status,
                        "Base.1.8.InternalError",
                        "The request failed due to an internal service error.",
                    );
                }
                st.sessions.remove(i);
                st.deleted += 1;
                match config.profile {
                    Profile::Ilo4 | Profile::Ilo5 => Resp::json(
                        200,
                        json!({"error": {"code": "iLO.0.10.ExtendedInfo", "message": "See @Message.ExtendedInfo for more information.",
                            "@Message.ExtendedInfo": [{"MessageId": "Base.1.0.Success"}]}}),
                    ),
                    _ => Resp {
                        status: 204,
                        ..Resp::default()
                    },
                }
            }
            (_, None) => redfish_error(
                404,
                "Base.1.8.ResourceMissingAtURI",
                "The resource at the URI was not found.",
            ),
            _ => redfish_error(405, "Base.1.8.ActionNotSupported", "Method not allowed."),
        };
    }
    if req.method != "GET" {
        return redfish_error(405, "Base.1.8.ActionNotSupported", "Method not allowed.");
    }
    match path.as_str() {
        "/redfish/v1/SessionService" => Resp::json(
            200,
            json!({
                "@odata.id": "/redfish/v1/SessionService",
                "ServiceEnabled": true,
                "SessionTimeout": config.idle_timeout.as_secs(),
                "Sessions": {"@odata.id": sessions},
            }),
        ),
        "/redfish/v1/Managers" => Resp::json(
            200,
            json!({"@odata.id": path, "Members@odata.count": 1, "Members": [{"@odata.id": "/redfish/v1/Managers/1"}]}),
        ),
        "/redfish/v1/Managers/1" => Resp::json(
            200,
            json!({"@odata.id": path, "@odata.type": "#Manager.v1_5_1.Manager", "Id": "1",
                   "ManagerType": "BMC", "FirmwareVersion": "iLO 5 v2.72"}),
        ),
        "/redfish/v1/JsonSchemas" | "/redfish/v1/Registries" => Resp::json(
            200,
            json!({"@odata.id": path, "Members@odata.count": 0, "Members": []}),
        ),
        "/redfish/v1/Systems" => Resp::json(
            200,
            json!({"@odata.id": "/redfish/v1/Systems", "Members@odata.count": 1,
                   "Members": [{"@odata.id": "/redfish/v1/Systems/1"}]}),
        ),
        "/redfish/v1/Systems/1" => Resp::json(
            200,
            json!({
                "@odata.id": "/redfish/v1/Systems/1", "Id": "1", "Name": "System",
                "PowerState": "On", "Model": format!("Emulated {}", config.profile.name()),
                "Status": {"State": "Enabled", "Health": "OK"},
                "MemorySummary": {"TotalSystemMemoryGiB": 512},
                "Query": query,
            }),
        ),
        "/redfish/v1/Managers/1/LogServices/Log/Entries" => {
            let skip: usize = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("$skip="))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let total = 25;
            let end = (skip + 10).min(total);
            let members: Vec<Value> = (skip..end)
                .map(|i| json!({"@odata.id": format!("{path}/{i}"), "Id": i.to_string(), "Message": format!("event {i}")}))
                .collect();
            let mut v = json!({"@odata.id": path, "Members@odata.count": total, "Members": members});
            if end < total {
                v["Members@odata.nextLink"] = json!(format!("{path}?$skip={end}"));
            }
            Resp::json(200, v)
        }
        "/redfish/v1/Broken/Truncated" => Resp::raw(200, "application/json", br#"{"Id": "1", "Members": [{"@odata.id": "/redfish/v1/Sys"#),
        "/redfish/v1/Broken/Html" => Resp::raw(
            502,
            "text/html",
            b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
        ),
        "/redfish/v1/Broken/Huge" => {
            let mb: u64 = query.strip_prefix("mb=").and_then(|v| v.parse().ok()).unwrap_or(200);
            Resp {
                status: 200,
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: Body::Huge(mb << 20),
                hang: false,
            }
        }
        "/redfish/v1/Redirect/Same" => Resp::raw(302, "text/plain", b"").with("Location", "/redfish/v1/Systems/1"),
        "/redfish/v1/RelativeRedirect" => Resp::raw(302, "text/plain", b"").with("Location", "Systems/1"),
        "/redfish/v1/Broken/Endless" => {
            // Pages of 5,000 members, without end.
            let page: u64 = query.strip_prefix("page=").and_then(|v| v.parse().ok()).unwrap_or(0);
            let members: Vec<Value> = (0..5000)
                .map(|i| json!({"@odata.id": format!("{path}/{page}-{i}"), "Id": format!("{page}-{i}"), "Message": "x".repeat(64)}))
                .collect();
            Resp::json(200, json!({"@odata.id": path, "Members": members,
                "Members@odata.nextLink": format!("{path}?page={}", page + 1)}))
        }
        "/redfish/v1/Broken/Loop" => Resp::json(200, json!({"@odata.id": path,
            "Members": [{"@odata.id": "/redfish/v1/Systems/1"}],
            "Members@odata.nextLink": "/redfish/v1/Broken/Loop?page=1"})),
        "/redfish/v1/Broken/Foreign" => Resp::json(200, json!({"@odata.id": path,
            "Members": [{"@odata.id": "/redfish/v1/Systems/1"}],
            "Members@odata.nextLink": "https://203.0.113.9/redfish/v1/Broken/Foreign?page=1"})),
        "/redfish/v1/Redirect/To" => {
            let target = query.strip_prefix("url=").unwrap_or("").to_owned();
            Resp::raw(302, "text/plain", b"").with("Location", percent_decode(&target))
        }
        _ => redfish_error(404, "Base.1.8.ResourceMissingAtURI", "The resource at the URI was not found."),
    }
}

fn login(shared: &Shared, st: &mut State, req: &Request) -> Resp {
    let config = &shared.config;
    if config.profile == Profile::Bmcweb
        && !header(&req.headers, "content-type").is_some_and(|c| c.starts_with("application/json"))
    {
        return redfish_error(
            415,
            "Base.1.8.UnsupportedMediaType",
            "Content-Type must be application/json.",
        );
    }
    if st.faults.post_busy > 0 {
        st.faults.post_busy -= 1;
        return redfish_error(
            503,
            "Base.1.8.ServiceTemporarilyUnavailable",
            "The service is busy; retry later.",
        )
        .with("Retry-After", st.faults.retry_after.to_string());
    }
    let Ok(body) = serde_json::from_str::<Value>(&req.body) else {
        return redfish_error(
            400,
            "Base.1.8.MalformedJSON",
            "The request body submitted was malformed JSON.",
        );
    };
    let user = body.get("UserName").and_then(Value::as_str).unwrap_or("");
    let password = body.get("Password").and_then(Value::as_str).unwrap_or("");
    let context = body.get("Context").and_then(Value::as_str).unwrap_or("");
    let ok = (user == USER && password == PASSWORD)
        || (user == OPERATOR && password == OPERATOR_PASSWORD);
    if !ok {
        return redfish_error(
            401,
            "Base.1.8.InvalidCredentials",
            &format!("Invalid username or password for user '{user}'."),
        );
    }
    if st.sessions.len() >= config.session_limit {
        return match config.profile {
            Profile::Idrac => redfish_error(
                503,
                "IDRAC.2.8.RAC0218",
                "The maximum number of user sessions is reached.",
            ),
            Profile::Ilo4 | Profile::Ilo5 => redfish_error(
                400,
                "Base.1.4.SessionLimitExceeded",
                "The session establishment failed due to the number of simultaneous sessions exceeding the limit of the implementation.",
            ),
            _ => redfish_error(
                503,
                "Base.1.8.SessionLimitExceeded",
                "The session establishment failed due to the number of simultaneous sessions exceeding the limit of the implementation.",
            ),
        };
    }
    let context = if st.faults.forget_context {
        ""
    } else {
        context
    };
    let s = new_session(shared, st, user, context);
    let host = shared.addr.ip();
    let port = shared.addr.port();
    let location = match (&st.faults.location, config.profile) {
        (Some(t), _) => Some(t.replace("{id}", &s.id)),
        (None, Profile::Generic | Profile::Bmcweb | Profile::NoContent) => Some(s.uri.clone()),
        (None, Profile::Ilo4) => Some(format!("https://{host}{}/", s.uri)),
        (None, Profile::Ilo5 | Profile::Idrac) => Some(format!("https://{host}:{port}{}", s.uri)),
        (None, Profile::Odim) => Some(format!("{host}:{port}{}", s.uri)),
        (None, Profile::NoLocation) => None,
    };
    let me = s.clone();
    let mut body = session_json(config, &s, &me);
    if config.profile == Profile::NoLocation {
        body.as_object_mut().unwrap().remove("@odata.id");
    }
    if let Some(id) = &st.faults.body_odata_id {
        body["@odata.id"] = json!(id);
    }
    if st.faults.password_change {
        body["@Message.ExtendedInfo"] = json!([{
            "MessageId": "Base.1.8.PasswordChangeRequired",
            "Message": "The password provided for this account must be changed before access is granted."
        }]);
    }
    let mut resp = if config.profile == Profile::NoContent {
        Resp {
            status: 204,
            ..Resp::default()
        }
    } else {
        Resp::json(201, body)
    };
    resp = resp.with("X-Auth-Token", s.token.clone());
    if let Some(l) = location {
        resp = resp.with("Location", l);
    }
    resp
}

fn session_json(config: &Config, s: &Session, me: &Session) -> Value {
    let created = humantime_secs(s.created);
    let mut v = json!({
        "@odata.id": s.uri,
        "@odata.type": "#Session.v1_7_0.Session",
        "Id": s.id,
        "Name": "User Session",
        "UserName": s.user,
        "Password": null,
        "CreatedTime": created,
        "ClientOriginIPAddress": "127.0.0.1",
    });
    if config.profile == Profile::Idrac {
        v["Id"] = json!(s.id);
    }
    if !s.context.is_empty() && config.profile != Profile::NoLocation {
        v["Context"] = json!(s.context);
    }
    let mine = s.token == me.token;
    match config.profile {
        Profile::Ilo4 => v["Oem"] = json!({"Hp": {"MySession": mine}}),
        Profile::Ilo5 | Profile::NoLocation => v["Oem"] = json!({"Hpe": {"MySession": mine}}),
        _ => {}
    }
    v
}

fn humantime_secs(t: SystemTime) -> String {
    time::OffsetDateTime::from(t)
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Many BMCs at once, one per loopback address (Linux accepts any 127.x.y.z).
pub fn fleet(profile: Profile, n: usize) -> Vec<Bmc> {
    (0..n)
        .map(|i| {
            let mut c = Config::new(profile);
            c.ip = IpAddr::from([127, 1, (i / 250) as u8, (i % 250 + 1) as u8]);
            Bmc::with_config(c)
        })
        .collect()
}

pub fn users() -> HashMap<&'static str, &'static str> {
    HashMap::from([(USER, PASSWORD), (OPERATOR, OPERATOR_PASSWORD)])
}
