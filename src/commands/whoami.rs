//! `rfsession whoami`: the cached session and whether the BMC still accepts it.

use std::time::{Duration, SystemTime};

use serde_json::json;

use super::{Ctx, host, print_json, print_text};
use crate::cli::WhoamiArgs;
use crate::error::{Error, Result};
use crate::host::Host;
use crate::redfish::RedfishError;
use crate::timefmt;

pub fn run(ctx: &Ctx, args: WhoamiArgs) -> Result<()> {
    let host = host(&args.host)?;
    run_on(ctx, &host).map_err(|e| e.on(&host))
}

fn run_on(ctx: &Ctx, host: &Host) -> Result<()> {
    let entry = ctx.cache.read(host)?.ok_or(Error::NotLoggedIn)?;
    // Idle time is measured before this check, which itself resets the BMC's idle clock.
    let last_used = ctx.cache.last_used(host).unwrap_or_else(SystemTime::now);
    let idle = SystemTime::now()
        .duration_since(last_used)
        .unwrap_or(Duration::ZERO);
    let valid = ctx
        .bmc(host, Some(&entry))?
        .accepts(&entry.token, &entry.session_uri)?;
    if valid {
        ctx.cache.touch(host);
    }
    // The check just reset the BMC's idle clock: unused from now, the session lasts one timeout.
    let expires_in = entry.session_timeout.filter(|_| valid);
    if ctx.json {
        print_json(&json!({
            "host": entry.host,
            "user": entry.user,
            "session_uri": entry.session_uri,
            "session_id": entry.session_id,
            "created": timefmt::rfc3339(entry.created),
            "valid": valid,
            "idle_seconds": idle.as_secs(),
            "session_timeout": entry.session_timeout,
            "expires_in_seconds": expires_in,
            "pinned_certificate": entry.tls_fingerprint,
        }))?;
    } else {
        let mut text = format!(
            "host:     {}\nuser:     {}\nsession:  {}\ncreated:  {}\nidle:     {} before this check\n",
            entry.host,
            entry.user,
            if entry.session_uri.is_empty() {
                "(URI not given by the BMC)"
            } else {
                &entry.session_uri
            },
            timefmt::rfc3339(entry.created),
            timefmt::human(idle),
        );
        if let Some(t) = expires_in {
            let t = timefmt::human(Duration::from_secs(t));
            text.push_str(&format!(
                "expires:  about {t} from now if unused (the BMC's idle timeout)\n"
            ));
        }
        if let Some(fp) = &entry.tls_fingerprint {
            text.push_str(&format!("pinned:   {fp}\n"));
        }
        text.push_str(&format!("valid:    {}\n", if valid { "yes" } else { "no" }));
        print_text(&text)?;
    }
    if valid {
        Ok(())
    } else {
        Err(RedfishError::Unauthorized {
            message: "the cached session has expired or was deleted".into(),
        }
        .into())
    }
}
