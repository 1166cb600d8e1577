// On Linux with glibc, link the unwinder from libgcc_eh.a instead of loading libgcc_s.so.1,
// which this program needs only to unwind a panic or print a backtrace. Every call is a new
// process: the extra library's load and its CPU-detection constructor cost about 0.1 ms of a
// 2 ms warm get on the project's machine (README, Performance).
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let cfg = |name: &str| std::env::var(name).unwrap_or_default();
    if cfg("CARGO_CFG_TARGET_OS") == "linux" && cfg("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo::rustc-link-lib=static:-bundle=gcc_eh");
    }
}
