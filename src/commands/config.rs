//! `rfsession config HOST`: the settings that apply to HOST and where each came from, as
//! `ssh -G` shows them. Never a password: only where one would come from.

use serde_json::{Value, json};

use super::host;
use crate::cli::ConfigArgs;
use crate::error::Result;
use crate::output::Output;
use crate::password::Passwords;
use crate::session::{Sessions, kept_trust_shown, trust_shown};
use crate::settings::{PasswordFrom, Setting};
use crate::transport::redact_proxy;

pub fn run(sessions: &Sessions, out: Output, args: ConfigArgs) -> Result<()> {
    let host = host(sessions, &args.host)?;
    let on = sessions.on(&host);
    // How the cached entry is trusted, which governs its host over cacert and insecure.
    let trust = match on.entry().ok().flatten() {
        Some(e) => Some((
            trust_shown(&e),
            "the cache entry; login --force changes it".to_owned(),
        )),
        None => on.remembered().map(|t| {
            (
                kept_trust_shown(&host.key(), &t),
                "kept from the last login; login --force changes it, logout --forget removes it"
                    .to_owned(),
            )
        }),
    };
    // Past the environment and the settings (shown below), ~/.netrc's entry for the host.
    let netrc = on.passwords(&Passwords::default()).shown();
    let hs = on.hs;
    let show = |s: Option<(String, String)>| match s {
        Some((value, from)) => json!({"value": value, "from": from}),
        None => Value::Null,
    };
    fn with<T>(s: &Option<Setting<T>>, f: impl Fn(&T) -> String) -> Option<(String, String)> {
        s.as_ref().map(|s| (f(&s.value), s.from.to_string()))
    }
    // The first source a login would read, in the order it tries them: the environment, the
    // settings, ~/.netrc; with none, a prompt on a terminal.
    let password = Passwords::default()
        .shown()
        .or_else(|| {
            with(&hs.password, |p| match p {
                PasswordFrom::File(f) => format!("file {}", f.display()),
                PasswordFrom::Command(c) => format!("command {c}"),
            })
        })
        .or(netrc)
        .or_else(|| {
            Some((
                "asked at login".into(),
                "no other source; only on a terminal".into(),
            ))
        });
    let rows = [
        (
            "host",
            Some((
                host.key(),
                match &hs.alias {
                    Some(a) => format!("alias {a}"),
                    None => "as given".into(),
                },
            )),
        ),
        ("user", with(&hs.user, String::clone)),
        ("password", password),
        ("cacert", with(&hs.cacert, |p| p.display().to_string())),
        (
            "insecure",
            Some((hs.insecure.value.to_string(), hs.insecure.from.to_string())),
        ),
        ("trust", trust),
        ("proxy", with(&hs.proxy, |p| redact_proxy(p))),
        ("noproxy", with(&hs.noproxy, String::clone)),
        (
            "proxy used",
            Some((
                hs.proxy_for_host()
                    .map_or("no".into(), |p| redact_proxy(&p)),
                "proxy and noproxy above".into(),
            )),
        ),
        (
            "timeout",
            Some((
                format!("{}s", hs.timeout.value.as_secs_f64()),
                hs.timeout.from.to_string(),
            )),
        ),
        (
            "persist",
            with(&hs.persist, |d| format!("{}s", d.as_secs_f64())),
        ),
        (
            "keeper",
            Some(match sessions.keeper() {
                Some((pid, hosts)) if hosts.contains(&host) => (
                    format!("pid {pid}"),
                    "holds a connection to this host".into(),
                ),
                Some((pid, _)) => (
                    format!("pid {pid}"),
                    "holds no connection to this host".into(),
                ),
                None => ("none".into(), "no keeper runs for this cache".into()),
            }),
        ),
        (
            "settings",
            sessions.settings().file().map(|f| {
                (
                    f.display().to_string(),
                    sessions.settings_origin().to_owned(),
                )
            }),
        ),
        (
            "cache entry",
            Some((
                sessions.entry_path(&host).display().to_string(),
                sessions.cache_dir_origin(),
            )),
        ),
    ];
    if out.json {
        let doc: serde_json::Map<String, Value> = rows
            .into_iter()
            .map(|(k, v)| (k.replace(' ', "_"), show(v)))
            .collect();
        out.json(&Value::Object(doc))?;
        return Ok(());
    }
    let text: String = rows
        .into_iter()
        .map(|(k, v)| match v {
            Some((value, from)) => format!("{k:<12} {value}  ({from})\n"),
            None => format!("{k:<12} -\n"),
        })
        .collect();
    out.text(&text)?;
    Ok(())
}
