//! `rfsession exec HOST -- COMMAND`: run COMMAND with the checked session in its
//! environment, as `aws-vault exec` does on Unix: its exit code and signals are its own.

use std::io::Write;

use super::host;
use crate::cli::ExecArgs;
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::platform::{self, signals};
use crate::session::{SessionError, Sessions};

pub fn run(sessions: &Sessions, args: ExecArgs) -> Result<()> {
    let host = host(sessions, &args.host)?;
    let on = sessions.on(&host);
    let live = on
        .open_valid(args.credentials.user(), &args.credentials.password.source())
        .map_err(|e| Error::from(e).on(&host))?;
    if live.basic {
        return Err(Error::Usage(format!(
            "{host}: this host is reached with HTTP Basic (no session), so there is no token to hand over"
        )));
    }
    on.touch();
    let (program, rest) = args
        .command
        .split_first()
        .ok_or_else(|| Error::Usage("no COMMAND given after --".into()))?;
    // The entry's trust anchors for the child's own TLS clients, in a private file.
    let cacert = match on.anchors_pem(&live.entry) {
        Ok(pem) => Some(pem_file(&pem)?),
        Err(SessionError::NoAnchors { .. }) => None,
        Err(e) => return Err(Error::from(e).on(&host)),
    };
    let mut cmd = std::process::Command::new(program);
    cmd.args(rest)
        .env("RFSESSION_TOKEN", live.entry.token.expose())
        .env("RFSESSION_BASE_URL", host.origin())
        .env(
            "RFSESSION_SESSION_URI",
            live.entry.session_uri.as_deref().unwrap_or(""),
        )
        .env_remove("RFSESSION_CACERT")
        // The session is what COMMAND gets; the password that opened it stays here.
        .env_remove(crate::environment::PASSWORD);
    signals::unharden();
    // As shells do: 127 for a program not found, 126 for one that cannot be run.
    let cannot = |err: std::io::Error| {
        let (code, detail) = match err.kind() {
            std::io::ErrorKind::NotFound => (
                ExitCode::NotFound,
                "command not found; check its name, or give its path".to_owned(),
            ),
            std::io::ErrorKind::PermissionDenied => (
                ExitCode::CannotRun,
                "permission denied; is it executable (chmod +x), and not a directory?".to_owned(),
            ),
            _ => (ExitCode::CannotRun, err.to_string()),
        };
        Error::Exec {
            program: program.to_string_lossy().into_owned(),
            code,
            detail,
        }
    };
    let Some(file) = cacert else {
        // Nothing to remove afterwards: become COMMAND. exec returns only on failure.
        return Err(cannot(platform::exec(&mut cmd)));
    };
    cmd.env("RFSESSION_CACERT", file.path());
    let status = signals::run_child(&mut cmd).map_err(cannot)?;
    drop(file);
    platform::exit_like(status)
}

/// A private (0600) temporary file holding `pem`, removed when dropped.
fn pem_file(pem: &str) -> Result<tempfile::NamedTempFile> {
    let mut f = tempfile::Builder::new()
        .prefix("rfsession-cacert-")
        .suffix(".pem")
        .tempfile()
        .map_err(Error::Output)?;
    f.write_all(pem.as_bytes()).map_err(Error::Output)?;
    Ok(f)
}
