//! The Journal pane (this shift's entries and the note editor), the
//! handover being written, and the previous shift's handover.

use super::dialogs::large_popup;
use super::hint;
use super::muted_line;
use crate::action::Action;
use crate::app::App;
use crate::app::scrolling::{Measured, Scroll};
use crate::domain::journal::{EntryKind, JournalEntry};
use crate::keymap::Context;
use crate::theme::Role;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Words of a note with tags and incident ids picked out.
fn note_spans<'a>(app: &App, text: &'a str) -> Vec<Span<'a>> {
    let t = &app.theme;
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, word) in text.split_inclusive(' ').scan(0usize, |pos, w| {
        let at = *pos;
        *pos += w.len();
        Some((at, w))
    }) {
        let core = word.trim_end().trim_end_matches([',', '.', ';', ':', ')']);
        let special = (core.starts_with('#') && core.len() > 1)
            || crate::domain::incident::is_incident_id(core.trim_start_matches('('));
        if special {
            if start < i {
                spans.push(Span::raw(&text[start..i]));
            }
            spans.push(Span::styled(&text[i..i + word.len()], t.style(Role::Key)));
            start = i + word.len();
        }
    }
    if start < text.len() {
        spans.push(Span::raw(&text[start..]));
    }
    spans
}

fn entry_line<'a>(app: &App, e: &'a JournalEntry) -> Line<'a> {
    let t = &app.theme;
    let time =
        e.at.with_timezone(&app.config.timezone)
            .format("%H:%M ")
            .to_string();
    let kind_style = match e.kind {
        EntryKind::Note => t.style(Role::Key),
        EntryKind::Incident => t.style(Role::Warning),
        EntryKind::HandoverPublished | EntryKind::HandoverAcknowledged => t.style(Role::Ok),
        _ => t.style(Role::Muted),
    };
    let mut spans = vec![
        Span::styled(time, t.style(Role::Muted)),
        Span::styled(format!("{:<9} ", e.kind.label()), kind_style),
    ];
    if e.operator != app.config.operator {
        spans.push(Span::styled(
            format!("{}: ", e.operator),
            t.style(Role::Muted),
        ));
    }
    match e.kind {
        EntryKind::Note => {
            let text = e.field("text").unwrap_or("");
            let first = text.lines().next().unwrap_or("");
            spans.extend(note_spans(app, first));
            let more = text.lines().count();
            if more > 1 {
                spans.push(Span::styled(
                    format!(" (+{} lines)", more - 1),
                    t.style(Role::Muted),
                ));
            }
        }
        _ => spans.push(Span::raw(e.summary())),
    }
    Line::from(spans)
}

