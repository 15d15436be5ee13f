use super::*;

fn step(id: &str) -> Step {
    Step {
        id: id.into(),
        title: format!("Step {id}"),
        detail: String::new(),
        criteria: vec![],
        command: None,
        timeout: 60,
        requires: vec![],
        clock: Clock::default(),
    }
}

fn list(id: &str, cadence: Cadence, ordered: bool) -> Checklist {
    Checklist {
        id: id.into(),
        name: format!("List {id}"),
        cadence,
        ordered,
        source: String::new(),
        steps: vec![step("a"), step("b"), step("c")],
        clock: Clock::default(),
        playbook: None,
    }
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn done(list: &Checklist, step_id: &str, when: &str, shift: &str) -> JournalEntry {
    let s = list.steps.iter().find(|s| s.id == step_id).unwrap();
    step_entry(at(when), shift, "ana", list, s, "done")
}

#[test]
fn daily_periods_follow_the_operators_midnight() {
    let sp = chrono_tz::America::Sao_Paulo; // UTC-3
    // 02:30 UTC on the 14th is 23:30 on the 13th in São Paulo.
    assert_eq!(
        Cadence::Daily.period_start(at("2026-05-14T02:30:00Z"), sp),
        Some(at("2026-05-13T03:00:00Z"))
    );
    assert_eq!(
        Cadence::Daily.period_start(at("2026-05-14T03:30:00Z"), sp),
        Some(at("2026-05-14T03:00:00Z"))
    );
    assert_eq!(
        Cadence::Daily.period_start(at("2026-05-14T03:30:00Z"), Tz::UTC),
        Some(at("2026-05-14T00:00:00Z"))
    );
}

#[test]
fn weekly_and_monthly_periods_cross_their_boundaries() {
    let utc = Tz::UTC;
    let monday = Cadence::Weekly {
        weekday: Weekday::Mon,
    };
    // 2026-05-14 is a Thursday: the week began on Monday the 11th.
    assert_eq!(
        monday.period_start(at("2026-05-14T12:00:00Z"), utc),
        Some(at("2026-05-11T00:00:00Z"))
    );
    assert_eq!(
        monday.period_start(at("2026-05-11T00:00:00Z"), utc),
        Some(at("2026-05-11T00:00:00Z"))
    );
    assert_eq!(
        monday.period_start(at("2026-05-10T23:59:59Z"), utc),
        Some(at("2026-05-04T00:00:00Z"))
    );
    let fifteenth = Cadence::Monthly { day: 15 };
    assert_eq!(
        fifteenth.period_start(at("2026-05-14T12:00:00Z"), utc),
        Some(at("2026-04-15T00:00:00Z"))
    );
    assert_eq!(
        fifteenth.period_start(at("2026-05-15T00:00:00Z"), utc),
        Some(at("2026-05-15T00:00:00Z"))
    );
    assert_eq!(
        fifteenth.period_start(at("2026-01-03T00:00:00Z"), utc),
        Some(at("2025-12-15T00:00:00Z")),
        "across the year"
    );
    assert_eq!(
        Cadence::Once.period_start(at("2026-01-03T00:00:00Z"), utc),
        None
    );
}

#[test]
fn a_dst_jump_at_midnight_does_not_lose_the_day() {
    // Chile skips midnight when DST begins (2026-09-06 00:00 → 01:00).
    let tz = chrono_tz::America::Santiago;
    let start = Cadence::Daily
        .period_start(at("2026-09-06T12:00:00Z"), tz)
        .unwrap();
    assert_eq!(
        start.with_timezone(&tz).date_naive(),
        NaiveDate::from_ymd_opt(2026, 9, 6).unwrap()
    );
}

#[test]
fn progress_carries_across_shifts_until_the_period_ends() {
    let daily = list("daily", Cadence::Daily, false);
    let per_shift = list("handover", Cadence::Shift, false);
    let lists = vec![daily.clone(), per_shift.clone()];
    let entries = vec![
        done(&daily, "a", "2026-05-13T23:00:00Z", "s1"),
        done(&daily, "b", "2026-05-14T09:00:00Z", "s1"),
        done(&per_shift, "a", "2026-05-14T09:05:00Z", "s1"),
    ];
    let now = at("2026-05-14T15:00:00Z");
    let p = Progress::fold(&lists, &entries, now, Tz::UTC, Some("s2"));
    assert_eq!(p.counts(&daily), (1, 3), "yesterday's check is not today's");
    assert!(
        matches!(p.state("daily", "b"), StepState::Done { .. }),
        "the morning shift's check carries into the next shift"
    );
    assert_eq!(
        p.counts(&per_shift),
        (0, 3),
        "a per-shift checklist starts over each shift"
    );
}

#[test]
fn ordered_lists_refuse_a_step_before_its_precondition() {
    let mut l = list("day1", Cadence::Once, true);
    l.steps[2].requires = vec!["a".into()];
    let mut p = Progress::default();
    assert_eq!(p.gate(&l, "a"), Ok(()));
    let refusal = p.gate(&l, "b").unwrap_err();
    assert!(
        refusal.contains("step 1 \"Step a\" comes before step 2"),
        "{refusal}"
    );
    p.record(
        std::slice::from_ref(&l),
        &done(&l, "a", "2026-05-14T01:00:00Z", "s"),
        at("2026-05-14T02:00:00Z"),
        Tz::UTC,
        Some("s"),
    );
    assert_eq!(p.gate(&l, "b"), Ok(()));
    let skipped = step_entry(
        at("2026-05-14T01:10:00Z"),
        "s",
        "ana",
        &l,
        &l.steps[1],
        "skipped",
    )
    .with("reason", "no Docker on the jump host");
    p.record(
        std::slice::from_ref(&l),
        &skipped,
        at("2026-05-14T02:00:00Z"),
        Tz::UTC,
        Some("s"),
    );
    assert_eq!(
        p.gate(&l, "c"),
        Ok(()),
        "a step skipped with a reason no longer blocks"
    );

    let mut free = list("free", Cadence::Daily, false);
    free.steps[1].requires = vec!["c".into()];
    let p = Progress::default();
    assert!(
        p.gate(&free, "b")
            .unwrap_err()
            .contains("needs \"Step c\" first")
    );
    assert_eq!(p.gate(&free, "c"), Ok(()));
}

#[test]
fn a_failed_run_keeps_its_output_and_unfinished_steps_are_listed() {
    let l = list("morning", Cadence::Daily, false);
    let failed = step_entry(
        at("2026-05-14T08:00:00Z"),
        "s",
        "ana",
        &l,
        &l.steps[0],
        "failed",
    )
    .with("exit_code", 3)
    .with("output", "mysql: inactive");
    let p = Progress::fold(
        std::slice::from_ref(&l),
        &[failed],
        at("2026-05-14T09:00:00Z"),
        Tz::UTC,
        Some("s"),
    );
    assert_eq!(
        p.state("morning", "a"),
        &StepState::Failed {
            by: "ana".into(),
            at: at("2026-05-14T08:00:00Z"),
            exit: Some(3),
            output: "mysql: inactive".into()
        }
    );
    assert_eq!(
        unfinished(std::slice::from_ref(&l), &p),
        vec!["List morning (daily): 0/3 done — open: Step a; Step b; Step c".to_string()]
    );
}

#[test]
fn a_once_only_list_is_handed_over_once_begun_not_every_shift() {
    let l = list("day1", Cadence::Once, false);
    let now = at("2026-05-14T09:00:00Z");
    let p = Progress::fold(std::slice::from_ref(&l), &[], now, Tz::UTC, Some("s"));
    assert!(
        unfinished(std::slice::from_ref(&l), &p).is_empty(),
        "nobody has begun it: not the next shift's business"
    );
    let begun = done(&l, "a", "2026-05-14T08:00:00Z", "s");
    let p = Progress::fold(std::slice::from_ref(&l), &[begun], now, Tz::UTC, Some("s"));
    assert_eq!(
        unfinished(std::slice::from_ref(&l), &p),
        vec!["List day1 (once): 1/3 done — open: Step b; Step c".to_string()]
    );
}

#[test]
fn a_check_can_be_taken_back_by_its_operator_for_ten_minutes() {
    let at = chrono::Utc::now();
    let done = StepState::Done {
        by: "ana".into(),
        at,
    };
    assert!(
        done.retractable("ana", at + chrono::Duration::minutes(9))
            .is_ok()
    );
    let late = done
        .retractable("ana", at + chrono::Duration::minutes(11))
        .unwrap_err();
    assert!(late.contains("it stands"), "{late}");
    assert!(
        done.retractable("bo", at)
            .unwrap_err()
            .contains("ana recorded it")
    );
    assert!(StepState::Open.retractable("ana", at).is_err());
}
