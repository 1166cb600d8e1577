//! Links a BMC supplies (a Location header, an `@odata.id`, a nextLink, a task monitor, a
//! session member, the service root's `Links.Sessions`) reduced to a path on the host
//! logged in to before anything is sent to them.
//!
//! A link is the BMC's data, not a URL to follow: the transport puts a path after its own
//! origin, so a link that is not a plain path (userinfo `@`, `\`, `//host`, encoded slashes
//! or dot segments, control characters) could move a token-bearing request to another host
//! or to another resource than the one checked. `reduce` is the one place that decides.

use crate::host::Host;

/// Where a link points, resolved against the path of the request that returned it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// A path (with its query, if any) on the host logged in to.
    Here(String),
    /// The path of a link that names another host, scheme or port.
    Elsewhere(String),
}

/// Reduce `link`, found in the answer to a request for `base`, to a path: None when it is
/// not a plain http(s) reference (userinfo, `\`, whitespace or control characters, a bad or
/// encoded-away escape such as `%2f` or `%2e%2e`, another scheme). Literal dot segments are
/// resolved as RFC 3986 does, so the path returned is the path sent.
pub fn reduce(host: &Host, base: &str, link: &str) -> Option<Link> {
    let link = link.trim_matches([' ', '\t', '\r', '\n']);
    if link.is_empty() || !link.chars().all(plain) {
        return None;
    }
    let link = link.split('#').next().unwrap_or("");
    let head_end = link.find(['/', '?']).unwrap_or(link.len());
    let has_scheme = link
        .find("://")
        .is_some_and(|i| !link[..i].contains(['/', '?']));
    let (authority, scheme, rest) = if has_scheme {
        // With a scheme: `https://host:port/path`.
        let (scheme, after) = link.split_once("://")?;
        let end = after.find(['/', '?']).unwrap_or(after.len());
        (Some(&after[..end]), scheme, &after[end..])
    } else if let Some(after) = link.strip_prefix("//") {
        let end = after.find(['/', '?']).unwrap_or(after.len());
        (Some(&after[..end]), host.scheme.as_str(), &after[end..])
    } else if !link.starts_with(['/', '?']) && link[..head_end].contains(':') {
        // `host:port/path` without a scheme (ODIM's Location); a relative path's first
        // segment never holds a colon (RFC 3986 4.2).
        (
            Some(&link[..head_end]),
            host.scheme.as_str(),
            &link[head_end..],
        )
    } else {
        (None, host.scheme.as_str(), link)
    };
    let same = match authority {
        None => true,
        Some(a) => {
            if a.is_empty() || a.contains('@') || !matches!(scheme, "http" | "https") {
                return None;
            }
            let target = Host::parse(&format!("{scheme}://{a}")).ok()?;
            target.scheme == host.scheme
                && target.port == host.port
                && target.name_on_the_wire() == host.name_on_the_wire()
        }
    };
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    let path = if authority.is_some() && path.is_empty() {
        "/".to_owned()
    } else if path.starts_with('/') {
        path.to_owned()
    } else {
        // A relative reference: the base itself, or merged with its directory (RFC 3986
        // 5.2.2 and 5.2.3).
        let base = base
            .split(['?', '#'])
            .next()
            .filter(|b| b.starts_with('/'))
            .unwrap_or("/");
        let dir = &base[..=base.rfind('/').unwrap_or(0)];
        if path.is_empty() {
            base.to_owned()
        } else {
            format!("{dir}{path}")
        }
    };
    let path = remove_dot_segments(&path);
    if path.starts_with("//") || !path.split('/').all(segment_ok) {
        return None;
    }
    let full = match query {
        Some(q) => format!("{path}?{q}"),
        None => path,
    };
    Some(if same {
        Link::Here(full)
    } else {
        Link::Elsewhere(full)
    })
}

/// `reduce`, keeping only links to the host logged in to.
pub fn on_host(host: &Host, base: &str, link: &str) -> Option<String> {
    match reduce(host, base, link)? {
        Link::Here(p) => Some(p),
        Link::Elsewhere(_) => None,
    }
}

/// A session's path from the login's Location or `@odata.id`. A BMC often names itself by
/// an address the client does not use (iLO 4 drops the port, a BMC behind NAT gives its
/// own address, ODIM drops the scheme): the path is taken and sent only to the host logged
/// in to. A reference without a leading slash (`SessionService/Sessions/7`) is taken from
/// the service root; iLO 4's trailing slash and any query are dropped. Only paths under
/// `/redfish/` qualify.
pub fn session_path(host: &Host, link: &str) -> Option<String> {
    let base = if link.trim_start().starts_with("redfish/") {
        "/"
    } else {
        "/redfish/v1/"
    };
    let (Link::Here(p) | Link::Elsewhere(p)) = reduce(host, base, link)?;
    let path = p.split('?').next().unwrap_or("").trim_end_matches('/');
    (path.starts_with("/redfish/") && path.len() > "/redfish/".len()).then(|| path.to_owned())
}

