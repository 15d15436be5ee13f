//! The Health pane's state: one entry per configured integration, fed by
//! the pollers' outcomes; changes of status go to the journal.

use super::{Action, App, Dialog, Effect, Level, Pane};
use crate::domain::handover::IntegrationState;
use crate::domain::health::{HealthStatus, IntegrationHealth, ProbeOutcome};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Default)]
pub struct HealthPane {
    pub entries: Vec<IntegrationHealth>,
    pub selected: usize,
    pub offset: usize,
    pub viewport: usize,
    pub detail: Option<String>,
    pub detail_scroll: u16,
    /// Integrations polled on the operator's word, whose answers are still
    /// to come: the result follows the "polling…" message.
    pub asked: Vec<String>,
    /// The poll asked for was of every integration.
    pub asked_all: bool,
    pub last_poll: Option<DateTime<Utc>>,
    /// Verify results of this session, by integration.
    pub verified: Vec<(String, crate::integrations::verify::Steps)>,
    /// Integrations declared as incidents by `auto_incident` this session,
    /// so one outage is declared once while the declaration lands.
    pub auto_declared: Vec<String>,
    /// What `/` typed, and its parse.
    pub filter: String,
    pub query: crate::domain::query::Query,
    pub sort: Option<super::sorting::Sort>,
}

impl HealthPane {
    pub fn from_config(
        integrations: &[crate::integrations::setup::IntegrationConfig],
        sources: &[crate::integrations::inbox::SourceConfig],
    ) -> HealthPane {
        HealthPane {
            entries: integrations
                .iter()
                .map(|i| IntegrationHealth {
                    warning: crate::integrations::probes::standing_warning(i),
                    ..IntegrationHealth::new(&i.name, i.kind.as_str(), i.poll_interval())
                })
                .chain(sources.iter().map(|s| {
                    IntegrationHealth::new(
                        &s.name,
                        &format!("{} incidents", s.kind.as_str()),
                        s.interval.max(5),
                    )
                }))
                .collect(),
            ..HealthPane::default()
        }
    }

    pub fn not_green(&self) -> usize {
        self.entries.iter().filter(|e| !e.is_green()).count()
    }

    /// The entries the filter keeps, in order (a hundred at most: cheap
    /// to find again, and a status that changes moves a row in or out).
    pub fn visible(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.entries.len())
            .filter(|&i| self.query.matches(&self.entries[i]))
            .collect();
        if let Some(s) = self.sort {
            v.sort_by(|&a, &b| super::sorting::health(&self.entries[a], &self.entries[b], s));
        }
        v
    }

    pub fn move_by(&mut self, delta: isize) {
        (self.selected, self.offset) = super::move_selection(
            self.selected,
            self.offset,
            self.viewport,
            self.visible().len(),
            delta,
        );
    }

    /// The selected integration.
    pub fn selected_entry(&self) -> Option<&IntegrationHealth> {
        let i = *self.visible().get(self.selected)?;
        self.entries.get(i)
    }

    pub fn selected_name(&self) -> Option<&str> {
        self.selected_entry().map(|e| e.name.as_str())
    }

    /// For the handover: `None` when nothing is configured to watch.
    pub fn states(&self) -> Option<Vec<IntegrationState>> {
        (!self.entries.is_empty()).then(|| {
            self.entries
                .iter()
                .map(|e| IntegrationState {
                    name: e.name.clone(),
                    status: e.status.as_str().to_string(),
                    hint: if e.hint.is_empty() {
                        e.summary.clone()
                    } else {
                        format!("{} — {}", e.summary, e.hint)
                    },
                })
                .collect()
        })
    }
}

impl App {
    /// A poll the operator asked for answered: say how it went (once every
    /// integration asked for has answered, for a poll of them all).
    fn answer_asked(&mut self, name: &str, status: HealthStatus, summary: &str) {
        let Some(pos) = self.health.asked.iter().position(|n| n == name) else {
            return;
        };
        self.health.asked.remove(pos);
        if !self.health.asked_all {
            self.flash(Level::Info, format!("{name}: {status} — {summary}"));
        } else if self.health.asked.is_empty() {
            let not_up = self
                .health
                .entries
                .iter()
                .filter(|e| e.status != HealthStatus::Up)
                .count();
            let level = if not_up == 0 {
                Level::Info
            } else {
                Level::Warning
            };
            self.flash(
                level,
                format!(
                    "polled {}: {} not green",
                    crate::domain::format::plural(
                        self.health.entries.len(),
                        "integration",
                        "integrations"
                    ),
                    not_up
                ),
            );
        }
    }

