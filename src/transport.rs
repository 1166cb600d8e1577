//! HTTP over rustls to one BMC. Knows nothing of Redfish or of the cache.
//!
//! Redirects are never followed automatically: ureq keeps `X-Auth-Token` across a redirect,
//! so a token-bearing request follows one only to the same scheme, host and port.
//!
//! This is the only file that touches ureq's `unversioned` API (custom connector and
//! resolver), which ureq may change in any release: Cargo.toml pins ureq's exact version.

use std::cell::Cell;
use std::fmt;
use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::{ClientConfig, ClientConnection, StreamOwned};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{
    Buffers, ConnectProxyConnector, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout,
    SocksConnector, TcpConnector, Transport as UreqTransport, TransportAdapter,
};

use crate::host::{Host, Scheme};
use crate::keeper;
use crate::secret::Secret;
use crate::tls::{self, SeenCert, TlsSetupError, Trust};

#[derive(Debug, Clone)]
pub struct Options {
    pub trust: Trust,
    /// How this host's trust is changed, told with any refusal of its certificate.
    pub hint: String,
    /// `--timeout`: all requests of one operation on this host share it.
    pub timeout: Duration,
    /// When that time is up; pauses a retry is documented to take move it on.
    pub deadline: Instant,
    pub verbose: bool,
    /// `http://` (a CONNECT tunnel), `socks5://` or `socks5h://` proxy, credentials included.
    pub proxy: Option<String>,
    /// Send through this host's keeper when one answers (connection persistence).
    pub keeper: Option<KeeperLink>,
}

/// Where the keeper listens, and the trust this client connects with (it serves only the
/// same).
#[derive(Debug, Clone)]
pub struct KeeperLink {
    pub place: keeper::Place,
    pub trust: String,
}

/// The largest request head this transport sends: it bounds the token the session layer
/// accepts, so that any cached token can still be sent (and its session deleted).
pub const MAX_REQUEST_HEAD: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    #[error("cannot resolve the host name; check the name and DNS")]
    Resolve,
    #[error("cannot connect ({0}); check HOST, the port and that the BMC's web service is up")]
    Connect(String),
    #[error("no answer within {0}s; the BMC is slow or hung: retry later or raise --timeout")]
    Timeout(u64),
    #[error("the BMC's certificate is not trusted: {0}")]
    Untrusted(String),
    #[error(
        "the BMC's certificate changed since login (pinned {pinned}, now {now}); nothing was sent. If the change is expected, run: rfsession login {host} -k --force"
    )]
    CertChanged {
        pinned: String,
        now: String,
        host: String,
    },
    #[error("TLS handshake failed: {0}")]
    Tls(String),
    #[error(transparent)]
    Setup(#[from] TlsSetupError),
    #[error("connection closed mid-request ({0}); retry")]
    Closed(String),
    #[error(
        "connection closed mid-request ({detail}); the {method} may have been applied on the BMC: check before you retry"
    )]
    MayHaveApplied { method: String, detail: String },
    #[error("malformed HTTP response ({0})")]
    Protocol(String),
    #[error("response body exceeds {0} bytes; use --raw to stream it, or raise --max-body")]
    TooLarge(u64),
    #[error("refused to follow a redirect to {0}: the token goes only to the host that issued it")]
    ForeignRedirect(String),
    #[error("cannot write the response: {0}")]
    Output(io::Error),
    #[error(
        "the proxy {proxy} failed ({detail}); check the proxy and --proxy/HTTPS_PROXY/NO_PROXY"
    )]
    Proxy { proxy: String, detail: String },
}

/// A connection setting to one BMC.
pub struct Transport {
    host: Host,
    agent: ureq::Agent,
    options: Options,
    deadline: Cell<Instant>,
    seen: SeenCert,
    /// New connections begun, and those that got past the proxy: a failure between the two
    /// is the proxy's.
    attempts: Arc<AtomicUsize>,
    tunnels: Arc<AtomicUsize>,
}

/// A response whose body has not been read yet.
pub struct Response {
    pub status: u16,
    pub path: String,
    headers: ureq::http::HeaderMap,
    body: Source,
    timeout: Duration,
}

