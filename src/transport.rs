//! HTTP over rustls to one BMC. Knows nothing of Redfish or of the cache.
//!
//! Redirects are never followed automatically: ureq keeps `X-Auth-Token` across a redirect,
//! so a token-bearing request follows one only to the same scheme, host and port.

use std::fmt;
use std::io::{self, Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::{ClientConfig, ClientConnection, StreamOwned};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, TcpConnector,
    Transport as UreqTransport, TransportAdapter,
};

use crate::host::{Host, Scheme};
use crate::secret::Secret;
use crate::tls::{self, SeenCert, TlsSetupError, Trust};

#[derive(Debug, Clone)]
pub struct Options {
    pub trust: Trust,
    pub timeout: Duration,
    pub verbose: bool,
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    #[error("cannot resolve the host name; check HOST and DNS")]
    Resolve,
    #[error("cannot connect ({0}); check HOST, the port and that the BMC's web service is up")]
    Connect(String),
    #[error("no answer within {0}s; the BMC is slow or hung: retry later or raise --timeout")]
    Timeout(u64),
    #[error(
        "TLS certificate not trusted ({0}); pass --cacert with the BMC's CA bundle, or -k to pin this certificate on first use"
    )]
    Untrusted(String),
    #[error(
        "the BMC's certificate changed since login (pinned {pinned}, now {now}); the token was not sent. If the change is expected, run: rfsession login HOST -k --force"
    )]
    CertChanged { pinned: String, now: String },
    #[error("TLS handshake failed ({0}); check that HOST speaks HTTPS on that port")]
    Tls(String),
    #[error(transparent)]
    Setup(#[from] TlsSetupError),
    #[error("connection closed mid-request ({0}); retry")]
    Closed(String),
    #[error("malformed HTTP response ({0})")]
    Protocol(String),
    #[error("response body exceeds {0} bytes; use --raw to stream it, or raise --max-body")]
    TooLarge(u64),
    #[error("refused to follow a redirect to {0}: the token goes only to the host that issued it")]
    ForeignRedirect(String),
    #[error("cannot write the response: {0}")]
    Output(io::Error),
}

/// A connection setting to one BMC.
pub struct Transport {
    host: Host,
    agent: ureq::Agent,
    options: Options,
    seen: SeenCert,
}

/// A response whose body has not been read yet.
pub struct Response {
    pub status: u16,
    pub path: String,
    headers: ureq::http::HeaderMap,
    body: ureq::Body,
    timeout: Duration,
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

    /// The whole body, refusing more than `limit` bytes.
    pub fn bytes(&mut self, limit: u64) -> Result<Vec<u8>, TransportError> {
        self.body
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(n) => TransportError::TooLarge(n),
                e => map_error(e, None, self.timeout),
            })
    }

    /// Stream the body to `out` with flat memory.
    pub fn copy_to(&mut self, out: &mut dyn Write) -> Result<u64, TransportError> {
        let mut reader = self.body.with_config().limit(u64::MAX).reader();
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
        let seen: SeenCert = Arc::new(Mutex::new(None));
        let tls = match host.scheme {
            Scheme::Https => Some(tls::client_config(&options.trust, seen.clone())?),
            Scheme::Http => None,
        };
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .save_redirect_history(false)
            .proxy(None)
            .user_agent(concat!("rfsession/", env!("CARGO_PKG_VERSION")))
            .accept("application/json")
            .timeout_global(Some(options.timeout))
            .max_idle_connections_per_host(2)
            // ureq's 128 KiB defaults are zeroed per connection; Redfish requests are small
            // and 64 KiB still holds the largest response head ureq accepts.
            .input_buffer_size(64 * 1024)
            .output_buffer_size(16 * 1024)
            .build();
        let connector = ().chain(TcpConnector::default()).chain(TlsConnector { config: tls });
        let agent = ureq::Agent::with_parts(config, connector, LiteralResolver::default());
        Ok(Transport {
            host: host.clone(),
            agent,
            options,
            seen,
        })
    }

    pub fn host(&self) -> &Host {
        &self.host
    }

    /// The fingerprint of the certificate seen on the last TLS handshake.
    pub fn seen_certificate(&self) -> Option<String> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Send one request to `path` on this host. GETs that fail on a closed connection are
    /// retried once, and a redirect to the same origin is followed once.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&Secret>,
        json: Option<&[u8]>,
    ) -> Result<Response, TransportError> {
        let mut path = path.to_owned();
        let mut redirected = false;
        let mut retried = false;
        loop {
            let result = self.send_once(method, &path, token, json);
            let resp = match result {
                Err(TransportError::Closed(_)) if method == "GET" && !retried => {
                    retried = true;
                    self.log(format_args!("* connection closed; retrying {path} once"));
                    continue;
                }
                r => r?,
            };
            if !matches!(resp.status, 301 | 302 | 303 | 307 | 308) || method != "GET" {
                return Ok(resp);
            }
            let Some(location) = resp.header("location").map(str::to_owned) else {
                return Ok(resp);
            };
            let target = same_origin_path(&self.host, &location)
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
    ) -> Result<Response, TransportError> {
        let url = format!("{}{}", self.host.origin(), path);
        self.log(format_args!("> {method} {url}"));
        let mut req = ureq::http::Request::builder().method(method).uri(&url);
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
                self.agent.run(req)
            }
            None => {
                let req = req
                    .body(())
                    .map_err(|e| TransportError::Protocol(e.to_string()))?;
                self.agent.run(req)
            }
        };
        let resp = result.map_err(|e| {
            let pinned = match &self.options.trust {
                Trust::Pinned(p) => Some(p.as_str()),
                _ => None,
            };
            let mapped = map_error(e, pinned.zip(self.seen_certificate()), self.options.timeout);
            self.log(format_args!("! {mapped}"));
            mapped
        })?;
        let (parts, body) = resp.into_parts();
        let resp = Response {
            status: parts.status.as_u16(),
            path: path.to_owned(),
            headers: parts.headers,
            body,
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

    fn log(&self, line: fmt::Arguments) {
        if self.options.verbose {
            let _ = writeln!(io::stderr().lock(), "{line}");
        }
    }
}

