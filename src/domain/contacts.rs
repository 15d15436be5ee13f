//! The escalation directory (`contacts.toml`): who to call and how to reach
//! them. People and teams with their channels, the escalation levels with
//! their response times, who each severity escalates to, the owner of each
//! integration and service, and a rota for when no paging vendor says who is
//! on call (seed 000 "Support & Escalation", seed 001 §6.1–6.2, seed 003 §2).
//!
//! The directory is read by the store; the rules that use it (who to call for
//! an incident, who owns a failing integration, who is on call by the rota)
//! live here, below the screen and the CLI.

use super::Severity;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// A person's or a team's ways to be reached. Every field is optional; the
/// directory is only as good as what the team writes into it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Channels {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A Slack handle (`@carla`) or channel (`#credguard-ops`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slack: Option<String>,
    /// A PagerDuty escalation policy (id or name) to page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagerduty: Option<String>,
}

impl Channels {
    /// "+55 11 9999-9999 · cto@credguard.example · @cto · PagerDuty PX1": the
    /// ways to reach, most immediate first.
    pub fn reach(&self) -> String {
        let mut out: Vec<String> = Vec::new();
        out.extend(self.phone.clone());
        out.extend(self.email.clone());
        out.extend(self.slack.clone());
        out.extend(self.pagerduty.as_ref().map(|p| format!("PagerDuty {p}")));
        out.join(" · ")
    }

    pub fn is_empty(&self) -> bool {
        self.phone.is_none()
            && self.email.is_none()
            && self.slack.is_none()
            && self.pagerduty.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    /// What they are to the team ("CTO", "Tech lead").
    #[serde(skip_serializing_if = "String::is_empty")]
    pub role: String,
    #[serde(flatten)]
    pub channels: Channels,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Team {
    pub id: String,
    pub name: String,
    #[serde(flatten)]
    pub channels: Channels,
    /// People ids.
    pub members: Vec<String>,
}

/// One rung of the escalation path ("Level 2: Supervisor, 24 h").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Level {
    pub level: u32,
    pub name: String,
    /// How soon this level answers, as the runbook says it ("immediate", "24h").
    pub respond: String,
    /// People or team ids.
    pub who: Vec<String>,
}

/// A rota kept in the directory: `members` take turns of `hours` each from
/// `start`. Used when no paging vendor says who is on call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rota {
    pub name: String,
    /// Operator names, in turn order.
    pub members: Vec<String>,
    pub start: DateTime<Utc>,
    pub hours: u32,
}

/// Someone to call: a person or a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contact<'a> {
    Person(&'a Person),
    Team(&'a Team),
}

impl<'a> Contact<'a> {
    pub fn id(&self) -> &'a str {
        match self {
            Contact::Person(p) => &p.id,
            Contact::Team(t) => &t.id,
        }
    }

    pub fn name(&self) -> &'a str {
        match self {
            Contact::Person(p) => &p.name,
            Contact::Team(t) => &t.name,
        }
    }

    pub fn channels(&self) -> &'a Channels {
        match self {
            Contact::Person(p) => &p.channels,
            Contact::Team(t) => &t.channels,
        }
    }

    /// "CTO Carla Mendes" for a person with a role, else the name.
    pub fn label(&self) -> String {
        match self {
            Contact::Person(p)
                if !p.role.is_empty()
                    && !p.name.to_lowercase().contains(&p.role.to_lowercase()) =>
            {
                format!("{} ({})", p.name, p.role)
            }
            _ => self.name().to_string(),
        }
    }

    /// "Carla Mendes (CTO): +55 … · cto@…" — who and how, on one line.
    pub fn line(&self) -> String {
        let reach = self.channels().reach();
        if reach.is_empty() {
            format!("{} — no channel in contacts.toml", self.label())
        } else {
            format!("{}: {reach}", self.label())
        }
    }
}