/// Where the body comes from: the connection, or a keeper's socket.
enum Source {
    Direct(ureq::Body),
    Keeper(Box<dyn Read>),
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Response({} {})", self.status, self.path)
    }
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every header, for a keeper to hand on.
    pub fn header_list(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
            .collect()
    }

    /// The whole body, refusing more than `limit` bytes.
    pub fn bytes(&mut self, limit: u64) -> Result<Vec<u8>, TransportError> {
        let timeout = self.timeout;
        match &mut self.body {
            Source::Direct(body) => {
                body.with_config()
                    .limit(limit)
                    .read_to_vec()
                    .map_err(|e| match e {
                        ureq::Error::BodyExceedsLimit(n) => TransportError::TooLarge(n),
                        e => map_error(e, None, timeout),
                    })
            }
            Source::Keeper(r) => {
                let mut out = Vec::new();
                r.take(limit.saturating_add(1))
                    .read_to_end(&mut out)
                    .map_err(|e| map_error(ureq::Error::from(e), None, timeout))?;
                if out.len() as u64 > limit {
                    return Err(TransportError::TooLarge(limit));
                }
                Ok(out)
            }
        }
    }

    /// Stream the body to `out` with flat memory.
    pub fn copy_to(&mut self, out: &mut dyn Write) -> Result<u64, TransportError> {
        let mut reader: Box<dyn Read + '_> = match &mut self.body {
            Source::Direct(body) => Box::new(body.with_config().limit(u64::MAX).reader()),
            Source::Keeper(r) => Box::new(r),
        };
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0u64;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => return Ok(total),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(map_error(ureq::Error::from(e), None, self.timeout)),
            };
            out.write_all(&buf[..n]).map_err(TransportError::Output)?;
            total += n as u64;
        }
    }
}

impl Transport {
    pub fn new(host: &Host, options: Options) -> Result<Transport, TransportError> {
        let seen: SeenCert = Arc::new(Mutex::new(tls::Seen::default()));
        let tls = match host.scheme {
            Scheme::Https => Some(tls::client_config(
                &options.trust,
                &options.hint,
                seen.clone(),
            )?),
            Scheme::Http => None,
        };
        let proxy = match &options.proxy {
            Some(url) => Some(ureq::Proxy::new(url).map_err(|e| TransportError::Proxy {
                proxy: redact_proxy(url),
                detail: e.to_string(),
            })?),
            None => None,
        };
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .save_redirect_history(false)
            .proxy(proxy)
            .user_agent(concat!("rfsession/", env!("CARGO_PKG_VERSION")))
            .accept("application/json")
            .timeout_global(Some(options.timeout))
            .max_idle_connections_per_host(2)
            // ureq's 128 KiB defaults are zeroed per connection; Redfish requests are small
            // and 64 KiB still holds the largest response head ureq accepts.
            .input_buffer_size(64 * 1024)
            .output_buffer_size(MAX_REQUEST_HEAD)
            .build();
        let attempts = Arc::new(AtomicUsize::new(0));
        let tunnels = Arc::new(AtomicUsize::new(0));
        let connector =
            ().chain(Counting(attempts.clone()))
                .chain(SocksConnector::default())
                .chain(ConnectProxyConnector::default())
                .chain(TcpConnector::default())
                .chain(TlsConnector {
                    config: tls,
                    tunnels: tunnels.clone(),
                    bmc: (
                        host.name_on_the_wire()
                            .trim_start_matches('[')
                            .trim_end_matches(']')
                            .to_owned(),
                        host.port,
                    ),
                });
        let resolver = LiteralResolver {
            scope: host.zone().map(scope_id).transpose()?,
            ..LiteralResolver::default()
        };
        let agent = ureq::Agent::with_parts(config, connector, resolver);
        Ok(Transport {
            host: host.clone(),
            agent,
            deadline: Cell::new(options.deadline),
            options,
            seen,
            attempts,
            tunnels,
        })
    }

    /// Wait as a documented retry says to, without eating into the requests' time.
    pub fn pause(&self, d: Duration) {
        std::thread::sleep(d);
        self.deadline.set(self.deadline.get() + d);
    }

    /// A new `--timeout` from now: each poll of a long task gets its own.
    pub fn renew_deadline(&self) {
        self.deadline.set(Instant::now() + self.options.timeout);
    }

