//! The command line: HOST, PATH and the environment taken the same way by every command,
//! completion resolving HOST as commands do, `config` naming each value's true origin.

use bmc_emulator::{PASSWORD, Profile};

use crate::common::logged_in;

const RESET: &str = "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset";

#[test]
fn every_command_takes_host_from_rfsession_host() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let with = [
        ("RFSESSION_HOST", host.as_str()),
        ("RFSESSION_PASSWORD", PASSWORD),
    ];
    // The first word is a PATH: HOST is the variable's, for reads and writes alike.
    let out = env
        .run_env(
            &bmc,
            &["get", "/redfish/v1/Systems/1", "--pointer", "/Id"],
            &with,
        )
        .ok();
    assert_eq!(out.stdout, "1\n");
    env.run_env(&bmc, &["post", RESET, "ResetType=ForceOff"], &with)
        .ok();
    let out = env
        .run_env(
            &bmc,
            &["patch", "/redfish/v1/Systems/1", "AssetTag=rack-7"],
            &with,
        )
        .ok();
    assert_eq!(out.json()["AssetTag"], "rack-7", "{out:?}");
    let out = env
        .run_env(
            &bmc,
            &["exec", "--", "sh", "-c", "echo $RFSESSION_BASE_URL"],
            &with,
        )
        .ok();
    assert_eq!(out.stdout.trim(), format!("https://{host}"));
    for cmd in ["whoami", "token", "config"] {
        env.run_env(&bmc, &[cmd], &with).ok();
    }
    // A HOST typed beats the variable; a PATH typed without any HOST says what is missing.
    let out = env
        .run_env(
            &bmc,
            &["get", &host, "/redfish/v1/Systems/1", "--pointer", "/Id"],
            &[("RFSESSION_HOST", "bmc.invalid")],
        )
        .ok();
    assert_eq!(out.stdout, "1\n");
    let out = env.run(&bmc, &["post", RESET, "ResetType=On"]).code(2);
    assert!(out.stderr.contains("no HOST given"), "{out:?}");
}

#[test]
fn path_completion_resolves_a_settings_alias_as_commands_do() {
    let (bmc, env) = logged_in(Profile::Generic);
    let config = env.dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("[hosts.lab1]\nurl = \"https://{}\"\n", bmc.host()),
    )
    .unwrap();
    let config = config.display().to_string();
    let with = [("RFSESSION_CONFIG", config.as_str())];
    let ca = bmc.ca_path().display().to_string();
    env.run_env(&bmc, &["get", "lab1", "/redfish/v1/Systems/1"], &with)
        .ok();
    for (cmd, typed, want) in [
        ("get", "/redfish/v1/Sys", "/redfish/v1/Systems/\n"),
        ("patch", "Systems/", "Systems/1/\n"),
    ] {
        let words = [
            "complete-path",
            "rfsession",
            "--cacert",
            &ca,
            cmd,
            "lab1",
            typed,
        ];
        let out = env.run_env(&bmc, &words, &with).ok();
        assert_eq!(out.stdout, want, "{cmd} lab1 {typed}: {out:?}");
    }
    // And HOST from RFSESSION_HOST, the first word a PATH, as `get` takes it.
    let with = [
        ("RFSESSION_CONFIG", config.as_str()),
        ("RFSESSION_HOST", "lab1"),
    ];
    let words = [
        "complete-path",
        "rfsession",
        "--cacert",
        &ca,
        "get",
        "/redfish/v1/Sys",
    ];
    let out = env.run_env(&bmc, &words, &with).ok();
    assert_eq!(out.stdout, "/redfish/v1/Systems/\n", "{out:?}");
}

#[test]
fn config_names_where_persist_and_user_came_from() {
    let (bmc, env) = logged_in(Profile::Generic);
    let host = bmc.host();
    let row = |out: &crate::common::Out, key: &str| out.json()[key].clone();
    let out = env
        .run_env(
            &bmc,
            &["--json", "config", &host],
            &[("RFSESSION_PERSIST", "5m")],
        )
        .ok();
    assert_eq!(row(&out, "persist")["value"], "300s", "{out:?}");
    assert_eq!(
        row(&out, "persist")["from"],
        "environment RFSESSION_PERSIST"
    );
    let out = env
        .run(&bmc, &["--json", "--persist", "90s", "config", &host])
        .ok();
    assert_eq!(row(&out, "persist")["from"], "flag --persist", "{out:?}");
    let out = env
        .run_env(
            &bmc,
            &["--json", "config", &host],
            &[("RFSESSION_USER", "bob")],
        )
        .ok();
    assert_eq!(row(&out, "user")["value"], "bob", "{out:?}");
    assert_eq!(row(&out, "user")["from"], "environment RFSESSION_USER");
    let out = env
        .run_env(
            &bmc,
            &["--json", "config", &host, "-u", "carol"],
            &[("RFSESSION_USER", "bob")],
        )
        .ok();
    assert_eq!(row(&out, "user")["value"], "carol", "{out:?}");
    assert_eq!(row(&out, "user")["from"], "flag -u");
    // The cache directory: the tests name it in RFSESSION_CACHE_DIR.
    assert_eq!(
        row(&out, "cache_entry")["from"],
        "environment RFSESSION_CACHE_DIR"
    );
    let dir = env.cache().display().to_string();
    let out = env
        .run(&bmc, &["--json", "--cache-dir", &dir, "config", &host])
        .ok();
    assert_eq!(
        row(&out, "cache_entry")["from"],
        "flag --cache-dir",
        "{out:?}"
    );
}

#[test]
fn help_shows_a_commands_own_options_first_and_only_those_it_uses() {
    let env = crate::common::Env::new();
    let help = |cmd: &str| {
        let out = crate::common::Out::from(env.cmd(None, &[cmd, "--help"]).output().unwrap());
        assert_eq!(out.code, 0, "{out:?}");
        out.stdout
    };
    for cmd in ["get", "post", "patch", "delete", "login", "exec"] {
        let text = help(cmd);
        let at = |heading: &str| {
            text.find(&format!("\n{heading}:\n"))
                .unwrap_or_else(|| panic!("{cmd}: no {heading}: {text}"))
        };
        let order = [
            at("Options"),
            at("Credentials"),
            at("Connection and TLS"),
            at("Global"),
        ];
        assert!(order.is_sorted(), "{cmd}: {order:?}\n{text}");
        // Connection options under their heading, not among the command's own.
        assert!(
            text.find("--cacert").unwrap() > at("Connection and TLS"),
            "{cmd}"
        );
    }
    let post = help("post");
    assert!(!post.contains("--if-match"), "{post}");
    let delete = help("delete");
    for never in ["--if-match", "--data", "[ITEM]"] {
        assert!(!delete.contains(never), "delete offers {never}: {delete}");
    }
    assert!(help("patch").contains("--if-match"));
}

#[test]
fn the_readme_lists_every_environment_variable() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = readme
        .split("\n## Environment\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("README has an Environment section");
    for var in rfsession::environment::VARS {
        for name in var.names.split(", ") {
            assert!(
                table.contains(&format!("`{name}`")),
                "README's Environment misses {name}"
            );
        }
    }
}
