//! The Approvals pane's state and its decisions.

use super::{Action, App, Dialog, Effect, Level, Pane};
use crate::domain::approval::{ApprovalRecord, ApprovalState, Decision, DecisionContext, Refusal};
use crate::store::approvals::LoadedApprovals;

#[derive(Debug, Clone, Default)]
pub struct ApprovalsPane {
    pub loaded: bool,
    pub records: Vec<ApprovalRecord>,
    /// Malformed record files, as the operator should read them.
    pub bad: Vec<String>,
    pub visible: Vec<usize>,
    pub selected: usize,
    pub offset: usize,
    pub viewport: usize,
    pub filter: String,
    pub query: crate::domain::query::Query,
    pub sort: Option<super::sorting::Sort>,
    /// Only this state, or every state (open ones first).
    pub state_filter: Option<ApprovalState>,
    pub detail: Option<String>,
    pub detail_scroll: u16,
}

impl ApprovalsPane {
    pub fn selected_record(&self) -> Option<&ApprovalRecord> {
        self.visible.get(self.selected).map(|&i| &self.records[i])
    }

    pub fn pending(&self) -> usize {
        self.records
            .iter()
            .filter(|r| r.state == ApprovalState::Pending)
            .count()
    }

    /// Open first (pending, then proposed), by risk, oldest first; then the
    /// decided ones, most recent first.
    pub fn refresh(&mut self) {
        let keep = self.selected_record().map(|r| r.id.clone());
        let mut v: Vec<usize> = (0..self.records.len())
            .filter(|&i| {
                let r = &self.records[i];
                self.state_filter.is_none_or(|s| r.state == s) && self.query.matches(r)
            })
            .collect();
        v.sort_by(|&a, &b| {
            let (x, y) = (&self.records[a], &self.records[b]);
            let rank = |r: &ApprovalRecord| match r.state {
                ApprovalState::Pending => 0,
                ApprovalState::Proposed => 1,
                _ => 2,
            };
            rank(x).cmp(&rank(y)).then_with(|| {
                if x.state.is_open() {
                    x.risk.cmp(&y.risk).then(x.created_at.cmp(&y.created_at))
                } else {
                    y.changed_at().cmp(&x.changed_at())
                }
            })
        });
        if let Some(s) = self.sort {
            v.sort_by(|&a, &b| super::sorting::approvals(&self.records[a], &self.records[b], s));
        }
        self.visible = v;
        if let Some(id) = keep
            && let Some(p) = self.visible.iter().position(|&i| self.records[i].id == id)
        {
            self.selected = p;
        }
        self.move_by(0);
    }

    pub fn move_by(&mut self, delta: isize) {
        (self.selected, self.offset) = super::move_selection(
            self.selected,
            self.offset,
            self.viewport,
            self.visible.len(),
            delta,
        );
    }
}

impl App {
    /// The P1 that pauses approvals, if one is open: the screen's book holds
    /// the local incidents and every source's list, so all of them count.
    pub fn open_p1_incident(&self) -> Option<(String, String)> {
        crate::domain::approval::pausing_p1(self.book.all())
    }

    pub fn decision_context(&self) -> DecisionContext {
        crate::ops::approvals::context(&self.config, self.readonly, self.open_p1_incident())
    }

    pub(super) fn on_approvals(&mut self, loaded: LoadedApprovals) {
        self.approvals.loaded = true;
        self.approvals.records = loaded.records;
        let bad: Vec<String> = loaded.bad.iter().map(|b| b.to_string()).collect();
        let new_bad: Vec<String> = bad
            .iter()
            .filter(|b| !self.approvals.bad.contains(b))
            .cloned()
            .collect();
        if !new_bad.is_empty() {
            self.add_problems(new_bad);
        }
        self.approvals.bad = bad;
        if !loaded.recovered.is_empty() {
            self.flash(
                Level::Warning,
                format!(
                    "finished an interrupted decision on {}",
                    loaded.recovered.join(", ")
                ),
            );
        }
        self.approvals.refresh();
        self.refresh_handover();
        self.dirty = true;
    }

