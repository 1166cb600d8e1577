//! `rfsession get`: GET paths with the cached token over one kept-alive connection.
//! On 401 with a password at hand, log in again once under the host's lock, so racing
//! processes create one new session in all.

use std::io::{self, Write};

use serde_json::Value;

use super::{Ctx, login, parse_host, print_json, print_text};
use crate::cache::Entry;
use crate::cli::GetArgs;
use crate::error::{Error, Result};
use crate::host::Host;
use crate::redfish::{Bmc, RedfishError, parse_json};
use crate::transport::same_origin_path;

/// A collection is never followed through more pages than this.
const MAX_PAGES: usize = 10_000;

pub fn run(ctx: &Ctx, args: GetArgs) -> Result<()> {
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
    run_on(ctx, &args, &host, &paths).map_err(|e| e.on(&host))
}

fn run_on(ctx: &Ctx, args: &GetArgs, host: &Host, paths: &[String]) -> Result<()> {
    let mut entry = ctx.cache.read(host)?.ok_or(Error::NotLoggedIn)?;
    let mut bmc = ctx.bmc(host, Some(&entry))?;
    let mut bodies = Vec::with_capacity(paths.len());
    for (i, path) in paths.iter().enumerate() {
        let mut resp = match bmc.get(&entry.token, path) {
            Err(RedfishError::Unauthorized { .. }) if i == 0 && args.password.available() => {
                entry = relogin(ctx, host, &entry, args)?;
                bmc = ctx.bmc(host, Some(&entry))?;
                bmc.get(&entry.token, path)?
            }
            r => r?,
        };
        if args.raw {
            let mut out = io::stdout().lock();
            resp.copy_to(&mut out)?;
            out.flush().map_err(Error::Output)?;
            ctx.cache.touch(host);
            return Ok(());
        }
        let bytes = resp.bytes(args.max_body)?;
        let mut value = parse_json(path, &bytes)?;
        if args.all_pages {
            merge_pages(&bmc, &entry, host, path, &mut value, args.max_body)?;
        }
        if let Some(ptr) = &args.pointer {
            value = value.pointer(ptr).cloned().ok_or_else(|| Error::NoValue {
                path: path.clone(),
                pointer: ptr.clone(),
            })?;
        }
        bodies.push(value);
    }
    ctx.cache.touch(host);
    print_bodies(args, bodies)
}

fn print_bodies(args: &GetArgs, bodies: Vec<Value>) -> Result<()> {
    if args.ndjson {
        let mut text = String::new();
        for b in &bodies {
            text.push_str(&b.to_string());
            text.push('\n');
        }
        return print_text(&text);
    }
    match <[Value; 1]>::try_from(bodies) {
        Ok([Value::String(s)]) if args.pointer.is_some() => print_text(&format!("{s}\n")),
        Ok([one]) => print_json(&one),
        Err(many) => print_json(&Value::Array(many)),
    }
}

/// Log in again after a 401, unless another process already did while we waited.
fn relogin(ctx: &Ctx, host: &Host, stale: &Entry, args: &GetArgs) -> Result<Entry> {
    let user = args.user.clone().unwrap_or_else(|| stale.user.clone());
    let password = args.password.read(&user, host)?;
    let lock = ctx.lock(host)?;
    if let Some(fresh) = ctx.cache.read(host)?
        && fresh.token != stale.token
    {
        return Ok(fresh);
    }
    login::create(ctx, host, &lock, &user, &password, Some(stale))
}

/// Follow `Members@odata.nextLink` and merge every page's Members into `first`.
fn merge_pages(
    bmc: &Bmc,
    entry: &Entry,
    host: &Host,
    path: &str,
    first: &mut Value,
    limit: u64,
) -> Result<()> {
    let mut seen = vec![path.to_owned()];
    while let Some(link) = first
        .get("Members@odata.nextLink")
        .and_then(Value::as_str)
        .map(str::to_owned)
    {
        let next = same_origin_path(host, &link).ok_or_else(|| {
            Error::Usage(format!(
                "{path}: nextLink {link} points to another host; not followed"
            ))
        })?;
        if seen.contains(&next) || seen.len() >= MAX_PAGES {
            break;
        }
        let page = bmc.get_json(&entry.token, &next, limit)?;
        if let (Some(all), Some(more)) = (
            first.get_mut("Members").and_then(Value::as_array_mut),
            page.get("Members").and_then(Value::as_array),
        ) {
            all.extend(more.iter().cloned());
        }
        match page.get("Members@odata.nextLink") {
            Some(n) => first["Members@odata.nextLink"] = n.clone(),
            None => {
                first
                    .as_object_mut()
                    .map(|o| o.remove("Members@odata.nextLink"));
            }
        }
        seen.push(next);
    }
    let count = first.get("Members").and_then(Value::as_array).map(Vec::len);
    if let (Some(n), Some(obj)) = (count, first.as_object_mut()) {
        obj.insert("Members@odata.count".into(), n.into());
    }
    Ok(())
}

/// `/redfish/v1/Systems`, `Systems` (taken under /redfish/v1/), or a full URL on HOST.
fn request_path(host: &Host, p: &str) -> Result<String> {
    if p.contains("://") {
        return same_origin_path(host, p).ok_or_else(|| {
            Error::Usage(format!(
                "{p} names another host than {host}; the token goes only to the host that issued it"
            ))
        });
    }
    if p.chars().any(|c| c.is_control() || c == ' ') {
        return Err(Error::Usage(format!(
            "PATH {p:?} contains spaces or control characters"
        )));
    }
    Ok(if p.starts_with('/') {
        p.to_owned()
    } else {
        format!("/redfish/v1/{p}")
    })
}
