//! The Redfish session protocol (DSP0266 13.3): login, finding the session URI, checking,
//! listing and deleting sessions, and reading the BMC's error messages.

use std::time::Duration;

use serde_json::{Value, json};

use crate::secret::Secret;
use crate::transport::{Response, Transport, TransportError};

pub const DEFAULT_SESSIONS: &str = "/redfish/v1/SessionService/Sessions";
/// Error bodies are read for their message only; never more than this.
const ERROR_BODY_LIMIT: u64 = 256 * 1024;
/// Session POSTs answered 503 with Retry-After are tried this often, waiting this long in all.
const LOGIN_TRIES: u32 = 3;
const MAX_RETRY_WAIT: Duration = Duration::from_secs(10);
/// Bodies of session resources and collections.
const SMALL_BODY_LIMIT: u64 = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RedfishError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("the BMC rejected the credentials (HTTP {status}{}); check the user name and password", detail(.message))]
    Rejected { status: u16, message: String },
    #[error("the BMC does not accept the session token (HTTP 401{}); run: rfsession login HOST", detail(.message))]
    Unauthorized { message: String },
    #[error("the BMC's session table is full (HTTP {status}{}); list sessions with `rfsession sessions HOST` and end a stale one with `rfsession logout HOST --session ID`", detail(.message))]
    SessionLimit { status: u16, message: String },
    #[error("{method} {path} answered HTTP {status}{}", detail(.message))]
    Status {
        method: &'static str,
        path: String,
        status: u16,
        message: String,
    },
    #[error("{path} answered with invalid JSON ({detail}); use --raw to see the bytes")]
    BadJson { path: String, detail: String },
    #[error(
        "the login answered HTTP {0} without an X-Auth-Token header; this BMC does not support token sessions"
    )]
    NoToken(u16),
    #[error(
        "cannot find this session among the BMC's sessions (no URI, no MySession, no matching Context); list them with `rfsession sessions HOST` and end it with `rfsession logout HOST --session ID`"
    )]
    SessionNotFound,
    #[error("{path}: the BMC's {what} {link} points to another host; not followed")]
    ForeignLink {
        path: String,
        what: &'static str,
        link: String,
    },
}

fn detail(message: &str) -> String {
    if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    }
}

/// A session the BMC just created.
#[derive(Debug)]
pub struct Created {
    pub token: Secret,
    /// Path on the logged-in host; empty when neither Location nor the body gave one.
    pub session_uri: String,
    pub session_id: String,
    /// The BMC's PasswordChangeRequired message, when it sent one.
    pub password_change: Option<String>,
}

/// One member of the sessions collection.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub id: String,
    pub uri: String,
    pub user: String,
    pub created: String,
    pub origin: String,
    /// The BMC says so (Oem MySession), or the Context matches ours.
    pub marked_mine: bool,
    pub context: String,
}

/// What a DELETE of a session came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Deleted {
    /// 2xx.
    Ended,
    /// 404 or 401: the BMC no longer has it.
    AlreadyGone,
}

/// The session protocol for one BMC.
pub struct Bmc {
    pub transport: Transport,
}

impl Bmc {
    pub fn new(transport: Transport) -> Bmc {
        Bmc { transport }
    }

    /// The sessions collection from the service root (which needs no authentication).
    pub fn sessions_path(&self) -> Result<String, RedfishError> {
        let mut resp = self.transport.send("GET", "/redfish/v1/", None, None)?;
        if !is_success(resp.status) {
            return Ok(DEFAULT_SESSIONS.to_owned());
        }
        let body = resp.bytes(SMALL_BODY_LIMIT)?;
        let root: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let link = root
            .pointer("/Links/Sessions/@odata.id")
            .and_then(Value::as_str)
            .and_then(resolve_session_uri);
        Ok(link.unwrap_or_else(|| DEFAULT_SESSIONS.to_owned()))
    }