/// One entry, whole: when, who, what, every line of its text and its fields.
fn entry_whole<'a>(app: &App, e: &'a JournalEntry, i: usize, len: usize) -> Vec<Line<'a>> {
    let t = &app.theme;
    // As wide as the longest field's name, and a space: `integration` too.
    let w = e.fields.keys().map(|k| k.len()).max().unwrap_or(0).max(9) + 1;
    let label = move |s: &str| Span::styled(format!("{s:<w$}"), t.style(Role::Muted));
    let tz = app.config.timezone;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{} ", e.kind.label()), t.style(Role::Title)),
            Span::styled(
                format!(
                    "entry {}/{len} · {}",
                    i + 1,
                    hint(app, Context::Journal, &[(Action::Back, "back to the list")])
                ),
                t.style(Role::Muted),
            ),
        ]),
        Line::from(vec![
            label("at"),
            Span::raw(
                e.at.with_timezone(&tz)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string(),
            ),
        ]),
        Line::from(vec![label("by"), Span::raw(e.operator.as_str())]),
    ];
    if e.kind == EntryKind::Note {
        let tags: Vec<&str> = e
            .fields
            .get("tags")
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|t| t.as_str()).collect())
            .unwrap_or_default();
        if !tags.is_empty() {
            lines.push(Line::from(vec![
                label("tags"),
                Span::styled(tags.join(" "), t.style(Role::Key)),
            ]));
        }
        lines.push(Line::raw(""));
        for l in e.field("text").unwrap_or("").lines() {
            lines.push(Line::from(note_spans(app, l)));
        }
        return lines;
    }
    lines.push(Line::from(vec![label("what"), Span::raw(e.summary())]));
    for (k, v) in &e.fields {
        let text = match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => continue,
            other => other.to_string(),
        };
        if text.is_empty() {
            continue;
        }
        // Text from outside (a command's output, a vendor's answer) is
        // cleaned of terminal controls before it is drawn.
        let text = crate::domain::sanitize::text(&text).into_owned();
        for (n, l) in text.lines().enumerate() {
            lines.push(Line::from(vec![
                label(if n == 0 { k.as_str() } else { "" }),
                Span::raw(l.to_string()),
            ]));
        }
    }
    lines
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, m: &mut Measured) {
    let t = &app.theme;
    let j = &app.journal;
    // While writing, the editor is a large layer of its own (drawn over
    // the panes); a draft left behind shows at the pane's foot.
    let show_editor = !j.editing && j.has_draft() && !app.readonly;
    let editor_h = if show_editor {
        (area.height / 2).clamp(3, 10)
    } else {
        0
    };
    let [list, editor] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(editor_h)]).areas(area);

    if let Some((id, entries)) = &j.browsing {
        // An earlier shift's journal, read in the pane's place.
        let back = app.key_name(Context::Journal, Action::Back);
        let mut lines = vec![
            Line::styled(
                format!("shift {id} · read only · {back} back to this shift"),
                t.style(Role::Title),
            ),
            Line::raw(""),
        ];
        if entries.is_empty() {
            lines.push(muted_line(app, "no entries in that shift's journal"));
        }
        for e in entries {
            lines.push(entry_line(app, e));
            for more in e.field("text").unwrap_or("").lines().skip(1) {
                lines.push(Line::raw(format!(
                    "      {}",
                    crate::domain::sanitize::line(more)
                )));
            }
        }
        let at = j.browsing_scroll;
        super::scroll::text(app, frame, area, lines, Scroll::ShiftJournal, at, m);
        return;
    }
    let mut lines: Vec<Line> = Vec::new();
    match &j.shift {
        Some(s) => {
            let hm = |at: chrono::DateTime<chrono::Utc>| {
                at.with_timezone(&app.config.timezone)
                    .format("%H:%M")
                    .to_string()
            };
            let state = match s.ended {
                Some(end) => format!("{}–{}, ended", hm(s.started), hm(end)),
                None if s.resumed => format!("resumed, started {}", hm(s.started)),
                None => format!("started {}", hm(s.started)),
            };
            lines.push(muted_line(app, format!("shift {} · {state}", s.id)));
        }
        None if app.readonly => lines.push(muted_line(app, "read-only: no shift is started")),
        None => lines.push(muted_line(app, "opening the shift journal…")),
    }
    if let Some(p) = &j.previous
        && !p.acknowledged
    {
        lines.push(Line::styled(
            format!("handover from {} not acknowledged yet: :previous", p.from),
            t.style(Role::Warning),
        ));
    }
    for u in &j.unsaved {
        lines.push(Line::styled(
            format!(
                "UNSAVED {} — {}",
                u.text.lines().next().unwrap_or(""),
                u.why
            ),
            t.style(Role::Error),
        ));
    }
    if let Some(i) = j.reading
        && let Some(e) = j.entries.get(i)
    {
        let at = j.reading_scroll;
        let whole = entry_whole(app, e, i, j.entries.len());
        let [head, body] =
            Layout::vertical([Constraint::Length(lines.len() as u16), Constraint::Min(1)])
                .areas(list);
        frame.render_widget(Paragraph::new(lines), head);
        super::scroll::text(app, frame, body, whole, Scroll::JournalEntry, at, m);
        return;
    }
    let header = lines.len();
    let room = (list.height as usize).saturating_sub(header);
    let (start, end) = j.window(room);
    let selected = j.selected_index();
    let focused = app.focus == crate::app::Pane::Journal;
    for pos in start..end {
        let Some(e) = j.entry_at(pos).and_then(|i| j.entries.get(i)) else {
            continue;
        };
        let mut line = entry_line(app, e);
        if focused && selected == Some(pos) {
            line = line.patch_style(t.style(Role::Selection));
        }
        lines.push(line);
    }
    if j.visible.is_some() && j.is_empty() {
        lines.push(muted_line(
            app,
            format!(
                "no entry matches /{} ({} clears the filter)",
                j.filter,
                app.key_name(crate::keymap::Context::Journal, crate::app::Action::Back)
            ),
        ));
    } else if j.entries.len() <= 1 && room > 2 {
        let key = app
            .keymap
            .key_for(app.focus.context(), crate::app::Action::WriteNote)
            .unwrap_or_else(|| ":note".into());
        lines.push(muted_line(
            app,
            format!("{key} writes a note; every incident action lands here by itself"),
        ));
    }
    frame.render_widget(Paragraph::new(lines), list);

    if show_editor && editor.height > 0 {
        let title = format!(
            " draft (kept on disk) · {} ",
            hint(app, Context::Journal, &[(Action::WriteNote, "goes on")])
        );
        let block = Block::default()
            .borders(Borders::TOP)
            .border_style(t.style(Role::Border))
            .title(title);
        let inner = block.inner(editor);
        frame.render_widget(block, editor);
        let mut ta = j.editor.clone();
        ta.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        ta.set_cursor_line_style(Style::default());
        ta.set_cursor_style(Style::default());
        frame.render_widget(&ta, inner);
    }
}

