//! Actions: what a key can be bound to. Named in snake_case so keymap files
//! bind them by name; internal messages (task results, ticks) live in
//! [`super::Msg`] and cannot be bound.

use serde::{Deserialize, Serialize};

macro_rules! actions {
    ($($variant:ident => $name:literal, $desc:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Action {
            $($variant,)*
        }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name,)* }
            }

            /// What the help overlay says when the keymap gives no `desc`.
            pub fn describe(self) -> &'static str {
                match self { $(Action::$variant => $desc,)* }
            }

            pub fn from_name(name: &str) -> Option<Action> {
                match name { $($name => Some(Action::$variant),)* _ => None }
            }
        }
    };
}

actions! {
    Quit => "quit", "quit shiftdeck";
    Help => "help", "show the keys of this pane";
    CommandLine => "command_line", "open the command line";
    NextPane => "next_pane", "focus the next pane";
    PrevPane => "prev_pane", "focus the previous pane";
    FocusChecklists => "focus_checklists", "go to Checklists";
    FocusIncidents => "focus_incidents", "go to Incidents";
    FocusApprovals => "focus_approvals", "go to Approvals";
    FocusHealth => "focus_health", "go to Health";
    FocusJournal => "focus_journal", "go to the Journal";
    WriteNote => "write_note", "write a note in the shift journal";
    Handover => "handover", "write and publish the handover";
    Zoom => "zoom", "zoom the focused pane (again to unzoom)";
    Up => "up", "move up";
    Down => "down", "move down";
    PageUp => "page_up", "page up";
    PageDown => "page_down", "page down";
    Top => "top", "go to the first row";
    Bottom => "bottom", "go to the last row";
    Open => "open", "open the detail";
    Back => "back", "close the detail or dialog";
    Filter => "filter", "filter the list";
    SortNext => "sort_next", "sort by the next column (after the last, the pane's own order)";
    SortReverse => "sort_reverse", "reverse the sort";
    Yank => "yank", "copy the selected id to the clipboard";
    YankWhole => "yank_whole", "copy the link, or the whole note, to the clipboard";
    OpenLink => "open_link", "open the incident's link in the browser (on this machine only)";
    Suspend => "suspend", "suspend to the shell (fg brings the screen back)";
    ExternalEditor => "external_editor", "write the note in $EDITOR (the draft is kept either way)";
    SearchText => "search_text", "search the text read";
    NextMatch => "next_match", "the next match of the search";
    PrevMatch => "prev_match", "the previous match of the search";
    ClearFilter => "clear_filter", "clear the filter";
    ToggleResolved => "toggle_resolved", "show or hide resolved incidents";
    NewIncident => "new_incident", "declare a new incident";
    Acknowledge => "acknowledge", "acknowledge the selected incident";
    Escalate => "escalate", "raise the severity one level";
    AddNote => "add_note", "add a note to the timeline";
    StatusUpdate => "status_update", "post a one-line status update to the operations channel (action, ETA)";
    Resolve => "resolve", "resolve the selected incident";
    Reopen => "reopen", "reopen a resolved incident";
    Snooze => "snooze", "snooze the incident at its vendor for a while";
    Reassign => "reassign", "give the incident to someone else at its vendor";
    AddResponder => "add_responder", "ask someone to join the incident at its vendor";
    Unacknowledge => "unacknowledge", "undo an acknowledgement at the vendor (it notifies again)";
    Silence => "silence", "silence an Alertmanager alert for a while";
    ExpireSilence => "expire_silence", "end the silence that holds an Alertmanager alert";
    Mark => "mark", "mark the row for a bulk action (again to unmark)";
    MarkAll => "mark_all", "mark every active row, or clear the marks";
    Approve => "approve", "approve the selected record (approver role, with a reason)";
    Reject => "reject", "reject the selected record (approver role, with a reason)";
    MarkApplied => "mark_applied", "record that an approved change was applied";
    Submit => "submit", "submit a proposed record for approval";
    StateFilter => "state_filter", "show one state of approvals, then the next (all, pending, …)";
    CheckStep => "check_step", "check the selected step (done)";
    SkipStep => "skip_step", "skip the selected step, with a reason";
    RunStep => "run_step", "run the selected step's command in the background (shown first)";
    RetractStep => "retract_step", "take back your check or skip of the last minutes (a new entry says so)";
    PollNow => "poll_now", "poll the selected integration now";
    PollAll => "poll_all", "poll every integration now";
    Verify => "verify", "send one real test event to the selected integration (asks first)";
    DeclareFromStep => "declare_from_step", "declare an incident for the selected step that FAILED";
    Attach => "attach", "attach evidence to the incident: a .md/.json/.txt/.log file, or !command for its output";
    Postmortem => "postmortem", "write the post-mortem draft (incidents/<id>/post-mortem.md) and read it";
    AddFollowup => "add_followup", "track a follow-up on the incident: @owner +due what is to be done";
    StartPlaybook => "start_playbook", "start the playbook offered for the incident (:playbook NAME for another)";
    DeclareFromHealth => "declare_from_health", "declare an incident for the selected integration that is down (one for several down at once)";
    Confirm => "confirm", "yes: do what the dialog shows";
    Cancel => "cancel", "no: close without doing anything";
    Accept => "accept", "take what was typed (the next field of a form)";
    Save => "save", "save now (the note, the whole form)";
    NextField => "next_field", "the next field";
    PrevField => "prev_field", "the previous field";
    EditSummary => "edit_summary", "write the summary, or back to reading";
    Publish => "publish", "publish the handover (asks first)";
    AcknowledgeHandover => "acknowledge_handover", "record that you read this handover";
    Close => "close", "close";
    Noop => "noop", "nothing (unbinds a key)";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_serde() {
        for &a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(a));
            assert_eq!(
                serde_json::to_string(&a).unwrap(),
                format!("\"{}\"", a.name())
            );
        }
        assert_eq!(Action::from_name("launch_missiles"), None);
    }
}
