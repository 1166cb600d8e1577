//! Per-host settings: flag, then environment, then the first matching section of the
//! settings file, then its `[defaults]`. Each value remembers where it came from, for
//! `rfsession config HOST` (as `ssh -G` does). Knows nothing of HTTP or of the cache.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use crate::platform::{self, Distrust, Exposed};

use crate::host::Host;

/// Where the settings file is unless --config (or RFSESSION_CONFIG) says: the platform's
/// config directory.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "rfsession").map(|d| d.config_dir().join("config.toml"))
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    #[error("settings file {}: {detail}", path.display())]
    Invalid { path: PathBuf, detail: String },
    #[error(
        "settings file {} line {line} names a password source, but the file is open to group or others ({how}); rfsession refuses it; fix with: {fix}",
        path.display()
    )]
    Unsafe {
        path: PathBuf,
        line: usize,
        how: String,
        fix: String,
    },
    #[error(
        "settings file {}{} is {why}; rfsession refuses it, as ssh does its config; fix with: {fix}",
        file.display(),
        match path == file { true => String::new(), false => format!(": {} above it", path.display()) }
    )]
    Untrusted {
        file: PathBuf,
        /// The file itself, or the directory above it that is at fault.
        path: PathBuf,
        why: String,
        fix: String,
    },
    #[error("cannot read settings file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl SettingsError {
    /// A settings file others could have written, or can read while it names a password
    /// source, is a local permission problem, like an unsafe cache entry (exit 7); the rest
    /// are mistakes in the file.
    pub fn is_unsafe(&self) -> bool {
        matches!(
            self,
            SettingsError::Unsafe { .. } | SettingsError::Untrusted { .. }
        )
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileText {
    #[serde(default)]
    defaults: Section,
    #[serde(default)]
    hosts: IndexMap<String, Section>,
}

/// One section: `[defaults]` or `[hosts."PATTERN"]`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    url: Option<String>,
    user: Option<String>,
    password_file: Option<Spanned<PathBuf>>,
    password_command: Option<Spanned<String>>,
    cacert: Option<PathBuf>,
    insecure: Option<bool>,
    proxy: Option<String>,
    noproxy: Option<String>,
    timeout: Option<DurationText>,
    persist: Option<DurationText>,
    auth: Option<Auth>,
}

/// How requests to a host are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Auth {
    /// A Redfish session: one login, its token on every request (the default).
    Session,
    /// HTTP Basic on every request, for services without sessions; no session is created.
    Basic,
}

/// A duration in the settings file: `timeout = 20` or `timeout = "500ms"`, in the syntax of
/// the flags (`timefmt::parse_duration`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum DurationText {
    Number(f64),
    Text(String),
}

impl DurationText {
    fn parse(&self) -> Result<Duration, String> {
        match self {
            DurationText::Number(n) => crate::timefmt::parse_duration(&n.to_string()),
            DurationText::Text(t) => crate::timefmt::parse_duration(t),
        }
    }
}

impl fmt::Display for DurationText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DurationText::Number(n) => write!(f, "{n}"),
            DurationText::Text(t) => write!(f, "{t:?}"),
        }
    }
}

