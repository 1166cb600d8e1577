//! Who a process is, told apart from a later process that reuses its pid: the one place that
//! knows how the platform says so (on Linux: the pid, its start time in
//! /proc/PID/stat field 22, and the boot id).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// A process, as recorded in a hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessId {
    pub pid: u32,
    /// Clock ticks after boot at which it started (0 where the platform cannot tell).
    pub start: u64,
    /// The boot it ran in ("" where the platform cannot tell).
    pub boot: String,
}

impl ProcessId {
    /// The process `pid` as it is now, if it exists.
    pub fn of(pid: u32) -> Option<ProcessId> {
        Some(ProcessId {
            pid,
            start: start_time(pid)?,
            boot: boot_id(),
        })
    }

    /// The process that ran this one: the shell or script that typed `rfsession ...`, as noted
    /// at startup, while it is still the parent. None once it has exited: this process was
    /// then adopted, by init or by a subreaper (`systemd --user`), which is no holder.
    pub fn parent() -> Option<ProcessId> {
        let first = STARTED_BY.get_or_init(current_parent).as_ref()?;
        (current_parent().as_ref() == Some(first)).then(|| first.clone())
    }

    /// Is this very process still running (not another one that got its pid)?
    pub fn alive(&self) -> bool {
        ProcessId::of(self.pid).is_some_and(|now| now == *self)
    }

    /// Its program name, for the operator (never its arguments: they may hold secrets).
    pub fn program(&self) -> String {
        program(self.pid).unwrap_or_else(|| "?".to_owned())
    }
}

/// Notes the parent as it is at startup (see `ProcessId::parent`); main calls it first thing.
pub fn note_parent() {
    STARTED_BY.get_or_init(current_parent);
}

/// The parent noted at startup.
static STARTED_BY: OnceLock<Option<ProcessId>> = OnceLock::new();

fn current_parent() -> Option<ProcessId> {
    // SAFETY: getppid, getpid and getsid have no preconditions; getsid fails as -1.
    let (ppid, me, my_session, its_session) = unsafe {
        let ppid = libc::getppid();
        (ppid, libc::getpid(), libc::getsid(0), libc::getsid(ppid))
    };
    // A parent in another session did not run us, unless it made us lead a session of our
    // own: it adopted us when the shell that ran us exited, even before we started, as
    // `systemd --user` adopts the orphans of the services it starts each in a session.
    if its_session != my_session && my_session != me {
        return None;
    }
    ProcessId::of(u32::try_from(ppid).ok().filter(|&p| p > 1)?)
}

#[cfg(target_os = "linux")]
fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The program name (field 2) is in parentheses and may hold spaces or ')': count the
    // fields after the last ')'. Field 3 is the first of them, field 22 the 20th.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}

#[cfg(target_os = "linux")]
fn boot_id() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|s| s.trim().to_owned())
        .unwrap_or_default()
}

#[cfg(target_os = "linux")]
fn program(pid: u32) -> Option<String> {
    let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
    Some(comm.trim().to_owned())
}

// Elsewhere: the pid alone, which a reused pid can fool; a later platform layer does better.
#[cfg(not(target_os = "linux"))]
fn start_time(pid: u32) -> Option<u64> {
    let pid = i32::try_from(pid).ok()?;
    // SAFETY: signal 0 only checks that the process exists.
    let exists = unsafe { libc::kill(pid, 0) } == 0
        || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM);
    exists.then_some(0)
}

#[cfg(not(target_os = "linux"))]
fn boot_id() -> String {
    String::new()
}

#[cfg(not(target_os = "linux"))]
fn program(_pid: u32) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_changed_start_time_is_not() {
        let me = ProcessId::of(std::process::id()).unwrap();
        assert!(me.alive());
        let reused = ProcessId {
            start: me.start + 1,
            ..me.clone()
        };
        assert!(!reused.alive());
        let other_boot = ProcessId {
            boot: "another boot".into(),
            ..me
        };
        assert!(!other_boot.alive());
        assert!(ProcessId::parent().is_some());
    }
}