    pub(super) fn on_probed(
        &mut self,
        name: String,
        outcome: ProbeOutcome,
        at: DateTime<Utc>,
        fx: &mut Vec<Effect>,
    ) {
        self.health.last_poll = Some(at);
        let visible = crate::ui::layout::pane_area(self, Pane::Health).is_some();
        let Some(entry) = self.health.entries.iter_mut().find(|e| e.name == name) else {
            return;
        };
        let change = entry.record(&outcome, at);
        let (status, summary) = (entry.status, outcome.summary.clone());
        self.answer_asked(&name, status, &summary);
        if let Some(change) = change {
            // The first green of a session is no news; anything else is.
            let worth = !(change.from == HealthStatus::Unknown && change.to == HealthStatus::Up);
            if worth && !self.readonly {
                fx.push(Effect::RecordHealth {
                    name: change.name.clone(),
                    from: change.from.as_str().into(),
                    to: change.to.as_str().into(),
                    summary: outcome.summary.clone(),
                    hint: change.hint.clone(),
                });
            }
            if change.from != HealthStatus::Unknown {
                let level = if change.to == HealthStatus::Up {
                    Level::Info
                } else {
                    Level::Warning
                };
                self.flash_background(
                    level,
                    format!("{} went {}: {}", change.name, change.to, outcome.summary),
                );
            }
            let (from, to) = (change.from.as_str(), change.to.as_str());
            self.watch_health(&change.name, from, to, &outcome.summary, fx);
            if change.to == HealthStatus::Up {
                self.health.auto_declared.retain(|n| n != &change.name);
            }
            self.refresh_handover();
            self.dirty = true;
        }
        // An answer that changes nothing visible draws nothing; one that
        // only moves a latency figure is drawn with the next soft frame.
        if visible {
            self.soft_dirty = true;
        }
        self.auto_declare(fx);
    }

    /// Open the declare form filled from the selected integration that is
    /// down: its own incident, or one substrate incident when several went
    /// down together (seed 002 §6 step 4). The operator checks and sends it.
    fn declare_from_health(&mut self) {
        if self.readonly {
            self.flash(Level::Error, super::update::READONLY);
            return;
        }
        let Some(name) = self.health.selected_name().map(str::to_string) else {
            return;
        };
        // Offered at once on a key: the pane's hint waits for the threshold.
        let Some(p) = crate::domain::health_incident::proposal(
            &self.health.entries,
            &name,
            self.now,
            chrono::Duration::zero(),
        ) else {
            self.flash(
                Level::Info,
                format!("{name} is not down: nothing to declare for it"),
            );
            return;
        };
        let form = super::dialogs::IncidentForm {
            title: super::dialogs::line_input(&p.title),
            service: super::dialogs::line_input(&p.service),
            severity: p.severity,
            ..Default::default()
        };
        self.set_focus(Pane::Incidents);
        self.dialog = Some(Dialog::NewIncident(Box::new(form)));
        if p.substrate {
            self.flash(
                Level::Warning,
                "several integrations went down together: a substrate problem for platform on-call, one incident",
            );
        }
    }

    /// The integration down long enough to be offered as an incident, and
    /// what would be declared, for the pane's hint. Nothing is offered when
    /// active incidents already name every integration it stands for.
    pub fn health_offer(&self) -> Option<crate::domain::health_incident::Proposal> {
        let name = self.health.selected_name()?;
        crate::domain::health_incident::proposal(
            &self.health.entries,
            name,
            self.now,
            self.config.health.offer_after,
        )
        .filter(|p| !p.integrations.iter().all(|n| self.incident_names(n)))
    }

    /// Whether an active incident (or one declared by `auto_incident` this
    /// session) is about integration `name`.
    fn incident_names(&self, name: &str) -> bool {
        self.health.auto_declared.iter().any(|n| n == name)
            || self
                .book
                .all()
                .iter()
                .any(|i| i.is_active() && (i.service == name || i.title.contains(name)))
    }

