//! Reaching every BMC an operator has (issue 10): the settings file and its aliases,
//! password commands and ~/.netrc for unattended re-login, and proxies (a CONNECT proxy and
//! a SOCKS5 server written here, on 127.0.0.1, counting their tunnels).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream, ToSocketAddrs};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bmc_emulator::{Bmc, PASSWORD, Profile, USER};

use crate::common::{Env, logged_in, wait};

/// A proxy on 127.0.0.1 that counts its tunnels and keeps what it was asked.
struct TestProxy {
    port: u16,
    tunnels: Arc<AtomicUsize>,
    asked: Arc<Mutex<Vec<String>>>,
}

impl TestProxy {
    fn tunnels(&self) -> usize {
        self.tunnels.load(Ordering::SeqCst)
    }
}

fn pipe(a: TcpStream, b: TcpStream) {
    let (mut a2, mut b2) = (a.try_clone().unwrap(), b.try_clone().unwrap());
    let (mut a, mut b) = (a, b);
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut a, &mut b2);
        let _ = b2.shutdown(Shutdown::Write);
    });
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut b, &mut a2);
        let _ = a2.shutdown(Shutdown::Write);
    });
}

/// An HTTP proxy that only tunnels (CONNECT); with `refuse`, it answers 403 instead.
fn connect_proxy(refuse: bool) -> TestProxy {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let tunnels = Arc::new(AtomicUsize::new(0));
    let asked = Arc::new(Mutex::new(Vec::new()));
    let (t, a) = (tunnels.clone(), asked.clone());
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let (t, a) = (t.clone(), a.clone());
            std::thread::spawn(move || {
                let mut reader = BufReader::new(conn.try_clone().unwrap());
                let mut head = String::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    head.push_str(&line);
                }
                a.lock().unwrap().push(head.clone());
                let mut client = conn;
                let target = head
                    .strip_prefix("CONNECT ")
                    .and_then(|r| r.split_whitespace().next());
                match target
                    .filter(|_| !refuse)
                    .and_then(|t| TcpStream::connect(t).ok())
                {
                    Some(upstream) => {
                        let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                        t.fetch_add(1, Ordering::SeqCst);
                        pipe(client, upstream);
                    }
                    None => {
                        let _ = client
                            .write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
                    }
                }
            });
        }
    });
    TestProxy {
        port,
        tunnels,
        asked,
    }
}

/// A SOCKS5 server taking user `ops` with password `pw-9`; keeps each target as asked
/// (a name when the client lets the proxy resolve it).
fn socks5_proxy() -> TestProxy {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let tunnels = Arc::new(AtomicUsize::new(0));
    let asked = Arc::new(Mutex::new(Vec::new()));
    let (t, a) = (tunnels.clone(), asked.clone());
    std::thread::spawn(move || {
        for mut c in listener.incoming().flatten() {
            let (t, a) = (t.clone(), a.clone());
            std::thread::spawn(move || -> std::io::Result<()> {
                let mut b = [0u8; 2];
                c.read_exact(&mut b)?;
                let mut methods = vec![0u8; b[1] as usize];
                c.read_exact(&mut methods)?;
                c.write_all(&[5, 2])?;
                let mut v = [0u8; 2];
                c.read_exact(&mut v)?;
                let mut user = vec![0u8; v[1] as usize];
                c.read_exact(&mut user)?;
                let mut l = [0u8; 1];
                c.read_exact(&mut l)?;
                let mut pass = vec![0u8; l[0] as usize];
                c.read_exact(&mut pass)?;
                let ok = user == b"ops" && pass == b"pw-9";
                c.write_all(&[1, if ok { 0 } else { 1 }])?;
                if !ok {
                    return Ok(());
                }
                let mut req = [0u8; 4];
                c.read_exact(&mut req)?;
                let host = match req[3] {
                    1 => {
                        let mut ip = [0u8; 4];
                        c.read_exact(&mut ip)?;
                        std::net::Ipv4Addr::from(ip).to_string()
                    }
                    3 => {
                        let mut n = [0u8; 1];
                        c.read_exact(&mut n)?;
                        let mut name = vec![0u8; n[0] as usize];
                        c.read_exact(&mut name)?;
                        String::from_utf8_lossy(&name).into_owned()
                    }
                    _ => {
                        let mut ip = [0u8; 16];
                        c.read_exact(&mut ip)?;
                        format!("[{}]", std::net::Ipv6Addr::from(ip))
                    }
                };
                let mut p = [0u8; 2];
                c.read_exact(&mut p)?;
                let target = format!("{host}:{}", u16::from_be_bytes(p));
                a.lock().unwrap().push(target.clone());
                let addr = target.to_socket_addrs()?.next().unwrap();
                let upstream = TcpStream::connect(addr)?;
                c.write_all(&[5, 0, 0, 1, 0, 0, 0, 0, 0, 0])?;
                t.fetch_add(1, Ordering::SeqCst);
                pipe(c, upstream);
                Ok(())
            });
        }
    });
    TestProxy {
        port,
        tunnels,
        asked,
    }
}