    fn remaining(&self) -> Result<Duration, TransportError> {
        match self.deadline.get().checked_duration_since(Instant::now()) {
            Some(d) if !d.is_zero() => Ok(d),
            _ => Err(TransportError::Timeout(self.options.timeout.as_secs())),
        }
    }

    /// The fingerprint of the certificate seen on the last TLS handshake.
    pub fn seen_certificate(&self) -> Option<String> {
        self.seen().fingerprint
    }

    /// What the last TLS handshake showed: the certificate and the trusted ones it chained to.
    pub fn seen(&self) -> tls::Seen {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Send one request to `path` on this host. GETs that fail on a closed connection are
    /// retried once (any other method may have been applied: say so), and a redirect to the
    /// same origin is followed once.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&Secret>,
        json: Option<&[u8]>,
    ) -> Result<Response, TransportError> {
        self.send_with(method, path, token, json, &[])
    }

    /// `send` with extra request headers (If-Match).
    pub fn send_with(
        &self,
        method: &str,
        path: &str,
        token: Option<&Secret>,
        json: Option<&[u8]>,
        headers: &[(&str, &str)],
    ) -> Result<Response, TransportError> {
        let mut path = path.to_owned();
        let mut redirected = false;
        let mut retried = false;
        loop {
            let result = self.send_once(method, &path, token, json, headers);
            let resp = match result {
                Err(TransportError::Closed(_)) if method == "GET" && !retried => {
                    retried = true;
                    self.log(format_args!("* connection closed; retrying {path} once"));
                    continue;
                }
                Err(TransportError::Closed(detail)) if method != "GET" => {
                    return Err(TransportError::MayHaveApplied {
                        method: method.to_owned(),
                        detail,
                    });
                }
                r => r?,
            };
            // GETs follow any redirect; other methods only 307 and 308, which keep the
            // method and body (Supermicro redirects the session POST to `Sessions/`).
            let follows = match resp.status {
                301..=303 => method == "GET",
                307 | 308 => true,
                _ => false,
            };
            if !follows {
                return Ok(resp);
            }
            let Some(location) = resp.header("location").map(str::to_owned) else {
                return Ok(resp);
            };
            let target = resolve_reference(&path, &location)
                .and_then(|l| same_origin_path(&self.host, &l))
                .ok_or_else(|| TransportError::ForeignRedirect(location.clone()))?;
            if redirected {
                return Ok(resp);
            }
            redirected = true;
            path = target;
        }
    }

