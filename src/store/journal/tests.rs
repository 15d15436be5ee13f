use super::*;
use chrono::TimeZone;

fn t(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 14, h, m, 0).unwrap()
}

#[test]
fn a_shift_starts_resumes_and_ends() {
    let ws = tempfile::tempdir().unwrap();
    let j = JournalStore::new(ws.path());
    let (shift, entries, _, resumed) = j.current_or_start("ana", t(3, 0)).unwrap();
    assert!(!resumed);
    assert_eq!(shift.id, "20260514-0300-ana");
    assert!(
        shift
            .path
            .ends_with("journal/2026-05-14_20260514-0300-ana.jsonl")
    );
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].kind, EntryKind::ShiftStart);

    j.append(
        &shift,
        &JournalEntry::note(t(3, 5), &shift.id, "ana", "checked backups #pending", &[]),
    )
    .unwrap();
    let (again, entries, _, resumed) = j.current_or_start("ana", t(4, 0)).unwrap();
    assert!(resumed, "the open shift is resumed");
    assert_eq!(again.id, shift.id);
    assert_eq!(again.started, t(3, 0));
    assert_eq!(entries.len(), 2);

    // Another operator's shift is theirs.
    let (bo, _, _, resumed) = j.current_or_start("bo", t(4, 0)).unwrap();
    assert!(!resumed && bo.id.ends_with("-bo"));

    j.append(
        &shift,
        &JournalEntry::new(t(11, 0), &shift.id, "ana", EntryKind::ShiftEnd),
    )
    .unwrap();
    let (next, _, _, resumed) = j.current_or_start("ana", t(19, 0)).unwrap();
    assert!(!resumed, "an ended shift is not resumed");
    assert_eq!(next.id, "20260514-1900-ana");
}

#[test]
fn a_failed_write_goes_to_a_fallback_and_says_so() {
    let ws = tempfile::tempdir().unwrap();
    let j = JournalStore::new(ws.path());
    let shift = j.start_shift("ana", t(3, 0)).unwrap();
    let before = std::fs::read(&shift.path).unwrap();
    // A full disk: writes to /dev/full fail with ENOSPC.
    let full = Shift {
        path: ws
            .path()
            .join("journal/2026-05-14_20260514-0300-ana-full.jsonl"),
        ..shift.clone()
    };
    std::os::unix::fs::symlink("/dev/full", &full.path).unwrap();
    let entry = JournalEntry::note(
        t(3, 1),
        &shift.id,
        "ana",
        "the one note that must not be lost",
        &[],
    );
    let err = j.append(&full, &entry).unwrap_err();
    let fallback = err.fallback.clone().expect("kept somewhere");
    assert!(
        err.to_string().starts_with("NOT SAVED in the journal"),
        "{err}"
    );
    let kept = std::fs::read_to_string(&fallback).unwrap();
    assert!(kept.contains("the one note that must not be lost"));
    assert_eq!(
        std::fs::read(&shift.path).unwrap(),
        before,
        "what was saved is untouched"
    );
}

#[test]
fn drafts_survive_and_clear() {
    let ws = tempfile::tempdir().unwrap();
    let j = JournalStore::new(ws.path());
    assert_eq!(j.load_draft("ana").unwrap(), None);
    j.save_draft("ana", "HEC token rotated at 02:10,\nwatch the queue")
        .unwrap();
    assert_eq!(
        j.load_draft("ana").unwrap().as_deref(),
        Some("HEC token rotated at 02:10,\nwatch the queue")
    );
    assert_eq!(j.load_draft("bo").unwrap(), None, "drafts are per operator");
    j.clear_draft("ana").unwrap();
    assert_eq!(j.load_draft("ana").unwrap(), None);
    j.clear_draft("ana").unwrap();
}

#[test]
fn the_latest_handover_of_another_shift_is_found() {
    let ws = tempfile::tempdir().unwrap();
    let j = JournalStore::new(ws.path());
    assert!(j.latest_handover("20260514-1100-bo").unwrap().is_none());
    j.write_handover("20260513-1900-cy", "# old").unwrap();
    j.write_handover("20260514-0300-ana", "# ana's").unwrap();
    let h = j.latest_handover("20260514-1100-bo").unwrap().unwrap();
    assert_eq!(
        (h.shift.as_str(), h.markdown.as_str()),
        ("20260514-0300-ana", "# ana's")
    );
    let own = j.latest_handover("20260514-0300-ana").unwrap().unwrap();
    assert_eq!(
        own.shift, "20260513-1900-cy",
        "a shift's own handover is not its predecessor's"
    );
}

#[test]
fn search_and_since_scan_across_shifts() {
    let ws = tempfile::tempdir().unwrap();
    let j = JournalStore::new(ws.path());
    let a = j.start_shift("ana", t(3, 0)).unwrap();
    j.append(
        &a,
        &JournalEntry::note(t(3, 10), &a.id, "ana", "HEC token disabled again", &[]),
    )
    .unwrap();
    let b = j.start_shift("bo", t(11, 0)).unwrap();
    j.append(
        &b,
        &JournalEntry::note(
            t(11, 30),
            &b.id,
            "bo",
            "hec queue drained, TOKEN re-enabled",
            &[],
        ),
    )
    .unwrap();
    let hits = j.search(&["hec".into(), "token".into()]).unwrap();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0].operator, "ana", "oldest first");
    assert!(
        j.search(&["note".into()]).unwrap().is_empty(),
        "the kind's name is not what an entry says"
    );
    let (recent, _) = j.since(t(11, 0)).unwrap();
    assert!(recent.iter().all(|e| e.at >= t(11, 0)));
    assert_eq!(recent.len(), 2, "bo's start and note");
    assert!(j.find_shift("0300-ana").unwrap().is_ok());
    assert!(
        j.find_shift("2026")
            .unwrap()
            .unwrap_err()
            .contains("matches 2")
    );
}

#[test]
fn a_shift_started_in_the_minute_the_last_one_ended_has_its_own_id_and_file() {
    let ws = tempfile::tempdir().unwrap();
    let j = JournalStore::new(ws.path());
    let first = j.start_shift("ana", t(15, 50)).unwrap();
    j.append(
        &first,
        &JournalEntry::new(t(15, 50), &first.id, "ana", EntryKind::ShiftEnd),
    )
    .unwrap();
    let (second, entries, _, resumed) = j.current_or_start("ana", t(15, 50)).unwrap();
    assert!(!resumed);
    assert_ne!(second.id, first.id);
    assert_ne!(second.path, first.path);
    assert_eq!(second.id, "20260514-1551-ana");
    // The new file holds only the new shift's start, at the real time.
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].at, t(15, 50));
    assert_eq!(j.open_shift("ana").unwrap().unwrap().0.id, second.id);
}
