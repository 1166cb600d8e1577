//! The vendor profiles: each is one row of the quirks table, and nothing else in the crate
//! branches on the profile. A new vendor is a new row.

/// Where the login answer puts the session's URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocationStyle {
    /// `/redfish/v1/SessionService/Sessions/1`
    Relative,
    /// `https://host:port/...`
    Absolute,
    /// `https://host/.../` without the port the client used, with a trailing slash (iLO 4).
    AbsoluteNoPortSlash,
    /// `host:port/redfish/...` (ODIM before 23.08).
    NoScheme,
    /// No Location header, and no `@odata.id` in the body.
    Missing,
    /// No Location header; the body's `@odata.id` names the session (Cisco CIMC, Huawei).
    BodyOnly,
}

/// How the session POST itself is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionPost {
    Accepted,
    /// 307 to the collection with a trailing slash, where the POST is taken (Supermicro).
    RedirectToSlash,
    /// 405: this firmware offers no Redfish sessions (iDRAC 8).
    NotAllowed,
    /// No SessionService at all: the service root names none and the session POST answers
    /// 404; every request carries HTTP Basic credentials (OpenStack's sushy-tools).
    Absent,
    /// The session POST answers 401 with `WWW-Authenticate: Basic` unless it carries valid
    /// Basic credentials too (HPE's CSM Redfish emulator).
    DemandsBasic,
}

/// How session ids look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdStyle {
    Counter,
    /// The user name and 16 hex digits (iLO).
    UserHex,
    /// A fixed prefix and six digits (bmcweb).
    Prefixed(&'static str),
    Uuid,
}

/// What the session POST answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginAnswer {
    /// 201 with the Session resource.
    Created,
    /// 204 without a body (DMTF's Redfish-Mockup-Server).
    NoContent,
}

/// What a DELETE of a session answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteAnswer {
    NoContent,
    /// 200 with an `error` object holding `Base.1.0.Success` (iLO).
    IloSuccess,
}

/// What a request with a token the BMC does not know answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unauthorized {
    /// 401 with a Redfish error object.
    Json,
    /// 401 with an HTML page (iDRAC 8).
    Html,
}

/// How a resource's ETag is written, and what If-Match takes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EtagStyle {
    /// `"..."`; If-Match compared weakly, as DSP0266 asks.
    Strong,
    /// `W/"..."` sent, and refused back in If-Match: only the opaque tag, strong, is taken
    /// (Gigabyte).
    WeakRefusedBack,
    /// The ETag header carries `-gzip` inside the quotes (iDRAC on a gzipped answer); the
    /// tag with the suffix is refused back, the body's `@odata.etag` has none.
    GzipSuffix,
}

/// How `ComputerSystem.Reset` (and any long action) answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskStyle {
    /// 204 at once (bmcweb, iLO).
    Immediate,
    /// 202 with a DMTF task monitor; when the task ends the monitor answers 200 with the
    /// Task, or (`vanishes`) 404, and the Task resource stays.
    Monitor { vanishes: bool },
    /// 202 with `Location: /redfish/v1/Managers/iDRAC.Embedded.1/Jobs/JID_...`, a Dell Job.
    DellJob,
}

