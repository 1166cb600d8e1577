//! `rfsession logout`: end the session on the BMC, then forget it. The entry goes only when
//! the BMC confirms the session gone; otherwise it stays, so running logout again finishes.

use serde_json::{Map, Value, json};

use super::host;
use crate::cache::Hold;
use crate::cli::LogoutArgs;
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::fleet;
use crate::host::Host;
use crate::output::{Output, warn};
use crate::redfish::Deleted;
use crate::session::{HostSession, Logout, LogoutMode, Others, Sessions};
use crate::timefmt;

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
        };
        return super::each_host(sessions, &args.fleet, file, "logged out", |on, h| {
            if args.others {
                let list = others(on, quiet, h, &args)?;
                return Ok(serde_json::Map::from_iter([("sessions".to_owned(), list)]));
            }
            one(on, quiet, h, mode(&args), args.dry_run)
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
        Some(id) => other_session(&on, out, &host, id, args.dry_run)
            .map(|done| Map::from_iter([("logged_out".to_owned(), json!(done))])),
        None => one(&on, out, &host, mode(&args), args.dry_run),
    };
    let mut doc = Map::from_iter([("host".to_owned(), json!(host.key()))]);
    doc.extend(result.map_err(|e| e.on(&host))?);
    if out.json {
        out.json(&Value::Object(doc))?;
    }
    Ok(())
}

/// What logout is asked to do, from its flags.
fn mode(args: &LogoutArgs) -> LogoutMode {
    match (args.force, args.forget) {
        (_, true) => LogoutMode::Forget,
        (true, _) => LogoutMode::Force,
        _ => LogoutMode::Release,
    }
}

/// Log out of one host (or in a dry run, say what would happen); the `--json` fields,
/// `logged_out` true only when the entry was removed.
fn one(
    on: &HostSession,
    out: Output,
    host: &Host,
    mode: LogoutMode,
    dry_run: bool,
) -> Result<Map<String, Value>> {
    if dry_run {
        return dry(on, out, host, mode);
    }
    let mut doc = Map::new();
    let (logged_out, ended) = match on.logout(mode)? {
        Logout::Nothing => {
            out.say(&format!("{host}: not logged in; nothing to do"));
            (false, false)
        }
        Logout::Kept(holds) => {
            out.notice(&format!(
                "{host}: kept the session: still held by {}; end it anyway with: rfsession logout {} --force",
                holders_text(&holds),
                host.key()
            ));
            doc.insert("holders".into(), holders_json(&holds));
            (false, false)
        }
        Logout::ForgotTrust => {
            out.say(&format!(
                "{host}: not logged in; forgot the certificate trust kept for it"
            ));
            doc.insert("forgot".into(), json!(true));
            (false, false)
        }
        Logout::Ended(_) if mode == LogoutMode::Forget => {
            out.notice(&format!(
                "{host}: forgot the cached session and its certificate trust without contacting the BMC; a session there, if any, is left to time out"
            ));
            doc.insert("forgot".into(), json!(true));
            (true, false)
        }
        Logout::Ended(how) => {
            let how = match how {
                Deleted::Ended => "session ended",
                Deleted::AlreadyGone => "the BMC had already ended the session",
            };
            out.say(&format!("{host}: logged out ({how})"));
            (true, true)
        }
    };
    doc.insert("logged_out".into(), json!(logged_out));
    doc.insert("ended".into(), json!(ended));
    Ok(doc)
}

