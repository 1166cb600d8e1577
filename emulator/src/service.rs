//! The Redfish service: what each request gets. Vendor behaviour comes from the profile's
//! quirks row; faults from the state.

use std::time::{Instant, SystemTime};

use base64::Engine;
use serde_json::{Value, json};

use crate::http::{Request, Resp, percent_decode, redfish_error};
use crate::quirks::{
    DeleteAnswer, EtagStyle, IdStyle, LocationStyle, LoginAnswer, Quirks, SessionPost, Unauthorized,
};

mod inventory;
mod systems;
use crate::{Account, Config, Session, Shared, State};

const ROOT_TYPE: &str = "#ServiceRoot.v1_13_0.ServiceRoot";
const READ: &str = "GET, HEAD";
const ACCOUNTS: &str = "/redfish/v1/AccountService/Accounts";
const SUBSCRIPTIONS: &str = "/redfish/v1/EventService/Subscriptions";

pub(crate) fn handle(shared: &Shared, req: &Request) -> Resp {
    let mut st = shared.state();
    if st.requests.len() < 200_000 {
        st.requests.push(req.clone());
    }
    expire(&shared.config, &mut st);
    let (path, query) = match req.path.split_once('?') {
        Some((p, q)) => (p.to_owned(), q.to_owned()),
        None => (req.path.clone(), String::new()),
    };
    let mut cx = Cx {
        shared,
        q: shared.config.quirks(),
        st: &mut st,
        req,
        method: if req.method == "HEAD" {
            "GET"
        } else {
            req.method.as_str()
        },
        path: path.trim_end_matches('/').to_owned(),
        query,
    };
    let resp = cx.route();
    decorate(resp, req)
}

/// Headers every answer of a Redfish service carries.
fn decorate(mut resp: Resp, req: &Request) -> Resp {
    resp = resp.with("OData-Version", "4.0");
    let read = matches!(req.method.as_str(), "GET" | "HEAD");
    if read && (200..300).contains(&resp.status) {
        resp = resp.with("Cache-Control", "no-cache");
        let kind = resp
            .json_body()
            .and_then(|v| v.get("@odata.type")?.as_str().map(str::to_owned));
        if let Some(t) = kind {
            // `#Session.v1_7_0.Session` is described by Session.v1_7_0.json.
            let t = t.trim_start_matches('#');
            let schema = t.rsplit_once('.').map_or(t, |(s, _)| s);
            resp = resp.with(
                "Link",
                format!("</redfish/v1/JsonSchemas/{schema}.json>; rel=describedby"),
            );
        }
    }
    resp
}

pub(crate) fn expire(config: &Config, st: &mut State) {
    let before = st.sessions.len();
    st.sessions
        .retain(|s| s.last_used.elapsed() < config.idle_timeout);
    st.expired += (before - st.sessions.len()) as u64;
}

pub(crate) fn new_session(shared: &Shared, st: &mut State, user: &str, context: &str) -> Session {
    st.next_id += 1;
    st.created += 1;
    let n = st.next_id;
    let id = match shared.config.quirks().ids {
        IdStyle::Counter => n.to_string(),
        IdStyle::UserHex => format!("{user}{n:016x}"),
        IdStyle::Prefixed(p) => format!("{p}{n:06}"),
        IdStyle::Uuid => format!("3f2a6c1e-0000-4000-8000-{n:012x}"),
    };
    let mut token = random_hex(16);
    while token.len() < st.faults.token_size {
        token.push('0');
    }
    let s = Session {
        uri: format!("{}/{id}", shared.config.sessions_path),
        id,
        token,
        user: user.to_owned(),
        context: context.to_owned(),
        created: SystemTime::now(),
        last_used: Instant::now(),
        emergency: false,
    };
    st.sessions.push(s.clone());
    st.issued.push(s.token.clone());
    s
}

pub(crate) fn add_account(st: &mut State, user: &str, password: &str, role: &str) -> String {
    st.next_account += 1;
    let id = st.next_account.to_string();
    st.accounts.push(Account {
        id: id.clone(),
        user: user.to_owned(),
        password: password.to_owned(),
        role: role.to_owned(),
        enabled: true,
        password_change_required: false,
        version: 1,
    });
    id
}

fn random_hex(bytes: usize) -> String {
    use ring::rand::SecureRandom;
    let mut buf = vec![0u8; bytes];
    ring::rand::SystemRandom::new()
        .fill(&mut buf)
        .expect("system randomness");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// The predefined roles and their privileges (DSP0266 13.4).
const ROLES: [(&str, &[&str]); 3] = [
    (
        "Administrator",
        &[
            "Login",
            "ConfigureManager",
            "ConfigureUsers",
            "ConfigureComponents",
            "ConfigureSelf",
        ],
    ),
    (
        "Operator",
        &["Login", "ConfigureComponents", "ConfigureSelf"],
    ),
    ("ReadOnly", &["Login", "ConfigureSelf"]),
];

fn privileges(role: &str) -> &'static [&'static str] {
    ROLES
        .iter()
        .find(|(r, _)| *r == role)
        .map_or(&[], |(_, p)| *p)
}

