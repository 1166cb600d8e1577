//! HOST arguments: parsing, normalization and the cache key.
//!
//! `BMC1`, `https://bmc1` and `bmc1:443` are one host; the key drops the default port and
//! lower-cases the name, and IPv6 addresses are kept in their canonical bracketed form.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
        let err = |reason| HostError {
            input: input.chars().take(200).collect(),
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
            let ip: Ipv6Addr = inner[..end]
                .parse()
                .map_err(|_| err("not a valid IPv6 address"))?;
            let port = match &inner[end + 1..] {
                "" => None,
                p => Some(p.strip_prefix(':').ok_or_else(|| err("junk after ']'"))?),
            };
            (format!("[{ip}]"), port)
        } else if rest.matches(':').count() > 1 {
            let ip: Ipv6Addr = rest
                .parse()
                .map_err(|_| err("not a valid IPv6 address (write [addr]:port)"))?;
            (format!("[{ip}]"), None)
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

    /// `scheme://name:port`, the base of every URL sent to this host.
    pub fn origin(&self) -> String {
        format!("{}://{}:{}", self.scheme.as_str(), self.name, self.port)
    }

    /// A file name stem that maps one-to-one to the key and holds no '/'.
    pub fn file_stem(&self) -> String {
        format!("{}_{}_{}", self.scheme.as_str(), self.name, self.port)
    }

    /// The inverse of [`Host::file_stem`].
    pub fn from_file_stem(stem: &str) -> Option<Host> {
        let (scheme, rest) = stem.split_once('_')?;
        let (name, port) = rest.rsplit_once('_')?;
        let host = Host::parse(&format!("{scheme}://{name}:{port}")).ok()?;
        (host.file_stem() == stem).then_some(host)
    }

    /// The name without IPv6 brackets, as used for TLS server names.
    pub fn bare_name(&self) -> &str {
        self.name.trim_start_matches('[').trim_end_matches(']')
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
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
    fn file_stem_round_trips() {
        for s in [
            "bmc1",
            "bmc1:8443",
            "[fd00::5]:443",
            "http://127.0.0.1:8000",
            "a_b.c",
        ] {
            let h = Host::parse(s).unwrap();
            assert_eq!(Host::from_file_stem(&h.file_stem()), Some(h));
        }
    }
}
