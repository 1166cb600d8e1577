//! `rfsession token`: the cached token for another tool, on stdout only (never argv):
//! `curl -H @<(rfsession token --header bmc1) ...`.

use zeroize::Zeroizing;

use super::host;
use crate::cli::TokenArgs;
use crate::error::Result;
use crate::output::Output;
use crate::session::Sessions;

pub fn run(sessions: &Sessions, out: Output, args: TokenArgs) -> Result<()> {
    let host = host(sessions, &args.host)?;
    let entry = sessions
        .on(&host)
        .require()
        .map_err(|e| crate::Error::from(e).on(&host))?;
    let token = entry.token.expose();
    let line = Zeroizing::new(if args.header {
        format!("X-Auth-Token: {token}\n")
    } else {
        format!("{token}\n")
    });
    out.text(&line)?;
    Ok(())
}