/// `--dry-run`: what logout would do, decided as it would decide, changing nothing.
fn dry(on: &HostSession, out: Output, host: &Host, mode: LogoutMode) -> Result<Map<String, Value>> {
    let mut doc = Map::new();
    doc.insert("dry_run".into(), json!(true));
    doc.insert("logged_out".into(), json!(false));
    let (action, msg) = match (on.logout_plan(mode)?, on.entry()?) {
        (Logout::ForgotTrust, _) => (
            "forget",
            "would forget the certificate trust kept for it".to_owned(),
        ),
        (Logout::Nothing, _) | (_, None) => {
            ("nothing", "not logged in; nothing would be done".to_owned())
        }
        (_, Some(_)) if mode == LogoutMode::Forget => (
            "forget",
            "would forget the cached session and its certificate trust without contacting the BMC"
                .to_owned(),
        ),
        (Logout::Kept(holds), _) => {
            doc.insert("held_by".into(), json!(holds.len()));
            doc.insert("holders".into(), holders_json(&holds));
            (
                "keep",
                format!(
                    "would keep the session: still held by {}",
                    holders_text(&holds)
                ),
            )
        }
        (Logout::Ended(_), Some(e)) => (
            "end",
            match e.session_uri {
                None => format!(
                    "would find the session of {} through MySession or Context, DELETE it, and forget it",
                    e.shown_user()
                ),
                Some(uri) => format!("would DELETE {uri} and forget it"),
            },
        ),
    };
    doc.insert("action".into(), json!(action));
    out.tell(&format!("{host}: dry run: {msg}"));
    Ok(doc)
}

/// `pid 1234 (bash) since 2026-11-23T19:38:41Z, pid ...`
fn holders_text(holds: &[Hold]) -> String {
    holds
        .iter()
        .map(|h| {
            format!(
                "pid {} ({}) since {}",
                h.process.pid,
                h.program,
                timefmt::rfc3339(h.since)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn holders_json(holds: &[Hold]) -> Value {
    holds
        .iter()
        .map(|h| json!({"pid": h.process.pid, "program": h.program, "since": timefmt::rfc3339(h.since)}))
        .collect()
}

/// `--session ID`: delete any session by id or URI with the cached token.
fn other_session(on: &HostSession, out: Output, host: &Host, id: &str, dry: bool) -> Result<bool> {
    if dry {
        let uri = on.session_uri_of(id, &on.require()?)?;
        out.tell(&format!("{host}: dry run: would DELETE {uri}"));
        return Ok(false);
    }
    match on.end_other(id)? {
        (uri, Deleted::Ended) => out.say(&format!("{host}: deleted session {uri}")),
        (uri, Deleted::AlreadyGone) => out.say(&format!(
            "{host}: session {uri} already gone (the BMC has no such session); nothing to do"
        )),
    }
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
        if args.dry_run && list.is_empty() {
            out.tell(&format!(
                "{host}: dry run: no other session matches; nothing would be ended"
            ));
        }
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
    // A dry run's line per host is what was asked for; a real run reports at the end.
    let worker = Output {
        quiet: !args.dry_run,
        ..out
    };
    let mode = mode(args);
    let results = fleet::run(
        hosts,
        args.fleet.jobs.into(),
        "logged out",
        !out.json && crate::output::informative(),
        |h| one(&sessions.on(h), worker, h, mode, args.dry_run),
        |_, _| {},
    );
    let mut report = Vec::new();
    let (mut ok, mut kept) = (0usize, 0usize);
    for (h, r) in results {
        match r {
            Ok(fields) => {
                ok += 1;
                if let (false, Some(Value::Array(holders))) = (args.dry_run, fields.get("holders"))
                {
                    kept += 1;
                    out.notice(&format!(
                        "{h}: kept the session: still held by {} other processes; end it anyway with: rfsession logout --all --force",
                        holders.len()
                    ));
                }
                let mut doc = Map::from_iter([("host".to_owned(), json!(h.key()))]);
                doc.extend(fields);
                report.push(Value::Object(doc));
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
        let kept_text = match kept {
            0 => String::new(),
            n => format!("; {n} kept, held by other processes"),
        };
        let line = format!(
            "logged out of {} of {} cached hosts{kept_text}",
            ok - kept,
            ok + failures.len()
        );
        // With failures, the count belongs to the error report.
        if failures.is_empty() {
            out.say(&line);
        } else {
            out.tell(&line);
        }
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
