//! What a client and the keeper say to each other over the keeper's Unix socket, shared by
//! both sides (as sccache's `protocol.rs`). One exchange per socket connection, each message
//! one JSON line:
//!
//! ```text
//! client: Request::Send(Ask)    + body_len bytes of body
//! keeper: Reply::Ready { protocol }     (the host's connection is free; nothing sent yet)
//! client: Go                             (still waiting, before its deadline)
//! keeper: Reply::Head {..} + the body until it closes, or Reply::Failed
//! ```
//!
//! The keeper sends nothing to the BMC before the client's `Go`: a client that gave up (its
//! deadline passed while the keeper was busy) never has its request sent later.

use std::io::{self, BufRead, Read, Write};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::host::Host;
use crate::tls::{Seen, StoreFile, Trust};
use crate::transport::TransportError;

/// This version of what follows; changed whenever a message's meaning changes. It names the
/// socket and the lock too (`keeper-2.sock`), so a keeper of another version, still running
/// after an upgrade, is never handed a request and a keeper of this one starts beside it.
pub const PROTOCOL: u32 = 2;

/// What must be the same before a kept connection carries a request: the host, the trust
/// the connection was verified with (and the files behind it, as they were), and the proxy it
/// goes through.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Key {
    pub host: Host,
    pub trust: Trust,
    /// `tls::store_files` of `trust`, as the client found them: a keeper that finds other
    /// files behind the system's store (another `SSL_CERT_*`, another mount namespace, a
    /// changed store) does not serve the call.
    #[serde(default)]
    pub store: Vec<StoreFile>,
    /// The proxy URL, credentials included (it travels over the private socket only).
    pub proxy: Option<String>,
    /// What a refused certificate's message says to do (as the client's own would).
    pub hint: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub enum Request {
    /// Send one request on the kept connection for its key.
    Send(Box<Ask>),
    /// Close the connections to this host (logout).
    Stop { host: Host },
    /// Which hosts are held.
    Status,
}

/// One request for the BMC, with what the keeper needs to send it as the client would.
#[derive(Debug, Serialize, Deserialize)]
pub struct Ask {
    pub key: Key,
    /// Persistence on (`--persist`): open and keep the connection for this many
    /// milliseconds without a request. None: only if the keeper already holds the host.
    pub hold_ms: Option<u64>,
    /// The client's `--timeout`, for the same messages as a direct call.
    pub timeout_ms: u64,
    /// When the client gives up, on the machine's monotonic clock (see `now_ms`).
    pub deadline_ms: u64,
    pub method: String,
    pub path: String,
    /// As sent, the token among them.
    pub headers: Zeroizing<Vec<(String, String)>>,
    /// The body's length; None: no body (not even an empty one).
    pub body_len: Option<usize>,
}

/// The client's word that it still waits: only then is the request sent.
#[derive(Debug, Serialize, Deserialize)]
pub struct Go;

#[derive(Debug, Serialize, Deserialize)]
pub enum Reply {
    /// The host's connection is free; the request goes out on the client's `Go`, given only
    /// if `protocol` is the client's own `PROTOCOL`.
    Ready {
        protocol: u32,
    },
    /// The BMC's answer head; its body follows until the socket closes.
    Head {
        status: u16,
        headers: Zeroizing<Vec<(String, String)>>,
        /// What the connection's handshake showed, for a login to pin or remember.
        seen: Seen,
    },
    /// The transport's error, as a direct call would have given it (taken only from a keeper
    /// of this `protocol`: another may have connected with other trust).
    Failed {
        error: TransportError,
        protocol: u32,
    },
    /// Persistence is off for this call and the keeper holds no connection for its key:
    /// the client connects directly.
    NotHeld,
    Stopped,
    Status {
        pid: u32,
        hosts: Vec<Host>,
    },
}

/// Milliseconds on CLOCK_MONOTONIC, the same clock in every process of the machine, so a
/// deadline means the same to the client and the keeper.
pub fn now_ms() -> u64 {
    crate::platform::monotonic_ms()
}

