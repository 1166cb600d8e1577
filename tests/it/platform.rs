//! What differs between operating systems lives in `src/platform` alone: anywhere else in
//! `src/` a `cfg` on the system, an `unsafe` block or a system crate is a mistake (the
//! Windows and macOS builds of ci/cross.sh would then drift apart from Linux's unseen).

use std::path::Path;

const FORBIDDEN: [&str; 11] = [
    "cfg(unix",
    "cfg(windows",
    "cfg(not(unix",
    "cfg(not(windows",
    "target_os",
    "target_family",
    "unsafe {",
    "unsafe fn",
    "unsafe impl",
    "unsafe extern",
    "libc::",
];

const SYSTEM_CRATES: [&str; 3] = ["rustix::", "windows_sys::", "std::os::windows"];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn system_specific_code_is_only_in_src_platform() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let platform = root.join("src/platform");
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(files.len() > 20, "found only {files:?}");
    assert!(files.iter().any(|f| f.starts_with(&platform)));
    let mut found = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(&platform)) {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in FORBIDDEN.iter().chain(&SYSTEM_CRATES) {
                if code.contains(word) {
                    found.push(format!(
                        "{}:{}: {word}",
                        file.strip_prefix(root).unwrap().display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "move these into src/platform (a Unix and a Windows side):\n{}",
        found.join("\n")
    );
}