const PW: (&str, &str) = ("RFSESSION_PASSWORD", PASSWORD);

#[test]
fn a_connect_proxy_carries_every_request_in_a_tunnel_unless_no_proxy_says() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    let proxy = connect_proxy(false);
    let url = format!("http://127.0.0.1:{}", proxy.port);
    let via = [("HTTPS_PROXY", url.as_str()), PW];
    env.run_env(&bmc, &["login", &host, "-u", USER], &via).ok();
    env.run_env(&bmc, &["get", &host, "Systems/1"], &via).ok();
    assert!(proxy.tunnels() >= 2, "{}", proxy.tunnels());
    // The proxy saw CONNECT lines only: the token stayed inside the tunnel.
    for head in proxy.asked.lock().unwrap().iter() {
        assert!(head.starts_with(&format!("CONNECT {host} ")), "{head}");
        assert!(
            !head.to_ascii_lowercase().contains("x-auth-token"),
            "{head}"
        );
    }
    let before = proxy.tunnels();
    env.run_env(
        &bmc,
        &["get", &host, "Systems/1"],
        &[("HTTPS_PROXY", &url), ("NO_PROXY", "localhost,127.0.0.0/8")],
    )
    .ok();
    env.run_env(
        &bmc,
        &["--noproxy", "*", "get", &host, "Systems/1"],
        &[("HTTPS_PROXY", &url)],
    )
    .ok();
    assert_eq!(
        proxy.tunnels(),
        before,
        "NO_PROXY and --noproxy bypass the proxy"
    );
    // --proxy beats the environment.
    env.run_env(
        &bmc,
        &["--proxy", &url, "get", &host, "Systems/1"],
        &[("HTTPS_PROXY", "http://127.0.0.1:1")],
    )
    .ok();
    assert_eq!(proxy.tunnels(), before + 1);
}

#[test]
fn socks5h_lets_the_proxy_resolve_names_and_its_password_never_shows() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let name = format!("localhost:{}", bmc.addr().port());
    let socks = socks5_proxy();
    let url = format!("socks5h://ops:pw-9@127.0.0.1:{}", socks.port);
    let out = env
        .run_env(
            &bmc,
            &["-v", "--proxy", &url, "login", &name, "-u", USER],
            &[PW],
        )
        .ok();
    assert!(
        out.stderr.contains(&format!(
            "through the proxy socks5h://ops:***@127.0.0.1:{}",
            socks.port
        )),
        "{out:?}"
    );
    assert!(!out.all().contains("pw-9"), "{out:?}");
    assert_eq!(
        socks.asked.lock().unwrap()[0],
        name,
        "socks5h sends the name"
    );
    let url = format!("socks5://ops:pw-9@127.0.0.1:{}", socks.port);
    env.run(&bmc, &["--proxy", &url, "get", &name, "Systems/1"])
        .ok();
    assert_eq!(
        socks.asked.lock().unwrap().last().unwrap(),
        &format!("127.0.0.1:{}", bmc.addr().port()),
        "socks5 resolves here"
    );
}

#[test]
fn a_proxy_that_refuses_or_is_down_is_named_not_the_bmc() {
    let (bmc, env) = logged_in(Profile::Generic);
    let refusing = connect_proxy(true);
    let url = format!("http://op:secret7@127.0.0.1:{}", refusing.port);
    let out = env
        .run(&bmc, &["--proxy", &url, "get", &bmc.host(), "Systems/1"])
        .code(5);
    assert!(
        out.stderr.contains(&format!(
            "the proxy http://op:***@127.0.0.1:{} failed",
            refusing.port
        )),
        "{out:?}"
    );
    assert!(!out.stderr.contains("secret7"), "{out:?}");
    let out = env
        .run(
            &bmc,
            &[
                "--proxy",
                "http://127.0.0.1:1",
                "get",
                &bmc.host(),
                "Systems/1",
            ],
        )
        .code(5);
    assert!(
        out.stderr.contains("the proxy http://127.0.0.1:1 failed"),
        "{out:?}"
    );
}