    /// POST the credentials with a unique `context`; any 2xx is a created session.
    pub fn login(
        &self,
        sessions: &str,
        user: &str,
        password: &Secret,
        context: &str,
    ) -> Result<Created, RedfishError> {
        let body = zeroize::Zeroizing::new(
            serde_json::to_vec(&json!({
                "UserName": user,
                "Password": password.expose(),
                "Context": context,
            }))
            .expect("login body serializes"),
        );
        let mut waited = Duration::ZERO;
        let mut attempt = 1;
        let mut resp = loop {
            let mut resp = self.transport.send("POST", sessions, None, Some(&body))?;
            let status = resp.status;
            if is_success(status) {
                break resp;
            }
            let retry_after = resp
                .header("retry-after")
                .and_then(|v| v.trim().parse::<u64>().ok());
            let message = error_text(&mut resp);
            if is_session_limit(status, &message) {
                return Err(RedfishError::SessionLimit { status, message });
            }
            // A busy BMC says when to come back: wait as told, 10 s at most in all.
            if let (503, Some(secs), true) = (status, retry_after, attempt < LOGIN_TRIES) {
                let pause = Duration::from_secs(secs).min(MAX_RETRY_WAIT.saturating_sub(waited));
                std::thread::sleep(pause);
                waited += pause;
                attempt += 1;
                continue;
            }
            return Err(match status {
                400 | 401 | 403 => RedfishError::Rejected { status, message },
                _ => RedfishError::Status {
                    method: "POST",
                    path: sessions.to_owned(),
                    status,
                    message,
                },
            });
        };
        let status = resp.status;
        let token = resp
            .header("x-auth-token")
            .filter(|t| !t.is_empty())
            .map(|t| Secret::new(t.to_owned()))
            .ok_or(RedfishError::NoToken(status))?;
        let location = resp.header("location").map(str::to_owned);
        let body: Value = resp
            .bytes(SMALL_BODY_LIMIT)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or(Value::Null);
        let session_uri = location
            .as_deref()
            .and_then(resolve_session_uri)
            .or_else(|| {
                body.get("@odata.id")
                    .and_then(Value::as_str)
                    .and_then(resolve_session_uri)
            })
            .unwrap_or_default();
        let session_id = body
            .get("Id")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| last_segment(&session_uri));
        let password_change = messages(&body)
            .into_iter()
            .find(|(id, _)| id.contains("PasswordChangeRequired"))
            .map(|(_, text)| text);
        Ok(Created {
            token,
            session_uri,
            session_id,
            password_change,
        })
    }

    /// Is this token still accepted? `probe` is the session URI, or any authenticated path.
    /// Ok(false) only when the BMC says 401; other failures are errors, not "invalid".
    pub fn accepts(&self, token: &Secret, probe: &str) -> Result<bool, RedfishError> {
        let path = if probe.is_empty() {
            DEFAULT_SESSIONS
        } else {
            probe
        };
        let mut resp = self.transport.send("GET", path, Some(token), None)?;
        match resp.status {
            401 => Ok(false),
            // 403: authenticated, only not allowed (a password change is pending, say).
            s if is_success(s) || s == 403 => Ok(true),
            // The session resource is gone although the token passed: ask the service itself.
            404 if !probe.is_empty() => self.accepts(token, ""),
            status => Err(RedfishError::Status {
                method: "GET",
                path: path.to_owned(),
                status,
                message: error_text(&mut resp),
            }),
        }
    }

    /// GET `path` with the token; 401 becomes `Unauthorized`, other non-2xx `Status`.
    pub fn get(&self, token: &Secret, path: &str) -> Result<Response, RedfishError> {
        let mut resp = self.transport.send("GET", path, Some(token), None)?;
        check(&mut resp, "GET")?;
        Ok(resp)
    }

    /// GET `path` and parse it as JSON, refusing bodies over `limit`.
    pub fn get_json(&self, token: &Secret, path: &str, limit: u64) -> Result<Value, RedfishError> {
        let mut resp = self.get(token, path)?;
        let bytes = resp.bytes(limit)?;
        parse_json(&resp.path, &bytes)
    }

    /// SessionService.SessionTimeout in seconds, if readable.
    pub fn session_timeout(&self, token: &Secret) -> Option<u64> {
        let v = self
            .get_json(token, "/redfish/v1/SessionService", SMALL_BODY_LIMIT)
            .ok()?;
        v.get("SessionTimeout").and_then(Value::as_u64)
    }

    /// DELETE a session. 2xx ends it; 404 and 401 mean it is gone already.
    pub fn delete(&self, token: &Secret, uri: &str) -> Result<Deleted, RedfishError> {
        let mut resp = self.transport.send("DELETE", uri, Some(token), None)?;
        match resp.status {
            s if is_success(s) => Ok(Deleted::Ended),
            404 | 401 => Ok(Deleted::AlreadyGone),
            status => Err(RedfishError::Status {
                method: "DELETE",
                path: uri.to_owned(),
                status,
                message: error_text(&mut resp),
            }),
        }
    }

    /// Every session on the BMC, with `$expand=.` when the BMC supports it.
    pub fn list_sessions(
        &self,
        token: &Secret,
        sessions: &str,
        context: &str,
    ) -> Result<Vec<SessionInfo>, RedfishError> {
        let expanded = format!("{sessions}?$expand=.");
        let collection = match self.get_json(token, &expanded, SMALL_BODY_LIMIT) {
            Ok(v) => v,
            // Services without $expand answer 400/501; fall back to the plain collection.
            Err(RedfishError::Status { .. } | RedfishError::BadJson { .. }) => {
                self.get_json(token, sessions, SMALL_BODY_LIMIT)?
            }
            Err(e) => return Err(e),
        };
        let members = collection
            .get("Members")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut out = Vec::with_capacity(members.len());
        for m in members {
            let Some(uri) = m
                .get("@odata.id")
                .and_then(Value::as_str)
                .and_then(resolve_session_uri)
            else {
                continue;
            };
            // A member with only @odata.id was not expanded: read it.
            let m = if m.get("Id").is_none() && m.get("UserName").is_none() {
                match self.get_json(token, &uri, SMALL_BODY_LIMIT) {
                    Ok(v) => v,
                    Err(RedfishError::Status { status: 404, .. }) => continue,
                    Err(e) => return Err(e),
                }
            } else {
                m
            };
            out.push(session_info(&uri, &m, context));
        }
        Ok(out)
    }

    /// Find our own session when the login gave no URI: Oem MySession, else our Context.
    pub fn find_mine(
        &self,
        token: &Secret,
        sessions: &str,
        context: &str,
        user: &str,
    ) -> Result<Option<String>, RedfishError> {
        let list = self.list_sessions(token, sessions, context)?;
        Ok(list
            .into_iter()
            .find(|s| s.marked_mine && (s.user.is_empty() || s.user == user))
            .map(|s| s.uri))
    }
}