/// One vendor's behaviour.
#[derive(Debug)]
pub struct Quirks {
    pub name: &'static str,
    pub location: LocationStyle,
    pub ids: IdStyle,
    pub login: LoginAnswer,
    pub session_post: SessionPost,
    /// Where the service root's Links.Sessions points.
    pub sessions_path: &'static str,
    /// Status, MessageId and message when the session table is full.
    pub limit: (u16, &'static str, &'static str),
    pub delete: DeleteAnswer,
    /// Sessions can be made emergency sessions (`Bmc::add_emergency_session`), which a
    /// DELETE cannot end: 405 with `Allow: GET` (iLO).
    pub emergency_sessions: bool,
    /// Status and MessageId of a session POST while the BMC is busy (`Faults::post_busy`).
    pub busy: (u16, &'static str),
    pub unauthorized: Unauthorized,
    /// The Oem key under which each session says whether it is the caller's (`Hp`, `Hpe`).
    pub my_session: Option<&'static str>,
    pub expand: bool,
    pub lower_case_headers: bool,
    /// Sessions keep the Context the client sent at login.
    pub keeps_context: bool,
    /// A POST without `Content-Type: application/json` is refused with 415.
    pub needs_content_type: bool,
    pub etag: EtagStyle,
    /// PATCH and PUT without If-Match are refused with 428 (Lenovo XCC).
    pub if_match_required: bool,
    /// If-Match on a POST action is refused with 412 (iDRAC).
    pub if_match_refused_on_actions: bool,
    pub tasks: TaskStyle,
    /// Oem data in the service root that vendor tools read (`Hpe`, `iLO 5`, firmware).
    pub oem_root: Option<(&'static str, &'static str, &'static str)>,
    /// Where this profile departs from DSP0266 on purpose, to copy the vendor, and why.
    pub deviations: &'static [&'static str],
}

const FULL: (u16, &str, &str) = (
    503,
    "Base.1.8.SessionLimitExceeded",
    "The session establishment failed due to the number of simultaneous sessions exceeding the limit of the implementation.",
);

const GENERIC: Quirks = Quirks {
    name: "generic",
    location: LocationStyle::Relative,
    ids: IdStyle::Counter,
    login: LoginAnswer::Created,
    session_post: SessionPost::Accepted,
    sessions_path: "/redfish/v1/SessionService/Sessions",
    limit: FULL,
    delete: DeleteAnswer::NoContent,
    emergency_sessions: false,
    busy: (503, "Base.1.8.ServiceTemporarilyUnavailable"),
    unauthorized: Unauthorized::Json,
    my_session: None,
    expand: true,
    lower_case_headers: false,
    keeps_context: true,
    needs_content_type: false,
    etag: EtagStyle::Strong,
    if_match_required: false,
    if_match_refused_on_actions: false,
    tasks: TaskStyle::Immediate,
    oem_root: None,
    deviations: &[],
};

const ILO_BUSY: (u16, &str) = (400, "iLO.2.15.InvalidOperationForSystemState");
const ILO_BUSY_WHY: &str = "a busy iLO answers the session POST 400 with InvalidOperationForSystemState (it is resetting or updating), not 503";
const ILO_EMERGENCY_WHY: &str = "an emergency session cannot be deleted: DELETE answers 405 with `Allow: GET` and the session ends only when it times out, as iLO's do";

/// The table, in `Profile` order.
static TABLE: [Quirks; 16] = [
    GENERIC,
    Quirks {
        name: "ilo4",
        location: LocationStyle::AbsoluteNoPortSlash,
        ids: IdStyle::UserHex,
        limit: (400, "Base.1.4.SessionLimitExceeded", FULL.2),
        delete: DeleteAnswer::IloSuccess,
        emergency_sessions: true,
        busy: ILO_BUSY,
        my_session: Some("Hp"),
        lower_case_headers: true,
        oem_root: Some(("Hp", "iLO 4", "2.80")),
        deviations: &[
            "Location names the session without the port the client used and with a trailing slash, as iLO 4 does: clients must keep only the path",
            "a full session table answers 400, not 503, as iLO does",
            "DELETE of a session answers 200 with an `error` object holding Base.1.0.Success, as iLO does",
            ILO_BUSY_WHY,
            ILO_EMERGENCY_WHY,
        ],
        ..GENERIC
    },
    Quirks {
        name: "ilo5",
        location: LocationStyle::Absolute,
        ids: IdStyle::UserHex,
        limit: (400, "Base.1.4.SessionLimitExceeded", FULL.2),
        delete: DeleteAnswer::IloSuccess,
        emergency_sessions: true,
        busy: ILO_BUSY,
        my_session: Some("Hpe"),
        oem_root: Some(("Hpe", "iLO 5", "2.72")),
        deviations: &[
            "a full session table answers 400, not 503, as iLO does",
            "DELETE of a session answers 200 with an `error` object holding Base.1.0.Success, as iLO does",
            ILO_BUSY_WHY,
            ILO_EMERGENCY_WHY,
        ],
        ..GENERIC
    },
    Quirks {
        name: "idrac",
        location: LocationStyle::Absolute,
        limit: (
            503,
            "IDRAC.2.8.RAC0218",
            "The maximum number of user sessions is reached.",
        ),
        etag: EtagStyle::GzipSuffix,
        if_match_refused_on_actions: true,
        tasks: TaskStyle::DellJob,
        busy: (400, "IDRAC.2.8.SYS518"),
        deviations: &[
            "a busy iDRAC answers the session POST 400 with SYS518 (the job queue or Lifecycle Controller is busy), not 503",
            "every ETag header carries `-gzip` inside the quotes and a tag with it is refused back in If-Match, as iDRAC does on gzipped answers (always here, so that clients' stripping is exercised)",
            "If-Match on a POST action is refused with 412, as iDRAC does",
        ],
        ..GENERIC
    },
    Quirks {
        name: "bmcweb",
        ids: IdStyle::Prefixed("bmcw"),
        expand: false,
        lower_case_headers: true,
        needs_content_type: true,
        ..GENERIC
    },
    Quirks {
        name: "odim",
        location: LocationStyle::NoScheme,
        ids: IdStyle::Uuid,
        tasks: TaskStyle::Monitor { vanishes: true },
        deviations: &[
            "Location has no scheme (`host:port/redfish/...`), as ODIM before 23.08 sends: clients must keep only the path",
        ],
        ..GENERIC
    },
    Quirks {
        name: "no-location",
        location: LocationStyle::Missing,
        ids: IdStyle::UserHex,
        my_session: Some("Hpe"),
        keeps_context: false,
        oem_root: Some(("Hpe", "iLO 5", "2.72")),
        deviations: &[
            "the session POST answers without a Location header and without @odata.id: only Oem.Hpe.MySession tells the client its session (the worst case seen in the field)",
            "sessions drop the Context the client sent",
        ],
        ..GENERIC
    },
    Quirks {
        name: "no-content",
        login: LoginAnswer::NoContent,
        deviations: &[
            "the session POST answers 204 without a body, as DMTF's Redfish-Mockup-Server does, instead of 201 with the Session (so a PasswordChangeRequired message has no body to travel in)",
        ],
        ..GENERIC
    },
    Quirks {
        name: "xcc",
        limit: (403, "Base.1.8.SessionLimitExceeded", FULL.2),
        if_match_required: true,
        tasks: TaskStyle::Monitor { vanishes: false },
        deviations: &[
            "PATCH and PUT without If-Match are refused with 428, as Lenovo XCC does",
            "a full session table answers 403, as XCC does",
        ],
        ..GENERIC
    },
    Quirks {
        name: "gigabyte",
        etag: EtagStyle::WeakRefusedBack,
        deviations: &[
            "ETags are weak (`W/\"...\"`) and a weak tag is refused back in If-Match, as Gigabyte's BMC does; DSP0266 asks for weak comparison",
        ],
        ..GENERIC
    },
    Quirks {
        name: "supermicro",
        session_post: SessionPost::RedirectToSlash,
        deviations: &[
            "the session POST is redirected (307) to the collection with a trailing slash, as older Supermicro firmware does",
        ],
        ..GENERIC
    },
    Quirks {
        name: "idrac-legacy",
        sessions_path: "/redfish/v1/Sessions",
        location: LocationStyle::Absolute,
        limit: (
            503,
            "IDRAC.2.8.RAC0218",
            "The maximum number of user sessions is reached.",
        ),
        ..GENERIC
    },
    Quirks {
        name: "idrac8",
        session_post: SessionPost::NotAllowed,
        unauthorized: Unauthorized::Html,
        deviations: &[
            "the session POST answers 405: iDRAC 8 firmware offers no Redfish sessions (Basic authentication only)",
            "a token it does not know is answered 401 with an HTML page, not a Redfish error, as iDRAC 8 does",
        ],
        ..GENERIC
    },
    Quirks {
        name: "cimc",
        location: LocationStyle::BodyOnly,
        deviations: &[
            "the session POST answers without a Location header; the body's @odata.id names the session, as Cisco CIMC 4.1 and Huawei iBMC do",
        ],
        ..GENERIC
    },
    Quirks {
        name: "sushy",
        session_post: SessionPost::Absent,
        deviations: &[
            "no SessionService: the service root names no sessions collection and the session POST answers 404; every request is authenticated with HTTP Basic, as OpenStack's sushy-tools emulator does",
        ],
        ..GENERIC
    },
    Quirks {
        name: "csm",
        session_post: SessionPost::DemandsBasic,
        deviations: &[
            "the session POST answers 401 with `WWW-Authenticate: Basic` unless it also carries the credentials as HTTP Basic, as HPE's CSM Redfish emulator does",
        ],
        ..GENERIC
    },
];

/// How a vendor's BMC answers, from the field notes in shared/redfish-sessions.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Generic,
    Ilo4,
    Ilo5,
    Idrac,
    Bmcweb,
    Odim,
    NoLocation,
    NoContent,
    Xcc,
    Gigabyte,
    Supermicro,
    IdracLegacy,
    Idrac8,
    Cimc,
    Sushy,
    Csm,
}

