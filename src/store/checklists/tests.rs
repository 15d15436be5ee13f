use super::*;

fn p() -> &'static Path {
    Path::new("/ws/checklists/morning.toml")
}

const GOOD: &str = r#"
name = "Morning operations check"
cadence = "weekly"
weekday = "monday"
ordered = true

[[steps]]
id = "services"
title = "Check service status"
criteria = ["Backend: active (running)", "CPU < 70%"]
command = "systemctl is-active credguard-backend mysql"
timeout = 30

[[steps]]
id = "logs"
title = "Check error logs"
requires = ["services"]
"#;

#[test]
fn a_good_file_parses() {
    let l = parse(p(), GOOD).unwrap();
    assert_eq!(l.id, "morning", "the id defaults to the file name");
    assert_eq!(
        l.cadence,
        Cadence::Weekly {
            weekday: Weekday::Mon
        }
    );
    assert!(l.ordered);
    assert_eq!(l.steps[0].timeout, 30);
    assert_eq!(l.steps[1].timeout, DEFAULT_TIMEOUT_SECS);
    assert_eq!(l.steps[1].requires, vec!["services".to_string()]);
}

fn problem(src: &str) -> String {
    parse(p(), src).unwrap_err().to_string()
}

#[test]
fn broken_files_name_file_line_and_field() {
    let bad_cadence = GOOD.replace("cadence = \"weekly\"", "cadence = \"fortnightly\"");
    assert_eq!(
        problem(&bad_cadence),
        "/ws/checklists/morning.toml:3: cadence: unknown \"fortnightly\" (expected shift, daily, weekly, monthly, quarterly, after or once)"
    );
    let bad_day = GOOD.replace("weekday = \"monday\"", "weekday = \"someday\"");
    assert!(
        problem(&bad_day)
            .starts_with("/ws/checklists/morning.toml:4: weekday: \"someday\" is not a day")
    );
    let no_weekday = GOOD.replace("weekday = \"monday\"\n", "");
    assert!(problem(&no_weekday).contains(":3: weekday: a weekly checklist needs"));
    let monthly = GOOD.replace(
        "cadence = \"weekly\"\nweekday = \"monday\"",
        "cadence = \"monthly\"\nday = 31",
    );
    assert!(
        problem(&monthly).contains(":4: day: 31 is not in 1..28"),
        "{}",
        problem(&monthly)
    );
    let bad_req = GOOD.replace("requires = [\"services\"]", "requires = [\"servces\"]");
    assert!(
        problem(&bad_req).contains(":17: steps.requires: step \"logs\" requires \"servces\""),
        "{}",
        problem(&bad_req)
    );
    let dup = GOOD.replace("id = \"logs\"", "id = \"services\"");
    assert!(
        problem(&dup).contains(":15: steps.id: \"services\" appears twice"),
        "{}",
        problem(&dup)
    );
    let typo = GOOD.replace("timeout = 30", "timeut = 30");
    assert!(
        problem(&typo).contains(":12:") && problem(&typo).contains("unknown field `timeut`"),
        "{}",
        problem(&typo)
    );
    let long = GOOD.replace("timeout = 30", "timeout = 7200");
    assert!(problem(&long).contains(":12: steps.timeout: 7200 seconds is not in 1..3600"));
    let wrong_type = GOOD.replace("ordered = true", "ordered = \"yes\"");
    assert!(
        problem(&wrong_type).contains(":5:") && problem(&wrong_type).contains("ordered"),
        "{}",
        problem(&wrong_type)
    );
}

#[test]
fn one_broken_file_does_not_stop_the_others() {
    let ws = tempfile::tempdir().unwrap();
    let dir = ws.path().join("checklists");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.toml"), GOOD).unwrap();
    std::fs::write(
        dir.join("b.toml"),
        "name = \"B\"\ncadence = \"daily\"\n[[steps]]\nid = \"x\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("c.toml"), GOOD.replace("Morning", "Evening")).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a checklist").unwrap();
    let (lists, problems) = load(ws.path());
    assert_eq!(
        lists.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
        ["a", "c"]
    );
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].to_string().contains("b.toml:3:") && problems[0].to_string().contains("title"),
        "{}",
        problems[0]
    );
}

const ROLLOUT: &str = r#"
name = "Rollout days"
cadence = "after"
start = "2026-12-01"
days = [1, 7, 14, 30]
at = "09:00"
window = "1h"

[[steps]]
id = "canary"
title = "Canary at 10%"
day = 7

[[steps]]
id = "verify"
title = "verify-all"
at = "10:00"
window = "30m"
"#;

