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
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::{ClientConfig, ClientConnection, StreamOwned};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{
    Buffers, ConnectProxyConnector, ConnectionDetails, Connector, Either, NextTimeout,
    SocksConnector, TcpConnector, Transport as UreqTransport, TransportAdapter,
};

use crate::host::{Host, Scheme};
use crate::keeper;
use crate::secret::Secret;
use crate::tls::{self, SeenCert, TlsSetupError, Trust};
use zeroize::Zeroizing;

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
    /// Send through the keeper when it serves this host (connection persistence).
    pub keeper: Option<keeper::Link>,
    /// HTTP Basic credentials (the whole `Authorization` value), sent instead of the token
    /// on every authenticated request: for a service without sessions, or a full table.
    pub basic: Option<Secret>,
    /// Where the system's CA certificates are kept decoded between calls (`tls`).
    pub roots_cache: Option<PathBuf>,
}

/// The `Authorization` value for HTTP Basic (RFC 7617).
pub fn basic_authorization(user: &str, password: &Secret) -> Secret {
    let pair = zeroize::Zeroizing::new(format!("{user}:{}", password.expose()).into_bytes());
    let mut out = String::with_capacity(6 + pair.len().div_ceil(3) * 4);
    out.push_str("Basic ");
    crate::x509::base64_into(&pair, &mut out);
    Secret::new(out)
}

/// The methods a write sends (GET and the session protocol's own requests are the
/// protocol's business).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Post,
    Patch,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The largest request head this transport sends: it bounds the token the session layer
/// accepts, so that any cached token can still be sent (and its session deleted).
pub const MAX_REQUEST_HEAD: usize = 64 * 1024;

/// Serializable so that a keeper hands a client the error a direct call would have given
/// (`Setup` and `Output` never cross: see `for_the_wire`).
#[derive(Debug, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum TransportError {
    #[error("cannot resolve the host name; check the name and DNS")]
    Resolve,
    #[error("cannot connect ({0}); check HOST, the port and that the BMC's web service is up")]
    Connect(String),
    #[error("no answer within {}; the BMC is slow or hung: retry later or raise --timeout", crate::timefmt::compact(*.0))]
    Timeout(Duration),
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
    #[serde(skip)]
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
    #[error(
        "refused to send a request to {0}: not a path on the host logged in to (the token goes only to the host that issued it)"
    )]
    NotAPath(String),
    #[error(
        "the keeper was busy with another request to this host until the --timeout ran out; the {method} was not sent: retry, raise --timeout, or pass --no-persist"
    )]
    KeeperBusy { method: String },
    #[error("cannot write the response: {0}")]
    #[serde(skip)]
    Output(io::Error),
    #[error(
        "the proxy {proxy} failed ({detail}); check the proxy and --proxy/HTTPS_PROXY/NO_PROXY"
    )]
    Proxy { proxy: String, detail: String },
}

/// One request as the loop of redirects and retries hands it to an exchange.
#[derive(Clone, Copy)]
struct Req<'a> {
    method: &'a str,
    path: &'a str,
    token: Option<&'a Secret>,
    json: Option<&'a [u8]>,
    headers: &'a [(&'a str, &'a str)],
}

/// A connection setting to one BMC.
pub struct Transport {
    host: Host,
    agent: ureq::Agent,
    options: Options,
    /// `--timeout` and when it is up; a keeper sets both per request (`limit`).
    timeout: Cell<Duration>,
    deadline: Cell<Instant>,
    seen: SeenCert,
    /// New connections begun, and those that got past the proxy: a failure between the two
    /// is the proxy's.
    attempts: Arc<AtomicUsize>,
    tunnels: Arc<AtomicUsize>,
    /// The size of the request head about to be written, for the output buffer.
    head: Arc<AtomicUsize>,
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
    /// Requests carry HTTP Basic credentials, not a session token.
    pub fn basic(&self) -> bool {
        self.options.basic.is_some()
    }

