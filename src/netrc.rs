//! ~/.netrc (or $NETRC), as curl reads it: read and parsed once per run, so that a file
//! open to others is warned about once however many hosts look it up.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::environment;
use crate::host::Host;
use crate::output::warn;
use crate::platform::{self, Exposed};
use crate::secret::Secret;

/// The user the file names for `host`, if any.
pub fn login(host: &Host) -> Option<String> {
    entry(&host.name).and_then(|(login, _)| login)
}

/// The password the file names for `host`, if any.
pub fn password(host: &str) -> Option<Secret> {
    entry(host).map(|(_, pw)| pw)
}

/// `machine HOST login USER password PW` for `host` (else the `default` entry).
fn entry(host: &str) -> Option<(Option<String>, Secret)> {
    static TEXT: OnceLock<Option<Secret>> = OnceLock::new();
    let text = TEXT.get_or_init(read).as_ref()?;
    parse_netrc(text.expose(), host)
}

/// The file: $NETRC, else ~/.netrc.
pub fn path() -> Option<PathBuf> {
    match environment::get(environment::NETRC) {
        Some(p) => Some(PathBuf::from(p)),
        None => Some(directories::BaseDirs::new()?.home_dir().join(".netrc")),
    }
}

/// The file's text; a file open to others (or not ours) is ignored with a warning.
fn read() -> Option<Secret> {
    let path = path()?;
    let meta = std::fs::metadata(&path).ok()?;
    if let Err(Exposed::Owner { fix, .. } | Exposed::Open { fix, .. }) =
        platform::check_private(&path, &meta)
    {
        warn(&format!(
            "warning: {} is not private to you; ignored (fix with: {fix})",
            path.display(),
        ));
        return None;
    }
    std::fs::read_to_string(&path).ok().map(Secret::new)
}

fn parse_netrc(text: &str, host: &str) -> Option<(Option<String>, Secret)> {
    let tokens = netrc_tokens(text);
    let mut found: Option<(Option<String>, Option<String>)> = None;
    let mut default: Option<(Option<String>, Option<String>)> = None;
    let mut current: Option<&mut (Option<String>, Option<String>)> = None;
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i].as_str() {
            "machine" => {
                let name = tokens.get(i + 1).map(|s| s.to_ascii_lowercase());
                i += 1;
                current = if found.is_none() && name.as_deref() == Some(host) {
                    found = Some((None, None));
                    found.as_mut()
                } else {
                    None
                };
            }
            "default" => {
                current = if default.is_none() {
                    default = Some((None, None));
                    default.as_mut()
                } else {
                    None
                };
            }
            "login" => {
                if let (Some(c), Some(v)) = (current.as_mut(), tokens.get(i + 1)) {
                    c.0 = Some(v.clone());
                }
                i += 1;
            }
            "password" => {
                if let (Some(c), Some(v)) = (current.as_mut(), tokens.get(i + 1)) {
                    c.1 = Some(v.clone());
                }
                i += 1;
            }
            "account" => i += 1,
            // Its body was left out by netrc_tokens; what follows is no machine's.
            "macdef" => current = None,
            _ => {}
        }
        i += 1;
    }
    let (login, password) = found.or(default)?;
    Some((login, Secret::new(password?)))
}

/// The words of the file, line by line, without macro definitions: as curl reads it,
/// `macdef NAME` ends its line and its body runs to the next empty line, so a `machine`
/// line inside a macro is no entry.
fn netrc_tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_macro = false;
    for line in text.split('\n') {
        if in_macro {
            in_macro = !(line.is_empty() || line.starts_with('\r'));
            continue;
        }
        for word in line_tokens(line) {
            let is_value = matches!(
                out.last().map(String::as_str),
                Some("machine" | "login" | "password" | "account")
            );
            let macdef = word == "macdef" && !is_value;
            out.push(word);
            if macdef {
                in_macro = true;
                break;
            }
        }
    }
    out
}

/// Whitespace-separated words; `"..."` quotes one with spaces (curl 7.84 and later).
fn line_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' {
            chars.next();
            let mut word = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => word.extend(chars.next()),
                    c => word.push(c),
                }
            }
            out.push(word);
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                word.push(c);
                chars.next();
            }
            out.push(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn netrc_entries_as_curl_reads_them() {
        let text = "machine other login x password y\n\
                    machine bmc1 login admin password \"s3cret pw\"\n\
                    default login guest password anon\n";
        let (login, pw) = parse_netrc(text, "bmc1").unwrap();
        assert_eq!(
            (login.as_deref(), pw.expose()),
            (Some("admin"), "s3cret pw")
        );
        let (login, pw) = parse_netrc(text, "bmc2").unwrap();
        assert_eq!((login.as_deref(), pw.expose()), (Some("guest"), "anon"));
        assert!(
            parse_netrc("machine a login b", "a").is_none(),
            "no password, no entry"
        );
    }

    #[test]
    fn netrc_macro_bodies_are_skipped_as_curl_does() {
        let text = "macdef init\n\
                    machine bmc1 login evil password frommacro\n\
                    \n\
                    machine bmc2 login admin password pw2\n\
                    macdef other\n  \n\
                    machine bmc3 login x password still-macro\n\
                    \r\n\
                    machine bmc3 login admin password pw3\n";
        assert!(
            parse_netrc(text, "bmc1").is_none(),
            "a machine inside a macro"
        );
        let (_, pw) = parse_netrc(text, "bmc2").unwrap();
        assert_eq!(pw.expose(), "pw2");
        // A line of blanks does not end a macro; an empty one (or CR LF) does.
        let (_, pw) = parse_netrc(text, "bmc3").unwrap();
        assert_eq!(pw.expose(), "pw3");
        // `macdef` as a password is a password.
        let (_, pw) = parse_netrc("machine a login u password macdef\n", "a").unwrap();
        assert_eq!(pw.expose(), "macdef");
    }
}
