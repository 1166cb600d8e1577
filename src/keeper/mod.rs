//! Connection persistence, as ssh's ControlPersist: one keeper process per user and cache
//! directory holds a kept-alive TLS connection to each BMC it was asked to, and serves every
//! later call of the same user over a Unix socket in the cache directory, so a warm call
//! costs one round trip, not a handshake.
//!
//! Connections are keyed by host, trust and proxy (`protocol::Key`), at most `--max-hosts`
//! of them (RFSESSION_KEEPER_HOSTS; 1024), the least recently used closed first, each closed
//! after its own idle time; the process ends when it holds none. Requests for different
//! hosts run at once (a thread per client); requests for one host wait their turn on its
//! connection. Nothing new is exposed: requests carry the token the same user can read from
//! the cache, the socket is 0600 in the 0700 cache directory, and the peer's uid is checked.
//! The keeper is started with a clean environment and no settings in its argv: each request
//! brings its own over the socket.

pub mod protocol;

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use protocol::{Ask, Go, Key, Reply, Request, Wiped};
use zeroize::Zeroizing;

use crate::host::Host;
use crate::platform::{self, IpcStream};
use crate::tls::Seen;
use crate::transport::{Options, Transport, TransportError};

/// Connections held at most, unless `--max-hosts` (RFSESSION_KEEPER_HOSTS) says otherwise.
pub const MAX_HOSTS: u32 = 1024;
/// A keeper holding nothing lingers this long for the first request after it started.
const LINGER: Duration = Duration::from_secs(2);
/// The longest request body the keeper takes (the client bounds bodies far below).
const MAX_BODY: usize = 64 << 20;

/// The keeper's socket and lock file in a cache directory.
#[derive(Debug, Clone)]
pub struct Place {
    dir: PathBuf,
}

impl Place {
    pub fn new(cache_dir: &Path) -> Place {
        // Absolute: the keeper runs from `/`.
        Place {
            dir: std::path::absolute(cache_dir).unwrap_or_else(|_| cache_dir.to_owned()),
        }
    }

    pub fn socket(&self) -> PathBuf {
        self.dir.join(format!("keeper-{}.sock", protocol::PROTOCOL))
    }

    fn lock_path(&self) -> PathBuf {
        self.dir.join(format!("keeper-{}.lock", protocol::PROTOCOL))
    }

    /// Unix socket paths are short (108 bytes); a longer cache path goes without a keeper,
    /// as does a system without one (Windows, so far).
    pub fn usable(&self) -> bool {
        platform::KEEPER && self.socket().as_os_str().len() < 100
    }

    fn connect(&self) -> Option<IpcStream> {
        IpcStream::connect(self.socket()).ok()
    }

    /// The running keeper's pid and the hosts it holds; None when none answers.
    pub fn status(&self) -> Option<(u32, Vec<Host>)> {
        match self.ask(&Request::Status)? {
            Reply::Status { pid, hosts } => Some((pid, hosts)),
            _ => None,
        }
    }

    /// Close the keeper's connections to `host` (logout); silent when there is none.
    pub fn stop(&self, host: &Host) {
        let _ = self.ask(&Request::Stop { host: host.clone() });
    }

    fn ask(&self, req: &Request) -> Option<Reply> {
        let mut s = self.connect()?;
        s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
        s.set_write_timeout(Some(Duration::from_secs(2))).ok()?;
        s.write_all(&protocol::line(req, &[]).ok()?).ok()?;
        protocol::parse(&Wiped::new(s).line().ok()?).ok()
    }

    /// A connection to the keeper; with `start`, one is started when none listens (once per
    /// process) and waited for briefly.
    fn connect_or_start(&self, start: bool) -> Option<IpcStream> {
        if let Some(s) = self.connect() {
            return Some(s);
        }
        if !start || !self.dir.is_dir() {
            return None;
        }
        self.spawn();
        let begun = Instant::now();
        while begun.elapsed() < Duration::from_secs(1) {
            std::thread::sleep(Duration::from_millis(2));
            if let Some(s) = self.connect() {
                return Some(s);
            }
        }
        None
    }

