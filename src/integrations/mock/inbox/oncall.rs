//! Who is on call, as the vendors answer it: PagerDuty `GET /oncalls`
//! (since/until, `schedule_ids[]`, `include[]=users`, offset paging) and
//! Opsgenie `GET /v2/schedules` and `GET /v2/schedules/{id}/timeline`
//! (`identifierType`, `date`, `interval`, `intervalUnit`). The rotations are
//! fixed and anchored to when the mocks started, so "now" and "next" are
//! known to tests.

use super::*;

/// One rotation of a schedule.
pub(super) struct Rotation {
    pub schedule_id: &'static str,
    pub schedule: &'static str,
    pub policy: &'static str,
    pub level: u32,
    /// (name, email) in turn order.
    pub members: &'static [(&'static str, &'static str)],
    pub turn_hours: i64,
    /// A turn of the first member starts this long before the epoch.
    pub began_hours_ago: i64,
}

/// PagerDuty's: the NOC's 12-hour primary (Ana's turn began 4 h before the
/// mocks started) and the team lead at level 2, a week at a time.
pub(super) const PD_ROTATIONS: &[Rotation] = &[
    Rotation {
        schedule_id: "PSCH0NOC",
        schedule: "CredGuard NOC primary",
        policy: "CredGuard on-call",
        level: 1,
        members: &[
            ("Ana Lima", "ana.lima@credguard.example"),
            ("Bo Andersen", "bo@credguard.example"),
        ],
        turn_hours: 12,
        began_hours_ago: 4,
    },
    Rotation {
        schedule_id: "PSCH0LEAD",
        schedule: "CredGuard team lead",
        policy: "CredGuard on-call",
        level: 2,
        members: &[
            ("Rafael Souza", "rafael@credguard.example"),
            ("Marta Reis", "tech-lead@credguard.example"),
        ],
        turn_hours: 168,
        began_hours_ago: 48,
    },
];

/// Opsgenie's: the platform team's daily rotation.
pub(super) const OG_ROTATIONS: &[Rotation] = &[Rotation {
    schedule_id: "6c0e5c1b-7a3e-4d0f-9b1e-0f2a4c6e8a10",
    schedule: "platform_schedule",
    policy: "",
    level: 1,
    members: &[
        ("dmitri@credguard.example", ""),
        ("ines@credguard.example", ""),
    ],
    turn_hours: 24,
    began_hours_ago: 6,
}];

