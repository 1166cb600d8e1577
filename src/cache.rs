//! The on-disk token cache: one JSON file per host in a private directory.
//!
//! Each host has `<stem>.json` (the entry, replaced atomically) and `<stem>.lock` (a stable
//! file that is only ever locked, never replaced or removed: removing it would let two
//! processes hold "the" lock on two different inodes). Readers need no lock because a rename
//! never exposes a half-written entry; writers hold the host's exclusive lock. Nothing here
//! knows about HTTP.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::host::Host;
use crate::platform::{self, Ancestry, Exposed};
use crate::process::ProcessId;
use crate::secret::Secret;

/// The entry format this build writes; entries from a newer format are refused, not misread.
pub const FORMAT: u64 = 1;
const MAX_ENTRY_BYTES: u64 = 1 << 20;
/// Temporary files are `.tmp-<pid>-<random>.partial`, so the next writer can tell dead ones.
const PARTIAL_PREFIX: &str = ".tmp-";
/// A lock wait longer than this is announced once on stderr.
const LOCK_NOTICE_AFTER: Duration = Duration::from_secs(1);
/// The system's CA certificates, decoded, kept between calls by `tls` (no entry: no `.json`).
pub const SYSTEM_ROOTS: &str = "system-roots";

/// Write `path` in `dir` through a private temp file of this process (named by pid, so the
/// next writer can tell a dead one's) and a rename; with `durable`, fsync the file first.
/// The error names the file it is about.
pub fn replace_in(
    dir: &Path,
    path: &Path,
    bytes: &[u8],
    durable: bool,
) -> std::result::Result<(), (PathBuf, io::Error)> {
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!("{PARTIAL_PREFIX}{}-", std::process::id()))
        .suffix(".partial")
        .tempfile_in(dir)
        .map_err(|e| (dir.to_owned(), e))?;
    platform::make_private(tmp.path()).map_err(|e| (tmp.path().to_owned(), e))?;
    let file = tmp.as_file_mut();
    file.write_all(bytes)
        .and_then(|()| if durable { file.sync_all() } else { Ok(()) })
        .map_err(|e| (tmp.path().to_owned(), e))?;
    tmp.persist(path).map_err(|e| (path.to_owned(), e.error))?;
    Ok(())
}

/// One cached session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub format: u64,
    /// The normalized host key, as `Host::key`.
    pub host: String,
    /// None for an adopted session whose user the BMC did not reveal (entries of older
    /// versions wrote the placeholder "(adopted)": never a user name to log in with).
    #[serde(
        default,
        deserialize_with = "known_user",
        skip_serializing_if = "Option::is_none"
    )]
    pub user: Option<String>,
    pub token: Secret,
    /// Path of the session resource on `host`, when the BMC told (older entries write "").
    #[serde(
        default,
        deserialize_with = "empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub session_uri: Option<String>,
    #[serde(default)]
    pub session_id: String,
    /// The sessions collection the session was created in.
    #[serde(
        default,
        deserialize_with = "empty_as_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub sessions_uri: Option<String>,
    /// The unique `Context` sent at login, to find the session again without a URI.
    #[serde(default)]
    pub context: String,
    /// Seconds since the epoch.
    pub created: u64,
    /// SessionService.SessionTimeout in seconds, when the BMC told.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_timeout: Option<u64>,
    /// SHA-256 of the BMC's certificate, pinned when the login skipped verification (-k).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_fingerprint: Option<String>,
    /// PEM: the CA certificates a login verified with (`--cacert` or the settings file's
    /// `cacert`), which later calls verify with; or the certificate a `-k` login pinned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_anchors: Option<String>,
    /// The host is reached with HTTP Basic on every request (`--auth basic`): there is no
    /// session, the token is a placeholder, and the password is never stored.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub basic: bool,
    /// The processes (shells, scripts) that logged in and have not logged out: `logout`
    /// ends the session only when no live one remains.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holds: Vec<Hold>,
    /// Fields written by other versions, kept as they were.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// How a host's certificate is trusted: the pin and CA certificates an entry remembers. It
/// outlives the session, as ssh's known_hosts does: when the entry goes, it is kept in
/// `<stem>.trust` (0600, as entries) until a new entry carries it or `forget` removes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptTrust {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_fingerprint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_anchors: Option<String>,
}

impl KeptTrust {
    pub fn is_empty(&self) -> bool {
        self.tls_fingerprint.is_none() && self.tls_anchors.is_none()
    }
}

