//! The command line, defined once: the binary parses it, and the man pages and shell
//! completions are generated from it.

use std::path::PathBuf;

use std::collections::BTreeSet;

use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueHint};

use crate::environment as env;

/// The headings of `--help`: a subcommand's own options come first, then these.
const CONNECTION: &str = "Connection and TLS";
const GLOBAL: &str = "Global";

fn after_long_help() -> String {
    format!("{}\n\n{}", crate::exit::help_text(), env::help())
}

#[derive(Debug, Parser)]
#[command(
    name = "rfsession",
    version,
    about = "Log in to a Redfish BMC once and reuse the session from every shell, script and cron job",
    long_about = "Log in to a Redfish BMC once and reuse the session from every shell, script and cron job.\n\n\
rfsession keeps one session token per BMC in a private, file-locked cache, so that concurrent \
scripts share one BMC session instead of filling the BMC's small session table.",
    after_long_help = after_long_help(),
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Globals,

    #[command(subcommand)]
    pub command: Command,

    /// The arguments whose value came from the environment (their clap ids), for `config`.
    #[arg(skip)]
    pub from_env: BTreeSet<String>,
}

/// The options before the command's name; most also after it.
#[derive(Debug, Args)]
pub struct Globals {
    /// Skip certificate verification at a first login (or login --force) and pin the
    /// certificate seen, in any X.509 version (trust on first use)
    #[arg(help_heading = CONNECTION, short = 'k', long, global = true)]
    pub insecure: bool,

    /// Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly
    /// the BMC's; a login remembers the ones that verified the BMC, for later calls
    #[arg(help_heading = CONNECTION, long, global = true, value_name = "PEM", value_hint = ValueHint::FilePath)]
    pub cacert: Option<PathBuf>,

    /// Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command
    /// for one host together, plus documented retry pauses), on a --password-command, and
    /// separately on waiting for a lock [default: 30s, or the settings file's]
    #[arg(help_heading = CONNECTION, long, global = true, value_name = "DURATION", value_parser = crate::timefmt::parse_positive_duration)]
    pub timeout: Option<std::time::Duration>,

    /// Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or
    /// socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY
    #[arg(help_heading = CONNECTION, long, global = true, value_name = "URL")]
    pub proxy: Option<String>,

    /// Hosts reached without the proxy, as curl's NO_PROXY: names, .domains, IPs, CIDRs, *
    #[arg(help_heading = CONNECTION, long, global = true, value_name = "LIST")]
    pub noproxy: Option<String>,

    /// Keep the connection to the BMC open between calls for this long without a request
    /// (60s, 10m), in one keeper process for all hosts, as ssh's ControlPersist; a running
    /// keeper serves every later call to a host it holds; 0 turns it off
    #[arg(help_heading = CONNECTION, long, global = true, value_name = "DURATION", env = env::PERSIST, hide_env_values = true, value_parser = crate::timefmt::parse_duration)]
    pub persist: Option<std::time::Duration>,

    /// Connect directly for this call, even where a keeper holds the connection (beats
    /// --persist and RFSESSION_PERSIST)
    #[arg(help_heading = CONNECTION, long, global = true)]
    pub no_persist: bool,

    /// Cache directory [default: ~/.local/state/rfsession]
    #[arg(help_heading = GLOBAL, long, global = true, value_name = "DIR", env = env::CACHE_DIR, hide_env_values = true, value_hint = ValueHint::DirPath)]
    pub cache_dir: Option<PathBuf>,

    /// The settings file [default: ~/.config/rfsession/config.toml]
    #[arg(help_heading = GLOBAL, long, global = true, value_name = "FILE", env = env::CONFIG, hide_env_values = true, value_hint = ValueHint::FilePath)]
    pub config: Option<PathBuf>,

    /// Print one JSON document instead of text (login, sessions, whoami, logout, config and
    /// the writes; also after those commands' names)
    #[arg(help_heading = GLOBAL, long)]
    pub json: bool,

    /// Show each request and response line and headers on stderr, secrets redacted, and
    /// what went well even when stderr is not a terminal
    #[arg(help_heading = GLOBAL, short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,

    /// Print only errors and warnings on stderr (what went well is shown only on a terminal
    /// anyway)
    #[arg(help_heading = GLOBAL, short, long, global = true)]
    pub quiet: bool,
}

