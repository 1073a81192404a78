//! UTCTime and GeneralizedTime (ITU-T X.680 clauses 46-47; RFC 5280 clause 4.1.2.5): parsing
//! and encoding [`crate::time::Time`].

use super::{encode, err, tag};
use crate::error::Result;
use crate::time::Time;

impl Time {
    fn digits(s: &str, range: std::ops::Range<usize>) -> Result<u32> {
        s.get(range)
            .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse().ok())
            .ok_or_else(|| err(format!("malformed time {s:?}")))
    }

    /// `YYMMDDHHMM[SS]Z` (RFC 5280: YY >= 50 is 19YY).
    pub fn parse_utc(s: &str) -> Result<Time> {
        let yy = Self::digits(s, 0..2)? as i64;
        let year = if yy >= 50 { 1900 + yy } else { 2000 + yy };
        Self::parse_rest(s, 2, year)
    }

    /// `YYYYMMDDHHMM[SS][.fff]Z`.
    pub fn parse_generalized(s: &str) -> Result<Time> {
        let year = Self::digits(s, 0..4)? as i64;
        Self::parse_rest(s, 4, year)
    }

    fn parse_rest(s: &str, at: usize, year: i64) -> Result<Time> {
        let month = Self::digits(s, at..at + 2)?;
        let day = Self::digits(s, at + 2..at + 4)?;
        let hour = Self::digits(s, at + 4..at + 6)?;
        let min = Self::digits(s, at + 6..at + 8)?;
        let sec = Self::digits(s, at + 8..at + 10).unwrap_or(0);
        if !s.ends_with('Z') {
            return Err(err(format!("time {s:?} is not in UTC (no trailing Z)")));
        }
        Time::from_civil(year, month, day, hour, min, sec)
    }

    /// The encoding X.509 asks for: UTCTime up to 2049, GeneralizedTime from 2050.
    pub fn to_der(self) -> Vec<u8> {
        let iso = self.to_iso();
        let digits: String = iso.chars().filter(|c| c.is_ascii_digit()).collect();
        let year: i64 = digits[..4].parse().unwrap_or(0);
        if (1950..2050).contains(&year) {
            encode(tag::UTC_TIME as u8, format!("{}Z", &digits[2..]).as_bytes())
        } else {
            encode(tag::GENERALIZED_TIME as u8, format!("{digits}Z").as_bytes())
        }
    }
}