/// The `<stem>.trust` file.
#[derive(Serialize, Deserialize)]
struct TrustFile {
    format: u64,
    host: String,
    #[serde(flatten)]
    trust: KeptTrust,
}

impl Entry {
    /// The entry's trust (empty when it verifies as the run's settings say).
    pub fn trust(&self) -> KeptTrust {
        KeptTrust {
            tls_fingerprint: self.tls_fingerprint.clone(),
            tls_anchors: self.tls_anchors.clone(),
        }
    }

    /// The user for the operator's eyes (never sent anywhere).
    pub fn shown_user(&self) -> &str {
        self.user.as_deref().unwrap_or("an unknown user")
    }
}

fn known_user<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(empty_as_none(d)?.filter(|s| s != "(adopted)"))
}

/// A process that ran `rfsession login` for this entry and still counts on its session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    #[serde(flatten)]
    pub process: ProcessId,
    /// Its program name when it took the hold (`bash`, `backup.sh`).
    pub program: String,
    /// Seconds since the epoch.
    pub since: u64,
}

impl Entry {
    /// The holds of processes still running; those of exited ones are dropped.
    pub fn live_holds(&self) -> Vec<Hold> {
        self.holds
            .iter()
            .filter(|h| h.process.alive())
            .cloned()
            .collect()
    }
}

fn empty_as_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|s| !s.is_empty()))
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CacheError {
    #[error(
        "cache entry {} is unreadable ({detail}); inspect it, end its session on the BMC if needed, then remove the file",
        path.display()
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "cache entry {} has format {found}, newer than this rfsession reads ({FORMAT}); use a newer rfsession",
        path.display()
    )]
    NewerFormat { path: PathBuf, found: u64 },
    #[error(
        "{} is open to group or others ({how}); rfsession refuses it; fix with: {fix}",
        path.display()
    )]
    Permissions {
        path: PathBuf,
        how: String,
        fix: String,
    },
    #[error(
        "{} belongs to {owner}, not to you ({me}); rfsession refuses it; remove it or fix with: {fix}",
        path.display()
    )]
    Owner {
        path: PathBuf,
        owner: String,
        me: String,
        fix: String,
    },
    #[error(
        "gave up after {}s waiting for the lock {}{holder}; retry later or raise --timeout",
        waited.as_secs(), path.display()
    )]
    LockTimeout {
        path: PathBuf,
        waited: Duration,
        holder: String,
    },
    #[error(
        "{} is {what} owned by {owner}, who could swap the cache under you; rfsession refuses it; use a cache directory that only you (or root) control, e.g. unset RFSESSION_CACHE_DIR",
        path.display()
    )]
    UnsafePath {
        path: PathBuf,
        what: &'static str,
        owner: String,
    },
    #[error(
        "{} is not named as rfsession names the entry of {host}; it was not written by this rfsession; move it away",
        path.display()
    )]
    Misnamed { path: PathBuf, host: String },
    #[error("cache {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("no cache directory: set RFSESSION_CACHE_DIR or HOME")]
    NoDir,
}

impl CacheError {
    fn io(path: &Path, source: io::Error) -> Self {
        CacheError::Io {
            path: path.to_owned(),
            source,
        }
    }
}

type Result<T, E = CacheError> = std::result::Result<T, E>;

/// The cache directory.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// Proof that this process holds a host's exclusive lock; released on drop.
#[derive(Debug)]
#[must_use = "the lock is released when this is dropped"]
pub struct HostLock {
    host: Host,
    _file: File,
}

/// One file found in the cache directory: its host and entry, or why it cannot be used.
#[derive(Debug)]
pub struct Listed {
    pub path: PathBuf,
    pub entry: Result<(Host, Entry)>,
}

impl Cache {
    /// `dir` given, or the platform's state directory (`~/.local/state/rfsession` on Linux).
    pub fn new(dir: Option<PathBuf>) -> Result<Cache> {
        let dir = match dir {
            Some(d) => d,
            None => default_dir().ok_or(CacheError::NoDir)?,
        };
        Ok(Cache { dir })
    }

