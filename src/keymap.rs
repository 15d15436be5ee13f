//! Keymaps: one table per context, `key = "action"` or
//! `key = { action = "...", desc = "..." }`. The chosen keymap (bundled name
//! or file) is loaded, then the user's `keymap.toml` merges over it key by
//! key; `"noop"` unbinds. A bad entry is reported with file and line and
//! skipped; it never stops the app.

use crate::action::Action;
use crate::diagnostic::FileProblem;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use toml::Spanned;

pub const BUNDLED: &[(&str, &str)] = &[
    ("default", include_str!("../keymaps/default.toml")),
    ("vim", include_str!("../keymaps/vim.toml")),
];

/// Where a binding applies. Pane contexts are searched first, then global.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    Checklists,
    Incidents,
    Approvals,
    Health,
    Journal,
    /// A confirmation: yes or no.
    Confirm,
    /// A prompt or form with text fields (note, reason, filter, command line).
    Prompt,
    /// The journal's note editor.
    Editor,
    /// The handover being written.
    Handover,
    /// The previous shift's handover, to read and acknowledge.
    Previous,
    /// The escalation directory (`:contacts`).
    Contacts,
    /// The key help.
    Help,
    /// The problems found in files.
    Problems,
    /// The session's messages (`:messages`).
    Messages,
    /// Any text read whole (a detail, a popup, the help): searching it.
    /// Looked up before the layer's or pane's own keys.
    Reading,
}

impl Context {
    pub const ALL: [Context; 16] = [
        Context::Global,
        Context::Checklists,
        Context::Incidents,
        Context::Approvals,
        Context::Health,
        Context::Journal,
        Context::Confirm,
        Context::Prompt,
        Context::Editor,
        Context::Handover,
        Context::Previous,
        Context::Contacts,
        Context::Help,
        Context::Problems,
        Context::Messages,
        Context::Reading,
    ];

    /// A layer over the panes: its own keys only, never the global ones
    /// (`q` in a confirmation does not quit).
    pub fn is_layer(self) -> bool {
        !matches!(
            self,
            Context::Global
                | Context::Checklists
                | Context::Incidents
                | Context::Approvals
                | Context::Health
                | Context::Journal
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Checklists => "checklists",
            Context::Incidents => "incidents",
            Context::Approvals => "approvals",
            Context::Health => "health",
            Context::Journal => "journal",
            Context::Confirm => "confirm",
            Context::Prompt => "prompt",
            Context::Editor => "editor",
            Context::Handover => "handover",
            Context::Previous => "previous",
            Context::Contacts => "contacts",
            Context::Help => "help",
            Context::Problems => "problems",
            Context::Messages => "messages",
            Context::Reading => "reading",
        }
    }

    fn from_name(s: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == s)
    }
}

/// One key press, normalised: a character carries its own case, so SHIFT is
/// dropped from characters; shift-tab is BackTab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Chord {
    pub code: ChordCode,
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChordCode {
    Char(char),
    F(u8),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
}

impl Chord {
    pub fn from_event(ev: &KeyEvent) -> Option<Chord> {
        let m = ev.modifiers;
        let code = match ev.code {
            KeyCode::Char(' ') => ChordCode::Char(' '),
            KeyCode::Char(c) => ChordCode::Char(c),
            KeyCode::F(n) => ChordCode::F(n),
            KeyCode::Enter => ChordCode::Enter,
            KeyCode::Esc => ChordCode::Esc,
            KeyCode::Tab if m.contains(KeyModifiers::SHIFT) => ChordCode::BackTab,
            KeyCode::Tab => ChordCode::Tab,
            KeyCode::BackTab => ChordCode::BackTab,
            KeyCode::Backspace => ChordCode::Backspace,
            KeyCode::Delete => ChordCode::Delete,
            KeyCode::Insert => ChordCode::Insert,
            KeyCode::Up => ChordCode::Up,
            KeyCode::Down => ChordCode::Down,
            KeyCode::Left => ChordCode::Left,
            KeyCode::Right => ChordCode::Right,
            KeyCode::Home => ChordCode::Home,
            KeyCode::End => ChordCode::End,
            KeyCode::PageUp => ChordCode::PageUp,
            KeyCode::PageDown => ChordCode::PageDown,
            _ => return None,
        };
        let shift_meaningful = !matches!(code, ChordCode::Char(_) | ChordCode::BackTab);
        let mut chord = Chord {
            code,
            ctrl: m.contains(KeyModifiers::CONTROL),
            alt: m.contains(KeyModifiers::ALT),
            shift: shift_meaningful && m.contains(KeyModifiers::SHIFT),
        };
        // Terminals report ctrl-a as Char('a') + CONTROL; keep letters lower case under ctrl.
        if chord.ctrl
            && let ChordCode::Char(c) = chord.code
        {
            chord.code = ChordCode::Char(c.to_ascii_lowercase());
        }
        Some(chord)
    }

