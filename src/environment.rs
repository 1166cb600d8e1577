//! Every environment variable rfsession reads, declared once (as uv's `env_vars.rs`): the
//! clap definition names them from here, and the ENVIRONMENT text of `--help` and the man
//! pages is generated from this list, so a variable cannot be read without being documented.

pub const HOST: &str = "RFSESSION_HOST";
pub const USER: &str = "RFSESSION_USER";
pub const PASSWORD: &str = "RFSESSION_PASSWORD";
pub const CACHE_DIR: &str = "RFSESSION_CACHE_DIR";
pub const CONFIG: &str = "RFSESSION_CONFIG";
pub const PERSIST: &str = "RFSESSION_PERSIST";
pub const KEEPER_HOSTS: &str = "RFSESSION_KEEPER_HOSTS";
pub const NETRC: &str = "NETRC";

/// One documented variable (or a group read alike), as `--help` shows it.
pub struct Var {
    pub names: &'static str,
    pub help: &'static str,
}

/// In the order `--help` lists them.
pub const VARS: &[Var] = &[
    Var {
        names: HOST,
        help: "HOST when the argument is omitted (a first word starting with / is a PATH)",
    },
    Var {
        names: USER,
        help: "user name for login (-u beats it)",
    },
    Var {
        names: PASSWORD,
        help: "password, for cron jobs (any password flag beats it)",
    },
    Var {
        names: CACHE_DIR,
        help: "cache directory (--cache-dir beats it)",
    },
    Var {
        names: CONFIG,
        help: "settings file (--config beats it) [default: ~/.config/rfsession/config.toml]",
    },
    Var {
        names: "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY",
        help: "proxies, as curl reads them",
    },
    Var {
        names: "SSL_CERT_FILE, SSL_CERT_DIR",
        help: "the system's CA store, as OpenSSL reads them",
    },
    Var {
        names: NETRC,
        help: "the netrc file [default: ~/.netrc]",
    },
    Var {
        names: PERSIST,
        help: "keep connections open this long between calls (--persist beats it)",
    },
    Var {
        names: KEEPER_HOSTS,
        help: "connections a starting keeper holds at most [default: 1024]",
    },
];

/// The ENVIRONMENT text of `--help` and the man pages: a heading line, then one line per
/// variable.
pub fn help() -> String {
    let width = VARS
        .iter()
        .map(|v| v.names.len())
        .filter(|&n| n <= 24)
        .max()
        .unwrap_or(0);
    let mut text = String::from("Environment:");
    for v in VARS {
        text.push_str(&format!("\n  {:<width$}  {}", v.names, v.help));
    }
    text
}

/// A variable's value, for the few places that read one outside clap's parsing (the
/// `HOST PATH` shift, the keeper's start): empty counts as unset, as clap counts it.
pub fn get(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// What `exec` sets for its COMMAND: written, never read.
pub const FOR_COMMAND: [&str; 4] = [
    "RFSESSION_TOKEN",
    "RFSESSION_BASE_URL",
    "RFSESSION_SESSION_URI",
    "RFSESSION_CACERT",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variable_is_listed_once() {
        let text = help();
        for v in VARS {
            assert_eq!(text.matches(v.names).count(), 1, "{}", v.names);
        }
    }

    /// Every variable named anywhere in the sources is in the registry (so documented), or
    /// one `exec` hands its COMMAND.
    #[test]
    fn no_variable_is_read_unlisted() {
        let listed: Vec<&str> = VARS
            .iter()
            .flat_map(|v| v.names.split(", "))
            .chain(FOR_COMMAND)
            .collect();
        let mut files = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Every `"NAME"` made of capitals and underscores.
            let names = text.split('"').skip(1).filter_map(|rest| {
                let end = rest.find(|c: char| !(c.is_ascii_uppercase() || c == '_'))?;
                (end > 0 && rest[end..].starts_with('"')).then(|| &rest[..end])
            });
            for quoted in names {
                let is_var = quoted.starts_with("RFSESSION_")
                    || quoted.ends_with("_PROXY")
                    || quoted.starts_with("SSL_CERT_")
                    || quoted == "NETRC";
                if is_var && !quoted.ends_with('_') {
                    assert!(
                        listed.contains(&quoted),
                        "{}: {quoted} is not in src/environment.rs",
                        path.display()
                    );
                }
            }
        }
    }
}