    fn send_once(
        &self,
        method: &str,
        path: &str,
        token: Option<&Secret>,
        json: Option<&[u8]>,
        headers: &[(&str, &str)],
    ) -> Result<Response, TransportError> {
        if let Some(link) = &self.options.keeper
            && let Some(resp) = self.via_keeper(link, method, path, token, json, headers)?
        {
            return Ok(resp);
        }
        let url = format!("{}{}", self.host.origin(), path);
        self.log(format_args!("> {method} {url}"));
        if let Some(p) = &self.options.proxy {
            self.log(format_args!("* through the proxy {}", redact_proxy(p)));
        }
        let remaining = self.remaining()?;
        let (attempts, tunnels) = (
            self.attempts.load(Ordering::Relaxed),
            self.tunnels.load(Ordering::Relaxed),
        );
        let mut req = ureq::http::Request::builder().method(method).uri(&url);
        for (name, value) in headers {
            let shown = if is_secret_header(name) {
                "<redacted>"
            } else {
                value
            };
            self.log(format_args!("> {name}: {shown}"));
            req = req.header(*name, *value);
        }
        if let Some(t) = token {
            self.log(format_args!("> X-Auth-Token: <redacted>"));
            req = req.header("X-Auth-Token", t.expose());
        }
        let result = match json {
            Some(body) => {
                self.log(format_args!("> Content-Type: application/json"));
                let req = req
                    .header("Content-Type", "application/json")
                    .body(body)
                    .map_err(|e| TransportError::Protocol(e.to_string()))?;
                let req = self
                    .agent
                    .configure_request(req)
                    .timeout_global(Some(remaining))
                    .build();
                self.agent.run(req)
            }
            None => {
                let req = req
                    .body(())
                    .map_err(|e| TransportError::Protocol(e.to_string()))?;
                let req = self
                    .agent
                    .configure_request(req)
                    .timeout_global(Some(remaining))
                    .build();
                self.agent.run(req)
            }
        };
        let resp = result.map_err(|e| {
            let pinned = match &self.options.trust {
                Trust::Pinned(p) => Some(p.as_str()),
                _ => None,
            };
            let mapped = map_error(e, pinned.zip(self.seen_certificate()), self.options.timeout);
            let mapped = match mapped {
                TransportError::CertChanged { pinned, now, .. } => TransportError::CertChanged {
                    pinned,
                    now,
                    host: self.host.key(),
                },
                // A connection begun that never got through the proxy: the proxy failed.
                m @ (TransportError::Connect(_)
                | TransportError::Closed(_)
                | TransportError::Protocol(_)
                | TransportError::Resolve
                | TransportError::Tls(_))
                    if self.options.proxy.is_some()
                        && self.attempts.load(Ordering::Relaxed) > attempts
                        && self.tunnels.load(Ordering::Relaxed) == tunnels =>
                {
                    TransportError::Proxy {
                        proxy: redact_proxy(self.options.proxy.as_deref().unwrap_or_default()),
                        detail: match m {
                            TransportError::Connect(d)
                            | TransportError::Closed(d)
                            | TransportError::Protocol(d)
                            | TransportError::Tls(d) => d,
                            _ => "its name does not resolve".into(),
                        },
                    }
                }
                m => m,
            };
            self.log(format_args!("! {mapped}"));
            mapped
        })?;
        let (parts, body) = resp.into_parts();
        let resp = Response {
            status: parts.status.as_u16(),
            path: path.to_owned(),
            headers: parts.headers,
            body: Source::Direct(body),
            timeout: self.options.timeout,
        };
        if self.options.verbose {
            self.log(format_args!("< {}", resp.status));
            for (name, value) in &resp.headers {
                let shown = if is_secret_header(name.as_str()) {
                    "<redacted>"
                } else {
                    value.to_str().unwrap_or("<binary>")
                };
                self.log(format_args!("< {name}: {shown}"));
            }
        }
        Ok(resp)
    }

    /// Send through the keeper. Ok(None): no keeper serves us, connect directly. A keeper
    /// that ends mid-request may have sent it: a GET is sent again directly, a write is not.
    fn via_keeper(
        &self,
        link: &KeeperLink,
        method: &str,
        path: &str,
        token: Option<&Secret>,
        json: Option<&[u8]>,
        headers: &[(&str, &str)],
    ) -> Result<Option<Response>, TransportError> {
        let mut all: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        if let Some(t) = token {
            all.push(("X-Auth-Token".into(), t.expose().to_owned()));
        }
        if json.is_some() {
            all.push(("Content-Type".into(), "application/json".into()));
        }
        let ask = keeper::Ask {
            method: method.to_owned(),
            path: path.to_owned(),
            headers: all,
            body_len: json.map_or(0, <[u8]>::len),
            trust: link.trust.clone(),
            stop: false,
        };
        // The keeper answers within its own --timeout; a little more here, then give up.
        let wait = self.remaining()? + Duration::from_secs(2);
        let (answer, reader) = match keeper::forward(&link.place, &ask, json, wait) {
            Ok(Some(got)) => got,
            Ok(None) => return Ok(None),
            Err(_) if method == "GET" => return Ok(None),
            Err(e) => {
                return Err(TransportError::MayHaveApplied {
                    method: method.to_owned(),
                    detail: format!("the keeper ended mid-request: {e}"),
                });
            }
        };
        self.log(format_args!("> {method} {path} (through the keeper)"));
        if let Some(wire) = answer.error {
            let e = TransportError::from_wire(wire);
            self.log(format_args!("! {e}"));
            return Err(e);
        }
        let mut map = ureq::http::HeaderMap::new();
        for (k, v) in &answer.headers {
            if let (Ok(k), Ok(v)) = (
                ureq::http::HeaderName::from_bytes(k.as_bytes()),
                ureq::http::HeaderValue::from_str(v),
            ) {
                map.append(k, v);
            }
        }
        self.log(format_args!("< {}", answer.status));
        Ok(Some(Response {
            status: answer.status,
            path: path.to_owned(),
            headers: map,
            body: Source::Keeper(Box::new(reader)),
            timeout: self.options.timeout,
        }))
    }

