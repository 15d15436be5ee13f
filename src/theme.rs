//! Themes: a `[palette]` of named colours and semantic `[roles]`. A theme may
//! `inherits = "other"`. The default theme uses only the 16 ANSI colours so it
//! follows the operator's terminal scheme over SSH; `mono` uses none at all
//! and carries meaning through bold, reverse and markers.

use crate::diagnostic::FileProblem;
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const BUNDLED: &[(&str, &str)] = &[
    ("default", include_str!("../themes/default.toml")),
    ("light", include_str!("../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../themes/mono.toml")),
];

macro_rules! roles {
    ($($variant:ident => $name:literal,)*) => {
        /// What a style means. Panes ask for a role, never a colour.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Role { $($variant,)* }
        impl Role {
            pub const ALL: &'static [Role] = &[$(Role::$variant,)*];
            pub fn name(self) -> &'static str { match self { $(Role::$variant => $name,)* } }
            pub fn from_name(s: &str) -> Option<Role> { match s { $($name => Some(Role::$variant),)* _ => None } }
        }
    };
}

roles! {
    Text => "text",
    Muted => "muted",
    Title => "title",
    Border => "border",
    FocusBorder => "focus.border",
    Selection => "selection",
    Header => "header",
    SeverityP1 => "severity.p1",
    SeverityP2 => "severity.p2",
    SeverityP3 => "severity.p3",
    SeverityP4 => "severity.p4",
    StatusOpen => "status.open",
    StatusAcknowledged => "status.acknowledged",
    StatusResolved => "status.resolved",
    Breached => "breached",
    CountdownOk => "countdown.ok",
    CountdownWarn => "countdown.warn",
    HealthUp => "health.up",
    HealthDegraded => "health.degraded",
    HealthDown => "health.down",
    HealthUnknown => "health.unknown",
    StatusBar => "statusbar",
    Badge => "badge",
    ReadOnly => "badge.readonly",
    TabActive => "tab.active",
    TabInactive => "tab.inactive",
    Key => "key",
    Error => "error",
    Warning => "warning",
    Ok => "ok",
}

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    styles: Vec<Style>,
    /// Draw meaning as glyphs too (`!` before P1, `>` on the selection):
    /// for monochrome terminals and `NO_COLOR`.
    pub markers: bool,
}

impl Theme {
    pub fn style(&self, role: Role) -> Style {
        self.styles[role as usize]
    }

    /// The built-in default, which always resolves (a test makes sure).
    pub fn default_theme() -> Theme {
        resolve("default", None, true).0
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    inherits: Option<Spanned<String>>,
    markers: Option<bool>,
    #[serde(default)]
    palette: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    roles: BTreeMap<Spanned<String>, Spanned<RawRole>>,
}

#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum RawRole {
    Fg(String),
    Full {
        fg: Option<String>,
        bg: Option<String>,
        #[serde(default)]
        bold: bool,
        #[serde(default)]
        dim: bool,
        #[serde(default)]
        italic: bool,
        #[serde(default)]
        underlined: bool,
        #[serde(default)]
        reversed: bool,
    },
}

struct Layer {
    path: PathBuf,
    source: String,
    raw: RawTheme,
}

fn find_source(name: &str, user_dir: Option<&Path>) -> Option<(PathBuf, String)> {
    if let Some(dir) = user_dir {
        let p = dir.join(format!("{name}.toml"));
        if let Ok(s) = std::fs::read_to_string(&p) {
            return Some((p, s));
        }
    }
    if let Some((n, s)) = BUNDLED.iter().find(|(n, _)| *n == name) {
        return Some((PathBuf::from(format!("themes/{n}.toml")), s.to_string()));
    }
    let p = Path::new(name);
    if (name.ends_with(".toml") || name.contains('/'))
        && let Ok(s) = std::fs::read_to_string(p)
    {
        return Some((p.to_path_buf(), s));
    }
    None
}