/// Who to call for one incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalation<'a> {
    pub severity: Severity,
    /// Who the severity escalates to (empty: the backlog, or nobody named).
    pub targets: Vec<Contact<'a>>,
    /// Who owns the service, when the directory names one.
    pub owner: Option<Contact<'a>>,
}

/// The whole directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directory {
    pub people: Vec<Person>,
    pub teams: Vec<Team>,
    pub levels: Vec<Level>,
    /// Who each severity escalates to (people or team ids); a severity
    /// missing here falls back to the runbook's words (`Severity::escalation`).
    pub severity: BTreeMap<Severity, Vec<String>>,
    /// Integration name → owner id.
    pub integrations: BTreeMap<String, String>,
    /// Service name → owner id.
    pub services: BTreeMap<String, String>,
    /// Who takes several integrations failing at once (a substrate problem:
    /// network, DNS, proxy — seed 002 §6 step 4).
    pub substrate: Option<String>,
    pub rota: Option<Rota>,
}

impl Directory {
    pub fn is_empty(&self) -> bool {
        self.people.is_empty() && self.teams.is_empty() && self.levels.is_empty()
    }

    /// A person or team by id.
    pub fn find(&self, id: &str) -> Option<Contact<'_>> {
        self.people
            .iter()
            .find(|p| p.id == id)
            .map(Contact::Person)
            .or_else(|| self.teams.iter().find(|t| t.id == id).map(Contact::Team))
    }

    fn all(&self, ids: &[String]) -> Vec<Contact<'_>> {
        ids.iter().filter_map(|id| self.find(id)).collect()
    }

    /// Who a severity escalates to.
    pub fn for_severity(&self, s: Severity) -> Vec<Contact<'_>> {
        self.severity
            .get(&s)
            .map(|ids| self.all(ids))
            .unwrap_or_default()
    }

    /// The owner of a service (matched without case).
    pub fn service_owner(&self, service: &str) -> Option<Contact<'_>> {
        self.services
            .iter()
            .find(|(s, _)| s.eq_ignore_ascii_case(service.trim()))
            .and_then(|(_, id)| self.find(id))
    }

    /// The owner of an integration (by its `[[integrations]]` name).
    pub fn integration_owner(&self, name: &str) -> Option<Contact<'_>> {
        self.integrations.get(name).and_then(|id| self.find(id))
    }

    /// Who to page when several integrations fail at once.
    pub fn substrate_owner(&self) -> Option<Contact<'_>> {
        self.substrate.as_deref().and_then(|id| self.find(id))
    }

    /// Who to call for an incident of this severity on this service.
    pub fn escalation(&self, severity: Severity, service: &str) -> Escalation<'_> {
        Escalation {
            severity,
            targets: self.for_severity(severity),
            owner: self.service_owner(service),
        }
    }

    /// Who to call for an incident, one line each with how to reach them:
    /// the severity's targets (or the backlog), then the service's owner.
    /// The detail on screen and `incidents show` both print these.
    pub fn call_lines(&self, severity: Severity, service: &str) -> Vec<String> {
        let e = self.escalation(severity, service);
        let mut out: Vec<String> = e.targets.iter().map(|c| c.line()).collect();
        if out.is_empty() && self.severity.contains_key(&severity) {
            out.push("the backlog (nobody is called at this severity)".into());
        }
        if let Some(o) = e.owner
            && !e.targets.iter().any(|t| t.id() == o.id())
        {
            out.push(format!("owner of {service}: {}", o.line()));
        }
        out
    }

    /// The directory as text: levels, who each severity goes to, people, teams,
    /// owners. The screen's `:contacts` shows the same lines.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        let names = |ids: &[String]| -> String {
            let v: Vec<String> = ids
                .iter()
                .map(|id| {
                    self.find(id)
                        .map(|c| c.label())
                        .unwrap_or_else(|| id.clone())
                })
                .collect();
            if v.is_empty() {
                "—".into()
            } else {
                v.join(", ")
            }
        };
        if !self.levels.is_empty() {
            out.push("Escalation path".into());
            for l in &self.levels {
                let respond = if l.respond.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", l.respond)
                };
                out.push(format!(
                    "  Level {}  {}{respond}: {}",
                    l.level,
                    l.name,
                    names(&l.who)
                ));
            }
        }
        if !self.severity.is_empty() {
            out.push("By severity".into());
            for (s, ids) in &self.severity {
                let who = if ids.is_empty() {
                    "backlog".to_string()
                } else {
                    names(ids)
                };
                out.push(format!(
                    "  {s}  respond within {} → {who}",
                    super::format::coarse_duration(s.response_target())
                ));
            }
        }
        if !self.people.is_empty() {
            out.push("People".into());
            for p in &self.people {
                out.push(format!("  {:<12} {}", p.id, Contact::Person(p).line()));
            }
        }
        if !self.teams.is_empty() {
            out.push("Teams".into());
            for t in &self.teams {
                let members = if t.members.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", t.members.join(", "))
                };
                out.push(format!(
                    "  {:<12} {}{members}",
                    t.id,
                    Contact::Team(t).line()
                ));
            }
        }
        if !self.integrations.is_empty() || !self.services.is_empty() || self.substrate.is_some() {
            out.push("Owners".into());
            for (what, owners) in [
                ("integration", &self.integrations),
                ("service", &self.services),
            ] {
                for (name, id) in owners {
                    out.push(format!(
                        "  {what} {name}: {}",
                        names(std::slice::from_ref(id))
                    ));
                }
            }
            if let Some(s) = &self.substrate {
                out.push(format!(
                    "  several integrations down at once: {}",
                    names(std::slice::from_ref(s))
                ));
            }
        }
        out
    }

    /// Whether `operator` is this person (by id, email or the email's local part).
    pub fn is_person(&self, operator: &str, name_or_email: &str) -> bool {
        same_person(operator, name_or_email)
            || self.people.iter().any(|p| {
                p.id == operator
                    && (same_person(&p.name, name_or_email)
                        || p.channels
                            .email
                            .as_deref()
                            .is_some_and(|e| e.eq_ignore_ascii_case(name_or_email.trim())))
            })
    }

    /// The name to show for someone a vendor named: the directory's id when
    /// it knows their email or name, else what the vendor said.
    pub fn short_name(&self, name: &str, email: Option<&str>) -> String {
        self.people
            .iter()
            .find(|p| {
                email.is_some_and(|e| {
                    p.channels
                        .email
                        .as_deref()
                        .is_some_and(|pe| pe.eq_ignore_ascii_case(e))
                }) || p.name.eq_ignore_ascii_case(name)
            })
            .map(|p| p.id.clone())
            .unwrap_or_else(|| name.to_string())
    }
}

/// `ana.lima` is `ana.lima@credguard.example` and `Ana.Lima`.
pub fn same_person(operator: &str, other: &str) -> bool {
    let (a, b) = (operator.trim(), other.trim());
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let local = |s: &str| s.split('@').next().unwrap_or(s).to_ascii_lowercase();
    a.eq_ignore_ascii_case(b) || local(a) == local(b)
}

/// One turn of a rota and who takes the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    pub who: String,
    pub began: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub next: String,
}

impl Rota {
    /// Who is on call at `now` by the rota, and until when; then who is next.
    /// `None` before the rota starts or when it has nobody in it.
    pub fn at(&self, now: DateTime<Utc>) -> Option<Turn> {
        if self.members.is_empty() || self.hours == 0 || now < self.start {
            return None;
        }
        let turn = Duration::hours(self.hours as i64);
        let k = (now - self.start).num_seconds() / turn.num_seconds();
        let began = self.start + turn * k as i32;
        let ends = began + turn;
        let n = self.members.len() as i64;
        let who = self.members[(k % n) as usize].clone();
        let next = self.members[((k + 1) % n) as usize].clone();
        Some(Turn {
            who,
            began,
            ends,
            next,
        })
    }
}

#[cfg(test)]
mod tests;
