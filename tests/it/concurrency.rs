//! Many real rfsession processes at once: one session per host, never a corrupt cache,
//! never one host waiting for another, and crash safety under kill -9.

use std::os::unix::fs::PermissionsExt;
use std::process::Child;
use std::time::{Duration, Instant};

use crate::common::{Env, Out, wait};
use bmc_emulator::{Bmc, PASSWORD, Profile, USER};

const PW: [(&str, &str); 2] = [("RFSESSION_PASSWORD", PASSWORD), ("RFSESSION_USER", USER)];

fn spawn_many(env: &Env, bmc: &Bmc, n: usize, args: &[&str]) -> Vec<Out> {
    let children: Vec<Child> = (0..n).map(|_| env.spawn(bmc, args, &PW)).collect();
    children.into_iter().map(wait).collect()
}

#[test]
fn racing_logins_on_a_cold_cache_create_one_session() {
    for trial in 0..20 {
        let bmc = Bmc::start(Profile::Idrac);
        let env = Env::new();
        let outs = spawn_many(&env, &bmc, 64, &["--json", "login", &bmc.host()]);
        for o in &outs {
            assert_eq!(o.code, 0, "trial {trial}: {o:?}");
        }
        assert_eq!(
            bmc.created(),
            1,
            "trial {trial}: racing logins created {} sessions",
            bmc.created()
        );
        let cached = env
            .run(&bmc, &["--json", "sessions", "--cached"])
            .ok()
            .json();
        assert_eq!(cached.as_array().unwrap().len(), 1, "trial {trial}");
        let created = outs.iter().filter(|o| o.json()["reused"] == false).count();
        assert_eq!(
            created, 1,
            "trial {trial}: exactly one process says it created the session"
        );
    }
}

#[test]
fn racing_gets_after_expiry_log_in_once() {
    let (bmc, env) = crate::common::logged_in(Profile::Generic);
    bmc.expire_all();
    let outs = spawn_many(
        &env,
        &bmc,
        64,
        &["get", &bmc.host(), "/redfish/v1/Systems/1"],
    );
    for o in &outs {
        assert_eq!(o.code, 0, "{o:?}");
        assert_eq!(o.json()["PowerState"], "On");
    }
    assert_eq!(
        bmc.created(),
        2,
        "64 gets after expiry must create exactly one new session"
    );
    assert_eq!(bmc.live_sessions(), 1);
}

#[test]
fn gets_racing_a_logout_see_no_half_written_entry() {
    for _ in 0..5 {
        let bmc = Bmc::start(Profile::Ilo5);
        let env = Env::new();
        env.login(&bmc).ok();
        let host = bmc.host();
        let mut children: Vec<Child> = Vec::new();
        for i in 0..40 {
            if i == 20 {
                children.push(env.spawn(&bmc, &["logout", &host], &[]));
            }
            children.push(env.spawn(&bmc, &["get", &host, "/redfish/v1/Systems/1"], &[]));
        }
        for o in children.into_iter().map(wait) {
            assert!(o.code == 0 || o.code == 4, "{o:?}");
        }
        assert_eq!(bmc.live_sessions(), 0, "a session was left on the BMC");
        assert!(!env.entry_path(&bmc).exists());
    }
}

#[test]
fn a_hung_bmc_holds_up_no_other_host() {
    let hung = Bmc::start(Profile::Generic);
    hung.faults(|f| f.hang_all = true);
    let good = Bmc::start(Profile::Generic);
    let env = Env::new();
    let mut stuck = env.spawn(&hung, &["--timeout", "30", "login", &hung.host()], &PW);
    std::thread::sleep(Duration::from_millis(300));
    let start = Instant::now();
    env.login(&good).ok();
    env.run(&good, &["get", &good.host(), "/redfish/v1/Systems/1"])
        .ok();
    let took = start.elapsed();
    assert!(
        took < Duration::from_secs(5),
        "host B waited {took:?} for hung host A"
    );
    assert!(
        stuck.try_wait().unwrap().is_none(),
        "the hung login should still be waiting"
    );
    stuck.kill().unwrap();
    let _ = stuck.wait();
}

