//! Overlays: dialogs, the key help and the problems list.

use super::{centered, framed, hint, muted_line};
use crate::action::Action;
use crate::app::layers::Layer;
use crate::app::scrolling::Measured;
use crate::app::{App, Confirm, Dialog, IncidentForm, TextPurpose};
use crate::domain::Severity;
use crate::keymap::Context;
use crate::theme::Role;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;

/// Draw the layers over the panes, bottom to top, in the order the app
/// gives them: the one that takes the keys is the one on top.
pub fn render(app: &App, frame: &mut Frame, area: Rect, m: &mut Measured) {
    for layer in app.layers() {
        match layer {
            // Drawn by the panes themselves.
            Layer::Panes => {}
            Layer::Editor => super::journal::editor_popup(app, frame, area),
            Layer::HealthDetail => super::health::detail(app, frame, area, m),
            Layer::StepDetail => super::checklists::step_detail(app, frame, area, m),
            Layer::Handover => super::journal::handover(app, frame, area, m),
            Layer::Previous => super::journal::previous(app, frame, area, m),
            Layer::Contacts => super::calls::contacts(app, frame, area, m),
            Layer::Dialog => {
                if let Some(d) = &app.dialog {
                    dialog(app, d, frame, area);
                }
            }
            Layer::Help => super::overlays::help(app, frame, area, m),
            Layer::Problems => super::overlays::problems(app, frame, area, m),
            Layer::Messages => super::overlays::messages(app, frame, area, m),
        }
    }
}

pub(super) fn popup(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    w: u16,
    h: u16,
    title: String,
) -> Rect {
    let rect = centered(area, w, h);
    frame.render_widget(Clear, rect);
    let block = framed(
        app,
        Line::styled(format!(" {title} "), app.theme.style(Role::Title)),
        true,
    );
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

/// Draw a text field; only the focused one shows its cursor.
pub(super) fn field(
    app: &App,
    frame: &mut Frame,
    rect: Rect,
    input: &TextArea<'static>,
    focused: bool,
) {
    let mut ta = input.clone();
    ta.set_cursor_line_style(Style::default());
    ta.set_cursor_style(if focused {
        app.theme.style(Role::Selection)
    } else {
        Style::default()
    });
    ta.set_style(app.theme.style(Role::Text));
    frame.render_widget(&ta, rect);
}

/// A yes/no question: what it records, then the `[confirm]` keys, in a
/// popup tall enough for its lines as they wrap.
fn question(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    w: u16,
    title: String,
    mut lines: Vec<Line<'static>>,
    (yes, no): (&str, &str),
) {
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        yes_no(app, yes, no),
        app.theme.style(Role::Key),
    ));
    let inner_w = w.min(area.width).saturating_sub(2).max(1) as usize;
    let rows: usize = lines
        .iter()
        .map(|l| l.width().div_ceil(inner_w).max(1))
        .sum();
    let inner = popup(app, frame, area, w, rows as u16 + 2, title);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

/// "y confirms · n or esc cancels", from the `[confirm]` keys.
fn yes_no(app: &App, yes: &str, no: &str) -> String {
    super::hint_keys(
        app,
        Context::Confirm,
        &[(Action::Confirm, yes), (Action::Cancel, no)],
        2,
    )
}

pub(super) fn row(inner: Rect, y: u16) -> Rect {
    Rect {
        y: inner.y + y,
        height: 1,
        ..inner
    }
}

