use super::*;
use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Rec {
    seq: u64,
    text: String,
}

fn rec(seq: u64) -> Rec {
    Rec {
        seq,
        text: format!("entry {seq} — ünïcødé ✓"),
    }
}

#[test]
fn appended_lines_read_back_incrementally() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.jsonl");
    let mut tail = JsonlTail::new(path.clone());
    assert!(
        tail.read_new::<Rec>().unwrap().items.is_empty(),
        "missing file reads as empty"
    );
    append_line(&path, &rec(1)).unwrap();
    append_line(&path, &rec(2)).unwrap();
    assert!(tail.has_news());
    assert_eq!(tail.read_new::<Rec>().unwrap().items, vec![rec(1), rec(2)]);
    assert!(!tail.has_news());
    append_line(&path, &rec(3)).unwrap();
    let r = tail.read_new::<Rec>().unwrap();
    assert_eq!(r.items, vec![rec(3)]);
    assert!(!r.reset);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), 3);
    assert!(text.ends_with('\n'));
}

#[test]
fn a_torn_last_line_is_reported_and_the_next_append_starts_fresh() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.jsonl");
    append_line(&path, &rec(1)).unwrap();
    // A crash mid-write leaves half a record without its newline.
    let mut f = OpenOptions::new().append(true).open(&path).unwrap();
    f.write_all(br#"{"seq":2,"te"#).unwrap();
    drop(f);
    let mut tail = JsonlTail::new(path.clone());
    let first = tail.read_new::<Rec>().unwrap();
    assert_eq!(first.items, vec![rec(1)]);
    let frag = tail
        .trailing_fragment()
        .unwrap()
        .expect("fragment reported");
    assert_eq!(frag.line, 2);
    assert!(frag.message.contains("incomplete last line"));

    append_line(&path, &rec(3)).unwrap();
    let next = tail.read_new::<Rec>().unwrap();
    assert_eq!(next.items, vec![rec(3)], "the new record survives intact");
    assert_eq!(next.issues.len(), 1);
    assert_eq!(next.issues[0].line, 2, "the fragment is named by its line");
    let raw = std::fs::read_to_string(&path).unwrap();
    assert!(
        raw.contains(r#"{"seq":2,"te"#),
        "the fragment is left in place"
    );
}

#[test]
fn malformed_lines_are_skipped_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.jsonl");
    std::fs::write(&path, "{\"seq\":1,\"text\":\"a\"}\nnot json\n\n{\"seq\":\"x\",\"text\":\"b\"}\n{\"seq\":4,\"text\":\"d\"}\n").unwrap();
    let r = JsonlTail::new(path.clone()).read_new::<Rec>().unwrap();
    assert_eq!(
        r.items.iter().map(|r| r.seq).collect::<Vec<_>>(),
        vec![1, 4]
    );
    let lines: Vec<usize> = r.issues.iter().map(|i| i.line).collect();
    assert_eq!(lines, vec![2, 4]);
    let shown = r.issues[0].to_string();
    assert!(
        shown.starts_with(&format!("{}:2: not valid JSON", path.display())),
        "{shown}"
    );
    assert!(
        r.issues[1]
            .message
            .starts_with("field \"seq\": invalid type"),
        "{}",
        r.issues[1].message
    );
}

#[test]
fn a_replaced_file_is_read_again_from_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.jsonl");
    append_line(&path, &rec(1)).unwrap();
    append_line(&path, &rec(2)).unwrap();
    let mut tail = JsonlTail::new(path.clone());
    assert_eq!(tail.read_new::<Rec>().unwrap().items.len(), 2);
    let other = dir.path().join("b.jsonl");
    append_line(&other, &rec(9)).unwrap();
    std::fs::rename(&other, &path).unwrap();
    let r = tail.read_new::<Rec>().unwrap();
    assert!(r.reset);
    assert_eq!(r.items, vec![rec(9)]);
}

/// Cut a journal at every byte, then append: every record written before the
/// cut point that was whole stays readable, and the new record is always whole.
#[test]
fn truncation_sweep_never_costs_a_whole_record() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src.jsonl");
    for i in 0..6 {
        append_line(&src, &rec(i)).unwrap();
    }
    let full = std::fs::read(&src).unwrap();
    for cut in 0..=full.len() {
        let path = dir.path().join(format!("cut{cut}.jsonl"));
        std::fs::write(&path, &full[..cut]).unwrap();
        // A record whose JSON is complete survives even if its newline was cut.
        let whole_before = full
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' && i <= cut)
            .count() as u64;
        append_line(&path, &rec(100)).unwrap();
        let r = JsonlTail::new(path.clone()).read_new::<Rec>().unwrap();
        let seqs: Vec<u64> = r.items.iter().map(|r| r.seq).collect();
        let mut expected: Vec<u64> = (0..whole_before).collect();
        expected.push(100);
        assert_eq!(seqs, expected, "cut at byte {cut}");
        assert!(r.issues.len() <= 1, "at most the torn fragment is skipped");
        std::fs::remove_file(&path).unwrap();
    }
}

#[test]
fn concurrent_appenders_never_interleave() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.jsonl");
    let threads: Vec<_> = (0..4u64)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                for i in 0..250 {
                    append_line(&path, &rec(w * 1000 + i)).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let r = JsonlTail::new(path).read_new::<Rec>().unwrap();
    assert!(r.issues.is_empty(), "{:?}", r.issues.first());
    assert_eq!(r.items.len(), 1000);
    for w in 0..4u64 {
        let mine: Vec<u64> = r
            .items
            .iter()
            .map(|r| r.seq)
            .filter(|s| s / 1000 == w)
            .collect();
        assert_eq!(
            mine,
            (0..250).map(|i| w * 1000 + i).collect::<Vec<_>>(),
            "writer {w} in order"
        );
    }
}

#[test]
fn a_large_file_parses_in_parallel_in_order_with_true_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    let mut text = String::new();
    for i in 0..20_000u64 {
        if i == 12_345 {
            text.push_str("{broken\n");
        }
        text.push_str(&serde_json::to_string(&rec(i)).unwrap());
        text.push('\n');
    }
    std::fs::write(&path, &text).unwrap();
    assert!(text.len() > 2 * super::PARALLEL_FROM);
    let mut tail = JsonlTail::new(path.clone());
    let r = tail.read_new::<Rec>().unwrap();
    assert_eq!(r.items.len(), 20_000);
    assert!(
        r.items.iter().enumerate().all(|(i, r)| r.seq == i as u64),
        "file order kept"
    );
    assert_eq!(r.issues.len(), 1);
    assert_eq!(r.issues[0].line, 12_346, "line numbers count across chunks");
    append_line(&path, &rec(20_000)).unwrap();
    let more = tail.read_new::<Rec>().unwrap();
    assert_eq!(more.items, vec![rec(20_000)]);
    append_line(&path, &serde_json::json!({"seq": "nope"})).unwrap();
    let r = tail.read_new::<Rec>().unwrap();
    assert_eq!(
        r.issues[0].line, 20_003,
        "line numbers carry on after the first read"
    );
}
