//! Who a process is, told apart from a later process that reuses its pid: the pid, its start
//! time and the boot it ran in, as `platform` reads them (Linux: /proc/PID/stat field 22 and
//! the boot id; macOS: the start time from proc_pidinfo and kern.boottime; Windows: the
//! creation time).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::platform;

/// A process, as recorded in a hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessId {
    pub pid: u32,
    /// When it started, in the system's unit (0 where the platform cannot tell).
    pub start: u64,
    /// The boot it ran in ("" where the platform cannot tell).
    pub boot: String,
}

impl ProcessId {
    /// The process `pid` as it is now, if it exists.
    pub fn of(pid: u32) -> Option<ProcessId> {
        Some(ProcessId {
            pid,
            start: platform::process_start(pid)?,
            boot: platform::boot_id(),
        })
    }

    /// The process that ran this one: the shell or script that typed `rfsession ...`, while it
    /// is still the parent noted at startup. None once it has exited: this process was then
    /// adopted, by init or by a subreaper (`systemd --user`), which is no holder. Only the pid
    /// is noted at startup (no file is read on the way to every `get`); a process that started
    /// after this one is not the parent that ran it, whatever its pid.
    pub fn parent() -> Option<ProcessId> {
        let first = (*STARTED_BY.get_or_init(platform::parent_pid))?;
        if platform::parent_pid() != Some(first) {
            return None;
        }
        let parent = ProcessId::of(first)?;
        let me = platform::process_start(std::process::id())?;
        (parent.start <= me).then_some(parent)
    }

    /// Is this very process still running (not another one that got its pid)?
    pub fn alive(&self) -> bool {
        ProcessId::of(self.pid).is_some_and(|now| now == *self)
    }

    /// Its program name, for the operator (never its arguments: they may hold secrets).
    pub fn program(&self) -> String {
        platform::process_name(self.pid).unwrap_or_else(|| "?".to_owned())
    }
}
/// Notes the parent's pid as it is at startup (see `ProcessId::parent`); main calls it first.
pub fn note_parent() {
    STARTED_BY.get_or_init(platform::parent_pid);
}

/// The parent's pid noted at startup.
static STARTED_BY: OnceLock<Option<u32>> = OnceLock::new();

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
