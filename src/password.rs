//! Where a login's password comes from: the first source given wins.

use std::io::{self, BufRead, IsTerminal};
use std::path::PathBuf;

use crate::host::Host;
use crate::output::warn;
use crate::secret::Secret;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PasswordError {
    #[error("cannot read the password from stdin: {0}")]
    Stdin(io::Error),
    #[error("cannot read password file {}: {source}", path.display())]
    File { path: PathBuf, source: io::Error },
    #[error("cannot read the password: {0}")]
    Prompt(io::Error),
    #[error(
        "no password for {user}@{host}: use --password-stdin, --password-file FILE or RFSESSION_PASSWORD, or run in a terminal"
    )]
    None { user: String, host: String },
    #[error("the password is empty")]
    Empty,
}

/// The password sources of one invocation, in the order they are tried: --password-stdin,
/// --password-file, -p, RFSESSION_PASSWORD, then a no-echo prompt when stdin is a terminal.
#[derive(Debug, Default)]
pub struct PasswordSource {
    pub stdin: bool,
    pub file: Option<PathBuf>,
    pub given: Option<Secret>,
}

impl PasswordSource {
    /// Is a password at hand without asking anyone (for a login again inside `get`)?
    pub fn available(&self) -> bool {
        self.stdin || self.file.is_some() || self.given.is_some() || env_password().is_some()
    }

    pub fn read(&self, user: &str, host: &Host) -> Result<Secret, PasswordError> {
        self.read_for(user, &host.key())
    }

    /// The password once for many hosts (`--hosts`): `host` names them for the prompt.
    pub fn read_for(&self, user: &str, host: &str) -> Result<Secret, PasswordError> {
        let first_line = |s: &str| {
            let line = s.lines().next().unwrap_or("");
            Secret::new(line.trim_end_matches('\r').to_owned())
        };
        let secret = if self.stdin {
            let mut line = zeroize::Zeroizing::new(String::new());
            io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(PasswordError::Stdin)?;
            first_line(&line)
        } else if let Some(path) = &self.file {
            let text =
                zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(|source| {
                    PasswordError::File {
                        path: path.clone(),
                        source,
                    }
                })?);
            warn_if_shared(path);
            first_line(&text)
        } else if let Some(p) = &self.given {
            p.clone()
        } else if let Some(p) = env_password() {
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

fn env_password() -> Option<Secret> {
    std::env::var_os("RFSESSION_PASSWORD")
        .filter(|p| !p.is_empty())
        .map(|p| Secret::new(p.to_string_lossy().into_owned()))
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
