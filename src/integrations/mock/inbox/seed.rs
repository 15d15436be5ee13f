//! The default CredGuard seeds and the generated ones (`Mocks::seed_*`) for
//! both inboxes, with the ids they share with the routes.

use super::*;

// ---------------------------------------------------------------------------
// PagerDuty

const HTML: &str = "https://credguard.pagerduty.com";
const API: &str = "https://api.pagerduty.com";

const SERVICES: [(&str, &str); 5] = [
    ("PQ7K2AB", "credguard-api"),
    ("PB3X9LM", "credguard-backend"),
    ("PE5C0TR", "export-center"),
    ("PPG7W4Z", "payments-gateway"),
    ("PNG1X8K", "nginx"),
];
const USERS: [(&str, &str); 3] = [
    ("PXJ3K8Q", "Maya Okafor"),
    ("PR8T2VN", "Jonas Lindqvist"),
    ("P4MZC7D", "Priya Raman"),
];
const TEAMS: [(&str, &str); 2] = [("PT9PLAT", "CredGuard Platform"), ("PT2PAYS", "Payments")];
const POLICY: (&str, &str) = ("PEP4CG1", "CredGuard Platform On-Call");
const PRIORITIES: [(&str, &str); 3] = [("PQ1PRIO", "P1"), ("PQ2PRIO", "P2"), ("PQ3PRIO", "P3")];

struct PdSpec {
    number: u64,
    title: String,
    status: &'static str,
    urgency: &'static str,
    priority: Option<usize>,
    service: usize,
    team: usize,
    /// Minutes before the epoch the incident was created.
    created_ago: i64,
    /// Minutes before the epoch of the last status change.
    changed_ago: i64,
    user: usize,
    alerts: u64,
}

/// The id an incident number gets: "Q" + 13 upper-case alphanumerics.
fn incident_id(number: u64) -> String {
    pd_id("Q", 14, number ^ 0x5044_494E_4349_4400)
}

fn reference(kind: &str, id: &str, summary: &str, api: &str, html: &str) -> Value {
    json!({
        "id": id,
        "type": format!("{kind}_reference"),
        "summary": summary,
        "self": format!("{API}/{api}/{id}"),
        "html_url": format!("{HTML}/{html}/{id}"),
    })
}

pub(super) fn user_ref(id: &str, summary: &str) -> Value {
    reference("user", id, summary, "users", "users")
}

fn pd_build(epoch: DateTime<Utc>, s: &PdSpec) -> Incident {
    let id = incident_id(s.number);
    let created = epoch - TimeDelta::minutes(s.created_ago);
    let changed = epoch - TimeDelta::minutes(s.changed_ago);
    let (sid, sname) = SERVICES[s.service];
    let service = reference("service", sid, sname, "services", "service-directory");
    let (uid, uname) = USERS[s.user];
    let user = user_ref(uid, uname);
    let (tid, tname) = TEAMS[s.team];
    let open = s.status != "resolved";
    let priority = s.priority.map_or(Value::Null, |p| {
        json!({"id": PRIORITIES[p].0, "type": "priority_reference", "summary": PRIORITIES[p].1, "self": null})
    });
    let acknowledgements = if s.status == "acknowledged" {
        json!([{"at": pd_time(changed), "acknowledger": user}])
    } else {
        json!([])
    };
    let v = json!({
        "id": id,
        "type": "incident",
        "summary": format!("[#{}] {}", s.number, s.title),
        "self": format!("{API}/incidents/{id}"),
        "html_url": format!("{HTML}/incidents/{id}"),
        "incident_number": s.number,
        "title": s.title,
        "description": s.title,
        "created_at": pd_time(created),
        "updated_at": pd_time(changed),
        "status": s.status,
        "incident_key": hex_from(s.number, 32),
        "service": service,
        "assignments": if open { json!([{"at": pd_time(created), "assignee": user}]) } else { json!([]) },
        "assigned_via": "escalation_policy",
        "last_status_change_at": pd_time(changed),
        // As on the real API: the service triggers, a user acks/resolves.
        "last_status_change_by": if s.status == "triggered" { service.clone() } else { user.clone() },
        "acknowledgements": acknowledgements,
        "alert_counts": if open {
            json!({"all": s.alerts, "triggered": s.alerts, "resolved": 0})
        } else {
            json!({"all": s.alerts, "triggered": 0, "resolved": s.alerts})
        },
        "pending_actions": if s.status == "triggered" {
            json!([{"type": "escalate", "at": pd_time(epoch + TimeDelta::minutes(15))}])
        } else {
            json!([])
        },
        "is_mergeable": true,
        "escalation_policy": reference("escalation_policy", POLICY.0, POLICY.1, "escalation_policies", "escalation_policies"),
        "teams": [reference("team", tid, tname, "teams", "teams")],
        "priority": priority,
        "urgency": s.urgency,
        "resolve_reason": null,
        "resolved_at": if open { Value::Null } else { json!(pd_time(changed)) },
    });
    Incident {
        v,
        created,
        notes: Vec::new(),
    }
}