/// Every key a section takes: name, value, meaning. The fields of `Section` above are the
/// parser's definition (a test holds the two equal); rfsession-settings(5) is written from
/// this table.
pub const KEYS: &[(&str, &str, &str)] = &[
    (
        "url",
        "URL",
        "Makes the section an alias: the section's name, given as HOST, is this URL (https://10.0.4.17:8443), sharing its cache entry and settings. Not in [defaults].",
    ),
    (
        "user",
        "NAME",
        "The user to log in as (-u and RFSESSION_USER beat it).",
    ),
    (
        "password_file",
        "PATH",
        "The password is the first line of this file. The settings file must then be private to you (chmod 600), or rfsession refuses it.",
    ),
    (
        "password_command",
        "COMMAND",
        "The password is the first line this command prints, run with sh -c (pass show lab/bmc). Not with password_file in the same section.",
    ),
    (
        "cacert",
        "PATH",
        "Verify the BMC's certificate with this PEM CA bundle instead of the system's (--cacert beats it).",
    ),
    (
        "insecure",
        "true|false",
        "Accept the BMC's certificate on first use and pin its fingerprint in the cache entry, as -k does.",
    ),
    (
        "proxy",
        "URL",
        "An http://, socks5:// or socks5h:// proxy (--proxy and the *_PROXY variables beat it).",
    ),
    (
        "noproxy",
        "LIST",
        "Hosts reached without the proxy, with curl's NO_PROXY meaning: names, domain suffixes, addresses, CIDR ranges, or * (--noproxy and NO_PROXY beat it).",
    ),
    (
        "timeout",
        "DURATION",
        "All requests for one host in one call together take at most this long: seconds (20) or a duration string (\"500ms\", \"2m\"); default 30 s (--timeout beats it).",
    ),
    (
        "persist",
        "DURATION",
        "Keep the connection open this long between calls through a keeper process (\"60s\", \"5m\"; --persist and RFSESSION_PERSIST beat it).",
    ),
    (
        "auth",
        "session|basic",
        "How the host is reached: a Redfish session (the default), or HTTP Basic with every request for services that have no sessions, the password then read from an unattended source (login --auth beats it).",
    ),
];

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Flag(&'static str),
    Env(&'static str),
    Section(String),
    Defaults,
    BuiltIn,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag(name) => write!(f, "flag {name}"),
            Origin::Env(name) => write!(f, "environment {name}"),
            Origin::Section(name) => write!(f, "settings [hosts.\"{name}\"]"),
            Origin::Defaults => f.write_str("settings [defaults]"),
            Origin::BuiltIn => f.write_str("built in"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone)]
pub struct Setting<T> {
    pub value: T,
    pub from: Origin,
}

/// Where a password comes from when the command line names none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordFrom {
    File(PathBuf),
    Command(String),
}

/// The settings file as read, and the flags and environment of this run.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    file: Option<PathBuf>,
    text: FileSections,
    pub flags: Flags,
}

#[derive(Debug, Clone, Default)]
struct FileSections {
    defaults: Section,
    hosts: IndexMap<String, Section>,
}

/// What the command line said (None or false: not given).
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub cacert: Option<PathBuf>,
    pub insecure: bool,
    pub timeout: Option<Duration>,
    pub proxy: Option<String>,
    pub noproxy: Option<String>,
    /// -u or RFSESSION_USER, as clap read them (each with its origin).
    pub user: Option<Setting<String>>,
    /// --persist or RFSESSION_PERSIST, as clap read them.
    pub persist: Option<Setting<Duration>>,
}

/// One host's resolved settings.
#[derive(Debug, Clone)]
pub struct HostSettings {
    pub host: Host,
    /// The alias the host was reached by, if any.
    pub alias: Option<String>,
    pub user: Option<Setting<String>>,
    pub password: Option<Setting<PasswordFrom>>,
    pub cacert: Option<Setting<PathBuf>>,
    pub insecure: Setting<bool>,
    pub proxy: Option<Setting<String>>,
    pub noproxy: Option<Setting<String>>,
    pub timeout: Setting<Duration>,
    /// How long a keeper holds the connection open without a request; None: no keeper.
    pub persist: Option<Setting<Duration>>,
    /// `auth = "basic"`: log in with HTTP Basic on every request instead of a session.
    pub auth: Option<Setting<Auth>>,
}

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// A settings file is a few lines; anything far larger is a mistake.
const MAX_FILE_BYTES: u64 = 1 << 20;

impl Settings {
    /// Read the settings file at `path` (a missing one is an empty one).
    pub fn load(path: Option<PathBuf>, flags: Flags) -> Result<Settings, SettingsError> {
        Settings::read(path, flags, false)
    }

    /// Read the settings file the operator named (--config, RFSESSION_CONFIG): a missing
    /// one is a mistake, not an empty file.
    pub fn load_named(path: PathBuf, flags: Flags) -> Result<Settings, SettingsError> {
        Settings::read(Some(path), flags, true)
    }

