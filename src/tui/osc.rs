//! The terminal's own powers, as bytes: the clipboard (OSC 52), hyperlinks
//! (OSC 8), and the browser of the machine the screen is on. Inside tmux an
//! OSC is sent plain (tmux with `set -g set-clipboard on` takes it) and once
//! more wrapped for passthrough (`allow-passthrough on`).

use base64::Engine;

/// Put `text` on the clipboard: OSC 52, the payload base64 (so nothing in
/// it reaches the terminal as a control).
pub fn clipboard(text: &str, tmux: bool) -> String {
    let payload = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let seq = format!("\x1b]52;c;{payload}\x07");
    if tmux {
        format!("{seq}\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b"))
    } else {
        seq
    }
}

/// `text` drawn again at (`x`, `y`) as a hyperlink to `url`, which must
/// have passed [`crate::domain::sanitize::safe_link`]. Written after a
/// frame, over the same characters the frame drew there.
pub fn hyperlink(x: u16, y: u16, text: &str, url: &str) -> String {
    let Some(url) = crate::domain::sanitize::safe_link(url) else {
        return String::new();
    };
    let text = crate::domain::sanitize::line(text);
    format!(
        "\x1b[{};{}H\x1b]8;;{url}\x1b\\{text}\x1b]8;;\x1b\\",
        y + 1,
        x + 1
    )
}

/// Open `url` in the browser: `$BROWSER` (its first entry, split on
/// spaces into a program and its arguments), else `xdg-open` — never a
/// shell, and the url one argument of its own.
pub fn open_in_browser(url: &str) -> Result<(), String> {
    let url = crate::domain::sanitize::safe_link(url)
        .ok_or_else(|| "not a plain http(s) link: not opened".to_string())?;
    let browser = std::env::var("BROWSER").unwrap_or_default();
    let first = browser.split(':').next().unwrap_or("").trim();
    let mut words = first.split_whitespace();
    let (program, args): (String, Vec<String>) = match words.next() {
        Some(p) => (p.to_string(), words.map(str::to_string).collect()),
        None => ("xdg-open".to_string(), Vec::new()),
    };
    std::process::Command::new(&program)
        .args(args)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
        .map_err(|e| format!("{program} could not start: {e} (set BROWSER, or Y copies the link)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clipboard_payload_is_base64_and_tmux_gets_it_both_ways() {
        assert_eq!(clipboard("inc_1", false), "\x1b]52;c;aW5jXzE=\x07");
        let t = clipboard("a\x1b]b", true);
        assert!(
            t.starts_with("\x1b]52;c;YRtdYg==\x07\x1bPtmux;\x1b\x1b]52;"),
            "{t:?}"
        );
        assert!(t.ends_with("\x07\x1b\\"));
    }

    #[test]
    fn a_hyperlink_is_only_made_of_a_safe_link() {
        let h = hyperlink(4, 2, "PD-1", "https://acme.pagerduty.com/incidents/P1");
        assert_eq!(
            h,
            "\x1b[3;5H\x1b]8;;https://acme.pagerduty.com/incidents/P1\x1b\\PD-1\x1b]8;;\x1b\\"
        );
        assert_eq!(hyperlink(0, 0, "x", "https://e.example/\x07"), "");
    }
}
