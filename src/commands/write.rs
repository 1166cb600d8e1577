//! `rfsession post|patch|put|delete`: spend the cached session on a write. The four differ
//! only in what they send: a body (POST defaults to `{}`), and If-Match for PATCH and PUT.

use std::io::{self, IsTerminal, Write};

use serde_json::{Value, json};

use super::{host, request_path};
use crate::body;
use crate::cli::{BodyArgs, Command, WriteOptions};
use crate::error::{Error, Result};
use crate::host::Host;
use crate::output::{Output, escape_controls, warn};
use crate::redfish::RedfishError;
use crate::session::{HostSession, IfMatch, SessionError, Sessions};
use crate::transport::Method;
use crate::transport::reason;

/// Response bodies of writes are small; a larger one is refused, not parsed.
const BODY_LIMIT: u64 = 64 << 20;

pub fn run(sessions: &Sessions, out: Output, command: &Command) -> Result<()> {
    let none = BodyArgs::default();
    let (method, target, body, if_match, args) = match command {
        Command::Post(a) => (Method::Post, &a.target, &a.body, None, &a.options),
        Command::Patch(a) => (
            Method::Patch,
            &a.target,
            &a.body,
            a.if_match.as_deref(),
            &a.options,
        ),
        Command::Put(a) => (
            Method::Put,
            &a.target,
            &a.body,
            a.if_match.as_deref(),
            &a.options,
        ),
        Command::Delete(a) => (Method::Delete, &a.target, &none, None, &a.options),
        _ => unreachable!("only writes come here"),
    };
    let host = host(sessions, &target.host)?;
    let path = target
        .path
        .as_deref()
        .ok_or_else(|| Error::Usage("no PATH given, e.g. /redfish/v1/Systems/1".into()))?;
    let path = request_path(&host, path)?;
    let body =
        body::build(body.data.as_deref(), &body.items).map_err(|e| Error::Usage(e.to_string()))?;
    let body = match (method, body) {
        (Method::Post, None) => Some(b"{}".to_vec()),
        (Method::Patch | Method::Put, None) => {
            return Err(Error::Usage(format!(
                "{method} needs a body: -d JSON, -d @FILE, -d @- or items like AssetTag=rack-12"
            )));
        }
        (_, b) => b,
    };
    let if_match = match (method, if_match) {
        (Method::Patch | Method::Put, None | Some("auto")) => IfMatch::Auto,
        (Method::Patch | Method::Put, Some("none")) => IfMatch::None,
        (Method::Patch | Method::Put, Some(tag)) => IfMatch::Exact(tag.to_owned()),
        // POST and DELETE take no --if-match (iDRAC refuses it on actions).
        _ => IfMatch::None,
    };
    let req = Request {
        method,
        path: &path,
        body: body.as_deref(),
        if_match: &if_match,
    };
    let on = sessions.on(&host);
    run_on(&on, out, &host, &req, args).map_err(|e| e.on(&host))
}

struct Request<'a> {
    method: Method,
    path: &'a str,
    body: Option<&'a [u8]>,
    if_match: &'a IfMatch,
}

fn run_on(
    on: &HostSession,
    out: Output,
    host: &Host,
    req: &Request,
    args: &WriteOptions,
) -> Result<()> {
    if args.dry_run {
        on.require()?;
        return dry_run(out, host, req);
    }
    let password = args.credentials.password.source();
    let mut live = on.open_or_login(args.credentials.user(), &password)?;
    let mut resp = on.with_relogin(&mut live, args.credentials.user(), &password, |l| {
        l.write(req.method, req.path, req.body, req.if_match)
    })?;
    on.touch();
    let said = format!("{host}: {} {}", req.method, req.path);
    // The status line is informational: a terminal or -v shows it, a script sees nothing.
    out.say(&format!("{said}: {} {}", resp.status, reason(resp.status)));
    let location = (resp.status == 202)
        .then(|| resp.header("location").map(str::to_owned))
        .flatten();
    // The monitor is polled with the token: only a path on this host, whatever it looks like
    // (`/TaskMonitor/abc?id=7` too); one that is not is refused when waiting on it.
    let monitor = match location.map(|l| live.follow(req.path, "task monitor", &l)) {
        Some(Err(e)) if args.wait => return Err(SessionError::from(e).into()),
        Some(m) => m.ok(),
        None => None,
    };
    if let Some(monitor) = monitor {
        if !args.wait {
            if out.json {
                out.json(&json!({"host": host.key(), "status": 202, "task_monitor": monitor}))?;
            } else {
                out.text(&format!("{monitor}\n"))?;
            }
            return Ok(());
        }
        let show = io::stderr().is_terminal();
        let progress = |p: &crate::tasks::Progress| {
            if show {
                let pct = p.percent.map(|n| format!("{n}% ")).unwrap_or_default();
                let state = escape_controls(&p.state);
                let _ = write!(
                    io::stderr().lock(),
                    "\rrfsession: {host}: task {pct}{state}    "
                );
            }
        };
        // The 202's own body, when it is the Task, names where the verdict is kept.
        let task = resp
            .bytes(BODY_LIMIT)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .and_then(|v| v.get("@odata.id")?.as_str().map(str::to_owned));
        let limit = args.wait_timeout;
        let end = live.wait_task(&monitor, task.as_deref(), limit, &progress);
        if show {
            let _ = writeln!(io::stderr().lock());
        }
        let end = end.map_err(SessionError::from)?;
        out.say(&format!("{said}: {}", final_state(&end)));
        if !end.is_null() {
            out.json(&end)?;
        }
        return Ok(());
    }
    let bytes = resp.bytes(BODY_LIMIT).map_err(RedfishError::from)?;
    if bytes.is_empty() {
        return Ok(());
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(v) => out.json(&v)?,
        // A write that succeeded with a body that is not JSON: show it as it came.
        Err(_) => out.text(&String::from_utf8_lossy(&bytes))?,
    }
    Ok(())
}

/// How a task or a Dell job ended, in a few words: `task Completed (OK)`, `job Completed`.
fn final_state(end: &Value) -> String {
    let text = |k: &str| end.get(k).and_then(Value::as_str).map(escape_controls);
    match (text("TaskState"), text("TaskStatus"), text("JobState")) {
        (Some(state), Some(status), _) => format!("task {state} ({status})"),
        (Some(state), None, _) => format!("task {state}"),
        (None, _, Some(state)) => format!("job {state}"),
        _ => "task over".into(),
    }
}

fn dry_run(out: Output, host: &Host, req: &Request) -> Result<()> {
    let body: Option<Value> = req.body.and_then(|b| serde_json::from_slice(b).ok());
    let (if_match, said) = match req.if_match {
        IfMatch::Auto => (
            json!("auto"),
            " with If-Match from a GET of it first".to_owned(),
        ),
        IfMatch::None => (Value::Null, String::new()),
        IfMatch::Exact(t) => (json!(t), format!(" with If-Match: {t}")),
    };
    if out.json {
        out.json(&json!({
            "host": host.key(), "dry_run": true, "method": req.method.as_str(),
            "path": req.path, "if_match": if_match, "body": body,
        }))?;
        return Ok(());
    }
    let body = body.map(|b| format!(", body {b}")).unwrap_or_default();
    warn(&format!(
        "{host}: dry run: would {} {}{said}{body}; nothing was sent",
        req.method, req.path
    ));
    Ok(())
}
