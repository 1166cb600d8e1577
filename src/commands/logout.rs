//! `rfsession logout`: DELETE the session, then forget it. The entry is removed only when
//! the BMC confirms the session is gone (2xx, 404 or 401); on any other outcome it stays,
//! so running logout again finishes the job.

use std::io::{self, IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

use super::{Ctx, host, print_json, say, warn};
use crate::cache::Entry;
use crate::cli::LogoutArgs;
use crate::error::{Error, Result};
use crate::host::Host;
use crate::redfish::{Deleted, RedfishError, resolve_session_uri};

/// Pauses between DELETE attempts answered with 5xx.
const DELETE_BACKOFF: [Duration; 2] = [Duration::from_millis(300), Duration::from_millis(900)];

pub fn run(ctx: &Ctx, args: LogoutArgs) -> Result<()> {
    if args.all {
        return all(ctx, &args);
    }
    let host = host(&args.host)?;
    let result = match &args.session {
        Some(id) => other_session(ctx, &host, id, args.dry_run),
        None => one(ctx, &host, args.dry_run),
    };
    let logged_out = result.map_err(|e| e.on(&host))?;
    if ctx.json {
        print_json(&json!({ "host": host.key(), "logged_out": logged_out }))?;
    }
    Ok(())
}

/// Log out of one host; Ok(false) when there was nothing to log out of.
fn one(ctx: &Ctx, host: &Host, dry_run: bool) -> Result<bool> {
    if dry_run {
        let msg = match ctx.cache.read(host)? {
            None => "dry run: not logged in; nothing would be deleted".to_owned(),
            Some(e) if e.session_uri.is_empty() => format!(
                "dry run: would find the session of {} through MySession or Context, DELETE it, and forget it",
                e.user
            ),
            Some(e) => format!("dry run: would DELETE {} and forget it", e.session_uri),
        };
        say(ctx, &format!("{host}: {msg}"));
        return Ok(false);
    }
    let lock = ctx.lock(host)?;
    let Some(entry) = ctx.cache.read(host)? else {
        say(ctx, &format!("{host}: not logged in; nothing to do"));
        return Ok(false);
    };
    let outcome = end_session(ctx, host, &entry)?;
    ctx.cache.remove(&lock)?;
    let how = match outcome {
        Deleted::Ended => "session ended",
        Deleted::AlreadyGone => "the BMC had already ended the session",
    };
    say(ctx, &format!("{host}: logged out ({how})"));
    Ok(true)
}

/// DELETE the entry's session, finding it through MySession or Context when the login gave
/// no URI. 5xx answers are retried twice with backoff.
pub(super) fn end_session(ctx: &Ctx, host: &Host, entry: &Entry) -> Result<Deleted> {
    let bmc = ctx.bmc(host, Some(entry))?;
    let uri = match super::session_uri(&bmc, entry) {
        Ok(Some(uri)) => uri,
        Ok(None) => return Err(RedfishError::SessionNotFound.into()),
        // The BMC no longer knows the token: the session is gone.
        Err(RedfishError::Unauthorized { .. }) => return Ok(Deleted::AlreadyGone),
        Err(e) => return Err(e.into()),
    };
    let mut pauses = DELETE_BACKOFF.iter();
    loop {
        match bmc.delete(&entry.token, &uri) {
            Err(RedfishError::Status { status, .. }) if status >= 500 && pauses.len() > 0 => {
                std::thread::sleep(*pauses.next().expect("a pause is left"));
            }
            r => return r.map_err(Error::from),
        }
    }
}

/// `--session ID`: delete any session by id or URI with the cached token.
fn other_session(ctx: &Ctx, host: &Host, id: &str, dry_run: bool) -> Result<bool> {
    let entry = ctx.cache.read(host)?.ok_or(Error::NotLoggedIn)?;
    let sessions = super::sessions_of(&entry);
    let uri = if id.contains('/') {
        resolve_session_uri(id)
            .ok_or_else(|| Error::Usage(format!("--session {id}: not a Redfish session URI")))?
    } else {
        format!("{sessions}/{}", percent_encode(id))
    };
    let own = uri == entry.session_uri;
    if dry_run {
        say(ctx, &format!("{host}: dry run: would DELETE {uri}"));
        return Ok(false);
    }
    let lock = if own { Some(ctx.lock(host)?) } else { None };
    let bmc = ctx.bmc(host, Some(&entry))?;
    let outcome = bmc.delete(&entry.token, &uri)?;
    if outcome == Deleted::AlreadyGone && !own {
        // 401 means our own token is no good; 404 that the id does not exist.
        if !bmc.accepts(&entry.token, &entry.session_uri)? {
            return Err(RedfishError::Unauthorized {
                message: String::new(),
            }
            .into());
        }
        return Err(Error::Usage(format!(
            "no session {uri} on the BMC; list them with `rfsession sessions {host}`"
        )));
    }
    if let Some(lock) = lock {
        ctx.cache.remove(&lock)?;
    } else if entry.session_uri.is_empty() && !bmc.accepts(&entry.token, "")? {
        // The id named our own session, which the entry knew only by Context.
        let lock = ctx.lock(host)?;
        ctx.cache.remove(&lock)?;
    }
    say(ctx, &format!("{host}: deleted session {uri}"));
    Ok(true)
}

fn percent_encode(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `--all`: every cached host, `--jobs` at a time, a progress line on a terminal, and a
/// summary of what failed; failed hosts stay cached for the next run.
fn all(ctx: &Ctx, args: &LogoutArgs) -> Result<()> {
    let listed = ctx.cache.list()?;
    let mut failures: Vec<(String, Error)> = Vec::new();
    let mut hosts = Vec::new();
    for l in listed {
        match (l.host, l.entry) {
            (Some(h), Ok(_)) => hosts.push(h),
            (h, Err(e)) => {
                let name = h.map_or_else(|| l.path.display().to_string(), |h| h.key());
                failures.push((name, Error::from(e)));
            }
            (None, Ok(e)) => failures.push((
                l.path.display().to_string(),
                Error::Usage(format!(
                    "entry for {} has an unexpected file name; skipped",
                    e.host
                )),
            )),
        }
    }
    let total = hosts.len();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<(Host, Result<bool>)>> = Mutex::new(Vec::with_capacity(total));
    let progress = io::stderr().is_terminal() && !ctx.json;
    let quiet = Ctx {
        json: true,
        ..ctx.clone()
    };
    std::thread::scope(|s| {
        for _ in 0..usize::from(args.jobs).min(total.max(1)) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(h) = hosts.get(i) else { break };
                    let r = one(&quiet, h, args.dry_run);
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((h.clone(), r));
                    let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if progress {
                        let _ = write!(io::stderr().lock(), "\rrfsession: logged out {n}/{total}");
                    }
                }
            });
        }
    });
    if progress && total > 0 {
        let _ = writeln!(io::stderr().lock());
    }
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let mut report = Vec::new();
    let mut ok = 0usize;
    for (h, r) in results {
        match r {
            Ok(_) => {
                ok += 1;
                report.push(json!({ "host": h.key(), "logged_out": true }));
            }
            Err(e) => failures.push((h.key(), e.on(&h))),
        }
    }
    for (name, e) in &failures {
        report.push(json!({ "host": name, "logged_out": false, "error": e.to_string(), "exit_code": e.exit_code() }));
        if !ctx.json {
            warn(&e.to_string());
        }
    }
    if ctx.json {
        print_json(&Value::Array(report))?;
    } else if !args.dry_run {
        say(
            ctx,
            &format!("logged out of {ok} of {} cached hosts", ok + failures.len()),
        );
    }
    if failures.is_empty() {
        return Ok(());
    }
    let first = failures[0].1.exit_code();
    let code = if failures.iter().all(|(_, e)| e.exit_code() == first) {
        first
    } else {
        1
    };
    Err(Error::SomeFailed {
        failed: failures.len(),
        total: ok + failures.len(),
        code,
    })
}
