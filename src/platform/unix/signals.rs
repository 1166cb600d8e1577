//! Process-wide hardening, and the one stretch a signal must not cut short: between the
//! session POST and the cache write, a login either keeps the session or deletes it again.

use std::mem::MaybeUninit;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicI32, Ordering};

/// The core-file limit the process started with, for a child run by `exec`.
static CORE_LIMIT: OnceLock<libc::rlimit> = OnceLock::new();

/// At start-up: no core dumps (the process holds tokens and aborts on panic), no ptrace or
/// /proc/PID/environ for other processes of the user (as ssh-agent), and a file-size limit
/// turns a write into an error (EFBIG) instead of killing the process mid-write.
pub fn harden() {
    unsafe {
        let mut old = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_CORE, &mut old) == 0 {
            let _ = CORE_LIMIT.set(old);
        }
        // The soft limit only, so that `unharden` can give a child the limit back.
        let no_core = libc::rlimit {
            rlim_cur: 0,
            rlim_max: old.rlim_max,
        };
        libc::setrlimit(libc::RLIMIT_CORE, &no_core);
        // macOS has no prctl: there the core limit above is what keeps tokens off disk.
        #[cfg(any(target_os = "linux", target_os = "android"))]
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// Undo `harden` for a program this process is about to become (`exec`): its SIGXFSZ and
/// core dumps are its own business. (Dumpability is reset by execve itself.)
pub fn unharden() {
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_DFL);
        if let Some(old) = CORE_LIMIT.get() {
            libc::setrlimit(libc::RLIMIT_CORE, old);
        }
    }
}

/// Holds SIGINT, SIGTERM, SIGHUP and SIGQUIT back until dropped; one that arrived meanwhile
/// is delivered then, with its usual effect.
#[must_use = "signals are held back only while this lives"]
pub struct Deferred {
    old: libc::sigset_t,
}

const DEFERRED: [libc::c_int; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

fn deferred_set() -> libc::sigset_t {
    unsafe {
        let mut set = MaybeUninit::<libc::sigset_t>::uninit();
        libc::sigemptyset(set.as_mut_ptr());
        let mut set = set.assume_init();
        for sig in DEFERRED {
            libc::sigaddset(&mut set, sig);
        }
        set
    }
}

/// The mask is per thread and a thread starts with its creator's: a fleet calls this before
/// it starts its workers, so that no signal cuts a worker's POST-to-entry window short.
pub fn defer() -> Deferred {
    unsafe {
        let set = deferred_set();
        let mut old = MaybeUninit::<libc::sigset_t>::uninit();
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, old.as_mut_ptr());
        Deferred {
            old: old.assume_init(),
        }
    }
}

impl Drop for Deferred {
    fn drop(&mut self) {
        unsafe {
            libc::pthread_sigmask(libc::SIG_SETMASK, &self.old, std::ptr::null_mut());
        }
    }
}

/// A deferred signal that arrived (and would end the process) while they are held back,
/// taken within `wait`; for a fleet's watcher, which then stops handing out hosts.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub fn take_pending(wait: std::time::Duration) -> Option<libc::c_int> {
    let set = deferred_set();
    let ts = libc::timespec {
        tv_sec: wait.as_secs() as libc::time_t,
        tv_nsec: wait.subsec_nanos() as libc::c_long,
    };
    let sig = unsafe { libc::sigtimedwait(&set, std::ptr::null_mut(), &ts) };
    (sig > 0 && !ignored(sig)).then_some(sig)
}

/// macOS has no sigtimedwait: look at the pending set until `wait` is over, and take a
/// pending signal with sigwait, which then returns at once.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub fn take_pending(wait: std::time::Duration) -> Option<libc::c_int> {
    let until = std::time::Instant::now() + wait;
    loop {
        unsafe {
            let mut pending = MaybeUninit::<libc::sigset_t>::uninit();
            libc::sigemptyset(pending.as_mut_ptr());
            let mut pending = pending.assume_init();
            libc::sigpending(&mut pending);
            for sig in DEFERRED {
                if libc::sigismember(&pending, sig) == 1 {
                    let mut one = MaybeUninit::<libc::sigset_t>::uninit();
                    libc::sigemptyset(one.as_mut_ptr());
                    let mut one = one.assume_init();
                    libc::sigaddset(&mut one, sig);
                    let mut got = 0;
                    libc::sigwait(&one, &mut got);
                    if !ignored(sig) {
                        return Some(sig);
                    }
                }
            }
        }
        if std::time::Instant::now() >= until {
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

fn ignored(sig: libc::c_int) -> bool {
    unsafe {
        let mut old = MaybeUninit::<libc::sigaction>::zeroed().assume_init();
        libc::sigaction(sig, std::ptr::null(), &mut old) == 0 && old.sa_sigaction == libc::SIG_IGN
    }
}

/// The child `exec` runs and waits for, to be told of SIGTERM and SIGHUP sent to us; one
/// that arrives before the child exists waits in PENDING.
static CHILD: AtomicI32 = AtomicI32::new(0);
static PENDING: AtomicI32 = AtomicI32::new(0);

extern "C" fn forward(sig: libc::c_int) {
    match CHILD.load(Ordering::SeqCst) {
        0 => PENDING.store(sig, Ordering::SeqCst),
        pid => unsafe {
            libc::kill(pid, sig);
        },
    }
}

/// Run `cmd` and wait for it, as a shell runs a foreground job: Ctrl-C and Ctrl-\ reach the
/// child from the terminal and are ignored here; SIGTERM and SIGHUP sent to this process are
/// passed on to the child. Either way this process outlives it, to clean up.
pub fn run_child(cmd: &mut std::process::Command) -> std::io::Result<std::process::ExitStatus> {
    let handler = forward as extern "C" fn(libc::c_int) as libc::sighandler_t;
    // A handler (unlike SIG_IGN) is reset by execve: the child starts as this process did.
    unsafe {
        libc::signal(libc::SIGTERM, handler);
        libc::signal(libc::SIGHUP, handler);
    }
    let mut child = cmd.spawn()?;
    CHILD.store(child.id() as i32, Ordering::SeqCst);
    let early = PENDING.swap(0, Ordering::SeqCst);
    unsafe {
        if early != 0 {
            libc::kill(child.id() as i32, early);
        }
        libc::signal(libc::SIGINT, libc::SIG_IGN);
        libc::signal(libc::SIGQUIT, libc::SIG_IGN);
    }
    child.wait()
}

/// End this process by `sig`, as the child did, so the shell sees the same (128+N).
pub fn die_by(sig: libc::c_int) -> ! {
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
    std::process::exit(128 + sig)
}