/// The note editor, large over the panes: a note reads whole as it is
/// written (soft-wrapped at words).
pub fn editor_popup(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let j = &app.journal;
    let title = format!(
        "Note · {}",
        hint(
            app,
            Context::Editor,
            &[
                (Action::Save, "saves"),
                (Action::ExternalEditor, "opens $EDITOR"),
                (Action::Cancel, "leaves (draft kept)")
            ],
        )
    );
    let inner = super::dialogs::large_popup(app, frame, area, 100, title);
    let mut ta = j.editor.clone();
    ta.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
    ta.set_cursor_line_style(Style::default());
    ta.set_cursor_style(t.style(Role::Selection));
    frame.render_widget(&ta, inner);
}

pub fn handover(app: &App, frame: &mut Frame, area: Rect, m: &mut Measured) {
    let t = &app.theme;
    let Some(view) = &app.journal.handover else {
        return;
    };
    let inner = large_popup(
        app,
        frame,
        area,
        110,
        format!(
            "Handover · {}",
            hint(
                app,
                Context::Handover,
                &[
                    (Action::EditSummary, "switches summary/preview"),
                    (Action::Publish, "publishes"),
                    (Action::Cancel, "closes"),
                ],
            )
        ),
    );
    let [label, summary, preview] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(4),
        Constraint::Min(1),
    ])
    .areas(inner);
    let head = if view.hold {
        Span::styled(" HOLD ", t.style(Role::Error))
    } else {
        Span::styled(" GREEN ", t.style(Role::Ok))
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            head,
            Span::styled(" Summary for the next operator:", t.style(Role::Muted)),
        ])),
        label,
    );
    super::dialogs::field(app, frame, summary, &view.summary, view.editing_summary);
    let lines: Vec<Line> = view
        .markdown
        .lines()
        .map(|l| super::markdown::line(app, l))
        .collect();
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(t.style(if view.editing_summary {
            Role::Border
        } else {
            Role::FocusBorder
        }))
        .title(" preview ");
    let body = block.inner(preview);
    frame.render_widget(block, preview);
    super::scroll::text(app, frame, body, lines, Scroll::Handover, view.scroll, m);
}

pub fn previous(app: &App, frame: &mut Frame, area: Rect, m: &mut Measured) {
    let Some(p) = &app.journal.previous else {
        return;
    };
    let inner = large_popup(
        app,
        frame,
        area,
        110,
        format!(
            "Handover from {} · {}",
            p.from,
            hint(
                app,
                Context::Previous,
                &[
                    (Action::AcknowledgeHandover, "acknowledges"),
                    (Action::Cancel, "later"),
                ],
            )
        ),
    );
    let lines: Vec<Line> = p
        .markdown
        .lines()
        .map(|l| super::markdown::line(app, l))
        .collect();
    let at = app.journal.previous_scroll;
    super::scroll::text(app, frame, inner, lines, Scroll::Previous, at, m);
}
