//! `rfsession sessions`: the BMC's sessions with yours marked, or what the cache holds.

use serde_json::{Value, json};

use super::{Ctx, host, print_json, print_text, warn};
use crate::cli::SessionsArgs;
use crate::error::{Error, Result};
use crate::host::Host;
use crate::timefmt;

pub fn run(ctx: &Ctx, args: SessionsArgs) -> Result<()> {
    if args.cached {
        return cached(ctx);
    }
    let host = host(&args.host)?;
    on_bmc(ctx, &host).map_err(|e| e.on(&host))
}

fn on_bmc(ctx: &Ctx, host: &Host) -> Result<()> {
    let entry = ctx.cache.read(host)?.ok_or(Error::NotLoggedIn)?;
    let bmc = ctx.bmc(host, Some(&entry))?;
    let list = bmc.list_sessions(&entry.token, super::sessions_of(&entry), &entry.context)?;
    ctx.cache.touch(host);
    let rows: Vec<(bool, _)> = list
        .into_iter()
        .map(|s| {
            let mine = (!entry.session_uri.is_empty() && s.uri == entry.session_uri)
                || (entry.session_uri.is_empty() && s.marked_mine);
            (mine, s)
        })
        .collect();
    if ctx.json {
        let arr = rows
            .iter()
            .map(|(mine, s)| {
                json!({
                    "id": s.id, "user": s.user, "uri": s.uri,
                    "created": s.created, "origin": s.origin, "mine": mine,
                })
            })
            .collect();
        return print_json(&Value::Array(arr));
    }
    let mut table = vec![[
        " ".to_owned(),
        "ID".to_owned(),
        "USER".to_owned(),
        "CREATED".to_owned(),
        "ORIGIN".to_owned(),
        "URI".to_owned(),
    ]];
    for (mine, s) in &rows {
        table.push([
            if *mine { "*" } else { " " }.to_owned(),
            s.id.clone(),
            s.user.clone(),
            s.created.clone(),
            s.origin.clone(),
            s.uri.clone(),
        ]);
    }
    print_text(&render(&table))
}

fn cached(ctx: &Ctx) -> Result<()> {
    let listed = ctx.cache.list()?;
    let mut first_bad = None;
    let mut rows = Vec::new();
    for l in listed {
        match l.entry {
            Ok(e) => rows.push(e),
            Err(err) => {
                warn(&err.to_string());
                first_bad.get_or_insert(err);
            }
        }
    }
    if ctx.json {
        let arr = rows
            .iter()
            .map(|e| {
                json!({
                    "host": e.host, "user": e.user, "session_uri": e.session_uri,
                    "created": timefmt::rfc3339(e.created),
                })
            })
            .collect();
        print_json(&Value::Array(arr))?;
    } else {
        let mut table = vec![[
            "HOST".to_owned(),
            "USER".to_owned(),
            "CREATED".to_owned(),
            "SESSION".to_owned(),
        ]];
        for e in &rows {
            table.push([
                e.host.clone(),
                e.user.clone(),
                timefmt::rfc3339(e.created),
                e.session_uri.clone(),
            ]);
        }
        print_text(&render(&table))?;
    }
    // Every unreadable entry was named above; the exit code says there was one.
    match first_bad {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// Left-aligned columns separated by two spaces.
fn render<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0usize; N];
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}
