//! `rfsession get`: GET paths with the cached token over one kept-alive connection; on a 401
//! with a password at hand, the session layer logs in again once.

use std::io::{self, Write};

use serde_json::Value;

use super::{parse_host, request_path};
use crate::cli::GetArgs;
use crate::error::{Error, Result};
use crate::output::Output;
use crate::redfish::{RedfishError, parse_json};
use crate::session::{HostSession, SessionError, Sessions};

pub fn run(sessions: &Sessions, out: Output, args: GetArgs) -> Result<()> {
    if let Some(file) = &args.fleet.hosts {
        return fleet(sessions, &args, file);
    }
    // `rfsession get /redfish/v1/...` with RFSESSION_HOST set: the first word is a path.
    let (host, paths) = match std::env::var("RFSESSION_HOST") {
        Ok(env) if args.host.starts_with('/') => {
            super::one_reader_of_stdin(&args.fleet, &args.password)?;
            let mut paths = vec![args.host.clone()];
            paths.extend(args.paths.iter().cloned());
            (env, paths)
        }
        _ => (args.host.clone(), args.paths.clone()),
    };
    let host = parse_host(sessions, &host)?;
    if paths.is_empty() {
        return Err(Error::Usage(
            "no PATH given, e.g. /redfish/v1/Systems".into(),
        ));
    }
    if args.raw && paths.len() > 1 {
        return Err(Error::Usage("--raw takes exactly one PATH".into()));
    }
    let paths = paths
        .iter()
        .map(|p| request_path(&host, p))
        .collect::<Result<Vec<_>>>()?;
    run_on(&sessions.on(&host), out, &args, &paths).map_err(|e| e.on(&host))
}

/// `--hosts`: every positional is a PATH; each host's line carries its `body` (an array
/// for several paths).
fn fleet(sessions: &Sessions, args: &GetArgs, file: &std::path::Path) -> Result<()> {
    if args.raw {
        return Err(Error::Usage("--raw does not go with --hosts".into()));
    }
    let mut paths = vec![args.host.clone()];
    paths.extend(args.paths.iter().cloned());
    let mut password = args.password.source();
    if args.password.password_stdin {
        let pw = password.read_for("the cached user", "every host listed")?;
        password = crate::password::PasswordSource {
            given: Some(pw),
            ..Default::default()
        };
    }
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
        let live = on.open_or_login(args.user.as_deref(), &args.password.source())?;
        let mut resp = live.get(&paths[0]).map_err(SessionError::from)?;
        let mut stdout = io::stdout().lock();
        resp.copy_to(&mut stdout).map_err(RedfishError::from)?;
        stdout.flush()?;
        on.touch();
        return Ok(());
    }
    let bodies = fetch(on, args, paths, &args.password.source())?;
    print_bodies(out, args, bodies)
}

/// The bodies of `paths` (each at --pointer when given, pages merged with --all-pages);
/// a 401 on the first logs in again once when a password is at hand.
fn fetch(
    on: &HostSession,
    args: &GetArgs,
    paths: &[String],
    password: &crate::password::PasswordSource,
) -> Result<Vec<Value>> {
    let mut live = on.open_or_login(args.user.as_deref(), password)?;
    let mut bodies = Vec::with_capacity(paths.len());
    for (i, path) in paths.iter().enumerate() {
        let mut resp = if i == 0 {
            on.with_relogin(&mut live, args.user.as_deref(), password, |l| l.get(path))?
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
                path: path.clone(),
                pointer: ptr.clone(),
            })?;
        }
        bodies.push(value);
    }
    on.touch();
    Ok(bodies)
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
