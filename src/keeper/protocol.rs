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
//! deadline passed while the keeper was busy) never has its request sent later. Nor does a
//! keeper of another version (still running after an upgrade, its `Ready` not this one's):
//! it may not honour what this version's `Ask` says, so the client connects itself.

use std::ffi::OsString;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::host::Host;
use crate::tls::{Seen, Trust};
use crate::transport::TransportError;

/// This version of what follows; changed whenever a message's meaning changes.
pub const PROTOCOL: u32 = 2;

/// What must be the same before a kept connection carries a request: the host, the trust
/// the connection was verified with, and the proxy it goes through.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Key {
    pub host: Host,
    pub trust: Trust,
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
    pub headers: Vec<(String, String)>,
    /// The body's length; None: no body (not even an empty one).
    pub body_len: Option<usize>,
    /// The client's `tls::system_store_env`: a keeper started with other values does not
    /// serve a host verified with the system's store, whose CAs may not be the client's.
    #[serde(default)]
    pub system_store: Vec<Option<OsString>>,
}

/// The client's word that it still waits: only then is the request sent.
#[derive(Debug, Serialize, Deserialize)]
pub struct Go;

#[derive(Debug, Serialize, Deserialize)]
pub enum Reply {
    /// The host's connection is free; the request goes out on the client's `Go`, given only
    /// if `protocol` is the client's own `PROTOCOL`.
    Ready { protocol: u32 },
    /// The BMC's answer head; its body follows until the socket closes.
    Head {
        status: u16,
        headers: Vec<(String, String)>,
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

/// One message as its line.
pub fn line<T: Serialize>(msg: &T) -> std::io::Result<Vec<u8>> {
    let mut v = serde_json::to_vec(msg).map_err(std::io::Error::other)?;
    v.push(b'\n');
    Ok(v)
}

/// One line as its message.
pub fn parse<'a, T: Deserialize<'a>>(line: &'a str) -> std::io::Result<T> {
    serde_json::from_str(line).map_err(std::io::Error::other)
}
