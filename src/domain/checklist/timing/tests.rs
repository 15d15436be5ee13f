use super::*;
use crate::domain::checklist::Progress;

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn hm(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M").unwrap()
}

fn step(id: &str, clock: Clock) -> Step {
    Step {
        id: id.into(),
        title: format!("Step {id}"),
        detail: String::new(),
        criteria: vec![],
        command: None,
        timeout: 60,
        requires: vec![],
        clock,
    }
}

fn list(cadence: Cadence, steps: Vec<Step>) -> Checklist {
    Checklist {
        id: "l".into(),
        name: "List".into(),
        cadence,
        ordered: false,
        source: String::new(),
        steps,
        clock: Clock::default(),
        playbook: None,
    }
}

fn timed(a: &str, window: i64) -> Clock {
    Clock {
        at: Some(hm(a)),
        window: Some(Duration::minutes(window)),
        ..Clock::default()
    }
}

const SP: Tz = chrono_tz::America::Sao_Paulo; // UTC-3, no DST since 2019

#[test]
fn a_step_is_due_from_its_time_and_overdue_after_its_window_in_local_time() {
    let l = list(Cadence::Daily, vec![step("backup", timed("09:00", 30))]);
    let s = &l.steps[0];
    // 08:59 in São Paulo is 11:59 UTC.
    assert_eq!(
        l.timing(s, at("2026-12-02T11:59:00Z"), SP),
        Timing::NotYet {
            from: at("2026-12-02T12:00:00Z")
        }
    );
    assert_eq!(
        l.timing(s, at("2026-12-02T12:10:00Z"), SP),
        Timing::Due {
            until: Some(at("2026-12-02T12:30:00Z"))
        }
    );
    let late = l.timing(s, at("2026-12-02T12:31:00Z"), SP);
    assert_eq!(late.words(SP), "OVERDUE since 09:30");
    // Just after local midnight it is a new day's work, not yet due.
    assert!(matches!(
        l.timing(s, at("2026-12-03T03:01:00Z"), SP),
        Timing::NotYet { .. }
    ));
    // A list's own time covers its steps without one.
    let mut l2 = list(Cadence::Daily, vec![step("x", Clock::default())]);
    l2.clock = timed("14:00", 30);
    assert_eq!(
        l2.timing(&l2.steps[0], at("2026-12-02T17:45:00Z"), SP)
            .words(SP),
        "OVERDUE since 14:30"
    );
}

#[test]
fn across_a_dst_jump_the_time_is_the_local_one() {
    let ny = chrono_tz::America::New_York;
    let l = list(Cadence::Daily, vec![step("s", timed("09:00", 30))]);
    // 2026-03-08 New York moves to EDT (UTC-4): 09:00 local is 13:00 UTC.
    assert_eq!(
        l.timing(&l.steps[0], at("2026-03-08T13:10:00Z"), ny),
        Timing::Due {
            until: Some(at("2026-03-08T13:30:00Z"))
        }
    );
    // The day before (EST, UTC-5), 09:00 local is 14:00 UTC.
    assert!(matches!(
        l.timing(&l.steps[0], at("2026-03-07T13:10:00Z"), ny),
        Timing::NotYet { .. }
    ));
    // A time the jump skips (02:30 on the 8th) is due from the first minute that exists.
    let skipped = list(Cadence::Daily, vec![step("s", timed("02:30", 30))]);
    assert!(matches!(
        skipped.timing(&skipped.steps[0], at("2026-03-08T07:05:00Z"), ny),
        Timing::Due { .. }
    ));
}

#[test]
fn a_wednesday_step_is_not_mondays_work_and_counts_only_on_its_day() {
    let wed = Clock {
        weekday: Some(Weekday::Wed),
        ..Clock::default()
    };
    let l = list(
        Cadence::Daily,
        vec![step("daily", Clock::default()), step("deps", wed)],
    );
    let monday = at("2026-11-30T15:00:00Z");
    let wednesday = at("2026-12-02T15:00:00Z");
    assert_eq!(
        l.timing(&l.steps[1], monday, SP).words(SP),
        "not today: on Wednesdays"
    );
    assert_eq!(
        Progress::fold(std::slice::from_ref(&l), &[], monday, SP, None).counts(&l),
        (0, 1)
    );
    assert_eq!(
        Progress::fold(std::slice::from_ref(&l), &[], wednesday, SP, None).counts(&l),
        (0, 2)
    );
    // In a weekly list (Monday), a Wednesday step is due from Wednesday.
    let wk = list(
        Cadence::Weekly {
            weekday: Weekday::Mon,
        },
        vec![step("deps", wed)],
    );
    assert!(matches!(
        wk.timing(&wk.steps[0], monday, SP),
        Timing::NotYet { .. }
    ));
    assert!(matches!(
        wk.timing(&wk.steps[0], wednesday, SP),
        Timing::Due { .. }
    ));
}