fn session_info(uri: &str, m: &Value, context: &str) -> SessionInfo {
    let text = |p: &str| {
        m.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let oem_mine = [
        "/Oem/Hpe/MySession",
        "/Oem/Hp/MySession",
        "/Oem/Huawei/MySession",
    ]
    .iter()
    .any(|p| m.pointer(p).and_then(Value::as_bool) == Some(true));
    let ctx = text("/Context");
    SessionInfo {
        id: m
            .get("Id")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| last_segment(uri)),
        uri: uri.to_owned(),
        user: text("/UserName"),
        created: text("/CreatedTime"),
        origin: text("/ClientOriginIPAddress"),
        marked_mine: oem_mine || (!context.is_empty() && ctx == context),
        context: ctx,
    }
}

pub fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Turn a non-2xx response into the matching error.
fn check(resp: &mut Response, method: &'static str) -> Result<(), RedfishError> {
    match resp.status {
        s if is_success(s) => Ok(()),
        401 => Err(RedfishError::Unauthorized {
            message: error_text(resp),
        }),
        status => Err(RedfishError::Status {
            method,
            path: resp.path.clone(),
            status,
            message: error_text(resp),
        }),
    }
}

pub fn parse_json(path: &str, bytes: &[u8]) -> Result<Value, RedfishError> {
    serde_json::from_slice(bytes).map_err(|e| RedfishError::BadJson {
        path: path.to_owned(),
        detail: if bytes.is_empty() {
            "empty body".to_owned()
        } else if looks_like_html(bytes) {
            match html_title(&String::from_utf8_lossy(bytes)) {
                Some(t) => format!("an HTML page titled '{t}'"),
                None => "an HTML page".to_owned(),
            }
        } else {
            e.to_string()
        },
    })
}

/// The session's path from a Location header or @odata.id, whatever the form: relative,
/// absolute with or without port, without scheme (ODIM), with a trailing slash (iLO 4) or
/// without a leading slash. Only the part from `/redfish/` on is kept; it is always sent to
/// the host logged in to, never to a host the Location names.
pub fn resolve_session_uri(location: &str) -> Option<String> {
    let loc = location.trim();
    let loc = loc.split(['?', '#']).next().unwrap_or("");
    let path = match loc.find("/redfish/") {
        Some(i) => loc[i..].to_owned(),
        None if loc.starts_with("redfish/") => format!("/{loc}"),
        None if loc.starts_with("SessionService/") => format!("/redfish/v1/{loc}"),
        None => return None,
    };
    let path = path.trim_end_matches('/');
    if path.len() <= "/redfish".len() || path.contains("..") || path.chars().any(char::is_control) {
        return None;
    }
    Some(path.to_owned())
}

fn last_segment(uri: &str) -> String {
    uri.rsplit('/').next().unwrap_or("").to_owned()
}

