//! A stand-in for Prometheus Alertmanager's API v2, for the demo and
//! `mock-endpoints` (the tests run the real Alertmanager): firing alerts
//! (`GET /api/v2/alerts` with `active`, `silenced`, `inhibited`, `filter`
//! equality matchers, `receiver`), `POST /api/v2/alerts`, silences (`GET`,
//! `POST` answering `silenceID`, `DELETE /api/v2/silence/{id}`: 200 even
//! when already expired, 500 "silence not found" for an unknown id) and
//! `GET /api/v2/status`. A silence holds an alert when every matcher
//! equals one of its labels.

use super::*;

pub(super) struct AmAlert {
    labels: serde_json::Map<String, Value>,
    annotations: Value,
    starts: DateTime<Utc>,
    fingerprint: String,
}

pub(super) struct AmSilence {
    v: Value,
}

/// The Export Center's alerts (seed 003 §3), firing since the demo began.
pub(super) fn am_default_seed(epoch: DateTime<Utc>) -> Vec<AmAlert> {
    #[rustfmt::skip]
    let rows: [(&str, &str, &str, &str, i64); 4] = [
        ("ExportCenterRunFailureSpike", "critical", "Export run failures above 5% for 10 minutes", "https://runbooks.credguard.example/export-center#run-failures", 12),
        ("ExportCenterVerifyFailure", "error", "Bundle verification failed for the nightly full export", "https://runbooks.credguard.example/export-center#verify", 48),
        ("ExportCenterWorkerLag", "warning", "Export workers 18 minutes behind the queue", "https://runbooks.credguard.example/export-center#worker-lag", 25),
        ("ExportCenterRetentionStale", "info", "Retention sweep has not run for 26 hours", "https://runbooks.credguard.example/export-center#retention", 3 * 60),
    ];
    rows.into_iter()
        .map(|(name, sev, summary, runbook, ago)| {
            let mut labels = serde_json::Map::new();
            labels.insert("alertname".into(), json!(name));
            labels.insert("severity".into(), json!(sev));
            labels.insert("service".into(), json!("export-center"));
            labels.insert("team".into(), json!("export"));
            labels.insert("env".into(), json!("prod"));
            am_alert(
                labels,
                json!({"summary": summary, "runbook_url": runbook,
                "description": format!("{summary}. See the Export Center runbook.")}),
                epoch - TimeDelta::minutes(ago),
            )
        })
        .collect()
}

fn am_alert(
    labels: serde_json::Map<String, Value>,
    annotations: Value,
    starts: DateTime<Utc>,
) -> AmAlert {
    let key: String = labels
        .iter()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
        .collect::<Vec<_>>()
        .join(",");
    AmAlert {
        fingerprint: hex_from(hash_str(&key), 16),
        labels,
        annotations,
        starts,
    }
}

fn am_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `name="value"` (equality only: what the stand-in understands).
fn matcher(m: &str) -> Option<(String, String)> {
    let (k, v) = m.split_once('=')?;
    let v = v.trim();
    if k.ends_with('!') || v.starts_with('~') {
        return None;
    }
    Some((k.trim().to_string(), v.trim_matches('"').to_string()))
}

fn silence_active(s: &Value, now: DateTime<Utc>) -> bool {
    let starts = s["startsAt"].as_str().and_then(parse_time);
    let ends = s["endsAt"].as_str().and_then(parse_time);
    matches!((starts, ends), (Some(a), Some(b)) if a <= now && now < b)
}

fn holds(s: &Value, labels: &serde_json::Map<String, Value>) -> bool {
    s["matchers"].as_array().is_some_and(|ms| {
        !ms.is_empty()
            && ms.iter().all(|m| {
                let name = m["name"].as_str().unwrap_or_default();
                let want = m["value"].as_str().unwrap_or_default();
                let equal = m["isEqual"].as_bool().unwrap_or(true);
                (labels.get(name).and_then(Value::as_str) == Some(want)) == equal
            })
    })
}

fn text_resp(status: u16, body: &str) -> Response {
    json_resp(status, json!(body))
}