    fn read(path: Option<PathBuf>, flags: Flags, named: bool) -> Result<Settings, SettingsError> {
        let empty = |flags| {
            Ok(Settings {
                flags,
                ..Settings::default()
            })
        };
        let Some(path) = path else {
            return empty(flags);
        };
        let invalid = |detail: &str| SettingsError::Invalid {
            path: path.clone(),
            detail: detail.to_owned(),
        };
        // Only a regular file of sensible size is opened: opening a FIFO would wait for a
        // writer forever (and hang shell completion with it).
        match std::fs::metadata(&path) {
            Ok(m) if !m.is_file() => {
                return Err(invalid(
                    "not a regular file (a directory, pipe or device); name a file",
                ));
            }
            Ok(m) if m.len() > MAX_FILE_BYTES => {
                return Err(invalid("larger than 1 MiB; this is not a settings file"));
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !named => return empty(flags),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(invalid("no such file; create it, or name another"));
            }
            Err(source) => return Err(SettingsError::Read { path, source }),
        }
        let mut file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !named => return empty(flags),
            Err(source) => return Err(SettingsError::Read { path, source }),
        };
        // Who could have written it is checked before a word of it is read: it may name a
        // command to run, a proxy to send the password through, or turn off TLS checks.
        check_trusted(&path, &file)?;
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut std::io::Read::take(&mut file, MAX_FILE_BYTES + 1),
            &mut text,
        )
        .map_err(|source| SettingsError::Read {
            path: path.clone(),
            source,
        })?;
        if text.len() as u64 > MAX_FILE_BYTES {
            return Err(invalid("larger than 1 MiB; this is not a settings file"));
        }
        let parsed: FileText = toml::from_str(&text).map_err(|e| SettingsError::Invalid {
            path: path.clone(),
            detail: toml_error(&text, &e),
        })?;
        let invalid = |detail: String| SettingsError::Invalid {
            path: path.clone(),
            detail,
        };
        // A file others can read must not point at a password.
        let open = match std::fs::metadata(&path).map(|m| platform::check_private(&path, &m)) {
            Ok(Err(Exposed::Open { how, fix })) => Some((how, fix)),
            _ => None, // The owner is checked above.
        };
        for (name, s) in std::iter::once(("defaults", &parsed.defaults))
            .chain(parsed.hosts.iter().map(|(k, v)| (k.as_str(), v)))
        {
            let span = s
                .password_file
                .as_ref()
                .map(Spanned::span)
                .or(s.password_command.as_ref().map(Spanned::span));
            if let (Some(span), Some((how, fix))) = (span, &open) {
                return Err(SettingsError::Unsafe {
                    path: path.clone(),
                    line: text[..span.start].lines().count().max(1),
                    how: how.clone(),
                    fix: fix.clone(),
                });
            }
            if let Some(t) = &s.timeout {
                match t.parse() {
                    Ok(d) if d.is_zero() => {
                        return Err(invalid(format!("[{name}] timeout = {t}: must be above 0")));
                    }
                    Ok(_) => {}
                    Err(e) => return Err(invalid(format!("[{name}] timeout = {t}: {e}"))),
                }
            }
            if let Some(url) = &s.url
                && let Err(e) = Host::parse(url)
            {
                // The reason, not the url: it may carry a password (`https://u:pw@bmc`).
                return Err(invalid(format!(
                    "[hosts.\"{name}\"] url is not a HOST: {}",
                    e.reason
                )));
            }
            if let Some(p) = &s.persist
                && let Err(e) = p.parse()
            {
                return Err(invalid(format!("[{name}] persist = {p}: {e}")));
            }
            if s.password_file.is_some() && s.password_command.is_some() {
                return Err(invalid(format!(
                    "[{name}] names both password_file and password_command; keep one"
                )));
            }
        }
        if parsed.defaults.url.is_some() {
            return Err(invalid("[defaults] cannot set url".into()));
        }
        Ok(Settings {
            file: Some(path),
            text: FileSections {
                defaults: parsed.defaults,
                hosts: parsed.hosts,
            },
            flags,
        })
    }

    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// The aliases the settings file defines (sections that set `url`).
    pub fn aliases(&self) -> Vec<String> {
        self.text
            .hosts
            .iter()
            .filter(|(_, s)| s.url.is_some())
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// HOST as typed: an alias's url, or the host itself.
    pub fn resolve(&self, typed: &str) -> Result<(Host, Option<String>), crate::host::HostError> {
        if let Some(url) = self.text.hosts.get(typed).and_then(|s| s.url.as_deref()) {
            return Ok((Host::parse(url)?, Some(typed.to_owned())));
        }
        Ok((Host::parse(typed)?, None))
    }

    /// The sections that apply to `host`, in file order: an alias whose url is this host
    /// (an alias and its url share settings, as they share a cache entry), and every
    /// pattern that matches its name (or name:port).
    fn sections(&self, host: &Host) -> Vec<(&str, &Section)> {
        // `bmc1.lab.` is the fully qualified `bmc1.lab`: the same sections apply.
        let name = host.name.strip_suffix('.').unwrap_or(&host.name);
        let with_port = format!("{name}:{}", host.port);
        self.text
            .hosts
            .iter()
            .filter(|(pattern, s)| match &s.url {
                Some(url) => Host::parse(url).is_ok_and(|h| h == *host),
                None => {
                    let p = pattern.to_ascii_lowercase();
                    glob(&p, name) || glob(&p, &with_port)
                }
            })
            .map(|(k, s)| (k.as_str(), s))
            .collect()
    }

    /// Everything for one host, each value with its origin.
    pub fn for_host(&self, host: &Host) -> HostSettings {
        let sections = self.sections(host);
        let alias = sections
            .iter()
            .find(|(_, s)| s.url.is_some())
            .map(|(name, _)| *name);
        // The first section that sets it, else [defaults].
        fn pick<T: Clone>(
            sections: &[(&str, &Section)],
            defaults: &Section,
            get: impl Fn(&Section) -> Option<T>,
        ) -> Option<Setting<T>> {
            sections
                .iter()
                .find_map(|(name, s)| {
                    get(s).map(|value| Setting {
                        value,
                        from: Origin::Section((*name).to_owned()),
                    })
                })
                .or_else(|| {
                    get(defaults).map(|value| Setting {
                        value,
                        from: Origin::Defaults,
                    })
                })
        }
        let d = &self.text.defaults;
        let f = &self.flags;
        fn flag<T>(name: &'static str, value: T) -> Setting<T> {
            Setting {
                value,
                from: Origin::Flag(name),
            }
        }
        let env = |name: &'static str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .map(|value| Setting {
                    value,
                    from: Origin::Env(name),
                })
        };
        let user = f
            .user
            .clone()
            .or_else(|| pick(&sections, d, |s| s.user.clone()));
        let password = pick(&sections, d, |s| {
            s.password_file
                .as_ref()
                .map(|p| PasswordFrom::File(p.get_ref().clone()))
                .or(s
                    .password_command
                    .as_ref()
                    .map(|c| PasswordFrom::Command(c.get_ref().clone())))
        });
        let cacert = f
            .cacert
            .clone()
            .map(|c| flag("--cacert", c))
            .or_else(|| pick(&sections, d, |s| s.cacert.clone()));
        let insecure = match f.insecure {
            true => Some(flag("-k", true)),
            false => pick(&sections, d, |s| s.insecure),
        }
        .unwrap_or(Setting {
            value: false,
            from: Origin::BuiltIn,
        });
        let proxy_env = match host.scheme {
            crate::host::Scheme::Https => ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"],
            crate::host::Scheme::Http => ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"],
        };
        let proxy = f
            .proxy
            .clone()
            .map(|p| flag("--proxy", p))
            .or_else(|| proxy_env.into_iter().find_map(env))
            .or_else(|| pick(&sections, d, |s| s.proxy.clone()));
        let noproxy = f
            .noproxy
            .clone()
            .map(|p| flag("--noproxy", p))
            .or_else(|| env("NO_PROXY").or_else(|| env("no_proxy")))
            .or_else(|| pick(&sections, d, |s| s.noproxy.clone()));
        let timeout = f
            .timeout
            .map(|t| flag("--timeout", t))
            .or_else(|| pick(&sections, d, |s| s.timeout.as_ref()?.parse().ok()))
            .unwrap_or(Setting {
                value: DEFAULT_TIMEOUT,
                from: Origin::BuiltIn,
            });
        let persist = f
            .persist
            .clone()
            .or_else(|| pick(&sections, d, |s| s.persist.as_ref()?.parse().ok()))
            .filter(|p| !p.value.is_zero());
        let auth = pick(&sections, d, |s| s.auth);
        HostSettings {
            auth,
            persist,
            host: host.clone(),
            alias: alias.map(str::to_owned),
            user,
            password,
            cacert,
            insecure,
            proxy,
            noproxy,
            timeout,
        }
    }
}