    /// `[health] auto_incident = true`: declare what is due at once.
    fn auto_declare(&mut self, fx: &mut Vec<Effect>) {
        if !self.config.health.auto_incident || self.readonly {
            return;
        }
        let due = crate::domain::health_incident::due(
            &self.health.entries,
            self.now.max(self.health.last_poll.unwrap_or(self.now)),
            self.config.health.offer_after,
            |n| self.incident_names(n),
        );
        for p in due {
            self.health
                .auto_declared
                .extend(p.integrations.iter().cloned());
            let request = self.request();
            self.flash(
                Level::Warning,
                format!(
                    "declaring {} incident: {} (down {}+, [health] auto_incident)",
                    p.severity,
                    p.title,
                    crate::domain::format::coarse_duration(self.config.health.offer_after)
                ),
            );
            fx.push(Effect::Declare {
                request,
                title: p.title,
                service: p.service,
                severity: p.severity,
            });
        }
    }

    pub(super) fn poll_now(&mut self, all: bool, fx: &mut Vec<Effect>) {
        if self.health.entries.is_empty() {
            self.flash(
                Level::Info,
                "no integrations configured: add [[integrations]] to shiftdeck.toml",
            );
            return;
        }
        let name = if all {
            None
        } else {
            self.health.selected_name().map(str::to_string)
        };
        self.flash(
            Level::Info,
            format!(
                "polling {} now…",
                name.as_deref().unwrap_or("every integration")
            ),
        );
        self.health.asked_all = name.is_none();
        self.health.asked = match &name {
            Some(n) => vec![n.clone()],
            None => self.health.entries.iter().map(|e| e.name.clone()).collect(),
        };
        fx.push(Effect::PollNow(name));
    }

    pub(super) fn start_verify(&mut self, fx: &mut Vec<Effect>) {
        if self.focus != Pane::Health {
            return;
        }
        if self.readonly {
            self.flash(Level::Error, super::update::READONLY);
            return;
        }
        let Some(name) = self.health.selected_name().map(str::to_string) else {
            return;
        };
        let kind = self
            .health
            .selected_entry()
            .map(|e| e.kind.clone())
            .unwrap_or_default();
        if self.config.incident_sources.iter().any(|s| s.name == name) {
            // Nothing to send to prove an incident source: listing is the proof.
            self.flash(
                Level::Info,
                format!("{name}: an incident source is checked by listing it: listing now"),
            );
            fx.push(Effect::PollNow(Some(name)));
            return;
        }
        let what = match kind.as_str() {
            "datadog" => {
                "posts one info event tagged source:shiftdeck, verify:true (Datadog has no delete: filter on the tag)"
            }
            "sentry" => {
                "sends one info event tagged shiftdeck_verify (it stays in the project's issues unless you resolve it)"
            }
            "pagerduty" => "sends one change event (change events never page anyone)",
            "opsgenie" => "creates one P5 alert labelled as a test, follows it up, then closes it",
            "slack" => {
                "posts one message labelled as a test (an incoming webhook cannot delete it)"
            }
            "splunk" => "indexes one event with verify=true (searches can exclude it)",
            _ => "runs the check once more",
        };
        self.dialog = Some(Dialog::Verify {
            name,
            what: what.to_string(),
        });
    }

    pub(super) fn on_verified(
        &mut self,
        name: String,
        steps: Vec<(String, Result<String, String>)>,
        fx: &mut Vec<Effect>,
    ) {
        let ok = steps.iter().all(|(_, r)| r.is_ok());
        if !self.readonly {
            fx.push(Effect::RecordVerify {
                name: name.clone(),
                steps: steps.clone(),
            });
        }
        let last = steps.last().map(|(s, r)| match r {
            Ok(m) => format!("{s}: {m}"),
            Err(e) => format!("{s}: {e}"),
        });
        self.flash(
            if ok { Level::Info } else { Level::Error },
            format!("verify {name}: {}", last.unwrap_or_default()),
        );
        self.health.verified.retain(|(n, _)| n != &name);
        self.health.verified.push((name.clone(), steps));
        self.health.detail = Some(name);
        self.dirty = true;
    }
}

impl App {
    /// The Health pane's own actions; `false` when `action` is not one.
    pub(super) fn health_action(&mut self, action: Action, fx: &mut Vec<Effect>) -> bool {
        match action {
            Action::PollNow => self.poll_now(false, fx),
            Action::PollAll => self.poll_now(true, fx),
            Action::Verify => self.start_verify(fx),
            Action::DeclareFromHealth => self.declare_from_health(),
            Action::Attach if self.focus == Pane::Health => self.attach_verify(fx),
            _ => return false,
        }
        true
    }
}
