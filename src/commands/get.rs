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
    // `rfsession get /redfish/v1/...` with RFSESSION_HOST set: the first word is a path.
    let (host, paths) = match std::env::var("RFSESSION_HOST") {
        Ok(env) if args.host.starts_with('/') => {
            let mut paths = vec![args.host.clone()];
            paths.extend(args.paths.iter().cloned());
            (env, paths)
        }
        _ => (args.host.clone(), args.paths.clone()),
    };
    let host = parse_host(&host)?;
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

fn run_on(on: &HostSession, out: Output, args: &GetArgs, paths: &[String]) -> Result<()> {
    let mut live = on.open()?;
    let password = args.password.source();
    let mut bodies = Vec::with_capacity(paths.len());
    for (i, path) in paths.iter().enumerate() {
        let mut resp = match live.get(path) {
            Err(RedfishError::Unauthorized { .. }) if i == 0 && password.available() => {
                on.relogin(&mut live, args.user.as_deref(), &password)?;
                live.get(path).map_err(SessionError::from)?
            }
            r => r.map_err(SessionError::from)?,
        };
        if args.raw {
            let mut stdout = io::stdout().lock();
            resp.copy_to(&mut stdout).map_err(RedfishError::from)?;
            stdout.flush()?;
            on.touch();
            return Ok(());
        }
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
    print_bodies(out, args, bodies)
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
