//! `rfsession cert`: the certificates HOST's entry trusts, as PEM, for another tool to
//! verify the BMC as rfsession does: `curl --cacert <(rfsession cert bmc1) ...`.

use super::host;
use crate::cli::CertArgs;
use crate::error::{Error, Result};
use crate::output::Output;
use crate::session::Sessions;

pub fn run(sessions: &Sessions, out: Output, args: CertArgs) -> Result<()> {
    let host = host(sessions, &args.host)?;
    let on = sessions.on(&host);
    let pem = on
        .require()
        .and_then(|entry| on.anchors_pem(&entry))
        .map_err(|e| Error::from(e).on(&host))?;
    out.text(&pem)?;
    Ok(())
}