impl Mocks {
    /// Everything under `/alertmanager`.
    pub(in crate::integrations::mock) fn alertmanager(
        &self,
        req: &Request,
        rest: &[&str],
    ) -> Response {
        match (req.method.as_str(), rest) {
            ("GET", ["api", "v2", "alerts"]) => self.am_list(req),
            ("POST", ["api", "v2", "alerts"]) => self.am_post(req),
            ("GET", ["api", "v2", "silences"]) => {
                let now = Utc::now();
                let list: Vec<Value> = self
                    .inbox()
                    .silences
                    .iter()
                    .map(|s| {
                        let mut v = s.v.clone();
                        let state = if silence_active(&v, now) {
                            "active"
                        } else {
                            "expired"
                        };
                        v["status"] = json!({"state": state});
                        v
                    })
                    .collect();
                json_resp(200, Value::Array(list))
            }
            ("POST", ["api", "v2", "silences"]) => self.am_silence(req),
            ("DELETE", ["api", "v2", "silence", id]) => {
                let now = am_time(Utc::now());
                let mut inbox = self.inbox();
                match inbox.silences.iter_mut().find(|s| s.v["id"] == *id) {
                    Some(s) => {
                        if silence_active(&s.v, Utc::now()) {
                            s.v["endsAt"] = json!(now);
                            s.v["updatedAt"] = json!(now);
                        }
                        text(200, "")
                    }
                    None => text_resp(500, "silence not found"),
                }
            }
            ("GET", ["api", "v2", "status"]) => json_resp(
                200,
                json!({
                    "cluster": {"peers": [], "status": "disabled"},
                    "config": {"original": "route:\n  receiver: export-oncall\n"},
                    "uptime": am_time(self.inbox().epoch),
                    "versionInfo": {"version": "0.25.0", "revision": "stand-in"},
                }),
            ),
            _ => not_found(),
        }
    }

    fn am_list(&self, req: &Request) -> Response {
        let flag = |k: &str| req.query_value(k).is_none_or(|v| v == "true");
        let (active, silenced) = (flag("active"), flag("silenced"));
        let mut filters = Vec::new();
        for f in req.query_values("filter") {
            match matcher(&f) {
                Some(m) => filters.push(m),
                None => return text_resp(400, "bad matcher format: not a matcher"),
            }
        }
        if let Some(r) = req.query_value("receiver")
            && !r.is_empty()
            && r != "export-oncall"
        {
            return json_resp(200, json!([]));
        }
        let now = Utc::now();
        let inbox = self.inbox();
        let mut out = Vec::new();
        for a in &inbox.am_alerts {
            if !filters
                .iter()
                .all(|(k, v)| a.labels.get(k).and_then(Value::as_str) == Some(v.as_str()))
            {
                continue;
            }
            let by: Vec<Value> = inbox
                .silences
                .iter()
                .filter(|s| silence_active(&s.v, now) && holds(&s.v, &a.labels))
                .map(|s| s.v["id"].clone())
                .collect();
            let state = if by.is_empty() {
                "active"
            } else {
                "suppressed"
            };
            if (state == "active" && !active) || (state == "suppressed" && !silenced) {
                continue;
            }
            out.push(json!({
                "annotations": a.annotations, "labels": a.labels, "fingerprint": a.fingerprint,
                "receivers": [{"name": "export-oncall"}], "startsAt": am_time(a.starts),
                "updatedAt": am_time(a.starts), "endsAt": am_time(now + TimeDelta::minutes(5)),
                "status": {"state": state, "silencedBy": by, "inhibitedBy": []},
                "generatorURL": format!("http://prometheus.credguard.example/graph?g0.expr={}", a.labels["alertname"].as_str().unwrap_or_default()),
            }));
        }
        json_resp(200, Value::Array(out))
    }

    fn am_post(&self, req: &Request) -> Response {
        let Ok(Value::Array(list)) = serde_json::from_slice::<Value>(&req.body) else {
            return text_resp(400, "parsing alerts body failed");
        };
        let now = Utc::now();
        let mut inbox = self.inbox();
        for a in list {
            let Some(labels) = a["labels"].as_object().filter(|l| !l.is_empty()).cloned() else {
                return text_resp(400, "at least one label pair required");
            };
            let alert = am_alert(labels, a["annotations"].clone(), now);
            let ends = a["endsAt"].as_str().and_then(parse_time);
            inbox
                .am_alerts
                .retain(|x| x.fingerprint != alert.fingerprint);
            if ends.is_none_or(|e| e > now) {
                inbox.am_alerts.push(alert);
            }
        }
        text(200, "")
    }

    fn am_silence(&self, req: &Request) -> Response {
        let Some(body) = body_object(req) else {
            return text_resp(400, "parsing silence body failed");
        };
        let matchers = body
            .get("matchers")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if matchers.is_empty() {
            return json_resp(
                422,
                json!({"code": 612, "message": "matchers in body should have at least 1 items"}),
            );
        }
        for field in ["startsAt", "endsAt", "createdBy", "comment"] {
            if body.get(field).is_none() {
                return json_resp(
                    422,
                    json!({"code": 602, "message": format!("{field} in body is required")}),
                );
            }
        }
        let now = Utc::now();
        let ends = body
            .get("endsAt")
            .and_then(Value::as_str)
            .and_then(parse_time);
        match ends {
            Some(e) if e > now => {}
            _ => {
                return text_resp(
                    400,
                    "Failed to create silence: end time can't be in the past",
                );
            }
        }
        let mut inbox = self.inbox();
        let n = inbox.next();
        let id = uuid_from(0x5149_4C00 + n);
        let mut v = Value::Object(body);
        v["id"] = json!(id);
        v["startsAt"] = json!(am_time(now));
        v["updatedAt"] = json!(am_time(now));
        inbox.silences.push(AmSilence { v });
        json_resp(200, json!({"silenceID": id}))
    }
}
