//! The exit codes, defined once. The error mapping, `--help`, the man pages and the README's
//! table all come from this enum (a test compares the README with it).

use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum ExitCode {
    Success = 0,
    Failure = 1,
    Usage = 2,
    Credentials = 3,
    NoSession = 4,
    Connection = 5,
    Bmc = 6,
    Cache = 7,
    /// As shells say for a program that cannot be run (`exec`).
    CannotRun = 126,
    /// As shells say for a program that is not found (`exec`).
    NotFound = 127,
}

impl ExitCode {
    pub const ALL: [ExitCode; 10] = [
        ExitCode::Success,
        ExitCode::Failure,
        ExitCode::Usage,
        ExitCode::Credentials,
        ExitCode::NoSession,
        ExitCode::Connection,
        ExitCode::Bmc,
        ExitCode::Cache,
        ExitCode::CannotRun,
        ExitCode::NotFound,
    ];

    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn meaning(self) -> &'static str {
        match self {
            ExitCode::Success => "success",
            ExitCode::Failure => "other error (output could not be written, no value at --pointer)",
            ExitCode::Usage => {
                "usage error (bad arguments, no user or password source, unreadable --cacert)"
            }
            ExitCode::Credentials => "the BMC rejected the credentials",
            ExitCode::NoSession => {
                "no valid session: not logged in, or the BMC no longer accepts the cached token"
            }
            ExitCode::Connection => "connection, TLS, proxy or timeout failure",
            ExitCode::Bmc => {
                "the BMC answered with another error (status, invalid JSON, session table full, a link to another host)"
            }
            ExitCode::Cache => {
                "local cache problem (unreadable entry, unsafe permissions, lock wait exceeded)"
            }
            ExitCode::CannotRun => {
                "exec: the COMMAND cannot be run (not executable), as shells say"
            }
            ExitCode::NotFound => "exec: the COMMAND was not found, as shells say",
        }
    }

    /// Several hosts' results in one exit code: the highest wins, so any failure shows.
    pub fn merge(self, other: ExitCode) -> ExitCode {
        self.max(other)
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(c: ExitCode) -> Self {
        std::process::ExitCode::from(c.code())
    }
}

/// "Exit codes:" and one indented line per code, for `--help` and the man pages.
pub fn help_text() -> String {
    let mut s = String::from("Exit codes:");
    for c in ExitCode::ALL {
        let _ = write!(s, "\n  {}  {}", c.code(), c.meaning());
    }
    s
}

/// The README's table rows, `| code | meaning |`.
pub fn markdown_rows() -> String {
    ExitCode::ALL
        .iter()
        .map(|c| format!("| {} | {} |\n", c.code(), c.meaning()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_ordered() {
        for (i, c) in ExitCode::ALL[..8].iter().enumerate() {
            assert_eq!(usize::from(c.code()), i);
        }
        assert!(ExitCode::ALL.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            ExitCode::NoSession
                .merge(ExitCode::Bmc)
                .merge(ExitCode::Success),
            ExitCode::Bmc
        );
    }
}
