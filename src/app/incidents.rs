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
    pub show_resolved: bool,
    /// The incident whose detail is open.
    pub detail: Option<String>,
    pub detail_scroll: u16,
    /// Rows the list has on screen, known from the layout.
    pub viewport: usize,
}

impl IncidentsPane {
    pub fn selected_id<'a>(&self, book: &'a IncidentBook) -> Option<&'a str> {
        self.visible
            .get(self.selected)
            .map(|&i| book.by_index(i).id.as_str())
    }

    /// Rebuild the visible list, keeping the same incident selected.
    pub fn refresh(&mut self, book: &IncidentBook) {
        let keep = self.selected_id(book).map(str::to_string);
        self.visible = book.sorted_indices(&self.filter.to_lowercase(), self.show_resolved);
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
        let last = self.visible.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last.max(0)) as usize;
        self.clamp();
    }

    pub fn set_viewport(&mut self, rows: usize) {
        self.viewport = rows;
        self.clamp();
    }

    fn clamp(&mut self) {
        if self.visible.is_empty() {
            self.selected = 0;
            self.offset = 0;
            return;
        }
        self.selected = self.selected.min(self.visible.len() - 1);
        let rows = self.viewport.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        self.offset = self.offset.min(self.visible.len().saturating_sub(rows));
    }
}