    /// One request as a keeper was asked it (headers as given, token among them), on the
    /// kept connection, with a full --timeout of its own.
    pub fn send_for_keeper(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<Response, TransportError> {
        self.renew_deadline();
        let token = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("x-auth-token"))
            .map(|(_, v)| Secret::new((*v).to_owned()));
        let rest: Vec<(&str, &str)> = headers
            .iter()
            .filter(|(k, _)| {
                !k.eq_ignore_ascii_case("x-auth-token") && !k.eq_ignore_ascii_case("content-type")
            })
            .copied()
            .collect();
        self.send_once(method, path, token.as_ref(), body, &rest)
    }

    fn log(&self, line: fmt::Arguments) {
        if self.options.verbose {
            let _ = writeln!(io::stderr().lock(), "{line}");
        }
    }
}

impl TransportError {
    /// The error as a keeper hands it to a client: (kind, detail, number).
    pub fn to_wire(&self) -> (String, String, u64) {
        use TransportError as T;
        let (kind, detail, n) = match self {
            T::Resolve => ("resolve", String::new(), 0),
            T::Connect(d) => ("connect", d.clone(), 0),
            T::Timeout(s) => ("timeout", String::new(), *s),
            T::Untrusted(d) => ("untrusted", d.clone(), 0),
            T::CertChanged { pinned, now, host } => ("cert", format!("{pinned} {now} {host}"), 0),
            T::Tls(d) => ("tls", d.clone(), 0),
            T::Closed(d) => ("closed", d.clone(), 0),
            T::MayHaveApplied { method, detail } => ("applied", format!("{method} {detail}"), 0),
            T::TooLarge(n) => ("large", String::new(), *n),
            T::ForeignRedirect(d) => ("redirect", d.clone(), 0),
            T::Proxy { proxy, detail } => ("proxy", format!("{proxy} {detail}"), 0),
            other => ("protocol", other.to_string(), 0),
        };
        (kind.to_owned(), detail, n)
    }

    /// The error a direct call would have given, from its wire form.
    pub fn from_wire((kind, detail, n): (String, String, u64)) -> TransportError {
        use TransportError as T;
        let mut two = detail.splitn(2, ' ').map(str::to_owned);
        let (a, b) = (
            two.next().unwrap_or_default(),
            two.next().unwrap_or_default(),
        );
        match kind.as_str() {
            "resolve" => T::Resolve,
            "connect" => T::Connect(detail),
            "timeout" => T::Timeout(n),
            "untrusted" => T::Untrusted(detail),
            "cert" => {
                let mut p = detail.split(' ').map(str::to_owned);
                T::CertChanged {
                    pinned: p.next().unwrap_or_default(),
                    now: p.next().unwrap_or_default(),
                    host: p.next().unwrap_or_default(),
                }
            }
            "tls" => T::Tls(detail),
            "closed" => T::Closed(detail),
            "applied" => T::MayHaveApplied {
                method: a,
                detail: b,
            },
            "large" => T::TooLarge(n),
            "redirect" => T::ForeignRedirect(detail),
            "proxy" => T::Proxy {
                proxy: a,
                detail: b,
            },
            _ => T::Protocol(detail),
        }
    }
}

/// A proxy URL for the operator's eyes: `socks5h://user:***@host:1080`, in every form the
/// proxy is taken (with or without a scheme, `user:pass@`, a bare `token@`); everything
/// before the last `@` but the user name is a secret.
pub fn redact_proxy(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), url),
    };
    match rest.rsplit_once('@') {
        Some((cred, hostpart)) => match cred.split_once(':') {
            Some((user, _)) => format!("{scheme}{user}:***@{hostpart}"),
            None => format!("{scheme}***@{hostpart}"),
        },
        None => url.to_owned(),
    }
}

fn is_secret_header(name: &str) -> bool {
    ["x-auth-token", "authorization", "cookie", "set-cookie"]
        .iter()
        .any(|s| name.eq_ignore_ascii_case(s))
}

