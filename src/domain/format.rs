//! How durations and times read on screen and in reports.

use chrono::Duration;

/// A compact duration: `45s`, `12m 05s` (under an hour, seconds matter for a
/// response target), `3h 07m`, `2d 04h`.
pub fn short_duration(d: Duration) -> String {
    let secs = d.num_seconds().max(0);
    let (days, hours, mins, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    if days >= 100 {
        // Hours no longer matter; the unit does.
        format!("{days}d")
    } else if days > 0 {
        format!("{days}d {hours:02}h")
    } else if hours > 0 {
        format!("{hours}h {mins:02}m")
    } else if mins > 0 {
        format!("{mins}m {s:02}s")
    } else {
        format!("{s}s")
    }
}

/// Like [`short_duration`] but never shows seconds: for ages and elapsed
/// times where a per-second redraw would be waste.
pub fn coarse_duration(d: Duration) -> String {
    let mins = d.num_minutes().max(0);
    let (days, hours, m) = (mins / 1440, mins / 60 % 24, mins % 60);
    if days >= 100 {
        // Hours no longer matter; the unit does.
        format!("{days}d")
    } else if days > 0 {
        format!("{days}d {hours:02}h")
    } else if hours > 0 {
        format!("{hours}h {m:02}m")
    } else {
        format!("{m}m")
    }
}

/// `1 check`, `2 checks`, `0 matches`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// An interval as a person says it: `30 s`, `15 min`, `2 h`, `1 h 30 min`.
pub fn interval(secs: u64) -> String {
    match secs {
        s if s < 60 || s % 60 != 0 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s / 60),
        s if s % 3600 == 0 => format!("{} h", s / 3600),
        s => format!("{} h {} min", s / 3600, s / 60 % 60),
    }
}

/// A span as typed: "30m", "2h", "1h30m", "1d", "90s". At least a minute,
/// at most `max`.
pub fn parse_span(text: &str, max: Duration) -> Result<Duration, String> {
    let t = text.trim().to_ascii_lowercase();
    let bad = || format!("{text:?}: write a span as 30m, 2h, 1h30m or 1d");
    if t.is_empty() {
        return Err(bad());
    }
    let mut total = Duration::zero();
    let mut digits = String::new();
    for c in t.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: i64 = digits.parse().map_err(|_| bad())?;
        digits.clear();
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(bad()),
        };
        // Past the maximum is refused below; no overflow on the way there.
        let secs = n
            .saturating_mul(unit)
            .min(max.num_seconds().saturating_add(1));
        total += Duration::seconds(secs);
        if total > max {
            break;
        }
    }
    if !digits.is_empty() {
        return Err(bad());
    }
    if total < Duration::minutes(1) {
        return Err(format!("{text:?}: at least a minute"));
    }
    if total > max {
        return Err(format!("{text:?}: at most {}", coarse_duration(max)));
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_read_as_people_say_them() {
        assert_eq!(interval(30), "30 s");
        assert_eq!(interval(900), "15 min");
        assert_eq!(interval(3600), "1 h");
        assert_eq!(interval(5400), "1 h 30 min");
        assert_eq!(interval(90), "90 s");
    }

    #[test]
    fn spans_parse_as_typed() {
        let week = Duration::days(7);
        assert_eq!(parse_span("30m", week), Ok(Duration::minutes(30)));
        assert_eq!(parse_span("1h30m", week), Ok(Duration::minutes(90)));
        assert_eq!(parse_span(" 2H ", week), Ok(Duration::hours(2)));
        assert_eq!(parse_span("1d", week), Ok(Duration::days(1)));
        for bad in ["", "30", "m", "1x", "-5m", "1.5h"] {
            assert!(parse_span(bad, week).is_err(), "{bad}");
        }
        assert!(
            parse_span("30s", week)
                .unwrap_err()
                .contains("at least a minute")
        );
        assert!(parse_span("8d", week).unwrap_err().contains("at most 7d"));
        assert!(parse_span("99999999999999d", week).is_err());
    }

    #[test]
    fn short_durations_read_naturally() {
        assert_eq!(short_duration(Duration::seconds(45)), "45s");
        assert_eq!(short_duration(Duration::seconds(12 * 60 + 5)), "12m 05s");
        assert_eq!(short_duration(Duration::minutes(187)), "3h 07m");
        assert_eq!(short_duration(Duration::hours(52)), "2d 04h");
        assert_eq!(short_duration(Duration::seconds(-5)), "0s");
    }

    #[test]
    fn coarse_durations_drop_seconds() {
        assert_eq!(coarse_duration(Duration::seconds(59)), "0m");
        assert_eq!(coarse_duration(Duration::minutes(61)), "1h 01m");
        assert_eq!(coarse_duration(Duration::hours(25)), "1d 01h");
    }
}