/// The turns of a rotation overlapping `[since, until)`: (member, start, end).
pub(super) fn turns(
    r: &Rotation,
    epoch: DateTime<Utc>,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Vec<(usize, DateTime<Utc>, DateTime<Utc>)> {
    let anchor = epoch - TimeDelta::hours(r.began_hours_ago);
    let turn = TimeDelta::hours(r.turn_hours);
    let mut k = (since - anchor)
        .num_seconds()
        .div_euclid(turn.num_seconds());
    let mut out = Vec::new();
    loop {
        let start = anchor + turn * k as i32;
        if start >= until || out.len() > 500 {
            break;
        }
        let end = start + turn;
        if end > since {
            out.push(((k.rem_euclid(r.members.len() as i64)) as usize, start, end));
        }
        k += 1;
    }
    out
}

impl Mocks {
    pub(super) fn pd_oncalls(&self, req: &Request) -> Response {
        let epoch = self.inbox().epoch;
        let bound = |key: &str| {
            req.query_value(key)
                .filter(|v| !v.is_empty())
                .map(|v| parse_time(&v))
        };
        let since = match bound("since") {
            None => Utc::now(),
            Some(Some(t)) => t,
            Some(None) => {
                return super::pagerduty::invalid("Since is not a valid date");
            }
        };
        let until = match bound("until") {
            None => since,
            Some(Some(t)) => t,
            Some(None) => {
                return super::pagerduty::invalid("Until is not a valid date");
            }
        };
        if until < since || until - since > TimeDelta::days(90) {
            return super::pagerduty::invalid("The date range must be at most 90 days");
        }
        let schedules = req.query_values("schedule_ids[]");
        let users = req.query_values("include[]").iter().any(|i| i == "users");
        let limit = query_u64(req, "limit")
            .ok()
            .flatten()
            .unwrap_or(25)
            .clamp(1, 100) as usize;
        let offset = query_u64(req, "offset").ok().flatten().unwrap_or(0) as usize;
        let mut all = Vec::new();
        for r in PD_ROTATIONS {
            if !schedules.is_empty() && !schedules.iter().any(|s| s == r.schedule_id) {
                continue;
            }
            for (m, start, end) in turns(r, epoch, since, until.max(since + TimeDelta::seconds(1)))
            {
                let (name, email) = r.members[m];
                let uid = pd_id("P", 7, hash_str(email));
                let mut user = seed::user_ref(&uid, name);
                if users {
                    user = json!({"id": uid, "type": "user", "summary": name, "name": name, "email": email,
                        "html_url": format!("https://credguard.pagerduty.com/users/{uid}")});
                }
                all.push(json!({
                    "escalation_policy": {"id": pd_id("P", 7, hash_str(r.policy)), "type": "escalation_policy_reference", "summary": r.policy},
                    "escalation_level": r.level,
                    "schedule": {"id": r.schedule_id, "type": "schedule_reference", "summary": r.schedule},
                    "user": user,
                    "start": pd_time(start),
                    "end": pd_time(end),
                }));
            }
        }
        let total = all.len();
        let page: Vec<Value> = all.into_iter().skip(offset).take(limit).collect();
        let more = offset + page.len() < total;
        json_resp(
            200,
            json!({"oncalls": page, "limit": limit, "offset": offset, "more": more, "total": null}),
        )
    }

    pub(super) fn og_schedules(&self) -> Response {
        let data: Vec<Value> = OG_ROTATIONS
            .iter()
            .map(|r| json!({"id": r.schedule_id, "name": r.schedule, "timezone": "America/Sao_Paulo", "enabled": true}))
            .collect();
        json_resp(
            200,
            json!({"data": data, "took": 0.01, "requestId": uuid_like()}),
        )
    }

    pub(super) fn og_timeline(&self, req: &Request, id: &str) -> Response {
        let by_name = req.query_value("identifierType").as_deref() == Some("name");
        let Some(r) = OG_ROTATIONS.iter().find(|r| {
            if by_name {
                r.schedule == id
            } else {
                r.schedule_id == id
            }
        }) else {
            return json_resp(
                404,
                json!({"message": "No schedule exists with identifier [".to_string() + id + "]", "took": 0.0, "requestId": uuid_like()}),
            );
        };
        let epoch = self.inbox().epoch;
        let start = match req.query_value("date").filter(|d| !d.is_empty()) {
            None => Utc::now(),
            Some(d) => match parse_time(&d) {
                Some(t) => t,
                None => {
                    return json_resp(
                        422,
                        json!({"message": "date is invalid", "took": 0.0, "requestId": uuid_like()}),
                    );
                }
            },
        };
        let n = query_u64(req, "interval")
            .ok()
            .flatten()
            .unwrap_or(1)
            .clamp(1, 31) as i64;
        let unit = match req.query_value("intervalUnit").as_deref() {
            None | Some("weeks") => TimeDelta::weeks(1),
            Some("days") => TimeDelta::days(1),
            Some("months") => TimeDelta::days(30),
            Some(_) => {
                return json_resp(
                    422,
                    json!({"message": "intervalUnit must be days, weeks or months", "took": 0.0, "requestId": uuid_like()}),
                );
            }
        };
        let end = start + unit * n as i32;
        let periods: Vec<Value> = turns(r, epoch, start, end)
            .into_iter()
            .map(|(m, s, e)| json!({
                "startDate": og_time(s.max(start)),
                "endDate": og_time(e.min(end)),
                "type": "default",
                "recipient": {"type": "user", "id": uuid_from(hash_str(r.members[m].0)), "name": r.members[m].0},
            }))
            .collect();
        json_resp(
            200,
            json!({
                "data": {
                    "_parent": {"id": r.schedule_id, "name": r.schedule, "enabled": true},
                    "startDate": og_time(start),
                    "endDate": og_time(end),
                    "finalTimeline": {"rotations": [{"id": uuid_from(hash_str(r.schedule)), "name": "daily", "order": 1.0, "periods": periods}]},
                },
                "took": 0.02,
                "requestId": uuid_like(),
            }),
        )
    }
}
