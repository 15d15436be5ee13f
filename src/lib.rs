//! shiftdeck: the shift screen for the person holding the pager.

pub mod action;
pub mod app;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod domain;
pub mod integrations;
pub mod keymap;
pub mod log;
pub mod ops;
pub mod secrets;
pub mod settings;
pub mod store;
pub mod theme;
pub mod tui;
pub mod ui;
