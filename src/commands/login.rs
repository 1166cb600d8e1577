//! `rfsession login`: reuse the cached session if the BMC still accepts it, else create one.

use serde_json::{Value, json};

use super::host;
use crate::cache::Entry;
use crate::cli::LoginArgs;
use crate::error::{Error, Result};
use crate::host::Host;
use crate::output::Output;
use crate::output::warn;
use crate::password::{AskedOnce, Passwords};
use crate::redfish::RedfishError;
use crate::secret::Secret;
use crate::session::{HostSession, Login, MAX_TOKEN, Plan, SessionError, Sessions};
use crate::settings::Auth;
use crate::timefmt;

pub fn run(sessions: &Sessions, out: Output, args: LoginArgs) -> Result<()> {
    if let Some(file) = &args.fleet.hosts {
        return fleet(sessions, &args, file);
    }
    let host = host(sessions, &args.host)?;
    let on = sessions.on(&host);
    run_on(&on, out, &args, &host).map_err(|e| e.on(&host))
}

/// `--hosts`: one login per host, the password asked or read once for all of them.
fn fleet(sessions: &Sessions, args: &LoginArgs, file: &std::path::Path) -> Result<()> {
    if args.host.host.is_some() || args.token_stdin || args.dry_run {
        return Err(Error::Usage(
            "--hosts takes no HOST, --token-stdin or --dry-run".into(),
        ));
    }
    super::one_reader_of_stdin(&args.fleet, &args.credentials.password)?;
    let who = args.credentials.user().unwrap_or("the cached user");
    let source = args.credentials.password.source().for_fleet(who)?;
    // Each host's own source (the command line, RFSESSION_PASSWORD, its settings, netrc) as
    // a single-host login; the first host with none asks once for all such hosts.
    let asked = AskedOnce::default();
    super::each_host(sessions, &args.fleet, file, "logged in", |on, _| {
        let (user, _) = on.login_user(args.credentials.user())?;
        let source = asked.or_ask(on.passwords(&source), &user)?;
        let (entry, reused) = match on.login(&user, &source, args.force, true)? {
            Login::Reused(e) => (e, true),
            Login::Created(e) => (e, false),
        };
        Ok(super::fields(document(&entry, reused)))
    })
}

fn run_on(on: &HostSession, out: Output, args: &LoginArgs, host: &Host) -> Result<()> {
    if args.token_stdin {
        return adopt(on, out, args);
    }
    let (user, cached) = on.login_user(args.credentials.user())?;
    if args.dry_run {
        let (plan, post) = on.plan(&user, args.force)?;
        return dry_run(out, host, &user, &plan, post.as_deref());
    }
    let mut source = args.credentials.password.source();
    // --auth, else what the entry remembers, else the settings file.
    let basic = match args.auth.as_deref() {
        Some(how) => how == "basic",
        None => match &cached {
            Some(e) => e.basic,
            None => on.hs.auth.as_ref().map(|a| a.value) == Some(Auth::Basic),
        },
    };
    if basic {
        let entry = on.login_basic(&user, &source, true)?;
        return report(
            out,
            &entry,
            false,
            "using HTTP Basic on every request (no session) as",
        );
    }
    // A `--reclaim=AGE` that found nothing that old must not be advised again.
    let mut nothing_older = None;
    if let Some(older_than) = args.reclaim {
        // Read once for both steps: stdin cannot be read twice, nor a person asked twice.
        source = Passwords::given(on.passwords(&source).read(&user, &host.key())?);
        let ended = on.reclaim(&user, &source, older_than)?;
        out.say(&format!(
            "{host}: ended {} stale sessions of {user} with HTTP Basic",
            ended.len()
        ));
        if let (true, Some(age)) = (ended.is_empty(), older_than) {
            nothing_older = Some((user.clone(), timefmt::compact(age)));
        }
    }
    let login = on.login(&user, &source, args.force, true).map_err(|mut e| {
        if let SessionError::Redfish(RedfishError::SessionLimit { advice, .. }) = &mut e {
            advice.nothing_older = nothing_older;
        }
        e
    });
    let (entry, reused) = match login? {
        Login::Reused(e) => (e, true),
        Login::Created(e) => (e, false),
    };
    let verb = if reused {
        "reusing the session of"
    } else {
        "logged in as"
    };
    report(out, &entry, reused, verb)
}

