//! The integration tests: the built binary against emulated BMCs over TLS, one module per
//! area, linked once (as cargo's own testsuite is).

mod adopt;
mod answers;
mod basic_auth;
mod comforts;
mod commands;
mod common;
mod concurrency;
mod demo;
mod docs;
mod faults;
mod fleet;
mod generate;
mod hardening;
mod hardening2;
mod holds;
mod links;
mod messages;
mod others;
mod persist;
mod platform;
mod reach;
mod readme;
mod tls;
mod vendors;
mod writes;