impl Cli {
    /// Parse a command line (the binary's, or the words completion is given) as every
    /// command sees it: clap's parse, then the one step clap cannot express, as xh does:
    /// a first word that is a PATH moves to the PATHs, HOST coming from RFSESSION_HOST.
    pub fn parse_words<I, T>(words: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let words: Vec<std::ffi::OsString> = words.into_iter().map(Into::into).collect();
        // The whole definition only for help, errors and the odd case: building every
        // subcommand's options is most of a warm `get`'s start (a third of a megabyte of heap).
        let fast = one_command(&words).and_then(|mut c| c.try_get_matches_from_mut(&words).ok());
        let matches = match fast {
            Some(m) => m,
            None => Cli::command().try_get_matches_from(&words)?,
        };
        let mut cli = Cli::from_arg_matches(&matches)?;
        let sub = matches.subcommand().map(|(_, m)| m);
        cli.from_env = [&matches]
            .into_iter()
            .chain(sub)
            .flat_map(|m| m.ids().filter(|id| from_env(m, id.as_str())))
            .map(|id| id.as_str().to_owned())
            .collect();
        let host_typed = sub.is_some_and(|m| {
            m.try_get_raw("host").ok().flatten().is_some()
                && m.value_source("host") == Some(ValueSource::CommandLine)
        });
        cli.command.shift_path(host_typed);
        if cli.global.json && cli.own_json().is_none() {
            let name = matches.subcommand_name().unwrap_or_default();
            return Err(Cli::command().error(
                clap::error::ErrorKind::ArgumentConflict,
                format!("--json does not change what `{name}` prints; leave it out"),
            ));
        }
        Ok(cli)
    }

    /// `--json`, before the command's name or after it.
    pub fn json(&self) -> bool {
        self.global.json || self.own_json() == Some(true)
    }

    /// The command's own `--json`; None for a command whose output it would not change.
    fn own_json(&self) -> Option<bool> {
        Some(match &self.command {
            Command::Login(a) => a.output.json,
            Command::Sessions(a) => a.output.json,
            Command::Whoami(a) => a.output.json,
            Command::Logout(a) => a.output.json,
            Command::Config(a) => a.output.json,
            Command::Post(a) => a.options.output.json,
            Command::Patch(a) | Command::Put(a) => a.options.output.json,
            Command::Delete(a) => a.options.output.json,
            _ => return None,
        })
    }

    /// The user named on the command line or in RFSESSION_USER for this command.
    pub fn user(&self) -> Option<&str> {
        match &self.command {
            Command::Login(a) => a.credentials.user.user.as_deref(),
            Command::Get(a) => a.credentials.user.user.as_deref(),
            Command::Post(a) => a.options.credentials.user.user.as_deref(),
            Command::Patch(a) | Command::Put(a) => a.options.credentials.user.user.as_deref(),
            Command::Delete(a) => a.options.credentials.user.user.as_deref(),
            Command::Exec(a) => a.credentials.user.user.as_deref(),
            Command::Config(a) => a.user.user.as_deref(),
            Command::Token(a) => a.user.user.as_deref(),
            Command::Sessions(a) => a.user.user.as_deref(),
            _ => None,
        }
    }
}

/// The command line with only the subcommand that `words` names, which parses alike; None
/// when no word names one (then clap's full definition answers: help, version, a typo).
fn one_command(words: &[std::ffi::OsString]) -> Option<clap::Command> {
    // Version as the whole definition has it, for `-V` after any subcommand's name.
    let top = Globals::augment_args(clap::Command::new("rfsession"))
        .version(env!("CARGO_PKG_VERSION"))
        .propagate_version(true);
    let word = command_word(&top, words)?;
    let name = *ONE_BY_ONE.iter().find(|n| **n == word)?;
    let build: fn(clap::Command) -> clap::Command = match name {
        "login" => LoginArgs::augment_args,
        "get" => GetArgs::augment_args,
        "sessions" => SessionsArgs::augment_args,
        "whoami" => WhoamiArgs::augment_args,
        "logout" => LogoutArgs::augment_args,
        "post" => PostArgs::augment_args,
        "patch" | "put" => PatchArgs::augment_args,
        "delete" => DeleteArgs::augment_args,
        "token" => TokenArgs::augment_args,
        "cert" => CertArgs::augment_args,
        "exec" => ExecArgs::augment_args,
        "config" => ConfigArgs::augment_args,
        "complete-path" => CompletePathArgs::augment_args,
        "keeper" => KeeperArgs::augment_args,
        "complete-hosts" => |c| c,
        _ => return None,
    };
    Some(top.subcommand(build(clap::Command::new(name))))
}

