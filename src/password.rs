//! Where a login's password comes from: the first source given wins. On the command line:
//! --password-stdin, --password-file, -p, --password-command; then RFSESSION_PASSWORD; then
//! the host's settings (password_file or password_command); then ~/.netrc; then a no-echo
//! prompt when stdin is a terminal. The password is never put in a child's argv.

use std::io::{self, BufRead, IsTerminal, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::host::Host;
use crate::output::warn;
use crate::platform::{self, Exposed};
use crate::secret::Secret;
use crate::settings::PasswordFrom;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PasswordError {
    #[error("cannot read the password from stdin: {0}")]
    Stdin(io::Error),
    #[error("cannot read password file {}: {source}", path.display())]
    File { path: PathBuf, source: io::Error },
    #[error("cannot read the password: {0}")]
    Prompt(io::Error),
    #[error("password command `{command}` {how}; its output is not shown")]
    Command { command: String, how: String },
    #[error(
        "no password for {user}@{host}: use --password-stdin, --password-file FILE, --password-command CMD, RFSESSION_PASSWORD or the settings file, or run in a terminal"
    )]
    None { user: String, host: String },
    #[error("the password is empty")]
    Empty,
    #[error("the first line of {from} is longer than 4096 bytes; is it a password?")]
    TooLong { from: String },
}

#[derive(Debug, Default, Clone)]
pub struct PasswordSource {
    pub stdin: bool,
    pub file: Option<PathBuf>,
    pub given: Option<Secret>,
    pub command: Option<String>,
    /// The host's settings, when the command line names no source.
    pub settings: Option<PasswordFrom>,
    /// The host name looked up in ~/.netrc.
    pub netrc_host: Option<String>,
    /// How long a password command may run (the host's --timeout) [default: 30s].
    pub timeout: Option<Duration>,
}

impl PasswordSource {
    /// This run's sources, then the host's settings and its ~/.netrc entry.
    pub fn with_fallback(
        &self,
        settings: Option<PasswordFrom>,
        host: &Host,
        timeout: Duration,
    ) -> PasswordSource {
        PasswordSource {
            settings,
            netrc_host: Some(host.name.clone()),
            timeout: Some(timeout),
            ..self.clone()
        }
    }

    /// Is a password at hand without asking anyone (for a login again inside `get`)?
    pub fn available(&self) -> bool {
        self.stdin
            || self.file.is_some()
            || self.given.is_some()
            || self.command.is_some()
            || env_password().is_some()
            || self.settings.is_some()
            || self.netrc_host.as_deref().and_then(netrc).is_some()
    }

    pub fn read(&self, user: &str, host: &Host) -> Result<Secret, PasswordError> {
        self.read_for(user, &host.key())
    }

    /// The password once for many hosts (`--hosts`): `host` names them for the prompt.
    pub fn read_for(&self, user: &str, host: &str) -> Result<Secret, PasswordError> {
        let secret = if self.stdin {
            let mut line = zeroize::Zeroizing::new(Vec::new());
            io::stdin()
                .lock()
                .take(MAX_LINE as u64 + 1)
                .read_until(b'\n', &mut line)
                .map_err(PasswordError::Stdin)?;
            bounded_first_line(&line, "standard input")?
        } else if let Some(path) = &self.file {
            from_file(path)?
        } else if let Some(p) = &self.given {
            p.clone()
        } else if let Some(cmd) = &self.command {
            from_command(cmd, self.command_timeout())?
        } else if let Some(p) = env_password() {
            p
        } else if let Some(from) = &self.settings {
            match from {
                PasswordFrom::File(path) => from_file(path)?,
                PasswordFrom::Command(cmd) => from_command(cmd, self.command_timeout())?,
            }
        } else if let Some((_, p)) = self.netrc_host.as_deref().and_then(netrc) {
            p
        } else if io::stdin().is_terminal() {
            rpassword::prompt_password(format!("Password for {user}@{host}: "))
                .map(Secret::new)
                .map_err(PasswordError::Prompt)?
        } else {
            return Err(PasswordError::None {
                user: user.to_owned(),
                host: host.to_owned(),
            });
        };
        if secret.is_empty() {
            return Err(PasswordError::Empty);
        }
        Ok(secret)
    }
}

impl PasswordSource {
    fn command_timeout(&self) -> Duration {
        self.timeout.unwrap_or(Duration::from_secs(30))
    }
}

fn first_line(s: &str) -> Secret {
    let line = s.lines().next().unwrap_or("");
    Secret::new(line.trim_end_matches('\r').to_owned())
}

/// The longest password line read from standard input or a file: a wrong file (a disk
/// image, /dev/zero) is refused at once instead of filling memory.
const MAX_LINE: usize = 4096;

/// The first line of what was read (at most MAX_LINE bytes and its newline).
fn bounded_first_line(bytes: &[u8], from: &str) -> Result<Secret, PasswordError> {
    let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    if line.len() > MAX_LINE {
        return Err(PasswordError::TooLong {
            from: from.to_owned(),
        });
    }
    let text = zeroize::Zeroizing::new(String::from_utf8_lossy(line).into_owned());
    Ok(first_line(&text))
}

fn from_file(path: &PathBuf) -> Result<Secret, PasswordError> {
    let failed = |source| PasswordError::File {
        path: path.clone(),
        source,
    };
    let mut bytes = zeroize::Zeroizing::new(Vec::new());
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_LINE as u64 + 1).read_to_end(&mut bytes))
        .map_err(failed)?;
    warn_if_shared(path);
    bounded_first_line(&bytes, &path.display().to_string())
}

