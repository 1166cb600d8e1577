//! Time stamps for the cache and the operator, without a date crate.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub fn unix_now() -> u64 {
    unix(SystemTime::now())
}

pub fn unix(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// `2026-11-23T19:20:00Z` for seconds since the epoch (UTC).
pub fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// Seconds since the epoch of an RFC 3339 time as BMCs write it (`2026-11-23T19:20:00Z`,
/// `...+01:00`, fractions ignored); None when it is not one.
pub fn parse_rfc3339(s: &str) -> Option<u64> {
    let s = s.trim();
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if s.get(4..5)? != "-" || !matches!(s.get(10..11)?, "T" | "t" | " ") {
        return None;
    }
    let rest = s.get(19..)?;
    let rest = match rest.strip_prefix('.') {
        Some(r) => r.trim_start_matches(|c: char| c.is_ascii_digit()),
        None => rest,
    };
    let offset = match rest {
        "Z" | "z" | "" => 0,
        o if o.len() == 6 => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            sign * (o.get(1..3)?.parse::<i64>().ok()? * 3600
                + o.get(4..6)?.parse::<i64>().ok()? * 60)
        }
        _ => return None,
    };
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + hh * 3600 + mm * 60 + ss - offset).ok()
}

/// The longest duration any flag or setting takes (`--timeout`, `--wait-timeout`,
/// `--persist`, `--older-than`, the settings file's): 30 days. Past it is a typo, not a plan.
pub const MAX_DURATION: Duration = Duration::from_secs(30 * 86_400);

/// The one duration syntax of every flag and setting: a number (decimals allowed) with an
/// optional unit `ms`, `s` (the default), `m`, `h` or `d`: `2`, `2s`, `1.5`, `500ms`, `10m`,
/// `12h`, `7d`; at most [`MAX_DURATION`].
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    const FORMS: &str = "a number with an optional unit ms, s, m, h or d (2, 2s, 500ms, 10m)";
    let s = s.trim();
    let at = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(at);
    let secs_per = match unit {
        "ms" => 0.001,
        "" | "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        _ => return Err(format!("must be {FORMS}")),
    };
    let n: f64 = num
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite())
        .ok_or_else(|| format!("must be {FORMS}"))?;
    let secs = n * secs_per;
    if secs > MAX_DURATION.as_secs_f64() {
        return Err(format!("must be at most 30d; a duration is {FORMS}"));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// A duration that must not be zero (`--timeout`, `--wait-timeout`, the settings' timeout).
pub fn parse_positive_duration(s: &str) -> Result<Duration, String> {
    match parse_duration(s)? {
        d if d.is_zero() => Err("must be above 0 (2, 2s, 500ms, 10m)".into()),
        d => Ok(d),
    }
}

/// `1h 02m`, `4m 05s`, `12s`: a duration for the operator.
pub fn human(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {:02}s", s / 60, s % 60),
        _ => format!("{}h {:02}m", s / 3600, s / 60 % 60),
    }
}

/// A duration as the duration syntax reads it, in its largest whole unit (`1h`, `90m`, `45s`).
pub fn compact(d: Duration) -> String {
    // `--timeout 500ms` is said as given, not as 0s.
    if d.subsec_nanos() != 0 {
        return format!("{}ms", d.as_millis());
    }
    match d.as_secs() {
        s if s >= 3600 && s % 3600 == 0 => format!("{}h", s / 3600),
        s if s >= 60 && s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_795_461_600), "2026-11-23T19:20:00Z");
    }

    #[test]
    fn parses_what_it_formats_and_offsets() {
        for t in [0, 951_782_400, 1_795_461_600] {
            assert_eq!(parse_rfc3339(&rfc3339(t)), Some(t));
        }
        assert_eq!(
            parse_rfc3339("2026-11-23T20:20:00.123+01:00"),
            Some(1_795_461_600)
        );
        assert_eq!(parse_rfc3339("yesterday"), None);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(604_800)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("30d"), Ok(MAX_DURATION));
        for bad in ["3w", "m", "", "1.2.3", "-1", "1e3", "2 s", "nan", "30d1"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        let e = parse_duration("1000000000000d").unwrap_err();
        assert!(e.contains("at most 30d"), "{e}");
        assert!(parse_duration("721h").is_err() && parse_duration("2592001").is_err());
        assert!(parse_positive_duration("0").is_err() && parse_positive_duration("0ms").is_err());
    }

    #[test]
    fn compacts_to_the_largest_whole_unit() {
        assert_eq!(compact(Duration::from_secs(3600)), "1h");
        assert_eq!(compact(Duration::from_secs(5400)), "90m");
        assert_eq!(compact(Duration::from_secs(45)), "45s");
        assert_eq!(compact(Duration::from_secs(61)), "61s");
        assert_eq!(compact(Duration::from_millis(500)), "500ms");
        assert_eq!(compact(Duration::from_millis(1500)), "1500ms");
    }

    #[test]
    fn humanizes() {
        assert_eq!(human(Duration::from_secs(12)), "12s");
        assert_eq!(human(Duration::from_secs(245)), "4m 05s");
        assert_eq!(human(Duration::from_secs(3720)), "1h 02m");
    }
}
