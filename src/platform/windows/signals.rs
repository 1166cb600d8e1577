//! Console control on Windows, as the Unix side handles signals: Ctrl-C, Ctrl-Break and
//! closing the console wait while a login is between its session POST and the entry write,
//! and reach `exec`'s child, not this process, while it runs.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use windows_sys::Win32::Foundation::{FALSE, TRUE};
use windows_sys::Win32::System::Console::{CTRL_BREAK_EVENT, CTRL_C_EVENT, SetConsoleCtrlHandler};
use windows_sys::core::BOOL;

/// Sections holding events back; the event that arrived meanwhile, plus one.
static DEFERRING: AtomicU32 = AtomicU32::new(0);
static PENDING: AtomicU32 = AtomicU32::new(0);
/// `exec`'s child is running: it gets the console's events; this process waits for it.
static CHILD: AtomicBool = AtomicBool::new(false);
/// The exit status Windows gives a process ended by Ctrl-C.
const CONTROL_C_EXIT: u32 = 0xC000_013A;

unsafe extern "system" fn on_event(event: u32) -> BOOL {
    if CHILD.load(Ordering::SeqCst) {
        // The child shares the console and gets the event too; this process ends with it.
        return TRUE;
    }
    if DEFERRING.load(Ordering::SeqCst) == 0 {
        return FALSE; // The default: end the process.
    }
    PENDING.store(event + 1, Ordering::SeqCst);
    if event == CTRL_C_EVENT || event == CTRL_BREAK_EVENT {
        return TRUE; // Taken up when the section ends.
    }
    // The handler runs on its own thread, and after a console close the process ends when
    // it returns: it waits here (Windows allows some seconds) until the section is done.
    while DEFERRING.load(Ordering::SeqCst) > 0 {
        std::thread::sleep(Duration::from_millis(5));
    }
    FALSE
}

/// At start-up: install the console handler. (Windows writes no core files; a crash report
/// would go through Windows Error Reporting, which the user controls.)
pub fn harden() {
    // SAFETY: registers a handler that touches only atomics and sleeps.
    unsafe {
        SetConsoleCtrlHandler(Some(on_event), TRUE);
    }
}

/// Nothing to undo before `exec` here.
pub fn unharden() {}

/// Holds Ctrl-C, Ctrl-Break and console close back until dropped; one that arrived
/// meanwhile then ends the process, as it would have.
#[must_use = "events are held back only while this lives"]
pub struct Deferred(());

pub fn defer() -> Deferred {
    DEFERRING.fetch_add(1, Ordering::SeqCst);
    Deferred(())
}

impl Drop for Deferred {
    fn drop(&mut self) {
        if DEFERRING.fetch_sub(1, Ordering::SeqCst) == 1 && PENDING.load(Ordering::SeqCst) != 0 {
            die_by(0);
        }
    }
}

/// An event held back meanwhile, taken within `wait`; for a fleet's watcher, which then
/// stops handing out hosts and ends by `die_by`.
pub fn take_pending(wait: Duration) -> Option<i32> {
    let until = std::time::Instant::now() + wait;
    loop {
        match PENDING.swap(0, Ordering::SeqCst) {
            0 if std::time::Instant::now() < until => {
                std::thread::sleep(Duration::from_millis(10).min(wait))
            }
            0 => return None,
            event => return Some(event as i32),
        }
    }
}

/// End this process as Ctrl-C does on Windows.
pub fn die_by(_event: i32) -> ! {
    std::process::exit(CONTROL_C_EXIT as i32)
}

/// Run `cmd` and wait for it, as a shell runs a foreground job: the console's Ctrl-C
/// reaches the child; this process outlives it, to clean up.
pub fn run_child(cmd: &mut std::process::Command) -> std::io::Result<std::process::ExitStatus> {
    CHILD.store(true, Ordering::SeqCst);
    let mut child = cmd.spawn()?;
    child.wait()
}
