//! Reading timestamps fast: the files hold millions of RFC 3339 UTC times
//! (`2026-05-14T02:41:00Z`, with or without fractions); a direct reading of
//! that shape is several times cheaper than a general parser, which remains
//! the fallback for anything else (offsets, odd spacing).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserializer;
use serde::de::{self, Visitor};
use std::fmt;

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32)
    })
}

/// `YYYY-MM-DDTHH:MM:SS[.f…]Z`, else the general parser.
pub fn parse_utc(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b't')
        && b[13] == b':'
        && b[16] == b':'
        && b[b.len() - 1] == b'Z'
    {
        let (y, mo, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
        let (h, mi, sec) = (
            digits(&b[11..13])?,
            digits(&b[14..16])?,
            digits(&b[17..19])?,
        );
        let frac = &b[19..b.len() - 1];
        let nanos = match frac {
            [] => Some(0),
            [b'.', rest @ ..] if !rest.is_empty() && rest.len() <= 9 => {
                digits(rest).map(|n| n * 10u32.pow(9 - rest.len() as u32))
            }
            _ => None,
        };
        if let Some(nanos) = nanos {
            return NaiveDate::from_ymd_opt(y as i32, mo, d)?
                .and_hms_nano_opt(h, mi, sec, nanos)
                .map(|t| t.and_utc());
        }
    }
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

struct TimeVisitor;

impl Visitor<'_> for TimeVisitor {
    type Value = DateTime<Utc>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 time like \"2026-05-14T02:41:00Z\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        parse_utc(v).ok_or_else(|| {
            E::custom(format!(
                "{v:?} is not an RFC 3339 time like \"2026-05-14T02:41:00Z\""
            ))
        })
    }
}

/// For `#[serde(deserialize_with = "…")]` on a `DateTime<Utc>` field.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    d.deserialize_str(TimeVisitor)
}

/// The same for an `Option<DateTime<Utc>>` field (null or absent is `None`).
pub fn deserialize_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    struct Wrap(DateTime<Utc>);
    impl<'de> serde::Deserialize<'de> for Wrap {
        fn deserialize<D2: Deserializer<'de>>(d: D2) -> Result<Self, D2::Error> {
            d.deserialize_str(TimeVisitor).map(Wrap)
        }
    }
    Ok(<Option<Wrap> as serde::Deserialize>::deserialize(d)?.map(|w| w.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_shape_and_the_fallback_agree_with_chrono() {
        for s in [
            "2026-05-14T02:41:00Z",
            "2026-11-23T01:19:02.723075629Z",
            "2026-11-23T01:19:02.7Z",
            "2024-02-29T23:59:59Z",
            "2026-05-14T02:41:00+00:00",
            "2026-05-13T23:41:00-03:00",
            "2026-05-14t02:41:00Z",
        ] {
            let want = DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
            assert_eq!(parse_utc(s), Some(want), "{s}");
        }
        for bad in [
            "2026-02-30T00:00:00Z",
            "2026-05-14T25:00:00Z",
            "yesterday",
            "2026-05-14T02:41:00.Z",
            "2026-05-14 02:41",
        ] {
            assert_eq!(parse_utc(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_bad_time_in_a_file_says_what_is_wrong() {
        #[derive(serde::Deserialize, Debug)]
        struct T {
            #[serde(deserialize_with = "super::deserialize")]
            #[allow(dead_code)]
            at: DateTime<Utc>,
        }
        let e = serde_json::from_str::<T>(r#"{"at":"soon"}"#).unwrap_err();
        assert!(
            e.to_string().contains("\"soon\" is not an RFC 3339 time"),
            "{e}"
        );
    }
}
