//! rfsession: one cached Redfish session per BMC, shared by every process of the user.
//!
//! Data flows one way: `cli` -> `commands` -> `redfish` (the session protocol) -> `transport`.
//! `cache` keeps the per-host entries on disk and knows nothing of HTTP.

pub mod cache;
pub mod cli;
pub mod commands;
pub mod error;
pub mod host;
pub mod redfish;
pub mod secret;
pub mod timefmt;
pub mod tls;
pub mod transport;
