//! The integration tests: the built binary against emulated BMCs over TLS, one module per
//! subject (what is tested, not when or why it was written), linked once (as cargo's own
//! testsuite is).

mod adopt;
mod basic_auth;
mod cache;
mod cli;
mod common;
mod concurrency;
mod demo;
mod docs;
mod faults;
mod fleet;
mod holds;
mod keeper;
mod lifecycle;
mod links;
mod messages;
mod output;
mod passwords;
mod platform;
mod proxy;
mod readme;
mod secrets;
mod sessions;
mod settings;
mod tls;
mod vendors;
mod writes;
