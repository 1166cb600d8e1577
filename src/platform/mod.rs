//! Everything that differs between operating systems, behind one interface: a Unix side
//! (Linux and macOS, through rustix and, for signals, libc) and a Windows side (through
//! windows-sys). Outside this module `src/` has no `cfg(unix)`, no `cfg(windows)` and no
//! `unsafe`; each side implements every item re-exported here.

#[cfg(unix)]
#[path = "unix/mod.rs"]
mod os;
#[cfg(windows)]
#[path = "windows/mod.rs"]
mod os;

use std::path::PathBuf;

pub use os::{
    IpcStream, KEEPER, bind_private, check_ancestry, check_private, check_trusted,
    create_private_dir, detach, exec, exit_like, few_malloc_arenas, file_identity, interface_index,
    make_private, monotonic_ms, no_follow, peer_is_me, private_file, probed_ca_store,
    process_alive, process_name, raise_open_files, readable, signals, sync_dir,
};

pub use os::{boot_id, parent_pid, process_start};

/// Why a file or directory is not private to this user; the words fit "PATH belongs to
/// {owner}, not to you ({me})" and "PATH is open to group or others ({how}); fix with: {fix}".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exposed {
    /// Another account owns it: `uid 1000`, or a SID on Windows.
    Owner {
        owner: String,
        me: String,
        fix: String,
    },
    /// Others may read or change it: `mode 644`, or the access list's grant on Windows.
    Open { how: String, fix: String },
}

/// What is wrong on the way to the cache directory.
#[derive(Debug)]
#[cfg_attr(windows, allow(dead_code))] // Windows checks the directory's own access list.
pub enum Ancestry {
    /// A component could not be examined.
    Io(PathBuf, std::io::Error),
    /// A component another account could use to swap the cache: `what` is "a directory",
    /// "a symlink" or "a directory others can write to,", `owner` as in `Exposed::Owner`.
    Unsafe {
        path: PathBuf,
        what: &'static str,
        owner: String,
    },
}

/// Why a file others could have changed is not trusted.
#[derive(Debug)]
pub enum Distrust {
    /// A component could not be examined.
    Io(PathBuf, std::io::Error),
    /// `path` (the file, or a directory above it) is `why` ("owned by uid 1000, not by
    /// you (uid 0) or root", "writable by group or others (mode 664)"); `fix` mends it.
    Untrusted {
        path: PathBuf,
        why: String,
        fix: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_is_told_by_pid_start_and_boot() {
        let me = std::process::id();
        let start = process_start(me).expect("this process has a start time");
        assert_eq!(process_start(me), Some(start));
        assert!(process_alive(me));
        let parent = parent_pid().expect("the test runner started this process");
        assert!(process_start(parent).is_some_and(|p| p <= start));
        assert!(!boot_id().is_empty());
        assert!(process_name(me).is_some());
    }

    #[test]
    fn a_process_that_ended_is_not_alive() {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        assert!(!process_alive(pid));
        assert_eq!(process_start(pid), None);
    }
}