/// The most a password command may print: a password is a line, not a file.
const MAX_COMMAND_OUTPUT: usize = 4096;

/// `sh -c CMD`: the first line of its standard output (`pass show`, `secret-tool lookup`,
/// `vault kv get -field=password`, `op read`). Its stderr and terminal are the user's, for
/// any prompt of its own. It is killed past `timeout` or past MAX_COMMAND_OUTPUT bytes.
fn from_command(cmd: &str, timeout: Duration) -> Result<Secret, PasswordError> {
    let failed = |how: String| PasswordError::Command {
        command: cmd.to_owned(),
        how,
    };
    let deadline = Instant::now() + timeout;
    let mut child = Command::new("sh")
        .args(["-c", cmd])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| failed(format!("could not start ({e})")))?;
    let stop = |child: &mut std::process::Child, how: String| {
        let _ = child.kill();
        let _ = child.wait();
        Err(failed(how))
    };
    let too_slow = format!(
        "did not finish within {} (--timeout); it was stopped",
        match timeout.as_secs() {
            0 => format!("{}ms", timeout.as_millis()),
            _ => crate::timefmt::human(timeout),
        }
    );
    // A thread reads, so that a command that prints nothing and never ends is noticed.
    let (tx, rx) = std::sync::mpsc::channel();
    if let Some(stdout) = child.stdout.take() {
        std::thread::spawn(move || {
            let mut out = zeroize::Zeroizing::new(Vec::new());
            let _ = stdout
                .take(MAX_COMMAND_OUTPUT as u64 + 1)
                .read_to_end(&mut out);
            let _ = tx.send(out);
        });
    }
    let Ok(out) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) else {
        return stop(&mut child, too_slow);
    };
    if out.len() > MAX_COMMAND_OUTPUT {
        return stop(
            &mut child,
            format!("printed more than {MAX_COMMAND_OUTPUT} bytes; it was stopped"),
        );
    }
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => return stop(&mut child, too_slow),
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return stop(&mut child, format!("could not be waited for ({e})")),
        }
    };
    if !status.success() {
        return Err(failed(format!("failed ({status})")));
    }
    let text = zeroize::Zeroizing::new(String::from_utf8_lossy(&out).into_owned());
    let secret = first_line(&text);
    if secret.is_empty() {
        return Err(failed("printed no password".into()));
    }
    Ok(secret)
}

fn env_password() -> Option<Secret> {
    std::env::var_os("RFSESSION_PASSWORD")
        .filter(|p| !p.is_empty())
        .map(|p| Secret::new(p.to_string_lossy().into_owned()))
}

fn warn_if_shared(path: &std::path::Path) {
    if let Ok(m) = std::fs::metadata(path)
        && let Err(Exposed::Open { fix, .. }) = platform::check_private(path, &m)
    {
        warn(&format!(
            "warning: password file {} is readable by others; fix with: {fix}",
            path.display(),
        ));
    }
}

/// The user ~/.netrc names for `host`, if any.
pub fn netrc_login(host: &Host) -> Option<String> {
    netrc(&host.name).and_then(|(login, _)| login)
}

/// `machine HOST login USER password PW` for `host` (else the `default` entry) from
/// $NETRC or ~/.netrc, as curl reads it; a file open to others is ignored with a warning.
fn netrc(host: &str) -> Option<(Option<String>, Secret)> {
    let path = match std::env::var_os("NETRC") {
        Some(p) => PathBuf::from(p),
        None => directories::BaseDirs::new()?.home_dir().join(".netrc"),
    };
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
    let text = zeroize::Zeroizing::new(std::fs::read_to_string(&path).ok()?);
    parse_netrc(&text, host)
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

    #[test]
    fn a_password_command_gives_its_first_line_or_a_clear_error() {
        assert_eq!(
            from_command("printf 'pw1\\nmore\\n'", T).unwrap().expose(),
            "pw1"
        );
        let e = from_command("echo $((6 * 7)); exit 3", T)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("failed (exit status: 3)") && !e.contains("42"),
            "{e}"
        );
        let e = from_command("true", T).unwrap_err().to_string();
        assert!(e.contains("printed no password"), "{e}");
    }

    const T: Duration = Duration::from_secs(10);

    #[test]
    fn a_password_line_is_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pw");
        std::fs::write(&path, format!("{}\nrest", "p".repeat(MAX_LINE))).unwrap();
        assert_eq!(from_file(&path).unwrap().expose().len(), MAX_LINE);
        std::fs::write(&path, "x".repeat(MAX_LINE + 1)).unwrap();
        let e = from_file(&path).unwrap_err().to_string();
        assert!(e.contains("longer than 4096 bytes"), "{e}");
        assert!(from_file(&PathBuf::from("/dev/zero")).is_err());
    }

    #[test]
    fn a_password_command_is_bounded_in_time_and_size() {
        let start = Instant::now();
        let e = from_command("sleep 30", Duration::from_millis(300))
            .unwrap_err()
            .to_string();
        assert!(e.contains("did not finish within"), "{e}");
        assert!(start.elapsed() < Duration::from_secs(5));
        let e = from_command("echo pw; exec sleep 30", Duration::from_millis(300))
            .unwrap_err()
            .to_string();
        assert!(e.contains("did not finish within 300ms"), "{e}");
        let e = from_command("exec head -c 100000000 /dev/zero", T)
            .unwrap_err()
            .to_string();
        assert!(e.contains("printed more than 4096 bytes"), "{e}");
        assert!(start.elapsed() < Duration::from_secs(5));
    }
}