/// (MessageId, Message) pairs from a Redfish body: `error.@Message.ExtendedInfo`, the
/// top-level `@Message.ExtendedInfo`, then `error.message`.
pub fn messages(body: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let infos = [
        body.pointer("/error/@Message.ExtendedInfo"),
        body.get("@Message.ExtendedInfo"),
    ];
    for info in infos.into_iter().flatten() {
        for item in info.as_array().into_iter().flatten() {
            let id = item.get("MessageId").and_then(Value::as_str).unwrap_or("");
            let msg = item.get("Message").and_then(Value::as_str).unwrap_or("");
            if !id.is_empty() || !msg.is_empty() {
                out.push((id.to_owned(), msg.to_owned()));
            }
        }
    }
    if out.is_empty() {
        let code = body
            .pointer("/error/code")
            .and_then(Value::as_str)
            .unwrap_or("");
        let msg = body
            .pointer("/error/message")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !code.is_empty() || !msg.is_empty() {
            out.push((code.to_owned(), msg.to_owned()));
        }
    }
    out
}

/// One line for the operator from an error body: the Redfish messages, the title of an
/// HTML page, or a short plain-text body. Never the raw HTML.
pub fn error_message(bytes: &[u8]) -> String {
    if let Ok(v) = serde_json::from_slice::<Value>(bytes) {
        let parts: Vec<String> = messages(&v)
            .into_iter()
            .map(|(id, msg)| match (id.is_empty(), msg.is_empty()) {
                (_, false) if id.is_empty() => msg,
                (false, false) => format!("{msg} ({id})"),
                _ => id,
            })
            .collect();
        return one_line(&parts.join("; "), 300);
    }
    let text = String::from_utf8_lossy(bytes);
    if looks_like_html(bytes) {
        return html_title(&text).unwrap_or_else(|| "an HTML error page".to_owned());
    }
    one_line(&text, 200)
}

fn error_text(resp: &mut Response) -> String {
    match resp.bytes(ERROR_BODY_LIMIT) {
        Ok(b) => error_message(&b),
        Err(_) => String::new(),
    }
}

fn one_line(s: &str, max: usize) -> String {
    let joined: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = joined
        .chars()
        .filter(|c| !c.is_control())
        .take(max)
        .collect();
    if cut.chars().count() < joined.chars().count() {
        format!("{cut}...")
    } else {
        cut
    }
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<title")
}

fn html_title(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let title = one_line(text.get(open_end..close)?, 120);
    (!title.is_empty()).then_some(title)
}

/// The answers BMCs give when their session table is full.
pub fn is_session_limit(status: u16, message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    matches!(status, 400 | 403 | 429 | 503)
        && (m.contains("sessionlimitexceeded")
            || m.contains("rac0218")
            || (m.contains("session") && (m.contains("limit") || m.contains("maximum"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_forms_from_the_field() {
        let want = Some("/redfish/v1/SessionService/Sessions/7".to_owned());
        for loc in [
            "/redfish/v1/SessionService/Sessions/7",
            "https://10.0.0.1/redfish/v1/SessionService/Sessions/7",
            "https://10.0.0.1:8443/redfish/v1/SessionService/Sessions/7/",
            "10.0.0.1:45000/redfish/v1/SessionService/Sessions/7",
            "SessionService/Sessions/7",
            "redfish/v1/SessionService/Sessions/7",
            " /redfish/v1/SessionService/Sessions/7 ",
        ] {
            assert_eq!(resolve_session_uri(loc), want, "{loc}");
        }
        assert_eq!(resolve_session_uri(""), None);
        assert_eq!(resolve_session_uri("https://evil/"), None);
        assert_eq!(resolve_session_uri("/redfish/"), None);
        assert_eq!(resolve_session_uri("/redfish/v1/../../etc"), None);
    }

    #[test]
    fn error_messages_for_the_operator() {
        let body = br#"{"error":{"code":"Base.1.8.GeneralError","message":"See ExtendedInfo","@Message.ExtendedInfo":[{"MessageId":"Base.1.8.SessionLimitExceeded","Message":"The session establishment failed due to the number of simultaneous sessions exceeding the limit of the implementation."}]}}"#;
        let m = error_message(body);
        assert!(
            m.contains("simultaneous sessions") && m.contains("SessionLimitExceeded"),
            "{m}"
        );
        assert!(is_session_limit(503, &m));
        assert_eq!(
            error_message(
                b"<html><head><title>502 Bad Gateway</title></head><body>x</body></html>"
            ),
            "502 Bad Gateway"
        );
        assert_eq!(error_message(b"plain\ntext"), "plain text");
        assert!(is_session_limit(
            503,
            "RAC0218: The maximum number of user sessions is reached"
        ));
        assert!(!is_session_limit(401, "bad password"));
    }
}
