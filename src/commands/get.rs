//! `rfsession get`: GET paths with the cached token over one kept-alive connection; on a 401
//! with a password at hand, the session layer logs in again once.

use std::io::{self, Write};

use serde_json::Value;

use super::{host, request_path};
use crate::cli::GetArgs;
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::output::{Output, warn};
use crate::redfish::{RedfishError, parse_json};
use crate::session::{HostSession, Live, SessionError, Sessions};

pub fn run(sessions: &Sessions, out: Output, args: GetArgs) -> Result<()> {
    if let Some(file) = &args.fleet.hosts {
        return fleet(sessions, &args, file);
    }
    let host = host(sessions, &args.host)?;
    check_pointer(args.pointer.as_deref())?;
    // No PATH, or `/`: the service root, where a person starts.
    let mut paths = args.paths.clone();
    if paths.is_empty() {
        paths.push(ROOT.into());
    }
    if args.raw && paths.len() > 1 {
        return Err(Error::Usage("--raw takes exactly one PATH".into()));
    }
    let paths = paths
        .iter()
        .map(|p| request_path(&host, if p == "/" { ROOT } else { p }))
        .collect::<Result<Vec<_>>>()?;
    run_on(&sessions.on(&host), out, &args, &paths).map_err(|e| e.on(&host))
}

const ROOT: &str = "/redfish/v1/";

/// A JSON pointer starts with `/`: `--pointer PowerState` gets the hint, not a miss.
fn check_pointer(pointer: Option<&str>) -> Result<()> {
    match pointer {
        Some(p) if !p.is_empty() && !p.starts_with('/') => Err(Error::Usage(format!(
            "--pointer {p}: a JSON pointer starts with /; did you mean --pointer /{p}?"
        ))),
        _ => Ok(()),
    }
}

/// `--hosts`: every positional is a PATH; each host's line carries its `body` (an array
/// for several paths).
fn fleet(sessions: &Sessions, args: &GetArgs, file: &std::path::Path) -> Result<()> {
    if args.raw {
        return Err(Error::Usage("--raw does not go with --hosts".into()));
    }
    check_pointer(args.pointer.as_deref())?;
    super::one_reader_of_stdin(&args.fleet, &args.credentials.password)?;
    let paths = &args.paths;
    let password = args
        .credentials
        .password
        .source()
        .for_fleet(args.credentials.user().unwrap_or("the cached user"))?;
    super::each_host(sessions, &args.fleet, file, "fetched", |on, h| {
        let paths = paths
            .iter()
            .map(|p| request_path(h, p))
            .collect::<Result<Vec<_>>>()?;
        let mut bodies = fetch(on, args, &paths, &password)?;
        let body = match bodies.len() {
            1 => bodies.remove(0),
            _ => Value::Array(bodies),
        };
        Ok(serde_json::Map::from_iter([("body".to_owned(), body)]))
    })
}

fn run_on(on: &HostSession, out: Output, args: &GetArgs, paths: &[String]) -> Result<()> {
    if args.raw {
        let live =
            on.open_or_login(args.credentials.user(), &args.credentials.password.source())?;
        let mut resp = live.get(&paths[0]).map_err(SessionError::from)?;
        let mut stdout = io::stdout().lock();
        resp.copy_to(&mut stdout).map_err(RedfishError::from)?;
        stdout.flush()?;
        on.touch();
        return Ok(());
    }
    if paths.len() == 1 {
        let bodies = fetch(on, args, paths, &args.credentials.password.source())?;
        return print_bodies(out, args, bodies);
    }
    // Several paths: one that fails costs only its own body. With --ndjson each body is
    // printed as it arrives and each failure gets its own line; without it the bodies that
    // came are printed before the failures. The exit code is the highest.
    let password = args.credentials.password.source();
    let mut live = on.open_or_login(args.credentials.user(), &password)?;
    let mut bodies = Vec::new();
    let mut failures = Vec::new();
    let mut failed = 0;
    let mut code = ExitCode::Success;
    for (i, path) in paths.iter().enumerate() {
        match fetch_one(on, &mut live, args, i, path, &password) {
            Ok(body) if args.ndjson => out.text(&format!("{body}\n"))?,
            Ok(body) => bodies.push(body),
            Err(e) if per_path(&e) => {
                code = code.merge(e.exit_code());
                failed += 1;
                let line = format!("{}: {e}", on.hs.host);
                if args.ndjson {
                    warn(&line);
                } else {
                    failures.push(line);
                }
            }
            Err(e) => return Err(e),
        }
    }
    on.touch();
    if !args.ndjson && !bodies.is_empty() {
        out.json(&Value::Array(bodies))?;
    }
    failures.iter().for_each(|l| warn(l));
    if code == ExitCode::Success {
        return Ok(());
    }
    Err(Error::PathsFailed {
        failed,
        total: paths.len(),
        code,
    })
}

