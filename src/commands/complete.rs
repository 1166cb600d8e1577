//! `rfsession complete-path WORDS...` (hidden): the shells' completion of a Redfish PATH,
//! live from the BMC. The words are parsed with the same definition as a real command, so
//! HOST, the PATH being typed and --cacert, -k and --cache-dir are found as they would be.
//! It reads the deepest complete resource of the typed prefix with the cached token (never a
//! login, never a prompt, 2 s at most, silent on any failure) and offers its links; what a
//! resource links to is kept per host for a minute, so repeated TABs cost nothing.

use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::cli::{Cli, Command};
use crate::host::Host;
use crate::session::Sessions;
use crate::timefmt;

const WAIT: Duration = Duration::from_secs(2);
const KEEP_SECS: u64 = 60;
const ROOT: &str = "/redfish/v1/";

pub fn run(words: &[String]) {
    // Whatever goes wrong, the shell gets no candidates and no message.
    if let Some(candidates) = candidates(words) {
        let text: String = candidates.iter().map(|c| format!("{c}\n")).collect();
        let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
    }
}

/// HOST candidates: every cached host as an operator writes it (no https://), and the
/// settings file's aliases. Silent on any failure.
pub fn hosts(sessions: &Sessions) {
    let mut out: Vec<String> = sessions
        .cached()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|l| l.entry.ok())
        .map(|(h, _)| {
            let key = h.key();
            key.strip_prefix("https://")
                .map_or(key.clone(), str::to_owned)
        })
        .chain(sessions.settings().aliases())
        .collect();
    out.sort();
    out.dedup();
    let text: String = out.iter().map(|h| format!("{h}\n")).collect();
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
}

fn candidates(words: &[String]) -> Option<Vec<String>> {
    let mut cli = Cli::parse_words(words).ok()?;
    let sessions = super::sessions_for(&cli).ok()?.for_completion(WAIT);
    let (host, typed, actions) = match &mut cli.command {
        Command::Get(a) => (
            a.host.host.clone()?,
            a.paths.last().cloned().unwrap_or_default(),
            false,
        ),
        // A write's PATH, until its body begins.
        command => match command.write_target()? {
            (_, Some(b)) if !b.items.is_empty() || b.data.is_some() => return None,
            (t, _) => (
                t.host.host.clone()?,
                t.path.clone().unwrap_or_default(),
                true,
            ),
        },
    };
    // HOST as every command resolves it: a settings-file alias names its url.
    let host = sessions.resolve(&host).ok()?;
    let relative = !typed.starts_with('/');
    let absolute = if relative {
        format!("{ROOT}{typed}")
    } else {
        typed.clone()
    };
    let Some(cut) = absolute.rfind('/').filter(|&i| i >= ROOT.len() - 1) else {
        // Not yet inside /redfish/v1/: that is the one answer.
        return Some(vec![ROOT.to_owned()]).filter(|_| ROOT.starts_with(&absolute));
    };
    let parent = &absolute[..cut];
    let (links, targets) = links_of(&sessions, &host, parent)?;
    let offered = links
        .iter()
        .map(|l| format!("{l}/"))
        .chain(targets.iter().filter(|_| actions).cloned())
        .filter(|c| c.starts_with(&absolute) && plain(c))
        .map(|c| match relative {
            true => c[ROOT.len()..].to_owned(),
            false => c,
        })
        .collect();
    Some(offered)
}

