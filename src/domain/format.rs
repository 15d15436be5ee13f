//! How durations and times read on screen and in reports.

use chrono::Duration;

/// A compact duration: `45s`, `12m 05s` (under an hour, seconds matter for a
/// response target), `3h 07m`, `2d 04h`.
pub fn short_duration(d: Duration) -> String {
    let secs = d.num_seconds().max(0);
    let (days, hours, mins, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    if days > 0 {
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
    if days > 0 {
        format!("{days}d {hours:02}h")
    } else if hours > 0 {
        format!("{hours}h {m:02}m")
    } else {
        format!("{m}m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
