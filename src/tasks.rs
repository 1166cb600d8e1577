//! Waiting on a long action: a DMTF task monitor (202 while running, then the result or the
//! Task; 404 once it is gone) or a Dell job (200 with a JobState). Polls as Retry-After says
//! (never sooner than 1 s: `Retry-After: 0` must not become a busy loop), else backing off
//! from 1 s to 10 s; each poll gets the full --timeout.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::redfish::{Bmc, RedfishError, is_success, parse_json};
use crate::secret::Secret;

/// How far a task is, for a progress line.
pub struct Progress {
    pub percent: Option<u64>,
    pub state: String,
}

const BODY_LIMIT: u64 = 16 * 1024 * 1024;
/// Pauses without Retry-After grow to this; a Retry-After may ask for more.
const MAX_PAUSE: Duration = Duration::from_secs(10);
const MIN_PAUSE: Duration = Duration::from_secs(1);

/// Poll `monitor` until the task ends; its final Task, Job or response body (Null when it
/// had none). A task that failed is `TaskFailed`; one still running after `limit`,
/// `TaskTimeout`.
pub fn wait(
    bmc: &Bmc,
    token: &Secret,
    monitor: &str,
    task: Option<&str>,
    limit: Duration,
    progress: &dyn Fn(&Progress),
) -> Result<Value, RedfishError> {
    let start = Instant::now();
    let mut backoff = Duration::from_secs(1);
    let mut task_uri: Option<String> = task.map(str::to_owned);
    let mut seen_running = false;
    loop {
        bmc.transport.renew_deadline();
        let mut resp = bmc.transport.send("GET", monitor, Some(token), None)?;
        let status = resp.status;
        let retry_after = resp
            .header("retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = match status {
            // A monitor gone at the first poll is a task that ended at once when the 202
            // named its Task (ODIM); without one it may be a wrong URI, an error below.
            404 if seen_running
                || task_uri.as_deref().is_some_and(|t| {
                    // Compared as resolved: an absolute spelling of the monitor is the monitor.
                    crate::links::on_host(&bmc.host, monitor, t).as_deref() != Some(monitor)
                }) =>
            {
                // The monitor is gone: the task is over. Its Task resource tells how.
                // The body's link is the BMC's data: a path on this host, or not followed.
                let task = task_uri
                    .map(|t| bmc.follow(monitor, "task @odata.id", &t))
                    .transpose()?;
                return match task.filter(|t| t != monitor) {
                    Some(t) => verdict(monitor, bmc.get_json(token, &t, BODY_LIMIT)?)
                        .and_then(|v| v.ok_or_else(|| still_running(monitor))),
                    None => Ok(Value::Null),
                };
            }
            s if is_success(s) => {
                let bytes = resp.bytes(BODY_LIMIT)?;
                if bytes.is_empty() {
                    Value::Null
                } else {
                    parse_json(monitor, &bytes)?
                }
            }
            // Every other status is an error (check says which).
            _ => {
                bmc.check(&mut resp, "GET")?;
                Value::Null
            }
        };
        if let Some(id) = body.get("@odata.id").and_then(Value::as_str) {
            task_uri = Some(id.to_owned());
        }
        let finished = if status == 202 {
            None
        } else {
            verdict(monitor, body.clone())?
        };
        if let Some(end) = finished {
            return Ok(end);
        }
        seen_running = true;
        progress(&Progress {
            percent: body.get("PercentComplete").and_then(Value::as_u64),
            state: state_of(&body).unwrap_or("Running").to_owned(),
        });
        let left = limit.saturating_sub(start.elapsed());
        if left.is_zero() {
            return Err(RedfishError::TaskTimeout {
                monitor: monitor.to_owned(),
                secs: limit.as_secs(),
                host: bmc.host_key(),
            });
        }
        let pause = match retry_after {
            Some(asked) => asked.max(MIN_PAUSE),
            None => backoff,
        };
        let pause = pause.min(left);
        bmc.transport.pause(pause);
        backoff = (backoff * 2).min(MAX_PAUSE);
    }
}

fn still_running(monitor: &str) -> RedfishError {
    RedfishError::TaskFailed {
        monitor: monitor.to_owned(),
        state: "without a final state (its monitor is gone but the Task still runs)".into(),
        message: String::new(),
    }
}

fn state_of(body: &Value) -> Option<&str> {
    body.get("TaskState")
        .or_else(|| body.get("JobState"))
        .and_then(Value::as_str)
}

/// Some(body) when the task is over and went well; None while it runs; TaskFailed when it
/// ended badly. A body that is neither a Task nor a Job is the action's own result.
fn verdict(monitor: &str, body: Value) -> Result<Option<Value>, RedfishError> {
    let Some(state) = state_of(&body).map(str::to_owned) else {
        return Ok(Some(body));
    };
    let status = body
        .get("TaskStatus")
        .and_then(Value::as_str)
        .unwrap_or("OK");
    match state.as_str() {
        "Completed" if matches!(status, "OK" | "Warning") => Ok(Some(body)),
        "Completed" | "Exception" | "Killed" | "Cancelled" | "Failed" | "CompletedWithErrors" => {
            Err(RedfishError::TaskFailed {
                monitor: monitor.to_owned(),
                state: format!("{state} (status {status})"),
                message: messages(&body),
            })
        }
        _ => Ok(None),
    }
}

/// The task's `Messages`, or a Dell job's `Message`.
fn messages(body: &Value) -> String {
    let from_list = body
        .get("Messages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|m| m.get("Message").and_then(Value::as_str));
    let all: Vec<&str> = from_list
        .chain(body.get("Message").and_then(Value::as_str))
        .collect();
    all.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn states_decide_the_end() {
        let v = |b: Value| verdict("/m", b);
        assert!(v(json!({"TaskState": "Running"})).unwrap().is_none());
        assert!(v(json!({"JobState": "Scheduled"})).unwrap().is_none());
        assert!(
            v(json!({"TaskState": "Completed", "TaskStatus": "Warning"}))
                .unwrap()
                .is_some()
        );
        assert!(v(json!({"JobState": "Completed"})).unwrap().is_some());
        assert!(v(json!({"ResetType": "On"})).unwrap().is_some());
        let e = v(json!({"TaskState": "Exception", "TaskStatus": "Critical",
            "Messages": [{"Message": "no power"}]}))
        .unwrap_err()
        .to_string();
        assert!(e.contains("Exception (status Critical): no power"), "{e}");
        let e = v(json!({"JobState": "Failed", "Message": "Unable"}))
            .unwrap_err()
            .to_string();
        assert!(e.contains("Failed") && e.contains("Unable"), "{e}");
    }
}