/// Resolve a theme by bundled name, user theme name (in `user_dir`) or file
/// path. `truecolor` says whether `#rrggbb` may reach the terminal; without
/// it such colours fall back to the nearest ANSI colour. Problems are
/// returned beside a usable theme (the default, for what could not be used).
pub fn resolve(
    choice: &str,
    user_dir: Option<&Path>,
    truecolor: bool,
) -> (Theme, Vec<FileProblem>) {
    let mut problems = Vec::new();
    let mut layers: Vec<Layer> = Vec::new();
    let mut next = Some(choice.to_string());
    while let Some(name) = next.take() {
        if layers.len() >= 8 {
            let l = &layers[layers.len() - 1];
            let at = l.raw.inherits.as_ref().map(|s| s.span().start).unwrap_or(0);
            problems.push(FileProblem::at(
                &l.path,
                &l.source,
                at,
                "inherits: chain longer than 8 themes (a loop?)",
            ));
            break;
        }
        let Some((path, source)) = find_source(&name, user_dir) else {
            let known: Vec<&str> = BUNDLED.iter().map(|(n, _)| *n).collect();
            let message = format!(
                "theme {name:?} not found (bundled: {}; or a path to a .toml file)",
                known.join(", ")
            );
            problems.push(match layers.last() {
                Some(l) => {
                    let at = l.raw.inherits.as_ref().map(|s| s.span().start).unwrap_or(0);
                    FileProblem::at(&l.path, &l.source, at, format!("inherits: {message}"))
                }
                None => FileProblem::new(&PathBuf::from(&name), None, message),
            });
            break;
        };
        match toml::from_str::<RawTheme>(&source) {
            Ok(raw) => {
                next = raw.inherits.as_ref().map(|s| s.get_ref().clone());
                layers.push(Layer { path, source, raw });
            }
            Err(e) => {
                problems.push(FileProblem::from_toml(&path, &source, &e));
                break;
            }
        }
    }
    // Anything that failed falls back to the default theme underneath.
    let found_choice = !layers.is_empty();
    if !problems.is_empty()
        && let Some((path, source)) = find_source("default", None)
        && let Ok(raw) = toml::from_str::<RawTheme>(&source)
        && layers.iter().all(|l| l.path != path)
    {
        layers.push(Layer { path, source, raw });
    }
    let mut palette: BTreeMap<String, (Color, usize)> = BTreeMap::new();
    let mut styles = vec![Style::default(); Role::ALL.len()];
    let mut markers = false;
    let name = if found_choice {
        choice.to_string()
    } else {
        "default".to_string()
    };
    // Palettes first (the child's names win), then roles, so a role
    // inherited from a parent takes the child's colour for the same name.
    for (depth, layer) in layers.iter().enumerate().rev() {
        if let Some(m) = layer.raw.markers {
            markers = m;
        }
        for (key, value) in &layer.raw.palette {
            match parse_color(value.get_ref(), truecolor) {
                Some(c) => {
                    palette.insert(key.clone(), (c, depth));
                }
                None => problems.push(FileProblem::at(
                    &layer.path,
                    &layer.source,
                    value.span().start,
                    format!("palette.{key}: {}", bad_colour(value.get_ref())),
                )),
            }
        }
    }
    for layer in layers.iter().rev() {
        for (role_name, spec) in &layer.raw.roles {
            let Some(role) = Role::from_name(role_name.get_ref()) else {
                problems.push(FileProblem::at(
                    &layer.path,
                    &layer.source,
                    role_name.span().start,
                    format!(
                        "unknown role {:?} (known: {})",
                        role_name.get_ref(),
                        Role::ALL
                            .iter()
                            .map(|r| r.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
                continue;
            };
            match role_style(spec.get_ref(), &palette, truecolor) {
                Ok(style) => styles[role as usize] = style,
                Err(msg) => problems.push(FileProblem::at(
                    &layer.path,
                    &layer.source,
                    spec.span().start,
                    format!("roles.{}: {msg}", role.name()),
                )),
            }
        }
    }
    (
        Theme {
            name,
            styles,
            markers,
        },
        problems,
    )
}

fn bad_colour(s: &str) -> String {
    format!(
        "bad colour {s:?} (use an ANSI name like \"red\" or \"light-blue\", \"#rrggbb\", \"idx:NNN\", or a palette name)"
    )
}

fn colour_ref(
    s: &str,
    palette: &BTreeMap<String, (Color, usize)>,
    truecolor: bool,
) -> Result<Color, String> {
    if let Some((c, _)) = palette.get(s) {
        return Ok(*c);
    }
    parse_color(s, truecolor).ok_or_else(|| bad_colour(s))
}

fn role_style(
    spec: &RawRole,
    palette: &BTreeMap<String, (Color, usize)>,
    truecolor: bool,
) -> Result<Style, String> {
    match spec {
        RawRole::Fg(fg) => Ok(Style::default().fg(colour_ref(fg, palette, truecolor)?)),
        RawRole::Full {
            fg,
            bg,
            bold,
            dim,
            italic,
            underlined,
            reversed,
        } => {
            let mut s = Style::default();
            if let Some(fg) = fg {
                s = s.fg(colour_ref(fg, palette, truecolor)?);
            }
            if let Some(bg) = bg {
                s = s.bg(colour_ref(bg, palette, truecolor)?);
            }
            for (on, m) in [
                (bold, Modifier::BOLD),
                (dim, Modifier::DIM),
                (italic, Modifier::ITALIC),
                (underlined, Modifier::UNDERLINED),
                (reversed, Modifier::REVERSED),
            ] {
                if *on {
                    s = s.add_modifier(m);
                }
            }
            Ok(s)
        }
    }
}

const ANSI: [(&str, Color, (u8, u8, u8)); 16] = [
    ("black", Color::Black, (0, 0, 0)),
    ("red", Color::Red, (205, 0, 0)),
    ("green", Color::Green, (0, 205, 0)),
    ("yellow", Color::Yellow, (205, 205, 0)),
    ("blue", Color::Blue, (0, 0, 238)),
    ("magenta", Color::Magenta, (205, 0, 205)),
    ("cyan", Color::Cyan, (0, 205, 205)),
    ("gray", Color::Gray, (229, 229, 229)),
    ("dark-gray", Color::DarkGray, (127, 127, 127)),
    ("light-red", Color::LightRed, (255, 0, 0)),
    ("light-green", Color::LightGreen, (0, 255, 0)),
    ("light-yellow", Color::LightYellow, (255, 255, 0)),
    ("light-blue", Color::LightBlue, (92, 92, 255)),
    ("light-magenta", Color::LightMagenta, (255, 0, 255)),
    ("light-cyan", Color::LightCyan, (0, 255, 255)),
    ("white", Color::White, (255, 255, 255)),
];

/// Parse a colour: ANSI names (`light-red`, `lightred`, `bright-red`),
/// `#rrggbb`, `idx:NNN`, `reset`.
pub fn parse_color(s: &str, truecolor: bool) -> Option<Color> {
    let norm = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
    let norm = norm.replace("bright-", "light-").replace("grey", "gray");
    let norm = match norm.as_str() {
        "lightred" => "light-red".to_string(),
        "lightgreen" => "light-green".to_string(),
        "lightyellow" => "light-yellow".to_string(),
        "lightblue" => "light-blue".to_string(),
        "lightmagenta" => "light-magenta".to_string(),
        "lightcyan" => "light-cyan".to_string(),
        "darkgray" => "dark-gray".to_string(),
        "light-black" => "dark-gray".to_string(),
        _ => norm,
    };
    if norm == "reset" || norm == "default" {
        return Some(Color::Reset);
    }
    if let Some((_, c, _)) = ANSI.iter().find(|(n, _, _)| *n == norm) {
        return Some(*c);
    }
    if let Some(n) = norm.strip_prefix("idx:") {
        return n.parse::<u8>().ok().map(Color::Indexed);
    }
    let hex = norm.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let v = u32::from_str_radix(hex, 16).ok()?;
    let (r, g, b) = ((v >> 16) as u8, (v >> 8) as u8, v as u8);
    if truecolor {
        Some(Color::Rgb(r, g, b))
    } else {
        Some(nearest_ansi(r, g, b))
    }
}

fn nearest_ansi(r: u8, g: u8, b: u8) -> Color {
    let d = |(x, y, z): (u8, u8, u8)| {
        let (dr, dg, db) = (
            x as i32 - r as i32,
            y as i32 - g as i32,
            z as i32 - b as i32,
        );
        dr * dr + dg * dg + db * db
    };
    ANSI.iter()
        .min_by_key(|(_, _, rgb)| d(*rgb))
        .map(|(_, c, _)| *c)
        .unwrap_or(Color::Reset)
}

/// Whether the terminal says it takes 24-bit colour.
pub fn truecolor_from_env() -> bool {
    std::env::var("COLORTERM").is_ok_and(|v| v == "truecolor" || v == "24bit")
}

/// Whether `NO_COLOR` is set to a non-empty value (no-color.org).
pub fn no_color_from_env() -> bool {
    std::env::var("NO_COLOR").is_ok_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests;
