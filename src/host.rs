//! HOST arguments: parsing, normalization and the cache key.
//!
//! `BMC1`, `https://bmc1` and `bmc1:443` are one host; the key drops the default port and
//! lower-cases the name, and IPv6 addresses are kept in their canonical bracketed form.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Scheme {
    Https,
    Http,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Https => "https",
            Scheme::Http => "http",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            Scheme::Https => 443,
            Scheme::Http => 80,
        }
    }
}

/// A normalized BMC address.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Host {
    pub scheme: Scheme,
    /// Lower-case name, IPv4 address, or IPv6 address in brackets.
    pub name: String,
    pub port: u16,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid HOST '{input}': {reason}")]
pub struct HostError {
    pub input: String,
    pub reason: &'static str,
}

impl Host {
    pub fn parse(input: &str) -> Result<Host, HostError> {
        // A HOST may come with a password in it (`https://u:pw@bmc`): never shown.
        let err = |reason| HostError {
            input: redact_userinfo(input).chars().take(200).collect(),
            reason,
        };
        let s = input.trim();
        if s.is_empty() {
            return Err(err("empty"));
        }
        let (scheme, rest) = match s.find("://") {
            Some(i) => {
                let scheme = match s[..i].to_ascii_lowercase().as_str() {
                    "https" => Scheme::Https,
                    "http" => Scheme::Http,
                    _ => return Err(err("the scheme must be https or http")),
                };
                (scheme, &s[i + 3..])
            }
            None => (Scheme::Https, s),
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.contains(['/', '?', '#', '@']) || rest.chars().any(char::is_whitespace) {
            return Err(err(
                "give only [scheme://]name[:port], without path, user or spaces",
            ));
        }
        let (name, port) = if let Some(inner) = rest.strip_prefix('[') {
            let end = inner
                .find(']')
                .ok_or_else(|| err("missing ']' after the IPv6 address"))?;
            let port = match &inner[end + 1..] {
                "" => None,
                p => Some(p.strip_prefix(':').ok_or_else(|| err("junk after ']'"))?),
            };
            (
                ipv6_name(&inner[..end]).ok_or_else(|| err("not a valid IPv6 address"))?,
                port,
            )
        } else if rest.matches(':').count() > 1 {
            let name = ipv6_name(rest)
                .ok_or_else(|| err("not a valid IPv6 address (write [addr]:port)"))?;
            (name, None)
        } else {
            let (name, port) = match rest.rsplit_once(':') {
                Some((n, p)) => (n, Some(p)),
                None => (rest, None),
            };
            let name = name.to_ascii_lowercase();
            let valid = !name.is_empty()
                && name.len() <= 253
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_')
                && !name.starts_with(['.', '-'])
                && !name.contains("..");
            if !valid {
                return Err(err("not a valid host name or address"));
            }
            let name = match name.parse::<Ipv4Addr>() {
                Ok(ip) => ip.to_string(),
                Err(_) => name,
            };
            (name, port)
        };
        let port = match port {
            None => scheme.default_port(),
            Some(p) => match p.parse::<u16>() {
                Ok(n) if n != 0 && p.bytes().all(|b| b.is_ascii_digit()) => n,
                _ => return Err(err("the port must be a number from 1 to 65535")),
            },
        };
        Ok(Host { scheme, name, port })
    }

    /// The cache key and the name shown to the operator: `https://bmc1`, `https://bmc1:8443`.
    pub fn key(&self) -> String {
        if self.port == self.scheme.default_port() {
            format!("{}://{}", self.scheme.as_str(), self.name)
        } else {
            format!("{}://{}:{}", self.scheme.as_str(), self.name, self.port)
        }
    }

    /// `scheme://name:port`, the base of every URL sent to this host (a link-local zone is
    /// not part of a URL on the wire; the socket gets it, see `zone`).
    pub fn origin(&self) -> String {
        format!(
            "{}://{}:{}",
            self.scheme.as_str(),
            self.name_on_the_wire(),
            self.port
        )
    }

    /// The name without a link-local zone: `[fe80::1]` for `[fe80::1%eth0]`.
    pub fn name_on_the_wire(&self) -> String {
        match self.zone() {
            Some(z) => self.name.replace(&format!("%{z}"), ""),
            None => self.name.clone(),
        }
    }

    /// The zone (interface) of a link-local IPv6 host.
    pub fn zone(&self) -> Option<&str> {
        let inner = self.name.strip_prefix('[')?.strip_suffix(']')?;
        inner.split_once('%').map(|(_, z)| z)
    }

    /// A file name stem, one per key, with no '/', short enough for any file system:
    /// `https_bmc1_443`; a name too long for that keeps a readable prefix and a hash of the key
    /// ('~' never occurs in a host name, so the two forms cannot meet).
    pub fn file_stem(&self) -> String {
        let plain = format!("{}_{}_{}", self.scheme.as_str(), self.name, self.port);
        if plain.len() <= MAX_PLAIN_STEM {
            return plain;
        }
        let digest = ring::digest::digest(&ring::digest::SHA256, self.key().as_bytes());
        let hash: String = digest.as_ref()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let prefix: String = self.name.chars().take(100).collect();
        format!("{}_{prefix}~{hash}_{}", self.scheme.as_str(), self.port)
    }
}

/// Longest stem kept as it is; with ".json" or ".lock" it stays far below NAME_MAX (255).
const MAX_PLAIN_STEM: usize = 200;

/// An IPv6 literal, with a zone for link-local addresses (`fe80::1%eth0`, or `%25eth0`
/// as a URL writes it): `[fe80::1%eth0]`, the zone part of the key (two interfaces, two
/// BMCs). `[::ffff:10.0.0.1]` is the IPv4 host 10.0.0.1: one BMC, one cache entry.
fn ipv6_name(text: &str) -> Option<String> {
    let (addr, zone) = match text.split_once('%') {
        Some((a, z)) => (
            a,
            Some(z.strip_prefix("25").filter(|z| !z.is_empty()).unwrap_or(z)),
        ),
        None => (text, None),
    };
    let ip: Ipv6Addr = addr.parse().ok()?;
    match zone {
        Some(z)
            if !z.is_empty()
                && z.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)) =>
        {
            Some(format!("[{ip}%{z}]"))
        }
        Some(_) => None,
        None => Some(match ip.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => format!("[{ip}]"),
        }),
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