impl Profile {
    pub const ALL: [Profile; 16] = [
        Profile::Generic,
        Profile::Ilo4,
        Profile::Ilo5,
        Profile::Idrac,
        Profile::Bmcweb,
        Profile::Odim,
        Profile::NoLocation,
        Profile::NoContent,
        Profile::Xcc,
        Profile::Gigabyte,
        Profile::Supermicro,
        Profile::IdracLegacy,
        Profile::Idrac8,
        Profile::Cimc,
        Profile::Sushy,
        Profile::Csm,
    ];

    /// The profiles a client can log in to with a session on its own (all but iDRAC 8,
    /// sushy-tools and CSM, which want HTTP Basic).
    pub fn with_sessions() -> impl Iterator<Item = Profile> {
        Profile::ALL.into_iter().filter(|p| {
            !matches!(
                p.quirks().session_post,
                SessionPost::NotAllowed | SessionPost::Absent | SessionPost::DemandsBasic
            )
        })
    }

    pub fn quirks(self) -> &'static Quirks {
        &TABLE[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.quirks().name
    }

    pub fn from_name(s: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.name() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_has_its_own_row() {
        for (i, p) in Profile::ALL.iter().enumerate() {
            assert_eq!(*p as usize, i);
            assert_eq!(Profile::from_name(p.name()), Some(*p));
        }
        let mut names: Vec<_> = TABLE.iter().map(|q| q.name).collect();
        names.dedup();
        assert_eq!(names.len(), TABLE.len());
    }

    #[test]
    fn deviations_are_documented_where_the_protocol_is_bent() {
        for q in &TABLE {
            let bends = matches!(
                q.location,
                LocationStyle::AbsoluteNoPortSlash
                    | LocationStyle::NoScheme
                    | LocationStyle::Missing
                    | LocationStyle::BodyOnly
            ) || q.login == LoginAnswer::NoContent
                || q.session_post != SessionPost::Accepted
                || q.if_match_refused_on_actions
                || q.delete == DeleteAnswer::IloSuccess
                || q.etag != EtagStyle::Strong
                || q.if_match_required
                || q.limit.0 != 503
                || q.busy.0 != 503
                || q.emergency_sessions
                || q.unauthorized != Unauthorized::Json;
            assert_eq!(bends, !q.deviations.is_empty(), "{}", q.name);
        }
    }
}
