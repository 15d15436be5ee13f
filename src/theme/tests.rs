use super::*;

#[test]
fn bundled_themes_resolve_cleanly() {
    for (name, _) in BUNDLED {
        let (theme, problems) = resolve(name, None, false);
        assert!(problems.is_empty(), "{name}: {problems:?}");
        assert_eq!(theme.name, *name);
    }
}

#[test]
fn default_uses_only_the_16_ansi_colours() {
    let theme = Theme::default_theme();
    for role in Role::ALL {
        let s = theme.style(*role);
        for c in [s.fg, s.bg].into_iter().flatten() {
            assert!(
                !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                "{} uses {c:?}",
                role.name()
            );
        }
    }
}

#[test]
fn mono_has_no_colour_and_keeps_meaning() {
    let (theme, _) = resolve("mono", None, true);
    assert!(theme.markers);
    for role in Role::ALL {
        let s = theme.style(*role);
        assert!(
            s.fg.is_none() && s.bg.is_none(),
            "{} has colour",
            role.name()
        );
    }
    assert!(
        theme
            .style(Role::Selection)
            .add_modifier
            .contains(Modifier::REVERSED)
    );
    assert!(
        theme
            .style(Role::SeverityP1)
            .add_modifier
            .contains(Modifier::BOLD)
    );
    assert!(
        theme
            .style(Role::Breached)
            .add_modifier
            .contains(Modifier::REVERSED)
    );
}

#[test]
fn inheritance_layers_palette_and_roles() {
    let (light, _) = resolve("light", None, false);
    assert_eq!(
        light.style(Role::SeverityP1).fg,
        Some(Color::Red),
        "palette override reaches inherited roles"
    );
    assert!(
        light
            .style(Role::SeverityP1)
            .add_modifier
            .contains(Modifier::BOLD)
    );
    assert_eq!(light.style(Role::SeverityP3).fg, Some(Color::Blue));
}

#[test]
fn user_theme_errors_name_line_and_fall_back() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("night.toml"),
        "inherits = \"default\"\n[palette]\nink = \"#zzzzzz\"\n[roles]\n\"severity.p9\" = \"red\"\n\"muted\" = \"ink\"\n\"title\" = \"light-magenta\"\n",
    )
    .unwrap();
    let (theme, problems) = resolve("night", Some(dir.path()), false);
    let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(shown.len(), 3, "{shown:?}");
    assert!(
        shown[0].contains("night.toml:3: palette.ink: bad colour \"#zzzzzz\""),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|s| s.contains("night.toml:5: unknown role \"severity.p9\"")),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|s| s.contains("night.toml:6: roles.muted: bad colour \"ink\"")),
        "{shown:?}"
    );
    assert_eq!(
        theme.style(Role::Title).fg,
        Some(Color::LightMagenta),
        "good roles still apply"
    );
    assert_eq!(
        theme.style(Role::SeverityP1),
        Theme::default_theme().style(Role::SeverityP1)
    );
}

#[test]
fn missing_theme_is_reported_and_default_used() {
    let (theme, problems) = resolve("solarized-extreme", None, false);
    assert_eq!(theme.name, "default");
    assert!(
        problems[0]
            .message
            .contains("theme \"solarized-extreme\" not found"),
        "{}",
        problems[0]
    );
}

#[test]
fn broken_toml_falls_back_to_default() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "[roles\n").unwrap();
    let (theme, problems) = resolve(path.to_str().unwrap(), None, false);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, Some(1));
    assert_eq!(
        theme.style(Role::SeverityP1),
        Theme::default_theme().style(Role::SeverityP1)
    );
}

#[test]
fn colours_parse_and_downgrade_without_truecolor() {
    assert_eq!(parse_color("bright_red", false), Some(Color::LightRed));
    assert_eq!(parse_color("Grey", false), Some(Color::Gray));
    assert_eq!(parse_color("idx:208", false), Some(Color::Indexed(208)));
    assert_eq!(parse_color("#ff0000", true), Some(Color::Rgb(255, 0, 0)));
    assert_eq!(parse_color("#ff0000", false), Some(Color::LightRed));
    assert_eq!(parse_color("#123", false), None);
    assert_eq!(parse_color("chartreuse", false), None);
}
