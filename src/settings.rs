//! Per-host settings: flag, then environment, then the first matching section of the
//! settings file, then its `[defaults]`. Each value remembers where it came from, for
//! `rfsession config HOST` (as `ssh -G` does). Knows nothing of HTTP or of the cache.

use std::fmt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use crate::host::Host;

/// Where the settings file is: RFSESSION_CONFIG, else the platform's config directory.
pub fn default_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("RFSESSION_CONFIG") {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("", "", "rfsession").map(|d| d.config_dir().join("config.toml"))
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    #[error("settings file {}: {detail}", path.display())]
    Invalid { path: PathBuf, detail: String },
    #[error(
        "settings file {} line {line} names a password source, but the file is open to group or others (mode {mode:03o}); rfsession refuses it; fix with: chmod 600 {}",
        path.display(), path.display()
    )]
    Unsafe {
        path: PathBuf,
        line: usize,
        mode: u32,
    },
    #[error("cannot read settings file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl SettingsError {
    /// A settings file that others can read while it names a password source is a local
    /// permission problem, like an unsafe cache entry; the rest are mistakes in the file.
    pub fn is_unsafe(&self) -> bool {
        matches!(self, SettingsError::Unsafe { .. })
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
    timeout: Option<f64>,
    persist: Option<String>,
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
        "SECONDS",
        "All requests for one host in one call together take at most this long (default 30, at most 86400; --timeout beats it).",
    ),
    (
        "persist",
        "DURATION",
        "Keep the connection open this long between calls through a keeper process (60s, 5m; --persist and RFSESSION_PERSIST beat it).",
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
    pub timeout: Option<f64>,
    pub proxy: Option<String>,
    pub noproxy: Option<String>,
    pub user: Option<String>,
    /// --persist or RFSESSION_PERSIST (clap reads both).
    pub persist: Option<Duration>,
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
}

const DEFAULT_TIMEOUT: f64 = 30.0;

