//! Who to call, on screen: the `:contacts` popup and the status update form.

use super::dialogs::{field, popup, row};
use super::{hint, muted_line};
use crate::action::Action;
use crate::app::scrolling::{Measured, Scroll};
use crate::app::{App, AskForm, UpdateForm};
use crate::keymap::Context;
use crate::theme::Role;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// `:contacts`: who is on call, then the escalation directory.
pub(super) fn contacts(app: &App, frame: &mut Frame, area: Rect, m: &mut Measured) {
    let t = &app.theme;
    let lines: Vec<Line> = app
        .contact_lines()
        .into_iter()
        .map(|l| {
            if l.starts_with(' ') {
                Line::raw(l)
            } else {
                Line::styled(l, t.style(Role::Header))
            }
        })
        .collect();
    let inner = popup(
        app,
        frame,
        area,
        110,
        area.height.saturating_sub(2),
        "Who to call".into(),
    );
    let body = Rect {
        height: inner.height.saturating_sub(1),
        ..inner
    };
    let at = app.calls.contacts_scroll;
    super::scroll::text(app, frame, body, lines, Scroll::Contacts, at, m);
    let keys = hint(
        app,
        Context::Contacts,
        &[(Action::Down, "scrolls"), (Action::Close, "closes")],
    );
    frame.render_widget(
        Paragraph::new(Line::styled(keys, t.style(Role::Key))),
        Rect {
            y: inner.y + inner.height.saturating_sub(1),
            height: 1,
            ..inner
        },
    );
}

/// The one-line status update: action and ETA, with the line as it will
/// be posted.
pub(super) fn update_form(app: &App, form: &UpdateForm, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let inner = popup(
        app,
        frame,
        area,
        90,
        10,
        format!(
            "Status update for {} to the operations channel",
            form.incident.id
        ),
    );
    let label = |text: &str, focused: bool| {
        let style = if focused {
            t.style(Role::Key)
        } else {
            t.style(Role::Muted)
        };
        Paragraph::new(Span::styled(format!("{text:<8}"), style))
    };
    let input = |y: u16| Rect {
        x: inner.x + 8,
        width: inner.width.saturating_sub(8),
        ..row(inner, y)
    };
    frame.render_widget(label("Action", form.field == 0), row(inner, 0));
    field(app, frame, input(0), &form.action, form.field == 0);
    frame.render_widget(label("ETA", form.field == 1), row(inner, 1));
    field(app, frame, input(1), &form.eta, form.field == 1);
    frame.render_widget(
        Paragraph::new(muted_line(
            app,
            "posts, as the runbook asks (no guess at the cause):".to_string(),
        )),
        row(inner, 3),
    );
    frame.render_widget(
        Paragraph::new(Line::raw(form.preview())).wrap(Wrap { trim: true }),
        Rect {
            height: 2,
            ..row(inner, 4)
        },
    );
    if let Some(err) = &form.error {
        frame.render_widget(
            Paragraph::new(Line::styled(err.clone(), t.style(Role::Error))),
            row(inner, 6),
        );
    }
    let keys = hint(
        app,
        Context::Prompt,
        &[
            (Action::NextField, "next field"),
            (Action::Save, "posts"),
            (Action::Cancel, "cancels"),
        ],
    );
    frame.render_widget(
        Paragraph::new(Line::styled(keys, t.style(Role::Key))),
        row(inner, 7),
    );
}

/// The form an action at a vendor needs: how long (or to whom) and the
/// words that go with it.
pub(super) fn ask_form(app: &App, form: &AskForm, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let what = if form.ids.len() == 1 {
        form.ids[0].clone()
    } else {
        format!("{} marked incidents", form.ids.len())
    };
    let verb = crate::app::inbox_verb(form.action, form.vendor);
    let inner = popup(app, frame, area, 76, 9, format!("{verb} {what}"));
    let label = |text: &str, focused: bool| {
        let style = if focused {
            t.style(Role::Key)
        } else {
            t.style(Role::Muted)
        };
        Paragraph::new(Span::styled(format!("{text:<9}"), style))
    };
    let input = |y: u16| Rect {
        x: inner.x + 9,
        width: inner.width.saturating_sub(9),
        ..row(inner, y)
    };
    frame.render_widget(label(form.value_label(), form.field == 0), row(inner, 0));
    field(app, frame, input(0), &form.value, form.field == 0);
    frame.render_widget(
        Paragraph::new(muted_line(app, format!("         {}", form.value_hint()))),
        row(inner, 1),
    );
    frame.render_widget(label(form.words_label(), form.field == 1), row(inner, 2));
    field(app, frame, input(2), &form.words, form.field == 1);
    if let Some(err) = &form.error {
        frame.render_widget(
            Paragraph::new(Line::styled(err.clone(), t.style(Role::Error)))
                .wrap(Wrap { trim: true }),
            Rect {
                height: 2,
                ..row(inner, 4)
            },
        );
    }
    let keys = hint(
        app,
        Context::Prompt,
        &[
            (Action::NextField, "next field"),
            (Action::Save, "asks to confirm"),
            (Action::Cancel, "cancels"),
        ],
    );
    frame.render_widget(
        Paragraph::new(Line::styled(keys, t.style(Role::Key))),
        row(inner, inner.height.saturating_sub(1)),
    );
}
