//! Property tests: parsers fed arbitrary input never panic and keep their promises.
//! Bounded (a few thousand cases each) so they run in every CI.

use proptest::prelude::*;
use rfsession::cache::parse_entry;
use rfsession::host::Host;
use rfsession::redfish::{error_message, resolve_session_uri};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 3000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn host_parsing_never_panics_and_normalizes_idempotently(s in "\\PC{0,40}") {
        if let Ok(h) = Host::parse(&s) {
            let again = Host::parse(&h.key()).expect("a key parses");
            prop_assert_eq!(&again, &h);
            prop_assert_eq!(Host::from_file_stem(&h.file_stem()), Some(h.clone()));
            prop_assert!(!h.file_stem().contains('/'));
        }
    }

    #[test]
    fn host_like_inputs_normalize(
        scheme in prop::sample::select(vec!["", "https://", "HTTPS://", "http://"]),
        name in "[a-zA-Z0-9][a-zA-Z0-9.-]{0,20}[a-zA-Z0-9]",
        port in prop::option::of(1u16..),
        slash in any::<bool>(),
    ) {
        let input = format!(
            "{scheme}{name}{}{}",
            port.map(|p| format!(":{p}")).unwrap_or_default(),
            if slash { "/" } else { "" }
        );
        if let Ok(h) = Host::parse(&input) {
            prop_assert_eq!(h.name.clone(), h.name.to_ascii_lowercase());
            let default = if scheme.starts_with("http:") { 80 } else { 443 };
            prop_assert_eq!(h.port, port.unwrap_or(default));
            prop_assert_eq!(h.key().ends_with(&format!(":{default}")), false);
        }
    }

    #[test]
    fn location_resolution_never_panics_and_stays_a_redfish_path(s in "\\PC{0,80}") {
        if let Some(p) = resolve_session_uri(&s) {
            prop_assert!(p.starts_with("/redfish/"), "{}", p);
            prop_assert!(!p.ends_with('/') && !p.contains("..") && !p.contains('?'));
        }
    }

    #[test]
    fn location_forms_keep_the_path(
        prefix in prop::sample::select(vec!["", "https://10.0.0.1", "https://bmc:8443", "bmc:45000", "http://x"]),
        id in "[A-Za-z0-9%-]{1,24}",
        slash in any::<bool>(),
    ) {
        let loc = format!("{prefix}/redfish/v1/SessionService/Sessions/{id}{}", if slash { "/" } else { "" });
        prop_assert_eq!(resolve_session_uri(&loc), Some(format!("/redfish/v1/SessionService/Sessions/{id}")));
    }

    #[test]
    fn cache_entry_parsing_never_panics(s in "\\PC{0,200}") {
        let _ = parse_entry(&s);
    }

    #[test]
    fn cache_entry_parsing_of_json_objects_never_panics(
        format in prop::option::of(0u64..5),
        token in prop::option::of("\\PC{0,10}"),
        created in prop::option::of(any::<i64>()),
        extra in prop::collection::btree_map("[a-z_]{1,8}", "\\PC{0,8}", 0..4),
    ) {
        let mut v = serde_json::json!({"host": "https://bmc1", "user": "admin"});
        if let Some(f) = format { v["format"] = f.into(); }
        if let Some(t) = token { v["token"] = t.into(); }
        if let Some(c) = created { v["created"] = c.into(); }
        for (k, x) in extra { v[k] = x.into(); }
        if let Ok(e) = parse_entry(&v.to_string()) {
            prop_assert!(e.format <= rfsession::cache::FORMAT);
            prop_assert!(!e.token.is_empty());
        }
    }

    #[test]
    fn error_messages_are_one_short_line(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let m = error_message(&bytes);
        prop_assert!(!m.contains('\n') && !m.contains('\r'));
        prop_assert!(m.chars().count() <= 310);
    }

    #[test]
    fn error_messages_from_redfish_shaped_bodies(
        id in "[A-Za-z.0-9]{0,30}", msg in "\\PC{0,400}", html in any::<bool>(),
    ) {
        let body = if html {
            format!("<html><head><title>{msg}</title></head><body>{id}</body></html>")
        } else {
            serde_json::json!({"error": {"@Message.ExtendedInfo": [{"MessageId": id, "Message": msg}]}}).to_string()
        };
        let m = error_message(body.as_bytes());
        prop_assert!(!m.contains('\n') && m.chars().count() <= 310);
        prop_assert!(!m.contains("<body>"));
    }
}
