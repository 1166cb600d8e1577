//! The resource client: GET and writes with the session's token, If-Match and ETags as each
//! vendor writes them, JSON bodies, merged pages, and links followed only on the host. The
//! session protocol itself (login, checking, listing and ending sessions) is `redfish`.

use serde_json::Value;

use crate::links;
use crate::redfish::{
    Bmc, MAX_PAGES, RedfishError, SMALL_BODY_LIMIT, error_text, is_success, parse_json,
};
use crate::secret::Secret;
use crate::transport::Response;
use crate::transport::TransportError;

/// An ETag as If-Match takes it back on every BMC: the opaque tag, strong, in one pair of
/// quotes, without iDRAC's `-gzip` (added when the answer was compressed).
pub fn normalize_etag(raw: &str) -> String {
    let tag = raw.trim();
    let tag = tag
        .strip_prefix("W/")
        .unwrap_or(tag)
        .trim()
        .trim_matches('"');
    let tag = tag.strip_suffix("-gzip").unwrap_or(tag);
    format!("\"{tag}\"")
}

impl Bmc {
    /// GET `path` with the token; 401 becomes `Unauthorized`, other non-2xx `Status`.
    pub fn get(&self, token: &Secret, path: &str) -> Result<Response, RedfishError> {
        let mut resp = self.transport.send("GET", path, Some(token), None)?;
        self.check(&mut resp, "GET")?;
        Ok(resp)
    }

    /// A write: the body (JSON), If-Match when given. Any 2xx is success; a request that
    /// may have reached the BMC is never sent twice.
    pub fn write(
        &self,
        token: &Secret,
        method: &'static str,
        path: &str,
        body: Option<&[u8]>,
        if_match: Option<&str>,
    ) -> Result<Response, RedfishError> {
        let headers: Vec<(&str, &str)> = if_match.map(|t| ("If-Match", t)).into_iter().collect();
        let mut resp = self
            .transport
            .send_with(method, path, Some(token), body, &headers)
            .map_err(|e| match e {
                TransportError::Timeout(d) => TransportError::MayHaveApplied {
                    method: method.to_owned(),
                    detail: format!("no answer within {}", crate::timefmt::compact(d)),
                },
                e => e,
            })?;
        self.check(&mut resp, method)?;
        Ok(resp)
    }

    /// The resource's ETag for If-Match: the ETag header of a GET, else the body's
    /// `@odata.etag`; normalized (see `normalize_etag`).
    pub fn read_etag(&self, token: &Secret, path: &str) -> Result<Option<String>, RedfishError> {
        let mut resp = self.get(token, path)?;
        if let Some(tag) = resp.header("etag").filter(|t| !t.trim().is_empty()) {
            return Ok(Some(normalize_etag(tag)));
        }
        let body = resp.bytes(SMALL_BODY_LIMIT)?;
        Ok(serde_json::from_slice::<Value>(&body)
            .ok()
            .and_then(|v| v.get("@odata.etag")?.as_str().map(normalize_etag)))
    }

    /// A link in the answer to `base`, as a path on the host logged in to (see `links`);
    /// `what` names the link in the error.
    pub fn follow(
        &self,
        base: &str,
        what: &'static str,
        link: &str,
    ) -> Result<String, RedfishError> {
        links::on_host(&self.host, base, link).ok_or_else(|| RedfishError::ForeignLink {
            path: base.split('?').next().unwrap_or(base).to_owned(),
            what,
            link: link.chars().take(200).collect(),
        })
    }

