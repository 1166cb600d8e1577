//! The Redfish session protocol (DSP0266 13.3): login, finding the session URI, checking,
//! listing and deleting sessions, and reading the BMC's error messages. Requests for
//! resources with the session (GET, writes, pages) are `resource`'s, on the same `Bmc`.

use std::time::Duration;

use serde_json::{Value, json};

use crate::host::Host;
use crate::links;
use crate::secret::Secret;
use crate::transport::{Response, Transport, TransportError};

pub const DEFAULT_SESSIONS: &str = "/redfish/v1/SessionService/Sessions";
/// Error bodies are read for their message only; never more than this.
const ERROR_BODY_LIMIT: u64 = 256 * 1024;
/// Session POSTs answered 503 with Retry-After are tried this often, waiting this long in all.
const LOGIN_TRIES: u32 = 3;
const MAX_RETRY_WAIT: Duration = Duration::from_secs(10);
/// Pauses between DELETE attempts answered with 5xx.
const DELETE_BACKOFF: [Duration; 2] = [Duration::from_millis(300), Duration::from_millis(900)];
/// Bodies of session resources and collections.
pub(crate) const SMALL_BODY_LIMIT: u64 = 16 * 1024 * 1024;
/// A collection is never followed through more pages than this.
pub const MAX_PAGES: usize = 10_000;
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RedfishError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("the BMC rejected the credentials (HTTP {status}{}); check the user name and password", detail(.message))]
    Rejected { status: u16, message: String },
    #[error("the BMC does not accept the session token (HTTP 401{}); run: rfsession login {host}", detail(.message))]
    Unauthorized { host: String, message: String },
    #[error("the BMC's session table is full (HTTP {status}{}); {}", detail(.message), advice.text(host))]
    SessionLimit {
        host: String,
        status: u16,
        message: String,
        advice: Box<TableFullAdvice>,
    },
    #[error("{method} {path} answered HTTP {status}{}{}", detail(.message), next_step(*.status, path, host))]
    Status {
        host: String,
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
        "this service offers no Redfish sessions (HTTP {status} to the session POST{}); send the credentials with every request instead: rfsession login {host} --auth basic",
        if *.status == 405 { ", as iDRAC 8 answers" } else { ", and the service root names no sessions collection" }
    )]
    NoSessions { host: String, status: u16 },
    #[error(
        "the BMC does not let this session be deleted (DELETE {uri} answered HTTP 405, Allow: {allow}{}); iLO's emergency sessions end only when they time out: the entry is kept",
        detail(.message)
    )]
    NotDeletable {
        uri: String,
        allow: String,
        message: String,
    },
    #[error(
        "cannot find this session among the BMC's sessions (no URI, no MySession, no matching Context); list them with `rfsession sessions {host}` and end it with `rfsession logout {host} --session ID`"
    )]
    SessionNotFound { host: String },
    #[error(
        "{path}: the BMC's {what} {link} points to another host or is not a plain path; not followed (the token goes only to the host that issued it)"
    )]
    ForeignLink {
        path: String,
        what: &'static str,
        link: String,
    },
    #[error(
        "{method} {path}: the resource changed since its ETag was read (HTTP 412{}); nothing was changed: read it again and retry",
        detail(.message)
    )]
    PreconditionFailed {
        method: &'static str,
        path: String,
        message: String,
    },
    #[error(
        "{method} {path}: the BMC requires If-Match (HTTP 428{}); let rfsession read it (--if-match auto, the default) or pass --if-match ETAG",
        detail(.message)
    )]
    PreconditionRequired {
        method: &'static str,
        path: String,
        message: String,
    },
    #[error("the task {monitor} ended {state}{}", detail(.message))]
    TaskFailed {
        monitor: String,
        state: String,
        message: String,
    },
    #[error(
        "the task {monitor} was still running after {secs}s; it goes on on the BMC: follow it with rfsession get {host} {monitor}"
    )]
    TaskTimeout {
        monitor: String,
        secs: u64,
        host: String,
    },
    #[error("{path}: the pages link back to {link}, a loop; the collection was not printed")]
    PageLoop { path: String, link: String },
    #[error(
        "{path}: still more pages after {MAX_PAGES}; the collection was not printed (query it in parts with $top and $skip)"
    )]
    TooManyPages { path: String },
}

/// What the table-full error suggests: commands that work when pasted (with the TLS flags
/// the user gave), and never the step that was just tried in vain.
#[derive(Debug, Clone, Default)]
pub struct TableFullAdvice {
    /// ` --cacert FILE`, ` -k`: as given on the command line.
    pub flags: String,
    /// After `login --reclaim=AGE` found nothing that old: the user and the age.
    pub nothing_older: Option<(String, String)>,
}

