use super::*;
use crossterm::event::{KeyEventKind, KeyEventState};

fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
    KeyEvent {
        code,
        modifiers: mods,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    }
}

fn chord(s: &str) -> Chord {
    Chord::parse(s).unwrap()
}

#[test]
fn bundled_keymaps_parse_cleanly() {
    for (name, src) in BUNDLED {
        let mut km = Keymap::default();
        let problems = km.merge_source(Path::new(name), src);
        assert!(problems.is_empty(), "{name}: {problems:?}");
    }
}

#[test]
fn chords_parse_and_print() {
    assert_eq!(
        chord("ctrl-a"),
        Chord {
            code: ChordCode::Char('a'),
            ctrl: true,
            alt: false,
            shift: false
        }
    );
    assert_eq!(chord("shift-tab").code, ChordCode::BackTab);
    assert_eq!(
        chord("G"),
        Chord {
            code: ChordCode::Char('G'),
            ctrl: false,
            alt: false,
            shift: false
        }
    );
    assert_eq!(chord("space").code, ChordCode::Char(' '));
    assert_eq!(chord("f5").code, ChordCode::F(5));
    assert_eq!(chord("C-x").to_string(), "ctrl-x");
    assert_eq!(chord("-").code, ChordCode::Char('-'));
    assert!(
        Chord::parse("hyper-q")
            .unwrap_err()
            .contains("unknown key name")
    );
    assert!(Chord::parse("f13").is_err());
    assert_eq!(parse_seq("g g").unwrap(), vec![chord("g"), chord("g")]);
}

#[test]
fn events_normalise_like_the_files_spell_them() {
    let shifted_g = key(KeyCode::Char('G'), KeyModifiers::SHIFT);
    assert_eq!(Chord::from_event(&shifted_g), Some(chord("G")));
    assert_eq!(
        Chord::from_event(&key(KeyCode::BackTab, KeyModifiers::SHIFT)),
        Some(chord("shift-tab"))
    );
    assert_eq!(
        Chord::from_event(&key(KeyCode::Char('a'), KeyModifiers::CONTROL)),
        Some(chord("ctrl-a"))
    );
    assert_eq!(
        Chord::from_event(&key(KeyCode::Char('?'), KeyModifiers::SHIFT)),
        Some(chord("?"))
    );
}

#[test]
fn pane_context_wins_then_global() {
    let km = Keymap::default_keymap();
    assert_eq!(
        km.lookup(Context::Incidents, &[chord("a")]),
        Lookup::Action(Action::Acknowledge)
    );
    assert_eq!(km.lookup(Context::Health, &[chord("a")]), Lookup::None);
    assert_eq!(
        km.lookup(Context::Health, &[chord("q")]),
        Lookup::Action(Action::Quit)
    );
    assert_eq!(
        km.lookup(Context::Incidents, &[chord("g")]),
        Lookup::Pending
    );
    assert_eq!(
        km.lookup(Context::Incidents, &[chord("g"), chord("g")]),
        Lookup::Action(Action::Top)
    );
}

#[test]
fn user_file_merges_key_by_key_and_noop_unbinds() {
    let mut km = Keymap::default_keymap();
    let problems = km.merge_source(
        Path::new("/home/ana/.config/shiftdeck/keymap.toml"),
        "[global]\nq = \"noop\"\n\"ctrl-c\" = \"noop\"\n\"ctrl-q\" = \"quit\"\n[incidents]\nA = { action = \"acknowledge\", desc = \"ack it\" }\n",
    );
    assert!(problems.is_empty());
    assert_eq!(
        km.lookup(Context::Incidents, &[chord("q")]),
        Lookup::None,
        "q unbound"
    );
    assert_eq!(
        km.lookup(Context::Incidents, &[chord("ctrl-q")]),
        Lookup::Action(Action::Quit)
    );
    assert_eq!(
        km.lookup(Context::Incidents, &[chord("a")]),
        Lookup::Action(Action::Acknowledge),
        "others kept"
    );
    assert_eq!(
        km.lookup(Context::Incidents, &[chord("A")]),
        Lookup::Action(Action::Acknowledge)
    );
    assert_eq!(
        km.key_for(Context::Incidents, Action::Quit).as_deref(),
        Some("ctrl-q")
    );
}

#[test]
fn bad_entries_are_reported_with_line_and_skipped() {
    let mut km = Keymap::default_keymap();
    let src = "[global]\nq = \"quit\"\nw = \"launch\"\n\"hyper-x\" = \"help\"\n[pane9]\nx = \"quit\"\n[incidents]\nb = \"acknowledge\"\ny = 5\n";
    let problems = km.merge_source(Path::new("/k.toml"), src);
    let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(shown.len(), 4, "{shown:?}");
    assert!(
        shown
            .iter()
            .any(|s| s.starts_with("/k.toml:9:") && s.contains("expected an action name")),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|s| s.starts_with("/k.toml:3:") && s.contains("unknown action \"launch\"")),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|s| s.starts_with("/k.toml:4:") && s.contains("unknown key name")),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|s| s.starts_with("/k.toml:5:") && s.contains("unknown context [pane9]")),
        "{shown:?}"
    );
    assert_eq!(
        km.lookup(Context::Incidents, &[chord("b")]),
        Lookup::Action(Action::Acknowledge),
        "good entries applied"
    );
}

#[test]
fn broken_toml_leaves_the_keymap_untouched() {
    let mut km = Keymap::default_keymap();
    let before = km.clone();
    let problems = km.merge_source(Path::new("/k.toml"), "[global\nq = 'quit'");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, Some(1));
    assert_eq!(km, before);
}

#[test]
fn vim_variant_adds_sequences() {
    let (km, problems) = load("vim", None);
    assert!(problems.is_empty());
    assert_eq!(
        km.lookup(Context::Incidents, &[chord("Z"), chord("Z")]),
        Lookup::Action(Action::Quit)
    );
    assert_eq!(
        km.lookup(Context::Incidents, &[chord("o")]),
        Lookup::Action(Action::NewIncident)
    );
    assert_eq!(
        km.lookup(Context::Incidents, &[chord("n")]),
        Lookup::Action(Action::NewIncident),
        "default n kept"
    );
}

#[test]
fn unknown_keymap_name_is_a_clear_problem() {
    let (km, problems) = load("/nonexistent/emacs.toml", None);
    assert_eq!(km.name, "default");
    assert!(
        problems[0]
            .to_string()
            .contains("not a bundled keymap (default, vim)"),
        "{}",
        problems[0]
    );
}
