//! The writable ComputerSystem and its BIOS settings, with the profile's ETags and If-Match
//! rules, and `ComputerSystem.Reset`, answered at once or run as a DMTF task or a Dell job.

use serde_json::{Map, Value, json};

use super::{Caller, Cx, collection, forbidden, links, not_found};
use crate::Task;
use crate::http::{Resp, redfish_error};
use crate::quirks::TaskStyle;

const SYSTEM: &str = "/redfish/v1/Systems/1";
const BIOS: &str = "/redfish/v1/Systems/1/Bios";
const BIOS_SETTINGS: &str = "/redfish/v1/Systems/1/Bios/Settings";
const RESET: &str = "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset";
const TASK_SERVICE: &str = "/redfish/v1/TaskService";
const TASKS: &str = "/redfish/v1/TaskService/Tasks";
const MONITORS: &str = "/redfish/v1/TaskService/TaskMonitors";
const JOBS: &str = "/redfish/v1/Managers/iDRAC.Embedded.1/Jobs";
const RESET_TYPES: [&str; 6] = [
    "On",
    "ForceOff",
    "GracefulShutdown",
    "GracefulRestart",
    "ForceRestart",
    "PushPowerButton",
];
const BOOT_TARGETS: [&str; 6] = ["None", "Pxe", "Hdd", "Cd", "Usb", "BiosSetup"];
const BOOT_ENABLED: [&str; 3] = ["Disabled", "Once", "Continuous"];

/// The methods these resources take; None for paths that are not theirs.
pub(super) fn allowed(path: &str) -> Option<&'static str> {
    match path {
        SYSTEM => Some("GET, HEAD, PATCH"),
        BIOS_SETTINGS => Some("GET, HEAD, PATCH, PUT"),
        RESET => Some("POST"),
        _ => None,
    }
}

fn unknown_property(names: &[String]) -> Resp {
    let messages: Vec<Value> = names
        .iter()
        .map(|k| json!({"MessageId": "Base.1.8.PropertyUnknown", "Message": format!("The property {k} is not in the list of valid properties for the resource."), "Severity": "Warning"}))
        .collect();
    Resp::json(
        400,
        json!({"error": {
            "code": "Base.1.8.GeneralError",
            "message": "A general error has occurred. See ExtendedInfo for more information.",
            "@Message.ExtendedInfo": messages,
        }}),
    )
}

fn not_in_list(property: &str, value: &Value) -> Resp {
    redfish_error(
        400,
        "Base.1.8.PropertyValueNotInList",
        &format!(
            "The value {value} for the property {property} is not in the list of acceptable values."
        ),
    )
}