/// The subcommands `one_command` builds alone (all but generate-docs, which is rare).
const ONE_BY_ONE: [&str; 16] = [
    "login",
    "get",
    "sessions",
    "whoami",
    "logout",
    "post",
    "patch",
    "put",
    "delete",
    "token",
    "cert",
    "exec",
    "config",
    "complete-path",
    "complete-hosts",
    "keeper",
];

/// The first word that is no option and no option's value: the subcommand's name.
fn command_word<'a>(top: &clap::Command, words: &'a [std::ffi::OsString]) -> Option<&'a str> {
    let takes_value = |long: &str| {
        top.get_arguments()
            .any(|a| a.get_long() == Some(long) && a.get_action().takes_values())
    };
    let mut rest = words.iter().skip(1).map(|w| w.to_str());
    while let Some(word) = rest.next() {
        let word = word?;
        match word.strip_prefix("--") {
            Some("") => return None,
            Some(long) if !long.contains('=') && takes_value(long) => {
                rest.next();
            }
            Some(_) => {}
            None if word.starts_with('-') => {}
            None => return Some(word),
        }
    }
    None
}

fn from_env(m: &ArgMatches, id: &str) -> bool {
    m.try_get_raw(id).ok().flatten().is_some()
        && m.value_source(id) == Some(ValueSource::EnvVariable)
}

impl Command {
    /// A write's target and body (none for DELETE).
    pub fn write_target(&mut self) -> Option<(&mut Target, Option<&mut BodyArgs>)> {
        match self {
            Command::Post(a) => Some((&mut a.target, Some(&mut a.body))),
            Command::Patch(a) | Command::Put(a) => Some((&mut a.target, Some(&mut a.body))),
            Command::Delete(a) => Some((&mut a.target, None)),
            _ => None,
        }
    }