/// A seed row: number, title, status, urgency, priority (index into
/// PRIORITIES), service, team, created and changed (minutes before the
/// epoch), user, alert count.
type PdRow = (
    u64,
    &'static str,
    &'static str,
    &'static str,
    Option<usize>,
    usize,
    usize,
    i64,
    i64,
    usize,
    u64,
);

/// The default CredGuard inbox: 7 open incidents (one 45 days old) and 2
/// resolved ones, numbers 4211..=4219.
pub(super) fn pd_default_seed(epoch: DateTime<Utc>) -> Vec<Incident> {
    const DAY: i64 = 24 * 60;
    #[rustfmt::skip]
    let rows: [PdRow; 9] = [
        (4211, "credguard-backend: nightly credential-rotation job failing for tenant acme-eu", "acknowledged", "low", Some(2), 1, 0, 45 * DAY, 45 * DAY - 25, 1, 3),
        (4212, "payments-gateway: elevated 502s from upstream PSP", "resolved", "high", Some(1), 3, 1, 12 * DAY, 12 * DAY - 95, 2, 4),
        (4213, "nginx: TLS certificate for status.credguard.io expires in 7 days", "resolved", "low", None, 4, 0, 6 * DAY, 6 * DAY - 300, 0, 1),
        (4214, "nginx: 4xx rate above 5% on edge-eu-2", "triggered", "low", None, 4, 0, 3 * DAY, 3 * DAY, 0, 2),
        (4215, "credguard-backend: Postgres replica lag above 120 s on db-replica-2", "acknowledged", "high", Some(1), 1, 0, 26 * 60, 26 * 60 - 12, 0, 3),
        (4216, "export-center: scheduled CSV export for tenant globex delayed", "triggered", "low", Some(2), 2, 0, 300, 300, 1, 1),
        (4217, "payments-gateway: webhook deliveries to merchant callbacks failing", "acknowledged", "high", Some(1), 3, 1, 90, 82, 2, 6),
        (4218, "credguard-api: 5xx error rate above 8% in eu-west-1", "triggered", "high", Some(0), 0, 0, 40, 40, 0, 2),
        (4219, "export-center workers not consuming from the exports queue", "triggered", "high", Some(0), 2, 0, 5, 5, 1, 1),
    ];
    rows.into_iter()
        .map(
            |(
                number,
                title,
                status,
                urgency,
                priority,
                service,
                team,
                created_ago,
                changed_ago,
                user,
                alerts,
            )| {
                pd_build(
                    epoch,
                    &PdSpec {
                        number,
                        title: title.to_string(),
                        status,
                        urgency,
                        priority,
                        service,
                        team,
                        created_ago,
                        changed_ago,
                        user,
                        alerts,
                    },
                )
            },
        )
        .collect()
}