impl Cx<'_> {
    /// The answer for these resources; None for paths that are not theirs.
    pub(super) fn systems(&mut self, caller: &Caller) -> Option<Resp> {
        let path = self.path.clone();
        Some(match path.as_str() {
            SYSTEM if self.method == "PATCH" => self.patch_system(caller),
            SYSTEM => self.system_resp(200),
            BIOS => Resp::json(200, self.bios_json()),
            BIOS_SETTINGS if self.method == "GET" => self.settings_resp(200),
            BIOS_SETTINGS => self.write_settings(caller),
            RESET => self.reset(caller),
            TASK_SERVICE => Resp::json(
                200,
                json!({"@odata.id": TASK_SERVICE, "@odata.type": "#TaskService.v1_2_0.TaskService",
                       "Id": "TaskService", "Name": "Task Service", "ServiceEnabled": true,
                       "Tasks": {"@odata.id": TASKS}}),
            ),
            TASKS => Resp::json(
                200,
                collection(
                    TASKS,
                    "TaskCollection",
                    links(self.st.tasks.iter().map(|t| format!("{TASKS}/{}", t.id))),
                ),
            ),
            JOBS => Resp::json(
                200,
                collection(
                    JOBS,
                    "DellJobCollection",
                    links(self.st.tasks.iter().map(|t| format!("{JOBS}/JID_{}", t.id))),
                ),
            ),
            p => {
                if let Some(id) = p.strip_prefix(&format!("{MONITORS}/")) {
                    self.poll_monitor(id)
                } else if p.starts_with("/TaskMonitor/") {
                    let id = self
                        .query
                        .split('&')
                        .find_map(|kv| kv.strip_prefix("id="))
                        .unwrap_or("")
                        .to_owned();
                    self.poll_monitor(&id)
                } else if let Some(id) = p.strip_prefix(&format!("{JOBS}/JID_")) {
                    self.poll_job(id)
                } else if let Some(id) = p.strip_prefix(&format!("{TASKS}/")) {
                    let t = self.st.tasks.iter().find(|t| t.id == id)?;
                    Resp::json(200, task_json(t))
                } else {
                    return None;
                }
            }
        })
    }

    fn system_key(&self) -> String {
        format!("sys-{}", self.st.system.version)
    }

    fn system_resp(&self, status: u16) -> Resp {
        let s = &self.st.system;
        let key = self.system_key();
        let v = json!({
            "@odata.id": SYSTEM, "@odata.type": "#ComputerSystem.v1_13_0.ComputerSystem",
            "@odata.etag": self.etag_prop(&key),
            "Id": "1", "Name": "System",
            "PowerState": s.power, "Model": format!("Emulated {}", self.q.name),
            "AssetTag": s.asset_tag,
            "Status": {"State": "Enabled", "Health": "OK"},
            "MemorySummary": {"TotalSystemMemoryGiB": 512},
            "Boot": {
                "BootSourceOverrideTarget": s.boot_target,
                "BootSourceOverrideEnabled": s.boot_enabled,
                "BootSourceOverrideTarget@Redfish.AllowableValues": BOOT_TARGETS,
            },
            "Bios": {"@odata.id": BIOS},
            "LogServices": {"@odata.id": "/redfish/v1/Systems/1/LogServices"},
            "Actions": {"#ComputerSystem.Reset": {
                "target": RESET, "ResetType@Redfish.AllowableValues": RESET_TYPES}},
        });
        Resp::json(status, v).with("ETag", self.etag_header(&key))
    }

    /// A JSON object body, or the 400 for anything else.
    fn object_body(&self) -> Result<Map<String, Value>, Resp> {
        match serde_json::from_str::<Value>(&self.req.body) {
            Ok(Value::Object(m)) => Ok(m),
            _ => Err(redfish_error(
                400,
                "Base.1.8.MalformedJSON",
                "The request body submitted was malformed JSON.",
            )),
        }
    }

    /// Who may write, and whether the precondition holds.
    fn may_write(&self, caller: &Caller, key: &str) -> Result<(), Resp> {
        if !caller.may("ConfigureComponents") {
            return Err(forbidden());
        }
        self.check_if_match(key)
    }

    fn patch_system(&mut self, caller: &Caller) -> Resp {
        let key = self.system_key();
        if let Err(r) = self.may_write(caller, &key) {
            return r;
        }
        let body = match self.object_body() {
            Ok(b) => b,
            Err(r) => return r,
        };
        let mut sys = self.st.system.clone();
        let mut unknown = Vec::new();
        for (k, v) in &body {
            match (k.as_str(), v) {
                (k, _) if k.starts_with('@') => {}
                ("AssetTag", Value::String(t)) => sys.asset_tag = t.clone(),
                ("Boot", Value::Object(boot)) => {
                    for (bk, bv) in boot {
                        let valid = |list: &[&str]| bv.as_str().is_some_and(|s| list.contains(&s));
                        match bk.as_str() {
                            "BootSourceOverrideTarget" if valid(&BOOT_TARGETS) => {
                                sys.boot_target = bv.as_str().unwrap_or_default().into()
                            }
                            "BootSourceOverrideEnabled" if valid(&BOOT_ENABLED) => {
                                sys.boot_enabled = bv.as_str().unwrap_or_default().into()
                            }
                            "BootSourceOverrideTarget" | "BootSourceOverrideEnabled" => {
                                return not_in_list(bk, bv);
                            }
                            _ => unknown.push(format!("Boot/{bk}")),
                        }
                    }
                }
                _ => unknown.push(k.clone()),
            }
        }
        if !unknown.is_empty() {
            return unknown_property(&unknown);
        }
        sys.version += 1;
        self.st.system = sys;
        self.system_resp(200)
    }

    fn bios_json(&self) -> Value {
        json!({"@odata.id": BIOS, "@odata.type": "#Bios.v1_2_0.Bios", "Id": "Bios", "Name": "BIOS",
               "Attributes": self.st.system.bios,
               "@Redfish.Settings": {"SettingsObject": {"@odata.id": BIOS_SETTINGS}}})
    }

    fn settings_resp(&self, status: u16) -> Resp {
        let key = format!("bios-{}", self.st.system.version);
        let v = json!({"@odata.id": BIOS_SETTINGS, "@odata.type": "#Bios.v1_2_0.Bios",
               "@odata.etag": self.etag_prop(&key), "Id": "Settings", "Name": "BIOS pending settings",
               "Attributes": self.st.system.bios_pending});
        Resp::json(status, v).with("ETag", self.etag_header(&key))
    }

    /// PATCH merges Attributes into the pending settings, PUT replaces them.
    fn write_settings(&mut self, caller: &Caller) -> Resp {
        let key = format!("bios-{}", self.st.system.version);
        if let Err(r) = self.may_write(caller, &key) {
            return r;
        }
        let body = match self.object_body() {
            Ok(b) => b,
            Err(r) => return r,
        };
        let Some(Value::Object(attrs)) = body.get("Attributes") else {
            return unknown_property(
                &body
                    .keys()
                    .filter(|k| !k.starts_with('@'))
                    .cloned()
                    .collect::<Vec<_>>(),
            );
        };
        let unknown: Vec<String> = attrs
            .keys()
            .filter(|k| !self.st.system.bios.contains_key(*k))
            .map(|k| format!("Attributes/{k}"))
            .collect();
        if !unknown.is_empty() {
            return unknown_property(&unknown);
        }
        let sys = &mut self.st.system;
        if self.method == "PUT" {
            sys.bios_pending.clear();
        }
        sys.bios_pending.extend(attrs.clone());
        sys.version += 1;
        self.settings_resp(200)
    }

    fn reset(&mut self, caller: &Caller) -> Resp {
        if !caller.may("ConfigureComponents") {
            return forbidden();
        }
        if self.q.if_match_refused_on_actions && self.req.header("if-match").is_some() {
            return redfish_error(
                412,
                "Base.1.8.PreconditionFailed",
                "If-Match is not supported on actions.",
            );
        }
        let body = match self.object_body() {
            Ok(b) => b,
            Err(r) => return r,
        };
        let reset_type = match body.get("ResetType") {
            Some(Value::String(t)) if RESET_TYPES.contains(&t.as_str()) => t.clone(),
            Some(v) => {
                return redfish_error(
                    400,
                    "Base.1.8.ActionParameterValueNotInList",
                    &format!(
                        "The value {v} for the parameter ResetType in the action ComputerSystem.Reset is not in the list of acceptable values."
                    ),
                );
            }
            None => {
                return redfish_error(
                    400,
                    "Base.1.8.ActionParameterMissing",
                    "The action ComputerSystem.Reset requires the parameter ResetType to be present in the request body.",
                );
            }
        };
        if self.q.tasks == TaskStyle::Immediate {
            power(&mut self.st.system, &reset_type);
            return Resp::empty(204);
        }
        let f = &self.st.faults;
        let task = Task {
            id: (self.st.tasks.len() + 1).to_string(),
            reset_type,
            polls: f.task_polls,
            polls_left: f.task_polls,
            fails: f.task_fails,
            done: false,
            started: std::time::Instant::now(),
            lasts: self.shared.config.task_time,
        };
        let retry_after = f.task_retry_after;
        let resp = match self.q.tasks {
            TaskStyle::DellJob => {
                Resp::empty(202).with("Location", format!("{JOBS}/JID_{}", task.id))
            }
            _ => Resp::json(202, self.task_body(&task)).with(
                "Location",
                match &f.task_monitor {
                    Some(t) => t.replace("{id}", &task.id),
                    None => format!("{MONITORS}/{}", task.id),
                },
            ),
        };
        self.st.tasks.push(task);
        match retry_after {
            Some(s) => resp.with("Retry-After", s.to_string()),
            None => resp,
        }
    }

    /// One poll of a task: "running" while polls are left, then it ends.
    fn advance(&mut self, id: &str) -> Option<Task> {
        let i = self.st.tasks.iter().position(|t| t.id == id)?;
        let t = &mut self.st.tasks[i];
        if t.polls_left > 0 {
            t.polls_left -= 1;
        } else if t.started.elapsed() < t.lasts {
            // Still running: its time is not up.
        } else if !t.done {
            t.done = true;
            if !t.fails {
                let kind = t.reset_type.clone();
                power(&mut self.st.system, &kind);
            }
        }
        Some(self.st.tasks[i].clone())
    }

    /// A DMTF task monitor: 202 with the Task while it runs, then the Task (or 404).
    fn poll_monitor(&mut self, id: &str) -> Resp {
        let Some(t) = self.advance(id) else {
            return not_found();
        };
        if !t.done {
            let resp = Resp::json(202, self.task_body(&t));
            return match self.st.faults.task_retry_after {
                Some(s) => resp.with("Retry-After", s.to_string()),
                None => resp,
            };
        }
        match self.q.tasks {
            TaskStyle::Monitor { vanishes: true } => not_found(),
            _ => Resp::json(200, self.task_body(&t)),
        }
    }

    /// A task as its monitor shows it, with the `@odata.id` a fault puts there.
    fn task_body(&self, t: &Task) -> Value {
        let mut v = task_json(t);
        if let Some(id) = &self.st.faults.task_odata_id {
            v["@odata.id"] = json!(id.replace("{id}", &t.id));
        }
        v
    }

    /// A Dell job: always 200, its JobState says how far it is.
    fn poll_job(&mut self, id: &str) -> Resp {
        let Some(t) = self.advance(id) else {
            return not_found();
        };
        let (state, message) = match (t.done, t.fails) {
            (false, _) if t.polls_left + 1 >= t.polls && t.polls > 0 => {
                ("Scheduled", "Task successfully scheduled.")
            }
            (false, _) => ("Running", "Job in progress."),
            (true, false) => ("Completed", "Job completed successfully."),
            (true, true) => (
                "Failed",
                "Unable to complete the power operation: the system did not respond.",
            ),
        };
        Resp::json(
            200,
            json!({"@odata.id": format!("{JOBS}/JID_{}", t.id), "@odata.type": "#DellJob.v1_5_0.DellJob",
                   "Id": format!("JID_{}", t.id), "Name": format!("Reset {}", t.reset_type), "JobType": "RemoteServerPowerControl",
                   "JobState": state, "PercentComplete": percent(&t), "Message": message,
                   "MessageId": if t.fails && t.done { "SYS051" } else { "SYS053" }}),
        )
    }
}

