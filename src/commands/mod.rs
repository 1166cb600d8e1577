//! One module per subcommand. Each turns its arguments into calls of the session layer and
//! the result into output; none calls another.

mod cert;
mod complete;
mod config;
mod exec;
mod get;
mod login;
mod logout;
mod sessions;
mod token;
mod whoami;
mod write;

use std::io::Write;
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::cache::CacheError;
use crate::cli::{Cli, Command, Credentials, FleetArgs, HostArg, PasswordArgs};
use crate::environment;
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::fleet;
use crate::host::{Host, Scheme};
use crate::output::{Output, warn};
use crate::password::Passwords;
use crate::secret::Secret;
use crate::session::{HostSession, Sessions, Setup};
use crate::settings::{self, Flags, Origin, Setting, Settings};

pub fn run(cli: Cli) -> Result<()> {
    if let Command::CompletePath(args) = &cli.command {
        complete::run(&args.words);
        return Ok(());
    }
    crate::output::set_chatter(match (cli.global.quiet, cli.global.verbose) {
        (true, _) => crate::output::Chatter::Quiet,
        (_, true) => crate::output::Chatter::Always,
        _ => crate::output::Chatter::Terminal,
    });
    if let Command::GenerateDocs { dir } = &cli.command {
        return Ok(crate::generate::generate(dir)?);
    }
    if let Command::Keeper(args) = cli.command {
        // Started by another rfsession with the cache directory and nothing else.
        let dir = cli
            .global
            .cache_dir
            .ok_or_else(|| Error::Usage("the keeper needs RFSESSION_CACHE_DIR".into()))?;
        return crate::keeper::serve(&dir, args.max_hosts as usize)
            .map_err(|source| CacheError::Io { path: dir, source }.into());
    }
    let sessions = sessions_for(&cli)?;
    let out = Output {
        json: cli.json(),
        quiet: false,
    };
    match cli.command {
        Command::Login(args) => login::run(&sessions, out, args),
        Command::Get(args) => get::run(&sessions, out, args),
        Command::Sessions(args) => sessions::run(&sessions, out, args),
        Command::Whoami(args) => whoami::run(&sessions, out, args),
        Command::Logout(args) => logout::run(&sessions, out, args),
        Command::Post(_) | Command::Patch(_) | Command::Put(_) | Command::Delete(_) => {
            write::run(&sessions, out, &cli.command)
        }
        Command::Token(args) => token::run(&sessions, out, args),
        Command::Cert(args) => cert::run(&sessions, out, args),
        Command::Exec(args) => exec::run(&sessions, args),
        Command::Config(args) => config::run(&sessions, out, args),
        Command::CompletePath(_) => unreachable!("handled above"),
        Command::CompleteHosts => {
            complete::hosts(&sessions);
            Ok(())
        }
        Command::Keeper(_) | Command::GenerateDocs { .. } => unreachable!("handled above"),
    }
}

/// The sessions as the global options and the settings file say to reach them.
fn sessions_for(cli: &Cli) -> Result<Sessions> {
    if !crate::platform::KEEPER && cli.global.persist.is_some_and(|d| !d.is_zero()) {
        return Err(Error::Usage(
            "--persist (or RFSESSION_PERSIST) needs the keeper, which rfsession does not have on this system yet; leave it out: every call then connects to the BMC itself".into(),
        ));
    }
    // Where clap found a value: the environment or the command line.
    let origin = |id: &str, flag: &'static str, var: &'static str| match cli.from_env.contains(id) {
        true => Origin::Env(var),
        false => Origin::Flag(flag),
    };
    let flags = Flags {
        cacert: cli.global.cacert.clone(),
        insecure: cli.global.insecure,
        timeout: cli.global.timeout,
        proxy: cli.global.proxy.clone(),
        noproxy: cli.global.noproxy.clone(),
        user: cli
            .user()
            .map(|u| Setting {
                value: u.to_owned(),
                from: origin("user", "-u", environment::USER),
            })
            .or_else(|| {
                // logout's --user names whose sessions --others ends, so it has no -u: a
                // session it ends with HTTP Basic is the variable's user's.
                matches!(cli.command, Command::Logout(_))
                    .then(|| environment::get(environment::USER))
                    .flatten()
                    .map(|value| Setting {
                        value,
                        from: Origin::Env(environment::USER),
                    })
            }),
        persist: cli
            .global
            .persist
            .filter(|_| !cli.global.no_persist)
            .map(|d| Setting {
                value: d,
                from: origin("persist", "--persist", environment::PERSIST),
            }),
    };
    let (settings, settings_from) = match &cli.global.config {
        Some(f) => (
            Settings::load_named(f.clone(), flags)?,
            origin("config", "--config", environment::CONFIG).to_string(),
        ),
        None => (
            Settings::load(settings::default_path(), flags)?,
            "the config directory".into(),
        ),
    };
    Ok(Sessions::new(Setup {
        cache_dir: cli.global.cache_dir.clone().map(|d| Setting {
            value: d,
            from: origin("cache_dir", "--cache-dir", environment::CACHE_DIR),
        }),
        verbose: cli.global.verbose,
        settings,
        settings_from,
        cap: None,
        no_persist: cli.global.no_persist,
    })?)
}

