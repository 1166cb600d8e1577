//! `rfsession token`: the cached token for another tool, on stdout only (never argv):
//! `curl -H @<(rfsession token --header bmc1) ...`.

use zeroize::Zeroizing;

use super::host;
use crate::cli::TokenArgs;
use crate::error::Result;
use crate::output::Output;
use crate::password::Passwords;
use crate::session::Sessions;

pub fn run(sessions: &Sessions, out: Output, args: TokenArgs) -> Result<()> {
    let host = host(sessions, &args.host)?;
    // With no session cached, a login when a password is at hand unattended (the
    // environment, the settings file, ~/.netrc).
    let live = sessions
        .on(&host)
        .open_or_login(args.user.user.as_deref(), &Passwords::default())
        .map_err(|e| crate::Error::from(e).on(&host))?;
    if live.basic {
        return Err(crate::Error::Usage(format!(
            "{host}: this host is reached with HTTP Basic (no session), so there is no token; send the credentials yourself"
        )));
    }
    let token = live.entry.token.expose();
    let line = Zeroizing::new(if args.header {
        format!("X-Auth-Token: {token}\n")
    } else {
        format!("{token}\n")
    });
    out.text(&line)?;
    Ok(())
}
