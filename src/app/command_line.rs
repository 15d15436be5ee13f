//! The `:` line: every command in one table (what `:help` lists and `tab`
//! completes), the arguments it can complete, and a history of what was
//! run this session (`up`/`down`), `ctrl-u` clearing the line.

use super::{App, Dialog};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Each command: its name, its arguments, what it does.
pub const COMMANDS: &[(&str, &str, &str)] = &[
    (
        "incidents",
        "",
        "go to Incidents (also :1 … :5 for the panes)",
    ),
    ("checklists", "", "go to Checklists"),
    ("approvals", "", "go to Approvals"),
    ("health", "", "go to Health"),
    (
        "journal",
        "[SHIFT]",
        "go to the Journal; with a shift id, read that shift's journal",
    ),
    ("note", "[TEXT]", "write a note (the editor without TEXT)"),
    ("handover", "", "write and publish the handover"),
    ("previous", "", "the previous shift's handover again"),
    (
        "shift",
        "[end]",
        "this shift; :shift end ends it without a handover",
    ),
    ("filter", "QUERY", "filter the focused list (as / does)"),
    ("view", "[NAME]", "apply a saved view; alone, list them"),
    ("messages", "", "everything said in the footer this session"),
    (
        "contacts",
        "",
        "who is on call, and the escalation directory",
    ),
    ("oncall", "", "who is on call now"),
    (
        "playbook",
        "NAME [TARGET]",
        "start a playbook on an incident or a label",
    ),
    ("followup", "done|drop ID …", "close a follow-up"),
    ("evidence", "N", "read an incident's evidence N"),
    ("report", "[WEEK]", "the weekly report (2026-W48)"),
    (
        "change",
        "TYPE IMPACT DOWNTIME TITLE -- ROLLBACK",
        "record a change",
    ),
    (
        "blocker",
        "TEXT",
        "a credential blocker, in every handover until cleared",
    ),
    ("cleared", "TICKET …", "clear a blocker"),
    (
        "deviation",
        "TEXT",
        "a step done otherwise than the runbook says",
    ),
    ("approve", "", "approve the selected record"),
    ("reject", "", "reject the selected record"),
    ("new", "", "declare an incident"),
    ("resolved", "", "show or hide resolved incidents"),
    ("zoom", "", "zoom the focused pane"),
    (
        "theme",
        "[NAME]",
        "change the theme (default, light, high-contrast, mono)",
    ),
    ("problems", "", "the problems found in your files"),
    ("reconnect", "", "try the team store again now"),
    ("help", "", "the keys, and these commands"),
    ("q", "", "quit"),
];

/// Commands run this session that `up` brings back.
pub const HISTORY_KEPT: usize = 100;

/// The longest common start of `words`.
fn common_prefix<'a>(words: &[&'a str]) -> &'a str {
    let Some(first) = words.first() else {
        return "";
    };
    let mut end = first.len();
    for w in &words[1..] {
        end = end.min(w.len());
        while !w.is_char_boundary(end) || first[..end] != w[..end] {
            end -= 1;
        }
    }
    &first[..end]
}

/// `typed` extended over the `choices` that start with it, after `head`:
/// the one that fits whole (then `tail`), else their common start and
/// the choices; nothing fits, `typed` as it was.
fn extend(typed: &str, choices: Vec<String>, head: &str, tail: &str) -> (String, Vec<String>) {
    let fits: Vec<&str> = choices
        .iter()
        .map(String::as_str)
        .filter(|c| c.starts_with(typed))
        .collect();
    match fits.as_slice() {
        [] => (format!("{head}{typed}"), Vec::new()),
        [one] => (format!("{head}{one}{tail}"), Vec::new()),
        many => (
            format!("{head}{}", common_prefix(many)),
            many.iter().map(|s| s.to_string()).collect(),
        ),
    }
}

impl App {
    /// What an argument of `cmd` may be, for `tab`.
    fn argument_choices(&self, cmd: &str) -> Vec<String> {
        match cmd {
            "view" => self.config.views.iter().map(|v| v.name.clone()).collect(),
            "theme" => crate::theme::BUNDLED
                .iter()
                .map(|(n, _)| n.to_string())
                .collect(),
            "playbook" => self.playbooks().map(|t| t.id.clone()).collect(),
            "shift" => vec!["end".into()],
            "report" => vec!["weekly".into()],
            "journal" => self.journal.shift_ids.clone(),
            _ => Vec::new(),
        }
    }

    /// `line` completed as far as it is unambiguous, and the choices left
    /// when it is not.
    pub fn complete(&self, line: &str) -> (String, Vec<String>) {
        match line.split_once(' ') {
            None => {
                let names = COMMANDS.iter().map(|(n, _, _)| n.to_string()).collect();
                extend(line, names, "", " ")
            }
            Some((cmd, arg)) => extend(
                arg.trim_start(),
                self.argument_choices(cmd),
                &format!("{cmd} "),
                "",
            ),
        }
    }

    /// The command line's own keys: `tab` completes, `up`/`down` walk the
    /// history, `ctrl-u` clears. True when the key was one of them.
    pub(super) fn command_line_key(&mut self, key: &KeyEvent) -> bool {
        let Some(Dialog::Command(editor)) = self.dialog.as_ref() else {
            return false;
        };
        let line = super::dialogs::text_of(editor);
        let replace = |app: &mut App, text: &str| {
            app.dialog = Some(Dialog::Command(super::dialogs::line_input(text)));
            app.dirty = true;
        };
        match (key.code, key.modifiers.contains(KeyModifiers::CONTROL)) {
            (KeyCode::Tab, false) => {
                let (done, choices) = self.complete(&line);
                replace(self, &done);
                if choices.len() > 1 {
                    self.flash(super::Level::Info, choices.join("  "));
                }
                true
            }
            (KeyCode::Char('u'), true) => {
                replace(self, "");
                self.history_at = None;
                true
            }
            (KeyCode::Up, false) | (KeyCode::Down, false) => {
                let n = self.command_history.len();
                if n == 0 {
                    return true;
                }
                let at = match (self.history_at, key.code == KeyCode::Up) {
                    (None, true) => Some(n - 1),
                    (None, false) => None,
                    (Some(i), true) => Some(i.saturating_sub(1)),
                    (Some(i), false) if i + 1 < n => Some(i + 1),
                    (Some(_), false) => None,
                };
                self.history_at = at;
                let text = at
                    .map(|i| self.command_history[i].clone())
                    .unwrap_or_default();
                replace(self, &text);
                true
            }
            _ => false,
        }
    }

    /// A command run: into the history (once, the newest last).
    pub(super) fn remember_command(&mut self, line: &str) {
        if line.is_empty() {
            return;
        }
        self.command_history.retain(|l| l != line);
        if self.command_history.len() >= HISTORY_KEPT {
            self.command_history.remove(0);
        }
        self.command_history.push(line.to_string());
        self.history_at = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_prefix_of_names() {
        assert_eq!(common_prefix(&["checklists", "change", "cleared"]), "c");
        assert_eq!(
            common_prefix(&["report", "reconnect", "reject", "resolved"]),
            "re"
        );
        assert_eq!(common_prefix(&["note"]), "note");
    }
}
