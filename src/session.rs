//! The session lifecycle: reuse, replace or create a host's session, log in again after a
//! 401, end it, and find it among the BMC's sessions.
//!
//! Two rules hold everywhere. Every decision that changes a cache entry is made on what was
//! read under the host's lock. A session that may still exist on the BMC is never forgotten:
//! before an entry is replaced or removed, its session is ended or the BMC confirms it gone
//! (DELETE answering 2xx, 404 or 401).

use std::cell::RefCell;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Duration, Instant};

use crate::cache::{Cache, CacheError, Entry, FORMAT, Hold, HostLock, KeptTrust, Listed};
use crate::host::{Host, Scheme};
use crate::keeper;
use crate::links::{self, Link};
use crate::output::warn;
use crate::password::{PasswordError, Passwords};
use crate::process::ProcessId;
use crate::redfish::{self, Bmc, DEFAULT_SESSIONS, Deleted, RedfishError, SessionInfo};
use crate::secret::Secret;
use crate::settings::{HostSettings, Setting, Settings};
use crate::signals;
use crate::tasks;
use crate::timefmt;
use crate::tls::{Anchors, MAX_ANCHORS_PEM, Trust};
use crate::transport::{MAX_REQUEST_HEAD, Method, Options, Response, Transport, TransportError};
use crate::x509;

/// The longest token kept: any cached token must fit in a request head, with room to spare.
pub const MAX_TOKEN: usize = 16 * 1024;
const _: () = assert!(MAX_TOKEN * 2 < MAX_REQUEST_HEAD);

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    #[error("not logged in; run: rfsession login {host}")]
    NotLoggedIn { host: String },
    #[error("no user: pass -u USER or set RFSESSION_USER")]
    NoUser,
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Cache(#[from] CacheError),
    #[error(transparent)]
    Redfish(#[from] RedfishError),
    #[error(
        "the cached session may still exist on the BMC and was kept; nothing new was created ({source}); retry, or end it with: rfsession logout {host}"
    )]
    OldSessionKept { host: String, source: RedfishError },
    #[error(
        "the BMC created a session but the cache could not keep it ({source}); {}",
        undone(*.deleted)
    )]
    NotSaved { source: CacheError, deleted: bool },
    #[error(
        "the BMC issued a token of {len} bytes, more than the {MAX_TOKEN} bytes rfsession keeps; {}",
        undone(*.deleted)
    )]
    TokenTooLarge { len: usize, deleted: bool },
    #[error("{flag} {value}: {why}")]
    BadSessionUri {
        flag: &'static str,
        value: String,
        why: String,
    },
    #[error(
        "the token given is longer than the {MAX_TOKEN} bytes rfsession keeps (as for a login); nothing was sent"
    )]
    GivenTokenTooLarge,
    #[error(
        "--session-uri {uri} is not this token's session: the BMC marks {own} as the token's own; nothing was cached (pass --session-uri {own}, or leave it out)"
    )]
    NotTokensSession { uri: String, own: String },
    #[error("the cached session was adopted without its user; {hint}")]
    UnknownUser { hint: &'static str },
    #[error(
        "the entry is verified with the system's CA store, which other tools use too: there is no certificate to hand over; to verify with a CA of your own, run: rfsession login {host} --force --cacert CA.pem"
    )]
    NoAnchors { host: String },
}

fn undone(deleted: bool) -> &'static str {
    if deleted {
        "the session was deleted again on the BMC"
    } else {
        "the session could not be deleted again and will expire on the BMC"
    }
}

impl From<TransportError> for SessionError {
    fn from(e: TransportError) -> Self {
        SessionError::Redfish(e.into())
    }
}

type Result<T, E = SessionError> = std::result::Result<T, E>;

/// How to reach BMCs, once per run: the cache, -v, and every host's settings (flags,
/// environment, settings file).
#[derive(Debug, Clone)]
pub struct Setup {
    /// The cache directory, and where it was named (None: the platform's state directory).
    pub cache_dir: Option<Setting<PathBuf>>,
    pub verbose: bool,
    pub settings: Settings,
    /// Where the settings file was named: a flag, the environment or the config directory.
    pub settings_from: String,
    /// An upper bound on every timeout (completion).
    pub cap: Option<Duration>,
    /// `--no-persist`: this run connects itself, even where a keeper holds the host.
    pub no_persist: bool,
}

/// The sessions of every host this user has cached.
pub struct Sessions {
    cache: Cache,
    setup: Setup,
}

/// What a login does, decided on the entry as read (the same for `--dry-run` and a real run).
#[derive(Debug)]
pub enum Plan {
    /// The BMC still accepts the cached session.
    Reuse(Entry),
    /// End this session (or confirm it gone), then create one.
    Replace(Entry),
    Create,
}

/// If-Match for a write.
#[derive(Debug, Clone)]
pub enum IfMatch {
    /// The resource's ETag, read first; none if it has none.
    Auto,
    None,
    /// Exactly this tag.
    Exact(String),
}

/// Which sessions `logout --others` ends.
#[derive(Debug, Clone, Default)]
pub struct Others {
    /// That user's; None for the cached session's user.
    pub user: Option<String>,
    pub any_user: bool,
    /// Only those created longer ago than this.
    pub older_than: Option<Duration>,
}

/// One session `logout --others` looked at: ended (or would be, in a dry run), or why not.
pub struct OtherSession {
    pub info: SessionInfo,
    pub outcome: Result<bool, String>,
}

/// A connection's trust, and the one step that changes it (told when a certificate is
/// refused).
struct Trusting {
    trust: Trust,
    hint: String,
}

/// A session just POSTed, not yet cached.
struct NewSession {
    bmc: std::rc::Rc<Bmc>,
    entry: Entry,
    password_change: Option<String>,
}

/// What `login` came to.
pub enum Login {
    Reused(Entry),
    Created(Entry),
}

/// What `logout` came to.
pub enum Logout {
    /// Nothing was cached.
    Nothing,
    /// The session was ended (or the BMC had already ended it) and the entry removed.
    Ended(Deleted),
    /// Other processes still hold the session: it was kept, with these live holds.
    Kept(Vec<Hold>),
    /// `--forget` with no session cached: the trust kept for the host was removed.
    ForgotTrust,
}

/// The live holds of processes other than the caller (the process that ran rfsession).
fn others_holding(entry: &Entry) -> Vec<Hold> {
    let me = ProcessId::parent();
    entry
        .live_holds()
        .into_iter()
        .filter(|h| Some(&h.process) != me.as_ref())
        .collect()
}

/// What `logout` is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoutMode {
    /// Release the caller's hold; end the session when no live hold remains.
    Release,
    /// End the session whatever holds it.
    Force,
    /// Drop the entry without contacting the BMC.
    Forget,
}

/// The holds an entry keeps after it is touched: those of live processes, plus the
/// caller's (the process that ran rfsession) when `add`.
fn held(holds: &[Hold], add: bool) -> Vec<Hold> {
    let mut out: Vec<Hold> = holds
        .iter()
        .filter(|h| h.process.alive())
        .cloned()
        .collect();
    if add
        && let Some(me) = ProcessId::parent()
        && !out.iter().any(|h| h.process == me)
    {
        out.push(Hold {
            program: me.program(),
            process: me,
            since: timefmt::unix_now(),
        });
    }
    out
}

