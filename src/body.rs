//! A write's JSON body: `-d JSON`, `-d @FILE`, `-d @-`, or request items as xh takes them
//! (`Name=value` a string, `Name:=json` any JSON value). Checked before anything is sent.
//! A body is at most [`MAX_BODY`]: Redfish writes are small, and a wrong `@FILE` (a disk
//! image, /dev/zero) must not fill memory.

use std::io::Read;

use serde_json::{Map, Value};

/// The largest body `-d` takes, inline, from a file or from standard input: 1 MiB.
pub const MAX_BODY: u64 = 1 << 20;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BodyError {
    #[error(
        "the body from {from} is larger than 1 MiB, the most rfsession sends: nothing was sent"
    )]
    TooLarge { from: String },
    #[error("the body is not valid JSON ({source}{}): nothing was sent", origin(.from))]
    Invalid {
        source: serde_json::Error,
        from: Option<String>,
    },
    #[error("cannot read the body from {from}: {source}")]
    Read {
        from: String,
        source: std::io::Error,
    },
    #[error(
        "request item {0:?} is neither Name=value nor Name:=json (e.g. ResetType=On, Boot:='{{\"BootSourceOverrideTarget\":\"Pxe\"}}')"
    )]
    Item(String),
    #[error("request item {item:?}: the value after := is not JSON ({source})")]
    ItemJson {
        item: String,
        source: serde_json::Error,
    },
}

fn origin(from: &Option<String>) -> String {
    from.as_ref()
        .map(|f| format!(" in {f}"))
        .unwrap_or_default()
}

/// The body from `-d` or the items; None when neither was given.
pub fn build(data: Option<&str>, items: &[String]) -> Result<Option<Vec<u8>>, BodyError> {
    if let Some(d) = data {
        let (text, from) = match d.strip_prefix('@') {
            Some("-") => (
                read_all(std::io::stdin(), "standard input")?,
                Some("standard input".to_owned()),
            ),
            Some(path) => {
                let file = std::fs::File::open(path).map_err(|source| BodyError::Read {
                    from: path.to_owned(),
                    source,
                })?;
                (read_all(file, path)?, Some(path.to_owned()))
            }
            None => (d.to_owned(), None),
        };
        if text.len() as u64 > MAX_BODY {
            return Err(BodyError::TooLarge {
                from: from.unwrap_or_else(|| "-d".to_owned()),
            });
        }
        serde_json::from_str::<Value>(&text)
            .map_err(|source| BodyError::Invalid { source, from })?;
        return Ok(Some(text.into_bytes()));
    }
    if items.is_empty() {
        return Ok(None);
    }
    let mut obj = Map::new();
    for item in items {
        // The first separator decides, as xh splits: `AssetTag=rack:=12` is a string.
        let (name, value) = match item.find('=') {
            Some(at) if at > 0 && item.as_bytes()[at - 1] == b':' => {
                let json = &item[at + 1..];
                let v = serde_json::from_str(json).map_err(|source| BodyError::ItemJson {
                    item: item.clone(),
                    source,
                })?;
                (&item[..at - 1], v)
            }
            Some(at) => (&item[..at], Value::String(item[at + 1..].to_owned())),
            None => return Err(BodyError::Item(item.clone())),
        };
        if name.is_empty() {
            return Err(BodyError::Item(item.clone()));
        }
        obj.insert(name.to_owned(), value);
    }
    Ok(Some(Value::Object(obj).to_string().into_bytes()))
}

/// At most one byte past MAX_BODY, so that too much is told from just enough.
fn read_all(r: impl Read, from: &str) -> Result<String, BodyError> {
    let mut s = String::new();
    r.take(MAX_BODY + 1)
        .read_to_string(&mut s)
        .map_err(|source| BodyError::Read {
            from: from.to_owned(),
            source,
        })?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(list: &[&str]) -> Result<Option<Vec<u8>>, BodyError> {
        build(
            None,
            &list.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
    }

    #[test]
    fn items_become_one_object() {
        let body = items(&[
            "ResetType=ForceRestart",
            "Boot:={\"BootSourceOverrideTarget\":\"Pxe\"}",
            "N:=3",
            "Eq=a=b",
        ])
        .unwrap()
        .unwrap();
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"ResetType": "ForceRestart", "Boot": {"BootSourceOverrideTarget": "Pxe"}, "N": 3, "Eq": "a=b"})
        );
        assert!(items(&[]).unwrap().is_none());
    }

    #[test]
    fn items_split_at_the_first_separator_as_xh_does() {
        let one = |item: &str| -> Value {
            serde_json::from_slice(&items(&[item]).unwrap().unwrap()).unwrap()
        };
        for (item, want) in [
            (
                "AssetTag=rack:=12",
                serde_json::json!({"AssetTag": "rack:=12"}),
            ),
            ("N:=12", serde_json::json!({"N": 12})),
            ("N:=\"a=b\"", serde_json::json!({"N": "a=b"})),
            ("Eq=a=b", serde_json::json!({"Eq": "a=b"})),
            ("Url=http://x:=1", serde_json::json!({"Url": "http://x:=1"})),
            ("A:B=c", serde_json::json!({"A:B": "c"})),
            ("Empty=", serde_json::json!({"Empty": ""})),
            ("L:=[1,\"x=y\"]", serde_json::json!({"L": [1, "x=y"]})),
        ] {
            assert_eq!(one(item), want, "{item}");
        }
        assert!(matches!(items(&[":=1"]), Err(BodyError::Item(_))));
        assert!(matches!(
            items(&["Bad:=x=1"]),
            Err(BodyError::ItemJson { .. })
        ));
    }

    #[test]
    fn a_body_past_the_maximum_is_refused() {
        let big = format!("\"{}\"", "x".repeat(MAX_BODY as usize));
        assert!(matches!(
            build(Some(&big), &[]),
            Err(BodyError::TooLarge { .. })
        ));
        let fits = format!("\"{}\"", "x".repeat(MAX_BODY as usize - 2));
        assert!(build(Some(&fits), &[]).unwrap().is_some());
    }

    #[test]
    fn bad_input_is_named() {
        let e = build(Some("{\"a\": }"), &[]).unwrap_err().to_string();
        assert!(e.contains("line 1 column 7"), "{e}");
        assert!(matches!(items(&["novalue"]), Err(BodyError::Item(_))));
        assert!(matches!(items(&["=x"]), Err(BodyError::Item(_))));
        assert!(matches!(items(&["N:={"]), Err(BodyError::ItemJson { .. })));
    }
}