impl TableFullAdvice {
    fn text(&self, host: &str) -> String {
        let f = &self.flags;
        let list = format!("`rfsession sessions {host}{f}`");
        match &self.nothing_older {
            Some((user, age)) => format!(
                "no session of {user} older than {age}; `--reclaim` without a duration ends all of {user}'s sessions no entry names: `rfsession login {host} -u {user} --reclaim{f}`; or list its sessions with {list} and end others' with `rfsession logout {host} --others --any-user --older-than 1h{f}` (these use HTTP Basic and create no session)"
            ),
            None => format!(
                "list its sessions with {list}, end stale ones with `rfsession logout {host} --others --older-than 1h{f}`, or end this user's stale ones and log in with `rfsession login {host} --reclaim=1h{f}` (these use HTTP Basic and create no session)"
            ),
        }
    }
}

/// What to do after an answer no other variant names: for a path the BMC does not have, how
/// to see what it has there instead.
fn next_step(status: u16, path: &str, host: &str) -> String {
    if status != 404 || host.is_empty() {
        return String::new();
    }
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let parent = match path.trim_end_matches('/').rsplit_once('/') {
        Some((p, _)) if p.len() > "/redfish/v1".len() => p,
        _ => "/redfish/v1",
    };
    format!("; see what the BMC has one level up: rfsession get {host} {parent}")
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
    /// Path on the logged-in host, when Location or the body named a member of the collection.
    pub session_uri: Option<String>,
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
    /// The host logged in to: links are followed only to it, and hints name it.
    pub(crate) host: Host,
}

impl Bmc {
    pub fn new(host: &Host, transport: Transport) -> Bmc {
        Bmc {
            transport,
            host: host.clone(),
        }
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
            .and_then(|l| links::on_host(&self.host, "/redfish/v1/", l))
            .map(|p| p.trim_end_matches('/').to_owned())
            .filter(|p| p.starts_with("/redfish/") && !p.contains('?'));
        Ok(link.unwrap_or_else(|| DEFAULT_SESSIONS.to_owned()))
    }

