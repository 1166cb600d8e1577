//! `rfsession login`: reuse the cached session if the BMC still accepts it, else create one.
//! The host's lock is held across check-and-create, so racing logins create one session.

use serde_json::json;

use super::{Ctx, host, print_json, say, warn};
use crate::cache::{Entry, FORMAT, HostLock};
use crate::cli::LoginArgs;
use crate::error::{Error, Result};
use crate::host::{Host, Scheme};
use crate::redfish::{Bmc, RedfishError};
use crate::secret::Secret;
use crate::timefmt;
use crate::tls::Trust;
use crate::transport::TransportError;

pub fn run(ctx: &Ctx, args: LoginArgs) -> Result<()> {
    let host = host(&args.host)?;
    run_on(ctx, &args, &host).map_err(|e| e.on(&host))
}

fn run_on(ctx: &Ctx, args: &LoginArgs, host: &Host) -> Result<()> {
    let cached = ctx.cache.read(host)?;
    let user = match (&args.user, &cached) {
        (Some(u), _) => u.clone(),
        (None, Some(e)) => e.user.clone(),
        (None, None) => {
            return Err(Error::Usage(
                "no user: pass -u USER or set RFSESSION_USER".into(),
            ));
        }
    };
    if args.dry_run {
        return dry_run(ctx, args, host, &user, cached.as_ref());
    }

    // Fast path, without the lock: the cached session is still good.
    let mut known_dead: Option<Secret> = None;
    if let Some(e) = cached.as_ref().filter(|e| !args.force && e.user == user) {
        if ctx.bmc(host, Some(e))?.accepts(&e.token, &e.session_uri)? {
            ctx.cache.touch(host);
            return report(ctx, e, true);
        }
        known_dead = Some(e.token.clone());
    }

    let password = args.password.read(&user, host)?;
    let lock = ctx.lock(host)?;
    // Another process may have logged in while we waited: read again under the lock.
    let current = ctx.cache.read(host)?;
    let mut previous = None;
    if let Some(e) = current {
        let is_dead = known_dead.as_ref() == Some(&e.token);
        if !args.force && e.user == user && !is_dead {
            if ctx.bmc(host, Some(&e))?.accepts(&e.token, &e.session_uri)? {
                ctx.cache.touch(host);
                return report(ctx, &e, true);
            }
        } else if !is_dead {
            end_previous(ctx, host, &e)?;
        }
        previous = Some(e);
    }
    let entry = create(ctx, host, &lock, &user, &password, previous.as_ref())?;
    report(ctx, &entry, false)
}

/// End the session a new login replaces; if that fails the entry stays and nothing is
/// created, so no session is ever forgotten while it may exist on the BMC.
fn end_previous(ctx: &Ctx, host: &Host, old: &Entry) -> Result<()> {
    match super::logout::end_session(ctx, host, old) {
        Ok(_) => Ok(()),
        Err(Error::Redfish(RedfishError::Transport(TransportError::CertChanged { .. })))
            if ctx.insecure =>
        {
            warn(&format!(
                "warning: {host}: the certificate changed, so the old session ({}) was not ended with its token; it will expire on the BMC",
                old.session_uri
            ));
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// POST a new session and cache it. If the cache cannot keep it, the session is deleted
/// again: a session nobody can find must not hold a slot in the BMC's small table.
pub(super) fn create(
    ctx: &Ctx,
    host: &Host,
    lock: &HostLock,
    user: &str,
    password: &Secret,
    previous: Option<&Entry>,
) -> Result<Entry> {
    // -k pins whatever certificate this login sees; without it, a session that replaces a
    // pinned one (a login again inside `get`) stays pinned to the same certificate.
    let pinned = previous.and_then(|p| p.tls_fingerprint.clone());
    let bmc = match (&pinned, ctx.insecure) {
        (Some(fp), false) => ctx.bmc_with(host, Trust::Pinned(fp.clone()))?,
        _ => ctx.bmc(host, None)?,
    };
    let sessions = bmc.sessions_path()?;
    let context = super::new_context();
    let created = bmc.login(&sessions, user, password, &context)?;
    let tls_fingerprint = if ctx.insecure && host.scheme == Scheme::Https {
        bmc.transport.seen_certificate()
    } else {
        pinned
    };
    let session_timeout = bmc.session_timeout(&created.token);
    let entry = Entry {
        format: FORMAT,
        host: host.key(),
        user: user.to_owned(),
        token: created.token,
        session_uri: created.session_uri,
        session_id: created.session_id,
        sessions_uri: sessions,
        context,
        created: timefmt::unix_now(),
        session_timeout,
        tls_fingerprint,
        extra: previous.map(|p| p.extra.clone()).unwrap_or_default(),
    };
    if let Err(source) = ctx.cache.write(lock, &entry) {
        let deleted = undo(&bmc, &entry);
        return Err(Error::NotSaved { source, deleted });
    }
    if let Some(msg) = created.password_change {
        warn(&format!(
            "warning: {host}: the BMC requires a password change before most requests will work: {msg}"
        ));
    }
    Ok(entry)
}

fn undo(bmc: &Bmc, entry: &Entry) -> bool {
    match super::session_uri(bmc, entry) {
        Ok(Some(uri)) => bmc.delete(&entry.token, &uri).is_ok(),
        _ => false,
    }
}

fn report(ctx: &Ctx, e: &Entry, reused: bool) -> Result<()> {
    if ctx.json {
        return print_json(&json!({
            "host": e.host,
            "user": e.user,
            "session_uri": e.session_uri,
            "created": timefmt::rfc3339(e.created),
            "valid": true,
            "reused": reused,
        }));
    }
    let uri = if e.session_uri.is_empty() {
        "URI not given by the BMC".to_owned()
    } else {
        e.session_uri.clone()
    };
    let verb = if reused {
        "reusing the session of"
    } else {
        "logged in as"
    };
    say(ctx, &format!("{}: {verb} {} ({uri})", e.host, e.user));
    Ok(())
}

fn dry_run(
    ctx: &Ctx,
    args: &LoginArgs,
    host: &Host,
    user: &str,
    cached: Option<&Entry>,
) -> Result<()> {
    let mut delete = None;
    if let Some(e) = cached {
        let bmc = ctx.bmc(host, Some(e))?;
        if !args.force && e.user == user && bmc.accepts(&e.token, &e.session_uri)? {
            return announce(
                ctx,
                host,
                "reuse",
                None,
                None,
                &format!(
                    "would reuse the cached session of {} ({}); nothing would be sent that changes anything",
                    e.user, e.session_uri
                ),
            );
        }
        if args.force || e.user != user {
            delete = Some(if e.session_uri.is_empty() {
                "(found through MySession or Context)".to_owned()
            } else {
                e.session_uri.clone()
            });
        }
    }
    let sessions = ctx.bmc(host, None)?.sessions_path()?;
    let text = match &delete {
        Some(uri) => format!("would DELETE {uri}, then POST {sessions} as {user}"),
        None => format!("would POST {sessions} as {user}"),
    };
    let action = if delete.is_some() {
        "replace"
    } else {
        "create"
    };
    announce(ctx, host, action, delete.as_deref(), Some(&sessions), &text)
}

fn announce(
    ctx: &Ctx,
    host: &Host,
    action: &str,
    delete: Option<&str>,
    post: Option<&str>,
    text: &str,
) -> Result<()> {
    if ctx.json {
        return print_json(&json!({
            "host": host.key(),
            "dry_run": true,
            "action": action,
            "delete": delete,
            "post": post,
        }));
    }
    warn(&format!("{host}: dry run: {text}"));
    Ok(())
}
