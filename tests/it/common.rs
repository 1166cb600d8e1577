//! Running the built binary against emulated BMCs, each test with its own cache directory.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use bmc_emulator::{self as emulator, Bmc, PASSWORD, Profile};

/// The binary under test: this build's, or another one's (`RFSESSION_TEST_BIN`, to show
/// that a test fails on an older build).
pub fn bin() -> String {
    std::env::var("RFSESSION_TEST_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_rfsession").to_owned())
}

/// A private HOME and cache directory for one test.
pub struct Env {
    pub dir: tempfile::TempDir,
}

#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    pub fn from(o: Output) -> Out {
        Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    #[track_caller]
    pub fn ok(self) -> Out {
        assert_eq!(self.code, 0, "expected success: {self:#?}");
        self
    }

    #[track_caller]
    pub fn code(self, want: i32) -> Out {
        assert_eq!(self.code, want, "expected exit {want}: {self:#?}");
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {self:#?}"))
    }

    /// stdout and stderr together.
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn cache(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    pub fn entry_path(&self, bmc: &Bmc) -> PathBuf {
        let host = rfsession::host::Host::parse(&bmc.host()).unwrap();
        self.cache().join(format!("{}.json", host.file_stem()))
    }

    /// `rfsession --cacert CA ARGS...` with a clean environment.
    pub fn cmd(&self, ca: Option<&Path>, args: &[&str]) -> Command {
        let mut c = Command::new(bin());
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("RFSESSION_CACHE_DIR", self.cache())
            .stdin(Stdio::null());
        if let Some(ca) = ca {
            c.arg("--cacert").arg(ca);
        }
        c.args(args);
        c
    }

    pub fn run(&self, bmc: &Bmc, args: &[&str]) -> Out {
        Out::from(self.cmd(Some(bmc.ca_path()), args).output().unwrap())
    }

    pub fn run_env(&self, bmc: &Bmc, args: &[&str], env: &[(&str, &str)]) -> Out {
        let mut c = self.cmd(Some(bmc.ca_path()), args);
        c.envs(env.iter().copied());
        Out::from(c.output().unwrap())
    }

    pub fn run_stdin(&self, bmc: &Bmc, args: &[&str], input: &str) -> Out {
        let mut c = self.cmd(Some(bmc.ca_path()), args);
        c.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        // A program may end before it reads its input (a usage error): EPIPE is no failure.
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        Out::from(child.wait_with_output().unwrap())
    }

    pub fn spawn(&self, bmc: &Bmc, args: &[&str], env: &[(&str, &str)]) -> Child {
        let mut c = self.cmd(Some(bmc.ca_path()), args);
        c.envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c.spawn().unwrap()
    }

    /// Log in as admin with the password from the environment.
    pub fn login(&self, bmc: &Bmc) -> Out {
        self.login_with(bmc, &[])
    }

    /// `rfsession FLAGS... login HOST -u admin`, password from the environment.
    pub fn login_with(&self, bmc: &Bmc, flags: &[&str]) -> Out {
        let host = bmc.host();
        let mut args = flags.to_vec();
        args.extend(["login", &host, "-u", emulator::USER]);
        self.run_env(bmc, &args, &[("RFSESSION_PASSWORD", emulator::PASSWORD)])
    }
}

impl Env {
    /// `rfsession ARGS` without --cacert, password in the environment.
    pub fn run_bare(&self, args: &[&str]) -> Out {
        let mut c = self.cmd(None, args);
        c.env("RFSESSION_PASSWORD", emulator::PASSWORD);
        Out::from(c.output().unwrap())
    }

    /// A login whose cache write fails after the session POST: a file-size limit of 0,
    /// as a full disk looks to the process.
    pub fn login_unable_to_write(&self, bmc: &Bmc) -> Out {
        std::fs::create_dir_all(self.cache()).unwrap();
        let private = std::os::unix::fs::PermissionsExt::from_mode(0o700);
        std::fs::set_permissions(self.cache(), private).unwrap();
        let script = format!(
            "ulimit -f 0; exec {} --cacert {} login {} -u {}",
            bin(),
            bmc.ca_path().display(),
            bmc.host(),
            emulator::USER
        );
        let out = Command::new("bash")
            .args(["-c", &script])
            .env("RFSESSION_CACHE_DIR", self.cache())
            .env("RFSESSION_PASSWORD", emulator::PASSWORD)
            .output()
            .unwrap();
        Out::from(out)
    }
}

/// A BMC that names the session nowhere: no Location, no @odata.id, no MySession, and
/// the Context is not kept.
pub fn unidentifiable() -> Bmc {
    let bmc = Bmc::start(Profile::Bmcweb);
    bmc.faults(|f| {
        f.location = Some(String::new());
        f.body_odata_id = Some(String::new());
        f.forget_context = true;
    });
    bmc
}

/// An emulated BMC serving a certificate of `kind`.
pub fn serving(kind: emulator::CertKind) -> Bmc {
    let mut c = emulator::Config::new(Profile::Generic);
    c.cert = kind;
    Bmc::with_config(c)
}

/// An emulated BMC and a cache already logged in to it as admin.
pub fn logged_in(profile: Profile) -> (Bmc, Env) {
    let bmc = Bmc::start(profile);
    let env = Env::new();
    env.login(&bmc).ok();
    (bmc, env)
}

/// The test process holds the host's lock, as a slow login or logout would.
pub fn hold_lock(env: &Env, bmc: &Bmc) -> std::fs::File {
    let path = env.entry_path(bmc).with_extension("lock");
    let f = std::fs::File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .unwrap();
    f.lock().unwrap();
    f
}

pub fn wait(child: Child) -> Out {
    Out::from(child.wait_with_output().unwrap())
}

/// `s` quoted for sh.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

impl Env {
    /// `rfsession --cacert CA ARGS` on a pseudo-terminal (`script`), as a person at a shell
    /// runs it; stdout and stderr arrive together in `stdout`. `input` is typed at it.
    pub fn run_tty(&self, bmc: &Bmc, args: &[&str], env: &[(&str, &str)], input: &str) -> Out {
        let mut words = vec![
            bin(),
            "--cacert".into(),
            bmc.ca_path().display().to_string(),
        ];
        words.extend(args.iter().map(|a| (*a).to_owned()));
        let cmd: Vec<String> = words.iter().map(|w| sh_quote(w)).collect();
        let mut c = Command::new("script");
        c.args(["-qec", &cmd.join(" "), "/dev/null"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("RFSESSION_CACHE_DIR", self.cache())
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let input = input.to_owned();
        // Typed slowly enough for a prompt that turns echo off first.
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            let _ = stdin.write_all(input.as_bytes());
            std::thread::sleep(std::time::Duration::from_secs(5));
        });
        Out::from(child.wait_with_output().unwrap())
    }
}

pub const PW: [(&str, &str); 1] = [("RFSESSION_PASSWORD", PASSWORD)];

pub fn requests(bmc: &Bmc) -> usize {
    bmc.state().requests.len()
}

pub fn write_private(path: &Path, text: &str) -> String {
    fs::write(path, text).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o600)).unwrap();
    path.display().to_string()
}
