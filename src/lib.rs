//! rfsession: one cached Redfish session per BMC, shared by every process of the user.
//!
//! Data flows one way: `cli` -> `commands` -> `session` (the lifecycle) -> `redfish` (the
//! session protocol) -> `transport`. `cache` keeps the per-host entries on disk and knows
//! nothing of HTTP. Only what the binary, the generator and the tests need is public.

mod body;
mod cache;
pub mod cli;
mod commands;
pub mod environment;
mod error;
pub mod exit;
mod fleet;
#[doc(hidden)]
pub mod generate;
pub mod host;
mod keeper;
mod links;
mod netrc;
pub mod output;
mod password;
mod platform;
mod process;
mod redfish;
mod resource;
mod secret;
mod session;
mod settings;
mod tasks;
mod timefmt;
mod tls;
mod transport;
mod x509;

pub use commands::run;
pub use error::Error;
use platform::signals;
pub use platform::signals::harden;
pub use process::note_parent;
pub use settings::KEYS as SETTINGS_KEYS;