/// `--token-stdin`: cache a session created elsewhere.
fn adopt(on: &HostSession, out: Output, args: &LoginArgs) -> Result<()> {
    let token = read_token()?;
    if args.dry_run {
        return adopt_dry_run(on, out, args, &token);
    }
    let (entry, note) = on.adopt(token, args.session_uri.as_deref())?;
    if let Some(note) = note {
        warn(&format!("warning: {}: {note}", entry.host));
    }
    report(out, &entry, false, "adopted the session of")
}

/// One line of standard input, read no further than a token rfsession would keep.
fn read_token() -> Result<Secret> {
    use std::io::{BufRead, Read};
    let mut line = zeroize::Zeroizing::new(Vec::new());
    std::io::stdin()
        .lock()
        .take(MAX_TOKEN as u64 + 3)
        .read_until(b'\n', &mut line)
        .map_err(|e| Error::Usage(format!("cannot read the token from stdin: {e}")))?;
    let token = std::str::from_utf8(&line)
        .map_err(|_| Error::Usage("the token on standard input is not text".into()))?
        .trim();
    if token.is_empty() {
        return Err(Error::Usage("no token on standard input".into()));
    }
    if token.len() > MAX_TOKEN {
        return Err(SessionError::GivenTokenTooLarge.into());
    }
    Ok(Secret::new(token.to_owned()))
}

/// `--token-stdin --dry-run`: what adopting would do; nothing is sent, nothing changes.
fn adopt_dry_run(on: &HostSession, out: Output, args: &LoginArgs, token: &Secret) -> Result<()> {
    let current = on.entry()?;
    // The collection is known without asking the BMC only when an entry names it.
    if let (Some(uri), Some(collection)) = (
        args.session_uri.as_deref(),
        current.as_ref().and_then(|e| e.sessions_uri.as_deref()),
    ) {
        on.session_arg("--session-uri", uri, collection)?;
    }
    let replaced = current.as_ref().filter(|e| e.token != *token);
    let delete = replaced.map(|e| {
        e.session_uri
            .clone()
            .unwrap_or_else(|| "(found through MySession or Context)".to_owned())
    });
    if out.json {
        out.json(&json!({
            "host": on.host_key(), "dry_run": true, "action": "adopt", "delete": delete,
        }))?;
        return Ok(());
    }
    let then = match (&delete, replaced) {
        (Some(uri), Some(e)) => format!(
            ", DELETE {uri} (the cached session of {}), and cache the token",
            e.shown_user()
        ),
        _ => " and cache it".to_owned(),
    };
    warn(&format!(
        "{}: dry run: would check the token with the BMC{then}; nothing was sent",
        on.host_key()
    ));
    Ok(())
}

/// What `--json` prints.
fn document(entry: &Entry, reused: bool) -> Value {
    json!({
        "host": entry.host,
        "user": entry.user,
        "session_uri": entry.session_uri.as_deref().unwrap_or(""),
        "created": timefmt::rfc3339(entry.created),
        "valid": true,
        "reused": reused,
    })
}

fn report(out: Output, entry: &Entry, reused: bool, verb: &str) -> Result<()> {
    if out.json {
        out.json(&document(entry, reused))?;
        return Ok(());
    }
    if entry.basic {
        out.say(&format!("{}: {verb} {}", entry.host, entry.shown_user()));
        return Ok(());
    }
    let uri = entry
        .session_uri
        .as_deref()
        .unwrap_or("URI not given by the BMC");
    out.say(&format!(
        "{}: {verb} {} ({uri})",
        entry.host,
        entry.shown_user()
    ));
    Ok(())
}

fn dry_run(out: Output, host: &Host, user: &str, plan: &Plan, post: Option<&str>) -> Result<()> {
    let post = post.unwrap_or_default();
    let (action, delete, text) = match plan {
        Plan::Reuse(e) => (
            "reuse",
            None,
            format!(
                "would reuse the cached session of {} ({}); nothing would be sent that changes anything",
                e.shown_user(),
                e.session_uri
                    .as_deref()
                    .unwrap_or("URI not given by the BMC")
            ),
        ),
        Plan::Replace(e) => {
            let uri = e
                .session_uri
                .clone()
                .unwrap_or_else(|| "(found through MySession or Context)".to_owned());
            let text = format!(
                "would POST {post} as {user}, then DELETE {uri} (first, if the session table is full)"
            );
            ("replace", Some(uri), text)
        }
        Plan::Create => ("create", None, format!("would POST {post} as {user}")),
    };
    if out.json {
        out.json(&json!({
            "host": host.key(),
            "dry_run": true,
            "action": action,
            "delete": delete,
            "post": (action != "reuse").then_some(post),
        }))?;
        return Ok(());
    }
    crate::output::warn(&format!("{host}: dry run: {text}"));
    Ok(())
}
