//! Sanitise at the edge: text from outside (vendor titles, notes, command
//! output, files another tool wrote) loses the characters a terminal, a
//! Markdown viewer or Slack would act on before it reaches any of them.
//!
//! Unsafe are the C0 controls other than newline and tab (ESC starts every
//! terminal escape: OSC 52 clipboard writes, window titles, clearing the
//! screen, leaving the alternate screen), DEL, the C1 controls
//! (U+0080–U+009F: a UTF-8 terminal may read U+009B as CSI) and the bidi
//! controls that make text read in another order than it is written
//! (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).
//!
//! One place decides what is unsafe ([`is_unsafe`]); the edges choose how to
//! neutralise it: [`text`] drops it (newlines kept), [`line`] also folds line
//! breaks into spaces, and [`escape`] writes it as a visible `\uXXXX` (the CLI's
//! output: an operator sees that something was there, and JSON that
//! `serde_json` wrote stays valid JSON that decodes to the same data).

use std::borrow::Cow;

/// A character no terminal, Markdown file or Slack post should receive raw.
pub fn is_unsafe(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{061c}' | '\u{200e}' | '\u{200f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// Whether the text holds an unsafe character: the same answer as
/// `s.chars().any(is_unsafe)`, read from the UTF-8 bytes without decoding
/// (the screen asks it of every cell of every frame).
pub fn has_unsafe(s: &str) -> bool {
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'\n' | b'\t' | 0x20..=0x7e => {}
            0x00..=0x1f | 0x7f => return true,
            // U+0080–U+009F
            0xC2 if matches!(b.get(i + 1), Some(0x80..=0x9F)) => return true,
            // U+061C
            0xD8 if b.get(i + 1) == Some(&0x9C) => return true,
            // U+200E, U+200F, U+202A–U+202E; U+2066–U+2069
            0xE2 => match (b.get(i + 1), b.get(i + 2)) {
                (Some(0x80), Some(0x8E | 0x8F | 0xAA..=0xAE)) | (Some(0x81), Some(0xA6..=0xA9)) => {
                    return true;
                }
                _ => {}
            },
            _ => {}
        }
    }
    false
}

/// The text without unsafe characters; newlines and tabs are kept. A
/// carriage return is dropped too (it would let a line overwrite itself).
pub fn text(s: &str) -> Cow<'_, str> {
    if !has_unsafe(s) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().filter(|&c| !is_unsafe(c)).collect())
}

/// CR LF and a lone CR (a paste inside tmux) as LF.
pub fn line_breaks(s: &str) -> Cow<'_, str> {
    if !s.contains('\r') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
}

/// One line: unsafe characters dropped, newlines and tabs become spaces.
pub fn line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) || c == '\n' || c == '\t') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter(|&c| !is_unsafe(c))
            .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
            .collect(),
    )
}

/// Every unsafe character written as a visible `\uXXXX` escape. In JSON that
/// `serde_json` wrote, such characters can only occur inside strings (C0 it
/// escapes itself), where the escape means the same character: the data is
/// unchanged and the output stays valid JSON.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A vendor's link fit to hand to a browser or a terminal hyperlink:
/// http(s) only, no spaces or controls, of a sane length. Anything else is
/// refused, never cleaned into something else.
pub fn safe_link(url: &str) -> Option<&str> {
    let lower = url.get(..8).unwrap_or("").to_ascii_lowercase();
    let scheme = lower.starts_with("https://") || lower.starts_with("http://");
    let clean = url
        .chars()
        .all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '<' | '>' | '`'));
    (scheme && clean && url.len() <= 2048 && url.len() > 8).then_some(url)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_plain_http_links_are_safe() {
        use super::safe_link;
        assert!(safe_link("https://acme.pagerduty.com/incidents/P1").is_some());
        assert!(safe_link("javascript:alert(1)").is_none());
        assert!(safe_link("https://x.example/\x1b]52;c;AAAA\x07").is_none());
        assert!(safe_link("https://x.example/a b").is_none());
        assert!(safe_link("file:///etc/passwd").is_none());
        assert!(safe_link("https://").is_none());
    }

    use super::*;

    const OSC52: &str = "\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}";

    #[test]
    fn escapes_and_bidi_are_dropped_newlines_kept() {
        let s = format!("Disk full{OSC52}\u{1b}[2J\u{9b}1;1H on\n\tdb-1 \u{202e}gnp.exe\u{2069}");
        assert_eq!(
            text(&s),
            "Disk full]52;c;ZWNobyBwd25lZA==[2J1;1H on\n\tdb-1 gnp.exe"
        );
        assert_eq!(
            line(&s),
            "Disk full]52;c;ZWNobyBwd25lZA==[2J1;1H on  db-1 gnp.exe"
        );
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(text("plain\nnote"), Cow::Borrowed(_)));
        assert!(matches!(line("plain"), Cow::Borrowed(_)));
        assert!(matches!(escape("{\"a\": \"b\"}\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn carriage_return_cannot_overwrite_a_line() {
        assert_eq!(text("ok\rFAILED"), "okFAILED");
    }

    #[test]
    fn escaped_json_keeps_its_data() {
        let title = format!("a\u{202e}b\u{9b}c{OSC52}");
        let written = serde_json::to_string_pretty(&serde_json::json!({ "title": title })).unwrap();
        let safe = escape(&written);
        assert!(!safe.chars().any(is_unsafe), "{safe:?}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["title"], title);
    }

    #[test]
    fn every_bidi_control_is_unsafe() {
        for c in ['\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}'] {
            assert!(is_unsafe(c));
        }
        for c in ['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{200f}'] {
            assert!(is_unsafe(c));
        }
        assert!(!is_unsafe('é') && !is_unsafe('→') && !is_unsafe('✗'));
    }

    #[test]
    fn the_byte_scan_agrees_with_the_rule_for_every_character_up_to_u_3000() {
        for n in 0..0x3000u32 {
            let Some(c) = char::from_u32(n) else { continue };
            let s = format!("a{c}b");
            assert_eq!(has_unsafe(&s), is_unsafe(c), "U+{n:04X}");
        }
        assert!(!has_unsafe("━┃▶ ✓ ✗ é ⏎"));
    }

    #[test]
    fn escaped_text_shows_what_was_hidden() {
        assert_eq!(
            escape("a\u{1b}]0;pwned\u{7}b\u{202e}c"),
            "a\\u001b]0;pwned\\u0007b\\u202ec"
        );
    }
}