#[test]
fn lock_wait_gives_up_and_names_the_holder_and_dead_holders_do_not_matter() {
    let (bmc, env) = crate::common::logged_in(Profile::Generic);
    // A logout whose DELETE hangs holds the host's lock.
    bmc.faults(|f| f.delete_hang = true);
    let mut holder = env.spawn(&bmc, &["--timeout", "60", "logout", &bmc.host()], &[]);
    std::thread::sleep(Duration::from_millis(500));
    let out = env
        .run_env(
            &bmc,
            &["--timeout", "1", "login", &bmc.host(), "--force"],
            &PW,
        )
        .code(7);
    assert!(
        out.stderr.contains(&format!("held by pid {}", holder.id())),
        "{out:?}"
    );
    assert!(out.stderr.contains("rfsession"), "{out:?}");
    // kill -9 the holder: the kernel drops its lock, and the next command goes ahead.
    holder.kill().unwrap();
    let _ = holder.wait();
    bmc.faults(|f| f.delete_hang = false);
    let start = Instant::now();
    env.run(&bmc, &["--timeout", "5", "logout", &bmc.host()])
        .ok();
    assert!(start.elapsed() < Duration::from_secs(3));
    assert_eq!(bmc.live_sessions(), 0);
}

#[test]
fn kill_9_at_random_moments_loses_nothing() {
    let bmc = Bmc::start(Profile::Generic);
    let env = Env::new();
    let host = bmc.host();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rand = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let mut kills = 0u64;
    for i in 0..200 {
        let args: &[&str] = match i % 3 {
            0 => &["login", &host],
            1 => &["get", &host, "/redfish/v1/Systems/1"],
            _ => &["logout", &host],
        };
        let mut child = env.spawn(&bmc, args, &PW);
        std::thread::sleep(Duration::from_micros(rand(8000)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            kills += 1;
        }
        let out = wait(child);
        assert_ne!(out.code, 7, "cycle {i}: {out:?}");
        // The entry, if any, always reads.
        let who = env.run(&bmc, &["whoami", &host]);
        assert!(who.code == 0 || who.code == 4, "cycle {i}: {who:?}");
    }
    env.login(&bmc).ok();
    env.run(&bmc, &["get", &host, "/redfish/v1/Systems/1"]).ok();
    env.run(&bmc, &["logout", &host]).ok();
    let leaked = bmc.live_sessions() as u64;
    assert!(
        leaked <= kills,
        "{leaked} sessions left on the BMC after {kills} kills"
    );
    // No temp files left behind that a reader could mistake for an entry.
    let listed = env
        .run(&bmc, &["--json", "sessions", "--cached"])
        .ok()
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 0);
    eprintln!("{kills} kills, {leaked} sessions left for the BMC to expire");
}

#[test]
fn unsafe_foreign_and_newer_entries_are_refused_and_unknown_fields_kept() {
    let (bmc, env) = crate::common::logged_in(Profile::Generic);
    let path = env.entry_path(&bmc);
    let p = path.display().to_string();

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = env
        .run(&bmc, &["get", &bmc.host(), "/redfish/v1/Systems/1"])
        .code(7);
    assert!(out.stderr.contains(&format!("chmod 600 {p}")), "{out:?}");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();

    // Handing the entry to another user takes root; the check itself does not.
    if unsafe { libc::geteuid() } == 0 {
        std::os::unix::fs::chown(&path, Some(54321), None).unwrap();
        let out = env.run(&bmc, &["whoami", &bmc.host()]).code(7);
        assert!(
            out.stderr.contains("uid 54321") && out.stderr.contains("chown"),
            "{out:?}"
        );
        std::os::unix::fs::chown(&path, Some(unsafe { libc::geteuid() }), None).unwrap();
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["format"] = 2.into();
    std::fs::write(&path, v.to_string()).unwrap();
    let out = env
        .run(&bmc, &["get", &bmc.host(), "/redfish/v1/Systems/1"])
        .code(7);
    assert!(
        out.stderr.contains("format 2") && out.stderr.contains("newer"),
        "{out:?}"
    );

    v["format"] = 1.into();
    v["x_future"] = serde_json::json!({"kept": true});
    std::fs::write(&path, v.to_string()).unwrap();
    bmc.expire_all();
    env.run_env(&bmc, &["get", &bmc.host(), "/redfish/v1/Systems/1"], &PW)
        .ok();
    let rewritten: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_ne!(rewritten["token"], v["token"], "entry was not rewritten");
    assert_eq!(
        rewritten["x_future"]["kept"], true,
        "unknown field lost on rewrite"
    );
}