    /// Parse `ctrl-a`, `shift-tab`, `alt-enter`, `G`, `?`, `space`, `f5`.
    pub fn parse(s: &str) -> Result<Chord, String> {
        let mut chord = Chord {
            code: ChordCode::Enter,
            ctrl: false,
            alt: false,
            shift: false,
        };
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.len() > 1 && (lower.starts_with("ctrl-") || lower.starts_with("c-")) {
                chord.ctrl = true;
                rest = &rest[rest.find('-').unwrap_or(0) + 1..];
            } else if rest.len() > 1 && (lower.starts_with("alt-") || lower.starts_with("m-")) {
                chord.alt = true;
                rest = &rest[rest.find('-').unwrap_or(0) + 1..];
            } else if rest.len() > 1 && lower.starts_with("shift-") {
                chord.shift = true;
                rest = &rest[6..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => ChordCode::Char(if chord.ctrl {
                c.to_ascii_lowercase()
            } else {
                c
            }),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" | "cr" => ChordCode::Enter,
                "esc" | "escape" => ChordCode::Esc,
                "tab" if chord.shift => ChordCode::BackTab,
                "tab" => ChordCode::Tab,
                "backtab" => ChordCode::BackTab,
                "space" => ChordCode::Char(' '),
                "backspace" | "bs" => ChordCode::Backspace,
                "delete" | "del" => ChordCode::Delete,
                "insert" | "ins" => ChordCode::Insert,
                "up" => ChordCode::Up,
                "down" => ChordCode::Down,
                "left" => ChordCode::Left,
                "right" => ChordCode::Right,
                "home" => ChordCode::Home,
                "end" => ChordCode::End,
                "pageup" | "pgup" => ChordCode::PageUp,
                "pagedown" | "pgdn" => ChordCode::PageDown,
                "minus" => ChordCode::Char('-'),
                f if f.starts_with('f')
                    && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
                {
                    ChordCode::F(f[1..].parse().unwrap_or(1))
                }
                "" => return Err("empty key".into()),
                other => return Err(format!("unknown key name {other:?}")),
            },
        };
        chord.code = code;
        if matches!(code, ChordCode::Char(_) | ChordCode::BackTab) {
            chord.shift = false;
        }
        Ok(chord)
    }
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        if self.shift {
            f.write_str("shift-")?;
        }
        match self.code {
            ChordCode::Char(' ') => f.write_str("space"),
            ChordCode::Char(c) => write!(f, "{c}"),
            ChordCode::F(n) => write!(f, "f{n}"),
            ChordCode::Enter => f.write_str("enter"),
            ChordCode::Esc => f.write_str("esc"),
            ChordCode::Tab => f.write_str("tab"),
            ChordCode::BackTab => f.write_str("shift-tab"),
            ChordCode::Backspace => f.write_str("backspace"),
            ChordCode::Delete => f.write_str("delete"),
            ChordCode::Insert => f.write_str("insert"),
            ChordCode::Up => f.write_str("up"),
            ChordCode::Down => f.write_str("down"),
            ChordCode::Left => f.write_str("left"),
            ChordCode::Right => f.write_str("right"),
            ChordCode::Home => f.write_str("home"),
            ChordCode::End => f.write_str("end"),
            ChordCode::PageUp => f.write_str("pageup"),
            ChordCode::PageDown => f.write_str("pagedown"),
        }
    }
}