    pub fn new(host: &Host, options: Options) -> Result<Transport, TransportError> {
        let seen: SeenCert = Arc::new(Mutex::new(tls::Seen::default()));
        let tls = match host.scheme {
            Scheme::Https => Some(tls::client_config(
                &options.trust,
                &options.hint,
                seen.clone(),
                options.roots_cache.as_deref(),
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
        // Under TLS, the socket's own buffers only carry TLS records: small ones do.
        let tcp_config = (host.scheme == Scheme::Https).then(|| {
            ureq::Agent::config_builder()
                .input_buffer_size(8 * 1024)
                .output_buffer_size(4 * 1024)
                .build()
        });
        let head = Arc::new(AtomicUsize::new(0));
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .save_redirect_history(false)
            .proxy(proxy)
            .user_agent(concat!("rfsession/", env!("CARGO_PKG_VERSION")))
            .accept("application/json")
            .timeout_global(Some(options.timeout))
            // A kept connection lives as long as the keeper holds the host, not ureq's 15 s.
            .max_idle_age(Duration::from_secs(7 * 24 * 3600))
            .max_idle_connections_per_host(2)
            // Plain http only (TLS connections size their buffers as needed, see `Elastic`):
            // 64 KiB holds the largest response head ureq accepts.
            .input_buffer_size(64 * 1024)
            .output_buffer_size(MAX_REQUEST_HEAD)
            .build();
        let attempts = Arc::new(AtomicUsize::new(0));
        let tunnels = Arc::new(AtomicUsize::new(0));
        let connector = ()
            .chain(Counting(attempts.clone()))
            .chain(SocksConnector::default())
            .chain(ConnectProxyConnector::default())
            .chain(SmallTcp {
                tcp: TcpConnector::default(),
                config: tcp_config,
            })
            .chain(TlsConnector {
                config: tls,
                head: head.clone(),
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
            timeout: Cell::new(options.timeout),
            options,
            seen,
            attempts,
            tunnels,
            head,
        })
    }

    /// Wait as a documented retry says to, without eating into the requests' time.
    pub fn pause(&self, d: Duration) {
        std::thread::sleep(d);
        self.deadline.set(self.deadline.get() + d);
    }

    /// A new `--timeout` from now: each poll of a long task gets its own.
    pub fn renew_deadline(&self) {
        self.deadline.set(Instant::now() + self.timeout.get());
    }

    /// The client's `--timeout` and deadline, for a request a keeper sends for it.
    pub fn limit(&self, timeout: Duration, deadline: Instant) {
        self.timeout.set(timeout);
        self.deadline.set(deadline);
    }

    fn remaining(&self) -> Result<Duration, TransportError> {
        match self.deadline.get().checked_duration_since(Instant::now()) {
            Some(d) if !d.is_zero() => Ok(d),
            _ => Err(TransportError::Timeout(self.timeout.get())),
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
            let result = self.send_once(&Req {
                method,
                path: &path,
                token,
                json,
                headers,
            });
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
            let target = crate::links::on_host(&self.host, &path, &location)
                .ok_or_else(|| TransportError::ForeignRedirect(location.clone()))?;
            if redirected {
                return Ok(resp);
            }
            redirected = true;
            path = target;
        }
    }

    /// One exchange, through the keeper or directly: the same log lines either way.
    fn send_once(&self, req: &Req) -> Result<Response, TransportError> {
        let (method, path) = (req.method, req.path);
        plain_path(path)?;
        self.log(format_args!("> {method} {}{path}", self.host.origin()));
        if let Some(p) = &self.options.proxy {
            self.log(format_args!("* through the proxy {}", redact_proxy(p)));
        }
        for (name, value) in req.headers {
            let shown = if is_secret_header(name) {
                "<redacted>"
            } else {
                value
            };
            self.log(format_args!("> {name}: {shown}"));
        }
        if req.token.is_some() {
            let name = match self.options.basic {
                Some(_) => "Authorization",
                None => "X-Auth-Token",
            };
            self.log(format_args!("> {name}: <redacted>"));
        }
        if let Some(body) = req.json {
            self.log(format_args!("> Content-Type: application/json"));
            if self.options.verbose {
                self.log(format_args!("> {}", shown_body(body)));
            }
        }
        let kept = match &self.options.keeper {
            Some(link) => self.via_keeper(link, req),
            None => Ok(None),
        };
        let resp = match kept {
            Ok(Some(resp)) => Ok(resp),
            Ok(None) => self.direct(req),
            Err(e) => Err(e),
        }
        .inspect_err(|e| self.log(format_args!("! {e}")))?;
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

    /// The exchange on this process's own connection.
    fn direct(&self, req: &Req) -> Result<Response, TransportError> {
        let Req {
            method,
            path,
            token,
            json,
            headers,
        } = *req;
        // A keeper's requests come here without passing `send_once`.
        plain_path(path)?;
        let url = format!("{}{}", self.host.origin(), path);
        let remaining = self.remaining()?;
        let (attempts, tunnels) = (
            self.attempts.load(Ordering::Relaxed),
            self.tunnels.load(Ordering::Relaxed),
        );
        // What ureq writes: request line, these headers, the token, and its own few.
        let head = url.len()
            + headers
                .iter()
                .map(|(k, v)| k.len() + v.len() + 4)
                .sum::<usize>()
            + token.map_or(0, |t| t.expose().len() + 16)
            + 512;
        self.head.store(head, Ordering::Relaxed);
        let mut req = ureq::http::Request::builder().method(method).uri(&url);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        match (token, &self.options.basic) {
            (Some(_), Some(basic)) => {
                req = req.header("Authorization", basic.expose());
            }
            (Some(t), None) => {
                req = req.header("X-Auth-Token", t.expose());
            }
            (None, _) => {}
        }
        let result = match json {
            Some(body) => {
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
            let mapped = map_error(e, pinned.zip(self.seen_certificate()), self.timeout.get());
            match mapped {
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
            }
        })?;
        let (parts, body) = resp.into_parts();
        Ok(Response {
            status: parts.status.as_u16(),
            path: path.to_owned(),
            headers: parts.headers,
            body: Source::Direct(body),
            timeout: self.timeout.get(),
        })
    }

    /// The exchange through the keeper. Ok(None): no keeper serves this call and nothing
    /// was sent; connect directly. A keeper that ends after taking the request may have
    /// sent it: a GET is sent again directly, a write is not.
    fn via_keeper(
        &self,
        link: &keeper::Link,
        req: &Req,
    ) -> Result<Option<Response>, TransportError> {
        let (method, path) = (req.method, req.path);
        // The token among them: zeroed however the exchange ends.
        let mut all: Zeroizing<Vec<(String, String)>> = Zeroizing::new(
            req.headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        );
        if let Some(t) = req.token {
            all.push(("X-Auth-Token".into(), t.expose().to_owned()));
        }
        let deadline = self.deadline.get();
        if deadline <= Instant::now() {
            return Err(TransportError::Timeout(self.timeout.get()));
        }
        let exchanged = keeper::exchange(
            link,
            method,
            path,
            all,
            req.json,
            self.timeout.get(),
            deadline,
        );
        let (status, headers, body) = match exchanged {
            keeper::Exchanged::Direct => return Ok(None),
            keeper::Exchanged::Head {
                status,
                headers,
                seen,
                body,
            } => {
                *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = seen;
                (status, headers, body)
            }
            keeper::Exchanged::Busy => {
                self.log(format_args!("* the keeper was busy on this host"));
                return Err(TransportError::KeeperBusy {
                    method: method.to_owned(),
                });
            }
            keeper::Exchanged::Failed(e) => {
                self.log(format_args!("* through the keeper"));
                return Err(e);
            }
            keeper::Exchanged::Lost(_) if method == "GET" => {
                self.log(format_args!(
                    "* the keeper ended mid-request; sending directly"
                ));
                return Ok(None);
            }
            keeper::Exchanged::Lost(e) => {
                return Err(TransportError::MayHaveApplied {
                    method: method.to_owned(),
                    detail: format!("the keeper ended mid-request: {e}"),
                });
            }
        };
        self.log(format_args!("* through the keeper"));
        let mut map = ureq::http::HeaderMap::new();
        for (k, v) in headers.iter() {
            if let (Ok(k), Ok(v)) = (
                ureq::http::HeaderName::from_bytes(k.as_bytes()),
                ureq::http::HeaderValue::from_str(v),
            ) {
                map.append(k, v);
            }
        }
        Ok(Some(Response {
            status,
            path: path.to_owned(),
            headers: map,
            body: Source::Keeper(Box::new(body)),
            timeout: self.timeout.get(),
        }))
    }

    /// One request as a keeper was asked it (headers as given, token among them), on the
    /// kept connection, within the client's limits (see `limit`).
    pub fn send_for_keeper(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<Response, TransportError> {
        let token = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("x-auth-token"))
            .map(|(_, v)| Secret::new((*v).to_owned()));
        let rest: Vec<(&str, &str)> = headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("x-auth-token"))
            .copied()
            .collect();
        self.direct(&Req {
            method,
            path,
            token: token.as_ref(),
            json: body,
            headers: &rest,
        })
    }

    fn log(&self, line: fmt::Arguments) {
        if self.options.verbose {
            // Headers and certificate names are the BMC's text: never raw on a terminal.
            let line = line.to_string();
            let _ = writeln!(
                io::stderr().lock(),
                "{}",
                crate::output::escape_controls(&line)
            );
        }
    }
}

impl TransportError {
    /// The error as a keeper hands it to a client: the two that hold no plain data go as
    /// their text (neither arises there: the client built the same TLS setup already).
    pub fn for_the_wire(self) -> TransportError {
        match self {
            e @ (TransportError::Setup(_) | TransportError::Output(_)) => {
                TransportError::Protocol(e.to_string())
            }
            e => e,
        }
    }
}

/// The URL is the origin and the path: anything but a plain path could name another host
/// (`@evil`, `//evil`). Links from the BMC were reduced by `links` already; this is the last
/// word before anything is sent.
fn plain_path(path: &str) -> Result<(), TransportError> {
    if path.starts_with('/')
        && !path.starts_with("//")
        && path.chars().all(|c| c.is_ascii_graphic())
    {
        return Ok(());
    }
    Err(TransportError::NotAPath(format!(
        "{:?}",
        path.chars().take(200).collect::<String>()
    )))
}

/// A proxy URL as shown: its credentials never (the one redaction of URLs, in `host`).
pub use crate::host::redact_userinfo as redact_proxy;

/// The reason phrase of a status code (`204` -> `No Content`), empty when none is known.
pub fn reason(status: u16) -> &'static str {
    ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

/// A request body as -v shows it: compact JSON with every `Password` value redacted
/// (a login's, an account's), or its size when it is not JSON.
fn shown_body(body: &[u8]) -> String {
    fn redact(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m.iter_mut() {
                    if k.to_ascii_lowercase().contains("password") && !v.is_null() {
                        *v = serde_json::Value::String("<redacted>".into());
                    } else {
                        redact(v);
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(redact),
            _ => {}
        }
    }
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(mut v) => {
            redact(&mut v);
            v.to_string()
        }
        Err(_) => format!("<{} bytes, not JSON>", body.len()),
    }
}

fn is_secret_header(name: &str) -> bool {
    ["x-auth-token", "authorization", "cookie", "set-cookie"]
        .iter()
        .any(|s| name.eq_ignore_ascii_case(s))
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
        E::Timeout(_) => TransportError::Timeout(timeout),
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
                K::TimedOut | K::WouldBlock => TransportError::Timeout(timeout),
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
    head: Arc<AtomicUsize>,
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
        Ok(Some(Either::B(TlsTransport {
            buffers: Elastic {
                head: self.head.clone(),
                ..Elastic::default()
            },
            stream: StreamOwned { conn, sock },
        })))
    }
}

/// ureq's buffers for a TLS connection, sized to what each request needs instead of fixed
/// (ureq's LazyBuffers keep their full size for the connection's life): the input starts at
/// 8 KiB and doubles while a response head does not fit (ureq still refuses heads over its
/// limit), the output holds the head being sent, and both return to their small size
/// between requests. A keeper holding a thousand connections keeps kilobytes per host.
#[derive(Debug, Default)]
struct Elastic {
    input: Vec<u8>,
    filled: usize,
    consumed: usize,
    output: Vec<u8>,
    /// The next request head's size, set by `Transport::direct`.
    head: Arc<AtomicUsize>,
    progress: bool,
}

impl Elastic {
    const INPUT: usize = 8 * 1024;
    const OUTPUT: usize = 2 * 1024;
    /// ureq's own floor for the space it reads a request body into.
    const TMP: usize = 10 * 1024;

    /// At least `free` bytes free after the unconsumed input, which moves to the front.
    fn room(&mut self, free: usize) {
        if self.consumed > 0 {
            self.input.copy_within(self.consumed..self.filled, 0);
            self.filled -= self.consumed;
            self.consumed = 0;
        }
        if self.filled == 0 && self.input.len() > Self::INPUT.max(free) {
            self.input = Vec::new(); // Back to small between requests.
        }
        if self.input.len() - self.filled < free {
            let size = (self.filled + free)
                .max(self.input.len() * 2)
                .max(Self::INPUT);
            self.input.resize(size, 0);
        }
    }
}

impl Buffers for Elastic {
    fn output(&mut self) -> &mut [u8] {
        let want = self.head.load(Ordering::Relaxed).max(Self::OUTPUT);
        if self.output.len() < want {
            self.output.resize(want, 0);
        }
        &mut self.output
    }

    fn input(&self) -> &[u8] {
        &self.input[self.consumed..self.filled]
    }

    fn input_append_buf(&mut self) -> &mut [u8] {
        // Reading an answer: the request went out, its head buffer can go.
        if self.output.len() > Self::OUTPUT {
            self.output = Vec::new();
        }
        let full = self.filled == self.input.len();
        self.room(if full { self.input.len().max(1) } else { 1 });
        &mut self.input[self.filled..]
    }

    fn input_appended(&mut self, amount: usize) {
        self.filled += amount;
    }

    fn input_consume(&mut self, amount: usize) {
        self.progress = amount > 0;
        self.consumed += amount;
        if self.consumed >= self.filled {
            self.consumed = 0;
            self.filled = 0;
        }
    }

    fn tmp_and_output(&mut self) -> (&mut [u8], &mut [u8]) {
        self.room(Self::TMP);
        self.output();
        (&mut self.input[self.filled..], &mut self.output)
    }

    fn can_use_input(&self) -> bool {
        self.filled > self.consumed && self.progress
    }
}

/// ureq's TCP connector, with buffers of their own size (small under TLS) instead of the
/// HTTP buffers' (see `Elastic`).
#[derive(Debug)]
struct SmallTcp {
    tcp: TcpConnector,
    config: Option<ureq::config::Config>,
}

impl<In: UreqTransport> Connector<In> for SmallTcp {
    type Out = <TcpConnector as Connector<In>>::Out;

    fn connect(
        &self,
        d: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        let Some(config) = self.config.as_ref().filter(|_| chained.is_none()) else {
            return self.tcp.connect(d, chained);
        };
        let small = ConnectionDetails {
            uri: d.uri,
            addrs: d.addrs.clone(),
            config,
            request_level: d.request_level,
            resolver: d.resolver,
            now: d.now,
            timeout: d.timeout,
            current_time: d.current_time.clone(),
            run_connector: d.run_connector.clone(),
            register_shutdown: d.register_shutdown.clone(),
        };
        self.tcp.connect(&small, None)
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
    buffers: Elastic,
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
    fn basic_credentials_as_rfc_7617_writes_them() {
        let b = |u: &str, p: &str| {
            basic_authorization(u, &Secret::new(p.into()))
                .expose()
                .to_owned()
        };
        assert_eq!(
            b("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(b("a", "b"), "Basic YTpi");
        assert_eq!(b("ab", "c"), "Basic YWI6Yw==");
    }

    #[test]
    fn errors_cross_the_keeper_socket_unchanged() {
        for e in [
            TransportError::Timeout(Duration::from_secs(7)),
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
            let wire = serde_json::to_string(&e.for_the_wire()).unwrap();
            let back: TransportError = serde_json::from_str(&wire).unwrap();
            assert_eq!(back.to_string(), text);
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
    fn only_plain_paths_are_sent() {
        assert!(plain_path("/redfish/v1/Systems?$top=2").is_ok());
        for bad in [
            "@127.0.0.2/x",
            "//127.0.0.2/x",
            "redfish/v1",
            "/a b",
            "/\u{1b}",
            "/é",
            "",
        ] {
            assert!(plain_path(bad).is_err(), "{bad:?}");
        }
    }
}