impl Sessions {
    pub fn new(setup: Setup) -> Result<Sessions> {
        Ok(Sessions {
            cache: Cache::new(setup.cache_dir.as_ref().map(|d| d.value.clone()))?,
            setup,
        })
    }

    /// HOST as typed: an alias of the settings file, or a host.
    pub fn resolve(&self, typed: &str) -> Result<Host, crate::host::HostError> {
        self.setup.settings.resolve(typed).map(|(h, _)| h)
    }

    pub fn settings(&self) -> &Settings {
        &self.setup.settings
    }

    /// Where the cache directory was named, for `config`.
    pub fn settings_origin(&self) -> &str {
        &self.setup.settings_from
    }

    pub fn cache_dir_origin(&self) -> String {
        match &self.setup.cache_dir {
            Some(d) => d.from.to_string(),
            None => "the state directory".into(),
        }
    }

    /// Where the host's entry is kept.
    pub fn entry_path(&self, host: &Host) -> PathBuf {
        self.cache.entry_path(host)
    }

    /// The keeper of this cache, if one runs: its pid and the hosts it holds.
    pub fn keeper(&self) -> Option<(u32, Vec<Host>)> {
        keeper::Place::new(self.cache.dir()).status()
    }

    /// One host: its operations share one `--timeout` for all their requests.
    pub fn on(&self, host: &Host) -> HostSession<'_> {
        let hs = self.setup.settings.for_host(host);
        let timeout = match self.setup.cap {
            Some(cap) => hs.timeout.value.min(cap),
            None => hs.timeout.value,
        };
        HostSession {
            sessions: self,
            host: host.clone(),
            deadline: Instant::now() + timeout,
            timeout,
            hs,
            bmcs: RefCell::default(),
            prompt: true,
        }
    }

    /// One host of many worked at once: nobody is asked for a password mid-run (the
    /// workers would ask all together).
    pub fn on_unattended(&self, host: &Host) -> HostSession<'_> {
        HostSession {
            prompt: false,
            ..self.on(host)
        }
    }

    /// The same, silent and quick: completion must not keep a shell waiting or talking.
    pub fn for_completion(&self, timeout: Duration) -> Sessions {
        Sessions {
            cache: self.cache.clone(),
            setup: Setup {
                verbose: false,
                cap: Some(timeout),
                ..self.setup.clone()
            },
        }
    }

    /// A note kept beside a host's entry (see `Cache::read_note`).
    pub fn note(&self, host: &Host, kind: &str) -> Option<String> {
        self.cache.read_note(host, kind)
    }

    pub fn keep_note(&self, host: &Host, kind: &str, text: &str) {
        let _ = self.cache.write_note(host, kind, text);
    }

    /// The hosts logged out of whose trust is kept (see `KeptTrust`).
    pub fn kept_trusts(&self) -> Result<Vec<(Host, KeptTrust)>> {
        Ok(self.cache.kept_trusts()?)
    }

    /// Every entry in the cache, unreadable ones with their error.
    pub fn cached(&self) -> Result<Vec<Listed>> {
        Ok(self.cache.list()?)
    }
}

/// The session of one host.
pub struct HostSession<'a> {
    sessions: &'a Sessions,
    host: Host,
    /// The host's settings, each with where it came from.
    pub hs: HostSettings,
    timeout: Duration,
    deadline: Instant,
    /// The connections of this host operation, one per trust: the reuse check, a login
    /// again, the old session's DELETE and the requests share one (each costs a BMC 100 to
    /// 300 ms of TLS handshake).
    bmcs: RefCell<Vec<(Trust, Rc<Bmc>)>>,
    /// A person at a terminal may be asked for a password to log in again.
    prompt: bool,
}

/// A cached session ready for requests; with `basic`, HTTP Basic credentials instead.
pub struct Live {
    pub entry: Entry,
    bmc: Rc<Bmc>,
    pub basic: bool,
}

impl Live {
    pub fn get(&self, path: &str) -> Result<Response, RedfishError> {
        self.bmc.get(&self.entry.token, path)
    }

    pub fn merge_pages(
        &self,
        path: &str,
        first: &mut serde_json::Value,
        first_len: u64,
        limit: u64,
    ) -> Result<(), RedfishError> {
        self.bmc
            .merge_pages(&self.entry.token, path, first, first_len, limit)
    }

    /// A write; 401 is `Unauthorized` (nothing was applied), and a request that may have
    /// reached the BMC is never sent again.
    pub fn write(
        &self,
        method: Method,
        path: &str,
        body: Option<&[u8]>,
        if_match: &IfMatch,
    ) -> Result<Response, RedfishError> {
        let token = &self.entry.token;
        let tag = match if_match {
            IfMatch::Auto => self.bmc.read_etag(token, path)?,
            IfMatch::None => None,
            IfMatch::Exact(t) => Some(t.clone()),
        };
        self.bmc
            .write(token, method.as_str(), path, body, tag.as_deref())
    }

    /// A link in the answer to `base` as a path on this host (see `links`).
    pub fn follow(
        &self,
        base: &str,
        what: &'static str,
        link: &str,
    ) -> Result<String, RedfishError> {
        self.bmc.follow(base, what, link)
    }

    /// Wait for the task behind `monitor` to end; `task` is the Task the 202 named, if any.
    pub fn wait_task(
        &self,
        monitor: &str,
        task: Option<&str>,
        limit: Duration,
        progress: &dyn Fn(&tasks::Progress),
    ) -> Result<serde_json::Value, RedfishError> {
        tasks::wait(&self.bmc, &self.entry.token, monitor, task, limit, progress)
    }

    /// The error for a cached session the BMC no longer accepts.
    pub fn refused(&self) -> RedfishError {
        self.bmc
            .unauthorized("the cached session has expired or was deleted")
    }

    /// Does the BMC still accept the token?
    pub fn valid(&self) -> Result<bool, RedfishError> {
        // With HTTP Basic there is no session to ask about; a service without sessions
        // still has Systems.
        let probe = match self.basic {
            true => Some("/redfish/v1/Systems"),
            false => self.entry.session_uri.as_deref(),
        };
        self.bmc.accepts(&self.entry.token, probe)
    }

    /// The BMC's sessions, each marked when it is this one.
    pub fn list(&self) -> Result<Vec<(bool, SessionInfo)>, RedfishError> {
        let e = &self.entry;
        let (list, skipped) =
            self.bmc
                .list_sessions_noting(&e.token, sessions_of(e), &e.context)?;
        if let Some(first) = skipped.first() {
            warn(&format!(
                "warning: {}: {} member(s) of {} skipped: no session of this host (first: {first})",
                self.bmc.host.key(),
                skipped.len(),
                sessions_of(e),
            ));
        }
        Ok(list
            .into_iter()
            .map(|s| {
                // Our own however the BMC spells it: the path in another case, or the Id.
                let same_id = !e.session_id.is_empty() && s.id == e.session_id;
                let mine = match &e.session_uri {
                    Some(uri) => s.uri.eq_ignore_ascii_case(uri) || same_id,
                    None => s.marked_mine || same_id,
                };
                (mine, s)
            })
            .collect())
    }
}