/// `deadline` as the monotonic milliseconds of `now_ms`.
pub fn deadline_ms(deadline: Instant) -> u64 {
    now_ms()
        + deadline
            .saturating_duration_since(Instant::now())
            .as_millis() as u64
}

/// The time left until `deadline_ms`; zero once it passed.
pub fn left(deadline_ms: u64) -> Duration {
    Duration::from_millis(deadline_ms.saturating_sub(now_ms()))
}

/// The longest line either side reads: a request's remembered CA certificates (up to 64 KiB
/// of PEM) and headers, escaped, fit many times over.
pub const MAX_LINE: usize = 1 << 20;

/// One message as its line, then `tail` (a request's body), in one buffer of exactly that
/// size: a request carries the token, and a buffer that grew would leave copies behind.
pub fn line<T: Serialize>(msg: &T, tail: &[u8]) -> io::Result<Zeroizing<Vec<u8>>> {
    struct Count(usize);
    impl Write for Count {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0 += b.len();
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    serde_json::to_writer(&mut count, msg).map_err(io::Error::other)?;
    let mut v = Zeroizing::new(Vec::with_capacity(count.0 + 1 + tail.len()));
    serde_json::to_writer(&mut *v, msg).map_err(io::Error::other)?;
    v.push(b'\n');
    v.extend_from_slice(tail);
    Ok(v)
}

/// One line as its message.
pub fn parse<'a, T: Deserialize<'a>>(line: &'a [u8]) -> io::Result<T> {
    serde_json::from_slice(line).map_err(io::Error::other)
}

/// A buffered reader whose buffer, and each line it hands out, are zeroed when dropped: a
/// request's line carries the token, and so does the answer to a login.
pub struct Wiped<R> {
    inner: R,
    buf: Zeroizing<Vec<u8>>,
    pos: usize,
    filled: usize,
}

impl<R: Read> Wiped<R> {
    pub fn new(inner: R) -> Self {
        Wiped {
            inner,
            buf: Zeroizing::new(vec![0; 8 * 1024]),
            pos: 0,
            filled: 0,
        }
    }

    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// The next line, its newline included; empty at the end of the stream. It grows into a
    /// new buffer, the old one zeroed.
    pub fn line(&mut self) -> io::Result<Zeroizing<Vec<u8>>> {
        let mut line = Zeroizing::new(Vec::with_capacity(1024));
        loop {
            let avail = self.fill_buf()?;
            if avail.is_empty() {
                return Ok(line);
            }
            let end = avail.iter().position(|&b| b == b'\n');
            let take = end.map_or(avail.len(), |i| i + 1);
            if line.len() + take > MAX_LINE {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "a line over 1 MiB",
                ));
            }
            if line.len() + take > line.capacity() {
                let mut bigger = Zeroizing::new(Vec::with_capacity((line.len() + take) * 2));
                bigger.extend_from_slice(&line);
                line = bigger;
            }
            line.extend_from_slice(&avail[..take]);
            self.consume(take);
            if end.is_some() {
                return Ok(line);
            }
        }
    }
}

impl<R: Read> Read for Wiped<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Wiped<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos >= self.filled {
            match self.inner.read(&mut self.buf) {
                Ok(n) => {
                    (self.filled, self.pos) = (n, 0);
                    break;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(&self.buf[self.pos..self.filled])
    }

    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.filled);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wiped_lines_span_buffers_and_leave_the_rest_to_read() {
        let long = "x".repeat(20_000);
        let input = format!("{long}\nshort\nbody");
        let mut r = Wiped::new(input.as_bytes());
        assert_eq!(&r.line().unwrap()[..], format!("{long}\n").as_bytes());
        assert_eq!(&r.line().unwrap()[..], b"short\n");
        let mut rest = Vec::new();
        r.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, b"body");
        assert!(r.line().unwrap().is_empty());
        let huge = "y".repeat(MAX_LINE + 1);
        let err = Wiped::new(huge.as_bytes()).line().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn a_line_is_exactly_its_size_with_the_body_after_it() {
        let v = line(&Go, b"body").unwrap();
        assert_eq!(&v[..], b"null\nbody");
        assert_eq!(v.capacity(), v.len());
    }
}