/// A URL (a HOST, a proxy) for the operator's eyes: `socks5h://user:***@host:1080`, in every
/// form it is taken (with or without a scheme, `user:pass@`, a bare `token@`); everything
/// before the last `@` but the user name is a secret.
pub fn redact_userinfo(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), url),
    };
    match rest.rsplit_once('@') {
        Some((cred, hostpart)) => match cred.split_once(':') {
            Some((user, _)) => format!("{scheme}{user}:***@{hostpart}"),
            None => format!("{scheme}***@{hostpart}"),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        Host::parse(s).unwrap().key()
    }

    #[test]
    fn forms_of_one_host_share_a_key() {
        for s in [
            "BMC1",
            "https://bmc1",
            "bmc1:443",
            "HTTPS://Bmc1:443/",
            " bmc1 ",
        ] {
            assert_eq!(key(s), "https://bmc1", "{s}");
        }
        assert_eq!(key("bmc1:8443"), "https://bmc1:8443");
        assert_eq!(key("https://bmc1:8443"), "https://bmc1:8443");
        assert_eq!(key("10.1.2.3"), "https://10.1.2.3");
        assert_eq!(key("[fd00::5]:443"), "https://[fd00::5]");
        assert_eq!(key("[FD00:0::5]:8443"), "https://[fd00::5]:8443");
        assert_eq!(key("fd00::5"), "https://[fd00::5]");
        assert_eq!(key("http://127.0.0.1:8000"), "http://127.0.0.1:8000");
        assert_eq!(key("http://127.0.0.1:80"), "http://127.0.0.1");
    }

    #[test]
    fn rejects_paths_users_and_bad_ports() {
        for s in [
            "",
            "https://bmc1/redfish/v1",
            "admin@bmc1",
            "ftp://bmc1",
            "bmc1:0",
            "bmc1:65536",
            "bmc1:x",
            "[fd00::5",
            "bmc 1",
            "..",
            "-bmc",
            "bmc1:+443",
        ] {
            assert!(Host::parse(s).is_err(), "{s} should be rejected");
        }
    }

    #[test]
    fn file_stems_stay_as_they_were_for_short_names() {
        let stem = |s: &str| Host::parse(s).unwrap().file_stem();
        assert_eq!(stem("bmc1"), "https_bmc1_443");
        assert_eq!(stem("[fd00::5]:8443"), "https_[fd00::5]_8443");
        assert_eq!(stem("http://127.0.0.1:8000"), "http_127.0.0.1_8000");
    }

    #[test]
    fn long_names_get_bounded_distinct_stems() {
        let label = "a".repeat(63);
        let name = format!("{label}.{label}.{label}.{}", "b".repeat(61));
        assert_eq!(name.len(), 253);
        let a = Host::parse(&name).unwrap().file_stem();
        let b = Host::parse(&format!("{name}:8443")).unwrap().file_stem();
        let c = Host::parse(&name.replacen('a', "c", 1))
            .unwrap()
            .file_stem();
        assert!(a.len() + ".json".len() <= 255, "{a}");
        assert!(a != b && a != c && b != c);
        assert!(a.starts_with("https_aaaa") && a.ends_with("_443"), "{a}");
    }

    #[test]
    fn link_local_zones_are_kept_in_the_key() {
        for s in [
            "[fe80::1%eth0]",
            "[FE80::1%25eth0]:443",
            "https://[fe80::1%25eth0]/",
            "fe80::1%eth0",
        ] {
            assert_eq!(key(s), "https://[fe80::1%eth0]", "{s}");
        }
        assert_ne!(key("[fe80::1%eth0]"), key("[fe80::1%eth1]"));
        let h = Host::parse("[fe80::1%25eth0]:8443").unwrap();
        assert_eq!(
            (h.zone(), h.origin().as_str()),
            (Some("eth0"), "https://[fe80::1]:8443")
        );
        assert!(Host::parse("[fe80::1%]").is_err() && Host::parse("[fe80::1%a/b]").is_err());
    }

    #[test]
    fn ipv4_mapped_ipv6_is_the_ipv4_host() {
        assert_eq!(key("[::ffff:127.0.0.1]:8443"), key("127.0.0.1:8443"));
        assert_eq!(key("::ffff:10.0.0.1"), "https://10.0.0.1");
    }

    mod properties {
        use super::super::Host;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

            #[test]
            fn parsing_never_panics_and_normalizes_idempotently(s in "\\PC{0,40}") {
                if let Ok(h) = Host::parse(&s) {
                    let again = Host::parse(&h.key()).expect("a key parses");
                    prop_assert_eq!(&again, &h);
                    prop_assert!(!h.file_stem().contains('/'));
                    prop_assert!(h.file_stem().len() <= 250);
                }
            }

            #[test]
            fn host_like_inputs_normalize(
                scheme in prop::sample::select(vec!["", "https://", "HTTPS://", "http://"]),
                name in "[a-zA-Z0-9][a-zA-Z0-9.-]{0,20}[a-zA-Z0-9]",
                port in prop::option::of(1u16..),
                slash in any::<bool>(),
            ) {
                let input = format!(
                    "{scheme}{name}{}{}",
                    port.map(|p| format!(":{p}")).unwrap_or_default(),
                    if slash { "/" } else { "" }
                );
                if let Ok(h) = Host::parse(&input) {
                    prop_assert_eq!(h.name.clone(), h.name.to_ascii_lowercase());
                    let default = if scheme.starts_with("http:") { 80 } else { 443 };
                    prop_assert_eq!(h.port, port.unwrap_or(default));
                    prop_assert_eq!(h.key().ends_with(&format!(":{default}")), false);
                }
            }
        }
    }
}
