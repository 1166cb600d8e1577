//! Shell completions and man pages, generated from the clap definition by the hidden
//! `rfsession generate-docs DIR` (`cargo run --example generate` runs it for the
//! repository); `tests/it/docs.rs` runs it into a temporary directory and fails on any
//! difference from the checked-in copies.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

use crate::cli::Cli;
use crate::environment;
use crate::exit::help_text;
use clap::CommandFactory;
use clap_complete::Shell;

const SUBCOMMANDS: [&str; 13] = [
    "login", "get", "sessions", "whoami", "logout", "post", "patch", "put", "delete", "token",
    "cert", "exec", "config",
];

pub fn generate(root: &Path) -> io::Result<()> {
    let completions = root.join("completions");
    let man = root.join("man");
    fs::create_dir_all(&completions)?;
    fs::create_dir_all(&man)?;
    for (shell, file) in [
        (Shell::Bash, "rfsession.bash"),
        (Shell::Zsh, "_rfsession"),
        (Shell::Fish, "rfsession.fish"),
        (Shell::PowerShell, "_rfsession.ps1"),
        (Shell::Elvish, "rfsession.elv"),
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut visible(), "rfsession", &mut buf);
        let mut text = String::from_utf8(buf).expect("completion is UTF-8");
        match shell {
            Shell::Bash => text.push_str(&bash_hosts()),
            Shell::Fish => text.push_str(&fish_hosts()),
            Shell::Zsh => text = zsh_hosts_and_paths(&text),
            Shell::PowerShell => text = powershell_hosts_and_paths(&text),
            _ => {}
        }
        fs::write(completions.join(file), text)?;
    }
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    fs::write(man.join("rfsession.1"), page(&cmd, None)?)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name().to_owned();
        fs::write(
            man.join(format!("rfsession-{name}.1")),
            page(sub, Some(&name))?,
        )?;
    }
    fs::write(man.join("rfsession-settings.5"), settings_page())?;
    Ok(())
}

