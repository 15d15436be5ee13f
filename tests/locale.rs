//! Portuguese labels (seed 000: "PT-BR labels if the operator needs the UI
//! in Portuguese"): the panes, columns, hints, status bar and the
//! handover's headings, at 80x24 and 200x50, from `locale` or `LANG`.

mod common;

use common::screen::*;
use crossterm::event::KeyCode;
use shiftdeck::domain::i18n::Strings;
use shiftdeck::theme::Theme;

#[test]
fn the_screen_speaks_portuguese_with_locale_pt_br() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut app = demo_app(Theme::default_theme(), w, h);
        app.strings = Strings::for_locale("pt-BR");
        app.update(key(KeyCode::Char('2')));
        let screen = text(&draw_measured(&mut app, w, h));
        insta::assert_snapshot!(format!("pt_br_{w}x{h}"), screen);
        for label in [
            "Incidentes",
            "TÍTULO",
            "SERVIÇO",
            "RESPOSTA",
            "ativos",
            "VIOLADO +",
            "cumprido",
            "pendência ATRASADA",
            "abertos",
            "novo",
            "resolver",
        ] {
            assert!(screen.contains(label), "{w}x{h}: {label}:\n{screen}");
        }
        for english in [
            " new ",
            "TITLE",
            "SERVICE ",
            " resolve ",
            "BREACHED",
            " met ",
            " active",
        ] {
            assert!(
                !screen.contains(english),
                "{w}x{h}: {english:?} left in English:\n{screen}"
            );
        }
    }
}

#[test]
fn the_handover_headings_follow_the_locale() {
    let mut app = demo_app(Theme::default_theme(), 120, 40);
    app.strings = Strings::for_locale("pt_BR.UTF-8");
    open_demo_shift(&mut app, None);
    app.update(key(KeyCode::Char('H')));
    let md = app.journal.handover.as_ref().unwrap().markdown.clone();
    assert!(md.starts_with("# Passagem de turno — ana.lima"), "{md}");
    assert!(
        md.contains("## Resumo") && md.contains("## Incidentes abertos"),
        "{md}"
    );
    assert!(!md.contains("## Summary"), "{md}");
}

#[test]
fn lang_picks_the_locale_for_the_cli_handover_and_locale_wins() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    assert_eq!(
        common::run(common::cli(ws).args(["journal", "add", "nota"])).0,
        0
    );
    let (code, out, err) = common::run(
        common::cli(ws)
            .env("LANG", "pt_BR.UTF-8")
            .args(["handover", "--no-probe"]),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("# Passagem de turno"), "{out}");
    std::fs::write(ws.join("shiftdeck.toml"), "locale = \"en\"\n").unwrap();
    let (_, out, _) = common::run(
        common::cli(ws)
            .env("LANG", "pt_BR.UTF-8")
            .args(["handover", "--no-probe"]),
    );
    assert!(out.contains("# Shift handover"), "{out}");
    std::fs::write(ws.join("shiftdeck.toml"), "locale = \"klingon\"\n").unwrap();
    let (code, out, err) = common::run(common::cli(ws).args(["check-config"]));
    assert_eq!(code, 6, "{out}");
    assert!(err.contains("shiftdeck.toml:1: locale"), "{err}");
}
