//! A write's JSON body: `-d JSON`, `-d @FILE`, `-d @-`, or request items as xh takes them
//! (`Name=value` a string, `Name:=json` any JSON value). Checked before anything is sent.

use std::io::Read;

use serde_json::{Map, Value};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BodyError {
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
        serde_json::from_str::<Value>(&text)
            .map_err(|source| BodyError::Invalid { source, from })?;
        return Ok(Some(text.into_bytes()));
    }
    if items.is_empty() {
        return Ok(None);
    }
    let mut obj = Map::new();
    for item in items {
        let (name, value) = if let Some((name, json)) = item.split_once(":=") {
            let v = serde_json::from_str(json).map_err(|source| BodyError::ItemJson {
                item: item.clone(),
                source,
            })?;
            (name, v)
        } else if let Some((name, text)) = item.split_once('=') {
            (name, Value::String(text.to_owned()))
        } else {
            return Err(BodyError::Item(item.clone()));
        };
        if name.is_empty() {
            return Err(BodyError::Item(item.clone()));
        }
        obj.insert(name.to_owned(), value);
    }
    Ok(Some(Value::Object(obj).to_string().into_bytes()))
}

fn read_all(mut r: impl Read, from: &str) -> Result<String, BodyError> {
    let mut s = String::new();
    r.read_to_string(&mut s).map_err(|source| BodyError::Read {
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
    fn bad_input_is_named() {
        let e = build(Some("{\"a\": }"), &[]).unwrap_err().to_string();
        assert!(e.contains("line 1 column 7"), "{e}");
        assert!(matches!(items(&["novalue"]), Err(BodyError::Item(_))));
        assert!(matches!(items(&["=x"]), Err(BodyError::Item(_))));
        assert!(matches!(items(&["N:={"]), Err(BodyError::ItemJson { .. })));
    }
}
