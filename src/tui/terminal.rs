//! The terminal: set up, restored exactly once (on quit, error, panic or
//! signal), and written to one whole frame at a time.

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{
    self, BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen,
    LeaveAlternateScreen,
};
use crossterm::{cursor, execute, queue};
use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Why the full screen cannot start here.
pub fn unsuitable() -> Option<String> {
    if !io::stdout().is_terminal() {
        return Some("shiftdeck: standard output is not a terminal. Run it in a terminal, or use a subcommand (shiftdeck incidents list, shiftdeck --help).".into());
    }
    if !io::stdin().is_terminal() {
        return Some("shiftdeck: standard input is not a terminal: the full screen needs a keyboard. Use a subcommand for scripts.".into());
    }
    match std::env::var("TERM").as_deref() {
        Ok("dumb") => Some("shiftdeck: TERM=dumb cannot draw the full screen. Set TERM (e.g. xterm-256color) or use a subcommand.".into()),
        _ => None,
    }
}

static MOUSE: AtomicBool = AtomicBool::new(false);

/// Take the terminal: raw mode, the alternate screen, bracketed paste and,
/// with `mouse`, clicks and the wheel.
pub fn enter(mouse: bool) -> io::Result<()> {
    terminal::enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    MOUSE.store(mouse, Ordering::SeqCst);
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste,
        cursor::Hide,
        terminal::Clear(terminal::ClearType::All)
    )?;
    if mouse {
        execute!(io::stdout(), crossterm::event::EnableMouseCapture)?;
    }
    Ok(())
}

/// Whether a shell with job control started us: our process group is not
/// the session's own (started straight by sshd or a pty, a stop would
/// leave nobody to send `fg`, and the kernel drops the signal anyway).
pub fn job_control() -> bool {
    // SAFETY: plain queries of our own process.
    unsafe { libc::getpgrp() != libc::getsid(0) }
}

/// ctrl-z: give the terminal back, stop until `fg`, then take it again
/// (the caller draws the next frame whole).
pub fn suspend() -> io::Result<()> {
    let mouse = MOUSE.load(Ordering::SeqCst);
    restore();
    // SAFETY: raising a signal on our own process; SIGTSTP stops it here
    // and SIGCONT (`fg`) resumes it after this call.
    unsafe { libc::raise(libc::SIGTSTP) };
    enter(mouse)
}

/// Put the terminal back as it was. Safe to call any number of times, from
/// anywhere (the panic hook included): only the first call does anything.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let mut out = io::stdout();
        if MOUSE.load(Ordering::SeqCst) {
            let _ = execute!(out, crossterm::event::DisableMouseCapture);
        }
        let _ = execute!(
            out,
            DisableBracketedPaste,
            LeaveAlternateScreen,
            cursor::Show
        );
        let _ = terminal::disable_raw_mode();
        let _ = out.flush();
    }
}

/// Restore the terminal before any panic message is printed.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
        // A panic on any thread ends the app: a screen drawn on after the
        // terminal was restored, or a store that stopped writing, is worse.
        std::process::exit(101);
    }));
}

/// Collects one frame's bytes; ratatui's flush is ignored and
/// [`FrameWriter::commit`] (on a clone sharing the buffer) sends the whole
/// frame, wrapped in a synchronized update, in one write.
#[derive(Clone, Default)]
pub struct FrameWriter {
    buf: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
}

impl FrameWriter {
    pub fn new() -> FrameWriter {
        FrameWriter {
            buf: std::sync::Arc::new(std::sync::Mutex::new(Vec::with_capacity(64 * 1024))),
        }
    }

    /// Send what was drawn since the last commit. Returns the bytes written.
    pub fn commit(&self) -> io::Result<usize> {
        let mut buf = self.buf.lock().unwrap_or_else(|e| e.into_inner());
        if buf.is_empty() {
            return Ok(0);
        }
        let mut framed = Vec::with_capacity(buf.len() + 16);
        queue!(framed, BeginSynchronizedUpdate)?;
        framed.extend_from_slice(&buf);
        queue!(framed, EndSynchronizedUpdate)?;
        buf.clear();
        let mut out = io::stdout().lock();
        out.write_all(&framed)?;
        out.flush()?;
        Ok(framed.len())
    }
}

impl Write for FrameWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Whether the terminal on standard input has hung up (the SSH link dropped
/// without a SIGHUP reaching us): poll(2) with no wait.
pub fn hung_up() -> bool {
    let mut fds = libc::pollfd {
        fd: 0,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, zero timeout.
    let n = unsafe { libc::poll(&mut fds, 1, 0) };
    n > 0 && fds.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}
