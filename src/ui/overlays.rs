//! The overlays that read over everything: the key help (with the `:`
//! commands), the session's messages and the problems found in files.

use super::dialogs::{large_popup, popup, wrap_words};
use super::muted_line;
use crate::action::Action;
use crate::app::App;
use crate::app::scrolling::{Measured, Scroll};
use crate::keymap::{Context, seq_to_string};
use crate::theme::Role;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// What the help calls a layer's keys.
fn layer_title(ctx: Context) -> &'static str {
    match ctx {
        Context::Confirm => "a confirmation",
        Context::Prompt => "a prompt; other keys type",
        Context::Editor => "the note editor; other keys type",
        Context::Handover => "the handover",
        Context::Previous => "the previous handover",
        Context::Help => "the help",
        Context::Problems => "the problems list",
        Context::Messages => "the messages",
        _ => "this pane",
    }
}

pub(super) fn help(app: &App, frame: &mut Frame, area: Rect, m: &mut Measured) {
    let t = &app.theme;
    let ctx = app.active_context();
    let mut lines = Vec::new();
    // Descriptions wrap under themselves, clear of the keys' column (and
    // of the scrollbar).
    let popup_w = if area.width < 72 + 4 { area.width } else { 72 };
    let desc_w = (popup_w as usize).saturating_sub(2 + 1 + 14).max(10);
    let own = if ctx.is_layer() {
        format!("Keys here ({})", layer_title(ctx))
    } else {
        format!("{} pane", app.focus.label(&app.strings))
    };
    for (c, heading) in [
        (Context::Reading, "Reading this text".to_string()),
        (ctx, own),
        (Context::Global, "Everywhere".to_string()),
    ] {
        // A layer takes only its own keys: the global ones are not live there.
        if c == Context::Global && ctx.is_layer() {
            continue;
        }
        if c == Context::Reading && !app.help_over_reading() {
            continue;
        }
        lines.push(Line::styled(heading, t.style(Role::Header)));
        let mut any = false;
        for (keys, binding) in app.keymap.bindings(c) {
            any = true;
            let desc = binding
                .desc
                .clone()
                .unwrap_or_else(|| binding.action.describe().to_string());
            for (i, part) in wrap_words(&desc, desc_w).into_iter().enumerate() {
                let keys = if i == 0 {
                    seq_to_string(keys)
                } else {
                    String::new()
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("  {keys:<12}"), t.style(Role::Key)),
                    Span::raw(part),
                ]));
            }
        }
        if !any {
            lines.push(muted_line(app, "  (no keys of its own)"));
        }
        lines.push(Line::raw(""));
    }
    if !ctx.is_layer() {
        // The `:` commands, from the same table `tab` completes from.
        lines.push(Line::styled(
            "Commands (: then tab completes, up brings back the last)",
            t.style(Role::Header),
        ));
        for (name, args, what) in crate::app::command_line::COMMANDS {
            let head = if args.is_empty() {
                format!(":{name}")
            } else {
                format!(":{name} {args}")
            };
            lines.push(Line::from(vec![Span::styled(
                format!("  {head}"),
                t.style(Role::Key),
            )]));
            for part in wrap_words(what, desc_w + 10) {
                lines.push(Line::raw(format!("      {part}")));
            }
        }
        lines.push(Line::raw(""));
    }
    lines.push(muted_line(app, format!("keymap: {}", app.keymap.name)));
    let h = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let inner = popup(app, frame, area, popup_w, h, {
        let first = |a| {
            app.keymap
                .keys_for(Context::Help, a)
                .into_iter()
                .next()
                .unwrap_or_default()
        };
        format!(
            "Keys ({}/{} scroll, any other key closes)",
            first(Action::Up),
            first(Action::Down)
        )
    });
    super::scroll::text(app, frame, inner, lines, Scroll::Help, app.help_scroll, m);
}

/// `:messages`: everything said this session, oldest first, whole.
pub(super) fn messages(app: &App, frame: &mut Frame, area: Rect, m: &mut Measured) {
    let t = &app.theme;
    let tz = app.config.timezone;
    let mut lines = Vec::with_capacity(app.messages.len() + 1);
    if app.messages.is_empty() {
        lines.push(muted_line(app, "nothing said yet this session"));
    }
    for s in &app.messages {
        let role = match s.level {
            crate::app::Level::Info => Role::Text,
            crate::app::Level::Warning => Role::Warning,
            crate::app::Level::Error => Role::Error,
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{} ", s.at.with_timezone(&tz).format("%H:%M:%S")),
                t.style(Role::Muted),
            ),
            Span::styled(
                crate::domain::sanitize::line(&s.text).into_owned(),
                t.style(role),
            ),
        ]));
    }
    let n = app.messages.len();
    let inner = large_popup(
        app,
        frame,
        area,
        110,
        format!(
            "{} this session (the last {})",
            crate::domain::format::plural(n, "message", "messages"),
            crate::app::MESSAGES_KEPT
        ),
    );
    super::scroll::text(
        app,
        frame,
        inner,
        lines,
        Scroll::Messages,
        app.messages_scroll,
        m,
    );
}

pub(super) fn problems(app: &App, frame: &mut Frame, area: Rect, m: &mut Measured) {
    let t = &app.theme;
    let mut lines = vec![
        Line::styled(
            "shiftdeck runs on the defaults for what could not be used:",
            t.style(Role::Warning),
        ),
        Line::raw(""),
    ];
    for p in &app.problems {
        lines.push(Line::raw(format!("• {p}")));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "any key closes · :problems shows this again · shiftdeck check-config",
        t.style(Role::Key),
    ));
    let n = app.problems.len();
    let inner = large_popup(
        app,
        frame,
        area,
        96,
        format!(
            "{n} {} in your files",
            if n == 1 { "problem" } else { "problems" }
        ),
    );
    super::scroll::text(
        app,
        frame,
        inner,
        lines,
        Scroll::Problems,
        app.help_scroll,
        m,
    );
}
