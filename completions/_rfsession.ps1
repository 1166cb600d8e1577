
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'rfsession' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'rfsession'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'rfsession' {
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC''s; a login remembers the ones that verified the BMC, for later calls')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file''s]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY')
            [CompletionResult]::new('--noproxy', '--noproxy', [CompletionResultType]::ParameterName, 'Hosts reached without the proxy, as curl''s NO_PROXY: names, .domains, IPs, CIDRs, *')
            [CompletionResult]::new('--persist', '--persist', [CompletionResultType]::ParameterName, 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh''s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: ~/.local/state/rfsession]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The settings file [default: ~/.config/rfsession/config.toml]')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--no-persist', '--no-persist', [CompletionResultType]::ParameterName, 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document instead of text (login, sessions, whoami, logout, config and the writes; also after those commands'' names)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in, or reuse the cached session if the BMC still accepts it')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'GET one or more Redfish paths with the cached session and print the JSON')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'List the BMC''s sessions (yours marked), or with --cached what the local cache holds')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show the cached session for HOST and whether the BMC still accepts it')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'End the cached session on the BMC and forget it')
            [CompletionResult]::new('post', 'post', [CompletionResultType]::ParameterValue, 'POST with the cached session: create a member of a collection, or run an action')
            [CompletionResult]::new('patch', 'patch', [CompletionResultType]::ParameterValue, 'PATCH a resource with the cached session (If-Match read from the resource first)')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'PUT (replace) a resource with the cached session')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'DELETE a resource with the cached session')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print the cached session token, for other tools (never put it in argv)')
            [CompletionResult]::new('cert', 'cert', [CompletionResultType]::ParameterValue, 'Print the certificates HOST''s entry trusts, as PEM, for other tools')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run COMMAND with the cached session in its environment (RFSESSION_TOKEN, ...)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the settings that apply to HOST and where each comes from (never a password)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rfsession;login' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of this file (keep it mode 0600)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The password itself (visible to other users in the process list; prefer the others)')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'The password itself (visible to other users in the process list; prefer the others)')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Run CMD with sh -c and take the first line it prints (pass show bmc/admin, secret-tool lookup ..., vault kv get -field=password ..., op read ...)')
            [CompletionResult]::new('--session-uri', '--session-uri', [CompletionResultType]::ParameterName, 'With --token-stdin: the session''s Id or URI (a member of the BMC''s sessions collection), when the BMC cannot tell it')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'basic: send the credentials with every request (HTTP Basic) instead of a session, for services without sessions; remembered for HOST, the password never stored')
            [CompletionResult]::new('--reclaim', '--reclaim', [CompletionResultType]::ParameterName, 'Before logging in, end this user''s sessions that no entry of this cache names (only those older than DURATION when given), using HTTP Basic: for a full table')
            [CompletionResult]::new('--hosts', '--hosts', [CompletionResultType]::ParameterName, 'Run for every HOST in this file (one per line, # comments; - for standard input; at most 100,000 hosts); prints one JSON line per host as each finishes')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'With --hosts or --all: how many hosts at once')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'With --hosts or --all: how many hosts at once')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC''s; a login remembers the ones that verified the BMC, for later calls')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file''s]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY')
            [CompletionResult]::new('--noproxy', '--noproxy', [CompletionResultType]::ParameterName, 'Hosts reached without the proxy, as curl''s NO_PROXY: names, .domains, IPs, CIDRs, *')
            [CompletionResult]::new('--persist', '--persist', [CompletionResultType]::ParameterName, 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh''s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: ~/.local/state/rfsession]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The settings file [default: ~/.config/rfsession/config.toml]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of standard input')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'End the cached session first and log in anew')
            [CompletionResult]::new('--token-stdin', '--token-stdin', [CompletionResultType]::ParameterName, 'Adopt a session created elsewhere: read its token from standard input (no password)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be done (reuse, create, delete which URI) and change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document instead of text')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--no-persist', '--no-persist', [CompletionResultType]::ParameterName, 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rfsession;get' {
            [CompletionResult]::new('--hosts', '--hosts', [CompletionResultType]::ParameterName, 'Run for every HOST in this file (one per line, # comments; - for standard input; at most 100,000 hosts); prints one JSON line per host as each finishes')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'With --hosts or --all: how many hosts at once')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'With --hosts or --all: how many hosts at once')
            [CompletionResult]::new('--pointer', '--pointer', [CompletionResultType]::ParameterName, 'Print the value at this JSON pointer (strings without quotes), e.g. /PowerState')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Refuse to parse a body larger than this (K, M, G suffixes); --raw is not limited')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of this file (keep it mode 0600)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The password itself (visible to other users in the process list; prefer the others)')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'The password itself (visible to other users in the process list; prefer the others)')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Run CMD with sh -c and take the first line it prints (pass show bmc/admin, secret-tool lookup ..., vault kv get -field=password ..., op read ...)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC''s; a login remembers the ones that verified the BMC, for later calls')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file''s]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY')
            [CompletionResult]::new('--noproxy', '--noproxy', [CompletionResultType]::ParameterName, 'Hosts reached without the proxy, as curl''s NO_PROXY: names, .domains, IPs, CIDRs, *')
            [CompletionResult]::new('--persist', '--persist', [CompletionResultType]::ParameterName, 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh''s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: ~/.local/state/rfsession]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The settings file [default: ~/.config/rfsession/config.toml]')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Write the body bytes unchanged (streamed; one PATH only)')
            [CompletionResult]::new('--all-pages', '--all-pages', [CompletionResultType]::ParameterName, 'Follow Members@odata.nextLink and print one merged collection')
            [CompletionResult]::new('--ndjson', '--ndjson', [CompletionResultType]::ParameterName, 'With several PATHs, print one compact body per line instead of a JSON array')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of standard input')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--no-persist', '--no-persist', [CompletionResultType]::ParameterName, 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rfsession;sessions' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC''s; a login remembers the ones that verified the BMC, for later calls')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file''s]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY')
            [CompletionResult]::new('--noproxy', '--noproxy', [CompletionResultType]::ParameterName, 'Hosts reached without the proxy, as curl''s NO_PROXY: names, .domains, IPs, CIDRs, *')
            [CompletionResult]::new('--persist', '--persist', [CompletionResultType]::ParameterName, 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh''s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: ~/.local/state/rfsession]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The settings file [default: ~/.config/rfsession/config.toml]')
            [CompletionResult]::new('--cached', '--cached', [CompletionResultType]::ParameterName, 'List what the local cache holds, for every host; the token is never shown')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document instead of text')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--no-persist', '--no-persist', [CompletionResultType]::ParameterName, 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rfsession;whoami' {
            [CompletionResult]::new('--hosts', '--hosts', [CompletionResultType]::ParameterName, 'Run for every HOST in this file (one per line, # comments; - for standard input; at most 100,000 hosts); prints one JSON line per host as each finishes')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'With --hosts or --all: how many hosts at once')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'With --hosts or --all: how many hosts at once')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC''s; a login remembers the ones that verified the BMC, for later calls')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file''s]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY')
            [CompletionResult]::new('--noproxy', '--noproxy', [CompletionResultType]::ParameterName, 'Hosts reached without the proxy, as curl''s NO_PROXY: names, .domains, IPs, CIDRs, *')
            [CompletionResult]::new('--persist', '--persist', [CompletionResultType]::ParameterName, 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh''s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: ~/.local/state/rfsession]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The settings file [default: ~/.config/rfsession/config.toml]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document instead of text')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--no-persist', '--no-persist', [CompletionResultType]::ParameterName, 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rfsession;logout' {
            [CompletionResult]::new('--hosts', '--hosts', [CompletionResultType]::ParameterName, 'Run for every HOST in this file (one per line, # comments; - for standard input; at most 100,000 hosts); prints one JSON line per host as each finishes')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'With --hosts or --all: how many hosts at once')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'With --hosts or --all: how many hosts at once')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Delete this session (an id or URI, as `rfsession sessions HOST` shows) instead of yours; an administrator may delete any session')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'With --others: that user''s sessions [default: the cached session''s user]')
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'With --others: only sessions created longer ago than this (90s, 30m, 12h, 7d)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC''s; a login remembers the ones that verified the BMC, for later calls')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file''s]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY')
            [CompletionResult]::new('--noproxy', '--noproxy', [CompletionResultType]::ParameterName, 'Hosts reached without the proxy, as curl''s NO_PROXY: names, .domains, IPs, CIDRs, *')
            [CompletionResult]::new('--persist', '--persist', [CompletionResultType]::ParameterName, 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh''s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: ~/.local/state/rfsession]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The settings file [default: ~/.config/rfsession/config.toml]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Log out of every cached host, in parallel')
            [CompletionResult]::new('--others', '--others', [CompletionResultType]::ParameterName, 'End every other session of the user (sessions leaked by other tools), keeping the one rfsession holds for HOST')
            [CompletionResult]::new('--any-user', '--any-user', [CompletionResultType]::ParameterName, 'With --others: every user''s sessions (needs the BMC''s permission to end them)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'End the session even while other processes (shells, scripts that ran login) still hold it')
            [CompletionResult]::new('--forget', '--forget', [CompletionResultType]::ParameterName, 'Drop the entry without contacting the BMC (a BMC that is gone, or refuses every DELETE); a session on the BMC, if any, is left to time out. Also forgets the host''s certificate trust (the pin or CA remembered from login), which a plain logout keeps')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would happen (end, keep because held, forget, or nothing cached) and change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document instead of text')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--no-persist', '--no-persist', [CompletionResultType]::ParameterName, 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rfsession;post' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'The JSON body itself, @FILE, or @- for standard input (at most 1 MiB)')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'The JSON body itself, @FILE, or @- for standard input (at most 1 MiB)')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'With --wait: give up waiting after this long (exit 5)')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of this file (keep it mode 0600)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The password itself (visible to other users in the process list; prefer the others)')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'The password itself (visible to other users in the process list; prefer the others)')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Run CMD with sh -c and take the first line it prints (pass show bmc/admin, secret-tool lookup ..., vault kv get -field=password ..., op read ...)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC''s; a login remembers the ones that verified the BMC, for later calls')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file''s]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY')
            [CompletionResult]::new('--noproxy', '--noproxy', [CompletionResultType]::ParameterName, 'Hosts reached without the proxy, as curl''s NO_PROXY: names, .domains, IPs, CIDRs, *')
            [CompletionResult]::new('--persist', '--persist', [CompletionResultType]::ParameterName, 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh''s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: ~/.local/state/rfsession]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The settings file [default: ~/.config/rfsession/config.toml]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'When the BMC answers 202 with a task monitor, wait for the task and print its end')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be sent and send nothing')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of standard input')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document instead of text')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--no-persist', '--no-persist', [CompletionResultType]::ParameterName, 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rfsession;patch' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'The JSON body itself, @FILE, or @- for standard input (at most 1 MiB)')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'The JSON body itself, @FILE, or @- for standard input (at most 1 MiB)')
            [CompletionResult]::new('--if-match', '--if-match', [CompletionResultType]::ParameterName, 'auto (the resource''s ETag, read first), none, or an ETag [default: auto]')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'With --wait: give up waiting after this long (exit 5)')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of this file (keep it mode 0600)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The password itself (visible to other users in the process list; prefer the others)')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'The password itself (visible to other users in the process list; prefer the others)')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Run CMD with sh -c and take the first line it prints (pass show bmc/admin, secret-tool lookup ..., vault kv get -field=password ..., op read ...)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC''s; a login remembers the ones that verified the BMC, for later calls')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file''s]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY')
            [CompletionResult]::new('--noproxy', '--noproxy', [CompletionResultType]::ParameterName, 'Hosts reached without the proxy, as curl''s NO_PROXY: names, .domains, IPs, CIDRs, *')
            [CompletionResult]::new('--persist', '--persist', [CompletionResultType]::ParameterName, 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh''s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: ~/.local/state/rfsession]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The settings file [default: ~/.config/rfsession/config.toml]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'When the BMC answers 202 with a task monitor, wait for the task and print its end')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be sent and send nothing')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of standard input')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document instead of text')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--no-persist', '--no-persist', [CompletionResultType]::ParameterName, 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rfsession;put' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'The JSON body itself, @FILE, or @- for standard input (at most 1 MiB)')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'The JSON body itself, @FILE, or @- for standard input (at most 1 MiB)')
            [CompletionResult]::new('--if-match', '--if-match', [CompletionResultType]::ParameterName, 'auto (the resource''s ETag, read first), none, or an ETag [default: auto]')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'With --wait: give up waiting after this long (exit 5)')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of this file (keep it mode 0600)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The password itself (visible to other users in the process list; prefer the others)')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'The password itself (visible to other users in the process list; prefer the others)')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Run CMD with sh -c and take the first line it prints (pass show bmc/admin, secret-tool lookup ..., vault kv get -field=password ..., op read ...)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC''s; a login remembers the ones that verified the BMC, for later calls')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file''s]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY')
            [CompletionResult]::new('--noproxy', '--noproxy', [CompletionResultType]::ParameterName, 'Hosts reached without the proxy, as curl''s NO_PROXY: names, .domains, IPs, CIDRs, *')
            [CompletionResult]::new('--persist', '--persist', [CompletionResultType]::ParameterName, 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh''s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: ~/.local/state/rfsession]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The settings file [default: ~/.config/rfsession/config.toml]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'When the BMC answers 202 with a task monitor, wait for the task and print its end')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be sent and send nothing')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of standard input')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document instead of text')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--no-persist', '--no-persist', [CompletionResultType]::ParameterName, 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rfsession;delete' {
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'With --wait: give up waiting after this long (exit 5)')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of this file (keep it mode 0600)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The password itself (visible to other users in the process list; prefer the others)')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'The password itself (visible to other users in the process list; prefer the others)')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Run CMD with sh -c and take the first line it prints (pass show bmc/admin, secret-tool lookup ..., vault kv get -field=password ..., op read ...)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC''s; a login remembers the ones that verified the BMC, for later calls')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file''s]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY')
            [CompletionResult]::new('--noproxy', '--noproxy', [CompletionResultType]::ParameterName, 'Hosts reached without the proxy, as curl''s NO_PROXY: names, .domains, IPs, CIDRs, *')
            [CompletionResult]::new('--persist', '--persist', [CompletionResultType]::ParameterName, 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh''s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: ~/.local/state/rfsession]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The settings file [default: ~/.config/rfsession/config.toml]')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'When the BMC answers 202 with a task monitor, wait for the task and print its end')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be sent and send nothing')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of standard input')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document instead of text')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--no-persist', '--no-persist', [CompletionResultType]::ParameterName, 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rfsession;token' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC''s; a login remembers the ones that verified the BMC, for later calls')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file''s]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY')
            [CompletionResult]::new('--noproxy', '--noproxy', [CompletionResultType]::ParameterName, 'Hosts reached without the proxy, as curl''s NO_PROXY: names, .domains, IPs, CIDRs, *')
            [CompletionResult]::new('--persist', '--persist', [CompletionResultType]::ParameterName, 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh''s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: ~/.local/state/rfsession]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The settings file [default: ~/.config/rfsession/config.toml]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Print `X-Auth-Token: <token>`, for curl -H @FILE')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--no-persist', '--no-persist', [CompletionResultType]::ParameterName, 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rfsession;cert' {
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC''s; a login remembers the ones that verified the BMC, for later calls')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file''s]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY')
            [CompletionResult]::new('--noproxy', '--noproxy', [CompletionResultType]::ParameterName, 'Hosts reached without the proxy, as curl''s NO_PROXY: names, .domains, IPs, CIDRs, *')
            [CompletionResult]::new('--persist', '--persist', [CompletionResultType]::ParameterName, 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh''s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: ~/.local/state/rfsession]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The settings file [default: ~/.config/rfsession/config.toml]')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--no-persist', '--no-persist', [CompletionResultType]::ParameterName, 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rfsession;exec' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of this file (keep it mode 0600)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The password itself (visible to other users in the process list; prefer the others)')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'The password itself (visible to other users in the process list; prefer the others)')
            [CompletionResult]::new('--password-command', '--password-command', [CompletionResultType]::ParameterName, 'Run CMD with sh -c and take the first line it prints (pass show bmc/admin, secret-tool lookup ..., vault kv get -field=password ..., op read ...)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC''s; a login remembers the ones that verified the BMC, for later calls')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file''s]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY')
            [CompletionResult]::new('--noproxy', '--noproxy', [CompletionResultType]::ParameterName, 'Hosts reached without the proxy, as curl''s NO_PROXY: names, .domains, IPs, CIDRs, *')
            [CompletionResult]::new('--persist', '--persist', [CompletionResultType]::ParameterName, 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh''s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: ~/.local/state/rfsession]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The settings file [default: ~/.config/rfsession/config.toml]')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from the first line of standard input')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--no-persist', '--no-persist', [CompletionResultType]::ParameterName, 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rfsession;config' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'User to log in as, when a login is needed [default: the settings file''s, the cached session''s, or ~/.netrc''s]')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM bundle, or a certificate in it that is exactly the BMC''s; a login remembers the ones that verified the BMC, for later calls')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (30, 30s, 500ms, 2m): on the BMC (all requests of a command for one host together, plus documented retry pauses), on a --password-command, and separately on waiting for a lock [default: 30s, or the settings file''s]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Reach the BMC through this proxy: http://HOST:PORT (a CONNECT tunnel), socks5:// or socks5h:// (names resolved by the proxy); beats HTTPS_PROXY, HTTP_PROXY, ALL_PROXY')
            [CompletionResult]::new('--noproxy', '--noproxy', [CompletionResultType]::ParameterName, 'Hosts reached without the proxy, as curl''s NO_PROXY: names, .domains, IPs, CIDRs, *')
            [CompletionResult]::new('--persist', '--persist', [CompletionResultType]::ParameterName, 'Keep the connection to the BMC open between calls for this long without a request (60s, 10m), in one keeper process for all hosts, as ssh''s ControlPersist; a running keeper serves every later call to a host it holds; 0 turns it off')
            [CompletionResult]::new('--cache-dir', '--cache-dir', [CompletionResultType]::ParameterName, 'Cache directory [default: ~/.local/state/rfsession]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The settings file [default: ~/.config/rfsession/config.toml]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document instead of text')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Skip certificate verification at a first login (or login --force) and pin the certificate seen, in any X.509 version (trust on first use)')
            [CompletionResult]::new('--no-persist', '--no-persist', [CompletionResultType]::ParameterName, 'Connect directly for this call, even where a keeper holds the connection (beats --persist and RFSESSION_PERSIST)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show each request and response line and headers on stderr, secrets redacted, and what went well even when stderr is not a terminal')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and warnings on stderr (what went well is shown only on a terminal anyway)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'rfsession;help' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in, or reuse the cached session if the BMC still accepts it')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'GET one or more Redfish paths with the cached session and print the JSON')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'List the BMC''s sessions (yours marked), or with --cached what the local cache holds')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show the cached session for HOST and whether the BMC still accepts it')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'End the cached session on the BMC and forget it')
            [CompletionResult]::new('post', 'post', [CompletionResultType]::ParameterValue, 'POST with the cached session: create a member of a collection, or run an action')
            [CompletionResult]::new('patch', 'patch', [CompletionResultType]::ParameterValue, 'PATCH a resource with the cached session (If-Match read from the resource first)')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'PUT (replace) a resource with the cached session')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'DELETE a resource with the cached session')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print the cached session token, for other tools (never put it in argv)')
            [CompletionResult]::new('cert', 'cert', [CompletionResultType]::ParameterValue, 'Print the certificates HOST''s entry trusts, as PEM, for other tools')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run COMMAND with the cached session in its environment (RFSESSION_TOKEN, ...)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the settings that apply to HOST and where each comes from (never a password)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'rfsession;help;login' {
            break
        }
        'rfsession;help;get' {
            break
        }
        'rfsession;help;sessions' {
            break
        }
        'rfsession;help;whoami' {
            break
        }
        'rfsession;help;logout' {
            break
        }
        'rfsession;help;post' {
            break
        }
        'rfsession;help;patch' {
            break
        }
        'rfsession;help;put' {
            break
        }
        'rfsession;help;delete' {
            break
        }
        'rfsession;help;token' {
            break
        }
        'rfsession;help;cert' {
            break
        }
        'rfsession;help;exec' {
            break
        }
        'rfsession;help;config' {
            break
        }
        'rfsession;help;help' {
            break
        }
    })


    # HOST: the hosts in rfsession's cache and the settings file's aliases; PATH: live from
    # the BMC with the cached session (rfsession parses the words itself).
    $valued = @('--auth', '--cacert', '--cache-dir', '--config', '--data', '--hosts', '--if-match', '--jobs', '--max-body', '--max-hosts', '--noproxy', '--older-than', '--password', '--password-command', '--password-file', '--persist', '--pointer', '--proxy', '--reclaim', '--session', '--session-uri', '--timeout', '--user', '--wait-timeout', '-d', '-j', '-p', '-u')
    $subcommands = @('login', 'get', 'sessions', 'whoami', 'logout', 'post', 'patch', 'put', 'delete', 'token', 'cert', 'exec', 'config')
    $before = @($commandElements | Select-Object -Skip 1 |
        Where-Object { $_.Extent.EndOffset -lt $cursorPosition } | ForEach-Object { $_.Extent.Text })
    $sub = $null; $positional = 0; $skip = $false
    foreach ($w in $before) {
        if ($skip) { $skip = $false; continue }
        if ($valued -contains $w) { $skip = $true; continue }
        if ($w.StartsWith('-')) { continue }
        if ($null -eq $sub) { if ($subcommands -contains $w) { $sub = $w } }
        else { $positional++ }
    }
    if ($sub -and -not $skip -and -not $wordToComplete.StartsWith('-')) {
        $offered = $null
        if ($positional -eq 0) {
            $offered = @(& rfsession complete-hosts 2>$null)
        } elseif ($sub -eq 'get' -or ($positional -eq 1 -and $sub -in 'post', 'patch', 'put', 'delete')) {
            $offered = @(& rfsession complete-path rfsession @before $wordToComplete 2>$null)
        }
        if ($offered) {
            $completions = @($offered | ForEach-Object {
                [CompletionResult]::new($_, $_, [CompletionResultType]::ParameterValue, $_)
            })
        }
    }

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
