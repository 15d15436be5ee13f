//! Who to call and being called, on screen: the escalation directory and
//! who is on call (status bar, incident detail, `:contacts`), the terminal's
//! bell and desktop notifications, and the messages going out.

use super::{App, Effect, Level};
use crate::domain::notify::Notice;

/// What the app knows about calling and being called.
#[derive(Debug, Default)]
pub struct Calls {
    pub directory: crate::domain::contacts::Directory,
    pub roster: crate::domain::oncall::Roster,
    pub watch: crate::domain::notify::Watch,
    /// Ring at all: `[notify]`, a terminal on stdout, and (under `--demo`)
    /// only when asked.
    pub ringing: bool,
    /// Messages queued and not reported sent yet, as the handover lists them.
    pub unsent: Vec<String>,
    /// The `:contacts` popup is open, scrolled this far.
    pub show_contacts: bool,
    pub contacts_scroll: u16,
}

/// Whether the screen rings at all: only on a terminal, and under `--demo`
/// only when asked (`--notify`); `[notify]` then says what and how.
pub fn ringing(demo: bool, asked: bool, tty: bool) -> bool {
    tty && (!demo || asked)
}

impl App {
    /// The status bar's on-call words, if anything is known (`short` for
    /// a narrow bar).
    pub fn on_call_summary(&self, short: bool) -> Option<String> {
        self.calls.roster.summary(
            self.now,
            &self.config.operator,
            &self.calls.directory,
            self.config.timezone,
            short,
        )
    }

    fn ring(&mut self, n: Notice, fx: &mut Vec<Effect>) {
        let cfg = &self.config.notify;
        if !self.calls.ringing || !cfg.events.contains(&n.event) || !(cfg.bell || cfg.desktop) {
            return;
        }
        if cfg.on_call_only
            && self.calls.roster.operator_on_call(
                self.now,
                &self.config.operator,
                &self.calls.directory,
            ) == Some(false)
        {
            return;
        }
        fx.push(Effect::Notify(n));
    }

    /// Look at the incidents of one source (`None`: the local files) after
    /// they changed; `baseline` for the first look.
    pub(super) fn watch_incidents(
        &mut self,
        source: Option<&str>,
        baseline: bool,
        fx: &mut Vec<Effect>,
    ) {
        let of_source = |i: &&crate::domain::Incident| match (source, &i.remote) {
            (None, None) => true,
            (Some(s), Some(r)) => r.source == s,
            _ => false,
        };
        let incidents: Vec<&crate::domain::Incident> =
            self.book.all().iter().filter(of_source).collect();
        let notices =
            self.calls
                .watch
                .incidents(incidents, self.now, baseline, &self.config.operator);
        for n in notices {
            self.ring(n, fx);
        }
    }

    /// The clock moved: countdowns entering their last minutes or running out.
    pub(super) fn watch_countdowns(&mut self, fx: &mut Vec<Effect>) {
        let notices = self.calls.watch.countdowns(self.book.all(), self.now);
        for n in notices {
            self.ring(n, fx);
        }
    }

    /// An integration's status changed. Several down at once is a
    /// substrate problem (network, DNS, proxy: seed 002 §6 step 4): the
    /// notification says so and names the substrate's owner instead.
    pub(super) fn watch_health(
        &mut self,
        name: &str,
        from: &str,
        to: &str,
        summary: &str,
        fx: &mut Vec<Effect>,
    ) {
        let Some(mut n) = self.calls.watch.health(name, from, to, summary) else {
            return;
        };
        let down = self
            .health
            .entries
            .iter()
            .filter(|e| e.status == crate::domain::health::HealthStatus::Down)
            .count();
        let d = &self.calls.directory;
        if down >= 2 {
            n.body = format!(
                "{} — {down} integrations down at once: likely the network, DNS or a proxy{}",
                n.body,
                d.substrate_owner()
                    .map(|o| format!("; call {}", o.label()))
                    .unwrap_or_default()
            );
        } else if let Some(owner) = d.integration_owner(name) {
            n.body = format!("{} — owner: {}", n.body, owner.label());
        }
        self.ring(n, fx);
    }

    pub(super) fn on_messages_sent(
        &mut self,
        delivered: Vec<(String, Result<(), String>)>,
        waiting: Vec<String>,
        why: Option<String>,
    ) {
        self.calls.unsent = waiting.clone();
        self.refresh_handover();
        let why = why.filter(|_| !waiting.is_empty());
        let waiting = waiting.len();
        self.dirty = true;
        let failed: Vec<String> = delivered
            .iter()
            .filter_map(|(what, r)| r.as_ref().err().map(|e| format!("{what} not sent: {e}")))
            .collect();
        if let Some(f) = failed.first() {
            self.flash(Level::Error, f.clone());
        } else if let (Some(why), true) = (why, waiting > 0) {
            self.flash(
                Level::Warning,
                format!(
                    "{} to be sent: {why} — tried again every minute",
                    crate::domain::format::plural(waiting, "message waits", "messages wait")
                ),
            );
        } else if !delivered.is_empty() {
            let what: Vec<&str> = delivered.iter().map(|(w, _)| w.as_str()).collect();
            self.flash(Level::Info, format!("sent: {}", what.join(", ")));
        }
    }

    /// Who to call for an incident, as lines for its detail: the severity's
    /// targets and the service's owner, each with how to reach them.
    pub fn call_lines(&self, inc: &crate::domain::Incident) -> Vec<String> {
        self.calls.directory.call_lines(inc.severity, &inc.service)
    }

    /// `:contacts`.
    pub(super) fn open_contacts(&mut self) {
        if self.calls.directory.is_empty() {
            self.flash(
                Level::Info,
                "no escalation directory: write contacts.toml in the workspace (shiftdeck contacts says where)",
            );
        } else {
            self.calls.show_contacts = true;
            self.calls.contacts_scroll = 0;
            self.dirty = true;
        }
    }

    pub(super) fn on_contacts_key(&mut self, key: crossterm::event::KeyEvent) {
        use crate::action::Action;
        match self.layer_action(crate::keymap::Context::Contacts, &key) {
            Some(Action::Close | Action::Cancel) => self.calls.show_contacts = false,
            Some(a) => {
                self.scroll_text(super::scrolling::Scroll::Contacts, a);
            }
            None => {}
        }
        self.dirty = true;
    }

    /// What `:contacts` shows: who is on call, then the directory.
    pub fn contact_lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        let views = self.calls.roster.at(self.now);
        if !views.is_empty() {
            out.push("On call".to_string());
            let tz = self.config.timezone;
            let hm = |t: Option<chrono::DateTime<chrono::Utc>>| {
                t.map(|t| t.with_timezone(&tz).format("%a %H:%M").to_string())
                    .unwrap_or_else(|| "—".into())
            };
            let d = &self.calls.directory;
            for v in views {
                for e in &v.now {
                    out.push(format!(
                        "  {}: {} until {}",
                        v.schedule,
                        d.short_name(&e.who, e.email.as_deref()),
                        hm(e.end)
                    ));
                }
                if let Some(n) = &v.next {
                    out.push(format!(
                        "  {}: next {} from {}",
                        v.schedule,
                        d.short_name(&n.who, n.email.as_deref()),
                        hm(n.start)
                    ));
                }
            }
        }
        out.extend(self.calls.directory.lines());
        out
    }
}