/// `/redfish/v1/Systems`, `Systems` (taken under /redfish/v1/), or a full URL on HOST.
fn request_path(host: &Host, p: &str) -> Result<String> {
    if p.contains("://") || p.starts_with("//") {
        return crate::links::on_host(host, "/", p).ok_or_else(|| {
            Error::Usage(format!(
                "{p} names another host than {host}; the token goes only to the host that issued it"
            ))
        });
    }
    if !p.chars().all(|c| c.is_ascii_graphic()) {
        return Err(Error::Usage(format!(
            "PATH {p:?} contains spaces, control or non-ASCII characters; percent-encode them"
        )));
    }
    Ok(if p.starts_with('/') {
        p.to_owned()
    } else {
        format!("/redfish/v1/{p}")
    })
}

/// HOST from the argument or RFSESSION_HOST, normalized; warns about clear text.
fn host(sessions: &Sessions, arg: &HostArg) -> Result<Host> {
    match &arg.host {
        Some(h) => parse_host(sessions, h),
        None => Err(Error::Usage(
            "no HOST given; pass it as an argument or set RFSESSION_HOST".into(),
        )),
    }
}

/// HOST as typed: an alias of the settings file, or a host.
fn parse_host(sessions: &Sessions, s: &str) -> Result<Host> {
    let host = sessions
        .resolve(s)
        .map_err(|e| Error::Usage(e.to_string()))?;
    if host.scheme == Scheme::Http {
        warn(&format!(
            "warning: {host}: plain http: the session token (with HTTP Basic, the password) goes out in clear text with every request"
        ));
    }
    Ok(host)
}

impl Credentials {
    /// -u or RFSESSION_USER.
    fn user(&self) -> Option<&str> {
        self.user.user.as_deref()
    }
}

impl PasswordArgs {
    fn source(&self) -> Passwords {
        if self.password.is_some() {
            warn(
                "warning: -p puts the password in the process list where other users can read it; prefer --password-file or --password-stdin",
            );
        }
        Passwords::new(
            self.password_stdin,
            self.password_file.clone(),
            self.password.clone().map(Secret::new),
            self.password_command.clone(),
        )
    }
}

/// The longest line and the most hosts `--hosts FILE` takes: a wrong file (a disk image,
/// /dev/zero) is refused at once instead of filling memory.
const MAX_HOSTS_LINE: usize = 4096;
const MAX_HOSTS: usize = 100_000;

/// `--hosts -` and `--password-stdin` cannot share standard input: a host line would be
/// taken for the password (and the password for a host, printed in the output).
fn one_reader_of_stdin(fleet: &FleetArgs, password: &PasswordArgs) -> Result<()> {
    match &fleet.hosts {
        Some(file) if file == Path::new("-") && password.password_stdin => Err(Error::Usage(
            "--hosts - and --password-stdin both read standard input; give the hosts in a file or the password another way (--password-file, --password-command, RFSESSION_PASSWORD)".into(),
        )),
        _ => Ok(()),
    }
}

/// `--hosts FILE`: one HOST per line, `#` comments and blank lines skipped, `-` for stdin;
/// read line by line, each line and the count bounded.
fn read_hosts(path: &Path) -> Result<Vec<String>> {
    use std::io::{BufRead, Read};
    let name = path.display();
    let cannot = |e: std::io::Error| Error::Usage(format!("cannot read --hosts {name}: {e}"));
    let mut reader: Box<dyn BufRead> = if path == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(path).map_err(cannot)?,
        ))
    };
    let mut hosts = Vec::new();
    for number in 1.. {
        let mut line = Vec::new();
        let n = (&mut reader)
            .take(MAX_HOSTS_LINE as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(cannot)?;
        if n == 0 {
            break;
        }
        if line.len() > MAX_HOSTS_LINE {
            return Err(Error::Usage(format!(
                "--hosts {name} line {number} is longer than {MAX_HOSTS_LINE} bytes; is it a list of hosts?"
            )));
        }
        let line = String::from_utf8_lossy(&line);
        let host = line.split('#').next().unwrap_or("").trim();
        if host.is_empty() {
            continue;
        }
        if hosts.len() == MAX_HOSTS {
            return Err(Error::Usage(format!(
                "--hosts {name} lists more than {MAX_HOSTS} hosts; split it"
            )));
        }
        hosts.push(host.to_owned());
    }
    Ok(hosts)
}