fn dialog(app: &App, d: &Dialog, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    match d {
        Dialog::NewIncident(form) => new_incident(app, form, frame, area),
        Dialog::StatusUpdate(form) => super::calls::update_form(app, form, frame, area),
        Dialog::Ask(form) => super::calls::ask_form(app, form, frame, area),
        Dialog::Text {
            heading,
            editor,
            purpose,
            ..
        } => {
            let inner = popup(app, frame, area, 76, 7, heading.clone());
            let prompt = match purpose {
                TextPurpose::Resolve => "Resolution (optional):",
                TextPurpose::Note => "Note:",
                TextPurpose::Followup => {
                    "@OWNER +DUE what is to be done (@bo +3d raise the retention alert)"
                }
                TextPurpose::Attach => {
                    "A file's path (.md .json .txt .log, 2 MB at most), or !command:"
                }
                TextPurpose::Escalate => "LEVEL why (P1 bureau down for every client):",
            };
            frame.render_widget(Paragraph::new(muted_line(app, prompt)), row(inner, 0));
            field(app, frame, row(inner, 1), editor, true);
            let done = match purpose {
                TextPurpose::Resolve => "resolves",
                TextPurpose::Note => "saves the note",
                TextPurpose::Followup => "tracks it",
                TextPurpose::Attach => "attaches it",
                TextPurpose::Escalate => "shows what is recorded",
            };
            let help = hint(
                app,
                Context::Prompt,
                &[(Action::Accept, done), (Action::Cancel, "cancels")],
            );
            frame.render_widget(
                Paragraph::new(Line::styled(help, t.style(Role::Key))),
                row(inner, inner.height.saturating_sub(1)),
            );
        }
        Dialog::Confirm(Confirm { title, lines, .. })
        | Dialog::ConfirmRemote { title, lines, .. }
        | Dialog::ConfirmBulk { title, lines, .. } => {
            let lines = lines.iter().map(|l| Line::raw(l.clone())).collect();
            question(
                app,
                frame,
                area,
                76,
                title.clone(),
                lines,
                ("confirms", "cancels"),
            );
        }
        Dialog::PublishHandover { hold, .. } => {
            let mut lines = vec![
                Line::raw("Writes journal/handover/<shift>.md, records it in the journal,"),
                Line::raw("ends your shift, and posts it to Slack when a webhook is configured."),
            ];
            if *hold {
                lines.push(Line::styled(
                    "It says HOLD: not everything is green.",
                    t.style(Role::Warning),
                ));
            }
            // This shift's own checklists, unfinished, said before it ends.
            let c = &app.checklists;
            for list in c.lists.iter().filter(|l| {
                l.cadence == crate::domain::checklist::Cadence::Shift && l.run().is_none()
            }) {
                let (done, total) = c.progress.counts(list);
                if done < total {
                    lines.push(Line::styled(
                        format!("{} is at {done}/{total}.", list.name),
                        t.style(Role::Warning),
                    ));
                }
            }
            let title = "Publish the handover and end the shift?".to_string();
            question(
                app,
                frame,
                area,
                76,
                title,
                lines,
                ("publishes", "goes back"),
            );
        }
        Dialog::SkipReason { title, editor, .. } => one_line_prompt(
            app,
            frame,
            area,
            format!("Skip \"{title}\""),
            "Why is it skipped? (required, recorded with your name)",
            editor,
            &hint(
                app,
                Context::Prompt,
                &[
                    (Action::Accept, "records the skip"),
                    (Action::Cancel, "cancels"),
                ],
            ),
        ),
        Dialog::Reason {
            id,
            decision,
            editor,
        } => one_line_prompt(
            app,
            frame,
            area,
            format!("{} {id}", capitalise(decision.verb())),
            "Reason (required, recorded with your name):",
            editor,
            &hint(
                app,
                Context::Prompt,
                &[
                    (Action::Accept, "goes on to the confirmation"),
                    (Action::Cancel, "cancels"),
                ],
            ),
        ),
        Dialog::ConfirmDecision {
            id,
            decision,
            lines,
            ..
        } => {
            let lines = lines.iter().map(|l| Line::raw(l.clone())).collect();
            let title = format!("{} {id}? This is recorded:", capitalise(decision.verb()));
            question(
                app,
                frame,
                area,
                80,
                title,
                lines,
                ("records it", "cancels"),
            );
        }
        Dialog::Verify { name, what } => {
            let lines = vec![
                Line::raw(format!("This {what}.")),
                Line::raw("It is a real event, labelled as a test; each step is reported."),
            ];
            let title = format!("Verify {name}?");
            question(
                app,
                frame,
                area,
                80,
                title,
                lines,
                ("sends it", "goes back"),
            );
        }
        Dialog::ConfirmQuit { running } => {
            let mut lines = vec![Line::raw(format!(
                "{} still running:",
                crate::domain::format::plural(running.len(), "step command", "step commands")
            ))];
            lines.extend(running.iter().map(|r| Line::raw(format!("  {r}"))));
            lines.push(Line::raw(
                "Quitting stops them (their whole process group) and records each as stopped.",
            ));
            let title = "Quit while commands run?".to_string();
            question(
                app,
                frame,
                area,
                80,
                title,
                lines,
                ("stops them and quits", "stays"),
            );
        }
        Dialog::ConfirmRun {
            title,
            command,
            timeout,
            ..
        } => {
            let lines = vec![
                Line::raw(format!("Runs the command of \"{title}\":")),
                Line::styled(format!("  {command}"), app.theme.style(Role::Key)),
                Line::raw(format!(
                    "in the background (stopped after {timeout} s); exit 0 checks the step, its output is kept."
                )),
            ];
            question(
                app,
                frame,
                area,
                90,
                "Run the step's command?".to_string(),
                lines,
                ("runs it", "goes back"),
            );
        }
        Dialog::EndShift => {
            let lines = vec![
                Line::raw("Records the end of your shift in the journal, without a handover."),
                Line::raw("Anything you do afterwards starts a new shift."),
            ];
            let title = "End the shift?".to_string();
            question(app, frame, area, 76, title, lines, ("ends it", "goes back"));
        }
        Dialog::Filter(editor) | Dialog::Search(editor) | Dialog::Command(editor) => {
            let prefix = if matches!(d, Dialog::Filter(_) | Dialog::Search(_)) {
                "/"
            } else {
                ":"
            };
            let hints = Rect {
                y: area.y + area.height.saturating_sub(1),
                height: 1,
                ..area
            };
            frame.render_widget(Clear, hints);
            frame.render_widget(
                Paragraph::new(Line::styled(prefix, t.style(Role::Key))),
                Rect { width: 1, ..hints },
            );
            field(
                app,
                frame,
                Rect {
                    x: hints.x + 1,
                    width: hints.width.saturating_sub(1),
                    ..hints
                },
                editor,
                true,
            );
            // What the line has to say (the choices tab found, a filter's
            // unknown field) shows on the row above it, not under it.
            if let Some(f) = &app.flash
                && hints.y > area.y
            {
                let above = Rect {
                    y: hints.y - 1,
                    ..hints
                };
                frame.render_widget(Clear, above);
                frame.render_widget(
                    Paragraph::new(Line::styled(
                        format!(" {}", crate::domain::sanitize::line(&f.text)),
                        t.style(match f.level {
                            crate::app::Level::Info => Role::Muted,
                            crate::app::Level::Warning => Role::Warning,
                            crate::app::Level::Error => Role::Error,
                        }),
                    )),
                    above,
                );
            }
        }
    }
}

