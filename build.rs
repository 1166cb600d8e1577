// On Linux with glibc, link the unwinder from libgcc_eh.a instead of loading libgcc_s.so.1,
// which this program needs only to unwind a panic or print a backtrace. Every call is a new
// process: the extra library's load and its CPU-detection constructor cost about 0.1 ms of a
// 1.8 ms warm get on the project's machine (README, Performance). Only where a program like
// this one links that way with the C compiler rustc links with; elsewhere libgcc_s.so.1 is
// loaded as before.
use std::env::var;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=RUSTC_LINKER");
    println!("cargo::rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS");
    let cfg = |name: &str| var(name).unwrap_or_default();
    if cfg("CARGO_CFG_TARGET_OS") != "linux" || cfg("CARGO_CFG_TARGET_ENV") != "gnu" {
        return;
    }
    let mut args: Vec<&str> = match cfg("CARGO_CFG_TARGET_ARCH").as_str() {
        "x86" => vec!["-m32"],
        "x86_64" => vec!["-m64"],
        _ => vec![],
    };
    args.extend(["-fPIE", "-pie"]);
    if links(&linker(), &args) {
        println!("cargo::rustc-link-lib=static:-bundle=gcc_eh");
    }
}

/// The C compiler rustc links with: `-C linker=` among the flags (the last one), the
/// target's configured linker, or `cc`.
fn linker() -> String {
    let flags = var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let flags: Vec<&str> = flags.split('\x1f').collect();
    let mut found = None;
    for (i, f) in flags.iter().enumerate() {
        let value = match f.strip_prefix("-C") {
            Some("") => flags.get(i + 1).and_then(|n| n.strip_prefix("linker=")),
            Some(rest) => rest.strip_prefix("linker="),
            None => None,
        };
        found = value.map(str::to_owned).or(found);
    }
    found
        .or_else(|| var("RUSTC_LINKER").ok())
        .unwrap_or_else(|| "cc".to_owned())
}

/// Whether a program that needs the unwinder links, position-independent, with libgcc_eh.a.
fn links(linker: &str, args: &[&str]) -> bool {
    let dir = PathBuf::from(var("OUT_DIR").unwrap_or_default());
    let src = dir.join("unwinder.c");
    let program = "int _Unwind_Backtrace(void *, void *);\n\
                   int main(void) { return _Unwind_Backtrace(0, 0) == 1; }\n";
    if std::fs::write(&src, program).is_err() {
        return false;
    }
    Command::new(linker)
        .args(args)
        .arg(&src)
        .arg("-o")
        .arg(dir.join("unwinder"))
        .args(["-Wl,-Bstatic", "-lgcc_eh", "-Wl,-Bdynamic"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
