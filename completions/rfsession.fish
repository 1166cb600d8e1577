# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_rfsession_global_optspecs
    string join \n k/insecure cacert= timeout= proxy= noproxy= persist= no-persist cache-dir= config= json v/verbose q/quiet h/help V/version
end

function __fish_rfsession_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_rfsession_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_rfsession_using_subcommand
    set -l cmd (__fish_rfsession_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c rfsession -n "__fish_rfsession_needs_command" -l cacert -d 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC\'s; a login remembers the ones that verified the BMC, for later calls' -r -F
complete -c rfsession -n "__fish_rfsession_needs_command" -l timeout -d 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file\'s]' -r
complete -c rfsession -n "__fish_rfsession_needs_command" -l proxy -d 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY' -r
complete -c rfsession -n "__fish_rfsession_needs_command" -l noproxy -d 'Hosts reached without the proxy, as curl\'s NO_PROXY: names, .domains, IPs, CIDRs, *' -r
complete -c rfsession -n "__fish_rfsession_needs_command" -l persist -d 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh\'s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off' -r
complete -c rfsession -n "__fish_rfsession_needs_command" -l cache-dir -d 'Cache directory [default: ~/.local/state/rfsession]' -r -f -a "(__fish_complete_directories)"
complete -c rfsession -n "__fish_rfsession_needs_command" -l config -d 'The settings file [default: ~/.config/rfsession/config.toml]' -r -F
complete -c rfsession -n "__fish_rfsession_needs_command" -s k -l insecure -d 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)'
complete -c rfsession -n "__fish_rfsession_needs_command" -l no-persist -d 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)'
complete -c rfsession -n "__fish_rfsession_needs_command" -l json -d 'Print one JSON document instead of text (login, sessions, whoami, logout, config and the writes; also after those commands\' names)'
complete -c rfsession -n "__fish_rfsession_needs_command" -s v -l verbose -d 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal'
complete -c rfsession -n "__fish_rfsession_needs_command" -s q -l quiet -d 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)'
complete -c rfsession -n "__fish_rfsession_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rfsession -n "__fish_rfsession_needs_command" -s V -l version -d 'Print version'
complete -c rfsession -n "__fish_rfsession_needs_command" -f -a "login" -d 'Log in, or reuse the cached session if the BMC still accepts it'
complete -c rfsession -n "__fish_rfsession_needs_command" -f -a "get" -d 'GET one or more Redfish paths with the cached session and print the JSON'
complete -c rfsession -n "__fish_rfsession_needs_command" -f -a "sessions" -d 'List the BMC\'s sessions (yours marked), or with --cached what the local cache holds'
complete -c rfsession -n "__fish_rfsession_needs_command" -f -a "whoami" -d 'Show the cached session for HOST and whether the BMC still accepts it'
complete -c rfsession -n "__fish_rfsession_needs_command" -f -a "logout" -d 'End the cached session on the BMC and forget it'
complete -c rfsession -n "__fish_rfsession_needs_command" -f -a "post" -d 'POST with the cached session: create a member of a collection, or run an action'
complete -c rfsession -n "__fish_rfsession_needs_command" -f -a "patch" -d 'PATCH a resource with the cached session (If-Match read from the resource first)'
complete -c rfsession -n "__fish_rfsession_needs_command" -f -a "put" -d 'PUT (replace) a resource with the cached session'
complete -c rfsession -n "__fish_rfsession_needs_command" -f -a "delete" -d 'DELETE a resource with the cached session'
complete -c rfsession -n "__fish_rfsession_needs_command" -f -a "token" -d 'Print the cached session token, for other tools (never put it in argv)'
complete -c rfsession -n "__fish_rfsession_needs_command" -f -a "cert" -d 'Print the certificates HOST\'s entry trusts, as PEM, for other tools'
complete -c rfsession -n "__fish_rfsession_needs_command" -f -a "exec" -d 'Run COMMAND with the cached session in its environment (RFSESSION_TOKEN, ...)'
complete -c rfsession -n "__fish_rfsession_needs_command" -f -a "config" -d 'Show the settings that apply to HOST and where each comes from (never a password)'
complete -c rfsession -n "__fish_rfsession_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -s u -l user -d 'User to log in as, when a login is needed [default: the settings file\'s, the cached session\'s, or ~/.netrc\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -l password-file -d 'Read the password from the first line of this file (keep it mode 0600)' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -s p -l password -d 'The password itself (visible to other users in the process list; prefer the others)' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -l password-command -d 'Run CMD with sh -c and take the first line it prints (pass show bmc/admin, secret-tool lookup ..., vault kv get -field=password ..., op read ...)' -r -f -a "(__fish_complete_command)"
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -l session-uri -d 'With --token-stdin: the session\'s Id or URI (a member of the BMC\'s sessions collection), when the BMC cannot tell it' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -l auth -d 'basic: send the credentials with every request (HTTP Basic) instead of a session, for services without sessions; remembered for HOST, the password never stored' -r -f -a "session\t''
basic\t''"
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -l reclaim -d 'Before logging in, end this user\'s sessions that no entry of this cache names (only those older than DURATION when given), using HTTP Basic: for a full table' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -l hosts -d 'Run for every HOST in this file (one per line, # comments; - for standard input; at most 100,000 hosts); prints one JSON line per host as each finishes' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -s j -l jobs -d 'With --hosts or --all: how many hosts at once' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -l cacert -d 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC\'s; a login remembers the ones that verified the BMC, for later calls' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -l timeout -d 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -l proxy -d 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -l noproxy -d 'Hosts reached without the proxy, as curl\'s NO_PROXY: names, .domains, IPs, CIDRs, *' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -l persist -d 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh\'s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -l cache-dir -d 'Cache directory [default: ~/.local/state/rfsession]' -r -f -a "(__fish_complete_directories)"
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -l config -d 'The settings file [default: ~/.config/rfsession/config.toml]' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -l password-stdin -d 'Read the password from the first line of standard input'
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -l force -d 'End the cached session first and log in anew'
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -l token-stdin -d 'Adopt a session created elsewhere: read its token from standard input (no password)'
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -l dry-run -d 'Say what would be done (reuse, create, delete which URI) and change nothing'
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -l json -d 'Print one JSON document instead of text'
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -s k -l insecure -d 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)'
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -l no-persist -d 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)'
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -s v -l verbose -d 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal'
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -s q -l quiet -d 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)'
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -s h -l help -d 'Print help'
complete -c rfsession -n "__fish_rfsession_using_subcommand login" -s V -l version -d 'Print version'
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -l hosts -d 'Run for every HOST in this file (one per line, # comments; - for standard input; at most 100,000 hosts); prints one JSON line per host as each finishes' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -s j -l jobs -d 'With --hosts or --all: how many hosts at once' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -l pointer -d 'Print the value at this JSON pointer (strings without quotes), e.g. /PowerState' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -l max-body -d 'Refuse to parse a body larger than this (K, M, G suffixes); --raw is not limited' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -s u -l user -d 'User to log in as, when a login is needed [default: the settings file\'s, the cached session\'s, or ~/.netrc\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -l password-file -d 'Read the password from the first line of this file (keep it mode 0600)' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -s p -l password -d 'The password itself (visible to other users in the process list; prefer the others)' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -l password-command -d 'Run CMD with sh -c and take the first line it prints (pass show bmc/admin, secret-tool lookup ..., vault kv get -field=password ..., op read ...)' -r -f -a "(__fish_complete_command)"
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -l cacert -d 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC\'s; a login remembers the ones that verified the BMC, for later calls' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -l timeout -d 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -l proxy -d 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -l noproxy -d 'Hosts reached without the proxy, as curl\'s NO_PROXY: names, .domains, IPs, CIDRs, *' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -l persist -d 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh\'s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -l cache-dir -d 'Cache directory [default: ~/.local/state/rfsession]' -r -f -a "(__fish_complete_directories)"
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -l config -d 'The settings file [default: ~/.config/rfsession/config.toml]' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -l raw -d 'Write the body bytes unchanged (streamed; one PATH only)'
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -l all-pages -d 'Follow Members@odata.nextLink and print one merged collection'
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -l ndjson -d 'With several PATHs, print one compact body per line instead of a JSON array'
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -l password-stdin -d 'Read the password from the first line of standard input'
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -s k -l insecure -d 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)'
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -l no-persist -d 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)'
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -s v -l verbose -d 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal'
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -s q -l quiet -d 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)'
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -s h -l help -d 'Print help'
complete -c rfsession -n "__fish_rfsession_using_subcommand get" -s V -l version -d 'Print version'
complete -c rfsession -n "__fish_rfsession_using_subcommand sessions" -s u -l user -d 'User to log in as, when a login is needed [default: the settings file\'s, the cached session\'s, or ~/.netrc\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand sessions" -l cacert -d 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC\'s; a login remembers the ones that verified the BMC, for later calls' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand sessions" -l timeout -d 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand sessions" -l proxy -d 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand sessions" -l noproxy -d 'Hosts reached without the proxy, as curl\'s NO_PROXY: names, .domains, IPs, CIDRs, *' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand sessions" -l persist -d 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh\'s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand sessions" -l cache-dir -d 'Cache directory [default: ~/.local/state/rfsession]' -r -f -a "(__fish_complete_directories)"
complete -c rfsession -n "__fish_rfsession_using_subcommand sessions" -l config -d 'The settings file [default: ~/.config/rfsession/config.toml]' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand sessions" -l cached -d 'List what the local cache holds, for every host; the token is never shown'
complete -c rfsession -n "__fish_rfsession_using_subcommand sessions" -l json -d 'Print one JSON document instead of text'
complete -c rfsession -n "__fish_rfsession_using_subcommand sessions" -s k -l insecure -d 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)'
complete -c rfsession -n "__fish_rfsession_using_subcommand sessions" -l no-persist -d 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)'
complete -c rfsession -n "__fish_rfsession_using_subcommand sessions" -s v -l verbose -d 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal'
complete -c rfsession -n "__fish_rfsession_using_subcommand sessions" -s q -l quiet -d 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)'
complete -c rfsession -n "__fish_rfsession_using_subcommand sessions" -s h -l help -d 'Print help'
complete -c rfsession -n "__fish_rfsession_using_subcommand sessions" -s V -l version -d 'Print version'
complete -c rfsession -n "__fish_rfsession_using_subcommand whoami" -l hosts -d 'Run for every HOST in this file (one per line, # comments; - for standard input; at most 100,000 hosts); prints one JSON line per host as each finishes' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand whoami" -s j -l jobs -d 'With --hosts or --all: how many hosts at once' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand whoami" -l cacert -d 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC\'s; a login remembers the ones that verified the BMC, for later calls' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand whoami" -l timeout -d 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand whoami" -l proxy -d 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand whoami" -l noproxy -d 'Hosts reached without the proxy, as curl\'s NO_PROXY: names, .domains, IPs, CIDRs, *' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand whoami" -l persist -d 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh\'s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand whoami" -l cache-dir -d 'Cache directory [default: ~/.local/state/rfsession]' -r -f -a "(__fish_complete_directories)"
complete -c rfsession -n "__fish_rfsession_using_subcommand whoami" -l config -d 'The settings file [default: ~/.config/rfsession/config.toml]' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand whoami" -l json -d 'Print one JSON document instead of text'
complete -c rfsession -n "__fish_rfsession_using_subcommand whoami" -s k -l insecure -d 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)'
complete -c rfsession -n "__fish_rfsession_using_subcommand whoami" -l no-persist -d 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)'
complete -c rfsession -n "__fish_rfsession_using_subcommand whoami" -s v -l verbose -d 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal'
complete -c rfsession -n "__fish_rfsession_using_subcommand whoami" -s q -l quiet -d 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)'
complete -c rfsession -n "__fish_rfsession_using_subcommand whoami" -s h -l help -d 'Print help'
complete -c rfsession -n "__fish_rfsession_using_subcommand whoami" -s V -l version -d 'Print version'
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -l hosts -d 'Run for every HOST in this file (one per line, # comments; - for standard input; at most 100,000 hosts); prints one JSON line per host as each finishes' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -s j -l jobs -d 'With --hosts or --all: how many hosts at once' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -l session -d 'Delete this session (an id or URI, as `rfsession sessions HOST` shows) instead of yours; an administrator may delete any session' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -l user -d 'With --others: that user\'s sessions [default: the cached session\'s user]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -l older-than -d 'With --others: only sessions created longer ago than this (90s, 30m, 12h, 7d)' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -l cacert -d 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC\'s; a login remembers the ones that verified the BMC, for later calls' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -l timeout -d 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -l proxy -d 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -l noproxy -d 'Hosts reached without the proxy, as curl\'s NO_PROXY: names, .domains, IPs, CIDRs, *' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -l persist -d 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh\'s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -l cache-dir -d 'Cache directory [default: ~/.local/state/rfsession]' -r -f -a "(__fish_complete_directories)"
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -l config -d 'The settings file [default: ~/.config/rfsession/config.toml]' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -l all -d 'Log out of every cached host, in parallel'
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -l others -d 'End every other session of the user (sessions leaked by other tools), keeping the one rfsession holds for HOST'
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -l any-user -d 'With --others: every user\'s sessions (needs the BMC\'s permission to end them)'
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -l force -d 'End the session even while other processes (shells, scripts that ran login) still hold it'
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -l forget -d 'Drop the entry without contacting the BMC (a BMC that is gone, or refuses every DELETE); a session on the BMC, if any, is left to time out. Also forgets the host\'s certificate trust (the pin or CA remembered from login), which a plain logout keeps'
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -l dry-run -d 'Say what would happen (end, keep because held, forget, or nothing cached) and change nothing'
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -l json -d 'Print one JSON document instead of text'
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -s k -l insecure -d 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)'
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -l no-persist -d 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)'
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -s v -l verbose -d 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal'
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -s q -l quiet -d 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)'
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -s h -l help -d 'Print help'
complete -c rfsession -n "__fish_rfsession_using_subcommand logout" -s V -l version -d 'Print version'
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -s d -l data -d 'The JSON body itself, @FILE, or @- for standard input (at most 1 MiB)' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -l wait-timeout -d 'With --wait: give up waiting after this long (exit 5)' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -s u -l user -d 'User to log in as, when a login is needed [default: the settings file\'s, the cached session\'s, or ~/.netrc\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -l password-file -d 'Read the password from the first line of this file (keep it mode 0600)' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -s p -l password -d 'The password itself (visible to other users in the process list; prefer the others)' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -l password-command -d 'Run CMD with sh -c and take the first line it prints (pass show bmc/admin, secret-tool lookup ..., vault kv get -field=password ..., op read ...)' -r -f -a "(__fish_complete_command)"
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -l cacert -d 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC\'s; a login remembers the ones that verified the BMC, for later calls' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -l timeout -d 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -l proxy -d 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -l noproxy -d 'Hosts reached without the proxy, as curl\'s NO_PROXY: names, .domains, IPs, CIDRs, *' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -l persist -d 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh\'s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -l cache-dir -d 'Cache directory [default: ~/.local/state/rfsession]' -r -f -a "(__fish_complete_directories)"
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -l config -d 'The settings file [default: ~/.config/rfsession/config.toml]' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -l wait -d 'When the BMC answers 202 with a task monitor, wait for the task and print its end'
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -l dry-run -d 'Show what would be sent and send nothing'
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -l password-stdin -d 'Read the password from the first line of standard input'
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -l json -d 'Print one JSON document instead of text'
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -s k -l insecure -d 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)'
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -l no-persist -d 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)'
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -s v -l verbose -d 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal'
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -s q -l quiet -d 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)'
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -s h -l help -d 'Print help'
complete -c rfsession -n "__fish_rfsession_using_subcommand post" -s V -l version -d 'Print version'
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -s d -l data -d 'The JSON body itself, @FILE, or @- for standard input (at most 1 MiB)' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -l if-match -d 'auto (the resource\'s ETag, read first), none, or an ETag [default: auto]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -l wait-timeout -d 'With --wait: give up waiting after this long (exit 5)' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -s u -l user -d 'User to log in as, when a login is needed [default: the settings file\'s, the cached session\'s, or ~/.netrc\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -l password-file -d 'Read the password from the first line of this file (keep it mode 0600)' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -s p -l password -d 'The password itself (visible to other users in the process list; prefer the others)' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -l password-command -d 'Run CMD with sh -c and take the first line it prints (pass show bmc/admin, secret-tool lookup ..., vault kv get -field=password ..., op read ...)' -r -f -a "(__fish_complete_command)"
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -l cacert -d 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC\'s; a login remembers the ones that verified the BMC, for later calls' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -l timeout -d 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -l proxy -d 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -l noproxy -d 'Hosts reached without the proxy, as curl\'s NO_PROXY: names, .domains, IPs, CIDRs, *' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -l persist -d 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh\'s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -l cache-dir -d 'Cache directory [default: ~/.local/state/rfsession]' -r -f -a "(__fish_complete_directories)"
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -l config -d 'The settings file [default: ~/.config/rfsession/config.toml]' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -l wait -d 'When the BMC answers 202 with a task monitor, wait for the task and print its end'
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -l dry-run -d 'Show what would be sent and send nothing'
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -l password-stdin -d 'Read the password from the first line of standard input'
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -l json -d 'Print one JSON document instead of text'
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -s k -l insecure -d 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)'
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -l no-persist -d 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)'
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -s v -l verbose -d 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal'
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -s q -l quiet -d 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)'
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -s h -l help -d 'Print help'
complete -c rfsession -n "__fish_rfsession_using_subcommand patch" -s V -l version -d 'Print version'
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -s d -l data -d 'The JSON body itself, @FILE, or @- for standard input (at most 1 MiB)' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -l if-match -d 'auto (the resource\'s ETag, read first), none, or an ETag [default: auto]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -l wait-timeout -d 'With --wait: give up waiting after this long (exit 5)' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -s u -l user -d 'User to log in as, when a login is needed [default: the settings file\'s, the cached session\'s, or ~/.netrc\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -l password-file -d 'Read the password from the first line of this file (keep it mode 0600)' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -s p -l password -d 'The password itself (visible to other users in the process list; prefer the others)' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -l password-command -d 'Run CMD with sh -c and take the first line it prints (pass show bmc/admin, secret-tool lookup ..., vault kv get -field=password ..., op read ...)' -r -f -a "(__fish_complete_command)"
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -l cacert -d 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC\'s; a login remembers the ones that verified the BMC, for later calls' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -l timeout -d 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -l proxy -d 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -l noproxy -d 'Hosts reached without the proxy, as curl\'s NO_PROXY: names, .domains, IPs, CIDRs, *' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -l persist -d 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh\'s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -l cache-dir -d 'Cache directory [default: ~/.local/state/rfsession]' -r -f -a "(__fish_complete_directories)"
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -l config -d 'The settings file [default: ~/.config/rfsession/config.toml]' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -l wait -d 'When the BMC answers 202 with a task monitor, wait for the task and print its end'
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -l dry-run -d 'Show what would be sent and send nothing'
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -l password-stdin -d 'Read the password from the first line of standard input'
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -l json -d 'Print one JSON document instead of text'
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -s k -l insecure -d 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)'
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -l no-persist -d 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)'
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -s v -l verbose -d 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal'
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -s q -l quiet -d 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)'
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -s h -l help -d 'Print help'
complete -c rfsession -n "__fish_rfsession_using_subcommand put" -s V -l version -d 'Print version'
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -l wait-timeout -d 'With --wait: give up waiting after this long (exit 5)' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -s u -l user -d 'User to log in as, when a login is needed [default: the settings file\'s, the cached session\'s, or ~/.netrc\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -l password-file -d 'Read the password from the first line of this file (keep it mode 0600)' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -s p -l password -d 'The password itself (visible to other users in the process list; prefer the others)' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -l password-command -d 'Run CMD with sh -c and take the first line it prints (pass show bmc/admin, secret-tool lookup ..., vault kv get -field=password ..., op read ...)' -r -f -a "(__fish_complete_command)"
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -l cacert -d 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC\'s; a login remembers the ones that verified the BMC, for later calls' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -l timeout -d 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -l proxy -d 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -l noproxy -d 'Hosts reached without the proxy, as curl\'s NO_PROXY: names, .domains, IPs, CIDRs, *' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -l persist -d 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh\'s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -l cache-dir -d 'Cache directory [default: ~/.local/state/rfsession]' -r -f -a "(__fish_complete_directories)"
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -l config -d 'The settings file [default: ~/.config/rfsession/config.toml]' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -l wait -d 'When the BMC answers 202 with a task monitor, wait for the task and print its end'
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -l dry-run -d 'Show what would be sent and send nothing'
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -l password-stdin -d 'Read the password from the first line of standard input'
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -l json -d 'Print one JSON document instead of text'
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -s k -l insecure -d 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)'
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -l no-persist -d 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)'
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -s v -l verbose -d 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal'
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -s q -l quiet -d 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)'
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -s h -l help -d 'Print help'
complete -c rfsession -n "__fish_rfsession_using_subcommand delete" -s V -l version -d 'Print version'
complete -c rfsession -n "__fish_rfsession_using_subcommand token" -s u -l user -d 'User to log in as, when a login is needed [default: the settings file\'s, the cached session\'s, or ~/.netrc\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand token" -l cacert -d 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC\'s; a login remembers the ones that verified the BMC, for later calls' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand token" -l timeout -d 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand token" -l proxy -d 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand token" -l noproxy -d 'Hosts reached without the proxy, as curl\'s NO_PROXY: names, .domains, IPs, CIDRs, *' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand token" -l persist -d 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh\'s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand token" -l cache-dir -d 'Cache directory [default: ~/.local/state/rfsession]' -r -f -a "(__fish_complete_directories)"
complete -c rfsession -n "__fish_rfsession_using_subcommand token" -l config -d 'The settings file [default: ~/.config/rfsession/config.toml]' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand token" -l header -d 'Print `X-Auth-Token: <token>`, for curl -H @FILE'
complete -c rfsession -n "__fish_rfsession_using_subcommand token" -s k -l insecure -d 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)'
complete -c rfsession -n "__fish_rfsession_using_subcommand token" -l no-persist -d 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)'
complete -c rfsession -n "__fish_rfsession_using_subcommand token" -s v -l verbose -d 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal'
complete -c rfsession -n "__fish_rfsession_using_subcommand token" -s q -l quiet -d 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)'
complete -c rfsession -n "__fish_rfsession_using_subcommand token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rfsession -n "__fish_rfsession_using_subcommand token" -s V -l version -d 'Print version'
complete -c rfsession -n "__fish_rfsession_using_subcommand cert" -l cacert -d 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC\'s; a login remembers the ones that verified the BMC, for later calls' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand cert" -l timeout -d 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand cert" -l proxy -d 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand cert" -l noproxy -d 'Hosts reached without the proxy, as curl\'s NO_PROXY: names, .domains, IPs, CIDRs, *' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand cert" -l persist -d 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh\'s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand cert" -l cache-dir -d 'Cache directory [default: ~/.local/state/rfsession]' -r -f -a "(__fish_complete_directories)"
complete -c rfsession -n "__fish_rfsession_using_subcommand cert" -l config -d 'The settings file [default: ~/.config/rfsession/config.toml]' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand cert" -s k -l insecure -d 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)'
complete -c rfsession -n "__fish_rfsession_using_subcommand cert" -l no-persist -d 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)'
complete -c rfsession -n "__fish_rfsession_using_subcommand cert" -s v -l verbose -d 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal'
complete -c rfsession -n "__fish_rfsession_using_subcommand cert" -s q -l quiet -d 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)'
complete -c rfsession -n "__fish_rfsession_using_subcommand cert" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rfsession -n "__fish_rfsession_using_subcommand cert" -s V -l version -d 'Print version'
complete -c rfsession -n "__fish_rfsession_using_subcommand exec" -s u -l user -d 'User to log in as, when a login is needed [default: the settings file\'s, the cached session\'s, or ~/.netrc\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand exec" -l password-file -d 'Read the password from the first line of this file (keep it mode 0600)' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand exec" -s p -l password -d 'The password itself (visible to other users in the process list; prefer the others)' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand exec" -l password-command -d 'Run CMD with sh -c and take the first line it prints (pass show bmc/admin, secret-tool lookup ..., vault kv get -field=password ..., op read ...)' -r -f -a "(__fish_complete_command)"
complete -c rfsession -n "__fish_rfsession_using_subcommand exec" -l cacert -d 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC\'s; a login remembers the ones that verified the BMC, for later calls' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand exec" -l timeout -d 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand exec" -l proxy -d 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand exec" -l noproxy -d 'Hosts reached without the proxy, as curl\'s NO_PROXY: names, .domains, IPs, CIDRs, *' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand exec" -l persist -d 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh\'s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand exec" -l cache-dir -d 'Cache directory [default: ~/.local/state/rfsession]' -r -f -a "(__fish_complete_directories)"
complete -c rfsession -n "__fish_rfsession_using_subcommand exec" -l config -d 'The settings file [default: ~/.config/rfsession/config.toml]' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand exec" -l password-stdin -d 'Read the password from the first line of standard input'
complete -c rfsession -n "__fish_rfsession_using_subcommand exec" -s k -l insecure -d 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)'
complete -c rfsession -n "__fish_rfsession_using_subcommand exec" -l no-persist -d 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)'
complete -c rfsession -n "__fish_rfsession_using_subcommand exec" -s v -l verbose -d 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal'
complete -c rfsession -n "__fish_rfsession_using_subcommand exec" -s q -l quiet -d 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)'
complete -c rfsession -n "__fish_rfsession_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c rfsession -n "__fish_rfsession_using_subcommand exec" -s V -l version -d 'Print version'
complete -c rfsession -n "__fish_rfsession_using_subcommand config" -s u -l user -d 'User to log in as, when a login is needed [default: the settings file\'s, the cached session\'s, or ~/.netrc\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand config" -l cacert -d 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC\'s; a login remembers the ones that verified the BMC, for later calls' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand config" -l timeout -d 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file\'s]' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand config" -l proxy -d 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand config" -l noproxy -d 'Hosts reached without the proxy, as curl\'s NO_PROXY: names, .domains, IPs, CIDRs, *' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand config" -l persist -d 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh\'s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off' -r
complete -c rfsession -n "__fish_rfsession_using_subcommand config" -l cache-dir -d 'Cache directory [default: ~/.local/state/rfsession]' -r -f -a "(__fish_complete_directories)"
complete -c rfsession -n "__fish_rfsession_using_subcommand config" -l config -d 'The settings file [default: ~/.config/rfsession/config.toml]' -r -F
complete -c rfsession -n "__fish_rfsession_using_subcommand config" -l json -d 'Print one JSON document instead of text'
complete -c rfsession -n "__fish_rfsession_using_subcommand config" -s k -l insecure -d 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)'
complete -c rfsession -n "__fish_rfsession_using_subcommand config" -l no-persist -d 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)'
complete -c rfsession -n "__fish_rfsession_using_subcommand config" -s v -l verbose -d 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal'
complete -c rfsession -n "__fish_rfsession_using_subcommand config" -s q -l quiet -d 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)'
complete -c rfsession -n "__fish_rfsession_using_subcommand config" -s h -l help -d 'Print help'
complete -c rfsession -n "__fish_rfsession_using_subcommand config" -s V -l version -d 'Print version'
complete -c rfsession -n "__fish_rfsession_using_subcommand help; and not __fish_seen_subcommand_from login get sessions whoami logout post patch put delete token cert exec config help" -f -a "login" -d 'Log in, or reuse the cached session if the BMC still accepts it'
complete -c rfsession -n "__fish_rfsession_using_subcommand help; and not __fish_seen_subcommand_from login get sessions whoami logout post patch put delete token cert exec config help" -f -a "get" -d 'GET one or more Redfish paths with the cached session and print the JSON'
complete -c rfsession -n "__fish_rfsession_using_subcommand help; and not __fish_seen_subcommand_from login get sessions whoami logout post patch put delete token cert exec config help" -f -a "sessions" -d 'List the BMC\'s sessions (yours marked), or with --cached what the local cache holds'
complete -c rfsession -n "__fish_rfsession_using_subcommand help; and not __fish_seen_subcommand_from login get sessions whoami logout post patch put delete token cert exec config help" -f -a "whoami" -d 'Show the cached session for HOST and whether the BMC still accepts it'
complete -c rfsession -n "__fish_rfsession_using_subcommand help; and not __fish_seen_subcommand_from login get sessions whoami logout post patch put delete token cert exec config help" -f -a "logout" -d 'End the cached session on the BMC and forget it'
complete -c rfsession -n "__fish_rfsession_using_subcommand help; and not __fish_seen_subcommand_from login get sessions whoami logout post patch put delete token cert exec config help" -f -a "post" -d 'POST with the cached session: create a member of a collection, or run an action'
complete -c rfsession -n "__fish_rfsession_using_subcommand help; and not __fish_seen_subcommand_from login get sessions whoami logout post patch put delete token cert exec config help" -f -a "patch" -d 'PATCH a resource with the cached session (If-Match read from the resource first)'
complete -c rfsession -n "__fish_rfsession_using_subcommand help; and not __fish_seen_subcommand_from login get sessions whoami logout post patch put delete token cert exec config help" -f -a "put" -d 'PUT (replace) a resource with the cached session'
complete -c rfsession -n "__fish_rfsession_using_subcommand help; and not __fish_seen_subcommand_from login get sessions whoami logout post patch put delete token cert exec config help" -f -a "delete" -d 'DELETE a resource with the cached session'
complete -c rfsession -n "__fish_rfsession_using_subcommand help; and not __fish_seen_subcommand_from login get sessions whoami logout post patch put delete token cert exec config help" -f -a "token" -d 'Print the cached session token, for other tools (never put it in argv)'
complete -c rfsession -n "__fish_rfsession_using_subcommand help; and not __fish_seen_subcommand_from login get sessions whoami logout post patch put delete token cert exec config help" -f -a "cert" -d 'Print the certificates HOST\'s entry trusts, as PEM, for other tools'
complete -c rfsession -n "__fish_rfsession_using_subcommand help; and not __fish_seen_subcommand_from login get sessions whoami logout post patch put delete token cert exec config help" -f -a "exec" -d 'Run COMMAND with the cached session in its environment (RFSESSION_TOKEN, ...)'
complete -c rfsession -n "__fish_rfsession_using_subcommand help; and not __fish_seen_subcommand_from login get sessions whoami logout post patch put delete token cert exec config help" -f -a "config" -d 'Show the settings that apply to HOST and where each comes from (never a password)'
complete -c rfsession -n "__fish_rfsession_using_subcommand help; and not __fish_seen_subcommand_from login get sessions whoami logout post patch put delete token cert exec config help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'

# HOST completes to the hosts in rfsession's cache and the settings' aliases; PATH live
# from the BMC.
function __rfsession_positional
    set -l tokens (commandline -opc)
    set -l valued --auth --cacert --cache-dir --config --data --hosts --if-match --jobs --max-body --max-hosts --noproxy --older-than --password --password-command --password-file --persist --pointer --proxy --reclaim --session --session-uri --timeout --user --wait-timeout -d -j -p -u
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
    contains -- $p[1] login get sessions whoami logout post patch put delete token cert exec config; and test $p[2] = 0
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
