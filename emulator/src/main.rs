//! The emulated BMC of the test suite as a stand-alone server, for the demo and the
//! benchmarks. Prints `READY <HOST>` per BMC once listening; runs until killed.

use std::net::IpAddr;
use std::time::Duration;

use bmc_emulator::{self as emulator, Bmc, Config, Profile};

fn main() {
    let mut config = Config::new(Profile::Generic);
    let mut count = 1usize;
    let mut ca_out = None;
    let mut cert_out = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || {
            args.next()
                .unwrap_or_else(|| usage(&format!("{a} needs a value")))
        };
        match a.as_str() {
            "--profile" => {
                let v = val();
                config.profile = Profile::from_name(&v)
                    .unwrap_or_else(|| usage(&format!("unknown profile {v}")));
                config.sessions_path = config.profile.quirks().sessions_path.into();
            }
            "--bind" => {
                config.ip = val()
                    .parse::<IpAddr>()
                    .unwrap_or_else(|_| usage("bad --bind"))
            }
            "--port" => config.port = val().parse().unwrap_or_else(|_| usage("bad --port")),
            "--count" => count = val().parse().unwrap_or_else(|_| usage("bad --count")),
            "--limit" => {
                config.session_limit = val().parse().unwrap_or_else(|_| usage("bad --limit"))
            }
            "--idle-timeout" => {
                config.idle_timeout = Duration::from_secs(
                    val()
                        .parse()
                        .unwrap_or_else(|_| usage("bad --idle-timeout")),
                )
            }
            "--http" => config.tls = false,
            "--handshake-delay" => {
                let ms: u64 = val()
                    .parse()
                    .unwrap_or_else(|_| usage("bad --handshake-delay"));
                config.handshake_delay = Duration::from_millis(ms);
            }
            "--idle-close" => {
                let s: u64 = val().parse().unwrap_or_else(|_| usage("bad --idle-close"));
                config.idle_close = Duration::from_secs(s);
            }
            "--sessions-path" => config.sessions_path = val(),
            "--cert" => {
                let v = val();
                config.cert = emulator::CertKind::from_name(&v)
                    .unwrap_or_else(|| usage(&format!("unknown --cert {v}")));
            }
            "--cert-out" => cert_out = Some(val()),
            "--tls12" => config.tls12_only = true,
            "--profiles" => {
                print_profiles();
                return;
            }
            "--ca-out" => ca_out = Some(val()),
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let bmcs: Vec<Bmc> = if count == 1 {
        vec![Bmc::with_config(config)]
    } else {
        emulator::fleet_with(&config, count)
    };
    if let Some(path) = ca_out {
        std::fs::copy(bmcs[0].ca_path(), &path).expect("write --ca-out");
    }
    if let Some(path) = cert_out {
        std::fs::write(&path, bmcs[0].certificate_pem()).expect("write --cert-out");
    }
    for b in &bmcs {
        println!("READY {}", b.url());
    }
    use std::io::Write;
    std::io::stdout().flush().unwrap();
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

/// Each profile's quirks and where it departs from DSP0266 on purpose.
fn print_profiles() {
    for p in Profile::ALL {
        let q = p.quirks();
        println!("{}: {:?}", q.name, q);
        for d in q.deviations {
            println!("  deviates: {d}");
        }
    }
}

fn usage(msg: &str) -> ! {
    if !msg.is_empty() {
        eprintln!("bmc-emulator: {msg}");
    }
    eprintln!(
        "usage: bmc-emulator [--profile generic|ilo4|ilo5|idrac|bmcweb|odim|no-location|no-content]\n\
         \x20                   [--bind IP] [--port N] [--count N] [--limit N] [--idle-timeout SECS]\n\
         \x20                   [--http] [--ca-out FILE] [--sessions-path PATH]\n\
         \x20                   [--handshake-delay MS] [--idle-close SECS]\n\
         \x20                   [--cert signed|self-signed|v1|v1-sha1|own-ca|wrong-name|expired|not-yet-valid]\n\
         \x20                   [--cert-out FILE] [--tls12] | --profiles"
    );
    std::process::exit(2);
}