    /// Start a decision on the selected (or open) record: a reason first,
    /// then a confirmation of exactly what will be recorded.
    pub(super) fn start_decision(&mut self, decision: Decision) {
        if self.focus != Pane::Approvals {
            self.flash(Level::Warning, "go to Approvals first (3)");
            return;
        }
        let record = match &self.approvals.detail {
            Some(id) => self.approvals.records.iter().find(|r| &r.id == id),
            None => self.approvals.selected_record(),
        };
        let Some(record) = record else {
            self.flash(Level::Warning, "no approval record selected");
            return;
        };
        match record.check(decision, &self.decision_context(), "reason to come") {
            Ok(()) => {
                let id = record.id.clone();
                self.dialog = Some(Dialog::Reason {
                    id,
                    decision,
                    editor: super::dialogs::line_input(""),
                });
            }
            Err(refusal) => {
                let id = record.id.clone();
                self.flash(Level::Error, format!("{id}: {refusal}"));
            }
        }
    }

    /// The reason is typed: show what will be recorded.
    pub(super) fn confirm_decision(&mut self, id: String, decision: Decision, reason: String) {
        let Some(record) = self.approvals.records.iter().find(|r| r.id == id) else {
            return;
        };
        if let Err(r) = record.check(decision, &self.decision_context(), &reason) {
            let msg = if r == Refusal::ReasonRequired {
                format!(
                    "a reason is required: say why ({} cancels)",
                    self.key_name(crate::keymap::Context::Prompt, Action::Cancel)
                )
            } else {
                format!("{id}: {r}")
            };
            self.flash(Level::Error, msg);
            return;
        }
        let lines = vec![
            record.title.clone(),
            format!("{}: {} → {}", record.id, record.state, decision.to_state()),
            format!(
                "by {} ({}) at the time of confirming",
                self.config.operator,
                self.config.role.as_str()
            ),
            format!("reason: {reason}"),
            format!(
                "risk {} · target {} {}",
                record.risk.as_str(),
                record.target.kind,
                record.target.name
            ),
        ];
        self.dialog = Some(Dialog::ConfirmDecision {
            id,
            decision,
            reason,
            lines,
        });
    }

    pub(super) fn send_decision(
        &mut self,
        id: String,
        decision: Decision,
        reason: String,
        fx: &mut Vec<Effect>,
    ) {
        let request = self.request();
        self.flash(Level::Info, format!("recording: {} {id}…", decision.verb()));
        fx.push(Effect::Decide {
            request,
            id,
            decision,
            reason,
        });
    }
}

impl App {
    /// The Approvals pane's own actions; `false` when `action` is not one.
    pub(super) fn approval_action(&mut self, action: Action) -> bool {
        match action {
            Action::Approve => self.start_decision(crate::domain::approval::Decision::Approve),
            Action::Reject => self.start_decision(crate::domain::approval::Decision::Reject),
            Action::MarkApplied => self.start_decision(crate::domain::approval::Decision::Apply),
            Action::Submit => self.start_decision(crate::domain::approval::Decision::Submit),
            Action::StateFilter => {
                use crate::domain::approval::ApprovalState as S;
                const ORDER: [Option<S>; 6] = [
                    None,
                    Some(S::Pending),
                    Some(S::Proposed),
                    Some(S::Approved),
                    Some(S::Rejected),
                    Some(S::Applied),
                ];
                let at = ORDER
                    .iter()
                    .position(|s| *s == self.approvals.state_filter)
                    .unwrap_or(0);
                let next = ORDER[(at + 1) % ORDER.len()];
                self.approvals.state_filter = next;
                self.approvals.selected = 0;
                self.approvals.refresh();
                let label = next.map(|s| s.as_str()).unwrap_or("all states");
                self.flash(Level::Info, format!("approvals: {label}"));
            }
            _ => return false,
        }
        true
    }
}