    /// Turn a non-2xx response into the matching error.
    pub fn check(&self, resp: &mut Response, method: &'static str) -> Result<(), RedfishError> {
        match resp.status {
            s if is_success(s) => Ok(()),
            // With HTTP Basic there is no token to blame: the user or password is wrong.
            401 if self.transport.basic() => Err(RedfishError::Rejected {
                status: 401,
                message: error_text(resp),
            }),
            401 => Err(RedfishError::Unauthorized {
                host: self.host.key(),
                message: error_text(resp),
            }),
            412 => Err(RedfishError::PreconditionFailed {
                method,
                path: resp.path.clone(),
                message: error_text(resp),
            }),
            428 => Err(RedfishError::PreconditionRequired {
                method,
                path: resp.path.clone(),
                message: error_text(resp),
            }),
            status => Err(RedfishError::Status {
                host: self.host.key(),
                method,
                path: resp.path.clone(),
                status,
                message: error_text(resp),
            }),
        }
    }

    /// Follow `Members@odata.nextLink` from `first` (the body of `path`) and merge every
    /// page's Members into it. All pages together stay under `limit` bytes; a loop, a link
    /// to another host or more than MAX_PAGES pages is an error, never a partial result.
    pub fn merge_pages(
        &self,
        token: &Secret,
        path: &str,
        first: &mut Value,
        first_len: u64,
        limit: u64,
    ) -> Result<(), RedfishError> {
        let mut seen = vec![path.to_owned()];
        let mut total = first_len;
        while let Some(link) = first
            .get("Members@odata.nextLink")
            .and_then(Value::as_str)
            .map(str::to_owned)
        {
            let last = seen.last().map_or(path, String::as_str);
            let next = self.follow(last, "Members@odata.nextLink", &link)?;
            if seen.contains(&next) {
                return Err(RedfishError::PageLoop {
                    path: path.to_owned(),
                    link,
                });
            }
            if seen.len() >= MAX_PAGES {
                return Err(RedfishError::TooManyPages {
                    path: path.to_owned(),
                });
            }
            let mut resp = self.get(token, &next)?;
            let too_large = || RedfishError::from(TransportError::TooLarge(limit));
            let bytes = resp
                .bytes(limit.saturating_sub(total).max(1))
                .map_err(|e| match e {
                    TransportError::TooLarge(_) => too_large(),
                    e => e.into(),
                })?;
            total += bytes.len() as u64;
            if total > limit {
                return Err(too_large());
            }
            let page = parse_json(&next, &bytes)?;
            if let (Some(all), Some(more)) = (
                first.get_mut("Members").and_then(Value::as_array_mut),
                page.get("Members").and_then(Value::as_array),
            ) {
                all.extend(more.iter().cloned());
            }
            match page.get("Members@odata.nextLink") {
                Some(n) => first["Members@odata.nextLink"] = n.clone(),
                None => {
                    first
                        .as_object_mut()
                        .map(|o| o.remove("Members@odata.nextLink"));
                }
            }
            seen.push(next);
        }
        let count = first.get("Members").and_then(Value::as_array).map(Vec::len);
        if let (Some(n), Some(obj)) = (count, first.as_object_mut()) {
            obj.insert("Members@odata.count".into(), n.into());
        }
        Ok(())
    }

    /// GET `path` and parse it as JSON, with the body's length (for `merge_pages`).
    pub(crate) fn get_page(
        &self,
        token: &Secret,
        path: &str,
    ) -> Result<(Value, u64), RedfishError> {
        let mut resp = self.get(token, path)?;
        let bytes = resp.bytes(SMALL_BODY_LIMIT)?;
        Ok((parse_json(&resp.path, &bytes)?, bytes.len() as u64))
    }

    /// GET `path` and parse it as JSON, refusing bodies over `limit`.
    pub fn get_json(&self, token: &Secret, path: &str, limit: u64) -> Result<Value, RedfishError> {
        let mut resp = self.get(token, path)?;
        let bytes = resp.bytes(limit)?;
        parse_json(&resp.path, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_from_every_vendor_come_back_strong_and_plain() {
        for raw in [
            "\"abc\"",
            "W/\"abc\"",
            "\"abc-gzip\"",
            "W/\"abc-gzip\"",
            "\"\"abc\"\"",
            " abc ",
        ] {
            assert_eq!(normalize_etag(raw), "\"abc\"", "{raw}");
        }
    }
}
