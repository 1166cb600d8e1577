//! `rfsession sessions`: the BMC's sessions with yours marked, or what the cache holds.

use serde_json::{Value, json};

use super::host;
use crate::cli::SessionsArgs;
use crate::error::{Error, Result};
use crate::host::Host;
use crate::output::{Output, escape_controls, warn};
use crate::session::{Sessions, kept_trust_shown, trust_shown};
use crate::timefmt;

pub fn run(sessions: &Sessions, out: Output, args: SessionsArgs) -> Result<()> {
    if args.cached {
        return cached(sessions, out);
    }
    let host = host(sessions, &args.host)?;
    on_bmc(sessions, out, &host, args.user.user.as_deref()).map_err(|e| e.on(&host))
}

fn on_bmc(sessions: &Sessions, out: Output, host: &Host, user: Option<&str>) -> Result<()> {
    let on = sessions.on(host);
    // Nothing cached (a full table, a service without sessions): HTTP Basic, never stored.
    let live = on.open_or_basic(None, &crate::password::Passwords::default())?;
    if let Some(u) = user
        && !live.basic
        && live.entry.user.as_deref() != Some(u)
    {
        warn(&format!(
            "warning: {}: -u {u} is for HTTP Basic when nothing is cached; listed with the cached session of {}",
            host.key(),
            live.entry.shown_user()
        ));
    }
    let rows = live.list()?;
    on.touch();
    if out.json {
        let arr = rows
            .iter()
            .map(|(mine, s)| {
                json!({
                    "id": s.id, "user": s.user, "uri": s.uri,
                    "created": s.created, "origin": s.origin, "mine": mine,
                })
            })
            .collect();
        out.json(&Value::Array(arr))?;
        return Ok(());
    }
    let mut table = vec![["", "ID", "USER", "CREATED", "ORIGIN", "URI"].map(String::from)];
    for (mine, s) in &rows {
        table.push(
            [
                if *mine { "*" } else { " " },
                &s.id,
                &s.user,
                &s.created,
                &s.origin,
                &s.uri,
            ]
            .map(|c| escape_controls(c).into_owned()),
        );
    }
    out.text(&render(&table))?;
    Ok(())
}

fn cached(sessions: &Sessions, out: Output) -> Result<()> {
    let mut first_bad = None;
    let mut rows = Vec::new();
    for l in sessions.cached()? {
        match l.entry {
            Ok(he) => rows.push(he),
            Err(err) => {
                warn(&err.to_string());
                first_bad.get_or_insert(err);
            }
        }
    }
    if rows.is_empty() && first_bad.is_none() {
        // For a person at a terminal; a script still gets a bare (empty) table or [].
        out.say("no cached sessions");
    }
    // Hosts logged out of whose certificate trust is kept: a row each in the table, with no
    // session (`--json` stays a list of sessions, which scripts count).
    let trusted = sessions.kept_trusts()?;
    // One question to the keeper for all rows: which hosts it holds.
    let keeper = sessions.keeper();
    let kept = |h: &crate::host::Host| {
        keeper
            .as_ref()
            .filter(|(_, hosts)| hosts.contains(h))
            .map(|(pid, _)| *pid)
    };
    let persist = |h: &crate::host::Host| {
        sessions
            .settings()
            .for_host(h)
            .persist
            .map(|p| p.value.as_secs())
    };
    if out.json {
        let arr = rows
            .iter()
            .map(|(h, e)| {
                json!({
                    "host": e.host, "user": e.user,
                    "session_uri": e.session_uri.as_deref().unwrap_or(""),
                    "auth": super::auth_json(e),
                    "created": timefmt::rfc3339(e.created),
                    "persist_seconds": persist(h),
                    "keeper_pid": kept(h),
                    "trust": trust_shown(e),
                    "holders": e.live_holds().iter().map(|h| json!({
                        "pid": h.process.pid, "program": h.program,
                        "since": timefmt::rfc3339(h.since),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        out.json(&Value::Array(arr))?;
    } else {
        let mut table = vec![
            [
                "HOST", "USER", "CREATED", "PERSIST", "KEEPER", "HELD BY", "SESSION", "TRUST",
            ]
            .map(String::from),
        ];
        for (h, e) in &rows {
            let keeper = kept(h).map_or("-".to_owned(), |p| format!("pid {p}"));
            let persist = persist(h).map_or("-".to_owned(), |s| format!("{s}s"));
            let holders: Vec<String> = e
                .live_holds()
                .iter()
                .map(|h| format!("{}({})", h.process.pid, h.program))
                .collect();
            let holders = if holders.is_empty() {
                "-".to_owned()
            } else {
                holders.join(",")
            };
            table.push(
                [
                    e.host.as_str(),
                    e.user.as_deref().unwrap_or(""),
                    &timefmt::rfc3339(e.created),
                    &persist,
                    &keeper,
                    &holders,
                    super::session_shown(e, ""),
                    &trust_shown(e),
                ]
                .map(|c| escape_controls(c).into_owned()),
            );
        }
        for (h, t) in &trusted {
            let mut row = ["-"; 8].map(String::from);
            row[0] = h.key();
            row[6] = "(logged out; trust kept)".into();
            row[7] = kept_trust_shown(&h.key(), t);
            table.push(row.map(|c| escape_controls(&c).into_owned()));
        }
        out.text(&render(&table))?;
    }
    // Every unreadable entry was named above; the exit code says there was one.
    match first_bad {
        Some(e) => Err(Error::from(e)),
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

#[cfg(test)]
mod tests {
    use super::render;

    /// The README's `sessions` transcript is laid out as `render` lays out its rows.
    #[test]
    fn the_readmes_table_is_as_rendered() {
        let readme = include_str!("../../README.md");
        let shown = readme
            .split("$ rfsession sessions bmc1\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .unwrap();
        let rows: Vec<[String; 6]> = shown
            .lines()
            .map(|l| {
                let mine = l.starts_with('*');
                let mut cells = l[1..].split_whitespace().map(str::to_owned);
                let mut row: [String; 6] = Default::default();
                row[0] = if mine { "*" } else { "" }.to_owned();
                for cell in row.iter_mut().skip(1) {
                    *cell = cells.next().unwrap_or_default();
                }
                row
            })
            .collect();
        assert_eq!(render(&rows), shown);
    }
}