impl HostSettings {
    /// The proxy to reach this host through, unless NO_PROXY (or --noproxy) exempts it.
    pub fn proxy_for_host(&self) -> Option<String> {
        let proxy = self.proxy.as_ref()?;
        let exempt = self
            .noproxy
            .as_ref()
            .is_some_and(|list| no_proxy_matches(&list.value, &self.host.name));
        (!exempt).then(|| proxy.value.clone())
    }
}

/// NO_PROXY exactly as curl 7.88 and 8.x read it: `*` alone means every host (a `*` inside
/// a list is only a name); entries are separated by commas, blanks (spaces, tabs) or both;
/// a name matches itself and its subdomains, a leading and a trailing dot ignored on both
/// sides; an IP address matches itself, or a range with `/BITS` (no port, no brackets).
pub fn no_proxy_matches(list: &str, name: &str) -> bool {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    if list == "*" {
        return true;
    }
    let name = match name.strip_prefix('[') {
        Some(inside) => inside.split(']').next().unwrap_or(inside),
        None => name,
    };
    let name = name.split('%').next().unwrap_or(name);
    let ip = name.parse::<IpAddr>().ok();
    let host = name.strip_suffix('.').unwrap_or(name);
    list.split([',', ' ', '\t'])
        .filter(|e| !e.is_empty())
        .any(|entry| match ip {
            Some(ip) => {
                let (net, bits) = match entry.split_once('/') {
                    // atoi: digits up to the first other character, else 0.
                    Some((net, bits)) => {
                        let digits = bits.len()
                            - bits.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                        (
                            net,
                            bits[..digits].parse::<u32>().unwrap_or(if digits > 0 {
                                u32::MAX
                            } else {
                                0
                            }),
                        )
                    }
                    None => (entry, 0),
                };
                match ip {
                    IpAddr::V4(a) => net.parse::<Ipv4Addr>().is_ok_and(|n| {
                        cidr_match(u32::from(n).into(), u32::from(a).into(), bits, 32)
                    }),
                    IpAddr::V6(a) => net
                        .parse::<Ipv6Addr>()
                        .is_ok_and(|n| cidr_match(u128::from(n), u128::from(a), bits, 128)),
                }
            }
            None => {
                let entry = entry.strip_suffix('.').unwrap_or(entry);
                let entry = entry.strip_prefix('.').unwrap_or(entry);
                let (e, h) = (entry.as_bytes(), host.as_bytes());
                match e.len().cmp(&h.len()) {
                    std::cmp::Ordering::Equal => e.eq_ignore_ascii_case(h),
                    std::cmp::Ordering::Less => {
                        h[h.len() - e.len() - 1] == b'.'
                            && h[h.len() - e.len()..].eq_ignore_ascii_case(e)
                    }
                    std::cmp::Ordering::Greater => false,
                }
            }
        })
}

