//! When to ring: a new P1 or P2 from any source, a response countdown in its
//! last five minutes or run out, an integration going down. Each event is
//! announced once; what was already so when the screen opened is the
//! baseline and is not announced.

use super::Severity;
use super::incident::{Incident, IncidentStatus};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// What can ring, as `[notify] events = [...]` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// A new P1 or P2, local or from PagerDuty / Opsgenie.
    NewIncident,
    /// A P1 or P2 not acknowledged five minutes before its response target.
    Countdown,
    /// A P1 or P2 not acknowledged when its response target passes.
    Breached,
    /// An integration went down.
    IntegrationDown,
}

impl Event {
    pub const ALL: [Event; 4] = [
        Event::NewIncident,
        Event::Countdown,
        Event::Breached,
        Event::IntegrationDown,
    ];
}

/// `[notify]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifyConfig {
    /// Ring the terminal bell.
    pub bell: bool,
    /// A desktop notification (OSC 9 and OSC 777).
    pub desktop: bool,
    /// Only while the operator is on call (when that is known).
    pub on_call_only: bool,
    pub events: Vec<Event>,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            bell: true,
            desktop: true,
            on_call_only: false,
            events: Event::ALL.to_vec(),
        }
    }
}

/// One announcement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub event: Event,
    /// Short: "P1 PD-4218" (no `;`, no controls).
    pub title: String,
    pub body: String,
}

/// How long before the target the countdown rings.
pub const LAST_MINUTES: i64 = 5;

/// What has been announced (or was so at the start). Looked at every
/// second over every incident, so a look costs no allocation.
#[derive(Debug, Default)]
pub struct Watch {
    /// Every active incident seen, with the countdown stages already rung
    /// (or already reached when it was first seen).
    known: HashMap<String, u8>,
    /// Integrations announced down and not back up since.
    down: HashSet<String>,
    /// No countdown reaches a new stage before this; the incidents changing
    /// clears it.
    quiet_until: Option<DateTime<Utc>>,
}

const COUNTDOWN: u8 = 1;
const BREACHED: u8 = 2;

fn paging(s: Severity) -> bool {
    matches!(s, Severity::P1 | Severity::P2)
}

impl Watch {
    /// Incidents as they are now. `baseline`: the first look at this source
    /// (the local files, or a vendor's first list): remembered, not announced.
    /// `operator`'s own declarations are not news to them.
    pub fn incidents<'a>(
        &mut self,
        incidents: impl IntoIterator<Item = &'a Incident>,
        now: DateTime<Utc>,
        baseline: bool,
        operator: &str,
    ) -> Vec<Notice> {
        let mut out = Vec::new();
        self.quiet_until = None;
        for inc in incidents {
            if !inc.is_active() || self.known.contains_key(inc.id.as_str()) {
                continue;
            }
            // Stages already reached when first seen are not rung later:
            // at the start they are old news, and a new incident's one
            // notification says so itself.
            let reached = stages(inc, now);
            self.known.insert(inc.id.clone(), reached);
            if !baseline && paging(inc.severity) && inc.created_by != operator {
                let late = if reached & BREACHED != 0 {
                    " · not acknowledged in time"
                } else if reached & COUNTDOWN != 0 {
                    " · under 5 min to acknowledge"
                } else {
                    ""
                };
                out.push(Notice {
                    event: Event::NewIncident,
                    title: format!("{} {}", inc.severity, inc.id),
                    body: format!("{} — {}{late}", inc.title, inc.service),
                });
            }
        }
        out
    }

    /// Countdowns at `now`: each stage of each incident once.
    pub fn countdowns<'a>(
        &mut self,
        incidents: impl IntoIterator<Item = &'a Incident>,
        now: DateTime<Utc>,
    ) -> Vec<Notice> {
        let mut out = Vec::new();
        if self.quiet_until.is_some_and(|t| now < t) {
            return out;
        }
        let mut next = DateTime::<Utc>::MAX_UTC;
        for inc in incidents {
            if !paging(inc.severity) || inc.status != IncidentStatus::Open {
                continue;
            }
            let Some(rung) = self.known.get_mut(inc.id.as_str()) else {
                continue;
            };
            let reached = stages(inc, now);
            let fresh = reached & !*rung;
            *rung |= reached;
            // When this one reaches its next stage.
            if *rung & COUNTDOWN == 0 {
                next = next.min(inc.respond_by - Duration::minutes(LAST_MINUTES));
            } else if *rung & BREACHED == 0 {
                next = next.min(inc.respond_by);
            }
            for (bit, event) in [(COUNTDOWN, Event::Countdown), (BREACHED, Event::Breached)] {
                if fresh & bit == 0 {
                    continue;
                }
                let body = match event {
                    Event::Breached => format!(
                        "not acknowledged within {} — {}",
                        super::format::coarse_duration(inc.severity.response_target()),
                        inc.title
                    ),
                    _ => format!("under {LAST_MINUTES} min to acknowledge — {}", inc.title),
                };
                out.push(Notice {
                    event,
                    title: format!("{} {}", inc.severity, inc.id),
                    body,
                });
            }
        }
        self.quiet_until = Some(next);
        out
    }

    /// An integration's status changed. Rings when it went down from
    /// anything but the unknown of the first poll; coming back up re-arms it.
    pub fn health(&mut self, name: &str, from: &str, to: &str, summary: &str) -> Option<Notice> {
        if to != "down" {
            self.down.remove(name);
            return None;
        }
        if from == "unknown" || !self.down.insert(name.to_string()) {
            return None;
        }
        Some(Notice {
            event: Event::IntegrationDown,
            title: format!("{name} down"),
            body: summary.to_string(),
        })
    }
}

/// The countdown stages an incident has reached at `now`, as bits (none
/// for anything but an open P1 or P2).
fn stages(inc: &Incident, now: DateTime<Utc>) -> u8 {
    if !paging(inc.severity) || inc.status != IncidentStatus::Open {
        return 0;
    }
    let left = inc.respond_by - now;
    let mut out = 0;
    if left <= Duration::minutes(LAST_MINUTES) {
        out |= COUNTDOWN;
    }
    if left <= Duration::zero() {
        out |= BREACHED;
    }
    out
}

/// The bytes that ring a terminal: BEL, and OSC 9 and OSC 777 desktop
/// notifications. Inside tmux, each OSC is wrapped for passthrough (tmux
/// needs `set -g allow-passthrough on`); BEL is tmux's own bell. Text is
/// stripped of controls and of `;` in the title (OSC 777 separates on it).
pub fn escape_sequences(n: &Notice, bell: bool, desktop: bool, tmux: bool) -> String {
    let clean = |s: &str, semicolons: bool| -> String {
        super::sanitize::line(s)
            .chars()
            .filter(|c| !c.is_control() && (semicolons || *c != ';'))
            .take(200)
            .collect()
    };
    let (title, body) = (clean(&n.title, false), clean(&n.body, true));
    let mut out = String::new();
    if desktop {
        let osc9 = format!("\x1b]9;{title}: {body}\x07");
        let osc777 = format!("\x1b]777;notify;{title};{body}\x07");
        for seq in [osc9, osc777] {
            if tmux {
                out.push_str("\x1bPtmux;");
                out.push_str(&seq.replace('\x1b', "\x1b\x1b"));
                out.push_str("\x1b\\");
            } else {
                out.push_str(&seq);
            }
        }
    }
    if bell {
        out.push('\x07');
    }
    out
}

#[cfg(test)]
mod tests;
