//! The screen's edge: a backend that lets no cell reach the terminal with a
//! control or bidi character in it, whatever text a pane was given (ratatui
//! drops C0 controls itself, but not the bidi overrides that make a title
//! read backwards). It sees only the cells a frame changes, so it costs
//! nothing for the rest of the screen.

use crate::domain::sanitize;
use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use std::borrow::Cow;

/// Wraps the backend frames are drawn to.
pub struct SafeBackend<B>(pub B);

impl<B: Backend> Backend for SafeBackend<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cells: Vec<(u16, u16, Cow<'a, Cell>)> = content
            .map(|(x, y, cell)| {
                if sanitize::has_unsafe(cell.symbol()) {
                    let kept = sanitize::text(cell.symbol()).into_owned();
                    let mut clean = cell.clone();
                    clean.set_symbol(if kept.is_empty() { " " } else { &kept });
                    (x, y, Cow::Owned(clean))
                } else {
                    (x, y, Cow::Borrowed(cell))
                }
            })
            .collect();
        self.0
            .draw(cells.iter().map(|(x, y, c)| (*x, *y, c.as_ref())))
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.0.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.0.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.0.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.0.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.0.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.0.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.0.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.0.flush()
    }
}