    /// Start `rfsession keeper`, detached (a new session, no stdio, so `$(rfsession get ...)`
    /// never waits for it), with a clean environment: no password, no proxy, no flags. Only
    /// the cache directory and what decides the system's CA store (as absolute paths) pass on.
    fn spawn(&self) {
        static STARTED: Mutex<bool> = Mutex::new(false);
        let mut started = STARTED.lock().unwrap_or_else(|e| e.into_inner());
        if *started {
            return;
        }
        *started = true;
        let Ok(me) = std::env::current_exe() else {
            return;
        };
        let mut cmd = Command::new(me);
        cmd.arg("keeper")
            .env_clear()
            .env(crate::environment::CACHE_DIR, &self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let store = crate::tls::system_store_env();
        for (var, v) in crate::tls::SYSTEM_STORE_VARS.iter().zip(store) {
            if let Some(v) = v {
                cmd.env(var, v);
            }
        }
        // Checked here: a keeper refusing it would die unseen, and every call wait for it.
        let var = crate::environment::KEEPER_HOSTS;
        if let Some(v) = crate::environment::get(var) {
            if v.parse::<u32>().is_ok_and(|n| n >= 1) {
                cmd.env(var, v);
            } else {
                crate::output::warn(&format!(
                    "warning: {var}={v} is not a number of connections (1 or more); the keeper holds at most {MAX_HOSTS}"
                ));
            }
        }
        platform::detach(&mut cmd);
        // Not waited for: it outlives this process and is reparented.
        let _ = cmd.spawn();
    }
}

/// How a client reaches the keeper for one host.
#[derive(Debug, Clone)]
pub struct Link {
    pub place: Place,
    pub key: Key,
    /// `--persist`: the keeper opens and keeps the connection (and is started if need be);
    /// None: it serves only a host it already holds.
    pub hold: Option<Duration>,
}

/// What became of a request handed to the keeper.
pub enum Exchanged {
    /// No keeper serves this call, and nothing was sent: send it directly.
    Direct,
    /// The keeper was busy on this host until the deadline; nothing was sent.
    Busy,
    /// The BMC's answer head, the body to follow on the socket.
    Head {
        status: u16,
        headers: Zeroizing<Vec<(String, String)>>,
        seen: Seen,
        body: Wiped<IpcStream>,
    },
    Failed(TransportError),
    /// The keeper ended after the request was handed on: it may have been sent.
    Lost(io::Error),
}

/// The client side: one request through the keeper.
pub fn exchange(
    link: &Link,
    method: &str,
    path: &str,
    headers: Zeroizing<Vec<(String, String)>>,
    body: Option<&[u8]>,
    timeout: Duration,
    deadline: Instant,
) -> Exchanged {
    let Some(s) = link.place.connect_or_start(link.hold.is_some()) else {
        return Exchanged::Direct;
    };
    let deadline_ms = protocol::deadline_ms(deadline);
    // The files behind the trust, looked at only now that a keeper answers.
    let key = Key {
        store: crate::tls::store_files(&link.key.trust),
        ..link.key.clone()
    };
    let req = Request::Send(Box::new(Ask {
        key,
        hold_ms: link.hold.map(|d| d.as_millis() as u64),
        timeout_ms: timeout.as_millis() as u64,
        deadline_ms,
        method: method.to_owned(),
        path: path.to_owned(),
        headers,
        body_len: body.map(<[u8]>::len),
    }));
    let mut reader = match send_request(s, &req, body) {
        Ok(r) => r,
        Err(_) => return Exchanged::Direct,
    };
    // Until Ready, nothing was sent: waiting past the deadline is "busy", an early end of
    // the keeper (it was exiting, or is another version) means connect directly.
    let wait = protocol::left(deadline_ms).max(Duration::from_millis(1));
    let _ = reader.get_ref().set_read_timeout(Some(wait));
    match read_reply(&mut reader) {
        Ok(Reply::Ready { protocol }) if protocol == protocol::PROTOCOL => {}
        Ok(Reply::Failed { error, protocol }) if protocol == protocol::PROTOCOL => {
            return Exchanged::Failed(error);
        }
        Ok(_) => return Exchanged::Direct,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ) =>
        {
            return Exchanged::Busy;
        }
        Err(_) => return Exchanged::Direct,
    }
    // The keeper sends on Go only; a Go that does not arrive sends nothing.
    let go = protocol::line(&Go, &[]).unwrap_or_default();
    if reader.get_mut().write_all(&go).is_err() {
        return Exchanged::Direct;
    }
    // The keeper answers within the deadline; a little more here for the socket, then the
    // request may or may not have been sent.
    let wait = protocol::left(deadline_ms) + Duration::from_secs(2);
    let _ = reader.get_ref().set_read_timeout(Some(wait));
    match read_reply(&mut reader) {
        Ok(Reply::Head {
            status,
            headers,
            seen,
        }) => Exchanged::Head {
            status,
            headers,
            seen,
            body: reader,
        },
        Ok(Reply::Failed { error, .. }) => Exchanged::Failed(error),
        Ok(other) => Exchanged::Lost(io::Error::other(format!("unexpected {other:?}"))),
        Err(e) => Exchanged::Lost(e),
    }
}

