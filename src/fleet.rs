//! Many hosts at once: a fixed number of workers, each host on its own (a hung host holds
//! up no other), a progress line on a terminal and nothing when piped. Each result is handed
//! to `on_result` as it comes (completion order); all of them are returned in host order.

use std::io::{self, IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::host::Host;

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
    std::thread::scope(|s| {
        for _ in 0..jobs.clamp(1, total.max(1)) {
            s.spawn(|| {
                while let Some(h) = hosts.get(next.fetch_add(1, Ordering::Relaxed)) {
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
            });
        }
    });
    if progress && total > 0 {
        let _ = writeln!(io::stderr().lock());
    }
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by(|a, b| a.0.cmp(&b.0));
    results
}