/// A popup as wide as the screen allows (up to `max_w`) and nearly as tall:
/// for reports, handovers and details.
pub(super) fn large_popup(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    max_w: u16,
    title: String,
) -> Rect {
    // Narrower than its widest, it takes the whole width: a strip of the
    // pane left at each side would show its cut-off text.
    let w = if area.width < max_w + 4 {
        area.width
    } else {
        max_w
    };
    popup(app, frame, area, w, area.height.saturating_sub(2), title)
}

/// `text` in lines of at most `width` columns, broken between words (a
/// word longer than a line is cut).
pub(crate) fn wrap_words(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let width = width.max(1);
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let need = if line.is_empty() { 0 } else { 1 } + word.width();
        if !line.is_empty() && line.width() + need > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

/// A popup asking for one line of text.
fn one_line_prompt(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    title: String,
    prompt: &str,
    editor: &TextArea<'static>,
    help: &str,
) {
    let inner = popup(app, frame, area, 76, 6, title);
    frame.render_widget(
        Paragraph::new(muted_line(app, prompt.to_string())),
        row(inner, 0),
    );
    field(app, frame, row(inner, 1), editor, true);
    frame.render_widget(
        Paragraph::new(Line::styled(help.to_string(), app.theme.style(Role::Key))),
        row(inner, inner.height.saturating_sub(1)),
    );
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn new_incident(app: &App, form: &IncidentForm, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let inner = popup(app, frame, area, 70, 10, "Declare an incident".into());
    let label = |text: &str, focused: bool| {
        let style = if focused {
            t.style(Role::Key)
        } else {
            t.style(Role::Muted)
        };
        Paragraph::new(Span::styled(format!("{text:<10}"), style))
    };
    let input_rect = |y: u16| Rect {
        x: inner.x + 10,
        width: inner.width.saturating_sub(10),
        ..row(inner, y)
    };
    frame.render_widget(label("Title", form.field == 0), row(inner, 0));
    field(app, frame, input_rect(0), &form.title, form.field == 0);
    frame.render_widget(label("Service", form.field == 1), row(inner, 1));
    field(app, frame, input_rect(1), &form.service, form.field == 1);
    frame.render_widget(label("Severity", form.field == 2), row(inner, 2));
    let mut spans = Vec::new();
    for s in Severity::ALL {
        let chosen = s == form.severity;
        let style = if chosen {
            t.style(super::incidents::severity_role(s))
                .patch(t.style(Role::Selection))
        } else {
            t.style(Role::Muted)
        };
        let text = if chosen {
            format!("[{s}]")
        } else {
            format!(" {s} ")
        };
        spans.push(Span::styled(text, style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), input_rect(2));
    let s = form.severity;
    frame.render_widget(
        Paragraph::new(muted_line(
            app,
            format!(
                "{s}: {} · respond within {} · escalate to {}",
                s.meaning(),
                crate::domain::format::coarse_duration(s.response_target()),
                s.escalation()
            ),
        ))
        .wrap(Wrap { trim: true }),
        Rect {
            height: 2,
            ..row(inner, 3)
        },
    );
    if let Some(err) = &form.error {
        frame.render_widget(
            Paragraph::new(Line::styled(err.clone(), t.style(Role::Error))),
            row(inner, 6),
        );
    }
    let help = if form.field == 2 {
        // The severity field's own keys (←/→, 1–4) are typed into it, like text.
        format!(
            "←/→ or 1-4 severity · {}",
            hint(
                app,
                Context::Prompt,
                &[
                    (Action::Accept, "declares"),
                    (Action::NextField, "fields"),
                    (Action::Cancel, "cancels"),
                ]
            )
        )
    } else {
        hint(
            app,
            Context::Prompt,
            &[
                (Action::Accept, "next field"),
                (Action::Save, "declares"),
                (Action::Cancel, "cancels"),
            ],
        )
    };
    frame.render_widget(
        Paragraph::new(Line::styled(help, t.style(Role::Key))),
        row(inner, inner.height.saturating_sub(1)),
    );
}