#[test]
fn a_rollout_counts_its_days_from_the_start_and_keeps_each_step_to_its_day() {
    let start = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let days = DayList::new(&[1, 7, 14, 30]).unwrap();
    let day = |n| Clock {
        day: Some(n),
        ..Clock::default()
    };
    let l = list(
        Cadence::After { start, days },
        vec![
            step("wire", day(1)),
            step("canary", day(7)),
            step("audit", day(30)),
            step("verify", Clock::default()),
        ],
    );
    let nov30 = at("2026-11-30T15:00:00Z");
    assert_eq!(
        l.timing(&l.steps[3], nov30, SP).words(SP),
        "not today: from 2026-12-01"
    );
    let dec1 = at("2026-12-01T15:00:00Z");
    assert_eq!(l.cadence.day_number(dec1, SP), Some(1));
    let due: Vec<&str> = l.steps_now(dec1, SP).map(|s| s.id.as_str()).collect();
    assert_eq!(due, ["wire", "verify"], "not the Day-30 audit on Day 1");
    assert_eq!(
        l.timing(&l.steps[2], dec1, SP).words(SP),
        "not today: Day 30: 2026-12-30"
    );
    // Day 9 is still Day 7's work; Day 30 the audit's.
    let dec9 = at("2026-12-09T15:00:00Z");
    assert_eq!(l.cadence.day_number(dec9, SP), Some(7));
    let dec30 = at("2026-12-30T15:00:00Z");
    let due: Vec<&str> = l.steps_now(dec30, SP).map(|s| s.id.as_str()).collect();
    assert_eq!(due, ["audit", "verify"]);
    assert_eq!(
        l.cadence.period_start(dec9, SP),
        Some(at("2026-12-07T03:00:00Z"))
    );
}

#[test]
fn daily_for_runs_its_days_and_then_is_over() {
    let start = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let l = list(
        Cadence::DailyFor { start, days: 14 },
        vec![step("verify-all", Clock::default())],
    );
    let s = &l.steps[0];
    assert!(l.timing(s, at("2026-12-14T15:00:00Z"), SP).applies());
    assert_eq!(
        l.timing(s, at("2026-12-15T15:00:00Z"), SP).words(SP),
        "not today: ended 2026-12-14 (daily for 14 days)"
    );
    assert!(!l.timing(s, at("2026-11-30T15:00:00Z"), SP).applies());
}

#[test]
fn quarterly_periods_start_on_their_month_and_day() {
    let q = Cadence::Quarterly { month: 1, day: 1 };
    assert_eq!(
        q.period_start(at("2026-12-02T15:00:00Z"), SP),
        Some(at("2026-10-01T03:00:00Z"))
    );
    let q2 = Cadence::Quarterly { month: 2, day: 15 };
    // 2026-02-01: the second month of Q1 has not reached the 15th: Q4's (Nov 15).
    assert_eq!(
        q2.period_start(at("2026-02-01T15:00:00Z"), SP),
        Some(at("2025-11-15T03:00:00Z"))
    );
    assert_eq!(
        q2.period_start(at("2026-02-20T15:00:00Z"), SP),
        Some(at("2026-02-15T03:00:00Z"))
    );
}

#[test]
fn the_handover_lists_todays_work_only_and_says_what_is_overdue() {
    let start = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let day = |n| Clock {
        day: Some(n),
        ..Clock::default()
    };
    let rollout = Checklist {
        name: "Rollout".into(),
        ..list(
            Cadence::After {
                start,
                days: DayList::new(&[1, 30]).unwrap(),
            },
            vec![step("wire", day(1)), step("audit", day(30))],
        )
    };
    let morning = Checklist {
        id: "m".into(),
        name: "Morning".into(),
        ..list(Cadence::Daily, vec![step("backup", timed("09:00", 30))])
    };
    let lists = [rollout, morning];
    let now = at("2026-12-01T13:00:00Z"); // 10:00 in São Paulo, Day 1
    let p = Progress::fold(&lists, &[], now, SP, None);
    let lines = crate::domain::checklist::unfinished(&lists, &p);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].contains("open: Step wire") && !lines[0].contains("audit"),
        "{lines:?}"
    );
    assert!(
        lines[1].contains("Step backup (OVERDUE since 09:30)"),
        "{lines:?}"
    );
}
