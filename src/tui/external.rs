//! `ctrl-e` in the note editor: the note goes to `$VISUAL` or `$EDITOR` (as
//! git commit and lazygit do) in a file only the operator can read, and
//! comes back when the editor exits. The terminal is the editor's
//! meanwhile; the draft was saved before, so nothing is lost either way.

use super::input::InputControl;
use super::terminal;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;

/// The editor to run: `$VISUAL`, else `$EDITOR`, else `vi`, split on
/// spaces into the program and its arguments (never a shell).
pub fn editor_command() -> (String, Vec<String>) {
    let chosen = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".into());
    let mut words = chosen.split_whitespace().map(str::to_string);
    let program = words.next().unwrap_or_else(|| "vi".into());
    (program, words.collect())
}

/// Run the editor on `text` and return what it saved.
pub fn edit(text: &str, input: &InputControl, mouse: bool) -> Result<String, String> {
    let dir = std::env::temp_dir();
    let mut random = [0u8; 6];
    let _ = getrandom::fill(&mut random);
    let name: String = random.iter().map(|b| format!("{b:02x}")).collect();
    let path = dir.join(format!("shiftdeck-note-{name}.md"));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .map_err(|e| {
            format!(
                "could not write the note for the editor in {}: {e}",
                dir.display()
            )
        })?;
    // A file of lines ends with a newline, as an editor keeps it.
    let text = if text.is_empty() || text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    };
    file.write_all(text.as_bytes())
        .and_then(|_| file.sync_all())
        .map_err(|e| format!("could not write {}: {e}", path.display()))?;
    drop(file);
    let (program, args) = editor_command();
    input.pause();
    terminal::restore();
    let status = std::process::Command::new(&program)
        .args(&args)
        .arg(&path)
        .status();
    let back = terminal::enter(mouse);
    input.resume();
    // The file goes only once its text is back (or nothing was written in
    // it): an editor that failed leaves what was typed where it can be found.
    let result = match status {
        Ok(s) if s.success() => match std::fs::read_to_string(&path) {
            Ok(text) => {
                let _ = std::fs::remove_file(&path);
                Ok(text)
            }
            Err(e) => Err(format!(
                "could not read the note back from {}: {e}",
                path.display()
            )),
        },
        Ok(s) => Err(format!(
            "{program} exited with {s}: the note was not taken back (what it wrote is in {})",
            path.display()
        )),
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            Err(format!(
                "{program} could not start: {e} (set VISUAL or EDITOR)"
            ))
        }
    };
    back.map_err(|e| format!("the screen could not be taken back: {e}"))?;
    result
}
