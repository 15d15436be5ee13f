//! The debug log: off unless `SHIFTDECK_LOG` says what to keep (`debug`,
//! `info`, `shiftdeck=trace`, as `RUST_LOG` would), written to a file only
//! the operator can read — never to the screen the app draws on. The file
//! is `SHIFTDECK_LOG_FILE`, else `shiftdeck.log` in the state directory
//! (`~/.local/state/shiftdeck/`). What is logged names things (an
//! integration, an effect, a command), never a note's text or a credential.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::sync::Mutex;

/// Where the log goes when `SHIFTDECK_LOG` is set.
pub fn path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SHIFTDECK_LOG_FILE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let dirs = directories::ProjectDirs::from("", "", "shiftdeck")?;
    let dir = dirs
        .state_dir()
        .map(|d| d.to_path_buf())
        .unwrap_or_else(|| dirs.data_local_dir().to_path_buf());
    Some(dir.join("shiftdeck.log"))
}

/// Start the log if `SHIFTDECK_LOG` asks for one: `None` when it does not,
/// else where it goes or why it cannot.
pub fn init() -> Option<Result<PathBuf, String>> {
    let filter = std::env::var("SHIFTDECK_LOG")
        .ok()
        .filter(|f| !f.trim().is_empty())?;
    Some(start(&filter))
}

fn start(filter: &str) -> Result<PathBuf, String> {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .map_err(|e| format!("{filter:?} is not a level or filter ({e}); try debug"))?;
    let path = path().ok_or("no home directory for the log: set SHIFTDECK_LOG_FILE")?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(&path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(LineWriter(file)))
        .try_init()
        .map_err(|e| e.to_string())?;
    Ok(path)
}

/// Each event reaches the file whole, as one write.
struct LineWriter(std::fs::File);

impl Write for LineWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}