fn power(sys: &mut crate::System, reset_type: &str) {
    sys.power = match reset_type {
        "ForceOff" | "GracefulShutdown" => "Off",
        "PushPowerButton" if sys.power == "On" => "Off",
        _ => "On",
    }
    .into();
}

fn percent(t: &Task) -> u32 {
    if t.done {
        100
    } else if !t.lasts.is_zero() {
        (t.started.elapsed().as_millis() * 100 / t.lasts.as_millis()).min(99) as u32
    } else {
        (t.polls - t.polls_left) * 100 / (t.polls + 1)
    }
}

fn task_json(t: &Task) -> Value {
    let (state, status, messages) = match (t.done, t.fails) {
        (false, _) => ("Running", "OK", json!([])),
        (true, false) => (
            "Completed",
            "OK",
            json!([{"MessageId": "Base.1.8.Success", "Message": "Successfully Completed Request", "Severity": "OK"}]),
        ),
        (true, true) => (
            "Exception",
            "Critical",
            json!([{"MessageId": "Base.1.8.InternalError", "Message": "The reset failed: the system did not respond to the power request.", "Severity": "Critical"}]),
        ),
    };
    json!({
        "@odata.id": format!("{TASKS}/{}", t.id), "@odata.type": "#Task.v1_4_3.Task",
        "Id": t.id, "Name": format!("Reset {}", t.reset_type),
        "TaskState": state, "TaskStatus": status, "PercentComplete": percent(t),
        "TaskMonitor": format!("{MONITORS}/{}", t.id), "Messages": messages,
    })
}