/// `location` resolved against the request path `base` when it is a relative reference
/// (`Systems/1`, `../x`), as RFC 3986 does; absolute forms are returned as they are.
pub fn resolve_reference(base: &str, location: &str) -> Option<String> {
    if location.contains("://") || location.starts_with('/') {
        return Some(location.to_owned());
    }
    let (location, query) = match location.split_once('?') {
        Some((l, q)) => (l, Some(q)),
        None => (location, None),
    };
    let base = base.split(['?', '#']).next().unwrap_or("");
    let dir = &base[..base.rfind('/')? + 1];
    let mut out: Vec<&str> = Vec::new();
    let joined = format!("{dir}{location}");
    let segments: Vec<&str> = joined.split('/').skip(1).collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." if last => out.push(""),
            "." => {}
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let mut path = format!("/{}", out.join("/"));
    if let Some(q) = query {
        path.push('?');
        path.push_str(q);
    }
    Some(path)
}

/// The path of `location` when it points to `host` (or is relative), else None.
pub fn same_origin_path(host: &Host, location: &str) -> Option<String> {
    if location.starts_with('/') && !location.starts_with("//") {
        return Some(location.to_owned());
    }
    let rest = location.split_once("://").map(|(_, r)| r)?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let scheme = &location[..location.len() - rest.len() - 3];
    let target = Host::parse(&format!("{scheme}://{authority}")).ok()?;
    let same = target.scheme == host.scheme
        && target.port == host.port
        && target.name_on_the_wire() == host.name_on_the_wire();
    same.then(|| path.to_owned())
}

fn map_error(
    e: ureq::Error,
    pinned_and_seen: Option<(&str, String)>,
    timeout: Duration,
) -> TransportError {
    use ureq::Error as E;
    if let Some((pinned, now)) = pinned_and_seen
        && pinned != now
    {
        return TransportError::CertChanged {
            pinned: pinned.to_owned(),
            now,
            host: String::new(),
        };
    }
    match e {
        E::Timeout(_) => TransportError::Timeout(timeout.as_secs()),
        E::HostNotFound => TransportError::Resolve,
        E::ConnectionFailed => TransportError::Connect("connection failed".into()),
        E::Rustls(r @ rustls::Error::InvalidCertificate(_)) => {
            TransportError::Untrusted(tls::handshake_words(&r))
        }
        E::Rustls(r) => TransportError::Tls(tls::handshake_words(&r)),
        E::Tls(m) => TransportError::Tls(m.to_owned()),
        E::BodyExceedsLimit(n) => TransportError::TooLarge(n),
        E::Protocol(p) => TransportError::Protocol(p.to_string()),
        E::ConnectProxyFailed(m) => TransportError::Connect(format!("CONNECT answered: {m}")),
        E::LargeResponseHeader(..) => TransportError::Protocol("response headers too large".into()),
        E::Io(io) => {
            if let Some(r) = io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                return map_error(E::Rustls(r.clone()), None, timeout);
            }
            // ureq's own errors come back wrapped in io::Error from inside the TLS stream.
            if io.get_ref().is_some_and(|i| i.is::<ureq::Error>()) {
                return map_error(ureq::Error::from(io), None, timeout);
            }
            use io::ErrorKind as K;
            match io.kind() {
                K::TimedOut | K::WouldBlock => TransportError::Timeout(timeout.as_secs()),
                K::ConnectionRefused
                | K::HostUnreachable
                | K::NetworkUnreachable
                | K::AddrNotAvailable => TransportError::Connect(io.to_string()),
                K::ConnectionReset | K::ConnectionAborted => {
                    TransportError::Closed("reset by the BMC".into())
                }
                K::UnexpectedEof | K::BrokenPipe => {
                    TransportError::Closed("the BMC hung up without an answer".into())
                }
                K::InvalidData => TransportError::Protocol(io.to_string()),
                _ => TransportError::Closed(io.to_string()),
            }
        }
        other => TransportError::Protocol(other.to_string()),
    }
}

/// The interface index of a link-local zone (`eth0`, or a number).
fn scope_id(zone: &str) -> Result<u32, TransportError> {
    if let Ok(n) = zone.parse::<u32>() {
        return Ok(n);
    }
    crate::platform::interface_index(zone).ok_or_else(|| {
        TransportError::Connect(format!(
            "no network interface {zone} for the link-local address; check the name after %"
        ))
    })
}