/// The command line as `--help` shows it: clap_complete offers hidden subcommands
/// (complete-path, keeper, ...), so the completions are made from a copy without them.
fn visible() -> clap::Command {
    let full = Cli::command();
    let mut cmd = clap::Command::new("rfsession")
        .version(env!("CARGO_PKG_VERSION"))
        .propagate_version(true)
        .args(full.get_arguments().cloned())
        .subcommands(full.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    // The root's help flag says "see more with --help" only when there is more.
    if let Some(about) = full.get_long_about() {
        cmd = cmd.long_about(about.clone());
    }
    cmd
}

/// rfsession-settings(5): the settings file, every key from the table the parser is held to.
fn settings_page() -> String {
    let mut text = format!(
        ".TH RFSESSION-SETTINGS 5 \"\" \"rfsession {}\" \"rfsession manual\"\n\
         .SH NAME\nrfsession\\-settings \\- the settings file of rfsession\n\
         .SH SYNOPSIS\n{}\n.SH DESCRIPTION\n{}\n.SH KEYS\n",
        env!("CARGO_PKG_VERSION"),
        escape(
            "$RFSESSION_CONFIG, else ~/.config/rfsession/config.toml (the platform's config directory)"
        ),
        escape(SETTINGS_DESCRIPTION),
    );
    for (key, value, meaning) in crate::SETTINGS_KEYS {
        let _ = write!(
            text,
            ".TP\n\\fB{}\\fR = \\fI{}\\fR\n{}\n",
            escape(key),
            escape(value),
            escape(meaning)
        );
    }
    text.push_str(&section("EXAMPLE", SETTINGS_EXAMPLE));
    text.push_str(".SH \"SEE ALSO\"\n\\fBrfsession\\fR(1), \\fBrfsession-config\\fR(1)\n");
    text
}

const SETTINGS_DESCRIPTION: &str = "\
A TOML file of sections. [defaults] applies to every host; [hosts.\"PATTERN\"] to the hosts \
whose name (or name:port) the pattern matches, with * as a glob. For each setting the first \
of these wins: the flag, the environment, the first matching section in file order, \
[defaults]. An unknown key or a bad value is exit 2, naming the file and line; a file open \
to group or others that names a password source is refused (exit 7, with the chmod). \
rfsession config HOST prints what applies to HOST and where each value came from.";

const SETTINGS_EXAMPLE: &str = "\
[defaults]
timeout = 20

[hosts.\"bmc*.lab.example.net\"]
user = \"admin\"
password_command = \"pass show lab/bmc\"
cacert = \"/etc/pki/lab-ca.pem\"

[hosts.oldilo]
url = \"https://10.0.4.17:8443\"
user = \"Administrator\"
password_file = \"/root/.oldilo-pass\"
insecure = true";

/// Every option that takes a value, so the scripts can skip it when counting positionals.
fn valued_options() -> Vec<String> {
    let mut valued = Vec::new();
    let cmd = Cli::command();
    let mut args: Vec<&clap::Arg> = cmd.get_arguments().collect();
    for sub in cmd.get_subcommands() {
        args.extend(sub.get_arguments());
    }
    for a in args {
        if a.is_positional() || !a.get_action().takes_values() {
            continue;
        }
        if let Some(l) = a.get_long() {
            valued.push(format!("--{l}"));
        }
        if let Some(s) = a.get_short() {
            valued.push(format!("-{s}"));
        }
    }
    valued.sort();
    valued.dedup();
    valued
}

/// Bash: cached hosts where HOST goes, PATHs live from the BMC.
fn bash_hosts() -> String {
    let valued = valued_options();
    format!(
        r#"
# HOST completes to the hosts in rfsession's cache.
_rfsession_cached_hosts() {{
    command rfsession complete-hosts 2>/dev/null
}}

_rfsession_complete() {{
    local line=${{COMP_LINE:0:$COMP_POINT}}
    local cur=${{line##*[[:space:]]}}
    local -a words
    read -ra words <<< "${{line%"$cur"}}"
    local i sub=-1 positional=0 skip=0
    for ((i = 1; i < ${{#words[@]}}; i++)); do
        local w=${{words[i]}}
        if ((skip)); then skip=0; continue; fi
        case " {valued} " in *" $w "*) skip=1; continue ;; esac
        [[ $w == -* ]] && continue
        if ((sub < 0)); then
            case $w in {subs}) sub=$i ;; esac
        else
            positional=$((positional + 1))
        fi
    done
    _rfsession "$@"
    # PATH completes live from the BMC: rfsession parses the words itself.
    if ((sub >= 0 && positional >= 1 && !skip)) && [[ $cur != -* ]]; then
        case ${{words[sub]}} in
            get) ;;
            post|patch|put|delete) ((positional == 1)) || return 0 ;;
            *) return 0 ;;
        esac
        local -a paths
        mapfile -t paths < <(command rfsession complete-path "${{words[@]}}" "$cur" 2>/dev/null)
        if ((${{#paths[@]}})); then
            # Quoted as the shell reads it, so that what is inserted is one word.
            local p q
            COMPREPLY=()
            for p in "${{paths[@]}}"; do printf -v q '%q' "$p"; COMPREPLY+=("$q"); done
            compopt -o nospace 2>/dev/null
        fi
        return 0
    fi
    if ((sub >= 0 && positional == 0 && !skip)) && [[ $cur != -* ]]; then
        local -a hosts
        mapfile -t hosts < <(compgen -W "$(_rfsession_cached_hosts)" -- "$cur")
        if ((${{#hosts[@]}})); then
            # bash splits words at ':'; offer only what follows the last one typed.
            local colon_prefix=${{cur%"${{cur##*:}}"}}
            COMPREPLY=("${{hosts[@]#"$colon_prefix"}}")
        fi
    fi
}}

if [[ "${{BASH_VERSINFO[0]}}" -eq 4 && "${{BASH_VERSINFO[1]}}" -ge 4 || "${{BASH_VERSINFO[0]}}" -gt 4 ]]; then
    complete -F _rfsession_complete -o nosort -o bashdefault -o default rfsession
else
    complete -F _rfsession_complete -o bashdefault -o default rfsession
fi
"#,
        valued = valued.join(" "),
        subs = SUBCOMMANDS.join("|"),
    )
}

/// Fish: cached hosts where HOST goes, and PATHs live from the BMC (rfsession parses the
/// words itself).
fn fish_hosts() -> String {
    format!(
        r#"
# HOST completes to the hosts in rfsession's cache and the settings' aliases; PATH live
# from the BMC.
function __rfsession_positional
    set -l tokens (commandline -opc)
    set -l valued {valued}
    set -l skip 0
    set -l n 0
    set -l sub ""
    for w in $tokens[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        if contains -- $w $valued
            set skip 1
            continue
        end
        string match -q -- '-*' $w; and continue
        if test -z "$sub"
            set sub $w
        else
            set n (math $n + 1)
        end
    end
    echo $sub $n
end
function __rfsession_wants_host
    set -l p (string split ' ' (__rfsession_positional))
    contains -- $p[1] {subs}; and test $p[2] = 0
end
function __rfsession_wants_path
    set -l p (string split ' ' (__rfsession_positional))
    switch $p[1]
        case get
            test $p[2] -ge 1
        case post patch put delete
            test $p[2] = 1
        case '*'
            return 1
    end
end
complete -c rfsession -n __rfsession_wants_host -f -a "(command rfsession complete-hosts 2>/dev/null)"
complete -c rfsession -n __rfsession_wants_path -f -a "(command rfsession complete-path (commandline -opc) (commandline -ct) 2>/dev/null)"
"#,
        valued = valued_options().join(" "),
        subs = SUBCOMMANDS.join(" "),
    )
}

/// Zsh: HOST offers the cached hosts too, PATH completes live from the BMC.
fn zsh_hosts_and_paths(generated: &str) -> String {
    let functions = r#"
# HOST: the hosts in rfsession's cache and the settings' aliases, then known host names.
(( $+functions[_rfsession_hosts] )) ||
_rfsession_hosts() {
    local -a cached
    cached=(${(f)"$(command rfsession complete-hosts 2>/dev/null)"})
    compadd -a cached
    _hosts
}

# PATH: live from the BMC with the cached session; rfsession parses the words itself.
(( $+functions[_rfsession_paths] )) ||
_rfsession_paths() {
    local -a words_so_far paths
    words_so_far=(${(z)LBUFFER})
    [[ $LBUFFER == *[[:space:]] ]] && words_so_far+=("")
    paths=(${(f)"$(command rfsession complete-path "${words_so_far[@]}" 2>/dev/null)"})
    # Without -Q: zsh quotes what it inserts.
    compadd -S '' -a paths
}

"#;
    let text = generated
        .replace(":_hosts' \\", ":_rfsession_hosts' \\")
        .replace(":_urls' \\", ":_rfsession_paths' \\");
    let at = text
        .rfind("if [ \"$funcstack[1]\" = \"_rfsession\" ]; then")
        .expect("clap's zsh script ends by calling or registering _rfsession");
    format!("{}{functions}{}", &text[..at], &text[at..])
}

/// PowerShell: HOST offers the cached hosts and the settings' aliases, PATH completes live
/// from the BMC (rfsession parses the words itself), as in bash, zsh and fish.
fn powershell_hosts_and_paths(generated: &str) -> String {
    let quoted = |words: &[&str]| {
        words
            .iter()
            .map(|w| format!("'{w}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let valued = valued_options();
    let valued: Vec<&str> = valued.iter().map(String::as_str).collect();
    let ours = format!(
        r#"
    # HOST: the hosts in rfsession's cache and the settings file's aliases; PATH: live from
    # the BMC with the cached session (rfsession parses the words itself).
    $valued = @({valued})
    $subcommands = @({subs})
    $before = @($commandElements | Select-Object -Skip 1 |
        Where-Object {{ $_.Extent.EndOffset -lt $cursorPosition }} | ForEach-Object {{ $_.Extent.Text }})
    $sub = $null; $positional = 0; $skip = $false
    foreach ($w in $before) {{
        if ($skip) {{ $skip = $false; continue }}
        if ($valued -contains $w) {{ $skip = $true; continue }}
        if ($w.StartsWith('-')) {{ continue }}
        if ($null -eq $sub) {{ if ($subcommands -contains $w) {{ $sub = $w }} }}
        else {{ $positional++ }}
    }}
    if ($sub -and -not $skip -and -not $wordToComplete.StartsWith('-')) {{
        $offered = $null
        if ($positional -eq 0) {{
            $offered = @(& rfsession complete-hosts 2>$null)
        }} elseif ($sub -eq 'get' -or ($positional -eq 1 -and $sub -in 'post', 'patch', 'put', 'delete')) {{
            $offered = @(& rfsession complete-path rfsession @before $wordToComplete 2>$null)
        }}
        if ($offered) {{
            $completions = @($offered | ForEach-Object {{
                [CompletionResult]::new($_, $_, [CompletionResultType]::ParameterValue, $_)
            }})
        }}
    }}

"#,
        valued = quoted(&valued),
        subs = quoted(&SUBCOMMANDS),
    );
    let at = generated
        .rfind("    $completions.Where{")
        .expect("clap's PowerShell script ends by filtering $completions");
    format!("{}{ours}{}", &generated[..at], &generated[at..])
}

fn page(cmd: &clap::Command, sub: Option<&str>) -> io::Result<String> {
    let title = match sub {
        Some(s) => format!("rfsession-{s}"),
        None => "rfsession".to_owned(),
    };
    let man = clap_mangen::Man::new(cmd.clone())
        .title(title.to_uppercase())
        .source(format!("rfsession {}", env!("CARGO_PKG_VERSION")))
        .manual("rfsession manual");
    let mut buf = Vec::new();
    man.render_title(&mut buf)?;
    man.render_name_section(&mut buf)?;
    buf.extend(synopsis(cmd, &title).into_bytes());
    man.render_description_section(&mut buf)?;
    man.render_options_section(&mut buf)?;
    if sub.is_none() {
        man.render_subcommands_section(&mut buf)?;
    }
    let mut text = String::from_utf8(buf).expect("roff is UTF-8");
    text.push_str(&section("EXIT STATUS", &table(&help_text())));
    text.push_str(&section("ENVIRONMENT", &table(&environment::help())));
    let _ = write!(text, ".SH FILES\n{}\n", escape(FILES));
    text.push_str(&section("EXAMPLES", examples(sub)));
    let see_also: Vec<String> = std::iter::once("rfsession".to_owned())
        .chain(SUBCOMMANDS.iter().map(|s| format!("rfsession-{s}")))
        .filter(|n| *n != title)
        .map(|n| format!("\\fB{n}\\fR(1)"))
        .collect();
    let _ = write!(
        text,
        ".SH \"SEE ALSO\"\n{}, \\fBrfsession-settings\\fR(5)\n",
        see_also.join(", ")
    );
    Ok(text)
}

/// SYNOPSIS with each option's value name (`--cacert PEM`), which clap_mangen leaves out.
fn synopsis(cmd: &clap::Command, title: &str) -> String {
    let bold = |s: &str| format!("\\fB{}\\fR", escape(s));
    let italic = |s: &str| format!("\\fI{}\\fR", escape(s));
    let mut words = vec![bold(&title.replacen('-', " ", 1))];
    let mut positionals = Vec::new();
    for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        let value = a
            .get_value_names()
            .and_then(|v| v.first())
            .map_or_else(|| a.get_id().as_str().to_uppercase(), |v| v.to_string());
        let takes_value = a.get_action().takes_values();
        if a.is_positional() {
            let many = if a.get_num_args().is_some_and(|n| n.max_values() > 1) {
                "..."
            } else {
                ""
            };
            let dashes = if a.is_last_set() { "\\-\\- " } else { "" };
            let word = if a.is_required_set() {
                format!("{dashes}<{}>{many}", italic(&value))
            } else {
                format!("{dashes}[{}]{many}", italic(&value))
            };
            positionals.push(word);
            continue;
        }
        let names: Vec<String> = a
            .get_short()
            .map(|s| bold(&format!("-{s}")))
            .into_iter()
            .chain(a.get_long().map(|l| bold(&format!("--{l}"))))
            .collect();
        let mut word = names.join("|");
        if takes_value {
            if a.get_num_args().is_some_and(|n| n.min_values() == 0) {
                word.push_str(&format!("[={}]", italic(&value)));
            } else {
                word.push_str(&format!(" {}", italic(&value)));
            }
        }
        words.push(format!("[{word}]"));
    }
    words.extend(positionals);
    if cmd.has_subcommands() {
        words.push(format!("<{}>", italic("COMMAND")));
    }
    format!(".SH SYNOPSIS\n{}\n", words.join(" "))
}

const FILES: &str = "\
$RFSESSION_CACHE_DIR, else ~/.local/state/rfsession (the platform's state directory; \
~/Library/Application Support/rfsession on macOS, %LOCALAPPDATA%\\rfsession\\data on Windows): \
the cache, mode 0700 (on Windows an access list for the user alone). One file per host, \
<scheme>_<host>_<port>.json, mode 0600, holding \
the user, the session token, the session URI and id, the sessions collection, the Context \
sent at login, the creation time, the BMC's idle timeout, the host's trust (the CA \
certificates a --cacert login verified with, or after a -k login the pinned certificate and \
its fingerprint), the processes that hold the session (logged in and not yet out), and \
whether the host is reached with HTTP Basic (--auth basic; no session, the password never \
stored). Its modification time is the session's last use. Beside it <...>.paths, the links \
seen for path completion (removed with the entry), <...>.trust (0600), the host's trust \
kept once its entry went (logout), until a new entry carries it or logout --forget removes \
it, and <...>.lock, locked by whichever \
process is logging in or out of that host (never removed: another process may be waiting \
on it). With --persist, the keeper's socket keeper-2.sock (0600) and its lock keeper-2.lock (2: the \
version of what the keeper and its callers say to each other). With the system's CA store \
(as files, on Linux), system-roots (0600): the store's certificates decoded, read again when \
any of its files changes.";

fn examples(sub: Option<&str>) -> &'static str {
    match sub {
        None => {
            "\
rfsession login bmc1 -u admin --password-file /root/.bmc-pass
rfsession get bmc1 /redfish/v1/Systems/1 --pointer /PowerState
rfsession sessions bmc1
rfsession logout bmc1"
        }
        Some("login") => {
            "\
rfsession login bmc1 -u admin             # asks for the password on a terminal
echo \"$PW\" | rfsession login bmc1 -u admin --password-stdin
rfsession -k login 10.1.2.3 -u admin      # self-signed: pin the certificate seen now
rfsession --json login bmc1 --dry-run     # what would happen, changing nothing
rfsession login bmc1 --token-stdin < token.txt   # adopt a session another tool created"
        }
        Some("get") => {
            "\
rfsession get bmc1 /redfish/v1/Systems/1
rfsession get bmc1 Systems/1 --pointer /PowerState          # prints: On
rfsession get bmc1 '/redfish/v1/Systems?$expand=.'
rfsession get bmc1 /redfish/v1/Managers/1/LogServices/Sel/Entries --all-pages
rfsession get bmc1 /redfish/v1/Systems/1 /redfish/v1/Chassis/1 --ndjson"
        }
        Some("sessions") => {
            "\
rfsession sessions bmc1            # the BMC's sessions, yours marked with *
rfsession --json sessions --cached # every cached host; never the token"
        }
        Some("whoami") => {
            "\
rfsession whoami bmc1 || rfsession login bmc1"
        }
        Some("post") => {
            "\
rfsession post bmc1 Systems/1/Actions/ComputerSystem.Reset ResetType=On
rfsession post bmc1 Systems/1/Actions/ComputerSystem.Reset ResetType=ForceRestart --wait
rfsession post bmc1 EventService/Subscriptions -d @subscription.json
echo '{\"ResetType\": \"GracefulShutdown\"}' | rfsession post bmc1 Systems/1/Actions/ComputerSystem.Reset -d @-"
        }
        Some("patch") => {
            "\
rfsession patch bmc1 Systems/1 AssetTag=rack-12
rfsession patch bmc1 Systems/1 Boot:='{\"BootSourceOverrideTarget\":\"Pxe\",\"BootSourceOverrideEnabled\":\"Once\"}'
rfsession patch bmc1 Systems/1/Bios/Settings Attributes:='{\"BootMode\":\"Uefi\"}'
rfsession patch bmc1 Systems/1 AssetTag=x --dry-run      # what would be sent; nothing is"
        }
        Some("put") => {
            "\
rfsession put bmc1 Systems/1/Bios/Settings -d @bios.json"
        }
        Some("delete") => {
            "\
rfsession delete bmc1 EventService/Subscriptions/5"
        }
        Some("token") => {
            "\
curl --cacert <(rfsession cert bmc1) -H @<(rfsession token --header bmc1) https://bmc1/redfish/v1/Systems/1
redfishtool -r bmc1 -A Session -t \"$(rfsession token bmc1)\" Systems   # argv: visible to other users"
        }
        Some("cert") => {
            "\
rfsession --cacert ca.pem login bmc1 -u admin    # the entry remembers the CA
curl --cacert <(rfsession cert bmc1) -H @<(rfsession token --header bmc1) https://bmc1/redfish/v1/Systems/1"
        }
        Some("exec") => {
            "\
rfsession exec bmc1 -- ansible-playbook site.yml    # x_auth_token: \"{{ lookup('env', 'RFSESSION_TOKEN') }}\"
rfsession exec bmc1 -- sh -c 'printf \"X-Auth-Token: %s\\n\" \"$RFSESSION_TOKEN\" | curl --cacert \"$RFSESSION_CACERT\" -H @- \"$RFSESSION_BASE_URL/redfish/v1/\"'
rfsession exec bmc1 -- sh -c 'REQUESTS_CA_BUNDLE=\"$RFSESSION_CACERT\" python3 script.py'"
        }
        Some("config") => {
            "\
rfsession config bmc7.lab.example.net   # each setting and where it comes from
rfsession --json config oldilo          # an alias: its url, user, proxy, ..."
        }
        Some("logout") => {
            "\
rfsession logout bmc1
rfsession logout bmc1 --session 42        # end another (stale) session by id
rfsession logout --all --jobs 32          # every cached host, 32 at a time"
        }
        Some(_) => "",
    }
}

fn section(name: &str, body: &str) -> String {
    format!(".SH \"{name}\"\n.nf\n{}\n.fi\n", escape(body))
}

/// The lines after a heading line, indented text kept.
fn table(text: &str) -> String {
    text.lines()
        .skip(1)
        .map(str::trim_start)
        .collect::<Vec<_>>()
        .join("\n")
}

fn escape(s: &str) -> String {
    s.lines()
        .map(|l| {
            let l = l.replace('\\', "\\e").replace('-', "\\-");
            if l.starts_with(['.', '\'']) {
                format!("\\&{l}")
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