/// One path segment as a server may decode it: valid escapes, and no slash, backslash,
/// control character or dot segment hidden behind them.
pub fn segment_ok(seg: &str) -> bool {
    let Some(decoded) = decode(seg) else {
        return false;
    };
    if seg.contains(['[', ']']) || matches!(decoded.as_slice(), b"." | b"..") {
        return false;
    }
    !decoded
        .iter()
        .any(|&b| b == b'/' || b == b'\\' || b.is_ascii_control())
}

/// Percent-decoding; None for a malformed escape.
pub fn decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The characters of a URI reference (RFC 3986): visible ASCII except `\ " < > ^ ` { | }`.
fn plain(c: char) -> bool {
    c.is_ascii_graphic() && !matches!(c, '\\' | '"' | '<' | '>' | '^' | '`' | '{' | '|' | '}')
}

/// RFC 3986 5.2.4 for an absolute path.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." | ".." => {
                if *seg == ".." {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h() -> Host {
        Host::parse("127.0.0.1:8443").unwrap()
    }

    #[test]
    fn links_on_the_host_become_paths() {
        let r = |base, l| on_host(&h(), base, l);
        assert_eq!(
            r("/redfish/v1/x", "/redfish/v1/Systems/1"),
            Some("/redfish/v1/Systems/1".into())
        );
        assert_eq!(
            r("/x", "https://127.0.0.1:8443/TaskMonitor/abc?id=7"),
            Some("/TaskMonitor/abc?id=7".into())
        );
        assert_eq!(
            r("/redfish/v1/Redirect/Rel", "Systems/1"),
            Some("/redfish/v1/Redirect/Systems/1".into())
        );
        assert_eq!(
            r("/redfish/v1/a/b", "../Systems/1?x=1"),
            Some("/redfish/v1/Systems/1?x=1".into())
        );
        assert_eq!(
            r("/redfish/v1/Systems/", "1"),
            Some("/redfish/v1/Systems/1".into())
        );
        assert_eq!(
            r("/x", "/redfish/v1/Sessions/../../AccountService"),
            Some("/redfish/AccountService".into())
        );
        assert_eq!(
            r("/x", "/redfish/v1/Sessions?$skip=2&$expand=."),
            Some("/redfish/v1/Sessions?$skip=2&$expand=.".into())
        );
        assert_eq!(r("/x", "//127.0.0.1:8443/a"), Some("/a".into()));
        let named = Host::parse("bmc1:8443").unwrap();
        assert_eq!(
            on_host(&named, "/", "https://BMC1:8443/redfish/v1/x"),
            Some("/redfish/v1/x".into())
        );
        assert_eq!(on_host(&named, "/", "https://bmc1/redfish/v1/x"), None);
        assert_eq!(r("/x", "127.0.0.1:8443/a"), Some("/a".into()));
    }

    #[test]
    fn hostile_links_are_refused() {
        for l in [
            "@127.0.0.2:9999/redfish/v1/TaskService/Tasks/1",
            "https://127.0.0.1:8443@127.0.0.2:9999/redfish/v1",
            "https://x@127.0.0.1:8443/redfish/v1",
            "//127.0.0.2/redfish/v1",
            "https://127.0.0.2:8443/redfish/v1",
            "http://127.0.0.1:8443/redfish/v1",
            "https://127.0.0.1/redfish/v1",
            "\\\\127.0.0.2\\redfish",
            "/redfish\\..\\x",
            "/redfish/v1/%2e%2e/x",
            "/redfish/v1/Sessions/%2E%2e/%2e%2e/AccountService/Accounts/3",
            "/redfish/v1/Sessions/a%2fb",
            "/redfish/v1/%5c",
            "/redfish/v1/%00",
            "/redfish/v1/%zz",
            "/redfish/v1/Systems/1 x",
            "/redfish/v1/\u{1b}[31m",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "",
        ] {
            assert_eq!(on_host(&h(), "/redfish/v1/", l), None, "{l:?}");
        }
    }

    #[test]
    fn session_locations_of_every_vendor() {
        let want = Some("/redfish/v1/SessionService/Sessions/7".to_owned());
        for loc in [
            "/redfish/v1/SessionService/Sessions/7",
            "https://10.0.0.1/redfish/v1/SessionService/Sessions/7",
            "https://10.0.0.1:8443/redfish/v1/SessionService/Sessions/7/",
            "10.0.0.1:45000/redfish/v1/SessionService/Sessions/7",
            "SessionService/Sessions/7",
            "redfish/v1/SessionService/Sessions/7",
            " /redfish/v1/SessionService/Sessions/7 ",
        ] {
            assert_eq!(session_path(&h(), loc), want, "{loc}");
        }
        for bad in [
            "",
            "https://evil/",
            "/redfish/",
            "/redfish/v1/../../etc",
            "@10.0.0.2:1/redfish/v1/SessionService/Sessions/7",
        ] {
            assert_eq!(session_path(&h(), bad), None, "{bad}");
        }
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn host() -> Host {
            Host::parse("127.0.0.1:8443").unwrap()
        }

        /// What a hostile link is made of.
        fn piece() -> impl Strategy<Value = String> {
            prop::sample::select(vec![
                "@",
                "\\",
                "//",
                "/",
                ":",
                "%2e",
                "%2E",
                "%2f",
                "%5c",
                "%40",
                "%00",
                "%",
                "..",
                ".",
                "?",
                "#",
                "127.0.0.2",
                "127.0.0.1",
                ":8443",
                ":9",
                "https://",
                "http:",
                "redfish",
                "v1",
                "Sessions",
                " ",
                "\t",
                "\u{7f}",
                "é",
                "[::1]",
                "%25",
            ])
            .prop_map(str::to_owned)
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 4000, failure_persistence: None, ..ProptestConfig::default() })]

            #[test]
            fn every_link_kept_is_a_plain_path_on_the_host(
                parts in prop::collection::vec(piece(), 0..12),
                noise in "\\PC{0,20}",
                base in prop::sample::select(vec!["/redfish/v1/", "/redfish/v1/Systems/1", "/", "/TaskMonitor/x?y=1"]),
            ) {
                for link in [parts.concat(), format!("{}{noise}", parts.concat())] {
                    if let Some(p) = on_host(&host(), base, &link) {
                        prop_assert!(p.starts_with('/') && !p.starts_with("//"), "{link:?} -> {p:?}");
                        let path = p.split('?').next().unwrap();
                        prop_assert!(p.chars().all(|c| c.is_ascii_graphic()), "{link:?} -> {p:?}");
                        prop_assert!(!p.contains('\\') && !p.contains('#'), "{link:?} -> {p:?}");
                        for seg in path.split('/') {
                            let d = decode(seg).expect("valid escapes");
                            prop_assert!(d != b"." && d != b".." && !d.contains(&b'/'), "{link:?} -> {p:?}");
                        }
                        // What the transport builds from it stays on the host.
                        let url = format!("https://127.0.0.1:8443{p}");
                        let uri: ureq::http::Uri = url.parse().map_err(|e| TestCaseError::fail(format!("{link:?} -> {p:?}: {e}")))?;
                        prop_assert_eq!(uri.host(), Some("127.0.0.1"), "{:?} -> {:?}", link, p);
                        prop_assert_eq!(uri.port_u16(), Some(8443));
                    }
                }
            }

            #[test]
            fn session_locations_keep_the_path(
                prefix in prop::sample::select(vec!["", "https://10.0.0.1", "https://bmc:8443", "bmc:45000", "http://x", "https://127.0.0.1:8443"]),
                id in "[A-Za-z0-9-]{1,24}",
                slash in any::<bool>(),
            ) {
                let loc = format!("{prefix}/redfish/v1/SessionService/Sessions/{id}{}", if slash { "/" } else { "" });
                prop_assert_eq!(session_path(&host(), &loc), Some(format!("/redfish/v1/SessionService/Sessions/{id}")));
            }

            #[test]
            fn other_hosts_never_come_back_as_here(
                name in prop::sample::select(vec!["127.0.0.2", "evil", "127.0.0.1.evil", "[::1]", "127.0.0.1:1"]),
                path in "(/[A-Za-z0-9]{1,8}){0,4}",
                scheme in prop::sample::select(vec!["https://", "//", "", "http://"]),
            ) {
                let link = format!("{scheme}{name}{}{path}", if name.contains(':') || scheme.is_empty() { "" } else { ":8443" });
                prop_assert!(!matches!(reduce(&host(), "/redfish/v1/", &link), Some(Link::Here(_))) || scheme.is_empty() && !name.contains(':'), "{}", link);
            }
        }
    }
}
