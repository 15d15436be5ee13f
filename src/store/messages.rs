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
        std::fs::create_dir_all(&self.dir)?;
        LockedAppend::open(&self.path)?.append(line)
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
            Ok(()) => Ok(Some(SendLock { _file: file })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(e),
        }
    }
}
