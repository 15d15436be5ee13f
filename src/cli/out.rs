//! The CLI's edge to the terminal: everything printed goes through here, so
//! text from outside (vendor titles, notes, command output) reaches the
//! operator's terminal with its control and bidi characters escaped, and a
//! reader that went away (`incidents list | head -1`) ends the command
//! quietly instead of in a panic.

use crate::domain::sanitize;
use std::io::{ErrorKind, Write};

/// The exit status of a process ended by a closed pipe, as the shell reports
/// one killed by SIGPIPE.
const CLOSED_PIPE: i32 = 128 + 13;

/// One write of already formatted text to stdout.
pub fn stdout(text: &str) {
    let safe = sanitize::escape(text);
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(safe.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() == ErrorKind::BrokenPipe {
            std::process::exit(CLOSED_PIPE);
        }
        // Nowhere left to say it but stderr.
        stderr(&format!("error: cannot write the output: {e}\n"));
        std::process::exit(crate::cli::exit::FAILURE);
    }
}

/// One write to stderr; a closed stderr is nothing to act on.
pub fn stderr(text: &str) {
    let safe = sanitize::escape(text);
    let _ = std::io::stderr().lock().write_all(safe.as_bytes());
}

/// `println!` through the edge.
macro_rules! outln {
    () => { $crate::cli::out::stdout("\n") };
    ($($arg:tt)*) => {{
        let mut line = format!($($arg)*);
        line.push('\n');
        $crate::cli::out::stdout(&line)
    }};
}

/// `print!` through the edge.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::out::stdout(&format!($($arg)*)) };
}

/// `eprintln!` through the edge.
macro_rules! errln {
    ($($arg:tt)*) => {{
        let mut line = format!($($arg)*);
        line.push('\n');
        $crate::cli::out::stderr(&line)
    }};
}