fn send_request(
    mut s: IpcStream,
    req: &Request,
    body: Option<&[u8]>,
) -> io::Result<Wiped<IpcStream>> {
    s.set_write_timeout(Some(Duration::from_secs(5)))?;
    s.write_all(&protocol::line(req, body.unwrap_or_default())?)?;
    Ok(Wiped::new(s))
}

fn read_reply(r: &mut Wiped<IpcStream>) -> io::Result<Reply> {
    let line = r.line()?;
    if line.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the keeper closed without an answer",
        ));
    }
    protocol::parse(&line)
}

/// A connection held for one key.
struct Slot {
    transport: Arc<Mutex<Transport>>,
    last: Instant,
    idle: Duration,
}

struct State {
    slots: Mutex<HashMap<Key, Slot>>,
    /// Clients being served.
    busy: AtomicUsize,
    /// The last request of any kind.
    last: Mutex<Instant>,
    max_hosts: usize,
    /// The cache directory's decoded system CA certificates (`tls`).
    roots_cache: PathBuf,
}

impl State {
    fn slots(&self) -> MutexGuard<'_, HashMap<Key, Slot>> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The connection for `key`: held, or opened when `hold` says to (closing the least
    /// recently used past the bound). None: not held and not to be.
    fn slot(
        &self,
        key: &Key,
        hold: Option<Duration>,
        timeout: Duration,
    ) -> Result<Option<Arc<Mutex<Transport>>>, TransportError> {
        let mut slots = self.slots();
        if let Some(s) = slots.get_mut(key) {
            s.last = Instant::now();
            if let Some(h) = hold {
                s.idle = h;
            }
            return Ok(Some(s.transport.clone()));
        }
        let Some(idle) = hold else {
            return Ok(None);
        };
        while slots.len() >= self.max_hosts {
            let oldest = slots
                .iter()
                .min_by_key(|(_, s)| s.last)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => slots.remove(&k),
                None => break,
            };
        }
        let options = Options {
            trust: key.trust.clone(),
            hint: key.hint.clone(),
            timeout,
            deadline: Instant::now() + timeout,
            verbose: false,
            proxy: key.proxy.clone(),
            keeper: None,
            basic: None,
            roots_cache: Some(self.roots_cache.clone()),
        };
        let transport = Arc::new(Mutex::new(Transport::new(&key.host, options)?));
        // A connection verified with CA files since changed is of no more use.
        slots.retain(|k, _| {
            !(k.host == key.host
                && k.trust == key.trust
                && k.proxy == key.proxy
                && k.hint == key.hint)
        });
        slots.insert(
            key.clone(),
            Slot {
                transport: transport.clone(),
                last: Instant::now(),
                idle,
            },
        );
        Ok(Some(transport))
    }

    /// Close the connections idle past their time (those in use stay).
    fn reap(&self) {
        self.slots()
            .retain(|_, s| s.last.elapsed() < s.idle || Arc::strong_count(&s.transport) > 1);
    }
}

