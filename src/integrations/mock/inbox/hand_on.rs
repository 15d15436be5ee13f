//! The hand-on actions on an alert (unacknowledge, snooze, assign,
//! escalate, add responder) as Opsgenie and JSM apply them: one
//! implementation for both stand-ins.

use super::*;

/// The request names of the hand-on actions (as the request status shows
/// them), shared with the JSM stand-in.
pub(super) fn names(what: &str) -> Option<(&'static str, &'static str)> {
    Some(match what {
        "unacknowledge" => ("UnAcknowledge", "Unacknowledged alert"),
        "snooze" => ("Snooze", "Snoozed alert"),
        "assign" => ("AssignOwnership", "Assigned ownership"),
        "escalate" => ("Escalate", "Escalated alert"),
        "responders" => ("AddResponder", "Added responder"),
        _ => return None,
    })
}

/// Apply a hand-on action to an open alert, as Opsgenie and JSM do; the
/// body fields are Opsgenie's (`owner.username`, `escalation.name`,
/// `responder`) or JSM's (`accountId`, `escalationId`, flat `id`/`type`).
pub(super) fn apply(
    v: &mut Value,
    what: &str,
    body: &serde_json::Map<String, Value>,
    now: DateTime<Utc>,
) -> Result<(), &'static str> {
    match what {
        "unacknowledge" => {
            if v["acknowledged"] != true {
                return Err("Alert is not acknowledged");
            }
            v["acknowledged"] = json!(false);
            if v["status"] == "acked" {
                v["status"] = json!("open");
            }
            Ok(())
        }
        "snooze" => {
            let end = body
                .get("endTime")
                .and_then(Value::as_str)
                .and_then(parse_time)
                .ok_or("EndTime is required")?;
            if end <= now {
                return Err("EndTime should be later than now");
            }
            v["snoozed"] = json!(true);
            v["snoozedUntil"] = json!(og_time(end));
            Ok(())
        }
        "assign" => {
            let owner = body
                .get("owner")
                .and_then(|o| o.get("username").or(o.get("id")))
                .or(body.get("accountId"))
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
                .ok_or("Owner is required")?;
            v["owner"] = json!(owner);
            v["acknowledged"] = json!(false);
            Ok(())
        }
        "escalate" => {
            let to = body
                .get("escalation")
                .and_then(|e| e.get("name").or(e.get("id")))
                .or(body.get("escalationId"))
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
                .ok_or("Escalation is required")?;
            let mut r = v["responders"].as_array().cloned().unwrap_or_default();
            r.push(json!({"type": "escalation", "id": to}));
            v["responders"] = json!(r);
            v["acknowledged"] = json!(false);
            Ok(())
        }
        "responders" => {
            let who = body.get("responder").unwrap_or(&Value::Null);
            let (kind, id) = if who.is_null() {
                (
                    body.get("type").and_then(Value::as_str).unwrap_or(""),
                    body.get("id").and_then(Value::as_str).unwrap_or(""),
                )
            } else {
                (
                    who["type"].as_str().unwrap_or(""),
                    who["username"]
                        .as_str()
                        .or(who["name"].as_str())
                        .or(who["id"].as_str())
                        .unwrap_or(""),
                )
            };
            if !matches!(kind, "user" | "team" | "escalation" | "schedule") || id.trim().is_empty()
            {
                return Err("Responder is not valid");
            }
            let mut r = v["responders"].as_array().cloned().unwrap_or_default();
            r.push(json!({"type": kind, "id": id}));
            v["responders"] = json!(r);
            Ok(())
        }
        _ => Err("Unknown action"),
    }
}
