//! The terminal handed to another program and back, through the real
//! binary in a pseudo-terminal: `ctrl-e` writes the note in `$EDITOR`
//! (which reads its own keys from the terminal: not one is taken from it),
//! and the note comes back to be saved.

mod common;

use common::Session;
use std::os::unix::fs::PermissionsExt;

#[test]
fn ctrl_e_writes_the_note_in_the_editor_and_brings_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let cfg = dir.path().join("cfg");
    // An "editor" that reads one line from the terminal, as a real one does,
    // and appends it to the file it was given.
    let editor = dir.path().join("line-editor");
    std::fs::write(
        &editor,
        "#!/bin/sh\nprintf 'editor ready\\n'\nIFS= read -r line < /dev/tty\nprintf '%s\\n' \"$line\" >> \"$1\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let ws_arg = ws.to_str().unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let mut s = Session::start_env(
        &["--workspace", ws_arg],
        &cfg,
        100,
        30,
        &[
            ("EDITOR", editor.to_str().unwrap()),
            ("VISUAL", ""),
            ("TMPDIR", tmp.to_str().unwrap()),
        ],
    );
    s.wait_for("no incidents on record");
    s.keys("w");
    s.wait_for("Note ·");
    s.keys("typed on the screen");
    s.keys("\x05");
    s.wait_for("editor ready");
    s.keys("typed in the editor\r");
    s.wait_for("the note is back from the editor");
    let screen = s.wait_for("typed in the editor");
    assert!(screen.contains("typed on the screen"), "{screen}");
    s.keys("\x13");
    s.wait_for("the note is in the journal");
    s.keys("q");
    assert!(s.wait_exit().success());
    let journal = std::fs::read_dir(ws.join("journal"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "jsonl"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect::<String>();
    assert!(
        journal.contains("typed on the screen\\ntyped in the editor"),
        "{journal}"
    );
    // The file the editor had is gone.
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("shiftdeck-note-")
        })
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn ctrl_z_without_a_shell_to_return_to_says_so_and_goes_on() {
    // The harness starts the app as a session of its own, as sshd running
    // `ssh host shiftdeck` does: there is no job control to return to.
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let cfg = dir.path().join("cfg");
    let mut s = Session::start(&["--workspace", ws.to_str().unwrap()], &cfg);
    s.wait_for("no incidents on record");
    s.keys("\x1a");
    s.wait_for("not suspended: started without a shell's job control");
    s.keys("q");
    assert!(s.wait_exit().success());
}

#[test]
fn an_editor_that_fails_keeps_the_draft_and_leaves_what_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let cfg = dir.path().join("cfg");
    let tmp = dir.path().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let editor = dir.path().join("failing-editor");
    std::fs::write(
        &editor,
        "#!/bin/sh\nprintf 'half a thought\\n' >> \"$1\"\nexit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut s = Session::start_env(
        &["--workspace", ws.to_str().unwrap()],
        &cfg,
        100,
        30,
        &[
            ("EDITOR", editor.to_str().unwrap()),
            ("VISUAL", ""),
            ("TMPDIR", tmp.to_str().unwrap()),
        ],
    );
    s.wait_for("no incidents on record");
    s.keys("w");
    s.wait_for("Note ·");
    s.keys("the draft");
    s.keys("\x05");
    let screen = s.wait_for("the note was not taken back");
    assert!(screen.contains("the draft"), "the draft stands: {screen}");
    let kept: Vec<String> = std::fs::read_dir(&tmp)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert_eq!(kept, vec!["the draft\nhalf a thought\n".to_string()]);
    s.keys("\x1b");
    s.keys("q");
    assert!(s.wait_exit().success());
}
