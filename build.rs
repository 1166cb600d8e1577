// On Linux with glibc, link the unwinder from libgcc_eh.a instead of loading libgcc_s.so.1,
// which this program needs only to unwind a panic or print a backtrace. Every call is a new
// process: the extra library's load and its CPU-detection constructor cost about 0.1 ms of a
// 1.8 ms warm get on the project's machine (README, Performance). Where the C compiler that
// links has no libgcc_eh.a, libgcc_s.so.1 is loaded as before.
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let cfg = |name: &str| std::env::var(name).unwrap_or_default();
    if cfg("CARGO_CFG_TARGET_OS") != "linux" || cfg("CARGO_CFG_TARGET_ENV") != "gnu" {
        return;
    }
    // rustc links with `cc` unless told otherwise; gcc answers the bare name when it has no
    // such file, an absolute path when it has.
    let linker = std::env::var("RUSTC_LINKER").unwrap_or_else(|_| "cc".to_owned());
    let found = std::process::Command::new(&linker)
        .arg("-print-file-name=libgcc_eh.a")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .is_some_and(|p| std::path::Path::new(&p).is_absolute());
    if found {
        println!("cargo::rustc-link-lib=static:-bundle=gcc_eh");
    }
}
