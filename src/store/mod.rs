//! Files on disk. Everything here is blocking I/O: the TUI calls it from
//! its store thread, never from `update` or rendering.

pub mod approvals;
pub mod checklists;
pub mod contacts;
pub mod evidence;
pub mod incidents;
pub mod intents;
pub mod journal;
pub mod jsonl;
pub mod messages;
pub mod remote;
pub mod team;
pub mod workspace;

pub use incidents::{CommitError, IncidentDelta, IncidentStore};
pub use workspace::Workspace;
