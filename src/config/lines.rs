//! Finding the line a key, a table or a field of `shiftdeck.toml` is on,
//! so every problem names it.

/// The line of a table of an array: its `name = …` line, else the n-th
/// `[[table]]` header.
pub(super) fn table_line(
    source: &str,
    table: &str,
    value: &toml::Value,
    index: usize,
) -> Option<usize> {
    if let Some(name) = value.get("name").and_then(|n| n.as_str()) {
        return nth_table_line(source, table, name);
    }
    header_line(source, table, index).or_else(|| key_line(source, table))
}

/// The line that sets `field` inside `[table]`.
pub(super) fn table_field_line(source: &str, table: &str, field: &str) -> Option<usize> {
    let mut inside = false;
    for (i, l) in source.lines().enumerate() {
        let t = l.trim();
        if t.starts_with('[') {
            inside = t == format!("[{table}]");
            continue;
        }
        if inside
            && t.strip_prefix(field)
                .is_some_and(|r| r.trim_start().starts_with('='))
        {
            return Some(i + 1);
        }
    }
    None
}

/// The line of the n-th `[[table]]` header.
pub(super) fn header_line(source: &str, table: &str, index: usize) -> Option<usize> {
    let header = format!("[[{table}]]");
    source
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == header)
        .nth(index)
        .map(|(i, _)| i + 1)
}

/// The line that sets `field` in the n-th `[[table]]`, if it is there.
pub(super) fn field_line(source: &str, table: &str, index: usize, field: &str) -> Option<usize> {
    let start = header_line(source, table, index)?;
    source
        .lines()
        .enumerate()
        .skip(start)
        .take_while(|(_, l)| !l.trim_start().starts_with('['))
        .find(|(_, l)| {
            l.trim_start()
                .strip_prefix(field)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|(i, _)| i + 1)
}

/// The field a problem or an error message is about: `timeout: …` or
/// "unknown field `api_key`".
pub(super) fn field_of(message: &str) -> Option<&str> {
    if let Some(f) = message.split('`').nth(1) {
        return Some(f);
    }
    message.split(':').next().filter(|f| !f.contains(' '))
}

/// For an unknown field inside `[table]`, the line that sets it.
pub(super) fn inner_line(source: &str, table: &str, e: &toml::de::Error) -> Option<usize> {
    table_field_line(source, table, e.message().split('`').nth(1)?)
}

pub(super) fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

/// The line of the `name = "…"` inside a `[[table]]`, else the table's first line.
pub(super) fn nth_table_line(source: &str, table: &str, name: &str) -> Option<usize> {
    let mut inside = false;
    for (i, l) in source.lines().enumerate() {
        let t = l.trim();
        if t.starts_with('[') {
            inside = t == format!("[[{table}]]");
            continue;
        }
        if inside
            && let Some(rest) = t.strip_prefix("name")
            && let Some(v) = rest.trim_start().strip_prefix('=')
            && v.trim().trim_matches('"') == name
        {
            return Some(i + 1);
        }
    }
    key_line(source, table)
}

/// The line where a top-level key is set (`key =`, `[key]` or `[[key]]`).
pub(super) fn key_line(source: &str, key: &str) -> Option<usize> {
    source
        .lines()
        .position(|l| {
            let l = l
                .trim_start()
                .trim_start_matches('[')
                .trim_start_matches('"');
            l.strip_prefix(key).is_some_and(|rest| {
                let rest = rest.trim_start_matches('"').trim_start();
                rest.starts_with('=') || rest.starts_with(']') || rest.starts_with('.')
            })
        })
        .map(|i| i + 1)
}