fn is_secret_header(name: &str) -> bool {
    ["x-auth-token", "authorization", "cookie", "set-cookie"]
        .iter()
        .any(|s| name.eq_ignore_ascii_case(s))
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
    (target == *host).then(|| path.to_owned())
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
        };
    }
    match e {
        E::Timeout(_) => TransportError::Timeout(timeout.as_secs()),
        E::HostNotFound => TransportError::Resolve,
        E::ConnectionFailed => TransportError::Connect("connection failed".into()),
        E::Rustls(rustls::Error::InvalidCertificate(c)) => {
            TransportError::Untrusted(format!("{c:?}"))
        }
        E::Rustls(r) => TransportError::Tls(r.to_string()),
        E::Tls(m) => TransportError::Tls(m.to_owned()),
        E::BodyExceedsLimit(n) => TransportError::TooLarge(n),
        E::Protocol(p) => TransportError::Protocol(p.to_string()),
        E::LargeResponseHeader(..) => TransportError::Protocol("response headers too large".into()),
        E::Io(io) => {
            if let Some(r) = io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                return map_error(E::Rustls(r.clone()), None, timeout);
            }
            use io::ErrorKind as K;
            match io.kind() {
                K::TimedOut | K::WouldBlock => TransportError::Timeout(timeout.as_secs()),
                K::ConnectionRefused
                | K::HostUnreachable
                | K::NetworkUnreachable
                | K::AddrNotAvailable => TransportError::Connect(io.to_string()),
                K::ConnectionReset | K::ConnectionAborted | K::UnexpectedEof | K::BrokenPipe => {
                    TransportError::Closed(io.to_string())
                }
                K::InvalidData => TransportError::Protocol(io.to_string()),
                _ => TransportError::Closed(io.to_string()),
            }
        }
        other => TransportError::Protocol(other.to_string()),
    }
}

/// BMCs are mostly addressed by IP: those need no lookup, and no thread that ureq's
/// resolver would start to time a lookup out.
#[derive(Debug, Default)]
struct LiteralResolver(DefaultResolver);

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
                addrs.push(std::net::SocketAddr::new(ip, port));
                Ok(addrs)
            }
            _ => self.0.resolve(uri, config, timeout),
        }
    }
}

/// Wraps the TCP transport in rustls with our own verifier (ureq's connector takes no
/// custom verifier, and trust-on-first-use needs one).
#[derive(Debug)]
struct TlsConnector {
    config: Option<Arc<ClientConfig>>,
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
        conn.complete_io(&mut sock).map_err(|e| {
            match e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                Some(r) => ureq::Error::Rustls(r.clone()),
                None => ureq::Error::Io(e),
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
}
