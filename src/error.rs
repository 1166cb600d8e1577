//! The top-level error: what the operator reads, and the documented exit code.

use std::io;

use crate::cache::CacheError;
use crate::redfish::RedfishError;
use crate::transport::TransportError;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Cache(#[from] CacheError),
    #[error(transparent)]
    Redfish(#[from] RedfishError),
    #[error("not logged in; run: rfsession login HOST")]
    NotLoggedIn,
    #[error(
        "the BMC created a session but the cache could not keep it ({source}); {}",
        if *.deleted { "the session was deleted again on the BMC" } else { "the session could not be deleted again and will expire on the BMC" }
    )]
    NotSaved { source: CacheError, deleted: bool },
    #[error(
        "{failed} of {total} hosts failed (listed above); they stay cached: run the command again to retry"
    )]
    SomeFailed {
        failed: usize,
        total: usize,
        code: u8,
    },
    #[error("cannot write output: {0}")]
    Output(io::Error),
    #[error("{path} has no value at JSON pointer {pointer}")]
    NoValue { path: String, pointer: String },
    #[error("{host}: {}", .source.to_string().replace(" HOST", &format!(" {host}")))]
    OnHost { host: String, source: Box<Error> },
}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        Error::Redfish(RedfishError::Transport(e))
    }
}

impl Error {
    /// Attach the host the error is about, for the operator's one line.
    pub fn on(self, host: &impl ToString) -> Error {
        match self {
            e @ (Error::OnHost { .. } | Error::Usage(_) | Error::SomeFailed { .. }) => e,
            e => Error::OnHost {
                host: host.to_string(),
                source: Box::new(e),
            },
        }
    }

    /// The documented exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => 2,
            Error::Cache(_) | Error::NotSaved { .. } => 7,
            Error::NotLoggedIn => 4,
            Error::SomeFailed { code, .. } => *code,
            Error::Output(_) | Error::NoValue { .. } => 1,
            Error::OnHost { source, .. } => source.exit_code(),
            Error::Redfish(r) => match r {
                RedfishError::Rejected { .. } => 3,
                RedfishError::Unauthorized { .. } => 4,
                RedfishError::Transport(t) => match t {
                    TransportError::TooLarge(_) | TransportError::ForeignRedirect(_) => 6,
                    TransportError::Output(_) => 1,
                    _ => 5,
                },
                _ => 6,
            },
        }
    }

    /// A closed stdout (`rfsession get ... | head`) is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            Error::Output(e)
            | Error::Redfish(RedfishError::Transport(TransportError::Output(e))) => {
                e.kind() == io::ErrorKind::BrokenPipe
            }
            Error::OnHost { source, .. } => source.is_broken_pipe(),
            _ => false,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