/// The links and action targets of `parent`, from the note if fresh, else from the BMC.
fn links_of(sessions: &Sessions, host: &Host, parent: &str) -> Option<(Vec<String>, Vec<String>)> {
    let mut note: Map<String, Value> = sessions
        .note(host, "paths")
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let now = timefmt::unix_now();
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect()
    };
    if let Some(kept) = note.get(parent)
        && kept["at"]
            .as_u64()
            .is_some_and(|at| now.saturating_sub(at) < KEEP_SECS)
    {
        return Some((strings(&kept["links"]), strings(&kept["targets"])));
    }
    let on = sessions.on(host);
    let live = on.open().ok()?;
    let mut resp = live.get(parent).ok()?;
    let body: Value = serde_json::from_slice(&resp.bytes(16 << 20).ok()?).ok()?;
    let (mut links, mut targets) = (Vec::new(), Vec::new());
    walk(&body, false, &mut links, &mut targets);
    // Offered only as paths on this host, as any link from the BMC (see `links`).
    let here = |v: Vec<String>| -> Vec<String> {
        v.iter()
            .filter_map(|l| crate::links::on_host(host, parent, l))
            .collect()
    };
    let (mut links, targets) = (here(links), here(targets));
    links.retain(|l| l != parent);
    links.sort();
    links.dedup();
    note.retain(|_, v| {
        v["at"]
            .as_u64()
            .is_some_and(|at| now.saturating_sub(at) < KEEP_SECS)
    });
    note.insert(
        parent.to_owned(),
        json!({"at": now, "links": links, "targets": targets}),
    );
    sessions.keep_note(host, "paths", &Value::Object(note).to_string());
    Some((links, targets))
}

/// Every `@odata.id` below `v` (Members, navigation properties, Links), and the `target`s
/// of its Actions.
fn walk(v: &Value, in_actions: bool, links: &mut Vec<String>, targets: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("@odata.id", Value::String(s)) => links.extend(clean(s)),
                    ("target", Value::String(s)) if in_actions => targets.extend(clean(s)),
                    _ => walk(x, in_actions || k == "Actions", links, targets),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| walk(x, in_actions, links, targets)),
        _ => {}
    }
}

/// A link as a candidate: its path without query or fragment, and only when it is made of
/// plain Redfish path characters. A BMC's link with a blank, a quote, a shell
/// metacharacter or a control character is never offered: the shell would insert it into a
/// command line.
fn clean(s: &str) -> Option<String> {
    let s = s.split(['?', '#']).next().unwrap_or("");
    plain(s).then(|| s.trim_end_matches('/').to_owned())
}

fn plain(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/._-~%:@+,=".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_path_characters_are_offered() {
        for bad in [
            "/redfish/v1/Systems/1;touch pwned;",
            "/redfish/v1/Systems/$(id)",
            "/redfish/v1/Systems/`id`",
            "/redfish/v1/Systems/a b",
            "/redfish/v1/Systems/a\tb",
            "/redfish/v1/Systems/it's",
            "/redfish/v1/Systems/\"x\"",
            "/redfish/v1/Systems/a|b",
            "/redfish/v1/Systems/a&b",
            "/redfish/v1/Systems/a>b",
            "/redfish/v1/Systems/\u{1b}[2J\u{7}",
            "/redfish/v1/Systems/a\\b",
            "/redfish/v1/Systems/\u{e9}",
            "/redfish/v1/Systems/*",
            "/redfish/v1/Systems/a!b",
        ] {
            assert_eq!(clean(bad), None, "{bad:?}");
        }
        assert_eq!(
            clean("/redfish/v1/Systems/System.Embedded-1_x/?$expand=.").as_deref(),
            Some("/redfish/v1/Systems/System.Embedded-1_x")
        );
    }

    #[test]
    fn links_and_action_targets_are_found_anywhere() {
        let body = json!({
            "@odata.id": "/redfish/v1/Systems/1",
            "Bios": {"@odata.id": "/redfish/v1/Systems/1/Bios/"},
            "Links": {"Chassis": [{"@odata.id": "/redfish/v1/Chassis/1"}]},
            "Actions": {"#ComputerSystem.Reset": {"target": "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset"}},
        });
        let (mut links, mut targets) = (Vec::new(), Vec::new());
        walk(&body, false, &mut links, &mut targets);
        links.sort();
        assert_eq!(
            links,
            [
                "/redfish/v1/Chassis/1",
                "/redfish/v1/Systems/1",
                "/redfish/v1/Systems/1/Bios"
            ]
        );
        assert_eq!(
            targets,
            ["/redfish/v1/Systems/1/Actions/ComputerSystem.Reset"]
        );
    }
}