/// Who is asking.
pub(crate) struct Caller {
    user: String,
    role: String,
    /// The session's token, when authenticated by one (not Basic).
    token: Option<String>,
    password_change_required: bool,
}

impl Caller {
    pub(crate) fn may(&self, privilege: &str) -> bool {
        privileges(&self.role).contains(&privilege)
    }
}

pub(crate) struct Cx<'a> {
    shared: &'a Shared,
    pub(crate) q: &'static Quirks,
    pub(crate) st: &'a mut State,
    pub(crate) req: &'a Request,
    /// HEAD is routed as GET; the body is left out when written.
    pub(crate) method: &'a str,
    pub(crate) path: String,
    pub(crate) query: String,
}

pub(crate) fn not_found() -> Resp {
    redfish_error(
        404,
        "Base.1.8.ResourceMissingAtURI",
        "The resource at the URI was not found.",
    )
}

fn not_allowed(allow: &str) -> Resp {
    redfish_error(
        405,
        "Base.1.8.OperationNotAllowed",
        "The HTTP method is not allowed on this resource.",
    )
    .with("Allow", allow)
}

pub(crate) fn forbidden() -> Resp {
    redfish_error(
        403,
        "Base.1.8.InsufficientPrivilege",
        "There are insufficient privileges for the account or credentials associated with the current session to perform the requested operation.",
    )
}

pub(crate) fn collection(path: &str, kind: &str, members: Vec<Value>) -> Value {
    json!({
        "@odata.id": path,
        "@odata.type": format!("#{kind}.{kind}"),
        "Name": kind,
        "Members@odata.count": members.len(),
        "Members": members,
    })
}

pub(crate) fn links(uris: impl IntoIterator<Item = String>) -> Vec<Value> {
    uris.into_iter().map(|u| json!({"@odata.id": u})).collect()
}

