//! The read-only inventory a README shows: Chassis/1, the manager's and the system's log
//! services (paged entries), and the firmware inventory, each linked from its parent as a
//! real BMC links them, so that examples written for a BMC run here unchanged.

use serde_json::{Value, json};

use super::{collection, links};

const CHASSIS: &str = "/redfish/v1/Chassis";
const MANAGER_LOGS: &str = "/redfish/v1/Managers/1/LogServices";
const SYSTEM_LOGS: &str = "/redfish/v1/Systems/1/LogServices";
const UPDATE: &str = "/redfish/v1/UpdateService";
const FIRMWARE: &str = "/redfish/v1/UpdateService/FirmwareInventory";
/// Entries per page of a log, and in all: the SEL needs three pages.
const PAGE: usize = 10;
const SEL_ENTRIES: usize = 25;
const LOG_ENTRIES: usize = 4;

/// The resource at `path`; None for paths that are not these.
pub(super) fn resource(path: &str, query: &str) -> Option<Value> {
    Some(match path {
        CHASSIS => collection(path, "ChassisCollection", links([format!("{CHASSIS}/1")])),
        "/redfish/v1/Chassis/1" => json!({
            "@odata.id": path, "@odata.type": "#Chassis.v1_14_0.Chassis", "Id": "1",
            "Name": "Computer System Chassis", "ChassisType": "RackMount",
            "Manufacturer": "Emulated", "Model": "BMC emulator", "SerialNumber": "EMU0001",
            "PowerState": "On", "Status": {"State": "Enabled", "Health": "OK"},
            "Links": {"ComputerSystems": [{"@odata.id": "/redfish/v1/Systems/1"}],
                      "ManagedBy": [{"@odata.id": "/redfish/v1/Managers/1"}]},
        }),
        MANAGER_LOGS => collection(
            path,
            "LogServiceCollection",
            links([format!("{path}/Log"), format!("{path}/Sel")]),
        ),
        SYSTEM_LOGS => collection(path, "LogServiceCollection", links([format!("{path}/Log")])),
        UPDATE => json!({
            "@odata.id": path, "@odata.type": "#UpdateService.v1_11_0.UpdateService",
            "Id": "UpdateService", "Name": "Update Service", "ServiceEnabled": true,
            "FirmwareInventory": {"@odata.id": FIRMWARE},
        }),
        FIRMWARE => collection(
            path,
            "SoftwareInventoryCollection",
            links([format!("{path}/BMC"), format!("{path}/BIOS")]),
        ),
        _ => return member(path, query),
    })
}

fn member(path: &str, query: &str) -> Option<Value> {
    if let Some(id) = path.strip_prefix(&format!("{FIRMWARE}/")) {
        let version = match id {
            "BMC" => "2.72",
            "BIOS" => "U30 v2.80",
            _ => return None,
        };
        return Some(json!({
            "@odata.id": path, "@odata.type": "#SoftwareInventory.v1_4_0.SoftwareInventory",
            "Id": id, "Name": format!("{id} firmware"), "Version": version, "Updateable": true,
            "Status": {"State": "Enabled", "Health": "OK"},
        }));
    }
    let (service, rest) = [MANAGER_LOGS, SYSTEM_LOGS]
        .into_iter()
        .find_map(|s| Some((s, path.strip_prefix(s)?.strip_prefix('/')?)))?;
    let (log, total) = match (service, rest.split('/').next()?) {
        (MANAGER_LOGS, "Sel") => ("Sel", SEL_ENTRIES),
        (MANAGER_LOGS, "Log") => ("Log", SEL_ENTRIES),
        (SYSTEM_LOGS, "Log") => ("Log", LOG_ENTRIES),
        _ => return None,
    };
    let base = format!("{service}/{log}");
    Some(match &rest[log.len()..] {
        "" => json!({
            "@odata.id": path, "@odata.type": "#LogService.v1_2_0.LogService", "Id": log,
            "Name": format!("{log} log"), "ServiceEnabled": true,
            "Entries": {"@odata.id": format!("{base}/Entries")},
        }),
        "/Entries" => entries(path, query, total),
        r => {
            let i: usize = r.strip_prefix("/Entries/")?.parse().ok()?;
            (i < total).then(|| entry(&format!("{base}/Entries"), i))?
        }
    })
}

/// A page of entries: `$skip` from the query, the next page linked while there is one.
fn entries(path: &str, query: &str, total: usize) -> Value {
    let skip: usize = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("$skip="))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let end = (skip + PAGE).min(total);
    let members: Vec<Value> = (skip.min(end)..end).map(|i| entry(path, i)).collect();
    let mut v = collection(path, "LogEntryCollection", members);
    v["Members@odata.count"] = json!(total);
    if end < total {
        v["Members@odata.nextLink"] = json!(format!("{path}?$skip={end}"));
    }
    v
}

fn entry(entries: &str, i: usize) -> Value {
    json!({
        "@odata.id": format!("{entries}/{i}"), "@odata.type": "#LogEntry.v1_9_0.LogEntry",
        "Id": i.to_string(), "Name": format!("Log Entry {i}"), "EntryType": "Event",
        "Severity": "OK", "Created": format!("2026-11-20T02:{:02}:00Z", i % 60),
        "Message": format!("event {i}"),
    })
}