    /// `get /redfish/v1/Systems` or `post /redfish/v1/... Name=v`: HOST can never start
    /// with `/`, so such a first word is the first PATH and HOST is RFSESSION_HOST's; with
    /// `get --hosts`, every word is a PATH. Done once, here, for every command.
    fn shift_path(&mut self, host_typed: bool) {
        let is_path =
            |h: &HostArg| host_typed && h.host.as_deref().is_some_and(|w| w.starts_with('/'));
        match self {
            Command::Get(a) => {
                if a.fleet.hosts.is_some() {
                    // HOST from the environment is no PATH: only a typed word moves.
                    if let Some(word) = a.host.host.take().filter(|_| host_typed) {
                        a.paths.insert(0, word);
                    }
                } else if is_path(&a.host) {
                    let word = a.host.host.take();
                    a.paths.splice(0..0, word);
                    a.host.host = env::get(env::HOST);
                }
            }
            _ => {
                let Some((target, body)) = self.write_target() else {
                    return;
                };
                if !is_path(&target.host) {
                    return;
                }
                match (target.path.take(), body) {
                    (Some(second), Some(body)) => body.items.insert(0, second),
                    // DELETE takes no items: two words are HOST and PATH, as typed.
                    (Some(second), None) => {
                        target.path = Some(second);
                        return;
                    }
                    (None, _) => {}
                }
                target.path = target.host.host.take();
                target.host.host = env::get(env::HOST);
            }
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log in, or reuse the cached session if the BMC still accepts it
    Login(LoginArgs),
    /// GET one or more Redfish paths with the cached session and print the JSON
    Get(GetArgs),
    /// List the BMC's sessions (yours marked), or with --cached what the local cache holds
    Sessions(SessionsArgs),
    /// Show the cached session for HOST and whether the BMC still accepts it
    Whoami(WhoamiArgs),
    /// End the cached session on the BMC and forget it
    Logout(LogoutArgs),
    /// POST with the cached session: create a member of a collection, or run an action
    Post(PostArgs),
    /// PATCH a resource with the cached session (If-Match read from the resource first)
    Patch(PatchArgs),
    /// PUT (replace) a resource with the cached session
    Put(PatchArgs),
    /// DELETE a resource with the cached session
    Delete(DeleteArgs),
    /// Print the cached session token, for other tools (never put it in argv)
    ///
    /// Prints the token of HOST's cached session and a newline, or with --header the line
    /// `X-Auth-Token: <token>`, for `curl -H @<(rfsession token --header HOST) URL`. Nothing
    /// is sent to the BMC, unless nothing is cached for HOST: then it logs in when a password
    /// is at hand unattended (RFSESSION_PASSWORD, the settings file, ~/.netrc), else exit 4.
    Token(TokenArgs),
    /// Print the certificates HOST's entry trusts, as PEM, for other tools
    ///
    /// Prints the CA certificates the entry remembers from its login (`--cacert` or the
    /// settings file's `cacert`), or the certificate a `-k` login pinned, so that
    /// `curl --cacert <(rfsession cert HOST)` verifies the BMC as rfsession does. Exit 2 when
    /// the entry is verified with the system's CA store (other tools use it too), 4 when
    /// nothing is cached for HOST.
    Cert(CertArgs),
    /// Run COMMAND with the cached session in its environment (RFSESSION_TOKEN, ...)
    ///
    /// Checks the cached session with the BMC first (logging in again when it was dropped
    /// and a password source is at hand, as get does), then runs COMMAND with
    /// RFSESSION_TOKEN (the token), RFSESSION_BASE_URL (https://host:port, what goes in
    /// front of a path), RFSESSION_SESSION_URI (the session's path) and RFSESSION_CACERT (a
    /// private PEM file of what `rfsession cert HOST` prints, removed when COMMAND exits;
    /// unset when the entry is verified with the system's CA store) in its environment,
    /// which only the same user can read. Standard input, output and error are COMMAND's;
    /// the exit code is COMMAND's, and a COMMAND killed by signal N shows as 128+N in the
    /// shell. A session is created only by that login again, never while the cached one works.
    Exec(ExecArgs),
    /// Show the settings that apply to HOST and where each comes from (never a password)
    Config(ConfigArgs),
    /// Complete the Redfish PATH being typed in WORDS (the command line so far), live from
    /// the BMC with the cached session; for the shell completion scripts
    #[command(name = "complete-path", hide = true)]
    CompletePath(CompletePathArgs),
    /// The cached hosts and the settings file's aliases, one per line; for the shell
    /// completion scripts
    #[command(name = "complete-hosts", hide = true)]
    CompleteHosts,
    /// Write the shell completions and man pages, generated from this definition, into
    /// DIR/completions and DIR/man (for the repository: `cargo run --example generate`)
    #[command(name = "generate-docs", hide = true)]
    GenerateDocs {
        #[arg(value_name = "DIR", value_hint = ValueHint::DirPath)]
        dir: PathBuf,
    },
    /// Hold connections to BMCs open for later calls (started by --persist; not for people)
    #[command(hide = true)]
    Keeper(KeeperArgs),
}

#[derive(Debug, Args)]
pub struct KeeperArgs {
    /// Connections held at most; the least recently used closes first
    #[arg(long, value_name = "N", env = env::KEEPER_HOSTS, hide_env_values = true, default_value_t = crate::keeper::MAX_HOSTS, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_hosts: u32,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    pub host: HostArg,

    /// Show the settings for a call as this user
    #[command(flatten)]
    pub user: UserArg,

    #[command(flatten)]
    pub output: JsonArg,
}

#[derive(Debug, Args)]
pub struct CompletePathArgs {
    /// The words of the command line up to and including the one being completed
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
    pub words: Vec<String>,
}

#[derive(Debug, Args)]
pub struct HostArg {
    /// The BMC: name, name:port, https://name:port, IPv4, [IPv6]:port, http://... (clear
    /// text), or an alias of the settings file; omitted: RFSESSION_HOST
    #[arg(value_name = "HOST", env = env::HOST, hide_env_values = true, value_hint = ValueHint::Hostname)]
    pub host: Option<String>,
}

/// Many hosts in one call.
#[derive(Debug, Args)]
pub struct FleetArgs {
    /// Run for every HOST in this file (one per line, # comments; - for standard input; at
    /// most 100,000 hosts); prints one JSON line per host as each finishes
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub hosts: Option<PathBuf>,

    /// With --hosts or --all: how many hosts at once
    #[arg(long, short = 'j', value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
}

/// `--json`, offered by the commands whose output it changes.
#[derive(Debug, Args, Default)]
pub struct JsonArg {
    /// Print one JSON document instead of text
    #[arg(long)]
    pub json: bool,
}

/// The user a login is for.
#[derive(Debug, Args, Default)]
pub struct UserArg {
    /// User to log in as, when a login is needed [default: the settings file's, the cached
    /// session's, or ~/.netrc's]
    #[arg(short, long, value_name = "USER", env = env::USER, hide_env_values = true)]
    pub user: Option<String>,
}

/// Who logs in, when a command needs to: the user and where the password comes from.
#[derive(Debug, Args, Default)]
#[command(next_help_heading = "Credentials")]
pub struct Credentials {
    #[command(flatten)]
    pub user: UserArg,

    #[command(flatten)]
    pub password: PasswordArgs,
}

#[derive(Debug, Args, Default)]
pub struct PasswordArgs {
    /// Read the password from the first line of standard input
    #[arg(long, conflicts_with_all = ["password_file", "password"])]
    pub password_stdin: bool,

    /// Read the password from the first line of this file (keep it mode 0600)
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, conflicts_with = "password")]
    pub password_file: Option<PathBuf>,

