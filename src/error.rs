//! The top-level error: what the operator reads, and its exit code from `exit::ExitCode`.

use std::io;

use crate::cache::CacheError;
use crate::exit::ExitCode;
use crate::redfish::RedfishError;
use crate::session::SessionError;
use crate::tls::TlsSetupError;
use crate::transport::TransportError;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Settings(#[from] crate::settings::SettingsError),
    #[error("{failed} of {total} hosts failed ({hint})")]
    SomeFailed {
        failed: usize,
        total: usize,
        code: ExitCode,
        hint: &'static str,
    },
    #[error("{failed} of {total} sessions could not be ended (listed above)")]
    SessionsKept { failed: usize, total: usize },
    #[error("cannot write output: {0}")]
    Output(#[from] io::Error),
    #[error("{path} has no value at JSON pointer {pointer}; {nearest}")]
    NoValue {
        path: String,
        pointer: String,
        /// What the document has at the deepest part of the pointer it does have.
        nearest: String,
    },
    #[error("{failed} of {total} paths failed (listed above)")]
    PathsFailed {
        failed: usize,
        total: usize,
        code: ExitCode,
    },
    #[error("cannot run {program}: {detail}")]
    Exec {
        program: String,
        detail: String,
        code: ExitCode,
    },
    #[error("{host}: {source}")]
    OnHost { host: String, source: Box<Error> },
}

impl From<RedfishError> for Error {
    fn from(e: RedfishError) -> Self {
        Error::Session(e.into())
    }
}

impl From<crate::transport::TransportError> for Error {
    fn from(e: crate::transport::TransportError) -> Self {
        Error::Session(e.into())
    }
}

impl From<crate::password::PasswordError> for Error {
    fn from(e: crate::password::PasswordError) -> Self {
        Error::Session(e.into())
    }
}

impl From<CacheError> for Error {
    fn from(e: CacheError) -> Self {
        Error::Session(e.into())
    }
}

impl Error {
    /// Attach the host the error is about, for the operator's one line.
    pub fn on(self, host: &impl ToString) -> Error {
        match self {
            e @ (Error::OnHost { .. }
            | Error::Usage(_)
            | Error::SomeFailed { .. }
            | Error::PathsFailed { .. }
            | Error::Exec { .. }) => e,
            e => Error::OnHost {
                host: host.to_string(),
                source: Box::new(e),
            },
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Usage(_) => ExitCode::Usage,
            Error::Session(s) => session_exit(s),
            Error::Settings(e) if e.is_unsafe() => ExitCode::Cache,
            Error::Settings(_) => ExitCode::Usage,
            Error::SomeFailed { code, .. }
            | Error::PathsFailed { code, .. }
            | Error::Exec { code, .. } => *code,
            Error::SessionsKept { .. } => ExitCode::Bmc,
            Error::Output(_) | Error::NoValue { .. } => ExitCode::Failure,
            Error::OnHost { source, .. } => source.exit_code(),
        }
    }

    /// A closed stdout (`rfsession get ... | head`) is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            Error::Output(e)
            | Error::Session(SessionError::Redfish(RedfishError::Transport(
                TransportError::Output(e),
            ))) => e.kind() == io::ErrorKind::BrokenPipe,
            Error::OnHost { source, .. } => source.is_broken_pipe(),
            _ => false,
        }
    }
}

fn session_exit(e: &SessionError) -> ExitCode {
    match e {
        SessionError::NotLoggedIn { .. } => ExitCode::NoSession,
        SessionError::NoUser
        | SessionError::Password(_)
        | SessionError::BadSessionUri { .. }
        | SessionError::GivenTokenTooLarge
        | SessionError::NotTokensSession { .. }
        | SessionError::UnknownUser { .. }
        | SessionError::NoAnchors { .. } => ExitCode::Usage,
        SessionError::Cache(_) | SessionError::NotSaved { .. } => ExitCode::Cache,
        SessionError::Redfish(r) | SessionError::OldSessionKept { source: r, .. } => {
            redfish_exit(r)
        }
        SessionError::TokenTooLarge { .. } => ExitCode::Bmc,
    }
}

fn redfish_exit(e: &RedfishError) -> ExitCode {
    match e {
        RedfishError::Rejected { .. } => ExitCode::Credentials,
        RedfishError::Unauthorized { .. } => ExitCode::NoSession,
        RedfishError::Transport(t) => match t {
            TransportError::TooLarge(_)
            | TransportError::ForeignRedirect(_)
            | TransportError::NotAPath(_) => ExitCode::Bmc,
            TransportError::Output(_) => ExitCode::Failure,
            // A --cacert that cannot be read is a mistake on the command line.
            TransportError::Setup(TlsSetupError::Read { .. } | TlsSetupError::Empty { .. }) => {
                ExitCode::Usage
            }
            TransportError::Setup(TlsSetupError::BadRemembered) => ExitCode::Cache,
            _ => ExitCode::Connection,
        },
        RedfishError::TaskTimeout { .. } => ExitCode::Connection,
        _ => ExitCode::Bmc,
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