pub type KeySeq = Vec<Chord>;

pub fn parse_seq(s: &str) -> Result<KeySeq, String> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    if parts.is_empty() {
        // A lone space written literally.
        return if s == " " {
            Ok(vec![Chord::parse("space")?])
        } else {
            Err("empty key".into())
        };
    }
    parts.into_iter().map(Chord::parse).collect()
}

pub fn seq_to_string(seq: &[Chord]) -> String {
    seq.iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub action: Action,
    pub desc: Option<String>,
}

/// The merged keymap.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keymap {
    pub name: String,
    bindings: BTreeMap<Context, BTreeMap<KeySeq, Binding>>,
}

/// What a key sequence typed so far resolves to.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Action(Action),
    /// A longer binding starts with these keys: wait for the next one.
    Pending,
    None,
}

type RawFile = BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<toml::Value>>>;

/// `"action"` or `{ action = "...", desc = "..." }`.
fn read_binding(v: &toml::Value) -> Result<(String, Option<String>), String> {
    match v {
        toml::Value::String(s) => Ok((s.clone(), None)),
        toml::Value::Table(t) => {
            let action = t
                .get("action")
                .and_then(|a| a.as_str())
                .ok_or("a table binding needs action = \"...\"")?;
            let desc = match t.get("desc") {
                None => None,
                Some(toml::Value::String(d)) => Some(d.clone()),
                Some(_) => return Err("desc must be a string".into()),
            };
            if let Some(k) = t.keys().find(|k| *k != "action" && *k != "desc") {
                return Err(format!("unknown field `{k}` (expected action, desc)"));
            }
            Ok((action.to_string(), desc))
        }
        other => Err(format!(
            "expected an action name or {{ action, desc }}, found a {}",
            other.type_str()
        )),
    }
}

