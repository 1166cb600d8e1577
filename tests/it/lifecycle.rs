//! The session lifecycle as the BMC sees it: what each host operation costs in connections.

use bmc_emulator::{PASSWORD, Profile, USER};

use crate::common::logged_in;

/// The TLS connections the BMC accepted while `run` ran.
fn connections(bmc: &bmc_emulator::Bmc, run: impl FnOnce()) -> u64 {
    let before = bmc.state().connections;
    run();
    bmc.state().connections - before
}

#[test]
fn a_host_operation_opens_one_connection() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let pw = [("RFSESSION_PASSWORD", PASSWORD)];
    // The request, the 401, the old session's DELETE, the login and the retry: one.
    bmc.expire_all();
    let n = connections(&bmc, || {
        let out = env
            .run_env(&bmc, &["get", &host, "Systems/1", "--pointer", "/Id"], &pw)
            .ok();
        assert_eq!(out.stdout, "1\n");
    });
    assert_eq!(bmc.created(), 2);
    assert_eq!(n, 1, "a get that logs in again");
    // The DELETE of the cached session and the new login: one.
    let n = connections(&bmc, || {
        env.run_env(&bmc, &["login", &host, "-u", USER, "--force"], &pw)
            .ok();
    });
    assert_eq!((bmc.created(), bmc.live_sessions()), (3, 1));
    assert_eq!(n, 1, "login --force");
    // A login that finds its session gone: the check, the DELETE and the POST.
    bmc.expire_all();
    let n = connections(&bmc, || {
        env.run_env(&bmc, &["login", &host, "-u", USER], &pw).ok();
    });
    assert_eq!(bmc.created(), 4);
    assert_eq!(n, 1, "login after expiry");
}