    /// The password itself (visible to other users in the process list; prefer the others)
    #[arg(
        short = 'p',
        long,
        value_name = "PASSWORD",
        conflicts_with = "password_command"
    )]
    pub password: Option<String>,

    /// Run CMD with sh -c and take the first line it prints (pass show bmc/admin,
    /// secret-tool lookup ..., vault kv get -field=password ..., op read ...)
    #[arg(long, value_name = "CMD", conflicts_with_all = ["password_stdin", "password_file"], value_hint = ValueHint::CommandString)]
    pub password_command: Option<String>,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    #[command(flatten)]
    pub host: HostArg,

    #[command(flatten)]
    pub credentials: Credentials,

    /// End the cached session first and log in anew
    #[arg(long)]
    pub force: bool,

    /// Adopt a session created elsewhere: read its token from standard input (no password)
    #[arg(long, conflicts_with_all = ["password_stdin", "password_file", "password", "force"])]
    pub token_stdin: bool,

    /// With --token-stdin: the session's Id or URI (a member of the BMC's sessions
    /// collection), when the BMC cannot tell it
    #[arg(long, value_name = "URI", requires = "token_stdin")]
    pub session_uri: Option<String>,

    /// Say what would be done (reuse, create, delete which URI) and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// basic: send the credentials with every request (HTTP Basic) instead of a session,
    /// for services without sessions; remembered for HOST, the password never stored
    #[arg(long, value_name = "HOW", value_parser = ["session", "basic"])]
    pub auth: Option<String>,

    /// Before logging in, end this user's sessions that no entry of this cache names
    /// (only those older than DURATION when given), using HTTP Basic: for a full table
    #[arg(long, value_name = "DURATION", num_args = 0..=1, require_equals = true, value_parser = crate::timefmt::parse_duration)]
    pub reclaim: Option<Option<std::time::Duration>>,

    #[command(flatten)]
    pub fleet: FleetArgs,

    #[command(flatten)]
    pub output: JsonArg,
}

/// What a write acts on.
#[derive(Debug, Args)]
pub struct Target {
    #[command(flatten)]
    pub host: HostArg,

    /// The resource or action, as for get (a path without a leading / is under /redfish/v1/)
    #[arg(value_name = "PATH", value_hint = ValueHint::Url)]
    pub path: Option<String>,
}

/// What a write sends.
#[derive(Debug, Args, Default)]
pub struct BodyArgs {
    /// Request items: Name=value (a JSON string) or Name:=json (any JSON value)
    #[arg(value_name = "ITEM")]
    pub items: Vec<String>,

    /// The JSON body itself, @FILE, or @- for standard input (at most 1 MiB)
    #[arg(
        short = 'd',
        long = "data",
        value_name = "JSON",
        conflicts_with = "items"
    )]
    pub data: Option<String>,
}

/// What every write takes: a task to wait for, a dry run, a login again.
#[derive(Debug, Args)]
pub struct WriteOptions {
    /// When the BMC answers 202 with a task monitor, wait for the task and print its end
    #[arg(long)]
    pub wait: bool,

    /// With --wait: give up waiting after this long (exit 5)
    #[arg(long, value_name = "DURATION", default_value = "30m", value_parser = crate::timefmt::parse_positive_duration)]
    pub wait_timeout: std::time::Duration,

