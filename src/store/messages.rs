//! The messages outbox (`messages/outbox.jsonl`): status updates and
//! handovers on their way to Slack or mail, append-only and durable like
//! every JSONL file here. One process sends at a time (a lock file).

use super::jsonl::{LineIssue, LockedAppend};
use crate::domain::message::{MessageLine, Messages};
use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct MessageStore {
    dir: PathBuf,
    path: PathBuf,
}

/// Held while sending.
pub struct SendLock {
    _file: File,
    /// The same right across the team, while its store is reachable.
    _team: Option<super::team::TeamSender>,
}

impl MessageStore {
    pub fn new(workspace: &Path) -> MessageStore {
        let dir = workspace.join("messages");
        MessageStore {
            path: dir.join("outbox.jsonl"),
            dir,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append a line; returns once it is on disk.
    pub fn record(&self, line: &MessageLine) -> io::Result<()> {
        let team = super::team::before_write(self.root())?;
        std::fs::create_dir_all(&self.dir)?;
        LockedAppend::open(&self.path)?.append(line)?;
        super::team::after_write(team);
        Ok(())
    }

    fn root(&self) -> &Path {
        self.dir.parent().unwrap_or(&self.dir)
    }

    /// Every line, folded; unreadable lines reported and left alone (a torn
    /// last line is what a crash mid-write leaves, and is skipped).
    pub fn read(&self) -> io::Result<(Messages, Vec<LineIssue>)> {
        let (lines, issues) = super::jsonl::read_all::<MessageLine>(&self.path)?;
        Ok((Messages::fold(&lines), issues))
    }

    /// The right to send: `None` while another process is sending.
    pub fn try_sender(&self) -> io::Result<Option<SendLock>> {
        std::fs::create_dir_all(&self.dir)?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.dir.join(".send.lock"))?;
        match file.try_lock() {
            Ok(()) => match super::team::active(self.root()).map(|t| t.sender("messages")) {
                Some(super::team::SenderRight::Busy) => Ok(None),
                Some(super::team::SenderRight::Held(team)) => Ok(Some(SendLock {
                    _file: file,
                    _team: Some(team),
                })),
                _ => Ok(Some(SendLock {
                    _file: file,
                    _team: None,
                })),
            },
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(e),
        }
    }
}