/// Errors about one path (its status, its body, no value at --pointer), as against the
/// session or the connection, which every later path would meet too.
fn per_path(e: &Error) -> bool {
    matches!(e.exit_code(), ExitCode::Bmc | ExitCode::Failure)
        && !matches!(e, Error::Output(_))
        && !e.is_broken_pipe()
}

/// The bodies of `paths` (each at --pointer when given, pages merged with --all-pages);
/// a 401 on the first logs in again once when a password is at hand.
fn fetch(
    on: &HostSession,
    args: &GetArgs,
    paths: &[String],
    password: &crate::password::Passwords,
) -> Result<Vec<Value>> {
    let mut live = on.open_or_login(args.credentials.user(), password)?;
    let mut bodies = Vec::with_capacity(paths.len());
    for (i, path) in paths.iter().enumerate() {
        bodies.push(fetch_one(on, &mut live, args, i, path, password)?);
    }
    on.touch();
    Ok(bodies)
}

/// One path's body; the first path of a call may log in again after a 401.
fn fetch_one(
    on: &HostSession,
    live: &mut Live,
    args: &GetArgs,
    i: usize,
    path: &str,
    password: &crate::password::Passwords,
) -> Result<Value> {
    let mut resp = if i == 0 {
        on.with_relogin(live, args.credentials.user(), password, |l| l.get(path))?
    } else {
        live.get(path).map_err(SessionError::from)?
    };
    let bytes = resp.bytes(args.max_body).map_err(RedfishError::from)?;
    let mut value = parse_json(path, &bytes)?;
    if args.all_pages {
        live.merge_pages(path, &mut value, bytes.len() as u64, args.max_body)?;
    }
    if let Some(ptr) = &args.pointer {
        value = value.pointer(ptr).cloned().ok_or_else(|| Error::NoValue {
            path: path.to_owned(),
            pointer: ptr.clone(),
            nearest: nearest(&value, ptr),
        })?;
    }
    Ok(value)
}

/// What `doc` has at the deepest part of `ptr` it does have, in words: the names to go on
/// with, as a pointer that went wrong needs.
fn nearest(doc: &Value, ptr: &str) -> String {
    let mut at = String::new();
    let mut here = doc;
    for token in ptr.split('/').skip(1) {
        let Some(v) = here.pointer(&format!("/{token}")) else {
            break;
        };
        (at, here) = (format!("{at}/{token}"), v);
    }
    let at = if at.is_empty() { "/" } else { at.as_str() };
    const SHOWN: usize = 12;
    match here {
        Value::Object(m) if m.is_empty() => format!("{at} is an empty object"),
        Value::Object(m) => {
            let keys: Vec<&str> = m.keys().take(SHOWN).map(String::as_str).collect();
            let more = match m.len().saturating_sub(SHOWN) {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            format!("{at} has {}{more}", keys.join(", "))
        }
        Value::Array(a) if a.is_empty() => format!("{at} is an empty array"),
        Value::Array(a) => format!("{at} is an array of {} (0 to {})", a.len(), a.len() - 1),
        _ => format!("{at} is a {} value", kind(here)),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn print_bodies(out: Output, args: &GetArgs, bodies: Vec<Value>) -> Result<()> {
    if args.ndjson {
        let mut text = String::new();
        for b in &bodies {
            text.push_str(&b.to_string());
            text.push('\n');
        }
        return Ok(out.text(&text)?);
    }
    match <[Value; 1]>::try_from(bodies) {
        Ok([Value::String(s)]) if args.pointer.is_some() => out.text(&format!("{s}\n"))?,
        Ok([one]) => out.json(&one)?,
        Err(many) => out.json(&Value::Array(many))?,
    }
    Ok(())
}
