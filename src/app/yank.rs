//! The terminal's own powers, as use cases: `y` copies the selected id,
//! `Y` its link or the whole note (OSC 52, so it works over SSH and through
//! tmux), and `o` opens an incident's link in the browser when the screen
//! is on this machine. What is copied or opened is decided here; the
//! runtime only writes the bytes or starts the browser.

use super::{App, ChecklistRow, Effect, Level, Pane};
use crate::domain::sanitize;

/// A clipboard write stops here: OSC 52 payloads beyond it are dropped by
/// several terminals.
const CLIPBOARD_MAX: usize = 64 * 1024;

impl App {
    /// What `y` (or `Y`, `whole`) copies in the focused pane: a name for
    /// the message and the text.
    fn to_copy(&self, whole: bool) -> Option<(String, String)> {
        match self.focus {
            Pane::Incidents => {
                let inc = self.target_incident()?;
                let link = inc.remote.as_ref().and_then(|r| r.url.clone());
                Some(match (whole, link) {
                    (true, Some(url)) => ("the link".into(), url),
                    (true, None) => (
                        format!("{} and its title", inc.id),
                        format!("{} {} — {}", inc.id, inc.severity, inc.title),
                    ),
                    (false, _) => (inc.id.clone(), inc.id.clone()),
                })
            }
            Pane::Approvals => {
                let r = self.approvals.selected_record()?;
                Some(if whole {
                    (
                        format!("{} and its summary", r.id),
                        format!("{} {}: {}", r.id, r.title, r.change.summary),
                    )
                } else {
                    (r.id.clone(), r.id.clone())
                })
            }
            Pane::Checklists => {
                let ChecklistRow::Step(l, s) = self.checklists.selected_row()? else {
                    let ChecklistRow::Header(l) = self.checklists.selected_row()? else {
                        return None;
                    };
                    let name = self.checklists.lists[l].name.clone();
                    return Some((name.clone(), name));
                };
                let step = &self.checklists.lists[l].steps[s];
                Some(match (&step.command, whole) {
                    (Some(cmd), true) => ("the step's command".into(), cmd.clone()),
                    _ => (step.id.clone(), format!("{} {}", step.id, step.title)),
                })
            }
            Pane::Health => {
                let e = self.health.selected_entry()?;
                Some(if whole {
                    (
                        format!("{}'s last answer", e.name),
                        format!("{} {}: {}", e.name, e.status, e.summary),
                    )
                } else {
                    (e.name.clone(), e.name.clone())
                })
            }
            Pane::Journal => {
                let i = match self.journal.reading {
                    Some(i) => i,
                    None => self
                        .journal
                        .selected_index()
                        .and_then(|p| self.journal.entry_at(p))?,
                };
                let e = self.journal.entries.get(i)?;
                let at = e.at.with_timezone(&self.config.timezone).format("%H:%M");
                Some(if whole {
                    let text = e.field("text").map(str::to_string).unwrap_or(e.summary());
                    ("the whole note".into(), text)
                } else {
                    (
                        format!("the {at} entry's line"),
                        format!("{at} {} {}", e.kind.label(), e.summary()),
                    )
                })
            }
        }
    }

    pub(super) fn yank(&mut self, whole: bool, fx: &mut Vec<Effect>) {
        let Some((what, text)) = self.to_copy(whole) else {
            self.flash(Level::Info, "nothing selected to copy");
            return;
        };
        // What lands on the clipboard is pasted somewhere: no controls.
        let mut text = sanitize::text(&text).into_owned();
        if text.len() > CLIPBOARD_MAX {
            let mut cut = CLIPBOARD_MAX;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        fx.push(Effect::Copy(text));
        self.flash(
            Level::Info,
            format!("copied {} to the clipboard", sanitize::line(&what)),
        );
    }

    pub(super) fn open_link(&mut self, fx: &mut Vec<Effect>) {
        let Some(inc) = self.target_incident() else {
            return;
        };
        let Some(url) = inc.remote.as_ref().and_then(|r| r.url.clone()) else {
            self.flash(Level::Info, format!("{} has no vendor link", inc.id));
            return;
        };
        let Some(url) = sanitize::safe_link(&url).map(str::to_string) else {
            self.flash(
                Level::Warning,
                "the vendor's link is not a plain http(s) address: not opened",
            );
            return;
        };
        if !self.local_session {
            let y = self.key_name(crate::keymap::Context::Global, super::Action::YankWhole);
            self.flash(
                Level::Info,
                format!("over SSH no browser is started here: {y} copies the link"),
            );
            return;
        }
        fx.push(Effect::OpenLink(url.clone()));
        self.flash(Level::Info, format!("opening {url}"));
    }
}
