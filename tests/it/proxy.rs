//! Reaching a BMC through a proxy: an HTTP CONNECT tunnel, SOCKS5 with names resolved by
//! the proxy, NO_PROXY as curl reads it, and proxy passwords never shown.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bmc_emulator::{Bmc, PASSWORD, Profile, USER};

use crate::common::{Env, logged_in, write_private};

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

const PW: [(&str, &str); 1] = [("RFSESSION_PASSWORD", PASSWORD)];

#[test]
fn a_connect_proxy_carries_every_request_in_a_tunnel_unless_no_proxy_says() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    let proxy = connect_proxy(false);
    let url = format!("http://127.0.0.1:{}", proxy.port);
    let via = [("HTTPS_PROXY", url.as_str()), PW[0]];
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
            &PW,
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

#[test]
fn proxy_passwords_never_show_in_any_form() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    // Scheme-less, as HTTPS_PROXY is often written; the proxy is down.
    let proxy = [("HTTPS_PROXY", "ops:hunter2@127.0.0.1:1")];
    let out = env
        .run_env(&bmc, &["-v", "get", &host, "Systems/1"], &proxy)
        .code(5);
    assert!(out.stderr.contains("ops:***@127.0.0.1:1"), "{out:?}");
    assert!(!out.all().contains("hunter2"), "{out:?}");
    let out = env.run_env(&bmc, &["config", &host], &proxy).ok();
    assert!(out.stdout.contains("ops:***@127.0.0.1:1"), "{out:?}");
    assert!(!out.all().contains("hunter2"), "{out:?}");
    let out = env.run_env(&bmc, &["--json", "config", &host], &proxy).ok();
    assert!(!out.all().contains("hunter2"), "{out:?}");
    // A settings line with a mistake is named, never echoed.
    let cfg = write_private(
        &env.dir.path().join("config.toml"),
        "[defaults]\nproxy = http://ops:hunter2@127.0.0.1:3128\n",
    );
    let out = env
        .run_env(&bmc, &["config", &host], &[("RFSESSION_CONFIG", &cfg)])
        .code(2);
    assert!(out.stderr.contains("line 2"), "{out:?}");
    assert!(!out.all().contains("hunter2"), "{out:?}");
}

#[test]
fn no_proxy_lists_as_curl_reads_them() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let port = bmc.addr().port();
    let down = ("HTTPS_PROXY", "http://127.0.0.1:1");
    // Blank-separated lists and trailing dots exempt the host, as in curl.
    for list in ["example.com 127.0.0.1", "example.com\t127.0.0.1"] {
        env.run_env(
            &bmc,
            &["get", &host, "Systems/1"],
            &[down, ("NO_PROXY", list)],
        )
        .ok();
    }
    let name = format!("localhost:{port}");
    env.run_env(
        &bmc,
        &["login", &name, "-u", USER],
        &[down, ("NO_PROXY", "localhost."), PW[0]],
    )
    .ok();
    // `*` inside a list is a name, not "everything": the proxy is used (and is down).
    let out = env
        .run_env(
            &bmc,
            &["get", &host, "Systems/1"],
            &[down, ("NO_PROXY", "example.com,*")],
        )
        .code(5);
    assert!(
        out.stderr.contains("the proxy http://127.0.0.1:1"),
        "{out:?}"
    );
    // A trailing-dot host finds its settings section.
    let cfg = write_private(
        &env.dir.path().join("config.toml"),
        "[hosts.\"localhost\"]\nuser = \"ops\"\n",
    );
    let out = env
        .run_env(
            &bmc,
            &["--json", "config", &format!("localhost.:{port}")],
            &[("RFSESSION_CONFIG", &cfg)],
        )
        .ok();
    assert_eq!(out.json()["user"]["value"], "ops", "{out:?}");
}