/// BMCs are mostly addressed by IP: those need no lookup, and no thread that ureq's
/// resolver would start to time a lookup out. A link-local address gets its zone here.
#[derive(Debug, Default)]
struct LiteralResolver {
    dns: DefaultResolver,
    scope: Option<u32>,
}

impl Resolver for LiteralResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let literal = uri.host().and_then(|h| {
            h.trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .ok()
        });
        match (literal, uri.port_u16()) {
            (Some(ip), Some(port)) => {
                let mut addrs = self.empty();
                addrs.push(match (ip, self.scope) {
                    (std::net::IpAddr::V6(v6), Some(scope)) => {
                        std::net::SocketAddrV6::new(v6, port, 0, scope).into()
                    }
                    _ => std::net::SocketAddr::new(ip, port),
                });
                Ok(addrs)
            }
            // A failed lookup comes back as a bare io::Error; it is not a closed connection.
            _ => self.dns.resolve(uri, config, timeout).map_err(|e| match e {
                ureq::Error::Io(_) => ureq::Error::HostNotFound,
                e => e,
            }),
        }
    }
}

/// First in the chain: counts the new connections begun.
#[derive(Debug)]
struct Counting(Arc<AtomicUsize>);

impl<In: UreqTransport> Connector<In> for Counting {
    type Out = In;

    fn connect(
        &self,
        _: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Ok(chained)
    }
}

/// Wraps the TCP transport (direct, or tunnelled through a proxy) in rustls with our own
/// verifier (ureq's connector takes no custom verifier, and trust-on-first-use needs one).
#[derive(Debug)]
struct TlsConnector {
    config: Option<Arc<ClientConfig>>,
    tunnels: Arc<AtomicUsize>,
    /// The BMC's name and port: ureq also runs this chain for the connection to a proxy
    /// itself, which is not a tunnel to the BMC.
    bmc: (String, u16),
}

impl<In: UreqTransport> Connector<In> for TlsConnector {
    type Out = Either<In, TlsTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        let Some(transport) = chained else {
            return Ok(None);
        };
        let target = details.uri.host().unwrap_or("");
        let target = target.trim_start_matches('[').trim_end_matches(']');
        if (target, details.uri.port_u16()) == (self.bmc.0.as_str(), Some(self.bmc.1)) {
            self.tunnels.fetch_add(1, Ordering::Relaxed);
        }
        let Some(config) = self.config.clone().filter(|_| details.needs_tls()) else {
            return Ok(Some(Either::A(transport)));
        };
        let host = details
            .uri
            .host()
            .ok_or(ureq::Error::Tls("no host name for TLS"))?;
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let name = rustls::pki_types::ServerName::try_from(bare)
            .map_err(|_| ureq::Error::Tls("invalid TLS server name"))?
            .to_owned();
        let mut conn = ClientConnection::new(config, name)?;
        let mut sock = TransportAdapter::new(transport.boxed(), details.current_time.clone());
        sock.set_timeout(details.timeout);
        let mut sniff = Sniff {
            inner: &mut sock,
            first: Vec::new(),
        };
        let handshake = conn.complete_io(&mut sniff);
        let offered = tls::offered_version(&sniff.first);
        handshake.map_err(|e| {
            use io::ErrorKind as K;
            match e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                Some(rustls::Error::PeerIncompatible(
                    rustls::PeerIncompatible::ServerDoesNotSupportTls12Or13,
                )) if offered.is_some() => ureq::Error::Tls(offered.unwrap_or_default()),
                Some(r) => ureq::Error::Rustls(r.clone()),
                None if matches!(
                    e.kind(),
                    K::UnexpectedEof | K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe
                ) =>
                {
                    ureq::Error::Tls(
                        "the BMC closed the connection during the handshake; it may refuse this client's TLS versions or ciphers, or accept no more connections: check its TLS settings, or retry later",
                    )
                }
                // A handshake that timed out is a timeout, not a closed connection.
                None => ureq::Error::from(e),
            }
        })?;
        let buffers = LazyBuffers::new(
            details.config.input_buffer_size(),
            details.config.output_buffer_size(),
        );
        Ok(Some(Either::B(TlsTransport {
            buffers,
            stream: StreamOwned { conn, sock },
        })))
    }
}