#[test]
fn clock_keys_parse_and_a_wrong_one_names_its_line() {
    use crate::domain::checklist::DayList;
    let l = parse(p(), ROLLOUT).unwrap();
    assert_eq!(
        l.cadence,
        Cadence::After {
            start: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            days: DayList::new(&[1, 7, 14, 30]).unwrap()
        }
    );
    assert_eq!(l.clock.at.unwrap().to_string(), "09:00:00");
    assert_eq!(l.steps[0].clock.day, Some(7));
    assert_eq!(l.steps[1].clock.window, Some(chrono::Duration::minutes(30)));

    let cases = [
        (
            ROLLOUT.replace("day = 7", "day = 8"),
            ":12: steps.day: step \"canary\" is for Day 8, which is not one of the list's days",
        ),
        (
            ROLLOUT.replace("at = \"10:00\"", "at = \"ten\""),
            ":17: steps.at: \"ten\" is not a time of day",
        ),
        (
            ROLLOUT.replace("start = \"2026-12-01\"", "start = \"Dec 1\""),
            ":4: start: \"Dec 1\" is not a date",
        ),
        (
            ROLLOUT.replace("start = \"2026-12-01\"\n", ""),
            ":3: start: an after cadence needs start",
        ),
        (
            ROLLOUT.replace("days = [1, 7, 14, 30]", "days = [0]"),
            ":5: days: 1 to 16 day numbers",
        ),
        (
            ROLLOUT.replace("window = \"30m\"", "window = \"soon\""),
            ":18: steps.window:",
        ),
        (
            GOOD.replace(
                "cadence = \"weekly\"\nweekday = \"monday\"",
                "cadence = \"quarterly\"\nmonth = 4",
            ),
            ":4: month: 4 is not in 1..3",
        ),
        (
            GOOD.replace(
                "cadence = \"weekly\"\nweekday = \"monday\"",
                "cadence = \"daily\"\ndaily_for = 14",
            ),
            ":3: start: daily_for needs start",
        ),
        (
            GOOD.replace("timeout = 30\n", "timeout = 30\nweekday = \"wodnesday\"\n"),
            ":13: steps.weekday: \"wodnesday\" is not a day of the week",
        ),
    ];
    for (src, want) in cases {
        let got = problem(&src);
        assert!(got.contains(want), "{got}\nwanted {want}");
    }
    let q = parse(
        p(),
        &GOOD.replace(
            "cadence = \"weekly\"\nweekday = \"monday\"",
            "cadence = \"quarterly\"\nmonth = 2\nday = 15",
        ),
    )
    .unwrap();
    assert_eq!(q.cadence, Cadence::Quarterly { month: 2, day: 15 });
    let d = parse(
        p(),
        &GOOD.replace(
            "cadence = \"weekly\"\nweekday = \"monday\"",
            "cadence = \"daily\"\ndaily_for = 14\nstart = \"2026-12-01\"",
        ),
    )
    .unwrap();
    assert!(matches!(d.cadence, Cadence::DailyFor { days: 14, .. }));
}

#[test]
fn a_playbook_has_no_cadence_and_its_offer_is_checked() {
    let good = "name = \"KMS outage\"\nkind = \"playbook\"\n[offer]\nwords = [\"KMS\"]\nseverities = [\"P1\", \"P2\"]\n[[steps]]\nid = \"a\"\ntitle = \"A\"\n";
    let l = parse(p(), good).unwrap();
    assert!(l.is_template());
    assert_eq!(l.kind(), "playbook");
    let offer = &l.playbook.as_ref().unwrap().offer;
    assert_eq!(offer.words, ["kms"], "words are matched lower-cased");
    assert_eq!(offer.severities.len(), 2);
    let problem = |text: &str| parse(p(), text).unwrap_err().to_string();
    let with_cadence = good.replace(
        "kind = \"playbook\"\n",
        "kind = \"playbook\"\ncadence = \"daily\"\n",
    );
    let e = problem(&with_cadence);
    assert!(e.contains(":3:") && e.contains("remove cadence"), "{e}");
    let e = problem(&good.replace("\"P2\"", "\"P9\""));
    assert!(e.contains(":5:") && e.contains("P9"), "{e}");
    let e = problem(&good.replace("playbook", "runbook"));
    assert!(
        e.contains(":2:") && e.contains("routine or playbook"),
        "{e}"
    );
    let e = problem("name = \"x\"\n[[steps]]\nid = \"a\"\ntitle = \"A\"\n");
    assert!(e.contains("cadence: missing"), "{e}");
    let e = problem(&good.replace("kind = \"playbook\"\n", "cadence = \"daily\"\n"));
    assert!(e.contains("only a playbook"), "{e}");
}

#[test]
fn every_bundled_list_parses_and_the_seeds_playbooks_are_there() {
    let dir = tempfile::tempdir().unwrap();
    crate::store::workspace::Workspace::open_or_create_at(dir.path(), chrono::Utc::now()).unwrap();
    let (lists, problems) = load(dir.path());
    assert!(problems.is_empty(), "{problems:?}");
    let playbooks: Vec<&str> = lists
        .iter()
        .filter(|l| l.is_template())
        .map(|l| l.id.as_str())
        .collect();
    for id in [
        "token-leaked",
        "netbox-api-down",
        "web-ui-crash",
        "rollout-incident",
        "export-replay",
        "export-restore",
        "kms-outage",
        "export-prerelease",
    ] {
        assert!(playbooks.contains(&id), "{id} in {playbooks:?}");
    }
}