impl Cx<'_> {
    fn sessions(&self) -> &str {
        &self.shared.config.sessions_path
    }

    fn route(&mut self) -> Resp {
        if let Some(v) = self.req.header("odata-version")
            && v.trim() != "4.0"
        {
            return redfish_error(
                412,
                "Base.1.8.HeaderInvalid",
                &format!("OData-Version {v} is not supported; this service supports 4.0."),
            );
        }
        // What needs no authentication (DSP0266 13.3.1).
        let public = match self.path.as_str() {
            "/redfish" => Some(Resp::json(200, json!({"v1": "/redfish/v1/"}))),
            "/redfish/v1" => Some(Resp::json(200, self.root())),
            "/redfish/v1/odata" => Some(Resp::json(200, self.odata())),
            "/redfish/v1/$metadata" => Some(Resp::raw(
                200,
                "application/xml; charset=utf-8",
                METADATA.as_bytes(),
            )),
            _ => None,
        };
        if let Some(resp) = public {
            return match self.method {
                "GET" => resp.with("Allow", READ),
                _ => not_allowed(READ),
            };
        }
        let sessions = self.sessions().to_owned();
        if self.q.session_post == SessionPost::Absent
            && self.path.starts_with("/redfish/v1/SessionService")
        {
            return not_found();
        }
        if self.method == "POST"
            && (self.path == sessions || self.path == format!("{sessions}/Members"))
        {
            let post = self.q.session_post;
            if post == SessionPost::DemandsBasic
                && !self.authenticate().is_ok_and(|c| c.token.is_none())
            {
                return self.unauthorized();
            }
            return match post {
                SessionPost::NotAllowed => not_allowed(READ),
                SessionPost::RedirectToSlash if !self.req.path.ends_with('/') => {
                    Resp::empty(307).with("Location", format!("{sessions}/"))
                }
                _ => self.login(),
            };
        }
        let caller = match self.authenticate() {
            Ok(c) => c,
            Err(resp) => return resp,
        };
        if self.method == "GET" && self.st.faults.stray_401 > 0 {
            self.st.faults.stray_401 -= 1;
            return Resp::raw(
                401,
                "text/html",
                b"<html><head><title>401 Authorization Required</title></head><body>proxy</body></html>",
            );
        }
        if caller.password_change_required && !self.allowed_before_password_change(&caller) {
            return redfish_error(
                403,
                "Base.1.8.PasswordChangeRequired",
                "The password provided for this account must be changed before access is granted; PATCH the Password property of the account.",
            );
        }
        let allow = self.allowed();
        if !allow.split(", ").any(|m| m == self.method) {
            return not_allowed(allow);
        }
        match self.resource(&caller) {
            Some(r) if self.method == "GET" && (200..300).contains(&r.status) => {
                r.with("Allow", allow)
            }
            Some(r) => r,
            None => not_found(),
        }
    }

    /// The methods the resource at this path takes.
    fn allowed(&self) -> &'static str {
        let p = self.path.as_str();
        let member_of = |c: &str| p.strip_prefix(c).is_some_and(|r| r.starts_with('/'));
        if p == self.sessions() || p == ACCOUNTS || p == SUBSCRIPTIONS {
            "GET, HEAD, POST"
        } else if member_of(ACCOUNTS) {
            "GET, HEAD, PATCH, DELETE"
        } else if member_of(self.sessions()) || member_of(SUBSCRIPTIONS) {
            "GET, HEAD, DELETE"
        } else {
            systems::allowed(p).unwrap_or(READ)
        }
    }

    /// GET of the own account, PATCH of its password, and ending the own session.
    fn allowed_before_password_change(&self, caller: &Caller) -> bool {
        let own_account = self
            .st
            .accounts
            .iter()
            .find(|a| a.user == caller.user)
            .map(|a| format!("/redfish/v1/AccountService/Accounts/{}", a.id));
        let own_session = self
            .st
            .sessions
            .iter()
            .find(|s| Some(&s.token) == caller.token.as_ref())
            .map(|s| s.uri.clone());
        match self.method {
            "GET" | "PATCH" => own_account.as_deref() == Some(self.path.as_str()),
            "DELETE" => own_session.as_deref() == Some(self.path.as_str()),
            _ => false,
        }
    }

    fn unauthorized(&self) -> Resp {
        let resp = if self.shared.config.quirks().unauthorized == Unauthorized::Html {
            Resp::raw(
                401,
                "text/html",
                b"<html><head><title>401 - Unauthorized</title></head><body><h1>Unauthorized</h1><p>Access denied.</p></body></html>",
            )
        } else {
            redfish_error(
                401,
                "Base.1.8.NoValidSession",
                "There is no valid session established with the implementation.",
            )
        };
        resp.with("WWW-Authenticate", "Basic realm=\"Redfish\"")
    }

    /// A session token, else HTTP Basic credentials of an enabled account.
    fn authenticate(&mut self) -> Result<Caller, Resp> {
        if let Some(token) = self.req.header("x-auth-token") {
            let Some(s) = self.st.sessions.iter_mut().find(|s| s.token == token) else {
                return Err(self.unauthorized());
            };
            s.last_used = Instant::now();
            let user = s.user.clone();
            let account = self.st.accounts.iter().find(|a| a.user == user);
            return Ok(Caller {
                role: account.map_or("ReadOnly".into(), |a| a.role.clone()),
                password_change_required: account.is_some_and(|a| a.password_change_required),
                user,
                token: Some(token.to_owned()),
            });
        }
        let basic = self
            .req
            .header("authorization")
            .and_then(|h| h.strip_prefix("Basic "))
            .and_then(|b| {
                base64::engine::general_purpose::STANDARD
                    .decode(b.trim())
                    .ok()
            })
            .and_then(|b| String::from_utf8(b).ok());
        let account = basic.and_then(|pair| {
            let (user, password) = pair.split_once(':')?;
            self.st
                .accounts
                .iter()
                .find(|a| a.enabled && a.user == user && a.password == password)
        });
        match account {
            Some(a) => Ok(Caller {
                user: a.user.clone(),
                role: a.role.clone(),
                token: None,
                password_change_required: a.password_change_required,
            }),
            None => Err(self.unauthorized()),
        }
    }

    fn root(&self) -> Value {
        let mut root = json!({
            "@odata.id": "/redfish/v1/",
            "@odata.type": ROOT_TYPE,
            "Id": "RootService",
            "Name": "Root Service",
            "RedfishVersion": "1.15.0",
            "Vendor": self.q.name,
            "Links": {"Sessions": {"@odata.id": self.sessions()}},
            "SessionService": {"@odata.id": "/redfish/v1/SessionService"},
            "AccountService": {"@odata.id": "/redfish/v1/AccountService"},
            "EventService": {"@odata.id": "/redfish/v1/EventService"},
            "Systems": {"@odata.id": "/redfish/v1/Systems"},
            "Managers": {"@odata.id": "/redfish/v1/Managers"},
            "Chassis": {"@odata.id": "/redfish/v1/Chassis"},
            "UpdateService": {"@odata.id": "/redfish/v1/UpdateService"},
            "JsonSchemas": {"@odata.id": "/redfish/v1/JsonSchemas"},
            "Registries": {"@odata.id": "/redfish/v1/Registries"},
        });
        if self.q.session_post == SessionPost::Absent
            && let Some(o) = root.as_object_mut()
        {
            o.remove("Links");
            o.remove("SessionService");
        }
        // What HPE's own tools read to tell iLO generations apart.
        if let Some((oem, kind, version)) = self.q.oem_root {
            root["Oem"] = json!({oem: {"Manager": [{"ManagerType": kind, "ManagerFirmwareVersion": version}]}});
        }
        root
    }

    /// The OData service document (DSP0266 8.4.1): the service root's top-level links.
    fn odata(&self) -> Value {
        let root = self.root();
        let mut value =
            vec![json!({"name": "Service", "kind": "Singleton", "url": "/redfish/v1/"})];
        if let Some(obj) = root.as_object() {
            for (name, v) in obj {
                if let Some(url) = v.get("@odata.id").and_then(Value::as_str)
                    && !name.starts_with('@')
                {
                    value.push(json!({"name": name, "kind": "Singleton", "url": url}));
                }
            }
        }
        json!({"@odata.context": "/redfish/v1/$metadata", "value": value})
    }

    /// The answer of an allowed method; None is 404.
    fn resource(&mut self, caller: &Caller) -> Option<Resp> {
        let path = self.path.clone();
        let sessions = self.sessions().to_owned();
        if path == sessions {
            return Some(self.session_collection(caller));
        }
        if let Some(id) = path.strip_prefix(&format!("{sessions}/")) {
            return self.session(caller, &percent_decode(id));
        }
        if path == ACCOUNTS {
            return Some(self.accounts(caller));
        }
        if let Some(id) = path.strip_prefix(&format!("{ACCOUNTS}/")) {
            return self.account(caller, id);
        }
        if path == SUBSCRIPTIONS {
            return Some(self.subscriptions(caller));
        }
        if let Some(id) = path.strip_prefix(&format!("{SUBSCRIPTIONS}/")) {
            return self.subscription(caller, id);
        }
        if let Some(r) = self.systems(caller) {
            return Some(r);
        }
        self.read_only()
    }

    fn session_json(&self, s: &Session, caller: &Caller) -> Value {
        let mut v = json!({
            "@odata.id": s.uri,
            "@odata.type": "#Session.v1_7_0.Session",
            "Id": s.id,
            "Name": "User Session",
            "UserName": s.user,
            "Password": null,
            "CreatedTime": rfc3339(s.created),
            "ClientOriginIPAddress": "127.0.0.1",
        });
        if !s.context.is_empty() {
            v["Context"] = json!(s.context);
        }
        if let Some(oem) = self.q.my_session {
            let mine = caller.token.as_ref() == Some(&s.token);
            v["Oem"] = json!({oem: {"MySession": mine}});
        }
        v
    }

    fn session_collection(&mut self, caller: &Caller) -> Resp {
        let expand = self.q.expand
            && (self.query.contains("$expand=.") || self.query.contains("%24expand=."));
        let path = self.sessions().to_owned();
        if let Some(members) = &self.st.faults.session_members {
            return Resp::json(200, collection(&path, "SessionCollection", members.clone()));
        }
        let members: Vec<Value> = self
            .st
            .sessions
            .iter()
            .map(|s| {
                if expand {
                    self.session_json(s, caller)
                } else {
                    json!({"@odata.id": s.uri})
                }
            })
            .collect();
        let page = self.st.faults.sessions_page;
        if page == 0 {
            return Resp::json(200, collection(&path, "SessionCollection", members));
        }
        let skip: usize = self
            .query
            .split('&')
            .find_map(|kv| kv.strip_prefix("$skip="))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let total = members.len();
        let end = (skip + page).min(total);
        let mut v = collection(
            &path,
            "SessionCollection",
            members.get(skip..end).unwrap_or_default().to_vec(),
        );
        v["Members@odata.count"] = json!(total);
        if end < total {
            let expand = if expand { "&$expand=." } else { "" };
            v["Members@odata.nextLink"] = json!(format!("{path}?$skip={end}{expand}"));
        }
        Resp::json(200, v)
    }

    fn session(&mut self, caller: &Caller, id: &str) -> Option<Resp> {
        let i = self.st.sessions.iter().position(|s| s.id == id)?;
        match self.method {
            "GET" => Some(Resp::json(
                200,
                self.session_json(&self.st.sessions[i], caller),
            )),
            "DELETE" => {
                // One's own sessions (ConfigureSelf); anyone's takes ConfigureManager.
                let own = self.st.sessions[i].user == caller.user;
                if !own && !caller.may("ConfigureManager") {
                    return Some(forbidden());
                }
                if self.st.sessions[i].emergency {
                    return Some(
                        redfish_error(
                            405,
                            "iLO.2.15.EmergencySessionNotDeletable",
                            "This session cannot be deleted; it ends when it times out.",
                        )
                        .with("Allow", "GET"),
                    );
                }
                if self.st.faults.delete_hang {
                    return Some(Resp {
                        hang: true,
                        ..Resp::default()
                    });
                }
                if let Some(status) = self.st.faults.delete_status.pop_front() {
                    return Some(redfish_error(
                        status,
                        "Base.1.8.InternalError",
                        "The request failed due to an internal service error.",
                    ));
                }
                self.st.sessions.remove(i);
                self.st.deleted += 1;
                Some(match self.q.delete {
                    DeleteAnswer::IloSuccess => Resp::json(
                        200,
                        json!({"error": {"code": "iLO.0.10.ExtendedInfo", "message": "See @Message.ExtendedInfo for more information.",
                            "@Message.ExtendedInfo": [{"MessageId": "Base.1.0.Success"}]}}),
                    ),
                    DeleteAnswer::NoContent => Resp::empty(204),
                })
            }
            _ => unreachable!("only GET and DELETE are allowed on a session"),
        }
    }

    fn login(&mut self) -> Resp {
        let q = self.q;
        if q.needs_content_type
            && !self
                .req
                .header("content-type")
                .is_some_and(|c| c.starts_with("application/json"))
        {
            return redfish_error(
                415,
                "Base.1.8.UnsupportedMediaType",
                "Content-Type must be application/json.",
            );
        }
        if self.st.faults.post_busy > 0 {
            self.st.faults.post_busy -= 1;
            let (status, id) = self.shared.config.quirks().busy;
            return redfish_error(status, id, "The service is busy; retry later.")
                .with("Retry-After", self.st.faults.retry_after.to_string());
        }
        let Ok(body) = serde_json::from_str::<Value>(&self.req.body) else {
            return redfish_error(
                400,
                "Base.1.8.MalformedJSON",
                "The request body submitted was malformed JSON.",
            );
        };
        let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("");
        let (user, password) = (text("UserName"), text("Password"));
        let Some(account) = self
            .st
            .accounts
            .iter()
            .find(|a| a.enabled && a.user == user && a.password == password)
        else {
            return redfish_error(
                401,
                "Base.1.8.InvalidCredentials",
                &format!("Invalid username or password for user '{user}'."),
            );
        };
        let change_required = account.password_change_required || self.st.faults.password_change;
        if self.st.sessions.len() >= self.shared.config.session_limit {
            let (status, id, message) = q.limit;
            return redfish_error(status, id, message);
        }
        let context = if q.keeps_context && !self.st.faults.forget_context {
            text("Context")
        } else {
            ""
        };
        let s = new_session(self.shared, self.st, user, context);
        let (host, port) = (self.shared.addr.ip(), self.shared.addr.port());
        let location = match (&self.st.faults.location, q.location) {
            (Some(t), _) => Some(t.replace("{id}", &s.id)),
            (None, LocationStyle::Relative) => Some(s.uri.clone()),
            (None, LocationStyle::AbsoluteNoPortSlash) => Some(format!("https://{host}{}/", s.uri)),
            (None, LocationStyle::Absolute) => Some(format!("https://{host}:{port}{}", s.uri)),
            (None, LocationStyle::NoScheme) => Some(format!("{host}:{port}{}", s.uri)),
            (None, LocationStyle::Missing | LocationStyle::BodyOnly) => None,
        };
        let caller = Caller {
            user: s.user.clone(),
            role: String::new(),
            token: Some(s.token.clone()),
            password_change_required: false,
        };
        let mut body = self.session_json(&s, &caller);
        if q.location == LocationStyle::Missing {
            body.as_object_mut().map(|o| o.remove("@odata.id"));
        }
        if let Some(id) = &self.st.faults.body_odata_id {
            body["@odata.id"] = json!(id);
        }
        if change_required {
            body["@Message.ExtendedInfo"] = json!([{
                "MessageId": "Base.1.8.PasswordChangeRequired",
                "Message": "The password provided for this account must be changed before access is granted."
            }]);
        }
        let mut resp = match q.login {
            LoginAnswer::NoContent => Resp::empty(204),
            LoginAnswer::Created => Resp::json(201, body),
        };
        resp = resp.with("X-Auth-Token", s.token.clone());
        if let Some(l) = location {
            resp = resp.with("Location", l);
        }
        resp
    }

    /// The ETag header for a resource at version `key`, in the profile's style.
    pub(crate) fn etag_header(&self, key: &str) -> String {
        match self.q.etag {
            EtagStyle::Strong => format!("\"{key}\""),
            EtagStyle::WeakRefusedBack => format!("W/\"{key}\""),
            EtagStyle::GzipSuffix => format!("\"{key}-gzip\""),
        }
    }

    /// The body's `@odata.etag` (no transfer-encoding suffix there).
    pub(crate) fn etag_prop(&self, key: &str) -> String {
        match self.q.etag {
            EtagStyle::WeakRefusedBack => format!("W/\"{key}\""),
            _ => format!("\"{key}\""),
        }
    }

    /// If-Match for a write of the resource at version `key`: 428 when the profile wants
    /// one and none came, 412 when none of the tags matches (weak comparison, `*` for any,
    /// except what the profile refuses back).
    pub(crate) fn check_if_match(&self, key: &str) -> Result<(), Resp> {
        let Some(header) = self.req.header("if-match") else {
            if self.q.if_match_required {
                return Err(redfish_error(
                    428,
                    "Base.1.8.PreconditionRequired",
                    "A precondition header (If-Match) is required for this operation.",
                ));
            }
            return Ok(());
        };
        let want = format!("\"{key}\"");
        let matches = |tag: &str| {
            let tag = tag.trim();
            match self.q.etag {
                _ if tag == "*" => true,
                EtagStyle::WeakRefusedBack if tag.starts_with("W/") => false,
                EtagStyle::GzipSuffix if tag.contains("-gzip") => false,
                _ => tag.trim_start_matches("W/") == want,
            }
        };
        if header.split(',').any(matches) {
            return Ok(());
        }
        Err(redfish_error(
            412,
            "Base.1.8.PreconditionFailed",
            "The ETag supplied did not match the ETag required to change this resource.",
        ))
    }

    fn account_json(&self, a: &Account) -> Value {
        json!({
            "@odata.id": format!("/redfish/v1/AccountService/Accounts/{}", a.id),
            "@odata.type": "#ManagerAccount.v1_10_0.ManagerAccount",
            "@odata.etag": self.etag_prop(&account_tag(a)),
            "Id": a.id,
            "Name": "User Account",
            "UserName": a.user,
            "Password": null,
            "RoleId": a.role,
            "Enabled": a.enabled,
            "Locked": false,
            "PasswordChangeRequired": a.password_change_required,
            "Links": {"Role": {"@odata.id": format!("/redfish/v1/AccountService/Roles/{}", a.role)}},
        })
    }

    fn account_resp(&self, status: u16, a: &Account) -> Resp {
        Resp::json(status, self.account_json(a)).with("ETag", self.etag_header(&account_tag(a)))
    }

    fn accounts(&mut self, caller: &Caller) -> Resp {
        if self.method != "POST" {
            let members = links(
                self.st
                    .accounts
                    .iter()
                    .map(|a| format!("{ACCOUNTS}/{}", a.id)),
            );
            return Resp::json(
                200,
                collection(ACCOUNTS, "ManagerAccountCollection", members),
            );
        }
        if !caller.may("ConfigureUsers") {
            return forbidden();
        }
        let Ok(body) = serde_json::from_str::<Value>(&self.req.body) else {
            return redfish_error(
                400,
                "Base.1.8.MalformedJSON",
                "The request body submitted was malformed JSON.",
            );
        };
        let text = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_owned);
        let (Some(user), Some(password)) = (text("UserName"), text("Password")) else {
            return redfish_error(
                400,
                "Base.1.8.PropertyMissing",
                "The properties UserName and Password are required to create an account.",
            );
        };
        let role = text("RoleId").unwrap_or_else(|| "ReadOnly".into());
        if privileges(&role).is_empty() {
            return redfish_error(
                400,
                "Base.1.8.PropertyValueNotInList",
                &format!(
                    "The value {role} for the property RoleId is not in the list of acceptable values."
                ),
            );
        }
        if user.is_empty() || self.st.accounts.iter().any(|a| a.user == user) {
            return redfish_error(
                400,
                "Base.1.8.ResourceAlreadyExists",
                &format!("An account named '{user}' already exists, or the name is empty."),
            );
        }
        let id = add_account(self.st, &user, &password, &role);
        let a = self.st.accounts.last().expect("just added").clone();
        self.account_resp(201, &a)
            .with("Location", format!("{ACCOUNTS}/{id}"))
    }

    fn account(&mut self, caller: &Caller, id: &str) -> Option<Resp> {
        let i = self.st.accounts.iter().position(|a| a.id == id)?;
        let key = account_tag(&self.st.accounts[i]);
        let current = self.etag_header(&key);
        let own = self.st.accounts[i].user == caller.user;
        match self.method {
            "GET" => {
                let unchanged = self
                    .req
                    .header("if-none-match")
                    .is_some_and(|t| t.split(',').any(|t| t.trim() == current));
                if unchanged {
                    return Some(Resp::empty(304).with("ETag", current));
                }
                Some(self.account_resp(200, &self.st.accounts[i].clone()))
            }
            "DELETE" => {
                if !caller.may("ConfigureUsers") {
                    return Some(forbidden());
                }
                self.st.accounts.remove(i);
                Some(Resp::empty(204))
            }
            _ => Some(self.patch_account(caller, i, own, &key)),
        }
    }

    /// PATCH: writable properties are applied, unknown ones named; If-Match enforced.
    fn patch_account(&mut self, caller: &Caller, i: usize, own: bool, key: &str) -> Resp {
        let Ok(Value::Object(body)) = serde_json::from_str::<Value>(&self.req.body) else {
            return redfish_error(
                400,
                "Base.1.8.MalformedJSON",
                "The request body submitted was malformed JSON.",
            );
        };
        let only_password = body.keys().all(|k| k == "Password" || k.starts_with('@'));
        let permitted =
            caller.may("ConfigureUsers") || (own && only_password && caller.may("ConfigureSelf"));
        if !permitted {
            return forbidden();
        }
        if let Err(r) = self.check_if_match(key) {
            return r;
        }
        let (mut applied, mut unknown, mut bad) = (0, Vec::new(), Vec::new());
        let mut a = self.st.accounts[i].clone();
        for (k, v) in &body {
            match (k.as_str(), v) {
                (k, _) if k.starts_with('@') => {}
                ("Password", Value::String(p)) => {
                    a.password = p.clone();
                    a.password_change_required = false;
                    applied += 1;
                }
                ("UserName", Value::String(u)) => {
                    a.user = u.clone();
                    applied += 1;
                }
                ("RoleId", Value::String(r)) if !privileges(r).is_empty() => {
                    a.role = r.clone();
                    applied += 1;
                }
                ("Enabled", Value::Bool(b)) => {
                    a.enabled = *b;
                    applied += 1;
                }
                ("PasswordChangeRequired", Value::Bool(b)) => {
                    a.password_change_required = *b;
                    applied += 1;
                }
                ("Password" | "UserName" | "RoleId" | "Enabled" | "PasswordChangeRequired", _) => {
                    bad.push(k.clone())
                }
                _ => unknown.push(k.clone()),
            }
        }
        let messages: Vec<Value> = unknown
            .iter()
            .map(|k| json!({"MessageId": "Base.1.8.PropertyUnknown", "Message": format!("The property {k} is not in the list of valid properties for the resource."), "Severity": "Warning"}))
            .chain(bad.iter().map(|k| json!({"MessageId": "Base.1.8.PropertyValueTypeError", "Message": format!("The value for the property {k} is of a different type than the property can accept."), "Severity": "Warning"})))
            .collect();
        if applied == 0 {
            if messages.is_empty() {
                return redfish_error(
                    400,
                    "Base.1.8.NoOperation",
                    "The request body submitted contains no data to act upon and no changes to the resource took place.",
                );
            }
            return Resp::json(
                400,
                json!({"error": {
                    "code": "Base.1.8.GeneralError",
                    "message": "A general error has occurred. See ExtendedInfo for more information.",
                    "@Message.ExtendedInfo": messages,
                }}),
            );
        }
        a.version += 1;
        self.st.accounts[i] = a.clone();
        let mut v = self.account_json(&a);
        if !messages.is_empty() {
            v["@Message.ExtendedInfo"] = Value::Array(messages);
        }
        Resp::json(200, v).with("ETag", self.etag_header(&account_tag(&a)))
    }

    fn subscriptions(&mut self, caller: &Caller) -> Resp {
        if self.method != "POST" {
            let members = links(
                self.st
                    .subscriptions
                    .iter()
                    .filter_map(|s| s["@odata.id"].as_str().map(str::to_owned)),
            );
            return Resp::json(
                200,
                collection(SUBSCRIPTIONS, "EventDestinationCollection", members),
            );
        }
        if !caller.may("ConfigureManager") {
            return forbidden();
        }
        let body: Value = serde_json::from_str(&self.req.body).unwrap_or(Value::Null);
        let text = |k: &str| body.get(k).and_then(Value::as_str);
        let destination = text("Destination").unwrap_or("");
        let protocol = text("Protocol").unwrap_or("Redfish");
        if !(destination.starts_with("https://") || destination.starts_with("http://"))
            || protocol != "Redfish"
        {
            return redfish_error(
                400,
                "Base.1.8.PropertyValueFormatError",
                "Destination must be an http or https URI and Protocol must be Redfish.",
            );
        }
        // Kept and listed; this emulator never sends an event anywhere.
        let id = random_hex(4);
        let uri = format!("{SUBSCRIPTIONS}/{id}");
        let v = json!({
            "@odata.id": uri,
            "@odata.type": "#EventDestination.v1_13_0.EventDestination",
            "Id": id,
            "Name": "Event Subscription",
            "Destination": destination,
            "Protocol": protocol,
            "Context": text("Context").unwrap_or(""),
        });
        self.st.subscriptions.push(v.clone());
        Resp::json(201, v).with("Location", uri)
    }

    fn subscription(&mut self, caller: &Caller, id: &str) -> Option<Resp> {
        let i = self
            .st
            .subscriptions
            .iter()
            .position(|s| s["Id"].as_str() == Some(id))?;
        if self.method == "GET" {
            return Some(Resp::json(200, self.st.subscriptions[i].clone()));
        }
        if !caller.may("ConfigureManager") {
            return Some(forbidden());
        }
        self.st.subscriptions.remove(i);
        Some(Resp::empty(204))
    }

    /// Resources that are only read.
    fn read_only(&self) -> Option<Resp> {
        let path = self.path.as_str();
        let query = self.query.as_str();
        let config = &self.shared.config;
        let v = match path {
            "/redfish/v1/SessionService" => json!({
                "@odata.id": path,
                "@odata.type": "#SessionService.v1_1_8.SessionService",
                "Id": "SessionService",
                "Name": "Session Service",
                "ServiceEnabled": true,
                "SessionTimeout": config.idle_timeout.as_secs(),
                "Sessions": {"@odata.id": self.sessions()},
            }),
            "/redfish/v1/AccountService" => json!({
                "@odata.id": path,
                "@odata.type": "#AccountService.v1_12_0.AccountService",
                "Id": "AccountService",
                "Name": "Account Service",
                "ServiceEnabled": true,
                "MinPasswordLength": 8,
                "MaxPasswordLength": 32,
                "Accounts": {"@odata.id": "/redfish/v1/AccountService/Accounts"},
                "Roles": {"@odata.id": "/redfish/v1/AccountService/Roles"},
            }),
            "/redfish/v1/AccountService/Roles" => collection(
                path,
                "RoleCollection",
                links(ROLES.iter().map(|(r, _)| format!("{path}/{r}"))),
            ),
            "/redfish/v1/EventService" => json!({
                "@odata.id": path,
                "@odata.type": "#EventService.v1_7_0.EventService",
                "Id": "EventService",
                "Name": "Event Service",
                "ServiceEnabled": true,
                "Subscriptions": {"@odata.id": "/redfish/v1/EventService/Subscriptions"},
            }),
            "/redfish/v1/Managers" => collection(
                path,
                "ManagerCollection",
                links(["/redfish/v1/Managers/1".to_owned()]),
            ),
            "/redfish/v1/Managers/1" => json!({
                "@odata.id": path, "@odata.type": "#Manager.v1_5_1.Manager", "Id": "1",
                "Name": "Manager", "ManagerType": "BMC", "FirmwareVersion": "iLO 5 v2.72",
                "LogServices": {"@odata.id": "/redfish/v1/Managers/1/LogServices"},
            }),
            "/redfish/v1/JsonSchemas" => collection(path, "JsonSchemaFileCollection", Vec::new()),
            "/redfish/v1/Registries" => {
                collection(path, "MessageRegistryFileCollection", Vec::new())
            }
            "/redfish/v1/Systems" => collection(
                path,
                "ComputerSystemCollection",
                links(["/redfish/v1/Systems/1".to_owned()]),
            ),
            "/redfish/v1/Broken/Endless" => {
                // Pages of 5,000 members, without end.
                let page: u64 = query
                    .strip_prefix("page=")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                let members: Vec<Value> = (0..5000)
                    .map(|i| json!({"@odata.id": format!("{path}/{page}-{i}"), "Id": format!("{page}-{i}"), "Message": "x".repeat(64)}))
                    .collect();
                json!({"@odata.id": path, "Members": members, "Members@odata.nextLink": format!("{path}?page={}", page + 1)})
            }
            // Links a BMC should never send; what completion must never offer.
            "/redfish/v1/Broken/Hostile" => json!({"@odata.id": path, "Members": [
                {"@odata.id": "/redfish/v1/Broken/Hostile/1;touch pwned;"},
                {"@odata.id": "/redfish/v1/Broken/Hostile/$(touch pwned)"},
                {"@odata.id": "/redfish/v1/Broken/Hostile/`touch pwned`"},
                {"@odata.id": "/redfish/v1/Broken/Hostile/a b"},
                {"@odata.id": "/redfish/v1/Broken/Hostile/it's"},
                {"@odata.id": "/redfish/v1/Broken/Hostile/x|sh"},
                {"@odata.id": "/redfish/v1/Broken/Hostile/\u{1b}]0;title\u{7}\u{1b}[2J"},
                {"@odata.id": "/redfish/v1/Broken/Hostile/Good-1"},
            ]}),
            "/redfish/v1/Broken/Loop" => json!({"@odata.id": path,
                "Members": [{"@odata.id": "/redfish/v1/Systems/1"}],
                "Members@odata.nextLink": "/redfish/v1/Broken/Loop?page=1"}),
            "/redfish/v1/Broken/Foreign" => json!({"@odata.id": path,
                "Members": [{"@odata.id": "/redfish/v1/Systems/1"}],
                "Members@odata.nextLink": "https://203.0.113.9/redfish/v1/Broken/Foreign?page=1"}),
            _ => match inventory::resource(path, query) {
                Some(v) => v,
                None => return self.special(path, query),
            },
        };
        Some(Resp::json(200, v))
    }

    /// Answers that are not plain resources: broken bodies, redirects, roles.
    fn special(&self, path: &str, query: &str) -> Option<Resp> {
        if let Some(role) = path.strip_prefix("/redfish/v1/AccountService/Roles/") {
            let (id, privs) = ROLES.iter().find(|(r, _)| *r == role)?;
            return Some(Resp::json(
                200,
                json!({
                    "@odata.id": path, "@odata.type": "#Role.v1_3_1.Role",
                    "Id": id, "Name": format!("{id} Role"), "RoleId": id,
                    "IsPredefined": true, "AssignedPrivileges": privs,
                }),
            ));
        }
        Some(match path {
            "/redfish/v1/Broken/Truncated" => Resp::raw(200, "application/json", br#"{"Id": "1", "Members": [{"@odata.id": "/redfish/v1/Sys"#),
            "/redfish/v1/Broken/Html" => Resp::raw(
                502,
                "text/html",
                b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
            ),
            "/redfish/v1/Broken/Huge" => {
                let mb: u64 = query.strip_prefix("mb=").and_then(|v| v.parse().ok()).unwrap_or(200);
                Resp {
                    status: 200,
                    headers: vec![("Content-Type".into(), "application/json".into())],
                    body: crate::http::Body::Huge(mb << 20),
                    hang: false,
                }
            }
            "/redfish/v1/Redirect/Same" => Resp::raw(302, "text/plain", b"").with("Location", "/redfish/v1/Systems/1"),
            "/redfish/v1/RelativeRedirect" => Resp::raw(302, "text/plain", b"").with("Location", "Systems/1"),
            "/redfish/v1/Redirect/To" => {
                let target = query.strip_prefix("url=").unwrap_or("");
                Resp::raw(302, "text/plain", b"").with("Location", percent_decode(target))
            }
            _ => return None,
        })
    }
}

/// An account's ETag changes with every write and only then.
fn account_tag(a: &Account) -> String {
    format!("{}-{}", a.id, a.version)
}

fn rfc3339(t: SystemTime) -> String {
    time::OffsetDateTime::from(t)
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// A minimal CSDL document: the service's entity container (DSP0266 8.4.2).
const METADATA: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">
  <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/ServiceRoot_v1.xml">
    <edmx:Include Namespace="ServiceRoot"/>
    <edmx:Include Namespace="ServiceRoot.v1_13_0"/>
  </edmx:Reference>
  <edmx:DataServices>
    <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="Service">
      <EntityContainer Name="Service" Extends="ServiceRoot.v1_13_0.ServiceContainer"/>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;
