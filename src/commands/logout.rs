//! `rfsession logout`: end the session on the BMC, then forget it. The entry goes only when
//! the BMC confirms the session gone; otherwise it stays, so running logout again finishes.

use serde_json::{Value, json};

use super::host;
use crate::cli::LogoutArgs;
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::fleet;
use crate::host::Host;
use crate::output::{Output, warn};
use crate::redfish::Deleted;
use crate::session::{HostSession, Others, Sessions};

pub fn run(sessions: &Sessions, out: Output, args: LogoutArgs) -> Result<()> {
    if args.all {
        return all(sessions, out, &args);
    }
    if let Some(file) = &args.fleet.hosts {
        if args.host.host.is_some() || args.session.is_some() {
            return Err(Error::Usage(
                "--hosts takes no HOST or --session (ids differ per BMC)".into(),
            ));
        }
        let quiet = Output {
            json: true,
            quiet: true,
            verbose: false,
        };
        return super::each_host(sessions, &args.fleet, file, "logged out", |on, h| {
            if args.others {
                let list = others(on, quiet, h, &args)?;
                return Ok(serde_json::Map::from_iter([("sessions".to_owned(), list)]));
            }
            let logged_out = one(on, quiet, h, args.dry_run)?;
            Ok(serde_json::Map::from_iter([(
                "logged_out".to_owned(),
                json!(logged_out),
            )]))
        });
    }
    let host = host(sessions, &args.host)?;
    let on = sessions.on(&host);
    if args.others {
        return others(&on, out, &host, &args)
            .map(drop)
            .map_err(|e| e.on(&host));
    }
    let result = match &args.session {
        Some(id) => other_session(&on, out, &host, id, args.dry_run),
        None => one(&on, out, &host, args.dry_run),
    };
    let logged_out = result.map_err(|e| e.on(&host))?;
    if out.json {
        out.json(&json!({ "host": host.key(), "logged_out": logged_out }))?;
    }
    Ok(())
}

/// Log out of one host; Ok(false) when there was nothing to log out of.
fn one(on: &HostSession, out: Output, host: &Host, dry_run: bool) -> Result<bool> {
    if dry_run {
        let msg = match on.entry()? {
            None => "dry run: not logged in; nothing would be deleted".to_owned(),
            Some(e) => match e.session_uri {
                None => format!(
                    "dry run: would find the session of {} through MySession or Context, DELETE it, and forget it",
                    e.user
                ),
                Some(uri) => format!("dry run: would DELETE {uri} and forget it"),
            },
        };
        out.say(&format!("{host}: {msg}"));
        return Ok(false);
    }
    let how = match on.logout()? {
        None => {
            out.say(&format!("{host}: not logged in; nothing to do"));
            return Ok(false);
        }
        Some(Deleted::Ended) => "session ended",
        Some(Deleted::AlreadyGone) => "the BMC had already ended the session",
    };
    out.say(&format!("{host}: logged out ({how})"));
    Ok(true)
}

/// `--session ID`: delete any session by id or URI with the cached token.
fn other_session(on: &HostSession, out: Output, host: &Host, id: &str, dry: bool) -> Result<bool> {
    if dry {
        let uri = on.session_uri_of(id, &on.require()?)?;
        out.say(&format!("{host}: dry run: would DELETE {uri}"));
        return Ok(false);
    }
    let uri = on.end_other(id)?;
    out.say(&format!("{host}: deleted session {uri}"));
    Ok(true)
}

/// `--others`: end the sessions other tools leaked, keeping rfsession's own; the
/// `--json` document.
fn others(on: &HostSession, out: Output, host: &Host, args: &LogoutArgs) -> Result<Value> {
    let which = Others {
        user: args.user.clone(),
        any_user: args.any_user,
        older_than: args.older_than,
    };
    let list = on.end_others(&which, args.dry_run)?;
    let failed = list.iter().filter(|s| s.outcome.is_err()).count();
    let doc = Value::Array(
        list.iter()
            .map(|s| {
                let i = &s.info;
                json!({"id": i.id, "user": i.user, "created": i.created, "uri": i.uri,
                       "ended": s.outcome == Ok(true), "reason": s.outcome.as_ref().err()})
            })
            .collect(),
    );
    if out.json {
        out.json(&doc)?;
    } else {
        for s in &list {
            let i = &s.info;
            let what = format!("session {} of {} (created {})", i.id, i.user, i.created);
            warn(&match &s.outcome {
                Ok(true) => format!("{host}: ended {what}"),
                Ok(false) => format!("{host}: dry run: would end {what}"),
                Err(why) => format!("{host}: not ended: {what}: {why}"),
            });
        }
        let ended = list.iter().filter(|s| s.outcome == Ok(true)).count();
        if !args.dry_run {
            out.say(&format!(
                "{host}: ended {ended} of {} other sessions",
                list.len()
            ));
        }
    }
    if failed > 0 {
        return Err(Error::SessionsKept {
            failed,
            total: list.len(),
        });
    }
    Ok(doc)
}

/// `--all`: every cached host, `--jobs` at a time; failed hosts stay cached for the next run.
fn all(sessions: &Sessions, out: Output, args: &LogoutArgs) -> Result<()> {
    let mut failures: Vec<(String, Error)> = Vec::new();
    let mut hosts = Vec::new();
    for l in sessions.cached()? {
        match l.entry {
            Ok((h, _)) => hosts.push(h),
            Err(e) => failures.push((l.path.display().to_string(), Error::from(e))),
        }
    }
    let quiet = Output { quiet: true, ..out };
    let results = fleet::run(
        hosts,
        args.fleet.jobs.into(),
        "logged out",
        !out.json,
        |h| one(&sessions.on(h), quiet, h, args.dry_run),
        |_, _| {},
    );
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
    let mut code = ExitCode::Success;
    for (name, e) in &failures {
        code = code.merge(e.exit_code());
        report.push(json!({ "host": name, "logged_out": false, "error": e.to_string(), "exit_code": e.exit_code().code() }));
        if !out.json {
            warn(&e.to_string());
        }
    }
    if out.json {
        out.json(&Value::Array(report))?;
    } else if !args.dry_run {
        out.say(&format!(
            "logged out of {ok} of {} cached hosts",
            ok + failures.len()
        ));
    }
    if failures.is_empty() {
        return Ok(());
    }
    Err(Error::SomeFailed {
        failed: failures.len(),
        total: ok + failures.len(),
        code,
        hint: "listed above; they stay cached: run the command again to retry",
    })
}