/// A settings file, private to the user.
fn settings(env: &Env, text: &str) -> PathBuf {
    let path = env.dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path
}

#[test]
fn cron_logs_in_again_from_the_settings_file_alone_and_64_at_once_make_one_session() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let pass = env.dir.path().join("pass");
    std::fs::write(&pass, format!("{PASSWORD}\n")).unwrap();
    let config = settings(
        &env,
        &format!(
            "[defaults]\ntimeout = 20\n[hosts.\"127.0.0.*\"]\nuser = \"{USER}\"\npassword_command = \"cat {}\"\n",
            pass.display()
        ),
    );
    let cfg = config.display().to_string();
    let with = [("RFSESSION_CONFIG", cfg.as_str())];
    env.run_env(&bmc, &["login", &bmc.host()], &with).ok();
    // The BMC was reset overnight: every cron job finds its session gone.
    bmc.expire_all();
    let children: Vec<_> = (0..64)
        .map(|_| env.spawn(&bmc, &["get", &bmc.host(), "Systems/1"], &with))
        .collect();
    for c in children {
        wait(c).ok();
    }
    assert_eq!((bmc.created(), bmc.live_sessions()), (2, 1));
}

#[test]
fn an_alias_shares_its_urls_entry_and_config_shows_each_origin() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let pass = env.dir.path().join("lab1-pass");
    std::fs::write(&pass, PASSWORD).unwrap();
    std::fs::set_permissions(&pass, std::fs::Permissions::from_mode(0o600)).unwrap();
    let cfg = settings(
        &env,
        &format!(
            "[defaults]\ntimeout = 12\n[hosts.lab1]\nurl = \"https://{}\"\nuser = \"{USER}\"\npassword_file = \"{}\"\n",
            bmc.host(),
            pass.display()
        ),
    )
    .display()
    .to_string();
    let with = [("RFSESSION_CONFIG", cfg.as_str())];
    env.run_env(&bmc, &["login", "lab1"], &with).ok();
    env.run_env(&bmc, &["whoami", &bmc.host()], &with).ok();
    assert_eq!(bmc.created(), 1);
    let out = env.run_env(&bmc, &["config", "lab1"], &with).ok();
    for want in [
        format!("https://{}  (alias lab1)", bmc.host()),
        "admin  (settings [hosts.\"lab1\"])".to_owned(),
        format!("file {}", pass.display()),
        "12s  (settings [defaults])".to_owned(),
    ] {
        assert!(out.stdout.contains(&want), "{want}: {}", out.stdout);
    }
    assert!(!out.all().contains(PASSWORD));
    let out = env
        .run_env(&bmc, &["--timeout", "3", "--json", "config", "lab1"], &with)
        .ok();
    assert_eq!(out.json()["timeout"]["from"], "flag --timeout");
    // Completion offers the alias beside the cached host.
    let out = env.run_env(&bmc, &["complete-hosts"], &with).ok();
    assert_eq!(out.stdout, format!("{}\nlab1\n", bmc.host()));
}

#[test]
fn mistakes_in_the_settings_file_are_named_and_unsafe_ones_refused() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let path = settings(&env, "[hosts.a]\nuser = \"x\"\ncolour = \"blue\"\n");
    let cfg = path.display().to_string();
    let out = env
        .run_env(
            &bmc,
            &["whoami", &bmc.host()],
            &[("RFSESSION_CONFIG", &cfg)],
        )
        .code(2);
    assert!(
        out.stderr.contains(&cfg) && out.stderr.contains("line 3") && out.stderr.contains("colour"),
        "{out:?}"
    );
    std::fs::write(&path, "[hosts.a]\npassword_command = \"pass show a\"\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = env
        .run_env(
            &bmc,
            &["whoami", &bmc.host()],
            &[("RFSESSION_CONFIG", &cfg)],
        )
        .code(7);
    assert!(
        out.stderr.contains("line 2") && out.stderr.contains(&format!("chmod 600 {cfg}")),
        "{out:?}"
    );
}