    /// Does the service root name a sessions collection (or a SessionService)?
    fn root_names_sessions(&self) -> bool {
        let Ok(mut resp) = self.transport.send("GET", "/redfish/v1/", None, None) else {
            return true;
        };
        let root: Value = resp
            .bytes(SMALL_BODY_LIMIT)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or(Value::Null);
        root.pointer("/Links/Sessions").is_some() || root.get("SessionService").is_some()
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
        let basic = crate::transport::basic_authorization(user, password);
        let mut with_basic = false;
        let mut resp = loop {
            let headers: &[(&str, &str)] = if with_basic {
                &[("Authorization", basic.expose())]
            } else {
                &[]
            };
            let mut resp =
                self.transport
                    .send_with("POST", sessions, None, Some(&body), headers)?;
            let status = resp.status;
            if is_success(status) {
                break resp;
            }
            // A service that wants the credentials as HTTP Basic too (HPE's CSM emulator):
            // the same POST once more, with them.
            if status == 401
                && !with_basic
                && resp
                    .header("www-authenticate")
                    .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("basic"))
            {
                with_basic = true;
                continue;
            }
            let retry_after = resp
                .header("retry-after")
                .and_then(|v| v.trim().parse::<u64>().ok());
            let message = error_text(&mut resp);
            if is_session_limit(status, &message) {
                return Err(RedfishError::SessionLimit {
                    host: self.host.key(),
                    status,
                    message,
                    advice: Box::default(),
                });
            }
            // A busy BMC: wait as Retry-After says (else 1 s, then 2 s), 10 s at most in all.
            if is_busy(status, &message) && attempt < LOGIN_TRIES {
                let pause = retry_after
                    .map_or(Duration::from_secs(1 << (attempt - 1)), Duration::from_secs)
                    .min(MAX_RETRY_WAIT.saturating_sub(waited));
                self.transport.pause(pause);
                waited += pause;
                attempt += 1;
                continue;
            }
            return Err(match status {
                404 | 405 if status == 405 || !self.root_names_sessions() => {
                    RedfishError::NoSessions {
                        host: self.host.key(),
                        status,
                    }
                }
                400 | 401 | 403 => RedfishError::Rejected { status, message },
                _ => RedfishError::Status {
                    // No next step to suggest: reading the BMC needs the session that failed.
                    host: String::new(),
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
        // Only a member of the collection is a session: a DELETE of anything else (the
        // collection itself, say) would not end it.
        let member = |link: Option<&str>| {
            link.and_then(|l| links::session_path(&self.host, l))
                .filter(|u| is_member(sessions, u))
        };
        let session_uri = member(location.as_deref())
            .or_else(|| member(body.get("@odata.id").and_then(Value::as_str)));
        let session_id = body
            .get("Id")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| session_uri.as_deref().map(last_segment))
            .unwrap_or_default();
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

    /// Is this token still accepted? `probe` is the session URI, else the sessions collection
    /// is asked. Ok(false) only when the BMC says 401; other failures are errors, not "invalid".
    pub fn accepts(&self, token: &Secret, probe: Option<&str>) -> Result<bool, RedfishError> {
        let path = probe.unwrap_or(DEFAULT_SESSIONS);
        let mut resp = self.transport.send("GET", path, Some(token), None)?;
        match resp.status {
            401 => Ok(discard(&mut resp, false)),
            // 403: authenticated, only not allowed (a password change is pending, say).
            s if is_success(s) || s == 403 => Ok(discard(&mut resp, true)),
            // The session resource is gone although the token passed: ask the service itself.
            404 if probe.is_some() => self.accepts(token, None),
            status => Err(RedfishError::Status {
                host: self.host.key(),
                method: "GET",
                path: path.to_owned(),
                status,
                message: error_text(&mut resp),
            }),
        }
    }

    /// The host's key, for the operator's hints.
    pub fn host_key(&self) -> String {
        self.host.key()
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
            s if is_success(s) => Ok(discard(&mut resp, Deleted::Ended)),
            404 | 401 => Ok(discard(&mut resp, Deleted::AlreadyGone)),
            405 => Err(RedfishError::NotDeletable {
                uri: uri.to_owned(),
                allow: resp.header("allow").unwrap_or("not said").to_owned(),
                message: error_text(&mut resp),
            }),
            status => Err(RedfishError::Status {
                host: self.host.key(),
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
        Ok(self.list_sessions_noting(token, sessions, context)?.0)
    }

    /// The same, and the members skipped because they are no sessions of this host (their
    /// links, as the BMC gave them).
    pub fn list_sessions_noting(
        &self,
        token: &Secret,
        sessions: &str,
        context: &str,
    ) -> Result<(Vec<SessionInfo>, Vec<String>), RedfishError> {
        let expanded = format!("{sessions}?$expand=.");
        let (mut collection, len) = match self.get_page(token, &expanded) {
            Ok(v) => v,
            // Services without $expand answer 400/501; fall back to the plain collection.
            Err(RedfishError::Status { .. } | RedfishError::BadJson { .. }) => {
                self.get_page(token, sessions)?
            }
            Err(e) => return Err(e),
        };
        // A session on page 2 is a session too.
        self.merge_pages(token, sessions, &mut collection, len, SMALL_BODY_LIMIT)?;
        let members = collection
            .get("Members")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut out = Vec::with_capacity(members.len());
        let mut skipped = Vec::new();
        for m in members {
            // Only a direct member of this collection on this host is a session: a DELETE
            // of anything else could end an account, a system, or another host's session.
            let link = m.get("@odata.id").and_then(Value::as_str);
            let Some(uri) = link
                .and_then(|l| links::on_host(&self.host, sessions, l))
                .map(|p| p.trim_end_matches('/').to_owned())
                .filter(|p| is_member(sessions, p))
            else {
                skipped.push(link.unwrap_or("(no @odata.id)").chars().take(200).collect());
                continue;
            };
            // A member with only @odata.id was not expanded: read it.
            let m = if m.get("Id").is_none() && m.get("UserName").is_none() {
                match self.get_json(token, &uri, SMALL_BODY_LIMIT) {
                    Ok(v) => v,
                    // Gone meanwhile, or another user's that this token may not read.
                    Err(RedfishError::Status {
                        status: 403 | 404, ..
                    }) => continue,
                    Err(e) => return Err(e),
                }
            } else {
                m
            };
            out.push(session_info(&uri, &m, context));
        }
        Ok((out, skipped))
    }

    /// DELETE with the token; a 5xx is retried twice with a pause (the documented backoff).
    pub fn delete_retrying(&self, token: &Secret, uri: &str) -> Result<Deleted, RedfishError> {
        let mut pauses = DELETE_BACKOFF.iter();
        loop {
            match self.delete(token, uri) {
                Err(RedfishError::Status { status, .. }) if status >= 500 && pauses.len() > 0 => {
                    self.transport
                        .pause(*pauses.next().expect("a pause is left"));
                }
                r => return r,
            }
        }
    }

    /// The error for a session that cannot be identified on this BMC.
    pub fn not_found(&self) -> RedfishError {
        RedfishError::SessionNotFound {
            host: self.host.key(),
        }
    }

    /// The error for a token the BMC no longer accepts.
    pub fn unauthorized(&self, message: &str) -> RedfishError {
        RedfishError::Unauthorized {
            host: self.host.key(),
            message: message.to_owned(),
        }
    }

    /// The UserName of a session, if the token may read it.
    pub fn session_user(&self, token: &Secret, uri: &str) -> Option<String> {
        let v = self.get_json(token, uri, SMALL_BODY_LIMIT).ok()?;
        v.get("UserName")?.as_str().map(str::to_owned)
    }

    /// The token's own session (URI and user), when the BMC tells: the member marked
    /// MySession, else the only member the token may read.
    pub fn find_own(
        &self,
        token: &Secret,
        sessions: &str,
    ) -> Result<Option<(String, String)>, RedfishError> {
        let list = self.list_sessions(token, sessions, "")?;
        let own = match list.iter().find(|s| s.marked_mine) {
            Some(s) => Some(s),
            None if list.len() == 1 => list.first(),
            None => None,
        };
        Ok(own.map(|s| (s.uri.clone(), s.user.clone())))
    }

    /// Find our own session when the login gave no URI: Oem MySession, else our Context.
    pub fn find_mine(
        &self,
        token: &Secret,
        sessions: &str,
        context: &str,
        user: Option<&str>,
    ) -> Result<Option<String>, RedfishError> {
        let list = self.list_sessions(token, sessions, context)?;
        Ok(list
            .into_iter()
            .find(|s| s.marked_mine && (s.user.is_empty() || user.is_none_or(|u| s.user == u)))
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
    }
}

pub fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Is `uri` (a path as `links` gives it) a direct member of the collection `sessions`: one
/// more segment, the collection's path compared without regard to case, no query, and no
/// slash or dot segment hidden behind an escape?
pub fn is_member(sessions: &str, uri: &str) -> bool {
    let sessions = sessions.trim_end_matches('/');
    let Some(rest) = uri.get(sessions.len()..) else {
        return false;
    };
    let Some(id) = rest.strip_prefix('/') else {
        return false;
    };
    uri[..sessions.len()].eq_ignore_ascii_case(sessions)
        && !id.is_empty()
        && !id.contains(['/', '?', '#'])
        && links::segment_ok(id)
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

pub fn last_segment(uri: &str) -> String {
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

/// Read a small body nobody needs, so that the connection can carry the operation's next
/// request (an unread body closes it); then `value`.
fn discard<T>(resp: &mut Response, value: T) -> T {
    let _ = resp.bytes(ERROR_BODY_LIMIT);
    value
}

pub(crate) fn error_text(resp: &mut Response) -> String {
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

/// "Not now, retry": 503, iDRAC's SYS518 and iLO's InvalidOperationForSystemState.
fn is_busy(status: u16, message: &str) -> bool {
    status == 503
        || message.contains("SYS518")
        || message.contains("InvalidOperationForSystemState")
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
    fn only_members_of_the_collection_are_sessions() {
        let c = "/redfish/v1/SessionService/Sessions";
        assert!(is_member(c, "/redfish/v1/SessionService/Sessions/7"));
        assert!(is_member(c, "/redfish/v1/sessionservice/sessions/ab%20c"));
        assert!(!is_member(c, "/redfish/v1/SessionService/Sessions/ab%2Fc"));
        assert!(!is_member(c, "/redfish/v1/SessionService/Sessions/%2e%2e"));
        assert!(!is_member(c, "/redfish/v1/SessionService/Sessions/.."));
        assert!(!is_member(c, "/redfish/v1/SessionService/Sessions/7?x"));
        assert!(!is_member(c, c));
        assert!(!is_member(c, "/redfish/v1/SessionService/Sessions/"));
        assert!(!is_member(c, "/redfish/v1/SessionService/Sessions/7/x"));
        assert!(!is_member(c, "/redfish/v1/SessionService"));
        assert!(!is_member(c, "/redfish/v1/SessionService/SessionsX"));
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

    mod properties {
        use super::super::{error_message, is_member};
        use crate::host::Host;
        use crate::links;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

            #[test]
            fn only_one_plain_segment_below_the_collection_is_a_session(
                parts in prop::collection::vec(prop::sample::select(vec![
                    "/", "..", ".", "%2e", "%2E", "%2f", "%5c", "@", "?", "#", "Sessions", "sessions",
                    "1", "/redfish/v1/SessionService", "https://127.0.0.2", "//", "%", ";", "AccountService",
                ]), 0..10),
            ) {
                let c = "/redfish/v1/SessionService/Sessions";
                let host = Host::parse("127.0.0.1:8443").unwrap();
                let link = parts.concat();
                if let Some(p) = links::on_host(&host, c, &link).filter(|p| is_member(c, p)) {
                    let id = &p[c.len() + 1..];
                    prop_assert!(p[..c.len()].eq_ignore_ascii_case(c), "{link:?} -> {p:?}");
                    let decoded = links::decode(id).unwrap();
                    prop_assert!(!decoded.contains(&b'/') && decoded != b".." && decoded != b".", "{link:?} -> {p:?}");
                    prop_assert!(!id.contains('?'), "{link:?} -> {p:?}");
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
    }
}
