//! `rfsession whoami`: the cached session and whether the BMC still accepts it.

use std::time::{Duration, SystemTime};

use serde_json::json;

use super::host;
use crate::cli::WhoamiArgs;
use crate::error::Result;
use crate::output::{Output, escape_controls};
use crate::session::{HostSession, Sessions, trust_shown};
use crate::timefmt;

pub fn run(sessions: &Sessions, out: Output, args: WhoamiArgs) -> Result<()> {
    if let Some(file) = &args.fleet.hosts {
        if args.host.host.is_some() {
            return Err(crate::Error::Usage("give HOST or --hosts, not both".into()));
        }
        return super::each_host(sessions, &args.fleet, file, "checked", |on, _| {
            let quiet = Output {
                json: true,
                quiet: true,
            };
            run_on(on, quiet).map(super::fields)
        });
    }
    let host = host(sessions, &args.host)?;
    run_on(&sessions.on(&host), out)
        .map(drop)
        .map_err(|e| e.on(&host))
}

/// Check and show the session; the `--json` document, also when it was printed as text.
fn run_on(on: &HostSession, out: Output) -> Result<serde_json::Value> {
    let live = on.open()?;
    // Idle time is measured before this check, which itself resets the BMC's idle clock.
    let last_used = on.last_used().unwrap_or_else(SystemTime::now);
    let idle = SystemTime::now()
        .duration_since(last_used)
        .unwrap_or(Duration::ZERO);
    let valid = live.valid()?;
    if valid {
        on.touch();
    }
    let entry = &live.entry;
    let holds = entry.live_holds();
    // The check just reset the BMC's idle clock: unused from now, the session lasts one timeout.
    let expires_in = entry.session_timeout.filter(|_| valid);
    let doc = json!({
        "host": entry.host,
        "user": entry.user,
        "session_uri": entry.session_uri.as_deref().unwrap_or(""),
        "session_id": entry.session_id,
        "auth": super::auth_json(entry),
        "created": timefmt::rfc3339(entry.created),
        "valid": valid,
        "idle_seconds": idle.as_secs(),
        "session_timeout": entry.session_timeout,
        "expires_in_seconds": expires_in,
        "pinned_certificate": entry.tls_fingerprint,
        "trust": trust_shown(entry),
        "holders": holds.iter().map(|h| json!({
            "pid": h.process.pid, "program": h.program, "since": timefmt::rfc3339(h.since),
        })).collect::<Vec<_>>(),
    });
    if out.json {
        out.json(&doc)?;
    } else {
        let mut text = format!(
            "host:     {}\nuser:     {}\nsession:  {}\ncreated:  {}\nidle:     {} before this check\n",
            entry.host,
            escape_controls(entry.shown_user()),
            escape_controls(super::session_shown(entry, "(URI not given by the BMC)")),
            timefmt::rfc3339(entry.created),
            timefmt::human(idle),
        );
        if let Some(t) = expires_in {
            let t = timefmt::human(Duration::from_secs(t));
            text.push_str(&format!(
                "expires:  about {t} from now if unused (the BMC's idle timeout)\n"
            ));
        }
        text.push_str(&format!("trust:    {}\n", trust_shown(entry)));
        if !holds.is_empty() {
            let who: Vec<String> = holds
                .iter()
                .map(|h| {
                    format!(
                        "pid {} ({}) since {}",
                        h.process.pid,
                        escape_controls(&h.program),
                        timefmt::rfc3339(h.since)
                    )
                })
                .collect();
            text.push_str(&format!("held by:  {}\n", who.join(", ")));
        }
        text.push_str(&format!("valid:    {}\n", if valid { "yes" } else { "no" }));
        out.text(&text)?;
    }
    if valid {
        return Ok(doc);
    }
    Err(live.refused().into())
}
