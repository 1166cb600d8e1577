//! Connection persistence, as ssh's ControlPersist: a keeper process per host holds one
//! kept-alive TLS connection to the BMC and serves later calls of the same user over a Unix
//! socket in the cache directory, so a warm call costs one round trip, not a handshake.
//!
//! One request per socket connection: the client sends a JSON line (method, path, headers,
//! body length, and the trust it would use) and the body; the keeper answers a JSON line
//! (status and headers, or the transport error) and then the body until it closes. Nothing
//! new is exposed: requests carry the token the same user can read from the cache.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::platform::{self, IpcStream};

/// What a client asks the keeper to send.
#[derive(Debug, Serialize, Deserialize)]
pub struct Ask {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body_len: usize,
    /// The trust and proxy the client would connect with; the keeper serves only the same.
    pub trust: String,
    /// Set instead of a request: stop now (logout).
    #[serde(default)]
    pub stop: bool,
}

/// The keeper's answer head: status and headers, or an error of the transport.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// `(kind, detail, number)`: see `transport::TransportError::{to_wire, from_wire}`.
    pub error: Option<(String, String, u64)>,
    /// The keeper does not serve this client (other trust): connect directly.
    #[serde(default)]
    pub declined: bool,
}

/// The keeper's socket and pid files beside the host's entry.
#[derive(Debug, Clone)]
pub struct Place {
    pub socket: PathBuf,
    pub pidfile: PathBuf,
}

impl Place {
    pub fn new(entry: &Path) -> Place {
        Place {
            socket: entry.with_extension("sock"),
            pidfile: entry.with_extension("keeper"),
        }
    }

    /// The keeper's pid, when one is alive and listening. (A keeper killed with -9 may
    /// linger as a zombie where nothing reaps orphans: that one is dead.)
    pub fn live_pid(&self) -> Option<u32> {
        let pid: u32 = std::fs::read_to_string(&self.pidfile)
            .ok()?
            .trim()
            .parse()
            .ok()?;
        (platform::process_alive(pid) && self.socket.exists()).then_some(pid)
    }

    /// Tell a live keeper to stop (logout); silent when there is none.
    pub fn stop(&self) {
        if let Ok(mut s) = IpcStream::connect(&self.socket) {
            let _ = s.set_write_timeout(Some(Duration::from_secs(1)));
            let ask = Ask {
                method: String::new(),
                path: String::new(),
                headers: Vec::new(),
                body_len: 0,
                trust: String::new(),
                stop: true,
            };
            let _ = writeln!(s, "{}", serde_json::to_string(&ask).unwrap_or_default());
            let mut sink = Vec::new();
            let _ = s.set_read_timeout(Some(Duration::from_secs(1)));
            let _ = s.read_to_end(&mut sink);
        }
    }
}

/// Unix socket paths are short (108 bytes); a longer cache path goes without a keeper.
pub fn usable(place: &Place) -> bool {
    place.socket.as_os_str().len() < 100
}

/// Start a keeper for the host, detached: a new session, no stdio, so `$(rfsession get ...)`
/// never waits for it. `args` are this run's global options, so it reaches the BMC as we do.
pub fn spawn(args: &[std::ffi::OsString]) {
    let Ok(me) = std::env::current_exe() else {
        return;
    };
    let mut cmd = Command::new(me);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    platform::detach(&mut cmd);
    // Not waited for: it outlives this process and is reparented.
    let _ = cmd.spawn();
}

/// The client side: send `ask` and `body` to the keeper. None when no keeper answers (no
/// socket, refused, or it declined); the connection after the head streams the body.
pub fn forward(
    place: &Place,
    ask: &Ask,
    body: Option<&[u8]>,
    wait: Duration,
) -> io::Result<Option<(Answer, BufReader<IpcStream>)>> {
    let Ok(mut s) = IpcStream::connect(&place.socket) else {
        return Ok(None);
    };
    s.set_read_timeout(Some(wait))?;
    s.set_write_timeout(Some(wait))?;
    writeln!(
        s,
        "{}",
        serde_json::to_string(ask).map_err(io::Error::other)?
    )?;
    if let Some(b) = body {
        s.write_all(b)?;
    }
    s.flush()?;
    let mut reader = BufReader::new(s);
    let mut head = String::new();
    if reader.read_line(&mut head)? == 0 {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the keeper closed without an answer",
        ));
    }
    let answer: Answer = serde_json::from_str(&head).map_err(io::Error::other)?;
    if answer.declined {
        return Ok(None);
    }
    Ok(Some((answer, reader)))
}

/// What the keeper needs from the layers that use it.
pub trait Serve {
    /// The trust and proxy this keeper connects with, as `Ask::trust`.
    fn trust(&self) -> String;
    /// Is the session it was started for still the cached one (same token and pin)?
    fn still_current(&self) -> bool;
    /// Perform one request; write the answer head and body to `out`.
    fn serve(&self, ask: &Ask, body: &[u8], out: &mut dyn Write) -> io::Result<()>;
}

/// The keeper's loop: serve requests one at a time; exit after `idle` without one, on a
/// stop, when the session changes or goes, or when the socket is gone.
pub fn run(place: &Place, idle: Duration, server: &dyn Serve) -> io::Result<()> {
    if !server.still_current() {
        return Ok(());
    }
    if IpcStream::connect(&place.socket).is_ok() {
        return Ok(()); // Another keeper is serving.
    }
    let _ = std::fs::remove_file(&place.socket);
    let listener = platform::bind_private(&place.socket)?;
    std::fs::write(&place.pidfile, std::process::id().to_string())?;
    let _guard = Cleanup(place.clone());
    let mut last = Instant::now();
    loop {
        if !platform::readable(&listener, Duration::from_secs(1))? {
            if last.elapsed() >= idle || !server.still_current() || !place.socket.exists() {
                return Ok(());
            }
            continue;
        }
        let (conn, _) = listener.accept()?;
        if !platform::peer_is_me(&conn) {
            continue; // Another user: dropped unanswered.
        }
        last = Instant::now();
        // A request that fails only fails its client; stop ends the keeper.
        if let Ok(true) = handle(conn, server) {
            return Ok(());
        }
        if !server.still_current() {
            return Ok(());
        }
    }
}

/// One request; Ok(true) when it said stop.
fn handle(conn: IpcStream, server: &dyn Serve) -> io::Result<bool> {
    conn.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(conn.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let ask: Ask = serde_json::from_str(&line).map_err(io::Error::other)?;
    if ask.stop {
        return Ok(true);
    }
    let mut out = io::BufWriter::with_capacity(64 * 1024, conn);
    if ask.trust != server.trust() {
        // Another pin or proxy than this keeper's: the session changed; step aside.
        let answer = Answer {
            declined: true,
            ..Answer::default()
        };
        writeln!(
            out,
            "{}",
            serde_json::to_string(&answer).map_err(io::Error::other)?
        )?;
        out.flush()?;
        return Ok(true);
    }
    let mut body = vec![0u8; ask.body_len.min(64 << 20)];
    reader.read_exact(&mut body)?;
    server.serve(&ask, &body, &mut out)?;
    out.flush()?;
    Ok(false)
}

/// Removes the socket and pid file when the keeper ends, if they are still its own.
struct Cleanup(Place);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let mine = std::fs::read_to_string(&self.0.pidfile)
            .is_ok_and(|p| p.trim() == std::process::id().to_string());
        if mine {
            let _ = std::fs::remove_file(&self.0.socket);
            let _ = std::fs::remove_file(&self.0.pidfile);
        }
    }
}