    /// Show what would be sent and send nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub credentials: Credentials,

    #[command(flatten)]
    pub output: JsonArg,
}

/// POST: a body (`{}` when none is given), never If-Match (iDRAC refuses it on actions).
#[derive(Debug, Args)]
pub struct PostArgs {
    #[command(flatten)]
    pub target: Target,

    #[command(flatten)]
    pub body: BodyArgs,

    #[command(flatten)]
    pub options: WriteOptions,
}

/// PATCH and PUT: a body, and If-Match.
#[derive(Debug, Args)]
pub struct PatchArgs {
    #[command(flatten)]
    pub target: Target,

    #[command(flatten)]
    pub body: BodyArgs,

    /// auto (the resource's ETag, read first), none, or an ETag [default: auto]
    #[arg(long, value_name = "auto|none|ETAG")]
    pub if_match: Option<String>,

    #[command(flatten)]
    pub options: WriteOptions,
}

/// DELETE: no body, no If-Match.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    pub target: Target,

    #[command(flatten)]
    pub options: WriteOptions,
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    #[command(flatten)]
    pub host: HostArg,

    /// Print `X-Auth-Token: <token>`, for curl -H @FILE
    #[arg(long)]
    pub header: bool,

    #[command(flatten)]
    pub user: UserArg,
}

#[derive(Debug, Args)]
pub struct CertArgs {
    #[command(flatten)]
    pub host: HostArg,
}

#[derive(Debug, Args)]
pub struct ExecArgs {
    #[command(flatten)]
    pub host: HostArg,

    /// The command and its arguments, after --
    #[arg(value_name = "COMMAND", required = true, last = true, value_hint = ValueHint::CommandWithArguments)]
    pub command: Vec<std::ffi::OsString>,

    #[command(flatten)]
    pub credentials: Credentials,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    #[command(flatten)]
    pub host: HostArg,

    /// Redfish paths such as /redfish/v1/Systems/1 (a path without a leading / is taken
    /// under /redfish/v1/; none, or /, is the service root); query options like ?$expand=.
    /// pass through untouched
    #[arg(value_name = "PATH", value_hint = ValueHint::Url)]
    pub paths: Vec<String>,

    #[command(flatten)]
    pub fleet: FleetArgs,

    /// Write the body bytes unchanged (streamed; one PATH only)
    #[arg(long, conflicts_with_all = ["pointer", "ndjson", "all_pages"])]
    pub raw: bool,

    /// Print the value at this JSON pointer (strings without quotes), e.g. /PowerState
    #[arg(long, value_name = "POINTER")]
    pub pointer: Option<String>,

    /// Follow Members@odata.nextLink and print one merged collection
    #[arg(long)]
    pub all_pages: bool,

    /// With several PATHs, print one compact body per line instead of a JSON array
    #[arg(long)]
    pub ndjson: bool,

    /// Refuse to parse a body larger than this (K, M, G suffixes); --raw is not limited
    #[arg(long, value_name = "BYTES", default_value = "64M", value_parser = parse_size)]
    pub max_body: u64,

    #[command(flatten)]
    pub credentials: Credentials,
}

#[derive(Debug, Args)]
pub struct SessionsArgs {
    #[command(flatten)]
    pub host: HostArg,

    /// List what the local cache holds, for every host; the token is never shown
    #[arg(long)]
    pub cached: bool,

    /// With nothing cached (a full session table): list with HTTP Basic as this user
    #[command(flatten)]
    pub user: UserArg,

    #[command(flatten)]
    pub output: JsonArg,
}

#[derive(Debug, Args)]
pub struct WhoamiArgs {
    #[command(flatten)]
    pub host: HostArg,

    #[command(flatten)]
    pub fleet: FleetArgs,

    #[command(flatten)]
    pub output: JsonArg,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    #[command(flatten)]
    pub host: HostArg,

    /// Log out of every cached host, in parallel
    #[arg(long, conflicts_with_all = ["session", "hosts"])]
    pub all: bool,

    #[command(flatten)]
    pub fleet: FleetArgs,

    /// Delete this session (an id or URI, as `rfsession sessions HOST` shows) instead of yours;
    /// an administrator may delete any session
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,

    /// End every other session of the user (sessions leaked by other tools), keeping the
    /// one rfsession holds for HOST
    #[arg(long, conflicts_with_all = ["session", "all"])]
    pub others: bool,

