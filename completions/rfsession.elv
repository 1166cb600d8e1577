
use builtin;
use str;

set edit:completion:arg-completer[rfsession] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'rfsession'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'rfsession'= {
            cand --cache-dir 'Cache directory [default: ~/.local/state/rfsession]'
            cand --cacert 'Trust the CA certificates in this PEM bundle'
            cand --timeout 'Give up after this many seconds: on the BMC (all requests of a command for one host together, plus documented retry pauses), and separately on waiting for a lock'
            cand -k 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --insecure 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --json 'Print one JSON document instead of text (login, sessions, whoami, logout)'
            cand -v 'Show each request and response line and headers on stderr, secrets redacted'
            cand --verbose 'Show each request and response line and headers on stderr, secrets redacted'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand login 'Log in, or reuse the cached session if the BMC still accepts it'
            cand get 'GET one or more Redfish paths with the cached session and print the JSON'
            cand sessions 'List the BMC''s sessions (yours marked), or with --cached what the local cache holds'
            cand whoami 'Show the cached session for HOST and whether the BMC still accepts it'
            cand logout 'End the cached session on the BMC and forget it'
            cand post 'POST with the cached session: create a member of a collection, or run an action'
            cand patch 'PATCH a resource with the cached session (If-Match read from the resource first)'
            cand put 'PUT (replace) a resource with the cached session'
            cand delete 'DELETE a resource with the cached session'
            cand token 'Print the cached session token, for other tools (never put it in argv)'
            cand exec 'Run COMMAND with the cached session in its environment (RFSESSION_TOKEN, ...)'
            cand complete-path 'Complete the Redfish PATH being typed in WORDS (the command line so far), live from the BMC with the cached session; for the shell completion scripts'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rfsession;login'= {
            cand -u 'User name [default: the cached session''s user]'
            cand --user 'User name [default: the cached session''s user]'
            cand --password-file 'Read the password from the first line of this file (keep it mode 0600)'
            cand -p 'The password itself (visible to other users in the process list; prefer the others)'
            cand --password 'The password itself (visible to other users in the process list; prefer the others)'
            cand --session-uri 'With --token-stdin: the session''s URI, when the BMC cannot tell it'
            cand --hosts 'Run for every HOST in this file (one per line, # comments; - for standard input); prints one JSON line per host as each finishes'
            cand -j 'With --hosts or --all: how many hosts at once'
            cand --jobs 'With --hosts or --all: how many hosts at once'
            cand --cache-dir 'Cache directory [default: ~/.local/state/rfsession]'
            cand --cacert 'Trust the CA certificates in this PEM bundle'
            cand --timeout 'Give up after this many seconds: on the BMC (all requests of a command for one host together, plus documented retry pauses), and separately on waiting for a lock'
            cand --password-stdin 'Read the password from the first line of standard input'
            cand --force 'End the cached session first and log in anew'
            cand --token-stdin 'Adopt a session created elsewhere: read its token from standard input (no password)'
            cand --dry-run 'Say what would be done (reuse, create, delete which URI) and change nothing'
            cand -k 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --insecure 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --json 'Print one JSON document instead of text (login, sessions, whoami, logout)'
            cand -v 'Show each request and response line and headers on stderr, secrets redacted'
            cand --verbose 'Show each request and response line and headers on stderr, secrets redacted'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rfsession;get'= {
            cand --hosts 'Run for every HOST in this file (one per line, # comments; - for standard input); prints one JSON line per host as each finishes'
            cand -j 'With --hosts or --all: how many hosts at once'
            cand --jobs 'With --hosts or --all: how many hosts at once'
            cand --pointer 'Print the value at this JSON pointer (strings without quotes), e.g. /PowerState'
            cand --max-body 'Refuse to parse a body larger than this (K, M, G suffixes); --raw is not limited'
            cand -u 'User name for a login again after the BMC dropped the session (needs a password source)'
            cand --user 'User name for a login again after the BMC dropped the session (needs a password source)'
            cand --password-file 'Read the password from the first line of this file (keep it mode 0600)'
            cand -p 'The password itself (visible to other users in the process list; prefer the others)'
            cand --password 'The password itself (visible to other users in the process list; prefer the others)'
            cand --cache-dir 'Cache directory [default: ~/.local/state/rfsession]'
            cand --cacert 'Trust the CA certificates in this PEM bundle'
            cand --timeout 'Give up after this many seconds: on the BMC (all requests of a command for one host together, plus documented retry pauses), and separately on waiting for a lock'
            cand --raw 'Write the body bytes unchanged (streamed; one PATH only)'
            cand --all-pages 'Follow Members@odata.nextLink and print one merged collection'
            cand --ndjson 'With several PATHs, print one compact body per line instead of a JSON array'
            cand --password-stdin 'Read the password from the first line of standard input'
            cand -k 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --insecure 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --json 'Print one JSON document instead of text (login, sessions, whoami, logout)'
            cand -v 'Show each request and response line and headers on stderr, secrets redacted'
            cand --verbose 'Show each request and response line and headers on stderr, secrets redacted'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rfsession;sessions'= {
            cand --cache-dir 'Cache directory [default: ~/.local/state/rfsession]'
            cand --cacert 'Trust the CA certificates in this PEM bundle'
            cand --timeout 'Give up after this many seconds: on the BMC (all requests of a command for one host together, plus documented retry pauses), and separately on waiting for a lock'
            cand --cached 'List what the local cache holds, for every host; the token is never shown'
            cand -k 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --insecure 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --json 'Print one JSON document instead of text (login, sessions, whoami, logout)'
            cand -v 'Show each request and response line and headers on stderr, secrets redacted'
            cand --verbose 'Show each request and response line and headers on stderr, secrets redacted'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rfsession;whoami'= {
            cand --hosts 'Run for every HOST in this file (one per line, # comments; - for standard input); prints one JSON line per host as each finishes'
            cand -j 'With --hosts or --all: how many hosts at once'
            cand --jobs 'With --hosts or --all: how many hosts at once'
            cand --cache-dir 'Cache directory [default: ~/.local/state/rfsession]'
            cand --cacert 'Trust the CA certificates in this PEM bundle'
            cand --timeout 'Give up after this many seconds: on the BMC (all requests of a command for one host together, plus documented retry pauses), and separately on waiting for a lock'
            cand -k 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --insecure 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --json 'Print one JSON document instead of text (login, sessions, whoami, logout)'
            cand -v 'Show each request and response line and headers on stderr, secrets redacted'
            cand --verbose 'Show each request and response line and headers on stderr, secrets redacted'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rfsession;logout'= {
            cand --hosts 'Run for every HOST in this file (one per line, # comments; - for standard input); prints one JSON line per host as each finishes'
            cand -j 'With --hosts or --all: how many hosts at once'
            cand --jobs 'With --hosts or --all: how many hosts at once'
            cand --session 'Delete this session (an id or URI, as `rfsession sessions HOST` shows) instead of yours; an administrator may delete any session'
            cand --user 'With --others: that user''s sessions [default: the cached session''s user]'
            cand --older-than 'With --others: only sessions created longer ago than this (90s, 30m, 12h, 7d)'
            cand --cache-dir 'Cache directory [default: ~/.local/state/rfsession]'
            cand --cacert 'Trust the CA certificates in this PEM bundle'
            cand --timeout 'Give up after this many seconds: on the BMC (all requests of a command for one host together, plus documented retry pauses), and separately on waiting for a lock'
            cand --all 'Log out of every cached host, in parallel'
            cand --others 'End every other session of the user (sessions leaked by other tools), keeping the one rfsession holds for HOST'
            cand --any-user 'With --others: every user''s sessions (needs the BMC''s permission to end them)'
            cand --dry-run 'Say which session would be deleted and change nothing'
            cand -k 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --insecure 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --json 'Print one JSON document instead of text (login, sessions, whoami, logout)'
            cand -v 'Show each request and response line and headers on stderr, secrets redacted'
            cand --verbose 'Show each request and response line and headers on stderr, secrets redacted'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rfsession;post'= {
            cand -d 'The JSON body itself, @FILE, or @- for standard input'
            cand --data 'The JSON body itself, @FILE, or @- for standard input'
            cand --if-match 'If-Match for PATCH and PUT: auto (the resource''s ETag, read first), none, or an ETag [default: auto]; never sent with POST or DELETE'
            cand --wait-timeout 'With --wait: give up waiting after this many seconds (exit 5)'
            cand -u 'User name for a login again after the BMC dropped the session (needs a password source)'
            cand --user 'User name for a login again after the BMC dropped the session (needs a password source)'
            cand --password-file 'Read the password from the first line of this file (keep it mode 0600)'
            cand -p 'The password itself (visible to other users in the process list; prefer the others)'
            cand --password 'The password itself (visible to other users in the process list; prefer the others)'
            cand --cache-dir 'Cache directory [default: ~/.local/state/rfsession]'
            cand --cacert 'Trust the CA certificates in this PEM bundle'
            cand --timeout 'Give up after this many seconds: on the BMC (all requests of a command for one host together, plus documented retry pauses), and separately on waiting for a lock'
            cand --wait 'When the BMC answers 202 with a task monitor, wait for the task and print its end'
            cand --dry-run 'Show what would be sent and send nothing'
            cand --password-stdin 'Read the password from the first line of standard input'
            cand -k 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --insecure 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --json 'Print one JSON document instead of text (login, sessions, whoami, logout)'
            cand -v 'Show each request and response line and headers on stderr, secrets redacted'
            cand --verbose 'Show each request and response line and headers on stderr, secrets redacted'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rfsession;patch'= {
            cand -d 'The JSON body itself, @FILE, or @- for standard input'
            cand --data 'The JSON body itself, @FILE, or @- for standard input'
            cand --if-match 'If-Match for PATCH and PUT: auto (the resource''s ETag, read first), none, or an ETag [default: auto]; never sent with POST or DELETE'
            cand --wait-timeout 'With --wait: give up waiting after this many seconds (exit 5)'
            cand -u 'User name for a login again after the BMC dropped the session (needs a password source)'
            cand --user 'User name for a login again after the BMC dropped the session (needs a password source)'
            cand --password-file 'Read the password from the first line of this file (keep it mode 0600)'
            cand -p 'The password itself (visible to other users in the process list; prefer the others)'
            cand --password 'The password itself (visible to other users in the process list; prefer the others)'
            cand --cache-dir 'Cache directory [default: ~/.local/state/rfsession]'
            cand --cacert 'Trust the CA certificates in this PEM bundle'
            cand --timeout 'Give up after this many seconds: on the BMC (all requests of a command for one host together, plus documented retry pauses), and separately on waiting for a lock'
            cand --wait 'When the BMC answers 202 with a task monitor, wait for the task and print its end'
            cand --dry-run 'Show what would be sent and send nothing'
            cand --password-stdin 'Read the password from the first line of standard input'
            cand -k 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --insecure 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --json 'Print one JSON document instead of text (login, sessions, whoami, logout)'
            cand -v 'Show each request and response line and headers on stderr, secrets redacted'
            cand --verbose 'Show each request and response line and headers on stderr, secrets redacted'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rfsession;put'= {
            cand -d 'The JSON body itself, @FILE, or @- for standard input'
            cand --data 'The JSON body itself, @FILE, or @- for standard input'
            cand --if-match 'If-Match for PATCH and PUT: auto (the resource''s ETag, read first), none, or an ETag [default: auto]; never sent with POST or DELETE'
            cand --wait-timeout 'With --wait: give up waiting after this many seconds (exit 5)'
            cand -u 'User name for a login again after the BMC dropped the session (needs a password source)'
            cand --user 'User name for a login again after the BMC dropped the session (needs a password source)'
            cand --password-file 'Read the password from the first line of this file (keep it mode 0600)'
            cand -p 'The password itself (visible to other users in the process list; prefer the others)'
            cand --password 'The password itself (visible to other users in the process list; prefer the others)'
            cand --cache-dir 'Cache directory [default: ~/.local/state/rfsession]'
            cand --cacert 'Trust the CA certificates in this PEM bundle'
            cand --timeout 'Give up after this many seconds: on the BMC (all requests of a command for one host together, plus documented retry pauses), and separately on waiting for a lock'
            cand --wait 'When the BMC answers 202 with a task monitor, wait for the task and print its end'
            cand --dry-run 'Show what would be sent and send nothing'
            cand --password-stdin 'Read the password from the first line of standard input'
            cand -k 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --insecure 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --json 'Print one JSON document instead of text (login, sessions, whoami, logout)'
            cand -v 'Show each request and response line and headers on stderr, secrets redacted'
            cand --verbose 'Show each request and response line and headers on stderr, secrets redacted'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rfsession;delete'= {
            cand -d 'The JSON body itself, @FILE, or @- for standard input'
            cand --data 'The JSON body itself, @FILE, or @- for standard input'
            cand --if-match 'If-Match for PATCH and PUT: auto (the resource''s ETag, read first), none, or an ETag [default: auto]; never sent with POST or DELETE'
            cand --wait-timeout 'With --wait: give up waiting after this many seconds (exit 5)'
            cand -u 'User name for a login again after the BMC dropped the session (needs a password source)'
            cand --user 'User name for a login again after the BMC dropped the session (needs a password source)'
            cand --password-file 'Read the password from the first line of this file (keep it mode 0600)'
            cand -p 'The password itself (visible to other users in the process list; prefer the others)'
            cand --password 'The password itself (visible to other users in the process list; prefer the others)'
            cand --cache-dir 'Cache directory [default: ~/.local/state/rfsession]'
            cand --cacert 'Trust the CA certificates in this PEM bundle'
            cand --timeout 'Give up after this many seconds: on the BMC (all requests of a command for one host together, plus documented retry pauses), and separately on waiting for a lock'
            cand --wait 'When the BMC answers 202 with a task monitor, wait for the task and print its end'
            cand --dry-run 'Show what would be sent and send nothing'
            cand --password-stdin 'Read the password from the first line of standard input'
            cand -k 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --insecure 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --json 'Print one JSON document instead of text (login, sessions, whoami, logout)'
            cand -v 'Show each request and response line and headers on stderr, secrets redacted'
            cand --verbose 'Show each request and response line and headers on stderr, secrets redacted'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rfsession;token'= {
            cand --cache-dir 'Cache directory [default: ~/.local/state/rfsession]'
            cand --cacert 'Trust the CA certificates in this PEM bundle'
            cand --timeout 'Give up after this many seconds: on the BMC (all requests of a command for one host together, plus documented retry pauses), and separately on waiting for a lock'
            cand --header 'Print `X-Auth-Token: <token>`, for curl -H @FILE'
            cand -k 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --insecure 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --json 'Print one JSON document instead of text (login, sessions, whoami, logout)'
            cand -v 'Show each request and response line and headers on stderr, secrets redacted'
            cand --verbose 'Show each request and response line and headers on stderr, secrets redacted'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rfsession;exec'= {
            cand -u 'User name for a login again after the BMC dropped the session (needs a password source)'
            cand --user 'User name for a login again after the BMC dropped the session (needs a password source)'
            cand --password-file 'Read the password from the first line of this file (keep it mode 0600)'
            cand -p 'The password itself (visible to other users in the process list; prefer the others)'
            cand --password 'The password itself (visible to other users in the process list; prefer the others)'
            cand --cache-dir 'Cache directory [default: ~/.local/state/rfsession]'
            cand --cacert 'Trust the CA certificates in this PEM bundle'
            cand --timeout 'Give up after this many seconds: on the BMC (all requests of a command for one host together, plus documented retry pauses), and separately on waiting for a lock'
            cand --password-stdin 'Read the password from the first line of standard input'
            cand -k 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --insecure 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --json 'Print one JSON document instead of text (login, sessions, whoami, logout)'
            cand -v 'Show each request and response line and headers on stderr, secrets redacted'
            cand --verbose 'Show each request and response line and headers on stderr, secrets redacted'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rfsession;complete-path'= {
            cand --cache-dir 'Cache directory [default: ~/.local/state/rfsession]'
            cand --cacert 'Trust the CA certificates in this PEM bundle'
            cand --timeout 'Give up after this many seconds: on the BMC (all requests of a command for one host together, plus documented retry pauses), and separately on waiting for a lock'
            cand -k 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --insecure 'Skip certificate verification at login and pin the certificate seen (trust on first use)'
            cand --json 'Print one JSON document instead of text (login, sessions, whoami, logout)'
            cand -v 'Show each request and response line and headers on stderr, secrets redacted'
            cand --verbose 'Show each request and response line and headers on stderr, secrets redacted'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'rfsession;help'= {
            cand login 'Log in, or reuse the cached session if the BMC still accepts it'
            cand get 'GET one or more Redfish paths with the cached session and print the JSON'
            cand sessions 'List the BMC''s sessions (yours marked), or with --cached what the local cache holds'
            cand whoami 'Show the cached session for HOST and whether the BMC still accepts it'
            cand logout 'End the cached session on the BMC and forget it'
            cand post 'POST with the cached session: create a member of a collection, or run an action'
            cand patch 'PATCH a resource with the cached session (If-Match read from the resource first)'
            cand put 'PUT (replace) a resource with the cached session'
            cand delete 'DELETE a resource with the cached session'
            cand token 'Print the cached session token, for other tools (never put it in argv)'
            cand exec 'Run COMMAND with the cached session in its environment (RFSESSION_TOKEN, ...)'
            cand complete-path 'Complete the Redfish PATH being typed in WORDS (the command line so far), live from the BMC with the cached session; for the shell completion scripts'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'rfsession;help;login'= {
        }
        &'rfsession;help;get'= {
        }
        &'rfsession;help;sessions'= {
        }
        &'rfsession;help;whoami'= {
        }
        &'rfsession;help;logout'= {
        }
        &'rfsession;help;post'= {
        }
        &'rfsession;help;patch'= {
        }
        &'rfsession;help;put'= {
        }
        &'rfsession;help;delete'= {
        }
        &'rfsession;help;token'= {
        }
        &'rfsession;help;exec'= {
        }
        &'rfsession;help;complete-path'= {
        }
        &'rfsession;help;help'= {
        }
    ]
    $completions[$command]
}