impl HostSession<'_> {
    fn cache(&self) -> &Cache {
        &self.sessions.cache
    }

    /// The host's key, for messages.
    pub fn host_key(&self) -> String {
        self.host.key()
    }

    pub fn entry(&self) -> Result<Option<Entry>> {
        Ok(self.cache().read(&self.host)?)
    }

    /// Record a use of the session (the entry's mtime is its last use).
    pub fn touch(&self) {
        self.cache().touch(&self.host);
    }

    pub fn last_used(&self) -> Option<std::time::SystemTime> {
        self.cache().last_used(&self.host)
    }

    fn lock(&self) -> Result<HostLock> {
        let host = &self.host;
        Ok(self.cache().lock(host, self.timeout, &|holder| {
            crate::output::info(&format!(
                "{host}: waiting for the lock on this host{holder}"
            ));
        })?)
    }

    /// How the BMC's certificate is checked, and how to change that when it is refused. An
    /// entry's trust governs every connection to its host, login included: its pin (after
    /// `-k login`), else the CA certificates it remembers from login, else verification as
    /// this run's settings say; a `--cacert` flag is used for the call it is given on. Only
    /// `login --force` with `-k` or a `--cacert` (`repin`) chooses the trust anew.
    fn trust(&self, entry: Option<&Entry>, repin: bool) -> Trusting {
        let host = self.host.key();
        let change = format!("rfsession login {host} --force --cacert CA.pem");
        let first = "pass --cacert with the CA that signed it or with this very certificate, or -k to pin it on first use";
        let verified = |entry: bool| match &self.hs.cacert {
            Some(p) => Trusting {
                trust: Trust::Bundle(p.value.clone()),
                hint: match (entry, &p.from) {
                    (false, _) => {
                        format!("verified with {} ({}); {first}", p.value.display(), p.from)
                    }
                    (true, crate::settings::Origin::Flag(_)) => format!(
                        "this call verified with {} (flag --cacert) instead of the entry's trust; drop --cacert, or to change the entry's trust, run: {change}",
                        p.value.display()
                    ),
                    (true, from) => format!(
                        "the entry is verified with {} ({from}); to change that, run: {change}",
                        p.value.display()
                    ),
                },
            },
            None => Trusting {
                trust: Trust::System,
                hint: if entry {
                    format!(
                        "the entry is verified with the system's CA store; to trust another CA or this very certificate, run: {change}"
                    )
                } else {
                    format!("verified with the system's CA store; {first}")
                },
            },
        };
        let flag = self.cacert_flag();
        // With no entry, the trust kept from the host's last one (it outlives the session).
        let kept = match entry {
            Some(e) => Some(e.trust()),
            None => self.remembered(),
        };
        match kept {
            Some(k) if !repin => match (&k.tls_fingerprint, &k.tls_anchors) {
                (Some(fp), _) => Trusting {
                    trust: Trust::Pinned(fp.clone()),
                    hint: format!("to trust it, run: rfsession login {host} -k --force"),
                },
                (None, Some(pem)) if !flag => {
                    let anchors = Anchors(pem.clone());
                    Trusting {
                        hint: format!(
                            "the entry trusts the CA certificates remembered from its login ({}); if the BMC's certificate or CA changed, run: rfsession login {host} --force --cacert CA.pem",
                            anchors.summary()
                        ),
                        trust: Trust::Remembered(anchors),
                    }
                }
                _ => verified(true),
            },
            _ if self.hs.insecure.value => Trusting {
                trust: Trust::AnyRecorded,
                hint: String::new(),
            },
            _ => verified(false),
        }
    }

    /// The trust kept for the host after its last entry went (see `KeptTrust`).
    /// One that cannot be read is ignored, said once per host: the call then verifies as its
    /// flags and settings say, never more loosely than the kept trust would have.
    pub fn remembered(&self) -> Option<KeptTrust> {
        let e = match self.cache().read_trust(&self.host) {
            Ok(kept) => return kept,
            Err(e) => e,
        };
        // Once per host and run (a fleet names each host's file).
        static SAID: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
        let host = self.host.key();
        let mut said = SAID.lock().unwrap_or_else(|e| e.into_inner());
        if !said.contains(&host) {
            said.push(host.clone());
            let why = match &e {
                CacheError::Corrupt { path, detail } => {
                    format!("{} is unreadable ({detail})", path.display())
                }
                other => other.to_string(),
            };
            warn(&format!(
                "warning: ignoring the certificate trust kept for {host}: {why}; `rfsession logout {host} --forget` removes it"
            ));
        }
        None
    }

    /// The trust a new entry inherits: the entry's it replaces, else the host's kept one.
    fn inherited(&self, previous: Option<&Entry>) -> Option<KeptTrust> {
        match previous {
            Some(p) => Some(p.trust()),
            None => self.remembered(),
        }
    }

    fn insecure(&self) -> bool {
        self.hs.insecure.value
    }

    /// A full table's advice carries the TLS flags of this call, so its commands work pasted.
    fn with_flags(&self, mut e: RedfishError) -> RedfishError {
        if let RedfishError::SessionLimit { advice, .. } = &mut e {
            if let Some(c) = self.hs.cacert.as_ref().filter(|_| self.cacert_flag()) {
                advice.flags = format!(" --cacert {}", shell_word(&c.value.display().to_string()));
            }
            if self.insecure() && matches!(self.hs.insecure.from, crate::settings::Origin::Flag(_))
            {
                advice.flags.push_str(" -k");
            }
        }
        e
    }

    /// `--cacert` given on this call (not from the settings file).
    fn cacert_flag(&self) -> bool {
        self.hs
            .cacert
            .as_ref()
            .is_some_and(|c| matches!(c.from, crate::settings::Origin::Flag(_)))
    }

    /// The operation's connection for this trust: the one already open, else a new one.
    fn bmc(&self, trusting: Trusting) -> Result<Rc<Bmc>, TransportError> {
        let mut bmcs = self.bmcs.borrow_mut();
        if let Some((_, bmc)) = bmcs.iter().find(|(t, _)| *t == trusting.trust) {
            return Ok(bmc.clone());
        }
        let trust = trusting.trust.clone();
        let bmc = Rc::new(self.bmc_as(trusting, None)?);
        bmcs.push((trust, bmc.clone()));
        Ok(bmc)
    }

    /// A new Bmc whose requests carry `basic` (HTTP Basic) instead of a token, when given.
    fn bmc_as(
        &self,
        Trusting { trust, hint }: Trusting,
        basic: Option<Secret>,
    ) -> Result<Bmc, TransportError> {
        let proxy = self.hs.proxy_for_host();
        // A keeper holds a session's connection; Basic credentials never go through one.
        let keeper = match basic {
            Some(_) => None,
            None => self.keeper_link(&trust, &hint, &proxy),
        };
        let options = Options {
            trust,
            hint,
            timeout: self.timeout,
            deadline: self.deadline,
            verbose: self.sessions.setup.verbose,
            proxy,
            keeper,
            basic,
            roots_cache: Some(self.cache().dir().join(crate::cache::SYSTEM_ROOTS)),
        };
        Ok(Bmc::new(&self.host, Transport::new(&self.host, options)?))
    }

    /// The trust a new entry keeps (pin, and certificates as PEM): the entry's it replaces
    /// (`inherit`), else (-k) the certificate just seen, or (`--cacert`) the CA certificates
    /// the login verified with.
    fn kept_trust(
        &self,
        trust: &Trust,
        bmc: &Bmc,
        inherit: Option<KeptTrust>,
    ) -> (Option<String>, Option<String>) {
        if self.host.scheme != Scheme::Https {
            return (None, None);
        }
        let seen = bmc.transport.seen();
        let leaf_pem = || {
            seen.leaf
                .as_ref()
                .map(|l| x509::to_pem(std::slice::from_ref(l)))
        };
        if let Some(e) = inherit {
            // Entries pinned before certificates were kept get theirs now: it matched the pin.
            let anchors = match &e.tls_fingerprint {
                Some(_) => e.tls_anchors.clone().or_else(leaf_pem),
                None => e.tls_anchors.clone(),
            };
            return (e.tls_fingerprint, anchors);
        }
        match trust {
            Trust::Pinned(fp) => (Some(fp.clone()), leaf_pem()),
            Trust::AnyRecorded => {
                if let Some(f) = seen.leaf.as_deref().and_then(x509::facts) {
                    let faults = f.faults(timefmt::unix_now() as i64);
                    if !faults.is_empty() {
                        warn(&format!(
                            "warning: {}: pinned a legacy certificate ({}); it is trusted as it is until: rfsession login {} -k --force",
                            self.host,
                            faults.join(", "),
                            self.host
                        ));
                    }
                }
                (seen.fingerprint.clone(), leaf_pem())
            }
            Trust::Remembered(a) => (None, Some(a.0.clone())),
            Trust::Bundle(_) => {
                let pem = x509::to_pem(&seen.anchors);
                if seen.anchors.is_empty() {
                    (None, None)
                } else if pem.len() > MAX_ANCHORS_PEM {
                    warn(&format!(
                        "warning: {}: the CA certificates verified with are over {} KiB and were not remembered; later calls need --cacert",
                        self.host,
                        MAX_ANCHORS_PEM / 1024
                    ));
                    (None, None)
                } else {
                    (None, Some(pem))
                }
            }
            Trust::System => (None, None),
        }
    }

    /// How this host's requests reach the keeper: with persistence on, it holds (and if need
    /// be starts) the connection; off, it serves the host only if it holds it already.
    /// `--no-persist` and trust on first use (whose certificate this process must see) go
    /// directly.
    fn keeper_link(
        &self,
        trust: &Trust,
        hint: &str,
        proxy: &Option<String>,
    ) -> Option<keeper::Link> {
        if self.sessions.setup.no_persist || *trust == Trust::AnyRecorded {
            return None;
        }
        let place = keeper::Place::new(self.cache().dir());
        if !place.usable() {
            return None;
        }
        // The keeper runs elsewhere: `--cacert ca.pem` means this directory's (and where no
        // directory can say which, the call connects itself).
        let trust = match trust {
            Trust::Bundle(p) => Trust::Bundle(std::path::absolute(p).ok()?),
            t => t.clone(),
        };
        Some(keeper::Link {
            place,
            key: keeper::protocol::Key {
                host: self.host.clone(),
                trust,
                // Looked at only when a keeper answers (keeper::exchange).
                store: Vec::new(),
                proxy: proxy.clone(),
                hint: hint.to_owned(),
            },
            hold: self.hs.persist.as_ref().map(|p| p.value),
        })
    }

    /// The password sources of this run, then the host's settings and ~/.netrc.
    pub fn passwords(&self, pw: &Passwords) -> Passwords {
        pw.for_host(
            self.hs.password.as_ref().map(|p| p.value.clone()),
            &self.host.name,
            self.hs.timeout.value,
        )
    }

    fn live(&self, entry: Entry) -> Result<Live> {
        self.live_with(entry, &Passwords::default())
    }

    /// The entry ready for requests; an entry of a Basic host takes its password from `pw`,
    /// the settings file or ~/.netrc.
    fn live_with(&self, entry: Entry, pw: &Passwords) -> Result<Live> {
        if entry.basic {
            return self.basic_live(entry, pw);
        }
        let bmc = self.bmc(self.trust(Some(&entry), false))?;
        Ok(Live {
            entry,
            bmc,
            basic: false,
        })
    }

    /// Requests with HTTP Basic as `entry.user`: nothing is created on the BMC.
    fn basic_live(&self, mut entry: Entry, pw: &Passwords) -> Result<Live> {
        // A Basic entry always names its user (`basic_entry`).
        let user = entry.user.clone().ok_or(SessionError::NoUser)?;
        let password = self.passwords(pw).read(&user, &self.host.key())?;
        let basic = crate::transport::basic_authorization(&user, &password);
        let bmc = self.bmc_as(self.trust(Some(&entry), false), Some(basic))?;
        if entry.sessions_uri.is_none() {
            entry.sessions_uri = Some(bmc.sessions_path()?);
        }
        Ok(Live {
            entry,
            bmc: bmc.into(),
            basic: true,
        })
    }

    /// The cached session, else HTTP Basic as the login user (never stored): the way to
    /// list and end sessions when the table is full and no session can be had.
    pub fn open_or_basic(&self, user: Option<&str>, pw: &Passwords) -> Result<Live> {
        if let Some(e) = self.entry()? {
            return self.live_with(e, pw);
        }
        let (user, _) = self.login_user(user)?;
        self.basic_live(self.basic_entry(&user, None), pw)
    }

    /// An entry for a host reached with HTTP Basic: no token, no session.
    fn basic_entry(&self, user: &str, previous: Option<&Entry>) -> Entry {
        let kept = self.inherited(previous).unwrap_or_default();
        Entry {
            format: FORMAT,
            host: self.host.key(),
            user: Some(user.to_owned()),
            token: Secret::new("(http-basic)".to_owned()),
            session_uri: None,
            session_id: String::new(),
            sessions_uri: None,
            context: String::new(),
            created: timefmt::unix_now(),
            session_timeout: None,
            tls_fingerprint: kept.tls_fingerprint,
            tls_anchors: kept.tls_anchors,
            basic: true,
            holds: Vec::new(),
            extra: previous.map(|p| p.extra.clone()).unwrap_or_default(),
        }
    }

    /// `login --auth basic`: check the credentials against a resource that needs them and
    /// remember that HOST takes HTTP Basic (user, trust, pin; never the password). A cached
    /// session is ended once they passed, as `replace` does: a wrong password leaves it.
    pub fn login_basic(&self, user: &str, pw: &Passwords, hold: bool) -> Result<Entry> {
        let password = self.passwords(pw).read(user, &self.host.key())?;
        let lock = self.lock()?;
        let current = self.entry()?;
        let trusting = self.trust(current.as_ref(), false);
        let trust = trusting.trust.clone();
        let basic = crate::transport::basic_authorization(user, &password);
        let bmc = self.bmc_as(trusting, Some(basic))?;
        let mut entry = self.basic_entry(user, current.as_ref());
        // A 401 here is the credentials' fault (`check` says so for HTTP Basic).
        bmc.get(&entry.token, "/redfish/v1/Systems")?;
        // Kept, so that later requests need not read the service root for it each time.
        entry.sessions_uri = Some(bmc.sessions_path()?);
        if let Some(old) = current.as_ref().filter(|e| !e.basic) {
            self.end_replaced(old, false)?;
        }
        (entry.tls_fingerprint, entry.tls_anchors) =
            self.kept_trust(&trust, &bmc, self.inherited(current.as_ref()));
        entry.holds = held(current.as_ref().map_or(&[][..], |c| &c.holds), hold);
        self.cache().write(&lock, &entry)?;
        Ok(entry)
    }

    /// `login --reclaim`: end this user's sessions that no entry of this cache names (only
    /// those older than `older_than`), with HTTP Basic; the URIs ended.
    pub fn reclaim(
        &self,
        user: &str,
        pw: &Passwords,
        older_than: Option<Duration>,
    ) -> Result<Vec<String>> {
        // Under the host's lock: a login racing this one must not see its new session
        // taken for a stale one.
        let _lock = self.lock()?;
        let cached = self.entry()?;
        let live = self.basic_live(self.basic_entry(user, cached.as_ref()), pw)?;
        let ours = cached.and_then(|c| c.session_uri);
        let now = timefmt::unix_now();
        let mut ended = Vec::new();
        for (_, info) in live.list()? {
            let old_enough = older_than.is_none_or(|age| {
                timefmt::parse_rfc3339(&info.created)
                    .is_some_and(|t| now.saturating_sub(t) >= age.as_secs())
            });
            if info.user != user || Some(&info.uri) == ours.as_ref() || !old_enough {
                continue;
            }
            live.bmc.delete(&live.entry.token, &info.uri)?;
            ended.push(info.uri);
        }
        Ok(ended)
    }

    /// The certificates the entry trusts, as PEM: the CA certificates remembered from login,
    /// or the pinned certificate (fetched through the pin for entries older than that).
    pub fn anchors_pem(&self, entry: &Entry) -> Result<String> {
        if let Some(pem) = &entry.tls_anchors {
            return Ok(pem.clone());
        }
        if entry.tls_fingerprint.is_some() {
            let bmc = self.bmc(self.trust(Some(entry), false))?;
            bmc.sessions_path()?;
            if let Some(leaf) = bmc.transport.seen().leaf {
                return Ok(x509::to_pem(&[leaf]));
            }
        }
        Err(SessionError::NoAnchors {
            host: self.host.key(),
        })
    }

    /// The cached entry; not logged in is an error.
    pub fn require(&self) -> Result<Entry> {
        self.entry()?.ok_or_else(|| self.not_logged_in())
    }

    /// The cached session, for requests.
    pub fn open(&self) -> Result<Live> {
        self.live(self.require()?)
    }

    fn not_logged_in(&self) -> SessionError {
        SessionError::NotLoggedIn {
            host: self.host.key(),
        }
    }

    /// Decide what a login of `user` does with `entry`; `dead` is a token already seen
    /// refused, which is not asked again.
    fn decide(
        &self,
        entry: Option<Entry>,
        user: &str,
        force: bool,
        dead: Option<&Secret>,
    ) -> Result<Plan> {
        Ok(match entry {
            None => Plan::Create,
            // A host reached with HTTP Basic has no session to reuse: a login makes one.
            Some(e) if e.basic => Plan::Replace(e),
            Some(e) if force || e.user.as_deref() != Some(user) || dead == Some(&e.token) => {
                Plan::Replace(e)
            }
            Some(e) => {
                if self.live(e.clone())?.valid()? {
                    Plan::Reuse(e)
                } else {
                    Plan::Replace(e)
                }
            }
        })
    }

    /// The user a login is for: given, else the cached session's.
    /// The user a login is for: -u or RFSESSION_USER, the host's settings, the cached
    /// session's, then ~/.netrc's login for the host.
    pub fn login_user(&self, user: Option<&str>) -> Result<(String, Option<Entry>)> {
        let cached = self.entry()?;
        let user = user
            .map(str::to_owned)
            .or_else(|| self.hs.user.as_ref().map(|u| u.value.clone()))
            .or_else(|| cached.as_ref().and_then(|e| e.user.clone()))
            .or_else(|| crate::netrc::login(&self.host))
            .ok_or(SessionError::NoUser)?;
        Ok((user, cached))
    }

    /// What `login` would do, with the collection it would POST to; changes nothing.
    pub fn plan(&self, user: &str, force: bool) -> Result<(Plan, Option<String>)> {
        let plan = self.decide(self.entry()?, user, force, None)?;
        let post = match &plan {
            Plan::Reuse(_) => None,
            Plan::Replace(e) => Some(self.bmc(self.trust(Some(e), self.repin(force)))?),
            Plan::Create => Some(self.bmc(self.trust(None, self.repin(force)))?),
        };
        let post = post.map(|b| b.sessions_path()).transpose()?;
        Ok((plan, post))
    }

    /// `login --force` with `-k` or a `--cacert` chooses the entry's trust anew.
    fn repin(&self, force: bool) -> bool {
        force && (self.insecure() || self.cacert_flag())
    }

    /// Reuse the cached session if the BMC still accepts it, else create one. The lock is
    /// held across check-and-create, so racing logins create one session. With `hold`, the
    /// process that ran rfsession holds the session until it logs out (or exits).
    pub fn login(
        &self,
        user: &str,
        password: &Passwords,
        force: bool,
        hold: bool,
    ) -> Result<Login> {
        // The validity check without the lock first: the common case is a session that is
        // still good.
        let mut dead = None;
        match self.decide(self.entry()?, user, force, None)? {
            Plan::Reuse(e) => {
                if let Some(e) = self.reuse(&e, hold)? {
                    return Ok(Login::Reused(e));
                }
            }
            Plan::Replace(e) if !force && e.user.as_deref() == Some(user) => dead = Some(e.token),
            _ => {}
        }
        if self.will_prompt(password) {
            // A person is about to type a password: show a certificate problem (a wrong
            // --cacert, a changed pin) first, not after it was typed.
            let trust = self.trust(self.entry()?.as_ref(), self.repin(force));
            self.bmc(trust)?.sessions_path()?;
        } else if !self.passwords(password).available() {
            // No password to be had: an unreadable --cacert, which needs mending too, is
            // named first all the same (read here, without a request).
            self.bmc(self.trust(self.entry()?.as_ref(), self.repin(force)))?;
        }
        let password = self.passwords(password).read(user, &self.host.key())?;
        let lock = self.lock()?;
        // Another process may have logged in or out while we waited: decide again.
        match self.decide(self.entry()?, user, force, dead.as_ref())? {
            Plan::Reuse(e) => {
                let e = self.add_hold(&lock, e, hold)?;
                self.touch();
                Ok(Login::Reused(e))
            }
            Plan::Replace(old) => {
                let e = self.replace(&lock, user, &password, &old, self.repin(force))?;
                self.add_hold(&lock, e, hold).map(Login::Created)
            }
            Plan::Create => {
                let repin = self.repin(force);
                let trust = self.trust(None, repin);
                let e = self.create(&lock, user, &password, trust, None, repin)?;
                self.add_hold(&lock, e, hold).map(Login::Created)
            }
        }
    }

    /// Reuse `checked`, the entry the BMC just accepted, when it is still the cached one
    /// under the lock (recording the caller's hold); None when another process changed it.
    fn reuse(&self, checked: &Entry, hold: bool) -> Result<Option<Entry>> {
        let lock = self.lock()?;
        let Some(current) = self.entry()?.filter(|e| e.token == checked.token) else {
            return Ok(None);
        };
        let e = self.add_hold(&lock, current, hold)?;
        drop(lock);
        self.touch();
        Ok(Some(e))
    }

    /// The entry with the caller's hold added (with `hold`) and dead holds dropped, written
    /// when that changed anything.
    fn add_hold(&self, lock: &HostLock, mut entry: Entry, hold: bool) -> Result<Entry> {
        let holds = held(&entry.holds, hold);
        if holds != entry.holds {
            entry.holds = holds;
            self.cache().write(lock, &entry)?;
        }
        Ok(entry)
    }

    /// The cached session for requests; when nothing is cached and a password and user are
    /// at hand without asking anyone, a login (which holds nothing) first.
    pub fn open_or_login(&self, user: Option<&str>, pw: &Passwords) -> Result<Live> {
        if let Some(e) = self.entry()? {
            return self.live_with(e, pw);
        }
        if self.hs.auth.as_ref().map(|a| a.value) == Some(crate::settings::Auth::Basic) {
            let (user, _) = self.login_user(user)?;
            return self.basic_live(self.basic_entry(&user, None), pw);
        }
        if !self.can_relogin(pw) {
            return Err(self.not_logged_in());
        }
        let user = match self.login_user(user) {
            Ok((u, _)) => u,
            Err(SessionError::NoUser) => return Err(self.not_logged_in()),
            Err(e) => return Err(e),
        };
        let entry = match self.login(&user, pw, false, false)? {
            Login::Reused(e) | Login::Created(e) => e,
        };
        self.live(entry)
    }

    /// The cached session, checked with the BMC; logged in again once when the BMC refuses
    /// it and a password is at hand (as `get` would).
    pub fn open_valid(&self, user: Option<&str>, pw: &Passwords) -> Result<Live> {
        let mut live = self.open_or_login(user, pw)?;
        if live.valid()? {
            return Ok(live);
        }
        if !self.can_relogin(pw) {
            return Err(live.refused().into());
        }
        self.relogin(&mut live, user, pw)?;
        Ok(live)
    }

    /// Can we log in again after a 401: a password at hand, or a person at the terminal to
    /// ask, as `login` would (never in scripts: no terminal, no prompt, exit 4)?
    fn can_relogin(&self, pw: &Passwords) -> bool {
        self.passwords(pw).available() || self.will_prompt(pw)
    }

    /// Will reading the password ask the person at the terminal?
    fn will_prompt(&self, pw: &Passwords) -> bool {
        self.prompt && !self.passwords(pw).available() && std::io::stdin().is_terminal()
    }

    /// Do `request` with the session; a 401 means nothing was applied, so when a password
    /// is at hand it logs in again once and does it again.
    pub fn with_relogin<T>(
        &self,
        live: &mut Live,
        user: Option<&str>,
        pw: &Passwords,
        request: impl Fn(&Live) -> Result<T, RedfishError>,
    ) -> Result<T> {
        match request(live) {
            // HTTP Basic refused: the credentials are wrong; no session to log in again to.
            Err(RedfishError::Unauthorized { message, .. }) if live.basic => {
                Err(RedfishError::Rejected {
                    status: 401,
                    message,
                }
                .into())
            }
            Err(RedfishError::Unauthorized { .. }) if self.can_relogin(pw) => {
                self.relogin(live, user, pw)?;
                Ok(request(live)?)
            }
            r => Ok(r?),
        }
    }

    /// Adopt a session created elsewhere (Ansible, a web console, another tool): check the
    /// token with one GET, find its URI when not given, and cache it; the session it
    /// replaces in the cache is ended first, as with `login --force`.
    pub fn adopt(&self, token: Secret, uri: Option<&str>) -> Result<(Entry, Option<String>)> {
        if token.expose().len() > MAX_TOKEN {
            return Err(SessionError::GivenTokenTooLarge);
        }
        let lock = self.lock()?;
        let current = self.entry()?;
        let trusting = self.trust(current.as_ref(), self.repin(true));
        let trust = trusting.trust.clone();
        let bmc = self.bmc(trusting)?;
        let sessions = bmc.sessions_path()?;
        // Checked before the token goes anywhere: logout will DELETE this URI.
        let uri = uri
            .map(|u| self.session_arg("--session-uri", u, &sessions))
            .transpose()?;
        if !bmc.accepts(&token, uri.as_deref())? {
            return Err(bmc.unauthorized("the token given was refused").into());
        }
        let (uri, user, note) = match uri {
            Some(u) => {
                // Where the BMC marks the token's own session, the URI must be that one:
                // another would end someone else's session at logout and leave this alive.
                let listed = bmc.list_sessions(&token, &sessions, "").unwrap_or_default();
                if let Some(own) = listed.iter().find(|s| s.marked_mine)
                    && !own.uri.eq_ignore_ascii_case(&u)
                {
                    return Err(SessionError::NotTokensSession {
                        uri: u,
                        own: own.uri.clone(),
                    });
                }
                let user = bmc.session_user(&token, &u);
                (Some(u), user, None)
            }
            None => match bmc.find_own(&token, &sessions)? {
                Some((u, user)) => (Some(u), Some(user), None),
                None => (
                    None,
                    None,
                    Some("the BMC does not say which session this token belongs to; logout can end it only with --session-uri given here".to_owned()),
                ),
            },
        };
        if let Some(old) = current.as_ref().filter(|o| o.token != token) {
            self.end_replaced(old, false)?;
        }
        let inherit = match self.repin(true) {
            true => None,
            false => self.inherited(current.as_ref()),
        };
        let (tls_fingerprint, tls_anchors) = self.kept_trust(&trust, &bmc, inherit);
        let entry = Entry {
            format: FORMAT,
            host: self.host.key(),
            // Unknown stays unknown: a later login asks for it rather than guess.
            user: user.filter(|u| !u.is_empty()),
            session_id: uri
                .as_deref()
                .map(redfish::last_segment)
                .unwrap_or_default(),
            session_uri: uri,
            sessions_uri: Some(sessions),
            context: String::new(),
            created: timefmt::unix_now(),
            session_timeout: bmc.session_timeout(&token),
            token,
            tls_fingerprint,
            tls_anchors,
            basic: false,
            holds: held(current.as_ref().map_or(&[][..], |c| &c.holds), true),
            extra: current.map(|c| c.extra).unwrap_or_default(),
        };
        self.cache().write(&lock, &entry)?;
        Ok((entry, note))
    }

    /// The session a `--session-uri` or `--session` names: an Id, or a URI on this host that
    /// is a direct member of `collection` once decoded. Refused before anything is sent.
    pub fn session_arg(&self, flag: &'static str, value: &str, collection: &str) -> Result<String> {
        let bad = |why: String| SessionError::BadSessionUri {
            flag,
            value: value.chars().take(200).collect(),
            why,
        };
        let v = value.trim();
        let uri = if !v.contains('/') {
            if v.is_empty() || v == "." || v == ".." || v.chars().any(char::is_control) {
                return Err(bad("not a session Id".into()));
            }
            format!("{}/{}", collection.trim_end_matches('/'), percent_encode(v))
        } else {
            match links::reduce(&self.host, "/redfish/v1/", v) {
                Some(Link::Here(p)) => p.trim_end_matches('/').to_owned(),
                Some(Link::Elsewhere(_)) => {
                    return Err(bad(format!(
                        "names another host than {}; the token goes only to the host that issued it",
                        self.host
                    )));
                }
                None => {
                    return Err(bad(
                        "not a plain path (userinfo, a backslash, an encoded slash or dot segment)"
                            .into(),
                    ));
                }
            }
        };
        if !redfish::is_member(collection, &uri) {
            return Err(bad(format!(
                "not a session: give a session Id, or a URI directly under {collection} as `rfsession sessions {}` lists them",
                self.host
            )));
        }
        Ok(uri)
    }

    /// After a 401: log in again once, unless another process already did (use its
    /// session).
    pub fn relogin(&self, live: &mut Live, user: Option<&str>, pw: &Passwords) -> Result<()> {
        // An adopted session's user may be unknown: never guess one for the login.
        let user = user
            .map(str::to_owned)
            .or_else(|| live.entry.user.clone())
            .or_else(|| self.hs.user.as_ref().map(|u| u.value.clone()))
            .or_else(|| crate::netrc::login(&self.host))
            .ok_or(SessionError::UnknownUser {
                hint: "logging in again needs it: pass -u USER, set RFSESSION_USER, or name the user in the settings file or ~/.netrc",
            })?;
        if self.will_prompt(pw) {
            warn(&format!(
                "{}: the BMC no longer accepts the cached session of {user}; log in again",
                self.host
            ));
        }
        let password = self.passwords(pw).read(&user, &self.host.key())?;
        let lock = self.lock()?;
        // Logged out meanwhile: a password source is at hand, so the caller gets a session
        // (holding nothing), with the trust the entry had.
        let Some(current) = self.entry()? else {
            let trust = self.trust(Some(&live.entry), false);
            let entry = self.create(&lock, &user, &password, trust, None, false)?;
            *live = self.live(entry)?;
            return Ok(());
        };
        if current.token != live.entry.token {
            *live = self.live(current)?;
            return Ok(());
        }
        // One stray 401 (a proxy, an HTML error page) must not orphan a live session.
        self.end_replaced(&current, false)?;
        let trust = self.trust(Some(&current), false);
        let entry = self.create(&lock, &user, &password, trust, Some(&current), false)?;
        *live = self.live(entry)?;
        Ok(())
    }

    /// End the session a login replaces; if it may still exist, keep the entry and stop.
    fn end_replaced(&self, old: &Entry, repin: bool) -> Result<()> {
        match self.end(old) {
            Ok(_) => Ok(()),
            // `-k login --force` after a certificate change: the operator said to trust the
            // new certificate; the old token is not sent to it, so its session expires.
            Err(RedfishError::Transport(
                TransportError::CertChanged { .. } | TransportError::Untrusted(_),
            )) if repin => {
                warn(&format!(
                    "warning: {}: the certificate changed, so the old session ({}) was not ended with its token; it will expire on the BMC",
                    self.host,
                    old.session_uri.as_deref().unwrap_or("URI unknown")
                ));
                Ok(())
            }
            Err(source) => Err(SessionError::OldSessionKept {
                host: self.host.key(),
                source,
            }),
        }
    }

    /// DELETE the entry's session, found through MySession or Context when the login gave
    /// no URI. A 401 anywhere means the BMC no longer knows the token: the session is gone.
    fn end(&self, entry: &Entry) -> Result<Deleted, RedfishError> {
        if entry.basic {
            return Ok(Deleted::Ended);
        }
        let bmc = self.bmc(self.trust(Some(entry), false))?;
        let uri = match find(&bmc, entry) {
            Ok(Some(uri)) => uri,
            Ok(None) => return Err(bmc.not_found()),
            Err(RedfishError::Unauthorized { .. }) => return Ok(Deleted::AlreadyGone),
            Err(e) => return Err(e),
        };
        bmc.delete_retrying(&entry.token, &uri)
    }

    /// POST a new session and cache it. From the POST until the entry is written, signals
    /// wait; if the entry cannot be kept, the session is deleted again: a session nobody can
    /// find must not hold a slot in the BMC's small table.
    fn create(
        &self,
        lock: &HostLock,
        user: &str,
        password: &Secret,
        trusting: Trusting,
        previous: Option<&Entry>,
        anew: bool,
    ) -> Result<Entry> {
        let _deferred = signals::defer();
        let new = self.post_new(user, password, trusting, previous, anew)?;
        self.keep_new(lock, new)
    }

    /// Replace `old` with a new session: the new one first, so that a wrong password or an
    /// unreachable BMC leaves the working session alone; only then is the old one ended (or
    /// confirmed gone) and the entry written. A full table has no room for both: then the old
    /// one is ended first, as it must be.
    fn replace(
        &self,
        lock: &HostLock,
        user: &str,
        password: &Secret,
        old: &Entry,
        repin: bool,
    ) -> Result<Entry> {
        let _deferred = signals::defer();
        let trust = self.trust(Some(old), repin);
        let new = match self.post_new(user, password, trust, Some(old), repin) {
            Err(SessionError::Redfish(RedfishError::SessionLimit { .. })) if !old.basic => {
                warn(&format!(
                    "{}: the session table is full: ending the cached session first, then logging in",
                    self.host
                ));
                self.end_replaced(old, repin)?;
                let trust = self.trust(Some(old), repin);
                let new = self.post_new(user, password, trust, Some(old), repin)?;
                return self.keep_new(lock, new);
            }
            r => r?,
        };
        if let Err(e) = self.end_replaced(old, repin) {
            // The cached session stays: the new one must not hold a slot nobody can find.
            undo(&new.bmc, &new.entry);
            return Err(e);
        }
        self.keep_new(lock, new)
    }

    /// POST a new session (signals wait from here until `keep_new`); a token too large to
    /// keep is deleted again at once.
    fn post_new(
        &self,
        user: &str,
        password: &Secret,
        trusting: Trusting,
        previous: Option<&Entry>,
        anew: bool,
    ) -> Result<NewSession> {
        let trust = trusting.trust.clone();
        let bmc = self.bmc(trusting)?;
        let sessions = bmc.sessions_path()?;
        let context = new_context();
        let created = bmc
            .login(&sessions, user, password, &context)
            .map_err(|e| self.with_flags(e))?;
        let inherit = if anew { None } else { self.inherited(previous) };
        let (tls_fingerprint, tls_anchors) = self.kept_trust(&trust, &bmc, inherit);
        let session_timeout = bmc.session_timeout(&created.token);
        let entry = Entry {
            format: FORMAT,
            host: self.host.key(),
            user: Some(user.to_owned()),
            token: created.token,
            session_uri: created.session_uri,
            session_id: created.session_id,
            sessions_uri: Some(sessions),
            context,
            created: timefmt::unix_now(),
            session_timeout,
            tls_fingerprint,
            tls_anchors,
            basic: false,
            holds: held(previous.map_or(&[][..], |p| &p.holds), false),
            extra: previous.map(|p| p.extra.clone()).unwrap_or_default(),
        };
        let len = entry.token.expose().len();
        if len > MAX_TOKEN {
            let deleted = undo(&bmc, &entry);
            return Err(SessionError::TokenTooLarge { len, deleted });
        }
        Ok(NewSession {
            bmc,
            entry,
            password_change: created.password_change,
        })
    }

    /// Cache a session just created; if the entry cannot be kept, the session is deleted
    /// again: a session nobody can find must not hold a slot in the BMC's small table.
    fn keep_new(&self, lock: &HostLock, new: NewSession) -> Result<Entry> {
        let NewSession {
            bmc,
            entry,
            password_change,
        } = new;
        if let Err(source) = self.cache().write(lock, &entry) {
            let deleted = undo(&bmc, &entry);
            return Err(SessionError::NotSaved { source, deleted });
        }
        if let Some(msg) = password_change {
            warn(&format!(
                "warning: {}: the BMC requires a password change before most requests will work: {msg}",
                self.host
            ));
        }
        Ok(entry)
    }

    /// Release the caller's hold, and end the cached session and forget it when no live
    /// hold remains (`Force`: whatever holds it; `Forget`: without contacting the BMC).
    pub fn logout(&self, mode: LogoutMode) -> Result<Logout> {
        let lock = self.lock()?;
        let Some(mut entry) = self.entry()? else {
            if mode == LogoutMode::Forget && self.cache().forget(&lock)? {
                return Ok(Logout::ForgotTrust);
            }
            return Ok(Logout::Nothing);
        };
        if mode == LogoutMode::Release {
            let holds = others_holding(&entry);
            if !holds.is_empty() {
                if holds != entry.holds {
                    entry.holds = holds.clone();
                    self.cache().write(&lock, &entry)?;
                }
                return Ok(Logout::Kept(holds));
            }
        }
        let outcome = match mode {
            LogoutMode::Forget => {
                self.cache().forget(&lock)?;
                Deleted::AlreadyGone
            }
            _ => {
                let outcome = self.end(&entry)?;
                self.cache().remove(&lock)?;
                outcome
            }
        };
        keeper::Place::new(self.cache().dir()).stop(&self.host);
        Ok(Logout::Ended(outcome))
    }

    /// What `logout` would do now, deciding as it would but changing nothing.
    pub fn logout_plan(&self, mode: LogoutMode) -> Result<Logout> {
        let Some(entry) = self.entry()? else {
            if mode == LogoutMode::Forget && self.remembered().is_some() {
                return Ok(Logout::ForgotTrust);
            }
            return Ok(Logout::Nothing);
        };
        if mode == LogoutMode::Release {
            let holds = others_holding(&entry);
            if !holds.is_empty() {
                return Ok(Logout::Kept(holds));
            }
        }
        Ok(Logout::Ended(Deleted::Ended))
    }

    /// End the other sessions that match `which`, never the cached one; one failure (a 403
    /// for another user's session) does not stop the rest.
    pub fn end_others(&self, which: &Others, dry_run: bool) -> Result<Vec<OtherSession>> {
        // Under the host's lock, as `reclaim`: which one is ours is read from the entry.
        let _lock = self.lock()?;
        let live = self.open_or_basic(None, &Passwords::default())?;
        let rows = live.list()?;
        // Without knowing which one is ours, any of them might be: end none. (With HTTP
        // Basic, none is ours.)
        if !live.basic && !rows.iter().any(|(mine, _)| *mine) {
            return Err(live.bmc.not_found().into());
        }
        let user = match (&which.user, &live.entry.user) {
            (Some(u), _) | (None, Some(u)) => u.clone(),
            (None, None) if which.any_user => String::new(),
            (None, None) => {
                return Err(SessionError::UnknownUser {
                    hint: "say whose sessions to end: --user USER or --any-user",
                });
            }
        };
        let now = timefmt::unix_now();
        let mut out = Vec::new();
        for (mine, info) in rows {
            if mine || (!which.any_user && info.user != user) {
                continue;
            }
            if let Some(age) = which.older_than {
                match timefmt::parse_rfc3339(&info.created) {
                    Some(t) if now.saturating_sub(t) >= age.as_secs() => {}
                    Some(_) => continue,
                    None => {
                        let why = "the BMC gives no CreatedTime, so its age is unknown".to_owned();
                        out.push(OtherSession {
                            info,
                            outcome: Err(why),
                        });
                        continue;
                    }
                }
            }
            let outcome = if dry_run {
                Ok(false)
            } else {
                match live.bmc.delete(&live.entry.token, &info.uri) {
                    Ok(_) => Ok(true),
                    Err(e) => Err(e.to_string()),
                }
            };
            out.push(OtherSession { info, outcome });
        }
        Ok(out)
    }

    /// The URI `--session ID` names, in the cached session's collection.
    pub fn session_uri_of(&self, id: &str, entry: &Entry) -> Result<String> {
        self.session_arg("--session", id, sessions_of(entry))
    }

    /// `logout --session ID`: delete any session with the cached token. When it was our
    /// own, the entry goes too; decided on the entry read under the lock. A 404 means the
    /// session is gone, as for every DELETE (`AlreadyGone`).
    pub fn end_other(&self, id: &str) -> Result<(String, Deleted)> {
        let lock = self.lock()?;
        let entry = self.require()?;
        let uri = self.session_uri_of(id, &entry)?;
        let live = self.live(entry)?;
        let own = live
            .entry
            .session_uri
            .as_deref()
            .is_some_and(|u| u.eq_ignore_ascii_case(&uri));
        let outcome = live.bmc.delete(&live.entry.token, &uri)?;
        // 401 means our own token is no good (404, that the session is gone).
        if outcome == Deleted::AlreadyGone && !own && !live.valid()? {
            return Err(live.bmc.unauthorized("").into());
        }
        // An entry known only by Context: if its token stopped working, the id was ours.
        if own || (live.entry.session_uri.is_none() && !live.valid()?) {
            self.cache().remove(&lock)?;
        }
        Ok((uri, outcome))
    }
}