    /// The directory itself (the keeper's socket lives there too).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn entry_path(&self, host: &Host) -> PathBuf {
        self.dir.join(format!("{}.json", host.file_stem()))
    }

    fn trust_path(&self, host: &Host) -> PathBuf {
        self.dir.join(format!("{}.trust", host.file_stem()))
    }

    /// The trust kept for `host` after its entry went, if any. Takes no lock.
    pub fn read_trust(&self, host: &Host) -> Result<Option<KeptTrust>> {
        if !self.dir_exists()? {
            return Ok(None);
        }
        let path = self.trust_path(host);
        let Some(text) = read_private(&path)? else {
            return Ok(None);
        };
        let file: TrustFile = serde_json::from_str(&text).map_err(|e| CacheError::Corrupt {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        if file.format > FORMAT {
            return Err(CacheError::NewerFormat {
                path,
                found: file.format,
            });
        }
        if file.host != host.key() {
            return Err(CacheError::Misnamed {
                path,
                host: file.host,
            });
        }
        Ok(Some(file.trust).filter(|t| !t.is_empty()))
    }

    /// Every host whose trust is kept without an entry, sorted by file name.
    pub fn kept_trusts(&self) -> Result<Vec<(Host, KeptTrust)>> {
        if !self.dir_exists()? {
            return Ok(Vec::new());
        }
        let rd = fs::read_dir(&self.dir).map_err(|e| CacheError::io(&self.dir, e))?;
        let mut names: Vec<PathBuf> = rd
            .flatten()
            .map(|de| de.path())
            .filter(|p| p.extension().is_some_and(|x| x == "trust"))
            .collect();
        names.sort();
        let mut out = Vec::new();
        for path in names {
            let host = read_private(&path)?
                .and_then(|t| serde_json::from_str::<TrustFile>(&t).ok())
                .and_then(|f| Host::parse(&f.host).ok())
                .filter(|h| self.trust_path(h) == path);
            if let Some(h) = host
                && !self.entry_path(&h).exists()
                && let Some(t) = self.read_trust(&h)?
            {
                out.push((h, t));
            }
        }
        Ok(out)
    }

    /// Remove the host's entry and the trust kept for it (`logout --forget`); true when
    /// there was a kept trust.
    pub fn forget(&self, lock: &HostLock) -> Result<bool> {
        let path = self.trust_path(&lock.host);
        let had = match fs::remove_file(&path) {
            Ok(()) => true,
            Err(e) if e.kind() == io::ErrorKind::NotFound => false,
            Err(e) => return Err(CacheError::io(&path, e)),
        };
        self.remove_entry(lock)?;
        Ok(had)
    }

    fn lock_path(&self, host: &Host) -> PathBuf {
        self.dir.join(format!("{}.lock", host.file_stem()))
    }

    /// The entry for `host`, if any. Takes no lock.
    pub fn read(&self, host: &Host) -> Result<Option<Entry>> {
        if !self.dir_exists()? {
            return Ok(None);
        }
        read_entry(&self.entry_path(host))
    }

    /// Wait up to `wait` for the host's exclusive lock; `waiting` is told once, with the
    /// holder, when the lock is not free at once.
    pub fn lock(&self, host: &Host, wait: Duration, waiting: &dyn Fn(&str)) -> Result<HostLock> {
        self.ensure_dir()?;
        let path = self.lock_path(host);
        let mut opts = OpenOptions::new();
        platform::no_follow(platform::private_file(opts.read(true).write(true)));
        let mut file = match opts.clone().create_new(true).open(&path) {
            // A new lock file is made private before anyone uses it (see make_private).
            Ok(f) => platform::make_private(&path).map(|()| f),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => opts.open(&path),
            Err(e) => Err(e),
        }
        .map_err(|e| CacheError::io(&path, e))?;
        check_private(
            &path,
            &file.metadata().map_err(|e| CacheError::io(&path, e))?,
        )?;
        let start = Instant::now();
        let mut told = false;
        let mut pause = Duration::from_millis(1);
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) => {}
                Err(fs::TryLockError::Error(e)) => return Err(CacheError::io(&path, e)),
            }
            let waited = start.elapsed();
            // Brief contention is normal (racing logins); a wait worth telling is not.
            if !told && waited >= LOCK_NOTICE_AFTER {
                told = true;
                waiting(&describe_holder(&path));
            }
            if waited >= wait {
                return Err(CacheError::LockTimeout {
                    holder: describe_holder(&path),
                    path,
                    waited,
                });
            }
            std::thread::sleep(pause.min(wait - waited));
            pause = (pause * 2).min(Duration::from_millis(25));
        }
        // Best effort: tell a waiter who holds the lock.
        let _ = file.set_len(0).and_then(|()| {
            file.rewind()?;
            write!(file, "{}", std::process::id())
        });
        Ok(HostLock {
            host: host.clone(),
            _file: file,
        })
    }

    /// Replace the host's entry atomically: temp file, fsync, rename, fsync of the directory.
    pub fn write(&self, lock: &HostLock, entry: &Entry) -> Result<()> {
        self.remove_stale_partials();
        let mut body =
            zeroize::Zeroizing::new(serde_json::to_vec_pretty(entry).expect("entry serializes"));
        body.push(b'\n');
        self.replace(&self.entry_path(&lock.host), &body, true)?;
        // The entry carries the host's trust now.
        let _ = fs::remove_file(self.trust_path(&lock.host));
        Ok(())
    }

    /// Write `path` through a temp file of this process in the same directory (named by
    /// pid, so the next writer can tell a dead one's) and a rename; with `durable`, fsync the
    /// file and the directory too.
    fn replace(&self, path: &Path, bytes: &[u8], durable: bool) -> Result<()> {
        replace_in(&self.dir, path, bytes, durable).map_err(|(p, e)| CacheError::io(&p, e))?;
        if durable { self.sync_dir() } else { Ok(()) }
    }

    /// Partial files of writers that died (kill -9) may hold a live token: remove them.
    fn remove_stale_partials(&self) {
        let Ok(rd) = fs::read_dir(&self.dir) else {
            return;
        };
        for de in rd.flatten() {
            let name = de.file_name();
            let Some(pid) = name
                .to_str()
                .and_then(|n| n.strip_prefix(PARTIAL_PREFIX))
                .filter(|n| n.ends_with(".partial"))
                .and_then(|n| n.split('-').next())
                .and_then(|p| p.parse::<u32>().ok())
            else {
                continue;
            };
            if !platform::process_alive(pid) {
                let _ = fs::remove_file(de.path());
            }
        }
    }

    /// Remove the host's entry and its notes, keeping its trust (see `KeptTrust`); a missing
    /// entry is fine. The lock file stays: another process may hold or be waiting on it, and a
    /// new file would be a second lock.
    pub fn remove(&self, lock: &HostLock) -> Result<()> {
        if let Ok(Some(e)) = self.read(&lock.host)
            && !e.trust().is_empty()
        {
            let file = TrustFile {
                format: FORMAT,
                host: lock.host.key(),
                trust: e.trust(),
            };
            let mut body = serde_json::to_vec_pretty(&file).expect("trust serializes");
            body.push(b'\n');
            self.replace(&self.trust_path(&lock.host), &body, true)?;
        }
        self.remove_entry(lock)
    }

    fn remove_entry(&self, lock: &HostLock) -> Result<()> {
        let path = self.entry_path(&lock.host);
        self.remove_notes(&lock.host);
        match fs::remove_file(&path) {
            Ok(()) => self.sync_dir(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(CacheError::io(&path, e)),
        }
    }

    /// Record that the session was just used: the entry's mtime is its last use.
    pub fn touch(&self, host: &Host) {
        let path = self.entry_path(host);
        if let Ok(f) = platform::no_follow(OpenOptions::new().write(true)).open(&path) {
            let _ = f.set_modified(SystemTime::now());
        }
    }

    /// A note kept beside the host's entry (`<stem>.<kind>`), such as the links seen for
    /// path completion; None when there is none or it cannot be read.
    pub fn read_note(&self, host: &Host, kind: &str) -> Option<String> {
        let path = self.dir.join(format!("{}.{kind}", host.file_stem()));
        let file = platform::no_follow(OpenOptions::new().read(true))
            .open(&path)
            .ok()?;
        check_private(&path, &file.metadata().ok()?).ok()?;
        let mut text = String::new();
        file.take(MAX_ENTRY_BYTES).read_to_string(&mut text).ok()?;
        Some(text)
    }

    /// Every note beside the host's entry (`<stem>.<kind>`, neither the entry nor the lock).
    fn remove_notes(&self, host: &Host) {
        let Ok(rd) = fs::read_dir(&self.dir) else {
            return;
        };
        let prefix = format!("{}.", host.file_stem());
        for de in rd.flatten() {
            let name = de.file_name();
            let is_note = name
                .to_str()
                .and_then(|n| n.strip_prefix(&prefix))
                .is_some_and(|kind| {
                    !kind.contains('.') && !["json", "lock", "trust"].contains(&kind)
                });
            if is_note {
                let _ = fs::remove_file(de.path());
            }
        }
    }

    /// Replace a note atomically; it holds nothing secret and needs no lock (last one wins).
    pub fn write_note(&self, host: &Host, kind: &str, text: &str) -> Result<()> {
        self.ensure_dir()?;
        let path = self.dir.join(format!("{}.{kind}", host.file_stem()));
        self.replace(&path, text.as_bytes(), false)
    }

    /// When the session was last used, from the entry's mtime.
    pub fn last_used(&self, host: &Host) -> Option<SystemTime> {
        fs::metadata(self.entry_path(host)).ok()?.modified().ok()
    }

    /// Every entry in the cache, sorted by file name; unreadable ones carry their error.
    pub fn list(&self) -> Result<Vec<Listed>> {
        if !self.dir_exists()? {
            return Ok(Vec::new());
        }
        let rd = fs::read_dir(&self.dir).map_err(|e| CacheError::io(&self.dir, e))?;
        let mut out = Vec::new();
        for de in rd {
            let de = de.map_err(|e| CacheError::io(&self.dir, e))?;
            let name = de.file_name();
            let Some(name) = name.to_str() else { continue };
            let Some(stem) = name.strip_suffix(".json") else {
                continue;
            };
            if stem.starts_with('.') {
                continue;
            }
            let path = de.path();
            let entry = match read_entry(&path) {
                Ok(Some(e)) => self.check_name(&path, e),
                Ok(None) => continue,
                Err(e) => Err(e),
            };
            out.push(Listed { path, entry });
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// The entry's own host must name this very file: anything else was not written here.
    fn check_name(&self, path: &Path, e: Entry) -> Result<(Host, Entry)> {
        match Host::parse(&e.host) {
            Ok(h) if self.entry_path(&h) == path => Ok((h, e)),
            _ => Err(CacheError::Misnamed {
                path: path.to_owned(),
                host: e.host.clone(),
            }),
        }
    }

    fn ensure_dir(&self) -> Result<()> {
        match platform::create_private_dir(&self.dir) {
            Ok(()) => self.check_dir(),
            Err(e) => Err(CacheError::io(&self.dir, e)),
        }
    }

    /// False when nothing was ever cached; an existing directory must be private.
    fn dir_exists(&self) -> Result<bool> {
        match self.check_dir() {
            Ok(()) => Ok(true),
            Err(CacheError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    fn check_dir(&self) -> Result<()> {
        let meta = fs::metadata(&self.dir).map_err(|e| CacheError::io(&self.dir, e))?;
        check_private(&self.dir, &meta)?;
        platform::check_ancestry(&self.dir).map_err(|e| match e {
            Ancestry::Io(path, source) => CacheError::Io { path, source },
            Ancestry::Unsafe { path, what, owner } => CacheError::UnsafePath { path, what, owner },
        })
    }

    fn sync_dir(&self) -> Result<()> {
        platform::sync_dir(&self.dir).map_err(|e| CacheError::io(&self.dir, e))
    }
}

pub fn default_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "rfsession")?;
    Some(
        // Linux has a state directory; macOS and Windows get the local application data
        // one, never a cache directory that a cleaner may wipe.
        dirs.state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .to_path_buf(),
    )
}

/// `path` opened without following a symlink, with its metadata, when it is ours and private
/// (0600); None when it does not exist.
fn open_private(path: &Path) -> Result<Option<(File, fs::Metadata)>> {
    let file = match platform::no_follow(OpenOptions::new().read(true)).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(CacheError::io(path, e)),
    };
    let meta = file.metadata().map_err(|e| CacheError::io(path, e))?;
    check_private(path, &meta)?;
    Ok(Some((file, meta)))
}

/// The bytes of `path` if it is a private file of ours (as `open_private`) of at most `max`
/// bytes; None for anything else.
pub fn read_private_file(path: &Path, max: u64) -> Option<Vec<u8>> {
    let (file, meta) = open_private(path).ok()??;
    if !meta.is_file() || meta.len() > max {
        return None;
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// A small private file's text (0600, ours, not a symlink), wiped when dropped (an entry's
/// holds the token); None when it does not exist.
fn read_private(path: &Path) -> Result<Option<zeroize::Zeroizing<String>>> {
    let Some((file, meta)) = open_private(path)? else {
        return Ok(None);
    };
    // Room for the whole file at once: a String that grows leaves copies of the token
    // behind in freed memory, which Zeroizing never sees (and it is one read, not eight).
    let size = meta.len().min(MAX_ENTRY_BYTES) as usize;
    let mut text = zeroize::Zeroizing::new(String::with_capacity(size + 1));
    file.take(MAX_ENTRY_BYTES)
        .read_to_string(&mut text)
        .map_err(|e| CacheError::Corrupt {
            path: path.to_owned(),
            detail: e.to_string(),
        })?;
    Ok(Some(text))
}

fn read_entry(path: &Path) -> Result<Option<Entry>> {
    let Some(text) = read_private(path)? else {
        return Ok(None);
    };
    parse_entry(&text).map(Some).map_err(|e| match e {
        ParseError::Newer(found) => CacheError::NewerFormat {
            path: path.to_owned(),
            found,
        },
        ParseError::Bad(detail) => CacheError::Corrupt {
            path: path.to_owned(),
            detail,
        },
    })
}

#[derive(Debug)]
pub enum ParseError {
    Newer(u64),
    Bad(String),
}

/// Parse an entry's text; public for the property tests.
pub fn parse_entry(text: &str) -> Result<Entry, ParseError> {
    // The version first, without copying the token into a value that is not wiped.
    #[derive(Deserialize)]
    struct Head {
        format: Option<Value>,
    }
    let head: Head =
        serde_json::from_str(text).map_err(|e| ParseError::Bad(format!("not JSON: {e}")))?;
    let format = head
        .format
        .as_ref()
        .and_then(Value::as_u64)
        .ok_or_else(|| ParseError::Bad("no \"format\" field: not an rfsession entry".into()))?;
    if format > FORMAT {
        return Err(ParseError::Newer(format));
    }
    let entry: Entry = serde_json::from_str(text).map_err(|e| ParseError::Bad(e.to_string()))?;
    if entry.token.is_empty() {
        return Err(ParseError::Bad("empty token".into()));
    }
    Ok(entry)
}

fn check_private(path: &Path, meta: &fs::Metadata) -> Result<()> {
    platform::check_private(path, meta).map_err(|e| match e {
        Exposed::Owner { owner, me, fix } => CacheError::Owner {
            path: path.to_owned(),
            owner,
            me,
            fix,
        },
        Exposed::Open { how, fix } => CacheError::Permissions {
            path: path.to_owned(),
            how,
            fix,
        },
    })
}

fn describe_holder(lock_path: &Path) -> String {
    let pid = fs::read_to_string(lock_path)
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok());
    match pid {
        Some(pid) if platform::process_alive(pid) => match platform::process_name(pid) {
            Some(name) => format!(" (held by pid {pid}, {name})"),
            None => format!(" (held by pid {pid})"),
        },
        Some(pid) => format!(" (last taken by pid {pid}, which has exited)"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn empty_uris_of_older_entries_read_as_absent() {
        let e = parse_entry(r#"{"format":1,"host":"https://bmc1","user":"u","token":"t","session_uri":"","created":1}"#).unwrap();
        assert_eq!(e.session_uri, None);
        let text = serde_json::to_string(&e).unwrap();
        assert!(!text.contains("session_uri"), "{text}");
    }

    #[test]
    fn the_placeholder_user_of_older_adopted_entries_reads_as_unknown() {
        let e = parse_entry(
            r#"{"format":1,"host":"https://bmc1","user":"(adopted)","token":"t","created":1}"#,
        )
        .unwrap();
        assert_eq!(e.user, None);
        let e =
            parse_entry(r#"{"format":1,"host":"https://bmc1","token":"t","created":1}"#).unwrap();
        assert_eq!(e.user, None);
        let text = serde_json::to_string(&e).unwrap();
        assert!(!text.contains("user"), "{text}");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn entry_parsing_never_panics(s in "\\PC{0,200}") {
            let _ = parse_entry(&s);
        }

        #[test]
        fn entry_parsing_of_json_objects_never_panics(
            format in prop::option::of(0u64..5),
            token in prop::option::of("\\PC{0,10}"),
            created in prop::option::of(any::<i64>()),
            extra in prop::collection::btree_map("[a-z_]{1,8}", "\\PC{0,8}", 0..4),
        ) {
            let mut v = serde_json::json!({"host": "https://bmc1", "user": "admin"});
            if let Some(f) = format { v["format"] = f.into(); }
            if let Some(t) = token { v["token"] = t.into(); }
            if let Some(c) = created { v["created"] = c.into(); }
            for (k, x) in extra { v[k] = x.into(); }
            if let Ok(e) = parse_entry(&v.to_string()) {
                prop_assert!(e.format <= FORMAT);
                prop_assert!(!e.token.is_empty());
            }
        }
    }
}
