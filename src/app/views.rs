//! Saved views (`[views]` in shiftdeck.toml): a filter kept under a name,
//! applied by `:view NAME` or by its key in its pane.

use super::{App, Level, Pane};
use crate::domain::query::SavedView;

impl App {
    /// `:view NAME` applies one; `:view` lists them.
    pub(super) fn view_command(&mut self, name: &str) {
        if name.is_empty() {
            let text = if self.config.views.is_empty() {
                "no saved views: add [views] to shiftdeck.toml (mine = \"status:ack owner:me\")"
                    .to_string()
            } else {
                let names: Vec<String> = self
                    .config
                    .views
                    .iter()
                    .map(|v| match v.key {
                        Some(k) => format!("{} ({k})", v.name),
                        None => v.name.clone(),
                    })
                    .collect();
                format!("views: {}", names.join(", "))
            };
            self.flash(Level::Info, text);
            return;
        }
        match self.config.views.iter().find(|v| v.name == name).cloned() {
            Some(v) => self.apply_view(&v),
            None => self.flash(Level::Error, format!("no view {name:?} (:view lists them)")),
        }
    }

    /// The view a key applies in the focused pane, if one is bound to it.
    pub(super) fn view_for_key(&self, c: char) -> Option<SavedView> {
        let pane = self.focus.name();
        self.config
            .views
            .iter()
            .find(|v| v.key == Some(c) && v.pane == pane)
            .cloned()
    }

    pub(super) fn apply_view(&mut self, v: &SavedView) {
        if let Some(pane) = Pane::ALL.iter().find(|p| p.name() == v.pane) {
            self.set_focus(*pane);
        }
        self.set_filter(v.query.clone());
        self.flash(Level::Info, format!("view {}: /{}", v.name, v.query));
    }
}
