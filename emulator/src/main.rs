//! The emulated BMC of the test suite as a stand-alone server, for the demo, the README's
//! examples by hand, and the benchmarks. Prints `READY <URL> user admin password ... ca FILE`
//! per BMC once listening; runs until killed.

use std::net::IpAddr;
use std::time::Duration;

use bmc_emulator::{
    self as emulator, Bmc, Config, DeleteAnswer, EtagStyle, LocationStyle, Profile, Quirks,
    TaskStyle,
};

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
            "--task-seconds" => {
                let s: u64 = val()
                    .parse()
                    .unwrap_or_else(|_| usage("bad --task-seconds"));
                config.task_time = Duration::from_secs(s);
            }
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
            "-h" | "--help" => {
                println!("{}", help());
                return;
            }
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let bmcs: Vec<Bmc> = if count == 1 {
        vec![Bmc::with_config(config)]
    } else {
        emulator::fleet_with(&config, count)
    };
    let ca = match ca_out {
        Some(path) => {
            std::fs::copy(bmcs[0].ca_path(), &path).expect("write --ca-out");
            // Killed, this process never drops the CA's temporary directory: remove it now,
            // so that a demo stopped by a signal leaves nothing in /tmp.
            if let Some(dir) = bmcs[0].ca_path().parent() {
                let _ = std::fs::remove_dir_all(dir);
            }
            path
        }
        None => bmcs[0].ca_path().display().to_string(),
    };
    if let Some(path) = cert_out {
        std::fs::write(&path, bmcs[0].certificate_pem()).expect("write --cert-out");
    }
    for b in &bmcs {
        // The URL stays the second field: scripts take it with awk '{print $2}'.
        println!(
            "READY {} user {} password {} ca {ca}",
            b.url(),
            emulator::USER,
            emulator::PASSWORD
        );
    }
    use std::io::Write;
    std::io::stdout().flush().unwrap();
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

/// Each profile's quirks as a table, and where it departs from DSP0266 on purpose.
fn print_profiles() {
    println!(
        "{:<13} {:<37} {:<22} {:<9} {:<14} RESET",
        "PROFILE", "SESSIONS", "LOGIN ANSWER", "LOGOUT", "ETAGS"
    );
    for p in Profile::ALL {
        let q = p.quirks();
        println!(
            "{:<13} {:<37} {:<22} {:<9} {:<14} {}",
            q.name,
            q.sessions_path,
            login(q),
            match q.delete {
                DeleteAnswer::NoContent => "204",
                DeleteAnswer::IloSuccess => "200 iLO",
            },
            match q.etag {
                EtagStyle::Strong => "strong",
                EtagStyle::WeakRefusedBack => "weak W/",
                EtagStyle::GzipSuffix => "-gzip suffix",
            },
            match q.tasks {
                TaskStyle::Immediate => "204 at once",
                TaskStyle::Monitor { vanishes: false } => "task monitor",
                TaskStyle::Monitor { vanishes: true } => "task monitor 404",
                TaskStyle::DellJob => "Dell job",
            },
        );
    }
    for p in Profile::ALL {
        for d in p.quirks().deviations {
            println!("{}: deviates: {d}", p.name());
        }
    }
}

/// Where the login answer names the session, in a few words.
fn login(q: &Quirks) -> String {
    if q.session_post == emulator::SessionPost::NotAllowed {
        return "405, no sessions".into();
    }
    let location = match q.location {
        LocationStyle::Relative => "Location path",
        LocationStyle::Absolute => "Location URL",
        LocationStyle::AbsoluteNoPortSlash => "Location URL no port",
        LocationStyle::NoScheme => "Location no scheme",
        LocationStyle::Missing => "MySession only",
        LocationStyle::BodyOnly => "@odata.id only",
    };
    match q.login {
        emulator::LoginAnswer::Created => location.into(),
        emulator::LoginAnswer::NoContent => format!("{location}, 204"),
    }
}

fn help() -> String {
    let profiles: Vec<&str> = Profile::ALL.iter().map(|p| p.name()).collect();
    format!(
        "bmc-emulator: an emulated Redfish BMC over HTTPS on 127.0.0.1, for trying rfsession by hand\n\
         \n\
         usage: bmc-emulator [--profile NAME] [--ca-out FILE] [--task-seconds N] [--bind IP] [--port N]\n\
         \x20                   [--count N] [--limit N] [--idle-timeout SECS] [--http] [--sessions-path PATH]\n\
         \x20                   [--handshake-delay MS] [--idle-close SECS]\n\
         \x20                   [--cert signed|self-signed|v1|v1-sha1|own-ca|wrong-name|expired|not-yet-valid]\n\
         \x20                   [--cert-out FILE] [--tls12] | --profiles | --help\n\
         \n\
         profiles: {}\n\
         \x20         (default generic; --profiles prints what each does differently)\n\
         accounts: {} / {} (Administrator), {} / {} (Operator)\n\
         \n\
         --ca-out FILE      write the CA that signs its certificate to FILE (for --cacert FILE)\n\
         --task-seconds N   resets answered with a task or a Dell job run N seconds (profiles idrac, odim, xcc)\n\
         --count N          N BMCs on 127.1.x.y, one READY line each\n\
         --limit N          at most N sessions at once (default 64)\n\
         \n\
         Once listening it prints one line per BMC and runs until killed:\n\
         \x20 READY https://127.0.0.1:PORT user {} password {} ca FILE",
        profiles.join(", "),
        emulator::USER,
        emulator::PASSWORD,
        emulator::OPERATOR,
        emulator::OPERATOR_PASSWORD,
        emulator::USER,
        emulator::PASSWORD,
    )
}

fn usage(msg: &str) -> ! {
    eprintln!("bmc-emulator: {msg}; see bmc-emulator --help");
    std::process::exit(2);
}