/// Run `work` for every host of `--hosts`, `jobs` at a time, printing one JSON line per host
/// as each finishes: `{"host", "exit": 0, ...work's fields}` or `{"host", "exit", "error"}`.
/// Exits with the highest exit code of any host.
fn each_host(
    sessions: &Sessions,
    fleet: &FleetArgs,
    path: &Path,
    verb: &str,
    work: impl Fn(&HostSession, &Host) -> Result<Map<String, Value>> + Sync,
) -> Result<()> {
    let mut hosts = Vec::new();
    let mut bad = Vec::new();
    for line in read_hosts(path)? {
        match sessions.resolve(&line) {
            Ok(h) => hosts.push(h),
            Err(e) => bad.push((line, Error::Usage(e.to_string()))),
        }
    }
    let print = |host: &str, r: &Result<Map<String, Value>>| {
        let mut line = Map::new();
        line.insert("host".into(), json!(host));
        match r {
            Ok(fields) => {
                line.insert("exit".into(), json!(0));
                line.extend(fields.clone());
            }
            Err(e) => {
                line.insert("exit".into(), json!(e.exit_code().code()));
                line.insert("error".into(), json!(e.to_string()));
            }
        }
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", Value::Object(line)).and_then(|()| out.flush());
    };
    let invalid = bad.len();
    for (line, e) in bad {
        print(&line, &Err(e));
    }
    let total = hosts.len() + invalid;
    let results = fleet::run(
        hosts,
        fleet.jobs.into(),
        verb,
        true,
        |h| work(&sessions.on_unattended(h), h).map_err(|e| e.on(h)),
        |h, r| print(&h.key(), r),
    );
    let mut code = if invalid > 0 {
        ExitCode::Usage
    } else {
        ExitCode::Success
    };
    let mut failed = invalid;
    for (_, r) in &results {
        if let Err(e) = r {
            code = code.merge(e.exit_code());
            failed += 1;
        }
    }
    if failed == 0 {
        return Ok(());
    }
    Err(Error::SomeFailed {
        failed,
        total,
        code,
        hint: "their lines say why",
    })
}

/// A JSON document as the fields of a `--hosts` line.
fn fields(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => Map::from_iter([("result".to_owned(), other)]),
    }
}

/// The SESSION an entry shows: its URI, `none` when the BMC gave none, or HTTP Basic.
fn session_shown<'a>(entry: &'a crate::cache::Entry, none: &'a str) -> &'a str {
    match (entry.basic, entry.session_uri.as_deref()) {
        (true, _) => "HTTP Basic (no session)",
        (false, Some(uri)) => uri,
        (false, None) => none,
    }
}

/// How an entry's requests authenticate, for `--json`: "session" or "basic".
fn auth_json(entry: &crate::cache::Entry) -> &'static str {
    if entry.basic { "basic" } else { "session" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hosts_file_is_read_line_by_line_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hosts");
        std::fs::write(&path, "# lab\nbmc1  # rack 4\n\n  bmc2\r\n").unwrap();
        assert_eq!(read_hosts(&path).unwrap(), ["bmc1", "bmc2"]);
        let limit = "h\n".repeat(MAX_HOSTS);
        std::fs::write(&path, &limit).unwrap();
        assert_eq!(read_hosts(&path).unwrap().len(), MAX_HOSTS);
        std::fs::write(&path, format!("{limit}# one comment more is fine\nh\n")).unwrap();
        let e = read_hosts(&path).unwrap_err().to_string();
        assert!(e.contains("more than 100000 hosts"), "{e}");
        std::fs::write(&path, format!("bmc1\n{}", "x".repeat(MAX_HOSTS_LINE + 1))).unwrap();
        let e = read_hosts(&path).unwrap_err().to_string();
        assert!(e.contains("line 2 is longer than 4096 bytes"), "{e}");
        std::fs::write(&path, format!("{}\n", "x".repeat(MAX_HOSTS_LINE - 1))).unwrap();
        assert_eq!(
            read_hosts(&path).unwrap().len(),
            1,
            "a line of 4096 bytes with its newline"
        );
    }
}
