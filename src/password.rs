//! Where a login's password comes from: one ordered list of sources, the first available
//! one wins. On the command line: --password-stdin, --password-file, -p,
//! --password-command; then RFSESSION_PASSWORD; then the host's settings (password_file
//! or password_command); then ~/.netrc; then a no-echo prompt when stdin is a terminal.
//! The password is never put in a child's argv.

use std::io::{self, BufRead, IsTerminal, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::environment;
use crate::netrc;
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

/// One place a password can come from.
#[derive(Debug, Clone)]
enum Source {
    Stdin,
    File(PathBuf),
    /// `-p`, or a password already read once for many hosts.
    Given(Secret),
    Command(String),
    Environment(Secret),
    Settings(PasswordFrom),
    /// The host name looked up in ~/.netrc (read when asked, once per run).
    Netrc(String),
    /// A no-echo prompt, when standard input is a terminal.
    Prompt,
}

/// The sources in the order they are tried.
#[derive(Debug, Clone)]
pub struct Passwords {
    sources: Vec<Source>,
    /// How long a password command may run (the host's --timeout) [default: 30s].
    timeout: Option<Duration>,
}

/// No source on the command line: RFSESSION_PASSWORD (then the host's own, with `for_host`).
impl Default for Passwords {
    fn default() -> Passwords {
        Passwords::new(false, None, None, None)
    }
}

impl Passwords {
    /// The command line's sources (at most one: clap refuses two), then RFSESSION_PASSWORD.
    pub fn new(
        stdin: bool,
        file: Option<PathBuf>,
        given: Option<Secret>,
        command: Option<String>,
    ) -> Passwords {
        let typed = [
            stdin.then_some(Source::Stdin),
            file.map(Source::File),
            given.map(Source::Given),
            command.map(Source::Command),
        ];
        let env =
            environment::get(environment::PASSWORD).map(|p| Source::Environment(Secret::new(p)));
        Passwords {
            sources: typed.into_iter().flatten().chain(env).collect(),
            timeout: None,
        }
    }

    /// Exactly this password (read once for many hosts).
    pub fn given(password: Secret) -> Passwords {
        Passwords {
            sources: vec![Source::Given(password)],
            timeout: None,
        }
    }

    /// These sources, then the host's settings, its ~/.netrc entry and a prompt.
    pub fn for_host(
        &self,
        settings: Option<PasswordFrom>,
        host_name: &str,
        timeout: Duration,
    ) -> Passwords {
        let mut sources = self.sources.clone();
        sources.extend(settings.map(Source::Settings));
        sources.push(Source::Netrc(host_name.to_owned()));
        sources.push(Source::Prompt);
        Passwords {
            sources,
            timeout: Some(timeout),
        }
    }

    /// Where the first source that needs no asking would take the password from, in words,
    /// without reading it: (what, whence), as `config` shows each setting.
    pub fn shown(&self) -> Option<(String, String)> {
        self.sources.iter().find_map(|s| match s {
            Source::Stdin => Some(("standard input".into(), "flag --password-stdin".into())),
            Source::File(f) => Some((
                format!("file {}", f.display()),
                "flag --password-file".into(),
            )),
            Source::Given(_) => Some(("given".into(), "flag -p".into())),
            Source::Command(c) => Some((format!("command {c}"), "flag --password-command".into())),
            Source::Environment(_) => Some((
                "set".into(),
                format!("environment {}", environment::PASSWORD),
            )),
            Source::Settings(_) => None,
            Source::Netrc(host) => netrc::password(host).map(|_| {
                let file = netrc::path().map(|p| p.display().to_string());
                (format!("machine {host}"), file.unwrap_or_default())
            }),
            Source::Prompt => None,
        })
    }

    /// Does `--password-stdin` come first (standard input is then the password's)?
    pub fn reads_stdin(&self) -> bool {
        matches!(self.sources.first(), Some(Source::Stdin))
    }

    /// Is a password at hand without asking anyone (for a login again inside `get`)?
    pub fn available(&self) -> bool {
        self.sources.iter().any(|s| match s {
            Source::Netrc(host) => netrc::password(host).is_some(),
            Source::Prompt => false,
            _ => true,
        })
    }

    /// The first source's password; `host` names the host (or hosts) for the prompt.
    pub fn read(&self, user: &str, host: &str) -> Result<Secret, PasswordError> {
        for source in &self.sources {
            let secret = match source {
                Source::Stdin => {
                    let mut line = zeroize::Zeroizing::new(Vec::new());
                    io::stdin()
                        .lock()
                        .take(MAX_LINE as u64 + 1)
                        .read_until(b'\n', &mut line)
                        .map_err(PasswordError::Stdin)?;
                    bounded_first_line(&line, "standard input")?
                }
                Source::File(path) | Source::Settings(PasswordFrom::File(path)) => from_file(path)?,
                Source::Given(p) | Source::Environment(p) => p.clone(),
                Source::Command(cmd) | Source::Settings(PasswordFrom::Command(cmd)) => {
                    from_command(cmd, self.timeout.unwrap_or(Duration::from_secs(30)))?
                }
                Source::Netrc(name) => match netrc::password(name) {
                    Some(p) => p,
                    None => continue,
                },
                Source::Prompt if io::stdin().is_terminal() => {
                    rpassword::prompt_password(format!("Password for {user}@{host}: "))
                        .map(Secret::new)
                        .map_err(PasswordError::Prompt)?
                }
                Source::Prompt => continue,
            };
            if secret.is_empty() {
                return Err(PasswordError::Empty);
            }
            return Ok(secret);
        }
        Err(PasswordError::None {
            user: user.to_owned(),
            host: host.to_owned(),
        })
    }

    /// For many hosts (`--hosts`): standard input is read once, here, for all of them.
    pub fn for_fleet(self, user: &str) -> Result<Passwords, PasswordError> {
        match self.reads_stdin() {
            true => Ok(Passwords::given(self.read(user, "every host listed")?)),
            false => Ok(self),
        }
    }
}

/// One password for the hosts of a fleet that have no source of their own: asked the first
/// time one needs it, then given to the rest.
#[derive(Default)]
pub struct AskedOnce(Mutex<Option<Secret>>);

impl AskedOnce {
    /// `host`'s own sources if one is at hand, else the password asked once for all.
    pub fn or_ask(&self, host: Passwords, user: &str) -> Result<Passwords, PasswordError> {
        if host.available() {
            return Ok(host);
        }
        let mut asked = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let pw = match &*asked {
            Some(pw) => pw.clone(),
            None => asked.insert(host.read(user, "every host listed")?).clone(),
        };
        Ok(Passwords::given(pw))
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

#[cfg(test)]
mod tests {
    use super::*;

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