/// Be the keeper of `cache_dir` until it holds no connection: bind its socket under its lock
/// (so two keepers starting together cannot both serve), then serve each client on a thread.
pub fn serve(cache_dir: &Path, max_hosts: usize) -> io::Result<()> {
    let place = Place::new(cache_dir);
    if !place.usable() {
        return Ok(());
    }
    let lock = platform::private_file(
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false),
    )
    .open(place.lock_path())?;
    // A keeper that is ending still holds it for a moment; one that serves, for good.
    let begun = Instant::now();
    while lock.try_lock().is_err() {
        if begun.elapsed() > Duration::from_secs(2) || place.connect().is_some() {
            return Ok(()); // Another keeper serves.
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    // Holding no directory of whoever started it (every path it gets is absolute).
    let _ = std::env::set_current_dir("/");
    // A connection per host and one per client: a thousand hosts need more than the usual
    // soft limit of 1024 open files.
    platform::raise_open_files();
    // Threads come and go with clients: few malloc arenas, not one per core's worth of
    // threads, keep freed memory where the next request finds it.
    platform::few_malloc_arenas();
    let socket = place.socket();
    let _ = std::fs::remove_file(&socket);
    let listener = platform::bind_private(&socket)?;
    let _guard = Cleanup(socket.clone());
    let state = Arc::new(State {
        slots: Mutex::new(HashMap::new()),
        busy: AtomicUsize::new(0),
        last: Mutex::new(Instant::now()),
        max_hosts,
        roots_cache: cache_dir.join(crate::cache::SYSTEM_ROOTS),
    });
    loop {
        if !platform::readable(&listener, Duration::from_secs(1))? {
            state.reap();
            let idle = state.last.lock().map(|l| l.elapsed()).unwrap_or_default();
            let done = state.slots().is_empty()
                && state.busy.load(Ordering::SeqCst) == 0
                && idle >= LINGER;
            // Gone when its socket was removed too: a new keeper may be starting.
            if done || !socket.exists() {
                return Ok(());
            }
            continue;
        }
        let (conn, _) = listener.accept()?;
        if !platform::peer_is_me(&conn) {
            continue; // Another user: dropped unanswered.
        }
        if let Ok(mut l) = state.last.lock() {
            *l = Instant::now();
        }
        state.busy.fetch_add(1, Ordering::SeqCst);
        let s = state.clone();
        let spawned = std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(move || {
                // A request that fails only fails its client.
                let _ = handle(&s, conn);
                s.busy.fetch_sub(1, Ordering::SeqCst);
                if let Ok(mut l) = s.last.lock() {
                    *l = Instant::now();
                }
            });
        if spawned.is_err() {
            state.busy.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// One client.
fn handle(state: &State, conn: IpcStream) -> io::Result<()> {
    conn.set_read_timeout(Some(Duration::from_secs(5)))?;
    conn.set_write_timeout(Some(Duration::from_secs(30)))?;
    // The request's line holds the token, and its body may hold a password: both zeroed.
    let mut reader = Wiped::new(conn.try_clone()?);
    let mut out = conn;
    let req: Request = protocol::parse(&reader.line()?)?;
    let reply = |out: &mut IpcStream, r: &Reply| out.write_all(&protocol::line(r, &[])?);
    let ask = match req {
        Request::Send(ask) => ask,
        Request::Stop { host } => {
            state.slots().retain(|k, _| k.host != host);
            return reply(&mut out, &Reply::Stopped);
        }
        Request::Status => {
            let hosts = state.slots().keys().map(|k| k.host.clone()).collect();
            let pid = std::process::id();
            return reply(&mut out, &Reply::Status { pid, hosts });
        }
    };
    let Ask {
        key,
        hold_ms,
        timeout_ms,
        deadline_ms,
        method,
        path,
        headers,
        body_len,
    } = *ask;
    let body = match body_len {
        Some(n) if n <= MAX_BODY => {
            let mut b = Zeroizing::new(vec![0u8; n]);
            reader.read_exact(&mut b)?;
            Some(b)
        }
        Some(_) => return Ok(()),
        None => None,
    };
    // The CA files behind the call's trust must be those the keeper finds: a --cacert path
    // or SSL_CERT_* may name other files here (another mount namespace, /dev/fd/N).
    if key.store != crate::tls::store_files(&key.trust) {
        return reply(&mut out, &Reply::NotHeld);
    }
    let timeout = Duration::from_millis(timeout_ms);
    let slot = state.slot(&key, hold_ms.map(Duration::from_millis), timeout);
    let transport = match slot {
        Ok(Some(t)) => t,
        Ok(None) => return reply(&mut out, &Reply::NotHeld),
        Err(e) => {
            let error = e.for_the_wire();
            let protocol = protocol::PROTOCOL;
            return reply(&mut out, &Reply::Failed { error, protocol });
        }
    };
    // One request at a time on the host's connection; a client whose deadline passed while
    // it waited is not served at all.
    let transport = transport.lock().unwrap_or_else(|e| e.into_inner());
    let left = protocol::left(deadline_ms);
    if left.is_zero() {
        return Ok(());
    }
    let ready = Reply::Ready {
        protocol: protocol::PROTOCOL,
    };
    reply(&mut out, &ready)?;
    reader.get_ref().set_read_timeout(Some(left))?;
    let go = reader.line()?;
    if go.is_empty() || protocol::parse::<Go>(&go).is_err() {
        return Ok(()); // The client gave up: nothing is sent.
    }
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    transport.limit(timeout, Instant::now() + protocol::left(deadline_ms));
    match transport.send_for_keeper(&method, &path, &headers, body.as_deref().map(|b| &b[..])) {
        Ok(mut resp) => {
            // The head (a login's holds the new token) from its own zeroed buffer, the body
            // through a buffer of its own.
            let head = Reply::Head {
                status: resp.status,
                headers: Zeroizing::new(resp.header_list()),
                seen: transport.seen(),
            };
            out.write_all(&protocol::line(&head, &[])?)?;
            let mut out = io::BufWriter::with_capacity(16 * 1024, out);
            // A body cut short shows as such to the client, as a direct read would.
            let _ = resp.copy_to(&mut out);
            out.flush()
        }
        Err(e) => {
            let error = e.for_the_wire();
            let protocol = protocol::PROTOCOL;
            out.write_all(&protocol::line(&Reply::Failed { error, protocol }, &[])?)
        }
    }
}

/// Removes the socket when the keeper ends (it still holds the lock, so the socket is its).
struct Cleanup(PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
