//! The operator's world as plain data and rules. Nothing here touches the
//! terminal or the disk, so the CLI and the TUI share it.

pub mod approval;
pub mod book;
pub mod change;
pub mod checklist;
pub mod contacts;
pub mod evidence;
pub mod format;
pub mod handover;
pub mod health;
pub mod health_incident;
pub mod i18n;
pub mod incident;
pub mod journal;
pub mod message;
pub mod notify;
pub mod oncall;
pub mod outbox;
pub mod postmortem;
pub mod query;
pub mod redact;
pub mod remote;
pub mod report;
pub mod sanitize;
pub mod severity;
pub mod time;
pub mod vendor;

pub use incident::{
    Countdown, Incident, IncidentBook, IncidentChange, IncidentEvent, IncidentRecord,
    IncidentRefusal, IncidentStatus,
};
pub use severity::Severity;
