//! The incident's life after the page, through the real binary: follow-ups
//! with an owner and a due date, their overdue summary and the handover.

mod common;

use common::run;
use std::path::Path;
use std::process::Command;

fn cmd(ws: &Path) -> Command {
    common::cli(ws)
}

fn declare(ws: &Path, title: &str, service: &str, sev: &str) -> String {
    let (code, id, err) = run(cmd(ws).args([
        "incidents",
        "new",
        "--title",
        title,
        "--service",
        service,
        "--severity",
        sev,
    ]));
    assert_eq!(code, 0, "{err}");
    id.trim().to_string()
}

#[test]
fn followups_are_tracked_closed_and_reach_the_handover() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let id = declare(ws, "HEC token disabled", "splunk-hec", "P2");
    let (code, fu, err) = run(cmd(ws).args([
        "incidents",
        "followup",
        &id,
        "raise the HEC token alert to P2",
        "--owner",
        "bo",
        "--due",
        "3d",
    ]));
    assert_eq!(code, 0, "{err}");
    let fu = fu.trim().to_string();
    assert!(fu.starts_with("fu-") && fu.len() == 9, "{fu}");
    // Owner and due are needed; a due that is no span or day is named.
    let (code, _, err) = run(cmd(ws).args([
        "incidents",
        "followup",
        &id,
        "x",
        "--owner",
        "bo",
        "--due",
        "soon",
    ]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("write a span (3d, 36h, 2w) or a day"), "{err}");

    // One written by another tool, due yesterday: overdue.
    let events = ws.join("incidents/events.jsonl");
    let mut text = std::fs::read_to_string(&events).unwrap();
    let past = (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339();
    let created = (chrono::Utc::now() - chrono::Duration::days(4)).to_rfc3339();
    text.push_str(&format!(
        "{{\"incident_id\":\"{id}\",\"at\":\"{created}\",\"by\":\"cy\",\"type\":\"followup\",\"message\":\"rotate the HEC token\",\"followup\":\"fu-0ld0ld\",\"owner\":\"cy\",\"due\":\"{past}\"}}\n"
    ));
    std::fs::write(&events, text).unwrap();

    let (code, out, err) = run(cmd(ws).args(["incidents", "followups"]));
    assert_eq!(code, 12, "an overdue one sets exit 12: {out}{err}");
    assert!(
        err.contains("2 open (1 overdue), 0 done, 0 dropped"),
        "{err}"
    );
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with("fu-0ld0ld") && first.contains("OVERDUE"),
        "overdue first: {out}"
    );
    let (_, out, _) = run(cmd(ws).args(["incidents", "followups", "--overdue", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["followups"].as_array().unwrap().len(), 1);
    assert_eq!(v["summary"]["overdue"], 1);
    assert_eq!(v["followups"][0]["owner"], "cy");

    let (_, md, _) = run(cmd(ws).args(["handover", "--markdown", "--no-probe"]));
    assert!(md.contains("**1 follow-up overdue.**"), "{md}");
    assert!(md.contains("## Follow-ups (2)"), "{md}");
    assert!(
        md.contains("`fu-0ld0ld` rotate the HEC token — cy, due"),
        "{md}"
    );

    // Dropping needs a reason; done closes it once.
    let (code, _, err) =
        run(cmd(ws).args(["incidents", "followup-close", &id, "0ld0ld", "--dropped"]));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("needs a reason"), "{err}");
    let (code, _, err) = run(cmd(ws).args([
        "incidents",
        "followup-close",
        &id,
        "0ld0ld",
        "--dropped",
        "--reason",
        "token retired instead",
    ]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(cmd(ws).args(["incidents", "followup-close", &id, &fu, "--done"]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(cmd(ws).args(["incidents", "followup-close", &id, &fu, "--done"]));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("already done by ana.lima"), "{err}");
    let (code, _, err) = run(cmd(ws).args(["incidents", "followups"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("0 open (0 overdue), 1 done, 1 dropped"),
        "{err}"
    );
    let (_, show, _) = run(cmd(ws).args(["incidents", "show", &id]));
    assert!(show.contains(&format!("{fu} (bo, due")), "{show}");
    assert!(
        show.contains("fu-0ld0ld dropped: token retired instead"),
        "{show}"
    );
}

/// Evidence (seed 004: files under incidents/<id>/, md/json/txt, 2 MB at
/// most): a file or a command's output, redacted on the way in, indexed in
/// artifacts.jsonl and noted on the timeline; anything else refused clearly.
#[test]
fn evidence_is_attached_redacted_listed_and_refused_when_it_should_be() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let id = declare(ws, "verify-all FAIL after go-live", "platform", "P2");
    let key = "0f3a9c7e5b1d2f4a6c8e0b2d4f6a8c0e";
    let src = dir.path().join("verify-day1.log");
    std::fs::write(
        &src,
        format!("datadog PASS\nslack FAIL 404 no_service\nDD_API_KEY={key}\n\x1b[31mred\x1b[0m\n"),
    )
    .unwrap();
    let (code, out, err) = run(cmd(ws).env("DD_API_KEY", key).args([
        "incidents",
        "attach",
        &id,
        src.to_str().unwrap(),
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), format!("incidents/{id}/verify-day1.log"));
    assert!(err.contains("redacted before saving: DD_API_KEY"), "{err}");
    let kept = std::fs::read_to_string(ws.join(out.trim())).unwrap();
    assert!(
        kept.contains("slack FAIL 404") && !kept.contains(key) && !kept.contains('\x1b'),
        "{kept:?}"
    );

    let (code, out, err) = run(cmd(ws).args([
        "incidents",
        "attach",
        &id,
        "--command",
        "echo 'last hour'; echo done >&2",
    ]));
    assert_eq!(code, 0, "{err}");
    let log = std::fs::read_to_string(ws.join(out.trim())).unwrap();
    assert!(log.contains("last hour") && log.contains("done"), "{log}");
    // The same name again is kept beside the first; a file a crash left
    // without its index line is not written over either.
    let (_, again, _) = run(cmd(ws).args(["incidents", "attach", &id, src.to_str().unwrap()]));
    assert!(again.trim().ends_with("verify-day1-2.log"), "{again}");
    std::fs::write(
        ws.join(format!("incidents/{id}/verify-day1-3.log")),
        "left by a crash",
    )
    .unwrap();
    let (code, third, err) = run(cmd(ws).args(["incidents", "attach", &id, src.to_str().unwrap()]));
    assert_eq!(code, 0, "{err}");
    assert!(third.trim().ends_with("verify-day1-4.log"), "{third}");
    assert_eq!(
        std::fs::read_to_string(ws.join(format!("incidents/{id}/verify-day1-3.log"))).unwrap(),
        "left by a crash"
    );

    let tar = dir.path().join("dump.tar");
    std::fs::write(&tar, b"x").unwrap();
    let (code, _, err) = run(cmd(ws).args(["incidents", "attach", &id, tar.to_str().unwrap()]));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("only .md, .json, .txt and .log"), "{err}");
    let big = dir.path().join("big.log");
    std::fs::write(&big, vec![b'a'; 2 * 1024 * 1024 + 1]).unwrap();
    let (code, _, err) = run(cmd(ws).args(["incidents", "attach", &id, big.to_str().unwrap()]));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("over the 2 MB"), "{err}");
    let bin = dir.path().join("bin.log");
    std::fs::write(&bin, [0xff, 0xfe, 0x00]).unwrap();
    let (code, _, err) = run(cmd(ws).args(["incidents", "attach", &id, bin.to_str().unwrap()]));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("not UTF-8 text"), "{err}");

    let (code, list, _) = run(cmd(ws).args(["incidents", "evidence", &id]));
    assert_eq!(code, 0);
    assert_eq!(list.lines().count(), 4, "{list}");
    assert!(
        list.contains("verify-day1.log") && list.contains("redacted DD_API_KEY"),
        "{list}"
    );
    let (_, one, _) = run(cmd(ws).args(["incidents", "evidence", &id, "verify-day1.log"]));
    assert!(one.contains("slack FAIL 404"), "{one}");
    let index = std::fs::read_to_string(ws.join("incidents/artifacts.jsonl")).unwrap();
    assert_eq!(index.lines().count(), 4);
    let (_, show, _) = run(cmd(ws).args(["incidents", "show", &id]));
    assert!(show.contains("evidence verify-day1.log ("), "{show}");
    let (code, _, _) = run(cmd(ws).args([
        "--readonly",
        "incidents",
        "attach",
        &id,
        src.to_str().unwrap(),
    ]));
    assert_eq!(code, 5);
}

/// The post-mortem draft (seed 002 §6 step 6) comes from the files, and a
/// second draft keeps what the operator wrote in its own sections.
#[test]
fn the_postmortem_draft_is_written_and_redrafted_keeping_the_causes() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let id = declare(ws, "Export Center run failures", "export-center", "P2");
    for args in [
        vec!["incidents", "ack", &id],
        vec![
            "incidents",
            "note",
            &id,
            "errorCode=distribution: switched to download-only",
        ],
        vec![
            "incidents",
            "resolve",
            &id,
            "--message",
            "object store back",
        ],
    ] {
        let (code, _, err) = run(cmd(ws).args(&args));
        assert_eq!(code, 0, "{err}");
    }
    let log = dir.path().join("worker.log");
    std::fs::write(&log, "run 42 failed: distribution\n").unwrap();
    run(cmd(ws).args(["incidents", "attach", &id, log.to_str().unwrap()]));
    run(cmd(ws).args([
        "incidents",
        "followup",
        &id,
        "restore the OCI distribution",
        "--owner",
        "bo",
        "--due",
        "2w",
    ]));
    let (code, path, err) = run(cmd(ws).args(["incidents", "postmortem", &id]));
    assert_eq!(code, 0, "{err}");
    let path = ws.join(path.trim());
    assert!(path.ends_with(format!("incidents/{id}/post-mortem.md")));
    let md = std::fs::read_to_string(&path).unwrap();
    for want in [
        "## Timeline (",
        "**ack** by ana.lima",
        "switched to download-only",
        "(target 1h 00m: met)",
        "[worker.log](worker.log)",
        "restore the OCI distribution — bo",
        "## Causes\n\n_To be written._",
    ] {
        assert!(md.contains(want), "{want:?} not in\n{md}");
    }
    std::fs::write(
        &path,
        md.replace(
            "## Causes\n\n_To be written._",
            "## Causes\n\nThe object store's TLS certificate expired.",
        ),
    )
    .unwrap();
    run(cmd(ws).args(["incidents", "note", &id, "cert renewed, 90-day alert added"]));
    let (code, again, err) = run(cmd(ws).args(["incidents", "postmortem", &id, "--markdown"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        again.contains("## Causes\n\nThe object store's TLS certificate expired."),
        "{again}"
    );
    assert!(
        again.contains("cert renewed, 90-day alert added"),
        "the new note is in:\n{again}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), again);
    let (code, _, _) = run(cmd(ws).args(["--readonly", "incidents", "postmortem", &id]));
    assert_eq!(code, 5);
}

/// The Friday report (seed 001 §3.3) from the files: this week's incidents
/// against their targets, follow-ups, checklists, change records.
#[test]
fn the_weekly_report_reads_the_week_from_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let a = declare(ws, "HEC token disabled", "splunk-hec", "P2");
    declare(ws, "Gateway 5xx rate", "gateway", "P1");
    run(cmd(ws).args(["incidents", "ack", &a]));
    let (code, _, err) =
        run(cmd(ws).args(["checklists", "check", "shift-handover", "status-board"]));
    assert_eq!(code, 0, "{err}");
    run(cmd(ws).args([
        "journal",
        "change",
        "Restarted the HEC forwarder",
        "--type",
        "hotfix",
        "--impact",
        "low",
        "--rollback",
        "start the old unit",
    ]));
    run(cmd(ws).args(["journal", "add", "ran verify by hand", "--tag", "deviation"]));
    let (code, md, err) = run(cmd(ws).args(["report", "weekly"]));
    assert_eq!(code, 0, "{err}");
    let week = shiftdeck::domain::report::Week::of(chrono::Utc::now(), chrono_tz::UTC).to_string();
    for want in [
        format!("# Weekly report — {week}"),
        "## Incidents (2)".to_string(),
        "- **P2**: 1 declared · MTTA".to_string(),
        "- by service: gateway 1, splunk-hec 1".to_string(),
        "- shift-handover: 1 done, 0 skipped, 0 failed".to_string(),
        "## Change records (1)".to_string(),
        "ran verify by hand (ana.lima)".to_string(),
    ] {
        assert!(md.contains(&want), "{want:?} not in\n{md}");
    }
    let (code, json, _) = run(cmd(ws).args(["report", "weekly", "--json", "--week", &week]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["incidents"], 2);
    let (_, md, _) = run(cmd(ws).args(["report", "weekly", "--week", "2020-W01"]));
    assert!(md.contains("## Incidents (0)"), "another week: {md}");
    let (code, _, err) = run(cmd(ws).args(["report", "weekly", "--week", "last week"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("2026-W48"), "{err}");
}