/// curl's Curl_cidr4_match and Curl_cidr6_match: no bits (or all of them) is an exact match,
/// more bits than the address has is none.
fn cidr_match(net: u128, addr: u128, bits: u32, width: u32) -> bool {
    if bits > width {
        return false;
    }
    if bits == 0 || bits == width {
        return net == addr;
    }
    let shift = width - bits;
    (net >> shift) == (addr >> shift)
}

/// `*` matches any run of characters; everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let Some((first, rest)) = pattern.split_once('*') else {
        return pattern == text;
    };
    let Some(mut left) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = rest.split('*').collect();
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            return left.ends_with(part);
        }
        match left.find(part) {
            Some(at) => left = &left[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// The settings file, and every directory above it, must be changeable by this user (or
/// root) only: see `platform::check_trusted`.
fn check_trusted(file_path: &Path, file: &std::fs::File) -> Result<(), SettingsError> {
    let meta = file.metadata().map_err(|source| SettingsError::Read {
        path: file_path.to_owned(),
        source,
    })?;
    platform::check_trusted(file_path, &meta).map_err(|e| match e {
        Distrust::Io(path, source) => SettingsError::Read { path, source },
        Distrust::Untrusted { path, why, fix } => SettingsError::Untrusted {
            file: file_path.to_owned(),
            path,
            why,
            fix,
        },
    })
}

/// `line 3 column 9: MESSAGE`, never the line itself (toml's own text quotes it); and no
/// message at all for a line that may hold a secret (a proxy's or url's password, a
/// password command), since serde's messages quote the value.
fn toml_error(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().split_whitespace().collect::<Vec<_>>().join(" ");
    let Some(at) = e.span().map(|s| s.start.min(text.len())) else {
        return message;
    };
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    let (number, column) = (text[..at].matches('\n').count() + 1, at - line_start + 1);
    let key = line
        .split('=')
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches('"');
    let message = match SECRET_KEYS.contains(&key) || line.contains('@') {
        true => format!("the value of {key} is invalid (not shown: it may hold a secret)"),
        false => message,
    };
    format!("line {number} column {column}: {message}")
}

/// Keys whose values may hold a password: a proxy's or a url's credentials, a password
/// command's arguments.
const SECRET_KEYS: [&str; 5] = [
    "proxy",
    "url",
    "password_command",
    "password_file",
    "noproxy",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(text: &str) -> Settings {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .unwrap();
        Settings::load(Some(path), Flags::default()).unwrap()
    }

    #[test]
    fn the_documented_keys_are_the_parsed_keys() {
        // serde names every field it accepts when it meets one it does not.
        let err = toml::from_str::<FileText>("[defaults]\nno_such_key = 1\n")
            .unwrap_err()
            .to_string();
        let accepted: Vec<&str> = err
            .split("expected one of ")
            .nth(1)
            .unwrap_or_else(|| panic!("{err}"))
            .split(',')
            .map(|k| k.trim().trim_matches('`'))
            .filter(|k| !k.is_empty())
            .map(|k| k.lines().next().unwrap_or(k).trim_matches('`'))
            .collect();
        let documented: Vec<&str> = KEYS.iter().map(|(k, _, _)| *k).collect();
        assert_eq!(accepted, documented, "{err}");
    }

    #[test]
    fn globs() {
        assert!(glob("bmc*.lab.example.net", "bmc12.lab.example.net"));
        assert!(glob("*", "anything"));
        assert!(glob("10.0.*.1*", "10.0.4.17"));
        assert!(!glob("bmc*.lab", "bmc1.lab.x"));
        assert!(!glob("a*b*c", "acb"));
    }

    #[test]
    fn first_matching_section_then_defaults_and_aliases() {
        let s = settings(
            r#"
[defaults]
timeout = 20
user = "root"
[hosts."bmc*.lab.example.net"]
user = "admin"
password_command = "pass show lab/bmc"
[hosts."*.example.net"]
user = "nobody"
cacert = "/etc/pki/lab-ca.pem"
[hosts.oldilo]
url = "https://10.0.4.17:8443"
user = "Administrator"
insecure = true
"#,
        );
        let (h, _) = s.resolve("bmc7.lab.example.net").unwrap();
        let hs = s.for_host(&h);
        assert_eq!(hs.user.as_ref().unwrap().value, "admin");
        assert_eq!(
            hs.cacert.as_ref().unwrap().value,
            Path::new("/etc/pki/lab-ca.pem")
        );
        assert_eq!(hs.timeout.value, Duration::from_secs(20));
        assert_eq!(hs.timeout.from, Origin::Defaults);
        assert_eq!(
            hs.password.unwrap().value,
            PasswordFrom::Command("pass show lab/bmc".into())
        );
        let (h, alias) = s.resolve("oldilo").unwrap();
        assert_eq!(
            (h.key().as_str(), alias.as_deref()),
            ("https://10.0.4.17:8443", Some("oldilo"))
        );
        // The alias's url typed out gets the alias's settings too.
        let hs = s.for_host(&Host::parse("10.0.4.17:8443").unwrap());
        assert_eq!(hs.alias.as_deref(), Some("oldilo"));
        assert!(hs.insecure.value);
        assert_eq!(hs.user.unwrap().from, Origin::Section("oldilo".into()));
        assert_eq!(s.aliases(), ["oldilo"]);
        let (h, _) = s.resolve("other").unwrap();
        assert_eq!(s.for_host(&h).user.unwrap().value, "root");
    }

    /// curl 7.88/8.x's answers (its unit test 1614 and noproxy.c), row by row.
    #[test]
    fn no_proxy_as_curl_reads_it() {
        let table: &[(&str, &str, bool)] = &[
            // (NO_PROXY, host, bypass the proxy)
            ("*", "bmc1", true),
            ("*", "10.0.0.1", true),
            ("example.com,*", "bmc1", false),
            ("*,example.com", "bmc1", false),
            (" *", "bmc1", false),
            ("example.net", "bmc1.example.net", true),
            (".example.net", "bmc1.example.net", true),
            ("example.net", "example.net", true),
            (".example.net", "example.net", true),
            ("example.net", "badexample.net", false),
            ("bmc1.example.net", "example.net", false),
            ("bmc1", "bmc1", true),
            ("bmc1", "bmc10", false),
            ("BMC1.Example.NET", "bmc1.example.net", true),
            // Trailing dots, in the list and in the host.
            ("localhost.", "localhost", true),
            ("localhost", "localhost.", true),
            ("localhost.", "localhost.", true),
            ("example.net.", "bmc1.example.net.", true),
            (".example.net.", "bmc1.example.net", true),
            // Commas, blanks and tabs all separate; empty entries are nothing.
            ("other localhost", "localhost", true),
            ("other\tlocalhost", "localhost", true),
            ("other , localhost", "localhost", true),
            ("other,,  ,localhost", "localhost", true),
            ("a,b", "c", false),
            ("", "bmc1", false),
            (",", "bmc1", false),
            // IPv4: exact, or a range; a port or a name is no IP match.
            ("10.0.0.0/8, 192.168.1.5", "10.4.5.6", true),
            ("10.0.0.0/8,192.168.1.5", "192.168.1.5", true),
            ("10.0.0.0/8", "11.0.0.1", false),
            ("192.168.0.0/16", "192.168.255.1", true),
            ("192.168.1.5/32", "192.168.1.5", true),
            ("192.168.1.5/33", "192.168.1.5", false),
            ("10.0.0.0/0", "10.0.0.1", false),
            ("10.0.0.0/0", "10.0.0.0", true),
            ("127.0.0.1:8443", "127.0.0.1", false),
            ("localhost", "127.0.0.1", false),
            ("127.0.0.1", "127.0.0.1", true),
            ("127.0.0.1.", "127.0.0.1", false),
            // IPv6: the host in brackets, the entry without.
            ("fd00::/8", "[fd00::5]", true),
            ("fd00::/8", "[fe00::5]", false),
            ("::1", "[::1]", true),
            ("[::1]", "[::1]", false),
            ("::1", "::1", true),
            ("fe80::/64", "[fe80::1%eth0]", true),
        ];
        for &(list, host, want) in table {
            assert_eq!(
                no_proxy_matches(list, host),
                want,
                "NO_PROXY={list:?} host {host}"
            );
        }
    }

    #[test]
    fn a_trailing_dot_host_finds_its_section() {
        let s = settings("[hosts.\"bmc*.lab\"]\nuser = \"ops\"\n");
        let (h, _) = s.resolve("bmc7.lab.").unwrap();
        assert_eq!(s.for_host(&h).user.unwrap().value, "ops");
    }

    #[test]
    fn mistakes_are_named_with_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let load = |text: &str, mode: u32| {
            std::fs::write(&path, text).unwrap();
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(mode))
                .unwrap();
            Settings::load(Some(path.clone()), Flags::default())
                .unwrap_err()
                .to_string()
        };
        let e = load("[hosts.a]\nuser = \"x\"\ncolour = 1\n", 0o600);
        assert!(
            e.contains("line 3") && e.contains("unknown field `colour`"),
            "{e}"
        );
        let e = load("[hosts.a]\ninsecure = \"yes\"\n", 0o600);
        assert!(e.contains("line 2") && e.contains("invalid type"), "{e}");
        // A line that may hold a secret is never echoed, whatever is wrong with it.
        for line in [
            "proxy = http://ops:hunter2@proxy:3128",
            "proxy = 'http://ops:hunter2@proxy:3128",
            "proxy = [\"ops:hunter2@proxy:3128\"]",
            "password_command = [\"hunter2\"]",
            "url = { a = \"https://ops:hunter2@bmc\" }",
            "user = \"ops:hunter2@x\" junk",
        ] {
            let e = load(&format!("[hosts.a]\n{line}\n"), 0o600);
            assert!(
                e.contains("line 2") && !e.contains("hunter2"),
                "{line}: {e}"
            );
        }
        let e = load("[hosts.a]\nurl = \"https://ops:hunter2@bmc\"\n", 0o600);
        assert!(
            e.contains("url is not a HOST") && !e.contains("hunter2"),
            "{e}"
        );
        let e = load(
            "[defaults]\ntimeout = 20\n[hosts.a]\npassword_file = \"/p\"\n",
            0o644,
        );
        assert!(e.contains("line 4") && e.contains("chmod 600"), "{e}");
    }
}
