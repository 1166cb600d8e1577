//! One module per subcommand. Each turns its arguments into calls of the session layer and
//! the result into output; none calls another.

mod exec;
mod get;
mod login;
mod logout;
mod sessions;
mod token;
mod whoami;
mod write;

use std::time::Duration;

use crate::cli::{Cli, Command, HostArg, PasswordArgs};
use crate::error::{Error, Result};
use crate::host::{Host, Scheme};
use crate::output::{Output, warn};
use crate::password::PasswordSource;
use crate::secret::Secret;
use crate::session::{Sessions, Settings};
use crate::transport::same_origin_path;

pub fn run(cli: Cli) -> Result<()> {
    let sessions = Sessions::new(Settings {
        cache_dir: cli.cache_dir,
        insecure: cli.insecure,
        cacert: cli.cacert,
        timeout: Duration::from_secs_f64(cli.timeout),
        verbose: cli.verbose,
    })?;
    let out = Output {
        json: cli.json,
        quiet: false,
    };
    match cli.command {
        Command::Login(args) => login::run(&sessions, out, args),
        Command::Get(args) => get::run(&sessions, out, args),
        Command::Sessions(args) => sessions::run(&sessions, out, args),
        Command::Whoami(args) => whoami::run(&sessions, out, args),
        Command::Logout(args) => logout::run(&sessions, out, args),
        Command::Post(args) => write::run(&sessions, out, "POST", args),
        Command::Patch(args) => write::run(&sessions, out, "PATCH", args),
        Command::Put(args) => write::run(&sessions, out, "PUT", args),
        Command::Delete(args) => write::run(&sessions, out, "DELETE", args),
        Command::Token(args) => token::run(&sessions, out, args),
        Command::Exec(args) => exec::run(&sessions, args),
    }
}

/// `/redfish/v1/Systems`, `Systems` (taken under /redfish/v1/), or a full URL on HOST.
fn request_path(host: &Host, p: &str) -> Result<String> {
    if p.contains("://") {
        return same_origin_path(host, p).ok_or_else(|| {
            Error::Usage(format!(
                "{p} names another host than {host}; the token goes only to the host that issued it"
            ))
        });
    }
    if p.chars().any(|c| c.is_control() || c == ' ') {
        return Err(Error::Usage(format!(
            "PATH {p:?} contains spaces or control characters"
        )));
    }
    Ok(if p.starts_with('/') {
        p.to_owned()
    } else {
        format!("/redfish/v1/{p}")
    })
}

/// HOST from the argument or RFSESSION_HOST, normalized; warns about clear text.
fn host(arg: &HostArg) -> Result<Host> {
    match &arg.host {
        Some(h) => parse_host(h),
        None => Err(Error::Usage(
            "no HOST given; pass it as an argument or set RFSESSION_HOST".into(),
        )),
    }
}

fn parse_host(s: &str) -> Result<Host> {
    let host = Host::parse(s).map_err(|e| Error::Usage(e.to_string()))?;
    if host.scheme == Scheme::Http {
        warn(&format!(
            "warning: {host}: plain http, the session token travels in clear text"
        ));
    }
    Ok(host)
}

impl PasswordArgs {
    fn source(&self) -> PasswordSource {
        PasswordSource {
            stdin: self.password_stdin,
            file: self.password_file.clone(),
            given: self.password.clone().map(Secret::new),
        }
    }
}