impl Keymap {
    pub fn bundled(name: &str) -> Option<&'static str> {
        BUNDLED.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
    }

    /// The default keymap, which always parses (a test makes sure).
    pub fn default_keymap() -> Keymap {
        let mut km = Keymap {
            name: "default".into(),
            ..Keymap::default()
        };
        let _ = km.merge_source(Path::new("keymaps/default.toml"), BUNDLED[0].1);
        km
    }

    /// Merge a keymap file's entries over this one. Returns the problems;
    /// the good entries are applied regardless.
    pub fn merge_source(&mut self, path: &Path, source: &str) -> Vec<FileProblem> {
        let raw: RawFile = match toml::from_str(source) {
            Ok(r) => r,
            Err(e) => return vec![FileProblem::from_toml(path, source, &e)],
        };
        let mut problems = Vec::new();
        for (ctx_name, table) in raw {
            let Some(ctx) = Context::from_name(ctx_name.get_ref()) else {
                problems.push(FileProblem::at(
                    path,
                    source,
                    ctx_name.span().start,
                    format!(
                        "unknown context [{}] (expected one of: {})",
                        ctx_name.get_ref(),
                        Context::ALL.map(|c| c.name()).join(", ")
                    ),
                ));
                continue;
            };
            for (key, binding) in table {
                let seq = match parse_seq(key.get_ref()) {
                    Ok(s) => s,
                    Err(e) => {
                        problems.push(FileProblem::at(
                            path,
                            source,
                            key.span().start,
                            format!("[{}] {:?}: {e}", ctx.name(), key.get_ref()),
                        ));
                        continue;
                    }
                };
                let (name, desc) = match read_binding(binding.get_ref()) {
                    Ok(x) => x,
                    Err(e) => {
                        problems.push(FileProblem::at(
                            path,
                            source,
                            binding.span().start,
                            format!("[{}] {:?}: {e}", ctx.name(), key.get_ref()),
                        ));
                        continue;
                    }
                };
                let Some(action) = Action::from_name(&name) else {
                    problems.push(FileProblem::at(
                        path,
                        source,
                        binding.span().start,
                        format!("[{}] {:?}: unknown action {name:?} (see `shiftdeck --help` keymap section or keymaps/default.toml)", ctx.name(), key.get_ref()),
                    ));
                    continue;
                };
                let map = self.bindings.entry(ctx).or_default();
                if action == Action::Noop {
                    map.remove(&seq);
                } else {
                    map.insert(seq, Binding { action, desc });
                }
            }
        }
        problems
    }

    /// Resolve keys typed so far in a context (falling back to global).
    pub fn lookup(&self, ctx: Context, typed: &[Chord]) -> Lookup {
        let mut pending = false;
        for c in self.searched(ctx) {
            if let Some(map) = self.bindings.get(&c) {
                if let Some(b) = map.get(typed) {
                    return Lookup::Action(b.action);
                }
                if map
                    .range(typed.to_vec()..)
                    .next()
                    .is_some_and(|(k, _)| k.len() > typed.len() && k.starts_with(typed))
                {
                    pending = true;
                }
            }
        }
        if pending {
            Lookup::Pending
        } else {
            Lookup::None
        }
    }

    /// The contexts a key is looked up in: a pane's own, then global; a
    /// layer's own only.
    fn searched(&self, ctx: Context) -> Vec<Context> {
        if ctx.is_layer() || ctx == Context::Global {
            vec![ctx]
        } else {
            vec![ctx, Context::Global]
        }
    }

    /// Bindings of one context, for the help overlay.
    pub fn bindings(&self, ctx: Context) -> impl Iterator<Item = (&KeySeq, &Binding)> {
        self.bindings.get(&ctx).into_iter().flat_map(|m| m.iter())
    }

    /// Every key bound to an action where `ctx` looks, for hints such as
    /// "y confirms": the one the keymap describes first, then the
    /// simplest (unmodified, lower case).
    pub fn keys_for(&self, ctx: Context, action: Action) -> Vec<String> {
        let mut keys: Vec<(&KeySeq, &Binding)> = Vec::new();
        for c in self.searched(ctx) {
            keys.extend(self.bindings(c).filter(|(_, b)| b.action == action));
        }
        // The binding the keymap describes comes first; then the simplest.
        keys.sort_by_key(|(k, b)| {
            let first = k.first();
            let modified = first.is_some_and(|c| c.ctrl || c.alt || c.shift);
            let upper =
                first.is_some_and(|c| matches!(c.code, ChordCode::Char(ch) if ch.is_uppercase()));
            (b.desc.is_none(), k.len(), modified, upper)
        });
        let mut out: Vec<String> = keys.into_iter().map(|(k, _)| seq_to_string(k)).collect();
        out.dedup();
        out
    }

    /// The first key bound to an action in a context or global, for hints.
    pub fn key_for(&self, ctx: Context, action: Action) -> Option<String> {
        // The simplest of the keys the context looks in (q before ctrl-c).
        self.keys_for(ctx, action).into_iter().next()
    }
}

/// Load a keymap by bundled name or file path, then merge the user's
/// overrides. Any problem leaves the defaults in force for that part.
pub fn load(choice: &str, user_file: Option<&Path>) -> (Keymap, Vec<FileProblem>) {
    let mut problems = Vec::new();
    let mut km = Keymap::default_keymap();
    if choice != "default" {
        if let Some(src) = Keymap::bundled(choice) {
            problems.extend(km.merge_source(Path::new(&format!("keymaps/{choice}.toml")), src));
            km.name = choice.to_string();
        } else {
            let path = Path::new(choice);
            match std::fs::read_to_string(path) {
                Ok(src) => {
                    problems.extend(km.merge_source(path, &src));
                    km.name = path.display().to_string();
                }
                Err(e) => problems.push(FileProblem::new(
                    path,
                    None,
                    format!(
                        "keymap: not a bundled keymap ({}) and cannot read it as a file: {e}",
                        BUNDLED
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
            }
        }
    }
    if let Some(user) = user_file
        && let Ok(src) = std::fs::read_to_string(user)
    {
        problems.extend(km.merge_source(user, &src));
    }
    (km, problems)
}

#[cfg(test)]
mod tests;