    /// With --others: that user's sessions [default: the cached session's user]
    #[arg(
        long,
        value_name = "USER",
        requires = "others",
        conflicts_with = "any_user"
    )]
    pub user: Option<String>,

    /// With --others: every user's sessions (needs the BMC's permission to end them)
    #[arg(long, requires = "others")]
    pub any_user: bool,

    /// With --others: only sessions created longer ago than this (90s, 30m, 12h, 7d)
    #[arg(long, value_name = "DURATION", requires = "others", value_parser = crate::timefmt::parse_duration)]
    pub older_than: Option<std::time::Duration>,

    /// End the session even while other processes (shells, scripts that ran login) still
    /// hold it
    #[arg(long, conflicts_with_all = ["session", "others", "forget"])]
    pub force: bool,

    /// Drop the entry without contacting the BMC (a BMC that is gone, or refuses every
    /// DELETE); a session on the BMC, if any, is left to time out. Also forgets the host's
    /// certificate trust (the pin or CA remembered from login), which a plain logout keeps
    #[arg(long, conflicts_with_all = ["session", "others"])]
    pub forget: bool,

    /// Say what would happen (end, keep because held, forget, or nothing cached) and change
    /// nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub output: JsonArg,
}

pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (num, mult) = match s.char_indices().last() {
        Some((i, 'k' | 'K')) => (&s[..i], 1u64 << 10),
        Some((i, 'm' | 'M')) => (&s[..i], 1 << 20),
        Some((i, 'g' | 'G')) => (&s[..i], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .filter(|&n| n > 0)
        .ok_or_else(|| "must be a size in bytes, with an optional K, M or G suffix".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn definition_is_consistent() {
        Cli::command().debug_assert();
    }

    /// The one-subcommand definition the binary parses with is the whole one's part.
    #[test]
    fn one_command_is_the_whole_definitions_part() {
        let mut full = Cli::command();
        full.build();
        let names: Vec<&str> = full
            .get_subcommands()
            .map(|c| c.get_name())
            .filter(|n| !["generate-docs", "help"].contains(n))
            .collect();
        assert_eq!(names, ONE_BY_ONE);
        let args = |c: &clap::Command| {
            let mut v: Vec<String> = c
                .get_arguments()
                .filter(|a| a.get_id() != "help")
                .map(|a| format!("{a:?}"))
                .collect();
            v.sort();
            v
        };
        for name in ONE_BY_ONE {
            let mut one = one_command(&["rfsession".into(), name.into()]).unwrap();
            one.build();
            let (a, b) = (&one, full.find_subcommand(name).unwrap());
            assert_eq!(args(a.find_subcommand(name).unwrap()), args(b), "{name}");
        }
    }

    /// Where the whole definition answers (version, help), the one-subcommand one does too.
    #[test]
    fn version_and_help_after_any_subcommand() {
        use clap::error::ErrorKind;
        for name in ONE_BY_ONE {
            for (flag, kind) in [
                ("-V", ErrorKind::DisplayVersion),
                ("-h", ErrorKind::DisplayHelp),
            ] {
                let e = Cli::parse_words(["rfsession", name, flag]).unwrap_err();
                assert_eq!(e.kind(), kind, "{name} {flag}");
            }
        }
    }

    #[test]
    fn the_command_word_skips_options_and_their_values() {
        // Version as the whole definition has it, for `-V` after any subcommand's name.
        let top = Globals::augment_args(clap::Command::new("rfsession"))
            .version(env!("CARGO_PKG_VERSION"))
            .propagate_version(true);
        let word = |line: &str| {
            let words: Vec<std::ffi::OsString> = line.split(' ').map(Into::into).collect();
            command_word(&top, &words).map(str::to_owned)
        };
        assert_eq!(
            word("rf --cacert ca.pem -k get h /p").as_deref(),
            Some("get")
        );
        assert_eq!(
            word("rf --timeout=3 -v --persist 1m login h").as_deref(),
            Some("login")
        );
        assert_eq!(
            word("rf --json --cache-dir d sessions").as_deref(),
            Some("sessions")
        );
        assert_eq!(word("rf -- get"), None);
        assert_eq!(word("rf --cacert"), None);
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("10"), Ok(10));
        assert!(parse_size("0").is_err());
        assert!(parse_size("x").is_err());
    }
}
