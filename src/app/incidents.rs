//! The Incidents pane's own state: selection, scrolling, filter, detail.

use crate::domain::IncidentBook;

#[derive(Debug, Clone, Default)]
pub struct IncidentsPane {
    /// Book indices in display order (filtered), rebuilt only when the book
    /// or the filter changes, so a frame never sorts.
    pub visible: Vec<usize>,
    pub selected: usize,
    /// First visible row.
    pub offset: usize,
    pub filter: String,
    pub query: crate::domain::query::Query,
    /// `>`/`<`: a column to sort by, else the book's order.
    pub sort: Option<super::sorting::Sort>,
    /// The moment the list was last found (its RESPOND column is matched
    /// as shown then).
    pub now: chrono::DateTime<chrono::Utc>,
    pub show_resolved: bool,
    /// The incident whose detail is open.
    pub detail: Option<String>,
    pub detail_scroll: u16,
    /// Rows the list has on screen, known from the layout.
    pub viewport: usize,
    /// Rows marked for a bulk action, by incident id.
    pub marked: std::collections::BTreeSet<String>,
    /// Every incident's evidence, as `incidents/artifacts.jsonl` lists it.
    pub evidence: Vec<crate::domain::evidence::Artifact>,
    /// The declare form as esc left it, for the next `n`.
    pub declare_draft: Option<Box<crate::app::IncidentForm>>,
    /// An evidence file open in the detail: its title and text.
    pub viewing: Option<(String, String)>,
}

impl IncidentsPane {
    pub fn selected_id<'a>(&self, book: &'a IncidentBook) -> Option<&'a str> {
        self.visible
            .get(self.selected)
            .and_then(|&i| book.all().get(i))
            .map(|inc| inc.id.as_str())
    }

    /// Rebuild the visible list, keeping the same incident selected. Only
    /// for a book that grew at its end: after a change that moved incidents
    /// (a source's new list), use [`IncidentsPane::refresh_keeping`] with the
    /// id taken before the change.
    pub fn refresh(&mut self, book: &IncidentBook) {
        let keep = self.selected_id(book).map(str::to_string);
        self.refresh_keeping(book, keep);
    }

    /// Rebuild the visible list and select `keep` if it is still there.
    pub fn refresh_keeping(&mut self, book: &IncidentBook, keep: Option<String>) {
        self.visible = book.sorted_indices(&self.query, self.now, self.show_resolved);
        if let Some(s) = self.sort {
            let now = self.now;
            self.visible.sort_by(|&a, &b| {
                super::sorting::incidents(book.by_index(a), book.by_index(b), s, now)
            });
        }
        if let Some(id) = keep
            && let Some(pos) = self.visible.iter().position(|&i| book.by_index(i).id == id)
        {
            self.selected = pos;
        }
        self.clamp();
    }

    pub fn select_id(&mut self, book: &IncidentBook, id: &str) {
        if let Some(pos) = self.visible.iter().position(|&i| book.by_index(i).id == id) {
            self.selected = pos;
            self.clamp();
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        (self.selected, self.offset) = super::move_selection(
            self.selected,
            self.offset,
            self.viewport,
            self.visible.len(),
            delta,
        );
    }

    pub fn set_viewport(&mut self, rows: usize) {
        self.viewport = rows;
        self.clamp();
    }

    fn clamp(&mut self) {
        self.move_by(0);
    }
}
