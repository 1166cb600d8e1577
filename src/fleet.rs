//! Many hosts at once: a fixed number of workers, each host on its own (a hung host holds
//! up no other), a progress line on a terminal and nothing when piped. Each result is handed
//! to `on_result` as it comes (completion order); all of them are returned in host order.

use std::io::{self, IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
use std::time::Duration;

use crate::host::Host;
use crate::signals;

pub fn run<T: Send>(
    hosts: Vec<Host>,
    jobs: usize,
    verb: &str,
    progress: bool,
    work: impl Fn(&Host) -> T + Sync,
    on_result: impl Fn(&Host, &T) + Sync,
) -> Vec<(Host, T)> {
    let total = hosts.len();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(total));
    let progress = progress && io::stderr().is_terminal();
    // Ctrl-C (or TERM, HUP, QUIT) stops handing out hosts; the workers in flight finish
    // theirs (a login between its POST and its entry is never cut short), then the process
    // ends by the signal. Held back here, so every worker starts with it held back.
    let held = signals::defer();
    let caught = AtomicI32::new(0);
    let finished = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            while !finished.load(Ordering::SeqCst) {
                if let Some(sig) = signals::take_pending(Duration::from_millis(50)) {
                    caught.store(sig, Ordering::SeqCst);
                }
            }
        });
        let workers: Vec<_> = (0..jobs.clamp(1, total.max(1)))
            .map(|_| {
                s.spawn(|| {
                    while caught.load(Ordering::SeqCst) == 0
                        && let Some(h) = hosts.get(next.fetch_add(1, Ordering::Relaxed))
                    {
                        let r = work(h);
                        let mut all = results.lock().unwrap_or_else(|e| e.into_inner());
                        on_result(h, &r);
                        all.push((h.clone(), r));
                        drop(all);
                        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                        if progress {
                            let _ = write!(io::stderr().lock(), "\rrfsession: {verb} {n}/{total}");
                        }
                    }
                })
            })
            .collect();
        let ended: Vec<_> = workers.into_iter().map(|w| w.join()).collect();
        finished.store(true, Ordering::SeqCst);
        if let Some(panicked) = ended.into_iter().find_map(Result::err) {
            std::panic::resume_unwind(panicked);
        }
    });
    drop(held);
    match caught.load(Ordering::SeqCst) {
        0 => {}
        sig => {
            if progress {
                let _ = writeln!(io::stderr().lock());
            }
            signals::die_by(sig)
        }
    }
    if progress && total > 0 {
        let _ = writeln!(io::stderr().lock());
    }
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by(|a, b| a.0.cmp(&b.0));
    results
}
