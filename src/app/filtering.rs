//! `/` on a list: one query language for every pane, its rows' fields
//! named by the domain ([`crate::domain::query`]), and what each pane's
//! title says of it.

use super::{App, Level, Pane};

impl App {
    pub(super) fn clear_filter(&mut self) {
        self.set_filter(String::new());
    }

    /// The focused list's filter: one query language for every pane
    /// (`sev:P1 status:open svc:gateway breached`, `-word`). A term naming
    /// a field the pane has not says which it has, and filters nothing.
    pub(super) fn set_filter(&mut self, text: String) {
        use crate::domain::approval::ApprovalRecord;
        use crate::domain::health::IntegrationHealth;
        use crate::domain::journal::JournalEntry;
        use crate::domain::query::{IncidentRow, Query, StepRow};
        let known = match self.focus {
            Pane::Incidents => IncidentRow::FIELDS,
            Pane::Approvals => ApprovalRecord::FIELDS,
            Pane::Checklists => StepRow::FIELDS,
            Pane::Health => IntegrationHealth::FIELDS,
            Pane::Journal => JournalEntry::FIELDS,
        };
        let query = match Query::parse(&text, known, &self.config.operator) {
            Ok(q) => q,
            Err(e) => {
                self.flash(Level::Warning, e.to_string());
                Query::default()
            }
        };
        match self.focus {
            Pane::Approvals => {
                self.approvals.filter = text;
                self.approvals.query = query;
                self.approvals.selected = 0;
                self.approvals.refresh();
            }
            Pane::Incidents => {
                self.incidents.filter = text;
                self.incidents.query = query;
                self.incidents.now = self.now;
                self.incidents.selected = 0;
                self.incidents.refresh(&self.book);
            }
            Pane::Checklists => {
                self.checklists.filter = text;
                self.checklists.query = query;
                self.checklists.selected = 0;
                self.checklists.refresh();
            }
            Pane::Health => {
                self.health.filter = text;
                self.health.query = query;
                self.health.selected = 0;
                self.health.offset = 0;
            }
            Pane::Journal => {
                self.journal.filter = text;
                self.journal.query = query;
                self.journal.reading = None;
                self.journal.refilter();
            }
        }
    }

    /// The rows a pane's filter keeps (steps, for the checklists).
    pub fn match_count(&self, pane: Pane) -> usize {
        match pane {
            Pane::Incidents => self.incidents.visible.len(),
            Pane::Approvals => self.approvals.visible.len(),
            Pane::Checklists => self
                .checklists
                .rows
                .iter()
                .filter(|r| matches!(r, super::checklists::ChecklistRow::Step(..)))
                .count(),
            Pane::Health => self.health.visible().len(),
            Pane::Journal => self.journal.len(),
        }
    }

    /// A pane's filter text.
    pub fn filter_of(&self, pane: Pane) -> &str {
        match pane {
            Pane::Incidents => &self.incidents.filter,
            Pane::Approvals => &self.approvals.filter,
            Pane::Checklists => &self.checklists.filter,
            Pane::Health => &self.health.filter,
            Pane::Journal => &self.journal.filter,
        }
    }
}
