//! One module per subcommand; this one holds what they share.

mod get;
mod login;
mod logout;
mod sessions;
mod whoami;

use std::io::{self, BufRead, IsTerminal, Write};
use std::time::Duration;

use serde_json::Value;

use crate::cache::{Cache, Entry, HostLock};
use crate::cli::{Cli, Command, HostArg, PasswordArgs};
use crate::error::{Error, Result};
use crate::host::{Host, Scheme};
use crate::redfish::Bmc;
use crate::secret::Secret;
use crate::tls::Trust;
use crate::transport::{Options, Transport};

pub fn run(cli: Cli) -> Result<()> {
    let ctx = Ctx {
        cache: Cache::new(cli.cache_dir.clone())?,
        insecure: cli.insecure,
        cacert: cli.cacert.clone(),
        timeout: Duration::from_secs_f64(cli.timeout),
        verbose: cli.verbose,
        json: cli.json,
    };
    match cli.command {
        Command::Login(args) => login::run(&ctx, args),
        Command::Get(args) => get::run(&ctx, args),
        Command::Sessions(args) => sessions::run(&ctx, args),
        Command::Whoami(args) => whoami::run(&ctx, args),
        Command::Logout(args) => logout::run(&ctx, args),
    }
}

/// What every command needs: the cache and the connection settings.
#[derive(Clone)]
pub struct Ctx {
    pub cache: Cache,
    pub insecure: bool,
    pub cacert: Option<std::path::PathBuf>,
    pub timeout: Duration,
    pub verbose: bool,
    pub json: bool,
}

impl Ctx {
    /// The session protocol for `host`. A session logged in with -k is pinned to the
    /// certificate seen then, whatever this invocation's flags say.
    fn bmc(&self, host: &Host, entry: Option<&Entry>) -> Result<Bmc> {
        let trust = match entry.and_then(|e| e.tls_fingerprint.clone()) {
            Some(fp) => Trust::Pinned(fp),
            None if self.insecure => Trust::AnyRecorded,
            None => match &self.cacert {
                Some(p) => Trust::Bundle(p.clone()),
                None => Trust::System,
            },
        };
        self.bmc_with(host, trust)
    }

    fn bmc_with(&self, host: &Host, trust: Trust) -> Result<Bmc> {
        let options = Options {
            trust,
            timeout: self.timeout,
            verbose: self.verbose,
        };
        Ok(Bmc::new(Transport::new(host, options)?))
    }

    fn lock(&self, host: &Host) -> Result<HostLock> {
        Ok(self.cache.lock(host, self.timeout)?)
    }
}

/// HOST from the argument or RFSESSION_HOST, normalized; warns once about clear text.
fn host(arg: &HostArg) -> Result<Host> {
    match &arg.host {
        Some(h) => parse_host(h),
        None => Err(Error::Usage(
            "no HOST given; pass it as an argument or set RFSESSION_HOST".into(),
        )),
    }
}

fn parse_host(s: &str) -> Result<Host> {
    let host = Host::parse(s).map_err(|e| Error::Usage(e.to_string()))?;
    if host.scheme == Scheme::Http {
        warn(&format!(
            "warning: {host}: plain http, the session token travels in clear text"
        ));
    }
    Ok(host)
}

fn warn(line: &str) {
    let _ = writeln!(io::stderr().lock(), "rfsession: {line}");
}

/// Say something to the operator on stderr (never with --json, where stdout says it).
fn say(ctx: &Ctx, line: &str) {
    if !ctx.json {
        warn(line);
    }
}

fn print_json(value: &Value) -> Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)
        .map_err(io::Error::from)
        .and_then(|()| writeln!(out))
        .and_then(|()| out.flush())
        .map_err(Error::Output)
}

fn print_text(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(Error::Output)
}

/// The sessions collection the entry's session lives in.
fn sessions_of(entry: &Entry) -> &str {
    if entry.sessions_uri.is_empty() {
        crate::redfish::DEFAULT_SESSIONS
    } else {
        &entry.sessions_uri
    }
}

/// The entry's session URI: as stored, else found through MySession or Context.
/// Ok(None) when the BMC lists no session that is recognizably ours.
fn session_uri(bmc: &Bmc, entry: &Entry) -> Result<Option<String>, crate::redfish::RedfishError> {
    if !entry.session_uri.is_empty() {
        return Ok(Some(entry.session_uri.clone()));
    }
    bmc.find_mine(
        &entry.token,
        sessions_of(entry),
        &entry.context,
        &entry.user,
    )
}

/// A unique Context for each login, so the session can be found again without a URI.
fn new_context() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("rfsession-{}-{:016x}", std::process::id(), h.finish())
}

impl PasswordArgs {
    /// Is a password at hand without asking anyone (for a login again inside `get`)?
    fn available(&self) -> bool {
        self.password_stdin
            || self.password_file.is_some()
            || self.password.is_some()
            || std::env::var_os("RFSESSION_PASSWORD").is_some_and(|p| !p.is_empty())
    }

    /// The password from the first source found: --password-stdin, --password-file, -p,
    /// RFSESSION_PASSWORD, then a no-echo prompt when stdin is a terminal.
    fn read(&self, user: &str, host: &Host) -> Result<Secret> {
        let trimmed = |mut s: String| {
            let len = s.trim_end_matches(['\n', '\r']).len();
            s.truncate(len);
            Secret::new(s)
        };
        let secret = if self.password_stdin {
            let mut line = String::new();
            io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| Error::Usage(format!("cannot read the password from stdin: {e}")))?;
            trimmed(line)
        } else if let Some(path) = &self.password_file {
            let text = zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
                Error::Usage(format!("cannot read password file {}: {e}", path.display()))
            })?);
            warn_if_shared(path);
            trimmed(text.lines().next().unwrap_or("").to_owned())
        } else if let Some(p) = &self.password {
            warn(
                "warning: -p puts the password in the process list where other users can read it; prefer --password-file or --password-stdin",
            );
            Secret::new(p.clone())
        } else if let Some(p) = std::env::var_os("RFSESSION_PASSWORD").filter(|p| !p.is_empty()) {
            Secret::new(p.to_string_lossy().into_owned())
        } else if io::stdin().is_terminal() {
            rpassword::prompt_password(format!("Password for {user}@{host}: "))
                .map(Secret::new)
                .map_err(|e| Error::Usage(format!("cannot read the password: {e}")))?
        } else {
            return Err(Error::Usage(format!(
                "no password for {user}@{host}: use --password-stdin, --password-file FILE or RFSESSION_PASSWORD, or run in a terminal"
            )));
        };
        if secret.is_empty() {
            return Err(Error::Usage("the password is empty".into()));
        }
        Ok(secret)
    }
}

fn warn_if_shared(path: &std::path::Path) {
    use std::os::unix::fs::MetadataExt;
    if let Ok(m) = std::fs::metadata(path)
        && m.mode() & 0o077 != 0
    {
        warn(&format!(
            "warning: password file {} is readable by others; fix with: chmod 600 {}",
            path.display(),
            path.display()
        ));
    }
}