/// The handshake's socket, keeping the first bytes the BMC sent: what it offered, for a
/// refusal in words.
struct Sniff<'a, T> {
    inner: &'a mut T,
    first: Vec<u8>,
}

impl<T: Read> Read for Sniff<'_, T> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let room = 16usize.saturating_sub(self.first.len()).min(n);
        self.first.extend_from_slice(&buf[..room]);
        Ok(n)
    }
}

impl<T: Write> Write for Sniff<'_, T> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

struct TlsTransport {
    buffers: LazyBuffers,
    stream: StreamOwned<ClientConnection, TransportAdapter>,
}

impl fmt::Debug for TlsTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TlsTransport")
    }
}

impl UreqTransport for TlsTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        let output = &self.buffers.output()[..amount];
        self.stream.write_all(output)?;
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        let input = self.buffers.input_append_buf();
        let amount = self.stream.read(input)?;
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        self.stream.get_mut().get_mut().is_open()
    }

    fn is_tls(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_stay_on_the_origin() {
        let h = Host::parse("bmc1:8443").unwrap();
        assert_eq!(
            same_origin_path(&h, "/redfish/v1/"),
            Some("/redfish/v1/".into())
        );
        assert_eq!(
            same_origin_path(&h, "https://BMC1:8443/redfish/v1/x"),
            Some("/redfish/v1/x".into())
        );
        assert_eq!(same_origin_path(&h, "https://bmc1/redfish/v1/x"), None);
        assert_eq!(same_origin_path(&h, "http://bmc1:8443/redfish/v1/x"), None);
        assert_eq!(same_origin_path(&h, "https://evil:8443/redfish/v1/x"), None);
        assert_eq!(same_origin_path(&h, "//evil/redfish"), None);
    }

    #[test]
    fn errors_cross_the_keeper_socket_unchanged() {
        for e in [
            TransportError::Timeout(7),
            TransportError::Connect("refused".into()),
            TransportError::CertChanged {
                pinned: "AA:BB".into(),
                now: "CC:DD".into(),
                host: "https://bmc1".into(),
            },
            TransportError::MayHaveApplied {
                method: "POST".into(),
                detail: "the BMC hung up".into(),
            },
            TransportError::Proxy {
                proxy: "http://p:3128".into(),
                detail: "refused".into(),
            },
        ] {
            let text = e.to_string();
            assert_eq!(TransportError::from_wire(e.to_wire()).to_string(), text);
        }
    }

    #[test]
    fn proxy_passwords_are_never_shown() {
        assert_eq!(
            redact_proxy("socks5h://ops:hunter2@127.0.0.1:1080"),
            "socks5h://ops:***@127.0.0.1:1080"
        );
        assert_eq!(redact_proxy("http://proxy:3128"), "http://proxy:3128");
        for (given, shown) in [
            ("ops:hunter2@127.0.0.1:3128", "ops:***@127.0.0.1:3128"),
            (
                "http://ops:hun@ter2@proxy:3128",
                "http://ops:***@proxy:3128",
            ),
            (
                "http://ops:hunter2/x@proxy:3128/",
                "http://ops:***@proxy:3128/",
            ),
            ("hunter2@proxy:3128", "***@proxy:3128"),
            ("proxy:3128", "proxy:3128"),
        ] {
            assert_eq!(redact_proxy(given), shown);
        }
    }

    #[test]
    fn relative_references_resolve_against_the_request() {
        let r = |b, l| resolve_reference(b, l).unwrap();
        assert_eq!(
            r("/redfish/v1/Redirect/Rel", "Systems/1"),
            "/redfish/v1/Redirect/Systems/1"
        );
        assert_eq!(r("/redfish/v1/Systems/", "1"), "/redfish/v1/Systems/1");
        assert_eq!(
            r("/redfish/v1/a/b", "../Systems/1?x=1"),
            "/redfish/v1/Systems/1?x=1"
        );
        assert_eq!(r("/redfish/v1/a", "/redfish/v1/b"), "/redfish/v1/b");
        assert_eq!(r("/x", "https://evil/redfish"), "https://evil/redfish");
    }
}