/// How the entry is trusted, for the operator: whoami, sessions --cached, config.
pub fn trust_shown(entry: &Entry) -> String {
    kept_trust_shown(&entry.host, &entry.trust())
}

/// How a host (`key`) is trusted by an entry's or a kept trust, for the operator.
pub fn kept_trust_shown(key: &str, kept: &KeptTrust) -> String {
    if let Some(fp) = &kept.tls_fingerprint {
        return format!("pinned SHA256:{fp}");
    }
    match &kept.tls_anchors {
        Some(pem) => format!(
            "CA remembered from login, {}",
            Anchors(pem.clone()).summary()
        ),
        None if key.starts_with("http://") => "none (plain http)".to_owned(),
        None => "system CA store (or --cacert / the settings file's cacert)".to_owned(),
    }
}

/// The sessions collection the entry's session lives in.
fn sessions_of(entry: &Entry) -> &str {
    entry.sessions_uri.as_deref().unwrap_or(DEFAULT_SESSIONS)
}

/// The entry's session URI: as stored, else found through MySession or Context.
fn find(bmc: &Bmc, entry: &Entry) -> Result<Option<String>, RedfishError> {
    // An entry of an older version may name anything (an adopted `--session-uri` was not
    // checked): only a member of the collection is DELETEd as the session.
    if let Some(uri) = entry
        .session_uri
        .as_ref()
        .filter(|u| redfish::is_member(sessions_of(entry), u))
    {
        return Ok(Some(uri.clone()));
    }
    bmc.find_mine(
        &entry.token,
        sessions_of(entry),
        &entry.context,
        entry.user.as_deref(),
    )
}

/// Delete a session just created that cannot be kept; true when the BMC confirmed it.
fn undo(bmc: &Bmc, entry: &Entry) -> bool {
    match find(bmc, entry) {
        Ok(Some(uri)) => bmc.delete(&entry.token, &uri).is_ok(),
        _ => false,
    }
}

/// A unique Context for each login, so the session can be found again without a URI.
fn new_context() -> String {
    use ring::rand::{SecureRandom, SystemRandom};
    let mut bytes = [0u8; 8];
    // On failure the pid alone still tells this process's sessions apart from others'.
    let _ = SystemRandom::new().fill(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("rfsession-{}-{hex}", std::process::id())
}

/// `s` as one shell word: as it is when plain, else in single quotes.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+:=@%,".contains(&b))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

fn percent_encode(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