impl Settings {
    /// Read the settings file at `path` (a missing one is an empty one).
    pub fn load(path: Option<PathBuf>, flags: Flags) -> Result<Settings, SettingsError> {
        let Some(path) = path else {
            return Ok(Settings {
                flags,
                ..Settings::default()
            });
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Settings {
                    flags,
                    ..Settings::default()
                });
            }
            Err(source) => return Err(SettingsError::Read { path, source }),
        };
        let parsed: FileText = toml::from_str(&text).map_err(|e| SettingsError::Invalid {
            path: path.clone(),
            detail: one_line(&e.to_string()),
        })?;
        let invalid = |detail: String| SettingsError::Invalid {
            path: path.clone(),
            detail,
        };
        // A file others can read must not point at a password.
        let mode = std::fs::metadata(&path)
            .map(|m| m.mode() & 0o777)
            .unwrap_or(0);
        for (name, s) in std::iter::once(("defaults", &parsed.defaults))
            .chain(parsed.hosts.iter().map(|(k, v)| (k.as_str(), v)))
        {
            let span = s
                .password_file
                .as_ref()
                .map(Spanned::span)
                .or(s.password_command.as_ref().map(Spanned::span));
            if let (Some(span), true) = (span, mode & 0o077 != 0) {
                return Err(SettingsError::Unsafe {
                    path: path.clone(),
                    line: text[..span.start].lines().count().max(1),
                    mode,
                });
            }
            if let Some(t) = s.timeout
                && !(t > 0.0 && t <= 86_400.0)
            {
                return Err(invalid(format!(
                    "[{name}] timeout = {t}: must be seconds above 0 and at most 86400"
                )));
            }
            if let Some(url) = &s.url
                && let Err(e) = Host::parse(url)
            {
                return Err(invalid(format!("[hosts.\"{name}\"] url: {e}")));
            }
            if let Some(p) = &s.persist
                && let Err(e) = crate::timefmt::parse_duration(p)
            {
                return Err(invalid(format!("[{name}] persist = {p:?}: {e}")));
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
        let with_port = format!("{}:{}", host.name, host.port);
        self.text
            .hosts
            .iter()
            .filter(|(pattern, s)| match &s.url {
                Some(url) => Host::parse(url).is_ok_and(|h| h == *host),
                None => {
                    let p = pattern.to_ascii_lowercase();
                    glob(&p, &host.name) || glob(&p, &with_port)
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
            .map(|u| flag("-u", u))
            .or_else(|| env("RFSESSION_USER"))
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
            .or_else(|| pick(&sections, d, |s| s.timeout))
            .unwrap_or(Setting {
                value: DEFAULT_TIMEOUT,
                from: Origin::BuiltIn,
            });
        let persist = f
            .persist
            .map(|d| flag("--persist", d))
            .or_else(|| {
                pick(&sections, d, |s| {
                    s.persist
                        .as_deref()
                        .and_then(|p| crate::timefmt::parse_duration(p).ok())
                })
            })
            .filter(|p| !p.value.is_zero());
        HostSettings {
            persist,
            host: host.clone(),
            alias: alias.map(str::to_owned),
            user,
            password,
            cacert,
            insecure,
            proxy,
            noproxy,
            timeout: Setting {
                value: Duration::from_secs_f64(timeout.value),
                from: timeout.from,
            },
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

/// curl's NO_PROXY: a comma list of `*`, host names and domain suffixes (a leading dot
/// optional), IP addresses, and CIDR ranges; a port on an entry is ignored.
pub fn no_proxy_matches(list: &str, name: &str) -> bool {
    let name = name.trim_start_matches('[').trim_end_matches(']');
    let name = name.split('%').next().unwrap_or(name).to_ascii_lowercase();
    let ip = name.parse::<std::net::IpAddr>().ok();
    list.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .any(|entry| {
            if entry == "*" {
                return true;
            }
            let entry = entry.to_ascii_lowercase();
            let entry = entry.trim_start_matches('[');
            let entry = match entry.split_once(']') {
                Some((inside, _)) => inside,
                None if entry.matches(':').count() == 1 => entry.split(':').next().unwrap_or(entry),
                None => entry,
            };
            if let (Some(ip), Some((net, bits))) = (ip, entry.split_once('/')) {
                return cidr_contains(net, bits, ip);
            }
            if let (Some(ip), Ok(e)) = (ip, entry.parse::<std::net::IpAddr>()) {
                return ip == e;
            }
            let domain = entry.trim_start_matches('.');
            name == domain || name.ends_with(&format!(".{domain}"))
        })
}

fn cidr_contains(net: &str, bits: &str, ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    let (Ok(net), Ok(bits)) = (net.parse::<IpAddr>(), bits.parse::<u32>()) else {
        return false;
    };
    match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(a)) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(n) & mask == u32::from(a) & mask
        }
        (IpAddr::V6(n), IpAddr::V6(a)) if bits <= 128 => {
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(n) & mask == u128::from(a) & mask
        }
        _ => false,
    }
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

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

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

    #[test]
    fn no_proxy_as_curl_reads_it() {
        let m = no_proxy_matches;
        assert!(m("*", "bmc1"));
        assert!(m("example.net", "bmc1.example.net") && m(".example.net", "bmc1.example.net"));
        assert!(m("bmc1", "bmc1") && !m("bmc1", "bmc10"));
        assert!(!m("example.net", "badexample.net"));
        assert!(
            m("10.0.0.0/8, 192.168.1.5", "10.4.5.6") && m("10.0.0.0/8,192.168.1.5", "192.168.1.5")
        );
        assert!(!m("10.0.0.0/8", "11.0.0.1"));
        assert!(
            m("fd00::/8", "[fd00::5]") && m("[::1]", "[::1]") && m("127.0.0.1:8443", "127.0.0.1")
        );
        assert!(!m("", "bmc1"));
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
        let e = load(
            "[defaults]\ntimeout = 20\n[hosts.a]\npassword_file = \"/p\"\n",
            0o644,
        );
        assert!(e.contains("line 4") && e.contains("chmod 600"), "{e}");
    }
}