#[test]
fn password_commands_and_netrc() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    let cmd = format!("printf '%s\\n' {PASSWORD}");
    env.run(
        &bmc,
        &["login", &host, "-u", USER, "--password-command", &cmd],
    )
    .ok();
    let out = env
        .run(
            &bmc,
            &[
                "login",
                &host,
                "-u",
                "operator",
                "--password-command",
                "echo oops-42; exit 1",
            ],
        )
        .code(2);
    assert!(
        out.stderr.contains("failed (exit status: 1)") && !out.stderr.contains("oops-42\n"),
        "{out:?}"
    );
    env.run(&bmc, &["logout", &host]).ok();
    // ~/.netrc gives user and password, by the host name as typed; only a private one.
    let netrc = env.dir.path().join("netrc");
    std::fs::write(
        &netrc,
        format!("machine 127.0.0.1 login {USER} password {PASSWORD}\n"),
    )
    .unwrap();
    std::fs::set_permissions(&netrc, std::fs::Permissions::from_mode(0o600)).unwrap();
    let n = netrc.display().to_string();
    env.run_env(&bmc, &["login", &host], &[("NETRC", &n)]).ok();
    env.run(&bmc, &["logout", &host]).ok();
    std::fs::set_permissions(&netrc, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = env
        .run_env(&bmc, &["login", &host, "-u", USER], &[("NETRC", &n)])
        .code(2);
    assert!(
        out.stderr.contains("is not private to you; ignored"),
        "{out:?}"
    );
}

/// A veth pair into a network namespace of the test's own, removed when dropped.
struct LinkLocal {
    ns: String,
    outer: String,
}

impl LinkLocal {
    fn new() -> LinkLocal {
        let tag = std::process::id() % 100_000;
        let (ns, outer, inner) = (
            format!("rfs{tag}"),
            format!("rfa{tag}"),
            format!("rfb{tag}"),
        );
        let script = format!(
            "set -e
ip netns add {ns}
ip link add {outer} type veth peer name {inner}
ip link set {inner} netns {ns}
ip addr add fe80::a/64 dev {outer} nodad
ip link set {outer} up
ip netns exec {ns} ip addr add fe80::b/64 dev {inner} nodad
ip netns exec {ns} ip link set {inner} up
ip netns exec {ns} ip link set lo up"
        );
        let ll = LinkLocal { ns, outer };
        let out = std::process::Command::new("sh")
            .args(["-c", &script])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        ll
    }
}

impl Drop for LinkLocal {
    fn drop(&mut self) {
        let _ = std::process::Command::new("ip")
            .args(["link", "del", &self.outer])
            .output();
        let _ = std::process::Command::new("ip")
            .args(["netns", "del", &self.ns])
            .output();
    }
}

#[test]
fn a_link_local_bmc_is_reached_through_its_zone() {
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: a network namespace with a veth pair needs root");
        return;
    }
    let ll = LinkLocal::new();
    // The emulated iLO listens inside the namespace: a thread enters it, binds, and hands the
    // listener back (a socket stays in the namespace it was made in).
    let ns = ll.ns.clone();
    let listener = std::thread::spawn(move || {
        let f = std::fs::File::open(format!("/var/run/netns/{ns}")).unwrap();
        let fd = std::os::fd::AsRawFd::as_raw_fd(&f);
        let rc = unsafe { libc::setns(fd, libc::CLONE_NEWNET) };
        assert_eq!(rc, 0, "setns: {}", std::io::Error::last_os_error());
        TcpListener::bind("[::]:0").unwrap()
    })
    .join()
    .unwrap();
    let port = listener.local_addr().unwrap().port();
    let _bmc = Bmc::on_listener(bmc_emulator::Config::new(Profile::Ilo5), listener);
    let env = Env::new();
    // As HPE documents for a lost iLO: its link-local address through this host's interface.
    let host = format!("[fe80::b%25{}]:{port}", ll.outer);
    let key = format!("https://[fe80::b%{}]:{port}", ll.outer);
    env.run_bare(&["-k", "login", &host, "-u", USER]).ok();
    let listed = env.run_bare(&["--json", "sessions", "--cached"]).ok();
    assert_eq!(listed.json()[0]["host"], key.as_str());
    let plain = format!("[fe80::b%{}]:{port}", ll.outer);
    let got = env.run_bare(&["get", &plain, "Systems/1"]).ok();
    assert_eq!(got.json()["Id"], "1");
    env.run_bare(&["logout", &host]).ok();
}
