//! The on-disk token cache: one JSON file per host in a private directory.
//!
//! Each host has `<stem>.json` (the entry, replaced atomically) and `<stem>.lock` (a stable
//! file that is only ever locked, never replaced or removed: removing it would let two
//! processes hold "the" lock on two different inodes). Readers need no lock because a rename
//! never exposes a half-written entry; writers hold the host's exclusive lock. Nothing here
//! knows about HTTP.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::host::Host;
use crate::secret::Secret;

/// The entry format this build writes; entries from a newer format are refused, not misread.
pub const FORMAT: u64 = 1;
const MAX_ENTRY_BYTES: u64 = 1 << 20;

/// One cached session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub format: u64,
    /// The normalized host key, as `Host::key`.
    pub host: String,
    pub user: String,
    pub token: Secret,
    /// Path of the session resource on `host`; empty when the BMC did not tell.
    #[serde(default)]
    pub session_uri: String,
    #[serde(default)]
    pub session_id: String,
    /// The sessions collection the session was created in.
    #[serde(default)]
    pub sessions_uri: String,
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
    /// Fields written by other versions, kept as they were.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
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
        "{} is open to group or others (mode {mode:03o}); rfsession refuses it; fix with: chmod {want:o} {}",
        path.display(), path.display()
    )]
    Permissions { path: PathBuf, mode: u32, want: u32 },
    #[error(
        "{} belongs to uid {owner}, not to you (uid {me}); rfsession refuses it; remove it or fix with: chown {me} {}",
        path.display(), path.display()
    )]
    Owner { path: PathBuf, owner: u32, me: u32 },
    #[error(
        "gave up after {}s waiting for the lock {}{holder}; retry later or raise --timeout",
        waited.as_secs(), path.display()
    )]
    LockTimeout {
        path: PathBuf,
        waited: Duration,
        holder: String,
    },
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
pub struct HostLock {
    host: Host,
    _file: File,
}

impl HostLock {
    pub fn host(&self) -> &Host {
        &self.host
    }
}

/// One file found in the cache directory.
#[derive(Debug)]
pub struct Listed {
    pub path: PathBuf,
    pub host: Option<Host>,
    pub entry: Result<Entry>,
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

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn entry_path(&self, host: &Host) -> PathBuf {
        self.dir.join(format!("{}.json", host.file_stem()))
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

    /// Wait up to `wait` for the host's exclusive lock.
    pub fn lock(&self, host: &Host, wait: Duration) -> Result<HostLock> {
        self.ensure_dir()?;
        let path = self.lock_path(host);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&path)
            .map_err(|e| CacheError::io(&path, e))?;
        check_private(
            &path,
            &file.metadata().map_err(|e| CacheError::io(&path, e))?,
            0o600,
        )?;
        let start = Instant::now();
        let mut pause = Duration::from_millis(1);
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) => {}
                Err(fs::TryLockError::Error(e)) => return Err(CacheError::io(&path, e)),
            }
            let waited = start.elapsed();
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
        let path = self.entry_path(&lock.host);
        let mut tmp = tempfile::Builder::new()
            .prefix(".tmp-")
            .suffix(".partial")
            .tempfile_in(&self.dir)
            .map_err(|e| CacheError::io(&self.dir, e))?;
        let body =
            zeroize::Zeroizing::new(serde_json::to_vec_pretty(entry).expect("entry serializes"));
        tmp.write_all(&body)
            .and_then(|()| tmp.write_all(b"\n"))
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| CacheError::io(tmp.path(), e))?;
        tmp.persist(&path)
            .map_err(|e| CacheError::io(&path, e.error))?;
        self.sync_dir()
    }

    /// Remove the host's entry; a missing entry is fine.
    pub fn remove(&self, lock: &HostLock) -> Result<()> {
        let path = self.entry_path(&lock.host);
        match fs::remove_file(&path) {
            Ok(()) => self.sync_dir(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(CacheError::io(&path, e)),
        }
    }

    /// Record that the session was just used: the entry's mtime is its last use.
    pub fn touch(&self, host: &Host) {
        let path = self.entry_path(host);
        if let Ok(f) = OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&path)
        {
            let _ = f.set_modified(SystemTime::now());
        }
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
            let host = Host::from_file_stem(stem);
            let entry = match read_entry(&path) {
                Ok(Some(e)) => Ok(e),
                Ok(None) => continue,
                Err(e) => Err(e),
            };
            out.push(Listed { path, host, entry });
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    fn ensure_dir(&self) -> Result<()> {
        match fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)
        {
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
        check_private(&self.dir, &meta, 0o700)
    }

    fn sync_dir(&self) -> Result<()> {
        File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| CacheError::io(&self.dir, e))
    }
}

pub fn default_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "rfsession")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.cache_dir())
            .to_path_buf(),
    )
}

fn read_entry(path: &Path) -> Result<Option<Entry>> {
    let file = match OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(CacheError::io(path, e)),
    };
    let meta = file.metadata().map_err(|e| CacheError::io(path, e))?;
    check_private(path, &meta, 0o600)?;
    let mut text = zeroize::Zeroizing::new(String::new());
    file.take(MAX_ENTRY_BYTES)
        .read_to_string(&mut text)
        .map_err(|e| CacheError::Corrupt {
            path: path.to_owned(),
            detail: e.to_string(),
        })?;
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

fn check_private(path: &Path, meta: &fs::Metadata, want: u32) -> Result<()> {
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        return Err(CacheError::Owner {
            path: path.to_owned(),
            owner: meta.uid(),
            me,
        });
    }
    let mode = meta.mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(CacheError::Permissions {
            path: path.to_owned(),
            mode,
            want,
        });
    }
    Ok(())
}

fn describe_holder(lock_path: &Path) -> String {
    let pid = fs::read_to_string(lock_path)
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok());
    match pid {
        Some(pid) => match fs::read_to_string(format!("/proc/{pid}/comm")) {
            // Only the program name: another process's argv may hold secrets.
            Ok(comm) => format!(" (held by pid {pid}, {})", comm.trim()),
            Err(_) => format!(" (last taken by pid {pid}, which has exited)"),
        },
        None => String::new(),
    }
}