/// `n` open incidents numbered 1..=n (see `Mocks::seed_pagerduty`).
pub(super) fn pd_generated_seed(epoch: DateTime<Utc>, n: usize) -> Vec<Incident> {
    const WHAT: [&str; 5] = [
        "5xx error rate above threshold",
        "p99 latency above 2 s",
        "health check failing",
        "queue depth growing",
        "disk usage above 90%",
    ];
    (1..=n as u64)
        .map(|i| {
            let service = ((i - 1) % 5) as usize;
            let acked = i % 3 == 0;
            let ago = (n as u64 + 1 - i) as i64;
            pd_build(
                epoch,
                &PdSpec {
                    number: i,
                    title: format!(
                        "{}: {} (#{i})",
                        SERVICES[service].1,
                        WHAT[((i - 1) % 5) as usize]
                    ),
                    status: if acked { "acknowledged" } else { "triggered" },
                    urgency: if i % 4 == 0 { "low" } else { "high" },
                    priority: [Some(0), Some(1), Some(2), None][((i - 1) % 4) as usize],
                    service,
                    team: usize::from(service == 3),
                    created_ago: ago,
                    changed_ago: if acked { ago - 1 } else { ago },
                    user: (i % 3) as usize,
                    alerts: 1,
                },
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Opsgenie

/// The API integration the mock's key belongs to (alerts it creates carry
/// it; request statuses name its id; actions without `user` are by it).
pub(super) const API_INTEGRATION: (&str, &str, &str) = (
    "9c1d52e0-6a4b-4f0e-8d3a-2b7f5e61c4a8",
    "CredGuard API",
    "API",
);
const INTEGRATIONS: [(&str, &str, &str); 3] = [
    (
        "3f8a6c12-0d9e-4b57-a1c4-7e2b90d35f61",
        "Alertmanager (credguard-prod)",
        "Prometheus",
    ),
    (
        "b72e4d09-5c1a-4e83-9f60-1a8d3c7b2e45",
        "Datadog (credguard)",
        "Datadog",
    ),
    API_INTEGRATION,
];
const TEAM_ID: &str = "e5d1b7a2-43c9-4f18-b0e6-8a2c19f4d7b3";
const OG_USERS: [&str; 3] = [
    "maya.okafor@credguard.io",
    "jonas.lindqvist@credguard.io",
    "priya.raman@credguard.io",
];

struct OgSpec {
    tiny: u64,
    alias: String,
    message: String,
    priority: &'static str,
    tags: &'static [&'static str],
    source: &'static str,
    integration: usize,
    /// Minutes before the epoch it was created, and last occurred.
    created_ago: i64,
    last_ago: i64,
    count: u64,
    seen: bool,
    /// Minutes after creation it was acknowledged / closed, and by whom.
    ack: Option<(i64, usize)>,
    close: Option<(i64, usize)>,
}

fn og_build(epoch: DateTime<Utc>, s: &OgSpec) -> Alert {
    let created = epoch - TimeDelta::minutes(s.created_ago);
    let last = epoch - TimeDelta::minutes(s.last_ago);
    let mut updated = last;
    let mut report = serde_json::Map::new();
    let mut owner = "";
    if let Some((after, who)) = s.ack {
        report.insert("ackTime".into(), json!(after * 60_000));
        report.insert("acknowledgedBy".into(), json!(OG_USERS[who]));
        updated = updated.max(created + TimeDelta::minutes(after));
        owner = OG_USERS[who];
    }
    if let Some((after, who)) = s.close {
        report.insert("closeTime".into(), json!(after * 60_000));
        report.insert("closedBy".into(), json!(OG_USERS[who]));
        updated = updated.max(created + TimeDelta::minutes(after));
    }
    let (iid, iname, itype) = INTEGRATIONS[s.integration];
    let v = json!({
        "id": uuid_from(s.tiny ^ 0x4F50_5347_454E_4945),
        "tinyId": s.tiny.to_string(),
        "alias": s.alias,
        "message": s.message,
        "status": if s.close.is_some() { "closed" } else { "open" },
        "acknowledged": s.ack.is_some(),
        "isSeen": s.seen || s.ack.is_some(),
        "seen": s.seen || s.ack.is_some(),
        "tags": s.tags,
        "snoozed": false,
        "count": s.count,
        "lastOccurredAt": og_time(last),
        "createdAt": og_time(created),
        "updatedAt": og_time(updated),
        "source": s.source,
        "owner": owner,
        "priority": s.priority,
        "responders": [{"type": "team", "id": TEAM_ID}],
        "integration": {"id": iid, "name": iname, "type": itype},
        "report": report,
        "ownerTeamId": TEAM_ID,
    });
    Alert {
        v,
        created,
        notes: Vec::new(),
    }
}

/// A seed row: tinyId, alias, message, priority, tags, source, integration,
/// created and last occurred (minutes before the epoch), count, seen,
/// acknowledged and closed (minutes after creation, user index).
type OgRow = (
    u64,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    usize,
    i64,
    i64,
    u64,
    bool,
    Option<(i64, usize)>,
    Option<(i64, usize)>,
);

/// The default CredGuard platform-team alerts: 5 open (P1..P5, two
/// acknowledged) and 1 closed, tinyIds 1040..=1045.
pub(super) fn og_default_seed(epoch: DateTime<Utc>) -> Vec<Alert> {
    #[rustfmt::skip]
    let rows: [OgRow; 6] = [
        (1040, "kafka-broker-3-disk", "Disk usage above 90% on kafka-broker-3 (/var/lib/kafka)", "P3", &["kafka", "disk", "prod"], "prometheus", 0, 2 * 24 * 60, 2 * 24 * 60, 1, true, Some((8, 1)), Some((41, 1))),
        (1041, "kafka-lag-credential-events-audit-writer", "Kafka consumer lag above 50,000 on credential-events (group audit-writer)", "P3", &["kafka", "consumer-lag", "prod"], "prometheus", 0, 7 * 60, 6, 14, true, Some((12, 0)), None),
        (1042, "tls-expiry-api.credguard.io", "TLS certificate for api.credguard.io expires in 6 days", "P2", &["tls", "certificate", "prod"], "cert-monitor", 1, 30 * 60, 6 * 60, 2, true, None, None),
        (1043, "redis-memory-cache-prod-1", "Redis memory usage at 87% on cache-prod-1 (maxmemory 16 GiB)", "P4", &["redis", "memory", "prod"], "prometheus", 0, 180, 25, 3, true, Some((20, 2)), None),
        (1044, "export-center-workers-stalled", "export-center workers not consuming: exports queue depth 18,400, oldest message 22 min", "P1", &["export-center", "queue", "prod"], "prometheus", 0, 20, 2, 5, false, None, None),
        (1045, "maintenance-payments-gateway", "Info: payments-gateway maintenance window starts 02:00 UTC", "P5", &["maintenance", "payments"], "change-calendar", 2, 60, 60, 1, false, None, None),
    ];
    rows.into_iter()
        .map(
            |(
                tiny,
                alias,
                message,
                priority,
                tags,
                source,
                integration,
                created_ago,
                last_ago,
                count,
                seen,
                ack,
                close,
            )| {
                og_build(
                    epoch,
                    &OgSpec {
                        tiny,
                        alias: alias.to_string(),
                        message: message.to_string(),
                        priority,
                        tags,
                        source,
                        integration,
                        created_ago,
                        last_ago,
                        count,
                        seen,
                        ack,
                        close,
                    },
                )
            },
        )
        .collect()
}

/// `n` open alerts numbered 1..=n (see `Mocks::seed_opsgenie`).
pub(super) fn og_generated_seed(epoch: DateTime<Utc>, n: usize) -> Vec<Alert> {
    const WHAT: [&str; 5] = [
        "CPU above 90% on worker",
        "consumer lag growing",
        "error budget burn rate high",
        "memory above 85%",
        "synthetic check failing",
    ];
    const PRIORITY: [&str; 5] = ["P1", "P2", "P3", "P4", "P5"];
    (1..=n as u64)
        .map(|i| {
            let ago = (n as u64 + 1 - i) as i64;
            let k = ((i - 1) % 5) as usize;
            og_build(
                epoch,
                &OgSpec {
                    tiny: i,
                    alias: format!("mock-alert-{i}"),
                    message: format!("Synthetic alert {i}: {}", WHAT[k]),
                    priority: PRIORITY[k],
                    tags: &["mock"],
                    source: "shiftdeck-mock",
                    integration: 0,
                    created_ago: ago,
                    last_ago: ago,
                    count: 1,
                    seen: false,
                    ack: (i % 3 == 0).then_some((0, (i % 3) as usize)),
                    close: None,
                },
            )
        })
        .collect()
}
