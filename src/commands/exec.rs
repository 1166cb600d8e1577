//! `rfsession exec HOST -- COMMAND`: become COMMAND with the checked session in its
//! environment, as `aws-vault exec` does on Unix: its exit code and signals are its own.

use std::os::unix::process::CommandExt;

use super::parse_host;
use crate::cli::ExecArgs;
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::session::Sessions;
use crate::signals;

pub fn run(sessions: &Sessions, args: ExecArgs) -> Result<()> {
    let host = parse_host(sessions, &args.host)?;
    let on = sessions.on(&host);
    let live = on
        .open_valid(args.user.as_deref(), &args.password.source())
        .map_err(|e| Error::from(e).on(&host))?;
    on.touch();
    let (program, rest) = args
        .command
        .split_first()
        .ok_or_else(|| Error::Usage("no COMMAND given after --".into()))?;
    let mut cmd = std::process::Command::new(program);
    cmd.args(rest)
        .env("RFSESSION_TOKEN", live.entry.token.expose())
        .env("RFSESSION_BASE_URL", host.origin())
        .env(
            "RFSESSION_SESSION_URI",
            live.entry.session_uri.as_deref().unwrap_or(""),
        );
    signals::unharden();
    // exec returns only when the program could not be started.
    let err = cmd.exec();
    let code = match err.kind() {
        std::io::ErrorKind::NotFound => ExitCode::NotFound,
        _ => ExitCode::CannotRun,
    };
    Err(Error::Exec {
        program: program.to_string_lossy().into_owned(),
        detail: err.to_string(),
        code,
    })
}
