//! Everything loaded at start-up from the user's files, with the problems
//! found in them. Shared by the TUI, the CLI and `check-config`.

use crate::config::{self, Config};
use crate::diagnostic::FileProblem;
use crate::keymap::{self, Keymap};
use crate::theme::{self, Theme};
use std::path::{Path, PathBuf};

pub struct Settings {
    pub config: Config,
    pub keymap: Keymap,
    pub theme: Theme,
    pub problems: Vec<FileProblem>,
}

/// Choices given on the command line, which win over the config file.
#[derive(Default, Clone)]
pub struct Overrides {
    pub theme: Option<String>,
    pub keymap: Option<String>,
}

/// The user's config directory (`~/.config/shiftdeck`), or
/// `SHIFTDECK_CONFIG_DIR` when set: it holds `keymap.toml` and `themes/`.
pub fn user_config_dir() -> Option<PathBuf> {
    if let Ok(d) = std::env::var("SHIFTDECK_CONFIG_DIR")
        && !d.is_empty()
    {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "shiftdeck").map(|d| d.config_dir().to_path_buf())
}

pub fn load(config_path: &Path, overrides: &Overrides) -> Settings {
    let (config, mut problems) = config::load(config_path);
    problems.extend(crate::secrets::use_file(config.env_file.clone()));
    let user_dir = user_config_dir();
    let keymap_choice = overrides
        .keymap
        .clone()
        .unwrap_or_else(|| config.keymap.clone());
    let user_keymap = user_dir.as_ref().map(|d| d.join("keymap.toml"));
    let (keymap, kp) = keymap::load(
        &keymap_choice,
        user_keymap.as_deref().filter(|p| p.is_file()),
    );
    problems.extend(kp);
    // NO_COLOR picks mono unless a theme was asked for on the command line.
    let theme_choice = match &overrides.theme {
        Some(t) => t.clone(),
        None if theme::no_color_from_env() => "mono".to_string(),
        None => config.theme.clone(),
    };
    let themes_dir = user_dir.as_ref().map(|d| d.join("themes"));
    let (theme, tp) = theme::resolve(
        &theme_choice,
        themes_dir.as_deref(),
        theme::truecolor_from_env(),
    );
    problems.extend(tp);
    Settings {
        config,
        keymap,
        theme,
        problems,
    }
}

/// The labels' language: `locale` in shiftdeck.toml, else the environment's
/// (`LC_ALL`, `LC_MESSAGES`, `LANG`), else English.
pub fn strings(config: &crate::config::Config) -> crate::domain::i18n::Strings {
    let from_env = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty());
    let name = config
        .locale
        .clone()
        .or(from_env)
        .unwrap_or_else(|| "en".into());
    crate::domain::i18n::Strings::for_locale(&name)
}
